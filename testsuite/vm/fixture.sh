#!/bin/sh
# fixture.sh - disk images that need md, dm-crypt or LVM, made inside a
# throwaway VM by Debian's own mdadm, cryptsetup, lvm2 and mkfs, and cached
# by a hash of their recipe.  The host kernel needs neither dm nor md.
#
#   fixture.sh [-n] [-i DIR] BUILD RECIPE...
#
# RECIPE   a file, or a NAME for testsuite/vm/fixtures/NAME.recipe.  Its
#          header comments declare the disks (`# disk: NAME SIZE`, in order:
#          /dev/vda, /dev/vdb, ...), and optionally `# input: required`,
#          `# timeout: SECONDS` (default 300) and `# memory: MIB` (default
#          1024).  Its body is run by `sh -e` inside the builder VM.
# DIR      files for the recipe: packed with owner 0:0, fixed mtimes and
#          sorted names, unpacked in the VM as /in.  Its content is part of
#          the hash.
#
# -n       build nothing: print the paths a build would give.
#
# Prints one line per disk: BUILD/vm/fixtures/NAME-HASH/DISK.img (raw,
# sparse).  HASH covers the recipe, the input, and the builder: the Debian
# package versions in it, the kernel version and this script (which holds
# the VM's init, the module list and the tool configuration).  A second
# call with the same inputs only prints the paths.  Progress goes to
# stderr.  A recipe that fails, or a VM that ends without saying how the
# recipe ended, is an error naming the recipe and the console log.
#
# The builder's tools are unpacked from their .deb files (apt-get download +
# dpkg -x) into BUILD, never installed on the host: installing mdadm or lvm2
# would add initramfs-tools hooks, rebuild the host's /boot images and start
# monitoring services, and the host's own versions would then be part of
# every fixture's hash.  busybox-static (not evbox) is the VM's shell, so a
# rebuild of evbox does not invalidate every fixture.
set -eu

# What the builder holds: these packages and the libraries they depend on.
TOOLS="busybox-static mdadm cryptsetup-bin lvm2 dmsetup e2fsprogs dosfstools fdisk"
# Modules loaded in the VM (with what they depend on); a '?' suffix: may be
# missing or fail to load (CPU-specific ones).
MODULES="virtio_pci virtio_blk virtio_rng
 dm_mod dm_crypt dm_snapshot dm_mirror
 md_mod linear raid0 raid1 raid10 raid456
 crc32c_generic crc32c_intel? ext4 vfat nls_cp437 nls_iso8859_1 nls_ascii
 af_alg algif_skcipher algif_hash xts ecb essiv aesni_intel? sha256_ssse3?
 sha512_generic serpent_generic twofish_generic xxhash_generic"

usage() { echo "usage: $0 [-n] [-i DIR] BUILD RECIPE..." >&2; exit 2; }
input='' dry=''
while getopts ni: o; do
	case $o in
	i) input=$OPTARG ;;
	n) dry=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || usage
# A cache hit starts few processes: on a busy machine each costs tens of ms.
[ -d "$1" ] || mkdir -p "$1"
build=$(cd "$1" && pwd)
shift
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
self=$here/${0##*/}
top=${here%/testsuite/vm}
store=$build/vm/fixtures
bdir=$store/builder
[ -d "$bdir" ] || mkdir -p "$bdir"
[ -z "$input" ] || [ -d "$input" ] || { echo "fixture: -i $input: not a directory" >&2; exit 2; }

say() { echo "fixture: $*" >&2; }
die() { echo "fixture: $*" >&2; exit 1; }
now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v s="$1" '{ printf "%d", $1 - s + 0.5 }' /proc/uptime; }
sha() { set -- "$(sha256sum)"; h=${1%% *}; echo "${h%"${h#????????????}"}"; }

# ---- the recipes: resolve the names first, so a typo fails at once ---------
recipes=''
for r in "$@"; do
	if [ -f "$r" ]; then f=$r
	elif [ -f "$here/fixtures/$r.recipe" ]; then f=$here/fixtures/$r.recipe
	else die "no recipe $r (neither a file nor $here/fixtures/$r.recipe)"
	fi
	case $f in /*) ;; *) f=$PWD/$f ;; esac
	case $f in *' '*) die "$f: no spaces in recipe paths, please" ;; esac
	recipes="$recipes $f"
done

header()	# RECIPE: disks, input_req, secs, mem from its `# KEY: VALUE` lines
{
	disks='' input_req='' secs=300 mem=1024 nl='
'
	while IFS= read -r line; do
		case $line in
		'# disk: '*) disks="$disks${line#'# disk: '}$nl" ;;
		'# input: '*) input_req=${line#'# input: '} ;;
		'# timeout: '*) secs=${line#'# timeout: '} ;;
		'# memory: '*) mem=${line#'# memory: '} ;;
		esac
	done < "$1"
	disks=${disks%"$nl"}
}

# ---- the input directory, packed once ------------------------------------
work=''
mkwork()
{
	[ -z "$work" ] || return 0
	work=$(mktemp -d "${TMPDIR:-/tmp}/fixture.XXXXXX")
	trap 'rm -rf "$work"' EXIT
}
inhash=none
if [ -n "$input" ]; then
	mkwork
	tar -C "$input" -c -f "$work/in.tar" --sort=name --mtime=@0 \
		--owner=0 --group=0 --numeric-owner --format=gnu .
	inhash=$(sha < "$work/in.tar")
fi

# ---- the builder's key -----------------------------------------------------
version=''
[ ! -s "$build/kernel/version" ] || read -r version < "$build/kernel/version"
if [ -z "$version" ] || [ ! -d "$build/kernel/lib/modules/$version" ]; then
	version=$("$top/scripts/vm/kernel.sh" "$build")
fi
kernel=$build/kernel/boot/vmlinuz-$version
moddir=$build/kernel/lib/modules/$version

# the package closure: TOOLS and, recursively, their lib* dependencies
closure()
{
	# shellcheck disable=SC2086
	apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances $TOOLS 2>/dev/null |
	awk -v tools="$TOOLS" '
		/^[^ ]/ { cur = $1; next }
		/Depends:/ { d = $NF; if (d !~ /^</) edges[cur] = edges[cur] " " d }
		END {
			n = split(tools, q, " ")
			for (i = 1; i <= n; i++) seen[q[i]] = 1
			while (n > 0) {
				p = q[n--]; m = split(edges[p], e, " ")
				for (j = 1; j <= m; j++)
					if (e[j] ~ /^lib/ && !(e[j] in seen)) { seen[e[j]] = 1; q[++n] = e[j] }
			}
			for (s in seen) print s
		}' | LC_ALL=C sort
}
candidates()	# PACKAGE... -> "PACKAGE VERSION" lines, apt's candidates
{
	apt-cache show --no-all-versions "$@" 2>/dev/null |
		awk '/^Package:/ { p = $2 } /^Version:/ { print p, $2 }' | LC_ALL=C sort -u
}

# The versions file records what the builder was made of.  apt's candidates
# can only change when its lists or the dpkg status change: only then ask
# apt again (a second each), so that a cache hit costs no apt run.
versions=$bdir/versions
newer()	# REF FILE...: is one of the FILEs newer than REF (or REF missing)?
{
	ref=$1; shift
	[ -e "$ref" ] || return 0
	[ -n "$(find "$@" -prune -newer "$ref" 2>/dev/null)" ]
}
if [ ! -s "$versions" ] || newer "$versions" /var/lib/apt/lists /var/lib/dpkg/status; then
	say "builder: asking apt for the package versions..."
	mkwork
	# shellcheck disable=SC2046
	candidates $(closure) > "$work/versions"
	[ -s "$work/versions" ] || die "apt does not know $TOOLS (apt-get update?)"
	if cmp -s "$work/versions" "$versions"; then
		touch "$versions"
	else
		mv "$work/versions" "$versions"
	fi
fi
# the key, remembered until one of its inputs is newer
key=$bdir/key
bkey=''
if [ -s "$key" ] && ! newer "$key" "$versions" "$self" "$build/kernel/version"; then
	read -r bkey kv < "$key"
	[ "$kv" = "$version" ] || bkey=''
fi
if [ -z "$bkey" ]; then
	bkey=$( { cat "$versions"; echo "kernel $version"; cat "$self"; } | sha)
	echo "$bkey $version" > "$key"
fi
initrd=$bdir/builder-$bkey.cpio

# ---- the builder image -----------------------------------------------------
write_init()	# the VM's /init
{
	cat <<'INIT'
#!/bin/sh
# The builder VM's init (written by testsuite/vm/fixture.sh): load the
# modules, run /fixture/recipe with `set -e` on the blank disks, tear down
# what it left active, sync, report its exit status, power off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/bb HOME=/root TERM=dumb
# no udev here: libdevmapper makes the /dev/mapper nodes itself
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mkdir -p /run/lock/lvm /run/mdadm /run/cryptsetup /tmp /in /mnt
exec < /dev/null > /dev/console 2>&1
status=0
for m in $(cat /etc/fixture/modules); do
	case $m in
	*'?') modprobe "${m%'?'}" 2>/dev/null || true ;;
	*) modprobe "$m" || { echo "fixture-vm: modprobe $m failed"; status=120; } ;;
	esac
done
# virtio_blk's probe made the disks during its modprobe
while read -r name dev; do
	[ -b "$dev" ] || { echo "fixture-vm: no $dev for disk $name"; status=121; }
done < /fixture/disks
if [ -f /fixture/in.tar ]; then
	tar -x -f /fixture/in.tar -C /in && rm /fixture/in.tar || status=122
fi
if [ $status = 0 ]; then
	echo "fixture-vm: running the recipe $(cat /fixture/name)"
	(cd /tmp && . /fixture/env && exec sh -e -x /fixture/recipe) || status=$?
	echo "fixture-vm: the recipe ended with status $status"
fi
# what the recipe left active: mounts, LVs, dm devices, md arrays
sync
grep ' /mnt' /proc/mounts | cut -d' ' -f2 | sort -r | while read -r m; do umount "$m"; done
vgchange -an > /dev/null 2>&1 || true
if [ -n "$(ls /dev/mapper 2>/dev/null | grep -v '^control$')" ]; then
	dmsetup remove_all || { echo "fixture-vm: dmsetup remove_all failed"; [ $status != 0 ] || status=123; }
fi
if grep -q '^md' /proc/mdstat 2>/dev/null; then
	mdadm --stop --scan || { echo "fixture-vm: mdadm --stop failed"; [ $status != 0 ] || status=124; }
fi
sync
echo "evbox-fixture: exit $status"
echo o > /proc/sysrq-trigger
poweroff -f
INIT
}
write_lvmconf()	# lvm without udev, lvmetad, monitoring or backups
{
	cat <<'EOF'
devices {
	obtain_device_list_from_udev = 0
	external_device_info_source = "none"
	use_devicesfile = 0
	scan = [ "/dev" ]
}
activation {
	udev_sync = 0
	udev_rules = 0
	verify_udev_operations = 1
	monitoring = 0
}
global {
	event_activation = 0
}
backup {
	backup = 0
	archive = 0
}
EOF
}

build_builder()
{
	mkwork
	t0=$(now)
	# shellcheck disable=SC2046
	set -- $(cut -d' ' -f1 "$versions")
	say "builder: downloading $# Debian packages (apt-get download)..."
	debs=$bdir/debs
	rm -rf "$debs" "$bdir"/builder-*.cpio
	mkdir -p "$debs"
	sandbox=''
	[ "$(id -u)" != 0 ] || sandbox='-o APT::Sandbox::User=root'
	# shellcheck disable=SC2086
	(cd "$debs" && apt-get download -q $sandbox "$@" > "$work/apt.log" 2>&1) ||
		{ cat "$work/apt.log" >&2; die "builder: apt-get download failed"; }
	# what was fetched is what the key says
	for d in "$debs"/*.deb; do
		# shellcheck disable=SC2016
		dpkg-deb --show --showformat='${Package} ${Version}\n' "$d"
	done | LC_ALL=C sort > "$work/got"
	cmp -s "$work/got" "$versions" ||
		{ diff "$versions" "$work/got" >&2 || true; die "builder: apt-get download gave other versions (run again)"; }

	# the image's tree, inside BUILD (never a relative or empty path)
	root=${bdir:?}/stage
	rm -rf "$root"
	mkdir -p "$root"
	n=0
	for d in "$debs"/*.deb; do
		n=$((n + 1))
		dpkg -x "$d" "$root"
	done
	say "builder: unpacked $n packages; adding busybox, $version modules, init..."
	cd "$root" || die "builder: no $root"
	rm -rf usr/share usr/lib/x86_64-linux-gnu/gconv etc/cron.* etc/init.d etc/logcheck
	# the busybox applets, behind Debian's own tools in PATH
	mkdir -p bb proc sys dev run tmp root etc/fixture etc/mdadm fixture
	for a in $(bin/busybox --list); do
		ln -s /bin/busybox "bb/$a"
	done
	ln -s busybox bin/sh
	[ -e sbin/modprobe ] || ln -s /bin/busybox sbin/modprobe
	write_init > init
	chmod 755 init
	write_lvmconf > etc/lvm/lvm.conf
	rm -f etc/lvm/lvmlocal.conf
	echo "HOMEHOST <none>" > etc/mdadm/mdadm.conf
	echo "include /etc/ld.so.conf.d/*.conf" > etc/ld.so.conf
	ldconfig -r "$root" 2>/dev/null || true

	# every library an ELF file needs is in the image
	find . -type f \( -perm -u+x -o -name '*.so*' \) -exec sh -c \
		'for f; do readelf -d "$f" 2>/dev/null; done' sh {} + |
		sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | LC_ALL=C sort -u |
	while read -r so; do
		[ -e "lib/x86_64-linux-gnu/$so" ] || [ -e "usr/lib/x86_64-linux-gnu/$so" ] ||
		[ -e "lib64/$so" ] || echo "$so"
	done > "$work/missing"
	[ ! -s "$work/missing" ] ||
		die "builder: no library $(tr '\n' ' ' < "$work/missing")in the packages; add its package to TOOLS"

	# the modules and, through .modinfo depends=, what they need
	find "$moddir/kernel" -name '*.ko' | awk '{ n = $0; sub(/.*\//, "", n);
		sub(/\.ko$/, "", n); gsub(/-/, "_", n); print n, $0 }' > "$work/index"
	todo=$(echo "$MODULES" | tr -d '?') done=' '
	while [ -n "$todo" ]; do
		next=''
		for m in $todo; do
			m=$(echo "$m" | tr - _)
			case $done in *" $m "*) continue ;; esac
			done="$done$m "
			ko=$(awk -v m="$m" '$1 == m { print $2; exit }' "$work/index")
			if [ -z "$ko" ]; then
				grep -q "/$m.ko\$\|/$(echo "$m" | tr _ -).ko\$" "$moddir/modules.builtin" ||
				case " $MODULES " in
				*[[:space:]]"$m?"[[:space:]]*) ;;
				*) die "builder: no module $m in $moddir" ;;
				esac
				continue
			fi
			rel=${ko#"$moddir"/}
			mkdir -p "lib/modules/$version/$(dirname "$rel")"
			cp "$ko" "lib/modules/$version/$rel"
			next="$next $(tr '\0' '\n' < "$ko" | sed -n 's/^depends=//p' | tr ',' ' ')"
		done
		todo=$next
	done
	cp "$moddir/modules.builtin" "$moddir/modules.order" "lib/modules/$version/"
	bin/busybox depmod -b "$root" "$version"
	# shellcheck disable=SC2086
	printf '%s\n' $MODULES > etc/fixture/modules
	nmod=$(find lib/modules -name '*.ko' | wc -l)

	# the archive: uncompressed (TCG unpacks it faster than it inflates one)
	find . -mindepth 1 -exec touch -h -d @0 {} +
	find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet > "$initrd.tmp"
	cd - > /dev/null
	mv "$initrd.tmp" "$initrd"
	rm -rf "$root"
	# fixtures made by another builder can never be hit again
	for d in "${store:?}"/*-*; do
		[ -d "$d" ] || continue
		[ "$(cat "$d/builder" 2>/dev/null)" = "$bkey" ] || rm -rf "$d"
	done
	say "builder: image $(($(stat -c %s "$initrd") / 1048576)) MiB, $nmod modules, in $(since "$t0") s: $initrd"
}

# ---- each recipe -----------------------------------------------------------
lock=''
for recipe in $recipes; do
	name=${recipe##*/}
	name=${name%.recipe}
	header "$recipe"
	[ -n "$disks" ] || die "$name: no '# disk: NAME SIZE' line in $recipe"
	if [ "$input_req" = required ] && [ -z "$input" ]; then
		die "$name: needs an input directory (-i DIR)"
	fi
	hash=$( { echo "builder $bkey"; echo "input $inhash"; cat "$recipe"; } | sha)
	out=$store/$name-$hash
	if [ -n "$dry" ]; then
		echo "$disks" | while read -r disk size; do echo "$out/$disk.img"; done
		continue
	fi
	if [ ! -f "$out/done" ]; then
		# one build at a time; whoever waited finds it done
		if [ -z "$lock" ]; then
			lock=$store/.lock
			exec 9> "$lock"
			flock 9
		fi
	fi
	if [ ! -f "$out/done" ]; then
		if [ ! -f "$initrd" ]; then
			say "$name: building the builder image..."
			build_builder
		fi
		mkwork
		t0=$(now)
		tmp=$out.tmp
		rm -rf "$tmp" "$out" "$out.failed"
		mkdir -p "$tmp/fixture"
		# the blank disks and the extra archive: recipe, disks, input
		letters=abcdefghijklmnopqrstuvwxyz i=0 drives=''
		echo "$disks" | {
			while read -r disk size; do
				case $disk in
				''|*[!a-z0-9_]*) die "$name: bad disk name '$disk' (a-z, 0-9, _)" ;;
				esac
				i=$((i + 1))
				dev=/dev/vd$(echo "$letters" | cut -c$i)
				truncate -s "$size" "$tmp/$disk.img"
				echo "$disk $dev" >> "$tmp/fixture/disks"
				echo "export DISK_$disk=$dev" >> "$tmp/fixture/env"
			done
		}
		echo "export FIXTURE=$name IN=/in" >> "$tmp/fixture/env"
		echo "$name" > "$tmp/fixture/name"
		cp "$recipe" "$tmp/fixture/recipe"
		[ -z "$input" ] || cp "$work/in.tar" "$tmp/fixture/in.tar"
		(cd "$tmp" && find fixture -print | LC_ALL=C sort |
			cpio -o -H newc -R 0:0 --reproducible --quiet > extra.cpio)
		cat "$initrd" "$tmp/extra.cpio" > "$tmp/initrd"
		rm -rf "$tmp/fixture" "$tmp/extra.cpio"
		drives=''
		while read -r disk size; do
			drives="$drives -drive file=$tmp/$disk.img,if=virtio,format=raw,cache=unsafe,discard=unmap"
		done <<-EOF
		$disks
		EOF
		log=$tmp/console.log
		say "$name: booting the builder VM (TCG)..."
		rc=0
		# shellcheck disable=SC2086
		timeout "$secs" qemu-system-x86_64 -accel tcg -cpu max \
			-m "$mem" -smp 1 -display none -monitor none \
			-serial stdio -no-reboot -device virtio-rng-pci \
			-kernel "$kernel" -initrd "$tmp/initrd" \
			-append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init" \
			$drives < /dev/null > "$log" 2>&1 || rc=$?
		rm -f "$tmp/initrd"
		echo "$bkey" > "$tmp/builder"
		status=$(tr -d '\r' < "$log" | sed -n 's/^evbox-fixture: exit \([0-9]*\)$/\1/p' | tail -n 1)
		if [ "$status" != 0 ]; then
			mv "$tmp" "$out.failed"
			log=$out.failed/console.log
			tr -d '\r' < "$log" | grep -v '^evbox-fixture: exit' | tail -n 15 | sed 's/^/  | /' >&2
			if [ -z "$status" ]; then
				[ $rc != 124 ] || die "$name: the builder VM did not finish in $secs s; console: $log"
				die "$name: the builder VM ended (QEMU status $rc) without the recipe's exit status; console: $log"
			fi
			die "$name: the recipe failed with exit status $status; console: $log"
		fi
		# blocks the tools wrote as zeros become holes again
		for img in "$tmp"/*.img; do
			fallocate --dig-holes "$img" 2>/dev/null || true
		done
		cp "$recipe" "$tmp/recipe"
		echo "$disks" > "$tmp/done"
		mv -T "$tmp" "$out"
		say "$name: done in $(since "$t0") s: $out"
	fi
	while read -r disk size; do
		echo "$out/$disk.img"
	done < "$out/done"
done
