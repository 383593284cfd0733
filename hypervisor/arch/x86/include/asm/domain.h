/*
 * x86 PV state of domains and vCPUs.
 *
 * A 64-bit PV vCPU runs its kernel and its user space both in ring 3; the
 * hypervisor tracks which one is active (kernel_mode) and keeps the two
 * L4 tables, the bases of FS/GS, the trap table, callbacks, the GDT/LDT
 * frames and the virtual IOPL, switching CR3 and GS on every
 * kernel<->user transition (Xen's toggle_guest_mode).
 */
#ifndef ASM_DOMAIN_H
#define ASM_DOMAIN_H

#include <pavise/types.h>
#include <asm/regs.h>
#include <asm/page.h>
#include <pvabi/xen.h>

#define NR_GDT_FRAMES   14          /* guest GDT: up to 7168 entries */

struct pv_callback {
    unsigned long eip;
    bool mask_events;               /* CALLBACKF_mask_events */
};

struct arch_vcpu {
    /* Guest GPRs and frame while the vCPU is not on a pCPU. */
    struct cpu_regs regs;
    uint16_t ds, es, fs, gs;        /* data segment selectors */
    bool kernel_mode;               /* guest kernel (true) or guest user */
    bool initialised;               /* has a context (VCPUOP_initialise or builder) */

    /* Page tables: MFNs of the kernel and user L4 (0 = none). */
    mfn_t guest_table;
    mfn_t guest_table_user;

    /* Trap table and callbacks. As in Xen, the NMI handler is entry 2 of
     * the trap table (the NMI callback calls write that entry). */
    struct trap_info trap_ctxt[256];
    struct pv_callback event_callback, failsafe_callback, syscall_callback;
    struct pv_callback syscall32_callback, sysenter_callback;
    unsigned long kernel_ss, kernel_sp;

    /* Segment bases. */
    unsigned long fs_base, gs_base_kernel, gs_base_user;

    /* Descriptor tables. */
    mfn_t gdt_frames[NR_GDT_FRAMES];
    unsigned int gdt_ents;
    unsigned long ldt_base;
    unsigned int ldt_ents;

    /* Virtual CPU state the guest sees. */
    unsigned int iopl;              /* virtual IOPL, 0..3 */
    unsigned long iobmp;            /* guest I/O bitmap (PHYSDEVOP_set_iobitmap) */
    unsigned int iobmp_limit;
    unsigned long cr0_ts;           /* X86_CR0_TS if the guest set it */
    unsigned long guest_cr4;
    unsigned long cr2;              /* last #PF address delivered */
    unsigned long debugreg[8];
    bool nmi_pending, nmi_masked;
    bool nmi_drop_warned;           /* "NMI with no handler" printed once */
    uint32_t tsc_aux;               /* MSR_TSC_AUX (RDTSCP/RDPID), loaded while running */

    /* Virtual machine-check banks, as Xen's vMCE (nothing is injected). */
    uint64_t mcg_status;
    struct { uint64_t status, addr, misc, ctl2; } mc_bank[2];

    /* Eager FPU state (fxsave64 image). */
    uint8_t fpu[512] __aligned(16);
    bool fpu_initialised;

    /* Where to report the saved upcall mask on iret. */
    uint8_t pending_failsafe;
};

struct e820_entry_abi {
    uint64_t addr, size;
    uint32_t type;
} __packed;

struct arch_domain {
    pgentry_t perdomain_l3e;        /* L4 slot 260 of every guest L4 */
    pgentry_t *perdomain_l3;
    /* I/O ports this domain may access (bitmap; dom0: all but ours). */
    uint8_t *ioport_caps;
    bool iomem_all;                 /* may map non-RAM frames (dom0) */
    uint64_t dirty_cpumask;         /* pCPUs that may hold this domain's TLB entries */
    /* PHYSDEVOP_pirq_eoi_gmfn: the guest's page whose bit n says pirq n
     * waits for PHYSDEVOP_eoi (writable-type reference held; pirq.c). */
    uint64_t *pirq_eoi_map;
    mfn_t pirq_eoi_mfn;
    bool pirq_eoi_auto_unmask;      /* _v1: PHYSDEVOP_eoi also unmasks the port */
    /* XENMEM_memory_map answer (set for boot-time domUs; none for dom0). */
    unsigned int nr_e820;
    struct e820_entry_abi e820[4];
};

#endif
