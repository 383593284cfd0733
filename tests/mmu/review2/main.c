/*
 * mmu-review2: attacks from the second security review of the PV memory
 * side (memory_op reservations, update_va_mapping), one section per
 * finding or refuted suspicion. Each check states Xen 4.17's answer.
 *
 * Sections:
 *  - the shared_info frame given back with decrease_reservation: Xen
 *    takes the allocation reference (the call answers 1) but the page is
 *    hypervisor heap, never freed while the domain exists; the hypervisor
 *    keeps writing to it. It must not come back as anybody's memory.
 *    (Runs last: the guest has no shared_info afterwards.)
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-review2: second review of the PV memory side";

/* ---------------------------------------------------- shared_info give-back */

static long resv_op(unsigned int cmd, xen_pfn_t *list, unsigned long n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(cmd, &r);
}

#define PROBE_FRAMES 512
static xen_pfn_t probe[PROBE_FRAMES];

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
    long got = resv_op(XENMEM_increase_reservation, probe, PROBE_FRAMES);
    check_rc("shinfo: increase_reservation of 512 frames", got, PROBE_FRAMES);
    unsigned long hits = 0;
    for (long i = 0; i < got; i++)
        if (probe[i] == shinfo)
            hits++;
    check_eqf((long)hits, 0, "shinfo: no new frame is the old shared_info frame");
    if (got > 0)
        check_rcf(resv_op(XENMEM_decrease_reservation, probe, (unsigned long)got), got,
                  "shinfo: the %s frames given back again", "probe");
}

void test_main(void)
{
    mmu_init();
    shared_info_give_back();
}
