/*
 * Grant tables: their lifetime and the operations on a table itself
 * (Xen 4.17's setup_table, query_size, set_version, get_version,
 * get_status_frames, swap_grant_ref, and gnttab_release_mappings for a
 * dying domain).
 *
 * A table starts with GNTTAB_INITIAL_FRAMES frames and grows on
 * setup_table up to max_frames. Its frames are hypervisor pages shared
 * with the domain, which maps them with ordinary page-table updates.
 * Only version 1 exists here: set_version(2) answers -ENOSYS, as Xen does
 * when version 2 is disabled (gnttab=max-ver:1), so there are never
 * status frames.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

#define ACTIVE_ORDER 1
BUILD_BUG_ON(sizeof(struct active_grant_entry) * GRANTS_PER_FRAME != (PAGE_SIZE << ACTIVE_ORDER));

/* ------------------------------------------------------------ lifetime */

void gnttab_get(struct grant_table *gt)
{
    __atomic_fetch_add(&gt->refcnt, 1, __ATOMIC_SEQ_CST);
}

static void table_free(struct grant_table *gt)
{
    for (unsigned int i = 0; i < gt->nr_frames; i++) {
        gnt_env_release_shared_frame(gt->shared[i]);
        gnt_env_free_pages(gt->active[i], ACTIVE_ORDER);
    }
    gnt_env_free(gt->shared);
    gnt_env_free(gt->active);
    gnttab_maptrack_free(gt);
    gnt_env_free(gt);
    __atomic_fetch_sub(&gnttab_live.tables, 1, __ATOMIC_RELAXED);
}

void gnttab_put(struct grant_table *gt)
{
    if (__atomic_sub_fetch(&gt->refcnt, 1, __ATOMIC_SEQ_CST) == 0)
        table_free(gt);
}

void gnttab_hold(struct grant_table *gt)
{
    gnttab_get(gt);
    gnt_env_domain_get(gt->d);
}

void gnttab_drop(struct grant_table *gt)
{
    struct domain *d = gt->d;

    gnttab_put(gt);
    gnt_env_domain_put(d);
}

struct grant_table *gnttab_lookup(struct grant_table *cgt, domid_t id, bool allow_self)
{
    if (id == DOMID_SELF) {
        if (!allow_self)
            return NULL;
        gnttab_hold(cgt);
        return cgt;
    }
    return gnt_env_table_by_id(id);
}

int gnttab_grow(struct grant_table *gt, unsigned int nr)
{
    unsigned int i;

    if (nr < GNTTAB_INITIAL_FRAMES)
        nr = GNTTAB_INITIAL_FRAMES;
    if (nr > gt->max_frames)
        return -XEN_EINVAL;
    for (i = gt->nr_frames; i < nr; i++) {
        gt->active[i] = gnt_env_alloc_pages(ACTIVE_ORDER);
        gt->shared[i] = gt->active[i] ? gnt_env_alloc_shared_frame(gt) : NULL;
        if (!gt->shared[i])
            goto fail;
    }
    if (nr > GNTTAB_INITIAL_FRAMES)
        printk(LOG_DEBUG "grant: expanding d%u grant table from %u to %u frames\n", gt->domid,
               gt->nr_frames, nr);
    gt->nr_frames = nr;
    return 0;
fail:
    printk(LOG_INFO "grant: out of memory expanding d%u grant table to %u frames\n", gt->domid, nr);
    for (unsigned int j = gt->nr_frames; j <= i && j < nr; j++) {
        if (gt->shared[j])
            gnt_env_release_shared_frame(gt->shared[j]);
        if (gt->active[j])
            gnt_env_free_pages(gt->active[j], ACTIVE_ORDER);
        gt->shared[j] = NULL;
        gt->active[j] = NULL;
    }
    return -XEN_ENOMEM;
}

struct grant_table *gnttab_create(struct domain *d, domid_t domid, unsigned int nr_vcpus,
                                  unsigned int max_frames, unsigned int max_maptrack_frames)
{
    struct grant_table *gt;

    if (max_frames < GNTTAB_INITIAL_FRAMES || max_frames > GNTTAB_MAX_FRAMES ||
        max_maptrack_frames > GNTTAB_MAX_MAPTRACK_FRAMES)
        return NULL;
    gt = gnt_env_zalloc(sizeof(*gt));
    if (!gt)
        return NULL;
    spin_lock_init(&gt->lock);
    gt->d = d;
    gt->domid = domid;
    gt->refcnt = 1;
    gt->version = 1;
    gt->max_frames = max_frames;
    gt->shared = gnt_env_zalloc(max_frames * sizeof(*gt->shared));
    gt->active = gnt_env_zalloc(max_frames * sizeof(*gt->active));
    __atomic_fetch_add(&gnttab_live.tables, 1, __ATOMIC_RELAXED);
    if (!gt->shared || !gt->active ||
        gnttab_maptrack_init(gt, nr_vcpus, max_maptrack_frames) ||
        gnttab_grow(gt, GNTTAB_INITIAL_FRAMES)) {
        table_free(gt);
        return NULL;
    }
    return gt;
}

/* Undo one mapping of a dying domain (Xen's gnttab_release_mappings). */
static void release_mapping(struct grant_table *lgt, unsigned int handle)
{
    struct grant_mapping *map = maptrack_entry(lgt, handle);
    struct grant_table *rgt;
    uint16_t flags;
    grant_ref_t ref;
    uint64_t mfn, pte;

    spin_lock(&lgt->mt_lock);
    flags = map->flags;
    rgt = map->rgt;
    ref = map->ref;
    pte = map->pte;
    map->flags = 0;
    spin_unlock(&lgt->mt_lock);
    if (!(flags & (GNTMAP_device_map | GNTMAP_host_map)))
        return;

    spin_lock(&rgt->lock);
    mfn = active_entry(rgt, ref)->mfn;
    spin_unlock(&rgt->lock);
    printk(LOG_DEBUG "grant: d%u release handle %#x: d%u ref %#x flags %#x\n", lgt->domid,
           handle, rgt->domid, ref, flags);

    /* The PTE first (a PV host mapping's references are the PTE's), then
     * the device mapping's references, then the pins. */
    if (flags & GNTMAP_host_map)
        gnt_env_release_host_mapping(lgt, pte, mfn, flags);
    if (flags & GNTMAP_device_map) {
        if (!(flags & GNTMAP_readonly))
            gnt_env_put_writable(mfn);
        gnt_env_put_page(mfn);
    }
    spin_lock(&rgt->lock);
    gnttab_unpin_map(rgt, ref, flags);
    spin_unlock(&rgt->lock);

    gnttab_put_handle(lgt, handle);
    gnttab_drop(rgt);
}

unsigned int gnttab_destroy(struct grant_table *gt)
{
    unsigned int limit, released = 0, pinned;

    spin_lock(&gt->lock);
    gt->dying = true;
    spin_unlock(&gt->lock);

    limit = __atomic_load_n(&gt->maptrack_limit, __ATOMIC_ACQUIRE);
    for (unsigned int h = 0; h < limit; h++)
        if (maptrack_entry(gt, h)->flags) {
            release_mapping(gt, h);
            released++;
        }
    if (released)
        gnt_env_flush_tlb(gt);
    spin_lock(&gt->lock);
    pinned = gt->nr_pinned;
    spin_unlock(&gt->lock);
    if (released || pinned)
        printk(LOG_INFO "grant: d%u: released %u mappings; %u of its grants still in use\n",
               gt->domid, released, pinned);
    gnttab_put(gt);
    return released;
}

/* ------------------------------------------------------------ operations */

int16_t gnttab_setup_table(struct grant_table *cgt, struct gnttab_setup_table *op,
                           uint64_t *frames, unsigned int *nr_out)
{
    struct grant_table *gt = gnttab_lookup(cgt, op->dom, true);
    int16_t st = GNTST_okay;

    *nr_out = 0;
    if (!gt)
        return GNTST_bad_domain;
    if (!gnt_env_may_control(cgt, gt)) {
        gnttab_drop(gt);
        return GNTST_permission_denied;
    }
    spin_lock(&gt->lock);
    if (op->nr_frames > gt->max_frames) {
        printk(LOG_DEBUG "grant: d%u is limited to %u grant-table frames\n", gt->domid,
               gt->max_frames);
        st = GNTST_general_error;
    } else if (op->nr_frames > gt->nr_frames && gnttab_grow(gt, op->nr_frames)) {
        st = GNTST_general_error;
    } else {
        for (unsigned int i = 0; i < op->nr_frames; i++)
            frames[i] = gnt_env_frame_mfn(gt->shared[i]);
        *nr_out = op->nr_frames;
    }
    spin_unlock(&gt->lock);
    gnttab_drop(gt);
    return st;
}

int16_t gnttab_query_size(struct grant_table *cgt, struct gnttab_query_size *op)
{
    struct grant_table *gt = gnttab_lookup(cgt, op->dom, true);

    if (!gt)
        return GNTST_bad_domain;
    if (!gnt_env_may_control(cgt, gt)) {
        gnttab_drop(gt);
        return GNTST_permission_denied;
    }
    spin_lock(&gt->lock);
    op->nr_frames = gt->nr_frames;
    op->max_nr_frames = gt->max_frames;
    spin_unlock(&gt->lock);
    gnttab_drop(gt);
    return GNTST_okay;
}

long gnttab_set_version(struct grant_table *cgt, struct gnttab_set_version *op)
{
    long rc;

    if (op->version != 1 && op->version != 2)
        rc = -XEN_EINVAL;
    else if (op->version == 2)
        rc = -XEN_ENOSYS;       /* as Xen with version 2 disabled */
    else
        rc = 0;                 /* already version 1 */
    op->version = cgt->version;
    return rc;
}

long gnttab_get_version(struct grant_table *cgt, struct gnttab_get_version *op)
{
    struct grant_table *gt = gnttab_lookup(cgt, op->dom, true);
    long rc = 0;

    if (!gt)
        return -XEN_ESRCH;
    if (!gnt_env_may_control(cgt, gt))
        rc = -XEN_EPERM;
    else
        op->version = gt->version;
    gnttab_drop(gt);
    return rc;
}

int16_t gnttab_get_status_frames(struct grant_table *cgt, struct gnttab_get_status_frames *op)
{
    struct grant_table *gt = gnttab_lookup(cgt, op->dom, true);
    int16_t st = GNTST_okay;

    if (!gt)
        return GNTST_bad_domain;
    if (!gnt_env_may_control(cgt, gt))
        st = GNTST_permission_denied;
    else if (op->nr_frames > 0) {
        /* Version 1 has no status frames. */
        printk(LOG_DEBUG "grant: d%u asked for %u status frames, has none\n", gt->domid,
               op->nr_frames);
        st = GNTST_general_error;
    }
    gnttab_drop(gt);
    return st;
}

int16_t gnttab_swap_grant_ref(struct grant_table *cgt, grant_ref_t a, grant_ref_t b)
{
    int16_t st = GNTST_okay;

    spin_lock(&cgt->lock);
    if (a >= nr_grant_entries(cgt) || b >= nr_grant_entries(cgt))
        st = GNTST_bad_gntref;
    else if (a != b && (active_entry(cgt, a)->pin || active_entry(cgt, b)->pin))
        st = GNTST_eagain;          /* in use: try again later */
    else if (a != b) {
        grant_entry_v1_t *ea = shared_entry(cgt, a), *eb = shared_entry(cgt, b);
        grant_entry_v1_t tmp = *ea;

        *ea = *eb;
        *eb = tmp;
    }
    spin_unlock(&cgt->lock);
    return st;
}
