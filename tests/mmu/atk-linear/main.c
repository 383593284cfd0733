/*
 * mmu-atk-linear: attacks on linear ("recursive") page tables, which Xen
 * 4.17 allows (CONFIG_PV_LINEAR_PT, on in Debian's build): an L2, L3 or
 * L4 entry may name a table of its own level, read-only, so that the
 * guest reads its page tables through its address space. What must never
 * work: a writable linear entry (write access to page tables), one that
 * names a table that is not the guest's (another domain's, the
 * hypervisor's) or not a validated table, chains (a table named by linear
 * entries holding some of its own, or the other way round), and a named
 * table becoming writable or freed while the entry exists - unpinned or
 * given back, it stays a page table until the last linear entry goes.
 * Also: the flag rules come before the "same frame" fast path, so an
 * existing entry cannot gain a refused flag (GLOBAL at L2-L4, RW on a
 * linear entry) by changing only that.
 *
 * Layout: a fresh L3 in L4 slot 2 with an L2 "top" at index 0; VA
 * 2<<39 | i<<30 | j<<21 | k<<12 is translated through it.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-linear: linear page tables";

#define SLOT2           (2UL << 39)
#define VA(i, j, k)     (SLOT2 | (unsigned long)(i) << 30 | (unsigned long)(j) << 21 | \
                         (unsigned long)(k) << 12)

static pte_t *l3, *top;

static long set_entry(pte_t *p, pte_t val)
{
    return mmu_update1(entry_maddr(p), val, DOMID_SELF);
}

static void flush_all(void)
{
    mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_SELF);
}

static long cur_resv(void)
{
    domid_t d = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
}

/* A pinned L1 whose entry 3 maps page 'data' read-only, and a pinned L2
 * whose entry 0 names that L1. */
static pte_t *l1x, *l2b;
static uint64_t *data;

static void build_tables(void)
{
    l3 = page_alloc();
    top = page_alloc();
    l1x = page_alloc();
    l2b = page_alloc();
    data = page_alloc();
    data[0] = 0x5a5a5a5a;
    l3[0] = mk_pte(mfn_of(top), PDE_FLAGS);
    l1x[3] = mk_pte(mfn_of(data), PTE_RO);
    l2b[0] = mk_pte(mfn_of(l1x), PDE_FLAGS);
    check(page_make_ro(top) == 0 && page_make_ro(l3) == 0 && page_make_ro(l1x) == 0,
          "tables made read-only", "no");
    check_rc("pin an L2 naming an L1", make_pinned_table(l2b, 2), 0);
    check_rc("hook L3 -> top L2 at L4 slot 2",
             set_entry(&cur_l4[2], mk_pte(mfn_of(l3), PDE_FLAGS)), 0);
}

static void writable_and_foreign(void)
{
    unsigned long hv_l3;
    long rc;

    rc = set_entry(&top[1], mk_pte(mfn_of(l2b), PDE_FLAGS));
    check_rc("writable linear L2 entry to another L2", rc, -XEN_EINVAL);
    rc = set_entry(&l3[1], mk_pte(mfn_of(l3), PDE_FLAGS));
    check_rc("writable linear L3 entry to itself", rc, -XEN_EINVAL);
    check_equ("both slots stayed empty", top[1] | l3[1], 0);

    /* Tables that are not the guest's. */
    rc = set_entry(&top[1], mk_pte(foreign_ram_mfn(0x200), PTE_RO));
    check_rc("linear L2 entry to a frame that is not the guest's", rc, -XEN_EINVAL);
    hv_l3 = pte_mfn(cur_l4[261]);
    rc = set_entry(&l3[1], mk_pte(hv_l3, PTE_RO));
    check_rc("linear L3 entry to the hypervisor's L3 under slot 261", rc, -XEN_EINVAL);
    rc = set_entry(&cur_l4[3], mk_pte(pte_mfn(cur_l4[262]), PTE_RO));
    check_rc("L4 entry to the hypervisor's table under slot 262", rc, -XEN_EINVAL);
    /* Not a validated table of that level. */
    uint64_t *plain = page_alloc();
    rc = set_entry(&l3[1], mk_pte(mfn_of(plain), PTE_RO));
    check_rc("L3 entry to a page still mapped writable", rc, -XEN_EINVAL);
    rc = set_entry(&l3[1], mk_pte(mfn_of(l1x), PTE_RO));
    check_rc("L3 entry to an L1 (two levels down)", rc, -XEN_EINVAL);
    check_equ("the slots stayed empty", top[1] | l3[1] | cur_l4[3], 0);
    page_free(plain);
}

/* top[1] -> l2b: VA(0, 1, j) maps what l2b[j] names, i.e. the L1. */
static void read_through(void)
{
    uint64_t v = 0;
    long rc;

    rc = set_entry(&top[1], mk_pte(mfn_of(l2b), PTE_RO));
    check_rc("read-only L2 entry to another validated L2", rc, 0);
    check_after(probe_read((void *)(VA(0, 1, 0) + 3 * 8), &v) && pte_mfn(v) == mfn_of(data),
                "through it the guest reads the L1's entries", "vector %u read %#lx",
                last_fault.vector, v);
    check_after(!probe_write((void *)VA(0, 1, 0), 0), "but cannot write them", "written");
    check_equ("the write fault is a protection fault", last_fault.error_code & 3, 3);
    check_rc("the named L2 cannot be mapped writable", page_make_rw(l2b), -XEN_EBUSY);

    /* The flag rules apply before the same-frame fast path. */
    rc = set_entry(&top[1], mk_pte(mfn_of(l2b), PTE_RO | _PAGE_RW));
    check_rc("make the linear entry writable", rc, -XEN_EINVAL);
    rc = set_entry(&top[1], mk_pte(mfn_of(l2b), PTE_RO | _PAGE_GLOBAL));
    check_rc("add GLOBAL to the linear entry", rc, -XEN_EINVAL);
    rc = set_entry(&top[1], mk_pte(mfn_of(l2b), PTE_RO | _PAGE_NX | 0x200));
    check_rc("NX and a software bit on the linear entry (fast path)", rc, 0);
    check_equ("the entry still names the L2, read-only",
              top[1] & (PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW), mk_pte(mfn_of(l2b), _PAGE_PRESENT));
    rc = set_entry(&l3[0], mk_pte(mfn_of(top), PDE_FLAGS | _PAGE_GLOBAL));
    check_rc("add GLOBAL to an existing L3 entry", rc, -XEN_EINVAL);
    rc = set_entry(&cur_l4[2], mk_pte(mfn_of(l3), PDE_FLAGS | _PAGE_GLOBAL));
    check_rc("add GLOBAL to an existing L4 entry", rc, -XEN_EINVAL);
    rc = set_entry(&top[0], mk_pte(mfn_of(l1x), PDE_FLAGS));
    check_rc("an ordinary L2 entry for comparison", rc, 0);
    rc = set_entry(&top[0], mk_pte(mfn_of(l1x), PDE_FLAGS | _PAGE_GLOBAL));
    check_rc("add GLOBAL to an existing L2 entry", rc, -XEN_EINVAL);
    rc = set_entry(&top[0], mk_pte(mfn_of(l1x), PDE_FLAGS | _PAGE_PCD));
    check_rc("add PCD to an existing L2 entry", rc, -XEN_EINVAL);
    check_rc("drop the ordinary entry", set_entry(&top[0], 0), 0);
}

/* With top[1] -> l2b in place: no chains. */
static void both_ways(void)
{
    pte_t *l2c = page_alloc(), *l2d = page_alloc();
    long rc;

    check_rc("a second pinned L2", make_pinned_table(l2c, 2), 0);
    rc = set_entry(&l2b[5], mk_pte(mfn_of(l2c), PTE_RO));
    check_rc("the named L2 gets a linear entry of its own", rc, -XEN_EINVAL);
    rc = set_entry(&l2c[0], mk_pte(mfn_of(top), PTE_RO));
    check_rc("another L2 names the L2 that holds a linear entry", rc, -XEN_EINVAL);
    rc = set_entry(&l2c[0], mk_pte(mfn_of(l2b), PTE_RO));
    check_rc("another L2 names the same named L2 (allowed)", rc, 0);
    check_rc("drop that one", set_entry(&l2c[0], 0), 0);
    /* Found during validation instead of written later. */
    l2d[0] = mk_pte(mfn_of(top), PTE_RO);
    check_rc("pin an L2 naming the L2 that holds a linear entry", make_pinned_table(l2d, 2),
             -XEN_EINVAL);
    check_rc("that candidate is an ordinary page again", page_make_rw(l2d), 0);
    l2d[0] = mk_pte(mfn_of(l2b), PTE_RO);
    l2d[1] = mk_pte(mfn_of(l2d), PTE_RO);
    check_rc("pin an L2 naming the named L2 and itself", make_pinned_table(l2d, 2), 0);
    check_rc("unpin it", release_table(l2d), 0);
    check_rc("the second L2 unpinned", release_table(l2c), 0);
    page_free(l2c);
    page_free(l2d);
}

/* The named L2 outlives its pin and its allocation while named. */
static void unpin_and_give_back(void)
{
    uint64_t v = 0;
    long before = cur_resv();
    xen_pfn_t mfn = mfn_of(l2b);
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    check_rc("unpin the named L2", unpin_table(mfn), 0);
    check_rc("still named: still an L2 (no writable mapping)", page_make_rw(l2b), -XEN_EBUSY);
    check_rc("its L1 is still an L1 too", page_make_rw(l1x), -XEN_EBUSY);
    check_after(probe_read((void *)(VA(0, 1, 0) + 3 * 8), &v) && pte_mfn(v) == mfn_of(data),
                "the linear mapping still reads it", "vector %u read %#lx", last_fault.vector, v);
    set_xen_guest_handle(r.extent_start, &mfn);
    check_rc("give the named L2 back", HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 1);
    check_rc("the reservation has not dropped", cur_resv(), before);
    check_after(probe_read((void *)(VA(0, 1, 0) + 3 * 8), &v) && pte_mfn(v) == mfn_of(data),
                "given back, it still reads as the L2", "vector %u read %#lx", last_fault.vector, v);
    check_rc("drop the linear entry", set_entry(&top[1], 0), 0);
    flush_all();
    check_after(!probe_read((void *)VA(0, 1, 0), &v), "the linear address no longer translates",
                "read %#lx", v);
    check_rc("its L1 is an ordinary page again", page_make_rw(l1x), 0);
    check_rc("still mapped read-only: the reservation has not dropped", cur_resv(), before);
    check_rc("drop the region mapping of the L2",
             HYPERVISOR_update_va_mapping((unsigned long)l2b, 0, UVMF_INVLPG), 0);
    check_rc("now the frame is gone", cur_resv(), before - 1);
    check_rc("and cannot be named again",
             set_entry(&top[1], mk_pte(mfn, PTE_RO)), -XEN_EINVAL);

    /* Back the region page with a new frame. */
    xen_pfn_t fresh = 0;
    unsigned long pfn = ((unsigned long)l2b - GUEST_VIRT_BASE) >> PAGE_SHIFT;
    set_xen_guest_handle(r.extent_start, &fresh);
    if (HYPERVISOR_memory_op(XENMEM_increase_reservation, &r) != 1)
        test_error("cannot get a frame back");
    mmu_update1(((uint64_t)fresh << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn, DOMID_SELF);
    set_pfn_to_mfn(pfn, fresh);
    if (HYPERVISOR_update_va_mapping((unsigned long)l2b, mk_pte(fresh, PTE_RW), UVMF_INVLPG))
        test_error("cannot map the new frame");
}

/* L3 and L4 level, the same rules. */
static void upper_levels(void)
{
    pte_t *l3b = page_alloc(), *l2e = page_alloc(), *l4b = page_alloc();
    uint64_t v = 0;
    long rc;

    l2e[0] = mk_pte(mfn_of(l1x), PDE_FLAGS);
    l3b[0] = mk_pte(mfn_of(l2e), PDE_FLAGS);
    check(page_make_ro(l2e) == 0 && page_make_ro(l1x) == 0, "L2 and L1 made read-only", "no");
    check_rc("pin an L3 -> L2 -> L1", make_pinned_table(l3b, 3), 0);
    rc = set_entry(&l3[1], mk_pte(mfn_of(l3b), PTE_RO));
    check_rc("read-only L3 entry to another L3", rc, 0);
    /* VA(1, 0, k) maps what l2e[k] names: the L1 itself. */
    check_after(probe_read((void *)(VA(1, 0, 0) + 3 * 8), &v) && pte_mfn(v) == mfn_of(data),
                "through it the guest reads the L1", "vector %u read %#lx", last_fault.vector, v);
    rc = set_entry(&l3[2], mk_pte(mfn_of(l3), PTE_RO));
    check_rc("the L3 holding it also names itself", rc, 0);
    rc = set_entry(&l3b[1], mk_pte(mfn_of(l3), PTE_RO));
    check_rc("the named L3 names the L3 holding the entry", rc, -XEN_EINVAL);
    check_rc("unpin the named L3", unpin_table(mfn_of(l3b)), 0);
    check_rc("it stays an L3", page_make_rw(l3b), -XEN_EBUSY);
    check_rc("drop the L3 linear entries", set_entry(&l3[1], 0) | set_entry(&l3[2], 0), 0);
    flush_all();
    check_rc("the L3 and its L2 are ordinary pages again", page_make_rw(l3b) | page_make_rw(l2e), 0);

    memcpy(l4b, cur_l4, PAGE_SIZE);
    l4b[2] = 0;
    check_rc("pin a copy of the L4", make_pinned_table(l4b, 4), 0);
    rc = set_entry(&cur_l4[3], mk_pte(mfn_of(l4b), PTE_RO | _PAGE_RW));
    check_rc("writable L4 entry to the other L4", rc, -XEN_EINVAL);
    rc = set_entry(&cur_l4[3], mk_pte(mfn_of(l4b), PTE_RO));
    check_rc("read-only L4 entry to the other L4", rc, 0);
    rc = set_entry(&l4b[4], mk_pte(mfn_of(cur_l4), PTE_RO));
    check_rc("the named L4 names the current L4", rc, -XEN_EINVAL);
    check_rc("drop the L4 linear entry", set_entry(&cur_l4[3], 0), 0);
    flush_all();
    check_rc("unpin the other L4", release_table(l4b), 0);
    page_free(l3b);
    page_free(l2e);
    page_free(l4b);
}

void test_main(void)
{
    mmu_init();
    build_tables();
    writable_and_foreign();
    read_through();
    both_ways();
    unpin_and_give_back();
    upper_levels();
    check_rc("unhook the L3", set_entry(&cur_l4[2], 0), 0);
    flush_all();
    check_rc("the top L2 and the L3 are ordinary pages again",
             page_make_rw(top) | page_make_rw(l3), 0);
    check_rc("so is the L1", page_make_rw(l1x), 0);
}
