# vmlib.sh - what the VM scenarios (testsuite/vm/run.sh), the demo
# (scripts/vm/demo.sh) and the bench (bench/bench.sh) share: the kernel,
# the image, disks, QEMU.
# Sourced; the caller sets: top (the source tree), build (the build tree),
# bb (the evbox binary).  POSIX sh.

vm_modules="virtio_pci virtio_blk ext4 crc32c_generic crc32c-intel"

# The guest's clock counts instructions, 1 ns each (a slow 1 GIPS CPU),
# and follows the host's clock only while the guest idles: time bounds
# then measure the guest's work, whatever else the (shared) host runs.
# Without it TCG's guest time is host time: the same boot varied 2x here
# with the host's load.  It costs about 2x in wall time.
vm_icount="-icount shift=0,sleep=on"
vm_flags=''
vm_nice=''	# a nice value for QEMU (the bench's BENCH_NICE)

# vm_kernel: sets kversion, kimage and kmods (Debian's kernel, unpacked
# into the build tree by kernel.sh).
vm_kernel()
{
	kversion=$("$top/scripts/vm/kernel.sh" "$build") || return 1
	kimage=$build/kernel/boot/vmlinuz-$kversion
	kmods=$build/kernel/lib/modules/$kversion
}

# vm_hash FILE... : a short hash of the files' contents (cache keys).
vm_hash()
{
	cat "$@" | sha256sum | cut -c1-16
}

# make_image OUT ROOT JOBDIR... : the initramfs for the target root tree
# ROOT (a host-only image: its etc/fstab names the root), made by the
# image builder (scripts/mkinitramfs, or $MKINITRAMFS) with the scenario
# modules and the job files in JOBDIRs (besides the tree's init/*.conf).
# vm_extra_modules: more modules (-m); vm_mk_flags: more options (-N).
make_image()
{
	# not $hostroot: run.sh's own (the default target) is that name
	out=$1 _target=$2
	shift 2
	mkinitramfs=${MKINITRAMFS:-$top/scripts/mkinitramfs}
	mods="$vm_modules ${vm_extra_modules:-}"
	set -- $(for d in "$@"; do printf -- '-j %s ' "$d"; done)
	cfg=''
	[ ! -f "${KCONFIG_CONFIG:-$top/.config}" ] || cfg="-c ${KCONFIG_CONFIG:-$top/.config}"
	# gzip -9 is the quickest to make; vm_compress='' takes the config's
	z=${vm_compress-gzip}
	[ -z "$z" ] || z="-z $z"
	# from the top: it takes init/ from there
	# shellcheck disable=SC2086
	(cd "$top" && "$mkinitramfs" $cfg ${vm_mk_flags:-} -b "$bb" -o "$out" -k "$kversion" \
		-M "$build/kernel" -H "$_target" -m "$mods" $z "$@")
}

# vm_drive DISK: QEMU's -drive options for DISK, an image file (raw,
# snapshot=on: it stays as it was), a qcow2 overlay (*.qcow2, written to:
# vm_overlay), or a driver= spec (testsuite/vm/disks.sh's disks that are
# no file, e.g. null-co's slow disk).
vm_drive()
{
	case $1 in
	driver=*) printf '%s' "$1" ;;
	*.qcow2) printf 'file=%s,format=qcow2' "$1" ;;
	*) printf 'file=%s,format=raw,snapshot=on' "$1" ;;
	esac
}

# vm_overlay IMAGE OVERLAY: OVERLAY, a qcow2 file over the raw IMAGE, made
# (the guest's writes land in it); vm_unchanged IMAGE OVERLAY: what the
# guest sees through OVERLAY is still IMAGE, byte for byte.
vm_overlay() { qemu-img create -q -f qcow2 -b "$1" -F raw "$2"; }
vm_unchanged() { qemu-img compare -q -f qcow2 -F raw "$2" "$1"; }

# vm_start DIR CMDLINE DISK... : QEMU in the background, its console and
# monitor as pipe pairs DIR/console.{in,out}, DIR/monitor.{in,out}; the
# monitor's output goes to DIR/monitor.log.  Sets vm_pid.  A DISK is
# attached as virtio (vm_drive).  vm_flags:
# more QEMU options (e.g. $vm_icount); vm_nice: its nice value.
vm_start()
{
	dir=$1 append=$2
	shift 2
	rm -f "$dir/console.in" "$dir/console.out" "$dir/monitor.in" "$dir/monitor.out"
	mkfifo "$dir/console.in" "$dir/console.out" "$dir/monitor.in" "$dir/monitor.out"
	set -- $(for d in "$@"; do printf -- '-drive %s,if=virtio ' "$(vm_drive "$d")"; done)
	# shellcheck disable=SC2086
	${vm_nice:+nice -n "$vm_nice"} qemu-system-x86_64 -accel tcg -cpu max -m 512 -smp 1 -nodefaults $vm_flags \
		-display none -no-reboot \
		-chardev pipe,id=con,path="$dir/console" -serial chardev:con \
		-monitor pipe:"$dir/monitor" \
		-kernel "$kimage" -initrd "$dir/initrd.img" \
		-append "console=ttyS0 printk.time=1 panic=-1 $append" \
		"$@" > "$dir/qemu.log" 2>&1 < /dev/null &
	vm_pid=$!
	# read-write: the open does not wait for QEMU; vm_stop ends it
	cat 0<> "$dir/monitor.out" > "$dir/monitor.log" &
	vm_cat=$!
}

# vm_plug_steps N DISK: the vmconsole steps that hot-plug DISK as the N-th
# hot-plugged virtio disk, at PCI slot 0x10+N (so that its kernel lines
# are known: "pci 0000:00:1N.0").
vm_plug_steps()
{
	printf 'monitor=drive_add 0 if=none,id=hp%s,%s\n' "$1" "$(vm_drive "$2")"
	printf 'monitor=device_add virtio-blk-pci,drive=hp%s,id=hpdev%s,addr=0x%x\n' "$1" "$1" $((16 + $1))
}

vm_stop()
{
	kill "$vm_pid" "$vm_cat" 2>/dev/null || true
	wait "$vm_pid" 2>/dev/null || true
	wait "$vm_cat" 2>/dev/null || true
}
