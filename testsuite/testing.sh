# evbox test harness, in the style of BusyBox's testsuite:
#
#   testing "description" "command" "expected output" "input file" "stdin"
#
# runs COMMAND with sh in the test's scratch directory, INPUT written to
# ./input and STDIN on its standard input, and compares its standard output
# (add 2>&1 to the command to compare errors too) with EXPECTED, where
# printf %b escapes (\n, \t, \0NNN) are understood.  Each result is one line
# in $RESULTS; runtest counts them.  A command gets $TEST_TIMEOUT seconds
# (default 60): a hang is a failure, not a stuck `make check`.  The
# command runs in a new sh: shell functions it needs go in a file named by
# $TEST_LIB, which is sourced first.

: "${TEST_TIMEOUT:=60}"

testing()
{
	if [ $# -ne 5 ]; then
		echo "FAIL: $1 (testing needs 5 arguments, got $#)"
		echo "FAIL $1" >> "$RESULTS"
		return 1
	fi
	printf '%s' "$4" > input
	printf '%b' "$3" > expected
	printf '%s' "$5" | timeout "$TEST_TIMEOUT" sh -c ". \"\${TEST_LIB:-/dev/null}\"; $2" > actual
	rc=$?
	if [ $rc -eq 124 ]; then
		echo "FAIL: $1 (timed out after ${TEST_TIMEOUT}s)"
		echo "FAIL $1" >> "$RESULTS"
	elif cmp -s expected actual; then
		[ -n "${VERBOSE-}" ] && echo "PASS: $1"
		echo "PASS $1" >> "$RESULTS"
	else
		echo "FAIL: $1"
		diff -u expected actual | sed 's/^/    /'
		echo "FAIL $1" >> "$RESULTS"
	fi
	rm -f input expected actual
	return 0
}

# A failure that is not a comparison (a fixture that could not be made).
fail()
{
	echo "FAIL: $1"
	echo "FAIL $1" >> "$RESULTS"
}
