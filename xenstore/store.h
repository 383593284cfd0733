/*
 * store: the node database.
 *
 * Every node is in one hash table keyed by its full path ("/local/domain/1",
 * "/", and the two special nodes "@introduceDomain" and "@releaseDomain",
 * which have permissions but no place in the tree). A node also keeps the
 * names of its children, NUL-separated in creation order, which is exactly
 * the DIRECTORY reply and the byte space DIRECTORY_PART offsets count in.
 *
 * Each change stamps the node with a fresh generation number from a store
 * counter; transactions compare generations at commit to find conflicts.
 * The store also counts, per domain, the nodes it owns (quota "nodes").
 *
 * All reads and changes made on behalf of a request go through a `view`
 * (view.c), which is either the store itself or a transaction's overlay.
 */
#ifndef PVSTORED_STORE_H
#define PVSTORED_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "htab.h"
#include "perms.h"

#define GEN_ABSENT UINT64_MAX   /* "did not exist" in access records */

struct node {
    struct hentry h;            /* key: path */
    uint64_t gen;
    char *data;
    uint32_t datalen;
    uint32_t nperms;            /* >= 1 */
    struct xs_perm *perms;
    char *children;             /* NUL-separated names */
    uint32_t childlen, childcap;
    bool deleted;               /* transaction overlay: a tombstone */
    bool dirty;                 /* transaction overlay: changed, not just read */
    bool accounted;             /* in the store's per-domain totals as: */
    uint32_t acct_owner, acct_bytes;
    uint32_t mark;              /* CONTROL check: reached in this pass */
    struct node *ovl_next;      /* transaction overlay: change order (dirty) */
    size_t pathlen;
    char path[];
};

struct store {
    struct htab nodes;
    uint64_t gen;               /* last generation handed out */
    uint32_t owned[DOMID_LIMIT];/* nodes owned, per domain */
    uint64_t mem[DOMID_LIMIT];  /* their bytes (node_mem()), per domain */
    uint64_t total_owned, total_mem;    /* the sums of the above */
};

/* Bytes a node costs against the per-node size quota: xenstored's record
 * header (24) + 8 per permission + data + children names. */
uint32_t node_quota_size(const struct node *n);
/* Bytes a node costs against its owner's memory quota: the above plus its
 * path, as xenstored counts a database record and its key. */
static inline uint32_t node_mem(const struct node *n)
{
    return node_quota_size(n) + (uint32_t)n->pathlen;
}

struct node *node_alloc(const char *path, size_t len);
struct node *node_clone(const struct node *n);
void node_free(struct node *n);
int node_set_data(struct node *n, const void *data, uint32_t len);
int node_set_perms(struct node *n, const struct xs_perm *p, uint32_t num);
int node_add_child(struct node *n, const char *name, size_t len);
/* Returns false if the name is not a child. */
bool node_del_child(struct node *n, const char *name, size_t len);
static inline uint32_t node_owner(const struct node *n) { return n->perms[0].id; }

int store_init(struct store *st);
void store_destroy(struct store *st);
struct node *store_lookup(const struct store *st, const char *path, size_t len);
/* Insert a node that is not present; stamps it and counts it for its
 * owner (node count and bytes). */
void store_insert(struct store *st, struct node *n);
/* Remove (not free) a present node and uncount it. */
void store_remove(struct store *st, struct node *n);
/* A present node changed in place (data, children, permissions, owner):
 * new generation, counted again. Every change of a stored node ends
 * here, which keeps the per-domain totals exact (CONTROL check verifies). */
void store_touch(struct store *st, struct node *n);

/* Path helpers. Paths are canonical: "/", "/a/b", or "@name". */
size_t path_parent_len(const char *path, size_t len);  /* "/a/b" -> 2 */
const char *path_base(const char *path);               /* "/a/b" -> "b" */
/* Is `path` equal to `prefix` or below it? ("/" covers every '/' path) */
bool path_is_at_or_below(const char *path, size_t plen,
                         const char *prefix, size_t prelen);

#endif
