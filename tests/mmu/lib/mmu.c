/* Helpers shared by the PV MMU test guests (see mmu.h). */
#include "mmu.h"

#define POOL_PAGES 64

unsigned long region_pages;
unsigned long max_ram_mfn;
pte_t *cur_l4;
pte_t *window_l1;
unsigned long window_base;

static uint8_t pool[POOL_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static bool pool_used[POOL_PAGES];
static unsigned int window_slot;
static pte_t *window_l2;

/* ------------------------------------------------------------ translation */

unsigned long pfn_to_mfn(unsigned long pfn)
{
    if (pfn >= start_info->nr_pages)
        return ~0UL;
    return ((const unsigned long *)start_info->mfn_list)[pfn];
}

void set_pfn_to_mfn(unsigned long pfn, unsigned long mfn)
{
    if (pfn < start_info->nr_pages)
        ((unsigned long *)start_info->mfn_list)[pfn] = mfn;
}

unsigned long foreign_ram_mfn(unsigned long from)
{
    /* Above the legacy first MiB, which belongs to DOMID_IO. */
    for (unsigned long mfn = MAX(from, 0x100UL); mfn < max_ram_mfn; mfn++)
        if (!mfn_is_own(mfn))
            return mfn;
    test_error("no foreign RAM frame at or above %#lx", from);
}

unsigned long mfn_of(const void *va)
{
    return pfn_to_mfn(((unsigned long)va - GUEST_VIRT_BASE) >> PAGE_SHIFT);
}

/* The guest pfn of one of its own frames, or ~0. */
static unsigned long own_pfn(unsigned long mfn)
{
    if (mfn >= max_ram_mfn)
        return ~0UL;
    unsigned long pfn = ((const unsigned long *)MACH2PHYS_VIRT_START)[mfn];
    if (pfn >= start_info->nr_pages || pfn_to_mfn(pfn) != mfn)
        return ~0UL;
    return pfn;
}

bool mfn_is_own(unsigned long mfn)
{
    return own_pfn(mfn) != ~0UL;
}

void *mfn_va(unsigned long mfn)
{
    unsigned long pfn = own_pfn(mfn);

    if (pfn == ~0UL || pfn >= region_pages)
        return NULL;
    return (void *)(GUEST_VIRT_BASE + (pfn << PAGE_SHIFT));
}

/* The region view of the table an entry points to. */
static pte_t *next_table(pte_t e)
{
    if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
        return NULL;
    return mfn_va(pte_mfn(e));
}

pte_t *pt_entry(unsigned long va, unsigned int level)
{
    pte_t *t = cur_l4;

    for (unsigned int l = 4; l > level; l--) {
        t = next_table(t[pt_index(va, l)]);
        if (!t)
            return NULL;
    }
    return &t[pt_index(va, level)];
}

uint64_t entry_maddr(const pte_t *p)
{
    return (mfn_of(p) << PAGE_SHIFT) | ((unsigned long)p & (PAGE_SIZE - 1));
}

uint64_t l1e_maddr(unsigned long va)
{
    pte_t *p = pt_entry(va, 1);

    return p ? entry_maddr(p) : 0;
}

pte_t l1e_read(unsigned long va)
{
    pte_t *p = pt_entry(va, 1);

    return p ? READ_ONCE(*p) : 0;
}

void mmu_init(void)
{
    long rc;

    cur_l4 = (pte_t *)start_info->pt_base;
    rc = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    if (rc <= 0)
        test_error("XENMEM_maximum_ram_page: %ld", rc);
    max_ram_mfn = (unsigned long)rc;
    /* Until the region is measured, trust what start_info says is there:
     * everything up to the bootstrap stack after the page tables. */
    region_pages = ((start_info->pt_base - GUEST_VIRT_BASE) >> PAGE_SHIFT) +
                   start_info->nr_pt_frames + 1;
    pte_t *l2e = pt_entry(GUEST_VIRT_BASE, 2);
    if (!l2e)
        test_error("no L2 maps the start-of-day region");
    pte_t *l2 = (pte_t *)((unsigned long)l2e & PAGE_MASK);
    unsigned int n = pt_index(GUEST_VIRT_BASE, 2);
    while (n < 512 && (l2[n] & _PAGE_PRESENT))
        n++;
    region_pages = (n - pt_index(GUEST_VIRT_BASE, 2)) * 512UL;
    info("region: %lu pages, nr_pages %lu, max ram mfn %#lx, L4 mfn %#lx", region_pages,
         start_info->nr_pages, max_ram_mfn, mfn_of(cur_l4));
}

/* ------------------------------------------------------------ pages */

void *page_alloc(void)
{
    for (unsigned int i = 0; i < POOL_PAGES; i++) {
        if (!pool_used[i]) {
            pool_used[i] = true;
            memset(pool[i], 0, PAGE_SIZE);
            return pool[i];
        }
    }
    test_error("page pool exhausted");
}

void page_free(void *p)
{
    unsigned long i = ((uint8_t *)p - pool[0]) / PAGE_SIZE;

    if (i >= POOL_PAGES || !pool_used[i])
        test_error("page_free(%p): not a pool page in use", p);
    pool_used[i] = false;
}

long page_set_flags(void *va, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping((unsigned long)va, mk_pte(mfn_of(va), flags),
                                        UVMF_INVLPG);
}

unsigned long window_create(void)
{
    pte_t *l2e = pt_entry(GUEST_VIRT_BASE, 2);
    long rc;

    if (window_base)
        return window_base;
    window_l2 = (pte_t *)((unsigned long)l2e & PAGE_MASK);
    for (window_slot = 511; window_slot > 0 && (window_l2[window_slot] & _PAGE_PRESENT);
         window_slot--)
        ;
    if (!window_slot)
        test_error("no free L2 slot for a scratch window");
    window_l1 = page_alloc();
    if ((rc = page_make_ro(window_l1)) != 0)
        test_error("window: making the L1 read-only: %ld", rc);
    rc = mmu_update1(entry_maddr(&window_l2[window_slot]),
                     mk_pte(mfn_of(window_l1), PDE_FLAGS), DOMID_SELF);
    if (rc)
        test_error("window: hooking the L1 into L2 slot %u: %ld", window_slot, rc);
    window_base = (GUEST_VIRT_BASE & ~((1UL << 30) - 1)) + ((unsigned long)window_slot << 21);
    return window_base;
}

void window_destroy(void)
{
    long rc;

    if (!window_base)
        return;
    for (unsigned int i = 0; i < 512; i++)
        if (window_l1[i])
            window_unmap(i);
    rc = mmu_update1(entry_maddr(&window_l2[window_slot]), 0, DOMID_SELF);
    if (rc)
        test_error("window: unhooking the L1: %ld", rc);
    if ((rc = page_make_rw(window_l1)) != 0)
        test_error("window: L1 still typed after unhooking: %ld", rc);
    page_free(window_l1);
    window_base = 0;
    window_l1 = NULL;
}

long window_map(unsigned int i, unsigned long mfn, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping(window_base + i * PAGE_SIZE, mk_pte(mfn, flags),
                                        UVMF_INVLPG);
}

long window_unmap(unsigned int i)
{
    return HYPERVISOR_update_va_mapping(window_base + i * PAGE_SIZE, 0, UVMF_INVLPG);
}

/* ------------------------------------------------------------ hypercalls */

long mmu_update1(uint64_t ptr, uint64_t val, domid_t dom)
{
    struct mmu_update u = { .ptr = ptr, .val = val };
    unsigned int done = ~0u;
    long rc = HYPERVISOR_mmu_update(&u, 1, &done, dom);

    /* done must say whether the one request happened. */
    if (done != (rc ? 0u : 1u))
        info("mmu_update1: rc %ld but done %u", rc, done);
    return rc;
}

long mmu_update_raw(struct mmu_update *req, unsigned int count, unsigned int *done,
                    unsigned int foreigndom)
{
    return _hypercall4(__HYPERVISOR_mmu_update, req, count, done, foreigndom);
}

long mmuext_raw(struct mmuext_op *op, unsigned int count, unsigned int *done,
                unsigned int foreigndom)
{
    return _hypercall4(__HYPERVISOR_mmuext_op, op, count, done, foreigndom);
}

long mmuext1(unsigned int cmd, unsigned long arg1, unsigned long arg2, domid_t dom)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.src_mfn = arg2;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, dom);
}

long pin_table(unsigned int level, unsigned long mfn)
{
    return mmuext1(MMUEXT_PIN_L1_TABLE + level - 1, mfn, 0, DOMID_SELF);
}

long unpin_table(unsigned long mfn)
{
    return mmuext1(MMUEXT_UNPIN_TABLE, mfn, 0, DOMID_SELF);
}

long make_pinned_table(void *p, unsigned int level)
{
    long rc = page_make_ro(p);

    return rc ? rc : pin_table(level, mfn_of(p));
}

long release_table(void *p)
{
    long rc = unpin_table(mfn_of(p));

    return rc ? rc : page_make_rw(p);
}

long mmu_switch_base(pte_t *l4)
{
    long rc = mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(l4), 0, DOMID_SELF);

    if (!rc)
        cur_l4 = l4;
    return rc;
}

/* ------------------------------------------------------------ preemption */

static volatile bool chain_on;
static long chain_port = -1;

static void chain_tick(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    if (chain_on)
        timer_set_singleshot(now_ns() + 100000, 0);
}

unsigned long with_timer_chain(void (*fn)(void *), void *arg)
{
    unsigned long before;

    if (chain_port < 0) {
        chain_port = evtchn_bind_virq(VIRQ_TIMER, 0, chain_tick, NULL);
        if (chain_port < 0)
            test_error("bind VIRQ_TIMER: %ld", chain_port);
        evtchn_unmask((evtchn_port_t)chain_port);
    }
    before = upcall_count[0];
    chain_on = true;
    timer_set_singleshot(now_ns() + 100000, 0);
    local_irq_enable();
    fn(arg);
    chain_on = false;
    local_irq_disable();
    timer_stop_singleshot();
    return upcall_count[0] - before;
}

/* ------------------------------------------------------------ checks */

static const struct { long value; const char *name; } err_names[] = {
#define XEN_ERRNO(name, value) { -(value), "-" #name },
#include <pvabi/errno.h>
};

const char *errname(long rc)
{
    for (unsigned int i = 0; i < ARRAY_SIZE(err_names); i++)
        if (err_names[i].value == rc)
            return err_names[i].name;
    return NULL;
}

/* "-EINVAL (-22)" or "5". */
static void rc_text(char *buf, size_t size, long rc)
{
    const char *n = errname(rc);

    if (n)
        snprintf(buf, size, "%s (%ld)", n, rc);
    else
        snprintf(buf, size, "%ld", rc);
}

bool check_rc(const char *name, long got, long want)
{
    char g[40], w[40];

    rc_text(g, sizeof(g), got);
    rc_text(w, sizeof(w), want);
    return check(got == want, name, "got %s, Xen 4.17 answers %s", g, w);
}

bool check_rcf(long got, long want, const char *fmt, ...)
{
    char name[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    return check_rc(name, got, want);
}

bool check_eqf(long got, long want, const char *fmt, ...)
{
    char name[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    return check(got == want, name, "got %ld (%#lx), Xen 4.17 gives %ld (%#lx)", got, got,
                 want, want);
}

bool probe_read(const volatile void *p, uint64_t *val)
{
    uint64_t v = 0;

    fault_reset();
    __asm__ __volatile__("1: mov (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
                         : "+r"(v) : "r"(p) : "memory");
    *val = v;
    return !last_fault.hit;
}

bool probe_write(volatile void *p, uint64_t val)
{
    fault_reset();
    __asm__ __volatile__("1: mov %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "r"(val) : "memory");
    return !last_fault.hit;
}
