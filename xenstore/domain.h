/*
 * domain: guests known to the store (INTRODUCE'd by the toolstack), each
 * served over its shared ring, and the domain-level requests: INTRODUCE,
 * RELEASE, RESUME, SET_TARGET, IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH.
 * Introducing a domain fires @introduceDomain; releasing one (or the
 * hypervisor reporting it dead) closes its connection, deletes the nodes
 * it owned (or hands them to dom0 with --keep-orphans), makes grants
 * naming it inert, and fires @releaseDomain, so that a later domain
 * reusing the id inherits nothing (xenstored 4.17's rules).
 */
#ifndef PVSTORED_DOMAIN_H
#define PVSTORED_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

struct daemon;
struct conn;
struct ring_io;

struct domain {
    struct domain *next;
    uint32_t domid;
    uint32_t port;
    uint64_t mfn;
    bool shutdown;
    struct conn *conn;
};

struct domain *domain_find(struct daemon *d, uint32_t domid);
/* errno value. Re-introducing a known domain only rebinds nothing and
 * succeeds (xenstored: used to recreate the event channel). */
int domain_introduce(struct daemon *d, uint32_t domid, uint64_t mfn, uint32_t port);
int domain_release(struct daemon *d, uint32_t domid);
/* The hypervisor reported state changes: release dead domains. */
void domain_check_gone(struct daemon *d);
/* Called when a domain's ring connection is freed. */
void domain_conn_gone(struct daemon *d, struct domain *dom);

#endif
