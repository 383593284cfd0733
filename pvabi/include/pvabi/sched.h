/*
 * Xen 4.17 public ABI: scheduler operations.
 *
 * HYPERVISOR_sched_op(int cmd, void *arg)
 *   cmd  SCHEDOP_*; arg  as listed per command.
 *   Errors common to all: -ENOSYS unknown cmd; -EFAULT arg unreadable.
 * HYPERVISOR_sched_op_compat(int cmd, unsigned long arg): the pre-3.0.2
 *   form (yield, block, shutdown with the reason as arg).
 *
 * Pavise's own definitions; names and layout follow Xen's public/sched.h.
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_SCHED_H
#define PVABI_SCHED_H

#include "event_channel.h"

/* SCHEDOP_yield (arg NULL): give up the pCPU for now. Out: 0. */
#define SCHEDOP_yield       0

/*
 * SCHEDOP_block (arg NULL): clear evtchn_upcall_mask, then sleep until an
 * event is pending for this vCPU (at once if one already is). The mask is
 * cleared atomically with the check, so a wakeup cannot be missed.
 * Out: 0 (the upcall is delivered on return).
 */
#define SCHEDOP_block       1

/*
 * SCHEDOP_shutdown (struct sched_shutdown): stop all vCPUs of the domain
 * and report @reason to the controller. For SHUTDOWN_suspend the third
 * argument (RDX) holds the start_info MFN and the call returns 1 when the
 * suspend was cancelled, 0 when resuming in a new domain. Otherwise it
 * does not return (for the hardware domain the whole machine halts or
 * reboots). Errors: -EFAULT unreadable argument.
 */
#define SCHEDOP_shutdown    2

/*
 * SCHEDOP_poll (struct sched_poll): sleep until one of @ports is pending
 * (masked or not; pending bits are not cleared) or until the absolute
 * system time @timeout (0: no timeout) passes. Out: 0.
 * Errors: -EINVAL more than 128 ports, or a port beyond the domain's
 *         limit; -EFAULT unreadable ports array.
 */
#define SCHEDOP_poll        3

/*
 * SCHEDOP_remote_shutdown (struct sched_remote_shutdown): shut another
 * domain down (privileged; for device models).
 * Errors: -ESRCH unknown domain; -EPERM not allowed.
 */
#define SCHEDOP_remote_shutdown        4

/*
 * SCHEDOP_shutdown_code (struct sched_shutdown): remember @reason as the
 * code to report when the domain later shuts down. Out: 0.
 */
#define SCHEDOP_shutdown_code 5

/*
 * SCHEDOP_watchdog (struct sched_watchdog): id 0 creates a watchdog that
 * shuts the domain down after @timeout seconds and returns its id; a
 * non-zero id with timeout 0 destroys it, with a timeout re-arms it.
 * Errors: -ENOSPC no free watchdog; -EINVAL unknown id.
 */
#define SCHEDOP_watchdog    6

/*
 * SCHEDOP_pin_override (struct sched_pin_override; hardware domain only):
 * pin the calling vCPU to physical CPU @pcpu, or undo with a negative pcpu.
 * Errors: -EPERM not the hardware domain; -EINVAL bad pcpu; -EBUSY.
 */
#define SCHEDOP_pin_override 7

#ifndef __ASSEMBLER__

struct sched_shutdown {
    unsigned int reason;            /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;
    unsigned int nr_ports;
    uint64_t timeout;               /* absolute system time in ns; 0: none */
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;
    unsigned int reason;            /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;               /* seconds */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

#endif /* !__ASSEMBLER__ */

/* Shutdown reasons, for the controller (the hypervisor mostly ignores them). */
#define SHUTDOWN_poweroff   0   /* exited normally: clean up              */
#define SHUTDOWN_reboot     1   /* clean up and restart                   */
#define SHUTDOWN_suspend    2   /* save state for a later resume          */
#define SHUTDOWN_crash      3   /* the domain crashed                     */
#define SHUTDOWN_watchdog   4   /* a watchdog expired                     */
/* Reset hypervisor-side state but keep memory and vCPU contexts. */
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX        5

#endif /* PVABI_SCHED_H */
