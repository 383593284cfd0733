/*
 * GNTTABOP_cache_flush (Xen 4.17's cache_flush and grant_map_exists):
 * clean a range of a frame the caller owns, or of a frame granted to it
 * and in use, from the data caches. Only dev_bus_addr addressing exists
 * (GNTTAB_CACHE_SOURCE_GREF is refused with the other unknown op bits).
 * On x86 invalidating alone is not offered (-EOPNOTSUPP); cleaning, with
 * or without invalidation, writes the lines back.
 *
 * Looking for the grant behind a foreign frame scans the granter's active
 * entries 4096 at a time; the caller continues the scan through the
 * hypercall's continuation bits (cur_ref).
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

#define SCAN_STEP 4096u

/* Is a pinned grant of mfn to ldom in rgt, at or after *cur? 1 found, 0
 * scan on from *cur (advanced), -XEN_EINVAL none. Holds rgt->lock when 1. */
static int map_exists(struct grant_table *rgt, domid_t ldom, uint64_t mfn, unsigned int *cur)
{
    unsigned int ref, end;

    spin_lock(&rgt->lock);
    end = MIN(*cur + SCAN_STEP, nr_grant_entries(rgt));
    for (ref = *cur; ref < end; ref++) {
        const struct active_grant_entry *act = active_entry(rgt, ref);

        if (act->pin && act->domid == ldom && act->mfn == mfn)
            return 1;
    }
    spin_unlock(&rgt->lock);
    if (ref < nr_grant_entries(rgt)) {
        *cur = ref;
        return 0;
    }
    return -XEN_EINVAL;
}

long gnttab_cache_flush_one(struct grant_table *cgt, const struct gnttab_cache_flush *op,
                            unsigned int *cur)
{
    struct grant_table *owner;
    uint64_t mfn;
    long rc;

    if (op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
        op->offset + op->length > PAGE_SIZE ||
        (op->op & ~(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
        return -XEN_EINVAL;
    if (op->length == 0 || op->op == 0)
        return *cur ? -XEN_EILSEQ : 0;      /* nothing to do, unless resumed */

    mfn = op->a.dev_bus_addr >> 12;
    if (!gnt_env_frame_valid(mfn))
        return -XEN_EINVAL;
    owner = gnt_env_page_owner_get(mfn);
    if (!owner)
        return -XEN_EPERM;

    if (owner != cgt) {
        int found = map_exists(owner, cgt->domid, mfn, cur);

        if (found <= 0) {
            gnt_env_put_page(mfn);
            gnttab_drop(owner);
            return found ? found : 1;
        }
    }
    rc = gnt_env_cache_flush(mfn, op->offset, op->length, op->op & GNTTAB_CACHE_CLEAN,
                             op->op & GNTTAB_CACHE_INVAL);
    if (owner != cgt)
        spin_unlock(&owner->lock);
    gnt_env_put_page(mfn);
    gnttab_drop(owner);
    return rc;
}
