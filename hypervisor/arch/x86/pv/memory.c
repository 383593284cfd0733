/*
 * memory_op for PV domains (Xen 4.17 common/memory.c, arch/x86/mm.c,
 * x86_64/mm.c): reservation queries, the machine memory map for the
 * control domain, the M2P mapping, and the reservation changes PV guests
 * make (decrease/increase/populate).
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pavise/pagetype.h>
#include <pvabi/memory.h>
#include <pvabi/errno.h>
#include <asm/page.h>

#define MEMOP_CMD_MASK      0x3f
#define MEMOP_EXTENT_SHIFT  6

extern mfn_t m2p_chunks[];
extern unsigned int m2p_nr_chunks;
void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);

/* The host map dom0 sees: the firmware map plus the hypervisor's own
 * MMIO (IO-APICs, local APIC) as reserved, sorted. */
static int machine_map(struct e820_entry_abi *out, int max)
{
    struct mem_region m[MEMMAP_MAX];
    int n = boot_info.nr_memmap;
    memcpy(m, boot_info.memmap, (size_t)n * sizeof(m[0]));
    if (n + 2 <= MEMMAP_MAX) {
        m[n++] = (struct mem_region){ 0xfec00000UL, 0x1000, E820_RESERVED };
        m[n++] = (struct mem_region){ 0xfee00000UL, 0x1000, E820_RESERVED };
    }
    n = memmap_sanitize(m, n, MEMMAP_MAX);
    if (n < 0)
        return -1;
    for (int i = 0; i < n && i < max; i++)
        out[i] = (struct e820_entry_abi){ m[i].addr, m[i].size, m[i].type };
    return n;
}

/*
 * Reservation changes (Xen 4.17 common/memory.c). They answer the number
 * of extents done, never an error: a bad argument, an unknown domain, a
 * missing privilege or an order not permitted just means none (more)
 * were done. For a PV domain extents name machine frames.
 */

/* The largest extent a domain may give back or populate (Xen's
 * max_order(): 9 for others, 12 for the control/hardware domain). */
static unsigned int max_order(const struct domain *d)
{
    return d->is_privileged ? 12 : 9;
}

/* Larger extents than 2 MiB need I/O rights (Xen's
 * multipage_allocation_permitted). */
static bool multipage_allocation_permitted(const struct domain *d, unsigned int order)
{
    return order <= 9 || d->arch.iomem_all;
}

static bool extent_list_ok(const struct xen_memory_reservation *r, unsigned long from)
{
    return guest_array_ok(r->extent_start.p + from, r->nr_extents - from, sizeof(xen_pfn_t));
}

/* Xen's guest_remove_page for a PV domain: the frame loses its allocation
 * reference and is freed once nothing else holds it; its pin and type
 * stay with whoever holds them (no implicit unpin since XSA-252).
 *
 * Hypervisor heap pages the domain was given to map (shared_info, the
 * grant table's shared frames) are accepted too, as Xen does, but keep
 * their allocation reference: in Xen such a page is never freed through
 * its count, while here the last reference frees it, and the hypervisor
 * still uses it - it came back as anybody's memory (the grant table's
 * frame at once, having no mapping), and the owner's own release later
 * dropped the new owner's allocation reference. Their owner's teardown
 * drops it. */
static bool remove_page(struct domain *d, mfn_t mfn)
{
    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d))
        return false;
    struct page_info *pg = mfn_to_page(mfn);
    set_gpfn_from_mfn(mfn, ~0UL);
    if (!(pg->count_info & PGC_xen_heap))
        free_domheap_page(pg);
    put_page(pg);
    return true;
}

static unsigned long decrease_reservation(struct domain *d, const struct xen_memory_reservation *r,
                                          unsigned long start, bool *preempted)
{
    unsigned long i = start;

    if (!extent_list_ok(r, i) || r->extent_order > max_order(current->domain))
        return i;
    for (; i < r->nr_extents; i++) {
        xen_pfn_t gmfn;

        if (i != start && hypercall_preempt_check()) {
            *preempted = true;
            break;
        }
        if (copy_from_guest_raw(&gmfn, r->extent_start.p + i, sizeof(gmfn)))
            break;
        for (unsigned long j = 0; j < (1UL << r->extent_order); j++)
            if (!remove_page(d, gmfn + j))
                return i;
    }
    return i;
}

/* increase_reservation and populate_physmap. A frame allocated but not
 * reported (the list became unwritable) stays the domain's, as in Xen. */
static unsigned long allocate_extents(unsigned int op, struct domain *d,
                                      const struct xen_memory_reservation *r, unsigned long start,
                                      bool *preempted)
{
    unsigned long i = start;
    bool populate = op == XENMEM_populate_physmap;
    unsigned int bits = XENMEMF_get_address_bits(r->mem_flags);

    if ((populate || r->extent_start.p) && !extent_list_ok(r, i))
        return i;
    if (populate ? r->extent_order > max_order(current->domain)
                 : !multipage_allocation_permitted(current->domain, r->extent_order))
        return i;
    /* A privileged domain may ask any order here: the allocator refuses
     * those it cannot serve; only shift for one that can exist. */
    if (r->extent_order >= 64)
        return i;
    unsigned long n = 1UL << r->extent_order;
    for (; i < r->nr_extents; i++) {
        xen_pfn_t gpfn = 0;

        if (i != start && hypercall_preempt_check()) {
            *preempted = true;
            break;
        }
        if (populate && copy_from_guest_raw(&gpfn, r->extent_start.p + i, sizeof(gpfn)))
            break;
        struct page_info *pg = alloc_domheap_pages_bits(d, r->extent_order, bits);
        if (!pg)
            break;
        mfn_t mfn = page_to_mfn(pg);
        if (populate)
            for (unsigned long j = 0; j < n; j++)
                set_gpfn_from_mfn(mfn + j, gpfn + j);
        /* Tell the guest which machine frames it got. */
        xen_pfn_t out = mfn;
        if (r->extent_start.p && copy_to_guest_raw(r->extent_start.p + i, &out, sizeof(out)))
            break;
    }
    return i;
}

static long reservation_op(unsigned int op, unsigned long start_extent, void *arg)
{
    struct xen_memory_reservation r;
    bool preempted = false;

    if (copy_from_guest_raw(&r, arg, sizeof(r)))
        return (long)start_extent;
    /* Too large for the continuation to encode where to resume. */
    if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start_extent >= r.nr_extents)
        return (long)start_extent;
    /* An address limit below one page can never be met. */
    unsigned int bits = XENMEMF_get_address_bits(r.mem_flags);
    if (bits && bits <= PAGE_SHIFT)
        return (long)start_extent;
    struct domain *cur = current->domain, *d = rcu_lock_domain_by_any_id(r.domid);
    if (!d)
        return (long)start_extent;
    unsigned long done = start_extent;
    if (d == cur || cur->is_privileged)
        done = op == XENMEM_decrease_reservation ? decrease_reservation(d, &r, start_extent, &preempted)
                                                 : allocate_extents(op, d, &r, start_extent, &preempted);
    put_domain(d);
    if (preempted)
        return hypercall_create_continuation(__HYPERVISOR_memory_op, 2,
                                             op | (done << MEMOP_EXTENT_SHIFT), (unsigned long)arg);
    return (long)done;
}

/*
 * XENMEM_exchange (Xen 4.17 common/memory.c memory_exchange), for PV:
 * input extents name machine frames; output extents name the guest frame
 * numbers to give the new machine frames, and get those MFNs back.
 * Works a chunk at a time (the larger of the two extent orders); a chunk
 * is all-or-nothing, and nr_exchanged records progress for continuations.
 */
static long memory_exchange(struct xen_memory_exchange *uarg)
{
    struct xen_memory_exchange x;
    struct domain *cur = current->domain;
    long rc = 0;

    if (copy_from_guest_raw(&x, uarg, sizeof(x)))
        return -XEN_EFAULT;
    unsigned int max_order = cur->is_privileged ? 12 : 9;
    if (MAX(x.in.extent_order, x.out.extent_order) > max_order) {
        rc = -XEN_EPERM;
        goto early;
    }
    if (x.nr_exchanged > x.in.nr_extents || x.in.domid != x.out.domid ||
        (~0UL >> x.in.extent_order) < x.in.nr_extents ||
        (~0UL >> x.out.extent_order) < x.out.nr_extents ||
        (x.in.nr_extents << x.in.extent_order) != (x.out.nr_extents << x.out.extent_order)) {
        rc = -XEN_EINVAL;
        goto early;
    }
    if (x.nr_exchanged == x.in.nr_extents)
        return 0;
    unsigned int in_chunk = 0, out_chunk = 0;
    if (x.in.extent_order <= x.out.extent_order)
        in_chunk = x.out.extent_order - x.in.extent_order;
    else
        out_chunk = x.in.extent_order - x.out.extent_order;
    if (!guest_range_ok((unsigned long)x.in.extent_start.p, 1) ||
        !guest_range_ok((unsigned long)x.out.extent_start.p, 1)) {
        rc = -XEN_EFAULT;
        goto early;
    }
    struct domain *d = rcu_lock_domain_by_any_id(x.in.domid);
    if (!d) {
        rc = -XEN_ESRCH;
        goto early;
    }
    if (d != cur && !cur->is_privileged) {
        put_domain(d);
        rc = -XEN_EPERM;
        goto early;
    }
    unsigned int bits = XENMEMF_get_address_bits(x.out.mem_flags);
    unsigned long in_pages_per_chunk = 1UL << (in_chunk + x.in.extent_order);
    struct page_info **stolen = xmalloc_array_bytes(sizeof(*stolen), in_pages_per_chunk);
    struct page_info **out = xmalloc_array_bytes(sizeof(*out), 1UL << out_chunk);
    if (!stolen || !out) {
        rc = -XEN_ENOMEM;
        goto done;
    }

    for (unsigned long i = x.nr_exchanged >> in_chunk; i < (x.in.nr_extents >> in_chunk); i++) {
        if (i != (x.nr_exchanged >> in_chunk) && hypercall_preempt_check()) {
            x.nr_exchanged = i << in_chunk;
            xfree(stolen);
            xfree(out);
            put_domain(d);
            if (copy_to_guest_raw(&uarg->nr_exchanged, &x.nr_exchanged, sizeof(x.nr_exchanged)))
                return -XEN_EFAULT;
            return hypercall_create_continuation(__HYPERVISOR_memory_op, 2,
                                                 (unsigned long)XENMEM_exchange, (unsigned long)uarg);
        }
        unsigned long ns = 0, no = 0;
        /* Steal the chunk's input pages. */
        for (unsigned long j = 0; j < (1UL << in_chunk) && !rc; j++) {
            xen_pfn_t gmfn;
            if (copy_from_guest_raw(&gmfn, x.in.extent_start.p + (i << in_chunk) + j, sizeof(gmfn))) {
                rc = -XEN_EFAULT;
                break;
            }
            for (unsigned long k = 0; k < (1UL << x.in.extent_order); k++) {
                mfn_t mfn = gmfn + k;
                if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d)) {
                    rc = -XEN_EINVAL;
                    break;
                }
                if (!steal_domain_page(d, mfn_to_page(mfn))) {
                    put_page(mfn_to_page(mfn));
                    rc = -XEN_EINVAL;
                    break;
                }
                stolen[ns++] = mfn_to_page(mfn);
            }
        }
        /* Allocate the chunk's output extents. */
        for (unsigned long j = 0; j < (1UL << out_chunk) && !rc; j++) {
            struct page_info *pg = alloc_domheap_pages_bits(d, x.out.extent_order, bits);
            if (!pg) {
                rc = -XEN_ENOMEM;
                break;
            }
            out[no++] = pg;
        }
        if (rc) {
            for (unsigned long j = 0; j < no; j++)
                for (unsigned long k = 0; k < (1UL << x.out.extent_order); k++)
                    free_domheap_page(out[j] + k);
            for (unsigned long j = 0; j < ns; j++)
                return_stolen_page(d, stolen[j]);
            break;
        }
        for (unsigned long j = 0; j < ns; j++) {
            set_gpfn_from_mfn(page_to_mfn(stolen[j]), ~0UL);
            free_stolen_page(stolen[j]);
        }
        for (unsigned long j = 0; j < no; j++) {
            xen_pfn_t gpfn = 0;
            unsigned long idx = (i << out_chunk) + j;
            (void)copy_from_guest_raw(&gpfn, x.out.extent_start.p + idx, sizeof(gpfn));
            mfn_t mfn = page_to_mfn(out[j]);
            for (unsigned long k = 0; k < (1UL << x.out.extent_order); k++)
                set_gpfn_from_mfn(mfn + k, gpfn + k);
            xen_pfn_t m = mfn;
            if (copy_to_guest_raw(x.out.extent_start.p + idx, &m, sizeof(m)))
                rc = -XEN_EFAULT;
        }
        if (rc)
            break;
        x.nr_exchanged = (i + 1) << in_chunk;
    }
done:
    xfree(stolen);
    xfree(out);
    put_domain(d);
early:
    if (copy_to_guest_raw(&uarg->nr_exchanged, &x.nr_exchanged, sizeof(x.nr_exchanged)))
        rc = -XEN_EFAULT;
    return rc;
}

long do_memory_op(unsigned long cmd, void *arg)
{
    unsigned int op = (unsigned int)(cmd & MEMOP_CMD_MASK);
    unsigned long start_extent = cmd >> MEMOP_EXTENT_SHIFT;
    struct domain *cur = current->domain;

    switch (op) {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        return reservation_op(op, start_extent, arg);

    case XENMEM_exchange:
        return memory_exchange(arg);

    case XENMEM_maximum_ram_page:
        if (start_extent)
            return -XEN_EINVAL;
        return (long)max_page;

    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn: {
        domid_t domid;
        if (start_extent)
            return -XEN_EINVAL;
        if (copy_from_guest_raw(&domid, arg, sizeof(domid)))
            return -XEN_EFAULT;
        struct domain *d = rcu_lock_domain_by_any_id(domid);
        if (!d)
            return -XEN_ESRCH;
        long rc;
        if (d != cur && !cur->is_privileged)
            rc = -XEN_EPERM;
        else if (op == XENMEM_current_reservation)
            rc = (long)d->tot_pages;
        else if (op == XENMEM_maximum_reservation)
            rc = (long)d->max_pages;
        else
            rc = (long)((d->shared_info->arch.max_pfn ? d->shared_info->arch.max_pfn : 1) - 1);
        put_domain(d);
        return rc;
    }

    case XENMEM_machphys_mfn_list: {
        struct xen_machphys_mfn_list l;
        if (copy_from_guest_raw(&l, arg, sizeof(l)))
            return -XEN_EFAULT;
        unsigned int n = 0;
        for (; n < l.max_extents && n < m2p_nr_chunks; n++) {
            xen_pfn_t mfn = m2p_chunks[n];
            if (copy_to_guest_raw(l.extent_start.p + n, &mfn, sizeof(mfn)))
                return -XEN_EFAULT;
        }
        l.nr_extents = n;
        return copy_to_guest_raw(arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
    }

    case XENMEM_machphys_mapping: {
        struct xen_machphys_mapping m = {
            .v_start = MACH2PHYS_VIRT_START,
            .v_end = MACH2PHYS_VIRT_END,
            .max_mfn = MACH2PHYS_NR_ENTRIES - 1,
        };
        if (cur->is_privileged)
            m.max_mfn = max_page - 1;
        return copy_to_guest_raw(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
    }

    case XENMEM_memory_map: {
        struct xen_memory_map map;
        if (copy_from_guest_raw(&map, arg, sizeof(map)))
            return -XEN_EFAULT;
        if (!cur->arch.nr_e820)
            return -XEN_ENOSYS;     /* none set: as Xen for a PV dom0 */
        map.nr_entries = MIN(map.nr_entries, cur->arch.nr_e820);
        if (copy_to_guest_raw(map.buffer.p, cur->arch.e820, map.nr_entries * sizeof(struct e820_entry_abi)) ||
            copy_to_guest_raw(arg, &map, sizeof(map)))
            return -XEN_EFAULT;
        return 0;
    }

    case XENMEM_machine_memory_map: {
        struct xen_memory_map map;
        struct e820_entry_abi e[MEMMAP_MAX];
        if (!cur->is_privileged)
            return -XEN_EPERM;
        if (copy_from_guest_raw(&map, arg, sizeof(map)))
            return -XEN_EFAULT;
        int n = machine_map(e, MEMMAP_MAX);
        if (n < 0)
            return -XEN_EINVAL;
        if (map.buffer.p) {
            if (map.nr_entries < (unsigned int)n + 1)
                return -XEN_EINVAL;
            if (copy_to_guest_raw(map.buffer.p, e, (size_t)n * sizeof(e[0])))
                return -XEN_EFAULT;
        }
        map.nr_entries = (unsigned int)n;
        return copy_to_guest_raw(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
    }

    case XENMEM_add_to_physmap: {
        /* For translated guests only: Xen 4.17 checks the arguments, then
         * refuses any space for a PV domain (which gets its grant frames
         * from GNTTABOP_setup_table and maps by machine frame). */
        struct xen_add_to_physmap xatp;
        if (start_extent > 0xffff)
            return -XEN_EDOM;
        if (copy_from_guest_raw(&xatp, arg, sizeof(xatp)))
            return -XEN_EFAULT;
        if (xatp.space == XENMAPSPACE_gmfn_foreign)
            return -XEN_ENOSYS;         /* only through add_to_physmap_batch */
        struct domain *d = rcu_lock_domain_by_any_id(xatp.domid);
        if (!d)
            return -XEN_ESRCH;
        long rc = d != cur && !cur->is_privileged ? -XEN_EPERM : -XEN_EACCES;
        put_domain(d);
        return rc;
    }

    case XENMEM_get_vnumainfo:
        return -XEN_EOPNOTSUPP;     /* no virtual NUMA topology */

    case 18: /* XENMEM_get_sharing_freed_pages */
    case 19: /* XENMEM_get_sharing_shared_pages */
        return 0;                   /* no memory sharing */

    default:
        return -XEN_ENOSYS;
    }
}
