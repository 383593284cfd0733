/*
 * TLB flushes and the flush clock. Every full flush on a CPU records the
 * clock; a frame remembers the clock when its last writable mapping went.
 * Before such a frame becomes a page table, only CPUs that have not
 * flushed since then can still hold a writable translation: only those
 * are flushed (Xen's tlbflush_timestamp filter).
 */
#ifndef ASM_FLUSH_H
#define ASM_FLUSH_H

#include <pavise/types.h>
#include <asm/smp.h>

uint32_t tlbflush_current_time(void);
void flush_tlb_if_stale(uint32_t stamp);
/* Full (global) flush on every CPU in mask, this one included. */
void flush_tlb_mask(cpumask_t mask);
/* invlpg on every CPU in mask. */
void flush_tlb_one_mask(cpumask_t mask, unsigned long va);
/* Local full flush that advances this CPU's flush time. */
void flush_tlb_local_record(void);

#endif
