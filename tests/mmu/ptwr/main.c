/*
 * mmu-ptwr: writable page tables (VMASST_TYPE_writable_pagetables) as Xen
 * 4.17 emulates them for a 64-bit PV guest kernel. Stores to a read-only
 * mapped, validated L1 fault, are validated like mmu_update and performed:
 * plain 8-, 4- and 1-byte MOVs, XCHG, LOCK CMPXCHG (both outcomes), LOCK
 * OR/AND. Refused values, misaligned stores, and stores into L2/L4 tables
 * or into read-only pages that are not page tables reach the guest as #PF.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-ptwr: emulated stores to L1 page tables";

static uint64_t *page_a, *page_b;

/* Each store: "1:" the instruction, resuming at "2:" on a fault. */
static bool st64(volatile pte_t *p, uint64_t v)
{
    fault_reset();
    __asm__ __volatile__("1: movq %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "r"(v) : "memory");
    return !last_fault.hit;
}

static bool st32(volatile void *p, uint32_t v)
{
    fault_reset();
    __asm__ __volatile__("1: movl %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "r"(v) : "memory");
    return !last_fault.hit;
}

static bool st8(volatile void *p, uint8_t v)
{
    fault_reset();
    __asm__ __volatile__("1: movb %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "q"(v) : "memory");
    return !last_fault.hit;
}

/* XCHG: the old entry comes back in the register. */
static bool xchg64_old(volatile pte_t *p, uint64_t nv, uint64_t *old)
{
    uint64_t r = nv;

    fault_reset();
    __asm__ __volatile__("1: xchgq %0, (%1)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         : "+r"(r) : "r"(p) : "memory");
    *old = r;
    return !last_fault.hit;
}

static bool cmpxchg64(volatile pte_t *p, uint64_t *expect, uint64_t nv, bool *zf)
{
    uint64_t a = *expect;
    uint8_t z = 0;

    fault_reset();
    __asm__ __volatile__("1: lock cmpxchgq %3, (%2)\n2:\n setz %1\n" _ASM_EXTABLE(1b, 2b)
                         : "+a"(a), "=q"(z) : "r"(p), "r"(nv) : "memory", "cc");
    *expect = a;
    *zf = z;
    return !last_fault.hit;
}

static bool or64(volatile pte_t *p, uint64_t v)
{
    fault_reset();
    __asm__ __volatile__("1: lock orq %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "r"(v) : "memory", "cc");
    return !last_fault.hit;
}

static bool and64(volatile pte_t *p, uint64_t v)
{
    fault_reset();
    __asm__ __volatile__("1: lock andq %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "r"(v) : "memory", "cc");
    return !last_fault.hit;
}

static void flush(const void *va)
{
    mmuext1(MMUEXT_INVLPG_LOCAL, (unsigned long)va, 0, DOMID_SELF);
}

static bool reads(unsigned int i, uint64_t want)
{
    uint64_t v;

    flush(window_va(i));
    return probe_read(window_va(i), &v) && v == want;
}

static void expect_pf(const char *what, volatile void *at)
{
    check(last_fault.hit && last_fault.vector == X86_EXC_PF, what, "hit %d vector %u",
          last_fault.hit, last_fault.vector);
    char name[160];
    snprintf(name, sizeof(name), "%s: #PF at the store's address", what);
    check(last_fault.cr2 == (unsigned long)at, name, "cr2 %#lx", last_fault.cr2);
    snprintf(name, sizeof(name), "%s: error code present|write", what);
    check_equ(name, last_fault.error_code, 3);
}

static void stores(void)
{
    volatile pte_t *l1 = window_l1;
    pte_t a = mk_pte(mfn_of(page_a), PTE_RW), b = mk_pte(mfn_of(page_b), PTE_RW);
    uint64_t old;
    bool zf;

    check_after(st64(&l1[1], a), "8-byte MOV of a new entry is emulated", "vector %u", last_fault.vector);
    check_equ("MOV: entry holds the new frame", l1[1] & PTE_CMP_MASK, a & PTE_CMP_MASK);
    check_after(reads(1, 0xaaaa), "MOV: the new mapping works", "no");

    /* Low half only: drop RW. */
    check_after(st32(&l1[1], (uint32_t)(l1[1] & ~_PAGE_RW)), "4-byte MOV of the low half is emulated",
          "vector %u", last_fault.vector);
    check_equ("4-byte MOV: RW cleared, frame kept", l1[1] & PTE_CMP_MASK,
              mk_pte(mfn_of(page_a), _PAGE_PRESENT));
    flush(window_va(1));
    check_after(!probe_write(window_va(1), 1), "4-byte MOV: the page is read-only now", "writable");

    /* One byte: the flags byte, RW back on. */
    check_after(st8(&l1[1], (uint8_t)(l1[1] | _PAGE_RW)), "1-byte MOV of the flags byte is emulated",
          "vector %u", last_fault.vector);
    flush(window_va(1));
    check_after(probe_write(window_va(1), 0xaaaa), "1-byte MOV: the page is writable again", "vector %u",
          last_fault.vector);

    check_after(xchg64_old(&l1[2], b, &old), "XCHG is emulated", "vector %u", last_fault.vector);
    check_equ("XCHG: the register gets the old entry", old, 0);
    check_equ("XCHG: entry holds the new frame", l1[2] & PTE_CMP_MASK, b & PTE_CMP_MASK);
    check_after(reads(2, 0xbbbb), "XCHG: the new mapping works", "no");

    old = l1[2];
    check_after(cmpxchg64(&l1[2], &old, a, &zf), "LOCK CMPXCHG (matching) is emulated", "vector %u",
          last_fault.vector);
    check(zf, "LOCK CMPXCHG (matching): ZF set", "ZF clear");
    check_equ("LOCK CMPXCHG (matching): entry replaced", l1[2] & PTE_CMP_MASK, a & PTE_CMP_MASK);
    check_after(reads(2, 0xaaaa), "LOCK CMPXCHG: the new mapping works", "no");

    uint64_t expect = b;
    pte_t cur = l1[2];
    check_after(cmpxchg64(&l1[2], &expect, 0, &zf), "LOCK CMPXCHG (not matching) is emulated",
          "vector %u", last_fault.vector);
    check(!zf, "LOCK CMPXCHG (not matching): ZF clear", "ZF set");
    check_equ("LOCK CMPXCHG (not matching): rax gets the entry", expect, cur);
    check_equ("LOCK CMPXCHG (not matching): entry unchanged", l1[2], cur);

    check_after(and64(&l1[2], ~_PAGE_RW), "LOCK AND clearing RW is emulated", "vector %u",
          last_fault.vector);
    check_equ("LOCK AND: RW clear", l1[2] & _PAGE_RW, 0);
    check_after(or64(&l1[2], _PAGE_RW), "LOCK OR setting RW is emulated", "vector %u", last_fault.vector);
    check_equ("LOCK OR: RW set", l1[2] & _PAGE_RW, _PAGE_RW);

    check_after(st64(&l1[2], 0), "MOV of 0 (unmap) is emulated", "vector %u", last_fault.vector);
    check_after(!reads(2, 0xaaaa), "unmapped entry no longer maps", "still maps");
    check_after(st64(&l1[3], 0xfffffffffffff000UL), "MOV of a not-present garbage entry is emulated",
          "vector %u", last_fault.vector);
    check_equ("not-present garbage stored", l1[3], 0xfffffffffffff000UL);
    st64(&l1[3], 0);
}

static void refusals(void)
{
    volatile pte_t *l1 = window_l1;
    pte_t *l2e = pt_entry(GUEST_VIRT_BASE, 2);
    pte_t *l2 = (pte_t *)((unsigned long)l2e & PAGE_MASK);
    uint64_t *ro = page_alloc();

    st64(&l1[4], 0);
    check_after(!st64(&l1[4], mk_pte(mfn_of(cur_l4), PTE_RW)), "MOV of a writable L4 mapping is refused",
          "emulated");
    expect_pf("refused MOV", &l1[4]);
    check_equ("refused MOV: entry unchanged", l1[4], 0);
    check_after(!st64(&l1[4], mk_pte(mfn_of(window_l1), PTE_RW)),
          "MOV of a writable mapping of the L1 itself is refused", "emulated");
    check_after(!st64(&l1[4], mk_pte(foreign_ram_mfn(0x200), PTE_RW)),
          "MOV of a writable mapping of a foreign frame is refused", "emulated");
    check_equ("refused MOVs left the entry alone", l1[4], 0);

    check_after(!st64((volatile pte_t *)((uint8_t *)&l1[4] + 4), 0), "misaligned 8-byte MOV is not emulated",
          "emulated");
    expect_pf("misaligned MOV", (uint8_t *)&l1[4] + 4);

    check_after(!st64(&l2[300], 0), "MOV into an L2 is not emulated", "emulated");
    expect_pf("MOV into an L2", &l2[300]);
    check_after(!st64(&cur_l4[3], 0), "MOV into the L4 is not emulated", "emulated");
    expect_pf("MOV into the L4", &cur_l4[3]);

    check_rc("an ordinary page made read-only", page_make_ro(ro), 0);
    check_after(!st64(&ro[0], 0), "MOV into a read-only page that is no page table faults", "emulated");
    expect_pf("MOV into a read-only data page", &ro[0]);
    page_make_rw(ro);
    page_free(ro);
}

/* A pinned L1 that no L2 points to is still a page table. */
static void unhooked(void)
{
    pte_t *t = page_alloc();

    check_rc("a pinned, unhooked L1", make_pinned_table(t, 1), 0);
    check_after(st64(&t[7], mk_pte(mfn_of(page_b), PTE_RO)), "MOV into a pinned unhooked L1 is emulated",
          "vector %u", last_fault.vector);
    check_equ("the pinned L1 holds the entry", t[7] & PTE_CMP_MASK,
              mk_pte(mfn_of(page_b), _PAGE_PRESENT));
    check_after(!st64(&t[8], mk_pte(mfn_of(t), PTE_RW)), "and refuses a writable self-map", "emulated");
    check_rc("unpin it (its entry goes with the type)", release_table(t), 0);
    page_free(t);
}

void test_main(void)
{
    long rc;

    mmu_init();
    window_create();
    page_a = page_alloc();
    page_b = page_alloc();
    *page_a = 0xaaaa;
    *page_b = 0xbbbb;

    /* Xen 4.17 emulates for 64-bit PV guests whether or not the assist is
     * on; turn it on anyway, as Linux does. */
    bool emulated = st64(&window_l1[0], 0);
    check(emulated, "a store to an L1 before enabling the assist is emulated", "vector %u cr2 %#lx",
          last_fault.vector, last_fault.cr2);
    rc = HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables);
    check_rc("VMASST enable writable_pagetables", rc, 0);

    stores();
    refusals();
    unhooked();
    window_destroy();
}
