/*
 * evtchn: event channels between three domains, as Xen 4.17 defines them.
 *
 *   role=ctl  dom0 (privileged): drives the script over two turn links
 *   role=a    d1, one vCPU
 *   role=b    d2, two vCPUs
 *
 * Covered: alloc_unbound (for ourselves, and by dom0 for another domain;
 * an unprivileged domain gets -EPERM for anyone but itself, -ESRCH for a
 * domain that does not exist), bind_interdomain (-EINVAL when the remote
 * port is not unbound for us, also for a third domain's port; -ESRCH),
 * send, close from either end (the other end goes back to unbound for the
 * closer and can be bound again), status in each state and its
 * privilege/order of checks, bind_vcpu (moves delivery; -EINVAL for IPI
 * and per-vCPU VIRQ ports, -ENOENT for a missing vCPU), unmask, reset
 * (-EINVAL on a running domain, -EPERM unprivileged), the 4096-port
 * 2-level limit (-ENOSPC), a notification waking a peer vCPU blocked in
 * SCHEDOP_block and SCHEDOP_poll, and a port closed under a peer whose two
 * vCPUs hammer EVTCHNOP_send (every send returns 0 or -EINVAL).
 *
 * Pavise only: Xen x86 has no boot-time domUs. The single-domain parts
 * also run on Xen 4.17 in tests/interdom/self.
 */
#include "../lib/idom.h"
#include <pvabi/vcpu.h>

const char test_title[] = "interdom evtchn: event channels between domains";

#define D0 0
#define DA 1
#define DB 2
#define NR_2L_PORTS 4096
#define ABSENT_DOM 7

static struct link l0;          /* ctl: l0 = d1, l1 = d2; a/b: l0 = dom0 */
static struct link l1;

/* ---------------------------------------------------------------- helpers */

static void check_status(const char *name, domid_t dom, evtchn_port_t port, unsigned int want,
                         domid_t rdom, evtchn_port_t rport, unsigned int vcpu)
{
    struct evtchn_status st;
    long rc = ev_status(dom, port, &st);
    bool ok = rc == 0 && st.status == want && st.vcpu == vcpu;

    if (ok && want == EVTCHNSTAT_unbound)
        ok = st.u.unbound.dom == rdom;
    if (ok && want == EVTCHNSTAT_interdomain)
        ok = st.u.interdomain.dom == rdom && st.u.interdomain.port == rport;
    check(ok, name, "rc %ld status %u vcpu %u dom %u port %u (want status %u dom %u port %u "
          "vcpu %u)", rc, st.status, st.vcpu, st.u.interdomain.dom, st.u.interdomain.port,
          want, rdom, rport, vcpu);
}

/* Our port connected to (rdom, rport), found through EVTCHNOP_status. */
static evtchn_port_t find_interdomain(domid_t rdom)
{
    for (evtchn_port_t p = 1; p < 64; p++) {
        struct evtchn_status st;

        if (ev_status(DOMID_SELF, p, &st))
            break;
        if (st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == rdom &&
            p != l0.port && p != l1.port)
            return p;
    }
    test_error("no interdomain port to d%u", rdom);
}

static void check_self_id(domid_t want)
{
    check_eq("our domain id, from an unbound port's status", ev_self_domid(), want);
}

/* Upcall bookkeeping for the port under test. */
static volatile unsigned long hits[NR_CPUS], timer_hits;

static void on_port(evtchn_port_t port, void *data)
{
    hits[smp_processor_id()]++;
}

static void on_timer(evtchn_port_t port, void *data)
{
    timer_hits++;
}

/* ---------------------------------------------------------------- dom0 */

static void ctl(void)
{
    evtchn_port_t pa, pb, lb, lb2, p;
    struct evtchn_status st;
    long rc;

    idom_init();                        /* port 1 */
    link_master(&l0, DA, "d0-d1");
    link_master(&l1, DB, "d0-d2");
    check_eq("dom0: alloc_unbound takes the lowest free port", l0.port, 2);
    check_eq("dom0: ... and the next one after it", l1.port, 3);
    check_self_id(D0);

    link_step(&l0);                     /* A: d1's unprivileged checks */
    link_step(&l1);                     /* B: d2's unprivileged checks */

    /* C: what only the control domain may do. */
    check_status("dom0: status of its link to d1", DOMID_SELF, l0.port,
                 EVTCHNSTAT_interdomain, DA, l0.rport, 0);
    check_status("dom0: status of d1's end of the link", DA, l0.rport,
                 EVTCHNSTAT_interdomain, D0, l0.port, 0);
    rc = ev_alloc_unbound(DA, DB, &pa);
    check_eq("dom0: alloc_unbound in d1 for d2", rc, 0);
    check_status("dom0: the new port in d1 is unbound for d2", DA, pa, EVTCHNSTAT_unbound, DB, 0, 0);
    rc = ev_bind_interdomain(DA, pa, &p);
    check_eq("dom0: bind to d1's port unbound for d2 (a third domain's) is -EINVAL", rc,
             -XEN_EINVAL);
    rc = ev_alloc_unbound(DB, DOMID_SELF, &pb);
    check_eq("dom0: alloc_unbound in d2 with remote DOMID_SELF", rc, 0);
    check_status("dom0: DOMID_SELF as remote means dom0 itself", DB, pb, EVTCHNSTAT_unbound, D0, 0, 0);
    rc = ev_bind_interdomain(DB, pb, &lb);
    check_eq("dom0: bind_interdomain to it", rc, 0);
    check_status("dom0: its new port is interdomain to d2", DOMID_SELF, lb,
                 EVTCHNSTAT_interdomain, DB, pb, 0);
    check_status("dom0: d2's end is interdomain to dom0", DB, pb, EVTCHNSTAT_interdomain, D0, lb, 0);
    check(evtchn_is_pending(lb), "dom0: bind_interdomain raises the binder's new port",
          "not pending");
    evtchn_clear(lb);
    check_eq("dom0: alloc_unbound in a domain that does not exist is -ESRCH",
             ev_alloc_unbound(ABSENT_DOM, D0, &p), -XEN_ESRCH);
    check_eq("dom0: status in a domain that does not exist is -ESRCH",
             ev_status(ABSENT_DOM, 1, &st), -XEN_ESRCH);
    check_eq("dom0: status of a port beyond d1's is -EINVAL", ev_status(DA, 4000, &st), -XEN_EINVAL);
    check_eq("dom0: reset of a running (unpaused) domain is -EINVAL", ev_reset(DA), -XEN_EINVAL);
    check_eq("dom0: reset of a domain that does not exist is -ESRCH", ev_reset(ABSENT_DOM),
             -XEN_ESRCH);
    {
        /* EVTCHNOP_reset_cont (14) runs evtchn_reset's checks too. */
        struct evtchn_reset r = { .dom = DA };

        check_eq("dom0: reset_cont of a running domain is -EINVAL",
                 HYPERVISOR_event_channel_op(14, &r), -XEN_EINVAL);
    }

    link_step(&l1);                     /* D: d2 binds d1's port pa, sends on pb */
    rc = ev_status(DA, pa, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == DB,
          "dom0: d1's port is interdomain to d2 once d2 bound it", "rc %ld status %u dom %u",
          rc, st.status, st.u.interdomain.dom);
    check_status("dom0: d2's end points back at d1's port", DB, st.u.interdomain.port,
                 EVTCHNSTAT_interdomain, DA, pa, 0);
    check(evtchn_is_pending(lb), "dom0: d2's send on its end raised dom0's port", "not pending");
    evtchn_clear(lb);

    link_step(&l0);                     /* E: d1 finds pa and sends */
    link_step(&l1);                     /* F: d2 blocks in SCHEDOP_block */
    link_step(&l0);                     /* G: d1 sends after 300 ms */
    link_step(&l1);                     /* H: d2 polls */
    link_step(&l0);                     /* I: d1 sends after 300 ms */
    link_step(&l1);                     /* J: d2 moves its port to vCPU 1 */
    link_step(&l0);                     /* K: d1 sends */
    link_step(&l1);                     /* L: d2 checks vCPU 1 took it; masks */
    link_step(&l0);                     /* L2: d1 sends to the masked port */
    link_step(&l1);                     /* L3: d2 unmasks */

    link_step(&l0);                     /* M: d1 closes its end */
    check_status("dom0: d1's closed port reads closed", DA, pa, EVTCHNSTAT_closed, 0, 0, 0);
    rc = ev_status(DB, 0, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_closed, "dom0: port 0 reads closed (reserved)",
          "rc %ld status %u", rc, st.status);
    link_step(&l1);                     /* N: d2 sees unbound, sends */
    link_step(&l0);                     /* O: d1 binds d2's port again */
    link_step(&l1);                     /* P: d2 closes */
    link_step(&l0);                     /* Q: d1 sees unbound, closes; offers u */
    /* The port d1 offered d2: dom0 is a third domain to it. */
    for (p = 1; p < 64; p++) {
        rc = ev_status(DA, p, &st);
        if (rc || (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == DB))
            break;
    }
    check(rc == 0 && p < 64, "dom0: finds the port d1 offered d2", "rc %ld", rc);
    check_eq("dom0: bind to a port d1 offered d2 is -EINVAL", ev_bind_interdomain(DA, p, &lb2),
             -XEN_EINVAL);
    check_eq("dom0: bind to d1's link port (bound to dom0 already) is -EINVAL",
             ev_bind_interdomain(DA, l0.rport, &lb2), -XEN_EINVAL);
    link_step(&l1);                     /* R: d2 binds u, closes */
    link_step(&l0);                     /* S: d1 sees u unbound, closes */

    link_step(&l0);                     /* T1: d1 offers h */
    link_step(&l1);                     /* T2: d2 binds h, starts hammering */
    link_step(&l0);                     /* T3: d1 closes h under fire */
    link_step(&l1);                     /* T4: d2 closes its end, stops */

    link_step(&l0);                     /* U1: d1 fills its port space */
    rc = ev_alloc_unbound(DA, D0, &p);
    check_eq("dom0: alloc_unbound in d1 with d1's ports exhausted is -ENOSPC", rc, -XEN_ENOSPC);
    {
        unsigned int n = 0, last = 0;

        while ((rc = ev_alloc_unbound(DOMID_SELF, DA, &p)) == 0) {
            n++;
            last = p;
        }
        check_eq("dom0: alloc_unbound past its last port is -ENOSPC", rc, -XEN_ENOSPC);
        check_eq("dom0: its last port is 4095 (2-level, 64-bit)", last, NR_2L_PORTS - 1);
        link_step(&l0);                 /* U2: d1 tries dom0, frees its own */
        unsigned int closed = 0;
        for (p = 1; p < NR_2L_PORTS; p++)
            if (ev_status(DOMID_SELF, p, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
                st.u.unbound.dom == DA && ev_close(p) == 0)
                closed++;
        check_eq("dom0: every port it filled was closed", closed, n);
    }

    /* V: the end. d2's end of lb closes when d2 is torn down. */
    link_pass(&l0);
    link_pass(&l1);
    check(link_wait_peer_gone(&l0, 30000 * MS), "dom0: d1's end closes when d1 is torn down",
          "link port never unbound");
    check(link_wait_peer_gone(&l1, 30000 * MS), "dom0: d2's end closes when d2 is torn down",
          "link port never unbound");
    check_status("dom0: its port to d2 is unbound for d2 after d2 died", DOMID_SELF, lb,
                 EVTCHNSTAT_unbound, DB, 0, 0);
    check_eq("dom0: close it", ev_close(lb), 0);
}

/* ---------------------------------------------------------------- d1 */

static void role_a(void)
{
    evtchn_port_t p, pa, pa2, u, h;
    struct evtchn_status st;
    long rc;

    idom_init();
    link_slave(&l0, D0, "d1-d0");
    check_self_id(DA);

    /* A: an unprivileged domain. */
    link_wait(&l0);
    check_eq("d1: alloc_unbound in dom0 is -EPERM", ev_alloc_unbound(D0, DA, &p), -XEN_EPERM);
    check_eq("d1: alloc_unbound in d2 is -EPERM", ev_alloc_unbound(DB, DA, &p), -XEN_EPERM);
    check_eq("d1: alloc_unbound in a domain that does not exist is -ESRCH",
             ev_alloc_unbound(ABSENT_DOM, DA, &p), -XEN_ESRCH);
    rc = ev_alloc_unbound(DA, DB, &p);
    check_eq("d1: alloc_unbound naming itself by id", rc, 0);
    check_status("d1: that port is unbound for d2", DOMID_SELF, p, EVTCHNSTAT_unbound, DB, 0, 0);
    check_eq("d1: bind_vcpu of an unbound port (allowed)", ev_bind_vcpu(p, 0), 0);
    check_eq("d1: close it", ev_close(p), 0);
    rc = ev_alloc_unbound(DOMID_SELF, ABSENT_DOM, &p);
    check_eq("d1: alloc_unbound for a remote that does not exist (not checked)", rc, 0);
    check_eq("d1: close it too", ev_close(p), 0);
    check_eq("d1: status of dom0's port is -EPERM", ev_status(D0, 1, &st), -XEN_EPERM);
    check_eq("d1: status of a port beyond dom0's is -EINVAL (checked before privilege)",
             ev_status(D0, 4000, &st), -XEN_EINVAL);
    check_eq("d1: status in a domain that does not exist is -ESRCH",
             ev_status(ABSENT_DOM, 1, &st), -XEN_ESRCH);
    check_eq("d1: reset of dom0 is -EPERM", ev_reset(D0), -XEN_EPERM);
    check_eq("d1: reset of a domain that does not exist is -ESRCH", ev_reset(ABSENT_DOM),
             -XEN_ESRCH);
    check_eq("d1: send on a free port is -EINVAL", ev_send(40), -XEN_EINVAL);
    check_eq("d1: send beyond the valid ports is -EINVAL", ev_send(5000), -XEN_EINVAL);
    check_eq("d1: close of port 0 (reserved) is -EINVAL", ev_close(0), -XEN_EINVAL);
    check_eq("d1: close of a free port is -EINVAL", ev_close(40), -XEN_EINVAL);
    check_eq("d1: close beyond the valid ports is -EINVAL", ev_close(5000), -XEN_EINVAL);
    check_eq("d1: bind_interdomain to a domain that does not exist is -ESRCH",
             ev_bind_interdomain(ABSENT_DOM, 1, &p), -XEN_ESRCH);
    check_eq("d1: bind to dom0's port unbound for d2 is -EINVAL",
             ev_bind_interdomain(D0, 2, &p), -XEN_EINVAL);
    check_eq("d1: bind to dom0's port already bound (to us) is -EINVAL",
             ev_bind_interdomain(D0, l0.rport, &p), -XEN_EINVAL);
    check_eq("d1: bind to a port beyond dom0's is -EINVAL",
             ev_bind_interdomain(D0, 5000, &p), -XEN_EINVAL);
    check_eq("d1: bind to a free port of dom0 is -EINVAL",
             ev_bind_interdomain(D0, 40, &p), -XEN_EINVAL);
    link_pass(&l0);

    /* E: dom0 made pa for d2, d2 bound it. */
    link_wait(&l0);
    pa = find_interdomain(DB);
    check(!evtchn_is_pending(pa), "d1: a port bound by the peer is not raised here", "pending");
    check_eq("d1: send on the port dom0 made for us", ev_send(pa), 0);
    link_pass(&l0);

    /* G, I: wake d2 from SCHEDOP_block, then from SCHEDOP_poll. */
    for (unsigned int i = 0; i < 2; i++) {
        link_wait(&l0);
        idom_sleep(300 * MS);
        check_eq(i ? "d1: send to wake d2's poll" : "d1: send to wake d2's block", ev_send(pa), 0);
        link_pass(&l0);
    }
    /* K, L2: to vCPU 1, then to a masked port. */
    link_wait(&l0);
    check_eq("d1: send to d2's port moved to vCPU 1", ev_send(pa), 0);
    link_pass(&l0);
    link_wait(&l0);
    check_eq("d1: send to d2's masked port", ev_send(pa), 0);
    link_pass(&l0);

    /* M: close our end; d2's goes back to unbound for us. */
    link_wait(&l0);
    check_eq("d1: close its end of the d1-d2 channel", ev_close(pa), 0);
    check_status("d1: the closed port reads closed", DOMID_SELF, pa, EVTCHNSTAT_closed, 0, 0, 0);
    check_eq("d1: send on the closed port is -EINVAL", ev_send(pa), -XEN_EINVAL);
    check_eq("d1: close it again is -EINVAL", ev_close(pa), -XEN_EINVAL);
    link_pass(&l0);

    /* O: bind d2's port again; the lowest free port comes back. */
    link_wait(&l0);
    rc = ev_bind_scan(DB, 32, 5000 * MS, &pa2, &p);
    check_eq("d1: bind d2's port again after closing ours", rc, 0);
    check_eq("d1: the rebound port is the lowest free one (the old number)", pa2, pa);
    check_status("d1: rebound port is interdomain to d2", DOMID_SELF, pa2, EVTCHNSTAT_interdomain,
                 DB, p, 0);
    link_pass(&l0);

    /* Q: d2 closed; we are unbound for d2; close; offer u. */
    link_wait(&l0);
    check_status("d1: after d2 closed, our end is unbound for d2", DOMID_SELF, pa2,
                 EVTCHNSTAT_unbound, DB, 0, 0);
    check_eq("d1: send on it returns 0 (dropped)", ev_send(pa2), 0);
    check_eq("d1: close it", ev_close(pa2), 0);
    rc = ev_alloc_unbound(DOMID_SELF, DB, &u);
    check_eq("d1: offer a port to d2", rc, 0);
    link_pass(&l0);
    /* S: d2 bound u and closed its end. */
    link_wait(&l0);
    check_status("d1: d2 bound and closed: ours is unbound for d2 again", DOMID_SELF, u,
                 EVTCHNSTAT_unbound, DB, 0, 0);
    check_eq("d1: close u", ev_close(u), 0);
    link_pass(&l0);

    /* T1: offer h; T3: close it while d2's vCPUs send. */
    link_wait(&l0);
    check_eq("d1: offer a port for the send storm", ev_alloc_unbound(DOMID_SELF, DB, &h), 0);
    link_pass(&l0);
    link_wait(&l0);
    idom_sleep(50 * MS);
    check_eq("d1: close a port while d2 sends on it from two vCPUs", ev_close(h), 0);
    idom_sleep(50 * MS);
    link_pass(&l0);

    /* U1: every port until -ENOSPC. */
    link_wait(&l0);
    {
        unsigned int n = 0, last = 0;
        unsigned int before;

        for (;;) {
            rc = ev_alloc_unbound(DOMID_SELF, DB, &p);
            if (rc)
                break;
            n++;
            last = p;
        }
        check_eq("d1: alloc_unbound past the last port is -ENOSPC", rc, -XEN_ENOSPC);
        check_eq("d1: the last port allocated is 4095 (2-level, 64-bit)", last, NR_2L_PORTS - 1);
        check_eq("d1: alloc_unbound in dom0 with our ports full is still -EPERM",
                 ev_alloc_unbound(D0, DA, &p), -XEN_EPERM);
        check_eq("d1: bind_interdomain with our ports full is -ENOSPC",
                 ev_bind_interdomain(D0, l0.rport, &p), -XEN_ENOSPC);
        info("d1 allocated %u ports", n);
        before = n;
        link_pass(&l0);
        /* U2: dom0 filled its ports too; then free ours. */
        link_wait(&l0);
        check_eq("d1: alloc_unbound in dom0 with dom0 full is -ENOSPC (before privilege)",
                 ev_alloc_unbound(D0, DA, &p), -XEN_ENOSPC);
        n = 0;
        for (p = 1; p < NR_2L_PORTS; p++) {
            if (ev_status(DOMID_SELF, p, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
                st.u.unbound.dom == DB && ev_close(p) == 0)
                n++;
        }
        check_eq("d1: every port allocated was closed", n, before);
        rc = ev_alloc_unbound(DOMID_SELF, DB, &p);
        check(rc == 0 && p < 16, "d1: ports are free again after closing", "rc %ld port %u", rc, p);
        ev_close(p);
    }
    link_pass(&l0);
    link_wait(&l0);                     /* V */
}

/* ---------------------------------------------------------------- d2 */

static volatile bool storm_stop, storm_done1;
static volatile evtchn_port_t storm_port;
static volatile unsigned long storm_ok[NR_CPUS], storm_inval[NR_CPUS], storm_other[NR_CPUS];
static volatile long storm_bad_rc;

static void storm_count(unsigned int cpu, long rc)
{
    if (rc == 0)
        storm_ok[cpu]++;
    else if (rc == -XEN_EINVAL)
        storm_inval[cpu]++;
    else {
        storm_other[cpu]++;
        storm_bad_rc = rc;
    }
}

/* vCPU 1: first takes events for the bind_vcpu steps, then sends. */
static volatile bool cpu1_storm;

static void cpu1_main(unsigned int cpu)
{
    /* Sleep with events enabled: the port moved here wakes us. */
    local_irq_enable();
    while (!READ_ONCE(cpu1_storm))
        idom_sleep(20 * MS);
    local_irq_disable();
    while (!READ_ONCE(storm_stop))
        storm_count(cpu, ev_send(storm_port));
    storm_done1 = true;
}

static void role_b(void)
{
    evtchn_port_t p, q, pb, u, hq, ipi, tport;
    uint64_t t0, dt;
    long rc;

    idom_init();
    link_slave(&l0, D0, "d2-d0");
    check_self_id(DB);

    /* B: more unprivileged refusals. */
    link_wait(&l0);
    {
        struct evtchn_status st;

        check_eq("d2: status of d1's port is -EPERM", ev_status(DA, 1, &st), -XEN_EPERM);
        check_eq("d2: bind_vcpu to a vCPU that does not exist is -ENOENT",
                 ev_bind_vcpu(5000, 5), -XEN_ENOENT);
        check_eq("d2: bind_vcpu of a port beyond ours is -EINVAL", ev_bind_vcpu(5000, 0),
                 -XEN_EINVAL);
        check_eq("d2: unmask of a port beyond ours is -EINVAL", evtchn_unmask(5000), -XEN_EINVAL);
    }
    link_pass(&l0);

    /* D: bind d1's port that dom0 made for us; tell dom0 on pb. */
    link_wait(&l0);
    rc = ev_bind_scan(DA, 32, 5000 * MS, &q, &p);
    check_eq("d2: bind the port dom0 allocated in d1 for us", rc, 0);
    check_status("d2: our end is interdomain to d1", DOMID_SELF, q, EVTCHNSTAT_interdomain, DA, p, 0);
    pb = find_interdomain(D0);
    check(!evtchn_is_pending(pb), "d2: dom0's bind did not raise our end", "pending");
    check_eq("d2: send on the port dom0 bound", ev_send(pb), 0);
    link_pass(&l0);

    /* F: d1's send raised q; then block until d1 sends again. */
    link_wait(&l0);
    check(evtchn_is_pending(q), "d2: d1's send raised our port", "not pending");
    evtchn_clear(q);
    check_eq("d2: stop the periodic timer", timer_stop_periodic(), 0);
    rc = evtchn_bind_virq(VIRQ_TIMER, 0, on_timer, NULL);
    check(rc > 0, "d2: bind VIRQ_TIMER for a guard timer", "rc %ld", rc);
    tport = (evtchn_port_t)rc;
    evtchn_unmask(tport);
    evtchn_set_handler(q, 0, on_port, NULL);
    check_eq("d2: unmask our port", evtchn_unmask(q), 0);
    link_pass(&l0);
    t0 = now_ns();
    timer_set_singleshot(t0 + 3000 * MS, 0);
    while (!hits[0] && !timer_hits) {
        local_irq_disable();
        HYPERVISOR_sched_op(SCHEDOP_block, NULL);      /* enables events */
    }
    local_irq_disable();
    dt = now_ns() - t0;
    timer_stop_singleshot();
    check_eq("d2: SCHEDOP_block woke for d1's notification", hits[0], 1);
    check_eq("d2: ... not for the 3 s guard timer", timer_hits, 0);
    /* d1 sends 300 ms after we passed the turn; waking before 50 ms would
     * mean block returned without the notification. */
    check(dt >= 50 * MS, "d2: ... and slept until it came", "woke after %lu ms", dt / MS);

    /* H: poll, events masked. */
    link_wait(&l0);
    evtchn_mask(q);
    link_pass(&l0);
    t0 = now_ns();
    rc = evtchn_poll(q, t0 + 3000 * MS);
    dt = now_ns() - t0;
    check_eq("d2: SCHEDOP_poll returns 0", rc, 0);
    check(evtchn_is_pending(q), "d2: poll returned with d1's notification pending", "not pending");
    check(dt >= 50 * MS && dt < 2900 * MS, "d2: poll slept until the notification came",
          "woke after %lu ms", dt / MS);
    evtchn_clear(q);

    /* J: move q to vCPU 1. */
    link_wait(&l0);
    check_eq("d2: start vCPU 1", smp_start_cpu(1, cpu1_main), 0);
    rc = evtchn_bind_ipi(0, NULL, NULL);
    ipi = (evtchn_port_t)rc;
    {
        struct evtchn_status st;

        rc = ev_status(DOMID_SELF, ipi, &st);
        check(rc == 0 && st.status == EVTCHNSTAT_ipi && st.vcpu == 0,
              "d2: status of an IPI port: ipi, vCPU 0", "rc %ld status %u vcpu %u", rc,
              st.status, st.vcpu);
        rc = ev_status(DOMID_SELF, tport, &st);
        check(rc == 0 && st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER && st.vcpu == 0,
              "d2: status of the timer port: virq VIRQ_TIMER, vCPU 0", "rc %ld status %u virq %u",
              rc, st.status, st.u.virq);
    }
    check_eq("d2: bind_vcpu of an IPI port is -EINVAL", ev_bind_vcpu(ipi, 1), -XEN_EINVAL);
    check_eq("d2: bind_vcpu of a per-vCPU VIRQ port is -EINVAL", ev_bind_vcpu(tport, 1),
             -XEN_EINVAL);
    check_eq("d2: bind_vcpu of an interdomain port to vCPU 1", ev_bind_vcpu(q, 1), 0);
    check_status("d2: status shows vCPU 1", DOMID_SELF, q, EVTCHNSTAT_interdomain, DA, p, 1);
    evtchn_set_handler(q, 1, on_port, NULL);
    evtchn_unmask(q);
    link_pass(&l0);
    /* L: vCPU 1 took it. */
    link_wait(&l0);
    for (unsigned int i = 0; i < 100 && !hits[1]; i++)
        idom_sleep(10 * MS);
    check_eq("d2: the notification reached vCPU 1", hits[1], 1);
    check_eq("d2: ... and not vCPU 0", hits[0], 1);
    check_eq("d2: bind_vcpu back to vCPU 0", ev_bind_vcpu(q, 0), 0);
    evtchn_set_handler(q, 0, on_port, NULL);
    evtchn_mask(q);
    link_pass(&l0);
    /* L3: a notification to a masked port waits for EVTCHNOP_unmask. */
    link_wait(&l0);
    check(evtchn_is_pending(q), "d2: masked port pending after d1's send", "not pending");
    local_irq_enable();
    check_eq("d2: masked port not delivered", hits[0], 1);
    check_eq("d2: EVTCHNOP_unmask", evtchn_unmask(q), 0);
    local_irq_disable();
    check_eq("d2: unmask delivered the pending notification", hits[0], 2);
    evtchn_mask(q);
    link_pass(&l0);

    /* N: d1 closed its end. */
    link_wait(&l0);
    check_status("d2: after d1 closed, our end is unbound for d1", DOMID_SELF, q,
                 EVTCHNSTAT_unbound, DA, 0, 0);
    check_eq("d2: send on it returns 0 (dropped)", ev_send(q), 0);
    link_pass(&l0);
    /* P: d1 bound it again. */
    link_wait(&l0);
    {
        struct evtchn_status st;

        rc = ev_status(DOMID_SELF, q, &st);
        check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == DA,
              "d2: d1 bound our unbound end again", "rc %ld status %u", rc, st.status);
    }
    check_eq("d2: close our end", ev_close(q), 0);
    check_eq("d2: close it again is -EINVAL", ev_close(q), -XEN_EINVAL);
    link_pass(&l0);
    /* R: bind u, which dom0 could not. */
    link_wait(&l0);
    rc = ev_bind_scan(DA, 32, 5000 * MS, &u, &p);
    check_eq("d2: bind the port d1 offered us", rc, 0);
    check_eq("d2: close it", ev_close(u), 0);
    link_pass(&l0);

    /* T2: bind h and start the storm on both vCPUs. */
    link_wait(&l0);
    rc = ev_bind_scan(DA, 32, 5000 * MS, &hq, &p);
    check_eq("d2: bind the storm port", rc, 0);
    storm_port = hq;
    cpu1_storm = true;
    link_pass(&l0);
    /* T4 arrives while we send; then close our end and keep sending. */
    {
        unsigned long after = 0;

        while (!evtchn_is_pending(l0.port))
            storm_count(0, ev_send(hq));
        evtchn_clear(l0.port);
        check_status("d2: storm port is unbound for d1 after d1 closed it", DOMID_SELF, hq,
                     EVTCHNSTAT_unbound, DA, 0, 0);
        check_eq("d2: close our end while vCPU 1 sends on it", ev_close(hq), 0);
        for (unsigned int i = 0; i < 2000; i++) {
            rc = ev_send(hq);
            storm_count(0, rc);
            after += rc == -XEN_EINVAL;
        }
        /* Let vCPU 1 send on the closed port too. */
        for (unsigned int i = 0; i < 100 && !storm_inval[1]; i++)
            idom_sleep(10 * MS);
        storm_stop = true;
        for (unsigned int i = 0; i < 300 && !storm_done1; i++)
            idom_sleep(10 * MS);
        check(storm_done1, "d2: vCPU 1 stopped sending", "still running");
        info("storm: vCPU0 %lu ok %lu -EINVAL; vCPU1 %lu ok %lu -EINVAL", storm_ok[0],
             storm_inval[0], storm_ok[1], storm_inval[1]);
        check_eq("d2: every send returned 0 or -EINVAL", storm_other[0] + storm_other[1], 0);
        check(storm_ok[0] > 0 && storm_ok[1] > 0, "d2: both vCPUs' sends succeeded before the close",
              "ok %lu/%lu", storm_ok[0], storm_ok[1]);
        check_eq("d2: every send after our close was -EINVAL", after, 2000);
        check(storm_inval[1] > 0, "d2: vCPU 1 saw -EINVAL after our close", "none");
    }
    link_pass(&l0);
    link_wait(&l0);                     /* V */
}

void test_main(void)
{
    char role[8];

    opt_str("role", role, sizeof(role), "");
    if (!strcmp(role, "ctl"))
        ctl();
    else if (!strcmp(role, "a"))
        role_a();
    else if (!strcmp(role, "b"))
        role_b();
    else
        test_error("role=ctl|a|b expected, got '%s'", role);
}
