/*
 * Xen 4.17 public ABI: vCPU operations.
 *
 * HYPERVISOR_vcpu_op(int cmd, unsigned int vcpuid, void *extra_arg)
 *   cmd  VCPUOP_*; vcpuid  a vCPU of the calling domain; extra_arg  as
 *   listed per command.
 *   Errors common to all: -ENOENT no such vCPU; -ENOSYS unknown cmd;
 *   -EFAULT extra_arg unreadable or unwritable.
 *
 * Pavise's own definitions; names and layout follow Xen's public/vcpu.h.
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_VCPU_H
#define PVABI_VCPU_H

#include "xen.h"

/*
 * VCPUOP_initialise (struct vcpu_guest_context for PV): give a vCPU that
 * has never run its initial state (registers, trap table, GDT frames,
 * callbacks, ctrlreg[3] = kernel L4). Out: 0.
 * Errors: -EEXIST already initialised; -EINVAL bad state (selectors, GDT,
 *         page tables); -ENOMEM.
 */
#define VCPUOP_initialise            0

/* VCPUOP_up (NULL): make an initialised vCPU runnable. Out: 0.
 * Errors: -EINVAL not initialised. */
#define VCPUOP_up                    1

/*
 * VCPUOP_down (NULL): stop a vCPU. Synchronous only when a vCPU downs
 * itself; another vCPU may still run briefly after the call returns.
 * A down vCPU keeps its references (page tables, GDT). Out: 0.
 */
#define VCPUOP_down                  2

/* VCPUOP_is_up (NULL). Out: 1 if the vCPU is up, 0 if it is down. */
#define VCPUOP_is_up                 3

/* VCPUOP_get_runstate_info (struct vcpu_runstate_info, out). Out: 0. */
#define VCPUOP_get_runstate_info     4

#ifndef __ASSEMBLER__
struct vcpu_runstate_info {
    int      state;                 /* RUNSTATE_*                         */
    uint64_t state_entry_time;      /* system time (ns) the state began   */
    /*
     * Set in state_entry_time while the hypervisor updates a guest-mapped
     * copy, if VMASST_TYPE_runstate_update_flag is on.
     */
#define XEN_RUNSTATE_UPDATE          (xen_mk_ullong(1) << 63)
    uint64_t time[4];               /* ns spent in each RUNSTATE_*        */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);
#endif

#define RUNSTATE_running  0     /* on a physical CPU                       */
#define RUNSTATE_runnable 1     /* runnable, waiting for a physical CPU    */
#define RUNSTATE_blocked  2     /* blocked (idle)                          */
#define RUNSTATE_offline  3     /* neither: down, paused, hotplugged ...   */

/*
 * VCPUOP_register_runstate_memory_area (struct
 * vcpu_register_runstate_memory_area): a guest virtual address the
 * hypervisor keeps a vcpu_runstate_info copy at, refreshed whenever the
 * vCPU is scheduled. One area per vCPU; a new call replaces it. Out: 0.
 */
#define VCPUOP_register_runstate_memory_area 5

#ifndef __ASSEMBLER__
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);
#endif

/*
 * VCPUOP_set_periodic_timer (struct vcpu_set_periodic_timer): raise
 * VIRQ_TIMER every period_ns. Errors: -EINVAL period below 1 ms or too
 * large.
 * VCPUOP_stop_periodic_timer (NULL): stop it. Out: 0.
 */
#define VCPUOP_set_periodic_timer    6
#define VCPUOP_stop_periodic_timer   7

#ifndef __ASSEMBLER__
struct vcpu_set_periodic_timer {
    uint64_t period_ns;
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);
#endif

/*
 * VCPUOP_set_singleshot_timer (struct vcpu_set_singleshot_timer): raise
 * VIRQ_TIMER once when system time reaches timeout_abs_ns (at once if it
 * already has).
 * VCPUOP_stop_singleshot_timer (NULL): cancel it.
 * Both act on the calling vCPU only. Out: 0.
 * Errors: -EINVAL vcpuid is not the caller.
 */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9

#ifndef __ASSEMBLER__
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;        /* absolute system time, ns */
    uint32_t flags;                 /* VCPU_SSHOTTMR_*          */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);
#endif

/* Asks for -ETIME rather than an immediate event if the deadline has
 * passed; hypervisors may ignore it, and Xen 4.17 does. */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

/*
 * VCPUOP_register_vcpu_info (struct vcpu_register_vcpu_info): move this
 * vCPU's vcpu_info out of shared_info to (mfn, offset), which must not
 * cross the page. Current contents are copied; all pending_sel bits and
 * upcall_pending are then set to force a rescan. Once per vCPU.
 * Errors: -ENXIO offset past the page or misaligned; -EINVAL bad frame,
 * or already registered.
 */
#define VCPUOP_register_vcpu_info   10

#ifndef __ASSEMBLER__
struct vcpu_register_vcpu_info {
    uint64_t mfn;                   /* frame to hold the vcpu_info */
    uint32_t offset;                /* offset within that frame    */
    uint32_t rsvd;                  /* unused                      */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);
#endif

/* VCPUOP_send_nmi (NULL): deliver an NMI (trap-table vector 2). Out: 0.
 * Errors: -EINVAL extra_arg is not NULL. */
#define VCPUOP_send_nmi             11

/*
 * VCPUOP_get_physid (struct vcpu_get_physid, out): on x86, bits 31:0 the
 * APIC id and 63:32 the ACPI id of the physical CPU a pinned vCPU of the
 * hardware domain runs on. Errors: -EINVAL otherwise.
 */
#define VCPUOP_get_physid           12

#ifndef __ASSEMBLER__
struct vcpu_get_physid {
    uint64_t phys_id;
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#endif
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/*
 * VCPUOP_register_vcpu_time_memory_area (struct
 * vcpu_register_time_memory_area): a guest virtual address where a second
 * copy of this vCPU's vcpu_time_info is kept (same version protocol), for
 * user-mode clocks. Out: 0.
 */
#define VCPUOP_register_vcpu_time_memory_area   13

#ifndef __ASSEMBLER__
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);
#endif

#endif /* PVABI_VCPU_H */
