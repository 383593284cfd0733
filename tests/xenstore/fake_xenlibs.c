/* fake_xenlibs: the Xen libraries' calls ring_xen.c makes (see .h). */
#define _GNU_SOURCE
#define __XEN_TOOLS__ 1

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xencall.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xen/domctl.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include "fake_xenlibs.h"

struct fake_port fake_ports[FAKE_PORTS];

#define FAKE_DOMS 16
static void *grants[FAKE_DOMS];
static struct { void *page; uint64_t mfn; } frames[FAKE_DOMS];
static enum fake_dom_state states[FAKE_DOMS];
static bool refuse[FAKE_DOMS];
static int evpipe[2] = { -1, -1 };
static unsigned pending[256], npending;

struct xenevtchn_handle { int dummy; };
struct xengntdev_handle { int dummy; };
struct xenforeignmemory_handle { int dummy; };
struct xencall_handle { int dummy; };

void fake_reset(void)
{
    memset(fake_ports, 0, sizeof(fake_ports));
    memset(grants, 0, sizeof(grants));
    memset(frames, 0, sizeof(frames));
    memset(states, 0, sizeof(states));
    memset(refuse, 0, sizeof(refuse));
    npending = 0;
}

void fake_grant_page(uint32_t domid, void *page) { grants[domid % FAKE_DOMS] = page; }

void fake_foreign_page(uint32_t domid, uint64_t mfn, void *page)
{
    frames[domid % FAKE_DOMS].page = page;
    frames[domid % FAKE_DOMS].mfn = mfn;
}

void fake_domain_state(uint32_t domid, enum fake_dom_state s) { states[domid % FAKE_DOMS] = s; }
void fake_refuse_bind(uint32_t domid) { refuse[domid % FAKE_DOMS] = true; }

void fake_raise(unsigned port)
{
    char b = 1;

    pending[npending++ % 256] = port;
    (void)!write(evpipe[1], &b, 1);
}

int fake_local_port(uint32_t domid, uint32_t remote)
{
    for (int p = 1; p < FAKE_PORTS; p++)
        if (fake_ports[p].bound && !fake_ports[p].virq &&
            fake_ports[p].domid == domid && fake_ports[p].remote == remote)
            return p;
    return -1;
}

int fake_virq_port(void)
{
    for (int p = 1; p < FAKE_PORTS; p++)
        if (fake_ports[p].bound && fake_ports[p].virq)
            return p;
    return -1;
}

static int new_port(void)
{
    for (int p = 1; p < FAKE_PORTS; p++)
        if (!fake_ports[p].bound) {
            memset(&fake_ports[p], 0, sizeof(fake_ports[p]));
            fake_ports[p].bound = true;
            return p;
        }
    errno = ENOSPC;
    return -1;
}

/* libxenevtchn */
xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int flags)
{
    static struct xenevtchn_handle h;

    (void)logger;
    (void)flags;
    if (evpipe[0] < 0 && pipe2(evpipe, O_NONBLOCK | O_CLOEXEC))
        return NULL;
    return &h;
}

int xenevtchn_close(xenevtchn_handle *xce) { (void)xce; return 0; }
int xenevtchn_fd(xenevtchn_handle *xce) { (void)xce; return evpipe[0]; }

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    if (port >= FAKE_PORTS || !fake_ports[port].bound) {
        errno = EINVAL;
        return -1;
    }
    fake_ports[port].notified++;
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                     evtchn_port_t remote_port)
{
    int p;

    (void)xce;
    if (refuse[domid % FAKE_DOMS] || states[domid % FAKE_DOMS] == FAKE_DOM_GONE) {
        errno = ESRCH;
        return -1;
    }
    p = new_port();
    if (p > 0) {
        fake_ports[p].domid = domid;
        fake_ports[p].remote = remote_port;
    }
    return p;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
    int p = new_port();

    (void)xce;
    if (p > 0)
        fake_ports[p].virq = virq == VIRQ_DOM_EXC;
    return p;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    if (port >= FAKE_PORTS || !fake_ports[port].bound) {
        errno = EINVAL;
        return -1;
    }
    fake_ports[port].bound = false;
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    unsigned port;
    char b;

    (void)xce;
    if (read(evpipe[0], &b, 1) != 1 || !npending)
        return -1;
    port = pending[0];
    npending--;
    memmove(pending, pending + 1, npending * sizeof(pending[0]));
    return (int)port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    (void)port;
    return 0;
}

/* libxengnttab */
xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
    static struct xengntdev_handle h;

    (void)logger;
    (void)open_flags;
    return &h;
}

int xengnttab_close(xengnttab_handle *xgt) { (void)xgt; return 0; }

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
    (void)xgt;
    (void)prot;
    if (ref != GNTTAB_RESERVED_XENSTORE || !grants[domid % FAKE_DOMS]) {
        errno = EINVAL;
        return NULL;
    }
    return grants[domid % FAKE_DOMS];
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
    (void)xgt;
    (void)start_address;
    (void)count;
    return 0;
}

/* libxenforeignmemory */
xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
                                               unsigned open_flags)
{
    static struct xenforeignmemory_handle h;

    (void)logger;
    (void)open_flags;
    return &h;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem) { (void)fmem; return 0; }

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot,
                           size_t pages, const xen_pfn_t arr[], int err[])
{
    (void)fmem;
    (void)prot;
    (void)err;
    if (pages != 1 || !frames[dom % FAKE_DOMS].page || arr[0] != frames[dom % FAKE_DOMS].mfn) {
        errno = EINVAL;
        return NULL;
    }
    return frames[dom % FAKE_DOMS].page;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
    (void)fmem;
    (void)addr;
    (void)pages;
    return 0;
}

/* libxencall: XEN_DOMCTL_getdomaininfo only. */
xencall_handle *xencall_open(struct xentoollog_logger *logger, unsigned open_flags)
{
    static struct xencall_handle h;

    (void)logger;
    (void)open_flags;
    return &h;
}

int xencall_close(xencall_handle *xcall) { (void)xcall; return 0; }
void *xencall_alloc_buffer(xencall_handle *xcall, size_t size) { (void)xcall; return malloc(size); }
void xencall_free_buffer(xencall_handle *xcall, void *p) { (void)xcall; free(p); }

int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1)
{
    struct xen_domctl *dc = (struct xen_domctl *)(uintptr_t)arg1;
    uint32_t domid = dc->domain;

    (void)xcall;
    if (op != __HYPERVISOR_domctl || dc->cmd != XEN_DOMCTL_getdomaininfo ||
        dc->interface_version != XEN_DOMCTL_INTERFACE_VERSION) {
        errno = ENOSYS;
        return -1;
    }
    if (states[domid % FAKE_DOMS] == FAKE_DOM_GONE) {
        errno = ESRCH;
        return -1;
    }
    dc->u.getdomaininfo.domain = (domid_t)domid;
    dc->u.getdomaininfo.flags = states[domid % FAKE_DOMS] == FAKE_DOM_DYING ? XEN_DOMINF_dying : 0;
    return 0;
}
