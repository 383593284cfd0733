/*
 * grant-transfer: GNTTABOP_transfer, on ourselves. We offer an
 * accept_transfer entry to our own domid and give one of our pages
 * through it: the page leaves us and comes back, the entry records the
 * frame and the committed/completed bits, and the M2P the frame number
 * the entry asked for. A page with any other reference cannot be given
 * away (bad_page, and it stays ours); a transfer that fails after that
 * point costs the sender the page, as on Xen: the reservation shrinks.
 */
#include "gnttest.h"

const char test_title[] = "grant-transfer: giving pages away through accept_transfer entries";

#define NO_DOMAIN 0x7fefu
#define PTE_RW    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

enum { R_ACCEPT = 30, R_SECOND, R_OTHER, R_BATCH0, R_BATCH1 };

static long reservation(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

static int16_t transfer(unsigned long mfn, domid_t dom, grant_ref_t ref)
{
    struct gnttab_transfer t = { .mfn = mfn, .domid = dom, .ref = ref, .status = 77 };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_transfer, &t, 1);

    return rc ? (int16_t)(rc - 1000) : t.status;
}

/* Unmap a data page's only mapping so that it can be given away. */
static unsigned long release_page(unsigned int i)
{
    unsigned long mfn = data_mfn(i);

    if (HYPERVISOR_update_va_mapping((unsigned long)data_page(i), 0, UVMF_INVLPG))
        test_error("cannot unmap data page %u", i);
    return mfn;
}

void test_main(void)
{
    unsigned long mfn, pfn;
    long before, rc;
    long rc2;

    rc = gt_setup(1);
    if (rc)
        test_error("setup_table: %ld", rc);
    check_eq("transfer with count 0 returns 0", HYPERVISOR_grant_table_op(GNTTABOP_transfer, NULL, 0), 0);

    data_fill(0, 0x42);
    mfn = data_mfn(0);
    pfn = mfn_to_pfn(mfn);
    gt_grant(R_ACCEPT, SELF_ID, pfn, GTF_accept_transfer);
    before = reservation();

    check_st("giving away a page that is still mapped: bad_page", transfer(mfn, SELF_ID, R_ACCEPT),
             GNTST_bad_page);
    check_eq("... it stays ours and mapped", data_page(0)[5], (uint8_t)(0x42 + 35));
    check_eq("... the entry untouched", gt_flags(R_ACCEPT), GTF_accept_transfer);
    check_st("a frame that does not exist: bad_page", transfer(0x7fffffff, SELF_ID, R_ACCEPT),
             GNTST_bad_page);
    check_st("one of our grant-table frames: bad_page", transfer(gt_frame_mfn[0], SELF_ID, R_ACCEPT),
             GNTST_bad_page);
    check_eq("refused transfers cost nothing", reservation(), before);

    release_page(0);
    check_st("transfer of an unmapped page to ourselves: okay", transfer(mfn, SELF_ID, R_ACCEPT),
             GNTST_okay);
    check_eq("the entry is committed and completed", gt_flags(R_ACCEPT),
             GTF_accept_transfer | GTF_transfer_committed | GTF_transfer_completed);
    check_equ("the entry holds the page's frame", gt_shared[R_ACCEPT].frame, mfn);
    check_equ("the M2P puts it at the frame the entry named", mfn_to_pfn(mfn), pfn);
    check_eq("the page came back: reservation unchanged", reservation(), before);
    rc = HYPERVISOR_update_va_mapping((unsigned long)data_page(0), (mfn << PAGE_SHIFT) | PTE_RW,
                                      UVMF_INVLPG);
    check_eq("we can map the page again", rc, 0);
    check_eq("with its contents", data_page(0)[5], (uint8_t)(0x42 + 35));

    /* Failures after the page was taken: it is lost. */
    check_st("to a used entry: general_error", transfer(release_page(1), SELF_ID, R_ACCEPT),
             GNTST_general_error);
    check_eq("... and the page is gone", reservation(), before - 1);
    check_st("to a domain that does not exist: bad_domain", transfer(release_page(2), NO_DOMAIN, R_ACCEPT),
             GNTST_bad_domain);
    check_st("to DOMID_SELF: bad_domain", transfer(release_page(3), DOMID_SELF, R_ACCEPT),
             GNTST_bad_domain);
    check_st("to a ref beyond the table: general_error", transfer(release_page(4), SELF_ID, 100000),
             GNTST_general_error);
    gt_grant(R_OTHER, 5, 0, GTF_accept_transfer);
    check_st("to an entry accepting from another domain: general_error",
             transfer(release_page(5), SELF_ID, R_OTHER), GNTST_general_error);
    check_eq("each cost a page", reservation(), before - 5);

    /* A batch reports per op. */
    {
        struct gnttab_transfer t[2] = {
            { .mfn = release_page(6), .domid = SELF_ID, .ref = R_BATCH0, .status = 77 },
            { .mfn = 0x7fffffff, .domid = SELF_ID, .ref = R_BATCH1, .status = 77 },
        };

        gt_grant(R_BATCH0, SELF_ID, mfn_to_pfn(t[0].mfn), GTF_accept_transfer);
        gt_grant(R_BATCH1, SELF_ID, 0, GTF_accept_transfer);
        rc2 = HYPERVISOR_grant_table_op(GNTTABOP_transfer, t, 2);
        check_eq("a transfer batch returns 0", rc2, 0);
        check_st("batch op 0: okay", t[0].status, GNTST_okay);
        check_st("batch op 1: bad_page", t[1].status, GNTST_bad_page);
        check_eq("the second entry is untouched", gt_flags(R_BATCH1), GTF_accept_transfer);
        check_eq("batch: reservation as before it", reservation(), before - 5);
    }
}
