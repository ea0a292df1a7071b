/*
 * floor.c - the benchmark's floor: the least an /init can do to reach the
 * bench disk's root.  Not part of evbox; bench/bench.sh builds it with
 * `gcc -static -Os` and packs it with the modules into its own image.
 *
 * Fixed steps for one disk and one kernel: mount devtmpfs and proc, load
 * the modules in dependency order (the image holds them as /m/NAME.ko,
 * named in FLOOR_MODULES at build time), wait for /dev/vda1 by inotify on
 * /dev (no polling), mount it read-only on /root, move /dev and /proc
 * there, unlink the image's files, chroot and exec /sbin/init.  Errors go
 * to the kernel log (so to the console) and end in a panic (init exits).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef FLOOR_MODULES	/* space-separated, in load order */
#define FLOOR_MODULES "virtio_ring virtio virtio_pci_modern_dev " \
	"virtio_pci_legacy_dev virtio_pci virtio_blk crc16 mbcache jbd2 " \
	"crc32c_generic ext4"
#endif
#define ROOTDEV "vda1"
#define ROOTFS "ext4"

static int kmsg = -1;

static void die(const char *what)
{
	char msg[256];
	int n = snprintf(msg, sizeof(msg), "<3>floor: %s: %s\n", what, strerror(errno));

	if (kmsg >= 0 && n > 0)
		(void)!write(kmsg, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	_exit(1);	/* PID 1 exits: the kernel panics, the bench sees no marker */
}

static void load(const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/m/%s.ko", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	if (syscall(SYS_finit_module, fd, "", 0) != 0 && errno != EEXIST)
		die(path);
	close(fd);
	unlink(path);
}

/* Wait for /dev/ROOTDEV: watch /dev first, then look, then read events. */
static void wait_root(void)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct stat st;
	int fd = inotify_init1(IN_CLOEXEC);

	if (fd < 0 || inotify_add_watch(fd, "/dev", IN_CREATE) < 0)
		die("inotify /dev");
	while (stat("/dev/" ROOTDEV, &st) != 0) {
		ssize_t len = read(fd, buf, sizeof(buf));
		if (len < 0 && errno != EINTR)
			die("read inotify");
		/* any creation in /dev: look again (the stat above) */
	}
	close(fd);
}

int main(void)
{
	char mods[] = FLOOR_MODULES;
	char *save = NULL, *m;

	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY)
		die("mount /dev");
	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		die("mount /proc");

	for (m = strtok_r(mods, " ", &save); m; m = strtok_r(NULL, " ", &save))
		load(m);
	wait_root();

	if (mount("/dev/" ROOTDEV, "/root", ROOTFS, MS_RDONLY, NULL) != 0)
		die("mount /dev/" ROOTDEV);
	if (mount("/dev", "/root/dev", NULL, MS_MOVE, NULL) != 0)
		die("move /dev");
	if (mount("/proc", "/root/proc", NULL, MS_MOVE, NULL) != 0)
		die("move /proc");

	/* what switch_root does: free the image, make /root the root */
	rmdir("/m");
	unlink("/init");
	if (chdir("/root") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 ||
	    chroot(".") != 0 || chdir("/") != 0)
		die("switch to /root");
	execl("/sbin/init", "init", (char *)NULL);
	die("exec /sbin/init");
	return 1;
}
