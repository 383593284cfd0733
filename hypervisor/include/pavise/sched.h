/*
 * The scheduler: one global run queue of runnable vCPUs served
 * round-robin by every pCPU, 30 ms slices, an idle vCPU per pCPU that
 * halts. Blocking, wake-up on events and timers. One clear mechanism,
 * fair enough for the handful of vCPUs Pavise runs per host.
 */
#ifndef PAVISE_SCHED_H
#define PAVISE_SCHED_H

#include <pavise/types.h>

struct vcpu;

void scheduler_init(void);
void sched_init_cpu(unsigned int cpu);
/* v may now be runnable: queue it and kick a pCPU. */
void vcpu_wake(struct vcpu *v);
/* v may no longer be runnable: get it off its pCPU. */
void vcpu_sleep_nosync(struct vcpu *v);
/* ... and wait until it is off. */
void vcpu_sleep_sync(struct vcpu *v);
bool vcpu_runnable(const struct vcpu *v);
void vcpu_block(void);          /* current vCPU blocks (SCHEDOP_block) */
void vcpu_yield(void);
__noreturn void idle_loop(void);
void schedule(void);
/* Arch: switch from prev to next (does not return when they differ). */
void context_switch(struct vcpu *prev, struct vcpu *next);
void sched_context_saved(struct vcpu *prev);
/* Set v's runstate and account the time. */
void vcpu_runstate_change(struct vcpu *v, int new_state);

#endif
