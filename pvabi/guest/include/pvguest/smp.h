/* Per-vCPU data and secondary vCPU start. */
#ifndef PVGUEST_SMP_H
#define PVGUEST_SMP_H

#include <pvguest/types.h>
#include <pvabi/xen.h>

/* Lives at the base of each vCPU's stack (STACK_SIZE aligned). */
struct percpu {
    unsigned int cpu;
    struct vcpu_info *vcpu_info;
    void (*entry)(unsigned int cpu);
};

static inline struct percpu *this_cpu(void)
{
    unsigned long sp;

    __asm__ ("mov %%rsp, %0" : "=r"(sp));
    return (struct percpu *)(sp & ~(STACK_SIZE - 1UL));
}

static inline unsigned int smp_processor_id(void)
{
    return this_cpu()->cpu;
}

static inline struct vcpu_info *this_vcpu_info(void)
{
    return this_cpu()->vcpu_info;
}

extern struct shared_info *shared_info;
extern struct start_info *start_info;

/*
 * Start vCPU `cpu` (VCPUOP_initialise + VCPUOP_up) running fn(cpu) on its
 * own stack, with the trap table and callbacks installed and events
 * masked. Returns the first failing hypercall's result, or 0.
 */
long smp_start_cpu(unsigned int cpu, void (*fn)(unsigned int cpu));
/* Fill a context for `cpu` as smp_start_cpu does (tests vary it). */
struct vcpu_guest_context;
void smp_fill_context(struct vcpu_guest_context *ctx, unsigned int cpu,
                      void (*fn)(unsigned int cpu));

/* Pseudo-physical <-> machine for addresses in the guest image. */
unsigned long virt_to_mfn(const void *va);
unsigned long mfn_to_pfn(unsigned long mfn);

/* Simple spin lock usable from any vCPU (not from event handlers that
 * interrupt a holder on the same vCPU). */
typedef struct { volatile int locked; } spinlock_t;
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);

static inline void cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

#endif
