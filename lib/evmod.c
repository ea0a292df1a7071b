/* vi: set sw=4 ts=4: */
/*
 * evbox module loading without modprobe: modules.dep (and modules.softdep)
 * of the image read here, each file handed to finit_module(), what a
 * module needs first.  The device manager and evmount call it in a child
 * they fork (no exec: a modprobe process costs an exec of the whole binary
 * and a parse of its own, tens of ms each under emulation); a module this
 * cannot load the plain way (not in modules.dep, a compressed file) is
 * left to modprobe.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evmod.o

#include "libbb.h"
#include "evmod.h"
#include <sys/syscall.h>

/* Called in a child: no x-functions (a child of PID 1 must not land in
 * PID 1's die_func), and nothing freed that exit frees anyway. */
static char *slurp(const char *dir, const char *file)
{
	char path[PATH_MAX];
	struct stat st;
	char *buf;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size > (64 << 20) || !(buf = malloc(st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	n = full_read(fd, buf, st.st_size);
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* A[LEN] and NAME name the same module: '-' and '_' are the same */
static int same_name(const char *a, unsigned len, const char *name)
{
	if (strlen(name) != len)
		return 0;
	for (; len; len--, a++, name++)
		if (*a != *name && !((*a == '-' || *a == '_') && (*name == '-' || *name == '_')))
			return 0;
	return 1;
}

/* "kernel/fs/ext4/ext4.ko" names module ext4 */
static int is_module(const char *path, unsigned len, const char *name)
{
	const char *base = path + len;

	while (base > path && base[-1] != '/')
		base--;
	if (len < 3 || strncmp(path + len - 3, ".ko", 3) != 0)
		return 0;
	return same_name(base, path + len - 3 - base, name);
}

static int load_file(const char *dir, const char *rel, unsigned len, char *what, unsigned size)
{
	char path[PATH_MAX];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%.*s", dir, (int)len, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
	} else {
		if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
			r = -errno;
		close(fd);
	}
	if (r < 0)
		snprintf(what, size, "%.*s", (int)len, rel);
	return r;
}

struct index {
	const char *dir, *dep, *softdep, *alias;
};

static int load(const struct index *ix, const char *name, int depth, char *what, unsigned size);

/* A softdep names a module or an alias of some (ext4's "crc32c"): each
 * module it stands for, best effort. */
static void load_soft(const struct index *ix, const char *name, int depth)
{
	const char *line, *end;
	char what[PATH_MAX], mod[64];
	unsigned n = strlen(name);

	if (load(ix, name, depth, what, sizeof(what)) != -ENOENT)
		return;
	for (line = ix->alias; line && *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if (strncmp(line, "alias ", 6) == 0 && strncmp(line + 6, name, n) == 0
		 && line[6 + n] == ' ' && end - (line + 7 + n) < (int)sizeof(mod)
		) {
			memcpy(mod, line + 7 + n, end - (line + 7 + n));
			mod[end - (line + 7 + n)] = '\0';
			load(ix, mod, depth, what, sizeof(what));
		}
	}
}

static int load(const struct index *ix, const char *name, int depth, char *what, unsigned size)
{
	const char *dir = ix->dir;
	const char *line, *colon, *end, *p;
	int r;

	/* softdep NAME pre: A B post: C -- the pre: ones first, best effort */
	for (line = ix->softdep; line && *line && depth < 4; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if (strncmp(line, "softdep ", 8) != 0)
			continue;
		p = line + 8;
		colon = strchr(p, ' ');
		if (!colon || colon > end || !same_name(p, colon - p, name))
			continue;
		p = strstr(colon, " pre: ");
		if (!p || p > end)
			continue;
		for (p += 6; p < end && strncmp(p, "post:", 5) != 0; ) {
			char word[64];
			unsigned n = strcspn(p, " \n");
			if (n && n < sizeof(word)) {
				memcpy(word, p, n);
				word[n] = '\0';
				load_soft(ix, word, depth + 1);
			}
			p += n;
			p += strspn(p, " ");
		}
	}

	for (line = ix->dep; *line; line = *end ? end + 1 : end) {
		const char *d[64];
		unsigned nd = 0;

		end = strchrnul(line, '\n');
		colon = memchr(line, ':', end - line);
		if (!colon || !is_module(line, colon - line, name))
			continue;
		/* what it needs: modules.dep lists the deepest last */
		for (p = colon + 1; p < end && nd < ARRAY_SIZE(d); ) {
			p += strspn(p, " ");
			if (p < end && *p != '\n')
				d[nd++] = p;
			p += strcspn(p, " \n");
		}
		while (nd--) {
			r = load_file(dir, d[nd], strcspn(d[nd], " \n"), what, size);
			if (r < 0)
				return r;
		}
		return load_file(dir, line, colon - line, what, size);
	}
	snprintf(what, size, "%s", name);
	return -ENOENT;
}

int FAST_FUNC ev_mod_load(const char *dir, const char *name, char *what, unsigned size)
{
	struct index ix;

	ix.dir = dir;
	ix.dep = slurp(dir, "modules.dep");
	ix.softdep = slurp(dir, "modules.softdep");
	ix.alias = ix.softdep ? slurp(dir, "modules.alias") : NULL;
	if (!ix.dep) {
		snprintf(what, size, "%s/modules.dep", dir);
		return -ENOENT;
	}
	return load(&ix, name, 0, what, size);
}

void FAST_FUNC ev_mod_load_soft(const char *dir, const char *name)
{
	struct index ix;

	ix.dir = dir;
	ix.dep = slurp(dir, "modules.dep");
	ix.softdep = slurp(dir, "modules.softdep");
	ix.alias = slurp(dir, "modules.alias");
	if (ix.dep)
		load_soft(&ix, name, 0);
}

int FAST_FUNC ev_mod_child(const char *dir, const char *name, int modprobe_only)
{
	char *argv[] = { (char *)"modprobe", (char *)"-b", (char *)name, NULL };
	char what[PATH_MAX];
	int err;

	if (!modprobe_only) {
		err = ev_mod_load(dir, name, what, sizeof(what));
		if (err == 0)
			return 0;
		if (err != -ENOENT) {
			dprintf(STDERR_FILENO, "%s: cannot load module %s: %s: %s\n",
					applet_name, name, what, strerror(-err));
			return 1;
		}
	}
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "%s: cannot run modprobe: %s\n", applet_name, strerror(errno));
	return 127;
}
