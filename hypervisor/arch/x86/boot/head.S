/*
 * Multiboot entry: 32-bit protected mode -> 64-bit long mode on the
 * hypervisor's own boot page tables, then a jump to the high-linked image.
 *
 * The loader (QEMU -kernel, GRUB multiboot/multiboot2) enters at start_phys
 * with paging off, EAX = bootloader magic, EBX = physical address of the
 * boot information. Everything here runs at physical addresses until the
 * far jump to start64_high; sym_phys() gives a symbol's load address.
 */
#include <asm/config.h>

#define sym_phys(s)   ((s) - HV_VIRT_OFFSET)

#define MB1_MAGIC      0x1badb002
#define MB1_FLAGS      0x00010003       /* page-align modules, mem info, a.out kludge */
#define MB2_MAGIC      0xe85250d6

#define PTE_P    0x001
#define PTE_RW   0x002
#define PTE_PS   0x080

        .section .text.head, "ax"
        .code32

/* ---- Multiboot 1 header (QEMU -kernel needs the a.out kludge for ELF64) */
        .balign 4
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)
        .long sym_phys(mb1_header)      /* header_addr */
        .long sym_phys(__image_start)   /* load_addr */
        .long sym_phys(__load_end)      /* load_end_addr */
        .long sym_phys(__bss_end)       /* bss_end_addr */
        .long sym_phys(start_phys_sym)  /* entry_addr */

/* ---- Multiboot 2 header (GRUB) */
        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long 0                         /* i386 */
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
        .balign 8                       /* address tag */
        .short 2, 0
        .long 24
        .long sym_phys(mb2_header)
        .long sym_phys(__image_start)
        .long sym_phys(__load_end)
        .long sym_phys(__bss_end)
        .balign 8                       /* entry address tag */
        .short 3, 0
        .long 12
        .long sym_phys(start_phys_sym)
        .balign 8                       /* module alignment tag */
        .short 6, 0
        .long 8
        .balign 8                       /* end tag */
        .short 0, 0
        .long 8
mb2_header_end:

        .globl start_phys_sym
start_phys_sym:
        cli
        cld
        mov     %eax, %edi                      /* loader magic */
        mov     %ebx, %esi                      /* boot info */
        mov     $sym_phys(boot_stack_area + PAGE_SIZE), %esp

        /* Long mode is required: CPUID 0x80000001 EDX bit 29. */
        mov     $0x80000000, %eax
        cpuid
        cmp     $0x80000001, %eax
        jb      no_long_mode
        mov     $0x80000001, %eax
        cpuid
        bt      $29, %edx
        jnc     no_long_mode
        mov     %edx, %ebp                      /* keep: bit 20 = NX */

        /* CR4.PAE (+PGE), CR3 = boot L4 */
        mov     %cr4, %eax
        or      $0x000000a0, %eax
        mov     %eax, %cr4
        mov     $sym_phys(boot_l4), %eax
        mov     %eax, %cr3

        /* EFER.LME (+NXE if the CPU has NX, +SCE) */
        mov     $0xc0000080, %ecx
        rdmsr
        or      $0x00000101, %eax
        bt      $20, %ebp
        jnc     1f
        or      $0x00000800, %eax
1:      wrmsr

        /* CR0: PG | WP | NE | ET | MP | PE */
        mov     $0x80010033, %eax
        mov     %eax, %cr0

        lgdt    sym_phys(boot_gdtr)
        ljmp    $0x08, $sym_phys(start64_low)

no_long_mode:
        /* Say it on COM1 (already set up by firmware or not: best effort). */
        mov     $sym_phys(no_lm_msg), %esi
1:      lodsb
        test    %al, %al
        jz      2f
        mov     $0x3f8, %dx
        out     %al, %dx
        jmp     1b
2:      hlt
        jmp     2b

        .code64
start64_low:
        movabs  $start64_high, %rax
        jmp     *%rax

start64_high:
        /* Now running at the high virtual address. */
        xor     %eax, %eax
        mov     %eax, %ds
        mov     %eax, %es
        mov     %eax, %ss
        mov     %eax, %fs
        mov     %eax, %gs

        /* Clear BSS (it holds the boot stack: no stack use until done). */
        mov     %rdi, %r12
        mov     %rsi, %r13
        movabs  $__bss_start, %rdi
        movabs  $__bss_end, %rcx
        sub     %rdi, %rcx
        xor     %eax, %eax
        rep stosb
        mov     %r12, %rdi
        mov     %r13, %rsi

        /* The BSP's stack block must be STACK_SIZE-aligned (see percpu.h). */
        movabs  $boot_stack_area + 2 * STACK_SIZE, %rsp
        and     $~(STACK_SIZE - 1), %rsp
        sub     $CPU_INFO_SIZE, %rsp

        xor     %ebp, %ebp                      /* backtrace terminator */
        call    __start_pavise                  /* (magic, info_phys) */
        ud2

        .section .rodata, "a"
no_lm_msg:
        .asciz "Pavise: this CPU has no long mode; halting.\r\n"

/*
 * Boot page tables. L4[0] identity-maps the low 4 GiB (2 MiB pages) for the
 * switch; L4[262] maps the same 4 GiB at DIRECTMAP_VIRT_START; L4[261]
 * maps the first GiB at HV_IMAGE_VIRT_START. C code replaces all of this.
 */
        .section .data.page_aligned, "aw"
        .balign 4096
        .globl boot_l4
boot_l4:
        .quad sym_phys(boot_l3_ident) + (PTE_P | PTE_RW)
        .fill 260, 8, 0
        .quad sym_phys(boot_l3_image) + (PTE_P | PTE_RW)        /* 261 */
        .quad sym_phys(boot_l3_ident) + (PTE_P | PTE_RW)        /* 262 */
        .fill 249, 8, 0
boot_l3_ident:
        .quad sym_phys(boot_l2_ident) + 0x0000 + (PTE_P | PTE_RW)
        .quad sym_phys(boot_l2_ident) + 0x1000 + (PTE_P | PTE_RW)
        .quad sym_phys(boot_l2_ident) + 0x2000 + (PTE_P | PTE_RW)
        .quad sym_phys(boot_l2_ident) + 0x3000 + (PTE_P | PTE_RW)
        .fill 508, 8, 0
boot_l3_image:
        .fill 321, 8, 0
        .quad sym_phys(boot_l2_image) + (PTE_P | PTE_RW)        /* 321 */
        .fill 190, 8, 0
boot_l2_image:
        .set i, 0
        .rept 512
        .quad (i << 21) + (PTE_P | PTE_RW | PTE_PS)
        .set i, i + 1
        .endr
boot_l2_ident:
        .set i, 0
        .rept 2048
        .quad (i << 21) + (PTE_P | PTE_RW | PTE_PS)
        .set i, i + 1
        .endr

        .section .data, "aw"
        .balign 16
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff                /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff                /* 0x10: data */
boot_gdt_end:
        .balign 4
        .short 0
boot_gdtr:
        .short boot_gdt_end - boot_gdt - 1
        .long sym_phys(boot_gdt)

/* The BSP's stack block is carved STACK_SIZE-aligned out of this area. */
        .section .bss.page_aligned, "aw", @nobits
        .balign PAGE_SIZE
        .globl boot_stack_area
boot_stack_area:
        .skip 2 * STACK_SIZE
