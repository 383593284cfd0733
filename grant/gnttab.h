/*
 * Grant tables, version 1: the core shared by the hypervisor and the host
 * unit tests. Semantics, limits and status codes are Xen 4.17's
 * (common/grant_table.c, arch/x86/pv/grant_table.c).
 *
 * Files:
 *   entry.c     the entry state machine: checks of a shared entry's
 *               type/domid/readonly bits, GTF_reading/GTF_writing and the
 *               pin counts, for map and copy
 *   maptrack.c  mapping handles: per-vCPU free lists, growth, stealing
 *   table.c     table lifetime, setup_table, query_size, versions,
 *               status frames, swap_grant_ref, release on domain death
 *   map.c       map_grant_ref, unmap_grant_ref, unmap_and_replace
 *   copy.c      GNTTABOP_copy
 *   cache_flush.c  GNTTABOP_cache_flush
 *   transfer.c  GNTTABOP_transfer
 * These reach the hypervisor only through grant/env.h (frames, domains,
 * memory, page-table entries), so the tests link them unchanged against
 * fakes. grant_table.c (the hypercall: guest memory, batches,
 * preemption) and env_hv.c (env.h for the hypervisor) are the glue, with
 * the x86 PV page-table part in hypervisor/arch/x86/pv/grant_map.c.
 *
 * Locking (never two of the same kind at once, never the reverse order):
 *   gt->lock        the table: version, size, the shared-frame list, every
 *                   active entry, and the hypervisor's updates of the
 *                   shared entries' GTF_reading/GTF_writing bits.
 *   gt->mt_lock     the mapper's maptrack: its size (limit, chunk list) and
 *                   the in-use state of each entry (flags, rgt, ref, pte).
 *   mtl[v].lock     vCPU v's free list (head, tail, the links in entry.ref).
 * Order: a granter's gt->lock -> the mapper's gt->mt_lock; a receiver's
 * gt->lock -> its d->page_lock (transfer). The free-list locks and d->lock
 * (table lookup) are taken with nothing else held. Taking a page
 * reference and updating a PTE are lock-free (atomics); dropping
 * references (which may free frames) happens with no grant lock held.
 *
 * Lifetime: a table holds gt->refcnt references: one for its domain
 * (dropped by grant_table_destroy), one per mapping of one of its grants
 * (by any domain, itself included) and one per operation in progress.
 * Each such reference also holds a reference on the domain, so a granter
 * outlives the mappings of its frames. The last reference frees the table.
 */
#ifndef GRANT_GNTTAB_H
#define GRANT_GNTTAB_H

#include <pavise/types.h>
#include <pavise/spinlock.h>
#include <pvabi/grant_table.h>

#ifndef PAGE_SIZE
#define PAGE_SIZE 4096UL
#endif

/* Xen 4.17's defaults (gnttab_max_frames, gnttab_max_maptrack_frames) and
 * its initial size (INITIAL_NR_GRANT_FRAMES). */
#define GNTTAB_INITIAL_FRAMES       1u
#define GNTTAB_MAX_FRAMES           64u
#define GNTTAB_MAX_MAPTRACK_FRAMES  1024u

#define GRANTS_PER_FRAME    ((unsigned int)(PAGE_SIZE / sizeof(grant_entry_v1_t)))   /* 512 */
/* Xen counts maptrack in pages of 16-byte entries; the limits, the growth
 * step and hence the exhaustion point are in those units. */
#define MAPTRACK_PER_FRAME  256u
#define MAPTRACK_TAIL       (~0u)
#define INVALID_HANDLE      (~0u)

/* Pin counts of an active entry (Xen's GNTPIN_*): four 8-bit counters. */
#define GNTPIN_hstw_inc     (1u << 0)
#define GNTPIN_hstr_inc     (1u << 8)
#define GNTPIN_devw_inc     (1u << 16)
#define GNTPIN_devr_inc     (1u << 24)
#define GNTPIN_hstw_mask    (0xffu << 0)
#define GNTPIN_hstr_mask    (0xffu << 8)
#define GNTPIN_devw_mask    (0xffu << 16)
#define GNTPIN_devr_mask    (0xffu << 24)
#define GNTPIN_writers      (GNTPIN_hstw_mask | GNTPIN_devw_mask)

/* The hypervisor's shadow of an entry while it is in use. */
struct active_grant_entry {
    uint32_t pin;           /* GNTPIN_* counts; 0 = not in use */
    domid_t domid;          /* the grantee, while pinned */
    uint16_t pad;
    uint64_t mfn;           /* the granted frame, while pinned */
};

/* A mapping handle. Free entries chain through 'ref' (next handle). */
struct grant_mapping {
    uint32_t ref;           /* the grant, or the next free handle */
    uint16_t flags;         /* GNTMAP_* while in use; 0 when free */
    domid_t domid;          /* the granting domain */
    uint32_t vcpu;          /* whose free list the entry returns to */
    uint32_t pad;
    struct grant_table *rgt;    /* the granting table (a reference) */
    uint64_t pte;           /* machine address of the host mapping's PTE, or 0 */
};

struct maptrack_list {
    spinlock_t lock;
    unsigned int head, tail;    /* MAPTRACK_TAIL when empty/unset */
};

struct domain;

struct grant_table {
    spinlock_t lock;
    struct domain *d;           /* the owner (opaque here, see env.h) */
    domid_t domid;
    bool dying;                 /* its domain is being destroyed */
    unsigned int refcnt;

    unsigned int version;       /* always 1 */
    unsigned int nr_frames, max_frames;
    grant_entry_v1_t **shared;              /* [max_frames] */
    struct active_grant_entry **active;     /* [max_frames] chunks of GRANTS_PER_FRAME */
    unsigned int nr_pinned;     /* active entries with pin != 0 */

    /* Maptrack: the handles this domain holds for its mappings. */
    spinlock_t mt_lock;
    unsigned int maptrack_limit;            /* entries allocated */
    unsigned int max_maptrack_frames;
    struct grant_mapping **maptrack;        /* [max_maptrack_frames] chunks */
    unsigned int nr_vcpus;
    struct maptrack_list *mtl;              /* [nr_vcpus] */
    unsigned int steal_cursor;
    unsigned int maptrack_in_use;
};

static inline unsigned int nr_grant_entries(const struct grant_table *gt)
{
    return gt->nr_frames * GRANTS_PER_FRAME;
}

static inline grant_entry_v1_t *shared_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->shared[ref / GRANTS_PER_FRAME][ref % GRANTS_PER_FRAME];
}

static inline struct active_grant_entry *active_entry(struct grant_table *gt, grant_ref_t ref)
{
    return &gt->active[ref / GRANTS_PER_FRAME][ref % GRANTS_PER_FRAME];
}

static inline struct grant_mapping *maptrack_entry(struct grant_table *gt, unsigned int handle)
{
    return &gt->maptrack[handle / MAPTRACK_PER_FRAME][handle % MAPTRACK_PER_FRAME];
}

/* ---- entry.c: the state machine. Callers hold rgt->lock. */

/* Set GTF_reading (and GTF_writing unless readonly) in a shared entry,
 * checking, when the entry is not pinned yet, that it permits access to
 * ldom (and is not a sub-page grant when mapflag). A guest that keeps
 * changing the entry under us gets GNTST_general_error after 5 tries. */
int16_t gnttab_set_status(grant_entry_v1_t *sha, bool pinned, domid_t ldom, bool readonly,
                          bool mapflag);
/* Clear bits the guest may be racing to change (atomic and). */
void gnttab_clear_flags(grant_entry_v1_t *sha, uint16_t mask);
/* What to clear after the pins of one access went: GTF_writing when the
 * last writer went (and the access was a writer), GTF_reading when the
 * last pin went. */
uint16_t gnttab_flags_after_unpin(uint32_t pin, bool readonly);

/* Claim an accept_transfer entry for a page from ldom: sets
 * GTF_transfer_committed unless the entry is anything else. */
bool gnttab_commit_transfer(grant_entry_v1_t *sha, domid_t ldom);

/* The pin increment for a map with these GNTMAP_* flags. */
uint32_t gnttab_map_pin_inc(uint32_t flags);
/* Pin ref for a map (ldom, GNTMAP_* flags): the checks of map_grant_ref
 * up to and including the frame. On success the pins are taken, *mfn is
 * the frame and *frame_ref tells whether a general reference on it was
 * taken (the first pin). On failure nothing is left behind. */
int16_t gnttab_pin_for_map(struct grant_table *rgt, grant_ref_t ref, domid_t ldom, uint32_t flags,
                           uint64_t *mfn, bool *frame_ref);
/* Drop the pins of a map (undo, unmap, release) and clear the flags. */
void gnttab_unpin_map(struct grant_table *rgt, grant_ref_t ref, uint32_t flags);
/* Pin ref for a copy (acquire_grant_for_copy): one general reference on
 * the frame is taken on success. */
int16_t gnttab_pin_for_copy(struct grant_table *rgt, grant_ref_t ref, domid_t ldom, bool readonly,
                            uint64_t *mfn);
void gnttab_unpin_copy(struct grant_table *rgt, grant_ref_t ref, bool readonly);

/* ---- maptrack.c */
int gnttab_maptrack_init(struct grant_table *gt, unsigned int nr_vcpus, unsigned int max_frames);
void gnttab_maptrack_free(struct grant_table *gt);
/* A free handle for vCPU vcpu (growing, then stealing); INVALID_HANDLE
 * when the limit is reached. */
unsigned int gnttab_get_handle(struct grant_table *lgt, unsigned int vcpu);
void gnttab_put_handle(struct grant_table *lgt, unsigned int handle);

/* ---- table.c */
struct grant_table *gnttab_create(struct domain *d, domid_t domid, unsigned int nr_vcpus,
                                  unsigned int max_frames, unsigned int max_maptrack_frames);
/* Grow to nr frames (caller holds gt->lock): 0 or -XEN_ENOMEM. */
int gnttab_grow(struct grant_table *gt, unsigned int nr);
/* The domain is going: release its mappings (the number is returned),
 * drop its reference. */
unsigned int gnttab_destroy(struct grant_table *gt);
/* The table's own count; gnttab_hold/drop also hold its domain. */
void gnttab_get(struct grant_table *gt);
void gnttab_put(struct grant_table *gt);
void gnttab_hold(struct grant_table *gt);
void gnttab_drop(struct grant_table *gt);
/* The table of domain id, held (gnttab_drop when done); DOMID_SELF means
 * cgt when allow_self (Xen's rcu_lock_domain_by_any_id), else NULL. */
struct grant_table *gnttab_lookup(struct grant_table *cgt, domid_t id, bool allow_self);
/* Ops on a struct the glue copied in; the glue copies results back. */
int16_t gnttab_setup_table(struct grant_table *cgt, struct gnttab_setup_table *op,
                           uint64_t *frames, unsigned int *nr_out);
int16_t gnttab_query_size(struct grant_table *cgt, struct gnttab_query_size *op);
long gnttab_set_version(struct grant_table *cgt, struct gnttab_set_version *op);
long gnttab_get_version(struct grant_table *cgt, struct gnttab_get_version *op);
int16_t gnttab_get_status_frames(struct grant_table *cgt, struct gnttab_get_status_frames *op);
int16_t gnttab_swap_grant_ref(struct grant_table *cgt, grant_ref_t a, grant_ref_t b);

/* ---- map.c */
void gnttab_map(struct grant_table *lgt, unsigned int vcpu, struct gnttab_map_grant_ref *op);

/* State carried from the first half of an unmap (PTE removed) to the
 * second (references and pins dropped), with a TLB flush in between. */
struct gnttab_unmap {
    uint64_t host_addr, dev_bus_addr, new_addr;
    grant_handle_t handle;
    int16_t status;
    uint16_t done;              /* GNTMAP_* of what was removed */
    uint64_t mfn;
    struct grant_table *rgt;    /* held (gnttab_hold) while done != 0 */
    grant_ref_t ref;
    bool drop_mapping_ref;      /* the handle went: drop its reference too */
};
void gnttab_unmap_begin(struct grant_table *lgt, struct gnttab_unmap *u);
void gnttab_unmap_complete(struct gnttab_unmap *u);

/* ---- copy.c: a batch keeps its source and destination acquired while
 * consecutive ops name the same page. */
struct gnttab_copy_buf {
    struct gnttab_copy_ptr ptr;     /* what is held: ref or gmfn, domid, offset */
    uint16_t len;
    struct grant_table *gt;         /* the domain (a reference) */
    uint64_t mfn;
    void *virt;
    bool read_only, have_grant, have_type, have_page;
};
struct gnttab_copy_state {
    struct gnttab_copy_buf src, dest;
};
int16_t gnttab_copy_one(struct grant_table *cgt, struct gnttab_copy_state *s,
                        const struct gnttab_copy *op);
void gnttab_copy_end(struct gnttab_copy_state *s);

/* ---- transfer.c: give a page of cgt's domain to another through its
 * accept_transfer entry. */
int16_t gnttab_transfer_one(struct grant_table *cgt, const struct gnttab_transfer *op);

/* ---- cache_flush.c: one op; 0 done, 1 to be continued from *cur (a
 * grant scan was cut short), or a negative error. */
long gnttab_cache_flush_one(struct grant_table *cgt, const struct gnttab_cache_flush *op,
                            unsigned int *cur);

/* ---- accounting, for audits and the tests */
struct gnttab_totals {
    unsigned long tables;       /* live tables (incl. dying ones still referenced) */
    unsigned long pinned;       /* active entries in use, all tables */
    unsigned long handles;      /* maptrack entries in use, all domains */
};
void gnttab_totals(struct gnttab_totals *t);
extern struct gnttab_totals gnttab_live;

#endif
