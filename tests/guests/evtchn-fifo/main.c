/*
 * evtchn-fifo: the FIFO event-channel ABI (EVTCHNOP_init_control,
 * expand_array, set_priority) as Xen 4.17 answers it, with the guest
 * walking its queues as Linux does (pvguest/events_fifo.h):
 *
 *   - under 2-level: set_priority -ENOSYS, expand_array -EOPNOTSUPP,
 *     unmask of a free port leaves it masked;
 *   - init_control errors (vCPU, offset, frame) leave the domain 2-level;
 *     the first success switches it, pending 2-level ports (and ports
 *     raised before any array page) are raised once their word exists;
 *   - delivery of an IPI, VIRQ_TIMER and both ends of a loopback
 *     interdomain channel through the queues; FIFO order in a queue;
 *     a higher priority consumed first; READY and the upcall only for a
 *     new head; masking, EVTCHNOP_unmask re-raising, SCHEDOP_poll on
 *     FIFO ports; a port still queued is not reused;
 *   - two vCPUs: a control block at an unusual offset, an IPI to vCPU 1,
 *     bind_vcpu of a port while it is queued on vCPU 0;
 *   - more than one array page and ports above 4095; set_priority errors;
 *   - hostile: a corrupted link, a LINKED bit the hypervisor did not set,
 *     BUSY left on a tail, garbage in the control block, 129 array pages;
 *   - EVTCHNOP_reset back to 2-level, and FIFO again after it (left on
 *     for the domain's teardown).
 *
 * Runs with one vCPU or two; the vCPU 1 checks only with two.
 */
#include <pvguest/test.h>
#include <pvguest/events_fifo.h>

const char test_title[] = "evtchn-fifo: FIFO event channels (init_control, expand_array, priorities)";

#define MS 1000000ULL
#define NR_TRACKED 8192                 /* ports whose events are counted */
#define W_PENDING   (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED    (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED    (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY      (1u << EVTCHN_FIFO_BUSY)
#define LINK(w)     ((w) & EVTCHN_FIFO_LINK_MASK)

static uint8_t cb_page[2][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t array_page[FIFO_MAX_ARRAY_PAGES + 1][PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned int pages_given;        /* array_page[] handed over so far */

static volatile uint16_t hits[NR_TRACKED];
static volatile uint8_t hit_cpu[NR_TRACKED];
static volatile evtchn_port_t order[64];
static volatile unsigned int order_n;
static unsigned int nr_vcpus;

static void on_event(evtchn_port_t port, unsigned int cpu)
{
    unsigned int n = __atomic_fetch_add(&order_n, 1, __ATOMIC_SEQ_CST);

    if (n < ARRAY_SIZE(order))
        order[n] = port;
    if (port < NR_TRACKED) {
        hit_cpu[port] = (uint8_t)cpu;
        hits[port]++;
    }
}

/* ---------------------------------------------------------------- hypercalls */

static long op(int cmd, void *arg)
{
    return HYPERVISOR_event_channel_op(cmd, arg);
}

static long bind_ipi(unsigned int cpu)
{
    struct evtchn_bind_ipi b = { .vcpu = cpu };
    long rc = op(EVTCHNOP_bind_ipi, &b);

    return rc ? rc : b.port;
}

static long alloc_unbound_self(void)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    long rc = op(EVTCHNOP_alloc_unbound, &a);

    return rc ? rc : a.port;
}

static long bind_loopback(evtchn_port_t remote)
{
    struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF, .remote_port = remote };
    long rc = op(EVTCHNOP_bind_interdomain, &b);

    return rc ? rc : b.local_port;
}

static long close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };

    return op(EVTCHNOP_close, &c);
}

static long send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };

    return op(EVTCHNOP_send, &s);
}

static long unmask_hc(evtchn_port_t port)
{
    struct evtchn_unmask u = { .port = port };

    return op(EVTCHNOP_unmask, &u);
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
    struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };

    return op(EVTCHNOP_init_control, &ic);
}

static long expand_gfn(uint64_t gfn)
{
    struct evtchn_expand_array ea = { .array_gfn = gfn };

    return op(EVTCHNOP_expand_array, &ea);
}

static long status_of(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return op(EVTCHNOP_status, st);
}

static long reset_self(void)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };

    return op(EVTCHNOP_reset, &r);
}

static long is_up(unsigned int cpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL);
}

/* The next unused array page, handed to the hypervisor. */
static long expand_next(void)
{
    if (pages_given >= ARRAY_SIZE(array_page))
        test_error("out of array pages");
    long rc = fifo_expand(array_page[pages_given]);
    if (!rc)
        pages_given++;
    return rc;
}

static event_word_t word(evtchn_port_t port)
{
    volatile event_word_t *w = fifo_word(port);

    return w ? *w : 0xdeadbeef;
}

static void word_set(evtchn_port_t port, event_word_t bits)
{
    __atomic_fetch_or(fifo_word(port), bits, __ATOMIC_SEQ_CST);
}

static void word_clear(evtchn_port_t port, event_word_t bits)
{
    __atomic_fetch_and(fifo_word(port), ~bits, __ATOMIC_SEQ_CST);
}

/* Wait (yielding, events as they are) until hits[port] reaches want. */
static bool wait_hits(evtchn_port_t port, unsigned int want, uint64_t limit_ns)
{
    uint64_t end = now_ns() + limit_ns;

    while (hits[port] < want && now_ns() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return hits[port] >= want;
}

/* Let anything due be delivered, then report whether port was hit. */
static unsigned int settle(evtchn_port_t port)
{
    HYPERVISOR_xen_version(XENVER_version, NULL);
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return hits[port];
}

static void order_reset(void)
{
    WRITE_ONCE(order_n, 0);
}

/* ---------------------------------------------------------------- vCPU 1 */

static volatile unsigned long cpu1_state, cpu1_cmd;

/* vCPU 1: FIFO upcall, events on, serve commands: 1 = stop. */
static void cpu1_main(unsigned int cpu)
{
    (void)cpu;
    if (fifo_use_upcall())
        test_error("vCPU 1: callback_op");
    local_irq_enable();
    WRITE_ONCE(cpu1_state, 1);
    while (__atomic_exchange_n(&cpu1_cmd, 0, __ATOMIC_SEQ_CST) != 1)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    local_irq_disable();
    WRITE_ONCE(cpu1_state, 2);
}

static bool wait_state(unsigned long want, uint64_t limit_ns)
{
    uint64_t end = now_ns() + limit_ns;

    while (READ_ONCE(cpu1_state) != want && now_ns() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return READ_ONCE(cpu1_state) == want;
}

/* ---------------------------------------------------------------- phases */

static evtchn_port_t pre_port;          /* pending under 2-level, raised under FIFO */
static evtchn_port_t early_port;        /* raised before any array page */
static evtchn_port_t loop_u, loop_l;    /* the two ends of a loopback channel */
static evtchn_port_t spare_free;        /* a free port with a bucket */

static void two_level(void)
{
    long rc;

    check_eq("2-level: set_priority is -ENOSYS", fifo_set_priority(1, 0), -XEN_ENOSYS);
    check_eq("2-level: expand_array is -EOPNOTSUPP",
             expand_gfn(virt_to_mfn(array_page[0])), -XEN_EOPNOTSUPP);

    rc = bind_ipi(0);
    check(rc > 0, "2-level: bind_ipi", "rc %ld", rc);
    pre_port = (evtchn_port_t)rc;
    check(evtchn_is_masked(pre_port), "2-level: the new port is masked", "not masked");
    check_eq("2-level: send on the masked port", send(pre_port), 0);
    check(evtchn_is_pending(pre_port), "2-level: the masked port is pending", "not pending");

    /* Xen 4.17 leaves free ports alone (evtchn_usable). */
    evtchn_mask(pre_port + 1);
    check_eq("2-level: unmask of a free port returns 0", unmask_hc(pre_port + 1), 0);
    check(evtchn_is_masked(pre_port + 1), "2-level: unmask of a free port leaves it masked",
          "mask cleared");
}

static void init_errors(void)
{
    uint64_t cb0 = virt_to_mfn(cb_page[0]);
    uint64_t l4 = virt_to_mfn((void *)start_info->pt_base);

    check_eq("init_control on vCPU 99 is -ENOENT", init_control(cb0, 0, 99), -XEN_ENOENT);
    check_eq("init_control on vCPU 99 at offset 4 is -ENOENT", init_control(cb0, 4, 99),
             -XEN_ENOENT);
    check_eq("init_control at offset 4 (misaligned) is -EINVAL", init_control(cb0, 4, 0),
             -XEN_EINVAL);
    check_eq("init_control at offset 4032 (block crosses the page) is -EINVAL",
             init_control(cb0, 4032, 0), -XEN_EINVAL);
    check_eq("init_control at offset 0xfffffff8 is -EINVAL", init_control(cb0, 0xfffffff8u, 0),
             -XEN_EINVAL);
    check_eq("init_control with a frame beyond RAM is -EINVAL",
             init_control(0xffffffffffULL, 0, 0), -XEN_EINVAL);
    check_eq("init_control with frame 0 (not ours) is -EINVAL", init_control(0, 0, 0),
             -XEN_EINVAL);
    check_eq("init_control with our L4 page table is -EINVAL", init_control(l4, 0, 0),
             -XEN_EINVAL);
    check_eq("after failed init_control: still 2-level (set_priority -ENOSYS)",
             fifo_set_priority(pre_port, 0), -XEN_ENOSYS);
    check_eq("after failed init_control: expand_array still -EOPNOTSUPP",
             expand_gfn(virt_to_mfn(array_page[0])), -XEN_EOPNOTSUPP);
}

static void init_ok(void)
{
    uint64_t l4 = virt_to_mfn((void *)start_info->pt_base);
    uint8_t link_bits = 0;
    long rc;

    rc = fifo_init_control(0, cb_page[0], 0, &link_bits);
    check_eq("init_control on vCPU 0 returns 0", rc, 0);
    if (rc)
        test_error("no FIFO ABI: init_control %ld", rc);
    check_eq("init_control reports 17 link bits", link_bits, EVTCHN_FIFO_LINK_BITS);
    if (fifo_use_upcall())
        test_error("callback_op");
    check_eq("init_control on vCPU 0 again is -EINVAL",
             init_control(virt_to_mfn(cb_page[0]), 0, 0), -XEN_EINVAL);
    check_eq("init_control on vCPU 0 again with another page is -EINVAL",
             init_control(virt_to_mfn(cb_page[1]), 0, 0), -XEN_EINVAL);
    check_eq("FIFO: set_priority of a bound port to 16 is -EINVAL",
             fifo_set_priority(pre_port, 16), -XEN_EINVAL);

    /* Raised with no array page yet: remembered. */
    rc = bind_ipi(0);
    check(rc > 0, "bind_ipi before any array page", "rc %ld", rc);
    early_port = (evtchn_port_t)rc;
    check_eq("send before any array page returns 0", send(early_port), 0);

    check_eq("expand_array with a frame beyond RAM is -EINVAL", expand_gfn(0xffffffffffULL),
             -XEN_EINVAL);
    check_eq("expand_array with our L4 page table is -EINVAL", expand_gfn(l4), -XEN_EINVAL);
    check_eq("expand_array with frame 0 is -EINVAL", expand_gfn(0), -XEN_EINVAL);
    check_eq("expand_array with a first page returns 0", expand_next(), 0);

    check_equ("2-level pending port: PENDING|MASKED once its word exists", word(pre_port),
              W_PENDING | W_MASKED);
    check_equ("port raised before the page: PENDING|MASKED once its word exists",
              word(early_port), W_PENDING | W_MASKED);
    check_equ("an unused word stays as the guest wrote it", word(1000), W_MASKED);
    check_equ("nothing queued while all is masked (READY 0)", fifo_control_block(0)->ready, 0);
}

static void delivery(void)
{
    struct vcpu_info *vi = this_vcpu_info();
    struct evtchn_fifo_control_block *cb = fifo_control_block(0);
    evtchn_port_t a, b, c, d, e;
    long rc;

    fifo_set_handler(on_event);
    local_irq_enable();

    check_eq("unmask of the 2-level pending port (hypercall) returns 0", fifo_unmask(pre_port), 0);
    check(wait_hits(pre_port, 1, 500 * MS), "the 2-level pending port is delivered", "no event");
    check_equ("its word is clear after consumption", word(pre_port), 0);
    check_eq("unmask of the port raised before the page returns 0", fifo_unmask(early_port), 0);
    check(wait_hits(early_port, 1, 500 * MS), "the port raised before the page is delivered",
          "no event");

    /* IPI to ourselves. */
    rc = bind_ipi(0);
    check(rc > 0, "bind_ipi", "rc %ld", rc);
    a = (evtchn_port_t)rc;
    check_eq("a fresh unpending port unmasks without a hypercall", fifo_unmask(a), 0);
    check_equ("its word is 0 after the local unmask", word(a), 0);
    check_eq("send IPI", send(a), 0);
    check(wait_hits(a, 1, 500 * MS), "IPI delivered through the FIFO queue", "no event");
    check_eq("IPI handled on vCPU 0", hit_cpu[a], 0);
    check_equ("IPI word clear after consumption", word(a), 0);

    /* VIRQ_TIMER. */
    check_eq("stop_periodic_timer", timer_stop_periodic(), 0);
    {
        struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
        rc = op(EVTCHNOP_bind_virq, &bv);
        check_eq("bind_virq VIRQ_TIMER", rc, 0);
        b = bv.port;
    }
    fifo_unmask(b);
    check_eq("set_singleshot_timer", timer_set_singleshot(now_ns() + 2 * MS, 0), 0);
    check(wait_hits(b, 1, 1000 * MS), "VIRQ_TIMER delivered through the FIFO queue", "no event");

    /* Loopback interdomain channel: both ends. */
    rc = alloc_unbound_self();
    check(rc > 0, "alloc_unbound to ourselves", "rc %ld", rc);
    loop_u = (evtchn_port_t)rc;
    rc = bind_loopback(loop_u);
    check(rc > 0, "bind_interdomain to our own unbound port", "rc %ld", rc);
    loop_l = (evtchn_port_t)rc;
    check_equ("the new binding is raised (PENDING, still masked)", word(loop_l),
              W_PENDING | W_MASKED);
    check_eq("unmask the bound end (hypercall)", fifo_unmask(loop_l), 0);
    check(wait_hits(loop_l, 1, 500 * MS), "the raise on binding is delivered", "no event");
    fifo_unmask(loop_u);
    check_eq("send on the unbound-side end", send(loop_u), 0);
    check(wait_hits(loop_l, 2, 500 * MS), "loopback: event on the bound end", "no event");
    check_eq("send on the bound end", send(loop_l), 0);
    check(wait_hits(loop_u, 1, 500 * MS), "loopback: event on the other end", "no event");

    /* READY and the upcall only for a new head. */
    local_irq_disable();
    rc = bind_ipi(0);
    c = (evtchn_port_t)rc;
    rc = bind_ipi(0);
    d = (evtchn_port_t)rc;
    fifo_unmask(c);
    fifo_unmask(d);
    WRITE_ONCE(vi->evtchn_upcall_pending, 0);
    send(c);
    check_eq("an event on an empty queue sets upcall_pending", vi->evtchn_upcall_pending, 1);
    check_equ("... and READY for priority 7", cb->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
    check_equ("... and it is the queue's head", cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], c);
    check_equ("its word is PENDING|LINKED, no link", word(c), W_PENDING | W_LINKED);
    WRITE_ONCE(vi->evtchn_upcall_pending, 0);
    send(d);
    check_eq("a second event in the queue leaves upcall_pending alone",
             vi->evtchn_upcall_pending, 0);
    check_equ("the first word links to the second", word(c), W_PENDING | W_LINKED | d);
    check_equ("the second word is PENDING|LINKED, no link", word(d), W_PENDING | W_LINKED);
    check_equ("the head stays the first", cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], c);
    rc = bind_ipi(0);
    e = (evtchn_port_t)rc;
    fifo_unmask(e);
    send(e);
    check_equ("a third links after the second", word(d), W_PENDING | W_LINKED | e);
    order_reset();
    WRITE_ONCE(vi->evtchn_upcall_pending, 1);
    local_irq_enable();
    check(wait_hits(e, 1, 500 * MS), "all three delivered", "no event");
    check(order_n == 3 && order[0] == c && order[1] == d && order[2] == e,
          "one queue is consumed in FIFO order", "order %u: %u %u %u", order_n, order[0],
          order[1], order[2]);

    /* Priorities: the higher one first, though raised last. */
    local_irq_disable();
    check_eq("set_priority 2 on a bound port", fifo_set_priority(d, 2), 0);
    check_eq("set_priority 15 (the lowest) on a bound port", fifo_set_priority(e, 15), 0);
    send(e);
    send(c);
    send(d);
    check_equ("READY has priorities 2, 7 and 15", cb->ready,
              (1u << 2) | (1u << 7) | (1u << 15));
    check_equ("head of queue 2", cb->head[2], d);
    check_equ("head of queue 7", cb->head[7], c);
    check_equ("head of queue 15", cb->head[15], e);
    order_reset();
    local_irq_enable();
    check(wait_hits(e, 2, 500 * MS), "three priorities delivered", "no event");
    check(order_n == 3 && order[0] == d && order[1] == c && order[2] == e,
          "higher priorities are consumed first", "order %u: %u %u %u", order_n, order[0],
          order[1], order[2]);
    fifo_set_priority(d, EVTCHN_FIFO_PRIORITY_DEFAULT);
    fifo_set_priority(e, EVTCHN_FIFO_PRIORITY_DEFAULT);

    /*
     * An event moving to another queue: the queue it was the tail of is
     * empty afterwards. e is queue 7's tail (consumed); moved to queue 3
     * and raised, it must not be where queue 7's next event links.
     */
    local_irq_disable();
    send(e);
    local_irq_enable();
    check(wait_hits(e, 3, 500 * MS), "an event on queue 7", "no event");
    local_irq_disable();
    fifo_set_priority(e, 3);
    send(e);
    send(c);
    check_equ("moved to queue 3, it heads queue 3", cb->head[3], e);
    check_equ("the next event of queue 7 heads queue 7", cb->head[7], c);
    check_equ("... with READY for both", cb->ready, (1u << 3) | (1u << 7));
    check_equ("... not linked after the moved event", word(e), W_PENDING | W_LINKED);
    order_reset();
    local_irq_enable();
    check(wait_hits(c, 3, 500 * MS), "both delivered", "no event");
    check(order_n == 2 && order[0] == e && order[1] == c, "each from its own queue",
          "order %u: %u %u", order_n, order[0], order[1]);
    fifo_set_priority(e, EVTCHN_FIFO_PRIORITY_DEFAULT);

    /* Masking; EVTCHNOP_unmask re-raises; poll sees FIFO state. */
    fifo_mask(c);
    send(c);
    check_equ("a masked port: PENDING|MASKED, not queued", word(c), W_PENDING | W_MASKED);
    check_eq("a masked port is not delivered", settle(c), 3);
    {
        uint64_t t0 = now_ns();
        check_eq("poll on a pending masked port returns 0", evtchn_poll(c, t0 + 500 * MS), 0);
        check(now_ns() - t0 < 400 * MS, "poll on a pending port returns at once", "slept %lu ns",
              (unsigned long)(now_ns() - t0));
    }
    check_eq("EVTCHNOP_unmask of the pending masked port", unmask_hc(c), 0);
    check(wait_hits(c, 4, 500 * MS), "EVTCHNOP_unmask delivers it", "no event");
    check_equ("its word is clear after consumption", word(c), 0);
    {
        uint64_t t0 = now_ns();
        local_irq_disable();
        check_eq("poll on a port not pending returns 0 at the timeout",
                 evtchn_poll(c, t0 + 20 * MS), 0);
        check(now_ns() - t0 >= 19 * MS, "poll on a port not pending sleeps until the timeout",
              "slept %lu ns", (unsigned long)(now_ns() - t0));
        local_irq_enable();
    }

    /* A free port is left alone by unmask; a queued one is not reused. */
    rc = bind_ipi(0);
    evtchn_port_t x = (evtchn_port_t)rc;
    fifo_mask(x);
    close_port(x);
    check_eq("FIFO: unmask of a free port returns 0", unmask_hc(x), 0);
    check_equ("FIFO: unmask of a free port leaves it masked", word(x), W_MASKED);

    local_irq_disable();
    rc = bind_ipi(0);
    check_eq("the lowest free port is allocated again", rc, x);
    fifo_unmask(x);
    send(x);
    check_eq("close a port while it is queued", close_port(x), 0);
    check_equ("closing cleared PENDING, the word stays LINKED", word(x), W_LINKED);
    rc = bind_ipi(0);
    check(rc > 0 && rc != x, "a port still queued is not reused", "got %ld, queued %u", rc, x);
    evtchn_port_t y = (evtchn_port_t)rc;
    local_irq_enable();
    settle(x);
    check_eq("a queued port closed before consumption is not handled", hits[x], 0);
    check_equ("consuming it unlinked it", word(x), 0);
    rc = bind_ipi(0);
    check_eq("once consumed it is free for reuse", rc, x);
    close_port(x);
    close_port(y);
    close_port(a);
    spare_free = x;
}

static void set_priority_errors(void)
{
    evtchn_port_t p = loop_u;

    check_eq("set_priority to 16 is -EINVAL", fifo_set_priority(p, 16), -XEN_EINVAL);
    check_eq("set_priority to 0xffffffff is -EINVAL", fifo_set_priority(p, 0xffffffffu),
             -XEN_EINVAL);
    check_eq("set_priority 0 (the highest) returns 0", fifo_set_priority(p, 0), 0);
    check_eq("set_priority back to 7 returns 0", fifo_set_priority(p, 7), 0);
    check_eq("set_priority of port 0 (reserved) is -EACCES", fifo_set_priority(0, 7),
             -XEN_EACCES);
    check_eq("set_priority of a free port is -EACCES", fifo_set_priority(spare_free, 7),
             -XEN_EACCES);
    check_eq("set_priority of a free port to 16 is -EACCES (port first)",
             fifo_set_priority(spare_free, 16), -XEN_EACCES);
    check_eq("set_priority of a port beyond any bucket is -EINVAL",
             fifo_set_priority(100000, 7), -XEN_EINVAL);
}

static void two_vcpus(void)
{
    struct evtchn_fifo_control_block *cb0 = fifo_control_block(0), *cb1;
    evtchn_port_t i1;
    long rc;

    if (nr_vcpus < 2) {
        info("one vCPU: no vCPU 1 checks");
        return;
    }
    check_eq("init_control on vCPU 1 at offset 4 is -EINVAL",
             init_control(virt_to_mfn(cb_page[1]), 4, 1), -XEN_EINVAL);
    rc = fifo_init_control(1, cb_page[1], PAGE_SIZE - sizeof(*cb1), NULL);
    check_eq("init_control on vCPU 1 at the last offset (4024) returns 0", rc, 0);
    cb1 = fifo_control_block(1);
    rc = smp_start_cpu(1, cpu1_main);
    check_eq("start vCPU 1", rc, 0);
    if (rc || !wait_state(1, 2000 * MS))
        test_error("vCPU 1 did not start");

    rc = bind_ipi(1);
    check(rc > 0, "bind_ipi for vCPU 1", "rc %ld", rc);
    i1 = (evtchn_port_t)rc;
    fifo_unmask(i1);
    unsigned int h1 = hits[i1];
    send(i1);
    check(wait_hits(i1, h1 + 1, 2000 * MS), "IPI to vCPU 1 delivered", "no event");
    check_eq("IPI handled on vCPU 1", hit_cpu[i1], 1);

    /* bind_vcpu while queued: the event stays on the old queue; the next
     * one goes to the new vCPU. */
    unsigned int before = hits[loop_l];
    local_irq_disable();
    send(loop_u);
    check_equ("the event is queued on vCPU 0", cb0->head[7], loop_l);
    {
        struct evtchn_bind_vcpu bv = { .port = loop_l, .vcpu = 1 };
        check_eq("bind_vcpu of the queued port to vCPU 1", op(EVTCHNOP_bind_vcpu, &bv), 0);
    }
    udelay_ns(5 * MS);
    check_equ("vCPU 1 got nothing of it (READY 0)", cb1->ready, 0);
    check_eq("... nor handled it", hits[loop_l], before);
    local_irq_enable();
    check(wait_hits(loop_l, before + 1, 500 * MS), "the queued event is delivered", "no event");
    check_eq("... on vCPU 0, where it was queued", hit_cpu[loop_l], 0);
    send(loop_u);
    check(wait_hits(loop_l, before + 2, 2000 * MS), "the next event is delivered", "no event");
    check_eq("... on vCPU 1", hit_cpu[loop_l], 1);
    {
        struct evtchn_bind_vcpu bv = { .port = loop_l, .vcpu = 0 };
        check_eq("bind_vcpu back to vCPU 0", op(EVTCHNOP_bind_vcpu, &bv), 0);
    }
    send(loop_u);
    check(wait_hits(loop_l, before + 3, 2000 * MS), "an event after moving back is delivered",
          "no event");
    check_eq("... on vCPU 0 again", hit_cpu[loop_l], 0);
    close_port(i1);

    WRITE_ONCE(cpu1_cmd, 1);
    check(wait_state(2, 2000 * MS), "vCPU 1 stops", "state %lu", cpu1_state);
}

/* Unbound ports until one is above 4095, array pages as needed. */
static evtchn_port_t high_ports[4200];
static unsigned int nr_high;

static void many_ports(void)
{
    long rc = 0;
    evtchn_port_t hi, hi2;

    while (nr_high < ARRAY_SIZE(high_ports)) {
        rc = alloc_unbound_self();
        if (rc < 0)
            break;
        high_ports[nr_high++] = (evtchn_port_t)rc;
        if ((unsigned long)rc >= 4100)
            break;
    }
    check(rc >= 4100, "FIFO: a port above 4095 can be allocated", "rc %ld after %u ports", rc,
          nr_high);
    hi = (evtchn_port_t)rc;
    while (fifo_nr_ports() <= hi + 1 && pages_given < 8)
        check_eq("expand_array with one more page", expand_next(), 0);
    info("%u array pages for %u ports", pages_given, fifo_nr_ports());
    rc = bind_loopback(hi);
    check(rc > 4095, "bind_interdomain gives a port above 4095", "rc %ld", rc);
    hi2 = (evtchn_port_t)rc;
    fifo_unmask(hi);
    check_eq("unmask the high bound end (hypercall)", fifo_unmask(hi2), 0);
    check(wait_hits(hi2, 1, 500 * MS), "an event on a port above 4095 (raise on binding)",
          "no event");
    check_eq("send from the high port", send(hi2), 0);
    check(wait_hits(hi, 1, 500 * MS), "an event on the other high port", "no event");
    check(word(hi) == 0 && word(hi2) == 0, "high words clear after consumption",
          "%#x %#x", word(hi), word(hi2));
    close_port(hi2);
    rc = 0;
    for (unsigned int i = 0; i < nr_high; i++)
        if (close_port(high_ports[i]))
            rc++;
    check_eq("every allocated port closes", rc, 0);
}

static void hostile(void)
{
    struct evtchn_fifo_control_block *cb = fifo_control_block(0);
    evtchn_port_t a, b, c;
    unsigned long bad;

    a = (evtchn_port_t)bind_ipi(0);
    b = (evtchn_port_t)bind_ipi(0);
    c = (evtchn_port_t)bind_ipi(0);
    fifo_unmask(a);
    fifo_unmask(b);
    fifo_unmask(c);
    unsigned int ha = hits[a], hb = hits[b], hc = hits[c];

    /* A link corrupted by the guest: the hypervisor never follows it. */
    local_irq_disable();
    send(a);
    send(b);
    __atomic_store_n(fifo_word(a), (word(a) & ~EVTCHN_FIFO_LINK_MASK) | EVTCHN_FIFO_LINK_MASK,
                     __ATOMIC_SEQ_CST);
    check_eq("send after the guest corrupted a link", send(c), 0);
    check_equ("the hypervisor links after its own tail", word(b), W_PENDING | W_LINKED | c);
    check_equ("the corrupted word is left as the guest wrote it", LINK(word(a)),
              EVTCHN_FIFO_LINK_MASK);
    bad = fifo_bad_links[0];
    local_irq_enable();
    settle(a);
    check_eq("the guest's walk stops at the corrupted link", fifo_bad_links[0] - bad, 1);
    check(hits[a] == ha + 1 && hits[b] == hb && hits[c] == hc,
          "only the event before the corrupted link is handled", "a %u b %u c %u",
          hits[a] - ha, hits[b] - hb, hits[c] - hc);
    /* The guest repairs its queue (drops what it stranded): the next event
     * makes a new head, as the hypervisor's tail is unlinked. */
    word_clear(b, W_LINKED | W_PENDING | EVTCHN_FIFO_LINK_MASK);
    word_clear(c, W_LINKED | W_PENDING | EVTCHN_FIFO_LINK_MASK);
    send(c);
    check(wait_hits(c, hc + 1, 500 * MS), "after the guest repaired its queue, events flow again",
          "no event");

    /* LINKED set by the guest on a word the hypervisor did not queue. */
    local_irq_disable();
    word_set(a, W_LINKED | 0x1234);
    send(a);
    check_equ("a word the guest marked LINKED is not queued", word(a),
              W_PENDING | W_LINKED | 0x1234);
    check_equ("... and READY stays 0", cb->ready, 0);
    local_irq_enable();
    check_eq("... nor delivered", settle(a), ha + 1);
    word_clear(a, W_LINKED | EVTCHN_FIFO_LINK_MASK);
    check_eq("EVTCHNOP_unmask after the guest cleared it", unmask_hc(a), 0);
    check(wait_hits(a, ha + 2, 500 * MS), "... queues and delivers it", "no event");

    /* BUSY left by the guest on the tail: linking clears it. */
    local_irq_disable();
    send(a);
    word_set(a, W_BUSY);
    send(b);
    check_equ("linking after a tail the guest left BUSY clears BUSY", word(a),
              W_PENDING | W_LINKED | b);
    local_irq_enable();
    check(wait_hits(b, hb + 1, 500 * MS), "both delivered", "no event");

    /* Garbage in the control block's head: the hypervisor only writes it. */
    local_irq_disable();
    fifo_set_priority(a, 5);
    WRITE_ONCE(cb->head[5], 0x1ffff);
    send(a);
    check_equ("an event on an empty queue overwrites a garbage head", cb->head[5], a);
    local_irq_enable();
    check(wait_hits(a, ha + 4, 500 * MS), "and is delivered", "no event");
    fifo_set_priority(a, EVTCHN_FIFO_PRIORITY_DEFAULT);

    close_port(a);
    close_port(b);
    close_port(c);
}

static void array_limit(void)
{
    long rc = 0;
    unsigned int before = pages_given;

    while (pages_given < FIFO_MAX_ARRAY_PAGES && !(rc = expand_next()))
        ;
    check_eq("expand_array up to 128 pages returns 0", rc, 0);
    info("array grown from %u to %u pages", before, pages_given);
    check_equ("the array covers every FIFO port", fifo_nr_ports(), EVTCHN_FIFO_NR_CHANNELS);
    check_eq("expand_array beyond 128 pages is -ENOSPC",
             fifo_expand(array_page[FIFO_MAX_ARRAY_PAGES]), -XEN_ENOSPC);

    rc = bind_ipi(0);
    evtchn_port_t p = (evtchn_port_t)rc;
    fifo_unmask(p);
    unsigned int h = hits[p];
    send(p);
    check(wait_hits(p, h + 1, 500 * MS), "events still flow with the full array", "no event");
    close_port(p);
}

static void reset_to_2l(void)
{
    struct evtchn_status st;
    long rc;

    local_irq_disable();
    check_eq("EVTCHNOP_reset of ourselves returns 0", reset_self(), 0);
    fifo_forget();
    pages_given = 0;
    check_eq("after reset: set_priority is -ENOSYS (2-level)", fifo_set_priority(loop_u, 0),
             -XEN_ENOSYS);
    check_eq("after reset: expand_array is -EOPNOTSUPP",
             expand_gfn(virt_to_mfn(array_page[0])), -XEN_EOPNOTSUPP);
    check_eq("after reset: status of a port bound before", status_of(loop_l, &st), 0);
    check_eq("after reset: it is closed", st.status, EVTCHNSTAT_closed);

    /* 2-level again, through the library's 2-level upcall. */
    events_mask_all();
    check_eq("2-level upcall registered again", events_init_cpu(), 0);
    rc = evtchn_bind_ipi(0, NULL, NULL);
    check(rc > 0, "after reset: bind_ipi", "rc %ld", rc);
    evtchn_port_t p = (evtchn_port_t)rc;
    unsigned long up = upcall_count[0];
    evtchn_unmask(p);
    local_irq_enable();
    send(p);
    check(evtchn_is_pending(p) == false && upcall_count[0] > up,
          "after reset: a 2-level event is delivered", "pending %d upcalls %lu",
          evtchn_is_pending(p), upcall_count[0] - up);

    /* FIFO once more, with a 2-level pending port carried over; left on
     * for the teardown. */
    local_irq_disable();
    evtchn_mask(p);
    send(p);
    check_eq("init_control again after reset returns 0",
             fifo_init_control(0, cb_page[0], 0, NULL), 0);
    fifo_use_upcall();
    check_eq("expand_array again after reset returns 0", expand_next(), 0);
    check_eq("expand_array with a second page", expand_next(), 0);
    check_equ("the carried-over pending port is PENDING|MASKED", word(p), W_PENDING | W_MASKED);
    unsigned int h = hits[p];
    local_irq_enable();
    fifo_unmask(p);
    check(wait_hits(p, h + 1, 500 * MS), "and is delivered through FIFO again", "no event");
}

void test_main(void)
{
    nr_vcpus = is_up(1) == -XEN_ENOENT ? 1 : 2;
    info("%u vCPU(s)", nr_vcpus);

    two_level();
    init_errors();
    init_ok();
    delivery();
    set_priority_errors();
    two_vcpus();
    many_ports();
    hostile();
    array_limit();
    reset_to_2l();
}
