/* Unit tests: watches (prefix semantics, tokens, relative paths,
 * deletions, permissions, special paths). */
#include <string.h>

#include "harness.h"
#include "test_main.h"

START_TEST(initial_event_and_prefix)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    char path[128], tok[64];

    ck_assert_int_eq(th_watch(w, "/w", "tok1"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/w");
    ck_assert_str_eq(tok, "tok1");
    ck_assert(!th_event(w, path, tok));
    ck_assert_int_eq(th_write(t, 0, "/w", ""), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/w");
    ck_assert_int_eq(th_write(t, 0, "/w/a/b", "x"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/w/a/b");
    /* Not a prefix at a path boundary: no event. */
    ck_assert_int_eq(th_write(t, 0, "/wx", "x"), 0);
    ck_assert_int_eq(th_write(t, 0, "/other", "x"), 0);
    ck_assert(!th_event(w, path, tok));
}
END_TEST

START_TEST(root_watch_and_duplicates)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    char path[128], tok[64];

    ck_assert_int_eq(th_watch(w, "/", "all"), 0);
    ck_assert_int_eq(th_watch(w, "/", "all"), EEXIST);
    ck_assert_int_eq(th_watch(w, "/", "second"), 0);
    th_drain(w);
    ck_assert_int_eq(th_write(t, 0, "/x/y", "1"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/x/y");
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/x/y");
    ck_assert(!th_event(w, path, tok));
    ck_assert_int_eq(th_unwatch(w, "/", "all"), 0);
    ck_assert_int_eq(th_unwatch(w, "/", "all"), ENOENT);
    ck_assert_int_eq(th_unwatch(w, "/bad//path", "all"), ENOENT);
    ck_assert_int_eq(th_write(t, 0, "/x/y", "2"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(tok, "second");
    ck_assert(!th_event(w, path, tok));
    /* Bad arguments. */
    ck_assert_uint_eq(th_reqs(w, XS_WATCH, 0, path, 1, "/x"), XS_ERROR);
    ck_assert_str_eq(path, "EINVAL");
    ck_assert_int_eq(th_watch(w, "/x/", "t"), EINVAL);
}
END_TEST

START_TEST(relative_watch_reports_relative_paths)
{
    struct tc *t = th_conn(0, true), *u = th_conn(5, false);
    char path[128], tok[64];

    ck_assert_int_eq(th_mkdir(t, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5", "n5"), 0);
    ck_assert_int_eq(th_watch(u, "device", "d"), 0);
    ck_assert(th_event(u, path, tok));
    ck_assert_str_eq(path, "device");
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/device/vbd/1", "x"), 0);
    ck_assert(th_event(u, path, tok));
    ck_assert_str_eq(path, "device/vbd/1");
    ck_assert_int_eq(th_watch(u, "/local/domain/5/device", "abs"), 0);
    th_drain(u);
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/device/q", "x"), 0);
    ck_assert(th_event(u, path, tok));
    ck_assert(th_event(u, path, tok));
    /* Both watches fire: one relative, one absolute. */
    ck_assert(!th_event(u, path, tok));
}
END_TEST

START_TEST(rm_fires_for_subtree)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    char path[128], tok[64];

    ck_assert_int_eq(th_write(t, 0, "/r/a/b/c", "1"), 0);
    ck_assert_int_eq(th_watch(w, "/r", "top"), 0);
    ck_assert_int_eq(th_watch(w, "/r/a/b/c", "leaf"), 0);
    th_drain(w);
    ck_assert_int_eq(th_rm(t, 0, "/r/a"), 0);
    /* The leaf's own watch sees its deletion; the watch above sees only
     * the top of the deleted subtree. */
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/r/a/b/c");
    ck_assert_str_eq(tok, "leaf");
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/r/a");
    ck_assert_str_eq(tok, "top");
    ck_assert(!th_event(w, path, tok));
}
END_TEST

START_TEST(permissions_filter_events)
{
    struct tc *t = th_conn(0, true), *u = th_conn(5, false);
    char path[128], tok[64];

    ck_assert_int_eq(th_mkdir(t, 0, "/s"), 0);
    ck_assert_int_eq(th_watch(u, "/s", "s"), 0);
    th_drain(u);
    /* Neither node nor parent readable: nothing. */
    ck_assert_int_eq(th_write(t, 0, "/s/secret", "x"), 0);
    ck_assert(!th_event(u, path, tok));
    ck_assert_int_eq(th_write(t, 0, "/s/open", "x"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/s/open", "n0,r5"), 0);
    ck_assert(th_event(u, path, tok));
    ck_assert_str_eq(path, "/s/open");
    /* Losing access: the change that takes it away is still seen. */
    ck_assert_int_eq(th_setperms(t, 0, "/s/open", "n0"), 0);
    ck_assert(th_event(u, path, tok));
    ck_assert_str_eq(path, "/s/open");
    ck_assert_int_eq(th_write(t, 0, "/s/open", "y"), 0);
    ck_assert(!th_event(u, path, tok));
    /* A readable parent makes children's events visible. */
    ck_assert_int_eq(th_setperms(t, 0, "/s", "n0,r5"), 0);
    th_drain(u);
    ck_assert_int_eq(th_write(t, 0, "/s/secret", "z"), 0);
    ck_assert(th_event(u, path, tok));
    ck_assert_str_eq(path, "/s/secret");
}
END_TEST

START_TEST(special_paths)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    char path[128], tok[64];

    ck_assert_int_eq(th_watch(w, "@introduceDomain", "i"), 0);
    ck_assert_int_eq(th_watch(w, "@releaseDomain", "r"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "@introduceDomain");
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "@releaseDomain");
    /* Ordinary changes do not touch them. */
    ck_assert_int_eq(th_write(t, 0, "/local/domain/1", "x"), 0);
    ck_assert_int_eq(th_rm(t, 0, "/local"), 0);
    ck_assert(!th_event(w, path, tok));
    watch_fire(th_d, "@releaseDomain", 14, false, NULL, 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "@releaseDomain");
    ck_assert_str_eq(tok, "r");
    /* Changing their permissions is not an event. */
    ck_assert_int_eq(th_setperms(t, 0, "@releaseDomain", "n0,r3"), 0);
    ck_assert(!th_event(w, path, tok));
    /* Special names cannot be read as nodes. */
    ck_assert_int_eq(th_read(t, 0, "@releaseDomain", path), EINVAL);
}
END_TEST

START_TEST(duplicate_pending_events_dropped)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    char path[128], tok[64];

    ck_assert_int_eq(th_watch(w, "/d", "a"), 0);
    th_drain(w);
    /* The watcher does not read: identical events collapse into one. */
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(th_write(t, 0, "/d/x", "v"), 0);
    ck_assert_int_eq(th_write(t, 0, "/d/y", "v"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/d/x");
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/d/y");
    ck_assert(!th_event(w, path, tok));
    ck_assert_uint_eq(th_d->stats.events_deduped, 4);
    /* Once sent, the same event is new again. */
    ck_assert_int_eq(th_write(t, 0, "/d/x", "v"), 0);
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/d/x");
}
END_TEST

START_TEST(guest_events_time_out)
{
    struct tc *t = th_conn(0, true), *u = th_conn(5, false), *w = th_conn(0, true);
    char path[128], tok[64];

    th_d->fake_now_ms = 1000;
    ck_assert_int_eq(th_mkdir(t, 0, "/local/domain/5"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5", "n5"), 0);
    ck_assert_int_eq(th_watch(u, "/local/domain/5", "g"), 0);
    ck_assert_int_eq(th_watch(w, "/local/domain/5", "d"), 0);
    th_drain(u);
    th_drain(w);
    /* The guest does not read for 21 s: its old event is dropped when a
     * new one comes; dom0's queue is not touched. */
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/a", "1"), 0);
    th_d->fake_now_ms += 21000;
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/b", "1"), 0);
    ck_assert_uint_eq(th_d->stats.events_dropped, 1);
    ck_assert(th_event(u, path, tok));
    ck_assert_str_eq(path, "/local/domain/5/b");
    ck_assert(!th_event(u, path, tok));
    ck_assert(th_event(w, path, tok));
    ck_assert_str_eq(path, "/local/domain/5/a");
    ck_assert(th_event(w, path, tok));
    ck_assert(!th_event(w, path, tok));
}
END_TEST

START_TEST(reset_watches)
{
    struct tc *t = th_conn(0, true), *w = th_conn(0, true);
    char path[128], tok[64];

    ck_assert_int_eq(th_watch(w, "/a", "1"), 0);
    ck_assert_int_eq(th_watch(w, "/b", "2"), 0);
    th_drain(w);
    ck_assert_uint_eq(th_reqs(w, XS_RESET_WATCHES, 0, path, 1, ""), XS_RESET_WATCHES);
    ck_assert_int_eq(th_write(t, 0, "/a", "x"), 0);
    ck_assert_int_eq(th_write(t, 0, "/b", "x"), 0);
    ck_assert(!th_event(w, path, tok));
    ck_assert_uint_eq(th_d->watches.count, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-watch");
    TCase *tc = tcase_create("watch");

    tcase_add_checked_fixture(tc, th_setup, th_teardown);
    tcase_add_test(tc, initial_event_and_prefix);
    tcase_add_test(tc, root_watch_and_duplicates);
    tcase_add_test(tc, relative_watch_reports_relative_paths);
    tcase_add_test(tc, rm_fires_for_subtree);
    tcase_add_test(tc, permissions_filter_events);
    tcase_add_test(tc, special_paths);
    tcase_add_test(tc, duplicate_pending_events_dropped);
    tcase_add_test(tc, guest_events_time_out);
    tcase_add_test(tc, reset_watches);
    suite_add_tcase(s, tc);
    return s;
}
