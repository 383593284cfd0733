/*
 * mmu-bench: the cost of the PV MMU hypercalls, measured in the guest
 * with its pvclock. Each figure is the median of 5 rounds and is printed
 * as "bench: NAME: VALUE UNIT" for tests/mmu/bench.sh, which runs this on
 * Xen 4.17 and on Pavise and prints them side by side.
 *
 *   mmu_update batches of 1, 64 and 512 validated L1 updates (each
 *     replacing a read-only mapping of one page by another: two reference
 *     changes per entry) - ns per update, and updates per second at 512;
 *   mmu_update of ordinary pages (plain stores), batch 512;
 *   update_va_mapping with UVMF_INVLPG and with UVMF_NONE;
 *   a pin + unpin of an empty L1, and an emulated (ptwr) PTE store.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-bench: mmu_update and update_va_mapping costs";

#define ROUNDS 5

static uint64_t *page_a, *page_b;
static struct mmu_update req[512];

static uint64_t median(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

/* ns per update for batches of `batch` over the window's entries,
 * alternating the page mapped, `total` updates per round. */
static uint64_t l1_batches(unsigned int batch, unsigned int total)
{
    uint64_t r[ROUNDS];
    unsigned int flip = 0;

    for (unsigned int k = 0; k < ROUNDS; k++) {
        uint64_t t0 = now_ns();
        for (unsigned int done = 0; done < total; done += batch, flip ^= 1) {
            unsigned long mfn = mfn_of(flip ? page_b : page_a);
            for (unsigned int i = 0; i < batch; i++) {
                req[i].ptr = entry_maddr(&window_l1[i]);
                req[i].val = mk_pte(mfn, PTE_RO);
            }
            long rc = HYPERVISOR_mmu_update(req, batch, NULL, DOMID_SELF);
            if (rc)
                test_error("bench mmu_update: %ld", rc);
        }
        r[k] = (now_ns() - t0) / total;
    }
    return median(r, ROUNDS);
}

static uint64_t plain_batches(void)
{
    uint64_t r[ROUNDS];
    uint64_t *q = page_alloc();

    for (unsigned int i = 0; i < 512; i++)
        req[i] = (struct mmu_update){ ((uint64_t)mfn_of(q) << PAGE_SHIFT) + i * 8, i };
    for (unsigned int k = 0; k < ROUNDS; k++) {
        uint64_t t0 = now_ns();
        for (unsigned int n = 0; n < 16; n++)
            if (HYPERVISOR_mmu_update(req, 512, NULL, DOMID_SELF))
                test_error("bench plain stores failed");
        r[k] = (now_ns() - t0) / (16 * 512);
    }
    page_free(q);
    return median(r, ROUNDS);
}

static uint64_t uvm(unsigned long flags, unsigned int n)
{
    uint64_t r[ROUNDS];
    unsigned long va = (unsigned long)window_va(0);

    for (unsigned int k = 0; k < ROUNDS; k++) {
        uint64_t t0 = now_ns();
        for (unsigned int i = 0; i < n; i++)
            if (HYPERVISOR_update_va_mapping(va, mk_pte(mfn_of(i & 1 ? page_b : page_a), PTE_RO),
                                             flags))
                test_error("bench update_va_mapping failed");
        r[k] = (now_ns() - t0) / n;
    }
    return median(r, ROUNDS);
}

static uint64_t pin_unpin(unsigned int n)
{
    uint64_t r[ROUNDS];
    pte_t *t = page_alloc();

    page_make_ro(t);
    for (unsigned int k = 0; k < ROUNDS; k++) {
        uint64_t t0 = now_ns();
        for (unsigned int i = 0; i < n; i++)
            if (pin_table(1, mfn_of(t)) || unpin_table(mfn_of(t)))
                test_error("bench pin/unpin failed");
        r[k] = (now_ns() - t0) / n;
    }
    page_make_rw(t);
    page_free(t);
    return median(r, ROUNDS);
}

static uint64_t ptwr(unsigned int n)
{
    uint64_t r[ROUNDS];
    volatile pte_t *e = &window_l1[1];

    HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
    for (unsigned int k = 0; k < ROUNDS; k++) {
        uint64_t t0 = now_ns();
        for (unsigned int i = 0; i < n; i++)
            *e = mk_pte(mfn_of(i & 1 ? page_b : page_a), PTE_RO);
        r[k] = (now_ns() - t0) / n;
    }
    *e = 0;
    return median(r, ROUNDS);
}

static bool sane(uint64_t ns)
{
    return ns > 0 && ns < 1000000000UL;
}

static void report(const char *name, const char *unit, uint64_t ns, bool *all_sane)
{
    printk("bench: %s: %lu %s\n", name, ns, unit);
    *all_sane &= sane(ns);
}

void test_main(void)
{
    bool ok = true;
    uint64_t ns;

    mmu_init();
    window_create();
    page_a = page_alloc();
    page_b = page_alloc();

    ns = l1_batches(512, 8192);
    report("mmu_update L1 batch 512", "ns/update", ns, &ok);
    printk("bench: mmu_update L1 batch 512 throughput: %lu updates/s\n", ns ? 1000000000UL / ns : 0);
    report("mmu_update L1 batch 64", "ns/update", l1_batches(64, 4096), &ok);
    report("mmu_update L1 batch 1", "ns/update", l1_batches(1, 1024), &ok);
    report("mmu_update plain stores batch 512", "ns/update", plain_batches(), &ok);
    report("update_va_mapping UVMF_INVLPG", "ns/call", uvm(UVMF_INVLPG, 2000), &ok);
    report("update_va_mapping UVMF_NONE", "ns/call", uvm(UVMF_NONE, 2000), &ok);
    report("pin + unpin of an empty L1", "ns/pair", pin_unpin(500), &ok);
    report("emulated PTE store (ptwr)", "ns/store", ptwr(1000), &ok);
    check(ok, "every figure is between 0 and 1 s", "a measurement is 0 or absurd");

    for (unsigned int i = 0; i < 512; i++)
        if (window_l1[i])
            window_unmap(i);
    window_destroy();
}
