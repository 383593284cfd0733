/*
 * Xen 4.17 public ABI: shared request/response rings (the split-driver
 * ring layout used by blkif, netif and others).
 *
 * A ring lives in one shared page: four indexes, padding, then as many
 * request/response slots as fit, rounded down to a power of two. Indexes
 * are free-running unsigned counters; a slot is index & (size - 1). The
 * front end produces requests and consumes responses, the back end the
 * reverse. req_event/rsp_event say at which index the other side wants its
 * next notification.
 *
 * Users provide uint8_t etc., offsetof, memset, and the barriers
 * xen_mb() / xen_wmb() before using the macros.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/io/ring.h (the flexible "FLEX" rings are not included).
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_IO_RING_H
#define PVABI_IO_RING_H

typedef unsigned int RING_IDX;

/* The largest power of two <= a 32-bit constant (0 for 0). */
#define __RD2(_x)  (((_x) & 0x00000002) ? 0x2 : ((_x) & 0x1))
#define __RD4(_x)  (((_x) & 0x0000000c) ? __RD2((_x) >> 2) << 2 : __RD2(_x))
#define __RD8(_x)  (((_x) & 0x000000f0) ? __RD4((_x) >> 4) << 4 : __RD4(_x))
#define __RD16(_x) (((_x) & 0x0000ff00) ? __RD8((_x) >> 8) << 8 : __RD8(_x))
#define __RD32(_x) (((_x) & 0xffff0000) ? __RD16((_x) >> 16) << 16 : __RD16(_x))

/* Slots of a ring of type tag _s in _sz bytes (a constant expression). */
#define __CONST_RING_SIZE(_s, _sz) \
    (__RD32(((_sz) - offsetof(struct _s##_sring, ring)) / \
            sizeof(((struct _s##_sring *)0)->ring[0])))
/* The same from a pointer to the shared ring. */
#define __RING_SIZE(_s, _sz) \
    (__RD32(((_sz) - (long)(_s)->ring + (long)(_s)) / sizeof((_s)->ring[0])))

/*
 * DEFINE_RING_TYPES(tag, req_t, rsp_t) declares
 *   struct tag_sring (tag_sring_t)         the shared page,
 *   struct tag_front_ring (tag_front_ring_t) the front end's private state,
 *   struct tag_back_ring (tag_back_ring_t)   the back end's private state.
 */
#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)                     \
                                                                        \
union __name##_sring_entry {                                            \
    __req_t req;                                                        \
    __rsp_t rsp;                                                        \
};                                                                      \
                                                                        \
struct __name##_sring {                                                 \
    RING_IDX req_prod, req_event;                                       \
    RING_IDX rsp_prod, rsp_event;                                       \
    union {                                                             \
        struct {                                                        \
            uint8_t smartpoll_active;                                   \
        } netif;                                                        \
        struct {                                                        \
            uint8_t msg;                                                \
        } tapif_user;                                                   \
        uint8_t pvt_pad[4];                                             \
    } pvt;                                                              \
    uint8_t __pad[44];                                                  \
    union __name##_sring_entry ring[1]; /* really RING_SIZE entries */  \
};                                                                      \
                                                                        \
struct __name##_front_ring {                                            \
    RING_IDX req_prod_pvt;          /* next request slot to fill */     \
    RING_IDX rsp_cons;              /* next response to consume  */     \
    unsigned int nr_ents;                                               \
    struct __name##_sring *sring;                                       \
};                                                                      \
                                                                        \
struct __name##_back_ring {                                             \
    RING_IDX rsp_prod_pvt;          /* next response slot to fill */    \
    RING_IDX req_cons;              /* next request to consume    */    \
    unsigned int nr_ents;                                               \
    struct __name##_sring *sring;                                       \
};                                                                      \
                                                                        \
typedef struct __name##_sring __name##_sring_t;                         \
typedef struct __name##_front_ring __name##_front_ring_t;               \
typedef struct __name##_back_ring __name##_back_ring_t

/* Set up an empty shared ring (done by the front end only). */
#define SHARED_RING_INIT(_s) do {                                       \
    (_s)->req_prod  = (_s)->rsp_prod  = 0;                              \
    (_s)->req_event = (_s)->rsp_event = 1;                              \
    (void)memset((_s)->pvt.pvt_pad, 0, sizeof((_s)->pvt.pvt_pad));      \
    (void)memset((_s)->__pad, 0, sizeof((_s)->__pad));                  \
} while (0)

/* Attach to a shared ring of __size bytes, resuming at index _i. */
#define FRONT_RING_ATTACH(_r, _s, _i, __size) do {                      \
    (_r)->req_prod_pvt = (_i);                                          \
    (_r)->rsp_cons = (_i);                                              \
    (_r)->nr_ents = __RING_SIZE(_s, __size);                            \
    (_r)->sring = (_s);                                                 \
} while (0)

#define FRONT_RING_INIT(_r, _s, __size) FRONT_RING_ATTACH(_r, _s, 0, __size)

#define XEN_FRONT_RING_INIT(r, s, size) do {                            \
    SHARED_RING_INIT(s);                                                \
    FRONT_RING_INIT(r, s, size);                                        \
} while (0)

#define BACK_RING_ATTACH(_r, _s, _i, __size) do {                       \
    (_r)->rsp_prod_pvt = (_i);                                          \
    (_r)->req_cons = (_i);                                              \
    (_r)->nr_ents = __RING_SIZE(_s, __size);                            \
    (_r)->sring = (_s);                                                 \
} while (0)

#define BACK_RING_INIT(_r, _s, __size) BACK_RING_ATTACH(_r, _s, 0, __size)

/* Number of slots. */
#define RING_SIZE(_r) ((_r)->nr_ents)

/* Front end: slots free for new requests. */
#define RING_FREE_REQUESTS(_r) \
    (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))

/* Front end: no slot free. */
#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)

/* Responses produced but not yet consumed. */
#define XEN_RING_NR_UNCONSUMED_RESPONSES(_r) \
    ((_r)->sring->rsp_prod - (_r)->rsp_cons)

/*
 * Requests produced but not yet consumed, bounded by the slots the back
 * end can still answer (a hostile front end may claim more).
 */
#define XEN_RING_NR_UNCONSUMED_REQUESTS(_r) ({                          \
    unsigned int __req = (_r)->sring->req_prod - (_r)->req_cons;        \
    unsigned int __rsp = RING_SIZE(_r) -                                \
        ((_r)->req_cons - (_r)->rsp_prod_pvt);                          \
    __req < __rsp ? __req : __rsp;                                      \
})

#ifdef XEN_RING_HAS_UNCONSUMED_IS_BOOL
#define RING_HAS_UNCONSUMED_RESPONSES(_r) \
    (!!XEN_RING_NR_UNCONSUMED_RESPONSES(_r))
#define RING_HAS_UNCONSUMED_REQUESTS(_r)  \
    (!!XEN_RING_NR_UNCONSUMED_REQUESTS(_r))
#else
#define RING_HAS_UNCONSUMED_RESPONSES(_r) XEN_RING_NR_UNCONSUMED_RESPONSES(_r)
#define RING_HAS_UNCONSUMED_REQUESTS(_r)  XEN_RING_NR_UNCONSUMED_REQUESTS(_r)
#endif

/* The slot of index _idx. */
#define RING_GET_REQUEST(_r, _idx) \
    (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].req))
#define RING_GET_RESPONSE(_r, _idx) \
    (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].rsp))

/*
 * Copy a slot to private memory before looking at it, so the other side
 * cannot change it between checks and use.
 */
#define RING_COPY_(type, r, idx, dest) do {                             \
    *(dest) = *(volatile __typeof__(dest))RING_GET_##type(r, idx);      \
} while (0)

#define RING_COPY_REQUEST(r, idx, req)  RING_COPY_(REQUEST, r, idx, req)
#define RING_COPY_RESPONSE(r, idx, rsp) RING_COPY_(RESPONSE, r, idx, rsp)

/* Back end: consuming at _cons would overrun the responses given. */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons) \
    (((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))

/* A front end claiming more requests than the ring can hold. */
#define RING_REQUEST_PROD_OVERFLOW(_r, _prod) \
    (((_prod) - (_r)->rsp_prod_pvt) > RING_SIZE(_r))

/* A back end claiming more responses than the ring can hold. */
#define RING_RESPONSE_PROD_OVERFLOW(_r, _prod) \
    (((_prod) - (_r)->rsp_cons) > RING_SIZE(_r))

/* Publish the private producer index (slots first, then the index). */
#define RING_PUSH_REQUESTS(_r) do {                                     \
    xen_wmb();                                                          \
    (_r)->sring->req_prod = (_r)->req_prod_pvt;                         \
} while (0)

#define RING_PUSH_RESPONSES(_r) do {                                    \
    xen_wmb();                                                          \
    (_r)->sring->rsp_prod = (_r)->rsp_prod_pvt;                         \
} while (0)

/*
 * Publish, then tell whether the other side asked to be notified for an
 * index in (old, new]: _notify becomes true if it must be kicked.
 */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify) do {           \
    RING_IDX __old = (_r)->sring->req_prod;                             \
    RING_IDX __new = (_r)->req_prod_pvt;                                \
    xen_wmb();                                                          \
    (_r)->sring->req_prod = __new;                                      \
    xen_mb();                                                           \
    (_notify) = ((RING_IDX)(__new - (_r)->sring->req_event) <           \
                 (RING_IDX)(__new - __old));                            \
} while (0)

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify) do {          \
    RING_IDX __old = (_r)->sring->rsp_prod;                             \
    RING_IDX __new = (_r)->rsp_prod_pvt;                                \
    xen_wmb();                                                          \
    (_r)->sring->rsp_prod = __new;                                      \
    xen_mb();                                                           \
    (_notify) = ((RING_IDX)(__new - (_r)->sring->rsp_event) <           \
                 (RING_IDX)(__new - __old));                            \
} while (0)

/*
 * Before sleeping: if nothing is pending, ask for a notification on the
 * next message and look again (closing the race with a producer).
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work_to_do) do {             \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                   \
    if (_work_to_do) break;                                             \
    (_r)->sring->req_event = (_r)->req_cons + 1;                        \
    xen_mb();                                                           \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                   \
} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do) do {            \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                  \
    if (_work_to_do) break;                                             \
    (_r)->sring->rsp_event = (_r)->rsp_cons + 1;                        \
    xen_mb();                                                           \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);                  \
} while (0)

/* Ring protocols use 4 KiB pages whatever the guest's page size. */
#ifndef XEN_PAGE_SHIFT
#define XEN_PAGE_SHIFT 12
#endif

#endif /* PVABI_IO_RING_H */
