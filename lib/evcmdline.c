/* vi: set sw=4 ts=4: */
/*
 * evinit: the kernel command line.  The standard parameters and dracut's
 * rd.* family are read into ev_cmdline; every parameter also reaches the
 * jobs' environment (rd.luks.uuid=X as rd_luks_uuid=X).  Unknown ones are
 * ignored; values that make no sense are named in a warning.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evcmdline.o

#include "libbb.h"
#include "evlog.h"
#include "evpath.h"
#include "evcmdline.h"

ev_cmdline_t ev_cmdline = { .ro = -1, .rootdelay = -1, .shell = 1 };

/* evinit logs what it ignores; evmount reads the same line again and
 * stays silent (ev_cmdline.warn 0) rather than say it twice. */
#define cmdline_warn(...) \
	do { if (ENABLE_EVINIT && ev_cmdline.warn) ev_warn(__VA_ARGS__); } while (0)

static const char params[] ALIGN1 =
	"root\0" "rootfstype\0" "rootflags\0" "init\0" "break\0" "rd.break\0"
	"panic\0" "ro\0" "rw\0" "rootwait\0" "quiet\0" "debug\0" "rd.debug\0"
	"rootdelay\0" "rd.timeout\0" "rd.shell\0";
enum {
	P_ROOT, P_ROOTFSTYPE, P_ROOTFLAGS, P_INIT, P_BREAK, P_RD_BREAK,
	P_PANIC, P_RO, P_RW, P_ROOTWAIT, P_QUIET, P_DEBUG, P_RD_DEBUG,
	P_ROOTDELAY, P_RD_TIMEOUT, P_RD_SHELL,
};

/* A number of seconds, or a warning naming the parameter. */
static int seconds(const char *key, const char *val)
{
	unsigned v = bb_strtou(val ? val : "", NULL, 10);

	if (errno || v > 24 * 3600) {
		cmdline_warn("ignoring %s=%s: not a number of seconds", key, val ? val : "");
		return -1;
	}
	return v;
}

/* 0/1 for rd.shell=, rd.luks= and their kind; a bare flag is 1. */
static int boolean(const char *key, const char *val)
{
	if (!val || strcmp(val, "1") == 0 || strcmp(val, "yes") == 0)
		return 1;
	if (strcmp(val, "0") == 0 || strcmp(val, "no") == 0)
		return 0;
	cmdline_warn("ignoring %s=%s: not 0 or 1", key, val);
	return 1;
}

static void add_env(char ***envp, unsigned *n, const char *key, const char *val)
{
	char **env = realloc(*envp, (*n + 2) * sizeof(env[0]));
	char *kv, *p;
	unsigned i;

	if (!env)
		return;
	*envp = env;
	kv = malloc(strlen(key) + strlen(val ? val : "1") + 2);
	if (!kv)
		return;
	sprintf(kv, "%s=%s", key, val ? val : "1");
	for (p = kv; *p != '='; p++)
		if (*p == '.' || *p == '-')
			*p = '_';
	/* a later word wins: the kernel's over the image's defaults */
	for (i = 0; i < *n; i++) {
		if (strncmp(env[i], kv, p - kv + 1) == 0) {
			free(env[i]);
			env[i] = kv;
			return;
		}
	}
	env[(*n)++] = kv;
	env[*n] = NULL;
}

void FAST_FUNC ev_cmdline_words(char *text,
		void (*cb)(char *key, char *val, void *ctx) FAST_FUNC, void *ctx)
{
	char *p = text;

	while (*(p = skip_whitespace(p))) {
		char *key = p, *val, *w = p;
		int quoted = 0;

		/* one word; "..." may hold spaces, the quotes are dropped */
		for (; *p && (quoted || !isspace(*p)); p++) {
			if (*p == '"')
				quoted = !quoted;
			else
				*w++ = *p;
		}
		if (*p)
			p++;
		*w = '\0';
		val = strchr(key, '=');
		if (val)
			*val++ = '\0';
		/* "--": the rest is for init */
		if (strcmp(key, "--") == 0)
			break;
		cb(key, val, ctx);
	}
}

static void FAST_FUNC param(char *key, char *val, void *ctx)
{
	ev_cmdline_t *c = &ev_cmdline;

	switch (index_in_strings(params, key)) {
	case P_ROOT:		c->root = val; break;
	case P_ROOTFSTYPE:	c->rootfstype = val; break;
	case P_ROOTFLAGS:	c->rootflags = val; break;
	case P_INIT:		c->init = val; break;
	case P_BREAK:
	case P_RD_BREAK:	c->brk = val ? val : (char *)"premount"; break;
	case P_PANIC:		c->panic = val; break;
	case P_RO:		c->ro = 1; break;
	case P_RW:		c->ro = 0; break;
	case P_ROOTWAIT:	c->rootwait = 1; break;
	case P_QUIET:		c->quiet = 1; break;
	case P_DEBUG:
	case P_RD_DEBUG:	c->debug = 1; break;
	case P_ROOTDELAY:
	case P_RD_TIMEOUT:	c->rootdelay = seconds(key, val); break;
	case P_RD_SHELL:	c->shell = boolean(key, val); break;
	}
	add_env(&c->env, ctx, key, val);
}

void FAST_FUNC ev_cmdline_parse(char *text)
{
	ev_cmdline_t *c = &ev_cmdline;
	unsigned nenv = 0;

	ev_cmdline_words(text, param, &nenv);
	if (c->root && !*c->root) {
		cmdline_warn("ignoring an empty root=");
		c->root = NULL;
	}
	if (c->init && c->init[0] != '/') {
		cmdline_warn("ignoring init=%s: not an absolute path", c->init);
		c->init = NULL;
	}
}

int FAST_FUNC ev_cmdline_break(const char *stage)
{
	const char *b = ev_cmdline.brk;
	unsigned len = strlen(stage);

	/* break=premount, break=top,bottom */
	while (b && *b) {
		if (strncmp(b, stage, len) == 0 && (b[len] == ',' || b[len] == '\0'))
			return 1;
		b = strchr(b, ',');
		if (b)
			b++;
	}
	return 0;
}

/* Read a whole small file; NULL when there is none (or on OOM). */
static char *slurp(const char *path)
{
	char buf[4096 + 1];
	int n = open_read_close(path, buf, sizeof(buf) - 1);

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

char* FAST_FUNC ev_cmdline_read(void)
{
	char *image = slurp(ev_path("/etc/evinit/cmdline"));
	char *kernel = slurp(ev_path("/proc/cmdline"));
	size_t len = (image ? strlen(image) : 0) + (kernel ? strlen(kernel) : 0) + 2;
	char *text = malloc(len), *p;

	if (text) {
		/* a later word wins: the kernel's over the image's defaults */
		snprintf(text, len, "%s %s", image ? image : "", kernel ? kernel : "");
		for (p = text; (p = strchr(p, '\n')) != NULL; )
			*p = ' ';	/* the files' newlines, for the log */
	}
	free(image);
	free(kernel);
	return text;
}

/* The last KEY= of the parsed line (in the jobs' spelling: rd.probe_timeout
 * is rd_probe_timeout), NULL if none. */
const char* FAST_FUNC ev_cmdline_get(const char *key)
{
	char **e;
	char name[64];
	size_t n = strlen(key), i;
	const char *v = NULL;

	if (n >= sizeof(name))
		return NULL;
	for (i = 0; i <= n; i++)
		name[i] = (key[i] == '.' || key[i] == '-') ? '_' : key[i];
	for (e = ev_cmdline.env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			v = *e + n + 1;
	return v;
}

unsigned FAST_FUNC ev_cmdline_secs(const char *key, unsigned dflt)
{
	const char *s = ev_cmdline_get(key);
	unsigned v;

	if (!s)
		return dflt;
	v = bb_strtou(s, NULL, 10);
	if (errno || v == 0 || v > 3600) {
		cmdline_warn("ignoring %s=%s: not a number of seconds (1-3600)", key, s);
		return dflt;
	}
	return v;
}

int FAST_FUNC ev_cmdline_netroot(void)
{
	const char *root = ev_cmdline.root ? ev_cmdline.root : "";
	const char *v;

	if (strcmp(root, "/dev/nfs") == 0 || strcmp(root, "dhcp") == 0
	 || is_prefixed_with(root, "nfs:") || is_prefixed_with(root, "nfs4:"))
		return EV_NETROOT_NFS;
	if (is_prefixed_with(root, "nbd:") || ev_cmdline_get("nbdroot")
	 || ((v = ev_cmdline_get("netroot")) != NULL && is_prefixed_with(v, "nbd:")))
		return EV_NETROOT_NBD;
	if (is_prefixed_with(root, "live:http://") || is_prefixed_with(root, "live:https://")
	 || is_prefixed_with(root, "live:ftp://"))
		return EV_NETROOT_LIVE;
	return EV_NETROOT_NONE;
}
