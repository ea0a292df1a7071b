/* vi: set sw=4 ts=4: */
/*
 * evinit's private parts, one concern per file; only evinit.c (and evtest,
 * which drives the engine alone) includes this:
 *   ../evinit.c  PID 1: start, signals, rescue, the bus's verbs
 *   evengine.c   jobs and events: instances, lifecycle, blocking, replay
 *   evdev.c      the device manager (the job "udevd"): uevents -> modules,
 *                probes in children, /dev/disk links, block-device-* events
 *   evswitch.c   the checked switch to the real root
 *
 * The engine reaches evinit only through ev_engine_hooks_t: it can be run
 * and tested without a PID 1 around it.  All of it runs in PID 1: it
 * never dies and never blocks (x-functions are for one-shot tools).
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVINIT_H
#define EVINIT_H 1

#include "../../lib/evloop.h"
#include "../../lib/evbus.h"
#include "../../lib/evjob.h"
#include "../../lib/evlog.h"
#include "../../lib/evpath.h"
#include "../../lib/evcmdline.h"
#include "../../lib/evnames.h"

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- jobs and events (evengine.c) ---- */
typedef struct ev_engine_hooks {
	/* every event, as it is handled (before the jobs see it) */
	void (*event)(char **ev) FAST_FUNC;
	/* every event goes out to the bus's subscribers (NULL: nowhere) */
	int (*publish)(char **ev) FAST_FUNC;
	/* a job marked critical failed */
	void (*critical)(const char *job, const char *why) FAST_FUNC;
	/* nothing queued, nothing starting, running or stopping */
	void (*idle)(void) FAST_FUNC;
} ev_engine_hooks_t;
void ev_engine_init(const ev_engine_hooks_t *hooks) FAST_FUNC;

/* Load the jobs in DIR (malformed files are reported and skipped); jobs
 * loaded before stay as they are (a reload adds what is new). */
void ev_engine_load(const char *dir) FAST_FUNC;
/* Queue an event (name, KEY=VALUE..., NULL); copied.  Returns 0 or
 * -errno. */
int ev_emit(char **ev) FAST_FUNC;
int ev_emitv(const char *name, ...) FAST_FUNC;	/* NULL-terminated K=V */
/* Queue an event; DONE(CTX) runs when it is handled and nothing it
 * started or stopped blocks it any more. */
int ev_emit_then(char **ev, void (*done)(void *ctx) FAST_FUNC, void *ctx) FAST_FUNC;
/* From the event hook: DONE(CTX) runs when the event being handled is
 * done (the jobs it started have reached their goal).  When that takes
 * more than TIMEOUT_MS (0: no limit), the jobs still blocking it are
 * named with LIMIT_NAME (what sets the limit), stopped, and DONE runs
 * anyway.  Returns 0, -EINVAL outside the hook or when the event has a
 * DONE already. */
int ev_engine_when_done(void (*done)(void *ctx) FAST_FUNC, void *ctx,
		unsigned timeout_ms, const char *limit_name) FAST_FUNC;
/* Add a job evinit made itself; start a job by name (-ENOENT). */
void ev_engine_add(ev_jobdef_t *def) FAST_FUNC;
int ev_engine_start(const char *name) FAST_FUNC;
/* Stop every job but those marked keep; CB runs when all have stopped. */
void ev_engine_stop_all(void (*cb)(void) FAST_FUNC) FAST_FUNC;
/* Nothing queued, nothing starting or stopping. */
int ev_engine_idle(void) FAST_FUNC;
/* Run the queue soon (and so check for idle) from the loop. */
void ev_engine_poke(void) FAST_FUNC;
/* Answer a bus "status" request into M; write the state file to F. */
void ev_engine_status(ev_msg_t *m) FAST_FUNC;
void ev_engine_state(FILE *f) FAST_FUNC;
/* Pids of the processes of keep jobs, for the switch to the real root. */
int ev_engine_keep_pids(pid_t *pids, int max) FAST_FUNC;
/* The job whose main process is PID, or NULL. */
const char *ev_engine_job_of(pid_t pid) FAST_FUNC;

/* ---- device manager (evdev.c) ---- */
/* Open the uevent socket (unless NETLINK is 0, for tests), coldplug
 * ev_root/sys, then follow hotplug.  Emits started udevd. */
int ev_dev_start(int netlink) FAST_FUNC;
void ev_dev_stop(void) FAST_FUNC;
/* module loads or probes still running or waiting to run */
int ev_dev_busy(void) FAST_FUNC;
/* Print every block device seen, with type and UUID (for rescue). */
void ev_dev_list(void (*out)(const char *line) FAST_FUNC) FAST_FUNC;
/* The probes under way, as parts of a bus "status" answer. */
void ev_dev_status(ev_msg_t *m) FAST_FUNC;

/* ---- the switch (evswitch.c) ---- */
/* Why the real root at ROOT cannot be switched to, or NULL when it can:
 * ROOT must be a mount point, "/" a ramfs or tmpfs, and an init there.
 * *INIT gets the init to run. */
const char *ev_switch_check(const char *root, const char **init) FAST_FUNC;
/* The irreversible tail: move /dev /proc /sys /run into ROOT, delete
 * the initramfs, chroot, exec INIT.  Returns only on failure before
 * anything was deleted (with the reason). */
const char *ev_switch(const char *root, const char *init) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
