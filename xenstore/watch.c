/* watch: registration, path index, event delivery (see watch.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

static struct watch_bucket *bucket_find(struct daemon *d, const char *path, size_t len)
{
    struct hentry *e = htab_find(&d->watches, path, len);

    return e ? container_of(e, struct watch_bucket, h) : NULL;
}

int watch_add(struct daemon *d, struct conn *c, const char *path, size_t len,
              bool relative, const char *token, struct watch **out)
{
    struct watch_bucket *b = bucket_find(d, path, len);
    struct watch *w;

    if (b)
        for (w = b->list; w; w = w->path_next)
            if (w->conn == c && !strcmp(w->token, token))
                return EEXIST;
    /* xenstored 4.17 checks the count before adding, with '>'. */
    if (!c->who.privileged && c->nwatches > d->q.val[QUOTA_WATCHES])
        return E2BIG;
    if (!c->who.privileged &&
        conn_mem_usage(c) + len + strlen(token) > d->q.val[QUOTA_MEMORY])
        return ENOMEM;
    w = calloc(1, sizeof(*w));
    if (!w)
        return ENOMEM;
    w->token = strdup(token);
    if (!w->token) {
        free(w);
        return ENOMEM;
    }
    if (!b) {
        b = calloc(1, sizeof(*b) + len + 1);
        if (!b) {
            free(w->token);
            free(w);
            return ENOMEM;
        }
        memcpy(b->path, path, len);
        b->pathlen = len;
        htab_insert(&d->watches, &b->h, b->path, len);
    }
    w->bucket = b;
    w->conn = c;
    w->relative = relative;
    w->path_next = b->list;
    b->list = w;
    w->conn_next = c->watches;
    c->watches = w;
    c->nwatches++;
    c->watch_bytes += len + strlen(token);
    *out = w;
    return 0;
}

static void unlink_watch(struct daemon *d, struct watch *w)
{
    struct watch_bucket *b = w->bucket;
    struct watch **pp;

    w->conn->watch_bytes -= b->pathlen + strlen(w->token);
    for (pp = &b->list; *pp; pp = &(*pp)->path_next)
        if (*pp == w) {
            *pp = w->path_next;
            break;
        }
    if (!b->list) {
        htab_remove(&d->watches, &b->h);
        free(b);
    }
    w->conn->nwatches--;
    free(w->token);
    free(w);
}

int watch_remove(struct daemon *d, struct conn *c, const char *path, size_t len,
                 const char *token)
{
    struct watch **pp;

    for (pp = &c->watches; *pp; pp = &(*pp)->conn_next) {
        struct watch *w = *pp;

        if (w->bucket->pathlen == len && !memcmp(w->bucket->path, path, len) &&
            !strcmp(w->token, token)) {
            *pp = w->conn_next;
            unlink_watch(d, w);
            return 0;
        }
    }
    return ENOENT;
}

void watch_remove_all(struct daemon *d, struct conn *c)
{
    while (c->watches) {
        struct watch *w = c->watches;

        c->watches = w->conn_next;
        unlink_watch(d, w);
    }
}

/* The path as this watch reports it: relative to the home directory for
 * watches registered with a relative path. */
static void deliver(struct watch *w, const char *path, size_t len)
{
    struct conn *c = w->conn;

    if (w->relative && len > c->homelen && !memcmp(path, c->home, c->homelen) &&
        path[c->homelen] == '/') {
        path += c->homelen + 1;
        len -= c->homelen + 1;
    }
    conn_event(c, path, len, w->token);
}

void watch_fire_initial(struct daemon *d, struct watch *w)
{
    struct conn *req = d->cur_req;

    /* Not the WATCH request's event: it does not hold the watcher
     * (xenstored 4.17 does not link it either). */
    d->cur_req = NULL;
    deliver(w, w->bucket->path, w->bucket->pathlen);
    d->cur_req = req;
}

static bool can_read(const struct xs_who *who, const struct node *n)
{
    return n && (perm_for(who, n->perms, n->nperms) & PERM_READ);
}

/* xenstored's watch_permitted(): the node now, the node before, or its
 * parent must be readable by the watcher. */
static bool permitted(struct daemon *d, const struct conn *c, const char *path, size_t len,
                      const struct xs_perm *perms, unsigned nperms)
{
    if (c->who.privileged)
        return true;
    if (perms && (perm_for(&c->who, perms, nperms) & PERM_READ))
        return true;
    if (can_read(&c->who, store_lookup(&d->st, path, len)))
        return true;
    if (path[0] != '/')
        return false;
    return can_read(&c->who, store_lookup(&d->st, path, path_parent_len(path, len)));
}

static void fire_bucket(struct daemon *d, const char *bpath, size_t blen,
                        const char *path, size_t len,
                        const struct xs_perm *perms, unsigned nperms)
{
    struct watch_bucket *b = bucket_find(d, bpath, blen);

    if (!b)
        return;
    for (struct watch *w = b->list; w; w = w->path_next)
        if (permitted(d, w->conn, path, len, perms, nperms))
            deliver(w, path, len);
}

void watch_fire(struct daemon *d, const char *path, size_t len, bool exact,
                const struct xs_perm *perms, unsigned nperms)
{
    if (!d->watches.count)
        return;
    if (exact || path[0] != '/') {
        fire_bucket(d, path, len, path, len, perms, nperms);
        return;
    }
    /* "/" then every ancestor, then the path itself. */
    fire_bucket(d, "/", 1, path, len, perms, nperms);
    for (size_t i = 1; i < len; i++)
        if (path[i] == '/')
            fire_bucket(d, path, i, path, len, perms, nperms);
    if (len > 1)
        fire_bucket(d, path, len, path, len, perms, nperms);
}
