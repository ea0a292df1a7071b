/* vi: set sw=4 ts=4: */
/*
 * evbox toollib: the bus client of the applets jobs run (evclient.c).
 * For one-shot tools (evmount, evcrypt): may die (x-functions), never
 * linked into what PID 1 runs.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVCLIENT_H
#define EVCLIENT_H 1

#include "../lib/evbus.h"

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- the bus client of the applets jobs run (evclient.c) --------------- */

/* Connect to evinit's bus ($EVBUS): subscribe to PATTERNS (NUL-separated,
 * ending in an empty one) and hand each event to EVENT from the loop
 * (NULL when evinit closes the bus); its strings stay valid until EVENT
 * returns, through any ev_client_say() or ev_client_emit() it makes.
 * Returns 0, or -errno without evinit. */
int ev_client_open(const char *patterns, void (*event)(char **ev) FAST_FUNC) FAST_FUNC;
/* ev_client_open for a job's daemon, or the end of it: run by evinit
 * ($UPSTART_JOB) and the bus's socket already gone, the switch came first
 * and there is nothing left to do: exit 0, quietly (another failure is
 * named and exits 1); run by hand with no evinit,
 * die saying so and how to run it ALONE ("evraid examine DEVICE"). */
void ev_client_join(const char *patterns, void (*event)(char **ev) FAST_FUNC,
		const char *alone) FAST_FUNC;
int ev_client_connected(void) FAST_FUNC;
/* QUIET: only errors on the console (the log gets everything). */
void ev_client_quiet(int quiet) FAST_FUNC;
/* "APPLET: [error: ]MESSAGE" on stderr and in evinit's log. */
void ev_client_say(int err, const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 2, 3)));
/* Emit NAME with KEY=VALUE parts (NULL-terminated); nothing without evinit. */
void ev_client_emit(const char *name, ...) FAST_FUNC;
void ev_client_emitv(const char *name, char **kv) FAST_FUNC;
/* EVENT NAME=NAME WANTED=TEXT (the *-wanted events: what evmount's
 * waiting line and rescue show for NAME), TEXT from FMT. */
void ev_client_wanted(const char *event, const char *name, const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 3, 4)));
void ev_client_wantedv(const char *event, const char *name, const char *fmt, va_list ap) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
