#!/bin/sh
# mkimage.sh - a minimal initramfs: a stand-in for the image builder to come.
#
#   mkimage.sh -b BUSYBOX -k MODDIR [-m "MODULE..."] [-j JOBDIR] [-c CMDLINE] -o OUT
#
# BUSYBOX  the static evbox binary; it becomes /bin/busybox with a link for
#          every applet where `busybox --list-full` puts it.  /init is one of
#          them: evinit is also the applet "init" (applets/evinit.c), so the
#          kernel's /init -> bin/busybox runs evinit with no init= or rdinit=.
# MODDIR   a kernel's lib/modules/VERSION; the MODULEs (names, - or _) and
#          what they depend on (their .modinfo depends=) are copied, and
#          BusyBox's depmod (from BUSYBOX) writes modules.dep and
#          modules.alias for that subset.
# JOBDIR   its *.conf go to /etc/evinit/.
# CMDLINE  defaults for the kernel command line, /etc/evinit/cmdline: evinit
#          reads it before /proc/cmdline, so the kernel's parameters win.
# OUT      a gzip'd newc cpio.  The same inputs give the same bytes: sorted
#          entries, owner 0:0, every mtime SOURCE_DATE_EPOCH (default 0).
set -eu

usage() { echo "usage: $0 -b BUSYBOX -k MODDIR [-m MODULES] [-j JOBDIR] [-c CMDLINE] -o OUT" >&2; exit 2; }
bb='' moddir='' mods='' jobs='' cmdline='' out=''
while getopts b:k:m:j:c:o: o; do
	case $o in
	b) bb=$OPTARG ;; k) moddir=$OPTARG ;; m) mods=$OPTARG ;;
	j) jobs=$OPTARG ;; c) cmdline=$OPTARG ;; o) out=$OPTARG ;;
	*) usage ;;
	esac
done
[ -n "$bb" ] && [ -n "$moddir" ] && [ -n "$out" ] || usage
bb=$(realpath "$bb") moddir=$(realpath "$moddir")
tmpout=$(realpath "$(dirname "$out")")/.$(basename "$out").tmp
version=$(basename "$moddir")

stage=$(mktemp -d "${TMPDIR:-/tmp}/mkimage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$stage"

# busybox and its applets
mkdir -p bin sbin usr/bin usr/sbin etc/evinit proc sys dev run root tmp
cp "$bb" bin/busybox
"$bb" --list-full | while read -r path; do
	[ "$path" = bin/busybox ] && continue
	ln -s /bin/busybox "$path"
done

# modules: the closure over .modinfo depends=
if [ -n "$mods" ]; then
	index=$stage/.index
	find "$moddir/kernel" -name '*.ko' | awk '{ n = $0; sub(/.*\//, "", n);
		sub(/\.ko$/, "", n); gsub(/-/, "_", n); print n, $0 }' > "$index"
	todo=$(echo "$mods" | tr ' -' '\n_') done=' '
	while [ -n "$todo" ]; do
		next=''
		for m in $todo; do
			case $done in *" $m "*) continue ;; esac
			done="$done$m "
			ko=$(awk -v m="$m" '$1 == m { print $2; exit }' "$index")
			[ -n "$ko" ] || { echo "mkimage: no module $m in $moddir" >&2; exit 1; }
			rel=${ko#"$moddir"/}
			mkdir -p "lib/modules/$version/$(dirname "$rel")"
			cp "$ko" "lib/modules/$version/$rel"
			deps=$(tr '\0' '\n' < "$ko" | sed -n 's/^depends=//p' | tr ',' ' ')
			next="$next $deps"
		done
		todo=$(echo $next)
	done
	rm -f "$index"
	"$bb" depmod -b "$stage" "$version"
	rm -f "lib/modules/$version/modules.symbols"
fi

# jobs and the command line defaults
if [ -n "$jobs" ]; then
	for j in "$jobs"/*.conf; do
		[ -e "$j" ] && cp "$j" etc/evinit/
	done
fi
[ -z "$cmdline" ] || echo "$cmdline" > etc/evinit/cmdline

# the archive
find . -mindepth 1 -exec touch -h -d "@${SOURCE_DATE_EPOCH:-0}" {} +
find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -n -9 > "$tmpout"
cd - >/dev/null
mv "$tmpout" "$out"
