/* vi: set sw=4 ts=4: */
/*
 * evmount: mountall for the initramfs: the root, with a pausable deadline.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVMOUNT
//config:	bool "evmount (6 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Waits for the root device named on the command line or in the
//config:	image's fstab (an event, never a poll), checks and mounts it on
//config:	/root, then the other initramfs fstab entries.

//applet:IF_EVMOUNT(APPLET(evmount, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVMOUNT) += evmount.o

//usage:#define evmount_trivial_usage
//usage:       ""
//usage:#define evmount_full_usage "\n\n"
//usage:       "Mount the root filesystem when its device appears"

#include "libbb.h"
#include "evcore.h"

int evmount_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evmount_main(int argc UNUSED_PARAM, char **argv UNUSED_PARAM)
{
	bb_simple_error_msg_and_die("not built yet");
}
