/*
 * Hypercalls. Two ways in, both as Xen 4.17 defines them for 64-bit PV:
 *
 *  - through the hypercall page the domain builder fills in (the
 *    XEN_ELFNOTE_HYPERCALL_PAGE note points at hypercall_page): slot N is
 *    "push rcx; push r11; mov $N, %eax; syscall; pop r11; pop rcx; ret";
 *  - by executing SYSCALL directly in guest-kernel mode, as Linux 6.1 does.
 *
 * HYPERVISOR_* below use the page. hypercall_page_call() and
 * hypercall_syscall() take any number (tests use both); argument
 * registers are treated as clobbered, as Xen debug builds clobber them.
 */
#ifndef PVGUEST_HYPERCALL_H
#define PVGUEST_HYPERCALL_H

#include <pvguest/types.h>
#include <pvabi/xen.h>
#include <pvabi/sched.h>
#include <pvabi/vcpu.h>
#include <pvabi/version.h>
#include <pvabi/callback.h>
#include <pvabi/event_channel.h>
#include <pvabi/memory.h>
#include <pvabi/physdev.h>
#include <pvabi/grant_table.h>
#include <pvabi/errno.h>

extern uint8_t hypercall_page[PAGE_SIZE];

/* Any hypercall, through its hypercall-page slot (nr < 128). */
long hypercall_page_call(unsigned long nr, unsigned long a1, unsigned long a2,
                         unsigned long a3, unsigned long a4, unsigned long a5,
                         unsigned long a6);
/* Any hypercall, with a direct SYSCALL. */
long hypercall_syscall(unsigned long nr, unsigned long a1, unsigned long a2,
                       unsigned long a3, unsigned long a4, unsigned long a5,
                       unsigned long a6);
/* True once the builder has filled the page (slot 0 is no longer int3s). */
bool hypercall_page_filled(void);

#define _hypercall0(nr) ({                                                  \
    long res_;                                                              \
    __asm__ __volatile__("call hypercall_page + %c[n] * 32"                 \
        : "=a"(res_) : [n] "i"(nr)                                          \
        : "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory");                \
    res_; })

#define _hypercall1(nr, a1) ({                                              \
    long res_;                                                              \
    register unsigned long r_a1 __asm__("rdi") = (unsigned long)(a1);       \
    __asm__ __volatile__("call hypercall_page + %c[n] * 32"                 \
        : "=a"(res_), "+r"(r_a1) : [n] "i"(nr)                              \
        : "rsi", "rdx", "r10", "r8", "r9", "memory");                       \
    res_; })

#define _hypercall2(nr, a1, a2) ({                                          \
    long res_;                                                              \
    register unsigned long r_a1 __asm__("rdi") = (unsigned long)(a1);       \
    register unsigned long r_a2 __asm__("rsi") = (unsigned long)(a2);       \
    __asm__ __volatile__("call hypercall_page + %c[n] * 32"                 \
        : "=a"(res_), "+r"(r_a1), "+r"(r_a2) : [n] "i"(nr)                  \
        : "rdx", "r10", "r8", "r9", "memory");                              \
    res_; })

#define _hypercall3(nr, a1, a2, a3) ({                                      \
    long res_;                                                              \
    register unsigned long r_a1 __asm__("rdi") = (unsigned long)(a1);       \
    register unsigned long r_a2 __asm__("rsi") = (unsigned long)(a2);       \
    register unsigned long r_a3 __asm__("rdx") = (unsigned long)(a3);       \
    __asm__ __volatile__("call hypercall_page + %c[n] * 32"                 \
        : "=a"(res_), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3) : [n] "i"(nr)      \
        : "r10", "r8", "r9", "memory");                                     \
    res_; })

#define _hypercall4(nr, a1, a2, a3, a4) ({                                  \
    long res_;                                                              \
    register unsigned long r_a1 __asm__("rdi") = (unsigned long)(a1);       \
    register unsigned long r_a2 __asm__("rsi") = (unsigned long)(a2);       \
    register unsigned long r_a3 __asm__("rdx") = (unsigned long)(a3);       \
    register unsigned long r_a4 __asm__("r10") = (unsigned long)(a4);       \
    __asm__ __volatile__("call hypercall_page + %c[n] * 32"                 \
        : "=a"(res_), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4)        \
        : [n] "i"(nr)                                                       \
        : "r8", "r9", "memory");                                            \
    res_; })

#define _hypercall5(nr, a1, a2, a3, a4, a5) ({                              \
    long res_;                                                              \
    register unsigned long r_a1 __asm__("rdi") = (unsigned long)(a1);       \
    register unsigned long r_a2 __asm__("rsi") = (unsigned long)(a2);       \
    register unsigned long r_a3 __asm__("rdx") = (unsigned long)(a3);       \
    register unsigned long r_a4 __asm__("r10") = (unsigned long)(a4);       \
    register unsigned long r_a5 __asm__("r8") = (unsigned long)(a5);        \
    __asm__ __volatile__("call hypercall_page + %c[n] * 32"                 \
        : "=a"(res_), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4),       \
          "+r"(r_a5)                                                        \
        : [n] "i"(nr)                                                       \
        : "r9", "memory");                                                  \
    res_; })

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{ return _hypercall1(__HYPERVISOR_set_trap_table, t); }
static inline long HYPERVISOR_mmu_update(const struct mmu_update *req, unsigned int count,
                                         unsigned int *done, domid_t dom)
{ return _hypercall4(__HYPERVISOR_mmu_update, req, count, done, dom); }
static inline long HYPERVISOR_mmuext_op(struct mmuext_op *op, unsigned int count,
                                        unsigned int *done, domid_t dom)
{ return _hypercall4(__HYPERVISOR_mmuext_op, op, count, done, dom); }
static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{ return _hypercall2(__HYPERVISOR_stack_switch, ss, sp); }
static inline long HYPERVISOR_fpu_taskswitch(int set)
{ return _hypercall1(__HYPERVISOR_fpu_taskswitch, set); }
static inline long HYPERVISOR_set_debugreg(int reg, unsigned long value)
{ return _hypercall2(__HYPERVISOR_set_debugreg, reg, value); }
static inline long HYPERVISOR_get_debugreg(int reg)
{ return _hypercall1(__HYPERVISOR_get_debugreg, reg); }
static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{ return _hypercall2(__HYPERVISOR_memory_op, cmd, arg); }
static inline long HYPERVISOR_multicall(struct multicall_entry *calls, unsigned int nr)
{ return _hypercall2(__HYPERVISOR_multicall, calls, nr); }
static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte,
                                                unsigned long flags)
{ return _hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags); }
static inline long HYPERVISOR_set_timer_op(uint64_t deadline)
{ return _hypercall1(__HYPERVISOR_set_timer_op, deadline); }
static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return _hypercall2(__HYPERVISOR_xen_version, cmd, arg); }
static inline long HYPERVISOR_console_io(int cmd, unsigned int count, const char *buf)
{ return _hypercall3(__HYPERVISOR_console_io, cmd, count, buf); }
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{ return _hypercall3(__HYPERVISOR_grant_table_op, cmd, uop, count); }
static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{ return _hypercall2(__HYPERVISOR_vm_assist, cmd, type); }
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{ return _hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg); }
static inline long HYPERVISOR_set_segment_base(unsigned int which, unsigned long base)
{ return _hypercall2(__HYPERVISOR_set_segment_base, which, base); }
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return _hypercall2(__HYPERVISOR_sched_op, cmd, arg); }
static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{ return _hypercall2(__HYPERVISOR_callback_op, cmd, arg); }
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return _hypercall2(__HYPERVISOR_event_channel_op, cmd, arg); }
static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{ return _hypercall2(__HYPERVISOR_physdev_op, cmd, arg); }

#endif
