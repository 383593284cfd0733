/*
 * mmu-fuzz: random mmu_update, mmuext_op, update_va_mapping (and
 * set_gdt / update_descriptor) requests, well formed and malformed, over
 * the guest's own frames and random machine frames, for a bounded time.
 *
 *   seed=N   the PRNG seed (printed; default: from the TSC)
 *   secs=N   how long to fuzz (default 5)
 *   cpus=N   fuzzing vCPUs, 1 or 2 (default 1; vCPU 1 uses seed + 1)
 *
 * The guest keeps itself alive by never letting a request write its own
 * code, data or live mappings: contents it may change are a pool of its
 * own pages (half read-only, candidates for page tables; half writable,
 * data), the entries of a scratch L1 window, and entries of its live
 * tables that map nothing it uses. Everything else it names - its own
 * frames and tables, random and foreign frames, junk - only in ways that
 * cannot write them, or where the hypervisor must refuse.
 *
 * Afterwards it checks that the hypervisor still answers, that its own
 * code is intact, that every answer was one of Xen's error codes, and,
 * after undoing everything (unpin, unhook, drop base pointers, GDT, LDT:
 * each vCPU its own),
 * that every pool page can be mapped writable again: no type reference
 * leaked. Then it builds a small known state (pinned and hooked tables)
 * and shuts down with "mmu-fuzz: audit point"; the fuzz script boots
 * Pavise with mmu_audit=1 and expects the hypervisor's "audit: 0
 * violations" after it.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-fuzz: random MMU requests, then invariants";

#define POOL 32                     /* 0..15 read-only (tables), 16..31 data */
#define RO_POOL 16

/* Per-vCPU fuzzing state. */
struct fz_cpu {
    uint64_t rng;
    unsigned long ops, odd_answers;
    unsigned long answers[128];         /* by -rc, 0 = success */
    uint64_t slowest_ns;                /* longest single request */
    unsigned int slowest_kind;
};
static struct fz_cpu fz[2];
static uint64_t fuzz_end;
static volatile bool cpu1_done;
static void *pool_va[POOL];
static unsigned long pool_mfn[POOL], pool_pfn[POOL];
static uint8_t own_map[0x100000 / 8];   /* own frames below 4 GiB */
static pte_t *l2k, *l3k, *orig_l4, *clone_l4;
static unsigned long live_l1[2];        /* the L1s of the start-of-day region */
static unsigned int window_slot_l2;
static uint64_t vcpumask = 1;
static const char *text_start, *text_end;

extern const char _image_start[];
extern const char __start_ex_table[];

static uint64_t rnd(void)
{
    uint64_t *r = &fz[smp_processor_id()].rng;

    *r ^= *r >> 12;
    *r ^= *r << 25;
    *r ^= *r >> 27;
    return *r * 0x2545f4914f6cdd1dUL;
}

static unsigned long below(unsigned long n) { return n ? rnd() % n : 0; }
static bool chance(unsigned int pct) { return below(100) < pct; }

static bool own(unsigned long mfn)
{
    return mfn < sizeof(own_map) * 8 && (own_map[mfn / 8] >> (mfn % 8) & 1);
}

static bool in_pool(unsigned long mfn)
{
    for (unsigned int i = 0; i < POOL; i++)
        if (pool_mfn[i] == mfn)
            return true;
    return false;
}

static unsigned long checksum(const char *a, const char *b)
{
    unsigned long s = 0;

    for (; a < b; a++)
        s = s * 31 + (uint8_t)*a;
    return s;
}

/* ------------------------------------------------------------ choosers */

/* A frame to name. Frames whose contents a request could change must be
 * pool frames or not the guest's at all. */
static unsigned long pick_mfn(bool written)
{
    unsigned long m;

    switch (below(12)) {
    case 0: case 1: case 2: case 3: case 4:
        return pool_mfn[below(POOL)];
    case 5:
        m = pfn_to_mfn(below(start_info->nr_pages));
        break;
    case 6:
        m = mfn_of(below(2) ? (void *)l2k : (void *)orig_l4);
        break;
    case 7: case 8:
        m = below(max_ram_mfn);
        break;
    case 9:
        m = max_ram_mfn + below(0x100000);
        break;
    case 10: {
        static const unsigned long odd[] = { 0xb8, 0xa0, 0, 0xfee00, 0xfec00, 0xfed00,
                                             (1UL << 40) - 1, ~0UL, 0xffffffffffUL, 1UL << 39 };
        m = odd[below(ARRAY_SIZE(odd))];
        break;
    }
    default:
        m = rnd();
        break;
    }
    if (written && own(m) && !in_pool(m))
        return pool_mfn[below(POOL)];
    /* Low memory belongs to DOMID_IO: never let a request write it. */
    if (written && m < 0x100)
        return pool_mfn[below(POOL)];
    return m;
}

static pte_t pick_pte(void)
{
    pte_t e;

    if (chance(3))
        return rnd();
    if (chance(10))
        return rnd() & ~_PAGE_PRESENT;
    e = mk_pte(pick_mfn(false) & 0xffffffffffUL, _PAGE_PRESENT);
    if (chance(50)) e |= _PAGE_RW;
    if (chance(20)) e |= _PAGE_USER;
    if (chance(50)) e |= _PAGE_ACCESSED;
    if (chance(30)) e |= _PAGE_DIRTY;
    if (chance(5)) e |= _PAGE_PSE;
    if (chance(4)) e |= _PAGE_PCD;
    if (chance(4)) e |= _PAGE_PWT;
    if (chance(5)) e |= _PAGE_GLOBAL;
    if (chance(10)) e |= _PAGE_NX;
    if (chance(3)) e |= 1UL << 62;
    if (chance(5)) e |= (rnd() & 0x7f) << 52;
    if (chance(5)) e |= rnd() & 0xe00;
    return e;
}

/* The machine address of an entry it is safe to have rewritten. */
static uint64_t pick_ptr(void)
{
    switch (below(11)) {
    case 0: case 1: case 2:
        return entry_maddr(&window_l1[below(511)]);
    case 3: case 4:
        return ((uint64_t)pool_mfn[below(POOL)] << PAGE_SHIFT) | (below(512) * 8);
    case 5: {
        unsigned int s = 256 + below(200);
        return entry_maddr(&l2k[s == window_slot_l2 ? 300 : s]);
    }
    case 6:
        return entry_maddr(&l3k[100 + below(400)]);
    case 7: {
        unsigned int s = chance(20) ? 256 + below(16) : chance(50) ? 1 + below(255)
                                                                   : 272 + below(239);
        return entry_maddr(&orig_l4[s]);
    }
    case 8:
        return (uint64_t)pick_mfn(true) << PAGE_SHIFT | (below(512) * 8);
    case 9: {
        uint64_t p = rnd() & ~7UL;
        return own(p >> PAGE_SHIFT) && !in_pool(p >> PAGE_SHIFT) ? entry_maddr(&window_l1[0]) : p;
    }
    default:
        return entry_maddr(&clone_l4[1 + below(255)]);
    }
}

static unsigned long pick_va(void)
{
    switch (below(8)) {
    case 0: case 1: case 2: case 3:
        return window_base + below(511) * PAGE_SIZE + (chance(10) ? below(PAGE_SIZE) : 0);
    case 4:
        return (1 + below(255)) << 39 | (below(1UL << 39) & PAGE_MASK);
    case 5:
        return 0xffff800000000000UL + (below(16) << 39) + (below(1UL << 39) & PAGE_MASK);
    case 6:
        return rnd() & ~((1UL << 47) - 1) & ~(0xffffUL << 48);      /* non-canonical */
    default:
        return ((272 + below(239)) << 39) | 0xffff000000000000UL;
    }
}

static domid_t pick_dom(unsigned int self_pct)
{
    static const domid_t doms[] = { 0, 77, DOMID_IO, DOMID_XEN, 0x7ff3, 0x7ff4, 0x7fff };

    if (chance(self_pct))
        return DOMID_SELF;
    return chance(80) ? doms[below(ARRAY_SIZE(doms))] : (domid_t)rnd();
}

static void *pick_done(unsigned int *done)
{
    unsigned int r = (unsigned int)below(10);

    return r < 7 ? (void *)done : r == 7 ? NULL : r == 8 ? (void *)0x1000 : (void *)0xffff830000000000UL;
}

/* ------------------------------------------------------------ requests */

static void account(long rc)
{
    static const long known[] = { 0, -XEN_EPERM, -XEN_ENOENT, -XEN_ESRCH, -XEN_EINVAL, -XEN_EBUSY,
                                  -XEN_EFAULT, -XEN_ENOSYS, -XEN_EOPNOTSUPP, -XEN_EACCES,
                                  -XEN_ENOMEM, -XEN_EAGAIN };
    struct fz_cpu *c = &fz[smp_processor_id()];
    bool ok = false;

    c->ops++;
    for (unsigned int i = 0; i < ARRAY_SIZE(known); i++)
        ok |= rc == known[i];
    if (!ok) {
        if (c->odd_answers++ < 5)
            info("vCPU %u: unexpected answer %ld", smp_processor_id(), rc);
        return;
    }
    c->answers[-rc]++;
}

static void fuzz_mmu_update(void)
{
    struct mmu_update req[16];
    unsigned int n = 1 + (unsigned int)below(chance(70) ? 2 : 16), done = 0;

    for (unsigned int i = 0; i < n; i++) {
        unsigned int cmd = chance(85) ? (chance(70) ? MMU_NORMAL_PT_UPDATE : MMU_PT_UPDATE_PRESERVE_AD)
                         : chance(50) ? MMU_MACHPHYS_UPDATE : (unsigned int)below(8);
        if (cmd == MMU_MACHPHYS_UPDATE) {
            req[i].ptr = (uint64_t)pick_mfn(true) << PAGE_SHIFT;
            req[i].val = chance(50) ? below(start_info->nr_pages + 10) : rnd();
        } else {
            req[i].ptr = pick_ptr();
            req[i].val = pick_pte();
        }
        req[i].ptr = (req[i].ptr & ~7UL) | cmd;
    }
    unsigned int dom = pick_dom(85);
    if (chance(3))
        dom |= (chance(50) ? 1u : (unsigned int)below(0x10000)) << 16;
    unsigned int count = n | (chance(3) ? MMU_UPDATE_PREEMPTED : 0);
    void *reqs = chance(97) ? (void *)req : chance(50) ? (void *)0x1000 : (void *)0xffff830000000000UL;
    account(mmu_update_raw(reqs, count, pick_done(&done), dom));
}

static void fuzz_mmuext(void)
{
    struct mmuext_op op[6];
    unsigned int n = 1 + (unsigned int)below(chance(70) ? 1 : 6), done = 0;
    static const unsigned int weighted[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE,
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_UNPIN_TABLE, MMUEXT_UNPIN_TABLE,
        MMUEXT_NEW_BASEPTR, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL, MMUEXT_TLB_FLUSH_MULTI,
        MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL, MMUEXT_INVLPG_ALL, MMUEXT_FLUSH_CACHE,
        MMUEXT_SET_LDT, MMUEXT_NEW_USER_BASEPTR, MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE,
        MMUEXT_FLUSH_CACHE_GLOBAL, MMUEXT_MARK_SUPER, MMUEXT_UNMARK_SUPER, 14, 21, 0xffffffffu,
    };
    bool writes = false;

    for (unsigned int i = 0; i < n; i++) {
        unsigned int cmd = weighted[below(ARRAY_SIZE(weighted))];

        memset(&op[i], 0, sizeof(op[i]));
        op[i].cmd = cmd;
        switch (cmd) {
        case MMUEXT_NEW_BASEPTR: {
            /* Never another own page: one that validated would become
             * the page tables this guest runs on. */
            unsigned long m = below(3) == 0 ? mfn_of(orig_l4) : below(2) ? mfn_of(clone_l4)
                                                                : pick_mfn(false);
            if (own(m) && m != mfn_of(orig_l4))
                m = mfn_of(clone_l4);
            op[i].arg1.mfn = m;
            break;
        }
        case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_MULTI: case MMUEXT_INVLPG_ALL:
            op[i].arg1.linear_addr = chance(50) ? pick_va() : rnd();
            op[i].arg2.vcpumask.p = chance(80) ? &vcpumask : (void *)(rnd() & ~7UL);
            break;
        case MMUEXT_TLB_FLUSH_MULTI:
            op[i].arg2.vcpumask.p = chance(80) ? &vcpumask : (void *)(rnd() & ~7UL);
            break;
        case MMUEXT_SET_LDT:
            op[i].arg1.linear_addr = chance(50) ? (unsigned long)pool_va[below(POOL)] : pick_va();
            op[i].arg2.nr_ents = (unsigned int)(chance(80) ? below(600) : rnd());
            break;
        case MMUEXT_CLEAR_PAGE: case MMUEXT_COPY_PAGE:
            op[i].arg1.mfn = pick_mfn(true);
            op[i].arg2.src_mfn = pick_mfn(false);
            writes = true;
            break;
        default:
            op[i].arg1.mfn = pick_mfn(false);
            break;
        }
    }
    /* Page contents change only as the guest itself. */
    unsigned int dom = writes ? DOMID_SELF : pick_dom(85);
    unsigned int count = n | (chance(3) ? MMU_UPDATE_PREEMPTED : 0);
    account(mmuext_raw(op, count, pick_done(&done), dom));
}

/*
 * update_va_mapping writes the L1 entry the hypervisor finds by walking
 * the current tables, and a random hierarchy in the user slots may name
 * this guest's live L2 (pick_mfn's case 6): then an address there
 * reaches the L1s of the start-of-day region and rewrites the guest's
 * own mappings (its code, data or p2m list), a legitimate request that
 * kills the guest on any hypervisor. Walk both possible bases as the
 * hypervisor would and keep such addresses away (an unreadable table
 * on the way counts as dangerous); the other vCPU can still race this,
 * rarely enough.
 */
static bool reaches_live_l1(unsigned long va)
{
    const pte_t *const bases[2] = { orig_l4, clone_l4 };

    for (unsigned int b = 0; b < 2; b++) {
        const pte_t *t = bases[b];
        unsigned long mfn = 0;

        for (unsigned int level = 4; level > 1 && t; level--) {
            pte_t e = READ_ONCE(t[pt_index(va, level)]);
            if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
                break;
            mfn = pte_mfn(e);
            t = mfn_va(mfn);
            if (!t)
                return true;
            if (level == 2 && (mfn == live_l1[0] || mfn == live_l1[1]))
                return true;
        }
    }
    return false;
}

static unsigned long pick_uvm_va(void)
{
    unsigned long va = pick_va();

    return reaches_live_l1(va) ? window_base : va;
}

static void fuzz_uvm(void)
{
    unsigned long flags = below(4) | (chance(30) ? UVMF_ALL : 0);

    if (chance(10))
        flags = (flags & UVMF_FLUSHTYPE_MASK) | (chance(70) ? (unsigned long)&vcpumask
                                                            : (rnd() & ~7UL));
    if (chance(15))
        account(_hypercall4(__HYPERVISOR_update_va_mapping_otherdomain, pick_uvm_va(), pick_pte(),
                            flags, pick_dom(20)));
    else
        account(HYPERVISOR_update_va_mapping(pick_uvm_va(), pick_pte(), flags));
}

static void fuzz_descriptors(void)
{
    if (chance(50)) {
        unsigned long frames[3] = { pick_mfn(false), pick_mfn(false), pick_mfn(false) };
        account(_hypercall2(__HYPERVISOR_set_gdt, frames, (unsigned int)below(1100)));
    } else {
        uint64_t ma = (uint64_t)pick_mfn(true) << PAGE_SHIFT | (below(512) * 8);
        account(_hypercall2(__HYPERVISOR_update_descriptor, ma, chance(50) ? rnd()
                            : 0x00cf92000000ffffUL | (rnd() & 0x00007f0000000000UL)));
    }
}

/* ------------------------------------------------------------ set-up, undo */

static void prepare(void)
{
    long rc;

    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++) {
        unsigned long m = pfn_to_mfn(pfn);
        if (m < sizeof(own_map) * 8)
            own_map[m / 8] |= 1 << (m % 8);
    }
    window_create();
    orig_l4 = cur_l4;
    l2k = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 2) & PAGE_MASK);
    l3k = (pte_t *)((unsigned long)pt_entry(GUEST_VIRT_BASE, 3) & PAGE_MASK);
    window_slot_l2 = pt_index(window_base, 2);
    live_l1[0] = pte_mfn(l2k[pt_index(GUEST_VIRT_BASE, 2)]);
    live_l1[1] = pte_mfn(l2k[pt_index(GUEST_VIRT_BASE, 2) + 1]);
    for (unsigned int i = 0; i < POOL; i++) {
        pool_va[i] = page_alloc();
        pool_mfn[i] = mfn_of(pool_va[i]);
        pool_pfn[i] = ((unsigned long)pool_va[i] - GUEST_VIRT_BASE) >> PAGE_SHIFT;
        if (i < RO_POOL && (rc = page_make_ro(pool_va[i])) != 0)
            test_error("pool page %u read-only: %ld", i, rc);
    }
    clone_l4 = page_alloc();
    memcpy(clone_l4, orig_l4, PAGE_SIZE);
    if ((rc = make_pinned_table(clone_l4, 4)) != 0)
        test_error("pinning the clone L4: %ld", rc);
}

static void clear_slot(pte_t *e)
{
    if (*e)
        mmu_update1(entry_maddr(e), 0, DOMID_SELF);
}

/* Undo everything the fuzzer may have set up, innermost references
 * first: the start-of-day L4 may have lost its type while another base
 * was in use, and then takes back its type only once no writable
 * mapping of it is left and its guest slots validate. */
static void undo(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };
    unsigned long none = 0;

    /* The M2P entries of pool frames first: the helpers rely on them. */
    for (unsigned int i = 0; i < POOL; i++)
        mmu_update1(((uint64_t)pool_mfn[i] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pool_pfn[i],
                    DOMID_SELF);
    check_rc("undo: no user L4", mmuext1(MMUEXT_NEW_USER_BASEPTR, 0, 0, DOMID_SELF), 0);
    check_rc("undo: no LDT", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
    check_rc("undo: no GDT", _hypercall2(__HYPERVISOR_set_gdt, &none, 0), 0);
    for (unsigned int i = 0; i < 512; i++)
        if (window_l1[i])
            window_unmap(i);
    for (unsigned int s = 256; s < 456; s++)
        if (s != window_slot_l2)
            clear_slot(&l2k[s]);
    for (unsigned int s = 100; s < 500; s++)
        clear_slot(&l3k[s]);
    for (unsigned int s = 1; s < 511; s++) {
        if (s >= 256 && s < 272)
            continue;
        clear_slot(&orig_l4[s]);
        if (s < 256)
            clear_slot(&clone_l4[s]);
    }
    for (unsigned int i = 0; i < POOL; i++)
        unpin_table(pool_mfn[i]);
    /* Random own frames outside the pool may have been pinned too, and
     * written through update_va_mapping while some pool table linked
     * them in: their entries may still map pool pages or the start-of-
     * day L4 writable. Unpin every own frame (the tables this guest runs
     * on stay validated through the base pointer). */
    for (unsigned long pfn = 0; pfn < start_info->nr_pages; pfn++)
        unpin_table(pfn_to_mfn(pfn));
    check_rc("undo: back on the start-of-day L4",
             mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(orig_l4), 0, DOMID_SELF), 0);
    cur_l4 = orig_l4;
    /* Our own tables may have been pinned too; the L4 stays pinned. */
    unpin_table(mfn_of(l2k));
    unpin_table(mfn_of(l3k));
    unpin_table(mfn_of(pt_entry(GUEST_VIRT_BASE, 1)));
    pin_table(4, mfn_of(orig_l4));
    unpin_table(mfn_of(clone_l4));
}

/* ------------------------------------------------------------ main */

static const char *const kinds[] = { "mmu_update", "mmuext_op", "update_va_mapping",
                                     "descriptors" };

static void fuzz_loop(void)
{
    struct fz_cpu *c = &fz[smp_processor_id()];

    while (now_ns() < fuzz_end) {
        for (unsigned int i = 0; i < 16; i++) {
            unsigned int r = (unsigned int)below(20);
            unsigned int kind = r < 8 ? 0 : r < 13 ? 1 : r < 19 ? 2 : 3;
            uint64_t t0 = now_ns();

            switch (kind) {
            case 0: fuzz_mmu_update(); break;
            case 1: fuzz_mmuext(); break;
            case 2: fuzz_uvm(); break;
            default: fuzz_descriptors(); break;
            }
            uint64_t dt = now_ns() - t0;
            if (dt > c->slowest_ns) {
                c->slowest_ns = dt;
                c->slowest_kind = kind;
            }
        }
    }
}

/* What only a vCPU itself can undo: its base pointers, LDT and GDT.
 * vCPU 1 does this before vCPU 0 undoes the rest; its kernel base goes
 * back to a table of this guest's (the clone is pinned until undo(),
 * the start-of-day L4 may have lost its type meanwhile). */
static void undo_vcpu(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };
    unsigned long none = 0;

    mmuext1(MMUEXT_NEW_USER_BASEPTR, 0, 0, DOMID_SELF);
    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
    _hypercall2(__HYPERVISOR_set_gdt, &none, 0);
    if (mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(clone_l4), 0, DOMID_SELF))
        mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(orig_l4), 0, DOMID_SELF);
}

static void cpu1_main(unsigned int cpu)
{
    (void)cpu;
    fuzz_loop();
    undo_vcpu();
    cpu1_done = true;
}

void test_main(void)
{
    char buf[32];
    unsigned long secs = 5, cpus = 1, ops = 0, odd = 0, answers[128] = { 0 };

    mmu_init();
    fz[0].rng = rdtsc() | 1;
    if (cmdline_option("seed", buf, sizeof(buf)))
        fz[0].rng = strtoul(buf, NULL, 0) | 1;
    if (cmdline_option("secs", buf, sizeof(buf)))
        secs = strtoul(buf, NULL, 0);
    if (cmdline_option("cpus", buf, sizeof(buf)))
        cpus = strtoul(buf, NULL, 0) >= 2 ? 2 : 1;
    fz[1].rng = fz[0].rng + 2;
    printk("mmu-fuzz: seed %#lx, %lu s, %lu vCPU(s)\n", fz[0].rng, secs, cpus);
    prepare();

    text_start = _image_start;
    text_end = __start_ex_table;
    unsigned long sum = checksum(text_start, text_end);
    fuzz_end = now_ns() + secs * 1000000000UL;
    if (cpus == 2) {
        long rc = smp_start_cpu(1, cpu1_main);
        if (rc)
            test_error("starting vCPU 1: %ld", rc);
    } else {
        cpu1_done = true;
    }
    fuzz_loop();
    while (!cpu1_done)
        cpu_relax();

    for (unsigned int c = 0; c < 2; c++) {
        ops += fz[c].ops;
        odd += fz[c].odd_answers;
        for (unsigned int i = 0; i < 128; i++)
            answers[i] += fz[c].answers[i];
    }
    info("%lu requests; answers: 0 x%lu, -EINVAL x%lu, -EBUSY x%lu, -EPERM x%lu, -ESRCH x%lu, "
         "-EFAULT x%lu, -ENOSYS x%lu, -EOPNOTSUPP x%lu", ops, answers[0], answers[XEN_EINVAL],
         answers[XEN_EBUSY], answers[XEN_EPERM], answers[XEN_ESRCH], answers[XEN_EFAULT],
         answers[XEN_ENOSYS], answers[XEN_EOPNOTSUPP]);

    for (unsigned int c = 0; c < cpus; c++)
        info("vCPU %u: %lu requests, slowest %lu us (%s)", c, fz[c].ops,
             (unsigned long)(fz[c].slowest_ns / 1000), kinds[fz[c].slowest_kind]);
    check(HYPERVISOR_xen_version(XENVER_version, NULL) == (4 << 16 | 17),
          "after fuzzing the hypervisor still answers", "xen_version failed");
    check(checksum(text_start, text_end) == sum, "the guest's code is intact", "changed");
    check_eqf((long)odd, 0, "every answer was 0 or one of Xen's error codes");

    undo();
    unsigned int stuck = 0;
    for (unsigned int i = 0; i < POOL; i++) {
        long rc = window_map(511, pool_mfn[i], PTE_RW);

        if (rc) {
            info("pool page %u (mfn %#lx) still typed after undo: %ld, type refs leaked?", i,
                 pool_mfn[i], rc);
            stuck++;
        }
        window_unmap(511);
    }
    check_eqf(stuck, 0, "after undoing everything, every pool page can be mapped writable");

    /* A known state for the hypervisor's audit: a pinned L4 -> L3 -> L2
     * -> L1 hierarchy hooked at user slot 9, mapping pool data. */
    long rc = 0;
    for (unsigned int i = 1; i <= 3; i++)
        rc |= mmuext1(MMUEXT_CLEAR_PAGE, pool_mfn[i], 0, DOMID_SELF);
    rc |= mmu_update1((uint64_t)pool_mfn[3] << PAGE_SHIFT, mk_pte(pool_mfn[16], PTE_RW), DOMID_SELF);
    rc |= mmu_update1((uint64_t)pool_mfn[3] << PAGE_SHIFT | 8, mk_pte(pool_mfn[17], PTE_RO), DOMID_SELF);
    rc |= mmu_update1((uint64_t)pool_mfn[2] << PAGE_SHIFT, mk_pte(pool_mfn[3], PDE_FLAGS), DOMID_SELF);
    rc |= mmu_update1((uint64_t)pool_mfn[1] << PAGE_SHIFT, mk_pte(pool_mfn[2], PDE_FLAGS), DOMID_SELF);
    rc |= mmu_update1(entry_maddr(&orig_l4[9]), mk_pte(pool_mfn[1], PDE_FLAGS), DOMID_SELF);
    rc |= pin_table(1, pool_mfn[3]);
    rc |= pin_table(2, pool_mfn[2]);
    rc |= pin_table(3, pool_mfn[1]);
    check_rc("a known pinned hierarchy for the audit", rc, 0);
    printk("mmu-fuzz: audit point (%lu requests, seed as above)\n", ops);
}
