/*
 * The scheduler (see pavise/sched.h). sched_lock protects the run queue
 * and every vCPU's pause_flags/pause_count/is_running/on_runq/processor.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/sched.h>
#include <pavise/smp.h>
#include <pavise/softirq.h>
#include <pavise/timer.h>
#include <pavise/arch.h>

#define SLICE MILLISECS(30)

static spinlock_t sched_lock = SPIN_LOCK_UNLOCKED;
static struct vcpu *runq_head, *runq_tail;
static struct vcpu *idle_vcpus[NR_CPUS];
static struct timer slice_timers[NR_CPUS];
static bool cpu_idle[NR_CPUS];

bool vcpu_runnable(const struct vcpu *v)
{
    return !v->pause_flags && !v->pause_count && !v->domain->pause_count &&
           v->domain->state == DOM_ACTIVE;
}

void vcpu_runstate_change(struct vcpu *v, int new_state)
{
    s_time_t now = NOW();
    if (v->runstate == new_state)
        return;
    if (now > v->runstate_entry)
        v->runstate_time[v->runstate] += (uint64_t)(now - v->runstate_entry);
    v->runstate = new_state;
    v->runstate_entry = now;
}

static void runq_insert(struct vcpu *v)
{
    if (v->on_runq || is_idle_vcpu(v))
        return;
    v->runq_next = NULL;
    if (runq_tail)
        runq_tail->runq_next = v;
    else
        runq_head = v;
    runq_tail = v;
    v->on_runq = true;
}

static void runq_remove(struct vcpu *v)
{
    struct vcpu **pp = &runq_head, *prev = NULL;
    if (!v->on_runq)
        return;
    for (; *pp; prev = *pp, pp = &(*pp)->runq_next) {
        if (*pp == v) {
            *pp = v->runq_next;
            if (runq_tail == v)
                runq_tail = prev;
            break;
        }
    }
    v->on_runq = false;
    v->runq_next = NULL;
}

/* Kick one idle pCPU (preferring v's last one) to pick up new work. */
static void kick_idle_cpu(const struct vcpu *v)
{
    unsigned int target = v->processor;
    if (target >= nr_cpus_online || !cpu_idle[target]) {
        target = NR_CPUS;
        for (unsigned int c = 0; c < nr_cpus_online; c++)
            if (cpu_idle[c]) {
                target = c;
                break;
            }
    }
    if (target < NR_CPUS) {
        /* Claimed: the next kick looks for another idle CPU (schedule()
         * on the target says again whether it is idle). */
        cpu_idle[target] = false;
        cpu_raise_softirq(target, SCHEDULE_SOFTIRQ);
    }
}

void vcpu_wake(struct vcpu *v)
{
    unsigned long f;
    spin_lock_irqsave(&sched_lock, f);
    if (vcpu_runnable(v)) {
        if (!v->is_running && !v->on_runq) {
            vcpu_runstate_change(v, RUNSTATE_runnable);
            runq_insert(v);
            kick_idle_cpu(v);
        }
    } else if (!v->is_running) {
        vcpu_runstate_change(v, v->pause_flags & VPF_blocked ? RUNSTATE_blocked : RUNSTATE_offline);
    }
    spin_unlock_irqrestore(&sched_lock, f);
}

void vcpu_sleep_nosync(struct vcpu *v)
{
    unsigned long f;
    spin_lock_irqsave(&sched_lock, f);
    if (!vcpu_runnable(v)) {
        if (v->on_runq) {
            runq_remove(v);
            vcpu_runstate_change(v, v->pause_flags & VPF_blocked ? RUNSTATE_blocked : RUNSTATE_offline);
        } else if (v->is_running) {
            cpu_raise_softirq(v->processor, SCHEDULE_SOFTIRQ);
        }
    }
    spin_unlock_irqrestore(&sched_lock, f);
}

void vcpu_sleep_sync(struct vcpu *v)
{
    vcpu_sleep_nosync(v);
    while (__atomic_load_n(&v->is_running, __ATOMIC_SEQ_CST) && v != current)
        arch_cpu_relax();
}

void vcpu_block(void)
{
    struct vcpu *v = current;
    __atomic_fetch_or(&v->pause_flags, VPF_blocked, __ATOMIC_SEQ_CST);
    /* Re-check after blocking: an event may have raced in (the caller
     * checks for pending events after this). */
    raise_softirq(SCHEDULE_SOFTIRQ);
}

void vcpu_yield(void)
{
    raise_softirq(SCHEDULE_SOFTIRQ);
}

static void slice_expired(void *data)
{
    (void)data;
    raise_softirq(SCHEDULE_SOFTIRQ);
}

/*
 * Pick what runs next on this pCPU. Returns normally only if the current
 * vCPU keeps running; otherwise context_switch() does not return.
 */
void schedule(void)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu *prev = current, *next;
    unsigned long f;

    /* A shut-down domain waits to be torn down by CPU 0's idle context
     * (domain_destroy waits for vCPUs, which a guest context cannot). */
    bool reap = cpu == 0 && reap_wanted();

    spin_lock_irqsave(&sched_lock, f);
    if (!is_idle_vcpu(prev) && vcpu_runnable(prev) && !reap) {
        if (!runq_head) {
            /* Nobody else wants the CPU: keep going. */
            spin_unlock_irqrestore(&sched_lock, f);
            set_timer(&slice_timers[cpu], NOW() + SLICE);
            return;
        }
        /* prev goes back on the queue in sched_context_saved(), once its
         * state is saved: until then no other pCPU may pick it. */
    }
    next = reap ? NULL : runq_head;
    if (next)
        runq_remove(next);
    else
        next = idle_vcpus[cpu];

    if (next == prev) {
        cpu_idle[cpu] = is_idle_vcpu(prev);
        spin_unlock_irqrestore(&sched_lock, f);
        return;
    }
    if (!is_idle_vcpu(prev)) {
        vcpu_runstate_change(prev, vcpu_runnable(prev) ? RUNSTATE_runnable
                                   : (prev->pause_flags & VPF_blocked) ? RUNSTATE_blocked
                                   : RUNSTATE_offline);
    }
    vcpu_runstate_change(next, RUNSTATE_running);
    next->is_running = true;
    next->processor = cpu;
    cpu_idle[cpu] = is_idle_vcpu(next);
    spin_unlock_irqrestore(&sched_lock, f);

    if (is_idle_vcpu(next))
        stop_timer(&slice_timers[cpu]);
    else
        set_timer(&slice_timers[cpu], NOW() + SLICE);

    context_switch(prev, next);
}

/* Called by context_switch() once prev's state is saved. */
void sched_context_saved(struct vcpu *prev)
{
    unsigned long f;
    spin_lock_irqsave(&sched_lock, f);
    __atomic_store_n(&prev->is_running, false, __ATOMIC_SEQ_CST);
    /* Still runnable (preempted), or woken while it was being switched out. */
    if (!is_idle_vcpu(prev) && vcpu_runnable(prev) && !prev->on_runq) {
        vcpu_runstate_change(prev, RUNSTATE_runnable);
        runq_insert(prev);
        kick_idle_cpu(prev);
    } else if (!is_idle_vcpu(prev) && !vcpu_runnable(prev) &&
               prev->runstate == RUNSTATE_runnable) {
        /* Paused or downed while being switched out (schedule() saw it
         * runnable): it is not waiting for a CPU. */
        vcpu_runstate_change(prev, prev->pause_flags & VPF_blocked ? RUNSTATE_blocked
                                                                   : RUNSTATE_offline);
    }
    spin_unlock_irqrestore(&sched_lock, f);
}

static void schedule_softirq(void)
{
    schedule();
}

void sched_init_cpu(unsigned int cpu)
{
    struct vcpu *idle = vcpu_create(idle_domain, cpu);
    if (!idle)
        panic("cannot create the idle vCPU of CPU%u", cpu);
    idle->processor = cpu;
    idle->is_running = true;
    idle_vcpus[cpu] = idle;
    cpu_idle[cpu] = true;
    get_cpu_info()->curr_vcpu = idle;
    init_timer(&slice_timers[cpu], slice_expired, NULL, cpu);
}

void scheduler_init(void)
{
    open_softirq(SCHEDULE_SOFTIRQ, schedule_softirq);
}

__noreturn void idle_loop(void)
{
    unsigned int cpu = smp_processor_id();
    for (;;) {
        reap_domains();
        local_irq_disable();
        /* Work may have been queued while this CPU was kept idle (for the
         * reaper) without a kick: never halt with a non-empty queue. */
        if (__atomic_load_n(&runq_head, __ATOMIC_RELAXED) && !(cpu == 0 && reap_wanted()))
            raise_softirq(SCHEDULE_SOFTIRQ);
        if (softirq_pending(cpu)) {
            local_irq_enable();
            do_softirq();
            continue;
        }
        arch_safe_halt();       /* sti; hlt: an interrupt wakes us */
    }
}
