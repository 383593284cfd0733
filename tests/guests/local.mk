# tests/guests: rules for this component (included from the top-level Makefile.am).
#
# One PV test guest per ABI area: tests/guests/NAME/main.c linked with
# pvabi/guest/libpvguest.a into tests/guests/NAME.elf, and a
# tests/guests/NAME.test that runs it through tests/harness/guesttest (on
# Xen 4.17 always; on Pavise too once NAME is listed in
# tests/guests/pavise-ready, which the hypervisor's owner maintains).

noinst_PROGRAMS += tests/guests/hello.elf
tests_guests_hello_elf_SOURCES = tests/guests/hello/main.c
tests_guests_hello_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_hello_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_hello_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_hello_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_hello_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/hypercall-args.elf
tests_guests_hypercall_args_elf_SOURCES = tests/guests/hypercall-args/main.c
tests_guests_hypercall_args_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_hypercall_args_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_hypercall_args_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_hypercall_args_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_hypercall_args_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/traps.elf
tests_guests_traps_elf_SOURCES = tests/guests/traps/main.c
tests_guests_traps_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_traps_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_traps_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_traps_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_traps_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/timers-events.elf
tests_guests_timers_events_elf_SOURCES = tests/guests/timers-events/main.c
tests_guests_timers_events_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_timers_events_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_timers_events_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_timers_events_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_timers_events_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/time.elf
tests_guests_time_elf_SOURCES = tests/guests/time/main.c
tests_guests_time_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_time_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_time_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_time_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_time_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/cpuid-msr.elf
tests_guests_cpuid_msr_elf_SOURCES = tests/guests/cpuid-msr/main.c
tests_guests_cpuid_msr_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_cpuid_msr_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_cpuid_msr_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_cpuid_msr_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_cpuid_msr_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/smp-ipi.elf
tests_guests_smp_ipi_elf_SOURCES = tests/guests/smp-ipi/main.c
tests_guests_smp_ipi_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_smp_ipi_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_smp_ipi_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_smp_ipi_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_smp_ipi_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/hostile.elf
tests_guests_hostile_elf_SOURCES = tests/guests/hostile/main.c
tests_guests_hostile_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_hostile_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_hostile_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_hostile_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_hostile_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/mca.elf
tests_guests_mca_elf_SOURCES = tests/guests/mca/main.c
tests_guests_mca_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_mca_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_mca_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_mca_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_mca_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/evtchn-fifo.elf
tests_guests_evtchn_fifo_elf_SOURCES = tests/guests/evtchn-fifo/main.c
tests_guests_evtchn_fifo_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_evtchn_fifo_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_evtchn_fifo_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_evtchn_fifo_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_evtchn_fifo_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/vcpu-ops.elf
tests_guests_vcpu_ops_elf_SOURCES = tests/guests/vcpu-ops/main.c
tests_guests_vcpu_ops_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_vcpu_ops_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_vcpu_ops_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_vcpu_ops_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_vcpu_ops_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/nmi.elf
tests_guests_nmi_elf_SOURCES = tests/guests/nmi/main.c
tests_guests_nmi_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_nmi_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_nmi_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_nmi_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_nmi_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

noinst_PROGRAMS += tests/guests/review.elf
tests_guests_review_elf_SOURCES = tests/guests/review/main.c
tests_guests_review_elf_CPPFLAGS = $(GUEST_CPP_FLAGS)
tests_guests_review_elf_CFLAGS = $(GUEST_C_FLAGS)
tests_guests_review_elf_LDFLAGS = $(GUEST_LD_FLAGS)
tests_guests_review_elf_LDADD = pvabi/guest/libpvguest.a
EXTRA_tests_guests_review_elf_DEPENDENCIES = $(srcdir)/pvabi/guest/guest.lds

GUEST_TESTS = \
	tests/guests/hello.test \
	tests/guests/hypercall-args.test \
	tests/guests/traps.test \
	tests/guests/timers-events.test \
	tests/guests/time.test \
	tests/guests/cpuid-msr.test \
	tests/guests/smp-ipi.test \
	tests/guests/hostile.test \
	tests/guests/mca.test \
	tests/guests/vcpu-ops.test \
	tests/guests/evtchn-fifo.test \
	tests/guests/nmi.test
GUEST_TESTS += tests/guests/review.test
TESTS += $(GUEST_TESTS)
dist_noinst_SCRIPTS += $(GUEST_TESTS) tests/harness/guesttest
EXTRA_DIST += tests/guests/pavise-ready tests/guests/README.md
