#!/bin/sh
# bench.sh BUILD BUSYBOX - the benchmark (`make bench`; not a test).
#
# Every peer boots every fixture it can, with the same kernel (Debian's,
# from BUILD) and the same disks, interleaved (round 1: evbox, floor,
# itools-most, ...; round 2 ...).  The peers (BENCH_PEERS picks some, in
# this order; the section "the peers" below says how each is made):
#   evbox        the evbox image, host-only for the fixture's root
#   evbox-base   with BENCH_BASELINE=BUSYBOX: the same from that binary (an
#                older build, to compare two versions in one run)
#   floor        bench/floor.c: only the fixed steps for that disk (insmod
#                the modules in order, wait for the device, mount, switch)
#   itools-most  Debian's initramfs-tools, MODULES=most
#   itools-dep   initramfs-tools MODULES=dep (no row where its image lacks
#                the fixture's drivers: dep follows this host's root)
#   dracut-gen   dracut --no-hostonly (one generic image), systemd + udev
#   dracut-host  dracut with only the fixture's drivers and dracut modules
#   tiny         tiny-initramfs (mktirfs), the plain disk only
# A peer that cannot boot a fixture has a row that says why, no number.
# The fixtures (each can be skipped):
#   plain  (BENCH_PLAIN=0)  GPT, one ext4 partition vda1; all peers
#   luks   (BENCH_LUKS=0)   luks2-ext4, the passphrase typed by the harness
#   md     (BENCH_MD=0)     raid1-ext4 complete (both disks) and degraded
#   stack  (BENCH_STACK=0)  md -> LUKS2 -> LVM -> ext4, complete (RAID1)
#                           and degraded (RAID5, 2 of 3 disks)
#   net    (BENCH_NET=0)    LTSP, NFSv3, NFSv4 and NBD roots from the test
#                           bed's server VM, evbox, initramfs-tools
#                           (MODULES=netboot) and dracut, and the lab: N
#                           clients at once (evbox, initramfs-tools)
# Each root's /sbin/init is bench/marker.c (net: the served tree's init).
# Measured per boot, from the console (printk.time=1):
#   init    seconds from the kernel's "Run /init as init process" to the
#           real root's marker line in the kernel log (same printk clock),
#           minus the passphrase's wait (the prompt seen -> typed, 0.5 s
#           after it) where one is typed; the KDF is counted in
#   uptime  CLOCK_BOOTTIME at the marker (counts the kernel unpacking the
#           image), minus the same wait
# and each image's bytes, packed and unpacked.  Rounds: BENCH_ROUNDS (5) for
# the core peers (evbox, evbox-base, floor, itools-dep),
# BENCH_PEER_ROUNDS (3, at most BENCH_ROUNDS) for the others,
# BENCH_SLOW_ROUNDS (1) for dracut's degraded boots (it starts a degraded
# array after 2/3 of rd.retry=180 s); then -icount rounds of the core
# peers (BENCH_ICOUNT_ROUNDS 3, BENCH_MD_ICOUNT_ROUNDS 3,
# BENCH_STACK_ICOUNT_ROUNDS 2, BENCH_LUKS_ICOUNT_ROUNDS 0,
# BENCH_NET_ICOUNT_ROUNDS 2): QEMU's guest clock counts instructions, so
# the host's load does not move those tables.  Every boot has a deadline
# (BENCH_SECONDS 120, BENCH_MD_SECONDS and BENCH_STACK_SECONDS 180,
# BENCH_SLOW_SECONDS 300 for dracut degraded, BENCH_NET_SECONDS 240).
# Long steps say how far along they are ("bench: [12/60] dracut-host md
# complete round 3, 14m05s").
#
# Writes, in BUILD/bench: results*.txt (every sample), table*.txt (medians,
# min-max, sizes, the targets: evbox within 1.25x of the floor on init and
# 1.15x on uptime, plain and md complete; md degraded within
# rd.md.degraded_wait + 1 s of complete; the stack at least 4x shorter
# than itools-dep, and degraded than any peer; network roots 8x shorter
# than initramfs-tools', NFSv4 within 1.10x of NFSv3), results.md (those
# tables in markdown), chart.svg (bench/chart.awk: per fixture a bar per
# peer, init and packed size, the floor marked) and console/ (every
# boot's console).  Fails when an evbox or floor boot does not reach its
# marker; another peer's failed boot is its row's "n/a" and the reason.
#
# The network roots: the test bed's server VM (testsuite/vm/netbed.sh:
# Debian's nfs-kernel-server, dnsmasq, nbd-server), started once with
# max(BENCH_NET_CLIENTS) NICs, and clients on its ports over 127.0.0.1.
# One evbox image (mkinitramfs -N) boots
#   ltsp  root=/dev/nfs nfsroot=192.168.50.1:/srv/ltsp ltsp.image=images/x86_64.img
#   nfs3  root=/dev/nfs nfsroot=192.168.50.1:/srv/nfsroot
#   nfs4  root=nfs4:192.168.50.1:/srv/nfsroot
#   nbd   root=nbd:192.168.50.1:10809/root:ext4
# all with ip=dhcp; initramfs-tools (MODULES=netboot, its mode for network
# clients) boots nfs3 (BOOT=nfs, klibc's ipconfig and nfsmount) and nbd
# (nbd-client's hook: nbdroot=192.168.50.1,root,nbd0 root=/dev/nbd0); it has
# no ltsp.image= and no NFSv4 (klibc's nfsmount speaks v2/v3 only): those
# rows say so.  dracut (dracut-network's modules; network-legacy, see
# net_dracut_make) boots nfs3 (root=nfs:192.168.50.1:/srv/nfsroot:vers=3),
# nfs4 (root=nfs4:...) and nbd (root=nbd:192.168.50.1:root:ext4), with
# ip=dhcp rd.neednet=1 init=/sbin/init, BENCH_PEER_ROUNDS rounds; it has no
# ltsp.image=.  BENCH_NET_ROUNDS (BENCH_ROUNDS) rounds, interleaved.  Then
# the lab: N clients (each of BENCH_NET_CLIENTS, "1 4") started at once,
# evbox ltsp, evbox nfs3 and itools nfs3 in turn: the time until the last
# client's real root.  The server's dnsmasq runs with no-ping
# (BENCH_NET_PING=1: its default ping check, which delays the first offer
# to a client it has no lease for by 3 s), so that every boot sees the
# same server.  The marker is the served tree's /sbin/init
# (testsuite/vm/root/init): its EVBOX-CLOCK line.
#
# Environment besides the above: BENCH_NICE (a nice value for QEMU, e.g.
# -10 on a busy host), BENCH_REBUILD=1 (make the peers' images again; they
# are kept while what they are made from is the same).
#
# Needs root (or sudo): initramfs-tools and mktirfs read /lib/modules/VERSION
# and /boot/config-VERSION, which are made as hard-link copies from BUILD
# for that time and removed on exit; the hooks' host files (/etc/crypttab,
# /etc/mdadm/mdadm.conf) get a line for that time and are put back.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BUILD BUSYBOX" >&2; exit 2; }
build=$(realpath "$1") bb=$(realpath "$2")
top=$(cd "$(dirname "$0")/.." && pwd)
vm=$top/scripts/vm
work=$build/bench
# QEMU and the console script: what the VM scenarios use (vm_start, vmconsole)
. "$vm/vmlib.sh"
# evbox's images compressed as the configuration says (evbox_defconfig:
# zstd -19), as the plain disk's evbox_image is, not the VM rows' gzip
vm_compress=''
uuid=be4c0000-e7b0-4c5a-9d1e-000000000001
rounds=${BENCH_ROUNDS:-5}
base_bb=''
if [ -n "${BENCH_BASELINE:-}" ]; then
	base_bb=$(realpath "$BENCH_BASELINE") && [ -x "$base_bb" ] ||
		{ echo "bench: BENCH_BASELINE=$BENCH_BASELINE: no such binary" >&2; exit 2; }
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
	# the other peers' builders; dracut-network: dracut's network, nfs and
	# nbd modules (the net section's), with nfs-common, which its nfs
	# module copies (mount.nfs, rpcbind; a Recommends, not pulled in by
	# --no-install-recommends), whatever sections run: dracut-gen is one
	# image for every fixture, and --no-hostonly puts in every module
	# whose tools the host has
	! want dracut-gen && ! want dracut-host || md_pkg="$md_pkg dracut-core dracut-network nfs-common"
	! want tiny || md_pkg="$md_pkg tiny-initramfs-core"
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
# os_release DIR: DIR/etc/os-release, as any real root has: systemd (dracut's
# init) switches only into a tree with one ("does not seem to be an OS tree")
os_release()
{
	printf 'ID=evbox-bench\nNAME="evbox bench root"\n' > "$1/etc/os-release"
}

make_disk()	# -> $work/disk.img, $work/root (the tree)
{
	mkdir -p "$work/root/sbin" "$work/root/etc"
	for d in dev proc sys run root tmp; do mkdir -p "$work/root/$d"; done
	cp "$work/marker" "$work/root/sbin/init"
	# what a host-only builder reads: the root's own fstab
	echo "UUID=$uuid / ext4 ro 0 0" > "$work/root/etc/fstab"
	os_release "$work/root"

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

# make_modroot: $mods/lib/modules/VERSION, hard links of BUILD's modules
# with their own depmod (what the peers' builders read)
make_modroot()
{
	mods=$work/itools-modroot
	[ ! -s "$mods/lib/modules/$version/modules.dep" ] || return 0
	rm -rf "$mods"
	mkdir -p "$mods/lib/modules"
	cp -al "$moddir" "$mods/lib/modules/$version" 2>/dev/null ||
		cp -a "$moddir" "$mods/lib/modules/$version"
	depmod -b "$mods" "$version"
}

# itools_make OUT NAME "MODES" MODULE-ERE "LIST-ERES" [FILE LINE]...: an
# initramfs-tools image, the first of MODES (netboot, dep, most) whose image holds
# every module the ERE's alternatives name and, for each of LIST-ERES
# (space-separated), a path that it matches (cryptsetup's crypttab,
# mdadm, lvm); each LINE is added to the host's FILE (host_append) while
# mkinitramfs runs.  Sets built_mode; when no mode gives such an image,
# returns 1 with na_why saying why.  The image is kept while the kernel,
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
	if [ -z "${BENCH_REBUILD:-}" ] && [ -s "$out.na" ] && [ "$(sed -n 1p "$out.na")" = "$key" ]; then
		na_why=$(sed -n 2p "$out.na")
		say "$name: initramfs-tools made no usable image last time, nothing changed: $na_why"
		return 1
	fi
	rm -f "$out" "$out.key" "$out.na"
	make_modroot
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
	built_mode='' na_why=''
	for mode in $modes; do
		sed -i "s/^MODULES=.*/MODULES=$mode/" "$conf/initramfs.conf"
		rm -f "$out"
		say "$name: mkinitramfs MODULES=$mode"
		if ! mkinitramfs -d "$conf" -o "$out" "$version" > "$work/$name-$mode.log" 2>&1; then
			say "$name: initramfs-tools MODULES=$mode failed (see $work/$name-$mode.log)"
			na_why="${na_why:+$na_why; }MODULES=$mode: mkinitramfs failed"
			continue
		fi
		# dep looks at this host's root device, not the VM's: keep its
		# image only if it holds what the bench disk needs
		lsinitramfs "$out" > "$work/$name.list"
		lacks=''
		for m in $(echo "$re" | tr '|' ' '); do
			grep -Eq "/$m\.ko\$" "$work/$name.list" || lacks="$lacks $m"
		done
		for l in $listre; do
			grep -Eq "$l" "$work/$name.list" || lacks="$lacks $l"
		done
		if [ -z "$lacks" ]; then
			built_mode=$mode
			break
		fi
		say "$name: initramfs-tools MODULES=$mode: its image lacks$lacks"
		na_why="${na_why:+$na_why; }MODULES=$mode: its image lacks$lacks"
	done
	restore_host
	unmake_host
	trap - EXIT INT TERM
	if [ -z "$built_mode" ]; then
		rm -f "$out"
		printf '%s\n%s\n' "$key" "$na_why" > "$out.na"
		return 1
	fi
	printf '%s\n%s\n' "$key" "$built_mode" > "$out.key"
}

# dracut_make OUT NAME [ARGS...]: a dracut image for the bench's kernel
# (--kver, --kmoddir: make_modroot's tree, so the host's /lib/modules is
# not needed) with ARGS, never host-only (this host's root is not the VM's
# disk: what a peer needs is named in ARGS); dracut's default init, systemd
# (with udev), as Debian's dracut makes it on a host with systemd.  The
# image is kept while the kernel, dracut, the packages its modules copy
# from, the host's dracut configuration, mdadm.conf and ARGS are the same
# (BENCH_REBUILD=1: make it again).  Returns 1 with na_why when dracut
# fails.
dracut_make()
{
	out=$1 name=$2
	shift 2
	key="$version $(dpkg-query -W -f='${Version} ' dracut-core dracut-network systemd udev cryptsetup-bin mdadm lvm2 nfs-common nbd-client 2>/dev/null)$* $(cat /etc/dracut.conf /etc/dracut.conf.d/* /etc/mdadm/mdadm.conf 2>/dev/null | md5sum)"
	if [ -z "${BENCH_REBUILD:-}" ] && [ -s "$out" ] && [ -s "$out.key" ] &&
	   [ "$(cat "$out.key")" = "$key" ]; then
		say "$name: dracut image unchanged"
		return 0
	fi
	rm -f "$out" "$out.key"
	make_modroot
	say "$name: dracut $*"
	if ! dracut -q --force --kver "$version" --kmoddir "$mods/lib/modules/$version" \
		--no-hostonly --no-hostonly-cmdline "$@" "$out" > "$work/$name.log" 2>&1; then
		na_why="dracut failed (see $work/$name.log: $(tail -n 1 "$work/$name.log"))"
		say "$name: $na_why"
		rm -f "$out"
		return 1
	fi
	printf '%s\n' "$key" > "$out.key"
}

# tiny_make OUT "MODULES": a tiny-initramfs image (mktirfs; its init is one
# static C program: root=UUID= for ext4, modules loaded in the order of its
# list) with exactly MODULES and what they depend on (modprobe
# --show-depends, which reads /lib/modules/VERSION: made there for that
# time, as for initramfs-tools), no microcode.  Returns 1 with na_why when
# mktirfs fails.
tiny_make()
{
	make_modroot
	trap 'unmake_host' EXIT INT TERM
	make_host "$mods/lib/modules/$version" "/lib/modules/$version"
	say "tiny: mktirfs --include-modules=$(echo $2 | tr ' ' ,)"
	rc=0
	mktirfs -o "$1" -m no -M no -d no --include-modules="$(echo $2 | tr ' ' ,)" "$version" \
		> "$work/tiny.log" 2>&1 || rc=$?
	unmake_host
	trap - EXIT INT TERM
	[ "$rc" = 0 ] || { na_why="mktirfs failed (see $work/tiny.log)"; return 1; }
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
# does not reach the marker returns 1 (its console's last lines on stderr).
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
		return 1
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
		{ echo "bench: $name boot $round: could not read the timestamps in $log" >&2; return 1; }
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

# ---- the peers ----------------------------------------------------------------
# Every initramfs system the bench knows, in the tables' order (BENCH_PEERS
# picks some; a fixture boots those of them that can boot it):
#   evbox        the evbox image (host-only for the fixture's root)
#   evbox-base   the same from BENCH_BASELINE's binary
#   floor        bench/floor.c for that disk (plain, md)
#   itools-most  initramfs-tools MODULES=most (with cryptsetup-initramfs,
#                mdadm and lvm2's hooks where the fixture needs them)
#   itools-dep   initramfs-tools MODULES=dep: dep follows this host's own
#                root device, so a fixture whose drivers it misses has no
#                itools-dep row (the row says what the image lacks)
#   dracut-gen   dracut --no-hostonly: one generic image for every
#                fixture (all storage and NIC drivers and its crypt, dm,
#                mdraid, lvm, nfs and nbd modules, -a network-legacy;
#                udev assembles and unlocks what it finds)
#   dracut-host  dracut with only the fixture's kernel drivers (--drivers)
#                and dracut modules (-m): what host-only would keep for
#                that disk, without reading this host's devices
#   tiny         tiny-initramfs (mktirfs, plain only) with the floor's modules
# dracut's images boot its default init on a host with systemd: systemd
# with udev in the initramfs.  Rounds: the core peers (evbox, evbox-base,
# floor, itools-dep) BENCH_ROUNDS, the others BENCH_PEER_ROUNDS (3, at most
# BENCH_ROUNDS), dracut degraded BENCH_SLOW_ROUNDS (1: it waits 2/3 of
# rd.retry=180 s before it starts a degraded array); -icount rounds the
# core peers only.
all_peers="evbox floor itools-most itools-dep dracut-gen dracut-host tiny"
core_peers="evbox evbox-base floor itools-dep"
# the dracut modules of dracut-host (dracut adds what they depend on) and
# the kernel drivers of the plain disk (with their dependencies)
dracut_host_modules="systemd-initrd dracut-systemd kernel-modules rootfs-block udev-rules base fs-lib"
# dracut-gen's one image: every module whose tools the host has, and
# network-legacy as the network modules' handler (net_dracut_make says why)
dracut_gen_args="-a network-legacy"
plain_drivers="virtio_pci virtio_blk crc32c_generic ext4"
luks_drivers="dm_mod dm_crypt xts ecb aesni_intel af_alg algif_skcipher algif_hash sha256_ssse3"

want()	# PEER: whether BENCH_PEERS names PEER
{
	case " $peers " in *" $1 "*) return 0 ;; esac
	return 1
}

rounds_of()	# PEER CASE: how many rounds PEER boots in CASE
{
	case $1.$2 in
	dracut-*.degraded) n=${BENCH_SLOW_ROUNDS:-1} ;;
	*) case " $core_peers " in
	   *" $1 "*) n=$rounds ;;
	   *) n=${BENCH_PEER_ROUNDS:-3} ;;
	   esac ;;
	esac
	[ "$n" -le "$rounds" ] || n=$rounds
	echo "$n"
}

peer_prompt()	# PEER NAME DEVICE: what PEER prints when it asks for the LUKS NAME on DEVICE
{
	case $1 in
	evbox*) echo "Passphrase for $3 ($2): " ;;
	itools*) echo "Please unlock disk $2: " ;;
	# systemd-ask-password on the console (its name: luks-UUID)
	dracut*) echo "Please enter passphrase for disk " ;;
	esac
}

elapsed()	# -> minutes and seconds since the bench started
{
	awk -v s="$start" '{ t = $1 - s; printf "%dm%02ds", t / 60, t % 60 }' /proc/uptime
}

# ---- a fixture: its images, its boots, its tables ----------------------------
# fx_begin FIXTURE "CASES": a new fixture (plain, luks, md, stack) whose
# peers' images are then made: fx_have PEER (it has its images) or
# fx_lack PEER CASE WHY (it has none for CASE: its row says WHY).
fx_begin()
{
	fx=$1 fx_cases=$2 fx_ok='' fx_bad='' fx_na=''
	fx_sfx=-$1
	[ "$1" != plain ] || fx_sfx=''
}
fx_have()	# PEER
{
	case " $fx_ok " in *" $1 "*) ;; *) fx_ok="$fx_ok $1" ;; esac
}
fx_lack()	# PEER CASE WHY
{
	fx_bad="$fx_bad $1.$2"
	fx_na="$fx_na# na $1.$2 $3
"
	if [ "$2" = "$fx" ]; then say "$1: no $fx row: $3"; else say "$1: no $fx $2 row: $3"; fi
}
fx_bad()	# PEER CASE: whether PEER has no image (or no number) in CASE
{
	case " $fx_bad " in *" $1.$2 "*) return 0 ;; esac
	return 1
}

fx_image()	# PEER CASE: the image PEER boots in CASE of the fixture
{
	case $fx.$1.$2 in
	*.dracut-gen.*) echo "$work/dracut-gen.img" ;;
	md.floor.degraded) echo "$work/floor-md1.img" ;;
	plain.*) echo "$work/$1.img" ;;
	stack.*.degraded) echo "$work/$1-stack5.img" ;;
	*) echo "$work/$1-$fx.img" ;;
	esac
}

fx_results()	# [icount]: the fixture's results file
{
	echo "$work/results$fx_sfx${1:+-icount}.txt"
}

# fx_header LINE...: the results file: the LINEs ("# ..."), the host, then
# per peer and case its image's sizes ("# size PEER.CASE compressed=
# uncompressed= format=") or why it has none ("# na PEER.CASE WHY")
fx_header()
{
	{
		for l in "$@"; do echo "$l"; done
		echo "# host: $(nproc) cores, load average before the boots: $(cut -d' ' -f1-3 /proc/loadavg)"
		for c in $fx_cases; do
			for p in $fx_ok; do
				fx_bad "$p" "$c" && continue
				i=$(fx_image "$p" "$c")
				echo "# size $p.$c compressed=$(stat -L -c %s "$i") uncompressed=$(unpacked_size "$i") format=$(compression "$i")"
			done
		done
		printf '%s' "$fx_na"
	} > "$(fx_results)"
}

# fx_boot PEER CASE ROUND [icount]: one boot of the fixture until the real
# root's marker; a line "PEER.CASE ROUND ..." in its results (boot_marker)
fx_boot()
{
	fp=$1 fc=$2 fr=$3 fic=${4:-}
	secs=${BENCH_SECONDS:-120} boot_prompt=''
	case $fx in
	plain) set -- "$cmdline" "$work/disk.img" ;;
	luks) set -- "$cmdline_luks" "$luks_disk"
	      boot_prompt=$(peer_prompt "$fp" cryptroot /dev/vda) ;;
	md) secs=${BENCH_MD_SECONDS:-180}
	    set -- "$cmdline_md" "$md_a"
	    [ "$fc" != complete ] || set -- "$@" "$md_b" ;;
	stack) secs=${BENCH_STACK_SECONDS:-180}
	       if [ "$fc" = complete ]; then
		       # shellcheck disable=SC2086
		       set -- "root=UUID=$stack_fs" $stack_disks
		       boot_prompt=$(peer_prompt "$fp" cryptstack /dev/md127)
	       else
		       # shellcheck disable=SC2086
		       set -- "root=UUID=$rluks_fs" $rluks_disks
		       boot_prompt=$(peer_prompt "$fp" cryptrl /dev/md127)
	       fi ;;
	esac
	case $fp.$fc in dracut-*.degraded) secs=${BENCH_SLOW_SECONDS:-300} ;; esac
	vm_flags=''
	[ -z "$fic" ] || vm_flags=$vm_icount
	fa=$1
	shift
	# dracut: what its host-only mode writes into the image's command
	# line (no crypttab, no mdadm.conf in a --no-hostonly image: systemd
	# unlocks only a rd.luks.uuid= device)
	case $fp.$fx.$fc in
	dracut-*.luks.*) fa="$fa rd.luks.uuid=$luks_uuid" ;;
	dracut-*.md.*) fa="$fa rd.md.uuid=$md_uuid" ;;
	dracut-*.stack.complete) fa="$fa rd.md.uuid=$stack_md rd.luks.uuid=$stack_uuid rd.lvm.lv=evboxstack/root" ;;
	dracut-*.stack.degraded) fa="$fa rd.md.uuid=$rluks_md rd.luks.uuid=$rluks_uuid rd.lvm.lv=evboxrl/root" ;;
	esac
	rc=0
	boot_marker "$fp.$fc" "$fr" "$(fx_image "$fp" "$fc")" \
		"$work/console/$fx-$fp-$fc-$fr${fic:+-icount}.log" "$(fx_results "$fic")" "$secs" "$fa" "$@" || rc=$?
	vm_flags='' boot_prompt=''
	return $rc
}

# fx_boots "PEERS" "CASES" [icount]: the boots of the fixture, round by
# round, the cases and the peers interleaved in each (under -icount:
# fx_icount rounds of each), saying how far along they are.  A peer's
# boot that does not reach the marker: its row says so and its other
# rounds in that case are left out; evbox's or the floor's ends the bench.
fx_boots()
{
	bp=$1 bc=$2 bi=${3:-} plan=''
	maxr=$rounds
	[ -z "$bi" ] || maxr=$fx_icount
	for r in $(seq 1 "$maxr"); do
		for c in $bc; do
			for p in $bp; do
				fx_bad "$p" "$c" && continue
				[ -n "$bi" ] || [ "$r" -le "$(rounds_of "$p" "$c")" ] || continue
				plan="$plan $r:$c:$p"
			done
		done
	done
	total=$(echo $plan | wc -w) i=0
	for b in $plan; do
		r=${b%%:*} p=${b##*:} c=${b#*:}
		c=${c%%:*} i=$((i + 1))
		fx_bad "$p" "$c" && continue
		note=''
		case $p.$c in
		dracut-*.degraded) note=' (dracut starts the array after 2/3 of rd.retry=180: 2+ min)' ;;
		itools-*.degraded) note=' (initramfs-tools waits 20+ s)' ;;
		esac
		cs=" $c"
		[ "$c" != "$fx" ] || cs=''
		say "[$i/$total] $p $fx$cs round $r${bi:+ -icount}$note, $(elapsed)"
		fx_boot "$p" "$c" "$r" "$bi" && continue
		case $p in evbox|evbox-base|floor) die "$p $fx$cs: boot $r did not reach the marker" ;; esac
		fx_bad="$fx_bad $p.$c"
		echo "# na $p.$c boot $r did not reach the real root's marker within $secs s (console: $work/console/$fx-$p-$c-$r${bi:+-icount}.log)" >> "$(fx_results "$bi")"
	done
}

# peer_table RESULTS TARGETS [SUMMARY [ONLY]]: the table of a results file
# (fx_header's lines and boot_marker's), a row per peer and case in the
# order of the header, then TARGETS (awk: an END block with mi, mu,
# ratio, uratio, by_round, target); with SUMMARY, a line per row appended
# to it for results.md and the chart ("LABEL PEER ok BOOTS INIT MIN MAX
# UPTIME PACKED CPIO FORMAT" or "LABEL PEER na WHY"); ONLY: these peers'
# rows only.  init is net (init - wait) where a passphrase was typed.
peer_table()
{
	awk -v fix="$fx" -v summary="${3:-}" -v only="${4:-}" -v md_wait="${md_wait:-}" "$awk_stats"'
		function key(n) { if (!(n in seen)) { seen[n] = 1; order[++no] = n } }
		function split_name(n,    i) { i = index(n, "."); peer = substr(n, 1, i - 1); cs = substr(n, i + 1) }
		function label(c) { return (c == fix || c == "complete") ? fix : fix "-" c }
		/^# size / { key($3); for (i = 4; i <= NF; i++) { split($i, kv, "="); sz[$3, kv[1]] = kv[2] }; next }
		/^# na / { key($3); r = $0; sub(/^# na [^ ]* /, "", r); na[$3] = r; next }
		/^#/ { next }
		{
			n = $1; key(n); split("", v)
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]
			init[n, k] = ("net" in v) ? v["net"] : v["init"]
			up[n, k] = ("netup" in v) ? v["netup"] : ("boottime" in v) ? v["boottime"] : v["uptime"]
			run[n, k] = ("run" in v) ? v["run"] : 0
			wt[n, k] = ("wait" in v) ? v["wait"] : 0
		}
		function mi(n) { return (cnt[n] && !(n in na)) ? median(init, n) : -1 }
		function mu(n) { return (cnt[n] && !(n in na)) ? median(up, n) : -1 }
		function ratio(a, b) { return (mi(a) > 0 && mi(b) > 0) ? mi(a) / mi(b) : 0 }
		function uratio(a, b) { return (mu(a) > 0 && mu(b) > 0) ? mu(a) / mu(b) : 0 }
		# the boots of A and B paired by round: the median of the ratios
		# (steadier than the ratio of the medians when the host load drifts)
		function by_round(a, b, what,    k, r) {
			cnt["r"] = cnt[b] < cnt[a] ? cnt[b] : cnt[a]
			for (k = 1; k <= cnt["r"]; k++)
				r["r", k] = what == "init" ? init[a, k] / init[b, k] : up[a, k] / up[b, k]
			return median(r, "r")
		}
		function target(what, r, goal, ge) {
			if (r == 0) { printf "%-46s   n/a (not booted)\n", what; return }
			printf "%-46s %6.2fx  (target %s %gx)  %s\n", what, r, ge ? ">=" : "<=", goal,
				(ge ? r >= goal : r <= goal) ? "MET" : "NOT MET"
		}
		END {
			printf "\n%-14s %-9s %-5s %9s %9s %6s %7s %13s %7s %13s %5s %6s %2s  %s\n", "peer", "case", "comp",
				"packed", "cpio", "kernel", "init", "(min-max)", "uptime", "(min-max)", "wait", "/evbox",
				"n", "init samples (s)"
			for (o = 1; o <= no; o++) {
				n = order[o]; split_name(n)
				if (only != "" && index(" " only " ", " " peer " ") == 0) continue
				if ((n in na) || !cnt[n]) {
					why = (n in na) ? na[n] : "not booted"
					printf "%-14s %-9s n/a: %s\n", peer, cs, why
					if (summary != "") print label(cs), peer, "na", why >> summary
					continue
				}
				m = median(init, n); u = median(up, n); e = "evbox." cs
				x = (mi(e) > 0) ? sprintf("%.2fx", m / mi(e)) : "-"
				w = median(wt, n); w = w > 0 ? sprintf("%.2f", w) : "-"
				kr = median(run, n); kr = kr > 0 ? sprintf("%.3f", kr) : "-"
				printf "%-14s %-9s %-5s %9s %9s %6s %7.3f %6.2f-%-6.2f %7.3f %6.2f-%-6.2f %5s %6s %2d  %s\n",
					peer, cs, sz[n, "format"], sz[n, "compressed"], sz[n, "uncompressed"], kr,
					m, least(init, n), most(init, n), u, least(up, n), most(up, n), w, x, cnt[n], samples(init, n)
				if (summary != "")
					printf "%s %s ok %d %.3f %.3f %.3f %.3f %s %s %s\n", label(cs), peer, cnt[n], m,
						least(init, n), most(init, n), u, sz[n, "compressed"], sz[n, "uncompressed"],
						sz[n, "format"] >> summary
			}
			printf "\nsizes in bytes (packed: the image file; cpio: unpacked); medians (min-max) of n boots, interleaved;\n"
			printf "kernel = uptime at Run /init (the kernel has unpacked the image); init = Run /init -> the real root'"'"'s\n"
			printf "marker (printk clock); uptime = CLOCK_BOOTTIME at the marker; where a passphrase is typed both are\n"
			printf "minus wait (the prompt seen -> the passphrase typed, 0.5 s after it, host clock); /evbox = init / evbox'"'"'s\n"
			printf "init in the same case; n = boots\n\n"
		}
	'"$2" "$1"
}

# the targets of each fixture's table (peer_table's TARGETS)
plain_targets='END {
	target("evbox/floor init", ratio("evbox.plain", "floor.plain"), 1.25, 0)
	target("evbox/floor uptime", uratio("evbox.plain", "floor.plain"), 1.15, 0)
	if (mi("evbox.plain") > 0 && mi("floor.plain") > 0)
		printf "evbox/floor by round (median of the per-round ratios): %.2fx init, %.2fx uptime\n",
			by_round("evbox.plain", "floor.plain", "init"), by_round("evbox.plain", "floor.plain", "uptime")
	if (mi("evbox-base.plain") > 0)
		printf "evbox/evbox-base: %.2fx init, %.2fx uptime (medians); by round: %.2fx init, %.2fx uptime\n",
			ratio("evbox.plain", "evbox-base.plain"), uratio("evbox.plain", "evbox-base.plain"),
			by_round("evbox.plain", "evbox-base.plain", "init"), by_round("evbox.plain", "evbox-base.plain", "uptime")
}'
luks_targets='END { printf "the KDF (pbkdf2, 1000 iterations) is in init\n" }'
md_targets='END {
	target("complete, evbox/floor init", ratio("evbox.complete", "floor.complete"), 1.25, 0)
	target("complete, evbox/floor uptime", uratio("evbox.complete", "floor.complete"), 1.15, 0)
	for (o = 1; o <= no; o++) {
		split_name(order[o])
		if (cs != "complete" || mi(order[o]) < 0 || mi(peer ".degraded") < 0) continue
		d = mi(peer ".degraded") - mi(order[o])
		if (peer == "evbox")
			printf "degraded - complete, %-11s %6.2f s init  (target <= rd.md.degraded_wait %s + 1 s)  %s\n",
				peer ":", d, md_wait, d <= md_wait + 1 ? "MET" : "NOT MET"
		else
			printf "degraded - complete, %-11s %6.2f s init\n", peer ":", d
	}
	printf "(the floor starts the array at once; initramfs-tools: mdadm --run in the 20th 1 s round;\n"
	printf "dracut: after 2/3 of rd.retry, 180 s)\n"
}'
stack_targets='END {
	target("complete, itools-dep/evbox init", ratio("itools-dep.complete", "evbox.complete"), 4, 1)
	target("degraded, itools-dep/evbox init", ratio("itools-dep.degraded", "evbox.degraded"), 4, 1)
	best = 0
	for (o = 1; o <= no; o++) {
		split_name(order[o])
		if (cs == "degraded" && peer != "evbox" && mi(order[o]) > 0 && (best == 0 || mi(order[o]) < best)) {
			best = mi(order[o]); bp = peer
		}
	}
	target("degraded, the fastest other peer/evbox init" (best ? " (" bp ")" : ""),
		best && mi("evbox.degraded") > 0 ? best / mi("evbox.degraded") : 0, 4, 1)
}'

# fx_bench ICOUNT-ROUNDS TITLE TARGETS: the fixture's boots (fx_boots of
# every peer with an image), its table (BUILD/bench/table$fx_sfx.txt, rows
# into summary.txt); then ICOUNT-ROUNDS rounds of its core peers under
# -icount, whose guest clock counts instructions, so that the host's load
# does not move the ratios (results$fx_sfx-icount.txt, table...-icount.txt)
fx_bench()
{
	res=$(fx_results)
	fx_boots "$fx_ok" "$fx_cases"
	echo "# host load average after the boots: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$res"
	{ grep '^# ' "$res" | grep -v '^# size \|^# na '; peer_table "$res" "$3" "$work/summary.txt"; } |
		tee "$work/table$fx_sfx.txt"
	[ "$1" -gt 0 ] || return 0
	fx_core=''
	for p in $fx_ok; do
		case " $core_peers " in *" $p "*) fx_core="$fx_core $p" ;; esac
	done
	[ -n "$fx_core" ] || return 0
	grep '^# ' "$res" | grep -v '^# host load average after' > "$(fx_results icount)"
	fx_icount=$1
	fx_boots "$fx_core" "$fx_cases" icount
	echo
	echo "$2 with -icount shift=0 (guest instructions, 1 ns each; independent of the host's load):"
	peer_table "$(fx_results icount)" "$3" "" "$fx_core" | tee "$work/table$fx_sfx-icount.txt"
}

# peer_itools CASE MODULE-ERE "LIST-ERES" [FILE LINE]...: the images of
# itools-most and itools-dep (those BENCH_PEERS names) for CASE of the
# fixture (itools_make, one mode each)
peer_itools()
{
	pc=$1
	shift
	for mode in most dep; do
		want "itools-$mode" || continue
		pi=$(fx_image "itools-$mode" "$pc")
		pn=$(basename "$pi" .img)
		say "making the initramfs-tools image $pn (MODULES=$mode)"
		if itools_make "$pi" "$pn" "$mode" "$@"; then
			fx_have "itools-$mode"
		else
			fx_lack "itools-$mode" "$pc" "$na_why"
		fi
	done
}

# peer_dracut CASE "DRACUT-MODULES" "DRIVERS": the images of dracut-gen
# (one for every fixture) and dracut-host (-m the dracut_host_modules and
# DRACUT-MODULES, --drivers the plain disk's and DRIVERS) for CASE
peer_dracut()
{
	if want dracut-gen; then
		# shellcheck disable=SC2086
		if dracut_make "$work/dracut-gen.img" dracut-gen $dracut_gen_args; then
			fx_have dracut-gen
		else
			fx_lack dracut-gen "$1" "$na_why"
		fi
	fi
	if want dracut-host; then
		pi=$(fx_image dracut-host "$1")
		if dracut_make "$pi" "$(basename "$pi" .img)" -m "$dracut_host_modules${2:+ $2}" \
			--drivers "$plain_drivers${3:+ $3}"; then
			fx_have dracut-host
		else
			fx_lack dracut-host "$1" "$na_why"
		fi
	fi
}

# ---- LUKS, md, the stack: the fixtures' keys ------------------------------------
# LUKS: luks2-ext4 (LUKS2, pbkdf2 at 1000 iterations, made in a VM by
# testsuite/vm/fixture.sh) with the marker's root inside; evbox: the VM
# scenarios' image (scripts/vm/vmlib.sh make_image) for a target whose
# crypttab names the device; initramfs-tools: cryptsetup-initramfs, whose
# hook reads the host's /etc/crypttab (a line with `initramfs` added
# while mkinitramfs runs, the file put back on exit); dracut: no crypttab,
# it unlocks the LUKS device udev finds (luks-UUID).  The harness
# (vmconsole) types the passphrase 0.5 s after the prompt (they flush
# their input after printing it); its wait is subtracted.
luks_uuid=5e1f0100-e7b0-4c5a-9d1e-000000000001
luks_fs=5e1f0100-e7b0-4c5a-9d1e-000000000002
luks_pass=evbox-test

# md RAID1: raid1-ext4 (testsuite/vm/fixtures/raid1-ext4.recipe: two 32 MiB
# disks, md RAID1, metadata 1.2, name evbox:root) with the marker's root on
# the array; complete: both disks; degraded: raid1a alone.  evbox: make_image
# for a target whose mdadm.conf has the ARRAY line (degraded: evraid starts
# the array after rd.md.degraded_wait=); the floor built to assemble md0
# itself (floor-md from vda and vdb, floor-md1 from vda alone, at once);
# initramfs-tools with mdadm's hook (the ARRAY line added to the host's
# /etc/mdadm/mdadm.conf while mkinitramfs runs; degraded: mdadm --run in
# the 20th 1 s round of its wait for the root); dracut: udev's incremental
# assembly, a degraded array started after 2/3 of rd.retry (180 s).
md_uuid=5e1f0400:e7b04c5a:9d1e0000:00000001
md_fs=5e1f0400-e7b0-4c5a-9d1e-000000000002
md_line="ARRAY /dev/md/root level=raid1 metadata=1.2 num-devices=2 UUID=$md_uuid name=evbox:root"
md_modules="$floor_modules md-mod raid1"

# The stack: md -> LUKS2 -> LVM -> ext4, the marker's root on the LV:
#   complete  raid1-luks2-lvm-ext4: md RAID1 (1.2, evbox:stack) over both
#             disks, LUKS2 $stack_uuid on the array, VG evboxstack, LV root
#   degraded  raid5-luks2-lvm-ext4: md RAID5 (1.2, evbox:rluks) over three
#             disks, booted with a and b only; LUKS2 $rluks_uuid, VG evboxrl
# evbox: make_image for a target with the crypttab line and the fstab
# (raid1 / raid456 as modules, as the VM rows stack_md_luks_lvm and
# stack_raid5_degraded make theirs); initramfs-tools with the
# cryptsetup-initramfs, mdadm and lvm2 hooks (lines in the host's
# /etc/crypttab and /etc/mdadm/mdadm.conf, put back on exit); dracut as
# for md and LUKS, its lvm module activating the VG.  Targets: evbox's init
# at least 4x shorter than itools-dep's, complete and degraded, and the
# degraded one 4x shorter than any peer's.
stack_md=5e1f0700:e7b04c5a:9d1e0000:00000001
stack_uuid=5e1f0700-e7b0-4c5a-9d1e-000000000003
stack_fs=5e1f0700-e7b0-4c5a-9d1e-000000000002
rluks_md=5e1f0504:e7b04c5a:9d1e0000:00000001
rluks_uuid=5e1f0504-e7b0-4c5a-9d1e-000000000003
rluks_fs=5e1f0504-e7b0-4c5a-9d1e-000000000002

# stack_images CASE SUFFIX MODULE CRYPTNAME LUKS-UUID ARRAY-LINE: the images
# of CASE: evbox-SUFFIX.img (the VM rows' image for $work/SUFFIX-target:
# the fstab of the fixture's root $work/SUFFIX-root, the crypttab line,
# MODULE), the initramfs-tools ones (the crypttab line with `initramfs`
# and the ARRAY line in the host's files) and dracut's
stack_images()
{
	t=$work/$2-target
	mkdir -p "$t/etc"
	cp "$work/$2-root/etc/fstab" "$t/etc/fstab"
	echo "$4 UUID=$5 none luks" > "$t/etc/crypttab"
	if want evbox; then
		say "making the evbox $2 image"
		vm_extra_modules=$3 make_image "$work/evbox-$2.img" "$t" > "$work/evbox-$2.log" 2>&1 ||
			{ cat "$work/evbox-$2.log" >&2; die "cannot make the evbox $2 image"; }
		fx_have evbox
	fi
	peer_itools "$1" "virtio_blk|virtio_pci|ext4|dm-mod|dm-crypt|md-mod|$3" \
		'cryptroot/crypttab$ sbin/mdadm$ sbin/lvm$' \
		/etc/crypttab "$4 UUID=$5 none luks,initramfs" /etc/mdadm/mdadm.conf "$6"
	peer_dracut "$1" "crypt systemd-ask-password mdraid lvm" "$luks_drivers md_mod $3"
}

header_sizes()	# IMAGE...: the host's lines and the images' sizes for a results file
{
	echo "# host: $(nproc) cores, load average before the boots: $(cut -d' ' -f1-3 /proc/loadavg)"
	for n in "$@"; do
		echo "# size $n compressed=$(stat -c %s "$work/$n.img") uncompressed=$(unpacked_size "$work/$n.img")"
	done
}

# ---- results.md ---------------------------------------------------------------
# results_md SECONDS: the run's tables in markdown: one per fixture from
# summary.txt (peer_table's rows), the targets, then the text tables
results_md()
{
	echo "# evbox bench"
	echo
	echo "$(date -u +%Y-%m-%dT%H:%MZ); kernel $version; QEMU TCG, $(nproc) cores; the run took $1 s."
	echo "Peers: $peers.  Rounds: $rounds for evbox, the floor and itools-dep, $(rounds_of tiny plain) for the"
	echo "others, $(rounds_of dracut-gen degraded) for dracut's degraded boots; interleaved."
	echo
	echo "init = \`Run /init\` -> the real root's marker (printk clock), minus the passphrase wait where one"
	echo "is typed; uptime = CLOCK_BOOTTIME at the marker (counts the kernel unpacking the image); packed ="
	echo "the image file, unpacked = its cpio; /evbox = init / evbox's init; BUILD/bench/chart.svg draws them."
	[ ! -s "$work/summary.txt" ] || awk '
		function size(b) { return b !~ /^[0-9]+$/ ? "-" : b >= 1048576 ? sprintf("%.2f MiB", b / 1048576) : sprintf("%.1f KiB", b / 1024) }
		{ if (!($1 in seen)) { seen[$1] = 1; fx[++nf] = $1 }; row[$1, ++nr[$1]] = $0; if ($3 == "ok") med[$1, $2] = $5 }
		END {
			for (f = 1; f <= nf; f++) {
				l = fx[f]
				printf "\n### %s\n\n| peer | init (s) | min-max | /evbox | uptime (s) | boots | packed | unpacked | format |\n", l
				printf "|---|--:|--:|--:|--:|--:|--:|--:|---|\n"
				for (k = 1; k <= nr[l]; k++) {
					split(row[l, k], a, " ")
					if (a[3] == "na") {
						why = row[l, k]; sub(/^[^ ]+ [^ ]+ na /, "", why)
						printf "| %s | n/a: %s | | | | | | | |\n", a[2], why
						continue
					}
					x = ((l, "evbox") in med) && med[l, "evbox"] > 0 ? sprintf("%.2fx", a[5] / med[l, "evbox"]) : "-"
					printf "| %s | %.3f | %.2f-%.2f | %s | %.3f | %d | %s | %s | %s |\n", a[2], a[5], a[6], a[7], x,
						a[8], a[4], size(a[9]), size(a[10]), a[11]
				}
			}
		}' "$work/summary.txt"
	echo
	echo "## Targets"
	echo
	for f in "$work"/table*.txt; do
		grep -h '(target' "$f" | sed "s|^|- $(basename "$f" .txt): |"
	done
	echo
	echo "## The text tables"
	for f in "$work"/table*.txt; do
		printf '\n### %s\n\n```\n' "$(basename "$f")"
		cat "$f"
		printf '```\n'
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
	os_release "$1"
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
# same init for every initramfs system), and its U (/proc/uptime) the
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
# ends the bench (the trap stops the server and the clients); with
# net_soft set (a peer's boot, not evbox's or initramfs-tools'), net_boot
# says so and returns 1 with na_why, and nothing goes into RESULTS.
net_boot()
{
	nc_dirs='' nc_i=0 nc_bad=''
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
			if [ -n "${net_soft:-}" ]; then
				say "$1 round $2: did not reach its real root within ${BENCH_NET_SECONDS:-240} s ($(tail -n 1 "$nc_d/vmconsole.err")); console: $nc_log"
				na_why="boot $2 did not reach the real root's marker within ${BENCH_NET_SECONDS:-240} s (console: $nc_log)"
				nc_bad=1
				continue
			fi
			echo "bench: $1 round $2: client $nc_i of $7 did not reach its real root within ${BENCH_NET_SECONDS:-240} s: $(tail -n 1 "$nc_d/vmconsole.err")" >&2
			echo "--- last lines of $nc_log" >&2
			tail -n 25 "$nc_log" >&2
			exit 1 ;;
		esac
		nc_all="$nc_all $nc_v"
	done
	[ -z "$nc_bad" ] || return 1
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
	dracut-*.nfs3) set -- "$@" "$(net_dracut_image "${1%.*}" nfs3)" "$net_dracut_nfs3" "$NETBED_MAC_LAB_NFS" ;;
	dracut-*.nfs4) set -- "$@" "$(net_dracut_image "${1%.*}" nfs4)" "$net_dracut_nfs4" "$NETBED_MAC_LAB_NFS" ;;
	dracut-*.nbd) set -- "$@" "$(net_dracut_image "${1%.*}" nbd)" "$net_dracut_nbd" "$net_mac_none" ;;
	esac
	net_boot "$1" "$2" "$3" "$4" "$5" "$6" 1 $ns_ic
}

# dracut's network rows.  dracut-gen: its one generic image, the disks'
# (dracut_make with no -m: every module whose tools the host has,
# dracut-network's network, nfs and nbd among them, and all NIC drivers;
# -a network-legacy); dracut-host: -m the dracut_host_modules and
# network-legacy, network with nfs or nbd, --drivers the NIC's and the
# root's (the network module still adds the NIC drivers of
# kernel-network-modules: only a host-only image on a host with that NIC
# would leave them out).  network-legacy
# (dhclient and dracut's ifup) named, since on a host with
# systemd-networkd dracut 059 picks that handler, and nothing there runs
# /sbin/netroot (network-legacy's ifup, NetworkManager's and connman's
# hooks do): an nfs or nbd root would never be mounted.  No ltsp row:
# ltsp.image= is LTSP's own hook for initramfs-tools, and dracut has no
# squashfs-image-on-NFS root of its own grammar.  The command lines are
# dracut's own grammar; init=: systemd's switch-root refuses a tree
# without /etc/os-release unless it is told the new root's init, and the
# served tree has none.
net_dracut_drivers_nfs="virtio_pci virtio_net nfs nfsv3 nfsv4"
net_dracut_drivers_nbd="virtio_pci virtio_net nbd ext4 crc32c_generic"
net_dracut_image()	# PEER CASE: the image PEER boots in CASE
{
	case $1.$2 in
	dracut-gen.*) echo "$work/dracut-gen.img" ;;
	*.nbd) echo "$work/$1-nbd.img" ;;
	*) echo "$work/$1-nfs.img" ;;
	esac
}
# net_dracut_make: the dracut images of the network rows; sets
# net_dracut_names (the rows that have an image, as net_names: PEER.CASE)
# and net_dracut_na ("# na" lines of those that have none)
net_dracut_make()
{
	net_dracut_names='' net_dracut_na=''
	for p in dracut-gen dracut-host; do
		want $p || continue
		for c in nfs nbd; do
			[ $p.$c != dracut-gen.nbd ] || continue
			nd_i=$(net_dracut_image $p $c)
			if [ $p = dracut-gen ]; then
				nd_ok=0
				# shellcheck disable=SC2086
				dracut_make "$nd_i" dracut-gen $dracut_gen_args || nd_ok=$?
			else
				nd_drv=$net_dracut_drivers_nbd
				[ $c = nbd ] || nd_drv=$net_dracut_drivers_nfs
				nd_ok=0
				dracut_make "$nd_i" "$(basename "$nd_i" .img)" \
					-m "$dracut_host_modules network-legacy network $c" --drivers "$nd_drv" || nd_ok=$?
			fi
			case $p.$c in
			dracut-gen.*) nd_cases="nfs3 nfs4 nbd" ;;
			*.nfs) nd_cases="nfs3 nfs4" ;;
			*) nd_cases=nbd ;;
			esac
			for nc in $nd_cases; do
				if [ "$nd_ok" = 0 ]; then
					net_dracut_names="$net_dracut_names $p.$nc"
				else
					net_dracut_na="$net_dracut_na# na $p.$nc $na_why
"
				fi
			done
		done
	done
}

net_table()	# RESULTS "CLIENTS" ["DRACUT-PEERS"]
{
	awk -v clients="$2" -v dracut="${3:-}" "$awk_stats"'
		/^# size / { split($4, cz, "="); split($5, uz, "="); csize[$3] = cz[2]; usize[$3] = uz[2]; next }
		/^# na dracut-/ { r = $0; sub(/^# na [^ ]* /, "", r); na[$3] = r; next }
		/^#/ { next }
		{
			n = $1
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			k = ++cnt[n]; init[n, k] = v["init"]; up[n, k] = v["uptime"]; sw[n, k] = v["switch"]
		}
		function row(label, im, n, what,    s) {
			if (n in na) { printf "%-9s %-11s n/a: %s\n", label, im, na[n]; return }
			if (!cnt[n]) { printf "%-9s %-11s %s\n", label, im, what; return }
			mi[n] = median(init, n); mu[n] = median(up, n)
			s = (sw[n, 1] == "" || sw[n, 1] == "-") ? "-" : sprintf("%.3f", median(sw, n))
			printf "%-9s %-11s %-26s %7.3f %6.2f-%-6.2f %7.3f %6s  %s\n", label, im, what,
				mi[n], least(init, n), most(init, n), mu[n], s, samples(init, n)
		}
		# dracut-gen and dracut-host in CASE, those BENCH_PEERS names
		function dracut_rows(c, what,    k, dp) {
			for (k = 1; k <= 2; k++) {
				dp = k == 1 ? "dracut-gen" : "dracut-host"
				if (index(" " dracut " ", " " dp " ")) row(c, dp, dp "." c, what)
			}
		}
		function ratio(a, b) { return (mi[b] > 0 && cnt[a] && cnt[b]) ? mi[a] / mi[b] : 0 }
		function target(what, r, goal, ge) {
			if (r == 0) { printf "%-44s   n/a (not booted)\n", what; return }
			printf "%-44s %6.2fx  (target %s %gx)  %s\n", what, r, ge ? ">=" : "<=", goal,
				(ge ? r >= goal : r <= goal) ? "MET" : "NOT MET"
		}
		END {
			printf "\n%-9s %-11s %-26s %7s %13s %7s %6s  %s\n", "case", "image", "root", "init", "(min-max)",
				"uptime", "switch", "init samples (s)"
			row("ltsp", "evbox", "evbox.ltsp", "NFSv3 + squashfs + tmpfs")
			row("ltsp", "itools", "-", "n/a: initramfs-tools has no ltsp.image= (nfs3 below)")
			if (dracut) row("ltsp", "dracut-*", "-", "n/a: ltsp.image= is LTSP'"'"'s initramfs-tools hook")
			row("nfs3", "evbox", "evbox.nfs3", "NFSv3 /srv/nfsroot")
			row("nfs3", "itools", "itools.nfs3", "NFSv3 /srv/nfsroot")
			dracut_rows("nfs3", "NFSv3 /srv/nfsroot")
			row("nfs4", "evbox", "evbox.nfs4", "NFSv4 /srv/nfsroot")
			row("nfs4", "itools", "-", "n/a: klibc nfsmount speaks NFSv2/v3 only")
			dracut_rows("nfs4", "NFSv4 /srv/nfsroot")
			row("nbd", "evbox", "evbox.nbd", "NBD ext4, export root")
			row("nbd", "itools", "itools.nbd", "NBD ext4, nbd-client hook")
			dracut_rows("nbd", "NBD ext4, export root")
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
			printf "real root'"'"'s own /sbin/init (a busybox sh script) starting from the server, for every system\n\n"
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

# net_peer_lines: the network rows' image sizes and the rows with no
# number ("# size NAME.CASE ...", "# na PEER.CASE WHY"), for peer_table
net_peer_lines()
{
	for n in evbox.ltsp evbox.nfs3 evbox.nfs4 evbox.nbd itools.nfs3 itools.nbd; do
		case $n in
		evbox.*) i=$work/evbox-net.img ;;
		itools.nfs3) i=$work/itools-nfs.img ;;
		*) i=$work/itools-nbd.img ;;
		esac
		echo "# size $n compressed=$(stat -c %s "$i") uncompressed=$(unpacked_size "$i") format=$(compression "$i")"
	done
	for n in $net_dracut_names; do
		i=$(net_dracut_image "${n%.*}" "${n#*.}")
		echo "# size $n compressed=$(stat -c %s "$i") uncompressed=$(unpacked_size "$i") format=$(compression "$i")"
	done
	printf '%s' "$net_dracut_na"
	echo "# na itools.ltsp initramfs-tools has no ltsp.image= (its LTSP boot is nfs3)"
	echo "# na itools.nfs4 klibc's nfsmount speaks NFSv2/v3 only"
	for c in ltsp nfs3 nfs4 nbd; do
		! want floor || echo "# na floor.$c no network (a disk floor)"
		for p in dracut-gen dracut-host; do
			[ $c = ltsp ] || break
			want $p || continue
			echo "# na $p.$c ltsp.image= is LTSP's own initramfs-tools hook; dracut has no such root (its NFS rows: nfs3, nfs4)"
		done
		! want tiny || echo "# na tiny.$c not tried: its network is the kernel's ip=, which runs before /init (Debian's virtio_net is a module)"
	done
}

# ---- main ---------------------------------------------------------------------------
start=$(cut -d' ' -f1 /proc/uptime)
peers=${BENCH_PEERS:-$all_peers}
# BENCH_BASELINE: evbox-base after evbox
[ -z "$base_bb" ] || want evbox-base || peers=$(echo " $peers " | sed 's/ evbox / evbox evbox-base /')
setup
vm_kernel || die "no kernel (scripts/vm/kernel.sh)"
version=$kversion moddir=$kmods
vm_nice=${BENCH_NICE:-}
mkdir -p "$work" "$build/vm"
rm -rf "$work/console" "$work/root" "$work/boot"
rm -f "$work/summary.txt" "$work"/table*.txt "$work/results.md" "$work/chart.svg"
mkdir -p "$work/console"
cc -O2 -Wall -o "$build/vm/vmconsole" "$top/testsuite/vm/vmconsole.c" ||
	die "cannot build testsuite/vm/vmconsole.c"

say "peers: $peers; rounds: $rounds (core peers), $(rounds_of tiny plain) (the others), $(rounds_of dracut-gen degraded) (dracut degraded)"
say "building the marker (gcc -static -Os)"
gcc -static -Os -Wall -o "$work/marker" "$top/bench/marker.c"
strip "$work/marker"
itools_mode=dep	# the first mode the network images try after netboot

# ---- the plain disk: every peer (BENCH_PLAIN=0 skips it) ---------------------
if [ "${BENCH_PLAIN:-1}" != 0 ]; then
	fx_begin plain plain
	say "making the disk (GPT, vda1 ext4 UUID=$uuid)"
	make_disk
	if want evbox; then
		say "making the evbox image"
		evbox_image "$work/evbox.img"
		fx_have evbox
	fi
	if want evbox-base; then
		say "making the evbox-base image (the same, from $base_bb)"
		evbox_image "$work/evbox-base.img" "$base_bb"
		fx_have evbox-base
	fi
	if want floor; then
		say "building the floor (gcc -static -Os) and its image"
		floor_build "$work/floor" "$floor_modules"
		floor_image "$work/floor.img" "$work/floor" "$floor_modules"
		fx_have floor
	fi
	peer_itools plain "virtio_blk|virtio_pci|ext4" ""
	peer_dracut plain
	if want tiny; then
		if tiny_make "$work/tiny.img" "$plain_drivers"; then
			fx_have tiny
		else
			fx_lack tiny plain "$na_why"
		fi
	fi
	fx_header "# evbox bench $(date -u +%Y-%m-%dT%H:%MZ), kernel $version, QEMU TCG" \
		"# cmdline: console=ttyS0 printk.time=1 panic=-1 $cmdline (no quiet, default loglevel, for every image)" \
		"# evbox image: scripts/mkinitramfs -H (host-only), evmount finds root=UUID=" \
		${base_bb:+"# evbox-base image: the same from $base_bb (sha256 $(sha256sum < "$base_bb" | cut -c1-16))"} \
		"# itools-most, itools-dep: initramfs-tools $(dpkg-query -W -f='${Version}' initramfs-tools-core 2>/dev/null) MODULES=most, dep" \
		"# dracut-gen: dracut $(dpkg-query -W -f='${Version}' dracut-core 2>/dev/null) --no-hostonly $dracut_gen_args; dracut-host: -m $dracut_host_modules --drivers $plain_drivers" \
		"# tiny: tiny-initramfs $(dpkg-query -W -f='${Version}' tiny-initramfs-core 2>/dev/null) (mktirfs --include-modules=$(echo $plain_drivers | tr ' ' ,))"
	fx_bench "${BENCH_ICOUNT_ROUNDS:-3}" "The plain disk" "$plain_targets"
fi

if [ "${BENCH_LUKS:-1}" != 0 ]; then
	say "LUKS: the luks2-ext4 fixture with the marker's root inside (testsuite/vm/fixture.sh)"
	fx_begin luks luks
	lroot=$work/luks-root
	rm -rf "$work/luks-target"
	luks_disk=$(marker_fixture "$lroot" "$luks_fs" luks2-ext4) || exit 1
	cmdline_luks="root=UUID=$luks_fs"
	if want evbox; then
		mkdir -p "$work/luks-target/etc"
		cp "$lroot/etc/fstab" "$work/luks-target/etc/fstab"
		echo "cryptroot UUID=$luks_uuid none luks" > "$work/luks-target/etc/crypttab"
		say "making the evbox LUKS image"
		make_image "$work/evbox-luks.img" "$work/luks-target" > "$work/evbox-luks.log" 2>&1 ||
			{ cat "$work/evbox-luks.log" >&2; die "cannot make the evbox LUKS image"; }
		fx_have evbox
	fi
	! want floor || fx_lack floor luks "no LUKS: a floor for the plain and md disks"
	! want tiny || fx_lack tiny luks "no LUKS: tiny-initramfs has no dm-crypt"
	peer_itools luks "virtio_blk|virtio_pci|ext4|dm-crypt|xts|algif_skcipher" 'cryptroot/crypttab$' \
		/etc/crypttab "cryptroot UUID=$luks_uuid none luks,initramfs"
	peer_dracut luks "crypt systemd-ask-password" "$luks_drivers"
	fx_header "# LUKS: luks2-ext4 (pbkdf2 1000), cmdline: $cmdline_luks" \
		"# evbox image: scripts/vm/vmlib.sh make_image; itools: cryptsetup-initramfs $(dpkg-query -W -f='${Version}' cryptsetup-initramfs 2>/dev/null)" \
		"# dracut-host: -m $dracut_host_modules crypt systemd-ask-password --drivers $plain_drivers $luks_drivers"
	fx_bench "${BENCH_LUKS_ICOUNT_ROUNDS:-0}" "LUKS" "$luks_targets"
fi

if [ "${BENCH_MD:-1}" != 0 ]; then
	say "md: the raid1-ext4 fixture with the marker's root on the array (testsuite/vm/fixture.sh)"
	fx_begin md "complete degraded"
	mroot=$work/md-root
	rm -rf "$work/md-target"
	md_disks=$(marker_fixture "$mroot" "$md_fs" raid1-ext4) || exit 1
	md_a=$(echo "$md_disks" | grep '/a\.img$') && md_b=$(echo "$md_disks" | grep '/b\.img$') ||
		die "raid1-ext4 gave no a.img and b.img: $md_disks"
	cmdline_md="root=UUID=$md_fs"
	config=${KCONFIG_CONFIG:-$top/.config}
	md_wait=$(sed -n 's/^CONFIG_EVRAID_DEGRADED_WAIT=//p' "$config" 2>/dev/null)
	md_wait=${md_wait:-3}
	if want evbox; then
		mkdir -p "$work/md-target/etc/mdadm"
		cp "$mroot/etc/fstab" "$work/md-target/etc/fstab"
		echo "$md_line" > "$work/md-target/etc/mdadm/mdadm.conf"
		# the configuration, with the builder reading mdadm.conf: a
		# miniconfig that does not list EVBOX_MDADM_CONF
		# (evbox_defconfig) turns it off
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
		fx_have evbox
	fi
	if want floor; then
		say "building the md floors (gcc -static -Os: vda vdb, and vda alone) and their images"
		floor_build "$work/floor-md" "$md_modules" -DFLOOR_MD_MEMBERS='"vda vdb"'
		floor_build "$work/floor-md1" "$md_modules" -DFLOOR_MD_MEMBERS='"vda"'
		floor_image "$work/floor-md.img" "$work/floor-md" "$md_modules"
		floor_image "$work/floor-md1.img" "$work/floor-md1" "$md_modules"
		fx_have floor
	fi
	if want tiny; then
		for c in complete degraded; do
			fx_lack tiny $c "not tried: it assembles no array; its README's md root is the kernel's md= (md built in; Debian's md_mod is a module)"
		done
	fi
	peer_itools complete "virtio_blk|virtio_pci|ext4|md-mod|raid1" 'sbin/mdadm$' \
		/etc/mdadm/mdadm.conf "$md_line"
	peer_dracut complete mdraid "md_mod raid1"
	# one image for both cases
	for p in itools-most itools-dep; do
		! fx_bad $p complete || fx_lack $p degraded "$(echo "$fx_na" | sed -n "s/^# na $p.complete //p")"
	done
	fx_header "# md RAID1: raid1-ext4 (metadata 1.2, 2 disks), cmdline: $cmdline_md; degraded: raid1a alone" \
		"# evbox image: scripts/vm/vmlib.sh make_image, mdadm.conf: $md_line; rd.md.degraded_wait=$md_wait (default)" \
		"# floor: floor-md (vda vdb), floor-md1 (vda): md ioctls, degraded at once" \
		"# itools: initramfs-tools with mdadm $(dpkg-query -W -f='${Version}' mdadm 2>/dev/null)'s hook" \
		"# dracut-host: -m $dracut_host_modules mdraid --drivers $plain_drivers md_mod raid1"
	fx_bench "${BENCH_MD_ICOUNT_ROUNDS:-3}" "md RAID1" "$md_targets"
fi

if [ "${BENCH_STACK:-1}" != 0 ]; then
	say "stack: raid1-luks2-lvm-ext4 and raid5-luks2-lvm-ext4 with the marker's root on the LV (testsuite/vm/fixture.sh)"
	fx_begin stack "complete degraded"
	rm -rf "$work/stack-target" "$work/stack5-target"
	sd=$(marker_fixture "$work/stack-root" "$stack_fs" raid1-luks2-lvm-ext4) || exit 1
	sa=$(echo "$sd" | grep '/a\.img$') && sb=$(echo "$sd" | grep '/b\.img$') ||
		die "raid1-luks2-lvm-ext4 gave no a.img and b.img: $sd"
	stack_disks="$sa $sb"
	sd=$(marker_fixture "$work/stack5-root" "$rluks_fs" raid5-luks2-lvm-ext4) || exit 1
	# degraded: a and b, c missing
	sa=$(echo "$sd" | grep '/a\.img$') && sb=$(echo "$sd" | grep '/b\.img$') ||
		die "raid5-luks2-lvm-ext4 gave no a.img and b.img: $sd"
	rluks_disks="$sa $sb"
	for c in complete degraded; do
		! want floor || fx_lack floor $c "no LUKS, no LVM: a floor for the plain and md disks"
		! want tiny || fx_lack tiny $c "no md, no dm-crypt, no LVM in tiny-initramfs"
	done
	stack_images complete stack raid1 cryptstack "$stack_uuid" \
		"ARRAY /dev/md/stack level=raid1 metadata=1.2 num-devices=2 UUID=$stack_md name=evbox:stack"
	stack_images degraded stack5 raid456 cryptrl "$rluks_uuid" \
		"ARRAY /dev/md/rluks level=raid5 metadata=1.2 num-devices=3 UUID=$rluks_md name=evbox:rluks"
	fx_header "# stack: complete = raid1-luks2-lvm-ext4 (both disks), cmdline root=UUID=$stack_fs" \
		"# degraded = raid5-luks2-lvm-ext4 with a and b (c missing), cmdline root=UUID=$rluks_fs" \
		"# evbox images: scripts/vm/vmlib.sh make_image (crypttab, fstab; raid1 / raid456), rd.md.degraded_wait default" \
		"# itools: initramfs-tools with cryptsetup-initramfs, mdadm $(dpkg-query -W -f='${Version}' mdadm 2>/dev/null) and lvm2 $(dpkg-query -W -f='${Version}' lvm2 2>/dev/null)" \
		"# dracut-host: -m $dracut_host_modules crypt systemd-ask-password mdraid lvm --drivers $plain_drivers $luks_drivers md_mod raid1 / raid456"
	# under -icount the guest idles while it waits for the passphrase,
	# and its clock then follows the host's: the wait is subtracted too
	fx_bench "${BENCH_STACK_ICOUNT_ROUNDS:-2}" "The stack" "$stack_targets"
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
	# dracut's grammar (net_dracut_make says why init=): nfs:SERVER:PATH:OPTIONS
	# (vers=3: mount.nfs would try v4 first), nfs4:, nbd:SERVER:EXPORT:FSTYPE
	# (its port is a number or an export name, not both: 10809 is nbd-client's)
	net_dracut_nfs3="root=nfs:$NETBED_IP:$NETBED_NFSROOT:vers=3 ip=dhcp rd.neednet=1 init=/sbin/init"
	net_dracut_nfs4="root=nfs4:$NETBED_IP:$NETBED_NFSROOT ip=dhcp rd.neednet=1 init=/sbin/init"
	net_dracut_nbd="root=nbd:$NETBED_IP:$NETBED_NBD_ROOT:ext4 ip=dhcp rd.neednet=1 init=/sbin/init"
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
		"virtio_net|virtio_pci|nfs|nfsv3" 'nfsmount$ ipconfig$' ||
		die "itools-nfs: initramfs-tools made no usable image: $na_why"
	itools_nfs_mode=$built_mode
	say "making the initramfs-tools NBD image (nbd-client's hook)"
	itools_make "$work/itools-nbd.img" itools-nbd "netboot $itools_mode most" \
		"virtio_net|virtio_pci|nbd|ext4" 'sbin/nbd-client$ scripts/local-top/nbd$' ||
		die "itools-nbd: initramfs-tools made no usable image: $na_why"
	itools_nbd_mode=$built_mode
	net_dracut_make
	res=$work/results-net
	{
		echo "# net: the test bed's server VM (netbed.sh: nfs-kernel-server, dnsmasq, nbd-server, Debian's kernel), $net_max NICs"
		echo "# evbox ltsp: $net_ltsp"
		echo "# evbox nfs3, itools nfs3: $net_nfs3"
		echo "# evbox nfs4: $net_nfs4"
		echo "# evbox nbd: $net_nbd"
		echo "# itools nbd: $net_itools_nbd"
		if [ -n "$net_dracut_names$net_dracut_na" ]; then
			echo "# dracut nfs3: $net_dracut_nfs3"
			echo "# dracut nfs4: $net_dracut_nfs4"
			echo "# dracut nbd: $net_dracut_nbd"
			echo "# dracut-gen: dracut $(dpkg-query -W -f='${Version}' dracut-core 2>/dev/null) --no-hostonly $dracut_gen_args (the disks' image); dracut-host: -m $dracut_host_modules network-legacy network nfs --drivers $net_dracut_drivers_nfs / nbd: ... network nbd --drivers $net_dracut_drivers_nbd"
		fi
		echo "# dnsmasq's ping check before a first offer: $([ "${BENCH_NET_PING:-0}" = 1 ] && echo on || echo off, no-ping)"
		echo "# evbox image: scripts/mkinitramfs -N; itools: initramfs-tools BOOT=nfs, MODULES=$itools_nfs_mode / nbd-client $(dpkg-query -W -f='${Version}' nbd-client 2>/dev/null)'s hook, MODULES=$itools_nbd_mode"
		header_sizes evbox-net itools-nfs itools-nbd
		net_peer_lines
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
	# dracut's rows: BENCH_PEER_ROUNDS, interleaved with the others'; a
	# boot that fails is its row's n/a, its other rounds left out
	net_dr=$(rounds_of dracut-gen nfs3)
	[ "$net_dr" -le "$net_rounds" ] || net_dr=$net_rounds
	nn=$(echo $net_names | wc -w) nl=$(echo $net_clients | wc -w) nd=$(echo $net_dracut_names | wc -w)
	total=$((net_rounds * (nn + 3 * nl) + net_dr * nd)) i=0
	net_dracut_bad=''
	for r in $(seq 1 "$net_rounds"); do
		for n in $net_names $net_dracut_names; do
			case $n in dracut-*) [ "$r" -le "$net_dr" ] || continue ;; esac
			i=$((i + 1))
			case " $net_dracut_bad " in *" $n "*) continue ;; esac
			note=''
			case $n in
			itools.*) note='; initramfs-tools takes 15-25 s' ;;
			dracut-*) note='; dracut (systemd, dhclient) takes 30+ s' ;;
			esac
			say "net boot $i/$total $n (round $r$note), $(elapsed)"
			case $n in
			dracut-*)
				net_soft=1 na_why=''
				net_single "$n" "$r" "$res.txt" || {
					net_dracut_bad="$net_dracut_bad $n"
					echo "# na $n $na_why" >> "$res.txt"
				}
				net_soft='' ;;
			*) net_single "$n" "$r" "$res.txt" ;;
			esac
		done
		for c in $net_clients; do
			for n in evbox.ltsp evbox.nfs3 itools.nfs3; do
				i=$((i + 1))
				say "net boot $i/$total lab: $c clients at once, $n (round $r), $(elapsed)"
				case $n in
				evbox.ltsp) net_boot "$n.lab$c" "$r" "$res.txt" "$work/evbox-net.img" "$net_ltsp" "$NETBED_MAC_LAB_LTSP" "$c" ;;
				evbox.nfs3) net_boot "$n.lab$c" "$r" "$res.txt" "$work/evbox-net.img" "$net_nfs3" "$NETBED_MAC_LAB_NFS" "$c" ;;
				*) net_boot "$n.lab$c" "$r" "$res.txt" "$work/itools-nfs.img" "$net_nfs3" "$NETBED_MAC_LAB_NFS" "$c" ;;
				esac
			done
		done
	done
	echo "# host load average after the boots: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$res.txt"
	net_dp=''
	for p in dracut-gen dracut-host; do ! want $p || net_dp="$net_dp $p"; done
	{ grep '^# ' "$res.txt"; net_table "$res.txt" "$net_clients" "$net_dp"; } | tee "$work/table-net.txt"

	net_ic=${BENCH_NET_ICOUNT_ROUNDS:-2}
	if [ "$net_ic" -gt 0 ]; then
		total=$((net_ic * nn)) i=0
		for r in $(seq 1 "$net_ic"); do
			for n in $net_names; do
				i=$((i + 1))
				say "net icount boot $i/$total $n (round $r), $(elapsed)"
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
	# the single boots' rows for results.md and the chart: peer_table
	# over the results with initramfs-tools named for its mode
	fx=net
	sed '/^# size [^ .]* /d; s/^itools\./itools-netboot./; s/^# \(size\|na\) itools\./# \1 itools-netboot./' \
		"$res.txt" > "$res-peers.txt"
	peer_table "$res-peers.txt" "" "$work/summary.txt" > /dev/null
fi

took=$(awk -v s="$start" '{ printf "%.0f", $1 - s }' /proc/uptime)
[ "${BENCH_PLAIN:-1}" = 0 ] ||
	echo "# host load average after the boots: $(cut -d' ' -f1-3 /proc/loadavg); bench took $took s" >> "$work/results.txt"
results_md "$took" > "$work/results.md"
if [ -s "$work/summary.txt" ]; then
	awk -f "$top/bench/chart.awk" "$work/summary.txt" > "$work/chart.svg"
else
	rm -f "$work/chart.svg"
fi
echo
say "raw numbers in $work/results*.txt, tables in $work/table*.txt and $work/results.md, chart $work/chart.svg, consoles in $work/console/ (${took} s)"
