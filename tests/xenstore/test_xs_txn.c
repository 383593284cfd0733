/* Unit tests: transactions (isolation, conflicts, events at commit). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "test_main.h"

START_TEST(isolation_and_commit)
{
    struct tc *t = th_conn(0, true), *o = th_conn(0, true);
    uint32_t tx;
    char buf[256];

    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_uint_eq(tx, 1);
    ck_assert_int_eq(th_write(t, tx, "/t/a", "in-tx"), 0);
    ck_assert_int_eq(th_read(t, tx, "/t/a", buf), 0);
    ck_assert_str_eq(buf, "in-tx");
    /* Nobody else sees it, not even the same client outside the tx. */
    ck_assert_int_eq(th_read(o, 0, "/t/a", buf), ENOENT);
    ck_assert_int_eq(th_read(t, 0, "/t", buf), ENOENT);
    ck_assert_int_eq(th_txend(t, tx, true), 0);
    ck_assert_int_eq(th_read(o, 0, "/t/a", buf), 0);
    ck_assert_str_eq(buf, "in-tx");
    /* The id is gone. */
    ck_assert_int_eq(th_read(t, tx, "/t/a", buf), ENOENT);
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(repeatable_reads)
{
    struct tc *t = th_conn(0, true), *o = th_conn(0, true);
    uint32_t tx;
    char buf[256];
    uint32_t len;

    /* Xen's test-xenstore "ta err": once read in a transaction, a node
     * stays as it was for that transaction; the commit then conflicts. */
    ck_assert_int_eq(th_write(t, 0, "/rr/x", "a"), 0);
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_read(t, tx, "/rr/x", buf), 0);
    ck_assert_uint_eq(th_reqs(t, XS_DIRECTORY, tx, buf, 1, "/rr"), XS_DIRECTORY);
    ck_assert_int_eq(th_write(o, 0, "/rr/x", "b"), 0);
    ck_assert_int_eq(th_write(o, 0, "/rr/y", "new"), 0);
    ck_assert_int_eq(th_read(t, tx, "/rr/x", buf), 0);
    ck_assert_str_eq(buf, "a");
    ck_assert_int_eq(th_dir(t, tx, "/rr", buf, &len), 0);
    ck_assert_uint_eq(len, 2);
    ck_assert_int_eq(th_write(t, tx, "/rr/x", "c"), 0);
    ck_assert_int_eq(th_read(t, tx, "/rr/x", buf), 0);
    ck_assert_str_eq(buf, "c");
    ck_assert_int_eq(th_txend(t, tx, true), EAGAIN);
    ck_assert_int_eq(th_read(t, 0, "/rr/x", buf), 0);
    ck_assert_str_eq(buf, "b");
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(abort_discards)
{
    struct tc *t = th_conn(0, true);
    uint32_t tx;
    char buf[256];

    ck_assert_int_eq(th_write(t, 0, "/keep", "1"), 0);
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_write(t, tx, "/t/a", "x"), 0);
    ck_assert_int_eq(th_rm(t, tx, "/keep"), 0);
    ck_assert_int_eq(th_read(t, tx, "/keep", buf), ENOENT);
    ck_assert_int_eq(th_txend(t, tx, false), 0);
    ck_assert_int_eq(th_read(t, 0, "/t/a", buf), ENOENT);
    ck_assert_int_eq(th_read(t, 0, "/keep", buf), 0);
}
END_TEST

START_TEST(conflicts)
{
    struct tc *t = th_conn(0, true), *o = th_conn(0, true);
    uint32_t tx;
    char buf[256];

    ck_assert_int_eq(th_write(t, 0, "/c/x", "0"), 0);
    /* A node read in the transaction changed outside: EAGAIN. */
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_read(t, tx, "/c/x", buf), 0);
    ck_assert_int_eq(th_write(o, 0, "/c/x", "1"), 0);
    ck_assert_int_eq(th_write(t, tx, "/c/y", "2"), 0);
    ck_assert_int_eq(th_txend(t, tx, true), EAGAIN);
    ck_assert_int_eq(th_read(t, 0, "/c/y", buf), ENOENT);
    ck_assert_int_eq(th_txend(t, tx, true), ENOENT);
    /* Unrelated changes do not conflict. */
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_read(t, tx, "/c/x", buf), 0);
    ck_assert_int_eq(th_write(o, 0, "/elsewhere", "1"), 0);
    ck_assert_int_eq(th_txend(t, tx, true), 0);
    /* Both create the same node: the later commit loses. */
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_write(t, tx, "/c/new", "t"), 0);
    ck_assert_int_eq(th_write(o, 0, "/c/new", "o"), 0);
    ck_assert_int_eq(th_txend(t, tx, true), EAGAIN);
    ck_assert_int_eq(th_read(t, 0, "/c/new", buf), 0);
    ck_assert_str_eq(buf, "o");
    /* A listed directory gained a child. */
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_uint_eq(th_reqs(t, XS_DIRECTORY, tx, buf, 1, "/c"), XS_DIRECTORY);
    ck_assert_int_eq(th_write(o, 0, "/c/z", "1"), 0);
    ck_assert_int_eq(th_txend(t, tx, true), EAGAIN);
    /* A node the transaction saw as absent appeared. */
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_read(t, tx, "/c/ghost", buf), ENOENT);
    ck_assert_int_eq(th_write(o, 0, "/c/ghost", "boo"), 0);
    ck_assert_int_eq(th_txend(t, tx, true), EAGAIN);
    ck_assert_uint_eq(th_d->stats.conflicts, 4);
}
END_TEST

START_TEST(protocol_errors)
{
    struct tc *t = th_conn(0, true);
    uint32_t tx, tx2;
    char buf[256];

    ck_assert_int_eq(th_txstart(t, &tx), 0);
    /* No nesting. */
    ck_assert_uint_eq(th_reqs(t, XS_TRANSACTION_START, tx, buf, 1, ""), XS_ERROR);
    ck_assert_str_eq(buf, "EBUSY");
    ck_assert_uint_eq(th_reqs(t, XS_TRANSACTION_END, tx, buf, 1, "X"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_uint_eq(th_reqs(t, XS_TRANSACTION_END, 0, buf, 1, "T"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_int_eq(th_txstart(t, &tx2), 0);
    ck_assert_uint_eq(tx2, tx + 1);
    ck_assert_int_eq(th_txend(t, tx, false), 0);
    ck_assert_int_eq(th_txend(t, tx2, false), 0);
    /* Watches ignore the transaction id. */
    ck_assert_uint_eq(th_reqs(t, XS_WATCH, 999, buf, 2, "/w", "tok"), XS_WATCH);
    ck_assert_uint_eq(th_reqs(t, XS_UNWATCH, 999, buf, 2, "/w", "tok"), XS_UNWATCH);
}
END_TEST

/* Xen 4.17's wire_funcs table: only WATCH and UNWATCH ignore the header's
 * transaction id; every other request, privileged ones included, looks it
 * up (after the privilege check) and an unknown one is ENOENT. */
START_TEST(only_watches_ignore_the_transaction_id)
{
    struct tc *t = th_conn(0, true), *g = th_conn(5, false);
    char buf[256];

    ck_assert_uint_eq(th_reqs(g, XS_GET_DOMAIN_PATH, 999, buf, 1, "5"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_uint_eq(th_req(g, XS_RESET_WATCHES, 999, NULL, 0, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_uint_eq(th_reqs(g, XS_RELEASE, 999, buf, 1, "7"), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 999, buf, 1, "7"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_uint_eq(th_reqs(t, XS_IS_DOMAIN_INTRODUCED, 999, buf, 1, "0"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_uint_eq(th_reqs(g, XS_WATCH, 999, buf, 2, "w", "tok"), XS_WATCH);
    ck_assert_uint_eq(th_reqs(g, XS_GET_DOMAIN_PATH, 0, buf, 1, "5"), XS_GET_DOMAIN_PATH);
    ck_assert_str_eq(buf, "/local/domain/5");
}
END_TEST

START_TEST(events_at_commit)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    uint32_t tx;
    char path[128], tok[64];

    ck_assert_int_eq(th_write(t, 0, "/e/old/child", "1"), 0);
    ck_assert_int_eq(th_watch(w, "/e", "T"), 0);
    th_drain(w);
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_write(t, tx, "/e/a", "1"), 0);
    ck_assert_int_eq(th_write(t, tx, "/e/a", "2"), 0);
    ck_assert_int_eq(th_rm(t, tx, "/e/old"), 0);
    ck_assert(!th_event(w, path, tok));
    ck_assert_int_eq(th_txend(t, tx, true), 0);
    /* Once per path, in first-touch order; of the deleted subtree a watch
     * above it sees only the top. */
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/e/a");
    ck_assert_str_eq(tok, "T");
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/e/old");
    ck_assert(!th_event(w, path, tok));
    /* Aborted or failed transactions fire nothing. */
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_write(t, tx, "/e/b", "1"), 0);
    ck_assert_int_eq(th_txend(t, tx, false), 0);
    ck_assert(!th_event(w, path, tok));
}
END_TEST

START_TEST(delete_then_recreate)
{
    struct tc *t = th_conn(0, true);
    uint32_t tx;
    char buf[256];

    ck_assert_int_eq(th_write(t, 0, "/r/n/k", "old"), 0);
    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_int_eq(th_rm(t, tx, "/r/n"), 0);
    ck_assert_int_eq(th_write(t, tx, "/r/n", "new"), 0);
    ck_assert_int_eq(th_txend(t, tx, true), 0);
    ck_assert_int_eq(th_read(t, 0, "/r/n", buf), 0);
    ck_assert_str_eq(buf, "new");
    ck_assert_int_eq(th_read(t, 0, "/r/n/k", buf), ENOENT);
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(reset_watches_ends_transactions)
{
    struct tc *t = th_conn(0, true);
    uint32_t tx;
    char buf[64];

    ck_assert_int_eq(th_txstart(t, &tx), 0);
    ck_assert_uint_eq(th_reqs(t, XS_RESET_WATCHES, 0, buf, 1, ""), XS_RESET_WATCHES);
    ck_assert_int_eq(th_txend(t, tx, true), ENOENT);
}
END_TEST

/* A domain that is released has its grants made inert everywhere, so a
 * later domain reusing the id inherits nothing; that must include the
 * copies open transactions hold, or a commit writes the live grant back
 * (xenstored 4.17 re-checks every grant against the domains' lifetimes
 * whenever it reads a node, committed ones included). */
START_TEST(release_revokes_grants_in_open_transactions)
{
    struct tc *d0 = th_conn(0, true), *g5 = th_conn(5, false), *g7;
    struct domain *dom = calloc(1, sizeof(*dom));
    uint32_t tx;
    char buf[256];

    ck_assert_int_eq(th_mkdir(d0, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_setperms(d0, 0, "/local/domain/5", "n5"), 0);
    ck_assert_int_eq(th_write(g5, 0, "/local/domain/5/x", "old"), 0);
    ck_assert_int_eq(th_setperms(g5, 0, "/local/domain/5/x", "n5,r7"), 0);
    ck_assert_int_eq(th_txstart(g5, &tx), 0);
    ck_assert_int_eq(th_write(g5, tx, "/local/domain/5/x", "for-dom7-only"), 0);
    ck_assert_int_eq(th_write(g5, tx, "/local/domain/5/x/new", "also"), 0);

    /* Domain 7 goes away while the transaction is open. */
    ck_assert_ptr_nonnull(dom);
    dom->domid = 7;
    dom->next = th_d->domains;
    th_d->domains = dom;
    ck_assert_int_eq(domain_release(th_d, 7), 0);
    /* A new domain 7 may neither hear of the commit nor read the nodes. */
    g7 = th_conn(7, false);
    ck_assert_int_eq(th_watch(g7, "/local/domain/5", "t"), 0);
    th_drain(g7);
    ck_assert_int_eq(th_txend(g5, tx, true), 0);
    ck_assert(!th_event(g7, buf, buf + 128));
    ck_assert_int_eq(th_read(g7, 0, "/local/domain/5/x", buf), EACCES);
    ck_assert_int_eq(th_read(g7, 0, "/local/domain/5/x/new", buf), EACCES);
    ck_assert_int_eq(th_read(g5, 0, "/local/domain/5/x", buf), 0);
    ck_assert_str_eq(buf, "for-dom7-only");
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-txn");
    TCase *tc = tcase_create("txn");

    tcase_add_checked_fixture(tc, th_setup, th_teardown);
    tcase_add_test(tc, isolation_and_commit);
    tcase_add_test(tc, repeatable_reads);
    tcase_add_test(tc, abort_discards);
    tcase_add_test(tc, conflicts);
    tcase_add_test(tc, protocol_errors);
    tcase_add_test(tc, events_at_commit);
    tcase_add_test(tc, delete_then_recreate);
    tcase_add_test(tc, reset_watches_ends_transactions);
    tcase_add_test(tc, release_revokes_grants_in_open_transactions);
    tcase_add_test(tc, only_watches_ignore_the_transaction_id);
    suite_add_tcase(s, tc);
    return s;
}
