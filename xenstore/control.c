/*
 * control: XS_CONTROL, as sent by xenstore-control: a command name and
 * its arguments as strings. The commands, their arguments, replies and
 * errors are Xen 4.17's: check, log, logfile, memreport, print, quota,
 * quota-soft, help. Unknown commands get EINVAL.
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
    unsigned problems;

    if (x->argc)
        return EINVAL;
    problems = daemon_check_store(x->r->d, x->r->d->log);
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
    if (d->trace)
        fclose(d->trace);
    d->trace = fopen(p, "a");
    req_ack(x->r);
    return 0;
}

static int ctl_print(struct ctl_ctx *x)
{
    if (x->argc != 1)
        return EINVAL;
    daemon_log(x->r->d, "control: %s", x->argv[0]);
    if (x->r->d->trace) {
        fprintf(x->r->d->trace, "control: %s\n", x->argv[0]);
        fflush(x->r->d->trace);
    }
    req_ack(x->r);
    return 0;
}

static void memreport(struct daemon *d, FILE *f)
{
    size_t nconn = 0;

    for (struct conn *c = d->conns; c; c = c->next)
        nconn++;
    fprintf(f, "nodes: %zu\nconnections: %zu\nwatched paths: %zu\n"
               "requests: %llu\nerrors: %llu\nrefused: %llu\nclosed: %llu\n"
               "events: %llu\nevents dropped: %llu\nduplicate events dropped: %llu\n"
               "commits: %llu\nconflicts: %llu\n",
            d->st.nodes.count, nconn, d->watches.count,
            (unsigned long long)d->stats.requests, (unsigned long long)d->stats.errors,
            (unsigned long long)d->stats.refused, (unsigned long long)d->stats.closed,
            (unsigned long long)d->stats.events, (unsigned long long)d->stats.events_dropped,
            (unsigned long long)d->stats.events_deduped,
            (unsigned long long)d->stats.commits, (unsigned long long)d->stats.conflicts);
}

/* memreport [<file>]: like xenstored, to the file or the trace file. With
 * neither, xenstored fails (EBADF, sent as EINVAL); pvstored replies with
 * the report instead. */
static int ctl_memreport(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    FILE *f;
    char *text;
    size_t len;

    if (x->argc > 1)
        return EINVAL;
    if (x->argc == 1 || d->trace) {
        f = x->argc ? fopen(x->argv[0], "a") : d->trace;
        if (!f)
            return EINVAL;
        memreport(d, f);
        if (x->argc)
            fclose(f);
        else
            fflush(f);
        req_ack(x->r);
        return 0;
    }
    f = open_memstream(&text, &len);
    if (!f)
        return ENOMEM;
    memreport(d, f);
    fclose(f);
    return reply_text(x->r, text, len);
}

/* Usage of a domain (xenstored's domain_get_quota()). */
static int quota_get(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    uint32_t domid = (uint32_t)atoi(x->argv[0]);
    struct domain *dom = domain_find(d, domid);
    struct conn *c = dom ? dom->conn : NULL;
    uint64_t memory;
    char *text;
    size_t len;
    FILE *f;

    if ((!dom && domid != 0) || domid >= DOMID_LIMIT)
        return ENOENT;
    memory = c ? conn_mem_usage(c) : d->st.mem[domid];
    f = open_memstream(&text, &len);
    if (!f)
        return ENOMEM;
    fprintf(f, "Domain %u:\n", domid);
    fprintf(f, "%-16s: %8u\n", "nodes", d->st.owned[domid]);
    fprintf(f, "%-16s: %8u\n", "watches", c ? c->nwatches : 0);
    fprintf(f, "%-16s: %8u\n", "transactions", c ? c->ntxns : 0);
    fprintf(f, "%-16s: %8u\n", "outstanding", c ? c->out_replies : 0);
    fprintf(f, "%-16s: %8llu\n", "memory", (unsigned long long)memory);
    fclose(f);
    return reply_text(x->r, text, len);
}

/* quota                      list the limits
 * quota set <name> <value>   change one
 * quota <domid>              a domain's usage */
static int ctl_quota(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    char *text;
    size_t len;
    FILE *f;

    if (x->argc == 0) {
        f = open_memstream(&text, &len);
        if (!f)
            return ENOMEM;
        fputs("Quota settings:\n", f);
        for (int i = 0; i < QUOTA_COUNT; i++)
            fprintf(f, "%-17s: %8u %s\n", quota_defs[i].name, d->q.val[i],
                    quota_defs[i].descr);
        fclose(f);
        return reply_text(x->r, text, len);
    }
    if (!strcmp(x->argv[0], "set")) {
        int q, val;

        if (x->argc != 3)
            return EINVAL;
        q = quota_lookup(x->argv[1]);
        val = atoi(x->argv[2]);
        if (q < 0 || val < 1)
            return EINVAL;
        d->q.val[q] = (uint32_t)val;
        req_ack(x->r);
        return 0;
    }
    if (x->argc != 1)
        return EINVAL;
    return quota_get(x);
}

/* Soft quotas (4.17: memory only) warn in the log instead of refusing. */
static int ctl_quota_soft(struct ctl_ctx *x)
{
    struct daemon *d = x->r->d;
    char text[128];
    int n;

    if (x->argc == 0) {
        n = snprintf(text, sizeof(text), "Quota settings:\n%-17s: %8u %s\n", "memory",
                     d->q.memory_soft, "Total Xenstore memory per domain (warning level)");
        req_reply(x->r, XS_CONTROL, text, (uint32_t)n + 1);
        return 0;
    }
    if (x->argc == 3 && !strcmp(x->argv[0], "set") && !strcmp(x->argv[1], "memory") &&
        atoi(x->argv[2]) >= 1) {
        d->q.memory_soft = (uint32_t)atoi(x->argv[2]);
        req_ack(x->r);
        return 0;
    }
    return EINVAL;
}

static int ctl_help(struct ctl_ctx *x);

static const struct {
    const char *name;
    int (*fn)(struct ctl_ctx *x);
    const char *pars;
} commands[] = {
    { "check", ctl_check, "" },
    { "log", ctl_log, "on|off" },
    { "logfile", ctl_logfile, "<file>" },
    { "memreport", ctl_memreport, "[<file>]" },
    { "print", ctl_print, "<string>" },
    { "quota", ctl_quota, "[set <name> <val>|<domid>]" },
    { "quota-soft", ctl_quota_soft, "[set <name> <val>]" },
    { "help", ctl_help, "" },
};

static int ctl_help(struct ctl_ctx *x)
{
    char *text;
    size_t len;
    FILE *f;

    if (x->argc)
        return EINVAL;
    f = open_memstream(&text, &len);
    if (!f)
        return ENOMEM;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "%s\t%s\n", commands[i].name, commands[i].pars);
    fclose(f);
    return reply_text(x->r, text, len);
}

int op_control(struct req *r)
{
    struct ctl_ctx x = { .r = r };

    if (r->args.count < 1)
        return EINVAL;
    if (r->args.count > WIRE_MAX_ARGS)
        return EINVAL;
    x.argc = r->args.count - 1;
    for (unsigned i = 0; i < x.argc; i++)
        x.argv[i] = r->args.arg[i + 1];
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(r->args.arg[0], commands[i].name))
            return commands[i].fn(&x);
    return EINVAL;
}
