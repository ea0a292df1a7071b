/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the network's kernel parameters (evnetcfg.c) for evnet:
 * ip= in the kernel's nfsroot grammar as klibc's ipconfig reads it (and
 * dracut's ip=IFACE:METHOD), BOOTIF=, the class netmask.  Never dies.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVNETCFG_H
#define EVNETCFG_H 1

PUSH_AND_SET_FUNCTION_VISIBILITY_TO_HIDDEN

enum { EV_NET_OFF, EV_NET_DHCP, EV_NET_STATIC };

/* What one ip= asks for one interface (dev "" : any, the first one up).
 * Addresses in network order, 0 when not given. */
typedef struct ev_netcfg {
	char dev[16];
	int method;			/* EV_NET_* */
	char proto[8];			/* the autoconf word given ("" none) */
	uint32_t addr, server, gw, mask, dns[2], ntp;
	char hostname[65];		/* before the first '.' of field 5 */
	char nisdomain[65];		/* after it (the kernel's rule) */
} ev_netcfg_t;

/* Parse VAL, the value of one ip=, into CFG.  Returns 0, or -1 with ERR
 * saying what is wrong and *COL the 0-based offset in VAL it is at. */
int ev_netcfg_parse(const char *val, ev_netcfg_t *cfg, unsigned *col,
		char *err, unsigned errlen) FAST_FUNC;
/* A dotted quad (four decimal parts of 0-255, nothing else) into *A
 * (network order); 0 or -1. */
int ev_netcfg_ip(const char *s, uint32_t *a) FAST_FUNC;
/* The netmask of ADDR's class (A, B, C), 0 for D and E (network order). */
uint32_t ev_netcfg_classmask(uint32_t addr) FAST_FUNC;
/* BOOTIF=01-52-54-00-12-34-56 (PXE's: ARP type 01, then the MAC; the MAC
 * alone and ':' are taken too) into MAC; 0 or -1. */
int ev_netcfg_bootif(const char *val, unsigned char mac[6]) FAST_FUNC;

POP_SAVED_FUNCTION_VISIBILITY

#endif
