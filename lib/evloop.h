/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the event loop (evloop.c).
 * One poll() wait point shared by every ev applet: fd watches, monotonic
 * timers, signals via signalfd, child processes with exit callbacks.
 * Watches, timers and children are caller-owned structs linked into the
 * loop: no allocation in the steady state.  Never dies: errors are
 * returned as -errno.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVLOOP_H
#define EVLOOP_H 1

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

POP_SAVED_FUNCTION_VISIBILITY

#endif
