/* vi: set sw=4 ts=4: */
/*
 * evbox lib: evinit's log and the console (evlog.c).  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVLOG_H
#define EVLOG_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

enum { LOG_ERR_ = 0, LOG_WARN_, LOG_INFO_, LOG_DEBUG_ };
/* A line's bytes at most (longer ones are cut): a whole bus message fits,
 * a block-device-added with every key is some 800. */
#define EV_LOG_LINE_MAX	(4096 + 128)
/* Open /run/initramfs/evinit.log (under ev_root); before that, lines are
 * kept in memory and written when it opens.  QUIET: errors only on the
 * console; DEBUG: everything on the console. */
void ev_log_open(int quiet, int debug) FAST_FUNC;
void ev_log(int level, const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 2, 3)));
#define ev_err(...)   ev_log(LOG_ERR_, __VA_ARGS__)
#define ev_warn(...)  ev_log(LOG_WARN_, __VA_ARGS__)
#define ev_info(...)  ev_log(LOG_INFO_, __VA_ARGS__)
#define ev_debug(...) ev_log(LOG_DEBUG_, __VA_ARGS__)
/* Milliseconds since evinit started (the timeline's clock). */
unsigned ev_log_ms(void) FAST_FUNC;
/* Say it on the console whatever `quiet` says (prompts, rescue). */
void ev_console(const char *fmt, ...) FAST_FUNC
	__attribute__ ((format(printf, 1, 2)));

POP_SAVED_FUNCTION_VISIBILITY

#endif
