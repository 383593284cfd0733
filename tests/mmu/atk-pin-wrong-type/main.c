/*
 * mmu-atk-pin-wrong-type: try to pin frames as page tables they are not.
 * A frame with a type (another level, a descriptor page, a writable
 * mapping) cannot be pinned as something else; a frame whose contents do
 * not validate at the asked level cannot be pinned; a failed validation
 * must leave no reference behind (checked by pinning what its entries
 * named); and pin/unpin bookkeeping errors (twice, not pinned, not ours)
 * are refused. Errors as Xen 4.17 gives them.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-pin-wrong-type: pins of the wrong type or contents";

static void typed_frames(void)
{
    pte_t *l2t = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    pte_t *l1t = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 1) & PAGE_MASK);

    check_rc("pin the live L4 as an L3", pin_table(3, mfn_of(cur_l4)), -XEN_EINVAL);
    check_rc("pin the live L4 as an L1", pin_table(1, mfn_of(cur_l4)), -XEN_EINVAL);
    check_rc("pin the live L2 as an L1", pin_table(1, mfn_of(l2t)), -XEN_EINVAL);
    check_rc("pin the live L2 as an L4", pin_table(4, mfn_of(l2t)), -XEN_EINVAL);
    check_rc("pin a live L1 as an L2", pin_table(2, mfn_of(l1t)), -XEN_EINVAL);
    check_rc("unpin a live L1 that is not pinned", unpin_table(mfn_of(l1t)), -XEN_EINVAL);
    check_rc("pin a live, unpinned L1 as an L1 (fine)", pin_table(1, mfn_of(l1t)), 0);
    check_rc("and unpin it again", unpin_table(mfn_of(l1t)), 0);

    /* A frame of code (mapped writable in the region) and the
     * shared-info frame (a hypervisor page mapped writable). */
    check_rc("pin the guest's code page as an L1", pin_table(1, mfn_of(&test_title)), -XEN_EINVAL);
    check_rc("pin the shared-info frame as an L1",
             pin_table(1, start_info->shared_info >> PAGE_SHIFT), -XEN_EINVAL);
    check_rc("pin the start_info page as an L4", pin_table(4, mfn_of(start_info)), -XEN_EINVAL);
    check_rc("pin a DOMID_IO frame (0xb8) as an L1", pin_table(1, 0xb8), -XEN_EINVAL);

    /* A descriptor page. */
    uint64_t *g = page_alloc();
    unsigned long frame = mfn_of(g);
    page_make_ro(g);
    check_rc("a GDT frame", _hypercall2(__HYPERVISOR_set_gdt, &frame, 16), 0);
    for (unsigned int level = 1; level <= 4; level++)
        check_rcf(pin_table(level, frame), -XEN_EINVAL, "pin a live GDT frame as L%u", level);
    check_rc("drop the GDT", _hypercall2(__HYPERVISOR_set_gdt, &frame, 0), 0);
    check_rc("a former GDT frame pins as an L1", pin_table(1, frame), 0);
    check_rc("the pinned L1 cannot become a GDT frame",
             _hypercall2(__HYPERVISOR_set_gdt, &frame, 16), -XEN_EINVAL);
    check_rc("release it", release_table(g), 0);
    page_free(g);
}

static void bad_contents(void)
{
    pte_t *t = page_alloc(), *l1 = page_alloc();
    long rc;

    check_rc("an L1 to point at", make_pinned_table(l1, 1), 0);

    /* One page, pinned at the level its contents do not fit. */
    t[0] = mk_pte(mfn_of(l1), PDE_FLAGS);
    page_make_ro(t);
    check_rc("pin as L2: entry names a pinned L1 (fits)", pin_table(2, mfn_of(t)), 0);
    check_rc("unpin it", unpin_table(mfn_of(t)), 0);
    check_rc("pin as L1: the entry maps that L1 writable", pin_table(1, mfn_of(t)), -XEN_EBUSY);
    check_rc("pin as L3: the entry names an L1, not an L2", pin_table(3, mfn_of(t)), -XEN_EINVAL);
    check_rc("pin as L4: the entry names an L1, not an L3", pin_table(4, mfn_of(t)), -XEN_EINVAL);

    /* Flags an upper-level entry may not carry. */
    static const struct { const char *what; unsigned int level; uint64_t flags; } bad[] = {
        { "L2 entry with PCD", 2, PDE_FLAGS | _PAGE_PCD },
        { "L2 entry with PWT", 2, PDE_FLAGS | _PAGE_PWT },
        { "L2 entry with GLOBAL", 2, PDE_FLAGS | _PAGE_GLOBAL },
        { "L3 entry with PCD", 3, PDE_FLAGS | _PAGE_PCD },
        { "L4 entry with GLOBAL", 4, PDE_FLAGS | _PAGE_GLOBAL },
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        pte_t *lower = bad[i].level == 2 ? l1 : NULL;
        pte_t *l2 = NULL;

        if (bad[i].level > 2) {
            /* An empty table of the level below, pinned. */
            l2 = page_alloc();
            make_pinned_table(l2, bad[i].level - 1);
            lower = l2;
        }
        page_make_rw(t);
        memset(t, 0, PAGE_SIZE);
        t[3] = mk_pte(mfn_of(lower), bad[i].flags);
        page_make_ro(t);
        rc = pin_table(bad[i].level, mfn_of(t));
        check_rcf(rc, -XEN_EINVAL, "pin an L%u holding an %s", bad[i].level, bad[i].what);
        if (l2) {
            release_table(l2);
            page_free(l2);
        }
    }
    check_rc("after all that the candidate is an ordinary page", page_make_rw(t), 0);
    check_rc("release the L1", release_table(l1), 0);
    page_free(l1);
    page_free(t);
}

/* A validation that fails half way must drop what it took. */
static void failed_validation_cleans_up(void)
{
    pte_t *t = page_alloc();
    uint64_t *x = page_alloc();

    for (unsigned int i = 0; i < 10; i++)
        t[i] = mk_pte(mfn_of(x), PTE_RW);              /* 10 writable refs on x */
    t[300] = mk_pte(mfn_of(cur_l4), PTE_RW);            /* then a refusal */
    check_rc("L1 candidate made read-only", page_make_ro(t), 0);
    check_rc("pin an L1 that fails at entry 300", pin_table(1, mfn_of(t)), -XEN_EBUSY);
    check_rc("its frame is untyped again", page_make_rw(t), 0);
    check_rc("x made read-only", page_make_ro(x), 0);
    check_rc("x pins as an L1: no writable reference was left behind", pin_table(1, mfn_of(x)), 0);
    check_rc("release x", release_table(x), 0);

    /* The same one level up: an L2 whose second entry is bad. */
    pte_t *l1 = page_alloc();
    memset(t, 0, PAGE_SIZE);
    page_make_ro(l1);
    page_make_rw(t);
    t[0] = mk_pte(mfn_of(l1), PDE_FLAGS);                /* validates l1 as an L1 */
    t[1] = mk_pte(mfn_of(x), PDE_FLAGS);                 /* x is mapped writable: refused */
    page_make_ro(t);
    check_rc("pin an L2 that fails at entry 1", pin_table(2, mfn_of(t)), -XEN_EINVAL);
    check_rc("the L1 it had validated lost its type again", page_make_rw(l1), 0);
    check_rc("and the L2 candidate too", page_make_rw(t), 0);
    page_free(l1);
    page_free(x);
    page_free(t);
}

static void bookkeeping(void)
{
    pte_t *t = page_alloc();
    unsigned long mfn = mfn_of(t);

    page_make_ro(t);
    check_rc("pin", pin_table(1, mfn), 0);
    check_rc("pin again", pin_table(1, mfn), -XEN_EINVAL);
    check_rc("pin again at another level", pin_table(2, mfn), -XEN_EINVAL);
    check_rc("unpin", unpin_table(mfn), 0);
    check_rc("unpin again", unpin_table(mfn), -XEN_EINVAL);
    check_rc("unpin a page that was never a table", unpin_table(mfn_of(&test_title)), -XEN_EINVAL);
    check_rc("pin a frame beyond RAM", pin_table(1, max_ram_mfn + 5), -XEN_EINVAL);
    check_rc("pin mfn ~0", pin_table(1, ~0UL), -XEN_EINVAL);
    page_make_rw(t);
    page_free(t);
}

void test_main(void)
{
    mmu_init();
    typed_frames();
    bad_contents();
    failed_validation_cleans_up();
    bookkeeping();
}
