/* pvclock system time, the wall clock, and the vCPU timers. */
#include <pvguest/test.h>

void pvclock_snapshot(struct vcpu_time_info *out)
{
    const volatile struct vcpu_time_info *t = &this_vcpu_info()->time;
    uint32_t v;

    do {
        v = t->version;
        rmb();
        out->version = v;
        out->tsc_timestamp = t->tsc_timestamp;
        out->system_time = t->system_time;
        out->tsc_to_system_mul = t->tsc_to_system_mul;
        out->tsc_shift = t->tsc_shift;
        out->flags = t->flags;
        rmb();
    } while ((v & 1) || v != t->version);
}

uint64_t pvclock_scale(const struct vcpu_time_info *t, uint64_t tsc)
{
    uint64_t delta = tsc - t->tsc_timestamp;

    if (t->tsc_shift < 0)
        delta >>= -t->tsc_shift;
    else
        delta <<= t->tsc_shift;
    return t->system_time +
           (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
}

uint64_t now_ns(void)
{
    const volatile struct vcpu_time_info *t = &this_vcpu_info()->time;
    struct vcpu_time_info snap;
    uint64_t tsc;
    uint32_t v;

    /* The TSC must be read inside the version window. */
    do {
        v = t->version;
        rmb();
        snap.tsc_timestamp = t->tsc_timestamp;
        snap.system_time = t->system_time;
        snap.tsc_to_system_mul = t->tsc_to_system_mul;
        snap.tsc_shift = t->tsc_shift;
        tsc = rdtsc();
        rmb();
    } while ((v & 1) || v != t->version);
    return pvclock_scale(&snap, tsc);
}

void wallclock_read(uint64_t *sec, uint32_t *nsec, uint32_t *version)
{
    uint32_t v, lo, hi, ns;

    do {
        v = READ_ONCE(shared_info->wc_version);
        rmb();
        lo = shared_info->wc_sec;
        ns = shared_info->wc_nsec;
        hi = shared_info->wc_sec_hi;
        rmb();
    } while ((v & 1) || v != READ_ONCE(shared_info->wc_version));
    *sec = ((uint64_t)hi << 32) | lo;
    *nsec = ns;
    if (version)
        *version = v;
}

uint64_t pvclock_tsc_khz(const struct vcpu_time_info *t)
{
    uint64_t khz;

    if (!t->tsc_to_system_mul)
        return 0;
    khz = (1000000ULL << 32) / t->tsc_to_system_mul;
    if (t->tsc_shift < 0)
        khz <<= -t->tsc_shift;
    else
        khz >>= t->tsc_shift;
    return khz;
}

void udelay_ns(uint64_t ns)
{
    uint64_t end = now_ns() + ns;

    while (now_ns() < end)
        cpu_relax();
}

long timer_set_singleshot(uint64_t deadline_ns, uint32_t flags)
{
    struct vcpu_set_singleshot_timer t = {
        .timeout_abs_ns = deadline_ns,
        .flags = flags,
    };

    return HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, smp_processor_id(), &t);
}

long timer_stop_singleshot(void)
{
    return HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, smp_processor_id(), NULL);
}

long timer_set_periodic(uint64_t period_ns)
{
    struct vcpu_set_periodic_timer t = { .period_ns = period_ns };

    return HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, smp_processor_id(), &t);
}

long timer_stop_periodic(void)
{
    return HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, smp_processor_id(), NULL);
}
