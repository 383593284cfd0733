/*
 * mmu-atk-callgate: try to plant a call gate to ring 0 in a guest GDT or
 * LDT. Xen 4.17 accepts call gates only to a guest segment, an LDT
 * selector or exactly FLAT_KERNEL_CS; it forces the gate's DPL to 0 (so
 * any use faults into the hypervisor, which emulates it) and keeps the
 * gate's original (raised) DPL in the target selector's RPL. Gates to the
 * hypervisor's own selectors, and every other system descriptor, are
 * refused. Using a gate never reaches ring 0: for a 64-bit PV guest Xen
 * does not emulate call gates at all (that is for 32-bit guests), so
 * every use is a #GP with the gate's selector.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-callgate: call gates in guest descriptor tables";

#define HV_CS      0xe008           /* Xen's ring-0 code selector */
#define HV_DS      0xe010

/* The low and high halves of a 64-bit call gate. */
static uint64_t gate_lo(uint16_t sel, uint64_t off, unsigned int dpl)
{
    return (off & 0xffff) | ((uint64_t)sel << 16) | ((uint64_t)(0x8c00 | dpl << 13) << 32) |
           ((off >> 16 & 0xffff) << 48);
}

static uint64_t gate_hi(uint64_t off)
{
    return off >> 32;
}

static long update_descriptor(const void *p, uint64_t d)
{
    uint64_t ma = ((uint64_t)mfn_of(p) << PAGE_SHIFT) | ((unsigned long)p & (PAGE_SIZE - 1));

    return _hypercall2(__HYPERVISOR_update_descriptor, ma, d);
}

static long set_gdt(unsigned long frame, unsigned int entries)
{
    return _hypercall2(__HYPERVISOR_set_gdt, &frame, entries);
}

static void gate_checks(void)
{
    uint64_t *p = page_alloc();
    static const struct { const char *what; uint16_t sel; long rc; } targets[] = {
        { "the hypervisor's ring-0 code selector 0xe008", HV_CS, -XEN_EINVAL },
        { "the hypervisor's data selector 0xe010", HV_DS, -XEN_EINVAL },
        { "FLAT_KERNEL_CS with RPL 0 (0xe030)", FLAT_KERNEL_CS & ~3, -XEN_EINVAL },
        { "FLAT_RING3_CS32 (0xe023)", 0xe023, -XEN_EINVAL },
        { "the hypervisor's TSS selector 0xe040", 0xe040, -XEN_EINVAL },
        { "FLAT_KERNEL_CS (0xe033)", FLAT_KERNEL_CS, 0 },
        { "a guest GDT selector (0x20)", 0x20, 0 },
        { "a guest LDT selector (0x0c)", 0x0c, 0 },
        { "a guest LDT selector with a high index (0xe00c)", 0xe00c, 0 },
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(targets); i++)
        check_rcf(update_descriptor(&p[2], gate_lo(targets[i].sel, 0x1000, 3)), targets[i].rc,
                  "call gate to %s", targets[i].what);

    /* What is stored: DPL 0, original (raised) DPL in the selector's RPL. */
    check_rc("DPL 3 gate to FLAT_KERNEL_CS", update_descriptor(&p[2], gate_lo(FLAT_KERNEL_CS,
                                                                              0x1000, 3)), 0);
    check_equ("stored gate: DPL forced to 0", (p[2] >> 45) & 3, 0);
    check_equ("stored gate: selector RPL holds DPL 3", (p[2] >> 16) & 0xffff, FLAT_KERNEL_CS);
    check_rc("DPL 0 gate to a guest selector", update_descriptor(&p[4], gate_lo(0x20, 0x1000, 0)), 0);
    check_equ("stored DPL 0 gate: DPL 0", (p[4] >> 45) & 3, 0);
    check_equ("stored DPL 0 gate: selector RPL is the raised DPL 3", (p[4] >> 16) & 0xffff, 0x23);
    check_rc("gate with reserved bits set",
             update_descriptor(&p[6], gate_lo(0x20, 0, 3) | (0x1fUL << 32)), -XEN_EINVAL);
    check_rc("the gate's second half (type 0)", update_descriptor(&p[3], gate_hi(0x1000)), 0);
    check_rc("a not-present gate to the hypervisor's code (never usable)",
             update_descriptor(&p[8], gate_lo(HV_CS, 0, 3) & ~(1UL << 47)), 0);

    static const struct { const char *what; uint64_t d; } sys[] = {
        { "64-bit interrupt gate to FLAT_KERNEL_CS", 0x0000ee0000000000UL | (uint64_t)FLAT_KERNEL_CS << 16 },
        { "64-bit trap gate to FLAT_KERNEL_CS", 0x0000ef0000000000UL | (uint64_t)FLAT_KERNEL_CS << 16 },
        { "TSS", 0x0000e90000000067UL },
        { "LDT descriptor", 0x0000e20000000fffUL },
        { "16-bit call gate (type 4)", 0x0000e40000000000UL | (uint64_t)FLAT_KERNEL_CS << 16 },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(sys); i++)
        check_rcf(update_descriptor(&p[10], sys[i].d), -XEN_EINVAL, "a %s is refused", sys[i].what);

    /* The same contents as a GDT frame. */
    memset(p, 0, PAGE_SIZE);
    p[2] = gate_lo(HV_CS, 0x1000, 3);
    p[3] = gate_hi(0x1000);
    page_make_ro(p);
    check_rc("set_gdt with a gate to the hypervisor's code", set_gdt(mfn_of(p), 8), -XEN_EINVAL);
    page_make_rw(p);
    page_free(p);
}

/* ------------------------------------------------------------ using a gate */

extern const char gate_target[];
static volatile uint64_t gate_cs_seen;

__asm__(".pushsection .text\n"
        ".globl gate_target\n"
        "gate_target:\n"
        "    mov %cs, %eax\n"
        "    mov %rax, gate_cs_seen(%rip)\n"
        "    lretq\n"
        ".popsection\n");

/* lcall through selector sel; false if it faulted. */
static bool call_gate(uint16_t sel)
{
    static struct { uint32_t off; uint16_t sel; } __attribute__((packed)) far;

    far.off = 0;
    far.sel = sel;
    gate_cs_seen = 0xdead;
    fault_reset();
    __asm__ __volatile__("mov %%rsp, %%r10\n"
                         "1: lcall *%0\n"
                         "2: mov %%r10, %%rsp\n"
                         _ASM_EXTABLE(1b, 2b)
                         :: "m"(far) : "rax", "r10", "memory");
    return !last_fault.hit;
}

static void use_gates(void)
{
    uint64_t *g = page_alloc();
    uint64_t off = (uint64_t)gate_target;

    g[2] = gate_lo(FLAT_KERNEL_CS, off, 3);     /* selector 0x10 */
    g[3] = gate_hi(off);
    g[4] = gate_lo(FLAT_KERNEL_CS, off, 0);     /* selector 0x20 */
    g[5] = gate_hi(off);
    check_rc("GDT frame with two call gates made read-only", page_make_ro(g), 0);
    check_rc("set_gdt with call gates to FLAT_KERNEL_CS", set_gdt(mfn_of(g), 8), 0);
    check_equ("in the live GDT the gate has DPL 0", (g[2] >> 45) & 3, 0);

    bool ok = call_gate(0x10 | 3);
    check(gate_cs_seen == 0xdead || (gate_cs_seen & 3) == 3,
          "the gate target never runs in ring 0", "CS %#lx", gate_cs_seen);
    check(!ok && last_fault.vector == X86_EXC_GP,
          "far call through a DPL 3 gate: #GP (no gate emulation for 64-bit guests)",
          "completed %d vector %u, target saw CS %#lx", ok, last_fault.vector, gate_cs_seen);
    check_equ("far call through a DPL 3 gate: error code is the gate selector",
              last_fault.error_code, 0x10);
    check_equ("the DPL 3 gate's target did not run", gate_cs_seen, 0xdead);

    ok = call_gate(0x20 | 3);
    check(!ok && last_fault.vector == X86_EXC_GP, "far call through a DPL 0 gate: #GP",
          "completed %d vector %u", ok, last_fault.vector);
    check_equ("far call through a DPL 0 gate: error code is the gate selector",
              last_fault.error_code, 0x20);
    check_equ("the DPL 0 gate's target did not run", gate_cs_seen, 0xdead);

    check_rc("drop the GDT", set_gdt(mfn_of(g), 0), 0);
    page_make_rw(g);
    page_free(g);
}

void test_main(void)
{
    mmu_init();
    gate_checks();
    use_gates();
}
