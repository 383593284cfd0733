/*
 * PV exception delivery: exceptions taken in guest context are emulated
 * (privileged instructions, the forced-emulation prefix, writable page
 * tables) or bounced to the guest's trap table with Xen's frame layout:
 *
 *   guest stack, low -> high: rcx, r11, [error code], rip,
 *   cs | saved_upcall_mask << 32, rflags, rsp, ss
 *
 * If the guest was in user mode the frame goes on the kernel stack
 * registered with stack_switch (after switching to kernel mode);
 * otherwise on the current stack, with CS's RPL cleared to tell the guest
 * it interrupted its own kernel.
 */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/guest_access.h>
#include <pavise/sched.h>
#include <pavise/smp.h>
#include <pavise/softirq.h>
#include <pavise/trap.h>
#include <pavise/symbols.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include <asm/percpu.h>
#include <pvabi/xen.h>

#define TRAP_divide_error   0
#define TRAP_debug          1
#define TRAP_nmi            2
#define TRAP_int3           3
#define TRAP_overflow       4
#define TRAP_invalid_op     6
#define TRAP_no_device      7
#define TRAP_double_fault   8
#define TRAP_gp_fault       13
#define TRAP_page_fault     14
#define TRAP_machine_check  18

void pv_dump_guest_state(struct vcpu *v, const struct cpu_regs *r)
{
    struct domain *d = v->domain;
    printk(LOG_ERR "d%uv%u guest state (%s mode):\n", d->domain_id, v->vcpu_id,
           v->arch.kernel_mode ? "kernel" : "user");
    printk(LOG_ERR "  rip %04lx:%016lx  rflags %016lx  rsp %04lx:%016lx\n",
           r->cs, r->rip, r->rflags, r->ss, r->rsp);
    printk(LOG_ERR "  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx, r->rdx);
    printk(LOG_ERR "  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", r->rsi, r->rdi, r->rbp, r->r8);
    printk(LOG_ERR "  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", r->r9, r->r10, r->r11, r->r12);
    printk(LOG_ERR "  r13 %016lx r14 %016lx r15 %016lx\n", r->r13, r->r14, r->r15);
    printk(LOG_ERR "  cr2 %016lx  cr3 %016lx (kernel L4 mfn %#lx, user L4 mfn %#lx)\n",
           v->arch.cr2, read_cr3(), v->arch.guest_table, v->arch.guest_table_user);
    printk(LOG_ERR "  fs_base %016lx gs_base_kernel %016lx gs_base_user %016lx\n",
           v->arch.fs_base, v->arch.gs_base_kernel, v->arch.gs_base_user);
    printk(LOG_ERR "  upcall mask %u pending %u  kernel_sp %016lx\n",
           v->vcpu_info->evtchn_upcall_mask, v->vcpu_info->evtchn_upcall_pending, v->arch.kernel_sp);
    /* A few words of the guest stack, if readable. */
    uint64_t stk[6];
    if (!copy_from_guest_raw(stk, (const void *)r->rsp, sizeof(stk)))
        printk(LOG_ERR "  stack: %016lx %016lx %016lx %016lx %016lx %016lx\n",
               stk[0], stk[1], stk[2], stk[3], stk[4], stk[5]);
}

void pv_create_bounce_frame(struct vcpu *v, struct cpu_regs *regs, unsigned long eip,
                            unsigned int flags, uint32_t error_code)
{
    struct vcpu_info *vi = v->vcpu_info;
    unsigned long sp;
    uint64_t frame[9];
    unsigned int n = 0;
    uint64_t cs = regs->cs;

    if (!eip) {
        domain_crash(v->domain, "bounce to a null handler");
        return;
    }
    if (!v->arch.kernel_mode) {
        toggle_guest_mode(v);
        sp = v->arch.kernel_sp;
    } else {
        sp = regs->rsp;
        cs &= ~3UL;             /* tell the guest it interrupted its kernel */
    }
    sp &= ~0xfUL;

    uint8_t saved_mask = vi->evtchn_upcall_mask;
    if (flags & TBF_INTERRUPT)
        vi->evtchn_upcall_mask = 1;

    uint64_t rflags = regs->rflags & ~(uint64_t)(X86_EFLAGS_IF | X86_EFLAGS_IOPL);
    if (!saved_mask)
        rflags |= X86_EFLAGS_IF;
    if (v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl))
        rflags |= (uint64_t)v->arch.iopl << 12;

    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if (flags & TBF_EXCEPTION_ERRCODE)
        frame[n++] = error_code;
    frame[n++] = regs->rip;
    frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
    frame[n++] = rflags;
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;

    sp -= n * 8;
    if (!guest_range_ok(sp, n * 8) || copy_to_guest_raw((void *)sp, frame, n * 8)) {
        printk(LOG_ERR "d%uv%u: cannot write an exception frame at %#lx\n",
               v->domain->domain_id, v->vcpu_id, sp);
        pv_dump_guest_state(v, regs);
        domain_crash(v->domain, "bad guest kernel stack");
        return;
    }
    regs->entry_vector |= TRAP_syscall;
    regs->rflags &= ~(uint64_t)(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF |
                                X86_EFLAGS_NT | X86_EFLAGS_TF);
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = sp;
    regs->cs = FLAT_KERNEL_CS;
    regs->rip = eip;
}

static void unhandled(struct vcpu *v, struct cpu_regs *regs, unsigned int vec, int ec)
{
    printk(LOG_ERR "d%uv%u: unhandled %s (vector %u, error %#x): no guest handler\n",
           v->domain->domain_id, v->vcpu_id, trap_name(vec), vec, ec);
    pv_dump_guest_state(v, regs);
    domain_crash(v->domain, "unhandled exception");
}

void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vec, int error_code)
{
    const struct trap_info *ti = &v->arch.trap_ctxt[vec];
    unsigned int flags = TBF_EXCEPTION;

    if (!ti->address) {
        unhandled(v, regs, vec, error_code);
        return;
    }
    if (error_code >= 0)
        flags |= TBF_EXCEPTION_ERRCODE;
    if (TI_GET_IF(ti))
        flags |= TBF_INTERRUPT;
    pv_create_bounce_frame(v, regs, ti->address, flags, (uint32_t)error_code);
}

void pv_inject_page_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long cr2, uint32_t ec)
{
    v->arch.cr2 = cr2;
    v->vcpu_info->arch.cr2 = cr2;
    /* A kernel-mode fault is reported to the guest as a supervisor one. */
    if (v->arch.kernel_mode)
        ec &= ~PFEC_USER;
    pv_inject_exception(v, regs, TRAP_page_fault, (int)ec);
}

/* "int N" from ring 3 arrives as #GP with error code N*8+2 (IDT, not GDT). */
static bool software_interrupt(struct vcpu *v, struct cpu_regs *regs)
{
    if ((regs->error_code & 7) != 2)
        return false;
    unsigned int vec = regs->error_code >> 3;
    const struct trap_info *ti = &v->arch.trap_ctxt[vec];
    /* Kernel mode counts as ring 1 for the DPL check, user mode as 3. */
    unsigned int need = v->arch.kernel_mode ? 1 : 3;
    if (!ti->address || TI_GET_DPL(ti) < need)
        return false;
    regs->rip += 2;             /* int imm8 */
    pv_create_bounce_frame(v, regs, ti->address, TI_GET_IF(ti) ? TBF_INTERRUPT : 0, 0);
    return true;
}

void do_guest_trap(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    unsigned int vec = regs->entry_vector;
    unsigned long cr2 = vec == TRAP_page_fault ? read_cr2() : 0;

    local_irq_enable();
    switch (vec) {
    case TRAP_page_fault:
        if (pv_ldt_fault(v, regs, cr2) || pv_ptwr_fault(regs, cr2, regs->error_code))
            return;
        pv_inject_page_fault(v, regs, cr2, regs->error_code);
        return;
    case TRAP_gp_fault:
        if (regs->error_code == 0 && pv_emulate_privileged_op(regs))
            return;
        if (software_interrupt(v, regs))
            return;
        pv_inject_exception(v, regs, vec, (int)regs->error_code);
        return;
    case TRAP_invalid_op:
        if (v->arch.kernel_mode && pv_emulate_forced_invalid_op(regs))
            return;
        pv_inject_exception(v, regs, vec, -1);
        return;
    case TRAP_no_device:
        /* The guest's virtual CR0.TS was set: clear it and tell it. */
        if (v->arch.cr0_ts) {
            v->arch.cr0_ts = 0;
            write_cr0(read_cr0() & ~X86_CR0_TS);
            pv_inject_exception(v, regs, vec, -1);
        } else {
            write_cr0(read_cr0() & ~X86_CR0_TS);
        }
        return;
    case TRAP_nmi:
        /* A host NMI: ignore it; guests get virtual NMIs only. */
        return;
    case TRAP_machine_check:
    case TRAP_double_fault:
        show_registers(regs);
        panic("%s while running d%uv%u", trap_name(vec), v->domain->domain_id, v->vcpu_id);
    case 10: case 11: case 12: case 17:
        pv_inject_exception(v, regs, vec, (int)regs->error_code);
        return;
    default:
        pv_inject_exception(v, regs, vec, -1);
        return;
    }
}

/*
 * int $0x80 (Xen's int80 direct trap): delivered to the guest's vector
 * 0x80 handler whatever its DPL; without one it becomes the #GP a DPL-0
 * gate would have raised, with rip back on the instruction.
 */
void do_guest_int80(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    const struct trap_info *ti = &v->arch.trap_ctxt[0x80];

    local_irq_enable();
    if (ti->address) {
        pv_create_bounce_frame(v, regs, ti->address,
                               TBF_EXCEPTION | (TI_GET_IF(ti) ? TBF_INTERRUPT : 0), 0);
        return;
    }
    regs->rip -= 2;
    regs->error_code = (0x80 << 3) | 2;
    regs->entry_vector = TRAP_gp_fault;
    do_guest_trap(regs);
}

/*
 * A virtual NMI goes to trap table entry 2 and masks further NMIs until
 * the next iret hypercall. With no handler there it is dropped, not kept
 * pending (as Xen 4.17: set_guest_nmi_trapbounce()).
 */
static void deliver_nmi(struct vcpu *v, struct cpu_regs *regs)
{
    const struct trap_info *ti = &v->arch.trap_ctxt[2];

    __atomic_store_n(&v->arch.nmi_pending, false, __ATOMIC_SEQ_CST);
    if (!ti->address) {
        if (!v->arch.nmi_drop_warned)
            printk(LOG_WARNING "d%uv%u: NMI dropped: no handler (further ones silently)\n",
                   v->domain->domain_id, v->vcpu_id);
        v->arch.nmi_drop_warned = true;
        return;
    }
    v->arch.nmi_masked = true;
    pv_create_bounce_frame(v, regs, ti->address, TI_GET_IF(ti) ? TBF_INTERRUPT : 0, 0);
}

/*
 * The way back into a guest. Softirqs first (they may switch vCPUs, in
 * which case this does not return here), then pending virtual NMIs and
 * event upcalls, then the iret.
 */
void restore_guest(struct cpu_regs *regs) __attribute__((noreturn));

__noreturn void exit_to_guest(void)
{
    struct cpu_info *ci = get_cpu_info();
    struct cpu_regs *regs = &ci->guest_regs;

    for (;;) {
        local_irq_disable();
        if (softirq_pending(ci->cpu_id)) {
            local_irq_enable();
            do_softirq();
            continue;
        }
        struct vcpu *v = ci->curr_vcpu;
        if (v->domain->state != DOM_ACTIVE || !vcpu_runnable(v)) {
            /* Crashed or paused under our feet: let the scheduler act. */
            local_irq_enable();
            raise_softirq(SCHEDULE_SOFTIRQ);
            continue;
        }
        if (v->arch.nmi_pending && !v->arch.nmi_masked) {
            local_irq_enable();
            deliver_nmi(v, regs);
            continue;
        }
        struct vcpu_info *vi = v->vcpu_info;
        if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask) {
            local_irq_enable();
            pv_create_bounce_frame(v, regs, v->arch.event_callback.eip, TBF_INTERRUPT, 0);
            continue;
        }
        break;
    }
    /* The guest always runs with IF set and IOPL 0: its virtual IF is the
     * upcall mask, its virtual IOPL is v->arch.iopl. */
    regs->rflags = (regs->rflags | X86_EFLAGS_IF) & ~(uint64_t)X86_EFLAGS_IOPL;
    regs->cs |= 3;
    regs->ss |= 3;
    restore_guest(regs);
}

/* iretq to the guest faulted (a bad selector in its frame). */
void pv_iret_fault(void);
void pv_iret_fault(void)
{
    struct vcpu *v = current;
    /* Reached from the exit path with interrupts off. domain_crash() takes
     * the domain's lock, which another vCPU may hold while it waits for a
     * TLB-flush IPI this CPU must answer. */
    local_irq_enable();
    printk(LOG_ERR "d%uv%u: fault returning to the guest\n", v->domain->domain_id, v->vcpu_id);
    pv_dump_guest_state(v, &get_cpu_info()->guest_regs);
    domain_crash(v->domain, "bad return frame");
    exit_to_guest();
}

/*
 * SYSCALL from the guest: a hypercall when issued in guest-kernel mode,
 * otherwise the guest's own system call, bounced to its syscall callback
 * (toggling to kernel mode), with DF cleared as Xen does.
 */
void pv_syscall(struct cpu_regs *regs);
void pv_syscall(struct cpu_regs *regs)
{
    struct vcpu *v = current;
    bool compat = (regs->cs & 0xffff) == FLAT_USER_CS32;

    if (v->arch.kernel_mode && !compat) {
        pv_hypercall(regs);
        return;
    }
    const struct pv_callback *cb = compat ? &v->arch.syscall32_callback : &v->arch.syscall_callback;
    if (!cb->eip) {
        /* No handler: the instruction is invalid for the guest. */
        regs->rip -= 2;
        pv_inject_exception(v, regs, TRAP_invalid_op, -1);
        return;
    }
    /* The guest's CS/SS in user mode are its flat 64-bit (or 32-bit) ones. */
    regs->cs = compat ? FLAT_USER_CS32 : FLAT_USER_CS64;
    regs->ss = FLAT_USER_SS;
    pv_create_bounce_frame(v, regs, cb->eip, cb->mask_events ? TBF_INTERRUPT : 0, 0);
    regs->rflags &= ~(uint64_t)X86_EFLAGS_DF;
}
