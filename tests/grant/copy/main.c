/*
 * grant-copy: GNTTABOP_copy between our own grants and frames, in every
 * combination (grant -> frame, frame -> grant, grant -> grant, frame ->
 * frame), partial pages at offsets, the entry bits during and after,
 * batches with a status per op and a batch long enough to be preempted,
 * and the refusals with Xen 4.17's status: ranges crossing a page, frames
 * named for another domain, read-only grants as destination, grants not
 * offered to us, bad refs and domains, frames that are not ours, page
 * tables as destination.
 */
#include "gnttest.h"

const char test_title[] = "grant-copy: copy by grant and by frame, partial pages, batches";

#define NO_DOMAIN  0x7fefu
#define OTHER_DOM  5u

enum { R_SRC = 20, R_DST, R_RO, R_OTHER, R_BADFRAME, R_PT, R_SUB };

static struct gnttab_copy gref_ptr(struct gnttab_copy c, bool src, grant_ref_t ref, domid_t dom,
                                   uint16_t off)
{
    struct gnttab_copy_ptr *p = src ? &c.source : &c.dest;

    p->u.ref = ref;
    p->domid = dom;
    p->offset = off;
    c.flags |= src ? GNTCOPY_source_gref : GNTCOPY_dest_gref;
    return c;
}

static struct gnttab_copy gmfn_ptr(struct gnttab_copy c, bool src, unsigned long mfn, domid_t dom,
                                   uint16_t off)
{
    struct gnttab_copy_ptr *p = src ? &c.source : &c.dest;

    p->u.gmfn = mfn;
    p->domid = dom;
    p->offset = off;
    c.flags &= (uint16_t)~(src ? GNTCOPY_source_gref : GNTCOPY_dest_gref);
    return c;
}

/* A copy op: source and destination given by the helpers above. */
static struct gnttab_copy op_len(uint16_t len)
{
    return (struct gnttab_copy){ .len = len };
}

static bool same(const uint8_t *a, const uint8_t *b, unsigned int n)
{
    return memcmp(a, b, n) == 0;
}

static void directions(void)
{
    uint8_t *src = data_page(0), *dst = data_page(1);
    struct gnttab_copy c;

    data_fill(0, 0x10);
    memset(dst, 0, PAGE_SIZE);
    gt_grant(R_SRC, SELF_ID, data_mfn(0), GTF_permit_access | GTF_readonly);
    gt_grant(R_DST, SELF_ID, data_mfn(1), GTF_permit_access);

    c = gmfn_ptr(gref_ptr(op_len(PAGE_SIZE), true, R_SRC, SELF_ID, 0), false, data_mfn(1), DOMID_SELF, 0);
    check_st("copy grant -> own frame, whole page: okay", gt_copy(&c), GNTST_okay);
    check(same(src, dst, PAGE_SIZE), "the page was copied", "differs");
    check_eq("a read-only grant stays usable as source, bits cleared after", gt_flags(R_SRC),
             GTF_permit_access | GTF_readonly);

    data_fill(0, 0x20);
    c = gref_ptr(gmfn_ptr(op_len(PAGE_SIZE), true, data_mfn(0), DOMID_SELF, 0), false, R_DST, SELF_ID, 0);
    check_st("copy own frame -> grant: okay", gt_copy(&c), GNTST_okay);
    check(same(src, dst, PAGE_SIZE), "the page was copied into the grant", "differs");
    check_eq("the destination's bits are cleared after", gt_flags(R_DST), GTF_permit_access);

    data_fill(0, 0x30);
    c = gref_ptr(gref_ptr(op_len(PAGE_SIZE), true, R_SRC, SELF_ID, 0), false, R_DST, SELF_ID, 0);
    check_st("copy grant -> grant: okay", gt_copy(&c), GNTST_okay);
    check(same(src, dst, PAGE_SIZE), "grant to grant copied", "differs");

    data_fill(0, 0x40);
    c = gmfn_ptr(gmfn_ptr(op_len(PAGE_SIZE), true, data_mfn(0), DOMID_SELF, 0), false, data_mfn(1),
                 DOMID_SELF, 0);
    check_st("copy own frame -> own frame: okay", gt_copy(&c), GNTST_okay);
    check(same(src, dst, PAGE_SIZE), "frame to frame copied", "differs");

    /* Grants name the granter by its id; DOMID_SELF works as well. */
    data_fill(0, 0x50);
    c = gmfn_ptr(gref_ptr(op_len(64), true, R_SRC, DOMID_SELF, 0), false, data_mfn(1), DOMID_SELF, 0);
    check_st("copy from a grant named through DOMID_SELF: okay", gt_copy(&c), GNTST_okay);
    check(same(src, dst, 64), "copied", "differs");
}

static void partial(void)
{
    uint8_t *src = data_page(2), *dst = data_page(3);
    static uint8_t before[PAGE_SIZE];
    struct gnttab_copy c;
    bool rest = true;

    data_fill(2, 0x60);
    memset(dst, 0xee, PAGE_SIZE);
    memcpy(before, dst, PAGE_SIZE);
    gt_grant(R_SRC, SELF_ID, data_mfn(2), GTF_permit_access);
    gt_grant(R_DST, SELF_ID, data_mfn(3), GTF_permit_access);

    c = gref_ptr(gref_ptr(op_len(100), true, R_SRC, SELF_ID, 1000), false, R_DST, SELF_ID, 3000);
    check_st("100 bytes from offset 1000 to offset 3000: okay", gt_copy(&c), GNTST_okay);
    check(same(dst + 3000, src + 1000, 100), "the bytes arrived", "differs");
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        if ((i < 3000 || i >= 3100) && dst[i] != before[i])
            rest = false;
    check(rest, "nothing else changed", "bytes outside the range changed");

    c = gref_ptr(gref_ptr(op_len(1), true, R_SRC, SELF_ID, 4095), false, R_DST, SELF_ID, 0);
    check_st("the last byte of a page to the first: okay", gt_copy(&c), GNTST_okay);
    check_eq("the byte arrived", dst[0], src[4095]);
    c = gref_ptr(gref_ptr(op_len(0), true, R_SRC, SELF_ID, 4096), false, R_DST, SELF_ID, 4096);
    check_st("len 0 at offset 4096: okay", gt_copy(&c), GNTST_okay);

    /* Overlapping ranges of one page, destination below the source. */
    c = gref_ptr(gref_ptr(op_len(512), true, R_DST, SELF_ID, 256), false, R_DST, SELF_ID, 0);
    memcpy(before, dst, PAGE_SIZE);
    check_st("overlapping copy within one page: okay", gt_copy(&c), GNTST_okay);
    check(same(dst, before + 256, 512), "the overlap copied forwards", "differs");
}

static void refusals(void)
{
    unsigned long l1_mfn = pte_maddr((unsigned long)data_page(4)) >> PAGE_SHIFT;
    uint8_t *dst = data_page(5);
    struct gnttab_copy c;

    data_fill(4, 0x70);
    gt_grant(R_SRC, SELF_ID, data_mfn(4), GTF_permit_access);
    gt_grant(R_DST, SELF_ID, data_mfn(5), GTF_permit_access);
    gt_grant(R_RO, SELF_ID, data_mfn(5), GTF_permit_access | GTF_readonly);
    gt_grant(R_OTHER, OTHER_DOM, data_mfn(4), GTF_permit_access);
    gt_grant(R_BADFRAME, SELF_ID, 0x7fffffff, GTF_permit_access);
    gt_grant(R_PT, SELF_ID, l1_mfn, GTF_permit_access);
    gt_grant(R_SUB, SELF_ID, data_mfn(4), GTF_permit_access | GTF_sub_page);

    c = gref_ptr(gref_ptr(op_len(200), true, R_SRC, SELF_ID, 4000), false, R_DST, SELF_ID, 0);
    check_st("a source range crossing its page: bad_copy_arg", gt_copy(&c), GNTST_bad_copy_arg);
    c = gref_ptr(gref_ptr(op_len(200), true, R_SRC, SELF_ID, 0), false, R_DST, SELF_ID, 3900);
    check_st("a destination range crossing its page: bad_copy_arg", gt_copy(&c), GNTST_bad_copy_arg);
    c = gref_ptr(gref_ptr(op_len(1), true, R_SRC, SELF_ID, 4096), false, R_DST, SELF_ID, 0);
    check_st("one byte at offset 4096: bad_copy_arg", gt_copy(&c), GNTST_bad_copy_arg);
    c = gref_ptr(gref_ptr(op_len(0xffff), true, R_SRC, SELF_ID, 0xffff), false, R_DST, SELF_ID, 0);
    check_st("len and offset 0xffff: bad_copy_arg", gt_copy(&c), GNTST_bad_copy_arg);
    check_eq("refused copies leave the source idle", gt_flags(R_SRC), GTF_permit_access);
    check_eq("... and the destination", gt_flags(R_DST), GTF_permit_access);

    c = gmfn_ptr(gref_ptr(op_len(8), true, R_SRC, SELF_ID, 0), false, data_mfn(5), SELF_ID, 0);
    check_st("a frame named with our domid instead of DOMID_SELF: permission_denied", gt_copy(&c),
             GNTST_permission_denied);
    /* The domain is looked up first: a frame of a missing domain. */
    c = gref_ptr(gmfn_ptr(op_len(8), true, data_mfn(4), NO_DOMAIN, 0), false, R_DST, SELF_ID, 0);
    check_st("a frame of a missing domain: bad_domain", gt_copy(&c), GNTST_bad_domain);
    c = gmfn_ptr(gref_ptr(op_len(8), true, R_SRC, NO_DOMAIN, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("a grant of a missing domain: bad_domain", gt_copy(&c), GNTST_bad_domain);
    c = gmfn_ptr(gref_ptr(op_len(8), true, 100000, SELF_ID, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("a ref beyond the table: bad_gntref", gt_copy(&c), GNTST_bad_gntref);
    c = gref_ptr(gmfn_ptr(op_len(8), true, data_mfn(4), DOMID_SELF, 0), false, R_RO, SELF_ID, 0);
    check_st("a read-only grant as destination: general_error", gt_copy(&c), GNTST_general_error);
    check_eq("... entry untouched", gt_flags(R_RO), GTF_permit_access | GTF_readonly);
    c = gmfn_ptr(gref_ptr(op_len(8), true, R_OTHER, SELF_ID, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("a grant offered to another domain: general_error", gt_copy(&c), GNTST_general_error);
    c = gmfn_ptr(gref_ptr(op_len(8), true, R_BADFRAME, SELF_ID, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("a grant of a frame that is not the granter's: bad_page", gt_copy(&c), GNTST_bad_page);
    check_eq("... its bits cleared again", gt_flags(R_BADFRAME), GTF_permit_access);
    c = gmfn_ptr(gmfn_ptr(op_len(8), true, 0x7fffffff, DOMID_SELF, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("a source frame that is not ours: bad_page", gt_copy(&c), GNTST_bad_page);
    {
        struct xen_machphys_mfn_list l = { .max_extents = 1 };
        xen_pfn_t m2p_mfn = 0;

        set_xen_guest_handle(l.extent_start, &m2p_mfn);
        if (HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l) == 0 && m2p_mfn) {
            c = gmfn_ptr(gmfn_ptr(op_len(8), true, m2p_mfn, DOMID_SELF, 0), false, data_mfn(5),
                         DOMID_SELF, 0);
            check_st("a hypervisor frame (the M2P) as source: bad_page", gt_copy(&c), GNTST_bad_page);
        } else {
            check(false, "a hypervisor frame (the M2P) as source: bad_page", "no M2P frame");
        }
    }
    c = gmfn_ptr(gmfn_ptr(op_len(8), true, data_mfn(4), DOMID_SELF, 0), false, l1_mfn, DOMID_SELF, 0);
    check_st("one of our page tables as destination frame: general_error", gt_copy(&c),
             GNTST_general_error);
    c = gref_ptr(gmfn_ptr(op_len(8), true, data_mfn(4), DOMID_SELF, 0), false, R_PT, SELF_ID, 0);
    check_st("a granted page table as destination: general_error", gt_copy(&c), GNTST_general_error);
    check_eq("... bits cleared again", gt_flags(R_PT), GTF_permit_access);
    c = gmfn_ptr(gmfn_ptr(op_len(8), true, l1_mfn, DOMID_SELF, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("one of our page tables as source: okay", gt_copy(&c), GNTST_okay);
    /* Copies, unlike maps, accept a v1 entry with the sub-page bit. */
    c = gmfn_ptr(gref_ptr(op_len(8), true, R_SUB, SELF_ID, 0), false, data_mfn(5), DOMID_SELF, 0);
    check_st("copy from an entry with the sub-page bit: okay", gt_copy(&c), GNTST_okay);
    check(same(dst, data_page(4), 8), "... and copied", "differs");
}

/* Copies while the grant is mapped: the pins add up, and a read-only
 * mapping gains a writer for the copy's time only. */
static void with_mappings(void)
{
    grant_handle_t h = 0;
    struct gnttab_copy c;

    gt_grant(R_DST, SELF_ID, data_mfn(6), GTF_permit_access);
    check_st("read-only device map of the destination: okay",
             gt_map(0, GNTMAP_device_map | GNTMAP_readonly, R_DST, SELF_ID, &h, NULL), GNTST_okay);
    data_fill(4, 0x80);
    c = gref_ptr(gmfn_ptr(op_len(PAGE_SIZE), true, data_mfn(4), DOMID_SELF, 0), false, R_DST, SELF_ID, 0);
    check_st("copy into a grant mapped read-only: okay", gt_copy(&c), GNTST_okay);
    check(same(data_page(6), data_page(4), PAGE_SIZE), "copied", "differs");
    check_eq("after the copy only reading remains", gt_flags(R_DST), GTF_permit_access | GTF_reading);
    check_st("unmap: okay", gt_unmap(0, data_mfn(6) << PAGE_SHIFT, h), GNTST_okay);
    check_eq("idle", gt_flags(R_DST), GTF_permit_access);
}

static void batches(void)
{
    static struct gnttab_copy ops[6], big[2048];
    uint8_t *src = data_page(0), *dst = data_page(1);
    unsigned int ok = 0;
    bool right = true;
    long rc;

    data_fill(0, 0x90);
    memset(dst, 0, PAGE_SIZE);
    gt_grant(R_SRC, SELF_ID, data_mfn(0), GTF_permit_access);
    gt_grant(R_DST, SELF_ID, data_mfn(1), GTF_permit_access);
    ops[0] = gref_ptr(gref_ptr(op_len(16), true, R_SRC, SELF_ID, 0), false, R_DST, SELF_ID, 0);
    ops[1] = gref_ptr(gref_ptr(op_len(16), true, R_SRC, SELF_ID, 4090), false, R_DST, SELF_ID, 16);
    ops[2] = gref_ptr(gref_ptr(op_len(16), true, R_SRC, SELF_ID, 32), false, R_DST, SELF_ID, 32);
    ops[3] = gref_ptr(gref_ptr(op_len(16), true, 99999, SELF_ID, 48), false, R_DST, SELF_ID, 48);
    ops[4] = gmfn_ptr(gref_ptr(op_len(16), true, R_SRC, SELF_ID, 64), false, data_mfn(1), DOMID_SELF, 64);
    ops[5] = gmfn_ptr(gref_ptr(op_len(16), true, R_SRC, SELF_ID, 80), false, data_mfn(1), SELF_ID, 80);
    for (unsigned int i = 0; i < 6; i++)
        ops[i].status = 77;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, 6);
    check_eq("a mixed copy batch returns 0", rc, 0);
    check_st("copy op 0: okay", ops[0].status, GNTST_okay);
    check_st("copy op 1: bad_copy_arg", ops[1].status, GNTST_bad_copy_arg);
    check_st("copy op 2: okay", ops[2].status, GNTST_okay);
    check_st("copy op 3: bad_gntref", ops[3].status, GNTST_bad_gntref);
    check_st("copy op 4: okay", ops[4].status, GNTST_okay);
    check_st("copy op 5: permission_denied", ops[5].status, GNTST_permission_denied);
    check(same(dst, src, 16) && same(dst + 32, src + 32, 16) && same(dst + 64, src + 64, 16),
          "the good ops copied", "differs");
    check(dst[16] == 0 && dst[48] == 0 && dst[80] == 0, "the refused ops did not", "%#x %#x %#x",
          dst[16], dst[48], dst[80]);
    check_eq("a batch leaves the source idle", gt_flags(R_SRC), GTF_permit_access);
    check_eq("... and the destination", gt_flags(R_DST), GTF_permit_access);

    /* 2048 one-byte copies in one call: long enough that a hypervisor may
     * preempt and continue it; the result must not show it. */
    data_fill(0, 0xa0);
    memset(dst, 0, PAGE_SIZE);
    for (unsigned int i = 0; i < 2048; i++) {
        big[i] = gref_ptr(gref_ptr(op_len(1), true, R_SRC, SELF_ID, (uint16_t)(2 * i)), false, R_DST,
                          SELF_ID, (uint16_t)(4095 - 2 * i));
        big[i].status = 77;
    }
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, big, 2048);
    check_eq("2048 copies in one call return 0", rc, 0);
    for (unsigned int i = 0; i < 2048; i++) {
        ok += big[i].status == GNTST_okay;
        if (dst[4095 - 2 * i] != src[2 * i])
            right = false;
    }
    check_eq("all 2048 copies succeeded", ok, 2048);
    check(right, "every byte landed where it should", "misplaced bytes");
    check_eq("the long batch left both entries idle", gt_flags(R_SRC) | gt_flags(R_DST),
             GTF_permit_access);
}

void test_main(void)
{
    long rc = gt_setup(1);

    if (rc)
        test_error("setup_table: %ld", rc);
    directions();
    partial();
    refusals();
    with_mappings();
    batches();
}
