/*
 * Guest GDT and descriptors: set_gdt, update_descriptor, and the
 * descriptor check that makes guest segments safe (Xen's
 * check_descriptor): code/data segments get DPL 3 (the guest kernel runs
 * in ring 3), call gates get DPL 0 and a checked target (so using one
 * faults into the hypervisor), every other system descriptor is refused.
 */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/pagetype.h>
#include <pvabi/errno.h>
#include <asm/config.h>
#include <asm/pv.h>
#include <asm/page.h>

#define SEG_P      (1u << 15)
#define SEG_DPL    (3u << 13)
#define SEG_S      (1u << 12)
#define SEG_TYPE   (0xfu << 8)

/* Xen's guest_gate_selector_okay for a 64-bit guest: a guest GDT entry,
 * any LDT selector, or exactly FLAT_KERNEL_CS (RPL 3 included). */
static bool gate_selector_ok(uint32_t sel)
{
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY ||     /* guest GDT */
           sel == FLAT_KERNEL_CS ||                      /* the flat kernel CS */
           (sel & 4);                                    /* LDT */
}

/* Check one descriptor (two 32-bit words a, b), fixing it up in place. */
bool check_descriptor(uint32_t *a, uint32_t *b)
{
    uint32_t lo = *a, hi = *b;

    if (!(hi & SEG_P))
        return true;                     /* not present: always faults */
    /* Any DPL below 3 becomes 3. */
    hi |= SEG_DPL;
    if (hi & SEG_S)
        goto good;                       /* code/data: no base/limit checks */
    if ((hi & SEG_TYPE) == 0)
        return true;                     /* second half of a 16-byte gate */
    if ((hi & SEG_TYPE) != 0xc00)
        return false;                    /* LDT, TSS, interrupt gates ... */
    /* A call gate: keep its DPL (raised to 3 above, as for any guest
     * descriptor) in the target selector's RPL and force the gate's DPL
     * to 0, so that using it faults. */
    uint32_t cs = lo >> 16;
    if (!gate_selector_ok(cs))
        return false;
    uint32_t dpl = (hi >> 13) & 3;
    hi &= ~SEG_DPL;
    cs = (cs & ~3u) | dpl;
    lo = (lo & 0xffffu) | (cs << 16);
    if (hi & 0xff)
        return false;                    /* reserved bits */
good:
    *a = lo;
    *b = hi;
    return true;
}

bool pv_validate_desc_page(struct page_info *pg)
{
    uint32_t *d = map_domain_page(page_to_mfn(pg));
    for (unsigned int i = 0; i < 512; i++)
        if (!check_descriptor(&d[2 * i], &d[2 * i + 1]))
            return false;
    return true;
}

static mfn_t zero_page_mfn;

static void put_gdt_frames(struct vcpu *v)
{
    unsigned int n = (v->arch.gdt_ents + 511) / 512;
    for (unsigned int i = 0; i < n; i++)
        put_page_and_type(mfn_to_page(v->arch.gdt_frames[i]));
    v->arch.gdt_ents = 0;
    memset(v->arch.gdt_frames, 0, sizeof(v->arch.gdt_frames));
}

long pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries)
{
    struct domain *d = v->domain;
    unsigned int nr = (entries + 511) / 512, i;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    for (i = 0; i < nr; i++)
        if (!mfn_valid(frames[i]) || get_page_and_type(mfn_to_page(frames[i]), d, PGT_seg_desc_page))
            goto fail;
    put_gdt_frames(v);
    v->arch.gdt_ents = entries;
    for (i = 0; i < nr; i++)
        v->arch.gdt_frames[i] = frames[i];
    pv_map_gdt(v);
    return 0;
fail:
    while (i-- > 0)
        put_page_and_type(mfn_to_page(frames[i]));
    return -XEN_EINVAL;
}

void pv_destroy_gdt(struct vcpu *v)
{
    put_gdt_frames(v);
    pv_unmap_gdt(v);
}

long do_set_gdt(unsigned long *frame_list, unsigned int entries)
{
    unsigned long frames[NR_GDT_FRAMES];
    unsigned int nr = (entries + 511) / 512;
    struct vcpu *v = current;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return -XEN_EINVAL;
    if (copy_from_guest_raw(frames, frame_list, nr * sizeof(frames[0])))
        return -XEN_EFAULT;
    spin_lock(&v->domain->lock);
    long rc = pv_set_gdt(v, frames, entries);
    spin_unlock(&v->domain->lock);
    if (rc == 0) {
        /* Reload: the new frames are live in the GDT window. */
        struct { uint16_t l; uint64_t b; } __packed p = { 0xffff, GDT_VIRT(v) };
        __asm__ volatile("lgdt %0" :: "m"(p));
    }
    return rc;
}

long do_update_descriptor(uint64_t pa, uint64_t desc)
{
    struct domain *d = current->domain;
    uint32_t a = (uint32_t)desc, b = (uint32_t)(desc >> 32);

    if ((pa & 7) || !check_descriptor(&a, &b))
        return -XEN_EINVAL;
    mfn_t mfn = pa >> PAGE_SHIFT;
    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d))
        return -XEN_EINVAL;
    struct page_info *pg = mfn_to_page(mfn);
    /* A live descriptor page may be updated (that is the point); anything
     * else must be an ordinary writable page. */
    unsigned long t = page_type(pg) == PGT_seg_desc_page ? PGT_seg_desc_page : PGT_writable_page;
    long rc = -XEN_EINVAL;
    if (get_page_type(pg, t) == 0) {
        uint64_t *e = (uint64_t *)((char *)map_domain_page(mfn) + (pa & (PAGE_SIZE - 1)));
        __atomic_store_n(e, ((uint64_t)b << 32) | a, __ATOMIC_SEQ_CST);
        put_page_type(pg);
        rc = 0;
    }
    put_page(pg);
    return rc;
}

/* The zero page shown in unused GDT slots: allocated once at boot. */
void pv_zero_page_init(void)
{
    void *z = alloc_xenheap_pages(0);
    if (!z)
        panic("no memory for the zero page");
    memset(z, 0, PAGE_SIZE);
    zero_page_mfn = virt_to_mfn(z);
}

mfn_t pv_zero_page_mfn(void)
{
    BUG_ON(!zero_page_mfn);
    return zero_page_mfn;
}
