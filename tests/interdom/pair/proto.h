/*
 * The front/back protocol of tests/interdom/pair: a blkif-like split
 * driver over one shared ring (pvabi/io/ring.h) and one event channel.
 *
 * Rendezvous, without xenstore: the front grants the back an info page at
 * INFO_REF (written last, so a mapped info page is complete), naming the
 * ring's grant and a port the front left unbound for the back. The back
 * maps INFO_REF until that succeeds, binds the port, maps the ring, sets
 * state_back and notifies. Disconnect: the front sends PAIR_OP_CLOSE; the
 * back answers it, unmaps everything and closes its port; the front then
 * revokes its grants (which succeeds only once they are unmapped).
 *
 * Data: the back keeps a "disk" of DISK_PAGES pages. A request moves
 * nr_segs segments; segment i is bytes [offset, offset + len) of a page the
 * front grants (read-only for WRITE, writable for READ) and of disk page
 * block + i. The response carries a checksum of the bytes the back
 * stored or sent, which the front compares with its own.
 */
#ifndef PAIR_PROTO_H
#define PAIR_PROTO_H

#include <pvguest/types.h>
#include <pvabi/grant_table.h>

#define xen_mb()  mb()
#define xen_wmb() wmb()
#include <pvabi/io/ring.h>

#define PAIR_MAGIC      0x49444f4du    /* "IDOM" */
#define PAIR_VERSION    1
#define INFO_REF        8
#define RING_REF        9
#define DATA_REF_BASE   16
#define PAIR_SEGS       16             /* segments per request (64 KiB) */
#define DISK_PAGES      256

enum { BACK_NONE, BACK_CONNECTED, BACK_CLOSED };

struct pair_info {
    uint32_t magic, version;
    uint32_t ring_ref;
    uint32_t evtchn;            /* the front's port, unbound for the back */
    uint32_t seg_max;
    volatile uint32_t state_back;   /* written by the back */
};

enum { PAIR_OP_WRITE = 1, PAIR_OP_READ = 2, PAIR_OP_CLOSE = 3 };

struct pair_seg {
    grant_ref_t gref;
    uint16_t offset, len;
};

struct pair_request {
    uint64_t id;
    uint8_t op, nr_segs;
    uint16_t pad;
    uint32_t block;             /* disk page of segment 0 */
    struct pair_seg seg[PAIR_SEGS];
};

/* Response status: 0, or the first failing GNTST_* / -1 for a bad request. */
struct pair_response {
    uint64_t id;
    int32_t status;
    uint32_t pad;
    uint64_t sum;
};

DEFINE_RING_TYPES(pair, struct pair_request, struct pair_response);

#endif
