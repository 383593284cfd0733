/*
 * mmu-update: HYPERVISOR_mmu_update as Xen 4.17 defines it for a 64-bit
 * PV guest. NORMAL updates of L1-L4 entries (validated) and of ordinary
 * pages (plain stores), PRESERVE_AD, MACHPHYS, unknown commands, the done
 * count of a batch that fails half way, bad argument pointers, the
 * MMU_UPDATE_PREEMPTED resume protocol, and a batch long enough to be
 * preempted and continued while timer events arrive.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-update: NORMAL, PRESERVE_AD, MACHPHYS, batches, continuations";

static long invlpg(const void *va)
{
    return mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)va, 0, DOMID_SELF);
}

/* A NORMAL update of the L1 entry of one of our pages changes what the
 * page allows (after an INVLPG, since mmu_update does not flush). */
static void normal_l1(void)
{
    uint8_t *p = page_alloc();
    uint64_t ptr = l1e_maddr((unsigned long)p), v;
    unsigned long mfn = mfn_of(p);
    long rc;

    p[0] = 0x5a;
    rc = mmu_update1(ptr | MMU_NORMAL_PT_UPDATE, mk_pte(mfn, PTE_RO), DOMID_SELF);
    check_rc("L1 NORMAL: make a data page read-only", rc, 0);
    invlpg(p);
    check_equ("L1 NORMAL: entry has RW clear", l1e_read((unsigned long)p) & (PTE_CMP_MASK),
              mk_pte(mfn, _PAGE_PRESENT));
    check_after(!probe_write(p, 1), "L1 NORMAL: store to the read-only page faults", "no fault");
    check(last_fault.vector == X86_EXC_PF && last_fault.cr2 == (unsigned long)p,
          "L1 NORMAL: the fault is #PF at the page", "vector %u cr2 %#lx",
          last_fault.vector, last_fault.cr2);
    check_equ("L1 NORMAL: #PF error code is present|write", last_fault.error_code, 3);
    check_after(probe_read(p, &v) && (v & 0xff) == 0x5a, "L1 NORMAL: read-only page still reads",
          "faulted or wrong data %#lx", v);

    rc = mmu_update1(ptr, mk_pte(mfn, PTE_RW), DOMID_SELF);
    check_rc("L1 NORMAL: make it writable again", rc, 0);
    invlpg(p);
    check_after(probe_write(p, 0x77), "L1 NORMAL: store works again", "vector %u", last_fault.vector);

    rc = mmu_update1(ptr, 0, DOMID_SELF);
    check_rc("L1 NORMAL: clear the entry", rc, 0);
    invlpg(p);
    check_after(!probe_read(p, &v) && last_fault.vector == X86_EXC_PF,
          "L1 NORMAL: not-present page faults on read", "read %#lx", v);
    check_equ("L1 NORMAL: #PF error code for a read of a not-present page",
              last_fault.error_code, 0);
    rc = mmu_update1(ptr, mk_pte(mfn, PTE_RW), DOMID_SELF);
    check_rc("L1 NORMAL: map it again", rc, 0);
    invlpg(p);
    check_after(probe_read(p, &v) && (v & 0xff) == 0x77, "L1 NORMAL: data survived unmapping",
          "read %#lx", v);

    /* MMU_PT_UPDATE_NO_TRANSLATE is NORMAL for a PV guest. */
    rc = mmu_update1(ptr | MMU_PT_UPDATE_NO_TRANSLATE, mk_pte(mfn, PTE_RW), DOMID_SELF);
    check_rc("L1 NO_TRANSLATE behaves as NORMAL", rc, 0);
    page_free(p);
}

/* A NORMAL update whose target is not a page table is a plain store. */
static void plain_store(void)
{
    uint64_t *q = page_alloc();
    uint64_t base = (uint64_t)mfn_of(q) << PAGE_SHIFT;
    long rc;

    rc = mmu_update1(base + 5 * 8, 0x123456789abcdef0UL, DOMID_SELF);
    check_rc("plain store into an ordinary page", rc, 0);
    check_equ("plain store: the word was written", q[5], 0x123456789abcdef0UL);
    check_equ("plain store: its neighbours were not", q[4] | q[6], 0);
    /* Any value: the page is not a page table, nothing is validated. */
    rc = mmu_update1(base + 8, mk_pte(mfn_of(cur_l4), PTE_RW), DOMID_SELF);
    check_rc("plain store of a would-be writable L4 mapping", rc, 0);
    check_equ("plain store: stored verbatim", q[1], mk_pte(mfn_of(cur_l4), PTE_RW));
    page_free(q);
}

static void preserve_ad(void)
{
    uint8_t *p = page_alloc();
    uint64_t ptr = l1e_maddr((unsigned long)p);
    unsigned long mfn = mfn_of(p);
    pte_t e;
    long rc;

    /* Entry without A/D, then let the hardware set them. */
    rc = mmu_update1(ptr, mk_pte(mfn, _PAGE_PRESENT | _PAGE_RW), DOMID_SELF);
    check_rc("PRESERVE_AD: clean entry installed", rc, 0);
    invlpg(p);
    check_equ("PRESERVE_AD: hardware A/D clear before the store",
              l1e_read((unsigned long)p) & (_PAGE_ACCESSED | _PAGE_DIRTY), 0);
    WRITE_ONCE(p[8], 1);
    e = l1e_read((unsigned long)p);
    check_equ("PRESERVE_AD: the store set A and D", e & (_PAGE_ACCESSED | _PAGE_DIRTY),
              _PAGE_ACCESSED | _PAGE_DIRTY);

    rc = mmu_update1(ptr | MMU_PT_UPDATE_PRESERVE_AD, mk_pte(mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_NX),
                     DOMID_SELF);
    check_rc("PRESERVE_AD: update without A/D", rc, 0);
    e = l1e_read((unsigned long)p);
    check_equ("PRESERVE_AD: A and D kept", e & (_PAGE_ACCESSED | _PAGE_DIRTY),
              _PAGE_ACCESSED | _PAGE_DIRTY);
    check_equ("PRESERVE_AD: new flags taken", e & PTE_CMP_MASK,
              mk_pte(mfn, _PAGE_PRESENT | _PAGE_RW | _PAGE_NX));

    rc = mmu_update1(ptr | MMU_NORMAL_PT_UPDATE, mk_pte(mfn, _PAGE_PRESENT | _PAGE_RW), DOMID_SELF);
    check_rc("NORMAL after PRESERVE_AD", rc, 0);
    e = l1e_read((unsigned long)p);
    check_equ("NORMAL: A and D replaced by the new value", e & (_PAGE_ACCESSED | _PAGE_DIRTY), 0);
    mmu_update1(ptr, mk_pte(mfn, PTE_RW), DOMID_SELF);
    invlpg(p);
    page_free(p);
}

static void machphys(void)
{
    void *p = page_alloc();
    unsigned long mfn = mfn_of(p);
    const volatile unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;
    unsigned long old = m2p[mfn];
    long rc;

    rc = mmu_update1(((uint64_t)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0x12345, DOMID_SELF);
    check_rc("MACHPHYS on an own frame", rc, 0);
    check_equ("MACHPHYS: the read-only M2P shows the new pfn", m2p[mfn], 0x12345);
    /* The offset inside the frame is ignored. */
    rc = mmu_update1(((uint64_t)mfn << PAGE_SHIFT) | 0x7f8 | MMU_MACHPHYS_UPDATE, old, DOMID_SELF);
    check_rc("MACHPHYS with an offset in ptr", rc, 0);
    check_equ("MACHPHYS: pfn restored", m2p[mfn], old);

    unsigned long f = foreign_ram_mfn(0x200);
    unsigned long fold = m2p[f];
    rc = mmu_update1(((uint64_t)f << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0x42, DOMID_SELF);
    check_rc("MACHPHYS on a frame the guest does not own", rc, -XEN_EINVAL);
    check_equ("MACHPHYS refused: M2P unchanged", m2p[f], fold);
    rc = mmu_update1(((uint64_t)(max_ram_mfn + 0x100000) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0,
                     DOMID_SELF);
    check_rc("MACHPHYS beyond RAM", rc, -XEN_EINVAL);
    page_free(p);
}

static void unknown_commands(void)
{
    uint64_t *q = page_alloc();
    uint64_t base = (uint64_t)mfn_of(q) << PAGE_SHIFT;

    for (unsigned int cmd = 4; cmd < 8; cmd++) {
        long rc = mmu_update1(base | cmd, 0x1111, DOMID_SELF);
        check_rcf(rc, -XEN_ENOSYS, "command %u is unknown", cmd);
    }
    check_equ("unknown commands wrote nothing", q[0], 0);
    page_free(q);
}

/* Batches: the done count, and what happens after the first failure. */
static void batches(void)
{
    uint64_t *q = page_alloc();
    uint64_t base = (uint64_t)mfn_of(q) << PAGE_SHIFT;
    unsigned long f = foreign_ram_mfn(0x200);
    struct mmu_update req[4] = {
        { base + 0, 0xa0 },
        { base + 8, 0xa1 },
        { ((uint64_t)f << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, 0 },
        { base + 24, 0xa3 },
    };
    unsigned int done = 0xdead;
    long rc;

    rc = HYPERVISOR_mmu_update(req, 4, &done, DOMID_SELF);
    check_rc("batch failing at request 2", rc, -XEN_EINVAL);
    check_eqf(done, 2, "batch failing at request 2: done count");
    check(q[0] == 0xa0 && q[1] == 0xa1, "batch: requests before the failure applied",
          "%#lx %#lx", q[0], q[1]);
    check_equ("batch: request after the failure not applied", q[3], 0);

    rc = HYPERVISOR_mmu_update(req, 2, NULL, DOMID_SELF);
    check_rc("batch with a NULL done pointer", rc, 0);

    done = 0xdead;
    rc = HYPERVISOR_mmu_update(req, 0, &done, DOMID_SELF);
    check_rc("empty batch", rc, 0);
    check_eqf(done, 0, "empty batch: done count");

    done = 0xdead;
    rc = HYPERVISOR_mmu_update((struct mmu_update *)0x1000, 1, &done, DOMID_SELF);
    check_rc("request array unmapped", rc, -XEN_EFAULT);
    check_eqf(done, 0, "request array unmapped: done count");
    rc = HYPERVISOR_mmu_update((struct mmu_update *)0xffff830000000000UL, 1, &done, DOMID_SELF);
    check_rc("request array in hypervisor space", rc, -XEN_EFAULT);
    rc = HYPERVISOR_mmu_update((struct mmu_update *)0x8000000000000000UL, 1, &done, DOMID_SELF);
    check_rc("request array non-canonical", rc, -XEN_EFAULT);

    /* An unwritable done pointer is not an error: the count is lost. */
    rc = HYPERVISOR_mmu_update(req, 2, (unsigned int *)0x1000, DOMID_SELF);
    check_rc("unwritable done pointer", rc, 0);

    /* The resume protocol: with MMU_UPDATE_PREEMPTED set, the hypervisor
     * takes *done as the count so far and adds to it. */
    done = 100;
    rc = HYPERVISOR_mmu_update(req, 2 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF);
    check_rc("count with MMU_UPDATE_PREEMPTED", rc, 0);
    check_eqf(done, 102, "MMU_UPDATE_PREEMPTED: done continues from *done");

    /* The foreign-domain argument. */
    rc = HYPERVISOR_mmu_update(req, 1, NULL, 0);
    check_rc("foreigndom = own id is refused", rc, -XEN_ESRCH);
    rc = HYPERVISOR_mmu_update(req, 1, NULL, 77);
    check_rc("foreigndom = a domain that does not exist", rc, -XEN_ESRCH);
    rc = mmu_update_raw(req, 1, NULL, (0 + 1) << 16 | DOMID_SELF);
    check_rc("page-table owner = own id + 1 (itself)", rc, 0);
    rc = mmu_update_raw(req, 1, NULL, (77 + 1) << 16 | DOMID_SELF);
    check_rc("page-table owner that does not exist", rc, -XEN_ESRCH);
    page_free(q);
}

/* L2, L3 and L4 entries: hook fresh tables in, walk through them, take
 * them out again; the tables' types come and go with the entries. */
static void upper_levels(void)
{
    uint64_t *data = page_alloc();
    pte_t *l3 = page_alloc(), *l2 = page_alloc(), *l1 = page_alloc();
    const unsigned long va = 2UL << 39;         /* L4 slot 2: free user space */
    pte_t *l4e = &cur_l4[2];
    uint64_t v;
    long rc;

    data[0] = 0xfeedface;
    l1[0] = mk_pte(mfn_of(data), PTE_RO);
    l2[0] = mk_pte(mfn_of(l1), PDE_FLAGS);
    l3[0] = mk_pte(mfn_of(l2), PDE_FLAGS);
    check(page_make_ro(l1) == 0 && page_make_ro(l2) == 0 && page_make_ro(l3) == 0,
          "new L1/L2/L3 made read-only", "update_va_mapping failed");
    check_equ("L4 slot 2 is free", *l4e, 0);
    rc = mmu_update1(entry_maddr(l4e), mk_pte(mfn_of(l3), PDE_FLAGS), DOMID_SELF);
    check_rc("L4 NORMAL: hook a new L3 (validates L3, L2, L1)", rc, 0);
    check_after(probe_read((void *)va, &v) && v == 0xfeedface, "walk through the new tables",
          "faulted (vector %u) or read %#lx", last_fault.vector, v);
    check_rc("a validated L2 cannot be mapped writable", page_make_rw(l2), -XEN_EBUSY);

    /* Replace the L1 entry through the L1's machine address. */
    rc = mmu_update1(entry_maddr(&l1[0]), 0, DOMID_SELF);
    check_rc("L1 NORMAL in the new L1", rc, 0);
    invlpg((void *)va);
    check_after(!probe_read((void *)va, &v), "the page is gone after clearing its entry", "read %#lx", v);

    /* An L3 entry (second L2 at slot 1 of the new L3). */
    pte_t *l2b = page_alloc();
    check_rc("second L2 read-only", page_make_ro(l2b), 0);
    rc = mmu_update1(entry_maddr(&l3[1]), mk_pte(mfn_of(l2b), PDE_FLAGS), DOMID_SELF);
    check_rc("L3 NORMAL: hook a second L2", rc, 0);
    rc = mmu_update1(entry_maddr(&l3[1]), 0, DOMID_SELF);
    check_rc("L3 NORMAL: unhook it", rc, 0);
    check_rc("unhooked L2 is an ordinary page again", page_make_rw(l2b), 0);
    page_free(l2b);

    /* L2 entry: point it at another (empty) L1, then back. */
    pte_t *l1b = page_alloc();
    check_rc("second L1 read-only", page_make_ro(l1b), 0);
    rc = mmu_update1(entry_maddr(&l2[1]), mk_pte(mfn_of(l1b), PDE_FLAGS), DOMID_SELF);
    check_rc("L2 NORMAL: hook a second L1", rc, 0);
    rc = mmu_update1(entry_maddr(&l2[1]), mk_pte(mfn_of(l1b), PDE_FLAGS | _PAGE_NX), DOMID_SELF);
    check_rc("L2 NORMAL: change only flags of a present entry", rc, 0);
    rc = mmu_update1(entry_maddr(&l2[1]), 0, DOMID_SELF);
    check_rc("L2 NORMAL: unhook it", rc, 0);
    check_rc("unhooked L1 is an ordinary page again", page_make_rw(l1b), 0);
    page_free(l1b);

    rc = mmu_update1(entry_maddr(l4e), 0, DOMID_SELF);
    check_rc("L4 NORMAL: unhook the L3", rc, 0);
    invlpg((void *)va);
    check(page_make_rw(l3) == 0 && page_make_rw(l2) == 0 && page_make_rw(l1) == 0,
          "the whole unhooked hierarchy is writable again", "a table kept its type");
    page_free(l3);
    page_free(l2);
    page_free(l1);
    page_free(data);
}

/* ------------------------------------------------------------ continuations */

#define BIG_PAGES 16
#define BIG_COUNT (BIG_PAGES * 512)

static struct mmu_update big[BIG_COUNT];

/* Run the big batch with the timer chain going. */
static struct mmuext_op big_ext[BIG_COUNT];

struct batch { bool ext; unsigned int *done; long rc; };

static void run_batch(void *arg)
{
    struct batch *b = arg;

    b->rc = b->ext ? HYPERVISOR_mmuext_op(big_ext, BIG_COUNT, b->done, DOMID_SELF)
                   : HYPERVISOR_mmu_update(big, BIG_COUNT, b->done, DOMID_SELF);
}

/* The big batch with the timer chain going (see with_timer_chain()). */
static long timed_batch_of(bool ext, unsigned int *done, unsigned long *upcalls)
{
    struct batch b = { ext, done, 0 };
    uint64_t t0 = now_ns();

    *upcalls = with_timer_chain(run_batch, &b);
    info("%s batch of %u: %lu us, %lu upcalls during the call", ext ? "mmuext_op" : "mmu_update",
         BIG_COUNT, (unsigned long)((now_ns() - t0) / 1000), *upcalls);
    return b.rc;
}

static long timed_batch(unsigned int *done, unsigned long *upcalls)
{
    return timed_batch_of(false, done, upcalls);
}

/* Whether the batch is cut into continuations depends on timer events
 * arriving while it runs; on a loaded host the vCPU may run it between
 * two of them, or stall so that the events come late. The batches here
 * give the same result each time, so run one again (at most 8 times more)
 * before concluding it never stops. */
static unsigned long upcalls_retried(bool ext, unsigned long upcalls)
{
    unsigned int done;

    for (unsigned int tries = 0; tries < 8 && upcalls < 2; tries++) {
        done = 0;
        (void)timed_batch_of(ext, &done, &upcalls);
    }
    return upcalls;
}

/* A batch long enough to be preempted: the hypervisor stops at pending
 * events and continues where it stopped, with one done count for all. */
static void long_batch(void)
{
    uint64_t *pages[BIG_PAGES];
    unsigned int done = 0, bad = 0;
    unsigned long upcalls;
    long rc;

    for (unsigned int i = 0; i < BIG_PAGES; i++)
        pages[i] = page_alloc();
    for (unsigned int i = 0; i < BIG_COUNT; i++) {
        big[i].ptr = ((uint64_t)mfn_of(pages[i / 512]) << PAGE_SHIFT) + (i % 512) * 8;
        big[i].val = 0x5500000000UL + i;
    }
    rc = timed_batch(&done, &upcalls);
    check_rc("long batch", rc, 0);
    check_eqf(done, BIG_COUNT, "long batch: done counts every request");
    for (unsigned int i = 0; i < BIG_COUNT; i++)
        if (pages[i / 512][i % 512] != 0x5500000000UL + i)
            bad++;
    check_eqf(bad, 0, "long batch: every store landed, in order");
    upcalls = upcalls_retried(false, upcalls);
    check(upcalls >= 2, "long batch was preempted and continued (events taken mid-batch)",
          "%lu upcalls", upcalls);

    /* The same with a failure near the end: done says where, across all
     * the continuations. */
    big[BIG_COUNT - 3].ptr = ((uint64_t)foreign_ram_mfn(0x200) << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    done = 0;
    rc = timed_batch(&done, &upcalls);
    check_rc("long batch failing near the end", rc, -XEN_EINVAL);
    check_eqf(done, BIG_COUNT - 3, "long batch failing near the end: done count");
    upcalls = upcalls_retried(false, upcalls);
    check(upcalls >= 2, "long failing batch was continued too", "%lu upcalls", upcalls);

    /* mmuext_op batches are preemptible the same way: pins and unpins of
     * one L1, so that a lost or repeated operation shows. */
    pte_t *t = page_alloc();
    page_make_ro(t);
    for (unsigned int i = 0; i < BIG_COUNT; i++) {
        big_ext[i].cmd = i & 1 ? MMUEXT_UNPIN_TABLE : MMUEXT_PIN_L1_TABLE;
        big_ext[i].arg1.mfn = mfn_of(t);
    }
    done = 0;
    rc = timed_batch_of(true, &done, &upcalls);
    check_rc("long mmuext_op batch (pin, unpin, ...)", rc, 0);
    check_eqf(done, BIG_COUNT, "long mmuext_op batch: done counts every operation");
    upcalls = upcalls_retried(true, upcalls);
    check(upcalls >= 2, "long mmuext_op batch was preempted and continued", "%lu upcalls", upcalls);
    check_rc("long mmuext_op batch left the L1 unpinned", unpin_table(mfn_of(t)), -XEN_EINVAL);
    big_ext[BIG_COUNT - 2].cmd = MMUEXT_UNPIN_TABLE;     /* unpin twice: refused */
    done = 0;
    rc = timed_batch_of(true, &done, &upcalls);
    check_rc("long mmuext_op batch failing near the end", rc, -XEN_EINVAL);
    check_eqf(done, BIG_COUNT - 2, "long mmuext_op batch failing near the end: done count");
    check_rc("after the failure the L1 is unpinned", unpin_table(mfn_of(t)), -XEN_EINVAL);
    page_make_rw(t);
    page_free(t);

    for (unsigned int i = 0; i < BIG_PAGES; i++)
        page_free(pages[i]);
}

void test_main(void)
{
    mmu_init();
    normal_l1();
    plain_store();
    preserve_ad();
    machphys();
    unknown_commands();
    batches();
    upper_levels();
    long_batch();
}
