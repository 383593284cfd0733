/*
 * Event channels (see pavise/event.h).
 *
 * Locking: d->evtchn_lock protects d's ports and its ABI switch. Operations
 * on two domains (bind_interdomain, close of an interdomain port) take
 * both locks, the lower address first. Setting a port pending touches
 * guest memory (atomically), the FIFO queues (their own locks, inside
 * evtchn_lock) and the target vCPU's wake-up, so senders hold just their
 * own domain's lock while raising the remote port: the remote end cannot
 * be closed meanwhile because closing needs the sender's lock too, and a
 * domain's FIFO state only goes once none of its ports is open.
 */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/guest_access.h>
#include <pavise/sched.h>
#include <pavise/smp.h>
#include <pavise/softirq.h>
#include <pvabi/event_channel.h>
#include <pvabi/errno.h>

#define ERR(e) (-(long)(e))

_Static_assert(EVTCHN_NR_GROUPS * EVTCHNS_PER_GROUP == EVTCHN_FIFO_NR_CHANNELS,
               "the bucket groups cover every FIFO port");

static struct evtchn *evtchn_from_port(struct domain *d, unsigned int port)
{
    struct evtchn **group = d->evtchn_group[port / EVTCHNS_PER_GROUP];

    return &group[(port % EVTCHNS_PER_GROUP) / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

static bool port_is_valid(const struct domain *d, unsigned int port)
{
    return port < __atomic_load_n(&d->valid_evtchns, __ATOMIC_ACQUIRE);
}

struct evtchn *evtchn_lookup(struct domain *d, unsigned int port)
{
    return port_is_valid(d, port) ? evtchn_from_port(d, port) : NULL;
}

/* The ABI's port limit (Xen's max_evtchns()): 4096 for 2-level on 64-bit. */
static unsigned int max_evtchns(const struct domain *d)
{
    return d->evtchn_fifo ? EVTCHN_FIFO_NR_CHANNELS : EVTCHN_2L_NR_CHANNELS;
}

static const struct evtchn_port_ops *port_ops(const struct domain *d)
{
    return __atomic_load_n(&d->evtchn_port_ops, __ATOMIC_ACQUIRE);
}

/* Xen's evtchn_usable(): a guest may act on bound ports of its own only. */
static bool evtchn_usable(const struct evtchn *chn)
{
    return !chn->xen_consumer && chn->state > ECS_RESERVED;
}

static bool evtchn_is_busy(const struct domain *d, const struct evtchn *chn)
{
    const struct evtchn_port_ops *ops = port_ops(d);

    return ops->is_busy && ops->is_busy(d, chn);
}

static void evtchn_port_init(struct domain *d, struct evtchn *chn)
{
    const struct evtchn_port_ops *ops = port_ops(d);

    if (ops->init)
        ops->init(d, chn);
}

static void evtchn_port_set_pending(struct domain *d, unsigned int vcpu_id, struct evtchn *chn)
{
    struct vcpu *v = vcpu_id < d->max_vcpus ? d->vcpu[vcpu_id] : NULL;

    if (v && evtchn_usable(chn))
        port_ops(d)->set_pending(v, chn);
}

static bool evtchn_port_is_pending(struct domain *d, struct evtchn *chn)
{
    return evtchn_usable(chn) && port_ops(d)->is_pending(d, chn);
}

bool virq_is_global(unsigned int virq)
{
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return virq < 16 || virq == VIRQ_ARCH_0;
    }
}

void vcpu_unblock(struct vcpu *v)
{
    if (__atomic_fetch_and(&v->pause_flags, ~VPF_blocked, __ATOMIC_SEQ_CST) & VPF_blocked)
        vcpu_wake(v);
}

void vcpu_kick(struct vcpu *v)
{
    vcpu_unblock(v);
    /* Running elsewhere: make it pass through its exit path. */
    if (v->is_running && v->processor != smp_processor_id())
        smp_send_event_check(v->processor);
}

void vcpu_mark_events_pending(struct vcpu *v)
{
    if (__atomic_exchange_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        return;
    vcpu_kick(v);
}

void evtchn_check_pollers(struct domain *d, unsigned int port)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v || !__atomic_load_n(&v->polling, __ATOMIC_SEQ_CST))
            continue;
        bool hit = false;
        for (unsigned int j = 0; j < v->poll_nr; j++)
            if (v->poll_ports[j] == port)
                hit = true;
        if (hit && __atomic_exchange_n(&v->polling, false, __ATOMIC_SEQ_CST)) {
            stop_timer(&v->poll_timer);
            vcpu_unblock(v);
        }
    }
}

bool local_events_need_delivery(void)
{
    struct vcpu_info *vi = current->vcpu_info;
    return vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask;
}

/* ---------------------------------------------------------------- ports */

/* Give d the bucket of ports starting at port (the next one). */
static int add_bucket(struct domain *d, unsigned int port)
{
    struct evtchn ***group = &d->evtchn_group[port / EVTCHNS_PER_GROUP];

    if (!*group && !(*group = xzalloc_array(struct evtchn *, EVTCHN_BUCKETS_PER_GROUP)))
        return -XEN_ENOMEM;
    struct evtchn *bucket = xzalloc_array(struct evtchn, EVTCHNS_PER_BUCKET);
    if (!bucket)
        return -XEN_ENOMEM;
    for (unsigned int i = 0; i < EVTCHNS_PER_BUCKET; i++)
        bucket[i].port = port + i;
    (*group)[(port % EVTCHNS_PER_GROUP) / EVTCHNS_PER_BUCKET] = bucket;
    /* Lock-free readers check valid_evtchns first: publish the bucket before. */
    __atomic_store_n(&d->valid_evtchns, port + EVTCHNS_PER_BUCKET, __ATOMIC_RELEASE);
    return 0;
}

/*
 * The lowest free port, as Xen: one still queued in guest memory (FIFO,
 * LINKED) is skipped until the guest has consumed it; past the domain's
 * limit or the ABI's it is -ENOSPC.
 */
static int get_free_port(struct domain *d)
{
    unsigned int limit = MIN(d->max_evtchn_port, max_evtchns(d) - 1);
    unsigned int port = d->evtchn_scan_from;
    bool all_used = true;

    if (d->state == DOM_DYING || d->state == DOM_DEAD)
        return -XEN_EINVAL;
    for (; port_is_valid(d, port); port++) {
        if (port > limit)
            return -XEN_ENOSPC;
        struct evtchn *chn = evtchn_from_port(d, port);
        if (chn->state == ECS_FREE) {
            if (!evtchn_is_busy(d, chn))
                return (int)port;
            all_used = false;
        } else if (all_used) {
            d->evtchn_scan_from = port + 1;
        }
    }
    if (port > limit)
        return -XEN_ENOSPC;
    int rc = add_bucket(d, port);
    return rc ? rc : (int)port;
}

static void free_evtchn(struct domain *d, struct evtchn *chn)
{
    /* A re-bound port must not look pending. */
    port_ops(d)->clear_pending(d, chn);
    chn->pending = false;
    chn->state = ECS_FREE;
    chn->notify_vcpu_id = 0;
    chn->xen_consumer = NULL;
    if (chn->port < d->evtchn_scan_from)
        d->evtchn_scan_from = chn->port;
}

static void lock_two(struct domain *a, struct domain *b)
{
    if (a == b) {
        spin_lock(&a->evtchn_lock);
    } else if (a < b) {
        spin_lock(&a->evtchn_lock);
        spin_lock(&b->evtchn_lock);
    } else {
        spin_lock(&b->evtchn_lock);
        spin_lock(&a->evtchn_lock);
    }
}

static void unlock_two(struct domain *a, struct domain *b)
{
    spin_unlock(&a->evtchn_lock);
    if (a != b)
        spin_unlock(&b->evtchn_lock);
}

int evtchn_init(struct domain *d)
{
    spin_lock_init(&d->evtchn_lock);
    d->evtchn_port_ops = &evtchn_port_ops_2l;
    /*
     * Xen's dom0 has no limit but the ABI's (max_evtchn_port -1). Its
     * toolstacks give domUs 1023 by default; boot-time domUs here keep
     * every 2-level port (4095), as they always had.
     */
    d->max_evtchn_port = d->is_privileged ? EVTCHN_FIFO_NR_CHANNELS - 1
                                          : EVTCHN_2L_NR_CHANNELS - 1;
    d->valid_evtchns = 0;
    d->evtchn_scan_from = 0;
    int p = get_free_port(d);
    if (p != 0)
        return p < 0 ? p : -XEN_EINVAL;
    evtchn_from_port(d, 0)->state = ECS_RESERVED;
    return 0;
}

static long alloc_unbound(struct evtchn_alloc_unbound *a)
{
    struct domain *cur = current->domain;
    struct domain *d = rcu_lock_domain_by_any_id(a->dom);
    long rc = 0;

    if (!d)
        return -XEN_ESRCH;
    spin_lock(&d->evtchn_lock);
    /* Xen looks for a free port before the privilege check: a full
     * target is -ENOSPC whoever asks. */
    int port = get_free_port(d);
    if (port < 0) {
        rc = port;
    } else if (d != cur && !cur->is_privileged) {
        rc = -XEN_EPERM;
    } else {
        struct evtchn *chn = evtchn_from_port(d, (unsigned int)port);
        chn->state = ECS_UNBOUND;
        chn->u.unbound.remote_domid = a->remote_dom == DOMID_SELF ? cur->domain_id : a->remote_dom;
        evtchn_port_init(d, chn);
        a->port = (evtchn_port_t)port;
    }
    spin_unlock(&d->evtchn_lock);
    put_domain(d);
    return rc;
}

static long bind_interdomain(struct evtchn_bind_interdomain *b)
{
    struct domain *ld = current->domain, *rd;
    domid_t rdom = b->remote_dom == DOMID_SELF ? ld->domain_id : b->remote_dom;
    long rc = 0;

    if (!(rd = get_domain_by_id(rdom)))
        return -XEN_ESRCH;
    lock_two(ld, rd);
    int lport = get_free_port(ld);
    if (lport < 0) {
        rc = lport;
        goto out;
    }
    if (!port_is_valid(rd, b->remote_port)) {
        rc = -XEN_EINVAL;
        goto out;
    }
    struct evtchn *lchn = evtchn_from_port(ld, (unsigned int)lport);
    struct evtchn *rchn = evtchn_from_port(rd, b->remote_port);
    if (rchn->state != ECS_UNBOUND || rchn->u.unbound.remote_domid != ld->domain_id) {
        rc = -XEN_EINVAL;
        goto out;
    }
    lchn->u.interdomain.remote_dom = rd;
    lchn->u.interdomain.remote_port = b->remote_port;
    lchn->state = ECS_INTERDOMAIN;
    evtchn_port_init(ld, lchn);
    rchn->u.interdomain.remote_dom = ld;
    rchn->u.interdomain.remote_port = (unsigned int)lport;
    rchn->state = ECS_INTERDOMAIN;
    /* Notifications sent while the remote port was unbound were dropped:
     * conservatively raise the new local port, as Xen does. */
    evtchn_port_set_pending(ld, lchn->notify_vcpu_id, lchn);
    b->local_port = (evtchn_port_t)lport;
out:
    unlock_two(ld, rd);
    put_domain(rd);
    return rc;
}

static long bind_virq(struct evtchn_bind_virq *b)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    long rc = 0;

    if (b->virq >= NR_VIRQS)
        return -XEN_EINVAL;
    if (virq_is_global(b->virq) && b->vcpu != 0)
        return -XEN_EINVAL;
    if (b->vcpu >= d->max_vcpus || !(v = d->vcpu[b->vcpu]))
        return -XEN_ENOENT;
    spin_lock(&d->evtchn_lock);
    if (v->virq_to_evtchn[b->virq]) {
        rc = -XEN_EEXIST;
    } else {
        int port = get_free_port(d);
        if (port < 0) {
            rc = port;
        } else {
            struct evtchn *chn = evtchn_from_port(d, (unsigned int)port);
            chn->state = ECS_VIRQ;
            chn->notify_vcpu_id = (uint16_t)b->vcpu;
            chn->u.virq = b->virq;
            evtchn_port_init(d, chn);
            v->virq_to_evtchn[b->virq] = port;
            b->port = (evtchn_port_t)port;
        }
    }
    spin_unlock(&d->evtchn_lock);
    return rc;
}

static long bind_ipi(struct evtchn_bind_ipi *b)
{
    struct domain *d = current->domain;
    long rc = 0;

    if (b->vcpu >= d->max_vcpus || !d->vcpu[b->vcpu])
        return -XEN_ENOENT;
    spin_lock(&d->evtchn_lock);
    int port = get_free_port(d);
    if (port < 0) {
        rc = port;
    } else {
        struct evtchn *chn = evtchn_from_port(d, (unsigned int)port);
        chn->state = ECS_IPI;
        chn->notify_vcpu_id = (uint16_t)b->vcpu;
        evtchn_port_init(d, chn);
        b->port = (evtchn_port_t)port;
    }
    spin_unlock(&d->evtchn_lock);
    return rc;
}

static long bind_pirq(struct evtchn_bind_pirq *b)
{
    struct domain *d = current->domain;
    long rc;

    spin_lock(&d->evtchn_lock);
    int port = get_free_port(d);
    if (port < 0) {
        spin_unlock(&d->evtchn_lock);
        return port;
    }
    struct evtchn *chn = evtchn_from_port(d, (unsigned int)port);
    rc = arch_pirq_bind(d, b->pirq, (unsigned int)port);
    if (!rc) {
        chn->state = ECS_PIRQ;
        chn->u.pirq = b->pirq;
        evtchn_port_init(d, chn);
        b->port = (evtchn_port_t)port;
    }
    spin_unlock(&d->evtchn_lock);
    return rc;
}

void evtchn_raise_port(struct domain *d, unsigned int port)
{
    unsigned long f;
    spin_lock_irqsave(&d->evtchn_lock, f);
    if (port_is_valid(d, port)) {
        struct evtchn *chn = evtchn_from_port(d, port);
        if (chn->state == ECS_PIRQ)
            evtchn_port_set_pending(d, chn->notify_vcpu_id, chn);
    }
    spin_unlock_irqrestore(&d->evtchn_lock, f);
}

/* Close d1's port1 (both locks are taken inside). 'from_guest': a guest
 * may not close a hypervisor-attached port. */
static long evtchn_close_port(struct domain *d1, unsigned int port1, bool from_guest)
{
    struct domain *d2 = NULL;
    long rc = 0;

again:
    if (d2)
        lock_two(d1, d2);
    else
        spin_lock(&d1->evtchn_lock);

    if (!port_is_valid(d1, port1)) {
        rc = -XEN_EINVAL;
        goto out;
    }
    struct evtchn *chn1 = evtchn_from_port(d1, port1);
    if (from_guest && chn1->xen_consumer) {
        rc = -XEN_EINVAL;
        goto out;
    }
    switch (chn1->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        rc = -XEN_EINVAL;
        goto out;
    case ECS_UNBOUND:
    case ECS_IPI:
        break;
    case ECS_PIRQ:
        arch_pirq_unbind(d1, chn1->u.pirq, port1);
        break;
    case ECS_VIRQ:
        for (unsigned int i = 0; i < d1->max_vcpus; i++)
            if (d1->vcpu[i] && d1->vcpu[i]->virq_to_evtchn[chn1->u.virq] == (int)port1)
                d1->vcpu[i]->virq_to_evtchn[chn1->u.virq] = 0;
        break;
    case ECS_INTERDOMAIN:
        if (!d2) {
            d2 = chn1->u.interdomain.remote_dom;
            get_domain(d2);         /* keep it while we relock (under d1's lock) */
            spin_unlock(&d1->evtchn_lock);
            goto again;
        }
        if (d2 != chn1->u.interdomain.remote_dom) {
            /* Closed and re-bound while unlocked: it did pass through closed. */
            rc = -XEN_EINVAL;
            goto out;
        }
        {
            struct evtchn *chn2 = evtchn_from_port(d2, chn1->u.interdomain.remote_port);
            chn2->state = ECS_UNBOUND;
            chn2->u.unbound.remote_domid = d1->domain_id;
        }
        break;
    }
    free_evtchn(d1, chn1);
out:
    if (d2) {
        unlock_two(d1, d2);
        put_domain(d2);
    } else {
        spin_unlock(&d1->evtchn_lock);
    }
    return rc;
}

static long evtchn_send(struct domain *ld, unsigned int lport)
{
    long rc = 0;

    spin_lock(&ld->evtchn_lock);
    if (!port_is_valid(ld, lport)) {
        spin_unlock(&ld->evtchn_lock);
        return -XEN_EINVAL;
    }
    struct evtchn *lchn = evtchn_from_port(ld, lport);
    if (lchn->xen_consumer) {
        spin_unlock(&ld->evtchn_lock);
        return -XEN_EINVAL;
    }
    xen_evtchn_fn_t consumer = NULL;
    struct vcpu *cv = NULL;
    unsigned int cport = 0;
    switch (lchn->state) {
    case ECS_INTERDOMAIN: {
        struct domain *rd = lchn->u.interdomain.remote_dom;
        struct evtchn *rchn = evtchn_from_port(rd, lchn->u.interdomain.remote_port);
        if (rchn->xen_consumer) {
            /* A hypervisor back end: called after the lock is dropped. */
            consumer = rchn->xen_consumer;
            cv = rd->vcpu[rchn->notify_vcpu_id];
            cport = rchn->port;
        } else {
            evtchn_port_set_pending(rd, rchn->notify_vcpu_id, rchn);
        }
        break;
    }
    case ECS_IPI:
        evtchn_port_set_pending(ld, lchn->notify_vcpu_id, lchn);
        break;
    case ECS_UNBOUND:
        break;              /* silently dropped */
    default:
        rc = -XEN_EINVAL;
        break;
    }
    spin_unlock(&ld->evtchn_lock);
    if (consumer && cv)
        consumer(cv, cport);
    return rc;
}

static long evtchn_status(struct evtchn_status *st)
{
    struct domain *cur = current->domain;
    struct domain *d = rcu_lock_domain_by_any_id(st->dom);
    long rc = 0;

    if (!d)
        return -XEN_ESRCH;
    spin_lock(&d->evtchn_lock);
    /* As Xen: a bad port is -EINVAL before the privilege check. */
    if (!port_is_valid(d, st->port)) {
        rc = -XEN_EINVAL;
        goto out;
    }
    if (d != cur && !cur->is_privileged) {
        rc = -XEN_EPERM;
        goto out;
    }
    struct evtchn *chn = evtchn_from_port(d, st->port);
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        st->status = EVTCHNSTAT_closed;
        break;
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = chn->u.unbound.remote_domid;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = chn->u.interdomain.remote_dom->domain_id;
        st->u.interdomain.port = (evtchn_port_t)chn->u.interdomain.remote_port;
        break;
    case ECS_PIRQ:
        st->status = EVTCHNSTAT_pirq;
        st->u.pirq = chn->u.pirq;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    }
    st->vcpu = chn->notify_vcpu_id;
out:
    spin_unlock(&d->evtchn_lock);
    put_domain(d);
    return rc;
}

static long evtchn_bind_vcpu(unsigned int port, unsigned int vcpu_id)
{
    struct domain *d = current->domain;
    long rc = 0;

    if (vcpu_id >= d->max_vcpus || !d->vcpu[vcpu_id])
        return -XEN_ENOENT;
    spin_lock(&d->evtchn_lock);
    if (!port_is_valid(d, port)) {
        rc = -XEN_EINVAL;
        goto out;
    }
    struct evtchn *chn = evtchn_from_port(d, port);
    if (chn->xen_consumer) {
        rc = -XEN_EINVAL;
        goto out;
    }
    switch (chn->state) {
    case ECS_VIRQ:
        if (virq_is_global(chn->u.virq))
            chn->notify_vcpu_id = (uint16_t)vcpu_id;
        else
            rc = -XEN_EINVAL;
        break;
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
    case ECS_PIRQ:
        chn->notify_vcpu_id = (uint16_t)vcpu_id;
        break;
    default:
        rc = -XEN_EINVAL;
        break;
    }
out:
    spin_unlock(&d->evtchn_lock);
    return rc;
}

/* Ports a guest could still raise or act on: bound, not the hypervisor's. */
static unsigned int guest_ports_open(struct domain *d)
{
    unsigned int n = 0;

    for (unsigned int p = 1; port_is_valid(d, p); p++) {
        const struct evtchn *chn = evtchn_from_port(d, p);
        if (chn->state != ECS_FREE && !chn->xen_consumer)
            n++;
    }
    return n;
}

/* Back to the 2-level ABI, dropping the FIFO pages. Caller holds d's lock
 * and has closed every port a guest could raise. */
static void evtchn_fifo_to_2l(struct domain *d)
{
    if (!d->evtchn_fifo)
        return;
    __atomic_store_n(&d->evtchn_port_ops, &evtchn_port_ops_2l, __ATOMIC_RELEASE);
    evtchn_fifo_destroy(d);
}

static long evtchn_reset(struct evtchn_reset *r)
{
    struct domain *cur = current->domain;
    struct domain *d = rcu_lock_domain_by_any_id(r->dom);
    long rc = 0;

    if (!d)
        return -XEN_ESRCH;
    if (d != cur && !cur->is_privileged) {
        put_domain(d);
        return -XEN_EPERM;
    }
    /* Xen resets another domain only while its controller has it paused
     * (XEN_DOMCTL_pausedomain); nothing pauses a domain that way here. */
    if (d != cur) {
        put_domain(d);
        return -XEN_EINVAL;
    }
    for (unsigned int i = 0; port_is_valid(d, i); i++)
        (void)evtchn_close_port(d, i, true);
    /*
     * Another vCPU may have bound a port meanwhile: then, as Xen, the ABI
     * stays and the caller is told to try again. Otherwise nothing can
     * raise a port of d any more and the FIFO state can go.
     */
    spin_lock(&d->evtchn_lock);
    if (guest_ports_open(d))
        rc = -XEN_EAGAIN;
    else
        evtchn_fifo_to_2l(d);
    spin_unlock(&d->evtchn_lock);
    put_domain(d);
    return rc;
}

/* Xen 4.17's order: the port, then whether the ABI has priorities (-ENOSYS
 * on 2-level), then whether the port is the guest's and bound (-EACCES),
 * then the priority (-EINVAL). */
static long evtchn_set_priority(const struct evtchn_set_priority *sp)
{
    struct domain *d = current->domain;
    long rc;

    spin_lock(&d->evtchn_lock);
    struct evtchn *chn = evtchn_lookup(d, sp->port);
    const struct evtchn_port_ops *ops = port_ops(d);
    if (!chn)
        rc = -XEN_EINVAL;
    else if (!ops->set_priority)
        rc = -XEN_ENOSYS;
    else if (!evtchn_usable(chn))
        rc = -XEN_EACCES;
    else
        rc = ops->set_priority(d, chn, sp->priority);
    spin_unlock(&d->evtchn_lock);
    return rc;
}

/* ---------------------------------------------------------------- VIRQs, hypervisor ends */

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    unsigned long f;
    spin_lock_irqsave(&d->evtchn_lock, f);
    int port = v->virq_to_evtchn[virq];
    if (port)
        evtchn_port_set_pending(d, v->vcpu_id, evtchn_from_port(d, (unsigned int)port));
    spin_unlock_irqrestore(&d->evtchn_lock, f);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    unsigned long f;
    if (!d || !d->vcpu[0])
        return;
    spin_lock_irqsave(&d->evtchn_lock, f);
    int port = d->vcpu[0]->virq_to_evtchn[virq];
    if (port) {
        struct evtchn *chn = evtchn_from_port(d, (unsigned int)port);
        evtchn_port_set_pending(d, chn->notify_vcpu_id, chn);
    }
    spin_unlock_irqrestore(&d->evtchn_lock, f);
}

int alloc_unbound_xen_event_channel(struct domain *ld, unsigned int lvcpu, domid_t remote,
                                    xen_evtchn_fn_t fn)
{
    spin_lock(&ld->evtchn_lock);
    int port = get_free_port(ld);
    if (port >= 0) {
        struct evtchn *chn = evtchn_from_port(ld, (unsigned int)port);
        chn->state = ECS_UNBOUND;
        chn->xen_consumer = fn;
        chn->notify_vcpu_id = (uint16_t)lvcpu;
        chn->u.unbound.remote_domid = remote;
        evtchn_port_init(ld, chn);
    }
    spin_unlock(&ld->evtchn_lock);
    return port;
}

/*
 * A port pair inside d for a hypervisor back end: the guest's port is an
 * interdomain channel whose far end is a hypervisor-owned port (with
 * 'fn' as consumer) in the same domain. Returns the guest's port (>0) and
 * sets *hv_port, or a negative error.
 */
int evtchn_alloc_xen_pair(struct domain *d, xen_evtchn_fn_t fn, unsigned int *hv_port)
{
    spin_lock(&d->evtchn_lock);
    int hp = get_free_port(d);
    if (hp < 0) {
        spin_unlock(&d->evtchn_lock);
        return hp;
    }
    struct evtchn *h = evtchn_from_port(d, (unsigned int)hp);
    h->state = ECS_RESERVED;            /* hold it while allocating the other */
    int gp = get_free_port(d);
    if (gp < 0) {
        free_evtchn(d, h);
        spin_unlock(&d->evtchn_lock);
        return gp;
    }
    struct evtchn *g = evtchn_from_port(d, (unsigned int)gp);
    h->state = ECS_INTERDOMAIN;
    h->xen_consumer = fn;
    h->u.interdomain.remote_dom = d;
    h->u.interdomain.remote_port = (unsigned int)gp;
    g->state = ECS_INTERDOMAIN;
    g->u.interdomain.remote_dom = d;
    g->u.interdomain.remote_port = (unsigned int)hp;
    evtchn_port_init(d, h);
    evtchn_port_init(d, g);
    spin_unlock(&d->evtchn_lock);
    *hv_port = (unsigned int)hp;
    return gp;
}

/* Raise the guest's end of a hypervisor-attached port. For a port whose
 * guest end is the same domain (boot-time console), ld is the guest. */
void notify_via_xen_event_channel(struct domain *ld, unsigned int lport)
{
    unsigned long f;
    spin_lock_irqsave(&ld->evtchn_lock, f);
    if (port_is_valid(ld, lport)) {
        struct evtchn *chn = evtchn_from_port(ld, lport);
        if (chn->state == ECS_INTERDOMAIN) {
            struct domain *rd = chn->u.interdomain.remote_dom;
            struct evtchn *rchn = evtchn_from_port(rd, chn->u.interdomain.remote_port);
            if (rd == ld)
                evtchn_port_set_pending(rd, rchn->notify_vcpu_id, rchn);
            else if (spin_trylock(&rd->evtchn_lock)) {
                evtchn_port_set_pending(rd, rchn->notify_vcpu_id, rchn);
                spin_unlock(&rd->evtchn_lock);
            }
        }
    }
    spin_unlock_irqrestore(&ld->evtchn_lock, f);
}

unsigned int evtchn_count_open(struct domain *d)
{
    unsigned int n = 0;
    spin_lock(&d->evtchn_lock);
    for (unsigned int p = 1; port_is_valid(d, p); p++)
        if (evtchn_from_port(d, p)->state != ECS_FREE)
            n++;
    spin_unlock(&d->evtchn_lock);
    return n;
}

void evtchn_destroy(struct domain *d)
{
    for (unsigned int p = 0; port_is_valid(d, p); p++) {
        evtchn_from_port(d, p)->xen_consumer = NULL;
        (void)evtchn_close_port(d, p, false);
    }
    spin_lock(&d->evtchn_lock);
    evtchn_fifo_to_2l(d);
    for (unsigned int g = 0; g < EVTCHN_NR_GROUPS; g++) {
        if (!d->evtchn_group[g])
            continue;
        for (unsigned int b = 0; b < EVTCHN_BUCKETS_PER_GROUP; b++)
            xfree(d->evtchn_group[g][b]);
        xfree(d->evtchn_group[g]);
        d->evtchn_group[g] = NULL;
    }
    d->valid_evtchns = 0;
    spin_unlock(&d->evtchn_lock);
}

/* ---------------------------------------------------------------- poll */

void evtchn_poll_timeout(void *data)
{
    struct vcpu *v = data;
    if (__atomic_exchange_n(&v->polling, false, __ATOMIC_SEQ_CST))
        vcpu_unblock(v);
}

long evtchn_poll(struct vcpu *v, const uint32_t *ports, unsigned int nr, int64_t timeout)
{
    struct domain *d = v->domain;

    __atomic_fetch_or(&v->pause_flags, VPF_blocked, __ATOMIC_SEQ_CST);
    v->poll_nr = nr;
    memcpy(v->poll_ports, ports, nr * sizeof(uint32_t));
    __atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);

    long rc = 0;
    if (local_events_need_delivery())
        goto out;
    /* Under the lock: a reset on another vCPU may drop the FIFO array. */
    bool pending = false;
    spin_lock(&d->evtchn_lock);
    for (unsigned int i = 0; i < nr && !pending && !rc; i++) {
        if (!port_is_valid(d, ports[i]))
            rc = -XEN_EINVAL;
        else
            pending = evtchn_port_is_pending(d, evtchn_from_port(d, ports[i]));
    }
    spin_unlock(&d->evtchn_lock);
    if (pending || rc)
        goto out;
    if (timeout)
        set_timer(&v->poll_timer, timeout);
    raise_softirq(SCHEDULE_SOFTIRQ);
    return 0;
out:
    __atomic_store_n(&v->polling, false, __ATOMIC_SEQ_CST);
    __atomic_fetch_and(&v->pause_flags, ~VPF_blocked, __ATOMIC_SEQ_CST);
    return rc;
}

/* ---------------------------------------------------------------- hypercall */

#define COPY_IN(x)  do { if (copy_from_guest_raw(&(x), arg, sizeof(x))) return -XEN_EFAULT; } while (0)
#define COPY_OUT(x) do { if (!rc && copy_to_guest_raw(arg, &(x), sizeof(x))) rc = -XEN_EFAULT; } while (0)

/* EVTCHNOP_unmask for d's port (also PHYSDEVOP_eoi's auto-unmask). */
long evtchn_unmask(struct domain *d, unsigned int port)
{
    long rc = 0;
    spin_lock(&d->evtchn_lock);
    if (!port_is_valid(d, port)) {
        rc = -XEN_EINVAL;
    } else {
        /* As Xen 4.17: a free port (or the hypervisor's) is left alone. */
        struct evtchn *chn = evtchn_from_port(d, port);
        if (evtchn_usable(chn))
            port_ops(d)->unmask(d, chn);
    }
    spin_unlock(&d->evtchn_lock);
    return rc;
}

long do_event_channel_op(int cmd, void *arg)
{
    long rc;

    switch (cmd) {
    case EVTCHNOP_alloc_unbound: {
        struct evtchn_alloc_unbound a;
        COPY_IN(a);
        rc = alloc_unbound(&a);
        COPY_OUT(a);
        return rc;
    }
    case EVTCHNOP_bind_interdomain: {
        struct evtchn_bind_interdomain b;
        COPY_IN(b);
        rc = bind_interdomain(&b);
        COPY_OUT(b);
        return rc;
    }
    case EVTCHNOP_bind_virq: {
        struct evtchn_bind_virq b;
        COPY_IN(b);
        rc = bind_virq(&b);
        COPY_OUT(b);
        return rc;
    }
    case EVTCHNOP_bind_ipi: {
        struct evtchn_bind_ipi b;
        COPY_IN(b);
        rc = bind_ipi(&b);
        COPY_OUT(b);
        return rc;
    }
    case EVTCHNOP_bind_pirq: {
        struct evtchn_bind_pirq b;
        COPY_IN(b);
        rc = bind_pirq(&b);
        COPY_OUT(b);
        return rc;
    }
    case EVTCHNOP_close: {
        struct evtchn_close c;
        COPY_IN(c);
        return evtchn_close_port(current->domain, c.port, true);
    }
    case EVTCHNOP_send: {
        struct evtchn_send s;
        COPY_IN(s);
        return evtchn_send(current->domain, s.port);
    }
    case EVTCHNOP_status: {
        struct evtchn_status s;
        COPY_IN(s);
        rc = evtchn_status(&s);
        COPY_OUT(s);
        return rc;
    }
    case EVTCHNOP_bind_vcpu: {
        struct evtchn_bind_vcpu b;
        COPY_IN(b);
        return evtchn_bind_vcpu(b.port, b.vcpu);
    }
    case EVTCHNOP_unmask: {
        struct evtchn_unmask u;
        COPY_IN(u);
        return evtchn_unmask(current->domain, u.port);
    }
    case EVTCHNOP_reset: {
        struct evtchn_reset r;
        COPY_IN(r);
        return evtchn_reset(&r);
    }
    case 14: {  /* EVTCHNOP_reset_cont: continue a preempted reset */
        struct evtchn_reset r;
        COPY_IN(r);
        struct domain *d = rcu_lock_domain_by_any_id(r.dom);
        if (!d)
            return -XEN_ESRCH;
        /* As evtchn_reset: -EINVAL for another (unpaused) domain; resets
         * here are never preempted, so there is none to continue. */
        rc = (d != current->domain && !current->domain->is_privileged) ? -XEN_EPERM
             : d != current->domain ? -XEN_EINVAL : -XEN_EBUSY;
        put_domain(d);
        return rc;
    }
    case EVTCHNOP_init_control: {
        struct evtchn_init_control ic;
        COPY_IN(ic);
        rc = evtchn_fifo_init_control(&ic);
        COPY_OUT(ic);
        return rc;
    }
    case EVTCHNOP_expand_array: {
        struct evtchn_expand_array ea;
        COPY_IN(ea);
        return evtchn_fifo_expand_array(&ea);
    }
    case EVTCHNOP_set_priority: {
        struct evtchn_set_priority sp;
        COPY_IN(sp);
        return evtchn_set_priority(&sp);
    }
    default:
        return -XEN_ENOSYS;
    }
}
