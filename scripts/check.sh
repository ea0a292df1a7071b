#!/bin/sh
# check.sh BUILD [units]: every test, one closing line.  The unit tests
# (testsuite/runtest on the test build, glibc's and musl's), the VM
# scenarios (testsuite/vm/run.sh on BUILD/busybox), a smoke set of them on
# the other C library's build (BUILD/musl/busybox), the disk fixtures made
# in a VM (testsuite/vm/fixture-check.sh); "units": the unit tests alone.
# A part that ends without its "N passed, N failed" line (it could not
# run) counts as one failure.
set -u
build=$1 what=${2:-all}
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

# BUILD/musl has BUILD's layout (scripts/deps.sh --libc musl keeps its
# sources' .dir files in musl/src); the kernel, the test bed and the
# fixtures are shared.
for d in kernel vm mdadm; do
	[ -e "$build/musl/$d" ] || ln -sfn "../$d" "$build/musl/$d"
done
cp "$build/src/busybox.dir" "$build/musl/src/busybox.dir"

# The VM rows run on the other build: one of each kind of root.
SMOKE="uuid luks2 luks_keyfile md_raid1 md_degraded lvm_linear stack_md_luks_lvm net_nfs3 net_nbd"

part "unit tests (glibc)" env EVBOX_BUILD="$build" "$top/testsuite/runtest" "$build/check/busybox"
part "unit tests (musl)" env EVBOX_BUILD="$build/musl" "$top/testsuite/runtest" "$build/musl/check/busybox"
if [ "$what" = all ]; then
	part "VM scenarios" "$top/testsuite/vm/run.sh" "$build"
	part "VM scenarios, smoke set on musl" "$top/testsuite/vm/run.sh" "$build/musl" $SMOKE
	part "disk fixtures" "$top/testsuite/vm/fixture-check.sh" "$build"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
