/* vi: set sw=4 ts=4: */
/*
 * evlvm: LVM logical volumes activated through static libdevmapper as
 * soon as their volume group is complete.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVLVM
//config:	bool "evlvm (links libdevmapper, ~150 kb; versions only so far)"
//config:	default n
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Reads LVM2 metadata from physical volumes as they appear and
//config:	activates the logical volumes of a volume group once all of its
//config:	physical volumes are there, through the static libdevmapper.
//config:
//config:	Not yet: today it only prints libdevmapper's and the kernel
//config:	driver's versions (evlvm version), and no configuration in
//config:	configs/ but the test build turns it on.

//applet:IF_EVLVM(APPLET(evlvm, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVLVM) += evlvm.o

//usage:#define evlvm_trivial_usage
//usage:       "version"
//usage:#define evlvm_full_usage "\n\n"
//usage:       "Activate LVM volumes as their volume groups complete\n"
//usage:     "\n	version	Print the library's and the kernel driver's versions"

#include "libbb.h"
#include <libdevmapper.h>

int evlvm_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evlvm_main(int argc UNUSED_PARAM, char **argv)
{
	char lib[64], drv[64];

	if (!argv[1] || strcmp(argv[1], "version") != 0)
		bb_show_usage();
	if (!dm_get_library_version(lib, sizeof(lib)))
		strcpy(lib, "unknown");
	printf("libdevmapper %s\n", lib);
	/* no device-mapper in this kernel is an answer, not a failure */
	if (dm_driver_version(drv, sizeof(drv)))
		printf("driver %s\n", drv);
	else
		printf("driver none (no device-mapper in this kernel)\n");
	return EXIT_SUCCESS;
}
