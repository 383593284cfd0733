/*
 * Event channels. Semantics and errors follow Xen 4.17's
 * common/event_channel.c: ports live in buckets of 64 (in groups of 64
 * buckets); a port is "valid" once its bucket exists, even if free;
 * port 0 is reserved.
 *
 * Two ABIs share the ports, as on Xen: every domain starts with the
 * 2-level one (shared_info pending/mask bitmaps, per-vCPU pending_sel);
 * EVTCHNOP_init_control switches it to the FIFO one (evtchn_fifo.c: event
 * words in guest pages, per-vCPU priority queues) and EVTCHNOP_reset of
 * the domain switches it back. What differs is behind struct
 * evtchn_port_ops.
 */
#ifndef PAVISE_EVENT_H
#define PAVISE_EVENT_H

#include <pavise/types.h>

struct domain;
struct vcpu;

#include <pvabi/event_channel.h>
#define EVTCHNS_PER_BUCKET        64
#define EVTCHN_BUCKETS_PER_GROUP  64
#define EVTCHNS_PER_GROUP         (EVTCHNS_PER_BUCKET * EVTCHN_BUCKETS_PER_GROUP)
/* EVTCHN_NR_GROUPS (domain.h) groups cover every FIFO port. */

enum { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_PIRQ, ECS_VIRQ, ECS_IPI };

typedef void (*xen_evtchn_fn_t)(struct vcpu *v, unsigned int port);

struct evtchn {
    uint8_t state;
    uint8_t priority;                   /* FIFO: the queue its events go to */
    uint16_t notify_vcpu_id;
    unsigned int port;
    uint32_t fifo_lastq;                /* FIFO: queue it was last linked on (evtchn_fifo.c) */
    bool pending;                       /* FIFO: raised while it had no event word */
    xen_evtchn_fn_t xen_consumer;       /* hypervisor-side end (console backend) */
    union {
        struct { domid_t remote_domid; } unbound;
        struct { struct domain *remote_dom; unsigned int remote_port; } interdomain;
        unsigned int pirq;
        unsigned int virq;
    } u;
};

/*
 * What an event ABI does with a port. Called with the port's domain lock
 * held, or (set_pending) the lock of a domain with an interdomain channel
 * to it: either keeps the ABI's state alive (see evtchn_reset()).
 */
struct evtchn_port_ops {
    void (*init)(struct domain *d, struct evtchn *chn);         /* just bound; may be NULL */
    void (*set_pending)(struct vcpu *v, struct evtchn *chn);
    void (*clear_pending)(struct domain *d, struct evtchn *chn);
    void (*unmask)(struct domain *d, struct evtchn *chn);
    bool (*is_pending)(const struct domain *d, const struct evtchn *chn);
    bool (*is_masked)(const struct domain *d, const struct evtchn *chn);
    /* Still queued in guest memory: the port cannot be reused yet. May be NULL. */
    bool (*is_busy)(const struct domain *d, const struct evtchn *chn);
    /* NULL: the ABI has no priorities (-ENOSYS). */
    int (*set_priority)(struct domain *d, struct evtchn *chn, unsigned int priority);
};

extern const struct evtchn_port_ops evtchn_port_ops_2l;     /* evtchn_2l.c */
extern const struct evtchn_port_ops evtchn_port_ops_fifo;   /* evtchn_fifo.c */

int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);
long do_event_channel_op(int cmd, void *arg);
long evtchn_unmask(struct domain *d, unsigned int port);

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
void send_guest_global_virq(struct domain *d, unsigned int virq);
bool virq_is_global(unsigned int virq);
/* Pending + not masked for this vCPU: an upcall is due. */
bool local_events_need_delivery(void);
/* Mark upcall pending and kick v (used when registering vcpu_info). */
void vcpu_mark_events_pending(struct vcpu *v);
/* Wake v if blocked and make it look at its events. */
void vcpu_kick(struct vcpu *v);
void vcpu_unblock(struct vcpu *v);
/* SCHEDOP_poll helpers. */
long evtchn_poll(struct vcpu *v, const uint32_t *ports, unsigned int nr, int64_t timeout);
void evtchn_poll_timeout(void *data);
/* Wake the vCPUs of d polling on port (it just became pending). */
void evtchn_check_pollers(struct domain *d, unsigned int port);
/* d's port, or NULL if it has no bucket yet. Caller holds d's lock. */
struct evtchn *evtchn_lookup(struct domain *d, unsigned int port);

/* A port whose other end is the hypervisor (e.g. a console backend). */
int alloc_unbound_xen_event_channel(struct domain *ld, unsigned int lvcpu, domid_t remote,
                                    xen_evtchn_fn_t fn);
void notify_via_xen_event_channel(struct domain *ld, unsigned int lport);
int evtchn_alloc_xen_pair(struct domain *d, xen_evtchn_fn_t fn, unsigned int *hv_port);
unsigned int evtchn_count_open(struct domain *d);
/* Raise d's port (a physical IRQ arrived); not from interrupt context. */
void evtchn_raise_port(struct domain *d, unsigned int port);

/*
 * FIFO ABI (evtchn_fifo.c). init_control and expand_array act on the
 * calling domain and take its lock; destroy drops every guest page the
 * ABI holds and is called with d's lock held, once no port of d is open
 * (nothing can raise one).
 */
long evtchn_fifo_init_control(struct evtchn_init_control *ic);
long evtchn_fifo_expand_array(const struct evtchn_expand_array *ea);
void evtchn_fifo_destroy(struct domain *d);

/* Arch hooks for EVTCHNOP_bind_pirq (x86: asm/pirq.h). */
long arch_pirq_bind(struct domain *d, unsigned int pirq, unsigned int port);
void arch_pirq_unbind(struct domain *d, unsigned int pirq, unsigned int port);

#endif
