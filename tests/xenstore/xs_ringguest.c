/*
 * xs_ringguest: plays Xen guests on a plain host, over pvstored's
 * shared-memory ring backend (--ring-dir), while talking to the daemon as
 * the toolstack through Debian's libxenstore.
 *
 * For each guest it creates DIR/<domid>.ring (the shared page), and the
 * FIFOs DIR/<domid>.kick and DIR/<domid>.notify (the event channel), then
 * INTRODUCEs the domain with xs_introduce_domain() and speaks the
 * xenstore protocol on the page as a guest kernel's xenbus driver does:
 * requests, a transaction, a watch, access checks. A second guest then
 * corrupts its ring indexes; the first guest and the toolstack must not
 * notice. Finally the first guest is released, and its nodes deleted.
 * Usage: xs_ringguest DIR. Connects to $XENSTORED_PATH.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenstore.h>
#include <xen/io/xs_wire.h>

static unsigned passed, failed;

#define CHECK(cond) do { \
        if (cond) passed++; \
        else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

struct guest {
    unsigned domid;
    volatile struct xenstore_domain_interface *intf;
    int kick, notify;
};

static bool guest_create(struct guest *g, const char *dir, unsigned domid)
{
    char path[4096];
    void *page;
    int fd;

    g->domid = domid;
    snprintf(path, sizeof(path), "%s/%u.ring", dir, domid);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 4096))
        return false;
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (page == MAP_FAILED)
        return false;
    g->intf = page;
    snprintf(path, sizeof(path), "%s/%u.kick", dir, domid);
    if (mkfifo(path, 0600) && errno != EEXIST)
        return false;
    g->kick = open(path, O_RDWR | O_NONBLOCK);
    snprintf(path, sizeof(path), "%s/%u.notify", dir, domid);
    if (mkfifo(path, 0600) && errno != EEXIST)
        return false;
    g->notify = open(path, O_RDWR | O_NONBLOCK);
    return g->kick >= 0 && g->notify >= 0;
}

static void kick(struct guest *g)
{
    char b = 1;

    (void)!write(g->kick, &b, 1);
}

/* Wait for the daemon's notification (or 50 ms), then swallow it. */
static bool wait_notify(struct guest *g, int ms)
{
    struct pollfd p = { .fd = g->notify, .events = POLLIN };
    char buf[64];
    bool got = poll(&p, 1, ms) > 0;

    while (read(g->notify, buf, sizeof(buf)) > 0)
        ;
    return got;
}

static bool put(struct guest *g, const void *data, size_t len)
{
    const char *p = data;
    int waits = 0;

    while (len) {
        XENSTORE_RING_IDX prod = g->intf->req_prod, cons = g->intf->req_cons;
        size_t space = XENSTORE_RING_SIZE - (prod - cons);
        size_t off = MASK_XENSTORE_IDX(prod), n = len;

        if (n > space)
            n = space;
        if (n > XENSTORE_RING_SIZE - off)
            n = XENSTORE_RING_SIZE - off;
        if (!n) {
            kick(g);
            if (!wait_notify(g, 50) && ++waits > 100)
                return false;
            continue;
        }
        memcpy((char *)g->intf->req + off, p, n);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        g->intf->req_prod = prod + (XENSTORE_RING_IDX)n;
        p += n;
        len -= n;
    }
    kick(g);
    return true;
}

static bool get(struct guest *g, void *data, size_t len)
{
    char *p = data;
    int waits = 0;

    while (len) {
        XENSTORE_RING_IDX prod = g->intf->rsp_prod, cons = g->intf->rsp_cons;
        size_t avail = prod - cons, off = MASK_XENSTORE_IDX(cons), n = len;

        if (n > avail)
            n = avail;
        if (n > XENSTORE_RING_SIZE - off)
            n = XENSTORE_RING_SIZE - off;
        if (!n) {
            if (!wait_notify(g, 50) && ++waits > 100)
                return false;
            continue;
        }
        memcpy(p, (const char *)g->intf->rsp + off, n);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        g->intf->rsp_cons = cons + (XENSTORE_RING_IDX)n;
        p += n;
        len -= n;
        kick(g);
    }
    return true;
}

/* One message off the response ring; type or ~0u on timeout. */
static uint32_t recv_msg(struct guest *g, char *out, uint32_t *len, uint32_t *tx)
{
    struct xsd_sockmsg h;

    if (!get(g, &h, sizeof(h)) || h.len > XENSTORE_PAYLOAD_MAX || !get(g, out, h.len))
        return ~0u;
    out[h.len] = 0;
    if (len)
        *len = h.len;
    if (tx)
        *tx = h.tx_id;
    return h.type;
}

/* A request and its reply; watch events on the way are counted. */
static unsigned events_seen;

static uint32_t req(struct guest *g, uint32_t type, uint32_t tx, const void *p,
                    uint32_t len, char *out)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 42, .tx_id = tx, .len = len };
    uint32_t r;

    if (!put(g, &h, sizeof(h)) || !put(g, p, len))
        return ~0u;
    while ((r = recv_msg(g, out, NULL, NULL)) == XS_WATCH_EVENT)
        events_seen++;
    return r;
}

static char **event(struct xs_handle *h, int ms)
{
    struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
    char **ev = xs_check_watch(h);

    if (!ev && poll(&p, 1, ms) > 0)
        ev = xs_check_watch(h);
    return ev;
}

static void give_home(struct xs_handle *h, unsigned domid)
{
    struct xs_permissions p = { .id = domid, .perms = XS_PERM_NONE };
    char path[64];

    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    CHECK(xs_mkdir(h, XBT_NULL, path));
    CHECK(xs_set_permissions(h, XBT_NULL, path, &p, 1));
}

int main(int argc, char **argv)
{
    struct xs_handle *h = xs_open(0);
    struct guest g5, g6;
    char buf[XENSTORE_PAYLOAD_MAX + 1], **ev;
    uint32_t len, tx;
    unsigned v;

    if (argc != 2 || !h) {
        fprintf(stderr, "usage: xs_ringguest DIR (with XENSTORED_PATH set)\n");
        return 2;
    }
    CHECK(guest_create(&g5, argv[1], 5));
    CHECK(guest_create(&g6, argv[1], 6));
    give_home(h, 5);
    give_home(h, 6);
    CHECK(xs_watch(h, "@introduceDomain", "intro"));
    free(event(h, 1000));
    CHECK(xs_introduce_domain(h, 5, 0, 7));
    ev = event(h, 2000);
    CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "@introduceDomain"));
    free(ev);
    CHECK(xs_is_domain_introduced(h, 5));
    CHECK(g5.intf->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION);

    /* The guest's view: its home, its rights. */
    CHECK(req(&g5, XS_WRITE, 0, "name\0ring-guest", 15, buf) == XS_WRITE);
    v = 0;
    {
        char *s = xs_read(h, XBT_NULL, "/local/domain/5/name", &len);

        v = s && len == 10 && !memcmp(s, "ring-guest", 10);
        free(s);
    }
    CHECK(v);
    CHECK(req(&g5, XS_READ, 0, "/local/domain/0", 16, buf) == XS_ERROR && !strcmp(buf, "EACCES"));
    CHECK(req(&g5, XS_INTRODUCE, 0, "9\0000\0001", 6, buf) == XS_ERROR && !strcmp(buf, "EACCES"));
    CHECK(req(&g5, XS_GET_DOMAIN_PATH, 0, "5", 2, buf) == XS_GET_DOMAIN_PATH &&
          !strcmp(buf, "/local/domain/5"));

    /* A transaction over the ring. */
    CHECK(req(&g5, XS_TRANSACTION_START, 0, "", 1, buf) == XS_TRANSACTION_START);
    tx = (uint32_t)strtoul(buf, NULL, 10);
    CHECK(tx != 0);
    CHECK(req(&g5, XS_WRITE, tx, "state\0004", 7, buf) == XS_WRITE);
    CHECK(!xs_read(h, XBT_NULL, "/local/domain/5/state", &len));
    CHECK(req(&g5, XS_TRANSACTION_END, tx, "T", 2, buf) == XS_TRANSACTION_END);
    len = 0;
    free(xs_read(h, XBT_NULL, "/local/domain/5/state", &len));
    CHECK(len == 1);

    /* A watch over the ring: the toolstack's write reaches the guest. */
    CHECK(req(&g5, XS_WATCH, 0, "backend\0be", 11, buf) == XS_WATCH);
    CHECK(recv_msg(&g5, buf, &len, NULL) == XS_WATCH_EVENT && !memcmp(buf, "backend\0be", 11));
    CHECK(xs_write(h, XBT_NULL, "/local/domain/5/backend/vif", "x", 1));
    CHECK(recv_msg(&g5, buf, &len, NULL) == XS_WATCH_EVENT &&
          !memcmp(buf, "backend/vif\0be", 15));

    /* A broken guest is cut off alone. */
    CHECK(xs_introduce_domain(h, 6, 0, 8));
    g6.intf->req_prod = g6.intf->req_cons + 5000;
    kick(&g6);
    for (int i = 0; i < 100 && !g6.intf->error; i++)
        usleep(10000);
    CHECK(g6.intf->error == XENSTORE_ERROR_RINGIDX);
    CHECK(req(&g5, XS_READ, 0, "name", 5, buf) == XS_READ && !strcmp(buf, "ring-guest"));
    CHECK(xs_write(h, XBT_NULL, "/still/works", "1", 1));

    /* Release: @releaseDomain, the guest's nodes pass to dom0. */
    CHECK(xs_watch(h, "@releaseDomain", "rel"));
    free(event(h, 1000));
    CHECK(xs_release_domain(h, 5));
    ev = event(h, 2000);
    CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "@releaseDomain"));
    free(ev);
    CHECK(!xs_is_domain_introduced(h, 5));
    /* The nodes it owned went with it. */
    CHECK(!xs_read(h, XBT_NULL, "/local/domain/5/name", &len) && errno == ENOENT);
    CHECK(xs_release_domain(h, 6));
    xs_close(h);
    printf("xs_ringguest: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
