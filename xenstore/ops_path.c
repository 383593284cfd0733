/* ops_path: path canonicalisation and permission-checked lookups. */
#include <stdio.h>
#include <string.h>

#include "ops.h"

static bool valid_chars(const char *s)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                             "0123456789-/_@";

    return s[strspn(s, ok)] == 0;
}

/* Length of a "/local/domain/<id>/" prefix (up to 5 digits, as
 * xenstored's sscanf("%5u")), which the path-length quota does not count. */
static size_t home_prefix_len(const char *p)
{
    static const char pre[] = "/local/domain/";
    size_t n = sizeof(pre) - 1, digits = 0;

    if (strncmp(p, pre, n))
        return 0;
    while (p[n + digits] >= '0' && p[n + digits] <= '9' && digits < 5)
        digits++;
    if (!digits || p[n + digits] != '/')
        return 0;
    return n + digits + 1;
}

int req_path(const struct req *r, const char *arg, bool allow_special,
             char *out, size_t *outlen)
{
    size_t len;

    if (!arg || !valid_chars(arg))
        return EINVAL;
    if (arg[0] == '@') {
        len = strlen(arg);
        if (!allow_special || len > XS_REL_PATH_MAX)
            return EINVAL;
        memcpy(out, arg, len + 1);
        *outlen = len;
        return 0;
    }
    if (arg[0] == '/') {
        len = strlen(arg);
        if (len >= REQ_PATH_MAX)
            return EINVAL;
        memcpy(out, arg, len + 1);
    } else {
        int n = snprintf(out, REQ_PATH_MAX, "%s/%s", r->c->home, arg);

        if (n < 0 || n >= REQ_PATH_MAX)
            return EINVAL;
        len = (size_t)n;
    }
    if (len > 1 && out[len - 1] == '/')
        return EINVAL;
    if (strstr(out, "//"))
        return EINVAL;
    if (len > XS_ABS_PATH_MAX)
        return EINVAL;
    if (len > home_prefix_len(out) + r->d->q.val[QUOTA_PATH_LENGTH])
        return EINVAL;
    *outlen = len;
    return 0;
}

/* Parent of a canonical path; '@' names hang off "/" as in xenstored. */
static size_t parent_len(const char *path, size_t len)
{
    return path[0] == '/' ? path_parent_len(path, len) : 1;
}

int req_get_node(struct req *r, const char *path, size_t len, unsigned perm,
                 struct node **out)
{
    struct node *n, *anc = NULL;
    int err, want;
    const char *p = path;
    size_t plen = len;

    err = view_get(&r->v, path, len, &n);
    if (err)
        return err;
    if (n && (perm_for(&r->c->who, n->perms, n->nperms) & perm) == perm) {
        *out = n;
        return 0;
    }
    want = n ? EACCES : ENOENT;
    /* Do not reveal whether a node exists to someone who may not see its
     * nearest existing ancestor (xenstored's errno_from_parents()). */
    while (!anc && !(plen == 1 && p[0] == '/')) {
        plen = parent_len(p, plen);
        if (plen == 1)
            p = "/";
        err = view_get(&r->v, p, plen, &anc);
        if (err)
            return err;
    }
    if (!anc)
        return EACCES;
    return (perm_for(&r->c->who, anc->perms, anc->nperms) & perm) ? want : EACCES;
}

void req_reply(struct req *r, uint32_t type, const void *data, uint32_t len)
{
    conn_reply(r->c, r->hdr, type, data, len);
}

void req_ack(struct req *r)
{
    req_reply(r, r->hdr->type, "OK", 3);
}
