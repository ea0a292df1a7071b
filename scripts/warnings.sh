#!/bin/sh
# warnings.sh LOG BBDIR OBJDIR: our code builds without compiler warnings.
# LOG is BusyBox's build output; our files are compiled as BBDIR/evbox/...
# (the repository's applets/, lib/ and toollib/, linked into BusyBox's
# tree).  No warning of ours: silent, exit 0.  Some: each is named with
# its file from the repository's top, line and column, OBJDIR/evbox's
# objects are removed (so that the next build compiles them again and
# says it again, instead of passing), and the exit status is 1.  The
# warnings of BusyBox's own files are not ours: left alone.
set -eu
log=$1 bb=$2 obj=$3

# "BBDIR/evbox/applets/../lib/evbus.h:12:3: warning: ..." -> "lib/evbus.h:12:3: ..."
ours=$(awk -v p="$bb/evbox/" '
	index($0, p) == 1 && $0 ~ /^[^ ]*:[0-9]+:[0-9]+: warning: / {
		s = substr($0, length(p) + 1)
		while (sub(/[^\/:]+\/\.\.\//, "", s))
			;
		if (!seen[s]++)
			print "  " s
	}' "$log")
[ -n "$ours" ] || exit 0
n=$(printf '%s\n' "$ours" | wc -l)
[ "$n" -eq 1 ] && what="1 compiler warning" || what="$n compiler warnings"
{
	echo "build: $what in evbox's own code, which builds without any:"
	printf '%s\n' "$ours"
	echo "build: failed (the objects of applets/, lib/ and toollib/ are removed: the next build compiles them again)"
} >&2
find "$obj/evbox" -name '*.o' -exec rm -f {} + 2>/dev/null || true
exit 1
