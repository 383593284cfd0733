/*
 * grant-leave: a domain that shuts down with grants still mapped. Host
 * mappings (writable, read-only, PTE-addressed, one of its own grant-table
 * frame), device mappings, and a copy in between; then the test ends
 * without unmapping anything. The hypervisor must take every mapping
 * down when it destroys the domain: tests/grant/leave.test checks
 * Pavise's audit after the domain is gone (no grant table, pinned grant
 * or maptrack entry left, no frame held).
 */
#include "gnttest.h"

const char test_title[] = "grant-leave: shut down with grants mapped";

enum { R_RW = 10, R_RO, R_DEV, R_TABLE, R_PTE };

void test_main(void)
{
    grant_handle_t h;
    uint64_t ma;
    long rc = gt_setup(2);

    if (rc)
        test_error("setup_table: %ld", rc);
    gt_grant(R_RW, SELF_ID, data_mfn(0), GTF_permit_access);
    gt_grant(R_RO, SELF_ID, data_mfn(1), GTF_permit_access | GTF_readonly);
    gt_grant(R_DEV, SELF_ID, data_mfn(2), GTF_permit_access);
    gt_grant(R_TABLE, SELF_ID, gt_frame_mfn[1], GTF_permit_access);
    gt_grant(R_PTE, SELF_ID, data_mfn(3), GTF_permit_access);

    scratch_clear(0);
    check_st("writable host map", gt_map(scratch_va(0), GNTMAP_host_map, R_RW, SELF_ID, &h, NULL),
             GNTST_okay);
    scratch_clear(1);
    check_st("read-only host map",
             gt_map(scratch_va(1), GNTMAP_host_map | GNTMAP_readonly, R_RO, SELF_ID, &h, NULL),
             GNTST_okay);
    check_st("writable device map", gt_map(0, GNTMAP_device_map, R_DEV, SELF_ID, &h, NULL), GNTST_okay);
    check_st("read-only device map of the same grant",
             gt_map(0, GNTMAP_device_map | GNTMAP_readonly, R_DEV, SELF_ID, &h, NULL), GNTST_okay);
    scratch_clear(2);
    check_st("host+device map of one of our grant-table frames",
             gt_map(scratch_va(2), GNTMAP_host_map | GNTMAP_device_map, R_TABLE, SELF_ID, &h, NULL),
             GNTST_okay);
    scratch_clear(3);
    ma = pte_maddr(scratch_va(3));
    check_st("PTE-addressed application map",
             gt_map(ma, GNTMAP_host_map | GNTMAP_contains_pte | GNTMAP_application_map, R_PTE,
                    SELF_ID, &h, NULL), GNTST_okay);
    /* The same grant twice at one address: the second map replaces the
     * first PTE, so the first mapping's host part is gone already. */
    check_st("a second map at the same PTE", gt_map(ma, GNTMAP_host_map | GNTMAP_contains_pte, R_PTE,
                                                    SELF_ID, &h, NULL), GNTST_okay);
    *(volatile uint8_t *)scratch_va(0) = 1;
    check_eq("the writable mapping works", data_page(0)[0], 1);
    gt_grant(600, 7, 0x1234, GTF_permit_access);
    check_eq("the granted grant-table frame shows our entries",
             ((grant_entry_v1_t *)scratch_va(2))[600 - 512].frame, 0x1234);
    check_eq("entries in use", gt_flags(R_RW) & gt_flags(R_DEV) & gt_flags(R_TABLE) & GTF_reading,
             GTF_reading);
    info("leaving 7 mappings behind");
}
