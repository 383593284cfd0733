/*
 * mmu-atk-l4-hvslots: try to take over the hypervisor's L4 slots
 * (256-271). Writes to those slots of a live L4 are refused; whatever a
 * guest leaves there in a new L4 is ignored and overwritten when the L4 is
 * validated (pinned or used as a base pointer, kernel or user); guest
 * slots cannot point at the hypervisor's own L3s; and the slots cannot be
 * written through the read-only view either.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-l4-hvslots: the hypervisor's L4 slots stay the hypervisor's";

static const unsigned int hv_slots[] = { 256, 257, 258, 259, 260, 261, 262, 270, 271 };

static void live_l4(void)
{
    pte_t *l3 = page_alloc();
    long rc;

    check_rc("an empty L3 made read-only", page_make_ro(l3), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(hv_slots); i++) {
        unsigned int s = hv_slots[i];
        pte_t before = cur_l4[s];

        rc = mmu_update1(entry_maddr(&cur_l4[s]), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
        check_rcf(rc, -XEN_EINVAL, "mmu_update: own L3 into hypervisor slot %u", s);
        rc = mmu_update1(entry_maddr(&cur_l4[s]), 0, DOMID_SELF);
        check_rcf(rc, -XEN_EINVAL, "mmu_update: clear hypervisor slot %u", s);
        rc = mmu_update1(entry_maddr(&cur_l4[s]) | MMU_PT_UPDATE_PRESERVE_AD, before, DOMID_SELF);
        check_rcf(rc, -XEN_EINVAL, "mmu_update: rewrite hypervisor slot %u with its own value", s);
        check_equ("the slot is unchanged", cur_l4[s], before);
    }
    /* The guest slots on either side are the guest's. */
    rc = mmu_update1(entry_maddr(&cur_l4[255]), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
    check_rc("guest slot 255 takes an own L3", rc, 0);
    rc = mmu_update1(entry_maddr(&cur_l4[255]), 0, DOMID_SELF);
    check_rc("and lets it go", rc, 0);
    rc = mmu_update1(entry_maddr(&cur_l4[272]), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
    check_rc("guest slot 272 takes an own L3", rc, 0);
    rc = mmu_update1(entry_maddr(&cur_l4[272]), 0, DOMID_SELF);
    check_rc("and lets it go", rc, 0);

    /* Guest slots naming the hypervisor's L3s (which slots are present
     * is the hypervisor's business: one check for all of them). */
    unsigned int tried = 0, accepted = 0;
    for (unsigned int s = 256; s < 272; s++) {
        pte_t e = cur_l4[s];

        if (!(e & _PAGE_PRESENT) || pte_mfn(e) == mfn_of(cur_l4))
            continue;
        tried++;
        rc = mmu_update1(entry_maddr(&cur_l4[8]), (e & PTE_ADDR_MASK) | PTE_RO, DOMID_SELF);
        if (rc != -XEN_EINVAL) {
            info("guest slot naming the L3 of hypervisor slot %u: %ld (Xen 4.17: -EINVAL)", s, rc);
            accepted++;
        }
    }
    check(tried > 0 && accepted == 0, "guest slots naming the hypervisor's L3s are refused (-EINVAL)",
          "%u of %u not refused with -EINVAL", accepted, tried);
    check_equ("guest slot 8 stayed empty", cur_l4[8], 0);

    /* Through the read-only view, with writable page tables on: L4s are
     * never emulated. */
    HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
    check_after(!probe_write(&cur_l4[260], 0), "store into hypervisor slot 260 faults", "written");
    check(last_fault.vector == X86_EXC_PF, "and it is a #PF", "vector %u", last_fault.vector);
    check_rc("the L3 is an ordinary page again", page_make_rw(l3), 0);
    page_free(l3);
}

/* A new L4 full of junk in the hypervisor's slots. */
static pte_t *junk_l4(void *data)
{
    pte_t *l4 = page_alloc();

    memcpy(l4, cur_l4, 256 * sizeof(pte_t));            /* the guest half... */
    memcpy(&l4[272], &cur_l4[272], 240 * sizeof(pte_t));
    for (unsigned int s = 256; s < 272; s++)            /* ...and junk */
        l4[s] = mk_pte(mfn_of(data), PTE_RW | _PAGE_USER) | ((uint64_t)s << 52);
    return l4;
}

static void new_l4(void)
{
    void *data = page_alloc();
    pte_t *l4 = junk_l4(data), *orig = cur_l4;
    long rc;

    check_rc("junk L4 made read-only", page_make_ro(l4), 0);
    check_rc("pin an L4 with junk in the hypervisor slots", pin_table(4, mfn_of(l4)), 0);
    bool same = true;
    for (unsigned int s = 259; s < 272; s++)
        same &= l4[s] == cur_l4[s];
    check(same, "validation replaced slots 259-271 with the hypervisor's", "junk left");
    check(l4[256] == 0 || l4[256] == cur_l4[256], "slot 256 holds no junk (empty or the RO M2P)",
          "%#lx", l4[256]);
    check(l4[257] != (mk_pte(mfn_of(data), PTE_RW | _PAGE_USER) | (257UL << 52)) &&
          l4[258] != (mk_pte(mfn_of(data), PTE_RW | _PAGE_USER) | (258UL << 52)),
          "slots 257 and 258 hold no junk", "%#lx %#lx", l4[257], l4[258]);
    rc = mmu_switch_base(l4);
    check_rc("NEW_BASEPTR to it", rc, 0);
    check_equ("the M2P works on the new base", ((const unsigned long *)MACH2PHYS_VIRT_START)
              [mfn_of(l4)], ((unsigned long)l4 - GUEST_VIRT_BASE) >> PAGE_SHIFT);
    check_rc("and back", mmu_switch_base(orig), 0);
    check_rc("unpin it", release_table(l4), 0);

    /* The same as a user base pointer (validated on first use). */
    memset(l4, 0, PAGE_SIZE);
    for (unsigned int s = 256; s < 272; s++)
        l4[s] = mk_pte(mfn_of(l4), PTE_RW | _PAGE_USER);
    check_rc("junk user L4 made read-only", page_make_ro(l4), 0);
    rc = mmuext1(MMUEXT_NEW_USER_BASEPTR, mfn_of(l4), 0, DOMID_SELF);
    check_rc("NEW_USER_BASEPTR to an L4 with junk in the hypervisor slots", rc, 0);
    check_equ("a user L4's slot 261 is the hypervisor's", l4[261], cur_l4[261]);
    check_rc("clear the user base pointer", mmuext1(MMUEXT_NEW_USER_BASEPTR, 0, 0, DOMID_SELF), 0);
    check_rc("the user L4 is an ordinary page again", page_make_rw(l4), 0);
    page_free(l4);
    page_free(data);
}

void test_main(void)
{
    mmu_init();
    live_l4();
    new_l4();
}
