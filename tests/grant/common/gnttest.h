/*
 * Helpers shared by the grant-table test guests (tests/grant/): the
 * domain's own grant table (set up and mapped like Linux does), granting
 * and revoking entries, page-table lookups, scratch virtual addresses to
 * map grants at, and probes that report whether an access faults.
 *
 * Every guest runs as the initial domain (domid 0) and grants pages to
 * itself: Xen lets a domain map and copy its own grants.
 */
#ifndef GNTTEST_H
#define GNTTEST_H

#include <pvguest/test.h>

#define _PAGE_PRESENT   0x001UL
#define _PAGE_RW        0x002UL
#define _PAGE_USER      0x004UL
#define _PAGE_ACCESSED  0x020UL
#define _PAGE_DIRTY     0x040UL
#define _PAGE_GLOBAL    0x100UL
#define _PAGE_AVAIL     0xe00UL
#define _PAGE_GUEST_KERNEL (1UL << 52)
#define _PAGE_NX        (1UL << 63)
#define PTE_MFN(e)      (((e) >> PAGE_SHIFT) & ((1UL << 40) - 1))

/* Our own domain id as grants name it (the initial domain). */
#define SELF_ID         0

/* ---- our grant table */
#define GT_FRAMES_MAPPED 4              /* frames we can map */
extern grant_entry_v1_t *gt_shared;     /* entries of the mapped frames */
extern unsigned long gt_frame_mfn[GT_FRAMES_MAPPED];
extern unsigned int gt_nr_frames;
/* setup_table(DOMID_SELF, nr) and map the frames; 0 or why it failed. */
long gt_setup(unsigned int nr);
/* Write a v1 entry the way Linux does: domid and frame, barrier, flags. */
void gt_grant(grant_ref_t ref, domid_t domid, unsigned long frame, uint16_t flags);
/* Revoke (flags -> 0 by cmpxchg). False if the hypervisor has it in use
 * (GTF_reading/GTF_writing set), as Linux's gnttab_end_foreign_access_ref. */
bool gt_revoke(grant_ref_t ref);
static inline uint16_t gt_flags(grant_ref_t ref)
{
    return READ_ONCE(gt_shared[ref].flags);
}

/* ---- hypercall wrappers (one op each) */
int16_t gt_map(uint64_t host_addr, uint32_t flags, grant_ref_t ref, domid_t dom,
               grant_handle_t *handle, uint64_t *dev_bus_addr);
int16_t gt_unmap(uint64_t host_addr, uint64_t dev_bus_addr, grant_handle_t handle);
int16_t gt_copy(const struct gnttab_copy *op);

/* ---- page tables (read through the initial mapping of our tables) */
/* Machine address of the L1 entry mapping va, or 0 if none. */
uint64_t pte_maddr(unsigned long va);
/* The L1 entry mapping va (0 if no L1 table). */
uint64_t pte_read(unsigned long va);

/* ---- scratch pages: page-aligned addresses with an L1 table, which the
 * tests map grants at. scratch_clear() unmaps one (so a grant can go
 * there), scratch_restore() maps its original frame back. */
#define NR_SCRATCH 16
unsigned long scratch_va(unsigned int i);
long scratch_clear(unsigned int i);
long scratch_restore(unsigned int i);

/* ---- pages to grant: our own frames, filled with a pattern */
#define NR_DATA 8
uint8_t *data_page(unsigned int i);
unsigned long data_mfn(unsigned int i);
void data_fill(unsigned int i, uint8_t seed);

/* ---- access probes: true if the access faulted (#PF), in which case
 * *ec gets the error code */
bool probe_read(const volatile void *p, uint8_t *val, uint64_t *ec);
bool probe_write(volatile void *p, uint8_t val, uint64_t *ec);

/* Name of a GNTST_* value, for failure details and info lines. */
const char *gntst_name(int16_t st);
/* check() that a status is what Xen answers, naming both on failure. */
bool check_st(const char *name, int16_t got, int16_t want);

#endif
