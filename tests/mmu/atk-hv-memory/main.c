/*
 * mmu-atk-hv-memory: try to reach hypervisor memory. The read-only M2P is
 * readable but not writable; the M2P's frames may be mapped read-only
 * only when asked for as DOMID_XEN (a privileged guest), never writable;
 * shared_info, which the hypervisor writes, never becomes a table;
 * the hypervisor's own page-table frames (found through the hypervisor
 * slots of the guest's L4) cannot be mapped at all; and the hypervisor's
 * address ranges fault from the guest kernel. Errors as Xen 4.17 gives
 * them.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-hv-memory: hypervisor frames, the M2P, hypervisor addresses";

static long uvm_other(unsigned long va, pte_t val, unsigned long flags, domid_t dom)
{
    return _hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags, dom);
}

static void m2p(void)
{
    static xen_pfn_t mfns[8];
    struct xen_machphys_mfn_list l = { .max_extents = ARRAY_SIZE(mfns) };
    volatile unsigned long *ro = (unsigned long *)MACH2PHYS_VIRT_START;
    unsigned long va = (unsigned long)window_va(0);
    uint64_t v;
    long rc;

    set_xen_guest_handle(l.extent_start, mfns);
    rc = HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l);
    check_rc("XENMEM_machphys_mfn_list", rc, 0);
    check(l.nr_extents >= 1, "the M2P has at least one chunk", "%u", l.nr_extents);
    info("M2P chunks: %u, first mfn %#lx", l.nr_extents, mfns[0]);

    check_after(probe_read(ro, &v), "the read-only M2P is readable", "vector %u", last_fault.vector);
    check_after(!probe_write(&ro[mfn_of(cur_l4)], 0), "the read-only M2P is not writable", "written");
    check(last_fault.vector == X86_EXC_PF && last_fault.error_code == 3,
          "writing the M2P: #PF, present|write", "vector %u ec %#lx", last_fault.vector,
          last_fault.error_code);

    unsigned long f = mfns[0];
    check_rc("map an M2P frame read-only as DOMID_SELF", window_map(0, f, PTE_RO), -XEN_EBUSY);
    check_rc("map an M2P frame writable as DOMID_SELF", window_map(0, f, PTE_RW), -XEN_EBUSY);
    check_rc("map an M2P frame writable as DOMID_XEN",
             uvm_other(va, mk_pte(f, PTE_RW), UVMF_INVLPG, DOMID_XEN), -XEN_EBUSY);
    check_rc("map an M2P frame writable as DOMID_IO",
             uvm_other(va, mk_pte(f, PTE_RW), UVMF_INVLPG, DOMID_IO), -XEN_EBUSY);
    check_rc("mmu_update: M2P frame writable as DOMID_XEN",
             mmu_update1(l1e_maddr(va), mk_pte(f, PTE_RW), DOMID_XEN), -XEN_EBUSY);
    check_rc("map an M2P frame read-only as DOMID_XEN (privileged: allowed)",
             uvm_other(va, mk_pte(f, PTE_RO), UVMF_INVLPG, DOMID_XEN), 0);
    check_after(probe_read((void *)va, &v) && v == ro[0], "the read-only M2P frame reads as the M2P",
          "read %#lx, M2P[0] %#lx", v, ro[0]);
    check_after(!probe_write((void *)va, v), "and cannot be written", "written");
    check_rc("map an M2P frame read-only and uncached as DOMID_XEN",
             uvm_other(va, mk_pte(f, PTE_RO | _PAGE_PCD), UVMF_INVLPG, DOMID_XEN), -XEN_EACCES);
    check_rc("pin an M2P frame as an L1 (DOMID_XEN)",
             mmuext1(MMUEXT_PIN_L1_TABLE, f, 0, DOMID_XEN), -XEN_EINVAL);
    check_rc("CLEAR_PAGE of an M2P frame (DOMID_XEN)",
             mmuext1(MMUEXT_CLEAR_PAGE, f, 0, DOMID_XEN), -XEN_EINVAL);
    check_rc("COPY_PAGE into an M2P frame (DOMID_XEN)",
             mmuext1(MMUEXT_COPY_PAGE, f, mfns[0], DOMID_XEN), -XEN_EINVAL);
    check_rc("pin an M2P frame as an L4 (DOMID_XEN)",
             mmuext1(MMUEXT_PIN_L4_TABLE, f, 0, DOMID_XEN), -XEN_EINVAL);
    check_rc("unpin an M2P frame (DOMID_XEN)", mmuext1(MMUEXT_UNPIN_TABLE, f, 0, DOMID_XEN),
             -XEN_EINVAL);
    check_rc("plain store into an M2P frame",
             mmu_update1((uint64_t)f << PAGE_SHIFT, 0, DOMID_SELF), -XEN_EINVAL);
    check_rc("MACHPHYS naming an M2P frame",
             mmu_update1(((uint64_t)f << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0, DOMID_SELF),
             -XEN_EINVAL);
    window_unmap(0);
}

/* shared_info is a hypervisor page the guest may map: the hypervisor
 * writes it at any time, so it can never become a page table or a
 * descriptor page, nor be mapped with other cache attributes. */
static void shared_info_page(void)
{
    unsigned long si = start_info->shared_info >> PAGE_SHIFT;
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);

    check_rc("pin shared_info as an L1", pin_table(1, si), -XEN_EINVAL);
    check_rc("pin shared_info as an L4", pin_table(4, si), -XEN_EINVAL);
    check_rc("shared_info as the kernel base pointer",
             mmuext1(MMUEXT_NEW_BASEPTR, si, 0, DOMID_SELF), -XEN_EINVAL);
    check_rc("shared_info as the user base pointer",
             mmuext1(MMUEXT_NEW_USER_BASEPTR, si, 0, DOMID_SELF), -XEN_EINVAL);
    check_rc("shared_info named by an L2 entry (as an L1)",
             mmu_update1(entry_maddr(&l2[300]), mk_pte(si, PDE_FLAGS), DOMID_SELF), -XEN_EINVAL);
    check_rc("shared_info as a GDT frame", _hypercall2(__HYPERVISOR_set_gdt, &si, 16), -XEN_EINVAL);
    check_rc("shared_info mapped writable (allowed)", window_map(0, si, PTE_RW), 0);
    check_rc("shared_info mapped uncached", window_map(1, si, PTE_RW | _PAGE_PCD), -XEN_EACCES);
    check_rc("shared_info mapped write-through", window_map(1, si, PTE_RO | _PAGE_PWT), -XEN_EACCES);
    window_unmap(0);
    check_equ("the L2 slot stayed empty", l2[300], 0);
}

/* The frames behind the hypervisor's L4 slots are its own page tables. */
static void hv_tables(void)
{
    static const unsigned int slots[] = { 256, 260, 261, 262 };

    for (unsigned int i = 0; i < ARRAY_SIZE(slots); i++) {
        pte_t e = cur_l4[slots[i]];
        unsigned long mfn = pte_mfn(e);

        if (!(e & _PAGE_PRESENT)) {
            info("L4 slot %u is empty", slots[i]);
            continue;
        }
        check_rcf(window_map(0, mfn, PTE_RO), -XEN_EBUSY,
                  "map the hypervisor's table under L4 slot %u read-only", slots[i]);
        check_rcf(window_map(0, mfn, PTE_RW), -XEN_EBUSY,
                  "map the hypervisor's table under L4 slot %u writable", slots[i]);
        check_rcf(uvm_other((unsigned long)window_va(0), mk_pte(mfn, PTE_RO), UVMF_INVLPG,
                            DOMID_IO), -XEN_EBUSY,
                  "map the hypervisor's table under L4 slot %u as DOMID_IO", slots[i]);
        check_rcf(mmu_update1(((uint64_t)mfn << PAGE_SHIFT) | (8 * 5), 0, DOMID_SELF), -XEN_EINVAL,
                  "plain store into the hypervisor's table under L4 slot %u", slots[i]);
        check_rcf(mmu_update1(entry_maddr(&cur_l4[7]), mk_pte(mfn, PDE_FLAGS), DOMID_SELF),
                  -XEN_EINVAL, "guest L4 slot naming the hypervisor's table under slot %u",
                  slots[i]);
    }
    check_equ("guest L4 slot 7 stayed empty", cur_l4[7], 0);
}

static void fault_at(const char *what, unsigned long va, bool write, uint64_t want_ec)
{
    char name[128];
    uint64_t v = 0;
    bool ok = write ? probe_write((void *)va, 0) : probe_read((void *)va, &v);

    snprintf(name, sizeof(name), "%s faults", what);
    check(!ok, name, "no fault, read %#lx", v);
    snprintf(name, sizeof(name), "%s: #PF at the address", what);
    check(last_fault.vector == X86_EXC_PF && last_fault.cr2 == va, name, "vector %u cr2 %#lx",
          last_fault.vector, last_fault.cr2);
    snprintf(name, sizeof(name), "%s: error code", what);
    check_equ(name, last_fault.error_code, want_ec);
}

static void hv_addresses(void)
{
    /* Present but supervisor-only: protection faults (P set). */
    fault_at("read of the hypervisor direct map", 0xffff830000001000UL, false, 1);
    fault_at("write of the hypervisor direct map", 0xffff830000001000UL, true, 3);
    fault_at("read of the read-write M2P", 0xffff828000000000UL, false, 1);
    fault_at("write of the read-write M2P", 0xffff828000000000UL, true, 3);
    fault_at("read of the hypervisor image", 0xffff82d040000000UL + 0x200000, false, 1);
}

void test_main(void)
{
    mmu_init();
    window_create();
    m2p();
    shared_info_page();
    hv_tables();
    hv_addresses();
    window_destroy();
}
