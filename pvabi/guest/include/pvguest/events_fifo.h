/*
 * FIFO event channels for test guests (EVTCHNOP_init_control and friends),
 * consumed the way Linux 6.1 does (drivers/xen/events/events_fifo.c):
 * per vCPU, take the READY bits, and for the highest ready priority follow
 * the queue from HEAD (or where the last walk stopped), clearing LINKED on
 * each word, handling the ones pending and unmasked.
 *
 * Unlike Linux, the walk checks every LINK against the event array and
 * stops a queue whose link leads nowhere (counted in fifo_bad_links), so
 * that tests can corrupt their own queues on purpose.
 *
 * The 2-level helpers of events.h stay as they are; a vCPU uses the FIFO
 * upcall only after fifo_use_upcall() on it.
 */
#ifndef PVGUEST_EVENTS_FIFO_H
#define PVGUEST_EVENTS_FIFO_H

#include <pvguest/types.h>
#include <pvabi/event_channel.h>

#define FIFO_WORDS_PER_PAGE   (PAGE_SIZE / sizeof(event_word_t))
#define FIFO_MAX_ARRAY_PAGES  (EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)

/* Called for each pending, unmasked event found, on the vCPU whose queue
 * held it, after its PENDING bit was cleared (the "ack"). */
typedef void (*fifo_handler_t)(evtchn_port_t port, unsigned int cpu);
void fifo_set_handler(fifo_handler_t fn);

/* EVTCHNOP_init_control for vCPU `cpu`, control block at page + offset
 * (zeroed first, as Linux does). Returns the hypercall's result; the
 * link_bits it reports go to *link_bits if given. */
long fifo_init_control(unsigned int cpu, void *page, uint32_t offset, uint8_t *link_bits);
/* Mask every word of `page`, then EVTCHNOP_expand_array with it: on
 * success it holds the next FIFO_WORDS_PER_PAGE ports. */
long fifo_expand(void *page);
/* Ports that have an event word. */
unsigned int fifo_nr_ports(void);
/* Forget every control block and page (after EVTCHNOP_reset). */
void fifo_forget(void);

/* Route the calling vCPU's event upcall to fifo_upcall(). */
long fifo_use_upcall(void);
/* The upcall: consume this vCPU's queues until no upcall is pending. */
void fifo_upcall(void);
/* One pass over the calling vCPU's ready queues; returns events handled. */
unsigned int fifo_consume(void);

/* The word of `port`, or NULL if the array does not reach it. */
volatile event_word_t *fifo_word(evtchn_port_t port);
struct evtchn_fifo_control_block *fifo_control_block(unsigned int cpu);
void fifo_mask(evtchn_port_t port);
/* Linux's unmask: clear MASKED unless PENDING, else EVTCHNOP_unmask (the
 * hypervisor queues it). Returns the hypercall's result, or 0. */
long fifo_unmask(evtchn_port_t port);
long fifo_set_priority(evtchn_port_t port, uint32_t priority);

/* Links that led outside the event array, per vCPU. */
extern volatile unsigned long fifo_bad_links[NR_CPUS];

#endif
