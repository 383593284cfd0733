/*
 * mmu-atk-pte-bits: the software bits of L1 entries and the "same frame"
 * fast path. Bit 62 marks grant mappings only in Xen's debug builds;
 * Debian's (release) Xen 4.17 leaves it to the guest, so a guest may set
 * it on any entry, new or existing, by every path. Such an entry must
 * stay an ordinary mapping: it holds its own references, the grant
 * operations do not take it for one of theirs (no maptrack handle names
 * it), and it can still be dropped normally. The mark changes nothing for
 * the other rules either: a page table stays unmappable writable with it,
 * and flags the rules refuse cannot be slipped in by an update that
 * changes nothing else.
 */
#include "../lib/mmu.h"
#include <pvabi/grant_table.h>

const char test_title[] = "mmu-atk-pte-bits: bit 62, software bits and the fast path";

#define BIT62 (1UL << 62)

static int16_t unmap_grant(uint64_t host_addr, grant_handle_t handle, long *rc)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = host_addr, .handle = handle };

    *rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);
    return op.status;
}

static void bit_62(void)
{
    uint64_t *page = page_alloc(), *table = page_alloc(), v = 0;
    unsigned long va = (unsigned long)window_va(0), mfn = mfn_of(page);
    long rc;

    page[0] = 0x62626262;
    rc = window_map(0, mfn, PTE_RW | BIT62);
    check_rc("update_va_mapping: a new entry with bit 62", rc, 0);
    check_equ("bit 62 is stored", l1e_read(va) & BIT62, BIT62);
    check_after(probe_read((void *)va, &v) && v == 0x62626262, "and the mapping works",
                "vector %u read %#lx", last_fault.vector, v);
    rc = window_map(0, mfn, PTE_RW);
    check_rc("clear bit 62 again (same frame)", rc, 0);
    rc = window_map(0, mfn, PTE_RW | BIT62);
    check_rc("set bit 62 on the existing entry (same frame)", rc, 0);
    check_equ("set", l1e_read(va) & BIT62, BIT62);
    rc = mmu_update1(l1e_maddr((unsigned long)window_va(1)), mk_pte(mfn, PTE_RO | BIT62),
                     DOMID_SELF);
    check_rc("mmu_update: a new read-only entry with bit 62", rc, 0);
    /* The writable-page-table path: a plain store into the L1. */
    check_rc("VMASST enable writable_pagetables",
             HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0);
    window_l1[2] = mk_pte(mfn, PTE_RW | BIT62);
    check_equ("ptwr: a stored entry with bit 62 is accepted", window_l1[2] & (BIT62 | _PAGE_PRESENT),
              BIT62 | _PAGE_PRESENT);

    /* Not a grant mapping: no handle names it, the grant ops leave it. */
    int16_t st = unmap_grant(va, 0, &rc);
    check_rc("GNTTABOP_unmap_grant_ref of the marked entry: the call succeeds", rc, 0);
    check_eqf(st, GNTST_bad_handle, "its status: bad handle");
    st = unmap_grant(va, 0xfff0, &rc);
    check_eqf(st, GNTST_bad_handle, "with another handle: bad handle");
    check_after(probe_read((void *)va, &v) && v == 0x62626262, "the marked mapping is intact",
                "vector %u read %#lx", last_fault.vector, v);

    /* The mark opens no other door. */
    check_rc("a table made read-only", page_make_ro(table), 0);
    check_rc("and pinned as an L1", pin_table(1, mfn_of(table)), 0);
    rc = window_map(3, mfn_of(table), PTE_RW | BIT62);
    check_rc("a writable entry with bit 62 for a page table", rc, -XEN_EBUSY);
    rc = window_map(3, mfn_of(table), PTE_RO | BIT62);
    check_rc("a read-only one", rc, 0);
    rc = window_map(3, mfn_of(table), PTE_RW | BIT62);
    check_rc("made writable by changing RW only", rc, -XEN_EBUSY);
    rc = window_map(0, mfn, PTE_RW | BIT62 | _PAGE_PCD);
    check_rc("PCD added to an existing entry (a hardware domain may)", rc, 0);
    check_rc("release the table", window_unmap(3) | release_table(table), 0);

    check_rc("the marked entries drop like any other",
             window_unmap(0) | window_unmap(1) | window_unmap(2), 0);
    check_rc("the page is an ordinary writable page", page_make_rw(page), 0);
    page_free(page);
    page_free(table);
}

/* Upper levels: flags the rules refuse are checked before the fast path. */
static void upper_fast_path(void)
{
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    pte_t *l1 = page_alloc();
    uint64_t ptr = entry_maddr(&l2[300]);
    long rc;

    check_rc("an empty L1, read-only", page_make_ro(l1), 0);
    rc = mmu_update1(ptr, mk_pte(mfn_of(l1), PDE_FLAGS), DOMID_SELF);
    check_rc("hooked into the kernel L2", rc, 0);
    rc = mmu_update1(ptr, mk_pte(mfn_of(l1), PDE_FLAGS | _PAGE_GLOBAL), DOMID_SELF);
    check_rc("L2 entry: add GLOBAL (same frame)", rc, -XEN_EINVAL);
    rc = mmu_update1(ptr, mk_pte(mfn_of(l1), PDE_FLAGS | _PAGE_PWT), DOMID_SELF);
    check_rc("L2 entry: add PWT (same frame)", rc, -XEN_EINVAL);
    rc = mmu_update1(ptr, mk_pte(mfn_of(l1), PDE_FLAGS | BIT62 | _PAGE_NX), DOMID_SELF);
    check_rc("L2 entry: bit 62 and NX (fast path)", rc, 0);
    check_equ("stored without GLOBAL", l2[300] & (_PAGE_GLOBAL | BIT62), BIT62);
    rc = mmu_update1(ptr, 0, DOMID_SELF);
    check_rc("unhook", rc, 0);
    check_rc("the L1 is an ordinary page again", page_make_rw(l1), 0);
    page_free(l1);
}

void test_main(void)
{
    mmu_init();
    window_create();
    bit_62();
    upper_fast_path();
    window_destroy();
}
