#!/bin/sh
# check.sh BUILD: every test, one closing line.  The unit tests
# (testsuite/runtest on the test build), the VM scenarios
# (testsuite/vm/run.sh on BUILD/busybox), the disk fixtures made in a VM
# (testsuite/vm/fixture-check.sh).  A part that ends without its "N passed, N failed"
# line (it could not run) counts as one failure.
set -u
build=$1
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

part "unit tests" env EVBOX_BUILD="$build" "$top/testsuite/runtest" "$build/check/busybox"
part "VM scenarios" "$top/testsuite/vm/run.sh" "$build"
part "disk fixtures" "$top/testsuite/vm/fixture-check.sh" "$build"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
