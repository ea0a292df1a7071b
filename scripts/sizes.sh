#!/bin/sh
# sizes.sh [-n N] WHAT... - where the bytes go.
#
#   WHAT a BusyBox object directory (build/obj: its busybox_unstripped,
#        busybox_unstripped.map and busybox), an evbox binary (its link map
#        is looked for beside it, then in obj/ beside it, then in
#        build/obj for build/busybox), or an initramfs image
#        (gzip, xz, zstd, lz4 or a plain newc cpio).
#
# A binary: its bytes raw, gzip -9 and xz -9; from the link map the bytes
# each library puts in the file (libc: glibc's or musl's libc.a, libm and
# the C runtime; libgcc; libcryptsetup, libdevmapper, json-c, libuuid;
# BusyBox's own objects; evbox's applets and lib) and in memory only
# (bss), then the N (20) biggest objects, and from `nm --size-sort -S` of
# busybox_unstripped the N biggest symbols.  Sections the link keeps
# nowhere (debug, comments) are not counted; what is left over is the ELF
# headers and the alignment between sections.
# An image: its bytes compressed and raw, then by part, as the builder's
# summary counts them (binary: everything not under lib/modules,
# lib/firmware or etc; modules; firmware; configuration), each part's
# bytes raw and packed alone with the image's compressor, then every
# module with its bytes, biggest first (N of them), and the firmware files.
set -eu
export LC_ALL=C
me=sizes.sh
top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "$me: $*" >&2; exit 1; }

n=20
while getopts n:h o; do
	case $o in
	n) n=$OPTARG ;;
	*) echo "usage: $me [-n N] OBJDIR|BINARY|IMAGE..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $me [-n N] OBJDIR|BINARY|IMAGE..." >&2; exit 2; }
case $n in ''|*[!0-9]*) die "-n $n is not a number" ;; esac

packed()	# COMMAND...: the bytes stdin packs to
{
	"$@" | wc -c
}

# ---- a binary and its link map ------------------------------------------
# by_map MAP: "FILE BSS LIBRARY OBJECT" per input section, then the tables
by_map()
{
	awk '
	# output sections start in column 0, input sections one blank in;
	# a long input section name puts its address, size and file on the
	# next line; *fill* and symbol lines are neither
	/^Linker script and memory map/ { on = 1; next }
	!on { next }
	/^[^ ]/ { out = $1; pend = ""; next }
	# not loaded: debug information, comments (their input sections have
	# offsets for addresses)
	out ~ /^(\.(z?debug|comment|stab|gnu\.build\.attributes|gnu\.warning|gnu_debug)|\/DISCARD\/)/ { next }
	/^ [^ *]/ {
		if (NF == 1) { pend = $1; next }
		if (NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/) emit($2, $3, $4)
		pend = ""; next
	}
	pend != "" && NF == 3 && $1 ~ /^0x/ && $2 ~ /^0x[0-9a-f]+$/ { emit($1, $2, $3); pend = ""; next }
	{ pend = "" }
	function hex(s,    i, v, c) {
		v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	function emit(addr, size, file,    sz) {	# addr: unused
		sz = hex(size)
		if (sz == 0) return
		bss = (out ~ /^\.(t|l)?bss/) ? 1 : 0
		print sz, bss, lib(file), obj(file)
	}
	function obj(f,    o) {
		o = f; sub(/^.*\//, "", o)
		if (f ~ /\.a\(/) { o = f; sub(/\)$/, "", o); sub(/^.*\//, "", o) }
		if (f ~ /^evbox\// || f !~ /^\//) { o = f; sub(/^.*\/busybox-[^\/]*\//, "", o) }
		return o
	}
	function lib(f) {
		if (f ~ /libcryptsetup[^\/]*\.a\(/) return "libcryptsetup"
		if (f ~ /libdevmapper[^\/]*\.a\(/) return "libdevmapper"
		if (f ~ /libjson-c[^\/]*\.a\(/) return "json-c"
		if (f ~ /libuuid[^\/]*\.a\(/) return "libuuid"
		if (f ~ /libgcc(_eh)?\.a\(/) return "libgcc"
		if (f ~ /\/lib(c|m|m-[0-9.]*|mvec|pthread|resolv|rt|dl)\.a\(/ || f ~ /\/[Sr]?crt[^\/]*\.o$/) return "libc"
		if (f ~ /^evbox\/applets\//) return "evbox-applets"
		if (f ~ /^evbox\//) return "evbox-lib"
		if (f ~ /^\//) return "other:" f
		return "busybox"
	}' "$1"
}

binary()	# BINARY MAP UNSTRIPPED
{
	b=$1 map=$2 un=$3
	raw=$(wc -c < "$b")
	gz=$(packed gzip -n -9 < "$b")
	xz=$(packed xz -9 -T1 < "$b")
	echo "$b: $raw bytes, gzip -9 $gz, xz -9 $xz"
	[ -n "$map" ] || { echo "  (no link map beside it: busybox_unstripped.map; give the object directory)"; return 0; }
	by_map "$map" > "$work/sections"
	echo "  by library (from $map): bytes in the file, in memory only (bss), share of the file's bytes"
	awk -v raw="$raw" '
	{ if ($2) m[$3] += $1; else f[$3] += $1; seen[$3] = 1; if (!$2) tf += $1; else tm += $1 }
	END {
		for (l in seen) printf "%s %d %d\n", l, f[l], m[l]
		printf "~ %d %d\n", tf, tm
	}' "$work/sections" | sort -k2,2nr | awk -v raw="$raw" '
	$1 == "~" { printf "    %-16s %9d %8d\n", "sum", $2, $3
		    printf "    %-16s %9d          (ELF headers, alignment)\n", "rest of the file", raw - $2; next }
	{ printf "    %-16s %9d %8d  %5.1f%%\n", $1, $2, $3, 100 * $2 / raw }'
	echo "  the $n biggest objects (file bytes, bss, library)"
	awk '{ k = $3 " " $4; if ($2) m[k] += $1; else f[k] += $1; seen[k] = 1 }
	END { for (k in seen) { split(k, p, " "); printf "%d %d %s %s\n", f[k], m[k], p[2], p[1] } }' "$work/sections" |
		sort -k1,1nr -k3 | head -n "$n" |
		awk '{ printf "    %9d %8d  %-36s %s\n", $1, $2, $3, $4 }'
	if [ -n "$un" ] && command -v nm >/dev/null 2>&1; then
		echo "  the $n biggest symbols (nm --size-sort -S $un)"
		nm --size-sort -S "$un" | awk 'NF == 4 { print }' | tail -n "$n" | sort -k2,2r |
			while read -r addr size type name; do
				printf '    %9d %s %s\n' "$((0x$size))" "$type" "$name"
			done
	fi
}

# ---- an image ------------------------------------------------------------
image()	# IMAGE
{
	i=$1
	case $(od -An -tx1 -N6 "$i" | tr -d ' \n') in
	1f8b*) dec="gzip -dc" pk="gzip -n -9" comp=gzip ;;
	fd377a585a00) dec="xz -dc" pk="xz --check=crc32 -9 -T1" comp=xz ;;
	28b52ffd*) dec="zstd -dcq" pk="zstd -q -19 -T1" comp=zstd ;;
	02214c18*) dec="lz4 -dc" pk="lz4 -q -l -9 -c" comp=lz4 ;;
	303730373031) dec=cat pk=cat comp=none ;;
	*) die "$i: neither an initramfs (gzip, xz, zstd, lz4, newc cpio) nor a binary" ;;
	esac
	rm -rf "$work/img"
	mkdir -p "$work/img"
	$dec < "$i" | (cd "$work/img" && cpio -id --quiet --no-absolute-filenames) ||
		die "$i: not a cpio archive after $dec"
	raw=$($dec < "$i" | wc -c)
	echo "$i: $(wc -c < "$i") bytes $comp, $raw bytes uncompressed"
	(cd "$work/img" && find . -mindepth 1 -type f -printf '%s %P\n') | awk '
		{ p = "binary" }
		$2 ~ /^lib\/modules\// { p = "modules" }
		$2 ~ /^lib\/firmware\// { p = "firmware" }
		$2 ~ /^etc\// { p = "configuration" }
		{ print p, $1, $2 }' > "$work/parts"
	echo "  by part: bytes raw, packed alone ($comp), files"
	for p in binary modules firmware configuration; do
		awk -v p="$p" '$1 == p { print $3 }' "$work/parts" > "$work/list"
		r=$(awk -v p="$p" '$1 == p { s += $2 } END { print s + 0 }' "$work/parts")
		c=$(wc -l < "$work/list")
		z=0
		[ "$c" -eq 0 ] || z=$(cd "$work/img" && cpio -o -H newc --quiet < "$work/list" | $pk | wc -c)
		printf '    %-14s %9d %9d  %d\n' "$p" "$r" "$z" "$c"
	done
	nm=$(awk '$1 == "modules" && $3 ~ /\.ko(\.xz|\.zst|\.gz)?$/' "$work/parts" | wc -l)
	if [ "$nm" -gt 0 ]; then
		echo "  modules, the $n biggest of $nm (bytes)"
		awk '$1 == "modules" && $3 ~ /\.ko(\.xz|\.zst|\.gz)?$/ {
			m = $3; sub(/.*\//, "", m); print $2, m }' "$work/parts" |
			sort -k1,1nr -k2 | head -n "$n" | awk '{ printf "    %9d %s\n", $1, $2 }'
	fi
	awk '$1 == "firmware" { printf "    %9d %s (firmware)\n", $2, $3 }' "$work/parts"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/sizes.XXXXXX")
trap 'rm -rf "$work"' EXIT
for w; do
	map='' un=''
	if [ -d "$w" ]; then
		[ -f "$w/busybox" ] || die "$w: no busybox in it (an object directory holds busybox and busybox_unstripped.map)"
		b=$w/busybox d=$w
	elif [ -f "$w" ]; then
		case $(od -An -tx1 -N4 "$w" | tr -d ' \n') in
		7f454c46) ;;
		*) image "$w"; continue ;;
		esac
		b=$w d=''
		for c in "$(dirname "$w")" "$(dirname "$w")/obj"; do
			[ -f "$c/busybox_unstripped.map" ] && { d=$c; break; }
		done
	else
		die "no $w"
	fi
	if [ -n "$d" ]; then
		[ ! -f "$d/busybox_unstripped.map" ] || map=$d/busybox_unstripped.map
		[ ! -f "$d/busybox_unstripped" ] || un=$d/busybox_unstripped
		# the map is of the last link; a binary copied elsewhere may be older
		if [ -n "$map" ] && [ "$b" != "$d/busybox" ] && ! cmp -s "$b" "$d/busybox"; then
			echo "$me: warning: $b is not $d/busybox: the map is of another link" >&2
		fi
	fi
	binary "$b" "$map" "$un"
done
