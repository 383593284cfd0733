# tests/mmu: PV MMU test guests, the attack suite, the MMU fuzzer and
# benchmark guests, and host unit tests of the page-type state machine
# (issue 4). Included from the top-level Makefile.am.
#
# Guests: tests/mmu/NAME/main.c + tests/mmu/lib (libmmutest.a) +
# libpvguest.a -> tests/guests/mmu-NAME.elf, where tests/harness/guesttest
# looks for guest images; tests/mmu/NAME.test runs it on Xen 4.17 and (once
# mmu-NAME is in tests/guests/pavise-ready) on Pavise, and compares.

noinst_LIBRARIES += tests/mmu/libmmutest.a
tests_mmu_libmmutest_a_SOURCES = tests/mmu/lib/mmu.c tests/mmu/lib/mmu.h
tests_mmu_libmmutest_a_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_mmu_libmmutest_a_CFLAGS = $(GUEST_C_FLAGS)

MMU_GUEST_LIBS = tests/mmu/libmmutest.a pvabi/guest/libpvguest.a
MMU_GUEST_DEPS = $(srcdir)/pvabi/guest/guest.lds

# ---------------------------------------------------------------- functional
noinst_PROGRAMS += tests/guests/mmu-update.elf
tests_guests_mmu_update_elf_SOURCES = tests/mmu/update/main.c
tests_guests_mmu_update_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_update_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_update_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_update_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_update_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-ext.elf
tests_guests_mmu_ext_elf_SOURCES = tests/mmu/ext/main.c
tests_guests_mmu_ext_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_ext_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_ext_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_ext_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_ext_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-uvm.elf
tests_guests_mmu_uvm_elf_SOURCES = tests/mmu/uvm/main.c
tests_guests_mmu_uvm_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_uvm_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_uvm_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_uvm_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_uvm_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-desc.elf
tests_guests_mmu_desc_elf_SOURCES = tests/mmu/desc/main.c
tests_guests_mmu_desc_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_desc_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_desc_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_desc_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_desc_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-ptwr.elf
tests_guests_mmu_ptwr_elf_SOURCES = tests/mmu/ptwr/main.c
tests_guests_mmu_ptwr_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_ptwr_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_ptwr_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_ptwr_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_ptwr_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-memop.elf
tests_guests_mmu_memop_elf_SOURCES = tests/mmu/memop/main.c
tests_guests_mmu_memop_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_memop_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_memop_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_memop_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_memop_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-pt-writable.elf
tests_guests_mmu_atk_pt_writable_elf_SOURCES = tests/mmu/atk-pt-writable/main.c
tests_guests_mmu_atk_pt_writable_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_pt_writable_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_pt_writable_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_pt_writable_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_pt_writable_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

MMU_TESTS = \
	tests/mmu/update.test \
	tests/mmu/ext.test \
	tests/mmu/uvm.test \
	tests/mmu/desc.test \
	tests/mmu/ptwr.test \
	tests/mmu/memop.test \
	tests/mmu/atk-pt-writable.test
TESTS += $(MMU_TESTS)
dist_noinst_SCRIPTS += $(MMU_TESTS)
