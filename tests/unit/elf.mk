# ELF loader, Xen ELF notes and bzImage/XZ unit tests (included from Makefile.am).
#
# The sources under hypervisor/common/elf/ are built three ways: into a
# freestanding archive with the hypervisor's own flags (so they stay fit for
# the image), into the Check tests, and into the libFuzzer target.

KIMAGE_SRC = \
	hypervisor/common/elf/kimage_err.c \
	hypervisor/common/elf/elf_parse.c \
	hypervisor/common/elf/elf_notes.c \
	hypervisor/common/elf/elf_xen.c \
	hypervisor/common/elf/elf_load.c \
	hypervisor/common/elf/bzimage.c \
	hypervisor/common/elf/xz_stream.c \
	hypervisor/common/elf/xz_lzma2.c \
	hypervisor/common/elf/xz_bcj.c \
	hypervisor/common/elf/xz_crc.c \
	hypervisor/common/elf/xz_sha256.c
KIMAGE_HDRS = \
	hypervisor/common/elf/kimage.h \
	hypervisor/common/elf/elf_xen.h \
	hypervisor/common/elf/xz_private.h \
	hypervisor/include/pavise/elf.h \
	hypervisor/include/pavise/xz.h \
	hypervisor/include/pavise/bzimage.h

# Freestanding build check: exactly the hypervisor image's flags.
noinst_LIBRARIES += hypervisor/common/elf/libkimage.a
hypervisor_common_elf_libkimage_a_SOURCES = $(KIMAGE_SRC) $(KIMAGE_HDRS)
hypervisor_common_elf_libkimage_a_CPPFLAGS = $(HVCPPFLAGS)
hypervisor_common_elf_libkimage_a_CFLAGS = $(HVCFLAGS)

# ---------------------------------------------------------------- Check tests
check_PROGRAMS += tests/unit/test_elf tests/unit/test_xz
tests_unit_test_elf_SOURCES = tests/unit/test_elf.c tests/unit/test_elf_build.c tests/unit/test_elf_build.h \
	$(KIMAGE_SRC) $(KIMAGE_HDRS) hypervisor/common/vsnprintf.c
tests_unit_test_elf_CPPFLAGS = $(UNITCPPFLAGS)
tests_unit_test_elf_CFLAGS = $(UNITCFLAGS)
tests_unit_test_elf_LDADD = $(UNITLIBS)
tests_unit_test_xz_SOURCES = tests/unit/test_xz.c $(KIMAGE_SRC) $(KIMAGE_HDRS) hypervisor/common/vsnprintf.c
tests_unit_test_xz_CPPFLAGS = $(UNITCPPFLAGS)
tests_unit_test_xz_CFLAGS = $(UNITCFLAGS)
tests_unit_test_xz_LDADD = $(UNITLIBS)
TESTS += tests/unit/test_elf tests/unit/test_xz

# A real linker's output for test_elf: a tiny PV guest with Xen notes.
tests/unit/data/xenguest.elf: $(srcdir)/tests/unit/data/xenguest.S $(srcdir)/tests/unit/data/xenguest.lds
	$(AM_V_GEN)mkdir -p tests/unit/data && \
	$(CC) -nostdlib -static -no-pie -Wl,-T,$(srcdir)/tests/unit/data/xenguest.lds -Wl,--build-id=none \
	  -Wl,--no-warn-rwx-segments -o $@ $(srcdir)/tests/unit/data/xenguest.S
EXTRA_tests_unit_test_elf_DEPENDENCIES = tests/unit/data/xenguest.elf
CLEANFILES += tests/unit/data/xenguest.elf
EXTRA_DIST += tests/unit/data/xenguest.S tests/unit/data/xenguest.lds

# ---------------------------------------------------------------- fuzzing
# `make fuzz-elf` (or `make fuzz`): libFuzzer with ASan and UBSan over
# elf_parse/elf_load, bzimage_probe and xz_decode, for FUZZ_ELF_SECONDS,
# seeded with the toolchain-built guest and .xz streams of it.
FUZZ_CLANG = clang-14
FUZZ_ELF_SECONDS = 60
FUZZ_TARGETS += fuzz-elf
EXTRA_DIST += tests/unit/fuzz_elf.c
CLEANFILES += tests/unit/fuzz_elf

tests/unit/fuzz_elf: $(srcdir)/tests/unit/fuzz_elf.c $(KIMAGE_SRC) $(KIMAGE_HDRS)
	$(AM_V_GEN)mkdir -p tests/unit && out=`pwd`/$@ && cd $(srcdir) && \
	$(FUZZ_CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -DPAVISE_HOST_TEST -Ihypervisor/include -o $$out tests/unit/fuzz_elf.c $(KIMAGE_SRC) \
	  hypervisor/common/vsnprintf.c

fuzz-elf: tests/unit/fuzz_elf tests/unit/data/xenguest.elf
	@rm -rf tests/unit/fuzz-elf-seeds && mkdir -p tests/unit/fuzz-elf-seeds tests/unit/fuzz-elf-corpus
	@cp tests/unit/data/xenguest.elf tests/unit/fuzz-elf-seeds/
	@xz -c --check=crc32 --x86 --lzma2 tests/unit/data/xenguest.elf > tests/unit/fuzz-elf-seeds/guest-bcj.xz
	@xz -c --check=sha256 -0 tests/unit/data/xenguest.elf > tests/unit/fuzz-elf-seeds/guest-sha.xz
	@xz -c --check=crc64 --block-size=4096 -T1 tests/unit/data/xenguest.elf > tests/unit/fuzz-elf-seeds/guest-blocks.xz
	tests/unit/fuzz_elf -max_total_time=$(FUZZ_ELF_SECONDS) -max_len=65536 -timeout=10 \
	  -rss_limit_mb=2048 -print_final_stats=1 tests/unit/fuzz-elf-corpus tests/unit/fuzz-elf-seeds
