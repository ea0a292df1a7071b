#!/bin/sh
# fixture-check.sh BUILD - the disk-fixture maker (fixture.sh), checked from
# the host without dm or md: the recipes are built (or found in the cache),
# then their images are read with cryptsetup luksDump, blkid, debugfs and
# Debian's mdadm --examine (unpacked from the builder's .deb, not installed).
# Also: a cache hit is fast, a changed recipe or input gives a new hash, a
# recipe's files from -i DIR arrive, and a failing recipe is loud.
# Ends with "N passed, N failed".
#
# The first run builds the builder image and the five recipes (several
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
