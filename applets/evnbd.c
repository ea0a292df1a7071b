/* vi: set sw=4 ts=4: */
/*
 * evnbd: the NBD root's client.  Reads root=nbd:, netroot=nbd: or
 * nbdroot= (lib/evnbdproto.c), connects once the network is up (the job
 * starts on net-device-up), does the newstyle handshake and hands the
 * socket to the kernel's nbd driver through its generic-netlink family
 * ("nbd"), then stays: through the switch as @evnbd (a keep job), to put
 * a new socket under the same device when the connection is lost.
 *
 * Why netlink and not NBD_SET_SOCK/NBD_DO_IT: with the ioctls the kernel
 * (drivers/block/nbd.c, 4.12 to 6.x) has no dead_conn_timeout (it is set
 * by NBD_ATTR_DEAD_CONN_TIMEOUT only), so a request on a dead socket fails
 * at once (find_fallback, wait_for_reconnect), NBD_DO_IT returns when the
 * receive thread ends and nbd_bdev_reset() drops the size when no one else
 * holds the device; a new NBD_SET_SOCK is refused while the device is
 * set up (nbd->pid, task_setup) and the mounted root holds it: a lost
 * connection is the end of the root.  With NBD_CMD_CONNECT the device
 * holds its I/O for dead_conn_timeout seconds and multicasts
 * NBD_CMD_LINK_DEAD (nbd_mark_nsock_dead), and NBD_CMD_RECONFIGURE with a
 * new socket (nbd_reconnect_socket) lets the queued I/O go on.  Every nbd
 * driver since 4.12 has the family, so there is no ioctl fallback.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVNBD
//config:	bool "evnbd (NBD root client that reconnects, ~20 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	select EVNBDPROTO
//config:	help
//config:	Connects the NBD root of root=nbd:SERVER:PORT[/EXPORT][:FSTYPE
//config:	[:MOUNTOPTS[:NBDOPTS]]], netroot=nbd:... or nbdroot=SERVER,PORT|
//config:	EXPORT[,nbdN] to /dev/nbdN (newstyle handshake, named exports),
//config:	and stays through the switch to reconnect when the connection is
//config:	lost.  rd.nbd.timeout=, rd.nbd.retry=, rd.nbd.dead=.
//config:
//config:config EVNBD_TIMEOUT
//config:	int "Seconds a connection and its handshake may take"
//config:	default 10
//config:	range 1 3600
//config:	depends on EVNBD
//config:	help
//config:	A server that does not answer within this is given up on (and
//config:	tried again).  rd.nbd.timeout= overrides it.
//config:
//config:config EVNBD_RETRY
//config:	int "Longest wait between two tries, in seconds"
//config:	default 30
//config:	range 1 3600
//config:	depends on EVNBD
//config:	help
//config:	Tries are spaced by a jittered exponential backoff (0.5 s, 1 s,
//config:	2 s, ... each a random point in its upper half, so that a lab of
//config:	clients does not retry in lockstep) up to this.  rd.nbd.retry=
//config:	overrides it.
//config:
//config:config EVNBD_DEAD
//config:	int "Seconds the kernel holds I/O while the connection is down"
//config:	default 300
//config:	range 1 3600
//config:	depends on EVNBD
//config:	help
//config:	The device's dead_conn_timeout: I/O waits this long for a new
//config:	connection before it fails.  rd.nbd.dead= overrides it.
//config:
//config:config EVNBD_IO_TIMEOUT
//config:	int "Seconds a request may go unanswered"
//config:	default 30
//config:	range 1 3600
//config:	depends on EVNBD
//config:	help
//config:	After this the kernel counts the connection as lost (and evnbd
//config:	reconnects).  NBDOPTS timeout= overrides it.

//applet:IF_EVNBD(APPLET(evnbd, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVNBD) += evnbd.o

//usage:#define evnbd_trivial_usage
//usage:       "[connect [-t SEC] SERVER PORT EXPORT [/dev/nbdN] | info [-t SEC] SERVER PORT [EXPORT]\n"
//usage:       "	| parse | disconnect /dev/nbdN]"
//usage:#define evnbd_full_usage "\n\n"
//usage:       "Connect the NBD root (the job nbd: root=nbd:, netroot=nbd:, nbdroot=)\n"
//usage:     "\n	connect		Attach EXPORT to /dev/nbdN (nbd0) and stay, to reconnect"
//usage:     "\n	info		Export's size and flags; without EXPORT, the exports"
//usage:     "\n	parse		What the command line asks for"
//usage:     "\n	disconnect	Detach /dev/nbdN"
//usage:     "\n	-t SEC		Deadline of a connection and handshake"

#include "libbb.h"
#include "../lib/evnbdproto.h"
#include "../lib/evloop.h"
#include "../lib/evmod.h"
#include "../lib/evpath.h"
#include "../lib/evcmdline.h"
#include "../lib/evnames.h"
#include "../toollib/evclient.h"
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/nbd.h>
#include <linux/nbd-netlink.h>
#include <netinet/tcp.h>
#include <sys/random.h>
#include <sys/utsname.h>

enum { S_NET, S_CONNECTING, S_UP, S_LOST };

struct globals {
	ev_nbd_spec_t spec;
	ev_nbd_info_t info;
	uint64_t size;			/* of the first connection */
	int index;			/* N of /dev/nbdN */
	int state;
	int alone;			/* evnbd connect: no bus */
	int switched;			/* the bus closed: after the switch */
	unsigned tries;			/* since the last success */
	unsigned timeout, retry, dead, io_timeout;	/* seconds */
	ev_ms_t lost_at;
	int family;			/* the nbd genl family's id */
	unsigned mcgrp;
	int nl;				/* requests */
	uint32_t seq;
	ev_fd_t mc;			/* NBD_CMD_LINK_DEAD */
	ev_timer_t next;
	char name[16];			/* nbd0 */
	char where[600];		/* SERVER:PORT (export X) */
};
#define G (*ptr_to_globals)
#define INIT_G() do { SET_PTR_TO_GLOBALS(xzalloc(sizeof(G))); } while (0)

#define say(...)  ev_client_say(0, __VA_ARGS__)
#define warn(...) ev_client_say(1, __VA_ARGS__)

/* ---- generic netlink (no libnl) ---- */

typedef struct nlreq {
	struct nlmsghdr n;
	struct genlmsghdr g;
	char attrs[1024];
} nlreq_t;

static struct nlattr *put_attr(nlreq_t *r, unsigned type, const void *data, unsigned len)
{
	struct nlattr *a = (void *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}
static void put_u32(nlreq_t *r, unsigned type, uint32_t v) { put_attr(r, type, &v, 4); }
static void put_u64(nlreq_t *r, unsigned type, uint64_t v) { put_attr(r, type, &v, 8); }
static void nest_end(nlreq_t *r, struct nlattr *a)
{
	a->nla_len = (char *)r + r->n.nlmsg_len - (char *)a;
}

static void req_init(nlreq_t *r, int family, unsigned cmd)
{
	memset(r, 0, sizeof(r->n) + sizeof(r->g));
	r->n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->n.nlmsg_type = family;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->n.nlmsg_seq = ++G.seq;
	r->g.cmd = cmd;
	r->g.version = family == GENL_ID_CTRL ? 1 : NBD_GENL_VERSION;
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Walk the attributes [P, P+LEN): each to CB. */
static void attrs(const void *p, int len, void (*cb)(const struct nlattr *a, void *ctx), void *ctx)
{
	const struct nlattr *a = p;

	while (len >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		cb(a, ctx);
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}
#define ADATA(a) ((const char *)(a) + NLA_HDRLEN)
#define ALEN(a)  ((int)(a)->nla_len - NLA_HDRLEN)

/* Send R, read the answers (each reply's attributes to CB) up to the
 * ack, by the deadline.  0 or -errno. */
static int transact(nlreq_t *r, void (*cb)(const struct nlattr *a, void *ctx), void *ctx)
{
	ev_ms_t deadline = ev_now() + G.timeout * 1000;
	char buf[8192];

	if (send(G.nl, r, r->n.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		struct pollfd pfd = { .fd = G.nl, .events = POLLIN };
		struct sockaddr_nl from;
		socklen_t flen = sizeof(from);
		struct nlmsghdr *h;
		ev_ms_t now = ev_now();
		int n;

		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, deadline - now) <= 0)
			continue;
		n = recvfrom(G.nl, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n <= 0 || from.nl_pid != 0)
			continue;
		for (h = (void *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->n.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) ? e->error : -EPROTO;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb && h->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN))
				attrs((char *)NLMSG_DATA(h) + GENL_HDRLEN,
						h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), cb, ctx);
		}
	}
}

static void FAST_FUNC grp_attr(const struct nlattr *a, void *ctx)
{
	unsigned *id = ctx;

	if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID && ALEN(a) >= 4)
		id[1] = *(uint32_t *)ADATA(a);
	else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME
			&& strncmp(ADATA(a), NBD_GENL_MCAST_GROUP_NAME, ALEN(a)) == 0)
		id[0] = 1;
}
static void grp_each(const struct nlattr *a, void *ctx UNUSED_PARAM)
{
	unsigned id[2] = { 0, 0 };

	attrs(ADATA(a), ALEN(a), (void *)grp_attr, id);
	if (id[0])
		G.mcgrp = id[1];
}
static void family_attr(const struct nlattr *a, void *ctx UNUSED_PARAM)
{
	if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID && ALEN(a) >= 2)
		G.family = *(uint16_t *)ADATA(a);
	else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS)
		attrs(ADATA(a), ALEN(a), grp_each, NULL);
}

/* The nbd module, when it is not there yet (in a child: it may read). */
static void load_nbd(void)
{
	struct utsname u;
	char dir[PATH_MAX];
	pid_t pid;

	if (access("/sys/module/nbd", F_OK) == 0)
		return;
	uname(&u);
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	pid = fork();
	if (pid == 0)
		_exit(ev_mod_child(dir, "nbd", 0));
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* The family's id and multicast group; LINK_DEAD watched when WATCH.
 * 0, or -1 (said). */
static int family(int watch)
{
	nlreq_t r;
	int err;

	if (G.family)
		return 0;
	if (G.nl < 0)
		G.nl = nl_open();
	if (G.nl < 0) {
		warn("netlink: %s", strerror(errno));
		return -1;
	}
	load_nbd();
	req_init(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, NBD_GENL_FAMILY_NAME, sizeof(NBD_GENL_FAMILY_NAME));
	err = transact(&r, (void *)family_attr, NULL);
	if (err || !G.family) {
		G.family = 0;
		warn("the kernel has no nbd driver (its netlink family \"nbd\": %s; is the nbd module in the image?)",
				strerror(err ? -err : ENOENT));
		return -1;
	}
	if (watch && G.mcgrp) {
		G.mc.fd = nl_open();
		if (G.mc.fd < 0 || setsockopt(G.mc.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				&G.mcgrp, sizeof(G.mcgrp)) < 0) {
			warn("cannot follow the nbd driver's lost connections (%s): no reconnection",
					strerror(errno));
			if (G.mc.fd >= 0)
				close(G.mc.fd);
			G.mc.fd = -1;
		}
	} else if (watch) {
		warn("the nbd driver has no multicast group %s: no reconnection", NBD_GENL_MCAST_GROUP_NAME);
		G.mc.fd = -1;
	}
	return 0;
}

static void FAST_FUNC index_attr(const struct nlattr *a, void *ctx)
{
	if ((a->nla_type & NLA_TYPE_MASK) == NBD_ATTR_INDEX && ALEN(a) >= 4)
		*(int *)ctx = *(uint32_t *)ADATA(a);
}

/* What the device's backend says: SERVER:PORT/EXPORT */
static void backend(char *buf, unsigned size)
{
	snprintf(buf, size, "%.256s:%s/%.256s", G.spec.server, G.spec.port, G.spec.export);
}

/* The socket FD to the kernel: a new device (CONNECT) or a new socket
 * under it (RECONFIGURE).  0 or -errno. */
static int attach(int fd, int reconfigure)
{
	nlreq_t r;
	struct nlattr *socks, *item;
	char id[600];
	unsigned bs = G.spec.bs;
	int got = -1, err;

	if (!bs) {	/* the server's preferred size, when the kernel takes it */
		bs = G.info.bs_pref;
		if (bs < 512 || bs > 4096 || (bs & (bs - 1)) || bs < G.info.bs_min)
			bs = 512;
	}
	backend(id, sizeof(id));
	req_init(&r, G.family, reconfigure ? NBD_CMD_RECONFIGURE : NBD_CMD_CONNECT);
	put_u32(&r, NBD_ATTR_INDEX, G.index);
	if (!reconfigure) {
		put_u64(&r, NBD_ATTR_SIZE_BYTES, G.info.size);
		put_u64(&r, NBD_ATTR_BLOCK_SIZE_BYTES, bs);
		put_u64(&r, NBD_ATTR_SERVER_FLAGS, G.info.flags);
		put_u64(&r, NBD_ATTR_CLIENT_FLAGS, 0);	/* stays when we go */
		put_u64(&r, NBD_ATTR_TIMEOUT, G.io_timeout);
		put_u64(&r, NBD_ATTR_DEAD_CONN_TIMEOUT, G.dead);
	}
	put_attr(&r, NBD_ATTR_BACKEND_IDENTIFIER, id, strlen(id) + 1);
	socks = put_attr(&r, NBD_ATTR_SOCKETS | NLA_F_NESTED, NULL, 0);
	item = put_attr(&r, NBD_SOCK_ITEM | NLA_F_NESTED, NULL, 0);
	put_u32(&r, NBD_SOCK_FD, fd);
	nest_end(&r, item);
	nest_end(&r, socks);
	err = transact(&r, index_attr, &got);
	if (!err && !reconfigure && got >= 0 && got != G.index)
		return -EXDEV;
	return err;
}

/* ---- one connection ---- */

/* Dial and handshake; the socket (blocking, keepalive), or -1 with WHY. */
static int connect_once(char *why, unsigned whylen)
{
	ev_ms_t deadline = ev_now() + G.timeout * 1000;
	char msg[512];
	int fd, r, one = 1, idle = 10, intvl = 5, cnt = 3;

	fd = r = ev_nbd_dial(G.spec.server, G.spec.port, deadline, msg, sizeof(msg));
	if (fd >= 0) {
		r = ev_nbd_greet(fd, deadline, &G.info, msg, sizeof(msg));
		if (!r)
			r = ev_nbd_go(fd, G.spec.export, deadline, &G.info, msg, sizeof(msg));
	}
	if (r < 0) {
		snprintf(why, whylen, "%.300s: %.400s", G.where, msg);
		if (r == -2)
			snprintf(why + strlen(why), whylen - strlen(why), " (%u s, rd.nbd.timeout=)", G.timeout);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (G.info.size == 0 || G.info.size > ((uint64_t)1 << 62)) {
		snprintf(why, whylen, "%s: the server says its size is %llu bytes", G.where,
				(unsigned long long)G.info.size);
		close(fd);
		return -1;
	}
	/* the kernel's socket from now on: blocking, and a dead peer found
	 * even while no I/O goes (keepalive) */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	return fd;
}

/* Is the device connected to our server and export (its backend)? */
static int ours(void)
{
	char path[64], buf[sizeof(G.where)], want[sizeof(G.where)];
	int n;

	snprintf(path, sizeof(path), "/sys/block/nbd%d/backend", G.index);
	n = open_read_close(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	*strchrnul(buf, '\n') = '\0';
	backend(want, sizeof(want));
	return strcmp(buf, want) == 0;
}

/* Milliseconds before try N (0, 1, ...): a random point in the upper
 * half of min(retry, 0.5 s * 2^N). */
static unsigned backoff(unsigned n)
{
	unsigned long long cap = G.retry * 1000ULL, base = 500ULL << (n > 20 ? 20 : n);
	uint32_t rnd;

	if (base > cap)
		base = cap;
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = getpid() ^ (uint32_t)ev_now() * 2654435761u;
	return base / 2 + rnd % (base / 2 + 1);
}

#define tell_wanted(...) ev_client_wanted(EV_NBD_WANTED, G.spec.dev, __VA_ARGS__)

static void connected(void)
{
	char kv[8][320], flags[160];

	say("%s: connected to %s: %llu bytes (%llu MiB), %s, flags %s", G.name, G.where,
			(unsigned long long)G.info.size, (unsigned long long)(G.info.size >> 20),
			G.info.flags & NBD_FLAG_READ_ONLY ? "read-only" : "read-write",
			ev_nbd_flags_str(G.info.flags, flags, sizeof(flags)));
	snprintf(kv[0], sizeof(kv[0]), "NAME=%s", G.spec.dev);
	snprintf(kv[1], sizeof(kv[1]), "DEVNAME=%s", G.spec.dev);
	snprintf(kv[2], sizeof(kv[2]), "SERVER=%s", G.spec.server);
	snprintf(kv[3], sizeof(kv[3]), "PORT=%s", G.spec.port);
	snprintf(kv[4], sizeof(kv[4]), "EXPORT=%s", G.spec.export);
	snprintf(kv[5], sizeof(kv[5]), "SIZE=%llu", (unsigned long long)G.info.size);
	snprintf(kv[6], sizeof(kv[6]), "FSTYPE=%s", G.spec.fstype);
	snprintf(kv[7], sizeof(kv[7]), "MOUNTOPTS=%s", G.spec.mountopts);
	ev_client_emit(EV_NBD_CONNECTED, kv[0], kv[1], kv[2], kv[3], kv[4], kv[5], kv[6], kv[7], NULL);
}

static void FAST_FUNC try_now(ev_timer_t *t UNUSED_PARAM)
{
	char why[800];
	unsigned ms;
	int fd = connect_once(why, sizeof(why)), err = 0;

	if (fd >= 0 && G.state == S_LOST && G.info.size != G.size) {
		snprintf(why, sizeof(why), "%s: now has %llu bytes, not %llu: refused (another image?)",
				G.where, (unsigned long long)G.info.size, (unsigned long long)G.size);
		close(fd);
		fd = -1;
	}
	if (fd >= 0 && ev_testing()) {	/* evinit's test mode: no kernel device */
		say("%s: would attach %s: %llu bytes, server flags 0x%x, I/O timeout %u s, dead_conn_timeout %u s",
				G.name, G.where, (unsigned long long)G.info.size, G.info.flags, G.io_timeout, G.dead);
		ev_nbd_disc(fd);
		close(fd);
	} else if (fd >= 0) {
		err = attach(fd, G.state == S_LOST);
		close(fd);	/* the kernel holds its own reference */
		if (err == -EBUSY && G.state == S_CONNECTING && ours()) {
			/* a previous evnbd's (a respawn): ours to watch */
			say("%s: already connected to %s: watched from now on", G.name, G.where);
			err = 0;
		}
		if (err) {
			snprintf(why, sizeof(why), "%s: the nbd driver refused %s: %s", G.where,
					G.spec.dev, err == -EBUSY ? "the device is in use"
					: err == -EXDEV ? "it gave another device" : strerror(-err));
		}
	}
	if (fd < 0 || err) {
		if (G.alone && G.state == S_CONNECTING)
			bb_error_msg_and_die("%s", why);
		ms = backoff(G.tries++);
		warn("%s: %s: trying again in %u.%u s (rd.nbd.retry=%u)", G.name, why, ms / 1000,
				ms % 1000 / 100, G.retry);
		if (!G.switched)
			tell_wanted("%s", why);
		ev_timer_in(&G.next, ms);
		return;
	}
	G.tries = 0;
	if (G.state == S_LOST) {
		ev_ms_t s = (ev_now() - G.lost_at + 500) / 1000;

		say("%s: reconnected to %s after %llu s", G.name, G.where, (unsigned long long)s);
	} else {
		G.size = G.info.size;
		connected();
	}
	G.state = S_UP;
}

/* NBD_CMD_LINK_DEAD from the driver: our device's connection is gone */
static void FAST_FUNC link_dead(ev_fd_t *w, short revents UNUSED_PARAM)
{
	char buf[4096];
	struct sockaddr_nl from;
	socklen_t flen = sizeof(from);
	struct nlmsghdr *h;
	int n = recvfrom(w->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);

	if (n <= 0 || from.nl_pid != 0)
		return;
	for (h = (void *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
		struct genlmsghdr *g = NLMSG_DATA(h);
		int idx = -1;

		if (h->nlmsg_type != G.family || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)
		 || g->cmd != NBD_CMD_LINK_DEAD)
			continue;
		attrs((char *)g + GENL_HDRLEN, h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN),
				(void *)index_attr, &idx);
		if (idx != G.index || G.state != S_UP)
			continue;
		G.state = S_LOST;
		G.lost_at = ev_now();
		say("%s: connection to %s lost: reconnecting (I/O waits up to %u s, rd.nbd.dead=)",
				G.name, G.where, G.dead);
		ev_timer_in(&G.next, backoff(0));
	}
}

/* ---- the job ---- */

static int spec_from_cmdline(char *why, unsigned whylen)
{
	const char *root = ev_cmdline.root, *v;
	int i;

	if (root && is_prefixed_with(root, "nbd:"))
		return ev_nbd_parse_dracut("root=", root, &G.spec, why, whylen);
	v = ev_cmdline_get("netroot");
	if (v && is_prefixed_with(v, "nbd:"))
		return ev_nbd_parse_dracut("netroot=", v, &G.spec, why, whylen);
	v = ev_cmdline_get("nbdroot");
	if (!v)
		return 1;
	if (ev_nbd_parse_nbdroot(v, &G.spec, why, whylen) < 0)
		return -1;
	/* root=/dev/nbdN[pM] names the device when nbdroot= does not */
	if (!strchr(v, ',') || !strchr(strchr(v, ',') + 1, ',')) {
		if (root && is_prefixed_with(root, "/dev/nbd")) {
			char dev[32];

			safe_strncpy(dev, root, sizeof(dev));
			for (i = 8; isdigit((unsigned char)dev[i]); i++)
				continue;
			dev[i] = '\0';
			if (ev_nbd_dev_index(dev) >= 0)
				strcpy(G.spec.dev, dev);
		}
	}
	if (ev_cmdline.rootfstype)
		safe_strncpy(G.spec.fstype, ev_cmdline.rootfstype, sizeof(G.spec.fstype));
	if (ev_cmdline.rootflags)
		safe_strncpy(G.spec.mountopts, ev_cmdline.rootflags, sizeof(G.spec.mountopts));
	return 0;
}

static void read_params(void)
{
	char *text = ev_cmdline_read();

	if (!text)
		bb_die_memory_exhausted();
	ev_cmdline_parse(text);		/* kept: ev_cmdline points into it */
	G.timeout = ev_cmdline_secs("rd.nbd.timeout", CONFIG_EVNBD_TIMEOUT);
	G.retry = ev_cmdline_secs("rd.nbd.retry", CONFIG_EVNBD_RETRY);
	G.dead = ev_cmdline_secs("rd.nbd.dead", CONFIG_EVNBD_DEAD);
}

static void set_names(void)
{
	G.index = ev_nbd_dev_index(G.spec.dev);
	snprintf(G.name, sizeof(G.name), "%s", G.spec.dev + 5);
	snprintf(G.where, sizeof(G.where), "%s%s%s:%s (%s%s%s)",
			strchr(G.spec.server, ':') ? "[" : "", G.spec.server[0] ? G.spec.server : "(DHCP's server)",
			strchr(G.spec.server, ':') ? "]" : "", G.spec.port,
			G.spec.export[0] ? "export \"" : "the default export",
			G.spec.export, G.spec.export[0] ? "\"" : "");
	G.io_timeout = G.spec.timeout ? G.spec.timeout : CONFIG_EVNBD_IO_TIMEOUT;
	if (G.spec.ignored[0])
		say("%s: nbd-client options not used: %s", G.spec.from, G.spec.ignored);
}

/* Start: the family found, the multicast watched, the first try. */
static int start(void)
{
	if (!ev_testing() && family(1) < 0)
		return -1;
	if (G.mc.fd >= 0) {
		G.mc.events = POLLIN;
		G.mc.cb = link_dead;
		ev_fd_add(&G.mc);
	}
	G.state = S_CONNECTING;
	say("%s: connecting to %s", G.name, G.where);
	try_now(NULL);
	return 0;
}

static void FAST_FUNC bus_event(char **ev)
{
	const char *server;

	if (!ev) {	/* the switch */
		G.switched = 1;
		if (G.state == S_UP || G.state == S_LOST) {
			say("%s: stays after the switch (@evnbd), to reconnect to %s", G.name, G.where);
			if (!ev_testing())
				return;
		}
		exit(EXIT_SUCCESS);
	}
	if (strcmp(ev[0], EV_NET_UP) != 0 || G.state != S_NET)
		return;
	server = ev_event_get(ev, "SERVER");
	if (!G.spec.server[0]) {
		if (!server || !*server) {
			warn("%s: %s names no server and %s on %s brought none", G.name, G.spec.from,
					EV_NET_UP, ev_event_get(ev, "INTERFACE") ? : "?");
			tell_wanted("%s names no server; DHCP gave none (net-device-up SERVER=)", G.spec.from);
			return;
		}
		safe_strncpy(G.spec.server, server, sizeof(G.spec.server));
		set_names();
	}
	if (start() < 0) {
		tell_wanted("%s: the kernel has no nbd driver", G.spec.dev);
		exit(EXIT_FAILURE);
	}
}

static int daemon_main(void)
{
	char why[600];
	sigset_t set;
	int r, err;

	ev_root_from_env();
	read_params();
	ev_client_quiet(ev_cmdline.quiet);
	sigemptyset(&set);
	err = ev_signals(&set, NULL);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	ev_client_join(EV_NET_UP "\0", bus_event, "evnbd connect SERVER PORT EXPORT");
	r = spec_from_cmdline(why, sizeof(why));
	if (r > 0)	/* the job starts on every network boot: nothing to say */
		return EXIT_SUCCESS;
	if (r < 0) {
		warn("%s", why);
		ev_client_emit(EV_NBD_WANTED, "NAME=/dev/nbd0", xasprintf("WANTED=%s", why), NULL);
		return EXIT_FAILURE;
	}
	set_names();
	if (G.index < 0)
		bb_error_msg_and_die("%s is not a device /dev/nbdN", G.spec.dev);
	tell_wanted("%s: not connected yet (waiting for the network: %s)", G.where, EV_NET_UP);
	return ev_run();
}

/* ---- standalone ---- */

static void spec_args(char **argv)
{
	ev_nbd_spec_t *s = &G.spec;

	memset(s, 0, sizeof(*s));
	strcpy(s->from, "evnbd");
	safe_strncpy(s->server, argv[0], sizeof(s->server));
	safe_strncpy(s->port, argv[1], sizeof(s->port));
	if (argv[2])
		safe_strncpy(s->export, argv[2], sizeof(s->export));
	safe_strncpy(s->dev, argv[2] && argv[3] ? argv[3] : "/dev/nbd0", sizeof(s->dev));
	set_names();
}

static int connect_main(char **argv)
{
	sigset_t set;

	spec_args(argv);
	if (G.index < 0)
		bb_error_msg_and_die("%s is not a device /dev/nbdN", G.spec.dev);
	G.alone = 1;
	sigemptyset(&set);
	ev_signals(&set, NULL);
	if (start() < 0)
		return EXIT_FAILURE;
	return ev_run();
}

static void FAST_FUNC print_export(const char *name, void *ctx UNUSED_PARAM)
{
	printf("export %s\n", name[0] ? name : "(the default)");
}

static int info_main(char **argv)
{
	char why[600], flags[160];
	ev_ms_t deadline = ev_now() + G.timeout * 1000;
	int fd, r;

	spec_args(argv);
	fd = r = ev_nbd_dial(G.spec.server, G.spec.port, deadline, why, sizeof(why));
	if (fd >= 0)
		r = ev_nbd_greet(fd, deadline, &G.info, why, sizeof(why));
	if (!r && argv[2])
		r = ev_nbd_go(fd, argv[2], deadline, &G.info, why, sizeof(why));
	else if (!r)
		r = ev_nbd_list(fd, deadline, print_export, NULL, why, sizeof(why));
	if (r < 0) {
		if (argv[2])
			bb_error_msg_and_die("%s: %s%s", G.where, why, r == -2 ? xasprintf(" (%u s, -t)", G.timeout) : "");
		/* no export named: say the server, not "(the default)" */
		*strstr(G.where, " (") = '\0';
		bb_error_msg_and_die("%s: %s%s", G.where, why, r == -2 ? xasprintf(" (%u s, -t)", G.timeout) : "");
	}
	if (argv[2]) {
		printf("size %llu\nflags %s\n", (unsigned long long)G.info.size,
				ev_nbd_flags_str(G.info.flags, flags, sizeof(flags)));
		if (G.info.bs_pref)
			printf("block-size %u %u %u\n", G.info.bs_min, G.info.bs_pref, G.info.bs_max);
	}
	if (argv[2])
		ev_nbd_disc(fd);
	else
		ev_nbd_abort(fd);
	close(fd);
	return EXIT_SUCCESS;
}

static int parse_main(void)
{
	char why[600];
	int r;

	ev_root_from_env();
	read_params();
	r = spec_from_cmdline(why, sizeof(why));
	if (r > 0)
		bb_simple_error_msg_and_die("no NBD root on the command line (root=nbd:, netroot=nbd:, nbdroot=)");
	if (r < 0)
		bb_simple_error_msg_and_die(why);
	printf("from %s\nserver %s\nport %s\nexport %s\ndevice %s\nfstype %s\nmountopts %s\n",
			G.spec.from, G.spec.server[0] ? G.spec.server : "(the DHCP server)", G.spec.port,
			G.spec.export, G.spec.dev, G.spec.fstype, G.spec.mountopts);
	if (G.spec.bs)
		printf("bs %u\n", G.spec.bs);
	if (G.spec.timeout)
		printf("timeout %u\n", G.spec.timeout);
	if (G.spec.ignored[0])
		printf("ignored %s\n", G.spec.ignored);
	return EXIT_SUCCESS;
}

/* evnbd disconnect /dev/nbdN: the driver lets go, the evnbd that holds
 * it (the device's pid) ends */
static int disconnect_main(const char *dev)
{
	char path[64], buf[64];
	nlreq_t r;
	int idx = ev_nbd_dev_index(dev), err;
	pid_t pid = 0;

	if (idx < 0)
		bb_error_msg_and_die("%s is not a device /dev/nbdN", dev);
	snprintf(path, sizeof(path), "/sys/block/nbd%d/pid", idx);
	if (open_read_close(path, buf, sizeof(buf) - 1) > 0)
		pid = bb_strtou(buf, NULL, 10);
	if (family(0) < 0)
		return EXIT_FAILURE;
	req_init(&r, G.family, NBD_CMD_DISCONNECT);
	put_u32(&r, NBD_ATTR_INDEX, idx);
	err = transact(&r, NULL, NULL);
	if (err)
		bb_error_msg_and_die("%s: %s", dev, strerror(-err));
	if (pid > 0) {
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
		if (open_read_close(path, buf, sizeof(buf) - 1) > 0 && (buf[sizeof(buf) - 1] = '\0',
				strcmp(bb_basename(buf), "evnbd") == 0 || strcmp(buf, "@evnbd") == 0))
			kill(pid, SIGTERM);
	}
	printf("%s disconnected\n", dev);
	return EXIT_SUCCESS;
}

int evnbd_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evnbd_main(int argc UNUSED_PARAM, char **argv)
{
	static const char cmds[] ALIGN1 = "connect\0" "info\0" "parse\0" "disconnect\0";
	int cmd, n;

	/* as a keep job it runs as "@evnbd" (evkeep): its messages say evnbd */
	applet_name = "evnbd";
	INIT_G();
	G.nl = -1;
	G.mc.fd = -1;
	G.next.cb = try_now;
	G.timeout = CONFIG_EVNBD_TIMEOUT;
	G.retry = CONFIG_EVNBD_RETRY;
	G.dead = CONFIG_EVNBD_DEAD;
	if (!argv[1])
		return daemon_main();
	cmd = index_in_strings(cmds, argv[1]);
	argv += 2;
	if ((cmd == 0 || cmd == 1) && argv[0] && strcmp(argv[0], "-t") == 0 && argv[1]) {
		G.timeout = xatou_range(argv[1], 1, 3600);
		argv += 2;
	}
	for (n = 0; argv[n]; n++)
		continue;
	if (cmd < 0 || (cmd == 0 && (n < 3 || n > 4)) || (cmd == 1 && (n < 2 || n > 3))
	 || (cmd == 2 && n) || (cmd == 3 && n != 1))
		bb_show_usage();
	switch (cmd) {
	case 0: return connect_main(argv);
	case 1: return info_main(argv);
	case 2: return parse_main();
	}
	return disconnect_main(argv[0]);
}
