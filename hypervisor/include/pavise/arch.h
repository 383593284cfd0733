/* Hooks generic code calls into the architecture. */
#ifndef PAVISE_ARCH_H
#define PAVISE_ARCH_H

#include <pavise/types.h>

struct boot_info;

/* Bring up the machine after the banner: memory, interrupts, CPUs. */
struct domain;
struct vcpu;
struct boot_module;

void arch_init(struct boot_info *bi);

/* Domains and vCPUs: arch state made and undone. */
int arch_domain_create(struct domain *d);
void arch_domain_destroy(struct domain *d);
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);
/* VCPUOP_initialise, and the other VCPUOPs the architecture owns. */
long arch_initialise_vcpu(struct vcpu *v, void *arg);
long arch_do_vcpu_op(int cmd, struct vcpu *v, void *arg);

/* Build a boot-time domain from a kernel (and initrd) module; nr_pages 0
 * means dom0's default size, decided once the kernel is unpacked. */
int arch_build_domain(struct domain *d, const struct boot_module *kmod, const char *cmdline,
                      const struct boot_module *initrd, unsigned long nr_pages,
                      unsigned int nr_vcpus);

/* Whether the TSC runs at one rate on all CPUs (XENPF/time answers). */
bool arch_tsc_stable(void);

/* Leave for the current vCPU's guest context (or the scheduler). */
__noreturn void exit_to_guest(void);

/* Domain teardown, before its memory is relinquished: the architecture
 * lets go of guest frames it holds (interrupt routes, EOI maps). */
void arch_domain_relinquish(struct domain *d);
/* Test-only: raise the named exception in hypervisor context. Returns only
 * if the kind is unknown. */
void arch_test_fault(const char *kind);

#endif
