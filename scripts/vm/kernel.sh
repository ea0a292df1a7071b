#!/bin/sh
# kernel.sh BUILD - Debian's current bookworm kernel, unpacked into
# BUILD/kernel/ (never installed on the host: installing it would make
# initramfs-tools build an image in /boot).  Prints the kernel version.
# A second run finds BUILD/kernel/version and does nothing.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
dir=$1/kernel

if [ -s "$dir/version" ] && [ -d "$dir/lib/modules/$(cat "$dir/version")" ]; then
	cat "$dir/version"
	exit 0
fi

# linux-image-amd64 is a metapackage: its dependency is the real kernel
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
[ -n "$pkg" ] || { echo "kernel.sh: apt does not know linux-image-amd64 (apt-get update?)" >&2; exit 1; }

rm -rf "$dir"
mkdir -p "$dir/deb"
(cd "$dir/deb" && apt-get download -q "$pkg" >&2)
dpkg -x "$dir"/deb/*.deb "$dir"
version=${pkg#linux-image-}
[ -f "$dir/boot/vmlinuz-$version" ] || { echo "kernel.sh: no boot/vmlinuz-$version in $pkg" >&2; exit 1; }
echo "$version" > "$dir/version"
echo "$version"
