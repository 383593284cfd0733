/*
 * grant-peer: grants between two domains. One image, two roles:
 *
 *   role=backend  the control domain (d0)
 *   role=peer     an unprivileged domain (d1), started at boot
 *
 * They talk through a mailbox page d1 grants to d0 (ref 8), found by d0
 * mapping it until d1 has granted it. Then each maps and copies the
 * other's grants and is refused what is not offered to it (a grant for
 * another domain, read-only grants written, a page table mapped writable,
 * revoked grants, other domains' frames, another domain's table), an
 * entry in use cannot be revoked, and d1 finally shuts down while d0
 * still maps its mailbox and d1 maps two of d0's grants: d0 must keep a
 * working mapping of the dead domain's page, find its own grants released
 * and be able to unmap. tests/grant/peer.test checks the hypervisor's
 * accounting afterwards.
 *
 * Needs a second domain at boot (Pavise's domu=); Xen 4.17 cannot start
 * one without a toolstack.
 */
#include "gnttest.h"

const char test_title[] = "grant-peer: grants between two domains";

#define D0          0
#define D1          1
#define ELSEWHERE   5           /* a domain that does not exist */
#define MAGIC       0x67726e74u
#define MS          1000000ULL

/* d1's grants to d0 */
enum { P_MAILBOX = 8, P_RO, P_ELSEWHERE, P_REVOKED, P_PAGETABLE };
/* d0's grants to d1 */
enum { B_RW = 20, B_RO, B_ELSEWHERE };

struct mailbox {
    volatile uint32_t magic;
    volatile uint32_t d0_step, d1_step;
    volatile uint64_t d0_frame;         /* the frame behind B_RW, for copy tests */
};

/* Block for a while (SCHEDOP_poll on a port nobody signals), so that
 * other domains, and the hypervisor's idle work, get the CPU. */
static void nap(uint64_t ns)
{
    static evtchn_port_t port;

    if (!port) {
        long rc = evtchn_alloc_unbound(DOMID_SELF, NULL, NULL);

        if (rc <= 0)
            test_error("alloc_unbound: %ld", rc);
        port = (evtchn_port_t)rc;
    }
    evtchn_poll(port, now_ns() + ns);
}

static bool wait_for(volatile uint32_t *v, uint32_t want, uint64_t limit_ns)
{
    uint64_t end = now_ns() + limit_ns;

    while (READ_ONCE(*v) < want && now_ns() < end)
        nap(MS);
    return READ_ONCE(*v) >= want;
}

static long cache_flush(uint64_t maddr)
{
    struct gnttab_cache_flush c = { .a.dev_bus_addr = maddr, .length = 64, .op = GNTTAB_CACHE_CLEAN };

    return HYPERVISOR_grant_table_op(GNTTABOP_cache_flush, &c, 1);
}

static int16_t query(domid_t dom)
{
    struct gnttab_query_size q = { .dom = dom, .status = 77 };

    if (HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1))
        return -100;
    return q.status;
}

static struct gnttab_copy copy_op(bool src_gref, uint64_t src, domid_t sdom, bool dst_gref,
                                  uint64_t dst, domid_t ddom, uint16_t len)
{
    struct gnttab_copy c = { .len = len };

    if (src_gref)
        c.source.u.ref = (grant_ref_t)src;
    else
        c.source.u.gmfn = src;
    c.source.domid = sdom;
    if (dst_gref)
        c.dest.u.ref = (grant_ref_t)dst;
    else
        c.dest.u.gmfn = dst;
    c.dest.domid = ddom;
    c.flags = (src_gref ? GNTCOPY_source_gref : 0) | (dst_gref ? GNTCOPY_dest_gref : 0);
    return c;
}

/* ------------------------------------------------------------ d1 */

static void peer(void)
{
    struct mailbox *mb = (struct mailbox *)data_page(0);
    unsigned long l1 = pte_maddr(scratch_va(0)) >> PAGE_SHIFT;
    grant_handle_t h_rw = 0, h_ro = 0, h;
    struct gnttab_copy c;
    long rc = gt_setup(1);

    if (rc)
        test_error("setup_table: %ld", rc);
    memset(mb, 0, PAGE_SIZE);
    data_fill(1, 0x11);
    gt_grant(P_RO, D0, data_mfn(1), GTF_permit_access | GTF_readonly);
    gt_grant(P_ELSEWHERE, ELSEWHERE, data_mfn(2), GTF_permit_access);
    gt_grant(P_REVOKED, D0, data_mfn(3), GTF_permit_access);
    gt_grant(P_PAGETABLE, D0, l1, GTF_permit_access);
    gt_grant(P_MAILBOX, D0, data_mfn(0), GTF_permit_access);
    mb->magic = MAGIC;

    check(wait_for(&mb->d0_step, 1, 10000 * MS), "the backend maps our mailbox", "timed out");
    check(!gt_revoke(P_MAILBOX), "the mailbox, mapped by d0, cannot be revoked", "revoked");

    /* As a mapper of d0's grants. */
    scratch_clear(1);
    check_st("map d0's writable grant", gt_map(scratch_va(1), GNTMAP_host_map, B_RW, D0, &h_rw, NULL),
             GNTST_okay);
    *(volatile uint32_t *)scratch_va(1) = 0xd1d1d1d1;
    scratch_clear(2);
    check_st("writable map of d0's read-only grant: general_error",
             gt_map(scratch_va(2), GNTMAP_host_map, B_RO, D0, &h, NULL), GNTST_general_error);
    check_st("read-only map of d0's read-only grant",
             gt_map(scratch_va(2), GNTMAP_host_map | GNTMAP_readonly, B_RO, D0, &h_ro, NULL),
             GNTST_okay);
    check(probe_write((void *)scratch_va(2), 1, NULL), "writing through it faults", "no fault");
    check_st("d0's grant for another domain: general_error",
             gt_map(0, GNTMAP_device_map, B_ELSEWHERE, D0, &h, NULL), GNTST_general_error);
    check_st("a ref beyond d0's table: bad_gntref",
             gt_map(0, GNTMAP_device_map, 512, D0, &h, NULL), GNTST_bad_gntref);
    c = copy_op(true, B_RW, D0, false, data_mfn(4), DOMID_SELF, 4);
    check_st("copy from d0's grant into our frame", gt_copy(&c), GNTST_okay);
    check_eq("... copied what we wrote through the mapping", *(uint32_t *)data_page(4), 0xd1d1d1d1);
    c = copy_op(false, mb->d0_frame, D0, false, data_mfn(4), DOMID_SELF, 4);
    check_st("copy from d0's frame by number: permission_denied", gt_copy(&c), GNTST_permission_denied);
    c = copy_op(false, mb->d0_frame, DOMID_SELF, false, data_mfn(4), DOMID_SELF, 4);
    check_st("copy from d0's frame as if ours: bad_page", gt_copy(&c), GNTST_bad_page);
    c = copy_op(false, data_mfn(4), DOMID_SELF, true, B_RO, D0, 4);
    check_st("copy into d0's read-only grant: general_error", gt_copy(&c), GNTST_general_error);

    /* An unprivileged domain has no business with d0's table. */
    check_st("query_size of d0's table: permission_denied", query(D0), GNTST_permission_denied);
    {
        struct gnttab_setup_table st = { .dom = D0, .nr_frames = 2, .status = 77 };
        xen_pfn_t frames[2];
        struct gnttab_get_version gv = { .dom = D0 };

        set_xen_guest_handle(st.frame_list, frames);
        HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
        check_st("setup_table of d0's table: permission_denied", st.status, GNTST_permission_denied);
        check_eq("get_version of d0's table: -EPERM",
                 HYPERVISOR_grant_table_op(GNTTABOP_get_version, &gv, 1), -XEN_EPERM);
    }

    check(gt_revoke(P_REVOKED), "a grant d0 no longer maps can be revoked", "still in use");
    WRITE_ONCE(mb->d1_step, 1);
    check(wait_for(&mb->d0_step, 2, 10000 * MS), "the backend finishes its checks", "timed out");
    /* We go with d0's two grants still mapped, and our mailbox mapped by
     * d0: the hypervisor undoes ours and keeps our page for d0. */
    info("leaving with handles %u and %u mapped", h_rw, h_ro);
    WRITE_ONCE(mb->d1_step, 2);
}

/* ------------------------------------------------------------ d0 */

static void backend(void)
{
    struct mailbox *mb = (struct mailbox *)scratch_va(0);
    grant_handle_t h_mb = 0, h;
    struct gnttab_copy c;
    uint64_t end, ro_dba = 0;
    int16_t st = GNTST_general_error;
    long rc = gt_setup(1);

    if (rc)
        test_error("setup_table: %ld", rc);
    gt_grant(B_RW, D1, data_mfn(0), GTF_permit_access);
    gt_grant(B_RO, D1, data_mfn(1), GTF_permit_access | GTF_readonly);
    gt_grant(B_ELSEWHERE, ELSEWHERE, data_mfn(2), GTF_permit_access);

    /* Until d1 has granted its mailbox, the map is refused. */
    scratch_clear(0);
    end = now_ns() + 10000 * MS;
    while (now_ns() < end) {
        st = gt_map(scratch_va(0), GNTMAP_host_map, P_MAILBOX, D1, &h_mb, NULL);
        if (st == GNTST_okay && READ_ONCE(mb->magic) == MAGIC)
            break;
        if (st == GNTST_okay)
            gt_unmap(scratch_va(0), 0, h_mb);
        nap(MS);
    }
    check_st("d1's mailbox grant maps", st, GNTST_okay);
    if (st != GNTST_okay)
        test_error("no mailbox from d1");

    scratch_clear(3);
    check_st("d1's grant P_REVOKED maps while offered",
             gt_map(scratch_va(3), GNTMAP_host_map, P_REVOKED, D1, &h, NULL), GNTST_okay);
    check_st("... and unmaps", gt_unmap(scratch_va(3), 0, h), GNTST_okay);
    mb->d0_frame = data_mfn(0);
    WRITE_ONCE(mb->d0_step, 1);

    /* d1's other grants, as a mapper. */
    scratch_clear(4);
    check_st("writable map of d1's read-only grant: general_error",
             gt_map(scratch_va(4), GNTMAP_host_map, P_RO, D1, &h, NULL), GNTST_general_error);
    check_st("read-only map of d1's read-only grant",
             gt_map(scratch_va(4), GNTMAP_host_map | GNTMAP_readonly, P_RO, D1, &h, &ro_dba), GNTST_okay);
    check_eq("cache_flush of d1's frame while mapped returns 0", cache_flush(ro_dba), 0);
    check_eq("it shows d1's page", *(volatile uint8_t *)(scratch_va(4) + 3), (uint8_t)(0x11 + 21));
    check(probe_write((void *)scratch_va(4), 0, NULL), "writing through it faults", "no fault");
    check_st("unmap it", gt_unmap(scratch_va(4), 0, h), GNTST_okay);
    check_eq("cache_flush of d1's frame once unmapped is -EINVAL", cache_flush(ro_dba), -XEN_EINVAL);
    check_st("d1's grant for another domain: general_error",
             gt_map(0, GNTMAP_device_map, P_ELSEWHERE, D1, &h, NULL), GNTST_general_error);
    check_st("writable map of d1's page table: general_error",
             gt_map(0, GNTMAP_device_map, P_PAGETABLE, D1, &h, NULL), GNTST_general_error);
    check_st("read-only map of d1's page table",
             gt_map(scratch_va(4), GNTMAP_host_map | GNTMAP_readonly, P_PAGETABLE, D1, &h, NULL),
             GNTST_okay);
    check_st("unmap it", gt_unmap(scratch_va(4), 0, h), GNTST_okay);
    check_st("a ref beyond d1's table: bad_gntref",
             gt_map(0, GNTMAP_device_map, 100000, D1, &h, NULL), GNTST_bad_gntref);
    c = copy_op(true, P_RO, D1, false, data_mfn(5), DOMID_SELF, 64);
    check_st("copy from d1's read-only grant", gt_copy(&c), GNTST_okay);
    {
        bool same = true;

        for (unsigned int i = 0; i < 64; i++)
            if (data_page(5)[i] != (uint8_t)(0x11 + i * 7))
                same = false;
        check(same, "... it copied d1's bytes", "differs");
    }
    c = copy_op(false, data_mfn(5), DOMID_SELF, true, P_RO, D1, 8);
    check_st("copy into d1's read-only grant: general_error", gt_copy(&c), GNTST_general_error);
    c = copy_op(false, 0x1000, D1, false, data_mfn(5), DOMID_SELF, 8);
    check_st("copy from a d1 frame by number, even as d0: permission_denied", gt_copy(&c),
             GNTST_permission_denied);
    check_st("d0 may look at d1's table", query(D1), GNTST_okay);

    check(wait_for(&mb->d1_step, 1, 10000 * MS), "d1 does its part", "timed out");
    check_st("d1's revoked grant: general_error",
             gt_map(scratch_va(3), GNTMAP_host_map, P_REVOKED, D1, &h, NULL), GNTST_general_error);
    check_eq("d1 has our writable grant mapped", gt_flags(B_RW),
             GTF_permit_access | GTF_reading | GTF_writing);
    check_eq("d1 has our read-only grant mapped", gt_flags(B_RO),
             GTF_permit_access | GTF_readonly | GTF_reading);
    check(!gt_revoke(B_RW), "our grant in use by d1 cannot be revoked", "revoked");
    check_eq("d1 wrote through it", *(volatile uint32_t *)data_page(0), 0xd1d1d1d1);
    WRITE_ONCE(mb->d0_step, 2);

    /* d1 shuts down with our grants mapped and its mailbox mapped by us. */
    end = now_ns() + 10000 * MS;
    while (query(D1) == GNTST_okay && now_ns() < end)
        nap(10 * MS);
    check_st("d1 is gone", query(D1), GNTST_bad_domain);
    check_eq("its mappings of our grants were taken down", gt_flags(B_RW) | gt_flags(B_RO),
             GTF_permit_access | GTF_readonly);
    check(gt_revoke(B_RW) && gt_revoke(B_RO), "our grants can be revoked now", "still in use");
    check_eq("our mapping of the dead domain's page still works", mb->magic, MAGIC);
    check_eq("it shows d1's last word", mb->d1_step, 2);
    check_st("no new mapping of a dead domain's grant: bad_domain",
             gt_map(0, GNTMAP_device_map, P_RO, D1, &h, NULL), GNTST_bad_domain);
    check_st("the old mapping unmaps", gt_unmap(scratch_va(0), 0, h_mb), GNTST_okay);
    check_st("... once", gt_unmap(scratch_va(0), 0, h_mb), GNTST_bad_handle);
    for (unsigned int i = 0; i < 5; i++)
        scratch_restore(i);
}

void test_main(void)
{
    char role[16];

    if (!cmdline_option("role", role, sizeof(role)))
        test_skip("needs role=backend (d0) or role=peer (d1)");
    if (!strcmp(role, "peer"))
        peer();
    else if (!strcmp(role, "backend"))
        backend();
    else
        test_error("unknown role '%s'", role);
}
