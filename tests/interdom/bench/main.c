/*
 * bench: inter-domain figures, printed as "bench: KEY VALUE" lines that
 * tests/interdom/bench.sh gathers into tables.
 *
 *   role=self              (dom0, on Pavise and on Xen 4.17)
 *       grant copy to ourselves for 64 B, 1500 B, 4 KiB and 64 KiB
 *       requests, map+unmap of our own grant, and self-notify: the latency
 *       from EVTCHNOP_send on a loopback channel to our upcall handler,
 *       and the bare send on a masked port.
 *   role=granter peer=N    (a domU on Pavise) grants pages to the user and
 *       answers its ping-pong
 *   role=user peer=N       (a domU on Pavise) event-channel ping-pong round
 *       trips (both ends in SCHEDOP_poll), grant copy and map+unmap
 *       against the granter's pages.
 *
 * Time is the pvclock (TSC-based) system time; each copy or map figure
 * runs rounds=R times (default 3) for ms=M milliseconds (default 300) and
 * reports the best round's operations per second, so that a round slowed
 * by the (shared, emulated) host does not count; latencies are the median,
 * minimum and mean over iters=N samples (default 2000).
 */
#include "../lib/idom.h"

const char test_title[] = "interdom bench: event channels and grants";

#define REF_BASE    100
#define NPAGES      16

static uint8_t src[NPAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t dst[NPAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t expect[PAGE_SIZE];
static uint64_t budget_ns;
static unsigned long iters, rounds;

#define MAX_SAMPLES 8192
static uint64_t samples[MAX_SAMPLES];

/* Shell sort: a few thousand samples, no recursion. */
static void sort_samples(unsigned long n)
{
    for (unsigned long gap = n / 2; gap; gap /= 2)
        for (unsigned long i = gap; i < n; i++)
            for (unsigned long j = i; j >= gap && samples[j - gap] > samples[j]; j -= gap) {
                uint64_t t = samples[j];

                samples[j] = samples[j - gap];
                samples[j - gap] = t;
            }
}

static void report(const char *key, unsigned long v)
{
    printk("bench: %s %lu\n", key, v);
}

/* Convert TSC ticks to ns with the calling vCPU's pvclock scale. */
static uint64_t tsc_ns(uint64_t ticks)
{
    struct vcpu_time_info t;

    pvclock_snapshot(&t);
    t.tsc_timestamp = 0;
    t.system_time = 0;
    return pvclock_scale(&t, ticks);
}

/* Median, minimum and mean of samples[0..n) (TSC ticks) as KEY_{med,min,avg}_ns. */
static void report_latency(const char *key, unsigned long n)
{
    uint64_t sum = 0;
    char k[64];

    for (unsigned long i = 0; i < n; i++)
        sum += samples[i];
    sort_samples(n);
    snprintf(k, sizeof(k), "%s_med_ns", key);
    report(k, (unsigned long)tsc_ns(samples[n / 2]));
    snprintf(k, sizeof(k), "%s_min_ns", key);
    report(k, (unsigned long)tsc_ns(samples[0]));
    snprintf(k, sizeof(k), "%s_avg_ns", key);
    report(k, (unsigned long)tsc_ns(sum / n));
}

/* ---------------------------------------------------------------- grant copy */

static void copy_bench(domid_t granter, const char *scope)
{
    static const unsigned int sizes[] = { 64, 1500, 4096, 65536 };
    static struct gnttab_copy ops[NPAGES];

    for (unsigned int z = 0; z < ARRAY_SIZE(sizes); z++) {
        unsigned int size = sizes[z], nseg = size > PAGE_SIZE ? size / PAGE_SIZE : 1;
        unsigned int len = size / nseg;
        unsigned long bad = 0, best = 0;
        char key[48];

        for (unsigned int s = 0; s < nseg; s++)
            ops[s] = (struct gnttab_copy){
                .source = { .u.ref = REF_BASE + s, .domid = granter, .offset = 0 },
                .dest = { .u.gmfn = gnt_mfn(dst[s]), .domid = DOMID_SELF, .offset = 0 },
                .len = (uint16_t)len, .flags = GNTCOPY_source_gref,
            };
        for (unsigned long round = 0; round < rounds; round++) {
            unsigned long n = 0, rate;
            uint64_t t0 = now_ns(), dt;

            do {
                for (unsigned int k = 0; k < 32; k++, n++) {
                    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, nseg);

                    bad += rc != 0 || ops[0].status != GNTST_okay;
                }
                dt = now_ns() - t0;
            } while (dt < budget_ns);
            rate = (unsigned long)(n * 1000000000ULL / dt);
            best = MAX(best, rate);
        }
        check_eq(size == 64 ? "grant copies of 64 B succeed" : size == 1500 ?
                 "grant copies of 1500 B succeed" : size == 4096 ?
                 "grant copies of 4 KiB succeed" : "grant copies of 64 KiB succeed", bad, 0);
        snprintf(key, sizeof(key), "%s_copy_%u_reqps", scope, size);
        report(key, best);
        snprintf(key, sizeof(key), "%s_copy_%u_kBps", scope, size);
        report(key, best * size / 1000);
    }
    data_fill(expect, PAGE_SIZE, 7, 0);        /* what the granter's page 0 holds */
    check(!memcmp(dst[0], expect, PAGE_SIZE), "the copied bytes arrived", "differ");
}

/* ---------------------------------------------------------------- map+unmap */

static void map_bench(domid_t granter, const char *scope)
{
    uint8_t *w = gnt_window(0);
    unsigned long bad = 0, best = 0;
    char key[48];

    for (unsigned long round = 0; round < rounds; round++) {
        unsigned long n = 0;
        uint64_t t0 = now_ns(), dt;

        do {
            for (unsigned int k = 0; k < 32; k++, n++) {
                grant_handle_t h;

                if (gnt_map(granter, REF_BASE, w, GNTMAP_host_map, &h) != GNTST_okay ||
                    gnt_unmap(h, w, GNTMAP_host_map) != GNTST_okay)
                    bad++;
            }
            dt = now_ns() - t0;
        } while (dt < budget_ns);
        best = MAX(best, (unsigned long)(n * 1000000000ULL / dt));
    }
    check_eq("every map and unmap succeeds", bad, 0);
    snprintf(key, sizeof(key), "%s_map_unmap_per_s", scope);
    report(key, best);
}

/* ---------------------------------------------------------------- self-notify */

static volatile uint64_t handler_tsc;
static volatile unsigned long handler_hits;

static void on_notify(evtchn_port_t port, void *data)
{
    handler_tsc = rdtsc();
    handler_hits++;
}

static void notify_bench(void)
{
    evtchn_port_t a, b;
    unsigned long missed = 0, n = 0;
    uint64_t t0, t1;

    if (ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &a) || ev_bind_interdomain(DOMID_SELF, a, &b))
        test_error("loopback channel");
    evtchn_clear(b);
    evtchn_set_handler(b, 0, on_notify, NULL);
    evtchn_unmask(b);
    local_irq_enable();
    for (unsigned long i = 0; i < iters; i++) {
        unsigned long before = handler_hits;

        t0 = rdtsc();
        ev_send(a);
        if (handler_hits == before)
            missed++;
        else
            samples[n++] = handler_tsc - t0;
    }
    local_irq_disable();
    check_eq("every self-notification reached the handler on the send's return", missed, 0);
    if (n)
        report_latency("self_notify", n);

    /* The hypercall alone: a masked port is raised, never delivered. */
    evtchn_mask(b);
    for (unsigned long i = 0; i < iters; i++) {
        t0 = rdtsc();
        ev_send(a);
        t1 = rdtsc();
        samples[i] = t1 - t0;
    }
    evtchn_clear(b);
    report_latency("self_send_masked", iters);
    ev_close(a);
    ev_close(b);
}

/* ---------------------------------------------------------------- roles */

static void grant_pages(domid_t to)
{
    check_eq("setup_table", gnt_init(1), 0);
    for (unsigned int s = 0; s < NPAGES; s++) {
        data_fill(src[s], PAGE_SIZE, 7, s);
        gnt_grant(REF_BASE + s, to, gnt_mfn(src[s]), false);
    }
}

static void revoke_pages(void)
{
    unsigned int bad = 0;

    for (unsigned int s = 0; s < NPAGES; s++)
        bad += !gnt_end(REF_BASE + s);
    check_eq("every grant revokes at the end", bad, 0);
}

static void role_self(void)
{
    long id = ev_self_domid();

    if (id < 0)
        test_error("own domain id: %ld", id);
    grant_pages((domid_t)id);
    copy_bench((domid_t)id, "self");
    map_bench((domid_t)id, "self");
    notify_bench();
    revoke_pages();
}

/*
 * Ping-pong over the link: the granter (master) passes "ready", then
 * answers iters - 1 pings; the user's next pass after its last round trip
 * means "done", and the turn goes back and forth once more around the
 * user's copy and map runs.
 */
static void role_granter(domid_t peer)
{
    struct link l;
    unsigned long pongs = 0;

    grant_pages(peer);
    link_master(&l, peer, "granter-user");
    link_pass(&l);                      /* ready */
    for (;;) {
        link_wait(&l);
        if (pongs == iters - 1)
            break;                      /* that was "done" */
        link_pass(&l);
        pongs++;
    }
    check_eq("answered every ping", pongs, iters - 1);
    link_pass(&l);                      /* the user may copy and map */
    link_wait(&l);                      /* ... until it is finished */
    revoke_pages();
}

static void role_user(domid_t peer)
{
    struct link l;

    link_slave(&l, peer, "user-granter");
    link_wait(&l);                      /* ready */
    for (unsigned long i = 1; i < iters; i++) {
        uint64_t a = rdtsc();

        link_step(&l);
        samples[i - 1] = rdtsc() - a;
    }
    link_pass(&l);                      /* done */
    report_latency("peer_pingpong_rtt", iters - 1);
    link_wait(&l);
    copy_bench(peer, "peer");
    map_bench(peer, "peer");
    link_pass(&l);                      /* finished */
}

void test_main(void)
{
    char role[12];
    domid_t peer;

    idom_init();
    budget_ns = opt_ulong("ms", 300) * MS;
    iters = opt_ulong("iters", 2000);
    rounds = opt_ulong("rounds", 3);
    if (iters < 2 || iters > MAX_SAMPLES || !rounds)
        test_error("iters=%lu: 2..%u; rounds=%lu: at least 1", iters, MAX_SAMPLES, rounds);
    opt_str("role", role, sizeof(role), "");
    peer = (domid_t)opt_ulong("peer", 0x7fff);
    if (!strcmp(role, "self"))
        role_self();
    else if (!strcmp(role, "granter"))
        role_granter(peer);
    else if (!strcmp(role, "user"))
        role_user(peer);
    else
        test_error("role=self|granter|user expected, got '%s'", role);
}
