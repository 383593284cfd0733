/* Hooks generic code calls into the architecture. */
#ifndef PAVISE_ARCH_H
#define PAVISE_ARCH_H

#include <pavise/types.h>

struct boot_info;

/* Bring up the machine after the banner: memory, interrupts, CPUs. */
void arch_init(struct boot_info *bi);
/* Test-only: raise the named exception in hypervisor context. Returns only
 * if the kind is unknown. */
void arch_test_fault(const char *kind);

#endif
