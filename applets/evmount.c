/* vi: set sw=4 ts=4: */
/*
 * evmount: mountall for the initramfs.  The root named by root= (or the
 * image's /etc/fstab) is mounted on /root when its block-device-added
 * event comes; then the image's other fstab entries under it.  Nothing is
 * polled: evmount subscribes to evinit's bus (past events first, so a
 * device that came before evmount counts) and waits for events and one
 * deadline.
 *
 *   the deadline   rootdelay= / rd.timeout= (0 or rootwait: none); it
 *                  stops while a passphrase-prompt has no passphrase-done
 *                  yet and between `evctl timeout pause` and `resume`,
 *                  and goes on with the time that was left
 *   the driver     /proc/filesystems, else the image's module (modprobe);
 *                  a type with no module in the image fails at once
 *   fsck           /sbin/fsck.TYPE when the image has it; its exit code
 *                  acted on as initramfs-tools does
 *   failure        a `rescue` event: evinit prints it with the devices it
 *                  saw and opens a shell; leaving the shell runs mountall
 *                  again
 *
 * `mounted MOUNTPOINT=/root` is what evinit switches on, so it comes last,
 * after the other entries (MOUNTPOINT=/root/usr, ...).
 *
 * Without evinit (no bus) evmount reads the kernel's uevents itself, for
 * use in other initramfs systems: `evmount -T 10 UUID=... /mnt`.
 *
 * Under evinit's test mode (EVINIT_ROOT set) every path is under that tree,
 * mounts and modprobe are only said, and /sbin/fsck.TYPE is the tree's.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVMOUNT
//config:	bool "evmount (9 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	select EVPROBE
//config:	help
//config:	Waits for the root device named on the command line or in the
//config:	image's fstab (an event, never a poll), checks and mounts it on
//config:	/root, then the other initramfs fstab entries.
//config:
//config:config EVMOUNT_TIMEOUT
//config:	int "Default root deadline in seconds (0: wait for ever)"
//config:	default 30
//config:	range 0 86400
//config:	depends on EVMOUNT
//config:	help
//config:	How long to wait for the root device when the command line has
//config:	neither rootdelay=/rd.timeout= nor rootwait.
//config:
//config:config EVMOUNT_NFS_TIMEO
//config:	int "NFS root: timeo= (tenths of a second) unless nfsroot= says"
//config:	default 30
//config:	range 1 6000
//config:	depends on EVMOUNT
//config:	help
//config:	How long the kernel's NFS client waits for an answer before it
//config:	retransmits (the kernel's own default over TCP is 600: a minute).
//config:
//config:config EVMOUNT_NFS_RETRANS
//config:	int "NFS root: retrans= unless nfsroot= says"
//config:	default 3
//config:	range 0 100
//config:	depends on EVMOUNT
//config:
//config:config EVMOUNT_FETCH_TIMEOUT
//config:	int "root=live:URL: wget's -T (seconds without data)"
//config:	default 30
//config:	range 1 3600
//config:	depends on EVMOUNT

//applet:IF_EVMOUNT(APPLET(evmount, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVMOUNT) += evmount.o

//usage:#define evmount_trivial_usage
//usage:       "[-T SECONDS] [-t TYPE] [-o OPTIONS] [SPEC DIR]"
//usage:#define evmount_full_usage "\n\n"
//usage:       "Mount the root when its device appears (the job mountall): root=\n"
//usage:       "or the image's /etc/fstab, on /root; then the image's other fstab\n"
//usage:       "entries under /root. With SPEC DIR: wait for SPEC, mount it on DIR.\n"
//usage:       "SPEC: UUID=, LABEL=, PARTUUID=, PARTLABEL=, /dev/..., MAJ:MIN\n"
//usage:     "\n	-T SEC	Give up after SEC seconds (0: never; default rootdelay=,"
//usage:     "\n		rd.timeout= or 30)"
//usage:     "\n	-t TYPE	Filesystem type (default: what the device holds)"
//usage:     "\n	-o OPTS	Mount options"

#include "libbb.h"
#include "../lib/evloop.h"
#include "../lib/evuevent.h"
#include "../lib/evbus.h"
#include "../lib/evmod.h"
#include "../lib/evspec.h"
#include "../lib/evprobe.h"
#include "../lib/evpath.h"
#include "../lib/evcmdline.h"
#include "../lib/evnames.h"
#include "../toollib/evclient.h"
#include <mntent.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <linux/loop.h>
#include <sys/resource.h>
#include <sys/utsname.h>

enum {
	OPT_T = 1 << 0,
	OPT_t = 1 << 1,
	OPT_o = 1 << 2,
};

enum { W_WAIT, W_SEEN, W_DONE, W_SKIP, W_BUSY };	/* W_BUSY: the root's child runs */
enum { STEP_DRIVER, STEP_FSCK, STEP_MOUNT };

typedef struct want {
	struct want *next;
	char *spec;		/* as given, for messages */
	char *from;		/* "root=", "/etc/fstab", ... for messages */
	ev_spec_t sp;		/* how it names its device */
	char *dir;		/* the mount point as named: "/", "/usr", DIR */
	char *target;		/* where it goes: /root, /root/usr, DIR */
	char *type;		/* given (rootfstype=, fstab, -t) or NULL */
	char *opts;		/* given options or NULL */
	int ro, nofail, fsck;
	int net;		/* an NFS or live: root: no block device */
	int state;
	char *dev;		/* DEVNAME once seen */
	char *fstype;		/* the type it is mounted as */
} want_t;

struct globals {
	int mountall, finished;
	ev_fd_t in;		/* without evinit: the uevent socket */
	want_t *wants;		/* the root first */
	ev_timer_t deadline;
	ev_timer_t half;	/* half of it: the console says what is waited for */
	char *told;		/* the last root-waiting said */
	unsigned secs;		/* as given; 0: none */
	const char *secs_why;	/* which parameter set it */
	ev_ms_t left;		/* while paused: ms that were left */
	int paused, manual;
	llist_t *prompts;	/* passphrase prompts not done yet */
	llist_t *locked;	/* "NAME (WANTED)" evcrypt waits for */
	llist_t *arrays;	/* "NAME (WANTED)": md arrays evraid has not started */
	llist_t *volumes;	/* "NAME (WANTED)": LVs evlvm has not activated */
	llist_t *nbds;		/* "NAME (WANTED)": NBD devices evnbd has not connected */
	llist_t *nets;		/* "NAME (WANTED)": interfaces evnet has not brought up */
	/* network roots and layers (the section of that name) */
	int net;		/* EV_NETROOT_* */
	char *image;		/* ltsp.image= / rd.image= */
	int overlay;		/* rd.overlay=tmpfs */
	char *nfs_server, *nfs_path, *nfs_opts;
	int nfs_vers;		/* 4 for nfs4:, else 0 (the options say, or 3) */
	char *live;		/* root=live:URL's URL */
	char *addr, *iface;	/* the first net-device-up's */
	char *net_why;		/* the child's last failure */
	char *net_doing;	/* what the child does now (a mount, a fetch) */
	want_t *rootw;		/* the want the child works for */
	ev_child_t rootc, netpre;
	ev_fd_t rootc_in;
	char rootc_buf[1024];
	unsigned rootc_len, tries;
	ev_timer_t retry;
	ev_child_t child;	/* modprobe or fsck */
	ev_child_t preload;	/* modprobe of a type known in advance */
	int preloading;		/* it runs; a want may wait for it */
	const char *preload_type;
	want_t *busy;		/* what the child works for */
	int step;
	char *fsck_log;
	llist_t *seen;		/* without evinit: devices seen, for messages */
	char buf[EV_UEVENT_MAX];
};
#define G (*ptr_to_globals)
#define INIT_G() do { SET_PTR_TO_GLOBALS(xzalloc(sizeof(G))); } while (0)

static const char *path_of(const char *p)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s%s", ev_root, p);
	return buf;
}

static void root_start(want_t *w);
static int layered(void);
static void net_setup(want_t *root);
static const char *nfs_name(void);
static void net_preload(void);
#define RUN_ROOT    "/run/initramfs/root"

#define say(...)  ev_client_say(0, __VA_ARGS__)
#define oops(...) ev_client_say(1, __VA_ARGS__)
#define emit      ev_client_emit

/* The end: W failed for REASON; HINT says what would fix it.  Under
 * evinit, the rescue shell; alone, an error and exit status 1. */
static void NORETURN fail(want_t *w, const char *reason, const char *hint)
{
	llist_t *l;

	if (ev_client_connected() && G.mountall) {
		/* evinit says it on the console, with the devices it saw */
		char *r = xasprintf("REASON=%s", reason);
		char *wanted = xasprintf("WANTED=%s%s (%s)", w->from, w->spec, w->dir);
		char *h = xasprintf("HINT=%s", hint);

		ev_client_quiet(1);
		say("error: %s", reason);
		emit(EV_RESCUE, r, wanted, h, "JOB=mountall", NULL);
	} else {
		oops("%s", reason);
		fprintf(stderr, "  waited for: %s%s (%s)\n  block devices seen:\n", w->from, w->spec, w->dir);
		for (l = G.seen; l; l = l->link)
			fprintf(stderr, "    %s\n", l->data);
		if (!G.seen)
			fprintf(stderr, "    (none)\n");
		fprintf(stderr, "  %s\n", hint);
	}
	exit(EXIT_FAILURE);
}

/* ---- what the wait is for ---- */

static want_t *add_want(const char *from, const char *spec, const char *dir,
		const char *target, const char *type, const char *opts)
{
	want_t *w = xzalloc(sizeof(*w)), **pp;

	w->from = xstrdup(from);
	w->spec = xstrdup(spec);
	w->dir = xstrdup(dir);
	w->target = xstrdup(target);
	w->type = (type && *type && strcmp(type, "auto") != 0) ? xstrdup(type) : NULL;
	w->opts = opts && *opts ? xstrdup(opts) : NULL;
	ev_spec_parse(w->spec, &w->sp);
	for (pp = &G.wants; *pp; pp = &(*pp)->next)
		continue;
	*pp = w;
	return w;
}

static int has_opt(const char *opts, const char *opt)
{
	unsigned len = strlen(opt);

	while (opts && *opts) {
		if (strncmp(opts, opt, len) == 0 && (opts[len] == ',' || !opts[len]))
			return 1;
		opts = strchr(opts, ',');
		if (opts)
			opts++;
	}
	return 0;
}

/* The value of a command-line parameter as the jobs see it (rd.x -> rd_x). */
static const char *param(const char *key)
{
	char **e;
	unsigned len = strlen(key);

	for (e = ev_cmdline.env; e && *e; e++)
		if (strncmp(*e, key, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* mountall: root= (or the image fstab's /), then the fstab's others */
static void read_wants(void)
{
	struct mntent *m;
	FILE *f;
	want_t *root;

	f = setmntent(path_of("/etc/fstab"), "r");
	root = NULL;
	if (!ev_cmdline.root && ev_cmdline_netroot() == EV_NETROOT_NBD && ev_cmdline_get("netroot"))
		ev_cmdline.root = (char *)ev_cmdline_get("netroot");	/* dracut's netroot=nbd: alone */
	if (ev_cmdline.root)
		root = add_want("root=", ev_cmdline.root, "/", path_of("/root"),
				ev_cmdline.rootfstype, ev_cmdline.rootflags);
	while (f && (m = getmntent(f)) != NULL) {
		if (strcmp(m->mnt_dir, "/") == 0) {
			if (root) {	/* root= wins; the type and options may come from here */
				if (!root->type && !ev_cmdline.rootfstype && strcmp(m->mnt_type, "auto") != 0)
					root->type = xstrdup(m->mnt_type);
				if (!root->opts && !ev_cmdline.rootflags)
					root->opts = xstrdup(m->mnt_opts);
				root->fsck = m->mnt_passno > 0;
				continue;
			}
			/* keep the root first */
			root = xzalloc(sizeof(*root));
			root->next = G.wants;
			G.wants = root;
			root->from = xstrdup("/etc/fstab: ");
			root->spec = xstrdup(m->mnt_fsname);
			root->dir = xstrdup("/");
			root->target = xstrdup(path_of("/root"));
			root->type = xstrdup(ev_cmdline.rootfstype ? ev_cmdline.rootfstype : m->mnt_type);
			if (strcmp(root->type, "auto") == 0) {
				free(root->type);
				root->type = NULL;
			}
			root->opts = xstrdup(ev_cmdline.rootflags ? ev_cmdline.rootflags : m->mnt_opts);
			root->fsck = m->mnt_passno > 0;
			ev_spec_parse(root->spec, &root->sp);
		} else if (m->mnt_dir[0] == '/' && !has_opt(m->mnt_opts, "noauto")
			&& strcmp(m->mnt_type, "swap") != 0
		) {
			char *target = xasprintf("%s/root%s", ev_root, m->mnt_dir);
			want_t *w = add_want("/etc/fstab: ", m->mnt_fsname, m->mnt_dir, target,
					m->mnt_type, m->mnt_opts);
			w->ro = has_opt(m->mnt_opts, "ro");
			w->nofail = has_opt(m->mnt_opts, "nofail");
			w->fsck = m->mnt_passno > 0;
			free(target);
		}
	}
	if (f)
		endmntent(f);
	if (!root) {
		want_t none = { .from = (char *)"root=", .spec = (char *)"", .dir = (char *)"/" };
		fail(&none, "no root: no root= on the kernel command line and no / in the image's /etc/fstab",
				"root=UUID=... (or LABEL=, PARTUUID=, /dev/...) names the root filesystem");
	}
	root->ro = ev_cmdline.ro != 0;	/* read-only unless rw */
	if (!root->fsck && ev_cmdline.root)
		root->fsck = 1;		/* from the command line: check it */
	net_setup(root);
	if (layered() && !root->net) {	/* the layers go on /root */
		free(root->target);
		root->target = xstrdup(path_of(RUN_ROOT));
	}
}

static void step(want_t *w);
static void advance(void);

/* ---- the deadline ---- */

/* What the boot waits for, from the first mount not seen down to what is
 * missing under it: "root=UUID=X <- VG/LV (...) <- NAME (locked: ...) <-
 * md NAME (...)" (LVM over LUKS over md, the usual stack; the layers as
 * their applets announced them), malloc'd; NULL when nothing waits. */
static char *chain(void)
{
	llist_t *lists[5] = { G.volumes, G.locked, G.arrays, G.nbds, G.nets }, *l;
	want_t *w;
	char *s;
	unsigned i;

	for (w = G.wants; w && w->state != W_WAIT; w = w->next)
		continue;
	if (!w)
		return NULL;
	s = strcmp(w->dir, "/") == 0 ? xasprintf("%s%s", w->from, w->spec)
		: xasprintf("%s %s%s", w->dir, w->from, w->spec);
	if (w == G.wants && G.net_why) {
		char *t = xasprintf("%s (%s, try %u)", s, G.net_why, G.tries);
		free(s);
		s = t;
	}
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		for (l = lists[i]; l; l = l->link) {
			static const char *const what[] = { "", "LUKS ", "", "NBD ", "network " };
			char *t = xasprintf("%s <- %s%s", s, what[i], (char *)l->data);
			free(s);
			s = t;
		}
	}
	return s;
}

/* root-waiting WAITING=CHAIN when it changes (evinit's status shows the
 * latest); CONSOLE: said on the console too */
static void tell_waiting(int console)
{
	char *c, *kv;

	if (!G.mountall || !ev_client_connected())
		return;		/* evinit's boot only; alone, the error says it */
	c = chain();
	if (!c)
		return;
	if (console)
		say("waiting: %s", c);
	if (G.told && strcmp(G.told, c) == 0) {
		free(c);
		return;
	}
	free(G.told);
	G.told = c;
	kv = xasprintf("WAITING=%s", c);
	emit(EV_ROOT_WAITING, kv, NULL);
	free(kv);
}

static void FAST_FUNC half_gone(ev_timer_t *t UNUSED_PARAM)
{
	tell_waiting(1);
}

static void FAST_FUNC expired(ev_timer_t *t UNUSED_PARAM)
{
	want_t *w;
	llist_t *l;
	char reason[1024], hint[256];
	int n;

	if (G.rootw && G.rootw->state == W_BUSY && G.rootc.pid > 0)
		kill(G.rootc.pid, SIGKILL);	/* a mount that hangs on a server */
	for (w = G.wants; w; w = w->next) {
		if (w->state != W_WAIT && w->state != W_BUSY)
			continue;
		if (w->nofail) {
			say("%s%s (%s) did not appear within %u s: skipped (nofail)",
					w->from, w->spec, w->dir, G.secs);
			w->state = W_SKIP;
			continue;
		}
		if (w->net && G.net_doing)	/* the child was still at it */
			n = snprintf(reason, sizeof(reason), "the root %s%s was not mounted within %u s (%s): %s: no answer from the server yet",
					w->from, w->spec, G.secs, G.secs_why, G.net_doing);
		else if (w->net)
			n = snprintf(reason, sizeof(reason), "the root %s%s (%s) was not mounted within %u s (%s)%s%s",
					w->from, w->spec, G.net == EV_NETROOT_NFS ? nfs_name() : G.live, G.secs, G.secs_why,
					G.net_why ? ": " : G.addr ? "" : ": the network never came up", G.net_why ? G.net_why : "");
		else
			n = snprintf(reason, sizeof(reason), "%s %s%s did not appear within %u s (%s)",
				strcmp(w->dir, "/") == 0 ? "the root device" : w->dir,
				w->from, w->spec, G.secs, G.secs_why);
		/* what evcrypt was told to unlock and did not: often the cause */
		for (l = G.locked; l && n < (int)sizeof(reason); l = l->link)
			n += snprintf(reason + n, sizeof(reason) - n, "%s %s",
					l == G.locked ? "; still locked:" : ",", l->data);
		for (l = G.arrays; l && n < (int)sizeof(reason); l = l->link)
			n += snprintf(reason + n, sizeof(reason) - n, "%s %s",
					l == G.arrays ? "; md not started:" : ",", l->data);
		for (l = G.volumes; l && n < (int)sizeof(reason); l = l->link)
			n += snprintf(reason + n, sizeof(reason) - n, "%s %s",
					l == G.volumes ? "; LVM not active:" : ",", l->data);
		for (l = G.nbds; l && n < (int)sizeof(reason); l = l->link)
			n += snprintf(reason + n, sizeof(reason) - n, "%s %s",
					l == G.nbds ? "; NBD not connected:" : ",", l->data);
		for (l = G.nets; l && n < (int)sizeof(reason); l = l->link)
			n += snprintf(reason + n, sizeof(reason) - n, "%s %s",
					l == G.nets ? "; network not up:" : ",", l->data);
		tell_waiting(1);
		if (w->net)
			snprintf(hint, sizeof(hint), "the network is up in this shell (ip addr, ping, wget): %s; rootdelay=SECONDS waits longer",
					G.net == EV_NETROOT_NFS ? "nfsroot= or root=nfs: names the server and the path, ip= the address"
					: "root=live:URL names the image, ip= the address");
		else
			snprintf(hint, sizeof(hint), "%s names the device; %s",
				G.mountall ? "root= (or the image's /etc/fstab)" : "SPEC",
				G.mountall ? "rootdelay=SECONDS (or rootwait) waits longer" : "-T SECONDS waits longer");
		fail(w, reason, hint);
	}
	advance();	/* what was skipped no longer holds the rest */
}

static void set_paused(void)
{
	int now = G.manual || G.prompts;

	if (now == G.paused || !G.secs)
		return;
	G.paused = now;
	if (now && G.deadline.deadline != EV_NEVER) {
		ev_ms_t t = ev_now();
		G.left = G.deadline.deadline > t ? G.deadline.deadline - t : 1;
		ev_timer_stop(&G.deadline);
		ev_timer_stop(&G.half);
		say("the deadline waits (%u.%u s left) while %s", (unsigned)(G.left / 1000),
				(unsigned)(G.left % 1000 / 100),
				G.prompts ? "a passphrase is asked" : "paused by evctl timeout pause");
	} else if (!now && G.left) {
		ev_timer_in(&G.deadline, G.left);
		if (G.left > G.secs * 500)
			ev_timer_in(&G.half, G.left - G.secs * 500);
		say("the deadline goes on: %u.%u s left", (unsigned)(G.left / 1000),
				(unsigned)(G.left % 1000 / 100));
		G.left = 0;
	}
}

static void prompt(char **ev, int done)
{
	const char *key = ev_event_get(ev, "NAME");
	llist_t **pp;

	if (!key)
		key = ev_event_get(ev, "DEVNAME");
	if (!key)
		key = "";
	for (pp = &G.prompts; *pp; pp = &(*pp)->link)
		if (strcmp((*pp)->data, key) == 0)
			break;
	if (done && *pp)
		free(llist_pop(pp));
	else if (!done && !*pp)
		llist_add_to(&G.prompts, xstrdup(key));
	set_paused();
}

/* ---- drivers, fsck, mount ---- */

static int have_fs(const char *type)
{
	char *text = xmalloc_open_read_close(path_of("/proc/filesystems"), NULL);
	char *line, *next, *name;
	int yes = 0;

	for (line = text; line && *line && !yes; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		name = strchr(line, '\t');
		name = name ? name + 1 : line;
		yes = strcmp(name, type) == 0;
	}
	free(text);
	return yes;
}

static const char *moddir(void)
{
	static char dir[PATH_MAX];
	struct utsname u;

	uname(&u);
	snprintf(dir, sizeof(dir), "%s/lib/modules/%s", ev_root, u.release);
	return dir;
}

/* The image's module for filesystem TYPE (fs-TYPE alias or TYPE.ko), or
 * NULL: neither in modules.alias nor in modules.dep. */
static char *fs_module(const char *type)
{
	char *file, *text, *line, *next, *found = NULL;
	char *alias = xasprintf("alias fs-%s ", type);
	char *ko = xasprintf("/%s.ko", type);

	file = concat_path_file(moddir(), "modules.alias");
	text = xmalloc_open_read_close(file, NULL);
	free(file);
	for (line = text; line && *line && !found; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (is_prefixed_with(line, alias))
			found = xstrdup(skip_whitespace(line + strlen(alias)));
	}
	free(text);
	file = concat_path_file(moddir(), "modules.dep");
	text = xmalloc_open_read_close(file, NULL);
	free(file);
	for (line = text; line && *line && !found; line = next) {
		char *colon, *p;
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		p = strrchr(line, '/');
		p = p ? p : line;
		/* kernel/fs/ext4/ext4.ko, or .ko.xz and friends */
		if (is_prefixed_with(p, ko) && (p[strlen(ko)] == '\0' || p[strlen(ko)] == '.'))
			found = xstrdup(type);
	}
	free(text);
	free(alias);
	free(ko);
	return found;
}


static void FAST_FUNC child_done(ev_child_t *c UNUSED_PARAM, int status)
{
	want_t *w = G.busy;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	char reason[512];

	G.busy = NULL;
	if (G.step == STEP_DRIVER) {
		if (!ev_testing() && !have_fs(w->fstype)) {
			snprintf(reason, sizeof(reason), "%s: no driver for filesystem %s: modprobe %s failed (exit %d)",
					w->dev, w->fstype, w->fstype, code);
			fail(w, reason, "the kernel log (dmesg) says why the module did not load");
		}
		G.step = STEP_FSCK;
	} else {	/* fsck */
		char *out = xmalloc_open_read_close(G.fsck_log, NULL);
		if (out && *out && (code > 1 || !ev_cmdline.quiet))
			fprintf(stderr, "%s", out);
		free(out);
		if (code == 1)
			say("fsck.%s corrected errors on %s", w->fstype, w->dev);
		if (code == 2 || code == 3) {
			oops("fsck.%s repaired %s and asks for a reboot: rebooting", w->fstype, w->dev);
			if (ev_testing())
				exit(3);
			sync();
			reboot(RB_AUTOBOOT);
		}
		if (code >= 4) {
			snprintf(reason, sizeof(reason), "fsck.%s %s failed (exit %d%s); its output is in %s",
					w->fstype, w->dev, code,
					code & 4 ? ": errors left uncorrected" : code & 8 ? ": operational error" : "",
					"/run/initramfs/fsck.log");
			fail(w, reason, "repair it from this shell (fsck.TYPE DEVICE), or fsck.mode=skip to mount it as it is");
		}
		G.step = STEP_MOUNT;
	}
	step(w);
	advance();
}

/* In the child: the module in-process, or else modprobe. */
static int load_module(void *arg)
{
	return ev_mod_child(moddir(), arg, 0);
}

/* The same at a low priority: what the devices need (evinit's modules by
 * alias) goes first on a small CPU; the mount raises it when it waits. */
static int preload_module(void *arg)
{
	setpriority(PRIO_PROCESS, 0, 10);
	return ev_mod_child(moddir(), arg, 0);
}

/* The driver loaded while the device was awaited. */
static void FAST_FUNC preloaded(ev_child_t *c, int status)
{
	G.preloading = 0;
	if (G.busy && G.step == STEP_DRIVER)
		child_done(c, status);
}

/* Load the driver of a type named in advance (rootfstype=, the image's
 * fstab) while the device is awaited: the mount need not wait for it. */
static void preload(const char *type)
{
	char *argv[] = { (char *)"modprobe", NULL, NULL };
	pid_t pid;

	if (G.preloading || ev_testing() || have_fs(type))
		return;
	argv[1] = fs_module(type);
	G.preload.cb = preloaded;
	pid = ev_fork(&G.preload, preload_module, argv[1]);
	if (pid > 0) {
		G.preloading = 1;
		G.preload_type = type;
		say("loading %s for filesystem %s", argv[1], type);
	}
	free(argv[1]);
}

static int fsck_setup(void *arg)
{
	int fd = open(G.fsck_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	execv(((char **)arg)[0], (char **)arg);
	return errno;
}

/* Run ARGV for W's step WHICH; when it cannot start, say so and go on
 * with the next step. */
static void run_child(want_t *w, int which, char **argv)
{
	pid_t pid;

	G.busy = w;
	G.step = which;
	G.child.cb = child_done;
	pid = which == STEP_FSCK ? ev_spawn_fn(&G.child, fsck_setup, argv)
		: ev_fork(&G.child, load_module, argv[1]);
	if (pid < 0) {
		G.busy = NULL;
		oops("cannot run %s: %s", argv[0], strerror(-pid));
		G.step = which + 1;
	}
}

/* "ro,noatime,data=journal" -> flags and the filesystem's own data */
static unsigned long mount_flags(const char *opts, char *data, unsigned size)
{
	static const char names[] ALIGN1 =
		"ro\0" "rw\0" "nosuid\0" "suid\0" "nodev\0" "dev\0" "noexec\0" "exec\0"
		"sync\0" "async\0" "dirsync\0" "noatime\0" "atime\0" "nodiratime\0"
		"diratime\0" "relatime\0" "norelatime\0" "strictatime\0" "lazytime\0"
		"defaults\0" "auto\0" "noauto\0" "nofail\0" "_netdev\0" "user\0" "nouser\0"
		"users\0" "owner\0" "group\0" "x-initrd.mount\0";
	static const unsigned long set[] = {
		MS_RDONLY, 0, MS_NOSUID, 0, MS_NODEV, 0, MS_NOEXEC, 0,
		MS_SYNCHRONOUS, 0, MS_DIRSYNC, MS_NOATIME, 0, MS_NODIRATIME,
		0, MS_RELATIME, 0, MS_STRICTATIME, MS_LAZYTIME,
	};
	static const unsigned long clear[] = {
		0, MS_RDONLY, 0, MS_NOSUID, 0, MS_NODEV, 0, MS_NOEXEC,
		0, MS_SYNCHRONOUS, 0, 0, MS_NOATIME, 0,
		MS_NODIRATIME, 0, MS_RELATIME, 0, 0,
	};
	unsigned long flags = 0;
	char *copy = xstrdup(opts ? opts : ""), *o, *save = NULL;
	unsigned n = 0;

	data[0] = '\0';
	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		int i = index_in_strings(names, o);
		if (i >= 0 && i < (int)ARRAY_SIZE(set)) {
			flags = (flags | set[i]) & ~clear[i];
		} else if (i < 0 && !is_prefixed_with(o, "x-")) {
			n += snprintf(data + n, n < size ? size - n : 0, "%s%s", n ? "," : "", o);
		}
	}
	free(copy);
	return flags;
}

static void do_mount(want_t *w)
{
	char data[512], reason[PATH_MAX + 256];
	unsigned long flags = mount_flags(w->opts, data, sizeof(data));

	if (w->ro)
		flags |= MS_RDONLY;
	if (w == G.wants && layered())	/* /run/initramfs/root */
		bb_make_directory(w->target, 0755, FILEUTILS_RECUR);
	if (ev_testing()) {
		say("would mount %s (%s, %s%s%s) on %s", w->dev, w->fstype,
				flags & MS_RDONLY ? "ro" : "rw", data[0] ? "," : "", data, w->target);
	} else if (mount(w->dev, w->target, w->fstype, flags, data[0] ? data : NULL) < 0) {
		int e = errno;
		snprintf(reason, sizeof(reason), "cannot mount %s (%s%s%s) on %s: %s", w->dev, w->fstype,
				data[0] ? ", " : "", data, w->target, strerror(e));
		if (w->nofail) {
			oops("%s: skipped (nofail)", reason);
			w->state = W_SKIP;
			return;
		}
		fail(w, reason, e == EINVAL ? "rootfstype= and rootflags= name the type and options; dmesg says what the filesystem refused"
				: "dmesg says more; rootflags= changes the options");
	} else {
		say("mounted %s (%s) on %s", w->dev, w->fstype, w->target);
	}
	if (w == G.wants && layered()) {
		root_start(w);	/* the layers over it; root_done goes on */
		return;
	}
	w->state = W_DONE;
	if (w != G.wants) {	/* the root's own event comes last */
		char *mp = xasprintf("MOUNTPOINT=%s", w->target + strlen(ev_root));
		char *dev = xasprintf("DEVICE=%s", w->dev);
		char *type = xasprintf("TYPE=%s", w->fstype);
		emit(EV_MOUNTED, mp, dev, type, NULL);
		free(mp);
		free(dev);
		free(type);
	}
}

static int fsck_skipped(void)
{
	const char *mode = param("fsck_mode");

	return (mode && strcmp(mode, "skip") == 0) || param("fastboot");
}

/* The driver, then fsck, then the mount; a child is waited for by
 * returning (child_done comes back here). */
static void step(want_t *w)
{
	char reason[512];

	if (G.step == STEP_DRIVER) {
		char *mod;
		if (have_fs(w->fstype)) {
			G.step = STEP_FSCK;
		} else if (G.preloading && strcmp(G.preload_type, w->fstype) == 0) {
			G.busy = w;	/* preloaded() goes on */
			setpriority(PRIO_PROCESS, G.preload.pid, 0);
			return;
		} else if ((mod = fs_module(w->fstype)) == NULL) {
			snprintf(reason, sizeof(reason), "%s: no driver for filesystem %s: module %s is neither"
					" built into the kernel nor in this image (%s)", w->dev, w->fstype,
					w->fstype, moddir() + strlen(ev_root));
			fail(w, reason, "rebuild the image with the module (mkinitramfs -m MODULE), or fix rootfstype=");
		} else if (ev_testing()) {
			say("would modprobe %s", mod);
			free(mod);
			G.step = STEP_FSCK;
		} else {
			char *argv[] = { (char *)"modprobe", mod, NULL };
			say("loading %s for %s", mod, w->dev);
			run_child(w, STEP_DRIVER, argv);
			free(mod);
			if (G.busy)
				return;
		}
	}
	if (G.step == STEP_FSCK) {
		char *fsck = xasprintf("%s/sbin/fsck.%s", ev_root, w->fstype);
		G.step = STEP_MOUNT;
		if (w->fsck && !fsck_skipped() && access(fsck, X_OK) == 0) {
			const char *mode = param("fsck_mode"), *repair = param("fsck_repair");
			char *argv[5], **a = argv;
			*a++ = fsck;
			*a++ = (char *)(repair && strcmp(repair, "yes") == 0 ? "-y"
				: repair && strcmp(repair, "no") == 0 ? "-n" : "-a");
			if ((mode && strcmp(mode, "force") == 0) || param("forcefsck"))
				*a++ = (char *)"-f";
			*a++ = w->dev;
			*a = NULL;
			say("checking %s (fsck.%s)", w->dev, w->fstype);
			bb_make_directory((char *)path_of("/run/initramfs"), 0755, FILEUTILS_RECUR);
			free(G.fsck_log);
			G.fsck_log = xstrdup(path_of("/run/initramfs/fsck.log"));
			run_child(w, STEP_FSCK, argv);
			free(fsck);
			if (G.busy)
				return;
		} else {
			free(fsck);
		}
	}
	do_mount(w);
}

/* Start the next want whose device is there; the root before the rest. */
static void advance(void)
{
	want_t *w;
	int waiting = 0;

	if (G.busy)
		return;
	for (w = G.wants; w; w = w->next) {
		if (w->state == W_SEEN) {
			w->state = W_DONE;	/* step() decides: done or skipped */
			G.step = STEP_DRIVER;
			step(w);
			if (G.busy || w->state == W_BUSY)
				return;		/* a child works for it */
			continue;
		}
		if (w->state == W_WAIT || w->state == W_BUSY) {
			waiting = 1;
			if (w == G.wants)
				return;		/* nothing before the root */
		}
	}
	if (waiting)
		return;
	ev_timer_stop(&G.deadline);
	ev_timer_stop(&G.half);
	w = G.wants;
	if (w->state == W_DONE) {
		char *mp = xasprintf("MOUNTPOINT=%s", w->target + strlen(ev_root));
		char *dev = xasprintf("DEVICE=%s", w->dev);
		char *type = xasprintf("TYPE=%s", w->fstype);
		/* evinit switches on this event and stops the jobs: ours is
		 * done, and ends as done, not killed */
		signal(SIGTERM, SIG_IGN);
		emit(EV_MOUNTED, mp, dev, type, NULL);
	}
	G.finished = 1;
	ev_stop(0);
}

/* ---- network roots and layers ----
 *
 * An NFS root (root=/dev/nfs nfsroot=, root=nfs:, root=nfs4:, root=dhcp)
 * or an image fetched over HTTP (root=live:URL) waits for net-device-up
 * (evnet), not for a block device; an NBD root (root=nbd:, netroot=nbd:)
 * for nbd-connected (evnbd), then for its device like any other.  Layers
 * go on top of whatever the root is: ltsp.image= / rd.image= (a squashfs
 * file on the root, loop-mounted read-only) and rd.overlay=tmpfs, both
 * under a tmpfs upper layer through overlayfs.  The lower layers stay
 * mounted under /run/initramfs, where the real root finds them:
 *
 *   /run/initramfs/root      the root as named (NFS, a disk, NBD)
 *   /run/initramfs/live      tmpfs: the image root=live: fetched
 *   /run/initramfs/image     the squashfs image, read-only
 *   /run/initramfs/overlay   tmpfs: upper/ and work/ of the overlay
 *   /run/initramfs/layers    what each of them is, one line each
 *
 * What can block (an NFS server that does not answer, a fetch, a loop
 * device over NFS) runs in a child, so the deadline still holds; it
 * reports on a pipe: "say TEXT", "fail TEXT" (for good), "again TEXT"
 * (try again after a jittered backoff), "done DEVICE TYPE". */

#define RUN_LIVE    "/run/initramfs/live"
#define RUN_IMAGE   "/run/initramfs/image"
#define RUN_OVERLAY "/run/initramfs/overlay"

static int layered(void)
{
	return G.image || G.overlay;
}

/* klibc's and the kernel's nfsroot grammar, [SERVER:]PATH[,OPTIONS]
 * ("%s" in PATH is the client's address), into G.nfs_* (a server given
 * here wins over DHCP's) */
static void nfs_path(const char *s)
{
	const char *comma = strchr(s, ','), *colon = strchr(s, ':');
	char *path;

	if (colon && (!comma || colon < comma) && colon != s && colon[1] == '/') {
		free(G.nfs_server);
		G.nfs_server = xstrndup(s, colon - s);
		s = colon + 1;
	}
	path = comma ? xstrndup(s, comma - s) : xstrdup(s);
	if (comma) {
		free(G.nfs_opts);
		G.nfs_opts = xstrdup(comma + 1);
	}
	free(G.nfs_path);
	G.nfs_path = path;
}

/* root=nfs:SERVER:PATH[:OPTIONS] (dracut's), nfs4: the same */
static int nfs_url(const char *s)
{
	const char *colon;

	s = strchr(s, ':') + 1;
	colon = strchr(s, ':');
	if (!colon || colon == s || colon[1] != '/')
		return -1;
	free(G.nfs_server);
	G.nfs_server = xstrndup(s, colon - s);
	s = colon + 1;
	colon = strchr(s, ':');
	free(G.nfs_path);
	G.nfs_path = colon ? xstrndup(s, colon - s) : xstrdup(s);
	if (colon && colon[1]) {
		free(G.nfs_opts);
		G.nfs_opts = xstrdup(colon + 1);
	}
	return 0;
}

/* What the root is, from root= (and nfsroot=, netroot=, nbdroot=,
 * ltsp.image=, rd.image=, rd.overlay=); ROOT is the root's want, or NULL
 * when only netroot= names it. */
static void net_setup(want_t *root)
{
	const char *r = ev_cmdline.root ? ev_cmdline.root : "", *v;
	char reason[512];

	G.net = ev_cmdline_netroot();
	v = ev_cmdline_get("rd.image");
	if (!v)
		v = ev_cmdline_get("ltsp.image");
	if (v && *v)
		G.image = xstrdup(v);
	v = ev_cmdline_get("rd.overlay");
	if (v && strcmp(v, "tmpfs") == 0)
		G.overlay = 1;
	else if (v && *v)
		say("ignoring rd.overlay=%s: only rd.overlay=tmpfs is known", v);
	if (G.net == EV_NETROOT_NONE && root->type && strchr(root->spec, ':')
	 && (strcmp(root->type, "nfs") == 0 || strcmp(root->type, "nfs4") == 0)) {
		/* the image's fstab: SERVER:/PATH / nfs OPTIONS */
		char *url = xasprintf("%s:%s", root->type, root->spec);
		G.net = EV_NETROOT_NFS;
		G.nfs_vers = strcmp(root->type, "nfs4") == 0 ? 4 : 0;
		if (nfs_url(url) < 0)
			fail(root, xasprintf("%s%s: not SERVER:/PATH", root->from, root->spec),
					"an NFS line of fstab names SERVER:/PATH");
		if (root->opts) {
			free(G.nfs_opts);
			G.nfs_opts = xstrdup(root->opts);
		}
		root->net = 1;
	} else if (G.net == EV_NETROOT_NFS) {
		G.nfs_vers = is_prefixed_with(r, "nfs4:") ? 4 : 0;
		if (is_prefixed_with(r, "nfs:") || is_prefixed_with(r, "nfs4:")) {
			if (nfs_url(r) < 0) {
				snprintf(reason, sizeof(reason), "root=%s: not SERVER:/PATH[:OPTIONS]", r);
				fail(root, reason, "root=nfs:192.168.1.1:/srv/root (or nfs4:), or root=/dev/nfs nfsroot=SERVER:/PATH");
			}
		} else if ((v = ev_cmdline_get("nfsroot")) != NULL) {
			nfs_path(v);
		}
		root->net = 1;
	} else if (G.net == EV_NETROOT_LIVE) {
		G.live = xstrdup(r + 5);
		root->net = 1;
	} else if (G.net == EV_NETROOT_NBD && is_prefixed_with(r, "nbd:")) {
		/* evnbd's device, named on nbd-connected */
		ev_spec_parse("/dev/nbd0", &root->sp);
	}
}

/* The modules of the root's kind, loaded in a child while the network
 * comes up (nfsv4 alone takes half a second under TCG): the mount's own
 * loads then find them there, or wait for them in the kernel */
static int net_modules(void *arg UNUSED_PARAM)
{
	static const char nfs3[] ALIGN1 = "sunrpc\0" "nfs\0" "nfsv3\0";
	static const char nfs4[] ALIGN1 = "sunrpc\0" "nfs\0" "nfsv4\0";
	static const char layers[] ALIGN1 = "loop\0" "squashfs\0" "overlay\0";
	const char *m;

	setpriority(PRIO_PROCESS, 0, 10);	/* the devices' and evnet's work first */
	if (G.net == EV_NETROOT_NFS)
		for (m = G.nfs_vers == 4 ? nfs4 : nfs3; *m; m += strlen(m) + 1)
			ev_mod_load_soft(moddir(), m);
	if (layered() || G.live)
		for (m = layers; *m; m += strlen(m) + 1)
			ev_mod_load_soft(moddir(), m);
	return 0;
}

static void FAST_FUNC net_preloaded(ev_child_t *c UNUSED_PARAM, int status UNUSED_PARAM)
{
}

static void net_preload(void)
{
	G.netpre.cb = net_preloaded;	/* what failed, the mount says */
	if (!ev_testing())
		ev_fork(&G.netpre, net_modules, NULL);
}

/* "SERVER:PATH" as the messages name it */
static const char *nfs_name(void)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s:%s", G.nfs_server ? G.nfs_server : "?",
			G.nfs_path ? G.nfs_path : "?");
	return buf;
}

/* net-device-up: the address, and what DHCP said of the root */
static void net_up(char **ev, want_t *root)
{
	const char *iface = ev_event_get(ev, "INTERFACE");
	const char *addr = ev_event_get(ev, "ADDRESS");
	const char *server = ev_event_get(ev, "SERVER");
	const char *path = ev_event_get(ev, "ROOTPATH");

	if (G.addr || !root || !root->net || root->state != W_WAIT)
		return;		/* the first lease wins, as evnet's does */
	G.addr = xstrdup(addr ? addr : "");
	G.iface = xstrdup(iface ? iface : "?");
	if (G.net == EV_NETROOT_NFS) {
		if (path && *path && !G.nfs_path) {
			/* option 17: nfsroot='s grammar, or dracut's nfs:... */
			if (is_prefixed_with(path, "nfs:") || is_prefixed_with(path, "nfs4:")) {
				if (is_prefixed_with(path, "nfs4:"))
					G.nfs_vers = 4;
				nfs_url(path);
			} else {
				nfs_path(path);
			}
			say("the root from DHCP (%s, root-path): %s", G.iface, path);
		}
		if (!G.nfs_server && server && *server)
			G.nfs_server = xstrdup(server);
		if (!G.nfs_path)
			fail(root, xasprintf("root=%s: no NFS path: no nfsroot= and %s's DHCP answer had no root-path (option 17)",
					ev_cmdline.root, G.iface),
				"nfsroot=SERVER:/PATH, or root=nfs:SERVER:/PATH, or the DHCP server's root-path option");
		if (!G.nfs_server)
			fail(root, xasprintf("root=%s: no NFS server for %s: none in nfsroot=, ip= or %s's DHCP answer",
					ev_cmdline.root, G.nfs_path, G.iface),
				"nfsroot=SERVER:/PATH names it");
	}
	root_start(root);
}

/* ---- in the child ---- */

static int rep_fd = -1;

/* a line to the parent: KIND TEXT */
static void rep(const char *kind, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	*strchrnul(s, '\n') = '\0';
	dprintf(rep_fd, "%s %s\n", kind, s);
	free(s);
}

static int mnt(const char *src, const char *dir, const char *type, unsigned long flags, const char *data)
{
	bb_make_directory((char *)dir, 0755, FILEUTILS_RECUR);
	if (ev_testing()) {
		rep("say", "would mount %s (%s%s%s) on %s", src, type, data ? ", " : "", data ? data : "",
				dir + strlen(ev_root));
		return 0;
	}
	return mount(src, dir, type, flags, data);
}

/* the NFS mount: the kernel's text options, no userspace RPC; 0, or the
 * exit status (1 for good, 2 to try again) */
static int nfs_mount(want_t *w, const char *dir)
{
	char data[1024], opts[512];
	unsigned long flags = mount_flags(G.nfs_opts, opts, sizeof(opts));
	int vers = G.nfs_vers, n, e;
	const char *o;

	/* nfsvers=, vers=, v3, v4 among the options win over root=nfs4: */
	for (o = opts; o && *o; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL) {
		if (is_prefixed_with(o, "vers=") || is_prefixed_with(o, "nfsvers="))
			vers = atoi(strchr(o, '=') + 1);
		else if (o[0] == 'v' && isdigit(o[1]))
			vers = atoi(o + 1);
	}
	if (!vers)
		vers = 3;
	n = snprintf(data, sizeof(data), "%s", opts);
	if (!strstr(opts, "vers=") && !(opts[0] == 'v' && isdigit(opts[1])) && !strstr(opts, ",v"))
		n += snprintf(data + n, sizeof(data) - n, "%svers=%d", n ? "," : "", vers);
	n += snprintf(data + n, sizeof(data) - n, ",addr=%s", G.nfs_server);
	if (vers == 4 && G.addr && *G.addr && !strstr(opts, "clientaddr="))
		n += snprintf(data + n, sizeof(data) - n, ",clientaddr=%s", G.addr);
	if (vers < 4 && !has_opt(opts, "lock") && !has_opt(opts, "nolock"))
		n += snprintf(data + n, sizeof(data) - n, ",nolock");	/* no statd here */
	if (!strstr(opts, "timeo="))
		n += snprintf(data + n, sizeof(data) - n, ",timeo=%u", CONFIG_EVMOUNT_NFS_TIMEO);
	if (!strstr(opts, "retrans="))
		snprintf(data + n, sizeof(data) - n, ",retrans=%u", CONFIG_EVMOUNT_NFS_RETRANS);
	if (data[0] == ',')
		memmove(data, data + 1, strlen(data));
	if (w->ro)
		flags |= MS_RDONLY;
	ev_mod_load_soft(moddir(), "nfs");
	ev_mod_load_soft(moddir(), vers >= 4 ? "nfsv4" : "nfsv3");
	rep("doing", "mounting %s (NFSv%d, %s)", nfs_name(), vers, data);
	if (mnt(nfs_name(), dir, "nfs", flags, data) == 0) {
		rep("say", "mounted %s (NFSv%d, %s) on %s", nfs_name(), vers, flags & MS_RDONLY ? "ro" : "rw",
				dir + strlen(ev_root));
		return 0;
	}
	e = errno;
	if (e == ENOENT || e == EACCES || e == EPERM || e == ESTALE) {
		rep("fail", "the NFS server %s refused %s: %s (is it exported to this client, %s?)",
				G.nfs_server, G.nfs_path, strerror(e), G.addr ? G.addr : "?");
		return 1;
	}
	if (e == ENODEV || e == EINVAL || e == EPROTONOSUPPORT) {
		rep("fail", "cannot mount %s (nfs, %s): %s%s", nfs_name(), data, strerror(e),
				e == ENODEV ? " (no nfs driver: mkinitramfs -N)" : "");
		return 1;
	}
	rep("again", "NFS %s: %s (server %s, options %s)", nfs_name(), strerror(e), G.nfs_server, data);
	return 2;
}

/* run ARGV, its stderr's last line into ERR; its exit status */
static int run_quiet(char **argv, char *err, unsigned size)
{
	char log[] = "/run/initramfs/evmount.XXXXXX";
	int fd = mkstemp(log), status = 1;
	pid_t pid;
	char *text;

	err[0] = '\0';
	pid = fork();
	if (pid == 0) {
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (fd >= 0) {
		close(fd);
		text = xmalloc_open_read_close(log, NULL);
		unlink(log);
		if (text) {
			char *end = text + strlen(text), *start;
			while (end > text && (end[-1] == '\n' || end[-1] == ' '))
				*--end = '\0';
			start = strrchr(text, '\n');
			snprintf(err, size, "%s", start ? start + 1 : text);
			free(text);
		}
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* root=live:URL: fetched into RAM (tmpfs), its size checked by wget
 * (Content-Length), with rd.live.check its checksum against URL.sha256;
 * the file's path into FILE */
static int live_fetch(char *file, unsigned size)
{
	const char *base = strrchr(G.live, '/');
	char secs[16], err[256], *argv[8], *sum_url, *sum_file, *text;
	int code;

	base = base && base[1] ? base + 1 : "live.img";
	snprintf(file, size, "%s%s/%s", ev_root, RUN_LIVE, base);
	if (mnt("tmpfs", path_of(RUN_LIVE), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		rep("fail", "cannot mount a tmpfs on %s: %s", RUN_LIVE, strerror(errno));
		return 1;
	}
	snprintf(secs, sizeof(secs), "%u", CONFIG_EVMOUNT_FETCH_TIMEOUT);
	argv[0] = (char *)"wget";
	argv[1] = (char *)"-q";
	argv[2] = (char *)"-T";
	argv[3] = secs;
	argv[4] = (char *)"-O";
	argv[5] = file;
	argv[6] = (char *)G.live;
	argv[7] = NULL;
	rep("say", "fetching %s into RAM (%s)", G.live, RUN_LIVE);
	rep("doing", "fetching %s", G.live);
	if (ev_testing()) {
		rep("say", "would run wget -q -T %s -O %s %s", secs, file + strlen(ev_root), G.live);
		return 0;
	}
	unlink(file);
	code = run_quiet(argv, err, sizeof(err));
	if (code != 0) {
		unlink(file);
		rep("again", "fetching %s failed: %s (wget exit %d, -T %s s)", G.live,
				err[0] ? err : "no message", code, secs);
		return 2;
	}
	if (!ev_cmdline_get("rd.live.check"))
		return 0;
	sum_url = xasprintf("%s.sha256", G.live);
	sum_file = xasprintf("%s.sha256", file);
	argv[5] = sum_file;
	argv[6] = sum_url;
	code = run_quiet(argv, err, sizeof(err));
	text = code == 0 ? xmalloc_open_read_close(sum_file, NULL) : NULL;
	if (!text) {
		rep("again", "rd.live.check: fetching %s failed: %s (wget exit %d)", sum_url,
				err[0] ? err : "no message", code);
		code = 2;
	} else {
		sha256_ctx_t ctx;
		uint8_t hash[32], buf[4096];
		char hex[65];
		int fd = open(file, O_RDONLY | O_CLOEXEC);
		ssize_t n;
		sha256_begin(&ctx);
		while (fd >= 0 && (n = safe_read(fd, buf, sizeof(buf))) > 0)
			sha256_hash(&ctx, buf, n);
		if (fd >= 0)
			close(fd);
		sha256_end(&ctx, hash);
		bin2hex(hex, (char *)hash, 32)[0] = '\0';
		text[strspn(text, "0123456789abcdefABCDEF")] = '\0';
		if (strcasecmp(text, hex) != 0) {
			rep("fail", "rd.live.check: %s has sha256 %s, %s says %s", G.live, hex, sum_url,
					text[0] ? text : "(no checksum)");
			code = 1;
		} else {
			rep("say", "rd.live.check: %s matches %s", G.live, sum_url);
			code = 0;
		}
	}
	free(text);
	free(sum_url);
	free(sum_file);
	return code;
}

/* A free loop device over FILE, read-only, freed with its last user (the
 * squashfs mount): its name, or NULL with errno */
static char *loop_attach(const char *file)
{
	struct loop_config lc;
	char name[32];
	int ctl, n, fd, dev;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return NULL;
	n = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (n < 0)
		return NULL;
	snprintf(name, sizeof(name), "/dev/loop%d", n);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	dev = open(name, O_RDWR | O_CLOEXEC);
	memset(&lc, 0, sizeof(lc));
	lc.fd = fd;
	lc.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
	if (fd < 0 || dev < 0 || ioctl(dev, LOOP_CONFIGURE, &lc) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (dev >= 0)
			close(dev);
		errno = e;
		return NULL;
	}
	close(fd);
	/* dev stays open until the mount holds the device (autoclear) */
	return xstrdup(name);
}

/* The layers over LOWER (the root as mounted; an image file when FILE):
 * the squashfs, then a tmpfs upper layer, on /root */
static int layers(const char *lower, const char *file, const char *name)
{
	char data[3 * PATH_MAX], *dev = NULL, magic[4] = "";
	char *root = xasprintf("%s/root", ev_root);
	FILE *f;
	int fd;

	if (file) {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rep("fail", "%s: cannot open %s: %s", name, file + strlen(ev_root), strerror(errno));
			return 1;
		}
		if (full_read(fd, magic, 4) != 4 || memcmp(magic, "hsqs", 4) != 0) {
			rep("fail", "%s: %s is not a squashfs image (no hsqs magic at its start)", name,
					file + strlen(ev_root));
			close(fd);
			return 1;
		}
		close(fd);
		ev_mod_load_soft(moddir(), "loop");
		ev_mod_load_soft(moddir(), "squashfs");
		if (ev_testing()) {
			dev = xstrdup("/dev/loop0");
		} else if ((dev = loop_attach(file)) == NULL) {
			rep("fail", "%s: no loop device for %s: %s", name, file + strlen(ev_root), strerror(errno));
			return 1;
		}
		if (mnt(dev, path_of(RUN_IMAGE), "squashfs", MS_RDONLY, NULL) < 0) {
			rep("fail", "%s: cannot mount %s (%s) as squashfs: %s", name, file + strlen(ev_root),
					dev, strerror(errno));
			return 1;
		}
		lower = xasprintf("%s%s", ev_root, RUN_IMAGE);
		rep("say", "%s: %s (squashfs, %s) read-only on %s", name, file + strlen(ev_root), dev, RUN_IMAGE);
	}
	ev_mod_load_soft(moddir(), "overlay");
	if (mnt("tmpfs", path_of(RUN_OVERLAY), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		rep("fail", "cannot mount a tmpfs on %s: %s", RUN_OVERLAY, strerror(errno));
		return 1;
	}
	bb_make_directory(xasprintf("%s%s/upper", ev_root, RUN_OVERLAY), 0755, FILEUTILS_RECUR);
	bb_make_directory(xasprintf("%s%s/work", ev_root, RUN_OVERLAY), 0755, FILEUTILS_RECUR);
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s%s/upper,workdir=%s%s/work",
			lower, ev_root, RUN_OVERLAY, ev_root, RUN_OVERLAY);
	if (mnt("overlay", root, "overlay", 0, data) < 0) {
		rep("fail", "cannot mount the overlay (%s) on /root: %s", data, strerror(errno));
		return 1;
	}
	rep("say", "/root: overlay of %s under a tmpfs (writes go to RAM)", lower + strlen(ev_root));
	f = fopen(path_of("/run/initramfs/layers"), "w");
	if (f) {
		if (G.live)
			fprintf(f, "live %s %s\n", RUN_LIVE, G.live);
		if (!G.live || G.image)
			fprintf(f, "root %s %s\n", RUN_ROOT, G.net == EV_NETROOT_NFS ? nfs_name() : G.wants->dev);
		if (file)
			fprintf(f, "image %s %s %s\n", RUN_IMAGE, dev, file + strlen(ev_root));
		fprintf(f, "overlay %s tmpfs\n", RUN_OVERLAY);
		fclose(f);
	}
	free(dev);
	return 0;
}

/* The child: what can block, in order; its exit status as rep()'s kinds
 * say (0 done, 1 fail, 2 again) */
static int root_child(void *arg)
{
	want_t *w = arg;
	char file[PATH_MAX], *img = NULL;
	const char *lower = xasprintf("%s%s", ev_root, RUN_ROOT);
	int rc;

	signal(SIGTERM, SIG_DFL);
	bb_make_directory((char *)path_of("/run/initramfs"), 0755, FILEUTILS_RECUR);
	if (G.net == EV_NETROOT_NFS) {
		rc = nfs_mount(w, layered() ? lower : w->target);
		if (rc)
			return rc;
		if (!layered()) {
			rep("done", "%s nfs", nfs_name());
			return 0;
		}
	} else if (G.net == EV_NETROOT_LIVE) {
		rc = live_fetch(file, sizeof(file));
		if (rc)
			return rc;
		img = file;
	}
	if (G.image && !img) {
		snprintf(file, sizeof(file), "%s/%s", lower, G.image[0] == '/' ? G.image + 1 : G.image);
		img = file;
	}
	rc = layers(lower, img, G.live ? xasprintf("root=live:%s", G.live) : G.image ? (ev_cmdline_get("rd.image") ? "rd.image=" : "ltsp.image=")
			: "rd.overlay=tmpfs");
	if (rc)
		return rc;
	rep("done", "overlay overlay");
	return 0;
}

/* ---- in evmount: the child's reports, the retries ---- */

static void root_line(char *line)
{
	char *text = strchr(line, ' ');

	text = text ? text + 1 : (char *)"";
	if (is_prefixed_with(line, "say ")) {
		say("%s", text);
	} else if (is_prefixed_with(line, "doing ")) {
		free(G.net_doing);
		G.net_doing = xstrdup(text);
	} else if (is_prefixed_with(line, "done ")) {
		char *type = strrchr(text, ' ');
		if (type)
			*type++ = '\0';
		free(G.rootw->dev);
		G.rootw->dev = xstrdup(text);
		free(G.rootw->fstype);
		G.rootw->fstype = xstrdup(type ? type : "?");
	} else {	/* fail, again: the last one is the reason */
		free(G.net_why);
		G.net_why = xstrdup(text);
	}
}

static void root_read(void)
{
	char *nl;
	int n;

	while ((n = safe_read(G.rootc_in.fd, G.rootc_buf + G.rootc_len,
			sizeof(G.rootc_buf) - 1 - G.rootc_len)) > 0) {
		G.rootc_len += n;
		G.rootc_buf[G.rootc_len] = '\0';
		while ((nl = strchr(G.rootc_buf, '\n')) != NULL) {
			*nl = '\0';
			root_line(G.rootc_buf);
			G.rootc_len -= nl + 1 - G.rootc_buf;
			memmove(G.rootc_buf, nl + 1, G.rootc_len + 1);
		}
		if (G.rootc_len == sizeof(G.rootc_buf) - 1)
			G.rootc_len = 0;	/* a line too long: dropped */
	}
}

static void FAST_FUNC root_readable(ev_fd_t *fdw UNUSED_PARAM, short revents UNUSED_PARAM)
{
	root_read();
}

static void FAST_FUNC retry_now(ev_timer_t *t UNUSED_PARAM)
{
	root_start(G.rootw);
}

static void FAST_FUNC root_done(ev_child_t *c UNUSED_PARAM, int status)
{
	want_t *w = G.rootw;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

	root_read();	/* what is left in the pipe */
	free(G.net_doing);
	G.net_doing = NULL;
	ev_fd_del(&G.rootc_in);
	close(G.rootc_in.fd);
	G.rootc_in.fd = -1;
	G.rootc_len = 0;
	if (code == 0 && w->dev && w->fstype) {
		if (layered()) {	/* the overlay is the root now */
			free(w->target);
			w->target = xstrdup(path_of("/root"));
		}
		w->state = W_DONE;
		advance();
		return;
	}
	if (code == 2) {
		/* jittered exponential backoff: a lab of clients does not retry
		 * in lockstep */
		unsigned ms = 500u << (G.tries < 4 ? G.tries : 4);
		ms = ms / 2 + (unsigned)random() % ms;
		G.tries++;
		w->state = W_WAIT;
		say("%s (try %u); again in %u.%u s", G.net_why ? G.net_why : "failed", G.tries,
				ms / 1000, ms % 1000 / 100);
		tell_waiting(0);
		G.retry.cb = retry_now;
		ev_timer_in(&G.retry, ms);
		return;
	}
	fail(w, G.net_why ? G.net_why : xasprintf("the root's mount step ended with status %d", code),
			G.net == EV_NETROOT_NFS ? "the server's exports (exportfs -v) and nfsroot= / root=nfs: name it; the network is up in this shell"
			: G.net == EV_NETROOT_LIVE ? "root=live:URL names the image; the network is up in this shell (wget URL)"
			: "ltsp.image= / rd.image= name a squashfs file on the root (rd.overlay=tmpfs needs none)");
}

/* Start the child for W: the network root, or the layers over W */
static void root_start(want_t *w)
{
	int fds[2];
	pid_t pid;

	G.rootw = w;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		fail(w, xasprintf("cannot make a pipe: %s", strerror(errno)), "out of resources: reboot");
	}
	ndelay_on(fds[0]);
	rep_fd = fds[1];
	G.rootc.cb = root_done;
	w->state = W_BUSY;
	pid = ev_fork(&G.rootc, root_child, w);
	close(fds[1]);
	rep_fd = -1;
	if (pid < 0) {
		close(fds[0]);
		fail(w, xasprintf("cannot fork: %s", strerror(-pid)), "out of resources: reboot");
	}
	G.rootc_in.fd = fds[0];
	G.rootc_in.events = POLLIN;
	G.rootc_in.cb = root_readable;
	ev_fd_add(&G.rootc_in);
}

/* nbd-connected: the root's device and, from root=nbd:, its type and
 * options */
static void nbd_connected(char **ev, want_t *root)
{
	const char *dev = ev_event_get(ev, "DEVNAME"), *type = ev_event_get(ev, "FSTYPE");
	const char *opts = ev_event_get(ev, "MOUNTOPTS");

	if (!root || root->state != W_WAIT || G.net != EV_NETROOT_NBD || !dev)
		return;
	ev_spec_parse(dev, &root->sp);
	/* root=nbd:'s own type and options win over the image fstab's /,
	 * rootfstype= and rootflags= over both */
	if (type && *type && !ev_cmdline.rootfstype) {
		free(root->type);
		root->type = xstrdup(type);
	}
	if (opts && *opts && !ev_cmdline.rootflags) {
		free(root->opts);
		root->opts = xstrdup(opts);
	}
}

/* A block device appeared or changed: is it one we wait for? */
static void device(char **ev)
{
	const char *devname = ev_event_get(ev, "DEVNAME");
	const char *type = ev_event_get(ev, "ID_FS_TYPE");
	const char *usage = ev_event_get(ev, "ID_FS_USAGE");
	want_t *w;

	for (w = G.wants; w; w = w->next) {
		if (w->state != W_WAIT || w->net || !ev_spec_match(&w->sp, ev, ev_root))
			continue;
		if (usage && strcmp(usage, "filesystem") != 0 && !w->type) {
			char reason[512];
			snprintf(reason, sizeof(reason), "%s%s names %s, which holds %s (%s), not a filesystem",
					w->from, w->spec, devname, type ? type : "?", usage);
			fail(w, reason, strcmp(usage, "crypto") == 0
				? "the root is the filesystem inside: root=/dev/mapper/NAME or its own UUID=, with rd.luks.uuid= for the container"
				: "root= names the filesystem itself (its UUID=, or the assembled /dev/md* or /dev/mapper/* device)");
		}
		if (!w->type && !(type && *type)) {
			char reason[512];
			snprintf(reason, sizeof(reason), "%s%s is %s, and no filesystem was recognised on it",
					w->from, w->spec, devname);
			fail(w, reason, "rootfstype= names the type, if the probe does not know it");
		}
		free(w->dev);
		w->dev = xstrdup(devname);
		free(w->fstype);
		w->fstype = xstrdup(w->type ? w->type : type);
		w->state = W_SEEN;
		say("%s%s is %s (%s)", w->from, w->spec, devname, w->fstype);
	}
	advance();
}

/* crypt-wanted / md-wanted / lvm-wanted NAME= WANTED=: into LIST (the
 * latest WANTED wins); crypt-unlocked / md-started / lvm-activated NAME=:
 * out of it */
static void waits(llist_t **list, char **ev, int wanted)
{
	const char *name = ev_event_get(ev, "NAME");
	const char *what = ev_event_get(ev, "WANTED");
	llist_t **pp;

	if (!name)
		return;
	for (pp = list; *pp; pp = &(*pp)->link)
		if (is_prefixed_with((*pp)->data, name) && ((char *)(*pp)->data)[strlen(name)] == ' ')
			break;
	if (*pp)
		free(llist_pop(pp));
	if (wanted)
		llist_add_to_end(list, xasprintf("%s (%s)", name, what ? what : "?"));
	tell_waiting(0);
}

static void event(char **ev)
{
	if (strcmp(ev[0], EV_BLOCK_ADDED) == 0 || strcmp(ev[0], EV_BLOCK_CHANGED) == 0) {
		device(ev);
	} else if (strcmp(ev[0], EV_PASSPHRASE_PROMPT) == 0) {
		prompt(ev, 0);
	} else if (strcmp(ev[0], EV_PASSPHRASE_DONE) == 0) {
		prompt(ev, 1);
	} else if (strcmp(ev[0], EV_CRYPT_WANTED) == 0 || strcmp(ev[0], EV_CRYPT_UNLOCKED) == 0) {
		waits(&G.locked, ev, strcmp(ev[0], EV_CRYPT_WANTED) == 0);
	} else if (strcmp(ev[0], EV_MD_WANTED) == 0 || strcmp(ev[0], EV_MD_STARTED) == 0) {
		waits(&G.arrays, ev, strcmp(ev[0], EV_MD_WANTED) == 0);
	} else if (strcmp(ev[0], EV_LVM_WANTED) == 0 || strcmp(ev[0], EV_LVM_ACTIVATED) == 0) {
		waits(&G.volumes, ev, strcmp(ev[0], EV_LVM_WANTED) == 0);
	} else if (strcmp(ev[0], EV_NET_WANTED) == 0) {
		waits(&G.nets, ev, 1);
	} else if (strcmp(ev[0], EV_NET_UP) == 0) {
		const char *ifc = ev_event_get(ev, "INTERFACE");
		char *kv[] = { (char *)EV_NET_UP, xasprintf("NAME=%s", ifc ? ifc : ""), NULL };
		waits(&G.nets, kv, 0);
		free(kv[1]);
		kv[1] = (char *)"NAME=network";	/* "no network interface": one came */
		waits(&G.nets, kv, 0);
		if (G.mountall)
			net_up(ev, G.wants);
	} else if (strcmp(ev[0], EV_NBD_WANTED) == 0 || strcmp(ev[0], EV_NBD_CONNECTED) == 0) {
		waits(&G.nbds, ev, strcmp(ev[0], EV_NBD_WANTED) == 0);
		if (G.mountall && strcmp(ev[0], EV_NBD_CONNECTED) == 0)
			nbd_connected(ev, G.wants);
	} else if (strcmp(ev[0], EV_TIMEOUT_PAUSE) == 0) {
		G.manual = 1;
		set_paused();
	} else if (strcmp(ev[0], EV_TIMEOUT_RESUME) == 0) {
		G.manual = 0;
		set_paused();
	}
}

/* ---- events from evinit's bus ---- */

static void FAST_FUNC bus_event(char **ev)
{
	if (!ev) {
		/* evinit closed the bus: the switch, without us */
		oops("evinit's bus closed before the root was mounted");
		exit(EXIT_FAILURE);
	}
	event(ev);
}

/* ---- without evinit: the kernel's uevents, probed here ---- */

/* The event a uevent makes: its name, then KEY=VALUE copies, NULL. */
typedef struct {
	char *ev[40];
	unsigned n;
} keys_t;

static void FAST_FUNC keys_add(const char *kv, void *ctx)
{
	keys_t *ks = ctx;

	/* the last place is the NULL's: a key past it is dropped */
	if (ks->n < ARRAY_SIZE(ks->ev) - 1)
		ks->ev[ks->n++] = xstrdup(kv);
}

static void uevent(ev_uevent_t *u)
{
	static const char copied[] ALIGN1 = "MAJOR\0" "MINOR\0" "PARTN\0";
	char devname[PATH_MAX], kv[PATH_MAX + 16], **ev, **f;
	const char *c, *type, *uuid;
	keys_t ks;
	ev_probe_t p;

	if (strcmp(u->subsystem, "block") != 0 || !u->devname
	 || (strcmp(u->action, "add") != 0 && strcmp(u->action, "change") != 0)
	) {
		return;
	}
	snprintf(devname, sizeof(devname), "/dev/%s", u->devname);
	if (ev_probe_blockdev(ev_root, devname, u->devpath, ev_uevent_get(u, "PARTN"), &p) < 0)
		return;
	ks.ev[0] = (char *)EV_BLOCK_ADDED;
	ks.n = 1;
	snprintf(kv, sizeof(kv), "DEVNAME=%s", devname);
	keys_add(kv, &ks);
	for (c = copied; *c; c += strlen(c) + 1) {
		if (ev_uevent_get(u, c)) {
			snprintf(kv, sizeof(kv), "%s=%s", c, ev_uevent_get(u, c));
			keys_add(kv, &ks);
		}
	}
	ev_probe_keys(&p, keys_add, &ks);
	ks.ev[ks.n] = NULL;
	ev = ks.ev;
	type = ev_event_get(ev, "ID_FS_TYPE");
	uuid = ev_event_get(ev, "ID_FS_UUID");
	llist_add_to_end(&G.seen, xasprintf("%s %s%s%s", devname, type ? type : "(nothing recognised)",
			uuid ? " UUID=" : "", uuid ? uuid : ""));
	device(ev);
	for (f = ev + 1; *f; f++)
		free(*f);
}

static void FAST_FUNC coldplugged(ev_uevent_t *u, void *ctx UNUSED_PARAM)
{
	uevent(u);
}

static void FAST_FUNC netlink_ready(ev_fd_t *fdw, short revents UNUSED_PARAM)
{
	ev_uevent_t u;
	int n, why;

	while ((n = ev_uevent_recv(fdw->fd, G.buf, sizeof(G.buf), &why)) != -EAGAIN) {
		if (n == -ENOBUFS)
			ev_coldplug(path_of("/sys"), coldplugged, NULL);
		else if (n < 0)
			bb_error_msg_and_die("uevent socket: %s", strerror(-n));
		else if (n > 0 && ev_uevent_parse(G.buf, n, &u) == EV_UE_OK)
			uevent(&u);
	}
}

static void uevents_start(void)
{
	int fd = ev_uevent_open();

	if (fd < 0)
		bb_error_msg_and_die("uevent socket: %s", strerror(-fd));
	G.in.fd = fd;
	G.in.events = POLLIN;
	G.in.cb = netlink_ready;
	ev_fd_add(&G.in);
	/* opened first: what appears during the walk is not missed */
	ev_coldplug(path_of("/sys"), coldplugged, NULL);
}

/* ---- start ---- */

static void read_params(void)
{
	char *text = ev_cmdline_read();

	/* as evinit reads it; kept: ev_cmdline points into it */
	if (text)
		ev_cmdline_parse(text);
}

int evmount_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evmount_main(int argc UNUSED_PARAM, char **argv)
{
	const char *secs = NULL, *type = NULL, *opts = NULL;
	sigset_t set;
	want_t *w;
	unsigned o;
	int err;

	INIT_G();
	G.in.fd = -1;
	G.rootc_in.fd = -1;
	srandom(monotonic_ns() ^ getpid());
	o = getopt32(argv, "^" "T:t:o:" "\0" "?2", &secs, &type, &opts);
	argv += optind;
	ev_root_from_env();

	read_params();
	ev_client_quiet(ev_cmdline.quiet);
	if (argv[0]) {
		if (!argv[1])
			bb_show_usage();
		add_want("", argv[0], argv[1], argv[1], type, opts);
		G.wants->fsck = 0;
	} else {
		G.mountall = 1;
	}
	/* the deadline: -T, rootwait, rootdelay=/rd.timeout=, the default */
	G.secs = CONFIG_EVMOUNT_TIMEOUT;
	G.secs_why = "the image's default";
	if (o & OPT_T) {
		G.secs = xatou_range(secs, 0, 86400);
		G.secs_why = "-T";
	} else if (ev_cmdline.rootwait) {
		G.secs = 0;
	} else if (ev_cmdline.rootdelay >= 0) {
		G.secs = ev_cmdline.rootdelay;
		G.secs_why = param("rd_timeout") ? "rd.timeout=" : "rootdelay=";
	}

	sigemptyset(&set);
	err = ev_signals(&set, NULL);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	if (ev_client_open("block-device-*\0" "passphrase-*\0" "timeout-*\0" "crypt-*\0" "md-*\0" "lvm-*\0"
			"net-*\0" "nbd-*\0", bus_event) < 0) {
		if (G.mountall && !ev_testing())
			bb_simple_error_msg("no evinit bus: reading the kernel's uevents myself");
	}
	if (G.mountall)
		read_wants();

	for (w = G.wants; w; w = w->next) {
		if (w->sp.kind == EV_SPEC_BAD && !w->net) {
			char reason[512];
			snprintf(reason, sizeof(reason), "%s%s: not a device name", w->from, w->spec);
			fail(w, reason, "a device is named by UUID=, LABEL=, PARTUUID=, PARTLABEL=, /dev/... or MAJOR:MINOR");
		}
		/* a type named in advance: its driver now, not when the device comes */
		if (w->type && !have_fs(w->type) && !fs_module(w->type)) {
			char reason[512];
			snprintf(reason, sizeof(reason), "no driver for filesystem %s (%s%s): module %s is neither"
					" built into the kernel nor in this image (%s)", w->type, w->from,
					w->spec, w->type, moddir() + strlen(ev_root));
			fail(w, reason, "rebuild the image with the module (mkinitramfs -m MODULE), or fix rootfstype=");
		}
	}
	if (G.wants->net || layered())
		net_preload();	/* while the network comes up */
	else if (G.wants->type)
		preload(G.wants->type);

	G.deadline.cb = expired;
	for (w = G.wants; w; w = w->next) {
		if (G.secs)
			say("waiting up to %u s for %s, %s%s", G.secs,
					strcmp(w->dir, "/") == 0 ? "the root" : w->dir, w->from, w->spec);
		else
			say("waiting for %s, %s%s (no deadline)",
					strcmp(w->dir, "/") == 0 ? "the root" : w->dir, w->from, w->spec);
	}
	G.half.cb = half_gone;
	if (G.secs) {
		ev_timer_in(&G.deadline, G.secs * 1000);
		ev_timer_in(&G.half, G.secs * 500);
	}
	if (!ev_client_connected())
		uevents_start();	/* its coldplug may find everything */
	return G.finished ? EXIT_SUCCESS : ev_run();
}
