/*
 * mmu-atk-foreign-frame: try to use RAM frames the guest does not own
 * (free memory, the hypervisor's, frames it gave back) through every MMU
 * interface: L1 mappings (read-only and writable, as DOMID_SELF and as
 * DOMID_IO), plain stores through mmu_update, M2P updates, pins, base
 * pointers, page copies and clears, descriptor updates and GDT frames,
 * L2-L4 entries naming them, and reservation calls. Xen 4.17 refuses each
 * with the error checked here.
 *
 * The hardware domain may map I/O memory and DOMID_IO frames (the first
 * MiB); those are not "foreign RAM" and are covered by mmu-uvm.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-foreign-frame: no use of frames the guest does not own";

#define NR_PROBES 4

static unsigned long probes[NR_PROBES];

static void pick_frames(void)
{
    /* Spread over RAM: low, middle, high, and just below the top. */
    probes[0] = foreign_ram_mfn(0x100);
    probes[1] = foreign_ram_mfn(max_ram_mfn / 2);
    probes[2] = foreign_ram_mfn(max_ram_mfn - max_ram_mfn / 8);
    probes[3] = foreign_ram_mfn(max_ram_mfn - 64);
    info("foreign frames: %#lx %#lx %#lx %#lx", probes[0], probes[1], probes[2], probes[3]);
}

static long uvm_other(unsigned long va, pte_t val, unsigned long flags, domid_t dom)
{
    return _hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags, dom);
}

static void mappings(void)
{
    unsigned long va = (unsigned long)window_va(0);

    for (unsigned int i = 0; i < NR_PROBES; i++) {
        unsigned long mfn = probes[i];

        check_rcf(window_map(0, mfn, PTE_RO), -XEN_EBUSY, "map foreign frame %u read-only", i);
        check_rcf(window_map(0, mfn, PTE_RW), -XEN_EBUSY, "map foreign frame %u writable", i);
        check_rcf(mmu_update1(l1e_maddr(va), mk_pte(mfn, PTE_RO), DOMID_SELF), -XEN_EBUSY,
                  "mmu_update: L1 entry for foreign frame %u", i);
        check_rcf(uvm_other(va, mk_pte(mfn, PTE_RO), UVMF_INVLPG, DOMID_IO), -XEN_EBUSY,
                  "map foreign frame %u as DOMID_IO", i);
        check_eqf((long)l1e_read(va), 0, "window entry still empty after foreign frame %u", i);
    }
}

static void stores_and_pins(void)
{
    uint64_t *own = page_alloc();
    unsigned long f = probes[1];
    long rc;

    for (unsigned int i = 0; i < NR_PROBES; i++) {
        rc = mmu_update1(((uint64_t)probes[i] << PAGE_SHIFT) | 0x10, 0x4141414141414141UL,
                         DOMID_SELF);
        check_rcf(rc, -XEN_EINVAL, "mmu_update: plain store into foreign frame %u", i);
        for (unsigned int level = 1; level <= 4; level++)
            check_rcf(pin_table(level, probes[i]), -XEN_EINVAL, "pin foreign frame %u as L%u",
                      i, level);
    }
    check_rc("MACHPHYS for a foreign frame",
             mmu_update1(((uint64_t)f << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 1, DOMID_SELF),
             -XEN_EINVAL);
    check_rc("UNPIN of a foreign frame", unpin_table(f), -XEN_EINVAL);
    check_rc("NEW_BASEPTR to a foreign frame",
             mmuext1(MMUEXT_NEW_BASEPTR, f, 0, DOMID_SELF), -XEN_EINVAL);
    check_rc("NEW_USER_BASEPTR to a foreign frame",
             mmuext1(MMUEXT_NEW_USER_BASEPTR, f, 0, DOMID_SELF), -XEN_EINVAL);
    check_rc("COPY_PAGE from a foreign frame",
             mmuext1(MMUEXT_COPY_PAGE, mfn_of(own), f, DOMID_SELF), -XEN_EINVAL);
    check_rc("COPY_PAGE into a foreign frame",
             mmuext1(MMUEXT_COPY_PAGE, f, mfn_of(own), DOMID_SELF), -XEN_EINVAL);
    check_rc("CLEAR_PAGE of a foreign frame",
             mmuext1(MMUEXT_CLEAR_PAGE, f, 0, DOMID_SELF), -XEN_EINVAL);
    check_rc("update_descriptor into a foreign frame",
             _hypercall2(__HYPERVISOR_update_descriptor, (uint64_t)f << PAGE_SHIFT, 0),
             -XEN_EINVAL);
    unsigned long frames[1] = { f };
    check_rc("set_gdt with a foreign frame", _hypercall2(__HYPERVISOR_set_gdt, frames, 16),
             -XEN_EINVAL);
    page_free(own);
}

static void table_entries(void)
{
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    pte_t *l3 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 3) & PAGE_MASK);
    unsigned long f = probes[2];

    check_rc("L2 entry naming a foreign frame as an L1",
             mmu_update1(entry_maddr(&l2[300]), mk_pte(f, PDE_FLAGS), DOMID_SELF), -XEN_EINVAL);
    check_rc("L3 entry naming a foreign frame as an L2",
             mmu_update1(entry_maddr(&l3[100]), mk_pte(f, PDE_FLAGS), DOMID_SELF), -XEN_EINVAL);
    check_rc("L4 entry naming a foreign frame as an L3",
             mmu_update1(entry_maddr(&cur_l4[5]), mk_pte(f, PDE_FLAGS), DOMID_SELF), -XEN_EINVAL);
    check(l2[300] == 0 && l3[100] == 0 && cur_l4[5] == 0, "refused entries stayed empty", "no");

    /* A new L1 carrying a foreign mapping fails validation as a whole. */
    pte_t *t = page_alloc();
    t[0] = mk_pte(mfn_of(&test_title), PTE_RO);
    t[1] = mk_pte(f, PTE_RO);
    check_rc("L1 with a foreign entry made read-only", page_make_ro(t), 0);
    check_rc("pin an L1 with a foreign entry", pin_table(1, mfn_of(t)), -XEN_EBUSY);
    check_rc("hook an L1 with a foreign entry",
             mmu_update1(entry_maddr(&l2[300]), mk_pte(mfn_of(t), PDE_FLAGS), DOMID_SELF),
             -XEN_EBUSY);
    check_rc("the refused L1 is an ordinary page again", page_make_rw(t), 0);
    page_free(t);
}

/* A frame given back stops being the guest's at once. */
static void given_back(void)
{
    unsigned long pfn = start_info->nr_pages - 1, mfn = pfn_to_mfn(pfn);
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    xen_pfn_t list[1] = { mfn };
    long rc;

    check_rc("an unmapped own frame maps", window_map(0, mfn, PTE_RW), 0);
    check_rc("and unmaps", window_unmap(0), 0);
    set_xen_guest_handle(r.extent_start, list);
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    check_rc("give it back", rc, 1);
    set_pfn_to_mfn(pfn, ~0UL);
    check_rc("the given-back frame cannot be mapped", window_map(0, mfn, PTE_RO), -XEN_EBUSY);
    check_rc("nor pinned", pin_table(1, mfn), -XEN_EINVAL);
    check_rc("nor given back twice", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
    list[0] = probes[0];
    check_rc("decrease_reservation of a foreign frame",
             HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
}

void test_main(void)
{
    mmu_init();
    window_create();
    pick_frames();
    mappings();
    stores_and_pins();
    table_entries();
    given_back();
    window_destroy();
}
