/* vi: set sw=4 ts=4: */
/*
 * evinit's device manager, seen by jobs as the job "udevd".  The netlink
 * socket is opened first, then every device already there is read once
 * from /sys (coldplug); from then on the kernel's messages come in as they
 * happen.  For each device:
 *   MODALIAS    -> the image's modules.alias, matched here -> modprobe in a
 *                  child (a few at a time; a failure names the module)
 *   block       -> probe -> /dev/disk/by-{uuid,label,partuuid,partlabel,id}
 *                  -> block-device-added/-changed/-removed with the keys
 *   net         -> net-device-added INTERFACE=...
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVINIT) += evdev.o

#include "libbb.h"
#include "evinit.h"
#include "evprobe.h"
#include <sys/utsname.h>
#include <fnmatch.h>
#include <linux/fs.h>

#define MODPROBE_MAX 4		/* modprobe children at once */

typedef struct bdev {
	struct bdev *next;
	char *devpath;
	char **keys;		/* the event: name slot, then KEY=VALUE */
	char *links[6];
} bdev_t;

typedef struct alias {
	char *pattern, *module;
} alias_t;

typedef struct modreq {
	struct modreq *next;
	ev_child_t child;
	char *module;
	char *devpath;
	int started, done;
} modreq_t;

static struct {
	ev_fd_t nl;
	bdev_t *devs;
	alias_t *aliases;
	unsigned naliases;
	int aliases_read;
	modreq_t *mods;		/* every module asked for, once */
	unsigned running;
	char buf[EV_UEVENT_MAX];
} dm = { .nl = { .fd = -1 } };

/* ---- modules ---- */

static const char *moddir(void)
{
	static char dir[PATH_MAX];
	struct utsname u;

	if (!dir[0]) {
		uname(&u);
		snprintf(dir, sizeof(dir), "%s", ev_path("/lib/modules/"));
		strncat(dir, u.release, sizeof(dir) - strlen(dir) - 1);
	}
	return dir;
}

/* modules.alias: "alias PATTERN MODULE" lines, read once. */
static void read_aliases(void)
{
	char path[PATH_MAX], *line;
	FILE *f;

	dm.aliases_read = 1;
	snprintf(path, sizeof(path), "%s/modules.alias", moddir());
	f = fopen(path, "r");
	if (!f) {
		ev_debug("no %s: modules are not loaded by alias", path);
		return;
	}
	while ((line = xmalloc_fgetline(f)) != NULL) {
		char *tok[3];
		alias_t *a;

		if (sscanf(line, "alias %ms %ms", &tok[0], &tok[1]) == 2) {
			a = realloc(dm.aliases, (dm.naliases + 1) * sizeof(*a));
			if (a) {
				dm.aliases = a;
				a[dm.naliases].pattern = tok[0];
				a[dm.naliases].module = tok[1];
				dm.naliases++;
			}
		}
		free(line);
	}
	fclose(f);
}

static void start_modprobes(void);

static void FAST_FUNC modprobe_done(ev_child_t *c, int status)
{
	modreq_t *r = c->data;

	dm.running--;
	r->done = 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		ev_err("modprobe %s failed (exit %d) for %s", r->module,
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
				r->devpath);
	else
		ev_info("module %s loaded", r->module);
	start_modprobes();
	if (!ev_dev_busy())
		ev_engine_poke();	/* for whoever waits for idle */
}

int FAST_FUNC ev_dev_busy(void)
{
	modreq_t *r;

	for (r = dm.mods; r; r = r->next)
		if (!r->done)
			return 1;
	return 0;
}

/* In the child: the module in-process (finit_module), or else modprobe.
 * Test mode always runs modprobe (the tests' stand-in). */
static int load_module(void *arg)
{
	return ev_mod_child(moddir(), ((modreq_t *)arg)->module, ev_root[1] != '\0');
}

static void start_modprobes(void)
{
	modreq_t *r;

	for (r = dm.mods; r && dm.running < MODPROBE_MAX; r = r->next) {
		pid_t pid;

		if (r->started)
			continue;
		r->started = 1;
		r->child.cb = modprobe_done;
		r->child.data = r;
		pid = ev_fork(&r->child, load_module, r);
		if (pid < 0) {
			ev_err("cannot run modprobe %s: %s", r->module, strerror(-pid));
			r->done = 1;
			continue;
		}
		dm.running++;
	}
}

static void want_module(const char *module, const char *devpath)
{
	modreq_t *r, **pp;

	for (pp = &dm.mods; (r = *pp) != NULL; pp = &r->next)
		if (strcmp(r->module, module) == 0)
			return;		/* asked for already */
	r = calloc(1, sizeof(*r));
	if (!r)
		return;
	r->module = strdup(module);
	r->devpath = strdup(devpath);
	*pp = r;
	start_modprobes();
}

static void modalias(const char *alias, const char *devpath)
{
	unsigned i;

	if (!dm.aliases_read)
		read_aliases();
	for (i = 0; i < dm.naliases; i++)
		if (fnmatch(dm.aliases[i].pattern, alias, 0) == 0)
			want_module(dm.aliases[i].module, devpath);
}

/* ---- block devices ---- */

static bdev_t *find_dev(const char *devpath)
{
	bdev_t *d;

	for (d = dm.devs; d; d = d->next)
		if (strcmp(d->devpath, devpath) == 0)
			return d;
	return NULL;
}

/* KEY=VALUE into a growing NULL-terminated array */
static void FAST_FUNC keys_add(const char *kv, void *ctx)
{
	char ***keys = ctx, **k = *keys;
	unsigned n = 0;

	while (k && k[n])
		n++;
	k = realloc(k, (n + 2) * sizeof(k[0]));
	if (!k)
		return;
	k[n] = strdup(kv);
	k[n + 1] = NULL;
	if (!k[n])
		k[n] = (char *)"";
	*keys = k;
}

/* udev's escaping for link names: '/' and odd bytes as \xNN */
static void link_name(char *out, unsigned size, const char *dir, const char *id)
{
	unsigned n = snprintf(out, size, "%s/", ev_path(dir));

	for (; *id && n + 5 < size; id++) {
		unsigned char ch = *id;
		if (ch == '/' || ch == '\\' || ch <= ' ' || ch >= 0x7f)
			n += sprintf(out + n, "\\x%02x", ch);
		else
			out[n++] = ch;
	}
	out[n] = '\0';
}

static void make_links(bdev_t *d, const char *devname)
{
	static const char dirs[] ALIGN1 =
		"/dev/disk/by-uuid\0" "/dev/disk/by-label\0" "/dev/disk/by-partuuid\0"
		"/dev/disk/by-partlabel\0" "/dev/disk/by-id\0";
	static const char keys[] ALIGN1 =
		"ID_FS_UUID\0" "ID_FS_LABEL\0" "ID_PART_ENTRY_UUID\0"
		"ID_PART_ENTRY_NAME\0" "ID_SERIAL\0";
	const char *dir = dirs, *key = keys;
	char target[PATH_MAX], path[PATH_MAX];
	unsigned i = 0;

	snprintf(target, sizeof(target), "../../%s", devname + 5);	/* after /dev/ */
	for (; *dir; dir += strlen(dir) + 1, key += strlen(key) + 1) {
		const char *id = ev_event_get(d->keys, key);

		if (!id || !*id)
			continue;
		bb_make_directory((char *)ev_path(dir), 0755, FILEUTILS_RECUR);
		link_name(path, sizeof(path), dir, id);
		unlink(path);
		if (symlink(target, path) < 0) {
			ev_warn("cannot link %s: %m", path);
			continue;
		}
		d->links[i++] = strdup(path);
	}
}

static void remove_links(bdev_t *d)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(d->links) && d->links[i]; i++) {
		unlink(d->links[i]);
		free(d->links[i]);
		d->links[i] = NULL;
	}
}

static void free_dev(bdev_t *d)
{
	char **k;

	remove_links(d);
	for (k = d->keys + 1; *k; k++)
		free(*k);
	free(d->keys);
	free(d->devpath);
	free(d);
}

/* The serial for by-id, as sysfs has it (virtio-blk's serial file). */
static void serial(const ev_uevent_t *u, char ***keys)
{
	char path[PATH_MAX], file[PATH_MAX + 16], buf[128], kv[160];
	const char *dev = u->devpath;
	int n, part = u->devname && ev_uevent_get(u, "PARTN") != NULL;
	char *p;

	snprintf(path, sizeof(path), "%s", dev);
	if (part && (p = strrchr(path, '/')) != NULL)
		*p = '\0';
	snprintf(file, sizeof(file), "/sys%s/serial", path);
	n = open_read_close(ev_path(file), buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	*strchrnul(buf, '\n') = '\0';
	if (!buf[0])
		return;
	snprintf(kv, sizeof(kv), "ID_SERIAL=%s%s%s%s",
			strstr(dev, "/virtio") ? "virtio-" : "", buf,
			part ? "-part" : "", part ? ev_uevent_get(u, "PARTN") : "");
	keys_add(kv, keys);
}

static void block_event(ev_uevent_t *u)
{
	bdev_t *d = find_dev(u->devpath);
	char devname[PATH_MAX], kv[PATH_MAX + 16];
	ev_probe_t p;
	int err;

	if (!u->devname)
		return;
	snprintf(devname, sizeof(devname), "/dev/%s", u->devname);
	if (strcmp(u->action, "remove") == 0) {
		if (d) {
			bdev_t **pp;
			d->keys[0] = (char *)"block-device-removed";
			ev_emit(d->keys);
			for (pp = &dm.devs; *pp != d; pp = &(*pp)->next)
				continue;
			*pp = d->next;
			free_dev(d);
		}
		return;
	}
	if (strcmp(u->action, "add") != 0 && strcmp(u->action, "change") != 0)
		return;

	err = ev_probe_blockdev(ev_root[1] ? ev_root : "", devname, u->devpath,
			ev_uevent_get(u, "PARTN"), &p);
	if (err < 0)	/* gone already, an empty drive, a read error */
		ev_info("%s: cannot probe: %s", devname, strerror(-err));

	if (d) {	/* change: the old links and keys go */
		bdev_t **pp;
		for (pp = &dm.devs; *pp != d; pp = &(*pp)->next)
			continue;
		*pp = d->next;
		free_dev(d);
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->devpath = strdup(u->devpath);
	d->keys = calloc(2, sizeof(d->keys[0]));
	if (!d->devpath || !d->keys) {
		free(d->keys);
		free(d->devpath);
		free(d);
		return;
	}
	d->keys[0] = (char *)"";	/* slot for the event name */
	snprintf(kv, sizeof(kv), "DEVNAME=%s", devname);
	keys_add(kv, &d->keys);
	snprintf(kv, sizeof(kv), "DEVPATH=%s", u->devpath);
	keys_add(kv, &d->keys);
	{
		static const char copied[] ALIGN1 =
			"MAJOR\0" "MINOR\0" "DEVTYPE\0" "PARTN\0" "PARTNAME\0" "DM_NAME\0" "DISKSEQ\0";
		const char *k;
		for (k = copied; *k; k += strlen(k) + 1) {
			const char *v = ev_uevent_get(u, k);
			if (v) {
				snprintf(kv, sizeof(kv), "%s=%s", k, v);
				keys_add(kv, &d->keys);
			}
		}
	}
	ev_probe_keys(&p, keys_add, &d->keys);
	serial(u, &d->keys);
	d->next = dm.devs;
	dm.devs = d;
	make_links(d, devname);
	d->keys[0] = (char *)(strcmp(u->action, "add") == 0 ? "block-device-added" : "block-device-changed");
	ev_emit(d->keys);
}

/* ---- every uevent ---- */

static void handle(ev_uevent_t *u)
{
	const char *alias = ev_uevent_get(u, "MODALIAS");

	if (alias && strcmp(u->action, "add") == 0)
		modalias(alias, u->devpath);
	if (strcmp(u->subsystem, "block") == 0) {
		block_event(u);
	} else if (strcmp(u->subsystem, "net") == 0 && strcmp(u->action, "add") == 0) {
		const char *ifname = ev_uevent_get(u, "INTERFACE");
		if (ifname) {
			char kv[64];
			snprintf(kv, sizeof(kv), "INTERFACE=%s", ifname);
			ev_emitv("net-device-added", kv, NULL);
		}
	}
}

static void FAST_FUNC coldplugged(ev_uevent_t *u, void *ctx UNUSED_PARAM)
{
	handle(u);
}

static void rescan(void)
{
	int n = ev_coldplug(ev_path("/sys"), coldplugged, NULL);

	if (n < 0)
		ev_err("cannot read %s/devices: %s", ev_path("/sys"), strerror(-n));
	else
		ev_info("coldplug: %d devices", n);
}

static void FAST_FUNC netlink_ready(ev_fd_t *w, short revents UNUSED_PARAM)
{
	int n, why;
	ev_uevent_t u;

	while ((n = ev_uevent_recv(w->fd, dm.buf, sizeof(dm.buf), &why)) != -EAGAIN) {
		if (n == -ENOBUFS) {
			ev_warn("uevents were lost (socket buffer full): rescanning /sys");
			rescan();
		} else if (n < 0) {
			ev_err("uevent socket: %s", strerror(-n));
			return;
		} else if (n == 0) {
			ev_debug("uevent dropped: %s", ev_uevent_why(why));
		} else if (ev_uevent_parse(dm.buf, n, &u) == EV_UE_OK) {
			handle(&u);
		}
	}
}

int FAST_FUNC ev_dev_start(int netlink)
{
	if (netlink) {
		int fd = ev_uevent_open();
		if (fd < 0) {
			ev_err("cannot open the uevent socket: %s (devices that appear later are missed)",
					strerror(-fd));
		} else {
			dm.nl.fd = fd;
			dm.nl.events = POLLIN;
			dm.nl.cb = netlink_ready;
			ev_fd_add(&dm.nl);
		}
	}
	ev_emitv("starting", "JOB=udevd", "INSTANCE=", NULL);
	rescan();
	ev_emitv("started", "JOB=udevd", "INSTANCE=", NULL);
	return 0;
}

void FAST_FUNC ev_dev_stop(void)
{
	if (dm.nl.fd >= 0) {
		ev_fd_del(&dm.nl);
		close(dm.nl.fd);
		dm.nl.fd = -1;
	}
}

void FAST_FUNC ev_dev_list(void (*out)(const char *line) FAST_FUNC)
{
	bdev_t *d;
	char line[512];

	if (!dm.devs)
		out("(none)");
	for (d = dm.devs; d; d = d->next) {
		const char *type = ev_event_get(d->keys, "ID_FS_TYPE");
		const char *uuid = ev_event_get(d->keys, "ID_FS_UUID");
		const char *label = ev_event_get(d->keys, "ID_FS_LABEL");
		const char *partuuid = ev_event_get(d->keys, "ID_PART_ENTRY_UUID");

		snprintf(line, sizeof(line), "%s  TYPE=%s UUID=%s%s%s%s%s",
				ev_event_get(d->keys, "DEVNAME"), type ? type : "(unknown)",
				uuid ? uuid : "(none)",
				label ? " LABEL=" : "", label ? label : "",
				partuuid ? " PARTUUID=" : "", partuuid ? partuuid : "");
		out(line);
	}
}
