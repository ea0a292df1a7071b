#!/bin/sh
# Joins evbox to an unpacked BusyBox tree: the only edits to BusyBox's own
# files are one `source` line in Config.in and one entry per room in the
# Makefile's libs-y.  Our rooms appear as evbox/ROOM/, one symlink per file,
# so BusyBox's gen_build_files.sh finds their //config: //applet: //kbuild:
# //usage: blocks (it does not descend into a symlinked directory):
#   applets/         the applets (one file each)
#   applets/evinit/  evinit's private parts
#   lib/             the shared code that never dies
#   toollib/         helpers for one-shot tools (may die)
# Idempotent: run before every configure and build.
set -eu
bb=$1 top=$2
rooms="applets applets/evinit lib toollib"

grep -q '^source evbox/Config.in' "$bb/Config.in" ||
	sed -i '/^source sysklogd\/Config.in/a source evbox/Config.in' "$bb/Config.in"
# BusyBox's Makefile as it comes, or with an older evbox's one entry
sed -i '/^\t\tevbox\//d' "$bb/Makefile"
entries=
for r in $rooms; do entries="$entries\n\t\tevbox/$r/ \\\\"; done
sed -i "s|^libs-y\t\t:= \\\\\$|&$entries|" "$bb/Makefile"
for r in $rooms; do
	grep -q "^		evbox/$r/ " "$bb/Makefile" || {
		echo "bbtree: could not join evbox to $bb (BusyBox's Makefile changed shape)" >&2
		exit 1
	}
done
grep -q '^source evbox/Config.in' "$bb/Config.in" || {
	echo "bbtree: could not join evbox to $bb (BusyBox's Config.in changed shape)" >&2
	exit 1
}

ln -sfn "$top/Config.in" "$bb/evbox/Config.in" 2>/dev/null ||
	{ mkdir -p "$bb/evbox" && ln -sfn "$top/Config.in" "$bb/evbox/Config.in"; }
for r in $rooms; do
	mkdir -p "$bb/evbox/$r"
	# links for every file we have (not the subdirectories: rooms of
	# their own); drop links whose file is gone
	for f in "$top/$r"/*; do
		[ -f "$f" ] && ln -sfn "$f" "$bb/evbox/$r/${f##*/}"
	done
	for l in "$bb/evbox/$r"/*; do
		[ -L "$l" ] && { [ -e "$l" ] || rm -f "$l"; }
	done
done
true
