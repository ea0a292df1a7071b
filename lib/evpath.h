/* vi: set sw=4 ts=4: */
/*
 * evbox lib: paths and test mode (evpath.c), the one spelling of both.
 *
 * On a real boot every path is what it says.  In test mode (evinit -r DIR,
 * and the applets its jobs run, which inherit EVINIT_ROOT=DIR) every path
 * is under DIR: etc/evinit, proc/cmdline, sys, dev, run, root.  Nothing is
 * mounted, no netlink socket is opened and nothing is switched.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVPATH_H
#define EVPATH_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* "" on a real boot; the test tree (no trailing slash) in test mode. */
extern const char *ev_root;
#define ev_testing() (ev_root[0] != '\0')

/* Enter test mode under DIR (NULL, "" or "/": a real boot) and export
 * EVINIT_ROOT for the processes started from here.  Returns 0, or
 * -ENOMEM. */
int ev_root_set(const char *dir) FAST_FUNC;
/* What evinit exported: the applets' start (EVINIT_ROOT, if any). */
void ev_root_from_env(void) FAST_FUNC;

/* ev_root + PATH, in a static buffer that the next call reuses (writable:
 * bb_make_directory puts NULs into it while it works). */
const char *ev_path(const char *path) FAST_FUNC;
/* The same into BUF[SIZE]; returns BUF, or NULL when it does not fit. */
char *ev_path_buf(char *buf, unsigned size, const char *path) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
