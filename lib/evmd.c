/* vi: set sw=4 ts=4: */
/*
 * evbox md superblock reader (see evmd.h).
 *
 * The formats are the kernel's include/uapi/linux/raid/md_p.h; the checks
 * are what drivers/md/md.c's super_90_load/super_1_load (and their
 * validate functions) refuse, so that a superblock read here is one the
 * kernel will take, plus the bounds this reader needs itself: a role
 * inside the role table and the slots, every area on the device.  One
 * 4 KiB stack buffer, one read per place tried; every offset and count
 * from the disk is checked before it indexes anything.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVMD
//config:	bool
//config:	help
//config:	The md superblock reader (metadata 0.90 and 1.x) of the block
//config:	device prober and evraid.
//config:	Selected by what uses it; nothing to choose here.

//kbuild:lib-$(CONFIG_EVMD) += evmd.o

#include "libbb.h"
#include "evmd.h"

#define MD_MAGIC	0xa92b4efc
#define SB_BYTES	4096		/* what the kernel reads of a superblock */
#define MD0_RESERVED	0x10000		/* 0.90: the last 64 KiB-aligned 64 KiB */
#define MD0_DISKS	27		/* 0.90's descriptors (MD_SB_DISKS) */
#define MD1_MAX_DEV	((SB_BYTES - 256) / 2)	/* 1.x: roles within 4 KiB */

/* 0.90: 32-bit words; the descriptor of this device starts at word 992 */
enum {
	W_MAJOR = 1, W_MINOR, W_PATCH, W_UUID0 = 5, W_CTIME, W_LEVEL, W_SIZE,
	W_RAID_DISKS = 10, W_MD_MINOR, W_UUID1 = 13, W_UUID2, W_UUID3,
	W_UTIME = 32, W_STATE, W_CSUM = 38, W_EVENTS, W_DELTA = 47,
	W_LAYOUT = 64, W_CHUNK,
	W_THIS = 992, D_NUMBER = 0, D_RAID_DISK = 3, D_STATE = 4,
};
/* 0.90 state bits: the array's, and a descriptor's */
#define SB_CLEAN	(1 << 0)
#define SB_BITMAP	(1 << 8)
#define DISK_FAULTY	(1 << 0)
#define DISK_ACTIVE	(1 << 1)
#define DISK_SYNC	(1 << 2)

/* 1.x: byte offsets */
enum {
	O_FEATURES = 8, O_PAD0 = 12, O_UUID = 16, O_NAME = 32, O_LEVEL = 72,
	O_LAYOUT = 76, O_SIZE = 80, O_CHUNK = 88, O_RAID_DISKS = 92,
	O_DELTA = 112, O_NEW_OFFSET = 124, O_DATA_OFFSET = 128, O_DATA_SIZE = 136,
	O_SUPER_OFFSET = 144, O_RECOVERY = 152, O_DEV_NUMBER = 160,
	O_DEV_UUID = 168, O_BBLOG_SIZE = 186, O_BBLOG_OFFSET = 188,
	O_UTIME = 192, O_EVENTS = 200, O_RESYNC = 208, O_CSUM = 216,
	O_MAX_DEV = 220, O_PAD3 = 224, O_ROLES = 256,
};
/* 1.x feature_map bits */
#define F_BITMAP	1
#define F_RECOVERY	2
#define F_RESHAPE	4
#define F_BAD_BLOCKS	8
#define F_NEW_OFFSET	64
#define F_JOURNAL	512
#define F_PPL		1024
#define F_MULTI_PPL	2048
#define F_RAID0_LAYOUT	4096
#define F_ALL		8191	/* every bit the kernel knows */
/* 1.x roles that are no slot */
#define ROLE_SPARE	0xffff
#define ROLE_FAULTY	0xfffe
#define ROLE_JOURNAL	0xfffd
#define ROLE_MAX	0xff00

typedef unsigned long long ull;

struct ctx {
	int fd;
	uint64_t size;
	uint8_t *b;		/* SB_BYTES */
	const char *ver;	/* "0.90", "1.2": for the reasons */
	char *why;
	unsigned whylen;
};

static uint32_t word(const uint8_t *p, int big)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return (big != BB_BIG_ENDIAN) ? bswap_32(v) : v;
}
#define le32(p) word(p, 0)
static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p + 4) << 32 | le32(p);
}
static unsigned le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

/* The reason, "md VER: ...", into C->why; returns -EINVAL. */
static int bad(struct ctx *c, const char *fmt, ...)
	__attribute__ ((format (printf, 2, 3)));
static int bad(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->why && c->whylen) {
		n = snprintf(c->why, c->whylen, "md %s: ", c->ver);
		if (n >= 0 && (unsigned)n < c->whylen) {
			va_start(ap, fmt);
			vsnprintf(c->why + n, c->whylen - n, fmt, ap);
			va_end(ap);
		}
	}
	return -EINVAL;
}

/* Up to SB_BYTES at OFF, as much as is on the device.  Returns the count
 * read (short at the device's end), or -errno. */
static int get(struct ctx *c, uint64_t off)
{
	unsigned len = SB_BYTES, got = 0;
	ssize_t n;

	if (off >= c->size)
		return 0;
	if (len > c->size - off)
		len = c->size - off;
	while (got < len) {
		n = pread(c->fd, c->b + got, len - got, off + got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;	/* the file ends before SIZE */
		got += n;
	}
	return got;
}

/* The highest slot + 1 a member may hold: RAID_DISKS, or while a reshape
 * that removes disks runs (DELTA < 0), the count before it (md.c's
 * analyze_sbs); never more than MAX. */
static uint32_t slots(uint32_t raid_disks, int reshape, int32_t delta, uint32_t max)
{
	uint64_t n = raid_disks;

	if (reshape && delta < 0)
		n -= (int64_t)delta;
	return n < max ? n : max;
}

/* ---- 0.90 ------------------------------------------------------------------ */

static int md0(struct ctx *c, ev_md_sb_t *sb)
{
	const uint8_t *b = c->b;
	uint64_t off, sum;
	uint32_t state, limit;
	unsigned i;
	int r, big;
#define W(i) word(b + 4 * (i), big)

	if (c->size <= MD0_RESERVED)
		return -ENOENT;
	off = (c->size & ~(uint64_t)(MD0_RESERVED - 1)) - MD0_RESERVED;
	r = get(c, off);
	if (r < 4)
		return r < 0 ? r : -ENOENT;
	if (le32(b) == MD_MAGIC)
		big = 0;
	else if (word(b, 1) == MD_MAGIC)
		big = 1;
	else
		return -ENOENT;
	c->ver = "0.90";
	if (r < SB_BYTES)
		return bad(c, "cut short by the end of the device");
	/* the kernel takes 0.90 and 0.91 only */
	if (W(W_MAJOR) != 0 || W(W_MINOR) < 90 || W(W_MINOR) > 91)
		return bad(c, "version %u.%u is not 0.90 or 0.91", W(W_MAJOR), W(W_MINOR));
	/* sb_csum: the sum of all 1024 words, itself as 0, folded */
	sum = 0;
	for (i = 0; i < SB_BYTES / 4; i++)
		if (i != W_CSUM)
			sum += W(i);
	sum = (uint32_t)(sum + (sum >> 32));
	if (sum != W(W_CSUM))
		return bad(c, "sb_csum %08x is wrong (the sum is %08x)", W(W_CSUM), (unsigned)sum);
	sb->raid_disks = W(W_RAID_DISKS);
	if (sb->raid_disks - 1 >= MD0_DISKS)
		return bad(c, "raid_disks %u is not 1..%u", sb->raid_disks, MD0_DISKS);
	/* size (KiB): the array's part of the device lies before the superblock */
	sb->data_size = sb->used_size = (uint64_t)W(W_SIZE) * 2;
	if (sb->data_size > off >> 9)
		return bad(c, "size %u KiB is larger than the device before the superblock",
				W(W_SIZE));
	sb->dev_number = W(W_THIS + D_NUMBER);
	if (sb->dev_number >= MD0_DISKS)
		return bad(c, "this_disk.number %u is outside the %u descriptors",
				sb->dev_number, MD0_DISKS);
	sb->major = 0;
	sb->minor = W(W_MINOR);
	sb->patch = W(W_PATCH);
	sb->reshape = sb->minor >= 91;
	/* the role from this device's descriptor, as super_90_validate does */
	state = W(W_THIS + D_STATE);
	sb->role = EV_MD_SPARE;
	if (state & DISK_FAULTY)
		sb->role = EV_MD_FAULTY;
	else if ((state & DISK_SYNC) || ((state & DISK_ACTIVE) && sb->reshape)) {
		limit = slots(sb->raid_disks, sb->reshape, W(W_DELTA), MD0_DISKS);
		if (W(W_THIS + D_RAID_DISK) >= limit)
			return bad(c, "this_disk.raid_disk %u is outside raid_disks %u",
					W(W_THIS + D_RAID_DISK), sb->raid_disks);
		sb->role = W(W_THIS + D_RAID_DISK);
	}
	/* set_uuid0..3, printed as numbers */
	for (i = 0; i < 16; i++)
		sb->uuid[i] = W("\5\15\16\17"[i / 4]) >> (24 - 8 * (i % 4));
	sb->level = (int32_t)W(W_LEVEL);
	sb->layout = W(W_LAYOUT);
	sb->chunk_kib = W(W_CHUNK) / 1024;
	sb->md_minor = W(W_MD_MINOR);
	/* events_lo, events_hi in little-endian order, the other way round
	 * in big-endian: one 64-bit number either way */
	sb->events = big ? (uint64_t)W(W_EVENTS) << 32 | W(W_EVENTS + 1)
		: (uint64_t)W(W_EVENTS + 1) << 32 | W(W_EVENTS);
	state = W(W_STATE);
	sb->clean = !!(state & SB_CLEAN);
	sb->bitmap = !!(state & SB_BITMAP);
	sb->swapped = big != BB_BIG_ENDIAN;
	sb->utime = W(W_UTIME);
	sb->sb_offset = off;
#undef W
	return 0;
}

/* ---- 1.x ------------------------------------------------------------------- */

static int md1(struct ctx *c, ev_md_sb_t *sb, uint64_t off, unsigned minor)
{
	static const char vers[] ALIGN1 = "1.0\0" "1.1\0" "1.2";
	const uint8_t *b = c->b;
	uint64_t sum, sectors, sbsect, sbend, doff, dsize;
	uint32_t f, max_dev, n, len, role;
	unsigned i;
	int r;

	r = get(c, off);
	if (r < 8)
		return r < 0 ? r : -ENOENT;
	if (le32(b) != MD_MAGIC || le32(b + 4) != 1)
		return -ENOENT;
	c->ver = vers + 4 * minor;
	if (r < O_ROLES)
		return bad(c, "cut short by the end of the device");
	/* max_dev: the kernel's bound keeps the role table within 4 KiB */
	max_dev = le32(b + O_MAX_DEV);
	if (max_dev > MD1_MAX_DEV)
		return bad(c, "max_dev %u is over %u", max_dev, MD1_MAX_DEV);
	len = O_ROLES + 2 * max_dev;
	if ((unsigned)r < len)
		return bad(c, "cut short by the end of the device");
	/* sb_csum: the sum of the little-endian words up to the end of the
	 * role table (an odd count's last one as 16 bits), itself as 0,
	 * folded */
	sum = 0;
	for (i = 0; i + 4 <= len; i += 4)
		if (i != O_CSUM)
			sum += le32(b + i);
	if (i < len)
		sum += le16(b + i);
	sum = (uint32_t)(sum + (sum >> 32));
	if (sum != le32(b + O_CSUM))
		return bad(c, "sb_csum %08x is wrong (the sum is %08x)",
				le32(b + O_CSUM), (unsigned)sum);
	/* where it is: the sector it says it is in */
	sbsect = off >> 9;
	if (le64(b + O_SUPER_OFFSET) != sbsect)
		return bad(c, "super_offset %llu is not its sector %llu",
				(ull)le64(b + O_SUPER_OFFSET), (ull)sbsect);
	f = le32(b + O_FEATURES);
	if (f & ~F_ALL)
		return bad(c, "feature_map %x has bits md does not know", f);
	/* padding that is not zero: a feature newer than the kernel's */
	for (i = O_PAD3; i < O_ROLES && !b[i]; i++)
		continue;
	if (le32(b + O_PAD0) || i < O_ROLES)
		return bad(c, "reserved bytes (pad0, pad3) are not zero");
	sb->raid_disks = le32(b + O_RAID_DISKS);
	if (sb->raid_disks - 1 >= MD1_MAX_DEV)
		return bad(c, "raid_disks %u is not 1..%u", sb->raid_disks, MD1_MAX_DEV);
	/* the data area: on the device, clear of the superblock (after it for
	 * 1.1 and 1.2, before it for 1.0) */
	doff = le64(b + O_DATA_OFFSET);
	dsize = le64(b + O_DATA_SIZE);
	sectors = c->size >> 9;
	if (dsize < 10)
		return bad(c, "data_size %llu is too small", (ull)dsize);
	if (minor == 0) {
		if (doff > sbsect || dsize > sbsect - doff)
			return bad(c, "data area (data_offset %llu, data_size %llu) runs into the superblock at sector %llu",
					(ull)doff, (ull)dsize, (ull)sbsect);
	} else {
		if (doff > sectors || dsize > sectors - doff)
			return bad(c, "data area (data_offset %llu, data_size %llu) ends past the device (%llu sectors)",
					(ull)doff, (ull)dsize, (ull)sectors);
		/* the superblock's sectors (md.c rounds them up to the logical
		 * block size: 512 here) */
		sbend = sbsect + (len + 511) / 512;
		if (doff < sbend)
			return bad(c, "data_offset %llu is inside the superblock", (ull)doff);
		if ((f & (F_RESHAPE | F_NEW_OFFSET)) == (F_RESHAPE | F_NEW_OFFSET)
		 && (int64_t)doff + (int32_t)le32(b + O_NEW_OFFSET) < (int64_t)sbend
		) {
			return bad(c, "new_offset %d moves the data into the superblock",
					(int32_t)le32(b + O_NEW_OFFSET));
		}
	}
	sb->level = (int32_t)le32(b + O_LEVEL);
	/* the feature combinations the kernel refuses */
	if ((f & F_RAID0_LAYOUT) && sb->level != 0)
		return bad(c, "feature RAID0_LAYOUT on level %d", sb->level);
	if ((f & (F_PPL | F_MULTI_PPL))
	 && ((f & (F_BITMAP | F_JOURNAL)) || (f & (F_PPL | F_MULTI_PPL)) == (F_PPL | F_MULTI_PPL))
	) {
		return bad(c, "feature_map %x: PPL with a bitmap, a journal or itself", f);
	}
	if ((f & F_BAD_BLOCKS) && (le16(b + O_BBLOG_SIZE) > 8 || !le32(b + O_BBLOG_OFFSET)))
		return bad(c, "bad block log (bblog_size %u, bblog_offset %d) is not one the kernel reads",
				le16(b + O_BBLOG_SIZE), (int32_t)le32(b + O_BBLOG_OFFSET));
	/* the role: dev_number's entry in the role table */
	n = le32(b + O_DEV_NUMBER);
	if (n >= max_dev)
		return bad(c, "dev_number %u is outside the role table (max_dev %u)", n, max_dev);
	role = le16(b + O_ROLES + 2 * n);
	if (role == ROLE_SPARE)
		sb->role = EV_MD_SPARE;
	else if (role == ROLE_FAULTY)
		sb->role = EV_MD_FAULTY;
	else if (role == ROLE_JOURNAL) {
		if (!(f & F_JOURNAL))
			return bad(c, "a journal role without the journal feature");
		sb->role = EV_MD_JOURNAL;
	} else if (role >= ROLE_MAX)
		return bad(c, "role %x of dev_number %u is unknown", role, n);
	else if (role >= slots(sb->raid_disks, f & F_RESHAPE, le32(b + O_DELTA), MD1_MAX_DEV))
		return bad(c, "role %u of dev_number %u is outside raid_disks %u",
				role, n, sb->raid_disks);
	else
		sb->role = role;
	if (f & F_RECOVERY) {
		sb->recovery_offset = le64(b + O_RECOVERY);
		if (sb->recovery_offset > dsize)
			return bad(c, "recovery_offset %llu is past data_size %llu",
					(ull)sb->recovery_offset, (ull)dsize);
	}
	sb->major = 1;
	sb->minor = minor;
	sb->dev_number = n;
	sb->md_minor = -1;
	memcpy(sb->uuid, b + O_UUID, 16);
	memcpy(sb->dev_uuid, b + O_DEV_UUID, 16);
	memcpy(sb->name, b + O_NAME, 32);	/* sb->name[32] stays 0 */
	sb->layout = le32(b + O_LAYOUT);
	sb->used_size = le64(b + O_SIZE);
	sb->chunk_kib = le32(b + O_CHUNK) / 2;
	sb->events = le64(b + O_EVENTS);
	sb->data_offset = doff;
	sb->data_size = dsize;
	sb->feature_map = f;
	sb->bitmap = !!(f & F_BITMAP);
	sb->reshape = !!(f & F_RESHAPE);
	sb->clean = le64(b + O_RESYNC) == (uint64_t)-1;
	sb->utime = le64(b + O_UTIME) & 0xffffffffffULL;	/* 40 bits of seconds */
	sb->sb_offset = off;
	return 0;
}

/* ---- the API ----------------------------------------------------------------- */

int FAST_FUNC ev_md_read_some(int fd, uint64_t size, unsigned which, ev_md_sb_t *sb,
		char *why, unsigned whylen)
{
	uint8_t buf[SB_BYTES];
	struct ctx c;
	unsigned i;
	int r, ret = -ENOENT;

	c.fd = fd;
	c.size = size;
	c.b = buf;
	c.why = why;
	c.whylen = whylen;
	if (why && whylen)
		why[0] = '\0';
	for (i = 0; i < 4; i++) {
		memset(sb, 0, sizeof(*sb));
		if (!(which & (1 << i)))
			continue;
		if (i == 0)
			r = md0(&c, sb);
		else if (i == 1)	/* 8-12 KiB from the end, 4 KiB-aligned */
			r = size > MD0_RESERVED
				? md1(&c, sb, (size & ~(uint64_t)0xfff) - 0x2000, 0) : -ENOENT;
		else
			r = md1(&c, sb, (i - 2) * 0x1000, i - 1);
		if (r == 0)
			return 0;
		if (r == -EINVAL) {
			/* the first one refused gives the reason */
			ret = r;
			c.why = NULL;
		} else if (r != -ENOENT) {
			memset(sb, 0, sizeof(*sb));
			return r;
		}
	}
	memset(sb, 0, sizeof(*sb));
	return ret;
}

int FAST_FUNC ev_md_read(int fd, uint64_t size, ev_md_sb_t *sb, char *why, unsigned whylen)
{
	return ev_md_read_some(fd, size, EV_MD_ANY, sb, why, whylen);
}

char* FAST_FUNC ev_md_uuid_str(const uint8_t *uuid, char *buf)
{
	char *d = buf;
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			*d++ = ':';
		*d++ = "0123456789abcdef"[uuid[i] >> 4];
		*d++ = "0123456789abcdef"[uuid[i] & 15];
	}
	*d = '\0';
	return buf;
}

const char* FAST_FUNC ev_md_level_name(int level)
{
	/* the kernel's personalities, by mdadm's names */
	static const int8_t levels[] = { -5, -4, -1, 0, 1, 4, 5, 6, 10 };
	static const char names[] ALIGN1 =
		"faulty\0" "multipath\0" "linear\0" "raid0\0" "raid1\0"
		"raid4\0" "raid5\0" "raid6\0" "raid10";
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(levels); i++)
		if (levels[i] == level)
			return nth_string(names, i);
	return NULL;
}

char* FAST_FUNC ev_md_version_str(const ev_md_sb_t *sb, char *buf)
{
	sprintf(buf, "%u.%u", sb->major, sb->minor);
	return buf;
}
