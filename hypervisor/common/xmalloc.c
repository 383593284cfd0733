/*
 * Small allocations from the hypervisor heap: power-of-two size classes
 * carved from heap pages; anything larger than half a page gets whole
 * pages. A 16-byte header before each block records how to free it.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <pavise/spinlock.h>

#define MIN_SHIFT   5                       /* 32-byte blocks (16 usable) */
#define MAX_SHIFT   11                      /* 2 KiB blocks */
#define NR_CLASSES  (MAX_SHIFT - MIN_SHIFT + 1)
#define HDR         16
#define MAGIC       0x9a71c0deU

struct hdr {
    uint32_t magic;
    uint32_t shift;         /* size class (block = 1 << shift) or page order + 32 */
    uint64_t pad;
};

struct free_blk { struct free_blk *next; };

static spinlock_t xmalloc_lock = SPIN_LOCK_UNLOCKED;
static struct free_blk *free_blocks[NR_CLASSES];
static unsigned long pool_pages, live_blocks;

/* For leak accounting: heap pages kept by the size classes (never given
 * back), and blocks of any size not yet freed. */
void xmalloc_stats(unsigned long *pool, unsigned long *live)
{
    *pool = __atomic_load_n(&pool_pages, __ATOMIC_RELAXED);
    *live = __atomic_load_n(&live_blocks, __ATOMIC_RELAXED);
}

static unsigned int class_of(size_t total)
{
    unsigned int s = MIN_SHIFT;
    while ((1UL << s) < total)
        s++;
    return s;
}

void *xmalloc_bytes(size_t size)
{
    size_t total = size + HDR;
    struct hdr *h;
    unsigned long f;

    if (size == 0 || size > (1UL << 30))
        return NULL;
    if (total > (1UL << MAX_SHIFT)) {
        unsigned int order = 0;
        while (((size_t)PAGE_SIZE << order) < total)
            order++;
        h = alloc_xenheap_pages(order);
        if (!h)
            return NULL;
        h->magic = MAGIC;
        h->shift = 32 + order;
        __atomic_fetch_add(&live_blocks, 1, __ATOMIC_RELAXED);
        return (char *)h + HDR;
    }

    unsigned int s = class_of(total);
    spin_lock_irqsave(&xmalloc_lock, f);
    if (!free_blocks[s - MIN_SHIFT]) {
        char *page = alloc_xenheap_pages(0);
        if (!page) {
            spin_unlock_irqrestore(&xmalloc_lock, f);
            return NULL;
        }
        pool_pages++;
        for (size_t off = 0; off < PAGE_SIZE; off += 1UL << s) {
            struct free_blk *b = (struct free_blk *)(page + off);
            b->next = free_blocks[s - MIN_SHIFT];
            free_blocks[s - MIN_SHIFT] = b;
        }
    }
    struct free_blk *b = free_blocks[s - MIN_SHIFT];
    free_blocks[s - MIN_SHIFT] = b->next;
    __atomic_fetch_add(&live_blocks, 1, __ATOMIC_RELAXED);
    spin_unlock_irqrestore(&xmalloc_lock, f);

    memset(b, 0, 1UL << s);
    h = (struct hdr *)b;
    h->magic = MAGIC;
    h->shift = s;
    return (char *)h + HDR;
}

void *xmalloc_array_bytes(size_t size, size_t n)
{
    if (n && size > ((size_t)-1) / n)
        return NULL;
    return xmalloc_bytes(size * n);
}

void xfree(void *p)
{
    unsigned long f;

    if (!p)
        return;
    struct hdr *h = (struct hdr *)((char *)p - HDR);
    if (h->magic != MAGIC)
        panic("xfree(%p): not an xmalloc block", p);
    h->magic = 0;
    if (h->shift >= 32) {
        __atomic_fetch_sub(&live_blocks, 1, __ATOMIC_RELAXED);
        free_xenheap_pages(h, h->shift - 32);
        return;
    }
    unsigned int s = h->shift;
    BUG_ON(s < MIN_SHIFT || s > MAX_SHIFT);
    struct free_blk *b = (struct free_blk *)h;
    spin_lock_irqsave(&xmalloc_lock, f);
    b->next = free_blocks[s - MIN_SHIFT];
    free_blocks[s - MIN_SHIFT] = b;
    __atomic_fetch_sub(&live_blocks, 1, __ATOMIC_RELAXED);
    spin_unlock_irqrestore(&xmalloc_lock, f);
}
