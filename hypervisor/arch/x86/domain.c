/*
 * x86 parts of domains and vCPUs: the per-domain area (GDT/LDT windows),
 * guest mode toggling, and the context switch.
 */
#include <pavise/lib.h>
#include <pavise/arch.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/sched.h>
#include <pavise/smp.h>
#include <pavise/time.h>
#include <asm/pv.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include <asm/cpu.h>
#include <asm/page.h>
#include <asm/flush.h>
#include <asm/pirq.h>
#include <asm/extable.h>

/* ---------------------------------------------------------------- per-domain area */

int arch_domain_create(struct domain *d)
{
    pgentry_t *l3 = alloc_xenheap_pages(0);
    pgentry_t *l2 = alloc_xenheap_pages(0);
    if (!l3 || !l2) {
        free_xenheap_pages(l3, 0);
        free_xenheap_pages(l2, 0);
        return -12; /* ENOMEM */
    }
    /* One L2 (1 GiB) holds the GDT/LDT windows of up to 8192 vCPUs. */
    l3[l3_index(PERDOMAIN_VIRT_START)] = mk_pte(virt_to_mfn(l2), _PAGE_PRESENT | _PAGE_RW |
                                                _PAGE_ACCESSED | _PAGE_DIRTY);
    d->arch.perdomain_l3 = l3;
    d->arch.perdomain_l3e = mk_pte(virt_to_mfn(l3), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
                                   _PAGE_DIRTY);
    return 0;
}

static pgentry_t *perdomain_l2(const struct domain *d)
{
    return __va(d->arch.perdomain_l3[l3_index(PERDOMAIN_VIRT_START)] & PTE_ADDR_MASK);
}

/* The L1 entry mapping 'va' in the per-domain area (L1 created on demand). */
static pgentry_t *perdomain_l1e(struct domain *d, unsigned long va, bool create)
{
    pgentry_t *l2 = perdomain_l2(d);
    pgentry_t *e = &l2[l2_index(va)];
    if (!(*e & _PAGE_PRESENT)) {
        if (!create)
            return NULL;
        pgentry_t *l1 = alloc_xenheap_pages(0);
        if (!l1)
            return NULL;
        *e = mk_pte(virt_to_mfn(l1), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY);
    }
    pgentry_t *l1 = __va(*e & PTE_ADDR_MASK);
    return &l1[l1_index(va)];
}

void arch_domain_relinquish(struct domain *d)
{
    pirq_release_domain(d);
}

void arch_domain_destroy(struct domain *d)
{
    pirq_release_domain(d);
    if (!d->arch.perdomain_l3)
        return;
    pgentry_t *l2 = perdomain_l2(d);
    for (unsigned int i = 0; i < 512; i++)
        if (l2[i] & _PAGE_PRESENT)
            free_xenheap_pages(__va(l2[i] & PTE_ADDR_MASK), 0);
    free_xenheap_pages(l2, 0);
    free_xenheap_pages(d->arch.perdomain_l3, 0);
    d->arch.perdomain_l3 = NULL;
    xfree(d->arch.ioport_caps);
}

int arch_vcpu_create(struct vcpu *v)
{
    if (is_idle_vcpu(v))
        return 0;
    /* Make sure the L1 covering this vCPU's windows exists. */
    if (!perdomain_l1e(v->domain, GDT_VIRT(v), true))
        return -12;
    v->arch.kernel_mode = true;
    pv_map_gdt(v);
    return 0;
}



/* Guest GDT frames, hypervisor-only and writable (the CPU sets accessed
 * bits); unused frames show a zero page, so selectors there are null. */
void pv_map_gdt(struct vcpu *v)
{
    unsigned int used = (v->arch.gdt_ents + 511) / 512;
    for (unsigned int i = 0; i < NR_GDT_FRAMES; i++) {
        pgentry_t *e = perdomain_l1e(v->domain, GDT_VIRT(v) + i * PAGE_SIZE, true);
        *e = i < used ? mk_pte(v->arch.gdt_frames[i], (PAGE_HV_RW & ~(uint64_t)_PAGE_GLOBAL) | pte_nx)
                      : mk_pte(pv_zero_page_mfn(), (PAGE_HV_RW & ~(uint64_t)(_PAGE_GLOBAL | _PAGE_RW)) | pte_nx);
        flush_tlb_one_local(GDT_VIRT(v) + i * PAGE_SIZE);
    }
}

void pv_unmap_gdt(struct vcpu *v)
{
    v->arch.gdt_ents = 0;
    pv_map_gdt(v);
}

pgentry_t *pv_ldt_l1e(struct vcpu *v, unsigned int page)
{
    return perdomain_l1e(v->domain, LDT_VIRT(v) + page * PAGE_SIZE, true);
}

static void load_guest_gdt(struct vcpu *v, unsigned int cpu)
{
    pgentry_t *e = perdomain_l1e(v->domain, GDT_VIRT(v) + FIRST_RESERVED_GDT_PAGE * PAGE_SIZE, true);
    *e = mk_pte(virt_to_mfn(cpu_desc(cpu)->gdt), (PAGE_HV_RW & ~(uint64_t)_PAGE_GLOBAL) | pte_nx);
    flush_tlb_one_local(GDT_VIRT(v) + FIRST_RESERVED_GDT_PAGE * PAGE_SIZE);
    struct desc_ptr p = { .limit = 0xffff, .base = GDT_VIRT(v) };
    __asm__ volatile("lgdt %0" :: "m"(p));
}

/* ---------------------------------------------------------------- mode, CR3 */

void write_guest_cr3(struct vcpu *v)
{
    mfn_t m = v->arch.kernel_mode ? v->arch.guest_table : v->arch.guest_table_user;
    write_cr3(m ? m << PAGE_SHIFT : __pa(idle_pg_table));
}

void toggle_guest_mode(struct vcpu *v)
{
    v->arch.kernel_mode = !v->arch.kernel_mode;
    /* The active GS base is the kernel's in kernel mode, the user's in
     * user mode: the hardware keeps the other one in SHADOW_GS. */
    __asm__ volatile("swapgs" ::: "memory");
    write_guest_cr3(v);
    if (v->arch.kernel_mode)
        update_runstate_area(v);
}

/* ---------------------------------------------------------------- segments, FPU */

#define LOAD_SEG(seg, val) ({                                           \
    int __ok = 1;                                                       \
    __asm__ volatile("1: movl %k1, %%" #seg "\n"                        \
                     "2:\n"                                             \
                     ".pushsection .text.fixup, \"ax\"\n"               \
                     "3: xorl %k0, %k0\n"                               \
                     "   movl %k0, %%" #seg "\n"                        \
                     "   jmp 2b\n"                                      \
                     ".popsection\n"                                    \
                     _ASM_EXTABLE(1b, 3b)                               \
                     : "+r"(__ok) : "r"((unsigned int)(val)));          \
    __ok; })

static void save_segments(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;
    uint16_t s;
    __asm__ volatile("mov %%ds, %0" : "=r"(s)); a->ds = s;
    __asm__ volatile("mov %%es, %0" : "=r"(s)); a->es = s;
    __asm__ volatile("mov %%fs, %0" : "=r"(s)); a->fs = s;
    __asm__ volatile("mov %%gs, %0" : "=r"(s)); a->gs = s;
    a->fs_base = rdmsr(MSR_FS_BASE);
    if (a->kernel_mode) {
        a->gs_base_kernel = rdmsr(MSR_GS_BASE);
        a->gs_base_user = rdmsr(MSR_SHADOW_GS_BASE);
    } else {
        a->gs_base_user = rdmsr(MSR_GS_BASE);
        a->gs_base_kernel = rdmsr(MSR_SHADOW_GS_BASE);
    }
}

static void load_segments(struct vcpu *v)
{
    struct arch_vcpu *a = &v->arch;
    /* A selector the guest left that no longer loads becomes null
     * (Xen would bounce to the failsafe callback). */
    if (!LOAD_SEG(ds, a->ds)) a->ds = 0;
    if (!LOAD_SEG(es, a->es)) a->es = 0;
    if (!LOAD_SEG(fs, a->fs)) a->fs = 0;
    if (!LOAD_SEG(gs, a->gs)) a->gs = 0;
    wrmsr(MSR_FS_BASE, a->fs_base);
    wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
    wrmsr(MSR_SHADOW_GS_BASE, a->kernel_mode ? a->gs_base_user : a->gs_base_kernel);
}

static void save_fpu(struct vcpu *v)
{
    __asm__ volatile("clts; fxsave64 %0" : "=m"(v->arch.fpu));
    v->arch.fpu_initialised = true;
}

static void load_fpu(struct vcpu *v)
{
    __asm__ volatile("clts");
    if (v->arch.fpu_initialised) {
        __asm__ volatile("fxrstor64 %0" :: "m"(v->arch.fpu));
    } else {
        uint32_t mxcsr = 0x1f80;
        __asm__ volatile("fninit; ldmxcsr %0" :: "m"(mxcsr));
    }
    if (v->arch.cr0_ts)
        write_cr0(read_cr0() | X86_CR0_TS);
}

static void load_debugregs(struct vcpu *v)
{
    const unsigned long *dr = v->arch.debugreg;
    if (!(dr[7] & 0xff))
        return;
    __asm__ volatile("mov %0, %%db0" :: "r"(dr[0]));
    __asm__ volatile("mov %0, %%db1" :: "r"(dr[1]));
    __asm__ volatile("mov %0, %%db2" :: "r"(dr[2]));
    __asm__ volatile("mov %0, %%db3" :: "r"(dr[3]));
    __asm__ volatile("mov %0, %%db6" :: "r"(dr[6]));
    __asm__ volatile("mov %0, %%db7" :: "r"(dr[7]));
}

static void clear_debugregs(const struct vcpu *v)
{
    if (v->arch.debugreg[7] & 0xff)
        __asm__ volatile("mov %0, %%db7" :: "r"(0UL));
}

/* ---------------------------------------------------------------- switch */

void context_switch(struct vcpu *prev, struct vcpu *next)
{
    struct cpu_info *ci = get_cpu_info();
    unsigned int cpu = ci->cpu_id;

    local_irq_disable();
    if (!is_idle_vcpu(prev)) {
        prev->arch.regs = ci->guest_regs;
        save_segments(prev);
        save_fpu(prev);
        clear_debugregs(prev);
    }
    ci->curr_vcpu = next;
    /* The guest's own CR4 bits (TSD, DE, FSGSBASE) apply while it runs. */
    unsigned long cr4 = is_idle_vcpu(next) ? host_cr4 : pv_real_cr4(next);
    if (read_cr4() != cr4)
        write_cr4(cr4);
    if (is_idle_vcpu(next)) {
        load_hv_gdt(cpu);
        write_cr3(__pa(idle_pg_table));
    } else {
        if (boot_cpu.rdtscp || boot_cpu.rdpid)
            wrmsr(MSR_TSC_AUX, next->arch.tsc_aux);
        load_guest_gdt(next, cpu);
        write_guest_cr3(next);
        /* The LDT before the selectors: ds-gs may name LDT entries. */
        pv_load_ldt(next);
        load_segments(next);
        load_fpu(next);
        load_debugregs(next);
        ci->guest_regs = next->arch.regs;
    }
    /* Guest user mappings are global: a full flush, then this CPU no
     * longer holds prev's translations. */
    flush_tlb_local_record();
    if (!is_idle_vcpu(prev) && prev->domain != next->domain)
        __atomic_fetch_and(&prev->domain->arch.dirty_cpumask, ~(1UL << cpu), __ATOMIC_SEQ_CST);
    if (!is_idle_vcpu(next))
        __atomic_fetch_or(&next->domain->arch.dirty_cpumask, 1UL << cpu, __ATOMIC_SEQ_CST);
    sched_context_saved(prev);

    if (is_idle_vcpu(next))
        reset_stack_and_jump(idle_loop);
    update_vcpu_system_time(next);
    update_runstate_area(next);
    reset_stack_and_jump(exit_to_guest);
}
