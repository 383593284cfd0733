/*
 * interdom-pirq: the control domain maps a GSI to a pirq and unmaps it,
 * as dom0 on Xen 4.17 and on Pavise with the same check lines.
 *
 * Xen 4.17's unmap_domain_pirq() also revokes the domain's access to the
 * interrupt line (irq_deny_access): the GSI cannot be mapped again
 * (-EPERM). A hypervisor that lets the line be mapped again and spends an
 * interrupt vector per map, never taking it back, runs out after a couple
 * of hundred cycles, and then no GSI can be mapped at all (-ENOSPC).
 *
 * Then the answers for unmapped and out-of-range pirqs (bind_pirq,
 * irq_status_query, eoi) and an unmap while bound.
 *
 * (Kept with the inter-domain guests for their dom0-on-both-hypervisors
 * harness, tests/interdom/pirq.test.)
 */
#include "../lib/idom.h"
#include <pvabi/physdev.h>

const char test_title[] = "interdom-pirq: GSI map/unmap cycles of the control domain";

/* ISA interrupt lines nothing on the emulated machine uses; more map
 * attempts than the 176 device vectors x86 has. */
#define GSI_A   5
#define GSI_B   7
#define CYCLES  400

static long map_gsi(int gsi, int *pirq)
{
    struct physdev_map_pirq m = {
        .domid = DOMID_SELF, .type = MAP_PIRQ_TYPE_GSI, .index = gsi, .pirq = gsi,
    };
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_map_pirq, &m);

    *pirq = m.pirq;
    return rc;
}

static long unmap_pirq(int pirq)
{
    struct physdev_unmap_pirq u = { .domid = DOMID_SELF, .pirq = pirq };

    return HYPERVISOR_physdev_op(PHYSDEVOP_unmap_pirq, &u);
}

static long bind_pirq(uint32_t pirq, evtchn_port_t *port)
{
    struct evtchn_bind_pirq b = { .pirq = pirq };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_pirq, &b);

    *port = b.port;
    return rc;
}

static long status_query(uint32_t pirq, uint32_t *flags)
{
    struct physdev_irq_status_query q = { .irq = pirq, .flags = 0xdead };
    long rc = HYPERVISOR_physdev_op(PHYSDEVOP_irq_status_query, &q);

    *flags = q.flags;
    return rc;
}

static long eoi(uint32_t pirq)
{
    struct physdev_eoi e = { .irq = pirq };

    return HYPERVISOR_physdev_op(PHYSDEVOP_eoi, &e);
}

/*
 * Xen 4.17's answers for pirqs that are not (or no longer) mapped, and
 * for an unmap while the pirq is bound to an event channel (a forced
 * unbind: the port stays, delivery stops). Pirq numbers from 0 to
 * d->nr_pirqs - 1 are in range (208 for this dom0 on Xen; 100000 is out).
 */
#define GSI_BOUND   11
#define UNMAPPED    10
#define OUT_OF_RANGE 100000u

static void unmapped_and_bound(void)
{
    evtchn_port_t port, port2;
    uint32_t flags;
    int pirq = -1;

    check_eq("bind_pirq of an unmapped pirq is -EPERM", bind_pirq(UNMAPPED, &port), -XEN_EPERM);
    check_eq("bind_pirq beyond the domain's pirqs is -EINVAL", bind_pirq(OUT_OF_RANGE, &port),
             -XEN_EINVAL);
    check_eq("irq_status_query of an unmapped pirq", status_query(UNMAPPED, &flags), 0);
    check_equ("says needs_eoi (always, for PV)", flags, XENIRQSTAT_needs_eoi);
    check_eq("irq_status_query beyond the domain's pirqs is -EINVAL",
             status_query(OUT_OF_RANGE, &flags), -XEN_EINVAL);
    check_eq("eoi of an unmapped pirq is -EINVAL", eoi(UNMAPPED), -XEN_EINVAL);
    check_eq("eoi beyond the domain's pirqs is -EINVAL", eoi(OUT_OF_RANGE), -XEN_EINVAL);

    check_eq("map a GSI to bind", map_gsi(GSI_BOUND, &pirq), 0);
    check_eq("irq_status_query of a mapped edge pirq", status_query(GSI_BOUND, &flags), 0);
    check_equ("says needs_eoi too", flags & XENIRQSTAT_needs_eoi, XENIRQSTAT_needs_eoi);
    check_eq("eoi of a mapped pirq", eoi(GSI_BOUND), 0);
    check_eq("bind_pirq of it", bind_pirq(GSI_BOUND, &port), 0);
    check_eq("bind_pirq of it again is -EEXIST", bind_pirq(GSI_BOUND, &port2), -XEN_EEXIST);
    check_eq("unmap it while bound (forced unbind)", unmap_pirq(GSI_BOUND), 0);
    struct evtchn_status st = { .dom = DOMID_SELF, .port = port };
    check_eq("its port is still there", HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
    struct evtchn_close c = { .port = port };
    check_eq("and closes", HYPERVISOR_event_channel_op(EVTCHNOP_close, &c), 0);
    check_eq("unmap it again is -EINVAL", unmap_pirq(GSI_BOUND), -XEN_EINVAL);
}

void test_main(void)
{
    unmapped_and_bound();
    unsigned int i, mapped = 0, refused = 0;
    int pirq = -1, again = -1;
    long rc;

    check_eq("map the GSI", map_gsi(GSI_A, &pirq), 0);
    check_eq("it gets the pirq asked for", pirq, GSI_A);
    check_eq("mapping it again while mapped", map_gsi(GSI_A, &again), 0);
    check_eq("gives the same pirq", again, GSI_A);
    check_eq("unmap it", unmap_pirq(GSI_A), 0);
    check_eq("unmap it again is -EINVAL", unmap_pirq(GSI_A), -XEN_EINVAL);
    check_eq("map it after the unmap is -EPERM (access revoked)", map_gsi(GSI_A, &pirq),
             -XEN_EPERM);

    /* Whatever the answer, nothing may be used up by asking again. */
    for (i = 0; i < CYCLES; i++) {
        rc = map_gsi(GSI_A, &pirq);
        if (rc == -XEN_EPERM)
            refused++;
        else if (rc == 0 && unmap_pirq(pirq) == 0)
            mapped++;
    }
    info("%u map attempts: %u mapped and unmapped, %u refused", CYCLES, mapped, refused);
    check_equ("every later map of it is refused", refused, CYCLES);

    rc = map_gsi(GSI_B, &pirq);
    check_eq("another GSI maps after all that", rc, 0);
    if (!rc)
        check_eq("and unmaps", unmap_pirq(pirq), 0);
}
