/*
 * HYPERVISOR_grant_table_op (Xen 4.17's do_grant_table_op): argument
 * checks, guest memory, batches, preemption and continuations, around the
 * core in map.c, copy.c and table.c.
 *
 * Whole-call errors, in Xen's order: a count with the top bit set or
 * continuation bits on a command that has none -> -EINVAL; an array that
 * cannot be in guest space -> -EFAULT; commands taking one item with
 * count != 1 -> -EINVAL; an unreadable/unwritable item -> -EFAULT;
 * unknown commands (dump_table among them, as in 4.17) -> -ENOSYS.
 * Per-item results are GNTST_* in each item's status.
 *
 * A preempted batch continues with the same command, the array advanced
 * past the items done and the count reduced (Xen's encoding).
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/grant.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pvabi/errno.h>
#include <pvabi/grant_table.h>
#include "gnttab.h"

#define GNTTABOP_CONTINUATION_ARG_SHIFT 12
#define GNTTABOP_CMD_MASK               ((1u << GNTTABOP_CONTINUATION_ARG_SHIFT) - 1)
/* Unmaps between TLB flushes (Xen's GNTTAB_UNMAP_BATCH_SIZE). */
#define UNMAP_BATCH 32

/* ------------------------------------------------------------ domains */

int grant_table_init(struct domain *d)
{
    struct grant_table *gt = gnttab_create(d, d->domain_id, d->max_vcpus, GNTTAB_MAX_FRAMES,
                                           GNTTAB_MAX_MAPTRACK_FRAMES);

    if (!gt)
        return -XEN_ENOMEM;
    d->grant_table = gt;
    return 0;
}

void grant_table_destroy(struct domain *d)
{
    struct grant_table *gt;
    struct grant_audit a;

    spin_lock(&d->lock);
    gt = d->grant_table;
    d->grant_table = NULL;
    spin_unlock(&d->lock);
    if (!gt)
        return;
    gnttab_destroy(gt);
    grant_audit(&a);
    printk("d%u: grant table released; in use now: %lu grant tables, %lu grants, "
           "%lu maptrack entries\n", d->domain_id, a.tables, a.grants_in_use, a.maptrack_in_use);
}

void grant_audit(struct grant_audit *a)
{
    struct gnttab_totals t;

    gnttab_totals(&t);
    a->tables = t.tables;
    a->grants_in_use = t.pinned;
    a->maptrack_in_use = t.handles;
}

/* ------------------------------------------------------------ batches */

/* Each returns 0 when done, the number of items done when preempted
 * (> 0), or a negative error. */

static long map_batch(struct grant_table *gt, unsigned int vcpu,
                      struct gnttab_map_grant_ref *uop, unsigned int count)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_map_grant_ref op;

        if (i && hypercall_preempt_check())
            return i;
        if (copy_from_guest_raw(&op, uop + i, sizeof(op)))
            return -XEN_EFAULT;
        gnttab_map(gt, vcpu, &op);
        if (copy_to_guest_raw(uop + i, &op, sizeof(op)))
            return -XEN_EFAULT;
    }
    return 0;
}

/* Before the references of removed PTEs go, no CPU may still use them.
 * Device mappings have no translations to flush. */
static void flush_if_host_unmapped(struct domain *d, const struct gnttab_unmap *u, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        if (u[i].done & GNTMAP_host_map) {
            grant_flush_tlb(d);
            return;
        }
}

/* unmap_grant_ref and unmap_and_replace: up to UNMAP_BATCH PTEs go, one
 * flush, then their references. */
static long unmap_batch(struct grant_table *gt, struct domain *d, void *uop, unsigned int count,
                        bool replace)
{
    struct gnttab_unmap u[UNMAP_BATCH];
    size_t size = replace ? sizeof(struct gnttab_unmap_and_replace)
                          : sizeof(struct gnttab_unmap_grant_ref);
    size_t status_off = replace ? offsetof(struct gnttab_unmap_and_replace, status)
                                : offsetof(struct gnttab_unmap_grant_ref, status);
    unsigned int done = 0, partial = 0;
    char *p = uop;
    long rc = 0;

    while (count) {
        unsigned int c = MIN(count, UNMAP_BATCH);

        partial = 0;
        for (unsigned int i = 0; i < c; i++, p += size) {
            memset(&u[i], 0, sizeof(u[i]));
            if (replace) {
                struct gnttab_unmap_and_replace op;

                if (copy_from_guest_raw(&op, p, sizeof(op)))
                    goto fault;
                u[i].host_addr = op.host_addr;
                u[i].new_addr = op.new_addr;
                u[i].handle = op.handle;
            } else {
                struct gnttab_unmap_grant_ref op;

                if (copy_from_guest_raw(&op, p, sizeof(op)))
                    goto fault;
                u[i].host_addr = op.host_addr;
                u[i].dev_bus_addr = op.dev_bus_addr;
                u[i].handle = op.handle;
            }
            gnttab_unmap_begin(gt, &u[i]);
            partial++;
            if (copy_to_guest_raw(p + status_off, &u[i].status, sizeof(u[i].status)))
                goto fault;
        }
        flush_if_host_unmapped(d, u, partial);
        for (unsigned int i = 0; i < partial; i++)
            gnttab_unmap_complete(&u[i]);
        count -= c;
        done += c;
        if (count && hypercall_preempt_check())
            return done;
    }
    return 0;

fault:
    rc = -XEN_EFAULT;
    flush_if_host_unmapped(d, u, partial);
    for (unsigned int i = 0; i < partial; i++)
        gnttab_unmap_complete(&u[i]);
    return rc;
}

static long copy_batch(struct grant_table *gt, struct gnttab_copy *uop, unsigned int count)
{
    struct gnttab_copy_state s;
    long rc = 0;

    memset(&s, 0, sizeof(s));
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_copy op;

        if (i && hypercall_preempt_check()) {
            rc = i;
            break;
        }
        if (copy_from_guest_raw(&op, uop + i, sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        op.status = gnttab_copy_one(gt, &s, &op);
        if (copy_to_guest_raw(&uop[i].status, &op.status, sizeof(op.status))) {
            rc = -XEN_EFAULT;
            break;
        }
    }
    gnttab_copy_end(&s);
    return rc;
}

/* *cur carries a grant scan across preemption (the continuation bits). */
static long cache_flush_batch(struct grant_table *gt, struct gnttab_cache_flush *uop,
                              unsigned int count, unsigned int *cur)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_cache_flush op;

        if (i && hypercall_preempt_check())
            return i;
        if (copy_from_guest_raw(&op, uop + i, sizeof(op)))
            return -XEN_EFAULT;
        for (;;) {
            long rc = gnttab_cache_flush_one(gt, &op, cur);

            if (rc < 0)
                return rc;
            if (rc == 0)
                break;
            if (hypercall_preempt_check())
                return i;
        }
        *cur = 0;
    }
    *cur = 0;
    return 0;
}

static long transfer_batch(struct grant_table *gt, struct gnttab_transfer *uop, unsigned int count)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_transfer op;

        if (i && hypercall_preempt_check())
            return i;
        if (copy_from_guest_raw(&op, uop + i, sizeof(op)))
            return -XEN_EFAULT;
        op.status = gnttab_transfer_one(gt, &op);
        if (copy_to_guest_raw(&uop[i].status, &op.status, sizeof(op.status)))
            return -XEN_EFAULT;
    }
    return 0;
}

static long swap_batch(struct grant_table *gt, struct gnttab_swap_grant_ref *uop, unsigned int count)
{
    for (unsigned int i = 0; i < count; i++) {
        struct gnttab_swap_grant_ref op;

        if (i && hypercall_preempt_check())
            return i;
        if (copy_from_guest_raw(&op, uop + i, sizeof(op)))
            return -XEN_EFAULT;
        op.status = gnttab_swap_grant_ref(gt, op.ref_a, op.ref_b);
        if (copy_to_guest_raw(&uop[i].status, &op.status, sizeof(op.status)))
            return -XEN_EFAULT;
    }
    return 0;
}

/* ------------------------------------------------------------ single ops */

static long setup_table(struct grant_table *gt, struct gnttab_setup_table *uop, unsigned int count)
{
    struct gnttab_setup_table op;
    uint64_t frames[GNTTAB_MAX_FRAMES];
    unsigned int nr;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (!guest_array_ok(op.frame_list.p, op.nr_frames, sizeof(xen_pfn_t)))
        return -XEN_EFAULT;
    op.status = gnttab_setup_table(gt, &op, frames, &nr);
    for (unsigned int i = 0; i < nr; i++) {
        xen_pfn_t f = frames[i];

        if (copy_to_guest_raw(op.frame_list.p + i, &f, sizeof(f)))
            op.status = GNTST_bad_virt_addr;
    }
    if (copy_to_guest_raw(&uop->status, &op.status, sizeof(op.status)))
        return -XEN_EFAULT;
    return 0;
}

static long query_size(struct grant_table *gt, struct gnttab_query_size *uop, unsigned int count)
{
    struct gnttab_query_size op;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    op.status = gnttab_query_size(gt, &op);
    return copy_to_guest_raw(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long set_version(struct grant_table *gt, struct gnttab_set_version *uop)
{
    struct gnttab_set_version op;
    long rc;

    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    rc = gnttab_set_version(gt, &op);
    if (copy_to_guest_raw(uop, &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}

static long get_version(struct grant_table *gt, struct gnttab_get_version *uop)
{
    struct gnttab_get_version op;
    long rc;

    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    rc = gnttab_get_version(gt, &op);
    if (rc)
        return rc;
    return copy_to_guest_raw(&uop->version, &op.version, sizeof(op.version)) ? -XEN_EFAULT : 0;
}

static long get_status_frames(struct grant_table *gt, struct gnttab_get_status_frames *uop,
                              unsigned int count)
{
    struct gnttab_get_status_frames op;

    if (count != 1)
        return -XEN_EINVAL;
    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    /* Success needs nr_frames == 0 (no status frames in version 1):
     * there is never a frame to write. */
    op.status = gnttab_get_status_frames(gt, &op);
    return copy_to_guest_raw(&uop->status, &op.status, sizeof(op.status)) ? -XEN_EFAULT : 0;
}

/* ------------------------------------------------------------ dispatch */

long do_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    struct vcpu *curr = current;
    struct domain *d = curr->domain;
    struct grant_table *gt = d->grant_table;
    unsigned int opaque_in = cmd & ~GNTTABOP_CMD_MASK;
    size_t item;
    long rc;

    if ((int)count < 0)
        return -XEN_EINVAL;
    cmd &= GNTTABOP_CMD_MASK;
    if (cmd != GNTTABOP_cache_flush && opaque_in)
        return -XEN_EINVAL;
    if (!gt)
        return -XEN_ENOSYS;     /* a dying domain's table is gone */

    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        item = sizeof(struct gnttab_map_grant_ref);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = map_batch(gt, curr->vcpu_id, uop, count);
        break;
    case GNTTABOP_unmap_grant_ref:
        item = sizeof(struct gnttab_unmap_grant_ref);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = unmap_batch(gt, d, uop, count, false);
        break;
    case GNTTABOP_unmap_and_replace:
        item = sizeof(struct gnttab_unmap_and_replace);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = unmap_batch(gt, d, uop, count, true);
        break;
    case GNTTABOP_copy:
        item = sizeof(struct gnttab_copy);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = copy_batch(gt, uop, count);
        break;
    case GNTTABOP_transfer:
        item = sizeof(struct gnttab_transfer);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = transfer_batch(gt, uop, count);
        break;
    case GNTTABOP_swap_grant_ref:
        item = sizeof(struct gnttab_swap_grant_ref);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = swap_batch(gt, uop, count);
        break;
    case GNTTABOP_setup_table:
        return setup_table(gt, uop, count);
    case GNTTABOP_query_size:
        return query_size(gt, uop, count);
    case GNTTABOP_set_version:
        return set_version(gt, uop);
    case GNTTABOP_get_version:
        return get_version(gt, uop);
    case GNTTABOP_get_status_frames:
        return get_status_frames(gt, uop, count);
    case GNTTABOP_cache_flush: {
        unsigned int cur = opaque_in;

        item = sizeof(struct gnttab_cache_flush);
        if (!guest_array_ok(uop, count, item))
            return -XEN_EFAULT;
        rc = cache_flush_batch(gt, uop, count, &cur);
        if (rc >= 0 && (rc > 0 || cur))
            return hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3,
                                                 (unsigned long)(cmd | cur),
                                                 (unsigned long)((char *)uop + (size_t)rc * item),
                                                 (unsigned long)(count - (unsigned int)rc));
        return rc;
    }
    default:
        /* dump_table among them: gone from 4.17. */
        return -XEN_ENOSYS;
    }

    if (rc > 0)
        rc = hypercall_create_continuation(__HYPERVISOR_grant_table_op, 3, (unsigned long)cmd,
                                           (unsigned long)((char *)uop + (size_t)rc * item),
                                           (unsigned long)(count - (unsigned int)rc));
    return rc;
}
