/* vi: set sw=4 ts=4: */
/*
 * evbox: ip= and BOOTIF= (see evnetcfg.h).
 *
 * The grammar is the kernel's (Documentation/admin-guide/nfs/nfsroot.rst)
 * as klibc's ipconfig reads it, initramfs-tools' reader:
 *   ip=METHOD		dhcp on any bootp both: DHCP on every interface,
 *			the first lease wins; off none: nothing; rarp: refused
 *   ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>
 *      :<autoconf>:<dns0-ip>:<dns1-ip>:<ntp0-ip>
 *			any field empty, trailing ones left out; a client
 *			address makes it static unless autoconf says DHCP
 *			(which then asks for that address); no device (or
 *			"all"): every interface, the first one up wins
 *   ip=<device>:METHOD	dracut's spelling (the first field no address)
 * BOOTP and both are done by DHCP (udhcpc speaks DHCP only; a DHCP server
 * answers BOOTP's questions too); there is no RARP.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
//config:config EVNETCFG
//config:	bool
//config:	help
//config:	The ip= and BOOTIF= reader of evnet.
//config:	Selected by what uses it; nothing to choose here.

//kbuild:lib-$(CONFIG_EVNETCFG) += evnetcfg.o

#include "libbb.h"
#include "evnetcfg.h"

static const char field_names[] ALIGN1 =
	"client-ip\0" "server-ip\0" "gw-ip\0" "netmask\0" "hostname\0" "device\0"
	"autoconf\0" "dns0-ip\0" "dns1-ip\0" "ntp0-ip\0";
/* the autoconf words, and the method each means (rarp: -1) */
static const char protos[] ALIGN1 =
	"dhcp\0" "on\0" "any\0" "bootp\0" "both\0" "off\0" "none\0" "static\0" "rarp\0";
static const signed char proto_method[] = {
	EV_NET_DHCP, EV_NET_DHCP, EV_NET_DHCP, EV_NET_DHCP, EV_NET_DHCP,
	EV_NET_OFF, EV_NET_OFF, EV_NET_OFF, -1,
};

int FAST_FUNC ev_netcfg_ip(const char *s, uint32_t *a)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < 4; i++) {
		unsigned part = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			part = part * 10 + (*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || part > 255 || *s != (i < 3 ? '.' : '\0'))
			return -1;
		v = v << 8 | part;
		s++;
	}
	*a = htonl(v);
	return 0;
}

uint32_t FAST_FUNC ev_netcfg_classmask(uint32_t addr)
{
	uint32_t h = ntohl(addr);

	if ((h & 0x80000000) == 0)
		return htonl(0xff000000);
	if ((h & 0xc0000000) == 0x80000000)
		return htonl(0xffff0000);
	if ((h & 0xe0000000) == 0xc0000000)
		return htonl(0xffffff00);
	return 0;
}

int FAST_FUNC ev_netcfg_bootif(const char *val, unsigned char mac[6])
{
	unsigned i;
	size_t n = strlen(val);

	if (n == 20 && val[0] == '0' && val[1] == '1' && (val[2] == '-' || val[2] == ':'))
		val += 3;
	else if (n != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		int hi = bb_ascii_tolower(val[0]), lo = bb_ascii_tolower(val[1]);

		if (!isxdigit(hi) || !isxdigit(lo) || (i < 5 && val[2] != '-' && val[2] != ':'))
			return -1;
		mac[i] = (hi <= '9' ? hi - '0' : hi - 'a' + 10) << 4 | (lo <= '9' ? lo - '0' : lo - 'a' + 10);
		val += 3;
	}
	return 0;
}

/* The method of autoconf word W: EV_NET_*, -1 unknown, -2 rarp */
static int method_of(const char *w)
{
	int i = index_in_strings(protos, w);

	if (i < 0)
		return -1;
	return proto_method[i] < 0 ? -2 : proto_method[i];
}

static int bad(char *err, unsigned errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A contiguous netmask (ones, then zeros) */
static int mask_ok(uint32_t m)
{
	uint32_t h = ntohl(m);

	return h != 0 && (~h & (~h + 1)) == 0;
}

static int method_field(ev_netcfg_t *cfg, const char *w, const char *name, char *err, unsigned errlen)
{
	int m = method_of(w);

	if (m == -2)
		return bad(err, errlen, "%s'rarp': RARP is not supported (dhcp, on, any, bootp, both, off, none)", name);
	if (m < 0)
		return bad(err, errlen, "%s'%s' is no method (dhcp, on, any, bootp, both, off, none)", name, w);
	cfg->method = m;
	strcpy(cfg->proto, w);	/* a word of protos: it fits */
	return 0;
}

int FAST_FUNC ev_netcfg_parse(const char *val, ev_netcfg_t *cfg, unsigned *col,
		char *err, unsigned errlen)
{
	char buf[512], *f[11];
	unsigned off[11], n = 0, i;
	const char *p;
	uint32_t a;

	memset(cfg, 0, sizeof(*cfg));
	*col = 0;
	if (strlen(val) >= sizeof(buf))
		return bad(err, errlen, "longer than %u bytes", (unsigned)sizeof(buf) - 1);
	strcpy(buf, val);
	/* the fields, each with its offset for the message */
	for (p = buf; ; ) {
		char *c = strchr(p, ':');

		f[n] = (char *)p;
		off[n++] = p - buf;
		if (!c)
			break;
		if (n == ARRAY_SIZE(f) - 1) {
			*col = c + 1 - buf;
			return bad(err, errlen, "field 11: more than 10 fields (the last is ntp0-ip)");
		}
		*c = '\0';
		p = c + 1;
	}
	if (n == 1 && !buf[0]) {	/* an empty ip= is klibc's "on" */
		cfg->method = EV_NET_DHCP;
		return 0;
	}
	if (n == 1 && method_of(buf) == -1 && !isdigit(buf[0]))
		return bad(err, errlen, "'%s' is no method (dhcp, on, any, bootp, both, off, none) "
				"nor an address (an interface's method: ip=%s:dhcp)", buf, buf);
	if (n == 1 && method_of(buf) != -1)	/* ip=METHOD */
		return method_field(cfg, buf, "", err, errlen);
	/* else the kernel's ip=CLIENT-IP, alone or with more fields */
	/* dracut's ip=IFACE:METHOD[:MTU[:MAC]]: the first field is no address */
	if (n <= 4 && f[0][0] && !isdigit(f[0][0]) && method_of(f[1]) != -1) {
		if (n > 2) {
			*col = off[2];
			return bad(err, errlen, "ip=IFACE:METHOD: the MTU and MAC fields are not supported");
		}
		if (strlen(f[0]) >= sizeof(cfg->dev)) {
			return bad(err, errlen, "device '%s': an interface name has at most %u characters",
					f[0], (unsigned)sizeof(cfg->dev) - 1);
		}
		strcpy(cfg->dev, f[0]);
		*col = off[1];
		return method_field(cfg, f[1], "field 2 (method): ", err, errlen);
	}
	cfg->method = EV_NET_DHCP;	/* no client address, no autoconf: any */
	for (i = 0; i < n; i++) {
		const char *name = nth_string(field_names, i);
		const char *w = f[i];

		*col = off[i];
		if (!*w)
			continue;
		switch (i) {
		case 0: case 1: case 2: case 3: case 7: case 8: case 9:
			if (ev_netcfg_ip(w, &a) < 0)
				return bad(err, errlen, "field %u (%s): '%s' is no IPv4 address", i + 1, name, w);
			if (i == 0) {
				uint32_t h = ntohl(a);

				if (h == 0 || h == 0xffffffff || (h >> 24) == 127 || (h >> 28) >= 14)
					return bad(err, errlen, "field 1 (client-ip): '%s' is no address for a host", w);
				cfg->addr = a;
				cfg->method = EV_NET_STATIC;
			} else if (i == 1) {
				cfg->server = a;
			} else if (i == 2) {
				cfg->gw = a;
			} else if (i == 3) {
				if (!mask_ok(a))
					return bad(err, errlen, "field 4 (netmask): '%s' is no netmask (ones, then zeros)", w);
				cfg->mask = a;
			} else {
				(i == 9 ? &cfg->ntp : &cfg->dns[i - 7])[0] = a;
			}
			break;
		case 4: {
			const char *dot = strchr(w, '.'), *q;
			unsigned hl = dot ? (unsigned)(dot - w) : strlen(w);

			for (q = w; *q; q++)
				if (!isalnum(*q) && *q != '-' && *q != '.')
					return bad(err, errlen, "field 5 (hostname): '%s': '%c' is no character of a host name",
							w, *q);
			if (hl == 0 || hl >= sizeof(cfg->hostname) || (dot && strlen(dot + 1) >= sizeof(cfg->nisdomain)))
				return bad(err, errlen, "field 5 (hostname): '%s': a host name has 1 to %u characters, "
						"its domain up to %u", w, (unsigned)sizeof(cfg->hostname) - 1,
						(unsigned)sizeof(cfg->nisdomain) - 1);
			safe_strncpy(cfg->hostname, w, hl + 1);
			if (dot)
				strcpy(cfg->nisdomain, dot + 1);
			break;
		}
		case 5:
			if (strcmp(w, "all") == 0)
				break;
			if (strlen(w) >= sizeof(cfg->dev) || strchr(w, '/') || DOT_OR_DOTDOT(w))
				return bad(err, errlen, "field 6 (device): '%s' is no interface name "
						"(at most %u characters, no '/')", w, (unsigned)sizeof(cfg->dev) - 1);
			strcpy(cfg->dev, w);
			break;
		case 6: {
			int static_addr = cfg->method == EV_NET_STATIC;

			if (method_field(cfg, w, "field 7 (autoconf): ", err, errlen) < 0)
				return -1;
			/* a client address and off: static; DHCP: asked for */
			if (static_addr && cfg->method == EV_NET_OFF)
				cfg->method = EV_NET_STATIC;
			break;
		}
		}
	}
	/* (no class D or E client: every static address has a class netmask) */
	*col = 0;
	return 0;
}
