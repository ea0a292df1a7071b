/* vi: set sw=4 ts=4: */
/*
 * evbox LVM2 on-disk reader: what a physical volume's label says, the
 * newest text metadata of its metadata areas, and that text parsed into a
 * volume group evlvm can turn into device-mapper tables.  Reads are
 * bounded, nothing dies, and anything refused gives a reason that names
 * the field (and the VG, PV, LV or segment it is in).
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVLVMMETA_H
#define EVLVMMETA_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

#define EV_LVM_ID_STR	39	/* "6-4-4-4-4-4-6" + NUL, as lvm prints ids */
#define EV_LVM_TEXT_MAX	(4 * 1024 * 1024)	/* the most metadata text read */
#define EV_LVM_DEPTH_MAX	8	/* sections inside sections */
#define EV_LVM_TOKEN_MAX	65536	/* one name, string or number */
#define EV_LVM_NODES_MAX	100000	/* keys, sections and list items */

typedef struct ev_lvm_label {
	char pv_uuid[EV_LVM_ID_STR];
	uint64_t label_sector;	/* 0..3 */
	uint64_t dev_size;	/* bytes, from the PV header (0: unknown) */
	uint64_t data_offset;	/* bytes: the first data area's offset (pe_start
				 * is in the metadata) */
	uint64_t data_size;	/* bytes; 0: to the end of the device */
	unsigned n_mda;		/* 0..2 */
	struct { uint64_t offset, size; } mda[2];	/* bytes from the device start */
} ev_lvm_label_t;

/* The label in sectors 0-3 ("LABELONE", the sector it is in, a CRC over
 * the sector from offset 20, "LVM2 001") and the PV header (UUID, size,
 * the NULL-terminated lists of data areas and metadata areas, inside the
 * sector); every offset and size inside SIZE (the device's bytes).
 * Returns 0 (*L filled), -ENOENT (no label), -EINVAL (WHY, if not NULL,
 * says what is wrong with the first label seen) or -errno of a read. */
int ev_lvm_read_label(int fd, uint64_t size, ev_lvm_label_t *l,
		char *why, unsigned whylen) FAST_FUNC;

/* The newest text metadata of the PV: each metadata area's header (magic,
 * version 1, checksum, start), its raw_locn[0] (not ignored), the text
 * (wrapping past the end of the area to 512 bytes after its start), its
 * checksum; of two areas with text, the one whose "seqno" is higher (the
 * first when equal).  *TEXT gets a malloc'd NUL-terminated copy the caller
 * frees, *LEN its length (without the NUL).  Returns 0; -ENOENT when no
 * area holds text (a PV made with --metadatacopies 0, or not in a VG: its
 * VG's metadata is on its other PVs); -EINVAL (WHY) when the areas that
 * hold something hold nothing usable; -ENOMEM; -errno of a read.  On
 * success WHY is "" or says why one of the two areas was not used. */
int ev_lvm_read_text(int fd, uint64_t size, const ev_lvm_label_t *l,
		char **text, size_t *len, char *why, unsigned whylen) FAST_FUNC;

enum { EV_LVM_LINEAR, EV_LVM_STRIPED, EV_LVM_OTHER };

typedef struct ev_lvm_area {
	unsigned pv;		/* index into vg->pvs */
	uint64_t extent;	/* the first of the PV's extents */
} ev_lvm_area_t;

typedef struct ev_lvm_seg {
	uint64_t start_extent, extent_count;	/* in the LV, in extents */
	int type;		/* EV_LVM_LINEAR: "striped" (or "linear") with 1
				 * stripe; EV_LVM_STRIPED: more; EV_LVM_OTHER:
				 * anything else (no areas read) */
	char type_name[32];	/* as written: "striped", "thin", "raid1", ... */
	unsigned stripe_count;	/* 0 for EV_LVM_OTHER */
	uint64_t stripe_size;	/* sectors; 0 for one stripe */
	uint64_t area_len;	/* extents on each PV: extent_count / stripe_count */
	ev_lvm_area_t *areas;	/* stripe_count of them, in stripe order */
} ev_lvm_seg_t;

typedef struct ev_lvm_lv {
	char name[128], id[EV_LVM_ID_STR];
	unsigned visible:1, read:1, write:1, activation_skip:1;
	unsigned locked:1, pvmove:1, fixed_minor:1;
	unsigned nsegs;
	ev_lvm_seg_t *segs;	/* sorted by start_extent, contiguous from 0 */
	uint64_t extents;	/* the sum of the segments */
} ev_lvm_lv_t;

typedef struct ev_lvm_pvent {
	char name[64];		/* "pv0" */
	char id[EV_LVM_ID_STR];
	char device[128];	/* the hint, may be "" (also when it does not fit) */
	uint64_t dev_size, pe_start, pe_count;	/* sectors, sectors, extents */
	unsigned allocatable:1, exported:1, missing:1;
} ev_lvm_pvent_t;

typedef struct ev_lvm_vg {
	char name[128], id[EV_LVM_ID_STR];
	uint64_t seqno, extent_size;	/* extent_size in sectors */
	/* status and flags as written; not acted on here */
	unsigned read:1, write:1, resizeable:1, exported:1;
	unsigned clustered:1, shared:1, pvmove:1;
	char system_id[128];	/* "" when none */
	char lock_type[32];	/* "" when none ("sanlock", "dlm", ...) */
	unsigned npvs;
	ev_lvm_pvent_t *pvs;
	unsigned nlvs;
	ev_lvm_lv_t *lvs;	/* in the order of the text; hidden ones too */
} ev_lvm_vg_t;

/* The text format (lvm's config syntax) into a VG, checked: see
 * evlvmmeta.c for the list.  Returns the VG (free it with ev_lvm_free) or
 * NULL with WHY (also "out of memory"). */
ev_lvm_vg_t *ev_lvm_parse(const char *text, size_t len, char *why, unsigned whylen) FAST_FUNC;
void ev_lvm_free(ev_lvm_vg_t *vg) FAST_FUNC;

/* The index of the PV whose id is ID (as printed, dashes or not) in VG,
 * or -1. */
int ev_lvm_find_pv(const ev_lvm_vg_t *vg, const char *id) FAST_FUNC;

/* lvm's device-mapper names and uuids: "VG-LV" with every '-' in VG and LV
 * doubled; "LVM-" + the VG id + the LV id without their dashes.  Into BUF
 * of SIZE, returned; NULL when it does not fit. */
char *ev_lvm_dm_name(const char *vg, const char *lv, char *buf, unsigned size) FAST_FUNC;
char *ev_lvm_dm_uuid(const char *vgid, const char *lvid, char *buf, unsigned size) FAST_FUNC;

/* The other way: a dm NAME ("VG-LV", '-' doubled in each) into VG and LV
 * (SIZE bytes each): 0, or -1 when NAME has no single '-' between two
 * non-empty parts (no LVM name) or a part does not fit. */
int ev_lvm_dm_split(const char *name, char *vg, char *lv, unsigned size) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
