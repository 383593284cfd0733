/*
 * Secondary CPU bring-up: copy the trampoline below 1 MiB, build AP boot
 * page tables (identity for the trampoline page + the hypervisor slots),
 * then INIT-SIPI-SIPI each CPU the MADT lists and wait for it to report.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <pavise/smp.h>
#include <pavise/time.h>
#include <pavise/timer.h>
#include <pavise/sched.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include <asm/cpu.h>

#define TRAMPOLINE_PA 0x6000

extern char trampoline_start[], trampoline_end[], tr_start32[], tr_start64[];
extern char tr_gdt[], tr_gdtr[], tr_jmp32[], tr_jmp64[], tr_cr3[], tr_efer[];

unsigned int nr_cpus_online = 1;
unsigned int cpu_apic_id[NR_CPUS];
unsigned long ap_boot_rsp;
static volatile int ap_started;

static void patch32(char *page, const char *field, uint32_t v)
{
    memcpy(page + (field - trampoline_start), &v, 4);
}

__noreturn void start_secondary(void);
__noreturn void start_secondary(void)
{
    unsigned int cpu = ap_started;      /* set by the BSP before the SIPI */
    char *block = (char *)ROUNDDOWN(ap_boot_rsp - 1, STACK_SIZE);

    desc_init_cpu(cpu, block);
    write_cr3(__pa(idle_pg_table));
    cpu_init_common(cpu);
    apic_init_ap();
    timers_init_cpu(cpu);
    get_cpu_info()->apic_id = apic_id_self();
    __atomic_store_n(&ap_started, -1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&nr_cpus_online, 1, __ATOMIC_SEQ_CST);
    sched_init_cpu(cpu);
    idle_loop();
}

void smp_boot_cpus(unsigned int max_cpus)
{
    char *page = map_domain_page(TRAMPOLINE_PA >> PAGE_SHIFT);
    size_t len = (size_t)(trampoline_end - trampoline_start);
    unsigned int bsp = apic_id_self();

    cpu_apic_id[0] = bsp;
    if (acpi_nr_cpus <= 1 || max_cpus <= 1)
        return;

    memcpy(page, trampoline_start, len);
    patch32(page, tr_gdtr + 2, TRAMPOLINE_PA + (uint32_t)(tr_gdt - trampoline_start));
    patch32(page, tr_jmp32, TRAMPOLINE_PA + (uint32_t)(tr_start32 - trampoline_start));
    patch32(page, tr_jmp64, TRAMPOLINE_PA + (uint32_t)(tr_start64 - trampoline_start));
    patch32(page, tr_cr3, (uint32_t)ap_boot_l4_pa);
    patch32(page, tr_efer, (uint32_t)(EFER_LME | EFER_SCE | (pte_nx ? EFER_NXE : 0)));

    unsigned int next = 1;
    for (unsigned int i = 0; i < acpi_nr_cpus && next < max_cpus && next < NR_CPUS; i++) {
        unsigned int id = acpi_cpus[i].apic_id;
        if (id == bsp)
            continue;
        /* Buddy blocks are aligned to their size, as stacks must be. */
        void *stack = alloc_xenheap_pages(STACK_ORDER);
        if (!stack) {
            printk(LOG_WARNING "SMP: no memory for CPU%u's stack\n", next);
            break;
        }
        ap_boot_rsp = (unsigned long)stack + STACK_SIZE - CPU_INFO_SIZE;
        __atomic_store_n(&ap_started, (int)next, __ATOMIC_SEQ_CST);
        cpu_apic_id[next] = id;
        apic_send_init_sipi(id, TRAMPOLINE_PA >> PAGE_SHIFT);
        s_time_t deadline = NOW() + SECONDS(2);
        while (__atomic_load_n(&ap_started, __ATOMIC_SEQ_CST) != -1 && NOW() < deadline)
            cpu_relax();
        if (__atomic_load_n(&ap_started, __ATOMIC_SEQ_CST) != -1) {
            printk(LOG_WARNING "SMP: CPU with APIC id %u did not start\n", id);
            continue;
        }
        next++;
    }
    printk("SMP: %u CPU(s) online\n", nr_cpus_online);
}
