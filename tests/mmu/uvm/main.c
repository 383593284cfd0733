/*
 * mmu-uvm: HYPERVISOR_update_va_mapping and _otherdomain as Xen 4.17
 * answers them: every UVMF flush type with LOCAL, ALL and a vCPU bitmap
 * (seen through a stale translation), a bad bitmap pointer (the mapping
 * still happens), addresses no L1 maps, entry bits Xen accepts or refuses
 * for a hardware domain, and the foreign-domain variants.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-uvm: update_va_mapping flush flags, refusals, _otherdomain";

static uint64_t *page_a, *page_b, *win;

static long uvm(unsigned long va, pte_t val, unsigned long flags)
{
    return HYPERVISOR_update_va_mapping(va, val, flags);
}

static long uvm_other(unsigned long va, pte_t val, unsigned long flags, domid_t dom)
{
    return _hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags, dom);
}

/* Map A, touch it, switch to B with `flags`; true if B is seen. */
static void flush_case(const char *what, unsigned long flags, bool must_see_new)
{
    uint64_t v;
    long rc;

    uvm((unsigned long)win, mk_pte(mfn_of(page_a), PTE_RO), UVMF_INVLPG);
    (void)READ_ONCE(*win);
    rc = uvm((unsigned long)win, mk_pte(mfn_of(page_b), PTE_RO), flags);
    check_rcf(rc, 0, "%s", what);
    bool ok = probe_read(win, &v);
    if (must_see_new)
        check(ok && v == 0xbbbb, what, "after the call the window reads %#lx", v);
    else
        info("%s: window reads %s", what, v == 0xbbbb ? "the new page" : "the stale page");
    mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_SELF);
}

static void flush_flags(void)
{
    static uint64_t mask = 1, bad_mask = 1UL << 30;
    long rc;

    flush_case("UVMF_NONE", UVMF_NONE, false);
    flush_case("UVMF_INVLPG|UVMF_LOCAL", UVMF_INVLPG | UVMF_LOCAL, true);
    flush_case("UVMF_TLB_FLUSH|UVMF_LOCAL", UVMF_TLB_FLUSH | UVMF_LOCAL, true);
    flush_case("UVMF_INVLPG|UVMF_ALL", UVMF_INVLPG | UVMF_ALL, true);
    flush_case("UVMF_TLB_FLUSH|UVMF_ALL", UVMF_TLB_FLUSH | UVMF_ALL, true);
    flush_case("UVMF_INVLPG|UVMF_MULTI {vCPU 0}", UVMF_INVLPG | (unsigned long)&mask, true);
    flush_case("UVMF_TLB_FLUSH|UVMF_MULTI {vCPU 0}", UVMF_TLB_FLUSH | (unsigned long)&mask, true);
    flush_case("UVMF_MULTI naming a vCPU that does not exist",
               UVMF_TLB_FLUSH | (unsigned long)&bad_mask, false);
    /* Flush type 3 is no flush type: ignored, the update still made. */
    flush_case("flush type 3", 3, false);

    /* The update is made first; a bad bitmap only spoils the flush. */
    uvm((unsigned long)win, mk_pte(mfn_of(page_a), PTE_RO), UVMF_INVLPG);
    rc = uvm((unsigned long)win, mk_pte(mfn_of(page_b), PTE_RO), UVMF_TLB_FLUSH | 0x1000);
    check_rc("UVMF_MULTI with an unreadable bitmap", rc, -XEN_EFAULT);
    check_equ("unreadable bitmap: the entry was still updated",
              l1e_read((unsigned long)win) & PTE_CMP_MASK, mk_pte(mfn_of(page_b), _PAGE_PRESENT));
    rc = uvm((unsigned long)win, mk_pte(mfn_of(page_a), PTE_RO), UVMF_INVLPG | 0xffff830000000000UL);
    check_rc("UVMF_MULTI with a bitmap in hypervisor space", rc, -XEN_EFAULT);
    mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_SELF);
}

static void addresses(void)
{
    pte_t e = mk_pte(mfn_of(page_a), PTE_RO);

    check_rc("va in an empty L4 slot", uvm(3UL << 39, e, UVMF_INVLPG), -XEN_EINVAL);
    unsigned long hole = GUEST_VIRT_BASE + (300UL << 21);

    if (*pt_entry(hole, 2) & _PAGE_PRESENT)
        test_error("L2 slot 300 is not free");
    check_rc("va under an empty L2 slot", uvm(hole, e, UVMF_INVLPG), -XEN_EINVAL);
    check_rc("va in the hypervisor's range", uvm(0xffff830000000000UL, e, UVMF_INVLPG), -XEN_EINVAL);
    check_rc("va in the read-only M2P", uvm(0xffff800000000000UL, e, UVMF_INVLPG), -XEN_EINVAL);
    check_rc("non-canonical va", uvm(0x0000800000000000UL, e, UVMF_INVLPG), -XEN_EINVAL);
    check_rc("va not page aligned (the offset is ignored)",
             uvm((unsigned long)win + 0x123, e, UVMF_INVLPG), 0);
    check_rc("a failed update still flushes (no error from the flush)",
             uvm(3UL << 39, e, UVMF_TLB_FLUSH | UVMF_ALL), -XEN_EINVAL);
}

static void entry_bits(void)
{
    unsigned long va = (unsigned long)win, mfn = mfn_of(page_a);
    pte_t e;
    long rc;

    rc = uvm(va, mk_pte(mfn, PTE_RW | _PAGE_NX), UVMF_INVLPG);
    check_rc("NX mapping", rc, 0);
    rc = uvm(va, mk_pte(mfn, PTE_RW | (0x7fUL << 52)), UVMF_INVLPG);
    check_rc("available bits 52-58", rc, 0);
    rc = uvm(va, mk_pte(mfn, PTE_RW | (1UL << 62)), UVMF_INVLPG);
    check_rc("available bit 62", rc, 0);
    rc = uvm(va, mk_pte(mfn, PTE_RW | 0xe00), UVMF_INVLPG);
    check_rc("available bits 9-11", rc, 0);
    rc = uvm(va, mk_pte(mfn, PTE_RW | _PAGE_GLOBAL), UVMF_INVLPG);
    check_rc("GLOBAL on an L1 entry", rc, 0);
    rc = uvm(va, mk_pte(mfn, PTE_RW | _PAGE_PCD | _PAGE_PWT), UVMF_INVLPG);
    check_rc("PCD|PWT (a hardware domain may)", rc, 0);
    rc = uvm(va, mk_pte(mfn, PTE_RW | _PAGE_PAT), UVMF_INVLPG);
    check_rc("PAT (a hardware domain may)", rc, 0);

    /* What the hypervisor makes of a kernel mapping and a user mapping. */
    rc = uvm(va, mk_pte(mfn, PTE_RW), UVMF_INVLPG);
    e = l1e_read(va);
    check(rc == 0 && (e & (_PAGE_USER | _PAGE_GUEST_KERNEL)) == (_PAGE_USER | _PAGE_GUEST_KERNEL),
          "kernel mapping gets USER and the guest-kernel bit", "rc %ld entry %#lx", rc, e);
    info("kernel mapping stored as %#lx", e);
    rc = uvm(va, mk_pte(mfn, PTE_RW | _PAGE_USER), UVMF_INVLPG);
    e = l1e_read(va);
    check(rc == 0 && (e & (_PAGE_USER | _PAGE_GUEST_KERNEL)) == _PAGE_USER,
          "user mapping keeps USER, no guest-kernel bit", "rc %ld entry %#lx", rc, e);
    info("user mapping stored as %#lx", e);
    check_after(probe_read(win, &e), "user mapping readable from the guest kernel", "vector %u",
          last_fault.vector);
    uvm(va, mk_pte(mfn, PTE_RW), UVMF_INVLPG);

    /* Frames: MMIO the hardware domain may map, and frames nobody may. */
    rc = uvm(va, mk_pte(0xb8, PTE_RO), UVMF_INVLPG);
    check_rc("legacy VGA frame 0xb8 (DOMID_IO memory)", rc, 0);
    rc = uvm(va, mk_pte(0xfee00, PTE_RO), UVMF_INVLPG);
    check_rc("the local APIC page", rc, -XEN_EPERM);
    /* Xen lets the hardware domain read the IO-APIC: its page is in
     * mmio_ro_ranges, and a writable request is installed read-only. */
    rc = uvm(va, mk_pte(0xfec00, PTE_RO), UVMF_INVLPG);
    check_rc("the IO-APIC page read-only", rc, 0);
    rc = uvm(va, mk_pte(0xfec00, PTE_RW), UVMF_INVLPG);
    check_rc("the IO-APIC page writable", rc, 0);
    e = l1e_read(va);
    check_equ("the IO-APIC page: a writable request is installed read-only",
              e & (PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW), mk_pte(0xfec00, _PAGE_PRESENT));
    check_equ("MMIO asked for as write-back is installed uncached (PCD|PWT)",
              e & (_PAGE_PCD | _PAGE_PWT | _PAGE_PAT), _PAGE_PCD | _PAGE_PWT);
    info("IO-APIC mapping stored as %#lx", e);
    /* The hardware domain's stores to read-only MMIO are dropped, not
     * faulted (Xen emulates and discards them: mmio_ro_emulated_write):
     * write the IO-APIC's register select, read it back unchanged. */
    {
        volatile uint32_t *ioapic = (volatile uint32_t *)win;
        uint32_t sel = ioapic[0];

        check_after(probe_write(win, 0x10), "a store to the read-only IO-APIC mapping is dropped, no fault",
                    "vector %u ec %#lx", last_fault.vector, last_fault.error_code);
        check_equ("the IO-APIC's register select is unchanged", ioapic[0], sel);
    }
    /* QEMU's ACPI HPET table asks for no page protection: not reserved. */
    rc = uvm(va, mk_pte(0xfed00, PTE_RO), UVMF_INVLPG);
    check_rc("the HPET page read-only", rc, 0);
    e = l1e_read(va);
    check_equ("the HPET page asked for as write-back is installed uncached (PCD|PWT)",
              e & (_PAGE_PCD | _PAGE_PWT | _PAGE_PAT), _PAGE_PCD | _PAGE_PWT);
    rc = uvm(va, mk_pte(0xfed00, PTE_RO | _PAGE_PCD), UVMF_INVLPG);
    check_rc("the HPET page asked for as UC-", rc, 0);
    e = l1e_read(va);
    check_equ("UC- (PCD) is not cacheable: kept as asked", e & (_PAGE_PCD | _PAGE_PWT | _PAGE_PAT),
              _PAGE_PCD);
    rc = uvm(va, mk_pte((1UL << 40) - 1, PTE_RO), UVMF_INVLPG);
    check_rc("mfn 2^40-1 (INVALID_MFN)", rc, -XEN_EINVAL);
    rc = uvm(va, mk_pte(mfn, PTE_RO), UVMF_INVLPG);
    check_rc("back to an own page", rc, 0);
    check_rc("clear the window entry", uvm(va, 0, UVMF_INVLPG), 0);
    check_rc("clear it again (not present to not present)", uvm(va, 0, UVMF_INVLPG), 0);
    check_rc("a not-present entry may hold anything",
             uvm(va, 0xfffffffffffffffeUL, UVMF_INVLPG), 0);
    check_equ("the not-present garbage was stored", l1e_read(va), 0xfffffffffffffffeUL);
    uvm(va, 0, UVMF_INVLPG);
}

static void otherdomain(void)
{
    unsigned long va = (unsigned long)win;
    pte_t e = mk_pte(mfn_of(page_b), PTE_RW);
    long rc;

    rc = uvm_other(va, e, UVMF_INVLPG, DOMID_SELF);
    check_rc("_otherdomain DOMID_SELF", rc, 0);
    rc = uvm_other(va, e, UVMF_INVLPG, 0);
    check_rc("_otherdomain naming itself by id", rc, -XEN_ESRCH);
    rc = uvm_other(va, e, UVMF_INVLPG, 77);
    check_rc("_otherdomain naming a domain that does not exist", rc, -XEN_ESRCH);
    rc = uvm_other(va, mk_pte(0xb8, PTE_RO), UVMF_INVLPG, DOMID_IO);
    check_rc("_otherdomain DOMID_IO with an I/O frame", rc, 0);
    rc = uvm_other(va, e, UVMF_INVLPG, DOMID_IO);
    check_rc("_otherdomain DOMID_IO with an own RAM frame", rc, -XEN_EBUSY);
    uvm(va, 0, UVMF_INVLPG);
}

void test_main(void)
{
    mmu_init();
    window_create();
    page_a = page_alloc();
    page_b = page_alloc();
    *page_a = 0xaaaa;
    *page_b = 0xbbbb;
    win = window_va(0);
    flush_flags();
    addresses();
    entry_bits();
    otherdomain();
    window_destroy();
}
