/*
 * Event-channel helpers, the port rendezvous and turn-passing links (see
 * idom.h).
 */
#include "idom.h"

/* ---------------------------------------------------------------- command line */

unsigned long opt_ulong(const char *name, unsigned long def)
{
    char buf[32];
    const char *end;
    unsigned long v;

    if (!cmdline_option(name, buf, sizeof(buf)) || !buf[0])
        return def;
    v = strtoul(buf, &end, 0);
    if (*end)
        test_error("bad number '%s' for %s", buf, name);
    return v;
}

const char *opt_str(const char *name, char *buf, size_t size, const char *def)
{
    return cmdline_option(name, buf, size) ? buf : def;
}

/* ---------------------------------------------------------------- hypercalls */

long ev_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote, .port = 0xdead };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    if (!rc && port)
        *port = op.port;
    return rc;
}

long ev_bind_interdomain(domid_t rdom, evtchn_port_t rport, evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain op = {
        .remote_dom = rdom, .remote_port = rport, .local_port = 0xdead,
    };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    if (!rc && lport)
        *lport = op.local_port;
    return rc;
}

long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0xff, sizeof(*st));
    st->dom = dom;
    st->port = port;
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

long ev_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

long ev_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

long ev_bind_vcpu(evtchn_port_t port, unsigned int vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };

    return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

long ev_reset(domid_t dom)
{
    struct evtchn_reset op = { .dom = dom };

    return HYPERVISOR_event_channel_op(EVTCHNOP_reset, &op);
}

long ev_self_domid(void)
{
    struct evtchn_status st;
    evtchn_port_t port;
    long rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &port);

    if (rc)
        return rc;
    rc = ev_status(DOMID_SELF, port, &st);
    ev_close(port);
    if (rc)
        return rc;
    return st.status == EVTCHNSTAT_unbound ? st.u.unbound.dom : -XEN_EINVAL;
}

/* ---------------------------------------------------------------- waiting */

static evtchn_port_t quiet;             /* an IPI port nobody raises */

void idom_init(void)
{
    long rc = evtchn_bind_ipi(0, NULL, NULL);

    if (rc <= 0)
        test_error("bind_ipi for sleeping: %ld", rc);
    quiet = (evtchn_port_t)rc;
}

void idom_sleep(uint64_t ns)
{
    uint64_t end = now_ns() + ns;

    if (!quiet)
        test_error("idom_sleep before idom_init");
    while (now_ns() < end)
        evtchn_poll(quiet, end);
}

bool ev_wait(evtchn_port_t port, uint64_t timeout_ns)
{
    uint64_t end = now_ns() + timeout_ns;

    for (;;) {
        if (evtchn_is_pending(port)) {
            evtchn_clear(port);
            return true;
        }
        if (now_ns() >= end)
            return false;
        /* Wake at least every 100 ms: a poll that missed a wake-up costs
         * latency, never correctness. */
        evtchn_poll(port, MIN(end, now_ns() + 100 * MS));
    }
}

long ev_bind_scan(domid_t peer, unsigned int max_port, uint64_t timeout_ns,
                  evtchn_port_t *lport, evtchn_port_t *rport)
{
    uint64_t end = now_ns() + timeout_ns;
    long rc = -XEN_EINVAL;

    for (;;) {
        for (evtchn_port_t p = 1; p <= max_port; p++) {
            rc = ev_bind_interdomain(peer, p, lport);
            if (!rc) {
                *rport = p;
                evtchn_mask(*lport);
                evtchn_clear(*lport);
                return 0;
            }
            /* -ESRCH: the peer does not exist (yet); others: not ours. */
        }
        if (now_ns() >= end)
            return rc;
        idom_sleep(2 * MS);
    }
}

/* ---------------------------------------------------------------- links */

#define LINK_TIMEOUT (60000 * MS)

void link_master(struct link *l, domid_t peer, const char *name)
{
    long rc;

    l->peer = peer;
    l->name = name;
    rc = ev_alloc_unbound(DOMID_SELF, peer, &l->port);
    if (rc)
        test_error("link %s: alloc_unbound for d%u: %ld", name, peer, rc);
    /* The slave's first notification says it is bound. */
    if (!ev_wait(l->port, LINK_TIMEOUT))
        test_error("link %s: d%u never bound port %u", name, peer, l->port);
    struct evtchn_status st;
    rc = ev_status(DOMID_SELF, l->port, &st);
    if (rc || st.status != EVTCHNSTAT_interdomain || st.u.interdomain.dom != peer)
        test_error("link %s: port %u not bound to d%u (rc %ld status %u)", name, l->port,
                   peer, rc, st.status);
    l->rport = st.u.interdomain.port;
}

void link_slave(struct link *l, domid_t peer, const char *name)
{
    long rc;

    l->peer = peer;
    l->name = name;
    rc = ev_bind_scan(peer, 32, LINK_TIMEOUT, &l->port, &l->rport);
    if (rc)
        test_error("link %s: no port of d%u to bind: %ld", name, peer, rc);
    link_pass(l);
}

void link_pass(struct link *l)
{
    long rc = ev_send(l->port);

    if (rc)
        test_error("link %s: send on port %u: %ld", l->name, l->port, rc);
}

void link_wait(struct link *l)
{
    if (!ev_wait(l->port, LINK_TIMEOUT))
        test_error("link %s: d%u did not answer within 60 s", l->name, l->peer);
}

bool link_wait_peer_gone(struct link *l, uint64_t timeout_ns)
{
    uint64_t end = now_ns() + timeout_ns;
    struct evtchn_status st;

    for (;;) {
        long rc = ev_status(DOMID_SELF, l->port, &st);

        if (rc)
            return false;
        if (st.status == EVTCHNSTAT_unbound)
            break;
        if (now_ns() >= end)
            return false;
        idom_sleep(10 * MS);
    }
    return ev_close(l->port) == 0;
}
