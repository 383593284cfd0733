# tests/bench: benchmarks of the PV core that run the same guest on Xen 4.17
# and on Pavise under the same QEMU and print both with the ratio
# (make bench-core; part of make bench, never of make check).

noinst_PROGRAMS += tests/bench/core.elf
tests_bench_core_elf_SOURCES = tests/bench/core/main.c
tests_bench_core_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_bench_core_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_bench_core_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_bench_core_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_bench_core_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

EXTRA_DIST += tests/bench/core.sh
BENCH_TARGETS += bench-core
bench-core: tests/bench/core.elf hypervisor/pavise
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) \
	    $(SHELL) $(srcdir)/tests/bench/core.sh
