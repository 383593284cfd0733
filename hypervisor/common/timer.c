/*
 * Timers (see pavise/timer.h). Per-CPU sorted singly linked lists: the
 * number of armed timers per CPU is small (a few per vCPU).
 */
#include <pavise/lib.h>
#include <pavise/timer.h>
#include <pavise/softirq.h>
#include <pavise/spinlock.h>
#include <pavise/smp.h>
#include <pavise/console.h>

struct timer_cpu {
    spinlock_t lock;
    struct timer *head;
    struct timer *running;      /* whose callback runs now (lock dropped) */
};
static struct timer_cpu timer_cpus[NR_CPUS];

void init_timer(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu)
{
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
}

static void unlink_timer(struct timer_cpu *tc, struct timer *t)
{
    for (struct timer **pp = &tc->head; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->active = false;
}

/* Lock the CPU the timer belongs to; the timer may migrate meanwhile. */
static struct timer_cpu *lock_timer(struct timer *t, unsigned long *flags)
{
    for (;;) {
        unsigned int cpu = READ_ONCE(t->cpu);
        struct timer_cpu *tc = &timer_cpus[cpu];
        spin_lock_irqsave(&tc->lock, *flags);
        if (t->cpu == cpu)
            return tc;
        spin_unlock_irqrestore(&tc->lock, *flags);
    }
}

void set_timer(struct timer *t, s_time_t expires)
{
    unsigned long f;
    struct timer_cpu *tc = lock_timer(t, &f);
    struct timer **pp;

    if (t->killed) {
        spin_unlock_irqrestore(&tc->lock, f);
        return;
    }
    if (t->active)
        unlink_timer(tc, t);
    t->expires = expires;
    for (pp = &tc->head; *pp && (*pp)->expires <= expires; pp = &(*pp)->next)
        ;
    t->next = *pp;
    *pp = t;
    t->active = true;
    bool first = tc->head == t;
    unsigned int cpu = t->cpu;
    spin_unlock_irqrestore(&tc->lock, f);
    /* A new earliest deadline: that CPU must reprogram its timer. */
    if (first)
        cpu_raise_softirq(cpu, TIMER_SOFTIRQ);
}

void stop_timer(struct timer *t)
{
    unsigned long f;
    struct timer_cpu *tc = lock_timer(t, &f);
    if (t->active)
        unlink_timer(tc, t);
    spin_unlock_irqrestore(&tc->lock, f);
}

void kill_timer(struct timer *t)
{
    unsigned long f;
    struct timer_cpu *tc = lock_timer(t, &f);
    if (t->active)
        unlink_timer(tc, t);
    t->killed = true;
    spin_unlock_irqrestore(&tc->lock, f);
    /* A callback that took t off its list just before may still run (and
     * use t's owner): wait it out. */
    for (unsigned int c = 0; c < nr_cpus_online; c++)
        while (__atomic_load_n(&timer_cpus[c].running, __ATOMIC_ACQUIRE) == t)
            arch_cpu_relax();
}

bool timer_is_active(const struct timer *t)
{
    return READ_ONCE(t->active);
}

void migrate_timer(struct timer *t, unsigned int cpu)
{
    unsigned long f;
    struct timer_cpu *tc = lock_timer(t, &f);
    bool was_active = t->active;
    s_time_t expires = t->expires;

    if (t->cpu == cpu || t->killed) {
        spin_unlock_irqrestore(&tc->lock, f);
        return;
    }
    if (was_active)
        unlink_timer(tc, t);
    t->cpu = cpu;
    spin_unlock_irqrestore(&tc->lock, f);
    if (was_active)
        set_timer(t, expires);
}

void timer_softirq_action(void)
{
    struct timer_cpu *tc = &timer_cpus[smp_processor_id()];
    unsigned long f;

    spin_lock_irqsave(&tc->lock, f);
    for (;;) {
        struct timer *t = tc->head;
        s_time_t now = NOW();
        if (!t || t->expires > now)
            break;
        tc->head = t->next;
        t->next = NULL;
        t->active = false;
        void (*fn)(void *) = t->fn;
        void *data = t->data;
        /* Set under the lock, which orders it against kill_timer()'s
         * unlink; cleared with release so that a killer seeing NULL sees
         * all fn did. Both plain moves on x86: nothing added here. */
        WRITE_ONCE(tc->running, t);
        spin_unlock_irqrestore(&tc->lock, f);
        fn(data);
        __atomic_store_n(&tc->running, NULL, __ATOMIC_RELEASE);
        spin_lock_irqsave(&tc->lock, f);
    }
    arch_program_timer(tc->head ? tc->head->expires : 0);
    spin_unlock_irqrestore(&tc->lock, f);
}

void timers_init_cpu(unsigned int cpu)
{
    spin_lock_init(&timer_cpus[cpu].lock);
    timer_cpus[cpu].head = NULL;
    if (cpu == 0)
        open_softirq(TIMER_SOFTIRQ, timer_softirq_action);
}
