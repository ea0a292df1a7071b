/* vi: set sw=4 ts=4: */
/*
 * evbox event core: the kernel's uevents.  The netlink socket (only the
 * kernel is believed), the checks a message passes before anyone reads it,
 * parsing into keys, and coldplug: the same messages built from the uevent
 * files of a sysfs tree, so one code path serves boot-time and hotplug.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//kbuild:lib-$(CONFIG_EVCORE) += evuevent.o
#include "libbb.h"
#include "evuevent.h"
#include <linux/netlink.h>

#ifndef SO_RCVBUFFORCE
# define SO_RCVBUFFORCE 33
#endif

/* Enough for a burst of thousands of messages while the loop is busy. */
#define RCVBUF (4 * 1024 * 1024)

int FAST_FUNC ev_uevent_open(void)
{
	struct sockaddr_nl sa;
	int fd, one = 1, size = RCVBUF;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	/* FORCE needs CAP_NET_ADMIN; the plain one is capped by rmem_max */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_pid = 0;		/* the kernel assigns our port */
	sa.nl_groups = 1;	/* the kernel's uevent group */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

const char* FAST_FUNC ev_uevent_why(int why)
{
	static const char reasons[] ALIGN1 =
		"ok\0"
		"not from the kernel\0"
		"truncated\0"
		"not NUL-terminated\0"
		"malformed\0"
		"a libudev message\0"
		"too many keys\0";
	return nth_string(reasons, why);
}

int FAST_FUNC ev_uevent_check(const char *buf, unsigned len,
		unsigned sender_port, unsigned sender_uid, int truncated)
{
	if (truncated)
		return EV_UE_TRUNCATED;
	if (sender_port != 0 || sender_uid != 0)
		return EV_UE_NOT_KERNEL;
	if (len == 0 || buf[len - 1] != '\0')
		return EV_UE_NO_NUL;
	if (len >= 8 && memcmp(buf, "libudev", 8) == 0)
		return EV_UE_LIBUDEV;
	/* ACTION@DEVPATH, both non-empty */
	if (buf[0] == '@' || !strchr(buf, '@') || strchr(buf, '@')[1] != '/')
		return EV_UE_MALFORMED;
	return EV_UE_OK;
}

int FAST_FUNC ev_uevent_recv(int fd, char *buf, unsigned size, int *why)
{
	struct sockaddr_nl sa;
	struct iovec iov = { buf, size };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} ctl;
	struct msghdr mh;
	struct cmsghdr *cm;
	unsigned uid = (unsigned)-1;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &sa;
	mh.msg_namelen = sizeof(sa);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = &ctl;
	mh.msg_controllen = sizeof(ctl);
	n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cred;

			memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
			uid = cred.uid;
		}
	}
	*why = ev_uevent_check(buf, n > size ? size : n,
			mh.msg_namelen >= sizeof(sa) ? sa.nl_pid : (unsigned)-1, uid,
			(mh.msg_flags & MSG_TRUNC) || n > size);
	return *why ? 0 : n;
}

int FAST_FUNC ev_uevent_parse(char *buf, unsigned len, ev_uevent_t *u)
{
	char *p = buf, *end = buf + len;

	memset(u, 0, sizeof(*u));
	u->subsystem = "";
	/* skip the ACTION@DEVPATH header: the keys repeat it */
	p += strlen(p) + 1;
	for (; p < end; p += strlen(p) + 1) {
		char *eq = strchr(p, '=');

		if (!*p)
			continue;
		if (!eq || eq == p)
			return EV_UE_MALFORMED;
		if (u->nkeys == EV_UEVENT_KEYS)
			return EV_UE_TOO_MANY;
		u->key[u->nkeys++] = p;
		eq++;
		if (is_prefixed_with(p, "ACTION="))
			u->action = eq;
		else if (is_prefixed_with(p, "DEVPATH="))
			u->devpath = eq;
		else if (is_prefixed_with(p, "SUBSYSTEM="))
			u->subsystem = eq;
		else if (is_prefixed_with(p, "DEVNAME="))
			u->devname = eq;
		else if (is_prefixed_with(p, "SEQNUM="))
			u->seqnum = strtoull(eq, NULL, 10);
	}
	if (!u->action || !u->devpath || u->devpath[0] != '/')
		return EV_UE_MALFORMED;
	return EV_UE_OK;
}

const char* FAST_FUNC ev_uevent_get(const ev_uevent_t *u, const char *key)
{
	int i;

	for (i = 0; i < u->nkeys; i++) {
		const char *v = is_prefixed_with(u->key[i], key);
		if (v && *v == '=')
			return v + 1;
	}
	return NULL;
}

/* ---- coldplug ---- */

struct walk {
	char path[PATH_MAX];
	unsigned rootlen;	/* of SYSROOT: DEVPATH starts after it */
	void (*cb)(ev_uevent_t *u, void *ctx) FAST_FUNC;
	void *ctx;
	int count;
	char msg[EV_UEVENT_MAX];
};

/* Append "KEY=VALUE\0" parts to W->msg at *LEN; false when full. */
static int put(struct walk *w, unsigned *len, const char *a, const char *b)
{
	int n = snprintf(w->msg + *len, sizeof(w->msg) - *len, "%s%s", a, b);

	if (n < 0 || *len + n + 1 > sizeof(w->msg))
		return 0;
	*len += n + 1;
	return 1;
}

/* W->path (length PLEN) holds a uevent file: make the message. */
static void device(struct walk *w, unsigned plen)
{
	const char *devpath = w->path + w->rootlen;
	char file[EV_UEVENT_MAX / 2], link[PATH_MAX];
	unsigned len = 0;
	ssize_t n, l;
	char *line, *next;
	ev_uevent_t u;
	int fd;

	strcpy(w->path + plen, "/uevent");
	fd = open(w->path, O_RDONLY | O_CLOEXEC);
	w->path[plen] = '\0';
	if (fd < 0)
		return;		/* gone, or not a device */
	n = read(fd, file, sizeof(file) - 1);
	close(fd);
	if (n < 0)
		return;
	file[n] = '\0';

	strcpy(w->path + plen, "/subsystem");
	l = readlink(w->path, link, sizeof(link) - 1);
	w->path[plen] = '\0';
	link[l > 0 ? l : 0] = '\0';

	if (!put(w, &len, "add@", devpath)
	 || !put(w, &len, "ACTION=", "add")
	 || !put(w, &len, "DEVPATH=", devpath)
	 || !put(w, &len, "SUBSYSTEM=", bb_basename(link)))
		return;
	for (line = file; *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (*line && !put(w, &len, line, ""))
			return;
	}
	if (ev_uevent_parse(w->msg, len, &u) == EV_UE_OK) {
		w->count++;
		w->cb(&u, w->ctx);
	}
}

/* Visit W->path (length PLEN): the device first, then its children in
 * name order (so a disk comes before its partitions, and the order is the
 * same on every boot).  Symlinks are not followed. */
static void walk(struct walk *w, unsigned plen)
{
	struct dirent **names;
	int i, n;

	device(w, plen);
	n = scandir(w->path, &names, NULL, alphasort);
	for (i = 0; i < n; i++) {
		struct dirent *d = names[i];
		unsigned nlen = strlen(d->d_name);
		struct stat st;

		if (d->d_name[0] != '.' && d->d_type != DT_LNK
		 && plen + 1 + nlen + sizeof("/subsystem") < sizeof(w->path)
		) {
			w->path[plen] = '/';
			strcpy(w->path + plen + 1, d->d_name);
			if (d->d_type == DT_DIR
			 || (d->d_type == DT_UNKNOWN && lstat(w->path, &st) == 0 && S_ISDIR(st.st_mode))
			) {
				walk(w, plen + 1 + nlen);
			}
			w->path[plen] = '\0';
		}
		free(d);
	}
	free(n > 0 ? names : NULL);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the device each symlink in W->path (length PLEN) points at, as its
 * DEVPATH (the part from /devices/ on), to *LIST. */
static void add_links(struct walk *w, unsigned plen, char ***list, unsigned *n, unsigned *max)
{
	char link[PATH_MAX], *dev;
	struct dirent *d;
	DIR *dir = opendir(w->path);
	ssize_t l;

	while (dir && (d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || (d->d_type != DT_LNK && d->d_type != DT_UNKNOWN)
		 || plen + 2 + strlen(d->d_name) > sizeof(w->path))
			continue;
		w->path[plen] = '/';
		strcpy(w->path + plen + 1, d->d_name);
		l = readlink(w->path, link, sizeof(link) - 1);
		w->path[plen] = '\0';
		if (l <= 0)
			continue;
		link[l] = '\0';
		dev = strstr(link, "/devices/");
		if (!dev)
			continue;
		if (*n == *max) {
			char **more = realloc(*list, (*max = *max * 2 + 64) * sizeof(char *));
			if (!more)
				break;
			*list = more;
		}
		(*list)[*n] = strdup(dev);
		if ((*list)[*n])
			(*n)++;
	}
	if (dir)
		closedir(dir);
}

/* A running system's sysfs lists every device with a subsystem in
 * bus/NAME/devices/ and class/NAME/: reading those lists costs a few
 * hundred readlinks, where walking devices/ opens every attribute
 * directory (a quarter second under emulation).  Parents come first: a
 * parent's DEVPATH sorts before its children's.  Returns -ENOENT when
 * SYSROOT has no bus/ (a test tree: the walk serves it). */
static int listed(struct walk *w)
{
	static const char lists[] ALIGN1 = "/bus\0" "/class\0";
	/* classes whose devices have no MODALIAS and are no block or net
	 * device: their uevents ask for nothing (the terminals, consoles and
	 * memory devices are 93 of a small VM's 210, 15 of its coldplug's 28
	 * ms under -icount); bus/ lists every device a driver can bind to */
	static const char idle[] ALIGN1 = "tty\0" "vc\0" "vtconsole\0" "mem\0" "misc\0" "bdi\0";
	const char *l;
	char **list = NULL;
	unsigned n = 0, max = 0, i, plen;

	strcpy(w->path + w->rootlen, "/bus");
	if (access(w->path, X_OK) < 0)
		return -ENOENT;
	for (l = lists; *l; l += strlen(l) + 1) {
		struct dirent **names;
		int k, m;

		plen = w->rootlen + sprintf(w->path + w->rootlen, "%s", l);
		m = scandir(w->path, &names, NULL, NULL);
		for (k = 0; k < m; k++) {
			if (names[k]->d_name[0] != '.'
			 && plen + 16 + strlen(names[k]->d_name) < sizeof(w->path)
			 && (l[1] == 'b' || index_in_strings(idle, names[k]->d_name) < 0)
			) {
				unsigned len = plen + sprintf(w->path + plen, "/%s%s", names[k]->d_name,
						l[1] == 'b' ? "/devices" : "");
				add_links(w, len, &list, &n, &max);
				w->path[plen] = '\0';
			}
			free(names[k]);
		}
		free(m > 0 ? names : NULL);
	}
	qsort(list, n, sizeof(list[0]), by_path);
	for (i = 0; i < n; i++) {
		unsigned len = strlen(list[i]);

		/* a DEVPATH that leaves no room for "/subsystem" after it
		 * names no device that could be read: skipped */
		if ((i == 0 || strcmp(list[i], list[i - 1]) != 0)
		 && w->rootlen + len + sizeof("/subsystem") <= sizeof(w->path)
		) {
			memcpy(w->path + w->rootlen, list[i], len + 1);
			device(w, w->rootlen + len);
		}
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return 0;
}

int FAST_FUNC ev_coldplug(const char *sysroot,
		void (*cb)(ev_uevent_t *u, void *ctx) FAST_FUNC, void *ctx)
{
	struct walk *w;
	unsigned len;
	int ret;

	len = strlen(sysroot);
	/* room for SYSROOT/devices/X/subsystem */
	if (len + sizeof("/devices/x/subsystem") > PATH_MAX)
		return -ENAMETOOLONG;
	w = malloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	memcpy(w->path, sysroot, len + 1);
	while (len > 1 && w->path[len - 1] == '/')
		w->path[--len] = '\0';
	w->rootlen = len;
	strcpy(w->path + len, "/devices");
	w->cb = cb;
	w->ctx = ctx;
	w->count = 0;
	if (access(w->path, R_OK | X_OK) < 0) {
		ret = -errno;
	} else {
		if (listed(w) < 0) {
			len = w->rootlen + sprintf(w->path + w->rootlen, "/devices");
			walk(w, len);
		}
		ret = w->count;
	}
	free(w);
	return ret;
}
