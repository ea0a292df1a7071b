/* vi: set sw=4 ts=4: */
/*
 * evbox event core: the bus.  A SOCK_SEQPACKET unix socket (one message per
 * send, boundaries kept), peers checked by SO_PEERCRED, messages made of
 * NUL-terminated parts: VERB\0ARG\0...
 *
 * Requests:  emit NAME K=V...      -> ok | error MESSAGE
 *            subscribe PATTERN...  -> ok, then "event NAME K=V..." for
 *                                     every past and future event whose
 *                                     name matches a pattern (fnmatch)
 *            anything else         -> the owner's request hook
 *
 * Every event is kept in the history, in order.  A subscriber has a cursor
 * into it: delivery writes from the cursor until the socket is full, then
 * waits for POLLOUT.  Replay and live delivery are the same code, and a
 * slow subscriber costs no memory of its own.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evbus.o
#include "libbb.h"
#include "evloop.h"
#include "evbus.h"
#include <sys/un.h>
#include <fnmatch.h>

/* ---- messages ---- */

int FAST_FUNC ev_msg_init(ev_msg_t *m, const char *verb)
{
	m->len = 0;
	return ev_msg_add(m, verb);
}

int FAST_FUNC ev_msg_add(ev_msg_t *m, const char *part)
{
	unsigned n = strlen(part) + 1;

	if (m->len + n > sizeof(m->buf))
		return -E2BIG;
	memcpy(m->buf + m->len, part, n);
	m->len += n;
	return 0;
}

int FAST_FUNC ev_msg_addf(ev_msg_t *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->len, sizeof(m->buf) - m->len, fmt, ap);
	va_end(ap);
	if (n < 0 || m->len + n + 1 > sizeof(m->buf)) {
		m->buf[m->len] = '\0';
		return -E2BIG;
	}
	m->len += n + 1;
	return 0;
}

const char* FAST_FUNC ev_event_get(char **ev, const char *key)
{
	for (ev++; *ev; ev++) {
		const char *v = is_prefixed_with(*ev, key);
		if (v && *v == '=')
			return v + 1;
	}
	return NULL;
}

int FAST_FUNC ev_msg_split(char *buf, unsigned len, char **argv)
{
	unsigned i = 0;
	char *p = buf, *end = buf + len;

	if (len == 0 || buf[len - 1] != '\0')
		return -EINVAL;
	while (p < end) {
		if (i == EV_MSG_ARGS)
			return -EINVAL;
		argv[i++] = p;
		p += strlen(p) + 1;
	}
	argv[i] = NULL;
	return i;
}

/* ---- client ---- */

static int bus_addr(struct sockaddr_un *sa, const char *path)
{
	if (!path)
		path = getenv("EVBUS");
	if (!path || !*path)
		path = EV_BUS_PATH;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

int FAST_FUNC ev_bus_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd, err;

	err = bus_addr(&sa, path);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

int FAST_FUNC ev_bus_send(int fd, const ev_msg_t *m)
{
	ssize_t n;

	do
		n = send(fd, m->buf, m->len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int FAST_FUNC ev_bus_recv(int fd, ev_msg_t *m)
{
	ssize_t n;

	do
		n = recv(fd, m->buf, sizeof(m->buf), MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n > (ssize_t)sizeof(m->buf))
		return -EMSGSIZE;
	m->len = n;
	return n;
}

/* ---- server ---- */

typedef struct hist {
	struct hist *next;
	unsigned len;
	char msg[];		/* "event\0NAME\0K=V\0..." as sent */
} hist_t;

struct ev_bus_client {
	ev_bus_client_t *next;
	ev_fd_t w;
	pid_t pid;
	hist_t *cursor;		/* next event to consider; NULL: caught up */
	char *pat;		/* patterns, NUL-separated; NULL: not subscribed */
	unsigned patlen;
};

/* The history may not grow past this; the oldest go first, and with them
 * any subscriber that had not got them yet. */
#define HISTORY_MAX (4 * 1024 * 1024)

static struct {
	ev_fd_t listen;
	uid_t allow;
	const ev_bus_hooks_t *hooks;
	ev_bus_client_t *clients;
	hist_t *head, **tail;
	unsigned count, bytes;
	char *path;
} bus = { .listen = { .fd = -1 } };

static void warn(const char *fmt, ...) __attribute__ ((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (bus.hooks && bus.hooks->warn)
		bus.hooks->warn(buf);
}

static void drop(ev_bus_client_t *c)
{
	ev_bus_client_t **pp;

	for (pp = &bus.clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	ev_fd_del(&c->w);
	close(c->w.fd);
	free(c->pat);
	free(c);
}

static int matches(const ev_bus_client_t *c, const char *name)
{
	const char *p;

	for (p = c->pat; p < c->pat + c->patlen; p += strlen(p) + 1)
		if (fnmatch(p, name, 0) == 0)
			return 1;
	return 0;
}

/* Send from the cursor until caught up or the socket is full.
 * Returns 0 when the client had to be dropped. */
static int flush(ev_bus_client_t *c)
{
	while (c->cursor) {
		hist_t *h = c->cursor;

		if (matches(c, h->msg + sizeof("event"))) {
			if (send(c->w.fd, h->msg, h->len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
				if (errno == EAGAIN || errno == EINTR) {
					c->w.events = POLLIN | POLLOUT;
					return 1;
				}
				drop(c);	/* the peer went away */
				return 0;
			}
		}
		c->cursor = h->next;
	}
	c->w.events = POLLIN;
	return 1;
}

static void history_trim(void)
{
	while (bus.bytes > HISTORY_MAX && bus.head && bus.head->next) {
		hist_t *h = bus.head;
		ev_bus_client_t *c, *next;

		for (c = bus.clients; c; c = next) {
			next = c->next;
			if (c->cursor == h) {
				warn("bus: subscriber pid %d fell %u events behind, dropped",
						(int)c->pid, bus.count);
				drop(c);
			}
		}
		bus.head = h->next;
		bus.bytes -= h->len;
		bus.count--;
		free(h);
	}
}

int FAST_FUNC ev_bus_publish(char **event)
{
	ev_bus_client_t *c, *next;
	unsigned len = sizeof("event");
	hist_t *h;
	char **e;

	for (e = event; *e; e++)
		len += strlen(*e) + 1;
	if (len > EV_MSG_MAX)
		return -E2BIG;
	h = malloc(sizeof(*h) + len);
	if (!h)
		return -ENOMEM;
	h->next = NULL;
	h->len = len;
	memcpy(h->msg, "event", sizeof("event"));
	len = sizeof("event");
	for (e = event; *e; e++) {
		unsigned n = strlen(*e) + 1;
		memcpy(h->msg + len, *e, n);
		len += n;
	}
	if (!bus.tail)
		bus.tail = &bus.head;
	*bus.tail = h;
	bus.tail = &h->next;
	bus.count++;
	bus.bytes += h->len;

	for (c = bus.clients; c; c = next) {
		next = c->next;
		if (!c->pat)
			continue;
		if (!c->cursor) {
			c->cursor = h;
			flush(c);
		}
	}
	history_trim();
	return 0;
}

int FAST_FUNC ev_bus_reply(ev_bus_client_t *c, const ev_msg_t *m)
{
	if (send(c->w.fd, m->buf, m->len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

/* Returns 0 when the client had to be dropped. */
static int reply(ev_bus_client_t *c, const char *what, const char *text)
{
	ev_msg_t m;

	ev_msg_init(&m, what);
	if (text)
		ev_msg_add(&m, text);
	if (ev_bus_reply(c, &m) < 0) {
		warn("bus: cannot reply to pid %d, dropped", (int)c->pid);
		drop(c);
		return 0;
	}
	return 1;
}

static void request(ev_bus_client_t *c, char **argv, int argc)
{
	if (strcmp(argv[0], "emit") == 0) {
		int i, err = 0;

		if (argc < 2 || !argv[1][0] || strchr(argv[1], '=')) {
			reply(c, "error", "emit: no event name");
			return;
		}
		for (i = 2; i < argc; i++) {
			if (!strchr(argv[i], '=') || argv[i][0] == '=') {
				reply(c, "error", "emit: an argument is not KEY=VALUE");
				return;
			}
		}
		/* the owner publishes it when it handles it, in its order */
		if (bus.hooks && bus.hooks->emit)
			err = bus.hooks->emit(argv + 1);
		else
			err = ev_bus_publish(argv + 1);
		reply(c, err ? "error" : "ok", err ? strerror(-err) : NULL);
	} else if (strcmp(argv[0], "subscribe") == 0) {
		unsigned len = 0;
		char *p;
		int i;

		for (i = 1; i < argc; i++)
			len += strlen(argv[i]) + 1;
		if (argc < 2) {
			argv[1] = (char *)"*";
			argv[2] = NULL;
			argc = 2;
			len = 2;
		}
		p = malloc(len);
		if (!p) {
			reply(c, "error", strerror(ENOMEM));
			return;
		}
		free(c->pat);
		c->pat = p;
		c->patlen = len;
		for (i = 1; i < argc; i++)
			p = stpcpy(p, argv[i]) + 1;
		if (reply(c, "ok", NULL)) {
			c->cursor = bus.head;	/* replay */
			flush(c);
		}
	} else if (bus.hooks && bus.hooks->request) {
		bus.hooks->request(c, argv);
	} else {
		reply(c, "error", "unknown verb");
	}
}

static void FAST_FUNC client_ready(ev_fd_t *w, short revents)
{
	ev_bus_client_t *c = w->data;
	char *argv[EV_MSG_ARGS + 1];
	ev_msg_t m;
	ssize_t n;
	int argc;

	if ((revents & POLLOUT) && !flush(c))
		return;		/* dropped */
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	n = recv(w->fd, m.buf, sizeof(m.buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		drop(c);	/* hung up */
		return;
	}
	if (n > (ssize_t)sizeof(m.buf)) {
		warn("bus: message of %d bytes from pid %d is too long, dropped", (int)n, (int)c->pid);
		reply(c, "error", "message too long");
		return;
	}
	argc = ev_msg_split(m.buf, n, argv);
	if (argc < 1) {
		warn("bus: malformed message from pid %d", (int)c->pid);
		reply(c, "error", "malformed message");
		return;
	}
	request(c, argv, argc);
}

static void FAST_FUNC listen_ready(ev_fd_t *w, short revents UNUSED_PARAM)
{
	for (;;) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		ev_bus_client_t *c;
		int fd;

		fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;		/* EAGAIN: all taken; others: next time */
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0
		 || cred.uid != bus.allow
		) {
			warn("bus: refused pid %d uid %d (only uid %d may use the bus)",
					(int)cred.pid, (int)cred.uid, (int)bus.allow);
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->pid = cred.pid;
		c->w.fd = fd;
		c->w.events = POLLIN;
		c->w.cb = client_ready;
		c->w.data = c;
		c->next = bus.clients;
		bus.clients = c;
		ev_fd_add(&c->w);
	}
}

int FAST_FUNC ev_bus_listen(const char *path, uid_t allow_uid, const ev_bus_hooks_t *hooks)
{
	struct sockaddr_un sa;
	char *dir, *slash;
	int fd, err;

	err = bus_addr(&sa, path);
	if (err)
		return err;
	dir = strdup(sa.sun_path);
	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		bb_make_directory(dir, 0755, FILEUTILS_RECUR | FILEUTILS_IGNORE_CHMOD_ERR);
	}
	free(dir);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(sa.sun_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0
	 || chmod(sa.sun_path, 0600) < 0
	 || listen(fd, 64) < 0
	) {
		err = -errno;
		close(fd);
		return err;
	}
	bus.path = strdup(sa.sun_path);
	bus.allow = allow_uid;
	bus.hooks = hooks;
	bus.listen.fd = fd;
	bus.listen.events = POLLIN;
	bus.listen.cb = listen_ready;
	ev_fd_add(&bus.listen);
	return 0;
}

unsigned FAST_FUNC ev_bus_clients(void)
{
	ev_bus_client_t *c;
	unsigned n = 0;

	for (c = bus.clients; c; c = c->next)
		n++;
	return n;
}

unsigned FAST_FUNC ev_bus_history(void)
{
	return bus.count;
}

void FAST_FUNC ev_bus_close(void)
{
	while (bus.clients)
		drop(bus.clients);
	if (bus.listen.fd >= 0) {
		ev_fd_del(&bus.listen);
		close(bus.listen.fd);
		bus.listen.fd = -1;
	}
	if (bus.path) {
		unlink(bus.path);
		free(bus.path);
		bus.path = NULL;
	}
}
