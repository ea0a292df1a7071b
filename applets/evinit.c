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
#include "evinit.h"
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/vfs.h>

enum {
	OPT_r = 1 << 0,
	OPT_t = 1 << 1,
	OPT_i = 1 << 2,
};

const char *ev_root = "/";

static struct {
	int test, exit_idle;
	ev_timer_t deadline;
	ev_child_t shell;
	char *rescue_job;	/* what to retry after the rescue shell */
	int switching;
	void (*after_shell)(void);
	jmp_buf loop;		/* where a dying x-function lands in PID 1 */
} G;

const char* FAST_FUNC ev_path(const char *path)
{
	static char buf[PATH_MAX];

	/* A copy in real mode too: callers write into it (bb_make_directory
	 * puts NULs at the slashes while it works), and a string literal is
	 * read-only: PID 1 died of that on its first real boot. */
	snprintf(buf, sizeof(buf), "%s%s", ev_root[1] ? ev_root : "", path);
	return buf;
}

/* ---- shells: rescue and break= ---- */

static int shell_setup(void *arg UNUSED_PARAM)
{
	static char *const argv[] = { (char *)"sh", (char *)"-i", NULL };

	if (!G.test) {
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

/* After the rescue shell: start again the job whose failure it was. */
static void retry(void)
{
	ev_emitv("rescue-done", NULL);
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

	if (!ev_cmdline.shell) {
		ev_console("rd.shell=0: %s\n", ev_cmdline.panic ? "panic" : "powering off");
		if (G.test)
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

void FAST_FUNC ev_hook_critical(const char *job, const char *why)
{
	char reason[256], jobkv[128];

	snprintf(reason, sizeof(reason), "REASON=job %s failed: %s", job, why);
	snprintf(jobkv, sizeof(jobkv), "JOB=%s", job);
	ev_emitv("rescue", reason, jobkv, NULL);
}

/* ---- the switch to the real root ---- */

static const char *find_init(const char *root)
{
	static const char inits[] ALIGN1 =
		"/sbin/init\0" "/etc/init\0" "/bin/init\0" "/bin/sh\0";
	static char path[PATH_MAX];
	const char *i;

	if (ev_cmdline.init) {
		snprintf(path, sizeof(path), "%s%s", root, ev_cmdline.init);
		return access(path, X_OK) == 0 ? ev_cmdline.init : NULL;
	}
	for (i = inits; *i; i += strlen(i) + 1) {
		snprintf(path, sizeof(path), "%s%s", root, i);
		if (access(path, X_OK) == 0)
			return i;
	}
	return NULL;
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

/* Unlink the initramfs's files, staying on its filesystem (rootfs). */
static void delete_contents(const char *dir, dev_t rootdev)
{
	DIR *d;
	struct dirent *e;
	struct stat st;

	if (lstat(dir, &st) < 0 || st.st_dev != rootdev)
		return;
	if (S_ISDIR(st.st_mode)) {
		d = opendir(dir);
		if (d) {
			while ((e = readdir(d)) != NULL) {
				char *p;
				if (DOT_OR_DOTDOT(e->d_name))
					continue;
				p = concat_path_file(dir, e->d_name);
				delete_contents(p, rootdev);
				free(p);
			}
			closedir(d);
			if (strcmp(dir, "/") != 0)
				rmdir(dir);
		}
	} else {
		unlink(dir);
	}
}

static void handoff(void)
{
	static const char moved[] ALIGN1 = "/dev\0" "/proc\0" "/sys\0" "/run\0";
	const char *init = find_init(G.test ? ev_path("/root") : "/root"), *m;
	struct stat st;
	int fd;

	if (!init) {
		char reason[PATH_MAX + 64];
		snprintf(reason, sizeof(reason), "REASON=no init %s in the root filesystem",
				ev_cmdline.init ? ev_cmdline.init : "(/sbin/init, /etc/init, /bin/init, /bin/sh)");
		G.switching = 0;
		ev_emitv("rescue", reason, "HINT=init= names the real root's init", NULL);
		return;
	}
	write_keep_pids();
	write_state();
	ev_dev_stop();
	ev_bus_close();
	if (G.test) {
		ev_console("evinit: would switch to /root and run %s\n", init);
		exit(0);
	}
	ev_info("switching to /root, init %s", init);
	/* must not fail from here: the initramfs is being taken apart */
	for (m = moved; *m; m += strlen(m) + 1) {
		char *to = concat_path_file("/root", m);
		if (mount(m, to, NULL, MS_MOVE, NULL) < 0)
			umount2(m, MNT_DETACH);
		free(to);
	}
	if (stat("/", &st) == 0)
		delete_contents("/", st.st_dev);
	if (chdir("/root") < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		ev_console("evinit: cannot switch to /root: %m\n");
		reboot(RB_POWER_OFF);
	}
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	execl(init, init, (char *)NULL);
	ev_console("evinit: cannot run %s: %m\n", init);
	reboot(RB_POWER_OFF);
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

static void start_switch(void)
{
	char init[PATH_MAX + 8];
	char *ev[] = { (char *)"switch-root", (char *)"ROOT=/root", init, NULL };

	snprintf(init, sizeof(init), "INIT=%s", ev_cmdline.init ? ev_cmdline.init : "/sbin/init");
	ev_emit_then(ev, switch_root_done, NULL);
}

/* Every event, as the engine handles it. */
void FAST_FUNC ev_hook_event(char **ev)
{
	if (strcmp(ev[0], "rescue") == 0) {
		rescue(ev);
	} else if (strcmp(ev[0], "mounted") == 0 && !G.switching) {
		const char *mp = ev_event_get(ev, "MOUNTPOINT");

		if (mp && strcmp(mp, "/root") == 0) {
			G.switching = 1;
			if (ev_cmdline_break("mount")) {
				ev_console("evinit: break=mount: the root is mounted; exit to continue\n");
				open_shell(start_switch);
			} else {
				start_switch();
			}
		}
	}
}

/* ---- the bus ---- */

static int FAST_FUNC bus_emit(char **ev)
{
	return ev_emit(ev);
}

static void FAST_FUNC bus_request(ev_bus_client_t *c, char **argv)
{
	ev_msg_t m;

	if (strcmp(argv[0], "status") == 0) {
		ev_msg_init(&m, "ok");
		ev_engine_status(&m);
	} else if (strcmp(argv[0], "log") == 0 && argv[1]) {
		ev_info("log: %s", argv[1]);
		ev_msg_init(&m, "ok");
	} else if (strcmp(argv[0], "timeout") == 0 && argv[1]
			&& (strcmp(argv[1], "pause") == 0 || strcmp(argv[1], "resume") == 0)) {
		/* evmount owns the deadline: it hears this as an event */
		ev_emitv(strcmp(argv[1], "pause") == 0 ? "timeout-pause" : "timeout-resume", NULL);
		ev_msg_init(&m, "ok");
	} else if (strcmp(argv[0], "reload") == 0) {
		ev_engine_load(ev_path("/etc/evinit"));
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

static void FAST_FUNC got_signal(int signo)
{
	/* as the kernel's init conventions: SIGUSR2/SIGTERM power off,
	 * SIGINT (ctrl-alt-del) reboots; in test mode, stop */
	if (G.test) {
		ev_warn("signal %s: exiting (test mode)", get_signame(signo));
		exit(1);
	}
	ev_warn("signal %s", get_signame(signo));
	sync();
	reboot(signo == SIGINT ? RB_AUTOBOOT : RB_POWER_OFF);
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

void FAST_FUNC ev_hook_idle(void)
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
	char *text = xasprintf("start on %s\ntask\nconsole output\nscript\n"
			"\tPS1='(evbox break=%s) # ' exec %ssh -i\nend script\n",
			cond, stage, ENABLE_CTTYHACK && !ev_root[1] ? "cttyhack " : "");
	char name[32], err[256];
	ev_jobdef_t *def;

	snprintf(name, sizeof(name), "break-%s", stage);
	if (ev_job_parse(name, text, &def, err, sizeof(err), NULL) == 0) {
		free(def->name);
		def->name = xstrdup(name);
		ev_engine_add(def);
		ev_console("evinit: break=%s: a shell when %s; exit to continue\n", stage, cond);
	} else {
		ev_err("%s", err);
	}
	free(text);
}

/* Everything after break=top. */
static void boot(void)
{
	ev_engine_load(ev_path("/etc/evinit"));
	if (ev_cmdline_break("premount"))
		break_job("premount", "starting mountall");
	ev_emitv("startup", NULL);
	ev_emitv("virtual-filesystems", NULL);
	ev_dev_start(!G.test);
}

static void back_to_loop(void)
{
	longjmp(G.loop, 1);
}

int evinit_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evinit_main(int argc UNUSED_PARAM, char **argv)
{
	static const ev_bus_hooks_t hooks = {
		.emit = bus_emit,
		.request = bus_request,
		.warn = bus_warn,
	};
	const char *root = NULL, *secs = NULL;
	char *cmdline, *kernel, *p;
	sigset_t set;
	unsigned opts;
	int err;

	opts = getopt32(argv, "r:t:i", &root, &secs);
	if (opts & OPT_r) {
		G.test = 1;
		ev_root = xstrdup(root);
	} else if (getpid() != 1) {
		bb_simple_error_msg_and_die("not PID 1 (for tests: -r DIR)");
	}


	if (!G.test) {
		/* the kernel starts init with HOME and TERM only: without a PATH,
		 * execvp looks in /bin:/usr/bin and misses /sbin/modprobe */
		setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 0);
		mount_virtual();
		setsid();
	}
	/* the image's defaults (/etc/evinit/cmdline), then the kernel's
	 * command line: a later word wins */
	p = xmalloc_open_read_close(ev_path("/etc/evinit/cmdline"), NULL);
	kernel = xmalloc_open_read_close(ev_path("/proc/cmdline"), NULL);
	cmdline = xasprintf("%s %s", p ? p : "", kernel ? kernel : "");
	free(p);
	free(kernel);
	kernel = xstrdup(cmdline);	/* the parser cuts its text into words */
	for (p = kernel; (p = strchr(p, '\n')) != NULL; )
		*p = ' ';		/* the files' newlines, for the log */
	ev_cmdline.warn = 1;
	ev_cmdline_parse(cmdline);
	ev_log_open(ev_cmdline.quiet, ev_cmdline.debug);
	ev_info("evinit started%s, command line: %s", G.test ? " (test mode)" : "",
			skip_whitespace(kernel));
	free(kernel);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	err = ev_signals(&set, got_signal);
	if (err)
		ev_err("signalfd: %s", strerror(-err));
	ev_orphans(orphan);

	err = ev_bus_listen(ev_path(EV_BUS_PATH), G.test ? geteuid() : 0, &hooks);
	if (err)
		ev_err("cannot serve the bus on %s: %s", ev_path(EV_BUS_PATH), strerror(-err));
	setenv("EVBUS", ev_path(EV_BUS_PATH), 1);

	if (secs) {
		G.deadline.cb = test_deadline;
		ev_timer_in(&G.deadline, xatou(secs) * 1000);
	}
	G.exit_idle = opts & OPT_i;

	/* must not die from here: PID 1.  An x-function that fails (out of
	 * memory, say; BusyBox's volume_id allocates with xmalloc) abandons
	 * what it was doing and the loop goes on. */
	if (setjmp(G.loop)) {
		ev_err("recovered from a fatal error; going on");
		goto loop;
	}
	die_func = back_to_loop;
	if (ev_cmdline_break("top")) {
		ev_console("evinit: break=top: a shell before anything starts; exit to continue\n");
		open_shell(boot);	/* the loop runs it; the boot goes on after */
	} else {
		boot();
	}
 loop:
	for (;;) {
		err = ev_run();
		ev_err("event loop: %s", strerror(-err));
	}
}
