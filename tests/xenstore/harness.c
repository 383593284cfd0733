/* harness: in-process pvstored for Check tests (see harness.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

struct daemon *th_d;
static struct tc conns[16];
static unsigned nconns;

void th_setup(void)
{
    th_d = calloc(1, sizeof(*th_d));
    ck_assert_ptr_nonnull(th_d);
    ck_assert_int_eq(daemon_init(th_d), 0);
    th_d->log = NULL;
    memset(conns, 0, sizeof(conns));
    nconns = 0;
}

void th_teardown(void)
{
    daemon_fini(th_d);
    free(th_d);
    th_d = NULL;
}

struct tc *th_conn(uint32_t domid, bool privileged)
{
    struct tc *t;
    char desc[16];

    ck_assert_uint_lt(nconns, 16);
    t = &conns[nconns++];
    snprintf(desc, sizeof(desc), "test-dom%u", domid);
    t->c = conn_new(th_d, NULL, NULL, domid, privileged, desc);
    ck_assert_ptr_nonnull(t->c);
    return t;
}

/* Move everything queued on the connection: events to the event list,
 * and the first reply (if any) to the caller. */
static bool collect(struct tc *t, uint32_t *type, char *out, uint32_t *outlen)
{
    bool got = false;
    const char *p;
    size_t len;

    while ((p = conn_out_peek(t->c, &len))) {
        struct xsd_sockmsg h;
        const char *body = p + XS_HDR_LEN;

        memcpy(&h, p, sizeof(h));
        ck_assert_uint_eq(len, XS_HDR_LEN + h.len);
        if (h.type == XS_WATCH_EVENT) {
            unsigned slot = (t->head + t->nev) % 256;

            ck_assert_uint_lt(t->nev, 256);
            snprintf(t->evpath[slot], sizeof(t->evpath[slot]), "%s", body);
            snprintf(t->evtoken[slot], sizeof(t->evtoken[slot]), "%s", body + strlen(body) + 1);
            t->nev++;
        } else if (!got) {
            got = true;
            *type = h.type;
            if (out) {
                memcpy(out, body, h.len);
                out[h.len] = 0;
            }
            if (outlen)
                *outlen = h.len;
        } else {
            ck_abort_msg("two replies to one request");
        }
        conn_out_advance(t->c, len);
    }
    return got;
}

uint32_t th_req(struct tc *t, uint32_t type, uint32_t tx, const void *payload,
                uint32_t len, char *out, uint32_t *outlen)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 77, .tx_id = tx, .len = len };
    uint32_t rtype = 0xffffffff;
    size_t n;

    n = conn_input(t->c, (const char *)&h, sizeof(h));
    ck_assert_uint_eq(n, sizeof(h));
    if (len) {
        n = conn_input(t->c, payload, len);
        ck_assert_uint_eq(n, len);
    }
    ck_assert_msg(collect(t, &rtype, out, outlen), "no reply to %s",
                  wire_type_name(type) ? wire_type_name(type) : "?");
    return rtype;
}

uint32_t th_reqs(struct tc *t, uint32_t type, uint32_t tx, char *out, int n, ...)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t len = 0;
    va_list ap;

    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *s = va_arg(ap, const char *);
        size_t l = strlen(s) + 1;

        ck_assert_uint_le(len + l, sizeof(buf));
        memcpy(buf + len, s, l);
        len += (uint32_t)l;
    }
    va_end(ap);
    return th_req(t, type, tx, buf, len, out, NULL);
}

int th_err(uint32_t type, const char *payload)
{
    if (type != XS_ERROR)
        return 0;
    return wire_error_from_name(payload);
}

static int simple(struct tc *t, uint32_t type, uint32_t tx, const char *path, char *out)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t r = th_reqs(t, type, tx, buf, 1, path);

    if (r == XS_ERROR)
        return th_err(r, buf);
    ck_assert_uint_eq(r, type);
    if (out)
        strcpy(out, buf);
    return 0;
}

int th_write(struct tc *t, uint32_t tx, const char *path, const char *value)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    size_t pl = strlen(path) + 1, vl = strlen(value);
    uint32_t r;

    ck_assert_uint_le(pl + vl, XENSTORE_PAYLOAD_MAX);
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, vl);
    r = th_req(t, XS_WRITE, tx, buf, (uint32_t)(pl + vl), buf, NULL);
    if (r == XS_ERROR)
        return th_err(r, buf);
    ck_assert_uint_eq(r, XS_WRITE);
    ck_assert_str_eq(buf, "OK");
    return 0;
}

int th_read(struct tc *t, uint32_t tx, const char *path, char *out)
{
    return simple(t, XS_READ, tx, path, out);
}

int th_mkdir(struct tc *t, uint32_t tx, const char *path)
{
    return simple(t, XS_MKDIR, tx, path, NULL);
}

int th_rm(struct tc *t, uint32_t tx, const char *path)
{
    return simple(t, XS_RM, tx, path, NULL);
}

int th_dir(struct tc *t, uint32_t tx, const char *path, char *out, uint32_t *len)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t r = th_req(t, XS_DIRECTORY, tx, path, (uint32_t)strlen(path) + 1, buf, len);

    if (r == XS_ERROR)
        return th_err(r, buf);
    ck_assert_uint_eq(r, XS_DIRECTORY);
    if (out)
        memcpy(out, buf, *len + 1);
    return 0;
}

int th_setperms(struct tc *t, uint32_t tx, const char *path, const char *perms)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    size_t pl = strlen(path) + 1, l = strlen(perms) + 1;
    uint32_t r;

    memcpy(buf, path, pl);
    memcpy(buf + pl, perms, l);
    for (size_t i = pl; i < pl + l; i++)
        if (buf[i] == ',')
            buf[i] = 0;
    r = th_req(t, XS_SET_PERMS, tx, buf, (uint32_t)(pl + l), buf, NULL);
    if (r == XS_ERROR)
        return th_err(r, buf);
    ck_assert_uint_eq(r, XS_SET_PERMS);
    return 0;
}

int th_getperms(struct tc *t, uint32_t tx, const char *path, char *out)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t len, r = th_req(t, XS_GET_PERMS, tx, path, (uint32_t)strlen(path) + 1, buf, &len);

    if (r == XS_ERROR)
        return th_err(r, buf);
    ck_assert_uint_eq(r, XS_GET_PERMS);
    /* Join the strings with commas. */
    for (uint32_t i = 0; i + 1 < len; i++)
        if (!buf[i])
            buf[i] = ',';
    strcpy(out, buf);
    return 0;
}

int th_watch(struct tc *t, const char *path, const char *token)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t r = th_reqs(t, XS_WATCH, 0, buf, 2, path, token);

    return r == XS_ERROR ? th_err(r, buf) : 0;
}

int th_unwatch(struct tc *t, const char *path, const char *token)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t r = th_reqs(t, XS_UNWATCH, 0, buf, 2, path, token);

    return r == XS_ERROR ? th_err(r, buf) : 0;
}

int th_txstart(struct tc *t, uint32_t *id)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t r = th_reqs(t, XS_TRANSACTION_START, 0, buf, 1, "");

    if (r == XS_ERROR)
        return th_err(r, buf);
    ck_assert_uint_eq(r, XS_TRANSACTION_START);
    *id = (uint32_t)strtoul(buf, NULL, 10);
    return 0;
}

int th_txend(struct tc *t, uint32_t id, bool commit)
{
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    uint32_t r = th_reqs(t, XS_TRANSACTION_END, id, buf, 1, commit ? "T" : "F");

    return r == XS_ERROR ? th_err(r, buf) : 0;
}

bool th_event(struct tc *t, char *path, char *token)
{
    uint32_t dummy;

    collect(t, &dummy, NULL, NULL);
    if (!t->nev)
        return false;
    strcpy(path, t->evpath[t->head]);
    if (token)
        strcpy(token, t->evtoken[t->head]);
    t->head = (t->head + 1) % 256;
    t->nev--;
    return true;
}

void th_drain(struct tc *t)
{
    char p[128];

    while (th_event(t, p, NULL))
        ;
}
