#!/bin/sh
# The one entry to kconfig: `kconfig.sh BUILD TOP OP [ARG]`.
# BusyBox's menus plus ours, read by Debian's kconfig-frontends
# (kconfig-conf / kconfig-mconf / kconfig-nconf) from the BusyBox tree that
# scripts/deps.sh unpacked; the configuration is always $TOP/.config
# (or $KCONFIG_CONFIG).  configs/*_defconfig are miniconfigs: they list what
# is on, everything not listed is off (BusyBox's own defaults turn almost
# every applet on, so a list against the defaults would be mostly "off").
set -eu
build=$1 top=$2 op=$3 arg=${4-}
obj=$build/obj
: "${KCONFIG_CONFIG:=$top/.config}"
# paths are used after a cd: make them absolute
abs() { case $1 in /*|"") echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
KCONFIG_CONFIG=$(abs "$KCONFIG_CONFIG")
arg=$(abs "$arg")
export KCONFIG_CONFIG

"$top/scripts/deps.sh" "$build" busybox
bb=$(cat "$build/src/busybox.dir")
"$top/scripts/kconfig/bbtree.sh" "$bb" "$top"
mkdir -p "$obj"
# Generated Config.in files and .platform.in, by BusyBox's own rules.
make -s -C "$bb" O="$obj" gen_build_files >/dev/null
export srctree="$bb"
cd "$obj"

# expand FILE: FILE with each "#include NAME" replaced by configs/NAME
# (expanded too); a missing one is named.
expand() {
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		"#include "*)
			inc=$top/configs/${line#\#include }
			[ -f "$inc" ] || { echo "kconfig: $1: no such file to include: $inc" >&2; exit 1; }
			expand "$inc" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done < "$1"
}

need() { command -v "$1" >/dev/null || { echo "kconfig: missing $1: apt-get install kconfig-frontends-nox" >&2; exit 1; }; }
need kconfig-conf

case $op in
defconfig)	# ARG: a miniconfig file; its "#include NAME" lines are
		# configs/NAME's lines (kconfig itself reads them as comments)
	[ -f "$arg" ] || { echo "kconfig: no such defconfig: $arg" >&2; exit 1; }
	expand "$arg" > "$obj/.defconfig.expanded"
	KCONFIG_ALLCONFIG=$obj/.defconfig.expanded kconfig-conf --allnoconfig "$bb/Config.in" >/dev/null
	rm -f "$obj/.defconfig.expanded"
	echo "kconfig: ${KCONFIG_CONFIG#$top/} from ${arg#$top/}" ;;
allnoconfig|allyesconfig|alldefconfig|oldconfig|olddefconfig)
	kconfig-conf --$op "$bb/Config.in" ;;
menuconfig)
	need kconfig-mconf; kconfig-mconf "$bb/Config.in" ;;
nconfig)
	need kconfig-nconf; kconfig-nconf "$bb/Config.in" ;;
savedefconfig)	# ARG: output; the lines that differ from allnoconfig
	tmp=$obj/.allno.config
	KCONFIG_CONFIG=$tmp KCONFIG_ALLCONFIG=/dev/null kconfig-conf --allnoconfig "$bb/Config.in" >/dev/null
	grep -v '^#' "$KCONFIG_CONFIG" | grep -v '^$' | grep -vxF -f "$tmp" > "$arg" || true
	rm -f "$tmp"
	echo "kconfig: wrote ${arg#$top/} ($(wc -l < "$arg") lines; load it with make defconfig DEFCONFIG=${arg#$top/})" ;;
sync)		# ARG: objdir.  Complete the config with defaults for new
		# options, then hand BusyBox's build a copy, only when the
		# content changed (BusyBox rewrites its copy with a date, so
		# compare with what we gave it last: .config.evbox).
	cp "$KCONFIG_CONFIG" "$arg/.config.new"
	KCONFIG_CONFIG=$arg/.config.new kconfig-conf --olddefconfig "$bb/Config.in" >/dev/null
	if cmp -s "$arg/.config.new" "$arg/.config.evbox" && [ -f "$arg/.config" ]; then
		rm -f "$arg/.config.new"
	else
		cp "$arg/.config.new" "$arg/.config"
		mv "$arg/.config.new" "$arg/.config.evbox"
	fi ;;
*)	echo "kconfig: unknown operation $op" >&2; exit 1 ;;
esac
