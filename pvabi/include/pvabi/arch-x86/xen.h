/*
 * Xen 4.17 public ABI, x86 part: guest handles, frame numbers, trap table,
 * the vCPU context for VCPUOP_initialise, and arch_shared_info.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/arch-x86/xen.h. Checked against /usr/include/xen at build time.
 */
#include "../xen.h"

#ifndef PVABI_ARCH_X86_XEN_H
#define PVABI_ARCH_X86_XEN_H

/*
 * Guest handles: a guest virtual address wrapped in a one-member struct so
 * that handles of different types do not mix. XEN_GUEST_HANDLE(foo) names
 * the handle type for "foo *"; DEFINE_XEN_GUEST_HANDLE(foo) declares it and
 * its const variant.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name
#define __DEFINE_XEN_GUEST_HANDLE(name, type) \
    ___DEFINE_XEN_GUEST_HANDLE(name, type); \
    ___DEFINE_XEN_GUEST_HANDLE(const_ ## name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val)  do { (hnd).p = (val); } while (0)
#define set_xen_guest_handle(hnd, val)      set_xen_guest_handle_raw(hnd, val)

#include "xen-x86_64.h"

#ifndef __ASSEMBLER__
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"
#endif

/* This architecture has PV guests with a start_info and an upcall mask. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * HYPERVISOR_set_gdt(const xen_pfn_t frames[], unsigned int entries)
 *
 * In:  frames  up to 14 frame numbers of the new GDT (the last two of the
 *              16 pages are the hypervisor's, see below); entries  number
 *              of 8-byte descriptors, at most FIRST_RESERVED_GDT_ENTRY.
 * Out: 0. The frames become descriptor pages: they must not be mapped
 *      writable anywhere; every descriptor is checked (code/data DPL raised
 *      to 3, system descriptors other than call gates refused).
 * Errors: -EINVAL too many entries or a bad descriptor or frame;
 *         -EFAULT the frame list cannot be read.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/*
 * HYPERVISOR_update_descriptor(u64 ma, u64 desc)
 *
 * In:  ma    machine address of an 8-byte-aligned descriptor, in a
 *            descriptor page or a writable page of the caller;
 *      desc  the new descriptor, native format (checked as for set_gdt).
 * Out: 0.  Errors: -EINVAL misaligned, not owned, or a bad descriptor.
 */

/* Size of shared_info.vcpu_info[]: vCPUs beyond it need register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS 32

#ifndef __ASSEMBLER__

typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong "lx"

/*
 * HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
 *
 * In:  the kernel stack (selector, pointer) loaded on every switch from
 *      guest-user to guest-kernel mode. Out: 0.
 * Errors: -EPERM if @ss is not a usable ring-3 data selector.
 */

/*
 * HYPERVISOR_set_trap_table(const struct trap_info traps[])
 *
 * In:  traps  entries to install, ended by one with address == 0; NULL
 *             clears the whole table. Each entry replaces the handler for
 *             its vector.
 * Out: 0.  Errors: -EFAULT the array cannot be read.
 *
 * flags bits 1:0 are the DPL a software "int n" needs (3: guest user mode
 * may raise it, 1 or 2: guest kernel only, 0: nobody); bit 2 masks event
 * delivery (sets evtchn_upcall_mask) on entry, like an interrupt gate.
 * cs is ignored for 64-bit guests: handlers run on FLAT_KERNEL_CS.
 */
#define TI_GET_DPL(_ti)       ((_ti)->flags & 3)
#define TI_GET_IF(_ti)        ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((!!(_if)) << 2))
struct trap_info {
    uint8_t       vector;       /* exception vector                    */
    uint8_t       flags;        /* 1:0 DPL, 2: mask events on entry    */
    uint16_t      cs;           /* code selector (ignored on 64-bit)   */
    unsigned long address;      /* handler; 0 ends the list            */
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

typedef uint64_t tsc_timestamp_t;   /* an RDTSC value */

/*
 * A complete vCPU context, as given to VCPUOP_initialise (and the domctl
 * set/getvcpucontext). fpu_ctxt is an FXSAVE image, valid with
 * VGCF_i387_valid. On x86-64 ctrlreg[1] holds the user L4 (as a CR3
 * value) and ctrlreg[3] the kernel L4.
 */
struct vcpu_guest_context {
    /* First so that it can be 16-byte aligned for FXSAVE/FXRSTOR. */
    struct { char x[512]; } fpu_ctxt;
#define VGCF_I387_VALID                (1 << 0)
#define VGCF_IN_KERNEL                 (1 << 2)
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)
    unsigned long flags;                    /* VGCF_*                        */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];        /* the virtual IDT               */
    unsigned long ldt_base, ldt_ents;       /* LDT linear address, entries   */
    unsigned long gdt_frames[16], gdt_ents; /* GDT frames, entries          */
    unsigned long kernel_ss, kernel_sp;     /* as set by stack_switch        */
    unsigned long ctrlreg[8];               /* CR0-CR7                       */
    unsigned long debugreg[8];              /* DR0-DR7                       */
    unsigned long event_callback_eip;
    unsigned long failsafe_callback_eip;
    unsigned long syscall_callback_eip;
    unsigned long vm_assist;                /* bitmap of VMASST_TYPE_*       */
    uint64_t      fs_base;
    uint64_t      gs_base_kernel;
    uint64_t      gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

struct arch_shared_info {
    /* Number of valid entries in the p2m reachable from the fields below. */
    unsigned long max_pfn;
    /* Frame of the p2m frame-list-list: 0 = not set up, ~0 = use p2m_vaddr. */
    xen_pfn_t     pfn_to_mfn_frame_list_list;
    unsigned long nmi_reason;
    /*
     * The guest's linear p2m list, for tools: valid when p2m_cr3 != 0.
     * p2m_cr3 is the CR3 (xen_pfn_to_cr3 format) of the address space in
     * which p2m_vaddr maps it; p2m_generation is odd while the guest
     * changes those mappings.
     */
    unsigned long p2m_cr3;
    unsigned long p2m_vaddr;
    unsigned long p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;

/* One CPUID leaf of a CPU policy (domctl/sysctl cpu policy calls). */
typedef struct xen_cpuid_leaf {
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
    uint32_t leaf, subleaf;
    uint32_t a, b, c, d;
} xen_cpuid_leaf_t;
DEFINE_XEN_GUEST_HANDLE(xen_cpuid_leaf_t);

/* One MSR of a CPU policy. */
typedef struct xen_msr_entry {
    uint32_t idx;
    uint32_t flags;             /* reserved, must be zero */
    uint64_t val;
} xen_msr_entry_t;
DEFINE_XEN_GUEST_HANDLE(xen_msr_entry_t);

#endif /* !__ASSEMBLER__ */

/*
 * Forced emulation: a PV kernel runs CPUID through the hypervisor's policy
 * by prefixing it with "ud2; .ascii \"xen\"". The hypervisor recognises the
 * five-byte prefix on #UD and emulates the instruction after it.
 */
#ifdef __ASSEMBLER__
#define XEN_EMULATE_PREFIX .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

/* Debug console port for HVM guests (a byte written appears on the log). */
#define XEN_HVM_DEBUGCONS_IOPORT 0xe9

#endif /* PVABI_ARCH_X86_XEN_H */
