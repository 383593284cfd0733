/*
 * Maptrack (grant/maptrack.c) on the fake world: handle order, growth a
 * frame of 256 at a time, the tail each vCPU list keeps, exhaustion at
 * the limit with one, two and three vCPUs, stealing, where freed handles
 * go, and the counters. The numbers are Xen 4.17's (tests/grant/maptrack
 * proves them on Xen).
 */
#include <check.h>
#include <stdlib.h>
#include "grant_fake.h"

static struct domain *d;

static void teardown(void)
{
    if (d)
        fake_destroy(d);
    d = NULL;
    ck_assert_int_eq(fake_allocs, 0);
    ck_assert_int_eq(gnttab_live.handles, 0);
}

static struct grant_table *table(unsigned int vcpus, unsigned int frames)
{
    fake_reset();
    d = fake_domain(0, true, vcpus, frames);
    return d->gt;
}

/* Handles are returned to a free list as maptrack entries; a test that
 * takes handles without mappings gives them back itself. */
static unsigned int drain(struct grant_table *gt, unsigned int vcpu, unsigned int *out, unsigned int max)
{
    unsigned int n = 0, h;

    while (n < max && (h = gnttab_get_handle(gt, vcpu)) != INVALID_HANDLE)
        out[n++] = h;
    return n;
}

static void give_back(struct grant_table *gt, const unsigned int *hs, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        gnttab_put_handle(gt, hs[i]);
}

START_TEST(order_and_growth)
{
    struct grant_table *gt = table(1, 2);
    static unsigned int hs[1024];
    unsigned int n = drain(gt, 0, hs, 1024);

    /* Frame 0: 0..254 (255 stays the tail); frame 1: 256..511. */
    ck_assert_uint_eq(n, 511);
    for (unsigned int i = 0; i < 255; i++)
        ck_assert_uint_eq(hs[i], i);
    for (unsigned int i = 255; i < 511; i++)
        ck_assert_uint_eq(hs[i], i + 1);
    ck_assert_uint_eq(gt->maptrack_limit, 512);
    ck_assert_uint_eq(gt->maptrack_in_use, 511);
    ck_assert_uint_eq(gnttab_live.handles, 511);
    give_back(gt, hs, n);
    ck_assert_uint_eq(gt->maptrack_in_use, 0);
}
END_TEST

START_TEST(freed_handles_go_to_the_tail)
{
    struct grant_table *gt = table(1, 1);
    static unsigned int hs[300];
    unsigned int n = drain(gt, 0, hs, 300), h;

    ck_assert_uint_eq(n, 255);
    gnttab_put_handle(gt, 7);
    /* The list was [255]; now [255, 7]: 255 comes out first. */
    h = gnttab_get_handle(gt, 0);
    ck_assert_uint_eq(h, 255);
    ck_assert_uint_eq(gnttab_get_handle(gt, 0), INVALID_HANDLE);
    gnttab_put_handle(gt, 20);
    gnttab_put_handle(gt, 21);
    ck_assert_uint_eq(gnttab_get_handle(gt, 0), 7);
    ck_assert_uint_eq(gnttab_get_handle(gt, 0), 20);
    ck_assert_uint_eq(gnttab_get_handle(gt, 0), INVALID_HANDLE);
    /* give everything back (7, 20 and 255 are in use again; 21 is the tail) */
    for (unsigned int i = 0; i < n; i++)
        if (hs[i] != 7 && hs[i] != 20 && hs[i] != 21)
            gnttab_put_handle(gt, hs[i]);
    gnttab_put_handle(gt, 7);
    gnttab_put_handle(gt, 20);
    gnttab_put_handle(gt, 255);
    ck_assert_uint_eq(gt->maptrack_in_use, 0);
}
END_TEST

START_TEST(exhaustion_per_vcpu_count)
{
    static unsigned int hs[4 * 256];

    for (unsigned int vcpus = 1; vcpus <= 3; vcpus++) {
        struct grant_table *gt = table(vcpus, 4);
        unsigned int n = 0;

        /* Each vCPU maps once first, then vCPU 0 takes all it can. */
        for (unsigned int v = 0; v < vcpus; v++)
            hs[n++] = gnttab_get_handle(gt, v);
        for (unsigned int v = 1; v < vcpus; v++)
            gnttab_put_handle(gt, hs[v]);
        n = 1;
        n += drain(gt, 0, hs + n, 4 * 256 - 1);
        ck_assert_msg(n == 4 * 256 - vcpus, "%u vCPUs: %u handles", vcpus, n);
        /* No vCPU gets one now. */
        for (unsigned int v = 0; v < vcpus; v++)
            ck_assert_uint_eq(gnttab_get_handle(gt, v), INVALID_HANDLE);
        give_back(gt, hs, n);
        fake_destroy(d);
        d = NULL;
        ck_assert_int_eq(fake_allocs, 0);
    }
}
END_TEST

START_TEST(stealing_at_the_limit)
{
    struct grant_table *gt = table(2, 1);
    static unsigned int hs[256];
    unsigned int n = drain(gt, 0, hs, 256), h1, h2;

    ck_assert_uint_eq(n, 255);
    give_back(gt, hs, n);
    /* All entries sit on vCPU 0's list; vCPU 1 has none and the table is
     * at its limit: it steals a tail, then the entry it returns. */
    h1 = gnttab_get_handle(gt, 1);
    ck_assert_uint_ne(h1, INVALID_HANDLE);
    ck_assert_uint_eq(maptrack_entry(gt, h1)->vcpu, 1);
    ck_assert_uint_ne(gt->mtl[1].tail, MAPTRACK_TAIL);
    ck_assert_uint_ne(gt->mtl[1].tail, h1);
    /* Freed, it stays with vCPU 1. */
    gnttab_put_handle(gt, h1);
    ck_assert_uint_eq(gt->mtl[1].tail, h1);
    /* vCPU 0 can now use all but one tail per list: 254. */
    n = drain(gt, 0, hs, 256);
    ck_assert_uint_eq(n, 254);
    h2 = gnttab_get_handle(gt, 1);
    ck_assert_uint_eq(h2, INVALID_HANDLE);
    give_back(gt, hs, n);
}
END_TEST

START_TEST(no_maptrack_at_all)
{
    struct grant_table *gt = table(2, 0);

    ck_assert_uint_eq(gnttab_get_handle(gt, 0), INVALID_HANDLE);
    ck_assert_uint_eq(gnttab_get_handle(gt, 1), INVALID_HANDLE);
    ck_assert_uint_eq(gt->maptrack_limit, 0);
}
END_TEST

START_TEST(bad_vcpu)
{
    struct grant_table *gt = table(2, 1);

    ck_assert_uint_eq(gnttab_get_handle(gt, 2), INVALID_HANDLE);
    ck_assert_uint_eq(gnttab_get_handle(gt, 0xffffffffu), INVALID_HANDLE);
    ck_assert_uint_eq(gt->maptrack_in_use, 0);
}
END_TEST

START_TEST(full_default_limit)
{
    /* Xen 4.17's default: 1024 frames, 262143 handles for one vCPU. */
    struct grant_table *gt = table(1, GNTTAB_MAX_MAPTRACK_FRAMES);
    unsigned int *hs = malloc(sizeof(*hs) * 262144);
    unsigned int n;

    ck_assert_ptr_nonnull(hs);
    n = drain(gt, 0, hs, 262144);
    ck_assert_uint_eq(n, 262143);
    ck_assert_uint_eq(gt->maptrack_limit, 262144);
    give_back(gt, hs, n);
    free(hs);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("grant-maptrack");
    TCase *t = tcase_create("core");

    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, order_and_growth);
    tcase_add_test(t, freed_handles_go_to_the_tail);
    tcase_add_test(t, exhaustion_per_vcpu_count);
    tcase_add_test(t, stealing_at_the_limit);
    tcase_add_test(t, no_maptrack_at_all);
    tcase_add_test(t, bad_vcpu);
    tcase_add_test(t, full_default_limit);
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
