/*
 * PV page-table internals shared by the files of hypervisor/arch/x86/pv
 * that validate and change guest page tables (pagetype.c, linear_pt.c,
 * iomem.c, mm_ops.c, ptwr.c, audit.c). The entry points other subsystems
 * use are in asm/pv.h and pavise/pagetype.h.
 */
#ifndef PV_PAGETABLE_H
#define PV_PAGETABLE_H

#include <pavise/types.h>
#include <pavise/mm.h>
#include <asm/page.h>

struct domain;

/* Cache-attribute bits of an L1 entry (PAT index). */
#define L1_CACHE_ATTRS  (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
/* Xen's INVALID_MFN as an entry's frame: refused with -EINVAL, not -EPERM. */
#define INVALID_PTE_MFN (PTE_ADDR_MASK >> PAGE_SHIFT)

/* The page-table type of a level (1-4) and back. */
static inline unsigned long pt_type_of_level(unsigned int level)
{
    return (unsigned long)level << 61;
}
static inline unsigned int pt_level_of_type(unsigned long type)
{
    return (unsigned int)(type >> 61);
}

/*
 * get_page_from_l1e() answers 0, a negative XEN_E* value, or (> 0) the
 * flags the caller must flip in the entry before writing it (Xen's
 * "flip" for I/O memory: _PAGE_RW for read-only MMIO, cache attributes
 * to make MMIO uncached).
 */
static inline pgentry_t l1e_flip(pgentry_t e, int flip)
{
    return flip > 0 ? e ^ (pgentry_t)flip : e;
}

/* ---- I/O memory (iomem.c; a fake in the host unit tests) */

/* Learn the physical address width and the CPU vendor (boot). */
void pv_iomem_init(void);

/* May d map the non-RAM (or dom_io) frame mfn? */
bool pv_iomem_permitted(const struct domain *d, mfn_t mfn);
/* Is mfn MMIO the hypervisor lets others map read-only only (the
 * IO-APICs: Xen's mmio_ro_ranges)? */
bool pv_mmio_ro(mfn_t mfn);
/* The domain of the hypercall being served: DOMID_IO names it for
 * privilege checks (mm_ops.c; a fake in the host unit tests). */
struct domain *pv_caller_domain(void);

/* ---- references (pagetype.c) */

/* A general reference whatever the owner; returns the owner (NULL and no
 * reference if the frame is free). Xen's page_get_owner_and_reference. */
struct domain *page_get_owner_and_reference(struct page_info *pg);
/* Xen's page_lock: a type reference on a validated page plus exclusive
 * right to change its entries; false if the page is not in use as a
 * validated type. Never put_page_type() a page you have locked. */
bool page_lock(struct page_info *pg);
void page_unlock(struct page_info *pg);

/* L2-L4 entries of table 'table' (level = the table's level). */
int get_page_from_lNe(pgentry_t e, mfn_t table, unsigned int level, struct domain *d);
void put_page_from_lNe(pgentry_t e, mfn_t table, unsigned int level);
/* L2-L4 entry flags the rules refuse. */
uint64_t pv_lN_disallow_mask(unsigned int level);

/* ---- linear page tables (linear_pt.c) */

/*
 * A read-only L2/L3/L4 entry of table 'table' naming a table of the same
 * level (Xen's get_l<N>_linear_pagetable): itself, or another validated
 * table of the domain that has no linear entries of its own, while
 * 'table' is not named by linear entries. True if allowed; the entry
 * then holds a general and a type reference on its target (none if it
 * names 'table' itself).
 */
bool get_linear_pagetable(pgentry_t e, mfn_t table, unsigned int level, struct domain *d);
/* Drop what a linear entry of 'table' naming 'target' (not itself) holds. */
void put_linear_pagetable(struct page_info *target, struct page_info *table);

/* ---- the read-only M2P and DOMID_XEN (dom_xen.c) */

/* The pseudo-domain owning hypervisor frames guests may map read-only
 * (the M2P) when they name DOMID_XEN. */
extern struct domain *dom_xen;
/* At boot, once the M2P exists: share its frames read-only with dom_xen
 * and set up the I/O memory rules. */
void pv_mm_init(void);

#endif
