/* ops_txn: TRANSACTION_START and TRANSACTION_END (design in txn.h). */
#include <stdio.h>
#include <string.h>

#include "ops.h"

int op_transaction_start(struct req *r)
{
    struct conn *c = r->c;
    struct txn *tx;
    char id[16];

    /* No nesting. */
    if (r->tx)
        return EBUSY;
    /* xenstored 4.17 compares the count with '>', allowing quota + 1. */
    if (!c->who.privileged && c->ntxns > r->d->q.val[QUOTA_TRANSACTIONS])
        return ENOSPC;
    /* Ids are per connection, never 0, never one in use. */
    while (!c->next_txid || conn_find_txn(c, c->next_txid))
        c->next_txid++;
    tx = txn_new(c->next_txid++);
    if (!tx)
        return ENOMEM;
    tx->next = c->txns;
    c->txns = tx;
    c->ntxns++;
    snprintf(id, sizeof(id), "%u", tx->id);
    req_reply(r, XS_TRANSACTION_START, id, (uint32_t)strlen(id) + 1);
    return 0;
}

static void unlink_txn(struct conn *c, struct txn *tx)
{
    struct txn **pp;

    for (pp = &c->txns; *pp; pp = &(*pp)->next)
        if (*pp == tx) {
            *pp = tx->next;
            c->ntxns--;
            return;
        }
}

/* Would the transaction leave some domain owning more nodes than allowed? */
static bool over_node_quota(const struct req *r, const struct txn *tx)
{
    if (r->c->who.privileged)
        return false;
    for (const struct owner_delta *d = tx->deltas; d; d = d->next) {
        uint32_t now = d->domid < DOMID_LIMIT ? r->d->st.owned[d->domid] : 0;

        if (d->delta > 0 && now + (uint32_t)d->delta > r->d->q.val[QUOTA_NODES])
            return true;
    }
    return false;
}

int op_transaction_end(struct req *r)
{
    const char *arg = wire_onearg(r->buf, r->len);
    struct txn *tx = r->tx;
    bool commit;
    int err = 0;

    if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
        return EINVAL;
    if (!tx)
        return ENOENT;
    commit = arg[0] == 'T';
    /* Whatever the outcome, the transaction is over. */
    unlink_txn(r->c, tx);
    r->tx = NULL;
    if (commit) {
        if (tx->failed)
            err = ENOMEM;
        else if (txn_check(tx, &r->d->st))
            err = EAGAIN;
        else if (over_node_quota(r, tx))
            err = ENOSPC;
        if (err == EAGAIN)
            r->d->stats.conflicts++;
    }
    if (commit && !err) {
        txn_apply(tx, &r->d->st);
        r->d->stats.commits++;
        /* Events were held back until now. */
        for (const struct access *a = tx->acc_head; a; a = a->next)
            if (a->fire)
                watch_fire(r->d, a->path, a->pathlen, a->exact, a->perms, a->nperms);
    }
    txn_free(tx);
    if (err)
        return err;
    req_ack(r);
    return 0;
}
