#!/bin/sh
# Builds one static BusyBox with the evbox applets:
#   build.sh BUILD TOP CONFIG OBJDIR OUT
# CONFIG is a complete kconfig file (normally $TOP/.config).  The libraries
# an applet needs are fetched and built only when that applet is enabled
# (scripts/deps.sh), and handed to BusyBox's link as CONFIG_EXTRA_LDLIBS.
# With EVBOX_LIBC_MUSL, BusyBox and those libraries are compiled by musl-gcc
# (build/musl/bin/cc) and the libraries come from build/musl/deps.
# A compiler warning in our files fails it, naming the file and line.
set -eu
build=$1 top=$2 config=$3 obj=$4 out=$5

[ -f "$config" ] || { echo "build: no configuration $config (make defconfig)" >&2; exit 1; }
mkdir -p "$obj"
KCONFIG_CONFIG=$config "$top/scripts/kconfig/kconfig.sh" "$build" "$top" sync "$obj"
bb=$(cat "$build/src/busybox.dir")

on() { grep -q "^CONFIG_$1=y" "$obj/.config"; }
# Their value in the user's configuration, to which ours are added.
cfgstr() { sed -n "s/^CONFIG_$1=\"\(.*\)\"$/\1/p" "$obj/.config"; }

comps= libs=
if on EVCRYPT; then comps="cryptsetup"; fi
if on EVLVM || on EVCRYPT; then comps="$comps devmapper"; fi
deps=$build/deps cc=
if on EVBOX_LIBC_MUSL; then
	deps=$build/musl/deps cc=CC=$build/musl/bin/cc
	"$top/scripts/deps.sh" --libc musl "$build" toolchain $comps
elif [ -n "$comps" ]; then
	"$top/scripts/deps.sh" "$build" $comps
fi
if [ -n "$comps" ]; then
	for c in $comps; do libs="$libs $(cat "$deps/ldlibs-$c")"; done
	# One copy of each name; trylink puts them in one --start-group.
	libs=$(printf '%s\n' $libs | awk '!seen[$0]++' | tr '\n' ' ')
fi

# Parallel inside BusyBox's build, even when our make runs serially.
case ${MAKEFLAGS-} in
*-j*|*jobserver*) par= ;;
*) par=-j$(nproc) ;;
esac
# Its output is shown as it comes and kept: a compiler warning in our
# files fails the build (scripts/warnings.sh), BusyBox's own are its own.
log=$obj/build.log
rm -f "$log.rc"
{
	rc=0
	make $par -C "$bb" O="$obj" $cc \
		CONFIG_EXTRA_CFLAGS="$(cfgstr EXTRA_CFLAGS) -I$deps/include" \
		CONFIG_EXTRA_LDFLAGS="$(cfgstr EXTRA_LDFLAGS) -L$deps/lib" \
		CONFIG_EXTRA_LDLIBS="$(cfgstr EXTRA_LDLIBS) $libs" \
		busybox 2>&1 || rc=$?
	echo "$rc" > "$log.rc"
} | tee "$log"
rc=$(cat "$log.rc" 2>/dev/null || echo 1)
[ "$rc" -eq 0 ] || exit "$rc"
"$top/scripts/warnings.sh" "$log" "$bb" "$obj"
cmp -s "$obj/busybox" "$out" 2>/dev/null || { cp "$obj/busybox" "$out.new" && mv "$out.new" "$out"; }
touch "$out"	# for make: up to date with its inputs, changed or not
