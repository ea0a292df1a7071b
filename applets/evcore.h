/* vi: set sw=4 ts=4: */
/*
 * evbox event core: one poll() wait point shared by every ev applet.
 *
 *   evloop.c    the loop: fd watches, monotonic timers, signals via
 *               signalfd, child processes with exit callbacks
 *   evuevent.c  the kernel's uevents: netlink socket, message checks,
 *               parsing, coldplug over a sysfs tree
 *   evbus.c     the bus: SOCK_SEQPACKET unix socket, NUL-separated
 *               messages, emit / subscribe with replay
 *
 * Watches, timers and children are caller-owned structs linked into the
 * loop: no allocation in the steady state.  Core functions return an error
 * (negative errno) and never die: PID 1 and the command-line tools decide
 * differently what an error means.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVCORE_H
#define EVCORE_H 1

#include <poll.h>
#include <signal.h>

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- the loop (evloop.c) ------------------------------------------------ */

typedef unsigned long long ev_ms_t;	/* CLOCK_MONOTONIC, milliseconds */
#define EV_NEVER ((ev_ms_t)-1)

ev_ms_t ev_now(void) FAST_FUNC;

typedef struct ev_fd {
	struct ev_fd *next;
	int fd;
	short events;		/* POLLIN/POLLOUT; 0 pauses the watch */
	void (*cb)(struct ev_fd *w, short revents) FAST_FUNC;
	void *data;
} ev_fd_t;

typedef struct ev_timer {
	struct ev_timer *next;
	ev_ms_t deadline;	/* absolute; EV_NEVER when not armed */
	void (*cb)(struct ev_timer *t) FAST_FUNC;
	void *data;
} ev_timer_t;

typedef struct ev_child {
	struct ev_child *next;
	pid_t pid;
	/* status as from waitpid() */
	void (*cb)(struct ev_child *c, int status) FAST_FUNC;
	void *data;
} ev_child_t;

void ev_fd_add(ev_fd_t *w) FAST_FUNC;
void ev_fd_del(ev_fd_t *w) FAST_FUNC;

/* Arm at an absolute deadline, or ms from now; re-arming moves it. */
void ev_timer_at(ev_timer_t *t, ev_ms_t deadline) FAST_FUNC;
void ev_timer_in(ev_timer_t *t, unsigned ms) FAST_FUNC;
void ev_timer_stop(ev_timer_t *t) FAST_FUNC;

/* Block the signals in SET and receive them through the loop: CB runs
 * from the loop, never from a handler.  SIGCHLD is always included and
 * reaps children.  Returns 0 or -errno. */
int ev_signals(const sigset_t *set, void (*cb)(int signo) FAST_FUNC) FAST_FUNC;

/* Watch a child started by the caller; CB gets its waitpid() status.
 * Children nobody watches are reaped and given to ORPHAN (may be NULL). */
void ev_child_add(ev_child_t *c) FAST_FUNC;
void ev_child_del(ev_child_t *c) FAST_FUNC;
void ev_orphans(void (*orphan)(pid_t pid, int status) FAST_FUNC) FAST_FUNC;

/* Start ARGV (argv[0] a path or a name in $PATH) with signals unblocked
 * and the loop's fds closed; watch it with C.  Returns pid or -errno. */
pid_t ev_spawn(ev_child_t *c, char **argv, char **envp) FAST_FUNC;
/* The same with CHILD(ARG) run in the child, with signals unblocked: it
 * sets the child up and execs; what it returns is the errno of a failed
 * exec, which the parent gets back as -errno. */
pid_t ev_spawn_fn(ev_child_t *c, int (*child)(void *arg), void *arg) FAST_FUNC;
/* Fork and run CHILD(ARG) in the child, signals unblocked, its return
 * value the exit status (the loop's fds stay open there, unread); watch
 * it with C.  For work done in a process of its own without an exec.
 * Returns pid or -errno. */
pid_t ev_fork(ev_child_t *c, int (*child)(void *arg), void *arg) FAST_FUNC;

/* Wait for and dispatch events until ev_stop(); returns its code. */
int ev_run(void) FAST_FUNC;
void ev_stop(int code) FAST_FUNC;


/* ---- uevents (evuevent.c) ----------------------------------------------- */

/* The kernel's messages are at most UEVENT_BUFFER_SIZE (2048) bytes of
 * environment plus the ACTION@DEVPATH header. */
#define EV_UEVENT_MAX	 8192
#define EV_UEVENT_KEYS	 64

typedef struct ev_uevent {
	const char *action;	/* add, remove, change, move, bind, ... */
	const char *devpath;	/* /devices/... */
	const char *subsystem;	/* may be "" */
	const char *devname;	/* may be NULL */
	unsigned long long seqnum;
	int nkeys;
	const char *key[EV_UEVENT_KEYS];	/* "KEY=VALUE" pointers into buf */
} ev_uevent_t;

/* Open the NETLINK_KOBJECT_UEVENT socket: non-blocking, close-on-exec,
 * kernel-assigned port, credentials passed, a large receive buffer.
 * Returns fd or -errno. */
int ev_uevent_open(void) FAST_FUNC;

/* Why a message was not taken; ev_uevent_why() says it in words. */
enum {
	EV_UE_OK = 0,
	EV_UE_NOT_KERNEL,	/* nl_pid != 0 or sender not uid 0 */
	EV_UE_TRUNCATED,	/* did not fit the buffer */
	EV_UE_NO_NUL,		/* last byte is not NUL */
	EV_UE_MALFORMED,	/* no ACTION@DEVPATH, or a key without '=' */
	EV_UE_LIBUDEV,		/* a "libudev" monitor message */
	EV_UE_TOO_MANY,		/* more than EV_UEVENT_KEYS keys */
};
const char *ev_uevent_why(int why) FAST_FUNC;

/* Read one message into BUF.  Returns its length (>0), -EAGAIN when
 * nothing is queued, -ENOBUFS when the kernel dropped messages (the caller
 * rescans sysfs), another -errno, or 0 for a message that was dropped: then
 * *WHY says which check it failed. */
int ev_uevent_recv(int fd, char *buf, unsigned size, int *why) FAST_FUNC;

/* Check the sender and shape of a received message (the part of
 * ev_uevent_recv that needs no socket, for tests).  Returns EV_UE_*. */
int ev_uevent_check(const char *buf, unsigned len, unsigned sender_port,
		unsigned sender_uid, int truncated) FAST_FUNC;

/* Split a checked message in place into U.  Returns EV_UE_*. */
int ev_uevent_parse(char *buf, unsigned len, ev_uevent_t *u) FAST_FUNC;

/* The value of KEY in U, or NULL. */
const char *ev_uevent_get(const ev_uevent_t *u, const char *key) FAST_FUNC;

/* Coldplug: for every device (the ones SYSROOT/bus/NAME/devices/ and
 * SYSROOT/class/NAME/ link to; without SYSROOT/bus, every directory under
 * SYSROOT/devices holding a uevent file), parents before children, build the "add" message the kernel would
 * have sent (ACTION, DEVPATH, SUBSYSTEM from the subsystem link, then the
 * file's lines) and hand it to CB, parsed.  Devices that vanish during the
 * walk are skipped.  Returns the number of devices, or -errno when
 * SYSROOT/devices cannot be read. */
int ev_coldplug(const char *sysroot,
		void (*cb)(ev_uevent_t *u, void *ctx) FAST_FUNC, void *ctx) FAST_FUNC;


/* ---- kernel modules (evmod.c; evinit and evmount) ---------------------- */

/* Load module NAME from DIR (lib/modules/VERSION) with finit_module():
 * modules.softdep's pre: modules (best effort), what modules.dep says it
 * needs, then NAME; one already loaded counts as loaded.  Meant for a
 * forked child (it allocates and does not free).  Returns 0, -ENOENT when
 * modules.dep has no plain .ko for it (modprobe may know better), or the
 * -errno of the load that failed; WHAT names the file. */
int ev_mod_load(const char *dir, const char *name, char *what, unsigned size) FAST_FUNC;
/* NAME, a module or an alias of some ("crypto-xts"): each module it stands
 * for, best effort (none in the image: the kernel may have it built in). */
void ev_mod_load_soft(const char *dir, const char *name) FAST_FUNC;
/* The body of a forked child that loads NAME: ev_mod_load(), else (or
 * with MODPROBE_ONLY) exec modprobe -b NAME.  Returns the exit status. */
int ev_mod_child(const char *dir, const char *name, int modprobe_only) FAST_FUNC;

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

/* ---- device specs (evspec.c; evmount, evcrypt) -------------------------- */

enum {
	EV_SPEC_UUID, EV_SPEC_LABEL, EV_SPEC_PARTUUID, EV_SPEC_PARTLABEL,
	EV_SPEC_PATH, EV_SPEC_DEVNO, EV_SPEC_BAD,
};
typedef struct ev_spec {
	int kind;		/* EV_SPEC_* */
	char *value;		/* the UUID, label or path (decoded) */
	unsigned major, minor;	/* EV_SPEC_DEVNO */
} ev_spec_t;
/* Parse S (UUID=, LABEL=, PARTUUID=, PARTLABEL=, /dev/..., /dev/disk/by-*
 * links, MAJ:MIN, the kernel's hex): 0, or -EINVAL (kind EV_SPEC_BAD). */
int ev_spec_parse(const char *s, ev_spec_t *sp) FAST_FUNC;
/* Does the block-device-* event EV name the device SP names?  ROOT ("" or
 * a test tree) prefixes the paths compared as files. */
int ev_spec_match(const ev_spec_t *sp, char **ev, const char *root) FAST_FUNC;
/* udev's \xNN escapes decoded in place */
void ev_unhex(char *s) FAST_FUNC;

/* ---- the bus client of the applets jobs run (evclient.c) --------------- */

/* Connect to evinit's bus ($EVBUS): subscribe to PATTERNS (NUL-separated,
 * ending in an empty one) and hand each event to EVENT from the loop
 * (NULL when evinit closes the bus).  Returns 0, or -errno without evinit. */
int ev_client_open(const char *patterns, void (*event)(char **ev) FAST_FUNC) FAST_FUNC;
int ev_client_connected(void) FAST_FUNC;
/* QUIET: only errors on the console (the log gets everything). */
void ev_client_quiet(int quiet) FAST_FUNC;
/* "APPLET: [error: ]MESSAGE" on stderr and in evinit's log. */
void ev_client_say(int err, const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 2, 3)));
/* Emit NAME with KEY=VALUE parts (NULL-terminated); nothing without evinit. */
void ev_client_emit(const char *name, ...) FAST_FUNC;
void ev_client_emitv(const char *name, char **kv) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
