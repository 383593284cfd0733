/* ops_domain: INTRODUCE, RELEASE, RESUME, SET_TARGET,
 * IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH. Domain ids are parsed with atoi()
 * semantics, as xenstored does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

#define DOMID_SELF 0x7ff0u

static uint32_t parse_domid(const char *s)
{
    return (uint32_t)atoi(s);
}

/* A single domid argument naming an introduced domain other than dom0. */
static int onearg_domain(struct req *r, struct domain **out)
{
    const char *arg = wire_onearg(r->buf, r->len);
    uint32_t domid;

    if (!arg)
        return EINVAL;
    domid = parse_domid(arg);
    if (!domid)
        return EINVAL;
    *out = domain_find(r->d, domid);
    return *out ? 0 : ENOENT;
}

int op_introduce(struct req *r)
{
    uint32_t domid;
    int port, err;
    uint64_t mfn;

    if (r->args.count < 3)
        return EINVAL;
    domid = parse_domid(r->args.arg[0]);
    mfn = strtoull(r->args.arg[1], NULL, 10);
    port = atoi(r->args.arg[2]);
    if (port <= 0 || domid >= DOMID_LIMIT)
        return EINVAL;
    err = domain_introduce(r->d, domid, mfn, (uint32_t)port);
    if (err)
        return err;
    req_ack(r);
    return 0;
}

int op_release(struct req *r)
{
    struct domain *dom;
    int err = onearg_domain(r, &dom);

    if (!err && dom->conn == r->c)
        return EINVAL;  /* a domain cannot release itself */
    if (!err)
        err = domain_release(r->d, dom->domid);
    if (err)
        return err;
    req_ack(r);
    return 0;
}

int op_resume(struct req *r)
{
    struct domain *dom;
    int err = onearg_domain(r, &dom);

    if (err)
        return err;
    dom->shutdown = false;
    req_ack(r);
    return 0;
}

int op_set_target(struct req *r)
{
    struct domain *dom, *target;

    if (r->args.count < 2)
        return EINVAL;
    dom = domain_find(r->d, parse_domid(r->args.arg[0]));
    target = domain_find(r->d, parse_domid(r->args.arg[1]));
    if (!dom || !target)
        return ENOENT;
    if (!dom->conn || !target->conn)
        return EINVAL;
    dom->conn->who.has_target = true;
    dom->conn->who.target = target->domid;
    req_ack(r);
    return 0;
}

int op_is_domain_introduced(struct req *r)
{
    const char *arg = wire_onearg(r->buf, r->len);
    uint32_t domid;
    bool yes;

    if (!arg)
        return EINVAL;
    domid = parse_domid(arg);
    /* As xenstored: DOMID_SELF is always introduced; dom0 is served
     * whether or not its own ring is. */
    yes = domid == DOMID_SELF || domid == 0 || domain_find(r->d, domid);
    req_reply(r, XS_IS_DOMAIN_INTRODUCED, yes ? "T" : "F", 2);
    return 0;
}

int op_get_domain_path(struct req *r)
{
    const char *arg = wire_onearg(r->buf, r->len);
    char path[32];
    int n;

    if (!arg)
        return EINVAL;
    n = snprintf(path, sizeof(path), "/local/domain/%u", parse_domid(arg));
    req_reply(r, XS_GET_DOMAIN_PATH, path, (uint32_t)n + 1);
    return 0;
}
