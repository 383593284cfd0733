/*
 * SYSCALL entry. SYSCALL does not switch stacks, so LSTAR/CSTAR point at
 * small per-CPU stubs that park %rax, load this CPU's stack (just above
 * cpu_info->guest_regs), push an exception-style frame (ss, rsp, rflags,
 * cs, rip) and jump to syscall_common (entry.S). The stubs live in a text
 * page and are written through its direct-map alias at boot.
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <pavise/smp.h>
#include <asm/config.h>
#include <asm/percpu.h>
#include <asm/x86.h>
#include <asm/smp.h>
#include <pvabi/xen.h>

#define STUB_SIZE 64

extern char syscall_stubs[], syscall_common[];
extern char *cpu_stack_block[];

static char *emit(char *p, const void *bytes, size_t n)
{
    memcpy(p, bytes, n);
    return p + n;
}

static char *emit_u64(char *p, uint64_t v) { return emit(p, &v, 8); }
static char *emit_u32(char *p, uint32_t v) { return emit(p, &v, 4); }

/* Write one stub at 'exec' (its executable address) through 'wr'. */
static void write_stub(char *exec, char *wr, struct cpu_info *ci, uint32_t cs)
{
    char *p = wr;
    uint64_t top = (uint64_t)&ci->guest_regs + sizeof(struct cpu_regs);
    uint64_t scratch = (uint64_t)&ci->scratch;

    p = emit(p, "\x48\xa3", 2);  p = emit_u64(p, scratch);   /* movabs %rax, scratch */
    p = emit(p, "\x48\x89\xe0", 3);                          /* mov %rsp, %rax */
    p = emit(p, "\x48\xbc", 2);  p = emit_u64(p, top);       /* movabs $top, %rsp */
    p = emit(p, "\x68", 1);      p = emit_u32(p, FLAT_KERNEL_SS);   /* push $ss */
    p = emit(p, "\x50", 1);                                  /* push %rax (rsp) */
    p = emit(p, "\x41\x53", 2);                              /* push %r11 (rflags) */
    p = emit(p, "\x68", 1);      p = emit_u32(p, cs);        /* push $cs */
    p = emit(p, "\x51", 1);                                  /* push %rcx (rip) */
    p = emit(p, "\x48\xa1", 2);  p = emit_u64(p, scratch);   /* movabs scratch, %rax */
    p = emit(p, "\xe9", 1);                                  /* jmp syscall_common */
    int32_t rel = (int32_t)((uint64_t)syscall_common - ((uint64_t)exec + (uint64_t)(p - wr) + 4));
    p = emit_u32(p, (uint32_t)rel);
    BUG_ON(p - wr > STUB_SIZE);
}

void syscall_init_cpu(unsigned int cpu)
{
    struct cpu_info *ci = get_cpu_info();
    char *lstar = syscall_stubs + cpu * 2 * STUB_SIZE;
    char *cstar = lstar + STUB_SIZE;

    BUILD_BUG_ON(NR_CPUS * 2 * STUB_SIZE > PAGE_SIZE);
    write_stub(lstar, __va(__pa(lstar)), ci, FLAT_KERNEL_CS64);
    write_stub(cstar, __va(__pa(cstar)), ci, FLAT_USER_CS32);
    wrmsr(MSR_STAR, ((uint64_t)(FLAT_RING3_CS32 & ~3) << 48) | ((uint64_t)HV_CS << 32));
    wrmsr(MSR_LSTAR, (uint64_t)lstar);
    wrmsr(MSR_CSTAR, (uint64_t)cstar);
    /* Entry clears IF, DF, TF, NT, AC: the hypervisor runs with a clean
     * RFLAGS; the guest's are in r11. */
    wrmsr(MSR_SYSCALL_MASK, X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_NT |
                            X86_EFLAGS_AC | X86_EFLAGS_IOPL);
    wrmsr(0x174, 0);        /* SYSENTER_CS = 0: sysenter raises #GP */
}
