/*
 * One-shot timers on system time. Each CPU keeps a sorted list of its
 * timers and programs its local timer for the earliest; expired timers
 * run from TIMER_SOFTIRQ with interrupts enabled.
 */
#ifndef PAVISE_TIMER_H
#define PAVISE_TIMER_H

#include <pavise/types.h>
#include <pavise/time.h>

struct timer {
    s_time_t expires;
    void (*fn)(void *data);
    void *data;
    unsigned int cpu;
    bool active;
    bool killed;            /* kill_timer(): never armed again */
    struct timer *next;     /* per-CPU sorted list */
};

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu);
/* (Re)arm t to fire at 'expires' (system time ns). */
void set_timer(struct timer *t, s_time_t expires);
void stop_timer(struct timer *t);
/*
 * Stop t for good before its owner is freed: later set_timer() calls
 * (e.g. from its own callback) do nothing, and kill_timer() returns only
 * once no CPU is still running t's callback. Not from that callback.
 */
void kill_timer(struct timer *t);
/* Move an inactive-or-active timer to another CPU. */
void migrate_timer(struct timer *t, unsigned int cpu);
bool timer_is_active(const struct timer *t);
void timer_softirq_action(void);
void timers_init_cpu(unsigned int cpu);

/* Arch: fire the local timer interrupt at 'deadline' (0 = stop). */
void arch_program_timer(s_time_t deadline);

#endif
