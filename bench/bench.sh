#!/bin/sh
# bench.sh BUILD BUSYBOX - the benchmark (`make bench`; not a test).
#
# Three initramfs images boot the same disk with the same kernel, 5 boots
# each, interleaved (evbox, floor, itools, evbox, ...):
#   evbox   the evbox image, host-only for the bench disk's root
#   floor   bench/floor.c: only the fixed steps for this disk (insmod the 11
#           modules in order, wait for /dev/vda1, mount it, switch root)
#   itools  Debian's initramfs-tools for the same kernel (MODULES=dep when
#           its image holds the disk's drivers, else MODULES=most)
# and with BENCH_BASELINE=BUSYBOX a fourth, interleaved after evbox:
#   evbox-base  the evbox image made the same way from that other binary
#           (an older build, to compare two versions in one run)
# The disk: GPT, one ext4 partition vda1 whose /sbin/init is bench/marker.c.
# Measured per boot, from the console (printk.time=1):
#   init    seconds from the kernel's "Run /init as init process" to the
#           real root's marker line in the kernel log (same printk clock)
#   uptime  CLOCK_BOOTTIME at the marker (= /proc/uptime, to the us): this
#           one counts the kernel unpacking the image
# Prints every sample, the medians, the image sizes, and whether evbox is
# within 1.25x of the floor on init and 1.15x on uptime (MET / NOT MET).
# Fails only when a boot does not reach the marker.  Raw numbers:
# BUILD/bench/results.txt; consoles: BUILD/bench/console/.
#
# Then BENCH_ICOUNT_ROUNDS (3) rounds again under QEMU's -icount, whose
# guest clock counts instructions: a second table that the host's load
# does not move (build/bench/table-icount.txt).
#
# Then LUKS (BENCH_LUKS=0 skips it): the luks2-ext4 fixture with the marker's
# root inside, evbox (host-only for a target with a crypttab) and
# initramfs-tools with cryptsetup-initramfs (installed by the setup step; a
# temporary `initramfs` line in the host's /etc/crypttab, put back on
# exit), BENCH_LUKS_ROUNDS (BENCH_ROUNDS) boots each, the passphrase typed
# by the harness: init minus the time the guest waited for it
# (build/bench/table-luks.txt).
#
# Then md RAID1 (BENCH_MD=0 skips it): the raid1-ext4 fixture (two disks,
# metadata 1.2) with the marker's root on the array, booted complete (both
# members) and degraded (raid1a alone), BENCH_MD_ROUNDS (BENCH_ROUNDS)
# times each with three images, interleaved: evbox (host-only for a target
# whose mdadm.conf has the ARRAY line), the floor built to assemble the
# array itself (md ioctls; degraded: at once, with the one member) and
# initramfs-tools with mdadm's hook (mdadm installed by the setup step; a
# temporary ARRAY line in the host's /etc/mdadm/mdadm.conf, put back on
# exit).  Targets: complete within 1.25x of the floor, degraded within
# rd.md.degraded_wait + 1 s of complete (build/bench/table-md.txt); then
# BENCH_MD_ICOUNT_ROUNDS (3) rounds of the same under -icount
# (build/bench/table-md-icount.txt).
#
# Then the stack (BENCH_STACK=0 skips it): md -> LUKS2 -> LVM -> ext4 with
# the marker's root on the LV, complete (raid1-luks2-lvm-ext4, both disks)
# and degraded (raid5-luks2-lvm-ext4, 2 of its 3 disks), BENCH_STACK_ROUNDS
# (BENCH_ROUNDS) times each with two images, interleaved: evbox (host-only
# for a target with the crypttab line and the fstab; raid1 / raid456 as
# modules, as the VM rows stack_md_luks_lvm and stack_raid5_degraded make
# theirs) and initramfs-tools with the cryptsetup-initramfs, mdadm and
# lvm2 hooks (lvm2 installed by the setup step; temporary lines in the
# host's /etc/crypttab and /etc/mdadm/mdadm.conf, put back on exit).  The
# passphrase is typed by the harness and its wait subtracted, as for LUKS.
# Targets: evbox's init at least 4x shorter than itools', complete and
# degraded (build/bench/table-stack.txt); then BENCH_STACK_ICOUNT_ROUNDS
# (2) rounds under -icount (build/bench/table-stack-icount.txt).
#
# Then network roots (BENCH_NET=0 skips them; issue 13): the test bed's
# server VM (testsuite/vm/netbed.sh: Debian's nfs-kernel-server, dnsmasq,
# nbd-server), started once with max(BENCH_NET_CLIENTS) NICs, and clients
# on its ports over 127.0.0.1.  One evbox image (mkinitramfs -N) boots
#   ltsp  root=/dev/nfs nfsroot=192.168.50.1:/srv/ltsp ltsp.image=images/x86_64.img
#   nfs3  root=/dev/nfs nfsroot=192.168.50.1:/srv/nfsroot
#   nfs4  root=nfs4:192.168.50.1:/srv/nfsroot
#   nbd   root=nbd:192.168.50.1:10809/root:ext4
# all with ip=dhcp; initramfs-tools (MODULES=netboot, its mode for network
# clients) boots nfs3 (an image with BOOT=nfs, klibc's ipconfig and
# nfsmount) and nbd (nbd-client's hook, installed by the setup step:
# nbdroot=192.168.50.1,root,nbd0 root=/dev/nbd0); it has no
# ltsp.image= and no NFSv4 (klibc's nfsmount speaks v2/v3 only): those
# rows say so, with no number.  BENCH_NET_ROUNDS (BENCH_ROUNDS) rounds,
# interleaved.  Then the lab: N clients (each of BENCH_NET_CLIENTS, "1 4")
# started at once, evbox ltsp, evbox nfs3 and itools nfs3 in turn: the
# time until the last client's real root.  The server's dnsmasq runs with
# no-ping (BENCH_NET_PING=1: its default ping check, which delays the
# first offer to a client it has no lease for by 3 s), so that every boot
# sees the same server.  The real root's marker is the
# served tree's /sbin/init (testsuite/vm/root/init): its EVBOX-CLOCK line
# in the kernel log.  Targets: evbox's NFS and NBD roots at least 8x
# shorter than itools' (init), NFSv4 within 1.10x of NFSv3
# (build/bench/table-net.txt); then BENCH_NET_ICOUNT_ROUNDS (2) rounds of
# the single boots with the clients under -icount (the server is not:
# table-net-icount.txt).  A boot's deadline: BENCH_NET_SECONDS (240).
#
# Environment: BENCH_ROUNDS (5), BENCH_NICE (a nice value for QEMU, e.g.
# -10 on a busy host), BENCH_REBUILD=1 (make the initramfs-tools images
# again), BENCH_BASELINE (see above), BENCH_PLAIN=0 (skip the plain and
# -icount tables), BENCH_LUKS=0, BENCH_MD=0, BENCH_STACK=0,
# BENCH_MD_SECONDS and BENCH_STACK_SECONDS (the deadline of one md or
# stack boot, 180), BENCH_NET=0, BENCH_NET_CLIENTS, BENCH_NET_ROUNDS,
# BENCH_NET_ICOUNT_ROUNDS, BENCH_NET_SECONDS, BENCH_NET_PING=1.
#
# Needs root (or sudo) for the initramfs-tools image: mkinitramfs reads
# /lib/modules/VERSION and /boot/config-VERSION, which are made as
# hard-link copies from BUILD for that time and removed on exit.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BUILD BUSYBOX" >&2; exit 2; }
build=$(realpath "$1") bb=$(realpath "$2")
top=$(cd "$(dirname "$0")/.." && pwd)
vm=$top/scripts/vm
work=$build/bench
# QEMU and the console script: what the VM scenarios use (vm_start, vmconsole)
. "$vm/vmlib.sh"
uuid=be4c0000-e7b0-4c5a-9d1e-000000000001
rounds=${BENCH_ROUNDS:-5}
names="evbox floor itools"
base_bb=''
if [ -n "${BENCH_BASELINE:-}" ]; then
	base_bb=$(realpath "$BENCH_BASELINE") && [ -x "$base_bb" ] ||
		{ echo "bench: BENCH_BASELINE=$BENCH_BASELINE: no such binary" >&2; exit 2; }
	names="evbox evbox-base floor itools"
fi
cmdline="root=UUID=$uuid"	# vm_start adds: console=ttyS0 printk.time=1 panic=-1
# the floor's modules, in load order (.modinfo depends= decides it)
floor_modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev
	virtio_pci virtio_blk crc16 mbcache jbd2 crc32c_generic ext4"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1700000000}"

SUDO=''
[ "$(id -u)" = 0 ] || SUDO=sudo
say() { echo "bench: $*"; }
die() { echo "bench: $*" >&2; exit 1; }

# ---- setup: the bench's own host packages (not the product's) ------------
setup()
{
	missing=''
	# mdadm: its initramfs-tools hook (and, as on any Debian system that
	# has it, an udev rule and monitoring services, which start only where
	# /proc/mdstat exists: not on a host without md)
	# lvm2: its hook (and, like mdadm, its udev rules and services; the
	# stack section's)
	md_pkg=''
	[ "${BENCH_MD:-1}" = 0 ] && [ "${BENCH_STACK:-1}" = 0 ] || md_pkg=mdadm
	[ "${BENCH_STACK:-1}" = 0 ] || md_pkg="$md_pkg lvm2"
	# nbd-client: its initramfs-tools hook (the net section's; the hook
	# then adds nbd and the NIC drivers to every initramfs-tools image,
	# as on any Debian system that has the package)
	[ "${BENCH_NET:-1}" = 0 ] || md_pkg="$md_pkg nbd-client"
	for p in initramfs-tools cryptsetup-initramfs $md_pkg busybox zstd gcc cpio fdisk e2fsprogs qemu-system-x86; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	say "installing$missing"
	# busybox and zstd are what initramfs-tools-core recommends: a default
	# Debian install has them, so its image is the usual one
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends $missing >&2
}

# ---- the disk and its root ------------------------------------------------
make_disk()	# -> $work/disk.img, $work/root (the tree)
{
	mkdir -p "$work/root/sbin" "$work/root/etc"
	for d in dev proc sys run root tmp; do mkdir -p "$work/root/$d"; done
	cp "$work/marker" "$work/root/sbin/init"
	# what a host-only builder reads: the root's own fstab
	echo "UUID=$uuid / ext4 ro 0 0" > "$work/root/etc/fstab"

	rm -f "$work/disk.img"
	truncate -s 64M "$work/disk.img"
	printf 'label: gpt\nstart=2048, type=linux, name=benchroot\n' |
		sfdisk -q "$work/disk.img"
	# start and size of partition 1, in sectors
	# shellcheck disable=SC2046
	set -- $(sfdisk -d "$work/disk.img" |
		sed -n 's/^[^:]*1 : start= *\([0-9]*\), size= *\([0-9]*\),.*/\1 \2/p')
	[ $# = 2 ] || die "no partition 1 in $work/disk.img"
	rm -f "$work/part.img"
	truncate -s $(($2 * 512)) "$work/part.img"
	mkfs.ext4 -q -F -U "$uuid" -L benchroot -E root_owner=0:0 \
		-d "$work/root" "$work/part.img"
	dd if="$work/part.img" of="$work/disk.img" bs=512 seek="$1" \
		conv=notrunc,sparse status=none
	rm -f "$work/part.img"
}

# ---- the three images -------------------------------------------------------
cpio_gz()	# DIR OUT: a reproducible gzip'd newc cpio (sorted, 0:0, fixed mtimes)
{
	(cd "$1" &&
	 find . -mindepth 1 -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} + &&
	 find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	 cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -n -9 > "$2"
}

# The evbox image: scripts/mkinitramfs -H, host-only for the bench disk's
# root (its /etc/fstab), with the configuration's options; evmount (the
# job init/mountall.conf) finds root=UUID=.  BUSYBOX: the binary (default
# the one benched).
evbox_image()	# OUT [BUSYBOX]
{
	set -- -q -b "${2:-$bb}" -o "$1" -k "$version" -M "$build/kernel" -H "$work/root" \
		-m "virtio_pci virtio_blk"
	config=${KCONFIG_CONFIG:-$top/.config}
	[ ! -r "$config" ] || set -- "$@" -c "$config"
	"$top/scripts/mkinitramfs" "$@"
}

floor_image()	# OUT BINARY "MODULES": the floor BINARY as /init, the modules as /m/NAME.ko
{
	s=$work/floor-stage
	rm -rf "$s"
	mkdir -p "$s/m" "$s/dev" "$s/proc" "$s/sys" "$s/root"
	cp "$2" "$s/init"
	for m in $3; do
		ko=$(find "$moddir/kernel" -name "$m.ko" | head -n 1)
		[ -n "$ko" ] || die "no module $m in $moddir"
		cp "$ko" "$s/m/$m.ko"
	done
	cpio_gz "$s" "$1"
	rm -rf "$s"
}

# floor_build OUT "MODULES" [CFLAGS...]: bench/floor.c for those modules
floor_build()
{
	o=$1 m=$2
	shift 2
	gcc -static -Os -Wall -o "$o" "$top/bench/floor.c" \
		-DFLOOR_MODULES="\"$(echo "$m" | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//')\"" "$@"
	strip "$o"
}

# initramfs-tools reads /lib/modules/VERSION (with modules.dep) and
# /boot/config-VERSION of the host.  For the time of mkinitramfs they are
# made there (hard links of BUILD's copy, which has its own depmod, so the
# kernel tree is not written to) and removed on exit.  Not symlinks:
# mkinitramfs would copy the symlinks' targets into the image too.
made=''
unmake_host()
{
	for p in $made; do
		case $p in
		*/) $SUDO rmdir "$p" 2>/dev/null || true ;;
		*) $SUDO rm -rf "$p" ;;
		esac
	done
	made=''
}
make_host()	# SOURCE PATH: a hard-link copy of SOURCE at PATH, which must not exist
{
	if [ -e "$2" ] || [ -L "$2" ]; then
		die "$2 exists on this host; not replacing it"
	fi
	if [ ! -d "$(dirname "$2")" ]; then
		$SUDO mkdir -p "$(dirname "$2")"
		made="$(dirname "$2")/ $made"
	fi
	made="$2 $made"
	$SUDO cp -al "$1" "$2" 2>/dev/null || $SUDO cp -a "$1" "$2"
}

# The host's files that initramfs-tools' hooks read (cryptsetup-initramfs's
# /etc/crypttab, mdadm's /etc/mdadm/mdadm.conf): host_append adds a line
# for the time of mkinitramfs, restore_host puts each file back as it was
# (or removes it when there was none), on exit too.
host_saved=''	# FILE=COPY ..., COPY ending in .absent: there was no FILE
host_append()	# FILE LINE
{
	s=$work/host$(echo "$1" | tr / _)
	rm -f "$s.saved" "$s.absent"
	if [ -e "$1" ]; then
		cp -p "$1" "$s.saved"
		host_saved="$host_saved $1=$s.saved"
	else
		host_saved="$host_saved $1=$s.absent"
	fi
	printf '%s\n' "$2" | $SUDO tee -a "$1" > /dev/null
}
restore_host()
{
	for p in $host_saved; do
		case ${p#*=} in
		*.saved) $SUDO cp -p "${p#*=}" "${p%%=*}" ;;
		*) $SUDO rm -f "${p%%=*}" ;;
		esac
	done
	host_saved=''
}

# itools_make OUT NAME "MODES" MODULE-ERE "LIST-ERES" [FILE LINE]...: an
# initramfs-tools image, the first of MODES (netboot, dep, most) whose image holds
# every module the ERE's alternatives name and, for each of LIST-ERES
# (space-separated), a path that it matches (cryptsetup's crypttab,
# mdadm, lvm); each LINE is added to the host's FILE (host_append) while
# mkinitramfs runs.  Sets built_mode.  The image is kept while the kernel,
# initramfs-tools, its hooks' packages, the lines, the host's
# /etc/initramfs-tools and the files the hooks read are the same
# (BENCH_REBUILD=1: make it again).  With itools_boot set, initramfs.conf
# has BOOT=$itools_boot (nfs).
itools_make()
{
	out=$1 name=$2 modes=$3 re=$4 listre=$5
	shift 5
	lines=''
	for a in "$@"; do lines="$lines $a"; done
	key="$version modes=$modes $(dpkg-query -W -f='${Version} ' initramfs-tools-core cryptsetup-initramfs mdadm lvm2 nbd-client 2>/dev/null)${itools_boot:+boot=$itools_boot}$lines $(cd /etc/initramfs-tools && find . -type f | LC_ALL=C sort | xargs cat | md5sum) $(cat /etc/crypttab /etc/mdadm/mdadm.conf 2>/dev/null | md5sum)"
	if [ -z "${BENCH_REBUILD:-}" ] && [ -s "$out" ] && [ -s "$out.key" ] &&
	   [ "$(sed -n 1p "$out.key")" = "$key" ]; then
		built_mode=$(sed -n 2p "$out.key")
		say "$name: initramfs-tools image unchanged (MODULES=$built_mode)"
		return 0
	fi
	rm -f "$out" "$out.key"
	mods=$work/itools-modroot
	if [ ! -s "$mods/lib/modules/$version/modules.dep" ]; then
		rm -rf "$mods"
		mkdir -p "$mods/lib/modules"
		cp -al "$moddir" "$mods/lib/modules/$version" 2>/dev/null ||
			cp -a "$moddir" "$mods/lib/modules/$version"
		depmod -b "$mods" "$version"
	fi
	conf=$work/$name-conf
	rm -rf "$conf"
	cp -a /etc/initramfs-tools "$conf"
	echo "RESUME=none" > "$conf/conf.d/resume"
	# itools_boot=nfs: the image boots from NFS (initramfs.conf's BOOT=)
	if [ -n "${itools_boot:-}" ]; then
		sed -i '/^BOOT=/d' "$conf/initramfs.conf"
		echo "BOOT=$itools_boot" >> "$conf/initramfs.conf"
	fi

	trap 'restore_host; unmake_host' EXIT INT TERM
	while [ $# -ge 2 ]; do
		host_append "$1" "$2"
		shift 2
	done
	make_host "$mods/lib/modules/$version" "/lib/modules/$version"
	make_host "$build/kernel/boot/config-$version" "/boot/config-$version"
	want=$(echo "$re" | awk -F'[|]' '{ print NF }')
	built_mode=''
	for mode in $modes; do
		sed -i "s/^MODULES=.*/MODULES=$mode/" "$conf/initramfs.conf"
		rm -f "$out"
		say "$name: mkinitramfs MODULES=$mode"
		if ! mkinitramfs -d "$conf" -o "$out" "$version" > "$work/$name-$mode.log" 2>&1; then
			say "$name: initramfs-tools MODULES=$mode failed (see $work/$name-$mode.log)"
			continue
		fi
		# dep looks at this host's root device, not the VM's: keep its
		# image only if it holds what the bench disk needs
		lsinitramfs "$out" > "$work/$name.list"
		have=$(sed -En "s,.*/($re)\.ko\$,\1,p" "$work/$name.list" | sort -u | wc -l)
		lacks=''
		for l in $listre; do
			grep -Eq "$l" "$work/$name.list" || lacks="$lacks $l"
		done
		if [ "$have" = "$want" ] && [ -z "$lacks" ]; then
			built_mode=$mode
			break
		fi
		say "$name: initramfs-tools MODULES=$mode: its image lacks one of $re${lacks:+ or one of$lacks}"
	done
	restore_host
	unmake_host
	trap - EXIT INT TERM
	[ -n "$built_mode" ] || die "$name: initramfs-tools made no usable image"
	printf '%s\n%s\n' "$key" "$built_mode" > "$out.key"
}

# ---- sizes --------------------------------------------------------------------
compression()	# IMAGE
{
	case $(od -An -tx1 -N4 "$1" | tr -d ' ') in
	1f8b*) echo gzip ;; 28b52ffd) echo zstd ;; fd377a58) echo xz ;;
	04224d18|02214c18) echo lz4 ;; 30373037) echo cpio+ ;; *) echo '?' ;;
	esac
}

unpacked_size()	# IMAGE: bytes of the cpio (a compressed one, or plain + compressed)
{
	magic=$(od -An -tx1 -N4 "$1" | tr -d ' ')
	case $magic in
	1f8b*)    gzip -dc "$1" | wc -c ;;
	28b52ffd) zstd -dc "$1" | wc -c ;;
	fd377a58) xz -dc "$1" | wc -c ;;
	30373037) # plain cpio first (early microcode): unmkinitramfs would split
		  # it; count with the kernel's view, the sum of the parts
		  d=$(mktemp -d); unmkinitramfs "$1" "$d" >/dev/null 2>&1
		  du -sb --apparent-size "$d" | cut -f1; rm -rf "$d" ;;
	*) echo "?" ;;
	esac
}

# ---- one boot -------------------------------------------------------------------
# boot_marker NAME ROUND IMAGE LOG RESULTS DEADLINE CMDLINE DISK...: boot
# IMAGE with the DISKs until the real root's marker (at most DEADLINE
# seconds), the console in LOG; appends "NAME ROUND run= marker= init=
# uptime= boottime=" to RESULTS.  With boot_prompt set the harness types
# the passphrase 0.5 s after that prompt, and the line ends with " wait=
# net= netup=" (wait: the prompt seen -> the passphrase typed, by the
# host's clock; net = init - wait, netup = boottime - wait).  A boot that
# does not reach the marker ends the bench.
boot_prompt=''
boot_marker()
{
	name=$1 round=$2 img=$3 log=$4 out=$5 secs=$6 append=$7
	shift 7
	d=$work/boot/$name-$round
	rm -rf "$d"
	mkdir -p "$d"
	ln -s "$img" "$d/initrd.img"
	vm_start "$d" "$append" "$@"
	set --
	[ -z "$boot_prompt" ] ||
		set -- -s "$d/stamps" "expect=$boot_prompt" pause=0.5 "send=$luks_pass"
	rc=0
	# the marker's line, then its power-off: the whole line is in the log
	"$build/vm/vmconsole" -c "$d/console" -m "$d/monitor" -p "$vm_pid" -l "$log" \
		-t "$secs" "$@" "expect=BENCH-MARKER pid=1 " eof \
		2> "$d/vmconsole.err" || rc=$?
	vm_stop
	if [ $rc != 0 ] || ! grep -q 'BENCH-MARKER pid=1 ' "$log"; then
		echo "bench: $name boot $round did not reach the real root's marker within $secs s: $(tail -n 1 "$d/vmconsole.err")" >&2
		echo "--- last lines of $log" >&2
		tail -n 25 "$log" >&2
		exit 1
	fi
	wait=''
	[ -z "$boot_prompt" ] ||
		wait=$(awk '$1 == 1 { p = $2 } $1 == 3 { s = $2 } END { printf "%.6f", s - p }' "$d/stamps")
	# [   1.234567] Run /init as init process  ...  [   1.678901] bench: real root reached
	awk -v name="$name" -v round="$round" -v wait="$wait" '
		function ts(l) { sub(/^\[ */, "", l); sub(/\].*/, "", l); return l + 0 }
		/Run \/init as init process/ { run = ts($0) }
		/bench: real root reached/ { mark = ts($0) }
		/^BENCH-MARKER / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
		END {
			if (run == "" || mark == "") { print "bench: no timestamps in console" > "/dev/stderr"; exit 1 }
			printf "%s %d run=%.6f marker=%.6f init=%.6f uptime=%s boottime=%s",
				name, round, run, mark, mark - run, v["uptime"], v["boottime"]
			if (wait != "")
				printf " wait=%.6f net=%.6f netup=%.6f", wait, mark - run - wait, v["boottime"] - wait
			printf "\n"
		}' "$log" >> "$out" ||
		die "$name boot $round: could not read the timestamps in $log"
}

boot_one()	# NAME ROUND [RESULTS]: the plain disk; a line in RESULTS (results.txt)
{
	boot_marker "$1" "$2" "$work/$1.img" "$work/console/$1-$2${vm_flags:+-icount}.log" \
		"${3:-$work/results.txt}" "${BENCH_SECONDS:-120}" "$cmdline" "$work/disk.img"
}

# awk functions the tables share: the median, min and max of a[n, 1..cnt[n]],
# and the samples as one line
awk_stats='
	function median(a, n,    m, i, j, t, x) {
		m = cnt[n]
		for (i = 1; i <= m; i++) x[i] = a[n, i]
		for (i = 2; i <= m; i++)	# insertion sort, m is small
			for (j = i; j > 1 && x[j-1] > x[j]; j--) { t = x[j]; x[j] = x[j-1]; x[j-1] = t }
		return m % 2 ? x[(m+1)/2] : (x[m/2] + x[m/2+1]) / 2
	}
	function least(a, n,    i, x) {
		x = a[n, 1]
		for (i = 2; i <= cnt[n]; i++) if (a[n, i] < x) x = a[n, i]
		return x
	}
	function most(a, n,    i, x) {
		x = a[n, 1]
		for (i = 2; i <= cnt[n]; i++) if (a[n, i] > x) x = a[n, i]
		return x
	}
	function samples(a, n,    s, i) {
		s = ""
		for (i = 1; i <= cnt[n]; i++) s = s sprintf("%s%.2f", i > 1 ? " " : "", a[n, i])
		return s
	}
'

# ---- the table ----------------------------------------------------------------------
table()	# RESULTS
{
	awk -v itools_mode="$itools_mode" -v images="$names" "$awk_stats"'
		/^# size / { split($4, c, "="); split($5, u, "="); split($6, f, "=")
			csize[$3] = c[2]; usize[$3] = u[2]; fmt[$3] = f[2]; next }
		/^#/ { next }
		{
			n = $1
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]; init[n, k] = v["init"]; up[n, k] = v["boottime"]; run[n, k] = v["run"]
		}
		# the boots of A and B paired by round: the median of the ratios
		# (steadier than the ratio of the medians when the host load drifts)
		function by_round(a, b, what,    k, r) {
			for (k = 1; k <= cnt[b]; k++)
				r["r", k] = what == "init" ? init[a, k] / init[b, k] : up[a, k] / up[b, k]
			cnt["r"] = cnt[b]
			return median(r, "r")
		}
		END {
			nn = split(images, names, " ")
			printf "\n%-10s %-5s %9s %9s %7s %7s %7s  %-29s %s\n", "image", "comp", "packed", "cpio",
				"kernel", "init", "uptime", "init samples (s)", "uptime samples (s)"
			for (i = 1; i <= nn; i++) {
				n = names[i]
				mi[n] = median(init, n); mu[n] = median(up, n)
				printf "%-10s %-5s %9s %9s %7.3f %7.3f %7.3f  %-29s %s\n", n, fmt[n], csize[n], usize[n],
					median(run, n), mi[n], mu[n], samples(init, n), samples(up, n)
			}
			printf "\nsizes in bytes; medians of %d boots each, interleaved; kernel = uptime at Run /init\n", cnt["floor"]
			printf "init = Run /init -> the real root marker (printk clock); uptime = CLOCK_BOOTTIME at the marker\n"
			printf "itools = initramfs-tools, MODULES=%s\n\n", itools_mode
			ri = mi["evbox"] / mi["floor"]; ru = mu["evbox"] / mu["floor"]
			printf "evbox/floor init:   %.2fx  (target <= 1.25x)  %s\n", ri, ri <= 1.25 ? "MET" : "NOT MET"
			printf "evbox/floor uptime: %.2fx  (target <= 1.15x)  %s\n", ru, ru <= 1.15 ? "MET" : "NOT MET"
			printf "itools/floor:       %.2fx init, %.2fx uptime\n", mi["itools"] / mi["floor"], mu["itools"] / mu["floor"]
			printf "evbox/floor by round (median of the per-round ratios): %.2fx init, %.2fx uptime\n",
				by_round("evbox", "floor", "init"), by_round("evbox", "floor", "uptime")
			if (cnt["evbox-base"]) {
				printf "evbox/evbox-base:   %.2fx init, %.2fx uptime (medians); by round: %.2fx init, %.2fx uptime\n",
					mi["evbox"] / mi["evbox-base"], mu["evbox"] / mu["evbox-base"],
					by_round("evbox", "evbox-base", "init"), by_round("evbox", "evbox-base", "uptime")
			}
		}' "$1"
}

# ---- LUKS: the same two initramfs systems, a passphrase typed --------------
# The luks2-ext4 fixture (LUKS2, pbkdf2 at 1000 iterations, made in a VM by
# testsuite/vm/fixture.sh) with the marker's root inside.  evbox: the image
# the VM scenarios use (scripts/vm/vmlib.sh make_image: host-only for a
# target whose crypttab names the device); itools: initramfs-tools with
# cryptsetup-initramfs, whose hook reads the host's /etc/crypttab: one line
# with the `initramfs` option is added there while mkinitramfs runs, and
# the file is put back as it was on exit.  The harness (vmconsole) types
# the passphrase 0.5 s after the prompt (both flush their input after
# printing it).  Reported: init (Run /init -> marker, printk clock), wait
# (the host's time from the prompt seen to the passphrase typed: without
# -icount the guest's clock is the host's) and init - wait.  The KDF
# (1000 pbkdf2-sha256 iterations, milliseconds) is counted in.
luks_uuid=5e1f0100-e7b0-4c5a-9d1e-000000000001
luks_fs=5e1f0100-e7b0-4c5a-9d1e-000000000002
luks_pass=evbox-test

luks_boot()	# NAME ROUND PROMPT -> a line in $work/results-luks.txt
{
	vm_flags='' boot_prompt=$3
	boot_marker "$1" "$2" "$work/$1-luks.img" "$work/console/$1-luks-$2.log" \
		"$work/results-luks.txt" "${BENCH_SECONDS:-120}" "$cmdline_luks" "$luks_disk"
	boot_prompt=''
}

luks_table()	# RESULTS
{
	awk "$awk_stats"'
		/^#/ { next }
		{
			n = $1; if (!(n in cnt)) order[++names] = n
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]; init[n, k] = v["init"]; wait[n, k] = v["wait"]; net[n, k] = v["net"]
		}
		END {
			printf "\n%-7s %7s %7s %9s  %s\n", "image", "init", "wait", "init-wait", "init-wait samples (s)"
			for (i = 1; i <= names; i++) {
				n = order[i]
				printf "%-7s %7.3f %7.3f %9.3f  %s\n", n, median(init, n), median(wait, n),
					median(net, n), samples(net, n)
			}
			printf "\nmedians of %d boots each, interleaved; init = Run /init -> the real root marker;\n", cnt[order[1]]
			printf "wait = the prompt seen -> the passphrase typed (0.5 s after it); the KDF (pbkdf2, 1000 iterations) is in init-wait\n"
			if (cnt["evbox"] && cnt["itools"])
				printf "itools/evbox init-wait: %.2fx\n", median(net, "itools") / median(net, "evbox")
		}' "$1"
}

# ---- md RAID1: the array complete and degraded -------------------------------
# The raid1-ext4 fixture (testsuite/vm/fixtures/raid1-ext4.recipe: two 32
# MiB disks, an md RAID1 over both, metadata 1.2, name evbox:root, made in a
# VM by Debian's mdadm) with the marker's root on the array.  Complete: both
# disks; degraded: raid1a alone.  Three images, each booted in both cases:
#   evbox   the image builder's (make_image, as the VM scenarios make it)
#           for a target whose fstab names the root (the array's ext4) and
#           whose /etc/mdadm/mdadm.conf has the ARRAY line: md_mod and raid1
#           come from its level=; degraded, evraid starts the array after
#           the default rd.md.degraded_wait= (EVRAID_DEGRADED_WAIT)
#   floor   floor.c built to assemble md0 itself: floor-md from vda and
#           vdb, floor-md1 from vda alone (degraded at once, no wait), with
#           md-mod and raid1 besides the plain floor's modules
#   itools  initramfs-tools with mdadm's hook, which reads the host's
#           /etc/mdadm/mdadm.conf: the ARRAY line is added there while
#           mkinitramfs runs, and the file is put back as it was on exit.
#           Degraded, its own rule starts the array: mdadm --run in the
#           20th round (2/3 of max(30, rootdelay)) of its 1 s wait for the
#           root
# Reported: init (Run /init -> marker) and uptime at the marker, medians
# with min and max; every boot has a deadline (BENCH_MD_SECONDS, 180).
md_uuid=5e1f0400:e7b04c5a:9d1e0000:00000001
md_fs=5e1f0400-e7b0-4c5a-9d1e-000000000002
md_line="ARRAY /dev/md/root level=raid1 metadata=1.2 num-devices=2 UUID=$md_uuid name=evbox:root"
md_modules="$floor_modules md-mod raid1"

md_boot()	# NAME CASE ROUND [icount] -> a line "NAME.CASE ROUND ..." in $work/results-md.txt
{		# (results-md-icount.txt with icount)
	img=$work/$1-md.img
	[ "$1.$2" != floor.degraded ] || img=$work/floor-md1.img
	disks=$md_a
	[ "$2" != complete ] || disks="$md_a $md_b"
	# shellcheck disable=SC2086
	boot_marker "$1.$2" "$3" "$img" "$work/console/$1-md-$2-$3${4:+-$4}.log" "$work/results-md${4:+-$4}.txt" \
		"${BENCH_MD_SECONDS:-180}" "$cmdline_md" $disks
}

md_table()	# RESULTS
{
	awk -v wait="$md_wait" "$awk_stats"'
		/^# size / { split($4, cz, "="); split($5, uz, "="); csize[$3] = cz[2]; usize[$3] = uz[2]; next }
		/^#/ { next }
		{
			n = $1
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]; init[n, k] = v["init"]; up[n, k] = v["boottime"]
		}
		END {
			printf "\n%-6s %-8s %8s %9s %7s %13s %7s %13s  %s\n", "image", "case", "packed", "cpio",
				"init", "(min-max)", "uptime", "(min-max)", "init samples (s)"
			for (c = 1; c <= 2; c++) for (i = 1; i <= 3; i++) {
				im = i == 1 ? "evbox" : i == 2 ? "floor" : "itools"
				cs = c == 1 ? "complete" : "degraded"
				n = im "." cs
				img = n == "floor.degraded" ? "floor-md1" : im "-md"
				mi[n] = median(init, n); mu[n] = median(up, n)
				printf "%-6s %-8s %8s %9s %7.3f %6.2f-%-6.2f %7.3f %6.2f-%-6.2f  %s\n", im, cs,
					csize[img], usize[img], mi[n], least(init, n), most(init, n),
					mu[n], least(up, n), most(up, n), samples(init, n)
			}
			printf "\nsizes in bytes; medians (min-max) of %d boots each, interleaved\n", cnt["floor.complete"]
			printf "init = Run /init -> the real root marker (printk clock); uptime = CLOCK_BOOTTIME at the marker\n\n"
			ri = mi["evbox.complete"] / mi["floor.complete"]
			ru = mu["evbox.complete"] / mu["floor.complete"]
			printf "complete, evbox/floor init:   %.2fx  (target <= 1.25x)  %s\n", ri, ri <= 1.25 ? "MET" : "NOT MET"
			printf "complete, evbox/floor uptime: %.2fx  (target <= 1.15x)  %s\n", ru, ru <= 1.15 ? "MET" : "NOT MET"
			for (i = 1; i <= 3; i++) {
				im = i == 1 ? "evbox" : i == 2 ? "floor" : "itools"
				d[im] = mi[im ".degraded"] - mi[im ".complete"]
			}
			printf "degraded - complete, evbox:  %5.2f s init  (target <= rd.md.degraded_wait %s + 1 s)  %s\n",
				d["evbox"], wait, d["evbox"] <= wait + 1 ? "MET" : "NOT MET"
			printf "degraded - complete, floor:  %5.2f s init  (the floor starts it at once)\n", d["floor"]
			printf "degraded - complete, itools: %5.2f s init  (its rule: mdadm --run in the 20th 1 s round)\n", d["itools"]
			printf "itools/floor complete: %.2fx init; itools/evbox degraded: %.2fx init\n",
				mi["itools.complete"] / mi["floor.complete"], mi["itools.degraded"] / mi["evbox.degraded"]
		}' "$1"
}

# ---- the stack: md -> LUKS2 -> LVM -> ext4, complete and degraded ----------
# Two fixtures with the marker's root on the LV (testsuite/vm/fixture.sh):
#   complete  raid1-luks2-lvm-ext4: md RAID1 (1.2, evbox:stack) over both
#             disks, LUKS2 $stack_uuid on the array, PV, VG evboxstack, LV
#             root, ext4 $stack_fs
#   degraded  raid5-luks2-lvm-ext4: md RAID5 (1.2, evbox:rluks) over three
#             disks, booted with a and b only; LUKS2 $rluks_uuid on it, VG
#             evboxrl, LV root, ext4 $rluks_fs
# Two images each, booted interleaved:
#   evbox   make_image for a target whose crypttab names the LUKS UUID and
#           whose fstab names the root (as the VM rows stack_md_luks_lvm
#           and stack_raid5_degraded make theirs): raid1 / raid456 as
#           modules, dm_mod from the crypttab; degraded, evraid starts the
#           array after rd.md.degraded_wait= (the default)
#   itools  initramfs-tools with the hooks of cryptsetup-initramfs (a
#           `luks,initramfs` line in the host's /etc/crypttab), mdadm (the
#           ARRAY line in /etc/mdadm/mdadm.conf) and lvm2 (its udev rules
#           activate the VG), both files put back on exit
# The passphrase is typed 0.5 s after the prompt (boot_marker); reported:
# init and uptime minus that wait, medians with min and max.  Targets:
# evbox's init at least 4x shorter than itools', complete and degraded.
stack_md=5e1f0700:e7b04c5a:9d1e0000:00000001
stack_uuid=5e1f0700-e7b0-4c5a-9d1e-000000000003
stack_fs=5e1f0700-e7b0-4c5a-9d1e-000000000002
rluks_md=5e1f0504:e7b04c5a:9d1e0000:00000001
rluks_uuid=5e1f0504-e7b0-4c5a-9d1e-000000000003
rluks_fs=5e1f0504-e7b0-4c5a-9d1e-000000000002

# stack_images SUFFIX MODULE CRYPTNAME LUKS-UUID ARRAY-LINE: evbox-SUFFIX.img
# (the VM rows' image for $work/SUFFIX-target: the fstab of the fixture's
# root $work/SUFFIX-root, the crypttab line, MODULE) and itools-SUFFIX.img
# (the crypttab line with `initramfs` and the ARRAY line in the host's
# files); appends itools' MODULES= to stack_modes
stack_images()
{
	t=$work/$1-target
	mkdir -p "$t/etc"
	cp "$work/$1-root/etc/fstab" "$t/etc/fstab"
	echo "$3 UUID=$4 none luks" > "$t/etc/crypttab"
	say "making the evbox $1 image"
	vm_extra_modules=$2 make_image "$work/evbox-$1.img" "$t" > "$work/evbox-$1.log" 2>&1 ||
		{ cat "$work/evbox-$1.log" >&2; die "cannot make the evbox $1 image"; }
	say "making the initramfs-tools $1 image"
	itools_make "$work/itools-$1.img" "itools-$1" "$itools_mode most" \
		"virtio_blk|virtio_pci|ext4|dm-mod|dm-crypt|md-mod|$2" \
		'cryptroot/crypttab$ sbin/mdadm$ sbin/lvm$' \
		/etc/crypttab "$3 UUID=$4 none luks,initramfs" /etc/mdadm/mdadm.conf "$5"
	stack_modes="$stack_modes${stack_modes:+ / }$built_mode"
}

stack_boot()	# NAME CASE ROUND [icount] -> "NAME.CASE ROUND ..." in $work/results-stack[-icount].txt
{
	if [ "$2" = complete ]; then
		img=$work/$1-stack.img sappend="root=UUID=$stack_fs" sname=cryptstack sdisks=$stack_disks
	else
		img=$work/$1-stack5.img sappend="root=UUID=$rluks_fs" sname=cryptrl sdisks=$rluks_disks
	fi
	boot_prompt="Please unlock disk $sname: "
	[ "$1" != evbox ] || boot_prompt="Passphrase for /dev/md127 ($sname): "
	# shellcheck disable=SC2086
	boot_marker "$1.$2" "$3" "$img" "$work/console/$1-stack-$2-$3${4:+-$4}.log" \
		"$work/results-stack${4:+-$4}.txt" "${BENCH_STACK_SECONDS:-180}" "$sappend" $sdisks
	boot_prompt=''
}

stack_table()	# RESULTS
{
	awk "$awk_stats"'
		/^# size / { split($4, cz, "="); split($5, uz, "="); csize[$3] = cz[2]; usize[$3] = uz[2]; next }
		/^#/ { next }
		{
			n = $1
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]; init[n, k] = v["net"]; up[n, k] = v["netup"]; wait[n, k] = v["wait"]
		}
		END {
			printf "\n%-6s %-8s %8s %9s %7s %13s %7s %13s %5s  %s\n", "image", "case", "packed", "cpio",
				"init", "(min-max)", "uptime", "(min-max)", "wait", "init samples (s)"
			for (c = 1; c <= 2; c++) for (i = 1; i <= 2; i++) {
				im = i == 1 ? "evbox" : "itools"
				cs = c == 1 ? "complete" : "degraded"
				n = im "." cs
				img = im (c == 1 ? "-stack" : "-stack5")
				mi[n] = median(init, n); mu[n] = median(up, n)
				printf "%-6s %-8s %8s %9s %7.3f %6.2f-%-6.2f %7.3f %6.2f-%-6.2f %5.2f  %s\n", im, cs,
					csize[img], usize[img], mi[n], least(init, n), most(init, n),
					mu[n], least(up, n), most(up, n), median(wait, n), samples(init, n)
			}
			printf "\nsizes in bytes; medians (min-max) of %d boots each, interleaved\n", cnt["evbox.complete"]
			printf "complete = RAID1 -> LUKS2 -> LVM -> ext4, both disks; degraded = RAID5 -> LUKS2 -> LVM -> ext4, 2 of 3 disks\n"
			printf "init = Run /init -> the real root marker (printk clock), uptime = CLOCK_BOOTTIME at the marker,\n"
			printf "both minus wait (the prompt seen -> the passphrase typed, 0.5 s after it, by the host clock)\n\n"
			rc = mi["itools.complete"] / mi["evbox.complete"]
			rd = mi["itools.degraded"] / mi["evbox.degraded"]
			printf "complete, itools/evbox init: %5.2fx  (target >= 4x)  %s\n", rc, (rc >= 4 ? "MET" : "NOT MET")
			printf "degraded, itools/evbox init: %5.2fx  (target >= 4x)  %s\n", rd, (rd >= 4 ? "MET" : "NOT MET")
			printf "itools/evbox uptime: %.2fx complete, %.2fx degraded\n",
				mu["itools.complete"] / mu["evbox.complete"], mu["itools.degraded"] / mu["evbox.degraded"]
		}' "$1"
}

# cases_boot LABEL ROUNDS "IMAGES" FUNCTION [icount]: ROUNDS rounds of
# FUNCTION IMAGE CASE ROUND [icount] for the complete and then the
# degraded case, the IMAGES in turn (under -icount with icount)
cases_boot()
{
	label=$1 nr=$2 imgs=$3 fn=$4 ic=${5:-}
	total=$((nr * 2 * $(echo "$imgs" | wc -w))) i=0
	vm_flags=''
	[ -z "$ic" ] || vm_flags=$vm_icount
	for r in $(seq 1 "$nr"); do
		for c in complete degraded; do
			for n in $imgs; do
				i=$((i + 1))
				note=''
				[ -n "$ic" ] || [ "$n.$c" != itools.degraded ] || note='; initramfs-tools waits 20+ s'
				say "$label${ic:+ $ic} boot $i/$total $n $c (round $r$note)"
				# shellcheck disable=SC2086
				"$fn" "$n" "$c" "$r" $ic
			done
		done
	done
	vm_flags=''
}

# cases_bench NAME "IMAGES" ROUNDS ICOUNT-ROUNDS TITLE: the boots of a
# section with two cases (NAME_boot, cases_boot), its table (NAME_table)
# from $work/results-NAME.txt (which holds its header) into
# table-NAME.txt; then ICOUNT-ROUNDS rounds of the same under -icount,
# whose guest clock counts instructions, so that the host's load does
# not move the ratios: results-NAME-icount.txt, table-NAME-icount.txt
cases_bench()
{
	res=$work/results-$1
	cases_boot "$1" "$3" "$2" "$1_boot"
	echo "# host load average after the boots: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$res.txt"
	{ grep '^# ' "$res.txt"; "$1_table" "$res.txt"; } | tee "$work/table-$1.txt"
	[ "$4" -gt 0 ] || return 0
	grep "^# " "$res.txt" > "$res-icount.txt"
	cases_boot "$1" "$4" "$2" "$1_boot" icount
	echo
	echo "$5 with -icount shift=0 (guest instructions, 1 ns each; independent of the host's load):"
	"$1_table" "$res-icount.txt" | tee "$work/table-$1-icount.txt"
}

header_sizes()	# IMAGE...: the host's lines and the images' sizes for a results file
{
	echo "# host: $(nproc) cores, load average before the boots: $(cut -d' ' -f1-3 /proc/loadavg)"
	for n in "$@"; do
		echo "# size $n compressed=$(stat -c %s "$work/$n.img") uncompressed=$(unpacked_size "$work/$n.img")"
	done
}

# marker_fixture DIR FS-UUID RECIPE: the marker's root tree in DIR (its
# fstab names UUID=FS-UUID) as the input of testsuite/vm/fixture.sh's
# RECIPE; prints the fixture's disks
marker_fixture()
{
	rm -rf "$1"
	for d in sbin etc dev proc sys run root tmp; do mkdir -p "$1/$d"; done
	cp "$work/marker" "$1/sbin/init"
	echo "UUID=$2 / ext4 ro 0 0" > "$1/etc/fstab"
	"$top/testsuite/vm/fixture.sh" -i "$1" "$build" "$3" || die "cannot make the $3 fixture"
}

# ---- network roots: the test bed's server, one client or N at once ----------
# The server VM (testsuite/vm/netbed.sh) is booted once with one NIC per
# port of net_ports; a client connects to one port with its own MAC (the
# test bed's DHCP answers by MAC: MAC-PREFIX:XX, the lab prefixes give the
# root-path of /srv/nfsroot or /srv/ltsp, 52:54:00:50:05:XX none).  A
# client's real root is a tree the server serves, whose /sbin/init
# (testsuite/vm/root/init) writes EVBOX-CLOCK uptime=U into the kernel log
# first: that line, stamped by the printk clock, is the marker here (the
# same init for both initramfs systems), and its U (/proc/uptime) the
# uptime.  Its EVBOX-ROOT-DONE and power-off end the boot.
net_mac_none=52:54:00:50:05
net_vms=''	# the QEMU and console-drain pids of the clients running
net_bed=''	# the server's directory while it runs
net_cleanup()
{
	for p in $net_vms; do kill "$p" 2>/dev/null || true; done
	for p in $net_vms; do wait "$p" 2>/dev/null || true; done
	net_vms=''
	[ -z "$net_bed" ] || { say "net: stopping the server VM"; netbed_stop "$net_bed"; }
	net_bed=''
}

# net_boot NAME ROUND RESULTS IMAGE CMDLINE MAC-PREFIX N [icount]: N
# clients of IMAGE started at once, on the first N ports (MACs
# MAC-PREFIX:01 ...), each until its real root's init is done (at most
# BENCH_NET_SECONDS, 240, for all together); appends "NAME ROUND
# clients=N init=LAST uptime=LAST inits=... uptimes=..." to RESULTS, LAST
# the largest of the clients' (init: Run /init -> the marker, printk clock;
# uptime: the marker's /proc/uptime).  A client that does not get there
# ends the bench (the trap stops the server and the clients).
net_boot()
{
	nc_dirs='' nc_i=0
	for nc_port in $(echo $net_ports | cut -d' ' -f1-"$7"); do
		nc_i=$((nc_i + 1))
		nc_d=$work/boot/net-$1-$2${8:+-icount}-$nc_i
		rm -rf "$nc_d"
		mkdir -p "$nc_d"
		ln -s "$4" "$nc_d/initrd.img"
		vm_flags="-netdev socket,id=n0,connect=127.0.0.1:$nc_port"
		vm_flags="$vm_flags -device virtio-net-pci,netdev=n0,mac=$6:$(printf %02x "$nc_i")"
		[ -z "${8:-}" ] || vm_flags="$vm_flags $vm_icount"
		vm_start "$nc_d" "$5"
		echo "$vm_pid $vm_cat" > "$nc_d/pids"
		net_vms="$net_vms $vm_pid $vm_cat"
		nc_dirs="$nc_dirs $nc_d"
	done
	vm_flags=''
	nc_i=0
	for nc_d in $nc_dirs; do
		nc_i=$((nc_i + 1))
		read -r nc_qemu nc_cat < "$nc_d/pids"
		"$build/vm/vmconsole" -c "$nc_d/console" -m "$nc_d/monitor" -p "$nc_qemu" \
			-l "$work/console/net-$1-$2${8:+-icount}-$nc_i.log" -t "${BENCH_NET_SECONDS:-240}" \
			expect=EVBOX-ROOT-DONE eof 2> "$nc_d/vmconsole.err" &
		echo $! > "$nc_d/console.pid"
	done
	nc_fail=''
	for nc_d in $nc_dirs; do
		nc_rc=0
		wait "$(cat "$nc_d/console.pid")" || nc_rc=$?
		[ "$nc_rc" = 0 ] || nc_fail="$nc_fail ${nc_d##*-}"
	done
	for nc_d in $nc_dirs; do
		read -r nc_qemu nc_cat < "$nc_d/pids"
		kill "$nc_qemu" "$nc_cat" 2>/dev/null || true
		wait "$nc_qemu" 2>/dev/null || true
		wait "$nc_cat" 2>/dev/null || true
	done
	net_vms=''
	nc_line="$1 $2 clients=$7" nc_all='' nc_i=0
	for nc_d in $nc_dirs; do
		nc_i=$((nc_i + 1))
		nc_log=$work/console/net-$1-$2${8:+-icount}-$nc_i.log
		# [   1.234567] Run /init as init process ... [   3.456789] EVBOX-CLOCK uptime=3.45
		nc_v=$(awk '
			function ts(l) { sub(/^.*\[ */, "", l); sub(/\].*/, "", l); return l + 0 }
			/Run \/init as init process/ && run == "" { run = ts($0) }
			/\] event switch-root / && sw == "" { l = $0; sub(/\] event switch-root .*/, "]", l); sw = ts(l) }
			/\] EVBOX-CLOCK uptime=/ && mark == "" {
				l = $0; sub(/\] EVBOX-CLOCK uptime=.*/, "]", l); mark = ts(l)
				u = $0; sub(/.*EVBOX-CLOCK uptime=/, "", u); sub(/[^0-9.].*/, "", u)
			}
			END {
				if (run == "" || mark == "") exit 1
				printf "%.6f %s %s\n", mark - run, u, sw == "" ? "-" : sprintf("%.3f", sw - run)
			}' "$nc_log") ||
			nc_fail="$nc_fail $nc_i"
		case " $nc_fail " in *" $nc_i "*)
			echo "bench: $1 round $2: client $nc_i of $7 did not reach its real root within ${BENCH_NET_SECONDS:-240} s: $(tail -n 1 "$nc_d/vmconsole.err")" >&2
			echo "--- last lines of $nc_log" >&2
			tail -n 25 "$nc_log" >&2
			exit 1 ;;
		esac
		nc_all="$nc_all $nc_v"
	done
	# the clients' "INIT UPTIME SWITCH" triples
	echo "$nc_line $(echo "$nc_all" | awk '{
		mi = $1; mu = $2; ms = $3
		for (i = 1; i <= NF; i += 3) {
			if ($i > mi) mi = $i; if ($(i + 1) > mu) mu = $(i + 1)
			if ($(i + 2) != "-" && $(i + 2) > ms) ms = $(i + 2)
			a = a (i > 1 ? "," : "") $i; b = b (i > 1 ? "," : "") $(i + 1)
		}
		printf "init=%.6f uptime=%s switch=%s inits=%s uptimes=%s", mi, mu, ms, a, b }')" >> "$3"
}

# the single boots: NAME (image.case), the image, the command line, the MAC prefix
net_single()	# NAME ROUND RESULTS [icount]
{
	ns_ic=${4:-}
	set -- "$1" "$2" "$3"
	case $1 in
	evbox.ltsp) set -- "$@" "$work/evbox-net.img" "$net_ltsp" "$NETBED_MAC_LAB_LTSP" ;;
	evbox.nfs3) set -- "$@" "$work/evbox-net.img" "$net_nfs3" "$NETBED_MAC_LAB_NFS" ;;
	evbox.nfs4) set -- "$@" "$work/evbox-net.img" "$net_nfs4" "$NETBED_MAC_LAB_NFS" ;;
	evbox.nbd) set -- "$@" "$work/evbox-net.img" "$net_nbd" "$net_mac_none" ;;
	itools.nfs3) set -- "$@" "$work/itools-nfs.img" "$net_nfs3" "$NETBED_MAC_LAB_NFS" ;;
	itools.nbd) set -- "$@" "$work/itools-nbd.img" "$net_itools_nbd" "$net_mac_none" ;;
	esac
	net_boot "$1" "$2" "$3" "$4" "$5" "$6" 1 $ns_ic
}

net_table()	# RESULTS "CLIENTS"
{
	awk -v clients="$2" "$awk_stats"'
		/^# size / { split($4, cz, "="); split($5, uz, "="); csize[$3] = cz[2]; usize[$3] = uz[2]; next }
		/^#/ { next }
		{
			n = $1
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]; init[n, k] = v["init"]; up[n, k] = v["uptime"]; sw[n, k] = v["switch"]
		}
		function row(label, im, n, what,    s) {
			if (!cnt[n]) { printf "%-9s %-6s %s\n", label, im, what; return }
			mi[n] = median(init, n); mu[n] = median(up, n)
			s = (sw[n, 1] == "" || sw[n, 1] == "-") ? "-" : sprintf("%.3f", median(sw, n))
			printf "%-9s %-6s %-26s %7.3f %6.2f-%-6.2f %7.3f %6s  %s\n", label, im, what,
				mi[n], least(init, n), most(init, n), mu[n], s, samples(init, n)
		}
		function ratio(a, b) { return (mi[b] > 0 && cnt[a] && cnt[b]) ? mi[a] / mi[b] : 0 }
		function target(what, r, goal, ge) {
			if (r == 0) { printf "%-44s   n/a (not booted)\n", what; return }
			printf "%-44s %6.2fx  (target %s %gx)  %s\n", what, r, ge ? ">=" : "<=", goal,
				(ge ? r >= goal : r <= goal) ? "MET" : "NOT MET"
		}
		END {
			printf "\n%-9s %-6s %-26s %7s %13s %7s %6s  %s\n", "case", "image", "root", "init", "(min-max)",
				"uptime", "switch", "init samples (s)"
			row("ltsp", "evbox", "evbox.ltsp", "NFSv3 + squashfs + tmpfs")
			row("ltsp", "itools", "-", "n/a: initramfs-tools has no ltsp.image= (nfs3 below)")
			row("nfs3", "evbox", "evbox.nfs3", "NFSv3 /srv/nfsroot")
			row("nfs3", "itools", "itools.nfs3", "NFSv3 /srv/nfsroot")
			row("nfs4", "evbox", "evbox.nfs4", "NFSv4 /srv/nfsroot")
			row("nfs4", "itools", "-", "n/a: klibc nfsmount speaks NFSv2/v3 only")
			row("nbd", "evbox", "evbox.nbd", "NBD ext4, export root")
			row("nbd", "itools", "itools.nbd", "NBD ext4, nbd-client hook")
			nc = split(clients, cl, " ")
			for (c = 1; c <= nc; c++) {
				l = "lab " cl[c]
				row(l, "evbox", "evbox.ltsp.lab" cl[c], "ltsp, last of " cl[c])
				row(l, "evbox", "evbox.nfs3.lab" cl[c], "nfs3, last of " cl[c])
				row(l, "itools", "itools.nfs3.lab" cl[c], "nfs3, last of " cl[c])
			}
			printf "\nmedians (min-max) of %d boots each, interleaved; init = Run /init -> the real root'"'"'s\n", cnt["evbox.nfs3"]
			printf "marker (its EVBOX-CLOCK line in the kernel log, printk clock); uptime = /proc/uptime there;\n"
			printf "every client ip=dhcp against one server VM; lab N: N clients started at once, the last one'"'"'s\n"
			printf "init and uptime (uptime: from QEMU'"'"'s start, so it counts the kernel under the load of N VMs);\n"
			printf "switch = Run /init -> evbox'"'"'s switch-root (evinit'"'"'s log, its clock): the rest of init is the\n"
			printf "real root'"'"'s own /sbin/init (a busybox sh script) starting from the server, for both systems\n\n"
			target("NFS: itools nfs3 / evbox ltsp, init", ratio("itools.nfs3", "evbox.ltsp"), 8, 1)
			target("NFS: itools nfs3 / evbox nfs3, init", ratio("itools.nfs3", "evbox.nfs3"), 8, 1)
			target("NBD: itools / evbox, init", ratio("itools.nbd", "evbox.nbd"), 8, 1)
			target("NFSv4 / NFSv3, evbox init", ratio("evbox.nfs4", "evbox.nfs3"), 1.10, 0)
			for (c = 1; c <= nc; c++) {
				s = ".lab" cl[c]
				printf "lab %s: itools/evbox last init: %.2fx (ltsp), %.2fx (nfs3); last uptime: %.2fx (ltsp), %.2fx (nfs3)\n",
					cl[c], ratio("itools.nfs3" s, "evbox.ltsp" s), ratio("itools.nfs3" s, "evbox.nfs3" s),
					cnt["evbox.ltsp" s] ? median(up, "itools.nfs3" s) / median(up, "evbox.ltsp" s) : 0,
					cnt["evbox.nfs3" s] ? median(up, "itools.nfs3" s) / median(up, "evbox.nfs3" s) : 0
			}
		}' "$1"
}

# ---- main ---------------------------------------------------------------------------
start=$(cut -d' ' -f1 /proc/uptime)
setup
vm_kernel || die "no kernel (scripts/vm/kernel.sh)"
version=$kversion moddir=$kmods
vm_nice=${BENCH_NICE:-}
mkdir -p "$work" "$build/vm"
rm -rf "$work/console" "$work/root" "$work/boot"
mkdir -p "$work/console"
cc -O2 -Wall -o "$build/vm/vmconsole" "$top/testsuite/vm/vmconsole.c" ||
	die "cannot build testsuite/vm/vmconsole.c"

say "building the marker (gcc -static -Os)"
gcc -static -Os -Wall -o "$work/marker" "$top/bench/marker.c"
strip "$work/marker"
itools_mode=dep	# the plain image's, when it is made

# ---- the plain disk: evbox, floor, itools (BENCH_PLAIN=0 skips it) ---------
if [ "${BENCH_PLAIN:-1}" != 0 ]; then
	say "making the disk (GPT, vda1 ext4 UUID=$uuid)"
	make_disk
	say "making the evbox image"
	evbox_image "$work/evbox.img"
	if [ -n "$base_bb" ]; then
		say "making the evbox-base image (the same, from $base_bb)"
		evbox_image "$work/evbox-base.img" "$base_bb"
	fi
	say "building the floor (gcc -static -Os) and its image"
	floor_build "$work/floor" "$floor_modules"
	floor_image "$work/floor.img" "$work/floor" "$floor_modules"
	say "making the initramfs-tools image"
	itools_make "$work/itools.img" itools "dep most" "virtio_blk|virtio_pci|ext4" ""
	itools_mode=$built_mode

	{
		echo "# evbox bench $(date -u +%Y-%m-%dT%H:%MZ), kernel $version, QEMU TCG"
		echo "# cmdline: console=ttyS0 printk.time=1 panic=-1 $cmdline (no quiet, default loglevel, for every image)"
		echo "# evbox image: scripts/mkinitramfs -H (host-only), evmount finds root=UUID="
		[ -z "$base_bb" ] ||
			echo "# evbox-base image: the same from $base_bb (sha256 $(sha256sum < "$base_bb" | cut -c1-16))"
		echo "# initramfs-tools: MODULES=$itools_mode"
		echo "# host: $(nproc) cores, load average before the boots: $(cut -d' ' -f1-3 /proc/loadavg)"
		for n in $names; do
			echo "# size $n compressed=$(stat -c %s "$work/$n.img") uncompressed=$(unpacked_size "$work/$n.img") format=$(compression "$work/$n.img")"
		done
	} > "$work/results.txt"

	nimages=$(echo $names | wc -w)
	total=$((rounds * nimages)) i=0
	for r in $(seq 1 "$rounds"); do
		for n in $names; do
			i=$((i + 1))
			say "boot $i/$total $n (round $r)"
			boot_one "$n" "$r"
		done
	done

	table "$work/results.txt" | tee "$work/table.txt"

	# The same boots with QEMU's -icount: the guest's clock counts its
	# instructions (1 ns each), so the host's load does not enter; TCG's own
	# work (translating code) does not either.  Steady to a few ms, so fewer
	# rounds.
	icount_rounds=${BENCH_ICOUNT_ROUNDS:-3}
	if [ "$icount_rounds" -gt 0 ]; then
		: > "$work/results-icount.txt"
		grep '^# size ' "$work/results.txt" >> "$work/results-icount.txt"
		total=$((icount_rounds * nimages)) i=0
		vm_flags=$vm_icount
		for r in $(seq 1 "$icount_rounds"); do
			for n in $names; do
				i=$((i + 1))
				say "icount boot $i/$total $n (round $r)"
				boot_one "$n" "$r" "$work/results-icount.txt"
			done
		done
		vm_flags=''
		echo
		echo "With -icount shift=0 (guest instructions, 1 ns each; independent of the host's load):"
		table "$work/results-icount.txt" | tee "$work/table-icount.txt"
	fi
fi

if [ "${BENCH_LUKS:-1}" != 0 ]; then
	say "LUKS: the luks2-ext4 fixture with the marker's root inside (testsuite/vm/fixture.sh)"
	lroot=$work/luks-root
	rm -rf "$work/luks-target"
	luks_disk=$(marker_fixture "$lroot" "$luks_fs" luks2-ext4) || exit 1
	cmdline_luks="root=UUID=$luks_fs"
	# evbox: the VM scenarios' image for a target with this crypttab
	mkdir -p "$work/luks-target/etc"
	cp "$lroot/etc/fstab" "$work/luks-target/etc/fstab"
	echo "cryptroot UUID=$luks_uuid none luks" > "$work/luks-target/etc/crypttab"
	say "making the evbox LUKS image"
	make_image "$work/evbox-luks.img" "$work/luks-target" > "$work/evbox-luks.log" 2>&1 ||
		{ cat "$work/evbox-luks.log" >&2; die "cannot make the evbox LUKS image"; }
	say "making the initramfs-tools LUKS image"
	itools_make "$work/itools-luks.img" itools-luks "$itools_mode most" \
		"virtio_blk|virtio_pci|ext4|dm-crypt|xts|algif_skcipher" 'cryptroot/crypttab$' \
		/etc/crypttab "cryptroot UUID=$luks_uuid none luks,initramfs"
	itools_luks_mode=$built_mode
	{
		echo "# LUKS: luks2-ext4 (pbkdf2 1000), cmdline: $cmdline_luks"
		echo "# evbox image: scripts/vm/vmlib.sh make_image; itools: cryptsetup-initramfs, MODULES=$itools_luks_mode"
		for n in evbox itools; do
			echo "# size $n-luks compressed=$(stat -c %s "$work/$n-luks.img") uncompressed=$(unpacked_size "$work/$n-luks.img")"
		done
	} > "$work/results-luks.txt"
	luks_rounds=${BENCH_LUKS_ROUNDS:-$rounds}
	total=$((luks_rounds * 2)) i=0
	for r in $(seq 1 "$luks_rounds"); do
		i=$((i + 1)); say "LUKS boot $i/$total itools (round $r)"
		luks_boot itools "$r" "Please unlock disk cryptroot: "
		i=$((i + 1)); say "LUKS boot $i/$total evbox (round $r)"
		luks_boot evbox "$r" "Passphrase for /dev/vda (cryptroot): "
	done
	{ grep '^# ' "$work/results-luks.txt"; luks_table "$work/results-luks.txt"; } | tee "$work/table-luks.txt"
fi

if [ "${BENCH_MD:-1}" != 0 ]; then
	say "md: the raid1-ext4 fixture with the marker's root on the array (testsuite/vm/fixture.sh)"
	mroot=$work/md-root
	rm -rf "$work/md-target" "$work/results-md.txt"
	md_disks=$(marker_fixture "$mroot" "$md_fs" raid1-ext4) || exit 1
	md_a=$(echo "$md_disks" | grep '/a\.img$') && md_b=$(echo "$md_disks" | grep '/b\.img$') ||
		die "raid1-ext4 gave no a.img and b.img: $md_disks"
	cmdline_md="root=UUID=$md_fs"
	config=${KCONFIG_CONFIG:-$top/.config}
	md_wait=$(sed -n 's/^CONFIG_EVRAID_DEGRADED_WAIT=//p' "$config" 2>/dev/null)
	md_wait=${md_wait:-3}
	# evbox: the VM scenarios' image for a target with this mdadm.conf
	mkdir -p "$work/md-target/etc/mdadm"
	cp "$mroot/etc/fstab" "$work/md-target/etc/fstab"
	echo "$md_line" > "$work/md-target/etc/mdadm/mdadm.conf"
	# the configuration, with the builder reading mdadm.conf: a miniconfig
	# that does not list EVBOX_MDADM_CONF (evbox_defconfig) turns it off
	md_config=$config
	if grep -q '^# CONFIG_EVBOX_MDADM_CONF is not set' "$config" 2>/dev/null; then
		md_config=$work/md.config
		sed 's/^# CONFIG_EVBOX_MDADM_CONF is not set/CONFIG_EVBOX_MDADM_CONF=y/' "$config" > "$md_config"
		say "md: $config has EVBOX_MDADM_CONF off; the evbox md image is made with it on"
	fi
	say "making the evbox md image"
	KCONFIG_CONFIG=$md_config make_image "$work/evbox-md.img" "$work/md-target" > "$work/evbox-md.log" 2>&1 ||
		{ cat "$work/evbox-md.log" >&2; die "cannot make the evbox md image"; }
	grep -q ' md:.* raid1' "$work/evbox-md.log" ||
		die "the evbox md image has no raid1 (see $work/evbox-md.log)"
	say "building the md floors (gcc -static -Os: vda vdb, and vda alone) and their images"
	floor_build "$work/floor-md" "$md_modules" -DFLOOR_MD_MEMBERS='"vda vdb"'
	floor_build "$work/floor-md1" "$md_modules" -DFLOOR_MD_MEMBERS='"vda"'
	floor_image "$work/floor-md.img" "$work/floor-md" "$md_modules"
	floor_image "$work/floor-md1.img" "$work/floor-md1" "$md_modules"
	say "making the initramfs-tools md image"
	itools_make "$work/itools-md.img" itools-md "$itools_mode most" \
		"virtio_blk|virtio_pci|ext4|md-mod|raid1" 'sbin/mdadm$' \
		/etc/mdadm/mdadm.conf "$md_line"
	itools_md_mode=$built_mode
	{
		echo "# md RAID1: raid1-ext4 (metadata 1.2, 2 disks), cmdline: $cmdline_md; degraded: raid1a alone"
		echo "# evbox image: scripts/vm/vmlib.sh make_image, mdadm.conf: $md_line; rd.md.degraded_wait=$md_wait (default)"
		echo "# floor: floor-md (vda vdb), floor-md1 (vda): md ioctls, degraded at once"
		echo "# itools: initramfs-tools with mdadm $(dpkg-query -W -f='${Version}' mdadm 2>/dev/null)'s hook, MODULES=$itools_md_mode"
		header_sizes evbox-md floor-md floor-md1 itools-md
	} > "$work/results-md.txt"
	cases_bench md "evbox floor itools" "${BENCH_MD_ROUNDS:-$rounds}" \
		"${BENCH_MD_ICOUNT_ROUNDS:-3}" "md RAID1"
fi

if [ "${BENCH_STACK:-1}" != 0 ]; then
	say "stack: raid1-luks2-lvm-ext4 and raid5-luks2-lvm-ext4 with the marker's root on the LV (testsuite/vm/fixture.sh)"
	rm -rf "$work/stack-target" "$work/stack5-target" "$work/results-stack.txt" "$work/results-stack-icount.txt"
	sd=$(marker_fixture "$work/stack-root" "$stack_fs" raid1-luks2-lvm-ext4) || exit 1
	sa=$(echo "$sd" | grep '/a\.img$') && sb=$(echo "$sd" | grep '/b\.img$') ||
		die "raid1-luks2-lvm-ext4 gave no a.img and b.img: $sd"
	stack_disks="$sa $sb"
	sd=$(marker_fixture "$work/stack5-root" "$rluks_fs" raid5-luks2-lvm-ext4) || exit 1
	# degraded: a and b, c missing
	sa=$(echo "$sd" | grep '/a\.img$') && sb=$(echo "$sd" | grep '/b\.img$') ||
		die "raid5-luks2-lvm-ext4 gave no a.img and b.img: $sd"
	rluks_disks="$sa $sb"
	stack_modes=''
	stack_images stack raid1 cryptstack "$stack_uuid" \
		"ARRAY /dev/md/stack level=raid1 metadata=1.2 num-devices=2 UUID=$stack_md name=evbox:stack"
	stack_images stack5 raid456 cryptrl "$rluks_uuid" \
		"ARRAY /dev/md/rluks level=raid5 metadata=1.2 num-devices=3 UUID=$rluks_md name=evbox:rluks"
	{
		echo "# stack: complete = raid1-luks2-lvm-ext4 (both disks), cmdline root=UUID=$stack_fs"
		echo "# degraded = raid5-luks2-lvm-ext4 with a and b (c missing), cmdline root=UUID=$rluks_fs"
		echo "# evbox images: scripts/vm/vmlib.sh make_image (crypttab, fstab; raid1 / raid456), rd.md.degraded_wait default"
		echo "# itools: initramfs-tools with cryptsetup-initramfs, mdadm $(dpkg-query -W -f='${Version}' mdadm 2>/dev/null) and lvm2 $(dpkg-query -W -f='${Version}' lvm2 2>/dev/null), MODULES=$stack_modes"
		header_sizes evbox-stack evbox-stack5 itools-stack itools-stack5
	} > "$work/results-stack.txt"
	# under -icount the guest idles while it waits for the passphrase,
	# and its clock then follows the host's: the wait is subtracted too
	cases_bench stack "evbox itools" "${BENCH_STACK_ROUNDS:-$rounds}" \
		"${BENCH_STACK_ICOUNT_ROUNDS:-2}" "The stack"
fi

if [ "${BENCH_NET:-1}" != 0 ]; then
	# the test bed (its API: netbed_image, netbed_ports, netbed_start ...)
	. "$top/testsuite/vm/netbed.sh"
	net_clients=${BENCH_NET_CLIENTS:-1 4}
	net_max=1
	for c in $net_clients; do [ "$c" -le "$net_max" ] || net_max=$c; done
	net_ltsp="root=/dev/nfs nfsroot=$NETBED_IP:$NETBED_LTSP ltsp.image=$NETBED_LTSP_IMAGE ip=dhcp"
	net_nfs3="root=/dev/nfs nfsroot=$NETBED_IP:$NETBED_NFSROOT ip=dhcp"
	net_nfs4="root=nfs4:$NETBED_IP:$NETBED_NFSROOT ip=dhcp"
	net_nbd="root=nbd:$NETBED_IP:$NETBED_NBD_PORT/$NETBED_NBD_ROOT:ext4 ip=dhcp"
	net_itools_nbd="nbdroot=$NETBED_IP,$NETBED_NBD_ROOT,nbd0 root=/dev/nbd0 ip=dhcp"
	say "net: the test bed's server image (testsuite/vm/netbed.sh; cached)"
	netbed_image "$build" > "$work/netbed-image.log" 2>&1 ||
		{ tail -n 20 "$work/netbed-image.log" >&2; die "no test-bed server image (see $work/netbed-image.log)"; }
	# evbox: one image for every network root, as LTSP would use it
	# (mkinitramfs -N; a target whose fstab names the NBD export's ext4)
	rm -rf "$work/net-target"
	mkdir -p "$work/net-target/etc"
	echo "UUID=$NETBED_NBD_UUID / ext4 ro 0 0" > "$work/net-target/etc/fstab"
	say "making the evbox network image (mkinitramfs -N)"
	vm_extra_modules=virtio_net vm_mk_flags=-N make_image "$work/evbox-net.img" "$work/net-target" \
		> "$work/evbox-net.log" 2>&1 ||
		{ cat "$work/evbox-net.log" >&2; die "cannot make the evbox network image"; }
	say "making the initramfs-tools NFS image (BOOT=nfs)"
	itools_boot=nfs itools_make "$work/itools-nfs.img" itools-nfs "netboot $itools_mode most" \
		"virtio_net|virtio_pci|nfs|nfsv3" 'nfsmount$ ipconfig$'
	itools_nfs_mode=$built_mode
	say "making the initramfs-tools NBD image (nbd-client's hook)"
	itools_make "$work/itools-nbd.img" itools-nbd "netboot $itools_mode most" \
		"virtio_net|virtio_pci|nbd|ext4" 'sbin/nbd-client$ scripts/local-top/nbd$'
	itools_nbd_mode=$built_mode
	res=$work/results-net
	{
		echo "# net: the test bed's server VM (netbed.sh: nfs-kernel-server, dnsmasq, nbd-server, Debian's kernel), $net_max NICs"
		echo "# evbox ltsp: $net_ltsp"
		echo "# evbox nfs3, itools nfs3: $net_nfs3"
		echo "# evbox nfs4: $net_nfs4"
		echo "# evbox nbd: $net_nbd"
		echo "# itools nbd: $net_itools_nbd"
		echo "# dnsmasq's ping check before a first offer: $([ "${BENCH_NET_PING:-0}" = 1 ] && echo on || echo off, no-ping)"
		echo "# evbox image: scripts/mkinitramfs -N; itools: initramfs-tools BOOT=nfs, MODULES=$itools_nfs_mode / nbd-client $(dpkg-query -W -f='${Version}' nbd-client 2>/dev/null)'s hook, MODULES=$itools_nbd_mode"
		header_sizes evbox-net itools-nfs itools-nbd
	} > "$res.txt"
	grep '^# ' "$res.txt" > "$res-icount.txt"

	net_ports=$(netbed_ports "$net_max") || die "no $net_max free ports for the server"
	net_bed=$work/netbed
	trap 'net_cleanup' EXIT
	trap 'exit 1' INT TERM
	say "net: booting the server VM (NICs on 127.0.0.1: $net_ports)"
	netbed_start "$net_bed" $net_ports || die "the test-bed server did not start (see $net_bed/netbed.log)"
	# dnsmasq pings an address before it first offers it (its default):
	# a client it has no lease for waits 3 s for its first offer, one it
	# has waits nothing, and which one a boot is depends on the lease
	# time and the order of the boots.  Off, every boot sees the same
	# server (BENCH_NET_PING=1 keeps the default).
	if [ "${BENCH_NET_PING:-0}" != 1 ]; then
		say "net: the server's dnsmasq restarted with no-ping (BENCH_NET_PING=1 keeps its ping check)"
		# (the old one is gone when UDP port 67 is free: it stays a
		# zombie of the server's init; at most 5 s each way)
		netbed_cmd "$net_bed" sh 'echo no-ping >> /etc/dnsmasq.conf; killall dnsmasq; i=0; while netstat -uln | grep -q "[.:]67 " && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done; dnsmasq --conf-file=/etc/dnsmasq.conf > /dev/console 2>&1 < /dev/null; i=0; until netstat -uln | grep -q "[.:]67 " || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done; netstat -uln | grep "[.:]67 "' \
			> "$work/netbed-noping.log" 2>&1 ||
			die "net: could not restart the server's dnsmasq with no-ping: $(tail -n 3 "$work/netbed-noping.log")"
	fi

	net_names="evbox.ltsp evbox.nfs3 evbox.nfs4 evbox.nbd itools.nfs3 itools.nbd"
	net_rounds=${BENCH_NET_ROUNDS:-$rounds}
	nn=$(echo $net_names | wc -w) nl=$(echo $net_clients | wc -w)
	total=$((net_rounds * (nn + 3 * nl))) i=0
	for r in $(seq 1 "$net_rounds"); do
		for n in $net_names; do
			i=$((i + 1))
			note=''
			case $n in itools.*) note='; initramfs-tools takes 15-25 s' ;; esac
			say "net boot $i/$total $n (round $r$note)"
			net_single "$n" "$r" "$res.txt"
		done
		for c in $net_clients; do
			for n in evbox.ltsp evbox.nfs3 itools.nfs3; do
				i=$((i + 1))
				say "net boot $i/$total lab: $c clients at once, $n (round $r)"
				case $n in
				evbox.ltsp) net_boot "$n.lab$c" "$r" "$res.txt" "$work/evbox-net.img" "$net_ltsp" "$NETBED_MAC_LAB_LTSP" "$c" ;;
				evbox.nfs3) net_boot "$n.lab$c" "$r" "$res.txt" "$work/evbox-net.img" "$net_nfs3" "$NETBED_MAC_LAB_NFS" "$c" ;;
				*) net_boot "$n.lab$c" "$r" "$res.txt" "$work/itools-nfs.img" "$net_nfs3" "$NETBED_MAC_LAB_NFS" "$c" ;;
				esac
			done
		done
	done
	echo "# host load average after the boots: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$res.txt"
	{ grep '^# ' "$res.txt"; net_table "$res.txt" "$net_clients"; } | tee "$work/table-net.txt"

	net_ic=${BENCH_NET_ICOUNT_ROUNDS:-2}
	if [ "$net_ic" -gt 0 ]; then
		total=$((net_ic * nn)) i=0
		for r in $(seq 1 "$net_ic"); do
			for n in $net_names; do
				i=$((i + 1))
				say "net icount boot $i/$total $n (round $r)"
				net_single "$n" "$r" "$res-icount.txt" icount
			done
		done
		echo
		echo "Network roots with the clients under -icount shift=0 (guest instructions, 1 ns each; the server VM"
		echo "is not, and an idle client's clock follows the host's while it waits for the server):"
		net_table "$res-icount.txt" "" | tee "$work/table-net-icount.txt"
	fi
	net_cleanup
	trap - EXIT INT TERM
fi

took=$(awk -v s="$start" '{ printf "%.0f", $1 - s }' /proc/uptime)
[ "${BENCH_PLAIN:-1}" = 0 ] ||
	echo "# host load average after the boots: $(cut -d' ' -f1-3 /proc/loadavg); bench took $took s" >> "$work/results.txt"
echo
say "raw numbers in $work/results*.txt, tables in $work/table*.txt, consoles in $work/console/ (${took} s)"
