/* daemon: state, initial tree, the dispatch table, logging. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops.h"

#define FLAG_NOTID 1u   /* the header's tx_id is ignored */
#define FLAG_PRIV  2u   /* privileged connections only (EACCES) */

struct op_def {
    int (*fn)(struct req *r);
    unsigned flags;
};

/* Xen 4.17 xenstored's wire_funcs table: only WATCH and UNWATCH ignore
 * the transaction id; every other request has it looked up (ENOENT if
 * unknown), the domain requests included. */
static const struct op_def ops[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { op_control, FLAG_PRIV },
    [XS_DIRECTORY] = { op_directory, 0 },
    [XS_READ] = { op_read, 0 },
    [XS_GET_PERMS] = { op_get_perms, 0 },
    [XS_WATCH] = { op_watch, FLAG_NOTID },
    [XS_UNWATCH] = { op_unwatch, FLAG_NOTID },
    [XS_TRANSACTION_START] = { op_transaction_start, 0 },
    [XS_TRANSACTION_END] = { op_transaction_end, 0 },
    [XS_INTRODUCE] = { op_introduce, FLAG_PRIV },
    [XS_RELEASE] = { op_release, FLAG_PRIV },
    [XS_GET_DOMAIN_PATH] = { op_get_domain_path, 0 },
    [XS_WRITE] = { op_write, 0 },
    [XS_MKDIR] = { op_mkdir, 0 },
    [XS_RM] = { op_rm, 0 },
    [XS_SET_PERMS] = { op_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { op_is_domain_introduced, FLAG_PRIV },
    [XS_RESUME] = { op_resume, FLAG_PRIV },
    [XS_SET_TARGET] = { op_set_target, FLAG_PRIV },
    [XS_RESET_WATCHES] = { op_reset_watches, 0 },
    [XS_DIRECTORY_PART] = { op_directory_part, 0 },
};

static void fire_now(void *ctx, const char *path, size_t len, bool exact,
                     const struct xs_perm *perms, uint32_t nperms)
{
    watch_fire(ctx, path, len, exact, perms, nperms);
}

void daemon_view(struct daemon *d, struct conn *c, struct txn *tx, struct view *v)
{
    v->st = &d->st;
    v->tx = tx;
    v->max_access = !c || c->who.privileged ? 0 : d->q.val[QUOTA_TRANS_NODES];
    v->fire = fire_now;
    v->fire_ctx = d;
}

static int add_initial(struct daemon *d, const char *path, const char *child)
{
    struct xs_perm p = { .id = 0, .perms = PERM_NONE };
    struct node *n = node_alloc(path, strlen(path));

    if (!n || node_set_perms(n, &p, 1) ||
        (child && node_add_child(n, child, strlen(child)))) {
        node_free(n);
        return ENOMEM;
    }
    store_insert(&d->st, n);
    return 0;
}

uint64_t daemon_now_ms(const struct daemon *d)
{
    struct timespec ts;

    if (d->fake_now_ms)
        return d->fake_now_ms;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int daemon_init(struct daemon *d)
{
    memset(d, 0, sizeof(*d));
    quota_defaults(&d->q);
    d->event_timeout_ms = 20000;
    d->log = stderr;
    if (store_init(&d->st) || htab_init(&d->watches, 64))
        return ENOMEM;
    /* xenstored's setup_structure(). */
    if (add_initial(d, "/", "tool") || add_initial(d, "/tool", "xenstored") ||
        add_initial(d, "/tool/xenstored", NULL) ||
        add_initial(d, "@releaseDomain", NULL) || add_initial(d, "@introduceDomain", NULL))
        return ENOMEM;
    return 0;
}

void daemon_fini(struct daemon *d)
{
    while (d->conns)
        conn_free(d->conns);
    while (d->domains) {
        struct domain *dom = d->domains;

        d->domains = dom->next;
        free(dom);
    }
    if (d->backend && d->backend->destroy)
        d->backend->destroy(d->backend);
    store_destroy(&d->st);
    htab_destroy(&d->watches);
    if (d->trace)
        fclose(d->trace);
    free(d->trace_path);
    free(d->check_owned);
    free(d->check_mem);
    free(d->check_seen);
}

static bool log_budget(struct daemon *d);

/* The soft memory quota only warns, once per crossing either way. */
static void note_soft_memory(struct daemon *d, struct conn *c)
{
    bool over = conn_mem_usage(c) > d->q.memory_soft;

    if (over == c->over_soft_memory)
        return;
    c->over_soft_memory = over;
    /* A guest can cross the line both ways with every request: these
     * lines share the refusals' rate limit. */
    if (!log_budget(d))
        return;
    fprintf(d->log, "pvstored: Domain %u %s\n", c->who.domid,
            over ? "exceeds soft memory quota" : "below soft memory quota again");
    fflush(d->log);
}

void daemon_dispatch(struct conn *c)
{
    struct daemon *d = c->d;
    const struct xsd_sockmsg *hdr = &c->hdr;
    const struct op_def *op = hdr->type < XS_TYPE_COUNT ? &ops[hdr->type] : NULL;
    struct req r = { .d = d, .c = c, .hdr = hdr, .buf = c->in_buf, .len = hdr->len };
    int err;

    d->stats.requests++;
    if (d->trace)
        daemon_trace_io(d, c, "IN", hdr, c->in_buf);
    if (!op || !op->fn) {
        d->stats.refused++;
        daemon_refused(d, c, "unknown message type %u", hdr->type);
        conn_error(c, hdr, ENOSYS);
        return;
    }
    if ((op->flags & FLAG_PRIV) && !c->who.privileged) {
        conn_error(c, hdr, EACCES);
        return;
    }
    if (!(op->flags & FLAG_NOTID) && hdr->tx_id) {
        r.tx = conn_find_txn(c, hdr->tx_id);
        if (!r.tx) {
            conn_error(c, hdr, ENOENT);
            return;
        }
    }
    wire_split(r.buf, r.len, &r.args);
    daemon_view(d, c, r.tx, &r.v);
    d->cur_req = c->who.privileged ? NULL : c;
    d->cur_pend = NULL;
    err = op->fn(&r);
    d->cur_req = NULL;
    d->cur_pend = NULL;
    if (err)
        conn_error(c, hdr, err);
    if (!c->who.privileged)
        note_soft_memory(d, c);
}

void daemon_tick(struct daemon *d)
{
    for (struct conn *c = d->conns; c; c = c->next)
        conn_expire_events(c);
}

void daemon_log(struct daemon *d, const char *fmt, ...)
{
    va_list ap;

    if (!d->log)
        return;
    fprintf(d->log, "pvstored: ");
    va_start(ap, fmt);
    vfprintf(d->log, fmt, ap);
    va_end(ap);
    fputc('\n', d->log);
    fflush(d->log);
}

/* At most 20 lines a second of what clients can make us log (refusals,
 * soft-quota crossings); the rest are counted and summarised, so a client
 * cannot fill the disk. False if this line is to be suppressed. */
static bool log_budget(struct daemon *d)
{
    long now = (long)time(NULL);

    if (!d->log)
        return false;
    if (now != d->log_second) {
        if (d->log_suppressed)
            fprintf(d->log, "pvstored: refused: %llu more refusals and quota notices not shown\n",
                    (unsigned long long)d->log_suppressed);
        d->log_second = now;
        d->log_budget = 20;
        d->log_suppressed = 0;
    }
    if (!d->log_budget) {
        d->log_suppressed++;
        return false;
    }
    d->log_budget--;
    return true;
}

void daemon_refused(struct daemon *d, const struct conn *c, const char *fmt, ...)
{
    va_list ap;

    if (!log_budget(d))
        return;
    fprintf(d->log, "pvstored: refused: %s: ", c ? c->desc : "-");
    va_start(ap, fmt);
    vfprintf(d->log, fmt, ap);
    va_end(ap);
    fputc('\n', d->log);
    fflush(d->log);
}

void daemon_trace_io(struct daemon *d, const struct conn *c, const char *dir,
                     const struct xsd_sockmsg *hdr, const char *payload)
{
    const char *name = wire_type_name(hdr->type);

    fprintf(d->trace, "%s %s %s (", dir, c->desc, name ? name : "**UNKNOWN**");
    for (uint32_t i = 0; i < hdr->len && i < 256; i++) {
        unsigned char ch = (unsigned char)payload[i];

        fputc(ch >= 32 && ch < 127 ? ch : ' ', d->trace);
    }
    fputs(")\n", d->trace);
    fflush(d->trace);
}
