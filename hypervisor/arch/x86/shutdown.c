/* Machine exit: isa-debug-exit, then keyboard-controller reset, then a
 * triple fault. QEMU run with -no-reboot exits on the reset. */
#include <pavise/types.h>
#include <pavise/shutdown.h>
#include <asm/x86.h>

#define DEBUG_EXIT_PORT 0xf4

__noreturn void machine_exit(unsigned int v)
{
    local_irq_disable();
    outb(DEBUG_EXIT_PORT, (uint8_t)v);
    /* Still here: no debug-exit device. Pulse the reset line. */
    for (int i = 0; i < 100000 && (inb(0x64) & 2); i++)
        cpu_relax();
    outb(0x64, 0xfe);
    for (int i = 0; i < 1000000; i++)
        cpu_relax();
    /* Triple fault. */
    struct { uint16_t limit; uint64_t base; } __packed null_idt = { 0, 0 };
    __asm__ volatile("lidt %0; int3" :: "m"(null_idt));
    for (;;)
        halt();
}
