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

# the tree of a real root: busybox with its applets, the reporting init,
# an fstab naming the root (what a host-only image reads)
disk_root_tree()	# DIR ROOTSPEC
{
	mkdir -p "$1/bin" "$1/sbin" "$1/dev" "$1/proc" "$1/sys" "$1/run" "$1/root" "$1/tmp" "$1/etc"
	printf '%s / ext4 ro 0 1\n' "$2" > "$1/etc/fstab"
	cp "$bb" "$1/bin/busybox"
	for a in $("$bb" --list); do
		[ "$a" = busybox ] || ln -s busybox "$1/bin/$a"
	done
	cp "$top/testsuite/vm/root/init" "$1/sbin/init"
	chmod 755 "$1/sbin/init"
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
	*) return 2 ;;
	esac
	d=$build/vm/disks
	mkdir -p "$d"
	tree=$(mktemp -d "${TMPDIR:-/tmp}/vmdisk.XXXXXX")
	disk_root_tree "$tree" "UUID=$3"
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
	mdpaira|mdpairb|mdsrva|mdsrvb) fixture_disk "$1"; return ;;
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
