/*
 * conn: one client connection, whatever carries it (unix socket, shared
 * ring). It reassembles requests from the byte stream, hands complete ones
 * to the dispatcher, and queues replies and watch events for the
 * transport to send.
 *
 * Hostile clients are the normal case, so everything is bounded: a
 * request is at most 16 + 4096 bytes in a buffer owned by the connection;
 * a header announcing more drops the connection (the stream cannot be
 * resynchronised, as in xenstored); the connection stops reading requests
 * while too many replies wait to be sent (quota "outstanding" for
 * domains, a fixed bound for local clients); a watch event identical to
 * one still waiting is dropped (xenstored does so too); a guest's events
 * not even started after the watch-event timeout (20 s, xenstored's
 * default) are dropped (daemon_tick(), and when new ones come); and watch
 * events beyond a byte budget are dropped and logged rather than queued
 * without end.
 *
 * As in xenstored 4.17, a guest's request stays outstanding until the
 * watch events it caused have been sent (or dropped), wherever they are
 * queued: a guest whose changes fire watches nobody reads is held at its
 * "outstanding" quota instead of filling other clients' queues, where
 * events past the byte budget would be lost to them.
 */
#ifndef PVSTORED_CONN_H
#define PVSTORED_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "perms.h"
#include "wire.h"

struct daemon;
struct conn;
struct domain;
struct watch;
struct txn;

/* Replies a privileged (socket) connection may have queued before it
 * must read them; and the byte budget for one connection's queue. */
#define CONN_PRIV_OUTSTANDING 256
#define CONN_OUT_BYTES_MAX (1u << 20)

struct conn_ops {
    /* Output was queued: try to send it. */
    void (*output)(struct conn *c);
    /* The connection is going away: release the transport. */
    void (*close)(struct conn *c);
};

/* A guest's request whose watch events still wait in some queue
 * (xenstored's pend.ref): it counts against the guest's outstanding quota
 * until the last of them is sent or dropped. */
struct pend_req {
    struct conn *owner;         /* NULL once the guest's connection is gone */
    struct pend_req *next, *prev;   /* the owner's list */
    uint32_t events;            /* queued events referring to it */
};

struct out_msg {
    struct out_msg *next;
    struct pend_req *pend;      /* events: the request that caused it */
    struct hentry h;            /* events: in the pending set, by payload */
    uint64_t queued_ms;         /* daemon clock when queued */
    uint32_t len;               /* header + payload */
    uint32_t sent;
    bool is_event;
    bool in_set;
    char buf[];
};

struct conn {
    struct daemon *d;
    const struct conn_ops *ops;
    void *transport;
    struct conn *next, *prev;
    unsigned serial;            /* for logs */
    char desc[40];              /* "socket#3", "dom5" */

    struct xs_who who;
    struct domain *domain;      /* NULL for local sockets */
    char home[32];              /* "/local/domain/<id>" */
    size_t homelen;

    /* Input: one request at a time. */
    struct xsd_sockmsg hdr;
    uint32_t in_used;
    bool in_payload;
    char in_buf[XENSTORE_PAYLOAD_MAX];

    /* Output. */
    struct out_msg *out_head, *out_tail;
    uint32_t out_replies;       /* queued replies (not events) */
    struct pend_req *pend_reqs; /* our requests whose events wait */
    uint32_t npend_reqs;
    size_t out_bytes;
    /* Events queued and not yet sent, to drop duplicates as xenstored
     * does (same path and token already waiting); lazily created. */
    struct htab pending_events;

    struct watch *watches;
    uint32_t nwatches;
    size_t watch_bytes;         /* paths and tokens, for the memory quota */
    bool over_soft_memory;      /* warned already */
    struct txn *txns;
    uint32_t ntxns;
    uint32_t next_txid;

    bool closing;               /* protocol error: drop when safe */
    const char *close_reason;
};

struct conn *conn_new(struct daemon *d, const struct conn_ops *ops, void *transport,
                      uint32_t domid, bool privileged, const char *desc);
/* Tear down: watches, transactions, queued output, transport. */
void conn_free(struct conn *c);

/* Feed received bytes; returns how many were consumed. Consumption stops
 * after each complete request and whenever the connection may not take
 * more (conn_can_read() false). */
size_t conn_input(struct conn *c, const char *data, size_t len);
/* How many bytes the connection wants next (1..4112), 0 if it may not
 * read now (flow control or closing). */
size_t conn_want(const struct conn *c);
bool conn_can_read(const struct conn *c);

/* Queue a reply to the request being processed. */
void conn_reply(struct conn *c, const struct xsd_sockmsg *req, uint32_t type,
                const void *data, uint32_t len);
void conn_error(struct conn *c, const struct xsd_sockmsg *req, int err);
/* Queue a watch event; false if it was dropped. */
bool conn_event(struct conn *c, const char *path, size_t plen, const char *token);

/* Drop a guest's queued events older than the watch-event timeout. */
void conn_expire_events(struct conn *c);

/* Output: the first queued bytes, and how many were sent. */
const char *conn_out_peek(const struct conn *c, size_t *len);
void conn_out_advance(struct conn *c, size_t n);

/* Mark a connection for dropping after a protocol violation. */
void conn_refuse_close(struct conn *c, const char *reason);

void conn_delete_txns(struct conn *c);
/* Bytes counted against the memory quota for this connection's domain:
 * the nodes it owns, its watches, its transactions' copies. */
uint64_t conn_mem_usage(const struct conn *c);
struct txn *conn_find_txn(const struct conn *c, uint32_t id);

#endif
