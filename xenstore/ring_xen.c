/*
 * ring_xen: the ring backend for dom0 under Xen (or Pavise), using
 * Debian's libraries as xenstored does:
 *   libxengnttab        map the guest's page by its reserved grant
 *                       (GNTTAB_RESERVED_XENSTORE),
 *   libxenforeignmemory or, failing that, by the mfn INTRODUCE gave,
 *   libxenevtchn        bind the guest's port, notify it, and learn of
 *                       dying domains through VIRQ_DOM_EXC,
 *   libxencall          ask the hypervisor whether a domain is dying.
 * dom0's own kernel ring (/proc/xen/xsd_kva, /proc/xen/xsd_port) is
 * served too when present.
 *
 * One event-channel fd carries every port, so this backend reads it,
 * finds the ring behind the pending port and signals that ring's eventfd;
 * the generic ring code then runs as on any other backend.
 */
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xencall.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xen/domctl.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include "daemon.h"

enum map_kind { MAP_GRANT, MAP_FOREIGN, MAP_KVA };

struct xen_ring {
    struct ring_io io;
    struct xen_backend *b;
    struct xen_ring *next;
    evtchn_port_t local_port;   /* 0: none (Xen never hands out port 0) */
    enum map_kind kind;
};

struct xen_backend {
    struct ring_backend base;
    struct daemon *d;
    xengnttab_handle *gnt;
    xenforeignmemory_handle *fmem;
    xenevtchn_handle *xce;
    xencall_handle *xcall;
    ev_io w;
    int virq_port;
    struct xen_ring *rings;
};

static void xen_notify(struct ring_io *r)
{
    struct xen_ring *x = (struct xen_ring *)r;

    if (x->local_port)
        xenevtchn_notify(x->b->xce, x->local_port);
}

static void xen_ack(struct ring_io *r)
{
    uint64_t v;

    if (read(r->event_fd, &v, sizeof(v)) < 0)
        return;
}

static void xen_release(struct ring_io *r)
{
    struct xen_ring *x = (struct xen_ring *)r, **pp;
    struct xen_backend *b = x->b;

    for (pp = &b->rings; *pp; pp = &(*pp)->next)
        if (*pp == x) {
            *pp = x->next;
            break;
        }
    if (x->local_port)
        xenevtchn_unbind(b->xce, x->local_port);
    switch (x->kind) {
    case MAP_GRANT: xengnttab_unmap(b->gnt, (void *)r->intf, 1); break;
    case MAP_FOREIGN: xenforeignmemory_unmap(b->fmem, (void *)r->intf, 1); break;
    case MAP_KVA: munmap((void *)r->intf, 4096); break;
    }
    close(r->event_fd);
    free(x);
}

static int xen_rebind(struct ring_io *r, uint32_t domid, uint32_t port)
{
    struct xen_ring *x = (struct xen_ring *)r;
    int lp;

    if (x->local_port)
        xenevtchn_unbind(x->b->xce, x->local_port);
    /* The old port is gone whatever happens next: keeping its number
     * would unbind (and take the events of) whichever ring is given it
     * next. Unbound until the next INTRODUCE, as in xenstored 4.17. */
    x->local_port = 0;
    lp = xenevtchn_bind_interdomain(x->b->xce, domid, port);
    if (lp < 0)
        return EINVAL;
    x->local_port = (evtchn_port_t)lp;
    return 0;
}

static const struct ring_io_ops xen_ops = {
    .notify = xen_notify,
    .ack = xen_ack,
    .release = xen_release,
    .rebind = xen_rebind,
};

/* dom0's own xenbus page, exported by its kernel. */
static void *map_kva(void)
{
    int fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
    void *p;

    if (fd < 0)
        return NULL;
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static int xen_attach(struct ring_backend *base, uint32_t domid, uint64_t mfn,
                      uint32_t port, struct ring_io **out)
{
    struct xen_backend *b = (struct xen_backend *)base;
    struct xen_ring *x = calloc(1, sizeof(*x));
    void *page = NULL;
    int lp;

    if (!x)
        return ENOMEM;
    if (domid == 0) {
        page = map_kva();
        x->kind = MAP_KVA;
    }
    if (!page) {
        page = xengnttab_map_grant_ref(b->gnt, domid, GNTTAB_RESERVED_XENSTORE,
                                       PROT_READ | PROT_WRITE);
        x->kind = MAP_GRANT;
    }
    if (!page && mfn && b->fmem) {
        xen_pfn_t pfn = (xen_pfn_t)mfn;

        page = xenforeignmemory_map(b->fmem, domid, PROT_READ | PROT_WRITE, 1, &pfn, NULL);
        x->kind = MAP_FOREIGN;
    }
    if (!page) {
        free(x);
        return EINVAL;
    }
    x->io.intf = page;
    lp = xenevtchn_bind_interdomain(b->xce, domid, port);
    x->io.event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (lp < 0 || x->io.event_fd < 0) {
        if (lp >= 0)
            xenevtchn_unbind(b->xce, (evtchn_port_t)lp);
        if (x->io.event_fd >= 0)
            close(x->io.event_fd);
        x->io.event_fd = -1;
        x->local_port = 0;
        /* Unmap through the normal path without an fd or port. */
        if (x->kind == MAP_GRANT)
            xengnttab_unmap(b->gnt, page, 1);
        else if (x->kind == MAP_FOREIGN)
            xenforeignmemory_unmap(b->fmem, page, 1);
        else
            munmap(page, 4096);
        free(x);
        return EINVAL;
    }
    x->local_port = (evtchn_port_t)lp;
    x->io.ops = &xen_ops;
    x->b = b;
    x->next = b->rings;
    b->rings = x;
    *out = &x->io;
    return 0;
}

/* XEN_DOMCTL_getdomaininfo through libxencall. */
static bool xen_domain_gone(struct ring_backend *base, uint32_t domid)
{
    struct xen_backend *b = (struct xen_backend *)base;
    struct xen_domctl *dc;
    bool gone;
    int rc;

    if (!b->xcall)
        return false;
    dc = xencall_alloc_buffer(b->xcall, sizeof(*dc));
    if (!dc)
        return false;
    memset(dc, 0, sizeof(*dc));
    dc->cmd = XEN_DOMCTL_getdomaininfo;
    dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    dc->domain = (domid_t)domid;
    rc = xencall1(b->xcall, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)dc);
    if (rc < 0)
        gone = errno == ESRCH;
    else
        gone = dc->domain != domid || (dc->u.getdomaininfo.flags & XEN_DOMINF_dying);
    xencall_free_buffer(b->xcall, dc);
    return gone;
}

static void xce_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct xen_backend *b = container_of(w, struct xen_backend, w);
    int port = xenevtchn_pending(b->xce);

    (void)loop;
    (void)revents;
    if (port < 0)
        return;
    xenevtchn_unmask(b->xce, (evtchn_port_t)port);
    if (port == b->virq_port) {
        domain_check_gone(b->d);
        return;
    }
    for (struct xen_ring *x = b->rings; x; x = x->next)
        if (x->local_port == (evtchn_port_t)port) {
            uint64_t one = 1;

            if (write(x->io.event_fd, &one, sizeof(one)) < 0)
                daemon_log(b->d, "eventfd write failed for port %d", port);
            break;
        }
}

static int read_port(void)
{
    FILE *f = fopen("/proc/xen/xsd_port", "r");
    int port = -1;

    if (!f)
        return -1;
    if (fscanf(f, "%d", &port) != 1)
        port = -1;
    fclose(f);
    return port;
}

static int xen_start(struct ring_backend *base, struct daemon *d)
{
    struct xen_backend *b = (struct xen_backend *)base;
    int port;

    b->d = d;
    ev_io_init(&b->w, xce_cb, xenevtchn_fd(b->xce), EV_READ);
    ev_io_start(d->loop, &b->w);
    b->virq_port = xenevtchn_bind_virq(b->xce, VIRQ_DOM_EXC);
    if (b->virq_port < 0)
        daemon_log(d, "cannot bind VIRQ_DOM_EXC: dead domains are noticed only on RELEASE");
    /* Serve dom0's kernel if it left its page for us. */
    port = d->no_dom0_ring ? -1 : read_port();
    if (port > 0 && domain_introduce(d, 0, 0, (uint32_t)port))
        daemon_log(d, "cannot serve dom0's own ring (port %d)", port);
    return 0;
}

static void xen_destroy(struct ring_backend *base)
{
    struct xen_backend *b = (struct xen_backend *)base;

    if (b->d && b->d->loop)
        ev_io_stop(b->d->loop, &b->w);
    if (b->xcall)
        xencall_close(b->xcall);
    if (b->fmem)
        xenforeignmemory_close(b->fmem);
    xengnttab_close(b->gnt);
    xenevtchn_close(b->xce);
    free(b);
}

struct ring_backend *ring_xen_backend_new(void)
{
    struct xen_backend *b = calloc(1, sizeof(*b));

    if (!b)
        return NULL;
    b->xce = xenevtchn_open(NULL, 0);
    b->gnt = xengnttab_open(NULL, 0);
    if (!b->xce || !b->gnt) {
        if (b->xce)
            xenevtchn_close(b->xce);
        if (b->gnt)
            xengnttab_close(b->gnt);
        free(b);
        return NULL;
    }
    b->fmem = xenforeignmemory_open(NULL, 0);
    b->xcall = xencall_open(NULL, 0);
    b->virq_port = -1;
    b->base.name = "xen";
    b->base.attach = xen_attach;
    b->base.start = xen_start;
    b->base.domain_gone = xen_domain_gone;
    b->base.destroy = xen_destroy;
    return &b->base;
}
