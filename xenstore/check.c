/*
 * check: CONTROL "check", a consistency pass over the whole store.
 *
 * Walks the tree from "/" through the children lists (iteratively: paths
 * may be 1500 levels deep), then scans the node table. It repairs what
 * xenstored's check_store() repairs: children entries naming missing
 * nodes or repeated, nodes no path reaches, and per-domain node counts
 * and byte totals that disagree with the nodes' owners. O(nodes): 100k nodes take a few
 * tens of milliseconds.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

struct walk {
    struct node **stack;
    size_t depth, cap;
    char *path;
    size_t pathcap;
};

static int push(struct walk *w, struct node *n)
{
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        struct node **s = realloc(w->stack, cap * sizeof(*s));

        if (!s)
            return -1;
        w->stack = s;
        w->cap = cap;
    }
    w->stack[w->depth++] = n;
    return 0;
}

/* Check one node's children: drop entries that name nothing or repeat. */
static unsigned check_children(struct daemon *d, struct walk *w, struct node *n,
                               uint32_t epoch, FILE *report)
{
    unsigned problems = 0;
    uint32_t off = 0;

    while (off < n->childlen) {
        const char *name = n->children + off;
        size_t nlen = strlen(name);
        size_t plen = n->pathlen == 1 ? 0 : n->pathlen;
        struct node *child;

        if (plen + nlen + 2 > w->pathcap) {
            char *p = realloc(w->path, plen + nlen + 2);

            if (!p)
                return problems;
            w->path = p;
            w->pathcap = plen + nlen + 2;
        }
        memcpy(w->path, n->path, plen);
        w->path[plen] = '/';
        memcpy(w->path + plen + 1, name, nlen + 1);
        child = store_lookup(&d->st, w->path, plen + 1 + nlen);
        if (!child || child->mark == epoch) {
            problems++;
            if (report)
                fprintf(report, "check: %s: %s child '%s' removed\n", n->path,
                        child ? "duplicate" : "missing", name);
            memmove(n->children + off, n->children + off + nlen + 1,
                    n->childlen - off - nlen - 1);
            n->childlen -= (uint32_t)nlen + 1;
            continue;
        }
        child->mark = epoch;
        if (push(w, child))
            return problems;
        off += (uint32_t)nlen + 1;
    }
    return problems;
}

unsigned daemon_check_store(struct daemon *d, FILE *report)
{
    static uint32_t epoch;
    struct walk w = { 0 };
    struct htab_iter it;
    struct hentry *e;
    struct node *root = store_lookup(&d->st, "/", 1);
    unsigned problems = 0;
    uint32_t *owned;
    uint64_t *mem;

    if (!root)
        return 1;
    owned = calloc(DOMID_LIMIT, sizeof(*owned));
    mem = calloc(DOMID_LIMIT, sizeof(*mem));
    if (!owned || !mem) {
        free(owned);
        free(mem);
        return 0;
    }
    if (!++epoch)
        epoch = 1;
    root->mark = epoch;
    push(&w, root);
    while (w.depth)
        problems += check_children(d, &w, w.stack[--w.depth], epoch, report);

    /* Unreachable nodes go; the special nodes live outside the tree. */
    htab_iter_start(&it, &d->st.nodes);
    while ((e = htab_iter_next(&it))) {
        struct node *n = container_of(e, struct node, h);

        if (n->mark != epoch && n->path[0] == '/') {
            problems++;
            if (report)
                fprintf(report, "check: orphaned node %s removed\n", n->path);
            store_remove(&d->st, n);
            node_free(n);
            continue;
        }
        if (node_owner(n) < DOMID_LIMIT) {
            owned[node_owner(n)]++;
            mem[node_owner(n)] += node_mem(n);
        }
        /* Recount every node: the totals are rebuilt from these. */
        n->accounted = true;
        n->acct_owner = node_owner(n);
        n->acct_bytes = node_mem(n);
    }
    for (uint32_t i = 0; i < DOMID_LIMIT; i++) {
        if (owned[i] != d->st.owned[i] || mem[i] != d->st.mem[i]) {
            problems++;
            if (report)
                fprintf(report, "check: domain %u owns %u nodes (%llu bytes), counted %u "
                        "(%llu bytes); fixed\n", i, owned[i], (unsigned long long)mem[i],
                        d->st.owned[i], (unsigned long long)d->st.mem[i]);
        }
        d->st.owned[i] = owned[i];
        d->st.mem[i] = mem[i];
    }
    free(owned);
    free(mem);
    free(w.stack);
    free(w.path);
    return problems;
}
