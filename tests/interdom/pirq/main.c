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

void test_main(void)
{
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
