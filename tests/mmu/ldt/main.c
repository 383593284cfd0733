/*
 * mmu-ldt: a PV guest's local descriptor table (MMUEXT_SET_LDT) as Xen
 * 4.17 runs it. The hypervisor maps the guest's LDT pages into its own
 * LDT window lazily, on the first fault through a selector; a page so
 * mapped takes the descriptor type, so it must be read-only in the guest
 * (else the load faults back to the guest as a #PF on the LDT's linear
 * address) and cannot be made writable while in use. SET_LDT's argument
 * errors. And an LDT selector in %fs must survive the vCPU being switched
 * out and back in while another vCPU without an LDT ran on the same
 * physical CPU (run with one CPU and two vCPUs).
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-ldt: MMUEXT_SET_LDT, lazy LDT mapping, LDT selectors across vCPU switches";

#define MS 1000000ULL
#define DESC_DATA(dpl)   (0x00cf92000000ffffUL | ((uint64_t)(dpl) << 45))
#define LDT_SEL(i)       ((uint16_t)(((i) << 3) | 4 | 3))

static volatile unsigned long cpu1_rounds;
static volatile bool cpu1_stop;

static long set_ldt(unsigned long va, unsigned int ents)
{
    return mmuext1(MMUEXT_SET_LDT, va, ents, DOMID_SELF);
}

static bool load_fs(uint16_t sel)
{
    fault_reset();
    __asm__ __volatile__("1: mov %0, %%fs\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(sel) : "memory");
    return !last_fault.hit;
}

static uint16_t read_fs(void)
{
    uint16_t s;

    __asm__ __volatile__("mov %%fs, %0" : "=r"(s));
    return s;
}

static void cpu1_main(unsigned int cpu)
{
    (void)cpu;
    /* No LDT here: whatever this vCPU loads leaves the CPU's LDTR null. */
    while (!READ_ONCE(cpu1_stop)) {
        cpu1_rounds++;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

static void on_ipi(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
}

void test_main(void)
{
    uint64_t *ldt = page_alloc();
    unsigned long va = (unsigned long)ldt;

    mmu_init();
    ldt[0] = DESC_DATA(3);
    ldt[1] = DESC_DATA(3);

    check_rc("SET_LDT with a base not page-aligned", set_ldt(va + 8, 2), -XEN_EINVAL);
    check_rc("SET_LDT with 8193 entries", set_ldt(va, 8193), -XEN_EINVAL);
    check_rc("SET_LDT with a base in the hypervisor's range", set_ldt(0xffff800000000000UL, 2),
             -XEN_EINVAL);
    check_rc("SET_LDT naming a domain that does not exist", mmuext1(MMUEXT_SET_LDT, va, 2, 7),
             -XEN_ESRCH);
    check_rc("SET_LDT of no entries", set_ldt(0, 0), 0);

    /* The page is still writable in our page tables. */
    check_rc("SET_LDT of a page still mapped writable (checked lazily)", set_ldt(va, 2), 0);
    check(!load_fs(LDT_SEL(1)) && last_fault.vector == X86_EXC_PF,
          "loading an LDT selector from a writable page faults with #PF", "hit %d vector %u",
          last_fault.hit, last_fault.vector);
    check_equ("the #PF's address is the LDT entry's linear address", last_fault.cr2, va + 8);

    check_rc("LDT page made read-only", page_make_ro(ldt), 0);
    check(load_fs(LDT_SEL(1)), "an LDT selector loads once the page is read-only",
          "vector %u error %#lx", last_fault.vector, (unsigned long)last_fault.error_code);
    check_equ("%fs holds the LDT selector", read_fs(), LDT_SEL(1));
    check(!load_fs(LDT_SEL(2)) && last_fault.vector == X86_EXC_GP,
          "a selector past the LDT's entries is #GP", "hit %d vector %u", last_fault.hit,
          last_fault.vector);
    check_equ("the #GP's error code is the selector", last_fault.error_code, LDT_SEL(2) & ~3u);
    load_fs(LDT_SEL(1));
    long rc = page_make_rw(ldt);
    check_rc("making the LDT page writable while it is in use", rc, -XEN_EBUSY);
    if (rc == 0)
        page_make_ro(ldt);

    /* Switch this vCPU out and back in around another one. */
    long port = evtchn_bind_ipi(0, on_ipi, NULL);
    check(port > 0, "bind an IPI port to poll on", "rc %ld", port);
    rc = smp_start_cpu(1, cpu1_main);
    check_rc("start vCPU 1", rc, 0);
    if (port > 0 && rc == 0) {
        unsigned int kept = 0, ran = 0;

        for (unsigned int i = 0; i < 20; i++) {
            unsigned long before = cpu1_rounds;

            evtchn_poll((evtchn_port_t)port, now_ns() + 2 * MS);
            if (cpu1_rounds != before)
                ran++;
            if (read_fs() == LDT_SEL(1))
                kept++;
        }
        info("vCPU 1 ran during %u of 20 sleeps", ran);
        check(ran > 0, "vCPU 1 ran while vCPU 0 slept", "never");
        check_eqf(kept, 20, "%%fs kept its LDT selector across 20 switches");

        /* A new LDT drops the old mappings; %fs still names entry 1. */
        check_rc("SET_LDT of the same page with 3 entries", set_ldt(va, 3), 0);
        kept = 0;
        for (unsigned int i = 0; i < 5; i++) {
            evtchn_poll((evtchn_port_t)port, now_ns() + 2 * MS);
            if (read_fs() == LDT_SEL(1))
                kept++;
        }
        check_eqf(kept, 5, "after a new SET_LDT %%fs keeps its selector across 5 switches");
        cpu1_stop = true;
    }

    /*
     * The hypervisor's LDT window (vCPU 0's at PERDOMAIN_VIRT_START + 64 KiB
     * in both) is not ours: a direct access is a #PF like any hypervisor
     * address, whether or not the LDT page is mapped there yet.
     */
    const volatile uint64_t *win = (const volatile uint64_t *)(0xffff820000000000UL + 0x10000);
    uint64_t val;
    unsigned int refused = 0;

    check_rc("SET_LDT anew (the window is empty again)", set_ldt(va, 2), 0);
    for (unsigned int i = 0; i < 50; i++) {
        if (i == 25)
            load_fs(LDT_SEL(1));            /* now the page is in the window */
        fault_reset();
        if (!probe_read(win + 1, &val) && last_fault.vector == X86_EXC_PF &&
            last_fault.cr2 == (unsigned long)(win + 1))
            refused++;
    }
    check_eqf(refused, 50, "reading the hypervisor's LDT window is a #PF there (50 tries)");

    /* Dropping the LDT: the selector no longer loads. */
    check_rc("SET_LDT of no entries again", set_ldt(0, 0), 0);
    check(!load_fs(LDT_SEL(1)) && last_fault.vector == X86_EXC_GP,
          "with no LDT an LDT selector is #GP", "hit %d vector %u", last_fault.hit,
          last_fault.vector);
    load_fs(0);
    check_rc("the page can be made writable again", page_make_rw(ldt), 0);
}
