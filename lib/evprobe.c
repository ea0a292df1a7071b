/* vi: set sw=4 ts=4: */
/*
 * evbox block device prober (see evprobe.h).
 *
 * Order, as blkid's: RAID members first (md, then LVM2), then LUKS, then
 * filesystems, the first match wins.  A member of an md array whose
 * superblock sits at the end (0.90, 1.0) also shows the filesystem inside
 * it at offset 0: blkid reports the member, and so do we; a LUKS header
 * covers the start of its device, so a filesystem signature beside it can
 * only be stale.  Partition tables are looked for independently (an
 * isohybrid image is an iso9660 filesystem and a dos table).
 *
 * Every read goes through rd(), which refuses a range outside the device;
 * every offset or count taken from the disk is checked before it is used.
 * One stack buffer serves all our own probes; volume_id allocates its own
 * (it is BusyBox's, with xmalloc: a failed allocation there ends the
 * process).  So this file's one exception to lib/'s rule: it may die, and
 * runs only where that is allowed: evinit's probe children (evdev.c), the
 * one-shot tools, evtest.  PID 1 itself never calls it.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVPROBE
//config:	bool
//config:	select EVMD
//config:	select VOLUMEID
//config:	select FEATURE_VOLUMEID_EXT
//config:	select FEATURE_VOLUMEID_BTRFS
//config:	select FEATURE_VOLUMEID_XFS
//config:	select FEATURE_VOLUMEID_F2FS
//config:	select FEATURE_VOLUMEID_FAT
//config:	select FEATURE_VOLUMEID_EXFAT
//config:	select FEATURE_VOLUMEID_ISO9660
//config:	select FEATURE_VOLUMEID_LINUXSWAP
//config:	help
//config:	The block device prober of evinit's device manager: filesystems
//config:	(through volume_id), LUKS, md members, LVM2 PVs, GPT and MBR.
//config:	Selected by the applets that use it; nothing to choose here.

//kbuild:lib-$(CONFIG_EVPROBE) += evprobe.o

#include "libbb.h"
#include "evprobe.h"
/* our applets sit at evbox/applets/ in the BusyBox tree */
#include "../../util-linux/volume_id/volume_id_internal.h"
#include <sys/mount.h>	/* BLKSSZGET, BLKGETSIZE64 */

#define BUFSZ		4096	/* the one buffer: an md superblock, a sector */
#define GPT_MAX_TABLE	(4 * 1024 * 1024)	/* as the kernel can allocate */
#define EBR_MAX		256	/* logical partitions: the kernel's limit */

static const char hexdig[] ALIGN1 = "0123456789abcdef";

static uint32_t get16(const uint8_t *b, int big)
{
	return big ? (b[0] << 8 | b[1]) : (b[1] << 8 | b[0]);
}
static uint32_t get32(const uint8_t *b, int big)
{
	return big ? ((uint32_t)get16(b, 1) << 16 | get16(b + 2, 1))
		: ((uint32_t)get16(b + 2, 0) << 16 | get16(b, 0));
}
static uint64_t get64(const uint8_t *b, int big)
{
	return big ? ((uint64_t)get32(b, 1) << 32 | get32(b + 4, 1))
		: ((uint64_t)get32(b + 4, 0) << 32 | get32(b, 0));
}
#define le32(b) get32(b, 0)
#define le64(b) get64(b, 0)

/* Read LEN bytes at OFF.  Returns 0; 1 when the range is not all on the
 * device (or the file ends early): nothing there to recognise; -errno. */
static int rd(int fd, uint64_t size, uint64_t off, void *buf, unsigned len)
{
	unsigned got = 0;
	ssize_t n;

	if (off > size || len > size - off)
		return 1;
	while (got < len) {
		n = pread(fd, (char *)buf + got, len - got, off + got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return 1;
		got += n;
	}
	return 0;
}

/* CRC-32 as GPT (~crc(~0, ...)) and LVM (crc(0xf597a6cf, ...)) use it:
 * reflected, polynomial 0x04c11db7. */
static uint32_t crc32_upd(uint32_t c, const uint8_t *p, unsigned n)
{
	unsigned i;

	while (n--) {
		c ^= *p++;
		for (i = 0; i < 8; i++)
			c = (c >> 1) ^ (0xedb88320 & -(c & 1));
	}
	return c;
}

/* An on-disk string of at most LEN bytes (maybe without a NUL) into
 * DST[SIZE], without trailing whitespace. */
static void copy_str(char *dst, unsigned size, const void *src, unsigned len)
{
	len = strnlen(src, len);
	if (len > size - 1)
		len = size - 1;
	while (len && isspace(((const uint8_t *)src)[len - 1]))
		len--;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* 16 bytes as blkid prints a UUID; GPT's first three fields are
 * little-endian.  An all-zero UUID is no UUID. */
static void put_uuid(char *d, const uint8_t *u, int gpt)
{
	static const uint8_t gpt_order[8] = { 3, 2, 1, 0, 5, 4, 7, 6 };
	unsigned i, c;

	for (i = 0; u[i] == 0; i++)
		if (i == 15)
			return;
	for (i = 0; i < 16; i++) {
		c = u[(gpt && i < 8) ? gpt_order[i] : i];
		*d++ = hexdig[c >> 4];
		*d++ = hexdig[c & 15];
		if (i == 3 || i == 5 || i == 7 || i == 9)
			*d++ = '-';
	}
	*d = '\0';
}

static void set_type(ev_probe_t *p, const char *type, const char *usage)
{
	strcpy(p->type, type);
	strcpy(p->usage, usage);
}


/* ---- partition tables ---------------------------------------------------- */

enum { PT_NONE, PT_GPT, PT_DOS };

/* One walk over a disk's table, looking either for partition WANT (to
 * fill P) or for one that holds [COVER_OFF, COVER_OFF + COVER_LEN). */
struct walk {
	int fd;
	unsigned ss;		/* sector size; 0: unknown (512, GPT also 4096) */
	uint64_t size;
	uint8_t *buf;		/* BUFSZ */
	unsigned want;
	ev_probe_t *p;
	uint64_t cover_off, cover_len;
	int found;
	uint32_t dos_id;
	uint8_t gpt_id[16];
};

static int is_extended(unsigned type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* A partition, START and LEN in bytes (both within the disk for GPT; an
 * MBR entry may point past its end, which matters to nobody here).  E is
 * the GPT entry, or NULL for MBR TYPE.  Returns 1 to end the walk. */
static int visit(struct walk *w, unsigned n, uint64_t start, uint64_t len,
		const uint8_t *e, unsigned type)
{
	ev_probe_t *p = w->p;

	if (w->want) {
		if (n != w->want)
			return 0;
		if (e) {
			put_uuid(p->part_uuid, e + 16, 1);
			put_uuid(p->part_type, e, 1);
			volume_id_set_unicode16(p->part_name, sizeof(p->part_name),
					e + 56, LE, 72);
		} else {
			/* blkid: no PARTUUID without a disk identifier */
			if (w->dos_id)
				sprintf(p->part_uuid, "%08x-%02x", w->dos_id, n);
			sprintf(p->part_type, "0x%x", type);
		}
	} else if (start > w->cover_off
	 || w->cover_off - start > len
	 || w->cover_len > len - (w->cover_off - start)
	) {
		return 0;
	}
	w->found = 1;
	return 1;
}

/* The GPT whose header is at LBA 1 of W->ss byte sectors.  Returns PT_NONE
 * when there is no header signature, PT_GPT, or -EINVAL when the header or
 * the entry array fails a check (CRCs, bounds), or -errno. */
static int gpt_walk(struct walk *w)
{
	uint8_t *b = w->buf;
	unsigned ss = w->ss, esz, per, i, n, chunk;
	uint64_t lastlba, off, total, done, first, last;
	uint32_t crc, want_crc;
	int r;

	if (w->size / ss < 3)
		return PT_NONE;
	lastlba = w->size / ss - 1;
	r = rd(w->fd, w->size, ss, b, ss);
	if (r)
		return r < 0 ? r : PT_NONE;
	if (memcmp(b, "EFI PART", 8) != 0)
		return PT_NONE;
	/* the header: its own CRC over its own size, with the CRC field 0 */
	n = le32(b + 12);
	if (n < 92 || n > ss)
		return -EINVAL;
	want_crc = le32(b + 16);
	memset(b + 16, 0, 4);
	if (~crc32_upd(~0, b, n) != want_crc)
		return -EINVAL;
	first = le64(b + 40);
	last = le64(b + 48);
	if (le64(b + 24) != 1 || first > last || last > lastlba)
		return -EINVAL;
	memcpy(w->gpt_id, b + 56, 16);
	/* the entries: a sane size and count, all on the disk, their CRC */
	off = le64(b + 72);
	n = le32(b + 80);
	esz = le32(b + 84);
	want_crc = le32(b + 88);
	if (esz < 128 || esz > BUFSZ || (esz & (esz - 1)))
		return -EINVAL;
	total = (uint64_t)n * esz;
	if (total > GPT_MAX_TABLE || off < 2 || off > lastlba)
		return -EINVAL;
	off *= ss;
	if (total > w->size - off)
		return -EINVAL;
	crc = ~0;
	for (done = 0; done < total; done += chunk) {
		chunk = MIN(total - done, BUFSZ);
		r = rd(w->fd, w->size, off + done, b, chunk);
		if (r)
			return r < 0 ? r : -EINVAL;
		crc = crc32_upd(crc, b, chunk);
	}
	if (~crc != want_crc)
		return -EINVAL;
	if (!w->want && !w->cover_len)
		return PT_GPT;
	/* Partition i+1 is entry i, if it is in use and on the disk (as the
	 * kernel numbers them). */
	per = BUFSZ / esz;
	for (i = 0; i < n; i++) {
		const uint8_t *e;

		if (i % per == 0) {
			chunk = MIN(n - i, per) * esz;
			r = rd(w->fd, w->size, off + (uint64_t)i * esz, b, chunk);
			if (r)
				return r < 0 ? r : -EINVAL;
		}
		e = b + (i % per) * esz;
		if (!le64(e) && !le64(e + 8))
			continue;	/* unused entry */
		first = le64(e + 32);
		last = le64(e + 40);
		if (first > last || last > lastlba)
			continue;
		if (visit(w, i + 1, first * ss, (last - first + 1) * ss, e, 0))
			break;
	}
	return PT_GPT;
}

/* The chain of extended boot records in the extended partition at sector
 * EXT_START, EXT_LEN sectors long; logical partitions are numbered from
 * *NEXT on, as the kernel does.  Returns 1 when the walk is over. */
static int ebr_walk(struct walk *w, uint64_t ext_start, uint64_t ext_len, unsigned *next)
{
	uint8_t *b = w->buf;
	unsigned ss = w->ss, i, hops;
	uint64_t this = ext_start, this_len = ext_len, s, l;
	const uint8_t *e;

	for (hops = 0; hops < EBR_MAX && *next < EBR_MAX; hops++) {
		if (rd(w->fd, w->size, this * ss, b, 512) != 0
		 || b[510] != 0x55 || b[511] != 0xaa
		) {
			return 0;	/* the chain ends here */
		}
		/* the logical partitions of this record, relative to it */
		for (i = 0; i < 4; i++) {
			e = b + 446 + 16 * i;
			s = le32(e + 8);
			l = le32(e + 12);
			if (!l || is_extended(e[4]))
				continue;
			/* entries 3 and 4 are often garbage: only believed
			 * when inside the record's own area */
			if (i >= 2 && (s + l > this_len
			 || this + s + l > ext_start + ext_len)
			) {
				continue;
			}
			if (visit(w, (*next)++, (this + s) * ss, l * ss, NULL, e[4]))
				return 1;
		}
		/* the next record: the first extended entry, relative to
		 * the extended partition's start */
		for (i = 0; i < 4; i++) {
			e = b + 446 + 16 * i;
			if (le32(e + 12) && is_extended(e[4]))
				break;
		}
		if (i == 4)
			return 0;
		this = ext_start + le32(e + 8);
		this_len = le32(e + 12);
	}
	return 0;
}

/* The disk's table, walked for W.  Returns PT_NONE, PT_GPT, PT_DOS, or
 * -errno: -EINVAL for a malformed table. */
static int pt_scan(struct walk *w)
{
	uint8_t *b = w->buf, tab[64];
	unsigned i, next, ss;
	int r;

	w->found = 0;
	r = rd(w->fd, w->size, 0, b, 512);
	if (r)
		return r < 0 ? r : PT_NONE;
	if (b[510] != 0x55 || b[511] != 0xaa)
		return PT_NONE;
	for (i = 0; i < 4; i++) {
		if (b[446 + 16 * i] & 0x7f)
			return PT_NONE;	/* boot flags are 0 or 0x80 */
	}
	for (i = 0; i < 4; i++) {
		if (b[446 + 16 * i + 4] == 0xee)
			goto gpt;	/* a protective MBR */
	}
	w->dos_id = le32(b + 440);
	if (!w->want && !w->cover_len)
		return PT_DOS;
	memcpy(tab, b + 446, 64);
	ss = w->ss;
	if (!ss)
		w->ss = 512;
	next = 5;
	for (i = 0; i < 4; i++) {
		const uint8_t *e = tab + 16 * i;
		uint64_t s = le32(e + 8), l = le32(e + 12);

		if (!l)
			continue;
		if (visit(w, i + 1, s * w->ss, l * w->ss, NULL, e[4]))
			break;
		if (is_extended(e[4]) && ebr_walk(w, s, l, &next))
			break;
	}
	w->ss = ss;
	return PT_DOS;
 gpt:
	if (w->ss)
		r = gpt_walk(w);
	else {
		/* an image file: try both sector sizes */
		w->ss = 512;
		r = gpt_walk(w);
		if (r == PT_NONE) {
			w->ss = 4096;
			r = gpt_walk(w);
		}
		w->ss = 0;
	}
	/* a protective MBR without a GPT behind it */
	return r == PT_NONE ? -EINVAL : r;
}


/* ---- md RAID members ------------------------------------------------------ */

#define MD0_RESERVED	0x10000		/* 0.90's area at the end */

/* A member that is the last partition of a disk puts its 0.90 superblock
 * at the end of the disk too.  blkid's rule: on a device with a partition
 * table, a 0.90 superblock whose array and reserved area fit inside one
 * partition belongs to that partition. */
static int md0_in_partition(struct walk *w, const ev_md_sb_t *sb)
{
	uint64_t arraysize = sb->data_size << 9;	/* before the superblock (evmd) */
	int r;

	w->want = 0;
	w->cover_off = sb->sb_offset - arraysize;
	w->cover_len = arraysize + MD0_RESERVED;
	r = pt_scan(w);
	w->cover_len = 0;
	return r > 0 && w->found;
}

/* blkid's order: 0.90 and 1.0 at the end (on devices over 64 KiB), then
 * 1.1 at 0, then 1.2 at 4 KiB; a 0.90 superblock of a partition's is
 * passed over.  A refused superblock is no member.  Returns 1 when found,
 * 0, or -errno. */
static int probe_md(struct walk *w, ev_probe_t *p)
{
	ev_md_sb_t *sb = &p->md;
	int r;

	r = ev_md_read(w->fd, w->size, sb, NULL, 0);
	if (r == 0 && sb->major == 0 && md0_in_partition(w, sb))
		r = ev_md_read_some(w->fd, w->size, EV_MD_ANY & ~EV_MD_V090, sb, NULL, 0);
	if (r == -ENOENT || r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	set_type(p, "linux_raid_member", "raid");
	if (sb->major == 0)
		snprintf(p->version, sizeof(p->version), "0.%u.%u", sb->minor, sb->patch);
	else
		ev_md_version_str(sb, p->version);
	put_uuid(p->uuid, sb->uuid, 0);
	put_uuid(p->uuid_sub, sb->dev_uuid, 0);
	copy_str(p->label, sizeof(p->label), sb->name, sizeof(sb->name));
	return 1;
}


/* ---- LVM2 physical volumes ----------------------------------------------- */

/* The label is in one of the first four sectors: "LABELONE", the sector it
 * is in, a CRC over the rest of its sector, "LVM2 001", and at offset_xl
 * the PV header, which starts with the 32-character PV UUID. */
static int probe_lvm(struct walk *w, ev_probe_t *p)
{
	uint8_t *b = w->buf;
	unsigned s, off, i;
	char *d;
	int r;

	for (s = 0; s < 4; s++) {
		r = rd(w->fd, w->size, s * 512, b, 512);
		if (r)
			return r < 0 ? r : 0;
		if (memcmp(b, "LABELONE", 8) != 0
		 || le64(b + 8) != s
		 || crc32_upd(0xf597a6cf, b + 20, 512 - 20) != le32(b + 16)
		 || memcmp(b + 24, "LVM2 001", 8) != 0
		) {
			continue;
		}
		/* the PV header (UUID, device size) inside the sector */
		off = le32(b + 20);
		if (off < 32 || off > 512 - 40)
			continue;
		for (i = 0; i < 32; i++) {
			unsigned c = b[off + i];
			if (!isalnum(c) && c != '!' && c != '#')
				break;	/* not an LVM id character */
		}
		if (i < 32)
			continue;
		/* printed as lvm does: 6-4-4-4-4-4-6 */
		d = p->uuid;
		for (i = 0; i < 32; i++) {
			if (i >= 6 && i <= 26 && (i - 6) % 4 == 0)
				*d++ = '-';
			*d++ = b[off + i];
		}
		*d = '\0';
		set_type(p, "LVM2_member", "raid");
		strcpy(p->version, "LVM2 001");
		return 1;
	}
	return 0;
}


/* ---- LUKS ------------------------------------------------------------------ */

/* Both versions start with the magic and a big-endian version; the UUID is
 * a string at 168.  LUKS2's binary header adds a label at 24 and its own
 * offset at 256 (0 for the primary header). */
static int probe_luks(struct walk *w, ev_probe_t *p)
{
	uint8_t *b = w->buf;
	unsigned v;
	int r;

	r = rd(w->fd, w->size, 0, b, 512);
	if (r)
		return r < 0 ? r : 0;
	if (memcmp(b, "LUKS\xba\xbe", 6) != 0)
		return 0;
	v = get16(b + 6, 1);
	if (v == 2) {
		if (get64(b + 256, 1) != 0)
			return 0;
		copy_str(p->label, sizeof(p->label), b + 24, 48);
	} else if (v != 1)
		return 0;
	copy_str(p->uuid, sizeof(p->uuid), b + 168, 40);
	set_type(p, "crypto_LUKS", "crypto");
	sprintf(p->version, "%u", v);
	return 1;
}


/* ---- filesystems ---------------------------------------------------------- */

/* squashfs 4 (BusyBox's probe only works with FEATURE_BLKID_TYPE, which
 * needs the blkid applet): "hsqs", the major version at 28.  No UUID, no
 * label. */
static int probe_squashfs(struct walk *w, ev_probe_t *p)
{
	uint8_t *b = w->buf;
	int r;

	r = rd(w->fd, w->size, 0, b, 96);
	if (r)
		return r < 0 ? r : 0;
	if (memcmp(b, "hsqs", 4) != 0 || get16(b + 28, 0) != 4)
		return 0;
	set_type(p, "squashfs", "filesystem");
	return 1;
}

/* The rest through volume_id. */

typedef int FAST_FUNC (*vid_probe_t)(struct volume_id *id);

/* volume_id's own order: those that read only the first block first. */
static const vid_probe_t fs_probe[] ALIGN_PTR = {
	volume_id_probe_vfat,
	volume_id_probe_exfat,
	volume_id_probe_xfs,
	volume_id_probe_linux_swap,	/* FS_FULL: from here on, one big read */
	volume_id_probe_ext,
	volume_id_probe_btrfs,
	volume_id_probe_iso9660,
	volume_id_probe_f2fs,
};
#define FS_FULL 3
#define FS_EXT	4
#define FS_SWAP	3
static const char fs_name[] ALIGN1 =
	"vfat\0" "exfat\0" "xfs\0" "swap\0" "ext4\0" "btrfs\0"
	"iso9660\0" "f2fs\0";

/* ext2, 3 or 4 from the superblock's feature flags, as blkid names them */
static const char *ext_type(struct volume_id *id)
{
	const uint8_t *sb = volume_id_get_buffer(id, 0x400, 0x200);
	uint32_t compat, incompat, ro;

	if (!sb)
		return "ext4";
	compat = le32(sb + 0x5c);
	incompat = le32(sb + 0x60);
	ro = le32(sb + 0x64);
	if (incompat & 0x0008)		/* JOURNAL_DEV */
		return "jbd";
	/* beyond ext3: features other than FILETYPE RECOVER META_BG and
	 * SPARSE_SUPER LARGE_FILE BTREE_DIR */
	if ((incompat & ~0x16) || (ro & ~0x07))
		return "ext4";
	if (compat & 0x0004)		/* HAS_JOURNAL */
		return "ext3";
	return "ext2";
}

static void probe_fs(int fd, uint64_t size, ev_probe_t *p)
{
	struct volume_id id;
	const char *type;
	unsigned i;

	memset(&id, 0, sizeof(id));
	id.fd = fd;
	for (i = 0; i < ARRAY_SIZE(fs_probe); i++) {
		/* volume_id fills its buffer once for the probes that read
		 * further in; on a device too small for that it would give up,
		 * so there each probe reads what it needs */
		if (i == FS_FULL && size >= SB_BUFFER_SIZE)
			volume_id_get_buffer(&id, 0, SB_BUFFER_SIZE);
		id.label[0] = id.uuid[0] = '\0';
		if (fs_probe[i](&id) == 0) {
			type = nth_string(fs_name, i);
			if (i == FS_EXT)
				type = ext_type(&id);
			set_type(p, type, (i == FS_SWAP || type[0] == 'j')
					? "other" : "filesystem");
			copy_str(p->label, sizeof(p->label), id.label, sizeof(id.label));
			copy_str(p->uuid, sizeof(p->uuid), id.uuid, sizeof(id.uuid));
			break;
		}
		/* a read near the start failed: the device is that small or
		 * unreadable, the other probes would fail the same way */
		if (id.error)
			break;
	}
	volume_id_free_buffer(&id);
}


/* ---- the API -------------------------------------------------------------- */

int FAST_FUNC ev_probe_fd(int fd, uint64_t size, ev_probe_t *p)
{
	uint8_t buf[BUFSZ];
	struct walk w;
	int r, ss;

	memset(p, 0, sizeof(*p));
	memset(&w, 0, sizeof(w));
	w.fd = fd;
	w.size = size;
	w.buf = buf;
	w.p = p;
	/* a block device knows its sector size; for a file, guess */
	if (ioctl(fd, BLKSSZGET, &ss) == 0 && ss >= 512 && ss <= BUFSZ && !(ss & (ss - 1)))
		w.ss = ss;

	r = probe_md(&w, p);
	if (r == 0)
		r = probe_lvm(&w, p);
	if (r == 0)
		r = probe_luks(&w, p);
	if (r == 0)
		r = probe_squashfs(&w, p);
	if (r < 0)
		return r;
	if (r == 0)
		probe_fs(fd, size, p);

	/* A FAT or exFAT boot sector ends in 55 aa like an MBR (and a FAT
	 * one's entry area is often all zero); pvcreate wipes the start of
	 * the disk, so a table there can only be stale (blkid: the same). */
	if (strcmp(p->type, "vfat") == 0 || strcmp(p->type, "exfat") == 0
	 || strcmp(p->type, "LVM2_member") == 0
	) {
		return 0;
	}
	r = pt_scan(&w);
	if (r == PT_GPT) {
		strcpy(p->table_type, "gpt");
		put_uuid(p->table_uuid, w.gpt_id, 1);
	} else if (r == PT_DOS) {
		strcpy(p->table_type, "dos");
		if (w.dos_id)
			sprintf(p->table_uuid, "%08x", w.dos_id);
	} else if (r < 0 && r != -EINVAL)
		return r;
	return 0;
}

int FAST_FUNC ev_probe_partition(int diskfd, uint64_t disksize, unsigned sector_size,
		unsigned partn, ev_probe_t *p)
{
	uint8_t buf[BUFSZ];
	struct walk w;
	int r;

	p->part_uuid[0] = p->part_name[0] = p->part_type[0] = '\0';
	if (sector_size < 512 || sector_size > BUFSZ || (sector_size & (sector_size - 1)))
		return -EINVAL;
	memset(&w, 0, sizeof(w));
	w.fd = diskfd;
	w.size = disksize;
	w.ss = sector_size;
	w.buf = buf;
	w.p = p;
	w.want = partn;
	if (!partn)
		return -ENOENT;
	r = pt_scan(&w);
	if (r < 0)
		return r;
	return w.found ? 0 : -ENOENT;
}


/* ---- a block device by name ---------------------------------------------- */

static uint64_t dev_size(int fd)
{
	uint64_t size = 0;
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		return st.st_size;	/* an image file, in tests */
	if (ioctl(fd, BLKGETSIZE64, &size) < 0)
		return 0;
	return size;
}

/* The partition entry of ROOT/dev/NAME: its disk is DEVPATH's parent
 * directory in sysfs, with the disk's logical sector size. */
static void probe_entry(const char *root, const char *devpath, unsigned partn, ev_probe_t *p)
{
	char disk[PATH_MAX], path[PATH_MAX + 64], *slash;
	unsigned sector = 512;
	FILE *f;
	int fd;

	snprintf(disk, sizeof(disk), "%s", devpath);
	slash = strrchr(disk, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/sys%s/queue/logical_block_size", root, disk);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &sector) != 1 || sector < 512 || sector > 65536)
			sector = 512;
		fclose(f);
	}
	slash = strrchr(disk, '/');
	snprintf(path, sizeof(path), "%s/dev/%s", root, slash + 1);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	ev_probe_partition(fd, dev_size(fd), sector, partn, p);
	close(fd);
}

int FAST_FUNC ev_probe_blockdev(const char *root, const char *devname,
		const char *devpath, const char *partn, ev_probe_t *p)
{
	char path[PATH_MAX];
	int fd, r;

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "%s%s", root, devname);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	r = ev_probe_fd(fd, dev_size(fd), p);
	close(fd);
	if (partn)
		probe_entry(root, devpath, bb_strtou(partn, NULL, 10), p);
	return r;
}


/* ---- keys for the event --------------------------------------------------- */

/* The length of the valid multi-byte UTF-8 character at S (of AVAIL
 * bytes), or 0: overlong forms, surrogates and the noncharacters udev
 * refuses are not valid. */
static unsigned utf8_len(const uint8_t *s, unsigned avail)
{
	unsigned c = s[0], len, i;
	uint32_t u;

	if (c < 0xc2 || c > 0xf4)
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (len > avail)
		return 0;
	u = c & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		u = u << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && u < 0x800) || (len == 4 && u < 0x10000)
	 || u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff)
	 || (u >= 0xfdd0 && u <= 0xfdef) || (u & 0xffff) == 0xffff
	) {
		return 0;
	}
	return len;
}

/* udev's _ENC form: valid UTF-8 and [0-9A-Za-z#+-.:=@_] as they are, any
 * other byte as \xNN.  D has room for 4 * LEN + 1. */
static void enc_str(char *d, const uint8_t *s, unsigned len)
{
	unsigned n;

	while (len) {
		n = utf8_len(s, len);
		if (n) {
			memcpy(d, s, n);
			d += n;
		} else {
			n = 1;
			if (isalnum(*s) || (*s && strchr("#+-.:=@_", *s)))
				*d++ = *s;
			else
				d += sprintf(d, "\\x%02x", *s);
		}
		s += n;
		len -= n;
	}
	*d = '\0';
}

/* udev's plain form (libblkid 2.38's blkid_safe_string): no leading or
 * trailing whitespace, each run of it one '_'; other ASCII and valid
 * UTF-8 as they are, any other byte '_'. */
static void safe_str(char *d, const uint8_t *s, unsigned len)
{
	unsigned n;

	while (len && isspace(s[len - 1]))
		len--;
	while (len && isspace(*s))
		s++, len--;
	while (len) {
		n = 1;
		if (isspace(*s)) {
			while (n < len && isspace(s[n]))
				n++;
			*d++ = '_';
		} else if (*s < 0x80) {
			*d++ = *s;
		} else {
			n = utf8_len(s, len);
			if (n) {
				memcpy(d, s, n);
				d += n;
			} else {
				n = 1;
				*d++ = '_';
			}
		}
		s += n;
		len -= n;
	}
	*d = '\0';
}

enum { K_RAW, K_SAFE, K_ENC };
#define K(field, how) ((how) << 24 | offsetof(ev_probe_t, field) << 8 \
		| sizeof(((ev_probe_t *)0)->field))
static const uint32_t keys[] = {
	K(type, K_RAW), K(usage, K_RAW), K(version, K_RAW),
	K(uuid, K_SAFE), K(uuid_sub, K_SAFE), K(label, K_SAFE),
	K(part_uuid, K_RAW), K(part_name, K_ENC), K(part_type, K_ENC),
	K(table_type, K_RAW), K(table_uuid, K_RAW),
};
static const char key_name[] ALIGN1 =
	"ID_FS_TYPE\0" "ID_FS_USAGE\0" "ID_FS_VERSION\0"
	"ID_FS_UUID\0" "ID_FS_UUID_SUB\0" "ID_FS_LABEL\0"
	"ID_PART_ENTRY_UUID\0" "ID_PART_ENTRY_NAME\0" "ID_PART_ENTRY_TYPE\0"
	"ID_PART_TABLE_TYPE\0" "ID_PART_TABLE_UUID\0";

typedef void FAST_FUNC (*add_fn)(const char *kv, void *ctx);

static void addf(add_fn add, void *ctx, char *kv, const char *fmt, ...)
	__attribute__ ((format (printf, 4, 5)));
static void addf(add_fn add, void *ctx, char *kv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsprintf(kv, fmt, ap);
	va_end(ap);
	add(kv, ctx);
}

/* An md member's keys: mdadm's names, in its order, then ours.  KV has
 * room for 80 bytes. */
static void md_keys(const ev_md_sb_t *sb, add_fn add, void *ctx, char *kv)
{
	char buf[36];
	const char *s = ev_md_level_name(sb->level);

	if (s)
		addf(add, ctx, kv, "MD_LEVEL=%s", s);
	addf(add, ctx, kv, "MD_DEVICES=%u", sb->raid_disks);
	if (sb->name[0] && sb->name[0] != '\n')
		addf(add, ctx, kv, "MD_NAME=%.*s", (int)strcspn(sb->name, "\n"), sb->name);
	addf(add, ctx, kv, "MD_UUID=%s", ev_md_uuid_str(sb->uuid, buf));
	if (sb->major)
		addf(add, ctx, kv, "MD_DEV_UUID=%s", ev_md_uuid_str(sb->dev_uuid, buf));
	addf(add, ctx, kv, "MD_EVENTS=%llu", (unsigned long long)sb->events);
	if (sb->role >= 0)
		sprintf(buf, "%d", sb->role);
	s = sb->role >= 0 ? buf : nth_string("spare\0" "faulty\0" "journal", -1 - sb->role);
	addf(add, ctx, kv, "MD_ROLE=%s", s);
	addf(add, ctx, kv, "MD_METADATA=%s", ev_md_version_str(sb, buf));
	addf(add, ctx, kv, "MD_LAYOUT=%u", sb->layout);
}

void FAST_FUNC ev_probe_keys(const ev_probe_t *p, add_fn add, void *ctx)
{
	/* the longest: "ID_PART_ENTRY_NAME=" and 111 bytes as \xNN each */
	char kv[24 + 4 * sizeof(p->part_name)];
	const char *name = key_name;
	const uint8_t *v;
	unsigned i, k, len, n;

	for (i = 0; i < ARRAY_SIZE(keys); i++, name += strlen(name) + 1) {
		k = keys[i];
		v = (const uint8_t *)p + ((k >> 8) & 0xffff);
		len = strnlen((const char *)v, k & 0xff);
		if (!len)
			continue;
		n = sprintf(kv, "%s=", name);
		if ((k >> 24) == K_RAW) {
			memcpy(kv + n, v, len);
			kv[n + len] = '\0';
		} else if ((k >> 24) == K_SAFE) {
			safe_str(kv + n, v, len);
			add(kv, ctx);
			n = sprintf(kv, "%s_ENC=", name);
			enc_str(kv + n, v, len);
		} else
			enc_str(kv + n, v, len);
		add(kv, ctx);
	}
	if (p->md.major || p->md.minor)
		md_keys(&p->md, add, ctx, kv);
}
