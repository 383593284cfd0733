/*
 * System time: nanoseconds since boot, from the TSC. One global scale is
 * used on every CPU (the TSC is treated as synchronised and invariant,
 * which holds under QEMU and on the machines Pavise targets); the same
 * scale is published to guests as tsc_to_system_mul/tsc_shift.
 */
#ifndef PAVISE_TIME_H
#define PAVISE_TIME_H

#include <pavise/types.h>

typedef int64_t s_time_t;

#define MILLISECS(ms) ((s_time_t)(ms) * 1000000LL)
#define MICROSECS(us) ((s_time_t)(us) * 1000LL)
#define SECONDS(s)    ((s_time_t)(s) * 1000000000LL)
#define STIME_MAX     ((s_time_t)0x7fffffffffffffffLL)

struct time_scale {
    int8_t shift;
    uint32_t mul_frac;
};

extern struct time_scale tsc_scale;
extern uint64_t tsc_boot;           /* TSC at system time 0 */
extern uint64_t cpu_khz;
/* Wall clock (UTC) at system time 0. */
extern uint64_t wallclock_sec_at_boot;
extern uint32_t wallclock_nsec_at_boot;

/* ticks_per_sec -> scale such that ns = scale_delta(ticks). */
void set_time_scale(struct time_scale *ts, uint64_t ticks_per_sec);
uint64_t scale_delta(uint64_t delta, const struct time_scale *ts);
s_time_t NOW(void);
uint64_t get_cycles(void);          /* the TSC */
void udelay(unsigned long us);

#endif
