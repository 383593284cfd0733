/* x86 machine bring-up after the banner. */
#include <pavise/lib.h>
#include <pavise/arch.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/trap.h>
#include <pavise/smp.h>
#include <asm/x86.h>
#include <asm/regs.h>

unsigned int nr_cpus_online = 1;

void smp_stop_others(void)
{
}

void arch_init(struct boot_info *bi)
{
    (void)bi;
}

void do_irq(struct cpu_regs *regs)
{
    printk(LOG_WARNING "spurious interrupt, vector %u\n", regs->entry_vector);
}

void do_guest_trap(struct cpu_regs *regs)
{
    show_registers(regs);
    panic("trap %u from guest context, but no guests exist", regs->entry_vector);
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
