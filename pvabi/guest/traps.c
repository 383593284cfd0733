/* The trap table, the C side of exception entry, and exception fixups. */
#include <pvguest/test.h>

extern const uint64_t trap_stubs[256];
extern const uint64_t __start_ex_table[], __stop_ex_table[];

static trap_handler_t handlers[256];
static uint8_t trap_dpl[256] = {
    [X86_EXC_BP] = 3,           /* int3 and into are for everyone */
    [X86_EXC_OF] = 3,
};
struct fault_record last_fault;
bool iret_via_syscall;

bool exc_has_error_code(unsigned int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
           v == 29 || v == 30;
}

void trap_set_handler(unsigned int vector, trap_handler_t fn)
{
    if (vector < 256)
        handlers[vector] = fn;
}

void trap_set_dpl(unsigned int vector, unsigned int dpl)
{
    if (vector < 256)
        trap_dpl[vector] = (uint8_t)(dpl & 3);
}

static void fill_entry(struct trap_info *t, unsigned int v)
{
    t->vector = (uint8_t)v;
    /* Mask events on entry, like an interrupt gate. */
    t->flags = (uint8_t)(trap_dpl[v] | 4);
    t->cs = FLAT_KERNEL_CS;
    t->address = trap_stubs[v];
}

void traps_fill_ctxt(struct trap_info ctxt[256])
{
    for (unsigned int v = 0; v < 256; v++)
        fill_entry(&ctxt[v], v);
}

long traps_install(void)
{
    /* 256 entries and the terminator; on the stack, as each vCPU
     * installs its own. */
    struct trap_info table[257];

    for (unsigned int v = 0; v < 256; v++)
        fill_entry(&table[v], v);
    memset(&table[256], 0, sizeof(table[256]));
    return HYPERVISOR_set_trap_table(table);
}

void fault_reset(void)
{
    memset(&last_fault, 0, sizeof(last_fault));
}

static bool fixup(struct trap_frame *f)
{
    for (const uint64_t *e = __start_ex_table; e < __stop_ex_table; e += 2) {
        if (e[0] != f->rip)
            continue;
        last_fault.hit = true;
        last_fault.vector = (uint8_t)f->vector;
        last_fault.error_code = f->error_code;
        last_fault.rip = f->rip;
        last_fault.cs = f->cs;
        last_fault.rflags = f->rflags;
        last_fault.rsp = f->rsp;
        last_fault.ss = f->ss;
        last_fault.rcx = f->rcx;
        last_fault.r11 = f->r11;
        last_fault.cr2 = f->vector == X86_EXC_PF ? this_vcpu_info()->arch.cr2 : 0;
        f->rip = e[1];
        return true;
    }
    return false;
}

static const char *vector_name(uint64_t v)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#09",
        "#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
        "#VE", "#CP",
    };

    if (v == TRAP_EVENT_UPCALL)
        return "event upcall";
    if (v == TRAP_FAILSAFE)
        return "failsafe callback";
    if (v < 32 && names[v])
        return names[v];
    return "vector";
}

__noreturn void trap_fatal(const struct trap_frame *f, const char *why)
{
    printk("%s: %s (%#lx) on vCPU %u, error code %#lx\n", why,
           vector_name(f->vector), f->vector, smp_processor_id(), f->error_code);
    printk("  rip %016lx cs %016lx rflags %016lx\n", f->rip, f->cs, f->rflags);
    printk("  rsp %016lx ss %016lx cr2 %016lx\n", f->rsp, f->ss,
           shared_info ? this_vcpu_info()->arch.cr2 : 0);
    printk("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    printk("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    test_error("%s %s at %#lx", why, vector_name(f->vector), f->rip);
}

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
    if (f->vector == TRAP_EVENT_UPCALL) {
        evtchn_do_upcall();
        return;
    }
    if (f->vector == TRAP_FAILSAFE)
        trap_fatal(f, "hypervisor could not restore segments");
    if (f->vector < 256 && handlers[f->vector] && handlers[f->vector](f))
        return;
    if (fixup(f))
        return;
    trap_fatal(f, "unexpected exception");
}
