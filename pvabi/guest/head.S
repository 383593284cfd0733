/*
 * Start of day for a PV test guest: the Xen ELF notes the domain builder
 * reads, the hypercall page it fills, and the entry point.
 *
 * At entry (Xen's dom0/domU builder): 64-bit ring 3 in guest-kernel mode,
 * CS = FLAT_KERNEL_CS, RSI = start_info, RSP = a bootstrap stack, events
 * masked. We clear BSS, move to our own stack and enter C.
 */
#include <pvabi/elfnote.h>
#include <pvabi/features.h>
#include <pvguest/asm.h>

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

ELFNOTE(XEN_ELFNOTE_GUEST_OS,       .asciz "pvguest")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION,  .asciz "0.1")
ELFNOTE(XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER,         .asciz "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE,      .quad GUEST_VIRT_BASE)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET,   .quad 0)
ELFNOTE(XEN_ELFNOTE_ENTRY,          .quad _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
ELFNOTE(XEN_ELFNOTE_FEATURES,       .asciz "!writable_page_tables|pae_pgdir_above_4gb")
/* Xen refuses to build a dom0 from a kernel without the dom0 bit. */
ELFNOTE(XEN_ELFNOTE_SUPPORTED_FEATURES,
        .long (1 << XENFEAT_writable_page_tables) | (1 << XENFEAT_dom0))
ELFNOTE(XEN_ELFNOTE_PAE_MODE,       .asciz "yes")

    .section .text.head, "ax"
    .code64
ENTRY_SYM(_start)
    cld
    mov     %rsi, %r12                  /* start_info, kept across the clear */
    lea     __bss_start(%rip), %rdi
    lea     __bss_end(%rip), %rcx
    sub     %rdi, %rcx
    shr     $3, %rcx
    xor     %eax, %eax
    rep stosq
    lea     cpu_stacks + STACK_SIZE(%rip), %rsp
    mov     %r12, %rdi
    call    pvguest_start
    ud2

/* Filled by the domain builder: 128 stubs of 32 bytes. Until then, int3. */
    .section .text.hypercall_page, "ax"
    .balign 4096
GLOBAL_SYM(hypercall_page)
    .fill   4096, 1, 0xcc
