/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the NBD protocol's client side (evnbdproto.c) for evnbd:
 * the root specs of the kernel command line, a TCP connection with a
 * deadline, and the fixed newstyle handshake (NBD_OPT_GO, falling back to
 * NBD_OPT_EXPORT_NAME; NBD_OPT_LIST; NBD_OPT_ABORT).  Every read has an
 * absolute deadline: a silent or hostile server costs at most that.
 * Never dies: errors are -1 with the reason in WHY.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVNBDPROTO_H
#define EVNBDPROTO_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

#define EV_NBD_PORT		"10809"	/* IANA's, nbd-server's default */
#define EV_NBD_NAME_MAX		4096	/* the protocol's bound on an export name */
#define EV_NBD_REPLY_MAX	65536	/* a reply longer than this is refused */

/* What a root spec asks for.  Strings are "" when not given. */
typedef struct ev_nbd_spec {
	char from[16];			/* "root=", "netroot=", "nbdroot=" */
	char server[256];		/* an address; "" (nbdroot=): the DHCP server */
	char port[8];			/* digits */
	char export[256];
	char dev[32];			/* /dev/nbdN */
	char fstype[32];
	char mountopts[256];
	unsigned bs;			/* NBDOPTS bs= (0: the server's or 512) */
	unsigned timeout;		/* NBDOPTS timeout= seconds (0: the default) */
	char ignored[256];		/* NBDOPTS evnbd does not use, said */
} ev_nbd_spec_t;

/* dracut's nbd:SERVER:PORT[/EXPORT][:FSTYPE[:MOUNTOPTS[:NBDOPTS]]] after
 * FROM ("root=" or "netroot="), SERVER maybe [IPv6]; a PORT that is no
 * number is an export name on port 10809 (dracut's nbd-client -N). */
int ev_nbd_parse_dracut(const char *from, const char *val, ev_nbd_spec_t *s,
		char *why, unsigned whylen) FAST_FUNC;
/* initramfs-tools' nbdroot=[SERVER],PORT|EXPORT[,nbdN] (LTSP's
 * [SERVER]:PORT|EXPORT too); an empty SERVER is the DHCP server's. */
int ev_nbd_parse_nbdroot(const char *val, ev_nbd_spec_t *s, char *why, unsigned whylen) FAST_FUNC;
/* /dev/nbdN -> N, or -1. */
int ev_nbd_dev_index(const char *dev) FAST_FUNC;

/* What the server said of its export. */
typedef struct ev_nbd_info {
	uint64_t size;			/* bytes */
	uint16_t flags;			/* transmission flags (NBD_FLAG_*) */
	uint16_t hflags;		/* the handshake's flags */
	uint32_t bs_min, bs_pref, bs_max;	/* NBD_INFO_BLOCK_SIZE; 0: not said */
	int go;				/* 1: NBD_OPT_GO, 0: NBD_OPT_EXPORT_NAME */
} ev_nbd_info_t;

/* Connect to SERVER (a numeric IPv4 or IPv6 address) PORT by DEADLINE
 * (ev_now() milliseconds): a non-blocking, close-on-exec socket, or -1
 * (WHY), or -2 at the deadline. */
int ev_nbd_dial(const char *server, const char *port, unsigned long long deadline,
		char *why, unsigned whylen) FAST_FUNC;
/* The greeting (fixed newstyle; oldstyle is refused) and our flags.
 * 0, -1 with WHY, or -2 (WHY: what it waited for) at the deadline. */
int ev_nbd_greet(int fd, unsigned long long deadline, ev_nbd_info_t *info,
		char *why, unsigned whylen) FAST_FUNC;
/* NBD_OPT_GO for EXPORT ("" the default; NBD_OPT_EXPORT_NAME when the
 * server answers NBD_REP_ERR_UNSUP or is not fixed newstyle): the
 * transmission phase.  (Not NBD_OPT_INFO: nbd-server 3.24 answers it
 * with a size of 0.)  0, -1 or -2 as ev_nbd_greet(). */
int ev_nbd_go(int fd, const char *export, unsigned long long deadline,
		ev_nbd_info_t *info, char *why, unsigned whylen) FAST_FUNC;
/* NBD_OPT_LIST: each export's name to CB.  0, -1 or -2. */
int ev_nbd_list(int fd, unsigned long long deadline,
		void (*cb)(const char *name, void *ctx) FAST_FUNC, void *ctx,
		char *why, unsigned whylen) FAST_FUNC;
/* NBD_OPT_ABORT (the option phase), NBD_CMD_DISC (the transmission
 * phase): the server told we go, its answer not waited for. */
void ev_nbd_abort(int fd) FAST_FUNC;
void ev_nbd_disc(int fd) FAST_FUNC;
/* The transmission flags as words ("read-only flush fua ..."). */
char *ev_nbd_flags_str(uint16_t flags, char *buf, unsigned size) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
