/*
 * mmu-review2: attacks from the second security review of the PV memory
 * side (memory_op reservations, update_va_mapping), one section per
 * finding or refuted suspicion. Each check states Xen 4.17's answer.
 *
 * Sections:
 *  - update_va_mapping when the update fails and a flush is asked for:
 *    Xen 4.17 skips the flush (XSA-279), so the update's error stands
 *    whatever vCPU mask is given; only after a successful update does the
 *    mask's conversion answer (-EFAULT if unreadable). Pavise flushed
 *    anyway and let the conversion's 0 replace the error.
 *  - the shared_info frame given back with decrease_reservation: Xen
 *    takes the allocation reference (the call answers 1) but the page is
 *    hypervisor heap, never freed while the domain exists; the hypervisor
 *    keeps writing to it. It must not come back as anybody's memory.
 *    (Runs last: the guest has no shared_info afterwards.)
 *  - the same with the grant table's shared frame (GNTTABOP_setup_table).
 */
#include "../lib/mmu.h"
#include <pvabi/grant_table.h>

const char test_title[] = "mmu-review2: second review of the PV memory side";

/* ---------------------------------------------------- update_va_mapping rc */

static void uvm_rc_with_mask(void)
{
    /* 4-byte aligned: the flush type lives in the low two bits. */
    static unsigned long vcpus __attribute__((aligned(8))) = 1;
    /* An address with no L1 behind it: the update itself fails. */
    const unsigned long no_l1 = 0x10000000UL;
    const uint64_t val = mk_pte(mfn_of(page_alloc()), PTE_RW);

    check_rc("uvm: a failed update with UVMF_LOCAL is -EINVAL",
             HYPERVISOR_update_va_mapping(no_l1, val, UVMF_INVLPG | UVMF_LOCAL), -XEN_EINVAL);
    check_rc("uvm: a failed update with UVMF_ALL is -EINVAL",
             HYPERVISOR_update_va_mapping(no_l1, val, UVMF_TLB_FLUSH | UVMF_ALL), -XEN_EINVAL);
    check_rc("uvm: a failed update with no flush is -EINVAL",
             HYPERVISOR_update_va_mapping(no_l1, val, UVMF_NONE | (unsigned long)&vcpus),
             -XEN_EINVAL);
    /* Xen skips the flush when the update failed (XSA-279): the mask is
     * never read, and the update's error is the answer. */
    check_rc("uvm: a failed update with an INVLPG vCPU mask is still -EINVAL",
             HYPERVISOR_update_va_mapping(no_l1, val, UVMF_INVLPG | (unsigned long)&vcpus),
             -XEN_EINVAL);
    check_rc("uvm: a failed update with a TLB_FLUSH vCPU mask is still -EINVAL",
             HYPERVISOR_update_va_mapping(no_l1, val, UVMF_TLB_FLUSH | (unsigned long)&vcpus),
             -XEN_EINVAL);
    check_rc("uvm: a failed update with an unreadable vCPU mask is -EINVAL",
             HYPERVISOR_update_va_mapping(no_l1, val, UVMF_INVLPG | 0xffff800000001000UL),
             -XEN_EINVAL);

    /* After an update that succeeds (a pool page mapped again with the
     * same entry) the mask conversion's result is the answer. */
    void *p = page_alloc();
    check_rc("uvm: a good update with an INVLPG vCPU mask",
             HYPERVISOR_update_va_mapping((unsigned long)p, mk_pte(mfn_of(p), PTE_RW),
                                          UVMF_INVLPG | (unsigned long)&vcpus), 0);
    check_rc("uvm: a good update with an unreadable vCPU mask is -EFAULT",
             HYPERVISOR_update_va_mapping((unsigned long)p, mk_pte(mfn_of(p), PTE_RW),
                                          UVMF_INVLPG | 0xffff800000001000UL), -XEN_EFAULT);
    check_rc("uvm: a good update with an unreadable TLB_FLUSH vCPU mask is -EFAULT",
             HYPERVISOR_update_va_mapping((unsigned long)p, mk_pte(mfn_of(p), PTE_RW),
                                          UVMF_TLB_FLUSH | 0xffff800000001000UL), -XEN_EFAULT);
}

/* ---------------------------------------------------- shared_info give-back */

static long resv_op(unsigned int cmd, xen_pfn_t *list, unsigned long n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(cmd, &r);
}

#define PROBE_FRAMES 512
static xen_pfn_t probe[PROBE_FRAMES];

/* Get PROBE_FRAMES new frames and give them back: how many were `mfn`. */
static long probe_for(const char *what, unsigned long mfn)
{
    long got = resv_op(XENMEM_increase_reservation, probe, PROBE_FRAMES);
    long hits = 0;

    check_rcf(got, PROBE_FRAMES, "%s: increase_reservation of 512 frames", what);
    for (long i = 0; i < got; i++)
        if (probe[i] == mfn)
            hits++;
    if (got > 0)
        check_rcf(resv_op(XENMEM_decrease_reservation, probe, (unsigned long)got), got,
                  "%s: the probe frames given back again", what);
    return hits;
}

/* ---------------------------------------------------- grant frame give-back */

/*
 * The grant table's shared frame is hypervisor heap too, given to the
 * domain for mapping: giving it back is accepted (1) and it must stay
 * the grant table's. It is never mapped here, so on Pavise the release
 * itself dropped the last reference and freed the page under the table.
 */
static void grant_frame_give_back(void)
{
    xen_pfn_t frame = 0;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };

    set_xen_guest_handle(st.frame_list, &frame);
    check_rc("gntframe: setup_table of one frame",
             HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    check_rc("gntframe: setup_table status", st.status, GNTST_okay);
    xen_pfn_t list[1] = { frame };
    check_rc("gntframe: decrease_reservation of the grant table's frame",
             resv_op(XENMEM_decrease_reservation, list, 1), 1);
    check_eqf(probe_for("gntframe", frame), 0,
              "gntframe: no new frame is the grant table's frame");
    /* The table still answers from its frame. */
    xen_pfn_t again = 0;
    set_xen_guest_handle(st.frame_list, &again);
    check_rc("gntframe: setup_table again",
             HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1), 0);
    check(again == frame, "gntframe: the table keeps its frame", "%#lx, was %#lx", again, frame);
}

static void shared_info_give_back(void)
{
    unsigned long shinfo = start_info->shared_info >> PAGE_SHIFT;
    void *copy = page_alloc();
    xen_pfn_t list[1] = { shinfo };

    /* The library keeps reading shared_info (event masks, vcpu_info):
     * from here on it reads a private copy mapped at the same address. */
    memcpy(copy, (void *)shared_info, PAGE_SIZE);
    check_rc("shinfo: decrease_reservation of the shared_info frame",
             resv_op(XENMEM_decrease_reservation, list, 1), 1);
    check_rc("shinfo: shared_info's address remapped to a private copy",
             HYPERVISOR_update_va_mapping((unsigned long)shared_info, mk_pte(mfn_of(copy), PTE_RW),
                                          UVMF_INVLPG | UVMF_LOCAL), 0);

    /* Fresh memory: none of it may be the frame the hypervisor still
     * writes event and time data into. */
    check_eqf(probe_for("shinfo", shinfo), 0, "shinfo: no new frame is the old shared_info frame");
}

/* ---------------------------------------------------- pinning a dying domain's frame */

/*
 * Pavise only (review2-dying.test: dom0 with 2 vCPUs and a domU): dom0
 * pins, again and again, a frame of a domU that it shuts down meanwhile.
 * Xen 4.17 drops a foreign pin that lands after the owner began dying
 * (do_mmuext_op's is_dying check): its teardown has released the pins it
 * found, and would never see this one. Pavise kept it: the frame, and the
 * domain, were never freed. A read-only mapping keeps the frame alive
 * across the teardown, so a late pin always finds it.
 */
static domid_t victim = 1;
static unsigned long victim_mfn;
static volatile bool pinner_done;
static unsigned long pins_ok, pins_busy;
static long pin_first, pin_last;

static void pinner(unsigned int cpu)
{
    struct sched_remote_shutdown rs = { .domain_id = victim, .reason = SHUTDOWN_poweroff };
    uint64_t give_up = now_ns() + 20000000000UL;
    long rc;

    (void)cpu;
    /* Pinned before the shutdown is asked for, then again and again until
     * the domain is gone: 0 (pinned), or -EINVAL while our pin is still
     * there; never unpinned. */
    pin_first = mmuext1(MMUEXT_PIN_L1_TABLE, victim_mfn, 0, victim);
    rc = HYPERVISOR_sched_op(SCHEDOP_remote_shutdown, &rs);
    if (rc)
        info("remote_shutdown: %ld", rc);
    do {
        rc = mmuext1(MMUEXT_PIN_L1_TABLE, victim_mfn, 0, victim);
        if (rc == 0)
            pins_ok++;
        else if (rc == -XEN_EINVAL)
            pins_busy++;
    } while ((rc == 0 || rc == -XEN_EINVAL) && now_ns() < give_up);
    pin_last = rc;
    pinner_done = true;
}

static void pin_dying(void)
{
    char buf[8];

    if (cmdline_option("victim", buf, sizeof(buf)))
        victim = (domid_t)buf[0] - '0';
    /* A frame of the victim that validates as an L1 (a zero page). */
    for (unsigned long mfn = 0x100; mfn < max_ram_mfn && !victim_mfn; mfn++)
        if (mmuext1(MMUEXT_PIN_L1_TABLE, mfn, 0, victim) == 0) {
            victim_mfn = mfn;
            check_rc("dying: unpin the victim's frame found", mmuext1(MMUEXT_UNPIN_TABLE, mfn, 0, victim), 0);
        }
    if (!victim_mfn)
        test_error("no frame of d%u validates as an L1", victim);
    window_create();
    check_rc("dying: map the victim's frame read-only",
             mmu_update1(l1e_maddr((unsigned long)window_va(0)), mk_pte(victim_mfn, PTE_RO), victim),
             0);

    int port = (int)evtchn_bind_ipi(0, NULL, NULL);
    if (port < 0)
        test_error("bind_ipi: %d", port);
    check_rc("dying: second vCPU started", smp_start_cpu(1, pinner), 0);
    /* Blocked, so that CPU 0 idles and reaps the victim. */
    while (!pinner_done)
        evtchn_poll((evtchn_port_t)port, now_ns() + 1000000);
    info("pins: %lu ok, %lu already pinned, then %ld", pins_ok, pins_busy, pin_last);
    check_rc("dying: pinning ends when the victim is gone", pin_last, -XEN_ESRCH);
    check_rc("dying: the victim's frame pinned before its shutdown", pin_first, 0);
    /* Our mapping goes; with no pin left behind the frame, and then the
     * victim, are freed (the hypervisor says so: "d1 (...) destroyed"). */
    check_rc("dying: unmap the victim's frame", window_unmap(0), 0);
}

static void idle_forever(void)
{
    int port = (int)evtchn_bind_ipi(0, NULL, NULL);

    info("idle until shut down");
    for (;;)
        evtchn_poll((evtchn_port_t)(port < 0 ? 1 : port), now_ns() + 1000000000UL);
}

void test_main(void)
{
    char role[16];

    mmu_init();
    if (cmdline_option("role", role, sizeof(role))) {
        if (!strcmp(role, "idle"))
            idle_forever();
        else if (!strcmp(role, "pin-dying"))
            pin_dying();
        else
            test_error("unknown role '%s'", role);
        return;
    }
    uvm_rc_with_mask();
    grant_frame_give_back();
    shared_info_give_back();
}
