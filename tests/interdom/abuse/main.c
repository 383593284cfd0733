/*
 * abuse: an unprivileged boot-time domain abusing hypervisor services
 * that only it can reach (Pavise only: Xen x86 has no boot-time domUs and
 * serves a domU's console ring from dom0's xenconsoled, not itself).
 *
 *   case=console-flood  claim more output in the console ring than it
 *                       holds, again and again, kicking the back end each
 *                       time: the hypervisor resets the indexes but must
 *                       not print a warning per kick (a domU could bury
 *                       the serial console and keep every CPU waiting on
 *                       the console lock). abuse.test counts the lines.
 *
 *   case=populate-dying  (dom0) keeps asking for memory for domains 1-7
 *                        (XENMEM_increase_reservation) while they
 *   case=dying n=N       (d1-d7) shut down one by one and are torn down.
 *                        Pages given to a dying domain after its memory
 *                        was released would never be freed (Xen refuses
 *                        them: its assign_pages() checks is_dying);
 *                        abuse.test requires every frame back at the end.
 *
 * A second domain (case=bystander) checks that it is still served.
 */
#include "../lib/idom.h"
#include <pvabi/io/console.h>
#include <pvabi/memory.h>

const char test_title[] = "interdom abuse: an unprivileged domain abusing hypervisor services";

#define FLOOD_KICKS 2000u

/* Our console ring, found again the way the library found it. */
static struct xencons_interface *console_ring(void)
{
    unsigned long mfn = start_info->console.domU.mfn;

    return (void *)(GUEST_VIRT_BASE + (mfn_to_pfn(mfn) << PAGE_SHIFT));
}

static void console_flood(void)
{
    struct xencons_interface *r = console_ring();
    evtchn_port_t port = start_info->console.domU.evtchn;
    unsigned int reset = 0;
    long rc = 0;

    for (unsigned int i = 0; i < FLOOD_KICKS && !rc; i++) {
        XENCONS_RING_IDX cons = READ_ONCE(r->out_cons);
        /* More than the ring holds: the back end must not believe it. */
        WRITE_ONCE(r->out_prod, cons + 0x10000u);
        wmb();
        rc = evtchn_send(port);
        /* The hypervisor drains synchronously: the indexes agree again. */
        if (READ_ONCE(r->out_cons) == READ_ONCE(r->out_prod))
            reset++;
    }
    check_eq("flood: every kick with corrupt indexes is accepted", rc, 0);
    check_equ("flood: the back end reset the indexes each time", reset, FLOOD_KICKS);
    /* And the ring still works: this line goes through it. */
    info("flood: %u kicks done", FLOOD_KICKS);
}

/* dom0: ask for pages for d1..d4 in turn for a while, before, during and
 * after their teardowns (one every 300 ms), from both vCPUs (teardowns run
 * on CPU 0; vCPU 1 lives on CPU 1, so it keeps asking meanwhile). While a
 * domain lives it is at its limit (nothing is given); while its memory is
 * released there is room. Each teardown is one chance for the race. */
#define DYING_DOMAINS 7

static volatile unsigned long pop_calls, pop_given, pop_done;

static void populate_loop(unsigned int cpu)
{
    uint64_t end = now_ns() + 3500 * MS;
    unsigned long calls = 0, given = 0;

    (void)cpu;
    while (now_ns() < end) {
        struct xen_memory_reservation r = {
            .nr_extents = 256, .extent_order = 0,
            .domid = (domid_t)(1 + calls % DYING_DOMAINS),
        };
        long rc = HYPERVISOR_memory_op(XENMEM_increase_reservation, &r);
        calls++;
        if (rc > 0)
            given += (unsigned long)rc;
    }
    __atomic_fetch_add(&pop_calls, calls, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&pop_given, given, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&pop_done, 1, __ATOMIC_SEQ_CST);
}

static void populate_secondary(unsigned int cpu)
{
    populate_loop(cpu);
    for (;;)
        HYPERVISOR_vcpu_op(VCPUOP_down, cpu, NULL);
}

static void populate_dying(void)
{
    unsigned long want = 1;

    if (smp_start_cpu(1, populate_secondary) == 0)
        want = 2;
    populate_loop(0);
    while (__atomic_load_n(&pop_done, __ATOMIC_SEQ_CST) < want)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    info("populate: %lu vCPU(s), %lu calls, %lu frames given to d1-d7", want, pop_calls,
         pop_given);
    check(pop_calls > 0, "populate: asked for d1-d7's memory throughout their teardowns",
          "no call");
}

static void dying(void)
{
    /* Live long enough for dom0 to be asking already; one teardown at a
     * time. Sleeping (blocked in SCHEDOP_poll), so that dom0's vCPUs have
     * both CPUs. */
    idom_init();
    idom_sleep(300 * MS * (uint64_t)opt_ulong("n", 1));
    check(true, "dying: shuts down while dom0 asks for memory for it", "never");
}

void test_main(void)
{
    char c[16];

    opt_str("case", c, sizeof(c), "");
    if (!strcmp(c, "console-flood"))
        console_flood();
    else if (!strcmp(c, "populate-dying"))
        populate_dying();
    else if (!strcmp(c, "dying"))
        dying();
    else if (!strcmp(c, "bystander"))
        check(true, "bystander: still running", "never");
    else
        test_error("case=console-flood|populate-dying|dying|bystander expected, got '%s'", c);
}
