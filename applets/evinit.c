/* vi: set sw=4 ts=4: */
/*
 * evinit: PID 1 of the initramfs: jobs, events, devices, switch_root.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVINIT
//config:	bool "evinit (20 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	The init of an evbox initramfs: mounts the virtual filesystems,
//config:	runs upstart-style jobs from /etc/evinit/ on events, manages
//config:	devices from the kernel's uevents (coldplug and hotplug), serves
//config:	the bus, opens a rescue shell on fatal errors, and hands over to
//config:	the real root's init.

//applet:IF_EVINIT(APPLET(evinit, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVINIT) += evinit.o

//usage:#define evinit_trivial_usage
//usage:       ""
//usage:#define evinit_full_usage "\n\n"
//usage:       "Event-driven init for the initramfs (run as /init)"

#include "libbb.h"
#include "evcore.h"

int evinit_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evinit_main(int argc UNUSED_PARAM, char **argv UNUSED_PARAM)
{
	bb_simple_error_msg_and_die("the job engine and device manager are not built yet");
}
