#!/bin/sh
# Joins evbox to an unpacked BusyBox tree: the only edits to BusyBox's own
# files are one `source` line in Config.in and one `libs-y` entry in the
# Makefile.  Our applets appear as evbox/applets/, one symlink per file, so
# BusyBox's gen_build_files.sh finds their //config: //applet: //kbuild:
# //usage: blocks (it does not descend into a symlinked directory).
# Idempotent: run before every configure and build.
set -eu
bb=$1 top=$2

grep -q '^source evbox/Config.in' "$bb/Config.in" ||
	sed -i '/^source sysklogd\/Config.in/a source evbox/Config.in' "$bb/Config.in"
grep -q 'evbox/applets/' "$bb/Makefile" ||
	sed -i 's|^libs-y\t\t:= \\$|&\n\t\tevbox/applets/ \\|' "$bb/Makefile"
grep -q '^source evbox/Config.in' "$bb/Config.in" && grep -q 'evbox/applets/' "$bb/Makefile" || {
	echo "bbtree: could not join evbox to $bb (BusyBox's Config.in or Makefile changed shape)" >&2
	exit 1
}

mkdir -p "$bb/evbox/applets"
ln -sfn "$top/Config.in" "$bb/evbox/Config.in"
# Links for every file we have; drop links whose file is gone.
for f in "$top"/applets/*; do
	ln -sfn "$f" "$bb/evbox/applets/${f##*/}"
done
for l in "$bb"/evbox/applets/*; do
	[ -e "$l" ] || rm -f "$l"
done
