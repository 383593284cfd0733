/*
 * mmu-atk-superpage: try to alias page tables through large or recursive
 * entries. A 2 MiB (L2) or 1 GiB (L3) PSE entry covering page-table frames
 * would map them writable without any per-frame check: 64-bit PV guests
 * get no superpages at all, whether written by mmu_update or found while
 * validating a new table. Recursive ("linear") entries are Xen's one
 * exception: a table may point at a table of its own level read-only
 * (CONFIG_PV_LINEAR_PT, on in Debian's build), never writable.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-superpage: PSE entries and linear page tables";

static pte_t *kernel_l2(void)
{
    return (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
}

static void pse_entries(void)
{
    pte_t *l2 = kernel_l2();
    /* 2 MiB of machine memory around the L4: page tables live there. */
    unsigned long base = mfn_of(cur_l4) & ~511UL;
    long rc;

    rc = mmu_update1(entry_maddr(&l2[300]), mk_pte(base, PDE_FLAGS | _PAGE_PSE), DOMID_SELF);
    check_rc("L2 PSE entry over the page tables, writable", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&l2[300]), mk_pte(base, PTE_RO | _PAGE_PSE), DOMID_SELF);
    check_rc("L2 PSE entry over the page tables, read-only", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&l2[300]), mk_pte(mfn_of(window_l1), PDE_FLAGS | _PAGE_PSE),
                     DOMID_SELF);
    check_rc("L2 entry to a valid L1 but with PSE set", rc, -XEN_EINVAL);
    check_equ("the L2 slot stayed empty", l2[300], 0);

    /* A fresh L3 in L4 slot 2, then a 1 GiB entry in it. */
    pte_t *l3 = page_alloc();
    check_rc("empty L3 made read-only", page_make_ro(l3), 0);
    rc = mmu_update1(entry_maddr(&cur_l4[2]), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
    check_rc("hook an empty L3 at L4 slot 2", rc, 0);
    rc = mmu_update1(entry_maddr(&l3[0]), mk_pte(0, PDE_FLAGS | _PAGE_PSE), DOMID_SELF);
    check_rc("L3 PSE (1 GiB) entry over machine memory 0-1 GiB", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&l3[0]), mk_pte(0, PTE_RO | _PAGE_PSE), DOMID_SELF);
    check_rc("L3 PSE entry, read-only", rc, -XEN_EINVAL);
    check_equ("the L3 slot stayed empty", l3[0], 0);
    rc = mmu_update1(entry_maddr(&cur_l4[2]), 0, DOMID_SELF);
    check_rc("unhook the L3", rc, 0);
    rc = mmu_update1(entry_maddr(&cur_l4[2]), mk_pte(mfn_of(l3), PDE_FLAGS | _PAGE_PSE), DOMID_SELF);
    check_rc("L4 entry with PSE set", rc, -XEN_EINVAL);
    check_rc("the L3 is an ordinary page again", page_make_rw(l3), 0);

    /* Found during validation instead of written later. */
    pte_t *t = page_alloc();
    t[0] = mk_pte(base, PTE_RO | _PAGE_PSE);
    check_rc("L2 candidate with a PSE entry made read-only", page_make_ro(t), 0);
    check_rc("pin an L2 holding a PSE entry", pin_table(2, mfn_of(t)), -XEN_EINVAL);
    page_make_rw(t);
    t[0] = mk_pte(0, PTE_RO | _PAGE_PSE);
    page_make_ro(t);
    check_rc("pin an L3 holding a PSE entry", pin_table(3, mfn_of(t)), -XEN_EINVAL);
    page_make_rw(t);
    l3[0] = mk_pte(0, PTE_RO | _PAGE_PSE);
    page_make_ro(l3);
    memset(t, 0, PAGE_SIZE);
    t[2] = mk_pte(mfn_of(l3), PDE_FLAGS);
    page_make_ro(t);
    check_rc("pin an L4 whose L3 holds a PSE entry", pin_table(4, mfn_of(t)), -XEN_EINVAL);
    check(page_make_rw(t) == 0 && page_make_rw(l3) == 0,
          "failed validation left both pages untyped", "a type stuck");
    page_free(t);
    page_free(l3);
}

/* Recursive entries: a table pointing at its own level. */
static void linear(void)
{
    pte_t *l2 = page_alloc(), *l3 = page_alloc();
    uint64_t v;
    long rc;

    l3[0] = mk_pte(mfn_of(l2), PDE_FLAGS);
    check(page_make_ro(l2) == 0 && page_make_ro(l3) == 0, "L2 and L3 made read-only", "no");
    rc = mmu_update1(entry_maddr(&cur_l4[2]), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
    check_rc("hook L3 -> L2 at L4 slot 2", rc, 0);

    /* L2[1] -> the L2 itself. */
    rc = mmu_update1(entry_maddr(&l2[1]), mk_pte(mfn_of(l2), PDE_FLAGS), DOMID_SELF);
    check_rc("L2 entry pointing at its own L2, writable", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&l2[1]), mk_pte(mfn_of(l2), PTE_RO), DOMID_SELF);
    check_rc("L2 entry pointing at its own L2, read-only (linear page table)", rc, 0);
    /* Through it, the L2 appears as an L1: its entries map the frames
     * its entries name - here, itself at VA slot 2 / 1 GiB 0 / 2 MiB 1. */
    unsigned long va = (2UL << 39) | (1UL << 21) | (1UL << 12);
    check_after(probe_read((void *)(va + 8), &v) && v == l2[1], "the linear mapping shows the L2 itself",
          "vector %u read %#lx want %#lx", last_fault.vector, v, l2[1]);
    check_after(!probe_write((void *)va, v), "the linear mapping is read-only", "written");
    rc = mmu_update1(entry_maddr(&l2[1]), mk_pte(mfn_of(l2), PTE_RO | _PAGE_RW), DOMID_SELF);
    check_rc("make the linear entry writable", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&l2[1]), 0, DOMID_SELF);
    check_rc("drop the linear entry", rc, 0);

    /* L3[1] -> the L3 itself, the same rules. */
    rc = mmu_update1(entry_maddr(&l3[1]), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
    check_rc("L3 entry pointing at its own L3, writable", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&l3[1]), mk_pte(mfn_of(l3), PTE_RO), DOMID_SELF);
    check_rc("L3 entry pointing at its own L3, read-only", rc, 0);
    rc = mmu_update1(entry_maddr(&l3[1]), 0, DOMID_SELF);
    check_rc("drop the L3 linear entry", rc, 0);

    /* L4 -> itself (a guest slot). */
    rc = mmu_update1(entry_maddr(&cur_l4[3]), mk_pte(mfn_of(cur_l4), PDE_FLAGS), DOMID_SELF);
    check_rc("L4 entry pointing at its own L4, writable", rc, -XEN_EINVAL);
    rc = mmu_update1(entry_maddr(&cur_l4[3]), mk_pte(mfn_of(cur_l4), PTE_RO), DOMID_SELF);
    check_rc("L4 entry pointing at its own L4, read-only", rc, 0);
    rc = mmu_update1(entry_maddr(&cur_l4[3]), 0, DOMID_SELF);
    check_rc("drop the L4 linear entry", rc, 0);

    rc = mmu_update1(entry_maddr(&cur_l4[2]), 0, DOMID_SELF);
    check_rc("unhook the L3", rc, 0);
    check(page_make_rw(l2) == 0 && page_make_rw(l3) == 0, "both tables untyped again",
          "a type stuck");
    page_free(l2);
    page_free(l3);
}

void test_main(void)
{
    mmu_init();
    window_create();
    pse_entries();
    linear();
    window_destroy();
}
