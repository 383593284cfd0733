/*
 * mmu-atk-race-pin: race page-table updates against pins from two vCPUs,
 * hoping to slip a bad entry into a table between its validation and its
 * use, or a writable mapping past a type change.
 *
 *  A. vCPU 1 keeps writing T[0] with mmu_update: a writable mapping of
 *     the L4 (refused while T is a page table, a plain store while it is
 *     not), then 0. vCPU 0 keeps pinning T as an L1 and, while pinned,
 *     looks at T[0]: a validated L1 holding that entry is a breach.
 *  B. vCPU 1 keeps mapping a page P writable and unmapping it; vCPU 0
 *     keeps pinning P as an L1 and, while pinned, looks for the writable
 *     mapping: finding it is a breach.
 *
 * Every result must be one Xen 4.17 can give; the tallies are printed.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-atk-race-pin: updates racing pins on two vCPUs";

#define ROUNDS 3000

static pte_t *T;
static uint64_t *P;
static pte_t bad;
static volatile int phase;              /* 0 idle, 1 race A, 2 race B, 3 stop, 4 count */
static volatile unsigned long cpu1_spins;
static volatile bool cpu1_done;
static volatile unsigned long cpu1_rounds, cpu1_odd, cpu1_ok, cpu1_refused;

static bool in_set(long rc, long a, long b, long c)
{
    return rc == a || rc == b || rc == c;
}

static void cpu1_main(unsigned int cpu)
{
    (void)cpu;
    for (;;) {
        int ph = READ_ONCE(phase);
        long rc;

        if (ph == 3)
            break;
        if (ph == 1) {
            uint64_t ptr = entry_maddr(&T[0]);

            rc = mmu_update1(ptr, bad, DOMID_SELF);
            if (!in_set(rc, 0, -XEN_EBUSY, -XEN_EINVAL))
                cpu1_odd++;
            rc == 0 ? cpu1_ok++ : cpu1_refused++;
            rc = mmu_update1(ptr, 0, DOMID_SELF);
            if (!in_set(rc, 0, -XEN_EINVAL, 0))
                cpu1_odd++;
            cpu1_rounds++;
        } else if (ph == 2) {
            rc = window_map(1, mfn_of(P), PTE_RW);
            if (!in_set(rc, 0, -XEN_EBUSY, 0))
                cpu1_odd++;
            rc == 0 ? cpu1_ok++ : cpu1_refused++;
            rc = window_unmap(1);
            if (rc)
                cpu1_odd++;
            cpu1_rounds++;
        } else if (ph == 4) {
            cpu1_spins++;
        } else {
            cpu_relax();
        }
    }
    cpu1_done = true;
}

static void run_phase(const char *name, int ph, unsigned long mfn,
                      bool (*breach)(void))
{
    unsigned long pins = 0, refused = 0, odd = 0, breaches = 0;

    cpu1_rounds = cpu1_odd = cpu1_ok = cpu1_refused = 0;
    WRITE_ONCE(phase, ph);
    for (unsigned int i = 0; i < ROUNDS; i++) {
        long rc = pin_table(1, mfn);

        if (rc == 0) {
            pins++;
            if (breach())
                breaches++;
            for (unsigned int k = 0; k < 20; k++)
                cpu_relax();
            if (breach())
                breaches++;
            if (unpin_table(mfn))
                odd++;
        } else if (rc == -XEN_EBUSY || rc == -XEN_EINVAL) {
            refused++;
        } else {
            odd++;
        }
    }
    WRITE_ONCE(phase, 0);
    /* Let vCPU 1 finish the round it is in. */
    unsigned long r = cpu1_rounds;
    for (unsigned int k = 0; k < 1000000 && cpu1_rounds == r; k++)
        cpu_relax();

    info("%s: vCPU 0 pinned %lu times, refused %lu; vCPU 1 made %lu rounds, %lu accepted, %lu refused",
         name, pins, refused, cpu1_rounds, cpu1_ok, cpu1_refused);
    check_eqf((long)breaches, 0, "%s: no validated L1 ever held the forbidden entry", name);
    check_eqf((long)odd, 0, "%s: vCPU 0 saw only Xen's answers (0, -EBUSY, -EINVAL)", name);
    check_eqf((long)cpu1_odd, 0, "%s: vCPU 1 saw only Xen's answers", name);
    check(pins + refused == ROUNDS, name, "%lu + %lu != %u", pins, refused, ROUNDS);
}

static bool breach_a(void)
{
    return READ_ONCE(T[0]) & _PAGE_PRESENT && pte_mfn(READ_ONCE(T[0])) == mfn_of(cur_l4) &&
           (READ_ONCE(T[0]) & _PAGE_RW);
}

static bool breach_b(void)
{
    pte_t e = READ_ONCE(window_l1[1]);

    return (e & (_PAGE_PRESENT | _PAGE_RW)) == (_PAGE_PRESENT | _PAGE_RW) &&
           pte_mfn(e) == mfn_of(P);
}

void test_main(void)
{
    long rc;

    mmu_init();
    window_create();
    T = page_alloc();
    P = page_alloc();
    bad = mk_pte(mfn_of(cur_l4), PTE_RW);
    check_rc("T made read-only", page_make_ro(T), 0);
    check_rc("P made read-only", page_make_ro(P), 0);

    rc = smp_start_cpu(1, cpu1_main);
    if (rc)
        test_error("starting vCPU 1: %ld", rc);

    /* How much does vCPU 1 run while vCPU 0 is busy, in the guest and
     * inside a hypercall? (Informational: the races need both.) */
    static struct mmu_update u[4096];
    for (unsigned int i = 0; i < ARRAY_SIZE(u); i++)
        u[i] = (struct mmu_update){ ((uint64_t)mfn_of(P) << PAGE_SHIFT) + (i % 512) * 8, i };
    WRITE_ONCE(phase, 4);
    unsigned long s0 = cpu1_spins;
    uint64_t t0 = now_ns();
    udelay_ns(5000000);
    unsigned long s1 = cpu1_spins;
    uint64_t t1 = now_ns();
    HYPERVISOR_mmu_update(u, ARRAY_SIZE(u), NULL, DOMID_SELF);
    uint64_t t2 = now_ns();
    unsigned long s2 = cpu1_spins;
    WRITE_ONCE(phase, 0);
    info("vCPU 1 loop iterations: %lu during %lu us of guest busy-wait, %lu during a %lu us hypercall",
         s1 - s0, (unsigned long)((t1 - t0) / 1000), s2 - s1, (unsigned long)((t2 - t1) / 1000));

    run_phase("race A (T[0] updates vs pins of T)", 1, mfn_of(T), breach_a);
    run_phase("race B (writable mappings of P vs pins of P)", 2, mfn_of(P), breach_b);

    WRITE_ONCE(phase, 3);
    while (!cpu1_done)
        cpu_relax();

    /* Afterwards: nothing pinned, nothing mapped, both pages plain again. */
    check_rc("T is not left pinned", unpin_table(mfn_of(T)), -XEN_EINVAL);
    check_rc("P is not left pinned", unpin_table(mfn_of(P)), -XEN_EINVAL);
    mmu_update1(entry_maddr(&T[0]), 0, DOMID_SELF);
    check_rc("T is an ordinary page again", page_make_rw(T), 0);
    check_rc("P is an ordinary page again", page_make_rw(P), 0);
    check_equ("the window slot was left empty", window_l1[1], 0);
    page_free(T);
    page_free(P);
    window_destroy();
}
