/* Deferred work, run on the way out to a guest or in the idle loop. */
#ifndef PAVISE_SOFTIRQ_H
#define PAVISE_SOFTIRQ_H

#include <pavise/types.h>

enum {
    TIMER_SOFTIRQ,
    SCHEDULE_SOFTIRQ,
    PIRQ_SOFTIRQ,
    NR_SOFTIRQS
};

void open_softirq(unsigned int nr, void (*fn)(void));
void raise_softirq(unsigned int nr);                 /* this CPU */
void cpu_raise_softirq(unsigned int cpu, unsigned int nr);
bool softirq_pending(unsigned int cpu);
void do_softirq(void);

#endif
