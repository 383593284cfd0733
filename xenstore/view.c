/* view: requests' access to the store, with or without a transaction. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"

/* Record a transaction's first touch of a path. */
static int note_access(struct view *v, const char *path, size_t len,
                       struct access **out)
{
    struct access *a = txn_access_find(v->tx, path, len);
    const struct node *n;

    if (a) {
        *out = a;
        return 0;
    }
    if (v->max_access && v->tx->naccessed >= v->max_access)
        return ENOSPC;
    n = store_lookup(v->st, path, len);
    return txn_access_add(v->tx, path, len, n ? n->gen : GEN_ABSENT, out);
}

int view_get(struct view *v, const char *path, size_t len, struct node **out)
{
    struct access *a;
    struct node *n;
    int err;

    *out = NULL;
    if (!v->tx) {
        *out = store_lookup(v->st, path, len);
        return 0;
    }
    err = note_access(v, path, len, &a);
    if (err)
        return err;
    n = txn_overlay_find(v->tx, path, len);
    if (n) {
        *out = n->deleted ? NULL : n;
        return 0;
    }
    /* First access: keep a copy, so the transaction reads the same node
     * for as long as it lasts. */
    n = store_lookup(v->st, path, len);
    if (n) {
        struct node *copy = node_clone(n);

        if (!copy)
            return ENOMEM;
        txn_overlay_add(v->tx, copy, false);
        n = copy;
    }
    *out = n;
    return 0;
}

int view_make_writable(struct view *v, struct node *n, struct node **out)
{
    struct node *copy;

    if (!v->tx) {
        *out = n;
        return 0;
    }
    if (txn_overlay_find(v->tx, n->path, n->pathlen) == n) {
        txn_overlay_dirty(v->tx, n);
        *out = n;
        return 0;
    }
    copy = node_clone(n);
    if (!copy)
        return ENOMEM;
    txn_overlay_add(v->tx, copy, true);
    *out = copy;
    return 0;
}

void view_changed(struct view *v, struct node *n)
{
    if (!v->tx)
        store_touch(v->st, n);
}

int view_create(struct view *v, const char *path, size_t len,
                const struct xs_perm *perms, uint32_t nperms, struct node **out)
{
    struct node *n = NULL;
    int err;

    if (v->tx) {
        struct access *a;

        err = note_access(v, path, len, &a);
        if (err)
            return err;
        /* Deleted earlier in this transaction: revive the tombstone. */
        n = txn_overlay_find(v->tx, path, len);
        if (n) {
            n->deleted = false;
            node_set_data(n, NULL, 0);
            n->childlen = 0;
            txn_overlay_dirty(v->tx, n);
        }
    }
    if (!n) {
        n = node_alloc(path, len);
        if (!n)
            return ENOMEM;
        if (v->tx)
            txn_overlay_add(v->tx, n, true);
    }
    err = node_set_perms(n, perms, nperms);
    if (err)
        goto fail;
    if (v->tx) {
        err = txn_owner_adjust(v->tx, node_owner(n), 1);
        if (err)
            goto fail;
    } else {
        store_insert(v->st, n);
    }
    *out = n;
    return 0;
fail:
    /* Only reachable on allocation failure; a transaction cannot be
     * unwound cheaply, so it is marked failed. */
    if (v->tx) {
        n->deleted = true;
        v->tx->failed = true;
    } else {
        node_free(n);
    }
    return err;
}

int view_delete(struct view *v, struct node *n)
{
    struct node *w;
    int err;

    if (!v->tx) {
        store_remove(v->st, n);
        node_free(n);
        return 0;
    }
    err = txn_owner_adjust(v->tx, node_owner(n), -1);
    if (err)
        return err;
    err = view_make_writable(v, n, &w);
    if (err) {
        v->tx->failed = true;
        return err;
    }
    /* A tombstone needs its path and owner, not the contents. */
    w->deleted = true;
    node_set_data(w, NULL, 0);
    free(w->children);
    w->children = NULL;
    w->childlen = w->childcap = 0;
    return 0;
}

int view_owner_changed(struct view *v, uint32_t old_owner, uint32_t new_owner)
{
    int err;

    /* Outside a transaction the store recounts the node when it is
     * touched (view_changed()). */
    if (old_owner == new_owner || !v->tx)
        return 0;
    err = txn_owner_adjust(v->tx, old_owner, -1);
    if (!err)
        err = txn_owner_adjust(v->tx, new_owner, 1);
    return err;
}

uint32_t view_owned(const struct view *v, uint32_t domid)
{
    int64_t n = domid < DOMID_LIMIT ? v->st->owned[domid] : 0;

    if (v->tx)
        n += txn_owner_delta(v->tx, domid);
    return n < 0 ? 0 : (uint32_t)n;
}

int view_event(struct view *v, const char *path, size_t len, bool exact,
               const struct xs_perm *perms, uint32_t nperms)
{
    struct access *a;
    int err;

    if (!v->tx) {
        if (v->fire)
            v->fire(v->fire_ctx, path, len, exact, perms, nperms);
        return 0;
    }
    /* Bypass the access quota: the path was touched already. */
    a = txn_access_find(v->tx, path, len);
    if (!a) {
        const struct node *cur = store_lookup(v->st, path, len);

        err = txn_access_add(v->tx, path, len, cur ? cur->gen : GEN_ABSENT, &a);
        if (err)
            return err;
    }
    if (a->fire) {
        /* One event per path; a subtree event covers an exact one. */
        a->exact = a->exact && exact;
        return 0;
    }
    a->fire = true;
    a->exact = exact;
    a->perms = malloc(nperms * sizeof(*perms));
    if (a->perms) {
        memcpy(a->perms, perms, nperms * sizeof(*perms));
        a->nperms = nperms;
    }
    return 0;
}
