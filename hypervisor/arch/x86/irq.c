/* Interrupt dispatch: local APIC vectors (timer, IPIs) and device IRQs. */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/softirq.h>
#include <pavise/trap.h>
#include <pavise/smp.h>
#include <asm/apic.h>
#include <asm/regs.h>
#include <asm/smp.h>
#include <asm/x86.h>

void do_irq(struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    switch (vec) {
    case VEC_TIMER:
        apic_eoi();
        raise_softirq(TIMER_SOFTIRQ);
        break;
    case VEC_EVENT_CHECK:
        apic_eoi();     /* the exit path looks at pending softirqs */
        break;
    case VEC_CALL_FUNCTION:
        apic_eoi();
        smp_call_function_interrupt();
        break;
    case VEC_STOP:
        apic_eoi();
        cpu_halt_forever();
        break;
    case VEC_SPURIOUS:
        break;          /* no EOI for spurious interrupts */
    case VEC_APIC_ERROR:
        apic_write(APIC_ESR, 0);
        printk(LOG_WARNING "APIC error on CPU%u: ESR %#x\n", smp_processor_id(), apic_read(APIC_ESR));
        apic_eoi();
        break;
    default:
        if (!arch_device_irq(vec))
            printk(LOG_WARNING "CPU%u: unexpected interrupt vector %#x\n", smp_processor_id(), vec);
        apic_eoi();
        break;
    }
}
