/*
 * Helpers shared by the inter-domain test guests (tests/interdom/).
 *
 * Boot-time domains have no xenstore, so peers find each other by
 * convention: domain ids are fixed by the order of the domu= options and
 * passed on each guest's command line; a port offered with
 * EVTCHNOP_alloc_unbound is found by the peer by trying
 * EVTCHNOP_bind_interdomain on the offerer's low ports (only the port left
 * unbound for us can succeed); grants are offered at fixed references.
 *
 * Links: two domains that must act in a fixed order pass a "turn" over
 * one interdomain event channel. The master starts with the turn; each
 * side sends only after it received the other's notification (and
 * cleared it), so at most one notification is ever in flight and a
 * 1-bit pending flag carries the whole protocol.
 */
#ifndef IDOM_H
#define IDOM_H

#include <pvguest/test.h>
#include <pvabi/grant_table.h>

#define MS 1000000UL

/* ---------------------------------------------------------------- command line */

/* "name=value" from the command line as a number, or def if absent. */
unsigned long opt_ulong(const char *name, unsigned long def);
/* "name=value" copied to buf (NUL-terminated), or def. */
const char *opt_str(const char *name, char *buf, size_t size, const char *def);

/* ---------------------------------------------------------------- event channels */

/* The hypercalls with their in/out fields spelled out. Each returns the
 * hypercall's result; outputs are written only on success. */
long ev_alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port);
long ev_bind_interdomain(domid_t rdom, evtchn_port_t rport, evtchn_port_t *lport);
long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);
long ev_close(evtchn_port_t port);
long ev_send(evtchn_port_t port);
long ev_bind_vcpu(evtchn_port_t port, unsigned int vcpu);
long ev_reset(domid_t dom);

/* Our own domain id: the remote id Xen records for an unbound port
 * allocated with remote_dom = DOMID_SELF. Negative error if it fails. */
long ev_self_domid(void);

/* Bind the private port idom_sleep polls (first thing a guest does, so
 * that port numbers are the same in every run). */
void idom_init(void);
/* Sleep for ns: SCHEDOP_poll on that port, which is never raised. Events
 * for this vCPU are delivered if its upcall mask is clear. */
void idom_sleep(uint64_t ns);

/*
 * Bind to the port `peer` left unbound for us: try its ports 1..max_port,
 * whole rounds repeated (with a short sleep) until one binds or
 * timeout_ns passes. The new local port starts pending (Xen raises it on
 * bind) and is cleared here. Returns 0 or the last error.
 */
long ev_bind_scan(domid_t peer, unsigned int max_port, uint64_t timeout_ns,
                  evtchn_port_t *lport, evtchn_port_t *rport);

/* Wait (SCHEDOP_poll, events masked) until port is pending, then clear
 * it. False on timeout. */
bool ev_wait(evtchn_port_t port, uint64_t timeout_ns);

/* ---------------------------------------------------------------- links */

struct link {
    domid_t peer;
    evtchn_port_t port;     /* our end */
    evtchn_port_t rport;    /* the peer's end */
    const char *name;       /* for error messages */
};

/* Master: offer a port to peer and wait until it is bound (the peer's
 * first notification). Slave: find and bind the master's port, then
 * notify. Both end with the master holding the turn. An error ends the
 * test (RESULT: ERROR). */
void link_master(struct link *l, domid_t peer, const char *name);
void link_slave(struct link *l, domid_t peer, const char *name);
/* Give the turn away / wait for it back (test_error after 60 s). */
void link_pass(struct link *l);
void link_wait(struct link *l);
/* Pass and wait: let the peer run one step. */
static inline void link_step(struct link *l)
{
    link_pass(l);
    link_wait(l);
}
/* After the peer has shut down: its end was closed, ours is unbound for
 * it again. Waits (bounded) for that and closes our end; true if seen. */
bool link_wait_peer_gone(struct link *l, uint64_t timeout_ns);

/* ---------------------------------------------------------------- grants */

/* Grant table frames we map (setup_table) and the window where grants of
 * others are mapped: pages whose PTEs are cleared at start, so a grant
 * map never replaces a live translation. */
#define GNT_MAX_FRAMES      4
#define GNT_WINDOW_PAGES    64
#define GNT_REFS_PER_FRAME  (PAGE_SIZE / sizeof(grant_entry_v1_t))

/* setup_table for nr_frames and map them; returns the hypercall result
 * or the setup_table status. */
long gnt_init(unsigned int nr_frames);
unsigned int gnt_nr_refs(void);
grant_entry_v1_t *gnt_entry(grant_ref_t ref);
/* Fill entry ref (domid and frame first, flags last). */
void gnt_grant(grant_ref_t ref, domid_t domid, unsigned long mfn, bool readonly);
/* Revoke ref as Linux does (cmpxchg flags to 0 unless GTF_reading/
 * GTF_writing are set): true if revoked, false if in use. */
bool gnt_end(grant_ref_t ref);

/* Page i of the mapping window (not mapped until a grant is mapped there). */
void *gnt_window(unsigned int i);
/* One GNTTABOP_map_grant_ref: returns the item's status (or the
 * hypercall's error if negative and not a GNTST value: see *hc_rc). */
int16_t gnt_map(domid_t dom, grant_ref_t ref, void *va, uint32_t flags,
                grant_handle_t *handle);
int16_t gnt_unmap(grant_handle_t handle, void *va, uint32_t flags);
/* One GNTTABOP_copy item. */
int16_t gnt_copy(struct gnttab_copy *op);
/* Machine frame of a page of our image. */
static inline unsigned long gnt_mfn(const void *va)
{
    return virt_to_mfn(va);
}

/* The L1 entry that maps va, read through the guest's own (read-only)
 * view of its page tables, which the domain builder maps in the initial
 * region; false if a level above is not present or is a superpage. */
bool pt_read_l1e(const void *va, uint64_t *pte);
#define PTE_P       0x001UL
#define PTE_W       0x002UL
#define PTE_MFN(e)  (((e) & 0x000ffffffffff000ULL) >> PAGE_SHIFT)

/* ---------------------------------------------------------------- data */

/* Deterministic contents: len bytes of block `n` of stream `seed`. */
void data_fill(void *buf, size_t len, uint64_t seed, uint64_t n);
/* A 64-bit checksum of len bytes, chained from h (start at DATA_SUM_INIT). */
#define DATA_SUM_INIT 0xcbf29ce484222325ULL
uint64_t data_sum(uint64_t h, const void *buf, size_t len);

#endif
