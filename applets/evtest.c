/* vi: set sw=4 ts=4: */
/*
 * evtest: drives the event core for the testsuite.  Only the test build
 * (make check) enables it; it is in no product configuration.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVTEST
//config:	bool "evtest: event core test driver (for make check only)"
//config:	default n
//config:	select EVCORE
//config:	select EVPROBE
//config:	depends on EVINIT
//config:	help
//config:	Subcommands that run one piece of the event core and print what
//config:	happened, for testsuite/evcore.tests.  Not for images.

//applet:IF_EVTEST(APPLET(evtest, BB_DIR_USR_BIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVTEST) += evtest.o

//usage:#define evtest_trivial_usage
//usage:       "timers [-]MS... | signal | child CMD | uevent [-p PORT] [-u UID] [-t] FILE\n"
//usage:       "	| netlink | coldplug SYSROOT | busd [-u UID] SOCKET\n"
//usage:       "	| jobs [-s] FILE... | jobs [-s] -d DIR\n"
//usage:       "	| cond [-m] [-e K=V]... [-i TEMPLATE] EXPR [NAME[,K=V]...]...\n"
//usage:       "	| probe [-s SECTOR] [-p PARTN] FILE\n"
//usage:       "	| engine [-w EVENT:MS]... DIR EVENT[,K=V...]..."
//usage:#define evtest_full_usage "\n\n"
//usage:       "Drive the evbox event core and print what happened\n"
//usage:     "\n	timers	Arm a timer per MS (-MS: arm, then cancel it); print each"
//usage:     "\n		as it fires, 'early' if before its deadline"
//usage:     "\n	signal	Send itself SIGUSR1 and SIGHUP; print them as the loop gets them"
//usage:     "\n	child	Run CMD with sh -c; print how it ended"
//usage:     "\n	uevent	Check and parse FILE as a netlink message from PORT/UID"
//usage:     "\n		(default 0/0), -t: as if truncated"
//usage:     "\n	netlink	Send a uevent from a user socket to a listening one"
//usage:     "\n	coldplug	Print the add messages of SYSROOT/devices"
//usage:     "\n	busd	Serve the bus on SOCKET for peers of UID (default ours)"
//usage:     "\n		in the background; print its pid"
//usage:     "\n	jobs	Parse job FILEs (-d: every DIR/*.conf) and print them;"
//usage:     "\n		-s: with script bodies"
//usage:     "\n	cond	Parse the condition EXPR, offer it each event in turn and"
//usage:     "\n		print whether it is true, then the environment it gives"
//usage:     "\n		(-e K=V: the job's, for \\$K; -i: the instance name it gives;"
//usage:     "\n		-m: whether each event is mentioned)"

//usage:     "\n	probe	Print the ID_* keys of FILE; -p: of partition PARTN of the"
//usage:     "\n		disk FILE with SECTOR byte sectors (default 512)"
//usage:     "\n	engine	Run evinit's job engine alone on the jobs of DIR/etc/evinit"
//usage:     "\n		(DIR as evinit -r's test tree), emit each EVENT in turn and"
//usage:     "\n		print every event as the engine handles it, until idle;"
//usage:     "\n		-w: print 'done EVENT' when that event is done, with a"
//usage:     "\n		limit of MS milliseconds (0: none)"

#include "libbb.h"
#include "../lib/evloop.h"
#include "../lib/evuevent.h"
#include "../lib/evbus.h"
#include "../lib/evjob.h"
#include "../lib/evprobe.h"
#include "evinit/evinit.h"
#include <linux/netlink.h>
#include <sys/mount.h>	/* BLKGETSIZE64 */

static int pending;

/* ---- timers ---- */

struct named_timer {
	ev_timer_t t;
	ev_ms_t due;
	const char *name;
};

static void FAST_FUNC timer_fired(ev_timer_t *t)
{
	struct named_timer *nt = t->data;

	printf("%s%s\n", nt->name, ev_now() < nt->due ? " early" : "");
	if (--pending == 0)
		ev_stop(0);
}

static int do_timers(char **argv)
{
	int n = 0, i;
	struct named_timer *nt;
	ev_ms_t now = ev_now();

	while (argv[n])
		n++;
	nt = xzalloc(n * sizeof(*nt));
	for (i = 0; i < n; i++) {
		const char *a = argv[i];
		int cancel = (*a == '-');

		nt[i].name = a + cancel;
		nt[i].due = now + xatou(a + cancel);
		nt[i].t.cb = timer_fired;
		nt[i].t.data = &nt[i];
		ev_timer_at(&nt[i].t, nt[i].due);
		if (cancel)
			ev_timer_stop(&nt[i].t);
		else
			pending++;
	}
	if (!pending)
		return 0;
	return ev_run();
}

/* ---- signals ---- */

static void FAST_FUNC got_signal(int signo)
{
	printf("signal %s\n", get_signame(signo));
	if (--pending == 0)
		ev_stop(0);
}

static void FAST_FUNC send_signals(ev_timer_t *t UNUSED_PARAM)
{
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGHUP);
}

static int do_signal(void)
{
	sigset_t set;
	ev_timer_t t = { .cb = send_signals };
	int err;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	err = ev_signals(&set, got_signal);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	pending = 2;
	/* from inside the loop, so they can only arrive through it */
	ev_timer_in(&t, 0);
	return ev_run();
}

/* ---- children ---- */

static void FAST_FUNC child_done(ev_child_t *c UNUSED_PARAM, int status)
{
	if (WIFEXITED(status))
		printf("exit %d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("signal %s\n", get_signame(WTERMSIG(status)));
	ev_stop(0);
}

static int do_child(char **argv)
{
	ev_child_t c = { .cb = child_done };
	char *args[] = { (char *)"sh", (char *)"-c", argv[0], NULL };
	pid_t pid;

	if (!argv[0])
		bb_show_usage();
	/* an unknown program is an error from ev_spawn, not a child */
	if (argv[1]) {
		args[0] = argv[1];
		args[1] = NULL;
	}
	pid = ev_spawn(&c, args, NULL);
	if (pid < 0) {
		printf("spawn: %s\n", strerror(-pid));
		return 0;
	}
	return ev_run();
}

/* ---- uevents ---- */

static void print_uevent(const ev_uevent_t *u)
{
	int i;

	printf("%s %s", u->action, u->devpath);
	for (i = 0; i < u->nkeys; i++) {
		if (is_prefixed_with(u->key[i], "ACTION=")
		 || is_prefixed_with(u->key[i], "DEVPATH=")
		)
			continue;
		printf(" %s", u->key[i]);
	}
	bb_putchar('\n');
}

static int do_uevent(char **argv)
{
	const char *port_s = "0", *uid_s = "0";
	unsigned opts;
	char *buf;
	size_t len = EV_UEVENT_MAX;
	ev_uevent_t u;
	int why;

	opts = getopt32(argv, "^" "p:u:t" "\0" "=1", &port_s, &uid_s);
	argv += optind;
	buf = xmalloc_open_read_close(argv[0], &len);
	why = ev_uevent_check(buf, len, xatou(port_s), xatou(uid_s), opts & 4);
	if (why == EV_UE_OK)
		why = ev_uevent_parse(buf, len, &u);
	if (why != EV_UE_OK) {
		printf("dropped: %s\n", ev_uevent_why(why));
		return 0;
	}
	print_uevent(&u);
	return 0;
}

/* A user process sends a uevent-shaped message straight to our port: the
 * receive path must drop it, whatever it says. */
static int do_netlink(void)
{
	static const char fake[] = "add@/devices/fake\0ACTION=add\0DEVPATH=/devices/fake\0SUBSYSTEM=block";
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	char buf[EV_UEVENT_MAX];
	struct pollfd pfd;
	int fd, snd, n, why = 0;

	fd = ev_uevent_open();
	if (fd < 0)
		bb_error_msg_and_die("netlink: %s", strerror(-fd));
	if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0)
		bb_simple_perror_msg_and_die("getsockname");
	snd = xsocket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	sa.nl_groups = 0;	/* unicast to the listener's port */
	if (sendto(snd, fake, sizeof(fake), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		bb_simple_perror_msg_and_die("sendto");
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* The kernel's own uevents may arrive too: take messages until ours,
	 * which is the only one from a non-kernel port. */
	for (;;) {
		if (poll(&pfd, 1, 5000) <= 0)
			bb_simple_error_msg_and_die("netlink: our message never arrived");
		n = ev_uevent_recv(fd, buf, sizeof(buf), &why);
		if (n == 0 && why == EV_UE_NOT_KERNEL) {
			printf("dropped: %s\n", ev_uevent_why(why));
			return 0;
		}
		if (n < 0 && n != -EAGAIN)
			bb_error_msg_and_die("netlink: %s", strerror(-n));
	}
}

static void FAST_FUNC coldplugged(ev_uevent_t *u, void *ctx UNUSED_PARAM)
{
	print_uevent(u);
}

static int do_coldplug(char **argv)
{
	int n;

	if (!argv[0])
		bb_show_usage();
	n = ev_coldplug(argv[0], coldplugged, NULL);
	if (n < 0)
		bb_error_msg_and_die("%s/devices: %s", argv[0], strerror(-n));
	printf("%d devices\n", n);
	return 0;
}

/* ---- the bus ---- */

static void FAST_FUNC bus_warn(const char *msg)
{
	bb_error_msg("%s", msg);
}

static void FAST_FUNC bus_request(ev_bus_client_t *c, char **argv)
{
	ev_msg_t m;

	if (strcmp(argv[0], "status") == 0) {
		ev_msg_init(&m, "ok");
		ev_msg_addf(&m, "clients=%u", ev_bus_clients());
		ev_msg_addf(&m, "events=%u", ev_bus_history());
	} else {
		ev_msg_init(&m, "error");
		ev_msg_add(&m, "unknown verb");
	}
	ev_bus_reply(c, &m);
}

static void FAST_FUNC busd_signal(int signo UNUSED_PARAM)
{
	ev_stop(0);
}

static int do_busd(char **argv)
{
	static const ev_bus_hooks_t hooks = {
		.request = bus_request,
		.warn = bus_warn,
	};
	const char *uid_s = NULL;
	sigset_t set;
	uid_t uid;
	pid_t pid;
	int err;

	getopt32(argv, "^" "u:" "\0" "=1", &uid_s);
	argv += optind;
	uid = uid_s ? xatou(uid_s) : geteuid();
	err = ev_bus_listen(argv[0], uid, &hooks);
	if (err)
		bb_error_msg_and_die("%s: %s", argv[0], strerror(-err));
	/* listening before the parent returns: no race for the tests */
	pid = xfork();
	if (pid) {
		printf("%d\n", (int)pid);
		return 0;
	}
	/* let $(evtest busd) end: only the parent's stdout is the answer */
	xmove_fd(xopen(bb_dev_null, O_WRONLY), STDOUT_FILENO);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	ev_signals(&set, busd_signal);
	err = ev_run();
	ev_bus_close();
	return err;
}

/* ---- job files and conditions ---- */

static void FAST_FUNC job_warn(const char *msg)
{
	fflush_all();	/* in order with what stdout says */
	bb_error_msg("%s", msg);
}

static void print_cond(const char *what, const ev_cond_t *c)
{
	printf("%s: ", what);
	if (c)
		ev_cond_print(c, stdout);
	else
		bb_putchar('-');
	bb_putchar('\n');
}

static void print_proc(const char *what, const ev_proc_t *p, int bodies)
{
	const char *s;
	unsigned n = 0;

	if (p->exec) {
		printf("%s: exec: %s\n", what, p->exec);
	} else if (p->script) {
		for (s = p->script; *s; s++)
			n += (*s == '\n');
		printf("%s: script: %u lines\n", what, n);
		if (bodies)
			fputs(p->script, stdout);
	} else {
		printf("%s: -\n", what);
	}
}

static void print_job(const ev_jobdef_t *j, int bodies)
{
	static const char consoles[] ALIGN1 = "none\0" "output\0" "log\0";
	char **e;

	printf("job: %s\n", j->name);
	printf("description: %s\n", j->description ? j->description : "-");
	print_cond("start on", j->start_on);
	print_cond("stop on", j->stop_on);
	printf("task: %s\n", j->task ? "yes" : "no");
	printf("respawn: %s\n", j->respawn ? "yes" : "no");
	if (j->respawn_limit)
		printf("respawn limit: %u %u\n", j->respawn_limit, j->respawn_interval);
	else
		printf("respawn limit: unlimited\n");
	printf("keep: %s\n", j->keep ? "yes" : "no");
	printf("critical: %s\n", j->critical ? "yes" : "no");
	printf("console: %s\n", nth_string(consoles, j->console));
	printf("kill timeout: %u\n", j->kill_timeout);
	printf("instance: %s\n", j->instance ? j->instance : "-");
	for (e = j->env; *e; e++)
		printf("env: %s\n", *e);
	print_proc("pre-start", &j->pre_start, bodies);
	print_proc("main", &j->main, bodies);
	print_proc("post-stop", &j->post_stop, bodies);
}

static int do_jobs(char **argv)
{
	ev_jobdef_t *j, *list;
	const char *dir = NULL;
	char err[256];
	unsigned opts;
	int rc = 0;

	opts = getopt32(argv, "sd:", &dir);
	argv += optind;
	if (!dir == !*argv)
		bb_show_usage();
	if (dir) {
		list = ev_job_load_dir(dir, job_warn);
		for (j = list; j; j = j->next)
			print_job(j, opts & 1);
		ev_job_free(list);
		return 0;
	}
	for (; *argv; argv++) {
		if (ev_job_load(*argv, &j, err, sizeof(err), job_warn) < 0) {
			printf("%s\n", err);
			rc = 1;
			continue;
		}
		print_job(j, opts & 1);
		ev_job_free(j);
	}
	return rc;
}

struct cond_env {
	char **env;
	unsigned n;
};

static void FAST_FUNC cond_add(const char *kv, void *ctx)
{
	struct cond_env *ce = ctx;

	printf("  %s\n", kv);
	ce->env = xrealloc_vector(ce->env, 4, ce->n);
	ce->env[ce->n++] = xstrdup(kv);
}

static int do_cond(char **argv)
{
	static const char longopts[] ALIGN1 =
		"env\0" Required_argument "e"
		"instance\0" Required_argument "i"
		"mentions\0" No_argument "m";
	llist_t *envl = NULL;
	const char *tpl = NULL;
	struct cond_env ce = { NULL, 0 };
	ev_cond_t *c;
	char err[256], **ev, *name;
	unsigned opts, njob, i;
	int col;

	opts = getopt32long(argv, "^" "e:*i:m" "\0" "-1", longopts, &envl, &tpl);
	argv += optind;
	/* the job's environment, then the events' (the later wins) */
	while (envl) {
		ce.env = xrealloc_vector(ce.env, 4, ce.n);
		ce.env[ce.n++] = llist_pop(&envl);
	}
	njob = ce.n;
	c = ev_cond_parse(argv[0], err, sizeof(err), &col);
	if (!c) {
		printf("offset %d: %s\n", col, err);
		return 1;
	}
	print_cond("cond", c);
	while (*++argv) {
		/* NAME,K=V,K=V */
		ev = NULL;
		i = 0;
		for (name = strtok(*argv, ","); name; name = strtok(NULL, ",")) {
			ev = xrealloc_vector(ev, 4, i);
			ev[i++] = name;
		}
		if (!ev)
			continue;
		if (opts & 4)
			printf("%s: %smentioned\n", ev[0],
				ev_cond_mentions(c, ev, ce.env) ? "" : "not ");
		if (!ev_cond_offer(c, ev, ce.env)) {
			printf("%s: false\n", ev[0]);
		} else {
			printf("%s: true\n", ev[0]);
			ev_cond_env(c, cond_add, &ce);
			if (tpl) {
				name = ev_expand(tpl, ce.env);
				printf("  instance: %s\n", name);
				free(name);
			}
			ev_cond_reset(c);
			while (ce.n > njob)
				free(ce.env[--ce.n]);
			ce.env[ce.n] = NULL;
		}
		free(ev);
	}
	ev_cond_free(c);
	free(ce.env);
	return 0;
}

/* ---- the block device prober ---- */

static void FAST_FUNC print_key(const char *kv, void *ctx UNUSED_PARAM)
{
	puts(kv);
}

static int do_probe(char **argv)
{
	const char *ss_s = "512", *partn_s = NULL;
	unsigned opts, ss;
	uint64_t size;
	struct stat st;
	ev_probe_t p;
	int fd, err;

	opts = getopt32(argv, "^" "s:p:" "\0" "=1", &ss_s, &partn_s);
	argv += optind;
	ss = xatou(ss_s);
	if (ss < 512 || ss > 4096 || (ss & (ss - 1)))
		bb_error_msg_and_die("bad sector size %s", ss_s);
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0)
		bb_simple_perror_msg_and_die(argv[0]);
	size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size) != 0)
		bb_simple_perror_msg_and_die(argv[0]);
	memset(&p, 0, sizeof(p));
	if (opts & 2)
		err = ev_probe_partition(fd, size, ss, xatou(partn_s), &p);
	else
		err = ev_probe_fd(fd, size, &p);
	if (err) {
		bb_error_msg_and_die("%s: %s", argv[0],
			err == -ENOENT ? "no such partition" :
			err == -EINVAL ? "malformed partition table" :
			strerror(-err));
	}
	ev_probe_keys(&p, print_key, NULL);
	return 0;
}

/* ---- the job engine, without evinit ---- */

static llist_t *wait_for;	/* "EVENT:MS" */

static void FAST_FUNC engine_done(void *ctx)
{
	printf("done %s\n", (char *)ctx);
}

static int FAST_FUNC engine_publish(char **ev)
{
	char **e;

	printf("event %s", ev[0]);
	for (e = ev + 1; *e; e++)
		printf(" %s", *e);
	bb_putchar('\n');
	return 0;
}

static void FAST_FUNC engine_event(char **ev)
{
	llist_t *l;

	for (l = wait_for; l; l = l->link) {
		char *colon = strchr(l->data, ':');
		size_t n = colon ? (size_t)(colon - l->data) : strlen(l->data);

		if (strncmp(ev[0], l->data, n) == 0 && ev[0][n] == '\0'
		 && ev_engine_when_done(engine_done, xstrdup(ev[0]),
				colon ? xatou(colon + 1) : 0, "evtest -w") < 0)
			printf("when_done %s: refused\n", ev[0]);
	}
}

static void FAST_FUNC engine_critical(const char *job, const char *why)
{
	printf("critical %s: %s\n", job, why);
}

static void FAST_FUNC engine_idle(void)
{
	ev_stop(0);
}

static void FAST_FUNC engine_deadline(ev_timer_t *t UNUSED_PARAM)
{
	printf("not idle after 20 s\n");
	fflush_all();
	_exit(1);
}

static int do_engine(char **argv)
{
	static const ev_engine_hooks_t hooks = {
		.event = engine_event,
		.publish = engine_publish,
		.critical = engine_critical,
		.idle = engine_idle,
	};
	ev_timer_t deadline = { .cb = engine_deadline };
	char dir[PATH_MAX];

	getopt32(argv, "^" "w:*" "\0" "-1", &wait_for);
	argv += optind;
	if (ev_root_set(argv[0]) < 0)
		bb_die_memory_exhausted();
	setvbuf(stdout, NULL, _IOLBF, 0);	/* jobs write to it too */
	ev_log_open(1, 0);
	ev_engine_init(&hooks);
	ev_engine_load(ev_path_buf(dir, sizeof(dir), "/etc/evinit"));
	for (argv++; *argv; argv++) {
		char *ev[EV_MSG_ARGS + 1], *p = xstrdup(*argv);
		unsigned n = 0;

		for (ev[n] = strtok(p, ","); ev[n] && n < EV_MSG_ARGS; ev[++n] = strtok(NULL, ","))
			continue;
		ev[n] = NULL;
		ev_emit(ev);
	}
	ev_timer_in(&deadline, 20 * 1000);
	return ev_run();
}

int evtest_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evtest_main(int argc UNUSED_PARAM, char **argv)
{
	static const char cmds[] ALIGN1 =
		"timers\0" "signal\0" "child\0" "uevent\0"
		"netlink\0" "coldplug\0" "busd\0"
		"jobs\0" "cond\0" "probe\0" "engine\0";
	int rc;

	if (!argv[1])
		bb_show_usage();
	switch (index_in_strings(cmds, argv[1])) {
	case 0: rc = do_timers(argv + 2); break;
	case 1: rc = do_signal(); break;
	case 2: rc = do_child(argv + 2); break;
	case 3: rc = do_uevent(argv + 1); break;
	case 4: rc = do_netlink(); break;
	case 5: rc = do_coldplug(argv + 2); break;
	case 6: rc = do_busd(argv + 1); break;
	case 7: rc = do_jobs(argv + 1); break;
	case 8: rc = do_cond(argv + 1); break;
	case 9: rc = do_probe(argv + 1); break;
	case 10: rc = do_engine(argv + 1); break;
	default: bb_show_usage();
	}
	fflush_all();
	return rc;
}
