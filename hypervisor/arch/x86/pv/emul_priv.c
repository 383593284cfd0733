/*
 * Privileged instructions a PV guest kernel still executes natively in
 * ring 3: they #GP (or #UD for the forced-emulation prefix) and are
 * emulated here with Xen 4.17's policy, or the #GP goes to the guest.
 *
 *   in/out/ins/outs  virtual IOPL (physdev set_iopl) or the guest I/O
 *                    bitmap; dom0 reaches real ports except the
 *                    hypervisor's own, others read all-ones
 *   cli/sti          no-ops when the virtual IOPL allows them
 *   mov cr/dr, clts  the guest's view of CR0.TS/CR2/CR3/CR4, debug regs
 *   rdmsr/wrmsr      the MSRs PV guests may use; #GP for the rest
 *   cpuid            the PV CPUID policy (hypervisor leaves included)
 *   wbinvd           flush for domains with I/O rights, else ignored
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <asm/decode.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <asm/cpu.h>
#include <pvabi/xen.h>

long do_fpu_taskswitch(int set);
long pv_set_debugreg(struct vcpu *v, unsigned int reg, unsigned long value);

/* ------------------------------------------------------------ CPUID */

#define XEN_CPUID_BASE 0x40000000

void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
              uint32_t *c, uint32_t *d)
{
    *a = *b = *c = *d = 0;

    if (leaf >= XEN_CPUID_BASE && leaf < XEN_CPUID_BASE + 0x10000) {
        /* The Xen leaves (only at the base: Linux scans 0x100 steps). */
        if ((leaf & 0xff00) != 0)
            return;
        switch (leaf & 0xff) {
        case 0:
            *a = XEN_CPUID_BASE + 5;
            *b = 0x566e6558;        /* "XenV" */
            *c = 0x65584d4d;        /* "MMXe" */
            *d = 0x4d4d566e;        /* "nVMM" */
            break;
        case 1:
            *a = (4u << 16) | 17;   /* 4.17 */
            break;
        case 2:
            *a = 1;                 /* one hypercall page */
            *b = 0x40000000;        /* MSR that installs it */
            *c = 1;                 /* XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD */
            break;
        case 3:                     /* TSC mode: native, no scaling */
            break;
        case 4:                     /* HVM only */
            break;
        case 5:
            /* Width of the highest machine address a guest may meet (the
             * largest RAM frame), so it can size its own M2P use. */
            if (sub == 0)
                *b = (uint32_t)(64 - __builtin_clzl(max_page - 1) + PAGE_SHIFT);
            break;
        }
        return;
    }

    uint32_t max, maxe;
    cpuid(0, &max, b, c, d);
    cpuid(0x80000000, &maxe, b, c, d);
    *b = *c = *d = 0;
    if (leaf < 0x80000000 ? leaf > max : leaf > maxe)
        return;
    cpuid_count(leaf, sub, a, b, c, d);

    switch (leaf) {
    case 0:
        *a = MIN(*a, 0xdu);
        break;
    case 1:
        /* Hide VME DE PSE SEP MTRR PGE PSE36 DS ACPI TM PBE. MCE/MCA stay:
         * the machine-check MSRs are virtual (vmce_rdmsr/vmce_wrmsr). SEP
         * goes: there is no SYSENTER path into the hypervisor. */
        *d &= ~((1u << 1) | (1u << 2) | (1u << 3) | (1u << 11) | (1u << 12) | (1u << 13) |
                (1u << 17) | (1u << 21) | (1u << 22) | (1u << 29) | (1u << 31));
        if (!boot_cpu.mce)
            *d &= ~((1u << 7) | (1u << 14));
        /* Hide DTES64 MONITOR DS-CPL VMX SMX EST TM2 xTPR PDCM PCID DCA
         * x2APIC TSC-deadline XSAVE OSXSAVE AVX F16C; claim a hypervisor. */
        *c &= ~((1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | (1u << 7) |
                (1u << 8) | (1u << 14) | (1u << 15) | (1u << 17) | (1u << 18) | (1u << 21) |
                (1u << 24) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 29));
        *c |= 1u << 31;
        /* Initial APIC id: the vCPU id. */
        *b = (*b & 0x00ffffff) | (v->vcpu_id << 24);
        break;
    case 5: case 6:
        *a = *b = *c = *d = 0;
        break;
    case 7:
        if (sub == 0) {
            /* Keep FSGSBASE (CR4.FSGSBASE is the guest's) and BMI/ERMS-class
             * features; hide TSC_ADJUST, SMEP, INVPCID, RTM/HLE, MPX, SMAP,
             * PT, AVX* (no XSAVE state), PKU, LA57, CET, ... */
            *b &= (1u << 0) | (1u << 3) | (1u << 8) | (1u << 9) | (1u << 18) | (1u << 19) |
                  (1u << 23) | (1u << 29);
            *c &= (1u << 22);                   /* RDPID */
            *d &= 0;
            *a = 0;
        } else {
            *a = *b = *c = *d = 0;
        }
        break;
    case 0xa:                                   /* no PMU */
        *a = *b = *c = *d = 0;
        break;
    case 0xb:                                   /* Linux zeroes EBX itself */
        break;
    case 0xd:                                   /* no XSAVE */
        *a = *b = *c = *d = 0;
        break;
    case 0x80000001:
        /* Hide SVM, EXTAPIC; the AMD copies of PSE PGE PSE36, PAGE1GB.
         * RDTSCP stays: TSC_AUX is per vCPU. */
        *c &= ~((1u << 2) | (1u << 3));
        *d &= ~((1u << 3) | (1u << 13) | (1u << 17) | (1u << 26));
        break;
    case 0x80000007:
        *d &= (1u << 8);                        /* invariant TSC only */
        break;
    case 0x80000008:
        /* 48-bit linear addresses: PV guests have no 5-level paging. */
        *a = (*a & ~0xff00u) | (48u << 8);
        break;
    }
}

bool pv_emulate_forced_invalid_op(struct cpu_regs *regs)
{
    /* ud2 ; .ascii "xen" ; cpuid */
    static const uint8_t sig[5] = { 0x0f, 0x0b, 'x', 'e', 'n' };
    uint8_t b[7];

    if (copy_from_guest_raw(b, (const void *)regs->rip, sizeof(b)) ||
        memcmp(b, sig, sizeof(sig)) || b[5] != 0x0f || b[6] != 0xa2)
        return false;
    uint32_t a, bx, c, d;
    pv_cpuid(current, (uint32_t)regs->rax, (uint32_t)regs->rcx, &a, &bx, &c, &d);
    regs->rax = a;
    regs->rbx = bx;
    regs->rcx = c;
    regs->rdx = d;
    regs->rip += 7;
    return true;
}

/* ------------------------------------------------------------ I/O */

static bool iopl_ok(const struct vcpu *v)
{
    unsigned int cpl = v->arch.kernel_mode ? 1 : 3;
    return v->arch.iopl >= cpl;
}

static bool hv_owned_port(unsigned int port, unsigned int bytes)
{
    unsigned int end = port + bytes - 1;
#define OVERLAP(lo, hi) (port <= (hi) && end >= (lo))
    return OVERLAP(0x3f8, 0x3ff) ||      /* our serial console */
           OVERLAP(0x20, 0x21) || OVERLAP(0xa0, 0xa1) ||   /* PICs */
           OVERLAP(0x40, 0x43) || OVERLAP(0x61, 0x61) ||   /* PIT, its gate */
           OVERLAP(0xf4, 0xf7);          /* debug-exit (test machines) */
#undef OVERLAP
}

static bool port_access_ok(const struct domain *d, unsigned int port, unsigned int bytes)
{
    return d->arch.iomem_all && !hv_owned_port(port, bytes);
}

static uint32_t guest_in(const struct domain *d, unsigned int port, unsigned int bytes)
{
    if (!port_access_ok(d, port, bytes))
        return bytes == 4 ? 0xffffffffu : (1u << (8 * bytes)) - 1;
    switch (bytes) {
    case 1: return inb((uint16_t)port);
    case 2: return inw((uint16_t)port);
    default: return inl((uint16_t)port);
    }
}

static void guest_out(const struct domain *d, unsigned int port, unsigned int bytes, uint32_t v)
{
    if (!port_access_ok(d, port, bytes))
        return;
    switch (bytes) {
    case 1: outb((uint16_t)port, (uint8_t)v); break;
    case 2: outw((uint16_t)port, (uint16_t)v); break;
    default: outl((uint16_t)port, v); break;
    }
}

/* ------------------------------------------------------------ CRs, MSRs */

/*
 * CR4 as Xen does it: the guest chooses TSD, DE and (when the CPU has it)
 * FSGSBASE, which are in force on the real CR4 while its vCPU runs; it
 * sees those plus a few of the hypervisor's own settings.
 */
#define PV_CR4_VISIBLE_MASK  (X86_CR4_PAE | X86_CR4_MCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

unsigned long pv_cr4_guest_mask(void)
{
    return X86_CR4_TSD | X86_CR4_DE | (boot_cpu.fsgsbase ? X86_CR4_FSGSBASE : 0);
}

unsigned long pv_guest_cr4(const struct vcpu *v)
{
    return (v->arch.guest_cr4 & pv_cr4_guest_mask()) | (host_cr4 & PV_CR4_VISIBLE_MASK);
}

unsigned long pv_real_cr4(const struct vcpu *v)
{
    return (host_cr4 & ~pv_cr4_guest_mask()) | (v->arch.guest_cr4 & pv_cr4_guest_mask());
}

static bool read_cr(struct vcpu *v, unsigned int n, uint64_t *val)
{
    switch (n) {
    case 0: *val = (read_cr0() & ~X86_CR0_TS) | v->arch.cr0_ts; return true;
    case 2: *val = v->arch.cr2; return true;
    case 3: *val = (v->arch.kernel_mode ? v->arch.guest_table : v->arch.guest_table_user) << PAGE_SHIFT;
            return true;
    case 4: *val = pv_guest_cr4(v); return true;
    default: return false;
    }
}

long pv_new_guest_cr3(mfn_t mfn);

static bool write_cr(struct vcpu *v, unsigned int n, uint64_t val)
{
    switch (n) {
    case 0:
        if ((val ^ read_cr0()) & ~(uint64_t)X86_CR0_TS) {
            printk(LOG_DEBUG "d%uv%u: attempt to change unmodifiable CR0 flags\n",
                   v->domain->domain_id, v->vcpu_id);
            return false;
        }
        do_fpu_taskswitch(!!(val & X86_CR0_TS));
        return true;
    case 2:
        v->arch.cr2 = val;
        v->vcpu_info->arch.cr2 = val;
        return true;
    case 3:
        return pv_new_guest_cr3(val >> PAGE_SHIFT) == 0;
    case 4:
        /* Silently keep only what the guest controls (never #GP). */
        v->arch.guest_cr4 = val & pv_cr4_guest_mask();
        write_cr4(pv_real_cr4(v));
        return true;
    default:
        return false;
    }
}

static bool is_canonical(uint64_t a)
{
    return ((int64_t)(a << 16) >> 16) == (int64_t)a;
}

#define MSR_TSC             0x10
#define MSR_PLATFORM_ID     0x17
#define MSR_IA32_BIOS_SIGN  0x8b
#define MSR_MCG_CAP         0x179
#define MSR_MCG_STATUS      0x17a
#define MSR_MCG_CTL         0x17b
#define MSR_MCx_CTL2(b)     (0x280 + (b))
#define MSR_MC0_CTL         0x400
#define MSR_MCG_EXT_CTL     0x4d0
#define MSR_XEN_HYPERCALL   0x40000000      /* Xen's hypercall-page MSR */

/* ---- virtual machine-check architecture (Xen's vMCE, nothing injected) */

#define GUEST_MC_BANKS      2
#define MCG_CTL_P           (1UL << 8)
#define MCG_CMCI_P          (1UL << 10)
#define MCG_TES_P           (1UL << 11)
#define MCG_SER_P           (1UL << 24)

static uint64_t guest_mcg_cap(void)
{
    return boot_cpu.intel ? (MCG_SER_P | MCG_TES_P | MCG_CMCI_P | GUEST_MC_BANKS)
                          : GUEST_MC_BANKS;
}

static bool is_vmce_msr(uint32_t msr)
{
    return (msr >= MSR_MCG_CAP && msr <= MSR_MCG_CTL) ||
           (msr >= MSR_MCx_CTL2(0) && msr <= MSR_MCx_CTL2(31)) ||
           (msr >= MSR_MC0_CTL && msr <= MSR_MC0_CTL + 4 * 32 - 1) || msr == MSR_MCG_EXT_CTL;
}

/* The banks a guest has: MCi_CTL/STATUS/ADDR/MISC of its 2 banks, and on
 * Intel their MCi_CTL2. Other MSRs in the range read 0 and ignore writes. */
static bool vmce_bank(uint32_t msr, unsigned int *bank, unsigned int *reg)
{
    if (msr >= MSR_MC0_CTL && msr < MSR_MC0_CTL + 4 * GUEST_MC_BANKS) {
        *bank = (msr - MSR_MC0_CTL) / 4;
        *reg = (msr - MSR_MC0_CTL) % 4;
        return true;
    }
    if (boot_cpu.intel && msr >= MSR_MCx_CTL2(0) && msr < MSR_MCx_CTL2(GUEST_MC_BANKS)) {
        *bank = msr - MSR_MCx_CTL2(0);
        *reg = 4;
        return true;
    }
    return false;
}

/* true: done (*val set); false: #GP. */
static bool vmce_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    unsigned int bank, reg;
    *val = 0;
    switch (msr) {
    case MSR_MCG_CAP:    *val = guest_mcg_cap(); return true;
    case MSR_MCG_STATUS: *val = v->arch.mcg_status; return true;
    case MSR_MCG_CTL:    return true;           /* no MCG_CTL_P: reads 0 */
    case MSR_MCG_EXT_CTL: return false;         /* no LMCE */
    }
    if (!vmce_bank(msr, &bank, &reg))
        return true;
    switch (reg) {
    case 0: *val = ~0UL; break;                 /* MCi_CTL: all ones */
    case 1: *val = v->arch.mc_bank[bank].status; break;
    case 2: *val = v->arch.mc_bank[bank].addr; break;
    case 3: *val = v->arch.mc_bank[bank].misc; break;
    case 4: *val = v->arch.mc_bank[bank].ctl2; break;
    }
    return true;
}

static bool vmce_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    unsigned int bank, reg;
    switch (msr) {
    case MSR_MCG_CAP:                           /* read-only: ignored */
    case MSR_MCG_CTL:
        return true;
    case MSR_MCG_STATUS:
        v->arch.mcg_status = val;
        return true;
    case MSR_MCG_EXT_CTL:
        return false;
    }
    if (!vmce_bank(msr, &bank, &reg))
        return true;
    switch (reg) {
    case 0: return true;                        /* MCi_CTL stays all ones */
    case 1: if (val) return false; v->arch.mc_bank[bank].status = 0; return true;
    case 2: if (val) return false; v->arch.mc_bank[bank].addr = 0; return true;
    case 3: if (val) return false; v->arch.mc_bank[bank].misc = 0; return true;
    case 4:                                     /* CMCI threshold and enable */
        if (val & ~((1UL << 30) | 0x7fffUL)) return false;
        v->arch.mc_bank[bank].ctl2 = val;
        return true;
    }
    return true;
}

/* MISC_ENABLE as Xen shows it: no perfmon, BTS, PEBS, xTPR or MONITOR. */
static uint64_t guest_misc_enable(uint64_t host)
{
    host &= ~((1UL << 7) | (1UL << 18));
    return host | (1UL << 11) | (1UL << 12) | (1UL << 23);
}

static bool has_tsc_aux(void)
{
    return boot_cpu.rdtscp || boot_cpu.rdpid;
}

/* true: done (*val set); false: #GP. */
static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    uint64_t host;

    if (is_vmce_msr(msr))
        return vmce_rdmsr(v, msr, val);
    switch (msr) {
    case MSR_FS_BASE: *val = rdmsr(MSR_FS_BASE); return true;
    case MSR_GS_BASE: *val = v->arch.kernel_mode ? rdmsr(MSR_GS_BASE) : rdmsr(MSR_SHADOW_GS_BASE); return true;
    case MSR_SHADOW_GS_BASE: *val = v->arch.kernel_mode ? rdmsr(MSR_SHADOW_GS_BASE) : rdmsr(MSR_GS_BASE); return true;
    case MSR_EFER: *val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE); return true;
    case MSR_PAT: *val = PAT_VALUE; return true;
    case MSR_APIC_BASE: *val = 0xfee00000UL | (1UL << 11) | (v->vcpu_id == 0 ? 1UL << 8 : 0); return true;
    case MSR_TSC: *val = rdtsc(); return true;
    case MSR_TSC_AUX:
        if (!has_tsc_aux())
            return false;
        *val = v->arch.tsc_aux;
        return true;
    case MSR_MISC_ENABLE:
        /* Intel's; present wherever the CPU (or emulator) has it. */
        if (!rdmsr_safe(MSR_MISC_ENABLE, &host))
            return false;
        *val = guest_misc_enable(host);
        return true;
    case MSR_PLATFORM_ID:
        if (!boot_cpu.intel)
            return false;
        return rdmsr_safe(MSR_PLATFORM_ID, val);
    case MSR_IA32_BIOS_SIGN:                    /* microcode revision: not shown */
        *val = 0;
        return true;
    case MSR_XEN_HYPERCALL:                     /* write-only: reads 0 */
        *val = 0;
        return true;
    default:
        return false;
    }
}

/* true: done (or silently dropped, as Xen drops some); false: #GP. */
static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    uint64_t cur;

    if (is_vmce_msr(msr))
        return vmce_wrmsr(v, msr, val);
    switch (msr) {
    case MSR_FS_BASE:
        if (!is_canonical(val)) return false;
        wrmsr(MSR_FS_BASE, val);
        v->arch.fs_base = val;
        return true;
    case MSR_GS_BASE:
        if (!is_canonical(val)) return false;
        wrmsr(v->arch.kernel_mode ? MSR_GS_BASE : MSR_SHADOW_GS_BASE, val);
        v->arch.gs_base_kernel = val;
        return true;
    case MSR_SHADOW_GS_BASE:
        if (!is_canonical(val)) return false;
        wrmsr(v->arch.kernel_mode ? MSR_SHADOW_GS_BASE : MSR_GS_BASE, val);
        v->arch.gs_base_user = val;
        return true;
    case MSR_EFER:
        read_msr(v, MSR_EFER, &cur);
        return val == cur;          /* writing back the same value is fine */
    case MSR_TSC_AUX:
        if (!has_tsc_aux() || val != (uint32_t)val)
            return false;
        v->arch.tsc_aux = (uint32_t)val;
        wrmsr(MSR_TSC_AUX, val);
        return true;
    case MSR_MISC_ENABLE:
        if (!rdmsr_safe(MSR_MISC_ENABLE, &cur))
            return false;
        if (val != guest_misc_enable(cur))
            printk(LOG_DEBUG "d%uv%u: WRMSR MISC_ENABLE %#lx dropped\n", v->domain->domain_id,
                   v->vcpu_id, val);
        return true;
    case MSR_IA32_BIOS_SIGN:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------ the emulator */

static bool has_gp_handler(const struct vcpu *v)
{
    return v->arch.trap_ctxt[13].address != 0;
}

bool pv_emulate_privileged_op(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    struct insn in;

    if (decode_insn(v, regs, &in))
        return false;
    unsigned int ob = in.opsize16 ? 2 : 4;

    if (!in.twobyte) {
        switch (in.opcode) {
        case 0xe4: case 0xe5: case 0xec: case 0xed: {     /* in */
            if (!iopl_ok(v)) return false;
            unsigned int bytes = (in.opcode & 1) ? ob : 1;
            unsigned int port = (in.opcode & 8) ? (uint16_t)regs->rdx : (unsigned int)in.imm;
            uint32_t val = guest_in(d, port, bytes);
            if (bytes == 4) regs->rax = val;
            else regs->rax = (regs->rax & ~((1UL << (8 * bytes)) - 1)) | val;
            break;
        }
        case 0xe6: case 0xe7: case 0xee: case 0xef: {     /* out */
            if (!iopl_ok(v)) return false;
            unsigned int bytes = (in.opcode & 1) ? ob : 1;
            unsigned int port = (in.opcode & 8) ? (uint16_t)regs->rdx : (unsigned int)in.imm;
            guest_out(d, port, bytes, (uint32_t)regs->rax);
            break;
        }
        case 0x6c: case 0x6d: case 0x6e: case 0x6f: {     /* ins/outs (rep) */
            if (!iopl_ok(v)) return false;
            unsigned int bytes = (in.opcode & 1) ? ob : 1;
            unsigned long count = in.rep ? regs->rcx : 1;
            int step = (regs->rflags & X86_EFLAGS_DF) ? -(int)bytes : (int)bytes;
            for (; count; count--) {
                uint32_t val = 0;
                if (in.opcode <= 0x6d) {
                    val = guest_in(d, (uint16_t)regs->rdx, bytes);
                    if (copy_to_guest_raw((void *)regs->rdi, &val, bytes)) return false;
                    regs->rdi += (unsigned long)(long)step;
                } else {
                    if (copy_from_guest_raw(&val, (const void *)regs->rsi, bytes)) return false;
                    guest_out(d, (uint16_t)regs->rdx, bytes, val);
                    regs->rsi += (unsigned long)(long)step;
                }
                if (in.rep) regs->rcx--;
                /* rcx is the guest's and so is the memory it sweeps: stop
                 * at a pending softirq or event, as Xen's rep_ins/rep_outs
                 * do, and leave rip on the instruction so the guest runs
                 * it again for what is left once the event is served. */
                if (count > 1 && hypercall_preempt_check())
                    return true;
            }
            break;
        }
        case 0xfa: case 0xfb:                              /* cli/sti: no-ops */
            if (!iopl_ok(v)) return false;
            break;
        default:
            return false;
        }
        regs->rip += in.len;
        return true;
    }

    /* Two-byte opcodes: kernel mode only. */
    if (!v->arch.kernel_mode)
        return false;
    switch (in.opcode) {
    case 0x06:                                      /* clts */
        do_fpu_taskswitch(0);
        break;
    case 0x09:                                      /* wbinvd */
    case 0x08:                                      /* invd */
        if (d->arch.iomem_all)
            __asm__ volatile("wbinvd" ::: "memory");
        break;
    case 0x20: {                                    /* mov cr, reg */
        uint64_t val;
        if (!read_cr(v, in.reg, &val)) return false;
        *insn_reg(regs, in.rm) = val;
        break;
    }
    case 0x22:                                      /* mov reg, cr */
        if (!write_cr(v, in.reg, *insn_reg(regs, in.rm))) return false;
        break;
    case 0x21: {                                    /* mov dr, reg */
        long val = pv_get_debugreg(v, in.reg & 7);
        if (val < 0 && val > -4096) return false;
        *insn_reg(regs, in.rm) = (unsigned long)val;
        break;
    }
    case 0x23:                                      /* mov reg, dr */
        if (pv_set_debugreg(v, in.reg & 7, *insn_reg(regs, in.rm))) return false;
        break;
    case 0x30: {                                    /* wrmsr */
        uint64_t val = ((regs->rdx & 0xffffffffUL) << 32) | (regs->rax & 0xffffffffUL);
        if (!write_msr(v, (uint32_t)regs->rcx, val)) {
            /* Before the guest has a #GP handler, swallow it (Xen-like). */
            if (has_gp_handler(v))
                return false;
            printk(LOG_DEBUG "d%uv%u: ignoring WRMSR %#x before the trap table\n",
                   d->domain_id, v->vcpu_id, (uint32_t)regs->rcx);
        }
        break;
    }
    case 0x32: {                                    /* rdmsr */
        uint64_t val = 0;
        if (!read_msr(v, (uint32_t)regs->rcx, &val)) {
            if (has_gp_handler(v))
                return false;
            val = 0;
        }
        regs->rax = (uint32_t)val;
        regs->rdx = (uint32_t)(val >> 32);
        break;
    }
    case 0x31: {                                    /* rdtsc (CR4.TSD set by guest) */
        uint64_t t = rdtsc();
        regs->rax = (uint32_t)t;
        regs->rdx = (uint32_t)(t >> 32);
        break;
    }
    case 0xa2: {                                    /* cpuid (if faulting) */
        uint32_t a, b, c, dd;
        pv_cpuid(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, &a, &b, &c, &dd);
        regs->rax = a; regs->rbx = b; regs->rcx = c; regs->rdx = dd;
        break;
    }
    default:
        return false;
    }
    regs->rip += in.len;
    return true;
}
