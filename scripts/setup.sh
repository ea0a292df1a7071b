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
 musl-tools cmake
 dracut-core dracut-network nfs-common tiny-initramfs-core
"
# (dracut-network, nfs-common: the bench's dracut images for the network
# roots; nfs-common is only a Recommends of dracut-network, and its nfs
# module copies mount.nfs and rpcbind from the host.  The test bed's
# server still gets its own nfs-common, downloaded, below.)

# Only downloaded by the tests, not installed for them (the VM fixtures'
# builder, the network test bed's server, the kernel): apt must know them.
DOWNLOADED="
 linux-image-amd64 busybox-static mdadm lvm2 dmsetup
 nfs-kernel-server nfs-common rpcbind dnsmasq-base
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
	for p in $missing $DOWNLOADED; do
		if ! apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then
			$SUDO apt-get update
			break
		fi
	done
	echo "setup: installing$missing"
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $missing
fi

# what the tests download: apt must know it (a fresh machine's lists may
# be empty, or older than the archive)
if [ -z "$missing" ]; then
	for p in $DOWNLOADED; do
		if ! apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then
			echo "setup: apt does not know $p: apt-get update"
			$SUDO apt-get update
			break
		fi
	done
fi

# deb-src entries: deps.sh holds that logic; it is silent when they exist.
if ! "$here/deps.sh" --apt-sources-only 2>/dev/null; then
	$SUDO "$here/deps.sh" --apt-sources-only
fi
