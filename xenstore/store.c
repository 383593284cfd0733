/* store: nodes and the main node table (see store.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

uint32_t node_quota_size(const struct node *n)
{
    return 24 + n->nperms * 8 + n->datalen + n->childlen;
}

struct node *node_alloc(const char *path, size_t len)
{
    struct node *n = calloc(1, sizeof(*n) + len + 1);

    if (!n)
        return NULL;
    memcpy(n->path, path, len);
    n->path[len] = 0;
    n->pathlen = len;
    return n;
}

void node_free(struct node *n)
{
    if (!n)
        return;
    free(n->data);
    free(n->perms);
    free(n->children);
    free(n);
}

struct node *node_clone(const struct node *src)
{
    struct node *n = node_alloc(src->path, src->pathlen);

    if (!n)
        return NULL;
    n->gen = src->gen;
    n->deleted = src->deleted;
    if (node_set_data(n, src->data, src->datalen) ||
        node_set_perms(n, src->perms, src->nperms))
        goto fail;
    if (src->childlen) {
        n->children = malloc(src->childlen);
        if (!n->children)
            goto fail;
        memcpy(n->children, src->children, src->childlen);
        n->childlen = n->childcap = src->childlen;
    }
    return n;
fail:
    node_free(n);
    return NULL;
}

int node_set_data(struct node *n, const void *data, uint32_t len)
{
    char *d = NULL;

    if (len) {
        d = malloc(len);
        if (!d)
            return ENOMEM;
        memcpy(d, data, len);
    }
    free(n->data);
    n->data = d;
    n->datalen = len;
    return 0;
}

int node_set_perms(struct node *n, const struct xs_perm *p, uint32_t num)
{
    struct xs_perm *np = malloc(num * sizeof(*np));

    if (!np)
        return ENOMEM;
    memcpy(np, p, num * sizeof(*np));
    free(n->perms);
    n->perms = np;
    n->nperms = num;
    return 0;
}

int node_add_child(struct node *n, const char *name, size_t len)
{
    if (n->childlen + len + 1 > n->childcap) {
        uint32_t cap = n->childcap ? n->childcap * 2 : 64;
        char *c;

        while (cap < n->childlen + len + 1)
            cap *= 2;
        c = realloc(n->children, cap);
        if (!c)
            return ENOMEM;
        n->children = c;
        n->childcap = cap;
    }
    memcpy(n->children + n->childlen, name, len);
    n->children[n->childlen + len] = 0;
    n->childlen += (uint32_t)len + 1;
    return 0;
}

bool node_del_child(struct node *n, const char *name, size_t len)
{
    uint32_t off = 0;

    while (off < n->childlen) {
        size_t clen = strlen(n->children + off);

        if (clen == len && !memcmp(n->children + off, name, len)) {
            memmove(n->children + off, n->children + off + clen + 1,
                    n->childlen - off - clen - 1);
            n->childlen -= (uint32_t)clen + 1;
            return true;
        }
        off += (uint32_t)clen + 1;
    }
    return false;
}

int store_init(struct store *st)
{
    memset(st, 0, sizeof(*st));
    return htab_init(&st->nodes, 1024) ? ENOMEM : 0;
}

void store_destroy(struct store *st)
{
    struct htab_iter it;
    struct hentry *e;

    htab_iter_start(&it, &st->nodes);
    while ((e = htab_iter_next(&it)))
        node_free(container_of(e, struct node, h));
    htab_destroy(&st->nodes);
}

struct node *store_lookup(const struct store *st, const char *path, size_t len)
{
    struct hentry *e = htab_find(&st->nodes, path, len);

    return e ? container_of(e, struct node, h) : NULL;
}

static void account(struct store *st, struct node *n)
{
    uint32_t owner = node_owner(n);

    n->accounted = true;
    n->acct_owner = owner;
    n->acct_bytes = node_mem(n);
    if (owner < DOMID_LIMIT) {
        st->owned[owner]++;
        st->mem[owner] += n->acct_bytes;
        st->total_owned++;
        st->total_mem += n->acct_bytes;
    }
}

static void unaccount(struct store *st, struct node *n)
{
    if (n->accounted && n->acct_owner < DOMID_LIMIT) {
        st->owned[n->acct_owner]--;
        st->mem[n->acct_owner] -= n->acct_bytes;
        st->total_owned--;
        st->total_mem -= n->acct_bytes;
    }
    n->accounted = false;
}

void store_insert(struct store *st, struct node *n)
{
    n->gen = ++st->gen;
    n->deleted = false;
    n->ovl_next = NULL;
    htab_insert(&st->nodes, &n->h, n->path, n->pathlen);
    account(st, n);
}

void store_remove(struct store *st, struct node *n)
{
    htab_remove(&st->nodes, &n->h);
    unaccount(st, n);
}

void store_touch(struct store *st, struct node *n)
{
    n->gen = ++st->gen;
    unaccount(st, n);
    account(st, n);
}

size_t path_parent_len(const char *path, size_t len)
{
    const char *slash = NULL;

    for (size_t i = len; i-- > 1;)
        if (path[i] == '/') {
            slash = path + i;
            break;
        }
    return slash ? (size_t)(slash - path) : 1;
}

const char *path_base(const char *path)
{
    return strrchr(path, '/') + 1;
}

bool path_is_at_or_below(const char *path, size_t plen,
                         const char *prefix, size_t prelen)
{
    if (prelen == 1 && prefix[0] == '/')
        return path[0] == '/';
    if (plen < prelen || memcmp(path, prefix, prelen))
        return false;
    return plen == prelen || path[prelen] == '/';
}
