/*
 * control: XS_CONTROL, as sent by xenstore-control: a command name and
 * its arguments as strings. Supported: check, log, logfile, memreport,
 * print, quota, help. Unknown commands get EINVAL, as in xenstored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

#define MAX_ARGS 8

struct ctl_ctx {
    struct req *r;
    unsigned argc;              /* arguments after the command */
    const char *argv[MAX_ARGS];
};

static int reply_text(struct req *r, char *text, size_t len)
{
    if (!text)
        return ENOMEM;
    req_reply(r, XS_CONTROL, text, (uint32_t)len + 1);
    free(text);
    return 0;
}

static int ctl_check(struct ctl_ctx *x)
{
    unsigned problems = daemon_check_store(x->r->d, x->r->d->log);

    daemon_log(x->r->d, "check: %u problem(s) found and repaired", problems);
    req_ack(x->r);
    return 0;
}

static int ctl_log(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;

    if (x->argc != 1)
        return EINVAL;
    if (!strcmp(x->argv[0], "on")) {
        /* Without a trace file (-T, logfile) there is nowhere to log to;
         * xenstored acknowledges that too. */
        if (!d->trace && d->trace_path)
            d->trace = fopen(d->trace_path, "a");
    } else if (!strcmp(x->argv[0], "off")) {
        if (d->trace)
            fclose(d->trace);
        d->trace = NULL;
    } else {
        return EINVAL;
    }
    req_ack(x->r);
    return 0;
}

static int ctl_logfile(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    char *p;

    if (x->argc != 1 || !x->argv[0][0])
        return EINVAL;
    p = strdup(x->argv[0]);
    if (!p)
        return ENOMEM;
    free(d->trace_path);
    d->trace_path = p;
    if (d->trace) {
        fclose(d->trace);
        d->trace = fopen(p, "a");
    }
    req_ack(x->r);
    return 0;
}

static int ctl_print(struct ctl_ctx *x)
{
    if (x->argc != 1)
        return EINVAL;
    daemon_log(x->r->d, "print: %s", x->argv[0]);
    req_ack(x->r);
    return 0;
}

static int ctl_memreport(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    size_t nconn = 0, len;
    char *text;
    FILE *f;

    for (struct conn *c = d->conns; c; c = c->next)
        nconn++;
    f = open_memstream(&text, &len);
    if (!f)
        return ENOMEM;
    fprintf(f, "nodes: %zu\nconnections: %zu\nwatched paths: %zu\n"
               "requests: %llu\nerrors: %llu\nrefused: %llu\nclosed: %llu\n"
               "events: %llu\nevents dropped: %llu\ncommits: %llu\nconflicts: %llu\n",
            d->st.nodes.count, nconn, d->watches.count,
            (unsigned long long)d->stats.requests, (unsigned long long)d->stats.errors,
            (unsigned long long)d->stats.refused, (unsigned long long)d->stats.closed,
            (unsigned long long)d->stats.events, (unsigned long long)d->stats.events_dropped,
            (unsigned long long)d->stats.commits, (unsigned long long)d->stats.conflicts);
    fclose(f);
    return reply_text(x->r, text, len);
}

static bool parse_uint(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v;

    if (!*s || *s == '-')
        return false;
    v = strtoul(s, &end, 10);
    if (*end || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* quota                 list the limits
 * quota <domid>         a domain's usage
 * quota <name> <value>  change a limit */
static int ctl_quota(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    uint32_t v;
    char *text;
    size_t len;
    FILE *f;

    if (x->argc == 2) {
        int q = quota_lookup(x->argv[0]);

        if (q < 0 || !parse_uint(x->argv[1], &v))
            return EINVAL;
        d->q.val[q] = v;
        req_ack(x->r);
        return 0;
    }
    if (x->argc > 2)
        return EINVAL;
    f = open_memstream(&text, &len);
    if (!f)
        return ENOMEM;
    if (x->argc == 0) {
        for (int i = 0; i < QUOTA_COUNT; i++)
            fprintf(f, "%-17s: %8u %s\n", quota_defs[i].name, d->q.val[i],
                    quota_defs[i].descr);
    } else {
        struct domain *dom;
        struct conn *c;

        if (!parse_uint(x->argv[0], &v) || v >= DOMID_LIMIT) {
            fclose(f);
            free(text);
            return EINVAL;
        }
        dom = domain_find(d, v);
        if (!dom && v != 0) {
            fclose(f);
            free(text);
            return ENOENT;
        }
        c = dom ? dom->conn : NULL;
        fprintf(f, "%-16s: %8u\n%-16s: %8u\n%-16s: %8u\n%-16s: %8u\n",
                "nodes", d->st.owned[v], "watches", c ? c->nwatches : 0,
                "transactions", c ? c->ntxns : 0, "outstanding", c ? c->out_replies : 0);
    }
    fclose(f);
    return reply_text(x->r, text, len);
}

static int ctl_help(struct ctl_ctx *x);

static const struct {
    const char *name;
    int (*fn)(struct ctl_ctx *x);
    const char *usage;
} commands[] = {
    { "check", ctl_check, "check" },
    { "help", ctl_help, "help" },
    { "log", ctl_log, "log on|off" },
    { "logfile", ctl_logfile, "logfile <file>" },
    { "memreport", ctl_memreport, "memreport" },
    { "print", ctl_print, "print <string>" },
    { "quota", ctl_quota, "quota [<domid>|<quota> <value>]" },
};

static int ctl_help(struct ctl_ctx *x)
{
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return ENOMEM;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "%s\n", commands[i].usage);
    fclose(f);
    return reply_text(x->r, text, len);
}

int op_control(struct req *r)
{
    struct ctl_ctx x = { .r = r };

    if (r->args.count < 1 || r->args.count > MAX_ARGS + 1)
        return EINVAL;
    x.argc = r->args.count - 1;
    for (unsigned i = 0; i < x.argc && i + 1 < WIRE_MAX_ARGS; i++)
        x.argv[i] = r->args.arg[i + 1];
    if (x.argc + 1 > WIRE_MAX_ARGS)
        return EINVAL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(r->args.arg[0], commands[i].name))
            return commands[i].fn(&x);
    return EINVAL;
}
