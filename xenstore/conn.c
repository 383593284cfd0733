/* conn: request reassembly, reply and event queues (see conn.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

struct conn *conn_new(struct daemon *d, const struct conn_ops *ops, void *transport,
                      uint32_t domid, bool privileged, const char *desc)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->d = d;
    c->ops = ops;
    c->transport = transport;
    c->serial = ++d->next_serial;
    snprintf(c->desc, sizeof(c->desc), "%s", desc);
    c->who.domid = domid;
    c->who.privileged = privileged;
    c->homelen = (size_t)snprintf(c->home, sizeof(c->home), "/local/domain/%u", domid);
    c->next_txid = 1;
    c->next = d->conns;
    if (d->conns)
        d->conns->prev = c;
    d->conns = c;
    return c;
}

void conn_delete_txns(struct conn *c)
{
    struct txn *tx, *next;

    for (tx = c->txns; tx; tx = next) {
        next = tx->next;
        txn_free(tx);
    }
    c->txns = NULL;
    c->ntxns = 0;
}

uint64_t conn_mem_usage(const struct conn *c)
{
    uint32_t domid = c->who.domid;
    uint64_t bytes = domid < DOMID_LIMIT ? c->d->st.mem[domid] : 0;

    bytes += c->watch_bytes;
    for (const struct txn *tx = c->txns; tx; tx = tx->next) {
        struct htab_iter it;
        struct hentry *e;

        htab_iter_start(&it, &tx->overlay);
        while ((e = htab_iter_next(&it)))
            bytes += node_mem(container_of(e, struct node, h));
    }
    return bytes;
}

struct txn *conn_find_txn(const struct conn *c, uint32_t id)
{
    for (struct txn *tx = c->txns; tx; tx = tx->next)
        if (tx->id == id)
            return tx;
    return NULL;
}

/* One of a request's events was sent or dropped. The last one ends the
 * request for its owner, who may then be read from again. */
static void pend_put(struct daemon *d, struct pend_req *p)
{
    struct conn *owner;

    if (!p || --p->events)
        return;
    if (d->cur_pend == p)
        d->cur_pend = NULL;
    owner = p->owner;
    if (owner) {
        if (p->prev)
            p->prev->next = p->next;
        else
            owner->pend_reqs = p->next;
        if (p->next)
            p->next->prev = p->prev;
        owner->npend_reqs--;
        if (owner->ops && owner->ops->output)
            owner->ops->output(owner);
    }
    free(p);
}

static void msg_free(struct daemon *d, struct out_msg *m)
{
    if (m->is_event)
        pend_put(d, m->pend);
    free(m);
}

void conn_free(struct conn *c)
{
    struct daemon *d = c->d;
    struct out_msg *m, *next;
    struct pend_req *p;

    watch_remove_all(d, c);
    conn_delete_txns(c);
    /* Our events queued elsewhere stay; they no longer hold us. */
    for (p = c->pend_reqs; p; p = p->next)
        p->owner = NULL;
    c->pend_reqs = NULL;
    if (d->cur_req == c)
        d->cur_req = NULL;
    for (m = c->out_head; m; m = next) {
        next = m->next;
        msg_free(d, m);
    }
    c->out_head = c->out_tail = NULL;
    htab_destroy(&c->pending_events);
    if (c->prev)
        c->prev->next = c->next;
    else
        d->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    /* Before the transport: a ring's domain holds a pointer to us. */
    if (c->domain)
        domain_conn_gone(d, c->domain);
    if (c->ops && c->ops->close)
        c->ops->close(c);
    free(c);
}

bool conn_can_read(const struct conn *c)
{
    uint32_t limit = c->who.privileged ? CONN_PRIV_OUTSTANDING
                                       : c->d->q.val[QUOTA_OUTSTANDING];

    if (c->closing)
        return false;
    return c->out_replies + c->npend_reqs < limit && c->out_bytes < CONN_OUT_BYTES_MAX;
}

size_t conn_want(const struct conn *c)
{
    if (!conn_can_read(c))
        return 0;
    if (!c->in_payload)
        return XS_HDR_LEN - c->in_used;
    return c->hdr.len - c->in_used;
}

void conn_refuse_close(struct conn *c, const char *reason)
{
    if (c->closing)
        return;
    c->closing = true;
    c->close_reason = reason;
    c->d->stats.closed++;
    daemon_refused(c->d, c, "%s; closing connection", reason);
}

size_t conn_input(struct conn *c, const char *data, size_t len)
{
    size_t want = conn_want(c), n;

    if (!want)
        return 0;
    n = len < want ? len : want;
    if (!c->in_payload) {
        const char *bad;

        memcpy((char *)&c->hdr + c->in_used, data, n);
        c->in_used += (uint32_t)n;
        if (c->in_used < XS_HDR_LEN)
            return n;
        bad = wire_check_header(&c->hdr);
        if (bad) {
            c->d->stats.refused++;
            conn_refuse_close(c, bad);
            return n;
        }
        c->in_payload = true;
        c->in_used = 0;
        if (c->hdr.len)
            return n;
    } else {
        memcpy(c->in_buf + c->in_used, data, n);
        c->in_used += (uint32_t)n;
        if (c->in_used < c->hdr.len)
            return n;
    }
    /* A complete request. */
    c->in_payload = false;
    c->in_used = 0;
    daemon_dispatch(c);
    return n;
}

static void queue(struct conn *c, struct out_msg *m)
{
    m->queued_ms = daemon_now_ms(c->d);
    m->next = NULL;
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->out_bytes += m->len;
    if (!m->is_event)
        c->out_replies++;
    if (c->ops && c->ops->output)
        c->ops->output(c);
}

static struct out_msg *msg_new(uint32_t type, uint32_t req_id, uint32_t tx_id,
                               uint32_t plen)
{
    struct out_msg *m = malloc(sizeof(*m) + XS_HDR_LEN + plen);
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = plen };

    if (!m)
        return NULL;
    m->len = XS_HDR_LEN + plen;
    m->sent = 0;
    m->is_event = false;
    m->in_set = false;
    memcpy(m->buf, &h, XS_HDR_LEN);
    return m;
}

void conn_reply(struct conn *c, const struct xsd_sockmsg *req, uint32_t type,
                const void *data, uint32_t len)
{
    struct out_msg *m;

    if (len > XENSTORE_PAYLOAD_MAX) {
        conn_error(c, req, E2BIG);
        return;
    }
    m = msg_new(type, req->req_id, req->tx_id, len);
    if (!m) {
        /* No memory even for the reply: the client would wait forever,
         * so give up on it rather than on the daemon. */
        conn_refuse_close(c, "out of memory queueing a reply");
        return;
    }
    if (len)
        memcpy(m->buf + XS_HDR_LEN, data, len);
    queue(c, m);
}

void conn_error(struct conn *c, const struct xsd_sockmsg *req, int err)
{
    const char *name = wire_error_name(err);

    c->d->stats.errors++;
    conn_reply(c, req, XS_ERROR, name, (uint32_t)strlen(name) + 1);
}

/* A guest's events that waited longer than the watch-event timeout
 * without the guest even starting to read them are dropped (xenstored's
 * timeout_watch_event_msec). The queue is in time order, so only its
 * expired front is looked at. */
void conn_expire_events(struct conn *c)
{
    struct daemon *d = c->d;
    uint64_t now = daemon_now_ms(d);
    struct out_msg **pp = &c->out_head, *prev = NULL;

    if (c->who.privileged || !d->event_timeout_ms)
        return;
    while (*pp && (*pp)->queued_ms + d->event_timeout_ms <= now) {
        struct out_msg *m = *pp;

        if (!m->is_event || m->sent) {
            prev = m;
            pp = &m->next;
            continue;
        }
        *pp = m->next;
        if (c->out_tail == m)
            c->out_tail = prev;
        c->out_bytes -= m->len;
        if (m->in_set)
            htab_remove(&c->pending_events, &m->h);
        d->stats.events_dropped++;
        daemon_refused(d, c, "watch event for %.64s timed out unread", m->buf + XS_HDR_LEN);
        msg_free(c->d, m);
    }
}

/* The pending record of the guest request being dispatched, created
 * with its first event; NULL only without memory. */
static struct pend_req *pend_get(struct daemon *d)
{
    struct pend_req *p = d->cur_pend;
    struct conn *owner = d->cur_req;

    if (!p) {
        p = calloc(1, sizeof(*p));
        if (!p)
            return NULL;
        p->owner = owner;
        p->next = owner->pend_reqs;
        if (p->next)
            p->next->prev = p;
        owner->pend_reqs = p;
        owner->npend_reqs++;
        d->cur_pend = p;
    }
    p->events++;
    return p;
}

bool conn_event(struct conn *c, const char *path, size_t plen, const char *token)
{
    size_t tlen = strlen(token);
    uint32_t len = (uint32_t)(plen + 1 + tlen + 1);
    struct out_msg *m;

    /* xenstored drops events that cannot be sent in one message. */
    if (plen + tlen + 2 > XENSTORE_PAYLOAD_MAX || c->closing)
        return false;
    conn_expire_events(c);
    if (c->out_bytes + len > CONN_OUT_BYTES_MAX) {
        c->d->stats.events_dropped++;
        daemon_refused(c->d, c, "watch event for %.*s dropped: client not reading",
                       (int)(plen > 64 ? 64 : plen), path);
        return false;
    }
    m = msg_new(XS_WATCH_EVENT, 0, 0, len);
    if (!m)
        return false;
    m->is_event = true;
    m->pend = NULL;
    memcpy(m->buf + XS_HDR_LEN, path, plen);
    m->buf[XS_HDR_LEN + plen] = 0;
    memcpy(m->buf + XS_HDR_LEN + plen + 1, token, tlen + 1);
    /* Special paths are always delivered: each is a separate happening. */
    if (path[0] != '@') {
        if (!c->pending_events.buckets && htab_init(&c->pending_events, 16))
            goto queue;
        if (htab_find(&c->pending_events, m->buf + XS_HDR_LEN, len)) {
            free(m);
            c->d->stats.events_deduped++;
            return true;
        }
        htab_insert(&c->pending_events, &m->h, m->buf + XS_HDR_LEN, len);
        m->in_set = true;
    }
queue:
    /* Caused by a guest's request: it stays outstanding until sent. */
    if (c->d->cur_req && !(m->pend = pend_get(c->d))) {
        if (m->in_set)
            htab_remove(&c->pending_events, &m->h);
        free(m);
        c->d->stats.events_dropped++;
        return false;
    }
    c->d->stats.events++;
    queue(c, m);
    return true;
}

const char *conn_out_peek(const struct conn *c, size_t *len)
{
    if (!c->out_head) {
        *len = 0;
        return NULL;
    }
    *len = c->out_head->len - c->out_head->sent;
    return c->out_head->buf + c->out_head->sent;
}

void conn_out_advance(struct conn *c, size_t n)
{
    struct out_msg *m = c->out_head;

    while (m && n) {
        size_t left = m->len - m->sent;
        size_t k = n < left ? n : left;

        m->sent += (uint32_t)k;
        n -= k;
        c->out_bytes -= k;
        if (m->sent < m->len)
            break;
        c->out_head = m->next;
        if (!c->out_head)
            c->out_tail = NULL;
        if (!m->is_event)
            c->out_replies--;
        if (m->in_set)
            htab_remove(&c->pending_events, &m->h);
        msg_free(c->d, m);
        m = c->out_head;
    }
}
