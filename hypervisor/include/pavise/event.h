/*
 * Event channels, 2-level ABI (shared_info pending/mask bitmaps, per-vCPU
 * pending_sel and upcall flags). Semantics and errors follow Xen 4.17's
 * common/event_channel.c: ports live in buckets of 64; a port is "valid"
 * once its bucket exists, even if free; port 0 is reserved.
 */
#ifndef PAVISE_EVENT_H
#define PAVISE_EVENT_H

#include <pavise/types.h>

struct domain;
struct vcpu;

#include <pvabi/event_channel.h>
#define EVTCHNS_PER_BUCKET     64
#define NR_EVTCHN_BUCKETS      (EVTCHN_2L_NR_CHANNELS / EVTCHNS_PER_BUCKET)

enum { ECS_FREE, ECS_RESERVED, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_PIRQ, ECS_VIRQ, ECS_IPI };

typedef void (*xen_evtchn_fn_t)(struct vcpu *v, unsigned int port);

struct evtchn {
    uint8_t state;
    uint16_t notify_vcpu_id;
    unsigned int port;
    xen_evtchn_fn_t xen_consumer;       /* hypervisor-side end (console backend) */
    union {
        struct { domid_t remote_domid; } unbound;
        struct { struct domain *remote_dom; unsigned int remote_port; } interdomain;
        unsigned int pirq;
        unsigned int virq;
    } u;
};

int evtchn_init(struct domain *d);
void evtchn_destroy(struct domain *d);
long do_event_channel_op(int cmd, void *arg);

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

/* A port whose other end is the hypervisor (e.g. a console backend). */
int alloc_unbound_xen_event_channel(struct domain *ld, unsigned int lvcpu, domid_t remote,
                                    xen_evtchn_fn_t fn);
void notify_via_xen_event_channel(struct domain *ld, unsigned int lport);
int evtchn_alloc_xen_pair(struct domain *d, xen_evtchn_fn_t fn, unsigned int *hv_port);
unsigned int evtchn_count_open(struct domain *d);
/* Raise d's port (a physical IRQ arrived); not from interrupt context. */
void evtchn_raise_port(struct domain *d, unsigned int port);

/* Arch hooks for EVTCHNOP_bind_pirq (x86: asm/pirq.h). */
long arch_pirq_bind(struct domain *d, unsigned int pirq, unsigned int port);
void arch_pirq_unbind(struct domain *d, unsigned int pirq);

#endif
