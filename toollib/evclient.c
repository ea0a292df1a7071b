/* vi: set sw=4 ts=4: */
/*
 * evbox: the bus client of the applets that jobs run (evmount, evcrypt).
 * Two connections to evinit's bus: one subscribed (past events first,
 * then live ones, read from the loop), one for requests answered in turn
 * (emit, log).  Messages go to the console (stderr: the job's console
 * output) and, as `log`, to evinit's log; secrets never pass here.
 * An event is read into its own buffer: the callback's pointers stay
 * valid while it says or emits (which rebuilds the request buffer).
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVMOUNT) += evclient.o
//kbuild:lib-$(CONFIG_EVCRYPT) += evclient.o

#include "libbb.h"
#include "../lib/evloop.h"
#include "evclient.h"

static struct client {
	int ctl;		/* requests; -1: no evinit */
	ev_fd_t sub;
	void (*event)(char **ev) FAST_FUNC;
	int quiet;
	ev_msg_t msg;	/* requests and their answers */
	ev_msg_t in;	/* the event being handed to EVENT */
} *cl;

/* Send CL->msg, wait for the answer; evinit gone or refusing: go on
 * without it. */
static void request(void)
{
	char *parts[EV_MSG_ARGS + 1];

	if (cl->ctl < 0)
		return;
	if (ev_bus_send(cl->ctl, &cl->msg) < 0 || ev_bus_recv(cl->ctl, &cl->msg) <= 0
	 || ev_msg_split(cl->msg.buf, cl->msg.len, parts) < 1 || strcmp(parts[0], "ok") != 0
	) {
		close(cl->ctl);
		cl->ctl = -1;
	}
}

static void FAST_FUNC ready(ev_fd_t *w, short revents UNUSED_PARAM)
{
	char *parts[EV_MSG_ARGS + 1];
	int n = ev_bus_recv(w->fd, &cl->in);

	if (n <= 0) {
		ev_fd_del(w);
		close(w->fd);
		cl->event(NULL);	/* evinit closed the bus: the switch */
		return;
	}
	if (ev_msg_split(cl->in.buf, cl->in.len, parts) >= 2 && strcmp(parts[0], "event") == 0)
		cl->event(parts + 1);
}

int FAST_FUNC ev_client_open(const char *patterns, void (*event)(char **ev) FAST_FUNC)
{
	char *parts[EV_MSG_ARGS + 1];
	const char *p;
	int fd;

	if (!cl) {
		cl = xzalloc(sizeof(*cl));
		cl->ctl = -1;
	}
	cl->event = event;
	cl->ctl = ev_bus_connect(NULL);
	if (cl->ctl < 0)
		return cl->ctl;
	fd = ev_bus_connect(NULL);
	if (fd < 0) {
		close(cl->ctl);
		cl->ctl = -1;
		return fd;
	}
	ev_msg_init(&cl->msg, "subscribe");
	for (p = patterns; *p; p += strlen(p) + 1)
		ev_msg_add(&cl->msg, p);
	if (ev_bus_send(fd, &cl->msg) < 0 || ev_bus_recv(fd, &cl->msg) <= 0
	 || ev_msg_split(cl->msg.buf, cl->msg.len, parts) < 1 || strcmp(parts[0], "ok") != 0
	) {
		close(fd);
		close(cl->ctl);
		cl->ctl = -1;
		return -EPROTO;
	}
	cl->sub.fd = fd;
	cl->sub.events = POLLIN;
	cl->sub.cb = ready;
	ev_fd_add(&cl->sub);
	return 0;
}

void FAST_FUNC ev_client_join(const char *patterns, void (*event)(char **ev) FAST_FUNC,
		const char *alone)
{
	int err = ev_client_open(patterns, event);

	if (err == 0)
		return;
	if (!getenv("UPSTART_JOB"))
		bb_error_msg_and_die("no evinit bus (alone: %s)", alone);
	/* the socket gone: the switch; anything else is a fault to name */
	if (err == -ENOENT || err == -ECONNREFUSED)
		exit(0);
	bb_error_msg_and_die("evinit's bus: %s", strerror(-err));
}

int FAST_FUNC ev_client_connected(void)
{
	return cl && cl->ctl >= 0;
}

void FAST_FUNC ev_client_quiet(int quiet)
{
	if (!cl) {
		cl = xzalloc(sizeof(*cl));
		cl->ctl = -1;
	}
	cl->quiet = quiet;
}

void FAST_FUNC ev_client_say(int err, const char *fmt, ...)
{
	char line[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (err || !cl || !cl->quiet)
		fprintf(stderr, "%s: %s%s\n", applet_name, err ? "error: " : "", line);
	if (!ev_client_connected())
		return;
	ev_msg_init(&cl->msg, "log");
	ev_msg_addf(&cl->msg, "%s: %s%s", applet_name, err ? "error: " : "", line);
	request();
}

void FAST_FUNC ev_client_emitv(const char *name, char **kv)
{
	if (!ev_client_connected())
		return;
	ev_msg_init(&cl->msg, "emit");
	ev_msg_add(&cl->msg, name);
	for (; *kv; kv++)
		ev_msg_add(&cl->msg, *kv);
	request();
}

void FAST_FUNC ev_client_emit(const char *name, ...)
{
	char *kv[16];
	unsigned n = 0;
	va_list ap;

	va_start(ap, name);
	while (n < ARRAY_SIZE(kv) - 1 && (kv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	kv[n] = NULL;
	ev_client_emitv(name, kv);
}

void FAST_FUNC ev_client_wantedv(const char *event, const char *name, const char *fmt, va_list ap)
{
	char kv[2][600];
	int n;

	snprintf(kv[0], sizeof(kv[0]), "NAME=%s", name);
	n = snprintf(kv[1], sizeof(kv[1]), "WANTED=");
	vsnprintf(kv[1] + n, sizeof(kv[1]) - n, fmt, ap);
	ev_client_emit(event, kv[0], kv[1], NULL);
}

void FAST_FUNC ev_client_wanted(const char *event, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ev_client_wantedv(event, name, fmt, ap);
	va_end(ap);
}
