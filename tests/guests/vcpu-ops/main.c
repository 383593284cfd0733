/*
 * vcpu-ops: the per-vCPU areas a PV kernel moves out of shared_info and
 * the calls around them: VCPUOP_register_vcpu_info (placement rules,
 * contents carried over, everything marked pending, events and time then
 * served through the new place), VCPUOP_register_runstate_memory_area and
 * VCPUOP_get_runstate_info, VCPUOP_send_nmi's argument rule, and
 * SCHEDOP_remote_shutdown's errors. Every expectation is Xen 4.17's.
 */
#include <pvguest/test.h>
#include <pvguest/events.h>
#include <pvguest/smp.h>
#include <pvguest/time.h>

const char test_title[] = "vcpu-ops: vcpu_info placement, runstate area, send_nmi, remote_shutdown";

static uint8_t info_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static struct vcpu_runstate_info runstate_area;
static volatile unsigned long ipi_hits;

static void on_ipi(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    ipi_hits++;
}

static long register_info(unsigned int vcpu, unsigned long mfn, unsigned int offset)
{
    struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };
    return HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, vcpu, &r);
}

static void vcpu_info_placement(void)
{
    unsigned long mfn = virt_to_mfn(info_page);
    struct vcpu_info *old = this_vcpu_info();
    const unsigned int off = 128;

    check_eq("register_vcpu_info past the page end is -ENXIO",
             register_info(0, mfn, PAGE_SIZE - sizeof(struct vcpu_info) + 8), -XEN_ENXIO);
    check_eq("register_vcpu_info misaligned is -ENXIO", register_info(0, mfn, 4), -XEN_ENXIO);
    check_eq("register_vcpu_info of a frame not ours is -EINVAL",
             register_info(0, 0x7fffffffUL, 0), -XEN_EINVAL);
    check_eq("register_vcpu_info for a vCPU that does not exist is -ENOENT",
             register_info(5, mfn, 0), -XEN_ENOENT);
    check_eq("register_vcpu_info with an unmapped argument is -EFAULT",
             HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, (void *)0x1000), -XEN_EFAULT);

    /* Events off while the area moves; the mask is carried over. */
    local_irq_disable();
    memset(info_page, 0xee, sizeof(info_page));
    uint8_t old_mask = old->evtchn_upcall_mask;
    check_eq("register_vcpu_info returns 0", register_info(0, mfn, off), 0);
    struct vcpu_info *ni = (struct vcpu_info *)(info_page + off);
    this_cpu()->vcpu_info = ni;
    check_equ("the new vcpu_info carries the upcall mask", ni->evtchn_upcall_mask, old_mask);
    check_equ("everything is marked pending (pending_sel all ones)", ni->evtchn_pending_sel, ~0UL);
    check_equ("upcall pending is set", ni->evtchn_upcall_pending, 1);
    check_equ("bytes before the area untouched", info_page[off - 1], 0xee);
    check_equ("bytes after the area untouched", info_page[off + sizeof(*ni)], 0xee);
    check_eq("register_vcpu_info a second time is -EINVAL", register_info(0, mfn, 0), -XEN_EINVAL);

    /* Time is now published there. */
    uint32_t v0 = ni->time.version;
    uint64_t t0 = ni->time.system_time;
    for (unsigned int i = 0; i < 20; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    udelay_ns(20 * 1000 * 1000);
    HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    check(ni->time.system_time != 0 && ni->time.tsc_to_system_mul != 0,
          "vcpu time info is published in the new area", "system_time %lu mul %u",
          (unsigned long)ni->time.system_time, ni->time.tsc_to_system_mul);
    check(!(ni->time.version & 1), "vcpu time version even (not mid-update)", "%u", ni->time.version);
    info("time version %u -> %u, system_time %lu -> %lu", v0, ni->time.version,
         (unsigned long)t0, (unsigned long)ni->time.system_time);

    /* Events are delivered through the new area. */
    ni->evtchn_pending_sel = 0;
    ni->evtchn_upcall_pending = 0;
    long port = evtchn_bind_ipi(0, on_ipi, NULL);
    check(port > 0, "bind an IPI port", "rc %ld", port);
    if (port > 0) {
        evtchn_unmask((evtchn_port_t)port);
        local_irq_enable();
        unsigned long before = ipi_hits;
        evtchn_send((evtchn_port_t)port);
        for (unsigned int i = 0; i < 1000 && ipi_hits == before; i++)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        check_eq("an IPI is delivered through the new vcpu_info", ipi_hits - before, 1);
        local_irq_disable();
        evtchn_close((evtchn_port_t)port);
    }
    local_irq_enable();
}

static void runstate(void)
{
    struct vcpu_register_runstate_memory_area a;
    struct vcpu_runstate_info r;

    a.addr.v = (struct vcpu_runstate_info *)0xffff830000000000UL;
    check_eq("runstate area in the hypervisor's range is -EFAULT",
             HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), -XEN_EFAULT);
    check_eq("runstate area with an unmapped argument is -EFAULT",
             HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, (void *)0x1000), -XEN_EFAULT);

    memset(&runstate_area, 0xff, sizeof(runstate_area));
    a.addr.v = &runstate_area;
    check_eq("register_runstate_memory_area returns 0",
             HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
    check_eq("the area is filled at once: running", runstate_area.state, RUNSTATE_running);
    uint64_t run0 = runstate_area.time[RUNSTATE_running];
    udelay_ns(5 * 1000 * 1000);
    for (unsigned int i = 0; i < 5; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    check_eq("after running: still running", runstate_area.state, RUNSTATE_running);
    check(runstate_area.time[RUNSTATE_running] >= run0, "running time does not go back",
          "%lu -> %lu", (unsigned long)run0, (unsigned long)runstate_area.time[RUNSTATE_running]);

    check_eq("get_runstate_info returns 0", HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r), 0);
    check_eq("get_runstate_info: running", r.state, RUNSTATE_running);
    check(r.time[RUNSTATE_running] > 0, "get_runstate_info: running time accrued", "%lu",
          (unsigned long)r.time[RUNSTATE_running]);
    check_eq("get_runstate_info of a vCPU that does not exist is -ENOENT",
             HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 5, &r), -XEN_ENOENT);

    /* A NULL area stops the updates. */
    a.addr.v = NULL;
    check_eq("register_runstate_memory_area NULL returns 0",
             HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &a), 0);
    runstate_area.state = 77;
    for (unsigned int i = 0; i < 5; i++)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    check_eq("after unregistering, the area is left alone", runstate_area.state, 77);
}

void test_main(void)
{
    vcpu_info_placement();
    runstate();

    check_eq("send_nmi with an argument is -EINVAL",
             HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 0, (void *)0x1000), -XEN_EINVAL);

    struct sched_remote_shutdown rs = { .domain_id = 7, .reason = SHUTDOWN_poweroff };
    check_eq("remote_shutdown of a domain that does not exist is -ESRCH",
             HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_ESRCH);
    check_eq("remote_shutdown with an unmapped argument is -EFAULT",
             HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, (void *)0x1000), -XEN_EFAULT);
}
