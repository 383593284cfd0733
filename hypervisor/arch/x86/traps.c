/*
 * Exceptions and interrupts taken by the hypervisor. A fault in hypervisor
 * context either has an exception-table fixup (deliberate probes, guest
 * memory access) or is fatal: register dump, backtrace, machine stop.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/symbols.h>
#include <pavise/trap.h>
#include <asm/x86.h>
#include <asm/regs.h>
#include <asm/percpu.h>
#include <asm/extable.h>
#include <asm/pv.h>

static const char *const exc_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved 15", "#MF x87 FP error", "#AC alignment check",
    "#MC machine check", "#XM SIMD FP", "#VE virtualization", "#CP control protection",
    "reserved 22", "reserved 23", "reserved 24", "reserved 25", "reserved 26",
    "reserved 27", "#HV hypervisor injection", "#VC VMM communication",
    "#SX security", "reserved 31",
};

const char *trap_name(unsigned int vec)
{
    return vec < 32 ? exc_names[vec] : "interrupt";
}

struct extable_entry {
    int32_t insn;
    int32_t fixup;
};
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

bool extable_fixup(struct cpu_regs *regs)
{
    for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
        unsigned long insn = (unsigned long)&e->insn + (long)e->insn;
        if (insn == regs->rip) {
            regs->rip = (unsigned long)&e->fixup + (long)e->fixup;
            return true;
        }
    }
    return false;
}

bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
    uint32_t lo, hi;
    int ok = 1;
    __asm__ volatile("1: rdmsr\n"
                     "2:\n"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "3: xorl %[ok], %[ok]\n"
                     "   xorl %%eax, %%eax\n"
                     "   xorl %%edx, %%edx\n"
                     "   jmp 2b\n"
                     ".popsection\n"
                     _ASM_EXTABLE(1b, 3b)
                     : "=a"(lo), "=d"(hi), [ok] "+r"(ok) : "c"(msr));
    *val = ((uint64_t)hi << 32) | lo;
    return ok;
}

bool wrmsr_safe(uint32_t msr, uint64_t val)
{
    int ok = 1;
    __asm__ volatile("1: wrmsr\n"
                     "2:\n"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "3: xorl %[ok], %[ok]\n"
                     "   jmp 2b\n"
                     ".popsection\n"
                     _ASM_EXTABLE(1b, 3b)
                     : [ok] "+r"(ok) : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)) : "memory");
    return ok;
}

void show_backtrace(unsigned long rbp, unsigned long rip)
{
    char sym[96];
    unsigned long lo, hi;
    unsigned long sp;

    __asm__("mov %%rsp, %0" : "=r"(sp));
    lo = ROUNDDOWN(sp, STACK_SIZE);
    hi = lo + STACK_SIZE;

    printk("Backtrace:\n");
    symbol_format(sym, sizeof(sym), rip);
    printk("   [<%016lx>] %s\n", rip, sym);
    for (int depth = 0; depth < 32; depth++) {
        /* Frames must stay inside this CPU's stack block and be aligned. */
        if (rbp < lo || rbp + 16 > hi || (rbp & 7))
            break;
        unsigned long ret = ((unsigned long *)rbp)[1];
        unsigned long next = ((unsigned long *)rbp)[0];
        if (!ret)
            break;
        symbol_format(sym, sizeof(sym), ret);
        printk("   [<%016lx>] %s\n", ret, sym);
        if (next <= rbp)
            break;
        rbp = next;
    }
}

void show_registers(const struct cpu_regs *r)
{
    char sym[96];
    bool guest = regs_from_guest(r);

    symbol_format(sym, sizeof(sym), r->rip);
    printk("----[ Pavise " PACKAGE_VERSION " x86_64 ]----\n");
    printk("CPU:    %u   CONTEXT: %s\n", smp_processor_id(), guest ? "guest" : "hypervisor");
    printk("RIP:    %04lx:[<%016lx>] %s\n", r->cs, r->rip, guest ? "" : sym);
    printk("RFLAGS: %016lx   ERROR: %08x   VECTOR: %u\n", r->rflags, r->error_code, r->entry_vector);
    printk("rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    printk("rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk("rbp: %016lx   rsp: %016lx   r8:  %016lx\n", r->rbp, r->rsp, r->r8);
    printk("r9:  %016lx   r10: %016lx   r11: %016lx\n", r->r9, r->r10, r->r11);
    printk("r12: %016lx   r13: %016lx   r14: %016lx\n", r->r12, r->r13, r->r14);
    printk("r15: %016lx   ss:  %04lx\n", r->r15, r->ss);
    printk("cr0: %016lx   cr4: %016lx\n", read_cr0(), read_cr4());
    printk("cr3: %016lx   cr2: %016lx\n", read_cr3(), read_cr2());
}

static __noreturn void fatal_trap(const struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    console_lock_break();
    printk(LOG_ERR "FATAL TRAP: vector %u, %s%s\n", vec, trap_name(vec),
           vec == 14 ? "" : "");
    if (vec == 14)
        printk(LOG_ERR "Faulting linear address: %016lx (%s %s%s%s)\n", read_cr2(),
               regs->error_code & 1 ? "protection" : "not-present",
               regs->error_code & 2 ? "write" : "read",
               regs->error_code & 4 ? " user" : "",
               regs->error_code & 16 ? " ifetch" : "");
    show_registers(regs);
    if (!regs_from_guest(regs))
        show_backtrace(regs->rbp, regs->rip);
    panic("fatal trap %u (%s) at %016lx", vec, trap_name(vec), regs->rip);
}

void do_trap(struct cpu_regs *regs);
void do_trap(struct cpu_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    if (vec == 0x80 && regs_from_guest(regs)) {
        do_guest_int80(regs);
        return;
    }
    if (vec >= 32) {
        do_irq(regs);
        return;
    }
    if (regs_from_guest(regs)) {
        do_guest_trap(regs);
        return;
    }
    if (vec == 2) {
        printk(LOG_WARNING "NMI on CPU%u, ignored\n", smp_processor_id());
        return;
    }
    if (vec == 1) {
        /*
         * A guest's data breakpoint (DR0-3 may point at any guest address)
         * hit while the hypervisor accessed that guest memory, e.g. a
         * hypercall buffer. A trap, not a fault: note it and carry on, as
         * Xen 4.17's do_debug does. Instruction breakpoints and GD cannot
         * be set on hypervisor code, and entry clears TF. Debug level: a
         * guest can raise it at will.
         */
        unsigned long dr6;
        __asm__ volatile("mov %%db6, %0" : "=r"(dr6));
        __asm__ volatile("mov %0, %%db6" :: "r"(0xffff0ff0UL));
        printk(LOG_DEBUG "#DB in hypervisor context at %016lx, dr6 %lx\n", regs->rip, dr6);
        return;
    }
    if (vec == 14 && pv_ldt_fault_hypervisor(read_cr2(), regs->error_code))
        return;
    if ((vec == 6 || (vec >= 11 && vec <= 14)) && extable_fixup(regs))
        return;
    fatal_trap(regs);
}

__attribute__((noinline)) void backtrace_here(void)
{
    show_backtrace((unsigned long)__builtin_frame_address(0), (unsigned long)backtrace_here);
}
