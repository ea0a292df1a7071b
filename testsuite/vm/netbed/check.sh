# check.sh - `testsuite/vm/netbed.sh BUILD check`: the test bed proves
# itself with throwaway clients (Debian's kernel, busybox-static, the probe
# tool: not evbox's initramfs).  Sourced by netbed.sh (top, build, bb, the
# vmlib, disks and netbed functions set).  The server gets two NICs; at
# once client A (MAC :01, the first NIC: the lease and its root-path, NFS
# v3 / v4.0 / v4.2, LTSP's image over v4, the HTTP files, NBD's exports
# and a connection the host cuts with `netbed_cmd nbd-cut`) and client B
# (MAC :02, the second NIC: a root-path that is a path alone); then client
# C (MAC :03) on the first NIC again, after A's QEMU ended: QEMU's listen
# side takes a new client.  PASS/FAIL lines, then "N passed, N failed";
# exit status 0 when none failed.
# NETBED_CHECK_TIMEOUT (300 s): the bound of each client VM.

NETBED_CHECK_TIMEOUT=${NETBED_CHECK_TIMEOUT:-300}
NETBED_CLIENT_MODULES="virtio_pci virtio_net nfsv3 nfsv4 loop squashfs"

nc_pass=0 nc_fail=0
nc_result()	# PASS|FAIL TEXT
{
	echo "$1 $2"
	if [ "$1" = PASS ]; then nc_pass=$((nc_pass + 1)); else nc_fail=$((nc_fail + 1)); fi
}

# the client's image: busybox-static from the server's packages, the probe
# tool, the modules, client-init
nc_client_image()	# DIR
{
	nc_s=$1/stage
	rm -rf "$nc_s"
	mkdir -p "$nc_s/bin" "$nc_s/proc" "$nc_s/sys" "$nc_s/dev" "$nc_s/etc/netbed" "$1/x"
	dpkg -x "$(ls "$build"/vm/netbed/debs/busybox-static_*.deb)" "$1/x" &&
		cp "$1/x/bin/busybox" "$nc_s/bin/" || return 1
	rm -rf "$1/x"
	for nc_a in $("$nc_s/bin/busybox" --list); do
		[ -e "$nc_s/bin/$nc_a" ] || ln -s busybox "$nc_s/bin/$nc_a"
	done
	cc -O2 -Wall -static -o "$nc_s/bin/probe" "$top/testsuite/vm/netbed/probe.c" 2> "$1/probe.log" ||
		{ cat "$1/probe.log" >&2; return 1; }
	# evbox's busybox, for its mount -t nfs alone
	mkdir -p "$nc_s/evbox" && cp "$bb" "$nc_s/evbox/busybox"
	cp "$top/testsuite/vm/netbed/client-init" "$nc_s/init"
	chmod 755 "$nc_s/init"
	netbed_env > "$nc_s/etc/netbed/env"
	# shellcheck disable=SC2086
	netbed_modules "$nc_s" $NETBED_CLIENT_MODULES || return 1
	netbed_cpio "$nc_s" "$1/client.cpio"
	rm -rf "$nc_s"
}

nc_client()	# NAME ROLE MAC PORT: boot client NAME in the background
{
	nc_d=$nc_dir/$1
	rm -rf "$nc_d"
	mkdir -p "$nc_d"
	mkfifo "$nc_d/console.in" "$nc_d/console.out"
	# shellcheck disable=SC2046
	timeout "$NETBED_CHECK_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 256 -smp 1 \
		-nodefaults -display none -no-reboot -monitor none \
		-chardev pipe,id=con,path="$nc_d/console" -serial chardev:con \
		-kernel "$kimage" -initrd "$nc_dir/client.cpio" \
		-append "console=ttyS0 printk.time=1 panic=-1 loglevel=4 rdinit=/init netbed.role=$2" \
		$(netbed_client_nic "$4" "$3") > "$nc_d/qemu.log" 2>&1 < /dev/null &
	eval "nc_pid_$1=\$!"
	echo "netbed: client $1 ($2, MAC $3) on port $4" >&2
}

nc_console()	# NAME STEP...: the client's console script (vmconsole)
{
	nc_n=$1
	shift
	eval "nc_p=\$nc_pid_$nc_n"
	"$build/vm/vmconsole" -c "$nc_dir/$nc_n/console" -l "$nc_dir/$nc_n/console.log" -p "$nc_p" \
		-t "$NETBED_CHECK_TIMEOUT" "$@" 2>> "$nc_dir/$nc_n/vmconsole.err"
}

# nc_verdicts NAME: the client's NETBED-CHECK lines as PASS/FAIL lines
nc_verdicts()
{
	nc_l=$nc_dir/$1/console.log
	if ! grep -q '^NETBED-CLIENT-DONE' "$nc_l" 2> /dev/null; then
		nc_result FAIL "client $1 did not finish: $(tail -n 2 "$nc_dir/$1/vmconsole.err" 2> /dev/null | tr '\n' ' ')console: $nc_l"
		tail -n 20 "$nc_l" 2> /dev/null | sed 's/^/  | /'
	fi
	while read -r nc_tag nc_v nc_text; do
		nc_result "$nc_v" "client $1: $nc_text"
	done <<-EOF
	$(grep '^NETBED-CHECK ' "$nc_l" 2> /dev/null)
	EOF
}

netbed_check()
{
	nc_dir=$build/vm/netbed/check
	rm -rf "$nc_dir"
	mkdir -p "$nc_dir"
	netbed_image "$build" || { echo "FAIL the server image"; return 1; }
	if [ ! -x "$build/vm/vmconsole" ] || [ "$top/testsuite/vm/vmconsole.c" -nt "$build/vm/vmconsole" ]; then
		mkdir -p "$build/vm"
		cc -O2 -Wall -o "$build/vm/vmconsole" "$top/testsuite/vm/vmconsole.c" || { echo "FAIL vmconsole"; return 1; }
	fi
	netbed_say "the client image..."
	nc_client_image "$nc_dir" || { echo "FAIL the client image"; return 1; }
	nc_ports=$(netbed_ports 2) || { echo "FAIL no ports"; return 1; }
	set -- $nc_ports
	nc_p1=$1 nc_p2=$2
	nc_srv=$nc_dir/server
	nc_t0=$(date +%s)
	if netbed_start "$nc_srv" "$nc_p1" "$nc_p2"; then
		nc_result PASS "server: every service answers, $(($(date +%s) - nc_t0)) s after QEMU's start ($(sed -n 's/^netbed: services up in \([^ ]*\) s (kernel uptime \([^ ]*\) s)$/its init \1 s, kernel uptime \2 s/p' "$nc_srv/netbed.log"))"
	else
		nc_result FAIL "server: not ready (console: $nc_srv/netbed.log)"
		netbed_stop "$nc_srv"
		echo "$nc_pass passed, $nc_fail failed"
		return 1
	fi
	# the control port: an unknown command is refused, status 2
	nc_out=$(netbed_cmd "$nc_srv" nosuch)
	nc_rc=$?
	if [ "$nc_rc" = 2 ]; then nc_result PASS "netbed_cmd nosuch: refused (status 2)"
	else nc_result FAIL "netbed_cmd nosuch: status $nc_rc: $nc_out"; fi

	nc_client A full "$NETBED_MAC_NFS" "$nc_p1"
	nc_client B path "$NETBED_MAC_NFSPATH" "$nc_p2"
	nc_console B expect=NETBED-CLIENT-DONE eof &
	nc_conb=$!
	if nc_console A expect=NBD-HOLDING; then
		nc_out=$(netbed_cmd "$nc_srv" nbd-cut)
		nc_rc=$?
		case $nc_rc:$nc_out in
		0:*'1 connection(s) cut'*) nc_result PASS "netbed_cmd nbd-cut: $nc_out" ;;
		*) nc_result FAIL "netbed_cmd nbd-cut: status $nc_rc: $nc_out" ;;
		esac
	else
		nc_result FAIL "client A never held an NBD connection"
	fi
	nc_console A expect=NETBED-CLIENT-DONE eof
	wait "$nc_pid_A" 2> /dev/null
	# A's QEMU has ended: C on the same port
	nc_client C ltsp "$NETBED_MAC_LTSP" "$nc_p1"
	nc_console C expect=NETBED-CLIENT-DONE eof
	wait "$nc_conb"
	nc_out=$(netbed_cmd "$nc_srv" leases)
	nc_rc=$?
	nc_n=$(echo "$nc_out" | grep -c "$NETBED_MAC_NFS\|$NETBED_MAC_NFSPATH\|$NETBED_MAC_LTSP")
	if [ "$nc_rc" = 0 ] && [ "$nc_n" = 3 ]; then nc_result PASS "netbed_cmd leases: A, B and C have leases"
	else nc_result FAIL "netbed_cmd leases: status $nc_rc, $nc_n of 3: $nc_out"; fi
	# NFS stopped and started again (the kernel's nfsd threads)
	nc_out=$(netbed_cmd "$nc_srv" nfs-stop && netbed_cmd "$nc_srv" sh cat /proc/fs/nfsd/threads)
	nc_rc=$?
	if [ "$nc_rc" = 0 ] && [ "$nc_out" = 0 ]; then nc_result PASS "netbed_cmd nfs-stop: no nfsd thread left"
	else nc_result FAIL "netbed_cmd nfs-stop: status $nc_rc: $nc_out"; fi
	nc_out=$(netbed_cmd "$nc_srv" nfs-start && netbed_cmd "$nc_srv" sh 'cat /proc/fs/nfsd/threads /proc/fs/nfsd/v4_end_grace')
	nc_rc=$?
	if [ "$nc_rc" = 0 ] && [ "$(echo $nc_out)" = "$NETBED_NFSD_THREADS Y" ]; then
		nc_result PASS "netbed_cmd nfs-start: $NETBED_NFSD_THREADS nfsd threads, grace ended"
	else
		nc_result FAIL "netbed_cmd nfs-start: status $nc_rc: $nc_out"
	fi
	netbed_stop "$nc_srv"
	for nc_c in A B C; do
		eval "nc_p=\$nc_pid_$nc_c"
		kill "$nc_p" 2> /dev/null
		wait "$nc_p" 2> /dev/null
		nc_verdicts "$nc_c"
	done
	# the reconnection the brief asks about: C got a lease through the port A used
	if grep -q '^NETBED-CHECK PASS dhcp: lease' "$nc_dir/C/console.log" 2> /dev/null; then
		nc_result PASS "QEMU's socket listen side took client C after client A disconnected"
	else
		nc_result FAIL "no lease for client C on the port client A used"
	fi
	echo "$nc_pass passed, $nc_fail failed"
	[ "$nc_fail" = 0 ]
}
