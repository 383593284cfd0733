/*
 * console_io: the control domain's console on the hypervisor's serial
 * line (Xen 4.17 drivers/char/console.c). Output is printed with the
 * domain's "(dN) " prefix; input from the serial port is buffered here,
 * signalled with VIRQ_CONSOLE and read with CONSOLEIO_read. Other
 * domains are refused (-EPERM), as on a non-debug Xen.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pavise/serial.h>
#include <pavise/timer.h>
#include <pavise/spinlock.h>
#include <pvabi/xen.h>
#include <pvabi/errno.h>

#define RX_SIZE 256
static char rx_ring[RX_SIZE];
static unsigned int rx_prod, rx_cons;
static spinlock_t rx_lock = SPIN_LOCK_UNLOCKED;
static struct timer rx_timer;

/* Poll the UART (no interrupts are routed to the hypervisor for it). */
static void rx_poll(void *data)
{
    (void)data;
    unsigned long f;
    bool got = false;
    int c;

    spin_lock_irqsave(&rx_lock, f);
    while ((c = serial_getc()) >= 0) {
        if (rx_prod - rx_cons < RX_SIZE)
            rx_ring[rx_prod++ % RX_SIZE] = (char)c;
        got = true;
    }
    spin_unlock_irqrestore(&rx_lock, f);
    if (got && hardware_domain)
        send_guest_global_virq(hardware_domain, VIRQ_CONSOLE);
    set_timer(&rx_timer, NOW() + MILLISECS(20));
}

void console_input_start(void)
{
    init_timer(&rx_timer, rx_poll, NULL, 0);
    set_timer(&rx_timer, NOW() + MILLISECS(20));
}

long do_console_io(int cmd, unsigned int count, char *buffer)
{
    struct domain *d = current->domain;

    if (!d->is_privileged)
        return -XEN_EPERM;
    switch (cmd) {
    case CONSOLEIO_write: {
        char kbuf[128];
        while (count) {
            unsigned int n = count < sizeof(kbuf) ? count : sizeof(kbuf);
            if (copy_from_guest_raw(kbuf, buffer, n))
                return -XEN_EFAULT;
            console_guest_write(d->domain_id, kbuf, n);
            buffer += n;
            count -= n;
            if (count && hypercall_preempt_check())
                return hypercall_create_continuation(__HYPERVISOR_console_io, 3,
                                                     (unsigned long)CONSOLEIO_write,
                                                     (unsigned long)count, (unsigned long)buffer);
        }
        return 0;
    }
    case CONSOLEIO_read: {
        unsigned long f;
        long rc = 0;
        if ((int)count < 0)
            return -XEN_E2BIG;
        spin_lock_irqsave(&rx_lock, f);
        while (rx_cons != rx_prod && (unsigned int)rc < count) {
            char c = rx_ring[rx_cons % RX_SIZE];
            if (copy_to_guest_raw(buffer + rc, &c, 1)) {
                rc = -XEN_EFAULT;
                break;
            }
            rx_cons++;
            rc++;
        }
        spin_unlock_irqrestore(&rx_lock, f);
        return rc;
    }
    default:
        return -XEN_ENOSYS;
    }
}
