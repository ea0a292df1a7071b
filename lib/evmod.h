/* vi: set sw=4 ts=4: */
/*
 * evbox lib: kernel modules (evmod.c).
 * finit_module in dependency order, for forked children of evinit and
 * evmount; modprobe only as the fallback.  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVMOD_H
#define EVMOD_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- kernel modules (evmod.c; evinit and evmount) ---------------------- */

/* Load module NAME from DIR (lib/modules/VERSION) with finit_module():
 * modules.softdep's pre: modules (best effort), what modules.dep says it
 * needs, then NAME; one already loaded counts as loaded.  Meant for a
 * forked child (it allocates and does not free).  Returns 0, -ENOENT when
 * modules.dep has no plain .ko for it (modprobe may know better), or the
 * -errno of the load that failed; WHAT names the file. */
int ev_mod_load(const char *dir, const char *name, char *what, unsigned size) FAST_FUNC;
/* NAME, a module or an alias of some ("crypto-xts"): each module it stands
 * for, best effort (none in the image: the kernel may have it built in). */
void ev_mod_load_soft(const char *dir, const char *name) FAST_FUNC;
/* The body of a forked child that loads NAME: ev_mod_load(), else (or
 * with MODPROBE_ONLY) exec modprobe -b NAME.  Returns the exit status. */
int ev_mod_child(const char *dir, const char *name, int modprobe_only) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
