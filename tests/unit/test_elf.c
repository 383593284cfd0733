/* ELF64 kernel images: parsing, Xen notes, derived addresses, refusals, loading. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <pavise/elf.h>
#include "test_elf_build.h"

#define BUFSZ   (1u << 21)

static uint8_t img[BUFSZ];
static char err[256];
static struct elf_info info;
static struct tb_spec spec;
static struct tb_layout lay;

static size_t build(void)
{
    return tb_build(&spec, img, sizeof(img), &lay);
}

static int parse_len(size_t len)
{
    memset(err, 'x', sizeof(err));
    return elf_parse(img, len, &info, err, sizeof(err));
}

static int parse(void)
{
    return parse_len(build());
}

/* The image must be refused with -EINVAL and a message containing 'what'. */
static void refused_len(size_t len, const char *what)
{
    int rc = parse_len(len);

    ck_assert_msg(rc == -ELF_EINVAL, "accepted (rc %d), wanted refusal \"%s\"", rc, what);
    ck_assert_msg(strstr(err, what), "message \"%s\" lacks \"%s\"", err, what);
}

static void refused(const char *what)
{
    refused_len(build(), what);
}

static void parsed_ok(void)
{
    int rc = parse();
    ck_assert_msg(rc == 0, "refused: %s", err);
}

static uint8_t *phdr(int i)
{
    return img + lay.phoff + 56 * (size_t)i;
}

/* ------------------------------------------------------------ good images */

START_TEST(linux_like)
{
    tb_linux(&spec);
    parsed_ok();
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(info.nr_loads, 4);
    ck_assert_uint_eq(info.pstart, 0x1000000);
    ck_assert_uint_eq(info.pend, 0x1408000);
    ck_assert_uint_eq(info.virt_base, 0xffffffff80000000);
    ck_assert_uint_eq(info.paddr_offset, 0);
    ck_assert_uint_eq(info.virt_kstart, 0xffffffff81000000);
    ck_assert_uint_eq(info.virt_kend, 0xffffffff81408000);
    ck_assert_uint_eq(info.virt_entry, 0xffffffff814031c0);
    ck_assert_uint_eq(info.e_entry, 0x1000000);
    ck_assert_uint_eq(info.p2m_base, 0x8000000000);
    ck_assert_uint_eq(info.virt_hypercall, ELF_UNSET);
    ck_assert_uint_eq(info.virt_hv_start_low, 0xffff800000000000);
    ck_assert_uint_eq(info.phys_entry, 0x1000850);
    /* FEATURES gives bits 0 and 4, SUPPORTED_FEATURES 0, 11, 15. */
    ck_assert_uint_eq(info.f_supported[0], 0x8811);
    ck_assert_uint_eq(info.f_required[0], 0x1);
    ck_assert_int_eq(info.pae, ELF_PAE_EXTCR3);
    ck_assert(info.unmapped_initrd);
    ck_assert(info.suspend_cancel);
    ck_assert_uint_eq(info.notes.l1_mfn_valid_mask, 1);
    ck_assert_uint_eq(info.notes.l1_mfn_valid_value, 1);
    ck_assert_uint_eq(info.notes.supported_features[0], 0x8801);
    ck_assert_str_eq(info.notes.guest_os, "linux");
    ck_assert_str_eq(info.notes.guest_version, "2.6");
    ck_assert_str_eq(info.notes.xen_version, "xen-3.0");
    ck_assert_str_eq(info.notes.loader, "generic");
    ck_assert_str_eq(info.notes.pae_mode, "yes");
    ck_assert_uint_eq(info.notes.count, 16);
    ck_assert(!info.notes.from_sections);
    ck_assert(!(info.notes.present & (1u << XEN_NOTE_HYPERCALL_PAGE)));
    ck_assert(info.notes.present & (1u << XEN_NOTE_PHYS32_ENTRY));

    /* Placed by p_paddr: the per-CPU segment has p_vaddr 0. */
    ck_assert_uint_eq(info.load[2].vaddr, 0);
    ck_assert_uint_eq(info.load[2].paddr, 0x1402000);
    ck_assert_uint_eq(info.load[2].va, 0xffffffff81402000);
    ck_assert_uint_eq(info.load[3].filesz, 0x1000);
    ck_assert_uint_eq(info.load[3].memsz, 0x5000);
    ck_assert_uint_eq(info.load[3].flags, PF_R | PF_W | PF_X);
    ck_assert_uint_eq(info.load[0].offset, lay.seg_off[0]);

    ck_assert_int_eq(elf_xen_check_role(&info, true, err, sizeof(err)), 0);
    ck_assert_int_eq(elf_xen_check_role(&info, false, err, sizeof(err)), 0);
}
END_TEST

START_TEST(defaults_without_base_notes)
{
    /* No VIRT_BASE/PADDR_OFFSET/ENTRY: VA = paddr, entry = e_entry. */
    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_VIRT_BASE);
    tb_note_del(&spec, XEN_NOTE_PADDR_OFFSET);
    tb_note_del(&spec, XEN_NOTE_ENTRY);
    parsed_ok();
    ck_assert_uint_eq(info.virt_base, 0);
    ck_assert_uint_eq(info.paddr_offset, 0);
    ck_assert_uint_eq(info.virt_kstart, 0x1000000);
    ck_assert_uint_eq(info.virt_kend, 0x1408000);
    ck_assert_uint_eq(info.virt_entry, 0x1000000);
    ck_assert_uint_eq(info.load[1].va, 0x1400000);
}
END_TEST

START_TEST(paddr_offset_moves_kernel)
{
    /* Old-style kernel linked with p_paddr = VA: PADDR_OFFSET = VIRT_BASE. */
    tb_linux(&spec);
    for (int i = 0; i < spec.nseg; i++)
        spec.seg[i].paddr += 0xffffffff80000000;
    tb_note_del(&spec, XEN_NOTE_PADDR_OFFSET);
    tb_note_num(&spec, XEN_NOTE_PADDR_OFFSET, 0xffffffff80000000, 8);
    parsed_ok();
    ck_assert_uint_eq(info.virt_offset, 0);
    ck_assert_uint_eq(info.virt_kstart, 0xffffffff81000000);
    ck_assert_uint_eq(info.load[2].va, 0xffffffff81402000);
}
END_TEST

START_TEST(numeric_note_sizes)
{
    static const struct { uint32_t size; uint64_t v, want; } c[] = {
        { 1, 0x1ff, 0xff }, { 2, 0x12345, 0x2345 }, { 4, 0x123456789, 0x23456789 },
        { 8, 0xffffffff81000000, 0xffffffff81000000 },
    };
    for (unsigned int i = 0; i < 4; i++) {
        tb_linux(&spec);
        tb_note_num(&spec, XEN_NOTE_HV_START_LOW, c[i].v, c[i].size);
        parsed_ok();
        ck_assert_uint_eq(info.virt_hv_start_low, c[i].want);
    }
}
END_TEST

START_TEST(last_note_wins_and_unknown_ignored)
{
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_ENTRY, 0xffffffff81000010, 8);
    tb_note_num(&spec, 0, 1, 8);            /* XEN_ELFNOTE_INFO: not used by Xen */
    tb_note_num(&spec, 99, 1, 3);           /* unknown type, odd size: ignored */
    tb_note_raw(&spec, "GNU", XEN_NOTE_ENTRY, "\1\2\3\4\5\6\7\10", 8);    /* another owner */
    tb_note_raw(&spec, "Xe", XEN_NOTE_ENTRY, "\1\2\3\4\5\6\7\10", 8);
    parsed_ok();
    ck_assert_uint_eq(info.virt_entry, 0xffffffff81000010);
    ck_assert_uint_eq(info.notes.count, 19);
}
END_TEST

START_TEST(pae_modes)
{
    static const struct { const char *s; enum elf_pae want; } c[] = {
        { "yes", ELF_PAE_EXTCR3 }, { "bimodal", ELF_PAE_BIMODAL }, { "yes,bimodal", ELF_PAE_BIMODAL },
        { "no", ELF_PAE_NO }, { "", ELF_PAE_NO },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
        tb_linux(&spec);
        tb_note_del(&spec, XEN_NOTE_PAE_MODE);
        tb_note_str(&spec, XEN_NOTE_PAE_MODE, c[i].s);
        parsed_ok();
        ck_assert_msg(info.pae == c[i].want, "PAE_MODE \"%s\": got %d", c[i].s, info.pae);
    }
}
END_TEST

START_TEST(strings_ended_by_padding)
{
    /* Linux's xen-head.S emits FEATURES with .ascii: descsz 41 and no NUL
     * but the padding's. */
    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_FEATURES);
    tb_note_raw(&spec, "Xen", XEN_NOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb", 41);
    tb_note_raw(&spec, "Xen", XEN_NOTE_GUEST_OS, "linux", 5);
    parsed_ok();
    ck_assert_uint_eq(info.f_required[0], 0x1);
    ck_assert_uint_eq(info.f_supported[0], 0x8811);
    ck_assert_str_eq(info.notes.guest_os, "linux");
}
END_TEST

START_TEST(long_strings_truncated)
{
    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_GUEST_VERSION);
    tb_note_str(&spec, XEN_NOTE_GUEST_VERSION, "0123456789012345678901234567890123456789");
    parsed_ok();
    ck_assert_str_eq(info.notes.guest_version, "0123456789012345678901234567890");
}
END_TEST

START_TEST(features_strings)
{
    uint32_t sup[1], req[1];
    static const struct { const char *s; uint32_t sup, req; } ok[] = {
        { "", 0, 0 },
        { "writable_page_tables", 0x1, 0 },
        { "!writable_page_tables|pae_pgdir_above_4gb", 0x11, 0x1 },
        { "writable_descriptor_tables|auto_translated_physmap|supervisor_mode_kernel", 0xe, 0 },
        { "hvm_callback_vector|!dom0", 0x900, 0x800 },
        { "||dom0|", 0x800, 0 },
        /* Xen 4.17's libelf knows only seven names: others are ignored. */
        { "gnttab_map_avail_bits|mmu_pt_update_preserve_ad|xyz", 0, 0 },
        { "dom0x|dom|DOM0", 0, 0 },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(ok); i++) {
        sup[0] = req[0] = 0;
        ck_assert_int_eq(elf_xen_parse_features(ok[i].s, strlen(ok[i].s), sup, req, err, sizeof(err)), 0);
        ck_assert_msg(sup[0] == ok[i].sup && req[0] == ok[i].req, "\"%s\": %#x/%#x", ok[i].s, sup[0], req[0]);
    }
    sup[0] = req[0] = 0;
    ck_assert_int_eq(elf_xen_parse_features("dom0|!gnttab_map_avail_bits", 27, sup, req, err, sizeof(err)),
                     -ELF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "gnttab_map_avail_bits"));
    ck_assert_int_eq(elf_xen_parse_features("!", 1, sup, req, err, sizeof(err)), -ELF_EINVAL);
    /* Without a required map, '!' entries count as supported only. */
    sup[0] = 0;
    ck_assert_int_eq(elf_xen_parse_features("!dom0|!nonsense", 15, sup, NULL, err, sizeof(err)), 0);
    ck_assert_uint_eq(sup[0], 0x800);
}
END_TEST

START_TEST(section_fallback)
{
    tb_linux(&spec);
    spec.no_note_segment = true;
    parsed_ok();
    ck_assert(info.notes.from_sections);
    ck_assert_uint_eq(info.virt_entry, 0xffffffff814031c0);

    /* Sections are not read when the segments held Xen notes. */
    tb_linux(&spec);
    spec.with_sections = true;
    build();
    tb_put32(img + lay.shoff + 64 + 4, 7);
    tb_put64(img + lay.shoff + 64 + 24, 1u << 30);          /* would be out of the file */
    ck_assert_int_eq(parse_len(lay.len), 0);
    ck_assert(!info.notes.from_sections);
}
END_TEST

START_TEST(note_segment_at_offset_zero_skipped)
{
    tb_linux(&spec);
    spec.with_sections = true;
    build();
    tb_put64(phdr(lay.note_phdr) + 8, 0);
    ck_assert_int_eq(parse_len(lay.len), 0);
    ck_assert(info.notes.from_sections);
}
END_TEST

START_TEST(unloadable_segments_ignored)
{
    tb_linux(&spec);
    spec.seg[spec.nseg++] = (struct tb_seg){ 1, 0, 0x1000000, 0, 0x10, 0x10, 0 };      /* no R/W/X */
    spec.seg[spec.nseg++] = (struct tb_seg){ 0x6474e551, 6, 0, 0, 0, 0, 0 };         /* GNU_STACK */
    parsed_ok();
    ck_assert_uint_eq(info.nr_loads, 4);
    ck_assert_uint_eq(info.pstart, 0x1000000);
}
END_TEST

START_TEST(entry_at_kernel_end_allowed)
{
    /* Xen's bound is inclusive. */
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_ENTRY, 0xffffffff81408000, 8);
    parsed_ok();
}
END_TEST

START_TEST(roles)
{
    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_SUPPORTED_FEATURES);
    tb_note_num(&spec, XEN_NOTE_SUPPORTED_FEATURES, 0x1, 4);
    parsed_ok();
    ck_assert_int_eq(elf_xen_check_role(&info, true, err, sizeof(err)), -ELF_EINVAL);
    ck_assert_str_eq(err, "Kernel does not support Dom0 operation");
    ck_assert_int_eq(elf_xen_check_role(&info, false, err, sizeof(err)), 0);

    /* Without SUPPORTED_FEATURES Xen does not ask for the dom0 bit. */
    tb_note_del(&spec, XEN_NOTE_SUPPORTED_FEATURES);
    parsed_ok();
    ck_assert_int_eq(elf_xen_check_role(&info, true, err, sizeof(err)), 0);

    tb_note_str(&spec, XEN_NOTE_FEATURES, "!dom0");
    parsed_ok();
    ck_assert_int_eq(elf_xen_check_role(&info, true, err, sizeof(err)), 0);
    ck_assert_int_eq(elf_xen_check_role(&info, false, err, sizeof(err)), -ELF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "unprivileged"));

    tb_note_str(&spec, XEN_NOTE_FEATURES, "!supervisor_mode_kernel");
    parsed_ok();
    ck_assert_int_eq(elf_xen_check_role(&info, true, err, sizeof(err)), -ELF_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "supervisor-mode"));
}
END_TEST

START_TEST(hypercall_page)
{
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_HYPERCALL_PAGE, 0xffffffff81001000, 8);
    parsed_ok();
    ck_assert_uint_eq(info.virt_hypercall, 0xffffffff81001000);
    tb_note_num(&spec, XEN_NOTE_HYPERCALL_PAGE, 0xffffffff81407000, 8);       /* last page */
    parsed_ok();
    tb_note_num(&spec, XEN_NOTE_HYPERCALL_PAGE, 0xffffffff81407001, 8);
    refused("HYPERCALL_PAGE");
    tb_note_num(&spec, XEN_NOTE_HYPERCALL_PAGE, 0xffffffff80fff000, 8);
    refused("HYPERCALL_PAGE");
    tb_note_num(&spec, XEN_NOTE_HYPERCALL_PAGE, 0xfffffffffffff000, 8);
    refused("HYPERCALL_PAGE");
}
END_TEST

/* ------------------------------------------------------------ refusals */

START_TEST(refuse_header)
{
    tb_linux(&spec);
    build();
    refused_len(63, "too small");
    refused_len(0, "too small");

    static const struct { size_t off; uint8_t v; const char *what; } c[] = {
        { 0, 0x7e, "bad magic" }, { 3, 'f', "bad magic" }, { 4, 1, "not a 64-bit" }, { 4, 0, "not a 64-bit" },
        { 5, 2, "little-endian" }, { 6, 0, "ELF version" }, { 20, 2, "ELF version" },
        { 16, 3, "not an executable" }, { 16, 1, "not an executable" }, { 18, 3, "x86-64" },
        { 19, 1, "x86-64" }, { 52, 32, "e_ehsize" },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
        build();
        img[c[i].off] = c[i].v;
        refused_len(lay.len, c[i].what);
    }
}
END_TEST

START_TEST(refuse_header_tables)
{
    tb_linux(&spec);
    spec.with_sections = true;

    build();
    tb_put16(img + 56, 0);
    refused_len(lay.len, "no program headers");
    build();
    tb_put16(img + 56, 0xffff);
    refused_len(lay.len, "extended program header numbering");
    build();
    tb_put16(img + 54, 32);
    refused_len(lay.len, "e_phentsize");
    build();
    tb_put16(img + 56, 1000);
    refused_len(lay.len, "program headers");
    build();
    tb_put64(img + 32, UINT64_MAX - 100);       /* offset + size wraps */
    refused_len(lay.len, "program headers");
    build();
    tb_put64(img + 32, lay.len - 56 * 5 + 1);
    refused_len(lay.len, "past the end");
    build();
    tb_put16(img + 58, 40);
    refused_len(lay.len, "e_shentsize");
    build();
    tb_put16(img + 60, 3);
    refused_len(lay.len, "section headers");
    build();
    tb_put64(img + 40, UINT64_MAX - 64);
    refused_len(lay.len, "section headers");
}
END_TEST

START_TEST(refuse_segments)
{
    tb_linux(&spec);
    build();
    tb_put64(phdr(1) + 32, lay.len);                            /* filesz past end */
    tb_put64(phdr(1) + 40, lay.len);
    refused_len(lay.len, "past the end of the file");
    build();
    tb_put64(phdr(1) + 8, UINT64_MAX - 8);                      /* offset wraps */
    refused_len(lay.len, "past the end of the file");
    build();
    tb_put64(phdr(0) + 40, 0x2fff);                             /* memsz < filesz */
    refused_len(lay.len, "exceeds p_memsz");
    build();
    tb_put64(phdr(3) + 24, 0xfffffffffffff000);                 /* paddr wraps */
    refused_len(lay.len, "paddr range");
    build();
    tb_put64(phdr(3) + 16, 0xfffffffffffff000);                 /* vaddr wraps */
    refused_len(lay.len, "vaddr range");
    build();
    tb_put64(phdr(2) + 24, 0x1401ff0);                          /* overlaps data's bss */
    refused_len(lay.len, "overlap");
    build();
    tb_put64(phdr(0) + 24, 0x1406000);                          /* text inside init */
    refused_len(lay.len, "overlap");

    for (int i = 0; i < 4; i++)
        spec.seg[i].type = 6;                                   /* PT_PHDR: none loadable */
    refused("no loadable segments");

    tb_linux(&spec);
    for (int i = 4; i < 17; i++)
        spec.seg[i] = (struct tb_seg){ 1, 4, 0x2000000 + 0x1000 * (uint64_t)i, 0, 0x10, 0x10, 0 };
    spec.nseg = 17;
    refused("more than 16 loadable segments");
}
END_TEST

START_TEST(empty_segments_may_share_addresses)
{
    tb_linux(&spec);
    spec.seg[spec.nseg++] = (struct tb_seg){ 1, 4, 0x1000000, 0, 0, 0, 0 };
    parsed_ok();
    ck_assert_uint_eq(info.nr_loads, 5);
}
END_TEST

START_TEST(refuse_note_structure)
{
    tb_linux(&spec);
    build();
    tb_put64(phdr(lay.note_phdr) + 32, lay.len);
    refused_len(lay.len, "note segment");
    build();
    tb_put64(phdr(lay.note_phdr) + 8, lay.notes_off + 2);
    tb_put64(phdr(lay.note_phdr) + 32, 64);
    refused_len(lay.len, "not 4-byte aligned");
    build();
    tb_put64(phdr(lay.note_phdr) + 32, 8);
    refused_len(lay.len, "truncated note header");
    build();
    tb_put64(phdr(lay.note_phdr) + 32, 20);                     /* first note cut in its desc */
    refused_len(lay.len, "runs past the end");
    build();
    tb_put32(img + lay.note_off[0], 0xffffffff);                /* namesz */
    refused_len(lay.len, "runs past the end");
    build();
    tb_put32(img + lay.note_off[0] + 4, 0xfffffffd);            /* descsz */
    refused_len(lay.len, "runs past the end");
    build();
    tb_put32(img + lay.note_off[spec.nnote - 1] + 4, 0x1000);   /* last note's desc */
    refused_len(lay.len, "runs past the end");

    /* A missing final pad is tolerated ("2.6.x" and its NUL: 6 bytes + 2). */
    tb_note_str(&spec, XEN_NOTE_GUEST_VERSION, "2.6.x");
    build();
    tb_put64(phdr(lay.note_phdr) + 32, lay.notes_len - 2);
    ck_assert_int_eq(parse_len(lay.len), 0);
    ck_assert_str_eq(info.notes.guest_version, "2.6.x");
    tb_put64(phdr(lay.note_phdr) + 32, lay.notes_len - 3);
    refused_len(lay.len, "runs past the end");
}
END_TEST

START_TEST(refuse_note_contents)
{
    tb_linux(&spec);
    tb_note_raw(&spec, "Xen", XEN_NOTE_GUEST_OS, "linuxabc", 8);           /* no NUL, no pad */
    refused("not NUL-terminated");

    /* A NUL only in the padding the area leaves out does not count. */
    tb_linux(&spec);
    tb_note_raw(&spec, "Xen", XEN_NOTE_GUEST_VERSION, "2.6.x", 5);
    build();
    tb_put64(phdr(lay.note_phdr) + 32, lay.notes_len - 3);
    refused_len(lay.len, "not NUL-terminated");

    tb_linux(&spec);
    tb_note_raw(&spec, "Xen", XEN_NOTE_FEATURES, "", 0);
    refused("not NUL-terminated");

    static const uint32_t num_types[] = { 1, 2, 3, 4, 12, 14, 15, 16, 18 };
    for (unsigned int i = 0; i < ARRAY_SIZE(num_types); i++) {
        tb_linux(&spec);
        tb_note_num(&spec, num_types[i], 0, i % 2 ? 3 : 16);
        refused("is not 1, 2, 4 or 8 bytes");
    }
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_L1_MFN_VALID, 1, 8);
    refused("L1_MFN_VALID");
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_SUPPORTED_FEATURES, 1, 6);
    refused("SUPPORTED_FEATURES");
    tb_linux(&spec);
    tb_note_raw(&spec, "Xen", XEN_NOTE_SUPPORTED_FEATURES, "", 0);
    refused("SUPPORTED_FEATURES");
    tb_linux(&spec);
    tb_note_str(&spec, XEN_NOTE_FEATURES, "dom0|!frobnicate");
    refused("frobnicate");
}
END_TEST

START_TEST(refuse_too_many_notes)
{
    /* Xen's limit counts notes of every owner: 16 Xen notes plus n empty
     * foreign ones (12 bytes each) after them in one note segment. */
    static uint8_t big[1u << 20];
    const uint32_t limit = 65536;

    tb_linux(&spec);
    tb_build(&spec, big, sizeof(big), &lay);
    size_t area = (lay.len + 3) & ~(size_t)3;
    memcpy(big + area, big + lay.notes_off, lay.notes_len);
    memset(big + area + lay.notes_len, 0, (limit - 15) * 12);
    uint8_t *ph = big + lay.phoff + 56 * (size_t)lay.note_phdr;
    tb_put64(ph + 8, area);

    for (uint32_t n = limit - 17; n <= limit - 15; n++) {
        size_t size = lay.notes_len + (size_t)n * 12;
        tb_put64(ph + 32, size);
        int rc = elf_parse(big, area + size, &info, err, sizeof(err));
        if (16 + n <= limit) {
            ck_assert_msg(rc == 0, "%u notes: %s", 16 + n, err);
        } else {
            ck_assert_int_eq(rc, -ELF_EINVAL);
            ck_assert_str_eq(err, "more than 65536 ELF notes");
        }
    }
}
END_TEST

START_TEST(refuse_xen_rules)
{
    tb_linux(&spec);
    for (int i = 0; i < spec.nnote; i++)
        spec.note[i].owner = "XEN";
    refused("no Xen ELF notes");

    tb_linux(&spec);
    tb_note_str(&spec, XEN_NOTE_GUEST_OS, "netbsd");
    tb_note_str(&spec, XEN_NOTE_LOADER, "other");
    refused("generic loader or Linux");
    /* Either one is enough. */
    tb_note_str(&spec, XEN_NOTE_LOADER, "generic-ish");
    parsed_ok();

    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_XEN_VERSION);
    refused("Xen v3.0");
    tb_note_str(&spec, XEN_NOTE_XEN_VERSION, "xen-2.0");
    refused("Xen v3.0");
    tb_note_str(&spec, XEN_NOTE_XEN_VERSION, "xen-3.0-x86_64");
    parsed_ok();

    tb_linux(&spec);
    tb_note_str(&spec, XEN_NOTE_BSD_SYMTAB, "yes");
    refused("BSD_SYMTAB");
    tb_note_str(&spec, XEN_NOTE_BSD_SYMTAB, "no");
    parsed_ok();

    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_VIRT_BASE);
    refused("PADDR_OFFSET set, VIRT_BASE unset");
}
END_TEST

START_TEST(refuse_addresses)
{
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_ENTRY, 0xffffffff80fffff0, 8);
    refused("outside the kernel");
    tb_note_num(&spec, XEN_NOTE_ENTRY, 0xffffffff81408001, 8);
    refused("outside the kernel");

    tb_linux(&spec);
    tb_note_del(&spec, XEN_NOTE_ENTRY);
    spec.e_entry = 0x200;
    refused("outside the kernel");

    /* PADDR_OFFSET above pstart puts the kernel below VIRT_BASE. */
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_PADDR_OFFSET, 0x2000000, 8);
    tb_note_num(&spec, XEN_NOTE_ENTRY, 0xffffffff7f000000, 8);
    refused("above the kernel start");

    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_VIRT_BASE, 0xfffffffffec00000, 8);       /* kernel crosses 2^64 */
    refused("wraps around");

    /* Wholly past 2^64: consistent modulo 2^64, caught by the VIRT_BASE rule. */
    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_VIRT_BASE, 0xffffffffff000000, 8);      /* kernel at 0-0x408000 */
    tb_note_num(&spec, XEN_NOTE_ENTRY, 0x3000, 8);
    refused("above the kernel start");

    tb_linux(&spec);
    tb_note_num(&spec, XEN_NOTE_INIT_P2M, 0xffffffff81400000, 8);
    refused("INIT_P2M");
    tb_note_num(&spec, XEN_NOTE_INIT_P2M, 0xffffffff81408000, 8);
    parsed_ok();
}
END_TEST

START_TEST(messages_bounded)
{
    char small[8];

    tb_linux(&spec);
    build();
    img[0] = 0;
    memset(small, 'x', sizeof(small));
    ck_assert_int_eq(elf_parse(img, lay.len, &info, small, sizeof(small)), -ELF_EINVAL);
    ck_assert_uint_eq(strlen(small), 7);
    ck_assert_int_eq(elf_parse(img, lay.len, &info, NULL, 0), -ELF_EINVAL);
    ck_assert_int_eq(elf_parse(NULL, 0, &info, NULL, 0), -ELF_EINVAL);
}
END_TEST

/* ------------------------------------------------------------ loading */

#define GUEST_BASE  0x1000000ull
#define GUEST_SIZE  0x410000ull
#define GUARD       0x1000

static uint8_t mem[GUARD + GUEST_SIZE + GUARD];
static unsigned int map_calls;

/* A flat map that also checks elf_load's promise of frame-sized requests. */
static void *checking_map(void *ctx, uint64_t paddr, size_t len)
{
    map_calls++;
    ck_assert_uint_ge(len, 1);
    ck_assert_uint_eq(paddr >> 12, (paddr + len - 1) >> 12);
    return elf_flat_map(ctx, paddr, len);
}

START_TEST(load_copies_and_zero_fills)
{
    struct elf_flat flat = { mem + GUARD, GUEST_BASE, GUEST_SIZE };
    struct elf_dest dest = { checking_map, &flat };

    tb_linux(&spec);
    parsed_ok();
    memset(mem, 0xaa, sizeof(mem));
    ck_assert_int_eq(elf_load(&info, &dest, err, sizeof(err)), 0);
    ck_assert_str_eq(err, "");
    ck_assert_uint_ge(map_calls, 0xb000 / 0x1000);   /* at least a call a page */

    uint8_t *g = mem + GUARD;
    for (int i = 0; i < spec.nseg; i++) {
        const struct tb_seg *s = &spec.seg[i];
        uint8_t *p = g + (s->paddr - GUEST_BASE);
        for (uint64_t k = 0; k < s->filesz; k++)
            ck_assert_uint_eq(p[k], (uint8_t)(s->fill + k));
        for (uint64_t k = s->filesz; k < s->memsz; k++)
            ck_assert_msg(p[k] == 0, "segment %d byte %#llx not zeroed", i, (unsigned long long)k);
    }
    /* Gaps between segments and everything around the guest untouched. */
    ck_assert_uint_eq(g[0x3000], 0xaa);
    ck_assert_uint_eq(g[0x13ffff], 0xaa);
    ck_assert_uint_eq(g[0x408000], 0xaa);
    for (size_t k = 0; k < GUARD; k++) {
        ck_assert_uint_eq(mem[k], 0xaa);
        ck_assert_uint_eq(mem[GUARD + GUEST_SIZE + k], 0xaa);
    }
}
END_TEST

START_TEST(load_refuses_unowned_memory)
{
    /* The guest owns less than the kernel needs: nothing outside is written. */
    struct elf_flat flat = { mem + GUARD, GUEST_BASE, 0x404000 };
    struct elf_dest dest = { elf_flat_map, &flat };

    tb_linux(&spec);
    parsed_ok();
    memset(mem, 0xaa, sizeof(mem));
    ck_assert_int_eq(elf_load(&info, &dest, err, sizeof(err)), -ELF_EFAULT);
    ck_assert_ptr_nonnull(strstr(err, "segment 3"));
    for (size_t k = 0x404000; k < sizeof(mem) - GUARD; k++)
        ck_assert_uint_eq(mem[GUARD + k], 0xaa);
    for (size_t k = 0; k < GUARD; k++)
        ck_assert_uint_eq(mem[k], 0xaa);

    /* Below the guest's memory. */
    flat.paddr = GUEST_BASE + 0x1000;
    ck_assert_int_eq(elf_load(&info, &dest, err, sizeof(err)), -ELF_EFAULT);
    ck_assert_ptr_nonnull(strstr(err, "segment 0"));
}
END_TEST

START_TEST(load_rechecks_info)
{
    struct elf_flat flat = { mem + GUARD, GUEST_BASE, GUEST_SIZE };
    struct elf_dest dest = { elf_flat_map, &flat };

    tb_linux(&spec);
    parsed_ok();
    info.load[1].filesz = info.image_len;
    ck_assert_int_eq(elf_load(&info, &dest, err, sizeof(err)), -ELF_EINVAL);
    ck_assert_int_eq(elf_load(&info, NULL, err, sizeof(err)), -ELF_EINVAL);
}
END_TEST

START_TEST(flat_map_bounds)
{
    struct elf_flat flat = { mem, 0x1000, 0x2000 };

    ck_assert_ptr_eq(elf_flat_map(&flat, 0x1000, 0x2000), mem);
    ck_assert_ptr_eq(elf_flat_map(&flat, 0x2fff, 1), mem + 0x1fff);
    ck_assert_ptr_null(elf_flat_map(&flat, 0xfff, 1));
    ck_assert_ptr_null(elf_flat_map(&flat, 0x2fff, 2));
    ck_assert_ptr_null(elf_flat_map(&flat, 0x3001, 0));
    ck_assert_ptr_null(elf_flat_map(&flat, UINT64_MAX, 2));
}
END_TEST

/* ------------------------------------------------------------ toolchain-built */

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    buf = malloc(*len ? *len : 1);
    ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

START_TEST(toolchain_built_guest)
{
    /* tests/unit/data/xenguest.S linked by the build with the host toolchain. */
    const char *dir = getenv("top_builddir");
    char path[4096];
    size_t len;

    snprintf(path, sizeof(path), "%s/tests/unit/data/xenguest.elf", dir ? dir : ".");
    uint8_t *buf = read_file(path, &len);
    ck_assert_msg(buf, "%s missing (built by make check)", path);
    ck_assert_msg(elf_parse(buf, len, &info, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(info.nr_loads, 2);
    ck_assert_uint_eq(info.pstart, 0x200000);
    ck_assert_uint_eq(info.virt_base, 0xffffffff80000000);
    ck_assert_uint_eq(info.virt_kstart, 0xffffffff80200000);
    ck_assert_uint_eq(info.virt_entry, info.virt_kstart);
    ck_assert_uint_eq(info.virt_hypercall, 0xffffffff80201000);
    ck_assert_str_eq(info.notes.guest_os, "Pavise-test");
    ck_assert_str_eq(info.notes.loader, "generic");
    ck_assert_uint_eq(info.f_supported[0], 0x811);
    ck_assert_uint_eq(info.f_required[0], 0x1);
    /* .bss is memsz beyond filesz in the second segment. */
    ck_assert_uint_gt(info.load[1].memsz, info.load[1].filesz);

    static uint8_t gmem[0x10000];
    struct elf_flat flat = { gmem, 0x200000, sizeof(gmem) };
    struct elf_dest dest = { elf_flat_map, &flat };
    memset(gmem, 0xaa, sizeof(gmem));
    ck_assert_int_eq(elf_load(&info, &dest, err, sizeof(err)), 0);
    ck_assert_mem_eq(gmem, "\xf4\xeb\xfd", 3);            /* hlt; jmp . */
    ck_assert_uint_eq(gmem[info.load[1].paddr - 0x200000 + info.load[1].memsz - 1], 0);
    free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("elf");
    TCase *good = tcase_create("good"), *bad = tcase_create("refusals"), *load = tcase_create("load");

    tcase_add_test(good, linux_like);
    tcase_add_test(good, defaults_without_base_notes);
    tcase_add_test(good, paddr_offset_moves_kernel);
    tcase_add_test(good, numeric_note_sizes);
    tcase_add_test(good, last_note_wins_and_unknown_ignored);
    tcase_add_test(good, pae_modes);
    tcase_add_test(good, long_strings_truncated);
    tcase_add_test(good, strings_ended_by_padding);
    tcase_add_test(good, features_strings);
    tcase_add_test(good, section_fallback);
    tcase_add_test(good, note_segment_at_offset_zero_skipped);
    tcase_add_test(good, unloadable_segments_ignored);
    tcase_add_test(good, entry_at_kernel_end_allowed);
    tcase_add_test(good, roles);
    tcase_add_test(good, hypercall_page);
    tcase_add_test(good, empty_segments_may_share_addresses);
    tcase_add_test(good, toolchain_built_guest);
    tcase_add_test(bad, refuse_header);
    tcase_add_test(bad, refuse_header_tables);
    tcase_add_test(bad, refuse_segments);
    tcase_add_test(bad, refuse_note_structure);
    tcase_add_test(bad, refuse_note_contents);
    tcase_add_test(bad, refuse_too_many_notes);
    tcase_add_test(bad, refuse_xen_rules);
    tcase_add_test(bad, refuse_addresses);
    tcase_add_test(bad, messages_bounded);
    tcase_add_test(load, load_copies_and_zero_fills);
    tcase_add_test(load, load_refuses_unowned_memory);
    tcase_add_test(load, load_rechecks_info);
    tcase_add_test(load, flat_map_bounds);
    suite_add_tcase(s, good);
    suite_add_tcase(s, bad);
    suite_add_tcase(s, load);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
