/* Unit tests: per-domain quotas with Xen 4.17's defaults and errors. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "test_main.h"

/* dom0 gives domain 5 its home directory. */
static struct tc *guest5(struct tc *t)
{
    ck_assert_int_eq(th_mkdir(t, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5", "n5"), 0);
    return th_conn(5, false);
}

START_TEST(defaults_are_xen_417)
{
    ck_assert_uint_eq(th_d->q.val[QUOTA_NODES], 1000);
    ck_assert_uint_eq(th_d->q.val[QUOTA_NODE_SIZE], 2048);
    ck_assert_uint_eq(th_d->q.val[QUOTA_WATCHES], 128);
    ck_assert_uint_eq(th_d->q.val[QUOTA_TRANSACTIONS], 10);
    ck_assert_uint_eq(th_d->q.val[QUOTA_OUTSTANDING], 20);
    ck_assert_uint_eq(th_d->q.val[QUOTA_PERMS], 5);
    ck_assert_uint_eq(th_d->q.val[QUOTA_TRANS_NODES], 1024);
    ck_assert_uint_eq(th_d->q.val[QUOTA_PATH_LENGTH], 2048);
    ck_assert_uint_eq(th_d->q.val[QUOTA_MEMORY], 2621440);
    ck_assert_uint_eq(th_d->q.memory_soft, 2097152);
}
END_TEST

START_TEST(nodes)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    char path[64];
    int i, err = 0;

    /* The home directory counts, and so do implicit parents. Nodes are
     * spread over subdirectories: a directory's own size is limited too. */
    for (i = 0; i < 2000 && !err; i++) {
        snprintf(path, sizeof(path), "d%d/n%d", i / 40, i % 40);
        err = th_write(u, 0, path, "");
    }
    ck_assert_int_eq(err, ENOSPC);
    ck_assert_uint_eq(th_d->st.owned[5], 1000);
    /* One directory's children list is bounded by the node size. */
    for (i = 0; i < 10; i++) {
        snprintf(path, sizeof(path), "d%d", i);
        ck_assert_int_eq(th_rm(u, 0, path), 0);
    }
    for (i = 0, err = 0; i < 1000 && !err; i++) {
        snprintf(path, sizeof(path), "flat/child%04d", i);
        err = th_write(u, 0, path, "");
    }
    ck_assert_int_eq(err, ENOSPC);
    /* 10 bytes a name: about 2015 / 10 fit, well before the node count. */
    ck_assert_int_gt(i, 190);
    ck_assert_int_lt(i, 210);
    ck_assert_int_eq(th_rm(u, 0, "flat"), 0);
    /* Fill up again, free one node: a write needing two fails whole. */
    for (i = 0, err = 0; i < 2000 && !err; i++) {
        snprintf(path, sizeof(path), "e%d/n%d", i / 40, i % 40);
        err = th_write(u, 0, path, "");
    }
    ck_assert_uint_eq(th_d->st.owned[5], 1000);
    /* Implicit parents count too: all or nothing. */
    ck_assert_int_eq(th_rm(u, 0, "d11/n0"), 0);
    ck_assert_int_eq(th_write(u, 0, "x/y", ""), ENOSPC);
    ck_assert_int_eq(th_write(u, 0, "x", ""), 0);
    /* dom0 is exempt, even in the guest's directory. */
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/by0", ""), 0);
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(nodes_in_transaction)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    uint32_t tx;
    char path[64];

    th_d->q.val[QUOTA_NODES] = 4;
    ck_assert_int_eq(th_txstart(u, &tx), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "n%d", i);
        ck_assert_int_eq(th_write(u, tx, path, ""), 0);
    }
    ck_assert_int_eq(th_write(u, tx, "one-too-many", ""), ENOSPC);
    ck_assert_int_eq(th_txend(u, tx, true), 0);
    ck_assert_uint_eq(th_d->st.owned[5], 4);
}
END_TEST

START_TEST(node_size)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    static char big[2100];

    /* 24 header + 8 per permission + data must stay below 2048
     * (xenstored 4.17 refuses '>='): 2015 bytes fit, 2016 do not. */
    memset(big, 'v', 2015);
    ck_assert_int_eq(th_write(u, 0, "fits", big), 0);
    big[2015] = 'v';
    ck_assert_int_eq(th_write(u, 0, "fits", big), ENOSPC);
    ck_assert_int_eq(th_write(u, 0, "new", big), ENOSPC);
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/dom0", big), 0);
}
END_TEST

START_TEST(watches)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    char tok[16];
    int i, err = 0;

    for (i = 0; i < 300 && !err; i++) {
        snprintf(tok, sizeof(tok), "t%d", i);
        err = th_watch(u, "/local/domain/5", tok);
        th_drain(u);
    }
    ck_assert_int_eq(err, E2BIG);
    /* xenstored 4.17 compares before adding, with '>': 129 fit. */
    ck_assert_int_eq(i - 1, 129);
    th_drain(u);
    for (i = 0; i < 300; i++) {
        snprintf(tok, sizeof(tok), "t%d", i);
        ck_assert_int_eq(th_watch(t, "/", tok), 0);
        th_drain(t);
    }
}
END_TEST

START_TEST(transactions)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    uint32_t tx;
    int i, err = 0;

    for (i = 0; i < 50 && !err; i++)
        err = th_txstart(u, &tx);
    ck_assert_int_eq(err, ENOSPC);
    ck_assert_int_eq(i - 1, 11);
    for (i = 0; i < 50; i++)
        ck_assert_int_eq(th_txstart(t, &tx), 0);
}
END_TEST

START_TEST(permissions_per_node)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);

    ck_assert_int_eq(th_write(u, 0, "p", ""), 0);
    ck_assert_int_eq(th_setperms(u, 0, "p", "n5,r1,r2,r3,r4"), 0);
    ck_assert_int_eq(th_setperms(u, 0, "p", "n5,r1,r2,r3,r4,r6"), ENOSPC);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5/p", "n5,r1,r2,r3,r4,r6,r7"), 0);
}
END_TEST

START_TEST(transaction_nodes)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    uint32_t tx;
    char path[64], buf[64];
    int i, err = 0;

    th_d->q.val[QUOTA_TRANS_NODES] = 10;
    ck_assert_int_eq(th_txstart(u, &tx), 0);
    for (i = 0; i < 20 && !err; i++) {
        snprintf(path, sizeof(path), "r%d", i);
        err = th_read(u, tx, path, buf);
        if (err == ENOENT)
            err = 0;
    }
    ck_assert_int_eq(err, ENOSPC);
}
END_TEST

START_TEST(outstanding_replies_stop_reading)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    struct xsd_sockmsg h = { .type = XS_READ, .len = 16 };
    char req[16 + sizeof(h)];
    unsigned accepted = 0;

    memcpy(req, &h, sizeof(h));
    memcpy(req + sizeof(h), "/local/domain/5", 16);
    /* The client never reads its replies: after 20 we stop reading. */
    for (int i = 0; i < 100; i++) {
        size_t n = conn_input(u->c, req, sizeof(h));

        if (!n)
            break;
        ck_assert_uint_eq(conn_input(u->c, req + sizeof(h), 16), 16);
        accepted++;
    }
    ck_assert_uint_eq(accepted, 20);
    ck_assert(!conn_can_read(u->c));
    conn_out_advance(u->c, u->c->out_head->len);
    ck_assert(conn_can_read(u->c));
}
END_TEST

START_TEST(memory)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    char path[64], val[512];
    uint32_t tx;
    int i, err = 0;

    /* Nodes, watches and transaction copies count; a change that would
     * pass the limit is refused with ENOMEM and changes nothing. */
    th_d->q.val[QUOTA_MEMORY] = 8192;
    memset(val, 'm', sizeof(val) - 1);
    val[sizeof(val) - 1] = 0;
    for (i = 0; i < 100 && !err; i++) {
        snprintf(path, sizeof(path), "m%d", i);
        err = th_write(u, 0, path, val);
    }
    ck_assert_int_eq(err, ENOMEM);
    ck_assert_int_gt(i, 10);
    ck_assert_uint_le(conn_mem_usage(u->c), 8192);
    ck_assert_int_eq(th_read(t, 0, path, val), ENOENT);
    ck_assert_int_eq(th_watch(u, "/local/domain/5/m0", "a-long-token-that-costs-memory"), 0);
    th_drain(u);
    /* dom0 is exempt, also in the guest's directory. */
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/by0", "x"), 0);
    /* Freeing memory makes room again. */
    ck_assert_int_eq(th_rm(u, 0, "m0"), 0);
    ck_assert_int_eq(th_write(u, 0, "again", "x"), 0);
    /* In a transaction the copies count too: over the limit fails it. */
    ck_assert_int_eq(th_txstart(u, &tx), 0);
    for (i = 1, err = 0; i < 100 && !err; i++) {
        snprintf(path, sizeof(path), "m%d", i);
        err = th_write(u, tx, path, "y");
    }
    ck_assert_int_eq(err, ENOMEM);
    ck_assert_int_eq(th_txend(u, tx, true), ENOMEM);
    ck_assert_int_eq(th_read(u, 0, "m1", val), 0);
    ck_assert_uint_eq(strlen(val), 511);
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(memory_soft_warns)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    char *text = NULL;
    size_t len = 0;
    static char val[1500];

    th_d->log = open_memstream(&text, &len);
    th_d->q.memory_soft = 1000;
    memset(val, 'w', 1000);
    ck_assert_int_eq(th_write(u, 0, "big", val), 0);
    ck_assert_int_eq(th_write(u, 0, "small", "x"), 0);
    ck_assert_int_eq(th_rm(u, 0, "big"), 0);
    fclose(th_d->log);
    th_d->log = NULL;
    ck_assert_ptr_nonnull(strstr(text, "Domain 5 exceeds soft memory quota\n"));
    ck_assert_ptr_nonnull(strstr(text, "Domain 5 below soft memory quota again\n"));
    /* Once per crossing, not per request. */
    ck_assert_ptr_null(strstr(strstr(text, "exceeds") + 1, "exceeds"));
    free(text);
}
END_TEST

/* A guest that crosses the soft limit back and forth with every request
 * must not get a log line for each: that would fill the disk at the
 * request rate. The crossings share the refusals' limit (20 lines a
 * second, the rest counted). */
START_TEST(memory_soft_crossings_rate_limited)
{
    struct tc *t = th_conn(0, true), *u = guest5(t);
    char *text = NULL, *p;
    size_t len = 0;
    unsigned lines = 0;
    static char val[1500];

    th_d->log = open_memstream(&text, &len);
    th_d->q.memory_soft = 1000;
    memset(val, 'w', 1000);
    for (int i = 0; i < 200; i++) {
        ck_assert_int_eq(th_write(u, 0, "big", val), 0);
        ck_assert_int_eq(th_rm(u, 0, "big"), 0);
    }
    fclose(th_d->log);
    th_d->log = NULL;
    for (p = text; (p = strstr(p, "soft memory quota")); p++)
        lines++;
    /* 400 crossings; a second boundary during the loop may allow 20 more. */
    ck_assert_uint_ge(lines, 1);
    ck_assert_uint_le(lines, 40);
    free(text);
}
END_TEST

/* xenstored 4.17 keeps a guest's request outstanding until the watch
 * events it caused have been sent, not just its reply: a guest whose
 * changes fire watches nobody reads is held at quota "outstanding" (20)
 * instead of flooding other connections' queues (where events beyond the
 * byte budget would be dropped, so a guest could make dom0's tools miss
 * events). Unread events of guests time out, which releases the writer;
 * a privileged writer is never held. */
START_TEST(unread_events_hold_the_writer)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true), *u = guest5(t), *g6;
    char path[64];

    th_d->fake_now_ms = 1000;
    ck_assert_int_eq(th_watch(w, "/local/domain/5", "tok"), 0);
    for (int i = 0; i < 20; i++) {
        ck_assert(conn_can_read(u->c));
        snprintf(path, sizeof(path), "n%d", i);
        ck_assert_int_eq(th_write(u, 0, path, "x"), 0);
    }
    /* 20 requests whose events wait in w's queue: no more. */
    ck_assert(!conn_can_read(u->c));
    /* The initial event of a new watch is nobody's request. */
    th_drain(w);
    ck_assert(conn_can_read(u->c));
    ck_assert_int_eq(th_watch(w, "/local/domain/5/n0", "tok2"), 0);
    ck_assert(conn_can_read(u->c));
    th_drain(w);

    /* dom0 is never held. */
    for (int i = 0; i < 30; i++) {
        snprintf(path, sizeof(path), "/local/domain/5/p%d", i);
        ck_assert_int_eq(th_write(t, 0, path, "x"), 0);
    }
    ck_assert(conn_can_read(t->c));
    th_drain(w);

    /* A guest watcher that does not read holds the writer only until its
     * events time out (xenstored's 20 s), checked by the daemon's timer. */
    ck_assert_int_eq(th_watch(w, "/", "x"), 0);
    ck_assert_int_eq(th_unwatch(w, "/local/domain/5", "tok"), 0);
    ck_assert_int_eq(th_unwatch(w, "/local/domain/5/n0", "tok2"), 0);
    ck_assert_int_eq(th_unwatch(w, "/", "x"), 0);
    th_drain(w);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5", "n5,r6"), 0);
    g6 = th_conn(6, false);
    ck_assert_int_eq(th_watch(g6, "/local/domain/5", "six"), 0);
    for (int i = 0; i < 20; i++) {
        snprintf(path, sizeof(path), "m%d", i);
        ck_assert_int_eq(th_write(u, 0, path, "x"), 0);
    }
    ck_assert(!conn_can_read(u->c));
    th_d->fake_now_ms += 19000;
    daemon_tick(th_d);
    ck_assert(!conn_can_read(u->c));
    th_d->fake_now_ms += 2000;
    daemon_tick(th_d);
    ck_assert(conn_can_read(u->c));
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-quota");
    TCase *tc = tcase_create("quota");

    tcase_add_checked_fixture(tc, th_setup, th_teardown);
    tcase_add_test(tc, defaults_are_xen_417);
    tcase_add_test(tc, nodes);
    tcase_add_test(tc, nodes_in_transaction);
    tcase_add_test(tc, node_size);
    tcase_add_test(tc, watches);
    tcase_add_test(tc, transactions);
    tcase_add_test(tc, permissions_per_node);
    tcase_add_test(tc, transaction_nodes);
    tcase_add_test(tc, outstanding_replies_stop_reading);
    tcase_add_test(tc, memory);
    tcase_add_test(tc, memory_soft_warns);
    tcase_add_test(tc, memory_soft_crossings_rate_limited);
    tcase_add_test(tc, unread_events_hold_the_writer);
    suite_add_tcase(s, tc);
    return s;
}
