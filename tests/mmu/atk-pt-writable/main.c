/*
 * mmu-atk-pt-writable: try to get a writable mapping of a page-table
 * frame, every way a PV guest can ask. Each must be refused with Xen
 * 4.17's error (writable mappings hold a "writable" type reference, which
 * a frame typed L1-L4 cannot take): remapping the tables' own read-only
 * views writable, a second writable alias, a new L1 carrying a writable
 * entry for a table (pinned, hooked in, or written through the ptwr
 * path), a writable self-map, PRESERVE_AD and flag-only "fast path"
 * updates, and the reverse order (turning a writably mapped page into a
 * table).
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-pt-writable: no writable mapping of a page table";

static void own_views(void)
{
    static const char *const lv[] = { "", "L1", "L2", "L3", "L4" };
    unsigned long va = (unsigned long)&test_title;

    for (unsigned int level = 4; level >= 1; level--) {
        /* The table holding va's entry at this level. */
        pte_t *t = (pte_t *)((unsigned long)pt_entry(va, level) & PAGE_MASK);
        unsigned long mfn = mfn_of(t);
        uint64_t ptr = l1e_maddr((unsigned long)t);

        check_rcf(page_make_rw(t), -XEN_EBUSY, "update_va_mapping: the %s's own view writable",
                  lv[level]);
        check_rcf(mmu_update1(ptr, mk_pte(mfn, PTE_RW), DOMID_SELF), -XEN_EBUSY,
                  "mmu_update: the %s's own view writable", lv[level]);
        check_rcf(mmu_update1(ptr | MMU_PT_UPDATE_PRESERVE_AD, mk_pte(mfn, PTE_RW), DOMID_SELF),
                  -XEN_EBUSY, "mmu_update PRESERVE_AD: the %s's own view writable", lv[level]);
        check_eqf((long)(l1e_read((unsigned long)t) & _PAGE_RW), 0,
                  "the %s's own view is still read-only", lv[level]);
    }
}

static void aliases(void)
{
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    unsigned long l4 = mfn_of(cur_l4), l2mfn = mfn_of(l2);
    uint64_t v;
    long rc;

    check_rc("second mapping of the L4, writable", window_map(0, l4, PTE_RW), -XEN_EBUSY);
    check_rc("second mapping of the L2, writable", window_map(0, l2mfn, PTE_RW), -XEN_EBUSY);
    check_rc("second mapping of the L4, read-only", window_map(0, l4, PTE_RO), 0);
    check_after(probe_read(window_va(0), &v) && v == cur_l4[0], "the read-only alias reads the L4",
          "no");
    check_after(!probe_write(window_va(0), v), "the read-only alias cannot be written", "written");
    check(last_fault.vector == X86_EXC_PF, "write through the read-only alias: #PF", "vector %u",
          last_fault.vector);

    /* Flag-only changes of the alias: the fast path must still refuse RW. */
    uint64_t ptr = l1e_maddr((unsigned long)window_va(0));
    rc = mmu_update1(ptr, mk_pte(l4, PTE_RO | _PAGE_NX), DOMID_SELF);
    check_rc("flag-only update of the alias (NX)", rc, 0);
    rc = mmu_update1(ptr, mk_pte(l4, PTE_RO | _PAGE_NX | _PAGE_RW), DOMID_SELF);
    check_rc("flag-only update of the alias adding RW", rc, -XEN_EBUSY);
    rc = mmu_update1(ptr, mk_pte(l4, PTE_RO | (0x7fUL << 52) | 0xe00 | _PAGE_RW), DOMID_SELF);
    check_rc("adding RW hidden among software bits", rc, -XEN_EBUSY);
    check_equ("the alias is still read-only", l1e_read((unsigned long)window_va(0)) & _PAGE_RW, 0);
    rc = HYPERVISOR_update_va_mapping((unsigned long)window_va(0), mk_pte(l4, PTE_RW), UVMF_INVLPG);
    check_rc("update_va_mapping of the alias to RW", rc, -XEN_EBUSY);
    window_unmap(0);
}

static void carrier_l1(void)
{
    pte_t *t = page_alloc();
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    long rc;

    /* An L1 whose entry 5 maps the kernel's L2 writable. */
    t[5] = mk_pte(mfn_of(l2), PTE_RW);
    check_rc("carrier L1 made read-only", page_make_ro(t), 0);
    check_rc("pin an L1 that maps an L2 writable", pin_table(1, mfn_of(t)), -XEN_EBUSY);
    rc = mmu_update1(entry_maddr(&l2[300]), mk_pte(mfn_of(t), PDE_FLAGS), DOMID_SELF);
    check_rc("hook an L1 that maps an L2 writable", rc, -XEN_EBUSY);
    check_equ("the L2 slot stayed empty", l2[300], 0);
    check_rc("the refused carrier is an ordinary page", page_make_rw(t), 0);

    /* An L1 mapping itself writable. */
    memset(t, 0, PAGE_SIZE);
    t[0] = mk_pte(mfn_of(t), PTE_RW);
    check_rc("self-mapping L1 made read-only", page_make_ro(t), 0);
    check_rc("pin an L1 that maps itself writable", pin_table(1, mfn_of(t)), -XEN_EBUSY);
    /* Read-only self-map is fine. */
    page_make_rw(t);
    t[0] = mk_pte(mfn_of(t), PTE_RO);
    page_make_ro(t);
    check_rc("pin an L1 that maps itself read-only", pin_table(1, mfn_of(t)), 0);
    rc = mmu_update1(entry_maddr(&t[0]), mk_pte(mfn_of(t), PTE_RW), DOMID_SELF);
    check_rc("mmu_update: make the self-map writable", rc, -XEN_EBUSY);
    rc = mmu_update1(entry_maddr(&t[1]), mk_pte(mfn_of(cur_l4), PTE_RW), DOMID_SELF);
    check_rc("mmu_update: add a writable L4 mapping to a pinned L1", rc, -XEN_EBUSY);
    /* Writable page tables: the emulated store is validated too. */
    HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
    check_after(!probe_write(&t[2], mk_pte(mfn_of(cur_l4), PTE_RW)),
          "ptwr: store of a writable L4 mapping into an L1 is refused", "emulated");
    check(last_fault.vector == X86_EXC_PF, "ptwr refusal is a #PF", "vector %u", last_fault.vector);
    check_equ("ptwr refusal left the entry empty", t[2], 0);
    check_rc("release the self-mapping L1", release_table(t), 0);
    page_free(t);
}

/* The other order: a page mapped writable somewhere cannot become a
 * table until that mapping is gone. */
static void writable_then_table(void)
{
    pte_t *p = page_alloc();
    unsigned long mfn = mfn_of(p);

    check_rc("a writable second mapping of a page", window_map(1, mfn, PTE_RW), 0);
    check_rc("its region view made read-only", page_make_ro(p), 0);
    for (unsigned int level = 1; level <= 4; level++)
        check_rcf(pin_table(level, mfn), -XEN_EINVAL, "pin as L%u while mapped writable", level);
    check_rc("NEW_BASEPTR to it while mapped writable",
             mmuext1(MMUEXT_NEW_BASEPTR, mfn, 0, DOMID_SELF), -XEN_EINVAL);
    pte_t *l2 = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    check_rc("hook it as an L1 while mapped writable",
             mmu_update1(entry_maddr(&l2[300]), mk_pte(mfn, PDE_FLAGS), DOMID_SELF), -XEN_EINVAL);
    check_rc("drop the writable mapping", window_unmap(1), 0);
    check_rc("now it pins as an L1", pin_table(1, mfn), 0);
    check_rc("and cannot be mapped writable again", window_map(1, mfn, PTE_RW), -XEN_EBUSY);
    check_rc("release it", release_table(p), 0);
    page_free(p);
}

void test_main(void)
{
    mmu_init();
    window_create();
    own_views();
    aliases();
    carrier_l1();
    writable_then_table();
    window_destroy();
}
