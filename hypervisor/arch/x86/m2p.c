/*
 * The machine-to-phys table: one unsigned long per machine frame, mapped
 * read-write for the hypervisor (RDWR_MPT_VIRT_START) and read-only for
 * guests at MACH2PHYS_VIRT_START (L4 slot 256), in 2 MiB chunks.
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <asm/page.h>
#include <asm/config.h>

#define INVALID_M2P_ENTRY (~0UL)
static unsigned long *m2p = (unsigned long *)RDWR_MPT_VIRT_START;
static unsigned long m2p_entries;
mfn_t m2p_chunks[64];
unsigned int m2p_nr_chunks;

void m2p_init(void)
{
    unsigned long bytes = ROUNDUP(max_page * sizeof(unsigned long), 1UL << 21);
    unsigned long chunks = bytes >> 21;

    if (chunks > ARRAY_SIZE(m2p_chunks))
        panic("M2P: %lu MiB of RAM needs too many chunks", (max_page << PAGE_SHIFT) >> 20);
    for (unsigned long i = 0; i < chunks; i++) {
        struct page_info *pg = alloc_heap_pages(9);
        if (!pg)
            panic("M2P: out of memory");
        mfn_t mfn = page_to_mfn(pg);
        m2p_chunks[m2p_nr_chunks++] = mfn;
        map_pages_to_hv(RDWR_MPT_VIRT_START + (i << 21), mfn, 512, PAGE_HV_RW | pte_nx, true);
        /* Guests: read-only, user-accessible, not global (per L4 slot). */
        map_pages_to_hv(RO_MPT_VIRT_START + (i << 21), mfn, 512,
                        _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | pte_nx, true);
    }
    m2p_entries = bytes / sizeof(unsigned long);
    for (unsigned long i = 0; i < m2p_entries; i++)
        m2p[i] = INVALID_M2P_ENTRY;
    printk("M2P: %lu entries (%lu MiB) at %#lx, read-only at %#lx\n", m2p_entries, bytes >> 20,
           RDWR_MPT_VIRT_START, RO_MPT_VIRT_START);
}

void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn)
{
    if (mfn < m2p_entries)
        m2p[mfn] = pfn;
}

unsigned long get_gpfn_from_mfn(mfn_t mfn)
{
    return mfn < m2p_entries ? m2p[mfn] : INVALID_M2P_ENTRY;
}
