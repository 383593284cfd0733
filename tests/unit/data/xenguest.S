/*
 * A minimal Xen PV guest image for test_elf, assembled and linked by the
 * build with the host toolchain (xenguest.lds): real linker output with
 * Xen notes in a PT_NOTE segment, as Linux's xen-head.S lays them out.
 */
#define NOTE(type, desc_start, desc_end) \
    .balign 4; .long 4; .long desc_end - desc_start; .long type; .asciz "Xen"; .balign 4

    .section .text, "ax"
    .globl _start
_start:
1:  hlt
    jmp 1b

    .balign 4096
hypercall_page:
    .fill 4096, 1, 0xcc

    .section .data, "aw"
    .quad 0x1122334455667788

    .section .bss, "aw", @nobits
    .fill 8192

    .section .note.Xen, "a", @note
    NOTE(6, 10f, 11f)
10: .asciz "Pavise-test"
11: NOTE(5, 10f, 11f)
10: .asciz "xen-3.0"
11: NOTE(8, 10f, 11f)
10: .asciz "generic"
11: NOTE(3, 10f, 11f)
10: .quad 0xffffffff80000000
11: NOTE(4, 10f, 11f)
10: .quad 0
11: NOTE(1, 10f, 11f)
10: .quad _start
11: NOTE(2, 10f, 11f)
10: .quad hypercall_page
11: NOTE(10, 10f, 11f)
10: .asciz "!writable_page_tables|pae_pgdir_above_4gb"
11: NOTE(17, 10f, 11f)
10: .long 0x800
11: .balign 4
