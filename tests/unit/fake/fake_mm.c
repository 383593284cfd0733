/* The fake machine behind the page-type unit tests (see fake_mm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include "fake_mm.h"
#include "../../../hypervisor/arch/x86/pv/pagetable.h"

struct page_info *frame_table;
unsigned long max_page;
struct fake_calls fake_calls;
uint32_t fake_tlb_clock;
bool fake_desc_valid = true;
char fake_last_printk[256];
struct domain *fake_caller;

static uint8_t *machine;                /* FAKE_FRAMES pages */

void *fake_machine_va(paddr_t pa)
{
    if (pa >= (paddr_t)FAKE_FRAMES << PAGE_SHIFT) {
        fprintf(stderr, "fake: __va(%#lx) outside fake machine memory\n", (unsigned long)pa);
        abort();
    }
    return machine + pa;
}

paddr_t fake_machine_pa(const void *va)
{
    const uint8_t *p = va;

    if (p < machine || p >= machine + ((size_t)FAKE_FRAMES << PAGE_SHIFT)) {
        fprintf(stderr, "fake: __pa(%p) outside fake machine memory\n", va);
        abort();
    }
    return (paddr_t)(p - machine);
}

void fake_mm_reset(void)
{
    if (!machine) {
        machine = aligned_alloc(PAGE_SIZE, (size_t)FAKE_FRAMES << PAGE_SHIFT);
        frame_table = calloc(FAKE_FRAMES, sizeof(*frame_table));
        if (!machine || !frame_table)
            abort();
    }
    memset(machine, 0, (size_t)FAKE_FRAMES << PAGE_SHIFT);
    memset(frame_table, 0, FAKE_FRAMES * sizeof(*frame_table));
    for (unsigned int i = 0; i < FAKE_RAM_FRAMES; i++)
        frame_table[i].count_info = PGC_ram | PGC_free;
    max_page = FAKE_FRAMES;
    memset(&fake_calls, 0, sizeof(fake_calls));
    fake_tlb_clock = 100;
    fake_desc_valid = true;
    fake_last_printk[0] = 0;
    fake_caller = NULL;
}

struct domain *fake_domain(domid_t id, bool privileged, bool iomem_all)
{
    struct domain *d = calloc(1, sizeof(*d));

    if (!d)
        abort();
    d->domain_id = id;
    snprintf(d->name, sizeof(d->name), "d%u", id);
    d->is_privileged = privileged;
    d->arch.iomem_all = iomem_all;
    d->arch.perdomain_l3e = FAKE_HV_L4E(260);
    return d;
}

static mfn_t take_free(void)
{
    /* Frames 0-15 stay for fake_alloc_io(), like the legacy first MiB. */
    for (mfn_t m = 16; m < FAKE_RAM_FRAMES; m++)
        if (frame_table[m].count_info & PGC_free)
            return m;
    fprintf(stderr, "fake: out of frames\n");
    abort();
}

mfn_t fake_alloc(struct domain *d)
{
    mfn_t m = take_free();
    struct page_info *pg = &frame_table[m];

    pg->count_info = PGC_ram | PGC_allocated | 1;
    pg->type_info = PGT_none;
    pg->owner = d;
    memset(fake_frame(m), 0, PAGE_SIZE);
    return m;
}

mfn_t fake_alloc_io(void)
{
    for (mfn_t m = 0; m < 16; m++) {
        struct page_info *pg = &frame_table[m];

        if (pg->count_info & PGC_free) {
            pg->count_info = PGC_ram | PGC_allocated | 1;
            pg->type_info = PGT_writable_page | PGT_validated | 1;
            pg->owner = dom_io;
            return m;
        }
    }
    abort();
}

mfn_t fake_alloc_xenheap_shared(struct domain *d)
{
    mfn_t m = take_free();
    struct page_info *pg = &frame_table[m];

    pg->count_info = PGC_ram | PGC_xen_heap | PGC_allocated | 1;
    pg->type_info = PGT_none;
    pg->owner = d;
    return m;
}

pgentry_t *fake_frame(mfn_t mfn)
{
    return fake_machine_va(mfn << PAGE_SHIFT);
}

/* ---------------------------------------------------------------- services */

void free_domain_frame(struct page_info *pg)
{
    fake_calls.free_domain_frame++;
    pg->owner = NULL;
    pg->count_info = PGC_ram | PGC_free;
    pg->type_info = 0;
}

void free_heap_pages(struct page_info *pg, unsigned int order)
{
    (void)order;
    fake_calls.free_heap_pages++;
    pg->count_info = PGC_ram | PGC_free;
}

void init_hv_l4_slots(pgentry_t *l4, pgentry_t perdomain_l3e)
{
    fake_calls.init_hv_l4_slots++;
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        l4[s] = FAKE_HV_L4E(s);
    l4[PERDOMAIN_SLOT] = perdomain_l3e;
}

bool pv_validate_desc_page(struct page_info *pg)
{
    (void)pg;
    fake_calls.validate_desc++;
    return fake_desc_valid;
}

bool pv_iomem_permitted(const struct domain *d, mfn_t mfn)
{
    return d->arch.iomem_all && mfn < FAKE_IOMEM_LIMIT && mfn != FAKE_LAPIC;
}

bool pv_mmio_ro(mfn_t mfn)
{
    return mfn == FAKE_IOAPIC;
}

struct domain *pv_caller_domain(void)
{
    if (!fake_caller) {
        fprintf(stderr, "fake: pv_caller_domain() with no fake_caller set\n");
        abort();
    }
    return fake_caller;
}

uint32_t tlbflush_current_time(void)
{
    return fake_tlb_clock;
}

void flush_tlb_if_stale(uint32_t stamp)
{
    fake_calls.flush_if_stale++;
    fake_calls.last_flush_stamp = stamp;
}

void printk(const char *fmt, ...)
{
    va_list ap;

    fake_calls.printk++;
    if (fmt[0] == '\001' && fmt[1])
        fmt += 2;
    va_start(ap, fmt);
    vsnprintf(fake_last_printk, sizeof(fake_last_printk), fmt, ap);
    va_end(ap);
    if (getenv("FAKE_MM_VERBOSE"))
        fputs(fake_last_printk, stderr);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("fake panic (a BUG_ON fired): ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
