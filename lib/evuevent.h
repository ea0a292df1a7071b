/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the kernel's uevents (evuevent.c).
 * The netlink socket, the checks on every message, parsing, coldplug over
 * a sysfs tree.  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVUEVENT_H
#define EVUEVENT_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

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
 * walk, or whose path does not fit in PATH_MAX, are skipped.  Returns the
 * number of devices, or -errno when SYSROOT/devices cannot be read
 * (-ENAMETOOLONG: SYSROOT leaves no room for it). */
int ev_coldplug(const char *sysroot,
		void (*cb)(ev_uevent_t *u, void *ctx) FAST_FUNC, void *ctx) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
