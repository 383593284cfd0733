/*
 * Grant mappings: map_grant_ref, and the two halves of unmap_grant_ref and
 * unmap_and_replace (Xen 4.17's map_grant_ref, unmap_common,
 * unmap_common_complete).
 *
 * References a mapping holds on the granted frame, as Xen takes them for
 * a PV mapper:
 *   device map:  one general reference, plus a writable type reference
 *                unless read-only;
 *   host map:    the same again, held by the PTE the mapping installs
 *                (so tearing the page table down drops them, as for any
 *                PTE).
 * plus the pins of the active entry and one table reference (with its
 * domain) on the granter, kept in the maptrack entry.
 *
 * Unmapping removes the PTE first; the caller flushes the TLBs of the
 * mapper, and only then are the references and pins dropped, so no CPU
 * can still reach a frame whose grant may be revoked and reused.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

/* The references a map takes on top of the first pin's general one. */
static int16_t take_refs(struct grant_table *rgt, uint64_t mfn, uint32_t flags,
                         unsigned int *refcnt, unsigned int *typecnt)
{
    bool ro = flags & GNTMAP_readonly;

    if ((flags & GNTMAP_device_map) && !ro) {
        if (!gnt_env_get_writable(mfn))
            return GNTST_general_error;
        (*typecnt)++;
    }
    if (flags & GNTMAP_host_map) {
        /* The first reference went to the device mapping. */
        if (flags & GNTMAP_device_map) {
            if (!gnt_env_get_page(mfn, rgt))
                return GNTST_general_error;
            (*refcnt)++;
        }
        if (!ro) {
            if (!gnt_env_get_writable(mfn))
                return GNTST_general_error;
            (*typecnt)++;
        }
    }
    return GNTST_okay;
}

void gnttab_map(struct grant_table *lgt, unsigned int vcpu, struct gnttab_map_grant_ref *op)
{
    uint32_t flags = op->flags;
    unsigned int handle, refcnt = 0, typecnt = 0;
    struct grant_table *rgt;
    struct grant_mapping *map;
    uint64_t mfn, pte = 0;
    bool frame_ref;
    int16_t rc;

    if (!(flags & (GNTMAP_device_map | GNTMAP_host_map))) {
        printk(LOG_DEBUG "grant: d%u: bad flags in grant map op: %#x\n", lgt->domid, flags);
        op->status = GNTST_bad_gntref;
        return;
    }
    rgt = gnttab_lookup(lgt, op->dom, false);
    if (!rgt) {
        printk(LOG_DEBUG "grant: d%u: could not find domain %u\n", lgt->domid, op->dom);
        op->status = GNTST_bad_domain;
        return;
    }
    handle = gnttab_get_handle(lgt, vcpu);
    if (handle == INVALID_HANDLE) {
        printk(LOG_DEBUG "grant: d%u: failed to obtain maptrack handle\n", lgt->domid);
        gnttab_drop(rgt);
        op->status = GNTST_no_space;
        return;
    }

    spin_lock(&rgt->lock);
    rc = gnttab_pin_for_map(rgt, op->ref, lgt->domid, flags, &mfn, &frame_ref);
    spin_unlock(&rgt->lock);
    if (rc != GNTST_okay)
        goto out_handle;

    /* A later pin finds the frame by the active entry: it must still be
     * the granter's (it is, while pinned, unless the granter is dying). */
    if (frame_ref || gnt_env_get_page(mfn, rgt))
        refcnt = 1;
    else
        rc = GNTST_general_error;
    if (rc == GNTST_okay)
        rc = take_refs(rgt, mfn, flags, &refcnt, &typecnt);
    if (rc != GNTST_okay)
        printk(LOG_DEBUG "grant: d%u: could not pin grant frame %#lx\n", lgt->domid,
               (unsigned long)mfn);
    else if (flags & GNTMAP_host_map)
        rc = gnt_env_create_host_mapping(op->host_addr, mfn, flags, &pte);
    if (rc != GNTST_okay) {
        while (typecnt--)
            gnt_env_put_writable(mfn);
        while (refcnt--)
            gnt_env_put_page(mfn);
        spin_lock(&rgt->lock);
        gnttab_unpin_map(rgt, op->ref, flags);
        spin_unlock(&rgt->lock);
        goto out_handle;
    }

    /* Publish: the entry (with our reference on rgt) is in use from the
     * moment its flags are. */
    map = maptrack_entry(lgt, handle);
    spin_lock(&lgt->mt_lock);
    map->domid = op->dom;
    map->ref = op->ref;
    map->rgt = rgt;
    map->pte = pte;
    map->flags = (uint16_t)flags;
    spin_unlock(&lgt->mt_lock);

    op->dev_bus_addr = mfn << 12;
    op->handle = handle;
    op->status = GNTST_okay;
    return;

out_handle:
    gnttab_put_handle(lgt, handle);
    gnttab_drop(rgt);
    op->status = rc;
}

void gnttab_unmap_begin(struct grant_table *lgt, struct gnttab_unmap *u)
{
    struct grant_mapping *map;
    struct grant_table *rgt;
    bool free_handle = false;
    uint16_t flags;
    int16_t rc = GNTST_okay;

    u->done = 0;
    u->rgt = NULL;
    u->drop_mapping_ref = false;
    if (u->handle >= __atomic_load_n(&lgt->maptrack_limit, __ATOMIC_ACQUIRE)) {
        printk(LOG_DEBUG "grant: d%u: bad handle %#x\n", lgt->domid, u->handle);
        u->status = GNTST_bad_handle;
        return;
    }
    map = maptrack_entry(lgt, u->handle);
    spin_lock(&lgt->mt_lock);
    flags = map->flags;
    rgt = map->rgt;
    u->ref = map->ref;
    if (flags)
        gnttab_hold(rgt);
    spin_unlock(&lgt->mt_lock);
    if (!flags) {
        printk(LOG_DEBUG "grant: d%u: zero flags for handle %#x\n", lgt->domid, u->handle);
        u->status = GNTST_bad_handle;
        return;
    }

    spin_lock(&rgt->lock);
    /* Another vCPU may have unmapped (and even reused) the handle since:
     * the entry must still be this mapping. */
    spin_lock(&lgt->mt_lock);
    flags = map->flags;
    if (!flags || map->rgt != rgt || map->ref != u->ref)
        rc = GNTST_bad_handle;
    spin_unlock(&lgt->mt_lock);
    if (rc != GNTST_okay) {
        printk(LOG_DEBUG "grant: d%u: unstable handle %#x\n", lgt->domid, u->handle);
        goto out;
    }

    u->mfn = active_entry(rgt, u->ref)->mfn;
    if (u->dev_bus_addr && u->dev_bus_addr != u->mfn << 12) {
        printk(LOG_DEBUG "grant: d%u: bus address %#lx does not match the grant (%#lx)\n",
               lgt->domid, (unsigned long)u->dev_bus_addr, (unsigned long)(u->mfn << 12));
        rc = GNTST_bad_dev_addr;
        goto out;
    }
    if (u->host_addr && (flags & GNTMAP_host_map)) {
        rc = gnt_env_replace_host_mapping(u->host_addr, u->mfn, u->new_addr, flags);
        if (rc != GNTST_okay)
            goto out;
        flags &= ~GNTMAP_host_map;
        u->done |= GNTMAP_host_map | (flags & GNTMAP_readonly);
    }
    if (u->dev_bus_addr && (flags & GNTMAP_device_map)) {
        flags &= ~GNTMAP_device_map;
        u->done |= GNTMAP_device_map | (flags & GNTMAP_readonly);
    }
    if (u->done) {
        spin_lock(&lgt->mt_lock);
        if (!(flags & (GNTMAP_device_map | GNTMAP_host_map)))
            flags = 0;
        map->flags = flags;
        spin_unlock(&lgt->mt_lock);
        free_handle = !flags;
    }
out:
    spin_unlock(&rgt->lock);
    if (free_handle)
        gnttab_put_handle(lgt, u->handle);
    u->status = rc;
    if (u->done) {
        u->rgt = rgt;
        u->drop_mapping_ref = free_handle;
    } else {
        gnttab_drop(rgt);
    }
}

void gnttab_unmap_complete(struct gnttab_unmap *u)
{
    struct grant_table *rgt = u->rgt;
    bool ro = u->done & GNTMAP_readonly;

    if (!u->done)
        return;
    if (u->done & GNTMAP_device_map) {
        if (!ro)
            gnt_env_put_writable(u->mfn);
        gnt_env_put_page(u->mfn);
    }
    if (u->done & GNTMAP_host_map) {
        if (!ro)
            gnt_env_put_writable(u->mfn);
        gnt_env_put_page(u->mfn);
    }
    spin_lock(&rgt->lock);
    gnttab_unpin_map(rgt, u->ref, u->done);
    spin_unlock(&rgt->lock);
    if (u->drop_mapping_ref)
        gnttab_drop(rgt);
    gnttab_drop(rgt);
    u->done = 0;
    u->rgt = NULL;
}
