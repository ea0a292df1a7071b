/* vi: set sw=4 ts=4: */
/*
 * evinit's log: one line per event and job state change, stamped with
 * CLOCK_MONOTONIC milliseconds (the kernel's clock: the same numbers as
 * dmesg and /proc/uptime), in /run/initramfs/evinit.log.  Warnings and
 * errors also go to /dev/kmsg and the console.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVINIT) += evlog.o

#include "libbb.h"
#include "evinit.h"

#define EARLY_MAX (64 * 1024)

static struct {
	int fd;			/* the log file, -1 until open */
	int quiet, debug;
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

static void write_line(const char *line, unsigned len)
{
	if (lg.fd >= 0) {
		full_write(lg.fd, line, len);
	} else if (lg.early_len + len <= EARLY_MAX) {
		char *p = realloc(lg.early, lg.early_len + len);
		if (p) {
			memcpy(p + lg.early_len, line, len);
			lg.early = p;
			lg.early_len += len;
		}
	}
}

void FAST_FUNC ev_log_open(int quiet, int debug)
{
	lg.quiet = quiet;
	lg.debug = debug;
	bb_make_directory((char *)ev_path("/run/initramfs"), 0755, FILEUTILS_RECUR);
	lg.fd = open(ev_path("/run/initramfs/evinit.log"),
			O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (lg.fd >= 0 && lg.early) {
		full_write(lg.fd, lg.early, lg.early_len);
		free(lg.early);
		lg.early = NULL;
		lg.early_len = 0;
	}
}

void FAST_FUNC ev_log(int level, const char *fmt, ...)
{
	static const char tag[] ALIGN1 = "error: \0" "warning: \0" "\0" "\0";
	char line[1024];
	unsigned ms = ev_log_ms();
	va_list ap;
	int n, m;

	n = snprintf(line, sizeof(line), "[%5u.%03u] %s", ms / 1000, ms % 1000,
			nth_string(tag, level));
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	n = (m < 0) ? n : (n + m < (int)sizeof(line) - 1 ? n + m : (int)sizeof(line) - 2);
	line[n++] = '\n';
	write_line(line, n);

	if (level <= LOG_WARN_ || lg.debug) {
		if (level == LOG_ERR_ || !lg.quiet || lg.debug)
			write_console(line, n);
	}
	if (level <= LOG_WARN_ && ev_root[1] == '\0') {
		/* <3> err, <4> warning: the kernel's levels */
		int k = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		if (k >= 0) {
			dprintf(k, "<%d>evinit: %.*s", level == LOG_ERR_ ? 3 : 4,
					n - 12, line + 12);
			close(k);
		}
	}
}

void FAST_FUNC ev_console(const char *fmt, ...)
{
	char line[1024];
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
