/*
 * watch: xenstore watches.
 *
 * A watch on a path fires for changes at or below it (a watch on "/" sees
 * every node). Each event carries the changed path and the watch's token;
 * a watch registered with a relative path gets paths relative to the
 * connection's home (/local/domain/<id>). The special paths
 * "@introduceDomain" and "@releaseDomain" fire only when a domain is
 * introduced or released. Every new watch fires once at once, so a client
 * can read the current state and then wait.
 *
 * A watcher gets an event only if it may read the node, or could read it
 * before the change (deletions, permission changes), or may read its
 * parent, as in xenstored.
 *
 * Watches are indexed by path: an event on /a/b/c looks up "/", "/a",
 * "/a/b" and "/a/b/c" instead of scanning every watch of every client.
 */
#ifndef PVSTORED_WATCH_H
#define PVSTORED_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "htab.h"
#include "perms.h"

struct conn;
struct daemon;

struct watch {
    struct watch *conn_next;
    struct watch *path_next;
    struct watch_bucket *bucket;
    struct conn *conn;
    bool relative;
    char *token;
};

struct watch_bucket {
    struct hentry h;
    struct watch *list;
    size_t pathlen;
    char path[];
};

/* 0, EEXIST (same path and token), E2BIG (quota) or ENOMEM. */
int watch_add(struct daemon *d, struct conn *c, const char *path, size_t len,
              bool relative, const char *token, struct watch **out);
/* 0 or ENOENT. */
int watch_remove(struct daemon *d, struct conn *c, const char *path, size_t len,
                 const char *token);
void watch_remove_all(struct daemon *d, struct conn *c);
/* Deliver the initial event of a new watch. */
void watch_fire_initial(struct daemon *d, struct watch *w);
/* An event on `path`. exact: only watches on the path itself (used for
 * the nodes below a deleted one). perms: permissions that also grant
 * visibility (the node's before the change), may be NULL. */
void watch_fire(struct daemon *d, const char *path, size_t len, bool exact,
                const struct xs_perm *perms, unsigned nperms);

#endif
