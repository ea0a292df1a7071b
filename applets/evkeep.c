/* vi: set sw=4 ts=4: */
/*
 * evkeep: run a program whose argv[0] starts with '@', the mark systemd
 * (and sendsigs) leave alone when the real root shuts down: evinit starts
 * the processes of `keep` jobs through it.  An applet of this binary
 * cannot be exec'd as "@name" (BusyBox picks the applet by argv[0]), so it
 * runs in this process, with the argument area rewritten in place.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVKEEP
//config:	bool "evkeep (0.5 kb)"
//config:	default y
//config:	depends on EVINIT
//config:	help
//config:	Runs a program with '@' in front of its argv[0], so that it
//config:	survives the real root's shutdown killing spree (evinit uses it
//config:	for `keep` jobs).

//applet:IF_EVKEEP(APPLET(evkeep, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVKEEP) += evkeep.o

//usage:#define evkeep_trivial_usage
//usage:       "PROG [ARGS]"
//usage:#define evkeep_full_usage "\n\n"
//usage:       "Run PROG with argv[0] @PROG (kept across the switch to the real root)"

#include "libbb.h"
#include <sys/prctl.h>

int evkeep_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evkeep_main(int argc UNUSED_PARAM, char **argv)
{
	const char *prog = argv[1];
	int applet, i, n;
	char *area, *end, *p;

	if (!prog)
		bb_show_usage();
	applet = strchr(prog, '/') ? -1 : find_applet_by_name(prog);
	if (applet < 0) {
		argv[1] = xasprintf("@%s", prog);
		execvp(prog, argv + 1);
		bb_perror_msg_and_die("can't execute '%s'", prog);
	}
	/* The strings of argv lie end to end: "evkeep\0PROG\0ARG\0...".
	 * Make them "@PROG\0ARG\0..." and zero what is left over. */
	for (n = 0; argv[n]; n++)
		continue;
	area = argv[0];
	end = argv[n - 1] + strlen(argv[n - 1]) + 1;
	*area = '@';
	memmove(area + 1, argv[1], end - argv[1]);
	memset(area + 1 + (end - argv[1]), 0, argv[1] - area - 1);
	/* end the area there (root may), or readers see empty arguments */
	prctl(PR_SET_MM, PR_SET_MM_ARG_END, (unsigned long)(area + 1 + (end - argv[1])), 0, 0);
	for (i = 0, p = area; i < n - 1; i++, p += strlen(p) + 1)
		argv[i] = p;
	argv[n - 1] = NULL;
	run_applet_no_and_exit(applet, prog, argv);
}
