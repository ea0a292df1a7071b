#!/bin/sh
# demo.sh BUILD - the demo VM: Debian's kernel under QEMU (TCG) with a
# host-only image made for an ext4 demo disk (its /etc/fstab names the
# root, so the kernel command line need not), the boot on the console as
# it happens, then the boot timeline that `evctl analyze` printed in the
# real root from /run/initramfs/evinit.log.
#
# The disk and its reporting /sbin/init are the VM scenarios' root disk
# (testsuite/vm/disks.sh).  The console stays in BUILD/vm/demo/console.log.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD" >&2; exit 2; }
build=$(realpath "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
bb=$build/busybox
dir=$build/vm/demo
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

. "$top/scripts/vm/vmlib.sh"
. "$top/testsuite/vm/disks.sh"

command -v qemu-system-x86_64 >/dev/null || { echo "demo: no qemu-system-x86_64 (make setup)" >&2; exit 1; }
[ -x "$bb" ] || { echo "demo: no $bb (make)" >&2; exit 1; }
echo "demo: Debian's kernel (scripts/vm/kernel.sh)"
vm_kernel
mkdir -p "$dir"
rm -f "$dir/console.log"
echo "demo: the root disk (ext4, LABEL=$ROOT_LABEL, busybox and a reporting /sbin/init)"
disk=$(disk root)

# the target root the image is made for: what the disk's /etc/fstab says
mkdir -p "$dir/hostroot/etc"
echo "UUID=$ROOT_UUID / ext4 ro 0 1" > "$dir/hostroot/etc/fstab"
append=''	# no root=: the image's /etc/fstab names it
echo "demo: the initramfs"
make_image "$dir/initrd.img" "$dir/hostroot"
echo "demo: image $(stat -c %s "$dir/initrd.img") bytes, kernel $kversion"
cc -O2 -Wall -o "$dir/vmconsole" "$top/testsuite/vm/vmconsole.c"

echo "demo: booting (QEMU, TCG: some seconds) ---------------------------------"
vm_start "$dir" "$append" "$disk"
rc=0
"$dir/vmconsole" -c "$dir/console" -p "$vm_pid" -l - -t "${DEMO_SECONDS:-120}" \
	expect=EVBOX-ROOT-DONE eof | tee "$dir/console.log" || rc=$?
vm_stop
echo "demo: ----------------------------------------------------------------------"
if ! grep -q EVBOX-ROOT-DONE "$dir/console.log"; then
	echo "demo: the boot did not reach the real root (console: $dir/console.log)" >&2
	exit 1
fi
echo
echo "The boot timeline (evctl analyze, run in the real root):"
sed -n '/^--- timeline/,/^EVBOX-ROOT-DONE/p' "$dir/console.log" | sed '1d;$d'
init=$(sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/\1/p' "$dir/console.log" | head -n 1)
real=$(sed -n 's/^EVBOX-ROOT-REACHED pid=1 uptime=//p' "$dir/console.log" | head -n 1)
echo
echo "The kernel ran evinit at ${init:-?} s; the real root's init ran at ${real:-?} s (uptime)."
exit $rc
