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
