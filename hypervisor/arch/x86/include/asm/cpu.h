/* Per-CPU x86 state set-up shared by the BSP and the APs. */
#ifndef ASM_CPU_H
#define ASM_CPU_H

#include <pavise/types.h>

/* Xen's PAT: WB, WT, UC-, UC, WC, WP, UC, UC (PV guests rely on it). */
#define PAT_VALUE  0x0000050100070406UL

extern unsigned int cpu_apic_id[];
extern paddr_t ap_boot_l4_pa;
extern unsigned long ap_boot_rsp;

struct cpu_features {
    bool smep, smap, fsgsbase, xsave, pge, nx, pdpe1gb, tsc_deadline, invtsc;
    bool mce, rdtscp, rdpid, intel;
    uint32_t max_leaf, max_ext_leaf;
    char vendor[13];
};
extern struct cpu_features boot_cpu;
/* CR4 as the hypervisor runs with it (a PV vCPU adds its own TSD, DE and
 * FSGSBASE choices while it runs: see pv_real_cr4()). */
extern unsigned long host_cr4;

void cpu_detect(void);
void cpu_init_common(unsigned int cpu);
void smp_boot_cpus(unsigned int max_cpus);

#endif
