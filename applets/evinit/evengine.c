/* vi: set sw=4 ts=4: */
/*
 * evinit: jobs and events, upstart's way.
 *
 * An event is handled once, in the order it was queued: every job's
 * `stop on` and `start on` see it.  The instances it starts or stops
 * "block" it until they reach their goal (a service: running; a task:
 * stopped).  A job's own `starting` and `stopping` events block the job:
 * so `start on starting mountall` runs before mountall does.
 *
 *   waiting -> starting -> pre-start -> running -> stopping -> killed
 *          -> post-stop -> waiting
 *
 * Events that are state (a device that is there, a mounted root) are kept,
 * and given to jobs loaded later: a late job sees what happened before it.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVINIT) += evengine.o
//kbuild:lib-$(CONFIG_EVTEST) += evengine.o

#include "libbb.h"
#include "evinit.h"

enum { S_WAITING, S_STARTING, S_PRESTART, S_RUNNING, S_STOPPING, S_KILLED, S_POSTSTOP };
static const char state_names[] ALIGN1 =
	"waiting\0" "starting\0" "pre-start\0" "running\0" "stopping\0" "killed\0" "post-stop\0";
enum { P_NONE, P_PRESTART, P_MAIN, P_POSTSTOP };

typedef struct evq evq_t;
typedef struct inst inst_t;

typedef struct job {
	struct job *next;
	ev_jobdef_t *def;
	const char *name;
	inst_t *insts;
	unsigned respawns;	/* within the current window */
	ev_ms_t respawn_window;
	unsigned runs;		/* instances that reached stopped */
	char last[40];		/* how the last one ended */
} job_t;

typedef struct blocker {
	struct blocker *next;
	evq_t *ev;
} blocker_t;

struct inst {
	inst_t *next;
	job_t *job;
	char *name;		/* instance name, "" for a single instance */
	char **env;
	int state, goal;	/* goal: 1 start, 0 stop */
	int proc;		/* which of the job's processes runs */
	ev_child_t child;
	pid_t main_pid;
	ev_timer_t kill_timer;
	int failed, exit_status, exit_signal;
	blocker_t *blocking;
	evq_t *waiting;		/* its starting/stopping event, until done */
	ev_ms_t since;
};

struct evq {
	evq_t *next;
	char **ev;		/* one allocation: the pointers, then the text */
	unsigned blockers;
	inst_t *waiter;		/* its starting/stopping event */
	void (*done)(void *ctx) FAST_FUNC;	/* ev_emit_then() */
	void *ctx;
	int handled;
	ev_timer_t limit;	/* ev_engine_when_done()'s timeout */
	unsigned limit_s;	/* the same in seconds, for the message */
	const char *limit_name;	/* the parameter that sets it */
};

static struct {
	job_t *jobs;
	evq_t *head, **tail;
	ev_timer_t kick;
	evq_t *retained;	/* state events, for late jobs */
	evq_t *current;		/* the event being handled, for the hook */
	void (*all_stopped)(void) FAST_FUNC;
	const ev_engine_hooks_t *hooks;
} en;

static const ev_engine_hooks_t no_hooks;

void FAST_FUNC ev_engine_init(const ev_engine_hooks_t *hooks)
{
	en.hooks = hooks ? hooks : &no_hooks;
}

static void inst_step(inst_t *in);

/* ---- events ---- */

static char **ev_copy(char **ev)
{
	unsigned n = 0, len = 0, i;
	char **copy, *p;

	while (ev[n])
		len += strlen(ev[n++]) + 1;
	copy = malloc((n + 1) * sizeof(char *) + len);
	if (!copy)
		return NULL;
	p = (char *)(copy + n + 1);
	for (i = 0; i < n; i++) {
		copy[i] = p;
		p = stpcpy(p, ev[i]) + 1;
	}
	copy[n] = NULL;
	return copy;
}

static void FAST_FUNC run_queue(ev_timer_t *t);

/* Handle the queue from the loop, not from whoever queued. */
static void kick(void)
{
	en.kick.cb = run_queue;
	ev_timer_at(&en.kick, 0);
}

static evq_t *queue(char **ev, inst_t *waiter)
{
	evq_t *q = calloc(1, sizeof(*q));

	if (!q || !(q->ev = ev_copy(ev))) {
		free(q);
		ev_err("out of memory: event %s lost", ev[0]);
		return NULL;
	}
	q->waiter = waiter;
	if (!en.tail)
		en.tail = &en.head;
	*en.tail = q;
	en.tail = &q->next;
	kick();
	return q;
}

void FAST_FUNC ev_engine_poke(void)
{
	kick();
}

int FAST_FUNC ev_emit(char **ev)
{
	return queue(ev, NULL) ? 0 : -ENOMEM;
}

int FAST_FUNC ev_emit_then(char **ev, void (*done)(void *ctx) FAST_FUNC, void *ctx)
{
	evq_t *q = queue(ev, NULL);

	if (!q)
		return -ENOMEM;
	q->done = done;
	q->ctx = ctx;
	return 0;
}

int FAST_FUNC ev_emitv(const char *name, ...)
{
	char *ev[EV_MSG_ARGS + 1];
	unsigned n = 0;
	va_list ap;

	ev[n++] = (char *)name;
	va_start(ap, name);
	while (n < EV_MSG_ARGS && (ev[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	ev[n] = NULL;
	return ev_emit(ev);
}

/* An event that nothing blocks any more: its waiter goes on. */
static void finish(evq_t *q)
{
	inst_t *w = q->waiter;
	void (*done)(void *) FAST_FUNC = q->done;
	void *ctx = q->ctx;

	ev_timer_stop(&q->limit);
	free(q->ev);
	free(q);
	if (w) {
		w->waiting = NULL;
		inst_step(w);
	}
	if (done)
		done(ctx);
}

static void block(inst_t *in, evq_t *q)
{
	blocker_t *b = malloc(sizeof(*b));

	if (!b)
		return;		/* not blocking is the safe failure */
	b->ev = q;
	b->next = in->blocking;
	in->blocking = b;
	q->blockers++;
}

static void unblock(inst_t *in)
{
	while (in->blocking) {
		blocker_t *b = in->blocking;
		evq_t *q = b->ev;

		in->blocking = b->next;
		free(b);
		if (--q->blockers == 0 && q->handled)
			finish(q);
	}
}

/* Keep the events that describe what is there now. */
static void retain(char **ev)
{
	static const char kept[] ALIGN1 =
		EV_BLOCK_ADDED "\0" EV_NET_ADDED "\0" EV_NET_UP "\0" EV_NBD_CONNECTED "\0"
		EV_MOUNTED "\0" EV_VIRTUAL_FS "\0";
	evq_t **pp, *r;
	const char *dp;

	if (strcmp(ev[0], EV_BLOCK_REMOVED) == 0 && (dp = ev_event_get(ev, "DEVPATH")) != NULL) {
		for (pp = &en.retained; (r = *pp) != NULL;) {
			const char *rp = ev_event_get(r->ev, "DEVPATH");
			if (rp && strcmp(rp, dp) == 0) {
				*pp = r->next;
				free(r->ev);
				free(r);
			} else {
				pp = &r->next;
			}
		}
		return;
	}
	if (index_in_strings(kept, ev[0]) < 0)
		return;
	r = calloc(1, sizeof(*r));
	if (!r || !(r->ev = ev_copy(ev))) {
		free(r);
		return;
	}
	for (pp = &en.retained; *pp; pp = &(*pp)->next)
		continue;
	*pp = r;
}

/* ---- instances ---- */

static void env_add(char ***envp, const char *kv)
{
	unsigned n = 0, klen = strchrnul(kv, '=') - kv;
	char **env = *envp;
	char *copy = strdup(kv);

	if (!copy)
		return;
	for (; env && env[n]; n++) {
		if (strncmp(env[n], kv, klen) == 0 && env[n][klen] == '=') {
			free(env[n]);	/* later values win */
			env[n] = copy;
			return;
		}
	}
	env = realloc(env, (n + 2) * sizeof(env[0]));
	if (!env) {
		free(copy);
		return;
	}
	env[n] = copy;
	env[n + 1] = NULL;
	*envp = env;
}

static void FAST_FUNC env_add_cb(const char *kv, void *ctx)
{
	env_add(ctx, kv);
}

static void env_free(char **env)
{
	char **e;

	for (e = env; e && *e; e++)
		free(*e);
	free(env);
}

static inst_t *find_inst(job_t *j, const char *name)
{
	inst_t *in;

	for (in = j->insts; in; in = in->next)
		if (strcmp(in->name, name) == 0)
			return in;
	return NULL;
}

static void inst_free(inst_t *in)
{
	inst_t **pp;

	for (pp = &in->job->insts; *pp; pp = &(*pp)->next) {
		if (*pp == in) {
			*pp = in->next;
			break;
		}
	}
	unblock(in);
	if (in->waiting)
		in->waiting->waiter = NULL;
	ev_timer_stop(&in->kill_timer);
	ev_child_del(&in->child);
	env_free(in->env);
	free(in->name);
	free(in);
}

static const char *inst_label(inst_t *in)
{
	static char buf[128];

	if (!in->name[0])
		return in->job->name;
	snprintf(buf, sizeof(buf), "%s (%s)", in->job->name, in->name);
	return buf;
}

static void set_state(inst_t *in, int state)
{
	ev_info("job %s: %s -> %s", inst_label(in),
			nth_string(state_names, in->state), nth_string(state_names, state));
	in->state = state;
	in->since = ev_now();
}

/* starting/started/stopping/stopped JOB=... INSTANCE=... [RESULT ...] */
static evq_t *lifecycle(inst_t *in, const char *what, int wait)
{
	char job[128], inst[128], result[16], status[32];
	char *ev[] = { (char *)what, job, inst, NULL, NULL, NULL };

	snprintf(job, sizeof(job), "JOB=%s", in->job->name);
	snprintf(inst, sizeof(inst), "INSTANCE=%s", in->name);
	if (what[3] == 'p') {	/* stopping, stopped */
		snprintf(result, sizeof(result), "RESULT=%s", in->failed ? "failed" : "ok");
		ev[3] = result;
		if (in->exit_signal) {
			snprintf(status, sizeof(status), "EXIT_SIGNAL=%s", get_signame(in->exit_signal));
			ev[4] = status;
		} else if (in->failed && in->exit_status) {
			snprintf(status, sizeof(status), "EXIT_STATUS=%d", in->exit_status);
			ev[4] = status;
		}
	}
	if (!wait)
		return queue(ev, NULL);
	in->waiting = queue(ev, in);
	return in->waiting;
}

/* ---- processes ---- */

struct child_ctx {
	inst_t *in;
	const char *exec, *script;
	int main;
};

static int child_setup(void *arg)
{
	struct child_ctx *c = arg;
	inst_t *in = c->in;
	ev_jobdef_t *d = in->job->def;
	char *argv[5];
	int fd, keep;

	setsid();
	/* console output: the console (in test mode, evinit's own stdio);
	 * none: /dev/null; log (the default): the log file */
	fd = -1;
	if (d->console == EV_CONSOLE_OUTPUT && !ev_testing())
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
	else if (d->console == EV_CONSOLE_NONE)
		fd = open(bb_dev_null, O_RDWR);
	else if (d->console != EV_CONSOLE_OUTPUT)
		fd = open(ev_path("/run/initramfs/evinit.log"), O_WRONLY | O_APPEND | O_CREAT, 0644);
	if (fd >= 0) {
		if (d->console == EV_CONSOLE_OUTPUT) {
			dup2(fd, 0);
		} else {
			int null = open(bb_dev_null, O_RDONLY);
			dup2(null >= 0 ? null : fd, 0);
		}
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (chdir(ev_testing() ? ev_root : "/") < 0)
		return errno;
	/* scripts: sh -e as upstart; exec lines: sh -c "exec ..." keeps
	 * quoting and $VARS the same as in a script.  The main process of a
	 * keep job goes through evkeep, for its '@'. */
	keep = ENABLE_EVKEEP && d->keep && c->main;
	/* an exec line that leaves a shell nothing to do runs directly: one
	 * exec less (tens of ms per job under emulation) */
	if (!c->script && !keep && !strpbrk(c->exec, "\"'\\$`*?[]<>|&;(){}~#=")) {
		char *words[32], *copy = strdup(c->exec), *w;
		unsigned n = 0;

		for (w = copy ? strtok(copy, " \t\n") : NULL; w && n < ARRAY_SIZE(words) - 1;
				w = strtok(NULL, " \t\n"))
			words[n++] = w;
		words[n] = NULL;
		if (n && !w) {
			execvpe(words[0], words, in->env);
			return errno;
		}
	}
	argv[0] = (char *)"evkeep";
	argv[1] = (char *)"sh";
	if (c->script) {
		argv[2] = (char *)"-ec";
		argv[3] = (char *)c->script;
	} else {
		argv[2] = (char *)"-c";
		argv[3] = xasprintf(keep ? "exec evkeep %s" : "exec %s", c->exec);
	}
	argv[4] = NULL;
	execvpe(bb_busybox_exec_path, argv + !(keep && c->script), in->env);
	return errno;
}

static void FAST_FUNC proc_done(ev_child_t *c, int status);

/* Start process WHICH of IN; returns 0, or -1 when there is none to run. */
static int run_proc(inst_t *in, int which)
{
	ev_jobdef_t *d = in->job->def;
	ev_proc_t *p = which == P_PRESTART ? &d->pre_start
		: which == P_MAIN ? &d->main : &d->post_stop;
	struct child_ctx ctx = { in, p->exec, p->script, which == P_MAIN };
	pid_t pid;

	if (!p->exec && !p->script)
		return -1;
	in->child.cb = proc_done;
	in->child.data = in;
	pid = ev_spawn_fn(&in->child, child_setup, &ctx);
	if (pid < 0) {
		ev_err("job %s: cannot run %s: %s", inst_label(in),
				p->exec ? p->exec : "its script", strerror(-pid));
		in->failed = 1;
		in->exit_status = 127;
		return -2;
	}
	if (which == P_MAIN)
		in->main_pid = pid;
	ev_debug("job %s: %s pid %d", inst_label(in),
			which == P_PRESTART ? "pre-start" : which == P_MAIN ? "main" : "post-stop", (int)pid);
	return 0;
}

static int respawn_ok(job_t *j)
{
	ev_jobdef_t *d = j->def;
	ev_ms_t now = ev_now();

	if (d->respawn_limit == 0)
		return 1;
	if (now - j->respawn_window > (ev_ms_t)d->respawn_interval * 1000) {
		j->respawn_window = now;
		j->respawns = 0;
	}
	return ++j->respawns <= d->respawn_limit;
}

static void FAST_FUNC proc_done(ev_child_t *c, int status)
{
	inst_t *in = c->data;
	ev_jobdef_t *d = in->job->def;
	int bad = !WIFEXITED(status) || WEXITSTATUS(status) != 0;

	if (WIFSIGNALED(status))
		ev_info("job %s: process killed by signal %s", inst_label(in), get_signame(WTERMSIG(status)));
	else if (bad)
		ev_info("job %s: process exited with status %d", inst_label(in), WEXITSTATUS(status));

	if (c->pid != in->main_pid) {
		/* pre-start or post-stop */
		if (in->proc == P_PRESTART && bad) {
			in->failed = 1;
			in->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
			in->goal = 0;
		}
		in->proc = P_NONE;
		inst_step(in);
		return;
	}
	in->main_pid = 0;
	if (in->state == S_KILLED) {	/* stopped on purpose */
		if (in->failed && WIFSIGNALED(status))
			in->exit_signal = WTERMSIG(status);
		inst_step(in);
		return;
	}
	if (in->goal && d->respawn && !d->task) {
		if (respawn_ok(in->job)) {
			ev_info("job %s: respawning", inst_label(in));
			if (run_proc(in, P_MAIN) == 0)
				return;
		} else {
			ev_err("job %s: respawning too fast (more than %u in %u s), stopped",
					inst_label(in), d->respawn_limit, d->respawn_interval);
		}
		in->failed = 1;
	}
	if (bad) {
		in->failed = 1;
		if (WIFSIGNALED(status))
			in->exit_signal = WTERMSIG(status);
		else
			in->exit_status = WEXITSTATUS(status);
	}
	in->goal = 0;
	inst_step(in);
}

static void FAST_FUNC kill_timeout(ev_timer_t *t)
{
	inst_t *in = t->data;

	if (in->main_pid) {
		ev_warn("job %s: still running %u s after SIGTERM, sending SIGKILL",
				inst_label(in), in->job->def->kill_timeout);
		kill(-in->main_pid, SIGKILL);
		kill(in->main_pid, SIGKILL);
	}
}

/* ---- the state machine ---- */

static void reached_stopped(inst_t *in)
{
	job_t *j = in->job;
	int failed = in->failed, restart = in->goal;

	set_state(in, S_WAITING);
	j->runs++;
	if (in->exit_signal)
		snprintf(j->last, sizeof(j->last), "failed (signal %s)", get_signame(in->exit_signal));
	else if (failed)
		snprintf(j->last, sizeof(j->last), "failed (exit %d)", in->exit_status);
	else
		strcpy(j->last, "ok");
	lifecycle(in, EV_STOPPED, 0);
	unblock(in);
	if (failed && j->def && j->def->critical)
		if (en.hooks->critical)
			en.hooks->critical(inst_label(in), "its process failed");
	if (restart) {
		in->failed = in->exit_status = in->exit_signal = 0;
		inst_step(in);
		return;
	}
	inst_free(in);
	kick();		/* the queue runs, and says when all is idle */
}

/* Move IN on toward its goal; called when whatever it waited for is done:
 * its starting/stopping event, a pre-start or post-stop process, the main
 * process's exit, a new goal. */
static void inst_step(inst_t *in)
{
	ev_jobdef_t *d = in->job->def;

	/* a pre-start or post-stop that runs, or the starting/stopping event
	 * not yet done (a main process may end meanwhile): that moves us */
	if (in->proc != P_NONE || in->waiting)
		return;
	switch (in->state) {
	case S_WAITING:
		if (!in->goal) {
			inst_free(in);
			return;
		}
		set_state(in, S_STARTING);
		lifecycle(in, EV_STARTING, 1);	/* continue when it is done */
		return;
	case S_STARTING:
		if (!in->goal)
			break;
		set_state(in, S_PRESTART);
		if (run_proc(in, P_PRESTART) == 0) {
			in->proc = P_PRESTART;
			return;
		}
		/* fall through: no pre-start, or it could not run */
	case S_PRESTART:
		if (!in->goal || in->failed)
			break;
		set_state(in, S_RUNNING);
		if (run_proc(in, P_MAIN) == -2)
			in->goal = 0;
		lifecycle(in, EV_STARTED, 0);
		if (!in->main_pid)
			in->goal = in->goal && !d->task;	/* nothing runs: a task is done */
		if (!d->task)
			unblock(in);		/* a service blocks until running */
		if (in->goal)
			return;
		break;
	case S_RUNNING:
		if (in->goal)
			return;
		break;
	case S_STOPPING:
		if (in->main_pid) {
			set_state(in, S_KILLED);
			kill(-in->main_pid, SIGTERM);
			kill(in->main_pid, SIGTERM);
			in->kill_timer.cb = kill_timeout;
			in->kill_timer.data = in;
			ev_timer_in(&in->kill_timer, d->kill_timeout * 1000);
			return;		/* its exit moves us */
		}
		/* fall through */
	case S_KILLED:
		if (in->main_pid)
			return;
		ev_timer_stop(&in->kill_timer);
		set_state(in, S_POSTSTOP);
		if (run_proc(in, P_POSTSTOP) == 0) {
			in->proc = P_POSTSTOP;
			return;
		}
		/* fall through */
	case S_POSTSTOP:
		reached_stopped(in);
		return;
	}
	/* the goal is stop: from starting, pre-start or running */
	set_state(in, S_STOPPING);
	lifecycle(in, EV_STOPPING, 1);
}

static void inst_start(job_t *j, char **env, evq_t *cause)
{
	ev_jobdef_t *d = j->def;
	char *name = d->instance ? ev_expand(d->instance, env) : strdup("");
	inst_t *in;

	if (!name)
		return;
	in = find_inst(j, name);
	if (in) {
		free(name);
		if (in->goal)
			return;		/* already going: nothing to do */
		in->goal = 1;		/* restart once stopped */
		env_free(in->env);
		in->env = env;
		if (cause)
			block(in, cause);
		return;
	}
	in = calloc(1, sizeof(*in));
	if (!in) {
		free(name);
		env_free(env);
		ev_err("out of memory: job %s not started", j->name);
		return;
	}
	in->job = j;
	in->name = name;
	in->env = env;
	in->goal = 1;
	in->state = S_WAITING;
	in->next = j->insts;
	j->insts = in;
	if (cause)
		block(in, cause);
	inst_step(in);
}

static void inst_stop(inst_t *in, evq_t *cause)
{
	if (!in->goal)
		return;
	in->goal = 0;
	if (cause)
		block(in, cause);
	if (in->state == S_RUNNING)
		inst_step(in);
}

/* The environment a new instance gets: PATH, the bus, the command line,
 * the job's env stanzas, then the events that started it. */
static char **job_env(job_t *j)
{
	char **env = NULL, **e;
	char buf[1024];

	/* in test mode the tools are where the test put them */
	if (ev_testing() && getenv("PATH"))
		snprintf(buf, sizeof(buf), "PATH=%s", getenv("PATH"));
	else
		strcpy(buf, "PATH=/sbin:/usr/sbin:/bin:/usr/bin");
	env_add(&env, buf);
	snprintf(buf, sizeof(buf), "EVBUS=%s", ev_path(EV_BUS_PATH));
	env_add(&env, buf);
	if (ev_testing()) {	/* test mode: the tree the applets work under */
		snprintf(buf, sizeof(buf), "EVINIT_ROOT=%s", ev_root);
		env_add(&env, buf);
	}
	snprintf(buf, sizeof(buf), "UPSTART_JOB=%s", j->name);
	env_add(&env, buf);
	for (e = ev_cmdline.env; e && *e; e++)
		env_add(&env, *e);
	for (e = j->def->env; e && *e; e++)
		env_add(&env, *e);
	return env;
}

/* Offer EV to every job: stop on, then start on. */
static void offer(job_t *only, char **ev, evq_t *cause)
{
	job_t *j;

	for (j = en.jobs; j; j = j->next) {
		ev_jobdef_t *d = j->def;
		inst_t *in, *next;

		if (!d || (only && j != only))
			continue;
		if (d->stop_on) {
			for (in = j->insts; in; in = next) {
				next = in->next;
				if (in->goal && ev_cond_offer(d->stop_on, ev, in->env)) {
					ev_cond_reset(d->stop_on);
					inst_stop(in, cause);
				}
			}
		}
		/* everything is being stopped for the switch: a job that an
		 * event of that time would start (a devices-settled after the
		 * root's loop device) would keep the switch waiting */
		if (d->start_on && !en.all_stopped && ev_cond_offer(d->start_on, ev, NULL)) {
			char **env = job_env(j);

			ev_cond_env(d->start_on, env_add_cb, &env);
			ev_cond_reset(d->start_on);
			inst_start(j, env, cause);
		}
	}
}

static void FAST_FUNC run_queue(ev_timer_t *t UNUSED_PARAM)
{
	while (en.head) {
		evq_t *q = en.head;
		char **e;

		en.head = q->next;
		if (!en.head)
			en.tail = &en.head;
		q->next = NULL;
		{	/* the timeline: one line per event */
			char line[EV_MSG_MAX + 64];	/* a whole event */
			unsigned n = 0;

			for (e = q->ev; *e && n < sizeof(line) - 1; e++)
				n += snprintf(line + n, sizeof(line) - n, "%s%s", n ? " " : "", *e);
			ev_info("event %s", line);
		}
		retain(q->ev);
		if (en.hooks->publish)
			en.hooks->publish(q->ev);
		en.current = q;
		if (en.hooks->event)
			en.hooks->event(q->ev);
		offer(NULL, q->ev, q);
		en.current = NULL;
		q->handled = 1;
		if (q->blockers == 0)
			finish(q);
	}
	if (ev_engine_idle()) {
		void (*cb)(void) FAST_FUNC = en.all_stopped;

		en.all_stopped = NULL;
		if (cb)
			cb();		/* ev_engine_stop_all() is done */
		else if (en.hooks->idle)
			en.hooks->idle();
	}
}

/* The event's time is up: name what still blocks it, stop it, and let
 * the event be done. */
static void FAST_FUNC when_done_expired(ev_timer_t *t)
{
	evq_t *q = t->data;
	job_t *j;
	inst_t *in, *next;
	blocker_t **pp, *b;

	for (j = en.jobs; j; j = j->next) {
		for (in = j->insts; in; in = next) {
			next = in->next;
			for (pp = &in->blocking; (b = *pp) != NULL; ) {
				if (b->ev != q) {
					pp = &b->next;
					continue;
				}
				*pp = b->next;
				free(b);
				q->blockers--;
				ev_err("job %s: not done %u s after event %s (%s): stopping it",
						inst_label(in), q->limit_s, q->ev[0], q->limit_name);
				in->failed = 1;	/* its time was up: not a clean stop */
				inst_stop(in, NULL);
			}
		}
	}
	q->blockers = 0;
	if (q->handled)
		finish(q);
}

int FAST_FUNC ev_engine_when_done(void (*done)(void *ctx) FAST_FUNC, void *ctx,
		unsigned timeout_ms, const char *limit_name)
{
	evq_t *q = en.current;

	if (!q || q->done)
		return -EINVAL;
	q->done = done;
	q->ctx = ctx;
	if (timeout_ms) {
		q->limit_s = (timeout_ms + 999) / 1000;
		q->limit_name = limit_name;
		q->limit.cb = when_done_expired;
		q->limit.data = q;
		ev_timer_in(&q->limit, timeout_ms);
	}
	return 0;
}

const char* FAST_FUNC ev_engine_job_of(pid_t pid)
{
	job_t *j;
	inst_t *in;

	for (j = en.jobs; j; j = j->next)
		for (in = j->insts; in; in = in->next)
			if (pid > 0 && in->main_pid == pid)
				return j->name;
	return NULL;
}

/* ---- loading ---- */

static void FAST_FUNC load_warn(const char *msg)
{
	ev_warn("%s", msg);
}

static job_t *add_job(const char *name, ev_jobdef_t *def)
{
	job_t *j = calloc(1, sizeof(*j)), **pp;

	if (!j)
		return NULL;
	j->def = def;
	j->name = name;
	for (pp = &en.jobs; *pp; pp = &(*pp)->next)
		continue;
	*pp = j;
	return j;
}

void FAST_FUNC ev_engine_load(const char *dir)
{
	ev_jobdef_t *defs = ev_job_load_dir(dir, load_warn), *d, *next;
	job_t *j;
	unsigned n = 0;

	for (d = defs; d; d = next) {
		next = d->next;
		d->next = NULL;
		for (j = en.jobs; j; j = j->next)
			if (strcmp(j->name, d->name) == 0)
				break;
		if (j) {	/* loaded before: keep the one that runs */
			ev_job_free(d);
			continue;
		}
		j = add_job(d->name, d);
		if (!j) {
			ev_job_free(d);
			continue;
		}
		n++;
		/* a job loaded late sees what is there */
		if (en.retained) {
			evq_t *r;
			for (r = en.retained; r; r = r->next)
				offer(j, r->ev, NULL);
		}
	}
	ev_info("loaded %u jobs from %s", n, dir);
}

/* A job made by evinit itself (break= shells). */
void FAST_FUNC ev_engine_add(ev_jobdef_t *def)
{
	if (!add_job(def->name, def))
		ev_job_free(def);
}

/* Start job NAME (single instance) as if its start condition was met. */
int FAST_FUNC ev_engine_start(const char *name)
{
	job_t *j;

	for (j = en.jobs; j; j = j->next) {
		if (j->def && strcmp(j->name, name) == 0) {
			inst_start(j, job_env(j), NULL);
			return 0;
		}
	}
	return -ENOENT;
}

/* ---- the end ---- */

int FAST_FUNC ev_engine_idle(void)
{
	job_t *j;
	inst_t *in;

	if (en.head)
		return 0;
	for (j = en.jobs; j; j = j->next)
		for (in = j->insts; in; in = in->next)
			if (!(j->def && j->def->keep && in->goal))
				return 0;
	return 1;
}

void FAST_FUNC ev_engine_stop_all(void (*cb)(void) FAST_FUNC)
{
	job_t *j;
	inst_t *in, *next;

	for (j = en.jobs; j; j = j->next) {
		if (j->def && j->def->keep)
			continue;
		for (in = j->insts; in; in = next) {
			next = in->next;
			inst_stop(in, NULL);
		}
	}
	en.all_stopped = cb;
	kick();
	if (ev_engine_idle()) {
		en.all_stopped = NULL;
		cb();
	}
}

int FAST_FUNC ev_engine_keep_pids(pid_t *pids, int max)
{
	job_t *j;
	inst_t *in;
	int n = 0;

	for (j = en.jobs; j; j = j->next)
		if (j->def && j->def->keep)
			for (in = j->insts; in; in = in->next)
				if (in->main_pid && n < max)
					pids[n++] = in->main_pid;
	return n;
}

static void each_inst(void (*cb)(inst_t *in, void *ctx), void *ctx)
{
	job_t *j;
	inst_t *in;

	for (j = en.jobs; j; j = j->next)
		for (in = j->insts; in; in = in->next)
			cb(in, ctx);
}

static void status_one(inst_t *in, void *ctx)
{
	ev_msg_addf(ctx, "%s %s%s", inst_label(in),
			in->goal ? "start/" : "stop/", nth_string(state_names, in->state));
}

void FAST_FUNC ev_engine_status(ev_msg_t *m)
{
	each_inst(status_one, m);
}

/* Every job: what runs now, and how its last run ended. */
void FAST_FUNC ev_engine_state(FILE *f)
{
	job_t *j;
	inst_t *in;

	for (j = en.jobs; j; j = j->next) {
		fprintf(f, "job %s: ", j->name);
		if (j->runs)
			fprintf(f, "ran %u, last %s", j->runs, j->last);
		else
			fprintf(f, "%s", j->insts ? "first run" : "never started");
		for (in = j->insts; in; in = in->next)
			fprintf(f, "; %s%s%s%s/%s pid %d", in->name,
					in->name[0] ? " " : "", in->job->def->keep ? "(keep) " : "",
					in->goal ? "start" : "stop",
					nth_string(state_names, in->state), (int)in->main_pid);
		fputc('\n', f);
	}
}
