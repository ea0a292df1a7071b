/* vi: set sw=4 ts=4: */
/*
 * evbox LVM2 on-disk reader (see evlvmmeta.h).
 *
 * The formats are LVM2's: lib/label/label.c (the label), lib/format_text/
 * layout.h and text_label.c (the PV header, the metadata area header and
 * its raw_locn), format-text.c (reading the text, wrapped), libdm's
 * config parser (the text syntax) and import_vsn1.c (what the text must
 * hold).  What lvm refuses is refused here, plus the bounds this reader
 * needs itself.  The parse checks: nesting (EV_LVM_DEPTH_MAX), tokens
 * (EV_LVM_TOKEN_MAX), the count of entries (EV_LVM_NODES_MAX), integers
 * that overflow, unbalanced braces, brackets and quotes; contents and
 * version; one VG section; the required keys (id, seqno, extent_size,
 * status, physical_volumes, dev_size, pe_start, pe_count, segment_count,
 * start_extent, extent_count, type, stripe_count, stripe_size with more
 * than one stripe, stripes); names as lvm allows them ([a-zA-Z0-9+_.-],
 * not starting with '-', not "." or "..", under 128 bytes); ids (32 of
 * lvm's characters); duplicate PV or LV names or ids; segment_count
 * against the segments present; segments contiguous from extent 0; a
 * stripes list of 2 * stripe_count naming known PVs; areas inside their
 * PV's pe_count; a PV's extents inside its dev_size; two areas sharing a
 * PV's extent.  Other segment types (thin, raid1, ...) are kept by name,
 * without areas, for evlvm to refuse when it activates.
 *
 * The parser builds a tree of nodes (indices into one growing array) that
 * point into the caller's text: strings are unescaped as they are copied
 * out.  Nothing here dies; every allocation failure is -ENOMEM or NULL.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVLVM) += evlvmmeta.o

#include "libbb.h"
#include "evlvmmeta.h"

#define SECTOR		512
#define LABEL_SECTORS	4
#define INITIAL_CRC	0xf597a6cf
#define MDA_HEADER	512
#define FMTT_MAGIC	" LVM2 x[5A%r0N*>"
#define RAW_LOCN_IGNORED 1
#define ID_LEN		32

typedef unsigned long long ull;
typedef long long ll;

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p + 4) << 32 | le32(p);
}

/* lvm's calc_crc: CRC-32, reflected (0xedb88320), no final xor; four bits
 * at a time */
static uint32_t crc(uint32_t c, const uint8_t *p, size_t n)
{
	static const uint32_t t[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};

	while (n--) {
		c ^= *p++;
		c = (c >> 4) ^ t[c & 15];
		c = (c >> 4) ^ t[c & 15];
	}
	return c;
}

static void say(char *why, unsigned whylen, const char *fmt, ...)
	__attribute__ ((format (printf, 3, 4)));
static void say(char *why, unsigned whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
}

/* LEN bytes at OFF: 0, -EIO when the file ends first, or -errno */
static int rd(int fd, uint64_t off, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = pread(fd, (char *)buf + got, len - got, off + got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		got += n;
	}
	return 0;
}

/* ---- ids ------------------------------------------------------------------ */

static int id_char(unsigned c)
{
	return isalnum(c) || c == '!' || c == '#';
}

/* 32 id characters RAW as lvm prints them (6-4-4-4-4-4-6) into OUT */
static void id_print(const char *raw, char *out)
{
	unsigned i;

	for (i = 0; i < ID_LEN; i++) {
		if (i >= 6 && i <= 26 && (i - 6) % 4 == 0)
			*out++ = '-';
		*out++ = raw[i];
	}
	*out = '\0';
}

/* An id as written (dashes anywhere, as lvm's id_read_format takes them)
 * into its 32 characters RAW; 0 or -1 */
static int id_raw(const char *s, char *raw)
{
	unsigned n = 0;

	for (; *s; s++) {
		if (*s == '-')
			continue;
		if (n == ID_LEN || !id_char((unsigned char)*s))
			return -1;
		raw[n++] = *s;
	}
	return n == ID_LEN ? 0 : -1;
}

/* ---- the label ---------------------------------------------------------------- */

/* A NULL-terminated disk_locn list at *POS in the sector B: the first
 * entry into *OFF and *SIZE, the count returned; *POS after the terminator.
 * -1 when the list runs past the sector. */
static int locn_list(const uint8_t *b, unsigned *pos, uint64_t *off, uint64_t *size,
		unsigned max)
{
	unsigned n = 0;

	for (;;) {
		if (*pos + 16 > SECTOR)
			return -1;
		if (le64(b + *pos) == 0) {
			*pos += 16;
			return n;
		}
		if (n < max) {
			off[n] = le64(b + *pos);
			size[n] = le64(b + *pos + 8);
		}
		n++;
		*pos += 16;
	}
}

static int pv_header(const uint8_t *b, unsigned s, uint64_t size, ev_lvm_label_t *l,
		char *why, unsigned whylen)
{
	uint64_t doff[1], dsize[1], moff[2], msize[2];
	unsigned off, pos, i;
	int n;

	off = le32(b + 20);
	if (off < 32 || off > SECTOR - ID_LEN - 8 - 32) {
		say(why, whylen, "label in sector %u: offset_xl %u puts the PV header outside the sector", s, off);
		return -EINVAL;
	}
	for (i = 0; i < ID_LEN; i++) {
		if (!id_char(b[off + i])) {
			say(why, whylen, "PV header: pv_uuid has a byte 0x%02x that is no id character", b[off + i]);
			return -EINVAL;
		}
	}
	id_print((const char *)b + off, l->pv_uuid);
	l->label_sector = s;
	l->dev_size = le64(b + off + ID_LEN);
	if (l->dev_size > size) {
		say(why, whylen, "PV header: device_size %llu is larger than the device (%llu bytes)",
				(ull)l->dev_size, (ull)size);
		return -EINVAL;
	}
	pos = off + ID_LEN + 8;
	n = locn_list(b, &pos, doff, dsize, 1);
	if (n < 0) {
		say(why, whylen, "PV header: the data area list runs past the label sector");
		return -EINVAL;
	}
	if (n == 0) {
		say(why, whylen, "PV header: no data area");
		return -EINVAL;
	}
	l->data_offset = doff[0];
	l->data_size = dsize[0];
	if (doff[0] >= size || dsize[0] > size - doff[0]) {
		say(why, whylen, "PV header: data area (offset %llu, size %llu) is past the device (%llu bytes)",
				(ull)doff[0], (ull)dsize[0], (ull)size);
		return -EINVAL;
	}
	n = locn_list(b, &pos, moff, msize, 2);
	if (n < 0) {
		say(why, whylen, "PV header: the metadata area list runs past the label sector");
		return -EINVAL;
	}
	if (n > 2) {
		say(why, whylen, "PV header: %d metadata areas (lvm writes at most 2)", n);
		return -EINVAL;
	}
	for (i = 0; i < (unsigned)n; i++) {
		if (moff[i] >= size || msize[i] > size - moff[i]) {
			say(why, whylen, "PV header: metadata area %u (offset %llu, size %llu) is past the device (%llu bytes)",
					i, (ull)moff[i], (ull)msize[i], (ull)size);
			return -EINVAL;
		}
		if (msize[i] <= MDA_HEADER) {
			say(why, whylen, "PV header: metadata area %u size %llu leaves no room after its header",
					i, (ull)msize[i]);
			return -EINVAL;
		}
		l->mda[i].offset = moff[i];
		l->mda[i].size = msize[i];
	}
	l->n_mda = n;
	return 0;
}

int FAST_FUNC ev_lvm_read_label(int fd, uint64_t size, ev_lvm_label_t *l,
		char *why, unsigned whylen)
{
	uint8_t buf[LABEL_SECTORS * SECTOR];
	unsigned s, n;
	int r, ret = -ENOENT;

	memset(l, 0, sizeof(*l));
	say(why, whylen, "%s", "");
	n = size / SECTOR < LABEL_SECTORS ? size / SECTOR : LABEL_SECTORS;
	if (n == 0)
		return -ENOENT;
	r = rd(fd, 0, buf, n * SECTOR);
	if (r)
		return r;
	for (s = 0; s < n; s++) {
		const uint8_t *b = buf + s * SECTOR;
		uint32_t c;

		if (memcmp(b, "LABELONE", 8) != 0)
			continue;
		/* a label that is not whole is skipped, as lvm does; the first
		 * one's reason is kept */
		if (le64(b + 8) != s) {
			if (ret == -ENOENT)
				say(why, whylen, "label in sector %u: sector_xl says %llu", s, (ull)le64(b + 8));
			ret = -EINVAL;
			continue;
		}
		c = crc(INITIAL_CRC, b + 20, SECTOR - 20);
		if (c != le32(b + 16)) {
			if (ret == -ENOENT)
				say(why, whylen, "label in sector %u: crc_xl %08x is wrong (the crc is %08x)",
						s, le32(b + 16), c);
			ret = -EINVAL;
			continue;
		}
		if (memcmp(b + 24, "LVM2 001", 8) != 0) {
			if (ret == -ENOENT)
				say(why, whylen, "label in sector %u: type is not \"LVM2 001\"", s);
			ret = -EINVAL;
			continue;
		}
		r = pv_header(b, s, size, l, why, whylen);
		if (r)
			memset(l, 0, sizeof(*l));
		else
			say(why, whylen, "%s", "");
		return r;
	}
	return ret;
}

/* ---- the metadata areas ------------------------------------------------------- */

static int text_seqno(const char *text, size_t len, uint64_t *seqno);

/* The text of metadata area I into a new *TEXT (*LEN) */
static int read_mda(int fd, const ev_lvm_label_t *l, unsigned i, char **text, size_t *len,
		char *why, unsigned whylen)
{
	uint8_t h[MDA_HEADER];
	uint64_t start = l->mda[i].offset, hsize, off, tsize, first;
	uint32_t c, flags;
	char *t;
	int r;

	r = rd(fd, start, h, MDA_HEADER);
	if (r) {
		say(why, whylen, "mda%u: header at %llu: %s", i, (ull)start, strerror(-r));
		return r;
	}
	c = crc(INITIAL_CRC, h + 4, MDA_HEADER - 4);
	if (c != le32(h)) {
		say(why, whylen, "mda%u: header checksum %08x is wrong (the crc is %08x)", i, le32(h), c);
		return -EINVAL;
	}
	if (memcmp(h + 4, FMTT_MAGIC, 16) != 0) {
		say(why, whylen, "mda%u: header magic is wrong", i);
		return -EINVAL;
	}
	if (le32(h + 20) != 1) {
		say(why, whylen, "mda%u: header version %u is not 1", i, le32(h + 20));
		return -EINVAL;
	}
	if (le64(h + 24) != start) {
		say(why, whylen, "mda%u: header start %llu is not the area's offset %llu",
				i, (ull)le64(h + 24), (ull)start);
		return -EINVAL;
	}
	hsize = le64(h + 32);
	if (hsize <= MDA_HEADER || hsize > l->mda[i].size) {
		say(why, whylen, "mda%u: header size %llu is not 513..%llu (the PV header's)",
				i, (ull)hsize, (ull)l->mda[i].size);
		return -EINVAL;
	}
	/* raw_locn[0]: the committed text */
	off = le64(h + 40);
	tsize = le64(h + 48);
	flags = le32(h + 60);
	if (off == 0) {
		say(why, whylen, "mda%u: no text", i);
		return -ENOENT;
	}
	if (flags & RAW_LOCN_IGNORED) {
		say(why, whylen, "mda%u: ignored", i);
		return -ENOENT;
	}
	if (off < MDA_HEADER || off >= hsize) {
		say(why, whylen, "mda%u: raw_locn offset %llu is outside the area (%u..%llu)",
				i, (ull)off, MDA_HEADER, (ull)hsize - 1);
		return -EINVAL;
	}
	if (tsize == 0 || tsize > hsize - MDA_HEADER) {
		say(why, whylen, "mda%u: raw_locn size %llu is not 1..%llu (the area after its header)",
				i, (ull)tsize, (ull)(hsize - MDA_HEADER));
		return -EINVAL;
	}
	if (tsize > EV_LVM_TEXT_MAX) {
		say(why, whylen, "mda%u: raw_locn size %llu is over the %u bytes read", i,
				(ull)tsize, EV_LVM_TEXT_MAX);
		return -EINVAL;
	}
	t = malloc(tsize + 1);
	if (!t) {
		say(why, whylen, "mda%u: out of memory for %llu bytes of text", i, (ull)tsize);
		return -ENOMEM;
	}
	/* up to the end of the area, the rest from just after its header */
	first = hsize - off < tsize ? hsize - off : tsize;
	r = rd(fd, start + off, t, first);
	if (!r && first < tsize)
		r = rd(fd, start + MDA_HEADER, t + first, tsize - first);
	if (r) {
		say(why, whylen, "mda%u: text at %llu: %s", i, (ull)(start + off), strerror(-r));
		free(t);
		return r;
	}
	c = crc(INITIAL_CRC, (uint8_t *)t, tsize);
	if (c != le32(h + 56)) {
		say(why, whylen, "mda%u: text checksum %08x is wrong (the crc is %08x)", i, le32(h + 56), c);
		free(t);
		return -EINVAL;
	}
	/* lvm writes a NUL after the text: the text is what comes before it */
	t[tsize] = '\0';
	*len = strlen(t);
	if (*len == 0) {
		say(why, whylen, "mda%u: the text is empty", i);
		free(t);
		return -EINVAL;
	}
	*text = t;
	return 0;
}

int FAST_FUNC ev_lvm_read_text(int fd, uint64_t size, const ev_lvm_label_t *l,
		char **text, size_t *len, char *why, unsigned whylen)
{
	char w[2][160];
	char *t[2] = { NULL, NULL };
	size_t tl[2] = { 0, 0 };
	uint64_t seq[2] = { 0, 0 };
	int r[2] = { -ENOENT, -ENOENT };
	unsigned i, n = l->n_mda < 2 ? l->n_mda : 2, best;

	*text = NULL;
	*len = 0;
	say(why, whylen, "%s", "");
	for (i = 0; i < n; i++) {
		w[i][0] = '\0';
		if (l->mda[i].offset >= size || l->mda[i].size > size - l->mda[i].offset) {
			snprintf(w[i], sizeof(w[i]), "mda%u: past the device (%llu bytes)", i, (ull)size);
			r[i] = -EINVAL;
			continue;
		}
		r[i] = read_mda(fd, l, i, &t[i], &tl[i], w[i], sizeof(w[i]));
		if (r[i] == 0 && text_seqno(t[i], tl[i], &seq[i]) != 0) {
			snprintf(w[i], sizeof(w[i]), "mda%u: the text has no VG with a seqno", i);
			free(t[i]);
			t[i] = NULL;
			r[i] = -EINVAL;
		}
	}
	if (n == 0) {
		say(why, whylen, "no metadata area");
		return -ENOENT;
	}
	if (t[0] && t[1]) {
		best = seq[1] > seq[0];
		free(t[!best]);
	} else if (t[0] || t[1]) {
		best = !t[0];
		/* the other area's reason, when it had something wrong */
		if (n == 2 && r[!best] != -ENOENT)
			say(why, whylen, "%s", w[!best]);
	} else {
		/* the first hard error, else the first reason */
		for (i = 0; i < n && r[i] == -ENOENT; i++)
			continue;
		if (i == n)
			i = 0;
		say(why, whylen, "%s", w[i]);
		return r[i];
	}
	*text = t[best];
	*len = tl[best];
	return 0;
}

/* ---- the text syntax ------------------------------------------------------------ */

enum { N_SECTION, N_INT, N_STR, N_FLOAT, N_LIST };
enum { T_EOF = 256, T_WORD, T_STR, T_INT, T_FLOAT, T_ERR };

struct node {
	const char *key;	/* in the text; NULL for a list's item */
	const char *s;		/* N_STR: in the text, maybe escaped */
	int64_t i;		/* N_INT */
	unsigned klen, slen, line;
	uint8_t type, kesc, sesc;	/* escaped ("...") key, string */
	int child, next;	/* N_SECTION: entries, N_LIST: items; -1 */
};

struct tok {
	int type;
	const char *s;
	unsigned len, esc;
	int64_t i;
};

struct pctx {
	const char *p, *end;
	unsigned line;
	struct node *n;
	unsigned nn, cap;
	int failed;
	int root;		/* the top level's first node */
	char where[400];	/* "VG vg0: LV root: segment1" */
	char *why;
	unsigned whylen;
};

static int bad(struct pctx *c, const char *fmt, ...)
	__attribute__ ((format (printf, 2, 3)));
static int bad(struct pctx *c, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (!c->failed && c->why && c->whylen) {
		if (c->where[0])
			n = snprintf(c->why, c->whylen, "%s: ", c->where);
		if (n >= 0 && (unsigned)n < c->whylen) {
			va_start(ap, fmt);
			vsnprintf(c->why + n, c->whylen - n, fmt, ap);
			va_end(ap);
		}
	}
	c->failed = 1;
	return -1;
}

static int delim(int ch)
{
	return isspace(ch) || ch == '#' || ch == '=' || ch == '{' || ch == '}'
		|| ch == '[' || ch == ']' || ch == ',' || ch == '"' || ch == '\'' || ch == '\0';
}

/* A decimal (or, as strtoll's base 0 reads a leading 0, octal) integer of
 * LEN bytes at S into *V; -1 when it is none, -2 when it overflows */
static int number(const char *s, unsigned len, int64_t *v)
{
	uint64_t n = 0, lim;
	unsigned i = 0, base = 10, d;
	int neg = 0;

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	if (i == len)
		return -1;
	if (s[i] == '0' && len - i > 1)
		base = 8;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		d = s[i] - '0';
		if (d >= base)
			return -1;
		if (n > (lim - d) / base)
			return -2;
		n = n * base + d;
	}
	*v = neg ? (int64_t)(0 - n) : (int64_t)n;
	return 0;
}

/* The next token; VALUE: where a value may stand (after '=', '[', ',') */
static int tok(struct pctx *c, int value, struct tok *t)
{
	const char *p = c->p, *e = c->end;
	int r;

	for (;;) {
		while (p < e && isspace((unsigned char)*p)) {
			if (*p == '\n')
				c->line++;
			p++;
		}
		if (p < e && *p == '#') {
			while (p < e && *p != '\n')
				p++;
			continue;
		}
		break;
	}
	t->s = p;
	t->len = 0;
	t->esc = 0;
	if (p == e || *p == '\0') {
		c->p = p;
		return t->type = T_EOF;
	}
	switch (*p) {
	case '{': case '}': case '[': case ']': case ',': case '=':
		t->type = (unsigned char)*p;
		c->p = p + 1;
		return t->type;
	case '"': case '\'': {
		char q = *p++;
		unsigned line = c->line;

		t->s = p;
		while (p < e && *p && *p != q) {
			if (q == '"' && *p == '\\' && p + 1 < e && p[1])
				p++;
			if (*p == '\n')
				c->line++;
			p++;
		}
		if (p == e || *p != q)
			return bad(c, "line %u: a string runs to the end of the text", line), T_ERR;
		t->len = p - t->s;
		t->esc = q == '"';
		t->type = T_STR;
		c->p = p + 1;
		break;
	}
	default:
		while (p < e && !delim((unsigned char)*p))
			p++;
		t->len = p - t->s;
		c->p = p;
		t->type = T_WORD;
		if (value && (isdigit((unsigned char)t->s[0]) || t->s[0] == '+'
				|| t->s[0] == '-' || t->s[0] == '.')
		) {
			if (memchr(t->s, '.', t->len)) {
				t->type = T_FLOAT;
				break;
			}
			r = number(t->s, t->len, &t->i);
			if (r == -2)
				return bad(c, "line %u: integer %.*s overflows", c->line,
						t->len > 40 ? 40 : (int)t->len, t->s), T_ERR;
			if (r < 0)
				return bad(c, "line %u: %.*s is not a number", c->line,
						t->len > 40 ? 40 : (int)t->len, t->s), T_ERR;
			t->type = T_INT;
		}
		break;
	}
	if (t->len > EV_LVM_TOKEN_MAX)
		return bad(c, "line %u: a token of %u bytes (at most %u)", c->line,
				t->len, EV_LVM_TOKEN_MAX), T_ERR;
	return t->type;
}

static int new_node(struct pctx *c)
{
	struct node *n;

	if (c->nn == c->cap) {
		unsigned cap = c->cap ? c->cap * 2 : 256;

		if (c->nn >= EV_LVM_NODES_MAX)
			return bad(c, "line %u: more than %u entries", c->line, EV_LVM_NODES_MAX);
		if (cap > EV_LVM_NODES_MAX)
			cap = EV_LVM_NODES_MAX;
		n = realloc(c->n, cap * sizeof(*n));
		if (!n)
			return bad(c, "out of memory");
		c->n = n;
		c->cap = cap;
	}
	n = &c->n[c->nn];
	memset(n, 0, sizeof(*n));
	n->child = n->next = -1;
	n->line = c->line;
	return c->nn++;
}

#define NAMEF(n) ((n)->klen > 60 ? 60 : (int)(n)->klen), (n)->key

static int value(struct pctx *c, int k)
{
	struct tok t;
	int x, last = -1, ty;

	ty = tok(c, 1, &t);
	if (ty == '[') {
		c->n[k].type = N_LIST;
		for (;;) {
			ty = tok(c, 1, &t);
			if (ty == ']')
				return 0;
			if (ty == T_ERR)
				return -1;
			if (ty == T_EOF)
				return bad(c, "line %u: the list of %.*s is not closed", c->n[k].line, NAMEF(&c->n[k]));
			if (ty != T_INT && ty != T_STR && ty != T_WORD && ty != T_FLOAT)
				return bad(c, "line %u: a list item of %.*s is no value", c->line, NAMEF(&c->n[k]));
			x = new_node(c);
			if (x < 0)
				return -1;
			c->n[x].type = ty == T_INT ? N_INT : ty == T_FLOAT ? N_FLOAT : N_STR;
			c->n[x].i = t.i;
			c->n[x].s = t.s;
			c->n[x].slen = t.len;
			c->n[x].sesc = t.esc;
			if (last < 0)
				c->n[k].child = x;
			else
				c->n[last].next = x;
			last = x;
			/* a comma between items, as lvm: optional */
			{
				const char *save = c->p;
				unsigned line = c->line;

				if (tok(c, 1, &t) != ',') {
					c->p = save;
					c->line = line;
				}
			}
		}
	}
	if (ty == T_ERR)
		return -1;
	if (ty != T_INT && ty != T_STR && ty != T_WORD && ty != T_FLOAT)
		return bad(c, "line %u: %.*s = has no value", c->line, NAMEF(&c->n[k]));
	c->n[k].type = ty == T_INT ? N_INT : ty == T_FLOAT ? N_FLOAT : N_STR;
	c->n[k].i = t.i;
	c->n[k].s = t.s;
	c->n[k].slen = t.len;
	c->n[k].sesc = t.esc;
	return 0;
}

/* The entries of section PARENT (-1: the top level) up to its '}' */
static int body(struct pctx *c, int parent, unsigned depth, int *first)
{
	struct tok t;
	int k, ty, last = -1;

	for (;;) {
		ty = tok(c, 0, &t);
		if (ty == T_ERR)
			return -1;
		if (ty == '}') {
			if (parent < 0)
				return bad(c, "line %u: a '}' closes no section", c->line);
			return 0;
		}
		if (ty == T_EOF) {
			if (parent >= 0)
				return bad(c, "line %u: section %.*s is not closed",
						c->n[parent].line, NAMEF(&c->n[parent]));
			return 0;
		}
		if (ty != T_WORD && ty != T_STR)
			return bad(c, "line %u: '%c' where a name should be", c->line,
					ty < 256 ? ty : '?');
		if (t.len == 0)
			return bad(c, "line %u: an empty name", c->line);
		k = new_node(c);
		if (k < 0)
			return -1;
		c->n[k].key = t.s;
		c->n[k].klen = t.len;
		c->n[k].kesc = t.esc;
		if (last < 0)
			*first = k;
		else
			c->n[last].next = k;
		last = k;
		ty = tok(c, 0, &t);
		if (ty == '{') {
			if (depth + 1 > EV_LVM_DEPTH_MAX)
				return bad(c, "line %u: sections nested deeper than %u", c->line,
						EV_LVM_DEPTH_MAX);
			c->n[k].type = N_SECTION;
			if (body(c, k, depth + 1, &c->n[k].child) < 0)
				return -1;
		} else if (ty == '=') {
			if (value(c, k) < 0)
				return -1;
		} else if (ty != T_ERR)
			return bad(c, "line %u: no '=' or '{' after %.*s", c->line, NAMEF(&c->n[k]));
		else
			return -1;
	}
}

/* The tree of TEXT; the top level's first node into *ROOT */
static int build(struct pctx *c, const char *text, size_t len, int *root)
{
	c->p = text;
	c->end = text + len;
	c->line = 1;
	*root = c->root = -1;
	if (body(c, -1, 0, &c->root) < 0)
		return -1;
	*root = c->root;
	return 0;
}

/* ---- reading the tree --------------------------------------------------------- */

static int key_is(const struct node *n, const char *key)
{
	return n->key && !n->kesc && n->klen == strlen(key) && memcmp(n->key, key, n->klen) == 0;
}

/* A string (S, LEN, ESC: escaped as in "...") into BUF of SIZE, unescaped
 * (\" and \\); its length, or -1 when it does not fit */
static int unescape(const char *s, unsigned len, int esc, char *buf, unsigned size)
{
	unsigned i, n = 0;

	for (i = 0; i < len; i++) {
		if (esc && s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		if (n + 1 >= size)
			return -1;
		buf[n++] = s[i];
	}
	if (size)
		buf[n] = '\0';
	return size ? (int)n : -1;
}

/* The entry KEY of section SEC: its index, -1 when there is none; two of
 * them is an error (lvm would take the last) */
static int find(struct pctx *c, int sec, const char *key, int *k)
{
	int x;

	*k = -1;
	for (x = sec < 0 ? c->root : c->n[sec].child; x >= 0; x = c->n[x].next) {
		if (!key_is(&c->n[x], key))
			continue;
		if (*k >= 0)
			return bad(c, "%s given twice (lines %u and %u)", key, c->n[*k].line, c->n[x].line);
		*k = x;
	}
	return 0;
}

/* An integer KEY in 0..MAX; REQUIRED, or *V stays */
static int get_u(struct pctx *c, int sec, const char *key, uint64_t max, uint64_t *v, int required)
{
	int k;

	if (find(c, sec, key, &k) < 0)
		return -1;
	if (k < 0)
		return required ? bad(c, "no %s", key) : 0;
	if (c->n[k].type != N_INT)
		return bad(c, "%s (line %u) is not an integer", key, c->n[k].line);
	if (c->n[k].i < 0)
		return bad(c, "%s %lld is negative", key, (ll)c->n[k].i);
	if ((uint64_t)c->n[k].i > max)
		return bad(c, "%s %lld is over %llu", key, (ll)c->n[k].i, (ull)max);
	*v = c->n[k].i;
	return 0;
}

/* A string KEY into BUF; REQUIRED, or BUF gets ""; 1 when it is too long
 * and TRUNC_OK (BUF ""), else an error */
static int get_str(struct pctx *c, int sec, const char *key, char *buf, unsigned size,
		int required, int trunc_ok)
{
	int k;

	buf[0] = '\0';
	if (find(c, sec, key, &k) < 0)
		return -1;
	if (k < 0)
		return required ? bad(c, "no %s", key) : 0;
	if (c->n[k].type != N_STR)
		return bad(c, "%s (line %u) is not a string", key, c->n[k].line);
	if (unescape(c->n[k].s, c->n[k].slen, c->n[k].sesc, buf, size) < 0) {
		buf[0] = '\0';
		if (trunc_ok)
			return 1;
		return bad(c, "%s (line %u) is longer than %u bytes", key, c->n[k].line, size - 1);
	}
	return 0;
}

static int get_id(struct pctx *c, int sec, char *id)
{
	char buf[80], raw[ID_LEN];

	if (get_str(c, sec, "id", buf, sizeof(buf), 1, 0) < 0)
		return -1;
	if (id_raw(buf, raw) < 0)
		return bad(c, "id \"%s\" is not an lvm id", buf);
	id_print(raw, id);
	return 0;
}

/* The names in the lists "status" (required) and "flags" that are in
 * NAMES (NUL-separated), as bits */
static int get_flags(struct pctx *c, int sec, const char *names, unsigned *bits)
{
	static const char lists[] ALIGN1 = "status\0" "flags\0";
	char buf[40];
	int k, x, i, j;

	*bits = 0;
	for (j = 0; j < 2; j++) {
		const char *list = nth_string(lists, j);

		if (find(c, sec, list, &k) < 0)
			return -1;
		if (k < 0) {
			if (j == 0)
				return bad(c, "no status");
			continue;
		}
		if (c->n[k].type != N_LIST)
			return bad(c, "%s (line %u) is not a list", list, c->n[k].line);
		for (x = c->n[k].child; x >= 0; x = c->n[x].next) {
			if (c->n[x].type != N_STR)
				return bad(c, "%s (line %u) holds something that is not a string",
						list, c->n[k].line);
			if (unescape(c->n[x].s, c->n[x].slen, c->n[x].sesc, buf, sizeof(buf)) < 0)
				continue;	/* no flag we know */
			i = index_in_strings(names, buf);
			if (i >= 0)
				*bits |= 1u << i;
		}
	}
	return 0;
}

/* lvm's rule for VG, LV and PV names; NULL or what is wrong */
static const char *name_bad(const char *n, unsigned max)
{
	const char *p;

	if (!*n)
		return "is empty";
	if (*n == '-')
		return "starts with '-'";
	if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
		return "is . or ..";
	for (p = n; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("+_.-", *p))
			return "has a character lvm does not allow";
	if ((unsigned)(p - n) > max)
		return "is too long";
	return NULL;
}

/* A section's name (its key) into BUF, checked as a name */
static int get_name(struct pctx *c, int k, const char *what, char *buf, unsigned size)
{
	const char *e;

	if (unescape(c->n[k].key, c->n[k].klen, c->n[k].kesc, buf, size) < 0)
		return bad(c, "%s name %.*s... (line %u) is longer than %u bytes", what, 40,
				c->n[k].key, c->n[k].line, size - 1);
	e = name_bad(buf, size - 1);
	if (e)
		return bad(c, "%s name \"%s\" (line %u) %s", what, buf, c->n[k].line, e);
	return 0;
}

static void where(struct pctx *c, const char *fmt, ...)
	__attribute__ ((format (printf, 2, 3)));
static void where(struct pctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->where, sizeof(c->where), fmt, ap);
	va_end(ap);
}

/* The one top-level section */
static int vg_section(struct pctx *c, int root)
{
	int x, vg = -1;

	for (x = root; x >= 0; x = c->n[x].next) {
		if (c->n[x].type != N_SECTION)
			continue;
		if (vg >= 0)
			return bad(c, "two VG sections, %.*s (line %u) and %.*s (line %u)",
					NAMEF(&c->n[vg]), c->n[vg].line, NAMEF(&c->n[x]), c->n[x].line);
		vg = x;
	}
	if (vg < 0)
		return bad(c, "no VG section");
	return vg;
}

static int text_seqno(const char *text, size_t len, uint64_t *seqno)
{
	struct pctx c;
	int root, vg, r = -1;

	memset(&c, 0, sizeof(c));
	if (build(&c, text, len, &root) == 0) {
		vg = vg_section(&c, root);
		if (vg >= 0)
			r = get_u(&c, vg, "seqno", UINT32_MAX, seqno, 1);
	}
	free(c.n);
	return r;
}

/* ---- the VG ------------------------------------------------------------------- */

struct used {			/* an area on a PV, for the overlap check */
	unsigned pv, lv;
	uint64_t start, len;
};

static int cmp_used(const void *a, const void *b)
{
	const struct used *x = a, *y = b;

	if (x->pv != y->pv)
		return x->pv < y->pv ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_seg(const void *a, const void *b)
{
	const ev_lvm_seg_t *x = a, *y = b;

	return x->start_extent < y->start_extent ? -1 : x->start_extent > y->start_extent;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Two of the N strings at BASE + i * STRIDE alike: the string, else NULL */
static const char *dup_of(const char *base, size_t stride, unsigned n, const char **tmp)
{
	unsigned i;

	for (i = 0; i < n; i++)
		tmp[i] = base + i * stride;
	qsort(tmp, n, sizeof(*tmp), cmp_str);
	for (i = 1; i < n; i++)
		if (strcmp(tmp[i - 1], tmp[i]) == 0)
			return tmp[i];
	return NULL;
}

/* The first section at X or after it among its siblings, or -1 */
static int sec_from(const struct pctx *c, int x)
{
	while (x >= 0 && c->n[x].type != N_SECTION)
		x = c->n[x].next;
	return x;
}
#define FOR_SECTIONS(c, sec, x) \
	for (x = sec_from(c, c->n[sec].child); x >= 0; x = sec_from(c, c->n[x].next))

/* An array of *N zeroed entries of SIZE, one for each section in SEC;
 * NULL when there is none (C->failed when out of memory) */
static void *entries(struct pctx *c, int sec, size_t size, unsigned *n)
{
	void *a;
	int x;

	*n = 0;
	FOR_SECTIONS(c, sec, x)
		(*n)++;
	if (*n == 0)
		return NULL;
	a = calloc(*n, size);
	if (!a) {
		*n = 0;
		bad(c, "out of memory");
	}
	return a;
}

/* Section X's name, a WHAT ("PV", "LV") of the VG, into BUF; the reasons
 * from here on name it */
static int entry_name(struct pctx *c, int x, const char *what, const char *vg,
		char *buf, unsigned size)
{
	where(c, "VG %s", vg);
	if (get_name(c, x, what, buf, size) < 0)
		return -1;
	where(c, "VG %s: %s %s", vg, what, buf);
	return 0;
}

static int read_pvs(struct pctx *c, int vgk, ev_lvm_vg_t *vg)
{
	static const char pv_flags[] ALIGN1 = "ALLOCATABLE\0" "EXPORTED\0" "MISSING\0";
	int sec, x;
	unsigned i = 0, bits;

	if (find(c, vgk, "physical_volumes", &sec) < 0)
		return -1;
	if (sec < 0 || c->n[sec].type != N_SECTION)
		return bad(c, "no physical_volumes section");
	vg->pvs = entries(c, sec, sizeof(*vg->pvs), &vg->npvs);
	if (!vg->pvs)
		return c->failed ? -1 : bad(c, "no PV in physical_volumes");
	FOR_SECTIONS(c, sec, x) {
		ev_lvm_pvent_t *pv = &vg->pvs[i++];

		if (entry_name(c, x, "PV", vg->name, pv->name, sizeof(pv->name)) < 0
		 || get_id(c, x, pv->id) < 0
		 || get_str(c, x, "device", pv->device, sizeof(pv->device), 0, 1) < 0
		 || get_flags(c, x, pv_flags, &bits) < 0
		 || get_u(c, x, "dev_size", INT64_MAX, &pv->dev_size, 1) < 0
		 || get_u(c, x, "pe_start", INT64_MAX, &pv->pe_start, 1) < 0
		 || get_u(c, x, "pe_count", UINT32_MAX, &pv->pe_count, 1) < 0
		) {
			return -1;
		}
		pv->allocatable = !!(bits & 1);
		pv->exported = !!(bits & 2);
		pv->missing = !!(bits & 4);
		/* extent_size and pe_count are 32-bit: no overflow */
		if (pv->pe_count
		 && (pv->pe_start > pv->dev_size
		  || pv->pe_count * vg->extent_size > pv->dev_size - pv->pe_start)
		) {
			return bad(c, "pe_start %llu + pe_count %llu extents of %llu sectors is past dev_size %llu",
					(ull)pv->pe_start, (ull)pv->pe_count, (ull)vg->extent_size,
					(ull)pv->dev_size);
		}
	}
	return 0;
}

static int pv_index(const ev_lvm_vg_t *vg, const char *name)
{
	unsigned i;

	for (i = 0; i < vg->npvs; i++)
		if (strcmp(vg->pvs[i].name, name) == 0)
			return i;
	return -1;
}

static int read_stripes(struct pctx *c, int sk, const ev_lvm_vg_t *vg, ev_lvm_seg_t *s)
{
	char name[64];
	unsigned n = 0, a;
	int k, x, p;

	if (find(c, sk, "stripes", &k) < 0)
		return -1;
	if (k < 0)
		return bad(c, "no stripes");
	if (c->n[k].type != N_LIST)
		return bad(c, "stripes (line %u) is not a list", c->n[k].line);
	for (x = c->n[k].child; x >= 0; x = c->n[x].next)
		n++;
	if (n != 2 * s->stripe_count)
		return bad(c, "stripes has %u items, not 2 * stripe_count %u", n, s->stripe_count);
	s->areas = calloc(s->stripe_count, sizeof(*s->areas));
	if (!s->areas)
		return bad(c, "out of memory");
	for (a = 0, x = c->n[k].child; x >= 0; a++, x = c->n[c->n[x].next].next) {
		const struct node *e = &c->n[c->n[x].next];

		if (c->n[x].type != N_STR || e->type != N_INT)
			return bad(c, "stripes item %u is not a PV name and an extent", a);
		if (unescape(c->n[x].s, c->n[x].slen, c->n[x].sesc, name, sizeof(name)) < 0
		 || (p = pv_index(vg, name)) < 0
		) {
			return bad(c, "stripe %u names \"%.*s\", which is no PV of the VG", a,
					c->n[x].slen > 60 ? 60 : (int)c->n[x].slen, c->n[x].s);
		}
		if (e->i < 0 || (uint64_t)e->i >= vg->pvs[p].pe_count
		 || s->area_len > vg->pvs[p].pe_count - e->i
		) {
			return bad(c, "stripe %u: extents %lld+%llu are past pe_count %llu of %s", a,
					(ll)e->i, (ull)s->area_len, (ull)vg->pvs[p].pe_count, name);
		}
		s->areas[a].pv = p;
		s->areas[a].extent = e->i;
	}
	return 0;
}

static int read_segment(struct pctx *c, int sk, const ev_lvm_vg_t *vg, ev_lvm_seg_t *s)
{
	uint64_t v;

	if (get_u(c, sk, "start_extent", UINT32_MAX, &s->start_extent, 1) < 0
	 || get_u(c, sk, "extent_count", UINT32_MAX, &s->extent_count, 1) < 0
	 || get_str(c, sk, "type", s->type_name, sizeof(s->type_name), 1, 0) < 0
	) {
		return -1;
	}
	if (s->extent_count == 0)
		return bad(c, "extent_count is 0");
	if (strcmp(s->type_name, "striped") != 0 && strcmp(s->type_name, "linear") != 0) {
		s->type = EV_LVM_OTHER;
		return 0;
	}
	v = 0;
	if (get_u(c, sk, "stripe_count", UINT32_MAX, &v, 1) < 0)
		return -1;
	if (v == 0)
		return bad(c, "stripe_count is 0");
	s->stripe_count = v;
	s->type = v == 1 ? EV_LVM_LINEAR : EV_LVM_STRIPED;
	if (v > 1) {
		if (get_u(c, sk, "stripe_size", UINT32_MAX, &s->stripe_size, 1) < 0)
			return -1;
		if (s->stripe_size == 0)
			return bad(c, "stripe_size is 0");
	}
	if (s->extent_count % s->stripe_count)
		return bad(c, "extent_count %llu is not a multiple of stripe_count %u",
				(ull)s->extent_count, s->stripe_count);
	s->area_len = s->extent_count / s->stripe_count;
	return read_stripes(c, sk, vg, s);
}

static int read_lv(struct pctx *c, int k, ev_lvm_vg_t *vg, ev_lvm_lv_t *lv,
		struct used **used, unsigned *nused, unsigned *capused)
{
	static const char lv_flags[] ALIGN1 = "READ\0" "WRITE\0" "VISIBLE\0"
		"ACTIVATION_SKIP\0" "LOCKED\0" "PVMOVE\0" "FIXED_MINOR\0";
	uint64_t segcount;
	unsigned bits, i, a;
	int x;

	if (get_id(c, k, lv->id) < 0
	 || get_flags(c, k, lv_flags, &bits) < 0
	 || get_u(c, k, "segment_count", UINT32_MAX, &segcount, 1) < 0
	) {
		return -1;
	}
	lv->read = !!(bits & 1);
	lv->write = !!(bits & 2);
	lv->visible = !!(bits & 4);
	lv->activation_skip = !!(bits & 8);
	lv->locked = !!(bits & 16);
	lv->pvmove = !!(bits & 32);
	lv->fixed_minor = !!(bits & 64);
	/* every section in an LV is a segment, as in lvm */
	lv->segs = entries(c, k, sizeof(*lv->segs), &lv->nsegs);
	if (c->failed)
		return -1;
	if (segcount != lv->nsegs)
		return bad(c, "segment_count %llu, but %u segments", (ull)segcount, lv->nsegs);
	if (lv->nsegs == 0)
		return bad(c, "no segment");
	i = 0;
	FOR_SECTIONS(c, k, x) {
		ev_lvm_seg_t *s = &lv->segs[i++];

		where(c, "VG %s: LV %s: %.*s", vg->name, lv->name, NAMEF(&c->n[x]));
		if (read_segment(c, x, vg, s) < 0)
			return -1;
		for (a = 0; a < s->stripe_count; a++) {
			struct used *u;

			if (*nused == *capused) {
				unsigned cap = *capused ? *capused * 2 : 64;

				u = realloc(*used, cap * sizeof(*u));
				if (!u)
					return bad(c, "out of memory");
				*used = u;
				*capused = cap;
			}
			u = &(*used)[(*nused)++];
			u->pv = s->areas[a].pv;
			u->lv = lv - vg->lvs;
			u->start = s->areas[a].extent;
			u->len = s->area_len;
		}
	}
	/* contiguous from 0, no overlap */
	where(c, "VG %s: LV %s", vg->name, lv->name);
	qsort(lv->segs, lv->nsegs, sizeof(*lv->segs), cmp_seg);
	for (i = 0; i < lv->nsegs; i++) {
		const ev_lvm_seg_t *s = &lv->segs[i];

		if (s->start_extent < lv->extents)
			return bad(c, "the segment at extent %llu overlaps the one before (up to extent %llu)",
					(ull)s->start_extent, (ull)lv->extents);
		if (s->start_extent > lv->extents)
			return bad(c, "extents %llu..%llu are in no segment",
					(ull)lv->extents, (ull)s->start_extent - 1);
		lv->extents += s->extent_count;
	}
	return 0;
}

static int read_lvs(struct pctx *c, int vgk, ev_lvm_vg_t *vg)
{
	struct used *used = NULL;
	unsigned nused = 0, capused = 0, i = 0;
	int sec, x, r = -1;

	if (find(c, vgk, "logical_volumes", &sec) < 0)
		return -1;
	if (sec < 0)
		return 0;	/* a VG with no LV */
	if (c->n[sec].type != N_SECTION)
		return bad(c, "logical_volumes is not a section");
	vg->lvs = entries(c, sec, sizeof(*vg->lvs), &vg->nlvs);
	if (!vg->lvs)
		return c->failed ? -1 : 0;	/* out of memory, or no LV */
	FOR_SECTIONS(c, sec, x) {
		ev_lvm_lv_t *lv = &vg->lvs[i++];

		if (entry_name(c, x, "LV", vg->name, lv->name, sizeof(lv->name)) < 0
		 || read_lv(c, x, vg, lv, &used, &nused, &capused) < 0
		) {
			goto out;
		}
	}
	/* no extent of a PV in two areas */
	where(c, "VG %s", vg->name);
	qsort(used, nused, sizeof(*used), cmp_used);
	for (i = 1; i < nused; i++) {
		const struct used *p = &used[i - 1], *u = &used[i];

		if (u->pv == p->pv && u->start < p->start + p->len) {
			bad(c, "PV %s: extent %llu is in LV %s and in LV %s", vg->pvs[u->pv].name,
					(ull)u->start, vg->lvs[p->lv].name, vg->lvs[u->lv].name);
			goto out;
		}
	}
	r = 0;
 out:
	free(used);
	return r;
}

static int check_unique(struct pctx *c, ev_lvm_vg_t *vg)
{
	const char **tmp;
	const char *d;
	unsigned n = vg->npvs > vg->nlvs ? vg->npvs : vg->nlvs;
	int r = -1;

	if (n < 2)
		return 0;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp)
		return bad(c, "out of memory");
	where(c, "VG %s", vg->name);
	if ((d = dup_of(vg->pvs[0].id, sizeof(vg->pvs[0]), vg->npvs, tmp)) != NULL)
		bad(c, "two PVs with the id %s", d);
	else if (vg->nlvs && (d = dup_of(vg->lvs[0].name, sizeof(vg->lvs[0]), vg->nlvs, tmp)) != NULL)
		bad(c, "two LVs named %s", d);
	else if (vg->nlvs && (d = dup_of(vg->lvs[0].id, sizeof(vg->lvs[0]), vg->nlvs, tmp)) != NULL)
		bad(c, "two LVs with the id %s", d);
	else
		r = 0;
	free(tmp);
	return r;
}

static int check_pv_names(struct pctx *c, ev_lvm_vg_t *vg)
{
	const char **tmp;
	const char *d;

	if (vg->npvs < 2)
		return 0;
	tmp = malloc(vg->npvs * sizeof(*tmp));
	if (!tmp)
		return bad(c, "out of memory");
	d = dup_of(vg->pvs[0].name, sizeof(vg->pvs[0]), vg->npvs, tmp);
	free(tmp);
	if (d)
		return bad(c, "two PVs named %s", d);
	return 0;
}

void FAST_FUNC ev_lvm_free(ev_lvm_vg_t *vg)
{
	unsigned i, j;

	if (!vg)
		return;
	for (i = 0; vg->lvs && i < vg->nlvs; i++) {
		for (j = 0; vg->lvs[i].segs && j < vg->lvs[i].nsegs; j++)
			free(vg->lvs[i].segs[j].areas);
		free(vg->lvs[i].segs);
	}
	free(vg->lvs);
	free(vg->pvs);
	free(vg);
}

ev_lvm_vg_t* FAST_FUNC ev_lvm_parse(const char *text, size_t len, char *why, unsigned whylen)
{
	static const char vg_flags[] ALIGN1 = "READ\0" "WRITE\0" "RESIZEABLE\0"
		"EXPORTED\0" "CLUSTERED\0" "SHARED\0" "PVMOVE\0";
	struct pctx c;
	ev_lvm_vg_t *vg;
	char buf[40];
	uint64_t v;
	unsigned bits;
	int root, k;

	memset(&c, 0, sizeof(c));
	c.why = why;
	c.whylen = whylen;
	say(why, whylen, "%s", "");
	vg = calloc(1, sizeof(*vg));
	if (!vg) {
		say(why, whylen, "out of memory");
		return NULL;
	}
	if (len > EV_LVM_TEXT_MAX) {
		bad(&c, "the text is %llu bytes (at most %u)", (ull)len, EV_LVM_TEXT_MAX);
		goto fail;
	}
	if (build(&c, text, len, &root) < 0)
		goto fail;
	/* what import_vsn1.c's check_version wants */
	if (get_str(&c, -1, "contents", buf, sizeof(buf), 1, 0) < 0)
		goto fail;
	if (strcmp(buf, "Text Format Volume Group") != 0) {
		bad(&c, "contents is \"%s\", not \"Text Format Volume Group\"", buf);
		goto fail;
	}
	v = 0;
	if (get_u(&c, -1, "version", UINT32_MAX, &v, 1) < 0)
		goto fail;
	if (v != 1) {
		bad(&c, "version %llu is not 1", (ull)v);
		goto fail;
	}
	k = vg_section(&c, root);
	if (k < 0)
		goto fail;
	if (get_name(&c, k, "VG", vg->name, sizeof(vg->name)) < 0)
		goto fail;
	where(&c, "VG %s", vg->name);
	if (get_id(&c, k, vg->id) < 0
	 || get_u(&c, k, "seqno", UINT32_MAX, &vg->seqno, 1) < 0
	 || get_u(&c, k, "extent_size", UINT32_MAX, &vg->extent_size, 1) < 0
	 || get_flags(&c, k, vg_flags, &bits) < 0
	 || get_str(&c, k, "system_id", vg->system_id, sizeof(vg->system_id), 0, 0) < 0
	 || get_str(&c, k, "lock_type", vg->lock_type, sizeof(vg->lock_type), 0, 0) < 0
	) {
		goto fail;
	}
	if (vg->extent_size == 0) {
		bad(&c, "extent_size is 0");
		goto fail;
	}
	vg->read = !!(bits & 1);
	vg->write = !!(bits & 2);
	vg->resizeable = !!(bits & 4);
	vg->exported = !!(bits & 8);
	vg->clustered = !!(bits & 16);
	vg->shared = !!(bits & 32);
	vg->pvmove = !!(bits & 64);
	if (read_pvs(&c, k, vg) < 0)
		goto fail;
	where(&c, "VG %s", vg->name);
	if (check_pv_names(&c, vg) < 0)
		goto fail;
	if (read_lvs(&c, k, vg) < 0 || check_unique(&c, vg) < 0)
		goto fail;
	free(c.n);
	return vg;
 fail:
	free(c.n);
	ev_lvm_free(vg);
	return NULL;
}

int FAST_FUNC ev_lvm_find_pv(const ev_lvm_vg_t *vg, const char *id)
{
	char raw[ID_LEN], str[EV_LVM_ID_STR];
	unsigned i;

	if (id_raw(id, raw) < 0)
		return -1;
	id_print(raw, str);
	for (i = 0; i < vg->npvs; i++)
		if (strcmp(vg->pvs[i].id, str) == 0)
			return i;
	return -1;
}

/* ---- device-mapper names ------------------------------------------------------ */

/* S with its dashes doubled at BUF + N; the new N, or SIZE when it does
 * not fit (with a NUL) */
static unsigned dashes2(char *buf, unsigned n, unsigned size, const char *s)
{
	for (; *s; s++) {
		if (n + 1 + (*s == '-') >= size)
			return size;
		if (*s == '-')
			buf[n++] = '-';
		buf[n++] = *s;
	}
	return n;
}

char* FAST_FUNC ev_lvm_dm_name(const char *vg, const char *lv, char *buf, unsigned size)
{
	unsigned n = dashes2(buf, 0, size, vg);

	if (n + 1 >= size)
		return NULL;
	buf[n++] = '-';
	n = dashes2(buf, n, size, lv);
	if (n >= size)
		return NULL;
	buf[n] = '\0';
	return buf;
}

char* FAST_FUNC ev_lvm_dm_uuid(const char *vgid, const char *lvid, char *buf, unsigned size)
{
	char v[ID_LEN], l[ID_LEN];

	if (size < 4 + 2 * ID_LEN + 1 || id_raw(vgid, v) < 0 || id_raw(lvid, l) < 0)
		return NULL;
	memcpy(buf, "LVM-", 4);
	memcpy(buf + 4, v, ID_LEN);
	memcpy(buf + 4 + ID_LEN, l, ID_LEN);
	buf[4 + 2 * ID_LEN] = '\0';
	return buf;
}

int FAST_FUNC ev_lvm_dm_split(const char *name, char *vg, char *lv, unsigned size)
{
	char *out = vg;
	unsigned n = 0;

	for (; *name; name++) {
		if (*name == '-' && name[1] == '-') {
			name++;		/* a doubled one: a '-' of the name */
		} else if (*name == '-' && out == vg) {
			if (!n)
				return -1;
			vg[n] = '\0';
			out = lv;
			n = 0;
			continue;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = *name;
	}
	if (out == vg || !n)
		return -1;
	lv[n] = '\0';
	return 0;
}
