/* vi: set sw=4 ts=4: */
/*
 * evbox NBD client protocol (see evnbdproto.h).
 *
 * The protocol is the NBD project's doc/proto.md: the fixed newstyle
 * greeting ("NBDMAGIC", "IHAVEOPT", the handshake flags), the client's
 * flags, options as IHAVEOPT + option + length + data, replies as
 * 0x3e889045565a9 + option + type + length + data.  Everything the
 * server sends is checked before it is used: magics, the option a reply
 * answers, its length (EV_NBD_REPLY_MAX), an info's length, the count of
 * replies to one option.  The socket is non-blocking here; every read and
 * write waits in poll() for what is left of an absolute deadline.
 * Nothing here dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVNBDPROTO
//config:	bool
//config:	help
//config:	The NBD handshake and root specs of evnbd.
//config:	Selected by what uses it; nothing to choose here.

//kbuild:lib-$(CONFIG_EVNBDPROTO) += evnbdproto.o

#include "libbb.h"
#include "evloop.h"
#include "evnbdproto.h"
#include <netinet/tcp.h>
#include <net/if.h>

#define NBD_MAGIC		0x4e42444d41474943ULL	/* "NBDMAGIC" */
#define NBD_IHAVEOPT		0x49484156454f5054ULL	/* "IHAVEOPT" */
#define NBD_OLDSTYLE		0x00420281861253ULL
#define NBD_REP_MAGIC		0x3e889045565a9ULL

#define NBD_FLAG_FIXED_NEWSTYLE	(1 << 0)
#define NBD_FLAG_NO_ZEROES	(1 << 1)

enum {
	NBD_OPT_EXPORT_NAME = 1, NBD_OPT_ABORT = 2, NBD_OPT_LIST = 3,
	NBD_OPT_GO = 7,
};
enum { NBD_REP_ACK = 1, NBD_REP_SERVER = 2, NBD_REP_INFO = 3 };
#define NBD_REP_ERR(n)		(0x80000000u + (n))
enum { NBD_INFO_EXPORT = 0, NBD_INFO_BLOCK_SIZE = 3 };
/* replies to one option, at most (NBD_OPT_LIST: exports) */
#define REPLIES_MAX		1024

/* ---- the command line ---- */

/* "FROM VAL: column N: " + the message, N counted in FROM VAL */
static int bad(char *why, unsigned whylen, const char *from, const char *val,
		const char *at, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(why, whylen, "%s%s: column %u: ", from, val,
			(unsigned)(strlen(from) + (at - val) + 1));

	va_start(ap, fmt);
	if (n >= 0 && (unsigned)n < whylen)
		vsnprintf(why + n, whylen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copy [P, END) into DST[SIZE]; 0, or -1 when it does not fit. */
static int field(char *dst, unsigned size, const char *p, const char *end)
{
	if ((unsigned)(end - p) >= size)
		return -1;
	memcpy(dst, p, end - p);
	dst[end - p] = '\0';
	return 0;
}

/* SERVER at *P, to before STOP (a char in STOPS) or the end: [IPv6] or
 * a name/IPv4; *P moves past it.  0 or -1 (WHY). */
static int server_field(ev_nbd_spec_t *s, const char **pp, const char *stops,
		const char *from, const char *val, char *why, unsigned whylen)
{
	const char *p = *pp, *end;

	if (*p == '[') {
		end = strchr(p, ']');
		if (!end)
			return bad(why, whylen, from, val, p, "'[' without its ']'");
		if (end[1] && !strchr(stops, end[1]))
			return bad(why, whylen, from, val, end + 1, "'%c' after ']': expected '%c'",
					end[1], stops[0]);
		if (end == p + 1)
			return bad(why, whylen, from, val, p, "an empty [] server");
		if (field(s->server, sizeof(s->server), p + 1, end) < 0)
			return bad(why, whylen, from, val, p, "the server is too long");
		*pp = end + 1;
		return 0;
	}
	end = p + strcspn(p, stops);
	if (field(s->server, sizeof(s->server), p, end) < 0)
		return bad(why, whylen, from, val, p, "the server is too long");
	*pp = end;
	return 0;
}

/* Is the server in S an address evnbd can dial (no resolver here)? */
static int numeric(const ev_nbd_spec_t *s, const char *from, const char *val, const char *at,
		char *why, unsigned whylen)
{
	unsigned char a[16];
	char host[256], *pct;

	strcpy(host, s->server);
	pct = strchr(host, '%');
	if (pct)
		*pct = '\0';
	if (!host[0] || (!pct && inet_pton(AF_INET, host, a) == 1) || inet_pton(AF_INET6, host, a) == 1)
		return 0;
	return bad(why, whylen, from, val, at, "%s is not an IPv4 or [IPv6] address (evnbd resolves no names)",
			s->server);
}

/* PORT or EXPORT at [P, END): digits are a port, else an export name on
 * 10809. */
static int port_or_export(ev_nbd_spec_t *s, const char *p, const char *end,
		const char *from, const char *val, char *why, unsigned whylen)
{
	const char *q;
	unsigned long v = 0;

	for (q = p; q < end && isdigit((unsigned char)*q); q++)
		v = v * 10 + (*q - '0') > 99999 ? 99999 : v * 10 + (*q - '0');
	if (q == end && p < end) {
		if (v == 0 || v > 65535)
			return bad(why, whylen, from, val, p, "port %.*s is not 1-65535", (int)(end - p), p);
		field(s->port, sizeof(s->port), p, end);
		return 0;
	}
	if (p == end)
		return bad(why, whylen, from, val, p, "no port or export name");
	if (field(s->export, sizeof(s->export), p, end) < 0)
		return bad(why, whylen, from, val, p, "the export name is longer than %u bytes",
				(unsigned)sizeof(s->export) - 1);
	strcpy(s->port, EV_NBD_PORT);
	return 0;
}

static void spec_init(ev_nbd_spec_t *s, const char *from)
{
	memset(s, 0, sizeof(*s));
	safe_strncpy(s->from, from, sizeof(s->from));
	strcpy(s->dev, "/dev/nbd0");
}

/* dracut's NBDOPTS: bs=, timeout=; the rest (nbd-client's) named */
static int nbdopts(ev_nbd_spec_t *s, const char *p, const char *from, const char *val,
		char *why, unsigned whylen)
{
	while (*p) {
		const char *end = p + strcspn(p, ",");
		unsigned len = end - p, v;
		char num[16];

		if (len > 3 && (strncmp(p, "bs=", 3) == 0 || (len > 8 && strncmp(p, "timeout=", 8) == 0))) {
			const char *n = p[0] == 'b' ? p + 3 : p + 8;

			if (field(num, sizeof(num), n, end) < 0 || (v = bb_strtou(num, NULL, 10), errno))
				return bad(why, whylen, from, val, n, "%.*s is not a number", (int)len, p);
			if (p[0] == 'b' && (v < 512 || v > 4096 || (v & (v - 1))))
				return bad(why, whylen, from, val, n, "bs=%u: a block size is 512, 1024, 2048 or 4096", v);
			if (p[0] == 't' && (v == 0 || v > 3600))
				return bad(why, whylen, from, val, n, "timeout=%u is not 1-3600 seconds", v);
			if (p[0] == 'b')
				s->bs = v;
			else
				s->timeout = v;
		} else if (len) {
			unsigned used = strlen(s->ignored);

			if (used + len + 2 < sizeof(s->ignored))
				sprintf(s->ignored + used, "%s%.*s", used ? "," : "", (int)len, p);
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int FAST_FUNC ev_nbd_parse_dracut(const char *from, const char *val, ev_nbd_spec_t *s,
		char *why, unsigned whylen)
{
	const char *p = val, *end, *slash;

	spec_init(s, from);
	if (!is_prefixed_with(val, "nbd:"))
		return bad(why, whylen, from, val, val, "not nbd:SERVER:PORT[/EXPORT][:FSTYPE[:MOUNTOPTS[:NBDOPTS]]]");
	p += 4;
	if (server_field(s, &p, ":", from, val, why, whylen) < 0)
		return -1;
	if (!s->server[0])
		return bad(why, whylen, from, val, p, "no server");
	if (numeric(s, from, val, val + 4, why, whylen) < 0)
		return -1;
	if (*p != ':')
		return bad(why, whylen, from, val, p, "no port after the server");
	p++;
	end = p + strcspn(p, ":");
	slash = memchr(p, '/', end - p);
	if (slash) {
		if (slash == p)
			strcpy(s->port, EV_NBD_PORT);
		else if (port_or_export(s, p, slash, from, val, why, whylen) < 0)
			return -1;
		else if (s->export[0])
			return bad(why, whylen, from, val, p, "%.*s is not a port", (int)(slash - p), p);
		if (slash + 1 == end)
			return bad(why, whylen, from, val, slash + 1, "an empty export name after '/'");
		if (field(s->export, sizeof(s->export), slash + 1, end) < 0)
			return bad(why, whylen, from, val, slash + 1, "the export name is longer than %u bytes",
					(unsigned)sizeof(s->export) - 1);
	} else if (port_or_export(s, p, end, from, val, why, whylen) < 0) {
		return -1;
	}
	p = end;
	if (*p == ':') {
		p++;
		end = p + strcspn(p, ":");
		if (field(s->fstype, sizeof(s->fstype), p, end) < 0)
			return bad(why, whylen, from, val, p, "the filesystem type is too long");
		for (slash = p; slash < end; slash++)
			if (!isalnum((unsigned char)*slash) && !strchr("._+-", *slash))
				return bad(why, whylen, from, val, slash, "'%c' in the filesystem type", *slash);
		p = end;
	}
	if (*p == ':') {
		p++;
		end = p + strcspn(p, ":");
		if (field(s->mountopts, sizeof(s->mountopts), p, end) < 0)
			return bad(why, whylen, from, val, p, "the mount options are too long");
		p = end;
	}
	if (*p == ':')
		return nbdopts(s, p + 1, from, val, why, whylen);
	return 0;
}

int FAST_FUNC ev_nbd_parse_nbdroot(const char *val, ev_nbd_spec_t *s, char *why, unsigned whylen)
{
	static const char from[] = "nbdroot=";
	const char *p = val, *end;
	char sep;

	spec_init(s, from);
	/* SERVER,PORT[,DEV] (initramfs-tools) or SERVER:PORT (LTSP 5) */
	if (server_field(s, &p, ",:", from, val, why, whylen) < 0
	 || numeric(s, from, val, val, why, whylen) < 0)
		return -1;
	sep = *p;
	if (!sep)
		return bad(why, whylen, from, val, p, "no port or export name: nbdroot=[SERVER],PORT|EXPORT[,nbdN]");
	p++;
	end = p + strcspn(p, sep == ',' ? "," : "");
	if (port_or_export(s, p, end, from, val, why, whylen) < 0)
		return -1;
	p = end;
	if (*p == ',') {
		const char *d = p + 1;
		char dev[32];

		if (field(dev, sizeof(dev) - 5, d, d + strlen(d)) < 0)
			return bad(why, whylen, from, val, d, "not a device nbdN");
		if (!is_prefixed_with(dev, "/dev/"))
			snprintf(s->dev, sizeof(s->dev), "/dev/%.26s", dev);
		else
			strcpy(s->dev, dev);
		if (ev_nbd_dev_index(s->dev) < 0)
			return bad(why, whylen, from, val, d, "%s is not a device nbdN", dev);
	}
	return 0;
}

int FAST_FUNC ev_nbd_dev_index(const char *dev)
{
	const char *p;
	unsigned v = 0;

	if (!dev || !is_prefixed_with(dev, "/dev/nbd") || !dev[8])
		return -1;
	for (p = dev + 8; *p; p++) {
		if (!isdigit((unsigned char)*p) || v > 100000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* ---- I/O with a deadline ---- */

static int wait_fd(int fd, short events, unsigned long long deadline)
{
	for (;;) {
		unsigned long long now = ev_now();
		struct pollfd pfd = { .fd = fd, .events = events };
		int n;

		if (now >= deadline)
			return -2;
		n = poll(&pfd, 1, deadline - now > 60000 ? 60000 : (int)(deadline - now));
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* Read N bytes; WHAT names them in WHY.  0, -1 (EOF, error), -2. */
static int rd(int fd, void *buf, unsigned n, unsigned long long deadline, const char *what,
		char *why, unsigned whylen)
{
	unsigned got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r > 0) {
			got += r;
			continue;
		}
		if (r == 0) {
			snprintf(why, whylen, "the server closed the connection%s%s",
					what ? " before " : "", what ? what : "");
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			snprintf(why, whylen, "reading %s: %s", what ? what : "", strerror(errno));
			return -1;
		}
		r = wait_fd(fd, POLLIN, deadline);
		if (r == -2) {
			snprintf(why, whylen, "no %s from the server in time%s", what ? what : "answer",
					got ? " (it sent part of it)" : "");
			return -2;
		}
		if (r < 0) {
			snprintf(why, whylen, "reading %s: %s", what ? what : "", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int wr(int fd, const void *buf, unsigned n, unsigned long long deadline, char *why, unsigned whylen)
{
	unsigned put = 0;

	while (put < n) {
		ssize_t r = send(fd, (const char *)buf + put, n - put, MSG_NOSIGNAL);

		if (r > 0) {
			put += r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			r = wait_fd(fd, POLLOUT, deadline);
			if (r == -2) {
				snprintf(why, whylen, "the server takes nothing we send, in time");
				return -2;
			}
			if (r == 0)
				continue;
		}
		snprintf(why, whylen, "sending to the server: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint16_t be16(const unsigned char *p) { return p[0] << 8 | p[1]; }
static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = v;
}
static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}
static void put16(unsigned char *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }

int FAST_FUNC ev_nbd_dial(const char *server, const char *port, unsigned long long deadline,
		char *why, unsigned whylen)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} a;
	socklen_t alen;
	char host[256], *pct;
	unsigned p = bb_strtou(port, NULL, 10);
	int fd, err, one = 1;

	if (errno || p == 0 || p > 65535) {
		snprintf(why, whylen, "port %s is not 1-65535", port);
		return -1;
	}
	memset(&a, 0, sizeof(a));
	safe_strncpy(host, server, sizeof(host));
	pct = strchr(host, '%');
	if (pct)
		*pct++ = '\0';
	if (!pct && inet_pton(AF_INET, host, &a.in.sin_addr) == 1) {
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons(p);
		alen = sizeof(a.in);
	} else if (inet_pton(AF_INET6, host, &a.in6.sin6_addr) == 1) {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons(p);
		if (pct && !(a.in6.sin6_scope_id = if_nametoindex(pct))) {
			snprintf(why, whylen, "%s: no interface %s", server, pct);
			return -1;
		}
		alen = sizeof(a.in6);
	} else {
		snprintf(why, whylen, "%s is not an IPv4 or IPv6 address (evnbd resolves no names)", server);
		return -1;
	}
	fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, &a.sa, alen) < 0 && errno != EINPROGRESS) {
		err = errno;
		goto fail;
	}
	err = wait_fd(fd, POLLOUT, deadline);
	if (err == -2) {
		close(fd);
		snprintf(why, whylen, "no connection in time");
		return -2;
	}
	alen = sizeof(err);
	if (err < 0)
		err = errno;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &alen) < 0)
		err = errno;
	if (!err)
		return fd;
 fail:
	close(fd);
	snprintf(why, whylen, "%s", err == ECONNREFUSED ? "connection refused" : strerror(err));
	return -1;
}

int FAST_FUNC ev_nbd_greet(int fd, unsigned long long deadline, ev_nbd_info_t *info,
		char *why, unsigned whylen)
{
	unsigned char hello[18], flags[4];
	uint32_t mine = 0;
	int r;

	memset(info, 0, sizeof(*info));
	r = rd(fd, hello, 16, deadline, "greeting", why, whylen);
	if (r)
		return r;
	if (be64(hello) != NBD_MAGIC) {
		snprintf(why, whylen, "not an NBD server: its greeting starts %02x %02x %02x %02x %02x %02x %02x %02x, "
				"not NBDMAGIC", hello[0], hello[1], hello[2], hello[3], hello[4], hello[5],
				hello[6], hello[7]);
		return -1;
	}
	if (be64(hello + 8) == NBD_OLDSTYLE) {
		snprintf(why, whylen, "an oldstyle server (no named exports, no options): not supported");
		return -1;
	}
	if (be64(hello + 8) != NBD_IHAVEOPT) {
		snprintf(why, whylen, "its greeting's second magic is 0x%llx, neither IHAVEOPT nor oldstyle",
				(unsigned long long)be64(hello + 8));
		return -1;
	}
	r = rd(fd, hello + 16, 2, deadline, "handshake flags", why, whylen);
	if (r)
		return r;
	info->hflags = be16(hello + 16);
	if (info->hflags & NBD_FLAG_FIXED_NEWSTYLE)
		mine |= NBD_FLAG_FIXED_NEWSTYLE;
	if (info->hflags & NBD_FLAG_NO_ZEROES)
		mine |= NBD_FLAG_NO_ZEROES;
	put32(flags, mine);
	return wr(fd, flags, 4, deadline, why, whylen);
}

static int send_opt(int fd, uint32_t opt, const void *data, unsigned len, unsigned long long deadline,
		char *why, unsigned whylen)
{
	unsigned char h[16];
	int r;

	put64(h, NBD_IHAVEOPT);
	put32(h + 8, opt);
	put32(h + 12, len);
	r = wr(fd, h, 16, deadline, why, whylen);
	if (!r && len)
		r = wr(fd, data, len, deadline, why, whylen);
	return r;
}

/* One reply to OPT: its type, and its data (malloc'd, NUL-terminated)
 * in *DATA, *LEN.  0, -1, -2. */
static int reply(int fd, uint32_t opt, unsigned long long deadline, uint32_t *type,
		unsigned char **data, uint32_t *len, char *why, unsigned whylen)
{
	unsigned char h[20];
	int r = rd(fd, h, 20, deadline, "a reply", why, whylen);

	*data = NULL;
	if (r)
		return r;
	if (be64(h) != NBD_REP_MAGIC) {
		snprintf(why, whylen, "a reply with magic 0x%llx, not 0x3e889045565a9",
				(unsigned long long)be64(h));
		return -1;
	}
	if (be32(h + 8) != opt) {
		snprintf(why, whylen, "a reply to option %u when we asked option %u", be32(h + 8), opt);
		return -1;
	}
	*type = be32(h + 12);
	*len = be32(h + 16);
	if (*len > EV_NBD_REPLY_MAX) {
		snprintf(why, whylen, "a reply of %u bytes (more than %u): refused", *len, EV_NBD_REPLY_MAX);
		return -1;
	}
	*data = malloc(*len + 1);
	if (!*data) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	r = rd(fd, *data, *len, deadline, "a reply's data", why, whylen);
	if (r) {
		free(*data);
		*data = NULL;
		return r;
	}
	(*data)[*len] = '\0';
	return 0;
}

/* An error reply as words, with the server's own message (printable
 * characters only, cut). */
static int server_error(uint32_t type, const unsigned char *data, uint32_t len, const char *what,
		char *why, unsigned whylen)
{
	static const char names[] ALIGN1 =
		"unsupported\0" "refused by the server's policy\0" "invalid\0"
		"not supported on the server's platform\0" "refused: the server wants TLS\0"
		"unknown to the server\0" "refused: the server is shutting down\0"
		"refused: the server wants block sizes\0" "too big\0";
	char msg[160];
	unsigned i, n = 0;

	for (i = 0; i < len && n < sizeof(msg) - 1; i++)
		msg[n++] = (data[i] >= 32 && data[i] < 127) ? data[i] : '?';
	msg[n] = '\0';
	if (type >= NBD_REP_ERR(1) && type <= NBD_REP_ERR(9))
		snprintf(why, whylen, "%s: %s%s%s%s", what, nth_string(names, type - NBD_REP_ERR(1)),
				n ? " (\"" : "", msg, n ? "\")" : "");
	else
		snprintf(why, whylen, "%s: error 0x%x%s%s%s", what, type, n ? " (\"" : "", msg, n ? "\")" : "");
	return -1;
}

/* NBD_OPT_EXPORT_NAME: the old way to the transmission phase */
static int export_name(int fd, const char *export, unsigned long long deadline, ev_nbd_info_t *info,
		char *why, unsigned whylen)
{
	unsigned char buf[10 + 124];
	unsigned len = strlen(export);
	int r = send_opt(fd, NBD_OPT_EXPORT_NAME, export, len, deadline, why, whylen);

	if (r)
		return r;
	r = rd(fd, buf, 10, deadline, "the export's size", why, whylen);
	if (r == -1 && is_prefixed_with(why, "the server closed"))
		snprintf(why, whylen, "the server closed the connection when asked for export \"%s\" "
				"(an old server's answer to an unknown export)", export);
	if (r)
		return r;
	if (!(info->hflags & NBD_FLAG_NO_ZEROES)) {
		r = rd(fd, buf + 10, 124, deadline, "the handshake's padding", why, whylen);
		if (r)
			return r;
	}
	info->size = be64(buf);
	info->flags = be16(buf + 8);
	info->go = 0;
	return 0;
}

int FAST_FUNC ev_nbd_go(int fd, const char *export, unsigned long long deadline,
		ev_nbd_info_t *info, char *why, unsigned whylen)
{
	uint32_t opt = NBD_OPT_GO, len = strlen(export), type, dlen;
	unsigned char *req, *data;
	char what[EV_NBD_NAME_MAX / 16 + 32];
	int r, n, have_export = 0;

	snprintf(what, sizeof(what), "export \"%.200s\"", export);
	if (len > EV_NBD_NAME_MAX) {
		snprintf(why, whylen, "an export name of %u bytes (more than %u)", len, EV_NBD_NAME_MAX);
		return -1;
	}
	if (!(info->hflags & NBD_FLAG_FIXED_NEWSTYLE))
		return export_name(fd, export, deadline, info, why, whylen);
	/* name length, name, one info request: NBD_INFO_BLOCK_SIZE */
	req = malloc(len + 8);
	if (!req) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	put32(req, len);
	memcpy(req + 4, export, len);
	put16(req + 4 + len, 1);
	put16(req + 6 + len, NBD_INFO_BLOCK_SIZE);
	r = send_opt(fd, opt, req, len + 8, deadline, why, whylen);
	free(req);
	if (r)
		return r;
	for (n = 0; n < REPLIES_MAX; n++) {
		r = reply(fd, opt, deadline, &type, &data, &dlen, why, whylen);
		if (r)
			return r;
		if (type == NBD_REP_ERR(1)) {	/* unsupported: the old way */
			free(data);
			return export_name(fd, export, deadline, info, why, whylen);
		}
		if (type & 0x80000000u) {
			server_error(type, data, dlen, what, why, whylen);
			free(data);
			return -1;
		}
		if (type == NBD_REP_ACK) {
			free(data);
			if (!have_export) {
				snprintf(why, whylen, "%s: the server ended its answer without the size", what);
				return -1;
			}
			info->go = 1;
			return 0;
		}
		if (type == NBD_REP_INFO && dlen >= 2) {
			uint16_t kind = be16(data);

			if (kind == NBD_INFO_EXPORT) {
				if (dlen != 12) {
					snprintf(why, whylen, "%s: an NBD_INFO_EXPORT of %u bytes, not 12", what, dlen);
					free(data);
					return -1;
				}
				info->size = be64(data + 2);
				info->flags = be16(data + 10);
				have_export = 1;
			} else if (kind == NBD_INFO_BLOCK_SIZE) {
				if (dlen != 14) {
					snprintf(why, whylen, "%s: an NBD_INFO_BLOCK_SIZE of %u bytes, not 14", what, dlen);
					free(data);
					return -1;
				}
				info->bs_min = be32(data + 2);
				info->bs_pref = be32(data + 6);
				info->bs_max = be32(data + 10);
			}
		}
		free(data);	/* other infos: not needed */
	}
	snprintf(why, whylen, "%s: more than %u replies", what, REPLIES_MAX);
	return -1;
}

int FAST_FUNC ev_nbd_list(int fd, unsigned long long deadline,
		void (*cb)(const char *name, void *ctx) FAST_FUNC, void *ctx,
		char *why, unsigned whylen)
{
	uint32_t type, len;
	unsigned char *data;
	int r, n;

	r = send_opt(fd, NBD_OPT_LIST, NULL, 0, deadline, why, whylen);
	if (r)
		return r;
	for (n = 0; n < REPLIES_MAX; n++) {
		r = reply(fd, NBD_OPT_LIST, deadline, &type, &data, &len, why, whylen);
		if (r)
			return r;
		if (type == NBD_REP_ACK) {
			free(data);
			return 0;
		}
		if (type & 0x80000000u) {
			server_error(type, data, len, "the list of exports", why, whylen);
			free(data);
			return -1;
		}
		if (type == NBD_REP_SERVER) {
			uint32_t nlen = len >= 4 ? be32(data) : 0;

			if (len < 4 || nlen > len - 4) {
				snprintf(why, whylen, "an export's name of %u bytes in a reply of %u", nlen, len);
				free(data);
				return -1;
			}
			data[4 + nlen] = '\0';
			cb((char *)data + 4, ctx);
		}
		free(data);
	}
	snprintf(why, whylen, "the list of exports: more than %u replies", REPLIES_MAX);
	return -1;
}

void FAST_FUNC ev_nbd_disc(int fd)
{
	unsigned char req[28];
	char why[8];

	memset(req, 0, sizeof(req));
	put32(req, 0x25609513);		/* NBD_REQUEST_MAGIC */
	put16(req + 6, 2);		/* NBD_CMD_DISC */
	wr(fd, req, sizeof(req), ev_now() + 1000, why, sizeof(why));
}

void FAST_FUNC ev_nbd_abort(int fd)
{
	char why[8];

	send_opt(fd, NBD_OPT_ABORT, NULL, 0, ev_now() + 1000, why, sizeof(why));
}

char* FAST_FUNC ev_nbd_flags_str(uint16_t flags, char *buf, unsigned size)
{
	static const char names[] ALIGN1 =
		"has-flags\0" "read-only\0" "flush\0" "fua\0" "rotational\0" "trim\0"
		"write-zeroes\0" "df\0" "multi-conn\0" "resize\0" "cache\0" "fast-zero\0";
	unsigned i, n = 0;

	buf[0] = '\0';
	for (i = 1; i < 16; i++) {	/* has-flags (bit 0) goes without saying */
		if (!(flags & (1u << i)) || n >= size)
			continue;
		if (i < 12)
			n += snprintf(buf + n, size - n, "%s%s", n ? " " : "", nth_string(names, i));
		else
			n += snprintf(buf + n, size - n, "%sbit%u", n ? " " : "", i);
	}
	if (!buf[0])
		snprintf(buf, size, "none");
	return buf;
}
