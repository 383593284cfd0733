/* CPUs: identity, bring-up, cross-CPU calls. */
#ifndef PAVISE_SMP_H
#define PAVISE_SMP_H

#include <pavise/types.h>
#include <asm/percpu.h>
#include <asm/irqflags.h>

extern unsigned int nr_cpus_online;

/* Make a CPU look at its pending softirqs (leave a guest, wake from hlt). */
void smp_send_event_check(unsigned int cpu);
/* Stop every other CPU (panic path). */
void smp_stop_others(void);

#endif
