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

#endif
