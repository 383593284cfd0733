/*
 * Xen's rules on a parsed kernel: the FEATURES string, which images it
 * accepts, and the addresses it derives (libelf-dominfo.c:
 * elf_xen_parse_features, elf_xen_note_check, elf_xen_addr_calc_check), plus
 * the dom0/domU role checks of its two domain builders.
 */
#include <pavise/elf.h>
#include "kimage.h"
#include "elf_xen.h"

#define FAIL(...)       kimage_fail(err, errlen, ELF_EINVAL, __VA_ARGS__)

#define XENFEAT_supervisor_mode_kernel  3
#define XENFEAT_dom0                    11
#define HYPERCALL_PAGE_SIZE             4096

typedef unsigned long long ull;

/* Exactly the names Xen 4.17's libelf accepts (elf_xen_feature_names). */
static const char *const feature_names[] = {
    [0] = "writable_page_tables",
    [1] = "writable_descriptor_tables",
    [2] = "auto_translated_physmap",
    [3] = "supervisor_mode_kernel",
    [4] = "pae_pgdir_above_4gb",
    [8] = "hvm_callback_vector",
    [11] = "dom0",
};

static void set_bit32(uint32_t *map, unsigned int bit)
{
    map[bit / 32] |= 1u << (bit % 32);
}

static int find_feature(const char *s, size_t n)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(feature_names); i++) {
        const char *name = feature_names[i];
        if (name && strlen(name) == n && !memcmp(name, s, n))
            return (int)i;
    }
    return -1;
}

int elf_xen_parse_features(const char *s, size_t len, uint32_t *supported, uint32_t *required,
                           char *err, size_t errlen)
{
    size_t pos = 0;

    while (pos < len) {
        size_t start = pos, n;
        bool req = false;

        while (pos < len && s[pos] != '|')
            pos++;
        n = pos - start;
        pos++;                  /* past the '|' */
        if (n && s[start] == '!') {
            req = true;
            start++;
            n--;
        }

        int bit = find_feature(s + start, n);
        if (bit < 0) {
            /* Xen ignores features it does not know unless they are required. */
            if (req && required)
                return FAIL("FEATURES: required feature \"%.*s\" is unknown", (int)MIN(n, (size_t)64),
                            s + start);
            continue;
        }
        set_bit32(supported, (unsigned int)bit);
        if (req && required)
            set_bit32(required, (unsigned int)bit);
    }
    return 0;
}

int elf_xen_check_notes(struct elf_info *info, char *err, size_t errlen)
{
    const struct elf_xen_notes *n = &info->notes;

    if (n->count == 0)
        return FAIL("not a Xen-ELF image: no Xen ELF notes (the legacy __xen_guest section is not supported)");
    /* BSD_SYMTAB: Xen only acts on the exact string "yes". */
    if (!strcmp(n->bsd_symtab, "yes"))
        return FAIL("BSD_SYMTAB=\"yes\": loading the symbol table for the guest is not supported");
    if (strncmp(n->loader, "generic", 7) && strncmp(n->guest_os, "linux", 5))
        return FAIL("will only load images built for the generic loader or Linux images "
                    "(LOADER \"%s\", GUEST_OS \"%s\")", n->loader, n->guest_os);
    if (strncmp(n->xen_version, "xen-3.0", 7))
        return FAIL("will only load images built for Xen v3.0 (XEN_VERSION \"%s\")", n->xen_version);
    return 0;
}

static bool has(const struct elf_info *info, unsigned int type)
{
    return (info->notes.present >> type) & 1;
}

int elf_xen_calc_addresses(struct elf_info *info, char *err, size_t errlen)
{
    const struct elf_xen_notes *n = &info->notes;

    if (has(info, XEN_NOTE_PADDR_OFFSET) && !has(info, XEN_NOTE_VIRT_BASE))
        return FAIL("PADDR_OFFSET set, VIRT_BASE unset");

    /* With ELF notes (always, here) both default to 0. */
    info->virt_base = has(info, XEN_NOTE_VIRT_BASE) ? n->virt_base : 0;
    info->paddr_offset = has(info, XEN_NOTE_PADDR_OFFSET) ? n->paddr_offset : 0;
    info->virt_offset = info->virt_base - info->paddr_offset;
    info->virt_kstart = info->pstart + info->virt_offset;
    info->virt_kend = info->pend + info->virt_offset;
    info->virt_entry = has(info, XEN_NOTE_ENTRY) ? n->entry : info->e_entry;
    info->virt_hypercall = has(info, XEN_NOTE_HYPERCALL_PAGE) ? n->hypercall_page : ELF_UNSET;
    info->virt_hv_start_low = has(info, XEN_NOTE_HV_START_LOW) ? n->hv_start_low : ELF_UNSET;
    info->p2m_base = has(info, XEN_NOTE_INIT_P2M) ? n->init_p2m : ELF_UNSET;
    info->phys_entry = has(info, XEN_NOTE_PHYS32_ENTRY) ? (uint32_t)n->phys32_entry : ELF_UNSET;
    info->unmapped_initrd = n->mod_start_pfn != 0;
    info->suspend_cancel = n->suspend_cancel != 0;
    for (unsigned int i = 0; i < info->nr_loads; i++)
        info->load[i].va = info->load[i].paddr + info->virt_offset;

    if (info->virt_kstart > info->virt_kend)
        return FAIL("kernel virtual range %#llx-%#llx wraps around (VIRT_BASE %#llx, PADDR_OFFSET %#llx)",
                    (ull)info->virt_kstart, (ull)info->virt_kend, (ull)info->virt_base,
                    (ull)info->paddr_offset);
    if (info->virt_entry < info->virt_kstart || info->virt_entry > info->virt_kend)
        return FAIL("entry %#llx is outside the kernel %#llx-%#llx", (ull)info->virt_entry,
                    (ull)info->virt_kstart, (ull)info->virt_kend);
    if (info->virt_base > info->virt_kstart)
        return FAIL("VIRT_BASE %#llx is above the kernel start %#llx", (ull)info->virt_base,
                    (ull)info->virt_kstart);
    if (info->p2m_base != ELF_UNSET && info->p2m_base >= info->virt_kstart &&
        info->p2m_base < info->virt_kend)
        return FAIL("INIT_P2M base %#llx lies inside the kernel %#llx-%#llx", (ull)info->p2m_base,
                    (ull)info->virt_kstart, (ull)info->virt_kend);
    /* Stricter than Xen, which only wants it inside the initial mapping:
     * the page is written by the builder, so it must be kernel memory. */
    if (info->virt_hypercall != ELF_UNSET &&
        (info->virt_hypercall < info->virt_kstart || info->virt_hypercall > info->virt_kend ||
         info->virt_kend - info->virt_hypercall < HYPERCALL_PAGE_SIZE))
        return FAIL("HYPERCALL_PAGE %#llx is not inside the kernel %#llx-%#llx", (ull)info->virt_hypercall,
                    (ull)info->virt_kstart, (ull)info->virt_kend);
    return 0;
}

int elf_xen_check_role(const struct elf_info *info, bool dom0, char *err, size_t errlen)
{
    if (dom0) {
        if (has(info, XEN_NOTE_SUPPORTED_FEATURES) && !elf_xenfeat_test(info->f_supported, XENFEAT_dom0))
            return FAIL("Kernel does not support Dom0 operation");
        if (elf_xenfeat_test(info->f_required, XENFEAT_supervisor_mode_kernel))
            return FAIL("Dom0 requires supervisor-mode execution");
    } else if (elf_xenfeat_test(info->f_required, XENFEAT_dom0)) {
        return FAIL("Kernel does not support unprivileged (DomU) operation");
    }
    return 0;
}
