/*
 * 2-level event channels: the upcall entry, per-port handlers, and the
 * bind/mask/unmask/send helpers. Handlers run on the vCPU the port is
 * bound to, with events masked (evtchn_upcall_mask = 1).
 */
#ifndef PVGUEST_EVENTS_H
#define PVGUEST_EVENTS_H

#include <pvguest/types.h>
#include <pvabi/event_channel.h>

#define NR_EVTCHN_PORTS 4096

typedef void (*evtchn_handler_t)(evtchn_port_t port, void *data);

/* Register the event and failsafe callbacks for the calling vCPU. */
long events_init_cpu(void);
/* Mask every port (done once at boot: ports start unmasked). */
void events_mask_all(void);

/* Bind and attach a handler. Return the port, or a negative error. The
 * port stays masked until evtchn_unmask(). */
long evtchn_bind_virq(uint32_t virq, unsigned int cpu, evtchn_handler_t fn, void *data);
long evtchn_bind_ipi(unsigned int cpu, evtchn_handler_t fn, void *data);
long evtchn_alloc_unbound(domid_t remote, evtchn_handler_t fn, void *data);
long evtchn_close(evtchn_port_t port);
long evtchn_send(evtchn_port_t port);
/* EVTCHNOP_unmask: clears the mask and re-raises if pending. */
long evtchn_unmask(evtchn_port_t port);
/* Guest-side only: set the mask bit / clear the pending bit. */
void evtchn_mask(evtchn_port_t port);
void evtchn_clear(evtchn_port_t port);
bool evtchn_is_pending(evtchn_port_t port);
bool evtchn_is_masked(evtchn_port_t port);
/* Attach a handler to a port bound elsewhere. */
void evtchn_set_handler(evtchn_port_t port, unsigned int cpu, evtchn_handler_t fn, void *data);

/* SCHEDOP_poll on one port until it is pending or system time reaches
 * deadline_ns: a wait that cannot hang. Returns the hypercall's result. */
long evtchn_poll(evtchn_port_t port, uint64_t deadline_ns);

/* The virtual interrupt flag of the calling vCPU. local_irq_enable()
 * forces delivery of anything pending with a cheap hypercall. */
void local_irq_disable(void);
void local_irq_enable(void);
bool local_irq_enabled(void);

/* Called from the entry code. */
void evtchn_do_upcall(void);

/* Number of upcalls taken on each vCPU. */
extern volatile unsigned long upcall_count[NR_CPUS];

#endif
