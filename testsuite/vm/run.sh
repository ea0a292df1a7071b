#!/bin/sh
# run.sh BUILD [NAME...] - the VM scenarios (testsuite/vm/scenarios), or the
# NAMEd ones: Debian's kernel under QEMU (TCG), an image with BUILD/busybox,
# disks made on the host, a console script, the expected end, checks on
# the console.  One PASS or FAIL line each (a FAIL gives the reason, the
# console's path and its last VM_FAIL_LINES (40) lines), then "N passed,
# N failed".  VM_JOBS (2) rows run at once.  A scenario that cannot run
# (no QEMU, no kernel, no image, no disk) fails.
#
# The scenario table is a list of shell functions sc_NAME, each a row of
# verbs (see the top of testsuite/vm/scenarios).  A row is read twice: to
# boot (disks, jobs, cmdline, the console script, the end), then, with the
# console log there, to check.  Times in checks come from the console's
# stamps: the kernel's ([  5.123456] with printk.time=1) and evinit's log
# ([    5.123], CLOCK_MONOTONIC ms, printed by the real root's init); both
# count from the kernel's start, and every root scenario checks that the
# two clocks agree.  Host wall time is used only for deadlines.
set -u

[ $# -ge 1 ] || { echo "usage: $0 BUILD [NAME...]" >&2; exit 2; }
build=$(realpath "$1")
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
bb=$build/busybox
here=$top/testsuite/vm
work=$build/vm
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

. "$top/scripts/vm/vmlib.sh"
. "$here/disks.sh"
. "$here/netbed.sh"
. "$here/scenarios"

# one_disk NAME: disk NAME (disks.sh), one row at a time: two rows that
# run side by side may both make the same fixture
one_disk() { { flock 9; disk "$1"; } 9> "$work/disks.lock"; }

# ---- the verbs of a row ---------------------------------------------------
# phase "boot": what to boot and type; phase "check": what must hold.

about()   { title=$1; }
disks()   { [ "$phase" != boot ] || boot_disks="$boot_disks $*"; }
jobs()    { [ "$phase" != boot ] || extra_jobs="$extra_jobs $*"; }
cmdline() { [ "$phase" != boot ] || append=$1; }
# the target root the image is made for (host-only): its etc/fstab,
# etc/crypttab and keyfiles, one line or file each; a row without them
# gets the shared one (the root disk's fstab)
fstab()   { [ "$phase" != boot ] || target_line etc/fstab "$1"; }
crypttab(){ [ "$phase" != boot ] || target_line etc/crypttab "$1"; }
keyfile() { [ "$phase" != boot ] || { mkdir -p "$dir/target/${1%/*}"; printf '%s' "$2" > "$dir/target/$1"; }; }
# diskfile PATH DISK: the image of a disk as a file of the target root
diskfile() { [ "$phase" != boot ] || { mkdir -p "$dir/target/${1%/*}"; p=$(one_disk "$2") && cp "$p" "$dir/target/$1" || cannot="no disk $2"; }; }
program() { [ "$phase" != boot ] || { keyfile "$1" "$2"; chmod 755 "$dir/target/$1"; }; }
modules() { [ "$phase" != boot ] || extra_modules="$extra_modules $*"; }
target_line() { mkdir -p "$dir/target/etc"; printf '%s\n' "$2" >> "$dir/target/$1"; }
deadline(){ [ "$phase" != boot ] || secs=$1; }
icount()  { [ "$phase" != boot ] || { vm_flags=$vm_icount; secs=120; }; }
expect()  { [ "$phase" != boot ] || step "expect=$1"; }
send()    { [ "$phase" != boot ] || step "send=$1"; }
pause()   { [ "$phase" != boot ] || step "pause=$1"; }
monitor() { [ "$phase" != boot ] || step "monitor=$1"; }	# a QEMU monitor command, now
plug()	# DISK: hot-plug it through the monitor, now
{
	[ "$phase" = boot ] || return 0
	plugged=$((plugged + 1))
	p=$(one_disk "$1") || { cannot="no disk $1"; return 0; }
	overlay "$1" "$p"
	vm_plug_steps "$plugged" "$att" >> "$dir/steps"
}
# overlay NAME PATH: $att, what to attach for the disk NAME at PATH: an
# image file gets a qcow2 overlay in the row's directory (the guest's
# writes land there; the check phase compares), anything else is itself
overlay()
{
	att=$2
	case $2 in
	driver=*) return ;;
	esac
	att=$dir/disk-$1.qcow2
	vm_overlay "$2" "$att" || cannot="cannot make an overlay for $1 (qemu-img: make setup)"
	printf '%s %s %s\n' "$1" "$2" "$att" >> "$dir/overlays"
}
# net NIC...: the client's NICs, virtio, in order (eth0, eth1, ...): bed
# (a port of the row's test-bed server, testsuite/vm/netbed.sh, booted
# for the row), silent (a link with nobody at the other end), each with
# :MAC for its address (default 52:54:00:12:34:5N); netroot: the image is
# made with mkinitramfs -N; bedcmd CMD: a console step, CMD run on the
# server (netbed_cmd: nbd-cut, nfs-stop ...)
net()     { [ "$phase" != boot ] || nics="$nics $*"; }
netroot() { [ "$phase" != boot ] || mk_flags="$mk_flags -N"; }
bedcmd()  { [ "$phase" != boot ] || step "run=top=$top build=$build; . \"\$top/scripts/vm/vmlib.sh\"; . \"\$top/testsuite/vm/netbed.sh\"; netbed_cmd \"$dir\" $*"; }
# nics_start: the row's NICs as QEMU options in vm_flags, the server
# booted first when one of them is on it (its ports: netbed_ports)
nics_start()
{
	[ -n "$nics" ] || return 0
	set -- $nics
	ports=$(netbed_ports $#) || { cannot="no free ports for the row's NICs"; return 0; }
	i=0 bedports=''
	for nic in "$@"; do
		port=$(echo $ports | cut -d' ' -f$((i + 1)))
		mac=${nic#*:}
		[ "$mac" != "$nic" ] || mac=52:54:00:12:34:5$i
		case ${nic%%:*} in
		bed) bedports="$bedports $port"
			vm_flags="$vm_flags -netdev socket,id=n$i,connect=127.0.0.1:$port" ;;
		silent) vm_flags="$vm_flags -netdev socket,id=n$i,listen=127.0.0.1:$port" ;;
		*) cannot="net: unknown NIC kind ${nic%%:*}"; return 0 ;;
		esac
		vm_flags="$vm_flags -device virtio-net-pci,netdev=n$i,mac=$mac"
		i=$((i + 1))
	done
	[ -n "$bedports" ] || return 0
	netbed_image "$build" > "$dir/netbed-image.log" 2>&1 ||
		{ cannot="no test-bed server image (see $dir/netbed-image.log)"; return 0; }
	bed_up=1
	netbed_start "$dir" $bedports 2> "$dir/netbed-start.log" ||
		cannot="the test-bed server did not start: $(tail -n 2 "$dir/netbed-start.log" | tr '\n' ' ')"
}

# writes WHY: the row's disks may change (a member re-added, rebuilt ...);
# every other row checks that each disk is bit-identical after the boot
writes()  { [ "$phase" != check ] || disks_written=$1; }
step() { printf '%s\n' "$1" >> "$dir/steps"; }

# ends root | rescue TEXT | poweroff (QEMU ends, a power-off or a panic)
ends()
{
	if [ "$phase" = boot ]; then
		end=$1
		case $1 in
		root)     step "expect=EVBOX-ROOT-DONE"; step eof ;;
		rescue)   step "expect=$2" ;;
		poweroff) step eof ;;
		esac
		return 0
	fi
	[ "$phase" = check ] || return 0
	case $1 in
	root)
		has "the real root's init runs as PID 1" "EVBOX-ROOT-REACHED pid=1 "
		has "the real root's init ran to its end" "EVBOX-ROOT-DONE"
		lacks "/dev /proc /sys /run were moved into the real root" "was not moved here"
		clocks_agree
		[ -n "$errors_ok" ] || lacks_re "evinit logged no error" '^\[ *[0-9.]+\] error: '
		;;
	rescue)
		lacks "the real root was not reached" "EVBOX-ROOT-REACHED"
		;;
	poweroff)
		lacks "the real root was not reached" "EVBOX-ROOT-REACHED"
		has_re "the kernel powered off or panicked" 'reboot: Power down|Kernel panic - not syncing'
		;;
	esac
}

# errors_ok: evinit's log may hold errors (the row checks the ones it wants)
errors_ok() { errors_ok=1; }

# ---- checks (phase check) ------------------------------------------------
ok()	# WHAT, then a status
{
	if [ "$2" = 0 ]; then
		checks_ok=$((checks_ok + 1))
	else
		reasons="$reasons
	not: $1"
	fi
}
has()      { [ "$phase" = check ] || return 0; grep -qF -e "$2" "$log"; ok "$1" $?; }
lacks()    { [ "$phase" = check ] || return 0; ! grep -qF -e "$2" "$log"; ok "$1" $?; }
has_re()   { [ "$phase" = check ] || return 0; grep -qE -e "$2" "$log"; ok "$1" $?; }
# count WHAT N TEXT: exactly N occurrences of TEXT (fixed string) on the console
count()
{
	[ "$phase" = check ] || return 0
	c=$(grep -oF -e "$3" "$log" | wc -l)
	[ "$c" = "$2" ]
	ok "$1 (seen $c times)" $?
}
lacks_re() { [ "$phase" = check ] || return 0; ! grep -qE -e "$2" "$log"; ok "$1" $?; }

# vmtest WHAT FILE LINE...: the real root printed /run/vmtest/FILE (a file
# the row's jobs wrote in the initramfs) and it held exactly these lines,
# in this order
vmtest()
{
	[ "$phase" = check ] || return 0
	what=$1 f=$2
	shift 2
	got=$(sed -n "s|^vmtest $f: ||p" "$log")
	[ "$got" = "$(printf '%s\n' "$@")" ]
	ok "$what (/run/vmtest/$f: $(printf '%s' "$got" | tr '\n' '|'))" $?
}

# section WHAT START END TEXT: between the first line holding START and the
# next line holding END (fixed strings), a line holds TEXT
section()
{
	[ "$phase" = check ] || return 0
	START=$2 END=$3 awk 'index($0, ENVIRON["START"]) { on = 1 }
		on { print } on && index($0, ENVIRON["END"]) { exit }' "$log" |
		grep -qF -e "$4"
	ok "$1" $?
}

# stamp ERE: the time on the first stamped console line matching ERE
# (kernel "[  5.123456] ..." or evinit's log "[    5.123] ...")
stamp()
{
	RE=$1 awk 'match($0, /^\[ *[0-9]+\.[0-9]+\]/) && $0 ~ ENVIRON["RE"] {
		s = substr($0, 2, RLENGTH - 2); gsub(/ /, "", s); print s; exit }' "$log"
}

# took WHAT FROM TO MAX [MIN]: from the first stamped line matching FROM to
# the first matching TO (EREs, awk's: no {n}) took at most MAX seconds (at
# least MIN; a TO before FROM is a negative time)
took()
{
	[ "$phase" = check ] || return 0
	a=$(stamp "$2") b=$(stamp "$3")
	if [ -z "$a" ] || [ -z "$b" ]; then
		[ -n "$a" ] || ok "$1 (no stamped line matches '$2')" 1
		[ -n "$b" ] || ok "$1 (no stamped line matches '$3')" 1
		return
	fi
	d=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')
	times="$times ${d}s"
	awk -v d="$d" -v max="$4" -v min="${5:--1e9}" 'BEGIN { exit !(d <= max && d >= min) }'
	ok "$1: took ${d}s ($a -> $b), bound ${5:+$5..}$4 s" $?
}

# order WHAT FIRST THEN: the first line holding FIRST comes before the
# first holding THEN (fixed strings)
order()
{
	[ "$phase" = check ] || return 0
	a=$(grep -nF -m1 -e "$2" "$log" | cut -d: -f1)
	b=$(grep -nF -m1 -e "$3" "$log" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
	ok "$1" $?
}

# the kernel's printk clock and /proc/uptime (evinit's CLOCK_MONOTONIC)
# agree: the real root's init writes its uptime U1 to /dev/kmsg, the kernel
# stamps it T, then it reads U2; T must lie in [U1, U2] give or take 0.2 s
# (/proc/uptime has 10 ms steps; under TCG the two differ by up to some
# 60 ms on an idle host, seen either way, and by 104 ms on a loaded one)
clocks_agree()
{
	line=$(grep -m1 -E '^\[ *[0-9.]+\] EVBOX-CLOCK uptime=' "$log")
	after=$(sed -n 's/^EVBOX-CLOCK-AFTER uptime=//p' "$log" | head -n 1)
	echo "$line" | awk -v u2="${after:-x}" '{ gsub(/[][]/, " "); split($0, f, " ");
		u1 = $0; sub(/.*uptime=/, "", u1);
		exit !(u1 != "" && u2 != "x" && f[1] >= u1 - 0.2 && f[1] <= u2 + 0.2) }'
	ok "the kernel's clock and the uptime agree (${line:-no EVBOX-CLOCK line}, after: ${after:-none})" $?
}

# every disk of a row that does not say `writes` is as it was, byte for
# byte (the initramfs writes to no disk; the kernel's md writes a
# superblock only when an array changes)
unchanged()
{
	[ -z "$disks_written" ] || return 0
	while read -r n img ov; do
		vm_unchanged "$img" "$ov"
		ok "disk $n is bit-identical after the boot" $?
	done < "$dir/overlays"
}

# ---- running a row -------------------------------------------------------
pass=0 fail=0

result()	# PASS|FAIL NAME [REASON]
{
	if [ "$1" = PASS ]; then
		pass=$((pass + 1))
		echo "PASS: $2 ($title)${times:+, times:$times}"
	else
		fail=$((fail + 1))
		echo "FAIL: $2 ($title): $3"
		[ -s "${log:-}" ] || return 0
		# the console's end, so a failure on another machine can be read
		echo "	console: $log, its last ${VM_FAIL_LINES:-40} lines:"
		tail -n "${VM_FAIL_LINES:-40}" "$log" | tr -d '\r' | sed 's/^/	| /'
	fi
}

run_one()	# NAME
{
	name=$1
	dir=$work/run/$name
	log=$dir/console.log
	title='' boot_disks='' extra_jobs='' append='' secs=60 end='' plugged=0 vm_flags='' extra_modules=''
	nics='' mk_flags='' bed_up=''
	cannot='' reasons='' checks_ok=0 errors_ok='' times='' disks_written=''
	rm -rf "$dir"
	mkdir -p "$dir"
	: > "$dir/steps"
	: > "$dir/overlays"
	phase=boot
	"sc_$name"
	[ -n "$end" ] || cannot="the row has no 'ends'"
	target=$hostroot
	[ ! -d "$dir/target" ] || target=$dir/target

	# the image: the tree's jobs (init/) and the row's, cached
	jobdirs=''
	for j in $extra_jobs; do
		[ -d "$here/jobs/$j" ] || cannot="no job directory jobs/$j"
		jobdirs="$jobdirs $here/jobs/$j"
	done
	# the cache key: what the image is made of, the whole target root tree
	# (fstab, crypttab, keyfiles) too
	# shellcheck disable=SC2086
	key=$( { cat "$bb" "$top/scripts/vm/vmlib.sh" \
		$(ls "${MKINITRAMFS:-$top/scripts/mkinitramfs}" "${KCONFIG_CONFIG:-$top/.config}" \
			"$top"/init/*.conf 2>/dev/null) \
		$(for d in $jobdirs; do ls "$d"/*.conf; done)
		(cd "$target" && find . -type f | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done)
		echo "modules $extra_modules flags $mk_flags"; } | sha256sum | cut -c1-16)
	image=$work/images/$key.img
	if [ -z "$cannot" ] && [ ! -s "$image" ]; then
		mkdir -p "$work/images"
		# shellcheck disable=SC2086
		vm_extra_modules=$extra_modules vm_mk_flags=$mk_flags make_image "$image.$name.tmp" "$target" $jobdirs > "$dir/image.log" 2>&1 &&
			mv "$image.$name.tmp" "$image" || cannot="cannot make the image (see $dir/image.log)"
	fi
	[ -n "$cannot" ] || ln -sf "$image" "$dir/initrd.img"

	set --
	for d in $boot_disks; do
		p=$(one_disk "$d") || { cannot="no disk $d"; break; }
		overlay "$d" "$p"
		set -- "$@" "$att"
	done
	[ -n "$cannot" ] || nics_start
	if [ -n "$cannot" ]; then
		[ -z "$bed_up" ] || netbed_stop "$dir"
		result FAIL "$name" "cannot run: $cannot"
		return
	fi

	printf '%s\n' "$append" > "$dir/cmdline"
	vm_start "$dir" "$append" "$@"
	# the steps, one argument each
	IFS='
'
	set -f
	# shellcheck disable=SC2046
	"$build/vm/vmconsole" -c "$dir/console" -m "$dir/monitor" -p "$vm_pid" \
		-l "$log" -t "$secs" $(cat "$dir/steps") 2> "$dir/vmconsole.err"
	rc=$?
	set +f
	unset IFS
	vm_stop
	[ -z "$bed_up" ] || netbed_stop "$dir"
	# QEMU's own complaints (a disk it cannot open ...) end up here
	grep -v '^$' "$dir/qemu.log" >> "$dir/vmconsole.err"

	if [ $rc != 0 ]; then
		result FAIL "$name" "console script: $(tail -n 3 "$dir/vmconsole.err" | tr '\n' ' ')"
		return
	fi
	if grep -q 'Error' "$dir/monitor.log"; then
		result FAIL "$name" "the monitor refused a hot-plug: $(grep Error "$dir/monitor.log" | head -n 1)"
		return
	fi
	phase=check
	"sc_$name"
	unchanged
	if [ -n "$reasons" ]; then
		result FAIL "$name" "$reasons"
	else
		result PASS "$name"
	fi
}

# ---- main ----------------------------------------------------------------
all=$(sed -n 's/^sc_\([a-z0-9_]*\)().*/\1/p' "$here/scenarios")
[ $# -gt 0 ] || set -- $all
n=0 total=$#
setup=''
command -v qemu-system-x86_64 >/dev/null || setup="no qemu-system-x86_64 (make setup)"
[ -n "$setup" ] || [ -x "$bb" ] || setup="no $bb"
[ -n "$setup" ] || mkdir -p "$work"
# the binary as it is now: a build while the rows run (make in another
# shell) would change the disks and images under them
if [ -z "$setup" ]; then
	snap=$work/busybox.run.$$
	cp "$bb" "$snap" && bb=$snap || setup="cannot copy $bb"
	trap 'rm -f "$snap"' EXIT
	trap 'exit 130' INT TERM
fi
[ -n "$setup" ] || vm_kernel > "$work/kernel.log" 2>&1 || setup="no kernel (scripts/vm/kernel.sh: $(tail -n 1 "$work/kernel.log"))"
# the target root the images are made for: an fstab naming the root disk
hostroot=$work/hostroot
if [ -z "$setup" ]; then
	mkdir -p "$hostroot/etc"
	echo "UUID=$ROOT_UUID / ext4 ro 0 1" > "$hostroot/etc/fstab"
	cc -O2 -Wall -o "$work/vmconsole.tmp" "$here/vmconsole.c" 2> "$work/vmconsole.log" &&
		mv "$work/vmconsole.tmp" "$work/vmconsole" || setup="cannot build vmconsole: $(head -n 3 "$work/vmconsole.log")"
fi
# VM_JOBS rows at a time (default 2: the CI machine's cores); each row's
# lines are printed whole, in the order the rows were given
jobs=${VM_JOBS:-2}
running=''
flush()	# NAME: its output, counted
{
	cat "$work/run/$1.out"
	pass=$((pass + $(grep -c '^PASS: ' "$work/run/$1.out")))
	fail=$((fail + $(grep -c '^FAIL: ' "$work/run/$1.out")))
	rm -f "$work/run/$1.out" "$work/run/$1.pid"
}
wait_first()	# the oldest running row, waited for and printed
{
	set -- $running
	wait "$(cat "$work/run/$1.pid")" 2>/dev/null
	flush "$1"
	shift
	running="$*"
}
[ -n "$setup" ] || mkdir -p "$work/run"
for name; do
	n=$((n + 1))
	title=''
	case " $(echo $all) " in
	*" $name "*) ;;
	*) log='' title='?'
	   result FAIL "$name" "no such scenario"
	   continue ;;
	esac
	phase=none
	"sc_$name"
	echo "vm: $n/$total $name: $title ..."
	if [ -n "$setup" ]; then
		log=''
		result FAIL "$name" "cannot run: $setup"
		continue
	fi
	# shellcheck disable=SC2086
	[ $(echo $running | wc -w) -lt "$jobs" ] || wait_first
	( pass=0 fail=0; run_one "$name" ) > "$work/run/$name.out" 2>&1 &
	echo $! > "$work/run/$name.pid"
	running="$running $name"
done
while [ -n "$(echo $running)" ]; do wait_first; done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
