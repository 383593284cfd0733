/*
 * Xen ELF notes: walking note areas and decoding each note Xen 4.17's libelf
 * understands (libelf-dominfo.c: elf_xen_parse_note, elf_xen_parse).
 *
 * Note layout (both ELF classes, as Xen reads them): a 12-byte header
 * (namesz, descsz, type), the name padded to 4 bytes, the descriptor
 * padded to 4 bytes. Numeric notes are 1, 2, 4 or 8 little-endian bytes.
 */
#include <pavise/elf.h>
#include "kimage.h"
#include "elf_xen.h"

#define FAIL(...)       kimage_fail(err, errlen, ELF_EINVAL, __VA_ARGS__)

typedef unsigned long long ull;

enum note_kind { NOTE_NUM, NOTE_STR, NOTE_L1_MFN, NOTE_FEATMAP };

static const struct {
    const char *name;
    enum note_kind kind;
} note_desc[XEN_NOTE_MAX + 1] = {
    [XEN_NOTE_ENTRY] = { "ENTRY", NOTE_NUM },
    [XEN_NOTE_HYPERCALL_PAGE] = { "HYPERCALL_PAGE", NOTE_NUM },
    [XEN_NOTE_VIRT_BASE] = { "VIRT_BASE", NOTE_NUM },
    [XEN_NOTE_PADDR_OFFSET] = { "PADDR_OFFSET", NOTE_NUM },
    [XEN_NOTE_XEN_VERSION] = { "XEN_VERSION", NOTE_STR },
    [XEN_NOTE_GUEST_OS] = { "GUEST_OS", NOTE_STR },
    [XEN_NOTE_GUEST_VERSION] = { "GUEST_VERSION", NOTE_STR },
    [XEN_NOTE_LOADER] = { "LOADER", NOTE_STR },
    [XEN_NOTE_PAE_MODE] = { "PAE_MODE", NOTE_STR },
    [XEN_NOTE_FEATURES] = { "FEATURES", NOTE_STR },
    [XEN_NOTE_BSD_SYMTAB] = { "BSD_SYMTAB", NOTE_STR },
    [XEN_NOTE_HV_START_LOW] = { "HV_START_LOW", NOTE_NUM },
    [XEN_NOTE_L1_MFN_VALID] = { "L1_MFN_VALID", NOTE_L1_MFN },
    [XEN_NOTE_SUSPEND_CANCEL] = { "SUSPEND_CANCEL", NOTE_NUM },
    [XEN_NOTE_INIT_P2M] = { "INIT_P2M", NOTE_NUM },
    [XEN_NOTE_MOD_START_PFN] = { "MOD_START_PFN", NOTE_NUM },
    [XEN_NOTE_SUPPORTED_FEATURES] = { "SUPPORTED_FEATURES", NOTE_FEATMAP },
    [XEN_NOTE_PHYS32_ENTRY] = { "PHYS32_ENTRY", NOTE_NUM },
};

/* Where the walk is: for messages. */
struct note_area {
    const char *what;       /* "segment" or "section" */
    unsigned int index;
};

static uint64_t get_num(const uint8_t *p, uint32_t size)
{
    switch (size) {
    case 1: return p[0];
    case 2: return get_le16(p);
    case 4: return get_le32(p);
    default: return get_le64(p);
    }
}

static void copy_str(char *dst, const uint8_t *src, size_t n)
{
    n = MIN(n, (size_t)ELF_STR_MAX - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool contains(const uint8_t *s, size_t n, const char *word)
{
    size_t w = strlen(word);

    for (size_t i = 0; i + w <= n; i++)
        if (!memcmp(s + i, word, w))
            return true;
    return false;
}

/* 'avail' is descsz plus the descriptor's padding where the area has it:
 * Linux writes FEATURES with .ascii, so its NUL is the first pad byte (Xen
 * reads strings up to the first NUL wherever it is). */
static int parse_str_note(struct elf_info *info, uint32_t type, const uint8_t *desc, size_t avail,
                          char *err, size_t errlen)
{
    struct elf_xen_notes *n = &info->notes;
    const uint8_t *nul = memchr(desc, 0, avail);

    if (!nul)
        return FAIL("Xen note %s: string is not NUL-terminated", note_desc[type].name);
    size_t len = (size_t)(nul - desc);

    switch (type) {
    case XEN_NOTE_XEN_VERSION: copy_str(n->xen_version, desc, len); break;
    case XEN_NOTE_GUEST_OS: copy_str(n->guest_os, desc, len); break;
    case XEN_NOTE_GUEST_VERSION: copy_str(n->guest_version, desc, len); break;
    case XEN_NOTE_LOADER: copy_str(n->loader, desc, len); break;
    case XEN_NOTE_PAE_MODE:
        /* As Xen: "yes" means extended-cr3; "bimodal" anywhere wins. */
        copy_str(n->pae_mode, desc, len);
        if (len == 3 && !memcmp(desc, "yes", 3))
            info->pae = ELF_PAE_EXTCR3;
        if (contains(desc, len, "bimodal"))
            info->pae = ELF_PAE_BIMODAL;
        break;
    case XEN_NOTE_BSD_SYMTAB: copy_str(n->bsd_symtab, desc, len); break;
    case XEN_NOTE_FEATURES:
        return elf_xen_parse_features((const char *)desc, len, info->f_supported, info->f_required,
                                      err, errlen);
    }
    return 0;
}

static int parse_xen_note(struct elf_info *info, uint32_t type, const uint8_t *desc, uint32_t descsz,
                          size_t avail, char *err, size_t errlen)
{
    struct elf_xen_notes *n = &info->notes;
    uint64_t v = 0;

    if (type > XEN_NOTE_MAX || !note_desc[type].name)
        return 0;               /* unknown: ignored, as Xen */

    switch (note_desc[type].kind) {
    case NOTE_STR:
        if (parse_str_note(info, type, desc, avail, err, errlen))
            return -ELF_EINVAL;
        break;
    case NOTE_NUM:
        if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8)
            return FAIL("Xen note %s: size %u is not 1, 2, 4 or 8 bytes", note_desc[type].name, descsz);
        v = get_num(desc, descsz);
        break;
    case NOTE_L1_MFN:
        /* maddr_t-sized (mask, value) pairs; the first pair is kept. */
        if (descsz == 0 || descsz % 16)
            return FAIL("Xen note L1_MFN_VALID: size %u is not a list of 8-byte mask/value pairs", descsz);
        n->l1_mfn_valid_mask = get_le64(desc);
        n->l1_mfn_valid_value = get_le64(desc + 8);
        break;
    case NOTE_FEATMAP:
        if (descsz == 0 || descsz % 4)
            return FAIL("Xen note SUPPORTED_FEATURES: size %u is not a multiple of 4 bytes", descsz);
        for (unsigned int i = 0; i < ELF_XENFEAT_WORDS && i < descsz / 4; i++) {
            n->supported_features[i] |= get_le32(desc + 4 * i);
            info->f_supported[i] |= get_le32(desc + 4 * i);
        }
        break;
    }

    switch (type) {
    case XEN_NOTE_ENTRY: n->entry = v; break;
    case XEN_NOTE_HYPERCALL_PAGE: n->hypercall_page = v; break;
    case XEN_NOTE_VIRT_BASE: n->virt_base = v; break;
    case XEN_NOTE_PADDR_OFFSET: n->paddr_offset = v; break;
    case XEN_NOTE_HV_START_LOW: n->hv_start_low = v; break;
    case XEN_NOTE_INIT_P2M: n->init_p2m = v; break;
    case XEN_NOTE_PHYS32_ENTRY: n->phys32_entry = v; break;
    case XEN_NOTE_SUSPEND_CANCEL: n->suspend_cancel = v; break;
    case XEN_NOTE_MOD_START_PFN: n->mod_start_pfn = v; break;
    }
    n->present |= 1u << type;
    return 0;
}

/* Walk the notes in file range [off, off + size), already checked to lie
 * inside the file. 'total' counts notes of every owner across areas. */
static int parse_note_area(struct elf_info *info, uint64_t off, uint64_t size, const struct note_area *a,
                           uint32_t *total, char *err, size_t errlen)
{
    const uint8_t *img = info->image;
    uint64_t pos = off, end = off + size;

    if (off % 4)
        return FAIL("note %s %u: offset %#llx is not 4-byte aligned", a->what, a->index, (ull)off);
    while (pos < end) {
        if (++*total > ELF_MAX_NOTES)
            return FAIL("more than %u ELF notes", ELF_MAX_NOTES);
        if (end - pos < ELF_NHDR_SIZE)
            return FAIL("note %s %u: truncated note header at offset %#llx", a->what, a->index, (ull)pos);

        uint32_t namesz = get_le32(img + pos), descsz = get_le32(img + pos + 4);
        uint32_t type = get_le32(img + pos + 8);
        uint64_t name_off = pos + ELF_NHDR_SIZE;
        uint64_t desc_off = name_off + ROUNDUP((uint64_t)namesz, 4);

        if (!range_in(name_off, namesz, end) || !range_in(desc_off, descsz, end))
            return FAIL("note %s %u: note at offset %#llx (namesz %u, descsz %u) runs past the end of its area",
                        a->what, a->index, (ull)pos, namesz, descsz);
        /* The last note's padding may be left out of the area. */
        pos = MIN(desc_off + ROUNDUP((uint64_t)descsz, 4), end);

        if (namesz < 4 || memcmp(img + name_off, "Xen", 4))
            continue;           /* another owner's note (GNU build-id, Linux, ...) */
        /* Counted whatever the type: Xen falls back to sections only when
         * the segments held no "Xen" note at all. */
        info->notes.count++;
        int rc = parse_xen_note(info, type, img + desc_off, descsz, (size_t)(pos - desc_off), err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse_note_segments(struct elf_info *info, uint32_t *total, char *err, size_t errlen)
{
    const uint8_t *img = info->image;
    uint64_t phoff = get_le64(img + 32);
    unsigned int phnum = get_le16(img + 56);

    for (unsigned int i = 0; i < phnum; i++) {
        const uint8_t *ph = img + phoff + (uint64_t)i * ELF_PHDR_SIZE;
        uint64_t off = get_le64(ph + 8), filesz = get_le64(ph + 32);
        struct note_area a = { "segment", i };

        /* Xen skips p_offset 0: some binutils left note segments unset. */
        if (get_le32(ph) != PT_NOTE || off == 0)
            continue;
        if (!range_in(off, filesz, info->image_len))
            return FAIL("note segment %u: file range %#llx+%#llx extends past the end of the file",
                        i, (ull)off, (ull)filesz);
        int rc = parse_note_area(info, off, filesz, &a, total, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse_note_sections(struct elf_info *info, uint32_t *total, char *err, size_t errlen)
{
    const uint8_t *img = info->image;
    uint64_t shoff = get_le64(img + 40);
    unsigned int shnum = get_le16(img + 60);

    for (unsigned int i = 1; i < shnum; i++) {
        const uint8_t *sh = img + shoff + (uint64_t)i * ELF_SHDR_SIZE;
        uint64_t off = get_le64(sh + 24), size = get_le64(sh + 32);
        struct note_area a = { "section", i };

        if (get_le32(sh + 4) != SHT_NOTE)
            continue;
        if (!range_in(off, size, info->image_len))
            return FAIL("note section %u: file range %#llx+%#llx extends past the end of the file",
                        i, (ull)off, (ull)size);
        int rc = parse_note_area(info, off, size, &a, total, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

int elf_xen_collect_notes(struct elf_info *info, char *err, size_t errlen)
{
    uint32_t total = 0;
    int rc = parse_note_segments(info, &total, err, errlen);

    if (rc)
        return rc;
    if (info->notes.count == 0) {
        rc = parse_note_sections(info, &total, err, errlen);
        if (rc)
            return rc;
        info->notes.from_sections = info->notes.count != 0;
    }
    return 0;
}
