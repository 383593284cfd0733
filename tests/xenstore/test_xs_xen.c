/*
 * Unit tests: the dom0 ring backend (ring_xen.c) against fake Xen
 * libraries (fake_xenlibs.c): grant mapping and its fallback to the
 * frame number, event-channel binding and demultiplexing, notifications,
 * VIRQ_DOM_EXC and the getdomaininfo domctl, rebinding on re-INTRODUCE.
 * Everything up to the hypervisor calls themselves runs as in dom0.
 */
#define _GNU_SOURCE
#include <ev.h>
#include <stdlib.h>
#include <string.h>

#include "fake_xenlibs.h"
#include "harness.h"
#include "test_main.h"

static struct ev_loop *loop;
static struct xenstore_domain_interface *page5, *page6;

static void pump(void)
{
    for (int i = 0; i < 6; i++)
        ev_run(loop, EVRUN_NOWAIT);
}

static void xen_setup(void)
{
    th_setup();
    fake_reset();
    loop = ev_loop_new(EVFLAG_AUTO);
    th_d->loop = loop;
    th_d->no_dom0_ring = true;
    th_d->backend = ring_xen_backend_new();
    ck_assert_ptr_nonnull(th_d->backend);
    ck_assert_int_eq(th_d->backend->start(th_d->backend, th_d), 0);
    page5 = aligned_alloc(4096, 4096);
    page6 = aligned_alloc(4096, 4096);
    memset(page5, 0, 4096);
    memset(page6, 0, 4096);
}

static void xen_teardown(void)
{
    th_teardown();
    ev_loop_destroy(loop);
    free(page5);
    free(page6);
}

/* The guest's side: one request in, wait for the reply. */
static uint32_t guest_req(struct xenstore_domain_interface *p, int local_port, uint32_t type,
                          const char *payload, uint32_t len, char *out)
{
    struct xsd_sockmsg h = { .type = type, .len = len };
    XENSTORE_RING_IDX prod = p->req_prod;
    struct xsd_sockmsg rh;
    XENSTORE_RING_IDX cons;

    for (uint32_t i = 0; i < sizeof(h); i++)
        p->req[MASK_XENSTORE_IDX(prod + i)] = ((char *)&h)[i];
    for (uint32_t i = 0; i < len; i++)
        p->req[MASK_XENSTORE_IDX(prod + sizeof(h) + i)] = payload[i];
    p->req_prod = prod + (XENSTORE_RING_IDX)(sizeof(h) + len);
    fake_raise((unsigned)local_port);
    pump();
    cons = p->rsp_cons;
    ck_assert_uint_ge(p->rsp_prod - cons, sizeof(rh));
    for (uint32_t i = 0; i < sizeof(rh); i++)
        ((char *)&rh)[i] = p->rsp[MASK_XENSTORE_IDX(cons + i)];
    ck_assert_uint_ge(p->rsp_prod - cons, sizeof(rh) + rh.len);
    for (uint32_t i = 0; i < rh.len; i++)
        out[i] = p->rsp[MASK_XENSTORE_IDX(cons + sizeof(rh) + i)];
    out[rh.len] = 0;
    p->rsp_cons = cons + (XENSTORE_RING_IDX)(sizeof(rh) + rh.len);
    return rh.type;
}

START_TEST(introduce_by_grant)
{
    struct tc *t = th_conn(0, true);
    char buf[256];
    int lp;

    fake_grant_page(5, page5);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "7"), XS_INTRODUCE);
    lp = fake_local_port(5, 7);
    ck_assert_int_gt(lp, 0);
    ck_assert_uint_eq(page5->server_features,
                      XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
    ck_assert_uint_eq(guest_req(page5, lp, XS_GET_DOMAIN_PATH, "5", 2, buf), XS_GET_DOMAIN_PATH);
    ck_assert_str_eq(buf, "/local/domain/5");
    /* We told the guest through its port. */
    ck_assert_uint_gt(fake_ports[lp].notified, 0);
    /* A notification on some other port does not disturb it. */
    fake_raise(63);
    pump();
    ck_assert_uint_eq(guest_req(page5, lp, XS_READ, "/tool", 6, buf), XS_ERROR);
    ck_assert_str_eq(buf, "EACCES");
}
END_TEST

START_TEST(fallback_to_frame_and_failures)
{
    struct tc *t = th_conn(0, true);
    char buf[256];
    int lp;

    /* No grant: map the frame INTRODUCE names. */
    fake_foreign_page(6, 0x1234, page6);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "6", "4660", "8"), XS_INTRODUCE);
    lp = fake_local_port(6, 8);
    ck_assert_int_gt(lp, 0);
    ck_assert_uint_eq(guest_req(page6, lp, XS_GET_DOMAIN_PATH, "6", 2, buf), XS_GET_DOMAIN_PATH);
    /* Nothing to map, or a port that cannot be bound: EINVAL, no domain. */
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "7", "1", "9"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    fake_grant_page(8, page5);
    fake_refuse_bind(8);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "8", "0", "9"), XS_ERROR);
    ck_assert_str_eq(buf, "EINVAL");
    ck_assert_ptr_null(domain_find(th_d, 8));
}
END_TEST

START_TEST(dying_domain_released_on_virq)
{
    struct tc *t = th_conn(0, true);
    char buf[256], path[128], tok[64];

    fake_grant_page(5, page5);
    fake_grant_page(6, page6);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "7"), XS_INTRODUCE);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "6", "0", "8"), XS_INTRODUCE);
    ck_assert_int_eq(th_watch(t, "@releaseDomain", "rel"), 0);
    th_drain(t);
    ck_assert_int_gt(fake_virq_port(), 0);
    fake_domain_state(5, FAKE_DOM_DYING);
    fake_raise((unsigned)fake_virq_port());
    pump();
    ck_assert_ptr_null(domain_find(th_d, 5));
    ck_assert_ptr_nonnull(domain_find(th_d, 6));
    ck_assert(th_event(t, path, tok));
    ck_assert_str_eq(path, "@releaseDomain");
    /* Its port was unbound with it. */
    ck_assert_int_eq(fake_local_port(5, 7), -1);
    fake_domain_state(6, FAKE_DOM_GONE);
    fake_raise((unsigned)fake_virq_port());
    pump();
    ck_assert_ptr_null(domain_find(th_d, 6));
}
END_TEST

START_TEST(reintroduce_rebinds)
{
    struct tc *t = th_conn(0, true);
    char buf[256];
    int lp;

    fake_grant_page(5, page5);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "7"), XS_INTRODUCE);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "11"), XS_INTRODUCE);
    ck_assert_int_eq(fake_local_port(5, 7), -1);
    lp = fake_local_port(5, 11);
    ck_assert_int_gt(lp, 0);
    ck_assert_uint_eq(guest_req(page5, lp, XS_GET_DOMAIN_PATH, "5", 2, buf), XS_GET_DOMAIN_PATH);
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_RELEASE);
    ck_assert_int_eq(fake_local_port(5, 11), -1);
}
END_TEST

START_TEST(failed_rebind_leaves_other_ports_alone)
{
    struct tc *t = th_conn(0, true);
    char buf[256];
    int lp5, lp6;

    fake_grant_page(5, page5);
    fake_grant_page(6, page6);
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "7"), XS_INTRODUCE);
    lp5 = fake_local_port(5, 7);
    ck_assert_int_gt(lp5, 0);
    /* The guest closed its end (or never opened the new one): binding the
     * port the toolstack names fails after the old one was unbound. */
    fake_refuse_bind(5);
    th_reqs(t, XS_INTRODUCE, 0, buf, 3, "5", "0", "11");
    ck_assert_int_eq(fake_local_port(5, 7), -1);
    /* The freed local port goes to the next domain... */
    ck_assert_uint_eq(th_reqs(t, XS_INTRODUCE, 0, buf, 3, "6", "0", "8"), XS_INTRODUCE);
    lp6 = fake_local_port(6, 8);
    ck_assert_int_eq(lp6, lp5);
    /* ...and releasing domain 5 must not unbind it from under domain 6
     * (xenstored 4.17 forgets a port whose rebinding failed). */
    ck_assert_uint_eq(th_reqs(t, XS_RELEASE, 0, buf, 1, "5"), XS_RELEASE);
    ck_assert_int_eq(fake_local_port(6, 8), lp6);
    ck_assert_uint_eq(guest_req(page6, lp6, XS_GET_DOMAIN_PATH, "6", 2, buf), XS_GET_DOMAIN_PATH);
    ck_assert_str_eq(buf, "/local/domain/6");
    ck_assert_uint_gt(fake_ports[lp6].notified, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("xenstore-xen-backend");
    TCase *tc = tcase_create("xen");

    tcase_add_checked_fixture(tc, xen_setup, xen_teardown);
    tcase_add_test(tc, introduce_by_grant);
    tcase_add_test(tc, fallback_to_frame_and_failures);
    tcase_add_test(tc, dying_domain_released_on_virq);
    tcase_add_test(tc, reintroduce_rebinds);
    tcase_add_test(tc, failed_rebind_leaves_other_ports_alone);
    suite_add_tcase(s, tc);
    return s;
}
