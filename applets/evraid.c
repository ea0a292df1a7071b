/* vi: set sw=4 ts=4: */
/*
 * evraid: md RAID arrays assembled as their members appear, with no
 * mdadm binary.
 *
 * As the job mdraid (started by the first md member's event) it
 * subscribes to evinit's bus, past events first.  Each member's
 * block-device-added carries what its superblock says (the device
 * manager's probe, lib/evmd.c: MD_UUID, MD_LEVEL, MD_DEVICES, MD_ROLE,
 * MD_EVENTS, MD_METADATA); members are grouped by array UUID, and an
 * array is started through the kernel's md ioctls (SET_ARRAY_INFO with
 * the metadata version, ADD_NEW_DISK per member, RUN_ARRAY) once every
 * slot has a member whose events count is the newest.  A member whose
 * count is behind is stale: left out, named, and added back once the
 * array runs (the kernel recovers it).
 *
 * An array that could run degraded is started so when the storage has
 * been quiet for rd.md.degraded_wait= seconds (settled: no module load
 * or probe in flight, devices-settled; and no new block device), the wait
 * paused while a passphrase is asked (a member may be behind it), as
 * rd.md.degraded= says: yes (the default), no (left for the root
 * deadline's rescue) or ask.  Members that appear once the array runs are
 * added to it: re-added in their slot when the kernel accepts that (a
 * bitmap makes it quick), else as a spare that the kernel rebuilds.
 *
 * Which arrays: rd.md.uuid= (only those, repeatable), else the image's
 * /etc/mdadm/mdadm.conf ARRAY lines (UUID=, name=; rd.md.conf=0 ignores
 * the file), else every array whose members appear; rd.md=0: none.
 *
 * Each started array is one more kernel device, so one more
 * block-device-added: LUKS, LVM and the root mount follow by events.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVRAID
//config:	bool "evraid (12 kb)"
//config:	default n
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Assembles md arrays (metadata 0.90 and 1.x) member by member as
//config:	their devices appear, through the kernel's md ioctls: an
//config:	array starts when every slot has a fresh member, or degraded
//config:	by policy once the storage is quiet (rd.md.degraded=,
//config:	rd.md.degraded_wait=), and members that come later are added
//config:	to the running array.
//config:
//config:config EVRAID_DEGRADED_WAIT
//config:	int "Seconds of quiet before an array starts degraded"
//config:	default 3
//config:	range 1 600
//config:	depends on EVRAID
//config:	help
//config:	An incomplete array that could run degraded is started so when
//config:	no new block device has come for this long (rd.md.degraded_wait=
//config:	overrides it); a passphrase prompt pauses the wait.
//config:
//config:config EVRAID_LATE
//config:	int "Seconds after the switch that late members are still added"
//config:	default 120
//config:	range 0 86400
//config:	depends on EVRAID
//config:	help
//config:	evraid runs on as @evraid after the switch to the real root while
//config:	an array it started runs degraded, and adds a member that comes
//config:	this long after the switch (a slow USB disk); then it ends.
//config:	0: it ends at the switch.  rd.md.late= overrides it.

//applet:IF_EVRAID(APPLET(evraid, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVRAID) += evraid.o

//usage:#define evraid_trivial_usage
//usage:       "[examine DEVICE... | incremental DEVICE | run UUID|NAME | status]"
//usage:#define evraid_full_usage "\n\n"
//usage:       "Assemble md arrays as their members appear (the job mdraid:\n"
//usage:       "mdadm.conf, rd.md.uuid=, rd.md=0, rd.md.conf=0, rd.md.degraded=,\n"
//usage:       "rd.md.degraded_wait=, rd.md.late=)\n"
//usage:     "\n	examine	Print what each DEVICE's md superblock says"
//usage:     "\n	incremental	Add DEVICE to its array (made if need be), run it"
//usage:     "\n		once every member is there"
//usage:     "\n	run	Read every block device and start that array (degraded"
//usage:     "\n		if it must be)"
//usage:     "\n	status	The kernel's md arrays: level, state, members"

#include "libbb.h"
#include "../lib/evloop.h"
#include "../lib/evbus.h"
#include "../lib/evmd.h"
#include "../lib/evmod.h"
#include "../lib/evuevent.h"
#include "../lib/evpath.h"
#include "../lib/evcmdline.h"
#include "../lib/evnames.h"
#include "../toollib/evclient.h"
#include <sys/mount.h>	/* BLKGETSIZE64 */
#include <fcntl.h>	/* AT_FDCWD */
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <linux/major.h>	/* MD_MAJOR, for md_u.h's ioctls */
#include <linux/raid/md_u.h>
#include <linux/raid/md_p.h>

#define MD_SB_DISKS_MAX	1920	/* the kernel's bound for 1.x */

enum { M_FRESH, M_STALE, M_BOUND, M_FAILED };
typedef struct member {
	struct member *next;
	char *dev;		/* DEVNAME */
	unsigned major, minor;
	int role;		/* slot, or EV_MD_SPARE ... */
	unsigned long long events;
	int state;
} member_t;

enum { A_WAITING, A_RUNNING, A_FAILED };
enum { D_NO, D_YES, D_ASK };
typedef struct array {
	struct array *next;
	char uuid[40];		/* mdadm's colon form */
	char *name;		/* MD_NAME ("host:name") or "" */
	char level[16];
	char metadata[8];	/* "1.2", "0.90" */
	unsigned devices;	/* raid_disks */
	unsigned layout;
	char *conf_dev;		/* mdadm.conf's device, if any */
	const char *key;	/* its NAME= in md-wanted/md-started: as it was
				 * wanted (rd.md.uuid=, mdadm.conf), else the UUID */
	member_t *members;
	int state, degraded_started;
	int declined;		/* rd.md.degraded=ask answered no */
	int told;		/* members present when md-wanted last said so, + 1 */
	char md[16];		/* "md127" once made */
	ev_timer_t quiet;	/* the degraded wait */
	pid_t loader;		/* its modules' loader; -1 once done */
} array_t;

/* mdadm.conf ARRAY lines and rd.md.uuid=: the arrays wanted */
typedef struct wanted {
	struct wanted *next;
	char uuid[40];		/* "" when named by name only */
	char *name, *dev;
	int seen;
} wanted_t;

struct globals {
	array_t *arrays;
	wanted_t *wanted;
	int none;		/* rd.md=0 */
	int noconf;		/* rd.md.conf=0 */
	int by_cmdline;		/* rd.md.uuid= given: only those */
	int degraded;		/* rd.md.degraded: D_YES, D_NO, D_ASK */
	array_t *asking;	/* the array whose question is on the console */
	ev_fd_t console;	/* its answer */
	ev_timer_t answer;	/* the default answer's time */
	int late;		/* rd.md.late: add late members */
	unsigned late_secs;	/* and for so long after the switch */
	int devfd;		/* /dev and /sys, kept through the switch */
	ev_fd_t nl;		/* after the switch: the kernel's uevents */
	ev_timer_t late_end;
	unsigned wait_ms;
	int prompts;		/* passphrase prompts up */
	int busy;		/* devices-busy: module loads or probes run */
	int next_minor;		/* for arrays without a name in the conf */
};
#define G (*ptr_to_globals)
#define INIT_G() do { SET_PTR_TO_GLOBALS(xzalloc(sizeof(G))); } while (0)

#define say(...)  ev_client_say(0, __VA_ARGS__)
#define warn(...) ev_client_say(1, __VA_ARGS__)

/* ---- which arrays ---- */

/* Both mdadm forms, "5e1f0400:e7b04c5a:9d1e0000:00000001" and the same
 * hex with other separators, compare as the 32 hex digits. */
static int same_uuid(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isxdigit(*a))
			a++;
		while (*b && !isxdigit(*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower(*a++) != tolower(*b++))
			return 0;
	}
}

static wanted_t *add_wanted(const char *uuid, const char *name, const char *dev)
{
	wanted_t *w = xzalloc(sizeof(*w));

	if (uuid)
		safe_strncpy(w->uuid, uuid, sizeof(w->uuid));
	w->name = name ? xstrdup(name) : NULL;
	w->dev = dev ? xstrdup(dev) : NULL;
	w->next = G.wanted;
	G.wanted = w;
	return w;
}

/* mdadm.conf: "ARRAY [DEV] [UUID=...] [name=...] [other=...]..."; other
 * lines (DEVICE, MAILADDR, HOMEHOST, ...) say nothing to evraid. */
static void read_conf(void)
{
	static const char *const paths[] = { "/etc/mdadm/mdadm.conf", "/etc/mdadm.conf" };
	unsigned i, lineno;
	char *line;
	FILE *f = NULL;
	const char *path = NULL;

	for (i = 0; i < ARRAY_SIZE(paths) && !f; i++)
		f = fopen(ev_path(path = paths[i]), "r");
	if (!f)
		return;
	for (lineno = 1; (line = xmalloc_fgetline(f)) != NULL; lineno++, free(line)) {
		char *tok, *save, *dev = NULL, *uuid = NULL, *name = NULL;

		/* a comment starts at a word: name=a#b is a name */
		for (tok = line; (tok = strchr(tok, '#')) != NULL; tok++) {
			if (tok == line || isspace(tok[-1])) {
				*tok = '\0';
				break;
			}
		}
		tok = strtok_r(line, " \t", &save);
		if (!tok || strcasecmp(tok, "ARRAY") != 0)
			continue;
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
			if (strncasecmp(tok, "UUID=", 5) == 0)
				uuid = tok + 5;
			else if (strncasecmp(tok, "name=", 5) == 0)
				name = tok + 5;
			else if (tok[0] == '/' || strcmp(tok, "<ignore>") == 0)
				dev = tok;
		}
		if (!uuid && !name) {
			warn("%s:%u: an ARRAY line without UUID= or name=: ignored", path, lineno);
			continue;
		}
		if (dev && strcmp(dev, "<ignore>") == 0)
			continue;
		add_wanted(uuid, name, dev);
	}
	fclose(f);
}

static void FAST_FUNC cmdline_word(char *key, char *val, void *ctx UNUSED_PARAM)
{
	if (strcmp(key, "rd.md.uuid") == 0 && val) {
		if (!G.by_cmdline) {	/* only those: the file's go */
			G.by_cmdline = 1;
			G.wanted = NULL;
		}
		add_wanted(val, NULL, NULL);
	} else if (strcmp(key, "rd.md") == 0 && val && strcmp(val, "0") == 0) {
		G.none = 1;
	} else if (strcmp(key, "rd.md.conf") == 0 && val && strcmp(val, "0") == 0) {
		G.noconf = 1;
	} else if (strcmp(key, "rd.md.degraded") == 0) {
		if (!val || strcmp(val, "yes") == 0 || strcmp(val, "1") == 0)
			G.degraded = 1;
		else if (strcmp(val, "no") == 0 || strcmp(val, "0") == 0)
			G.degraded = 0;
		else if (strcmp(val, "ask") == 0)
			G.degraded = D_ASK;
		else
			warn("ignoring rd.md.degraded=%s: not yes, no or ask", val);
	} else if (strcmp(key, "rd.md.late") == 0 && val) {
		/* 0 or no: none, ever; N: in the initramfs and N s after */
		G.late = strcmp(val, "0") != 0 && strcmp(val, "no") != 0;
		G.late_secs = bb_strtou(val, NULL, 10);
		if (errno)
			G.late_secs = G.late ? CONFIG_EVRAID_LATE : 0;
	}
}

static void read_params(void)
{
	char *text = ev_cmdline_read(), *words;

	if (!text)
		bb_die_memory_exhausted();
	words = xstrdup(text);
	ev_cmdline_parse(text);		/* kept: ev_cmdline points into it */
	G.degraded = 1;
	G.late = 1;
	G.late_secs = CONFIG_EVRAID_LATE;
	G.next_minor = 127;
	/* rd.md.uuid= names the arrays; without it, mdadm.conf does */
	ev_cmdline_words(xstrdup(words), cmdline_word, NULL);
	if (!G.noconf && !G.by_cmdline)
		read_conf();
	free(words);
	G.wait_ms = ev_cmdline_secs("rd.md.degraded_wait", CONFIG_EVRAID_DEGRADED_WAIT) * 1000;
	/* never past the root's own deadline */
	if (ev_cmdline.rootdelay > 0 && G.wait_ms >= (unsigned)ev_cmdline.rootdelay * 1000)
		G.wait_ms = ev_cmdline.rootdelay * 500;
}

/* The wanted entry for an array, or NULL; with nothing wanted, any. */
static wanted_t *wanted_for(const char *uuid, const char *name)
{
	wanted_t *w;
	const char *short_name = name ? strchrnul(name, ':') : NULL;

	if (short_name && *short_name)
		short_name++;
	for (w = G.wanted; w; w = w->next) {
		if (w->uuid[0] && same_uuid(w->uuid, uuid))
			return w;
		if (!w->uuid[0] && w->name && name
		 && (strcmp(w->name, name) == 0 || (short_name && strcmp(w->name, short_name) == 0)))
			return w;
	}
	return NULL;
}

/* ---- what evmount's rescue names ---- */

/* md-wanted NAME=KEY WANTED=TEXT: the array KEY is not running, TEXT says
 * why; md-started NAME=KEY when it runs. */
#define tell_wanted(key, ...) ev_client_wanted(EV_MD_WANTED, key, __VA_ARGS__)

/* ---- starting an array ---- */

static const char *module_of(const char *level)
{
	static const char map[] ALIGN1 =
		"linear\0" "linear\0" "raid0\0" "raid0\0" "raid1\0" "raid1\0"
		"raid4\0" "raid456\0" "raid5\0" "raid456\0" "raid6\0" "raid456\0"
		"raid10\0" "raid10\0";
	const char *m;

	for (m = map; *m; m += strlen(m) + 1) {
		const char *mod = m + strlen(m) + 1;
		if (strcmp(m, level) == 0)
			return mod;
		m = mod;
	}
	return NULL;
}

/* md_mod and the level's personality, with finit_module in a child,
 * begun as soon as the array's first member is seen: by the time its
 * last one comes they are in.  The start waits for that child. */
static void preload(array_t *a)
{
	const char *mod = module_of(a->level);
	struct utsname u;
	char dir[PATH_MAX];

	if (ev_testing() || !mod || a->loader)
		return;
	uname(&u);
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	a->loader = fork();
	if (a->loader == 0) {
		ev_mod_child(dir, "md_mod", 0);
		_exit(ev_mod_child(dir, mod, 0));
	}
	if (a->loader < 0)
		a->loader = 0;
}

static void load_modules(array_t *a)
{
	preload(a);
	if (a->loader > 0)
		waitpid(a->loader, NULL, 0);
	a->loader = -1;		/* done */
}

/* How many slots may be empty for LEVEL with N devices and LAYOUT. */
static unsigned may_miss(const array_t *a)
{
	if (strcmp(a->level, "raid1") == 0)
		return a->devices - 1;
	if (strcmp(a->level, "raid4") == 0 || strcmp(a->level, "raid5") == 0)
		return 1;
	if (strcmp(a->level, "raid6") == 0)
		return 2;
	return 0;	/* linear, raid0; raid10 is checked by its sets */
}

/* raid10 "near" layouts: the slots k*copies .. k*copies+copies-1 hold one
 * chunk's copies; each such set needs one member.  Other layouts: all. */
static int raid10_runs(const array_t *a, const char *present)
{
	unsigned near = a->layout & 0xff, far = (a->layout >> 8) & 0xff, i, k;

	if (far != 1 || near < 2 || a->devices % near)
		return 0;
	for (k = 0; k < a->devices; k += near) {
		for (i = 0; i < near && !present[k + i]; i++)
			continue;
		if (i == near)
			return 0;
	}
	return 1;
}

/* Which slots fresh members fill: *HAVE of them, 0 complete, 1 could run
 * degraded, -1 cannot run yet. */
static int runnable(array_t *a, unsigned *have, char *missing, unsigned size)
{
	char present[MD_SB_DISKS_MAX];
	member_t *m;
	unsigned i, n = 0, len = 0;

	memset(present, 0, sizeof(present));
	for (m = a->members; m; m = m->next)
		if (m->state == M_FRESH && m->role >= 0 && (unsigned)m->role < a->devices)
			present[m->role] = 1;
	if (missing)
		missing[0] = '\0';
	for (i = 0; i < a->devices; i++) {
		if (present[i]) {
			n++;
		} else if (missing && len + 12 < size) {
			len += sprintf(missing + len, "%s%u", len ? "," : "", i);
		}
	}
	*have = n;
	if (n == a->devices)
		return 0;
	if (strcmp(a->level, "raid10") == 0)
		return raid10_runs(a, present) ? 1 : -1;
	return n && a->devices - n <= may_miss(a) ? 1 : -1;
}

static int add_disk(int fd, member_t *m, int resync_as_role)
{
	mdu_disk_info_t d;

	memset(&d, 0, sizeof(d));
	d.major = m->major;
	d.minor = m->minor;
	if (resync_as_role) {	/* a re-add: into its own slot */
		d.number = 0;
		d.raid_disk = m->role;
		d.state = (1 << MD_DISK_SYNC) | (1 << MD_DISK_ACTIVE);
	}
	return ioctl(fd, ADD_NEW_DISK, &d) < 0 ? -errno : 0;
}

static int open_md(array_t *a)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", a->md);
	/* the /dev kept from before the switch reaches it after it too */
	fd = G.devfd >= 0 ? openat(G.devfd, a->md, O_RDWR | O_CLOEXEC) : open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		warn("%s: %s", path, strerror(errno));
	return fd;
}

/* A name for the array: mdadm.conf's /dev/mdN, else the next free minor
 * from 127 down, as mdadm does. */
static void pick_name(array_t *a)
{
	char path[64];
	int n;

	if (a->md[0])
		return;		/* named already (asked about first) */
	if (a->conf_dev && sscanf(a->conf_dev, "/dev/md%d", &n) == 1 && n >= 0 && n < 512) {
		snprintf(a->md, sizeof(a->md), "md%d", n);
		return;
	}
	for (; G.next_minor >= 0; G.next_minor--) {
		snprintf(path, sizeof(path), "/sys/block/md%d", G.next_minor);
		if (access(ev_path(path), F_OK) != 0)
			break;
	}
	snprintf(a->md, sizeof(a->md), "md%d", G.next_minor--);
}

/* The kernel's md device for A (md_mod's new_array). */
static int make_md(array_t *a)
{
	int fd;

	fd = open("/sys/module/md_mod/parameters/new_array", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		warn("no md in the kernel (/sys/module/md_mod: %s): is md_mod in the image?", strerror(errno));
		return -1;
	}
	if (write(fd, a->md, strlen(a->md)) < 0 && errno != EEXIST) {
		warn("cannot make %s: %s", a->md, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void link_name(array_t *a)
{
	const char *n = a->conf_dev && is_prefixed_with(a->conf_dev, "/dev/md/") ? a->conf_dev + 8 : NULL;
	char path[PATH_MAX], target[32];

	if (!n && a->name[0]) {
		n = strchrnul(a->name, ':');
		n = *n ? n + 1 : a->name;
	}
	if (!n || !*n || strchr(n, '/'))
		return;
	mkdir("/dev/md", 0755);
	snprintf(path, sizeof(path), "/dev/md/%s", n);
	snprintf(target, sizeof(target), "../%s", a->md);
	unlink(path);
	if (symlink(target, path) < 0)
		warn("cannot link %s: %s", path, strerror(errno));
}

static const char *label(const array_t *a)
{
	static char buf[128];

	if (a->md[0])
		snprintf(buf, sizeof(buf), "%s%s%s%s", a->md, a->name[0] ? " (" : "",
				a->name, a->name[0] ? ")" : "");
	else	/* not made yet */
		snprintf(buf, sizeof(buf), "md %s", a->name[0] ? a->name : a->uuid);
	return buf;
}

static void late(array_t *a, member_t *m);

/* A's md device made and its fresh members bound to it, not run yet: its
 * open fd, or -1 (A failed, said why). */
static int bind_members(array_t *a, unsigned have)
{
	mdu_array_info_t info;
	member_t *m;
	int fd, added = 0, maj = 1, min = 2;

	load_modules(a);
	if (make_md(a) < 0 || (fd = open_md(a)) < 0) {
		a->state = A_FAILED;
		return -1;
	}
	if (sscanf(a->metadata, "%d.%d", &maj, &min) != 2)
		maj = 1, min = 2;
	memset(&info, 0, sizeof(info));
	info.major_version = maj;	/* raid_disks 0: the superblocks say */
	info.minor_version = min;
	if (ioctl(fd, SET_ARRAY_INFO, &info) < 0) {
		warn("%s: SET_ARRAY_INFO (metadata %s): %s", label(a), a->metadata, strerror(errno));
		goto fail;
	}
	for (m = a->members; m; m = m->next) {
		int err;

		if (m->state != M_FRESH)
			continue;
		err = add_disk(fd, m, 0);
		if (err) {
			warn("%s: cannot add %s: %s", label(a), m->dev, strerror(-err));
			m->state = M_FAILED;
			continue;
		}
		m->state = M_BOUND;
		added++;
	}
	if (added)
		return fd;
	warn("%s: cannot start it (%s, %u of %u members): no member could be added", label(a),
			a->level, have, a->devices);
 fail:
	ioctl(fd, STOP_ARRAY, 0);
	close(fd);
	a->state = A_FAILED;
	return -1;
}

/* Start A with its fresh members; DEGRADED: some are missing, by policy. */
static void start(array_t *a, int degraded)
{
	unsigned have;
	char missing[256], kv[3][300];
	member_t *m;
	int fd;

	runnable(a, &have, missing, sizeof(missing));
	pick_name(a);
	if (ev_testing()) {
		say("would start %s: %s, %u of %u members%s%s", label(a), a->level, have, a->devices,
				degraded ? ", degraded: missing role " : "", degraded ? missing : "");
		a->state = A_RUNNING;
		for (m = a->members; m; m = m->next)
			if (m->state == M_FRESH)
				m->state = M_BOUND;
		goto started;
	}
	fd = bind_members(a, have);
	if (fd < 0)
		return;
	if (ioctl(fd, RUN_ARRAY, 0) < 0) {
		warn("%s: cannot start it (%s, %u of %u members): %s", label(a), a->level,
				have, a->devices, strerror(errno));
		ioctl(fd, STOP_ARRAY, 0);
		close(fd);
		a->state = A_FAILED;
		return;
	}
	close(fd);
	a->state = A_RUNNING;
	link_name(a);
 started:
	snprintf(kv[0], sizeof(kv[0]), "NAME=%s", a->key);
	snprintf(kv[1], sizeof(kv[1]), "DEVNAME=/dev/%s", a->md[0] ? a->md : "md");
	snprintf(kv[2], sizeof(kv[2]), "MD_DEGRADED=%d", degraded);
	ev_client_emit(EV_MD_STARTED, kv[0], kv[1], kv[2], NULL);
	if (degraded) {
		a->degraded_started = 1;
		ev_client_say(0, "%s: %s started degraded, %u of %u members, missing role %s (UUID %s)",
				label(a), a->level, have, a->devices, missing, a->uuid);
		snprintf(kv[0], sizeof(kv[0]), "MD_UUID=%s", a->uuid);
		snprintf(kv[1], sizeof(kv[1]), "MD_NAME=%s", a->name);
		snprintf(kv[2], sizeof(kv[2]), "MISSING=%s", missing);
		ev_client_emit(EV_MD_DEGRADED, kv[0], kv[1], kv[2], NULL);
	} else {
		say("%s: %s started, %u of %u members", label(a), a->level, have, a->devices);
	}
	/* the stale ones: back in, the kernel brings them up to date */
	for (m = a->members; m; m = m->next)
		if (m->state == M_STALE)
			late(a, m);
}

/* A member of a running array: re-added in its slot, else added. */
static void late(array_t *a, member_t *m)
{
	char kv[2][PATH_MAX + 16];
	int fd, err;

	if (!G.late) {
		say("%s: %s came late: not added (rd.md.late=0)", label(a), m->dev);
		return;
	}
	if (ev_testing()) {
		say("would add %s to %s", m->dev, label(a));
		m->state = M_BOUND;
		goto added;
	}
	fd = open_md(a);
	if (fd < 0)
		return;
	err = m->role >= 0 ? add_disk(fd, m, 1) : -EINVAL;
	if (err)
		err = add_disk(fd, m, 0);	/* a spare, rebuilt */
	close(fd);
	if (err) {
		warn("%s: cannot add %s: %s", label(a), m->dev, strerror(-err));
		m->state = M_FAILED;
		return;
	}
	m->state = M_BOUND;
	say("%s: %s added (role %d)", label(a), m->dev, m->role);
 added:
	snprintf(kv[0], sizeof(kv[0]), "MD_UUID=%s", a->uuid);
	snprintf(kv[1], sizeof(kv[1]), "DEVNAME=%s", m->dev);
	ev_client_emit(EV_MD_MEMBER_ADDED, kv[0], kv[1], NULL);
}

/* ---- the policy ---- */

static void consider(array_t *a);
static void FAST_FUNC quiet_enough(ev_timer_t *t);

/* rd.md.degraded=ask: the question is on the console until a line comes
 * or rd.md.degraded_wait= passes (then: yes).  It is announced as a
 * prompt, so evmount's root deadline waits meanwhile. */
static void prompt_events(const char *what)
{
	char kv[2][64];

	snprintf(kv[0], sizeof(kv[0]), "DEVNAME=/dev/%s", G.asking->md[0] ? G.asking->md : "md");
	snprintf(kv[1], sizeof(kv[1]), "NAME=evraid");
	ev_client_emit(what, kv[0], kv[1], NULL);
}

/* YES: 1 start it degraded, 0 no, -1 nothing to do (it is complete) */
static void answered(int yes, const char *how)
{
	array_t *a = G.asking;

	ev_fd_del(&G.console);
	ev_timer_stop(&G.answer);
	fprintf(stderr, "%s\n", how);
	prompt_events(EV_PASSPHRASE_DONE);
	G.asking = NULL;
	if (yes < 0 || a->state != A_WAITING)
		return;
	if (yes) {
		start(a, 1);
		return;
	}
	a->declined = 1;
	a->quiet.data = a;
	quiet_enough(&a->quiet);	/* says so, for the rescue */
}

static void FAST_FUNC answer_typed(ev_fd_t *w, short revents UNUSED_PARAM)
{
	char line[64];
	ssize_t n = 0;

	/* one line, a byte at a time: what follows it is not ours (a shell
	 * may read the console next) */
	while (n < (ssize_t)sizeof(line) - 1 && read(w->fd, line + n, 1) == 1 && line[n] != '\n')
		n++;
	if (n == 0 && (sizeof(line) < 2 || line[0] != '\n')) {
		answered(1, "(no answer: yes)");	/* no console to answer from */
		return;
	}
	line[n] = '\0';
	n = (line[0] == 'n' || line[0] == 'N');	/* Enter alone: the default, yes */
	answered(!n, n ? "no" : "yes");
}

static void FAST_FUNC answer_timeout(ev_timer_t *t UNUSED_PARAM)
{
	answered(1, "(no answer: yes)");
}

static void ask(array_t *a, unsigned have, const char *missing)
{
	if (G.asking)
		return;		/* one question at a time: asked after this one */
	G.asking = a;
	pick_name(a);
	prompt_events(EV_PASSPHRASE_PROMPT);
	fprintf(stderr, "%s: %s, %u of %u members, missing role %s (UUID %s): start degraded? [Y/n] ",
			label(a), a->level, have, a->devices, missing, a->uuid);
	G.console.fd = STDIN_FILENO;
	G.console.events = POLLIN;
	G.console.cb = answer_typed;
	ev_fd_add(&G.console);
	G.answer.cb = answer_timeout;
	ev_timer_in(&G.answer, G.wait_ms);
}

static void FAST_FUNC quiet_enough(ev_timer_t *t)
{
	array_t *a = t->data;
	unsigned have;
	char missing[256];

	if (a->state != A_WAITING || runnable(a, &have, missing, sizeof(missing)) != 1)
		return;
	if (G.busy)
		return;		/* not settled: the wait starts again when it is */
	if (G.degraded == D_NO || a->declined) {
		const char *why = a->declined ? "the answer was no" : "rd.md.degraded=no";

		warn("%s: %s, %u of %u members, missing role %s: not started degraded (%s)",
				label(a), a->level, have, a->devices, missing, why);
		tell_wanted(a->key, "md %s: %s, %u of %u members, missing role %s, not started degraded "
				"(%s)", a->name[0] ? a->name : a->uuid, a->level, have,
				a->devices, missing, why);
		return;
	}
	if (G.degraded == D_ASK) {
		ask(a, have, missing);
		return;
	}
	start(a, 1);
}

/* Look at A again after a change: start it, or (re)arm the wait. */
static void consider(array_t *a)
{
	unsigned have;
	char missing[256];
	int r;

	if (a->state != A_WAITING)
		return;
	r = runnable(a, &have, missing, sizeof(missing));
	if (r != 0 && a->told != (int)have + 1) {	/* only when it changes */
		a->told = have + 1;
		tell_wanted(a->key, "md %s: %s, %u of %u members, missing role %s%s",
				a->name[0] ? a->name : a->uuid, a->level, have, a->devices, missing,
				r < 0 ? ", too few to run" : "");
	}
	if (r == 0) {
		ev_timer_stop(&a->quiet);
		if (G.asking == a)
			answered(-1, "(every member came: not degraded)");
		start(a, 0);
	} else if (r == 1 && !G.prompts) {
		a->quiet.cb = quiet_enough;
		a->quiet.data = a;
		ev_timer_in(&a->quiet, G.wait_ms);
	}
}

/* Any new block device: the storage is not quiet yet. */
static void not_quiet(void)
{
	array_t *a;

	for (a = G.arrays; a; a = a->next)
		if (a->state == A_WAITING && a->quiet.deadline != EV_NEVER)
			ev_timer_in(&a->quiet, G.wait_ms);
}

static void pause_waits(int pause)
{
	array_t *a;

	for (a = G.arrays; a; a = a->next) {
		if (pause)
			ev_timer_stop(&a->quiet);
		else
			consider(a);
	}
}

static array_t *find_array(const char *uuid)
{
	array_t *a;

	for (a = G.arrays; a; a = a->next)
		if (same_uuid(a->uuid, uuid))
			return a;
	return NULL;
}

static unsigned long long num(char **ev, const char *key, unsigned long long dflt)
{
	const char *v = ev_event_get(ev, key);
	unsigned long long n;

	if (!v)
		return dflt;
	n = bb_strtoull(v, NULL, 10);
	return errno ? dflt : n;
}

static void member(char **ev)
{
	const char *dev = ev_event_get(ev, "DEVNAME");
	const char *uuid = ev_event_get(ev, "MD_UUID");
	const char *level = ev_event_get(ev, "MD_LEVEL");
	const char *role = ev_event_get(ev, "MD_ROLE");
	const char *name = ev_event_get(ev, "MD_NAME");
	const char *meta = ev_event_get(ev, "MD_METADATA");
	unsigned long long devices = num(ev, "MD_DEVICES", 0), events = num(ev, "MD_EVENTS", 0);
	unsigned long long newest = 0;
	wanted_t *w;
	array_t *a;
	member_t *m;

	if (!dev || !uuid || !level || !role || !devices || devices > MD_SB_DISKS_MAX) {
		if (dev)
			warn("%s: an md member whose superblock the device manager could not read: skipped", dev);
		return;
	}
	w = wanted_for(uuid, name);
	if (G.wanted && !w) {
		say("%s: member of md %s%s%s, which %s does not name: left alone", dev, uuid,
				name ? " " : "", name ? name : "",
				G.by_cmdline ? "rd.md.uuid=" : "mdadm.conf");
		return;
	}
	a = find_array(uuid);
	if (a && (strcmp(a->level, level) != 0 || a->devices != devices
			|| strcmp(a->name, name ? name : "") != 0)) {
		const char *other = a->members ? a->members->dev : "an earlier member";

		warn("%s: its superblock says md %s is %s of %llu devices, name '%s'; %s's says %s of %u, "
				"name '%s': %s left out", dev, uuid, level, devices, name ? name : "",
				other, a->level, a->devices, a->name, dev);
		return;
	}
	if (!a) {
		a = xzalloc(sizeof(*a));
		safe_strncpy(a->uuid, uuid, sizeof(a->uuid));
		a->name = xstrdup(name ? name : "");
		safe_strncpy(a->level, level, sizeof(a->level));
		safe_strncpy(a->metadata, meta ? meta : "1.2", sizeof(a->metadata));
		a->devices = devices;
		a->layout = num(ev, "MD_LAYOUT", 0);
		a->conf_dev = w && w->dev ? w->dev : NULL;
		a->key = !w ? a->uuid : w->uuid[0] ? w->uuid : w->name;
		a->quiet.deadline = EV_NEVER;
		a->next = G.arrays;
		G.arrays = a;
		if (w)
			w->seen = 1;
		preload(a);
	}
	for (m = a->members; m; m = m->next)
		if (strcmp(m->dev, dev) == 0)
			return;		/* seen (a change event) */
	m = xzalloc(sizeof(*m));
	m->dev = xstrdup(dev);
	m->major = num(ev, "MAJOR", 0);
	m->minor = num(ev, "MINOR", 0);
	m->events = events;
	m->role = strcmp(role, "spare") == 0 ? EV_MD_SPARE
		: strcmp(role, "faulty") == 0 ? EV_MD_FAULTY
		: strcmp(role, "journal") == 0 ? EV_MD_JOURNAL
		: (int)bb_strtou(role, NULL, 10);
	if (m->role >= 0 && (errno || (unsigned)m->role >= a->devices)) {
		warn("%s: its superblock gives role '%s' in %s of %u devices: left out", dev, role,
				label(a), a->devices);
		m->role = EV_MD_FAULTY;
		m->state = M_FAILED;
	} else if (m->role == EV_MD_FAULTY || m->role == EV_MD_JOURNAL) {
		say("%s: a %s member of %s: left out", dev, role, label(a));
		m->state = M_FAILED;
	}
	m->next = a->members;
	a->members = m;
	say("%s: member of %s (%s, role %s of %u, events %llu)", dev, label(a), a->level, role,
			a->devices, events);

	if (a->state == A_RUNNING) {
		late(a, m);
		return;
	}
	/* fresh: the newest events count; the others are stale */
	for (m = a->members; m; m = m->next)
		if (m->state != M_FAILED && m->events > newest)
			newest = m->events;
	for (m = a->members; m; m = m->next) {
		int was = m->state;

		if (was == M_FAILED)
			continue;
		m->state = m->events < newest ? M_STALE : M_FRESH;
		if (m->state == M_STALE && was != M_STALE)
			say("%s: %s is stale (events %llu, the others %llu): left out", label(a),
					m->dev, m->events, newest);
	}
	/* two fresh members in one slot: the one that came first keeps it */
	for (m = a->members; m; m = m->next) {
		member_t *o;

		if (m->state != M_FRESH || m->role < 0)
			continue;
		for (o = m->next; o; o = o->next) {
			if (o->state == M_FRESH && o->role == m->role) {
				warn("%s: %s and %s both claim role %d (events %llu): %s left out",
						label(a), o->dev, m->dev, m->role, m->events, m->dev);
				m->state = M_FAILED;
				break;
			}
		}
	}
	consider(a);
}

/* ---- reading a member's superblock (after the switch, standalone) ---- */

/* PATH (under DIRFD, or AT_FDCWD) opened, its size taken (a block device
 * or an image file) and its md superblock read: 0, or the -errno of
 * ev_md_read (WHY says why for -EINVAL) or of the open. */
static int read_sb(int dirfd, const char *path, ev_md_sb_t *sb, struct stat *st,
		char *why, unsigned whylen)
{
	uint64_t size = 0;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), err;

	if (fd < 0)
		return -errno;
	if (fstat(fd, st) < 0)
		err = -errno;
	else if (S_ISBLK(st->st_mode) && ioctl(fd, BLKGETSIZE64, &size) < 0)
		err = -errno;
	else
		err = ev_md_read(fd, S_ISBLK(st->st_mode) ? size : (uint64_t)st->st_size, sb, why, whylen);
	close(fd);
	return err;
}

/* ---- after the switch: @evraid, for late members ---- */

static array_t *running_degraded(void)
{
	array_t *a;

	for (a = G.arrays; a; a = a->next)
		if (a->state == A_RUNNING && a->degraded_started)
			return a;
	return NULL;
}

static void FAST_FUNC late_over(ev_timer_t *t UNUSED_PARAM)
{
	say("%u s after the switch: no more late members (rd.md.late=)", G.late_secs);
	exit(EXIT_SUCCESS);
}

/* A block device that came after the switch: a member of a degraded
 * array of ours?  Its superblock is read here (no device manager now). */
static void after_switch_device(const char *devname)
{
	ev_md_sb_t sb;
	struct stat st;
	char uuid[40], ver[8];
	array_t *a;
	member_t *m;

	if (read_sb(G.devfd, devname, &sb, &st, NULL, 0) < 0 || !S_ISBLK(st.st_mode))
		return;
	ev_md_uuid_str(sb.uuid, uuid);
	a = find_array(uuid);
	if (!a || a->state != A_RUNNING)
		return;
	for (m = a->members; m; m = m->next)
		if (strcmp(m->dev + 5, devname) == 0 && m->state == M_BOUND)
			return;
	m = xzalloc(sizeof(*m));
	m->dev = xasprintf("/dev/%s", devname);
	m->major = major(st.st_rdev);
	m->minor = minor(st.st_rdev);
	m->events = sb.events;
	m->role = sb.role;
	m->next = a->members;
	a->members = m;
	say("%s: member of %s (md %s, role %d), after the switch", m->dev, label(a),
			ev_md_version_str(&sb, ver), m->role);
	late(a, m);
}

static void FAST_FUNC uevents(ev_fd_t *w, short revents UNUSED_PARAM)
{
	char buf[EV_UEVENT_MAX];
	ev_uevent_t u;
	int n, why;

	while ((n = ev_uevent_recv(w->fd, buf, sizeof(buf), &why)) != -EAGAIN) {
		if (n < 0 && n != -ENOBUFS)
			return;
		if (n <= 0 || ev_uevent_parse(buf, n, &u) != EV_UE_OK)
			continue;
		if (strcmp(u.subsystem, "block") == 0 && strcmp(u.action, "add") == 0 && u.devname)
			after_switch_device(u.devname);
	}
}

/* evinit closed the bus: the switch.  Stay, as @evraid, while an array
 * this boot started runs degraded and rd.md.late= allows. */
static void switched(void)
{
	array_t *a = running_degraded();
	int fd;

	if (!a || !G.late || !G.late_secs || G.devfd < 0) {
		exit(EXIT_SUCCESS);
	}
	fd = ev_uevent_open();
	if (fd < 0) {
		warn("cannot follow devices after the switch: %s", strerror(-fd));
		exit(EXIT_SUCCESS);
	}
	G.nl.fd = fd;
	G.nl.events = POLLIN;
	G.nl.cb = uevents;
	ev_fd_add(&G.nl);
	G.late_end.cb = late_over;
	ev_timer_in(&G.late_end, G.late_secs * 1000);
	say("%s runs degraded: a member that comes in the next %u s is added (rd.md.late=)",
			label(a), G.late_secs);
}

static void FAST_FUNC bus_event(char **ev)
{
	if (!ev) {
		switched();
	} else if ((strcmp(ev[0], EV_PASSPHRASE_PROMPT) == 0 || strcmp(ev[0], EV_PASSPHRASE_DONE) == 0)
			&& strcmp(ev_event_get(ev, "NAME") ? : "", "evraid") == 0) {
		/* our own question */
	} else if (strcmp(ev[0], EV_PASSPHRASE_PROMPT) == 0) {
		if (G.prompts++ == 0)
			pause_waits(1);
	} else if (strcmp(ev[0], EV_PASSPHRASE_DONE) == 0) {
		if (G.prompts && --G.prompts == 0)
			pause_waits(0);
	} else if (strcmp(ev[0], EV_DEVICES_BUSY) == 0) {
		G.busy = 1;
	} else if (strcmp(ev[0], EV_DEVICES_SETTLED) == 0) {
		G.busy = 0;
		pause_waits(0);		/* each wait, in full, from now */
	} else if (strcmp(ev[0], EV_RESCUE_DONE) == 0) {
		/* the shell was left: ask again what was declined */
		array_t *a;
		for (a = G.arrays; a; a = a->next) {
			if (a->declined) {
				a->declined = 0;
				consider(a);
			}
		}
	} else if (strcmp(ev[0], EV_BLOCK_ADDED) == 0 || strcmp(ev[0], EV_BLOCK_CHANGED) == 0) {
		const char *type = ev_event_get(ev, "ID_FS_TYPE");

		if (strcmp(ev[0], EV_BLOCK_ADDED) == 0)
			not_quiet();
		if (type && strcmp(type, "linux_raid_member") == 0 && !G.none)
			member(ev);
	}
}

static int daemon_main(void)
{
	wanted_t *w;
	sigset_t set;
	int err;

	ev_root_from_env();
	read_params();
	ev_client_quiet(ev_cmdline.quiet);
	if (G.none)	/* said once; ended by the switch, not started again */
		say("rd.md=0: no md arrays");
	/* after the switch /dev is in the real root: this fd still reaches it */
	G.devfd = ev_testing() ? -1 : open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
	sigemptyset(&set);
	err = ev_signals(&set, NULL);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	ev_client_join(EV_BLOCK_ADDED "\0" EV_BLOCK_CHANGED "\0" "passphrase-*\0" EV_RESCUE_DONE "\0"
			EV_DEVICES_BUSY "\0" EV_DEVICES_SETTLED "\0",
			bus_event, "evraid examine DEVICE");
	/* what evmount should name if the root never comes */
	for (w = G.none ? NULL : G.wanted; w; w = w->next)
		tell_wanted(w->uuid[0] ? w->uuid : w->name, "md %s%s%s (%s): no member seen",
				w->uuid[0] ? w->uuid : "", w->uuid[0] && w->name ? " " : "",
				w->name ? w->name : "", G.by_cmdline ? "rd.md.uuid=" : "mdadm.conf");
	return ev_run();
}

/* ---- standalone ---- */

static int examine_main(char **argv)
{
	int rc = EXIT_SUCCESS;

	for (; *argv; argv++) {
		ev_md_sb_t sb;
		char why[128], uuid[40], ver[8];
		struct stat st;
		int err;

		if (stat(*argv, &st) < 0) {	/* so that -ENOENT below is "no superblock" */
			bb_perror_msg("%s", *argv);
			rc = EXIT_FAILURE;
			continue;
		}
		err = read_sb(AT_FDCWD, *argv, &sb, &st, why, sizeof(why));
		if (err) {
			bb_error_msg("%s: %s", *argv, err == -EINVAL ? why
					: err == -ENOENT ? "no md superblock" : strerror(-err));
			rc = EXIT_FAILURE;
			continue;
		}
		printf("%s: md %s, UUID %s%s%s, %s, %u devices, role %d, events %llu%s\n",
				*argv, ev_md_version_str(&sb, ver), ev_md_uuid_str(sb.uuid, uuid),
				sb.name[0] ? ", name " : "", sb.name,
				ev_md_level_name(sb.level) ? ev_md_level_name(sb.level) : "unknown level",
				sb.raid_disks, sb.role, (unsigned long long)sb.events,
				sb.clean ? ", clean" : "");
	}
	return rc;
}

/* One md member, from its superblock, into the arrays as member() takes
 * an event: the standalone commands read the disks themselves. */
static int scan_one(const char *dev)
{
	char uuid[40], ver[8], role[16], kv[10][PATH_MAX];
	char *ev[12];
	ev_md_sb_t sb;
	struct stat st;
	int n = 0;

	if (read_sb(AT_FDCWD, dev, &sb, &st, NULL, 0) < 0 || !S_ISBLK(st.st_mode)
	 || !ev_md_level_name(sb.level))
		return 0;
	if (sb.role >= 0)
		snprintf(role, sizeof(role), "%d", sb.role);
	else
		strcpy(role, sb.role == EV_MD_SPARE ? "spare" : sb.role == EV_MD_FAULTY ? "faulty" : "journal");
	ev[0] = (char *)EV_BLOCK_ADDED;
#define KV(...) (snprintf(kv[n], sizeof(kv[n]), __VA_ARGS__), ev[n + 1] = kv[n], n++)
	KV("DEVNAME=%s", dev);
	KV("MAJOR=%u", major(st.st_rdev));
	KV("MINOR=%u", minor(st.st_rdev));
	KV("MD_UUID=%s", ev_md_uuid_str(sb.uuid, uuid));
	KV("MD_LEVEL=%s", ev_md_level_name(sb.level));
	KV("MD_DEVICES=%u", sb.raid_disks);
	KV("MD_ROLE=%s", role);
	KV("MD_EVENTS=%llu", (unsigned long long)sb.events);
	KV("MD_METADATA=%s", ev_md_version_str(&sb, ver));
	if (sb.name[0])
		KV("MD_NAME=%s", sb.name);
#undef KV
	ev[n + 1] = NULL;
	member(ev);
	return 1;
}

/* ---- the kernel's md arrays, for the standalone commands ---- */

/* An md array the kernel has, found by a member's superblock. */
typedef struct kernel_md {
	char md[16];		/* "md127" */
	int running, degraded, has_dev;
	unsigned roles;		/* slots its members fill */
	ev_md_sb_t sb;		/* one member's superblock */
} kernel_md_t;

/* Does SB belong to WHICH, an array UUID (any separators) or a name
 * ("host:name" or "name")? */
static int sb_is(const ev_md_sb_t *sb, const char *which)
{
	char uuid[40];
	const char *short_name = strchrnul(sb->name, ':');

	short_name = *short_name ? short_name + 1 : sb->name;
	return same_uuid(ev_md_uuid_str(sb->uuid, uuid), which)
		|| (sb->name[0] && (strcmp(sb->name, which) == 0 || strcmp(short_name, which) == 0));
}

/* The kernel's md array (running or only bound: inactive) whose members'
 * superblocks say WHICH; HAS_DEV: DEV (a device number) is one of them. */
static int find_kernel_md(const char *which, dev_t dev, kernel_md_t *k)
{
	DIR *d = opendir("/sys/block"), *s;
	struct dirent *e, *m;
	int found = 0;

	while (d && !found && (e = readdir(d)) != NULL) {
		char path[PATH_MAX], state[32] = "", degraded[16] = "0", present[MD_SB_DISKS_MAX];

		if (!is_prefixed_with(e->d_name, "md"))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/slaves", e->d_name);
		s = opendir(path);
		memset(k, 0, sizeof(*k));
		memset(present, 0, sizeof(present));
		while (s && (m = readdir(s)) != NULL) {
			ev_md_sb_t sb;
			struct stat st;

			if (DOT_OR_DOTDOT(m->d_name))
				continue;
			snprintf(path, sizeof(path), "/dev/%s", m->d_name);
			if (read_sb(AT_FDCWD, path, &sb, &st, NULL, 0) < 0 || !sb_is(&sb, which))
				continue;
			found = 1;
			k->sb = sb;
			if (dev && st.st_rdev == dev)
				k->has_dev = 1;
			if (sb.role >= 0 && (unsigned)sb.role < sb.raid_disks && !present[sb.role]) {
				present[sb.role] = 1;
				k->roles++;
			}
		}
		if (s)
			closedir(s);
		if (!found)
			continue;
		safe_strncpy(k->md, e->d_name, sizeof(k->md));
#define ATTR(a, buf) do { snprintf(path, sizeof(path), "/sys/block/%s/md/" a, e->d_name); \
		if (open_read_close(path, buf, sizeof(buf) - 1) > 0) *strchrnul(buf, '\n') = '\0'; } while (0)
		ATTR("array_state", state);
		ATTR("degraded", degraded);
#undef ATTR
		k->running = state[0] && strcmp(state, "inactive") != 0 && strcmp(state, "clear") != 0;
		k->degraded = strcmp(degraded, "0") != 0;
	}
	if (d)
		closedir(d);
	return found;
}

/* An array_t for K, enough to open, label and add to it. */
static void kernel_array(array_t *a, const kernel_md_t *k)
{
	memset(a, 0, sizeof(*a));
	ev_md_uuid_str(k->sb.uuid, a->uuid);
	a->name = (char *)k->sb.name;
	safe_strncpy(a->level, ev_md_level_name(k->sb.level) ? ev_md_level_name(k->sb.level) : "?",
			sizeof(a->level));
	a->devices = k->sb.raid_disks;
	a->key = a->uuid;
	safe_strncpy(a->md, k->md, sizeof(a->md));
	a->state = k->running ? A_RUNNING : A_WAITING;
	a->degraded_started = k->degraded;
}

/* Run K, an inactive array its members are bound to (degraded if it must). */
static int run_kernel_md(const kernel_md_t *k)
{
	array_t a;
	int fd;

	kernel_array(&a, k);
	if (k->running) {
		say("%s: running already", label(&a));
		return EXIT_SUCCESS;
	}
	fd = open_md(&a);
	if (fd < 0)
		return EXIT_FAILURE;
	if (ioctl(fd, RUN_ARRAY, 0) < 0) {
		warn("%s: cannot start it (%s, %u of %u members): %s", label(&a), a.level,
				k->roles, a.devices, strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	close(fd);
	link_name(&a);
	say("%s: %s started, %u of %u members%s", label(&a), a.level, k->roles, a.devices,
			k->roles < a.devices ? ", degraded" : "");
	return EXIT_SUCCESS;
}

/* evraid incremental DEV: DEV into the kernel's array of its UUID (made,
 * bound only, if there is none), and the array run once every slot is
 * filled; into a running degraded array, added back (mdadm -I's way,
 * across calls: the kernel keeps the state). */
static int incremental_main(const char *path)
{
	ev_md_sb_t sb;
	struct stat st;
	char why[128], uuid[40];
	kernel_md_t k;
	array_t ka, *a;
	member_t m;
	unsigned have;
	int err, fd;

	if (stat(path, &st) < 0)	/* so that -ENOENT below is "no superblock" */
		bb_perror_msg_and_die("%s", path);
	err = read_sb(AT_FDCWD, path, &sb, &st, why, sizeof(why));
	if (err)
		bb_error_msg_and_die("%s: %s", path, err == -EINVAL ? why
				: err == -ENOENT ? "no md superblock" : strerror(-err));
	if (!S_ISBLK(st.st_mode))
		bb_error_msg_and_die("%s: not a block device", path);
	if (!ev_md_level_name(sb.level))
		bb_error_msg_and_die("%s: md level %d: the kernel has no personality for it", path, sb.level);
	ev_md_uuid_str(sb.uuid, uuid);
	G.late = 1;
	G.degraded = D_NO;	/* nothing starts degraded here: evraid run does */
	G.wait_ms = 1000;
	G.next_minor = 127;
	if (find_kernel_md(uuid, st.st_rdev, &k)) {
		kernel_array(&ka, &k);
		if (k.has_dev) {
			say("%s: in %s already", path, label(&ka));
			return EXIT_SUCCESS;
		}
		memset(&m, 0, sizeof(m));
		m.dev = (char *)path;
		m.major = major(st.st_rdev);
		m.minor = minor(st.st_rdev);
		m.role = sb.role;
		m.events = sb.events;
		if (k.running) {
			if (!k.degraded)
				bb_error_msg_and_die("%s: %s is complete: %s not added (a spare is mdadm --add's)",
						path, label(&ka), path);
			late(&ka, &m);
			return m.state == M_BOUND ? EXIT_SUCCESS : EXIT_FAILURE;
		}
		fd = open_md(&ka);
		if (fd < 0)
			return EXIT_FAILURE;
		err = add_disk(fd, &m, 0);
		close(fd);
		if (err)
			bb_error_msg_and_die("%s: cannot add %s: %s", label(&ka), path, strerror(-err));
		find_kernel_md(uuid, 0, &k);
		if (k.roles == k.sb.raid_disks)
			return run_kernel_md(&k);
		say("%s: %s added, %u of %u members: not started yet (evraid run %s starts it degraded)",
				label(&ka), path, k.roles, ka.devices, uuid);
		return EXIT_SUCCESS;
	}
	/* the first member: a new array, started if it is all there is */
	scan_one(path);
	a = G.arrays;
	if (!a)
		bb_error_msg_and_die("%s: not an md member evraid can assemble", path);
	if (a->state != A_WAITING)
		return a->state == A_RUNNING ? EXIT_SUCCESS : EXIT_FAILURE;
	ev_timer_stop(&a->quiet);
	pick_name(a);
	runnable(a, &have, NULL, 0);
	fd = bind_members(a, have);
	if (fd < 0)
		return EXIT_FAILURE;
	close(fd);
	say("%s: %s bound, %u of %u members: not started yet", label(a), path, have, a->devices);
	return EXIT_SUCCESS;
}

/* evraid run UUID|NAME: every block device read, that array started,
 * degraded if it must be. */
static int run_main(const char *which)
{
	DIR *d = opendir("/sys/class/block");
	struct dirent *e;
	array_t *a;
	kernel_md_t k;

	if (!d)
		bb_perror_msg_and_die("/sys/class/block");
	if (find_kernel_md(which, 0, &k))	/* evraid incremental made it */
		return run_kernel_md(&k);
	G.degraded = D_NO;	/* nothing starts by itself here */
	G.wait_ms = 1000;
	G.next_minor = 127;
	/* a UUID in mdadm's form has 32 hex digits; anything else is a name */
	if (strlen(which) >= 32 && strspn(which, "0123456789abcdefABCDEF:-.") == strlen(which))
		add_wanted(which, NULL, NULL);
	else
		add_wanted(NULL, which, NULL);
	G.late = 0;
	while ((e = readdir(d)) != NULL) {
		if (!DOT_OR_DOTDOT(e->d_name) && !is_prefixed_with(e->d_name, "md")) {
			char dev[PATH_MAX];

			snprintf(dev, sizeof(dev), "/dev/%s", e->d_name);
			scan_one(dev);
		}
	}
	closedir(d);
	for (a = G.arrays; a; a = a->next) {
		unsigned have;

		ev_timer_stop(&a->quiet);
		if (a->state == A_WAITING) {
			int r = runnable(a, &have, NULL, 0);
			if (r < 0) {
				bb_error_msg("%s: %s, %u of %u members: too few to run", label(a),
						a->level, have, a->devices);
				return EXIT_FAILURE;
			}
			start(a, r == 1);
		}
		return a->state == A_RUNNING ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	bb_error_msg_and_die("no member of md %s found", which);
}

/* evraid status: the kernel's md arrays, their state and members. */
static int status_main(void)
{
	DIR *d = opendir("/sys/block"), *s;
	struct dirent *e, *m;

	if (!d)
		bb_perror_msg_and_die("/sys/block");
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX], level[32] = "", state[32] = "", degraded[16] = "0", members[512] = "";
		unsigned n = 0;

		if (!is_prefixed_with(e->d_name, "md"))
			continue;
#define ATTR(a, buf) do { snprintf(path, sizeof(path), "/sys/block/%s/md/" a, e->d_name); \
		if (open_read_close(path, buf, sizeof(buf) - 1) > 0) *strchrnul(buf, '\n') = '\0'; } while (0)
		ATTR("level", level);
		ATTR("array_state", state);
		ATTR("degraded", degraded);
#undef ATTR
		snprintf(path, sizeof(path), "/sys/block/%s/slaves", e->d_name);
		s = opendir(path);
		while (s && (m = readdir(s)) != NULL && n + 20 < sizeof(members))
			if (!DOT_OR_DOTDOT(m->d_name))
				n += snprintf(members + n, sizeof(members) - n, " /dev/%s", m->d_name);
		if (s)
			closedir(s);
		printf("/dev/%s: %s, %s%s, members:%s\n", e->d_name, level[0] ? level : "(no level)",
				state[0] ? state : "?", strcmp(degraded, "0") ? ", degraded" : "",
				members[0] ? members : " none");
	}
	closedir(d);
	return EXIT_SUCCESS;
}

int evraid_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evraid_main(int argc UNUSED_PARAM, char **argv)
{
	/* as a keep job it runs as "@evraid" (evkeep): its messages still
	 * say evraid */
	applet_name = "evraid";
	INIT_G();
	G.devfd = -1;
	if (argv[1] && strcmp(argv[1], "examine") == 0) {
		if (!argv[2])
			bb_show_usage();
		return examine_main(argv + 2);
	}
	if (argv[1] && strcmp(argv[1], "run") == 0) {
		if (!argv[2] || argv[3])
			bb_show_usage();
		return run_main(argv[2]);
	}
	if (argv[1] && strcmp(argv[1], "status") == 0)
		return status_main();
	if (argv[1] && strcmp(argv[1], "incremental") == 0) {
		if (!argv[2] || argv[3])
			bb_show_usage();
		return incremental_main(argv[2]);
	}
	if (argv[1])
		bb_show_usage();
	return daemon_main();
}
