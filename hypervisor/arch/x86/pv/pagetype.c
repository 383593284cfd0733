/*
 * Page types, references and page-table validation for PV guests (see
 * pavise/pagetype.h). Entry rules follow Xen 4.17 as Debian builds it
 * (arch/x86/mm.c, a release build):
 *
 *   L1: no PWT/PCD/PAT unless the domain has I/O rights; the software
 *       bits 52-62 are the guest's (bit 62 marks grant PTEs only in
 *       Xen's debug builds). Target RAM must be the named owner's (a
 *       privileged owner may name its foreign target's frames); I/O
 *       memory needs I/O rights and is mapped uncached, read-only MMIO
 *       read-only; RW entries take a writable type reference.
 *   L2: no PWT/PCD/PSE/G; target typed L1.
 *   L3: no PWT/PCD/PSE/G; target typed L2.
 *   L4: no PWT/PCD/PSE/G; target typed L3; slots 256-271 belong to
 *       the hypervisor and are (re)written by it on validation (256, the
 *       read-only M2P, only with VMASST_TYPE_m2p_strict: otherwise it is
 *       filled when the L4 becomes a kernel base pointer).
 *   L2-L4 may also name a table of their own level read-only (linear
 *   page tables, linear_pt.c).
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
#include <pvabi/xen.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/flush.h>
#include "pagetable.h"

static struct domain dom_io_struct = { .domain_id = DOMID_IO, .name = "dom_io" };
struct domain *dom_io = &dom_io_struct;

#define BASE_DISALLOW   (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT | _PAGE_GLOBAL)
#define L1_DISALLOW     (BASE_DISALLOW & ~_PAGE_GLOBAL)
#define LN_DISALLOW     BASE_DISALLOW       /* _PAGE_PSE is _PAGE_PAT's bit */
#define RO_MPT_SLOT     256

uint64_t pv_l1_disallow_mask(const struct domain *d)
{
    return d->arch.iomem_all ? (L1_DISALLOW & ~L1_CACHE_ATTRS) : L1_DISALLOW;
}

uint64_t pv_lN_disallow_mask(unsigned int level)
{
    (void)level;
    return LN_DISALLOW;
}

/* ------------------------------------------------------------ general refs */

struct domain *page_get_owner_and_reference(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED), nx;

    do {
        /* Free, or about to overflow: no reference, no owner. */
        if (!(x & PGC_count_mask) || ((x + 1) & PGC_count_mask) == 0)
            return NULL;
        nx = x + 1;
    } while (!__atomic_compare_exchange_n(&pg->count_info, &x, nx, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    /* The owner only changes when the count is zero, which we prevent. */
    struct domain *owner = pg->owner;
    if (!owner)     /* referenced but nobody's: give back what we took */
        __atomic_fetch_sub(&pg->count_info, 1, __ATOMIC_SEQ_CST);
    return owner;
}

bool get_page(struct page_info *pg, const struct domain *d)
{
    struct domain *owner = page_get_owner_and_reference(pg);

    if (owner && owner == d)
        return true;
    if (owner)
        put_page(pg);
    return false;
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

/* ------------------------------------------------------------ L1 entries */

/*
 * An entry for I/O memory: a frame that is not RAM, or RAM owned by
 * dom_io. No reference is taken. DOMID_IO stands for the caller in the
 * privilege checks; both the named owner and the table's owner need I/O
 * rights. Xen maps MMIO uncached unless asked for a non-cacheable type,
 * and read-only MMIO read-only (answered as flags to flip).
 */
static int get_io_l1e(pgentry_t e, mfn_t mfn, struct domain *l1e_owner, struct domain *pg_owner)
{
    int flip = 0;

    if (pg_owner == dom_io)
        pg_owner = pv_caller_domain();
    if (!pv_iomem_permitted(pg_owner, mfn) ||
        (pg_owner != l1e_owner && !pv_iomem_permitted(l1e_owner, mfn))) {
        if (mfn == INVALID_PTE_MFN)
            return -XEN_EINVAL;
        printk(LOG_DEBUG "d%u: d%u may not map MMIO frame %#lx\n", l1e_owner->domain_id,
               pg_owner->domain_id, mfn);
        return -XEN_EPERM;
    }
    if (pv_mmio_ro(mfn) && (e & _PAGE_RW))
        flip = _PAGE_RW;
    switch (e & L1_CACHE_ATTRS) {
    case 0:                                 /* WB */
        flip |= _PAGE_PCD | _PAGE_PWT;
        break;
    case _PAGE_PWT:                         /* WT */
    case _PAGE_PWT | _PAGE_PAT:             /* WP */
        flip |= (int)(_PAGE_PCD | (e & _PAGE_PAT));
        break;
    default:                                /* UC-, UC, WC: kept */
        break;
    }
    return flip;
}

/* May pg_owner let another domain's table map real_owner's frames? (Xen's
 * XSM_TARGET privileged-mapping check, made on pg_owner.) */
static bool privileged_mapping(const struct domain *pg_owner)
{
    return pg_owner->is_privileged;
}

int get_page_from_l1e(pgentry_t e, struct domain *l1e_owner, struct domain *pg_owner)
{
    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & pv_l1_disallow_mask(l1e_owner)) {
        printk(LOG_DEBUG "d%u: bad L1 flags %#lx\n", l1e_owner->domain_id,
               e & pv_l1_disallow_mask(l1e_owner));
        return -XEN_EINVAL;
    }
    mfn_t mfn = pte_mfn(e);
    if (!mfn_valid(mfn))
        return get_io_l1e(e, mfn, l1e_owner, pg_owner);

    struct page_info *pg = mfn_to_page(mfn);
    struct domain *real = page_get_owner_and_reference(pg);
    if (real == dom_io) {
        put_page(pg);               /* only needed to see the owner */
        return get_io_l1e(e, mfn, l1e_owner, pg_owner);
    }
    if (real != pg_owner) {
        /* A privileged domain may map its foreign target's frames when it
         * names that domain as the owner (mmu_update with a foreign id). */
        if (!real || pg_owner == l1e_owner || !privileged_mapping(pg_owner)) {
            printk(LOG_DEBUG "d%u: frame %#lx belongs to d%d, not d%u\n", l1e_owner->domain_id,
                   mfn, real ? (int)real->domain_id : -1, pg_owner->domain_id);
            if (real)
                put_page(pg);
            return -XEN_EBUSY;
        }
    }
    if ((e & _PAGE_RW) && get_page_type(pg, PGT_writable_page)) {
        printk(LOG_DEBUG "d%u: frame %#lx cannot be mapped writable (type %#lx)\n",
               l1e_owner->domain_id, mfn, pg->type_info);
        put_page(pg);
        return -XEN_EBUSY;
    }
    if ((e & L1_CACHE_ATTRS) && (pg->count_info & PGC_xen_heap)) {
        /* Hypervisor pages stay write-back: an uncached alias would break
         * the coherency of the hypervisor's own mapping. */
        printk(LOG_DEBUG "d%u: cache attributes of hypervisor page %#lx\n",
               l1e_owner->domain_id, mfn);
        if (e & _PAGE_RW)
            put_page_type(pg);
        put_page(pg);
        return -XEN_EACCES;
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

/* ------------------------------------------------------------ L2-L4 entries */

int get_page_from_lNe(pgentry_t e, mfn_t table, unsigned int level, struct domain *d)
{
    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & pv_lN_disallow_mask(level)) {
        printk(LOG_DEBUG "d%u: bad L%u flags %#lx\n", d->domain_id, level,
               e & pv_lN_disallow_mask(level));
        return -XEN_EINVAL;
    }
    mfn_t mfn = pte_mfn(e);
    int rc = mfn_valid(mfn) ? get_page_and_type(mfn_to_page(mfn), d, pt_type_of_level(level - 1))
                            : -XEN_EINVAL;
    /* Not the level below: perhaps a linear entry (Xen tries that only
     * when the frame was refused as the level below with -EINVAL). */
    if (rc == -XEN_EINVAL && get_linear_pagetable(e, table, level, d))
        rc = 0;
    if (rc)
        printk(LOG_DEBUG "d%u: L%u entry %#lx of %#lx: frame not usable as L%u: %d\n",
               d->domain_id, level, e, table, level - 1, rc);
    return rc;
}

void put_page_from_lNe(pgentry_t e, mfn_t table, unsigned int level)
{
    if (!(e & _PAGE_PRESENT))
        return;
    mfn_t mfn = pte_mfn(e);
    if (mfn == table || !mfn_valid(mfn))
        return;                     /* a linear entry naming its own table holds nothing */
    struct page_info *pg = mfn_to_page(mfn);
    /* The entry holds a type reference, so the target's type is stable:
     * the table's own level means a linear entry. */
    if (page_type(pg) == pt_type_of_level(level))
        put_linear_pagetable(pg, mfn_to_page(table));
    else
        put_page_and_type(pg);
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
        if ((rc = get_page_from_l1e(t[i], d, d)) < 0)
            goto fail;
        t[i] = adjust_guest_l1e(l1e_flip(t[i], rc));
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
    mfn_t mfn = page_to_mfn(pg);
    pgentry_t *t = map_domain_page(mfn);
    unsigned int i;
    int rc = 0;

    for (i = 0; i < 512; i++) {
        if (level == 4 && !is_guest_l4_slot(i))
            continue;
        if ((rc = get_page_from_lNe(t[i], mfn, level, d)) != 0)
            goto fail;
        t[i] = adjust_guest_lNe(t[i], level);
    }
    if (level == 4) {
        init_hv_l4_slots(t, d->arch.perdomain_l3e);
        /* The read-only M2P is filled in when the L4 becomes a kernel
         * base pointer, unless the guest asked for m2p_strict. */
        if (!(d->vm_assist & (1UL << VMASST_TYPE_m2p_strict)))
            t[RO_MPT_SLOT] = 0;
    }
    return 0;
fail:
    printk(LOG_DEBUG "d%u: L%u %#lx entry %u (%#lx) invalid\n", d->domain_id, level, mfn, i, t[i]);
    while (i-- > 0)
        if (level != 4 || is_guest_l4_slot(i))
            put_page_from_lNe(t[i], mfn, level);
    return rc;
}

static void free_page_type(struct page_info *pg, unsigned long type)
{
    mfn_t mfn = page_to_mfn(pg);
    pgentry_t *t = map_domain_page(mfn);
    struct domain *d = pg->owner;
    unsigned int level = pt_level_of_type(type);

    switch (type) {
    case PGT_l1_page_table:
        for (unsigned int i = 0; i < 512; i++)
            put_page_from_l1e(t[i], d);
        break;
    case PGT_l2_page_table:
    case PGT_l3_page_table:
    case PGT_l4_page_table:
        for (unsigned int i = 0; i < 512; i++)
            if (level != 4 || is_guest_l4_slot(i))
                put_page_from_lNe(t[i], mfn, level);
        if (pg->linear_pt_count) {
            /* Every linear reference holds a type reference, and every
             * linear entry of ours just went: a miscount is our bug. */
            printk(LOG_ERR "d%u: table %#lx devalidated with linear count %d\n",
                   d ? (int)d->domain_id : -1, mfn, pg->linear_pt_count);
            pg->linear_pt_count = 0;
        }
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

    /* A hypervisor page shared with a guest (shared_info, grant table
     * frames) is written by the hypervisor at any time: never a page
     * table or descriptor page (Xen shares them permanently writable). */
    if ((pg->count_info & PGC_xen_heap) && type != PGT_writable_page && type != PGT_none)
        return -XEN_EINVAL;

    for (;;) {
        nx = x + 1;
        if ((nx & PGT_count_mask) == 0)
            return -XEN_EINVAL;                 /* count overflow */
        if ((x & PGT_count_mask) == 0) {
            if ((x & PGT_type_mask) != type) {
                /* Changing type: no mapping or entry holds the old type any
                 * more (count 0), but a CPU may still cache a translation
                 * or paging-structure entry through it (a writable
                 * mapping, or a dropped entry naming the table): flush
                 * those that have not flushed since it was last held. */
                if ((x & PGT_type_mask) != PGT_none)
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
        if ((nx & (PGT_locked | PGT_count_mask)) == (PGT_locked | 1)) {
            /* Only the lock's reference would be left, and page_unlock()
             * does not devalidate: wait for the holder to finish. */
            arch_cpu_relax();
            x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED);
            continue;
        }
        if ((nx & PGT_count_mask) == 0) {
            unsigned long t = x & PGT_type_mask;
            if ((x & PGT_validated) && (is_pagetable_type(t) || t == PGT_seg_desc_page)) {
                /* Last reference of a validated table: devalidate, keeping
                 * our reference until its entries' references are gone. */
                if (!__atomic_compare_exchange_n(&pg->type_info, &x, x & ~PGT_validated, false,
                                                 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
                    continue;
                free_page_type(pg, t);
                pg->tlbflush_timestamp = tlbflush_current_time();
                x &= ~PGT_validated;
                nx = x - 1;
                __atomic_store_n(&pg->type_info, nx, __ATOMIC_SEQ_CST);
                return;
            }
            if (t != PGT_none)
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

/* ------------------------------------------------------------ page lock */

bool page_lock(struct page_info *pg)
{
    unsigned long x, nx;

    for (;;) {
        x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED);
        if (x & PGT_locked) {
            arch_cpu_relax();
            continue;
        }
        nx = x + (1 | PGT_locked);
        if (!(x & PGT_validated) || !(x & PGT_count_mask) || !(nx & PGT_count_mask))
            return false;
        if (__atomic_compare_exchange_n(&pg->type_info, &x, nx, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_RELAXED))
            return true;
    }
}

void page_unlock(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED), nx;

    do {
        BUG_ON(!(x & PGT_locked) || !(x & PGT_count_mask));
        nx = x - (1 | PGT_locked);
        /* put_page_type() waits rather than leave us the last reference. */
        BUG_ON(!(nx & PGT_count_mask));
    } while (!__atomic_compare_exchange_n(&pg->type_info, &x, nx, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
}
