/*
 * Grant-table client for test guests (see idom.h): our own table mapped
 * from GNTTABOP_setup_table's frames, entries filled and revoked as Linux
 * does, and a window of pages for mapping the grants of others.
 */
#include "idom.h"

#define PTE_PRESENT  0x001UL
#define PTE_RW       0x002UL
#define PTE_ACCESSED 0x020UL
#define PTE_DIRTY    0x040UL

static uint8_t table_va[GNT_MAX_FRAMES][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t window[GNT_WINDOW_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned int nr_frames;
static bool window_ready;

static void window_init(void)
{
    /* Empty PTEs: a mapped grant never shares a TLB entry with the page
     * that was there before (map does not flush; unmap does). */
    for (unsigned int i = 0; i < GNT_WINDOW_PAGES; i++) {
        long rc = HYPERVISOR_update_va_mapping((unsigned long)window[i], 0, UVMF_INVLPG);

        if (rc)
            test_error("clearing mapping window page %u: %ld", i, rc);
    }
    window_ready = true;
}

void *gnt_window(unsigned int i)
{
    if (i >= GNT_WINDOW_PAGES)
        test_error("mapping window page %u out of range", i);
    if (!window_ready)
        window_init();
    return window[i];
}

long gnt_init(unsigned int frames)
{
    static xen_pfn_t list[GNT_MAX_FRAMES];
    struct gnttab_setup_table op = { .dom = DOMID_SELF, .nr_frames = frames };
    long rc;

    if (frames > GNT_MAX_FRAMES)
        return -XEN_EINVAL;
    set_xen_guest_handle(op.frame_list, list);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &op, 1);
    if (rc)
        return rc;
    if (op.status)
        return op.status;
    for (unsigned int i = 0; i < frames; i++) {
        rc = HYPERVISOR_update_va_mapping((unsigned long)table_va[i],
                                          (list[i] << PAGE_SHIFT) | PTE_PRESENT | PTE_RW |
                                          PTE_ACCESSED | PTE_DIRTY, UVMF_INVLPG);
        if (rc)
            return rc;
    }
    nr_frames = frames;
    return 0;
}

unsigned int gnt_nr_refs(void)
{
    return nr_frames * GNT_REFS_PER_FRAME;
}

grant_entry_v1_t *gnt_entry(grant_ref_t ref)
{
    if (ref >= gnt_nr_refs())
        test_error("grant ref %u beyond our %u-frame table", ref, nr_frames);
    return (grant_entry_v1_t *)table_va[ref / GNT_REFS_PER_FRAME] + ref % GNT_REFS_PER_FRAME;
}

void gnt_grant(grant_ref_t ref, domid_t domid, unsigned long mfn, bool readonly)
{
    grant_entry_v1_t *e = gnt_entry(ref);

    WRITE_ONCE(e->domid, domid);
    WRITE_ONCE(e->frame, (uint32_t)mfn);
    /* The hypervisor must see domid and frame before the flags. */
    wmb();
    WRITE_ONCE(e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)));
}

bool gnt_end(grant_ref_t ref)
{
    uint16_t *flags = &gnt_entry(ref)->flags;
    uint16_t old = READ_ONCE(*flags);

    for (;;) {
        if (old & (GTF_reading | GTF_writing))
            return false;
        if (__atomic_compare_exchange_n(flags, &old, 0, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            return true;
    }
}

int16_t gnt_map(domid_t dom, grant_ref_t ref, void *va, uint32_t flags, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (unsigned long)va, .flags = flags, .ref = ref, .dom = dom,
        .status = 0x5555, .handle = ~0u,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if (rc)
        test_error("map_grant_ref hypercall: %ld", rc);
    if (handle)
        *handle = op.handle;
    return op.status;
}

int16_t gnt_unmap(grant_handle_t handle, void *va, uint32_t flags)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = (flags & GNTMAP_host_map) ? (unsigned long)va : 0,
        .dev_bus_addr = 0, .handle = handle, .status = 0x5555,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    if (rc)
        test_error("unmap_grant_ref hypercall: %ld", rc);
    return op.status;
}

int16_t gnt_copy(struct gnttab_copy *op)
{
    long rc;

    op->status = 0x5555;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);
    if (rc)
        test_error("grant copy hypercall: %ld", rc);
    return op->status;
}

/* ---------------------------------------------------------------- page tables */

bool pt_read_l1e(const void *va, uint64_t *pte)
{
    const uint64_t *t = (const uint64_t *)start_info->pt_base;
    unsigned long v = (unsigned long)va;

    for (unsigned int level = 4; level > 1; level--) {
        uint64_t e = READ_ONCE(t[(v >> (PAGE_SHIFT + 9 * (level - 1))) & 511]);

        if (!(e & PTE_P) || (level < 4 && (e & 0x80)))
            return false;
        t = (const uint64_t *)(GUEST_VIRT_BASE + (mfn_to_pfn(PTE_MFN(e)) << PAGE_SHIFT));
    }
    *pte = READ_ONCE(t[(v >> PAGE_SHIFT) & 511]);
    return true;
}

/* ---------------------------------------------------------------- data */

void data_fill(void *buf, size_t len, uint64_t seed, uint64_t n)
{
    uint8_t *p = buf;
    uint64_t x = (seed * 0x9e3779b97f4a7c15ULL) ^ (n * 0xbf58476d1ce4e5b9ULL) ^ 0x94d049bb133111ebULL;

    if (!x)
        x = 1;                          /* xorshift's one fixed point */
    for (;;) {
        /* xorshift64 */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (len < 8) {
            memcpy(p, &x, len);
            return;
        }
        __builtin_memcpy(p, &x, 8);
        p += 8;
        len -= 8;
    }
}

uint64_t data_sum(uint64_t h, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    uint64_t w;

    for (; len >= 8; p += 8, len -= 8) {
        __builtin_memcpy(&w, p, 8);
        h ^= w;
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    if (len) {
        w = 0;
        memcpy(&w, p, len);
        h ^= w ^ ((uint64_t)len << 56);
        h *= 0x100000001b3ULL;
    }
    return h;
}
