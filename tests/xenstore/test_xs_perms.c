/* Unit tests: node permissions, as Xen 4.17's xenstored applies them. */
#include <string.h>

#include "harness.h"
#include "test_main.h"

START_TEST(perm_for_rules)
{
    struct xs_perm p[] = { { 5, PERM_READ }, { 6, PERM_WRITE }, { 7, PERM_NONE },
                           { 8, PERM_READ | PERM_IGNORE } };
    struct xs_who dom0 = { .domid = 0, .privileged = true };
    struct xs_who owner = { .domid = 5 };
    struct xs_who six = { .domid = 6 }, seven = { .domid = 7 }, eight = { .domid = 8 };
    struct xs_who other = { .domid = 9 };
    struct xs_who stub = { .domid = 10, .has_target = true, .target = 5 };
    const unsigned all = PERM_READ | PERM_WRITE | PERM_OWNER;

    ck_assert_uint_eq(perm_for(&dom0, p, 4), all);
    ck_assert_uint_eq(perm_for(&owner, p, 4), all);
    ck_assert_uint_eq(perm_for(&six, p, 4), PERM_WRITE);
    ck_assert_uint_eq(perm_for(&seven, p, 4), PERM_NONE);
    /* An ignored entry does not match: the default applies. */
    ck_assert_uint_eq(perm_for(&eight, p, 4), PERM_READ);
    ck_assert_uint_eq(perm_for(&other, p, 4), PERM_READ);
    /* A domain acting for its target gets the target's rights. */
    ck_assert_uint_eq(perm_for(&stub, p, 4), all);
}
END_TEST

START_TEST(perm_strings)
{
    struct xs_perm p[3];
    char buf[16];

    ck_assert_int_eq(perms_parse("n0\0r5\0b4294967295", 3, p), 0);
    ck_assert_uint_eq(p[0].perms, PERM_NONE);
    ck_assert_uint_eq(p[1].id, 5);
    ck_assert_uint_eq(p[1].perms, PERM_READ);
    ck_assert_uint_eq(p[2].perms, PERM_READ | PERM_WRITE);
    ck_assert_uint_eq(p[2].id, 4294967295u);
    ck_assert_int_eq(perms_parse("x5", 1, p), EINVAL);
    ck_assert_int_eq(perms_parse("r", 1, p), EINVAL);
    ck_assert_int_eq(perms_parse("r5x", 1, p), EINVAL);
    ck_assert_int_eq(perms_parse("r-1", 1, p), EINVAL);
    ck_assert_int_eq(perms_parse("r4294967296", 1, p), EINVAL);
    p[0] = (struct xs_perm){ 12, PERM_WRITE };
    ck_assert_uint_eq(perm_format(&p[0], buf, sizeof(buf)), 3);
    ck_assert_str_eq(buf, "w12");
}
END_TEST

START_TEST(read_write_access)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(5, false);
    struct tc *v = th_conn(6, false);
    char buf[256];

    ck_assert_int_eq(th_write(t, 0, "/p/secret", "s"), 0);
    ck_assert_int_eq(th_read(u, 0, "/p/secret", buf), EACCES);
    ck_assert_int_eq(th_setperms(t, 0, "/p/secret", "n0,r5"), 0);
    ck_assert_int_eq(th_read(u, 0, "/p/secret", buf), 0);
    ck_assert_str_eq(buf, "s");
    ck_assert_int_eq(th_write(u, 0, "/p/secret", "x"), EACCES);
    ck_assert_int_eq(th_read(v, 0, "/p/secret", buf), EACCES);
    /* Default access for everyone not listed. */
    ck_assert_int_eq(th_setperms(t, 0, "/p/secret", "b0"), 0);
    ck_assert_int_eq(th_write(v, 0, "/p/secret", "from6"), 0);
    ck_assert_int_eq(th_read(t, 0, "/p/secret", buf), 0);
    ck_assert_str_eq(buf, "from6");
}
END_TEST

START_TEST(existence_not_leaked)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(5, false);
    char buf[256];

    ck_assert_int_eq(th_mkdir(t, 0, "/hidden"), 0);
    ck_assert_int_eq(th_mkdir(t, 0, "/visible"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/visible", "n0,r5"), 0);
    /* The nearest existing ancestor decides between ENOENT and EACCES. */
    ck_assert_int_eq(th_read(u, 0, "/hidden/missing", buf), EACCES);
    ck_assert_int_eq(th_read(u, 0, "/hidden/a/b/c", buf), EACCES);
    ck_assert_int_eq(th_read(u, 0, "/visible/missing", buf), ENOENT);
    ck_assert_int_eq(th_read(u, 0, "/visible/a/b", buf), ENOENT);
    /* For writes, the ancestor must be writable to learn ENOENT; a
     * read-only ancestor means EACCES and no node is created. */
    ck_assert_int_eq(th_write(u, 0, "/visible/new", "x"), EACCES);
    ck_assert_int_eq(th_read(t, 0, "/visible/new", buf), ENOENT);
    ck_assert_int_eq(th_rm(u, 0, "/visible/new"), EACCES);
}
END_TEST

START_TEST(create_inherits_and_owns)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(5, false);
    char buf[256];

    ck_assert_int_eq(th_mkdir(t, 0, "/w"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/w", "n0,b5,r7"), 0);
    ck_assert_int_eq(th_write(u, 0, "/w/new/deep", "x"), 0);
    /* Inherited from the parent, owned by the creator. */
    ck_assert_int_eq(th_getperms(t, 0, "/w/new", buf), 0);
    ck_assert_str_eq(buf, "n5,b5,r7");
    ck_assert_int_eq(th_getperms(t, 0, "/w/new/deep", buf), 0);
    ck_assert_str_eq(buf, "n5,b5,r7");
    /* dom0's creations keep the parent's owner. */
    ck_assert_int_eq(th_write(t, 0, "/w/bydom0", "y"), 0);
    ck_assert_int_eq(th_getperms(t, 0, "/w/bydom0", buf), 0);
    ck_assert_str_eq(buf, "n0,b5,r7");
    ck_assert_uint_eq(th_d->st.owned[5], 2);
}
END_TEST

START_TEST(set_perms_rules)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(5, false);
    char buf[256];

    ck_assert_int_eq(th_mkdir(t, 0, "/w"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/w", "n0,b5"), 0);
    /* Write access is not ownership. */
    ck_assert_int_eq(th_setperms(u, 0, "/w", "n0,b5,b6"), EACCES);
    ck_assert_int_eq(th_write(u, 0, "/w/mine", "x"), 0);
    ck_assert_int_eq(th_setperms(u, 0, "/w/mine", "n5,r6"), 0);
    ck_assert_int_eq(th_getperms(u, 0, "/w/mine", buf), 0);
    ck_assert_str_eq(buf, "n5,r6");
    /* Guests may not give nodes away; dom0 may. */
    ck_assert_int_eq(th_setperms(u, 0, "/w/mine", "n6"), EPERM);
    ck_assert_int_eq(th_setperms(t, 0, "/w/mine", "n6"), 0);
    ck_assert_uint_eq(th_d->st.owned[5], 0);
    ck_assert_uint_eq(th_d->st.owned[6], 1);
    /* Malformed or impossible permissions. */
    ck_assert_int_eq(th_setperms(t, 0, "/w/mine", "q6"), EINVAL);
    ck_assert_uint_eq(th_reqs(t, XS_SET_PERMS, 0, buf, 1, "/w/mine"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_int_eq(th_setperms(t, 0, "/w/mine", "n32752"), ENOENT);
    ck_assert_int_eq(th_setperms(t, 0, "/w/none", "n0"), ENOENT);
    /* Special nodes carry permissions too. */
    ck_assert_int_eq(th_setperms(t, 0, "@releaseDomain", "n0,r5"), 0);
    ck_assert_int_eq(th_getperms(u, 0, "@releaseDomain", buf), 0);
    ck_assert_str_eq(buf, "n0,r5");
}
END_TEST

START_TEST(relative_paths_per_domain)
{
    struct tc *t = th_conn(0, true);
    struct tc *u = th_conn(5, false);
    char buf[256];

    ck_assert_int_eq(th_mkdir(t, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5", "n5"), 0);
    ck_assert_int_eq(th_write(u, 0, "device/vif/0/state", "1"), 0);
    ck_assert_int_eq(th_read(t, 0, "/local/domain/5/device/vif/0/state", buf), 0);
    ck_assert_str_eq(buf, "1");
    ck_assert_int_eq(th_read(u, 0, "/local/domain/0", buf), EACCES);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-perms");
    TCase *tc = tcase_create("perms");

    tcase_add_checked_fixture(tc, th_setup, th_teardown);
    tcase_add_test(tc, perm_for_rules);
    tcase_add_test(tc, perm_strings);
    tcase_add_test(tc, read_write_access);
    tcase_add_test(tc, existence_not_leaked);
    tcase_add_test(tc, create_inherits_and_owns);
    tcase_add_test(tc, set_perms_rules);
    tcase_add_test(tc, relative_paths_per_domain);
    suite_add_tcase(s, tc);
    return s;
}
