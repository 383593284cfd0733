/* ring: the xenstore shared-ring protocol, server side (see ring.h). */
#include <ev.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

struct ring_conn {
    ev_io w;
    struct ring_io *io;
    struct conn *c;
    bool polling;               /* re-entry guard: output during a poll */
    bool again;
};

/* Bytes the guest's indexes claim are in flight; more than a ring is a
 * lie we do not act on. */
static bool idx_sane(XENSTORE_RING_IDX prod, XENSTORE_RING_IDX cons)
{
    return (XENSTORE_RING_IDX)(prod - cons) <= XENSTORE_RING_SIZE;
}

static void fail(struct ring_conn *rc, uint32_t error, const char *why)
{
    rc->io->intf->error = error;
    rc->c->d->stats.refused++;
    conn_refuse_close(rc->c, why);
}

/* The guest asked to start over (XENSTORE_RECONNECT, used by kexec and
 * crash kernels): forget its watches, transactions and partial input. */
static void reconnect(struct ring_conn *rc)
{
    volatile struct xenstore_domain_interface *intf = rc->io->intf;
    struct conn *c = rc->c;

    watch_remove_all(c->d, c);
    conn_delete_txns(c);
    while (c->out_head)
        conn_out_advance(c, c->out_head->len - c->out_head->sent);
    c->in_used = 0;
    c->in_payload = false;
    intf->req_cons = intf->req_prod = 0;
    intf->rsp_cons = intf->rsp_prod = 0;
    intf->error = XENSTORE_ERROR_NONE;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    intf->connection = XENSTORE_CONNECTED;
}

/* Copy queued output into the response ring. */
static bool push_output(struct ring_conn *rc, bool *moved)
{
    volatile struct xenstore_domain_interface *intf = rc->io->intf;
    const char *p;
    size_t len;

    while ((p = conn_out_peek(rc->c, &len))) {
        XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
        size_t space, off, n;

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (!idx_sane(prod, cons)) {
            fail(rc, XENSTORE_ERROR_RINGIDX, "response ring indexes corrupt");
            return false;
        }
        space = XENSTORE_RING_SIZE - (prod - cons);
        off = MASK_XENSTORE_IDX(prod);
        n = len;
        if (n > space)
            n = space;
        if (n > XENSTORE_RING_SIZE - off)
            n = XENSTORE_RING_SIZE - off;
        if (!n)
            break;
        memcpy((char *)intf->rsp + off, p, n);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        intf->rsp_prod = prod + (XENSTORE_RING_IDX)n;
        conn_out_advance(rc->c, n);
        *moved = true;
    }
    return true;
}

/* Hand requests from the request ring to the connection. */
static bool pull_input(struct ring_conn *rc, bool *moved)
{
    volatile struct xenstore_domain_interface *intf = rc->io->intf;
    char buf[XENSTORE_RING_SIZE];
    size_t want;

    while ((want = conn_want(rc->c))) {
        XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
        size_t avail, off, n;

        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (!idx_sane(prod, cons)) {
            fail(rc, XENSTORE_ERROR_RINGIDX, "request ring indexes corrupt");
            return false;
        }
        avail = prod - cons;
        off = MASK_XENSTORE_IDX(cons);
        n = want;
        if (n > avail)
            n = avail;
        if (n > XENSTORE_RING_SIZE - off)
            n = XENSTORE_RING_SIZE - off;
        if (!n)
            break;
        /* Copy out first: the guest may rewrite the ring under us. */
        memcpy(buf, (const char *)intf->req + off, n);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        intf->req_cons = cons + (XENSTORE_RING_IDX)n;
        conn_input(rc->c, buf, n);
        *moved = true;
        if (rc->c->closing) {
            if (!intf->error)
                intf->error = XENSTORE_ERROR_PROTO;
            return false;
        }
    }
    return true;
}

void ring_conn_poll(struct conn *c)
{
    struct ring_conn *rc = c->transport;
    bool moved = false, ok = true;

    if (rc->polling) {
        rc->again = true;
        return;
    }
    rc->polling = true;
    if (rc->io->intf->connection == XENSTORE_RECONNECT) {
        reconnect(rc);
        moved = true;
    }
    do {
        rc->again = false;
        ok = push_output(rc, &moved) && pull_input(rc, &moved) &&
             push_output(rc, &moved);
    } while (ok && rc->again);
    rc->polling = false;
    if (moved || !ok)
        rc->io->ops->notify(rc->io);
    if (!ok || c->closing)
        conn_free(c);
}

static void ring_event_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct ring_conn *rc = container_of(w, struct ring_conn, w);

    (void)loop;
    (void)revents;
    rc->io->ops->ack(rc->io);
    ring_conn_poll(rc->c);
}

/* Output queued by some request (perhaps another connection's, in the
 * middle of firing watches): send it from the loop, never from here, so a
 * ring failing now cannot free the connection under the caller. */
static void ring_output(struct conn *c)
{
    struct ring_conn *rc = c->transport;

    if (rc->polling)
        rc->again = true;
    else if (c->d->loop)
        ev_feed_event(c->d->loop, &rc->w, EV_CUSTOM);
}

static void ring_close(struct conn *c)
{
    struct ring_conn *rc = c->transport;

    if (c->d->loop)
        ev_io_stop(c->d->loop, &rc->w);
    rc->io->ops->release(rc->io);
    free(rc);
}

static const struct conn_ops ring_ops = {
    .output = ring_output,
    .close = ring_close,
};

struct ring_io *ring_conn_io(struct conn *c)
{
    return ((struct ring_conn *)c->transport)->io;
}

struct conn *ring_conn_new(struct daemon *d, struct ring_io *io, uint32_t domid)
{
    struct ring_conn *rc = calloc(1, sizeof(*rc));
    char desc[16];

    if (!rc)
        return NULL;
    snprintf(desc, sizeof(desc), "dom%u", domid);
    rc->io = io;
    /* dom0's own ring (when dom0's kernel talks to us) is privileged. */
    rc->c = conn_new(d, &ring_ops, rc, domid, domid == 0, desc);
    if (!rc->c) {
        free(rc);
        return NULL;
    }
    io->intf->server_features = XENSTORE_SERVER_FEATURE_RECONNECTION |
                                XENSTORE_SERVER_FEATURE_ERROR;
    if (d->loop) {
        ev_io_init(&rc->w, ring_event_cb, io->event_fd, EV_READ);
        ev_io_start(d->loop, &rc->w);
    }
    return rc->c;
}
