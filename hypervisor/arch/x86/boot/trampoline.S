/*
 * AP start-up trampoline. Copied by the BSP to a page below 1 MiB; an AP
 * starts here in real mode after INIT-SIPI-SIPI, goes through 32-bit
 * protected mode to long mode on the AP boot page tables, and jumps to
 * ap_start64 in the image. The tr_* fields are filled in by the BSP.
 */
#include <asm/config.h>

        .section .data, "aw"
        .code16
        .balign 16
        .globl trampoline_start, trampoline_end
        .globl tr_gdt, tr_gdtr, tr_jmp32, tr_jmp64, tr_cr3, tr_efer
trampoline_start:
        cli
        cld
        xorl    %ebx, %ebx
        movw    %cs, %bx
        shll    $4, %ebx                        /* linear base of this page */
        movw    %cs, %ax
        movw    %ax, %ds
        lgdtl   tr_gdtr - trampoline_start
        movl    %cr0, %eax
        orl     $1, %eax
        movl    %eax, %cr0
        ljmpl   *(tr_jmp32 - trampoline_start)

        .code32
        .globl tr_start32
tr_start32:
        movl    $0x10, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        movl    %cr4, %eax
        orl     $0xa0, %eax                     /* PAE | PGE */
        movl    %eax, %cr4
        movl    (tr_cr3 - trampoline_start)(%ebx), %eax
        movl    %eax, %cr3
        movl    $0xc0000080, %ecx
        rdmsr
        orl     (tr_efer - trampoline_start)(%ebx), %eax
        wrmsr
        movl    $0x80010033, %eax               /* PG WP NE ET MP PE */
        movl    %eax, %cr0
        ljmp    *(tr_jmp64 - trampoline_start)(%ebx)

        .code64
        .globl tr_start64
tr_start64:
        movabsq $ap_start64, %rax
        jmpq    *%rax

        .balign 8
tr_gdt:
        .quad 0
        .quad 0x00af9a000000ffff                /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff                /* 0x10: data */
        .quad 0x00cf9a000000ffff                /* 0x18: 32-bit code */
tr_gdt_end:
        .balign 4
tr_gdtr:
        .short  tr_gdt_end - tr_gdt - 1
        .long   0                               /* linear address of tr_gdt */
        .balign 4
tr_jmp32:
        .long   0                               /* linear address of tr_start32 */
        .short  0x18
        .balign 4
tr_jmp64:
        .long   0                               /* linear address of tr_start64 */
        .short  0x08
        .balign 4
tr_cr3:
        .long   0
tr_efer:
        .long   0
trampoline_end:

/* In the image: the AP continues at its high address on its own stack. */
        .section .text, "ax"
        .globl ap_start64
ap_start64:
        xorl    %eax, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        movabsq $ap_boot_rsp, %rax
        movq    (%rax), %rsp
        xorl    %ebp, %ebp
        call    start_secondary
        ud2
