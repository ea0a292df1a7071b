/* vi: set sw=4 ts=4: */
/*
 * evbox lib: the names that cross rooms.  Every event evinit, its device
 * manager and the applets emit or wait for is here, once; the keys they
 * carry are in the comment beside each (DESIGN.md's table).  String
 * constants, so "patterns" for a subscription concatenate with them.
 *
 * Licensed under GPLv2, see file LICENSE in the BusyBox source tree.
 */
#ifndef EVNAMES_H
#define EVNAMES_H 1

/* evinit */
#define EV_STARTUP		"startup"		/* the command line as env */
#define EV_VIRTUAL_FS		"virtual-filesystems"
#define EV_STARTING		"starting"		/* JOB INSTANCE */
#define EV_STARTED		"started"		/* JOB INSTANCE */
#define EV_STOPPING		"stopping"		/* JOB INSTANCE RESULT EXIT_STATUS|EXIT_SIGNAL */
#define EV_STOPPED		"stopped"		/* JOB INSTANCE RESULT EXIT_STATUS|EXIT_SIGNAL */
#define EV_SWITCH_ROOT		"switch-root"		/* ROOT INIT; evinit's own */
#define EV_RESCUE		"rescue"		/* REASON [WANTED] [HINT] [JOB] */
#define EV_RESCUE_DONE		"rescue-done"
#define EV_TIMEOUT_PAUSE	"timeout-pause"		/* evctl timeout pause */
#define EV_TIMEOUT_RESUME	"timeout-resume"
/* the device manager (job "udevd") */
#define EV_UDEVD		"udevd"
#define EV_BLOCK_ADDED		"block-device-added"	/* DEVNAME DEVPATH MAJOR MINOR ID_FS_* ... */
#define EV_BLOCK_CHANGED	"block-device-changed"
#define EV_BLOCK_REMOVED	"block-device-removed"
#define EV_NET_ADDED		"net-device-added"	/* INTERFACE */
#define EV_DEVICES_SETTLED	"devices-settled"	/* coldplug done, no probe or module load left */
#define EV_DEVICES_BUSY		"devices-busy"		/* after settled: some run again */
/* evmount */
#define EV_MOUNTED		"mounted"		/* MOUNTPOINT DEVICE TYPE */
#define EV_ROOT_WAITING		"root-waiting"		/* WAITING: the chain from the root
							 * down to what is missing */
/* evcrypt */
#define EV_PASSPHRASE_PROMPT	"passphrase-prompt"	/* DEVNAME NAME */
#define EV_PASSPHRASE_DONE	"passphrase-done"	/* DEVNAME NAME */
#define EV_CRYPT_WANTED		"crypt-wanted"		/* NAME WANTED */
#define EV_CRYPT_UNLOCKED	"crypt-unlocked"	/* NAME DEVNAME */
/* evraid */
#define EV_MD_WANTED		"md-wanted"		/* NAME WANTED: an array not running, why */
#define EV_MD_STARTED		"md-started"		/* NAME MD_UUID MD_NAME DEVNAME MD_DEGRADED */
#define EV_MD_DEGRADED		"md-degraded"		/* MD_UUID MD_NAME MISSING */
#define EV_MD_MEMBER_ADDED	"md-member-added"	/* MD_UUID DEVNAME */
/* evlvm */
#define EV_LVM_WANTED		"lvm-wanted"		/* NAME (VG or VG/LV) WANTED: not active, why */
#define EV_LVM_ACTIVATED	"lvm-activated"		/* NAME (VG/LV) DEVNAME */

/* evnet (the network job) */
#define EV_NET_UP		"net-device-up"		/* INTERFACE ADDRESS NETMASK GATEWAY SERVER
							 * ROOTPATH DNS HOSTNAME DOMAIN METHOD */
#define EV_NET_WANTED		"net-wanted"		/* NAME (the interface) WANTED: not up, why */
/* evnbd */
#define EV_NBD_WANTED		"nbd-wanted"		/* NAME (/dev/nbdN) WANTED: not connected, why */
#define EV_NBD_CONNECTED	"nbd-connected"		/* NAME DEVNAME SERVER PORT EXPORT SIZE
							 * FSTYPE MOUNTOPTS (from root=nbd:) */

/* The job whose `mounted MOUNTPOINT=/root` starts the switch. */
#define EV_JOB_MOUNTALL		"mountall"

#endif
