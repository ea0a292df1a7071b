/*
 * vmconsole: the console script of a VM scenario (a small expect).
 *
 *   vmconsole -c CONSOLE -l LOG -p PID [-m MONITOR] [-t SECONDS] [-s FILE] STEP...
 *
 * CONSOLE is the path QEMU's `-chardev pipe,path=CONSOLE` was given: the
 * guest's output is read from CONSOLE.out, typed text goes to CONSOLE.in.
 * MONITOR is the same for `-monitor pipe:MONITOR` (only written: the
 * runner drains MONITOR.out into its own log).  Everything the guest
 * prints is appended to LOG (- for stdout), carriage returns removed.  PID is QEMU's: the
 * console ends when it exits (the pipes are opened read-write, so that
 * opening them never blocks, even when QEMU died before it opened them).
 *
 * Steps, in order:
 *   expect=TEXT    wait until TEXT appears after the end of the previous
 *                  match (a byte stream, not lines: a prompt with no
 *                  newline matches)
 *   send=TEXT      type TEXT and Enter
 *   pause=SECONDS  go on reading for SECONDS (decimals allowed)
 *   monitor=TEXT   a command line to the QEMU monitor
 *   run=COMMAND    run sh -c COMMAND on the host (its output to stderr),
 *                  reading the console meanwhile, until it ends; a
 *                  status other than 0 fails the script (e.g. the test
 *                  bed's server told to cut its clients' connections)
 *   eof            wait until the console ends (QEMU exited)
 *
 * -t is the deadline for the whole script, counted from the start
 * (CLOCK_MONOTONIC).  -s appends to FILE, as each step is done, a line
 * "N SECONDS STEP" ("send" without its text): the host's time since the start (the bench uses it
 * for the time the guest waited for a typed passphrase).  Exit status: 0 every step was done, 1 the deadline
 * passed, 2 the console ended before a step was done, 3 usage or I/O
 * error.  On failure the last line on stderr names the step.
 *
 * A test harness tool, built by testsuite/vm/run.sh with the host's cc:
 * one wait point (poll with the nearest deadline), no sleeping.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEEP (64 * 1024)	/* unmatched output kept for matching */

static char buf[2 * KEEP];
static size_t len;		/* bytes in buf since the last match */
static size_t dropped;		/* bytes the last pump() dropped from buf */
static int con_in, con_out, mon_in = -1, logfd, qemu;
static int qemu_gone;
static int extra = -1;		/* a pidfd pump() also waits on (run=) */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* Read what the console has, until `until` (or forever when 0).
 * Returns 1 when data came, 0 at the deadline, -1 at end of file, 2 when
 * `extra` is readable (the run= command ended). */
static int pump(double until)
{
	char in[4096], out[4096];
	struct pollfd p[3] = { { .fd = con_out, .events = POLLIN }, { .fd = qemu, .events = POLLIN },
		{ .fd = extra, .events = POLLIN } };
	int ms = -1, r;
	ssize_t n, i, k;

	dropped = 0;
	if (qemu_gone) {
		/* what QEMU wrote before it exited is still in the pipe */
		ms = 0;
	} else if (until > 0) {
		double left = until - now();
		if (left <= 0)
			return 0;
		ms = (int)(left * 1000) + 1;
	}
	r = poll(p, 3, ms);
	if (r < 0)
		return errno == EINTR ? 1 : -1;
	if (p[2].revents)
		return 2;
	if (!(p[0].revents & POLLIN)) {
		if (qemu_gone)
			return -1;
		if (p[1].revents) {
			qemu_gone = 1;
			return 1;
		}
		return 0;
	}
	n = read(con_out, in, sizeof(in));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (n == 0)
		return -1;
	for (i = k = 0; i < n; i++)
		if (in[i] != '\r')
			out[k++] = in[i];
	if (write_all(logfd, out, k) < 0)
		return -1;
	if (len + k > sizeof(buf)) {
		/* keep the newest KEEP bytes: a pattern is short */
		size_t drop = len + k - KEEP;
		if (drop > len)
			drop = len;
		memmove(buf, buf + drop, len - drop);
		len -= drop;
		dropped = drop;
	}
	if (k > (ssize_t)sizeof(buf) - (ssize_t)len)
		k = sizeof(buf) - len;
	memcpy(buf + len, out, k);
	len += k;
	return 1;
}

/* Forget the output up to the end of a match. */
static void consume(const char *end)
{
	size_t used = end - buf;

	memmove(buf, end, len - used);
	len -= used;
}

static int fail(int code, int step, const char *what, double start, const char *why)
{
	fprintf(stderr, "vmconsole: step %d (%s): %s after %.1f s\n",
			step, what, why, now() - start);
	return code;
}

int main(int argc, char **argv)
{
	const char *console = NULL, *log = NULL, *monitor = NULL, *stamps = NULL;
	FILE *sf = NULL;
	int pid = 0;
	double start = now(), deadline = 0;
	char path[4096];
	int o, i;

	while ((o = getopt(argc, argv, "c:l:m:p:s:t:")) != -1) {
		switch (o) {
		case 'c': console = optarg; break;
		case 'l': log = optarg; break;
		case 'm': monitor = optarg; break;
		case 'p': pid = atoi(optarg); break;
		case 't': deadline = start + atof(optarg); break;
		case 's': stamps = optarg; break;
		default: goto usage;
		}
	}
	if (!console || !log || pid <= 0) {
 usage:
		fprintf(stderr, "usage: vmconsole -c CONSOLE -l LOG -p PID [-m MONITOR] [-t SECONDS] [-s FILE] STEP...\n");
		return 3;
	}
	qemu = syscall(SYS_pidfd_open, pid, 0);
	if (qemu < 0) {
		/* it is gone already: read what it left */
		qemu = open("/dev/null", O_RDONLY);
		qemu_gone = 1;
	}
	snprintf(path, sizeof(path), "%s.out", console);
	con_out = open(path, O_RDWR | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s.in", console);
	con_in = open(path, O_RDWR | O_CLOEXEC);
	if (monitor) {
		snprintf(path, sizeof(path), "%s.in", monitor);
		mon_in = open(path, O_RDWR | O_CLOEXEC);
	}
	logfd = strcmp(log, "-") == 0 ? STDOUT_FILENO
		: open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (stamps)
		sf = fopen(stamps, "ae");
	if (con_out < 0 || con_in < 0 || logfd < 0 || (monitor && mon_in < 0) || (stamps && !sf)) {
		perror("vmconsole: open");
		return 3;
	}

	for (i = optind; i < argc; i++) {
		const char *step = argv[i], *arg = strchr(step, '=');
		int n = i - optind + 1, r;

		arg = arg ? arg + 1 : "";
		if (strncmp(step, "expect=", 7) == 0) {
			size_t alen = strlen(arg), from = 0;
			char *hit;

			/* each byte is looked at once: QEMU's serial port
			 * writes the output one character at a time */
			while (!(hit = memmem(buf + from, len - from, arg, alen))) {
				from = len >= alen ? len - alen + 1 : 0;
				r = pump(deadline);
				if (r == 0)
					return fail(1, n, step, start, "deadline passed");
				if (r < 0)
					return fail(2, n, step, start, "the console ended");
				from = from > dropped ? from - dropped : 0;
			}
			consume(hit + alen);
		} else if (strncmp(step, "send=", 5) == 0) {
			if (write_all(con_in, arg, strlen(arg)) < 0 || write_all(con_in, "\r", 1) < 0)
				return fail(3, n, step, start, "cannot type");
		} else if (strncmp(step, "monitor=", 8) == 0) {
			if (mon_in < 0 || write_all(mon_in, arg, strlen(arg)) < 0
					|| write_all(mon_in, "\n", 1) < 0)
				return fail(3, n, step, start, "cannot reach the monitor");
		} else if (strncmp(step, "pause=", 6) == 0) {
			double until = now() + atof(arg);

			if (deadline && until > deadline)
				return fail(1, n, step, start, "deadline passed");
			while ((r = pump(until)) > 0)
				continue;
			if (r < 0)
				return fail(2, n, step, start, "the console ended");
		} else if (strncmp(step, "run=", 4) == 0) {
			int status = 0;
			pid_t c = fork();

			if (c == 0) {
				dup2(STDERR_FILENO, STDOUT_FILENO);
				execl("/bin/sh", "sh", "-c", arg, (char *)NULL);
				_exit(127);
			}
			extra = c > 0 ? syscall(SYS_pidfd_open, c, 0) : -1;
			if (extra < 0)
				return fail(3, n, step, start, "cannot run it");
			while ((r = pump(deadline)) == 1)
				continue;
			close(extra);
			extra = -1;
			if (r != 2) {
				kill(c, SIGKILL);
				waitpid(c, NULL, 0);
				return fail(r == 0 ? 1 : 2, n, step, start,
						r == 0 ? "deadline passed" : "the console ended");
			}
			waitpid(c, &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
				return fail(3, n, step, start, "the command failed");
		} else if (strcmp(step, "eof") == 0) {
			while ((r = pump(deadline)) > 0)
				continue;
			if (r == 0)
				return fail(1, n, step, start, "deadline passed");
		} else {
			fprintf(stderr, "vmconsole: unknown step '%s'\n", step);
			return 3;
		}
		if (sf)
			/* what was typed is not written down */
			fprintf(sf, "%d %.6f %s\n", n, now() - start,
					strncmp(step, "send=", 5) == 0 ? "send" : step);
	}
	if (sf && fclose(sf) != 0) {
		perror("vmconsole: -s");
		return 3;
	}
	return 0;
}
