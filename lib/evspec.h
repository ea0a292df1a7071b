/* vi: set sw=4 ts=4: */
/*
 * evbox lib: device specs (evspec.c).
 * fstab, crypttab and root= forms, matched against block-device-*
 * events.  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVSPEC_H
#define EVSPEC_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- device specs (evspec.c; evmount, evcrypt) -------------------------- */

enum {
	EV_SPEC_UUID, EV_SPEC_LABEL, EV_SPEC_PARTUUID, EV_SPEC_PARTLABEL,
	EV_SPEC_PATH, EV_SPEC_DEVNO, EV_SPEC_BAD,
};
typedef struct ev_spec {
	int kind;		/* EV_SPEC_* */
	char *value;		/* the UUID, label or path (decoded) */
	unsigned major, minor;	/* EV_SPEC_DEVNO */
} ev_spec_t;
/* Parse S (UUID=, LABEL=, PARTUUID=, PARTLABEL=, /dev/..., /dev/disk/by-*
 * links, MAJ:MIN, the kernel's hex): 0, -EINVAL (kind EV_SPEC_BAD) or
 * -ENOMEM.  Never dies. */
int ev_spec_parse(const char *s, ev_spec_t *sp) FAST_FUNC;
/* Does the block-device-* event EV name the device SP names?  ROOT ("" or
 * a test tree) prefixes the paths compared as files. */
int ev_spec_match(const ev_spec_t *sp, char **ev, const char *root) FAST_FUNC;
/* udev's \xNN escapes decoded in place */
void ev_unhex(char *s) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
