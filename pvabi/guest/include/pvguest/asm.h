/* Helpers shared by the guest library's assembly files. */
#ifndef PVGUEST_ASM_H
#define PVGUEST_ASM_H

/* Where the guest is linked: pseudo-physical 0 (XEN_ELFNOTE_VIRT_BASE). */
#define GUEST_VIRT_BASE 0xffffffff80000000
/* Per-vCPU stack; a power of two (struct percpu sits at its base). */
#define STACK_SIZE      (16 * 1024)

#define GLOBAL_SYM(name) .globl name; name:
#define ENTRY_SYM(name)  .globl name; .type name, @function; .p2align 4; name:

#endif
