/* txn: transaction overlays, access records, commit (see txn.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "txn.h"

struct txn *txn_new(uint32_t id)
{
    struct txn *tx = calloc(1, sizeof(*tx));

    if (!tx)
        return NULL;
    tx->id = id;
    if (htab_init(&tx->overlay, 16) || htab_init(&tx->accessed, 16)) {
        htab_destroy(&tx->overlay);
        free(tx);
        return NULL;
    }
    return tx;
}

void txn_free(struct txn *tx)
{
    struct access *a, *an;
    struct owner_delta *d, *dn;
    struct htab_iter it;
    struct hentry *e;

    if (!tx)
        return;
    htab_iter_start(&it, &tx->overlay);
    while ((e = htab_iter_next(&it)))
        node_free(container_of(e, struct node, h));
    for (a = tx->acc_head; a; a = an) {
        an = a->next;
        free(a->perms);
        free(a);
    }
    for (d = tx->deltas; d; d = dn) {
        dn = d->next;
        free(d);
    }
    htab_destroy(&tx->overlay);
    htab_destroy(&tx->accessed);
    free(tx);
}

struct node *txn_overlay_find(const struct txn *tx, const char *path, size_t len)
{
    struct hentry *e = htab_find(&tx->overlay, path, len);

    return e ? container_of(e, struct node, h) : NULL;
}

void txn_overlay_add(struct txn *tx, struct node *n, bool dirty)
{
    htab_insert(&tx->overlay, &n->h, n->path, n->pathlen);
    n->dirty = false;
    n->ovl_next = NULL;
    n->accounted = false;
    if (dirty)
        txn_overlay_dirty(tx, n);
}

void txn_overlay_dirty(struct txn *tx, struct node *n)
{
    if (n->dirty)
        return;
    n->dirty = true;
    if (tx->chg_tail)
        tx->chg_tail->ovl_next = n;
    else
        tx->chg_head = n;
    tx->chg_tail = n;
}

struct access *txn_access_find(const struct txn *tx, const char *path, size_t len)
{
    struct hentry *e = htab_find(&tx->accessed, path, len);

    return e ? container_of(e, struct access, h) : NULL;
}

int txn_access_add(struct txn *tx, const char *path, size_t len, uint64_t gen,
                   struct access **out)
{
    struct access *a = calloc(1, sizeof(*a) + len + 1);

    if (!a)
        return ENOMEM;
    memcpy(a->path, path, len);
    a->path[len] = 0;
    a->pathlen = len;
    a->gen = gen;
    htab_insert(&tx->accessed, &a->h, a->path, len);
    if (tx->acc_tail)
        tx->acc_tail->next = a;
    else
        tx->acc_head = a;
    tx->acc_tail = a;
    tx->naccessed++;
    *out = a;
    return 0;
}

int32_t txn_owner_delta(const struct txn *tx, uint32_t domid)
{
    for (const struct owner_delta *d = tx->deltas; d; d = d->next)
        if (d->domid == domid)
            return d->delta;
    return 0;
}

int txn_owner_adjust(struct txn *tx, uint32_t domid, int32_t delta)
{
    struct owner_delta *d;

    for (d = tx->deltas; d; d = d->next)
        if (d->domid == domid) {
            d->delta += delta;
            return 0;
        }
    d = calloc(1, sizeof(*d));
    if (!d)
        return ENOMEM;
    d->domid = domid;
    d->delta = delta;
    d->next = tx->deltas;
    tx->deltas = d;
    return 0;
}

int txn_check(const struct txn *tx, const struct store *st)
{
    for (const struct access *a = tx->acc_head; a; a = a->next) {
        const struct node *n = store_lookup(st, a->path, a->pathlen);
        uint64_t now = n ? n->gen : GEN_ABSENT;

        if (now != a->gen)
            return EAGAIN;
    }
    return 0;
}

/* Move the contents of an overlay copy into the store's node. */
static void swap_contents(struct store *st, struct node *dst, struct node *src)
{
    char *d = dst->data, *c = dst->children;
    struct xs_perm *p = dst->perms;
    uint32_t dl = dst->datalen, np = dst->nperms, cl = dst->childlen, cc = dst->childcap;

    dst->data = src->data; dst->datalen = src->datalen;
    dst->perms = src->perms; dst->nperms = src->nperms;
    dst->children = src->children;
    dst->childlen = src->childlen; dst->childcap = src->childcap;
    src->data = d; src->datalen = dl;
    src->perms = p; src->nperms = np;
    src->children = c; src->childlen = cl; src->childcap = cc;
    store_touch(st, dst);
}

void txn_apply(struct txn *tx, struct store *st)
{
    struct node *n = tx->chg_head, *next;

    tx->chg_head = tx->chg_tail = NULL;
    for (; n; n = next) {
        struct node *cur = store_lookup(st, n->path, n->pathlen);

        next = n->ovl_next;
        htab_remove(&tx->overlay, &n->h);
        if (n->deleted) {
            if (cur) {
                store_remove(st, cur);
                node_free(cur);
            }
            node_free(n);
        } else if (cur) {
            swap_contents(st, cur, n);
            node_free(n);
        } else {
            store_insert(st, n);
        }
    }
}
