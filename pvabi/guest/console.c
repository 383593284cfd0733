/*
 * Console output. The initial domain writes with console_io, which Xen
 * prints unprefixed and Pavise as "(d0) ..."; any other domain uses its
 * PV console ring (start_info.console.domU) and kicks the event channel,
 * yielding while the ring is full.
 */
#include <pvguest/test.h>
#include <pvguest/console.h>
#include <pvabi/io/console.h>

static bool use_console_io = true;
static struct xencons_interface *ring;
static evtchn_port_t ring_port;
static spinlock_t console_lock;

void console_emergency(const char *s, size_t len)
{
    hypercall_syscall(__HYPERVISOR_console_io, CONSOLEIO_write, len,
                      (unsigned long)s, 0, 0, 0);
}

void console_init(void)
{
    unsigned long mfn;

    if (start_info->flags & SIF_INITDOMAIN)
        return;
    /* The ring is a page of our initial region: find it through the M2P. */
    mfn = start_info->console.domU.mfn;
    ring = (void *)(GUEST_VIRT_BASE + (mfn_to_pfn(mfn) << PAGE_SHIFT));
    ring_port = start_info->console.domU.evtchn;
    use_console_io = false;
}

static void ring_write(const char *s, size_t len)
{
    while (len) {
        XENCONS_RING_IDX cons = READ_ONCE(ring->out_cons);
        XENCONS_RING_IDX prod = ring->out_prod;
        size_t n = 0;

        if (prod - cons > sizeof(ring->out)) {
            /* The back end corrupted the indexes: nothing sane to do. */
            console_emergency("console ring indexes corrupt\n", 29);
            return;
        }
        while (len && prod - cons < sizeof(ring->out)) {
            ring->out[MASK_XENCONS_IDX(prod, ring->out)] = *s++;
            prod++;
            len--;
            n++;
        }
        wmb();
        WRITE_ONCE(ring->out_prod, prod);
        evtchn_send(ring_port);
        if (!n)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

void console_write(const char *s, size_t len)
{
    struct vcpu_info *vi = shared_info ? this_vcpu_info() : NULL;
    uint8_t mask = 1;

    /* No event handler may run on this vCPU while we hold the lock. */
    if (vi) {
        mask = vi->evtchn_upcall_mask;
        vi->evtchn_upcall_mask = 1;
        barrier();
    }
    spin_lock(&console_lock);
    if (use_console_io)
        HYPERVISOR_console_io(CONSOLEIO_write, (unsigned int)len, s);
    else
        ring_write(s, len);
    spin_unlock(&console_lock);
    if (vi) {
        barrier();
        vi->evtchn_upcall_mask = mask;
        if (!mask && READ_ONCE(vi->evtchn_upcall_pending))
            HYPERVISOR_xen_version(XENVER_version, NULL);
    }
}
