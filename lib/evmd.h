/* vi: set sw=4 ts=4: */
/*
 * evbox md superblock reader: what an md RAID member's superblock says, for
 * the prober's block-device-added keys and for evraid.  Metadata 0.90 (64
 * KiB-aligned at the end, either byte order), 1.0 (8-12 KiB from the end),
 * 1.1 (at 0) and 1.2 (at 4 KiB).  Only reads, at most 4 KiB a superblock,
 * into the caller's struct: no allocation, nothing that dies; the checksum
 * and every number the kernel's md checks on load are checked before use,
 * and a superblock that fails one is refused with a reason.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVMD_H
#define EVMD_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ev_md_sb_t.role of a member in no slot */
#define EV_MD_SPARE	(-1)
#define EV_MD_FAULTY	(-2)
#define EV_MD_JOURNAL	(-3)

/* ev_md_read_some()'s WHICH: the places, in the order they are tried
 * (blkid's) */
#define EV_MD_V090	1	/* 0.90 */
#define EV_MD_V10	2	/* 1.0 */
#define EV_MD_V11	4	/* 1.1 */
#define EV_MD_V12	8	/* 1.2 */
#define EV_MD_ANY	15

typedef struct ev_md_sb {
	unsigned major, minor;	/* 0.90: 0, 90 (0.91: reshaping); 1.x: 1, x */
	unsigned patch;		/* 0.90 patch_version; 1.x: 0 */
	uint8_t uuid[16];	/* the array's UUID, in the byte order mdadm prints */
	uint8_t dev_uuid[16];	/* 1.x: this member's; 0.90: zeros */
	char name[33];		/* 1.x set_name ("host:name") as it is, up to a
				 * NUL (mdadm's MD_NAME stops at a newline too);
				 * 0.90: "" */
	int level;		/* -1 linear, 0 raid0, 1, 4, 5, 6, 10; -4 multipath,
				 * -5 faulty, as the kernel; not checked */
	unsigned layout, chunk_kib, raid_disks;	/* raid_disks 1..27 (0.90), 1..1920 */
	int role;		/* this device's slot 0..raid_disks-1 (while a
				 * shrinking reshape runs, up to the old count - 1);
				 * EV_MD_SPARE, EV_MD_FAULTY, EV_MD_JOURNAL */
	unsigned dev_number;	/* 1.x dev_number (< max_dev) / 0.90 this_disk.number (< 27) */
	int md_minor;		/* 0.90: the preferred minor (/dev/mdN); 1.x: -1 */
	uint64_t events;
	uint64_t data_offset, data_size;	/* sectors (1.x, on the device, after
				 * the superblock for 1.1/1.2, before it for 1.0);
				 * 0.90: 0 and the size */
	uint64_t used_size;	/* sectors of each member the array uses (1.x size,
				 * 0.90 size); reported, not checked */
	uint64_t recovery_offset;	/* 1.x, when the feature says so (<= data_size), else 0 */
	uint64_t sb_offset;	/* bytes from the start of the device */
	uint32_t feature_map;	/* 1.x feature flags; 0.90: 0 */
	unsigned bitmap:1, clean:1, reshape:1;
	unsigned swapped:1;	/* 0.90 in the other CPU byte order: the kernel
				 * reads it only after mdadm --update=byteorder */
	uint64_t utime;		/* seconds */
} ev_md_sb_t;

/* Read the md superblock of FD (a block device or an image file) of SIZE
 * bytes: the first of 0.90, 1.0, 1.1, 1.2 (blkid's order) that is valid.
 * Returns 0 (found, *SB filled), -ENOENT (no md superblock), -EINVAL (a
 * superblock with its magic whose checksum or numbers are wrong, and none
 * valid after it: WHY, if not NULL, gets a short reason naming the version
 * and the field, of the first one refused), or -errno of a read. */
int ev_md_read(int fd, uint64_t size, ev_md_sb_t *sb, char *why, unsigned whylen) FAST_FUNC;
/* The same, trying only the places in WHICH (EV_MD_V090 | ...). */
int ev_md_read_some(int fd, uint64_t size, unsigned which, ev_md_sb_t *sb,
		char *why, unsigned whylen) FAST_FUNC;

/* mdadm's text forms: the UUID "5e1f0400:e7b04c5a:9d1e0000:00000001" into
 * BUF (36 bytes), returned; the level "raid1", "linear", ... (NULL for a
 * level the kernel has no personality for); the metadata version "0.90",
 * "1.2", ... into BUF (8 bytes), returned. */
char *ev_md_uuid_str(const uint8_t *uuid, char *buf) FAST_FUNC;
const char *ev_md_level_name(int level) FAST_FUNC;
char *ev_md_version_str(const ev_md_sb_t *sb, char *buf) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
