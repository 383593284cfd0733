/*
 * DOMID_XEN: the pseudo-domain that owns the hypervisor frames guests may
 * map (Xen's dom_xen). Here that is the machine-to-phys table: its frames
 * are shared read-only with dom_xen as Xen does at boot
 * (share_xen_page_with_privileged_guests(..., SHARE_ro)), so a privileged
 * guest naming DOMID_XEN may map them read-only (the type count of 1 on
 * PGT_none keeps any writable or page-table type away), and nobody can
 * map them as its own.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/pagetype.h>
#include "pagetable.h"

extern mfn_t m2p_chunks[];
extern unsigned int m2p_nr_chunks;

static struct domain dom_xen_struct = { .domain_id = DOMID_XEN, .name = "dom_xen" };
struct domain *dom_xen = &dom_xen_struct;

/*
 * A hypervisor heap frame becomes dom_xen's, readable by whoever may name
 * dom_xen; the allocation reference keeps it from ever being freed, the
 * untyped type reference from ever being mapped writable or used as a
 * table. It stays a hypervisor heap page: mapped write-back only.
 */
static void share_ro_with_dom_xen(struct page_info *pg)
{
    BUG_ON(!(pg->count_info & PGC_xen_heap) || (pg->count_info & PGC_count_mask));
    pg->type_info = PGT_none | PGT_validated | 1;
    pg->owner = dom_xen;
    __atomic_fetch_or(&pg->count_info, PGC_allocated | 1, __ATOMIC_SEQ_CST);
}

void pv_mm_init(void)
{
    for (unsigned int c = 0; c < m2p_nr_chunks; c++)
        for (unsigned int i = 0; i < 512; i++)
            share_ro_with_dom_xen(mfn_to_page(m2p_chunks[c] + i));
    pv_iomem_init();
}
