#!/bin/sh
# boot.sh - boot a kernel and an initramfs under QEMU (TCG) and watch the
# serial console until a pattern appears or a deadline passes.
#
#   boot.sh -k KERNEL -i INITRD [-d DISK]... [-a APPEND] [-p PATTERN]
#           [-t SECONDS] [-l LOG]
#
# The console goes to LOG (default: stdout).  Disks are virtio, attached
# with snapshot=on: they stay as they were.  BOOT_QEMU_FLAGS: more QEMU
# options (the bench's -icount).  Exit status: 0 the pattern
# appeared, 1 the deadline passed, 2 QEMU ended first.  The last line on
# stderr says which.  The deadline is a relative sleep (CLOCK_MONOTONIC).
set -eu

usage() { echo "usage: $0 -k KERNEL -i INITRD [-d DISK]... [-a APPEND] [-p PATTERN] [-t SECONDS] [-l LOG]" >&2; exit 2; }
kernel='' initrd='' append='' pattern='' secs=60 log=/dev/stdout disks=''
while getopts k:i:d:a:p:t:l: o; do
	case $o in
	k) kernel=$OPTARG ;; i) initrd=$OPTARG ;; a) append=$OPTARG ;;
	p) pattern=$OPTARG ;; t) secs=$OPTARG ;; l) log=$OPTARG ;;
	d) disks="$disks -drive file=$OPTARG,if=virtio,format=raw,snapshot=on" ;;
	*) usage ;;
	esac
done
[ -n "$kernel" ] && [ -n "$initrd" ] || usage

dir=$(mktemp -d "${TMPDIR:-/tmp}/boot.XXXXXX")
mkfifo "$dir/console"
[ "$log" = /dev/stdout ] || : > "$log"

# disk paths with spaces or commas are not supported (qemu's syntax)
# shellcheck disable=SC2086
# shellcheck disable=SC2086
qemu-system-x86_64 -accel tcg -cpu max -m 512 -smp 1 ${BOOT_QEMU_FLAGS:-} \
	-display none -monitor none -serial stdio -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 printk.time=1 panic=-1 $append" \
	$disks < /dev/null > "$dir/console" 2>&1 &
qemu=$!
# the deadline: QEMU is stopped, the console ends, the reader sees EOF
( sleep "$secs" & echo $! > "$dir/sleep"; wait $! && touch "$dir/late"
  kill "$qemu" 2>/dev/null ) &
watchdog=$!
start=$(cut -d' ' -f1 /proc/uptime)

result=2 cr=$(printf '\r')
while IFS= read -r line; do
	line=${line%"$cr"}
	printf '%s\n' "$line" >> "$log"
	if [ -n "$pattern" ]; then
		case $line in *"$pattern"*) result=0; break ;; esac
	fi
done < "$dir/console"
[ $result = 0 ] || [ ! -e "$dir/late" ] || result=1

kill "$qemu" 2>/dev/null || true
wait "$qemu" 2>/dev/null || true
[ ! -s "$dir/sleep" ] || kill "$(cat "$dir/sleep")" 2>/dev/null || true
wait "$watchdog" 2>/dev/null || true
rm -rf "$dir"
took=$(awk -v s="$start" '{ printf "%.1f", $1 - s }' /proc/uptime)
case $result in
0) echo "boot: '$pattern' after ${took}s" >&2 ;;
1) echo "boot: deadline passed (${secs}s) without '$pattern'" >&2 ;;
2) echo "boot: QEMU ended after ${took}s${pattern:+ without '$pattern'}" >&2 ;;
esac
exit $result
