/*
 * The hypervisor's console back end for boot-time domains: the guest
 * writes its console ring (xencons_interface) and notifies; the
 * hypervisor drains it at once, printing each line with the domain's
 * "(dN) " prefix, and notifies back so the guest sees the space.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/pagetype.h>
#include <pavise/spinlock.h>
#include <pavise/time.h>
#include <pvabi/errno.h>
#include <pvabi/io/console.h>

/*
 * A guest decides how often the back end runs (every EVTCHNOP_send), so
 * what it prints about a misbehaving guest is rate-limited as Xen's guest
 * messages are (printk_ratelimit: bursts of 10 per 5 s, all domains
 * together); the count of those dropped goes with the next one printed.
 */
#define WARN_BURST      10
#define WARN_PERIOD     SECONDS(5)

static bool warning_allowed(unsigned int *dropped)
{
    static spinlock_t lock = SPIN_LOCK_UNLOCKED;
    static s_time_t period_start;
    static unsigned int printed, missed;
    unsigned long f;
    bool ok;

    spin_lock_irqsave(&lock, f);
    s_time_t now = NOW();
    if (now - period_start >= WARN_PERIOD) {
        period_start = now;
        printed = 0;
    }
    ok = printed < WARN_BURST;
    if (ok) {
        printed++;
        *dropped = missed;
        missed = 0;
    } else {
        missed++;
    }
    spin_unlock_irqrestore(&lock, f);
    return ok;
}

static void console_ring_notify(struct vcpu *v, unsigned int hv_port)
{
    struct domain *d = v->domain;
    struct xencons_interface *r = map_domain_page(d->console_mfn);
    uint32_t cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
    uint32_t prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
    char buf[sizeof(r->out)];
    size_t n = 0;

    /* A guest that claims more than the ring holds is not believed. */
    if (prod - cons > sizeof(r->out)) {
        unsigned int dropped;
        if (warning_allowed(&dropped))
            printk(LOG_WARNING "d%u: console ring indexes corrupt (cons %u prod %u): reset"
                   " (%u such warning(s) suppressed)\n", d->domain_id, cons, prod, dropped);
        cons = prod;
    }
    while (cons != prod)
        buf[n++] = r->out[cons++ % sizeof(r->out)];
    __atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
    if (n)
        console_guest_write(d->domain_id, buf, n);
    notify_via_xen_event_channel(d, hv_port);
}

/*
 * Give d a console ring at its frame 'mfn'; returns the guest's port. The
 * back end holds a writable-type reference on the frame, as a console
 * daemon's mapping would: the guest cannot free it or turn it into a page
 * table while the hypervisor writes into it.
 */
int console_ring_attach(struct domain *d, mfn_t mfn)
{
    unsigned int hv_port;
    struct page_info *pg = mfn_to_page(mfn);
    if (get_page_and_type(pg, d, PGT_writable_page))
        return -XEN_EINVAL;
    int port = evtchn_alloc_xen_pair(d, console_ring_notify, &hv_port);
    if (port < 0) {
        put_page_and_type(pg);
        return port;
    }
    memset(map_domain_page(mfn), 0, PAGE_SIZE);
    d->console_mfn = mfn;
    d->console_port = hv_port;
    return port;
}

/* Drop the back end's hold on the ring frame (domain teardown). */
void console_ring_detach(struct domain *d)
{
    if (!d->console_port)
        return;
    d->console_port = 0;
    put_page_and_type(mfn_to_page(d->console_mfn));
}
