/* vi: set sw=4 ts=4: */
/*
 * evinit: the switch to the real root, checked as BusyBox's switch_root
 * checks it.  Before anything is undone: the new root must be a mount
 * point (else deleting the initramfs would delete what is under it), "/"
 * must be the initramfs itself (ramfs or tmpfs), and an init must be there.
 * A failed check is a reason for the rescue shell; only the tail after the
 * deletion has begun can end in a power-off.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVINIT) += evswitch.o

#include "libbb.h"
#include "evinit.h"
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/vfs.h>
#include <linux/magic.h>

static const char *find_init(const char *root)
{
	static const char inits[] ALIGN1 =
		"/sbin/init\0" "/etc/init\0" "/bin/init\0" "/bin/sh\0";
	char path[PATH_MAX];
	const char *i;

	if (ev_cmdline.init) {
		snprintf(path, sizeof(path), "%s%s", root, ev_cmdline.init);
		return access(path, X_OK) == 0 ? ev_cmdline.init : NULL;
	}
	for (i = inits; *i; i += strlen(i) + 1) {
		snprintf(path, sizeof(path), "%s%s", root, i);
		if (access(path, X_OK) == 0)
			return i;
	}
	return NULL;
}

const char* FAST_FUNC ev_switch_check(const char *root, const char **init)
{
	static char why[PATH_MAX + 96];
	struct stat st, up;
	struct statfs fs;
	char parent[PATH_MAX];

	*init = NULL;
	if (!ev_testing()) {	/* a test tree is no mount point, and no rootfs */
		snprintf(parent, sizeof(parent), "%s/..", root);
		if (stat(root, &st) < 0 || stat(parent, &up) < 0) {
			snprintf(why, sizeof(why), "cannot switch: %s: %s", root, strerror(errno));
			return why;
		}
		if (st.st_dev == up.st_dev) {
			snprintf(why, sizeof(why), "cannot switch: %s is not a mount point "
					"(nothing is mounted there: the initramfs stays)", root);
			return why;
		}
		if (statfs("/", &fs) < 0
		 || ((unsigned)fs.f_type != RAMFS_MAGIC && (unsigned)fs.f_type != TMPFS_MAGIC)
		) {
			snprintf(why, sizeof(why), "cannot switch: / is not the initramfs "
					"(not ramfs or tmpfs): nothing is deleted");
			return why;
		}
	}
	*init = find_init(root);
	if (!*init) {
		snprintf(why, sizeof(why), "no init %s in the root filesystem",
				ev_cmdline.init ? ev_cmdline.init : "(/sbin/init, /etc/init, /bin/init, /bin/sh)");
		return why;
	}
	return NULL;
}

/* Unlink the initramfs's files, staying on its filesystem (rootfs). */
static void delete_contents(const char *dir, dev_t rootdev)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char p[PATH_MAX];

	if (lstat(dir, &st) < 0 || st.st_dev != rootdev)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(dir);
		return;
	}
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (DOT_OR_DOTDOT(e->d_name))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name) < (int)sizeof(p))
			delete_contents(p, rootdev);
	}
	closedir(d);
	if (strcmp(dir, "/") != 0)
		rmdir(dir);
}

const char* FAST_FUNC ev_switch(const char *root, const char *init)
{
	static const char moved[] ALIGN1 = "/dev\0" "/proc\0" "/sys\0" "/run\0";
	const char *m, *why, *again;
	struct stat st;
	int fd;

	/* once more, the moment before: a hook may have unmounted it */
	why = ev_switch_check(root, &again);
	if (why)
		return why;
	ev_info("switching to %s, init %s", root, init);
	/* must not fail from here: the initramfs is being taken apart */
	for (m = moved; *m; m += strlen(m) + 1) {
		char to[PATH_MAX];

		snprintf(to, sizeof(to), "%s%s", root, m);
		if (mount(m, to, NULL, MS_MOVE, NULL) < 0)
			umount2(m, MNT_DETACH);
	}
	if (stat("/", &st) == 0)
		delete_contents("/", st.st_dev);
	if (chdir(root) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		ev_console("evinit: cannot switch to %s: %m\n", root);
		reboot(RB_POWER_OFF);
	}
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	execl(init, init, (char *)NULL);
	ev_console("evinit: cannot run %s: %m\n", init);
	reboot(RB_POWER_OFF);
	return "unreachable";
}
