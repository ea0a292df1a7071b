/* vi: set sw=4 ts=4: */
/*
 * evbox lib: paths and test mode (see evpath.h).
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evpath.o

#include "libbb.h"
#include "evpath.h"

const char *ev_root = "";

int FAST_FUNC ev_root_set(const char *dir)
{
	char *copy;
	size_t n;

	if (!dir || !dir[0] || strcmp(dir, "/") == 0) {
		ev_root = "";
		unsetenv("EVINIT_ROOT");
		return 0;
	}
	copy = strdup(dir);
	if (!copy)
		return -ENOMEM;
	n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	ev_root = copy;
	return setenv("EVINIT_ROOT", ev_root, 1) < 0 ? -errno : 0;
}

void FAST_FUNC ev_root_from_env(void)
{
	ev_root_set(getenv("EVINIT_ROOT"));
}

char* FAST_FUNC ev_path_buf(char *buf, unsigned size, const char *path)
{
	unsigned n = snprintf(buf, size, "%s%s", ev_root, path);

	return n < size ? buf : NULL;
}

const char* FAST_FUNC ev_path(const char *path)
{
	static char buf[PATH_MAX];

	if (!ev_path_buf(buf, sizeof(buf), path))
		buf[0] = '\0';	/* too long: no such file, rather than another one */
	return buf;
}
