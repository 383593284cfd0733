/*
 * interdom-self: the single-domain halves of the inter-domain suite, run
 * as dom0 on Xen 4.17 and on Pavise with the same check lines.
 *
 * Event channels: the 4096-port 2-level limit (-ENOSPC), closing one end
 * of a loopback channel (the other end is unbound for us again), send on
 * an unbound port (dropped, 0), EVTCHNOP_reset of ourselves.
 *
 * Grants to ourselves: setup_table/query_size and their limits; a map
 * (host and device) of our own grant, seen through the window and with
 * GTF_reading/GTF_writing set so the granter cannot revoke the entry
 * while it is mapped; a read-only grant refuses a writable map and a
 * read-only mapping faults on write; maps of revoked, foreign,
 * out-of-range refs, of absent domains, with bad flags or at an address
 * without a page table; unmapping twice; grant copy (ok, beyond a page,
 * by frame for another domain, through a bad ref, into a read-only
 * grant, from a frame that is not ours); and maptrack exhaustion
 * (1024 frames of 256 handles: one more map has no handle).
 */
#include "../lib/idom.h"

const char test_title[] = "interdom-self: single-domain event channels and grants";

#define NR_2L_PORTS   4096
#define ABSENT_DOM    7
#define REF_RW        10
#define REF_RO        11
#define REF_REVOKED   12
#define REF_FOREIGN   13
#define REF_COPY_DST  14
#define REF_COPY_RO   15
/* Maptrack: Xen's default gnttab_max_maptrack_frames (1024) of 256
 * handles, less the one entry each vCPU's free list always keeps (we have
 * one vCPU). A map is refused once the pin counter it would raise is at
 * 128: 127 read-only and 128 writable device maps fit on one ref. */
#define MAPTRACK_USABLE (1024u * 256u - 1)
#define MAPS_PER_REF  255u
#define EXHAUST_REFS  (MAPTRACK_USABLE / MAPS_PER_REF + 2)      /* 1030 */
#define EXHAUST_BASE  512u                                  /* refs 512..1536 */

static uint8_t page_a[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_b[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t page_c[PAGE_SIZE] __aligned(PAGE_SIZE);

static domid_t self_id;

/* ---------------------------------------------------------------- event channels */

static void evtchn_limits(void)
{
    struct evtchn_status st;
    evtchn_port_t p, a, b, last = 0;
    unsigned int n = 0, closed = 0;
    long rc;

    while ((rc = ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0) {
        n++;
        last = p;
    }
    check_eq("alloc_unbound past the last port is -ENOSPC", rc, -XEN_ENOSPC);
    check_eq("the last port is 4095 (2-level, 64-bit)", last, NR_2L_PORTS - 1);
    check_eq("bind_ipi with every port taken is -ENOSPC", evtchn_bind_ipi(0, NULL, NULL),
             -XEN_ENOSPC);
    for (p = 1; p < NR_2L_PORTS; p++)
        if (ev_status(DOMID_SELF, p, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
            ev_close(p) == 0)
            closed++;
    check_eq("every port allocated was closed again", closed, n);
    info("%u ports allocated before -ENOSPC", n);

    /* A loopback channel: close one end, the other is unbound for us. */
    check_eq("alloc_unbound for ourselves", ev_alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    check_eq("bind_interdomain to it", ev_bind_interdomain(DOMID_SELF, a, &b), 0);
    check_eq("close the bound end", ev_close(b), 0);
    rc = ev_status(DOMID_SELF, a, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == self_id,
          "the other end is unbound for us again", "rc %ld status %u dom %u", rc, st.status,
          st.u.unbound.dom);
    check_eq("send on it returns 0", ev_send(a), 0);
    check(!evtchn_is_pending(a), "send on an unbound port raises nothing", "pending");
    check_eq("bind to it again", ev_bind_interdomain(DOMID_SELF, a, &b), 0);
    check_eq("close the first end now", ev_close(a), 0);
    rc = ev_status(DOMID_SELF, b, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == self_id,
          "the second end is unbound for us", "rc %ld status %u", rc, st.status);

    /* reset closes every port but what the hypervisor owns. */
    check_eq("EVTCHNOP_reset of ourselves", ev_reset(DOMID_SELF), 0);
    rc = ev_status(DOMID_SELF, b, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_closed, "reset closed our ports",
          "rc %ld status %u", rc, st.status);
    check_eq("reset of a domain that does not exist is -ESRCH", ev_reset(ABSENT_DOM), -XEN_ESRCH);
    idom_init();                        /* reset closed the sleeping port too */
}

/* ---------------------------------------------------------------- grant table */

static void table_setup(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 65 };
    xen_pfn_t frames[1];
    long rc;

    rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    check(rc == 0 && q.status == GNTST_okay, "query_size of ourselves", "rc %ld status %d", rc,
          q.status);
    check_eq("a new table has 1 frame", q.nr_frames, 1);
    check_eq("the most frames a table may have is 64", q.max_nr_frames, 64);
    q.dom = ABSENT_DOM;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    check(rc == 0 && q.status == GNTST_bad_domain, "query_size of an absent domain is bad_domain",
          "rc %ld status %d", rc, q.status);

    set_xen_guest_handle(st.frame_list, frames);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    check(rc == 0 && st.status == GNTST_general_error,
          "setup_table for 65 frames is general_error", "rc %ld status %d", rc, st.status);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 2);
    check_eq("setup_table with count 2 is -EINVAL", rc, -XEN_EINVAL);

    rc = gnt_init(GNT_MAX_FRAMES);
    check_eq("setup_table for 4 frames, mapped", rc, 0);
    q.dom = DOMID_SELF;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    check(rc == 0 && q.nr_frames == GNT_MAX_FRAMES, "the table grew to 4 frames",
          "rc %ld frames %u", rc, q.nr_frames);
}

/* ---------------------------------------------------------------- maps */

static bool write_faults(volatile uint8_t *p)
{
    fault_reset();
    __asm__ __volatile__("1: movb $0x5a, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p) : "memory");
    return last_fault.hit;
}

static void maps(void)
{
    uint8_t *w0 = gnt_window(0), *w1 = gnt_window(1);
    grant_entry_v1_t *e = gnt_entry(REF_RW);
    grant_handle_t h, h2;
    int16_t st;

    data_fill(page_a, PAGE_SIZE, 1, 0);
    gnt_grant(REF_RW, self_id, gnt_mfn(page_a), false);
    st = gnt_map(self_id, REF_RW, w0, GNTMAP_host_map, &h);
    check_eq("map our own grant (host, writable)", st, GNTST_okay);
    check(!memcmp(w0, page_a, PAGE_SIZE), "the mapping shows the granted page", "differs");
    w0[8] = 0xa5;
    check_eq("a write through the mapping reaches the page", page_a[8], 0xa5);
    check_eq("the entry reads GTF_reading|GTF_writing while mapped",
             READ_ONCE(e->flags) & (GTF_reading | GTF_writing), GTF_reading | GTF_writing);
    check(!gnt_end(REF_RW), "the granter cannot revoke an entry in use", "revoked");
    check_eq("... and the entry is unchanged", READ_ONCE(e->flags),
             GTF_permit_access | GTF_reading | GTF_writing);

    st = gnt_map(self_id, REF_RW, w1, GNTMAP_host_map | GNTMAP_readonly, &h2);
    check_eq("a second, read-only mapping of the same grant", st, GNTST_okay);
    check_eq("it shows the same page", w1[8], 0xa5);
    check_eq("unmap the second mapping", gnt_unmap(h2, w1, GNTMAP_host_map), GNTST_okay);
    check_eq("unmap the first", gnt_unmap(h, w0, GNTMAP_host_map), GNTST_okay);
    check_eq("GTF_reading/GTF_writing are cleared after the last unmap",
             READ_ONCE(e->flags), GTF_permit_access);
    check_eq("unmap the same handle again is bad_handle", gnt_unmap(h, w0, GNTMAP_host_map),
             GNTST_bad_handle);
    check_eq("unmap a handle beyond the maptrack is bad_handle",
             gnt_unmap(0x7fffffff, w0, GNTMAP_host_map), GNTST_bad_handle);
    check(gnt_end(REF_RW), "the granter revokes the entry once unmapped", "still in use");

    /* Device mappings: no PTE, the frame's bus address. */
    gnt_grant(REF_RW, self_id, gnt_mfn(page_a), false);
    {
        struct gnttab_map_grant_ref op = {
            .flags = GNTMAP_device_map, .ref = REF_RW, .dom = self_id, .status = 0x5555,
        };
        long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

        check(rc == 0 && op.status == GNTST_okay, "a device mapping of our grant",
              "rc %ld status %d", rc, op.status);
        check_equ("its bus address is the frame's machine address", op.dev_bus_addr,
                  gnt_mfn(page_a) << PAGE_SHIFT);
        struct gnttab_unmap_grant_ref un = {
            .dev_bus_addr = op.dev_bus_addr + PAGE_SIZE, .handle = op.handle, .status = 0x5555,
        };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &un, 1);
        check(rc == 0 && un.status == GNTST_bad_dev_addr,
              "unmap with the wrong bus address is bad_dev_addr", "rc %ld status %d", rc,
              un.status);
        un.dev_bus_addr = op.dev_bus_addr;
        rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &un, 1);
        check(rc == 0 && un.status == GNTST_okay, "unmap the device mapping", "rc %ld status %d",
              rc, un.status);
    }
    check(gnt_end(REF_RW), "revoke after the device unmap", "still in use");

    /* Read-only grants. */
    data_fill(page_b, PAGE_SIZE, 2, 0);
    gnt_grant(REF_RO, self_id, gnt_mfn(page_b), true);
    st = gnt_map(self_id, REF_RO, w0, GNTMAP_host_map, &h);
    check_eq("a writable map of a read-only grant is general_error", st, GNTST_general_error);
    {
        uint64_t pte = ~0ULL;

        check(pt_read_l1e(w0, &pte) && pte == 0, "the refused map left the PTE empty",
              "pte %#lx", (unsigned long)pte);
    }
    st = gnt_map(self_id, REF_RO, w0, GNTMAP_host_map | GNTMAP_readonly, &h);
    check_eq("a read-only map of it", st, GNTST_okay);
    check(!memcmp(w0, page_b, PAGE_SIZE), "the read-only mapping reads the page", "differs");
    {
        uint64_t pte = 0;
        bool found = pt_read_l1e(w0, &pte);

        check(found && (pte & (PTE_P | PTE_W)) == PTE_P && PTE_MFN(pte) == gnt_mfn(page_b),
              "its PTE is present, read-only, and maps the granted frame", "found %d pte %#lx",
              found, (unsigned long)pte);
    }
    check_eq("only GTF_reading is set", READ_ONCE(gnt_entry(REF_RO)->flags),
             GTF_permit_access | GTF_readonly | GTF_reading);
    check(write_faults(w0), "a write through the read-only mapping faults", "no fault");
    check(last_fault.vector == X86_EXC_PF && (last_fault.error_code & 3) == 3 &&
          last_fault.cr2 == (unsigned long)w0,
          "... with #PF, present|write, at the mapped address",
          "vector %u error %#lx cr2 %#lx", last_fault.vector, last_fault.error_code,
          last_fault.cr2);
    info("read-only write fault: error code %#lx", last_fault.error_code);
    check_eq("the page is unchanged", page_b[0], (uint8_t)READ_ONCE(w0[0]));
    check_eq("unmap the read-only mapping", gnt_unmap(h, w0, GNTMAP_host_map), GNTST_okay);
    {
        uint64_t pte = ~0ULL;

        check(pt_read_l1e(w0, &pte) && pte == 0, "unmap leaves an empty PTE", "pte %#lx",
              (unsigned long)pte);
    }
    check(gnt_end(REF_RO), "revoke the read-only grant", "in use");

    /* Refusals. */
    gnt_grant(REF_REVOKED, self_id, gnt_mfn(page_c), false);
    check(gnt_end(REF_REVOKED), "revoke an unused grant", "in use");
    check_eq("map a revoked grant is general_error",
             gnt_map(self_id, REF_REVOKED, w0, GNTMAP_host_map, &h), GNTST_general_error);
    gnt_grant(REF_FOREIGN, ABSENT_DOM, gnt_mfn(page_c), false);
    check_eq("map a grant offered to another domain is general_error",
             gnt_map(self_id, REF_FOREIGN, w0, GNTMAP_host_map, &h), GNTST_general_error);
    gnt_end(REF_FOREIGN);
    check_eq("map a ref beyond the table is bad_gntref",
             gnt_map(self_id, gnt_nr_refs(), w0, GNTMAP_host_map, &h), GNTST_bad_gntref);
    check_eq("map a ref far beyond the table is bad_gntref",
             gnt_map(self_id, 0x7fffffff, w0, GNTMAP_host_map, &h), GNTST_bad_gntref);
    check_eq("map from a domain that does not exist is bad_domain",
             gnt_map(ABSENT_DOM, REF_RW, w0, GNTMAP_host_map, &h), GNTST_bad_domain);
    check_eq("map with dom DOMID_SELF is bad_domain",
             gnt_map(DOMID_SELF, REF_RW, w0, GNTMAP_host_map, &h), GNTST_bad_domain);
    gnt_grant(REF_RW, self_id, gnt_mfn(page_a), false);
    check_eq("map with neither host_map nor device_map is bad_gntref",
             gnt_map(self_id, REF_RW, w0, GNTMAP_readonly, &h), GNTST_bad_gntref);
    check_eq("host map at an address with no page table is general_error",
             gnt_map(self_id, REF_RW, (void *)0x10000000000UL, GNTMAP_host_map, &h),
             GNTST_general_error);
    check_eq("the refused maps left the entry unused", READ_ONCE(gnt_entry(REF_RW)->flags),
             GTF_permit_access);
    check(gnt_end(REF_RW), "revoke it", "in use");
}

/* ---------------------------------------------------------------- copy */

static void copies(void)
{
    struct gnttab_copy op;

    data_fill(page_a, PAGE_SIZE, 3, 0);
    memset(page_b, 0, PAGE_SIZE);
    gnt_grant(REF_COPY_DST, self_id, gnt_mfn(page_b), false);
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = gnt_mfn(page_a);
    op.source.domid = DOMID_SELF;
    op.source.offset = 100;
    op.dest.u.ref = REF_COPY_DST;
    op.dest.domid = self_id;
    op.dest.offset = 200;
    op.len = 1500;
    op.flags = GNTCOPY_dest_gref;
    check_eq("copy 1500 bytes from a frame into our grant", gnt_copy(&op), GNTST_okay);
    check(!memcmp(page_b + 200, page_a + 100, 1500) && page_b[199] == 0 && page_b[1700] == 0,
          "exactly those bytes arrived", "differs");
    check_eq("a copy leaves the grant unused", READ_ONCE(gnt_entry(REF_COPY_DST)->flags),
             GTF_permit_access);

    op.dest.offset = 3000;
    check_eq("a copy beyond the end of the page is bad_copy_arg", gnt_copy(&op),
             GNTST_bad_copy_arg);
    op.dest.offset = 0;
    op.len = PAGE_SIZE + 1;
    check_eq("a copy longer than a page is bad_copy_arg", gnt_copy(&op), GNTST_bad_copy_arg);
    op.len = 64;
    op.dest.u.ref = 0x7fffffff;
    check_eq("a copy through a ref beyond the table is bad_gntref", gnt_copy(&op),
             GNTST_bad_gntref);
    op.dest.u.ref = REF_COPY_DST;
    op.dest.domid = ABSENT_DOM;
    check_eq("a copy through a grant of an absent domain is bad_domain", gnt_copy(&op),
             GNTST_bad_domain);
    op.dest.domid = self_id;
    op.source.domid = ABSENT_DOM;
    check_eq("a copy by frame number from an absent domain is bad_domain", gnt_copy(&op),
             GNTST_bad_domain);
    op.source.domid = self_id;
    check_eq("a copy by frame number naming a domain id (not DOMID_SELF) is permission_denied",
             gnt_copy(&op), GNTST_permission_denied);
    op.source.domid = DOMID_SELF;
    op.source.u.gmfn = ~0UL >> 20;
    check_eq("a copy from a frame that is not ours is bad_page", gnt_copy(&op), GNTST_bad_page);
    op.source.u.gmfn = gnt_mfn(page_a);

    gnt_grant(REF_COPY_RO, self_id, gnt_mfn(page_c), true);
    op.dest.u.ref = REF_COPY_RO;
    check_eq("a copy into a read-only grant is general_error", gnt_copy(&op),
             GNTST_general_error);
    /* ... and out of it is fine. */
    memset(page_c, 0x3c, PAGE_SIZE);
    memset(&op, 0, sizeof(op));
    op.source.u.ref = REF_COPY_RO;
    op.source.domid = self_id;
    op.dest.u.gmfn = gnt_mfn(page_b);
    op.dest.domid = DOMID_SELF;
    op.len = PAGE_SIZE;
    op.flags = GNTCOPY_source_gref;
    check_eq("a copy out of a read-only grant", gnt_copy(&op), GNTST_okay);
    check_eq("the whole page arrived", page_b[PAGE_SIZE - 1], 0x3c);
    check(gnt_end(REF_COPY_RO) && gnt_end(REF_COPY_DST), "both copy grants revoke", "in use");
}

/* ---------------------------------------------------------------- maptrack */

static struct gnttab_map_grant_ref mops[MAPS_PER_REF];
static struct gnttab_unmap_grant_ref uops[256];
static grant_handle_t handles[MAPTRACK_USABLE];

static int16_t map_device(grant_ref_t ref, bool ro, grant_handle_t *h)
{
    struct gnttab_map_grant_ref op = {
        .flags = GNTMAP_device_map | (ro ? GNTMAP_readonly : 0), .ref = ref, .dom = self_id,
        .status = 0x5555,
    };

    if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1))
        test_error("map_grant_ref hypercall failed");
    *h = op.handle;
    return op.status;
}

static int16_t unmap_device(grant_handle_t h, uint64_t bus)
{
    struct gnttab_unmap_grant_ref op = { .dev_bus_addr = bus, .handle = h, .status = 0x5555 };

    if (HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1))
        test_error("unmap_grant_ref hypercall failed");
    return op.status;
}

static void maptrack(void)
{
    const uint64_t bus = gnt_mfn(page_c) << PAGE_SHIFT;
    const grant_ref_t spare = EXHAUST_BASE + EXHAUST_REFS - 1;
    unsigned int done = 0, bad = 0;
    int16_t last_bad = 0;
    grant_handle_t h;
    long rc = 0;

    for (unsigned int r = 0; r < EXHAUST_REFS; r++)
        gnt_grant(EXHAUST_BASE + r, self_id, gnt_mfn(page_c), false);
    /* One batch per ref: 127 read-only, then 128 writable device maps. */
    for (unsigned int r = 0; done < MAPTRACK_USABLE && !bad && !rc; r++) {
        unsigned int n = MIN(MAPS_PER_REF, MAPTRACK_USABLE - done);

        for (unsigned int i = 0; i < n; i++)
            mops[i] = (struct gnttab_map_grant_ref){
                .flags = GNTMAP_device_map | (i < 127 ? GNTMAP_readonly : 0),
                .ref = EXHAUST_BASE + r, .dom = self_id, .status = 0x5555,
            };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, mops, n);
        for (unsigned int i = 0; i < n && !rc; i++) {
            if (mops[i].status == GNTST_okay) {
                handles[done++] = mops[i].handle;
            } else {
                bad++;
                last_bad = mops[i].status;
            }
        }
    }
    check(rc == 0 && bad == 0, "262143 device maps (the whole maptrack of one vCPU) succeed",
          "rc %ld, %u maps failed (last status %d) after %u", rc, bad, last_bad, done);
    check_eq("one more map has no maptrack handle: no_space", map_device(spare, false, &h),
             GNTST_no_space);

    check_eq("unmap with neither address: ok", unmap_device(handles[0], 0), GNTST_okay);
    check_eq("... but it removed nothing: still no handle", map_device(spare, false, &h),
             GNTST_no_space);
    check_eq("unmap with the bus address", unmap_device(handles[0], bus), GNTST_okay);
    check_eq("the freed handle serves a new map", map_device(spare, false, &handles[0]),
             GNTST_okay);
    check_eq("unmap another", unmap_device(handles[1], bus), GNTST_okay);
    check_eq("a 129th writable pin of one ref is general_error",
             map_device(EXHAUST_BASE, false, &h), GNTST_general_error);
    check_eq("its read-only count is apart; the refused map freed its handle",
             map_device(EXHAUST_BASE, true, &handles[1]), GNTST_okay);
    check_eq("the maptrack is full again", map_device(spare, true, &h), GNTST_no_space);

    bad = 0;
    for (unsigned int i = 0; i < done; i += 256) {
        unsigned int n = MIN(256u, done - i);

        for (unsigned int j = 0; j < n; j++)
            uops[j] = (struct gnttab_unmap_grant_ref){
                .dev_bus_addr = bus, .handle = handles[i + j], .status = 0x5555,
            };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, n);
        for (unsigned int j = 0; j < n; j++)
            bad += rc || uops[j].status != GNTST_okay;
    }
    check_eq("every device mapping unmaps", bad, 0);
    bad = 0;
    for (unsigned int r = 0; r < EXHAUST_REFS; r++)
        bad += !gnt_end(EXHAUST_BASE + r);
    check_eq("every exhausted grant revokes afterwards", bad, 0);
}

void test_main(void)
{
    long id;

    idom_init();
    id = ev_self_domid();
    check(id >= 0, "our domain id from an unbound port's status", "rc %ld", id);
    self_id = (domid_t)id;
    evtchn_limits();
    table_setup();
    maps();
    copies();
    maptrack();
}
