/*
 * daemon: the state of one pvstored instance and the request dispatcher.
 * Single-threaded: the libev loop calls transports, transports feed
 * connections, connections call daemon_dispatch() per complete request.
 */
#ifndef PVSTORED_DAEMON_H
#define PVSTORED_DAEMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conn.h"
#include "domain.h"
#include "htab.h"
#include "quota.h"
#include "ring.h"
#include "store.h"
#include "txn.h"
#include "view.h"
#include "watch.h"
#include "wire.h"

struct ev_loop;

struct daemon_stats {
    uint64_t requests;
    uint64_t errors;
    uint64_t refused;           /* protocol violations */
    uint64_t closed;            /* connections dropped for them */
    uint64_t events;
    uint64_t events_dropped;
    uint64_t events_deduped;
    uint64_t commits, conflicts;
};

struct daemon {
    struct store st;
    struct quotas q;
    struct conn *conns;
    unsigned next_serial;
    struct htab watches;        /* struct watch_bucket by path */
    struct domain *domains;
    struct ring_backend *backend;
    struct ev_loop *loop;       /* NULL in unit tests */
    bool no_dom0_ring;          /* -D: leave dom0's kernel ring alone */
    bool keep_orphans;          /* -K: gone domains' nodes go to dom0 */

    FILE *log;                  /* refusals and notices */
    FILE *trace;                /* CONTROL log on: every request */
    char *trace_path;
    unsigned log_budget;        /* refusal lines left this second */
    long log_second;
    uint64_t log_suppressed;

    /* The guest connection whose request is being dispatched (NULL for
     * privileged ones, which are never held) and the record its watch
     * events refer to (conn.h). */
    struct conn *cur_req;
    struct pend_req *cur_pend;

    struct daemon_stats stats;
    uint32_t event_timeout_ms;  /* guests' unsent events expire; 0: never */
    uint64_t fake_now_ms;       /* tests: a clock they control (0: real) */
    uint32_t *check_owned;      /* CONTROL check scratch tables */
    uint64_t *check_mem;
    uint32_t *check_seen;
};

int daemon_init(struct daemon *d);
/* Monotonic milliseconds (or the tests' clock). */
uint64_t daemon_now_ms(const struct daemon *d);
void daemon_fini(struct daemon *d);

/* A complete request is in c->hdr / c->in_buf. */
void daemon_dispatch(struct conn *c);
/* Periodic work (main loop timer, every second): guests' watch events
 * past the timeout are dropped even when no new event comes, so that the
 * requests that caused them stop holding their guests. */
void daemon_tick(struct daemon *d);

/* Logging. Refusals are rate limited (a flood must not fill the disk). */
void daemon_log(struct daemon *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void daemon_refused(struct daemon *d, const struct conn *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void daemon_trace_io(struct daemon *d, const struct conn *c, const char *dir,
                     const struct xsd_sockmsg *hdr, const char *payload);

/* CONTROL check: walk the tree, repair and report inconsistencies.
 * Returns the number of problems found. */
unsigned daemon_check_store(struct daemon *d, FILE *report);

/* The view for a request of connection c (NULL: the daemon itself)
 * inside transaction tx. */
void daemon_view(struct daemon *d, struct conn *c, struct txn *tx, struct view *v);

#endif
