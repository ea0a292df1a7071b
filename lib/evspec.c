/* vi: set sw=4 ts=4: */
/*
 * evbox: device specs as fstab, crypttab and root= write them (UUID=,
 * LABEL=, PARTUUID=, PARTLABEL=, /dev/..., /dev/disk/by-*, MAJ:MIN or the
 * kernel's hex), matched against block-device-* events: the keys evinit's
 * device manager puts there, so nothing is probed again.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evspec.o

#include "libbb.h"
#include "evbus.h"
#include "evspec.h"

/* the prefixes (and /dev/disk/by-* directories) of the first four kinds,
 * and the event keys they are compared with */
static const char spec_prefix[] ALIGN1 = "UUID=\0" "LABEL=\0" "PARTUUID=\0" "PARTLABEL=\0";
static const char spec_dir[] ALIGN1 = "/dev/disk/by-uuid/\0" "/dev/disk/by-label/\0"
	"/dev/disk/by-partuuid/\0" "/dev/disk/by-partlabel/\0";
static const char spec_key[] ALIGN1 = "ID_FS_UUID\0" "ID_FS_LABEL_ENC\0"
	"ID_PART_ENTRY_UUID\0" "ID_PART_ENTRY_NAME\0";

void FAST_FUNC ev_unhex(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && isxdigit(s[2]) && isxdigit(s[3])) {
			char hex[3] = { s[2], s[3], '\0' };
			*d++ = strtoul(hex, NULL, 16);
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

int FAST_FUNC ev_spec_parse(const char *s, ev_spec_t *sp)
{
	const char *p;
	int i;

	memset(sp, 0, sizeof(*sp));
	sp->kind = EV_SPEC_BAD;
	i = 0;
	for (p = spec_prefix; *p; p += strlen(p) + 1, i++) {
		if (is_prefixed_with(s, p)) {
			size_t n;

			sp->value = strdup(s + strlen(p));
			if (!sp->value)
				return -ENOMEM;
			sp->kind = i;
			/* UUID="..." as blkid prints it; a lone '"' is no pair */
			n = strlen(sp->value);
			if (n >= 2 && sp->value[0] == '"' && sp->value[n - 1] == '"') {
				memmove(sp->value, sp->value + 1, n - 2);
				sp->value[n - 2] = '\0';
			}
			return 0;
		}
	}
	i = 0;
	for (p = spec_dir; *p; p += strlen(p) + 1, i++) {
		if (is_prefixed_with(s, p) && s[strlen(p)]) {
			sp->value = strdup(s + strlen(p));
			if (!sp->value)
				return -ENOMEM;
			sp->kind = i;
			ev_unhex(sp->value);
			return 0;
		}
	}
	if (s[0] == '/') {
		sp->value = strdup(s);
		if (!sp->value)
			return -ENOMEM;
		sp->kind = EV_SPEC_PATH;
		return 0;
	}
	/* the kernel's forms: MAJ:MIN in decimal, or hex new_encode_dev() */
	if (strchr(s, ':')) {
		if (sscanf(s, "%u:%u", &sp->major, &sp->minor) == 2)
			sp->kind = EV_SPEC_DEVNO;
	} else if (*s && s[strspn(s, "0123456789abcdefABCDEF")] == '\0' && strlen(s) <= 8) {
		unsigned long v = strtoul(s, NULL, 16);
		sp->major = (v & 0xfff00) >> 8;
		sp->minor = (v & 0xff) | ((v >> 12) & 0xfff00);
		sp->kind = EV_SPEC_DEVNO;
	}
	return sp->kind == EV_SPEC_BAD ? -EINVAL : 0;
}

/* Are ROOT A and ROOT B the same file (two names of one device node)? */
static int same_file(const char *root, const char *a, const char *b)
{
	struct stat sa, sb;
	char pa[PATH_MAX], pb[PATH_MAX];

	snprintf(pa, sizeof(pa), "%s%s", root, a);
	snprintf(pb, sizeof(pb), "%s%s", root, b);
	if (stat(pa, &sa) < 0 || stat(pb, &sb) < 0)
		return 0;
	if (S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode))
		return sa.st_rdev == sb.st_rdev;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* /dev/mapper/NAME by the event's DM_NAME, /dev/VG/LV by its DM_VG_NAME
 * and DM_LV_NAME: the links to a dm device may come after its event. */
static int dm_path(const char *path, char **ev)
{
	const char *name = ev_event_get(ev, "DM_NAME");
	const char *vg = ev_event_get(ev, "DM_VG_NAME"), *lv = ev_event_get(ev, "DM_LV_NAME");
	unsigned n;

	if (!name || !is_prefixed_with(path, "/dev/"))
		return 0;
	path += 5;
	if (is_prefixed_with(path, "mapper/"))
		return strcmp(path + 7, name) == 0;
	if (!vg || !lv)
		return 0;
	n = strlen(vg);
	return strncmp(path, vg, n) == 0 && path[n] == '/' && strcmp(path + n + 1, lv) == 0;
}

int FAST_FUNC ev_spec_match(const ev_spec_t *sp, char **ev, const char *root)
{
	const char *devname = ev_event_get(ev, "DEVNAME");
	const char *v;
	char *dec;
	int yes;

	if (!devname)
		return 0;
	switch (sp->kind) {
	case EV_SPEC_UUID:
	case EV_SPEC_PARTUUID:
		v = ev_event_get(ev, nth_string(spec_key, sp->kind));
		return v && strcasecmp(v, sp->value) == 0;
	case EV_SPEC_LABEL:
	case EV_SPEC_PARTLABEL:
		v = ev_event_get(ev, nth_string(spec_key, sp->kind));
		if (!v)
			return 0;
		dec = strdup(v);
		if (!dec)
			return 0;
		ev_unhex(dec);
		yes = strcmp(dec, sp->value) == 0;
		free(dec);
		return yes;
	case EV_SPEC_PATH:
		return strcmp(devname, sp->value) == 0 || dm_path(sp->value, ev)
			|| same_file(root, sp->value, devname);
	case EV_SPEC_DEVNO:
		v = ev_event_get(ev, "MAJOR");
		if (!v || bb_strtou(v, NULL, 10) != sp->major)
			return 0;
		v = ev_event_get(ev, "MINOR");
		return v && bb_strtou(v, NULL, 10) == sp->minor;
	}
	return 0;
}
