/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the kernel command line (evcmdline.c), for evinit and the
 * applets its jobs run.  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVCMDLINE_H
#define EVCMDLINE_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

typedef struct ev_cmdline {
	char *root, *rootfstype, *rootflags, *init, *brk, *panic;
	int ro;			/* 1 ro, 0 rw, -1 not given */
	int rootwait, quiet, debug, shell;	/* shell: rd.shell (default 1) */
	int rootdelay;		/* seconds; -1 not given (rootdelay= or rd.timeout=) */
	int warn;		/* log what is ignored (evinit sets it) */
	char **env;		/* every param as KEY=VALUE (flags as KEY=1),
				 * for the jobs; '.' and '-' become '_' */
} ev_cmdline_t;
extern ev_cmdline_t ev_cmdline;
/* Parse TEXT (quotes as the kernel does); unknown parameters are kept
 * for the jobs and otherwise ignored; nonsense values are warned about. */
void ev_cmdline_parse(char *text) FAST_FUNC;
/* Split TEXT in place into the kernel's words (quotes as the kernel
 * does; up to "--") and hand each KEY and VALUE (NULL for a bare word) to
 * CB: for parameters that may come more than once (rd.luks.uuid=). */
void ev_cmdline_words(char *text, void (*cb)(char *key, char *val, void *ctx) FAST_FUNC,
		void *ctx) FAST_FUNC;
/* Is the break stage STAGE (top, premount, mount, bottom) asked for? */
int ev_cmdline_break(const char *stage) FAST_FUNC;
/* The image's defaults (ev_root/etc/evinit/cmdline), then the kernel's
 * (ev_root/proc/cmdline), newlines as blanks: malloc'd, NULL on OOM. */
char *ev_cmdline_read(void) FAST_FUNC;
/* KEY=SECONDS (1-3600) from the parsed line, the last one given, else
 * DFLT; a value that is no such number is warned about (with warn). */
unsigned ev_cmdline_secs(const char *key, unsigned dflt) FAST_FUNC;
/* The last KEY= of the parsed line, NULL if none (a flag's value is "1"). */
const char *ev_cmdline_get(const char *key) FAST_FUNC;
/* Which network root the parsed line names: root=/dev/nfs, root=dhcp,
 * root=nfs:, root=nfs4: (NFS); root=nbd:, netroot=nbd:, nbdroot= (NBD);
 * root=live:http://, https://, ftp:// (LIVE, an image fetched to RAM). */
enum { EV_NETROOT_NONE, EV_NETROOT_NFS, EV_NETROOT_NBD, EV_NETROOT_LIVE };
int ev_cmdline_netroot(void) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
