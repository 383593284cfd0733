/* domain: introduced domains and their life cycle (see domain.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

struct domain *domain_find(struct daemon *d, uint32_t domid)
{
    for (struct domain *dom = d->domains; dom; dom = dom->next)
        if (dom->domid == domid)
            return dom;
    return NULL;
}

static void fire_special(struct daemon *d, const char *name)
{
    const struct node *n = store_lookup(&d->st, name, strlen(name));

    watch_fire(d, name, strlen(name), false, n ? n->perms : NULL, n ? n->nperms : 0);
}

/* A known domain whose connection was dropped for breaking the protocol
 * is served afresh when the toolstack introduces it again. */
static int reattach(struct daemon *d, struct domain *dom, uint64_t mfn, uint32_t port)
{
    struct ring_io *io;
    int err = d->backend->attach(d->backend, dom->domid, mfn, port, &io);

    if (err)
        return err;
    io->intf->error = XENSTORE_ERROR_NONE;
    dom->conn = ring_conn_new(d, io, dom->domid);
    if (!dom->conn) {
        io->ops->release(io);
        return ENOMEM;
    }
    dom->conn->domain = dom;
    dom->port = port;
    dom->shutdown = false;
    daemon_log(d, "domain %u re-attached (port %u)", dom->domid, port);
    return 0;
}

int domain_introduce(struct daemon *d, uint32_t domid, uint64_t mfn, uint32_t port)
{
    struct domain *dom = domain_find(d, domid);
    struct ring_io *io;
    int err;

    /* Known already: toolstacks re-introduce to recreate the event
     * channel (xenstored rebinds it); the ring and its state stay. */
    if (dom && !dom->conn)
        return reattach(d, dom, mfn, port);
    if (dom) {
        struct ring_io *cur = ring_conn_io(dom->conn);

        if (cur && cur->ops->rebind) {
            err = cur->ops->rebind(cur, domid, port);
            if (err)
                return err;
        }
        dom->port = port;
        dom->shutdown = false;
        return 0;
    }
    if (!d->backend) {
        daemon_log(d, "INTRODUCE of domain %u refused: no ring backend", domid);
        return EINVAL;
    }
    dom = calloc(1, sizeof(*dom));
    if (!dom)
        return ENOMEM;
    err = d->backend->attach(d->backend, domid, mfn, port, &io);
    if (err) {
        daemon_log(d, "INTRODUCE of domain %u: cannot map ring or bind port %u (%s)",
                   domid, port, wire_error_name(err));
        free(dom);
        return err;
    }
    dom->domid = domid;
    dom->port = port;
    dom->mfn = mfn;
    dom->conn = ring_conn_new(d, io, domid);
    if (!dom->conn) {
        io->ops->release(io);
        free(dom);
        return ENOMEM;
    }
    dom->conn->domain = dom;
    dom->next = d->domains;
    d->domains = dom;
    daemon_log(d, "domain %u introduced (port %u)", domid, port);
    fire_special(d, "@introduceDomain");
    return 0;
}

static void revoke_in(const struct htab *nodes, uint32_t domid)
{
    struct htab_iter it;
    struct hentry *e;

    htab_iter_start(&it, nodes);
    while ((e = htab_iter_next(&it))) {
        struct node *n = container_of(e, struct node, h);

        for (uint32_t i = 1; i < n->nperms; i++)
            if (n->perms[i].id == domid)
                n->perms[i].perms |= PERM_IGNORE;
    }
}

/* Grants naming a domain that is gone stop matching, so a new domain
 * reusing the id inherits nothing. Open transactions hold copies of
 * nodes (and new nodes inheriting them) that a commit installs as they
 * are, without a conflict since marking does not change generations:
 * their grants are made inert too. */
static void revoke_grants(struct daemon *d, uint32_t domid)
{
    revoke_in(&d->st.nodes, domid);
    for (struct conn *c = d->conns; c; c = c->next)
        for (struct txn *tx = c->txns; tx; tx = tx->next) {
            revoke_in(&tx->overlay, domid);
            /* The permissions that decide who hears of a change at
             * commit. */
            for (struct access *a = tx->acc_head; a; a = a->next)
                for (uint32_t i = 1; i < a->nperms; i++)
                    if (a->perms[i].id == domid)
                        a->perms[i].perms |= PERM_IGNORE;
        }
}

static int by_length(const void *a, const void *b)
{
    size_t x = strlen(*(char *const *)a), y = strlen(*(char *const *)b);

    return x < y ? -1 : x > y;
}

/* The nodes a gone domain owned (xenstored 4.17's domain_tree_remove()):
 * deleted with everything below them, firing watches as RM does; or,
 * with --keep-orphans, handed to dom0. */
static void remove_orphans(struct daemon *d, uint32_t domid)
{
    struct htab_iter it;
    struct hentry *e;
    char **paths = NULL;
    size_t n = 0, cap = 0;
    struct req r = { .d = d };

    htab_iter_start(&it, &d->st.nodes);
    while ((e = htab_iter_next(&it))) {
        struct node *node = container_of(e, struct node, h);

        if (node_owner(node) != domid || node->path[0] != '/')
            continue;
        if (d->keep_orphans) {
            node->perms[0].id = 0;
            store_touch(&d->st, node);
            continue;
        }
        if (n == cap) {
            char **p = realloc(paths, (cap = cap ? cap * 2 : 64) * sizeof(*p));

            if (!p)
                break;
            paths = p;
        }
        if (!(paths[n] = strdup(node->path)))
            break;
        n++;
    }
    /* Shallowest first: deleting a node takes its subtree along. */
    if (n)
        qsort(paths, n, sizeof(*paths), by_length);
    daemon_view(d, NULL, NULL, &r.v);
    for (size_t i = 0; i < n; i++) {
        struct node *node = store_lookup(&d->st, paths[i], strlen(paths[i]));

        if (node && tree_rm(&r, node))
            daemon_log(d, "error deleting orphaned node %s", paths[i]);
        else if (node)
            daemon_log(d, "orphaned node %s deleted", paths[i]);
        free(paths[i]);
    }
    free(paths);
}

int domain_release(struct daemon *d, uint32_t domid)
{
    struct domain *dom = domain_find(d, domid), **pp;

    if (!dom)
        return ENOENT;
    /* The domain's own watches go first: it must not hear of itself. */
    if (dom->conn)
        conn_free(dom->conn);
    for (pp = &d->domains; *pp; pp = &(*pp)->next)
        if (*pp == dom) {
            *pp = dom->next;
            break;
        }
    free(dom);
    remove_orphans(d, domid);
    revoke_grants(d, domid);
    daemon_log(d, "domain %u released", domid);
    fire_special(d, "@releaseDomain");
    return 0;
}

void domain_check_gone(struct daemon *d)
{
    struct domain *dom, *next;

    if (!d->backend || !d->backend->domain_gone)
        return;
    for (dom = d->domains; dom; dom = next) {
        next = dom->next;
        if (dom->domid && d->backend->domain_gone(d->backend, dom->domid))
            domain_release(d, dom->domid);
    }
}

void domain_conn_gone(struct daemon *d, struct domain *dom)
{
    (void)d;
    /* The domain stays introduced until released; it is just not served
     * any more (xenstored's "ignored" connection). */
    dom->conn = NULL;
}
