/* The fake world behind grant/env.h for the host unit tests (see grant_fake.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include <pvabi/grant_table.h>
#include "../../grant/env.h"
#include "grant_fake.h"

struct fake_frame fake_frames[FAKE_NR_FRAMES];
struct fake_pte fake_ptes[FAKE_NR_SLOTS];
long fake_allocs;
unsigned int fake_flushes;

static uint8_t frame_data[FAKE_NR_FRAMES][PAGE_SIZE] __attribute__((aligned(4096)));
#define MAX_DOMAINS 8
static struct domain *domains[MAX_DOMAINS];

/* ------------------------------------------------------------ console */

void printk(const char *fmt, ...)
{
    va_list ap;

    if (!getenv("GRANT_TEST_VERBOSE"))
        return;
    va_start(ap, fmt);
    if (fmt[0] == '\001' && fmt[1])
        fmt += 2;
    vprintf(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    ck_abort_msg("panic: %s", buf);
    abort();
}

/* ------------------------------------------------------------ the world */

void fake_reset(void)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        free(domains[i]);
        domains[i] = NULL;
    }
    memset(fake_frames, 0, sizeof(fake_frames));
    memset(fake_ptes, 0, sizeof(fake_ptes));
    for (unsigned int i = 0; i < FAKE_NR_FRAMES; i++)
        fake_frames[i].data = frame_data[i];
    fake_allocs = 0;
    fake_flushes = 0;
    memset(&gnttab_live, 0, sizeof(gnttab_live));
}

struct domain *fake_domain(domid_t id, bool privileged, unsigned int nr_vcpus,
                           unsigned int max_maptrack_frames)
{
    struct domain *d = calloc(1, sizeof(*d));

    ck_assert_ptr_nonnull(d);
    d->id = id;
    d->privileged = privileged;
    d->alive = true;
    d->max_pages = 1000;
    d->gt = gnttab_create(d, id, nr_vcpus, GNTTAB_MAX_FRAMES, max_maptrack_frames);
    ck_assert_ptr_nonnull(d->gt);
    for (unsigned int i = 0; i < MAX_DOMAINS; i++)
        if (!domains[i]) {
            domains[i] = d;
            return d;
        }
    ck_abort_msg("too many fake domains");
    return NULL;
}

void fake_destroy(struct domain *d)
{
    struct grant_table *gt = d->gt;

    /* As grant_table_destroy: unpublish, then let go. */
    d->gt = NULL;
    d->alive = false;
    gnttab_destroy(gt);
}

struct fake_frame *fake_frame(uint64_t mfn)
{
    if (mfn < FAKE_MFN_BASE || mfn >= FAKE_MFN_BASE + FAKE_NR_FRAMES)
        return NULL;
    return &fake_frames[mfn - FAKE_MFN_BASE];
}

uint64_t fake_frame_alloc(struct domain *d, enum fake_type type)
{
    for (unsigned int i = 0; i < FAKE_NR_FRAMES; i++) {
        struct fake_frame *f = &fake_frames[i];

        if (f->owner)
            continue;
        d->tot_pages++;
        f->owner = d;
        f->count = 1;
        f->type = type;
        /* A page table holds a type reference of its own (its use). */
        f->type_count = type == FT_PAGETABLE ? 1 : 0;
        f->shared = false;
        memset(f->data, 0, PAGE_SIZE);
        return FAKE_MFN_BASE + i;
    }
    ck_abort_msg("out of fake frames");
    return 0;
}

static void frame_put(struct fake_frame *f)
{
    ck_assert_int_gt(f->count, 0);
    if (--f->count == 0) {
        if (!f->shared)
            f->owner->tot_pages--;
        ck_assert_int_eq(f->type_count, f->type == FT_PAGETABLE ? 1 : 0);
        f->owner = NULL;
        f->type = FT_NONE;
        f->type_count = 0;
        f->shared = false;
    }
}

void fake_frame_release(uint64_t mfn)
{
    frame_put(fake_frame(mfn));
}

void fake_grant(struct domain *d, grant_ref_t ref, domid_t to, uint32_t frame, uint16_t flags)
{
    grant_entry_v1_t *e = shared_entry(d->gt, ref);

    e->domid = to;
    e->frame = frame;
    e->flags = flags;
}

uint16_t fake_flags(struct domain *d, grant_ref_t ref)
{
    return shared_entry(d->gt, ref)->flags;
}

void fake_plain_pte(unsigned int slot, uint64_t mfn, bool rw)
{
    struct fake_frame *f = fake_frame(mfn);

    ck_assert(f && f->count > 0);
    f->count++;
    if (rw) {
        ck_assert_int_ne(f->type, FT_PAGETABLE);
        f->type = FT_WRITABLE;
        f->type_count++;
    }
    fake_ptes[slot] = (struct fake_pte){ .present = true, .rw = rw, .mfn = mfn };
}

bool fake_frames_idle(void)
{
    bool idle = true;

    for (unsigned int i = 0; i < FAKE_NR_FRAMES; i++) {
        const struct fake_frame *f = &fake_frames[i];
        long want_type = f->type == FT_PAGETABLE ? 1 : 0;

        if (f->owner && (f->count != 1 || f->type_count != want_type)) {
            fprintf(stderr, "frame %#x: count %ld type count %ld\n", FAKE_MFN_BASE + i, f->count,
                    f->type_count);
            idle = false;
        }
    }
    return idle;
}

/* ------------------------------------------------------------ env.h */

struct grant_table *gnt_env_table_by_id(domid_t id)
{
    for (unsigned int i = 0; i < MAX_DOMAINS; i++) {
        struct domain *d = domains[i];

        if (d && d->alive && d->id == id && d->gt) {
            gnttab_get(d->gt);
            d->refcnt++;
            return d->gt;
        }
    }
    return NULL;
}

void gnt_env_domain_get(struct domain *d)
{
    d->refcnt++;
}

void gnt_env_domain_put(struct domain *d)
{
    ck_assert_int_gt(d->refcnt, 0);
    d->refcnt--;
}

bool gnt_env_may_control(const struct grant_table *src, const struct grant_table *dst)
{
    return src == dst || src->d->privileged;
}

bool gnt_env_get_page(uint64_t mfn, const struct grant_table *owner)
{
    struct fake_frame *f = fake_frame(mfn);

    if (!f || !f->owner || f->owner != owner->d || f->count <= 0)
        return false;
    f->count++;
    return true;
}

void gnt_env_put_page(uint64_t mfn)
{
    frame_put(fake_frame(mfn));
}

bool gnt_env_get_writable(uint64_t mfn)
{
    struct fake_frame *f = fake_frame(mfn);

    if (f->type == FT_PAGETABLE)
        return false;
    f->type = FT_WRITABLE;
    f->type_count++;
    return true;
}

void gnt_env_put_writable(uint64_t mfn)
{
    struct fake_frame *f = fake_frame(mfn);

    ck_assert_int_eq(f->type, FT_WRITABLE);
    ck_assert_int_gt(f->type_count, 0);
    f->type_count--;
}

void *gnt_env_map_frame(uint64_t mfn)
{
    return fake_frame(mfn)->data;
}

void gnt_env_unmap_frame(const void *va)
{
    (void)va;
}

bool gnt_env_frame_valid(uint64_t mfn)
{
    return fake_frame(mfn) != NULL;
}

struct grant_table *gnt_env_page_owner_get(uint64_t mfn)
{
    struct fake_frame *f = fake_frame(mfn);

    if (!f || !f->owner || !f->owner->gt || f->count <= 0)
        return NULL;
    f->count++;
    gnttab_get(f->owner->gt);
    f->owner->refcnt++;
    return f->owner->gt;
}

bool gnt_env_steal_page(struct grant_table *gt, uint64_t mfn)
{
    struct fake_frame *f = fake_frame(mfn);

    /* Only the allocation reference, no type, not a hypervisor page. */
    if (!f || f->owner != gt->d || f->count != 1 || f->type_count || f->shared)
        return false;
    f->owner = NULL;
    f->count = 0;
    f->type = FT_NONE;
    gt->d->tot_pages--;
    return true;
}

void gnt_env_free_stolen_page(uint64_t mfn)
{
    struct fake_frame *f = fake_frame(mfn);

    ck_assert(!f->owner && f->count == 0);
}

bool gnt_env_reserve_page(struct grant_table *gt)
{
    if (!gt->d->alive || gt->dying || gt->d->tot_pages >= gt->d->max_pages)
        return false;
    gt->d->tot_pages++;
    return true;
}

void gnt_env_unreserve_page(struct grant_table *gt)
{
    gt->d->tot_pages--;
}

uint64_t fake_last_assign_gfn;

void gnt_env_assign_page(struct grant_table *gt, uint64_t mfn, uint64_t gfn)
{
    struct fake_frame *f = fake_frame(mfn);

    ck_assert(!f->owner && f->count == 0);
    f->owner = gt->d;
    f->count = 1;
    fake_last_assign_gfn = gfn;
}

struct fake_flush fake_last_flush;

long gnt_env_cache_flush(uint64_t mfn, unsigned int offset, unsigned int len, bool clean,
                         bool inval)
{
    fake_last_flush = (struct fake_flush){ mfn, offset, len, clean, inval, true };
    return !clean && inval ? -XEN_EOPNOTSUPP : 0;
}

void *gnt_env_zalloc(size_t size)
{
    void *p = calloc(1, size);

    if (p)
        fake_allocs++;
    return p;
}

void gnt_env_free(void *p)
{
    if (p) {
        fake_allocs--;
        free(p);
    }
}

void *gnt_env_alloc_pages(unsigned int order)
{
    void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

    if (p) {
        memset(p, 0, PAGE_SIZE << order);
        fake_allocs++;
    }
    return p;
}

void gnt_env_free_pages(void *p, unsigned int order)
{
    (void)order;
    gnt_env_free(p);
}

void *gnt_env_alloc_shared_frame(struct grant_table *gt)
{
    uint64_t mfn = fake_frame_alloc(gt->d, FT_NONE);
    struct fake_frame *f = fake_frame(mfn);

    f->shared = true;
    return f->data;
}

uint64_t gnt_env_frame_mfn(const void *va)
{
    return FAKE_MFN_BASE + (uint64_t)((const uint8_t *)va - frame_data[0]) / PAGE_SIZE;
}

void gnt_env_release_shared_frame(void *va)
{
    frame_put(fake_frame(gnt_env_frame_mfn(va)));
}

/* ------------------------------------------------------------ PTEs */

static int slot_of(uint64_t addr, bool is_pte)
{
    if (is_pte) {
        if (addr < FAKE_PTE_BASE || addr >= FAKE_PTE_BASE + FAKE_NR_SLOTS * 8 || (addr & 7))
            return -1;
        return (int)((addr - FAKE_PTE_BASE) / 8);
    }
    if (addr < FAKE_VA_BASE || addr >= FAKE_VA_BASE + FAKE_NR_SLOTS * PAGE_SIZE)
        return -1;
    return (int)((addr - FAKE_VA_BASE) / PAGE_SIZE);
}

/* What put_page_from_l1e does for a PTE that goes. */
static void pte_drop(const struct fake_pte *p)
{
    if (!p->present)
        return;
    if (p->rw)
        gnt_env_put_writable(p->mfn);
    gnt_env_put_page(p->mfn);
}

int16_t gnt_env_create_host_mapping(uint64_t addr, uint64_t mfn, uint32_t flags, uint64_t *pte)
{
    int slot = slot_of(addr, flags & GNTMAP_contains_pte);
    struct fake_pte old;

    if (slot < 0)
        return GNTST_general_error;
    old = fake_ptes[slot];
    fake_ptes[slot] = (struct fake_pte){
        .present = true, .rw = !(flags & GNTMAP_readonly), .grant = true, .mfn = mfn, .flags = flags,
    };
    pte_drop(&old);
    *pte = FAKE_PTE_BASE + (uint64_t)slot * 8;
    return GNTST_okay;
}

int16_t gnt_env_replace_host_mapping(uint64_t addr, uint64_t mfn, uint64_t new_addr,
                                     uint32_t flags)
{
    bool is_pte = flags & GNTMAP_contains_pte;
    int slot = slot_of(addr, is_pte), nslot;
    struct fake_pte stolen = { 0 };
    int16_t rc = GNTST_general_error;

    if (is_pte && new_addr)
        return GNTST_general_error;
    if (new_addr) {
        nslot = slot_of(new_addr, false);
        if (nslot < 0)
            return GNTST_general_error;
        stolen = fake_ptes[nslot];
        fake_ptes[nslot] = (struct fake_pte){ 0 };
    }
    if (slot >= 0 && fake_ptes[slot].present && fake_ptes[slot].mfn == mfn &&
        fake_ptes[slot].rw == !(flags & GNTMAP_readonly)) {
        fake_ptes[slot] = stolen;
        rc = GNTST_okay;
    }
    if (rc != GNTST_okay)
        pte_drop(&stolen);
    return rc;
}

void gnt_env_release_host_mapping(struct grant_table *lgt, uint64_t pte, uint64_t mfn,
                                  uint32_t flags)
{
    int slot = slot_of(pte, true);

    (void)lgt;
    if (slot < 0)
        return;
    if (fake_ptes[slot].present && fake_ptes[slot].grant && fake_ptes[slot].mfn == mfn &&
        fake_ptes[slot].rw == !(flags & GNTMAP_readonly)) {
        struct fake_pte old = fake_ptes[slot];

        fake_ptes[slot] = (struct fake_pte){ 0 };
        pte_drop(&old);
    }
}

void gnt_env_flush_tlb(struct grant_table *lgt)
{
    (void)lgt;
    fake_flushes++;
}

/* ------------------------------------------------------------ shorthands */

int16_t fake_map(struct domain *ld, unsigned int vcpu, uint64_t addr, uint32_t flags,
                 grant_ref_t ref, domid_t dom, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = { .host_addr = addr, .flags = flags, .ref = ref, .dom = dom,
                                       .status = 77, .handle = 0xdead };

    gnttab_map(ld->gt, vcpu, &op);
    if (handle)
        *handle = op.handle;
    return op.status;
}

int16_t fake_unmap(struct domain *ld, uint64_t addr, uint64_t dev_bus_addr, grant_handle_t handle)
{
    struct gnttab_unmap u = { .host_addr = addr, .dev_bus_addr = dev_bus_addr, .handle = handle };

    gnttab_unmap_begin(ld->gt, &u);
    gnt_env_flush_tlb(ld->gt);
    gnttab_unmap_complete(&u);
    return u.status;
}

int16_t fake_copy(struct domain *cd, const struct gnttab_copy *op)
{
    struct gnttab_copy_state s;
    int16_t st;

    memset(&s, 0, sizeof(s));
    st = gnttab_copy_one(cd->gt, &s, op);
    gnttab_copy_end(&s);
    return st;
}
