/*
 * GNTTABOP_copy (Xen 4.17's gnttab_copy_one and helpers).
 *
 * Each side of a copy is a grant (GNTCOPY_*_gref: a ref in the table of
 * domid, which must grant it to the caller) or a frame of the caller
 * itself (only DOMID_SELF may name frames). The source is acquired for
 * reading, the destination for writing (a writable type reference, so
 * page tables cannot be written this way). Neither range may cross its
 * page (GNTST_bad_copy_arg).
 *
 * Within a batch, a side stays acquired while the next op names the same
 * domain and page, as Xen does; any failure releases both sides.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

static int16_t lock_domain(struct grant_table *cgt, domid_t domid, bool is_gref,
                           struct gnttab_copy_buf *buf)
{
    /* The domain first (a missing one is bad_domain even for a frame). */
    buf->gt = gnttab_lookup(cgt, domid, true);
    if (!buf->gt)
        return GNTST_bad_domain;
    /* Only DOMID_SELF may reference a frame directly. */
    if (domid != DOMID_SELF && !is_gref) {
        gnttab_drop(buf->gt);
        buf->gt = NULL;
        return GNTST_permission_denied;
    }
    buf->ptr.domid = domid;
    return GNTST_okay;
}

static void unlock_domains(struct gnttab_copy_state *s)
{
    if (s->src.gt)
        gnttab_drop(s->src.gt);
    if (s->dest.gt)
        gnttab_drop(s->dest.gt);
    s->src.gt = s->dest.gt = NULL;
}

static int16_t lock_domains(struct grant_table *cgt, struct gnttab_copy_state *s,
                            const struct gnttab_copy *op)
{
    int16_t rc = lock_domain(cgt, op->source.domid, op->flags & GNTCOPY_source_gref, &s->src);

    if (rc == GNTST_okay)
        rc = lock_domain(cgt, op->dest.domid, op->flags & GNTCOPY_dest_gref, &s->dest);
    if (rc != GNTST_okay)
        unlock_domains(s);
    return rc;
}

static void release_buf(struct gnttab_copy_buf *buf)
{
    if (buf->virt) {
        gnt_env_unmap_frame(buf->virt);
        buf->virt = NULL;
    }
    if (buf->have_grant) {
        spin_lock(&buf->gt->lock);
        gnttab_unpin_copy(buf->gt, buf->ptr.u.ref, buf->read_only);
        spin_unlock(&buf->gt->lock);
        buf->have_grant = false;
    }
    if (buf->have_type) {
        gnt_env_put_writable(buf->mfn);
        buf->have_type = false;
    }
    if (buf->have_page) {
        gnt_env_put_page(buf->mfn);
        buf->have_page = false;
    }
}

static int16_t claim_buf(struct grant_table *cgt, const struct gnttab_copy *op,
                         const struct gnttab_copy_ptr *ptr, struct gnttab_copy_buf *buf,
                         unsigned int gref_flag)
{
    int16_t rc;

    buf->read_only = gref_flag == GNTCOPY_source_gref;
    if (op->flags & gref_flag) {
        spin_lock(&buf->gt->lock);
        rc = gnttab_pin_for_copy(buf->gt, ptr->u.ref, cgt->domid, buf->read_only, &buf->mfn);
        spin_unlock(&buf->gt->lock);
        if (rc != GNTST_okay)
            return rc;
        buf->ptr.u.ref = ptr->u.ref;
        buf->have_grant = true;
    } else {
        if (!gnt_env_get_page(ptr->u.gmfn, buf->gt)) {
            printk(LOG_DEBUG "grant: copy: frame %#lx invalid\n", (unsigned long)ptr->u.gmfn);
            return GNTST_bad_page;
        }
        buf->mfn = ptr->u.gmfn;
        buf->ptr.u.gmfn = ptr->u.gmfn;
    }
    buf->have_page = true;
    /* Version 1 grants are whole pages. */
    buf->ptr.offset = 0;
    buf->len = PAGE_SIZE;

    if (!buf->read_only) {
        if (!gnt_env_get_writable(buf->mfn)) {
            printk(LOG_DEBUG "grant: copy: could not get writable frame %#lx\n",
                   (unsigned long)buf->mfn);
            return GNTST_general_error;
        }
        buf->have_type = true;
    }
    buf->virt = gnt_env_map_frame(buf->mfn);
    return GNTST_okay;
}

static bool buf_valid(const struct gnttab_copy_ptr *p, const struct gnttab_copy_buf *b,
                      bool has_gref)
{
    if (!b->virt)
        return false;
    if (has_gref)
        return b->have_grant && p->u.ref == b->ptr.u.ref;
    return !b->have_grant && p->u.gmfn == b->ptr.u.gmfn;
}

static int16_t copy_buf(const struct gnttab_copy *op, struct gnttab_copy_buf *dest,
                        const struct gnttab_copy_buf *src)
{
    if ((unsigned int)op->source.offset + op->len > PAGE_SIZE ||
        (unsigned int)op->dest.offset + op->len > PAGE_SIZE) {
        printk(LOG_DEBUG "grant: copy beyond page area\n");
        return GNTST_bad_copy_arg;
    }
    if (op->source.offset < src->ptr.offset ||
        op->source.offset + op->len > src->ptr.offset + src->len ||
        op->dest.offset < dest->ptr.offset ||
        op->dest.offset + op->len > dest->ptr.offset + dest->len)
        return GNTST_general_error;
    memmove((uint8_t *)dest->virt + op->dest.offset, (const uint8_t *)src->virt + op->source.offset,
            op->len);
    return GNTST_okay;
}

int16_t gnttab_copy_one(struct grant_table *cgt, struct gnttab_copy_state *s,
                        const struct gnttab_copy *op)
{
    int16_t rc;

    if (!s->src.gt || op->source.domid != s->src.ptr.domid ||
        !s->dest.gt || op->dest.domid != s->dest.ptr.domid) {
        release_buf(&s->src);
        release_buf(&s->dest);
        unlock_domains(s);
        rc = lock_domains(cgt, s, op);
        if (rc != GNTST_okay)
            goto fail;
    }
    if (!buf_valid(&op->source, &s->src, op->flags & GNTCOPY_source_gref)) {
        release_buf(&s->src);
        rc = claim_buf(cgt, op, &op->source, &s->src, GNTCOPY_source_gref);
        if (rc != GNTST_okay)
            goto fail;
    }
    if (!buf_valid(&op->dest, &s->dest, op->flags & GNTCOPY_dest_gref)) {
        release_buf(&s->dest);
        rc = claim_buf(cgt, op, &op->dest, &s->dest, GNTCOPY_dest_gref);
        if (rc != GNTST_okay)
            goto fail;
    }
    rc = copy_buf(op, &s->dest, &s->src);
    if (rc == GNTST_okay)
        return rc;
fail:
    release_buf(&s->src);
    release_buf(&s->dest);
    return rc;
}

void gnttab_copy_end(struct gnttab_copy_state *s)
{
    release_buf(&s->src);
    release_buf(&s->dest);
    unlock_domains(s);
}
