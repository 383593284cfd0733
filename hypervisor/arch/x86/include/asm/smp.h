/* Cross-CPU interrupts. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <pavise/types.h>

typedef uint64_t cpumask_t;         /* NR_CPUS <= 64 */

void smp_send_event_check(unsigned int cpu);
/* Run fn(data) on every CPU in mask (this one included, directly) and
 * wait until all have. Interrupts must be enabled (or mask == self). */
void on_selected_cpus(cpumask_t mask, void (*fn)(void *), void *data);
void smp_call_function_interrupt(void);
void syscall_init_cpu(unsigned int cpu);
/* A device interrupt (vectors 0x30-0xdf); false if nobody owns it. */
bool arch_device_irq(unsigned int vec);

#endif
