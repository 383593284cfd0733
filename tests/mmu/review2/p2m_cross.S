/*
 * A hostile kernel image for the domain builder (tests/mmu/review2-builder.test):
 * its INIT_P2M list starts in the same 512 GiB slot as VIRT_BASE but runs
 * into the next one, so the p2m needs a page-table frame (a new L3) that
 * the builder's count left out. Linked at 0x40100000 with p_paddr = vaddr
 * (VIRT_BASE = PADDR_OFFSET = 1 GiB): pseudo-physical frame n is at
 * 1 GiB + n * 4096. If built, it powers itself off at once.
 *
 * Built a second time with HUGE_BSS (mmu-review2-bss.elf): no INIT_P2M,
 * but a bss of 2^60 bytes, which the ELF rules allow (p_memsz only must
 * not wrap). The builder sized its page tables for that before checking
 * the 1 GiB limit: about 2^39 rounds of its layout loop, a hang at boot.
 */
#include <pvabi/elfnote.h>

#define ELFNOTE(type, desc)                     \
    .pushsection .note.Xen, "a", @note;         \
    .balign 4;                                  \
    .long 2f - 1f;                              \
    .long 4f - 3f;                              \
    .long type;                                 \
1:  .asciz "Xen";                               \
2:  .balign 4;                                  \
3:  desc;                                       \
4:  .balign 4;                                  \
    .popsection

#ifdef HUGE_BSS
ELFNOTE(XEN_ELFNOTE_GUEST_OS,       .asciz "huge-bss")
#else
ELFNOTE(XEN_ELFNOTE_GUEST_OS,       .asciz "p2m-cross")
#endif
ELFNOTE(XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER,         .asciz "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE,      .quad 0x40000000)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET,   .quad 0x40000000)
ELFNOTE(XEN_ELFNOTE_ENTRY,          .quad _start)
#ifndef HUGE_BSS
/* 16 KiB below the 512 GiB line: a 16 MiB domain's 32 KiB list crosses it. */
ELFNOTE(XEN_ELFNOTE_INIT_P2M,       .quad 0x8000000000 - 0x4000)
#endif
ELFNOTE(XEN_ELFNOTE_PAE_MODE,       .asciz "yes")

    .text
    .globl _start
_start:
    mov     $29, %eax                   /* __HYPERVISOR_sched_op */
    mov     $2, %edi                    /* SCHEDOP_shutdown */
    lea     reason(%rip), %rsi
    syscall
1:  jmp     1b

    .balign 8
reason:
    .long   0                           /* SHUTDOWN_poweroff */

#ifdef HUGE_BSS
    .bss
    .skip   1 << 60
#endif
