/*
 * traps: exceptions and software interrupts reach the guest's trap-table
 * handlers with Xen's bounce frame (rcx, r11 below [error,] rip, cs,
 * rflags, rsp, ss; the saved upcall mask in cs bits 39:32), #PF reports
 * its address in vcpu_info.arch.cr2, "int n" follows the trap table's DPL,
 * and the iret hypercall returns (through the hypercall page or a direct
 * SYSCALL).
 */
#include <pvguest/test.h>

const char test_title[] = "traps: exception delivery, bounce frame, int n DPL, iret";

#define NONCANON 0x8000000000000000UL
#define UNMAPPED 0x1000UL

/* Run one faulting instruction sequence; "1:" marks the instruction, "2:"
 * the resume point. A fault reports rip = 1:, a trap rip = 2:; both
 * resume at 2:. Returns the address of 1:. */
#define FAULT_AT(insns, ...) ({                                             \
    unsigned long at_;                                                      \
    fault_reset();                                                          \
    __asm__ __volatile__("lea 1f(%%rip), %0\n" insns "\n2:\n"               \
                         _ASM_EXTABLE(1b, 2b) _ASM_EXTABLE(2b, 2b)          \
                         : "=&r"(at_) : __VA_ARGS__ : "rax", "rcx", "rdx",  \
                           "r11", "memory");                                \
    at_; })

static void check_fault(const char *what, unsigned int vector, unsigned long rip,
                        unsigned long err)
{
    char name[128];

    snprintf(name, sizeof(name), "%s: delivered as vector %u", what, vector);
    check(last_fault.hit && last_fault.vector == vector, name, "hit %d vector %u",
          last_fault.hit, last_fault.vector);
    snprintf(name, sizeof(name), "%s: rip", what);
    check_equ(name, last_fault.rip, rip);
    snprintf(name, sizeof(name), "%s: error code", what);
    check_equ(name, last_fault.error_code, err);
}

static void bounce_frame(void)
{
    unsigned long sp, post;
    uint8_t mask = this_vcpu_info()->evtchn_upcall_mask;

    fault_reset();
    __asm__ __volatile__("mov $0x1111, %%rcx\n"
                         "mov $0x2222, %%r11\n"
                         "mov %%rsp, %1\n"
                         "int3\n"
                         "1: lea 1b(%%rip), %0\n"
                         _ASM_EXTABLE(1b, 1b)
                         : "=r"(post), "=&r"(sp) :: "rcx", "r11", "memory");
    check(last_fault.hit && last_fault.vector == X86_EXC_BP, "int3 delivered to vector 3",
          "hit %d vector %u", last_fault.hit, last_fault.vector);
    check_equ("int3: rip is the next instruction", last_fault.rip, post);
    check_equ("int3: rcx below the frame is the interrupted rcx", last_fault.rcx, 0x1111);
    check_equ("int3: r11 below the frame is the interrupted r11", last_fault.r11, 0x2222);
    check_equ("int3: rsp in the frame is the interrupted rsp", last_fault.rsp, sp);
    check_equ("int3: cs selector in the frame", last_fault.cs & 0xffff, FLAT_KERNEL_CS & ~3u);
    check_equ("int3: cs bits 31:16 are zero", (last_fault.cs >> 16) & 0xffff, 0);
    check_equ("int3: saved upcall mask in cs bits 39:32", (last_fault.cs >> 32) & 0xff, mask);
    check_equ("int3: ss in the frame", last_fault.ss, FLAT_KERNEL_SS);
    check_equ("int3: rflags.IF is !upcall mask", !!(last_fault.rflags & X86_EFLAGS_IF), !mask);
    check_equ("int3: rflags bit 1 set", last_fault.rflags & 2, 2);
    info("int3 frame: cs %#lx rflags %#lx ss %#lx", last_fault.cs, last_fault.rflags, last_fault.ss);
}

static volatile uint8_t mask_in_handler;
static volatile unsigned long handler_cs, handler_rflags;

static bool record_bp(struct trap_frame *f)
{
    mask_in_handler = this_vcpu_info()->evtchn_upcall_mask;
    handler_cs = f->cs;
    handler_rflags = f->rflags;
    return true;
}

static void events_and_mask(void)
{
    struct vcpu_info *vi = this_vcpu_info();

    /* With events enabled the frame must say so, the handler runs with
     * them masked (trap flag bit 2), and iret restores them. */
    trap_set_handler(X86_EXC_BP, record_bp);
    vi->evtchn_upcall_mask = 0;
    barrier();
    __asm__ __volatile__("int3" ::: "memory");
    barrier();
    check_eq("int3 with events on: handler runs masked", mask_in_handler, 1);
    check_equ("int3 with events on: saved mask 0 in cs", (handler_cs >> 32) & 0xff, 0);
    check_equ("int3 with events on: rflags.IF set", !!(handler_rflags & X86_EFLAGS_IF), 1);
    check_eq("int3 with events on: iret restored mask 0", vi->evtchn_upcall_mask, 0);
    vi->evtchn_upcall_mask = 1;
    barrier();
    __asm__ __volatile__("int3" ::: "memory");
    barrier();
    check_equ("int3 with events off: saved mask 1 in cs", (handler_cs >> 32) & 0xff, 1);
    check_equ("int3 with events off: rflags.IF clear", !!(handler_rflags & X86_EFLAGS_IF), 0);
    check_eq("int3 with events off: mask still 1", vi->evtchn_upcall_mask, 1);
    trap_set_handler(X86_EXC_BP, NULL);

    /* The same through a direct-SYSCALL iret. */
    iret_via_syscall = true;
    fault_reset();
    __asm__ __volatile__("int3\n1:\n" _ASM_EXTABLE(1b, 1b) ::: "memory");
    iret_via_syscall = false;
    check(last_fault.hit, "iret by direct SYSCALL returns", "no fault recorded");
}

static void faults(void)
{
    unsigned long at;

    at = FAULT_AT("xor %%edx, %%edx\n mov $1, %%eax\n xor %%ecx, %%ecx\n 1: div %%ecx");
    check_fault("#DE (div by 0)", X86_EXC_DE, at, 0);

    at = FAULT_AT("1: ud2");
    check_fault("#UD (ud2)", X86_EXC_UD, at, 0);

    at = FAULT_AT("mov %1, %%rax\n 1: mov (%%rax), %%rax", "r"(NONCANON));
    check_fault("#GP (non-canonical load)", X86_EXC_GP, at, 0);

    at = FAULT_AT("1: hlt");
    check_fault("#GP (hlt)", X86_EXC_GP, at, 0);

    at = FAULT_AT("mov %1, %%rax\n 1: invlpg (%%rax)", "r"(UNMAPPED));
    check_fault("#GP (invlpg)", X86_EXC_GP, at, 0);

    /* Not tested: "into" (0xce), which QEMU's TCG runs as a no-op in
     * 64-bit mode instead of raising #UD. */
}

static volatile unsigned long exec_fault_rip, exec_fault_err, exec_fault_cr2;

/* An instruction fetch fault: emulate the "ret" the call would need. */
static bool exec_pf(struct trap_frame *f)
{
    if (f->rip != UNMAPPED + 0x1000)
        return false;
    exec_fault_rip = f->rip;
    exec_fault_err = f->error_code;
    exec_fault_cr2 = this_vcpu_info()->arch.cr2;
    f->rip = *(uint64_t *)f->rsp;
    f->rsp += 8;
    return true;
}

static void page_faults(void)
{
    unsigned long at;

    at = FAULT_AT("mov %1, %%rax\n 1: mov (%%rax), %%rax", "r"(UNMAPPED));
    check_fault("#PF read of an unmapped page", X86_EXC_PF, at, 0);
    check_equ("#PF read: cr2 in vcpu_info", last_fault.cr2, UNMAPPED);

    at = FAULT_AT("mov %1, %%rax\n 1: movq $0, (%%rax)", "r"(UNMAPPED + 8));
    check_fault("#PF write to an unmapped page", X86_EXC_PF, at, 2);
    check_equ("#PF write: cr2 in vcpu_info", last_fault.cr2, UNMAPPED + 8);

    at = FAULT_AT("mov %1, %%rax\n 1: movq $0, (%%rax)", "r"(MACH2PHYS_VIRT_START + 16));
    check_fault("#PF write to the read-only M2P", X86_EXC_PF, at, 3);
    check_equ("#PF write to M2P: cr2", last_fault.cr2, MACH2PHYS_VIRT_START + 16);

    /* Whether the hypervisor maps this address is its own business, so
     * only the vector and cr2 are checked, not the present bit. */
    at = FAULT_AT("mov %1, %%rax\n 1: mov (%%rax), %%rax", "r"(HYPERVISOR_VIRT_START + 0x40000000000UL));
    check(last_fault.hit && last_fault.vector == X86_EXC_PF && last_fault.rip == at,
          "#PF read of a hypervisor address", "hit %d vector %u rip %#lx",
          last_fault.hit, last_fault.vector, last_fault.rip);
    check_equ("#PF read of a hypervisor address: cr2", last_fault.cr2,
              HYPERVISOR_VIRT_START + 0x40000000000UL);

    trap_set_handler(X86_EXC_PF, exec_pf);
    __asm__ __volatile__("call *%0" :: "r"(UNMAPPED + 0x1000)
                         : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
    trap_set_handler(X86_EXC_PF, NULL);
    check_equ("#PF instruction fetch: rip is the target", exec_fault_rip, UNMAPPED + 0x1000);
    check_equ("#PF instruction fetch: error code", exec_fault_err, 0x10);
    check_equ("#PF instruction fetch: cr2", exec_fault_cr2, UNMAPPED + 0x1000);
}

static void soft_interrupts(void)
{
    unsigned long at, post;

    trap_set_dpl(0x80, 3);
    trap_set_dpl(0x81, 1);
    trap_set_dpl(0x82, 0);
    trap_set_dpl(0x83, 2);
    check_eq("trap table with DPLs 3/1/0/2 installed", traps_install(), 0);

    fault_reset();
    __asm__ __volatile__("int $0x80\n1: lea 1b(%%rip), %0\n" _ASM_EXTABLE(1b, 1b)
                         : "=r"(post) :: "memory");
    check(last_fault.hit && last_fault.vector == 0x80, "int $0x80 (DPL 3) delivered",
          "hit %d vector %#x", last_fault.hit, last_fault.vector);
    check_equ("int $0x80: rip after the instruction", last_fault.rip, post);
    check_equ("int $0x80: no error code", last_fault.error_code, 0);

    fault_reset();
    __asm__ __volatile__("int $0x81\n1: lea 1b(%%rip), %0\n" _ASM_EXTABLE(1b, 1b)
                         : "=r"(post) :: "memory");
    check(last_fault.hit && last_fault.vector == 0x81, "int $0x81 (DPL 1) delivered to the kernel",
          "hit %d vector %#x", last_fault.hit, last_fault.vector);

    fault_reset();
    __asm__ __volatile__("int $0x83\n1: lea 1b(%%rip), %0\n" _ASM_EXTABLE(1b, 1b)
                         : "=r"(post) :: "memory");
    check(last_fault.hit && last_fault.vector == 0x83, "int $0x83 (DPL 2) delivered to the kernel",
          "hit %d vector %#x", last_fault.hit, last_fault.vector);

    at = FAULT_AT("1: int $0x82");
    check_fault("int $0x82 (DPL 0)", X86_EXC_GP, at, (0x82 << 3) | 2);

    at = FAULT_AT("1: int $0x0e");
    check_fault("int $0x0e (DPL 0)", X86_EXC_GP, at, (0x0e << 3) | 2);

    at = FAULT_AT("1: int $0x02");
    check_fault("int $0x02 (DPL 0)", X86_EXC_GP, at, (0x02 << 3) | 2);

    /*
     * Xen's own IDT lets int3/int $3 and int $4 through to it, and it
     * forwards them to the guest's handler whatever DPL the guest's trap
     * table gives them: they trap (rip after the instruction), never #GP.
     */
    trap_set_dpl(X86_EXC_BP, 0);
    trap_set_dpl(X86_EXC_OF, 0);
    traps_install();
    at = FAULT_AT("1: int3");
    check_fault("int3 with DPL 0", X86_EXC_BP, at + 1, 0);
    at = FAULT_AT("1: .byte 0xcd, 0x03");          /* int $3, not int3 */
    check_fault("int $3 with DPL 0", X86_EXC_BP, at + 2, 0);
    at = FAULT_AT("1: .byte 0xcd, 0x04");          /* int $4 */
    check_fault("int $4 with DPL 0", X86_EXC_OF, at + 2, 0);
    trap_set_dpl(X86_EXC_OF, 3);
    /* So is int $0x80 from guest-kernel mode (Xen's IDT has DPL 3 there
     * for 32-bit guests' system calls). */
    trap_set_dpl(0x80, 0);
    traps_install();
    at = FAULT_AT("1: int $0x80");
    check_fault("int $0x80 with DPL 0", 0x80, at + 2, 0);
    trap_set_dpl(0x80, 1);
    traps_install();
    at = FAULT_AT("1: int $0x80");
    check_fault("int $0x80 with DPL 1", 0x80, at + 2, 0);
    trap_set_dpl(0x80, 3);
    trap_set_dpl(X86_EXC_BP, 3);
    traps_install();
}

void test_main(void)
{
    bounce_frame();
    events_and_mask();
    faults();
    page_faults();
    soft_interrupts();
}
