/*
 * Xen 4.17 public ABI: guest callbacks (event upcall, failsafe, syscall).
 *
 * HYPERVISOR_callback_op(int cmd, const void *arg)
 *   cmd  CALLBACKOP_*; arg  struct callback_register / _unregister.
 *   Errors: -ENOSYS unknown cmd; -EFAULT unreadable arg; -EINVAL a type
 *   this kind of guest cannot use (or unregister).
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/callback.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_CALLBACK_H
#define PVABI_CALLBACK_H

#include "xen.h"

/* Where event-channel upcalls are delivered (bounce frame, events masked). */
#define CALLBACKTYPE_event                 0
/* Where the hypervisor goes when it cannot reload guest segment state. */
#define CALLBACKTYPE_failsafe              1
/* SYSCALL from 64-bit guest user mode. */
#define CALLBACKTYPE_syscall               2
/* 32-bit hypervisors only; not for new code. */
#define CALLBACKTYPE_sysenter_deprecated   3
/* NMI delivery (unused by 64-bit PV guests: NMIs use trap vector 2). */
#define CALLBACKTYPE_nmi                   4
/* SYSENTER from 32-bit guest user mode (Intel). */
#define CALLBACKTYPE_sysenter              5
/* SYSCALL from 32-bit guest user mode (AMD). */
#define CALLBACKTYPE_syscall32             7

/*
 * Mask events (set evtchn_upcall_mask) when entering the callback.
 * Ignored for event and NMI callbacks, which always mask.
 */
#define _CALLBACKF_mask_events             0
#define CALLBACKF_mask_events              (1U << _CALLBACKF_mask_events)

/*
 * CALLBACKOP_register
 * In:  type  CALLBACKTYPE_*; flags  CALLBACKF_*; address  the entry point
 *      (guest kernel code, canonical). Replaces any earlier registration,
 *      for the calling vCPU only. Out: 0.
 */
#define CALLBACKOP_register                0

#ifndef __ASSEMBLER__
struct callback_register {
    uint16_t type;
    uint16_t flags;
    xen_callback_t address;
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);
#endif

/*
 * CALLBACKOP_unregister
 * In:  type. Only some types can be unregistered (NMI); others give
 *      -EINVAL.
 */
#define CALLBACKOP_unregister              1

#ifndef __ASSEMBLER__
struct callback_unregister {
    uint16_t type;
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);
#endif

#endif /* PVABI_CALLBACK_H */
