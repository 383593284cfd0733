/*
 * view: the store as one request sees it, directly or through its
 * transaction (see txn.h). Request handlers only use these calls, so every
 * operation behaves the same inside and outside a transaction.
 *
 * Nodes returned by view_get() are read-only; to change one, get a
 * writable node from view_make_writable() (in a transaction, the overlay
 * copy) and call view_changed() after changing it.
 */
#ifndef PVSTORED_VIEW_H
#define PVSTORED_VIEW_H

#include "store.h"
#include "txn.h"

/* Where watch events go: fired now, or recorded for commit. */
typedef void (*view_fire_fn)(void *ctx, const char *path, size_t len, bool exact,
                             const struct xs_perm *perms, uint32_t nperms);

struct view {
    struct store *st;
    struct txn *tx;             /* NULL: straight to the store */
    uint32_t max_access;        /* quota transaction-nodes; 0: no limit */
    view_fire_fn fire;
    void *fire_ctx;
};

/* Look a node up: 0 with *out set (NULL if absent), or ENOSPC (too many
 * nodes touched in this transaction) / ENOMEM. */
int view_get(struct view *v, const char *path, size_t len, struct node **out);
int view_make_writable(struct view *v, struct node *n, struct node **out);
void view_changed(struct view *v, struct node *n);
/* Create an empty node at an absent path (not linked into its parent);
 * permissions are copied from `perms`. */
int view_create(struct view *v, const char *path, size_t len,
                const struct xs_perm *perms, uint32_t nperms, struct node **out);
/* Delete one node (its children are the caller's business). */
int view_delete(struct view *v, struct node *n);
/* Owner accounting for a permission change of a node. */
int view_owner_changed(struct view *v, uint32_t old_owner, uint32_t new_owner);
/* Nodes owned by a domain as this view sees them. */
uint32_t view_owned(const struct view *v, uint32_t domid);
/* A watch event for `path`: fired now or at commit. The permissions are
 * those that decide who may see it (the node's, or before a change). */
int view_event(struct view *v, const char *path, size_t len, bool exact,
               const struct xs_perm *perms, uint32_t nperms);

#endif
