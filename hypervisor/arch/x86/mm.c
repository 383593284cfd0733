/*
 * The hypervisor's page tables.
 *
 * idle_pg_table is the L4 the hypervisor runs on when no guest is loaded.
 * Its slots 256-271 hold the hypervisor mappings (layout in asm/config.h);
 * every guest L4 gets copies of those slot entries, so everything below
 * them (L3 and down) is shared: a mapping added here is visible in every
 * address space. All L3s for those slots are therefore created at boot.
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <asm/page.h>
#include <asm/x86.h>

pgentry_t idle_pg_table[512] __aligned(4096) __section(".bss.page_aligned");
uint64_t pte_nx;
static bool have_1g_pages;
static bool early = true;               /* page-table pages from the boot allocator */

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

#define PT_LINK_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static pgentry_t *alloc_pt_page(mfn_t *mfn_out)
{
    mfn_t mfn;
    if (early) {
        /* Below 4 GiB: the boot page tables map that much. */
        mfn = boot_alloc_pages(1, 1, 0x100000);
    } else {
        struct page_info *pg = alloc_heap_pages(0);
        if (!pg)
            panic("out of memory for hypervisor page tables");
        mfn = page_to_mfn(pg);
    }
    pgentry_t *t = __va(mfn << PAGE_SHIFT);
    memset(t, 0, PAGE_SIZE);
    *mfn_out = mfn;
    return t;
}

/* The table one level down from entry *e, created if absent. */
static pgentry_t *next_table(pgentry_t *e, uint64_t link_flags)
{
    if (!(*e & _PAGE_PRESENT)) {
        mfn_t mfn;
        alloc_pt_page(&mfn);
        *e = mk_pte(mfn, PT_LINK_FLAGS | link_flags);
    }
    BUG_ON(*e & _PAGE_PSE);
    return __va(*e & PTE_ADDR_MASK);
}

void map_pages_to_hv(unsigned long va, mfn_t mfn, unsigned long nr, uint64_t flags, bool large)
{
    uint64_t link = flags & _PAGE_USER;

    while (nr) {
        pgentry_t *l3 = next_table(&idle_pg_table[l4_index(va)], link);
        if (large && have_1g_pages && !(va & ((1UL << 30) - 1)) && !(mfn & 0x3ffff) && nr >= 0x40000) {
            l3[l3_index(va)] = mk_pte(mfn, flags | _PAGE_PSE);
            va += 1UL << 30, mfn += 0x40000, nr -= 0x40000;
            continue;
        }
        pgentry_t *l2 = next_table(&l3[l3_index(va)], link);
        if (large && !(va & ((1UL << 21) - 1)) && !(mfn & 0x1ff) && nr >= 0x200) {
            l2[l2_index(va)] = mk_pte(mfn, flags | _PAGE_PSE);
            va += 1UL << 21, mfn += 0x200, nr -= 0x200;
            continue;
        }
        pgentry_t *l1 = next_table(&l2[l2_index(va)], link);
        l1[l1_index(va)] = mk_pte(mfn, flags);
        va += PAGE_SIZE, mfn++, nr--;
    }
}

void init_hv_l4_slots(pgentry_t *l4, pgentry_t perdomain_l3e)
{
    for (unsigned int i = HV_FIRST_SLOT; i <= HV_LAST_SLOT; i++)
        l4[i] = idle_pg_table[i];
    l4[PERDOMAIN_SLOT] = perdomain_l3e;
}

static void map_image(void)
{
    unsigned long s = (unsigned long)__image_start;
    unsigned long t = (unsigned long)__text_end;
    unsigned long r = (unsigned long)__rodata_end;
    unsigned long e = ROUNDUP((unsigned long)__image_end, PAGE_SIZE);

    map_pages_to_hv(s, __pa((void *)s) >> PAGE_SHIFT, (t - s) >> PAGE_SHIFT,
                    PAGE_HV_RW & ~(uint64_t)_PAGE_RW, false);
    map_pages_to_hv(t, __pa((void *)t) >> PAGE_SHIFT, (r - t) >> PAGE_SHIFT,
                    (PAGE_HV_RW & ~(uint64_t)_PAGE_RW) | pte_nx, false);
    map_pages_to_hv(r, __pa((void *)r) >> PAGE_SHIFT, (e - r) >> PAGE_SHIFT,
                    PAGE_HV_RW | pte_nx, false);
}

/*
 * Page tables for AP start-up (below 4 GiB, as the trampoline loads CR3
 * in 32-bit mode): the hypervisor slots plus an identity map of the first
 * 2 MiB, where the trampoline runs.
 */
paddr_t ap_boot_l4_pa;

static void build_ap_boot_l4(void)
{
    mfn_t l4m, l3m, l2m;
    pgentry_t *l4 = alloc_pt_page(&l4m), *l3 = alloc_pt_page(&l3m), *l2 = alloc_pt_page(&l2m);

    init_hv_l4_slots(l4, 0);
    l4[0] = mk_pte(l3m, _PAGE_PRESENT | _PAGE_RW);
    l3[0] = mk_pte(l2m, _PAGE_PRESENT | _PAGE_RW);
    l2[0] = mk_pte(0, _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE);
    ap_boot_l4_pa = l4m << PAGE_SHIFT;
}

/*
 * Build the real page tables and switch to them: the image with W^X
 * permissions, the direct map of all RAM, and empty L3s for every other
 * hypervisor slot. The identity map of the boot tables goes away.
 */
void arch_setup_pagetables(struct boot_info *bi)
{
    uint32_t a, b, c, d;

    cpuid(0x80000001, &a, &b, &c, &d);
    if (d & (1u << 20))
        pte_nx = _PAGE_NX;
    have_1g_pages = d & (1u << 26);

    for (unsigned int i = HV_FIRST_SLOT; i <= HV_LAST_SLOT; i++) {
        mfn_t mfn;
        alloc_pt_page(&mfn);
        /* Slot 256 is the guest-readable M2P: user-accessible down the tree. */
        idle_pg_table[i] = mk_pte(mfn, PT_LINK_FLAGS | (i == 256 ? _PAGE_USER : 0));
    }
    map_image();
    for (int i = 0; i < bi->nr_memmap; i++) {
        const struct mem_region *m = &bi->memmap[i];
        if (m->type != E820_RAM)
            continue;
        uint64_t s = ROUNDDOWN(m->addr, 1UL << 21), e = ROUNDUP(m->addr + m->size, 1UL << 21);
        if (e > DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)
            panic("RAM beyond the direct map (%#lx)", e);
        map_pages_to_hv(DIRECTMAP_VIRT_START + s, s >> PAGE_SHIFT, (e - s) >> PAGE_SHIFT,
                        PAGE_HV_RW | pte_nx, true);
    }
    build_ap_boot_l4();
    write_cr3(__pa(idle_pg_table));
    flush_tlb_local();
}

void arch_mm_late_init(void)
{
    early = false;
}

/* ------------------------------------------------------------ ioremap */

static unsigned long ioremap_next = IOREMAP_VIRT_START;

static void *ioremap_flags(paddr_t pa, size_t len, uint64_t flags)
{
    paddr_t base = ROUNDDOWN(pa, PAGE_SIZE);
    unsigned long nr = (ROUNDUP(pa + len, PAGE_SIZE) - base) >> PAGE_SHIFT;
    unsigned long va = ioremap_next;

    if (va + (nr << PAGE_SHIFT) > IOREMAP_VIRT_END)
        return NULL;
    ioremap_next += (nr + 1) << PAGE_SHIFT;     /* one guard page */
    map_pages_to_hv(va, base >> PAGE_SHIFT, nr, flags | pte_nx, false);
    return (void *)(va + (pa - base));
}

void *ioremap(paddr_t pa, size_t len)
{
    return ioremap_flags(pa, len, PAGE_HV_UC);
}

/* Firmware tables: cacheable, read-only. */
const void *map_firmware(paddr_t pa, size_t len)
{
    return ioremap_flags(pa, len, PAGE_HV_RW & ~(uint64_t)_PAGE_RW);
}
