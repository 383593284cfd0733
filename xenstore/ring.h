/*
 * ring: the shared-page transport of xenstore (struct
 * xenstore_domain_interface in xen/io/xs_wire.h): a 1 KiB request ring the
 * guest produces into, a 1 KiB response ring we produce into, and an event
 * channel each side kicks after moving data.
 *
 * The protocol code here only sees a `ring_io`: the mapped page, a file
 * descriptor that becomes readable when the guest kicks, and a notify
 * operation. Backends supply them:
 *   ring_shm.c  plain host: a shared file or memfd and a pair of pipes,
 *               driven by test harnesses;
 *   ring_xen.c  dom0: the guest page mapped with libxengnttab (grant ref
 *               GNTTAB_RESERVED_XENSTORE) or libxenforeignmemory (mfn),
 *               the event channel bound with libxenevtchn.
 *
 * The guest controls the indexes, so every read of them is validated: a
 * producer more than a ring ahead of the consumer is a protocol error;
 * the connection is then dropped and the page's `error` field set.
 */
#ifndef PVSTORED_RING_H
#define PVSTORED_RING_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

struct conn;
struct daemon;

struct ring_io;

struct ring_io_ops {
    void (*notify)(struct ring_io *r);     /* kick the guest */
    void (*ack)(struct ring_io *r);        /* drain a pending kick */
    void (*release)(struct ring_io *r);    /* unmap and unbind */
    /* Optional: bind the guest's (new) port again; errno value. Used when
     * a known domain is introduced again, e.g. after resume. */
    int (*rebind)(struct ring_io *r, uint32_t domid, uint32_t port);
};

struct ring_io {
    const struct ring_io_ops *ops;
    volatile struct xenstore_domain_interface *intf;
    int event_fd;
    void *priv;
};

struct ring_backend {
    const char *name;
    /* Map domain `domid`'s page and bind its event channel. errno value. */
    int (*attach)(struct ring_backend *b, uint32_t domid, uint64_t mfn,
                  uint32_t port, struct ring_io **out);
    /* Optional: hook into the daemon's event loop (the Xen backend
     * demultiplexes its event channels and VIRQ_DOM_EXC there). */
    int (*start)(struct ring_backend *b, struct daemon *d);
    /* Optional: is this domain dying or gone from the hypervisor? */
    bool (*domain_gone)(struct ring_backend *b, uint32_t domid);
    void (*destroy)(struct ring_backend *b);
};

/* The ring behind a ring connection. */
struct ring_io *ring_conn_io(struct conn *c);
/* Create the connection serving a ring and start watching it. */
struct conn *ring_conn_new(struct daemon *d, struct ring_io *io, uint32_t domid);
/* Move data both ways now (used by the event callback and by tests). */
void ring_conn_poll(struct conn *c);

/* Backends. */
struct ring_backend *ring_shm_backend_new(const char *dir);
/* In-process rings for tests: register the page and fds for a domid. */
int ring_shm_register(struct ring_backend *b, uint32_t domid,
                      volatile struct xenstore_domain_interface *intf,
                      int event_fd, int notify_fd);
struct ring_backend *ring_xen_backend_new(void);

#endif
