/* ops_node: READ, WRITE, MKDIR, RM, DIRECTORY(_PART), GET/SET_PERMS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

static bool unpriv(const struct req *r)
{
    return !r->c->who.privileged;
}

/* xenstored 4.17 refuses a node whose record reaches the limit ('>='). */
static bool too_big(const struct req *r, uint32_t size)
{
    return unpriv(r) && size >= r->d->q.val[QUOTA_NODE_SIZE];
}

/* Memory quota outside transactions: would this growth of what the
 * requester owns pass the limit? Checked before anything changes. */
static bool mem_over(const struct req *r, int64_t growth)
{
    if (!unpriv(r) || growth <= 0)
        return false;
    return conn_mem_usage(r->c) + (uint64_t)growth > r->d->q.val[QUOTA_MEMORY];
}

/* Inside a transaction the overlay's copies count for the requester; a
 * change that takes it over the limit fails the transaction, as
 * xenstored's fail_transaction() does. */
static int mem_after_tx(struct req *r)
{
    if (!r->tx || !unpriv(r) || conn_mem_usage(r->c) <= r->d->q.val[QUOTA_MEMORY])
        return 0;
    r->tx->failed = true;
    return ENOMEM;
}

int op_read(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    struct node *n;
    int err = req_path(r, wire_onearg(r->buf, r->len), false, path, &len);

    if (!err)
        err = req_get_node(r, path, len, PERM_READ, &n);
    if (err)
        return err;
    req_reply(r, XS_READ, n->data, n->datalen);
    return 0;
}

/* Create `path` and any missing ancestors (xenstored's construct_node()):
 * new nodes inherit their parent's permissions, and a domain owns what it
 * creates. Quotas are checked for every node before anything changes. */
static int create_path(struct req *r, const char *path, size_t len,
                       const char *data, uint32_t dlen, struct node **out)
{
    struct node *parent = NULL, *n, *w;
    size_t plen = len, childlen;
    uint32_t missing = 0, nperms;
    int64_t growth;
    struct xs_perm *perms;
    int err;

    /* Find the nearest existing ancestor ("/" always exists). */
    while (!parent) {
        plen = path_parent_len(path, plen);
        missing++;
        err = view_get(&r->v, path, plen, &parent);
        if (err)
            return err;
        if (!parent && plen == 1)
            return EIO;     /* no root: the store is corrupt */
    }
    childlen = strcspn(path + plen + (plen > 1), "/");
    nperms = parent->nperms;
    if (unpriv(r)) {
        if (view_owned(&r->v, r->c->who.domid) + missing > r->d->q.val[QUOTA_NODES])
            return ENOSPC;
        if (too_big(r, node_quota_size(parent) + (uint32_t)childlen + 1))
            return ENOSPC;
        if (too_big(r, 24 + nperms * 8 + dlen))
            return ENOSPC;
        /* Each intermediate node holds one child name. */
        growth = 24 + nperms * 8 + dlen + (int64_t)len;
        if (node_owner(parent) == r->c->who.domid)
            growth += (int64_t)childlen + 1;
        for (size_t s = plen + (plen > 1) + childlen + 1; s < len;) {
            size_t k = strcspn(path + s, "/");

            if (too_big(r, 24 + nperms * 8 + (uint32_t)k + 1))
                return ENOSPC;
            growth += 24 + nperms * 8 + (int64_t)k + 1 + (int64_t)s - 1;
            s += k + 1;
        }
        if (!r->tx && mem_over(r, growth))
            return ENOMEM;
    }
    perms = malloc(nperms * sizeof(*perms));
    if (!perms)
        return ENOMEM;
    memcpy(perms, parent->perms, nperms * sizeof(*perms));
    if (unpriv(r))
        perms[0].id = r->c->who.domid;

    err = view_make_writable(&r->v, parent, &w);
    if (!err)
        err = node_add_child(w, path + plen + (plen > 1), childlen);
    if (err)
        goto out;
    view_changed(&r->v, w);
    /* Walk down creating each missing level. */
    n = NULL;
    while (plen < len) {
        size_t start = plen + (plen > 1);
        size_t end = start + strcspn(path + start, "/");

        err = view_create(&r->v, path, end, perms, nperms, &n);
        if (err)
            goto out;
        if (end < len) {
            size_t cstart = end + 1;

            err = node_add_child(n, path + cstart, strcspn(path + cstart, "/"));
            if (err)
                goto out;
            view_changed(&r->v, n);
        }
        plen = end;
    }
    err = node_set_data(n, data, dlen);
    if (!err)
        view_changed(&r->v, n);
    *out = n;
    if (!err)
        err = mem_after_tx(r);
out:
    if (err && r->tx)
        r->tx->failed = true;
    free(perms);
    return err;
}

int op_write(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    struct node *n, *w;
    const char *data;
    uint32_t dlen;
    int err;

    /* path, then raw data (which may contain NULs or none at the end). */
    if (r->args.count < 1)
        return EINVAL;
    data = r->buf + strlen(r->buf) + 1;
    dlen = r->len - (uint32_t)(data - r->buf);
    err = req_path(r, r->buf, false, path, &len);
    if (err)
        return err;
    err = req_get_node(r, path, len, PERM_WRITE, &n);
    if (err == ENOENT) {
        err = create_path(r, path, len, data, dlen, &n);
        if (err)
            return err;
    } else if (err) {
        return err;
    } else {
        if (too_big(r, node_quota_size(n) - n->datalen + dlen))
            return ENOSPC;
        if (!r->tx && node_owner(n) == r->c->who.domid &&
            mem_over(r, (int64_t)dlen - n->datalen))
            return ENOMEM;
        err = view_make_writable(&r->v, n, &w);
        if (!err)
            err = node_set_data(w, data, dlen);
        if (err)
            return err;
        view_changed(&r->v, w);
        n = w;
        err = mem_after_tx(r);
        if (err)
            return err;
    }
    view_event(&r->v, path, len, false, n->perms, n->nperms);
    req_ack(r);
    return 0;
}

int op_mkdir(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    struct node *n;
    int err = req_path(r, wire_onearg(r->buf, r->len), false, path, &len);

    if (err)
        return err;
    err = req_get_node(r, path, len, PERM_WRITE, &n);
    if (err == ENOENT) {
        err = create_path(r, path, len, NULL, 0, &n);
        if (err)
            return err;
        view_event(&r->v, path, len, false, n->perms, n->nperms);
    } else if (err) {
        return err;
    }
    req_ack(r);
    return 0;
}

/* Delete a subtree bottom-up, firing for every node: watches at or above
 * the top see it once; watches on nodes below see their own path. */
static int rm_sub(struct req *r, const char *path, size_t len, bool top)
{
    struct node *n;
    char *names, *child;
    int err = view_get(&r->v, path, len, &n);

    if (err || !n)
        return err;
    if (n->childlen) {
        uint32_t clen = n->childlen;

        names = malloc(clen);
        child = malloc(len + 2 + XENSTORE_PAYLOAD_MAX);
        if (!names || !child) {
            free(names);
            free(child);
            return ENOMEM;
        }
        memcpy(names, n->children, clen);
        for (uint32_t off = 0; off < clen && !err; off += (uint32_t)strlen(names + off) + 1) {
            size_t k = (size_t)sprintf(child, "%s/%s", len == 1 ? "" : path, names + off);

            err = rm_sub(r, child, k, false);
        }
        free(names);
        free(child);
        if (err)
            return err;
        err = view_get(&r->v, path, len, &n);
        if (err || !n)
            return err;
    }
    err = view_event(&r->v, path, len, !top, n->perms, n->nperms);
    if (!err)
        err = view_delete(&r->v, n);
    return err;
}

int tree_rm(struct req *r, struct node *n)
{
    char *path = strdup(n->path);
    size_t len = n->pathlen, plen = path_parent_len(n->path, n->pathlen);
    struct node *parent, *w;
    int err;

    if (!path)
        return ENOMEM;
    err = view_get(&r->v, path, plen, &parent);
    if (!err && !parent)
        err = EIO;
    if (!err)
        err = view_make_writable(&r->v, parent, &w);
    if (!err)
        err = rm_sub(r, path, len, true);
    if (!err) {
        node_del_child(w, path_base(path), strlen(path_base(path)));
        view_changed(&r->v, w);
    }
    if (err && r->tx)
        r->tx->failed = true;
    free(path);
    return err;
}

int op_rm(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    struct node *n;
    int err = req_path(r, wire_onearg(r->buf, r->len), false, path, &len);

    if (err)
        return err;
    err = req_get_node(r, path, len, PERM_WRITE, &n);
    if (err == ENOENT) {
        /* Already gone: fine if the parent exists. */
        struct node *parent;

        err = view_get(&r->v, path, path_parent_len(path, len), &parent);
        if (err)
            return err;
        if (!parent)
            return ENOENT;
        req_ack(r);
        return 0;
    }
    if (err)
        return err;
    if (len == 1)
        return EINVAL;
    err = tree_rm(r, n);
    if (!err)
        err = mem_after_tx(r);
    if (err)
        return err;
    req_ack(r);
    return 0;
}

int op_directory(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    struct node *n;
    int err = req_path(r, wire_onearg(r->buf, r->len), false, path, &len);

    if (!err)
        err = req_get_node(r, path, len, PERM_READ, &n);
    if (err)
        return err;
    /* Over 4096 bytes becomes E2BIG; libxenstore then uses DIRECTORY_PART. */
    req_reply(r, XS_DIRECTORY, n->children, n->childlen);
    return 0;
}

int op_directory_part(struct req *r)
{
    char path[REQ_PATH_MAX], gen[24];
    size_t len;
    struct node *n;
    uint32_t off, genlen, maxlen, plen = 0;
    char *out;
    int err;

    if (r->args.count != 2)
        return EINVAL;
    err = req_path(r, r->args.arg[0], false, path, &len);
    if (!err)
        err = req_get_node(r, path, len, PERM_READ, &n);
    if (err)
        return err;
    off = (uint32_t)strtoul(r->args.arg[1], NULL, 10);
    genlen = (uint32_t)snprintf(gen, sizeof(gen), "%llu", (unsigned long long)n->gen) + 1;
    if (off >= n->childlen) {
        /* Past the end: the generation and an empty string. */
        char tail[sizeof(gen) + 1];

        memcpy(tail, gen, genlen);
        tail[genlen] = 0;
        req_reply(r, XS_DIRECTORY_PART, tail, genlen + 1);
        return 0;
    }
    /* Whole names only, as many as fit with the generation. */
    maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1;
    while (off + plen < n->childlen) {
        uint32_t l = (uint32_t)strlen(n->children + off + plen);

        if (plen + l >= maxlen)
            break;
        plen += l + 1;
    }
    out = malloc(genlen + plen + 1);
    if (!out)
        return ENOMEM;
    memcpy(out, gen, genlen);
    memcpy(out + genlen, n->children + off, plen);
    if (off + plen == n->childlen)
        out[genlen + plen++] = 0;
    req_reply(r, XS_DIRECTORY_PART, out, genlen + plen);
    free(out);
    return 0;
}

int op_get_perms(struct req *r)
{
    char path[REQ_PATH_MAX], *out;
    size_t len, used = 0;
    struct node *n;
    int err = req_path(r, wire_onearg(r->buf, r->len), true, path, &len);

    if (!err)
        err = req_get_node(r, path, len, PERM_READ, &n);
    if (err)
        return err;
    out = malloc(n->nperms * 12u);
    if (!out)
        return ENOMEM;
    for (uint32_t i = 0; i < n->nperms; i++)
        used += perm_format(&n->perms[i], out + used, 12) + 1;
    req_reply(r, XS_GET_PERMS, out, (uint32_t)used);
    free(out);
    return 0;
}

int op_set_perms(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    struct node *n, *w;
    struct xs_perm *perms, *old = NULL;
    uint32_t num, oldnum;
    int err;

    if (r->args.count < 2)
        return EINVAL;
    num = r->args.count - 1;
    if (unpriv(r) && num > r->d->q.val[QUOTA_PERMS])
        return ENOSPC;
    perms = calloc(num, sizeof(*perms));
    if (!perms)
        return ENOMEM;
    err = perms_parse(r->buf + strlen(r->buf) + 1, num, perms);
    if (err)
        goto out;
    /* Entries for domains that cannot exist never match; an owner that
     * cannot exist is refused (xenstored's XS_PERM_IGNORE rule). */
    for (uint32_t i = 1; i < num; i++)
        if (perms[i].id >= DOMID_LIMIT)
            perms[i].perms |= PERM_IGNORE;
    err = ENOENT;
    if (perms[0].id >= DOMID_LIMIT)
        goto out;
    err = req_path(r, r->buf, true, path, &len);
    if (!err)
        err = req_get_node(r, path, len, PERM_WRITE | PERM_OWNER, &n);
    if (err)
        goto out;
    err = EPERM;
    if (unpriv(r) && perms[0].id != node_owner(n))
        goto out;
    err = ENOSPC;
    if (too_big(r, node_quota_size(n) - n->nperms * 8 + num * 8))
        goto out;
    if (unpriv(r) && perms[0].id != node_owner(n) &&
        view_owned(&r->v, perms[0].id) >= r->d->q.val[QUOTA_NODES])
        goto out;
    err = ENOMEM;
    if (!r->tx && node_owner(n) == r->c->who.domid &&
        mem_over(r, ((int64_t)num - n->nperms) * 8))
        goto out;
    err = ENOMEM;
    oldnum = n->nperms;
    old = malloc(oldnum * sizeof(*old));
    if (!old)
        goto out;
    memcpy(old, n->perms, oldnum * sizeof(*old));
    err = view_make_writable(&r->v, n, &w);
    if (!err)
        err = node_set_perms(w, perms, num);
    if (err)
        goto out;
    view_owner_changed(&r->v, old[0].id, perms[0].id);
    view_changed(&r->v, w);
    err = mem_after_tx(r);
    if (err)
        goto out;
    /* Those who could see the node before the change hear about it.
     * Special nodes only fire when domains come and go. */
    if (path[0] == '/')
        view_event(&r->v, path, len, false, old, oldnum);
    req_ack(r);
out:
    free(perms);
    free(old);
    return err;
}
