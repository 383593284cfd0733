/*
 * vcpu_op and the guest-visible per-vCPU time and runstate state
 * (Xen 4.17 common/domain.c do_vcpu_op, arch/x86/time.c).
 */
#include <pavise/lib.h>
#include <pavise/arch.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/guest_access.h>
#include <pavise/pagetype.h>
#include <pavise/sched.h>
#include <pavise/smp.h>
#include <pavise/time.h>
#include <pvabi/vcpu.h>
#include <pvabi/sched.h>
#include <pvabi/errno.h>

long arch_initialise_vcpu(struct vcpu *v, void *arg);
long arch_do_vcpu_op(int cmd, struct vcpu *v, void *arg);
bool arch_tsc_stable(void);

/* ------------------------------------------------------------ time */

static void write_time_info(struct vcpu_time_info *t, uint64_t tsc)
{
    uint32_t ver = t->version;
    t->version = ver + 1 + (ver & 1);            /* odd: update in progress */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->tsc_timestamp = tsc;
    t->system_time = scale_delta(tsc - tsc_boot, &tsc_scale);
    t->tsc_to_system_mul = tsc_scale.mul_frac;
    t->tsc_shift = tsc_scale.shift;
    t->flags = arch_tsc_stable() ? 1 /* PVCLOCK_TSC_STABLE_BIT */ : 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    t->version = ver + 2 + (ver & 1);            /* even: stable */
}

void update_vcpu_system_time(struct vcpu *v)
{
    uint64_t tsc = get_cycles();
    write_time_info(&v->vcpu_info->time, tsc);
    if (v->time_area_guest && v == current && v->arch.kernel_mode) {
        struct vcpu_time_info t = v->vcpu_info->time;
        (void)copy_to_guest_raw((void *)v->time_area_guest, &t, sizeof(t));
    }
}

void update_domain_wallclock_time(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    uint32_t ver = s->wc_version;
    s->wc_version = ver + 1 + (ver & 1);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)wallclock_sec_at_boot;
    s->wc_sec_hi = (uint32_t)(wallclock_sec_at_boot >> 32);
    s->wc_nsec = wallclock_nsec_at_boot;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version = ver + 2 + (ver & 1);
}

static void runstate_get(struct vcpu *v, struct vcpu_runstate_info *r)
{
    s_time_t now = NOW();
    r->state = v->runstate;
    r->state_entry_time = (uint64_t)v->runstate_entry;
    for (unsigned int i = 0; i < 4; i++)
        r->time[i] = v->runstate_time[i];
    if (now > v->runstate_entry)
        r->time[v->runstate] += (uint64_t)(now - v->runstate_entry);
}

/* Copy the runstate to the guest's registered area (kernel mode only:
 * the address is a guest-kernel VA). */
void update_runstate_area(struct vcpu *v)
{
    if (!v->runstate_guest || v != current || !v->arch.kernel_mode)
        return;
    struct vcpu_runstate_info r;
    runstate_get(v, &r);
    bool flag = v->domain->vm_assist & (1UL << VMASST_TYPE_runstate_update_flag);
    uint64_t *entry = &((struct vcpu_runstate_info *)v->runstate_guest)->state_entry_time;
    if (flag) {
        uint64_t marked = r.state_entry_time | XEN_RUNSTATE_UPDATE;
        (void)put_guest(marked, entry);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    (void)copy_to_guest_raw((void *)v->runstate_guest, &r, sizeof(r));
    if (flag) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        (void)put_guest(r.state_entry_time, entry);
    }
}

/* ------------------------------------------------------------ vcpu_info */

static long map_vcpu_info(struct vcpu *v, unsigned long mfn, unsigned int offset)
{
    struct domain *d = v->domain;

    /* A place the area cannot be (past the page, misaligned): Xen 4.17
     * answers -ENXIO; the other refusals are -EINVAL. */
    if (offset > PAGE_SIZE - sizeof(struct vcpu_info))
        return -XEN_ENXIO;
    if (offset & 7)
        return -XEN_ENXIO;
    if (v->vcpu_info_page)
        return -XEN_EINVAL;
    /* Only on yourself, or on a vCPU that is down. */
    if (v != current && !(v->pause_flags & VPF_down))
        return -XEN_EINVAL;
    if (!mfn_valid(mfn) || get_page_and_type(mfn_to_page(mfn), d, PGT_writable_page))
        return -XEN_EINVAL;

    struct vcpu_info *n = (struct vcpu_info *)((char *)map_domain_page(mfn) + offset);
    memcpy(n, v->vcpu_info, sizeof(*n));
    v->vcpu_info = n;
    v->vcpu_info_page = mfn_to_page(mfn);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    /* Everything pending, so that nothing is lost in the move. */
    __atomic_store_n(&n->evtchn_pending_sel, ~0UL, __ATOMIC_SEQ_CST);
    vcpu_mark_events_pending(v);
    return 0;
}

/* ------------------------------------------------------------ vcpu_op */

long do_vcpu_op(int cmd, unsigned int vcpuid, void *arg)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    long rc = 0;

    if (vcpuid >= d->max_vcpus || !(v = d->vcpu[vcpuid]))
        return -XEN_ENOENT;

    switch (cmd) {
    case VCPUOP_initialise:
        return arch_initialise_vcpu(v, arg);

    case VCPUOP_up: {
        bool wake = false;
        spin_lock(&d->lock);
        if (!v->arch.initialised)
            rc = -XEN_EINVAL;
        else
            wake = __atomic_fetch_and(&v->pause_flags, ~VPF_down, __ATOMIC_SEQ_CST) & VPF_down;
        spin_unlock(&d->lock);
        if (wake)
            vcpu_wake(v);
        return rc;
    }

    case VCPUOP_down: {
        bool others = false;
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            if (d->vcpu[i] && i != vcpuid && !(d->vcpu[i]->pause_flags & VPF_down))
                others = true;
        if (!others) {
            /* The last vCPU going down takes the domain with it. */
            domain_shutdown(d, SHUTDOWN_poweroff);
            return 0;
        }
        if (!(__atomic_fetch_or(&v->pause_flags, VPF_down, __ATOMIC_SEQ_CST) & VPF_down))
            vcpu_sleep_nosync(v);
        return 0;
    }

    case VCPUOP_is_up:
        return !(v->pause_flags & VPF_down);

    case VCPUOP_get_runstate_info: {
        struct vcpu_runstate_info r;
        runstate_get(v, &r);
        return copy_to_guest_raw(arg, &r, sizeof(r)) ? -XEN_EFAULT : 0;
    }

    case VCPUOP_register_runstate_memory_area: {
        struct vcpu_register_runstate_memory_area area;
        if (copy_from_guest_raw(&area, arg, sizeof(area)))
            return -XEN_EFAULT;
        unsigned long va = (unsigned long)area.addr.h.p;
        if (!guest_range_ok(va, sizeof(struct vcpu_runstate_info)))
            return -XEN_EFAULT;
        v->runstate_guest = va;
        if (v == current) {
            update_runstate_area(v);
        } else {
            struct vcpu_runstate_info r;
            runstate_get(v, &r);
            (void)copy_to_guest_raw((void *)va, &r, sizeof(r));
        }
        return 0;
    }

    case VCPUOP_set_periodic_timer: {
        struct vcpu_set_periodic_timer set;
        if (copy_from_guest_raw(&set, arg, sizeof(set)))
            return -XEN_EFAULT;
        if (set.period_ns < (uint64_t)MILLISECS(1))
            return -XEN_EINVAL;
        if (set.period_ns > (uint64_t)STIME_MAX / 2)
            return -XEN_EINVAL;
        v->periodic_period = (s_time_t)set.period_ns;
        set_timer(&v->periodic_timer, NOW() + v->periodic_period);
        return 0;
    }

    case VCPUOP_stop_periodic_timer:
        v->periodic_period = 0;
        stop_timer(&v->periodic_timer);
        return 0;

    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer set;
        if (v != current)
            return -XEN_EINVAL;
        if (copy_from_guest_raw(&set, arg, sizeof(set)))
            return -XEN_EFAULT;
        if ((s_time_t)set.timeout_abs_ns < NOW()) {
            /* Already due: deliver now. VCPU_SSHOTTMR_future is ignored, as
             * Xen 4.17 does (Linux sets it and cannot handle -ETIME). */
            stop_timer(&v->singleshot_timer);
            send_guest_vcpu_virq(v, VIRQ_TIMER);
            return 0;
        }
        migrate_timer(&v->singleshot_timer, smp_processor_id());
        set_timer(&v->singleshot_timer, (s_time_t)set.timeout_abs_ns);
        return 0;
    }

    case VCPUOP_stop_singleshot_timer:
        if (v != current)
            return -XEN_EINVAL;
        stop_timer(&v->singleshot_timer);
        return 0;

    case VCPUOP_register_vcpu_info: {
        struct vcpu_register_vcpu_info info;
        if (copy_from_guest_raw(&info, arg, sizeof(info)))
            return -XEN_EFAULT;
        spin_lock(&d->lock);
        rc = map_vcpu_info(v, info.mfn, info.offset);
        spin_unlock(&d->lock);
        update_vcpu_system_time(v);
        return rc;
    }

    case VCPUOP_send_nmi:
        if (arg)
            return -XEN_EINVAL;
        if (!__atomic_exchange_n(&v->arch.nmi_pending, true, __ATOMIC_SEQ_CST))
            vcpu_kick(v);
        return 0;

    default:
        return arch_do_vcpu_op(cmd, v, arg);
    }
}

/* ------------------------------------------------------------ set_timer_op */

long do_set_timer_op(uint64_t timeout_u)
{
    struct vcpu *v = current;
    s_time_t timeout = (s_time_t)timeout_u;
    s_time_t offset = timeout - NOW();

    if (timeout == 0) {
        stop_timer(&v->singleshot_timer);
    } else if (timeout < 0 || (offset > 0 && (uint32_t)(offset >> 50) != 0)) {
        /* Wrapped or absurdly far: Xen fires in 100 ms instead. */
        set_timer(&v->singleshot_timer, NOW() + MILLISECS(100));
    } else {
        migrate_timer(&v->singleshot_timer, smp_processor_id());
        set_timer(&v->singleshot_timer, timeout);
    }
    return 0;
}
