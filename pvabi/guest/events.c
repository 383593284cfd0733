/*
 * 2-level event channels. Port p is bit p % 64 of word p / 64 in
 * shared_info's evtchn_pending and evtchn_mask; a vCPU's pending_sel says
 * which words to look at. The upcall handler runs with events masked.
 */
#include <pvguest/test.h>

extern const char event_callback_entry[], failsafe_callback_entry[];

static struct {
    evtchn_handler_t fn;
    void *data;
    unsigned int cpu;
} ports[NR_EVTCHN_PORTS];

volatile unsigned long upcall_count[NR_CPUS];

#define WORD(p) ((p) / 64)
#define BIT(p)  (1UL << ((p) % 64))

long events_init_cpu(void)
{
    struct callback_register ev = {
        .type = CALLBACKTYPE_event,
        .address = (unsigned long)event_callback_entry,
    };
    struct callback_register fs = {
        .type = CALLBACKTYPE_failsafe,
        .flags = CALLBACKF_mask_events,
        .address = (unsigned long)failsafe_callback_entry,
    };
    long rc = HYPERVISOR_callback_op(CALLBACKOP_register, &ev);

    return rc ? rc : HYPERVISOR_callback_op(CALLBACKOP_register, &fs);
}

void events_mask_all(void)
{
    for (unsigned int w = 0; w < ARRAY_SIZE(shared_info->evtchn_mask); w++)
        WRITE_ONCE(shared_info->evtchn_mask[w], ~0UL);
}

void evtchn_set_handler(evtchn_port_t port, unsigned int cpu, evtchn_handler_t fn, void *data)
{
    if (port >= NR_EVTCHN_PORTS)
        return;
    ports[port].cpu = cpu;
    ports[port].data = data;
    WRITE_ONCE(ports[port].fn, fn);
}

/* Attach the handler once the bind hypercall returned (rc) the port. */
static long bound(long rc, const evtchn_port_t *port, unsigned int cpu,
                  evtchn_handler_t fn, void *data)
{
    if (rc)
        return rc;
    evtchn_set_handler(*port, cpu, fn, data);
    return *port;
}

long evtchn_bind_virq(uint32_t virq, unsigned int cpu, evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = cpu };

    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    return bound(rc, &op.port, cpu, fn, data);
}

long evtchn_bind_ipi(unsigned int cpu, evtchn_handler_t fn, void *data)
{
    struct evtchn_bind_ipi op = { .vcpu = cpu };

    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    return bound(rc, &op.port, cpu, fn, data);
}

long evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *data)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };

    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return bound(rc, &op.port, 0, fn, data);
}

long evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);

    if (!rc && port < NR_EVTCHN_PORTS)
        WRITE_ONCE(ports[port].fn, NULL);
    return rc;
}

long evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

long evtchn_poll(evtchn_port_t port, uint64_t deadline_ns)
{
    struct sched_poll poll = { .nr_ports = 1, .timeout = deadline_ns };

    set_xen_guest_handle(poll.ports, &port);
    return HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}

void evtchn_mask(evtchn_port_t port)
{
    __atomic_fetch_or(&shared_info->evtchn_mask[WORD(port)], BIT(port), __ATOMIC_SEQ_CST);
}

void evtchn_clear(evtchn_port_t port)
{
    __atomic_fetch_and(&shared_info->evtchn_pending[WORD(port)], ~BIT(port), __ATOMIC_SEQ_CST);
}

bool evtchn_is_pending(evtchn_port_t port)
{
    return READ_ONCE(shared_info->evtchn_pending[WORD(port)]) & BIT(port);
}

bool evtchn_is_masked(evtchn_port_t port)
{
    return READ_ONCE(shared_info->evtchn_mask[WORD(port)]) & BIT(port);
}

void local_irq_disable(void)
{
    this_vcpu_info()->evtchn_upcall_mask = 1;
    barrier();
}

void local_irq_enable(void)
{
    struct vcpu_info *vi = this_vcpu_info();

    barrier();
    vi->evtchn_upcall_mask = 0;
    barrier();
    /* An event that arrived while masked only set upcall_pending: ask the
     * hypervisor to deliver it (any hypercall return does). */
    if (READ_ONCE(vi->evtchn_upcall_pending))
        HYPERVISOR_xen_version(XENVER_version, NULL);
}

bool local_irq_enabled(void)
{
    return !READ_ONCE(this_vcpu_info()->evtchn_upcall_mask);
}

void evtchn_do_upcall(void)
{
    struct vcpu_info *vi = this_vcpu_info();
    unsigned int cpu = smp_processor_id();

    upcall_count[cpu]++;
    do {
        unsigned long sel;

        WRITE_ONCE(vi->evtchn_upcall_pending, 0);
        sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = (unsigned int)__builtin_ctzl(sel);
            unsigned long work;

            sel &= sel - 1;
            work = READ_ONCE(shared_info->evtchn_pending[w]) &
                   ~READ_ONCE(shared_info->evtchn_mask[w]);
            while (work) {
                unsigned int b = (unsigned int)__builtin_ctzl(work);
                evtchn_port_t port = w * 64 + b;
                evtchn_handler_t fn = READ_ONCE(ports[port].fn);

                work &= work - 1;
                /* Ports of other vCPUs stay pending for them. */
                if (ports[port].cpu != cpu)
                    continue;
                evtchn_clear(port);
                if (fn)
                    fn(port, ports[port].data);
            }
        }
    } while (READ_ONCE(vi->evtchn_upcall_pending));
}
