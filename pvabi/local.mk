# pvabi: rules for this component (included from the top-level Makefile.am).
#
#   pvabi/include/pvabi/   the Xen 4.17 public ABI (Pavise's own headers)
#   pvabi/abicheck/        build-time check of those headers against
#                          Debian's /usr/include/xen (make check)
#   pvabi/guest/           libpvguest.a, the library for PV test guests

PVABI_HDRS = \
	pvabi/include/pvabi/arch-x86/hvm/start_info.h \
	pvabi/include/pvabi/arch-x86/xen-x86_64.h \
	pvabi/include/pvabi/arch-x86/xen.h \
	pvabi/include/pvabi/arch-x86/xen-mca.h \
	pvabi/include/pvabi/callback.h \
	pvabi/include/pvabi/elfnote.h \
	pvabi/include/pvabi/errno.h \
	pvabi/include/pvabi/event_channel.h \
	pvabi/include/pvabi/features.h \
	pvabi/include/pvabi/grant_table.h \
	pvabi/include/pvabi/hvm/start_info.h \
	pvabi/include/pvabi/io/console.h \
	pvabi/include/pvabi/io/ring.h \
	pvabi/include/pvabi/io/xs_wire.h \
	pvabi/include/pvabi/memory.h \
	pvabi/include/pvabi/nmi.h \
	pvabi/include/pvabi/physdev.h \
	pvabi/include/pvabi/platform.h \
	pvabi/include/pvabi/sched.h \
	pvabi/include/pvabi/vcpu.h \
	pvabi/include/pvabi/version.h \
	pvabi/include/pvabi/xen.h
EXTRA_DIST += $(PVABI_HDRS)

# ---------------------------------------------------------------- ABI check
# One program, two builds: against pvabi/include and against /usr/include/xen.
# The list of items is generated from the headers (gen-checks.sh).
PVABI_CHECK_GEN = \
	pvabi/abicheck/gen-checks.sh \
	pvabi/abicheck/dwarf-types.awk \
	pvabi/abicheck/special.list \
	pvabi/abicheck/extra-checks.h
EXTRA_DIST += $(PVABI_CHECK_GEN) pvabi/abicheck/standalone.sh

pvabi/abicheck/checks.h: $(PVABI_HDRS:%=$(srcdir)/%) $(PVABI_CHECK_GEN:%=$(srcdir)/%)
	$(AM_V_GEN)mkdir -p pvabi/abicheck && \
	  $(SHELL) $(srcdir)/pvabi/abicheck/gen-checks.sh '$(CC)' '$(srcdir)' $@
pvabi/abicheck/abicheck-includes.h: pvabi/abicheck/checks.h

# Each header compiles on its own (C and assembler).
pvabi/abicheck/standalone.stamp: $(PVABI_HDRS:%=$(srcdir)/%) $(srcdir)/pvabi/abicheck/standalone.sh
	$(AM_V_GEN)mkdir -p pvabi/abicheck && \
	  $(SHELL) $(srcdir)/pvabi/abicheck/standalone.sh '$(CC)' '$(srcdir)' $@

PVABI_CHECK_CPPFLAGS = -Ipvabi/abicheck -I$(srcdir)/pvabi/abicheck
check_PROGRAMS += pvabi/abicheck/abicheck-pvabi pvabi/abicheck/abicheck-xen
pvabi_abicheck_abicheck_pvabi_SOURCES = pvabi/abicheck/abicheck.c
pvabi_abicheck_abicheck_pvabi_CPPFLAGS = $(PVABI_CHECK_CPPFLAGS) -I$(srcdir)/pvabi/include
pvabi_abicheck_abicheck_pvabi_CFLAGS = $(HOST_WARN_CFLAGS)
pvabi_abicheck_abicheck_xen_SOURCES = pvabi/abicheck/abicheck.c
pvabi_abicheck_abicheck_xen_CPPFLAGS = $(PVABI_CHECK_CPPFLAGS) -DABICHECK_XEN \
	-D__XEN_INTERFACE_VERSION__=0x00040e00
pvabi_abicheck_abicheck_xen_CFLAGS = $(HOST_WARN_CFLAGS)
$(pvabi_abicheck_abicheck_pvabi_OBJECTS) $(pvabi_abicheck_abicheck_xen_OBJECTS): \
	pvabi/abicheck/checks.h pvabi/abicheck/standalone.stamp

TESTS += pvabi/abicheck/abicheck.test
dist_noinst_SCRIPTS += pvabi/abicheck/abicheck.test
CLEANFILES += pvabi/abicheck/checks.h pvabi/abicheck/abicheck-includes.h \
	pvabi/abicheck/standalone.stamp

# ---------------------------------------------------------------- guest library
# Freestanding, linked at the top 2 GiB like a Linux PV kernel.
GUEST_CPP_FLAGS = -I$(srcdir)/pvabi/include -I$(srcdir)/pvabi/guest/include
GUEST_C_FLAGS = $(FREESTANDING_CFLAGS) -mcmodel=kernel -fno-pie -fno-pic
GUEST_LD_FLAGS = -nostdlib -static -no-pie -Wl,-T,$(srcdir)/pvabi/guest/guest.lds \
	-Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,--no-warn-rwx-segments \
	-Wl,-z,noexecstack

noinst_LIBRARIES += pvabi/guest/libpvguest.a
pvabi_guest_libpvguest_a_SOURCES = \
	pvabi/guest/head.S \
	pvabi/guest/entry.S \
	pvabi/guest/setup.c \
	pvabi/guest/console.c \
	pvabi/guest/printf.c \
	pvabi/guest/string.c \
	pvabi/guest/traps.c \
	pvabi/guest/events.c \
	pvabi/guest/events_fifo.c \
	pvabi/guest/time.c \
	pvabi/guest/smp.c \
	pvabi/guest/test.c
pvabi_guest_libpvguest_a_CPPFLAGS = $(GUEST_CPP_FLAGS)
pvabi_guest_libpvguest_a_CFLAGS = $(GUEST_C_FLAGS)
pvabi_guest_libpvguest_a_CCASFLAGS = $(GUEST_CPP_FLAGS)
EXTRA_DIST += pvabi/guest/guest.lds \
	pvabi/guest/include/pvguest/asm.h \
	pvabi/guest/include/pvguest/console.h \
	pvabi/guest/include/pvguest/events.h \
	pvabi/guest/include/pvguest/events_fifo.h \
	pvabi/guest/include/pvguest/hypercall.h \
	pvabi/guest/include/pvguest/lib.h \
	pvabi/guest/include/pvguest/smp.h \
	pvabi/guest/include/pvguest/test.h \
	pvabi/guest/include/pvguest/time.h \
	pvabi/guest/include/pvguest/traps.h \
	pvabi/guest/include/pvguest/types.h
