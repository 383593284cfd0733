# grant/: grant tables (v1), their host unit tests and their test guests.
#
# HVGRANTSRC lists the sources linked into the hypervisor: the core (also
# built unchanged into the unit tests below), the hypervisor glue, and the
# x86 PV page-table part.
GRANT_CORE_SRC = \
	grant/entry.c \
	grant/maptrack.c \
	grant/table.c \
	grant/map.c \
	grant/copy.c \
	grant/cache_flush.c \
	grant/transfer.c
HVGRANTSRC = $(GRANT_CORE_SRC) \
	grant/grant_table.c \
	grant/env_hv.c \
	hypervisor/arch/x86/pv/grant_map.c
EXTRA_DIST += grant/gnttab.h grant/env.h grant/README.md

# ---------------------------------------------------------------- unit tests
# The core, unchanged, against tests/unit/grant_fake.c (frames, domains,
# PTE slots, allocations).
GRANT_UNIT_CPPFLAGS = $(UNITCPPFLAGS) -I$(srcdir)/hypervisor/arch/x86/include -I$(srcdir)/pvabi/include
GRANT_UNIT_SRC = $(GRANT_CORE_SRC) tests/unit/grant_fake.c tests/unit/grant_fake.h
GRANT_UNIT_TESTS = tests/unit/test_grant_entry tests/unit/test_grant_maptrack tests/unit/test_grant_ops
check_PROGRAMS += $(GRANT_UNIT_TESTS)
tests_unit_test_grant_entry_SOURCES = tests/unit/test_grant_entry.c $(GRANT_UNIT_SRC)
tests_unit_test_grant_entry_CPPFLAGS = $(GRANT_UNIT_CPPFLAGS)
tests_unit_test_grant_entry_CFLAGS = $(UNITCFLAGS)
tests_unit_test_grant_entry_LDADD = $(UNITLIBS)
tests_unit_test_grant_maptrack_SOURCES = tests/unit/test_grant_maptrack.c $(GRANT_UNIT_SRC)
tests_unit_test_grant_maptrack_CPPFLAGS = $(GRANT_UNIT_CPPFLAGS)
tests_unit_test_grant_maptrack_CFLAGS = $(UNITCFLAGS)
tests_unit_test_grant_maptrack_LDADD = $(UNITLIBS)
tests_unit_test_grant_ops_SOURCES = tests/unit/test_grant_ops.c $(GRANT_UNIT_SRC)
tests_unit_test_grant_ops_CPPFLAGS = $(GRANT_UNIT_CPPFLAGS)
tests_unit_test_grant_ops_CFLAGS = $(UNITCFLAGS)
tests_unit_test_grant_ops_LDADD = $(UNITLIBS)
TESTS += $(GRANT_UNIT_TESTS)

# ---------------------------------------------------------------- test guests
# tests/grant/NAME/main.c -> tests/guests/grant-NAME.elf (where guesttest
# looks), run on Xen 4.17 and Pavise by tests/grant/NAME.test.
GRANT_GUEST_COMMON = tests/grant/common/gnttest.c tests/grant/common/gnttest.h
GRANT_GUEST_CPPFLAGS = $(GUEST_CPP_FLAGS) -I$(srcdir)/tests/grant/common

noinst_PROGRAMS += tests/guests/grant-setup.elf
tests_guests_grant_setup_elf_SOURCES = tests/grant/setup/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_setup_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_setup_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_setup_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_setup_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_setup_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/grant-map.elf
tests_guests_grant_map_elf_SOURCES = tests/grant/map/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_map_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_map_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_map_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_map_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_map_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/grant-copy.elf
tests_guests_grant_copy_elf_SOURCES = tests/grant/copy/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_copy_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_copy_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_copy_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_copy_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_copy_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/grant-maptrack.elf
tests_guests_grant_maptrack_elf_SOURCES = tests/grant/maptrack/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_maptrack_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_maptrack_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_maptrack_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_maptrack_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_maptrack_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/grant-leave.elf
tests_guests_grant_leave_elf_SOURCES = tests/grant/leave/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_leave_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_leave_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_leave_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_leave_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_leave_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/grant-transfer.elf
tests_guests_grant_transfer_elf_SOURCES = tests/grant/transfer/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_transfer_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_transfer_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_transfer_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_transfer_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_transfer_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

# grant-peer needs a second domain at boot: Pavise only (its own .test).
noinst_PROGRAMS += tests/guests/grant-peer.elf
tests_guests_grant_peer_elf_SOURCES = tests/grant/peer/main.c $(GRANT_GUEST_COMMON)
tests_guests_grant_peer_elf_CPPFLAGS = $(GRANT_GUEST_CPPFLAGS)
tests_guests_grant_peer_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_grant_peer_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_grant_peer_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_grant_peer_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

GRANT_GUEST_TESTS = \
	tests/grant/setup.test \
	tests/grant/map.test \
	tests/grant/copy.test \
	tests/grant/maptrack.test \
	tests/grant/leave.test \
	tests/grant/transfer.test \
	tests/grant/peer.test
TESTS += $(GRANT_GUEST_TESTS)
dist_noinst_SCRIPTS += $(GRANT_GUEST_TESTS)
