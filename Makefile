# evbox: an event-driven initramfs as BusyBox applets.
#
#   make setup          install the Debian packages the build and tests need
#   make [all]          build/busybox from .config (evbox_defconfig if none)
#   make demo           boot the demo VM (Debian's kernel under QEMU, TCG)
#                       and show its boot timeline (scripts/vm/demo.sh)
#   make check          unit tests (testsuite/) of the musl (default) and the
#                       glibc builds, the VM scenarios (a smoke set of them
#                       on glibc too), ends with "N passed, N failed";
#                       make unitcheck: units only
#   make vmcheck        the VM scenarios (testsuite/vm/scenarios), VM="NAME..."
#                       for some of them; "N passed, N failed"
#   make initramfs      the image: scripts/mkinitramfs with .config's "Image
#                       builder" options (mode, modules, compression, output)
#                       and build/busybox; prints what went in
#   make fixturecheck   disk fixtures (LUKS, md, LVM) made in a throwaway VM by
#                       testsuite/vm/fixture.sh, checked from the host;
#                       "N passed, N failed"
#   make bench          the binaries' bytes against their budgets
#                       (bench/binsizes.sh), then
#                       the benchmark (bench/bench.sh; not a test): evbox, a
#                       hand-written floor and initramfs-tools boot one disk
#                       5 times each, then LUKS, then md RAID1 complete and
#                       degraded; medians, sizes, MET / NOT MET;
#                       BENCH_BASELINE=BUSYBOX: that binary too (evbox-base);
#                       BENCH_PLAIN=0, BENCH_LUKS=0, BENCH_MD=0 skip a part
#   make menuconfig | defconfig | tiny_defconfig | evbox_musl_defconfig
#        | tiny_musl_defconfig | evbox_glibc_defconfig | tiny_glibc_defconfig
#        | allnoconfig | oldconfig | olddefconfig | savedefconfig
#
# BusyBox, cryptsetup and lvm2 (and for musl json-c and util-linux) are
# Debian source packages fetched into build/ by scripts/deps.sh; nothing
# fetched is committed.

TOP   := $(CURDIR)
BUILD := $(TOP)/build
export KCONFIG_CONFIG ?= $(TOP)/.config
DEFCONFIG ?= configs/evbox_defconfig

KCONFIG = $(TOP)/scripts/kconfig/kconfig.sh $(BUILD) $(TOP)

all: $(BUILD)/busybox

# Setup is separate from the build: the build only stops with a line naming
# the package to install (scripts/deps.sh), it never installs.
setup:
	@scripts/setup.sh

# What a build reads besides BusyBox's pristine tree (whose version is in
# the deps stamps): when none changed, BusyBox's make (seconds of checking)
# is not even asked.
INPUTS = $(wildcard applets/*.[ch] applets/*.src applets/evinit/* lib/* toollib/* Config.in scripts/*.sh scripts/kconfig/* $(BUILD)/stamps/* $(BUILD)/musl/stamps/*)

$(BUILD)/busybox: $(KCONFIG_CONFIG) $(INPUTS)
	+@scripts/build.sh $(BUILD) $(TOP) $(KCONFIG_CONFIG) $(BUILD)/obj $@

$(KCONFIG_CONFIG):
	@echo "evbox: no $(notdir $@) yet, starting from $(DEFCONFIG)"
	@$(KCONFIG) defconfig $(TOP)/$(DEFCONFIG)

defconfig:
	@$(KCONFIG) defconfig $(TOP)/$(DEFCONFIG)
%_defconfig:
	@$(KCONFIG) defconfig $(TOP)/configs/$@
allnoconfig allyesconfig alldefconfig oldconfig olddefconfig menuconfig nconfig:
	@$(KCONFIG) $@
savedefconfig:
	@$(KCONFIG) savedefconfig $(TOP)/defconfig

# ---- tests ---------------------------------------------------------------
# Unit tests run against their own build: evbox_defconfig plus the evtest
# applet that drives the event core (never in the product's configs).
# Two more builds that the build tests look at: tiny_defconfig, and
# allnoconfig with only evinit turned on.  The same four again linked with
# the other C library (ALT_LIBC; musl is the default, Config.in) in
# build/ALT_LIBC/, which has build/'s layout for the tests.
CHECK := $(BUILD)/check
ALT_LIBC := glibc
ALT := $(BUILD)/$(ALT_LIBC)
ALT_ON := CONFIG_EVBOX_LIBC_$(shell echo $(ALT_LIBC) | tr a-z A-Z)=y

# mkconfig LINES: $@ from the miniconfig LINES (files and #include lines
# of configs/NAME), by kconfig's defconfig
define mkconfig
	@mkdir -p $(@D)
	@printf '%s\n' $(1) > $(@D)/mini.config
	@KCONFIG_CONFIG=$@ $(KCONFIG) defconfig $(@D)/mini.config >/dev/null
endef
inc = '\#include $(1)'

$(CHECK)/config: configs/evbox_defconfig configs/check.fragment $(INPUTS)
	$(call mkconfig,$(call inc,evbox_defconfig) $(call inc,check.fragment))
$(BUILD)/tiny/config: configs/tiny_defconfig $(INPUTS)
	$(call mkconfig,$(call inc,tiny_defconfig))
$(BUILD)/allno/config: $(INPUTS)
	$(call mkconfig,CONFIG_EVINIT=y)
$(ALT)/config: configs/evbox_$(ALT_LIBC)_defconfig configs/evbox_defconfig $(INPUTS)
	$(call mkconfig,$(call inc,evbox_$(ALT_LIBC)_defconfig))
$(ALT)/check/config: configs/evbox_$(ALT_LIBC)_defconfig configs/evbox_defconfig configs/check.fragment $(INPUTS)
	$(call mkconfig,$(call inc,evbox_$(ALT_LIBC)_defconfig) $(call inc,check.fragment))
$(ALT)/tiny/config: configs/tiny_$(ALT_LIBC)_defconfig configs/tiny_defconfig $(INPUTS)
	$(call mkconfig,$(call inc,tiny_$(ALT_LIBC)_defconfig))
$(ALT)/allno/config: $(INPUTS)
	$(call mkconfig,CONFIG_EVINIT=y $(ALT_ON))

ALTBUILDS = $(ALT)/check/busybox $(ALT)/busybox $(ALT)/tiny/busybox $(ALT)/allno/busybox
$(CHECK)/busybox $(BUILD)/tiny/busybox $(BUILD)/allno/busybox $(ALTBUILDS): %/busybox: %/config $(INPUTS)
	+@scripts/build.sh $(BUILD) $(TOP) $*/config $*/obj $@

TESTBUILDS = $(CHECK)/busybox $(BUILD)/busybox $(BUILD)/tiny/busybox $(BUILD)/allno/busybox $(ALTBUILDS)

# Unit tests and the VM scenarios, with one closing line.
check: $(TESTBUILDS)
	@scripts/check.sh $(BUILD) $(ALT_LIBC)

# The VM scenarios (testsuite/vm/scenarios): Debian's kernel under QEMU,
# images of build/busybox, disks made on the host.  VM="NAME..." runs some.
vmcheck: $(BUILD)/busybox
	@testsuite/vm/run.sh $(BUILD) $(VM)

# The demo VM: boots a host-only image for an ext4 disk and shows the
# console, then the boot timeline (evctl analyze in the real root).
demo: $(BUILD)/busybox
	@scripts/vm/demo.sh $(BUILD)

unitcheck: $(TESTBUILDS)
	@scripts/check.sh $(BUILD) $(ALT_LIBC) units

# The image: the same .config gives the kernel, the modules (host-only or
# generic), the compression and the output path.  Always rebuilt: its
# inputs (the target's fstab, the kernel's modules) live outside the tree.
initramfs: $(BUILD)/busybox
	@scripts/mkinitramfs -c $(KCONFIG_CONFIG) -b $(BUILD)/busybox

# Disk images that need dm-crypt, md or LVM are made in a builder VM by
# Debian's own tools (testsuite/vm/fixture.sh), cached in build/vm/fixtures.
fixturecheck:
	@testsuite/vm/fixture-check.sh $(BUILD)

# The benchmark: not a test, it fails only when a boot does not end.
# First the binaries' bytes against their budgets (bench/binsizes.sh).
bench: $(BUILD)/busybox $(BUILD)/tiny/busybox $(ALT)/busybox $(ALT)/tiny/busybox
	@bench/binsizes.sh $(BUILD)
	@bench/bench.sh $(BUILD) $(BUILD)/busybox

clean:
	@bb=$$(cat $(BUILD)/src/busybox.dir 2>/dev/null) && [ -d "$$bb" ] && \
		$(MAKE) -s -C "$$bb" O=$(BUILD)/obj clean || true
	rm -rf $(BUILD)/obj $(BUILD)/check $(BUILD)/tiny $(BUILD)/allno $(BUILD)/busybox \
		$(ALT)/obj $(ALT)/check $(ALT)/tiny $(ALT)/allno $(ALT)/busybox
distclean:
	rm -rf $(BUILD) .config .config.old defconfig

.PHONY: all setup defconfig savedefconfig check unitcheck vmcheck demo fixturecheck initramfs bench clean distclean FORCE \
	allnoconfig allyesconfig alldefconfig oldconfig olddefconfig menuconfig nconfig
FORCE:

# The builds share one BusyBox source tree and build/deps: one at a time
# (each is parallel inside).
.NOTPARALLEL:
