/*
 * The PV page-type model (Xen's): a domain frame has a general reference
 * count (count_info) and one type with a type count (type_info).
 *
 *   type: none | L1..L4 page table | segment descriptor | writable
 *
 * A frame can take a type reference only for its current type, or for a
 * new type when its type count is zero. Page-table and descriptor types
 * are validated (every entry checked, references taken for what the
 * entries name) when they are first taken, and devalidated (those
 * references dropped) when the last type reference goes. Every present
 * writable L1 entry holds a writable type reference on its target, so a
 * frame mapped writable anywhere can never be a page table, and a page
 * table can only be mapped read-only. Pinning holds an extra type
 * reference. Frames are freed only when their general count drops to 0.
 */
#ifndef PAVISE_PAGETYPE_H
#define PAVISE_PAGETYPE_H

#include <pavise/types.h>
#include <pavise/mm.h>

struct domain;

#define PGT_none            (0UL << 61)
#define PGT_l1_page_table   (1UL << 61)
#define PGT_l2_page_table   (2UL << 61)
#define PGT_l3_page_table   (3UL << 61)
#define PGT_l4_page_table   (4UL << 61)
#define PGT_seg_desc_page   (5UL << 61)
#define PGT_writable_page   (7UL << 61)
#define PGT_type_mask       (7UL << 61)
#define PGT_pinned          (1UL << 60)
#define PGT_validated       (1UL << 59)
/* Held by page_lock() (pv/pagetable.h), with one type reference. */
#define PGT_locked          (1UL << 58)
#define PGT_count_mask      ((1UL << 32) - 1)

static inline unsigned long page_type(const struct page_info *pg)
{
    return pg->type_info & PGT_type_mask;
}
static inline bool is_pagetable_type(unsigned long t)
{
    return t >= PGT_l1_page_table && t <= PGT_l4_page_table;
}

/* General references. get_page fails if the frame is not owned by d. */
bool get_page(struct page_info *pg, const struct domain *d);
void put_page(struct page_info *pg);
/* Type references: 0 or a negative XEN_E* value. */
int get_page_type(struct page_info *pg, unsigned long type);
void put_page_type(struct page_info *pg);
int get_page_and_type(struct page_info *pg, const struct domain *d, unsigned long type);
void put_page_and_type(struct page_info *pg);

/* The pseudo-domain owning I/O frames (low memory, MMIO) dom0 may map. */
extern struct domain *dom_io;

#endif
