/*
 * Maptrack: the handles a domain gets for its grant mappings, with Xen
 * 4.17's allocation policy, so handle values and the exhaustion point
 * match it:
 *
 *  - each vCPU has a free list (head .. tail, linked through entry.ref);
 *    a list always keeps its last entry (the tail), so a free can append
 *    without touching the head;
 *  - an empty list grows the table by one frame of MAPTRACK_PER_FRAME
 *    entries: the first is returned, the rest go to the head of the list;
 *  - at the limit (max_maptrack_frames), a vCPU steals a free entry from
 *    another vCPU's list (it becomes the thief's when freed); a vCPU
 *    that never had a list first steals one more for its tail;
 *  - a freed entry goes to the tail of the list of the vCPU that owns it.
 *
 * With one vCPU that is limit - 1 usable handles.
 *
 * Locks: lgt->mt_lock for growth (maptrack_limit, the chunk list);
 * mtl[v].lock for list v. Never both.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

/* A chunk holds MAPTRACK_PER_FRAME entries; ours are 32 bytes. */
#define CHUNK_ORDER 1
BUILD_BUG_ON(sizeof(struct grant_mapping) * MAPTRACK_PER_FRAME != (PAGE_SIZE << CHUNK_ORDER));

int gnttab_maptrack_init(struct grant_table *gt, unsigned int nr_vcpus, unsigned int max_frames)
{
    gt->nr_vcpus = nr_vcpus ? nr_vcpus : 1;
    gt->max_maptrack_frames = max_frames;
    gt->mtl = gnt_env_zalloc(gt->nr_vcpus * sizeof(*gt->mtl));
    if (!gt->mtl)
        return -XEN_ENOMEM;
    for (unsigned int v = 0; v < gt->nr_vcpus; v++) {
        spin_lock_init(&gt->mtl[v].lock);
        gt->mtl[v].head = gt->mtl[v].tail = MAPTRACK_TAIL;
    }
    if (max_frames) {
        gt->maptrack = gnt_env_zalloc(max_frames * sizeof(*gt->maptrack));
        if (!gt->maptrack)
            return -XEN_ENOMEM;
    }
    spin_lock_init(&gt->mt_lock);
    return 0;
}

void gnttab_maptrack_free(struct grant_table *gt)
{
    if (gt->maptrack)
        for (unsigned int i = 0; i < gt->maptrack_limit / MAPTRACK_PER_FRAME; i++)
            gnt_env_free_pages(gt->maptrack[i], CHUNK_ORDER);
    gnt_env_free(gt->maptrack);
    gnt_env_free(gt->mtl);
    gt->maptrack = NULL;
    gt->mtl = NULL;
}

static unsigned int limit_of(struct grant_table *gt)
{
    return __atomic_load_n(&gt->maptrack_limit, __ATOMIC_ACQUIRE);
}

/* Pop the head of list v, unless it is the last entry. */
static unsigned int take_from(struct grant_table *gt, unsigned int v)
{
    struct maptrack_list *l = &gt->mtl[v];
    unsigned int head, next;

    spin_lock(&l->lock);
    head = l->head;
    if (head == MAPTRACK_TAIL) {
        spin_unlock(&l->lock);
        return INVALID_HANDLE;
    }
    next = maptrack_entry(gt, head)->ref;
    if (next == MAPTRACK_TAIL) {
        spin_unlock(&l->lock);
        return INVALID_HANDLE;
    }
    l->head = next;
    spin_unlock(&l->lock);
    return head;
}

/* Take a free entry from any vCPU's list, starting at a rotating victim,
 * and make it the thief's. */
static unsigned int steal(struct grant_table *gt, unsigned int thief)
{
    unsigned int first = __atomic_fetch_add(&gt->steal_cursor, 1, __ATOMIC_RELAXED) % gt->nr_vcpus;
    unsigned int v = first;

    do {
        unsigned int h = take_from(gt, v);

        if (h != INVALID_HANDLE) {
            maptrack_entry(gt, h)->vcpu = thief;
            return h;
        }
        v = (v + 1) % gt->nr_vcpus;
    } while (v != first);
    return INVALID_HANDLE;
}

/* At the limit: steal, first setting up a tail for a vCPU without one. */
static unsigned int get_at_limit(struct grant_table *gt, unsigned int vcpu)
{
    struct maptrack_list *l = &gt->mtl[vcpu];

    if (READ_ONCE(l->tail) == MAPTRACK_TAIL) {
        unsigned int h = steal(gt, vcpu);

        if (h == INVALID_HANDLE)
            return INVALID_HANDLE;
        spin_lock(&l->lock);
        maptrack_entry(gt, h)->ref = MAPTRACK_TAIL;
        l->tail = h;
        if (l->head == MAPTRACK_TAIL)
            l->head = h;
        spin_unlock(&l->lock);
    }
    return steal(gt, vcpu);
}

unsigned int gnttab_get_handle(struct grant_table *lgt, unsigned int vcpu)
{
    struct maptrack_list *l;
    struct grant_mapping *chunk = NULL;
    unsigned int h, nr;

    if (vcpu >= lgt->nr_vcpus)
        return INVALID_HANDLE;
    l = &lgt->mtl[vcpu];
    h = take_from(lgt, vcpu);
    if (h != INVALID_HANDLE)
        goto got;

    spin_lock(&lgt->mt_lock);
    nr = lgt->maptrack_limit / MAPTRACK_PER_FRAME;
    if (nr < lgt->max_maptrack_frames)
        chunk = gnt_env_alloc_pages(CHUNK_ORDER);
    if (!chunk) {
        spin_unlock(&lgt->mt_lock);
        h = get_at_limit(lgt, vcpu);
        if (h == INVALID_HANDLE)
            return h;
        goto got;
    }
    h = lgt->maptrack_limit;
    for (unsigned int i = 0; i < MAPTRACK_PER_FRAME; i++) {
        chunk[i].ref = h + i + 1;
        chunk[i].vcpu = vcpu;
    }
    /* A vCPU's first chunk: its last entry is the list's tail. */
    if (l->tail == MAPTRACK_TAIL)
        l->tail = h + MAPTRACK_PER_FRAME - 1;
    lgt->maptrack[nr] = chunk;
    /* Readers bound handles by the limit: the chunk is there first. */
    __atomic_store_n(&lgt->maptrack_limit, h + MAPTRACK_PER_FRAME, __ATOMIC_RELEASE);
    spin_unlock(&lgt->mt_lock);

    /* Entries h+1 .. h+255 go in front of whatever the list holds. */
    spin_lock(&l->lock);
    chunk[MAPTRACK_PER_FRAME - 1].ref = l->head;
    l->head = h + 1;
    spin_unlock(&l->lock);
got:
    __atomic_fetch_add(&lgt->maptrack_in_use, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&gnttab_live.handles, 1, __ATOMIC_RELAXED);
    return h;
}

void gnttab_put_handle(struct grant_table *lgt, unsigned int handle)
{
    struct grant_mapping *e = maptrack_entry(lgt, handle);
    struct maptrack_list *l;
    unsigned int prev_tail;

    BUG_ON(handle >= limit_of(lgt) || e->vcpu >= lgt->nr_vcpus);
    e->ref = MAPTRACK_TAIL;
    l = &lgt->mtl[e->vcpu];
    spin_lock(&l->lock);
    prev_tail = l->tail;
    l->tail = handle;
    maptrack_entry(lgt, prev_tail)->ref = handle;
    spin_unlock(&l->lock);
    __atomic_fetch_sub(&lgt->maptrack_in_use, 1, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&gnttab_live.handles, 1, __ATOMIC_RELAXED);
}
