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
 *
 * Built with FLOOR_MD_MEMBERS (e.g. "vda vdb"), the root is an md array
 * over those whole disks instead (the bench's md RAID1): wait for every
 * member, make md0 (md_mod's new_array, through a sysfs mounted for that
 * write), SET_ARRAY_INFO with the metadata version (FLOOR_MD_METADATA, the
 * superblocks say the rest), ADD_NEW_DISK for each member, RUN_ARRAY, and
 * mount /dev/md0.  Given one member of a RAID1 it starts it degraded at
 * once: no wait, the least the hardware allows.  The modules must hold
 * md_mod and the level's personality.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/major.h>	/* MD_MAJOR, for md_u.h's ioctls */
#include <linux/raid/md_u.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#ifndef FLOOR_MODULES	/* space-separated, in load order */
#define FLOOR_MODULES "virtio_ring virtio virtio_pci_modern_dev " \
	"virtio_pci_legacy_dev virtio_pci virtio_blk crc16 mbcache jbd2 " \
	"crc32c_generic ext4"
#endif
#ifndef FLOOR_MD_MEMBERS	/* space-separated disks of the md root; "": no md */
#define FLOOR_MD_MEMBERS ""
#endif
#ifndef FLOOR_MD_METADATA
#define FLOOR_MD_METADATA "1.2"
#endif
#define ROOTDEV "vda1"
#define MDDEV "md0"
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

/* 0 when every device of the space-separated DEVS is in /dev. */
static int missing(const char *devs)
{
	char path[64];
	const char *p = devs;
	struct stat st;
	int n;

	while (sscanf(p, " %40s%n", path + 5, &n) == 1) {
		memcpy(path, "/dev/", 5);
		if (stat(path, &st) != 0)
			return 1;
		p += n;
	}
	return 0;
}

/* Wait for the devices DEVS: watch /dev first, then look, then read events. */
static void wait_devs(const char *devs)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int fd = inotify_init1(IN_CLOEXEC);

	if (fd < 0 || inotify_add_watch(fd, "/dev", IN_CREATE) < 0)
		die("inotify /dev");
	while (missing(devs)) {
		ssize_t len = read(fd, buf, sizeof(buf));
		if (len < 0 && errno != EINTR)
			die("read inotify");
		/* any creation in /dev: look again */
	}
	close(fd);
}

/* Assemble /dev/MDDEV from the whole disks MEMBERS and run it. */
static void assemble(const char *members)
{
	char path[64];
	const char *p = members;
	mdu_array_info_t info;
	mdu_disk_info_t disk;
	struct stat st;
	int fd, n, maj = 1, min = 2;

	/* md_mod makes md0 on this write; devtmpfs has its node on return */
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
		die("mount /sys");
	fd = open("/sys/module/md_mod/parameters/new_array", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, MDDEV, strlen(MDDEV)) < 0)
		die("md_mod new_array " MDDEV);
	close(fd);
	umount("/sys");

	fd = open("/dev/" MDDEV, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("/dev/" MDDEV);
	sscanf(FLOOR_MD_METADATA, "%d.%d", &maj, &min);
	memset(&info, 0, sizeof(info));
	info.major_version = maj;	/* raid_disks 0: the superblocks say */
	info.minor_version = min;
	if (ioctl(fd, SET_ARRAY_INFO, &info) != 0)
		die("SET_ARRAY_INFO metadata " FLOOR_MD_METADATA);
	while (sscanf(p, " %40s%n", path + 5, &n) == 1) {
		memcpy(path, "/dev/", 5);
		if (stat(path, &st) != 0)
			die(path);
		memset(&disk, 0, sizeof(disk));	/* number, role: its superblock's */
		disk.major = major(st.st_rdev);
		disk.minor = minor(st.st_rdev);
		if (ioctl(fd, ADD_NEW_DISK, &disk) != 0)
			die(path);
		p += n;
	}
	if (ioctl(fd, RUN_ARRAY, 0) != 0)
		die("RUN_ARRAY " MDDEV);
	close(fd);
}

int main(void)
{
	char mods[] = FLOOR_MODULES;
	char *save = NULL, *m;
	const char *md = FLOOR_MD_MEMBERS, *root = *md ? "/dev/" MDDEV : "/dev/" ROOTDEV;

	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY)
		die("mount /dev");
	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		die("mount /proc");

	for (m = strtok_r(mods, " ", &save); m; m = strtok_r(NULL, " ", &save))
		load(m);
	if (*md) {
		wait_devs(md);
		assemble(md);
	} else {
		wait_devs(ROOTDEV);
	}

	if (mount(root, "/root", ROOTFS, MS_RDONLY, NULL) != 0)
		die(root);
	if (mount("/dev", "/root/dev", NULL, MS_MOVE, NULL) != 0)
		die("move /dev");
	if (mount("/proc", "/root/proc", NULL, MS_MOVE, NULL) != 0)
		die("move /proc");

	/* what switch_root does: free the image, make /root the root */
	rmdir("/m");
	rmdir("/sys");
	unlink("/init");
	if (chdir("/root") != 0 || mount(".", "/", NULL, MS_MOVE, NULL) != 0 ||
	    chroot(".") != 0 || chdir("/") != 0)
		die("switch to /root");
	execl("/sbin/init", "init", (char *)NULL);
	die("exec /sbin/init");
	return 1;
}
