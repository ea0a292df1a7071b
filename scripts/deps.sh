#!/bin/sh
# deps.sh - fetch and build evbox's third-party dependencies from Debian
# source packages.  Nothing fetched here is ever committed.
#
#   scripts/deps.sh BUILD_DIR COMPONENT...    COMPONENT: busybox devmapper cryptsetup
#   scripts/deps.sh --libc musl BUILD_DIR COMPONENT...
#                                             COMPONENT: toolchain devmapper cryptsetup
#   scripts/deps.sh --apt-sources-only        only make sure apt has deb-src entries
#
# Layout under BUILD_DIR:
#   src/dl/                    downloaded .dsc and tarballs (apt-get source -d)
#   src/<pkg>-<upstream>/      unpacked Debian source, Debian patches applied
#   src/<pkg>.dir              absolute path of that directory (one line)
#   deps/lib, deps/include     static libraries and headers we built
#   deps/ldlibs-<component>    library names in link order, without -l
#   deps/check/                generated link self-check programs
#   stamps/                    one file per finished step, holding its inputs
#   log/                       output of each step
#
# With --libc musl the libraries are built with Debian's musl-gcc, each from
# its own unpack of the same downloaded sources, and json-c and libuuid
# (util-linux) are built from theirs too (glibc takes them from Debian's
# -dev packages).  Everything but src/dl is under BUILD_DIR/musl/:
#   musl/bin/cc                musl-gcc with the kernel's UAPI headers
#   musl/kinc/                 linux/, asm/, asm-generic/, mtd/ from linux-libc-dev
#   musl/src/ musl/deps/ musl/stamps/ musl/log/   as above
#
# A step runs again only when its stamp does not match (new Debian version,
# changed configure flags) or its output is gone: a run with nothing to do
# does nothing.  A step removes its own stamp and those of the steps after
# it before it starts, so a failed or interrupted step is redone.

# Flag and name lists are split into words on purpose, and the step
# functions are called through run().
# shellcheck disable=SC2086,SC2317

set -eu

# configure flags (see NOTES.md, "Dependencies from Debian")
LVM2_CONFIGURE="--enable-static_link --disable-udev_sync --disable-selinux
 --disable-blkid_wiping --disable-readline --with-thin=none --with-cache=none
 --with-vdo=none --with-writecache=none --with-integrity=none"
CRYPTSETUP_CONFIGURE="--enable-static --disable-shared
 --with-crypto_backend=kernel --enable-internal-argon2 --disable-ssh-token
 --disable-external-tokens --disable-asciidoc --disable-nls --disable-udev
 --disable-selinux --disable-cryptsetup --disable-veritysetup
 --disable-integritysetup --disable-luks2-reencryption --disable-blkid
 --disable-keyring"

# Libraries to link, in order, as verified by the self-check below.
# libcryptsetup.a already holds the crypto backend and the internal argon2
# (libtool merges its convenience libraries into it), libdevmapper needs
# libm (nearbyint), and glibc >= 2.34 has pthread inside libc.
LDLIBS_DEVMAPPER="devmapper m"
LDLIBS_CRYPTSETUP="cryptsetup devmapper json-c uuid m"

# musl: every library is ours to build, for size (BusyBox links a musl
# binary with --gc-sections, which glibc's static libc does not allow).
MUSL_CFLAGS="-Os -ffunction-sections -fdata-sections"
JSONC_CMAKE="-DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DBUILD_TESTING=OFF
 -DBUILD_APPS=OFF -DDISABLE_WERROR=ON -DENABLE_THREADING=OFF -DENABLE_RDRAND=OFF
 -DCMAKE_BUILD_TYPE=None"
UTIL_LINUX_CONFIGURE="--disable-all-programs --enable-libuuid --disable-shared
 --enable-static --disable-nls --without-systemd --without-udev --without-python
 --disable-bash-completion --without-readline --without-tinfo --without-ncurses
 --without-ncursesw --without-cap-ng --without-libz --without-user
 --without-btrfs --disable-asciidoc --disable-poman"

APT_SOURCES_FILE=/etc/apt/sources.list.d/evbox-deb-src.sources
APT_LIST_FILE=/etc/apt/sources.list.d/evbox-deb-src.list

die() {
	echo "deps: $*" >&2
	exit 1
}

usage() {
	echo "usage: $0 BUILD_DIR busybox|devmapper|cryptsetup..." >&2
	echo "       $0 --libc musl BUILD_DIR toolchain|devmapper|cryptsetup..." >&2
	echo "       $0 --apt-sources-only" >&2
	exit 2
}

# ---------------------------------------------------------------- helpers

# run LOG WHAT CMD...: run CMD with its output in log/LOG; on failure show
# the end of the log and stop, naming the step.
run() {
	_log=$LOGDIR/$1
	_what=$2
	shift 2
	if ! "$@" >"$_log" 2>&1; then
		echo "--- last 20 lines of $_log ---" >&2
		tail -n 20 "$_log" >&2
		die "$_what failed (log: $_log)"
	fi
}

# step WHAT: count a step; print it only when it actually runs.
STEP=0
step() {
	echo "deps${LIBC_SAID:-}: [$STEP/$TOTAL] $*"
}

# stamp_ok NAME KEY: true when stamps/NAME records KEY.
stamp_ok() {
	[ -f "$STAMPS/$1" ] || return 1
	_key=
	IFS= read -r _key <"$STAMPS/$1" || true
	[ "$_key" = "$2" ]
}

stamp_set() {
	printf '%s\n' "$2" >"$STAMPS/$1"
}

# words ARG...: the arguments on one line (stamps hold one line)
words() {
	echo "$@"
}

# write_dir_file PKG DIR: record DIR in src/PKG.dir (only if it changed).
write_dir_file() {
	_old=
	[ -f "$UNPACK/$1.dir" ] && IFS= read -r _old <"$UNPACK/$1.dir"
	[ "$_old" = "$2" ] || printf '%s\n' "$2" >"$UNPACK/$1.dir"
}

# ------------------------------------------------------------ missing tools

MISSING=
MISSING_PKGS=
missing() { # WHAT PACKAGE
	MISSING="$MISSING${MISSING:+, }$1"
	case " $MISSING_PKGS " in
	*" $2 "*) ;;
	*) MISSING_PKGS="$MISSING_PKGS $2" ;;
	esac
}
need_cmd() { # COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing "$1" "$2"
}
need_file() { # PATH PACKAGE
	[ -e "$1" ] || missing "$1" "$2"
}

# check_tools COMPONENTS: stop with one line naming everything missing.
check_tools() {
	need_cmd apt-get apt
	need_cmd apt-cache apt
	need_cmd dpkg-source dpkg-dev
	MULTIARCH_DIR=
	if [ "$LIBC" = musl ]; then
		need_cmd gcc build-essential
		need_cmd make make
		need_cmd musl-gcc musl-tools
		need_file /usr/include/linux/fs.h linux-libc-dev
	fi
	case " $1 " in
	*" cryptsetup "*)
		[ "$LIBC" = glibc ] || need_cmd cmake cmake ;;
	esac
	case "$LIBC $1 " in
	"glibc "*" devmapper "* | "glibc "*" cryptsetup "*)
		need_cmd gcc build-essential
		need_cmd make make
		need_file /usr/include/linux/fs.h linux-libc-dev
		if command -v gcc >/dev/null 2>&1; then
			MULTIARCH_DIR=/usr/lib/$(gcc -print-multiarch)
			need_file "$MULTIARCH_DIR/libc.a" libc6-dev
			need_file "$MULTIARCH_DIR/libm.a" libc6-dev
		fi
		;;
	esac
	case " $1 " in
	*" cryptsetup "*)
		need_cmd autoconf autoconf
		need_cmd automake automake
		need_cmd aclocal automake
		need_cmd libtoolize libtool
		need_cmd autopoint autopoint
		need_cmd msgfmt gettext
		need_cmd pkg-config pkg-config
		need_file /usr/include/linux/if_alg.h linux-libc-dev
		[ "$LIBC" = musl ] && { tools_missing; return; }
		need_file /usr/include/uuid/uuid.h uuid-dev
		need_file /usr/include/json-c/json.h libjson-c-dev
		# configure insists on popt although only the tools use it
		need_file /usr/include/popt.h libpopt-dev
		if [ -n "$MULTIARCH_DIR" ]; then
			need_file "$MULTIARCH_DIR/libuuid.a" uuid-dev
			need_file "$MULTIARCH_DIR/libjson-c.a" libjson-c-dev
			need_file "$MULTIARCH_DIR/pkgconfig/json-c.pc" libjson-c-dev
		fi
		;;
	esac
	tools_missing
}
tools_missing() {
	[ -z "$MISSING" ] || die "missing $MISSING: apt-get install$MISSING_PKGS"
}

# ------------------------------------------------------------- apt sources

# has_deb_src: true when some apt source file already has a deb-src entry.
has_deb_src() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		case $f in *.disabled*) continue ;; esac
		[ -f "$f" ] || continue
		grep -Eq '^[[:space:]]*deb-src[[:space:]]' "$f" && return 0
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		case $f in *.disabled*) continue ;; esac
		[ -f "$f" ] || continue
		grep -Eiq '^Types:.*[[:space:]]deb-src([[:space:]]|$)' "$f" && return 0
	done
	return 1
}

# print the "Types: deb" stanzas of the deb822 files given as "Types: deb-src"
deb822_to_src() {
	awk '
	function flush() {
		if (keep && !disabled) {
			if (printed) printf "\n"
			printf "%s", text
			printed = 1
		}
		text = ""; keep = 0; disabled = 0
	}
	FNR == 1 { flush() }
	/^[ \t]*$/ { flush(); next }
	tolower($0) ~ /^types:/ {
		keep = ($0 ~ /[: \t]deb([ \t]|$)/)
		$0 = "Types: deb-src"
	}
	tolower($0) ~ /^enabled:[ \t]*no/ { disabled = 1 }
	{ text = text $0 "\n" }
	END { flush() }
	' "$@"
}

# ensure_apt_sources: add deb-src entries copied from the system's own deb
# entries (no host name is written here), then apt-get update.
APT_UPDATED=no
ensure_apt_sources() {
	has_deb_src && return 0
	[ "$(id -u)" = 0 ] ||
		die "apt has no deb-src entry: run 'scripts/deps.sh --apt-sources-only' (or scripts/setup.sh) as root"
	tmp=$(mktemp)
	files=''
	for f in /etc/apt/sources.list.d/*.sources; do
		case $f in *.disabled*) continue ;; esac
		[ -f "$f" ] && files="$files $f"
	done
	[ -z "$files" ] || deb822_to_src $files >"$tmp"
	if [ -s "$tmp" ]; then
		mv "$tmp" "$APT_SOURCES_FILE"
		chmod 644 "$APT_SOURCES_FILE"
		echo "deps: wrote $APT_SOURCES_FILE"
	fi
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		case $f in *.disabled*) continue ;; esac
		[ -f "$f" ] && sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
	done >"$tmp"
	if [ -s "$tmp" ]; then
		mv "$tmp" "$APT_LIST_FILE"
		chmod 644 "$APT_LIST_FILE"
		echo "deps: wrote $APT_LIST_FILE"
	fi
	rm -f "$tmp"
	has_deb_src || die "no 'deb' entry in /etc/apt to copy as deb-src"
	apt_update
}

apt_update() {
	# with --apt-sources-only there is no build dir for the log
	[ -n "$LOGDIR" ] || LOGDIR=$(mktemp -d)
	echo "deps: apt-get update (to get the deb-src indexes)"
	run apt-update.log "apt-get update" apt-get update
	APT_UPDATED=yes
}

# version_var PKG: the variable holding PKG's version (util-linux ->
# VERSION_util_linux)
version_var() { echo "VERSION_$1" | tr -c 'A-Za-z0-9_\n' _; }

# lookup_versions PKG...: set VERSION_<pkg> to the highest source version in
# apt's lists, which is the one "apt-get source" picks (no pinning here).
lookup_versions() {
	pairs=$(apt-cache showsrc --only-source "$@" 2>/dev/null |
		awk '/^Package: /{ p = $2 } /^Version: /{ print p, $2 }') || true
	for pkg in "$@"; do
		best=
		for v in $(printf '%s\n' "$pairs" | awk -v p="$pkg" '$1 == p { print $2 }'); do
			if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
				best=$v
			fi
		done
		if [ -z "$best" ]; then
			# deb-src entries exist but their index was never downloaded
			if [ "$APT_UPDATED" = no ] && [ "$(id -u)" = 0 ]; then
				apt_update
				lookup_versions "$@"
				return
			fi
			die "apt knows no source package '$pkg': run 'apt-get update' as root"
		fi
		eval "$(version_var "$pkg")=\$best"
	done
}

# -------------------------------------------------------------------- main

if [ "${1:-}" = --apt-sources-only ]; then
	[ $# = 1 ] || usage
	LOGDIR=''
	ensure_apt_sources
	lookup_versions busybox lvm2 cryptsetup
	# apt_update's temporary log is kept only when it failed
	[ -z "$LOGDIR" ] || rm -rf "$LOGDIR"
	exit 0
fi

LIBC=glibc
if [ "${1:-}" = --libc ]; then
	[ $# -ge 2 ] || usage
	LIBC=$2
	shift 2
	case $LIBC in
	glibc | musl) ;;
	*) die "unknown C library '$LIBC' (glibc or musl)" ;;
	esac
fi
[ $# -ge 2 ] || usage
case $1 in
/*) BUILD_DIR=$1 ;;
*) BUILD_DIR=$PWD/$1 ;;
esac
case $BUILD_DIR in
*[[:space:]]*) die "BUILD_DIR must not contain spaces: $BUILD_DIR" ;;
esac
shift

# which components and which Debian source packages
WANT_BUSYBOX=no WANT_DM=no WANT_CS=no
for c in "$@"; do
	case $LIBC.$c in
	glibc.busybox) WANT_BUSYBOX=yes ;;
	musl.toolchain) ;;
	*.devmapper) WANT_DM=yes ;;
	*.cryptsetup) WANT_DM=yes WANT_CS=yes ;;
	musl.busybox) die "BusyBox's source is the same for both C libraries: $0 BUILD_DIR busybox" ;;
	*) die "unknown component '$c' (busybox, devmapper or cryptsetup; with --libc musl: toolchain)" ;;
	esac
done
COMPONENTS=''
PACKAGES=''
[ $WANT_BUSYBOX = yes ] && COMPONENTS="$COMPONENTS busybox" PACKAGES="$PACKAGES busybox"
[ $WANT_DM = yes ] && COMPONENTS="$COMPONENTS devmapper" PACKAGES="$PACKAGES lvm2"
[ $WANT_CS = yes ] && COMPONENTS="$COMPONENTS cryptsetup" PACKAGES="$PACKAGES cryptsetup"
# musl has no -dev packages of these: built from Debian's sources too
[ $WANT_CS = yes ] && [ $LIBC = musl ] && PACKAGES="$PACKAGES json-c util-linux"

check_tools "$COMPONENTS"

SRC=$BUILD_DIR/src
DL=$SRC/dl
if [ $LIBC = musl ]; then
	MUSL=$BUILD_DIR/musl
	UNPACK=$MUSL/src
	DEPS=$MUSL/deps
	STAMPS=$MUSL/stamps
	LOGDIR=$MUSL/log
	# the compiler and flags of every step, read by configure and cmake
	# from the environment (and kept by them for make)
	CC=$MUSL/bin/cc
	CFLAGS=$MUSL_CFLAGS
	export CC CFLAGS
	# a library built for the other libc must not be found
	PKG_CONFIG_LIBDIR=$DEPS/lib/pkgconfig
	export PKG_CONFIG_LIBDIR
	KEY_LIBC="musl $MUSL_CFLAGS"
	LIBC_SAID=" (musl)"
else
	UNPACK=$SRC
	DEPS=$BUILD_DIR/deps
	STAMPS=$BUILD_DIR/stamps
	LOGDIR=$BUILD_DIR/log
	CC=gcc
	KEY_LIBC=
fi
mkdir -p "$DL" "$UNPACK" "$DEPS/lib" "$DEPS/include" "$DEPS/check" "$STAMPS" "$LOGDIR"

ensure_apt_sources
lookup_versions $PACKAGES

# version helpers: "2:2.6.1-4~deb12u2" -> no epoch "2.6.1-4~deb12u2",
# upstream "2.6.1"
version_of() { eval "echo \"\$$(version_var "$1")\""; }
noepoch() { v=$(version_of "$1"); echo "${v#*:}"; }
upstream() { v=$(noepoch "$1"); echo "${v%-*}"; }

# steps: 1 fetch, 1 unpack per package, configure + build + self-check per
# library (musl: + the toolchain, + configure and build of json-c and libuuid)
TOTAL=$((1 + $(echo $PACKAGES | wc -w)))
[ $WANT_DM = yes ] && TOTAL=$((TOTAL + 3))
[ $WANT_CS = yes ] && TOTAL=$((TOTAL + 3))
[ $LIBC = musl ] && TOTAL=$((TOTAL + 1))
[ $LIBC = musl ] && [ $WANT_CS = yes ] && TOTAL=$((TOTAL + 4))

# Downloads are shared by both C libraries: their stamps are always in
# BUILD_DIR/stamps (musl's STAMPS is BUILD_DIR/musl/stamps).
FETCHED=
[ $LIBC = musl ] && FETCHED=../../stamps/

# ------------------------------------------------------------------ fetch

# as root apt warns that the download is unsandboxed: harmless (logged)
apt_fetch() (
	cd "$DL" && apt-get source --download-only --only-source "$@"
)

STEP=$((STEP + 1))
fetch_args=''
fetch_names=''
for pkg in $PACKAGES; do
	if ! stamp_ok "$FETCHED$pkg.fetched" "$(version_of "$pkg")" ||
		[ ! -f "$DL/${pkg}_$(noepoch "$pkg").dsc" ]; then
		rm -f "$DL/${pkg}_"* "$STAMPS/$FETCHED$pkg.fetched"
		fetch_args="$fetch_args $pkg=$(version_of "$pkg")"
		fetch_names="$fetch_names${fetch_names:+, }$pkg $(noepoch "$pkg")"
	fi
done
if [ -n "$fetch_args" ]; then
	step "fetching $fetch_names (apt-get source)"
	run fetch.log "fetching$fetch_args" apt_fetch $fetch_args
	for pkg in $PACKAGES; do
		[ -f "$DL/${pkg}_$(noepoch "$pkg").dsc" ] ||
			die "fetching $pkg: no ${pkg}_$(noepoch "$pkg").dsc in $DL (log: $LOGDIR/fetch.log)"
		stamp_set "$FETCHED$pkg.fetched" "$(version_of "$pkg")"
	done
fi

# ----------------------------------------------------------------- unpack

for pkg in $PACKAGES; do
	STEP=$((STEP + 1))
	dir=$UNPACK/$pkg-$(upstream "$pkg")
	ver=$(version_of "$pkg")
	if stamp_ok "$pkg.unpacked" "$ver" && [ -d "$dir" ]; then
		write_dir_file "$pkg" "$dir"
		continue
	fi
	step "unpacking $pkg $(noepoch "$pkg") (dpkg-source -x, Debian patches applied)"
	# a new unpack invalidates everything built from the old one
	rm -f "$STAMPS/$pkg.unpacked" "$STAMPS/$pkg.configured" "$STAMPS/$pkg.built"
	old=
	[ -f "$UNPACK/$pkg.dir" ] && IFS= read -r old <"$UNPACK/$pkg.dir"
	case $old in "$UNPACK"/?*) rm -rf "$old" ;; esac
	rm -rf "$dir"
	run "unpack-$pkg.log" "unpacking $pkg" \
		dpkg-source --no-copy -x "$DL/${pkg}_$(noepoch "$pkg").dsc" "$dir"
	write_dir_file "$pkg" "$dir"
	stamp_set "$pkg.unpacked" "$ver"
done

JOBS=$(nproc)
# builds here are independent of a calling make (its -j, its variables)
unset MAKEFLAGS MFLAGS MAKELEVEL

# ------------------------------------------------------ musl toolchain
# musl-gcc's headers are musl's alone: the kernel's UAPI headers (linux/,
# asm/ ...) that BusyBox, libdevmapper and libcryptsetup include are put
# beside them, from linux-libc-dev, as links.

# write_if_changed FILE: stdin into FILE, only when it differs (its mtime
# is a make input)
write_if_changed() {
	cat >"$1.new"
	if cmp -s "$1.new" "$1"; then rm -f "$1.new"; else mv "$1.new" "$1"; fi
}

if [ $LIBC = musl ]; then
	STEP=$((STEP + 1))
	mkdir -p "$MUSL/bin" "$MUSL/kinc"
	for d in linux asm-generic mtd; do
		ln -sfn "/usr/include/$d" "$MUSL/kinc/$d"
	done
	ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$MUSL/kinc/asm"
	printf '#!/bin/sh\n# generated by scripts/deps.sh: musl-gcc with the kernel UAPI headers\nexec musl-gcc "$@" -isystem %s\n' \
		"$MUSL/kinc" | write_if_changed "$CC"
	chmod 755 "$CC"
	echo 'int main(void) { return 0; }' >"$MUSL/bin/check.c"
	"$CC" -static -o "$MUSL/bin/check" "$MUSL/bin/check.c" >"$LOGDIR/toolchain.log" 2>&1 ||
		die "musl-gcc cannot link a static program (log: $LOGDIR/toolchain.log)"
	rm -f "$MUSL/bin/check" "$MUSL/bin/check.c"
fi

# ---------------------------------------------- json-c and libuuid (musl)

json_c_configure() (
	rm -rf "$1/evbox-build" && mkdir "$1/evbox-build" && cd "$1/evbox-build" &&
		cmake $JSONC_CMAKE -DCMAKE_INSTALL_PREFIX="$DEPS" -DCMAKE_INSTALL_LIBDIR=lib ..
)
json_c_build() (
	cd "$1/evbox-build" &&
		make -j"$JOBS" install
)
util_linux_configure() (
	cd "$1" &&
		./configure $UTIL_LINUX_CONFIGURE
)
util_linux_build() (
	cd "$1" &&
		make -j"$JOBS" libuuid.la &&
		install -m 644 .libs/libuuid.a "$DEPS/lib/libuuid.a" &&
		install -D -m 644 libuuid/src/uuid.h "$DEPS/include/uuid/uuid.h"
)

# build_lib PKG WHAT CONFIGURE-KEY OUTPUT...: configure and build PKG
# (PKG_configure, PKG_build with - as _) unless their stamps hold KEY and
# the OUTPUTs (relative to DEPS) are there.
build_lib() {
	bl_pkg=$1 bl_what=$2 bl_key=$3
	shift 3
	bl_fn=$(echo "$bl_pkg" | tr - _)
	bl_dir=$UNPACK/$bl_pkg-$(upstream "$bl_pkg")
	STEP=$((STEP + 1))
	if ! stamp_ok "$bl_pkg.configured" "$bl_key"; then
		step "configuring $bl_pkg $(noepoch "$bl_pkg") ($bl_what)"
		rm -f "$STAMPS/$bl_pkg.configured" "$STAMPS/$bl_pkg.built"
		run "configure-$bl_pkg.log" "configuring $bl_pkg" "${bl_fn}_configure" "$bl_dir"
		stamp_set "$bl_pkg.configured" "$bl_key"
	fi
	STEP=$((STEP + 1))
	bl_have=yes
	for bl_f in "$@"; do [ -f "$DEPS/$bl_f" ] || bl_have=no; done
	if ! stamp_ok "$bl_pkg.built" "$bl_key" || [ $bl_have = no ]; then
		step "building $bl_what from $bl_pkg $(noepoch "$bl_pkg")"
		rm -f "$STAMPS/$bl_pkg.built" "$STAMPS"/check-*
		run "build-$bl_pkg.log" "building $bl_what" "${bl_fn}_build" "$bl_dir"
		stamp_set "$bl_pkg.built" "$bl_key"
	fi
}

if [ $LIBC = musl ] && [ $WANT_CS = yes ]; then
	build_lib json-c libjson-c.a "$(version_of json-c) $(words $JSONC_CMAKE) $KEY_LIBC" \
		lib/libjson-c.a include/json-c/json.h lib/pkgconfig/json-c.pc
	build_lib util-linux libuuid.a "$(version_of util-linux) $(words $UTIL_LINUX_CONFIGURE) $KEY_LIBC" \
		lib/libuuid.a include/uuid/uuid.h
fi

# ------------------------------------------------- libdevmapper (from lvm2)

lvm2_configure() (
	cd "$1" &&
		./configure $LVM2_CONFIGURE
)
lvm2_build() (
	cd "$1" &&
		make -C libdm -j"$JOBS" ioctl/libdevmapper.a &&
		install -m 644 libdm/ioctl/libdevmapper.a "$DEPS/lib/libdevmapper.a" &&
		install -m 644 libdm/libdevmapper.h "$DEPS/include/libdevmapper.h"
)

if [ $WANT_DM = yes ]; then
	dir=$UNPACK/lvm2-$(upstream lvm2)
	key="$(version_of lvm2) $(words $LVM2_CONFIGURE)${KEY_LIBC:+ $KEY_LIBC}"

	STEP=$((STEP + 1))
	if ! stamp_ok lvm2.configured "$key"; then
		step "configuring lvm2 $(noepoch lvm2) (libdevmapper, static)"
		rm -f "$STAMPS/lvm2.configured" "$STAMPS/lvm2.built"
		run configure-lvm2.log "configuring lvm2" lvm2_configure "$dir"
		stamp_set lvm2.configured "$key"
	fi

	STEP=$((STEP + 1))
	if ! stamp_ok lvm2.built "$key" ||
		[ ! -f "$DEPS/lib/libdevmapper.a" ] || [ ! -f "$DEPS/include/libdevmapper.h" ]; then
		step "building libdevmapper.a from lvm2 $(noepoch lvm2)"
		rm -f "$STAMPS/lvm2.built" "$STAMPS"/check-*
		run build-lvm2.log "building libdevmapper" lvm2_build "$dir"
		stamp_set lvm2.built "$key"
	fi
fi

# ------------------------------------------------------- libcryptsetup

# musl: popt is only for the command-line tools, which are not built, and
# there is no musl popt to find: configure is told its check passed.
cryptsetup_configure() (
	[ $LIBC = glibc ] || set -- "$1" ac_cv_lib_popt_poptConfigFileToString=yes \
		LDFLAGS="-L$DEPS/lib"
	cd "$1" && shift &&
		./autogen.sh &&
		./configure $CRYPTSETUP_CONFIGURE "$@" \
			CPPFLAGS="-I$DEPS/include" \
			DEVMAPPER_CFLAGS="-I$DEPS/include" \
			DEVMAPPER_LIBS="-L$DEPS/lib -ldevmapper"
)
cryptsetup_build() (
	cd "$1" &&
		make -j"$JOBS" libcryptsetup.la &&
		install -m 644 .libs/libcryptsetup.a "$DEPS/lib/libcryptsetup.a" &&
		install -m 644 .libs/libcrypto_backend.a "$DEPS/lib/libcrypto_backend.a" &&
		install -m 644 .libs/libargon2.a "$DEPS/lib/libargon2_internal.a" &&
		install -m 644 lib/libcryptsetup.h "$DEPS/include/libcryptsetup.h" &&
		install -D -m 644 -t "$DEPS/include/crypto_backend" \
			lib/crypto_backend/crypto_backend.h lib/crypto_backend/crypto_backend_internal.h
)

if [ $WANT_CS = yes ]; then
	dir=$UNPACK/cryptsetup-$(upstream cryptsetup)
	# libdevmapper.h comes from lvm2: a new lvm2 means configuring again
	key="$(version_of cryptsetup) lvm2=$(version_of lvm2) $(words $CRYPTSETUP_CONFIGURE)${KEY_LIBC:+ $KEY_LIBC}"

	STEP=$((STEP + 1))
	if ! stamp_ok cryptsetup.configured "$key"; then
		step "configuring cryptsetup $(noepoch cryptsetup) (autogen.sh + configure, static, kernel crypto)"
		rm -f "$STAMPS/cryptsetup.configured" "$STAMPS/cryptsetup.built"
		run configure-cryptsetup.log "configuring cryptsetup" cryptsetup_configure "$dir"
		stamp_set cryptsetup.configured "$key"
	fi

	STEP=$((STEP + 1))
	if ! stamp_ok cryptsetup.built "$key" ||
		[ ! -f "$DEPS/lib/libcryptsetup.a" ] || [ ! -f "$DEPS/lib/libcrypto_backend.a" ] ||
		[ ! -f "$DEPS/lib/libargon2_internal.a" ] || [ ! -f "$DEPS/include/libcryptsetup.h" ] ||
		[ ! -f "$DEPS/include/crypto_backend/crypto_backend_internal.h" ]; then
		step "building libcryptsetup.a from cryptsetup $(noepoch cryptsetup)"
		rm -f "$STAMPS/cryptsetup.built" "$STAMPS"/check-*
		run build-cryptsetup.log "building libcryptsetup" cryptsetup_build "$dir"
		stamp_set cryptsetup.built "$key"
	fi
fi

# ------------------------------------------------------------ self-checks
# Link (never run) a tiny static program with the libraries named in
# deps/ldlibs-COMPONENT, the way BusyBox will link them.

write_check_sources() {
	cat >"$DEPS/check/devmapper.c" <<'EOF'
/* generated by scripts/deps.sh: link check for libdevmapper */
#include <libdevmapper.h>

int main(void)
{
	struct dm_task *dmt = dm_task_create(DM_DEVICE_LIST);

	return dmt == 0;
}
EOF
	cat >"$DEPS/check/cryptsetup.c" <<'EOF'
/* generated by scripts/deps.sh: link check for libcryptsetup */
#include <string.h>
#include <libcryptsetup.h>

int main(int argc, char **argv)
{
	struct crypt_device *cd;

	if (argc < 4 || crypt_init(&cd, argv[1]) < 0)
		return 1;
	if (crypt_load(cd, CRYPT_LUKS, NULL) < 0)
		return 1;
	return crypt_activate_by_passphrase(cd, argv[2], CRYPT_ANY_SLOT,
			argv[3], strlen(argv[3]), 0) < 0;
}
EOF
}

# link_check COMPONENT LIBS: link deps/check/COMPONENT (stripped) with LIBS.
link_check() (
	libs=
	for l in $2; do libs="$libs -l$l"; done
	libdir=
	[ $LIBC = musl ] || libdir=-L$MULTIARCH_DIR
	cd "$DEPS/check" &&
		"$CC" -static -s -o "$1" "$1.c" -I"$DEPS/include" \
			-L"$DEPS/lib" $libdir $libs &&
		ls -l "$1"
)

self_check() { # COMPONENT LIBS KEY
	STEP=$((STEP + 1))
	if stamp_ok "check-$1" "$3 $2" && [ -f "$DEPS/check/$1" ] &&
		[ -f "$DEPS/ldlibs-$1" ]; then
		return 0
	fi
	step "self-check: static link of a test program using lib$1 ($2)"
	rm -f "$STAMPS/check-$1" "$DEPS/ldlibs-$1"
	write_check_sources
	run "check-$1.log" "self-check link for $1" link_check "$1" "$2"
	printf '%s\n' "$2" >"$DEPS/ldlibs-$1"
	stamp_set "check-$1" "$3 $2"
}

[ $WANT_DM = yes ] && self_check devmapper "$LDLIBS_DEVMAPPER" "$(version_of lvm2)"
[ $WANT_CS = yes ] && self_check cryptsetup "$LDLIBS_CRYPTSETUP" \
	"$(version_of cryptsetup) $(version_of lvm2)"
exit 0
