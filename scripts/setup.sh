#!/bin/sh
# setup.sh - install the Debian packages evbox needs to build and test, and
# make sure apt has deb-src entries (scripts/deps.sh fetches source packages).
# Silent when everything is already there.

# package lists are split into words on purpose
# shellcheck disable=SC2086

# Everything evbox needs from Debian; add new needs here.
PACKAGES="
 build-essential dpkg-dev pkg-config
 kconfig-frontends-nox libncurses-dev
 autoconf automake libtool autopoint gettext
 libjson-c-dev uuid-dev libpopt-dev
 cpio gzip xz-utils zstd lz4 e2fsprogs file
 dosfstools fdisk cryptsetup-bin
 qemu-system-x86 qemu-utils
 squashfs-tools nbd-server
"

set -eu

here=$(cd "$(dirname "$0")" && pwd)

# Root, or sudo when there is one, for the commands that change the system.
SUDO=''
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 && SUDO=sudo
fi

# packages not installed (one dpkg-query call for all of them)
installed=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PACKAGES 2>/dev/null |
	awk '$1 == "ii" { printf "%s ", $2 }') " || true
missing=''
for p in $PACKAGES; do
	case $installed in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
		echo "setup: as root, run: apt-get install -y --no-install-recommends$missing" >&2
		exit 1
	fi
	# refresh apt's lists only when one of them does not know a package
	for p in $missing; do
		if ! apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then
			$SUDO apt-get update
			break
		fi
	done
	echo "setup: installing$missing"
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $missing
fi

# deb-src entries: deps.sh holds that logic; it is silent when they exist.
if ! "$here/deps.sh" --apt-sources-only 2>/dev/null; then
	$SUDO "$here/deps.sh" --apt-sources-only
fi
