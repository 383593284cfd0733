/*
 * attack: grant and event-channel attacks between three boot-time domains
 * (Pavise only: Xen x86 has no boot-time domUs; the single-domain forms
 * of these attacks run on Xen 4.17 too, in tests/interdom/self).
 *
 *   role=victim   d1: grants pages with various flags, drives the script
 *   role=attacker d2: tries what it must not be allowed to do
 *   role=third    d3: a third domain, and the proof that the hypervisor
 *                 keeps serving others while d2 misbehaves
 *
 * Each refusal is its own check, with Xen 4.17's status: a grant offered
 * to another domain, an out-of-range ref, a revoked grant, a writable map
 * of a read-only grant (and a write through a read-only mapping faults,
 * leaving the page unchanged), copies beyond a page / into a read-only
 * grant / by frame number of another domain, unmapping twice, the
 * granter revoking an entry in use, maptrack exhaustion (no_space, while
 * d3 still maps), binding a port offered to another domain, sending on an
 * unbound port. Last, d1 dies while d2 maps its page: the frame outlives
 * d1 until d2 unmaps it.
 */
#include "../lib/idom.h"

const char test_title[] = "interdom attack: refused grant and event-channel attacks";

#define VICTIM      1
#define ATTACKER    2
#define THIRD       3
#define SEED        0xa77ac4ULL

#define R_THIRD     20      /* to d3 */
#define R_REVOKED   21      /* to d2, revoked */
#define R_RO        22      /* to d2, read-only */
#define R_COPY      23      /* to d2 */
#define R_BUSY      24      /* to d2, mapped while the victim revokes */
#define R_DEATH     25      /* to d2, mapped when the victim dies */
#define R_COPYRO    26      /* to d2, read-only, copied into */
#define R_EXH       512     /* to d2: the maptrack exhaustion refs */
/* One vCPU's usable maptrack, and device maps per ref (see self/main.c). */
#define MAPTRACK_USABLE (1024u * 256u - 1)
#define MAPS_PER_REF    255u
#define EXH_REFS        (MAPTRACK_USABLE / MAPS_PER_REF + 1)

static struct link la, lt;      /* victim: la = attacker, lt = third; others: la = victim */

static uint8_t pages[8][PAGE_SIZE] __aligned(PAGE_SIZE);
#define PG(ref) pages[(ref) - R_THIRD]

/* ---------------------------------------------------------------- victim */

static void victim(void)
{
    evtchn_port_t spare;
    unsigned int bad = 0;

    check_eq("victim: setup_table for 4 frames", gnt_init(GNT_MAX_FRAMES), 0);
    for (grant_ref_t r = R_THIRD; r <= R_COPYRO; r++)
        data_fill(PG(r), PAGE_SIZE, SEED, r);
    gnt_grant(R_THIRD, THIRD, gnt_mfn(PG(R_THIRD)), false);
    gnt_grant(R_REVOKED, ATTACKER, gnt_mfn(PG(R_REVOKED)), false);
    check(gnt_end(R_REVOKED), "victim: revoke an unused grant", "in use");
    gnt_grant(R_RO, ATTACKER, gnt_mfn(PG(R_RO)), true);
    gnt_grant(R_COPY, ATTACKER, gnt_mfn(PG(R_COPY)), false);
    gnt_grant(R_BUSY, ATTACKER, gnt_mfn(PG(R_BUSY)), false);
    gnt_grant(R_COPYRO, ATTACKER, gnt_mfn(PG(R_COPYRO)), true);
    for (unsigned int i = 0; i < EXH_REFS; i++)
        gnt_grant(R_EXH + i, ATTACKER, gnt_mfn(pages[7]), false);
    link_master(&la, ATTACKER, "victim-attacker");
    link_master(&lt, THIRD, "victim-third");
    /* After the links: the peers bind the first port left for them. */
    check_eq("victim: offer d2 a port (for d3 to try)",
             ev_alloc_unbound(DOMID_SELF, ATTACKER, &spare), 0);

    link_step(&la);                         /* S1: d2's refused maps and copies */
    check_eq("victim: the entry d2 maps reads GTF_reading|GTF_writing",
             READ_ONCE(gnt_entry(R_BUSY)->flags) & (GTF_reading | GTF_writing),
             GTF_reading | GTF_writing);
    check(!gnt_end(R_BUSY), "victim: cannot revoke an entry d2 has mapped", "revoked");
    check_eq("victim: ... the entry is unchanged", READ_ONCE(gnt_entry(R_BUSY)->flags),
             GTF_permit_access | GTF_reading | GTF_writing);
    {
        static uint8_t want[PAGE_SIZE];

        data_fill(want, PAGE_SIZE, SEED, R_RO);
        check(!memcmp(PG(R_RO), want, PAGE_SIZE),
              "victim: d2's write through its read-only mapping changed nothing", "changed");
        data_fill(want, PAGE_SIZE, SEED, R_COPYRO);
        check(!memcmp(PG(R_COPYRO), want, PAGE_SIZE),
              "victim: d2's copy into a read-only grant changed nothing", "changed");
    }
    link_step(&la);                         /* S3: d2 unmaps */
    check(gnt_end(R_BUSY), "victim: revokes the entry once d2 unmapped it", "still in use");
    check_eq("victim: d2 left the refused entries unused",
             READ_ONCE(gnt_entry(R_RO)->flags), GTF_permit_access | GTF_readonly);

    link_step(&lt);                         /* S5: d3 maps its grant, tries d2's */
    link_step(&la);                         /* S6: d2 exhausts its maptrack */
    link_step(&lt);                         /* S8: d3 still maps */
    link_step(&la);                         /* S9: d2 unmaps everything */
    for (unsigned int i = 0; i < EXH_REFS; i++)
        bad += !gnt_end(R_EXH + i);
    check_eq("victim: every exhausted grant revokes once d2 unmapped", bad, 0);

    gnt_grant(R_DEATH, ATTACKER, gnt_mfn(PG(R_DEATH)), false);
    link_step(&la);                         /* S11: d2 maps R_DEATH */
    data_fill(PG(R_DEATH), PAGE_SIZE, SEED, 99);
    check_eq("victim: dies with its page mapped by d2",
             READ_ONCE(gnt_entry(R_DEATH)->flags) & (GTF_reading | GTF_writing),
             GTF_reading | GTF_writing);
    /* S12: our end; d2 and d3 notice our ports close. */
}

/* ---------------------------------------------------------------- attacker */

static bool write_faults(volatile uint8_t *p)
{
    fault_reset();
    __asm__ __volatile__("1: movb $0x5a, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(p) : "memory");
    return last_fault.hit;
}

static struct gnttab_map_grant_ref mops[MAPS_PER_REF];
static struct gnttab_unmap_grant_ref uops[256];
static grant_handle_t handles[MAPTRACK_USABLE];

static void attacker_maptrack(void)
{
    unsigned int done = 0, bad = 0;
    uint64_t dev_bus = 0;
    int16_t last = 0;
    long rc = 0;

    for (unsigned int r = 0; done < MAPTRACK_USABLE && !bad && !rc; r++) {
        unsigned int n = MIN(MAPS_PER_REF, MAPTRACK_USABLE - done);

        for (unsigned int i = 0; i < n; i++)
            mops[i] = (struct gnttab_map_grant_ref){
                .flags = GNTMAP_device_map | (i < 127 ? GNTMAP_readonly : 0),
                .ref = R_EXH + r, .dom = VICTIM, .status = 0x5555,
            };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, mops, n);
        for (unsigned int i = 0; i < n && !rc; i++) {
            if (mops[i].status == GNTST_okay) {
                handles[done++] = mops[i].handle;
                dev_bus = mops[i].dev_bus_addr;
            } else {
                bad++;
                last = mops[i].status;
            }
        }
    }
    check(rc == 0 && bad == 0, "attacker: 262143 device maps of d1's grants fill its maptrack",
          "rc %ld, %u failed (last %d) after %u", rc, bad, last, done);
    mops[0] = (struct gnttab_map_grant_ref){
        .flags = GNTMAP_device_map, .ref = R_EXH + EXH_REFS - 1, .dom = VICTIM, .status = 0x5555,
    };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, mops, 1);
    check(rc == 0 && mops[0].status == GNTST_no_space,
          "attacker: one more map is refused: no_space", "rc %ld status %d", rc, mops[0].status);
    link_pass(&la);
    link_wait(&la);                         /* S9: unmap everything */
    bad = 0;
    for (unsigned int i = 0; i < done; i += 256) {
        unsigned int n = MIN(256u, done - i);

        for (unsigned int j = 0; j < n; j++)
            uops[j] = (struct gnttab_unmap_grant_ref){
                .dev_bus_addr = dev_bus, .handle = handles[i + j], .status = 0x5555,
            };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, n);
        for (unsigned int j = 0; j < n; j++)
            bad += rc || uops[j].status != GNTST_okay;
    }
    check_eq("attacker: every device mapping unmaps", bad, 0);
}

static void attacker(void)
{
    uint8_t *w0 = gnt_window(0), *w1 = gnt_window(1);
    static uint8_t buf[PAGE_SIZE] __aligned(PAGE_SIZE), want[PAGE_SIZE];
    grant_handle_t h, hbusy, hdeath;
    struct gnttab_copy op;
    struct gnttab_map_grant_ref dm;
    evtchn_port_t p;
    int16_t st;

    link_slave(&la, VICTIM, "attacker-victim");
    link_wait(&la);                         /* S1 */
    check_eq("attacker: map a grant d1 offered d3 is general_error",
             gnt_map(VICTIM, R_THIRD, w0, GNTMAP_host_map, &h), GNTST_general_error);
    check_eq("attacker: map a ref beyond d1's table is bad_gntref",
             gnt_map(VICTIM, GNT_MAX_FRAMES * GNT_REFS_PER_FRAME, w0, GNTMAP_host_map, &h),
             GNTST_bad_gntref);
    check_eq("attacker: map ref 0x7fffffff is bad_gntref",
             gnt_map(VICTIM, 0x7fffffff, w0, GNTMAP_host_map, &h), GNTST_bad_gntref);
    check_eq("attacker: map a revoked grant is general_error",
             gnt_map(VICTIM, R_REVOKED, w0, GNTMAP_host_map, &h), GNTST_general_error);
    check_eq("attacker: map a domain that does not exist is bad_domain",
             gnt_map(7, R_COPY, w0, GNTMAP_host_map, &h), GNTST_bad_domain);
    check_eq("attacker: a writable map of a read-only grant is general_error",
             gnt_map(VICTIM, R_RO, w0, GNTMAP_host_map, &h), GNTST_general_error);
    st = gnt_map(VICTIM, R_RO, w0, GNTMAP_host_map | GNTMAP_readonly, &h);
    check_eq("attacker: a read-only map of it", st, GNTST_okay);
    data_fill(want, PAGE_SIZE, SEED, R_RO);
    check(st == GNTST_okay && !memcmp(w0, want, PAGE_SIZE), "attacker: reads d1's page", "differs");
    check(st == GNTST_okay && write_faults(w0) && last_fault.vector == X86_EXC_PF &&
          (last_fault.error_code & 3) == 3 && last_fault.cr2 == (unsigned long)w0,
          "attacker: a write through it faults (#PF, present|write)", "vector %u error %#lx",
          last_fault.vector, last_fault.error_code);
    {
        uint64_t pte = 0;
        bool found = pt_read_l1e(w0, &pte);

        check(found && (pte & (PTE_P | PTE_W)) == PTE_P, "attacker: its PTE is read-only",
              "found %d pte %#lx", found, (unsigned long)pte);
    }
    check_eq("attacker: unmap it", gnt_unmap(h, w0, GNTMAP_host_map), GNTST_okay);
    check_eq("attacker: unmap it again is bad_handle", gnt_unmap(h, w0, GNTMAP_host_map),
             GNTST_bad_handle);
    check_eq("attacker: unmap a handle never issued is bad_handle",
             gnt_unmap(0x00ffffff, w0, GNTMAP_host_map), GNTST_bad_handle);

    memset(&op, 0, sizeof(op));
    op.source.u.ref = R_COPY;
    op.source.domid = VICTIM;
    op.source.offset = 4000;
    op.dest.u.gmfn = gnt_mfn(buf);
    op.dest.domid = DOMID_SELF;
    op.len = 200;
    op.flags = GNTCOPY_source_gref;
    check_eq("attacker: a copy beyond the granted page is bad_copy_arg", gnt_copy(&op),
             GNTST_bad_copy_arg);
    op.source.offset = 0;
    op.len = PAGE_SIZE;
    check_eq("attacker: a copy of the whole granted page", gnt_copy(&op), GNTST_okay);
    data_fill(want, PAGE_SIZE, SEED, R_COPY);
    check(!memcmp(buf, want, PAGE_SIZE), "attacker: ... brings d1's data", "differs");
    op.source.u.gmfn = gnt_mfn(buf);    /* a frame number, as if it were d1's */
    op.flags = 0;
    check_eq("attacker: a copy by frame number naming d1 is permission_denied", gnt_copy(&op),
             GNTST_permission_denied);
    memset(&op, 0, sizeof(op));
    op.source.u.gmfn = gnt_mfn(buf);
    op.source.domid = DOMID_SELF;
    op.dest.u.ref = R_COPYRO;
    op.dest.domid = VICTIM;
    op.len = 64;
    op.flags = GNTCOPY_dest_gref;
    check_eq("attacker: a copy into d1's read-only grant is general_error", gnt_copy(&op),
             GNTST_general_error);
    op.dest.u.ref = R_THIRD;
    check_eq("attacker: a copy into a grant for d3 is general_error", gnt_copy(&op),
             GNTST_general_error);
    st = gnt_map(VICTIM, R_BUSY, w1, GNTMAP_host_map, &hbusy);
    check_eq("attacker: maps the page d1 will try to revoke", st, GNTST_okay);
    check_eq("attacker: offer d1 a port", ev_alloc_unbound(DOMID_SELF, VICTIM, &p), 0);
    check_eq("attacker: send on it while unbound returns 0 (dropped)", ev_send(p), 0);
    check_eq("attacker: close it", ev_close(p), 0);
    link_pass(&la);

    link_wait(&la);                         /* S3 */
    check_eq("attacker: unmaps it", gnt_unmap(hbusy, w1, GNTMAP_host_map), GNTST_okay);
    link_pass(&la);

    link_wait(&la);                         /* S6 */
    attacker_maptrack();
    link_pass(&la);

    link_wait(&la);                         /* S11: map the page d1 dies with */
    st = gnt_map(VICTIM, R_DEATH, w0, GNTMAP_host_map, &hdeath);
    check_eq("attacker: maps d1's last page (host)", st, GNTST_okay);
    dm = (struct gnttab_map_grant_ref){
        .flags = GNTMAP_device_map, .ref = R_DEATH, .dom = VICTIM, .status = 0x5555,
    };
    check(HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &dm, 1) == 0 && dm.status == 0,
          "attacker: and as a device", "status %d", dm.status);
    link_pass(&la);

    /* d1 ends: its side of our link closes. */
    check(link_wait_peer_gone(&la, 30000 * MS), "attacker: sees d1 die (its port closed)",
          "still bound");
    data_fill(want, PAGE_SIZE, SEED, 99);
    check(!memcmp(w0, want, PAGE_SIZE), "attacker: d1's page outlives d1 while mapped",
          "differs");
    idom_sleep(1000 * MS);          /* d1's teardown is printed by now */
    check_eq("attacker: unmap the dead domain's page (host)",
             gnt_unmap(hdeath, w0, GNTMAP_host_map), GNTST_okay);
    {
        struct gnttab_unmap_grant_ref un = {
            .dev_bus_addr = dm.dev_bus_addr, .handle = dm.handle, .status = 0x5555,
        };

        check(HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &un, 1) == 0 &&
              un.status == GNTST_okay, "attacker: and the device mapping", "status %d",
              un.status);
    }
}

/* ---------------------------------------------------------------- third */

static void third(void)
{
    uint8_t *w0 = gnt_window(0);
    static uint8_t want[PAGE_SIZE];
    evtchn_port_t p;
    grant_handle_t h;
    int16_t st;

    link_slave(&lt, VICTIM, "third-victim");
    link_wait(&lt);                         /* S5 */
    st = gnt_map(VICTIM, R_THIRD, w0, GNTMAP_host_map | GNTMAP_readonly, &h);
    check_eq("third: maps the grant d1 offered it", st, GNTST_okay);
    data_fill(want, PAGE_SIZE, SEED, R_THIRD);
    check(st == GNTST_okay && !memcmp(w0, want, PAGE_SIZE), "third: reads d1's page", "differs");
    check_eq("third: unmaps it", gnt_unmap(h, w0, GNTMAP_host_map), GNTST_okay);
    check_eq("third: map a grant d1 offered d2 is general_error",
             gnt_map(VICTIM, R_COPY, w0, GNTMAP_host_map, &h), GNTST_general_error);
    for (p = 1; p < 16; p++)
        if (ev_bind_interdomain(VICTIM, p, NULL) == 0)
            break;
    check(p == 16, "third: cannot bind any port of d1 (one is unbound for d2)", "bound port %u", p);
    link_pass(&lt);

    link_wait(&lt);                         /* S8: while d2's maptrack is full */
    st = gnt_map(VICTIM, R_THIRD, w0, GNTMAP_host_map | GNTMAP_readonly, &h);
    check_eq("third: still maps while d2's maptrack is exhausted", st, GNTST_okay);
    check_eq("third: unmaps again", gnt_unmap(h, w0, GNTMAP_host_map), GNTST_okay);
    link_pass(&lt);
    check(link_wait_peer_gone(&lt, 60000 * MS), "third: sees d1 die", "still bound");
}

void test_main(void)
{
    char role[12];

    idom_init();
    opt_str("role", role, sizeof(role), "");
    if (!strcmp(role, "victim"))
        victim();
    else if (!strcmp(role, "attacker"))
        attacker();
    else if (!strcmp(role, "third"))
        third();
    else
        test_error("role=victim|attacker|third expected, got '%s'", role);
}
