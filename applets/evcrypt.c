/* vi: set sw=4 ts=4: */
/*
 * evcrypt: LUKS devices unlocked as they appear, through static
 * libcryptsetup (kernel crypto backend, so no OpenSSL).
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVCRYPT
//config:	bool "evcrypt (links libcryptsetup, ~600 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Unlocks LUKS1/LUKS2 devices named in crypttab or on the kernel
//config:	command line as they appear, one passphrase prompt at a time,
//config:	pausing the root deadline while it waits for the user.
//config:	Links the static libcryptsetup, libdevmapper and json-c that
//config:	the build makes from Debian's sources.

//applet:IF_EVCRYPT(APPLET(evcrypt, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVCRYPT) += evcrypt.o

//usage:#define evcrypt_trivial_usage
//usage:       "isluks DEVICE"
//usage:#define evcrypt_full_usage "\n\n"
//usage:       "Unlock LUKS devices as they appear\n"
//usage:     "\n	isluks	Print DEVICE's LUKS version and UUID; fail if not LUKS"

#include "libbb.h"
#include "evcore.h"
#include <libcryptsetup.h>

int evcrypt_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evcrypt_main(int argc UNUSED_PARAM, char **argv)
{
	struct crypt_device *cd;
	int err;

	if (!argv[1] || !argv[2] || strcmp(argv[1], "isluks") != 0)
		bb_show_usage();
	err = crypt_init(&cd, argv[2]);
	if (err < 0)
		bb_error_msg_and_die("%s: %s", argv[2], strerror(-err));
	err = crypt_load(cd, CRYPT_LUKS, NULL);
	if (err < 0)
		bb_error_msg_and_die("%s: not a LUKS device (%s)", argv[2], strerror(-err));
	printf("%s %s\n", crypt_get_type(cd), crypt_get_uuid(cd));
	crypt_free(cd);
	return EXIT_SUCCESS;
}
