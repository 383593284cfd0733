/*
 * The grant-entry state machine (grant/entry.c), on the fake world: the
 * checks of a shared entry's type, grantee and read-only bit, the
 * GTF_reading/GTF_writing bits as pins come and go, the per-counter pin
 * limit, the frame reference of the first pin, and what copies add.
 */
#include <check.h>
#include <pvabi/grant_table.h>
#include "grant_fake.h"

static struct domain *g, *m;    /* granter (d1) and mapper (d2) */
static uint64_t frame;

static void setup(void)
{
    fake_reset();
    g = fake_domain(1, false, 1, 4);
    m = fake_domain(2, false, 1, 4);
    frame = fake_frame_alloc(g, FT_NONE);
}

static void teardown(void)
{
    fake_destroy(m);
    fake_destroy(g);
    ck_assert_int_eq(fake_allocs, 0);
    ck_assert_int_eq(gnttab_live.tables, 0);
    ck_assert_int_eq(gnttab_live.pinned, 0);
}

static grant_entry_v1_t *sha(grant_ref_t ref)
{
    return shared_entry(g->gt, ref);
}

START_TEST(set_status_accepts_and_marks)
{
    fake_grant(g, 10, 2, (uint32_t)frame, GTF_permit_access);
    ck_assert_int_eq(gnttab_set_status(sha(10), false, 2, true, true), GNTST_okay);
    ck_assert_uint_eq(sha(10)->flags, GTF_permit_access | GTF_reading);
    ck_assert_int_eq(gnttab_set_status(sha(10), true, 2, false, true), GNTST_okay);
    ck_assert_uint_eq(sha(10)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    /* domid and frame are untouched by the flag update */
    ck_assert_uint_eq(sha(10)->domid, 2);
    ck_assert_uint_eq(sha(10)->frame, (uint32_t)frame);
}
END_TEST

START_TEST(set_status_refusals)
{
    static const uint16_t bad_types[] = { GTF_invalid, GTF_accept_transfer, GTF_transitive };

    for (unsigned int i = 0; i < 3; i++) {
        fake_grant(g, 11, 2, (uint32_t)frame, bad_types[i]);
        ck_assert_int_eq(gnttab_set_status(sha(11), false, 2, true, false), GNTST_general_error);
        ck_assert_uint_eq(sha(11)->flags, bad_types[i]);
    }
    /* for another domain */
    fake_grant(g, 11, 3, (uint32_t)frame, GTF_permit_access);
    ck_assert_int_eq(gnttab_set_status(sha(11), false, 2, true, false), GNTST_general_error);
    /* read-only grant, write access */
    fake_grant(g, 11, 2, (uint32_t)frame, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(gnttab_set_status(sha(11), false, 2, false, false), GNTST_general_error);
    ck_assert_uint_eq(sha(11)->flags, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(gnttab_set_status(sha(11), false, 2, true, false), GNTST_okay);
    /* sub-page bit: maps refuse, copies do not look */
    fake_grant(g, 12, 2, (uint32_t)frame, GTF_permit_access | GTF_sub_page);
    ck_assert_int_eq(gnttab_set_status(sha(12), false, 2, true, true), GNTST_general_error);
    ck_assert_int_eq(gnttab_set_status(sha(12), false, 2, true, false), GNTST_okay);
}
END_TEST

START_TEST(set_status_when_pinned)
{
    /* Once pinned, type and domid are the active entry's business; the
     * read-only bit still guards writers. */
    fake_grant(g, 13, 7, (uint32_t)frame, GTF_invalid);
    ck_assert_int_eq(gnttab_set_status(sha(13), true, 2, true, true), GNTST_okay);
    fake_grant(g, 13, 2, (uint32_t)frame, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(gnttab_set_status(sha(13), true, 2, false, true), GNTST_general_error);
}
END_TEST

START_TEST(flags_after_unpin_table)
{
    ck_assert_uint_eq(gnttab_flags_after_unpin(0, false), GTF_reading | GTF_writing);
    ck_assert_uint_eq(gnttab_flags_after_unpin(0, true), GTF_reading);
    ck_assert_uint_eq(gnttab_flags_after_unpin(GNTPIN_hstr_inc, false), GTF_writing);
    ck_assert_uint_eq(gnttab_flags_after_unpin(GNTPIN_hstr_inc, true), 0);
    ck_assert_uint_eq(gnttab_flags_after_unpin(GNTPIN_devw_inc, false), 0);
    ck_assert_uint_eq(gnttab_flags_after_unpin(GNTPIN_hstw_inc | GNTPIN_devr_inc, false), 0);

    fake_grant(g, 14, 2, (uint32_t)frame, GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_clear_flags(sha(14), GTF_writing);
    ck_assert_uint_eq(sha(14)->flags, GTF_permit_access | GTF_reading);
}
END_TEST

START_TEST(pin_map_lifecycle)
{
    uint64_t mfn = 0;
    bool ref_taken = true;
    struct fake_frame *f = fake_frame(frame);

    ck_assert_uint_eq(gnttab_map_pin_inc(GNTMAP_host_map), GNTPIN_hstw_inc);
    ck_assert_uint_eq(gnttab_map_pin_inc(GNTMAP_host_map | GNTMAP_readonly), GNTPIN_hstr_inc);
    ck_assert_uint_eq(gnttab_map_pin_inc(GNTMAP_device_map | GNTMAP_host_map),
                      GNTPIN_devw_inc | GNTPIN_hstw_inc);
    ck_assert_uint_eq(gnttab_map_pin_inc(GNTMAP_device_map | GNTMAP_readonly), GNTPIN_devr_inc);

    fake_grant(g, 20, 2, (uint32_t)frame, GTF_permit_access);
    /* first pin (read-only): frame reference, domid and frame recorded */
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 20, 2, GNTMAP_host_map | GNTMAP_readonly, &mfn,
                                        &ref_taken), GNTST_okay);
    ck_assert(ref_taken);
    ck_assert_uint_eq(mfn, frame);
    ck_assert_int_eq(f->count, 2);
    ck_assert_uint_eq(active_entry(g->gt, 20)->domid, 2);
    ck_assert_uint_eq(sha(20)->flags, GTF_permit_access | GTF_reading);
    ck_assert_uint_eq(g->gt->nr_pinned, 1);
    ck_assert_uint_eq(gnttab_live.pinned, 1);

    /* a writer joins: GTF_writing, no new frame reference */
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 20, 2, GNTMAP_device_map, &mfn, &ref_taken), GNTST_okay);
    ck_assert(!ref_taken);
    ck_assert_int_eq(f->count, 2);
    ck_assert_uint_eq(sha(20)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_uint_eq(active_entry(g->gt, 20)->pin, GNTPIN_hstr_inc | GNTPIN_devw_inc);

    /* the guest revoking now would see the bits: its cmpxchg fails */
    {
        uint16_t expect = GTF_permit_access;

        ck_assert(!__atomic_compare_exchange_n(&sha(20)->flags, &expect, 0, false,
                                               __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    }

    /* the writer goes: GTF_writing clears, reading stays */
    gnttab_unpin_map(g->gt, 20, GNTMAP_device_map);
    ck_assert_uint_eq(sha(20)->flags, GTF_permit_access | GTF_reading);
    /* the last pin goes: everything clears */
    gnttab_unpin_map(g->gt, 20, GNTMAP_host_map | GNTMAP_readonly);
    ck_assert_uint_eq(sha(20)->flags, GTF_permit_access);
    ck_assert_uint_eq(active_entry(g->gt, 20)->pin, 0);
    ck_assert_uint_eq(g->gt->nr_pinned, 0);
    /* the frame reference is the caller's to drop */
    fake_frame_release(frame);
    ck_assert_int_eq(f->count, 1);
}
END_TEST

START_TEST(pin_map_refusals)
{
    uint64_t mfn;
    bool ref_taken;

    fake_grant(g, 21, 2, (uint32_t)frame, GTF_permit_access);
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 512, 2, GNTMAP_host_map, &mfn, &ref_taken),
                     GNTST_bad_gntref);
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 0xffffffffu, 2, GNTMAP_host_map, &mfn, &ref_taken),
                     GNTST_bad_gntref);
    /* a frame the granter does not own: bits taken back, no pin */
    fake_grant(g, 22, 2, FAKE_BAD_MFN, GTF_permit_access);
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 22, 2, GNTMAP_host_map, &mfn, &ref_taken), GNTST_bad_page);
    ck_assert_uint_eq(sha(22)->flags, GTF_permit_access);
    ck_assert_uint_eq(active_entry(g->gt, 22)->pin, 0);
    {
        uint64_t other = fake_frame_alloc(m, FT_NONE);

        fake_grant(g, 23, 2, (uint32_t)other, GTF_permit_access);
        ck_assert_int_eq(gnttab_pin_for_map(g->gt, 23, 2, GNTMAP_host_map, &mfn, &ref_taken),
                         GNTST_bad_page);
        ck_assert_int_eq(fake_frame(other)->count, 1);
    }
    /* pinned by d2: d3 is refused even if the entry now names d3 */
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 21, 2, GNTMAP_host_map, &mfn, &ref_taken), GNTST_okay);
    fake_grant(g, 21, 3, (uint32_t)frame, GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 21, 3, GNTMAP_host_map, &mfn, &ref_taken),
                     GNTST_general_error);
    gnttab_unpin_map(g->gt, 21, GNTMAP_host_map);
    fake_frame_release(frame);
    ck_assert_uint_eq(sha(21)->flags, GTF_permit_access);
}
END_TEST

START_TEST(pin_counter_limit)
{
    uint64_t mfn;
    bool ref_taken;

    fake_grant(g, 30, 2, (uint32_t)frame, GTF_permit_access);
    for (unsigned int i = 0; i < 128; i++)
        ck_assert_int_eq(gnttab_pin_for_map(g->gt, 30, 2, GNTMAP_device_map | GNTMAP_readonly, &mfn,
                                            &ref_taken), GNTST_okay);
    /* the 129th of that kind is refused, other counters still move */
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 30, 2, GNTMAP_device_map | GNTMAP_readonly, &mfn,
                                        &ref_taken), GNTST_general_error);
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 30, 2, GNTMAP_host_map, &mfn, &ref_taken), GNTST_okay);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 30, 2, true, &mfn), GNTST_okay);
    ck_assert_uint_eq(active_entry(g->gt, 30)->pin, 128u * GNTPIN_devr_inc + GNTPIN_hstw_inc +
                      GNTPIN_hstr_inc);
    /* a map touching the full counter is refused as a whole */
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 30, 2, GNTMAP_device_map | GNTMAP_host_map |
                                        GNTMAP_readonly, &mfn, &ref_taken), GNTST_general_error);
    gnttab_unpin_copy(g->gt, 30, true);
    fake_frame_release(frame);          /* the copy's reference */
    gnttab_unpin_map(g->gt, 30, GNTMAP_host_map);
    for (unsigned int i = 0; i < 128; i++)
        gnttab_unpin_map(g->gt, 30, GNTMAP_device_map | GNTMAP_readonly);
    ck_assert_uint_eq(active_entry(g->gt, 30)->pin, 0);
    ck_assert_uint_eq(sha(30)->flags, GTF_permit_access);
    fake_frame_release(frame);          /* the first pin's */
    ck_assert_int_eq(fake_frame(frame)->count, 1);
}
END_TEST

START_TEST(pin_copy_lifecycle)
{
    uint64_t mfn = 0;
    bool ref_taken;
    struct fake_frame *f = fake_frame(frame);

    fake_grant(g, 40, 2, (uint32_t)frame, GTF_permit_access);
    /* every copy pin takes a frame reference of its own */
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 40, 2, true, &mfn), GNTST_okay);
    ck_assert_uint_eq(mfn, frame);
    ck_assert_int_eq(f->count, 2);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access | GTF_reading);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 40, 2, false, &mfn), GNTST_okay);
    ck_assert_int_eq(f->count, 3);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_unpin_copy(g->gt, 40, false);
    fake_frame_release(frame);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access | GTF_reading);
    gnttab_unpin_copy(g->gt, 40, true);
    fake_frame_release(frame);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access);

    /* a copy may join a read-only map as writer for its own time */
    ck_assert_int_eq(gnttab_pin_for_map(g->gt, 40, 2, GNTMAP_host_map | GNTMAP_readonly, &mfn,
                                        &ref_taken), GNTST_okay);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 40, 2, false, &mfn), GNTST_okay);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access | GTF_reading | GTF_writing);
    gnttab_unpin_copy(g->gt, 40, false);
    fake_frame_release(frame);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access | GTF_reading);
    /* a dying granter's pinned grants give no new copy access */
    g->gt->dying = true;
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 40, 2, true, &mfn), GNTST_bad_domain);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access | GTF_reading);
    g->gt->dying = false;
    gnttab_unpin_map(g->gt, 40, GNTMAP_host_map | GNTMAP_readonly);
    fake_frame_release(frame);
    ck_assert_uint_eq(sha(40)->flags, GTF_permit_access);
    ck_assert_int_eq(f->count, 1);

    /* copies refuse what maps refuse, except the sub-page bit */
    fake_grant(g, 41, 2, (uint32_t)frame, GTF_permit_access | GTF_readonly);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 41, 2, false, &mfn), GNTST_general_error);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 41, 3, true, &mfn), GNTST_general_error);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 600, 2, true, &mfn), GNTST_bad_gntref);
    fake_grant(g, 42, 2, (uint32_t)frame, GTF_permit_access | GTF_sub_page);
    ck_assert_int_eq(gnttab_pin_for_copy(g->gt, 42, 2, true, &mfn), GNTST_okay);
    gnttab_unpin_copy(g->gt, 42, true);
    fake_frame_release(frame);
    ck_assert(fake_frames_idle());
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("grant-entry");
    TCase *t = tcase_create("core");

    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, set_status_accepts_and_marks);
    tcase_add_test(t, set_status_refusals);
    tcase_add_test(t, set_status_when_pinned);
    tcase_add_test(t, flags_after_unpin_table);
    tcase_add_test(t, pin_map_lifecycle);
    tcase_add_test(t, pin_map_refusals);
    tcase_add_test(t, pin_counter_limit);
    tcase_add_test(t, pin_copy_lifecycle);
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
