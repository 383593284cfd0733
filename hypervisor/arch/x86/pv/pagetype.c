/*
 * Page types, references and page-table validation for PV guests (see
 * pavise/pagetype.h). Entry rules follow Xen 4.17 (arch/x86/mm.c):
 *
 *   L1: no PWT/PCD/PAT unless the domain has I/O rights, no bit 62;
 *       target RAM must be owned (or I/O memory the domain may map);
 *       RW entries take a writable type reference.
 *   L2: no PWT/PCD/G, no PSE (no PV superpages); target typed L1.
 *   L3: no PWT/PCD/PSE/G; target typed L2.
 *   L4: no PWT/PCD/PSE/G; target typed L3; slots 256-271 belong to
 *       the hypervisor and are (re)written by it on validation.
 *
 * Validated entries are adjusted in place as Xen does: guest-kernel L1
 * mappings get USER plus the software bit 52, user ones GLOBAL; present
 * L2-L4 entries get USER (the guest kernel runs in ring 3).
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/pagetype.h>
#include <pavise/smp.h>
#include <pvabi/errno.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/flush.h>

static struct domain dom_io_struct = { .domain_id = DOMID_IO, .name = "dom_io" };
struct domain *dom_io = &dom_io_struct;

#define BASE_DISALLOW   (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT | _PAGE_GLOBAL)
#define L1_DISALLOW     ((BASE_DISALLOW | (1UL << 62)) & ~_PAGE_GLOBAL)
#define L1_CACHE_ATTRS  (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define L2_DISALLOW     BASE_DISALLOW
#define L3_DISALLOW     BASE_DISALLOW
#define L4_DISALLOW     BASE_DISALLOW
/* Reserved physical-address bits above what the MFN field may hold. */
#define PTE_ADDR_HIGH   0x000ff00000000000UL

uint64_t pv_l1_disallow_mask(const struct domain *d)
{
    return d->arch.iomem_all ? (L1_DISALLOW & ~L1_CACHE_ATTRS) : L1_DISALLOW;
}

/* ------------------------------------------------------------ general refs */

bool get_page(struct page_info *pg, const struct domain *d)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED), nx;
    do {
        /* Free, or about to overflow: refuse. */
        if (!(x & PGC_count_mask) || ((x + 1) & PGC_count_mask) == 0)
            return false;
        nx = x + 1;
    } while (!__atomic_compare_exchange_n(&pg->count_info, &x, nx, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    /* The owner only changes when the count is zero, which we prevent. */
    if (pg->owner != d) {
        put_page(pg);
        return false;
    }
    return true;
}

void put_page(struct page_info *pg)
{
    unsigned long x = __atomic_sub_fetch(&pg->count_info, 1, __ATOMIC_SEQ_CST);
    if ((x & PGC_count_mask) == 0) {
        if (x & PGC_xen_heap) {
            /* A shared hypervisor page the domain let go of. */
            pg->owner = NULL;
            free_heap_pages(pg, 0);
        } else {
            free_domain_frame(pg);
        }
    }
}

/* ------------------------------------------------------------ entry checks */

static bool hv_owned_mmio(mfn_t mfn)
{
    /* The local APIC and the IO-APICs stay with the hypervisor (dom0
     * reaches IO-APICs through PHYSDEVOP_apic_read/write). */
    paddr_t pa = mfn << PAGE_SHIFT;
    return (pa >= 0xfec00000UL && pa < 0xfec10000UL) ||   /* IO-APICs */
           (pa >= 0xfee00000UL && pa < 0xfef00000UL);     /* local APIC */
}

/* May d map frame mfn, which is not ordinary owned RAM? */
static bool iomem_permitted(const struct domain *d, mfn_t mfn)
{
    if (!d->arch.iomem_all || hv_owned_mmio(mfn))
        return false;
    if (!mfn_valid(mfn))
        return true;                    /* not RAM: MMIO or firmware */
    return mfn_to_page(mfn)->owner == dom_io;
}

int get_page_from_l1e(pgentry_t e, struct domain *l1e_owner, struct domain *pg_owner)
{
    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & (pv_l1_disallow_mask(l1e_owner) | PTE_ADDR_HIGH)) {
        printk(LOG_DEBUG "d%u: bad L1 flags %#lx\n", l1e_owner->domain_id,
               e & (pv_l1_disallow_mask(l1e_owner) | PTE_ADDR_HIGH));
        return -XEN_EINVAL;
    }
    mfn_t mfn = pte_mfn(e);
    if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner == dom_io) {
        if (iomem_permitted(pg_owner, mfn))
            return 0;
        printk(LOG_DEBUG "d%u: may not map I/O or hypervisor frame %#lx\n",
               l1e_owner->domain_id, mfn);
        return -XEN_EPERM;
    }
    struct page_info *pg = mfn_to_page(mfn);
    struct domain *real = pg->owner;
    if (real != pg_owner) {
        /* A privileged domain may map its foreign target's frames when it
         * asks for them as that domain (mmu_update with a foreign id). */
        if (!real || pg_owner == l1e_owner || !l1e_owner->is_privileged) {
            printk(LOG_DEBUG "d%u: frame %#lx belongs to d%d, not d%u\n", l1e_owner->domain_id,
                   mfn, real ? (int)real->domain_id : -1, pg_owner->domain_id);
            return -XEN_EBUSY;
        }
        pg_owner = real;
    }
    if (!get_page(pg, pg_owner))
        return -XEN_EBUSY;
    if ((e & _PAGE_RW) && get_page_type(pg, PGT_writable_page)) {
        put_page(pg);
        printk(LOG_DEBUG "d%u: frame %#lx cannot be mapped writable (type %#lx)\n",
               l1e_owner->domain_id, mfn, pg->type_info);
        return -XEN_EBUSY;
    }
    return 0;
}

void put_page_from_l1e(pgentry_t e, struct domain *l1e_owner)
{
    (void)l1e_owner;
    if (!(e & _PAGE_PRESENT))
        return;
    mfn_t mfn = pte_mfn(e);
    if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner == dom_io)
        return;
    struct page_info *pg = mfn_to_page(mfn);
    if (e & _PAGE_RW)
        put_page_and_type(pg);
    else
        put_page(pg);
}

static int get_lower_table(pgentry_t e, uint64_t disallow, unsigned long type, struct domain *d)
{
    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & (disallow | PTE_ADDR_HIGH)) {
        printk(LOG_DEBUG "d%u: bad L%lu flags %#lx\n", d->domain_id, (type >> 61) + 1,
               e & (disallow | PTE_ADDR_HIGH));
        return -XEN_EINVAL;
    }
    if ((e & _PAGE_PSE) && type == PGT_l1_page_table) {
        printk(LOG_DEBUG "d%u: PV superpages are not supported\n", d->domain_id);
        return -XEN_EINVAL;
    }
    mfn_t mfn = pte_mfn(e);
    if (!mfn_valid(mfn))
        return -XEN_EINVAL;
    int rc = get_page_and_type(mfn_to_page(mfn), d, type);
    if (rc)
        printk(LOG_DEBUG "d%u: L%lu entry %#lx: frame %#lx (owner d%d, count %#lx, type %#lx) "
               "not usable as L%lu: %d\n", d->domain_id, (type >> 61) + 1, e, mfn,
               mfn_to_page(mfn)->owner ? (int)mfn_to_page(mfn)->owner->domain_id : -1,
               mfn_to_page(mfn)->count_info, mfn_to_page(mfn)->type_info, type >> 61, rc);
    return rc;
}

int get_page_from_l2e(pgentry_t e, struct domain *d) { return get_lower_table(e, L2_DISALLOW, PGT_l1_page_table, d); }
int get_page_from_l3e(pgentry_t e, struct domain *d) { return get_lower_table(e, L3_DISALLOW, PGT_l2_page_table, d); }
int get_page_from_l4e(pgentry_t e, struct domain *d) { return get_lower_table(e, L4_DISALLOW, PGT_l3_page_table, d); }

void put_page_from_lNe(pgentry_t e)
{
    if ((e & _PAGE_PRESENT) && mfn_valid(pte_mfn(e)))
        put_page_and_type(mfn_to_page(pte_mfn(e)));
}

pgentry_t adjust_guest_l1e(pgentry_t e)
{
    if (!(e & _PAGE_PRESENT))
        return e;
    if (!(e & _PAGE_USER))
        e |= _PAGE_GUEST_KERNEL | _PAGE_USER;
    if (!(e & _PAGE_GUEST_KERNEL))
        e |= _PAGE_GLOBAL | _PAGE_USER;
    return e;
}

pgentry_t adjust_guest_lNe(pgentry_t e, unsigned int level)
{
    if (!(e & _PAGE_PRESENT))
        return e;
    e |= _PAGE_USER;
    if (level == 4)
        e |= _PAGE_ACCESSED;
    return e;
}

bool is_guest_l4_slot(unsigned int i)
{
    return i < HV_FIRST_SLOT || i > HV_LAST_SLOT;
}

/* ------------------------------------------------------------ validation */

static int alloc_l1_table(struct page_info *pg)
{
    struct domain *d = pg->owner;
    pgentry_t *t = map_domain_page(page_to_mfn(pg));
    unsigned int i;
    int rc = 0;

    for (i = 0; i < 512; i++) {
        if ((rc = get_page_from_l1e(t[i], d, d)) != 0)
            goto fail;
        t[i] = adjust_guest_l1e(t[i]);
    }
    return 0;
fail:
    printk(LOG_DEBUG "d%u: L1 %#lx entry %u (%#lx) invalid\n", d->domain_id, page_to_mfn(pg), i, t[i]);
    while (i-- > 0)
        put_page_from_l1e(t[i], d);
    return rc;
}

static int alloc_lN_table(struct page_info *pg, unsigned int level)
{
    struct domain *d = pg->owner;
    pgentry_t *t = map_domain_page(page_to_mfn(pg));
    unsigned int i;
    int rc = 0;

    for (i = 0; i < 512; i++) {
        if (level == 4 && !is_guest_l4_slot(i))
            continue;
        rc = level == 2 ? get_page_from_l2e(t[i], d)
           : level == 3 ? get_page_from_l3e(t[i], d)
           : get_page_from_l4e(t[i], d);
        if (rc)
            goto fail;
        t[i] = adjust_guest_lNe(t[i], level);
    }
    if (level == 4)
        init_hv_l4_slots(t, d->arch.perdomain_l3e);
    return 0;
fail:
    printk(LOG_DEBUG "d%u: L%u %#lx entry %u (%#lx) invalid\n", d->domain_id, level,
           page_to_mfn(pg), i, t[i]);
    while (i-- > 0)
        if (level != 4 || is_guest_l4_slot(i))
            put_page_from_lNe(t[i]);
    return rc;
}

static void free_page_type(struct page_info *pg, unsigned long type)
{
    pgentry_t *t = map_domain_page(page_to_mfn(pg));
    struct domain *d = pg->owner;

    switch (type) {
    case PGT_l1_page_table:
        for (unsigned int i = 0; i < 512; i++)
            put_page_from_l1e(t[i], d);
        break;
    case PGT_l2_page_table:
    case PGT_l3_page_table:
        for (unsigned int i = 0; i < 512; i++)
            put_page_from_lNe(t[i]);
        break;
    case PGT_l4_page_table:
        for (unsigned int i = 0; i < 512; i++)
            if (is_guest_l4_slot(i))
                put_page_from_lNe(t[i]);
        break;
    default:
        break;
    }
}

static int alloc_page_type(struct page_info *pg, unsigned long type)
{
    switch (type) {
    case PGT_l1_page_table: return alloc_l1_table(pg);
    case PGT_l2_page_table: return alloc_lN_table(pg, 2);
    case PGT_l3_page_table: return alloc_lN_table(pg, 3);
    case PGT_l4_page_table: return alloc_lN_table(pg, 4);
    case PGT_seg_desc_page: return pv_validate_desc_page(pg) ? 0 : -XEN_EINVAL;
    default: return 0;
    }
}

/* ------------------------------------------------------------ type refs */

int get_page_type(struct page_info *pg, unsigned long type)
{
    unsigned long x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED), nx;

    for (;;) {
        nx = x + 1;
        if ((nx & PGT_count_mask) == 0)
            return -XEN_EINVAL;                 /* count overflow */
        if ((x & PGT_count_mask) == 0) {
            if ((x & PGT_type_mask) != type) {
                /* Changing type: any writable mapping is gone (count 0),
                 * but stale TLB entries may remain on some CPU. */
                if ((x & PGT_type_mask) == PGT_writable_page && type != PGT_writable_page)
                    flush_tlb_if_stale(pg->tlbflush_timestamp);
                nx = type | 1;
            }
            /* Writable and untyped frames need no validation. */
            if (type == PGT_writable_page || type == PGT_none)
                nx |= PGT_validated;
        } else if ((x & PGT_type_mask) != type) {
            return -XEN_EINVAL;                 /* in use as something else */
        } else if (!(x & PGT_validated)) {
            /* Another CPU is validating it right now: wait. */
            arch_cpu_relax();
            x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED);
            continue;
        }
        if (__atomic_compare_exchange_n(&pg->type_info, &x, nx, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            break;
    }
    if (nx & PGT_validated)
        return 0;

    /* We took the first reference of a new type: validate. */
    int rc = alloc_page_type(pg, type);
    if (rc) {
        /* Back to untyped, count 0 (we held the only reference). */
        __atomic_store_n(&pg->type_info, PGT_none, __ATOMIC_SEQ_CST);
        return rc;
    }
    __atomic_fetch_or(&pg->type_info, PGT_validated, __ATOMIC_SEQ_CST);
    return 0;
}

void put_page_type(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED), nx;

    for (;;) {
        BUG_ON((x & PGT_count_mask) == 0);
        nx = x - 1;
        if ((nx & PGT_count_mask) == 0) {
            unsigned long t = x & PGT_type_mask;
            if ((x & PGT_validated) && (is_pagetable_type(t) || t == PGT_seg_desc_page)) {
                /* Last reference of a validated table: devalidate, keeping
                 * our reference until its entries' references are gone. */
                if (!__atomic_compare_exchange_n(&pg->type_info, &x, x & ~PGT_validated, false,
                                                 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
                    continue;
                free_page_type(pg, t);
                x &= ~PGT_validated;
                nx = x - 1;
                __atomic_store_n(&pg->type_info, nx, __ATOMIC_SEQ_CST);
                return;
            }
            if (t == PGT_writable_page)
                pg->tlbflush_timestamp = tlbflush_current_time();
        }
        if (__atomic_compare_exchange_n(&pg->type_info, &x, nx, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return;
    }
}

int get_page_and_type(struct page_info *pg, const struct domain *d, unsigned long type)
{
    if (!get_page(pg, d))
        return -XEN_EINVAL;
    int rc = get_page_type(pg, type);
    if (rc)
        put_page(pg);
    return rc;
}

void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}
