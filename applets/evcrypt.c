/* vi: set sw=4 ts=4: */
/*
 * evcrypt: LUKS devices unlocked as they appear, through static
 * libcryptsetup with our crypto backend (at the end: the kernel's ciphers,
 * libbb's hashes; no OpenSSL).
 *
 * As the job cryptroot (started by the first LUKS device's event), it
 * subscribes to evinit's bus, past events first: each LUKS device that
 * crypttab or rd.luks.* names (or any, with rd.auto or when neither says
 * anything) joins a queue in arrival order, and is unlocked with its
 * keyfile, its keyscript's output, the passphrase that opened the last
 * one, or a passphrase asked on the console, one prompt at a time.  The
 * prompt is announced (passphrase-prompt, passphrase-done): evmount's
 * root deadline waits meanwhile.  The mapping is a new kernel device, so
 * a new event, so whatever is stacked on it (md, LVM, the root mount)
 * follows with no ordering here.  When the root is mounted the remembered
 * passphrase is wiped and evcrypt ends.
 *
 * Secrets live in two locked pages (mlock), are wiped after use and on
 * every path out, and never reach the environment, the log or the bus;
 * the process is not dumpable.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVCRYPT
//config:	bool "evcrypt (links libcryptsetup, ~600 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	help
//config:	Unlocks LUKS1/LUKS2 devices named in crypttab or on the kernel
//config:	command line as they appear, one passphrase prompt at a time,
//config:	pausing the root deadline while it waits for the user.
//config:	Links the static libcryptsetup, libdevmapper and json-c that
//config:	the build makes from Debian's sources.

//applet:IF_EVCRYPT(APPLET(evcrypt, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVCRYPT) += evcrypt.o

//usage:#define evcrypt_trivial_usage
//usage:       "[open [-k KEYFILE] [-H HEADER] [-S SLOT] [-r] [-d] DEVICE NAME | close NAME\n"
//usage:       "	| status | isluks DEVICE]"
//usage:#define evcrypt_full_usage "\n\n"
//usage:       "Unlock LUKS devices as they appear (the job cryptroot: crypttab,\n"
//usage:       "rd.luks.uuid=, rd.luks.name=, rd.luks.key=, rd.luks.options=, rd.auto)\n"
//usage:     "\n	open	Unlock DEVICE as /dev/mapper/NAME (a passphrase is asked"
//usage:     "\n		without -k)"
//usage:     "\n	-k,--key-file FILE	Key file"
//usage:     "\n	-H,--header FILE	Detached LUKS header"
//usage:     "\n	-S,--key-slot N	Only key slot N"
//usage:     "\n	-r,--readonly	Read-only mapping"
//usage:     "\n	-d,--allow-discards	Allow discards"
//usage:     "\n	close	Remove mapping NAME"
//usage:     "\n	status	The LUKS mappings: name, device, type, what it is on"
//usage:     "\n	isluks	Print DEVICE's LUKS version and UUID; fail if not LUKS"

#include "libbb.h"
#include "../lib/evloop.h"
#include "../lib/evbus.h"
#include "../lib/evmod.h"
#include "../lib/evspec.h"
#include "../lib/evpath.h"
#include "../lib/evcmdline.h"
#include "../lib/evnames.h"
#include "../toollib/evclient.h"
#include <libcryptsetup.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <termios.h>

#define SECRET_MAX 1024		/* a typed passphrase, as cryptsetup's default */
#define KEY_MAX (64 * 1024)	/* a key file or a keyscript's key (8 KiB ones are common) */

enum { T_WAIT, T_QUEUED, T_KEYWAIT, T_DONE, T_FAILED };

typedef struct target {
	struct target *next;
	char *name;		/* the mapping */
	char *source;		/* how it was named, for messages */
	ev_spec_t sp;
	char *key;		/* crypttab KEY: NULL (ask), a file, or FILE:SPEC */
	char *keydev_spec;	/* FILE on the device SPEC names */
	ev_spec_t keydev;
	char *keydev_name, *keydev_type;	/* once seen */
	char *keyscript, *header;
	int keyslot, tries, readonly, discard;
	int state;
	unsigned seq;		/* arrival order */
	char *dev;		/* DEVNAME once seen */
	int explicit;		/* named by crypttab or rd.luks.*: announced */
	int cipher_loaded;	/* its cipher's modules asked for */
} target_t;

struct globals {
	target_t *targets;
	int any;		/* rd.auto: any LUKS device */
	int luks_uuid_given;	/* rd.luks.uuid= / rd.luks.name= */
	char *options;		/* rd.luks.options= for all */
	char *rdkey;		/* rd.luks.key= for all */
	unsigned seq;
	target_t *asking;	/* the prompt is up for it */
	struct crypt_device *cd;	/* its header */
	int left;		/* its tries left; -1: for ever */
	ev_fd_t console;
	struct termios saved;
	int restore;
	unsigned len;		/* typed so far */
	char *secret;		/* KEY_MAX: typed or read key */
	char *cached;		/* SECRET_MAX: the passphrase that worked */
	unsigned cached_len;
	int dm_loaded;		/* its modules asked for */
	ev_child_t loader[2];	/* loading them, and a cipher's */
};
#define G (*ptr_to_globals)
#define INIT_G() do { SET_PTR_TO_GLOBALS(xzalloc(sizeof(G))); } while (0)

#define say(...)  ev_client_say(0, __VA_ARGS__)
#define oops(...) ev_client_say(1, __VA_ARGS__)

static void process(void);

/* ---- secrets ---- */

static void secrets_init(void)
{
	/* two buffers in one page of their own, locked, never in a core */
	char *page = mmap(NULL, KEY_MAX + SECRET_MAX, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (page == MAP_FAILED)
		bb_simple_perror_msg_and_die("mmap");
	mlock(page, KEY_MAX + SECRET_MAX);	/* best effort: RLIMIT_MEMLOCK */
	madvise(page, KEY_MAX + SECRET_MAX, MADV_DONTDUMP);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	G.secret = page;
	G.cached = page + KEY_MAX;
}

static void wipe(void)
{
	if (G.secret) {
		explicit_bzero(G.secret, KEY_MAX);
		explicit_bzero(G.cached, SECRET_MAX);
	}
	G.len = G.cached_len = 0;
}

static void restore_console(void)
{
	if (G.restore) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &G.saved);
		G.restore = 0;
	}
}

static void NORETURN finish(int code)
{
	wipe();
	restore_console();
	exit(code);
}

/* ---- configuration: crypttab, the command line ---- */

static target_t *find_name(const char *name)
{
	target_t *t;

	for (t = G.targets; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* crypttab's options (and rd.luks.options=), comma-separated */
static void options(target_t *t, const char *opts, const char *where)
{
	static const char known[] ALIGN1 =
		"tries\0" "keyslot\0" "key-slot\0" "header\0" "keyscript\0" "discard\0"
		"readonly\0" "read-only\0" "luks\0" "initramfs\0" "nofail\0" "noauto\0"
		"_netdev\0" "timeout\0" "keyfile-timeout\0" "cipher\0" "hash\0" "size\0";
	enum { O_TRIES, O_KEYSLOT, O_KEY_SLOT, O_HEADER, O_KEYSCRIPT, O_DISCARD,
		O_READONLY, O_READ_ONLY };
	char *copy = xstrdup(opts ? opts : ""), *o, *save = NULL;

	for (o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *val = strchr(o, '=');
		int i;

		if (val)
			*val++ = '\0';
		i = index_in_strings(known, o);
		switch (i) {
		case O_TRIES:
			t->tries = val ? bb_strtou(val, NULL, 10) : 3;
			if (errno || t->tries > 1000)
				t->tries = 3;
			break;
		case O_KEYSLOT:
		case O_KEY_SLOT:
			t->keyslot = val ? bb_strtou(val, NULL, 10) : CRYPT_ANY_SLOT;
			if (errno)
				t->keyslot = CRYPT_ANY_SLOT;
			break;
		case O_HEADER:
			free(t->header);
			t->header = val ? xstrdup(val) : NULL;
			break;
		case O_KEYSCRIPT:
			free(t->keyscript);
			t->keyscript = val ? xstrdup(val) : NULL;
			break;
		case O_DISCARD:
			t->discard = 1;
			break;
		case O_READONLY:
		case O_READ_ONLY:
			t->readonly = 1;
			break;
		default:
			if (i < 0 && !is_prefixed_with(o, "x-"))
				say("warning: %s: option %s%s%s for %s is not known: ignored",
						where, o, val ? "=" : "", val ? val : "", t->name);
		}
	}
	free(copy);
}

static target_t *add_target(const char *name, const char *spec, const char *source)
{
	target_t *t = xzalloc(sizeof(*t)), **pp;

	if (ev_spec_parse(spec, &t->sp) < 0) {
		say("warning: %s: %s is not a device name (UUID=, PARTUUID=, LABEL=, /dev/...): %s skipped",
				source, spec, name);
		free(t);
		return NULL;
	}
	t->name = xstrdup(name);
	t->source = xstrdup(source);
	t->tries = 3;
	t->keyslot = CRYPT_ANY_SLOT;
	for (pp = &G.targets; *pp; pp = &(*pp)->next)
		continue;
	*pp = t;
	return t;
}

static void set_key(target_t *t, const char *key)
{
	const char *colon;

	free(t->key);
	t->key = NULL;
	if (!key || !*key || strcmp(key, "none") == 0 || strcmp(key, "-") == 0)
		return;
	/* FILE:SPEC: a key file on another device (systemd's rd.luks.key=) */
	colon = strchr(key, ':');
	if (colon && colon[1]) {
		t->key = xstrndup(key, colon - key);
		t->keydev_spec = xstrdup(colon + 1);
		if (ev_spec_parse(t->keydev_spec, &t->keydev) < 0)
			say("warning: %s: the key device %s is not a device name", t->name, t->keydev_spec);
		return;
	}
	t->key = xstrdup(key);
}

static void read_crypttab(void)
{
	char path[PATH_MAX];
	char *line;
	FILE *f;
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s/etc/crypttab", ev_root);
	f = fopen(path, "r");
	if (!f)
		return;
	while ((line = xmalloc_fgetline(f)) != NULL) {
		char *tok[4] = { NULL, NULL, NULL, NULL }, *p = line;
		int i;

		n++;
		for (i = 0; i < 4; i++) {
			p = skip_whitespace(p);
			if (!*p || *p == '#')
				break;
			tok[i] = p;
			p = skip_non_whitespace(p);
			if (*p)
				*p++ = '\0';
		}
		p = skip_whitespace(p);
		if (tok[3] && *p && *p != '#')
			say("warning: /etc/crypttab:%u: more than 4 fields: \"%s\" ignored", n, p);
		if (tok[0] && !tok[1]) {
			say("warning: /etc/crypttab:%u: a name without a device: skipped", n);
		} else if (tok[0] && !(tok[3] && strstr(tok[3], "noauto"))) {
			char where[32];
			target_t *t;

			snprintf(where, sizeof(where), "/etc/crypttab:%u", n);
			t = add_target(tok[0], tok[1], where);
			if (t) {
				t->explicit = 1;
				set_key(t, tok[2]);
				options(t, tok[3], where);
			}
		}
		free(line);
	}
	fclose(f);
}

static void FAST_FUNC cmdline_word(char *key, char *val, void *ctx UNUSED_PARAM)
{
	char *eq, *uuid;
	target_t *t;

	if (strcmp(key, "rd.luks") == 0 && val && strcmp(val, "0") == 0) {
		say("rd.luks=0: not unlocking anything");
		finish(EXIT_SUCCESS);
	} else if (strcmp(key, "rd.auto") == 0 && (!val || strcmp(val, "1") == 0)) {
		G.any = 1;
	} else if (strcmp(key, "rd.luks.options") == 0 && val) {
		G.options = val;
	} else if (strcmp(key, "rd.luks.key") == 0 && val) {
		G.rdkey = val;
	} else if ((strcmp(key, "rd.luks.uuid") == 0 || strcmp(key, "rd.luks.name") == 0) && val) {
		char name[64], spec[64], source[96];
		/* rd.luks.uuid=UUID (luks- allowed in front), rd.luks.name=UUID=NAME */
		uuid = val;
		if (is_prefixed_with(uuid, "luks-"))
			uuid += 5;
		eq = strchr(uuid, '=');
		if (eq)
			*eq++ = '\0';
		snprintf(name, sizeof(name), "%s", eq && *eq ? eq : "");
		if (!name[0])
			snprintf(name, sizeof(name), "luks-%s", uuid);
		snprintf(spec, sizeof(spec), "UUID=%s", uuid);
		snprintf(source, sizeof(source), "%s=%s", key, uuid);
		G.luks_uuid_given = 1;
		/* a crypttab entry for the same device keeps its options */
		for (t = G.targets; t; t = t->next) {
			if (t->sp.kind == EV_SPEC_UUID && strcasecmp(t->sp.value, uuid) == 0) {
				if (eq && *eq) {
					free(t->name);
					t->name = xstrdup(name);
				}
				free(t->source);
				t->source = xstrdup(source);
				t->explicit = 2;
				return;
			}
		}
		t = add_target(name, spec, source);
		if (t)
			t->explicit = 2;
	}
}

static void read_params(void)
{
	char *all = ev_cmdline_read();
	target_t *t, **pp;
	int crypttab;

	if (!all)
		bb_die_memory_exhausted();
	ev_cmdline_parse(xstrdup(all));	/* kept: ev_cmdline points into it */
	read_crypttab();
	crypttab = G.targets != NULL;
	ev_cmdline_words(all, cmdline_word, NULL);
	free(all);
	/* rd.luks.uuid= names the ones to unlock: crypttab's others wait */
	if (G.luks_uuid_given) {
		for (pp = &G.targets; (t = *pp) != NULL; ) {
			if (t->explicit != 2) {
				*pp = t->next;
				continue;
			}
			pp = &t->next;
		}
	}
	if (!crypttab && !G.luks_uuid_given)
		G.any = 1;	/* nothing named: any LUKS device is offered */
	for (t = G.targets; t; t = t->next) {
		if (G.options)
			options(t, G.options, "rd.luks.options=");
		if (G.rdkey && !t->key)
			set_key(t, G.rdkey);
	}
}

/* ---- the modules an unlock needs ---- */

/* Loaded in children that modules_wait() waits for, before a key is
 * tried: the device mapper's and AF_ALG's (G.loader[0], once), a
 * cipher's (G.loader[1], per device).  What the kernel would otherwise
 * ask for itself, one /sbin/modprobe at a time, is loaded at once with
 * finit_module(), each name or alias as far as the image has it. */
typedef struct loading {
	const char *first, *soft;
	int nice;
	char dir[PATH_MAX];
} loading_t;

static int load_child(void *arg)
{
	loading_t *l = arg;
	const char *soft;
	int rc;

	setpriority(PRIO_PROCESS, 0, l->nice);
	rc = l->first ? ev_mod_child(l->dir, l->first, 0) : 0;
	for (soft = l->soft; *soft; soft += strlen(soft) + 1)
		ev_mod_load_soft(l->dir, soft);
	return rc;
}

static void FAST_FUNC loaded(ev_child_t *c, int status UNUSED_PARAM)
{
	c->pid = 0;
}

static void loader_wait(ev_child_t *c)
{
	if (c->pid > 0) {
		ev_child_del(c);
		setpriority(PRIO_PROCESS, c->pid, 0);	/* wanted now */
		waitpid(c->pid, NULL, 0);
		c->pid = 0;
	}
}

static void modules_wait(void)
{
	loader_wait(&G.loader[0]);
	loader_wait(&G.loader[1]);
}

static void load_modules(ev_child_t *c, const char *first, const char *soft, int nice)
{
	struct utsname u;
	loading_t l;

	loader_wait(c);		/* the one before (another device's cipher) */
	uname(&u);
	snprintf(l.dir, sizeof(l.dir), "/lib/modules/%s", u.release);
	l.first = first;
	l.soft = soft;
	l.nice = nice;
	c->cb = loaded;
	if (ev_fork(c, load_child, &l) < 0)
		c->pid = 0;
}

static int dm_present(void)
{
	return access("/dev/mapper/control", F_OK) == 0;
}

/* dm_crypt (FIRST, as evinit would, when there is no device mapper yet;
 * else best effort: a kernel may have it built in) and AF_ALG's user
 * API.  NICE 10 while the devices come, as evmount's preloads: what the
 * root's devices need goes first on the one CPU a guest may have, and
 * the rest of the load is in the prompt's wait. */
static void load_dm(int nice)
{
	if (G.dm_loaded || ev_testing())
		return;
	G.dm_loaded = 1;
	load_modules(&G.loader[0], dm_present() ? NULL : "dm_crypt",
			"dm_crypt\0" "algif_skcipher\0" "algif_hash\0", nice);
}

/* The cipher of T's header CD: "aes", "xts-plain64" or "cbc-essiv:sha256"
 * ask for crypto-aes, crypto-xts (crypto-cbc, crypto-essiv,
 * crypto-sha256).  With a prompt, after it is up: in its wait. */
static void load_cipher(target_t *t, struct crypt_device *cd)
{
	const char *cipher = crypt_get_cipher(cd), *mode = crypt_get_cipher_mode(cd);
	char names[256], *p = names, *end = names + sizeof(names);
	const char *iv;

	if (t->cipher_loaded || !cipher || !mode || ev_testing())
		return;
	t->cipher_loaded = 1;
	p += snprintf(p, end - p, "crypto-%s", cipher) + 1;
	if (p < end)
		p += snprintf(p, end - p, "crypto-%.*s", (int)strcspn(mode, "-"), mode) + 1;
	iv = strchr(mode, '-');
	if (iv && (iv = strchr(iv, ':')) != NULL && p < end) {	/* essiv:sha256 */
		p += snprintf(p, end - p, "crypto-essiv") + 1;
		if (p < end)
			p += snprintf(p, end - p, "crypto-%s", iv + 1) + 1;
	}
	if (p >= end)
		return;
	*p = '\0';
	load_modules(&G.loader[1], NULL, names, 0);
}

/* ---- unlocking ---- */

static void FAST_FUNC on_crypt_log(int level, const char *msg, void *usrptr UNUSED_PARAM)
{
	/* libcryptsetup's own errors, without their newline; never a secret */
	if (level == CRYPT_LOG_ERROR)
		oops("%.*s", (int)strcspn(msg, "\n"), msg);
}

static uint32_t flags_of(const target_t *t)
{
	return (t->readonly ? CRYPT_ACTIVATE_READONLY : 0)
		| (t->discard ? CRYPT_ACTIVATE_ALLOW_DISCARDS : 0);
}

/* Open T's device: 0, or -errno with the cause said. */
static int open_dev(target_t *t, struct crypt_device **cd)
{
	char dev[PATH_MAX], hdr[PATH_MAX];
	int err;

	snprintf(dev, sizeof(dev), "%s%s", ev_root, t->dev);
	if (t->header) {
		snprintf(hdr, sizeof(hdr), "%s%s", ev_root, t->header);
		err = crypt_init_data_device(cd, hdr, dev);
	} else {
		err = crypt_init(cd, dev);
	}
	if (err < 0) {
		oops("%s (%s): cannot open%s%s: %s", t->dev, t->name,
				t->header ? " with the header " : "", t->header ? t->header : "", strerror(-err));
		return err;
	}
	err = crypt_load(*cd, CRYPT_LUKS, NULL);
	if (err < 0) {
		oops("%s (%s): no LUKS header%s (not LUKS, or a damaged header): %s", t->dev, t->name,
				t->header ? " in the detached header" : "", strerror(-err));
		crypt_free(*cd);
		*cd = NULL;
	}
	return err;
}

static void unlocked(target_t *t)
{
	char kv[2][PATH_MAX + 16];

	t->state = T_DONE;
	say("unlocked %s as /dev/mapper/%s", t->dev, t->name);
	snprintf(kv[0], sizeof(kv[0]), "NAME=%s", t->name);
	snprintf(kv[1], sizeof(kv[1]), "DEVNAME=%s", t->dev);
	ev_client_emit(EV_CRYPT_UNLOCKED, kv[0], kv[1], NULL);
}

/* Try SECRET[LEN] on T, whose header CD has (NULL: read here, -ENODEV
 * with the cause said): 0 unlocked, -EPERM wrong, another -errno. */
static int try_key(target_t *t, struct crypt_device *cd, const char *secret, unsigned len)
{
	struct crypt_device *own = NULL;
	int err;

	if (!cd) {
		if (open_dev(t, &own) < 0)
			return -ENODEV;
		cd = own;
	}
	load_dm(0);
	load_cipher(t, cd);
	modules_wait();
	/* test mode: the key is checked, nothing is activated */
	err = crypt_activate_by_passphrase(cd, ev_testing() ? NULL : t->name,
			t->keyslot, secret, len, flags_of(t));
	crypt_free(own);
	if (err < 0 && err != -EPERM) {
		int alg = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

		/* the keyslot's cipher is the kernel's, through AF_ALG */
		if (alg < 0)
			oops("%s (%s): the kernel's crypto API for user space (AF_ALG) is missing: %s"
					" (af_alg, algif_skcipher and algif_hash in the image?)",
					t->dev, t->name, strerror(errno));
		else
			close(alg);
	}
	return err < 0 ? err : 0;
}

/* A key from FD into G.secret (G.len): 0, -EFBIG past KEY_MAX, -errno;
 * on an error nothing of it stays. */
static int read_secret(int fd)
{
	ssize_t n = full_read(fd, G.secret, KEY_MAX);
	char more;
	int err = n < 0 ? -errno : 0;

	if (n == KEY_MAX && full_read(fd, &more, 1) > 0)
		err = -EFBIG;
	if (err < 0) {
		explicit_bzero(G.secret, KEY_MAX);
		return err;
	}
	G.len = n;
	return 0;
}

/* The key of a key file (in the image, or read from a key device). */
static int read_key_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = read_secret(fd);
	close(fd);
	return err;
}

static int key_from_device(target_t *t)
{
	char mnt[PATH_MAX], file[PATH_MAX * 2];
	int err;

	snprintf(mnt, sizeof(mnt), "%s/run/evcrypt/keydev", ev_root);
	bb_make_directory(mnt, 0700, FILEUTILS_RECUR);
	if (!ev_testing() && mount(t->keydev_name, mnt, t->keydev_type, MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0) {
		err = -errno;
		oops("%s (%s): cannot mount the key device %s (%s): %s", t->dev, t->name,
				t->keydev_name, t->keydev_type, strerror(errno));
		return err;
	}
	if (ev_testing())	/* test mode: the key device's tree stands in the test root */
		snprintf(file, sizeof(file), "%s%s", ev_root, t->key);
	else
		snprintf(file, sizeof(file), "%s/%s", mnt, t->key);
	err = read_key_file(file);
	if (!ev_testing())
		umount2(mnt, MNT_DETACH);
	if (err < 0)
		oops("%s (%s): no key file %s on %s: %s", t->dev, t->name, t->key, t->keydev_name, strerror(-err));
	return err;
}

static int key_from_script(target_t *t, int tried)
{
	int pfd[2], status, err;
	char *argv[3], env[5][PATH_MAX], path[PATH_MAX];
	pid_t pid;

	/* a bare name is one of Debian's, as cryptsetup-initramfs has it */
	snprintf(path, sizeof(path), "%s%s%s", ev_root,
			t->keyscript[0] == '/' ? "" : "/lib/cryptsetup/scripts/", t->keyscript);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		snprintf(env[0], sizeof(env[0]), "CRYPTTAB_NAME=%s", t->name);
		snprintf(env[1], sizeof(env[1]), "CRYPTTAB_SOURCE=%s", t->dev);
		snprintf(env[2], sizeof(env[2]), "CRYPTTAB_KEY=%s", t->key ? t->key : "none");
		snprintf(env[3], sizeof(env[3]), "CRYPTTAB_TRIED=%d", tried);
		snprintf(env[4], sizeof(env[4]), "CRYPTTAB_SOURCE_NAME=%s", t->source);
		putenv(env[0]); putenv(env[1]); putenv(env[2]); putenv(env[3]); putenv(env[4]);
		argv[0] = t->keyscript;
		argv[1] = t->key ? t->key : (char *)"none";
		argv[2] = NULL;
		execv(path, argv);
		dprintf(STDERR_FILENO, "evcrypt: %s: %s\n", path + strlen(ev_root), strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return -errno;
	}
	err = read_secret(pfd[0]);
	close(pfd[0]);		/* a script with more to say gets SIGPIPE */
	waitpid(pid, &status, 0);
	if (err < 0) {
		oops("%s (%s): the keyscript %s: its key: %s", t->dev, t->name, t->keyscript,
				err == -EFBIG ? "more than 64 KiB" : strerror(-err));
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(G.secret, KEY_MAX);
		oops("%s (%s): the keyscript %s failed (exit %d)", t->dev, t->name, t->keyscript,
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		err = -EIO;
	} else if (G.len && G.secret[G.len - 1] == '\n') {
		G.len--;	/* a line of text: its newline is not part of the key */
	}
	return err;
}

/* ---- the prompt ---- */

static void done_asking(const char *result)
{
	char kv[3][PATH_MAX + 16];
	target_t *t = G.asking;

	ev_fd_del(&G.console);
	restore_console();
	G.asking = NULL;
	crypt_free(G.cd);
	G.cd = NULL;
	snprintf(kv[0], sizeof(kv[0]), "DEVNAME=%s", t->dev);
	snprintf(kv[1], sizeof(kv[1]), "NAME=%s", t->name);
	snprintf(kv[2], sizeof(kv[2]), "RESULT=%s", result);
	ev_client_emit(EV_PASSPHRASE_DONE, kv[0], kv[1], kv[2], NULL);
}

static void prompt_line(void)
{
	target_t *t = G.asking;

	dprintf(STDERR_FILENO, "Passphrase for %s (%s): ", t->dev, t->name);
	if (isatty(STDIN_FILENO)) {
		struct termios tio;
		if (!G.restore && tcgetattr(STDIN_FILENO, &G.saved) == 0)
			G.restore = 1;
		tio = G.saved;
		tio.c_lflag &= ~(ECHO | ECHONL);
		tio.c_lflag |= ICANON;
		/* TCSAFLUSH: what was typed before the prompt is not the answer */
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &tio);
	}
	G.len = 0;
}

static void FAST_FUNC typed(ev_fd_t *w, short revents UNUSED_PARAM)
{
	target_t *t = G.asking;
	char *nl;
	ssize_t n;
	int err;

	n = read(w->fd, G.secret + G.len, SECRET_MAX - 1 - G.len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		wipe();
		done_asking("failed");
		oops("%s (%s): the console closed while asking", t->dev, t->name);
		t->state = T_FAILED;
		process();
		return;
	}
	G.len += n;
	nl = memchr(G.secret, '\n', G.len);
	if (!nl && G.len < SECRET_MAX - 1)
		return;		/* the rest of the line comes */
	dprintf(STDERR_FILENO, "\n");
	G.len = nl ? (unsigned)(nl - G.secret) : G.len;
	if (G.len && G.secret[G.len - 1] == '\r')
		G.len--;
	err = try_key(t, G.cd, G.secret, G.len);
	if (err == 0) {
		memcpy(G.cached, G.secret, G.len);
		G.cached_len = G.len;
		explicit_bzero(G.secret, KEY_MAX);
		done_asking("ok");
		unlocked(t);
		process();
		return;
	}
	explicit_bzero(G.secret, KEY_MAX);
	if (err == -EPERM && (G.left < 0 || --G.left > 0)) {
		char left[32] = "";

		if (G.left > 0)
			snprintf(left, sizeof(left), "; %d %s left", G.left, G.left == 1 ? "try" : "tries");
		say("wrong passphrase for %s (%s)%s", t->dev, t->name, left);
		prompt_line();
		return;
	}
	done_asking("failed");
	t->state = T_FAILED;
	if (err == -EPERM) {
		char reason[PATH_MAX + 64], jobkv[] = "JOB=cryptroot";
		snprintf(reason, sizeof(reason), "REASON=no passphrase unlocked %s (%s) in %d tries",
				t->dev, t->name, t->tries);
		oops("%s", reason + 7);
		ev_client_emit(EV_RESCUE, reason, "HINT=leave the shell (exit) to be asked again", jobkv, NULL);
		finish(EXIT_FAILURE);
	}
	oops("%s (%s): cannot unlock: %s", t->dev, t->name, strerror(-err));
	process();
}

static void ask(target_t *t)
{
	char kv[2][PATH_MAX + 16];

	G.asking = t;
	G.left = t->tries ? t->tries : -1;
	snprintf(kv[0], sizeof(kv[0]), "DEVNAME=%s", t->dev);
	snprintf(kv[1], sizeof(kv[1]), "NAME=%s", t->name);
	/* announced first: evmount's deadline stops before the prompt shows */
	ev_client_emit(EV_PASSPHRASE_PROMPT, kv[0], kv[1], NULL);
	prompt_line();
	G.console.fd = STDIN_FILENO;
	G.console.events = POLLIN;
	G.console.cb = typed;
	ev_fd_add(&G.console);
}

/* Try the key read into G.secret (WHAT names it), then wipe it: 0 when
 * it unlocked T, else -errno with the cause said. */
static int use_key(target_t *t, const char *what)
{
	int err = try_key(t, NULL, G.secret, G.len);

	explicit_bzero(G.secret, KEY_MAX);
	if (err == 0)
		unlocked(t);
	else if (err != -ENODEV)
		oops("%s (%s): %s does not unlock it: %s", t->dev, t->name, what,
				err == -EPERM ? "wrong key" : strerror(-err));
	return err;
}

/* Unlock T with its keyscript's key or its key file */
static void unlock_with_key(target_t *t)
{
	char path[PATH_MAX];
	int err, tries;

	if (t->keyscript) {
		for (tries = 0; t->tries == 0 || tries < t->tries; tries++) {
			err = key_from_script(t, tries);
			if (err == 0 && (err = use_key(t, "the keyscript's key")) == 0)
				return;
			if (err != -EPERM)
				break;
		}
		t->state = T_FAILED;
		return;
	}
	if (t->keydev_spec) {
		err = key_from_device(t);
	} else {
		snprintf(path, sizeof(path), "%s%s", ev_root, t->key);
		err = read_key_file(path);
		if (err < 0)
			oops("%s (%s): key file %s: %s", t->dev, t->name, t->key, strerror(-err));
	}
	if (err == 0 && use_key(t, "its key file") == 0)
		return;
	t->state = T_FAILED;
}

/* Unlock T with what needs no typing, else ask. */
static void unlock(target_t *t)
{
	struct crypt_device *cd;

	say("%s is LUKS for %s (%s)", t->dev, t->name, t->source);
	/* no device mapper yet: nothing is active, and libdevmapper's look
	 * would have the kernel load dm_mod through /sbin/modprobe first */
	if (!ev_testing() && dm_present() && crypt_status(NULL, t->name) == CRYPT_ACTIVE) {
		say("%s is active already", t->name);
		unlocked(t);
		return;
	}
	if (t->keyscript || t->key) {
		load_dm(0);	/* while the key is read */
		unlock_with_key(t);
		return;
	}
	/* a header that does not load is said now, not after a passphrase */
	if (open_dev(t, &cd) < 0)
		return;
	/* many disks, one passphrase: the one that worked, first */
	if (G.cached_len && try_key(t, cd, G.cached, G.cached_len) == 0) {
		crypt_free(cd);
		say("%s: the passphrase given before unlocked it too", t->dev);
		unlocked(t);
		return;
	}
	G.cd = cd;	/* the prompt's, until done_asking() */
	ask(t);
	load_dm(0);	/* while the prompt waits for the user */
	load_cipher(t, cd);
}

/* The next device in arrival order, unless a prompt is up. */
static void process(void)
{
	target_t *t, *next;

	while (!G.asking) {
		next = NULL;
		for (t = G.targets; t; t = t->next)
			if (t->state == T_QUEUED && (!next || t->seq < next->seq))
				next = t;
		if (!next)
			return;
		next->state = T_FAILED;	/* unlock() says otherwise */
		unlock(next);
		if (next->state == T_FAILED && G.asking == next)
			next->state = T_QUEUED;
	}
}

/* ---- events ---- */

static void device(char **ev)
{
	const char *devname = ev_event_get(ev, "DEVNAME");
	const char *type = ev_event_get(ev, "ID_FS_TYPE");
	const char *uuid = ev_event_get(ev, "ID_FS_UUID");
	target_t *t;
	int found = 0, keydev = 0, luks;

	/* a key device someone waits for */
	for (t = G.targets; t; t = t->next) {
		if (t->keydev_spec && !t->keydev_name && ev_spec_match(&t->keydev, ev, ev_root)) {
			t->keydev_name = xstrdup(devname);
			t->keydev_type = xstrdup(type ? type : "auto");
			if (t->state == T_KEYWAIT) {
				t->state = T_QUEUED;
				t->seq = ++G.seq;
				keydev = 1;
			}
		}
	}
	luks = type && strcmp(type, "crypto_LUKS") == 0;
	for (t = G.targets; devname && t; t = t->next) {
		/* a device whose header is apart (header=) shows no LUKS */
		if ((!luks && !t->header) || !ev_spec_match(&t->sp, ev, ev_root))
			continue;
		found = 1;
		if (t->state != T_WAIT)
			continue;
		t->dev = xstrdup(devname);
		t->state = t->keydev_spec && !t->keydev_name ? T_KEYWAIT : T_QUEUED;
		t->seq = ++G.seq;
		if (t->state == T_KEYWAIT)
			say("%s (%s) waits for its key device %s", t->dev, t->name, t->keydev_spec);
	}
	if (!luks || !devname) {
		if (keydev || found)
			process();
		return;
	}
	if (!found && G.any && uuid) {
		char name[64], spec[64];
		snprintf(name, sizeof(name), "luks-%s", uuid);
		snprintf(spec, sizeof(spec), "UUID=%s", uuid);
		if (!find_name(name) && (t = add_target(name, spec, G.luks_uuid_given ? "rd.auto"
				: "any LUKS device (no crypttab, no rd.luks.*)")) != NULL) {
			t->dev = xstrdup(devname);
			t->state = T_QUEUED;
			t->seq = ++G.seq;
			found = 1;
		}
	}
	if (!found) {
		if (G.luks_uuid_given) {
			char names[256];
			unsigned n = 0;
			names[0] = '\0';
			for (t = G.targets; t && n < sizeof(names); t = t->next)
				n += snprintf(names + n, sizeof(names) - n, "%s%s", n ? ", " : "", t->sp.value);
			say("%s is LUKS UUID=%s, not one rd.luks.uuid= names (%s): left locked",
					devname, uuid ? uuid : "?", names);
		} else {
			say("%s is LUKS UUID=%s, not in /etc/crypttab: left locked", devname, uuid ? uuid : "?");
		}
	}
	process();
}

static void FAST_FUNC bus_event(char **ev)
{
	if (!ev) {
		finish(EXIT_SUCCESS);	/* evinit closed the bus: the switch */
	} else if (strcmp(ev[0], EV_MOUNTED) == 0) {
		const char *mp = ev_event_get(ev, "MOUNTPOINT");
		if (mp && strcmp(mp, "/root") == 0) {
			if (G.cached_len)
				say("the root is mounted: the passphrase is forgotten");
			finish(EXIT_SUCCESS);
		}
	} else {
		device(ev);
	}
}

static int daemon_main(void)
{
	target_t *t;
	char kv[2][PATH_MAX + 16];
	sigset_t set;
	int err;

	ev_root_from_env();
	read_params();
	ev_client_quiet(ev_cmdline.quiet);
	sigemptyset(&set);
	err = ev_signals(&set, NULL);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	ev_client_join(EV_BLOCK_ADDED "\0" EV_BLOCK_CHANGED "\0" EV_MOUNTED "\0", bus_event,
			"evcrypt open DEVICE NAME");
	/* what evmount should name if the root never comes; and a device
	 * named is a device expected: its modules load while it comes */
	for (t = G.targets; t; t = t->next) {
		if (!t->explicit)
			continue;
		snprintf(kv[0], sizeof(kv[0]), "NAME=%s", t->name);
		snprintf(kv[1], sizeof(kv[1]), "WANTED=%s", t->source);
		ev_client_emit(EV_CRYPT_WANTED, kv[0], kv[1], NULL);
		load_dm(10);
	}
	if (!ev_testing())
		mkdir("/run/cryptsetup", 0700);	/* libcryptsetup's LUKS2 locks */
	return ev_run();
}

/* ---- standalone ---- */

static int status_main(void)
{
	DIR *d = opendir("/sys/block"), *s;
	struct dirent *e, *f;
	char path[PATH_MAX], name[128], uuid[160];

	while (d && (e = readdir(d)) != NULL) {
		if (!is_prefixed_with(e->d_name, "dm-"))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dm/uuid", e->d_name);
		if (open_read_close(path, uuid, sizeof(uuid) - 1) <= 0)
			continue;
		uuid[sizeof(uuid) - 1] = '\0';
		if (!is_prefixed_with(uuid, "CRYPT-LUKS"))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dm/name", e->d_name);
		memset(name, 0, sizeof(name));
		open_read_close(path, name, sizeof(name) - 1);
		*strchrnul(name, '\n') = '\0';
		*strchrnul(uuid, '\n') = '\0';
		/* CRYPT-LUKS2-<uuid without dashes>-NAME */
		printf("%s /dev/%s %.5s", name, e->d_name, uuid + 6);
		/* what it is on: its one slave */
		snprintf(path, sizeof(path), "/sys/block/%s/slaves", e->d_name);
		s = opendir(path);
		while (s && (f = readdir(s)) != NULL) {
			if (f->d_name[0] != '.') {
				printf(" on /dev/%s", f->d_name);
				break;
			}
		}
		if (s)
			closedir(s);
		putchar('\n');
	}
	if (d)
		closedir(d);
	return EXIT_SUCCESS;
}

int evcrypt_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evcrypt_main(int argc UNUSED_PARAM, char **argv)
{
	struct crypt_device *cd;
	int err;

	INIT_G();
	secrets_init();
	crypt_set_log_callback(NULL, on_crypt_log, NULL);
	if (!argv[1])
		return daemon_main();

	if (strcmp(argv[1], "isluks") == 0 && argv[2]) {
		err = crypt_init(&cd, argv[2]);
		if (err < 0)
			bb_error_msg_and_die("%s: %s", argv[2], strerror(-err));
		err = crypt_load(cd, CRYPT_LUKS, NULL);
		if (err < 0)
			bb_error_msg_and_die("%s: not a LUKS device (%s)", argv[2], strerror(-err));
		printf("%s %s\n", crypt_get_type(cd), crypt_get_uuid(cd));
		crypt_free(cd);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "status") == 0)
		return status_main();
	if (strcmp(argv[1], "close") == 0 && argv[2]) {
		err = crypt_init_by_name(&cd, argv[2]);
		if (err == 0)
			err = crypt_deactivate(cd, argv[2]);
		if (err < 0)
			bb_error_msg_and_die("close %s: %s", argv[2], strerror(-err));
		crypt_free(cd);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "open") == 0) {
		const char *keyfile = NULL, *header = NULL, *slot = NULL;
		target_t t;
		unsigned o;

		static const char longopts[] ALIGN1 =
			"key-file\0" Required_argument "k"
			"header\0"   Required_argument "H"
			"key-slot\0" Required_argument "S"
			"readonly\0" No_argument       "r"
			"allow-discards\0" No_argument "d";

		o = getopt32long(argv + 1, "^" "k:H:S:rd" "\0" "=2", longopts, &keyfile, &header, &slot);
		argv += 1 + optind;
		memset(&t, 0, sizeof(t));
		t.dev = argv[0];
		t.name = argv[1];
		t.header = (char *)header;
		t.keyslot = slot ? xatoi_positive(slot) : CRYPT_ANY_SLOT;
		t.readonly = !!(o & (1 << 3));
		t.discard = !!(o & (1 << 4));
		t.tries = 3;
		if (open_dev(&t, &cd) < 0)	/* said */
			finish(EXIT_FAILURE);
		load_dm(0);	/* while the key is read or asked */
		load_cipher(&t, cd);
		if (keyfile) {
			err = read_key_file(keyfile);
			if (err < 0)
				bb_error_msg_and_die("key file %s: %s", keyfile, strerror(-err));
		} else {
			int tries;
			for (tries = 0; tries < t.tries; tries++) {
				char prompt[PATH_MAX];
				char *pass;
				snprintf(prompt, sizeof(prompt), "Passphrase for %s (%s): ", t.dev, t.name);
				pass = bb_ask_noecho(STDIN_FILENO, 0, prompt);
				if (!pass)
					finish(EXIT_FAILURE);
				G.len = strnlen(pass, SECRET_MAX - 1);
				memcpy(G.secret, pass, G.len);
				nuke_str(pass);
				free(pass);
				err = try_key(&t, cd, G.secret, G.len);
				explicit_bzero(G.secret, KEY_MAX);
				if (err == 0)
					finish(EXIT_SUCCESS);
				if (err != -EPERM)
					break;
				bb_error_msg("wrong passphrase for %s (%s)", t.dev, t.name);
			}
			finish(EXIT_FAILURE);
		}
		err = try_key(&t, cd, G.secret, G.len);
		wipe();
		crypt_free(cd);
		if (err < 0)
			bb_error_msg_and_die("%s (%s): %s", t.dev, t.name,
					err == -EPERM ? "the key does not unlock it" : strerror(-err));
		return EXIT_SUCCESS;
	}
	bb_show_usage();
}

/* ---- libcryptsetup's crypto backend ----
 *
 * libcryptsetup's kernel backend (crypto_kernel.c) hashes through AF_ALG:
 * a socket, a bind and an accept for every hash.  A LUKS keyslot's
 * anti-forensic merge makes one hash per stripe and digest block (4000
 * stripes: 8000 hashes for a 512-bit key), and PBKDF2 two system calls per
 * iteration: 0.43 s of the 0.47 s a LUKS2 unlock took under TCG (its own
 * debug log).  This is that backend with sha1 and sha256 from libbb, in
 * user space: every symbol crypto_kernel.o defines is defined
 * here, so the link never takes it (a symbol missing here would be a
 * duplicate definition, not a silent mix).  Other hashes, every cipher
 * and the keyslots' encryption stay in the kernel, as before
 * (crypto_cipher_kernel.o).  The interface is libcryptsetup's
 * lib/crypto_backend/crypto_backend.h. */

#include <linux/if_alg.h>
/* installed beside libcryptsetup.h by scripts/deps.sh, from the source
 * tree libcryptsetup.a was built from: the prototypes are its own */
#include <crypto_backend/crypto_backend_internal.h>

enum { H_KERNEL, H_SHA1, H_SHA256 };	/* who computes it */

typedef struct hash_alg {
	const char *name, *kname;	/* libcryptsetup's, the kernel's */
	uint8_t len, block, how;
} hash_alg_t;

/* crypto_kernel.c's table, with what libbb has */
static const hash_alg_t hash_algs[] = {
	{ "sha1", "sha1", 20, 64, H_SHA1 },
	{ "sha224", "sha224", 28, 64, H_KERNEL },
	{ "sha256", "sha256", 32, 64, H_SHA256 },
	{ "sha384", "sha384", 48, 128, H_KERNEL },
	{ "sha512", "sha512", 64, 128, H_KERNEL },	/* libbb's only with sha512sum */
	{ "ripemd160", "rmd160", 20, 64, H_KERNEL },
	{ "whirlpool", "wp512", 64, 64, H_KERNEL },
	{ "sha3-224", "sha3-224", 28, 144, H_KERNEL },
	{ "sha3-256", "sha3-256", 32, 136, H_KERNEL },
	{ "sha3-384", "sha3-384", 48, 104, H_KERNEL },
	{ "sha3-512", "sha3-512", 64, 72, H_KERNEL },
	{ "stribog256", "streebog256", 32, 64, H_KERNEL },
	{ "stribog512", "streebog512", 64, 64, H_KERNEL },
	{ "sm3", "sm3", 32, 64, H_KERNEL },
	{ "blake2b-160", "blake2b-160", 20, 128, H_KERNEL },
	{ "blake2b-256", "blake2b-256", 32, 128, H_KERNEL },
	{ "blake2b-384", "blake2b-384", 48, 128, H_KERNEL },
	{ "blake2b-512", "blake2b-512", 64, 128, H_KERNEL },
	{ "blake2s-128", "blake2s-128", 16, 64, H_KERNEL },
	{ "blake2s-160", "blake2s-160", 20, 64, H_KERNEL },
	{ "blake2s-224", "blake2s-224", 28, 64, H_KERNEL },
	{ "blake2s-256", "blake2s-256", 32, 64, H_KERNEL },
};

typedef md5sha_ctx_t hctx_t;	/* sha1, sha256 */

/* a hash, or an HMAC (then inner and outer are the keyed starts) */
struct crypt_hash {
	const hash_alg_t *a;
	int tfmfd, opfd;	/* H_KERNEL: AF_ALG's sockets */
	hctx_t c, inner, outer;
};
/* one object serves both: libcryptsetup never mixes them */
struct crypt_hmac { struct crypt_hash h; };

static const hash_alg_t *hash_alg(const char *name)
{
	unsigned i;

	for (i = 0; name && i < ARRAY_SIZE(hash_algs); i++)
		if (strcmp(name, hash_algs[i].name) == 0)
			return &hash_algs[i];
	return NULL;
}

static void h_begin(const hash_alg_t *a, hctx_t *c)
{
	if (a->how == H_SHA1)
		sha1_begin(c);
	else
		sha256_begin(c);
}
#define h_update(a, c, p, n) md5sha_hash(c, p, n)
#define h_end(a, c, out) sha_end(c, out)

/* AF_ALG's sockets for A (an HMAC keyed with KEY), as crypto_kernel.c */
static int alg_open(struct crypt_hash *h, int hmac, const void *key, size_t key_length)
{
	struct sockaddr_alg sa;

	memset(&sa, 0, sizeof(sa));
	sa.salg_family = AF_ALG;
	strcpy((char *)sa.salg_type, "hash");
	snprintf((char *)sa.salg_name, sizeof(sa.salg_name), hmac ? "hmac(%s)" : "%s", h->a->kname);
	h->tfmfd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (h->tfmfd < 0)
		return -ENOTSUP;
	if (bind(h->tfmfd, (struct sockaddr *)&sa, sizeof(sa)) < 0
	 || (hmac && setsockopt(h->tfmfd, SOL_ALG, ALG_SET_KEY, key, key_length) < 0)
	 || (h->opfd = accept4(h->tfmfd, NULL, 0, SOCK_CLOEXEC)) < 0) {
		close(h->tfmfd);
		h->tfmfd = -1;
		return -EINVAL;
	}
	return 0;
}

/* H (zeroed) as a hash of NAME, or an HMAC keyed with KEY */
static int h_init(struct crypt_hash *h, const char *name, int hmac, const void *key, size_t key_length)
{
	const hash_alg_t *a = hash_alg(name);
	uint8_t pad[128];
	unsigned i;

	if (!a)
		return -EINVAL;
	h->a = a;
	h->tfmfd = h->opfd = -1;
	if (a->how == H_KERNEL)
		return alg_open(h, hmac, key, key_length);
	if (!hmac) {
		h_begin(a, &h->c);
		return 0;
	}
	memset(pad, 0, sizeof(pad));
	if (key_length > a->block) {	/* RFC 2104: a long key is hashed first */
		h_begin(a, &h->c);
		h_update(a, &h->c, key, key_length);
		h_end(a, &h->c, pad);
	} else {
		memcpy(pad, key, key_length);
	}
	for (i = 0; i < a->block; i++)
		pad[i] ^= 0x36;
	h_begin(a, &h->inner);
	h_update(a, &h->inner, pad, a->block);
	for (i = 0; i < a->block; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	h_begin(a, &h->outer);
	h_update(a, &h->outer, pad, a->block);
	explicit_bzero(pad, sizeof(pad));
	h->c = h->inner;
	return 0;
}

/* A zeroed context of SIZE bytes, set up by h_init() */
static void *h_new(size_t size, const char *name, int hmac, const void *key, size_t key_length, int *err)
{
	struct crypt_hash *h = calloc(1, size);

	*err = h ? h_init(h, name, hmac, key, key_length) : -ENOMEM;
	if (*err < 0) {
		free(h);
		return NULL;
	}
	return h;
}

static int h_write(struct crypt_hash *h, const char *buffer, size_t length)
{
	if (h->a->how == H_KERNEL) {
		ssize_t r = send(h->opfd, buffer, length, MSG_MORE);
		return r < 0 || (size_t)r < length ? -EIO : 0;
	}
	h_update(h->a, &h->c, buffer, length);
	return 0;
}

/* The digest's first LENGTH bytes; the context starts again (as AF_ALG's) */
static int h_final(struct crypt_hash *h, char *buffer, size_t length, int hmac)
{
	uint8_t d[64];

	if (length > h->a->len)
		return -EINVAL;
	if (h->a->how == H_KERNEL)
		return read(h->opfd, buffer, length) < 0 ? -EIO : 0;
	h_end(h->a, &h->c, d);
	if (hmac) {
		h->c = h->outer;
		h_update(h->a, &h->c, d, h->a->len);
		h_end(h->a, &h->c, d);
		h->c = h->inner;
	} else {
		h_begin(h->a, &h->c);
	}
	memcpy(buffer, d, length);
	explicit_bzero(d, sizeof(d));
	return 0;
}

static void h_destroy(struct crypt_hash *h, size_t size)
{
	if (h->tfmfd >= 0)
		close(h->tfmfd);
	if (h->opfd >= 0)
		close(h->opfd);
	explicit_bzero(h, size);
	free(h);
}

int crypt_hash_size(const char *name)
{
	const hash_alg_t *a = hash_alg(name);
	return a ? a->len : -EINVAL;
}
int crypt_hash_init(struct crypt_hash **ctx, const char *name)
{
	int err;

	*ctx = h_new(sizeof(**ctx), name, 0, NULL, 0, &err);
	return err;
}
int crypt_hash_write(struct crypt_hash *ctx, const char *buffer, size_t length)
{
	return h_write(ctx, buffer, length);
}
int crypt_hash_final(struct crypt_hash *ctx, char *buffer, size_t length)
{
	return h_final(ctx, buffer, length, 0);
}
void crypt_hash_destroy(struct crypt_hash *ctx)
{
	h_destroy(ctx, sizeof(*ctx));
}

int crypt_hmac_size(const char *name)
{
	return crypt_hash_size(name);
}
int crypt_hmac_init(struct crypt_hmac **ctx, const char *name, const void *key, size_t key_length)
{
	int err;

	*ctx = h_new(sizeof(**ctx), name, 1, key, key_length, &err);
	return err;
}
int crypt_hmac_write(struct crypt_hmac *ctx, const char *buffer, size_t length)
{
	return h_write(&ctx->h, buffer, length);
}
int crypt_hmac_final(struct crypt_hmac *ctx, char *buffer, size_t length)
{
	return h_final(&ctx->h, buffer, length, 1);
}
void crypt_hmac_destroy(struct crypt_hmac *ctx)
{
	h_destroy(&ctx->h, sizeof(*ctx));
}

/* No AF_ALG socket here, unlike crypto_kernel.c's: the header's hashes do
 * not need one (a missing AF_ALG shows when a cipher is set up) */
int crypt_backend_init(bool fips UNUSED_PARAM)
{
	return 0;
}
void crypt_backend_destroy(void)
{
}
uint32_t crypt_backend_flags(void)
{
	return 1 << 0;	/* CRYPT_BACKEND_KERNEL: its ciphers are the kernel's */
}
const char *crypt_backend_version(void)
{
	return "kernel cryptoAPI, libbb sha1/sha256/sha512";
}
int crypt_backend_rng(char *buffer UNUSED_PARAM, size_t length UNUSED_PARAM,
		int quality UNUSED_PARAM, int fips UNUSED_PARAM)
{
	return -EINVAL;	/* as crypto_kernel.c: libcryptsetup reads the kernel's RNG itself */
}
int crypt_backend_memeq(const void *m1, const void *m2, size_t n)
{
	const uint8_t *a = m1, *b = m2;
	uint8_t r = 0;

	while (n--)
		r |= *a++ ^ *b++;
	return r;
}
bool crypt_fips_mode(void)
{
	return false;
}

int crypt_pbkdf(const char *kdf, const char *hash, const char *password, size_t password_length,
		const char *salt, size_t salt_length, char *key, size_t key_length,
		uint32_t iterations, uint32_t memory, uint32_t parallel)
{
	const hash_alg_t *a;

	if (kdf && strcmp(kdf, "pbkdf2") == 0) {
		a = hash_alg(hash);
		return a ? pkcs5_pbkdf2(hash, password, password_length, salt, salt_length,
				iterations, key_length, key, a->block) : -EINVAL;
	}
	if (kdf && strncmp(kdf, "argon2", 6) == 0)
		return argon2(kdf, password, password_length, salt, salt_length,
				key, key_length, iterations, memory, parallel);
	return -EINVAL;
}

struct crypt_cipher { struct crypt_cipher_kernel ck; };

int crypt_cipher_init(struct crypt_cipher **ctx, const char *name, const char *mode,
		const void *key, size_t key_length)
{
	struct crypt_cipher *c = malloc(sizeof(*c));
	int err;

	if (!c)
		return -ENOMEM;
	err = crypt_cipher_init_kernel(&c->ck, name, mode, key, key_length);
	if (err < 0) {
		free(c);
		return err;
	}
	*ctx = c;
	return 0;
}
void crypt_cipher_destroy(struct crypt_cipher *ctx)
{
	crypt_cipher_destroy_kernel(&ctx->ck);
	free(ctx);
}
int crypt_cipher_encrypt(struct crypt_cipher *ctx, const char *in, char *out, size_t length,
		const char *iv, size_t iv_length)
{
	return crypt_cipher_encrypt_kernel(&ctx->ck, in, out, length, iv, iv_length);
}
int crypt_cipher_decrypt(struct crypt_cipher *ctx, const char *in, char *out, size_t length,
		const char *iv, size_t iv_length)
{
	return crypt_cipher_decrypt_kernel(&ctx->ck, in, out, length, iv, iv_length);
}
bool crypt_cipher_kernel_only(struct crypt_cipher *ctx UNUSED_PARAM)
{
	return true;
}
int crypt_bitlk_decrypt_key(const void *key, size_t key_length, const char *in, char *out,
		size_t length, const char *iv, size_t iv_length, const char *tag, size_t tag_length)
{
	return crypt_bitlk_decrypt_key_kernel(key, key_length, in, out, length,
			iv, iv_length, tag, tag_length);
}
