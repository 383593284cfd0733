/*
 * grant-setup: the grant table itself. query_size, setup_table (growth,
 * limits, bad output buffers), get_version/set_version, get_status_frames,
 * add_to_physmap(XENMAPSPACE_grant_table) for a PV domain, and the
 * whole-call argument rules of grant_table_op. Every expectation is what
 * Xen 4.17 answers to a 64-bit PV initial domain.
 */
#include "gnttest.h"

const char test_title[] = "grant-setup: setup_table, query_size, versions, status frames";

#define NO_DOMAIN   0x7fefu             /* a domid nobody has */
#define BAD_XEN     0xffff830000000000UL

static long gnttab_op(unsigned int cmd, void *op, unsigned int count)
{
    return HYPERVISOR_grant_table_op(cmd, op, count);
}

static void query_size(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF, .status = 77 };

    check_eq("query_size returns 0", gnttab_op(GNTTABOP_query_size, &q, 1), 0);
    check_st("query_size status okay", q.status, GNTST_okay);
    check_eq("a new table has 1 frame", q.nr_frames, 1);
    check_eq("the table may grow to 64 frames", q.max_nr_frames, 64);
    info("query_size: %u of %u frames", q.nr_frames, q.max_nr_frames);

    q = (struct gnttab_query_size){ .dom = SELF_ID, .status = 77 };
    check_eq("query_size by our own domid returns 0", gnttab_op(GNTTABOP_query_size, &q, 1), 0);
    check_st("query_size by our own domid: okay", q.status, GNTST_okay);
    q = (struct gnttab_query_size){ .dom = NO_DOMAIN, .nr_frames = 1234, .status = 77 };
    check_eq("query_size of a missing domain returns 0", gnttab_op(GNTTABOP_query_size, &q, 1), 0);
    check_st("query_size of a missing domain: bad_domain", q.status, GNTST_bad_domain);
    check_eq("query_size of a missing domain leaves nr_frames", q.nr_frames, 1234);

    check_eq("query_size with count 0 is -EINVAL", gnttab_op(GNTTABOP_query_size, &q, 0), -XEN_EINVAL);
    check_eq("query_size with count 2 is -EINVAL", gnttab_op(GNTTABOP_query_size, &q, 2), -XEN_EINVAL);
    check_eq("query_size from a hypervisor address is -EFAULT",
             gnttab_op(GNTTABOP_query_size, (void *)BAD_XEN, 1), -XEN_EFAULT);
    check_eq("query_size into the read-only M2P is -EFAULT",
             gnttab_op(GNTTABOP_query_size, (void *)MACH2PHYS_VIRT_START, 1), -XEN_EFAULT);
}

static void versions(void)
{
    struct gnttab_get_version gv = { .dom = DOMID_SELF, .version = 77 };
    struct gnttab_set_version sv;
    long rc;

    check_eq("get_version returns 0", gnttab_op(GNTTABOP_get_version, &gv, 1), 0);
    check_eq("the table starts at version 1", gv.version, 1);
    gv = (struct gnttab_get_version){ .dom = SELF_ID, .version = 77 };
    check_eq("get_version by our own domid", gnttab_op(GNTTABOP_get_version, &gv, 1), 0);
    check_eq("get_version by our own domid says 1", gv.version, 1);
    gv = (struct gnttab_get_version){ .dom = NO_DOMAIN };
    check_eq("get_version of a missing domain is -ESRCH", gnttab_op(GNTTABOP_get_version, &gv, 1),
             -XEN_ESRCH);
    check_eq("get_version from a hypervisor address is -EFAULT",
             gnttab_op(GNTTABOP_get_version, (void *)BAD_XEN, 1), -XEN_EFAULT);

    sv.version = 1;
    check_eq("set_version(1) on version 1 returns 0", gnttab_op(GNTTABOP_set_version, &sv, 1), 0);
    check_eq("set_version(1) reports version 1", sv.version, 1);
    sv.version = 1;
    check_eq("set_version ignores count", gnttab_op(GNTTABOP_set_version, &sv, 0), 0);
    sv.version = 0;
    check_eq("set_version(0) is -EINVAL", gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
    check_eq("set_version(0) reports the version in force", sv.version, 1);
    sv.version = 3;
    check_eq("set_version(3) is -EINVAL", gnttab_op(GNTTABOP_set_version, &sv, 1), -XEN_EINVAL);
    check_eq("set_version(3) reports the version in force", sv.version, 1);

    /*
     * Version 2 is a configuration choice (Xen: gnttab=max-ver). Refused,
     * it is -ENOSYS with version 1 reported (Pavise, or Xen with
     * max-ver:1); allowed, the table switches and we switch back.
     */
    sv.version = 2;
    rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
    info("set_version(2): rc %ld, version %u", rc, sv.version);
    check((rc == -XEN_ENOSYS && sv.version == 1) || (rc == 0 && sv.version == 2),
          "set_version(2) is refused with -ENOSYS (v1 kept) or switches to v2",
          "rc %ld version %u", rc, sv.version);
    if (rc == 0) {
        sv.version = 1;
        rc = gnttab_op(GNTTABOP_set_version, &sv, 1);
    } else {
        rc = 0;
    }
    check_eq("back at version 1", rc, 0);
    gv = (struct gnttab_get_version){ .dom = DOMID_SELF };
    gnttab_op(GNTTABOP_get_version, &gv, 1);
    check_eq("get_version says 1 again", gv.version, 1);
}

static void status_frames(void)
{
    uint64_t frames[2];
    struct gnttab_get_status_frames gs = { .dom = DOMID_SELF, .nr_frames = 0, .status = 77 };

    set_xen_guest_handle(gs.frame_list, frames);
    check_eq("get_status_frames(0) returns 0", gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    check_st("get_status_frames(0) on v1: okay", gs.status, GNTST_okay);
    gs.nr_frames = 1;
    gs.status = 77;
    check_eq("get_status_frames(1) returns 0", gnttab_op(GNTTABOP_get_status_frames, &gs, 1), 0);
    check_st("get_status_frames(1) on v1: general_error (no status frames)", gs.status,
             GNTST_general_error);
    gs.dom = NO_DOMAIN;
    gs.status = 77;
    gnttab_op(GNTTABOP_get_status_frames, &gs, 1);
    check_st("get_status_frames of a missing domain: bad_domain", gs.status, GNTST_bad_domain);
    check_eq("get_status_frames with count 2 is -EINVAL",
             gnttab_op(GNTTABOP_get_status_frames, &gs, 2), -XEN_EINVAL);
}

static void setup_table(void)
{
    static xen_pfn_t frames[70];
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1, .status = 77 };
    xen_pfn_t first;
    long rc;

    memset(frames, 0, sizeof(frames));
    set_xen_guest_handle(st.frame_list, frames);
    check_eq("setup_table(1) returns 0", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    check_st("setup_table(1): okay", st.status, GNTST_okay);
    first = frames[0];
    check(first != 0, "setup_table(1) returns a frame", "frame %#lx", (unsigned long)first);
    rc = HYPERVISOR_update_va_mapping(scratch_va(0), (first << PAGE_SHIFT) | _PAGE_PRESENT |
                                      _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY, UVMF_INVLPG);
    check_eq("the grant frame is ours to map writable", rc, 0);
    {
        const grant_entry_v1_t *e = (const grant_entry_v1_t *)scratch_va(0);
        bool zero = true;

        for (unsigned int i = 0; i < GNTTAB_NR_RESERVED_ENTRIES; i++)
            if (e[i].flags || e[i].domid || e[i].frame)
                zero = false;
        check(zero, "the reserved entries of the initial domain are empty", "not zero");
    }
    check_eq("restoring the scratch page", scratch_restore(0), 0);

    frames[0] = 0;
    st = (struct gnttab_setup_table){ .dom = SELF_ID, .nr_frames = 1, .status = 77 };
    set_xen_guest_handle(st.frame_list, frames);
    gnttab_op(GNTTABOP_setup_table, &st, 1);
    check_st("setup_table by our own domid: okay", st.status, GNTST_okay);
    check_equ("the grant frame stays the same", frames[0], first);

    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 4, .status = 77 };
    set_xen_guest_handle(st.frame_list, frames);
    gnttab_op(GNTTABOP_setup_table, &st, 1);
    check_st("setup_table(4) grows the table: okay", st.status, GNTST_okay);
    check_equ("growing keeps frame 0", frames[0], first);
    check(frames[1] && frames[2] && frames[3] && frames[1] != frames[2] && frames[2] != frames[3] &&
          frames[1] != first, "growing adds 3 distinct frames", "%#lx %#lx %#lx",
          (unsigned long)frames[1], (unsigned long)frames[2], (unsigned long)frames[3]);
    {
        struct gnttab_query_size q = { .dom = DOMID_SELF };

        gnttab_op(GNTTABOP_query_size, &q, 1);
        check_eq("query_size then says 4 frames", q.nr_frames, 4);
    }

    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 0, .status = 77 };
    set_xen_guest_handle(st.frame_list, NULL);
    check_eq("setup_table(0) with no list returns 0", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    check_st("setup_table(0): okay", st.status, GNTST_okay);

    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 65, .status = 77 };
    set_xen_guest_handle(st.frame_list, frames);
    gnttab_op(GNTTABOP_setup_table, &st, 1);
    check_st("setup_table(65) beyond the maximum: general_error", st.status, GNTST_general_error);
    st.nr_frames = 0xffffffffu;
    st.status = 77;
    check_eq("setup_table(0xffffffff) returns 0", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    check_st("setup_table(0xffffffff): general_error", st.status, GNTST_general_error);
    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 64, .status = 77 };
    set_xen_guest_handle(st.frame_list, frames);
    gnttab_op(GNTTABOP_setup_table, &st, 1);
    check_st("setup_table(64), the maximum: okay", st.status, GNTST_okay);
    {
        struct gnttab_query_size q = { .dom = DOMID_SELF };

        gnttab_op(GNTTABOP_query_size, &q, 1);
        check_eq("query_size then says 64 frames", q.nr_frames, 64);
    }

    st = (struct gnttab_setup_table){ .dom = NO_DOMAIN, .nr_frames = 1, .status = 77 };
    set_xen_guest_handle(st.frame_list, frames);
    check_eq("setup_table of a missing domain returns 0", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    check_st("setup_table of a missing domain: bad_domain", st.status, GNTST_bad_domain);

    /* A frame list in our own space that we cannot write: each frame that
     * cannot be written is bad_virt_addr, the call itself succeeds. */
    rc = HYPERVISOR_update_va_mapping(scratch_va(1), (virt_to_mfn((void *)scratch_va(1)) << PAGE_SHIFT) |
                                      _PAGE_PRESENT | _PAGE_ACCESSED, UVMF_INVLPG);
    check_eq("a scratch page can be made read-only", rc, 0);
    st = (struct gnttab_setup_table){ .dom = DOMID_SELF, .nr_frames = 2, .status = 77 };
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)scratch_va(1));
    check_eq("setup_table into a read-only page returns 0", gnttab_op(GNTTABOP_setup_table, &st, 1), 0);
    check_st("setup_table into a read-only page: bad_virt_addr", st.status, GNTST_bad_virt_addr);
    check_eq("restoring the read-only page", scratch_restore(1), 0);
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)MACH2PHYS_VIRT_START);
    check_eq("setup_table into the M2P (hypervisor range) is -EFAULT",
             gnttab_op(GNTTABOP_setup_table, &st, 1), -XEN_EFAULT);
    set_xen_guest_handle(st.frame_list, (xen_pfn_t *)BAD_XEN);
    check_eq("setup_table into the hypervisor is -EFAULT", gnttab_op(GNTTABOP_setup_table, &st, 1),
             -XEN_EFAULT);
    check_eq("setup_table with count 0 is -EINVAL", gnttab_op(GNTTABOP_setup_table, &st, 0), -XEN_EINVAL);
    check_eq("setup_table with count 2 is -EINVAL", gnttab_op(GNTTABOP_setup_table, &st, 2), -XEN_EINVAL);
}

static void call_rules(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x1000,
    };

    check_eq("continuation bits on query_size are -EINVAL",
             gnttab_op(GNTTABOP_query_size | (1u << 12), &q, 1), -XEN_EINVAL);
    check_eq("a count with the top bit set is -EINVAL",
             gnttab_op(GNTTABOP_query_size, &q, 0x80000000u), -XEN_EINVAL);
    check_eq("dump_table (3) is -ENOSYS", gnttab_op(GNTTABOP_dump_table, &q, 1), -XEN_ENOSYS);
    check_eq("map_grant_ref with count 0 returns 0", gnttab_op(GNTTABOP_map_grant_ref, NULL, 0), 0);
    check_eq("unmap_grant_ref with count 0 returns 0", gnttab_op(GNTTABOP_unmap_grant_ref, NULL, 0), 0);
    check_eq("copy with count 0 returns 0", gnttab_op(GNTTABOP_copy, NULL, 0), 0);
    check_eq("map_grant_ref list in the hypervisor is -EFAULT",
             gnttab_op(GNTTABOP_map_grant_ref, (void *)BAD_XEN, 1), -XEN_EFAULT);
    check_eq("copy list in the hypervisor is -EFAULT", gnttab_op(GNTTABOP_copy, (void *)BAD_XEN, 1),
             -XEN_EFAULT);

    /* A PV domain's grant frames come from setup_table; add_to_physmap is
     * for translated guests and Xen refuses it whatever the space. */
    check_eq("add_to_physmap(grant_table) for a PV domain is -EACCES",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), -XEN_EACCES);
    xatp.space = XENMAPSPACE_shared_info;
    check_eq("add_to_physmap(shared_info) for a PV domain is -EACCES",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), -XEN_EACCES);
    xatp.domid = NO_DOMAIN;
    check_eq("add_to_physmap for a missing domain is -ESRCH",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), -XEN_ESRCH);
    xatp.domid = DOMID_SELF;
    xatp.space = XENMAPSPACE_gmfn_foreign;
    check_eq("add_to_physmap(gmfn_foreign) is -ENOSYS (batch only)",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp), -XEN_ENOSYS);
    check_eq("add_to_physmap from a hypervisor address is -EFAULT",
             HYPERVISOR_memory_op(XENMEM_add_to_physmap, (void *)BAD_XEN), -XEN_EFAULT);
}

void test_main(void)
{
    query_size();
    versions();
    status_frames();
    setup_table();
    call_rules();
}
