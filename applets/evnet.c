/* vi: set sw=4 ts=4: */
/*
 * evnet: the network of the initramfs, configured as its interfaces
 * appear: ip= (the kernel's nfsroot grammar, lib/evnetcfg.c), BOOTIF=,
 * DHCP through BusyBox's udhcpc (one per interface that needs it, the
 * first lease winning), then net-device-up on the bus and
 * /run/net-IFACE.conf as initramfs-tools' ipconfig writes it.
 *
 * No waiting loop: interfaces come as net-device-added events (replayed
 * to a late subscriber), the carrier as rtnetlink link messages, udhcpc's
 * leases through a pipe its script (this applet again) writes, retries
 * and the carrier's wait as timers of the one event loop.
 *
 * Addresses, routes, the MTU and the link are set with the classic
 * SIOCSIF* / SIOCADDRT ioctls on one socket: a few lines, synchronous, no
 * child.  BusyBox's ip in a child would cost a fork and exec a step and
 * an asynchronous chain of steps for the same four calls.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVNET
//config:	bool "evnet (ip=, BOOTIF=, DHCP by udhcpc; ~20 kb)"
//config:	default y
//config:	depends on PLATFORM_LINUX
//config:	select EVCORE
//config:	select EVNETCFG
//config:	help
//config:	Configures the network of the initramfs when the kernel command
//config:	line asks for it (ip= other than off, rd.neednet=1, BOOTIF=, or a
//config:	network root): static addresses from ip=, DHCP through BusyBox's
//config:	udhcpc (UDHCPC) with jittered backoff between rounds, the first
//config:	lease winning across interfaces.  Emits net-device-up and writes
//config:	/run/net-IFACE.conf (initramfs-tools' format).

//applet:IF_EVNET(APPLET(evnet, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_EVNET) += evnet.o

//usage:#define evnet_trivial_usage
//usage:       "[parse [PARAM...] | up IFACE | dhcp-event EVENT]"
//usage:#define evnet_full_usage "\n\n"
//usage:       "Configure the network as interfaces appear (the job network: ip=,\n"
//usage:       "BOOTIF=, rd.neednet=1, a network root; rd.net.dhcp.tries=,\n"
//usage:       "rd.net.dhcp.wait=, rd.net.dhcp.backoff=, rd.net.dhcp.backoff_max=,\n"
//usage:       "rd.net.carrier_wait=)\n"
//usage:     "\n	parse	What the command line (or PARAMs) asks for, per interface"
//usage:     "\n	up	Configure IFACE by the command line's rules, print the result"
//usage:     "\n	dhcp-event	udhcpc's script (also as: evnet bound|renew|deconfig|...)"

#include "libbb.h"
#include "../lib/evloop.h"
#include "../lib/evpath.h"
#include "../lib/evcmdline.h"
#include "../lib/evnames.h"
#include "../lib/evnetcfg.h"
#include "../toollib/evclient.h"
#include <mntent.h>
#include <net/if.h>
#include <net/route.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/sysinfo.h>

/* What a lease (or a static ip=) gives an interface. */
typedef struct lease {
	uint32_t addr, mask, bcast, gw, server, dns[2];
	char dnslist[128];		/* every DNS server, comma-separated */
	char hostname[65], domain[256], nisdomain[256], rootpath[256], file[256], search[256];
	unsigned secs, mtu;		/* lease time; 0 none */
	int dhcp;
} lease_t;

enum { N_LINK = 1, N_DHCP, N_PAUSE, N_UP, N_OUT };

struct spec;
typedef struct nic {
	struct nic *next;
	char name[IFNAMSIZ];
	unsigned char mac[6];
	int has_mac, ifindex, state, addr_set, lost;
	lease_t *lease;			/* what it is up with */
	unsigned rounds;
	struct spec *spec;
	ev_child_t child;
	ev_fd_t pipe;			/* udhcpc's script's records */
	char *buf;			/* a record read in part */
	unsigned len;
	ev_timer_t timer;		/* the carrier's wait, then the backoff */
} nic_t;

/* One ip= (or the default: DHCP on any interface). */
typedef struct spec {
	struct spec *next;
	ev_netcfg_t cfg;
	char *text;			/* "ip=..." as given */
	nic_t *won;			/* any interface: the first one up */
	int seen;
} spec_t;

struct globals {
	spec_t *specs;
	nic_t *nics;
	unsigned char bootif[6];
	const char *bootif_text;	/* NULL: no BOOTIF= */
	const char *wanted;		/* why the network is wanted; NULL: it is not */
	int errors, up_only, sock;
	int args;			/* evnet parse PARAM...: the line is those */
	int quiet;			/* quiet: udhcpc's chatter not on the console */
	char *self;			/* udhcpc's script: this applet */
	unsigned tries, wait, backoff, backoff_max, carrier;	/* s, s, ms, ms, ms */
	uint32_t rnd;
	ev_fd_t rtnl;
};
#define G (*ptr_to_globals)
#define INIT_G() do { SET_PTR_TO_GLOBALS(xzalloc(sizeof(G))); G.sock = -1; } while (0)

#define say(...)  ev_client_say(0, __VA_ARGS__)
#define warn(...) ev_client_say(1, __VA_ARGS__)

static const char *ip4(uint32_t a)
{
	static char b[4][16];
	static unsigned i;
	struct in_addr in;

	in.s_addr = a;
	i = (i + 1) % 4;
	return strcpy(b[i], inet_ntoa(in));
}

/* net-wanted NAME=NAME WANTED=...: what evmount's waiting line and rescue
 * show for NAME */
#define tell(name, ...) ev_client_wanted(EV_NET_WANTED, name, __VA_ARGS__)

/* ---- the command line ---- */

/* "FILE:LINE:COL" of offset OFF of the line ev_cmdline_read() gave (the
 * image's defaults, a blank, the kernel's) into BUF */
static void where(unsigned off, char *buf, unsigned size)
{
	char img[4096 + 1];
	int n = open_read_close(ev_path("/etc/evinit/cmdline"), img, sizeof(img) - 1);
	unsigned line = 1, bol = 0, i;

	if (G.args) {
		snprintf(buf, size, "cmdline:1:%u", off);
		return;
	}
	if (n < 0)
		n = 0;
	if (off > (unsigned)n) {
		snprintf(buf, size, "/proc/cmdline:1:%u", off - n);
		return;
	}
	for (i = 0; i < off; i++)
		if (img[i] == '\n') {
			line++;
			bol = i + 1;
		}
	snprintf(buf, size, "/etc/evinit/cmdline:%u:%u", line, off - bol + 1);
}

struct words {
	const char *base;		/* the copy ev_cmdline_words splits */
	int neednet;
};

static void add_spec(const char *val, unsigned off)
{
	spec_t *s = xzalloc(sizeof(*s)), **pp;
	char err[256], at[96];
	unsigned col;

	if (ev_netcfg_parse(val, &s->cfg, &col, err, sizeof(err)) < 0) {
		where(off + col, at, sizeof(at));
		warn("%s: ip=%s: %s: this ip= is ignored", at, val, err);
		G.errors++;
		free(s);
		return;
	}
	s->text = xasprintf("ip=%s", val);
	for (pp = &G.specs; *pp; pp = &(*pp)->next) {
		if (strcmp((*pp)->cfg.dev, s->cfg.dev) == 0) {
			spec_t *old = *pp;

			where(off, at, sizeof(at));
			say("%s: %s replaces %s (one ip= per %s)", at, s->text, old->text,
					s->cfg.dev[0] ? "interface" : "line without a device");
			s->next = old->next;
			free(old->text);
			free(old);
			*pp = s;
			return;
		}
	}
	*pp = s;
}

static void FAST_FUNC cmdline_word(char *key, char *val, void *ctx)
{
	struct words *w = ctx;

	if (strcmp(key, "ip") == 0 || strcmp(key, "nfsaddrs") == 0) {
		add_spec(val ? val : "", (val ? val : key) - w->base);
	} else if (strcmp(key, "BOOTIF") == 0 && val) {
		if (ev_netcfg_bootif(val, G.bootif) < 0) {
			char at[96];

			where(val - w->base, at, sizeof(at));
			warn("%s: BOOTIF=%s: no MAC (01-xx-xx-xx-xx-xx-xx): ignored", at, val);
			G.errors++;
			G.bootif_text = NULL;
		} else {
			G.bootif_text = val;
		}
	} else if (strcmp(key, "rd.neednet") == 0) {
		w->neednet = !val || strcmp(val, "0") != 0;
	}
}

/* The knob KEY in milliseconds (seconds on the line), else DFLT ms */
static unsigned knob_ms(const char *key, unsigned dflt_ms)
{
	unsigned s = ev_cmdline_secs(key, 0);

	return s ? s * 1000 : dflt_ms;
}

/* No root= and the image's fstab mounts / over NFS (mkinitramfs packs such
 * a line as it is): evmount mounts it, the network must be up */
static int fstab_nfs_root(void)
{
	char path[PATH_MAX];
	struct mntent *m;
	FILE *f;
	int yes = 0;

	if (ev_cmdline.root)
		return 0;
	snprintf(path, sizeof(path), "%s/etc/fstab", ev_root);
	f = setmntent(path, "r");
	while (f && !yes && (m = getmntent(f)) != NULL)
		yes = strcmp(m->mnt_dir, "/") == 0
			&& (strcmp(m->mnt_type, "nfs") == 0 || strcmp(m->mnt_type, "nfs4") == 0);
	if (f)
		endmntent(f);
	return yes;
}

static void read_params(const char *text)
{
	static const char *const roots[] = { NULL, "an NFS root", "an NBD root", "a live image over the network" };
	struct words w = { NULL, 0 };
	char *copy;
	spec_t *s;
	int any = 0, on = 0;

	if (!text)
		bb_die_memory_exhausted();
	copy = xstrdup(text);
	w.base = copy;
	ev_cmdline_words(copy, cmdline_word, &w);
	ev_cmdline_parse(xstrdup(text));	/* kept: ev_cmdline points into it */
	for (s = G.specs; s; s = s->next) {
		any = 1;
		on |= s->cfg.method != EV_NET_OFF;
	}
	if (on)
		G.wanted = "ip=";
	else if (w.neednet)
		G.wanted = "rd.neednet=1";
	else if (G.bootif_text && !any)
		G.wanted = "BOOTIF=";
	else if (ev_cmdline_netroot() != EV_NETROOT_NONE) {
		G.wanted = roots[ev_cmdline_netroot()];
		if (any) {	/* ip=off and a network root */
			warn("%s needs the network, and ip= says off: it is not configured", G.wanted);
			G.wanted = NULL;
		}
	} else if (!any && fstab_nfs_root()) {
		G.wanted = "the image's fstab (/ over NFS)";
	}
	if (G.wanted && !any) {	/* nothing said: DHCP on any interface */
		s = xzalloc(sizeof(*s));
		s->cfg.method = EV_NET_DHCP;
		s->text = xstrdup("no ip=: DHCP");
		G.specs = s;
	}
	G.tries = ev_cmdline_secs("rd.net.dhcp.tries", 3);
	G.wait = ev_cmdline_secs("rd.net.dhcp.wait", 2);
	G.backoff = knob_ms("rd.net.dhcp.backoff", 2000);
	G.backoff_max = knob_ms("rd.net.dhcp.backoff_max", 30000);
	G.carrier = knob_ms("rd.net.carrier_wait", 10000);
}

/* ---- the kernel's side (nothing of it in test mode) ---- */

static int ifreq_for(struct ifreq *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	safe_strncpy(r->ifr_name, name, sizeof(r->ifr_name));
	if (G.sock < 0)
		G.sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return G.sock;
}

static void sin_set(struct sockaddr *sa, uint32_t a)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = a;
}

/* The link of N up; its ifindex. */
static void link_up(nic_t *n)
{
	struct ifreq r;

	if (ev_testing() || ifreq_for(&r, n->name) < 0)
		return;
	if (ioctl(G.sock, SIOCGIFINDEX, &r) == 0)
		n->ifindex = r.ifr_ifindex;
	if (ioctl(G.sock, SIOCGIFFLAGS, &r) < 0 || (!(r.ifr_flags & IFF_UP)
	 && (r.ifr_flags |= IFF_UP, ioctl(G.sock, SIOCSIFFLAGS, &r) < 0)))
		warn("%s: cannot set the link up: %s", n->name, strerror(errno));
}

/* Has N a carrier?  (In test mode: the test tree's sys/class/net/N/carrier
 * holds 0 when not.) */
static int carrier(nic_t *n)
{
	struct ifreq r;
	char path[96], v[8];

	if (ev_testing()) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", n->name);
		return open_read_close(ev_path(path), v, sizeof(v)) < 1 || v[0] != '0';
	}
	if (ifreq_for(&r, n->name) < 0 || ioctl(G.sock, SIOCGIFFLAGS, &r) < 0)
		return 0;
	return (r.ifr_flags & IFF_RUNNING) != 0;
}

/* Set N's address, netmask, broadcast, MTU, default route; 0 or -1 (said). */
static int set_addr(nic_t *n, const lease_t *l)
{
	struct ifreq r;
	struct rtentry rt;

	if (ev_testing()) {
		say("would configure %s: address %s netmask %s broadcast %s%s%s%s%.0u", n->name,
				ip4(l->addr), ip4(l->mask), ip4(l->bcast), l->gw ? " gateway " : "",
				l->gw ? ip4(l->gw) : "", l->mtu ? " mtu " : "", l->mtu);
		return 0;
	}
	if (ifreq_for(&r, n->name) < 0)
		goto fail;
	sin_set(&r.ifr_addr, l->addr);
	if (ioctl(G.sock, SIOCSIFADDR, &r) < 0)
		goto fail;
	sin_set(&r.ifr_netmask, l->mask);
	if (ioctl(G.sock, SIOCSIFNETMASK, &r) < 0)
		goto fail;
	sin_set(&r.ifr_broadaddr, l->bcast);
	if (ioctl(G.sock, SIOCSIFBRDADDR, &r) < 0)
		goto fail;
	if (l->mtu >= 576) {
		r.ifr_mtu = l->mtu;
		if (ioctl(G.sock, SIOCSIFMTU, &r) < 0)
			warn("%s: cannot set the MTU %u: %s", n->name, l->mtu, strerror(errno));
	}
	if (l->gw) {
		memset(&rt, 0, sizeof(rt));
		sin_set(&rt.rt_dst, 0);
		sin_set(&rt.rt_genmask, 0);
		sin_set(&rt.rt_gateway, l->gw);
		rt.rt_flags = RTF_UP | RTF_GATEWAY;
		rt.rt_dev = n->name;
		if (ioctl(G.sock, SIOCADDRT, &rt) < 0 && errno != EEXIST)
			warn("%s: cannot add the default route via %s: %s%s", n->name, ip4(l->gw),
					strerror(errno), (l->gw & l->mask) != (l->addr & l->mask)
					? " (the gateway is not in the interface's network)" : "");
	}
	return 0;
 fail:
	warn("%s: cannot set the address %s/%s: %s", n->name, ip4(l->addr), ip4(l->mask), strerror(errno));
	return -1;
}

/* ---- what a configured interface leaves behind ---- */

/* NAME='VALUE' as klibc's ipconfig quotes it (' and ! outside quotes) */
static void conf_line(FILE *f, const char *name, const char *v)
{
	fprintf(f, "%s='", name);
	for (; *v; v++) {
		if (*v == '\'' || *v == '!')
			fprintf(f, "'\\%c'", *v);
		else
			fputc(*v, f);
	}
	fputs("'\n", f);
}

static void write_files(nic_t *n, const lease_t *l)
{
	char path[64], num[24];
	struct sysinfo si;
	FILE *f;

	snprintf(path, sizeof(path), "/run/net-%s.conf", n->name);
	f = fopen(ev_path(path), "w");
	if (!f) {
		warn("cannot write %s: %s", path, strerror(errno));
	} else {
		conf_line(f, "DEVICE", n->name);
		conf_line(f, "PROTO", l->dhcp ? "dhcp" : "none");
		conf_line(f, "IPV4ADDR", ip4(l->addr));
		conf_line(f, "IPV4BROADCAST", ip4(l->bcast));
		conf_line(f, "IPV4NETMASK", ip4(l->mask));
		conf_line(f, "IPV4GATEWAY", ip4(l->gw));
		conf_line(f, "IPV4DNS0", ip4(l->dns[0]));
		conf_line(f, "IPV4DNS1", ip4(l->dns[1]));
		conf_line(f, "HOSTNAME", l->hostname);
		conf_line(f, "DNSDOMAIN", l->domain);
		conf_line(f, "NISDOMAIN", l->nisdomain);
		conf_line(f, "ROOTSERVER", ip4(l->server));
		conf_line(f, "ROOTPATH", l->rootpath);
		conf_line(f, "filename", l->file);
		sprintf(num, "%ld", sysinfo(&si) == 0 ? (long)si.uptime : 0L);
		conf_line(f, "UPTIME", num);
		sprintf(num, "%u", l->secs);
		conf_line(f, "DHCPLEASETIME", num);
		conf_line(f, "DOMAINSEARCH", l->search);
		if (fclose(f) != 0)
			warn("cannot write %s: %s", path, strerror(errno));
	}
	if (l->dns[0] || l->domain[0]) {
		char *p, *list = xstrdup(l->dnslist);

		f = fopen(ev_path("/etc/resolv.conf"), "w");
		if (f) {
			if (l->domain[0])
				fprintf(f, "domain %s\n", l->domain);
			if (l->search[0] || l->domain[0])
				fprintf(f, "search %s\n", l->search[0] ? l->search : l->domain);
			for (p = strtok(list, ","); p; p = strtok(NULL, ","))
				fprintf(f, "nameserver %s\n", p);
			fclose(f);
		} else {
			warn("cannot write /etc/resolv.conf: %s", strerror(errno));
		}
		free(list);
	}
	if (l->hostname[0]) {
		if (ev_testing())
			say("would set the host name %s", l->hostname);
		else if (sethostname(l->hostname, strlen(l->hostname)) < 0)
			warn("cannot set the host name %s: %s", l->hostname, strerror(errno));
	}
}

/* net-device-up for N */
static void announce(nic_t *n)
{
	char kv[10][300];
	const lease_t *l = n->lease;

	snprintf(kv[0], sizeof(kv[0]), "INTERFACE=%s", n->name);
	snprintf(kv[1], sizeof(kv[1]), "ADDRESS=%s", ip4(l->addr));
	snprintf(kv[2], sizeof(kv[2]), "NETMASK=%s", ip4(l->mask));
	snprintf(kv[3], sizeof(kv[3]), "GATEWAY=%s", l->gw ? ip4(l->gw) : "");
	snprintf(kv[4], sizeof(kv[4]), "SERVER=%s", l->server ? ip4(l->server) : "");
	snprintf(kv[5], sizeof(kv[5]), "ROOTPATH=%s", l->rootpath);
	snprintf(kv[6], sizeof(kv[6]), "DNS=%s", l->dnslist);
	snprintf(kv[7], sizeof(kv[7]), "HOSTNAME=%s", l->hostname);
	snprintf(kv[8], sizeof(kv[8]), "DOMAIN=%s", l->domain);
	snprintf(kv[9], sizeof(kv[9]), "METHOD=%s", l->dhcp ? "dhcp" : "static");
	ev_client_emit(EV_NET_UP, kv[0], kv[1], kv[2], kv[3], kv[4], kv[5], kv[6], kv[7],
			kv[8], kv[9], NULL);
}

/* N is up with L: the files, the line, the event. */
static void is_up(nic_t *n, const lease_t *l)
{
	const char *m = l->dhcp ? "dhcp" : "static";

	n->state = N_UP;
	if (!n->lease)
		n->lease = xmalloc(sizeof(*n->lease));
	if (n->lease != l)
		memcpy(n->lease, l, sizeof(*l));
	write_files(n, l);
	say("%s is up: %s/%s%s%s%s%s%s%s (%s)", n->name, ip4(l->addr), ip4(l->mask),
			l->gw ? " gateway " : "", l->gw ? ip4(l->gw) : "",
			l->server ? " server " : "", l->server ? ip4(l->server) : "",
			l->rootpath[0] ? " root path " : "", l->rootpath, m);
	announce(n);
	if (G.up_only) {
		printf("%s %s/%s gateway %s server %s rootpath '%s' dns '%s' hostname '%s' domain '%s' %s\n",
				n->name, ip4(l->addr), ip4(l->mask), ip4(l->gw), ip4(l->server), l->rootpath,
				l->dnslist, l->hostname, l->domain, m);
		ev_stop(EXIT_SUCCESS);
	}
}

/* ---- leases ---- */

static const char lease_keys[] ALIGN1 =
	"interface\0" "ip\0" "subnet\0" "broadcast\0" "router\0" "dns\0" "hostname\0"
	"domain\0" "nisdomain\0" "rootpath\0" "boot_file\0" "siaddr\0" "serverid\0"
	"lease\0" "mtu\0" "search\0" "message\0";

static const char *kv_get(char **kv, const char *key)
{
	size_t n = strlen(key);

	for (; *kv; kv++)
		if (strncmp(*kv, key, n) == 0 && (*kv)[n] == '=')
			return *kv + n + 1;
	return NULL;
}

/* udhcpc's variables KV (with the ip= of SPEC, if any) into L; 0, or -1
 * when they hold no address */
static int lease_parse(char **kv, const spec_t *spec, lease_t *l)
{
	const char *v;
	uint32_t siaddr = 0, serverid = 0;
	unsigned nd = 0;

	memset(l, 0, sizeof(*l));
	l->dhcp = 1;
	if (!(v = kv_get(kv, "ip")) || ev_netcfg_ip(v, &l->addr) < 0)
		return -1;
	if (!(v = kv_get(kv, "subnet")) || ev_netcfg_ip(v, &l->mask) < 0)
		l->mask = ev_netcfg_classmask(l->addr);
	if (!(v = kv_get(kv, "broadcast")) || ev_netcfg_ip(v, &l->bcast) < 0)
		l->bcast = (l->addr & l->mask) | ~l->mask;
	if ((v = kv_get(kv, "router")) != NULL) {	/* a list: the first */
		char first[16];

		safe_strncpy(first, v, MIN(sizeof(first), strcspn(v, " ") + 1));
		ev_netcfg_ip(first, &l->gw);
	}
	if ((v = kv_get(kv, "dns")) != NULL) {
		char *list = xstrdup(v), *p;

		for (p = strtok(list, " "); p; p = strtok(NULL, " ")) {
			uint32_t a;

			if (ev_netcfg_ip(p, &a) < 0 || strlen(l->dnslist) + strlen(p) + 2 > sizeof(l->dnslist))
				continue;
			if (nd < 2)
				l->dns[nd] = a;
			nd++;
			sprintf(l->dnslist + strlen(l->dnslist), "%s%s", l->dnslist[0] ? "," : "", p);
		}
		free(list);
	}
#define STR(field, key) if ((v = kv_get(kv, key)) != NULL) safe_strncpy(l->field, v, sizeof(l->field))
	STR(hostname, "hostname");
	STR(domain, "domain");
	STR(nisdomain, "nisdomain");
	STR(rootpath, "rootpath");
	STR(file, "boot_file");
	STR(search, "search");
#undef STR
	if ((v = kv_get(kv, "siaddr")) != NULL)
		ev_netcfg_ip(v, &siaddr);
	if ((v = kv_get(kv, "serverid")) != NULL)
		ev_netcfg_ip(v, &serverid);
	l->server = siaddr ? siaddr : serverid;
	if ((v = kv_get(kv, "lease")) != NULL)
		l->secs = bb_strtou(v, NULL, 10);
	if ((v = kv_get(kv, "mtu")) != NULL) {
		l->mtu = bb_strtou(v, NULL, 10);
		if (errno)
			l->mtu = 0;
	}
	if (spec) {	/* what ip= says wins */
		if (spec->cfg.server)
			l->server = spec->cfg.server;
		if (spec->cfg.hostname[0]) {
			strcpy(l->hostname, spec->cfg.hostname);
			strcpy(l->nisdomain, spec->cfg.nisdomain);
		}
		if (spec->cfg.gw)
			l->gw = spec->cfg.gw;
		if (spec->cfg.dns[0] && !l->dns[0]) {
			l->dns[0] = spec->cfg.dns[0];
			l->dns[1] = spec->cfg.dns[1];
			snprintf(l->dnslist, sizeof(l->dnslist), "%s%s%s", ip4(l->dns[0]),
					l->dns[1] ? "," : "", l->dns[1] ? ip4(l->dns[1]) : "");
		}
	}
	return 0;
}

static void static_lease(const spec_t *s, lease_t *l)
{
	const ev_netcfg_t *c = &s->cfg;

	memset(l, 0, sizeof(*l));
	l->addr = c->addr;
	l->mask = c->mask ? c->mask : ev_netcfg_classmask(c->addr);
	l->bcast = (l->addr & l->mask) | ~l->mask;
	l->gw = c->gw;
	l->server = c->server;
	l->dns[0] = c->dns[0];
	l->dns[1] = c->dns[1];
	if (c->dns[0])
		snprintf(l->dnslist, sizeof(l->dnslist), "%s%s%s", ip4(c->dns[0]),
				c->dns[1] ? "," : "", c->dns[1] ? ip4(c->dns[1]) : "");
	strcpy(l->hostname, c->hostname);
	strcpy(l->nisdomain, c->nisdomain);
}

/* ---- interfaces ---- */

static void stop_udhcpc(nic_t *n)
{
	if (n->child.pid > 0) {
		kill(n->child.pid, SIGTERM);
		ev_child_del(&n->child);
		n->child.pid = 0;
	}
	if (n->pipe.fd > 0) {
		ev_fd_del(&n->pipe);
		close(n->pipe.fd);
		n->pipe.fd = 0;
	}
	ev_timer_stop(&n->timer);
}

/* N was first (its spec any interface's): the others of its spec stop. */
static void first_wins(nic_t *n)
{
	nic_t *m;

	n->spec->won = n;
	if (n->spec->cfg.dev[0])
		return;
	for (m = G.nics; m; m = m->next) {
		if (m == n || m->spec != n->spec || m->state == N_OUT || m->state == N_UP)
			continue;
		stop_udhcpc(m);
		m->state = N_OUT;
		say("%s: left alone: %s is up", m->name, n->name);
		tell(m->name, "not used: %s is up", n->name);
	}
}

static void got_lease(nic_t *n, char **kv)
{
	lease_t l;

	if (n->state == N_UP || n->state == N_OUT)
		return;
	if (lease_parse(kv, n->spec, &l) < 0) {
		warn("%s: udhcpc's lease has no address (ip=%s)", n->name, kv_get(kv, "ip") ? : "");
		return;
	}
	if (n->spec->won && n->spec->won != n) {
		say("%s: a lease too (%s), %s was first: not used", n->name, ip4(l.addr), n->spec->won->name);
		n->state = N_OUT;
		return;
	}
	if (set_addr(n, &l) < 0) {
		tell(n->name, "DHCP gave %s/%s, which cannot be set", ip4(l.addr), ip4(l.mask));
		return;
	}
	is_up(n, &l);
	first_wins(n);
}

static void spawn_dhcp(nic_t *n);

static void FAST_FUNC pause_done(ev_timer_t *t)
{
	spawn_dhcp(t->data);
}

/* One record of N's script: "EVENT", then udhcpc's KEY=VALUE parts. */
static void record(nic_t *n, char **parts)
{
	const char *ev = parts[0];

	if (strcmp(ev, "bound") == 0 || strcmp(ev, "renew") == 0)
		got_lease(n, parts + 1);
	else if (strcmp(ev, "nak") == 0)
		say("%s: the DHCP server said no%s%s", n->name, kv_get(parts + 1, "message") ? ": " : "",
				kv_get(parts + 1, "message") ? : "");
}

static void FAST_FUNC pipe_ready(ev_fd_t *w, short revents UNUSED_PARAM)
{
	nic_t *n = w->data;
	enum { BUF = 8192 };
	ssize_t r;

	if (!n->buf)
		n->buf = xmalloc(BUF);
	for (;;) {
		char *parts[64], *p, *end;
		unsigned np = 0;

		r = safe_read(w->fd, n->buf + n->len, BUF - n->len);
		if (r <= 0)
			break;
		n->len += r;
		/* whole records: parts up to an empty one */
		p = n->buf;
		end = n->buf + n->len;
		while (p < end) {
			char *nul = memchr(p, '\0', end - p);

			if (!nul)
				break;
			if (nul == p) {	/* the record's end */
				parts[np] = NULL;
				if (np)
					record(n, parts);
				np = 0;
				p++;
				memmove(n->buf, p, end - p);
				n->len = end - p;
				end = n->buf + n->len;
				p = n->buf;
				continue;
			}
			if (np < ARRAY_SIZE(parts) - 1)
				parts[np++] = p;
			p = nul + 1;
		}
		if (n->len == BUF)	/* no record is that long */
			n->len = 0;
		if (n->state == N_UP || n->state == N_OUT)
			break;
	}
	if (r == 0 || (r < 0 && errno != EAGAIN)) {
		ev_fd_del(w);
		close(w->fd);
		w->fd = 0;
	}
}

static unsigned jitter(unsigned ms)
{
	/* xorshift over the MACs and the clock: each client its own pauses */
	if (!G.rnd)
		G.rnd = 0x2545f491;
	G.rnd ^= G.rnd << 13;
	G.rnd ^= G.rnd >> 17;
	G.rnd ^= G.rnd << 5;
	return ms / 2 + G.rnd % (ms / 2 + 1);
}

static void FAST_FUNC udhcpc_done(ev_child_t *c, int status)
{
	nic_t *n = c->data;
	unsigned ms, i;

	c->pid = 0;
	if (n->pipe.fd > 0)
		pipe_ready(&n->pipe, POLLIN);	/* what its script said first */
	if (n->pipe.fd > 0) {
		ev_fd_del(&n->pipe);
		close(n->pipe.fd);
		n->pipe.fd = 0;
	}
	if (n->state != N_DHCP)
		return;
	n->rounds++;
	if (WIFEXITED(status) && WEXITSTATUS(status) > 1) {
		warn("%s: udhcpc failed (exit status %u)", n->name, WEXITSTATUS(status));
	}
	for (ms = G.backoff, i = 1; i < n->rounds && ms < G.backoff_max; i++)
		ms *= 2;
	ms = jitter(MIN(ms, G.backoff_max));
	if (G.up_only) {
		warn("%s: no DHCP answer after %u tries (%u s)%s", n->name, G.tries, G.tries * G.wait,
				carrier(n) ? "" : ", link down (no carrier)");
		ev_stop(EXIT_FAILURE);
		return;
	}
	say("%s: no DHCP answer after %u tries (%u s), round %u; next in %u.%u s (rd.net.dhcp.backoff=)",
			n->name, G.tries, G.tries * G.wait, n->rounds, ms / 1000, ms % 1000 / 100);
	tell(n->name, "no DHCP answer after %u tries (%u s), %u round%s%s", G.tries, G.tries * G.wait,
			n->rounds, n->rounds == 1 ? "" : "s", carrier(n) ? "" : ", link down (no carrier)");
	n->state = N_PAUSE;
	n->timer.cb = pause_done;
	n->timer.data = n;
	ev_timer_in(&n->timer, ms);
}

struct dhcp_child {
	char **argv;
	int fd;
};

static int udhcpc_setup(void *arg)
{
	struct dhcp_child *d = arg;
	char num[16];

	fcntl(d->fd, F_SETFD, 0);
	if (G.quiet) {	/* its errors stay on stderr */
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
	}
	sprintf(num, "%d", d->fd);
	setenv("EVNET_FD", num, 1);
	execvp(d->argv[0], d->argv);
	return errno;
}

/* udhcpc for N: one round of G.tries DISCOVERs, G.wait s apart */
static void spawn_dhcp(nic_t *n)
{
	char tries[16], wait[16], host[80], req[16], *argv[24];
	struct dhcp_child d;
	int fds[2], k = 0;
	pid_t pid;

	sprintf(tries, "%u", G.tries);
	sprintf(wait, "%u", G.wait);
	argv[k++] = (char *)"udhcpc";
	argv[k++] = (char *)"-i";
	argv[k++] = n->name;
	argv[k++] = (char *)"-f";	/* its own process, ours to watch */
	argv[k++] = (char *)"-q";	/* done at the lease */
	argv[k++] = (char *)"-n";	/* and at the round's end */
	argv[k++] = (char *)"-t";
	argv[k++] = tries;
	argv[k++] = (char *)"-T";
	argv[k++] = wait;
	argv[k++] = (char *)"-s";
	argv[k++] = G.self;
	argv[k++] = (char *)"-O";
	argv[k++] = (char *)"rootpath";	/* option 17 */
	argv[k++] = (char *)"-O";
	argv[k++] = (char *)"nisdomain";
	if (n->spec->cfg.hostname[0]) {
		snprintf(host, sizeof(host), "hostname:%s", n->spec->cfg.hostname);
		argv[k++] = (char *)"-x";
		argv[k++] = host;
	}
	if (n->spec->cfg.addr) {
		safe_strncpy(req, ip4(n->spec->cfg.addr), sizeof(req));
		argv[k++] = (char *)"-r";
		argv[k++] = req;
	}
	argv[k] = NULL;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		warn("%s: no pipe for udhcpc: %s", n->name, strerror(errno));
		tell(n->name, "DHCP not asked: no pipe for udhcpc (%s)", strerror(errno));
		n->state = N_OUT;
		if (G.up_only)
			ev_stop(EXIT_FAILURE);
		return;
	}
	ndelay_on(fds[0]);
	d.argv = argv;
	d.fd = fds[1];
	n->child.cb = udhcpc_done;
	n->child.data = n;
	pid = ev_spawn_fn(&n->child, udhcpc_setup, &d);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		warn("%s: cannot run udhcpc: %s (DHCP needs BusyBox's udhcpc, CONFIG_UDHCPC)", n->name,
				strerror(-pid));
		tell(n->name, "cannot run udhcpc: %s", strerror(-pid));
		n->state = N_OUT;
		if (G.up_only)
			ev_stop(EXIT_FAILURE);
		return;
	}
	n->pipe.fd = fds[0];
	n->pipe.events = POLLIN;
	n->pipe.cb = pipe_ready;
	n->pipe.data = n;
	ev_fd_add(&n->pipe);
	n->state = N_DHCP;
	if (n->rounds == 0)
		say("%s: asking DHCP (%u tries, %u s apart%s%s)", n->name, G.tries, G.wait,
				n->spec->cfg.addr ? ", for " : "", n->spec->cfg.addr ? req : "");
}

/* N's link is there (or waited for long enough): configure it */
static void start(nic_t *n)
{
	spec_t *s = n->spec;
	lease_t l;

	if (s->won && s->won != n) {
		n->state = N_OUT;
		say("%s: left alone: %s is up", n->name, s->won->name);
		return;
	}
	if (s->cfg.method == EV_NET_DHCP) {
		spawn_dhcp(n);
		return;
	}
	static_lease(s, &l);
	if (!n->addr_set && set_addr(n, &l) < 0) {
		n->state = N_OUT;
		tell(n->name, "%s: the address %s/%s cannot be set", s->text, ip4(l.addr), ip4(l.mask));
		if (G.up_only)
			ev_stop(EXIT_FAILURE);
		return;
	}
	n->addr_set = 1;
	is_up(n, &l);
	first_wins(n);
}

static void FAST_FUNC carrier_late(ev_timer_t *t)
{
	nic_t *n = t->data;

	if (n->state != N_LINK)
		return;
	warn("%s: no carrier after %u s (rd.net.carrier_wait=): trying anyway", n->name, G.carrier / 1000);
	tell(n->name, "link down (no carrier for %u s)", G.carrier / 1000);
	start(n);
}

static void link_came(nic_t *n)
{
	if (n->state == N_UP && n->lost) {
		n->lost = 0;
		say("%s: link back", n->name);
		announce(n);
		return;
	}
	if (n->state != N_LINK)
		return;
	ev_timer_stop(&n->timer);
	say("%s: link up", n->name);
	start(n);
}

/* An interface that was up lost its carrier (a cable pulled, a switch
 * port down): said, and told until it is back (announced again then). */
static void link_lost(nic_t *n)
{
	n->lost = 1;
	warn("%s: link lost (no carrier)", n->name);
	tell(n->name, "link lost (no carrier) after it was up with %s", ip4(n->lease->addr));
}

/* rtnetlink's link messages: a carrier that came, or went */
static void FAST_FUNC rtnl_ready(ev_fd_t *w, short revents UNUSED_PARAM)
{
	char buf[8192];
	struct sockaddr_nl from;
	socklen_t fl;
	ssize_t r;
	nic_t *n;

	for (;;) {
		struct nlmsghdr *h;

		fl = sizeof(from);
		r = recvfrom(w->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (r < 0 && errno == ENOBUFS) {	/* lost some: ask each again */
			for (n = G.nics; n; n = n->next)
				if (n->state == N_LINK && carrier(n))
					link_came(n);
			continue;
		}
		if (r <= 0)
			return;
		if (from.nl_pid != 0)
			continue;	/* the kernel's only */
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)r); h = NLMSG_NEXT(h, r)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);

			if (h->nlmsg_type != RTM_NEWLINK || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
				continue;
			for (n = G.nics; n; n = n->next) {
				if (n->ifindex != ifi->ifi_index)
					continue;
				/* the message may be older than what the
				 * link is now (the one of setting it up, read
				 * after its carrier came): asked again */
				if ((ifi->ifi_flags & IFF_RUNNING) || carrier(n))
					link_came(n);
				else if (n->state == N_UP && !n->lost)
					link_lost(n);
			}
		}
	}
}

static void rtnl_open(void)
{
	struct sockaddr_nl sa;
	int fd;

	if (ev_testing())
		return;
	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		warn("no rtnetlink socket (%s): carriers are waited for rd.net.carrier_wait=", strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	G.rtnl.fd = fd;
	G.rtnl.events = POLLIN;
	G.rtnl.cb = rtnl_ready;
	ev_fd_add(&G.rtnl);
}

static int sys_read(const char *ifname, const char *attr, char *v, unsigned size)
{
	char path[96];
	int n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", ifname, attr);
	n = open_read_close(ev_path(path), v, size - 1);
	if (n < 0)
		return -1;
	v[n] = '\0';
	*strchrnul(v, '\n') = '\0';
	return n;
}

static spec_t *spec_for(const char *name)
{
	spec_t *s, *any = NULL;

	for (s = G.specs; s; s = s->next) {
		if (strcmp(s->cfg.dev, name) == 0)
			return s;
		if (!s->cfg.dev[0])
			any = s;
	}
	return any;
}

/* An interface appeared (the bus's net-device-added, or evnet up). */
static void nic_added(const char *name)
{
	char v[32];
	nic_t *n;
	spec_t *s;
	unsigned i;

	for (n = G.nics; n; n = n->next)
		if (strcmp(n->name, name) == 0)
			return;
	if (strlen(name) >= IFNAMSIZ || strchr(name, '/') || DOT_OR_DOTDOT(name))
		return;
	/* ipconfig's rule: no loopback, only broadcast or point-to-point links */
	if (strcmp(name, "lo") == 0 || (sys_read(name, "flags", v, sizeof(v)) > 0
	 && ((strtoul(v, NULL, 0) & IFF_LOOPBACK) || !(strtoul(v, NULL, 0) & (IFF_BROADCAST | IFF_POINTOPOINT)))))
		return;
	n = xzalloc(sizeof(*n));
	safe_strncpy(n->name, name, sizeof(n->name));
	n->next = G.nics;
	G.nics = n;
	if (sys_read(name, "address", v, sizeof(v)) > 0 && ev_netcfg_bootif(v, n->mac) == 0)
		n->has_mac = 1;
	for (i = 0; i < 6; i++)
		G.rnd = G.rnd * 31 + n->mac[i];
	s = spec_for(name);
	n->spec = s;
	if (!s) {
		n->state = N_OUT;	/* only named interfaces, and not this one */
		return;
	}
	s->seen = 1;
	if (s->cfg.method == EV_NET_OFF) {
		n->state = N_OUT;
		say("%s: %s: not configured", name, s->text);
		return;
	}
	if (!s->cfg.dev[0] && G.bootif_text && !G.up_only
	 && (!n->has_mac || memcmp(n->mac, G.bootif, 6) != 0)) {
		n->state = N_OUT;
		say("%s: left alone: BOOTIF=%s names another MAC than its %s", name, G.bootif_text,
				n->has_mac ? v : "(none)");
		return;
	}
	link_up(n);
	n->timer.data = n;
	if (s->cfg.method == EV_NET_STATIC && s->cfg.dev[0]) {
		lease_t l;

		static_lease(s, &l);	/* set now; up with the carrier */
		n->addr_set = set_addr(n, &l) == 0;
	}
	if (carrier(n)) {
		start(n);
		return;
	}
	n->state = N_LINK;
	say("%s: no carrier yet: waiting up to %u s (rd.net.carrier_wait=)", name, G.carrier / 1000);
	if (n->addr_set)
		tell(name, "static address %s set, link down (no carrier yet)", ip4(s->cfg.addr));
	else
		tell(name, "link down (no carrier yet)");
	n->timer.cb = carrier_late;
	ev_timer_in(&n->timer, G.carrier);
}

/* The storage is quiet: say what the network still misses. */
static void settled(void)
{
	char seen[256];
	unsigned len = 0;
	nic_t *n;
	spec_t *s;

	seen[0] = '\0';
	for (n = G.nics; n; n = n->next)
		if (len + strlen(n->name) + 3 < sizeof(seen))
			len += sprintf(seen + len, "%s%s", len ? ", " : "", n->name);
	if (!G.nics) {
		warn("%s: no network interface", G.wanted);
		tell("network", "no network interface (%s wants one)", G.wanted);
		return;
	}
	for (s = G.specs; s; s = s->next)
		if (s->cfg.dev[0] && !s->seen && s->cfg.method != EV_NET_OFF)
			tell(s->cfg.dev, "%s: no interface %s (there are: %s)", s->text, s->cfg.dev, seen);
	if (G.bootif_text) {
		for (n = G.nics; n; n = n->next)
			if (n->has_mac && memcmp(n->mac, G.bootif, 6) == 0)
				return;
		tell("network", "BOOTIF=%s: no interface has that MAC (there are: %s)", G.bootif_text, seen);
	}
}

static void FAST_FUNC bus_event(char **ev)
{
	const char *v;
	nic_t *n;

	if (!ev) {	/* the switch: what is up stays up, udhcpc stops */
		for (n = G.nics; n; n = n->next)
			stop_udhcpc(n);
		exit(EXIT_SUCCESS);
	}
	if (strcmp(ev[0], EV_NET_ADDED) == 0 && (v = ev_event_get(ev, "INTERFACE")) != NULL)
		nic_added(v);
	else if (strcmp(ev[0], EV_DEVICES_SETTLED) == 0)
		settled();
}

/* udhcpc's script is this applet: its path, as PATH finds it */
static void find_self(const char *argv0)
{
	char *path = getenv("PATH");

	if (strchr(argv0, '/'))
		G.self = xstrdup(argv0);
	else if (!path || (G.self = find_executable("evnet", &path)) == NULL)
		G.self = xstrdup("/sbin/evnet");
}

static void prepare(const char *argv0)
{
	sigset_t set;
	int err;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	G.rnd = (uint32_t)ts.tv_nsec ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9;
	find_self(argv0);
	sigemptyset(&set);
	err = ev_signals(&set, NULL);
	if (err)
		bb_error_msg_and_die("signalfd: %s", strerror(-err));
	rtnl_open();
}

static int daemon_main(const char *argv0)
{
	ev_root_from_env();
	read_params(ev_cmdline_read());
	if (!G.wanted)
		return EXIT_SUCCESS;	/* no network wanted: quietly */
	ev_client_quiet(ev_cmdline.quiet);
	G.quiet = ev_cmdline.quiet;
	prepare(argv0);
	ev_client_join(EV_NET_ADDED "\0" EV_DEVICES_SETTLED "\0", bus_event, "evnet up IFACE");
	say("the network is wanted (%s)", G.wanted);
	return ev_run();
}

/* ---- standalone ---- */

static int up_main(const char *argv0, const char *name)
{
	nic_t *n;

	ev_root_from_env();
	G.up_only = 1;
	read_params(ev_cmdline_read());
	if (!spec_for(name)) {	/* the line says nothing for it: DHCP */
		spec_t *s = xzalloc(sizeof(*s));

		s->cfg.method = EV_NET_DHCP;
		safe_strncpy(s->cfg.dev, name, sizeof(s->cfg.dev));
		s->text = xstrdup("evnet up (DHCP)");
		s->next = G.specs;
		G.specs = s;
	}
	prepare(argv0);
	{
		char v[8];

		if (sys_read(name, "address", v, sizeof(v)) < 0 && errno == ENOENT)
			bb_error_msg_and_die("%s: no such interface", name);
	}
	nic_added(name);
	for (n = G.nics; n && strcmp(n->name, name) != 0; n = n->next)
		continue;
	if (!n || n->state == N_OUT)
		bb_error_msg_and_die("%s: not configured (%s)", name, n && n->spec ? n->spec->text : "loopback");
	if (n->state == N_UP)
		return EXIT_SUCCESS;
	return ev_run();
}

static void print_cfg(const char *who, const spec_t *s)
{
	const ev_netcfg_t *c = &s->cfg;
	static const char methods[] ALIGN1 = "off\0" "dhcp\0" "static\0";

	printf("%s: %s", who, nth_string(methods, c->method));
	if (c->addr)
		printf(" address=%s", ip4(c->addr));
	if (c->method == EV_NET_STATIC)
		printf(" netmask=%s%s", ip4(c->mask ? c->mask : ev_netcfg_classmask(c->addr)),
				c->mask ? "" : "(class)");
	if (c->gw)
		printf(" gateway=%s", ip4(c->gw));
	if (c->server)
		printf(" server=%s", ip4(c->server));
	if (c->hostname[0])
		printf(" hostname=%s", c->hostname);
	if (c->nisdomain[0])
		printf(" nisdomain=%s", c->nisdomain);
	if (c->dns[0] || c->dns[1])
		printf(" dns=%s%s%s", c->dns[0] ? ip4(c->dns[0]) : "", c->dns[1] ? "," : "",
				c->dns[1] ? ip4(c->dns[1]) : "");
	if (c->ntp)
		printf(" ntp=%s", ip4(c->ntp));
	printf(" (%s)\n", s->text);
}

static int parse_main(char **argv)
{
	spec_t *s;
	char *line;

	ev_root_from_env();
	if (*argv) {
		line = xstrdup("");
		for (; *argv; argv++) {
			char *l = xasprintf("%s %s", line, *argv);

			free(line);
			line = l;
		}
		G.args = 1;	/* columns count in the PARAMs */
	} else {
		line = ev_cmdline_read();
	}
	read_params(line);
	for (s = G.specs; s; s = s->next)
		print_cfg(s->cfg.dev[0] ? s->cfg.dev : "any", s);
	if (G.bootif_text)
		printf("BOOTIF: %02x:%02x:%02x:%02x:%02x:%02x (only that interface, where ip= names none)\n",
				G.bootif[0], G.bootif[1], G.bootif[2], G.bootif[3], G.bootif[4], G.bootif[5]);
	printf("wanted: %s\n", G.wanted ? G.wanted : "no");
	return G.errors ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* udhcpc's script: EVENT and its variables.  Under evnet (EVNET_FD) one
 * record to it; alone (udhcpc run by hand) the lease is set here. */
static int dhcp_event_main(const char *ev)
{
	char *kv[20], rec[4096];
	const char *fd = getenv("EVNET_FD");
	unsigned n = 0, len = 0, i;

	for (i = 0; nth_string(lease_keys, i)[0]; i++) {
		const char *k = nth_string(lease_keys, i), *v = getenv(k);

		if (v && n < ARRAY_SIZE(kv) - 1)
			kv[n++] = xasprintf("%s=%s", k, v);
	}
	kv[n] = NULL;
	if (fd) {
		int f = xatoi_positive(fd);

		len = snprintf(rec, sizeof(rec), "%s", ev) + 1;
		for (i = 0; i < n && len + strlen(kv[i]) + 2 <= sizeof(rec); i++)
			len += sprintf(rec + len, "%s", kv[i]) + 1;
		rec[len++] = '\0';
		if (full_write(f, rec, len) != (ssize_t)len)
			bb_perror_msg_and_die("cannot tell evnet (EVNET_FD=%s)", fd);
		return EXIT_SUCCESS;
	}
	ev_root_from_env();
	if (strcmp(ev, "bound") == 0 || strcmp(ev, "renew") == 0) {
		nic_t nic;
		lease_t l;
		const char *ifname = kv_get(kv, "interface");

		memset(&nic, 0, sizeof(nic));
		if (!ifname || lease_parse(kv, NULL, &l) < 0)
			bb_error_msg_and_die("%s: no interface or address from udhcpc", ev);
		safe_strncpy(nic.name, ifname, sizeof(nic.name));
		G.up_only = 1;
		if (set_addr(&nic, &l) < 0)
			return EXIT_FAILURE;
		is_up(&nic, &l);
	} else if (strcmp(ev, "deconfig") == 0 && getenv("interface")) {
		nic_t nic;

		memset(&nic, 0, sizeof(nic));
		safe_strncpy(nic.name, getenv("interface"), sizeof(nic.name));
		link_up(&nic);
	}
	return EXIT_SUCCESS;
}

int evnet_main(int argc, char **argv) MAIN_EXTERNALLY_VISIBLE;
int evnet_main(int argc UNUSED_PARAM, char **argv)
{
	static const char cmds[] ALIGN1 = "parse\0" "up\0" "dhcp-event\0"
		/* udhcpc's events, when it runs evnet as its script */
		"deconfig\0" "bound\0" "renew\0" "leasefail\0" "nak\0";
	int cmd = argv[1] ? index_in_strings(cmds, argv[1]) : -1;

	INIT_G();
	if (!argv[1])
		return daemon_main(argv[0]);
	if (cmd < 0 || (cmd == 1 && (!argv[2] || argv[3])) || (cmd == 2 && !argv[2]))
		bb_show_usage();
	switch (cmd) {
	case 0: return parse_main(argv + 2);
	case 1: return up_main(argv[0], argv[2]);
	case 2: return dhcp_event_main(argv[2]);
	}
	return dhcp_event_main(argv[1]);
}
