/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the bus (evbus.c).
 * A SOCK_SEQPACKET unix socket, NUL-separated messages, emit and
 * subscribe with replay (the history is the queue).  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVBUS_H
#define EVBUS_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- the bus (evbus.c) -------------------------------------------------- */

/* A message is VERB\0ARG\0ARG\0...: each part NUL-terminated, at most
 * EV_MSG_MAX bytes.  An event is NAME\0KEY=VALUE\0... */
#define EV_MSG_MAX	4096
#define EV_MSG_ARGS	128
#define EV_BUS_PATH	"/run/evinit/bus"

typedef struct ev_msg {
	unsigned len;
	char buf[EV_MSG_MAX];
} ev_msg_t;

/* Build: start with VERB, add parts; return -E2BIG when it would not fit
 * (the message is then unchanged). */
int ev_msg_init(ev_msg_t *m, const char *verb) FAST_FUNC;
int ev_msg_add(ev_msg_t *m, const char *part) FAST_FUNC;
int ev_msg_addf(ev_msg_t *m, const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 2, 3)));

/* The value of KEY in event EV (NAME, KEY=VALUE..., NULL), or NULL. */
const char *ev_event_get(char **ev, const char *key) FAST_FUNC;

/* Split BUF[LEN] into ARGV (NULL-terminated, at most EV_MSG_ARGS parts).
 * Returns the number of parts, or -EINVAL for an empty message, one that
 * does not end in NUL, or one with too many parts. */
int ev_msg_split(char *buf, unsigned len, char **argv) FAST_FUNC;

/* Client side: connect to PATH (NULL: $EVBUS or EV_BUS_PATH).  Returns a
 * blocking, close-on-exec fd or -errno. */
int ev_bus_connect(const char *path) FAST_FUNC;
int ev_bus_send(int fd, const ev_msg_t *m) FAST_FUNC;
/* Receive one message into M; 0 on EOF, -errno on error, else length. */
int ev_bus_recv(int fd, ev_msg_t *m) FAST_FUNC;

/* Server side.  The server answers `emit` and `subscribe` itself: every
 * event goes to the history and, in order, to each subscriber whose
 * patterns (fnmatch globs on the event name) match it; a new subscriber
 * first gets the history (replay).  A subscriber that cannot keep up stops
 * being written to and catches up when its socket drains: the history is
 * the queue.  Other verbs go to the owner's hook. */
typedef struct ev_bus_client ev_bus_client_t;
typedef struct ev_bus_hooks {
	/* an event from a client: the owner queues it and publishes it
	 * (ev_bus_publish) when it handles it; return 0, or -errno to
	 * refuse it (the client gets the error).  NULL: publish at once. */
	int (*emit)(char **event) FAST_FUNC;
	/* any other verb; reply with ev_bus_reply(); NULL: "unknown verb" */
	void (*request)(ev_bus_client_t *c, char **argv) FAST_FUNC;
	/* a peer that was refused (uid) or a malformed message */
	void (*warn)(const char *msg) FAST_FUNC;
} ev_bus_hooks_t;

/* Listen on PATH (mode 0600, parent directory created), accepting peers
 * of uid ALLOW_UID only.  Returns 0 or -errno. */
int ev_bus_listen(const char *path, uid_t allow_uid, const ev_bus_hooks_t *hooks) FAST_FUNC;
/* Publish an event (NAME, KEY=VALUE..., NULL-terminated) from the owner. */
int ev_bus_publish(char **event) FAST_FUNC;
/* Reply to a request: "ok" or "error" then parts. */
int ev_bus_reply(ev_bus_client_t *c, const ev_msg_t *m) FAST_FUNC;
/* Number of connected clients and of events in the history. */
unsigned ev_bus_clients(void) FAST_FUNC;
unsigned ev_bus_history(void) FAST_FUNC;
void ev_bus_close(void) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
