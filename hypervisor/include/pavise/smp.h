/* CPUs: identity, bring-up, cross-CPU calls. */
#ifndef PAVISE_SMP_H
#define PAVISE_SMP_H

#include <pavise/types.h>
#include <asm/percpu.h>
#include <asm/irqflags.h>

extern unsigned int nr_cpus_online;

/* Stop every other CPU (panic path). */
void smp_stop_others(void);

#endif
