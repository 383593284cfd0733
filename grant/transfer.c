/*
 * GNTTABOP_transfer (Xen 4.17's gnttab_transfer): a domain gives one of
 * its pages away to a domain that offers an accept_transfer entry for it.
 * The page is stolen from the sender first (it must be referenced by
 * nothing but its allocation), and is lost to the sender if the transfer
 * then fails, as on Xen. The receiver's entry gets the page's frame and
 * GTF_transfer_committed, then GTF_transfer_completed.
 *
 * Version 1 entries hold 32-bit frame numbers: a page above that cannot
 * be described (Xen copies it to a low page; here it is refused with
 * GNTST_address_too_big, which machines with less than 16 TiB never see).
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

int16_t gnttab_transfer_one(struct grant_table *cgt, const struct gnttab_transfer *op)
{
    uint64_t mfn = op->mfn, gfn;
    struct grant_table *egt;
    grant_entry_v1_t *sha;
    int16_t rc;
    bool committed;

    if (!gnt_env_frame_valid(mfn) || !gnt_env_steal_page(cgt, mfn)) {
        printk(LOG_DEBUG "grant: d%u: cannot give away frame %#lx\n", cgt->domid, (unsigned long)mfn);
        return GNTST_bad_page;
    }
    /* No CPU may keep using the page through a stale translation. */
    gnt_env_flush_tlb(cgt);

    egt = gnttab_lookup(cgt, op->domid, false);
    if (!egt) {
        rc = GNTST_bad_domain;
        goto lost;
    }
    if (mfn >> 32) {
        rc = GNTST_address_too_big;
        goto lost_drop;
    }
    if (!gnt_env_reserve_page(egt)) {
        printk(LOG_DEBUG "grant: transfer: d%u is dying or has no room\n", egt->domid);
        rc = GNTST_general_error;
        goto lost_drop;
    }
    spin_lock(&egt->lock);
    committed = op->ref < nr_grant_entries(egt) &&
                gnttab_commit_transfer(shared_entry(egt, op->ref), cgt->domid);
    spin_unlock(&egt->lock);
    if (!committed) {
        gnt_env_unreserve_page(egt);
        rc = GNTST_general_error;
        goto lost_drop;
    }

    spin_lock(&egt->lock);
    sha = shared_entry(egt, op->ref);
    gfn = READ_ONCE(sha->frame);
    gnt_env_assign_page(egt, mfn, gfn);
    WRITE_ONCE(sha->frame, (uint32_t)mfn);
    __atomic_fetch_or(&sha->flags, (uint16_t)GTF_transfer_completed, __ATOMIC_SEQ_CST);
    spin_unlock(&egt->lock);
    gnttab_drop(egt);
    return GNTST_okay;

lost_drop:
    gnttab_drop(egt);
lost:
    gnt_env_free_stolen_page(mfn);
    return rc;
}
