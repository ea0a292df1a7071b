/* vi: set sw=4 ts=4: */
/*
 * evbox event core: the loop.  One poll() over every watched fd, with the
 * nearest timer's absolute CLOCK_MONOTONIC deadline as its timeout; signals
 * come in through a signalfd, so no handler ever runs.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVCORE
//config:	bool
//config:	help
//config:	The event core shared by the ev applets (loop, uevents, bus).
//config:	Selected by the applets that use it; nothing to choose here.

//kbuild:lib-$(CONFIG_EVCORE) += evloop.o

#include "libbb.h"
#include "evloop.h"
#include <sys/signalfd.h>

static struct {
	ev_fd_t *fds;
	ev_timer_t *timers;		/* sorted by deadline */
	ev_child_t *children;
	struct pollfd *pfd;		/* poll set, grown when fds are added */
	ev_fd_t **ready;		/* the watch behind each pfd[i] */
	unsigned cap;
	unsigned nready;		/* entries of ready[] being dispatched */
	ev_fd_t sig;			/* the signalfd */
	sigset_t sigset;
	void (*sigcb)(int) FAST_FUNC;
	void (*orphan)(pid_t, int) FAST_FUNC;
	int stop, code;
} evl = { .sig = { .fd = -1 } };

ev_ms_t FAST_FUNC ev_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ev_ms_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- fd watches ---- */

void FAST_FUNC ev_fd_add(ev_fd_t *w)
{
	ev_fd_del(w);
	w->next = evl.fds;
	evl.fds = w;
}

void FAST_FUNC ev_fd_del(ev_fd_t *w)
{
	ev_fd_t **pp;
	unsigned i;

	for (pp = &evl.fds; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	/* It may be in the set being dispatched: never call it again. */
	for (i = 0; i < evl.nready; i++)
		if (evl.ready[i] == w)
			evl.ready[i] = NULL;
}

/* ---- timers ---- */

void FAST_FUNC ev_timer_stop(ev_timer_t *t)
{
	ev_timer_t **pp;

	for (pp = &evl.timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->deadline = EV_NEVER;
}

void FAST_FUNC ev_timer_at(ev_timer_t *t, ev_ms_t deadline)
{
	ev_timer_t **pp;

	ev_timer_stop(t);
	t->deadline = deadline;
	/* after those with the same deadline: equal deadlines fire in order */
	for (pp = &evl.timers; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
		continue;
	t->next = *pp;
	*pp = t;
}

void FAST_FUNC ev_timer_in(ev_timer_t *t, unsigned ms)
{
	ev_timer_at(t, ev_now() + ms);
}

/* ---- signals and children ---- */

static void reap(void)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		ev_child_t **pp, *c;

		for (pp = &evl.children; (c = *pp) != NULL; pp = &c->next)
			if (c->pid == pid)
				break;
		if (c) {
			*pp = c->next;
			c->cb(c, status);
		} else if (evl.orphan) {
			evl.orphan(pid, status);
		}
	}
}

static void FAST_FUNC signal_ready(ev_fd_t *w, short revents UNUSED_PARAM)
{
	struct signalfd_siginfo si[8];
	ssize_t n;
	unsigned i;

	while ((n = read(w->fd, si, sizeof(si))) > 0) {
		for (i = 0; i < n / sizeof(si[0]); i++) {
			if (si[i].ssi_signo == SIGCHLD)
				reap();
			else if (evl.sigcb)
				evl.sigcb(si[i].ssi_signo);
		}
	}
}

int FAST_FUNC ev_signals(const sigset_t *set, void (*cb)(int signo) FAST_FUNC)
{
	int fd, i;

	if (evl.sig.fd < 0)
		sigemptyset(&evl.sigset);
	if (set)
		for (i = 1; i < NSIG; i++)
			if (sigismember(set, i) == 1)
				sigaddset(&evl.sigset, i);
	sigaddset(&evl.sigset, SIGCHLD);
	if (cb)
		evl.sigcb = cb;
	if (sigprocmask(SIG_BLOCK, &evl.sigset, NULL) < 0)
		return -errno;
	fd = signalfd(evl.sig.fd, &evl.sigset, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (evl.sig.fd < 0) {
		evl.sig.fd = fd;
		evl.sig.events = POLLIN;
		evl.sig.cb = signal_ready;
		ev_fd_add(&evl.sig);
	}
	return 0;
}

void FAST_FUNC ev_child_add(ev_child_t *c)
{
	if (evl.sig.fd < 0)
		ev_signals(NULL, NULL);
	ev_child_del(c);
	c->next = evl.children;
	evl.children = c;
}

void FAST_FUNC ev_child_del(ev_child_t *c)
{
	ev_child_t **pp;

	for (pp = &evl.children; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			return;
		}
	}
}

void FAST_FUNC ev_orphans(void (*orphan)(pid_t pid, int status) FAST_FUNC)
{
	evl.orphan = orphan;
}

pid_t FAST_FUNC ev_fork(ev_child_t *c, int (*child)(void *arg), void *arg)
{
	sigset_t none;
	pid_t pid;

	if (evl.sig.fd < 0)
		ev_signals(NULL, NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		die_func = NULL;	/* the child dies as itself */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(child(arg));
	}
	c->pid = pid;
	ev_child_add(c);
	return pid;
}

pid_t FAST_FUNC ev_spawn_fn(ev_child_t *c, int (*child)(void *arg), void *arg)
{
	sigset_t none;
	int pfd[2], err = 0;
	pid_t pid;

	/* A close-on-exec pipe tells whether exec worked: the child writes
	 * its errno when it did not, the parent sees EOF when it did. */
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	if (evl.sig.fd < 0)
		ev_signals(NULL, NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return err;
	}
	if (pid == 0) {
		die_func = NULL;	/* the child dies as itself */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		err = child(arg);	/* returns only when exec failed */
		if (write(pfd[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pfd[1]);
	if (safe_read(pfd[0], &err, sizeof(err)) == sizeof(err)) {
		close(pfd[0]);
		waitpid(pid, NULL, 0);
		return -err;
	}
	close(pfd[0]);
	c->pid = pid;
	ev_child_add(c);
	return pid;
}

struct spawn_args {
	char **argv, **envp;
};

static int exec_args(void *arg)
{
	struct spawn_args *a = arg;

	execvpe(a->argv[0], a->argv, a->envp ? a->envp : environ);
	return errno;
}

pid_t FAST_FUNC ev_spawn(ev_child_t *c, char **argv, char **envp)
{
	struct spawn_args a = { argv, envp };

	return ev_spawn_fn(c, exec_args, &a);
}

/* ---- the wait point ---- */

void FAST_FUNC ev_stop(int code)
{
	evl.stop = 1;
	evl.code = code;
}

/* Copy the active watches into the poll set.  It only grows; when memory
 * runs out, the watches that do not fit wait for the next round. */
static unsigned build_pollset(void)
{
	ev_fd_t *w;
	unsigned n = 0;

	for (w = evl.fds; w; w = w->next) {
		if (!w->events)
			continue;
		if (n == evl.cap) {
			unsigned cap = evl.cap ? evl.cap * 2 : 16;
			void *p = realloc(evl.pfd, cap * sizeof(evl.pfd[0]));
			void *r;

			if (!p)
				break;
			evl.pfd = p;
			r = realloc(evl.ready, cap * sizeof(evl.ready[0]));
			if (!r)
				break;
			evl.ready = r;
			evl.cap = cap;
		}
		evl.pfd[n].fd = w->fd;
		evl.pfd[n].events = w->events;
		evl.pfd[n].revents = 0;
		evl.ready[n] = w;
		n++;
	}
	return n;
}

int FAST_FUNC ev_run(void)
{
	evl.stop = 0;
	while (!evl.stop) {
		ev_ms_t now = ev_now();
		int timeout = -1;
		unsigned n, i;

		if (evl.timers) {
			ev_timer_t *t = evl.timers;

			if (t->deadline <= now) {
				evl.timers = t->next;
				t->deadline = EV_NEVER;
				t->cb(t);
				continue;
			}
			timeout = t->deadline - now > INT_MAX ? INT_MAX : (int)(t->deadline - now);
		}
		n = build_pollset();
		if (poll(evl.pfd, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		evl.nready = n;		/* ev_fd_del() may clear entries */
		for (i = 0; i < n && !evl.stop; i++) {
			ev_fd_t *w = evl.ready[i];

			if (w && evl.pfd[i].revents)
				w->cb(w, evl.pfd[i].revents);
		}
		evl.nready = 0;
	}
	return evl.code;
}
