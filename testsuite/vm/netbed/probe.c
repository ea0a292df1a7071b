/*
 * probe: the test bed check's client tool (testsuite/vm/netbed/check.sh
 * builds it static with the host's cc and puts it in the throwaway
 * client's initramfs).  Not evbox code: a test of the servers.
 *
 *   probe mount SOURCE DIR TYPE OPTIONS
 *       mount(2) read-only with the kernel's text options (NFS: vers=,
 *       addr=, nolock... the kernel speaks MOUNT and NFS itself)
 *   probe nbd HOST PORT list
 *       the exports (NBD_OPT_LIST), one a line
 *   probe nbd HOST PORT read EXPORT OFFSET LENGTH
 *       NBD_OPT_GO, then NBD_CMD_READ: "size=N flags=0xF" and the bytes
 *       as hex
 *   probe nbd HOST PORT uuid EXPORT
 *       the ext4 superblock's magic and UUID ("ext4 UUID")
 *   probe nbd HOST PORT hold EXPORT SECONDS
 *       read block 0, say NBD-HOLDING, wait (up to SECONDS) for the server
 *       to drop the connection (NBD-CUT-SEEN), connect again and read
 *       block 0 again: NBD-RECONNECTED same|differs
 * Every read has a deadline (SO_RCVTIMEO, PROBE_TIMEOUT seconds).  Exit
 * status 0 when it did what was asked, 1 otherwise (said on stderr).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROBE_TIMEOUT 10
#define OPT_MAGIC 0x49484156454F5054ULL		/* IHAVEOPT */
#define REP_MAGIC 0x3e889045565a9ULL
#define REQ_MAGIC 0x25609513
#define SREP_MAGIC 0x67446698
enum { OPT_ABORT = 2, OPT_LIST = 3, OPT_GO = 7 };
enum { REP_ACK = 1, REP_SERVER = 2, REP_INFO = 3 };
enum { CMD_READ = 0, CMD_DISC = 2 };

static const char *host;
static int port;

static int fail(const char *what)
{
	fprintf(stderr, "probe: %s: %s\n", what, errno ? strerror(errno) : "bad answer");
	return -1;
}

static int get(int fd, void *p, size_t n)
{
	for (char *c = p; n;) {
		ssize_t r = read(fd, c, n);
		if (r == 0)
			errno = ECONNRESET;
		if (r <= 0)
			return -1;
		c += r;
		n -= r;
	}
	return 0;
}

static int put(int fd, const void *p, size_t n)
{
	return write(fd, p, n) == (ssize_t)n ? 0 : -1;
}

static int dial(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = PROBE_TIMEOUT };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return fail("socket"), -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail("connect"), close(fd), -1;
	return fd;
}

/* the greeting: NBDMAGIC IHAVEOPT flags; our flags: fixed newstyle, no zeroes */
static int hello(int fd)
{
	char magic[8];
	uint64_t opt;
	uint16_t flags;
	uint32_t cflags = htonl(3);

	errno = 0;
	if (get(fd, magic, 8) || memcmp(magic, "NBDMAGIC", 8) || get(fd, &opt, 8) ||
	    be64toh(opt) != OPT_MAGIC || get(fd, &flags, 2))
		return fail("greeting");
	if (!(ntohs(flags) & 1))
		return errno = 0, fail("greeting: no fixed newstyle");
	return put(fd, &cflags, 4);
}

static int option(int fd, uint32_t opt, const void *data, uint32_t len)
{
	struct { uint64_t magic; uint32_t opt, len; } __attribute__((packed)) h =
		{ htobe64(OPT_MAGIC), htonl(opt), htonl(len) };
	return put(fd, &h, sizeof(h)) || (len && put(fd, data, len)) ? -1 : 0;
}

/* one option reply: its type, its data (up to 4 KiB) in buf */
static int reply(int fd, uint32_t *type, char *buf, uint32_t *len)
{
	struct { uint64_t magic; uint32_t opt, type, len; } __attribute__((packed)) h;

	errno = 0;
	if (get(fd, &h, sizeof(h)) || be64toh(h.magic) != REP_MAGIC)
		return fail("option reply");
	*type = ntohl(h.type);
	*len = ntohl(h.len);
	if (*len > 4096)
		return errno = 0, fail("option reply longer than 4 KiB");
	return get(fd, buf, *len);
}

static int list(int fd)
{
	char buf[4097];
	uint32_t type, len, n;

	if (option(fd, OPT_LIST, NULL, 0))
		return fail("NBD_OPT_LIST");
	for (;;) {
		if (reply(fd, &type, buf, &len))
			return -1;
		if (type == REP_ACK)
			return option(fd, OPT_ABORT, NULL, 0), 0;
		if (type != REP_SERVER || len < 4)
			return fprintf(stderr, "probe: NBD_OPT_LIST: reply type 0x%x\n", type), -1;
		memcpy(&n, buf, 4);
		n = ntohl(n);
		if (n > len - 4)
			return errno = 0, fail("NBD_OPT_LIST: name longer than its reply");
		printf("%.*s\n", (int)n, buf + 4);
	}
}

/* NBD_OPT_GO EXPORT: the size and transmission flags */
static int go(int fd, const char *name, uint64_t *size, uint16_t *flags)
{
	char buf[4097];
	uint32_t n = strlen(name), type, len, nl = htonl(n);
	uint16_t none = 0;

	if (n > 4000)
		return errno = 0, fail("export name too long");
	memcpy(buf, &nl, 4);
	memcpy(buf + 4, name, n);
	memcpy(buf + 4 + n, &none, 2);
	if (option(fd, OPT_GO, buf, n + 6))
		return fail("NBD_OPT_GO");
	*size = 0;
	for (;;) {
		if (reply(fd, &type, buf, &len))
			return -1;
		if (type == REP_ACK)
			return 0;
		if (type & 0x80000000U) {
			fprintf(stderr, "probe: NBD_OPT_GO %s: error reply 0x%x: %.*s\n",
				name, type, (int)len, buf);
			return -1;
		}
		if (type == REP_INFO && len >= 12 && buf[0] == 0 && buf[1] == 0) {
			memcpy(size, buf + 2, 8);
			*size = be64toh(*size);
			memcpy(flags, buf + 10, 2);
			*flags = ntohs(*flags);
		}
	}
}

static int nbd_read(int fd, uint64_t off, uint32_t len, char *out)
{
	struct { uint32_t magic; uint16_t flags, type; uint64_t handle, off; uint32_t len; }
		__attribute__((packed)) rq = { htonl(REQ_MAGIC), 0, htons(CMD_READ), 1, htobe64(off), htonl(len) };
	struct { uint32_t magic, error; uint64_t handle; } __attribute__((packed)) rp;

	errno = 0;
	if (put(fd, &rq, sizeof(rq)) || get(fd, &rp, sizeof(rp)) || ntohl(rp.magic) != SREP_MAGIC)
		return fail("NBD_CMD_READ");
	if (rp.error)
		return fprintf(stderr, "probe: NBD_CMD_READ: error %u\n", ntohl(rp.error)), -1;
	return get(fd, out, len);
}

static int attach(const char *name, uint64_t *size, uint16_t *flags)
{
	int fd = dial();

	if (fd < 0 || hello(fd) || go(fd, name, size, flags))
		return fd < 0 ? -1 : (close(fd), -1);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int hold(const char *name, int secs)
{
	static char a[4096], b[4096];
	uint64_t size;
	uint16_t flags;
	int fd = attach(name, &size, &flags);
	double t0;
	char c;

	if (fd < 0 || nbd_read(fd, 0, sizeof(a), a))
		return -1;
	printf("NBD-HOLDING size=%llu\n", (unsigned long long)size);
	fflush(stdout);
	/* the server's end: readable with EOF (or an error) */
	struct pollfd p = { .fd = fd, .events = POLLIN };
	t0 = now();
	if (poll(&p, 1, secs * 1000) <= 0)
		return errno = 0, fail("the connection was not cut in time");
	if (read(fd, &c, 1) > 0)
		return errno = 0, fail("data from the server while idle");
	printf("NBD-CUT-SEEN after %.1f s\n", now() - t0);
	close(fd);
	fd = attach(name, &size, &flags);
	if (fd < 0 || nbd_read(fd, 0, sizeof(b), b))
		return -1;
	printf("NBD-RECONNECTED %s\n", memcmp(a, b, sizeof(a)) ? "differs" : "same");
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[65536];
	uint64_t size;
	uint16_t flags;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "mount")) {
		mkdir(argv[3], 0755);
		if (mount(argv[2], argv[3], argv[4], MS_RDONLY, argv[5]) < 0)
			return fprintf(stderr, "probe: mount %s on %s (%s, %s): %s\n", argv[2],
				       argv[3], argv[4], argv[5], strerror(errno)), 1;
		return 0;
	}
	if (argc < 5 || strcmp(argv[1], "nbd"))
		return fputs("usage: probe mount SRC DIR TYPE OPTS | probe nbd HOST PORT list|read|uuid|hold ...\n",
			     stderr), 1;
	host = argv[2];
	port = atoi(argv[3]);
	if (!strcmp(argv[4], "list")) {
		fd = dial();
		return fd < 0 || hello(fd) || list(fd);
	}
	if (argc == 8 && !strcmp(argv[4], "read")) {
		uint32_t len = strtoul(argv[7], NULL, 0);
		if (len > sizeof(buf))
			return fputs("probe: read: at most 64 KiB\n", stderr), 1;
		fd = attach(argv[5], &size, &flags);
		if (fd < 0 || nbd_read(fd, strtoull(argv[6], NULL, 0), len, buf))
			return 1;
		printf("size=%llu flags=0x%x\n", (unsigned long long)size, flags);
		for (uint32_t i = 0; i < len; i++)
			printf("%02x%s", (unsigned char)buf[i], i + 1 == len || i % 16 == 15 ? "\n" : "");
		return 0;
	}
	if (argc == 6 && !strcmp(argv[4], "uuid")) {
		unsigned char *u = (unsigned char *)buf + 0x68;
		fd = attach(argv[5], &size, &flags);
		if (fd < 0 || nbd_read(fd, 1024, 1024, buf))
			return 1;
		printf("%s %02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
		       (unsigned char)buf[0x38] == 0x53 && (unsigned char)buf[0x39] == 0xef ? "ext4" : "not-ext4",
		       u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		       u[12], u[13], u[14], u[15]);
		return 0;
	}
	if (argc == 7 && !strcmp(argv[4], "hold"))
		return hold(argv[5], atoi(argv[6])) ? 1 : 0;
	return fputs("probe: unknown nbd command\n", stderr), 1;
}
