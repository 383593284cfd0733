/*
 * Grant mappings in PV page tables (Xen 4.17's arch/x86/pv/grant_table.c:
 * create_grant_pv_mapping, replace_grant_pv_mapping, steal_linear_address),
 * plus the removal of a dying domain's grant PTEs and the TLB flush the
 * grant code asks for.
 *
 * A grant PTE is written by the hypervisor, not validated like a guest's:
 * the grant code already holds the references it stands for (a general
 * one, and a writable type one if it is writable), so put_page_from_l1e
 * drops exactly those when the PTE goes by any path. It is flagged NX and
 * carries bit 62 (as Xen's debug builds mark grant PTEs); guests may write
 * that bit too (Xen's release builds accept it), so it is only a hint.
 * Accounting never relies on it: every PTE, whoever wrote it, holds the
 * references it stands for, and removing one drops exactly those.
 *
 * The L1 table must be a validated L1 of the mapping domain. While the
 * entry is rewritten we hold a type reference on it, so it cannot be
 * devalidated underneath us (Xen's page_lock); a concurrent update of the
 * same entry makes the operation fail (compare-exchange), never lose a
 * reference.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/grant.h>
#include <pavise/pagetype.h>
#include <pavise/smp.h>
#include <pvabi/errno.h>
#include <pvabi/grant_table.h>
#include <asm/flush.h>
#include <asm/page.h>
#include <asm/pv.h>

#define _PAGE_GNTTAB    (1UL << 62)
#define AD_BITS         (_PAGE_ACCESSED | _PAGE_DIRTY)

/* The PTE flags of a grant mapping (Xen's grant_to_pte_flags; RAM frames
 * only, so no cache attributes). Bits 16.. of the map flags go to the
 * PTE's available bits 9..11 (XENFEAT_gnttab_map_avail_bits). */
static uint64_t grant_pte_flags(uint32_t flags)
{
    uint64_t f = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GNTTAB | pte_nx;

    if (flags & GNTMAP_application_map)
        f |= _PAGE_USER;
    if (!(flags & GNTMAP_readonly))
        f |= _PAGE_RW;
    f |= ((uint64_t)(flags >> _GNTMAP_guest_avail0) << 9) & _PAGE_AVAIL;
    return f;
}

/* A type reference on an L1 table that is in use as one; never starts a
 * validation. */
static bool l1_table_get(struct page_info *pg)
{
    unsigned long x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED);

    do {
        if ((x & PGT_type_mask) != PGT_l1_page_table || !(x & PGT_validated) ||
            !(x & PGT_count_mask) || !((x + 1) & PGT_count_mask))
            return false;
    } while (!__atomic_compare_exchange_n(&pg->type_info, &x, x + 1, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    return true;
}

/* The L1 slot a grant operation names, with a general and a type
 * reference on its table; NULL if there is none we may write. */
static pgentry_t *grant_l1_slot(struct domain *d, uint64_t addr, bool is_pte, mfn_t *l1mfn)
{
    pgentry_t *p;

    if (is_pte) {
        /* Must be aligned, or we would corrupt adjacent entries. */
        if (addr & (sizeof(pgentry_t) - 1)) {
            printk(LOG_DEBUG "d%u: misaligned PTE address %#lx\n", d->domain_id, addr);
            return NULL;
        }
        *l1mfn = addr >> PAGE_SHIFT;
        if (!mfn_valid(*l1mfn))
            return NULL;
        p = (pgentry_t *)((char *)map_domain_page(*l1mfn) + (addr & (PAGE_SIZE - 1)));
    } else {
        p = map_guest_l1e(addr, l1mfn);
        if (!p) {
            printk(LOG_DEBUG "d%u: could not find L1 PTE for linear address %#lx\n",
                   d->domain_id, addr);
            return NULL;
        }
    }
    if (!get_page(mfn_to_page(*l1mfn), d))
        return NULL;
    if (!l1_table_get(mfn_to_page(*l1mfn))) {
        put_page(mfn_to_page(*l1mfn));
        return NULL;
    }
    return p;
}

static void grant_l1_put(mfn_t l1mfn)
{
    put_page_type(mfn_to_page(l1mfn));
    put_page(mfn_to_page(l1mfn));
}

/* Replace old by new unless something other than the hardware's A/D
 * updates changed the entry meanwhile. */
static bool swap_entry(pgentry_t *p, pgentry_t old, pgentry_t new)
{
    for (;;) {
        pgentry_t seen = old;

        if (__atomic_compare_exchange_n(p, &seen, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
        if ((seen ^ old) & ~AD_BITS)
            return false;
        old = seen;
    }
}

int16_t create_grant_pv_mapping(uint64_t addr, mfn_t mfn, uint32_t flags, uint64_t *pte_maddr)
{
    struct domain *d = current->domain;
    pgentry_t nl1e = adjust_guest_l1e(mk_pte(mfn, grant_pte_flags(flags)));
    pgentry_t ol1e, *p;
    mfn_t l1mfn;
    bool ok;

    p = grant_l1_slot(d, addr, flags & GNTMAP_contains_pte, &l1mfn);
    if (!p)
        return GNTST_general_error;
    ol1e = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    ok = swap_entry(p, ol1e, nl1e);
    if (ok)
        *pte_maddr = (l1mfn << PAGE_SHIFT) | ((unsigned long)p & (PAGE_SIZE - 1));
    grant_l1_put(l1mfn);
    if (!ok)
        return GNTST_general_error;
    /* Whatever was mapped there before is unmapped, as for any PTE. */
    put_page_from_l1e(ol1e, d);
    return GNTST_okay;
}

/* Take the PTE mapping linear away (GNTTABOP_unmap_and_replace). */
static bool steal_linear_address(struct domain *d, uint64_t linear, pgentry_t *out)
{
    pgentry_t *p, ol1e;
    mfn_t l1mfn;
    bool ok;

    p = grant_l1_slot(d, linear, false, &l1mfn);
    if (!p)
        return false;
    ol1e = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    ok = swap_entry(p, ol1e, 0);
    grant_l1_put(l1mfn);
    if (ok)
        *out = ol1e;
    return ok;
}

int16_t replace_grant_pv_mapping(uint64_t addr, mfn_t mfn, uint64_t new_addr, uint32_t flags)
{
    struct domain *d = current->domain;
    uint64_t want = grant_pte_flags(flags);
    pgentry_t nl1e = 0, ol1e, *p;
    int16_t rc = GNTST_general_error;
    mfn_t l1mfn;

    if (flags & GNTMAP_contains_pte) {
        /* No replacing in this addressing mode. */
        if (new_addr)
            return GNTST_general_error;
    } else if (new_addr && !steal_linear_address(d, new_addr, &nl1e)) {
        return GNTST_general_error;
    }
    p = grant_l1_slot(d, addr, flags & GNTMAP_contains_pte, &l1mfn);
    if (!p)
        goto out;
    ol1e = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    /* The address must map this frame, with these permissions. */
    if (pte_mfn(ol1e) != mfn || ((ol1e ^ want) & (_PAGE_PRESENT | _PAGE_RW))) {
        printk(LOG_DEBUG "d%u: PTE %#lx for %#lx doesn't match grant (%#lx)\n", d->domain_id,
               ol1e, addr, mk_pte(mfn, want));
    } else if (swap_entry(p, ol1e, nl1e)) {
        rc = GNTST_okay;
    }
    grant_l1_put(l1mfn);
out:
    /* On failure the stolen PTE is ours to drop. */
    if (rc != GNTST_okay)
        put_page_from_l1e(nl1e, d);
    return rc;
}

void release_grant_pv_mapping(struct domain *d, uint64_t pte_maddr, mfn_t mfn, uint32_t flags)
{
    mfn_t l1mfn = pte_maddr >> PAGE_SHIFT;
    pgentry_t *p, e;
    bool rw = !(flags & GNTMAP_readonly);

    if (!pte_maddr || !mfn_valid(l1mfn) || !get_page(mfn_to_page(l1mfn), d))
        return;
    if (!l1_table_get(mfn_to_page(l1mfn))) {
        /* No longer a page table: devalidation dropped the PTE's refs. */
        put_page(mfn_to_page(l1mfn));
        return;
    }
    p = (pgentry_t *)((char *)map_domain_page(l1mfn) + (pte_maddr & (PAGE_SIZE - 1)));
    e = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    /* Only a grant PTE of this frame with these permissions is ours; any
     * other entry there means ours went already (its refs with it). */
    if ((e & (_PAGE_PRESENT | _PAGE_GNTTAB)) == (_PAGE_PRESENT | _PAGE_GNTTAB) &&
        pte_mfn(e) == mfn && !!(e & _PAGE_RW) == rw && swap_entry(p, e, 0))
        put_page_from_l1e(e, d);
    grant_l1_put(l1mfn);
}

void grant_flush_tlb(struct domain *d)
{
    cpumask_t mask = __atomic_load_n(&d->arch.dirty_cpumask, __ATOMIC_SEQ_CST);

    if (current->domain == d)
        mask |= 1UL << smp_processor_id();
    if (mask)
        flush_tlb_mask(mask);
}

long grant_cache_flush(mfn_t mfn, unsigned int offset, unsigned int len, bool clean, bool inval)
{
    const char *p = (const char *)map_domain_page(mfn) + offset;

    if (!clean && inval)
        return -XEN_EOPNOTSUPP;     /* dropping dirty lines unwritten is not offered */
    __asm__ volatile("mfence" ::: "memory");
    for (unsigned long a = (unsigned long)p & ~63UL; a < (unsigned long)p + len; a += 64)
        __asm__ volatile("clflush (%0)" :: "r"(a) : "memory");
    __asm__ volatile("mfence" ::: "memory");
    return 0;
}
