/*
 * Domains and vCPUs.
 *
 * Lifecycle: domain_create() -> (builder fills memory, vCPU 0 context)
 * -> domain_unpause() ... -> domain_shutdown(reason) [vCPUs stop, the
 * domain keeps its memory until destroyed] -> domain_destroy() [every
 * frame, port and grant is released; counters prove it].
 *
 * Locking: d->lock protects the domain's state, vCPU creation and the
 * shutdown fields; d->page_lock its page list and tot_pages; the event
 * channel and grant code have their own locks (see their headers). The
 * domain list is protected by domlist_lock. Lock order: domlist_lock ->
 * d->lock -> d->evtchn lock -> d->page_lock -> heap_lock.
 */
#ifndef PAVISE_DOMAIN_H
#define PAVISE_DOMAIN_H

#include <pavise/types.h>
#include <pavise/spinlock.h>
#include <pavise/mm.h>
#include <pavise/timer.h>
#include <pvabi/xen.h>
#include <pvabi/vcpu.h>
#include <asm/domain.h>
#include <asm/percpu.h>

#define MAX_VIRT_CPUS_PER_DOM  XEN_LEGACY_MAX_VCPUS      /* 32 */
#define NR_VIRQS               24
/* Groups of event-channel buckets: enough for every FIFO port (event.h). */
#define EVTCHN_NR_GROUPS       32

struct evtchn;
struct evtchn_port_ops;
struct evtchn_fifo_domain;
struct evtchn_fifo_vcpu;
struct grant_table;

/* Reasons a vCPU cannot run (bits in v->pause_flags). */
#define VPF_blocked    (1u << 0)   /* SCHEDOP_block / poll */
#define VPF_down       (1u << 1)   /* not up (VCPUOP_down, or never started) */

struct vcpu {
    unsigned int vcpu_id;
    struct domain *domain;
    unsigned int processor;             /* pCPU it runs (or last ran) on */

    /* Scheduling (protected by the scheduler lock). */
    unsigned int pause_flags;
    unsigned int pause_count;
    bool is_running;
    bool on_runq;
    struct vcpu *runq_next;

    /* Runstate accounting (Xen's vcpu_runstate_info). */
    int runstate;
    s_time_t runstate_entry;
    uint64_t runstate_time[4];
    unsigned long runstate_guest;       /* guest VA of the registered area, or 0 */
    unsigned long time_area_guest;      /* VCPUOP_register_vcpu_time_memory_area */

    /* Event delivery state. */
    struct vcpu_info *vcpu_info;        /* where this vCPU's vcpu_info lives */
    struct page_info *vcpu_info_page;   /* registered page (holds a ref) or NULL */
    bool vcpu_info_registered;
    int virq_to_evtchn[NR_VIRQS];
    struct evtchn_fifo_vcpu *evtchn_fifo;   /* FIFO ABI: control block, queues; or NULL */
    /* SCHEDOP_poll */
    bool polling;
    unsigned int poll_nr;
    uint32_t poll_ports[128];

    /* Timers. */
    struct timer singleshot_timer;
    struct timer periodic_timer;
    struct timer poll_timer;
    s_time_t periodic_period;

    struct arch_vcpu arch;
};

enum domain_state { DOM_ACTIVE, DOM_SHUTDOWN, DOM_DYING, DOM_DEAD };

struct domain {
    domid_t domain_id;
    char name[32];
    spinlock_t lock;
    bool is_privileged;                 /* the control domain (dom0) */
    bool is_initial;                    /* built at boot from modules */
    enum domain_state state;
    unsigned int shutdown_reason;
    int shutdown_code;                  /* SCHEDOP_shutdown_code, or -1 */
    unsigned int pause_count;
    unsigned int refcnt;

    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_VIRT_CPUS_PER_DOM];

    /* Memory. */
    spinlock_t page_lock;
    struct page_list page_list;
    unsigned long tot_pages, max_pages;
    /* Torn down with frames still referenced by others: a reference to
     * ourselves, dropped with the last such frame (free_domain_frame). */
    bool frames_ref;
    struct shared_info *shared_info;
    struct page_info *shared_info_page;  /* hypervisor heap page shared with the guest */
    unsigned long vm_assist;

    /* Event channels (common/event_channel.c, evtchn_fifo.c). */
    spinlock_t evtchn_lock;
    const struct evtchn_port_ops *evtchn_port_ops;  /* the ABI: 2-level or FIFO */
    struct evtchn **evtchn_group[EVTCHN_NR_GROUPS]; /* bucket pointers, allocated on use */
    unsigned int max_evtchn_port;       /* the highest port it may have */
    unsigned int valid_evtchns;         /* ports with a bucket */
    unsigned int evtchn_scan_from;      /* every port below is in use */
    struct evtchn_fifo_domain *evtchn_fifo;     /* FIFO event array, or NULL (2-level) */

    /* Grant table (grant/). */
    struct grant_table *grant_table;

    /* PV console ring backend (boot-time domUs). */
    unsigned long console_mfn;
    unsigned int console_port;

    struct domain *next_in_list;
    struct arch_domain arch;
};

extern struct domain *domain_list;
extern spinlock_t domlist_lock;
extern struct domain *hardware_domain;
extern struct domain *idle_domain;

struct domain *domain_create(domid_t id, const char *name, unsigned int max_vcpus,
                             unsigned long max_pages, bool privileged);
struct vcpu *vcpu_create(struct domain *d, unsigned int id);
/* Look a domain up by id, taking a reference (put_domain to drop). */
struct domain *get_domain_by_id(domid_t id);
struct domain *rcu_lock_domain_by_any_id(domid_t id);   /* DOMID_SELF aware */
/* Take another reference on a domain the caller already holds one on. */
void get_domain(struct domain *d);
void put_domain(struct domain *d);
void domain_shutdown(struct domain *d, unsigned int reason);
__noreturn void domain_crash_self(const char *why);
void domain_crash(struct domain *d, const char *why);
void domain_destroy(struct domain *d);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
void vcpu_pause(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/* Tell the world (dom0 poweroff ends the machine, others are reaped). */
void domain_shutdown_notify(struct domain *d);

static inline struct vcpu *current_vcpu(void) { return get_cpu_info()->curr_vcpu; }
#define current (current_vcpu())
static inline bool is_idle_vcpu(const struct vcpu *v) { return v->domain == idle_domain; }

struct boot_info;
unsigned int start_boot_domains(struct boot_info *bi);
void reap_domains(void);
bool reap_wanted(void);         /* a shut-down domain waits for CPU 0's reaper */
/* dom0's default size: free memory but a reserve for the hypervisor. */
unsigned long dom0_default_pages(void);
/* dom0's maximum reservation: dom0_mem=max:, else UINT_MAX (as Xen). */
unsigned long dom0_max_pages(void);
/* Debug: recount every page-table reference of every domain against the
 * frame table (all domains paused); prints and returns the violations. */
unsigned long audit_page_types(void);
void console_input_start(void);
/* The hypervisor console back end of a boot-time domain (console_ring.c). */
int console_ring_attach(struct domain *d, mfn_t ring_mfn);
void console_ring_detach(struct domain *d);

/* Guest-visible state updates. */
void update_vcpu_system_time(struct vcpu *v);
void update_runstate_area(struct vcpu *v);
void update_domain_wallclock_time(struct domain *d);

#endif
