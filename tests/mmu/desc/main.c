/*
 * mmu-desc: HYPERVISOR_set_gdt and HYPERVISOR_update_descriptor as Xen
 * 4.17 answers them for a 64-bit PV guest: a guest GDT frame gets the
 * descriptor type (so it must be read-only everywhere and stays so while
 * in use), descriptors are checked and fixed up (DPL raised to 3), system
 * descriptors are refused, limits and bad frames give their errors, and a
 * live GDT entry can be rewritten through update_descriptor.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-desc: set_gdt, update_descriptor, descriptor checks";

#define DESC_DATA(dpl)   (0x00cf92000000ffffUL | ((uint64_t)(dpl) << 45))
#define DESC_CODE64(dpl) (0x00af9a000000ffffUL | ((uint64_t)(dpl) << 45))
#define DESC_DPL(d)      (((d) >> 45) & 3)

static long set_gdt(const unsigned long *frames, unsigned int entries)
{
    return _hypercall2(__HYPERVISOR_set_gdt, frames, entries);
}

static long update_descriptor(uint64_t maddr, uint64_t desc)
{
    return _hypercall2(__HYPERVISOR_update_descriptor, maddr, desc);
}

static bool load_ds(uint16_t sel)
{
    fault_reset();
    __asm__ __volatile__("1: mov %0, %%ds\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(sel) : "memory");
    return !last_fault.hit;
}

static uint64_t maddr_of(const void *p)
{
    return ((uint64_t)mfn_of(p) << PAGE_SHIFT) | ((unsigned long)p & (PAGE_SIZE - 1));
}

static void gdt_frames(void)
{
    uint64_t *g = page_alloc();
    unsigned long frames[16];
    uint16_t ds;
    long rc;

    g[1] = DESC_CODE64(0);
    g[2] = DESC_DATA(0);
    g[3] = DESC_CODE64(3);
    g[4] = DESC_DATA(3);
    g[6] = 0x0000f20000000000UL & ~(1UL << 47);     /* not present: anything goes */
    frames[0] = mfn_of(g);

    rc = set_gdt(frames, 8);
    check_rc("set_gdt with a frame still mapped writable", rc, -XEN_EINVAL);
    check_rc("GDT frame made read-only", page_make_ro(g), 0);
    rc = set_gdt(frames, 8);
    check_rc("set_gdt with one read-only frame, 8 entries", rc, 0);
    check_eqf(DESC_DPL(g[1]), 3, "64-bit code descriptor with DPL 0 now has DPL 3");
    check_eqf(DESC_DPL(g[2]), 3, "data descriptor with DPL 0 now has DPL 3");
    check_equ("DPL 3 data descriptor unchanged", g[4], DESC_DATA(3));
    check_equ("a not-present descriptor is left alone", g[6], 0x0000720000000000UL);

    check_after(load_ds(2 << 3 | 3), "load %ds from the guest GDT (was DPL 0)", "vector %u ec %#lx",
          last_fault.vector, last_fault.error_code);
    check_after(load_ds(4 << 3 | 3), "load %ds from the guest GDT (DPL 3)", "vector %u", last_fault.vector);
    __asm__ __volatile__("mov %%ds, %0" : "=r"(ds));
    check_equ("%ds holds the guest selector", ds, 4 << 3 | 3);
    check_after(!load_ds(8 << 3 | 3), "a selector beyond the GDT limit faults", "loaded");
    check(last_fault.vector == X86_EXC_GP && last_fault.error_code == 8 << 3,
          "beyond the GDT limit: #GP(selector)", "vector %u ec %#lx", last_fault.vector,
          last_fault.error_code);
    check_after(!load_ds(6 << 3 | 3), "a not-present descriptor faults", "loaded");
    check(last_fault.vector == X86_EXC_NP && last_fault.error_code == 6 << 3,
          "not present: #NP(selector)", "vector %u ec %#lx", last_fault.vector,
          last_fault.error_code);
    load_ds(0);

    check_rc("a live GDT frame cannot be mapped writable", page_make_rw(g), -XEN_EBUSY);
    check_rc("a live GDT frame cannot be pinned as a page table", pin_table(1, mfn_of(g)), -XEN_EINVAL);

    /* update_descriptor on the live GDT. */
    rc = update_descriptor(maddr_of(&g[5]), DESC_DATA(1));
    check_rc("update_descriptor on the live GDT", rc, 0);
    check_equ("update_descriptor: stored with DPL 3", g[5], DESC_DATA(3));
    check_after(load_ds(5 << 3 | 3), "the updated descriptor loads", "vector %u", last_fault.vector);
    load_ds(0);

    /* Entries: 0 frees the frames; the hypervisor's part starts at 7168. */
    rc = set_gdt(frames, 7169);
    check_rc("set_gdt with 7169 entries (into the hypervisor's part)", rc, -XEN_EINVAL);
    for (unsigned int i = 0; i < 14; i++)
        frames[i] = mfn_of(g);
    rc = set_gdt(frames, 7168);
    check_rc("set_gdt with 7168 entries: 14 times the same frame", rc, 0);
    rc = set_gdt((unsigned long *)0x1000, 8);
    check_rc("set_gdt with an unreadable frame list", rc, -XEN_EFAULT);
    frames[0] = max_ram_mfn + 0x1000;
    rc = set_gdt(frames, 8);
    check_rc("set_gdt with a frame beyond RAM", rc, -XEN_EINVAL);
    check_rc("a failed set_gdt keeps the old GDT", page_make_rw(g), -XEN_EBUSY);
    rc = set_gdt(frames, 0);
    check_rc("set_gdt with 0 entries", rc, 0);
    check_rc("the released frame is an ordinary page again", page_make_rw(g), 0);
    page_free(g);
}

static void refused_descriptors(void)
{
    uint64_t *g = page_alloc();
    unsigned long frame = mfn_of(g);
    static const struct { const char *what; uint64_t desc; } bad[] = {
        { "64-bit TSS", 0x0000890000000067UL },
        { "LDT descriptor", 0x0000820000000fffUL },
        { "interrupt gate", 0x00008e0000e0a000UL },
        { "trap gate", 0x00008f0000e0a000UL },
        { "task gate", 0x0000850000000000UL },
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        g[1] = bad[i].desc;
        check_rcf(update_descriptor(maddr_of(&g[1]), bad[i].desc), -XEN_EINVAL,
                  "update_descriptor refuses a %s", bad[i].what);
        check_rc("GDT frame read-only", page_make_ro(g), 0);
        check_rcf(set_gdt(&frame, 4), -XEN_EINVAL, "set_gdt refuses a frame with a %s",
                  bad[i].what);
        check_rc("refused GDT frame is writable again", page_make_rw(g), 0);
        g[1] = 0;
    }
    page_free(g);
}

static void update_rules(void)
{
    uint64_t *p = page_alloc();
    pte_t *pt = page_alloc();
    long rc;

    rc = update_descriptor(maddr_of(&p[3]), DESC_CODE64(0));
    check_rc("update_descriptor on an ordinary page", rc, 0);
    check_equ("stored with DPL 3", p[3], DESC_CODE64(3));
    rc = update_descriptor(maddr_of(&p[3]) + 4, DESC_DATA(3));
    check_rc("update_descriptor at a misaligned address", rc, -XEN_EINVAL);
    rc = update_descriptor(maddr_of(&p[4]), 0x1234567800000000UL & ~(1UL << 47));
    check_rc("update_descriptor with a not-present descriptor", rc, 0);
    rc = update_descriptor(((uint64_t)(max_ram_mfn + 0x1000)) << PAGE_SHIFT, DESC_DATA(3));
    check_rc("update_descriptor beyond RAM", rc, -XEN_EINVAL);
    check_rc("a page table for update_descriptor", make_pinned_table(pt, 1), 0);
    rc = update_descriptor(maddr_of(&pt[0]), DESC_DATA(3));
    check_rc("update_descriptor into a page table", rc, -XEN_EINVAL);
    check_equ("the page table is unchanged", pt[0], 0);
    check_rc("release the page table", release_table(pt), 0);
    page_free(pt);
    page_free(p);
}

void test_main(void)
{
    mmu_init();
    gdt_frames();
    refused_descriptors();
    update_rules();
}
