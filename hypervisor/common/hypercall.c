/*
 * Hypercall dispatch, continuations, and multicall.
 *
 * The table (pavise/hypercall-defs.h) is expanded three times: handler
 * prototypes, one wrapper per hypercall that converts the argument
 * registers to the declared types, and the dispatch array.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pavise/softirq.h>
#include <pavise/smp.h>
#include <pavise/event.h>
#include <pvabi/xen.h>
#include <pvabi/errno.h>
#include <pavise/arch.h>

typedef unsigned long ul;

/* 2: wrappers from raw argument registers */
typedef long (*hc_fn_t)(const ul *a);
#define ARG(t, i) ((t)(a[i]))
#define HC0(nr, n)                static long hc_##n(const ul *a) { (void)a; return do_##n(); }
#define HC1(nr, n, t0)            static long hc_##n(const ul *a) { return do_##n(ARG(t0, 0)); }
#define HC2(nr, n, t0, t1)        static long hc_##n(const ul *a) { return do_##n(ARG(t0, 0), ARG(t1, 1)); }
#define HC3(nr, n, t0, t1, t2)    static long hc_##n(const ul *a) { return do_##n(ARG(t0, 0), ARG(t1, 1), ARG(t2, 2)); }
#define HC4(nr, n, t0, t1, t2, t3) \
    static long hc_##n(const ul *a) { return do_##n(ARG(t0, 0), ARG(t1, 1), ARG(t2, 2), ARG(t3, 3)); }
#define HC5(nr, n, t0, t1, t2, t3, t4) \
    static long hc_##n(const ul *a) { return do_##n(ARG(t0, 0), ARG(t1, 1), ARG(t2, 2), ARG(t3, 3), ARG(t4, 4)); }
#include <pavise/hypercall-defs.h>
#undef HC0
#undef HC1
#undef HC2
#undef HC3
#undef HC4
#undef HC5

/* 3: the dispatch array */
#define NR_HYPERCALLS 64
static const struct {
    hc_fn_t fn;
    const char *name;
} hypercall_table[NR_HYPERCALLS] = {
#define HC0(nr, n)                      [nr] = { hc_##n, #n },
#define HC1(nr, n, ...)                 [nr] = { hc_##n, #n },
#define HC2(nr, n, ...)                 [nr] = { hc_##n, #n },
#define HC3(nr, n, ...)                 [nr] = { hc_##n, #n },
#define HC4(nr, n, ...)                 [nr] = { hc_##n, #n },
#define HC5(nr, n, ...)                 [nr] = { hc_##n, #n },
#include <pavise/hypercall-defs.h>
};

const char *hypercall_name(unsigned int nr)
{
    return nr < NR_HYPERCALLS && hypercall_table[nr].name ? hypercall_table[nr].name : "?";
}

/* ------------------------------------------------------------ state */

/* Per-CPU state of the hypercall in progress. */
struct hc_state {
    struct cpu_regs *regs;              /* non-NULL for a top-level hypercall */
    struct multicall_entry *mc_entry;   /* the entry being run inside a multicall */
    bool mc_preempted;
};
static struct hc_state hc_state[NR_CPUS];

bool in_multicall(void)
{
    return hc_state[smp_processor_id()].mc_entry != NULL;
}

bool hypercall_preempt_check(void)
{
    return softirq_pending(smp_processor_id()) || local_events_need_delivery();
}

long hypercall_create_continuation(unsigned int op, unsigned int nargs, ...)
{
    struct hc_state *s = &hc_state[smp_processor_id()];
    va_list ap;
    ul args[6] = { 0 };

    va_start(ap, nargs);
    for (unsigned int i = 0; i < nargs && i < 6; i++)
        args[i] = va_arg(ap, ul);
    va_end(ap);

    if (s->mc_entry) {
        /* Update the multicall entry in place; the multicall stops here
         * and resumes from this entry. */
        s->mc_entry->op = op;
        for (unsigned int i = 0; i < 6; i++)
            s->mc_entry->args[i] = args[i];
        s->mc_preempted = true;
        return (long)op;
    }
    struct cpu_regs *r = s->regs;
    BUG_ON(!r);
    r->rip -= 2;                 /* re-execute the syscall */
    r->rdi = args[0];
    r->rsi = args[1];
    r->rdx = args[2];
    r->r10 = args[3];
    r->r8 = args[4];
    r->r9 = args[5];
    return (long)op;            /* rax must hold the hypercall number again */
}

static long dispatch(unsigned int nr, const ul *args)
{
    if (nr >= NR_HYPERCALLS || !hypercall_table[nr].fn)
        return -XEN_ENOSYS;
    return hypercall_table[nr].fn(args);
}

/* Log each (hypercall, command) pair that answers -ENOSYS, once: the list
 * of what guests ask for and Pavise does not implement. platform_op and
 * mca carry their command in the structure the argument points to. */
static void note_enosys(unsigned long nr, unsigned long a0)
{
    static spinlock_t lock = SPIN_LOCK_UNLOCKED;
    static struct { unsigned long nr, a0; } seen[64];
    static unsigned int nseen;
    unsigned long f;
    uint32_t cmd;

    if ((nr == __HYPERVISOR_platform_op || nr == __HYPERVISOR_arch_0) &&
        !copy_from_guest_raw(&cmd, (const void *)a0, sizeof(cmd)))
        a0 = cmd;
    spin_lock_irqsave(&lock, f);
    for (unsigned int i = 0; i < nseen; i++)
        if (seen[i].nr == nr && seen[i].a0 == a0) {
            spin_unlock_irqrestore(&lock, f);
            return;
        }
    if (nseen < ARRAY_SIZE(seen)) {
        seen[nseen].nr = nr;
        seen[nseen].a0 = a0;
        nseen++;
    }
    spin_unlock_irqrestore(&lock, f);
    printk(LOG_DEBUG "d%u: hypercall %lu (%s) cmd %#lx: -ENOSYS\n", current->domain->domain_id,
           nr, hypercall_name((unsigned int)nr), a0);
}

void pv_hypercall(struct cpu_regs *regs)
{
    struct hc_state *s = &hc_state[smp_processor_id()];
    ul args[6] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8, regs->r9 };
    unsigned long nr = regs->rax;

    s->regs = regs;
    s->mc_entry = NULL;
    long rc = nr < NR_HYPERCALLS ? dispatch((unsigned int)nr, args) : -XEN_ENOSYS;
    if (rc == -XEN_ENOSYS && nr != __HYPERVISOR_iret)
        note_enosys(nr, args[0]);
    /* iret rewrote the frame and returns the guest's saved rax. */
    regs->rax = (uint64_t)rc;
    s->regs = NULL;
}

/* ------------------------------------------------------------ multicall */

long do_multicall(struct multicall_entry *list, unsigned int nr)
{
    struct hc_state *s = &hc_state[smp_processor_id()];

    if (in_multicall())
        return -XEN_EINVAL;         /* no nesting */
    if (!guest_array_ok(list, nr, sizeof(*list)))
        return -XEN_EFAULT;

    for (unsigned int i = 0; i < nr; i++) {
        struct multicall_entry e;

        if (i && hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                                 (ul)(list + i), (ul)(nr - i));
        if (copy_from_guest_raw(&e, list + i, sizeof(e)))
            return -XEN_EFAULT;
        s->mc_entry = &e;
        s->mc_preempted = false;
        long rc;
        if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret)
            rc = -XEN_EINVAL;
        else
            rc = e.op < NR_HYPERCALLS ? dispatch((unsigned int)e.op, (const ul *)e.args)
                                      : -XEN_ENOSYS;
        s->mc_entry = NULL;
        e.result = (unsigned long)rc;
        if (copy_to_guest_raw(list + i, &e, sizeof(e)))
            return -XEN_EFAULT;
        if (s->mc_preempted) {
            /* The entry was rewritten to continue itself: resume there. */
            return hypercall_create_continuation(__HYPERVISOR_multicall, 2,
                                                 (ul)(list + i), (ul)(nr - i));
        }
        if (current->domain->state != DOM_ACTIVE)
            return 0;           /* e.g. it shut itself down */
    }
    return 0;
}
