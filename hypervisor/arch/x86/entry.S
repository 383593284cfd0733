/*
 * Exception and interrupt entry. Every IDT vector has a stub that makes the
 * frame uniform (a zero error code where the CPU pushes none, the vector in
 * entry_vector), then common code saves the GPRs as struct cpu_regs and
 * calls do_trap(regs).
 */
#include <asm/config.h>

        .section .text.entry, "ax"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

        .balign 16
        .globl idt_stubs
idt_stubs:
        .set vec, 0
        .rept 256
        .balign 16
        .if HAS_ERR(vec)
        .else
        pushq   $0
        .endif
        movl    $vec, 4(%rsp)
        jmp     common_entry
        .set vec, vec + 1
        .endr

        .globl common_entry
common_entry:
        cld
        push    %rdi
        push    %rsi
        push    %rdx
        push    %rcx
        push    %rax
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, %rdi
        /* A frame-pointer link to the interrupted code keeps backtraces going. */
        xor     %ebp, %ebp
        testb   $3, 136(%rsp)           /* CS of the interrupted context */
        jnz     1f
        mov     0x20(%rsp), %rbp        /* interrupted rbp */
1:      call    do_trap
        .globl restore_all
restore_all:
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rax
        pop     %rcx
        pop     %rdx
        pop     %rsi
        pop     %rdi
        add     $8, %rsp                /* error_code + entry_vector */
        iretq
