/*
 * Xen 4.17 public ABI: hypercall numbers, domain ids, the MMU interface,
 * multicalls, the shared-info page, vCPU info and time, and start_info.
 *
 * Pavise's own definitions of the interface that Xen's public/xen.h
 * describes, with Xen's identifiers so that code reads like Xen code.
 * Only the 64-bit x86 PV ABI at interface version 0x00040e00 is described.
 * pvabi/abicheck compares every size, offset and constant here with
 * Debian's /usr/include/xen at build time.
 *
 * Conventions for the operation comments in these headers: "In" are the
 * arguments, "Out" what the hypervisor writes back and returns, "Errors"
 * the negative XEN_E* values (pvabi/errno.h) returned on failure.
 */
#ifndef PVABI_XEN_H
#define PVABI_XEN_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* The interface version these headers describe (Xen 4.17). */
#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

#include "arch-x86/xen.h"

#ifndef __ASSEMBLER__

/* Guest handles for primitive C types. */
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* Flexible array members are spelled "type name[XEN_FLEX_ARRAY_DIM]". */
#define XEN_FLEX_ARRAY_DIM

#define __xen_mk_uint(x)  x ## U
#define __xen_mk_ulong(x) x ## UL
#ifndef __xen_mk_ullong
#define __xen_mk_ullong(x) x ## ULL
#endif
#define xen_mk_uint(x)    __xen_mk_uint(x)
#define xen_mk_ulong(x)   __xen_mk_ulong(x)
#define xen_mk_ullong(x)  __xen_mk_ullong(x)

#else /* __ASSEMBLER__: no C suffixes */

#define xen_mk_uint(x)   x
#define xen_mk_ulong(x)  x
#define xen_mk_ullong(x) x

#endif

/*
 * Hypercall numbers. A 64-bit PV guest in kernel mode issues hypercall N
 * with SYSCALL, RAX = N, arguments in RDI, RSI, RDX, R10, R8 (R9 sixth);
 * the result comes back in RAX. The hypercall page, when the kernel asks
 * for one, holds a 32-byte stub per number doing exactly that.
 */
#define __HYPERVISOR_set_trap_table        0
#define __HYPERVISOR_mmu_update            1
#define __HYPERVISOR_set_gdt               2
#define __HYPERVISOR_stack_switch          3
#define __HYPERVISOR_set_callbacks         4
#define __HYPERVISOR_fpu_taskswitch        5
#define __HYPERVISOR_sched_op_compat       6    /* superseded by sched_op    */
#define __HYPERVISOR_platform_op           7
#define __HYPERVISOR_set_debugreg          8
#define __HYPERVISOR_get_debugreg          9
#define __HYPERVISOR_update_descriptor    10
/* 11 is unassigned. */
#define __HYPERVISOR_memory_op            12
#define __HYPERVISOR_multicall            13
#define __HYPERVISOR_update_va_mapping    14
#define __HYPERVISOR_set_timer_op         15
#define __HYPERVISOR_event_channel_op_compat 16 /* superseded                */
#define __HYPERVISOR_xen_version          17
#define __HYPERVISOR_console_io           18
#define __HYPERVISOR_physdev_op_compat    19    /* superseded                */
#define __HYPERVISOR_grant_table_op       20
#define __HYPERVISOR_vm_assist            21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                 23    /* x86 only                  */
#define __HYPERVISOR_vcpu_op              24
#define __HYPERVISOR_set_segment_base     25    /* x86-64 only               */
#define __HYPERVISOR_mmuext_op            26
#define __HYPERVISOR_xsm_op               27
#define __HYPERVISOR_nmi_op               28
#define __HYPERVISOR_sched_op             29
#define __HYPERVISOR_callback_op          30
#define __HYPERVISOR_xenoprof_op          31
#define __HYPERVISOR_event_channel_op     32
#define __HYPERVISOR_physdev_op           33
#define __HYPERVISOR_hvm_op               34
#define __HYPERVISOR_sysctl               35
#define __HYPERVISOR_domctl               36
#define __HYPERVISOR_kexec_op             37
#define __HYPERVISOR_tmem_op              38
#define __HYPERVISOR_argo_op              39
#define __HYPERVISOR_xenpmu_op            40
#define __HYPERVISOR_dm_op                41
#define __HYPERVISOR_hypfs_op             42

/* Architecture-specific hypercalls (x86: arch_0 = mca, arch_1 = paging). */
#define __HYPERVISOR_arch_0               48
#define __HYPERVISOR_arch_1               49
#define __HYPERVISOR_arch_2               50
#define __HYPERVISOR_arch_3               51
#define __HYPERVISOR_arch_4               52
#define __HYPERVISOR_arch_5               53
#define __HYPERVISOR_arch_6               54
#define __HYPERVISOR_arch_7               55

/*
 * Virtual interrupts, bound to event channels with EVTCHNOP_bind_virq.
 * "per-vCPU" ones are bound once per vCPU; "global" ones once per domain
 * (on any one vCPU), mostly for the control domain.
 */
#define VIRQ_TIMER      0   /* per-vCPU: the vCPU's timer fired             */
#define VIRQ_DEBUG      1   /* per-vCPU: dump debug state ('q' key)         */
#define VIRQ_CONSOLE    2   /* global (dom0): console input arrived         */
#define VIRQ_DOM_EXC    3   /* global (dom0): a domain shut down or died    */
#define VIRQ_TBUF       4   /* global (dom0): trace records available       */
#define VIRQ_DEBUGGER   6   /* global (dom0): a domain paused for debugging */
#define VIRQ_XENOPROF   7   /* per-vCPU: profiling sample available         */
#define VIRQ_CON_RING   8   /* global (dom0): console ring has bytes        */
#define VIRQ_PCPU_STATE 9   /* global (dom0): a physical CPU changed state  */
#define VIRQ_MEM_EVENT  10  /* global (dom0): a memory event occurred       */
#define VIRQ_ARGO       11  /* global: Argo message notification            */
#define VIRQ_ENOMEM     12  /* global (dom0): hypervisor heap low           */
#define VIRQ_XENPMU     13  /* per-vCPU: PMU interrupt                      */

/* Architecture-specific VIRQs (x86: VIRQ_ARCH_0 = VIRQ_MCA). */
#define VIRQ_ARCH_0    16
#define VIRQ_ARCH_1    17
#define VIRQ_ARCH_2    18
#define VIRQ_ARCH_3    19
#define VIRQ_ARCH_4    20
#define VIRQ_ARCH_5    21
#define VIRQ_ARCH_6    22
#define VIRQ_ARCH_7    23

#define NR_VIRQS       24

/*
 * HYPERVISOR_mmu_update(const struct mmu_update reqs[], unsigned int count,
 *                       unsigned int *done, domid_t foreigndom)
 *
 * In:  reqs   @count requests. The low 2 bits of ptr select the command;
 *             the rest is a machine address (page-table updates) or the
 *             address of the frame (MACHPHYS);
 *      done   may be NULL; else receives the number of requests done;
 *      foreigndom  DOMID_SELF, or the domain whose frames the new entries
 *             may name (privileged callers; DOMID_IO for I/O memory).
 * Out: 0 when all requests were done.
 * Errors: -EINVAL bad command or an entry that fails validation;
 *         -EFAULT unreadable request list; -ESRCH unknown foreigndom;
 *         -EPERM not allowed to touch that frame or domain.
 *         Processing stops at the first failure; @done says where.
 *
 * MMU_NORMAL_PT_UPDATE:  ptr = MA of a page-table entry; *ptr = val after
 *   validating val (it holds machine frame numbers).
 * MMU_MACHPHYS_UPDATE:   ptr = MA inside a frame the caller owns;
 *   machine_to_phys[ptr >> 12] = val.
 * MMU_PT_UPDATE_PRESERVE_AD:  as NORMAL, but the Accessed/Dirty bits of
 *   the old entry are kept (atomically).
 * MMU_PT_UPDATE_NO_TRANSLATE:  as NORMAL, val's frame is never translated
 *   (used for foreign resources mapped by dom0).
 */
#define MMU_NORMAL_PT_UPDATE       0
#define MMU_MACHPHYS_UPDATE        1
#define MMU_PT_UPDATE_PRESERVE_AD  2
#define MMU_PT_UPDATE_NO_TRANSLATE 3

/*
 * HYPERVISOR_mmuext_op(struct mmuext_op ops[], unsigned int count,
 *                      unsigned int *done, domid_t foreigndom)
 *
 * In:  @count operations (struct mmuext_op); @done may be NULL.
 * Out: 0 when all were done.
 * Errors: -ENOSYS unknown cmd; -EINVAL a frame of the wrong type or owner,
 *         bad LDT; -EFAULT unreadable list; -ESRCH unknown foreigndom;
 *         -EPERM not allowed. Processing stops at the first failure.
 *
 * MMUEXT_PIN_L[1234]_TABLE  arg1.mfn: validate the frame as a page table
 *   of that level and keep it so while pinned.
 * MMUEXT_UNPIN_TABLE        arg1.mfn: drop the pin.
 * MMUEXT_NEW_BASEPTR        arg1.mfn: switch to this (validated) kernel L4.
 * MMUEXT_NEW_USER_BASEPTR   arg1.mfn: the L4 used in guest user mode, 0
 *   for none.
 * MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL (arg1.linear_addr): flush
 *   this vCPU's TLB, or one entry.
 * MMUEXT_TLB_FLUSH_MULTI, MMUEXT_INVLPG_MULTI: the same on the vCPUs of
 *   the bitmap at arg2.vcpumask.
 * MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL: the same on all vCPUs.
 * MMUEXT_FLUSH_CACHE, MMUEXT_FLUSH_CACHE_GLOBAL: WBINVD (privileged).
 * MMUEXT_SET_LDT   arg1.linear_addr (page aligned), arg2.nr_ents (<= 8192).
 * MMUEXT_CLEAR_PAGE arg1.mfn; MMUEXT_COPY_PAGE arg1.mfn <- arg2.src_mfn.
 * MMUEXT_[UN]MARK_SUPER  obsolete; refused.
 */
#define MMUEXT_PIN_L1_TABLE      0
#define MMUEXT_PIN_L2_TABLE      1
#define MMUEXT_PIN_L3_TABLE      2
#define MMUEXT_PIN_L4_TABLE      3
#define MMUEXT_UNPIN_TABLE       4
#define MMUEXT_NEW_BASEPTR       5
#define MMUEXT_TLB_FLUSH_LOCAL   6
#define MMUEXT_INVLPG_LOCAL      7
#define MMUEXT_TLB_FLUSH_MULTI   8
#define MMUEXT_INVLPG_MULTI      9
#define MMUEXT_TLB_FLUSH_ALL    10
#define MMUEXT_INVLPG_ALL       11
#define MMUEXT_FLUSH_CACHE      12
#define MMUEXT_SET_LDT          13
#define MMUEXT_NEW_USER_BASEPTR 15
#define MMUEXT_CLEAR_PAGE       16
#define MMUEXT_COPY_PAGE        17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER       19
#define MMUEXT_UNMARK_SUPER     20

#ifndef __ASSEMBLER__
struct mmuext_op {
    unsigned int cmd;                       /* MMUEXT_* */
    union {
        xen_pfn_t     mfn;                  /* pin/unpin, baseptrs, pages */
        unsigned long linear_addr;          /* INVLPG_*, SET_LDT          */
    } arg1;
    union {
        unsigned int nr_ents;               /* SET_LDT                    */
        XEN_GUEST_HANDLE(const_void) vcpumask;  /* *_MULTI               */
        xen_pfn_t src_mfn;                  /* COPY_PAGE                  */
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
#endif

/*
 * HYPERVISOR_update_va_mapping(unsigned long va, u64 val,
 *                              unsigned long flags)
 * HYPERVISOR_update_va_mapping_otherdomain(unsigned long va, u64 val,
 *                              unsigned long flags, domid_t domid)
 *
 * In:  va     a linear address mapped by an L1 of the current kernel page
 *             tables; val  the new L1 entry (machine frame numbers);
 *      flags  a UVMF_* flush type ORed with UVMF_LOCAL/UVMF_ALL, or with
 *             a pointer to a vCPU bitmap (UVMF_MULTI).
 * Out: 0.
 * Errors: -EINVAL no L1 maps va, or val fails validation; -EFAULT bad
 *         bitmap pointer; -ESRCH/-EPERM for a bad or forbidden domid.
 */
#define UVMF_NONE           (xen_mk_ulong(0) << 0)  /* no flush          */
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0)  /* flush whole TLBs  */
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0)  /* flush one entry   */
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
#define UVMF_MULTI          (xen_mk_ulong(0) << 2)  /* vCPUs in a bitmap */
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2)  /* this vCPU only    */
#define UVMF_ALL            (xen_mk_ulong(1) << 2)  /* all vCPUs         */

/*
 * HYPERVISOR_console_io(unsigned int cmd, unsigned int count, char buf[])
 *
 * CONSOLEIO_write: write @count bytes of @buf to the hypervisor console.
 *   The hardware domain's bytes are written as they are; other domains'
 *   (when permitted at all) are filtered to printable characters and may
 *   be buffered to the end of a line. Out: 0.
 * CONSOLEIO_read: copy up to @count bytes of pending console input into
 *   @buf (privileged). Out: the number of bytes copied.
 * Errors: -ENOSYS unknown cmd; -EFAULT unreadable/unwritable @buf;
 *         -EPERM the caller may not use the console.
 */
#define CONSOLEIO_write         0
#define CONSOLEIO_read          1

/*
 * HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
 *
 * In:  cmd  VMASST_CMD_enable or _disable; type  VMASST_TYPE_*.
 * Out: 0.  Errors: -ENOSYS unknown cmd; -EINVAL type not offered to
 *          this kind of guest.
 */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1

/* 32-bit guests: emulate 4 GiB segment limits (and notify on use). */
#define VMASST_TYPE_4gb_segments         0
#define VMASST_TYPE_4gb_segments_notify  1
/*
 * Writes to L1 page-table pages fault and are emulated as validated
 * updates. Higher levels cannot be written; the guest must still remove
 * every writable mapping of a page-table page.
 */
#define VMASST_TYPE_writable_pagetables  2
/* 32-bit PAE guests: page directory pointer tables above 4 GiB. */
#define VMASST_TYPE_pae_extended_cr3     3
/*
 * Architectural virtual IOPL: set by the iret hypercall, reported in
 * bounce frames, and the guest kernel counts as ring 0 for IOPL checks.
 */
#define VMASST_TYPE_architectural_iopl   4
/* Set XEN_RUNSTATE_UPDATE in the runstate area while it is updated. */
#define VMASST_TYPE_runstate_update_flag 5
/*
 * 64-bit guests: keep the read-only M2P out of user-mode page tables
 * (slot left blank until the L4 is used as a kernel one).
 */
#define VMASST_TYPE_m2p_strict           32

/* Domain ids from DOMID_FIRST_RESERVED up name special domains. */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF           xen_mk_uint(0x7FF0)  /* the caller           */
/*
 * As mmu_update's foreigndom: restrict the new mappings to I/O memory
 * (frames owned by no domain).
 */
#define DOMID_IO             xen_mk_uint(0x7FF1)
/* Privileged mapping of hypervisor-owned frames (e.g. the M2P). */
#define DOMID_XEN            xen_mk_uint(0x7FF2)
/* Owner of shared (copy-on-write) pages. */
#define DOMID_COW            xen_mk_uint(0x7FF3)
/* Owner of pages whose owner is unknown. */
#define DOMID_INVALID        xen_mk_uint(0x7FF4)
#define DOMID_IDLE           xen_mk_uint(0x7FFF)
#define DOMID_MASK           xen_mk_uint(0x7FFF)

#ifndef __ASSEMBLER__

typedef uint16_t domid_t;

/* One request to HYPERVISOR_mmu_update (see above). */
struct mmu_update {
    uint64_t ptr;       /* machine address of the entry, command in 1:0 */
    uint64_t val;       /* the new entry                                */
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/*
 * HYPERVISOR_multicall(struct multicall_entry calls[], uint32_t nr_calls)
 *
 * In:  @nr_calls entries, each a hypercall number and its arguments.
 * Out: each entry's result field gets what that hypercall returned; the
 *      multicall itself returns 0. The calls run in order as if issued
 *      one by one (a multicall inside a multicall is refused).
 * Errors: -EFAULT the list cannot be read or a result written back.
 */
struct multicall_entry {
    xen_ulong_t op, result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * HYPERVISOR_set_timer_op(u64 timeout)
 *
 * In:  an absolute system time in ns (as in vcpu_time_info); 0 cancels.
 *      VIRQ_TIMER is raised on this vCPU when it passes (at once if it has
 *      already passed).
 * Out: 0.
 */

/*
 * HYPERVISOR_fpu_taskswitch(int set)
 *
 * In:  non-zero sets the virtual CR0.TS (the next FPU use raises #NM),
 *      zero clears it.  Out: 0.
 */

/*
 * HYPERVISOR_set_debugreg(int reg, unsigned long value)
 * HYPERVISOR_get_debugreg(int reg)
 *
 * In:  reg 0-7 (4 and 5 alias 6 and 7 while CR4.DE is clear).
 * Out: 0 / the register's value.
 * Errors: -ENODEV no such register; -EINVAL a value that is not allowed
 *         (breakpoints in the hypervisor's range, reserved bits).
 */

/*
 * HYPERVISOR_iret(void)
 *
 * Pops a struct iret_context from the guest stack and returns to it:
 * RIP, CS, RFLAGS, RSP and SS, RCX and R11 (unless VGCF_in_syscall) and
 * RAX; evtchn_upcall_mask becomes !RFLAGS.IF. A CS with RPL 3 switches to
 * guest user mode. Does not return to the caller; a frame that cannot be
 * read crashes the domain.
 */

/*
 * System time, per vCPU, kept by the hypervisor:
 *
 *   now = system_time +
 *         ((((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul) >> 32)
 *
 * (a negative tsc_shift shifts right). version is odd while an update is in
 * progress: read version, the fields, then version again, and retry if it
 * changed or was odd.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC at the last update                  */
    uint64_t system_time;       /* ns since an epoch common to all vCPUs   */
    uint32_t tsc_to_system_mul; /* 32.32 fixed point ns per (shifted) tick */
    int8_t   tsc_shift;
    uint8_t  flags;             /* XEN_PVCLOCK_*                           */
    uint8_t  pad1[2];
}; /* 32 bytes */
typedef struct vcpu_time_info vcpu_time_info_t;

#define XEN_PVCLOCK_TSC_STABLE_BIT     (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED      (1 << 1)

/*
 * Per-vCPU event state. evtchn_upcall_pending is set by the hypervisor
 * when an unmasked event for this vCPU becomes pending; the guest clears
 * it before scanning. evtchn_upcall_mask is the guest's virtual interrupt
 * flag (1 = no upcalls), written by the guest without atomics; the
 * hypervisor clears it only on SCHEDOP_block. evtchn_pending_sel has bit w
 * set when word w of shared_info.evtchn_pending may hold work for this vCPU.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;
    uint8_t evtchn_upcall_mask;
    xen_ulong_t evtchn_pending_sel;
    struct arch_vcpu_info arch;
    vcpu_time_info_t time;
}; /* 64 bytes */
typedef struct vcpu_info vcpu_info_t;

/*
 * The shared-info page (start_info.shared_info is its machine address).
 * Event channel port p is bit p % 64 of word p / 64 in evtchn_pending and
 * evtchn_mask (2-level ABI). Pending is set by the hypervisor and cleared
 * by the guest; the mask is only written by the guest. A port that becomes
 * pending while masked raises no upcall, also not at unmask time through
 * this page (EVTCHNOP_unmask does that).
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    /*
     * Wall clock at system time 0: wc_sec_hi:wc_sec seconds plus wc_nsec
     * since the Unix epoch. wc_version is odd while being updated.
     */
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
#define xen_wc_sec_hi wc_sec_hi
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;

/*
 * Start-of-day layout of a PV domain: one contiguous virtual region,
 * ending on a 4 MiB boundary with at least 512 KiB of slack, holding in
 * order (each page aligned): the kernel image, the initial ramdisk (may be
 * omitted), the p2m list (unless XEN_ELFNOTE_INIT_P2M moved it), the
 * start_info page (dom0: followed by dom0_vga_console_info), domU only the
 * xenstore and console ring pages, the bootstrap page tables (mapped
 * read-only; CR3 = pt_base) and the bootstrap stack. The region maps
 * pseudo-physical frames 0.. one to one; all of it is writable except the
 * page tables. RSI holds the start_info address at entry.
 */
struct start_info {
    /* Filled in at boot and on resume. */
    char magic[32];             /* "xen-<version>-<platform>"             */
    unsigned long nr_pages;     /* pages allocated to the domain          */
    unsigned long shared_info;  /* MACHINE address of the shared info     */
    uint32_t flags;             /* SIF_*                                  */
    xen_pfn_t store_mfn;        /* MACHINE frame of the xenstore ring     */
    uint32_t store_evtchn;      /* its event channel                      */
    union {
        struct {
            xen_pfn_t mfn;      /* MACHINE frame of the console ring      */
            uint32_t  evtchn;   /* its event channel                      */
        } domU;
        struct {
            uint32_t info_off;  /* offset of dom0_vga_console_info        */
            uint32_t info_size; /* its size                               */
        } dom0;
    } console;
    /* Filled in at boot only. */
    unsigned long pt_base;      /* VIRTUAL address of the bootstrap L4    */
    unsigned long nr_pt_frames; /* number of bootstrap page-table frames  */
    unsigned long mfn_list;     /* VIRTUAL address of the p2m list        */
    unsigned long mod_start;    /* VIRTUAL address of the module (or its  */
                                /* PFN if SIF_MOD_START_PFN)              */
    unsigned long mod_len;      /* module size in bytes                   */
#define MAX_GUEST_CMDLINE 1024
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    /* Frames of the initial p2m and its page tables (INIT_P2M layout). */
    unsigned long first_p2m_pfn;
    unsigned long nr_p2m_frames;
};
typedef struct start_info start_info_t;

#endif /* !__ASSEMBLER__ */

/* start_info.flags */
#define SIF_PRIVILEGED    (1 << 0)  /* the domain is privileged            */
#define SIF_INITDOMAIN    (1 << 1)  /* the initial (control) domain        */
#define SIF_MULTIBOOT_MOD (1 << 2)  /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN (1 << 3)  /* mod_start is a PFN, not an address  */
#define SIF_VIRT_P2M_4TOOLS (1 << 4) /* tools understand a linear p2m      */
#define SIF_PM_MASK       (0xFF << 8) /* reserved for power management     */

#ifndef __ASSEMBLER__

/*
 * With SIF_MULTIBOOT_MOD the module starts with an array of these, ended
 * by an entry with mod_start == 0; addresses are relative to the module.
 */
struct xen_multiboot_mod_list {
    uint32_t mod_start;         /* first byte                        */
    uint32_t mod_end;           /* last byte (inclusive)             */
    uint32_t cmdline;           /* NUL-terminated command line       */
    uint32_t pad;               /* must be zero                      */
};

/* dom0's console description, at start_info.console.dom0.info_off. */
typedef struct dom0_vga_console_info {
    uint8_t video_type;
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70
    union {
        struct {
            uint16_t font_height;           /* pixels                   */
            uint16_t cursor_x, cursor_y;    /* column, row              */
            uint16_t rows, columns;         /* in characters            */
        } text_mode_3;
        struct {
            uint16_t width, height;         /* pixels                   */
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;              /* physical address, low 32 */
            uint32_t lfb_size;              /* in 64 KiB units          */
            uint8_t  red_pos, red_size;     /* VBE 1.2+ colour layout   */
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;              /* VBE 0x4f00 capabilities  */
            uint16_t mode_attrs;            /* VBE 0x4f01 attributes    */
            uint16_t pad;
            uint32_t ext_lfb_base;          /* lfb_base bits 63:32      */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t

typedef uint8_t xen_domain_handle_t[16];

__DEFINE_XEN_GUEST_HANDLE(uint8,  uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

/* XEN_DEFINE_UUID(0x00112233, 0x4455, 0x6677, 0x8899, 0xaa, ...0xff): the
 * UUID 00112233-4455-6677-8899-aabbccddeeff, bytes in that order. */
#define XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6)          \
    {{((a) >> 24) & 0xFF, ((a) >> 16) & 0xFF,                         \
      ((a) >>  8) & 0xFF, ((a) >>  0) & 0xFF,                         \
      ((b) >>  8) & 0xFF, ((b) >>  0) & 0xFF,                         \
      ((c) >>  8) & 0xFF, ((c) >>  0) & 0xFF,                         \
      ((d) >>  8) & 0xFF, ((d) >>  0) & 0xFF,                         \
      e1, e2, e3, e4, e5, e6}}
#define XEN_DEFINE_UUID(a, b, c, d, e1, e2, e3, e4, e5, e6)           \
    ((xen_uuid_t)XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6))

#endif /* !__ASSEMBLER__ */

#endif /* PVABI_XEN_H */
