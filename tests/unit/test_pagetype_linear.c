/*
 * Linear page tables and the page lock (hypervisor/arch/x86/pv/
 * linear_pt.c and pagetype.c against the fake machine in tests/unit/fake):
 * read-only L2-L4 entries naming a table of their own level, as Xen 4.17
 * allows them (itself without references; another validated table of the
 * same domain with a general and a type reference), the linear counts
 * that keep a table from both holding such entries and being named by
 * them, what devalidation gives back, and page_lock() holding a type
 * reference that put_page_type() waits for.
 */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "fake/fake_mm.h"
#include "../../hypervisor/arch/x86/pv/pagetable.h"
#include <pvabi/errno.h>
#include <asm/pv.h>

static struct domain *d0, *d1;

static void setup(void)
{
    fake_mm_reset();
    d0 = fake_domain(0, true, true);
    d1 = fake_domain(1, false, false);
}

static void teardown(void)
{
    free(d0);
    free(d1);
}

#define RO(m)  mk_pte((m), _PAGE_PRESENT | _PAGE_ACCESSED)
#define PDE(m) mk_pte((m), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static int linear_count(mfn_t m)
{
    return pg_of(m)->linear_pt_count;
}

/* A validated table of 'level' owned by d (empty), holding one type ref. */
static mfn_t table(struct domain *d, unsigned int level)
{
    mfn_t m = fake_alloc(d);

    ck_assert_int_eq(get_page_type(pg_of(m), pt_type_of_level(level)), 0);
    return m;
}

START_TEST(self_reference_holds_nothing)
{
    for (unsigned int level = 2; level <= 4; level++) {
        mfn_t t = fake_alloc(d0);

        fake_frame(t)[1] = RO(t);
        ck_assert_int_eq(get_page_type(pg_of(t), pt_type_of_level(level)), 0);
        ck_assert_uint_eq(pg_count(t), 1);
        ck_assert_uint_eq(pg_tcount(t), 1);
        ck_assert_int_eq(linear_count(t), 0);
        put_page_type(pg_of(t));
        ck_assert_uint_eq(pg_count(t), 1);
        ck_assert(!pg_validated(t));

        /* Writable: the guest would write its own page tables. */
        fake_frame(t)[1] = PDE(t);
        ck_assert_int_eq(get_page_type(pg_of(t), pt_type_of_level(level)), -XEN_EINVAL);
        ck_assert_uint_eq(pg_tcount(t), 0);
    }
}
END_TEST

START_TEST(entry_to_another_table_of_its_level)
{
    mfn_t a = table(d0, 2), b = fake_alloc(d0);

    fake_frame(b)[0] = RO(a);
    ck_assert_int_eq(get_page_type(pg_of(b), PGT_l2_page_table), 0);
    ck_assert_uint_eq(pg_tcount(a), 2);
    ck_assert_uint_eq(pg_count(a), 2);
    ck_assert_int_eq(linear_count(a), -1);      /* named once */
    ck_assert_int_eq(linear_count(b), 1);       /* holds one */
    put_page_type(pg_of(b));
    ck_assert_uint_eq(pg_tcount(a), 1);
    ck_assert_uint_eq(pg_count(a), 1);
    ck_assert_int_eq(linear_count(a), 0);
    ck_assert_int_eq(linear_count(b), 0);
    ck_assert(pg_validated(a));

    /* The same through an entry written later (mmu_update's path). */
    mfn_t c = table(d0, 2);
    ck_assert_int_eq(get_page_from_lNe(RO(a), c, 2, d0), 0);
    ck_assert_int_eq(linear_count(c), 1);
    put_page_from_lNe(RO(a), c, 2);
    ck_assert_int_eq(linear_count(a), 0);
    ck_assert_int_eq(linear_count(c), 0);
    ck_assert_int_eq(get_page_from_lNe(PDE(a), c, 2, d0), -XEN_EINVAL);
}
END_TEST

START_TEST(refusals)
{
    mfn_t t = table(d0, 3), busy = fake_alloc(d0), theirs = table(d1, 3), l2 = table(d0, 2);

    /* A table still being validated (another CPU holds its first ref). */
    pg_of(busy)->type_info = PGT_l3_page_table | 1;
    ck_assert_int_eq(get_page_from_lNe(RO(busy), t, 3, d0), -XEN_EINVAL);
    ck_assert_uint_eq(pg_count(busy), 1);
    /* Another domain's table. */
    ck_assert_int_eq(get_page_from_lNe(RO(theirs), t, 3, d0), -XEN_EINVAL);
    ck_assert_uint_eq(pg_count(theirs), 1);
    ck_assert_uint_eq(pg_tcount(theirs), 1);
    /* A table of another level is not linear (and not the level below). */
    ck_assert_int_eq(get_page_from_lNe(RO(t), l2, 2, d0), -XEN_EINVAL);
    ck_assert_int_eq(linear_count(t), 0);
    ck_assert_int_eq(linear_count(l2), 0);
    /* Flags still count. */
    ck_assert_int_eq(get_page_from_lNe(RO(l2) | _PAGE_GLOBAL, t, 3, d0), -XEN_EINVAL);
}
END_TEST

/* A table named by linear entries holds none, and the other way round
 * (Xen's linear_pt_count, XSA-240): chains of linear entries cannot
 * form, so neither can reference cycles. */
START_TEST(depth_one_only)
{
    mfn_t a = table(d0, 4), b = table(d0, 4), c = table(d0, 4);

    ck_assert_int_eq(get_page_from_lNe(RO(a), b, 4, d0), 0);        /* b -> a */
    ck_assert_int_eq(get_page_from_lNe(RO(b), c, 4, d0), -XEN_EINVAL); /* c -> b: b holds one */
    ck_assert_int_eq(get_page_from_lNe(RO(c), a, 4, d0), -XEN_EINVAL); /* a -> c: a is named */
    ck_assert_int_eq(get_page_from_lNe(RO(b), a, 4, d0), -XEN_EINVAL); /* a -> b: both */
    ck_assert_int_eq(get_page_from_lNe(RO(a), c, 4, d0), 0);        /* c -> a: fine */
    ck_assert_int_eq(linear_count(a), -2);
    ck_assert_uint_eq(pg_tcount(a), 3);
    /* A table's own entry naming itself is no linear entry in the counts. */
    ck_assert_int_eq(get_page_from_lNe(RO(a), a, 4, d0), 0);
    ck_assert_int_eq(linear_count(a), -2);
    put_page_from_lNe(RO(a), a, 4);
    put_page_from_lNe(RO(a), b, 4);
    put_page_from_lNe(RO(a), c, 4);
    ck_assert_int_eq(linear_count(a), 0);
    ck_assert_int_eq(linear_count(b), 0);
    ck_assert_int_eq(linear_count(c), 0);
    ck_assert_uint_eq(pg_tcount(a), 1);
}
END_TEST

/* The named table outlives its own pin while an entry names it; the last
 * reference going devalidates it. */
START_TEST(named_table_lives_while_named)
{
    mfn_t a = fake_alloc(d0), l1 = fake_alloc(d0), b = table(d0, 2);

    fake_frame(a)[3] = PDE(l1);
    ck_assert_int_eq(get_page_type(pg_of(a), PGT_l2_page_table), 0);      /* "pinned" */
    ck_assert_int_eq(get_page_from_lNe(RO(a), b, 2, d0), 0);
    fake_frame(b)[0] = RO(a);                   /* as mod_lN_entry writes it */
    put_page_type(pg_of(a));                    /* unpinned: b's entry keeps it */
    ck_assert(pg_validated(a));
    ck_assert_uint_eq(pg_tcount(l1), 1);
    put_page_type(pg_of(b));                    /* b goes, and with it a */
    ck_assert(!pg_validated(b));
    ck_assert(!pg_validated(a));
    ck_assert_uint_eq(pg_tcount(a), 0);
    ck_assert_uint_eq(pg_count(a), 1);
    ck_assert_uint_eq(pg_tcount(l1), 0);
    ck_assert_int_eq(linear_count(a), 0);
    ck_assert_int_eq(linear_count(b), 0);
}
END_TEST

/* A failed validation gives back the linear references taken so far. */
START_TEST(failed_validation_unwinds_linear_entries)
{
    mfn_t a = table(d0, 2), b = fake_alloc(d0), theirs = fake_alloc(d1);

    fake_frame(b)[0] = RO(a);
    fake_frame(b)[1] = RO(b);
    fake_frame(b)[2] = PDE(theirs);
    ck_assert_int_eq(get_page_type(pg_of(b), PGT_l2_page_table), -XEN_EINVAL);
    ck_assert_int_eq(linear_count(a), 0);
    ck_assert_int_eq(linear_count(b), 0);
    ck_assert_uint_eq(pg_tcount(a), 1);
    ck_assert_uint_eq(pg_count(a), 1);
    ck_assert_uint_eq(pg_count(b), 1);
}
END_TEST

/* ------------------------------------------------------------ page lock */

START_TEST(page_lock_holds_a_type_reference)
{
    mfn_t l1 = table(d0, 1), w = fake_alloc(d0);

    ck_assert(page_lock(pg_of(l1)));
    ck_assert_uint_eq(pg_tcount(l1), 2);
    ck_assert(pg_of(l1)->type_info & PGT_locked);
    page_unlock(pg_of(l1));
    ck_assert_uint_eq(pg_tcount(l1), 1);
    ck_assert(!(pg_of(l1)->type_info & PGT_locked));
    /* Nothing to lock: untyped, or being validated. */
    ck_assert(!page_lock(pg_of(w)));
    pg_of(w)->type_info = PGT_l1_page_table | 1;
    ck_assert(!page_lock(pg_of(w)));
    ck_assert_uint_eq(pg_tcount(w), 1);
}
END_TEST

struct putter { mfn_t m; volatile bool done; };

static void *putter_main(void *arg)
{
    struct putter *p = arg;

    put_page_type(pg_of(p->m));
    p->done = true;
    return NULL;
}

/* Dropping the last reference but the lock's must wait for the unlock
 * (page_unlock never devalidates), and then devalidates. */
START_TEST(put_waits_for_the_lock)
{
    mfn_t l1 = table(d0, 1);
    struct putter p = { .m = l1 };
    pthread_t th;
    struct timespec ts = { 0, 50 * 1000000L };

    ck_assert(page_lock(pg_of(l1)));
    ck_assert_int_eq(pthread_create(&th, NULL, putter_main, &p), 0);
    nanosleep(&ts, NULL);
    ck_assert_msg(!p.done, "dropped the second-to-last reference of a locked page");
    ck_assert(pg_validated(l1));
    page_unlock(pg_of(l1));
    pthread_join(th, NULL);
    ck_assert(!pg_validated(l1));
    ck_assert_uint_eq(pg_tcount(l1), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pagetype_linear");
    TCase *lin = tcase_create("linear");
    TCase *lock = tcase_create("lock");

    tcase_add_checked_fixture(lin, setup, teardown);
    tcase_add_test(lin, self_reference_holds_nothing);
    tcase_add_test(lin, entry_to_another_table_of_its_level);
    tcase_add_test(lin, refusals);
    tcase_add_test(lin, depth_one_only);
    tcase_add_test(lin, named_table_lives_while_named);
    tcase_add_test(lin, failed_validation_unwinds_linear_entries);
    suite_add_tcase(s, lin);

    tcase_add_checked_fixture(lock, setup, teardown);
    tcase_set_timeout(lock, 30);
    tcase_add_test(lock, page_lock_holds_a_type_reference);
    tcase_add_test(lock, put_waits_for_the_lock);
    suite_add_tcase(s, lock);
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
