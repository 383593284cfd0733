/*
 * Domains and vCPUs: creation, lookup, pause, shutdown, crash, destruction
 * (see pavise/domain.h for the lifecycle and lock order).
 */
#include <pavise/lib.h>
#include <pavise/arch.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/grant.h>
#include <pavise/pagetype.h>
#include <pavise/sched.h>
#include <pavise/shutdown.h>
#include <pavise/smp.h>
#include <pavise/softirq.h>
#include <pvabi/errno.h>
#include <pvabi/sched.h>

struct domain *domain_list;
spinlock_t domlist_lock = SPIN_LOCK_UNLOCKED;
struct domain *hardware_domain;
static struct domain idle_domain_struct = { .domain_id = DOMID_IDLE, .name = "idle",
                                            .max_vcpus = NR_CPUS };
struct domain *idle_domain = &idle_domain_struct;

static void vcpu_singleshot_fired(void *data);
static void vcpu_periodic_fired(void *data);

/* ------------------------------------------------------------ references */

void get_domain(struct domain *d)
{
    __atomic_fetch_add(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

static void domain_free(struct domain *d);

void put_domain(struct domain *d)
{
    if (d == dom_io || d == idle_domain)
        return;
    if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST) == 0)
        domain_free(d);
}

struct domain *get_domain_by_id(domid_t id)
{
    unsigned long f;
    struct domain *d;

    spin_lock_irqsave(&domlist_lock, f);
    for (d = domain_list; d; d = d->next_in_list)
        if (d->domain_id == id && d->state != DOM_DEAD) {
            get_domain(d);
            break;
        }
    spin_unlock_irqrestore(&domlist_lock, f);
    return d;
}

struct domain *rcu_lock_domain_by_any_id(domid_t id)
{
    if (id == DOMID_SELF) {
        get_domain(current->domain);
        return current->domain;
    }
    return get_domain_by_id(id);
}

/* ------------------------------------------------------------ creation */

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v;

    if (id >= d->max_vcpus || d->vcpu[id])
        return NULL;
    v = xzalloc(struct vcpu);
    if (!v)
        return NULL;
    v->vcpu_id = id;
    v->domain = d;
    v->processor = id % (nr_cpus_online ? nr_cpus_online : 1);
    if (d != idle_domain) {
        static struct vcpu_info dummy_vcpu_info;
        v->vcpu_info = id < XEN_LEGACY_MAX_VCPUS ? &d->shared_info->vcpu_info[id]
                                                 : &dummy_vcpu_info;
        v->vcpu_info->evtchn_upcall_mask = 1;
        v->pause_flags = VPF_down;
        v->runstate = RUNSTATE_offline;
        v->runstate_entry = NOW();
        init_timer(&v->singleshot_timer, vcpu_singleshot_fired, v, v->processor);
        init_timer(&v->periodic_timer, vcpu_periodic_fired, v, v->processor);
        init_timer(&v->poll_timer, evtchn_poll_timeout, v, v->processor);
    }
    if (arch_vcpu_create(v)) {
        xfree(v);
        return NULL;
    }
    d->vcpu[id] = v;
    return v;
}

struct domain *domain_create(domid_t id, const char *name, unsigned int max_vcpus,
                             unsigned long max_pages, bool privileged)
{
    struct domain *d = xzalloc(struct domain);
    unsigned long f;

    if (!d)
        return NULL;
    d->domain_id = id;
    pv_snprintf(d->name, sizeof(d->name), "%s", name);
    spin_lock_init(&d->lock);
    spin_lock_init(&d->page_lock);
    d->page_list = (struct page_list)PAGE_LIST_INIT;
    d->max_pages = max_pages;
    d->max_vcpus = max_vcpus > MAX_VIRT_CPUS_PER_DOM ? MAX_VIRT_CPUS_PER_DOM : max_vcpus;
    d->is_privileged = privileged;
    d->shutdown_code = -1;
    d->refcnt = 1;
    d->state = DOM_ACTIVE;
    d->pause_count = 1;                 /* unpaused once built */

    /* shared_info: a hypervisor page the guest may map. */
    d->shared_info = alloc_xenheap_pages(0);
    if (!d->shared_info)
        goto fail;
    d->shared_info_page = mfn_to_page(virt_to_mfn(d->shared_info));
    d->shared_info_page->owner = d;
    /* Two references: the allocation reference, which the guest may drop
     * (decrease_reservation of this frame, as Xen 4.17 allows), and the
     * hypervisor's own while d->shared_info points here, dropped only by
     * domain_free(). Without the second, giving the frame back and
     * unmapping it freed the page under d->shared_info: it came back as
     * another allocation while events and time were still written to it. */
    d->shared_info_page->count_info |= PGC_allocated | 2;
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;

    if (evtchn_init(d) || arch_domain_create(d) || grant_table_init(d))
        goto fail;

    spin_lock_irqsave(&domlist_lock, f);
    d->next_in_list = domain_list;
    domain_list = d;
    spin_unlock_irqrestore(&domlist_lock, f);
    if (privileged && !hardware_domain)
        hardware_domain = d;
    return d;
fail:
    printk(LOG_ERR "cannot create domain %u (%s): out of memory\n", id, name);
    domain_destroy(d);
    return NULL;
}

/* ------------------------------------------------------------ pause */

void vcpu_pause(struct vcpu *v)
{
    __atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
    vcpu_sleep_sync(v);
}

void vcpu_unpause(struct vcpu *v)
{
    if (__atomic_sub_fetch(&v->pause_count, 1, __ATOMIC_SEQ_CST) == 0)
        vcpu_wake(v);
}

void domain_pause(struct domain *d)
{
    __atomic_fetch_add(&d->pause_count, 1, __ATOMIC_SEQ_CST);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_sleep_sync(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
    if (__atomic_sub_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST) == 0)
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            if (d->vcpu[i])
                vcpu_wake(d->vcpu[i]);
}

/* ------------------------------------------------------------ shutdown */

static const char *const shutdown_names[] = {
    "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

void domain_shutdown(struct domain *d, unsigned int reason)
{
    spin_lock(&d->lock);
    if (d->state != DOM_ACTIVE) {
        spin_unlock(&d->lock);
        return;
    }
    d->state = DOM_SHUTDOWN;
    /* A code set with SCHEDOP_shutdown_code wins, as on Xen. */
    d->shutdown_reason = d->shutdown_code >= 0 ? (unsigned int)d->shutdown_code : reason;
    spin_unlock(&d->lock);

    printk("d%u (%s) shut down: %s (%u)\n", d->domain_id, d->name,
           d->shutdown_reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[d->shutdown_reason] : "?",
           d->shutdown_reason);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpu[i])
            vcpu_sleep_nosync(d->vcpu[i]);
    domain_shutdown_notify(d);
}

void domain_crash(struct domain *d, const char *why)
{
    if (d->state != DOM_ACTIVE)
        return;
    printk(LOG_ERR "d%u (%s) crashed: %s\n", d->domain_id, d->name, why);
    domain_shutdown(d, SHUTDOWN_crash);
    if (d == current->domain)
        raise_softirq(SCHEDULE_SOFTIRQ);
}

__noreturn void domain_crash_self(const char *why)
{
    domain_crash(current->domain, why);
    exit_to_guest();        /* the scheduler takes it off the CPU */
}

/* ------------------------------------------------------------ destruction */

/* Drop every reference the domain's own state holds on its frames. */
static void relinquish_memory(struct domain *d)
{
    /* Allocations for d test its state under page_lock: once we have held
     * the lock after d became DYING, none is in progress and none can
     * succeed, so the page list below is complete. */
    spin_lock(&d->page_lock);
    spin_unlock(&d->page_lock);
    arch_domain_relinquish(d);
    /* vCPU page tables, GDTs, registered vcpu_info pages. */
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        arch_vcpu_destroy(v);
        if (v->vcpu_info_page) {
            put_page_and_type(v->vcpu_info_page);
            v->vcpu_info_page = NULL;
        }
    }
    /* Unpin everything; then drop the allocation references. Frames with
     * references from elsewhere (grant or foreign maps) go when those do. */
    for (struct page_info *pg = page_list_first(&d->page_list); pg; pg = page_list_next(pg))
        if (__atomic_fetch_and(&pg->type_info, ~PGT_pinned, __ATOMIC_SEQ_CST) & PGT_pinned)
            put_page_and_type(pg);
    for (;;) {
        struct page_info *pg = page_list_first(&d->page_list);
        struct page_info *next;
        bool progress = false;
        for (; pg; pg = next) {
            next = page_list_next(pg);
            if (pg->count_info & PGC_allocated) {
                free_domheap_page(pg);
                progress = true;
            }
        }
        if (!progress)
            break;
    }
}

void domain_destroy(struct domain *d)
{
    unsigned long f;

    spin_lock(&d->lock);
    if (d->state == DOM_DYING || d->state == DOM_DEAD) {
        spin_unlock(&d->lock);
        return;
    }
    d->state = DOM_DYING;
    spin_unlock(&d->lock);

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v)
            continue;
        __atomic_fetch_add(&v->pause_count, 1, __ATOMIC_SEQ_CST);
        vcpu_sleep_sync(v);
        /* Killed, not stopped: a callback running elsewhere right now
         * (the periodic one re-arms itself) must not outlive the vCPU. */
        kill_timer(&v->singleshot_timer);
        kill_timer(&v->periodic_timer);
        kill_timer(&v->poll_timer);
    }
    unsigned long pages_before = d->tot_pages;
    unsigned int ports = evtchn_count_open(d);
    grant_table_destroy(d);
    evtchn_destroy(d);
    console_ring_detach(d);
    relinquish_memory(d);
    /*
     * Frames others still reference (foreign mappings or pins without a
     * grant, which holds a domain reference itself) point back at d until
     * they are freed: keep d until the last one is, as Xen does.
     */
    spin_lock(&d->page_lock);
    if (d->tot_pages) {
        get_domain(d);
        d->frames_ref = true;
    }
    spin_unlock(&d->page_lock);
    printk("d%u (%s) torn down: %lu of %lu frames freed, %u event channel(s) closed; "
           "%lu frame(s) wait for other domains' references\n",
           d->domain_id, d->name, pages_before - d->tot_pages, pages_before, ports, d->tot_pages);

    spin_lock_irqsave(&domlist_lock, f);
    for (struct domain **pp = &domain_list; *pp; pp = &(*pp)->next_in_list)
        if (*pp == d) {
            *pp = d->next_in_list;
            break;
        }
    spin_unlock_irqrestore(&domlist_lock, f);
    if (hardware_domain == d)
        hardware_domain = NULL;
    put_domain(d);
}

static void domain_free(struct domain *d)
{
    printk("d%u (%s) destroyed\n", d->domain_id, d->name);
    if (d->shared_info_page) {
        free_domheap_page(d->shared_info_page);     /* if the guest did not */
        put_page(d->shared_info_page);              /* ours: freed once unmapped */
    }
    arch_domain_destroy(d);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        xfree(d->vcpu[i]);
    d->state = DOM_DEAD;
    xfree(d);
}

/* ------------------------------------------------------------ vCPU timers */

static void vcpu_singleshot_fired(void *data)
{
    send_guest_vcpu_virq((struct vcpu *)data, VIRQ_TIMER);
}

static void vcpu_periodic_fired(void *data)
{
    struct vcpu *v = data;
    send_guest_vcpu_virq(v, VIRQ_TIMER);
    if (v->periodic_period)
        set_timer(&v->periodic_timer, NOW() + v->periodic_period);
}
