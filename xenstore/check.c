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
    uint32_t *owned, nseen = 0;
    uint64_t *mem, total_owned = 0, total_mem = 0, stale_owned = 0, stale_mem = 0;

    if (!root)
        return 1;
    /* Scratch tables kept between passes and zero between them: a pass
     * touches only the domains that own nodes, so a small store is checked
     * in time proportional to its size, not to the number of domain ids. */
    if (!d->check_owned)
        d->check_owned = calloc(DOMID_LIMIT, sizeof(*owned));
    if (!d->check_mem)
        d->check_mem = calloc(DOMID_LIMIT, sizeof(*mem));
    if (!d->check_seen)
        d->check_seen = malloc(DOMID_LIMIT * sizeof(*d->check_seen));
    owned = d->check_owned;
    mem = d->check_mem;
    if (!owned || !mem || !d->check_seen)
        return 0;
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
        uint32_t owner = node_owner(n);

        if (n->mark != epoch && n->path[0] == '/') {
            problems++;
            if (report)
                fprintf(report, "check: orphaned node %s removed\n", n->path);
            store_remove(&d->st, n);
            node_free(n);
            continue;
        }
        if (owner < DOMID_LIMIT) {
            if (!owned[owner])
                d->check_seen[nseen++] = owner;
            owned[owner]++;
            mem[owner] += node_mem(n);
            total_owned++;
            total_mem += node_mem(n);
        }
        /* Recount every node: the totals are rebuilt from these. */
        n->accounted = true;
        n->acct_owner = owner;
        n->acct_bytes = node_mem(n);
    }
    /* Domains owning nodes must agree; all others must count zero, which
     * the store's running sums confirm without visiting them. */
    for (uint32_t k = 0; k < nseen; k++) {
        uint32_t i = d->check_seen[k];

        if (owned[i] != d->st.owned[i] || mem[i] != d->st.mem[i]) {
            problems++;
            if (report)
                fprintf(report, "check: domain %u owns %u nodes (%llu bytes), counted %u "
                        "(%llu bytes); fixed\n", i, owned[i], (unsigned long long)mem[i],
                        d->st.owned[i], (unsigned long long)d->st.mem[i]);
        }
        stale_owned += d->st.owned[i];
        stale_mem += d->st.mem[i];
        d->st.owned[i] = owned[i];
        d->st.mem[i] = mem[i];
    }
    if (stale_owned != d->st.total_owned || stale_mem != d->st.total_mem) {
        /* Counts for domains that own nothing: find and clear them. */
        for (uint32_t i = 0; i < DOMID_LIMIT; i++) {
            if (owned[i] || (!d->st.owned[i] && !d->st.mem[i]))
                continue;
            problems++;
            if (report)
                fprintf(report, "check: domain %u owns no nodes, counted %u; fixed\n",
                        i, d->st.owned[i]);
            d->st.owned[i] = 0;
            d->st.mem[i] = 0;
        }
    }
    d->st.total_owned = total_owned;
    d->st.total_mem = total_mem;
    for (uint32_t k = 0; k < nseen; k++) {
        owned[d->check_seen[k]] = 0;
        mem[d->check_seen[k]] = 0;
    }
    free(w.stack);
    free(w.path);
    return problems;
}
