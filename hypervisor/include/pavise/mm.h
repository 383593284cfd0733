/*
 * Machine memory: the frame table, the page allocator and the hypervisor
 * heap.
 *
 * Every machine frame of RAM has a struct page_info. A frame is free (in
 * the buddy allocator), hypervisor heap, reserved at boot, or owned by a
 * domain. Domain frames carry a general reference count and a type with a
 * type count (the PV page-type model, see pavise/pagetype.h):
 *
 *   count_info: PGC_* state flags | general reference count
 *   type_info:  PGT_* type | PGT_pinned | PGT_validated | type count
 *
 * Locking: heap_lock (page_alloc.c) protects the free lists and the
 * global counters. A domain's page list and tot_pages are protected by
 * d->page_lock. count_info and type_info change only by atomic cmpxchg.
 */
#ifndef PAVISE_MM_H
#define PAVISE_MM_H

#include <pavise/types.h>
#include <asm/page.h>

struct domain;

struct page_info {
    uint32_t next, prev;            /* list links: frame numbers (see page_list) */
    unsigned long count_info;
    unsigned long type_info;
    struct domain *owner;           /* allocated: owning domain; NULL otherwise */
    uint32_t tlbflush_timestamp;    /* when the last writable type ref went */
    uint8_t order;                  /* free: buddy order of the block head */
    uint8_t pad;
    /* PV linear page tables (pv/linear_pt.c): > 0, how many same-level
     * entries this table holds; < 0, how many such entries name it. */
    int16_t linear_pt_count;
};

#define PGC_allocated     (1UL << 63)   /* holds the owner's allocation reference */
#define PGC_xen_heap      (1UL << 62)   /* hypervisor heap */
#define PGC_free          (1UL << 61)   /* in the buddy allocator */
#define PGC_reserved      (1UL << 60)   /* boot reservation: image, modules, low memory */
#define PGC_ram           (1UL << 59)   /* this frame is RAM (else a hole) */
#define PGC_count_mask    ((1UL << 48) - 1)

#define PAGE_LIST_NULL    0xffffffffu

/* A doubly linked list of frames threaded through page_info.next/prev. */
struct page_list {
    uint32_t head, tail;
    unsigned long count;
};
#define PAGE_LIST_INIT { PAGE_LIST_NULL, PAGE_LIST_NULL, 0 }

extern struct page_info *frame_table;
extern unsigned long max_page;              /* frames covered by the frame table */
extern unsigned long total_ram_pages;

static inline struct page_info *mfn_to_page(mfn_t mfn) { return &frame_table[mfn]; }
static inline mfn_t page_to_mfn(const struct page_info *pg) { return (mfn_t)(pg - frame_table); }
/* A RAM frame with a page_info. */
static inline bool mfn_valid(mfn_t mfn)
{
    return mfn < max_page && (frame_table[mfn].count_info & PGC_ram);
}

void page_list_add_tail(struct page_list *l, struct page_info *pg);
void page_list_del(struct page_list *l, struct page_info *pg);
struct page_info *page_list_first(const struct page_list *l);
struct page_info *page_list_next(const struct page_info *pg);

/* ---- allocator */
#define MAX_ORDER 18    /* 1 GiB blocks */

struct page_info *alloc_heap_pages(unsigned int order);      /* hypervisor heap */
void free_heap_pages(struct page_info *pg, unsigned int order);
void *alloc_xenheap_pages(unsigned int order);               /* zeroed, direct-mapped */
void free_xenheap_pages(void *va, unsigned int order);
/* The machine-to-phys table: which guest frame number a machine frame is. */
void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);

/* Allocate to a domain (counts against d->max_pages). NULL on failure. */
struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order);
/* ... entirely below 2^bits bytes (0: anywhere). */
struct page_info *alloc_domheap_pages_bits(struct domain *d, unsigned int order, unsigned int bits);
/* XENMEM_exchange: take an unreferenced page from its domain, give it
 * back, or free it. */
bool steal_domain_page(struct domain *d, struct page_info *pg);
void return_stolen_page(struct domain *d, struct page_info *pg);
void free_stolen_page(struct page_info *pg);
/* Drop the allocation reference of a domain page (it is freed once no
 * other reference remains). */
void free_domheap_page(struct page_info *pg);
/* Called when the last reference of a domain page goes: back to the heap. */
void free_domain_frame(struct page_info *pg);

struct mem_stats {
    unsigned long total, free, xenheap, domheap, reserved;
};
void mem_stats(struct mem_stats *s);

/* ---- boot */
struct boot_info;
void boot_mem_init(struct boot_info *bi);
/* nr frames, aligned to 'align' frames, below frame 'limit' if possible. */
mfn_t boot_alloc_pages(unsigned long nr, unsigned long align, mfn_t limit);
void page_alloc_init(struct boot_info *bi);
/* Give boot-reserved frames back to the heap (e.g. modules after use). */
void release_boot_range(paddr_t start, paddr_t end);

/* ---- small allocations from the hypervisor heap */
void *xmalloc_bytes(size_t size);           /* zeroed; NULL on failure */
void xfree(void *p);
void xmalloc_stats(unsigned long *pool_pages, unsigned long *live_blocks);
#define xzalloc(type)            ((type *)xmalloc_bytes(sizeof(type)))
#define xzalloc_array(type, n)   ((type *)xmalloc_array_bytes(sizeof(type), (n)))
void *xmalloc_array_bytes(size_t size, size_t n);

/* ---- mapping machine frames into the hypervisor */
static inline void *map_domain_page(mfn_t mfn) { return __va(mfn << PAGE_SHIFT); }
static inline mfn_t virt_to_mfn(const void *va) { return __pa(va) >> PAGE_SHIFT; }
static inline void unmap_domain_page(const void *va) { (void)va; }
/* Map MMIO uncached; returns NULL if the window is exhausted. */
void *ioremap(paddr_t pa, size_t len);
/* Map firmware tables (ACPI) cacheable and read-only. */
const void *map_firmware(paddr_t pa, size_t len);

#endif
