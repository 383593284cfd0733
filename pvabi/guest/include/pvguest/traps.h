/*
 * Exceptions. Every vector has an entry stub that turns Xen's bounce frame
 * (rcx, r11 below a hardware-like [error,] rip, cs, rflags, rsp, ss frame)
 * into a struct trap_frame, calls the C dispatcher and returns with the
 * iret hypercall. A fault is handled, in order, by a handler a test
 * registered, by an exception-table fixup (the fault is recorded and
 * execution resumes at the fixup), or is fatal (RESULT: ERROR).
 */
#ifndef PVGUEST_TRAPS_H
#define PVGUEST_TRAPS_H

#include <pvguest/types.h>

#define X86_EXC_DE   0
#define X86_EXC_DB   1
#define X86_EXC_NMI  2
#define X86_EXC_BP   3
#define X86_EXC_OF   4
#define X86_EXC_BR   5
#define X86_EXC_UD   6
#define X86_EXC_NM   7
#define X86_EXC_DF   8
#define X86_EXC_TS  10
#define X86_EXC_NP  11
#define X86_EXC_SS  12
#define X86_EXC_GP  13
#define X86_EXC_PF  14
#define X86_EXC_MF  16
#define X86_EXC_AC  17
#define X86_EXC_MC  18
#define X86_EXC_XM  19

/* Pseudo vector numbers the entry code uses for callbacks. */
#define TRAP_EVENT_UPCALL  0x100
#define TRAP_FAILSAFE      0x101

#define X86_EFLAGS_IF   0x200
#define X86_EFLAGS_IOPL 0x3000

/* Saved state at an exception; rcx/r11 are the interrupted values. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;        /* 0 for vectors without one */
    uint64_t rip;
    uint64_t cs;                /* bits 39:32: the saved upcall mask */
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
};

/* Vectors whose hardware frame carries an error code. */
bool exc_has_error_code(unsigned int vector);

/* A handler returns true if it dealt with the exception (it may change
 * the frame, e.g. rip); false passes it on to fixups / fatal. */
typedef bool (*trap_handler_t)(struct trap_frame *f);
void trap_set_handler(unsigned int vector, trap_handler_t fn);

/*
 * Install the trap table for the calling vCPU. dpl[v] (0-3) is the
 * privilege "int $v" needs; the library uses 3 for #BP/#OF and 0 for the
 * rest unless a test changes it with trap_set_dpl() and re-installs.
 */
long traps_install(void);
void trap_set_dpl(unsigned int vector, unsigned int dpl);
/* Fill a vcpu_guest_context's trap_ctxt[] the same way. */
struct trap_info;
void traps_fill_ctxt(struct trap_info ctxt[256]);

/* The last fault caught by an exception-table fixup. */
struct fault_record {
    bool     hit;
    uint8_t  vector;
    uint64_t error_code;
    uint64_t rip;
    uint64_t cs;                /* raw frame slot, with the upcall mask */
    uint64_t rflags;
    uint64_t rsp;
    uint64_t ss;
    uint64_t cr2;               /* vcpu_info.arch.cr2 when vector is #PF */
    uint64_t rcx, r11;          /* registers the bounce frame restored */
};
extern struct fault_record last_fault;
void fault_reset(void);

/*
 * Exception-table entry: a fault at `from` resumes at `to`.
 * Use:  asm volatile("1: ud2\n2:\n" _ASM_EXTABLE(1b, 2b));
 */
#define _ASM_EXTABLE(from, to)                          \
    ".pushsection .ex_table, \"a\"\n"                   \
    ".balign 8\n"                                       \
    ".quad " #from ", " #to "\n"                        \
    ".popsection\n"

/* Use the iret hypercall through the hypercall page (default) or with a
 * direct SYSCALL when returning from exceptions and upcalls. */
extern bool iret_via_syscall;

/* Fatal: print the frame and end the test with RESULT: ERROR. */
__noreturn void trap_fatal(const struct trap_frame *f, const char *why);

#endif
