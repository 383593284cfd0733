/*
 * mmu-atk-release-mapped: give frames back (decrease_reservation) while
 * they are still mapped or in use as page tables, and check nothing is
 * freed under the guest's feet. Xen 4.17 accepts the release (the frame
 * loses its allocation reference and any pin) but keeps the frame until
 * the last mapping or type reference goes: data stays intact and the
 * tables keep translating; the reservation drops only then, and the
 * frame can never be mapped again afterwards.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-release-mapped: no frame is freed while still mapped";

static long cur_resv(void)
{
    domid_t d = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
}

static long give_back(unsigned long mfn)
{
    xen_pfn_t list[1] = { mfn };
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
}

/* Back the region page at va with a new frame (it lost its own). */
static void refill(void *va)
{
    xen_pfn_t mfn = 0;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    unsigned long pfn = ((unsigned long)va - GUEST_VIRT_BASE) >> PAGE_SHIFT;

    set_xen_guest_handle(r.extent_start, &mfn);
    if (HYPERVISOR_memory_op(XENMEM_increase_reservation, &r) != 1)
        test_error("cannot get a frame back");
    mmu_update1(((uint64_t)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn, DOMID_SELF);
    set_pfn_to_mfn(pfn, mfn);
    if (HYPERVISOR_update_va_mapping((unsigned long)va, mk_pte(mfn, PTE_RW), UVMF_INVLPG))
        test_error("cannot map the new frame");
}

static void data_page(void)
{
    uint64_t *p = page_alloc();
    unsigned long mfn = mfn_of(p);
    long before = cur_resv();
    uint64_t v;

    p[0] = 0x1122334455667788UL;
    check_rc("a second, writable mapping of the page", window_map(0, mfn, PTE_RW), 0);
    check_rc("give back a page mapped twice", give_back(mfn), 1);
    check_after(probe_read(p, &v) && v == 0x1122334455667788UL, "its data is intact",
                "read %#lx", v);
    check_after(probe_write(window_va(0), 0x99), "it is still writable through the second mapping",
                "vector %u", last_fault.vector);
    check_rc("the reservation has not dropped yet", cur_resv(), before);
    check_rc("drop the second mapping", window_unmap(0), 0);
    check_rc("still mapped once: the reservation has not dropped", cur_resv(), before);
    check_after(probe_read(p, &v) && v == 0x99, "the region mapping still reads it", "read %#lx", v);
    check_rc("drop the last mapping",
             HYPERVISOR_update_va_mapping((unsigned long)p, 0, UVMF_INVLPG), 0);
    check_rc("now the frame is gone from the reservation", cur_resv(), before - 1);
    check_rc("the freed frame cannot be mapped again", window_map(0, mfn, PTE_RO), -XEN_EBUSY);
    check_rc("nor given back again", give_back(mfn), 0);
    refill(p);
    check_rc("the region page is backed by a new frame", cur_resv(), before);
    page_free(p);
}

static void page_table(void)
{
    pte_t *l1 = page_alloc();
    uint64_t *data = page_alloc();
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    const unsigned long va = GUEST_VIRT_BASE + (300UL << 21);
    unsigned long mfn = mfn_of(l1);
    long before = cur_resv();
    uint64_t v;

    data[0] = 0xabcdef;
    l1[0] = mk_pte(mfn_of(data), PTE_RW);
    check_rc("a pinned L1", make_pinned_table(l1, 1), 0);
    check_rc("hooked into the kernel L2",
             mmu_update1(entry_maddr(&l2[300]), mk_pte(mfn, PDE_FLAGS), DOMID_SELF), 0);
    check_after(probe_read((void *)va, &v) && v == 0xabcdef, "it translates", "read %#lx", v);

    check_rc("give back the pinned, hooked L1", give_back(mfn), 1);
    /* No implicit unpin (XSA-252): the guest unpins it itself. */
    check_rc("giving it back kept the pin: the guest unpins", unpin_table(mfn), 0);
    check_after(probe_read((void *)va, &v) && v == 0xabcdef, "the L1 still translates", "read %#lx", v);
    check_rc("it is still an L1: no writable mapping", page_make_rw(l1), -XEN_EBUSY);
    check_rc("the reservation has not dropped", cur_resv(), before);
    check_rc("unhook it", mmu_update1(entry_maddr(&l2[300]), 0, DOMID_SELF), 0);
    mmuext1(MMUEXT_INVLPG_LOCAL, va, 0, DOMID_SELF);
    check_after(!probe_read((void *)va, &v), "the address no longer translates", "read %#lx", v);
    check_rc("still mapped read-only: the reservation has not dropped", cur_resv(), before);
    check_rc("drop the region mapping",
             HYPERVISOR_update_va_mapping((unsigned long)l1, 0, UVMF_INVLPG), 0);
    check_rc("now the frame is gone from the reservation", cur_resv(), before - 1);
    check_rc("the data page it mapped is still the guest's", window_map(0, mfn_of(data), PTE_RW), 0);
    window_unmap(0);
    check_rc("the freed L1 cannot be hooked again",
             mmu_update1(entry_maddr(&l2[300]), mk_pte(mfn, PDE_FLAGS), DOMID_SELF), -XEN_EINVAL);
    check_rc("nor pinned", pin_table(1, mfn), -XEN_EINVAL);
    refill(l1);
    page_free(l1);
    page_free(data);
}

/* A frame in use as the LDT or GDT. */
static void descriptor_page(void)
{
    uint64_t *g = page_alloc();
    unsigned long frame = mfn_of(g);
    long before = cur_resv();

    g[1] = 0x00cff3000000ffffUL;
    page_make_ro(g);
    check_rc("a GDT frame", _hypercall2(__HYPERVISOR_set_gdt, &frame, 16), 0);
    check_rc("give back the live GDT frame", give_back(frame), 1);
    fault_reset();
    __asm__ __volatile__("1: mov %0, %%ds\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(1 << 3 | 3) : "memory");
    check(!last_fault.hit, "the GDT still works", "vector %u", last_fault.vector);
    __asm__ __volatile__("mov %0, %%ds" :: "r"(0));
    check_rc("the reservation has not dropped", cur_resv(), before);
    check_rc("drop the GDT", _hypercall2(__HYPERVISOR_set_gdt, &frame, 0), 0);
    check_rc("drop the region mapping",
             HYPERVISOR_update_va_mapping((unsigned long)g, 0, UVMF_INVLPG), 0);
    check_rc("now the frame is gone", cur_resv(), before - 1);
    check_rc("the freed frame cannot become a GDT again",
             _hypercall2(__HYPERVISOR_set_gdt, &frame, 16), -XEN_EINVAL);
    refill(g);
    page_free(g);
}

void test_main(void)
{
    mmu_init();
    window_create();
    data_page();
    page_table();
    descriptor_page();
    window_destroy();
}
