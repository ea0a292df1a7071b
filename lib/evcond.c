/* vi: set sw=4 ts=4: */
/*
 * evbox jobs: event conditions, upstart's "start on" / "stop on", and the
 * word syntax job files share with them.
 *
 * A condition is a tree: leaves are event patterns, inner nodes "and" or
 * "or" over any number of children.  A leaf latches the first event that
 * matches it (a copy, for the job's environment); a node is true when all
 * (and) or any (or) of its children are.  Everything here returns errors:
 * evinit (PID 1) calls it, and a bad job file must not stop the boot.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */

//kbuild:lib-$(CONFIG_EVCORE) += evcond.o

#include "libbb.h"
#include "evjob.h"
#include <fnmatch.h>

/* Parentheses deeper than this are refused: recursion stays bounded. */
#define MAX_DEPTH	32

/* Node types, and the parser's token types after them: AND and OR are
 * both (the words "and", "or" make the nodes). */
enum { LEAF, AND, OR, T_WORD, T_LPAREN, T_RPAREN, T_END, T_ERR };

struct ev_arg {
	char *key;		/* NULL: positional */
	char *pat;		/* glob, escapes kept, $VAR not yet expanded */
	smallint neg;		/* KEY!=PAT */
};

struct ev_cond {
	struct ev_cond *next;	/* sibling */
	smallint type;
	smallint value;		/* leaf: matched; node: true */
	struct ev_cond *kids;	/* AND, OR */
	char *name;		/* LEAF: the event's name, */
	struct ev_arg *args;	/* its arguments */
	unsigned nargs;
	char **event;		/* and the event that matched, one block */
};

/* ---- words -------------------------------------------------------------- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

const char* FAST_FUNC ev_skip_blanks(const char *p)
{
	for (;;) {
		while (is_blank(*p))
			p++;
		if (p[0] != '\\' || p[1] != '\n')
			return p;
		p += 2;
	}
}

const char* FAST_FUNC ev_word_end(const char *p, int parens, const char **quote)
{
	for (;; p++) {
		char c = *p;

		if (c == '\0' || c == '\n' || is_blank(c)
		 || (parens && (c == '(' || c == ')'))
		) {
			return p;
		}
		if (c == '\\') {
			if (p[1] == '\n')	/* a continuation: a blank */
				return p;
			if (p[1])
				p++;
		} else if (c == '"' || c == '\'') {
			*quote = p;
			while (*++p != c) {
				if (*p == '\0' || *p == '\n')
					return NULL;
				if (*p == '\\' && p[1] && p[1] != '\n')
					p++;
			}
		}
	}
}

char* FAST_FUNC ev_dequote(const char *s, const char *e, int keep_escapes)
{
	char *out = malloc(e - s + 1);
	char *o = out;
	char q = 0;

	if (!out)
		return NULL;
	for (; s < e; s++) {
		if (*s == '\\' && s + 1 < e) {
			if (s[1] == '\n') {	/* a continuation */
				s++;
				continue;
			}
			if (keep_escapes)
				*o++ = *s;
			*o++ = *++s;
		} else if (q ? *s == q : (*s == '"' || *s == '\'')) {
			q = q ? 0 : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

int FAST_FUNC ev_errf(char *err, unsigned errlen, const char *fmt, const char *w, size_t len)
{
	char word[44];
	unsigned i;

	for (i = 0; i < len && i < 40; i++)
		word[i] = (w[i] >= ' ' && w[i] <= '~') ? w[i] : '?';
	strcpy(word + i, len > i ? "..." : "");
	return snprintf(err, errlen, fmt, word);
}

int FAST_FUNC ev_word_index(const char *strings, const char *s, size_t len)
{
	char word[16];

	if (len >= sizeof(word))
		return -1;
	memcpy(word, s, len);
	word[len] = '\0';
	return index_in_strings(strings, word);
}

/* The value of KEY (LEN bytes) in the KEY=VALUE list L (may be NULL): the
 * last one, or NULL. */
static const char *lookup(char **l, const char *key, size_t len)
{
	const char *v = NULL;

	for (; l && *l; l++)
		if (strncmp(*l, key, len) == 0 && (*l)[len] == '=')
			v = *l + len + 1;
	return v;
}

/* Expand $VAR and ${VAR} in S into OUT (when not NULL); returns the length.
 * GLOB: S is a pattern: its escapes stay as they are, and the values are
 * escaped so that they match only themselves. */
static size_t expand(char *out, const char *s, char **env, int glob)
{
	size_t n = 0;
#define PUT(c) do { char ch = (c); if (out) out[n] = ch; n++; } while (0)

	while (*s) {
		if (glob && s[0] == '\\' && s[1]) {
			PUT(*s++);
		} else if (*s == '$') {
			int brace = (s[1] == '{');
			const char *name = s + 1 + brace;
			const char *end = endofname(name);

			if (end != name && (!brace || *end == '}')) {
				const char *v = lookup(env, name, end - name);

				for (; v && *v; v++) {
					if (glob && strchr("*?[\\", *v))
						PUT('\\');
					PUT(*v);
				}
				s = end + brace;
				continue;
			}
		}
		PUT(*s++);
	}
	if (out)
		out[n] = '\0';
	return n;
#undef PUT
}

static char *expand_alloc(const char *s, char **env, int glob)
{
	char *out = malloc(expand(NULL, s, env, glob) + 1);

	if (out)
		expand(out, s, env, glob);
	return out;
}

char* FAST_FUNC ev_expand(const char *s, char **env)
{
	return expand_alloc(s, env, 0);
}

/* ---- parsing ------------------------------------------------------------ */

struct parser {
	const char *p;		/* next to read */
	const char *stanzas;	/* job files: words that end a condition */
	const char *prev;	/* the last word taken, for "after 'and'" */
	size_t prevlen;
	unsigned depth;
	const char *errat;	/* the first error: where, */
	char *err;		/* and what */
	unsigned errlen;
};

struct token {
	const char *s, *e;
	smallint type;
	smallint nl;		/* a newline came before it */
};

static void *perr(struct parser *ps, const char *at, const char *fmt,
		const char *w, size_t len)
{
	if (!ps->errat) {
		ps->errat = at;
		ev_errf(ps->err, ps->errlen, fmt, w, len);
	}
	return NULL;
}

static void *oom(struct parser *ps)
{
	return perr(ps, ps->p, "out of memory near '%s'", ps->p, strcspn(ps->p, " \t\n"));
}

/* The next token, without taking it. */
static int peek(struct parser *ps, struct token *t)
{
	const char *p = ps->p;
	const char *quote;

	t->nl = 0;
	for (;;) {
		p = ev_skip_blanks(p);
		if (*p == '#')
			p = strchrnul(p, '\n');
		if (*p != '\n')
			break;
		t->nl = 1;
		p++;
	}
	t->s = p;
	t->e = p + 1;
	if (*p == '\0' || (t->nl && ps->stanzas
	    && ev_word_index(ps->stanzas, p, skip_non_whitespace(p) - p) >= 0)
	) {
		return t->type = T_END;
	}
	if (*p == '(')
		return t->type = T_LPAREN;
	if (*p == ')')
		return t->type = T_RPAREN;
	t->e = ev_word_end(p, 1, &quote);
	if (!t->e) {
		perr(ps, quote, "unterminated quote near '%s'", quote, strcspn(quote, "\n"));
		return t->type = T_ERR;
	}
	t->type = T_WORD;
	if (t->e - p == 3 && memcmp(p, "and", 3) == 0)
		t->type = AND;
	if (t->e - p == 2 && memcmp(p, "or", 2) == 0)
		t->type = OR;
	return t->type;
}

static void take(struct parser *ps, const struct token *t)
{
	ps->p = t->e;
	ps->prev = t->s;
	ps->prevlen = t->e - t->s;
}

/* The first '=' of a word that is not quoted or escaped. */
static const char *find_eq(const char *s, const char *e)
{
	char q = 0;

	for (; s < e; s++) {
		if (*s == '\\')
			s++;
		else if (q)
			q = (*s == q) ? 0 : q;
		else if (*s == '"' || *s == '\'')
			q = *s;
		else if (*s == '=')
			return s;
	}
	return NULL;
}

static int add_arg(struct parser *ps, ev_cond_t *c, const struct token *t)
{
	const char *eq = find_eq(t->s, t->e);
	const char *v = t->s;
	struct ev_arg *a;

	if (!eq && c->nargs && c->args[c->nargs - 1].key) {
		perr(ps, t->s, "positional value '%s' after a KEY=VALUE", t->s, t->e - t->s);
		return -1;
	}
	a = realloc(c->args, (c->nargs + 1) * sizeof(*a));
	if (!a) {
		oom(ps);
		return -1;
	}
	c->args = a;
	a += c->nargs++;
	memset(a, 0, sizeof(*a));
	if (eq) {
		const char *k = eq;

		if (k > t->s && k[-1] == '!') {
			k--;
			a->neg = 1;
		}
		if (k == t->s || endofname(t->s) != k) {
			perr(ps, t->s, "bad key in '%s'", t->s, t->e - t->s);
			return -1;
		}
		a->key = strndup(t->s, k - t->s);
		v = eq + 1;
	}
	a->pat = ev_dequote(v, t->e, 1);
	if (!a->pat || (eq && !a->key)) {
		oom(ps);
		return -1;
	}
	return 0;
}

static ev_cond_t *parse_leaf(struct parser *ps, const struct token *name)
{
	ev_cond_t *c;
	struct token t;
	const char *p;

	for (p = name->s; p < name->e; p++)
		if (strchr("\"'\\=$", *p))
			return perr(ps, name->s, "bad event name '%s'", name->s, name->e - name->s);
	c = calloc(1, sizeof(*c));
	if (!c)
		return oom(ps);
	c->name = strndup(name->s, name->e - name->s);
	if (!c->name) {
		free(c);
		return oom(ps);
	}
	take(ps, name);
	/* arguments: on the same line, or anywhere inside parentheses */
	while (peek(ps, &t) == T_WORD && (!t.nl || ps->depth)) {
		if (add_arg(ps, c, &t) < 0)
			goto fail;
		take(ps, &t);
	}
	if (t.type != T_ERR)
		return c;
 fail:
	ev_cond_free(c);
	return NULL;
}

static ev_cond_t *parse_op(struct parser *ps, int type);

static ev_cond_t *parse_term(struct parser *ps)
{
	struct token t, open;
	ev_cond_t *c;

	switch (peek(ps, &t)) {
	case T_WORD:
		return parse_leaf(ps, &t);
	case T_LPAREN:
		if (++ps->depth > MAX_DEPTH)
			return perr(ps, t.s, "nesting too deep at '%s'", t.s, 1);
		open = t;
		take(ps, &t);
		c = parse_op(ps, OR);
		if (!c)
			return NULL;
		if (peek(ps, &t) == T_RPAREN) {
			take(ps, &t);
			ps->depth--;
			return c;
		}
		if (t.type == T_END)
			perr(ps, open.s, "unclosed '%s'", open.s, 1);
		else
			perr(ps, t.s, "expected 'and', 'or' or ')' before '%s'", t.s, t.e - t.s);
		ev_cond_free(c);
		return NULL;
	case T_END:
		if (ps->prev)
			return perr(ps, ps->prev, "expected an event after '%s'", ps->prev, ps->prevlen);
		return perr(ps, t.s, "expected an event", t.s, 0);
	case T_ERR:
		return NULL;
	}
	return perr(ps, t.s, "expected an event, not '%s'", t.s, t.e - t.s);
}

/* TYPE OR:  EXPR := AND { "or" AND };  TYPE AND:  AND := TERM { "and" TERM } */
static ev_cond_t *parse_op(struct parser *ps, int type)
{
	ev_cond_t *first, *node = NULL, **tail = NULL;
	struct token t;

	first = (type == OR) ? parse_op(ps, AND) : parse_term(ps);
	if (!first)
		return NULL;
	while (peek(ps, &t) == type) {
		take(ps, &t);
		if (!node) {
			node = calloc(1, sizeof(*node));
			if (!node) {
				oom(ps);
				goto fail;
			}
			node->type = type;
			node->kids = first;
			tail = &first->next;
		}
		*tail = (type == OR) ? parse_op(ps, AND) : parse_term(ps);
		if (!*tail)
			goto fail;
		tail = &(*tail)->next;
	}
	if (t.type != T_ERR)
		return node ? node : first;
 fail:
	ev_cond_free(node ? node : first);
	return NULL;
}

static ev_cond_t *parse(struct parser *ps)
{
	ev_cond_t *c = parse_op(ps, OR);
	struct token t;

	if (!c)
		return NULL;
	switch (peek(ps, &t)) {
	case T_END:
		return c;
	case T_ERR:
		break;
	case T_RPAREN:
		perr(ps, t.s, "unmatched '%s'", t.s, 1);
		break;
	default:
		if (t.nl && ps->stanzas)	/* the next line is the job's */
			return c;
		perr(ps, t.s, "expected 'and' or 'or' before '%s'", t.s, t.e - t.s);
	}
	ev_cond_free(c);
	return NULL;
}

ev_cond_t* FAST_FUNC ev_cond_parse(const char *text, char *err, unsigned errlen, int *col)
{
	struct parser ps = { .p = text, .err = err, .errlen = errlen };
	ev_cond_t *c = parse(&ps);

	if (!c)
		*col = ps.errat - text;
	return c;
}

ev_cond_t* FAST_FUNC ev_cond_parse_job(const char **pp, const char *stanzas,
		const char *after, char *err, unsigned errlen)
{
	struct parser ps = {
		.p = *pp, .stanzas = stanzas,
		.prev = after, .prevlen = skip_non_whitespace(after) - after,
		.err = err, .errlen = errlen,
	};
	ev_cond_t *c = parse(&ps);

	*pp = c ? ps.p : ps.errat;
	return c;
}

void FAST_FUNC ev_cond_free(ev_cond_t *c)
{
	while (c) {
		ev_cond_t *next = c->next;
		unsigned i;

		ev_cond_free(c->kids);
		for (i = 0; i < c->nargs; i++) {
			free(c->args[i].key);
			free(c->args[i].pat);
		}
		free(c->args);
		free(c->name);
		free(c->event);
		free(c);
		c = next;
	}
}

/* ---- matching ----------------------------------------------------------- */

static int leaf_match(const ev_cond_t *c, char **ev, char **env)
{
	unsigned i;

	if (!ev[0] || strcmp(c->name, ev[0]) != 0)
		return 0;
	for (i = 0; i < c->nargs; i++) {
		const struct ev_arg *a = &c->args[i];
		const char *val;
		char *pat = a->pat;
		int m;

		if (a->key) {
			val = lookup(ev + 1, a->key, strlen(a->key));
		} else {
			/* positional ones come first: ev[1..i] exist */
			val = ev[i + 1];
			if (val && strchr(val, '='))
				val = strchr(val, '=') + 1;
		}
		if (!val)
			return 0;
		if (strchr(pat, '$')) {
			pat = expand_alloc(pat, env, 1);
			if (!pat)
				return 0;
		}
		m = (fnmatch(pat, val, 0) == 0) ^ a->neg;
		if (pat != a->pat)
			free(pat);
		if (!m)
			return 0;
	}
	return 1;
}

/* EV as one block: the pointers, then the strings. */
static char **copy_event(char **ev)
{
	size_t n, size = 0;
	char **copy, *s;

	for (n = 0; ev[n]; n++)
		size += strlen(ev[n]) + 1;
	copy = malloc((n + 1) * sizeof(*copy) + size);
	if (!copy)
		return NULL;
	s = (char *)(copy + n + 1);
	for (n = 0; ev[n]; n++) {
		copy[n] = s;
		s = stpcpy(s, ev[n]) + 1;
	}
	copy[n] = NULL;
	return copy;
}

static void update(ev_cond_t *c, char **ev, char **env)
{
	ev_cond_t *k;

	if (c->type == LEAF) {
		if (!c->value && leaf_match(c, ev, env)) {
			c->event = copy_event(ev);
			c->value = (c->event != NULL);
		}
		return;
	}
	c->value = (c->type == AND);
	for (k = c->kids; k; k = k->next) {
		update(k, ev, env);
		if (c->type == AND)
			c->value &= k->value;
		else
			c->value |= k->value;
	}
}

int FAST_FUNC ev_cond_offer(ev_cond_t *c, char **ev, char **env)
{
	update(c, ev, env);
	return c->value;
}

int FAST_FUNC ev_cond_mentions(const ev_cond_t *c, char **ev, char **env)
{
	const ev_cond_t *k;

	if (c->type == LEAF)
		return leaf_match(c, ev, env);
	for (k = c->kids; k; k = k->next)
		if (ev_cond_mentions(k, ev, env))
			return 1;
	return 0;
}

void FAST_FUNC ev_cond_reset(ev_cond_t *c)
{
	ev_cond_t *k;

	c->value = 0;
	free(c->event);
	c->event = NULL;
	for (k = c->kids; k; k = k->next)
		ev_cond_reset(k);
}

/* ---- the environment of a true condition -------------------------------- */

struct env_walk {
	void (*add)(const char *kv, void *ctx) FAST_FUNC;
	void *ctx;
	char *names;	/* NULL: first pass, add KEY=VALUEs and count */
	size_t len;
};

#define EVENTS_KEY "UPSTART_EVENTS="

/* Each matched leaf of the true subtrees: only the events that made the
 * condition true count, not those of a half-true "and". */
static void walk(const ev_cond_t *c, struct env_walk *w)
{
	const ev_cond_t *k;
	char **kv;

	if (!c->value)
		return;
	for (k = c->kids; k; k = k->next)
		walk(k, w);
	if (c->type != LEAF)
		return;
	if (!w->names) {
		for (kv = c->event + 1; *kv; kv++)
			w->add(*kv, w->ctx);
		w->len += strlen(c->event[0]) + 1;
		return;
	}
	if (w->len > sizeof(EVENTS_KEY) - 1)
		w->names[w->len++] = ' ';
	w->len = stpcpy(w->names + w->len, c->event[0]) - w->names;
}

void FAST_FUNC ev_cond_env(const ev_cond_t *c, void (*add)(const char *kv, void *ctx) FAST_FUNC,
		void *ctx)
{
	struct env_walk w = { .add = add, .ctx = ctx, .len = sizeof(EVENTS_KEY) };

	walk(c, &w);
	w.names = malloc(w.len);
	if (!w.names)
		return;
	w.len = stpcpy(w.names, EVENTS_KEY) - w.names;
	walk(c, &w);
	add(w.names, ctx);
	free(w.names);
}

/* ---- printing ----------------------------------------------------------- */

static void print_value(const char *v, int positional, FILE *out)
{
	if (*v && *v != '#' && !strpbrk(v, " \t\r\v\f()\"'")
	 && !(positional && (strchr(v, '=') || strcmp(v, "and") == 0 || strcmp(v, "or") == 0))
	) {
		fputs(v, out);
		return;
	}
	putc('"', out);
	for (; *v; v++) {
		if (*v == '\\' && v[1])	/* an escape, as it is */
			putc(*v++, out);
		else if (*v == '\\' || *v == '"')
			putc('\\', out);
		putc(*v, out);
	}
	putc('"', out);
}

void FAST_FUNC ev_cond_print(const ev_cond_t *c, FILE *out)
{
	const ev_cond_t *k;
	unsigned i;

	if (c->type == LEAF) {
		fputs(c->name, out);
		for (i = 0; i < c->nargs; i++) {
			const struct ev_arg *a = &c->args[i];

			putc(' ', out);
			if (a->key)
				fprintf(out, "%s%s", a->key, a->neg ? "!=" : "=");
			print_value(a->pat, !a->key, out);
		}
		return;
	}
	putc('(', out);
	for (k = c->kids; k; k = k->next) {
		ev_cond_print(k, out);
		if (k->next)
			fputs(c->type == AND ? " and " : " or ", out);
	}
	putc(')', out);
}
