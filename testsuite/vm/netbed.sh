#!/bin/sh
# netbed.sh - the network test bed: a server VM that runs Debian's own
# servers (nfs-kernel-server's in-kernel nfsd for NFSv3 and v4, rpcbind,
# dnsmasq for DHCP, nbd-server, busybox httpd) on Debian's kernel, for the
# network-root rows (testsuite/vm/run.sh) and the bench (bench/bench.sh).
# Sourced after scripts/vm/vmlib.sh (the caller sets top, build, bb; it
# sources testsuite/vm/disks.sh unless the caller did; set -eu is fine), or
# run as
#   testsuite/vm/netbed.sh BUILD make    the server image, cached
#   testsuite/vm/netbed.sh BUILD check   the image, then the server with
#                                        throwaway clients: PASS/FAIL lines
#
# API (POSIX sh; every wait is bounded, every QEMU under `timeout`):
#   netbed_image BUILD     make the server image and its content, cached as
#                          BUILD/vm/netbed/server-KEY.cpio (KEY: the Debian
#                          package versions, the kernel, this file, the
#                          server's init, the evbox binary and the real
#                          root's init); sets netbed_initrd; says what it
#                          does on stderr
#   netbed_ports N         N free TCP ports on 127.0.0.1 (a machine-wide
#                          counter under a lock, listeners skipped: rows
#                          that run at once get other ports)
#   netbed_start DIR PORT...  boot the server in the background, one
#                          virtio-net NIC per PORT (-netdev socket,
#                          listen=127.0.0.1:PORT, MAC 52:54:00:50:ff:0N for
#                          the N-th), all in one bridge; return when every
#                          service answers (0) or it failed, died or did not
#                          say within NETBED_BOOT_TIMEOUT s (1, said why);
#                          sets netbed_pid (QEMU's); the console goes to
#                          DIR/netbed.log, the rest to DIR/netbed-* (DIR
#                          may be a row's own: no name of vm_start's)
#   netbed_cmd DIR CMD [ARGS]  run CMD on the server (its control port,
#                          /dev/ttyS1); prints its output, returns its status
#                          (124: no answer within NETBED_CMD_TIMEOUT s).
#                          CMD: nbd-cut (kill the nbd-server children: every
#                          client's connection drops, the parent listens on)
#                          nbd-clients, nbd-stop, nbd-start, nfs-stop
#                          (rpc.nfsd 0), nfs-start, dhcp-stop, dhcp-start,
#                          http-stop, http-start, leases, status, sh TEXT
#   netbed_stop DIR        stop it (any time, also when start failed)
#   netbed_client_nic PORT MAC  the QEMU options of a client's NIC on PORT
#
# A client connects with
#   -netdev socket,id=n0,connect=127.0.0.1:PORT -device virtio-net-pci,netdev=n0,mac=MAC
# One client a PORT at a time.  Seen with QEMU 7.2: a socket netdev's listen
# side serves one connection; a second client's connect succeeds but its NIC
# hears nothing (no lease) until the first client's QEMU exits, then it is
# taken (netbed.sh check boots a client on a port another one used).  A
# client whose connect= port has no listener starts anyway (no error, its
# link up) and hears nothing: a "server that does not answer".  The
# server's NICs have their link up with no client connected.
#
# The server: 192.168.50.1/24 on br0 (every NIC), data in a tmpfs /srv.
#   NFS      $NETBED_NFSROOT   the real root's tree, marker "nfs"
#            $NETBED_LTSP      LTSP's layout: $NETBED_LTSP_IMAGE inside, a
#                              squashfs of the tree, marker "ltsp-image"
#            both read-only, no_root_squash, v3 and v4.0-4.2 (the v4 paths
#            are the same: nfs-utils makes the pseudo root), grace ended
#   NBD      port $NETBED_NBD_PORT, named exports: "root" ext4 (UUID
#            $NETBED_NBD_UUID, LABEL $NETBED_NBD_LABEL, marker "nbd-ext4"),
#            read-write, copy-on-write (each client's writes in a diff file,
#            the image stays); "squash" a squashfs, read-only, marker
#            "nbd-squashfs"; NBD_OPT_LIST allowed
#   HTTP     port 80: $NETBED_HTTP_ROOT (marker "http-squashfs") and .sha256
#            (sha256sum's format); $NETBED_HTTP_BAD: one byte changed, its
#            .sha256 that of the good one; $NETBED_HTTP_NOTSQUASH: 256 KiB of
#            noise, a matching .sha256; $NETBED_HTTP_TRUNC: a CGI that
#            announces the Content-Length of root.squashfs, sends half and
#            closes (its .sha256 is root.squashfs's)
#   DHCP     dnsmasq, $NETBED_DHCP_FIRST-$NETBED_DHCP_LAST, lease
#            $NETBED_LEASE s, router and DNS $NETBED_IP, domain
#            $NETBED_DOMAIN; by the client's MAC:
#     52:54:00:50:00:01  root-path "192.168.50.1:/srv/nfsroot", hostname netbed-nfs
#     52:54:00:50:00:02  root-path "/srv/nfsroot" (path only: the server is
#                        the DHCP server), hostname netbed-nfspath
#     52:54:00:50:00:03  root-path "192.168.50.1:/srv/ltsp", hostname netbed-ltsp
#     52:54:00:50:00:04  no root-path, hostname netbed-nopath
#     52:54:00:50:01:XX  root-path "192.168.50.1:/srv/nfsroot" (a lab: the bench)
#     52:54:00:50:03:XX  root-path "192.168.50.1:/srv/ltsp" (a lab)
#     any other          a lease, no root-path
#   (NETBED_MAC_NFS, _NFSPATH, _LTSP, _NOPATH, NETBED_MAC_LAB_NFS and
#   _LAB_LTSP (prefixes: append :XX) name them.)
# Every marker is the file /etc/evbox-root-kind of the tree; the tree is
# build/busybox with its links, testsuite/vm/root/init as /sbin/init, an
# /etc/fstab of comments only.

# (the rows, the bench and the server's init read these)
# shellcheck disable=SC2034
NETBED_IP=192.168.50.1
NETBED_NETMASK=255.255.255.0
NETBED_NFSROOT=/srv/nfsroot
NETBED_LTSP=/srv/ltsp
NETBED_LTSP_IMAGE=images/x86_64.img
NETBED_NBD_PORT=10809
NETBED_NBD_ROOT=root
NETBED_NBD_SQUASH=squash
NETBED_NBD_UUID=5e1f0a00-e7b0-4c5a-9d1e-000000000001
NETBED_NBD_LABEL=evnbdroot
NETBED_HTTP=http://192.168.50.1
NETBED_HTTP_ROOT=/root.squashfs
NETBED_HTTP_BAD=/bad.squashfs
NETBED_HTTP_NOTSQUASH=/notsquash.squashfs
NETBED_HTTP_TRUNC=/cgi-bin/truncated.squashfs
NETBED_DHCP_FIRST=192.168.50.100
NETBED_DHCP_LAST=192.168.50.199
NETBED_LEASE=120
NETBED_DOMAIN=netbed.test
NETBED_MAC_NFS=52:54:00:50:00:01
NETBED_MAC_NFSPATH=52:54:00:50:00:02
NETBED_MAC_LTSP=52:54:00:50:00:03
NETBED_MAC_NOPATH=52:54:00:50:00:04
NETBED_MAC_LAB_NFS=52:54:00:50:01
NETBED_MAC_LAB_LTSP=52:54:00:50:03
NETBED_BOOT_TIMEOUT=${NETBED_BOOT_TIMEOUT:-120}	# s, the server's boot under TCG
NETBED_CMD_TIMEOUT=${NETBED_CMD_TIMEOUT:-30}	# s, one netbed_cmd
NETBED_LIFETIME=${NETBED_LIFETIME:-3600}	# s, a server nobody stopped is killed then
NETBED_PORT_BASE=${NETBED_PORT_BASE:-31000}	# netbed_ports: 1000 ports from here
NETBED_NFSD_THREADS=8
NETBED_MEM=512

# the server's Debian packages (and, through their Depends, the lib* ones)
NETBED_PKGS="busybox-static nfs-kernel-server nfs-common rpcbind dnsmasq-base nbd-server"
# what the image takes from them (their libraries follow by DT_NEEDED)
NETBED_BINS="bin/busybox sbin/rpcbind usr/sbin/rpcinfo usr/sbin/rpc.nfsd
 usr/sbin/rpc.mountd usr/sbin/exportfs sbin/showmount usr/sbin/dnsmasq bin/nbd-server"
NETBED_MODULES="virtio_pci virtio_net bridge nfsd"

netbed_say() { echo "netbed: $*" >&2; }
# kversion, kimage, kmods: vmlib's vm_kernel sets them
# shellcheck disable=SC2154

# disks.sh's disk_root_tree and disk_mkfs make the served trees and images
case ${0##*/} in netbed.sh) top=$(cd "$(dirname "$0")/../.." && pwd) ;; esac
command -v disk_root_tree > /dev/null 2>&1 || . "$top/testsuite/vm/disks.sh"

# ---- the image ----------------------------------------------------------------

# netbed_closure: NETBED_PKGS and, level by level, the lib* packages they
# depend on, one a line
netbed_closure()
{
	nb_all=" $NETBED_PKGS " nb_new=$NETBED_PKGS
	while [ -n "$nb_new" ]; do
		nb_next=''
		# shellcheck disable=SC2086
		for nb_p in $(apt-cache depends --no-recommends --no-suggests --no-conflicts \
			--no-breaks --no-replaces --no-enhances $nb_new 2> /dev/null |
			sed -n 's/^ *|\{0,1\}Depends: \(lib[^< ]*\)$/\1/p' | LC_ALL=C sort -u); do
			case $nb_all in *" $nb_p "*) continue ;; esac
			nb_all="$nb_all$nb_p " nb_next="$nb_next $nb_p"
		done
		nb_new=$nb_next
	done
	# shellcheck disable=SC2086
	printf '%s\n' $nb_all | LC_ALL=C sort
}

# netbed_versions DIR: DIR/versions, "PACKAGE VERSION" lines of apt's
# candidates, asked again only when apt's lists or dpkg's status changed
netbed_versions()
{
	nb_v=$1/versions
	if [ -s "$nb_v" ] && [ -z "$(find /var/lib/apt/lists /var/lib/dpkg/status \
		-prune -newer "$nb_v" 2> /dev/null)" ]; then
		return 0
	fi
	netbed_say "asking apt for the server's package versions..."
	# shellcheck disable=SC2046
	apt-cache show --no-all-versions $(netbed_closure) 2> /dev/null |
		awk '$1 == "Package:" { p = $2 } $1 == "Version:" { print p, $2 }' |
		LC_ALL=C sort -u > "$nb_v.tmp"
	[ -s "$nb_v.tmp" ] || { netbed_say "apt does not know $NETBED_PKGS (apt-get update?)"; return 1; }
	if cmp -s "$nb_v.tmp" "$nb_v"; then rm -f "$nb_v.tmp"; touch "$nb_v"; else mv "$nb_v.tmp" "$nb_v"; fi
}

# netbed_debs DIR: the packages of DIR/versions in DIR/debs, downloaded
# (apt-get download, never installed) unless they are there
netbed_debs()
{
	nb_want=$(awk '{ print $1 "=" $2 }' "$1/versions")
	nb_have=$(for nb_f in "$1"/debs/*.deb; do
		# shellcheck disable=SC2016
		[ -f "$nb_f" ] && dpkg-deb --show --showformat='${Package}=${Version}\n' "$nb_f"
	done | LC_ALL=C sort)
	[ "$nb_have" != "$nb_want" ] || return 0
	netbed_say "downloading $(echo "$nb_want" | wc -l) Debian packages (apt-get download)..."
	rm -rf "$1/debs"
	mkdir -p "$1/debs"
	nb_sb=''
	[ "$(id -u)" != 0 ] || nb_sb='-o APT::Sandbox::User=root'
	# shellcheck disable=SC2086
	(cd "$1/debs" && apt-get download -q $nb_sb $nb_want) > "$1/apt.log" 2>&1 ||
		{ cat "$1/apt.log" >&2; netbed_say "apt-get download failed"; return 1; }
}

# netbed_libs STAGE FROM FILE...: every library the FILEs need (DT_NEEDED,
# and what those need), copied from the unpacked packages in FROM into
# STAGE/lib/x86_64-linux-gnu
netbed_libs()
{
	nb_stage=$1 nb_from=$2
	shift 2
	nb_lib=$nb_stage/lib/x86_64-linux-gnu
	mkdir -p "$nb_lib"
	nb_todo="$*"
	while [ -n "$nb_todo" ]; do
		nb_added=''
		# shellcheck disable=SC2086
		for nb_so in $(readelf -d $nb_todo | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' | LC_ALL=C sort -u); do
			[ ! -e "$nb_lib/$nb_so" ] || continue
			nb_src=''
			for nb_c in "$nb_from/lib/x86_64-linux-gnu/$nb_so" "$nb_from/usr/lib/x86_64-linux-gnu/$nb_so"; do
				[ -e "$nb_c" ] && nb_src=$nb_c && break
			done
			[ -n "$nb_src" ] || { netbed_say "no library $nb_so in the server's packages"; return 1; }
			cp -L "$nb_src" "$nb_lib/$nb_so" && nb_added="$nb_added $nb_lib/$nb_so"
		done
		nb_todo=$nb_added
	done
	cp -L "$nb_from/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$nb_lib/" || return 1
	mkdir -p "$nb_stage/lib64"
	ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$nb_stage/lib64/ld-linux-x86-64.so.2"
}

# netbed_modules STAGE NAME...: the kernel modules NAMEd and what they
# depend on (.modinfo depends=) into STAGE/lib/modules, and
# STAGE/etc/netbed/modules: their paths there, each after its depends (an
# insmod list: no depmod, no modprobe)
netbed_modules()
{
	nb_stage=$1
	shift
	nb_found='' nb_queue="$*"
	while [ -n "$nb_queue" ]; do
		nb_more=''
		for nb_m in $nb_queue; do
			nb_m=$(echo "$nb_m" | tr - _)
			case " $nb_found " in *" $nb_m:"*) continue ;; esac
			nb_ko=$(find "$kmods/kernel" \( -name "$nb_m.ko" -o -name "$(echo "$nb_m" | tr _ -).ko" \) | head -n 1)
			if [ -z "$nb_ko" ]; then
				grep -q "/$nb_m.ko\$" "$kmods/modules.builtin" ||
					{ netbed_say "no module $nb_m in $kmods"; return 1; }
				nb_found="$nb_found $nb_m:builtin"
				continue
			fi
			nb_deps=$(modinfo -F depends "$nb_ko" | tr , ' ')
			nb_found="$nb_found $nb_m:${nb_ko#"$kmods"/}:$(echo $nb_deps | tr ' ' ,)"
			nb_more="$nb_more $nb_deps"
		done
		nb_queue=$nb_more
	done
	mkdir -p "$nb_stage/etc/netbed"
	# each module once its depends are listed
	# shellcheck disable=SC2086
	printf '%s\n' $nb_found | awk -F: '
		{ n++; name[n] = $1; path[n] = $2; deps[n] = $3 }
		END {
			left = n
			while (left > 0) {
				progress = 0
				for (i = 1; i <= n; i++) {
					if (i in done) continue
					k = split(deps[i], d, ",")
					ready = 1
					for (j = 1; j <= k; j++) if (!(d[j] in listed)) ready = 0
					if (!ready) continue
					done[i] = 1; listed[name[i]] = 1; left--; progress = 1
					if (path[i] != "builtin") print path[i]
				}
				if (!progress) { print "netbed: module dependency loop" > "/dev/stderr"; exit 1 }
			}
		}' > "$nb_stage/etc/netbed/modules" || return 1
	while read -r nb_rel; do
		mkdir -p "$nb_stage/lib/modules/${nb_rel%/*}"
		cp "$kmods/$nb_rel" "$nb_stage/lib/modules/$nb_rel"
	done < "$nb_stage/etc/netbed/modules"
}

# netbed_env: the constants, as the server's (and the check's clients')
# /etc/netbed/env
netbed_env()
{
	set | sed -n 's/^\(NETBED_[A-Z_]*=.*\)$/\1/p' | grep -v '^NETBED_\(PKGS\|BINS\|MODULES\)='
}

# netbed_etc STAGE: the server's configuration
netbed_etc()
{
	nb_e=$1/etc
	mkdir -p "$nb_e/nbd-server" "$nb_e/netbed"
	netbed_env > "$nb_e/netbed/env"
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' '_rpc:x:100:65534::/run/rpcbind:/bin/false' \
		'statd:x:101:65534::/var/lib/nfs:/bin/false' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' \
		> "$nb_e/passwd"
	printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' > "$nb_e/group"
	printf '%s\n' '127.0.0.1 localhost' "$NETBED_IP netbed netbed.$NETBED_DOMAIN" > "$nb_e/hosts"
	printf '%s\n' 'ip 0 IP' 'tcp 6 TCP' 'udp 17 UDP' > "$nb_e/protocols"
	printf '%s\n' 'sunrpc 111/tcp portmapper' 'sunrpc 111/udp portmapper' 'nfs 2049/tcp' \
		'nfs 2049/udp' 'bootps 67/udp' 'bootpc 68/udp' 'nbd 10809/tcp' 'http 80/tcp' > "$nb_e/services"
	printf '%s\n' 'passwd: files' 'group: files' 'hosts: files' 'services: files' \
		'protocols: files' 'rpc: files' > "$nb_e/nsswitch.conf"
	printf '%s\n' 'portmapper 100000 portmap sunrpc' 'nfs 100003 nfsprog' 'mountd 100005 mount' \
		'nlockmgr 100021' 'status 100024' > "$nb_e/rpc"
	cat > "$nb_e/exports" <<-EOF
	$NETBED_NFSROOT *(ro,no_root_squash,no_subtree_check,insecure,fsid=1)
	$NETBED_LTSP *(ro,no_root_squash,no_subtree_check,insecure,fsid=2)
	EOF
	cat > "$nb_e/nbd-server/config" <<-EOF
	[generic]
		port = $NETBED_NBD_PORT
		allowlist = true
	[$NETBED_NBD_ROOT]
		exportname = /srv/nbd/root.ext4
		copyonwrite = true
	[$NETBED_NBD_SQUASH]
		exportname = /srv/nbd/squash.img
		readonly = true
	EOF
	nb_minutes=$(( (NETBED_LEASE + 59) / 60 ))
	cat > "$nb_e/dnsmasq.conf" <<-EOF
	# DHCP only (no DNS: port 0), on the bridge, logged to the console
	port=0
	interface=br0
	user=root
	log-facility=-
	log-dhcp
	dhcp-authoritative
	dhcp-leasefile=/var/lib/misc/dnsmasq.leases
	dhcp-range=$NETBED_DHCP_FIRST,$NETBED_DHCP_LAST,$NETBED_NETMASK,${nb_minutes}m
	dhcp-option=option:router,$NETBED_IP
	dhcp-option=option:dns-server,$NETBED_IP
	domain=$NETBED_DOMAIN
	dhcp-host=$NETBED_MAC_NFS,set:nfs,netbed-nfs
	dhcp-host=$NETBED_MAC_NFSPATH,set:nfspath,netbed-nfspath
	dhcp-host=$NETBED_MAC_LTSP,set:ltsp,netbed-ltsp
	dhcp-host=$NETBED_MAC_NOPATH,netbed-nopath
	dhcp-host=$NETBED_MAC_LAB_NFS:*,set:nfs
	dhcp-host=$NETBED_MAC_LAB_LTSP:*,set:ltsp
	dhcp-option=tag:nfs,option:root-path,"$NETBED_IP:$NETBED_NFSROOT"
	dhcp-option=tag:nfspath,option:root-path,"$NETBED_NFSROOT"
	dhcp-option=tag:ltsp,option:root-path,"$NETBED_IP:$NETBED_LTSP"
	EOF
}

# netbed_squash TREE IMAGE: a squashfs of TREE, the same bytes each time
netbed_squash()
{
	rm -f "$2"
	# SOURCE_DATE_EPOCH: the image's and the files' times
	SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000} \
	mksquashfs "$1" "$2" -noappend -all-root -no-progress -quiet -comp gzip > /dev/null
}

# netbed_content DIR: what the server serves, as DIR/content/ (the server
# copies it into /srv)
netbed_content()
{
	nb_c=$1/content
	nb_t=$1/tree
	rm -rf "$nb_c" "$nb_t"
	mkdir -p "$nb_c/nfsroot" "$nb_c/ltsp/${NETBED_LTSP_IMAGE%/*}" "$nb_c/nbd" "$nb_c/www/cgi-bin" "$nb_t"
	disk_root_tree "$nb_t" none || return 1
	printf '# the test bed'"'"'s network root: nothing to mount from here\n' > "$nb_t/etc/fstab"
	echo nbd-ext4 > "$nb_t/etc/evbox-root-kind"
	disk_mkfs "$nb_c/nbd/root.ext4" 16M "$NETBED_NBD_UUID" "$NETBED_NBD_LABEL" "$nb_t" || return 1
	echo nbd-squashfs > "$nb_t/etc/evbox-root-kind"
	netbed_squash "$nb_t" "$nb_c/nbd/squash.img" || return 1
	echo ltsp-image > "$nb_t/etc/evbox-root-kind"
	netbed_squash "$nb_t" "$nb_c/ltsp/$NETBED_LTSP_IMAGE" || return 1
	echo http-squashfs > "$nb_t/etc/evbox-root-kind"
	netbed_squash "$nb_t" "$nb_c/www/root.squashfs" || return 1
	echo nfs > "$nb_t/etc/evbox-root-kind"
	cp -a "$nb_t/." "$nb_c/nfsroot/"
	rm -rf "$nb_t"
	(
		cd "$nb_c/www" || exit 1
		sha256sum root.squashfs > root.squashfs.sha256
		nb_sum=$(cut -d' ' -f1 root.squashfs.sha256)
		nb_size=$(stat -c %s root.squashfs)
		# one byte changed in the middle, the good one's checksum
		cp root.squashfs bad.squashfs
		printf 'X' | dd of=bad.squashfs bs=1 seek=$((nb_size / 2)) conv=notrunc status=none
		echo "$nb_sum  bad.squashfs" > bad.squashfs.sha256
		# noise (gzip's output looks like it), its own checksum
		gzip -9n < "$bb" | head -c 262144 > notsquash.squashfs
		sha256sum notsquash.squashfs > notsquash.squashfs.sha256
		# announces the whole image, sends half, closes
		cat > cgi-bin/truncated.squashfs <<-EOF
		#!/bin/sh
		printf 'Content-Type: application/octet-stream\r\nContent-Length: $nb_size\r\n\r\n'
		head -c $((nb_size / 2)) /srv/www/root.squashfs
		EOF
		cat > cgi-bin/truncated.squashfs.sha256 <<-EOF
		#!/bin/sh
		printf 'Content-Type: text/plain\r\n\r\n'
		echo '$nb_sum  truncated.squashfs'
		EOF
		chmod 755 cgi-bin/truncated.squashfs cgi-bin/truncated.squashfs.sha256
	)
}

# netbed_cpio DIR OUT: DIR's content as a newc archive (owner 0:0, fixed
# times, sorted names), uncompressed (TCG unpacks it faster than it
# inflates one)
netbed_cpio()
{
	find "$1" -mindepth 1 -exec touch -h -d "@${SOURCE_DATE_EPOCH:-1700000000}" {} +
	(cd "$1" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet) > "$2"
}

netbed_image()	# BUILD
{
	nb_dir=$1/vm/netbed
	mkdir -p "$nb_dir"
	vm_kernel || { netbed_say "no kernel (scripts/vm/kernel.sh $1)"; return 1; }
	# one at a time: two rows that start together share versions.tmp
	{ flock 9; netbed_versions "$nb_dir"; } 9> "$nb_dir/.versions.lock" || return 1
	nb_self=$top/testsuite/vm/netbed.sh
	nb_key=$( { cat "$nb_dir/versions"; echo "kernel $kversion"; } |
		cat - "$nb_self" "$top/testsuite/vm/netbed/server-init" "$top/testsuite/vm/disks.sh" \
			"$top/testsuite/vm/root/init" "$bb" | sha256sum | cut -c1-16)
	netbed_initrd=$nb_dir/server-$nb_key.cpio
	[ ! -s "$netbed_initrd" ] || return 0
	{
		flock 9
		[ ! -s "$netbed_initrd" ] || return 0
		nb_t0=$(date +%s)
		netbed_debs "$nb_dir" || return 1
		nb_x=$nb_dir/unpacked nb_s=$nb_dir/stage
		rm -rf "$nb_x" "$nb_s"
		mkdir -p "$nb_x" "$nb_s"
		netbed_say "unpacking the packages; the server's tree..."
		for nb_f in "$nb_dir"/debs/*.deb; do dpkg -x "$nb_f" "$nb_x" || return 1; done
		for nb_b in $NETBED_BINS; do
			mkdir -p "$nb_s/${nb_b%/*}"
			cp "$nb_x/$nb_b" "$nb_s/$nb_b" || return 1
		done
		# shellcheck disable=SC2046
		netbed_libs "$nb_s" "$nb_x" $(for nb_b in $NETBED_BINS; do echo "$nb_s/$nb_b"; done) || return 1
		mkdir -p "$nb_s/etc" "$nb_s/proc" "$nb_s/sys" "$nb_s/dev" "$nb_s/run" "$nb_s/tmp" "$nb_s/var"
		cp "$nb_x/etc/netconfig" "$nb_s/etc/"
		for nb_a in $("$nb_s/bin/busybox" --list); do
			[ -e "$nb_s/bin/$nb_a" ] || ln -s busybox "$nb_s/bin/$nb_a"
		done
		cp "$top/testsuite/vm/netbed/server-init" "$nb_s/init"
		chmod 755 "$nb_s/init"
		netbed_etc "$nb_s"
		# shellcheck disable=SC2086
		netbed_modules "$nb_s" $NETBED_MODULES || return 1
		rm -rf "$nb_x"
		netbed_say "the served content (ext4 and squashfs images of the root tree)..."
		netbed_content "$nb_dir" || return 1
		mv "$nb_dir/content" "$nb_s/content"
		rm -f "$nb_dir"/server-*.cpio
		netbed_cpio "$nb_s" "$netbed_initrd.tmp" || return 1
		rm -rf "$nb_s"
		mv "$netbed_initrd.tmp" "$netbed_initrd"
		netbed_say "server image $(($(stat -c %s "$netbed_initrd") / 1048576)) MiB in $(($(date +%s) - nb_t0)) s: $netbed_initrd"
	} 9> "$nb_dir/.lock"
}

# ---- the server ---------------------------------------------------------------

netbed_ports()	# N
{
	nb_lock=${TMPDIR:-/tmp}/evbox-netbed-ports
	nb_out=''
	{
		flock 9
		{ read -r nb_next < "$nb_lock.next"; } 2> /dev/null || nb_next=0
		# the ports something listens on (hex, /proc/net/tcp's state 0A)
		nb_used=" $(awk '$4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2> /dev/null | tr '\n' ' ') "
		nb_n=0 nb_tries=0
		while [ "$nb_n" -lt "$1" ] && [ "$nb_tries" -lt 1000 ]; do
			nb_p=$((NETBED_PORT_BASE + nb_next % 1000))
			nb_next=$((nb_next + 1)) nb_tries=$((nb_tries + 1))
			case $nb_used in *" $(printf %04X "$nb_p") "*) continue ;; esac
			nb_out="$nb_out $nb_p" nb_n=$((nb_n + 1))
		done
		echo "$nb_next" > "$nb_lock.next"
	} 9> "$nb_lock.lock"
	[ "$nb_n" -eq "$1" ] || { netbed_say "no $1 free ports from $NETBED_PORT_BASE"; return 1; }
	echo $nb_out
}

# netbed_read DIR SECONDS [ID]: read the server's control port until the
# answer to command ID (netbed-done ID STATUS: prints what came before it,
# returns STATUS), or without ID until netbed-ready (0) or netbed-failed
# (1, printed); 3 when QEMU ended first (the watcher's line), 124 when
# SECONDS passed.  Answers to other commands (late ones) are passed over.
netbed_read()
{
	timeout "$2" sh -c '
		exec 0<> "$1/netbed-ctl.out"
		cr=$(printf "\r")
		while IFS= read -r l; do
			l=${l%"$cr"}
			case $l in
			"netbed-done $2 "*) exit "${l#"netbed-done $2 "}" ;;
			netbed-ready) [ -n "$2" ] || exit 0 ;;
			netbed-failed*) [ -n "$2" ] || { echo "${l#netbed-failed }"; exit 1; } ;;
			netbed-qemu-exited*) echo "QEMU ended (status ${l#netbed-qemu-exited })"; exit 3 ;;
			netbed-done*) ;;
			*) [ -z "$2" ] || printf "%s\n" "$l" ;;
			esac
		done' sh "$1" "${3:-}"
}

# netbed_client_nic PORT MAC
netbed_client_nic()
{
	printf -- '-netdev socket,id=n%s,connect=127.0.0.1:%s -device virtio-net-pci,netdev=n%s,mac=%s' \
		"$1" "$1" "$1" "$2"
}

netbed_start()	# DIR PORT...
{
	nb_d=$1
	shift
	[ $# -ge 1 ] || { netbed_say "netbed_start: no port"; return 2; }
	[ -n "${netbed_initrd:-}" ] && [ -s "$netbed_initrd" ] || netbed_image "$build" || return 1
	mkdir -p "$nb_d"
	rm -f "$nb_d"/netbed-console.in "$nb_d"/netbed-console.out "$nb_d"/netbed-ctl.in "$nb_d"/netbed-ctl.out "$nb_d"/netbed-qemu.pid "$nb_d"/netbed-ctl.seq
	mkfifo "$nb_d/netbed-console.in" "$nb_d/netbed-console.out" "$nb_d/netbed-ctl.in" "$nb_d/netbed-ctl.out"
	nb_nics='' nb_i=0
	for nb_p in "$@"; do
		nb_i=$((nb_i + 1))
		nb_nics="$nb_nics -netdev socket,id=n$nb_i,listen=127.0.0.1:$nb_p"
		nb_nics="$nb_nics -device virtio-net-pci,netdev=n$nb_i,mac=52:54:00:50:ff:$(printf %02x "$nb_i")"
	done
	# the console, \r removed, into netbed.log; it also holds the control
	# port's output open (fd 9) between two netbed_cmd
	timeout "$NETBED_LIFETIME" stdbuf -oL tr -d '\r' 0<> "$nb_d/netbed-console.out" 9<> "$nb_d/netbed-ctl.out" \
		> "$nb_d/netbed.log" 2> /dev/null &
	echo $! > "$nb_d/netbed-drain.pid"
	# QEMU under a watcher that says on the control port when it ended
	nb_t0=$(date +%s)
	(
		# shellcheck disable=SC2086
		timeout "$NETBED_LIFETIME" qemu-system-x86_64 -accel tcg -cpu max -m "$NETBED_MEM" -smp 1 \
			-nodefaults -display none -no-reboot -monitor none \
			-chardev pipe,id=con,path="$nb_d/netbed-console" -serial chardev:con \
			-chardev pipe,id=ctl,path="$nb_d/netbed-ctl" -serial chardev:ctl \
			-kernel "$kimage" -initrd "$netbed_initrd" \
			-append "console=ttyS0 printk.time=1 panic=-1 loglevel=4 rdinit=/init" \
			$nb_nics ${NETBED_QEMU_FLAGS:-} > "$nb_d/netbed-qemu.log" 2>&1 < /dev/null &
		echo $! > "$nb_d/netbed-qemu.pid"
		nb_q=0
		wait $! || nb_q=$?
		printf 'netbed-qemu-exited %s\n' "$nb_q" 1<> "$nb_d/netbed-ctl.out"
	) > /dev/null 2>&1 < /dev/null &
	echo $! > "$nb_d/netbed-watch.pid"
	netbed_say "booting the server VM (TCG; NICs on 127.0.0.1:$(echo "$@" | tr ' ' ,); up to NETBED_BOOT_TIMEOUT=$NETBED_BOOT_TIMEOUT s)..."
	# (set -e callers: the bench)
	nb_rc=0
	nb_why=$(netbed_read "$nb_d" "$NETBED_BOOT_TIMEOUT") || nb_rc=$?
	{ read -r netbed_pid < "$nb_d/netbed-qemu.pid"; } 2> /dev/null || netbed_pid=''
	case $nb_rc in
	0)	netbed_say "server up in $(($(date +%s) - nb_t0)) s ($(sed -n 's/^netbed: services up in \([^ ]*\) s (kernel uptime \([^ ]*\) s)$/its init took \1 s, kernel uptime \2 s/p' "$nb_d/netbed.log"))"
		return 0 ;;
	124) netbed_say "the server VM did not say it was ready within NETBED_BOOT_TIMEOUT=$NETBED_BOOT_TIMEOUT s; console: $nb_d/netbed.log" ;;
	3)	netbed_say "the server VM's $nb_why: $(tail -n 3 "$nb_d/netbed-qemu.log" | tr '\n' ' ')" ;;
	*)	netbed_say "the server VM failed: $nb_why; console: $nb_d/netbed.log" ;;
	esac
	tail -n 15 "$nb_d/netbed.log" | sed 's/^/  | /' >&2
	return 1
}

netbed_cmd()	# DIR CMD [ARGS...]
{
	nb_d=$1
	shift
	{ read -r nb_seq < "$nb_d/netbed-ctl.seq"; } 2> /dev/null || nb_seq=0
	nb_seq=$((nb_seq + 1))
	echo "$nb_seq" > "$nb_d/netbed-ctl.seq"
	printf '%s %s\n' "$nb_seq" "$*" 1<> "$nb_d/netbed-ctl.in"
	nb_rc=0
	netbed_read "$nb_d" "$NETBED_CMD_TIMEOUT" "$nb_seq" || nb_rc=$?
	[ "$nb_rc" != 124 ] || netbed_say "netbed_cmd $*: no answer within NETBED_CMD_TIMEOUT=$NETBED_CMD_TIMEOUT s"
	return "$nb_rc"
}

netbed_stop()	# DIR
{
	for nb_f in qemu watch drain; do
		nb_p=''
		{ read -r nb_p < "$1/netbed-$nb_f.pid"; } 2> /dev/null || continue
		rm -f "$1/netbed-$nb_f.pid"
		# the watcher ends with QEMU; the drain and QEMU are killed
		[ "$nb_f" = watch ] || kill "$nb_p" 2> /dev/null || true
		wait "$nb_p" 2> /dev/null || true
	done
	netbed_pid=''
	return 0
}

# ---- standalone -------------------------------------------------------------
case ${0##*/} in
netbed.sh)
	set -u
	[ $# -eq 2 ] || { echo "usage: $0 BUILD make|check" >&2; exit 2; }
	[ -d "$1" ] || { echo "netbed.sh: no build directory $1" >&2; exit 2; }
	build=$(cd "$1" && pwd)
	bb=${bb:-$build/busybox}
	[ -x "$bb" ] || { echo "netbed.sh: no $bb (make first)" >&2; exit 2; }
	export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
	. "$top/scripts/vm/vmlib.sh"
	case $2 in
	make) netbed_image "$build" && echo "$netbed_initrd" ;;
	check) . "$top/testsuite/vm/netbed/check.sh" && netbed_check ;;
	*) echo "usage: $0 BUILD make|check" >&2; exit 2 ;;
	esac
	;;
esac
