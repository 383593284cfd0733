/*
 * mmu-memop: the reservation side of HYPERVISOR_memory_op for a 64-bit PV
 * guest, as Xen 4.17 answers it: current/maximum reservation, giving
 * frames back (decrease_reservation), getting new ones
 * (increase_reservation, populate_physmap) with the MFNs and M2P entries
 * a PV guest sees, XENMEM_exchange, and what happens with bad arguments:
 * the reservation calls report how many extents they did, not errors.
 *
 * The frames used are the guest's own pages past the start-of-day region
 * (not mapped anywhere), so giving them back is safe.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-memop: reservations, populate_physmap, exchange, limits";

static const volatile unsigned long *const m2p = (const unsigned long *)MACH2PHYS_VIRT_START;

static long memop(unsigned int cmd, void *arg)
{
    return HYPERVISOR_memory_op(cmd, arg);
}

static long reservation(unsigned int cmd, domid_t dom)
{
    return memop(cmd, &dom);
}

static long resv_op(unsigned int cmd, xen_pfn_t *list, unsigned long n, unsigned int order,
                    domid_t dom)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = order, .domid = dom,
    };

    set_xen_guest_handle(r.extent_start, list);
    return memop(cmd, &r);
}

/* Unmapped own frames near the end of the pseudo-physical space. */
static unsigned long spare_pfn(unsigned int i)
{
    return start_info->nr_pages - 1 - i;
}

static void queries(long *cur)
{
    long max, rc;
    struct xen_machphys_mapping map;

    *cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    max = reservation(XENMEM_maximum_reservation, DOMID_SELF);
    info("current reservation %ld, maximum %ld, nr_pages %lu", *cur, max, start_info->nr_pages);
    check(*cur >= (long)start_info->nr_pages, "current reservation covers nr_pages",
          "%ld < %lu", *cur, start_info->nr_pages);
    /* Xen builds dom0 with max_pages = UINT_MAX unless dom0_mem=max:
     * says otherwise: it may balloon up to any size. */
    check_rc("the hardware domain's maximum reservation is unlimited (UINT_MAX)", max,
             0xffffffffL);
    check_rc("current reservation naming itself by id", reservation(XENMEM_current_reservation, 0),
             *cur);
    check_rc("current reservation of a domain that does not exist",
             reservation(XENMEM_current_reservation, 77), -XEN_ESRCH);
    /* A PV guest's maximum gpfn is what it put in shared_info (the
     * builder leaves it 0). */
    rc = reservation(XENMEM_maximum_gpfn, DOMID_SELF);
    check_rc("maximum gpfn before the guest sets shared_info max_pfn", rc, 0);
    shared_info->arch.max_pfn = start_info->nr_pages;
    rc = reservation(XENMEM_maximum_gpfn, DOMID_SELF);
    check_rc("maximum gpfn follows shared_info max_pfn", rc, (long)start_info->nr_pages - 1);
    rc = memop(XENMEM_machphys_mapping, &map);
    check_rc("machphys_mapping", rc, 0);
    check_equ("machphys_mapping: v_start", map.v_start, MACH2PHYS_VIRT_START);
    /* XENMEM_maximum_ram_page is max_page, one past the last frame. */
    check_equ("machphys_mapping: max_mfn is the last RAM frame", map.max_mfn, max_ram_mfn - 1);
    check_rc("memory_op with an unknown command", memop(63, NULL), -XEN_ENOSYS);
}

static void decrease_increase(long cur)
{
    xen_pfn_t list[4];
    long rc;

    for (unsigned int i = 0; i < 4; i++)
        list[i] = pfn_to_mfn(spare_pfn(i));
    rc = resv_op(XENMEM_decrease_reservation, list, 4, 0, DOMID_SELF);
    check_rc("decrease_reservation of 4 unmapped frames", rc, 4);
    check_rc("current reservation went down by 4",
             reservation(XENMEM_current_reservation, DOMID_SELF), cur - 4);
    for (unsigned int i = 0; i < 4; i++)
        set_pfn_to_mfn(spare_pfn(i), ~0UL);
    check(!mfn_is_own(list[0]), "a released frame is no longer the guest's", "still own");
    rc = mmu_update1(((uint64_t)list[0] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0, DOMID_SELF);
    check_rc("MACHPHYS on a released frame", rc, -XEN_EINVAL);
    rc = resv_op(XENMEM_decrease_reservation, list, 1, 0, DOMID_SELF);
    check_rc("decrease_reservation of a frame already given back", rc, 0);

    xen_pfn_t got[4] = { 0 };
    rc = resv_op(XENMEM_increase_reservation, got, 4, 0, DOMID_SELF);
    check_rc("increase_reservation by 4 frames", rc, 4);
    check_rc("current reservation is back", reservation(XENMEM_current_reservation, DOMID_SELF),
             cur);
    bool all_mine = true;
    for (unsigned int i = 0; i < 4; i++) {
        long r = mmu_update1(((uint64_t)got[i] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE,
                             spare_pfn(i), DOMID_SELF);
        all_mine &= r == 0 && got[i] <= max_ram_mfn;
        set_pfn_to_mfn(spare_pfn(i), got[i]);
    }
    check(all_mine, "increase_reservation: the reported MFNs are the guest's", "not all");
    check(mfn_is_own(got[3]), "new frames wired into M2P and p2m", "not own");

    /* populate_physmap: the hypervisor writes the M2P entries itself. */
    for (unsigned int i = 0; i < 2; i++)
        list[i] = pfn_to_mfn(spare_pfn(i));
    check_rc("decrease 2 frames for populate", resv_op(XENMEM_decrease_reservation, list, 2, 0,
                                                        DOMID_SELF), 2);
    xen_pfn_t gp[2] = { spare_pfn(0), spare_pfn(1) };
    rc = resv_op(XENMEM_populate_physmap, gp, 2, 0, DOMID_SELF);
    check_rc("populate_physmap of 2 frames", rc, 2);
    check(m2p[gp[0]] == spare_pfn(0) && m2p[gp[1]] == spare_pfn(1),
          "populate_physmap: M2P maps the new MFNs to the given pfns", "%#lx %#lx",
          m2p[gp[0]], m2p[gp[1]]);
    set_pfn_to_mfn(spare_pfn(0), gp[0]);
    set_pfn_to_mfn(spare_pfn(1), gp[1]);

    /* Two pages in one extent. */
    xen_pfn_t big = 0;
    list[0] = pfn_to_mfn(spare_pfn(4));
    list[1] = pfn_to_mfn(spare_pfn(5));
    check_rc("decrease 2 frames for an order-1 extent",
             resv_op(XENMEM_decrease_reservation, list, 2, 0, DOMID_SELF), 2);
    rc = resv_op(XENMEM_increase_reservation, &big, 1, 1, DOMID_SELF);
    check_rc("increase_reservation by one order-1 extent", rc, 1);
    check_equ("order-1 extent is 2-frame aligned", big & 1, 0);
    set_pfn_to_mfn(spare_pfn(5), big);
    set_pfn_to_mfn(spare_pfn(4), big + 1);
    mmu_update1(((uint64_t)big << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, spare_pfn(5), DOMID_SELF);
    mmu_update1(((uint64_t)(big + 1) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, spare_pfn(4), DOMID_SELF);
    check(mfn_is_own(big) && mfn_is_own(big + 1), "order-1 extent: both frames are the guest's",
          "no");
    check_rc("current reservation after the order-1 round trip",
             reservation(XENMEM_current_reservation, DOMID_SELF), cur);
}

/* Bad arguments: the reservation calls answer "extents done", not errors. */
static void bad_arguments(long cur)
{
    xen_pfn_t list[3];
    long rc;

    list[0] = pfn_to_mfn(spare_pfn(6));
    list[1] = foreign_ram_mfn(0x200);
    list[2] = pfn_to_mfn(spare_pfn(7));
    rc = resv_op(XENMEM_decrease_reservation, list, 3, 0, DOMID_SELF);
    check_rc("decrease stops at a frame that is not the guest's", rc, 1);
    set_pfn_to_mfn(spare_pfn(6), ~0UL);
    check(mfn_is_own(list[2]), "decrease: the frame after the failure was kept", "given back");
    cur--;

    rc = memop(XENMEM_increase_reservation, (void *)0x1000);
    check_rc("increase_reservation with an unreadable argument", rc, 0);
    rc = resv_op(XENMEM_increase_reservation, list, 1, 0, 77);
    check_rc("increase_reservation for a domain that does not exist", rc, 0);
    rc = resv_op(XENMEM_increase_reservation, list, 1UL << 27, 0, DOMID_SELF);
    check_rc("nr_extents too large to encode a continuation", rc, 0);
    rc = resv_op(XENMEM_increase_reservation, (xen_pfn_t *)0xffff830000000000UL, 1, 0, DOMID_SELF);
    check_rc("increase_reservation with an extent list in hypervisor space", rc, 0);
    rc = resv_op(XENMEM_increase_reservation, list, 1, 20, DOMID_SELF);
    check_rc("increase_reservation of one 4 GiB extent", rc, 0);
    /* Orders no allocator has, up to ones a shift cannot hold. */
    static const unsigned int huge_orders[] = { 52, 63, 64, 65, 200, 0xffffffffu };
    for (unsigned int k = 0; k < ARRAY_SIZE(huge_orders); k++) {
        rc = resv_op(XENMEM_increase_reservation, list, 1, huge_orders[k], DOMID_SELF);
        check_rcf(rc, 0, "increase_reservation of one extent of order %u", huge_orders[k]);
    }
    rc = resv_op(XENMEM_decrease_reservation, list, 0, 0, DOMID_SELF);
    check_rc("decrease_reservation of 0 extents", rc, 0);
    check_rc("no frames changed hands", reservation(XENMEM_current_reservation, DOMID_SELF), cur);

    /* Start extent past the end (the continuation encoding in cmd). */
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation | (5 << 6), &(struct xen_memory_reservation){
        .nr_extents = 2, .domid = DOMID_SELF });
    check_rc("start extent past nr_extents", rc, 5);
}

/* Many extents in one call: the hypervisor continues the call after
 * preempting it (the extent to resume at travels in cmd's high bits). */
#define LONG_EXTENTS 1024

static xen_pfn_t long_list[LONG_EXTENTS];
struct long_op { unsigned int cmd; long rc; };

static void run_long_op(void *arg)
{
    struct long_op *o = arg;

    o->rc = resv_op(o->cmd, long_list, LONG_EXTENTS, 0, DOMID_SELF);
}

/* One more round trip of the same 1024 frames, counting upcalls only. */
static void long_round(unsigned long first, unsigned long *up_dec, unsigned long *up_pop)
{
    struct long_op op = { XENMEM_decrease_reservation, 0 };

    for (unsigned int i = 0; i < LONG_EXTENTS; i++)
        long_list[i] = pfn_to_mfn(first + i);
    *up_dec = with_timer_chain(run_long_op, &op);
    if (op.rc != LONG_EXTENTS)
        test_error("decrease_reservation again: %ld", op.rc);
    for (unsigned int i = 0; i < LONG_EXTENTS; i++)
        long_list[i] = first + i;
    op = (struct long_op){ XENMEM_populate_physmap, 0 };
    *up_pop = with_timer_chain(run_long_op, &op);
    if (op.rc != LONG_EXTENTS)
        test_error("populate_physmap again: %ld", op.rc);
    for (unsigned int i = 0; i < LONG_EXTENTS; i++)
        set_pfn_to_mfn(first + i, long_list[i]);
    info("again: %lu and %lu upcalls", *up_dec, *up_pop);
}

static void long_reservations(void)
{
    long cur = reservation(XENMEM_current_reservation, DOMID_SELF);
    struct long_op op = { XENMEM_decrease_reservation, 0 };
    unsigned long upcalls, first = spare_pfn(20 + LONG_EXTENTS - 1);

    for (unsigned int i = 0; i < LONG_EXTENTS; i++)
        long_list[i] = pfn_to_mfn(first + i);
    upcalls = with_timer_chain(run_long_op, &op);
    info("decrease_reservation of %u extents: %lu upcalls during the call", LONG_EXTENTS, upcalls);
    check_rc("decrease_reservation of 1024 extents in one call", op.rc, LONG_EXTENTS);
    unsigned long dec_upcalls = upcalls;
    check_rc("the reservation dropped by 1024", reservation(XENMEM_current_reservation, DOMID_SELF),
             cur - LONG_EXTENTS);

    for (unsigned int i = 0; i < LONG_EXTENTS; i++)
        long_list[i] = first + i;
    op = (struct long_op){ XENMEM_populate_physmap, 0 };
    upcalls = with_timer_chain(run_long_op, &op);
    info("populate_physmap of %u extents: %lu upcalls during the call", LONG_EXTENTS, upcalls);
    check_rc("populate_physmap of 1024 extents in one call", op.rc, LONG_EXTENTS);
    unsigned long pop_upcalls = upcalls;
    unsigned int wrong = 0;
    for (unsigned int i = 0; i < LONG_EXTENTS; i++) {
        if (m2p[long_list[i]] != first + i)
            wrong++;
        set_pfn_to_mfn(first + i, long_list[i]);
    }
    check_eqf(wrong, 0, "populate_physmap: every extent's M2P entry names its pfn");
    check_rc("the reservation is back", reservation(XENMEM_current_reservation, DOMID_SELF), cur);

    /* Whether a call is cut into continuations depends on timer events
     * arriving while it runs: on a loaded host the vCPU may run it between
     * two of them, or stall so that the events come late. Repeat the round
     * trip (at most 8 times) before concluding that a call was never
     * preempted. */
    for (unsigned int tries = 0; tries < 8 && (dec_upcalls < 2 || pop_upcalls < 2); tries++) {
        unsigned long d, p;
        long_round(first, &d, &p);
        dec_upcalls = MAX(dec_upcalls, d);
        pop_upcalls = MAX(pop_upcalls, p);
    }
    check(dec_upcalls >= 2, "the long decrease_reservation was preempted and continued",
          "%lu upcalls", dec_upcalls);
    check(pop_upcalls >= 2, "the long populate_physmap was preempted and continued",
          "%lu upcalls", pop_upcalls);
    check_rc("still the same reservation", reservation(XENMEM_current_reservation, DOMID_SELF), cur);
}


static void exchange(void)
{
    unsigned long pfn = spare_pfn(8);
    xen_pfn_t in = pfn_to_mfn(pfn), out = pfn;
    struct xen_memory_exchange x = {
        .in = { .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF },
        .out = { .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF },
    };
    long rc;

    set_xen_guest_handle(x.in.extent_start, &in);
    set_xen_guest_handle(x.out.extent_start, &out);
    rc = memop(XENMEM_exchange, &x);
    check_rc("exchange one unmapped frame", rc, 0);
    check_eqf((long)x.nr_exchanged, 1, "exchange: nr_exchanged");
    check(out != in && out <= max_ram_mfn, "exchange: out holds the new MFN", "%#lx (in %#lx)", out, in);
    check_equ("exchange: M2P maps the new MFN to the pfn", m2p[out], pfn);
    set_pfn_to_mfn(pfn, out);
    check(mfn_is_own(out) && !mfn_is_own(in), "exchange: the new frame replaced the old", "no");

    /* A frame in use (mapped in the region) cannot be exchanged. */
    void *busy = page_alloc();
    in = mfn_of(busy);
    out = ((unsigned long)busy - GUEST_VIRT_BASE) >> PAGE_SHIFT;
    x.nr_exchanged = 0;
    rc = memop(XENMEM_exchange, &x);
    check_rc("exchange of a frame that is still mapped", rc, -XEN_EINVAL);
    check_eqf((long)x.nr_exchanged, 0, "refused exchange: nr_exchanged");
    check(mfn_is_own(in), "refused exchange: the frame is still the guest's", "lost");
    page_free(busy);

    /* Sizes must match. */
    x.out.nr_extents = 2;
    x.nr_exchanged = 0;
    rc = memop(XENMEM_exchange, &x);
    check_rc("exchange of 1 frame for 2", rc, -XEN_EINVAL);
}

void test_main(void)
{
    long cur;

    mmu_init();
    queries(&cur);
    decrease_increase(cur);
    bad_arguments(cur);
    long_reservations();
    exchange();
}
