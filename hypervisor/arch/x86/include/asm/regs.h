/*
 * Register frame saved on hypervisor entry (exceptions, interrupts,
 * syscall). The layout of r15..ss matches the public cpu_user_regs of the
 * Xen x86-64 ABI, so guest state can be copied to and from
 * vcpu_guest_context with one memcpy.
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

#include <pavise/types.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    /* hardware frame */
    uint64_t rip;
    uint64_t cs;
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

#define REGS_OFF_R15          0
#define REGS_OFF_ERROR_CODE   120
#define REGS_OFF_ENTRY_VECTOR 124
#define REGS_OFF_RIP          128
#define REGS_OFF_CS           136
#define REGS_SIZE             168

static inline bool regs_from_guest(const struct cpu_regs *r) { return (r->cs & 3) != 0; }

void show_registers(const struct cpu_regs *regs);
void show_backtrace(unsigned long rbp, unsigned long rip);

#endif
