/* Time: pvclock system time, the shared-info wall clock, and timers. */
#ifndef PVGUEST_TIME_H
#define PVGUEST_TIME_H

#include <pvguest/types.h>
#include <pvabi/xen.h>

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* A consistent copy of the calling vCPU's vcpu_time_info. */
void pvclock_snapshot(struct vcpu_time_info *out);
/* System time in ns from a snapshot and a TSC value. */
uint64_t pvclock_scale(const struct vcpu_time_info *t, uint64_t tsc);
/* Current system time of the calling vCPU, in ns. */
uint64_t now_ns(void);
/* The wall clock at system time 0 (wc_version protocol). */
void wallclock_read(uint64_t *sec, uint32_t *nsec, uint32_t *version);
/* TSC frequency in kHz derived from mul/shift. */
uint64_t pvclock_tsc_khz(const struct vcpu_time_info *t);

/* Busy-wait for ns nanoseconds of system time. */
void udelay_ns(uint64_t ns);

long timer_set_singleshot(uint64_t deadline_ns, uint32_t flags);
long timer_stop_singleshot(void);
long timer_set_periodic(uint64_t period_ns);
long timer_stop_periodic(void);

#endif
