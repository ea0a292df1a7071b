/*
 * marker.c - /sbin/init of the benchmark's real root: say that the real
 * root was reached, and when, then power off.  Not part of evbox.
 *
 * Two lines: one into the kernel log, so that the console shows it with
 * the same printk clock as the kernel's "Run /init as init process", and
 *   BENCH-MARKER pid=1 uptime=U boottime=B
 * on /dev/console, U read from /proc/uptime, B the same clock
 * (CLOCK_BOOTTIME) to the microsecond.  Whatever the initramfs left
 * behind is tolerated: /dev and /proc are mounted when missing.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>

int main(void)
{
	char up[64] = "?", line[160];
	struct timespec ts;
	int fd, n;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	if (access("/dev/kmsg", F_OK) != 0)
		mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	if (access("/proc/uptime", F_OK) != 0)
		mount("proc", "/proc", "proc", 0, NULL);
	fd = open("/proc/uptime", O_RDONLY);
	if (fd >= 0) {
		n = read(fd, up, sizeof(up) - 1);
		up[n > 0 ? n : 0] = '\0';
		up[strcspn(up, " \n")] = '\0';
		close(fd);
	}

	n = snprintf(line, sizeof(line), "<5>bench: real root reached, pid %d\n", (int)getpid());
	fd = open("/dev/kmsg", O_WRONLY);
	if (fd >= 0) {
		(void)!write(fd, line, n);
		close(fd);
	}
	n = snprintf(line, sizeof(line), "BENCH-MARKER pid=%d uptime=%s boottime=%ld.%06ld\n",
		(int)getpid(), up, (long)ts.tv_sec, ts.tv_nsec / 1000);
	fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (fd >= 0) {
		(void)!write(fd, line, n);
		close(fd);
	}
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
