/* htab: intrusive string-keyed hash table (see htab.h). */
#include <stdlib.h>
#include <string.h>

#include "htab.h"

/* FNV-1a: short keys, good spread, no multiplication-heavy tail. */
uint32_t htab_hash(const char *key, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 16777619u;
    }
    return h;
}

int htab_init(struct htab *h, size_t initial)
{
    size_t n = 16;

    while (n < initial)
        n <<= 1;
    h->buckets = calloc(n, sizeof(*h->buckets));
    if (!h->buckets)
        return -1;
    h->nbuckets = n;
    h->count = 0;
    return 0;
}

void htab_destroy(struct htab *h)
{
    free(h->buckets);
    h->buckets = NULL;
    h->nbuckets = 0;
    h->count = 0;
}

struct hentry *htab_find(const struct htab *h, const char *key, size_t len)
{
    uint32_t hash = htab_hash(key, len);
    struct hentry *e = h->buckets[hash & (h->nbuckets - 1)];

    for (; e; e = e->next)
        if (e->hash == hash && e->keylen == len && !memcmp(e->key, key, len))
            return e;
    return NULL;
}

static void htab_grow(struct htab *h)
{
    size_t n = h->nbuckets * 2;
    struct hentry **nb = calloc(n, sizeof(*nb));

    /* Out of memory: keep the longer chains rather than fail the insert. */
    if (!nb)
        return;
    for (size_t i = 0; i < h->nbuckets; i++) {
        struct hentry *e = h->buckets[i], *next;

        for (; e; e = next) {
            next = e->next;
            e->next = nb[e->hash & (n - 1)];
            nb[e->hash & (n - 1)] = e;
        }
    }
    free(h->buckets);
    h->buckets = nb;
    h->nbuckets = n;
}

void htab_insert(struct htab *h, struct hentry *e, const char *key, size_t len)
{
    size_t b;

    if (h->count >= h->nbuckets)
        htab_grow(h);
    e->key = key;
    e->keylen = len;
    e->hash = htab_hash(key, len);
    b = e->hash & (h->nbuckets - 1);
    e->next = h->buckets[b];
    h->buckets[b] = e;
    h->count++;
}

void htab_remove(struct htab *h, struct hentry *e)
{
    struct hentry **pp = &h->buckets[e->hash & (h->nbuckets - 1)];

    for (; *pp; pp = &(*pp)->next) {
        if (*pp == e) {
            *pp = e->next;
            e->next = NULL;
            h->count--;
            return;
        }
    }
}

void htab_iter_start(struct htab_iter *it, const struct htab *h)
{
    it->h = h;
    it->bucket = 0;
    it->next = h->nbuckets ? h->buckets[0] : NULL;
}

struct hentry *htab_iter_next(struct htab_iter *it)
{
    struct hentry *e;

    while (!it->next) {
        if (++it->bucket >= it->h->nbuckets)
            return NULL;
        it->next = it->h->buckets[it->bucket];
    }
    e = it->next;
    it->next = e->next;
    return e;
}
