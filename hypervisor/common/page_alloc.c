/*
 * The frame table and the buddy page allocator.
 *
 * Boot: RAM from the sanitised memory map, minus the hypervisor image, the
 * boot modules and the first MiB, forms the boot free ranges. Early page
 * tables and the frame table itself come from them (boot_alloc_pages);
 * whatever is left seeds the buddy allocator. Boot-reserved frames can be
 * released later (release_boot_range), e.g. module memory once dom0 is
 * built.
 */
#include <pavise/lib.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <pavise/spinlock.h>
#include <pavise/domain.h>
#include <pavise/arch.h>
#include <pavise/pagetype.h>

struct page_info *frame_table;
unsigned long max_page;
unsigned long total_ram_pages;

static spinlock_t heap_lock = SPIN_LOCK_UNLOCKED;
static struct page_list free_lists[MAX_ORDER + 1];
static struct mem_stats stats;

/* ------------------------------------------------------------ page lists */

void page_list_add_tail(struct page_list *l, struct page_info *pg)
{
    uint32_t m = (uint32_t)page_to_mfn(pg);
    pg->next = PAGE_LIST_NULL;
    pg->prev = l->tail;
    if (l->tail == PAGE_LIST_NULL)
        l->head = m;
    else
        frame_table[l->tail].next = m;
    l->tail = m;
    l->count++;
}

void page_list_del(struct page_list *l, struct page_info *pg)
{
    if (pg->prev == PAGE_LIST_NULL)
        l->head = pg->next;
    else
        frame_table[pg->prev].next = pg->next;
    if (pg->next == PAGE_LIST_NULL)
        l->tail = pg->prev;
    else
        frame_table[pg->next].prev = pg->prev;
    pg->next = pg->prev = PAGE_LIST_NULL;
    l->count--;
}

struct page_info *page_list_first(const struct page_list *l)
{
    return l->head == PAGE_LIST_NULL ? NULL : &frame_table[l->head];
}

struct page_info *page_list_next(const struct page_info *pg)
{
    return pg->next == PAGE_LIST_NULL ? NULL : &frame_table[pg->next];
}

/* ------------------------------------------------------------ boot ranges */

#define MAX_BOOT_RANGES 64
struct range { uint64_t start, end; };      /* frame numbers, [start, end) */
static struct range boot_free[MAX_BOOT_RANGES];
static int nr_boot_free;
static bool boot_allocator_closed;

/* Remove [s, e) (frames) from the boot free ranges. */
static void boot_reserve(uint64_t s, uint64_t e)
{
    for (int i = 0; i < nr_boot_free; i++) {
        struct range *r = &boot_free[i];
        if (e <= r->start || s >= r->end)
            continue;
        if (s <= r->start && e >= r->end) {
            *r = boot_free[--nr_boot_free];
            i--;
        } else if (s <= r->start) {
            r->start = e;
        } else if (e >= r->end) {
            r->end = s;
        } else {
            if (nr_boot_free == MAX_BOOT_RANGES)
                panic("boot: too many memory ranges");
            boot_free[nr_boot_free++] = (struct range){ e, r->end };
            r->end = s;
        }
    }
}

void boot_mem_init(struct boot_info *bi)
{
    for (int i = 0; i < bi->nr_memmap; i++) {
        const struct mem_region *m = &bi->memmap[i];
        if (m->type != E820_RAM)
            continue;
        if (nr_boot_free == MAX_BOOT_RANGES) {
            printk(LOG_WARNING "boot: more than %d RAM ranges; rest ignored\n", MAX_BOOT_RANGES);
            break;
        }
        boot_free[nr_boot_free++] = (struct range){ m->addr >> PAGE_SHIFT,
                                                    (m->addr + m->size) >> PAGE_SHIFT };
        if (((m->addr + m->size) >> PAGE_SHIFT) > max_page)
            max_page = (m->addr + m->size) >> PAGE_SHIFT;
    }
    /* The first MiB stays with firmware and the AP trampoline. */
    boot_reserve(0, 0x100);
    boot_reserve(bi->image_start >> PAGE_SHIFT,
                 (bi->image_end + PAGE_SIZE - 1) >> PAGE_SHIFT);
    for (unsigned int i = 0; i < bi->nr_mods; i++)
        boot_reserve(bi->mods[i].start >> PAGE_SHIFT,
                     (bi->mods[i].start + bi->mods[i].size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/*
 * Take nr frames aligned to 'align' frames from the highest boot range
 * below 'limit' (a frame number). Returns the first frame; panics when
 * memory is exhausted (nothing can run then anyway).
 */
mfn_t boot_alloc_pages(unsigned long nr, unsigned long align, mfn_t limit)
{
    BUG_ON(boot_allocator_closed);
    for (int pass = 0; pass < 2; pass++) {
        int best = -1;
        uint64_t best_start = 0;
        for (int i = 0; i < nr_boot_free; i++) {
            uint64_t end = MIN(boot_free[i].end, limit);
            if (end < nr || end - nr < boot_free[i].start)
                continue;
            uint64_t s = ROUNDDOWN(end - nr, align);
            if (s < boot_free[i].start)
                continue;
            if (best < 0 || s > best_start) {
                best = i;
                best_start = s;
            }
        }
        if (best >= 0) {
            boot_reserve(best_start, best_start + nr);
            return best_start;
        }
        limit = ~0UL;     /* second pass: anywhere */
    }
    panic("boot: out of memory allocating %lu frames", nr);
}

/* ------------------------------------------------------------ buddy */

static void free_list_add(struct page_info *pg, unsigned int order)
{
    pg->order = (uint8_t)order;
    pg->count_info = (pg->count_info & PGC_ram) | PGC_free;
    page_list_add_tail(&free_lists[order], pg);
}

/* Merge a free block with its buddies and put it on a free list. */
static void free_block(mfn_t mfn, unsigned int order)
{
    while (order < MAX_ORDER) {
        mfn_t buddy = mfn ^ (1UL << order);
        if (buddy >= max_page)
            break;
        struct page_info *b = &frame_table[buddy];
        if (!(b->count_info & PGC_free) || b->order != order)
            break;
        page_list_del(&free_lists[order], b);
        b->count_info &= ~PGC_free;
        mfn &= ~(1UL << order);
        order++;
    }
    free_list_add(&frame_table[mfn], order);
}

/* The first free block of at least 'order' that ends at or below frame
 * 'limit' (~0 for any). */
static struct page_info *find_block(unsigned int order, mfn_t limit, unsigned int *found)
{
    for (unsigned int o = order; o <= MAX_ORDER; o++)
        for (struct page_info *pg = page_list_first(&free_lists[o]); pg; pg = page_list_next(pg))
            if (limit == ~0UL || page_to_mfn(pg) + (1UL << order) <= limit) {
                *found = o;
                return pg;
            }
    return NULL;
}

static struct page_info *alloc_block_below(unsigned int order, mfn_t limit)
{
    unsigned int o;
    struct page_info *pg = find_block(order, limit, &o);
    if (!pg)
        return NULL;
    page_list_del(&free_lists[o], pg);
    pg->count_info &= ~PGC_free;
    /* Split: give back the upper halves. */
    while (o > order) {
        o--;
        free_list_add(pg + (1UL << o), o);
    }
    for (unsigned long i = 0; i < (1UL << order); i++) {
        pg[i].count_info &= PGC_ram;
        pg[i].type_info = 0;
        pg[i].owner = NULL;
        pg[i].next = pg[i].prev = PAGE_LIST_NULL;
    }
    stats.free -= 1UL << order;
    return pg;
}

static struct page_info *alloc_block(unsigned int order)
{
    return alloc_block_below(order, ~0UL);
}

/* Add [s, e) frames as free memory, in maximal aligned blocks. */
static void seed_free(uint64_t s, uint64_t e)
{
    while (s < e) {
        unsigned int order = 0;
        while (order < MAX_ORDER && !(s & ((2UL << order) - 1)) && s + (2UL << order) <= e)
            order++;
        stats.free += 1UL << order;
        free_block(s, order);
        s += 1UL << order;
    }
}

void page_alloc_init(struct boot_info *bi)
{
    unsigned long ft_bytes = max_page * sizeof(struct page_info);
    unsigned long ft_pages = (ft_bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;
    mfn_t ft = boot_alloc_pages(ft_pages, 1, ~0UL);

    for (unsigned int o = 0; o <= MAX_ORDER; o++)
        free_lists[o] = (struct page_list)PAGE_LIST_INIT;
    frame_table = map_domain_page(ft);
    memset(frame_table, 0, ft_pages << PAGE_SHIFT);
    for (mfn_t m = 0; m < max_page; m++)
        frame_table[m].next = frame_table[m].prev = PAGE_LIST_NULL;

    /* Mark RAM; everything RAM is reserved until seeded below. */
    for (int i = 0; i < bi->nr_memmap; i++) {
        const struct mem_region *r = &bi->memmap[i];
        if (r->type != E820_RAM)
            continue;
        for (mfn_t m = r->addr >> PAGE_SHIFT; m < (r->addr + r->size) >> PAGE_SHIFT; m++)
            frame_table[m].count_info = PGC_ram | PGC_reserved;
        total_ram_pages += r->size >> PAGE_SHIFT;
    }
    stats.total = total_ram_pages;

    boot_allocator_closed = true;
    for (int i = 0; i < nr_boot_free; i++) {
        for (mfn_t m = boot_free[i].start; m < boot_free[i].end; m++)
            frame_table[m].count_info = PGC_ram;
        seed_free(boot_free[i].start, boot_free[i].end);
    }
    stats.reserved = stats.total - stats.free;
    printk("Memory: %lu MiB RAM, %lu MiB free, frame table %lu KiB for %lu frames\n",
           stats.total >> 8, stats.free >> 8, ft_bytes >> 10, max_page);
}

void release_boot_range(paddr_t start, paddr_t end)
{
    unsigned long f;
    mfn_t s = (start + PAGE_SIZE - 1) >> PAGE_SHIFT, e = end >> PAGE_SHIFT;

    spin_lock_irqsave(&heap_lock, f);
    for (mfn_t m = s; m < e; m++) {
        if (!mfn_valid(m) || !(frame_table[m].count_info & PGC_reserved))
            continue;
        frame_table[m].count_info = PGC_ram;
        stats.reserved--;
        stats.free++;
        free_block(m, 0);
    }
    spin_unlock_irqrestore(&heap_lock, f);
}

struct page_info *alloc_heap_pages(unsigned int order)
{
    unsigned long f;
    struct page_info *pg;

    spin_lock_irqsave(&heap_lock, f);
    pg = alloc_block(order);
    if (pg) {
        for (unsigned long i = 0; i < (1UL << order); i++)
            pg[i].count_info |= PGC_xen_heap;
        stats.xenheap += 1UL << order;
    }
    spin_unlock_irqrestore(&heap_lock, f);
    return pg;
}

void free_heap_pages(struct page_info *pg, unsigned int order)
{
    unsigned long f;

    spin_lock_irqsave(&heap_lock, f);
    for (unsigned long i = 0; i < (1UL << order); i++)
        pg[i].count_info &= PGC_ram;
    stats.xenheap -= 1UL << order;
    stats.free += 1UL << order;
    free_block(page_to_mfn(pg), order);
    spin_unlock_irqrestore(&heap_lock, f);
}

void *alloc_xenheap_pages(unsigned int order)
{
    struct page_info *pg = alloc_heap_pages(order);
    if (!pg)
        return NULL;
    void *va = map_domain_page(page_to_mfn(pg));
    memset(va, 0, PAGE_SIZE << order);
    return va;
}

void free_xenheap_pages(void *va, unsigned int order)
{
    if (va)
        free_heap_pages(mfn_to_page(virt_to_mfn(va)), order);
}

struct page_info *alloc_domheap_pages(struct domain *d, unsigned int order)
{
    return alloc_domheap_pages_bits(d, order, 0);
}

struct page_info *alloc_domheap_pages_bits(struct domain *d, unsigned int order, unsigned int bits)
{
    unsigned long f;
    struct page_info *pg;

    /* The order is often a guest's (extent_order): no shift past 63. */
    if (order > MAX_ORDER || (bits && bits <= PAGE_SHIFT))
        return NULL;
    unsigned long n = 1UL << order;
    mfn_t limit = (bits && bits < 64) ? 1UL << (bits - PAGE_SHIFT) : ~0UL;

    spin_lock(&d->page_lock);
    /* A dying domain gets nothing more (Xen's assign_pages() checks
     * is_dying): its memory is being released, and a frame added after
     * that would never be freed. domain_destroy() sets DYING, then takes
     * this lock once before releasing, so none is added meanwhile. */
    if (d->state >= DOM_DYING || d->tot_pages + n > d->max_pages) {
        spin_unlock(&d->page_lock);
        return NULL;
    }
    spin_lock_irqsave(&heap_lock, f);
    pg = alloc_block_below(order, limit);
    if (pg)
        stats.domheap += n;
    spin_unlock_irqrestore(&heap_lock, f);
    if (!pg) {
        spin_unlock(&d->page_lock);
        return NULL;
    }
    for (unsigned long i = 0; i < n; i++) {
        memset(map_domain_page(page_to_mfn(&pg[i])), 0, PAGE_SIZE);
        pg[i].owner = d;
        /* The allocation reference: the domain owns the frame. */
        pg[i].count_info |= PGC_allocated | 1;
        page_list_add_tail(&d->page_list, &pg[i]);
    }
    d->tot_pages += n;
    spin_unlock(&d->page_lock);
    return pg;
}

void free_domheap_page(struct page_info *pg)
{
    unsigned long x, nx;

    do {
        x = __atomic_load_n(&pg->count_info, __ATOMIC_RELAXED);
        if (!(x & PGC_allocated))
            return;
        nx = x & ~PGC_allocated;
    } while (!__atomic_compare_exchange_n(&pg->count_info, &x, nx, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    put_page(pg);
}

void free_domain_frame(struct page_info *pg)
{
    struct domain *d = pg->owner;
    unsigned long f;
    bool last = false;

    if (d) {
        spin_lock(&d->page_lock);
        page_list_del(&d->page_list, pg);
        d->tot_pages--;
        if (!d->tot_pages && d->frames_ref) {
            d->frames_ref = false;
            last = true;
        }
        spin_unlock(&d->page_lock);
    }
    pg->owner = NULL;
    pg->type_info = 0;
    spin_lock_irqsave(&heap_lock, f);
    pg->count_info &= PGC_ram;
    stats.domheap--;
    stats.free++;
    free_block(page_to_mfn(pg), 0);
    spin_unlock_irqrestore(&heap_lock, f);
    /* The last frame of a torn-down domain: it may go now. */
    if (last)
        put_domain(d);
}

void mem_stats(struct mem_stats *s)
{
    unsigned long f;
    spin_lock_irqsave(&heap_lock, f);
    *s = stats;
    spin_unlock_irqrestore(&heap_lock, f);
}

/*
 * Take a page away from its domain without freeing it (XENMEM_exchange):
 * only a page nobody else references - the allocation reference plus the
 * caller's - with no type references.
 */
bool steal_domain_page(struct domain *d, struct page_info *pg)
{
    unsigned long want = PGC_ram | PGC_allocated | 2;
    spin_lock(&d->page_lock);
    if (pg->owner != d || (pg->type_info & PGT_count_mask) ||
        !__atomic_compare_exchange_n(&pg->count_info, &want, PGC_ram, false,
                                     __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        spin_unlock(&d->page_lock);
        return false;
    }
    page_list_del(&d->page_list, pg);
    d->tot_pages--;
    pg->owner = NULL;
    pg->type_info = 0;
    spin_unlock(&d->page_lock);
    return true;
}

/* Undo steal_domain_page (the exchange failed). A domain that started
 * dying meanwhile has released its memory: the page is freed instead (it
 * would never come back otherwise; allocations for it fail likewise). */
void return_stolen_page(struct domain *d, struct page_info *pg)
{
    spin_lock(&d->page_lock);
    if (d->state >= DOM_DYING) {
        spin_unlock(&d->page_lock);
        set_gpfn_from_mfn(page_to_mfn(pg), ~0UL);
        free_stolen_page(pg);
        return;
    }
    pg->owner = d;
    pg->count_info = PGC_ram | PGC_allocated | 1;
    page_list_add_tail(&d->page_list, pg);
    d->tot_pages++;
    spin_unlock(&d->page_lock);
}

/* A stolen page goes back to the heap. */
void free_stolen_page(struct page_info *pg)
{
    unsigned long f;
    spin_lock_irqsave(&heap_lock, f);
    pg->count_info &= PGC_ram;
    stats.domheap--;
    stats.free++;
    free_block(page_to_mfn(pg), 0);
    spin_unlock_irqrestore(&heap_lock, f);
}
