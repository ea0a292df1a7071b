/* vi: set sw=4 ts=4: */
/*
 * evinit's log: one line per event and job state change, stamped with
 * CLOCK_MONOTONIC milliseconds (the kernel's clock: the same numbers as
 * dmesg and /proc/uptime), in /run/initramfs/evinit.log.  Warnings and
 * errors also go to /dev/kmsg and the console.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evlog.o

#include "libbb.h"
#include "evloop.h"
#include "evpath.h"
#include "evlog.h"

#define EARLY_MAX (64 * 1024)

static struct {
	int fd;			/* the log file, -1 until open */
	int opened, quiet, debug;
	char *early;		/* lines from before /run was there */
	unsigned early_len;
} lg = { .fd = -1 };

unsigned FAST_FUNC ev_log_ms(void)
{
	return ev_now();
}

static void write_console(const char *s, unsigned len)
{
	/* stdio may be anything in test mode; the console is stderr */
	full_write(STDERR_FILENO, s, len);
}

/* Before the log file is open, lines wait in memory with their level in
 * front: whether the console gets them is known once `quiet` is. */
static void early_line(int level, const char *line, unsigned len)
{
	char *p;

	if (lg.early_len + len + 1 > EARLY_MAX)
		return;
	p = realloc(lg.early, lg.early_len + len + 1);
	if (!p)
		return;
	p[lg.early_len] = '0' + level;
	memcpy(p + lg.early_len + 1, line, len);
	lg.early = p;
	lg.early_len += len + 1;
}

static void to_console(int level, const char *line, unsigned len)
{
	if ((level <= LOG_WARN_ && (level == LOG_ERR_ || !lg.quiet)) || lg.debug)
		write_console(line, len);
}

void FAST_FUNC ev_log_open(int quiet, int debug)
{
	char *p, *end;

	lg.quiet = quiet;
	lg.debug = debug;
	lg.opened = 1;
	bb_make_directory((char *)ev_path("/run/initramfs"), 0755, FILEUTILS_RECUR);
	lg.fd = open(ev_path("/run/initramfs/evinit.log"),
			O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	for (p = lg.early, end = p + lg.early_len; p && p < end; p = strchr(p, '\n') + 1) {
		unsigned len = strchr(p, '\n') + 1 - (p + 1);

		if (lg.fd >= 0)
			full_write(lg.fd, p + 1, len);
		to_console(*p - '0', p + 1, len);
	}
	free(lg.early);
	lg.early = NULL;
	lg.early_len = 0;
}

void FAST_FUNC ev_log(int level, const char *fmt, ...)
{
	static const char tag[] ALIGN1 = "error: \0" "warning: \0" "\0" "\0";
	char line[EV_LOG_LINE_MAX];
	unsigned ms = ev_log_ms();
	va_list ap;
	int n, m, stamp;

	stamp = snprintf(line, sizeof(line), "[%5u.%03u] ", ms / 1000, ms % 1000);
	n = stamp + snprintf(line + stamp, sizeof(line) - stamp, "%s", nth_string(tag, level));
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = (m < 0) ? n : (n + m < (int)sizeof(line) - 1 ? n + m : (int)sizeof(line) - 2);
	line[n++] = '\n';
	if (lg.opened) {
		if (lg.fd >= 0)
			full_write(lg.fd, line, n);
		to_console(level, line, n);
	} else {
		early_line(level, line, n);
	}
	if (level <= LOG_WARN_ && !ev_testing()) {
		/* <3> err, <4> warning: the kernel's levels and clock */
		int k = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		if (k >= 0) {
			dprintf(k, "<%d>evinit: %.*s", level == LOG_ERR_ ? 3 : 4,
					n - stamp, line + stamp);
			close(k);
		}
	}
}

void FAST_FUNC ev_console(const char *fmt, ...)
{
	char line[EV_LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	if (n > 0)
		write_console(line, n);
}
