# tests/interdom: inter-domain tests (issue 5): event channels between
# boot-time domains, a front/back ring pair over grants, inter-domain
# attacks, and the inter-domain benchmarks. Included from Makefile.am.
#
# Guests: tests/interdom/NAME/main.c + libidom.a + libpvguest.a ->
# tests/interdom/NAME.elf, booted several times as different domains
# (role=... on the module command line) by tests/interdom/NAME.test.
# Inter-domain cases run on Pavise only (Xen x86 has no boot-time domUs);
# the single-domain cases are in the "self" guest, which
# tests/interdom/self.test runs on Xen 4.17 and Pavise and compares.

noinst_LIBRARIES += tests/interdom/libidom.a
tests_interdom_libidom_a_SOURCES = tests/interdom/lib/link.c tests/interdom/lib/gnt.c \
	tests/interdom/lib/idom.h
tests_interdom_libidom_a_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_interdom_libidom_a_CFLAGS = $(GUEST_C_FLAGS)

IDOM_GUEST_LIBS = tests/interdom/libidom.a pvabi/guest/libpvguest.a
IDOM_GUEST_DEPS = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/interdom/evtchn.elf
tests_interdom_evtchn_elf_SOURCES = tests/interdom/evtchn/main.c
tests_interdom_evtchn_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_interdom_evtchn_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_interdom_evtchn_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_interdom_evtchn_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_interdom_evtchn_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

noinst_PROGRAMS += tests/interdom/pair.elf
tests_interdom_pair_elf_SOURCES = tests/interdom/pair/main.c tests/interdom/pair/proto.h
tests_interdom_pair_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_interdom_pair_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_interdom_pair_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_interdom_pair_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_interdom_pair_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

noinst_PROGRAMS += tests/interdom/attack.elf
tests_interdom_attack_elf_SOURCES = tests/interdom/attack/main.c
tests_interdom_attack_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_interdom_attack_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_interdom_attack_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_interdom_attack_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_interdom_attack_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

noinst_PROGRAMS += tests/interdom/abuse.elf
tests_interdom_abuse_elf_SOURCES = tests/interdom/abuse/main.c
tests_interdom_abuse_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_interdom_abuse_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_interdom_abuse_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_interdom_abuse_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_interdom_abuse_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

noinst_PROGRAMS += tests/interdom/bench.elf
tests_interdom_bench_elf_SOURCES = tests/interdom/bench/main.c
tests_interdom_bench_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_interdom_bench_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_interdom_bench_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_interdom_bench_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_interdom_bench_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

# Single-domain cases: where tests/harness/guesttest looks for guests.
noinst_PROGRAMS += tests/guests/interdom-self.elf
tests_guests_interdom_self_elf_SOURCES = tests/interdom/self/main.c
tests_guests_interdom_self_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_interdom_self_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_interdom_self_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_interdom_self_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_guests_interdom_self_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

noinst_PROGRAMS += tests/guests/interdom-pirq.elf
tests_guests_interdom_pirq_elf_SOURCES = tests/interdom/pirq/main.c
tests_guests_interdom_pirq_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_interdom_pirq_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_interdom_pirq_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_interdom_pirq_elf_LDADD = $(IDOM_GUEST_LIBS)
EXTRA_tests_guests_interdom_pirq_elf_DEPENDENCIES = $(IDOM_GUEST_DEPS)

INTERDOM_TESTS = \
	tests/interdom/self.test \
	tests/interdom/evtchn.test \
	tests/interdom/pair.test \
	tests/interdom/attack.test \
	tests/interdom/abuse.test \
	tests/interdom/pirq.test
TESTS += $(INTERDOM_TESTS)
dist_noinst_SCRIPTS += $(INTERDOM_TESTS) tests/interdom/lib.sh
EXTRA_DIST += tests/interdom/evtchn.checks tests/interdom/pair.checks tests/interdom/attack.checks \
	tests/interdom/abuse.checks \
	tests/interdom/bench.sh tests/interdom/README.md

# Not part of make check: figures between domUs on Pavise, and in dom0 on
# Pavise and Xen 4.17 side by side (tests/interdom/bench.sh).
BENCH_TARGETS += bench-interdom
bench-interdom: tests/interdom/bench.elf tests/interdom/pair.elf hypervisor/pavise
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(srcdir)/tests/interdom/bench.sh
