/*
 * smp-ipi: secondary vCPU life cycle and IPIs. VCPUOP_is_up for present
 * and absent vCPUs, VCPUOP_up before VCPUOP_initialise, initialise/up,
 * IPIs over bind_ipi ports in both directions (each handled on the vCPU
 * the port is bound to), runstate of a down vCPU, VCPUOP_down and a
 * second VCPUOP_up. Run with two vCPUs.
 */
#include <pvguest/test.h>

const char test_title[] = "smp-ipi: VCPUOP_initialise/up/down/is_up, IPIs both ways";

#define MS 1000000ULL

static volatile unsigned long hits[NR_CPUS];
static volatile unsigned int handled_on[NR_CPUS];
static volatile evtchn_port_t ipi_port[NR_CPUS];
static volatile unsigned long cpu1_state;       /* see cpu1_main */
static volatile unsigned long cpu1_cmd;
static volatile uint8_t cpu1_mask_at_entry = 0xff;

static void on_ipi(evtchn_port_t port, void *data)
{
    unsigned int target = (unsigned int)(unsigned long)data;

    hits[target]++;
    handled_on[target] = smp_processor_id();
}

static bool wait_until(volatile unsigned long *v, unsigned long want, uint64_t limit_ns)
{
    uint64_t end = now_ns() + limit_ns;

    while (READ_ONCE(*v) != want && now_ns() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    return READ_ONCE(*v) == want;
}

/*
 * vCPU 1: report in, bind its IPI port, then serve commands until told to
 * stop: 1 = send an IPI to vCPU 0, 2 = stop (return, so the library downs
 * the vCPU).
 */
static void cpu1_main(unsigned int cpu)
{
    long rc;

    cpu1_mask_at_entry = this_vcpu_info()->evtchn_upcall_mask;
    rc = evtchn_bind_ipi(cpu, on_ipi, (void *)1UL);
    if (rc <= 0)
        test_error("vCPU 1: bind_ipi: %ld", rc);
    ipi_port[1] = (evtchn_port_t)rc;
    evtchn_unmask((evtchn_port_t)rc);
    local_irq_enable();
    WRITE_ONCE(cpu1_state, 1);
    for (;;) {
        unsigned long cmd = __atomic_exchange_n(&cpu1_cmd, 0, __ATOMIC_SEQ_CST);

        if (cmd == 1)
            evtchn_send(ipi_port[0]);
        else if (cmd == 2)
            break;
        else
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    WRITE_ONCE(cpu1_state, 2);
}

static long is_up(unsigned int cpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, cpu, NULL);
}

void test_main(void)
{
    struct vcpu_guest_context *ctx;
    static struct vcpu_guest_context ctx_store;
    struct vcpu_runstate_info rs;
    unsigned long before;
    long rc;

    check_eq("is_up(0) is 1", is_up(0), 1);
    check_eq("is_up(1) before start is 0", is_up(1), 0);
    check_eq("is_up(2) (no such vCPU) is -ENOENT", is_up(2), -XEN_ENOENT);
    check_eq("is_up(8191) is -ENOENT", is_up(8191), -XEN_ENOENT);
    check_eq("up(1) before initialise is -EINVAL", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL);
    check_eq("up(2) (no such vCPU) is -ENOENT", HYPERVISOR_vcpu_op(VCPUOP_up, 2, NULL), -XEN_ENOENT);
    rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs);
    check_eq("runstate of vCPU 1 before start returns 0", rc, 0);
    check_eq("vCPU 1 before start is offline", rs.state, RUNSTATE_offline);
    rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &rs);
    check_eq("runstate of vCPU 0 is running", rs.state, RUNSTATE_running);

    /* vCPU 0's IPI port. */
    rc = evtchn_bind_ipi(0, on_ipi, (void *)0UL);
    check(rc > 0, "bind_ipi for vCPU 0", "rc %ld", rc);
    ipi_port[0] = (evtchn_port_t)rc;
    evtchn_unmask(ipi_port[0]);
    local_irq_enable();

    /* A context for vCPU 2, which does not exist. */
    ctx = &ctx_store;
    smp_fill_context(ctx, 1, cpu1_main);
    check_eq("initialise(2) (no such vCPU) is -ENOENT",
             HYPERVISOR_vcpu_op(VCPUOP_initialise, 2, ctx), -XEN_ENOENT);

    rc = smp_start_cpu(1, cpu1_main);
    check_eq("initialise + up vCPU 1", rc, 0);
    check(wait_until(&cpu1_state, 1, 2000 * MS), "vCPU 1 runs its entry point", "state %lu", cpu1_state);
    check_eq("is_up(1) after up is 1", is_up(1), 1);
    check_eq("vCPU 1 starts with events masked", cpu1_mask_at_entry, 1);
    check_eq("initialise(1) again is -EEXIST",
             HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, ctx), -XEN_EEXIST);
    check_eq("up(1) while up returns 0", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);

    /* vCPU 0 -> vCPU 1. */
    before = hits[1];
    check_eq("send IPI to vCPU 1", evtchn_send(ipi_port[1]), 0);
    check(wait_until((volatile unsigned long *)&hits[1], before + 1, 2000 * MS),
          "IPI 0 -> 1 delivered", "hits %lu", hits[1] - before);
    check_eq("IPI 0 -> 1 handled on vCPU 1", handled_on[1], 1);

    /* vCPU 1 -> vCPU 0. */
    before = hits[0];
    WRITE_ONCE(cpu1_cmd, 1);
    check(wait_until((volatile unsigned long *)&hits[0], before + 1, 2000 * MS),
          "IPI 1 -> 0 delivered", "hits %lu", hits[0] - before);
    check_eq("IPI 1 -> 0 handled on vCPU 0", handled_on[0], 0);

    /* Many in a row: every send is delivered (ports are edge-coalesced,
     * so wait for each before the next). */
    before = hits[1];
    for (unsigned int i = 0; i < 50; i++) {
        evtchn_send(ipi_port[1]);
        wait_until((volatile unsigned long *)&hits[1], before + i + 1, 1000 * MS);
    }
    check_eq("50 IPIs 0 -> 1 all delivered", hits[1] - before, 50);

    /* Down from another vCPU, then up again: it resumes where it was. */
    check_eq("down(1) from vCPU 0 returns 0", HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL), 0);
    {
        uint64_t end = now_ns() + 1000 * MS;

        while (is_up(1) != 0 && now_ns() < end)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    check_eq("is_up(1) after down is 0", is_up(1), 0);
    udelay_ns(5 * MS);
    rc = HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 1, &rs);
    check_eq("runstate of a down vCPU is offline", rs.state, RUNSTATE_offline);
    before = hits[1];
    evtchn_send(ipi_port[1]);
    udelay_ns(20 * MS);
    check_eq("an IPI to a down vCPU is not handled", hits[1] - before, 0);
    check(evtchn_is_pending(ipi_port[1]), "the IPI stays pending while the vCPU is down", "not pending");
    check_eq("up(1) again returns 0", HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL), 0);
    check(wait_until((volatile unsigned long *)&hits[1], before + 1, 2000 * MS),
          "the pending IPI is handled once vCPU 1 is up again", "hits %lu", hits[1] - before);
    check_eq("is_up(1) after the second up is 1", is_up(1), 1);

    /* Let vCPU 1 return: the library downs it from itself. */
    WRITE_ONCE(cpu1_cmd, 2);
    check(wait_until(&cpu1_state, 2, 2000 * MS), "vCPU 1 finishes", "state %lu", cpu1_state);
    {
        uint64_t end = now_ns() + 1000 * MS;

        while (is_up(1) != 0 && now_ns() < end)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    check_eq("vCPU 1 downed itself", is_up(1), 0);
    local_irq_disable();
}
