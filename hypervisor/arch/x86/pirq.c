/*
 * Physical IRQs of the control domain (Xen's PIRQs for a PV dom0): a GSI
 * is mapped to a pirq (PHYSDEVOP_map_pirq; Linux asks pirq == gsi), its
 * IO-APIC pin gets a vector here, and once the pirq is bound to an event
 * channel (EVTCHNOP_bind_pirq) each interrupt raises that port.
 * Level-triggered pins stay masked from the interrupt until the guest's
 * PHYSDEVOP_eoi (Xen's ACKTYPE_UNMASK); edge ones are acknowledged at once.
 * A guest that registered an EOI map (PHYSDEVOP_pirq_eoi_gmfn) sees bit n
 * set while pirq n waits for that EOI, so it skips the call otherwise.
 *
 * Interrupts only mark the GSI pending; PIRQ delivery to the event
 * channel happens from PIRQ_SOFTIRQ, outside interrupt context, so the
 * event-channel locks never nest with an interrupt.
 *
 * Locking: pirq_lock (irqsave) protects the routing table.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/pagetype.h>
#include <pavise/softirq.h>
#include <pavise/spinlock.h>
#include <pvabi/errno.h>
#include <asm/ioapic.h>
#include <asm/pirq.h>
#include <asm/smp.h>

#define FIRST_DEVICE_VECTOR 0x30
#define LAST_DEVICE_VECTOR  0xdf

struct gsi_route {
    struct domain *owner;
    unsigned int pirq;
    uint8_t vector;
    bool level, active_low;
    bool bound;
    unsigned int port;
    bool masked_for_eoi;
    /* The control domain gave the line up (PHYSDEVOP_unmap_pirq): as Xen
     * 4.17's unmap_domain_pirq() revokes its access to the IRQ, it may not
     * map it again (-EPERM). Only the privileged domain maps GSIs, so this
     * is all of its IRQ access list; it also bounds the vectors ever
     * handed out to one per line. */
    bool revoked;
};

static struct gsi_route routes[MAX_GSI];
static int16_t vector_to_gsi[256];
static unsigned int next_vector = FIRST_DEVICE_VECTOR;
static spinlock_t pirq_lock = SPIN_LOCK_UNLOCKED;
static uint64_t pending[(MAX_GSI + 63) / 64];


static struct gsi_route *find_pirq(const struct domain *d, unsigned int pirq, unsigned int *gsi)
{
    for (unsigned int g = 0; g < MAX_GSI; g++)
        if (routes[g].owner == d && routes[g].pirq == pirq) {
            *gsi = g;
            return &routes[g];
        }
    return NULL;
}

/*
 * The pirq numbers the control domain may use (Xen's d->nr_pirqs for the
 * hardware domain: its GSIs plus the dynamic IRQs it could be given; 208
 * on a 24-pin machine there). Beyond them every pirq operation is -EINVAL;
 * within them a pirq not mapped is -EPERM to bind, -EINVAL to EOI.
 */
static unsigned int nr_pirqs(void)
{
    return nr_gsis() + (LAST_DEVICE_VECTOR - FIRST_DEVICE_VECTOR + 1);
}

static void pirq_softirq(void)
{
    for (unsigned int w = 0; w < ARRAY_SIZE(pending); w++) {
        uint64_t bits = __atomic_exchange_n(&pending[w], 0, __ATOMIC_SEQ_CST);
        while (bits) {
            unsigned int gsi = w * 64 + (unsigned int)__builtin_ctzl(bits);
            bits &= bits - 1;
            unsigned long f;
            spin_lock_irqsave(&pirq_lock, f);
            struct gsi_route r = routes[gsi];
            spin_unlock_irqrestore(&pirq_lock, f);
            if (r.owner && r.bound)
                evtchn_raise_port(r.owner, r.port);
        }
    }
}

void pirq_init(void)
{
    for (unsigned int v = 0; v < 256; v++)
        vector_to_gsi[v] = -1;
    ioapic_init();
    open_softirq(PIRQ_SOFTIRQ, pirq_softirq);
}

/* The guest-visible "needs EOI" bit of a pirq (pirq_lock held). */
static void set_eoi_bit(struct domain *d, unsigned int pirq, bool on)
{
    uint64_t *map = d->arch.pirq_eoi_map;
    if (!map || pirq >= PAGE_SIZE * 8)
        return;
    if (on)
        __atomic_fetch_or(&map[pirq / 64], 1UL << (pirq % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&map[pirq / 64], ~(1UL << (pirq % 64)), __ATOMIC_SEQ_CST);
}

bool arch_device_irq(unsigned int vec)
{
    int gsi = vector_to_gsi[vec];
    if (gsi < 0)
        return false;
    spin_lock(&pirq_lock);
    struct gsi_route *r = &routes[gsi];
    if (r->level) {
        ioapic_mask((unsigned int)gsi, true);
        r->masked_for_eoi = true;
        if (r->owner)
            set_eoi_bit(r->owner, r->pirq, true);
    }
    spin_unlock(&pirq_lock);
    __atomic_fetch_or(&pending[gsi / 64], 1UL << (gsi % 64), __ATOMIC_SEQ_CST);
    raise_softirq(PIRQ_SOFTIRQ);
    return true;
}

long pirq_map_gsi(struct domain *d, unsigned int gsi, int *pirq)
{
    unsigned long f;
    long rc = 0;

    if (!d->is_privileged)
        return -XEN_EPERM;
    if (gsi >= nr_gsis())
        return -XEN_EINVAL;
    unsigned int want = *pirq < 0 ? gsi : (unsigned int)*pirq;
    if (want >= nr_pirqs())
        return -XEN_EINVAL;
    spin_lock_irqsave(&pirq_lock, f);
    struct gsi_route *r = &routes[gsi];
    unsigned int other;
    if (r->owner) {
        if (r->owner != d || r->pirq != want)
            rc = -XEN_EEXIST;
    } else if (find_pirq(d, want, &other)) {
        rc = -XEN_EEXIST;           /* that pirq already names another GSI */
    } else if (r->revoked) {
        rc = -XEN_EPERM;
    } else if (next_vector > LAST_DEVICE_VECTOR) {
        rc = -XEN_ENOSPC;
    } else {
        r->owner = d;
        r->pirq = want;
        r->vector = (uint8_t)next_vector++;
        vector_to_gsi[r->vector] = (int16_t)gsi;
        gsi_default_mode(gsi, &r->level, &r->active_low);
        ioapic_route(gsi, r->vector, r->level, r->active_low, true);
    }
    spin_unlock_irqrestore(&pirq_lock, f);
    if (!rc)
        *pirq = (int)want;
    return rc;
}

long pirq_unmap(struct domain *d, unsigned int pirq)
{
    unsigned long f;
    unsigned int gsi;
    long rc = 0;

    spin_lock_irqsave(&pirq_lock, f);
    struct gsi_route *r = find_pirq(d, pirq, &gsi);
    if (!r) {
        rc = -XEN_EINVAL;
    } else {
        /* Bound to an event channel: Xen unbinds it by force (the port
         * stays, nothing raises it any more). */
        ioapic_mask(gsi, true);
        vector_to_gsi[r->vector] = -1;
        r->owner = NULL;        /* the vector is not reused */
        r->bound = false;
        r->revoked = true;
    }
    spin_unlock_irqrestore(&pirq_lock, f);
    return rc;
}

long pirq_setup_gsi(struct domain *d, unsigned int gsi, bool level, bool active_low)
{
    unsigned long f;
    long rc = 0;

    if (!d->is_privileged)
        return -XEN_EPERM;
    if (gsi >= nr_gsis())
        return -XEN_EINVAL;
    spin_lock_irqsave(&pirq_lock, f);
    struct gsi_route *r = &routes[gsi];
    if (!r->owner) {
        rc = -XEN_EINVAL;
    } else if (r->bound) {
        rc = -XEN_EEXIST;       /* live already: Linux takes this as done */
    } else {
        r->level = level;
        r->active_low = active_low;
        ioapic_route(gsi, r->vector, level, active_low, true);
    }
    spin_unlock_irqrestore(&pirq_lock, f);
    return rc;
}

long pirq_bind(struct domain *d, unsigned int pirq, unsigned int port)
{
    unsigned long f;
    unsigned int gsi;
    long rc = 0;

    if (pirq >= nr_pirqs())
        return -XEN_EINVAL;
    spin_lock_irqsave(&pirq_lock, f);
    struct gsi_route *r = find_pirq(d, pirq, &gsi);
    if (!r)
        rc = -XEN_EPERM;        /* Xen: no access to an IRQ not mapped */
    else if (r->bound)
        rc = -XEN_EEXIST;
    else {
        r->bound = true;
        r->port = port;
        r->masked_for_eoi = false;
        ioapic_mask(gsi, false);
    }
    spin_unlock_irqrestore(&pirq_lock, f);
    return rc;
}

/* The port closes: unbind the pirq if it is still bound to that port (an
 * unmap may have unbound it already, and the number been mapped again). */
void pirq_unbind(struct domain *d, unsigned int pirq, unsigned int port)
{
    unsigned long f;
    unsigned int gsi;

    spin_lock_irqsave(&pirq_lock, f);
    struct gsi_route *r = find_pirq(d, pirq, &gsi);
    if (r && r->bound && r->port == port) {
        ioapic_mask(gsi, true);
        r->bound = false;
    }
    spin_unlock_irqrestore(&pirq_lock, f);
}

long pirq_eoi(struct domain *d, unsigned int pirq)
{
    unsigned long f;
    unsigned int gsi, port = 0;
    long rc = 0;

    spin_lock_irqsave(&pirq_lock, f);
    struct gsi_route *r = find_pirq(d, pirq, &gsi);
    if (!r) {
        rc = -XEN_EINVAL;
    } else {
        if (r->masked_for_eoi && r->bound) {
            r->masked_for_eoi = false;
            ioapic_mask(gsi, false);
        }
        set_eoi_bit(d, pirq, false);
        if (d->arch.pirq_eoi_auto_unmask && r->bound)
            port = r->port;
    }
    spin_unlock_irqrestore(&pirq_lock, f);
    /* With a _v1 EOI map the EOI also unmasks the event channel. */
    if (port)
        (void)evtchn_unmask(d, port);
    return rc;
}

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v1/_v2: gmfn (a machine frame for a PV guest)
 * becomes d's EOI map. As Xen: -EINVAL for a frame d cannot have writable,
 * -EBUSY once a map is registered; pirqs already waiting get their bits.
 */
long pirq_set_eoi_map(struct domain *d, unsigned long gmfn, bool auto_unmask)
{
    unsigned long f;

    if (!mfn_valid(gmfn) || get_page_and_type(mfn_to_page(gmfn), d, PGT_writable_page))
        return -XEN_EINVAL;
    spin_lock_irqsave(&pirq_lock, f);
    if (d->arch.pirq_eoi_map) {
        spin_unlock_irqrestore(&pirq_lock, f);
        put_page_and_type(mfn_to_page(gmfn));
        return -XEN_EBUSY;
    }
    d->arch.pirq_eoi_mfn = gmfn;
    d->arch.pirq_eoi_map = map_domain_page(gmfn);
    d->arch.pirq_eoi_auto_unmask = auto_unmask;
    for (unsigned int g = 0; g < MAX_GSI; g++)
        if (routes[g].owner == d && routes[g].masked_for_eoi)
            set_eoi_bit(d, routes[g].pirq, true);
    spin_unlock_irqrestore(&pirq_lock, f);
    return 0;
}

/* As Xen for a PV domain: any pirq in range, mapped or not, and always
 * "needs EOI" (a guest without an EOI map must EOI every interrupt; for
 * an edge pin the EOI is harmless). Pavise never shares a pirq. */
long pirq_status(struct domain *d, unsigned int pirq, uint32_t *flags)
{
    (void)d;
    if (pirq >= nr_pirqs())
        return -XEN_EINVAL;
    *flags = 1u;                /* XENIRQSTAT_needs_eoi */
    return 0;
}

/* A domain is going away: drop all its routes and its EOI map. */
void pirq_release_domain(struct domain *d)
{
    unsigned long f;
    mfn_t eoi = 0;
    spin_lock_irqsave(&pirq_lock, f);
    for (unsigned int g = 0; g < MAX_GSI; g++)
        if (routes[g].owner == d) {
            ioapic_mask(g, true);
            vector_to_gsi[routes[g].vector] = -1;
            routes[g].owner = NULL;
            routes[g].bound = false;
        }
    if (d->arch.pirq_eoi_map) {
        eoi = d->arch.pirq_eoi_mfn;
        d->arch.pirq_eoi_map = NULL;
        d->arch.pirq_eoi_mfn = 0;
    }
    spin_unlock_irqrestore(&pirq_lock, f);
    if (eoi)
        put_page_and_type(mfn_to_page(eoi));
}
