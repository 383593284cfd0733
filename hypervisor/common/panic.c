/* panic(): print, backtrace, stop the machine with EXIT_PANIC. */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/shutdown.h>
#include <pavise/smp.h>
#include <pavise/trap.h>

static int panicking;

__noreturn void panic(const char *fmt, ...)
{
    va_list ap;
    char buf[256];

    local_irq_disable();
    if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST)) {
        /* Panic while panicking (or on a second CPU): just stop. */
        cpu_halt_forever();
    }
    console_lock_break();
    smp_stop_others();
    va_start(ap, fmt);
    pv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk(LOG_ERR "****************************************\n");
    printk(LOG_ERR "Panic on CPU %u:\n", smp_processor_id());
    printk(LOG_ERR "%s\n", buf);
    printk(LOG_ERR "****************************************\n");
    backtrace_here();
    printk(LOG_ERR "Stopping the machine (exit status %#x).\n", EXIT_PANIC);
    machine_exit(EXIT_PANIC);
}
