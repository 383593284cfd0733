/*
 * mmu-atk-foreign-dom: the foreign-domain arguments of the MMU hypercalls
 * (mmu_update's foreigndom with its page-table owner in bits 31:16,
 * mmuext_op's foreigndom, update_va_mapping_otherdomain's domid). As the
 * only domain, and a privileged one, this guest checks what Xen 4.17
 * answers for domains that do not exist, for naming itself by id, for
 * the special domains (DOMID_IO, DOMID_XEN, DOMID_COW, DOMID_INVALID,
 * DOMID_IDLE), and which operations refuse any foreign owner at all.
 *
 * Still to do once a second, unprivileged domain can be built at boot:
 * the same calls from that domain naming dom0 (-EPERM), and dom0 naming
 * that domain's frames and page tables.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-foreign-dom: foreign-domain arguments of the MMU hypercalls";

static uint64_t *scratch;

static long uvm_other(unsigned long va, pte_t val, unsigned long flags, unsigned int dom)
{
    return _hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, va, val, flags, dom);
}

static void unknown_domains(void)
{
    static const struct { const char *what; unsigned int id; } doms[] = {
        { "a domain that does not exist (77)", 77 },
        { "itself by id (0)", 0 },
        { "DOMID_COW", DOMID_COW },
        { "DOMID_INVALID", DOMID_INVALID },
        { "DOMID_IDLE", DOMID_IDLE },
    };
    struct mmu_update u = { (uint64_t)mfn_of(scratch) << PAGE_SHIFT, 1 };
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };
    unsigned long va = (unsigned long)window_va(0);

    for (unsigned int i = 0; i < ARRAY_SIZE(doms); i++) {
        check_rcf(mmu_update_raw(&u, 1, NULL, doms[i].id), -XEN_ESRCH,
                  "mmu_update naming %s", doms[i].what);
        check_rcf(mmuext_raw(&op, 1, NULL, doms[i].id), -XEN_ESRCH,
                  "mmuext_op naming %s", doms[i].what);
        check_rcf(uvm_other(va, mk_pte(mfn_of(scratch), PTE_RO), UVMF_INVLPG, doms[i].id),
                  -XEN_ESRCH, "update_va_mapping_otherdomain naming %s", doms[i].what);
    }
    check_equ("none of those requests was carried out", scratch[0], 0);

    /* Page-table owner (bits 31:16, owner id + 1). */
    check_rc("mmu_update with page tables of a domain that does not exist",
             mmu_update_raw(&u, 1, NULL, (77 + 1) << 16 | DOMID_SELF), -XEN_ESRCH);
    check_rc("mmu_update with page tables of DOMID_IO",
             mmu_update_raw(&u, 1, NULL, (DOMID_IO + 1) << 16 | DOMID_SELF), -XEN_ESRCH);
    check_rc("mmu_update with page tables of dom0 named by id", 
             mmu_update_raw(&u, 1, NULL, (0 + 1) << 16 | DOMID_SELF), 0);
    check_equ("that one was carried out", scratch[0], 1);
}

static void special_domains(void)
{
    unsigned long va = (unsigned long)window_va(0);
    struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE };

    /* DOMID_IO: I/O memory, with the caller's own I/O rights. */
    check_rc("update_va_mapping_otherdomain DOMID_IO: legacy VGA frame",
             uvm_other(va, mk_pte(0xb8, PTE_RW), UVMF_INVLPG, DOMID_IO), 0);
    check_rc("update_va_mapping_otherdomain DOMID_IO: own RAM frame",
             uvm_other(va, mk_pte(mfn_of(scratch), PTE_RW), UVMF_INVLPG, DOMID_IO), -XEN_EBUSY);
    check_rc("mmu_update DOMID_IO: an L1 entry for the VGA frame",
             mmu_update1(l1e_maddr(va), mk_pte(0xb8, PTE_RO), DOMID_IO), 0);
    check_rc("mmu_update DOMID_IO: plain store into an own page",
             mmu_update1((uint64_t)mfn_of(scratch) << PAGE_SHIFT, 2, DOMID_IO), 0);
    check_rc("mmu_update DOMID_IO: MACHPHYS on an own frame",
             mmu_update1(((uint64_t)mfn_of(scratch) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE,
                         ((unsigned long)scratch - GUEST_VIRT_BASE) >> PAGE_SHIFT, DOMID_IO),
             -XEN_EINVAL);
    op.arg1.mfn = mfn_of(scratch);
    check_rc("mmuext_op DOMID_IO: pin an own frame", mmuext_raw(&op, 1, NULL, DOMID_IO), -XEN_EINVAL);
    op.cmd = MMUEXT_SET_LDT;
    op.arg1.linear_addr = 0;
    op.arg2.nr_ents = 0;
    check_rc("mmuext_op DOMID_IO: SET_LDT", mmuext_raw(&op, 1, NULL, DOMID_IO), -XEN_EPERM);
    op.cmd = MMUEXT_FLUSH_CACHE;
    check_rc("mmuext_op DOMID_IO: FLUSH_CACHE", mmuext_raw(&op, 1, NULL, DOMID_IO), -XEN_EPERM);

    /* DOMID_XEN: frames the hypervisor shares (privileged callers only). */
    check_rc("update_va_mapping_otherdomain DOMID_XEN: own RAM frame",
             uvm_other(va, mk_pte(mfn_of(scratch), PTE_RO), UVMF_INVLPG, DOMID_XEN), -XEN_EBUSY);
    check_rc("mmu_update DOMID_XEN: plain store into an own page",
             mmu_update1(((uint64_t)mfn_of(scratch) << PAGE_SHIFT) | 8, 3, DOMID_XEN), 0);
    op.cmd = MMUEXT_NEW_BASEPTR;
    op.arg1.mfn = mfn_of(cur_l4);
    check_rc("mmuext_op DOMID_XEN: NEW_BASEPTR", mmuext_raw(&op, 1, NULL, DOMID_XEN), -XEN_EPERM);
    op.cmd = MMUEXT_UNPIN_TABLE;
    check_rc("mmuext_op DOMID_XEN: unpin the own L4", mmuext_raw(&op, 1, NULL, DOMID_XEN),
             -XEN_EINVAL);
    window_unmap(0);
}

/* Operations that only ever act on the caller itself. */
static void self_only(void)
{
    static const struct { const char *what; unsigned int cmd; } ops[] = {
        { "NEW_BASEPTR", MMUEXT_NEW_BASEPTR },
        { "NEW_USER_BASEPTR", MMUEXT_NEW_USER_BASEPTR },
        { "TLB_FLUSH_LOCAL", MMUEXT_TLB_FLUSH_LOCAL },
        { "INVLPG_LOCAL", MMUEXT_INVLPG_LOCAL },
        { "TLB_FLUSH_ALL", MMUEXT_TLB_FLUSH_ALL },
        { "INVLPG_ALL", MMUEXT_INVLPG_ALL },
        { "TLB_FLUSH_MULTI", MMUEXT_TLB_FLUSH_MULTI },
        { "FLUSH_CACHE_GLOBAL", MMUEXT_FLUSH_CACHE_GLOBAL },
    };
    uint64_t mask = 1;

    for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
        struct mmuext_op op = { .cmd = ops[i].cmd };

        op.arg1.mfn = mfn_of(cur_l4);
        op.arg2.vcpumask.p = &mask;
        check_rcf(mmuext_raw(&op, 1, NULL, DOMID_IO), -XEN_EPERM, "%s as DOMID_IO", ops[i].what);
    }
}

/* Batches stop at the first refusal whatever the domain argument. */
static void batch(void)
{
    struct mmu_update u[3] = {
        { (uint64_t)mfn_of(scratch) << PAGE_SHIFT, 5 },
        { ((uint64_t)mfn_of(scratch) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0 },
        { ((uint64_t)mfn_of(scratch) << PAGE_SHIFT) | 8, 6 },
    };
    unsigned int done = 99;

    scratch[0] = scratch[1] = 0;
    check_rc("DOMID_IO batch: store, MACHPHYS (refused), store",
             mmu_update_raw(u, 3, &done, DOMID_IO), -XEN_EINVAL);
    check_eqf(done, 1, "DOMID_IO batch: done count");
    check(scratch[0] == 5 && scratch[1] == 0, "DOMID_IO batch: only the first store happened",
          "%#lx %#lx", scratch[0], scratch[1]);
}

void test_main(void)
{
    mmu_init();
    window_create();
    scratch = page_alloc();
    unknown_domains();
    special_domains();
    self_only();
    batch();
    window_destroy();
}
