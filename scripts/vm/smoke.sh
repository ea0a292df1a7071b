#!/bin/sh
# smoke.sh BUILD BUSYBOX - the first real boot: Debian's kernel, evinit as
# PID 1, an ext4 root found by UUID, the switch, the real root's init.
#
#   disks    root.img: ext4 (mkfs.ext4 -d), /sbin/init a busybox sh script
#   cmdline  the console; the image's default rd.smoke=from-image
#   jobs     rootfs: block-device-added ID_FS_UUID=$uuid -> mount ro /root,
#            emit mounted; hello: on switch-root, a line on the console
#   expect   EVBOX-ROOT-REACHED pid=1, printed by the real root's init
# Ends with "N passed, N failed".
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BUILD BUSYBOX" >&2; exit 2; }
build=$(realpath "$1") bb=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
work=$build/vm/smoke
uuid=5e1f0000-e7b0-4c5a-9d1e-000000000001
modules="virtio_pci virtio_blk ext4 crc32c_generic crc32c-intel"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

version=$("$here/kernel.sh" "$build")
rm -rf "$work"
mkdir -p "$work/root/sbin" "$work/root/bin" "$work/jobs"
for d in dev proc sys run root tmp; do mkdir -p "$work/root/$d"; done

# the real root: busybox and an init that reports and powers off
cp "$bb" "$work/root/bin/busybox"
ln -s busybox "$work/root/bin/sh"
cat > "$work/root/sbin/init" <<'INIT'
#!/bin/sh
export PATH=/bin
[ -c /dev/console ] || busybox mount -t devtmpfs devtmpfs /dev
exec < /dev/console > /dev/console 2>&1
[ -r /proc/uptime ] || { echo "init: /proc was not moved here"; busybox mount -t proc proc /proc; }
read -r up idle < /proc/uptime
echo "EVBOX-ROOT-REACHED pid=$$ uptime=$up"
busybox mountpoint /run || echo "init: /run was not moved here"
echo "--- /run/initramfs/evinit.log"
busybox cat /run/initramfs/evinit.log
echo "--- /dev/disk"
busybox ls -l /dev/disk/by-uuid /dev/disk/by-label
echo "--- mounts"
busybox cat /proc/mounts
echo "--- /  (the initramfs should be gone; this is the real root)"
busybox ls /
echo "EVBOX-ROOT-DONE"
echo o > /proc/sysrq-trigger
INIT
chmod +x "$work/root/sbin/init"
truncate -s 16M "$work/root.img"
mkfs.ext4 -q -F -U "$uuid" -L smokeroot -E root_owner=0:0 -d "$work/root" "$work/root.img"

cat > "$work/jobs/rootfs.conf" <<JOB
description "mount the root by its UUID"
start on block-device-added ID_FS_UUID=$uuid
task
script
	mount -t ext4 -o ro \$DEVNAME /root
	evctl emit mounted MOUNTPOINT=/root DEVICE=\$DEVNAME TYPE=ext4
end script
JOB
cat > "$work/jobs/hello.conf" <<'JOB'
description "a switch-root hook"
start on switch-root
task
console output
exec echo "hello: switching to $ROOT, init $INIT, rd.smoke=$rd_smoke"
JOB

"$here/mkimage.sh" -b "$bb" -k "$build/kernel/lib/modules/$version" \
	-m "$modules" -j "$work/jobs" -c "rd.smoke=from-image" -o "$work/initrd.img"
echo "smoke: kernel $version, image $(stat -c %s "$work/initrd.img") bytes"

rc=0
"$here/boot.sh" -k "$build/kernel/boot/vmlinuz-$version" -i "$work/initrd.img" \
	-d "$work/root.img" -p EVBOX-ROOT-DONE -t "${SMOKE_SECONDS:-60}" \
	-l "$work/console.log" || rc=$?

pass=0 fail=0
check()	# WHAT, then a command that succeeds when it holds
{
	what=$1; shift
	if "$@" > /dev/null 2>&1; then
		pass=$((pass + 1)); echo "PASS: $what"
	else
		fail=$((fail + 1)); echo "FAIL: $what"
	fi
}
c=$work/console.log
check "the boot ends with the real root's last line" [ $rc = 0 ]
check "the kernel ran evinit as /init" grep -q 'Run /init as init process' "$c"
check "the real root's init runs as PID 1" grep -q 'EVBOX-ROOT-REACHED pid=1 ' "$c"
check "the switch-root hook wrote to the console" grep -q "hello: switching to /root, init /sbin/init, rd.smoke=from-image" "$c"
check "evinit's log reached the real root's /run" grep -q '] event mounted' "$c"
check "the root was mounted read-only from /dev/vda" grep -q '^/dev/vda / ext4 ro' "$c"
check "evinit made /dev/disk/by-uuid and by-label links" grep -q "smokeroot -> ../../vda" "$c"
check "/dev, /proc, /sys and /run were moved" sh -c "! grep -q 'was not moved' '$c'"
check "no error from evinit" sh -c "! grep -q '] error: ' '$c'"
[ $fail = 0 ] || echo "smoke: console in $c"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
