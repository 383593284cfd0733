/*
 * txn: transactions as copy-on-write overlays with optimistic conflict
 * detection, the design of Xen 4.17's xenstored.
 *
 * A transaction never copies the store. Its overlay holds only the nodes
 * it touched: on first access a node is copied in (so later reads inside
 * the transaction see the same node even if the store changes meanwhile,
 * as xenstored guarantees and Xen's own test-xenstore checks); a changed
 * copy, a new node or a tombstone is marked dirty. Reads look in the
 * overlay first, then in the store, so the transaction sees its own
 * writes and nobody else sees them until commit (isolation).
 *
 * Every path the transaction touches, read or written, present or not, is
 * recorded once with the store generation it had at that first access
 * (GEN_ABSENT if missing). Commit re-reads those generations: if any node
 * changed, appeared or vanished in the store since the transaction looked
 * at it, the commit fails with EAGAIN and the client retries. Otherwise
 * the overlay is applied in change order and each applied node gets a new
 * generation. Because reads are recorded too, a committed transaction is
 * equivalent to running all of it at the commit instant.
 *
 * Watch events are recorded on the same access records and fired only
 * after a successful commit, once per path, in first-touch order.
 */
#ifndef PVSTORED_TXN_H
#define PVSTORED_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "htab.h"
#include "store.h"

struct access {
    struct hentry h;            /* key: path */
    uint64_t gen;               /* store generation at first access */
    bool fire, exact;           /* a watch event is due at commit */
    uint32_t nperms;            /* permissions seen when the event was */
    struct xs_perm *perms;      /* recorded (a deleted node keeps them) */
    struct access *next;        /* first-touch order */
    size_t pathlen;
    char path[];
};

struct owner_delta {
    struct owner_delta *next;
    uint32_t domid;
    int32_t delta;
};

struct txn {
    uint32_t id;
    struct txn *next;           /* the connection's list */
    struct htab overlay;        /* struct node: copies and tombstones */
    struct node *chg_head, *chg_tail;   /* the dirty ones, in change order */
    struct htab accessed;       /* struct access */
    struct access *acc_head, *acc_tail;
    uint32_t naccessed;
    struct owner_delta *deltas; /* nodes owned, change per domain */
    bool failed;                /* an internal error: commit must fail */
};

struct txn *txn_new(uint32_t id);
void txn_free(struct txn *tx);

struct node *txn_overlay_find(const struct txn *tx, const char *path, size_t len);
/* Put a node in the overlay: a clean copy of a store node, or (dirty) a
 * new node. */
void txn_overlay_add(struct txn *tx, struct node *n, bool dirty);
/* An overlay node is about to change: record it in change order. */
void txn_overlay_dirty(struct txn *tx, struct node *n);

struct access *txn_access_find(const struct txn *tx, const char *path, size_t len);
/* Record a first access; ENOMEM on failure. */
int txn_access_add(struct txn *tx, const char *path, size_t len, uint64_t gen,
                   struct access **out);

int32_t txn_owner_delta(const struct txn *tx, uint32_t domid);
int txn_owner_adjust(struct txn *tx, uint32_t domid, int32_t delta);

/* Check for conflicts: 0 or EAGAIN. */
int txn_check(const struct txn *tx, const struct store *st);
/* Apply the overlay's dirty nodes to the store (cannot fail). */
void txn_apply(struct txn *tx, struct store *st);

#endif
