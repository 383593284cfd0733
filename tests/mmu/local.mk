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

noinst_PROGRAMS += tests/guests/mmu-atk-foreign-frame.elf
tests_guests_mmu_atk_foreign_frame_elf_SOURCES = tests/mmu/atk-foreign-frame/main.c
tests_guests_mmu_atk_foreign_frame_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_foreign_frame_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_foreign_frame_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_foreign_frame_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_foreign_frame_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-hv-memory.elf
tests_guests_mmu_atk_hv_memory_elf_SOURCES = tests/mmu/atk-hv-memory/main.c
tests_guests_mmu_atk_hv_memory_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_hv_memory_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_hv_memory_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_hv_memory_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_hv_memory_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-superpage.elf
tests_guests_mmu_atk_superpage_elf_SOURCES = tests/mmu/atk-superpage/main.c
tests_guests_mmu_atk_superpage_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_superpage_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_superpage_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_superpage_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_superpage_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-l4-hvslots.elf
tests_guests_mmu_atk_l4_hvslots_elf_SOURCES = tests/mmu/atk-l4-hvslots/main.c
tests_guests_mmu_atk_l4_hvslots_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_l4_hvslots_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_l4_hvslots_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_l4_hvslots_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_l4_hvslots_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-pin-wrong-type.elf
tests_guests_mmu_atk_pin_wrong_type_elf_SOURCES = tests/mmu/atk-pin-wrong-type/main.c
tests_guests_mmu_atk_pin_wrong_type_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_pin_wrong_type_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_pin_wrong_type_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_pin_wrong_type_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_pin_wrong_type_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-release-mapped.elf
tests_guests_mmu_atk_release_mapped_elf_SOURCES = tests/mmu/atk-release-mapped/main.c
tests_guests_mmu_atk_release_mapped_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_release_mapped_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_release_mapped_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_release_mapped_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_release_mapped_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-callgate.elf
tests_guests_mmu_atk_callgate_elf_SOURCES = tests/mmu/atk-callgate/main.c
tests_guests_mmu_atk_callgate_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_callgate_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_callgate_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_callgate_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_callgate_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-dpl0-code.elf
tests_guests_mmu_atk_dpl0_code_elf_SOURCES = tests/mmu/atk-dpl0-code/main.c
tests_guests_mmu_atk_dpl0_code_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_dpl0_code_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_dpl0_code_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_dpl0_code_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_dpl0_code_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-foreign-dom.elf
tests_guests_mmu_atk_foreign_dom_elf_SOURCES = tests/mmu/atk-foreign-dom/main.c
tests_guests_mmu_atk_foreign_dom_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_foreign_dom_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_foreign_dom_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_foreign_dom_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_foreign_dom_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-race-pin.elf
tests_guests_mmu_atk_race_pin_elf_SOURCES = tests/mmu/atk-race-pin/main.c
tests_guests_mmu_atk_race_pin_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_race_pin_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_race_pin_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_race_pin_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_race_pin_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-linear.elf
tests_guests_mmu_atk_linear_elf_SOURCES = tests/mmu/atk-linear/main.c
tests_guests_mmu_atk_linear_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_linear_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_linear_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_linear_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_linear_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-atk-pte-bits.elf
tests_guests_mmu_atk_pte_bits_elf_SOURCES = tests/mmu/atk-pte-bits/main.c
tests_guests_mmu_atk_pte_bits_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_atk_pte_bits_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_atk_pte_bits_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_atk_pte_bits_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_atk_pte_bits_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-fuzz.elf
tests_guests_mmu_fuzz_elf_SOURCES = tests/mmu/fuzz/main.c
tests_guests_mmu_fuzz_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_fuzz_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_fuzz_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_fuzz_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_fuzz_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-bench.elf
tests_guests_mmu_bench_elf_SOURCES = tests/mmu/bench/main.c
tests_guests_mmu_bench_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_bench_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_bench_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_bench_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_bench_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/mmu-review2.elf
tests_guests_mmu_review2_elf_SOURCES = tests/mmu/review2/main.c
tests_guests_mmu_review2_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_review2_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_review2_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_review2_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_review2_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

# A hostile kernel image for the domain builder (review2-builder.test).
noinst_PROGRAMS += tests/guests/mmu-review2-p2m.elf
tests_guests_mmu_review2_p2m_elf_SOURCES = tests/mmu/review2/p2m_cross.S
tests_guests_mmu_review2_p2m_elf_CCASFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_review2_p2m_elf_LDFLAGS = -nostdlib -static -no-pie -Wl,-Ttext-segment=0x40100000 \
	-Wl,--build-id=none -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack
noinst_PROGRAMS += tests/guests/mmu-review2-bss.elf
tests_guests_mmu_review2_bss_elf_SOURCES = tests/mmu/review2/p2m_cross.S
tests_guests_mmu_review2_bss_elf_CCASFLAGS = $(GUEST_CPP_FLAGS) -DHUGE_BSS
tests_guests_mmu_review2_bss_elf_LDFLAGS = $(tests_guests_mmu_review2_p2m_elf_LDFLAGS)

noinst_PROGRAMS += tests/guests/mmu-ldt.elf
tests_guests_mmu_ldt_elf_SOURCES = tests/mmu/ldt/main.c
tests_guests_mmu_ldt_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mmu_ldt_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mmu_ldt_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mmu_ldt_elf_LDADD = $(MMU_GUEST_LIBS)
EXTRA_tests_guests_mmu_ldt_elf_DEPENDENCIES = $(MMU_GUEST_DEPS)

MMU_TESTS = \
	tests/mmu/update.test \
	tests/mmu/ext.test \
	tests/mmu/uvm.test \
	tests/mmu/desc.test \
	tests/mmu/ldt.test \
	tests/mmu/ptwr.test \
	tests/mmu/memop.test \
	tests/mmu/atk-pt-writable.test \
	tests/mmu/atk-foreign-frame.test \
	tests/mmu/atk-hv-memory.test \
	tests/mmu/atk-superpage.test \
	tests/mmu/atk-l4-hvslots.test \
	tests/mmu/atk-pin-wrong-type.test \
	tests/mmu/atk-release-mapped.test \
	tests/mmu/atk-callgate.test \
	tests/mmu/atk-dpl0-code.test \
	tests/mmu/atk-foreign-dom.test \
	tests/mmu/atk-race-pin.test \
	tests/mmu/atk-linear.test \
	tests/mmu/atk-pte-bits.test \
	tests/mmu/review2.test \
	tests/mmu/review2-builder.test \
	tests/mmu/review2-dying.test \
	tests/mmu/fuzz.test
TESTS += $(MMU_TESTS)
dist_noinst_SCRIPTS += $(MMU_TESTS) tests/mmu/fuzz.sh tests/mmu/bench.sh
EXTRA_DIST += tests/mmu/README.md

# make bench: mmu_update batch throughput and update_va_mapping cost (and a
# few more), Xen 4.17 against Pavise.
BENCH_TARGETS += bench-mmu
bench-mmu: tests/guests/mmu-bench.elf hypervisor/pavise
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(srcdir)/tests/mmu/bench.sh

# make fuzz: the long, two-vCPU fuzz run, on Pavise with the page-type
# audit (MMU_FUZZ_SECS, MMU_FUZZ_SEED, MMU_FUZZ_KEEP: see fuzz.sh).
FUZZ_TARGETS += fuzz-mmu
fuzz-mmu: tests/guests/mmu-fuzz.elf hypervisor/pavise
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(srcdir)/tests/mmu/fuzz.sh

# ---------------------------------------------------------------- unit tests
# The page-type state machine: hypervisor/arch/x86/pv/pagetype.c and
# linear_pt.c compiled unchanged for the host against a fake machine (tests/unit/fake: its
# asm/page.h shim comes first on the include path and sends __va/__pa into
# a heap array).
PAGETYPE_UNIT_CPPFLAGS = -DPAVISE_HOST_TEST -I$(srcdir)/tests/unit/fake -I$(srcdir)/tests/unit \
	-I$(srcdir)/hypervisor/include -I$(srcdir)/hypervisor/arch/x86/include -I$(srcdir)/pvabi/include
PAGETYPE_UNIT_SOURCES = tests/unit/fake/fake_mm.c tests/unit/fake/fake_mm.h \
	tests/unit/fake/asm/page.h hypervisor/arch/x86/pv/pagetype.c \
	hypervisor/arch/x86/pv/linear_pt.c hypervisor/arch/x86/pv/pagetable.h

check_PROGRAMS += tests/unit/test_pagetype
tests_unit_test_pagetype_SOURCES = tests/unit/test_pagetype.c $(PAGETYPE_UNIT_SOURCES)
tests_unit_test_pagetype_CPPFLAGS = $(PAGETYPE_UNIT_CPPFLAGS)
tests_unit_test_pagetype_CFLAGS = $(UNITCFLAGS)
tests_unit_test_pagetype_LDADD = $(UNITLIBS)

check_PROGRAMS += tests/unit/test_pagetype_tables
tests_unit_test_pagetype_tables_SOURCES = tests/unit/test_pagetype_tables.c $(PAGETYPE_UNIT_SOURCES)
tests_unit_test_pagetype_tables_CPPFLAGS = $(PAGETYPE_UNIT_CPPFLAGS)
tests_unit_test_pagetype_tables_CFLAGS = $(UNITCFLAGS) -pthread
tests_unit_test_pagetype_tables_LDADD = $(UNITLIBS) -lpthread

check_PROGRAMS += tests/unit/test_pagetype_linear
tests_unit_test_pagetype_linear_SOURCES = tests/unit/test_pagetype_linear.c $(PAGETYPE_UNIT_SOURCES)
tests_unit_test_pagetype_linear_CPPFLAGS = $(PAGETYPE_UNIT_CPPFLAGS)
tests_unit_test_pagetype_linear_CFLAGS = $(UNITCFLAGS) -pthread
tests_unit_test_pagetype_linear_LDADD = $(UNITLIBS) -lpthread

TESTS += tests/unit/test_pagetype tests/unit/test_pagetype_tables tests/unit/test_pagetype_linear
