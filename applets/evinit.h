/* vi: set sw=4 ts=4: */
/*
 * evinit's parts, one concern per file:
 *   evinit.c     PID 1: start, rescue, switch to the real root, test mode
 *   evengine.c   jobs and events: instances, lifecycle, blocking, replay
 *   evdev.c      the device manager (the job "udevd"): uevents -> modules,
 *                probes, /dev/disk links, block-device-* events
 *   evcmdline.c  the kernel command line
 *   evlog.c      the log and the timeline
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVINIT_H
#define EVINIT_H 1

#include "evcore.h"
#include "evjob.h"

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- paths: everything under one root, "/" when booting; a directory
 * holding etc/evinit, sys, dev, run in test mode ---- */
extern const char *ev_root;
/* ev_root + path, in a static buffer that the next call reuses */
const char *ev_path(const char *path) FAST_FUNC;

/* ---- log (evlog.c) ---- */
enum { LOG_ERR_ = 0, LOG_WARN_, LOG_INFO_, LOG_DEBUG_ };
/* Open /run/initramfs/evinit.log (under ev_root); before that, lines are
 * kept in memory and written when it opens.  QUIET: errors only on the
 * console; DEBUG: everything on the console. */
void ev_log_open(int quiet, int debug) FAST_FUNC;
void ev_log(int level, const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 2, 3)));
#define ev_err(...)   ev_log(LOG_ERR_, __VA_ARGS__)
#define ev_warn(...)  ev_log(LOG_WARN_, __VA_ARGS__)
#define ev_info(...)  ev_log(LOG_INFO_, __VA_ARGS__)
#define ev_debug(...) ev_log(LOG_DEBUG_, __VA_ARGS__)
/* Milliseconds since evinit started (the timeline's clock). */
unsigned ev_log_ms(void) FAST_FUNC;
/* Say it on the console whatever `quiet` says (prompts, rescue). */
void ev_console(const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 1, 2)));

/* ---- kernel command line (evcmdline.c) ---- */
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

/* ---- jobs and events (evengine.c) ---- */
/* Load the jobs in DIR (malformed files are reported and skipped). */
void ev_engine_load(const char *dir) FAST_FUNC;
/* Queue an event (name, KEY=VALUE..., NULL); copied.  Returns 0 or
 * -errno. */
int ev_emit(char **ev) FAST_FUNC;
int ev_emitv(const char *name, ...) FAST_FUNC;	/* NULL-terminated K=V */
/* Queue an event; DONE(CTX) runs when it is handled and nothing it
 * started or stopped blocks it any more. */
int ev_emit_then(char **ev, void (*done)(void *ctx) FAST_FUNC, void *ctx) FAST_FUNC;
/* Add a job evinit made itself; start a job by name (-ENOENT). */
void ev_engine_add(ev_jobdef_t *def) FAST_FUNC;
int ev_engine_start(const char *name) FAST_FUNC;
/* Stop every job but those marked keep; CB runs when all have stopped. */
void ev_engine_stop_all(void (*cb)(void) FAST_FUNC) FAST_FUNC;
/* Nothing queued, nothing starting or stopping. */
int ev_engine_idle(void) FAST_FUNC;
/* Run the queue soon (and so check for idle) from the loop. */
void ev_engine_poke(void) FAST_FUNC;
/* Answer a bus "status" request into M; write the state file to FD. */
void ev_engine_status(ev_msg_t *m) FAST_FUNC;
void ev_engine_state(FILE *f) FAST_FUNC;
/* Pids of the processes of keep jobs, for the switch to the real root. */
int ev_engine_keep_pids(pid_t *pids, int max) FAST_FUNC;
/* Hooks evinit.c provides. */
void ev_hook_event(char **ev) FAST_FUNC;		/* every event, as handled */
void ev_hook_critical(const char *job, const char *why) FAST_FUNC;
void ev_hook_idle(void) FAST_FUNC;		/* nothing left to do */

/* ---- device manager (evdev.c) ---- */
/* Open the uevent socket (unless NETLINK is 0, for tests), coldplug
 * ev_root/sys, then follow hotplug.  Emits started udevd. */
int ev_dev_start(int netlink) FAST_FUNC;
void ev_dev_stop(void) FAST_FUNC;
/* modprobe children still running or waiting to run */
int ev_dev_busy(void) FAST_FUNC;
/* Print every block device seen, with type and UUID (for rescue). */
void ev_dev_list(void (*out)(const char *line) FAST_FUNC) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
