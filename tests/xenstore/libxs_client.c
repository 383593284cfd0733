/*
 * libxs_client: drives pvstored through Debian's unmodified libxenstore
 * (the library every Xen tool links) and asserts the results: nodes,
 * permissions, transactions with a real conflict, watches, paging of big
 * directories, domain queries, CONTROL. Connects to $XENSTORED_PATH.
 * Prints one line per failed check and a summary "N passed, N failed".
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

static unsigned passed, failed;

#define CHECK(cond) do { \
        if (cond) passed++; \
        else { failed++; fprintf(stderr, "FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #cond, errno); } \
    } while (0)

static bool read_is(struct xs_handle *h, xs_transaction_t t, const char *path, const char *want)
{
    unsigned len;
    char *v = xs_read(h, t, path, &len);
    bool ok = v && len == strlen(want) && !memcmp(v, want, len);

    free(v);
    return ok;
}

/* Wait up to ms for a watch event; returns it (free with free()) or NULL. */
static char **next_event(struct xs_handle *h, int ms)
{
    struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
    char **ev = xs_check_watch(h);

    if (ev)
        return ev;
    if (poll(&p, 1, ms) <= 0)
        return NULL;
    return xs_check_watch(h);
}

static void test_nodes(struct xs_handle *h)
{
    unsigned num;
    char **dir;

    CHECK(xs_write(h, XBT_NULL, "/lx/a/b", "value", 5));
    CHECK(read_is(h, XBT_NULL, "/lx/a/b", "value"));
    CHECK(read_is(h, XBT_NULL, "/lx/a", ""));
    CHECK(xs_mkdir(h, XBT_NULL, "/lx/empty"));
    dir = xs_directory(h, XBT_NULL, "/lx", &num);
    CHECK(dir && num == 2 && !strcmp(dir[0], "a") && !strcmp(dir[1], "empty"));
    free(dir);
    CHECK(!xs_read(h, XBT_NULL, "/lx/missing", &num) && errno == ENOENT);
    CHECK(!xs_write(h, XBT_NULL, "/lx/bad//path", "x", 1) && errno == EINVAL);
    CHECK(xs_rm(h, XBT_NULL, "/lx/a"));
    CHECK(!xs_read(h, XBT_NULL, "/lx/a/b", &num) && errno == ENOENT);
    /* Relative paths are below dom0's home. */
    CHECK(xs_write(h, XBT_NULL, "rel", "r", 1));
    CHECK(read_is(h, XBT_NULL, "/local/domain/0/rel", "r"));
}

static void test_perms(struct xs_handle *h)
{
    struct xs_permissions set[] = {
        { .id = 3, .perms = XS_PERM_NONE },
        { .id = 4, .perms = XS_PERM_READ },
        { .id = 5, .perms = XS_PERM_READ | XS_PERM_WRITE },
    };
    struct xs_permissions *got;
    unsigned num;

    CHECK(xs_write(h, XBT_NULL, "/lx/p", "", 0));
    CHECK(xs_set_permissions(h, XBT_NULL, "/lx/p", set, 3));
    got = xs_get_permissions(h, XBT_NULL, "/lx/p", &num);
    CHECK(got && num == 3 && got[0].id == 3 && got[0].perms == XS_PERM_NONE &&
          got[1].id == 4 && got[1].perms == XS_PERM_READ &&
          got[2].id == 5 && got[2].perms == (XS_PERM_READ | XS_PERM_WRITE));
    free(got);
    /* Children inherit. */
    CHECK(xs_write(h, XBT_NULL, "/lx/p/c", "", 0));
    got = xs_get_permissions(h, XBT_NULL, "/lx/p/c", &num);
    CHECK(got && num == 3 && got[0].id == 3);
    free(got);
}

static void test_transactions(struct xs_handle *h, struct xs_handle *h2)
{
    xs_transaction_t t;
    unsigned num;

    CHECK(xs_write(h, XBT_NULL, "/lx/t/x", "0", 1));
    t = xs_transaction_start(h);
    CHECK(t != XBT_NULL);
    CHECK(xs_write(h, t, "/lx/t/y", "1", 1));
    CHECK(read_is(h, t, "/lx/t/y", "1"));
    CHECK(!xs_read(h2, XBT_NULL, "/lx/t/y", &num) && errno == ENOENT);
    CHECK(xs_transaction_end(h, t, true));     /* abort */
    CHECK(!xs_read(h, XBT_NULL, "/lx/t/y", &num) && errno == ENOENT);

    /* A conflicting commit fails with EAGAIN, and changes nothing. */
    t = xs_transaction_start(h);
    CHECK(read_is(h, t, "/lx/t/x", "0"));
    CHECK(xs_write(h, t, "/lx/t/x", "from-tx", 7));
    CHECK(xs_write(h2, XBT_NULL, "/lx/t/x", "from-h2", 7));
    CHECK(!xs_transaction_end(h, t, false) && errno == EAGAIN);
    CHECK(read_is(h, XBT_NULL, "/lx/t/x", "from-h2"));

    /* The usual retry loop then succeeds. */
    for (int tries = 0; tries < 5; tries++) {
        t = xs_transaction_start(h);
        xs_write(h, t, "/lx/t/x", "retried", 7);
        if (xs_transaction_end(h, t, false) || errno != EAGAIN)
            break;
    }
    CHECK(read_is(h2, XBT_NULL, "/lx/t/x", "retried"));
}

static void test_watches(struct xs_handle *h, struct xs_handle *h2)
{
    char **ev;

    CHECK(xs_watch(h, "/lx/w", "tok"));
    ev = next_event(h, 2000);
    CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "/lx/w") && !strcmp(ev[XS_WATCH_TOKEN], "tok"));
    free(ev);
    CHECK(xs_write(h2, XBT_NULL, "/lx/w/deep/node", "1", 1));
    ev = next_event(h, 2000);
    CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "/lx/w/deep/node"));
    free(ev);
    /* Events of a transaction arrive at commit, not before. */
    {
        xs_transaction_t t = xs_transaction_start(h2);

        CHECK(xs_write(h2, t, "/lx/w/tx", "1", 1));
        CHECK(next_event(h, 200) == NULL);
        CHECK(xs_transaction_end(h2, t, false));
        ev = next_event(h, 2000);
        CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "/lx/w/tx"));
        free(ev);
    }
    CHECK(xs_unwatch(h, "/lx/w", "tok"));
    CHECK(xs_write(h2, XBT_NULL, "/lx/w/after", "1", 1));
    CHECK(next_event(h, 200) == NULL);
    CHECK(!xs_unwatch(h, "/lx/w", "tok") && errno == ENOENT);
    CHECK(xs_watch(h, "@releaseDomain", "rel"));
    ev = next_event(h, 2000);
    CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "@releaseDomain"));
    free(ev);
}

static void test_big_directory(struct xs_handle *h)
{
    char path[64];
    unsigned num;
    char **dir;
    bool order = true;

    /* ~6 KiB of names: libxenstore gets E2BIG and pages with DIRECTORY_PART. */
    for (int i = 0; i < 400; i++) {
        snprintf(path, sizeof(path), "/lx/big/entry-%05d", i);
        xs_write(h, XBT_NULL, path, "", 0);
    }
    dir = xs_directory(h, XBT_NULL, "/lx/big", &num);
    CHECK(dir && num == 400);
    for (unsigned i = 0; dir && i < num; i++) {
        snprintf(path, sizeof(path), "entry-%05u", i);
        order = order && !strcmp(dir[i], path);
    }
    CHECK(order);
    free(dir);
}

static void test_domains_and_control(struct xs_handle *h)
{
    char *s = xs_get_domain_path(h, 12);
    unsigned len;

    CHECK(s && !strcmp(s, "/local/domain/12"));
    free(s);
    CHECK(xs_is_domain_introduced(h, 0));
    CHECK(!xs_is_domain_introduced(h, 12));
    CHECK(!xs_release_domain(h, 12) && errno == ENOENT);
    s = xs_control_command(h, "check", NULL, 0);
    CHECK(s && !strcmp(s, "OK"));
    free(s);
    s = xs_control_command(h, "quota", NULL, 0);
    CHECK(s && strstr(s, "transactions     :       10"));
    free(s);
    s = xs_control_command(h, "no-such-command", NULL, 0);
    CHECK(!s && errno == EINVAL);
    /* Binary data round-trips. */
    CHECK(xs_write(h, XBT_NULL, "/lx/bin", "a\0b", 3));
    s = xs_read(h, XBT_NULL, "/lx/bin", &len);
    CHECK(s && len == 3 && !memcmp(s, "a\0b", 3));
    free(s);
}

int main(void)
{
    struct xs_handle *h = xs_open(0), *h2 = xs_open(0);

    if (!h || !h2) {
        perror("xs_open");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    test_nodes(h);
    test_perms(h);
    test_transactions(h, h2);
    test_watches(h, h2);
    test_big_directory(h);
    test_domains_and_control(h);
    xs_close(h);
    xs_close(h2);
    printf("libxs_client: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
