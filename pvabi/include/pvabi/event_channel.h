/*
 * Xen 4.17 public ABI: event channels.
 *
 * An event channel is a port in a domain; raising it sets its pending bit
 * and, if it is not masked, upcalls the vCPU it is bound to. The 2-level
 * ABI keeps pending and mask bits in shared_info (see pvabi/xen.h); the
 * FIFO ABI keeps them in guest-provided event arrays.
 *
 * HYPERVISOR_event_channel_op(int cmd, void *arg)
 *   cmd  EVTCHNOP_*; arg  the struct evtchn_* of that command.
 *   Errors common to all: -ENOSYS unknown cmd; -EFAULT arg unreadable or
 *   the result cannot be written back.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/event_channel.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_EVENT_CHANNEL_H
#define PVABI_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset           10
#define EVTCHNOP_init_control    11
#define EVTCHNOP_expand_array    12
#define EVTCHNOP_set_priority    13

#ifndef __ASSEMBLER__

typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/*
 * EVTCHNOP_alloc_unbound
 * In:  dom  the domain to allocate in (DOMID_SELF unless privileged);
 *      remote_dom  the domain allowed to bind to it (may be DOMID_SELF).
 * Out: port  a fresh port in state unbound.
 * Errors: -ESRCH unknown domain; -EPERM dom is another domain and the
 *         caller is not privileged; -ENOSPC no free port.
 */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;            /* in  */
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/*
 * EVTCHNOP_bind_interdomain
 * In:  remote_dom, remote_port  an unbound port that accepts the caller
 *      (remote_dom may be DOMID_SELF for a loopback channel).
 * Out: local_port  a fresh port connected to it. The new port is set
 *      pending, in case the peer signalled before the connection existed.
 * Errors: -ESRCH unknown domain; -EINVAL remote_port invalid or not
 *         unbound for the caller; -ENOSPC no free port.
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom;                 /* in  */
    evtchn_port_t remote_port;          /* in  */
    evtchn_port_t local_port;           /* out */
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/*
 * EVTCHNOP_bind_virq
 * In:  virq  VIRQ_*; vcpu  the vCPU to notify. Global VIRQs are bound on
 *      vCPU 0 (EVTCHNOP_bind_vcpu may move them later); a per-vCPU VIRQ
 *      is bound at most once per vCPU and stays on it.
 * Out: port.
 * Errors: -EINVAL virq out of range, or a global VIRQ on a vCPU other
 *         than 0; -ENOENT no such vCPU; -EEXIST already bound.
 */
struct evtchn_bind_virq {
    uint32_t virq;                      /* in  */
    uint32_t vcpu;                      /* in  */
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/*
 * EVTCHNOP_bind_pirq (privileged domains)
 * In:  pirq  a physical IRQ mapped to the caller (PHYSDEVOP_map_pirq);
 *      flags  BIND_PIRQ__WILL_SHARE if the line may be shared.
 * Out: port.  Errors: -EINVAL bad pirq; -EEXIST already bound; -EPERM.
 */
struct evtchn_bind_pirq {
    uint32_t pirq;                      /* in  */
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;                     /* in: BIND_PIRQ__* */
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/*
 * EVTCHNOP_bind_ipi
 * In:  vcpu  the vCPU to notify (fixed for the life of the port).
 * Out: port; sending on it raises it on that vCPU.
 * Errors: -ENOENT no such vCPU; -ENOSPC no free port.
 */
struct evtchn_bind_ipi {
    uint32_t vcpu;                      /* in  */
    evtchn_port_t port;                 /* out */
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/*
 * EVTCHNOP_close
 * In:  port. The port becomes free; an interdomain peer goes back to
 *      unbound. Errors: -EINVAL invalid port.
 */
struct evtchn_close {
    evtchn_port_t port;                 /* in  */
};
typedef struct evtchn_close evtchn_close_t;

/*
 * EVTCHNOP_send
 * In:  port. Raises the remote end of an interdomain channel, or the port
 *      itself for an IPI port. Sending on an unbound port does nothing.
 * Errors: -EINVAL invalid port, or one that cannot be sent on (VIRQ,
 *         PIRQ, closed).
 */
struct evtchn_send {
    evtchn_port_t port;                 /* in  */
};
typedef struct evtchn_send evtchn_send_t;

/*
 * EVTCHNOP_status
 * In:  dom (DOMID_SELF unless privileged), port.
 * Out: status  EVTCHNSTAT_*; vcpu  the vCPU notified; u  per status.
 * Errors: -ESRCH unknown domain; -EPERM not allowed; -EINVAL invalid port.
 */
struct evtchn_status {
    domid_t  dom;                       /* in  */
    evtchn_port_t port;                 /* in  */
#define EVTCHNSTAT_closed       0       /* not in use                     */
#define EVTCHNSTAT_unbound      1       /* waiting for an interdomain peer */
#define EVTCHNSTAT_interdomain  2       /* connected to another port      */
#define EVTCHNSTAT_pirq         3       /* bound to a physical IRQ        */
#define EVTCHNSTAT_virq         4       /* bound to a virtual IRQ         */
#define EVTCHNSTAT_ipi          5       /* an IPI port                    */
    uint32_t status;                    /* out */
    uint32_t vcpu;                      /* out */
    union {
        struct {
            domid_t dom;
        } unbound;                      /* EVTCHNSTAT_unbound     */
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;                  /* EVTCHNSTAT_interdomain */
        uint32_t pirq;                  /* EVTCHNSTAT_pirq        */
        uint32_t virq;                  /* EVTCHNSTAT_virq        */
    } u;                                /* out */
};
typedef struct evtchn_status evtchn_status_t;

/*
 * EVTCHNOP_bind_vcpu
 * In:  port, vcpu: notify that vCPU from now on. Only interdomain,
 *      unbound, PIRQ and global-VIRQ ports can move.
 * Errors: -EINVAL invalid port or one that cannot move; -ENOENT no such
 *         vCPU.
 */
struct evtchn_bind_vcpu {
    evtchn_port_t port;                 /* in  */
    uint32_t vcpu;                      /* in  */
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/*
 * EVTCHNOP_unmask
 * In:  port. Clears its mask bit; if it is pending, notifies its vCPU as
 *      if it had just been raised. Errors: -EINVAL invalid port.
 */
struct evtchn_unmask {
    evtchn_port_t port;                 /* in  */
};
typedef struct evtchn_unmask evtchn_unmask_t;

/*
 * EVTCHNOP_reset
 * In:  dom (DOMID_SELF unless privileged). Closes all of the domain's
 *      ports; for DOMID_SELF also drops back from FIFO to the 2-level ABI.
 * Errors: -ESRCH unknown domain; -EPERM not allowed.
 */
struct evtchn_reset {
    domid_t dom;                        /* in  */
};
typedef struct evtchn_reset evtchn_reset_t;

/*
 * EVTCHNOP_init_control (FIFO ABI)
 * In:  control_gfn, offset  where this vCPU's control block lives;
 *      vcpu  which vCPU.
 * Out: link_bits  EVTCHN_FIFO_LINK_BITS. The first call switches the
 *      domain to FIFO; ports pending in the 2-level arrays are carried over.
 * Errors (in this order): -ENOENT no such vCPU; -EINVAL bad offset or
 *         frame, or this vCPU already initialised.
 */
struct evtchn_init_control {
    uint64_t control_gfn;               /* in  */
    uint32_t offset;                    /* in  */
    uint32_t vcpu;                      /* in  */
    uint8_t link_bits;                  /* out */
    uint8_t _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/*
 * EVTCHNOP_expand_array (FIFO ABI)
 * In:  array_gfn  one more page of event words.
 * Errors: -EOPNOTSUPP the domain uses the 2-level ABI; -EINVAL bad frame;
 *         -ENOSPC the array is at its maximum size (128 pages).
 */
struct evtchn_expand_array {
    uint64_t array_gfn;                 /* in  */
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

/*
 * EVTCHNOP_set_priority (FIFO ABI)
 * In:  port, priority (EVTCHN_FIFO_PRIORITY_MAX..MIN).
 * Errors: -ENOSYS with the 2-level ABI; then -EINVAL invalid port,
 *         -EACCES unbound port, -EINVAL priority above 15.
 */
struct evtchn_set_priority {
    evtchn_port_t port;                 /* in  */
    uint32_t priority;                  /* in  */
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/*
 * HYPERVISOR_event_channel_op_compat(struct evtchn_op *op): the same
 * commands with the command number inside the argument.
 */
struct evtchn_op {
    uint32_t cmd;                       /* EVTCHNOP_* */
    union {
        evtchn_alloc_unbound_t    alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t        bind_virq;
        evtchn_bind_pirq_t        bind_pirq;
        evtchn_bind_ipi_t         bind_ipi;
        evtchn_close_t            close;
        evtchn_send_t             send;
        evtchn_status_t           status;
        evtchn_bind_vcpu_t        bind_vcpu;
        evtchn_unmask_t           unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);

#endif /* !__ASSEMBLER__ */

/* 2-level ABI: one bit per port in xen_ulong_t words, one selector word. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI: priorities run from 0 (highest) to 15 (lowest). */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15

#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

#ifndef __ASSEMBLER__
typedef uint32_t event_word_t;
#endif

/* Bits of an event word; the low EVTCHN_FIFO_LINK_BITS are the link. */
#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED  30
#define EVTCHN_FIFO_LINKED  29
#define EVTCHN_FIFO_BUSY    28

#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)

#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLER__
/* Per-vCPU FIFO control block: ready bitmap and the head of each queue. */
struct evtchn_fifo_control_block {
    uint32_t ready;
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;
#endif

#endif /* PVABI_EVENT_CHANNEL_H */
