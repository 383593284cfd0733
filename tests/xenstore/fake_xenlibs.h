/*
 * fake_xenlibs: stand-ins for Debian's libxenevtchn, libxengnttab,
 * libxenforeignmemory and libxencall, linked instead of them so that
 * ring_xen.c (the dom0 backend) runs on a plain host. The fake hypervisor
 * state is set up by the test: which domain's grant or frame maps to
 * which page, which domains are dying, which event ports are pending.
 */
#ifndef TESTS_XENSTORE_FAKE_XENLIBS_H
#define TESTS_XENSTORE_FAKE_XENLIBS_H

#include <stdbool.h>
#include <stdint.h>

enum fake_dom_state { FAKE_DOM_RUNNING, FAKE_DOM_DYING, FAKE_DOM_GONE };

struct fake_port {
    bool bound;
    bool virq;
    uint32_t domid, remote;     /* interdomain binding */
    unsigned notified;          /* xenevtchn_notify() calls */
};

#define FAKE_PORTS 64
extern struct fake_port fake_ports[FAKE_PORTS];

/* The page guest `domid` granted with GNTTAB_RESERVED_XENSTORE. */
void fake_grant_page(uint32_t domid, void *page);
/* The page at frame `mfn` of guest `domid`. */
void fake_foreign_page(uint32_t domid, uint64_t mfn, void *page);
void fake_domain_state(uint32_t domid, enum fake_dom_state s);
/* Fail the next interdomain bindings to this domain. */
void fake_refuse_bind(uint32_t domid);
/* The hypervisor raises a local port (as a guest's notify would). */
void fake_raise(unsigned port);
/* Local port bound to a guest's remote port, -1 if none. */
int fake_local_port(uint32_t domid, uint32_t remote);
/* Local port bound to a VIRQ, -1 if none. */
int fake_virq_port(void);
void fake_reset(void);

#endif
