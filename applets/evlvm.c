/* vi: set sw=4 ts=4: */
/*
 * evlvm: LVM2 logical volumes activated through the static libdevmapper
 * as their physical volumes appear: no lvm binary, no udev.  Each LV made
 * is one more kernel device, so LUKS, md and evmount follow by events.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVLVM
//config:	bool "evlvm (LVM activation; links libdevmapper, ~150 kb without evcrypt)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Reads the LVM2 labels and text metadata of physical volumes as
//config:	they appear (lib/evlvmmeta.c) and makes the device-mapper devices
//config:	of the logical volumes (linear and striped segments) once the
//config:	physical volumes they need are there, with LVM's own names and
//config:	UUIDs.  rd.lvm.vg=, rd.lvm.lv=, rd.lvm=0, rd.lvm.partial=1.
//config:	lvm.conf is not read: no filter, no devices file, no locking,
//config:	no auto_activation_volume_list (say which VGs with rd.lvm.vg=).

//applet:IF_EVLVM(APPLET(evlvm, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVLVM) += evlvm.o

//usage:#define evlvm_trivial_usage
//usage:       "[scan | show DEVICE... | activate VG[/LV] | deactivate VG | version]"
//usage:#define evlvm_full_usage "\n\n"
//usage:       "Activate LVM volumes as their physical volumes appear (the job lvm:\n"
//usage:       "rd.lvm.vg=, rd.lvm.lv=, rd.lvm=0, rd.lvm.partial=1)\n"
//usage:     "\n	scan	The PVs, VGs and LVs of every block device, complete or not"
//usage:     "\n	show	What each DEVICE's label and metadata say"
//usage:     "\n	activate	Make the LVs of VG (or VG/LV) whose PVs are there"
//usage:     "\n	deactivate	Remove the dm devices of VG's LVs"
//usage:     "\n	version	Print the library's and the kernel driver's versions"

#include "libbb.h"
#include "../lib/evlvmmeta.h"
#include "../lib/evloop.h"
#include "../lib/evjob.h"
#include "../lib/evmod.h"
#include "../lib/evpath.h"
#include "../lib/evcmdline.h"
#include "../lib/evnames.h"
#include "../toollib/evclient.h"
#include <libdevmapper.h>
#include <sys/mount.h>		/* BLKGETSIZE64 */
#include <sys/sysmacros.h>
#include <sys/utsname.h>

typedef struct pv {
	struct pv *next;
	char *dev;			/* DEVNAME */
	unsigned major, minor;
	uint64_t sectors;		/* the device's size */
	char id[EV_LVM_ID_STR];
	uint64_t seqno;			/* of the metadata it holds; 0: none */
	int left_out;			/* named, used by no VG */
} pv_t;

enum { L_NONE, L_ACTIVE, L_FAILED, L_TOLD };
typedef struct vg {
	struct vg *next;
	ev_lvm_vg_t *meta;		/* the newest metadata seen */
	char *meta_from;		/* the PV it came from */
	unsigned char *state;		/* per LV of meta: L_* */
} vg_t;

/* rd.lvm.vg=VG, rd.lvm.lv=VG/LV (explicit: only those), and the LVs that
 * root=, the image's fstab and crypttab name (only those in their VG) */
typedef struct wanted {
	struct wanted *next;
	char *vg, *lv;			/* lv NULL: the whole VG */
	const char *from;		/* "rd.lvm.vg=", "root=", ... */
	int explicit, seen;
} wanted_t;

struct globals {
	pv_t *pvs;
	vg_t *vgs;
	wanted_t *wanted;
	int explicit;			/* an rd.lvm.vg= or rd.lvm.lv= given */
	int none;			/* rd.lvm=0 */
	int partial;			/* rd.lvm.partial=1 */
	pid_t loader;			/* dm_mod's loader; -1 once done */
	int hold;			/* reading only: nothing made (scan) */
};
#define G (*ptr_to_globals)
#define INIT_G() do { SET_PTR_TO_GLOBALS(xzalloc(sizeof(G))); } while (0)

#define say(...)  ev_client_say(0, __VA_ARGS__)
#define warn(...) ev_client_say(1, __VA_ARGS__)

/* ---- which LVs ---- */

static void add_wanted(const char *vg, const char *lv, const char *from, int explicit)
{
	wanted_t *w = xzalloc(sizeof(*w));

	w->vg = xstrdup(vg);
	w->lv = lv && *lv ? xstrdup(lv) : NULL;
	w->from = from;
	w->explicit = explicit;
	w->next = G.wanted;
	G.wanted = w;
	G.explicit |= explicit;
}

/* "/dev/VG/LV" or "/dev/mapper/VG-LV" (FROM names it): wanted in its VG. */
static void name_from_path(const char *path, const char *from)
{
	static const char not_vg[] ALIGN1 =
		"disk\0" "md\0" "block\0" "char\0" "bus\0" "input\0" "net\0" "pts\0" "shm\0"
		"snd\0" "dri\0" "cpu\0" "usb\0" "nbd\0" "loop\0" "vfio\0" "hugepages\0" "mqueue\0";
	char vg[128], lv[128];
	const char *p, *slash;

	if (!path || !is_prefixed_with(path, "/dev/"))
		return;
	p = path + 5;
	if (is_prefixed_with(p, "mapper/")) {
		if (ev_lvm_dm_split(p + 7, vg, lv, sizeof(vg)) == 0)
			add_wanted(vg, lv, from, 0);
		return;
	}
	slash = strchr(p, '/');
	if (!slash || strchr(slash + 1, '/') || !slash[1] || (unsigned)(slash - p) >= sizeof(vg))
		return;
	safe_strncpy(vg, p, slash - p + 1);
	if (index_in_strings(not_vg, vg) < 0)
		add_wanted(vg, slash + 1, from, 0);
}

/* FILE's lines: the first field (fstab) or the second (crypttab) */
static void names_in(const char *file, int field)
{
	FILE *f = fopen(ev_path(file), "r");
	char line[1024];

	while (f && fgets(line, sizeof(line), f)) {
		char *tok[2] = { NULL, NULL }, *s = line, *t;
		int n = 0;

		while (n < 2 && (t = strsep(&s, " \t\n")) != NULL)
			if (*t)
				tok[n++] = t;
		if (tok[0] && tok[0][0] != '#' && tok[field])
			name_from_path(tok[field], file);
	}
	if (f)
		fclose(f);
}

static void FAST_FUNC cmdline_word(char *key, char *val, void *ctx UNUSED_PARAM)
{
	if (strcmp(key, "rd.lvm.vg") == 0 && val && *val) {
		add_wanted(val, NULL, "rd.lvm.vg=", 1);
	} else if (strcmp(key, "rd.lvm.lv") == 0 && val && *val) {
		char *slash = strchr(val, '/');

		if (!slash || !slash[1] || strchr(slash + 1, '/')) {
			warn("ignoring rd.lvm.lv=%s: not VG/LV", val);
			return;
		}
		*slash = '\0';
		add_wanted(val, slash + 1, "rd.lvm.lv=", 1);
		*slash = '/';
	} else if (strcmp(key, "rd.lvm") == 0 && val && strcmp(val, "0") == 0) {
		G.none = 1;
	} else if (strcmp(key, "rd.lvm.partial") == 0) {
		G.partial = !val || strcmp(val, "0") != 0;
	}
}

static void read_params(void)
{
	char *text = ev_cmdline_read();

	if (!text)
		bb_die_memory_exhausted();
	ev_cmdline_words(xstrdup(text), cmdline_word, NULL);
	ev_cmdline_parse(text);		/* kept: ev_cmdline points into it */
	name_from_path(ev_cmdline.root, "root=");
	names_in("/etc/fstab", 0);
	names_in("/etc/crypttab", 1);
}

/* Is LV of VG to be made?  0 no, 1 yes. */
static int lv_wanted(const ev_lvm_vg_t *vg, const ev_lvm_lv_t *lv)
{
	wanted_t *w;
	int named_vg = 0;

	if (G.none || !lv->visible)
		return 0;
	for (w = G.wanted; w; w = w->next) {
		if (strcmp(w->vg, vg->name) != 0 || (G.explicit && !w->explicit))
			continue;
		named_vg = 1;
		if (!w->lv)
			return !lv->activation_skip;
		if (strcmp(w->lv, lv->name) == 0)
			return 1;	/* named: even with the skip flag */
	}
	/* explicit names: only those; else a VG the root names: only its LV */
	return !G.explicit && !named_vg && !lv->activation_skip;
}

/* ---- what evmount's rescue names ---- */

static void tell(const char *vg, const char *lv, const char *fmt, ...)
{
	char name[300];
	va_list ap;

	snprintf(name, sizeof(name), "%s%s%s", vg, lv ? "/" : "", lv ? lv : "");
	va_start(ap, fmt);
	ev_client_wantedv(EV_LVM_WANTED, name, fmt, ap);
	va_end(ap);
}

/* ---- device-mapper ---- */

static void preload(void)
{
	struct utsname u;
	char dir[PATH_MAX];

	char state[16];

	/* /sys/module/dm_mod is there from the start of a load (another's):
	 * only "live" is loaded; a load of our own waits for the other */
	if (ev_testing() || G.loader
	 || (open_read_close("/sys/module/dm_mod/initstate", state, sizeof(state)) > 0
	  && is_prefixed_with(state, "live")))
		return;
	uname(&u);
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	G.loader = fork();
	if (G.loader == 0)
		_exit(ev_mod_child(dir, "dm_mod", 0));
	if (G.loader < 0)
		G.loader = 0;
}

static void load_dm(void)
{
	preload();
	if (G.loader > 0)
		waitpid(G.loader, NULL, 0);
	G.loader = -1;
}

static pv_t *find_pv(const char *id)
{
	pv_t *p;

	for (p = G.pvs; p; p = p->next)
		if (!p->left_out && strcmp(p->id, id) == 0)
			return p;
	return NULL;
}

/* The table of LV: one line per segment into BUF; -1 (WHY) when it needs
 * a PV that is not there, or is no linear or striped LV. */
static int table(const ev_lvm_vg_t *vg, const ev_lvm_lv_t *lv, char *buf, unsigned size,
		char *why, unsigned whylen)
{
	unsigned i, k, n = 0;

	buf[0] = '\0';
	for (i = 0; i < lv->nsegs && n < size; i++) {
		const ev_lvm_seg_t *s = &lv->segs[i];

		if (s->type == EV_LVM_OTHER) {
			snprintf(why, whylen, "segment %u is of type %s: evlvm makes linear and "
					"striped LVs only", i + 1, s->type_name);
			return -1;
		}
		n += snprintf(buf + MIN(n, size), size > n ? size - n : 0, "%llu %llu %s",
				(unsigned long long)(s->start_extent * vg->extent_size),
				(unsigned long long)(s->extent_count * vg->extent_size),
				s->stripe_count > 1 ? "striped" : "linear");
		if (s->stripe_count > 1)
			n += snprintf(buf + MIN(n, size), size > n ? size - n : 0, " %u %llu", s->stripe_count,
					(unsigned long long)s->stripe_size);
		for (k = 0; k < s->stripe_count; k++) {
			const ev_lvm_pvent_t *e = &vg->pvs[s->areas[k].pv];
			pv_t *p = find_pv(e->id);

			if (!p) {
				snprintf(why, whylen, "PV %s (%s) is missing", e->id, e->name);
				return -1;
			}
			n += snprintf(buf + MIN(n, size), size > n ? size - n : 0, " %u:%u %llu", p->major, p->minor,
					(unsigned long long)(e->pe_start + s->areas[k].extent * vg->extent_size));
		}
		n += snprintf(buf + MIN(n, size), size > n ? size - n : 0, "\n");
	}
	if (n >= size) {
		snprintf(why, whylen, "its table has more than %u bytes", size);
		return -1;
	}
	return 0;
}

/* Make the dm device NAME (UUID) with the lines of TABLE. */
static int dm_create(const char *name, const char *uuid, char *tab, int ro, char *why, unsigned whylen)
{
	struct dm_task *t;
	char *line, *next;
	int ok = 0;

	load_dm();
	t = dm_task_create(DM_DEVICE_CREATE);
	if (!t || !dm_task_set_name(t, name) || !dm_task_set_uuid(t, uuid)
	 || (ro && !dm_task_set_ro(t)))
		goto out;
	for (line = tab; *line; line = next) {
		unsigned long long start, len;
		char type[16];
		int off = 0;

		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (sscanf(line, "%llu %llu %15s %n", &start, &len, type, &off) < 3 || !off
		 || !dm_task_add_target(t, start, len, type, line + off))
			goto out;
	}
	ok = dm_task_run(t);
	if (ok)
		dm_task_update_nodes();
 out:
	if (!ok)
		snprintf(why, whylen, "device-mapper refused it (%s)", errno ? strerror(errno) : "see above");
	if (t)
		dm_task_destroy(t);
	return ok ? 0 : -1;
}

static int dm_exists(const char *name)
{
	struct dm_task *t;
	struct dm_info info;
	int yes = 0;

	/* libdevmapper's first call opens /dev/mapper/control: a failure
	 * there (dm_mod not loaded yet) stays with it for good */
	load_dm();
	t = dm_task_create(DM_DEVICE_INFO);

	if (t && dm_task_set_name(t, name) && dm_task_run(t) && dm_task_get_info(t, &info))
		yes = info.exists;
	if (t)
		dm_task_destroy(t);
	return yes;
}

static void link_lv(const char *vg, const char *lv, const char *dmname)
{
	char path[PATH_MAX], target[PATH_MAX];

	snprintf(path, sizeof(path), "/dev/%s", vg);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "/dev/%s/%s", vg, lv);
	snprintf(target, sizeof(target), "../mapper/%s", dmname);
	unlink(path);
	if (symlink(target, path) < 0)
		warn("cannot link %s: %s", path, strerror(errno));
}

/* ---- a VG ---- */

/* LV of V made (or said why not). */
static void activate(vg_t *v, unsigned i)
{
	ev_lvm_vg_t *vg = v->meta;
	ev_lvm_lv_t *lv = &vg->lvs[i];
	char name[300], uuid[80], why[256], kv[2][PATH_MAX], *tab;
	unsigned k, size = 64;
	int err = 0;

	for (k = 0; k < lv->nsegs; k++)	/* a line a segment, a device a stripe */
		size += 64 + 48 * lv->segs[k].stripe_count;
	tab = xmalloc(size);

	if (!ev_lvm_dm_name(vg->name, lv->name, name, sizeof(name))
	 || !ev_lvm_dm_uuid(vg->id, lv->id, uuid, sizeof(uuid))) {
		snprintf(why, sizeof(why), "its dm name or uuid is too long");
		err = -1;
	}
	if (!err)
		err = table(vg, lv, tab, size, why, sizeof(why));
	if (err) {
		v->state[i] = L_FAILED;
		warn("%s/%s: not activated: %s", vg->name, lv->name, why);
		tell(vg->name, lv->name, "LV %s/%s: not activated: %s", vg->name, lv->name, why);
		free(tab);
		return;
	}
	if (ev_testing()) {
		char *nl;

		while ((nl = strchr(tab, '\n')) != NULL && nl[1])
			*nl = ';';	/* one line: "line; line" */
		say("would activate %s/%s as %s (%s%s): %.*s", vg->name, lv->name, name, uuid,
				lv->write ? "" : ", read-only", (int)strlen(tab) - 1, tab);
	} else if (dm_exists(name)) {
		say("%s/%s is active already (/dev/mapper/%s)", vg->name, lv->name, name);
	} else if (dm_create(name, uuid, tab, !lv->write, why, sizeof(why)) < 0) {
		free(tab);
		v->state[i] = L_FAILED;
		warn("%s/%s: not activated: %s", vg->name, lv->name, why);
		tell(vg->name, lv->name, "LV %s/%s: not activated: %s", vg->name, lv->name, why);
		return;
	} else {
		link_lv(vg->name, lv->name, name);
		say("activated %s/%s as /dev/mapper/%s (%llu MiB)", vg->name, lv->name, name,
				(unsigned long long)(lv->extents * vg->extent_size / 2048));
	}
	free(tab);
	v->state[i] = L_ACTIVE;
	snprintf(kv[0], sizeof(kv[0]), "NAME=%s/%s", vg->name, lv->name);
	snprintf(kv[1], sizeof(kv[1]), "DEVNAME=/dev/mapper/%s", name);
	ev_client_emit(EV_LVM_ACTIVATED, kv[0], kv[1], NULL);
}

/* Which PVs of V are missing: their ids into BUF; how many. */
static unsigned missing(const vg_t *v, char *buf, unsigned size)
{
	unsigned i, n = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < v->meta->npvs; i++) {
		if (find_pv(v->meta->pvs[i].id))
			continue;
		n++;
		if (len + EV_LVM_ID_STR + 2 < size)
			len += sprintf(buf + len, "%s%s", len ? ", " : "", v->meta->pvs[i].id);
	}
	return n;
}

/* Does LV lie on present PVs only? */
static int lv_present(const ev_lvm_vg_t *vg, const ev_lvm_lv_t *lv)
{
	unsigned i, k;

	for (i = 0; i < lv->nsegs; i++)
		for (k = 0; k < lv->segs[i].stripe_count; k++)
			if (!find_pv(vg->pvs[lv->segs[i].areas[k].pv].id))
				return 0;
	return 1;
}

/* Look at V again: the LVs that can be made, made; the rest told. */
static void consider(vg_t *v)
{
	ev_lvm_vg_t *vg = v->meta;
	char miss[512];
	unsigned i, nmiss = missing(v, miss, sizeof(miss));
	wanted_t *w;

	if (G.hold)
		return;
	for (w = G.wanted; w; w = w->next) {
		if (strcmp(w->vg, vg->name) != 0)
			continue;
		if (!w->seen && !w->lv) {	/* the VG is here: its LVs say the rest */
			char kv[160];

			snprintf(kv, sizeof(kv), "NAME=%s", w->vg);
			ev_client_emit(EV_LVM_ACTIVATED, kv, NULL);
		}
		w->seen = w->seen ? w->seen : 1;
		if (!w->lv)
			continue;
		for (i = 0; i < vg->nlvs && strcmp(vg->lvs[i].name, w->lv) != 0; i++)
			continue;
		if (i == vg->nlvs && w->seen != 2) {
			w->seen = 2;
			warn("%s%s/%s: VG %s has no LV %s", w->from, w->vg, w->lv, vg->name, w->lv);
			tell(w->vg, w->lv, "%s%s/%s: VG %s has no such LV", w->from, w->vg, w->lv, vg->name);
		} else if (i < vg->nlvs && !vg->lvs[i].visible && w->seen != 2) {
			w->seen = 2;
			warn("%s%s/%s: LV %s/%s is hidden (a part of another LV): not activated", w->from,
					w->vg, w->lv, w->vg, w->lv);
			tell(w->vg, w->lv, "%s%s/%s: LV %s/%s is hidden (a part of another LV): not activated",
					w->from, w->vg, w->lv, w->vg, w->lv);
		}
	}
	for (i = 0; i < vg->nlvs; i++) {
		ev_lvm_lv_t *lv = &vg->lvs[i];

		if (v->state[i] == L_ACTIVE || v->state[i] == L_FAILED)
			continue;
		if (!lv_wanted(vg, lv)) {
			if (G.none && lv->visible && v->state[i] != L_TOLD) {
				v->state[i] = L_TOLD;
				tell(vg->name, lv->name, "LV %s/%s: not activated (rd.lvm=0)", vg->name, lv->name);
			}
			continue;
		}
		if (nmiss == 0 || (G.partial && lv_present(vg, lv))) {
			if (nmiss)
				say("%s/%s: activated with VG %s partial (rd.lvm.partial=1): missing PV %s",
						vg->name, lv->name, vg->name, miss);
			activate(v, i);
			continue;
		}
		tell(vg->name, lv->name, "VG %s: %u of %u PVs, missing PV %s%s", vg->name,
				vg->npvs - nmiss, vg->npvs, miss, lv_present(vg, lv)
				? " (the LV lies on the present ones: rd.lvm.partial=1 activates it)" : "");
	}
}

/* Does P hold the extents V's metadata gives it?  If not, it is left out
 * (named). */
static int pv_fits(vg_t *v, pv_t *p)
{
	int i = ev_lvm_find_pv(v->meta, p->id);
	uint64_t end;

	if (i < 0 || p->left_out)
		return i >= 0 && !p->left_out;
	end = v->meta->pvs[i].pe_start + v->meta->pvs[i].pe_count * v->meta->extent_size;
	if (p->sectors >= end)
		return 1;
	warn("%s: PV %s of VG %s ends at sector %llu, the metadata's extents at %llu: left out",
			p->dev, p->id, v->meta->name, (unsigned long long)p->sectors, (unsigned long long)end);
	p->left_out = 1;
	return 0;
}

/* New metadata META (from DEV) for its VG: the newer seqno wins. */
static vg_t *take_meta(ev_lvm_vg_t *meta, const char *dev)
{
	vg_t *v;
	pv_t *p;
	unsigned i, j;

	for (v = G.vgs; v; v = v->next) {
		if (strcmp(v->meta->id, meta->id) == 0)
			break;
		if (strcmp(v->meta->name, meta->name) == 0) {
			warn("%s: its metadata names VG %s with id %s, %s's VG %s has id %s: "
					"two VGs of one name, %s's left alone", dev, meta->name, meta->id,
					v->meta_from, v->meta->name, v->meta->id, dev);
			ev_lvm_free(meta);
			return NULL;
		}
	}
	if (v && meta->seqno == v->meta->seqno) {
		ev_lvm_free(meta);
		return v;
	}
	if (v && meta->seqno < v->meta->seqno) {
		warn("VG %s: %s holds older metadata (seqno %llu) than %s (seqno %llu): the newer is used",
				meta->name, dev, (unsigned long long)meta->seqno, v->meta_from,
				(unsigned long long)v->meta->seqno);
		ev_lvm_free(meta);
		return v;
	}
	if (v) {
		unsigned char *state = xzalloc(meta->nlvs + 1);

		warn("VG %s: %s holds newer metadata (seqno %llu) than %s (seqno %llu): the newer is used",
				meta->name, dev, (unsigned long long)meta->seqno, v->meta_from,
				(unsigned long long)v->meta->seqno);
		/* what was made stays made, by name */
		for (i = 0; i < meta->nlvs; i++)
			for (j = 0; j < v->meta->nlvs; j++)
				if (strcmp(meta->lvs[i].name, v->meta->lvs[j].name) == 0)
					state[i] = v->state[j];
		ev_lvm_free(v->meta);
		free(v->state);
		free(v->meta_from);
		v->state = state;
	} else {
		v = xzalloc(sizeof(*v));
		v->state = xzalloc(meta->nlvs + 1);
		v->next = G.vgs;
		G.vgs = v;
	}
	v->meta = meta;
	v->meta_from = xstrdup(dev);
	for (p = G.pvs; p; p = p->next)	/* the PVs seen before it */
		pv_fits(v, p);
	return v;
}

/* ---- a PV ---- */

/* DEV's label and metadata read: 0, or -1 with the reason said. */
static int read_pv(const char *dev, ev_lvm_label_t *l, ev_lvm_vg_t **meta, uint64_t *bytes)
{
	char why[256], *text = NULL;
	struct stat st;
	size_t len;
	uint64_t size = 0;
	int fd = open(ev_path(dev), O_RDONLY | O_CLOEXEC), err;

	*meta = NULL;
	if (fd < 0) {
		warn("%s: %s", dev, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size) < 0)) {
		warn("%s: %s", dev, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISBLK(st.st_mode))
		size = st.st_size;
	*bytes = size;
	err = ev_lvm_read_label(fd, size, l, why, sizeof(why));
	if (err) {
		warn("%s: no usable LVM2 label: %s", dev, err == -EINVAL ? why
				: err == -ENOENT ? "none found" : strerror(-err));
		close(fd);
		return -1;
	}
	err = ev_lvm_read_text(fd, size, l, &text, &len, why, sizeof(why));
	close(fd);
	if (err == -ENOENT)
		return 0;	/* no metadata here: its VG's other PVs have it */
	if (err) {
		warn("PV %s (%s): its metadata is unusable: %s", dev, l->pv_uuid,
				err == -EINVAL ? why : strerror(-err));
		return -1;
	}
	if (why[0])
		warn("PV %s (%s): %s", dev, l->pv_uuid, why);
	*meta = ev_lvm_parse(text, len, why, sizeof(why));
	free(text);
	if (!*meta) {
		warn("PV %s (%s): its metadata is refused: %s", dev, l->pv_uuid, why);
		return -1;
	}
	return 0;
}

/* A PV that appeared (DEV, device number MAJ:MIN). */
static void pv_added(const char *dev, unsigned maj, unsigned min)
{
	ev_lvm_label_t l;
	ev_lvm_vg_t *meta;
	uint64_t bytes;
	pv_t *p;
	vg_t *v;

	for (p = G.pvs; p; p = p->next)
		if (strcmp(p->dev, dev) == 0)
			return;		/* seen (a change event) */
	preload();
	if (read_pv(dev, &l, &meta, &bytes) < 0)
		return;
	for (p = G.pvs; p && strcmp(p->id, l.pv_uuid) != 0; p = p->next)
		continue;
	if (p) {
		warn("%s: PV %s, the same as %s's: %s left alone", dev, l.pv_uuid, p->dev, dev);
		ev_lvm_free(meta);
		return;
	}
	p = xzalloc(sizeof(*p));
	p->dev = xstrdup(dev);
	p->major = maj;
	p->minor = min;
	p->sectors = bytes / 512;
	safe_strncpy(p->id, l.pv_uuid, sizeof(p->id));
	p->seqno = meta ? meta->seqno : 0;
	p->next = G.pvs;
	G.pvs = p;
	if (meta) {
		char vgid[EV_LVM_ID_STR];

		say("%s: PV %s of VG %s (seqno %llu)", dev, p->id, meta->name,
				(unsigned long long)meta->seqno);
		safe_strncpy(vgid, meta->id, sizeof(vgid));
		if (!take_meta(meta, dev)) {
			p->left_out = 1;	/* its VG clashes: no other may use it */
			return;
		}
		/* only its own VG: another VG's metadata listing its id lies */
		for (v = G.vgs; v; v = v->next)
			if (strcmp(v->meta->id, vgid) == 0 && pv_fits(v, p))
				consider(v);
		return;
	} else {
		say("%s: PV %s (no metadata on it)", dev, p->id);
	}
	/* its VG (by the PV's id, if its metadata is elsewhere) */
	for (v = G.vgs; v; v = v->next)
		if (pv_fits(v, p))
			consider(v);
}

static void FAST_FUNC bus_event(char **ev)
{
	const char *type, *dev;

	if (!ev)
		exit(EXIT_SUCCESS);	/* the switch: our work is done */
	type = ev_event_get(ev, "ID_FS_TYPE");
	dev = ev_event_get(ev, "DEVNAME");
	if (type && dev && strcmp(type, "LVM2_member") == 0) {
		const char *ma = ev_event_get(ev, "MAJOR"), *mi = ev_event_get(ev, "MINOR");
		unsigned maj = ma ? bb_strtou(ma, NULL, 10) : 0, min;

		if (ma && !errno)
			min = mi ? bb_strtou(mi, NULL, 10) : 0;
		if (!ma || !mi || errno) {
			warn("%s: MAJOR=%s MINOR=%s is no device number: skipped", dev, ma ? : "(none)",
					mi ? : "(none)");
			return;
		}
		pv_added(dev, maj, min);
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
	if (G.none)
		say("rd.lvm=0: no LVM volumes are activated");
	sigemptyset(&set);
	err = ev_signals(&set, NULL);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	ev_client_join(EV_BLOCK_ADDED "\0" EV_BLOCK_CHANGED "\0", bus_event, "evlvm scan");
	for (w = G.none ? NULL : G.wanted; w; w = w->next)
		if (w->explicit)
			tell(w->vg, w->lv, "%s%s%s%s: no PV of VG %s seen", w->from, w->vg,
					w->lv ? "/" : "", w->lv ? w->lv : "", w->vg);
	return ev_run();
}

/* ---- standalone ---- */

/* Every block device read as the job would (no bus: said on stderr). */
static void scan_all(void)
{
	DIR *d = opendir("/sys/class/block");
	struct dirent *e;

	if (!d)
		bb_perror_msg_and_die("/sys/class/block");
	G.hold = 1;
	while ((e = readdir(d)) != NULL) {
		char dev[PATH_MAX];
		struct stat st;
		int fd;

		if (DOT_OR_DOTDOT(e->d_name))
			continue;
		snprintf(dev, sizeof(dev), "/dev/%s", e->d_name);
		fd = open(dev, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0)
			continue;
		/* only devices with a label: the others stay quiet */
		if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) {
			ev_lvm_label_t l;
			uint64_t size = 0;

			if (ioctl(fd, BLKGETSIZE64, &size) == 0
			 && ev_lvm_read_label(fd, size, &l, NULL, 0) == 0) {
				close(fd);
				pv_added(dev, major(st.st_rdev), minor(st.st_rdev));
				continue;
			}
		}
		close(fd);
	}
	closedir(d);
	G.hold = 0;
}

static int scan_main(void)
{
	vg_t *v;
	pv_t *p;

	scan_all();
	for (p = G.pvs; p; p = p->next)
		printf("PV %s %s%s\n", p->dev, p->id[0] ? p->id : "(left out)", p->seqno ? "" : ", no metadata");
	for (v = G.vgs; v; v = v->next) {
		char miss[512];
		unsigned i, n = missing(v, miss, sizeof(miss));

		printf("VG %s %s: %u of %u PVs%s%s, seqno %llu\n", v->meta->name, v->meta->id,
				v->meta->npvs - n, v->meta->npvs, n ? ", missing " : ", complete", miss,
				(unsigned long long)v->meta->seqno);
		for (i = 0; i < v->meta->nlvs; i++) {
			ev_lvm_lv_t *lv = &v->meta->lvs[i];
			char name[300];

			printf("LV %s/%s %llu MiB, %u segment%s%s%s%s%s\n", v->meta->name, lv->name,
					(unsigned long long)(lv->extents * v->meta->extent_size / 2048), lv->nsegs,
					lv->nsegs == 1 ? "" : "s",
					lv->nsegs && lv->segs[0].type == EV_LVM_OTHER ? ", " : "",
					lv->nsegs && lv->segs[0].type == EV_LVM_OTHER ? lv->segs[0].type_name : "",
					lv->visible ? "" : ", hidden",
					ev_lvm_dm_name(v->meta->name, lv->name, name, sizeof(name)) && dm_exists(name)
						? ", active" : "");
		}
	}
	return EXIT_SUCCESS;
}

static int show_main(char **argv)
{
	int rc = EXIT_SUCCESS;

	for (; *argv; argv++) {
		ev_lvm_label_t l;
		ev_lvm_vg_t *vg;
		uint64_t bytes;
		unsigned i, s, k;

		if (read_pv(*argv, &l, &vg, &bytes) < 0) {
			rc = EXIT_FAILURE;
			continue;
		}
		printf("%s: PV %s, label in sector %llu, %u metadata area%s\n", *argv, l.pv_uuid,
				(unsigned long long)l.label_sector, l.n_mda, l.n_mda == 1 ? "" : "s");
		if (!vg)
			continue;
		printf("VG %s id %s seqno %llu extent_size %llu\n", vg->name, vg->id,
				(unsigned long long)vg->seqno, (unsigned long long)vg->extent_size);
		for (i = 0; i < vg->npvs; i++)
			printf("  %s %s pe_start %llu pe_count %llu%s%s\n", vg->pvs[i].name, vg->pvs[i].id,
					(unsigned long long)vg->pvs[i].pe_start,
					(unsigned long long)vg->pvs[i].pe_count,
					vg->pvs[i].device[0] ? " device " : "", vg->pvs[i].device);
		for (i = 0; i < vg->nlvs; i++) {
			ev_lvm_lv_t *lv = &vg->lvs[i];

			printf("  LV %s id %s%s%s%s\n", lv->name, lv->id, lv->visible ? "" : " hidden",
					lv->write ? "" : " read-only", lv->activation_skip ? " activation-skip" : "");
			for (s = 0; s < lv->nsegs; s++) {
				ev_lvm_seg_t *g = &lv->segs[s];

				printf("    segment %llu+%llu %s", (unsigned long long)g->start_extent,
						(unsigned long long)g->extent_count, g->type_name);
				for (k = 0; k < g->stripe_count; k++)
					printf(" %s:%llu", vg->pvs[g->areas[k].pv].name,
							(unsigned long long)g->areas[k].extent);
				printf("\n");
			}
		}
		ev_lvm_free(vg);
	}
	return rc;
}

/* evlvm activate VG[/LV]: what its present PVs allow, made. */
static int activate_main(char *which)
{
	char *slash = strchr(which, '/');
	vg_t *v;
	unsigned i, made = 0, failed = 0;

	if (slash)
		*slash++ = '\0';
	add_wanted(which, slash, slash ? "rd.lvm.lv=" : "rd.lvm.vg=", 1);
	scan_all();
	for (v = G.vgs; v && strcmp(v->meta->name, which) != 0; v = v->next)
		continue;
	if (!v)
		bb_error_msg_and_die("no PV of VG %s found", which);
	consider(v);
	for (i = 0; i < v->meta->nlvs; i++) {
		made += v->state[i] == L_ACTIVE;
		failed += v->state[i] == L_FAILED;
	}
	if (!made && !failed) {
		char miss[512];

		bb_error_msg_and_die("VG %s: nothing to activate%s%s", which,
				missing(v, miss, sizeof(miss)) ? ": missing PV " : "", miss);
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* evlvm deactivate VG: its LVs' dm devices removed. */
static int deactivate_main(const char *which)
{
	vg_t *v;
	unsigned i;
	int rc = EXIT_SUCCESS;

	scan_all();
	for (v = G.vgs; v && strcmp(v->meta->name, which) != 0; v = v->next)
		continue;
	if (!v)
		bb_error_msg_and_die("no PV of VG %s found", which);
	for (i = 0; i < v->meta->nlvs; i++) {
		char name[300], path[PATH_MAX];
		struct dm_task *t;

		if (!ev_lvm_dm_name(v->meta->name, v->meta->lvs[i].name, name, sizeof(name)) || !dm_exists(name))
			continue;
		t = dm_task_create(DM_DEVICE_REMOVE);
		if (!t || !dm_task_set_name(t, name) || !dm_task_run(t)) {
			bb_error_msg("%s/%s: cannot remove /dev/mapper/%s (in use?)", which,
					v->meta->lvs[i].name, name);
			rc = EXIT_FAILURE;
		} else {
			dm_task_update_nodes();
			snprintf(path, sizeof(path), "/dev/%s/%s", which, v->meta->lvs[i].name);
			unlink(path);
			printf("deactivated %s/%s\n", which, v->meta->lvs[i].name);
		}
		if (t)
			dm_task_destroy(t);
	}
	return rc;
}

static int version_main(void)
{
	char lib[64], drv[64];

	if (!dm_get_library_version(lib, sizeof(lib)))
		strcpy(lib, "unknown");
	printf("libdevmapper %s\n", lib);
	/* no device-mapper in this kernel is an answer, not a failure */
	if (dm_driver_version(drv, sizeof(drv)))
		printf("driver %s\n", drv);
	else
		printf("driver none (no device-mapper in this kernel)\n");
	return EXIT_SUCCESS;
}

int evlvm_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evlvm_main(int argc UNUSED_PARAM, char **argv)
{
	static const char cmds[] ALIGN1 = "scan\0" "show\0" "activate\0" "deactivate\0" "version\0";
	int cmd = argv[1] ? index_in_strings(cmds, argv[1]) : -1;

	INIT_G();
	/* no udev here: libdevmapper makes the /dev/mapper nodes itself */
	dm_udev_set_sync_support(0);
	dm_log_init_verbose(0);
	if (!argv[1])
		return daemon_main();
	if (cmd < 0 || (cmd == 1 && !argv[2]) || ((cmd == 2 || cmd == 3) && (!argv[2] || argv[3]))
	 || ((cmd == 0 || cmd == 4) && argv[2]))
		bb_show_usage();
	switch (cmd) {
	case 0: return scan_main();
	case 1: return show_main(argv + 2);
	case 2: return activate_main(argv[2]);
	case 3: return deactivate_main(argv[2]);
	}
	return version_main();
}
