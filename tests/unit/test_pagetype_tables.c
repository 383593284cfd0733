/*
 * The PV page-type state machine above L1 (hypervisor/arch/x86/pv/
 * pagetype.c against the fake machine in tests/unit/fake): L2-L4
 * validation, recursive down to the leaves; what each level refuses; the
 * hypervisor's L4 slots; pins holding a type across the loss of every
 * other reference; devalidation cascading from the last reference of a
 * root down to the data frames, and the frees it causes; descriptor
 * pages; and concurrent use from several threads (waiting for another
 * CPU's validation, counting under contention, types racing each other).
 */
#include <check.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include "fake/fake_mm.h"
#include <pvabi/errno.h>
#include <asm/pv.h>
#include <pvabi/xen.h>

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
#define RW(m)  mk_pte((m), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PDE(m) mk_pte((m), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* A four-level tree: l4[1] -> l3[2] -> l2[3] -> l1[4] -> data (RW). */
struct tree { mfn_t l4, l3, l2, l1, data; };

static struct tree build_tree(struct domain *d)
{
    struct tree t = {
        .l4 = fake_alloc(d), .l3 = fake_alloc(d), .l2 = fake_alloc(d),
        .l1 = fake_alloc(d), .data = fake_alloc(d),
    };

    fake_frame(t.l4)[1] = PDE(t.l3);
    fake_frame(t.l3)[2] = PDE(t.l2);
    fake_frame(t.l2)[3] = PDE(t.l1);
    fake_frame(t.l1)[4] = RW(t.data);
    return t;
}

/* ------------------------------------------------------------ levels */

START_TEST(l2_validates_its_l1)
{
    mfn_t l2 = fake_alloc(d0), l1 = fake_alloc(d0);

    fake_frame(l2)[7] = PDE(l1);
    ck_assert_int_eq(get_page_type(pg_of(l2), PGT_l2_page_table), 0);
    ck_assert_uint_eq(pg_type(l1), PGT_l1_page_table);
    ck_assert(pg_validated(l1));
    ck_assert_uint_eq(pg_tcount(l1), 1);
    ck_assert_uint_eq(pg_count(l1), 2);
    ck_assert_uint_eq(fake_frame(l2)[7], PDE(l1) | _PAGE_USER);   /* ring-3 kernel */
    put_page_type(pg_of(l2));
    ck_assert_uint_eq(pg_tcount(l1), 0);
    ck_assert(!pg_validated(l1));
    ck_assert_uint_eq(pg_count(l1), 1);
}
END_TEST

START_TEST(upper_level_refusals)
{
    mfn_t t = fake_alloc(d0), l1 = fake_alloc(d0), w = fake_alloc(d0), theirs = fake_alloc(d1);
    const struct { const char *what; unsigned long type; pgentry_t e; int rc; } cases[] = {
        { "L2 PSE", PGT_l2_page_table, PDE(l1) | _PAGE_PSE, -XEN_EINVAL },
        { "L2 PCD", PGT_l2_page_table, PDE(l1) | _PAGE_PCD, -XEN_EINVAL },
        { "L2 PWT", PGT_l2_page_table, PDE(l1) | _PAGE_PWT, -XEN_EINVAL },
        { "L2 GLOBAL", PGT_l2_page_table, PDE(l1) | _PAGE_GLOBAL, -XEN_EINVAL },
        { "L3 PSE", PGT_l3_page_table, PDE(l1) | _PAGE_PSE, -XEN_EINVAL },
        { "L3 PCD", PGT_l3_page_table, PDE(l1) | _PAGE_PCD, -XEN_EINVAL },
        { "L4 PSE", PGT_l4_page_table, PDE(l1) | _PAGE_PSE, -XEN_EINVAL },
        { "L4 GLOBAL", PGT_l4_page_table, PDE(l1) | _PAGE_GLOBAL, -XEN_EINVAL },
        { "L2 -> a writable page", PGT_l2_page_table, PDE(w), -XEN_EINVAL },
        { "L2 -> another domain's frame", PGT_l2_page_table, PDE(theirs), -XEN_EINVAL },
        { "L2 -> a hole", PGT_l2_page_table, PDE(FAKE_RAM_FRAMES + 2), -XEN_EINVAL },
        { "L2 -> beyond the frame table", PGT_l2_page_table, PDE(0x100000), -XEN_EINVAL },
        { "L3 -> an L1 (wrong level)", PGT_l3_page_table, PDE(l1), -XEN_EINVAL },
        { "L4 -> an L1 (wrong level)", PGT_l4_page_table, PDE(l1), -XEN_EINVAL },
    };

    ck_assert_int_eq(get_page_type(pg_of(w), PGT_writable_page), 0);
    ck_assert_int_eq(get_page_type(pg_of(l1), PGT_l1_page_table), 0);  /* a real L1 */
    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pgentry_t *p = fake_frame(t);

        memset(p, 0, PAGE_SIZE);
        p[0] = cases[i].e;
        int rc = get_page_type(pg_of(t), cases[i].type);
        ck_assert_msg(rc == cases[i].rc, "%s: got %d, want %d", cases[i].what, rc, cases[i].rc);
        ck_assert_msg(pg_tcount(t) == 0 && pg_type(t) == PGT_none, "%s: type left behind",
                      cases[i].what);
        ck_assert_msg(pg_tcount(l1) == 1 && pg_count(l1) == 1, "%s: lower table left referenced",
                      cases[i].what);
    }
    ck_assert_uint_eq(pg_count(theirs), 1);
    ck_assert_uint_eq(pg_tcount(w), 1);
}
END_TEST

START_TEST(four_levels_recursively)
{
    struct tree t = build_tree(d0);

    ck_assert_int_eq(get_page_type(pg_of(t.l4), PGT_l4_page_table), 0);
    ck_assert_uint_eq(pg_type(t.l3), PGT_l3_page_table);
    ck_assert_uint_eq(pg_type(t.l2), PGT_l2_page_table);
    ck_assert_uint_eq(pg_type(t.l1), PGT_l1_page_table);
    ck_assert(pg_validated(t.l3) && pg_validated(t.l2) && pg_validated(t.l1));
    ck_assert_uint_eq(pg_type(t.data), PGT_writable_page);
    ck_assert_uint_eq(pg_tcount(t.data), 1);
    ck_assert_uint_eq(fake_calls.init_hv_l4_slots, 1);
    /* Slot 256, the read-only M2P, waits for the L4 to become a kernel
     * base pointer (m2p_strict is off). */
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        ck_assert_uint_eq(fake_frame(t.l4)[s], s == PERDOMAIN_SLOT ? d0->arch.perdomain_l3e
                                               : s == HV_FIRST_SLOT ? 0 : FAKE_HV_L4E(s));
    /* The data frame cannot become a table while mapped writable. */
    ck_assert_int_eq(get_page_type(pg_of(t.data), PGT_l1_page_table), -XEN_EINVAL);
}
END_TEST

START_TEST(l4_ignores_junk_in_hypervisor_slots)
{
    mfn_t l4 = fake_alloc(d0), theirs = fake_alloc(d1), w = fake_alloc(d0);

    get_page_type(pg_of(w), PGT_writable_page);
    for (unsigned int s = HV_FIRST_SLOT; s <= HV_LAST_SLOT; s++)
        fake_frame(l4)[s] = s & 1 ? PDE(theirs) : PDE(w) | _PAGE_PSE;
    ck_assert_int_eq(get_page_type(pg_of(l4), PGT_l4_page_table), 0);
    ck_assert_uint_eq(fake_frame(l4)[HV_FIRST_SLOT], 0);
    ck_assert_uint_eq(fake_frame(l4)[HV_FIRST_SLOT + 1], FAKE_HV_L4E(HV_FIRST_SLOT + 1));
    ck_assert_uint_eq(pg_count(theirs), 1);
    ck_assert_uint_eq(pg_tcount(w), 1);
    /* Devalidation does not touch them either. */
    put_page_type(pg_of(l4));
    ck_assert_uint_eq(pg_count(theirs), 1);
    ck_assert_uint_eq(pg_count(w), 1);
}
END_TEST

/* With VMASST_TYPE_m2p_strict every validated L4 gets the read-only M2P
 * at once (user base pointers lose it instead: mm_ops.c). */
START_TEST(l4_m2p_strict_fills_slot_256)
{
    mfn_t l4 = fake_alloc(d0);

    d0->vm_assist |= 1UL << VMASST_TYPE_m2p_strict;
    ck_assert_int_eq(get_page_type(pg_of(l4), PGT_l4_page_table), 0);
    ck_assert_uint_eq(fake_frame(l4)[HV_FIRST_SLOT], FAKE_HV_L4E(HV_FIRST_SLOT));
    put_page_type(pg_of(l4));
}
END_TEST

START_TEST(failure_deep_down_unwinds_everything)
{
    struct tree t = build_tree(d0);
    mfn_t l3b = fake_alloc(d0), l2b = fake_alloc(d0), theirs = fake_alloc(d1);

    /* l4[5] -> l3b -> l2b -> an L1 that maps d1's frame: refused. */
    mfn_t l1b = fake_alloc(d0);
    fake_frame(t.l4)[5] = PDE(l3b);
    fake_frame(l3b)[0] = PDE(l2b);
    fake_frame(l2b)[0] = PDE(l1b);
    fake_frame(l1b)[9] = RO(theirs);
    ck_assert_int_eq(get_page_type(pg_of(t.l4), PGT_l4_page_table), -XEN_EBUSY);
    /* Everything validated on the way (the whole first tree) is undone. */
    mfn_t all[] = { t.l4, t.l3, t.l2, t.l1, l3b, l2b, l1b };
    for (unsigned int i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        ck_assert_msg(pg_tcount(all[i]) == 0, "frame %u kept a type ref", i);
        ck_assert_msg(pg_count(all[i]) == 1, "frame %u kept a general ref", i);
    }
    ck_assert_uint_eq(pg_tcount(t.data), 0);
    ck_assert_uint_eq(pg_count(t.data), 1);
    ck_assert_uint_eq(pg_count(theirs), 1);
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
}
END_TEST

/* ------------------------------------------------------------ cascades */

START_TEST(last_reference_devalidates_the_tree)
{
    struct tree t = build_tree(d0);

    ck_assert_int_eq(get_page_type(pg_of(t.l4), PGT_l4_page_table), 0);
    fake_tlb_clock = 4242;
    put_page_type(pg_of(t.l4));
    mfn_t all[] = { t.l4, t.l3, t.l2, t.l1 };
    for (unsigned int i = 0; i < 4; i++) {
        ck_assert_msg(!pg_validated(all[i]), "table %u still validated", i);
        ck_assert_msg(pg_tcount(all[i]) == 0, "table %u kept a type ref", i);
        ck_assert_msg(pg_count(all[i]) == 1, "table %u count %lu", i, pg_count(all[i]));
    }
    ck_assert_uint_eq(pg_tcount(t.data), 0);
    ck_assert_uint_eq(pg_count(t.data), 1);
    ck_assert_uint_eq(pg_of(t.data)->tlbflush_timestamp, 4242);
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
}
END_TEST

START_TEST(cascade_frees_released_frames)
{
    struct tree t = build_tree(d0);

    ck_assert_int_eq(get_page_type(pg_of(t.l4), PGT_l4_page_table), 0);
    /* The guest gives every frame back while the tree is live: only the
     * root's own references keep them. */
    mfn_t all[] = { t.l3, t.l2, t.l1, t.data };
    for (unsigned int i = 0; i < 4; i++)
        put_page(pg_of(all[i]));
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
    put_page_type(pg_of(t.l4));
    ck_assert_uint_eq(fake_calls.free_domain_frame, 4);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert(pg_freed(all[i]));
    ck_assert(!pg_freed(t.l4));
    put_page(pg_of(t.l4));
    ck_assert_uint_eq(fake_calls.free_domain_frame, 5);
}
END_TEST

START_TEST(shared_table_lives_while_referenced)
{
    mfn_t a = fake_alloc(d0), b = fake_alloc(d0), l1 = fake_alloc(d0), data = fake_alloc(d0);

    fake_frame(l1)[0] = RW(data);
    fake_frame(a)[0] = PDE(l1);
    fake_frame(b)[1] = PDE(l1);
    ck_assert_int_eq(get_page_type(pg_of(a), PGT_l2_page_table), 0);
    ck_assert_int_eq(get_page_type(pg_of(b), PGT_l2_page_table), 0);
    ck_assert_uint_eq(pg_tcount(l1), 2);
    ck_assert_uint_eq(pg_count(data), 2);       /* validated once */
    put_page_type(pg_of(a));
    ck_assert(pg_validated(l1));
    ck_assert_uint_eq(pg_tcount(data), 1);
    put_page_type(pg_of(b));
    ck_assert(!pg_validated(l1));
    ck_assert_uint_eq(pg_tcount(data), 0);
}
END_TEST

/* ------------------------------------------------------------ pins */

/* MMUEXT_PIN_Lx_TABLE / UNPIN as mm_ops.c does them: the pin is one
 * general and one type reference plus the PGT_pinned flag. */
static int pin(mfn_t m, struct domain *d, unsigned long type)
{
    struct page_info *pg = pg_of(m);
    int rc = get_page_and_type(pg, d, type);

    if (rc)
        return rc;
    if (__atomic_fetch_or(&pg->type_info, PGT_pinned, __ATOMIC_SEQ_CST) & PGT_pinned) {
        put_page_and_type(pg);
        return -XEN_EINVAL;
    }
    return 0;
}

static int unpin(mfn_t m)
{
    struct page_info *pg = pg_of(m);

    if (!(__atomic_fetch_and(&pg->type_info, ~PGT_pinned, __ATOMIC_SEQ_CST) & PGT_pinned))
        return -XEN_EINVAL;
    put_page_and_type(pg);
    return 0;
}

START_TEST(pin_holds_the_type)
{
    mfn_t l2 = fake_alloc(d0), l1 = fake_alloc(d0), data = fake_alloc(d0);

    fake_frame(l1)[0] = RW(data);
    ck_assert_int_eq(pin(l1, d0, PGT_l1_page_table), 0);
    ck_assert_int_eq(pin(l1, d0, PGT_l1_page_table), -XEN_EINVAL);      /* twice */
    ck_assert_uint_eq(pg_tcount(l1), 1);
    fake_frame(l2)[0] = PDE(l1);
    ck_assert_int_eq(get_page_type(pg_of(l2), PGT_l2_page_table), 0);
    ck_assert_uint_eq(pg_tcount(l1), 2);
    put_page_type(pg_of(l2));                   /* the L2 goes */
    ck_assert(pg_validated(l1));                /* the pin keeps it */
    ck_assert_uint_eq(pg_tcount(data), 1);
    ck_assert_int_eq(unpin(l1), 0);
    ck_assert(!pg_validated(l1));
    ck_assert_uint_eq(pg_tcount(data), 0);
    ck_assert_int_eq(unpin(l1), -XEN_EINVAL);
    ck_assert_uint_eq(pg_count(l1), 1);
}
END_TEST

START_TEST(pinned_table_outlives_its_allocation)
{
    mfn_t l1 = fake_alloc(d0), data = fake_alloc(d0);

    fake_frame(l1)[0] = RO(data);
    ck_assert_int_eq(pin(l1, d0, PGT_l1_page_table), 0);
    put_page(pg_of(l1));                        /* allocation reference */
    put_page(pg_of(data));
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
    ck_assert_int_eq(unpin(l1), 0);
    /* Unpin devalidated l1 (freeing data, which only l1 held), then
     * dropped the pin's own reference (freeing l1). */
    ck_assert_uint_eq(fake_calls.free_domain_frame, 2);
    ck_assert(pg_freed(l1) && pg_freed(data));
}
END_TEST

START_TEST(pin_wrong_type_or_contents)
{
    mfn_t t = fake_alloc(d0), w = fake_alloc(d0);

    ck_assert_int_eq(pin(t, d0, PGT_l2_page_table), 0);
    ck_assert_int_eq(pin(t, d0, PGT_l1_page_table), -XEN_EINVAL);
    ck_assert_int_eq(pin(t, d0, PGT_l4_page_table), -XEN_EINVAL);
    ck_assert_int_eq(unpin(t), 0);
    ck_assert_int_eq(get_page_type(pg_of(w), PGT_writable_page), 0);
    ck_assert_int_eq(pin(w, d0, PGT_l1_page_table), -XEN_EINVAL);
    ck_assert_uint_eq(pg_count(w), 1);
    ck_assert_int_eq(pin(t, d1, PGT_l1_page_table), -XEN_EINVAL);       /* not d1's */
    fake_frame(t)[0] = RW(t);                                            /* self, writable */
    ck_assert_int_eq(pin(t, d0, PGT_l1_page_table), -XEN_EBUSY);
    ck_assert_uint_eq(pg_count(t), 1);
    ck_assert_uint_eq(pg_tcount(t), 0);
}
END_TEST

/* ------------------------------------------------------------ descriptors */

START_TEST(descriptor_pages)
{
    mfn_t g = fake_alloc(d0);

    ck_assert_int_eq(get_page_type(pg_of(g), PGT_seg_desc_page), 0);
    ck_assert_uint_eq(fake_calls.validate_desc, 1);
    ck_assert_int_eq(get_page_type(pg_of(g), PGT_seg_desc_page), 0);
    ck_assert_uint_eq(fake_calls.validate_desc, 1);     /* counted, not re-checked */
    ck_assert_int_eq(get_page_type(pg_of(g), PGT_writable_page), -XEN_EINVAL);
    put_page_type(pg_of(g));
    put_page_type(pg_of(g));
    ck_assert(!pg_validated(g));
    ck_assert_int_eq(get_page_type(pg_of(g), PGT_seg_desc_page), 0);
    ck_assert_uint_eq(fake_calls.validate_desc, 2);     /* re-checked after the last put */
    put_page_type(pg_of(g));

    fake_desc_valid = false;
    ck_assert_int_eq(get_page_type(pg_of(g), PGT_seg_desc_page), -XEN_EINVAL);
    ck_assert_uint_eq(pg_type(g), PGT_none);
    ck_assert_uint_eq(pg_tcount(g), 0);
    ck_assert_int_eq(get_page_type(pg_of(g), PGT_writable_page), 0);
}
END_TEST

/* ------------------------------------------------------------ concurrency */

struct waiter { mfn_t m; unsigned long type; volatile int rc; volatile bool done; };

static void *waiter_main(void *arg)
{
    struct waiter *w = arg;

    w->rc = get_page_type(pg_of(w->m), w->type);
    w->done = true;
    return NULL;
}

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = { 0, (long)ms * 1000000L };

    nanosleep(&ts, NULL);
}

/* Another CPU took the first reference and is still validating: a second
 * taker of the same type waits for PGT_validated. */
START_TEST(waits_for_validation_in_progress)
{
    mfn_t m = fake_alloc(d0);
    struct waiter w = { .m = m, .type = PGT_l1_page_table };
    pthread_t th;

    pg_of(m)->type_info = PGT_l1_page_table | 1;        /* validating, not done */
    ck_assert_int_eq(pthread_create(&th, NULL, waiter_main, &w), 0);
    sleep_ms(50);
    ck_assert_msg(!w.done, "took a reference on a table still being validated");
    /* A different type is refused at once meanwhile. */
    ck_assert_int_eq(get_page_type(pg_of(m), PGT_writable_page), -XEN_EINVAL);
    __atomic_fetch_or(&pg_of(m)->type_info, PGT_validated, __ATOMIC_SEQ_CST);
    pthread_join(th, NULL);
    ck_assert_int_eq(w.rc, 0);
    ck_assert_uint_eq(pg_tcount(m), 2);
}
END_TEST

#define SPINS 200000

struct hammer { mfn_t m; unsigned long type; unsigned long wrong; };

static void *count_hammer(void *arg)
{
    struct hammer *h = arg;
    struct page_info *pg = pg_of(h->m);

    for (unsigned int i = 0; i < SPINS; i++) {
        if (!get_page(pg, d0)) {
            h->wrong++;
            continue;
        }
        if (get_page_type(pg, h->type) == 0) {
            if (page_type(pg) != h->type)
                h->wrong++;             /* someone changed a held type */
            put_page_type(pg);
        }
        put_page(pg);
    }
    return NULL;
}

START_TEST(contended_counts_balance)
{
    mfn_t m = fake_alloc(d0);
    struct hammer h[4] = {
        { m, PGT_writable_page, 0 }, { m, PGT_writable_page, 0 },
        { m, PGT_writable_page, 0 }, { m, PGT_writable_page, 0 },
    };
    pthread_t th[4];

    for (unsigned int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, count_hammer, &h[i]);
    for (unsigned int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_uint_eq(h[i].wrong, 0);
    ck_assert_uint_eq(pg_count(m), 1);
    ck_assert_uint_eq(pg_tcount(m), 0);
}
END_TEST

/* Writable and L1 references racing for one (empty) frame: whoever holds
 * a reference always sees its own type. */
START_TEST(types_race_safely)
{
    mfn_t m = fake_alloc(d0);
    struct hammer h[4] = {
        { m, PGT_writable_page, 0 }, { m, PGT_l1_page_table, 0 },
        { m, PGT_writable_page, 0 }, { m, PGT_l2_page_table, 0 },
    };
    pthread_t th[4];

    for (unsigned int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, count_hammer, &h[i]);
    for (unsigned int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_msg(h[i].wrong == 0, "thread %u saw a foreign type %lu times", i, h[i].wrong);
    ck_assert_uint_eq(pg_count(m), 1);
    ck_assert_uint_eq(pg_tcount(m), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pagetype_tables");
    TCase *levels = tcase_create("levels");
    TCase *cascades = tcase_create("cascades");
    TCase *pins = tcase_create("pins");
    TCase *conc = tcase_create("concurrency");

    tcase_add_checked_fixture(levels, setup, teardown);
    tcase_add_test(levels, l2_validates_its_l1);
    tcase_add_test(levels, upper_level_refusals);
    tcase_add_test(levels, four_levels_recursively);
    tcase_add_test(levels, l4_ignores_junk_in_hypervisor_slots);
    tcase_add_test(levels, l4_m2p_strict_fills_slot_256);
    tcase_add_test(levels, failure_deep_down_unwinds_everything);
    tcase_add_test(levels, descriptor_pages);
    suite_add_tcase(s, levels);

    tcase_add_checked_fixture(cascades, setup, teardown);
    tcase_add_test(cascades, last_reference_devalidates_the_tree);
    tcase_add_test(cascades, cascade_frees_released_frames);
    tcase_add_test(cascades, shared_table_lives_while_referenced);
    suite_add_tcase(s, cascades);

    tcase_add_checked_fixture(pins, setup, teardown);
    tcase_add_test(pins, pin_holds_the_type);
    tcase_add_test(pins, pinned_table_outlives_its_allocation);
    tcase_add_test(pins, pin_wrong_type_or_contents);
    suite_add_tcase(s, pins);

    tcase_add_checked_fixture(conc, setup, teardown);
    tcase_set_timeout(conc, 30);
    tcase_add_test(conc, waits_for_validation_in_progress);
    tcase_add_test(conc, contended_counts_balance);
    tcase_add_test(conc, types_race_safely);
    suite_add_tcase(s, conc);
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
