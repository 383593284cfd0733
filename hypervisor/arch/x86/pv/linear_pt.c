/*
 * Linear ("recursive") page tables, as Xen 4.17 allows them to PV guests
 * (CONFIG_PV_LINEAR_PT, on in Debian's build; arch/x86/mm.c
 * get_l<N>_linear_pagetable): an L2, L3 or L4 entry may name a table of
 * its own level instead of the level below, so that the guest sees its
 * page tables through its own address space. Rules:
 *
 *   1. The entry must be read-only, or the guest would get write access
 *      to its own page tables through it.
 *   2. An entry naming its own table holds no reference at all (the
 *      table can then be validated while it names itself).
 *   3. Another table must already be a validated table of that level,
 *      owned by the same domain as the table holding the entry; the entry
 *      holds a general and a type reference on it, taken without
 *      validation (which could wait on the very validation in progress).
 *   4. Depth one only: a table named by linear entries may not hold
 *      linear entries of its own and vice versa. page_info's
 *      linear_pt_count counts the entries a table holds (> 0) or the
 *      entries naming it (< 0), so the two can never mix (XSA-240).
 *
 * Entries naming their own table are told apart at put time by the frame
 * (pagetype.c), linear entries naming another table by their target's
 * type: the same level as the table that holds them.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/pagetype.h>
#include "pagetable.h"

/* The table gains a linear entry: only if nothing names it linearly. */
static bool inc_linear_entries(struct page_info *pg)
{
    int16_t oc = __atomic_load_n(&pg->linear_pt_count, __ATOMIC_RELAXED);

    do {
        if (oc < 0 || oc == INT16_MAX)
            return false;
    } while (!__atomic_compare_exchange_n(&pg->linear_pt_count, &oc, (int16_t)(oc + 1), false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    return true;
}

static void dec_linear_entries(struct page_info *pg)
{
    int16_t oc = __atomic_fetch_sub(&pg->linear_pt_count, 1, __ATOMIC_SEQ_CST);

    BUG_ON(oc <= 0);
}

/* The table gains a linear entry naming it: only if it holds none. */
static bool inc_linear_uses(struct page_info *pg)
{
    int16_t oc = __atomic_load_n(&pg->linear_pt_count, __ATOMIC_RELAXED);

    do {
        if (oc > 0 || oc == INT16_MIN)
            return false;
    } while (!__atomic_compare_exchange_n(&pg->linear_pt_count, &oc, (int16_t)(oc - 1), false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    return true;
}

static void dec_linear_uses(struct page_info *pg)
{
    int16_t oc = __atomic_fetch_add(&pg->linear_pt_count, 1, __ATOMIC_SEQ_CST);

    BUG_ON(oc >= 0);
}

/* A type reference on a table validated as 'type', never validating. */
static bool get_validated_type(struct page_info *pg, unsigned long type)
{
    unsigned long x = __atomic_load_n(&pg->type_info, __ATOMIC_RELAXED);

    do {
        if ((x & PGT_count_mask) == PGT_count_mask ||
            (x & (PGT_type_mask | PGT_validated)) != (type | PGT_validated))
            return false;
    } while (!__atomic_compare_exchange_n(&pg->type_info, &x, x + 1, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_RELAXED));
    return true;
}

bool get_linear_pagetable(pgentry_t e, mfn_t table, unsigned int level, struct domain *d)
{
    mfn_t mfn = pte_mfn(e);

    if (e & _PAGE_RW) {
        printk(LOG_DEBUG "d%u: attempt to create a linear L%u entry with write access\n",
               d->domain_id, level);
        return false;
    }
    if (mfn == table)
        return true;

    struct page_info *ptpg = mfn_to_page(table), *pg;
    if (ptpg->owner != d || !mfn_valid(mfn) || !get_page(pg = mfn_to_page(mfn), d))
        return false;
    if (!inc_linear_entries(ptpg))
        goto no_entries;
    if (!inc_linear_uses(pg))
        goto no_uses;
    if (!get_validated_type(pg, pt_type_of_level(level)))
        goto no_type;
    return true;

no_type:
    dec_linear_uses(pg);
no_uses:
    dec_linear_entries(ptpg);
no_entries:
    printk(LOG_DEBUG "d%u: L%u %#lx: linear entry to %#lx refused (counts %d, %d, type %#lx)\n",
           d->domain_id, level, table, mfn, ptpg->linear_pt_count, pg->linear_pt_count,
           pg->type_info);
    put_page(pg);
    return false;
}

void put_linear_pagetable(struct page_info *target, struct page_info *table)
{
    /*
     * The counts first: once the type reference is gone the target may
     * be devalidated and validated afresh, which starts from zero.
     */
    dec_linear_uses(target);
    dec_linear_entries(table);
    put_page_and_type(target);
}
