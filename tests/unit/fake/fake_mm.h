/*
 * Fake machine for host unit tests of the PV page-type code
 * (hypervisor/arch/x86/pv/pagetype.c): a heap array standing in for
 * machine frames with its frame table, domains to own them, and the
 * hypervisor services pagetype.c calls (TLB flush clock, heap frees,
 * hypervisor L4 slots, descriptor-page validation, the I/O memory rules,
 * the calling domain, printk, panic), each recording what it was asked
 * so that tests can check it.
 */
#ifndef FAKE_MM_H
#define FAKE_MM_H

#include <pavise/types.h>
#include <pavise/domain.h>
#include <pavise/pagetype.h>
#include <asm/page.h>

/* Frames 0 .. FAKE_RAM_FRAMES-1 are RAM; frame numbers up to
 * FAKE_FRAMES-1 have a page_info but are holes (no PGC_ram). */
#define FAKE_RAM_FRAMES 192
#define FAKE_FRAMES     256

/* Marker init_hv_l4_slots writes into slots 256-271. */
#define FAKE_HV_L4E(slot) (((uint64_t)0xf0000 + (slot)) << PAGE_SHIFT | _PAGE_PRESENT | _PAGE_RW)

struct fake_calls {
    unsigned int free_domain_frame, free_heap_pages;
    unsigned int init_hv_l4_slots, validate_desc;
    unsigned int flush_if_stale;
    uint32_t last_flush_stamp;
    unsigned int printk;
};
extern struct fake_calls fake_calls;
/* The flush clock tlbflush_current_time() returns. */
extern uint32_t fake_tlb_clock;
/* What pv_validate_desc_page() answers. */
extern bool fake_desc_valid;
/* Last printk text (level prefix stripped), for failure messages. */
extern char fake_last_printk[256];
/* The domain of the "hypercall being served" (pv_caller_domain()). */
extern struct domain *fake_caller;
/* The fake machine's I/O memory: frames from FAKE_IOMEM_LIMIT on are
 * beyond the physical address space; FAKE_LAPIC is denied to everyone;
 * FAKE_IOAPIC may be mapped read-only only (Xen's mmio_ro_ranges). */
#define FAKE_IOMEM_LIMIT 0x1000000UL
#define FAKE_LAPIC       0xfee00UL
#define FAKE_IOAPIC      0xfec00UL

/* Fresh machine: all RAM frames free, counters cleared. */
void fake_mm_reset(void);
/* A domain (zeroed, with an id); privileged/iomem as given. */
struct domain *fake_domain(domid_t id, bool privileged, bool iomem_all);
/* Allocate a free RAM frame to d (count 1 = the allocation reference,
 * PGC_allocated, type none); the frame's contents are zeroed. */
mfn_t fake_alloc(struct domain *d);
/* A frame owned by dom_io (the legacy region), count 1, writable type. */
mfn_t fake_alloc_io(void);
/* A hypervisor heap page shared with d (PGC_xen_heap). */
mfn_t fake_alloc_xenheap_shared(struct domain *d);
/* The contents of frame mfn. */
pgentry_t *fake_frame(mfn_t mfn);
static inline struct page_info *pg_of(mfn_t mfn) { return mfn_to_page(mfn); }

static inline unsigned long pg_count(mfn_t mfn) { return pg_of(mfn)->count_info & PGC_count_mask; }
static inline unsigned long pg_tcount(mfn_t mfn) { return pg_of(mfn)->type_info & PGT_count_mask; }
static inline unsigned long pg_type(mfn_t mfn) { return pg_of(mfn)->type_info & PGT_type_mask; }
static inline bool pg_validated(mfn_t mfn) { return pg_of(mfn)->type_info & PGT_validated; }
static inline bool pg_freed(mfn_t mfn) { return pg_of(mfn)->count_info & PGC_free; }

#endif
