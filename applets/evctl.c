/* vi: set sw=4 ts=4: */
/*
 * evctl: the command-line client of evinit's bus.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVCTL
//config:	bool "evctl (3 kb)"
//config:	default y
//config:	select EVCORE
//config:	help
//config:	Talk to evinit over its bus: emit events, watch them as they
//config:	happen (past ones first), ask for the status of the boot,
//config:	pause or resume the root deadline.

//applet:IF_EVCTL(APPLET(evctl, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVCTL) += evctl.o

//usage:#define evctl_trivial_usage
//usage:       "[-s SOCKET] emit EVENT [KEY=VALUE]... | watch [-n N] [PATTERN]... | status\n"
//usage:       "	| timeout pause|resume | log MESSAGE | reload | analyze [LOG]"
//usage:#define evctl_full_usage "\n\n"
//usage:       "Talk to evinit's bus\n"
//usage:     "\n	-s SOCKET	Bus socket (default $EVBUS or /run/evinit/bus)"
//usage:     "\n	emit		Emit EVENT with its keys; returns when evinit took it"
//usage:     "\n	watch		Print events whose names match PATTERN (glob,"
//usage:     "\n			default *), past ones first; -n: exit after N"
//usage:     "\n	status		Jobs, devices and waits, as evinit sees them"
//usage:     "\n	timeout		Pause or resume the root device deadline"
//usage:     "\n	log		Add MESSAGE to the boot log"
//usage:     "\n	reload		Load job files added since the boot began"
//usage:     "\n	analyze		The boot timeline from evinit's log (default"
//usage:     "\n			/run/initramfs/evinit.log): when each job started"
//usage:     "\n			and stopped, when each device appeared"

#include "libbb.h"
#include "../lib/evbus.h"

enum {
	OPT_s = 1 << 0,
	OPT_n = 1 << 1,
};

/* Print the parts of an event or reply, space-separated, on one line. */
static void print_parts(char **argv)
{
	const char *sep = "";

	for (; *argv; argv++) {
		printf("%s%s", sep, *argv);
		sep = " ";
	}
	bb_putchar('\n');
}

/* Receive one message; 0 when the bus hung up. */
static int recv_msg(int fd, ev_msg_t *m, char **argv)
{
	int n = ev_bus_recv(fd, m);

	if (n == 0 || n == -ECONNRESET)
		return 0;
	if (n < 0)
		bb_perror_msg_and_die("bus: %s", strerror(-n));
	n = ev_msg_split(m->buf, m->len, argv);
	if (n < 1)
		bb_simple_error_msg_and_die("malformed message from the bus");
	return n;
}

/* ---- analyze: the timeline, from the log alone (no bus needed, so it
 * works after the switch too, from /run/initramfs/evinit.log) ---- */

typedef struct span {
	struct span *next;
	char *name;
	unsigned start, running, stop;	/* ms; 0: not seen */
} span_t;

static unsigned stamp(const char *line)
{
	unsigned s, ms;

	return sscanf(line, "[%u.%u]", &s, &ms) == 2 ? s * 1000 + ms : 0;
}

static span_t *span_get(span_t **list, const char *name, unsigned len)
{
	span_t *sp, **pp;

	for (pp = list; (sp = *pp) != NULL; pp = &sp->next)
		if (strlen(sp->name) == len && strncmp(sp->name, name, len) == 0)
			return sp;
	sp = xzalloc(sizeof(*sp));
	sp->name = xstrndup(name, len);
	*pp = sp;
	return sp;
}

static int analyze(const char *file)
{
	FILE *f = xfopen_for_read(file);
	span_t *jobs = NULL, *sp;
	unsigned first = 0, last = 0, root = 0, hooks = 0;
	char *line;

	printf("%9s %9s  %s\n", "at (s)", "took (s)", "what");
	while ((line = xmalloc_fgetline(f)) != NULL) {
		unsigned t = stamp(line);
		char *text = strstr(line, "] "), *arrow;

		if (!t || !text) {
			free(line);
			continue;
		}
		text += 2;
		if (!first)
			first = t;
		last = t;
		/* "job NAME: FROM -> TO" */
		if (is_prefixed_with(text, "job ") && (arrow = strstr(text, " -> ")) != NULL) {
			char *colon = strstr(text, ": ");
			if (colon && colon < arrow) {
				sp = span_get(&jobs, text + 4, colon - (text + 4));
				if (strcmp(arrow + 4, "starting") == 0 && !sp->start)
					sp->start = t;
				else if (strcmp(arrow + 4, "running") == 0)
					sp->running = t;
				else if (strcmp(arrow + 4, "waiting") == 0)
					sp->stop = t;
			}
		} else if (strcmp(text, "the jobs on the mounted root are done") == 0) {
			hooks = t;
		} else if (is_prefixed_with(text, "event block-device-added ")
			|| is_prefixed_with(text, "event net-device-added ")
			|| is_prefixed_with(text, "event mounted ")
			|| is_prefixed_with(text, "event switch-root")
			|| is_prefixed_with(text, "event rescue")
			|| strstr(text, "error: ")
			|| is_prefixed_with(text, "warning: probe failed")
		) {
			printf("%9.3f %9s  %s\n", t / 1000.0, "", text);
			if (!root && is_prefixed_with(text, "event mounted MOUNTPOINT=/root")
			 && (text[30] == ' ' || text[30] == '\0'))
				root = t;
		}
		free(line);
	}
	fclose(f);
	for (sp = jobs; sp; sp = sp->next) {
		unsigned end = sp->stop ? sp->stop : last;
		printf("%9.3f %9.3f  job %s%s\n", sp->start / 1000.0,
				(end - sp->start) / 1000.0, sp->name,
				sp->stop ? "" : " (still running)");
	}
	if (root && hooks >= root)	/* the init-bottom hooks */
		printf("%9.3f %9.3f  jobs on the mounted root, until the switch\n",
				root / 1000.0, (hooks - root) / 1000.0);
	if (first)
		printf("%9.3f %9.3f  evinit, first to last line\n", first / 1000.0, (last - first) / 1000.0);
	return EXIT_SUCCESS;
}

int evctl_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evctl_main(int argc UNUSED_PARAM, char **argv)
{
	char *parts[EV_MSG_ARGS + 1];
	const char *sock = NULL, *count_s = NULL;
	unsigned count = 0;
	ev_msg_t m;
	int fd, err, watch, status;

	getopt32(argv, "^+" "s:" "\0" "-1", &sock);
	argv += optind;
	status = strcmp(argv[0], "status") == 0;
	if (strcmp(argv[0], "analyze") == 0)
		return analyze(argv[1] ? argv[1] : "/run/initramfs/evinit.log");
	watch = strcmp(argv[0], "watch") == 0;
	if (watch) {
		/* options after the verb: watch -n N */
		getopt32(argv, "^+" "n:" "\0" "", &count_s);
		if (count_s)
			count = xatou_range(count_s, 1, INT_MAX);
		argv += optind;
		if (ev_msg_init(&m, "subscribe") < 0)
			bb_simple_error_msg_and_die("message too long");
		if (!*argv)
			ev_msg_add(&m, "*");
	} else {
		ev_msg_init(&m, *argv++);
	}
	for (; *argv; argv++)
		if (ev_msg_add(&m, *argv) < 0)
			bb_simple_error_msg_and_die("message too long");

	fd = ev_bus_connect(sock);
	if (fd < 0)
		bb_error_msg_and_die("can't connect to the bus %s: %s",
				sock ? sock : (getenv("EVBUS") ? : EV_BUS_PATH), strerror(-fd));
	/* A refused peer is closed right after connecting: depending on
	 * timing the send or the reply finds it closed. */
	err = ev_bus_send(fd, &m);
	if (err < 0 && err != -EPIPE && err != -ECONNRESET)
		bb_error_msg_and_die("bus: %s", strerror(-err));
	if (err < 0 || !recv_msg(fd, &m, parts))
		bb_simple_error_msg_and_die("the bus closed the connection"
				" (only root may use it)");
	if (strcmp(parts[0], "ok") != 0) {
		bb_error_msg_and_die("%s", parts[1] ? parts[1] : parts[0]);
	}
	if (!watch) {
		char **p;

		/* status: a line a part (a job, a probe, what the root waits for) */
		for (p = parts + 1; status && *p; p++)
			puts(*p);
		if (parts[1] && !status)
			print_parts(parts + 1);
		return EXIT_SUCCESS;
	}
	/* the events */
	for (;;) {
		if (!recv_msg(fd, &m, parts))
			return count ? EXIT_FAILURE : EXIT_SUCCESS;	/* evinit is done */
		if (strcmp(parts[0], "event") != 0)
			continue;
		print_parts(parts + 1);
		fflush_all();
		if (count && --count == 0)
			return EXIT_SUCCESS;
	}
}
