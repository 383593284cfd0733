/*
 * time: pvclock system time from vcpu_time_info is sane, monotonic on
 * each vCPU and across vCPUs; the shared-info wall clock follows the
 * version protocol; a timer deadline and system time agree.
 * Run with two vCPUs.
 */
#include <pvguest/test.h>

const char test_title[] = "time: pvclock, monotonicity across vCPUs, wall clock";

#define MS 1000000ULL

static volatile unsigned long timer_hits;

static void on_timer(evtchn_port_t port, void *data)
{
    timer_hits++;
}

static void sanity(void)
{
    struct vcpu_time_info t;
    uint64_t khz;

    pvclock_snapshot(&t);
    check(!(t.version & 1), "vcpu_time_info version is even when read", "version %u", t.version);
    check(t.version != 0, "vcpu_time_info has been written", "version 0");
    check(t.tsc_to_system_mul != 0, "tsc_to_system_mul is non-zero", "0");
    check(t.tsc_shift >= -31 && t.tsc_shift <= 31, "tsc_shift within [-31, 31]",
          "shift %d", t.tsc_shift);
    khz = pvclock_tsc_khz(&t);
    info("tsc: mul %u shift %d => %lu kHz, flags %#x", t.tsc_to_system_mul, t.tsc_shift,
         (unsigned long)khz, t.flags);
    check(khz >= 100000 && khz <= 100000000, "TSC frequency between 100 MHz and 100 GHz",
          "%lu kHz", (unsigned long)khz);
    check(t.system_time > 0, "system_time is positive", "%lu", (unsigned long)t.system_time);
    check(t.tsc_timestamp <= rdtsc(), "tsc_timestamp is in the past", "ts %lu", (unsigned long)t.tsc_timestamp);
    check(!(t.flags & ~(XEN_PVCLOCK_TSC_STABLE_BIT | XEN_PVCLOCK_GUEST_STOPPED)),
          "flags has only defined bits", "flags %#x", t.flags);
    check(!(t.flags & XEN_PVCLOCK_GUEST_STOPPED), "guest-stopped flag clear", "flags %#x", t.flags);
}

static void monotonic_local(void)
{
    uint64_t prev = now_ns(), first = prev, back = 0;

    for (unsigned int i = 0; i < 20000; i++) {
        uint64_t n = now_ns();

        if (n < prev && prev - n > back)
            back = prev - n;
        prev = n;
    }
    check_eq("system time never goes back on one vCPU", (long)back, 0);
    check(prev > first, "system time advances", "stuck at %lu", (unsigned long)first);
}

static void timer_agrees(void)
{
    long port;
    uint64_t deadline;
    unsigned long before;

    /* Stop Xen's default periodic timer first and drop a tick that may
     * already be pending, so the next event is the single-shot's. */
    timer_stop_periodic();
    port = evtchn_bind_virq(VIRQ_TIMER, 0, on_timer, NULL);
    check(port > 0, "bind VIRQ_TIMER", "rc %ld", port);
    udelay_ns(MS);
    evtchn_clear((evtchn_port_t)port);
    before = timer_hits;
    evtchn_unmask((evtchn_port_t)port);
    local_irq_enable();
    deadline = now_ns() + 20 * MS;
    timer_set_singleshot(deadline, 0);
    while (timer_hits == before && now_ns() < deadline + 1000 * MS)
        evtchn_poll((evtchn_port_t)port, deadline + 1000 * MS);
    check(timer_hits != before, "the single-shot timer fires", "no event within 1 s");
    check(now_ns() >= deadline, "system time has reached the timer deadline when it fires",
          "%lu ns short", (unsigned long)(deadline - now_ns()));
    local_irq_disable();
    evtchn_close((evtchn_port_t)port);
}

static void wallclock(void)
{
    uint64_t sec, sec2;
    uint32_t nsec, nsec2, ver;

    wallclock_read(&sec, &nsec, &ver);
    info("wall clock at system time 0: %lu.%09u (version %u)", (unsigned long)sec, nsec, ver);
    check(!(ver & 1), "wc_version is even when read", "version %u", ver);
    check(nsec < 1000000000u, "wc_nsec below 1e9", "%u", nsec);
    check(sec >= 1577836800UL, "wall clock after 2020-01-01", "%lu", (unsigned long)sec);
    check(sec < 4102444800UL, "wall clock before 2100-01-01", "%lu", (unsigned long)sec);
    check_eq("wc_sec_hi is 0 (before 2106)", shared_info->wc_sec_hi, 0);
    udelay_ns(5 * MS);
    wallclock_read(&sec2, &nsec2, NULL);
    check(sec2 == sec && nsec2 == nsec, "wall clock base is stable over 5 ms",
          "%lu.%09u -> %lu.%09u", (unsigned long)sec, nsec, (unsigned long)sec2, nsec2);
}

/*
 * Across vCPUs: ping-pong a token. Each side stamps its own clock after
 * seeing the other's stamp; a stamp must never be older than the one it
 * answers.
 */
#define ROUNDS 2000
static volatile uint64_t stamp;
static volatile unsigned long turn;       /* odd: vCPU 1's turn */
static volatile uint64_t max_back_seen_by_1;
static volatile bool cpu1_done;

static void cpu1_main(unsigned int cpu)
{
    uint64_t back = 0;

    for (unsigned long r = 1; r < 2 * ROUNDS; r += 2) {
        uint64_t s, n;

        while (READ_ONCE(turn) != r)
            cpu_relax();
        s = READ_ONCE(stamp);
        n = now_ns();
        if (n < s && s - n > back)
            back = s - n;
        WRITE_ONCE(stamp, n);
        __atomic_store_n(&turn, r + 1, __ATOMIC_SEQ_CST);
    }
    max_back_seen_by_1 = back;
    WRITE_ONCE(cpu1_done, true);
}

static void across_vcpus(void)
{
    struct vcpu_time_info t0, t1;
    uint64_t back = 0, start;
    long rc;

    rc = smp_start_cpu(1, cpu1_main);
    check_eq("start vCPU 1", rc, 0);
    if (rc)
        return;
    for (unsigned long r = 0; r < 2 * ROUNDS; r += 2) {
        uint64_t s, n;

        while (READ_ONCE(turn) != r)
            cpu_relax();
        s = READ_ONCE(stamp);
        n = now_ns();
        if (r && n < s && s - n > back)
            back = s - n;
        WRITE_ONCE(stamp, n);
        __atomic_store_n(&turn, r + 1, __ATOMIC_SEQ_CST);
    }
    start = now_ns();
    while (!READ_ONCE(cpu1_done) && now_ns() - start < 2000 * MS)
        cpu_relax();
    check(cpu1_done, "vCPU 1 finished the ping-pong", "timed out");
    info("largest backward step: vCPU 0 %lu ns, vCPU 1 %lu ns", (unsigned long)back,
         (unsigned long)max_back_seen_by_1);
    /*
     * Xen keeps per-pCPU time calibrations and does not set
     * XEN_PVCLOCK_TSC_STABLE_BIT under QEMU: each pCPU's scale is
     * recalibrated separately (tsc_to_system_mul differs between vCPUs)
     * and two vCPUs may disagree by up to several milliseconds under a loaded TCG.
     * Guests make time globally monotonic themselves. What must hold is
     * one epoch for all vCPUs: the skew stays small.
     */
    check(back < 50 * MS, "backward step seen by vCPU 0 below 50 ms", "%lu ns", (unsigned long)back);
    check(max_back_seen_by_1 < 50 * MS, "backward step seen by vCPU 1 below 50 ms", "%lu ns",
          (unsigned long)max_back_seen_by_1);

    t0 = shared_info->vcpu_info[0].time;
    t1 = shared_info->vcpu_info[1].time;
    info("vCPU 0 mul %u shift %d, vCPU 1 mul %u shift %d", t0.tsc_to_system_mul, t0.tsc_shift,
         t1.tsc_to_system_mul, t1.tsc_shift);
    check(t1.version && t1.tsc_to_system_mul, "vCPU 1 has its own valid time info",
          "version %u mul %u", t1.version, t1.tsc_to_system_mul);
}

void test_main(void)
{
    sanity();
    monotonic_local();
    timer_agrees();
    wallclock();
    across_vcpus();
}
