/*
 * PV vCPU contexts: VCPUOP_initialise (Xen 4.17 arch_set_info_guest for
 * 64-bit PV), the x86 vcpu_op extras, and teardown of a vCPU's
 * references (page tables, GDT, LDT).
 */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/pagetype.h>
#include <pvabi/vcpu.h>
#include <pvabi/errno.h>
#include <asm/pv.h>
#include <asm/x86.h>

long pv_set_debugreg(struct vcpu *v, unsigned int reg, unsigned long value);
unsigned long pv_guest_cr4(const struct vcpu *v);
void pv_destroy_ldt_mappings(struct vcpu *v);

static bool canonical(uint64_t a)
{
    return ((int64_t)(a << 16) >> 16) == (int64_t)a;
}

static bool addr_ok(unsigned long a)
{
    return a < (1UL << 47) || a >= HV_VIRT_END;
}

/* Install a full context on a vCPU that has none yet. */
long arch_set_info_guest(struct vcpu *v, struct vcpu_guest_context *c)
{
    struct domain *d = v->domain;
    unsigned long flags = c->flags;

    if (!canonical(c->user_regs.rip) || !canonical(c->user_regs.rsp) ||
        !canonical(c->kernel_sp) || (c->ldt_ents && !canonical(c->ldt_base)) ||
        !canonical(c->fs_base) || !canonical(c->gs_base_kernel) || !canonical(c->gs_base_user) ||
        !canonical(c->event_callback_eip) || !canonical(c->syscall_callback_eip) ||
        !canonical(c->failsafe_callback_eip))
        return -XEN_EINVAL;
    for (unsigned int i = 0; i < 256; i++) {
        if (!canonical(c->trap_ctxt[i].address))
            return -XEN_EINVAL;
        if ((c->trap_ctxt[i].cs & 3) < 3)
            c->trap_ctxt[i].cs |= 3;
    }
    if (!addr_ok(c->ldt_base) || (c->ldt_base & (PAGE_SIZE - 1)) || c->ldt_ents > 8192)
        return -XEN_EINVAL;
    if (!(flags & VGCF_in_kernel) && !c->ctrlreg[1])
        return -XEN_EINVAL;

    struct arch_vcpu *a = &v->arch;
    BUILD_BUG_ON(sizeof(struct cpu_regs) > sizeof(c->user_regs));
    memcpy(&a->regs, &c->user_regs, sizeof(struct cpu_regs));
    a->regs.cs = (c->user_regs.cs & 0xffff) | 3;
    a->regs.ss = (c->user_regs.ss & 0xffff) | 3;
    a->regs.error_code = 0;
    a->regs.entry_vector = 0;
    a->ds = c->user_regs.ds;
    a->es = c->user_regs.es;
    a->fs = c->user_regs.fs;
    a->gs = c->user_regs.gs;
    /* IOPL is virtualised; hardware interrupts are always on. */
    a->iopl = (unsigned int)((c->user_regs.rflags & X86_EFLAGS_IOPL) >> 12);
    a->regs.rflags = (c->user_regs.rflags & ~(uint64_t)X86_EFLAGS_IOPL) | X86_EFLAGS_IF;

    memcpy(a->trap_ctxt, c->trap_ctxt, sizeof(a->trap_ctxt));
    a->kernel_mode = flags & VGCF_in_kernel;
    a->fpu_initialised = flags & VGCF_I387_VALID;
    if (a->fpu_initialised)
        memcpy(a->fpu, c->fpu_ctxt.x, sizeof(a->fpu));
    a->kernel_ss = c->kernel_ss | 3;
    a->kernel_sp = c->kernel_sp;
    a->event_callback.eip = c->event_callback_eip;
    a->failsafe_callback.eip = c->failsafe_callback_eip;
    a->failsafe_callback.mask_events = flags & VGCF_failsafe_disables_events;
    a->syscall_callback.eip = c->syscall_callback_eip;
    a->syscall_callback.mask_events = flags & VGCF_syscall_disables_events;
    a->fs_base = c->fs_base;
    a->gs_base_kernel = c->gs_base_kernel;
    a->gs_base_user = c->gs_base_user;
    a->ldt_base = c->ldt_base;
    a->ldt_ents = c->ldt_ents;
    a->cr0_ts = c->ctrlreg[0] & X86_CR0_TS;
    a->guest_cr4 = c->ctrlreg[4] & pv_cr4_guest_mask();
    memset(a->debugreg, 0, sizeof(a->debugreg));
    for (unsigned int i = 0; i < 8; i++)
        (void)pv_set_debugreg(v, i, c->debugreg[i]);
    if (v->vcpu_id == 0)
        d->vm_assist = c->vm_assist;

    long rc = pv_set_gdt(v, c->gdt_frames, c->gdt_ents);
    if (rc)
        return rc;
    mfn_t cr3 = c->ctrlreg[3] >> PAGE_SHIFT;
    if (!mfn_valid(cr3) || get_page_and_type(mfn_to_page(cr3), d, PGT_l4_page_table)) {
        pv_destroy_gdt(v);
        return -XEN_EINVAL;
    }
    mfn_t ucr3 = c->ctrlreg[1] >> PAGE_SHIFT;
    if (ucr3 && (!mfn_valid(ucr3) || get_page_and_type(mfn_to_page(ucr3), d, PGT_l4_page_table))) {
        put_page_and_type(mfn_to_page(cr3));
        pv_destroy_gdt(v);
        return -XEN_EINVAL;
    }
    pv_l4_ro_mpt(d, cr3, true);
    if (ucr3)
        pv_l4_ro_mpt(d, ucr3, false);
    a->guest_table = cr3;
    a->guest_table_user = ucr3;
    if (v->vcpu_id == 0)
        update_domain_wallclock_time(d);
    a->initialised = true;
    if (flags & VGCF_online)
        __atomic_fetch_and(&v->pause_flags, ~VPF_down, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_or(&v->pause_flags, VPF_down, __ATOMIC_SEQ_CST);
    return 0;
}

long arch_initialise_vcpu(struct vcpu *v, void *arg)
{
    struct domain *d = v->domain;
    struct vcpu_guest_context *c = xmalloc_bytes(sizeof(*c));
    long rc;

    if (!c)
        return -XEN_ENOMEM;
    if (copy_from_guest_raw(c, arg, sizeof(*c))) {
        xfree(c);
        return -XEN_EFAULT;
    }
    spin_lock(&d->lock);
    rc = v->arch.initialised ? -XEN_EEXIST : arch_set_info_guest(v, c);
    spin_unlock(&d->lock);
    xfree(c);
    return rc;
}

long arch_do_vcpu_op(int cmd, struct vcpu *v, void *arg)
{
    switch (cmd) {
    case VCPUOP_register_vcpu_time_memory_area: {
        struct vcpu_register_time_memory_area area;
        if (copy_from_guest_raw(&area, arg, sizeof(area)))
            return -XEN_EFAULT;
        unsigned long va = (unsigned long)area.addr.h.p;
        if (!guest_range_ok(va, sizeof(struct vcpu_time_info)))
            return -XEN_EFAULT;
        v->time_area_guest = va;
        if (v == current)
            update_vcpu_system_time(v);
        return 0;
    }
    case VCPUOP_get_physid:
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        return -XEN_EINVAL;
    default:
        return -XEN_ENOSYS;
    }
}

#include <asm/pirq.h>

/* Drop everything the vCPU holds on guest frames. */
void arch_vcpu_destroy(struct vcpu *v)
{
    if (is_idle_vcpu(v))
        return;
    pv_destroy_ldt_mappings(v);
    pv_destroy_gdt(v);
    if (v->arch.guest_table_user)
        put_page_and_type(mfn_to_page(v->arch.guest_table_user));
    if (v->arch.guest_table)
        put_page_and_type(mfn_to_page(v->arch.guest_table));
    v->arch.guest_table = v->arch.guest_table_user = 0;
}
