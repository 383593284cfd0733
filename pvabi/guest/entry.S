/*
 * Exception, event and failsafe entry; the iret paths; vCPU start;
 * hypercalls by number.
 *
 * Xen delivers an exception to a 64-bit PV kernel by building a "bounce
 * frame" on the guest stack and jumping to the trap-table handler. From
 * low to high addresses:  rcx, r11, [error code], rip, cs, rflags, rsp, ss
 * (cs carries the saved upcall mask in bits 39:32). rcx and r11 are the
 * interrupted values: Xen needs those registers itself. The failsafe
 * callback adds ds, es, fs, gs after r11. Return is the iret hypercall,
 * with  flags, rip, cs, rflags, rsp, ss  on the stack and rcx, r11, rax
 * pushed by the hypercall-page stub (or by us, for a direct SYSCALL).
 */
#include <pvabi/xen.h>
#include <pvguest/asm.h>

#define TRAP_EVENT_UPCALL  0x100
#define TRAP_FAILSAFE      0x101

    .text
    .code64

/*
 * One stub per vector. Only exceptions of vectors 8, 10-14, 17, 21, 29 and
 * 30 carry an error code; software "int n" never does, so vectors from 32
 * up never expect one. Keep in sync with exc_has_error_code().
 */
    .macro trap_stub vec
    .p2align 4
1:  pop     %rcx
    pop     %r11
    .if \vec == 8 || \vec == 10 || \vec == 11 || \vec == 12 || \vec == 13 || \vec == 14 || \vec == 17 || \vec == 21 || \vec == 29 || \vec == 30
    .else
    push    $0
    .endif
    push    $\vec
    jmp     trap_common
    .pushsection .rodata
    .quad   1b
    .popsection
    .endm

/* trap_stubs[v]: the entry point for vector v. */
    .pushsection .rodata
    .balign 8
GLOBAL_SYM(trap_stubs)
    .popsection
    .altmacro
    vec = 0
    .rept 256
    trap_stub %vec
    vec = vec + 1
    .endr
    .noaltmacro

ENTRY_SYM(event_callback_entry)
    pop     %rcx
    pop     %r11
    push    $0
    push    $TRAP_EVENT_UPCALL
    jmp     trap_common

ENTRY_SYM(failsafe_callback_entry)
    pop     %rcx
    pop     %r11
    add     $32, %rsp                   /* ds, es, fs, gs: we use null ones */
    push    $0
    push    $TRAP_FAILSAFE
    jmp     trap_common

/* Stack: vector, error code, rip, cs, rflags, rsp, ss (struct trap_frame). */
trap_common:
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    mov     %rsp, %rbp
    and     $-16, %rsp
    call    trap_dispatch
    mov     %rbp, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp                   /* vector, error code */
    push    $0                          /* iret flags: not VGCF_in_syscall */
    cmpb    $0, iret_via_syscall(%rip)
    jne     1f
    jmp     hypercall_page + __HYPERVISOR_iret * 32
1:  push    %rcx
    push    %r11
    push    %rax
    mov     $__HYPERVISOR_iret, %eax
    syscall
    ud2                                 /* iret does not return */

/* A secondary vCPU starts here with RSP at its stack top, RDI = cpu. */
ENTRY_SYM(ap_entry)
    call    ap_start
    ud2

/* long hypercall_page_call(nr, a1, a2, a3, a4, a5, a6): nr < 128. */
ENTRY_SYM(hypercall_page_call)
    cmp     $128, %rdi
    jae     1f
    mov     %rdi, %rax
    shl     $5, %rax
    lea     hypercall_page(%rip), %r11
    add     %rax, %r11
    mov     %rsi, %rdi
    mov     %rdx, %rsi
    mov     %rcx, %rdx
    mov     %r8, %r10
    mov     %r9, %r8
    mov     8(%rsp), %r9
    call    *%r11
    ret
1:  ud2                                 /* no such slot: a bug in the caller */

/* long hypercall_syscall(nr, a1, a2, a3, a4, a5, a6): SYSCALL directly. */
ENTRY_SYM(hypercall_syscall)
    mov     %rdi, %rax
    mov     %rsi, %rdi
    mov     %rdx, %rsi
    mov     %rcx, %rdx
    mov     %r8, %r10
    mov     %r9, %r8
    mov     8(%rsp), %r9
    syscall
    ret
