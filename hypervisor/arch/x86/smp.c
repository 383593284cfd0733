/*
 * IPIs: event check (a softirq is pending: leave the guest or wake from
 * hlt), function calls with completion wait (TLB shootdowns), and stop.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/smp.h>
#include <pavise/spinlock.h>
#include <asm/apic.h>
#include <asm/smp.h>
#include <asm/cpu.h>
#include <asm/x86.h>

/* Callers take tickets: call_next is the next to hand out, call_serving
 * the one whose call may run. */
static uint32_t call_next, call_serving;
static struct {
    void (*fn)(void *);
    void *data;
    cpumask_t pending;
} call;

void smp_send_event_check(unsigned int cpu)
{
    if (cpu < nr_cpus_online)
        apic_send_ipi(cpu_apic_id[cpu], VEC_EVENT_CHECK);
}

void on_selected_cpus(cpumask_t mask, void (*fn)(void *), void *data)
{
    unsigned int self = smp_processor_id();
    cpumask_t others = mask & ~(1UL << self);

    others &= (nr_cpus_online >= 64) ? ~0UL : ((1UL << nr_cpus_online) - 1);
    if (others) {
        /*
         * Only one call in flight, handed out in ticket order: a trylock
         * loop let one CPU win again and again while another starved for
         * seconds (two emulated CPUs on one host core). While waiting,
         * serve the call in flight if it is for us (its IPI may not get in:
         * the caller may have interrupts off).
         */
        uint32_t ticket = __atomic_fetch_add(&call_next, 1, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&call_serving, __ATOMIC_ACQUIRE) != ticket) {
            if (__atomic_load_n(&call.pending, __ATOMIC_SEQ_CST) & (1UL << self))
                smp_call_function_interrupt();
            cpu_relax();
        }
        call.fn = fn;
        call.data = data;
        __atomic_store_n(&call.pending, others, __ATOMIC_SEQ_CST);
        for (unsigned int c = 0; c < nr_cpus_online; c++)
            if (others & (1UL << c))
                apic_send_ipi(cpu_apic_id[c], VEC_CALL_FUNCTION);
        if (mask & (1UL << self))
            fn(data);
        while (__atomic_load_n(&call.pending, __ATOMIC_SEQ_CST))
            cpu_relax();
        __atomic_store_n(&call_serving, ticket + 1, __ATOMIC_RELEASE);
    } else if (mask & (1UL << self)) {
        fn(data);
    }
}

void smp_call_function_interrupt(void)
{
    unsigned int self = smp_processor_id();
    if (!(__atomic_load_n(&call.pending, __ATOMIC_SEQ_CST) & (1UL << self)))
        return;
    call.fn(call.data);
    __atomic_fetch_and(&call.pending, ~(1UL << self), __ATOMIC_SEQ_CST);
}

void smp_stop_others(void)
{
    unsigned int self = smp_processor_id();
    for (unsigned int c = 0; c < nr_cpus_online; c++)
        if (c != self)
            apic_send_ipi(cpu_apic_id[c], VEC_STOP);
}
