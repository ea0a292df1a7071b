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
//usage:       "	| timeout pause|resume | log MESSAGE"
//usage:#define evctl_full_usage "\n\n"
//usage:       "Talk to evinit's bus\n"
//usage:     "\n	-s SOCKET	Bus socket (default $EVBUS or /run/evinit/bus)"
//usage:     "\n	emit		Emit EVENT with its keys; returns when evinit took it"
//usage:     "\n	watch		Print events whose names match PATTERN (glob,"
//usage:     "\n			default *), past ones first; -n: exit after N"
//usage:     "\n	status		Jobs, devices and waits, as evinit sees them"
//usage:     "\n	timeout		Pause or resume the root device deadline"
//usage:     "\n	log		Add MESSAGE to the boot log"

#include "libbb.h"
#include "evcore.h"

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

int evctl_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evctl_main(int argc UNUSED_PARAM, char **argv)
{
	char *parts[EV_MSG_ARGS + 1];
	const char *sock = NULL, *count_s = NULL;
	unsigned count = 0;
	ev_msg_t m;
	int fd, err, watch;

	getopt32(argv, "^+" "s:" "\0" "-1", &sock);
	argv += optind;
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
		if (parts[1])
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
