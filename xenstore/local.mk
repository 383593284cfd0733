# xenstore: pvstored, the xenstore daemon (included from the top-level Makefile.am).
#
#   xenstore/pvstored          the daemon
#   tests/xenstore/*           Check unit tests, interop tests with Debian's
#                              xenstore-utils and libxenstore, robustness test
#   make bench-xenstore        figures (part of `make bench`)
#   make fuzz-xenstore         libFuzzer over the message parser (part of `make fuzz`)

XS_CFLAGS = $(HOST_WARN_CFLAGS) -std=gnu11 -O2 -g

# Everything but main(): linked into the daemon, the unit tests and the fuzzer.
XS_CORE_SRC = \
	xenstore/check.c \
	xenstore/conn.c \
	xenstore/control.c \
	xenstore/daemon.c \
	xenstore/domain.c \
	xenstore/htab.c \
	xenstore/ops_domain.c \
	xenstore/ops_node.c \
	xenstore/ops_path.c \
	xenstore/ops_txn.c \
	xenstore/ops_watch.c \
	xenstore/perms.c \
	xenstore/quota.c \
	xenstore/ring.c \
	xenstore/ring_shm.c \
	xenstore/store.c \
	xenstore/txn.c \
	xenstore/view.c \
	xenstore/watch.c \
	xenstore/wire.c

PVSTORED_H = \
	xenstore/conn.h xenstore/daemon.h xenstore/domain.h xenstore/htab.h \
	xenstore/ops.h xenstore/perms.h xenstore/quota.h xenstore/ring.h \
	xenstore/store.h xenstore/transport_unix.h xenstore/txn.h xenstore/view.h \
	xenstore/watch.h xenstore/wire.h

noinst_LIBRARIES += xenstore/libpvstored.a
xenstore_libpvstored_a_SOURCES = $(XS_CORE_SRC) $(PVSTORED_H)
xenstore_libpvstored_a_CFLAGS = $(XS_CFLAGS)

noinst_PROGRAMS += xenstore/pvstored
xenstore_pvstored_SOURCES = xenstore/main.c xenstore/transport_unix.c xenstore/ring_xen.c
xenstore_pvstored_CFLAGS = $(XS_CFLAGS) $(XENCTRL_CFLAGS)
xenstore_pvstored_LDADD = xenstore/libpvstored.a $(EV_LIBS) $(XENCTRL_LIBS)

EXTRA_DIST += xenstore/README.md

# ---------------------------------------------------------------- unit tests
XS_TEST_CPPFLAGS = -I$(srcdir)/xenstore -I$(srcdir)/tests/xenstore
XS_TEST_CFLAGS = $(XS_CFLAGS) $(CHECK_CFLAGS)
XS_TEST_LDADD = xenstore/libpvstored.a $(EV_LIBS) $(CHECK_LIBS)
XS_UNIT_TESTS = tests/xenstore/test_xs_tree tests/xenstore/test_xs_perms tests/xenstore/test_xs_txn tests/xenstore/test_xs_watch tests/xenstore/test_xs_quota tests/xenstore/test_xs_ring tests/xenstore/test_xs_xen

check_PROGRAMS += $(XS_UNIT_TESTS)
tests_xenstore_test_xs_tree_SOURCES = tests/xenstore/test_xs_tree.c tests/xenstore/harness.c tests/xenstore/harness.h tests/xenstore/test_main.h
tests_xenstore_test_xs_tree_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_tree_CFLAGS = $(XS_TEST_CFLAGS)
tests_xenstore_test_xs_tree_LDADD = $(XS_TEST_LDADD)
tests_xenstore_test_xs_perms_SOURCES = tests/xenstore/test_xs_perms.c tests/xenstore/harness.c tests/xenstore/harness.h tests/xenstore/test_main.h
tests_xenstore_test_xs_perms_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_perms_CFLAGS = $(XS_TEST_CFLAGS)
tests_xenstore_test_xs_perms_LDADD = $(XS_TEST_LDADD)
tests_xenstore_test_xs_txn_SOURCES = tests/xenstore/test_xs_txn.c tests/xenstore/harness.c tests/xenstore/harness.h tests/xenstore/test_main.h
tests_xenstore_test_xs_txn_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_txn_CFLAGS = $(XS_TEST_CFLAGS)
tests_xenstore_test_xs_txn_LDADD = $(XS_TEST_LDADD)
tests_xenstore_test_xs_watch_SOURCES = tests/xenstore/test_xs_watch.c tests/xenstore/harness.c tests/xenstore/harness.h tests/xenstore/test_main.h
tests_xenstore_test_xs_watch_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_watch_CFLAGS = $(XS_TEST_CFLAGS)
tests_xenstore_test_xs_watch_LDADD = $(XS_TEST_LDADD)
tests_xenstore_test_xs_quota_SOURCES = tests/xenstore/test_xs_quota.c tests/xenstore/harness.c tests/xenstore/harness.h tests/xenstore/test_main.h
tests_xenstore_test_xs_quota_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_quota_CFLAGS = $(XS_TEST_CFLAGS)
tests_xenstore_test_xs_quota_LDADD = $(XS_TEST_LDADD)
tests_xenstore_test_xs_ring_SOURCES = tests/xenstore/test_xs_ring.c tests/xenstore/harness.c tests/xenstore/harness.h tests/xenstore/test_main.h
tests_xenstore_test_xs_ring_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_ring_CFLAGS = $(XS_TEST_CFLAGS)
tests_xenstore_test_xs_ring_LDADD = $(XS_TEST_LDADD)
# The dom0 backend against fake Xen libraries (no real Xen needed).
tests_xenstore_test_xs_xen_SOURCES = tests/xenstore/test_xs_xen.c tests/xenstore/harness.c \
	tests/xenstore/harness.h tests/xenstore/test_main.h xenstore/ring_xen.c \
	tests/xenstore/fake_xenlibs.c tests/xenstore/fake_xenlibs.h
tests_xenstore_test_xs_xen_CPPFLAGS = $(XS_TEST_CPPFLAGS)
tests_xenstore_test_xs_xen_CFLAGS = $(XS_TEST_CFLAGS) $(XENCTRL_CFLAGS)
tests_xenstore_test_xs_xen_LDADD = $(XS_TEST_LDADD)

TESTS += $(XS_UNIT_TESTS)

# ---------------------------------------------------------------- interop tests
# Debian's own clients against a pvstored on a private socket.
check_PROGRAMS += tests/xenstore/libxs_client tests/xenstore/xs_hostile tests/xenstore/xs_ringguest
tests_xenstore_libxs_client_SOURCES = tests/xenstore/libxs_client.c
tests_xenstore_libxs_client_CFLAGS = $(XS_CFLAGS) $(XENSTORE_CFLAGS)
tests_xenstore_libxs_client_LDADD = $(XENSTORE_LIBS)
tests_xenstore_xs_hostile_SOURCES = tests/xenstore/xs_hostile.c
tests_xenstore_xs_hostile_CFLAGS = $(XS_CFLAGS) $(XENSTORE_CFLAGS)
tests_xenstore_xs_hostile_LDADD = $(XENSTORE_LIBS)
tests_xenstore_xs_ringguest_SOURCES = tests/xenstore/xs_ringguest.c
tests_xenstore_xs_ringguest_CFLAGS = $(XS_CFLAGS) $(XENSTORE_CFLAGS)
tests_xenstore_xs_ringguest_LDADD = $(XENSTORE_LIBS)

XS_SCRIPT_TESTS = tests/xenstore/utils.test tests/xenstore/libxs.test tests/xenstore/ring.test \
	tests/xenstore/xentest.test \
	tests/xenstore/hostile.test
TESTS += $(XS_SCRIPT_TESTS)
dist_noinst_SCRIPTS += $(XS_SCRIPT_TESTS) tests/xenstore/lib.sh

# ---------------------------------------------------------------- bench
check_PROGRAMS += tests/xenstore/xs_bench
tests_xenstore_xs_bench_SOURCES = tests/xenstore/xs_bench.c
tests_xenstore_xs_bench_CFLAGS = $(XS_CFLAGS) $(XENSTORE_CFLAGS)
tests_xenstore_xs_bench_LDADD = $(XENSTORE_LIBS)
EXTRA_DIST += tests/xenstore/bench.sh

BENCH_TARGETS += bench-xenstore
bench-xenstore: xenstore/pvstored tests/xenstore/xs_bench
	@top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(srcdir)/tests/xenstore/bench.sh

# ---------------------------------------------------------------- fuzz
# libFuzzer (clang-14, libclang-rt-14-dev) over the whole request path,
# with ASan and UBSan; not part of `make` or `make check`.
XS_FUZZ_SECONDS = 60
XS_FUZZ_CC = clang-14
EXTRA_DIST += tests/xenstore/fuzz_xs.c tests/xenstore/fuzz_xs.dict
FUZZ_TARGETS += fuzz-xenstore
fuzz-xenstore:
	@mkdir -p xenstore/fuzz/corpus
	$(AM_V_CCLD)$(XS_FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined -I$(srcdir)/xenstore \
	  $(addprefix $(srcdir)/,$(XS_CORE_SRC)) $(srcdir)/tests/xenstore/fuzz_xs.c \
	  $(EV_LIBS) -o xenstore/fuzz/fuzz_xs
	xenstore/fuzz/fuzz_xs -max_total_time=$(XS_FUZZ_SECONDS) -max_len=8192 \
	  -dict=$(srcdir)/tests/xenstore/fuzz_xs.dict -print_final_stats=1 \
	  -artifact_prefix=xenstore/fuzz/ \
	  xenstore/fuzz/corpus
