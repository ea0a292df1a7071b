#!/bin/sh
# binsizes.sh BUILD - the binaries' bytes against the size targets (part of
# `make bench`; not a test).
#
# The four product builds make check has: BUILD/busybox (.config),
# BUILD/tiny/busybox (tiny_defconfig), and the same two with the other C
# library, BUILD/glibc/ or BUILD/musl/ (whichever has them).  For each: the
# C library and whether it is the full set (evcrypt, evraid, evlvm, evnet,
# evnbd) or tiny, its bytes raw, gzip -9 and xz -9, its three biggest
# libraries (scripts/sizes.sh, from the link map), and the target that
# applies (DESIGN.md's budgets; xz -9):
#   full, glibc   under 1 MiB       full, musl   under 700 KiB
#   tiny, musl    under 150 KiB
# Writes BUILD/bench/table-sizes.txt and prints it.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
build=$(realpath "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
out=$build/bench/table-sizes.txt
mkdir -p "$build/bench"

# kind OBJDIR: "full", "tiny" or "other", from the applets its .config has
kind()
{
	c=$1/.config
	if grep -q '^CONFIG_EVCRYPT=y' "$c" && grep -q '^CONFIG_EVRAID=y' "$c" &&
		grep -q '^CONFIG_EVLVM=y' "$c" && grep -q '^CONFIG_EVNET=y' "$c" &&
		grep -q '^CONFIG_EVNBD=y' "$c"; then
		echo full
	elif grep -q '^CONFIG_EVMOUNT=y' "$c" && ! grep -q '^CONFIG_EVCRYPT=y' "$c"; then
		echo tiny
	else
		echo other
	fi
}

# target KIND LIBC: the budget in bytes, or nothing
target()
{
	case $1.$2 in
	full.glibc) echo 1048576 ;;
	full.musl) echo 716800 ;;
	tiny.musl) echo 153600 ;;
	esac
}

{
	printf '%-26s %-6s %-5s %9s %9s %9s  %-14s %s\n' binary libc kind raw gzip-9 xz-9 target "biggest parts (file bytes)"
	for d in "$build" "$build/tiny" "$build/glibc" "$build/glibc/tiny" "$build/musl" "$build/musl/tiny"; do
		[ -f "$d/busybox" ] && [ -f "$d/obj/.config" ] || continue
		libc=glibc
		grep -q '^CONFIG_EVBOX_LIBC_MUSL=y' "$d/obj/.config" && libc=musl
		k=$(kind "$d/obj")
		s=$("$top/scripts/sizes.sh" -n 1 "$d/obj")
		set -- $(echo "$s" | sed -n '1s/^.*: \([0-9]*\) bytes, gzip -9 \([0-9]*\), xz -9 \([0-9]*\)$/\1 \2 \3/p')
		[ $# -eq 3 ] || { echo "binsizes: $d/obj: no sizes from scripts/sizes.sh" >&2; exit 1; }
		parts=$(echo "$s" | awk '/^  by library/ { on = 1; next } on && /^  the / { exit }
			on && $1 != "sum" && $1 != "rest" { printf "%s%s %d", n++ ? ", " : "", $1, $2; if (n == 3) exit }')
		t=$(target "$k" "$libc")
		verdict=-
		if [ -n "$t" ]; then
			if [ "$3" -lt "$t" ]; then verdict="MET <$((t / 1024))K"; else verdict="NOT MET <$((t / 1024))K"; fi
		fi
		name=${d#"$build"}
		printf '%-26s %-6s %-5s %9d %9d %9d  %-14s %s\n' "${name#/}${name:+/}busybox" "$libc" "$k" "$1" "$2" "$3" "$verdict" "$parts"
	done
} > "$out.new"
mv "$out.new" "$out"
sed -i "1s|^|# binary sizes, $(date -u +%Y-%m-%dT%H:%MZ); build: $build\n|" "$out"
cat "$out"
