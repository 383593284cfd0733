/* Softirqs: per-CPU pending bits, run with interrupts enabled. */
#include <pavise/lib.h>
#include <pavise/softirq.h>
#include <pavise/smp.h>
#include <pavise/console.h>

static unsigned long pending[NR_CPUS];
static void (*handlers[NR_SOFTIRQS])(void);

void open_softirq(unsigned int nr, void (*fn)(void))
{
    handlers[nr] = fn;
}

void raise_softirq(unsigned int nr)
{
    __atomic_fetch_or(&pending[smp_processor_id()], 1UL << nr, __ATOMIC_SEQ_CST);
}

void cpu_raise_softirq(unsigned int cpu, unsigned int nr)
{
    unsigned long old = __atomic_fetch_or(&pending[cpu], 1UL << nr, __ATOMIC_SEQ_CST);
    /* A remote CPU notices at its next exit path; kick it out of a guest
     * or out of hlt. */
    if (cpu != smp_processor_id() && !(old & (1UL << nr)))
        smp_send_event_check(cpu);
}

bool softirq_pending(unsigned int cpu)
{
    return __atomic_load_n(&pending[cpu], __ATOMIC_RELAXED) != 0;
}

void do_softirq(void)
{
    unsigned int cpu = smp_processor_id();
    unsigned long p;

    while ((p = __atomic_exchange_n(&pending[cpu], 0, __ATOMIC_SEQ_CST)) != 0) {
        for (unsigned int i = 0; i < NR_SOFTIRQS; i++)
            if ((p & (1UL << i)) && handlers[i])
                handlers[i]();
        /* SCHEDULE may not return (it switches stacks); others loop. */
        cpu = smp_processor_id();
    }
}
