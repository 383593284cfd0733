/*
 * mmu-atk-dpl0-code: try to get a ring-0 code (or data) segment from a
 * guest GDT or LDT. Xen 4.17 raises the DPL of every present code and
 * data descriptor to 3 (a 64-bit PV kernel runs in ring 3), so the
 * segment is usable only at CPL 3: a far return to it with RPL 3 works
 * and stays in ring 3, one with RPL 0 faults. Not-present descriptors are
 * stored as given (they always fault).
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-dpl0-code: DPL 0 code and data descriptors";

#define CODE64(dpl)  (0x00af9a000000ffffUL | ((uint64_t)(dpl) << 45))
#define CODE32(dpl)  (0x00cf9a000000ffffUL | ((uint64_t)(dpl) << 45))
#define CONFORMING64(dpl) (0x00af9e000000ffffUL | ((uint64_t)(dpl) << 45))
#define DATA(dpl)    (0x00cf92000000ffffUL | ((uint64_t)(dpl) << 45))
#define DPL(d)       (((d) >> 45) & 3)

static long update_descriptor(const void *p, uint64_t d)
{
    uint64_t ma = ((uint64_t)mfn_of(p) << PAGE_SHIFT) | ((unsigned long)p & (PAGE_SIZE - 1));

    return _hypercall2(__HYPERVISOR_update_descriptor, ma, d);
}

static long set_gdt(unsigned long frame, unsigned int entries)
{
    return _hypercall2(__HYPERVISOR_set_gdt, &frame, entries);
}

static long set_ldt(unsigned long base, unsigned int ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };

    op.arg1.linear_addr = base;
    op.arg2.nr_ents = ents;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Far return into code selector sel, read %cs there, far return to
 * FLAT_KERNEL_CS. Returns the %cs seen, or ~0 if the first lret faulted. */
static uint64_t visit(uint16_t sel)
{
    uint64_t cs = ~0UL;

    fault_reset();
    __asm__ __volatile__("mov %%rsp, %%r10\n"
                         "pushq %q1\n"
                         "lea 3f(%%rip), %%rax\n"
                         "pushq %%rax\n"
                         "1: lretq\n"
                         "3: mov %%cs, %%eax\n"
                         "mov %%rax, %0\n"
                         "pushq %2\n"
                         "lea 2f(%%rip), %%rax\n"
                         "pushq %%rax\n"
                         "lretq\n"
                         "2: mov %%r10, %%rsp\n"
                         _ASM_EXTABLE(1b, 2b)
                         : "+m"(cs) : "r"((uint64_t)sel), "i"(FLAT_KERNEL_CS)
                         : "rax", "r10", "memory");
    return cs;
}

static bool load_ds(uint16_t sel)
{
    fault_reset();
    __asm__ __volatile__("1: mov %0, %%ds\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(sel) : "memory");
    return !last_fault.hit;
}

static void update_checks(void)
{
    uint64_t *p = page_alloc();
    static const struct { const char *what; uint64_t d; } descs[] = {
        { "64-bit code, DPL 0", CODE64(0) },
        { "64-bit code, DPL 1", CODE64(1) },
        { "64-bit code, DPL 2", CODE64(2) },
        { "32-bit code, DPL 0", CODE32(0) },
        { "conforming code, DPL 0", CONFORMING64(0) },
        { "data, DPL 0", DATA(0) },
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(descs); i++) {
        check_rcf(update_descriptor(&p[1], descs[i].d), 0, "update_descriptor: %s", descs[i].what);
        check_eqf((long)DPL(p[1]), 3, "%s is stored with DPL 3", descs[i].what);
        check_eqf((long)(p[1] & ~(3UL << 45)), (long)(descs[i].d & ~(3UL << 45)),
                  "%s: nothing but the DPL changed", descs[i].what);
    }
    check_rc("not-present code, DPL 0", update_descriptor(&p[2], CODE64(0) & ~(1UL << 47)), 0);
    check_equ("a not-present descriptor is stored as given", p[2], CODE64(0) & ~(1UL << 47));
    page_free(p);
}

static void gdt_use(void)
{
    uint64_t *g = page_alloc();
    uint64_t cs;

    g[1] = CODE64(0);
    g[2] = DATA(0);
    g[3] = CODE64(0) & ~(1UL << 47);
    page_make_ro(g);
    check_rc("set_gdt: a DPL 0 code and data segment", set_gdt(mfn_of(g), 8), 0);
    check_eqf((long)DPL(g[1]), 3, "live GDT: the code segment has DPL 3");
    check_eqf((long)DPL(g[2]), 3, "live GDT: the data segment has DPL 3");

    cs = visit(1 << 3 | 3);
    check(cs != ~0UL, "far return into the former DPL 0 code with RPL 3 works", "vector %u ec %#lx",
          last_fault.vector, last_fault.error_code);
    check_equ("running there, CS is the selector with RPL 3 (ring 3)", cs, 1 << 3 | 3);
    cs = visit(1 << 3 | 0);
    check(cs == ~0UL && last_fault.vector == X86_EXC_GP,
          "far return into it with RPL 0 faults", "cs %#lx vector %u", cs, last_fault.vector);
    check_equ("far return with RPL 0: #GP(selector)", last_fault.error_code, 1 << 3);
    /* The not-present descriptor kept DPL 0: the privilege check fails
     * before the presence check. */
    cs = visit(3 << 3 | 3);
    check(cs == ~0UL && last_fault.vector == X86_EXC_GP,
          "far return into the not-present DPL 0 code segment: #GP", "cs %#lx vector %u", cs,
          last_fault.vector);
    check_equ("not-present DPL 0 code: #GP(selector)", last_fault.error_code, 3 << 3);
    check_after(load_ds(2 << 3 | 3), "the former DPL 0 data segment loads at CPL 3",
                "vector %u", last_fault.vector);
    load_ds(0);
    check_rc("drop the GDT", set_gdt(mfn_of(g), 0), 0);
    page_make_rw(g);
    page_free(g);
}

static void ldt_use(void)
{
    uint64_t *l = page_alloc();
    uint64_t cs;

    l[0] = CODE64(0);
    l[1] = DATA(0);
    page_make_ro(l);
    check_rc("SET_LDT with a DPL 0 code and data segment", set_ldt((unsigned long)l, 2), 0);
    cs = visit(0 << 3 | 4 | 3);
    check(cs != ~0UL, "far return into the LDT's DPL 0 code with RPL 3 works", "vector %u ec %#lx",
          last_fault.vector, last_fault.error_code);
    check_equ("running there, CS has RPL 3", cs, 4 | 3);
    check_eqf((long)DPL(l[0]), 3, "the live LDT's code segment has DPL 3");
    cs = visit(0 << 3 | 4 | 0);
    check(cs == ~0UL && last_fault.vector == X86_EXC_GP,
          "far return into the LDT code with RPL 0 faults", "cs %#lx vector %u", cs,
          last_fault.vector);
    check_rc("SET_LDT 0,0", set_ldt(0, 0), 0);
    page_make_rw(l);
    page_free(l);
}

void test_main(void)
{
    mmu_init();
    update_checks();
    gdt_use();
    ldt_use();
}
