/* vi: set sw=4 ts=4: */
/*
 * evinit: PID 1 of the initramfs.  Mounts the virtual filesystems, reads
 * the command line, loads the jobs, serves the bus, runs the device
 * manager, and when the root is mounted hands over to the real init.
 * Everything after start-up happens in the event loop.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVINIT
//config:	bool "evinit (24 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	select EVPROBE
//config:	help
//config:	The init of an evbox initramfs: mounts the virtual filesystems,
//config:	runs upstart-style jobs from /etc/evinit/ on events, manages
//config:	devices from the kernel's uevents (coldplug and hotplug), serves
//config:	the bus, opens a rescue shell on fatal errors, and hands over to
//config:	the real root's init.
//config:
//config:config EVINIT_PROBE_TIMEOUT
//config:	int "Seconds a block device probe may take"
//config:	default 5
//config:	range 1 600
//config:	depends on EVINIT
//config:	help
//config:	Each new block device is probed in a child of evinit.  One
//config:	that has not answered by then (a dying disk, a card reader
//config:	that hangs) is killed: its block-device-added event goes out
//config:	without filesystem keys, saying the probe timed out, and the
//config:	boot goes on.  rd.probe_timeout= overrides it.
//config:
//config:config EVINIT_HOOK_TIMEOUT
//config:	int "Seconds the jobs on the mounted root may take"
//config:	default 10
//config:	range 1 3600
//config:	depends on EVINIT
//config:	help
//config:	The switch to the real root waits until the jobs started by
//config:	`mounted MOUNTPOINT=/root` (init-bottom hooks) have reached
//config:	their goal.  One still going after this many seconds is named,
//config:	stopped, and the switch goes on.  rd.hook_timeout= overrides it.

//applet:IF_EVINIT(APPLET(evinit, BB_DIR_SBIN, BB_SUID_DROP))
/* The kernel runs the initramfs's /init with argv[0] "/init", and BusyBox
 * picks the applet by argv[0]'s basename: as the applet "init" (unless
 * BusyBox's own init is in), /init can be a plain link to /bin/busybox. */
//applet:IF_EVINIT(IF_NOT_INIT(APPLET_ODDNAME(init, evinit, BB_DIR_ROOT, BB_SUID_DROP, evinit)))

//kbuild:lib-$(CONFIG_EVINIT) += evinit.o

//usage:#define evinit_trivial_usage
//usage:       "[-r DIR [-t SEC] [-i]]"
//usage:#define evinit_full_usage "\n\n"
//usage:       "Event-driven init for the initramfs (run as /init)\n"
//usage:     "\n	-r DIR	Test mode: DIR holds etc/evinit, proc/cmdline, sys, dev, run;"
//usage:     "\n		no mounts, no netlink, no switch (says what it would do)"
//usage:     "\n	-t SEC	Test mode: give up after SEC seconds"
//usage:     "\n	-i	Test mode: exit when no job is starting, running or stopping"

#include "libbb.h"
#include "evinit/evinit.h"
#include <sys/mount.h>
#include <sys/reboot.h>

enum {
	OPT_r = 1 << 0,
	OPT_t = 1 << 1,
	OPT_i = 1 << 2,
};

static struct {
	int exit_idle;
	ev_timer_t deadline;
	ev_child_t shell;
	char *rescue_job;	/* what to retry after the rescue shell */
	int switching;
	int switch_after_shell;	/* the root came while the rescue shell was open */
	const char *init;	/* what the checked switch will run */
	void (*after_shell)(void);
	char *waiting;		/* evmount's latest root-waiting, for status */
} G;

/* ---- shells: rescue and break= ---- */

static int shell_setup(void *arg UNUSED_PARAM)
{
	static char *const argv[] = { (char *)"sh", (char *)"-i", NULL };

	if (!ev_testing()) {
		int fd = open("/dev/console", O_RDWR);
		setsid();
		if (fd >= 0) {
			ioctl(fd, TIOCSCTTY, 1);
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	else if (chdir(ev_root) < 0)	/* test mode: where the jobs are */
		return errno;
	setenv("PS1", "(evbox) # ", 1);
	execv(bb_busybox_exec_path, argv);
	return errno;
}

static void FAST_FUNC shell_done(ev_child_t *c UNUSED_PARAM, int status UNUSED_PARAM)
{
	void (*then)(void) = G.after_shell;

	ev_info("the shell exited");
	G.after_shell = NULL;
	if (then)
		then();
}

static void open_shell(void (*then)(void))
{
	pid_t pid;

	G.shell.cb = shell_done;
	G.after_shell = then;
	pid = ev_spawn_fn(&G.shell, shell_setup, NULL);
	if (pid < 0) {
		ev_err("cannot start a shell: %s", strerror(-pid));
		G.after_shell = NULL;
		if (then)
			then();
	}
}

/* ---- rescue ---- */

static void FAST_FUNC console_line(const char *line)
{
	ev_console("    %s\n", line);
}

static void start_switch(void);

/* After the rescue shell: start again the job whose failure it was, or,
 * when the root was mounted meanwhile, go on with the switch. */
static void retry(void)
{
	ev_emitv(EV_RESCUE_DONE, NULL);
	if (G.switch_after_shell) {
		G.switch_after_shell = 0;
		free(G.rescue_job);
		G.rescue_job = NULL;
		ev_info("the root was mounted while the shell was open: switching now");
		start_switch();
		return;
	}
	if (G.rescue_job) {
		ev_info("retrying %s", G.rescue_job);
		if (ev_engine_start(G.rescue_job) < 0)
			ev_warn("no job %s to retry", G.rescue_job);
		free(G.rescue_job);
		G.rescue_job = NULL;
	}
}

/* rescue REASON=... [WANTED=...] [HINT=...] [JOB=...] */
static void rescue(char **ev)
{
	const char *reason = ev_event_get(ev, "REASON");
	const char *wanted = ev_event_get(ev, "WANTED");
	const char *hint = ev_event_get(ev, "HINT");
	const char *job = ev_event_get(ev, "JOB");

	ev_err("%s", reason ? reason : "rescue requested");
	ev_console("\nevinit: %s\n", reason ? reason : "rescue requested");
	if (wanted)
		ev_console("  waited for: %s\n", wanted);
	ev_console("  block devices seen:\n");
	ev_dev_list(console_line);
	if (hint)
		ev_console("  %s\n", hint);
	free(G.rescue_job);
	G.rescue_job = job ? strdup(job) : NULL;
	if (G.after_shell == retry) {
		/* one rescue shell at a time: the one that is open serves */
		ev_console("(the rescue shell is open; leave it (exit) to try again)\n");
		return;
	}

	if (!ev_cmdline.shell) {
		ev_console("rd.shell=0: %s\n", ev_cmdline.panic ? "panic" : "powering off");
		if (ev_testing())
			exit(2);
		sync();
		if (ev_cmdline.panic) {
			/* the kernel panics when init exits, and panic=N reboots */
			exit(1);
		}
		reboot(RB_POWER_OFF);
		return;
	}
	ev_console("Leave the shell (exit) to try again.\n");
	open_shell(retry);
}

static void FAST_FUNC job_critical(const char *job, const char *why)
{
	char reason[256], jobkv[128];

	snprintf(reason, sizeof(reason), "REASON=job %s failed: %s", job, why);
	snprintf(jobkv, sizeof(jobkv), "JOB=%s", job);
	ev_emitv(EV_RESCUE, reason, jobkv, NULL);
}

/* ---- the switch to the real root ---- */

static const char *new_root(void)
{
	static char root[PATH_MAX];

	return ev_path_buf(root, sizeof(root), "/root");
}

/* A check failed: nothing was undone; the shell, then mountall again. */
static void switch_refused(const char *why)
{
	char reason[PATH_MAX + 128];

	snprintf(reason, sizeof(reason), "REASON=%s", why);
	G.switching = 0;
	ev_emitv(EV_RESCUE, reason, "HINT=mount the real root on /root and leave the shell (exit), "
			"or fix what is named above", "JOB=" EV_JOB_MOUNTALL, NULL);
}

static void write_state(void)
{
	FILE *f = fopen(ev_path("/run/initramfs/evinit.state"), "w");
	FILE *log;
	char line[512];

	if (!f) {
		ev_warn("cannot write %s: %m", "/run/initramfs/evinit.state");
		return;
	}
	fprintf(f, "# evinit state at the switch to the real root\n");
	ev_engine_state(f);
	fprintf(f, "# timeline (CLOCK_MONOTONIC ms)\n");
	log = fopen(ev_path("/run/initramfs/evinit.log"), "r");
	while (log && fgets(line, sizeof(line), log))
		if (strstr(line, "] event ") || strstr(line, "] job "))
			fputs(line, f);
	if (log)
		fclose(log);
	fclose(f);
}

static void write_keep_pids(void)
{
	pid_t pids[64];
	int n = ev_engine_keep_pids(pids, ARRAY_SIZE(pids)), i;
	FILE *f;

	if (n == 0)
		return;
	bb_make_directory((char *)ev_path("/run/sendsigs.omit.d"), 0755, FILEUTILS_RECUR);
	f = fopen(ev_path("/run/sendsigs.omit.d/evinit"), "w");
	if (!f)
		return;
	for (i = 0; i < n; i++)
		fprintf(f, "%d\n", (int)pids[i]);
	fclose(f);
}

static void handoff(void)
{
	const char *why = ev_switch_check(new_root(), &G.init);

	if (why) {
		switch_refused(why);
		return;
	}
	write_keep_pids();
	write_state();
	ev_dev_stop();
	ev_bus_close();
	if (ev_testing()) {
		ev_console("evinit: would switch to /root and run %s\n", G.init);
		exit(0);
	}
	why = ev_switch(new_root(), G.init);
	/* only a check that failed at the last moment comes back */
	switch_refused(why);
}

static void FAST_FUNC all_stopped(void)
{
	if (ev_cmdline_break("bottom")) {
		ev_console("evinit: break=bottom: shell before the switch; exit to continue\n");
		open_shell(handoff);
		return;
	}
	handoff();
}

static void FAST_FUNC switch_root_done(void *ctx UNUSED_PARAM)
{
	ev_engine_stop_all(all_stopped);
}

/* The root's hooks are done: check, then tell the jobs and stop them. */
static void start_switch(void)
{
	char init[PATH_MAX + 8];
	char *ev[] = { (char *)EV_SWITCH_ROOT, (char *)"ROOT=/root", init, NULL };
	const char *why = ev_switch_check(new_root(), &G.init);

	if (why) {
		switch_refused(why);
		return;
	}
	snprintf(init, sizeof(init), "INIT=%s", G.init);
	ev_emit_then(ev, switch_root_done, NULL);
}

static void FAST_FUNC root_hooks_done(void *ctx UNUSED_PARAM)
{
	ev_info("the jobs on the mounted root are done");
	if (G.after_shell == retry) {
		/* a rescue shell is open: nothing happens behind its back */
		ev_console("evinit: the root is mounted; the switch waits for the shell (exit)\n");
		G.switch_after_shell = 1;
		return;
	}
	if (ev_cmdline_break("mount")) {
		ev_console("evinit: break=mount: the root is mounted; exit to continue\n");
		open_shell(start_switch);
	} else {
		start_switch();
	}
}

/* Every event, as the engine handles it. */
static void FAST_FUNC event_hook(char **ev)
{
	if (strcmp(ev[0], EV_RESCUE) == 0) {
		rescue(ev);
	} else if (strcmp(ev[0], EV_ROOT_WAITING) == 0) {
		const char *w = ev_event_get(ev, "WAITING");

		free(G.waiting);
		G.waiting = w ? strdup(w) : NULL;	/* NULL on ENOMEM: shown no more */
	} else if (strcmp(ev[0], EV_MOUNTED) == 0 && !G.switching) {
		const char *mp = ev_event_get(ev, "MOUNTPOINT");

		if (mp && strcmp(mp, "/root") == 0) {
			free(G.waiting);
			G.waiting = NULL;
			/* the switch comes when this event is done: the jobs it
			 * starts (init-bottom hooks) have run, or their time is up */
			G.switching = 1;
			ev_engine_when_done(root_hooks_done, NULL,
					ev_cmdline_secs("rd.hook_timeout", CONFIG_EVINIT_HOOK_TIMEOUT) * 1000,
					"rd.hook_timeout=, EVINIT_HOOK_TIMEOUT");
		}
	}
}

/* ---- the bus ---- */

static int FAST_FUNC bus_emit(char **ev)
{
	/* the switch is evinit's decision: it emits switch-root itself */
	if (strcmp(ev[0], EV_SWITCH_ROOT) == 0) {
		ev_warn("a bus client emitted %s: refused (evinit's own event)", EV_SWITCH_ROOT);
		return -EPERM;
	}
	return ev_emit(ev);
}

static void reload(void)
{
	char dir[PATH_MAX];

	/* not ev_path()'s buffer: the load itself uses ev_path() */
	ev_engine_load(ev_path_buf(dir, sizeof(dir), "/etc/evinit"));
}

static void FAST_FUNC bus_request(ev_bus_client_t *c, char **argv)
{
	ev_msg_t m;

	if (strcmp(argv[0], "status") == 0) {
		ev_msg_init(&m, "ok");
		if (G.waiting)
			ev_msg_addf(&m, "waiting: %s", G.waiting);
		ev_engine_status(&m);
		ev_dev_status(&m);
	} else if (strcmp(argv[0], "log") == 0 && argv[1]) {
		ev_info("log: %s", argv[1]);
		ev_msg_init(&m, "ok");
	} else if (strcmp(argv[0], "timeout") == 0 && argv[1]
			&& (strcmp(argv[1], "pause") == 0 || strcmp(argv[1], "resume") == 0)) {
		/* evmount owns the deadline: it hears this as an event */
		ev_emitv(strcmp(argv[1], "pause") == 0 ? EV_TIMEOUT_PAUSE : EV_TIMEOUT_RESUME, NULL);
		ev_msg_init(&m, "ok");
	} else if (strcmp(argv[0], "reload") == 0) {
		reload();
		ev_msg_init(&m, "ok");
	} else {
		ev_msg_init(&m, "error");
		ev_msg_addf(&m, "unknown verb %s", argv[0]);
	}
	ev_bus_reply(c, &m);
}

static void FAST_FUNC bus_warn(const char *msg)
{
	ev_warn("%s", msg);
}

/* ---- start ---- */

static void mount_virtual(void)
{
	static const struct { const char *what, *where, *type; unsigned long flags; } fs[] = {
		{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC },
		{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC },
		{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID },
		{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(fs); i++) {
		mkdir(fs[i].where, 0755);
		if (mount(fs[i].what, fs[i].where, fs[i].type, fs[i].flags,
				i == 3 ? "mode=0755" : NULL) < 0 && errno != EBUSY)
			ev_err("cannot mount %s on %s: %m", fs[i].type, fs[i].where);
	}
	/* devtmpfs has these; a static /dev might not */
	mknod("/dev/console", S_IFCHR | 0600, makedev(5, 1));
	mknod("/dev/null", S_IFCHR | 0666, makedev(1, 3));
	mkdir("/root", 0755);
}

/* What each signal means to PID 1: what it means to every init. */
enum { SIG_RELOAD, SIG_REBOOT, SIG_POWEROFF };
static const struct { unsigned char signo, action; const char *what; } signals[] = {
	{ SIGHUP,  SIG_RELOAD,   "reloading the jobs" },
	{ SIGINT,  SIG_REBOOT,   "rebooting (Ctrl-Alt-Del)" },
	{ SIGTERM, SIG_POWEROFF, "powering off" },
	{ SIGUSR2, SIG_POWEROFF, "powering off" },
};

static void FAST_FUNC got_signal(int signo)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(signals) && signals[i].signo != signo; i++)
		continue;
	if (i == ARRAY_SIZE(signals))
		return;
	ev_warn("signal %s: %s", get_signame(signo), signals[i].what);
	if (signals[i].action == SIG_RELOAD) {
		reload();
		return;
	}
	if (ev_testing()) {
		ev_warn("test mode: exiting instead");
		exit(1);
	}
	sync();
	reboot(signals[i].action == SIG_REBOOT ? RB_AUTOBOOT : RB_POWER_OFF);
}

static void FAST_FUNC test_deadline(ev_timer_t *t UNUSED_PARAM)
{
	ev_msg_t m;
	char *parts[EV_MSG_ARGS + 1], **p;

	ev_err("test deadline expired; jobs:");
	ev_msg_init(&m, "ok");
	ev_engine_status(&m);
	if (ev_msg_split(m.buf, m.len, parts) > 0)
		for (p = parts + 1; *p; p++)
			ev_console("  %s\n", *p);
	exit(1);
}

static void FAST_FUNC orphan(pid_t pid UNUSED_PARAM, int status UNUSED_PARAM)
{
	/* reaped: PID 1 adopts every orphan */
}

static void FAST_FUNC engine_idle(void)
{
	if (G.exit_idle && !G.after_shell && !ev_dev_busy()) {
		ev_info("idle: exiting (test mode)");
		exit(0);
	}
}

/* break=premount: a shell that `starting mountall` waits for. */
static void break_job(const char *stage, const char *cond)
{
	/* the console as its controlling tty (job control, ^C), when the
	 * binary has cttyhack (not in test mode: stdin is the console there);
	 * a prompt like the rescue shell's */
	char text[512], name[32], err[256];
	ev_jobdef_t *def;

	snprintf(text, sizeof(text), "start on %s\ntask\nconsole output\nscript\n"
			"\tPS1='(evbox break=%s) # ' exec %ssh -i\nend script\n",
			cond, stage, ENABLE_CTTYHACK && !ev_testing() ? "cttyhack " : "");
	snprintf(name, sizeof(name), "break-%s", stage);
	if (ev_job_parse(name, text, &def, err, sizeof(err), NULL) == 0) {
		char *n = strdup(name);
		if (!n) {
			ev_job_free(def);
			return;
		}
		free(def->name);
		def->name = n;
		ev_engine_add(def);
		ev_console("evinit: break=%s: a shell when %s; exit to continue\n", stage, cond);
	} else {
		ev_err("%s", err);
	}
}

/* Everything after break=top. */
static void boot(void)
{
	reload();
	if (ev_cmdline_break("premount"))
		break_job("premount", "starting " EV_JOB_MOUNTALL);
	ev_emitv(EV_STARTUP, NULL);
	ev_emitv(EV_VIRTUAL_FS, NULL);
	ev_dev_start(!ev_testing());
}

/* The last resort: a helper that dies (an x-function; none should run in
 * PID 1 now) must not take PID 1 with it.  As BusyBox's init does, say it
 * and stay: the kernel would panic if PID 1 exited. */
static void NORETURN stay_alive(void)
{
	ev_console("evinit: a fatal error in PID 1 (see above); staying alive, nothing more happens\n");
	if (ev_testing())
		_exit(1);
	for (;;) {
		if (wait(NULL) < 0 && errno == ECHILD)
			pause();
	}
}

int evinit_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evinit_main(int argc UNUSED_PARAM, char **argv)
{
	static const ev_bus_hooks_t bus_hooks = {
		.emit = bus_emit,
		.request = bus_request,
		.warn = bus_warn,
	};
	static const ev_engine_hooks_t engine_hooks = {
		.event = event_hook,
		.publish = ev_bus_publish,
		.critical = job_critical,
		.idle = engine_idle,
	};
	const char *root = NULL, *secs = NULL;
	char *cmdline, *logline;
	sigset_t set;
	unsigned opts, i;
	int err;

	opts = getopt32(argv, "r:t:i", &root, &secs);
	if (opts & OPT_r) {
		if (ev_root_set(root) < 0 || !ev_testing())
			bb_simple_error_msg_and_die("-r: a test tree other than /");
	} else if (getpid() != 1) {
		bb_simple_error_msg_and_die("not PID 1 (for tests: -r DIR)");
	} else {
		ev_root_set(NULL);
	}
	/* must not die from here: PID 1.  No x-function runs below; if one
	 * ever does, stay_alive() says so and PID 1 stays. */
	die_func = stay_alive;

	if (!ev_testing()) {
		/* the kernel starts init with HOME and TERM only: without a PATH,
		 * execvp looks in /bin:/usr/bin and misses /sbin/modprobe */
		setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 0);
		mount_virtual();
		setsid();
		/* Ctrl-Alt-Del comes to us as SIGINT, not as the kernel's reboot */
		reboot(RB_DISABLE_CAD);
	}
	cmdline = ev_cmdline_read();
	logline = cmdline ? strdup(cmdline) : NULL;	/* the parser cuts its text */
	ev_cmdline.warn = 1;
	if (cmdline)
		ev_cmdline_parse(cmdline);	/* kept: ev_cmdline points into it */
	ev_log_open(ev_cmdline.quiet, ev_cmdline.debug);
	ev_info("evinit started%s, command line: %s", ev_testing() ? " (test mode)" : "",
			logline ? skip_whitespace(logline) : "(out of memory)");
	free(logline);

	/* SIGPIPE: a bus client that went away is an error from write() */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(signals); i++)
		sigaddset(&set, signals[i].signo);
	err = ev_signals(&set, got_signal);
	if (err)
		ev_err("signalfd: %s", strerror(-err));
	ev_orphans(orphan);

	ev_engine_init(&engine_hooks);
	err = ev_bus_listen(ev_path(EV_BUS_PATH), ev_testing() ? geteuid() : 0, &bus_hooks);
	if (err)
		ev_err("cannot serve the bus on %s: %s", ev_path(EV_BUS_PATH), strerror(-err));
	setenv("EVBUS", ev_path(EV_BUS_PATH), 1);

	if (secs) {
		G.deadline.cb = test_deadline;
		ev_timer_in(&G.deadline, bb_strtou(secs, NULL, 10) * 1000);
	}
	G.exit_idle = opts & OPT_i;

	if (ev_cmdline_break("top")) {
		ev_console("evinit: break=top: a shell before anything starts; exit to continue\n");
		open_shell(boot);	/* the loop runs it; the boot goes on after */
	} else {
		boot();
	}
	for (;;) {
		err = ev_run();
		ev_err("event loop: %s", strerror(-err));
	}
}
