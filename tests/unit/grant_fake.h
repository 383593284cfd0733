/*
 * A fake world for the grant-table core (grant/env.h) on the host: a few
 * domains, a pool of frames with owners, general and writable-type
 * counts, page tables modelled as a set of PTE slots, and counters that
 * let a test prove every reference and allocation came back.
 */
#ifndef GRANT_FAKE_H
#define GRANT_FAKE_H

#include <pavise/types.h>
#include "../../grant/gnttab.h"

/* The test's own struct domain: the core only passes pointers around. */
struct domain {
    domid_t id;
    bool privileged;
    bool alive;                 /* findable by id */
    int refcnt;                 /* references others hold (not the test's) */
    struct grant_table *gt;
    unsigned long tot_pages, max_pages;     /* for transfers */
};

#define FAKE_NR_FRAMES  64
#define FAKE_MFN_BASE   0x1000u
#define FAKE_BAD_MFN    0x7fffffffu

enum fake_type { FT_NONE, FT_WRITABLE, FT_PAGETABLE };

struct fake_frame {
    struct domain *owner;       /* NULL: free */
    long count;                 /* general references */
    long type_count;
    enum fake_type type;
    bool shared;                /* a grant-table frame (hypervisor page) */
    uint8_t *data;
};
extern struct fake_frame fake_frames[FAKE_NR_FRAMES];

/* PTE slots the fake "page tables" have: linear addresses
 * FAKE_VA_BASE + i * 4096, and PTE machine addresses FAKE_PTE_BASE + i * 8
 * (GNTMAP_contains_pte) naming the same slots. */
#define FAKE_NR_SLOTS   32
#define FAKE_VA_BASE    0x400000UL
#define FAKE_PTE_BASE   0x9000000UL
struct fake_pte {
    bool present, rw, grant;
    uint64_t mfn;
    uint32_t flags;             /* GNTMAP_* of a grant PTE */
};
extern struct fake_pte fake_ptes[FAKE_NR_SLOTS];

/* Set up an empty world; each test starts with this. */
void fake_reset(void);
/* A domain with a grant table (1 frame, 64 max, maptrack limit in frames). */
struct domain *fake_domain(domid_t id, bool privileged, unsigned int nr_vcpus,
                           unsigned int max_maptrack_frames);
/* Tear a domain down the way the hypervisor does (grant side only). */
void fake_destroy(struct domain *d);
/* A frame owned by d (count 1 = its allocation reference). */
uint64_t fake_frame_alloc(struct domain *d, enum fake_type type);
struct fake_frame *fake_frame(uint64_t mfn);
/* Drop d's allocation reference (the frame is freed once unreferenced). */
void fake_frame_release(uint64_t mfn);
/* Write a v1 entry as a guest does. */
void fake_grant(struct domain *d, grant_ref_t ref, domid_t to, uint32_t frame, uint16_t flags);
uint16_t fake_flags(struct domain *d, grant_ref_t ref);
/* A PTE slot holding an ordinary (non-grant) mapping of mfn. */
void fake_plain_pte(unsigned int slot, uint64_t mfn, bool rw);

/* The last cache flush the core asked for. */
struct fake_flush {
    uint64_t mfn;
    unsigned int offset, len;
    bool clean, inval, done;
};
extern struct fake_flush fake_last_flush;
/* The pseudo-physical frame the last transferred page was given. */
extern uint64_t fake_last_assign_gfn;

/* Balance checks: allocations live, TLB flushes seen. */
extern long fake_allocs;
extern unsigned int fake_flushes;
/* Every frame's counts are what the test expects: no frame but the
 * listed ones has references beyond its allocation one. */
bool fake_frames_idle(void);

/* Shorthands for the core ops. */
int16_t fake_map(struct domain *ld, unsigned int vcpu, uint64_t addr, uint32_t flags,
                 grant_ref_t ref, domid_t dom, grant_handle_t *handle);
int16_t fake_unmap(struct domain *ld, uint64_t addr, uint64_t dev_bus_addr, grant_handle_t handle);
int16_t fake_copy(struct domain *cd, const struct gnttab_copy *op);

#endif
