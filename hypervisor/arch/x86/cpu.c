/* CPU feature detection and the per-CPU control-register/MSR set-up. */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <asm/cpu.h>
#include <asm/x86.h>
#include <asm/page.h>
#include <asm/percpu.h>
#include <asm/smp.h>

struct cpu_features boot_cpu;
unsigned long host_cr4;

void cpu_detect(void)
{
    uint32_t a, b, c, d;
    struct cpu_features *f = &boot_cpu;

    cpuid(0, &a, &b, &c, &d);
    f->max_leaf = a;
    memcpy(f->vendor, &b, 4);
    memcpy(f->vendor + 4, &d, 4);
    memcpy(f->vendor + 8, &c, 4);
    f->vendor[12] = 0;
    f->intel = !strcmp(f->vendor, "GenuineIntel");
    cpuid(1, &a, &b, &c, &d);
    f->mce = (d & (1u << 7)) && (d & (1u << 14));   /* MCE and MCA */
    f->xsave = c & (1u << 26);
    f->tsc_deadline = c & (1u << 24);
    f->pge = d & (1u << 13);
    if (f->max_leaf >= 7) {
        cpuid_count(7, 0, &a, &b, &c, &d);
        f->fsgsbase = b & 1;
        f->smep = b & (1u << 7);
        f->smap = b & (1u << 20);
        f->rdpid = c & (1u << 22);
    }
    cpuid(0x80000000, &a, &b, &c, &d);
    f->max_ext_leaf = a;
    if (a >= 0x80000001) {
        cpuid(0x80000001, &a, &b, &c, &d);
        f->nx = d & (1u << 20);
        f->pdpe1gb = d & (1u << 26);
        f->rdtscp = d & (1u << 27);
    }
    if (f->max_ext_leaf >= 0x80000007) {
        cpuid(0x80000007, &a, &b, &c, &d);
        f->invtsc = d & (1u << 8);
    }
    printk("CPU: %s, features:%s%s%s%s%s%s\n", f->vendor,
           f->nx ? " nx" : "", f->smep ? " smep" : "", f->smap ? " smap" : "",
           f->pdpe1gb ? " 1g-pages" : "", f->tsc_deadline ? " tsc-deadline" : "",
           f->invtsc ? " invariant-tsc" : "");
}

void cpu_init_common(unsigned int cpu)
{
    unsigned long cr4 = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

    if (boot_cpu.smep)
        cr4 |= X86_CR4_SMEP;
    /* Machine checks raise #MC (a fatal dump) instead of shutting down. */
    if (boot_cpu.mce)
        cr4 |= X86_CR4_MCE;
    /* AM as on Xen: guests (ring 3) get alignment checks when they set
     * EFLAGS.AC; ring 0 is never checked. */
    write_cr0((read_cr0() | X86_CR0_NE | X86_CR0_WP | X86_CR0_MP | X86_CR0_AM) &
              ~(X86_CR0_EM | X86_CR0_TS));
    write_cr4(cr4);
    host_cr4 = cr4;
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | (boot_cpu.nx ? EFER_NXE : 0));
    wrmsr(MSR_PAT, PAT_VALUE);
    syscall_init_cpu(cpu);
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
    wrmsr(MSR_SHADOW_GS_BASE, 0);
    get_cpu_info()->cpu_id = cpu;
}
