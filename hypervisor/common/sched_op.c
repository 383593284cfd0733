/* sched_op and its compat form (Xen 4.17 common/sched/core.c). */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/guest_access.h>
#include <pavise/sched.h>
#include <pvabi/sched.h>
#include <pvabi/errno.h>

static long sched_block(void)
{
    struct vcpu *v = current;
    /* Enable events, then block unless one is already pending. */
    v->vcpu_info->evtchn_upcall_mask = 0;
    vcpu_block();
    if (local_events_need_delivery())
        __atomic_fetch_and(&v->pause_flags, ~VPF_blocked, __ATOMIC_SEQ_CST);
    return 0;
}

static long sched_poll(struct sched_poll *p)
{
    uint32_t ports[128];

    if (p->nr_ports > 128)
        return -XEN_EINVAL;
    if (copy_from_guest_raw(ports, p->ports.p, p->nr_ports * sizeof(uint32_t)))
        return -XEN_EFAULT;
    return evtchn_poll(current, ports, p->nr_ports, (int64_t)p->timeout);
}

long do_sched_op(int cmd, void *arg)
{
    struct domain *d = current->domain;

    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;
    case SCHEDOP_block:
        return sched_block();
    case SCHEDOP_shutdown: {
        struct sched_shutdown s;
        if (copy_from_guest_raw(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        domain_shutdown(d, (uint8_t)s.reason);
        return 0;
    }
    case SCHEDOP_shutdown_code: {
        struct sched_shutdown s;
        if (copy_from_guest_raw(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        spin_lock(&d->lock);
        if (d->shutdown_code < 0)
            d->shutdown_code = (uint8_t)s.reason;
        spin_unlock(&d->lock);
        return 0;
    }
    case SCHEDOP_poll: {
        struct sched_poll p;
        if (copy_from_guest_raw(&p, arg, sizeof(p)))
            return -XEN_EFAULT;
        return sched_poll(&p);
    }
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown r;
        if (copy_from_guest_raw(&r, arg, sizeof(r)))
            return -XEN_EFAULT;
        struct domain *t = get_domain_by_id(r.domain_id);
        if (!t)
            return -XEN_ESRCH;
        long rc = 0;
        if (!d->is_privileged)
            rc = -XEN_EPERM;
        else
            domain_shutdown(t, (uint8_t)r.reason);
        put_domain(t);
        return rc;
    }
    case SCHEDOP_pin_override:
        if (!d->is_privileged)
            return -XEN_EPERM;
        return -XEN_ENOSYS;
    default:
        return -XEN_ENOSYS;
    }
}

long do_sched_op_compat(int cmd, unsigned long arg)
{
    switch (cmd) {
    case SCHEDOP_yield:
        vcpu_yield();
        return 0;
    case SCHEDOP_block:
        return sched_block();
    case SCHEDOP_shutdown:
        domain_shutdown(current->domain, (uint8_t)arg);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}
