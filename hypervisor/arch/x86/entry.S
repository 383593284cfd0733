/*
 * Exception and interrupt entry. Every IDT vector has a stub that makes the
 * frame uniform (a zero error code where the CPU pushes none, the vector in
 * entry_vector), then common code saves the GPRs as struct cpu_regs and
 * calls do_trap(regs).
 */
#include <asm/config.h>

/* The general registers as struct cpu_regs lays them out (r15 lowest). */
.macro SAVE_ALL
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
.endm

.macro RESTORE_ALL
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
.endm

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
        SAVE_ALL
        mov     %rsp, %rdi
        xor     %ebp, %ebp
        testb   $3, 136(%rsp)           /* CS of the interrupted context */
        jnz     from_guest
        /* A frame-pointer link to the interrupted code keeps backtraces going. */
        mov     0x20(%rsp), %rbp        /* interrupted rbp */
        call    do_trap
        .globl restore_all
restore_all:
        RESTORE_ALL
        add     $8, %rsp                /* error_code + entry_vector */
        iretq

/*
 * From a guest: the frame is cpu_info->guest_regs (TSS.rsp0 points just
 * above it). Handle, then leave through the common guest exit.
 */
from_guest:
        call    do_trap
        jmp     exit_to_guest

/*
 * SYSCALL from a guest. LSTAR points at a per-CPU stub (pv/syscall.c)
 * that saves %rax, switches to this CPU's stack with the frame layout of
 * an exception (ss, rsp, rflags, cs, rip), restores %rax and jumps here.
 */
        .globl syscall_common
syscall_common:
        pushq   $0                      /* error_code 0, entry_vector 0x100: syscall */
        movl    $0x100, 4(%rsp)
        cld
        SAVE_ALL
        mov     %rsp, %rdi
        xor     %ebp, %ebp
        sti
        call    pv_syscall
        jmp     exit_to_guest

/*
 * Leave to the guest from cpu_info->guest_regs: %rdi = that frame. Called
 * with interrupts disabled by exit_to_guest() after softirqs and event
 * upcalls are dealt with.
 */
        .globl restore_guest
restore_guest:
        mov     %rdi, %rsp
        RESTORE_ALL
        /*
         * A frame that came in by SYSCALL, or was turned into a bounce to
         * the guest (whose frame on the guest stack keeps rcx and r11),
         * leaves by SYSRETQ when it returns to 64-bit ring-3 code, as Xen's
         * does: rcx = rip, r11 = rflags. Never with a non-canonical rip
         * (SYSRET would fault in ring 0 on Intel with the guest's rsp).
         * Stack here: error/vector, rip, cs, rflags, rsp, ss.
         */
        testl   $0x100, 4(%rsp)                 /* TRAP_syscall */
        jz      1f
        cmpw    $FLAT_RING3_CS64, 16(%rsp)
        jne     1f
        cmpw    $FLAT_RING3_DS32, 40(%rsp)
        jne     1f
        movq    8(%rsp), %rcx
        movq    %rcx, %r11
        sarq    $47, %r11
        incq    %r11
        cmpq    $1, %r11
        ja      1f                              /* not canonical: iret */
        movq    24(%rsp), %r11
        movq    32(%rsp), %rsp
        sysretq
1:      add     $8, %rsp
        .globl restore_guest_iret
restore_guest_iret:
        iretq

        /* The guest's frame would not load (bad selector): see pv_iret_fault. */
        .pushsection .text.fixup, "ax"
iret_fixup:
        lea     pv_iret_fault(%rip), %rdi
        jmp     reset_stack_and_jump
        .popsection
        .pushsection .ex_table, "a"
        .balign 4
        .long   restore_guest_iret - .
        .long   iret_fixup - .
        .popsection

/* reset_stack_and_jump(fn): run fn on a fresh stack (cpu_info just above). */
        .globl reset_stack_and_jump
reset_stack_and_jump:
        mov     %rsp, %rax
        or      $(STACK_SIZE - 1), %rax
        sub     $(CPU_INFO_SIZE - 1), %rax      /* = cpu_info */
        mov     %rax, %rsp
        xor     %ebp, %ebp
        jmp     *%rdi

/* Per-CPU SYSCALL stubs (pv/syscall.c writes them). */
        .section .text, "ax"
        .balign 4096
        .globl syscall_stubs
syscall_stubs:
        .fill 4096, 1, 0xcc
