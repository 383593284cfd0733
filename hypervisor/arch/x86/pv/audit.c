/*
 * The page-type audit (debug): walk every validated page table of every
 * domain, recount the references its entries should hold, and compare
 * with the frame table. Run with every domain paused, from the idle
 * context (the reaper, when a domain has shut down, with the boot option
 * "mmu_audit"). A violation is a broken isolation invariant:
 *
 *   - an L1 entry that maps a frame its domain may not map (another
 *     domain's without privilege, I/O or hypervisor memory without I/O
 *     rights), or with flags the entry rules refuse;
 *   - a writable L1 mapping of a frame that is not typed writable (a page
 *     table or descriptor page mapped writable);
 *   - an L2-L4 entry naming a frame not typed, validated and owned as the
 *     next level down, unless it is a read-only linear entry (naming its
 *     own table, or another validated table of its level); an L4 whose
 *     hypervisor slots differ from ours (slot 256, the read-only M2P, may
 *     also be empty);
 *   - linear page-table counts that differ from the linear entries found,
 *     or a table that both holds linear entries and is named by them;
 *   - a page-table frame whose type count differs from the references
 *     found (entries above it, pin, vCPU base pointers): a missing one
 *     means a table that could be freed while in use, an extra one a leak;
 *   - a frame whose general or writable count is below what its mappings
 *     hold.
 *
 * Grant mappings (L1 entries the grant code writes with bit 62) may map
 * other domains' frames: for entries with bit 62 the owner check is left
 * out. Everything else applies to them (they hold the same references as
 * any entry), and to entries a guest wrote with bit 62 itself, which the
 * rules allow as in Xen's release builds.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/pagetype.h>
#include <asm/page.h>
#include <asm/pv.h>
#include "pagetable.h"

#define _PAGE_GNTTAB    (1UL << 62)
#define MAX_REPORTS     16

struct refs {
    uint32_t general;       /* from L1-L4 entries and base pointers */
    uint32_t typed;         /* type references of page-table frames */
    uint32_t writable;      /* writable L1 mappings */
    uint16_t linear_held;   /* linear entries naming another table, held by it */
    uint16_t linear_named;  /* linear entries naming it */
};

struct audit {
    struct refs *r;
    unsigned long tables, entries, frames, violations;
};

static void violation(struct audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void violation(struct audit *a, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    if (a->violations++ >= MAX_REPORTS)
        return;
    va_start(ap, fmt);
    pv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk(LOG_ERR "audit: %s\n", buf);
}

static int owner_id(const struct page_info *pg)
{
    return pg->owner ? (int)pg->owner->domain_id : -1;
}

static void audit_l1(struct audit *a, struct domain *d, mfn_t table)
{
    const pgentry_t *t = map_domain_page(table);

    for (unsigned int i = 0; i < 512; i++) {
        pgentry_t e = t[i];
        if (!(e & _PAGE_PRESENT))
            continue;
        a->entries++;
        if (e & pv_l1_disallow_mask(d))
            violation(a, "d%u L1 %#lx[%u] = %#lx: flags the rules refuse", d->domain_id,
                      table, i, e);
        mfn_t mfn = pte_mfn(e);
        if (!mfn_valid(mfn) || mfn_to_page(mfn)->owner == dom_io) {
            if (!d->arch.iomem_all)
                violation(a, "d%u L1 %#lx[%u] maps I/O frame %#lx without I/O rights",
                          d->domain_id, table, i, mfn);
            continue;
        }
        struct page_info *pg = mfn_to_page(mfn);
        if (pg->owner != d && !d->is_privileged && !(e & _PAGE_GNTTAB)) {
            violation(a, "d%u L1 %#lx[%u] maps frame %#lx of d%d", d->domain_id, table, i, mfn,
                      owner_id(pg));
            continue;
        }
        a->r[mfn].general++;
        if (e & _PAGE_RW) {
            a->r[mfn].writable++;
            if (page_type(pg) != PGT_writable_page)
                violation(a, "d%u L1 %#lx[%u] maps frame %#lx writable, type %#lx",
                          d->domain_id, table, i, mfn, pg->type_info);
        }
    }
}

static void audit_lN(struct audit *a, struct domain *d, mfn_t table, unsigned int level)
{
    const pgentry_t *t = map_domain_page(table);
    unsigned long want = (unsigned long)(level - 1) << 61;     /* PGT_l<level-1> */

    if (level == 4) {
        pgentry_t ref[512];
        init_hv_l4_slots(ref, d->arch.perdomain_l3e);
        for (unsigned int i = HV_FIRST_SLOT; i <= HV_LAST_SLOT; i++)
            if (t[i] != ref[i] && !(i == HV_FIRST_SLOT && t[i] == 0))
                violation(a, "d%u L4 %#lx hypervisor slot %u is %#lx, not %#lx",
                          d->domain_id, table, i, t[i], ref[i]);
    }
    for (unsigned int i = 0; i < 512; i++) {
        if (level == 4 && !is_guest_l4_slot(i))
            continue;
        pgentry_t e = t[i];
        if (!(e & _PAGE_PRESENT))
            continue;
        a->entries++;
        mfn_t mfn = pte_mfn(e);
        if (!mfn_valid(mfn)) {
            violation(a, "d%u L%u %#lx[%u] names non-RAM frame %#lx", d->domain_id, level,
                      table, i, mfn);
            continue;
        }
        struct page_info *pg = mfn_to_page(mfn);
        unsigned long expect = want;
        if (mfn == table || page_type(pg) == want + (1UL << 61)) {
            /* A linear entry: read-only; naming itself holds nothing. */
            if (e & _PAGE_RW)
                violation(a, "d%u L%u %#lx[%u] = %#lx: writable linear entry", d->domain_id,
                          level, table, i, e);
            if (mfn == table)
                continue;
            a->r[table].linear_held++;
            a->r[mfn].linear_named++;
            expect = want + (1UL << 61);
        }
        if (pg->owner != d || page_type(pg) != expect || !(pg->type_info & PGT_validated))
            violation(a, "d%u L%u %#lx[%u] names frame %#lx (owner d%d, type %#lx), not a "
                      "validated L%lu of its own", d->domain_id, level, table, i, mfn,
                      owner_id(pg), pg->type_info, expect >> 61);
        a->r[mfn].general++;
        a->r[mfn].typed++;
    }
}

static void hold_base(struct audit *a, mfn_t mfn)
{
    if (mfn && mfn_valid(mfn)) {
        a->r[mfn].general++;
        a->r[mfn].typed++;
    }
}

/* Pass 1: what the tables and base pointers of d should hold. */
static void walk_domain(struct audit *a, struct domain *d)
{
    for (struct page_info *pg = page_list_first(&d->page_list); pg; pg = page_list_next(pg)) {
        unsigned long t = page_type(pg);
        a->frames++;
        if (!is_pagetable_type(t) || !(pg->type_info & PGT_validated) ||
            !(pg->type_info & PGT_count_mask))
            continue;
        a->tables++;
        if (pg->type_info & PGT_pinned)
            a->r[page_to_mfn(pg)].general++, a->r[page_to_mfn(pg)].typed++;
        if (t == PGT_l1_page_table)
            audit_l1(a, d, page_to_mfn(pg));
        else
            audit_lN(a, d, page_to_mfn(pg), (unsigned int)(t >> 61));
    }
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        hold_base(a, v->arch.guest_table);
        hold_base(a, v->arch.guest_table_user);
    }
}

/* Pass 2: compare with the frame table. */
static void check_domain(struct audit *a, struct domain *d)
{
    for (struct page_info *pg = page_list_first(&d->page_list); pg; pg = page_list_next(pg)) {
        mfn_t mfn = page_to_mfn(pg);
        const struct refs *r = &a->r[mfn];
        unsigned long t = page_type(pg), tc = pg->type_info & PGT_count_mask;
        unsigned long gc = pg->count_info & PGC_count_mask;

        if (is_pagetable_type(t) && (pg->type_info & PGT_validated) && tc != r->typed)
            violation(a, "d%u frame %#lx: L%lu type count %lu, %u reference(s) found",
                      d->domain_id, mfn, t >> 61, tc, r->typed);
        if (r->linear_held && r->linear_named)
            violation(a, "d%u table %#lx holds %u linear entries and is named by %u",
                      d->domain_id, mfn, r->linear_held, r->linear_named);
        if (pg->linear_pt_count != (int)r->linear_held - (int)r->linear_named)
            violation(a, "d%u table %#lx: linear count %d, %u held and %u naming it found",
                      d->domain_id, mfn, pg->linear_pt_count, r->linear_held, r->linear_named);
        if (r->writable && (t != PGT_writable_page || tc < r->writable))
            violation(a, "d%u frame %#lx: %u writable mapping(s), type %#lx",
                      d->domain_id, mfn, r->writable, pg->type_info);
        if (gc < r->general + !!(pg->count_info & PGC_allocated))
            violation(a, "d%u frame %#lx: general count %lu, %u reference(s) found",
                      d->domain_id, mfn, gc, r->general + !!(pg->count_info & PGC_allocated));
    }
}

unsigned long audit_page_types(void)
{
    struct audit a = { 0 };
    size_t bytes = max_page * sizeof(struct refs);
    unsigned int order = 0;

    while (((size_t)PAGE_SIZE << order) < bytes)
        order++;
    a.r = alloc_xenheap_pages(order);
    if (!a.r) {
        printk(LOG_WARNING "audit: skipped: no memory for %zu bytes of counters\n", bytes);
        return 0;
    }
    memset(a.r, 0, bytes);

    /*
     * No domlist_lock: pausing waits for vCPUs that may need it. The list
     * is stable anyway, as only the reaper (our caller) removes domains
     * and domains are created at boot.
     */
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (d->state == DOM_ACTIVE || d->state == DOM_SHUTDOWN)
            domain_pause(d);
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (d->state == DOM_ACTIVE || d->state == DOM_SHUTDOWN)
            walk_domain(&a, d);
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (d->state == DOM_ACTIVE || d->state == DOM_SHUTDOWN)
            check_domain(&a, d);
    for (struct domain *d = domain_list; d; d = d->next_in_list)
        if (d->state == DOM_ACTIVE || d->state == DOM_SHUTDOWN)
            domain_unpause(d);

    free_xenheap_pages(a.r, order);
    printk("audit: %lu frames, %lu page tables, %lu entries checked: %lu violations\n",
           a.frames, a.tables, a.entries, a.violations);
    return a.violations;
}
