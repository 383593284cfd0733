/*
 * grant/env.h for the hypervisor: domains, frames and memory. Host
 * mappings are the architecture's (arch/x86/pv/grant_map.c).
 *
 * Locking: d->lock guards d->grant_table, so a lookup cannot take a
 * reference on a table grant_table_destroy is letting go of.
 */
#include <pavise/lib.h>
#include <pavise/domain.h>
#include <pavise/grant.h>
#include <pavise/mm.h>
#include <pavise/pagetype.h>
#include <pavise/arch.h>
#include "gnttab.h"
#include "env.h"

#define INVALID_M2P_ENTRY (~0UL)

struct grant_table *gnt_env_table_by_id(domid_t id)
{
    struct domain *d = get_domain_by_id(id);
    struct grant_table *gt;

    if (!d)
        return NULL;
    spin_lock(&d->lock);
    gt = d->grant_table;
    if (gt)
        gnttab_get(gt);
    spin_unlock(&d->lock);
    if (!gt)
        put_domain(d);
    /* The reference get_domain_by_id took goes with the table's. */
    return gt;
}

void gnt_env_domain_get(struct domain *d)
{
    __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void gnt_env_domain_put(struct domain *d)
{
    put_domain(d);
}

bool gnt_env_may_control(const struct grant_table *src, const struct grant_table *dst)
{
    return src == dst || src->d->is_privileged;
}

bool gnt_env_get_page(uint64_t mfn, const struct grant_table *owner)
{
    return mfn_valid(mfn) && get_page(mfn_to_page(mfn), owner->d);
}

void gnt_env_put_page(uint64_t mfn)
{
    put_page(mfn_to_page(mfn));
}

bool gnt_env_get_writable(uint64_t mfn)
{
    return get_page_type(mfn_to_page(mfn), PGT_writable_page) == 0;
}

void gnt_env_put_writable(uint64_t mfn)
{
    put_page_type(mfn_to_page(mfn));
}

void *gnt_env_map_frame(uint64_t mfn)
{
    return map_domain_page(mfn);
}

void gnt_env_unmap_frame(const void *va)
{
    unmap_domain_page(va);
}

bool gnt_env_frame_valid(uint64_t mfn)
{
    return mfn_valid(mfn);
}

struct grant_table *gnt_env_page_owner_get(uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);
    struct domain *d = READ_ONCE(pg->owner);
    struct grant_table *gt = NULL;

    /* get_page re-checks the owner once it holds its reference. */
    if (!d || d == dom_io || !get_page(pg, d))
        return NULL;
    spin_lock(&d->lock);
    gt = d->grant_table;
    if (gt) {
        gnttab_get(gt);
        gnt_env_domain_get(d);
    }
    spin_unlock(&d->lock);
    if (!gt)
        put_page(pg);
    return gt;
}

long gnt_env_cache_flush(uint64_t mfn, unsigned int offset, unsigned int len, bool clean,
                         bool inval)
{
    return grant_cache_flush(mfn, offset, len, clean, inval);
}

bool gnt_env_steal_page(struct grant_table *gt, uint64_t mfn)
{
    struct page_info *pg = mfn_to_page(mfn);

    if (!mfn_valid(mfn) || !get_page(pg, gt->d))
        return false;
    /* Hypervisor pages shared with the domain are not its to give. */
    if ((pg->count_info & PGC_xen_heap) || !steal_domain_page(gt->d, pg)) {
        put_page(pg);
        return false;
    }
    set_gpfn_from_mfn(mfn, INVALID_M2P_ENTRY);
    return true;
}

void gnt_env_free_stolen_page(uint64_t mfn)
{
    free_stolen_page(mfn_to_page(mfn));
}

bool gnt_env_reserve_page(struct grant_table *gt)
{
    struct domain *d = gt->d;
    bool ok;

    spin_lock(&d->page_lock);
    ok = d->state < DOM_DYING && !gt->dying && d->tot_pages < d->max_pages;
    if (ok)
        d->tot_pages++;
    spin_unlock(&d->page_lock);
    return ok;
}

void gnt_env_unreserve_page(struct grant_table *gt)
{
    spin_lock(&gt->d->page_lock);
    gt->d->tot_pages--;
    spin_unlock(&gt->d->page_lock);
}

/* As return_stolen_page, for a new owner whose tot_pages already counts
 * the page (gnt_env_reserve_page). */
void gnt_env_assign_page(struct grant_table *gt, uint64_t mfn, uint64_t gfn)
{
    struct domain *d = gt->d;
    struct page_info *pg = mfn_to_page(mfn);

    spin_lock(&d->page_lock);
    pg->owner = d;
    pg->type_info = 0;
    __atomic_store_n(&pg->count_info, PGC_ram | PGC_allocated | 1, __ATOMIC_SEQ_CST);
    page_list_add_tail(&d->page_list, pg);
    spin_unlock(&d->page_lock);
    set_gpfn_from_mfn(mfn, gfn);
}

void *gnt_env_zalloc(size_t size)
{
    return xmalloc_bytes(size);
}

void gnt_env_free(void *p)
{
    if (p)
        xfree(p);
}

void *gnt_env_alloc_pages(unsigned int order)
{
    return alloc_xenheap_pages(order);
}

void gnt_env_free_pages(void *p, unsigned int order)
{
    free_xenheap_pages(p, order);
}

/* Shared as domain_create shares shared_info: owned by the domain, with
 * an allocation reference, not on its page list. */
void *gnt_env_alloc_shared_frame(struct grant_table *gt)
{
    void *va = alloc_xenheap_pages(0);
    struct page_info *pg;

    if (!va)
        return NULL;
    pg = mfn_to_page(virt_to_mfn(va));
    pg->owner = gt->d;
    __atomic_fetch_or(&pg->count_info, PGC_allocated | 1, __ATOMIC_SEQ_CST);
    set_gpfn_from_mfn(virt_to_mfn(va), INVALID_M2P_ENTRY);
    return va;
}

void gnt_env_release_shared_frame(void *va)
{
    free_domheap_page(mfn_to_page(virt_to_mfn(va)));
}

uint64_t gnt_env_frame_mfn(const void *va)
{
    return virt_to_mfn(va);
}

int16_t gnt_env_create_host_mapping(uint64_t addr, uint64_t mfn, uint32_t flags, uint64_t *pte)
{
    return create_grant_pv_mapping(addr, mfn, flags, pte);
}

int16_t gnt_env_replace_host_mapping(uint64_t addr, uint64_t mfn, uint64_t new_addr,
                                     uint32_t flags)
{
    return replace_grant_pv_mapping(addr, mfn, new_addr, flags);
}

void gnt_env_release_host_mapping(struct grant_table *lgt, uint64_t pte, uint64_t mfn,
                                  uint32_t flags)
{
    release_grant_pv_mapping(lgt->d, pte, mfn, flags);
}

void gnt_env_flush_tlb(struct grant_table *lgt)
{
    grant_flush_tlb(lgt->d);
}
