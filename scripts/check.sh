#!/bin/sh
# check.sh BUILD ALT [units]: every test, one closing line.  The unit tests
# (testsuite/runtest on the test build, BUILD/check, and on the other C
# library's, BUILD/ALT/check), the VM scenarios (testsuite/vm/run.sh on
# BUILD/busybox), a smoke set of them on BUILD/ALT/busybox, the disk
# fixtures made in a VM (testsuite/vm/fixture-check.sh); "units": the unit
# tests alone.
# A part that ends without its "N passed, N failed" line (it could not
# run) counts as one failure.
set -u
build=$1 alt=$1/$2 altlibc=$2 what=${3:-all}
libc=glibc
grep -q '^CONFIG_EVBOX_LIBC_MUSL=y' "$build/check/obj/.config" 2>/dev/null && libc=musl
top=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
total_pass=0 total_fail=0

part()	# NAME COMMAND...
{
	name=$1
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $name did not finish"
		total_fail=$((total_fail + 1))
		return
	fi
	set -- $line
	total_pass=$((total_pass + $1))
	total_fail=$((total_fail + $3))
}

# BUILD/ALT has BUILD's layout: src/*.dir (musl's own sources' from
# scripts/deps.sh --libc musl, BUILD's for the rest), and the kernel, the
# test bed and the fixtures shared.
mkdir -p "$alt/src"
for d in kernel vm mdadm; do
	[ -e "$alt/$d" ] || ln -sfn "../$d" "$alt/$d"
done
for f in "$build"/src/*.dir; do
	[ -e "$alt/src/${f##*/}" ] || cp "$f" "$alt/src/"
done

# The VM rows that run on the other build too: one of each kind of root.
SMOKE="uuid luks2 luks_keyfile md_raid1 md_degraded lvm_linear stack_md_luks_lvm net_nfs3 net_nbd"

part "unit tests ($libc)" env EVBOX_BUILD="$build" "$top/testsuite/runtest" "$build/check/busybox"
part "unit tests ($altlibc)" env EVBOX_BUILD="$alt" "$top/testsuite/runtest" "$alt/check/busybox"
if [ "$what" = all ]; then
	part "VM scenarios ($libc)" "$top/testsuite/vm/run.sh" "$build"
	part "VM scenarios, smoke set on $altlibc" "$top/testsuite/vm/run.sh" "$alt" $SMOKE
	part "disk fixtures" "$top/testsuite/vm/fixture-check.sh" "$build"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
