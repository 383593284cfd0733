/* Unit tests: the node tree, paths and the wire protocol's error cases. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "test_main.h"

START_TEST(initial_tree)
{
    struct tc *t = th_conn(0, true);
    char buf[4200];
    uint32_t len;

    ck_assert_int_eq(th_dir(t, 0, "/", buf, &len), 0);
    ck_assert_uint_eq(len, 5);
    ck_assert_mem_eq(buf, "tool\0", 5);
    ck_assert_int_eq(th_read(t, 0, "/tool/xenstored", buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(th_getperms(t, 0, "/", buf), 0);
    ck_assert_str_eq(buf, "n0");
    ck_assert_int_eq(th_getperms(t, 0, "@introduceDomain", buf), 0);
    ck_assert_str_eq(buf, "n0");
}
END_TEST

START_TEST(write_read_implicit_parents)
{
    struct tc *t = th_conn(0, true);
    char buf[4200];
    uint32_t len;

    ck_assert_int_eq(th_write(t, 0, "/a/b/c", "hello"), 0);
    ck_assert_int_eq(th_read(t, 0, "/a/b/c", buf), 0);
    ck_assert_str_eq(buf, "hello");
    /* Parents exist, empty. */
    ck_assert_int_eq(th_read(t, 0, "/a/b", buf), 0);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(th_write(t, 0, "/a/x", "1"), 0);
    ck_assert_int_eq(th_write(t, 0, "/a/b/c", "again"), 0);
    ck_assert_int_eq(th_dir(t, 0, "/a", buf, &len), 0);
    /* Creation order, NUL-separated. */
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(buf, "b\0x\0", 4);
    ck_assert_int_eq(th_read(t, 0, "/a/b/c", buf), 0);
    ck_assert_str_eq(buf, "again");
    ck_assert_int_eq(th_read(t, 0, "/a/nope", buf), ENOENT);
    ck_assert_int_eq(th_read(t, 0, "/zz/nope", buf), ENOENT);
}
END_TEST

START_TEST(binary_data)
{
    struct tc *t = th_conn(0, true);
    const char req[] = "/bin\0a\0b\0\0";
    char buf[64];
    uint32_t len;

    ck_assert_uint_eq(th_req(t, XS_WRITE, 0, req, sizeof(req) - 1, buf, NULL), XS_WRITE);
    ck_assert_uint_eq(th_req(t, XS_READ, 0, "/bin", 5, buf, &len), XS_READ);
    ck_assert_uint_eq(len, 5);
    ck_assert_mem_eq(buf, "a\0b\0\0", 5);
}
END_TEST

START_TEST(mkdir_rm)
{
    struct tc *t = th_conn(0, true);
    char buf[4200];
    uint32_t len;

    ck_assert_int_eq(th_mkdir(t, 0, "/d/e"), 0);
    ck_assert_int_eq(th_write(t, 0, "/d/e", "v"), 0);
    /* mkdir of an existing node changes nothing. */
    ck_assert_int_eq(th_mkdir(t, 0, "/d/e"), 0);
    ck_assert_int_eq(th_read(t, 0, "/d/e", buf), 0);
    ck_assert_str_eq(buf, "v");
    ck_assert_int_eq(th_write(t, 0, "/d/e/f/g", "deep"), 0);
    ck_assert_int_eq(th_rm(t, 0, "/d/e"), 0);
    ck_assert_int_eq(th_read(t, 0, "/d/e/f/g", buf), ENOENT);
    ck_assert_int_eq(th_read(t, 0, "/d/e", buf), ENOENT);
    ck_assert_int_eq(th_dir(t, 0, "/d", buf, &len), 0);
    ck_assert_uint_eq(len, 0);
    /* Removing what is gone is fine if the parent exists... */
    ck_assert_int_eq(th_rm(t, 0, "/d/e"), 0);
    /* ...not otherwise. */
    ck_assert_int_eq(th_rm(t, 0, "/nothere/e"), ENOENT);
    ck_assert_int_eq(th_rm(t, 0, "/"), EINVAL);
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(path_validation)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(3, false);
    char buf[4200], path[4100];

    ck_assert_int_eq(th_write(t, 0, "//a", "x"), EINVAL);
    ck_assert_int_eq(th_write(t, 0, "/a/", "x"), EINVAL);
    ck_assert_int_eq(th_write(t, 0, "/a b", "x"), EINVAL);
    ck_assert_int_eq(th_write(t, 0, "/a.b", "x"), EINVAL);
    ck_assert_int_eq(th_write(t, 0, "", "x"), EINVAL);
    ck_assert_int_eq(th_read(t, 0, "@introduceDomain", buf), EINVAL);
    ck_assert_int_eq(th_write(t, 0, "/ok-_@/A9", "x"), 0);
    /* Relative paths live below the connection's home. */
    ck_assert_int_eq(th_write(t, 0, "rel/x", "y"), 0);
    ck_assert_int_eq(th_read(t, 0, "/local/domain/0/rel/x", buf), 0);
    ck_assert_str_eq(buf, "y");
    ck_assert_int_eq(th_mkdir(t, 0, "/local/domain/3"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/3", "b3"), 0);
    ck_assert_int_eq(th_write(u, 0, "mine", "1"), 0);
    ck_assert_int_eq(th_read(t, 0, "/local/domain/3/mine", buf), 0);
    /* Below a home directory, 2048 characters are allowed... */
    memset(path, 0, sizeof(path));
    strcpy(path, "/local/domain/3/");
    memset(path + 16, 'a', 2048);
    ck_assert_int_eq(th_write(t, 0, path, "z"), 0);
    /* ...not 2049. */
    path[16 + 2048] = 'a';
    ck_assert_int_eq(th_write(t, 0, path, "z"), EINVAL);
    /* Elsewhere the whole path counts. */
    memset(path, 0, sizeof(path));
    path[0] = '/';
    memset(path + 1, 'b', 2048);
    ck_assert_int_eq(th_write(t, 0, path, "z"), EINVAL);
}
END_TEST

START_TEST(wire_errors)
{
    struct tc *t = th_conn(0, true);
    char buf[4200];

    ck_assert_uint_eq(th_req(t, 20, 0, "x", 2, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "ENOSYS");
    ck_assert_uint_eq(th_req(t, 999, 0, "", 0, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "ENOSYS");
    ck_assert_uint_eq(th_req(t, XS_WATCH_EVENT, 0, "a\0b", 4, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "ENOSYS");
    /* READ wants exactly one string. */
    ck_assert_uint_eq(th_req(t, XS_READ, 0, "/a\0/b", 6, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_uint_eq(th_req(t, XS_READ, 0, "/tool", 5, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_uint_eq(th_req(t, XS_READ, 0, "", 0, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    /* WRITE without a NUL after the path. */
    ck_assert_uint_eq(th_req(t, XS_WRITE, 0, "/abc", 4, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    /* Unknown transaction. */
    ck_assert_uint_eq(th_req(t, XS_READ, 42, "/tool", 6, buf, NULL), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    /* The reply echoes the request's header fields (checked in harness:
     * req_id 77). The connection still works after all that. */
    ck_assert_int_eq(th_read(t, 0, "/tool/xenstored", buf), 0);
    ck_assert(!t->c->closing);
}
END_TEST

START_TEST(oversized_payload_closes)
{
    struct tc *t = th_conn(0, true);
    struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };

    ck_assert_uint_eq(conn_input(t->c, (const char *)&h, sizeof(h)), sizeof(h));
    ck_assert(t->c->closing);
    ck_assert_uint_eq(conn_want(t->c), 0);
    ck_assert_uint_eq(th_d->stats.refused, 1);
}
END_TEST

START_TEST(directory_part)
{
    struct tc *t = th_conn(0, true);
    char buf[4200], name[64], all[20000];
    size_t alllen = 0, got = 0;
    uint32_t len, off = 0;

    for (int i = 0; i < 300; i++) {
        int n = snprintf(name, sizeof(name), "/big/child-number-%04d", i);

        ck_assert_int_eq(th_write(t, 0, name, ""), 0);
        memcpy(all + alllen, name + 5, (size_t)n - 5 + 1);
        alllen += (size_t)n - 5 + 1;
    }
    /* Over 4096 bytes: E2BIG, as xenstored. */
    ck_assert_int_eq(th_dir(t, 0, "/big", buf, &len), E2BIG);
    /* DIRECTORY_PART pages through, generation first. */
    for (;;) {
        char offs[16], *p;
        uint32_t r;

        snprintf(offs, sizeof(offs), "%u", off);
        r = th_reqs(t, XS_DIRECTORY_PART, 0, buf, 2, "/big", offs);
        ck_assert_uint_eq(r, XS_DIRECTORY_PART);
        p = buf + strlen(buf) + 1;
        if (!*p)
            break;
        while (*p) {
            size_t l = strlen(p) + 1;

            ck_assert_mem_eq(all + got, p, l);
            got += l;
            off += (uint32_t)l;
            p += l;
        }
    }
    ck_assert_uint_eq(got, alllen);
    ck_assert_uint_eq(th_reqs(t, XS_DIRECTORY_PART, 0, buf, 1, "/big"), XS_ERROR);
}
END_TEST

START_TEST(domain_queries)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(4, false);
    char buf[256];

    ck_assert_uint_eq(th_reqs(t, XS_GET_DOMAIN_PATH, 0, buf, 1, "7"), XS_GET_DOMAIN_PATH);
    ck_assert_str_eq(buf, "/local/domain/7");
    ck_assert_uint_eq(th_reqs(t, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "0"), XS_IS_DOMAIN_INTRODUCED);
    ck_assert_str_eq(buf, "T");
    ck_assert_uint_eq(th_reqs(t, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "9"), XS_IS_DOMAIN_INTRODUCED);
    ck_assert_str_eq(buf, "F");
    ck_assert_uint_eq(th_reqs(t, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "32752"), XS_IS_DOMAIN_INTRODUCED);
    ck_assert_str_eq(buf, "T");
    /* Privileged operations refused to guests. */
    ck_assert_uint_eq(th_reqs(u, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "0"), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
    ck_assert_uint_eq(th_reqs(u, XS_CONTROL, 0, buf, 1, "check"), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
    ck_assert_uint_eq(th_reqs(u, XS_INTRODUCE, 0, buf, 3, "5", "0", "1"), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
    /* No ring backend in this daemon: INTRODUCE cannot map a ring. */
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "1"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "0"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "0"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
}
END_TEST

START_TEST(control_commands)
{
    struct tc *t = th_conn(0, true);
    char buf[4200];

    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 1, "check"), XS_CONTROL);
    ck_assert_str_eq(buf, "OK");
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 2, "check", "x"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    /* Xen 4.17's listing, names and order. */
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 1, "quota"), XS_CONTROL);
    ck_assert_str_eq(buf,
        "Quota settings:\n"
        "nodes            :     1000 Nodes per domain\n"
        "watches          :      128 Watches per domain\n"
        "transactions     :       10 Transactions per domain\n"
        "outstanding      :       20 Outstanding requests per domain\n"
        "transaction-nodes:     1024 Max. number of accessed nodes per transaction\n"
        "memory           :  2621440 Total Xenstore memory per domain (error level)\n"
        "node-size        :     2048 Max. size of a node\n"
        "path-max         :     2048 Max. length of a node path\n"
        "permissions      :        5 Max. number of permissions per node\n");
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 4, "quota", "set", "nodes", "7"), XS_CONTROL);
    ck_assert_uint_eq(th_d->q.val[QUOTA_NODES], 7);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 4, "quota", "set", "nodes", "0"), XS_ERROR);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 4, "quota", "set", "bogus", "3"), XS_ERROR);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 3, "quota", "nodes", "7"), XS_ERROR);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 2, "quota", "0"), XS_CONTROL);
    ck_assert_str_eq(buf, "Domain 0:\nnodes           :        5\nwatches         :        0\n"
                          "transactions    :        0\noutstanding     :        0\n"
                          "memory          :      226\n");
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 2, "quota", "9"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 1, "quota-soft"), XS_CONTROL);
    ck_assert_str_eq(buf, "Quota settings:\n"
        "memory           :  2097152 Total Xenstore memory per domain (warning level)\n");
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 4, "quota-soft", "set", "memory", "99"),
                      XS_CONTROL);
    ck_assert_uint_eq(th_d->q.memory_soft, 99);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 4, "quota-soft", "set", "nodes", "9"),
                      XS_ERROR);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 1, "help"), XS_CONTROL);
    ck_assert_ptr_nonnull(strstr(buf, "quota\t[set <name> <val>|<domid>]\n"));
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 1, "no-such"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 2, "log", "on"), XS_CONTROL);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 2, "log", "maybe"), XS_ERROR);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 2, "print", "hello"), XS_CONTROL);
    ck_assert_uint_eq(th_reqs(t, XS_CONTROL, 0, buf, 1, ""), XS_ERROR);
}
END_TEST

START_TEST(check_repairs)
{
    struct tc *t = th_conn(0, true);
    struct node *n, *orphan;
    struct xs_perm p = { 0, PERM_NONE };
    char buf[64];
    uint32_t len;

    ck_assert_int_eq(th_write(t, 0, "/r/a", "1"), 0);
    ck_assert_int_eq(th_write(t, 0, "/r/b", "2"), 0);
    /* Lose /r/a behind the tree's back, and add a node no path reaches. */
    n = store_lookup(&th_d->st, "/r/a", 4);
    store_remove(&th_d->st, n);
    node_free(n);
    orphan = node_alloc("/ghost/x", 8);
    node_set_perms(orphan, &p, 1);
    store_insert(&th_d->st, orphan);
    th_d->st.owned[0] += 5;     /* and a wrong count */
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 3);
    ck_assert_int_eq(th_dir(t, 0, "/r", buf, &len), 0);
    ck_assert_uint_eq(len, 2);
    ck_assert_mem_eq(buf, "b\0", 2);
    ck_assert_ptr_null(store_lookup(&th_d->st, "/ghost/x", 8));
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-tree");
    TCase *tc = tcase_create("tree");

    tcase_add_checked_fixture(tc, th_setup, th_teardown);
    tcase_add_test(tc, initial_tree);
    tcase_add_test(tc, write_read_implicit_parents);
    tcase_add_test(tc, binary_data);
    tcase_add_test(tc, mkdir_rm);
    tcase_add_test(tc, path_validation);
    tcase_add_test(tc, wire_errors);
    tcase_add_test(tc, oversized_payload_closes);
    tcase_add_test(tc, directory_part);
    tcase_add_test(tc, domain_queries);
    tcase_add_test(tc, control_commands);
    tcase_add_test(tc, check_repairs);
    suite_add_tcase(s, tc);
    return s;
}
