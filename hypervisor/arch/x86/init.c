/* x86 machine bring-up after the banner, in dependency order. */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/arch.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <pavise/param.h>
#include <pavise/sched.h>
#include <pavise/smp.h>
#include <pavise/timer.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/x86.h>
#include <asm/smp.h>
#include <asm/pirq.h>

void arch_setup_pagetables(struct boot_info *bi);
void arch_mm_late_init(void);
void m2p_init(void);
void pv_mm_init(void);          /* pv/dom_xen.c: the M2P shared with DOMID_XEN */
void time_init(void);

static unsigned int opt_maxcpus = NR_CPUS;
integer_param("maxcpus", opt_maxcpus);


void arch_init(struct boot_info *bi)
{
    cpu_detect();
    boot_mem_init(bi);
    arch_setup_pagetables(bi);
    page_alloc_init(bi);
    arch_mm_late_init();
    m2p_init();
    pv_mm_init();
    pv_zero_page_init();
    acpi_init();
    time_init();
    apic_init_bsp();
    pirq_init();
    cpu_init_common(0);
    get_cpu_info()->apic_id = apic_id_self();
    timers_init_cpu(0);
    scheduler_init();
    sched_init_cpu(0);
    local_irq_enable();
    smp_boot_cpus(opt_maxcpus);
}

void arch_test_fault(const char *kind)
{
    if (!strcmp(kind, "ud")) {
        __asm__ volatile("ud2");
    } else if (!strcmp(kind, "pf")) {
        /* The ioremap window is unmapped at this point. */
        (void)*(volatile uint64_t *)(IOREMAP_VIRT_START + 0x1234);
    } else if (!strcmp(kind, "gp")) {
        /* A non-canonical address. */
        (void)*(volatile uint64_t *)0x8000000000001000UL;
    } else if (!strcmp(kind, "de")) {
        __asm__ volatile("xor %%ecx, %%ecx; mov $1, %%eax; xor %%edx, %%edx; div %%ecx"
                         ::: "rax", "rcx", "rdx");
    } else if (!strcmp(kind, "bp")) {
        __asm__ volatile("int3");
    }
}
