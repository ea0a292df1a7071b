/* vi: set sw=4 ts=4: */
/*
 * evbox block device prober: what a block device holds, for the device
 * manager's block-device-added event and /dev/disk/by-* links.
 *
 * Filesystems come from BusyBox's volume_id; md RAID members (0.90, 1.0,
 * 1.1, 1.2) through evmd; LUKS, LVM2 physical volumes and GPT/MBR
 * partition tables are read here.  The answers are the ones blkid gives (as udev's blkid builtin
 * turns them into ID_* keys).  Only reads, bounded by the size the caller
 * gives: no on-disk offset or length is believed without a check.  Reads
 * a disk, so it blocks, and volume_id may die on OOM: never in PID 1
 * (evinit probes in a child, with a deadline).
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVPROBE_H
#define EVPROBE_H 1

#include "evmd.h"

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* Strings as on disk (blkid's LABEL=, UUID=, ...), NUL-terminated, ""
 * when unknown.  ev_probe_keys() encodes them for an event. */
typedef struct ev_probe {
	char type[24];		/* ID_FS_TYPE: ext4 vfat xfs btrfs swap crypto_LUKS
				 * linux_raid_member LVM2_member squashfs ... */
	char usage[12];		/* ID_FS_USAGE: filesystem crypto raid other */
	char version[16];	/* ID_FS_VERSION: LUKS "1" "2"; md "0.90.0" "1.0"
				 * "1.1" "1.2"; LVM2 "LVM2 001" */
	char uuid[40];		/* ID_FS_UUID (md: the array's UUID) */
	char uuid_sub[40];	/* ID_FS_UUID_SUB (md 1.x: this member's UUID) */
	char label[68];		/* ID_FS_LABEL (md 1.x: the array name) */
	char part_uuid[40];	/* ID_PART_ENTRY_UUID (PARTUUID): GPT entry GUID,
				 * or MBR "xxxxxxxx-NN" */
	char part_name[112];	/* ID_PART_ENTRY_NAME (PARTLABEL), GPT: 36
				 * UTF-16 units as UTF-8 */
	char part_type[40];	/* ID_PART_ENTRY_TYPE: GPT type GUID, MBR "0x83" */
	char table_type[8];	/* ID_PART_TABLE_TYPE of a disk: gpt dos */
	char table_uuid[40];	/* ID_PART_TABLE_UUID: GPT disk GUID, MBR id */
	ev_md_sb_t md;		/* type linux_raid_member: its superblock (the
				 * MD_* keys); else zeros */
} ev_probe_t;

/* Identify the content of FD (a block device or an image file) of SIZE
 * bytes: clears *P, then fills the ID_FS_* fields and, for a disk with a
 * partition table, table_type and table_uuid.  Returns 0 (P->type is ""
 * when nothing is recognised) or -errno when the device cannot be read.
 * Moves FD's file offset. */
int ev_probe_fd(int fd, uint64_t size, ev_probe_t *p) FAST_FUNC;

/* For partition PARTN (1-based, as the kernel's PARTN uevent key counts:
 * GPT entry number, MBR 1-4 primary, 5+ logical) of the whole disk open at
 * DISKFD, of DISKSIZE bytes and SECTOR_SIZE (512..4096) byte sectors:
 * fill part_uuid, part_name and part_type (only those: call it after
 * ev_probe_fd on the partition).  Returns 0, -ENOENT when the disk has no
 * table or the table no such partition, -EINVAL for a malformed or hostile
 * table (or a bad SECTOR_SIZE), another -errno on a read error. */
int ev_probe_partition(int diskfd, uint64_t disksize, unsigned sector_size,
		unsigned partn, ev_probe_t *p) FAST_FUNC;

/* Probe the block device ROOT DEVNAME (ROOT "" on a running system, a
 * test tree otherwise; DEVNAME "/dev/vda1") and, when PARTN (the uevent's
 * PARTN) is given, its entry in the partition table of the disk that
 * holds it (DEVPATH's parent in ROOT/sys).  Returns what ev_probe_fd
 * returns, or -errno when the device cannot be opened. */
int ev_probe_blockdev(const char *root, const char *devname,
		const char *devpath, const char *partn, ev_probe_t *p) FAST_FUNC;
/* Hand each non-empty field of P to ADD as a "KEY=VALUE" string, with
 * udev's names and encodings: ID_FS_UUID, ID_FS_UUID_SUB and ID_FS_LABEL
 * in udev's safe form (whitespace to '_') each followed by its _ENC key
 * (\xNN escapes); ID_PART_ENTRY_NAME and _TYPE escaped; the rest as is.
 * Then, for an md member, the keys of mdadm --examine --export: MD_LEVEL
 * (raid1, linear, ...; none for a level without a personality),
 * MD_DEVICES, MD_NAME (1.x, up to a newline, as it is), MD_UUID and
 * MD_DEV_UUID (1.x) in mdadm's colon form, MD_EVENTS; and ours: MD_ROLE
 * (the slot, spare, faulty, journal), MD_METADATA (0.90, 1.0, 1.1, 1.2),
 * MD_LAYOUT (the kernel's number: raid5's algorithm, raid10's copies).
 * The string is only valid during the call. */
void ev_probe_keys(const ev_probe_t *p,
		void (*add)(const char *kv, void *ctx) FAST_FUNC, void *ctx) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
