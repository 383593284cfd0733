/*
 * Per-vCPU PV state hypercalls: trap table, callbacks, kernel stack,
 * segment bases, FPU task-switched flag, debug registers, iret, the
 * virtual NMI callback, LDT, vm_assist. Semantics as Xen 4.17
 * (pv/callback.c, pv/misc-hypercalls.c, pv/iret.c).
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pavise/pagetype.h>
#include <pvabi/xen.h>
#include <pvabi/callback.h>
#include <pvabi/nmi.h>
#include <pvabi/errno.h>
#include <asm/desc.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <asm/flush.h>
#include <asm/percpu.h>

static bool canonical(uint64_t a)
{
    return ((int64_t)(a << 16) >> 16) == (int64_t)a;
}

long do_set_trap_table(struct trap_info *traps)
{
    struct vcpu *v = current;
    struct trap_info cur;

    if (!traps) {
        memset(v->arch.trap_ctxt, 0, sizeof(v->arch.trap_ctxt));
        return 0;
    }
    for (;;) {
        if (copy_from_guest_raw(&cur, traps, sizeof(cur)))
            return -XEN_EFAULT;
        if (cur.address == 0)
            break;
        if (!canonical(cur.address))
            return -XEN_EINVAL;
        if ((cur.cs & 3) < 3)
            cur.cs |= 3;
        v->arch.trap_ctxt[cur.vector] = cur;
        traps++;
        if (hypercall_preempt_check())
            return hypercall_create_continuation(__HYPERVISOR_set_trap_table, 1, (unsigned long)traps);
    }
    return 0;
}

/*
 * The NMI callback is trap table entry 2, written as an interrupt gate
 * (events masked on entry) for the kernel's code segment, as Xen's
 * register_guest_nmi_callback() does. Xen re-raises a pending physical
 * NMI reason here for dom0's vCPU 0; Pavise never forwards host NMIs.
 */
static long register_nmi_callback(struct vcpu *v, unsigned long address)
{
    struct trap_info *t = &v->arch.trap_ctxt[2];

    if (!canonical(address))
        return -XEN_EINVAL;
    t->vector = 2;
    t->flags = 0;
    TI_SET_IF(t, 1);                /* mask events on entry */
    t->cs = FLAT_KERNEL_CS;
    t->address = address;
    return 0;
}

static long unregister_nmi_callback(struct vcpu *v)
{
    memset(&v->arch.trap_ctxt[2], 0, sizeof(v->arch.trap_ctxt[2]));
    return 0;
}

static long register_callback(struct vcpu *v, const struct callback_register *reg)
{
    struct pv_callback cb = { reg->address, !!(reg->flags & CALLBACKF_mask_events) };

    if (!canonical(reg->address))
        return -XEN_EINVAL;
    switch (reg->type) {
    case CALLBACKTYPE_event:
        v->arch.event_callback.eip = reg->address;
        break;
    case CALLBACKTYPE_failsafe:
        v->arch.failsafe_callback = cb;
        break;
    case CALLBACKTYPE_syscall:
        v->arch.syscall_callback = cb;
        break;
    case CALLBACKTYPE_syscall32:
        v->arch.syscall32_callback = cb;
        break;
    case CALLBACKTYPE_sysenter:
        v->arch.sysenter_callback = cb;
        break;
    case CALLBACKTYPE_nmi:
        return register_nmi_callback(v, reg->address);
    default:
        return -XEN_ENOSYS;
    }
    return 0;
}

long do_callback_op(int cmd, void *arg)
{
    switch (cmd) {
    case CALLBACKOP_register: {
        struct callback_register reg;
        if (copy_from_guest_raw(&reg, arg, sizeof(reg)))
            return -XEN_EFAULT;
        return register_callback(current, &reg);
    }
    case CALLBACKOP_unregister: {
        struct callback_unregister unreg;
        if (copy_from_guest_raw(&unreg, arg, sizeof(unreg)))
            return -XEN_EFAULT;
        switch (unreg.type) {
        case CALLBACKTYPE_event:
        case CALLBACKTYPE_failsafe:
        case CALLBACKTYPE_syscall:
        case CALLBACKTYPE_syscall32:
        case CALLBACKTYPE_sysenter:
            return -XEN_EINVAL;
        case CALLBACKTYPE_nmi:
            return unregister_nmi_callback(current);
        default:
            return -XEN_ENOSYS;
        }
    }
    default:
        return -XEN_ENOSYS;
    }
}

long do_set_callbacks(unsigned long event, unsigned long failsafe, unsigned long syscall)
{
    struct callback_register r[3] = {
        { .type = CALLBACKTYPE_event, .address = event },
        { .type = CALLBACKTYPE_failsafe, .address = failsafe },
        { .type = CALLBACKTYPE_syscall, .address = syscall },
    };
    for (unsigned int i = 0; i < 3; i++)
        (void)register_callback(current, &r[i]);
    return 0;
}

long do_nmi_op(unsigned int cmd, void *arg)
{
    switch (cmd) {
    case XENNMI_register_callback: {
        struct xennmi_callback cb;
        if (copy_from_guest_raw(&cb, arg, sizeof(cb)))
            return -XEN_EFAULT;
        return register_nmi_callback(current, cb.handler_address);
    }
    case XENNMI_unregister_callback:
        return unregister_nmi_callback(current);
    default:
        return -XEN_ENOSYS;
    }
}

long do_stack_switch(unsigned long ss, unsigned long esp)
{
    struct vcpu *v = current;
    if ((ss & 3) < 3)
        ss |= 3;
    v->arch.kernel_ss = ss;
    v->arch.kernel_sp = esp;
    return 0;
}

long do_set_segment_base(unsigned int which, unsigned long base)
{
    struct vcpu *v = current;

    switch (which) {
    case SEGBASE_FS:
        if (!canonical(base))
            return -XEN_EINVAL;
        wrmsr(MSR_FS_BASE, base);
        v->arch.fs_base = base;
        return 0;
    case SEGBASE_GS_USER:
        if (!canonical(base))
            return -XEN_EINVAL;
        wrmsr(MSR_SHADOW_GS_BASE, base);
        v->arch.gs_base_user = base;
        return 0;
    case SEGBASE_GS_KERNEL:
        if (!canonical(base))
            return -XEN_EINVAL;
        wrmsr(MSR_GS_BASE, base);
        v->arch.gs_base_kernel = base;
        return 0;
    case SEGBASE_GS_USER_SEL: {
        unsigned int sel = (uint16_t)base;
        if (sel > 3)
            sel |= 3;
        /* Load the user %gs through the inactive base; a selector that
         * does not load becomes null (Linux BUGs on failure, so none). */
        __asm__ volatile("swapgs\n"
                         "1: movl %k0, %%gs\n"
                         "2:\n"
                         ".pushsection .text.fixup, \"ax\"\n"
                         "3: xorl %k0, %k0\n"
                         "   jmp 1b\n"
                         ".popsection\n"
                         ".pushsection .ex_table, \"a\"\n"
                         ".balign 4\n"
                         ".long 1b - ., 3b - .\n"
                         ".popsection\n"
                         : "+r"(sel));
        v->arch.gs_base_user = rdmsr(MSR_GS_BASE);
        __asm__ volatile("swapgs");
        return 0;
    }
    default:
        return -XEN_EINVAL;
    }
}

long do_fpu_taskswitch(int set)
{
    struct vcpu *v = current;
    if (set) {
        v->arch.cr0_ts = X86_CR0_TS;
        write_cr0(read_cr0() | X86_CR0_TS);
    } else {
        v->arch.cr0_ts = 0;
        write_cr0(read_cr0() & ~X86_CR0_TS);
    }
    return 0;
}

#define DR7_RESERVED_ZERO  0x0000d800UL       /* bits 11, 12, 14, 15 */
#define DR7_RESERVED_ONE   0x00000400UL       /* bit 10 */
#define DR7_GD             0x00002000UL
#define DR7_ACTIVE_MASK    0xffUL
#define DR6_DEFAULT        0xffff0ff0UL

static void write_dr(unsigned int n, unsigned long v)
{
    switch (n) {
    case 0: __asm__ volatile("mov %0, %%db0" :: "r"(v)); break;
    case 1: __asm__ volatile("mov %0, %%db1" :: "r"(v)); break;
    case 2: __asm__ volatile("mov %0, %%db2" :: "r"(v)); break;
    case 3: __asm__ volatile("mov %0, %%db3" :: "r"(v)); break;
    case 6: __asm__ volatile("mov %0, %%db6" :: "r"(v)); break;
    case 7: __asm__ volatile("mov %0, %%db7" :: "r"(v)); break;
    }
}

long pv_set_debugreg(struct vcpu *v, unsigned int reg, unsigned long value)
{
    bool de = v->arch.guest_cr4 & X86_CR4_DE;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        if (!guest_range_ok(value, sizeof(long)))
            return -XEN_EPERM;
        v->arch.debugreg[reg] = value;
        if (v == current && (v->arch.debugreg[7] & DR7_ACTIVE_MASK))
            write_dr(reg, value);
        return 0;
    case 4:
        if (de)
            return -XEN_ENODEV;
        /* fall through */
    case 6:
        if (value != (uint32_t)value)
            return -XEN_EINVAL;
        /* Reserved bits read as ones (RTM bit 16 included: no TSX here). */
        value = (value & 0xe00fUL) | DR6_DEFAULT;
        v->arch.debugreg[6] = value;
        return 0;
    case 5:
        if (de)
            return -XEN_ENODEV;
        /* fall through */
    case 7:
        if (value != (uint32_t)value)
            return -XEN_EINVAL;
        value = (value & ~DR7_RESERVED_ZERO) | DR7_RESERVED_ONE;
        if (value & DR7_GD)
            return -XEN_EPERM;
        if (value & DR7_ACTIVE_MASK) {
            /* I/O breakpoints need CR4.DE. */
            for (unsigned int i = 16; i < 32; i += 4)
                if (((value >> i) & 3) == 2 && !de)
                    return -XEN_EPERM;
            if (v == current)
                for (unsigned int i = 0; i < 4; i++)
                    write_dr(i, v->arch.debugreg[i]);
        }
        v->arch.debugreg[7] = value;
        /* Only the running vCPU's registers are live: another vCPU's (set
         * through VCPUOP_initialise) are loaded when it is switched in,
         * and must not arm breakpoints for whatever runs here now. */
        if (v == current)
            write_dr(7, value);
        return 0;
    default:
        return -XEN_ENODEV;
    }
}

long do_set_debugreg(int reg, unsigned long value)
{
    if (reg < 0)
        return -XEN_ENODEV;
    return pv_set_debugreg(current, (unsigned int)reg, value);
}

/* A debug register as the guest sees it (DR4/5 alias DR6/7 unless
 * CR4.DE); a negative Xen error for registers it has not. */
long pv_get_debugreg(struct vcpu *v, unsigned int reg)
{
    bool de = v->arch.guest_cr4 & X86_CR4_DE;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        return (long)v->arch.debugreg[reg];
    case 4:
        if (de) return -XEN_ENODEV;
        /* fall through */
    case 6:
        return (long)(v->arch.debugreg[6] ? v->arch.debugreg[6] : DR6_DEFAULT);
    case 5:
        if (de) return -XEN_ENODEV;
        /* fall through */
    case 7:
        return (long)(v->arch.debugreg[7] ? v->arch.debugreg[7] : DR7_RESERVED_ONE);
    default:
        return -XEN_ENODEV;
    }
}

long do_get_debugreg(int reg)
{
    if (reg < 0)
        return -XEN_ENODEV;
    return pv_get_debugreg(current, (unsigned int)reg);
}

long do_vm_assist(unsigned int cmd, unsigned int type)
{
    const unsigned long valid = (1UL << VMASST_TYPE_4gb_segments) |
                                (1UL << VMASST_TYPE_4gb_segments_notify) |
                                (1UL << VMASST_TYPE_writable_pagetables) |
                                (1UL << VMASST_TYPE_pae_extended_cr3) |
                                (1UL << VMASST_TYPE_architectural_iopl) |
                                (1UL << VMASST_TYPE_runstate_update_flag) |
                                (1UL << VMASST_TYPE_m2p_strict);
    struct domain *d = current->domain;

    if (type >= 64 || !(valid & (1UL << type)))
        return -XEN_EINVAL;
    switch (cmd) {
    case VMASST_CMD_enable:
        __atomic_fetch_or(&d->vm_assist, 1UL << type, __ATOMIC_SEQ_CST);
        return 0;
    case VMASST_CMD_disable:
        __atomic_fetch_and(&d->vm_assist, ~(1UL << type), __ATOMIC_SEQ_CST);
        return 0;
    }
    return -XEN_ENOSYS;
}

/* ------------------------------------------------------------ iret */

long do_iret(void)
{
    struct vcpu *v = current;
    struct cpu_regs *regs = &get_cpu_info()->guest_regs;
    struct iret_context c;

    if (copy_from_guest_raw(&c, (const void *)regs->rsp, sizeof(c))) {
        printk(LOG_ERR "d%uv%u: fault while reading the iret context at %#lx\n",
               v->domain->domain_id, v->vcpu_id, regs->rsp);
        pv_dump_guest_state(v, regs);
        domain_crash(v->domain, "bad iret context");
        return 0;
    }
    if ((c.cs & 3) == 3) {
        if (!v->arch.guest_table_user) {
            printk(LOG_ERR "d%uv%u: switching to user mode with no user page tables\n",
                   v->domain->domain_id, v->vcpu_id);
            domain_crash(v->domain, "iret to user mode without user page tables");
            return 0;
        }
        toggle_guest_mode(v);
    }
    if (v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl))
        v->arch.iopl = (unsigned int)((c.rflags & X86_EFLAGS_IOPL) >> 12);
    regs->rip = c.rip;
    regs->cs = c.cs | 3;
    regs->rflags = (c.rflags & ~(uint64_t)(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
    regs->rsp = c.rsp;
    regs->ss = c.ss | 3;
    if (!(c.flags & VGCF_in_syscall)) {
        regs->entry_vector &= ~TRAP_syscall;
        regs->r11 = c.r11;
        regs->rcx = c.rcx;
    }
    v->vcpu_info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
    /* An iret from the NMI handler re-enables virtual NMIs. */
    v->arch.nmi_masked = false;
    return (long)c.rax;
}

/* ------------------------------------------------------------ LDT */

static void ldt_unmap(struct vcpu *v)
{
    bool any = false;
    for (unsigned int i = 0; i < 16; i++) {
        pgentry_t *e = pv_ldt_l1e(v, i);
        if (e && (*e & _PAGE_PRESENT)) {
            put_page_and_type(mfn_to_page(pte_mfn(*e)));
            *e = 0;
            any = true;
        }
    }
    if (any)
        flush_tlb_local_record();
}

void pv_load_ldt(struct vcpu *v)
{
    if (!v->arch.ldt_ents) {
        __asm__ volatile("lldt %w0" :: "r"(0));
        return;
    }
    uint64_t *gdt = cpu_desc(get_cpu_info()->cpu_id)->gdt;
    uint64_t base = LDT_VIRT(v), limit = v->arch.ldt_ents * 8 - 1;
    unsigned int idx = (LDT_SEL - FIRST_RESERVED_GDT_BYTE) >> 3;
    gdt[idx] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x82UL << 40) |
               (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[idx + 1] = base >> 32;
    __asm__ volatile("lldt %w0" :: "r"(LDT_SEL));
}

long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents)
{
    if (v->arch.ldt_base == base && v->arch.ldt_ents == ents)
        return 0;
    ldt_unmap(v);
    v->arch.ldt_base = base;
    v->arch.ldt_ents = ents;
    if (v == current)
        pv_load_ldt(v);
    return 0;
}

/* Drop the LDT mappings (new page tables: they fault back in lazily). */
void pv_destroy_ldt_mappings(struct vcpu *v)
{
    ldt_unmap(v);
}

/* Map page 'page' of v's LDT in its LDT window: the guest's page must be
 * its own and become a descriptor page (Xen's pv_map_ldt_shadow_page). */
static bool ldt_map_page(struct vcpu *v, unsigned int page)
{
    mfn_t l1mfn;
    /* Translate through the kernel page tables. */
    bool user = !v->arch.kernel_mode;
    if (user)
        toggle_guest_mode(v);
    pgentry_t *p = map_guest_l1e(v->arch.ldt_base + page * PAGE_SIZE, &l1mfn);
    pgentry_t e = p ? *p : 0;
    if (user)
        toggle_guest_mode(v);
    if (!(e & _PAGE_PRESENT) || !mfn_valid(pte_mfn(e)))
        return false;
    struct page_info *pg = mfn_to_page(pte_mfn(e));
    if (get_page_and_type(pg, v->domain, PGT_seg_desc_page))
        return false;
    pgentry_t *slot = pv_ldt_l1e(v, page);
    if (!slot || (*slot & _PAGE_PRESENT)) {
        /* Already mapped: the fault was not for want of the mapping. */
        put_page_and_type(pg);
        return false;
    }
    *slot = mk_pte(pte_mfn(e), (PAGE_HV_RW & ~(uint64_t)_PAGE_GLOBAL) | pte_nx);
    return true;
}

/*
 * A #PF in v's LDT window (Xen's handle_ldt_mapping_fault): a descriptor
 * load touched an LDT page not mapped yet. Map it; if the guest's page
 * cannot be an LDT page (not present, still writable, not its own), the
 * guest gets the #PF at the address of its own LDT page, or #GP with the
 * selector if that address would not be canonical.
 *
 * Only the CPU's own descriptor reads (supervisor accesses, even when the
 * guest loads a selector in ring 3) are LDT faults, as in Xen's
 * fixup_page_fault(): the guest's own reads of the window are user-mode
 * accesses to a hypervisor address and get the #PF anything else there
 * would. (Handling those too mapped the page again and again while the
 * guest retried: a type reference per try.)
 */
bool pv_ldt_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long addr)
{
    unsigned long off = addr - LDT_VIRT(v);

    if (addr < LDT_VIRT(v) || off >= 64 * 1024 || (regs->error_code & (PFEC_USER | PFEC_RSVD)))
        return false;
    if (off < (unsigned long)v->arch.ldt_ents * 8 && ldt_map_page(v, (unsigned int)(off >> PAGE_SHIFT)))
        return true;
    unsigned long linear = v->arch.ldt_base + off;
    if (((int64_t)(linear << 16) >> 16) != (int64_t)linear)
        pv_inject_exception(v, regs, 13 /* #GP */, (int)((off & ~3UL) | 4));
    else
        pv_inject_page_fault(v, regs, linear, (uint32_t)regs->error_code);
    return true;
}

/*
 * The hypervisor itself touched an LDT page not mapped in the window yet:
 * load_segments() reloading a selector at a context switch, after the
 * guest changed its LDT. Map it and retry, as Xen's
 * handle_gdt_ldt_mapping_fault() does; if it cannot be mapped, the
 * caller's fixup nulls the selector.
 */
bool pv_ldt_fault_hypervisor(unsigned long addr, uint32_t error_code)
{
    struct vcpu *v = current;

    if (!v || is_idle_vcpu(v) || (error_code & (PFEC_USER | PFEC_RSVD)))
        return false;
    unsigned long off = addr - LDT_VIRT(v);
    if (addr < LDT_VIRT(v) || off >= (unsigned long)v->arch.ldt_ents * 8)
        return false;
    return ldt_map_page(v, (unsigned int)(off >> PAGE_SHIFT));
}
