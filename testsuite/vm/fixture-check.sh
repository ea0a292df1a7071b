#!/bin/sh
# fixture-check.sh BUILD - the disk-fixture maker (fixture.sh), checked from
# the host without dm or md: the recipes are built (or found in the cache),
# then their images are read with cryptsetup luksDump, blkid, debugfs and
# Debian's mdadm --examine (unpacked from the builder's .deb, not installed).
# Also: a cache hit is fast, a changed recipe or input gives a new hash, a
# recipe's files from -i DIR arrive, and a failing recipe is loud.
# Ends with "N passed, N failed".
#
# The first run builds the builder image and the recipes (6-10 s each, several
# minutes under TCG); later runs find them cached and boot the VM twice.
set -u
img=''

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
mkdir -p "$1"
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
fx=$here/fixture.sh
work=$build/vm/fixture-check
rm -rf "$work"
mkdir -p "$work"

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS: $1"; }
no() { fail=$((fail + 1)); echo "FAIL: $1"; [ -z "${2:-}" ] || sed 's/^/  | /' "$2"; }
check()	# WHAT, then a command that succeeds when it holds
{
	what=$1; shift
	if "$@" > "$work/out" 2>&1; then ok "$what"; else no "$what" "$work/out"; fi
}
has()	# FILE PATTERN: a fixed string in a file
{
	grep -qF -- "$2" "$1"
}
build_fixture()	# VAR RECIPE [-i DIR]: build, the first path in VAR
{
	var=$1 r=$2; shift 2
	n=${r##*/} n=${n%.recipe}
	if "$fx" "$@" "$build" "$r" > "$work/$n.paths" 2> "$work/$n.err"; then
		ok "$n: built"
	else
		no "$n: built" "$work/$n.err"
	fi
	eval "$var=\$(head -n 1 \"\$work/\$n.paths\")"
}
secs()	# since UPTIME, in seconds with two decimals
{
	awk -v s="$1" '{ printf "%.2f", $1 - s }' /proc/uptime
}

# ---- luks2-ext4 ---------------------------------------------------------
build_fixture img luks2-ext4
cryptsetup luksDump "$img" > "$work/dump" 2>&1 || true
check "luks2-ext4: a 64 MiB image" test "$(stat -c %s "$img" 2>/dev/null)" = 67108864
check "luks2-ext4: luksDump says LUKS2" has "$work/dump" "Version:       	2"
check "luks2-ext4: the fixed LUKS UUID" has "$work/dump" "5e1f0100-e7b0-4c5a-9d1e-000000000001"
check "luks2-ext4: pbkdf2 keyslot" has "$work/dump" "PBKDF:      pbkdf2"
check "luks2-ext4: the passphrase opens keyslot 0 (no dm needed)" sh -c \
	"printf evbox-test | cryptsetup open --test-passphrase --key-file - '$img'"
check "luks2-ext4: a wrong passphrase does not" sh -c \
	"! printf wrong | cryptsetup open --test-passphrase --key-file - '$img'"
check "luks2-ext4: blkid sees crypto_LUKS and the label" sh -c \
	"blkid -p '$img' | grep -q 'UUID=\"5e1f0100-e7b0-4c5a-9d1e-000000000001\".*TYPE=\"crypto_LUKS\"'"

t0=$(cut -d' ' -f1 /proc/uptime)
again=$("$fx" "$build" luks2-ext4 2>&1)
took=$(secs "$t0")
check "luks2-ext4: a second call prints the cached path" test "$again" = "$img"
check "luks2-ext4: the cache hit takes under 1 s (took $took s)" \
	awk -v t="$took" 'BEGIN { exit !(t < 1) }'
check "luks2-ext4: -n prints the same path" test "$("$fx" -n "$build" luks2-ext4)" = "$img"

# a changed recipe, another input: other hashes
mkdir -p "$work/changed" "$work/in1" "$work/in2"
{ cat "$here/fixtures/luks2-ext4.recipe"; echo "# changed"; } > "$work/changed/luks2-ext4.recipe"
changed=$("$fx" -n "$build" "$work/changed/luks2-ext4.recipe")
check "a changed recipe gives a new hash" sh -c \
	"[ '${changed%/*}' != '${img%/*}' ] && case '$changed' in */luks2-ext4-*/root.img) ;; *) false ;; esac"
echo one > "$work/in1/f"
echo two > "$work/in2/f"
p1=$("$fx" -n -i "$work/in1" "$build" luks2-ext4)
p2=$("$fx" -n -i "$work/in2" "$build" luks2-ext4)
check "an input directory changes the hash" sh -c "[ '$p1' != '$img' ] && [ '$p1' != '$p2' ]"

# ---- the other recipes ---------------------------------------------------
build_fixture img luks1-ext4
cryptsetup luksDump "$img" > "$work/dump" 2>&1 || true
check "luks1-ext4: LUKS1 with the fixed UUID" sh -c \
	"grep -q '^Version:.*1$' '$work/dump' && grep -q 5e1f0200-e7b0-4c5a-9d1e-000000000001 '$work/dump'"

build_fixture img luks2-argon2id-ext4
cryptsetup luksDump "$img" > "$work/dump" 2>&1 || true
check "luks2-argon2id-ext4: an argon2id keyslot of 32 MiB" sh -c \
	"grep -q 'PBKDF:      argon2id' '$work/dump' && grep -q 'Memory:     32768' '$work/dump'"

build_fixture img raid1-ext4
a=$img b=${img%/a.img}/b.img
check "raid1-ext4: blkid sees two members of the fixed array" sh -c \
	"blkid -p '$a' '$b' | grep -c 'UUID=\"5e1f0400-e7b0-4c5a-9d1e-000000000001\".*TYPE=\"linux_raid_member\"' | grep -qx 2"
# Debian's mdadm, unpacked from the builder's download
mdadm=$(command -v mdadm || true)
deb=$(find "$build/vm/fixtures/builder/debs" -name 'mdadm_*.deb' 2>/dev/null | head -n 1)
if [ -z "$mdadm" ] && [ -n "$deb" ]; then
	dpkg -x "$deb" "$work/mdadm" && mdadm=$work/mdadm/sbin/mdadm
fi
"$mdadm" --examine "$a" > "$work/examine" 2>&1 || true
check "raid1-ext4: mdadm --examine: 1.2, raid1, 2 devices, name evbox:root" sh -c \
	"grep -q 'Version : 1.2' '$work/examine' && grep -q 'Raid Level : raid1' '$work/examine' &&
	 grep -q 'Raid Devices : 2' '$work/examine' && grep -q 'Name : evbox:root' '$work/examine'"
off=$(sed -n 's/.*Data Offset : \([0-9]*\) sectors.*/\1/p' "$work/examine")
check "raid1-ext4: ext4 with the fixed UUID at the data offset" sh -c \
	"blkid -p -O $((${off:-0} * 512)) '$a' | grep -q 'UUID=\"5e1f0400-e7b0-4c5a-9d1e-000000000002\".*TYPE=\"ext4\"'"

# ---- the other md recipes: each member as Debian's mdadm --examine reads it
md_role()	# EXAMINE: the member's role (0.90: the RaidDevice of "this")
{
	sed -n 's/.*Device Role : Active device \([0-9]*\).*/\1/p' "$1"
	awk '$1 == "this" { print $5 }' "$1"
}
has_all()	# FILE STRING...: each fixed STRING is in FILE
{
	f=$1; shift
	for s; do
		grep -qF -- "$s" "$f" || { echo "no '$s' in:"; cat "$f"; return 1; }
	done
}
md_member()	# EXAMINE ROLE STRING...: the member has ROLE and each fixed STRING
{
	f=$1 want=$2; shift 2
	has_all "$f" "$@" || return 1
	got=$(md_role "$f")
	[ "$got" = "$want" ] || { echo "role '$got', not $want, in:"; cat "$f"; return 1; }
}
md_array()	# RECIPE DIR "DISK..." VERSION LEVEL UUID NAME [STRING...]: each
{		# DISK.img in DIR is a member of the array (NAME '': none), roles
		# 0, 1, ... in that order, its --examine with each STRING too
	r=$1 dir=$2 disks=$3 v=$4 level=$5 uuid=$6 name=$7; shift 7
	more=''
	for s; do more="$more, ${s% : *} ${s#* : }"; done
	set -- "Version : $v" "UUID : $uuid" "Raid Level : $level" \
		"Raid Devices : $(echo "$disks" | wc -w)" ${name:+"Name : $name"} "$@"
	role=0
	for d in $disks; do
		"$mdadm" --examine "$dir/$d.img" > "$work/examine-$r-$d" 2>&1 || true
		check "$r: $d is role $role of $level ${name:-$uuid} ($v$more)" \
			md_member "$work/examine-$r-$d" $role "$@"
		role=$((role + 1))
	done
}
md_offset()	# EXAMINE: its data offset in bytes
{
	off=$(sed -n 's/.*Data Offset : \([0-9]*\) sectors.*/\1/p' "$1")
	echo $((${off:-0} * 512))
}
ext4_at()	# IMAGE OFFSET UUID: blkid sees an ext4 with UUID at OFFSET bytes
{
	blkid -p -u filesystem -O "$2" "$1" | grep -q "UUID=\"$3\".*TYPE=\"ext4\""
}
md_ext4()	# RECIPE DIR DISK UUID: ext4 with UUID at DISK's data offset
{
	check "$1: ext4 with the fixed UUID at $3's data offset" \
		ext4_at "$2/$3.img" "$(md_offset "$work/examine-$1-$3")" "$4"
}
fs_file()	# IMAGE OFFSET PATH: the file PATH of the ext4 at OFFSET bytes
{		# (a RAID1 member's data area is the whole filesystem)
	rm -f "$work/fs.img"
	dd if="$1" of="$work/fs.img" bs=512 skip=$(($2 / 512)) conv=sparse status=none &&
	debugfs -R "cat $3" "$work/fs.img" 2>/dev/null
}
md_events()	# EXAMINE: its events count
{
	sed -n 's/^ *Events : *\([0-9]*\).*/\1/p' "$1"
}

build_fixture img raid5-ext4
md_array raid5-ext4 "${img%/*}" "a b c" 1.2 raid5 5e1f0401:e7b04c5a:9d1e0000:00000001 \
	evbox:raid5 "Layout : left-symmetric" "Chunk Size : 512K"
md_ext4 raid5-ext4 "${img%/*}" a 5e1f0401-e7b0-4c5a-9d1e-000000000002

build_fixture img raid0-ext4
md_array raid0-ext4 "${img%/*}" "a b" 1.2 raid0 5e1f0402:e7b04c5a:9d1e0000:00000001 \
	evbox:raid0 "Chunk Size : 512K"
md_ext4 raid0-ext4 "${img%/*}" a 5e1f0402-e7b0-4c5a-9d1e-000000000002

build_fixture img raid10-ext4
md_array raid10-ext4 "${img%/*}" "a b c d" 1.2 raid10 5e1f0403:e7b04c5a:9d1e0000:00000001 \
	evbox:raid10 "Layout : near=2" "Chunk Size : 512K"
md_ext4 raid10-ext4 "${img%/*}" a 5e1f0403-e7b0-4c5a-9d1e-000000000002

build_fixture img raid1-gpt-ext4
for d in a b; do
	sfdisk -d "${img%/*}/$d.img" > "$work/gpt-$d" 2>&1 || true
	D=$(echo "$d" | tr "[:lower:]" "[:upper:]")
	check "raid1-gpt-ext4: $d is GPT ...${d}0, one Linux RAID partition ...${d}1 evraid-$d" \
		has_all "$work/gpt-$d" "label-id: 5E1F0404-E7B0-4C5A-9D1E-0000000000${D}0" \
		"type=A19D880F-05FC-4D3B-A006-743F0F84911E, uuid=5E1F0404-E7B0-4C5A-9D1E-0000000000${D}1, name=\"evraid-$d\""
	# the partition apart, for mdadm (which reads the whole disk's GPT)
	start=$(sed -n 's/.*img1 : start= *\([0-9]*\),.*/\1/p' "$work/gpt-$d")
	dd if="${img%/*}/$d.img" of="$work/${d}1.img" bs=512 skip="${start:-0}" conv=sparse status=none
done
md_array raid1-gpt-ext4 "$work" "a1 b1" 1.2 raid1 5e1f0404:e7b04c5a:9d1e0000:00000001 evbox:gpt
md_ext4 raid1-gpt-ext4 "$work" a1 5e1f0404-e7b0-4c5a-9d1e-000000000002

build_fixture img raid1-090-ext4
md_array raid1-090-ext4 "${img%/*}" "a b" 0.90.00 raid1 5e1f0405:e7b04c5a:9d1e0000:00000001 \
	'' "Preferred Minor : 0"
check "raid1-090-ext4: ext4 with the fixed UUID at offset 0 (the superblock is at the end)" \
	ext4_at "$img" 0 5e1f0405-e7b0-4c5a-9d1e-000000000002

build_fixture img raid1-10-ext4
md_array raid1-10-ext4 "${img%/*}" "a b" 1.0 raid1 5e1f0406:e7b04c5a:9d1e0000:00000001 \
	evbox:meta10 "Super Offset : 65520 sectors"
check "raid1-10-ext4: ext4 with the fixed UUID at offset 0 (the superblock 8 KiB from the end)" \
	ext4_at "$img" 0 5e1f0406-e7b0-4c5a-9d1e-000000000002

build_fixture img raid1-stale-ext4
dir=${img%/*}
md_array raid1-stale-ext4 "$dir" "a b" 1.2 raid1 5e1f0407:e7b04c5a:9d1e0000:00000001 evbox:stale
md_ext4 raid1-stale-ext4 "$dir" a 5e1f0407-e7b0-4c5a-9d1e-000000000002
ea=$(md_events "$work/examine-raid1-stale-ext4-a")
eb=$(md_events "$work/examine-raid1-stale-ext4-b")
check "raid1-stale-ext4: a's events count is ahead of b's (a $ea, b $eb)" \
	test "${ea:-0}" -gt "${eb:-0}"
check "raid1-stale-ext4: a says b is missing, b says both are active" sh -c \
	"grep -q 'Array State : A\\. ' '$work/examine-raid1-stale-ext4-a' &&
	 grep -q 'Array State : AA ' '$work/examine-raid1-stale-ext4-b'"
off=$(md_offset "$work/examine-raid1-stale-ext4-a")
fs_file "$dir/a.img" "$off" /stale-marker > "$work/marker-a" || true
fs_file "$dir/b.img" "$off" /stale-marker > "$work/marker-b" || true
check "raid1-stale-ext4: /stale-marker on a, not on b" sh -c \
	"grep -q 'written while member b was away' '$work/marker-a' && [ ! -s '$work/marker-b' ]"

build_fixture img raid1-pair-ext4
dir=${img%/*}
md_array raid1-pair-ext4 "$dir" "a b" 1.2 raid1 5e1f0408:e7b04c5a:9d1e0000:00000001 evbox:root
md_array raid1-pair-ext4 "$dir" "srva srvb" 1.2 raid1 5e1f0408:e7b04c5a:9d1e0000:00000003 evbox:srv
md_ext4 raid1-pair-ext4 "$dir" a 5e1f0408-e7b0-4c5a-9d1e-000000000002
md_ext4 raid1-pair-ext4 "$dir" srva 5e1f0408-e7b0-4c5a-9d1e-000000000004
fs_file "$dir/srva.img" "$(md_offset "$work/examine-raid1-pair-ext4-srva")" /srv-marker > "$work/srv-marker" || true
check "raid1-pair-ext4: srv holds srv-marker" has "$work/srv-marker" "evbox /srv on the second md array"

build_fixture img lvm-ext4
check "lvm-ext4: blkid sees a PV with the fixed UUID" sh -c \
	"blkid -p '$img' | grep -q 'UUID=\"evboxP-V000-0000-0000-0000-0000-000001\".*TYPE=\"LVM2_member\"'"
dd if="$img" bs=1M count=1 status=none | tr -c '[:print:]\n' '\n' > "$work/meta"
check "lvm-ext4: its metadata names VG evboxvg and LV root" sh -c \
	"grep -q '^evboxvg {' '$work/meta' && grep -q 'root {' '$work/meta'"
check "lvm-ext4: ext4 with the fixed UUID at 1 MiB (the first extent)" sh -c \
	"blkid -p -O 1048576 '$img' | grep -q 'UUID=\"5e1f0500-e7b0-4c5a-9d1e-000000000002\".*TYPE=\"ext4\"'"

build_fixture img gpt-luks2-ext4
sfdisk -d "$img" > "$work/gpt" 2>&1 || true
check "gpt-luks2-ext4: GPT with the fixed disk GUID and PARTUUIDs" sh -c \
	"grep -q 'label-id: 5E1F0600-E7B0-4C5A-9D1E-000000000000' '$work/gpt' &&
	 grep -q 'uuid=5E1F0600-E7B0-4C5A-9D1E-0000000000A1, name=\"boot\"' '$work/gpt' &&
	 grep -q 'uuid=5E1F0600-E7B0-4C5A-9D1E-0000000000A2, name=\"cryptroot\"' '$work/gpt'"
start=$(sed -n 's/.*img2 : start= *\([0-9]*\),.*/\1/p' "$work/gpt")
check "gpt-luks2-ext4: ext4 boot in partition 1, LUKS2 in partition 2" sh -c \
	"blkid -p -O 1048576 '$img' | grep -q 'UUID=\"5e1f0600-e7b0-4c5a-9d1e-000000000003\".*TYPE=\"ext4\"' &&
	 blkid -p -O $((${start:-0} * 512)) '$img' | grep -q 'UUID=\"5e1f0600-e7b0-4c5a-9d1e-000000000001\".*TYPE=\"crypto_LUKS\"'"

build_fixture img raid1-luks2-lvm-ext4
"$mdadm" --examine "$img" > "$work/examine" 2>&1 || true
off=$(sed -n 's/.*Data Offset : \([0-9]*\) sectors.*/\1/p' "$work/examine")
check "raid1-luks2-lvm-ext4: md member of evbox:stack, LUKS2 on the array" sh -c \
	"grep -q 'Name : evbox:stack' '$work/examine' &&
	 blkid -p -O $((${off:-0} * 512)) '$img' | grep -q 'UUID=\"5e1f0700-e7b0-4c5a-9d1e-000000000003\".*TYPE=\"crypto_LUKS\"'"

build_fixture img luks2-header-ext4
hdr=${img%/root.img}/hdr.img
check "luks2-header-ext4: the header disk is LUKS2 with the fixed UUID" sh -c \
	"blkid -p '$hdr' | grep -q 'UUID=\"5e1f0900-e7b0-4c5a-9d1e-000000000001\".*TYPE=\"crypto_LUKS\"'"
check "luks2-header-ext4: the data disk shows no signature" sh -c \
	"! blkid -p '$img' | grep -q 'TYPE='"
check "luks2-header-ext4: the passphrase opens the header's keyslot" sh -c \
	"printf evbox-test | cryptsetup open --test-passphrase --header '$hdr' --key-file - '$img'"

# ---- the LVM recipes: PVs by blkid, the newest metadata copy in each PV's
# area (printable text, as lvm-ext4's above), filesystems where the extents
# put them (a PV's first extent is 1 MiB in)
lvm_meta()	# IMAGE OFFSET OUT: the copy with the highest seqno in the
{		# metadata area of the PV at OFFSET bytes
	dd if="$1" bs=512 skip=$(($2 / 512)) count=2048 status=none |
		tr -cs '[:print:]\n' '\n' | awk '
		/^seqno = [0-9]+$/ { s = $3 + 0 }
		{ b = b $0 "\n" }
		/^# Generated by LVM2/ { if (s > best) { best = s; out = b }; b = ""; s = 0 }
		END { printf "%s", out }' > "$3"
}
meta_seqno()	# META: its seqno
{
	sed -n 's/^seqno = \([0-9]*\)$/\1/p' "$1" | head -n 1
}
pv_at()		# IMAGE OFFSET UUID: blkid sees a PV with UUID at OFFSET bytes
{
	blkid -p -O "$2" "$1" | grep -q "UUID=\"$3\".*TYPE=\"LVM2_member\""
}
luks_at()	# IMAGE OFFSET UUID: blkid sees LUKS with UUID at OFFSET bytes
{
	blkid -p -O "$2" "$1" | grep -q "UUID=\"$3\".*TYPE=\"crypto_LUKS\""
}
pv_disks()	# DIR DISK UUID...: each DISK.img in DIR is a PV with its UUID
{
	dir=$1; shift
	while [ $# -ge 2 ]; do
		pv_at "$dir/$1.img" 0 "$2" || { echo "$1: no PV $2:"; blkid -p "$dir/$1.img"; return 1; }
		shift 2
	done
}
pass_at()	# IMAGE OFFSET: the passphrase opens a keyslot of the LUKS there
{
	rm -f "$work/luks.img"
	dd if="$1" of="$work/luks.img" bs=512 skip=$(($2 / 512)) conv=sparse status=none &&
	printf evbox-test | cryptsetup open --test-passphrase --key-file - "$work/luks.img"
}
lines_after()	# META LINE N STRING: within N lines after the exact LINE, STRING
{
	awk -v l="$2" -v n="$3" '$0 == l { c = n; next } c > 0 { print; c-- }' "$1" |
		grep -qF -- "$4" || { echo "no '$4' within $3 lines of '$2' in:"; cat "$1"; return 1; }
}
lvm_pair()	# RECIPE NN: build RECIPE; its disks a and b are PVs
{		# evboxP-V000-0000-0000-0000-NN-000001 and -000002; dir= their
		# directory, $work/meta-RECIPE-a and -b the newest metadata of each
	build_fixture img "$1"
	dir=${img%/*}
	check "$1: blkid sees the two PVs with the fixed UUIDs" pv_disks "$dir" \
		a "evboxP-V000-0000-0000-0000-$2-000001" b "evboxP-V000-0000-0000-0000-$2-000002"
	lvm_meta "$dir/a.img" 0 "$work/meta-$1-a"
	lvm_meta "$dir/b.img" 0 "$work/meta-$1-b"
}
M=1048576

lvm_pair lvm-striped-ext4 0501
check "lvm-striped-ext4: the metadata: VG evboxstripe, LV root striped over 2, 64 KiB" \
	has_all "$work/meta-lvm-striped-ext4-a" "evboxstripe {" "root {" 'type = "striped"' \
	"stripe_count = 2" "stripe_size = 128" '"pv0", 0,' '"pv1", 0'
check "lvm-striped-ext4: both PVs hold the same newest metadata" \
	cmp "$work/meta-lvm-striped-ext4-a" "$work/meta-lvm-striped-ext4-b"
check "lvm-striped-ext4: ext4's superblock in a's first stripe (the fixed UUID at 1 MiB)" \
	ext4_at "$dir/a.img" $M 5e1f0501-e7b0-4c5a-9d1e-000000000002

lvm_pair lvm-span-ext4 0502
tr -d '\t' < "$work/meta-lvm-span-ext4-a" | awk '/^root \{$/,0' > "$work/meta-span-root"
check "lvm-span-ext4: LV root in VG evboxspan: 11 extents of pv0 (a), then 5 of pv1 (b)" \
	has_all "$work/meta-span-root" "segment_count = 2" "extent_count = 11" '"pv0", 0' \
	"start_extent = 11" "extent_count = 5" '"pv1", 0'
check "lvm-span-ext4: the metadata names VG evboxspan" grep -qx 'evboxspan {' "$work/meta-lvm-span-ext4-b"
check "lvm-span-ext4: ext4 with the fixed UUID at 1 MiB on a, none on b" sh -c \
	"blkid -p -u filesystem -O $M '$dir/a.img' | grep -q 'UUID=\"5e1f0502-e7b0-4c5a-9d1e-000000000002\".*TYPE=\"ext4\"' &&
	 ! blkid -p -u filesystem -O $M '$dir/b.img' | grep -q TYPE="

build_fixture img luks3-raid5-lvm-ext4
dir=${img%/*}
for d in a b c; do
	check "luks3-raid5-lvm-ext4: $d is LUKS2 ...${d}3, label evbox-lraid-$d" sh -c \
		"blkid -p '$dir/$d.img' | grep -q 'VERSION=\"2\" UUID=\"5e1f0503-e7b0-4c5a-9d1e-0000000000${d}3\" LABEL=\"evbox-lraid-$d\" TYPE=\"crypto_LUKS\"' &&
		 cryptsetup luksDump '$dir/$d.img' | grep -q '^Version:.*2$'"
	check "luks3-raid5-lvm-ext4: the passphrase opens $d" pass_at "$dir/$d.img" 0
done
check "luks3-raid5-lvm-ext4: no md superblock in the clear (the array is inside)" sh -c \
	"! '$mdadm' --examine '$dir/a.img' > /dev/null 2>&1"

build_fixture img raid5-luks2-lvm-ext4
dir=${img%/*}
md_array raid5-luks2-lvm-ext4 "$dir" "a b c" 1.2 raid5 5e1f0504:e7b04c5a:9d1e0000:00000001 \
	evbox:rluks "Layout : left-symmetric" "Chunk Size : 512K"
off=$(md_offset "$work/examine-raid5-luks2-lvm-ext4-a")
check "raid5-luks2-lvm-ext4: LUKS2 with the fixed UUID at a's data offset" \
	luks_at "$dir/a.img" "$off" 5e1f0504-e7b0-4c5a-9d1e-000000000003
check "raid5-luks2-lvm-ext4: the passphrase opens it (a's first chunk holds keyslot 0)" \
	pass_at "$dir/a.img" "$off"

build_fixture img lvm-luks2-ext4
check "lvm-luks2-ext4: blkid sees a PV with the fixed UUID" \
	pv_at "$img" 0 evboxP-V000-0000-0000-0000-0505-000001
lvm_meta "$img" 0 "$work/meta-lvluks"
check "lvm-luks2-ext4: its metadata names VG evboxcl and LV cryptroot" sh -c \
	"grep -qx 'evboxcl {' '$work/meta-lvluks' && grep -qx 'cryptroot {' '$work/meta-lvluks'"
check "lvm-luks2-ext4: LUKS2 with the fixed UUID at 1 MiB (the LV's first extent)" \
	luks_at "$img" $M 5e1f0505-e7b0-4c5a-9d1e-000000000003
check "lvm-luks2-ext4: the passphrase opens it" pass_at "$img" $M

build_fixture img lvm-thin-ext4
check "lvm-thin-ext4: blkid sees a PV with the fixed UUID" \
	pv_at "$img" 0 evboxP-V000-0000-0000-0000-0506-000001
lvm_meta "$img" 0 "$work/meta-thin"
tr -d '\t' < "$work/meta-thin" > "$work/meta-thin-flat"
check "lvm-thin-ext4: VG evboxthin: thin-pool pool (pool_tmeta, pool_tdata), thin LV root in it, LV plain" \
	has_all "$work/meta-thin-flat" "evboxthin {" "pool {" 'type = "thin-pool"' \
	'metadata = "pool_tmeta"' 'pool = "pool_tdata"' "root {" 'type = "thin"' \
	'thin_pool = "pool"' "device_id = 1" "plain {" "pool_tmeta {" "pool_tdata {"
check "lvm-thin-ext4: LV root's segment is thin" \
	lines_after "$work/meta-thin-flat" "root {" 12 'type = "thin"'
check "lvm-thin-ext4: ext4 with the fixed UUID at 1 MiB (LV plain)" \
	ext4_at "$img" $M 5e1f0506-e7b0-4c5a-9d1e-000000000002

lvm_pair lvm-seqno-ext4 0507
sa=$(meta_seqno "$work/meta-lvm-seqno-ext4-a") sb=$(meta_seqno "$work/meta-lvm-seqno-ext4-b")
check "lvm-seqno-ext4: the PVs' metadata seqnos differ, a's newer (a ${sa:-none}, b ${sb:-none})" \
	test "${sa:-0}" -gt "${sb:-0}" -a "${sb:-0}" -gt 0
check "lvm-seqno-ext4: both name VG evboxseq; a's has LV root, b's no LV" sh -c \
	"grep -qx 'evboxseq {' '$work/meta-lvm-seqno-ext4-a' && grep -qx 'evboxseq {' '$work/meta-lvm-seqno-ext4-b' &&
	 grep -qx 'root {' '$work/meta-lvm-seqno-ext4-a' && ! grep -q 'logical_volumes' '$work/meta-lvm-seqno-ext4-b'"
check "lvm-seqno-ext4: LV root on pv0 (a) only" sh -c \
	"grep -qF '\"pv0\", 0' '$work/meta-lvm-seqno-ext4-a' && ! grep -qF '\"pv1\", ' '$work/meta-lvm-seqno-ext4-a'"
check "lvm-seqno-ext4: ext4 with the fixed UUID at 1 MiB on a" \
	ext4_at "$dir/a.img" $M 5e1f0507-e7b0-4c5a-9d1e-000000000002

build_fixture img lvm-skip-ext4
check "lvm-skip-ext4: blkid sees a PV with the fixed UUID" \
	pv_at "$img" 0 evboxP-V000-0000-0000-0000-0508-000001
lvm_meta "$img" 0 "$work/meta-skip"
check "lvm-skip-ext4: its metadata names VG evboxskip, LVs root and skipped" sh -c \
	"grep -qx 'evboxskip {' '$work/meta-skip' && grep -qx 'root {' '$work/meta-skip' &&
	 grep -qx 'skipped {' '$work/meta-skip'"
check "lvm-skip-ext4: LV skipped's flags say ACTIVATION_SKIP" \
	lines_after "$work/meta-skip" "skipped {" 3 'flags = ["ACTIVATION_SKIP"]'
check "lvm-skip-ext4: LV root's flags do not" \
	lines_after "$work/meta-skip" "root {" 3 'flags = []'
check "lvm-skip-ext4: root's ext4 at 1 MiB, skipped's at 25 MiB (extent 6), fixed UUIDs" sh -c \
	"blkid -p -u filesystem -O $M '$img' | grep -q 'UUID=\"5e1f0508-e7b0-4c5a-9d1e-000000000002\".*TYPE=\"ext4\"' &&
	 blkid -p -u filesystem -O $((25 * M)) '$img' | grep -q 'UUID=\"5e1f0508-e7b0-4c5a-9d1e-000000000004\".*TYPE=\"ext4\"'"
fs_file "$img" $((25 * M)) /skipped-marker > "$work/skipped-marker" || true
check "lvm-skip-ext4: skipped holds skipped-marker" \
	has "$work/skipped-marker" "evbox LV with the activation skip flag"

build_fixture img raid1-lvm-ext4
dir=${img%/*}
md_array raid1-lvm-ext4 "$dir" "a b" 1.2 raid1 5e1f0509:e7b04c5a:9d1e0000:00000001 evbox:mdlvm
off=$(md_offset "$work/examine-raid1-lvm-ext4-a")
check "raid1-lvm-ext4: a PV with the fixed UUID at the data offset" \
	pv_at "$dir/a.img" "$off" evboxP-V000-0000-0000-0000-0509-000001
lvm_meta "$dir/a.img" "$off" "$work/meta-mdlvm"
check "raid1-lvm-ext4: its metadata names VG evboxmd and LV root" sh -c \
	"grep -qx 'evboxmd {' '$work/meta-mdlvm' && grep -qx 'root {' '$work/meta-mdlvm'"
check "raid1-lvm-ext4: ext4 with the fixed UUID 1 MiB after the data offset" \
	ext4_at "$dir/a.img" $((off + M)) 5e1f0509-e7b0-4c5a-9d1e-000000000002

# the tools root (disks.sh's tools_tree): every library the tools need is in
# the tree, found there by the tree's own loader; then the stack that holds
# it (its recipe runs the tools chrooted in the builder VM)
tools=$work/tools
rc=0
(top=${here%/testsuite/vm}; . "$here/disks.sh" && tools_tree "$tools") > "$work/tools.out" 2>&1 || rc=$?
check "tools_tree: made (lvm2, dmsetup, mdadm, cryptsetup from the builder's packages)" sh -c \
	"[ $rc = 0 ] && [ -x '$tools/sbin/lvm' ] && [ -L '$tools/sbin/lvs' ] && [ -x '$tools/sbin/dmsetup' ] &&
	 [ -x '$tools/sbin/mdadm' ] && [ -x '$tools/sbin/cryptsetup' ] && [ -s '$tools/etc/lvm/lvm.conf' ] ||
	 { cat '$work/tools.out'; false; }"
for t in lvm dmsetup mdadm cryptsetup; do
	"$tools/lib64/ld-linux-x86-64.so.2" --library-path "$tools/lib/x86_64-linux-gnu" \
		--list "$tools/sbin/$t" > "$work/ldd-$t" 2>&1 || true
	check "tools_tree: /sbin/$t's libraries all in the tree" sh -c \
		"grep -q ' => $tools/lib/x86_64-linux-gnu/libc.so.6 ' '$work/ldd-$t' && ! grep -q 'not found' '$work/ldd-$t' &&
		 ! grep ' => ' '$work/ldd-$t' | grep -v ' => $tools/lib' | grep -q ."
done
if [ "$(id -u)" = 0 ]; then
	check "tools_tree: mdadm and cryptsetup run chrooted in it" sh -c \
		"chroot '$tools' /sbin/mdadm --version 2>&1 | grep -q 'mdadm - v' &&
		 chroot '$tools' /sbin/cryptsetup --version | grep -q '^cryptsetup 2'"
fi
build_fixture img raid1-luks2-lvm-tools -i "$tools"
"$mdadm" --examine "$img" > "$work/examine" 2>&1 || true
check "raid1-luks2-lvm-tools: md member of evbox:tools, LUKS2 on the array" sh -c \
	"grep -q 'Name : evbox:tools' '$work/examine' &&
	 blkid -p -O $(md_offset "$work/examine") '$img' | grep -q 'UUID=\"5e1f0701-e7b0-4c5a-9d1e-000000000003\".*TYPE=\"crypto_LUKS\"'"
log=${img%/*}/console.log
check "raid1-luks2-lvm-tools: the tools ran in the root: lvs, dmsetup info, mdadm --detail, cryptsetup status" \
	sh -c "tr -d '\\r' < '$log' > '$work/tools.log' &&
	 grep -q '^ *evboxtools root -wi-ao' '$work/tools.log' && grep -q '^State: *ACTIVE$' '$work/tools.log' &&
	 grep -q '^ *Name : evbox:tools$' '$work/tools.log' &&
	 grep -q '^/dev/mapper/cryptools is active' '$work/tools.log'"

# ---- a recipe's input, and a failing recipe -------------------------------
mkdir -p "$work/recipes" "$work/tree/etc"
echo "evbox fixture input" > "$work/tree/etc/hello"
chmod 640 "$work/tree/etc/hello"
cat > "$work/recipes/check-input.recipe" <<'EOF'
# check-input: plain ext4 from the input directory (fixture-check.sh)
# disk: fs 8M
# input: required
mkfs.ext4 -q -U 5e1f0f00-e7b0-4c5a-9d1e-000000000002 -d "$IN" "$DISK_fs"
EOF
rc=0
"$fx" "$build" "$work/recipes/check-input.recipe" > /dev/null 2> "$work/noinput.err" || rc=$?
check "a recipe that needs an input fails without -i, and says so" sh -c \
	"[ $rc != 0 ] && grep -q 'check-input: needs an input directory' '$work/noinput.err'"
build_fixture img "$work/recipes/check-input.recipe" -i "$work/tree"
debugfs -R 'cat /etc/hello' "$img" > "$work/hello" 2>/dev/null || true
check "check-input: the input's file is in the image" has "$work/hello" "evbox fixture input"
debugfs -R 'stat /etc/hello' "$img" > "$work/stat" 2>/dev/null || true
check "check-input: with its mode, owned by root" sh -c \
	"grep -q 'Mode:  0640' '$work/stat' && grep -q 'User:     0   Group:     0' '$work/stat'"

cat > "$work/recipes/check-fail.recipe" <<'EOF'
# check-fail: a recipe whose second command fails (fixture-check.sh)
# disk: d 1M
# timeout: 120
true
sh -c 'exit 3'
echo "not reached"
EOF
rc=0
"$fx" "$build" "$work/recipes/check-fail.recipe" > "$work/fail.out" 2> "$work/fail.err" || rc=$?
check "a failing recipe: fixture.sh fails" test $rc != 0
check "a failing recipe: the message names it and its exit status" \
	has "$work/fail.err" "check-fail: the recipe failed with exit status 3"
log=$(sed -n 's/.*; console: //p' "$work/fail.err")
check "a failing recipe: the console log it names exists" test -s "$log"
check "a failing recipe: prints no path, caches nothing" sh -c \
	"[ ! -s '$work/fail.out' ] && ! ls -d '$build'/vm/fixtures/check-fail-*/done 2>/dev/null"

cat > "$work/recipes/check-silent.recipe" <<'EOF'
# check-silent: a recipe that powers the VM off itself (fixture-check.sh)
# disk: d 1M
poweroff -f
EOF
rc=0
"$fx" "$build" "$work/recipes/check-silent.recipe" > /dev/null 2> "$work/silent.err" || rc=$?
check "a VM that ends without the exit line: fixture.sh fails, names the recipe and the log" sh -c \
	"[ $rc != 0 ] && grep -q 'check-silent: the builder VM ended .* without the recipe.s exit status; console: /' '$work/silent.err'"

[ $fail = 0 ] || echo "fixture-check: work files in $work"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
