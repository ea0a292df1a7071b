/* vi: set sw=4 ts=4: */
/*
 * evbox jobs: the upstart subset evinit reads, as pure functions (no I/O
 * but reading job files, no dying: every error is returned).
 *
 *   evcond.c   words, values and $VAR expansion; event conditions
 *              ("start on A and (B KEY=v or C)"): parse, match, print
 *   evjob.c    job files (/etc/evinit/NAME.conf): parse, load a directory
 *
 * An event is a NULL-terminated char **: ev[0] is its name, ev[1..] are
 * KEY=VALUE strings in order, e.g. {"starting", "JOB=mountall",
 * "INSTANCE=", NULL}.  An environment is a NULL-terminated list of
 * KEY=VALUE strings (may be NULL); when a key repeats, the last one counts.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVJOB_H
#define EVJOB_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

/* ---- conditions (evcond.c) ---------------------------------------------- */

/* EXPR := TERM { ("and" | "or") TERM }, "and" binding tighter than "or";
 * TERM := "(" EXPR ")" | EVENT ARG...; ARG := KEY=GLOB | KEY!=GLOB | GLOB.
 * Positional GLOBs come first and match the values of ev[1], ev[2]...;
 * a KEY the event lacks matches neither KEY= nor KEY!=.  Values may be
 * quoted ("..." or '...': quotes group, a quoted glob is still a glob);
 * a backslash escapes the next character (and is kept for fnmatch); $VAR
 * and ${VAR} are expanded from the job's environment at match time, as
 * literal text.  Newlines are blanks inside parentheses and after
 * "and"/"or"; a line that starts with "and"/"or" continues the condition;
 * "#" at the start of a word comments to the end of the line. */
typedef struct ev_cond ev_cond_t;

/* Parse TEXT.  On error: NULL, *COL (0-based offset into TEXT) and ERR say
 * where and what, naming the offending word. */
ev_cond_t *ev_cond_parse(const char *text, char *err, unsigned errlen, int *col) FAST_FUNC;

/* Offer one event: every leaf not yet matched that EV matches latches it
 * (a copy).  ENV expands $VAR in values.  Returns 1 when the whole
 * condition is now true (until ev_cond_reset()).  On OOM a leaf stays
 * unmatched. */
int ev_cond_offer(ev_cond_t *c, char **ev, char **env) FAST_FUNC;

/* For a true condition: call ADD with each KEY=VALUE of the events that
 * made it true (leaves in true subtrees, in order; a key may come twice,
 * the later should win), then with "UPSTART_EVENTS=name1 name2...". */
void ev_cond_env(const ev_cond_t *c, void (*add)(const char *kv, void *ctx) FAST_FUNC,
		void *ctx) FAST_FUNC;

/* Forget every matched event. */
void ev_cond_reset(ev_cond_t *c) FAST_FUNC;
void ev_cond_free(ev_cond_t *c) FAST_FUNC;

/* Does EV match any leaf, matched or not? */
int ev_cond_mentions(const ev_cond_t *c, char **ev, char **env) FAST_FUNC;

/* Canonical form: "(starting mountall and (stopping a or stopped b KEY=v))". */
void ev_cond_print(const ev_cond_t *c, FILE *out) FAST_FUNC;

/* S with $VAR and ${VAR} replaced from ENV (unknown ones by ""), malloc'd;
 * NULL on OOM.  For instance names. */
char *ev_expand(const char *s, char **env) FAST_FUNC;

/* The word syntax, shared with evjob.c. */
/* Skip blanks (not newlines) and backslash-newline continuations. */
const char *ev_skip_blanks(const char *p) FAST_FUNC;
/* End of the word at P (blanks and newlines end it; with PARENS, so do
 * "(" and ")").  NULL for a quote that the line does not close: then
 * *QUOTE is where it opens. */
const char *ev_word_end(const char *p, int parens, const char **quote) FAST_FUNC;
/* A malloc'd copy of [S, E) without its quotes and continuations;
 * backslash escapes are kept when KEEP_ESCAPES (a glob), else resolved.
 * NULL on OOM. */
char *ev_dequote(const char *s, const char *e, int keep_escapes) FAST_FUNC;
/* The index of the word [S, S+LEN) in the NUL-separated STRINGS, or -1. */
int ev_word_index(const char *strings, const char *s, size_t len) FAST_FUNC;
/* snprintf ERR with FMT, whose one %s is the word at W (at most LEN
 * bytes, shortened, non-printables as '?': one clean line).  Returns
 * the length written. */
int ev_errf(char *err, unsigned errlen, const char *fmt, const char *w, size_t len) FAST_FUNC;
/* Parse a condition at *PP for a job file: it ends at a line that starts
 * with a word of STANZAS (NUL-separated) or, once complete, at the end of
 * a line not followed by one that starts with "and"/"or".  AFTER points at
 * the word before it in the same text ("on"), for messages.  On success
 * *PP is just past its last word; on error, at the offending one. */
ev_cond_t *ev_cond_parse_job(const char **pp, const char *stanzas, const char *after,
		char *err, unsigned errlen) FAST_FUNC;

/* ---- job files (evjob.c) ------------------------------------------------ */

enum { EV_CONSOLE_NONE, EV_CONSOLE_OUTPUT, EV_CONSOLE_LOG };

typedef struct ev_proc {
	char *exec;		/* command line, continuations joined */
	char *script;		/* body, verbatim, each line ending in \n */
} ev_proc_t;			/* at most one set; none: no such process */

typedef struct ev_jobdef {
	struct ev_jobdef *next;
	char *name, *file, *description;	/* description may be NULL */
	ev_cond_t *start_on, *stop_on;		/* may be NULL */
	char *instance;				/* template or NULL */
	char **env;				/* NULL-terminated KEY=VALUE */
	ev_proc_t pre_start, main, post_stop;
	unsigned task:1, respawn:1, keep:1, critical:1;
	unsigned char console;			/* EV_CONSOLE_*, default LOG */
	unsigned respawn_limit, respawn_interval; /* 10 in 5 s; 0: unlimited */
	unsigned kill_timeout;			/* seconds, default 5 */
} ev_jobdef_t;

/* Job files larger than this are refused. */
#define EV_JOB_MAX	(1024 * 1024)

/* Parse TEXT of FILE (the job's name is FILE's basename without .conf).
 * Returns 0 and *OUT, or -1 and ERR = "FILE:LINE:COL: what is wrong near
 * 'WORD'" (one line, the first error).  Unknown stanzas and a stanza given
 * twice (but env) are errors; upstart's stanzas that evinit ignores give a
 * warning through WARN (may be NULL) in the same format. */
int ev_job_parse(const char *file, const char *text, ev_jobdef_t **out,
		char *err, unsigned errlen, void (*warn)(const char *msg) FAST_FUNC) FAST_FUNC;

/* Read and parse the file PATH, refusing NUL bytes and files over
 * EV_JOB_MAX.  Returns as ev_job_parse(). */
int ev_job_load(const char *path, ev_jobdef_t **out,
		char *err, unsigned errlen, void (*warn)(const char *msg) FAST_FUNC) FAST_FUNC;

/* Load every DIR/[*].conf in name order; each file that cannot be read or
 * parsed is reported through WARN and skipped.  Returns the list (NULL if
 * none). */
ev_jobdef_t *ev_job_load_dir(const char *dir, void (*warn)(const char *msg) FAST_FUNC) FAST_FUNC;

/* Free J and the jobs after it on its list. */
void ev_job_free(ev_jobdef_t *j) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
