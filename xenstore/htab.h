/*
 * htab: an intrusive hash table keyed by byte strings (xenstore paths).
 *
 * The entry lives inside the caller's object (struct node, a watch list,
 * a transaction's access record), so a lookup costs one hash and a short
 * chain walk and no allocation. The table doubles when the load passes
 * 1, which keeps a 100k-node store at O(1) per lookup.
 */
#ifndef PVSTORED_HTAB_H
#define PVSTORED_HTAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct hentry {
    struct hentry *next;
    const char *key;        /* owned by the containing object */
    size_t keylen;
    uint32_t hash;
};

struct htab {
    struct hentry **buckets;
    size_t nbuckets;        /* power of two */
    size_t count;
};

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

uint32_t htab_hash(const char *key, size_t len);
int htab_init(struct htab *h, size_t initial);
void htab_destroy(struct htab *h);   /* frees the bucket array only */
struct hentry *htab_find(const struct htab *h, const char *key, size_t len);
/* Key must not be present already; returns -1 only on allocation failure
 * of a resize, in which case the entry is still inserted. */
void htab_insert(struct htab *h, struct hentry *e, const char *key, size_t len);
void htab_remove(struct htab *h, struct hentry *e);

/* Iteration that tolerates removal of the current entry. */
struct htab_iter {
    const struct htab *h;
    size_t bucket;
    struct hentry *next;
};
void htab_iter_start(struct htab_iter *it, const struct htab *h);
struct hentry *htab_iter_next(struct htab_iter *it);

#endif
