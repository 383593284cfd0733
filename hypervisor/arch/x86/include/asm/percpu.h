/*
 * Per-CPU data. Each CPU owns one STACK_SIZE-aligned stack block:
 *   page 0: #DF IST stack, page 1: NMI IST stack, page 2: #MC IST stack,
 *   pages 3..7: the normal stack, with struct cpu_info at its very top.
 * Any code on any of these stacks finds its cpu_info by rounding %rsp up,
 * so no segment base is needed (guests own FS/GS bases).
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <asm/config.h>
#include <asm/regs.h>

#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3

struct vcpu;

struct cpu_info {
    struct cpu_regs guest_regs;     /* guest frame when entered from ring 3 */
    unsigned int cpu_id;
    unsigned int apic_id;
    struct vcpu *curr_vcpu;
    unsigned long scratch;
    unsigned long pad;
};

static inline struct cpu_info *get_cpu_info(void)
{
    unsigned long sp;
    __asm__("mov %%rsp, %0" : "=r"(sp));
    return (struct cpu_info *)((sp | (STACK_SIZE - 1)) + 1 - sizeof(struct cpu_info));
}

static inline unsigned int smp_processor_id(void) { return get_cpu_info()->cpu_id; }

#endif
