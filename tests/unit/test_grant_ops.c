/*
 * Grant operations between domains (grant/map.c, copy.c, table.c) on the
 * fake world, where a second and third domain exist: who may map and copy
 * what, the references a mapping holds and gives back, unprivileged
 * callers naming other tables, and the death of a granter or a mapper
 * with mappings in place. Every test ends with every frame back to its
 * allocation reference and nothing allocated.
 */
#include <check.h>
#include <string.h>
#include <pvabi/errno.h>
#include <pvabi/grant_table.h>
#include "../../grant/env.h"
#include "grant_fake.h"

#define VA(i)   (FAKE_VA_BASE + (i) * PAGE_SIZE)
#define PTE(i)  (FAKE_PTE_BASE + (i) * 8)

static struct domain *d0, *d1, *d2;     /* d0 privileged */

static void setup(void)
{
    fake_reset();
    d0 = fake_domain(0, true, 2, 4);
    d1 = fake_domain(1, false, 1, 4);
    d2 = fake_domain(2, false, 1, 4);
}

static void teardown(void)
{
    if (d2->gt)
        fake_destroy(d2);
    if (d1->gt)
        fake_destroy(d1);
    if (d0->gt)
        fake_destroy(d0);
    ck_assert(fake_frames_idle());
    ck_assert_int_eq(fake_allocs, 0);
    ck_assert_int_eq(gnttab_live.tables, 0);
    ck_assert_int_eq(gnttab_live.pinned, 0);
    ck_assert_int_eq(gnttab_live.handles, 0);
    ck_assert_int_eq(d0->refcnt + d1->refcnt + d2->refcnt, 0);
}

START_TEST(map_references_and_release)
{
    uint64_t f = fake_frame_alloc(d1, FT_NONE);
    struct fake_frame *fr = fake_frame(f);
    grant_handle_t h, hd;

    fake_grant(d1, 8, 0, (uint32_t)f, GTF_permit_access);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 8, 1, &h), GNTST_okay);
    /* the PTE holds a general and a writable type reference */
    ck_assert_int_eq(fr->count, 2);
    ck_assert_int_eq(fr->type_count, 1);
    ck_assert(fake_ptes[0].present && fake_ptes[0].grant && fake_ptes[0].rw && fake_ptes[0].mfn == f);
    /* the mapping holds the granter's table and domain */
    ck_assert_uint_eq(d1->gt->refcnt, 2);
    ck_assert_int_eq(d1->refcnt, 1);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access | GTF_reading | GTF_writing);

    /* host + device: two more general, two more type references */
    ck_assert_int_eq(fake_map(d0, 1, VA(1), GNTMAP_host_map | GNTMAP_device_map, 8, 1, &hd), GNTST_okay);
    ck_assert_int_eq(fr->count, 4);
    ck_assert_int_eq(fr->type_count, 3);
    ck_assert_uint_eq(maptrack_entry(d0->gt, hd)->vcpu, 1);

    ck_assert_int_eq(fake_unmap(d0, VA(1), f << 12, hd), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d0, VA(0), 0, h), GNTST_okay);
    ck_assert_int_eq(fr->count, 1);
    ck_assert_int_eq(fr->type_count, 0);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access);
    ck_assert_uint_eq(d1->gt->refcnt, 1);
    ck_assert_int_eq(d1->refcnt, 0);
    ck_assert(!fake_ptes[0].present && !fake_ptes[1].present);
}
END_TEST

START_TEST(who_may_map)
{
    uint64_t f = fake_frame_alloc(d1, FT_NONE);
    grant_handle_t h;

    fake_grant(d1, 8, 2, (uint32_t)f, GTF_permit_access);
    /* offered to d2: d0 (even privileged) is refused, d2 is not */
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 8, 1, &h), GNTST_general_error);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access);
    ck_assert_int_eq(fake_map(d2, 0, VA(0), GNTMAP_host_map, 8, 1, &h), GNTST_okay);
    /* while d2 has it pinned, d0 is refused even if the entry now says d0 */
    fake_grant(d1, 8, 0, (uint32_t)f, GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(fake_map(d0, 0, VA(1), GNTMAP_host_map, 8, 1, NULL), GNTST_general_error);
    ck_assert_int_eq(fake_unmap(d2, VA(0), 0, h), GNTST_okay);
    /* a handle means nothing in another domain's maptrack */
    ck_assert_int_eq(fake_unmap(d0, VA(0), 0, h), GNTST_bad_handle);
    /* names: DOMID_SELF never names a granter; unknown ids are bad_domain */
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 8, DOMID_SELF, NULL), GNTST_bad_domain);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 8, 9, NULL), GNTST_bad_domain);
    /* an address with no PTE slot: general_error, nothing held */
    fake_grant(d1, 9, 0, (uint32_t)f, GTF_permit_access);
    ck_assert_int_eq(fake_map(d0, 0, 0x1000, GNTMAP_host_map, 9, 1, NULL), GNTST_general_error);
    ck_assert_uint_eq(fake_flags(d1, 9), GTF_permit_access);
    ck_assert_uint_eq(d0->gt->maptrack_in_use, 0);
}
END_TEST

START_TEST(read_only_and_page_tables)
{
    uint64_t f = fake_frame_alloc(d1, FT_NONE), pt = fake_frame_alloc(d1, FT_PAGETABLE);
    grant_handle_t h;

    fake_grant(d1, 8, 0, (uint32_t)f, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 8, 1, &h), GNTST_general_error);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map | GNTMAP_readonly, 8, 1, &h), GNTST_okay);
    ck_assert(fake_ptes[0].present && !fake_ptes[0].rw);
    ck_assert_int_eq(fake_frame(f)->type_count, 0);
    ck_assert_int_eq(fake_unmap(d0, VA(0), 0, h), GNTST_okay);

    /* a page table: readable through a grant, never writable */
    fake_grant(d1, 9, 0, (uint32_t)pt, GTF_permit_access);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 9, 1, &h), GNTST_general_error);
    ck_assert_int_eq(fake_map(d0, 0, 0, GNTMAP_device_map, 9, 1, &h), GNTST_general_error);
    ck_assert_uint_eq(fake_flags(d1, 9), GTF_permit_access);
    ck_assert_int_eq(fake_frame(pt)->count, 1);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map | GNTMAP_readonly, 9, 1, &h), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d0, VA(0), 0, h), GNTST_okay);
}
END_TEST

START_TEST(unmap_rules)
{
    uint64_t f = fake_frame_alloc(d1, FT_NONE), g = fake_frame_alloc(d0, FT_NONE);
    grant_handle_t h;
    struct gnttab_unmap u;

    fake_grant(d1, 8, 0, (uint32_t)f, GTF_permit_access);
    ck_assert_int_eq(fake_map(d0, 0, PTE(3), GNTMAP_host_map | GNTMAP_contains_pte |
                              GNTMAP_device_map, 8, 1, &h), GNTST_okay);
    ck_assert_int_eq(fake_unmap(d0, 0, (f + 1) << 12, h), GNTST_bad_dev_addr);
    ck_assert_int_eq(fake_unmap(d0, PTE(4), 0, h), GNTST_general_error);     /* not mapped there */
    ck_assert_int_eq(fake_unmap(d0, VA(3), 0, h), GNTST_general_error);      /* wrong addressing */
    ck_assert_int_eq(fake_unmap(d0, 0, 0, h), GNTST_okay);                   /* nothing named */
    ck_assert_int_eq(fake_unmap(d0, PTE(3), 0, h), GNTST_okay);              /* host part */
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(fake_unmap(d0, 0, f << 12, h), GNTST_okay);             /* device part */
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access);
    ck_assert_int_eq(fake_unmap(d0, 0, f << 12, h), GNTST_bad_handle);
    ck_assert_int_eq(fake_unmap(d0, 0, f << 12, 100000), GNTST_bad_handle);

    /* unmap_and_replace: the PTE at new_addr moves to host_addr */
    fake_plain_pte(6, g, true);
    ck_assert_int_eq(fake_map(d0, 0, VA(5), GNTMAP_host_map, 8, 1, &h), GNTST_okay);
    u = (struct gnttab_unmap){ .host_addr = VA(5), .new_addr = VA(6), .handle = h };
    gnttab_unmap_begin(d0->gt, &u);
    gnttab_unmap_complete(&u);
    ck_assert_int_eq(u.status, GNTST_okay);
    ck_assert(fake_ptes[5].present && fake_ptes[5].mfn == g && !fake_ptes[5].grant);
    ck_assert(!fake_ptes[6].present);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access);
    /* drop the moved plain mapping (as the guest would) */
    fake_ptes[5].present = false;
    fake_frame(g)->type_count--;
    fake_frame(g)->count--;
}
END_TEST

START_TEST(table_ops_and_privilege)
{
    struct gnttab_query_size q = { .dom = 0 };
    struct gnttab_setup_table st = { .dom = 0, .nr_frames = 2 };
    struct gnttab_get_version gv = { .dom = 0 };
    struct gnttab_get_status_frames gs = { .dom = 0 };
    uint64_t frames[GNTTAB_MAX_FRAMES];
    unsigned int nr;

    /* unprivileged d1 may not look at or grow d0's table */
    ck_assert_int_eq(gnttab_query_size(d1->gt, &q), GNTST_permission_denied);
    ck_assert_int_eq(gnttab_setup_table(d1->gt, &st, frames, &nr), GNTST_permission_denied);
    ck_assert_uint_eq(nr, 0);
    ck_assert_int_eq(gnttab_get_version(d1->gt, &gv), -XEN_EPERM);
    ck_assert_int_eq(gnttab_get_status_frames(d1->gt, &gs), GNTST_permission_denied);
    ck_assert_uint_eq(d0->gt->nr_frames, 1);
    /* privileged d0 may act on d1's */
    st.dom = 1;
    ck_assert_int_eq(gnttab_setup_table(d0->gt, &st, frames, &nr), GNTST_okay);
    ck_assert_uint_eq(nr, 2);
    ck_assert_uint_eq(d1->gt->nr_frames, 2);
    ck_assert_ptr_eq(fake_frame(frames[1])->owner, d1);
    ck_assert(fake_frame(frames[1])->shared);
    q.dom = 1;
    ck_assert_int_eq(gnttab_query_size(d0->gt, &q), GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, 2);
    ck_assert_uint_eq(q.max_nr_frames, 64);
    /* DOMID_SELF and one's own id are the same table */
    q.dom = DOMID_SELF;
    ck_assert_int_eq(gnttab_query_size(d1->gt, &q), GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, 2);
    st = (struct gnttab_setup_table){ .dom = 2, .nr_frames = 65 };
    ck_assert_int_eq(gnttab_setup_table(d0->gt, &st, frames, &nr), GNTST_general_error);
    st.dom = 77;
    ck_assert_int_eq(gnttab_setup_table(d0->gt, &st, frames, &nr), GNTST_bad_domain);
    gv.dom = 77;
    ck_assert_int_eq(gnttab_get_version(d0->gt, &gv), -XEN_ESRCH);
    /* versions */
    {
        struct gnttab_set_version sv = { .version = 2 };

        ck_assert_int_eq(gnttab_set_version(d1->gt, &sv), -XEN_ENOSYS);
        ck_assert_uint_eq(sv.version, 1);
        sv.version = 1;
        ck_assert_int_eq(gnttab_set_version(d1->gt, &sv), 0);
        sv.version = 7;
        ck_assert_int_eq(gnttab_set_version(d1->gt, &sv), -XEN_EINVAL);
        ck_assert_uint_eq(sv.version, 1);
    }
    /* swap: entries move, pinned ones do not */
    {
        uint64_t f = fake_frame_alloc(d1, FT_NONE);
        grant_handle_t h;

        fake_grant(d1, 10, 0, 0x1111, GTF_permit_access);
        fake_grant(d1, 11, 0, (uint32_t)f, GTF_permit_access);
        ck_assert_int_eq(gnttab_swap_grant_ref(d1->gt, 10, 11), GNTST_okay);
        ck_assert_uint_eq(shared_entry(d1->gt, 10)->frame, (uint32_t)f);
        ck_assert_uint_eq(shared_entry(d1->gt, 11)->frame, 0x1111);
        ck_assert_int_eq(gnttab_swap_grant_ref(d1->gt, 10, 2000), GNTST_bad_gntref);
        ck_assert_int_eq(fake_map(d0, 0, 0, GNTMAP_device_map, 10, 1, &h), GNTST_okay);
        ck_assert_int_eq(gnttab_swap_grant_ref(d1->gt, 10, 11), GNTST_eagain);
        ck_assert_int_eq(gnttab_swap_grant_ref(d1->gt, 10, 10), GNTST_okay);
        ck_assert_int_eq(fake_unmap(d0, 0, f << 12, h), GNTST_okay);
    }
}
END_TEST

START_TEST(granter_dies_while_mapped)
{
    uint64_t f = fake_frame_alloc(d1, FT_NONE);
    struct fake_frame *fr = fake_frame(f);
    grant_handle_t h;

    fake_grant(d1, 8, 0, (uint32_t)f, GTF_permit_access);
    ck_assert_int_eq(fake_map(d0, 0, VA(0), GNTMAP_host_map, 8, 1, &h), GNTST_okay);
    /* d1 goes: its table outlives it while d0 maps its grant, and d1's
     * frame stays d1's with d0's references on it */
    fake_destroy(d1);
    fake_frame_release(f);              /* d1's memory is relinquished */
    ck_assert_int_eq(gnttab_live.tables, 3);
    ck_assert_int_eq(fr->count, 1);
    ck_assert_ptr_eq(fr->owner, d1);
    ck_assert_int_eq(d1->refcnt, 1);
    /* no new access through a dead domain */
    ck_assert_int_eq(fake_map(d0, 0, VA(1), GNTMAP_host_map, 8, 1, NULL), GNTST_bad_domain);
    /* the unmap still works, and then everything goes */
    ck_assert_int_eq(fake_unmap(d0, VA(0), 0, h), GNTST_okay);
    ck_assert_ptr_null(fr->owner);
    ck_assert_int_eq(gnttab_live.tables, 2);
    ck_assert_int_eq(d1->refcnt, 0);
}
END_TEST

START_TEST(mapper_dies_while_mapped)
{
    uint64_t f = fake_frame_alloc(d0, FT_NONE);
    struct fake_frame *fr = fake_frame(f);
    grant_handle_t h;

    fake_grant(d0, 20, 1, (uint32_t)f, GTF_permit_access);
    ck_assert_int_eq(fake_map(d1, 0, VA(2), GNTMAP_host_map, 20, 0, &h), GNTST_okay);
    ck_assert_int_eq(fake_map(d1, 0, 0, GNTMAP_device_map | GNTMAP_readonly, 20, 0, &h), GNTST_okay);
    ck_assert_int_eq(fake_map(d1, 0, PTE(7), GNTMAP_host_map | GNTMAP_contains_pte |
                              GNTMAP_readonly, 20, 0, &h), GNTST_okay);
    ck_assert_int_eq(fr->count, 4);
    ck_assert_int_eq(fr->type_count, 1);
    /* d1 dies without unmapping: its PTEs, references and pins go */
    fake_destroy(d1);
    ck_assert(!fake_ptes[2].present && !fake_ptes[7].present);
    ck_assert_int_eq(fr->count, 1);
    ck_assert_int_eq(fr->type_count, 0);
    ck_assert_uint_eq(fake_flags(d0, 20), GTF_permit_access);
    ck_assert_uint_eq(active_entry(d0->gt, 20)->pin, 0);
    ck_assert_int_eq(d0->refcnt, 0);
}
END_TEST

START_TEST(mapper_lost_its_pte)
{
    /* A PTE the guest overwrote (or a table it let go) is not ours to
     * drop at death: only what is still our grant PTE is removed. */
    uint64_t f = fake_frame_alloc(d0, FT_NONE), other = fake_frame_alloc(d1, FT_NONE);
    grant_handle_t h;

    fake_grant(d0, 20, 1, (uint32_t)f, GTF_permit_access);
    ck_assert_int_eq(fake_map(d1, 0, VA(4), GNTMAP_host_map, 20, 0, &h), GNTST_okay);
    /* the guest replaces the PTE: the grant PTE's references go with it */
    fake_frame(f)->count--;
    fake_frame(f)->type_count--;
    fake_ptes[4] = (struct fake_pte){ 0 };
    fake_plain_pte(4, other, false);
    fake_destroy(d1);
    ck_assert(fake_ptes[4].present && fake_ptes[4].mfn == other);
    ck_assert_int_eq(fake_frame(f)->count, 1);
    ck_assert_uint_eq(fake_flags(d0, 20), GTF_permit_access);
    fake_ptes[4] = (struct fake_pte){ 0 };
    fake_frame(other)->count--;
}
END_TEST

static struct gnttab_copy copy_op(bool src_gref, uint64_t src, domid_t sdom, uint16_t soff,
                                  bool dst_gref, uint64_t dst, domid_t ddom, uint16_t doff, uint16_t len)
{
    struct gnttab_copy c = { .len = len };

    if (src_gref)
        c.source.u.ref = (grant_ref_t)src;
    else
        c.source.u.gmfn = src;
    c.source.domid = sdom;
    c.source.offset = soff;
    if (dst_gref)
        c.dest.u.ref = (grant_ref_t)dst;
    else
        c.dest.u.gmfn = dst;
    c.dest.domid = ddom;
    c.dest.offset = doff;
    c.flags = (src_gref ? GNTCOPY_source_gref : 0) | (dst_gref ? GNTCOPY_dest_gref : 0);
    return c;
}

START_TEST(copies_between_domains)
{
    uint64_t s = fake_frame_alloc(d1, FT_NONE), t = fake_frame_alloc(d2, FT_NONE);
    uint64_t pt = fake_frame_alloc(d2, FT_PAGETABLE);
    struct gnttab_copy c;

    memset(fake_frame(s)->data, 0x5a, PAGE_SIZE);
    fake_grant(d1, 8, 2, (uint32_t)s, GTF_permit_access | GTF_readonly);
    fake_grant(d1, 9, 0, (uint32_t)s, GTF_permit_access | GTF_readonly);

    /* unprivileged d2 copies d1's grant into its own frame */
    c = copy_op(true, 8, 1, 100, false, t, DOMID_SELF, 200, 50);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_okay);
    ck_assert_uint_eq(fake_frame(t)->data[200], 0x5a);
    ck_assert_uint_eq(fake_frame(t)->data[250], 0);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access | GTF_readonly);
    /* a grant meant for d0 */
    c = copy_op(true, 9, 1, 0, false, t, DOMID_SELF, 0, 8);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_general_error);
    /* frames of another domain, by its id or as "self" */
    c = copy_op(false, s, 1, 0, false, t, DOMID_SELF, 0, 8);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_permission_denied);
    ck_assert_int_eq(fake_copy(d0, &c), GNTST_permission_denied);    /* privilege does not help */
    c = copy_op(false, s, DOMID_SELF, 0, false, t, DOMID_SELF, 0, 8);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_bad_page);
    /* writing into a read-only grant, or a page table */
    c = copy_op(false, t, DOMID_SELF, 0, true, 8, 1, 0, 8);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_general_error);
    c = copy_op(true, 8, 1, 0, false, pt, DOMID_SELF, 0, 8);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_general_error);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access | GTF_readonly);
    /* crossing a page */
    c = copy_op(true, 8, 1, 4000, false, t, DOMID_SELF, 0, 97);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_bad_copy_arg);
    c = copy_op(true, 8, 1, 0, false, t, DOMID_SELF, 4090, 7);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_bad_copy_arg);
    /* the order of checks: a missing domain before the frame rule */
    c = copy_op(false, s, 9, 0, false, t, DOMID_SELF, 0, 8);
    ck_assert_int_eq(fake_copy(d2, &c), GNTST_bad_domain);
}
END_TEST

START_TEST(copy_batches_keep_buffers)
{
    uint64_t s = fake_frame_alloc(d1, FT_NONE), t = fake_frame_alloc(d2, FT_NONE);
    struct gnttab_copy_state st;
    struct gnttab_copy c;

    memset(&st, 0, sizeof(st));
    fake_grant(d1, 8, 2, (uint32_t)s, GTF_permit_access);
    for (unsigned int i = 0; i < 4; i++) {
        c = copy_op(true, 8, 1, (uint16_t)i, false, t, DOMID_SELF, (uint16_t)(i * 2), 1);
        ck_assert_int_eq(gnttab_copy_one(d2->gt, &st, &c), GNTST_okay);
        /* the grant stays pinned between ops of one batch */
        ck_assert_uint_eq(active_entry(d1->gt, 8)->pin, GNTPIN_hstr_inc);
    }
    /* a failing op lets go of both sides */
    c = copy_op(true, 8, 1, 4095, false, t, DOMID_SELF, 0, 2);
    ck_assert_int_eq(gnttab_copy_one(d2->gt, &st, &c), GNTST_bad_copy_arg);
    ck_assert_uint_eq(active_entry(d1->gt, 8)->pin, 0);
    c = copy_op(true, 8, 1, 0, false, t, DOMID_SELF, 0, 1);
    ck_assert_int_eq(gnttab_copy_one(d2->gt, &st, &c), GNTST_okay);
    gnttab_copy_end(&st);
    ck_assert_uint_eq(fake_flags(d1, 8), GTF_permit_access);
    ck_assert_int_eq(d1->refcnt, 0);
}
END_TEST

START_TEST(maptrack_exhaustion_status)
{
    /* d3 has a 1-frame maptrack: 255 mappings, then no_space, even for
     * an op that is bad in other ways. */
    struct domain *d3 = fake_domain(3, false, 1, 1);
    uint64_t f = fake_frame_alloc(d1, FT_NONE);
    grant_handle_t hs[256];
    unsigned int n = 0;

    fake_grant(d1, 8, 3, (uint32_t)f, GTF_permit_access);
    fake_grant(d1, 9, 3, (uint32_t)f, GTF_permit_access);
    for (unsigned int i = 0; i < 255; i++)
        ck_assert_int_eq(fake_map(d3, 0, 0, GNTMAP_device_map | (i & 1 ? GNTMAP_readonly : 0),
                                  i < 200 ? 8 : 9, 1, &hs[n++]), GNTST_okay);
    ck_assert_int_eq(fake_map(d3, 0, 0, GNTMAP_device_map, 9, 1, NULL), GNTST_no_space);
    ck_assert_int_eq(fake_map(d3, 0, 0, GNTMAP_device_map, 100000, 1, NULL), GNTST_no_space);
    for (unsigned int i = 0; i < n; i++)
        ck_assert_int_eq(fake_unmap(d3, 0, f << 12, hs[i]), GNTST_okay);
    ck_assert_uint_eq(fake_flags(d1, 8) | fake_flags(d1, 9), GTF_permit_access);
    fake_destroy(d3);
}
END_TEST

static long flush(struct domain *d, uint64_t mfn, uint16_t off, uint16_t len, uint32_t op,
                  unsigned int *cur)
{
    struct gnttab_cache_flush c = { .a.dev_bus_addr = mfn << 12, .offset = off, .length = len,
                                    .op = op };

    fake_last_flush.done = false;
    return gnttab_cache_flush_one(d->gt, &c, cur);
}

START_TEST(cache_flush_rules)
{
    uint64_t own = fake_frame_alloc(d1, FT_NONE), theirs = fake_frame_alloc(d0, FT_NONE);
    unsigned int cur = 0;
    grant_handle_t h;

    ck_assert_int_eq(flush(d1, own, 16, 100, GNTTAB_CACHE_CLEAN, &cur), 0);
    ck_assert(fake_last_flush.done && fake_last_flush.mfn == own && fake_last_flush.offset == 16 &&
              fake_last_flush.len == 100 && fake_last_flush.clean && !fake_last_flush.inval);
    ck_assert_int_eq(flush(d1, own, 0, 64, GNTTAB_CACHE_INVAL, &cur), -XEN_EOPNOTSUPP);
    ck_assert_int_eq(flush(d1, own, 0, 64, GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN, &cur), 0);
    /* nothing to do */
    ck_assert_int_eq(flush(d1, own, 0, 0, GNTTAB_CACHE_CLEAN, &cur), 0);
    ck_assert_int_eq(flush(d1, own, 0, 64, 0, &cur), 0);
    ck_assert(!fake_last_flush.done);
    /* bad arguments */
    ck_assert_int_eq(flush(d1, own, 0, 64, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF, &cur),
                     -XEN_EINVAL);
    ck_assert_int_eq(flush(d1, own, 4096, 0, GNTTAB_CACHE_CLEAN, &cur), -XEN_EINVAL);
    ck_assert_int_eq(flush(d1, own, 4000, 97, GNTTAB_CACHE_CLEAN, &cur), -XEN_EINVAL);
    ck_assert_int_eq(flush(d1, FAKE_BAD_MFN, 0, 64, GNTTAB_CACHE_CLEAN, &cur), -XEN_EINVAL);
    /* a frame nobody owns */
    fake_frame_release(theirs);
    ck_assert_int_eq(flush(d1, theirs, 0, 64, GNTTAB_CACHE_CLEAN, &cur), -XEN_EPERM);
    theirs = fake_frame_alloc(d0, FT_NONE);
    /* another domain's frame: only while granted to us and in use */
    ck_assert_int_eq(flush(d1, theirs, 0, 64, GNTTAB_CACHE_CLEAN, &cur), -XEN_EINVAL);
    ck_assert_uint_eq(cur, 0);
    fake_grant(d0, 30, 1, (uint32_t)theirs, GTF_permit_access);
    ck_assert_int_eq(flush(d1, theirs, 0, 64, GNTTAB_CACHE_CLEAN, &cur), -XEN_EINVAL);
    ck_assert_int_eq(fake_map(d1, 0, 0, GNTMAP_device_map, 30, 0, &h), GNTST_okay);
    ck_assert_int_eq(flush(d1, theirs, 0, 64, GNTTAB_CACHE_CLEAN, &cur), 0);
    ck_assert(fake_last_flush.done && fake_last_flush.mfn == theirs);
    ck_assert_int_eq(fake_unmap(d1, 0, theirs << 12, h), GNTST_okay);
    /* a long table is scanned 4096 refs at a time */
    {
        struct gnttab_setup_table st = { .dom = 0, .nr_frames = 16 };
        uint64_t frames[GNTTAB_MAX_FRAMES];
        unsigned int nr;

        ck_assert_int_eq(gnttab_setup_table(d0->gt, &st, frames, &nr), GNTST_okay);
        fake_grant(d0, 5000, 1, (uint32_t)theirs, GTF_permit_access);
        ck_assert_int_eq(fake_map(d1, 0, 0, GNTMAP_device_map | GNTMAP_readonly, 5000, 0, &h),
                         GNTST_okay);
        ck_assert_int_eq(flush(d1, theirs, 0, 64, GNTTAB_CACHE_CLEAN, &cur), 1);
        ck_assert_uint_eq(cur, 4096);
        ck_assert(!fake_last_flush.done);
        /* resumed with nothing to do: an error */
        ck_assert_int_eq(flush(d1, theirs, 0, 0, GNTTAB_CACHE_CLEAN, &cur), -XEN_EILSEQ);
        ck_assert_int_eq(flush(d1, theirs, 0, 64, GNTTAB_CACHE_CLEAN, &cur), 0);
        ck_assert(fake_last_flush.done);
        ck_assert_int_eq(fake_unmap(d1, 0, theirs << 12, h), GNTST_okay);
    }
}
END_TEST

START_TEST(transfers)
{
    uint64_t p = fake_frame_alloc(d1, FT_NONE);
    struct gnttab_transfer t = { .mfn = p, .domid = 2, .ref = 30 };
    unsigned long before1 = d1->tot_pages, before2 = d2->tot_pages;
    grant_handle_t h;

    /* d2 accepts a page from d1 at ref 30, to go at its frame 0x77 */
    fake_grant(d2, 30, 1, 0x77, GTF_accept_transfer);
    /* a page with another reference (a mapping) cannot be given away */
    fake_grant(d1, 8, 0, (uint32_t)p, GTF_permit_access);
    ck_assert_int_eq(fake_map(d0, 0, 0, GNTMAP_device_map | GNTMAP_readonly, 8, 1, &h), GNTST_okay);
    ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_bad_page);
    ck_assert_ptr_eq(fake_frame(p)->owner, d1);
    ck_assert_int_eq(fake_unmap(d0, 0, p << 12, h), GNTST_okay);
    /* nor a frame that is not the sender's */
    t.mfn = FAKE_BAD_MFN;
    ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_bad_page);
    t.mfn = d1->gt->shared ? gnt_env_frame_mfn(d1->gt->shared[0]) : 0;
    ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_bad_page);

    t.mfn = p;
    ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_okay);
    ck_assert_ptr_eq(fake_frame(p)->owner, d2);
    ck_assert_uint_eq(d1->tot_pages, before1 - 1);
    ck_assert_uint_eq(d2->tot_pages, before2 + 1);
    ck_assert_uint_eq(fake_last_assign_gfn, 0x77);
    ck_assert_uint_eq(shared_entry(d2->gt, 30)->frame, (uint32_t)p);
    ck_assert_uint_eq(fake_flags(d2, 30),
                      GTF_accept_transfer | GTF_transfer_committed | GTF_transfer_completed);

    /* the entry is used up; a failed transfer costs the sender its page */
    {
        uint64_t q = fake_frame_alloc(d1, FT_NONE);

        t.mfn = q;
        ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_general_error);
        ck_assert_ptr_null(fake_frame(q)->owner);
        q = fake_frame_alloc(d1, FT_NONE);
        t = (struct gnttab_transfer){ .mfn = q, .domid = 9, .ref = 30 };
        ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_bad_domain);
        ck_assert_ptr_null(fake_frame(q)->owner);
        q = fake_frame_alloc(d1, FT_NONE);
        fake_grant(d2, 31, 0, 0, GTF_accept_transfer);      /* for d0, not d1 */
        t = (struct gnttab_transfer){ .mfn = q, .domid = 2, .ref = 31 };
        ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_general_error);
        q = fake_frame_alloc(d1, FT_NONE);
        fake_grant(d2, 32, 1, 0, GTF_accept_transfer);
        d2->max_pages = d2->tot_pages;                      /* no room */
        t = (struct gnttab_transfer){ .mfn = q, .domid = 2, .ref = 32 };
        ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_general_error);
        ck_assert_uint_eq(fake_flags(d2, 32), GTF_accept_transfer);
        d2->max_pages = 1000;
        q = fake_frame_alloc(d1, FT_NONE);
        t = (struct gnttab_transfer){ .mfn = q, .domid = DOMID_SELF, .ref = 32 };
        ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_bad_domain);
    }
    /* to oneself, by id */
    {
        uint64_t r = fake_frame_alloc(d1, FT_NONE);

        fake_grant(d1, 40, 1, 0x99, GTF_accept_transfer);
        t = (struct gnttab_transfer){ .mfn = r, .domid = 1, .ref = 40 };
        ck_assert_int_eq(gnttab_transfer_one(d1->gt, &t), GNTST_okay);
        ck_assert_ptr_eq(fake_frame(r)->owner, d1);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("grant-ops");
    TCase *t = tcase_create("core");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, map_references_and_release);
    tcase_add_test(t, who_may_map);
    tcase_add_test(t, read_only_and_page_tables);
    tcase_add_test(t, unmap_rules);
    tcase_add_test(t, table_ops_and_privilege);
    tcase_add_test(t, granter_dies_while_mapped);
    tcase_add_test(t, mapper_dies_while_mapped);
    tcase_add_test(t, mapper_lost_its_pte);
    tcase_add_test(t, copies_between_domains);
    tcase_add_test(t, copy_batches_keep_buffers);
    tcase_add_test(t, maptrack_exhaustion_status);
    tcase_add_test(t, cache_flush_rules);
    tcase_add_test(t, transfers);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());

    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
