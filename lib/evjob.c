/* vi: set sw=4 ts=4: */
/*
 * evbox jobs: job files, the upstart subset of DESIGN.md.
 *
 * One stanza a line (a backslash at the end of a line continues it);
 * "#" at the start of a word comments to the end of the line, except in
 * script bodies, which are kept verbatim up to a line "end script".  The
 * first error stops the parse and says FILE:LINE:COL and the word; every
 * allocation is checked: evinit (PID 1) calls this, and a broken job file
 * is skipped, never fatal.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */

//kbuild:lib-$(CONFIG_EVCORE) += evjob.o

#include "libbb.h"
#include "evjob.h"

/* In the order of the enum; from "author" on, upstart's stanzas that
 * evinit accepts and ignores.  All of them end a condition that a line
 * starting with one follows. */
static const char stanzas[] ALIGN1 =
	"description\0" "start\0" "stop\0" "task\0" "instance\0" "env\0"
	"console\0" "respawn\0" "kill\0" "keep\0" "critical\0"
	"pre-start\0" "exec\0" "script\0" "post-stop\0"
	"author\0" "version\0" "emits\0" "usage\0" "expect\0" "nice\0"
	"oom\0" "normal\0" "export\0";
enum {
	S_DESCRIPTION, S_START, S_STOP, S_TASK, S_INSTANCE, S_ENV,
	S_CONSOLE, S_RESPAWN, S_KILL, S_KEEP, S_CRITICAL,
	S_PRE_START, S_EXEC, S_SCRIPT, S_POST_STOP,
	S_AUTHOR, S_VERSION, S_EMITS, S_USAGE, S_EXPECT, S_NICE,
	S_OOM, S_NORMAL, S_EXPORT,
	S_IGNORED = S_AUTHOR,
	SEEN_LIMIT,	/* a bit of "seen" for "respawn limit" */
};

struct jp {
	const char *file, *text;
	const char *p;		/* next to read */
	char *err;
	unsigned errlen;
	void (*warn)(const char *msg) FAST_FUNC;
	unsigned seen;		/* 1 << S_*: the stanzas given once */
};

/* "FILE:LINE:COL: " for AT into BUF; returns its length (< SIZE). */
static unsigned where(const char *file, const char *text, const char *at,
		char *buf, unsigned size)
{
	const char *bol = text, *p;
	unsigned line = 1;
	int n;

	for (p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			bol = p + 1;
		}
	}
	n = snprintf(buf, size, "%s:%u:%u: ", file, line, (unsigned)(at - bol) + 1);
	return MIN((unsigned)n, size - 1);
}

/* The error FMT, naming the word at AT. */
static int fail(struct jp *jp, const char *at, const char *fmt)
{
	unsigned n = where(jp->file, jp->text, at, jp->err, jp->errlen);

	ev_errf(jp->err + n, jp->errlen - n, fmt, at, skip_non_whitespace(at) - at);
	return -1;
}

static int oom(struct jp *jp, const char *at)
{
	return fail(jp, at, "out of memory near '%s'");
}

/* The next word of this line: 1 and [*S, *E), 0 at its end, -1 on error. */
static int word(struct jp *jp, const char **s, const char **e)
{
	const char *p = ev_skip_blanks(jp->p);
	const char *quote;

	*s = p;
	if (*p == '\0' || *p == '\n' || *p == '#')
		return 0;
	*e = ev_word_end(p, 0, &quote);
	if (!*e)
		return fail(jp, quote, "unterminated quote near '%s'");
	jp->p = *e;
	return 1;
}

/* The rest of the line, from its first word to the end of its last. */
static int rest(struct jp *jp, const char **s, const char **e)
{
	const char *ws, *we;
	int r;

	*s = *e = ev_skip_blanks(jp->p);
	while ((r = word(jp, &ws, &we)) > 0)
		*e = we;
	return r;
}

static int end_of_line(struct jp *jp)
{
	const char *p = ev_skip_blanks(jp->p);

	if (*p == '#')
		p = strchrnul(p, '\n');
	if (*p != '\0' && *p != '\n')
		return fail(jp, p, "unexpected '%s'");
	jp->p = p;
	return 0;
}

/* The next word must be one of LIST (NUL-separated), which WHAT names
 * for messages.  Returns its index. */
static int keyword(struct jp *jp, const char *kw, const char *list, const char *what)
{
	const char *s, *e;
	char fmt[64];
	int r = word(jp, &s, &e);
	int i;

	if (r < 0)
		return r;
	if (r && (i = ev_word_index(list, s, e - s)) >= 0)
		return i;
	snprintf(fmt, sizeof(fmt), r ? "expected %s, not '%%s'" : "expected %s after '%%s'", what);
	return fail(jp, r ? s : kw, fmt);
}

/* One word, dequoted, into *OUT. */
static int value(struct jp *jp, const char *kw, char **out)
{
	const char *s, *e;
	int r = word(jp, &s, &e);

	if (r <= 0)
		return r ? r : fail(jp, kw, "'%s' needs a value");
	*out = ev_dequote(s, e, 0);
	return *out ? 0 : oom(jp, s);
}

/* A decimal number of at most 9 digits after KW. */
static int number(struct jp *jp, const char *kw, unsigned *out)
{
	const char *s, *e;
	int r = word(jp, &s, &e);

	if (r <= 0)
		return r ? r : fail(jp, kw, "expected a number after '%s'");
	if (e - s > 9 || strspn(s, "0123456789") != (size_t)(e - s))
		return fail(jp, s, "bad number '%s'");
	*out = strtoul(s, NULL, 10);
	return 0;
}

static int once(struct jp *jp, unsigned bit, const char *kw)
{
	if (jp->seen & (1u << bit))
		return fail(jp, kw, bit == S_EXEC ? "second main process '%s'"
			: bit == S_START || bit == S_STOP ? "duplicate '%s on'"
			: "duplicate '%s'");
	jp->seen |= 1u << bit;
	return 0;
}

static int set_env(struct jp *jp, ev_jobdef_t *j, const char *kw)
{
	const char *s, *e, *eq;
	char *kv, **l;
	unsigned n;
	int r = word(jp, &s, &e);

	if (r <= 0)
		return r ? r : fail(jp, kw, "'%s' needs KEY=VALUE");
	eq = endofname(s);
	if (eq == s || *eq != '=')
		return fail(jp, s, "expected KEY=VALUE, not '%s'");
	kv = ev_dequote(s, e, 0);
	if (!kv)
		return oom(jp, s);
	/* a key given again: the later value */
	for (n = 0; j->env[n]; n++) {
		if (strncmp(j->env[n], kv, eq - s + 1) == 0) {
			free(j->env[n]);
			j->env[n] = kv;
			return 0;
		}
	}
	l = realloc(j->env, (n + 2) * sizeof(*l));
	if (!l) {
		free(kv);
		return oom(jp, s);
	}
	l[n] = kv;
	l[n + 1] = NULL;
	j->env = l;
	return 0;
}

static int set_cond(struct jp *jp, ev_cond_t **c, const char *kw)
{
	const char *on = ev_skip_blanks(jp->p);
	const char *p;
	char msg[160];
	unsigned n;

	if (keyword(jp, kw, "on\0", "'on'") < 0)
		return -1;
	p = jp->p;
	*c = ev_cond_parse_job(&p, stanzas, on, msg, sizeof(msg));
	if (!*c) {
		n = where(jp->file, jp->text, p, jp->err, jp->errlen);
		snprintf(jp->err + n, jp->errlen - n, "%s", msg);
		return -1;
	}
	jp->p = p;
	return 0;
}

static int set_respawn(struct jp *jp, ev_jobdef_t *j, const char *kw)
{
	const char *s, *e, *count;
	int r = word(jp, &s, &e);

	if (r <= 0) {
		j->respawn = 1;
		return r ? r : once(jp, S_RESPAWN, kw);
	}
	if (e - s != 5 || memcmp(s, "limit", 5) != 0)
		return fail(jp, s, "expected 'limit', not '%s'");
	if (once(jp, SEEN_LIMIT, kw) < 0)
		return -1;
	kw = s;
	count = ev_skip_blanks(jp->p);
	if (word(jp, &s, &e) > 0 && e - s == 9 && memcmp(s, "unlimited", 9) == 0) {
		j->respawn_limit = j->respawn_interval = 0;
		return 0;
	}
	jp->p = count;
	if (number(jp, kw, &j->respawn_limit) < 0)
		return -1;
	return number(jp, count, &j->respawn_interval);
}

/* "script" [comment] NL BODY "end script": the body verbatim. */
static int is_end_script(const char *p)
{
	size_t n;

	p += strspn(p, " \t\r");
	p = is_prefixed_with(p, "end");
	if (!p || (n = strspn(p, " \t")) == 0)
		return 0;
	p = is_prefixed_with(p + n, "script");
	if (!p)
		return 0;
	p += strspn(p, " \t\r");
	return *p == '\0' || *p == '\n';
}

static int set_proc(struct jp *jp, ev_proc_t *pr, const char *kw, int script)
{
	const char *s, *e, *p;
	char *o;

	if (script) {
		if (end_of_line(jp) < 0)
			return -1;
		/* P: the end of each line, until the next one is "end script" */
		s = jp->p + 1;
		for (p = jp->p; *p; p = strchrnul(p + 1, '\n')) {
			if (is_end_script(p + 1)) {
				pr->script = strndup(s, p + 1 - s);
				if (!pr->script)
					return oom(jp, kw);
				jp->p = strchrnul(p + 1, '\n');
				return 0;
			}
		}
		return fail(jp, kw, "'%s' without 'end script'");
	}
	if (rest(jp, &s, &e) < 0)
		return -1;
	if (s == e)
		return fail(jp, kw, "'%s' needs a command");
	pr->exec = o = malloc(e - s + 1);
	if (!o)
		return oom(jp, kw);
	/* as written, for sh, but continuations joined */
	for (p = s; p < e; p++) {
		if (p[0] == '\\' && p + 1 < e) {
			if (p[1] == '\n') {
				p++;
				continue;
			}
			*o++ = *p++;
		}
		*o++ = *p;
	}
	*o = '\0';
	return 0;
}

/* pre-start / post-stop: "exec CMD" or "script". */
static int set_hook(struct jp *jp, ev_proc_t *pr, const char *kw)
{
	const char *w = ev_skip_blanks(jp->p);
	int i = keyword(jp, kw, "exec\0" "script\0", "'exec' or 'script'");

	return i < 0 ? i : set_proc(jp, pr, w, i);
}

static int stanza(struct jp *jp, ev_jobdef_t *j, const char *kw)
{
	const char *s, *e;
	int i = ev_word_index(stanzas, kw, skip_non_whitespace(kw) - kw);
	int r;

	if (i < 0)
		return fail(jp, kw, "unknown stanza '%s'");
	if (i != S_ENV && i != S_RESPAWN && i < S_IGNORED
	 && once(jp, i == S_SCRIPT ? S_EXEC : i, kw) < 0
	) {
		return -1;
	}
	jp->p = skip_non_whitespace(kw);
	switch (i) {
	case S_DESCRIPTION:
		r = rest(jp, &s, &e);
		if (r < 0)
			return r;
		if (s == e)
			return fail(jp, kw, "'%s' needs a value");
		j->description = ev_dequote(s, e, 0);
		r = j->description ? 0 : oom(jp, kw);
		break;
	case S_START:
		r = set_cond(jp, &j->start_on, kw);
		break;
	case S_STOP:
		r = set_cond(jp, &j->stop_on, kw);
		break;
	case S_TASK:
		j->task = 1;
		r = 0;
		break;
	case S_INSTANCE:
		r = value(jp, kw, &j->instance);
		break;
	case S_ENV:
		r = set_env(jp, j, kw);
		break;
	case S_CONSOLE:
		/* in the order of EV_CONSOLE_* */
		r = keyword(jp, kw, "none\0" "output\0" "log\0", "'output', 'none' or 'log'");
		if (r >= 0)
			j->console = r;
		break;
	case S_RESPAWN:
		r = set_respawn(jp, j, kw);
		break;
	case S_KILL:
		r = keyword(jp, kw, "timeout\0", "'timeout'");
		if (r == 0)
			r = number(jp, ev_skip_blanks(kw + 4), &j->kill_timeout);
		break;
	case S_KEEP:
		j->keep = 1;
		r = 0;
		break;
	case S_CRITICAL:
		j->critical = 1;
		r = 0;
		break;
	case S_PRE_START:
		r = set_hook(jp, &j->pre_start, kw);
		break;
	case S_EXEC:
	case S_SCRIPT:
		r = set_proc(jp, &j->main, kw, i == S_SCRIPT);
		break;
	case S_POST_STOP:
		r = set_hook(jp, &j->post_stop, kw);
		break;
	default:
		if (i == S_NORMAL && keyword(jp, kw, "exit\0", "'exit'") < 0)
			return -1;
		r = rest(jp, &s, &e);
		if (r == 0 && jp->warn) {
			char msg[256];
			unsigned n = where(jp->file, jp->text, kw, msg, sizeof(msg));

			ev_errf(msg + n, sizeof(msg) - n, "ignored stanza '%s'",
				kw, skip_non_whitespace(kw) - kw);
			jp->warn(msg);
		}
	}
	return r < 0 ? r : end_of_line(jp);
}

static ev_jobdef_t *new_job(const char *file)
{
	ev_jobdef_t *j = calloc(1, sizeof(*j));
	const char *base = bb_basename(file);
	size_t len = strlen(base);

	if (!j)
		return NULL;
	if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
		len -= 5;
	j->name = strndup(base, len);
	j->file = strdup(file);
	j->env = calloc(1, sizeof(*j->env));
	j->console = EV_CONSOLE_LOG;
	j->respawn_limit = 10;
	j->respawn_interval = 5;
	j->kill_timeout = 5;
	if (!j->name || !j->file || !j->env) {
		ev_job_free(j);
		return NULL;
	}
	return j;
}

int FAST_FUNC ev_job_parse(const char *file, const char *text, ev_jobdef_t **out,
		char *err, unsigned errlen, void (*warn)(const char *msg) FAST_FUNC)
{
	struct jp jp = {
		.file = file, .text = text, .p = text,
		.err = err, .errlen = errlen, .warn = warn,
	};
	ev_jobdef_t *j = new_job(file);

	*out = NULL;
	if (!j) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	for (;;) {
		const char *p = skip_whitespace(jp.p);

		if (*p == '#') {
			jp.p = strchrnul(p, '\n');
			continue;
		}
		if (*p == '\0')
			break;
		if (stanza(&jp, j, p) < 0) {
			ev_job_free(j);
			return -1;
		}
	}
	*out = j;
	return 0;
}

int FAST_FUNC ev_job_load(const char *path, ev_jobdef_t **out,
		char *err, unsigned errlen, void (*warn)(const char *msg) FAST_FUNC)
{
	struct stat st;
	char *text = NULL, *nul;
	ssize_t len = -1;
	int fd, rc = -1;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > EV_JOB_MAX) {
		snprintf(err, errlen, "%s: %s", path,
			S_ISREG(st.st_mode) ? "larger than 1 MiB" : "not a regular file");
		goto done;
	}
	text = malloc(st.st_size + 1);
	if (text)
		len = full_read(fd, text, st.st_size);
	if (len < 0) {
		snprintf(err, errlen, "%s: %s", path, text ? strerror(errno) : "out of memory");
		goto done;
	}
	text[len] = '\0';
	nul = memchr(text, '\0', len);
	if (nul) {
		unsigned n = where(path, text, nul, err, errlen);

		snprintf(err + n, errlen - n, "a NUL byte: not a text file");
		goto done;
	}
	rc = ev_job_parse(path, text, out, err, errlen, warn);
 done:
	if (fd >= 0)
		close(fd);
	free(text);
	return rc;
}

static int is_conf(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && name[0] != '.' && strcmp(name + len - 5, ".conf") == 0;
}

ev_jobdef_t* FAST_FUNC ev_job_load_dir(const char *dir, void (*warn)(const char *msg) FAST_FUNC)
{
	ev_jobdef_t *list = NULL, **tail = &list;
	char **names = NULL, **l;
	unsigned n = 0, i;
	struct dirent *de;
	char err[256];
	DIR *d;

	d = opendir(dir);
	if (!d) {
		snprintf(err, sizeof(err), "%s: %s", dir, strerror(errno));
		goto warn;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_conf(de->d_name))
			continue;
		l = realloc(names, (n + 1) * sizeof(*l));
		if (l)
			names = l;
		if (!l || !(names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2))) {
			snprintf(err, sizeof(err), "%s: out of memory", dir);
			if (warn)
				warn(err);
			break;
		}
		sprintf(names[n++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort_string_vector(names, n);
	for (i = 0; i < n; i++) {
		if (ev_job_load(names[i], tail, err, sizeof(err), warn) == 0)
			tail = &(*tail)->next;
		else if (warn)
			warn(err);
		free(names[i]);
	}
	free(names);
	return list;
 warn:
	if (warn)
		warn(err);
	return NULL;
}

static void free_proc(ev_proc_t *p)
{
	free(p->exec);
	free(p->script);
}

void FAST_FUNC ev_job_free(ev_jobdef_t *j)
{
	while (j) {
		ev_jobdef_t *next = j->next;
		char **e;

		free(j->name);
		free(j->file);
		free(j->description);
		ev_cond_free(j->start_on);
		ev_cond_free(j->stop_on);
		free(j->instance);
		for (e = j->env; e && *e; e++)
			free(*e);
		free(j->env);
		free_proc(&j->pre_start);
		free_proc(&j->main);
		free_proc(&j->post_stop);
		free(j);
		j = next;
	}
}
