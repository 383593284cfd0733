/* Secondary vCPUs, address translation, spin locks. */
#include <pvguest/test.h>

extern uint8_t cpu_stacks[NR_CPUS][STACK_SIZE];
extern const char ap_entry[], event_callback_entry[], failsafe_callback_entry[];

unsigned long virt_to_mfn(const void *va)
{
    const unsigned long *p2m = (const unsigned long *)start_info->mfn_list;

    return p2m[((unsigned long)va - GUEST_VIRT_BASE) >> PAGE_SHIFT];
}

unsigned long mfn_to_pfn(unsigned long mfn)
{
    return ((const unsigned long *)MACH2PHYS_VIRT_START)[mfn];
}

void spin_lock(spinlock_t *l)
{
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
        while (READ_ONCE(l->locked))
            cpu_relax();
}

void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

void smp_fill_context(struct vcpu_guest_context *ctx, unsigned int cpu,
                      void (*fn)(unsigned int cpu))
{
    unsigned long stack_top = (unsigned long)cpu_stacks[cpu] + STACK_SIZE;
    struct percpu *pc = (struct percpu *)cpu_stacks[cpu];

    pc->cpu = cpu;
    pc->vcpu_info = &shared_info->vcpu_info[cpu];
    pc->entry = fn;

    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = VGCF_in_kernel;
    ctx->user_regs.rip = (unsigned long)ap_entry;
    ctx->user_regs.rsp = stack_top;
    ctx->user_regs.rdi = cpu;
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.rflags = X86_EFLAGS_IF;
    traps_fill_ctxt(ctx->trap_ctxt);
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = stack_top;
    ctx->ctrlreg[3] = xen_pfn_to_cr3(virt_to_mfn((void *)start_info->pt_base));
    ctx->event_callback_eip = (unsigned long)event_callback_entry;
    ctx->failsafe_callback_eip = (unsigned long)failsafe_callback_entry;
}

long smp_start_cpu(unsigned int cpu, void (*fn)(unsigned int cpu))
{
    static struct vcpu_guest_context ctx;
    static spinlock_t lock;
    long rc;

    if (cpu == 0 || cpu >= NR_CPUS)
        return -XEN_EINVAL;
    spin_lock(&lock);
    smp_fill_context(&ctx, cpu, fn);
    /* The new vCPU starts with events masked in its vcpu_info. */
    shared_info->vcpu_info[cpu].evtchn_upcall_mask = 1;
    rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, &ctx);
    if (!rc)
        rc = HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
    spin_unlock(&lock);
    return rc;
}

/* First C code on a secondary vCPU (from ap_entry). */
void ap_start(unsigned int cpu);
void ap_start(unsigned int cpu)
{
    struct percpu *pc = this_cpu();
    long rc = traps_install();

    if (rc)
        test_error("vCPU %u: set_trap_table: %ld", cpu, rc);
    rc = events_init_cpu();
    if (rc)
        test_error("vCPU %u: callback_op: %ld", cpu, rc);
    pc->entry(cpu);
    /* Done: take ourselves down (synchronous for the calling vCPU). */
    for (;;)
        HYPERVISOR_vcpu_op(VCPUOP_down, cpu, NULL);
}
