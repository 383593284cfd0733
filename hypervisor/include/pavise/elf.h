/*
 * ELF64 kernel images for the PV domain builder: parsing, Xen ELF notes,
 * loading.
 *
 * The domain builder hands a kernel image (an ELF64 x86-64 executable, e.g.
 * Linux's vmlinux, possibly just unpacked from a bzImage by xz_decode) to
 * elf_parse, which validates all of it and fills a struct elf_info with the
 * loadable segments, every Xen note Xen 4.17's libelf understands, and the
 * addresses Xen derives from them (libelf-dominfo.c: elf_xen_parse,
 * elf_xen_note_check, elf_xen_addr_calc_check). elf_load then copies the
 * segments into guest memory through a callback that maps guest-physical
 * ranges, so it can never write where the caller says the guest has no
 * memory.
 *
 * Semantics follow Xen 4.17 for PV guests:
 *  - loadable segments are PT_LOAD with any of R/W/X set; they are placed by
 *    p_paddr (never p_vaddr: Linux's per-CPU segment has p_vaddr 0);
 *  - notes come from PT_NOTE segments (skipping p_offset == 0, as Xen does
 *    for old binutils); SHT_NOTE sections are read only when the segments
 *    held no Xen note; only notes owned by "Xen" count, the last of a type
 *    wins, unknown types are ignored;
 *  - LOADER must start with "generic" or GUEST_OS with "linux", and
 *    XEN_VERSION must start with "xen-3.0";
 *  - VIRT_BASE defaults to 0, PADDR_OFFSET to 0, and PADDR_OFFSET without
 *    VIRT_BASE is refused; virt_kstart/virt_kend are the lowest/highest
 *    paddr of the loadable segments moved by VIRT_BASE - PADDR_OFFSET; the
 *    entry is the ENTRY note, else e_entry, and must lie in
 *    [virt_kstart, virt_kend]; VIRT_BASE must not exceed virt_kstart; an
 *    INIT_P2M base must not fall inside the kernel.
 *
 * Stricter than Xen (Xen merely logs such images as "broken" and goes on):
 * anything outside the file, overlapping or overflowing is refused, as are
 * notes whose sizes do not fit their type, unterminated strings, required
 * features Xen does not know, more than 65536 notes, and a HYPERCALL_PAGE
 * outside the kernel. Not supported (refused with a message): big-endian or
 * 32-bit images, extended section/segment numbering, the legacy
 * "__xen_guest" section (pre-2006 kernels), and BSD_SYMTAB="yes" (NetBSD's
 * symbol table loading).
 *
 * Freestanding: no allocation, no recursion, small stack; struct elf_info is
 * a few hundred bytes and may live on the caller's stack.
 *
 * Errors: functions return 0 or a negative Xen errno value and, when err is
 * not NULL, write a one-line reason into err (always NUL-terminated).
 */
#ifndef PAVISE_ELF_H
#define PAVISE_ELF_H

#include <pavise/types.h>

/* Xen errno values (xen/include/public/errno.h), returned negated. */
#define ELF_EFAULT      14      /* the map callback refused a guest range */
#define ELF_EINVAL      22      /* malformed, hostile or unsupported image */

/* ELF64 definitions used here (System V gABI, x86-64 psABI). */
#define ELF_EHDR_SIZE   64
#define ELF_PHDR_SIZE   56
#define ELF_SHDR_SIZE   64
#define ELF_NHDR_SIZE   12

#define ET_EXEC         2
#define EM_X86_64       62
#define PT_LOAD         1
#define PT_NOTE         4
#define SHT_NOTE        7
#define PF_X            0x1
#define PF_W            0x2
#define PF_R            0x4

/* Xen ELF note types (xen/include/public/elfnote.h). */
#define XEN_NOTE_ENTRY              1
#define XEN_NOTE_HYPERCALL_PAGE     2
#define XEN_NOTE_VIRT_BASE          3
#define XEN_NOTE_PADDR_OFFSET       4
#define XEN_NOTE_XEN_VERSION        5
#define XEN_NOTE_GUEST_OS           6
#define XEN_NOTE_GUEST_VERSION      7
#define XEN_NOTE_LOADER             8
#define XEN_NOTE_PAE_MODE           9
#define XEN_NOTE_FEATURES           10
#define XEN_NOTE_BSD_SYMTAB         11
#define XEN_NOTE_HV_START_LOW       12
#define XEN_NOTE_L1_MFN_VALID       13
#define XEN_NOTE_SUSPEND_CANCEL     14
#define XEN_NOTE_INIT_P2M           15
#define XEN_NOTE_MOD_START_PFN      16
#define XEN_NOTE_SUPPORTED_FEATURES 17
#define XEN_NOTE_PHYS32_ENTRY       18
#define XEN_NOTE_MAX                18

/* Feature bitmaps: one 32-bit word, as XENFEAT_NR_SUBMAPS is 1 in 4.17.
 * Bit n is XENFEAT n (xen/include/public/features.h). */
#define ELF_XENFEAT_WORDS   1

#define ELF_MAX_LOADS       16          /* loadable segments kept */
#define ELF_MAX_NOTES       65536       /* Xen's ELF_MAX_TOTAL_NOTE_COUNT */
#define ELF_STR_MAX         32          /* longest note string kept, NUL incl. */
#define ELF_UNSET           UINT64_MAX  /* an address note that was absent */

/* PAE_MODE, as Xen's enum xen_pae_type. "yes" means EXTCR3, as in Xen. */
enum elf_pae {
    ELF_PAE_NO = 0,
    ELF_PAE_YES = 1,
    ELF_PAE_EXTCR3 = 2,
    ELF_PAE_BIMODAL = 3,
};

/* One loadable segment. 'va' is where the guest sees it:
 * paddr + virt_base - paddr_offset (Xen ignores p_vaddr). */
struct elf_segment {
    uint64_t offset;        /* file offset of the bytes to copy */
    uint64_t paddr;         /* guest-physical load address */
    uint64_t vaddr;         /* p_vaddr, informational */
    uint64_t va;            /* derived load VA */
    uint64_t filesz;        /* bytes copied from the file */
    uint64_t memsz;         /* bytes occupied; filesz..memsz zero-filled */
    uint32_t flags;         /* PF_R | PF_W | PF_X */
};

/* The Xen notes as found (raw values), one field per note type. */
struct elf_xen_notes {
    uint32_t present;               /* bit n set: note type n was seen */
    uint32_t count;                 /* Xen notes parsed */
    bool from_sections;             /* read from SHT_NOTE, not PT_NOTE */
    uint64_t entry;                 /* ENTRY */
    uint64_t hypercall_page;        /* HYPERCALL_PAGE */
    uint64_t virt_base;             /* VIRT_BASE */
    uint64_t paddr_offset;          /* PADDR_OFFSET */
    uint64_t hv_start_low;          /* HV_START_LOW */
    uint64_t init_p2m;              /* INIT_P2M */
    uint64_t phys32_entry;          /* PHYS32_ENTRY */
    uint64_t l1_mfn_valid_mask;     /* L1_MFN_VALID: first (mask, value) pair */
    uint64_t l1_mfn_valid_value;
    uint64_t suspend_cancel;        /* SUSPEND_CANCEL */
    uint64_t mod_start_pfn;         /* MOD_START_PFN */
    uint32_t supported_features[ELF_XENFEAT_WORDS]; /* SUPPORTED_FEATURES */
    char xen_version[ELF_STR_MAX];  /* strings, truncated to fit */
    char guest_os[ELF_STR_MAX];
    char guest_version[ELF_STR_MAX];
    char loader[ELF_STR_MAX];
    char pae_mode[ELF_STR_MAX];
    char bsd_symtab[ELF_STR_MAX];
};

struct elf_info {
    const uint8_t *image;           /* the validated file (not copied) */
    size_t image_len;
    uint64_t e_entry;

    unsigned int nr_loads;
    struct elf_segment load[ELF_MAX_LOADS];     /* in program-header order */
    uint64_t pstart, pend;          /* lowest paddr, highest paddr + memsz */

    struct elf_xen_notes notes;

    /* Derived as Xen's elf_dom_parms. */
    uint64_t virt_base;             /* VA of guest pseudo-physical 0 */
    uint64_t paddr_offset;          /* elf_paddr_offset */
    uint64_t virt_offset;           /* virt_base - paddr_offset */
    uint64_t virt_kstart, virt_kend;/* the kernel's VA range */
    uint64_t virt_entry;            /* where vCPU0 starts */
    uint64_t virt_hypercall;        /* ELF_UNSET if no hypercall page */
    uint64_t virt_hv_start_low;     /* ELF_UNSET if absent */
    uint64_t p2m_base;              /* ELF_UNSET: p2m goes after the kernel */
    uint64_t phys_entry;            /* PVH entry, ELF_UNSET if absent */
    uint32_t f_supported[ELF_XENFEAT_WORDS];    /* FEATURES | SUPPORTED_FEATURES */
    uint32_t f_required[ELF_XENFEAT_WORDS];     /* FEATURES entries with '!' */
    enum elf_pae pae;
    bool unmapped_initrd;           /* MOD_START_PFN != 0 */
    bool suspend_cancel;            /* SUSPEND_CANCEL != 0 */
};

/* Validate an ELF64 x86-64 Xen PV kernel and fill *info. */
int elf_parse(const void *img, size_t len, struct elf_info *info, char *err, size_t errlen);

/*
 * Parse a FEATURES string ("a|!b|c"): each name sets its XENFEAT bit in
 * supported; a leading '!' also sets it in required. Names are those Xen
 * 4.17's libelf knows; unknown names are ignored unless required (then
 * -ELF_EINVAL). Bits are ORed in; 'required' may be NULL.
 */
int elf_xen_parse_features(const char *s, size_t len, uint32_t *supported, uint32_t *required,
                           char *err, size_t errlen);

/* Whether feature 'bit' is set in a bitmap of ELF_XENFEAT_WORDS words. */
static inline bool elf_xenfeat_test(const uint32_t *map, unsigned int bit)
{
    return bit < 32 * ELF_XENFEAT_WORDS && (map[bit / 32] >> (bit % 32)) & 1;
}

/*
 * The role checks Xen makes after parsing. For dom0 (hypervisor
 * dom0_build.c): a kernel with a SUPPORTED_FEATURES note must list
 * XENFEAT_dom0, and one that requires supervisor_mode_kernel is refused.
 * For a domU (libxenguest xc_dom_parse_elf_kernel): one that requires
 * XENFEAT_dom0 is refused.
 */
int elf_xen_check_role(const struct elf_info *info, bool dom0, char *err, size_t errlen);

/*
 * Guest memory for elf_load. 'map' returns a writable host pointer to
 * guest-physical [paddr, paddr + len), or NULL if the guest does not own
 * all of it; elf_load never asks for a range crossing a 4 KiB boundary, so
 * a frame-by-frame mapping works.
 */
typedef void *(*elf_map_fn)(void *ctx, uint64_t paddr, size_t len);

struct elf_dest {
    elf_map_fn map;
    void *ctx;
};

/*
 * Copy each loadable segment's filesz bytes to its paddr and zero-fill to
 * memsz, in program-header order. On -ELF_EFAULT (a range the callback
 * refused) earlier segments may already be written.
 */
int elf_load(const struct elf_info *info, const struct elf_dest *dest, char *err, size_t errlen);

/* A ready-made destination: guest-physical [paddr, paddr + size) is the
 * host buffer base[0 .. size). Use elf_flat_map with ctx = &flat. */
struct elf_flat {
    uint8_t *base;
    uint64_t paddr;
    uint64_t size;
};
void *elf_flat_map(void *ctx, uint64_t paddr, size_t len);

#endif
