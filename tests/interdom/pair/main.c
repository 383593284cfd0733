/*
 * pair: a front and a back end in two boot-time domains (Pavise only: Xen
 * x86 has no boot-time domUs), moving data both ways over a shared ring,
 * grants and one interdomain event channel (protocol in proto.h).
 *
 *   role=front peer=ID size=BYTES kib=N seed=S
 *       grants a ring and its data pages; writes N KiB to the back in
 *       requests of BYTES (64..65536: 1 to 16 segments), then reads it all
 *       back, checking the back's checksum of every request and the
 *       contents read; revokes each data grant after its response.
 *   role=back peer=ID mode=copy|map|batch
 *       maps the front's ring (GNTMAP_host_map) and serves each request by
 *       grant copy, by mapping its pages (map+unmap per request) or by
 *       mapping a whole batch of requests at once.
 *
 * Both ends push with the ring macros' notification avoidance (req_event
 * and rsp_event, as blkfront/blkback) and report how many notifications
 * they sent for how many requests, and the throughput.
 */
#include "../lib/idom.h"
#include "proto.h"

const char test_title[] = "interdom pair: front/back over a shared ring and grants";

#define RING_SLOTS  16u                 /* __CONST_RING_SIZE(pair, 4096) */
#define SEED        0x1d0f5eedULL

static domid_t peer;
static evtchn_port_t port;

/* ---------------------------------------------------------------- helpers */

static void copy_fast(void *dst, const void *src, size_t n)
{
    size_t q = n / 8, r = n % 8;

    __asm__ __volatile__("rep movsq" : "+D"(dst), "+S"(src), "+c"(q) :: "memory");
    __asm__ __volatile__("rep movsb" : "+D"(dst), "+S"(src), "+c"(r) :: "memory");
}

static bool same(const void *a, const void *b, size_t n)
{
    const uint64_t *x = a, *y = b;
    const uint8_t *bx, *by;
    size_t i;

    for (i = 0; i < n / 8; i++)
        if (x[i] != y[i])
            return false;
    bx = (const uint8_t *)(x + i);
    by = (const uint8_t *)(y + i);
    for (i = 0; i < n % 8; i++)
        if (bx[i] != by[i])
            return false;
    return true;
}

/* MB/s with one decimal, as tenths. */
static unsigned long tenth_mbps(uint64_t bytes, uint64_t ns)
{
    return ns ? (unsigned long)(bytes * 10000 / ns) : 0;
}

/* ---------------------------------------------------------------- front */

static uint8_t info_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t ring_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t pool[RING_SLOTS][PAIR_SEGS][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t expect_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static struct pair_front_ring fr;

struct slot {
    bool busy;
    uint64_t id;
    uint8_t op;
    uint64_t sum;               /* writes: what we sent */
    uint64_t src;               /* reads: the write whose data we expect */
};
static struct slot slots[RING_SLOTS];

struct front_stats {
    unsigned long requests, notifies, waits, bad_status, bad_sum, bad_data, unrevoked, bad_id;
    uint64_t bytes, ns;
};

static unsigned int nsegs, seg_len;

static grant_ref_t data_ref(unsigned int slot, unsigned int s)
{
    return DATA_REF_BASE + slot * PAIR_SEGS + s;
}

/* Fill and push one request; its slot is free (the ring is not full). */
static void front_submit(uint8_t op, uint64_t id, uint64_t block, uint64_t src)
{
    unsigned int k = (unsigned int)(id % RING_SLOTS);
    struct pair_request *req = RING_GET_REQUEST(&fr, fr.req_prod_pvt);
    struct slot *sl = &slots[k];
    uint64_t sum = DATA_SUM_INIT;

    if (sl->busy)
        test_error("front: slot %u still busy for request %lu", k, (unsigned long)id);
    sl->busy = true;
    sl->id = id;
    sl->op = op;
    sl->src = src;
    req->id = id;
    req->op = op;
    req->nr_segs = (uint8_t)nsegs;
    req->block = (uint32_t)block;
    for (unsigned int s = 0; s < nsegs; s++) {
        uint8_t *page = pool[k][s];

        if (op == PAIR_OP_WRITE) {
            data_fill(page, seg_len, SEED, id * PAIR_SEGS + s);
            sum = data_sum(sum, page, seg_len);
        } else {
            page[0] = (uint8_t)~page[0];        /* stale data must not pass */
        }
        gnt_grant(data_ref(k, s), peer, gnt_mfn(page), op == PAIR_OP_WRITE);
        req->seg[s] = (struct pair_seg){ .gref = data_ref(k, s), .offset = 0,
                                         .len = (uint16_t)seg_len };
    }
    sl->sum = sum;
    fr.req_prod_pvt++;
}

static void front_complete(const struct pair_response *rsp, struct front_stats *st)
{
    unsigned int k = (unsigned int)(rsp->id % RING_SLOTS);
    struct slot *sl = &slots[k];
    uint64_t sum = DATA_SUM_INIT;

    if (!sl->busy || sl->id != rsp->id) {
        st->bad_id++;
        return;
    }
    if (rsp->status)
        st->bad_status++;
    for (unsigned int s = 0; s < nsegs; s++) {
        /* The back has finished with the page: the grant must revoke. */
        if (!gnt_end(data_ref(k, s)))
            st->unrevoked++;
        if (sl->op == PAIR_OP_READ) {
            sum = data_sum(sum, pool[k][s], seg_len);
            data_fill(expect_page, seg_len, SEED, sl->src * PAIR_SEGS + s);
            if (!same(pool[k][s], expect_page, seg_len))
                st->bad_data++;
        }
    }
    if ((sl->op == PAIR_OP_WRITE ? sl->sum : sum) != rsp->sum)
        st->bad_sum++;
    sl->busy = false;
}

/* Wait for responses: sleep only after asking for a notification. */
static void front_wait(struct front_stats *st)
{
    int more;

    RING_FINAL_CHECK_FOR_RESPONSES(&fr, more);
    if (more)
        return;
    st->waits++;
    if (!ev_wait(port, 20000 * MS))
        test_error("front: no response for 20 s (%lu requests done)", st->requests);
}

/* n requests of one kind; disk slots cycle over `period` positions. */
static void front_phase(uint8_t op, unsigned long n, unsigned long writes, unsigned long period,
                        struct front_stats *st)
{
    unsigned long issued = 0, done = 0;
    uint64_t t0 = now_ns();

    memset(st, 0, sizeof(*st));
    while (done < n) {
        bool progress = false;
        int notify;

        while (issued < n && !RING_FULL(&fr)) {
            unsigned long pos = issued % period;
            /* The last write to this position, for reads. */
            unsigned long src = pos + period * ((writes - 1 - pos) / period);

            front_submit(op, issued, pos * nsegs, src);
            issued++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        if (notify) {
            ev_send(port);
            st->notifies++;
        }
        if (RING_RESPONSE_PROD_OVERFLOW(&fr, READ_ONCE(fr.sring->rsp_prod)))
            test_error("front: the back claims more responses than requests");
        while (RING_HAS_UNCONSUMED_RESPONSES(&fr)) {
            struct pair_response rsp;

            RING_COPY_RESPONSE(&fr, fr.rsp_cons, &rsp);
            fr.rsp_cons++;
            front_complete(&rsp, st);
            done++;
            progress = true;
        }
        if (!progress && (issued == n || RING_FULL(&fr)))
            front_wait(st);
    }
    st->ns = now_ns() - t0;
    st->requests = n;
    st->bytes = (uint64_t)n * nsegs * seg_len;
}

static void front_report(const char *what, const struct front_stats *st)
{
    unsigned long t = tenth_mbps(st->bytes, st->ns);

    info("%s: %lu requests of %u B, %lu KiB in %lu ms = %lu.%lu MB/s; %lu notifications "
         "sent, %lu waits", what, st->requests, nsegs * seg_len, (unsigned long)(st->bytes >> 10),
         (unsigned long)(st->ns / MS), t / 10, t % 10, st->notifies, st->waits);
    printk("bench: pair %s size=%u MBps=%lu.%lu requests=%lu front_notifies=%lu\n", what,
           nsegs * seg_len, t / 10, t % 10, st->requests, st->notifies);
}

static void front(void)
{
    struct pair_info *info = (struct pair_info *)info_page;
    struct pair_sring *sring = (struct pair_sring *)ring_page;
    unsigned long size = opt_ulong("size", 4096), kib = opt_ulong("kib", 1024);
    unsigned long n, period;
    struct front_stats w, r;
    struct evtchn_status es;
    uint64_t end;
    long rc;
    int notify;

    if (size < 8 || size > PAIR_SEGS * PAGE_SIZE || (size > PAGE_SIZE && size % PAGE_SIZE))
        test_error("size=%lu: 8..%lu bytes, whole pages above one page", size,
                   PAIR_SEGS * PAGE_SIZE);
    nsegs = size > PAGE_SIZE ? (unsigned int)(size / PAGE_SIZE) : 1;
    seg_len = (unsigned int)(size / nsegs);
    n = kib * 1024 / size;
    if (!n)
        test_error("kib=%lu moves no whole request of %lu bytes", kib, size);
    period = MIN((unsigned long)(DISK_PAGES / nsegs), n);

    check_eq("front: setup_table", gnt_init(1), 0);
    check_eq("front: alloc_unbound for the back", ev_alloc_unbound(DOMID_SELF, peer, &port), 0);
    XEN_FRONT_RING_INIT(&fr, sring, PAGE_SIZE);
    check_eq("front: the ring has 16 slots", RING_SIZE(&fr), RING_SLOTS);
    *info = (struct pair_info){
        .magic = PAIR_MAGIC, .version = PAIR_VERSION, .ring_ref = RING_REF,
        .evtchn = port, .seg_max = PAIR_SEGS, .state_back = BACK_NONE,
    };
    gnt_grant(RING_REF, peer, gnt_mfn(ring_page), false);
    gnt_grant(INFO_REF, peer, gnt_mfn(info_page), false);

    /* The back's first notification says it is connected. */
    check(ev_wait(port, 30000 * MS) && READ_ONCE(info->state_back) == BACK_CONNECTED,
          "front: the back connected", "state %u", info->state_back);
    rc = ev_status(DOMID_SELF, port, &es);
    check(rc == 0 && es.status == EVTCHNSTAT_interdomain && es.u.interdomain.dom == peer,
          "front: our port is bound to the back", "rc %ld status %u", rc, es.status);

    front_phase(PAIR_OP_WRITE, n, n, period, &w);
    check_eq("front: every write answered ok", w.bad_status + w.bad_id, 0);
    check_eq("front: every write's checksum matches the back's", w.bad_sum, 0);
    check_eq("front: every write's grants revoke after the response", w.unrevoked, 0);
    front_phase(PAIR_OP_READ, n, n, period, &r);
    check_eq("front: every read answered ok", r.bad_status + r.bad_id, 0);
    check_eq("front: every read's checksum matches the back's", r.bad_sum, 0);
    check_eq("front: every read returned what was written", r.bad_data, 0);
    check_eq("front: every read's grants revoke after the response", r.unrevoked, 0);
    check(w.notifies + r.notifies < w.requests + r.requests,
          "front: fewer notifications than requests (notification avoidance)",
          "%lu notifications for %lu requests", w.notifies + r.notifies, w.requests + r.requests);
    front_report("write", &w);
    front_report("read", &r);

    /* Disconnect. */
    {
        struct pair_request *req = RING_GET_REQUEST(&fr, fr.req_prod_pvt);
        struct pair_response rsp;

        memset(req, 0, sizeof(*req));
        req->id = ~0ULL;
        req->op = PAIR_OP_CLOSE;
        fr.req_prod_pvt++;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
        (void)notify;
        ev_send(port);          /* always: the back may be asleep either way */
        end = now_ns() + 20000 * MS;
        while (!RING_HAS_UNCONSUMED_RESPONSES(&fr) && now_ns() < end)
            ev_wait(port, 100 * MS);
        check(RING_HAS_UNCONSUMED_RESPONSES(&fr), "front: the back answered the close", "no");
        RING_COPY_RESPONSE(&fr, fr.rsp_cons, &rsp);
        fr.rsp_cons++;
        check(rsp.id == ~0ULL && rsp.status == 0, "front: ... with status 0", "id %#lx status %d",
              (unsigned long)rsp.id, rsp.status);
    }
    /* The ring and info grants come back once the back has unmapped them. */
    end = now_ns() + 20000 * MS;
    bool ring_back = false, info_back = false;
    while ((!ring_back || !info_back) && now_ns() < end) {
        ring_back = ring_back || gnt_end(RING_REF);
        info_back = info_back || gnt_end(INFO_REF);
        if (!ring_back || !info_back)
            idom_sleep(2 * MS);
    }
    check(ring_back && info_back, "front: ring and info grants revoke after the back unmapped them",
          "ring %d info %d", ring_back, info_back);
    check_eq("front: the back marked itself closed", READ_ONCE(info->state_back), BACK_CLOSED);
    end = now_ns() + 20000 * MS;
    for (;;) {
        rc = ev_status(DOMID_SELF, port, &es);
        if (rc || es.status == EVTCHNSTAT_unbound || now_ns() >= end)
            break;
        idom_sleep(MS);
    }
    check(rc == 0 && es.status == EVTCHNSTAT_unbound && es.u.unbound.dom == peer,
          "front: our port is unbound once the back closed its end", "rc %ld status %u", rc,
          es.status);
    check_eq("front: close our port", ev_close(port), 0);
}

/* ---------------------------------------------------------------- back */

static uint8_t disk[DISK_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static struct pair_back_ring br;

enum { MODE_COPY, MODE_MAP, MODE_BATCH };
static unsigned int mode;

/* The window: page 0 info, page 1 ring, the rest for data. */
#define WIN_DATA    2u
#define WIN_SLOTS   (GNT_WINDOW_PAGES - WIN_DATA)

struct back_stats {
    unsigned long requests, writes, reads, bad_requests, op_errors, notifies, waits;
    unsigned long hypercalls, copies, maps;
};
static struct back_stats bs;

/* Everything in a request the back relies on, checked on its private copy. */
static bool request_ok(const struct pair_request *r)
{
    if ((r->op != PAIR_OP_WRITE && r->op != PAIR_OP_READ) || !r->nr_segs ||
        r->nr_segs > PAIR_SEGS || r->block > DISK_PAGES - (uint32_t)r->nr_segs)
        return false;
    for (unsigned int s = 0; s < r->nr_segs; s++)
        if (!r->seg[s].len || r->seg[s].offset >= PAGE_SIZE ||
            r->seg[s].len > PAGE_SIZE - r->seg[s].offset)
            return false;
    return true;
}

static uint64_t disk_sum(const struct pair_request *r)
{
    uint64_t sum = DATA_SUM_INIT;

    for (unsigned int s = 0; s < r->nr_segs; s++)
        sum = data_sum(sum, disk[r->block + s] + r->seg[s].offset, r->seg[s].len);
    return sum;
}

static int32_t serve_copy(const struct pair_request *r)
{
    static struct gnttab_copy ops[PAIR_SEGS];
    bool wr = r->op == PAIR_OP_WRITE;
    long rc;

    for (unsigned int s = 0; s < r->nr_segs; s++) {
        const struct pair_seg *g = &r->seg[s];
        struct gnttab_copy_ptr remote = { .u.ref = g->gref, .domid = peer, .offset = g->offset };
        struct gnttab_copy_ptr local = {
            .u.gmfn = gnt_mfn(disk[r->block + s]), .domid = DOMID_SELF, .offset = g->offset,
        };

        ops[s] = (struct gnttab_copy){
            .source = wr ? remote : local, .dest = wr ? local : remote, .len = g->len,
            .flags = wr ? GNTCOPY_source_gref : GNTCOPY_dest_gref, .status = 0x5555,
        };
    }
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, r->nr_segs);
    bs.hypercalls++;
    bs.copies += r->nr_segs;
    if (rc)
        return (int32_t)rc;
    for (unsigned int s = 0; s < r->nr_segs; s++)
        if (ops[s].status != GNTST_okay)
            return ops[s].status;
    return 0;
}

/* Map the segments of reqs[0..n) at window pages from WIN_DATA on. */
static struct gnttab_map_grant_ref mops[WIN_SLOTS];
static struct gnttab_unmap_grant_ref uops[WIN_SLOTS];

static int32_t map_batch(const struct pair_request *reqs, unsigned int n, int32_t *status)
{
    unsigned int k = 0;
    int32_t first = 0;
    long rc;

    for (unsigned int i = 0; i < n; i++)
        for (unsigned int s = 0; s < reqs[i].nr_segs; s++, k++)
            mops[k] = (struct gnttab_map_grant_ref){
                .host_addr = (unsigned long)gnt_window(WIN_DATA + k),
                .flags = GNTMAP_host_map |
                         (reqs[i].op == PAIR_OP_WRITE ? GNTMAP_readonly : 0),
                .ref = reqs[i].seg[s].gref, .dom = peer, .status = 0x5555,
            };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, mops, k);
    bs.hypercalls++;
    bs.maps += k;
    if (rc)
        test_error("back: map_grant_ref hypercall: %ld", rc);
    k = 0;
    for (unsigned int i = 0; i < n; i++) {
        status[i] = 0;
        for (unsigned int s = 0; s < reqs[i].nr_segs; s++, k++)
            if (mops[k].status != GNTST_okay && !status[i])
                status[i] = mops[k].status;
        if (status[i] && !first)
            first = status[i];
    }
    return first;
}

static void unmap_batch(const struct pair_request *reqs, unsigned int n)
{
    unsigned int k = 0, m = 0;
    long rc;

    for (unsigned int i = 0; i < n; i++)
        for (unsigned int s = 0; s < reqs[i].nr_segs; s++, k++)
            if (mops[k].status == GNTST_okay)
                uops[m++] = (struct gnttab_unmap_grant_ref){
                    .host_addr = mops[k].host_addr, .handle = mops[k].handle, .status = 0x5555,
                };
    if (!m)
        return;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, m);
    bs.hypercalls++;
    if (rc)
        test_error("back: unmap_grant_ref hypercall: %ld", rc);
    for (unsigned int j = 0; j < m; j++)
        if (uops[j].status != GNTST_okay)
            bs.op_errors++;
}

/* Move the data of mapped requests between the window and the disk. */
static void move_mapped(const struct pair_request *reqs, unsigned int n, const int32_t *status)
{
    unsigned int k = 0;

    for (unsigned int i = 0; i < n; i++) {
        for (unsigned int s = 0; s < reqs[i].nr_segs; s++, k++) {
            const struct pair_seg *g = &reqs[i].seg[s];
            uint8_t *win = (uint8_t *)gnt_window(WIN_DATA + k) + g->offset;
            uint8_t *dsk = disk[reqs[i].block + s] + g->offset;

            if (status[i])
                continue;
            if (reqs[i].op == PAIR_OP_WRITE)
                copy_fast(dsk, win, g->len);
            else
                copy_fast(win, dsk, g->len);
        }
    }
}

static void respond(const struct pair_request *r, int32_t status)
{
    struct pair_response *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);

    rsp->id = r->id;
    rsp->status = status;
    rsp->sum = status ? 0 : disk_sum(r);
    br.rsp_prod_pvt++;
    if (status)
        bs.op_errors++;
}

static void count(const struct pair_request *r)
{
    bs.requests++;
    if (r->op == PAIR_OP_WRITE)
        bs.writes++;
    else
        bs.reads++;
}

/* Serve up to n requests already copied out of the ring; true on CLOSE. */
static bool serve(struct pair_request *reqs, unsigned int n)
{
    static int32_t status[RING_SLOTS];
    unsigned int i = 0;

    while (i < n) {
        unsigned int segs, j;

        if (reqs[i].op == PAIR_OP_CLOSE) {
            struct pair_response *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);

            rsp->id = reqs[i].id;
            rsp->status = 0;
            rsp->sum = 0;
            br.rsp_prod_pvt++;
            return true;
        }
        if (!request_ok(&reqs[i])) {
            bs.bad_requests++;
            respond(&reqs[i], -1);
            i++;
            continue;
        }
        count(&reqs[i]);
        if (mode == MODE_COPY) {
            respond(&reqs[i], serve_copy(&reqs[i]));
            i++;
            continue;
        }
        /* Map modes: this request alone, or as many well-formed data
         * requests as fit in the window. */
        segs = reqs[i].nr_segs;
        j = i + 1;
        while (mode == MODE_BATCH && j < n && reqs[j].op != PAIR_OP_CLOSE &&
               request_ok(&reqs[j]) && segs + reqs[j].nr_segs <= WIN_SLOTS) {
            count(&reqs[j]);
            segs += reqs[j].nr_segs;
            j++;
        }
        map_batch(&reqs[i], j - i, status);
        move_mapped(&reqs[i], j - i, status);
        unmap_batch(&reqs[i], j - i);
        for (unsigned int k = i; k < j; k++)
            respond(&reqs[k], status[k - i]);
        i = j;
    }
    return false;
}

static void back(void)
{
    static struct pair_request reqs[RING_SLOTS];
    struct pair_info *win_info = gnt_window(0);
    struct pair_sring *sring = gnt_window(1);
    struct pair_info pi;
    char m[8];
    uint64_t end = now_ns() + 30000 * MS;
    grant_handle_t hinfo, hring;
    int16_t st;
    bool closed = false;
    uint64_t t0;

    opt_str("mode", m, sizeof(m), "copy");
    mode = !strcmp(m, "copy") ? MODE_COPY : !strcmp(m, "map") ? MODE_MAP :
           !strcmp(m, "batch") ? MODE_BATCH : ~0u;
    if (mode == ~0u)
        test_error("mode=copy|map|batch, got '%s'", m);

    /* Until the front has published its info page, mapping it fails. */
    while ((st = gnt_map(peer, INFO_REF, win_info, GNTMAP_host_map, &hinfo)) != GNTST_okay &&
           now_ns() < end)
        idom_sleep(2 * MS);
    check_eq("back: mapped the front's info page", st, GNTST_okay);
    if (st)
        return;
    copy_fast(&pi, win_info, sizeof(pi));
    check(pi.magic == PAIR_MAGIC && pi.version == PAIR_VERSION && pi.seg_max == PAIR_SEGS &&
          pi.ring_ref != INFO_REF, "back: the info page is well-formed",
          "magic %#x version %u segs %u ring %u", pi.magic, pi.version, pi.seg_max, pi.ring_ref);
    check_eq("back: bind the front's port", ev_bind_interdomain(peer, pi.evtchn, &port), 0);
    evtchn_clear(port);
    st = gnt_map(peer, pi.ring_ref, sring, GNTMAP_host_map, &hring);
    check_eq("back: mapped the ring", st, GNTST_okay);
    if (st)
        return;
    BACK_RING_INIT(&br, sring, PAGE_SIZE);
    check_eq("back: the ring has 16 slots", RING_SIZE(&br), RING_SLOTS);
    WRITE_ONCE(win_info->state_back, BACK_CONNECTED);
    wmb();
    ev_send(port);

    t0 = now_ns();
    while (!closed) {
        RING_IDX prod = READ_ONCE(sring->req_prod);
        unsigned int n = 0;
        int more, notify;

        rmb();
        if (RING_REQUEST_PROD_OVERFLOW(&br, prod))
            test_error("back: the front claims more requests than the ring holds");
        while (br.req_cons != prod && n < RING_SLOTS) {
            RING_COPY_REQUEST(&br, br.req_cons, &reqs[n]);
            br.req_cons++;
            n++;
        }
        if (n) {
            closed = serve(reqs, n);
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
            if (notify || closed) {
                ev_send(port);
                bs.notifies++;
            }
            continue;
        }
        RING_FINAL_CHECK_FOR_REQUESTS(&br, more);
        if (more)
            continue;
        bs.waits++;
        if (!ev_wait(port, 30000 * MS))
            test_error("back: no request for 30 s");
    }
    info("back (%s): %lu requests (%lu writes, %lu reads) in %lu ms, %lu notifications sent, "
         "%lu waits, %lu hypercalls, %lu copies, %lu maps", m, bs.requests, bs.writes, bs.reads,
         (unsigned long)((now_ns() - t0) / MS), bs.notifies, bs.waits, bs.hypercalls, bs.copies,
         bs.maps);
    printk("bench: pair back mode=%s requests=%lu back_notifies=%lu hypercalls=%lu\n", m,
           bs.requests, bs.notifies, bs.hypercalls);
    check(bs.writes > 0 && bs.reads > 0, "back: served writes and reads", "%lu writes %lu reads",
          bs.writes, bs.reads);
    check_eq("back: every request was well-formed", bs.bad_requests, 0);
    check_eq("back: every grant operation succeeded", bs.op_errors, 0);
    check(bs.notifies < bs.requests, "back: fewer notifications than requests",
          "%lu for %lu", bs.notifies, bs.requests);

    WRITE_ONCE(win_info->state_back, BACK_CLOSED);
    wmb();
    check_eq("back: unmap the ring", gnt_unmap(hring, sring, GNTMAP_host_map), GNTST_okay);
    check_eq("back: unmap the info page", gnt_unmap(hinfo, win_info, GNTMAP_host_map), GNTST_okay);
    check_eq("back: close our port", ev_close(port), 0);
}

void test_main(void)
{
    char role[8];

    idom_init();
    opt_str("role", role, sizeof(role), "");
    peer = (domid_t)opt_ulong("peer", 0x7fff);
    if (peer >= DOMID_FIRST_RESERVED)
        test_error("peer=ID needed");
    if (!strcmp(role, "front"))
        front();
    else if (!strcmp(role, "back"))
        back();
    else
        test_error("role=front|back expected, got '%s'", role);
}
