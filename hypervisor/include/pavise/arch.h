/* Hooks generic code calls into the architecture. */
#ifndef PAVISE_ARCH_H
#define PAVISE_ARCH_H

#include <pavise/types.h>

struct boot_info;

/* Bring up the machine after the banner: memory, interrupts, CPUs. */
struct domain;

void arch_init(struct boot_info *bi);
/* Domain teardown, before its memory is relinquished: the architecture
 * lets go of guest frames it holds (interrupt routes, EOI maps). */
void arch_domain_relinquish(struct domain *d);
/* Test-only: raise the named exception in hypervisor context. Returns only
 * if the kind is unknown. */
void arch_test_fault(const char *kind);

#endif
