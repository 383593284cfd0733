/* TLB flushes and the flush clock (see asm/flush.h). */
#include <pavise/lib.h>
#include <pavise/smp.h>
#include <asm/flush.h>
#include <asm/page.h>
#include <asm/smp.h>

static uint32_t tlbflush_clock = 1;
static uint32_t tlbflush_time[NR_CPUS];

uint32_t tlbflush_current_time(void)
{
    return __atomic_load_n(&tlbflush_clock, __ATOMIC_SEQ_CST);
}

void flush_tlb_local_record(void)
{
    /* Take the time first: a flush after this covers everything before. */
    uint32_t t = __atomic_add_fetch(&tlbflush_clock, 1, __ATOMIC_SEQ_CST);
    flush_tlb_local();
    __atomic_store_n(&tlbflush_time[smp_processor_id()], t, __ATOMIC_SEQ_CST);
}

static void flush_one(void *data)
{
    (void)data;
    flush_tlb_local_record();
}

void flush_tlb_mask(cpumask_t mask)
{
    on_selected_cpus(mask, flush_one, NULL);
}

static void invlpg_one(void *data)
{
    flush_tlb_one_local((unsigned long)data);
}

void flush_tlb_one_mask(cpumask_t mask, unsigned long va)
{
    on_selected_cpus(mask, invlpg_one, (void *)va);
}

void flush_tlb_if_stale(uint32_t stamp)
{
    cpumask_t mask = 0;
    for (unsigned int c = 0; c < nr_cpus_online; c++)
        /* Wrap-safe "flushed at or before the stamp". */
        if ((int32_t)(__atomic_load_n(&tlbflush_time[c], __ATOMIC_SEQ_CST) - stamp) <= 0)
            mask |= 1UL << c;
    if (mask)
        flush_tlb_mask(mask);
}
