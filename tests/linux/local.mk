# tests/linux: rules for this component (included from the top-level Makefile.am).
#
# Debian's stock Linux kernel as PV dom0: mkimages.sh fetches the kernel
# package and builds a busybox initramfs around dom0check, a static program
# (host gcc, glibc, raw /dev/xen ioctls) whose checks /init runs; the test
# boots it on Xen 4.17 (and on Pavise once tests/guests/pavise-ready says
# linux-dom0) and compares the check lines.

noinst_PROGRAMS += tests/linux/dom0check
tests_linux_dom0check_SOURCES = \
	tests/linux/src/dom0check.h \
	tests/linux/src/grant.h \
	tests/linux/src/evtchn.c \
	tests/linux/src/grant_copy.c \
	tests/linux/src/grant_dev.c \
	tests/linux/src/grant_map.c \
	tests/linux/src/grant_refuse.c \
	tests/linux/src/main.c \
	tests/linux/src/privcmd.c \
	tests/linux/src/smp.c \
	tests/linux/src/util.c
tests_linux_dom0check_CFLAGS = -std=gnu11 -O2 -pthread $(HOST_WARN_CFLAGS) -Wstrict-prototypes \
	-Wmissing-prototypes
# Static: the initramfs has busybox and nothing else, no C library.
tests_linux_dom0check_LDFLAGS = -static -pthread

dist_noinst_SCRIPTS += tests/linux/mkimages.sh tests/linux/init

TESTS += tests/linux/linux-dom0.test
dist_noinst_SCRIPTS += tests/linux/linux-dom0.test tests/linux/compare-checks.sh \
	tests/linux/bench.sh tests/linux/run-dom0.sh
EXTRA_DIST += tests/linux/common.sh tests/linux/README.md
CLEANFILES += tests/linux/linux-dom0.xen.log tests/linux/linux-dom0.pavise.log

# make bench: Linux boot times, Xen 4.17 against Pavise.
BENCH_TARGETS += bench-linux
bench-linux: tests/linux/dom0check
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(srcdir)/tests/linux/bench.sh
