/* vi: set sw=4 ts=4: */
/*
 * evinit's device manager, seen by jobs as the job "udevd".  The netlink
 * socket is opened first, then every device already there is read once
 * from /sys (coldplug); from then on the kernel's messages come in as they
 * happen.  For each device:
 *   MODALIAS    -> the image's modules.alias, matched here -> modprobe in a
 *                  child (a few at a time; a failure names the module)
 *   block       -> probe in a child, with a deadline -> /dev/disk/by-{uuid,
 *                  label,partuuid,partlabel,id} -> block-device-added/
 *                  -changed/-removed with the keys
 *
 * PID 1 never reads a disk: each probe runs in a child of its own, which
 * writes the fixed-size result (ev_probe_t) into a pipe and exits.  A
 * child that has not answered by the deadline is killed and left behind
 * (a process in an uninterruptible read dies when the read ends): its
 * device's event goes out without the probe's keys, and only that device
 * waited.
 *   net         -> net-device-added INTERFACE=...
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVINIT) += evdev.o

#include "libbb.h"
#include "../../lib/evuevent.h"
#include "../../lib/evmod.h"
#include "../../lib/evprobe.h"
#include "../../lib/evlvmmeta.h"
#include "../../lib/evcmdline.h"
#include "evinit.h"
#include <sys/utsname.h>
#include <fnmatch.h>
#include <linux/fs.h>

#define MODPROBE_MAX 4		/* modprobe children at once */
#define PROBE_MAX 8		/* probe children at once */

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

/* A block device's add or change, waiting for its probe. */
typedef struct probe {
	struct probe *next;
	ev_child_t child;
	ev_timer_t deadline;
	int pipe;		/* read end; -1 when not running */
	int started, abandoned, again;
	ev_ms_t since;
	char *devpath, *devname, *partn, *action;
	char **ukeys;		/* the uevent keys the event copies */
} probe_t;

static struct {
	ev_fd_t nl;
	probe_t *probes;	/* in arrival order */
	unsigned probing;	/* children running */
	unsigned probe_ms;
	int coldplugged;	/* devices-busy/-settled are said from then on */
	int said_busy;
	bdev_t *devs;
	alias_t *aliases;
	unsigned naliases;
	int aliases_read;
	modreq_t *mods;		/* every module asked for, once */
	unsigned running;
} dm = { .nl = { .fd = -1 } };
/* not in dm: its initializer would put the buffer in .data, 8 KB of the file */
static char ue_buf[EV_UEVENT_MAX];

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
	char path[PATH_MAX], line[1024];
	FILE *f;

	dm.aliases_read = 1;
	snprintf(path, sizeof(path), "%s/modules.alias", moddir());
	f = fopen(path, "r");
	if (!f) {
		ev_debug("no %s: modules are not loaded by alias", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tok[2];
		alias_t *a;

		if (sscanf(line, "alias %ms %ms", &tok[0], &tok[1]) != 2)
			continue;
		a = realloc(dm.aliases, (dm.naliases + 1) * sizeof(*a));
		if (!a) {
			free(tok[0]);
			free(tok[1]);
			continue;
		}
		dm.aliases = a;
		a[dm.naliases].pattern = tok[0];
		a[dm.naliases].module = tok[1];
		dm.naliases++;
	}
	fclose(f);
}

static void start_modprobes(void);
static void busy_changed(void);

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
	busy_changed();
}

/* Module loads or probes began or ended: devices-busy when some run
 * again, devices-settled when none is left (once coldplug is done). */
static void busy_changed(void)
{
	int busy = ev_dev_busy();

	if (dm.coldplugged && busy != dm.said_busy) {
		dm.said_busy = busy;
		ev_emitv(busy ? EV_DEVICES_BUSY : EV_DEVICES_SETTLED, NULL);
	}
	if (!busy)
		ev_engine_poke();	/* for whoever waits for idle */
}

int FAST_FUNC ev_dev_busy(void)
{
	modreq_t *r;

	for (r = dm.mods; r; r = r->next)
		if (!r->done)
			return 1;
	return dm.probes != NULL;
}

/* In the child: the module in-process (finit_module), or else modprobe.
 * Test mode always runs modprobe (the tests' stand-in). */
static int load_module(void *arg)
{
	return ev_mod_child(moddir(), ((modreq_t *)arg)->module, ev_testing());
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
	busy_changed();
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
static int link_name(char *out, unsigned size, const char *dir, const char *id)
{
	unsigned n = snprintf(out, size, "%s/", ev_path(dir));

	if (n >= size)
		return -ENAMETOOLONG;	/* cut short: no link rather than another */
	for (; *id && n + 5 < size; id++) {
		unsigned char ch = *id;
		if (ch == '/' || ch == '\\' || ch <= ' ' || ch >= 0x7f)
			n += sprintf(out + n, "\\x%02x", ch);
		else
			out[n++] = ch;
	}
	out[n] = '\0';
	return *id ? -ENAMETOOLONG : 0;
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
		if (link_name(path, sizeof(path), dir, id) < 0) {
			ev_warn("%s: %s=%s is too long for a link in %s", devname, key, id, dir);
			continue;
		}
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
static int sys_attr(const char *devpath, const char *attr, char *buf, unsigned size);

static void serial(const ev_uevent_t *u, char ***keys)
{
	char path[PATH_MAX], buf[128], kv[160];
	const char *dev = u->devpath;
	int part = u->devname && ev_uevent_get(u, "PARTN") != NULL;
	char *p;

	snprintf(path, sizeof(path), "%s", dev);
	if (part && (p = strrchr(path, '/')) != NULL)
		*p = '\0';	/* a partition's serial is its disk's */
	if (sys_attr(path, "serial", buf, sizeof(buf)) < 0 || !buf[0])
		return;
	snprintf(kv, sizeof(kv), "ID_SERIAL=%s%s%s%s",
			strstr(dev, "/virtio") ? "virtio-" : "", buf,
			part ? "-part" : "", part ? ev_uevent_get(u, "PARTN") : "");
	keys_add(kv, keys);
}

static void keys_free(char **keys)
{
	char **k;

	for (k = keys ? keys + 1 : NULL; k && *k; k++)
		if (**k)
			free(*k);
	free(keys);
}

static void unlink_dev(bdev_t *d)
{
	bdev_t **pp;

	for (pp = &dm.devs; *pp != d; pp = &(*pp)->next)
		continue;
	*pp = d->next;
}

static void probe_free(probe_t *r)
{
	ev_timer_stop(&r->deadline);
	if (r->pipe >= 0)
		close(r->pipe);
	keys_free(r->ukeys);
	free(r->devpath);
	free(r->devname);
	free(r->partn);
	free(r->action);
	free(r);
}

static void probe_unlink(probe_t *r)
{
	probe_t **pp;

	for (pp = &dm.probes; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

static void start_probes(void);

/* The probe of R is over: P holds what it found, or is NULL (WHY says
 * what went wrong).  The device's event goes out either way. */
static void device_ready(probe_t *r, const ev_probe_t *p, const char *why)
{
	bdev_t *d = find_dev(r->devpath);
	char **k;

	if (why) {
		char kv[160];

		ev_warn("probe failed: %s, %s", r->devname, why);
		snprintf(kv, sizeof(kv), "PROBE_FAILED=%s", why);
		keys_add(kv, &r->ukeys);
	}
	if (d) {	/* change: the old links and keys go */
		unlink_dev(d);
		free_dev(d);
	}
	d = calloc(1, sizeof(*d));
	if (!d || !(d->devpath = strdup(r->devpath))) {
		free(d);
		ev_err("out of memory: %s is not announced", r->devname);
		return;
	}
	d->keys = r->ukeys;	/* the event's keys move to the device */
	r->ukeys = NULL;
	if (p)
		ev_probe_keys(p, keys_add, &d->keys);
	if (!d->keys) {
		free(d->devpath);
		free(d);
		return;
	}
	d->next = dm.devs;
	dm.devs = d;
	make_links(d, r->devname);
	k = d->keys;
	k[0] = (char *)(strcmp(r->action, "add") == 0 ? EV_BLOCK_ADDED : EV_BLOCK_CHANGED);
	ev_emit(k);
}

/* Another add or change came while R's probe ran: probe again, in order. */
static void probe_again(probe_t *r)
{
	r->again = 0;
	r->started = 0;
	start_probes();
}

static void FAST_FUNC probe_exited(ev_child_t *c, int status)
{
	probe_t *r = c->data;
	struct { int err; ev_probe_t p; } res;
	char why[64];
	ssize_t n;

	if (r->abandoned) {	/* timed out (announced already) or removed */
		ev_info("the abandoned probe of %s ended after %u ms", r->devname,
				(unsigned)(ev_now() - r->since));
		probe_free(r);
		return;
	}
	dm.probing--;
	ev_timer_stop(&r->deadline);
	n = read(r->pipe, &res, sizeof(res));
	close(r->pipe);
	r->pipe = -1;
	if (r->again) {
		probe_again(r);
		return;
	}
	probe_unlink(r);
	if (n == (ssize_t)sizeof(res)) {
		if (res.err < 0)	/* gone already, an empty drive, a read error */
			ev_info("%s: cannot probe: %s", r->devname, strerror(-res.err));
		device_ready(r, &res.p, NULL);
	} else {
		if (WIFSIGNALED(status))
			snprintf(why, sizeof(why), "the prober died of signal %s", get_signame(WTERMSIG(status)));
		else
			snprintf(why, sizeof(why), "the prober exited with status %d", WEXITSTATUS(status));
		device_ready(r, NULL, why);
	}
	probe_free(r);
	start_probes();
	busy_changed();
}

static void FAST_FUNC probe_expired(ev_timer_t *t)
{
	probe_t *r = t->data;
	char why[96];

	/* killed, and left to exit when its read ends: it is no longer ours
	 * to wait for */
	kill(r->child.pid, SIGKILL);
	r->abandoned = 1;
	dm.probing--;
	probe_unlink(r);
	snprintf(why, sizeof(why), "timed out after %u s (rd.probe_timeout=, EVINIT_PROBE_TIMEOUT)",
			dm.probe_ms / 1000);
	device_ready(r, NULL, why);
	if (r->again) {
		/* what came meanwhile waits its turn behind nothing */
		ev_warn("%s: its later uevent is not probed (the device hangs)", r->devname);
	}
	start_probes();
	busy_changed();
}

struct probe_args {
	probe_t *r;
	int fd;
};

/* In the child: probe, write the result, exit. */
static int probe_child(void *arg)
{
	struct probe_args *a = arg;
	struct { int err; ev_probe_t p; } res;

	memset(&res, 0, sizeof(res));
	res.err = ev_probe_blockdev(ev_root, a->r->devname, a->r->devpath, a->r->partn, &res.p);
	return full_write(a->fd, &res, sizeof(res)) == sizeof(res) ? 0 : 1;
}

static void start_probes(void)
{
	probe_t *r, *next;

	for (r = dm.probes; r && dm.probing < PROBE_MAX; r = next) {
		struct probe_args a;
		int pfd[2];
		pid_t pid;

		next = r->next;
		if (r->started)
			continue;
		/* one probe per device at a time, in the order they came */
		r->started = 1;
		if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0) {
			probe_unlink(r);
			device_ready(r, NULL, strerror(errno));
			probe_free(r);
			continue;
		}
		a.r = r;
		a.fd = pfd[1];
		r->child.cb = probe_exited;
		r->child.data = r;
		pid = ev_fork(&r->child, probe_child, &a);
		close(pfd[1]);
		if (pid < 0) {
			close(pfd[0]);
			probe_unlink(r);
			device_ready(r, NULL, strerror(-pid));
			probe_free(r);
			continue;
		}
		r->pipe = pfd[0];
		r->since = ev_now();
		r->deadline.cb = probe_expired;
		r->deadline.data = r;
		ev_timer_in(&r->deadline, dm.probe_ms);
		dm.probing++;
	}
}

static probe_t *find_probe(const char *devpath)
{
	probe_t *r;

	for (r = dm.probes; r; r = r->next)
		if (strcmp(r->devpath, devpath) == 0)
			return r;
	return NULL;
}

/* A sysfs attribute of DEVPATH (one line) into BUF; 0 or -1. */
static int sys_attr(const char *devpath, const char *attr, char *buf, unsigned size)
{
	char path[PATH_MAX];
	int n;

	if ((unsigned)snprintf(path, sizeof(path), "/sys%s/%s", devpath, attr) >= sizeof(path))
		return -1;
	n = open_read_close(ev_path(path), buf, size - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*strchrnul(buf, '\n') = '\0';
	return 0;
}

/* An md array that is not running (made, its members not bound yet, or
 * stopped) is no device to announce: its running is its arrival. */
static int md_inactive(const char *devpath)
{
	char state[32];

	if (sys_attr(devpath, "md/array_state", state, sizeof(state)) < 0)
		/* md's own devices, before their md/ directory is there */
		return is_prefixed_with(devpath, "/devices/virtual/block/md") != NULL
			&& !strchr(devpath + 23, '/');
	return strcmp(state, "clear") == 0 || strcmp(state, "inactive") == 0;
}

/* A block device with nothing in it (size 0) is no device to announce
 * yet: a dm device between its creation and its table's resume (its add
 * event can come before even dm/name is there), an idle nbd or loop
 * device, a drive with no medium. Its change event, once it has a size,
 * is its arrival. */
static int empty_device(const char *devpath)
{
	char v[32];

	return sys_attr(devpath, "size", v, sizeof(v)) == 0 && strcmp(v, "0") == 0;
}

/* An md array's keys: its level and whether it runs degraded from sysfs,
 * its UUID and name from a member's superblock (the member's own event). */
static void md_keys(const char *devpath, char ***keys)
{
	char kv[128], val[64], dir[PATH_MAX];
	bdev_t *m;
	DIR *d;
	struct dirent *e;

	if (sys_attr(devpath, "md/level", val, sizeof(val)) < 0)
		return;
	snprintf(kv, sizeof(kv), "MD_LEVEL=%s", val);
	keys_add(kv, keys);
	if (sys_attr(devpath, "md/raid_disks", val, sizeof(val)) == 0) {
		snprintf(kv, sizeof(kv), "MD_DEVICES=%s", val);
		keys_add(kv, keys);
	}
	if (sys_attr(devpath, "md/degraded", val, sizeof(val)) == 0) {
		snprintf(kv, sizeof(kv), "MD_DEGRADED=%d", strcmp(val, "0") != 0);
		keys_add(kv, keys);
	}
	/* the members are DEVPATH/slaves/NAME: one we announced knows */
	if ((unsigned)snprintf(dir, sizeof(dir), "/sys%s/slaves", devpath) >= sizeof(dir))
		return;
	d = opendir(ev_path(dir));
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *v;
		char want[sizeof(e->d_name) + 8];

		if (DOT_OR_DOTDOT(e->d_name))
			continue;
		snprintf(want, sizeof(want), "/dev/%s", e->d_name);
		for (m = dm.devs; m; m = m->next) {
			v = ev_event_get(m->keys, "DEVNAME");
			if (v && strcmp(v, want) == 0 && ev_event_get(m->keys, "MD_UUID"))
				break;
		}
		if (!m)
			continue;
		snprintf(kv, sizeof(kv), "MD_UUID=%s", ev_event_get(m->keys, "MD_UUID"));
		keys_add(kv, keys);
		v = ev_event_get(m->keys, "MD_NAME");
		if (v) {
			snprintf(kv, sizeof(kv), "MD_NAME=%s", v);
			keys_add(kv, keys);
		}
		break;
	}
	closedir(d);
}

/* A dm device: DM_NAME and DM_UUID (from sysfs when the uevent has none:
 * the kernel's add event has neither); an LV's (DM_UUID "LVM-..."): also
 * DM_VG_NAME and DM_LV_NAME from its name, as LVM's udev rules give them. */
static void dm_keys(ev_uevent_t *u, char ***keys)
{
	const char *name = ev_uevent_get(u, "DM_NAME"), *uuid = ev_uevent_get(u, "DM_UUID");
	char sname[128], suuid[160], vg[128], lv[128], kv[192];

	if (!name && sys_attr(u->devpath, "dm/name", sname, sizeof(sname)) == 0 && sname[0]) {
		name = sname;
		snprintf(kv, sizeof(kv), "DM_NAME=%s", name);
		keys_add(kv, keys);
		if (!uuid && sys_attr(u->devpath, "dm/uuid", suuid, sizeof(suuid)) == 0 && suuid[0]) {
			uuid = suuid;
			snprintf(kv, sizeof(kv), "DM_UUID=%s", uuid);
			keys_add(kv, keys);
		}
	}
	if (!ENABLE_EVLVM || !name || !uuid || !is_prefixed_with(uuid, "LVM-")
	 || ev_lvm_dm_split(name, vg, lv, sizeof(vg)) < 0)
		return;
	snprintf(kv, sizeof(kv), "DM_VG_NAME=%s", vg);
	keys_add(kv, keys);
	snprintf(kv, sizeof(kv), "DM_LV_NAME=%s", lv);
	keys_add(kv, keys);
}

/* The keys of the event that do not need the disk: from the uevent and
 * sysfs, taken now. */
static char **uevent_keys(ev_uevent_t *u, const char *devname)
{
	static const char copied[] ALIGN1 =
		"MAJOR\0" "MINOR\0" "DEVTYPE\0" "PARTN\0" "PARTNAME\0" "DM_NAME\0" "DM_UUID\0" "DISKSEQ\0";
	char **keys = calloc(2, sizeof(keys[0]));
	char kv[PATH_MAX + 16];
	const char *k;

	if (!keys)
		return NULL;
	keys[0] = (char *)"";	/* slot for the event name */
	snprintf(kv, sizeof(kv), "DEVNAME=%s", devname);
	keys_add(kv, &keys);
	snprintf(kv, sizeof(kv), "DEVPATH=%s", u->devpath);
	keys_add(kv, &keys);
	for (k = copied; *k; k += strlen(k) + 1) {
		const char *v = ev_uevent_get(u, k);
		if (v) {
			snprintf(kv, sizeof(kv), "%s=%s", k, v);
			keys_add(kv, &keys);
		}
	}
	serial(u, &keys);
	md_keys(u->devpath, &keys);
	dm_keys(u, &keys);
	return keys;
}

static void block_event(ev_uevent_t *u)
{
	bdev_t *d = find_dev(u->devpath);
	probe_t *r = find_probe(u->devpath);
	char devname[PATH_MAX];
	const char *partn;

	if (!u->devname)
		return;
	snprintf(devname, sizeof(devname), "/dev/%s", u->devname);
	if (strcmp(u->action, "remove") == 0) {
		if (r) {	/* never announced: nothing to take back */
			probe_unlink(r);
			if (r->pipe >= 0) {
				kill(r->child.pid, SIGKILL);
				r->abandoned = 1;	/* its exit frees it */
				dm.probing--;
			} else {
				probe_free(r);
			}
			start_probes();
			busy_changed();
		}
		if (d) {
			d->keys[0] = (char *)EV_BLOCK_REMOVED;
			ev_emit(d->keys);
			unlink_dev(d);
			free_dev(d);
		}
		return;
	}
	if (strcmp(u->action, "add") != 0 && strcmp(u->action, "change") != 0)
		return;
	if (!d && !r && md_inactive(u->devpath)) {
		ev_debug("%s: an md array not running yet: announced when it runs", devname);
		return;
	}
	if (!d && !r && empty_device(u->devpath)) {
		ev_debug("%s: size 0 (no table, no medium, not connected): announced when it has a size", devname);
		return;
	}
	if (r) {	/* probed now: this one's keys win, probed afterwards */
		keys_free(r->ukeys);
		r->ukeys = uevent_keys(u, devname);
		if (strcmp(u->action, "add") == 0) {
			free(r->action);
			r->action = strdup("add");
		}
		if (r->pipe >= 0)
			r->again = 1;
		if (!r->ukeys || !r->action) {
			probe_unlink(r);
			probe_free(r);
		}
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		goto oom;
	r->pipe = -1;
	partn = ev_uevent_get(u, "PARTN");
	r->devpath = strdup(u->devpath);
	r->devname = strdup(devname);
	r->partn = partn ? strdup(partn) : NULL;
	/* a change of a device never announced is its arrival */
	r->action = strdup(d ? u->action : "add");
	r->ukeys = uevent_keys(u, devname);
	if (!r->devpath || !r->devname || (partn && !r->partn) || !r->action || !r->ukeys) {
		probe_free(r);
		goto oom;
	}
	{
		probe_t **pp;
		for (pp = &dm.probes; *pp; pp = &(*pp)->next)
			continue;
		*pp = r;
	}
	start_probes();
	busy_changed();
	return;
 oom:
	ev_err("out of memory: %s is not announced", devname);
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
			ev_emitv(EV_NET_ADDED, kv, NULL);
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

	while ((n = ev_uevent_recv(w->fd, ue_buf, sizeof(ue_buf), &why)) != -EAGAIN) {
		if (n == -ENOBUFS) {
			ev_warn("uevents were lost (socket buffer full): rescanning /sys");
			rescan();
		} else if (n < 0) {
			ev_err("uevent socket: %s", strerror(-n));
			return;
		} else if (n == 0) {
			ev_debug("uevent dropped: %s", ev_uevent_why(why));
		} else if (ev_uevent_parse(ue_buf, n, &u) == EV_UE_OK) {
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
	dm.probe_ms = ev_cmdline_secs("rd.probe_timeout", CONFIG_EVINIT_PROBE_TIMEOUT) * 1000;
	ev_emitv(EV_STARTING, "JOB=" EV_UDEVD, "INSTANCE=", NULL);
	rescan();
	ev_emitv(EV_STARTED, "JOB=" EV_UDEVD, "INSTANCE=", NULL);
	dm.coldplugged = 1;
	dm.said_busy = 1;	/* coldplug was: settled is said when all is done */
	busy_changed();
	return 0;
}

void FAST_FUNC ev_dev_stop(void)
{
	probe_t *r;

	for (r = dm.probes; r; r = r->next)
		if (r->pipe >= 0)
			kill(r->child.pid, SIGKILL);
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
		const char *failed = ev_event_get(d->keys, "PROBE_FAILED");

		snprintf(line, sizeof(line), "%s  TYPE=%s UUID=%s%s%s%s%s%s%s%s",
				ev_event_get(d->keys, "DEVNAME"), type ? type : "(unknown)",
				uuid ? uuid : "(none)",
				label ? " LABEL=" : "", label ? label : "",
				partuuid ? " PARTUUID=" : "", partuuid ? partuuid : "",
				failed ? " (probe failed: " : "", failed ? failed : "", failed ? ")" : "");
		out(line);
	}
}

void FAST_FUNC ev_dev_status(ev_msg_t *m)
{
	probe_t *r;
	ev_ms_t now = ev_now();

	for (r = dm.probes; r; r = r->next) {
		if (r->pipe >= 0)
			ev_msg_addf(m, "udevd: probing %s for %u ms", r->devname, (unsigned)(now - r->since));
		else
			ev_msg_addf(m, "udevd: %s waits for a prober", r->devname);
	}
}
