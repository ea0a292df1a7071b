/* vi: set sw=4 ts=4: */
/*
 * evraid: md RAID incremental assembly as members appear.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVRAID
//config:	bool "evraid (8 kb; a stub so far)"
//config:	default n
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Assembles md arrays member by member as their devices appear,
//config:	starts a degraded array by policy after a wait, and re-adds
//config:	members that show up late.
//config:
//config:	Not yet: today it exits with "not built yet", and no
//config:	configuration in configs/ but the test build turns it on.

//applet:IF_EVRAID(APPLET(evraid, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVRAID) += evraid.o

//usage:#define evraid_trivial_usage
//usage:       ""
//usage:#define evraid_full_usage "\n\n"
//usage:       "Assemble md arrays as their members appear"

#include "libbb.h"

int evraid_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evraid_main(int argc UNUSED_PARAM, char **argv UNUSED_PARAM)
{
	bb_simple_error_msg_and_die("not built yet");
}
