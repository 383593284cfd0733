/*
 * Unit tests: the shared-ring transport, with the host shared-memory
 * backend standing in for Xen: the page is a memfd mapped twice (guest
 * view, daemon view) and the event channel a pair of pipes. The daemon
 * runs its real libev loop; the test plays the guest's xenbus driver.
 */
#define _GNU_SOURCE
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness.h"
#include "test_main.h"

struct guest {
    uint32_t domid;
    volatile struct xenstore_domain_interface *intf;   /* guest mapping */
    int kick[2], notify[2];
};

static struct ev_loop *loop;
static struct guest g5, g6;

static void pump(void)
{
    for (int i = 0; i < 4; i++)
        ev_run(loop, EVRUN_NOWAIT);
}

static void guest_init(struct guest *g, uint32_t domid)
{
    int fd = memfd_create("xs-ring", MFD_CLOEXEC);
    void *gv, *dv;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 4096), 0);
    gv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    dv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ck_assert(gv != MAP_FAILED && dv != MAP_FAILED && gv != dv);
    close(fd);
    g->domid = domid;
    g->intf = gv;
    ck_assert_int_eq(pipe2(g->kick, O_NONBLOCK | O_CLOEXEC), 0);
    ck_assert_int_eq(pipe2(g->notify, O_NONBLOCK | O_CLOEXEC), 0);
    ck_assert_int_eq(ring_shm_register(th_d->backend, domid, dv, g->kick[0], g->notify[1]), 0);
}

static void ring_setup(void)
{
    th_setup();
    th_d->backend = ring_shm_backend_new(NULL);
    loop = ev_loop_new(EVFLAG_AUTO);
    th_d->loop = loop;
    guest_init(&g5, 5);
    guest_init(&g6, 6);
}

static void ring_teardown(void)
{
    th_teardown();
    ev_loop_destroy(loop);
    /* The daemon views were unmapped by the backend only for files;
     * registered pages and pipes belong to the test. */
}

static void kick(struct guest *g)
{
    char b = 1;

    ck_assert_int_eq(write(g->kick[1], &b, 1), 1);
}

/* Write bytes into the request ring, waiting for space as a driver does. */
static void ring_put(struct guest *g, const void *data, size_t len)
{
    const char *p = data;
    int spins = 0;

    while (len) {
        XENSTORE_RING_IDX prod = g->intf->req_prod, cons = g->intf->req_cons;
        size_t space = XENSTORE_RING_SIZE - (prod - cons);
        size_t off = MASK_XENSTORE_IDX(prod), n = len;

        if (n > space)
            n = space;
        if (n > XENSTORE_RING_SIZE - off)
            n = XENSTORE_RING_SIZE - off;
        if (!n) {
            kick(g);
            pump();
            ck_assert_int_lt(++spins, 1000);
            continue;
        }
        memcpy((char *)g->intf->req + off, p, n);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        g->intf->req_prod = prod + (XENSTORE_RING_IDX)n;
        p += n;
        len -= n;
    }
    kick(g);
}

static void ring_get(struct guest *g, void *data, size_t len)
{
    char *p = data;
    int spins = 0;

    while (len) {
        XENSTORE_RING_IDX prod = g->intf->rsp_prod, cons = g->intf->rsp_cons;
        size_t avail = prod - cons, off = MASK_XENSTORE_IDX(cons), n = len;

        if (n > avail)
            n = avail;
        if (n > XENSTORE_RING_SIZE - off)
            n = XENSTORE_RING_SIZE - off;
        if (!n) {
            pump();
            ck_assert_msg(++spins < 1000, "no response on the ring");
            continue;
        }
        memcpy(p, (const char *)g->intf->rsp + off, n);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        g->intf->rsp_cons = cons + (XENSTORE_RING_IDX)n;
        p += n;
        len -= n;
        kick(g);
    }
}

static void g_send(struct guest *g, uint32_t type, uint32_t tx, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 9, .tx_id = tx, .len = len };

    ring_put(g, &h, sizeof(h));
    ring_put(g, payload, len);
    pump();
}

static uint32_t g_recv(struct guest *g, char *out, uint32_t *len)
{
    struct xsd_sockmsg h;

    ring_get(g, &h, sizeof(h));
    ck_assert_uint_le(h.len, XENSTORE_PAYLOAD_MAX);
    ring_get(g, out, h.len);
    out[h.len] = 0;
    if (len)
        *len = h.len;
    return h.type;
}

/* A request and its reply, skipping watch events. */
static uint32_t g_req(struct guest *g, uint32_t type, const void *payload, uint32_t len, char *out)
{
    uint32_t r;

    g_send(g, type, 0, payload, len);
    while ((r = g_recv(g, out, NULL)) == XS_WATCH_EVENT)
        ;
    return r;
}

static void introduce(struct tc *t, struct guest *g)
{
    char buf[64], id[16];

    snprintf(id, sizeof(id), "%u", g->domid);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, id, "1234", "7"), XS_INTRODUCE);
    snprintf(buf, sizeof(buf), "/local/domain/%u", g->domid);
    ck_assert_int_eq(th_mkdir(t, 0, buf), 0);
    snprintf(id, sizeof(id), "n%u", g->domid);
    ck_assert_int_eq(th_setperms(t, 0, buf, id), 0);
}

START_TEST(introduce_and_serve)
{
    struct tc *t = th_conn(0, true);
    char buf[4200], path[128], tok[64];

    ck_assert_int_eq(th_watch(t, "@introduceDomain", "intro"), 0);
    th_drain(t);
    introduce(t, &g5);
    ck_assert(th_event(t, path, tok));
    ck_assert_str_eq(path, "@introduceDomain");
    ck_assert_uint_eq(th_reqs(t, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "5"), XS_IS_DOMAIN_INTRODUCED);
    ck_assert_str_eq(buf, "T");
    ck_assert_uint_eq(g5.intf->server_features,
                      XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
    /* The guest talks over its ring, as itself (unprivileged). */
    ck_assert_uint_eq(g_req(&g5, XS_WRITE, "name\0guest", 10, buf), XS_WRITE);
    ck_assert_str_eq(buf, "OK");
    ck_assert_int_eq(th_read(t, 0, "/local/domain/5/name", buf), 0);
    ck_assert_str_eq(buf, "guest");
    ck_assert_uint_eq(g_req(&g5, XS_READ, "/local/domain/0", 16, buf), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
    ck_assert_uint_eq(g_req(&g5, XS_GET_DOMAIN_PATH, "5", 2, buf), XS_GET_DOMAIN_PATH);
    ck_assert_str_eq(buf, "/local/domain/5");
    ck_assert_uint_eq(g_req(&g5, XS_INTRODUCE, "6\0000\0001", 6, buf), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
}
END_TEST

START_TEST(large_messages_wrap)
{
    struct tc *t = th_conn(0, true);
    static char req[4096], buf[4200];
    uint32_t len;

    introduce(t, &g5);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5", "n5"), 0);
    th_d->q.val[QUOTA_NODE_SIZE] = 8192;
    memcpy(req, "big", 4);
    for (int i = 0; i < 3000; i++)
        req[4 + i] = (char)('a' + i % 26);
    for (int round = 0; round < 3; round++) {
        g_send(&g5, XS_WRITE, 0, req, 4 + 3000);
        ck_assert_uint_eq(g_recv(&g5, buf, NULL), XS_WRITE);
        g_send(&g5, XS_READ, 0, "big", 4);
        ck_assert_uint_eq(g_recv(&g5, buf, &len), XS_READ);
        ck_assert_uint_eq(len, 3000);
        ck_assert_mem_eq(buf, req + 4, 3000);
    }
}
END_TEST

START_TEST(watch_events_over_ring)
{
    struct tc *t = th_conn(0, true);
    char buf[4200];
    uint32_t len;

    introduce(t, &g5);
    g_send(&g5, XS_WATCH, 0, "dev\0tk", 7);
    ck_assert_uint_eq(g_recv(&g5, buf, NULL), XS_WATCH);
    ck_assert_uint_eq(g_recv(&g5, buf, &len), XS_WATCH_EVENT);
    ck_assert_mem_eq(buf, "dev\0tk\0", 7);
    /* A change by dom0 reaches the guest with a relative path. */
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/dev/x", "1"), 0);
    pump();
    ck_assert_uint_eq(g_recv(&g5, buf, &len), XS_WATCH_EVENT);
    ck_assert_mem_eq(buf, "dev/x\0tk\0", 9);
}
END_TEST

START_TEST(corrupt_indexes_drop_only_that_guest)
{
    struct tc *t = th_conn(0, true);
    char buf[256];

    introduce(t, &g5);
    introduce(t, &g6);
    /* The producer claims more than a ring's worth. */
    g5.intf->req_prod = g5.intf->req_cons + XENSTORE_RING_SIZE + 1;
    kick(&g5);
    pump();
    ck_assert_uint_eq(g5.intf->error, XENSTORE_ERROR_RINGIDX);
    ck_assert_ptr_null(domain_find(th_d, 5)->conn);
    /* Others are served as before; dom5 is still known until released. */
    ck_assert_uint_eq(g_req(&g6, XS_READ, "/local/domain/6", 16, buf), XS_READ);
    ck_assert_uint_eq(th_reqs(t, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "5"), XS_IS_DOMAIN_INTRODUCED);
    ck_assert_str_eq(buf, "T");
    /* Introduced again (after the guest reset its ring), it is served. */
    g5.intf->req_cons = g5.intf->req_prod = 0;
    g5.intf->rsp_cons = g5.intf->rsp_prod = 0;
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "7"), XS_INTRODUCE);
    ck_assert_uint_eq(g5.intf->error, XENSTORE_ERROR_NONE);
    ck_assert_uint_eq(g_req(&g5, XS_READ, "/local/domain/5", 16, buf), XS_READ);
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_RELEASE);
}
END_TEST

START_TEST(oversized_header_is_protocol_error)
{
    struct tc *t = th_conn(0, true);
    struct xsd_sockmsg h = { .type = XS_READ, .len = 5000 };

    introduce(t, &g5);
    ring_put(&g5, &h, sizeof(h));
    pump();
    ck_assert_uint_eq(g5.intf->error, XENSTORE_ERROR_PROTO);
    ck_assert_ptr_null(domain_find(th_d, 5)->conn);
}
END_TEST

START_TEST(reconnect_resets)
{
    struct tc *t = th_conn(0, true);
    char buf[256];

    introduce(t, &g5);
    g_send(&g5, XS_WATCH, 0, "a\0b", 4);
    ck_assert_uint_eq(g_recv(&g5, buf, NULL), XS_WATCH);
    ck_assert_uint_eq(domain_find(th_d, 5)->conn->nwatches, 1);
    g5.intf->connection = XENSTORE_RECONNECT;
    kick(&g5);
    pump();
    ck_assert_uint_eq(g5.intf->connection, XENSTORE_CONNECTED);
    ck_assert_uint_eq(g5.intf->req_prod, 0);
    ck_assert_uint_eq(g5.intf->rsp_cons, 0);
    ck_assert_uint_eq(domain_find(th_d, 5)->conn->nwatches, 0);
    ck_assert_uint_eq(g_req(&g5, XS_READ, "/local/domain/5", 16, buf), XS_READ);
}
END_TEST

START_TEST(release_removes_orphans_and_fires)
{
    struct tc *t = th_conn(0, true);
    char buf[256], path[128], tok[64];

    introduce(t, &g5);
    ck_assert_uint_eq(g_req(&g5, XS_WRITE, "data\0x", 6, buf), XS_WRITE);
    ck_assert_uint_eq(th_d->st.owned[5], 2);
    ck_assert_int_eq(th_write(t, 0, "/shared", ""), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/shared", "n0,r5"), 0);
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/by-dom0", ""), 0);
    ck_assert_int_eq(th_watch(t, "@releaseDomain", "rel"), 0);
    ck_assert_int_eq(th_watch(t, "/local/domain/5", "home"), 0);
    th_drain(t);
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_RELEASE);
    /* What it owned is deleted, with everything below, as by RM. */
    ck_assert(th_event(t, path, tok));
    ck_assert_str_eq(path, "/local/domain/5");
    ck_assert_str_eq(tok, "home");
    ck_assert(th_event(t, path, tok));
    ck_assert_str_eq(path, "@releaseDomain");
    ck_assert(!th_event(t, path, tok));
    ck_assert_ptr_null(domain_find(th_d, 5));
    ck_assert_uint_eq(th_d->st.owned[5], 0);
    ck_assert_int_eq(th_read(t, 0, "/local/domain/5/data", buf), ENOENT);
    /* Grants naming it are inert (a new domain 5 gets nothing). */
    ck_assert(th_d->st.owned[0] > 0);
    ck_assert_ptr_nonnull(store_lookup(&th_d->st, "/shared", 7));
    ck_assert(store_lookup(&th_d->st, "/shared", 7)->perms[1].perms & PERM_IGNORE);
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
}
END_TEST

START_TEST(release_keep_orphans)
{
    struct tc *t = th_conn(0, true);
    char buf[256];

    th_d->keep_orphans = true;
    introduce(t, &g5);
    ck_assert_uint_eq(g_req(&g5, XS_WRITE, "data\0x", 6, buf), XS_WRITE);
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_RELEASE);
    ck_assert_uint_eq(th_d->st.owned[5], 0);
    ck_assert_int_eq(th_getperms(t, 0, "/local/domain/5/data", buf), 0);
    ck_assert_str_eq(buf, "n0");
    ck_assert_uint_eq(daemon_check_store(th_d, NULL), 0);
}
END_TEST

START_TEST(set_target_grants_target_rights)
{
    struct tc *t = th_conn(0, true);
    char buf[256];

    introduce(t, &g5);
    introduce(t, &g6);
    ck_assert_int_eq(th_write(t, 0, "/local/domain/5/priv", "p"), 0);
    ck_assert_int_eq(th_setperms(t, 0, "/local/domain/5/priv", "n5"), 0);
    ck_assert_uint_eq(g_req(&g6, XS_READ, "/local/domain/5/priv", 21, buf), XS_ERROR);
    ck_assert_uint_eq(th_reqs(t, XS_SET_TARGET, 0, buf, 2, "6", "5"), XS_SET_TARGET);
    ck_assert_uint_eq(g_req(&g6, XS_READ, "/local/domain/5/priv", 21, buf), XS_READ);
    ck_assert_str_eq(buf, "p");
    ck_assert_uint_eq(th_reqs(t, XS_SET_TARGET, 0, buf, 2, "6", "9"), XS_ERROR);
    ck_assert_str_eq(buf, "ENOENT");
}
END_TEST

/* A guest whose writes fire a watch nobody reads is held at its
 * outstanding quota (20), and served again, without a kick of its own,
 * as soon as the watcher takes the events (xenstored 4.17). */
START_TEST(unread_events_hold_the_writing_guest)
{
    struct tc *t = th_conn(0, true);
    char buf[256];

    introduce(t, &g5);
    ck_assert_int_eq(th_watch(t, "/local/domain/5", "w"), 0);
    th_drain(t);
    for (int i = 0; i < 25; i++) {
        struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = (uint32_t)i, .len = 6 };
        char req[6] = "k00\0x";

        req[1] = (char)('0' + i / 10);
        req[2] = (char)('0' + i % 10);
        ring_put(&g5, &h, sizeof(h));
        ring_put(&g5, req, sizeof(req));
    }
    pump();
    /* Twenty "OK" replies, nothing more while the events wait. */
    ck_assert_uint_eq(g5.intf->rsp_prod - g5.intf->rsp_cons, 20 * (sizeof(struct xsd_sockmsg) + 3));
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq(g_recv(&g5, buf, NULL), XS_WRITE);
    pump();
    ck_assert_uint_eq(g5.intf->rsp_prod, g5.intf->rsp_cons);
    th_drain(t);
    for (int i = 20; i < 25; i++)
        ck_assert_uint_eq(g_recv(&g5, buf, NULL), XS_WRITE);
    ck_assert_int_eq(th_read(t, 0, "/local/domain/5/k24", buf), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-ring");
    TCase *tc = tcase_create("ring");

    tcase_add_checked_fixture(tc, ring_setup, ring_teardown);
    tcase_add_test(tc, introduce_and_serve);
    tcase_add_test(tc, large_messages_wrap);
    tcase_add_test(tc, watch_events_over_ring);
    tcase_add_test(tc, corrupt_indexes_drop_only_that_guest);
    tcase_add_test(tc, oversized_header_is_protocol_error);
    tcase_add_test(tc, reconnect_resets);
    tcase_add_test(tc, release_removes_orphans_and_fires);
    tcase_add_test(tc, release_keep_orphans);
    tcase_add_test(tc, set_target_grants_target_rights);
    tcase_add_test(tc, unread_events_hold_the_writing_guest);
    suite_add_tcase(s, tc);
    return s;
}
