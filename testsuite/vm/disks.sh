# disks.sh - the disks of the VM scenarios, made on the host without root
# (mkfs.ext4 -d, sfdisk on an image file, dd).  Sourced by run.sh and
# scripts/vm/demo.sh after scripts/vm/vmlib.sh.
#
#   disk NAME   prints the path of disk NAME, made once and cached as
#               build/vm/disks/NAME-HASH.img, HASH over this file, the
#               root's init and the evbox binary (which the roots carry)
#
#   root   ext4, UUID $ROOT_UUID, LABEL $ROOT_LABEL: a real root
#   gpt    GPT (disk GUID $GPT_UUID) whose partition 1 (PARTUUID
#          $GPT_PARTUUID, PARTLABEL $GPT_PARTLABEL) is ext4 (UUID
#          $GPT_FS_UUID): the same real root
#   other  ext4, UUID $OTHER_UUID, LABEL evdata: not a root
#   slow   no file: QEMU's null-co driver, 64 MiB of zeros, every read
#          takes $SLOW_LATENCY_S s (a dying disk; throttling does not slow
#          a probe, the kernel's partition scan has cached the first blocks)
# Everything is fixed (UUIDs, times) so the same recipe gives the same bytes.
#
# LUKS disks cannot be made on the host (no device-mapper): they are the
# fixtures of testsuite/vm/fixture.sh (Debian's cryptsetup in a throwaway
# VM), passphrase $LUKS_PASS, with the real root's tree as their input (so
# they are made again when the evbox binary changes, like the disks above):
#   luks2     luks2-ext4: LUKS2 (pbkdf2) UUID $LUKS2_UUID, the root inside
#             (ext4 UUID $LUKS2_FS)
#   luks1     luks1-ext4: LUKS1 UUID $LUKS1_UUID, root ext4 UUID $LUKS1_FS
#   argon2id  luks2-argon2id-ext4: LUKS2 with an argon2id keyslot (32 MiB)
#             UUID $ARGON_UUID, root ext4 UUID $ARGON_FS
#   raid1a, raid1b  raid1-ext4: the two members (roles 0 and 1) of an md
#             RAID1, metadata 1.2, UUID $RAID1_MD, name evbox:root, the
#             root inside (ext4 UUID $RAID1_FS)
#   raid5a, raid5b, raid5c  raid5-ext4: RAID5 (1.2, left-symmetric, chunk
#             512K) UUID $RAID5_MD, name evbox:raid5, ext4 $RAID5_FS
#   raid0a, raid0b  raid0-ext4: RAID0 (1.2, chunk 512K) UUID $RAID0_MD,
#             name evbox:raid0, ext4 $RAID0_FS
#   raid10a ... raid10d  raid10-ext4: RAID10 (1.2, near=2, chunk 512K) UUID
#             $RAID10_MD, name evbox:raid10, ext4 $RAID10_FS
#   raid1gpta, raid1gptb  raid1-gpt-ext4: GPT disks, one Linux RAID
#             partition each (PARTUUID $RAID1GPT_PARTA, $RAID1GPT_PARTB),
#             RAID1 (1.2) over them UUID $RAID1GPT_MD, name evbox:gpt, ext4
#             $RAID1GPT_FS
#   meta090a, meta090b  raid1-090-ext4: RAID1, metadata 0.90 (no name)
#             UUID $META090_MD, ext4 $META090_FS at offset 0
#   meta10a, meta10b  raid1-10-ext4: RAID1, metadata 1.0, UUID $META10_MD,
#             name evbox:meta10, ext4 $META10_FS at offset 0
#   stalea, staleb  raid1-stale-ext4: RAID1 (1.2) UUID $STALE_MD, name
#             evbox:stale, ext4 $STALE_FS; staleb is stale (its events
#             count behind stalea's, which alone holds /stale-marker)
#   mdpaira, mdpairb, mdsrva, mdsrvb  raid1-pair-ext4: two RAID1 arrays
#             (1.2): the root (UUID $MDPAIR_MD, name evbox:root, ext4
#             $MDPAIR_FS) and srv (UUID $MDSRV_MD, name evbox:srv, ext4
#             $MDSRV_FS, holding srv-marker)
#   pair, pairsrv  luks2-pair-ext4: two LUKS2 disks, the same passphrase:
#             the root (LUKS UUID $PAIR_UUID, ext4 $PAIR_FS) and a /srv
#             (LUKS UUID $PAIRSRV_UUID, ext4 $PAIRSRV_FS, holding srv-marker)
#
# The LVM fixtures: PV UUIDs fixed ($..._PV), the VGs' and LVs' made by lvm
# (rows name them: VG/LV below), every root ext4 with the root's tree:
#   lvm       lvm-ext4: PV $LVM_PV, VG evboxvg, LV root (linear), ext4
#             $LVM_FS
#   stripea, stripeb  lvm-striped-ext4: PVs $STRIPE_PVA, $STRIPE_PVB, VG
#             evboxstripe, LV root striped over both (2 stripes, 64 KiB),
#             ext4 $STRIPE_FS
#   spana, spanb  lvm-span-ext4: PVs $SPAN_PVA, $SPAN_PVB, VG evboxspan, LV
#             root linear over both (all of spana's 11 extents, then 5 of
#             spanb's: the superblock on spana), ext4 $SPAN_FS
#   lraida, lraidb, lraidc  luks3-raid5-lvm-ext4: LUKS2 on each disk
#             ($LRAID_UUIDA, $LRAID_UUIDB, $LRAID_UUIDC), RAID5 (1.2) over
#             the three opened devices UUID $LRAID_MD, name evbox:luksraid,
#             PV $LRAID_PV on the array, VG evboxlr, LV root, ext4 $LRAID_FS
#   rluksa, rluksb, rluksc  raid5-luks2-lvm-ext4: RAID5 (1.2) over the disks
#             UUID $RLUKS_MD, name evbox:rluks, LUKS2 $RLUKS_UUID on it, PV
#             $RLUKS_PV in it, VG evboxrl, LV root, ext4 $RLUKS_FS (any two
#             disks: degraded)
#   lvluks    lvm-luks2-ext4: PV $LVLUKS_PV, VG evboxcl, LV cryptroot, LUKS2
#             $LVLUKS_UUID in the LV, ext4 $LVLUKS_FS inside
#   thin      lvm-thin-ext4: PV $THIN_PV, VG evboxthin: LV plain (linear,
#             ext4 $THIN_FS: the root), thin pool LV pool, thin LV root (no
#             filesystem: the builder's kernel has no dm-thin-pool; the LVM
#             metadata alone says thin)
#   seqa, seqb  lvm-seqno-ext4: PVs $SEQ_PVA, $SEQ_PVB, VG evboxseq, LV root
#             (linear, on seqa only), ext4 $SEQ_FS; seqb's metadata is older
#             (seqno 1, no LVs) than seqa's (seqno 2, with root)
#   skip      lvm-skip-ext4: PV $SKIP_PV, VG evboxskip, LV root (ext4
#             $SKIP_FS) and LV skipped with the activation skip flag (ext4
#             $SKIP_SKIPPED_FS, label evskipped, holding skipped-marker)
#   mdlvma, mdlvmb  raid1-lvm-ext4: RAID1 (1.2) UUID $MDLVM_MD, name
#             evbox:mdlvm, PV $MDLVM_PV on it, VG evboxmd, LV root, ext4
#             $MDLVM_FS
#   stacka, stackb  raid1-luks2-lvm-ext4: RAID1 (1.2) UUID $STACK_MD, name
#             evbox:stack, LUKS2 $STACK_UUID on it, PV $STACK_PV in it, VG
#             evboxstack, LV root, ext4 $STACK_FS
#   toolsa, toolsb  raid1-luks2-lvm-tools: the same stack (RAID1 $TOOLS_MD,
#             name evbox:tools, LUKS2 $TOOLS_UUID, PV $TOOLS_PV, VG
#             evboxtools, LV root, ext4 $TOOLS_FS) whose root also holds
#             Debian's own tools (tools_tree below): the real root's init
#             can run /sbin/lvs, /sbin/dmsetup info, /sbin/mdadm --detail,
#             /sbin/cryptsetup status on what the initramfs made

ROOT_UUID=5e1f0000-e7b0-4c5a-9d1e-00000000a001
ROOT_LABEL=evroot
GPT_UUID=5e1f0000-e7b0-4c5a-9d1e-00000000b000
GPT_PARTUUID=5e1f0000-e7b0-4c5a-9d1e-00000000b001
GPT_PARTLABEL=evpart
GPT_FS_UUID=5e1f0000-e7b0-4c5a-9d1e-00000000b101
OTHER_UUID=5e1f0000-e7b0-4c5a-9d1e-00000000c001
KEYDISK_UUID=5e1f0000-e7b0-4c5a-9d1e-00000000d001	# ext4, /keys/root.key
SLOW_LATENCY_S=2
# the fixtures' (testsuite/vm/fixtures/*.recipe)
LUKS_PASS=evbox-test
LUKS2_UUID=5e1f0100-e7b0-4c5a-9d1e-000000000001
HDR_FS=5e1f0900-e7b0-4c5a-9d1e-000000000002	# luks2-header-ext4
LUKS2_FS=5e1f0100-e7b0-4c5a-9d1e-000000000002
LUKS1_UUID=5e1f0200-e7b0-4c5a-9d1e-000000000001
LUKS1_FS=5e1f0200-e7b0-4c5a-9d1e-000000000002
ARGON_UUID=5e1f0300-e7b0-4c5a-9d1e-000000000001
ARGON_FS=5e1f0300-e7b0-4c5a-9d1e-000000000002
PAIR_UUID=5e1f0800-e7b0-4c5a-9d1e-000000000001
PAIR_FS=5e1f0800-e7b0-4c5a-9d1e-000000000002
PAIRSRV_UUID=5e1f0800-e7b0-4c5a-9d1e-000000000003
PAIRSRV_FS=5e1f0800-e7b0-4c5a-9d1e-000000000004
RAID1_MD=5e1f0400:e7b04c5a:9d1e0000:00000001	# raid1-ext4: md 1.2, name evbox:root
RAID1_FS=5e1f0400-e7b0-4c5a-9d1e-000000000002
RAID5_MD=5e1f0401:e7b04c5a:9d1e0000:00000001	# raid5-ext4: md 1.2, name evbox:raid5
RAID5_FS=5e1f0401-e7b0-4c5a-9d1e-000000000002
RAID0_MD=5e1f0402:e7b04c5a:9d1e0000:00000001	# raid0-ext4: md 1.2, name evbox:raid0
RAID0_FS=5e1f0402-e7b0-4c5a-9d1e-000000000002
RAID10_MD=5e1f0403:e7b04c5a:9d1e0000:00000001	# raid10-ext4: md 1.2, name evbox:raid10
RAID10_FS=5e1f0403-e7b0-4c5a-9d1e-000000000002
RAID1GPT_MD=5e1f0404:e7b04c5a:9d1e0000:00000001	# raid1-gpt-ext4: md 1.2, name evbox:gpt
RAID1GPT_FS=5e1f0404-e7b0-4c5a-9d1e-000000000002
RAID1GPT_PARTA=5e1f0404-e7b0-4c5a-9d1e-0000000000a1	# disk GUID ...a0
RAID1GPT_PARTB=5e1f0404-e7b0-4c5a-9d1e-0000000000b1	# disk GUID ...b0
META090_MD=5e1f0405:e7b04c5a:9d1e0000:00000001	# raid1-090-ext4: md 0.90
META090_FS=5e1f0405-e7b0-4c5a-9d1e-000000000002
META10_MD=5e1f0406:e7b04c5a:9d1e0000:00000001	# raid1-10-ext4: md 1.0, name evbox:meta10
META10_FS=5e1f0406-e7b0-4c5a-9d1e-000000000002
STALE_MD=5e1f0407:e7b04c5a:9d1e0000:00000001	# raid1-stale-ext4: md 1.2, name evbox:stale
STALE_FS=5e1f0407-e7b0-4c5a-9d1e-000000000002
MDPAIR_MD=5e1f0408:e7b04c5a:9d1e0000:00000001	# raid1-pair-ext4: md 1.2, name evbox:root
MDPAIR_FS=5e1f0408-e7b0-4c5a-9d1e-000000000002
MDSRV_MD=5e1f0408:e7b04c5a:9d1e0000:00000003	# raid1-pair-ext4: md 1.2, name evbox:srv
MDSRV_FS=5e1f0408-e7b0-4c5a-9d1e-000000000004
LVM_PV=evboxP-V000-0000-0000-0000-0000-000001	# lvm-ext4: VG evboxvg, LV root
LVM_FS=5e1f0500-e7b0-4c5a-9d1e-000000000002
STRIPE_PVA=evboxP-V000-0000-0000-0000-0501-000001	# lvm-striped-ext4: VG evboxstripe
STRIPE_PVB=evboxP-V000-0000-0000-0000-0501-000002
STRIPE_FS=5e1f0501-e7b0-4c5a-9d1e-000000000002	# LV root
SPAN_PVA=evboxP-V000-0000-0000-0000-0502-000001	# lvm-span-ext4: VG evboxspan
SPAN_PVB=evboxP-V000-0000-0000-0000-0502-000002
SPAN_FS=5e1f0502-e7b0-4c5a-9d1e-000000000002	# LV root
LRAID_UUIDA=5e1f0503-e7b0-4c5a-9d1e-0000000000a3	# luks3-raid5-lvm-ext4: LUKS2 per disk
LRAID_UUIDB=5e1f0503-e7b0-4c5a-9d1e-0000000000b3
LRAID_UUIDC=5e1f0503-e7b0-4c5a-9d1e-0000000000c3
LRAID_MD=5e1f0503:e7b04c5a:9d1e0000:00000001	# md 1.2, name evbox:luksraid
LRAID_PV=evboxP-V000-0000-0000-0000-0503-000001	# VG evboxlr
LRAID_FS=5e1f0503-e7b0-4c5a-9d1e-000000000002	# LV root
RLUKS_MD=5e1f0504:e7b04c5a:9d1e0000:00000001	# raid5-luks2-lvm-ext4: md 1.2, name evbox:rluks
RLUKS_UUID=5e1f0504-e7b0-4c5a-9d1e-000000000003
RLUKS_PV=evboxP-V000-0000-0000-0000-0504-000001	# VG evboxrl
RLUKS_FS=5e1f0504-e7b0-4c5a-9d1e-000000000002	# LV root
LVLUKS_PV=evboxP-V000-0000-0000-0000-0505-000001	# lvm-luks2-ext4: VG evboxcl
LVLUKS_UUID=5e1f0505-e7b0-4c5a-9d1e-000000000003	# in LV cryptroot
LVLUKS_FS=5e1f0505-e7b0-4c5a-9d1e-000000000002
THIN_PV=evboxP-V000-0000-0000-0000-0506-000001	# lvm-thin-ext4: VG evboxthin
THIN_FS=5e1f0506-e7b0-4c5a-9d1e-000000000002	# LV plain (LV root is thin)
SEQ_PVA=evboxP-V000-0000-0000-0000-0507-000001	# lvm-seqno-ext4: VG evboxseq, seqno 2
SEQ_PVB=evboxP-V000-0000-0000-0000-0507-000002	# seqno 1
SEQ_FS=5e1f0507-e7b0-4c5a-9d1e-000000000002	# LV root
SKIP_PV=evboxP-V000-0000-0000-0000-0508-000001	# lvm-skip-ext4: VG evboxskip
SKIP_FS=5e1f0508-e7b0-4c5a-9d1e-000000000002	# LV root
SKIP_SKIPPED_FS=5e1f0508-e7b0-4c5a-9d1e-000000000004	# LV skipped (activation skip)
MDLVM_MD=5e1f0509:e7b04c5a:9d1e0000:00000001	# raid1-lvm-ext4: md 1.2, name evbox:mdlvm
MDLVM_PV=evboxP-V000-0000-0000-0000-0509-000001	# VG evboxmd
MDLVM_FS=5e1f0509-e7b0-4c5a-9d1e-000000000002	# LV root
STACK_MD=5e1f0700:e7b04c5a:9d1e0000:00000001	# raid1-luks2-lvm-ext4: md 1.2, name evbox:stack
STACK_UUID=5e1f0700-e7b0-4c5a-9d1e-000000000003
STACK_PV=evboxP-V000-0000-0000-0000-0000-000007	# VG evboxstack
STACK_FS=5e1f0700-e7b0-4c5a-9d1e-000000000002	# LV root
TOOLS_MD=5e1f0701:e7b04c5a:9d1e0000:00000001	# raid1-luks2-lvm-tools: md 1.2, name evbox:tools
TOOLS_UUID=5e1f0701-e7b0-4c5a-9d1e-000000000003
TOOLS_PV=evboxP-V000-0000-0000-0000-0701-000001	# VG evboxtools
TOOLS_FS=5e1f0701-e7b0-4c5a-9d1e-000000000002	# LV root, with the tools

# the tree of a real root: busybox with its applets, the reporting init,
# an fstab naming the root (what a host-only image reads); with 'tools',
# Debian's lvm2, dmsetup, mdadm and cryptsetup too (tools_tree)
disk_root_tree()	# DIR ROOTSPEC [tools]
{
	[ "${3:-}" != tools ] || tools_tree "$1" || return 1
	mkdir -p "$1/bin" "$1/sbin" "$1/dev" "$1/proc" "$1/sys" "$1/run" "$1/root" "$1/tmp" "$1/etc"
	printf '%s / ext4 ro 0 1\n' "$2" > "$1/etc/fstab"
	cp "$bb" "$1/bin/busybox"
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -s busybox "$1/bin/$a"
	done
	cp "$top/testsuite/vm/root/init" "$1/sbin/init"
	chmod 755 "$1/sbin/init"
}

# tools_tree DIR: Debian's own tools for a real root that looks at what the
# initramfs made, from the .deb files the fixture builder downloaded
# (BUILD/vm/fixtures/builder/debs; none yet: building lvm-ext4 makes the
# builder), unpacked apart, never installed:
#   DIR/sbin/lvm (with its links lvs vgs pvs lvdisplay vgchange ...),
#   DIR/sbin/dmsetup, DIR/sbin/mdadm, DIR/sbin/cryptsetup
#   DIR/lib/x86_64-linux-gnu/  every library they need (their DT_NEEDED,
#             recursively; glibc's loader searches there by default)
#   DIR/lib64/ld-linux-x86-64.so.2 -> the loader (their PT_INTERP)
#   DIR/etc/lvm/lvm.conf  lvm without udev, devices file, hints, lvmpolld,
#             monitoring or backups: `lvs` scans /dev, writes nothing
#   DIR/dev proc sys run tmp  mount points
# About 18 MiB.  A row's real root runs them by path (its init's PATH is
# /bin, busybox): /sbin/lvs, /sbin/dmsetup info, /sbin/mdadm --detail
# /dev/md0, /sbin/cryptsetup status NAME.
TOOLS_BIN="lvm dmsetup mdadm cryptsetup"
tools_tree()	# DIR
{
	t_debs=$build/vm/fixtures/builder/debs
	if [ -z "$(find "$t_debs" -name 'lvm2_*.deb' 2>/dev/null)" ]; then
		"$top/testsuite/vm/fixture.sh" "$build" lvm-ext4 > /dev/null ||
			{ echo "disks.sh: tools: no builder packages in $t_debs" >&2; return 1; }
	fi
	t_x=$(mktemp -d "${TMPDIR:-/tmp}/vmtools.XXXXXX")
	for t_deb in "$t_debs"/*.deb; do
		dpkg -x "$t_deb" "$t_x" || { rm -rf "$t_x"; return 1; }
	done
	t_lib=$1/lib/x86_64-linux-gnu
	mkdir -p "$1/sbin" "$t_lib" "$1/lib64" "$1/etc/lvm" \
		"$1/dev" "$1/proc" "$1/sys" "$1/run" "$1/tmp"
	t_need=''
	for t_b in $TOOLS_BIN; do
		cp "$t_x/sbin/$t_b" "$1/sbin/$t_b" || { rm -rf "$t_x"; return 1; }
		t_need="$t_need $1/sbin/$t_b"
	done
	find "$t_x/sbin" -type l -lname lvm -exec cp -P {} "$1/sbin/" \;
	ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$1/lib64/ld-linux-x86-64.so.2"
	# libgcc_s: glibc loads it itself (thread cancellation, backtraces)
	t_sos=libgcc_s.so.1 t_rc=0
	while [ -n "$t_need$t_sos" ]; do
		# shellcheck disable=SC2086
		[ -z "$t_need" ] || t_sos="$t_sos $(readelf -d $t_need |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | LC_ALL=C sort -u)"
		t_need=''
		for t_so in $t_sos; do
			[ ! -e "$t_lib/$t_so" ] || continue
			for t_d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu; do
				[ -e "$t_x/$t_d/$t_so" ] || continue
				cp -L "$t_x/$t_d/$t_so" "$t_lib/$t_so" && t_need="$t_need $t_lib/$t_so"
				break
			done
			[ -e "$t_lib/$t_so" ] ||
				{ echo "disks.sh: tools: no $t_so in the builder's packages" >&2; t_rc=1; }
		done
		t_sos=''
	done
	rm -rf "$t_x"
	cat > "$1/etc/lvm/lvm.conf" <<-EOF
	devices {
		obtain_device_list_from_udev = 0
		external_device_info_source = "none"
		use_devicesfile = 0
		scan = [ "/dev" ]
		hints = "none"
	}
	activation {
		udev_sync = 0
		udev_rules = 0
		monitoring = 0
	}
	global {
		event_activation = 0
		use_lvmpolld = 0
	}
	backup {
		backup = 0
		archive = 0
	}
	EOF
	return $t_rc
}

disk_mkfs()	# IMAGE SIZE UUID LABEL [TREE]
{
	rm -f "$1"
	truncate -s "$2" "$1"
	# fixed hash seed and times: reproducible
	[ -z "${5:-}" ] || find "$5" -exec touch -h -d "@${SOURCE_DATE_EPOCH:-1700000000}" {} +
	E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-1700000000} \
	mkfs.ext4 -q -F -U "$3" -L "$4" -E root_owner=0:0,hash_seed="$3" \
		-T default ${5:+-d "$5"} "$1"
}

disk_make()	# NAME IMAGE
{
	tree=$(mktemp -d "${TMPDIR:-/tmp}/vmdisk.XXXXXX")
	case $1 in
	root)
		disk_root_tree "$tree" "UUID=$ROOT_UUID"
		disk_mkfs "$2" 24M "$ROOT_UUID" "$ROOT_LABEL" "$tree"
		;;
	gpt)
		# partition 1: 1 MiB to 25 MiB; the filesystem is made apart
		# and written in at its offset (no loop device)
		disk_root_tree "$tree" "PARTUUID=$GPT_PARTUUID"
		disk_mkfs "$2.part" 24M "$GPT_FS_UUID" evgptroot "$tree"
		rm -f "$2"
		truncate -s 26M "$2"
		sfdisk -q "$2" <<-EOF
		label: gpt
		label-id: $GPT_UUID
		first-lba: 2048
		start=2048, size=49152, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$GPT_PARTUUID, name=$GPT_PARTLABEL
		EOF
		dd if="$2.part" of="$2" bs=1M seek=1 conv=notrunc status=none
		rm -f "$2.part"
		;;
	other)
		disk_mkfs "$2" 8M "$OTHER_UUID" evdata
		;;
	luksbad)
		damaged_luks "$2"
		;;
	keydisk)
		# the fixtures' passphrase as a key file (no newline)
		mkdir -p "$tree/keys"
		printf '%s' "$LUKS_PASS" > "$tree/keys/root.key"
		disk_mkfs "$2" 8M "$KEYDISK_UUID" evkeys "$tree"
		;;
	*)
		echo "disks.sh: no disk named $1" >&2
		rm -rf "$tree"
		return 1
		;;
	esac
	rc=$?
	rm -rf "$tree"
	return $rc
}

# fixture_disk NAME: a fixture's disk, the real root's tree as its input
fixture_disk()
{
	case $1 in
	luks2)    set -- luks2-ext4 root "$LUKS2_FS" ;;
	luks1)    set -- luks1-ext4 root "$LUKS1_FS" ;;
	argon2id) set -- luks2-argon2id-ext4 root "$ARGON_FS" ;;
	pair)     set -- luks2-pair-ext4 root "$PAIR_FS" ;;
	pairsrv)  set -- luks2-pair-ext4 srv "$PAIR_FS" ;;
	hdrdata)  set -- luks2-header-ext4 root "$HDR_FS" ;;
	hdrfile)  set -- luks2-header-ext4 hdr "$HDR_FS" ;;
	raid1a)   set -- raid1-ext4 a "$RAID1_FS" ;;
	raid1b)   set -- raid1-ext4 b "$RAID1_FS" ;;
	raid5a)   set -- raid5-ext4 a "$RAID5_FS" ;;
	raid5b)   set -- raid5-ext4 b "$RAID5_FS" ;;
	raid5c)   set -- raid5-ext4 c "$RAID5_FS" ;;
	raid0a)   set -- raid0-ext4 a "$RAID0_FS" ;;
	raid0b)   set -- raid0-ext4 b "$RAID0_FS" ;;
	raid10a)  set -- raid10-ext4 a "$RAID10_FS" ;;
	raid10b)  set -- raid10-ext4 b "$RAID10_FS" ;;
	raid10c)  set -- raid10-ext4 c "$RAID10_FS" ;;
	raid10d)  set -- raid10-ext4 d "$RAID10_FS" ;;
	raid1gpta) set -- raid1-gpt-ext4 a "$RAID1GPT_FS" ;;
	raid1gptb) set -- raid1-gpt-ext4 b "$RAID1GPT_FS" ;;
	meta090a) set -- raid1-090-ext4 a "$META090_FS" ;;
	meta090b) set -- raid1-090-ext4 b "$META090_FS" ;;
	meta10a)  set -- raid1-10-ext4 a "$META10_FS" ;;
	meta10b)  set -- raid1-10-ext4 b "$META10_FS" ;;
	stalea)   set -- raid1-stale-ext4 a "$STALE_FS" ;;
	staleb)   set -- raid1-stale-ext4 b "$STALE_FS" ;;
	mdpaira)  set -- raid1-pair-ext4 a "$MDPAIR_FS" ;;
	mdpairb)  set -- raid1-pair-ext4 b "$MDPAIR_FS" ;;
	mdsrva)   set -- raid1-pair-ext4 srva "$MDPAIR_FS" ;;
	mdsrvb)   set -- raid1-pair-ext4 srvb "$MDPAIR_FS" ;;
	lvm)      set -- lvm-ext4 pv "$LVM_FS" ;;
	stripea)  set -- lvm-striped-ext4 a "$STRIPE_FS" ;;
	stripeb)  set -- lvm-striped-ext4 b "$STRIPE_FS" ;;
	spana)    set -- lvm-span-ext4 a "$SPAN_FS" ;;
	spanb)    set -- lvm-span-ext4 b "$SPAN_FS" ;;
	lraida)   set -- luks3-raid5-lvm-ext4 a "$LRAID_FS" ;;
	lraidb)   set -- luks3-raid5-lvm-ext4 b "$LRAID_FS" ;;
	lraidc)   set -- luks3-raid5-lvm-ext4 c "$LRAID_FS" ;;
	rluksa)   set -- raid5-luks2-lvm-ext4 a "$RLUKS_FS" ;;
	rluksb)   set -- raid5-luks2-lvm-ext4 b "$RLUKS_FS" ;;
	rluksc)   set -- raid5-luks2-lvm-ext4 c "$RLUKS_FS" ;;
	lvluks)   set -- lvm-luks2-ext4 pv "$LVLUKS_FS" ;;
	thin)     set -- lvm-thin-ext4 pv "$THIN_FS" ;;
	seqa)     set -- lvm-seqno-ext4 a "$SEQ_FS" ;;
	seqb)     set -- lvm-seqno-ext4 b "$SEQ_FS" ;;
	skip)     set -- lvm-skip-ext4 pv "$SKIP_FS" ;;
	mdlvma)   set -- raid1-lvm-ext4 a "$MDLVM_FS" ;;
	mdlvmb)   set -- raid1-lvm-ext4 b "$MDLVM_FS" ;;
	stacka)   set -- raid1-luks2-lvm-ext4 a "$STACK_FS" ;;
	stackb)   set -- raid1-luks2-lvm-ext4 b "$STACK_FS" ;;
	toolsa)   set -- raid1-luks2-lvm-tools a "$TOOLS_FS" tools ;;
	toolsb)   set -- raid1-luks2-lvm-tools b "$TOOLS_FS" tools ;;
	*) return 2 ;;
	esac
	d=$build/vm/disks
	mkdir -p "$d"
	tree=$(mktemp -d "${TMPDIR:-/tmp}/vmdisk.XXXXXX")
	disk_root_tree "$tree" "UUID=$3" "${4:-}" || { rm -rf "$tree"; return 1; }
	mkdir -p "$tree/srv"
	"$top/testsuite/vm/fixture.sh" -i "$tree" "$build" "$1" > "$d/$1.paths" 2> "$d/$1.log"
	rc=$?
	rm -rf "$tree"
	if [ $rc != 0 ]; then
		echo "disks.sh: cannot make fixture $1:" >&2
		tail -n 20 "$d/$1.log" >&2
		return 1
	fi
	grep "/$2\.img\$" "$d/$1.paths"
}

# damaged_luks IMAGE: the pairsrv fixture's LUKS2 header area (16 MiB),
# both copies of its JSON metadata overwritten: the magic and the UUID
# stay (so the probe calls it LUKS), the checksums fail
damaged_luks()
{
	src=$(fixture_disk pairsrv) || return 1
	dd if="$src" of="$1" bs=1M count=16 status=none || return 1
	hdr=$(od -An -t u1 -j 8 -N 8 "$1" | awk '{ n = 0; for (i = 1; i <= NF; i++) n = n * 256 + $i; print n }')
	[ "${hdr:-0}" -ge 16384 ] || { echo "disks.sh: $src: no LUKS2 header size" >&2; return 1; }
	for at in 4097 $((hdr + 4097)); do
		printf 'DAMAGED' | dd of="$1" bs=1 seek="$at" conv=notrunc status=none || return 1
	done
}

disk()	# NAME
{
	case $1 in
	luks2|luks1|argon2id|pair|pairsrv|hdrdata|hdrfile|raid1a|raid1b|\
	raid5a|raid5b|raid5c|raid0a|raid0b|raid10a|raid10b|raid10c|raid10d|\
	raid1gpta|raid1gptb|meta090a|meta090b|meta10a|meta10b|stalea|staleb|\
	mdpaira|mdpairb|mdsrva|mdsrvb|lvm|stripea|stripeb|spana|spanb|\
	lraida|lraidb|lraidc|rluksa|rluksb|rluksc|lvluks|thin|seqa|seqb|skip|\
	mdlvma|mdlvmb|stacka|stackb|toolsa|toolsb) fixture_disk "$1"; return ;;
	slow) echo "driver=null-co,read-zeroes=on,latency-ns=${SLOW_LATENCY_S}000000000,size=64M"; return ;;
	esac
	d=$build/vm/disks
	h=$(vm_hash "$top/testsuite/vm/disks.sh" "$top/testsuite/vm/root/init" "$bb")
	img=$d/$1-$h.img
	if [ ! -s "$img" ]; then
		mkdir -p "$d"
		rm -f "$d/$1"-*.img
		disk_make "$1" "$img.tmp" > "$d/$1.log" 2>&1 &&
			mv "$img.tmp" "$img" || {
			echo "disks.sh: cannot make disk $1:" >&2
			cat "$d/$1.log" >&2
			return 1
		}
	fi
	echo "$img"
}
