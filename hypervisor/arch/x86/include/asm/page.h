/* Address conversions and page-table entry bits. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <pavise/types.h>
#include <asm/config.h>

#define PAGE_MASK       (~(uint64_t)(PAGE_SIZE - 1))
#define PADDR_BITS      52
#define PADDR_MASK      ((1UL << PADDR_BITS) - 1)

#define _PAGE_PRESENT   0x001UL
#define _PAGE_RW        0x002UL
#define _PAGE_USER      0x004UL
#define _PAGE_PWT       0x008UL
#define _PAGE_PCD       0x010UL
#define _PAGE_ACCESSED  0x020UL
#define _PAGE_DIRTY     0x040UL
#define _PAGE_PSE       0x080UL
#define _PAGE_PAT       0x080UL
#define _PAGE_GLOBAL    0x100UL
#define _PAGE_AVAIL     0xe00UL
#define _PAGE_NX        (1UL << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000UL

extern char __image_start[];

/* Image addresses convert by the link offset, everything else through the
 * direct map. */
static inline paddr_t __pa(const void *va)
{
    unsigned long v = (unsigned long)va;
    if (v >= HV_IMAGE_VIRT_START && v < HV_IMAGE_VIRT_START + (1UL << 30))
        return v - HV_VIRT_OFFSET;
    return v - DIRECTMAP_VIRT_START;
}

static inline void *__va(paddr_t pa)
{
    return (void *)(pa + DIRECTMAP_VIRT_START);
}

#define l4_index(va) (((unsigned long)(va) >> 39) & 511)
#define l3_index(va) (((unsigned long)(va) >> 30) & 511)
#define l2_index(va) (((unsigned long)(va) >> 21) & 511)
#define l1_index(va) (((unsigned long)(va) >> 12) & 511)


#ifndef __ASSEMBLER__
typedef uint64_t pgentry_t;

#define PTE_FLAGS_MASK  (~PTE_ADDR_MASK)
static inline mfn_t pte_mfn(pgentry_t e) { return (e & PTE_ADDR_MASK) >> PAGE_SHIFT; }
static inline uint64_t pte_flags(pgentry_t e) { return e & PTE_FLAGS_MASK; }
static inline pgentry_t mk_pte(mfn_t mfn, uint64_t flags) { return (mfn << PAGE_SHIFT) | flags; }

/* Xen's software bit for guest-kernel L1 mappings (bit 52). */
#define _PAGE_GUEST_KERNEL (1UL << 52)

/* The hypervisor's own page tables (idle context; guest L4s share slots
 * 256-271 with it). */
extern pgentry_t idle_pg_table[512];
extern uint64_t pte_nx;            /* _PAGE_NX if the CPU has NX, else 0 */

#define PAGE_HV_RW      (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define PAGE_HV_UC      (PAGE_HV_RW | _PAGE_PCD | _PAGE_PWT)

/* Map nr frames at va in the hypervisor's address space (idle_pg_table,
 * hence every guest). Uses 2 MiB / 1 GiB pages when 'large' allows. */
void map_pages_to_hv(unsigned long va, mfn_t mfn, unsigned long nr, uint64_t flags, bool large);
/* Copy the hypervisor slots (256-271) into a guest L4. */
void init_hv_l4_slots(pgentry_t *l4, pgentry_t perdomain_l3e);

static inline void flush_tlb_local(void)
{
    unsigned long cr4;
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    /* Toggling PGE flushes global entries too. */
    __asm__ volatile("mov %0, %%cr4; mov %1, %%cr4" :: "r"(cr4 & ~0x80UL), "r"(cr4) : "memory");
}

static inline void flush_tlb_one_local(unsigned long va)
{
    __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}
#endif

#endif
