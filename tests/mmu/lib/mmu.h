/*
 * Helpers shared by the PV MMU test guests (tests/mmu/): page-table walks
 * through the read-only views a PV guest has of its own tables, a pool of
 * scratch pages, one-shot wrappers of the MMU hypercalls, fault probes,
 * and checks that name the error Xen 4.17 gives.
 *
 * Addresses: a guest frame is either in the start-of-day region (mapped
 * at VIRT_BASE + pfn * 4096, where page tables are read-only) or not
 * mapped at all. mfn_va() finds a frame's view in the region.
 */
#ifndef MMU_TEST_H
#define MMU_TEST_H

#include <pvguest/test.h>

typedef uint64_t pte_t;

#define _PAGE_PRESENT   0x001UL
#define _PAGE_RW        0x002UL
#define _PAGE_USER      0x004UL
#define _PAGE_PWT       0x008UL
#define _PAGE_PCD       0x010UL
#define _PAGE_ACCESSED  0x020UL
#define _PAGE_DIRTY     0x040UL
#define _PAGE_PSE       0x080UL
#define _PAGE_PAT       0x080UL
#define _PAGE_GLOBAL    0x100UL
#define _PAGE_NX        (1UL << 63)
/* Xen's software bit for guest-kernel L1 mappings. */
#define _PAGE_GUEST_KERNEL (1UL << 52)
#define PTE_ADDR_MASK   0x000ffffffffff000UL

/* What the guest asks for on data pages and on page-table pages. */
#define PTE_RW   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_RO   (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PDE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* Bits a comparison of entries should look at: the hypervisor adds USER,
 * GLOBAL and the guest-kernel bit at its own discretion. */
#define PTE_CMP_MASK (PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW | _PAGE_NX)

static inline unsigned long pte_mfn(pte_t e) { return (e & PTE_ADDR_MASK) >> PAGE_SHIFT; }
static inline pte_t mk_pte(unsigned long mfn, uint64_t flags) { return (mfn << PAGE_SHIFT) | flags; }

static inline unsigned int pt_index(unsigned long va, unsigned int level)
{
    return (unsigned int)(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* ---- set-up and address translation */

/* Call first: finds the region and the current tables. */
void mmu_init(void);
/* Pages in the start-of-day region (all mapped at VIRT_BASE + pfn*4K). */
extern unsigned long region_pages;
/* XENMEM_maximum_ram_page: one past the last RAM frame. */
extern unsigned long max_ram_mfn;

unsigned long mfn_of(const void *va);
/* The region address of frame mfn, or NULL if it is not the guest's or
 * not in the region. */
void *mfn_va(unsigned long mfn);
bool mfn_is_own(unsigned long mfn);
/* pfn -> mfn from the start-of-day p2m list (~0 beyond it). */
unsigned long pfn_to_mfn(unsigned long pfn);
/* Change the guest's own p2m list (after giving frames back or getting
 * new ones). */
void set_pfn_to_mfn(unsigned long pfn, unsigned long mfn);
/* The first RAM frame at or above `from` that is not the guest's (below
 * max_ram_mfn); test_error() if there is none. */
unsigned long foreign_ram_mfn(unsigned long from);

/* The current kernel L4 (a region address), as last set through
 * mmu_switch_base(). */
extern pte_t *cur_l4;

/* The entry of `level` (1-4) for va, read through the region view of its
 * table; NULL if a table on the way is absent (or a superpage). */
pte_t *pt_entry(unsigned long va, unsigned int level);
/* Machine address of a table entry seen through a region view. */
uint64_t entry_maddr(const pte_t *p);
/* Machine address of the L1 entry mapping va (0 if none). */
uint64_t l1e_maddr(unsigned long va);
pte_t l1e_read(unsigned long va);

/* ---- scratch pages */

/* A zeroed page from a pool in the image (mapped read-write), or
 * test_error() when the pool is exhausted. */
void *page_alloc(void);
/* Give a page back (it must be read-write mapped again). */
void page_free(void *p);

/* Remap one of the guest's own region pages (update_va_mapping with
 * UVMF_INVLPG). */
long page_set_flags(void *va, uint64_t flags);
static inline long page_make_ro(void *va) { return page_set_flags(va, PTE_RO); }
static inline long page_make_rw(void *va) { return page_set_flags(va, PTE_RW); }

/* A free 2 MiB window in the kernel's address space: an L1 (from the
 * pool, read-only) hooked into an unused slot of the L2 that maps the
 * region. Returns the window's base; its L1 is window_l1. */
unsigned long window_create(void);
void window_destroy(void);
extern pte_t *window_l1;
extern unsigned long window_base;
/* Map / unmap frame mfn at window page i (update_va_mapping). */
long window_map(unsigned int i, unsigned long mfn, uint64_t flags);
long window_unmap(unsigned int i);
static inline void *window_va(unsigned int i) { return (void *)(window_base + i * PAGE_SIZE); }

/* ---- hypercall wrappers */

long mmu_update1(uint64_t ptr, uint64_t val, domid_t dom);
/* mmu_update / mmuext_op with a full 32-bit foreigndom (bits 31:16 name
 * the page-table owner + 1). */
long mmu_update_raw(struct mmu_update *req, unsigned int count, unsigned int *done,
                    unsigned int foreigndom);
long mmuext_raw(struct mmuext_op *op, unsigned int count, unsigned int *done,
                unsigned int foreigndom);
long mmuext1(unsigned int cmd, unsigned long arg1, unsigned long arg2, domid_t dom);
long pin_table(unsigned int level, unsigned long mfn);
long unpin_table(unsigned long mfn);
/* Make page p a pinned table of `level`: read-only, then pinned. */
long make_pinned_table(void *p, unsigned int level);
/* Unpin and make writable again. */
long release_table(void *p);
/* A new kernel L4 (NEW_BASEPTR); cur_l4 follows. */
long mmu_switch_base(pte_t *l4);

/* ---- checks and probes */

/* "-EINVAL" etc., or NULL if rc is not an error number. */
const char *errname(long rc);
/* check(got == want), reporting both with their names and saying that
 * `want` is Xen 4.17's answer. */
bool check_rc(const char *name, long got, long want);
/* Same with a formatted name. */
bool check_rcf(long got, long want, const char *fmt, ...) __printf(3, 4);
bool check_eqf(long got, long want, const char *fmt, ...) __printf(3, 4);

/* check() whose condition runs before the failure details are evaluated
 * (the condition usually probes memory and fills last_fault). */
#define check_after(cond, ...) ({ bool c_ = (cond); check(c_, __VA_ARGS__); })

/* Read / write 8 bytes; false (and last_fault set) if that faulted. */
bool probe_read(const volatile void *p, uint64_t *val);
bool probe_write(volatile void *p, uint64_t val);

/* Run fn(arg) with events on and a one-shot timer that re-arms itself
 * 100 us ahead from its own event handler: a long hypercall in fn is then
 * interrupted again and again, and a hypervisor that preempts it returns
 * to the guest (which takes the timer upcall) and continues the call.
 * Returns the number of upcalls taken meanwhile: more than one means the
 * call was cut into continuations. */
unsigned long with_timer_chain(void (*fn)(void *), void *arg);

/* Xen's MMU_UPDATE_PREEMPTED bit in the count argument. */
#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))

#endif
