/*
 * Xen 4.17 public ABI, x86-64 PV specifics: flat selectors, the reserved
 * hypervisor hole, segment bases, the iret frame and the register file.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/arch-x86/xen-x86_64.h. Checked against /usr/include/xen at build
 * time (pvabi/abicheck).
 */
#include "xen.h"

#ifndef PVABI_ARCH_X86_XEN_X86_64_H
#define PVABI_ARCH_X86_XEN_X86_64_H

/*
 * Flat selectors living in the hypervisor-reserved top of every vCPU's GDT
 * (entries from FIRST_RESERVED_GDT_ENTRY up). A 64-bit PV kernel runs in
 * ring 3, so "kernel" and "user" selectors are the same ring-3 descriptors;
 * the hypervisor tracks guest-kernel versus guest-user mode itself.
 */
#define FLAT_RING3_CS32 0xe023  /* GDT entry 7172: 32-bit code, DPL 3 */
#define FLAT_RING3_CS64 0xe033  /* GDT entry 7174: 64-bit code, DPL 3 */
#define FLAT_RING3_DS32 0xe02b  /* GDT entry 7173: flat data, DPL 3   */
#define FLAT_RING3_DS64 0x0000  /* the null selector                  */
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b

#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/*
 * L4 slots 256-271 belong to the hypervisor. Their first 256 GiB hold the
 * machine-to-phys table, mapped read-only (and user-readable) for guests.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START xen_mk_ulong(__HYPERVISOR_VIRT_START)
#define HYPERVISOR_VIRT_END   xen_mk_ulong(__HYPERVISOR_VIRT_END)
#endif

#define MACH2PHYS_VIRT_START  xen_mk_ulong(__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END    xen_mk_ulong(__MACH2PHYS_VIRT_END)
#define MACH2PHYS_NR_ENTRIES  ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)
#ifndef machine_to_phys_mapping
#define machine_to_phys_mapping ((unsigned long *)HYPERVISOR_VIRT_START)
#endif

/*
 * HYPERVISOR_set_segment_base(unsigned int which, unsigned long base)
 *
 * In:  which  SEGBASE_*; base  the new base, or for SEGBASE_GS_USER_SEL the
 *      selector in bits 15:0 (loaded with RPL 3; an unusable selector loads
 *      as null rather than failing).
 * Out: 0.
 * Errors: -EINVAL for an unknown @which or a non-canonical base.
 */
#define SEGBASE_FS          0   /* FS base                                 */
#define SEGBASE_GS_USER     1   /* the inactive (user) GS base             */
#define SEGBASE_GS_KERNEL   2   /* the active (kernel) GS base             */
#define SEGBASE_GS_USER_SEL 3   /* load the user %gs selector (base 15:0)  */

/*
 * The iret hypercall (HYPERVISOR_iret, no arguments) pops this frame from
 * the guest stack: %rsp at the hypercall points at @rax. With
 * VGCF_in_syscall in @flags the hypervisor may return with SYSRET
 * semantics and need not restore @rcx/@r11.
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

#ifndef __ASSEMBLER__

struct iret_context {
    /* Lowest address first: %rsp at the hypercall points at rax. */
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * A vCPU's registers as the ABI exchanges them (VCPUOP_initialise,
 * getvcpucontext). Only the 64-bit names are provided: Xen's narrower
 * aliases (eax, ax, al ...) share the same storage.
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;        /* private to the hypervisor */
    uint32_t entry_vector;      /* private to the hypervisor */
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t  saved_upcall_mask;
    uint8_t  _pad1[3];
    uint64_t rflags;            /* rflags.IF == !saved_upcall_mask */
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

/* CR3 values name a frame in bits 63:12. */
#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

struct arch_vcpu_info {
    unsigned long cr2;          /* faulting address of the last #PF */
    unsigned long pad;          /* keeps sizeof(vcpu_info_t) == 64 */
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* A callback address: a plain 64-bit linear address. */
typedef unsigned long xen_callback_t;

#endif /* !__ASSEMBLER__ */

#endif /* PVABI_ARCH_X86_XEN_X86_64_H */
