/*
 * The PV page-type state machine (hypervisor/arch/x86/pv/pagetype.c),
 * compiled unchanged against a fake machine (tests/unit/fake): general
 * references and owner checks, freeing on the last reference, the
 * writable type and its TLB-flush stamp, type conflicts, count overflow
 * guards, and L1 entries (what they may name, the references they take
 * and give back, how a failed validation unwinds). Upper levels, pins and
 * cascades are in test_pagetype_tables.c.
 *
 * Expected values follow Xen 4.17 (arch/x86/mm.c); rules where Pavise is
 * known to differ from Xen are left to the guest tests, which report them.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include "fake/fake_mm.h"
#include <pvabi/errno.h>
#include <asm/pv.h>

static struct domain *d0, *d1;     /* d0: privileged, I/O memory; d1: neither */

static void setup(void)
{
    fake_mm_reset();
    d0 = fake_domain(0, true, true);
    d1 = fake_domain(1, false, false);
}

static void teardown(void)
{
    free(d0);
    free(d1);
}

#define RO(m) mk_pte((m), _PAGE_PRESENT | _PAGE_ACCESSED)
#define RW(m) mk_pte((m), _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

/* ------------------------------------------------------------ general refs */

START_TEST(get_page_checks_owner)
{
    mfn_t m = fake_alloc(d1);

    ck_assert(get_page(pg_of(m), d1));
    ck_assert_uint_eq(pg_count(m), 2);
    ck_assert(!get_page(pg_of(m), d0));
    ck_assert_uint_eq(pg_count(m), 2);          /* the failed attempt gave its ref back */
    put_page(pg_of(m));
    ck_assert_uint_eq(pg_count(m), 1);
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
}
END_TEST

START_TEST(get_page_refuses_free_and_io_frames)
{
    mfn_t io = fake_alloc_io();
    mfn_t m = fake_alloc(d0);

    put_page(pg_of(m));                         /* freed */
    ck_assert(pg_freed(m));
    ck_assert(!get_page(pg_of(m), d0));
    ck_assert(!get_page(pg_of(m), NULL));
    ck_assert(!get_page(pg_of(io), d0));        /* owned by dom_io, not d0 */
    ck_assert(get_page(pg_of(io), dom_io));
    put_page(pg_of(io));
}
END_TEST

START_TEST(get_page_count_overflow)
{
    mfn_t m = fake_alloc(d0);
    struct page_info *pg = pg_of(m);

    pg->count_info = (pg->count_info & ~PGC_count_mask) | (PGC_count_mask - 1);
    ck_assert(get_page(pg, d0));                /* reaches the maximum */
    ck_assert_uint_eq(pg_count(m), PGC_count_mask);
    ck_assert(!get_page(pg, d0));               /* one more would wrap to 0 */
    ck_assert_uint_eq(pg_count(m), PGC_count_mask);
    ck_assert(pg->count_info & PGC_allocated);  /* flags untouched */
}
END_TEST

START_TEST(last_put_frees)
{
    mfn_t m = fake_alloc(d0), x = fake_alloc_xenheap_shared(d0);

    ck_assert(get_page(pg_of(m), d0));
    put_page(pg_of(m));
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
    put_page(pg_of(m));                         /* the allocation reference */
    ck_assert_uint_eq(fake_calls.free_domain_frame, 1);
    ck_assert(pg_freed(m));
    ck_assert_ptr_null(pg_of(m)->owner);

    put_page(pg_of(x));                         /* a shared hypervisor page */
    ck_assert_uint_eq(fake_calls.free_heap_pages, 1);
    ck_assert_uint_eq(fake_calls.free_domain_frame, 1);
    ck_assert_ptr_null(pg_of(x)->owner);
}
END_TEST

/* ------------------------------------------------------------ writable type */

START_TEST(none_writable_none)
{
    mfn_t m = fake_alloc(d0);

    ck_assert_int_eq(get_page_type(pg_of(m), PGT_writable_page), 0);
    ck_assert_uint_eq(pg_type(m), PGT_writable_page);
    ck_assert_uint_eq(pg_tcount(m), 1);
    ck_assert(pg_validated(m));                 /* nothing to validate */
    ck_assert_int_eq(get_page_type(pg_of(m), PGT_writable_page), 0);
    ck_assert_uint_eq(pg_tcount(m), 2);
    put_page_type(pg_of(m));
    fake_tlb_clock = 555;
    put_page_type(pg_of(m));                    /* the last writable reference */
    ck_assert_uint_eq(pg_tcount(m), 0);
    ck_assert_uint_eq(pg_of(m)->tlbflush_timestamp, 555);
    ck_assert_uint_eq(fake_calls.flush_if_stale, 0);
    ck_assert_uint_eq(pg_count(m), 1);          /* general count untouched */
}
END_TEST

START_TEST(type_changes_flush_stale_tlbs)
{
    mfn_t m = fake_alloc(d0);

    get_page_type(pg_of(m), PGT_writable_page);
    fake_tlb_clock = 777;
    put_page_type(pg_of(m));
    fake_tlb_clock = 900;
    ck_assert_int_eq(get_page_type(pg_of(m), PGT_l1_page_table), 0);
    ck_assert_uint_eq(fake_calls.flush_if_stale, 1);
    ck_assert_uint_eq(fake_calls.last_flush_stamp, 777);
    ck_assert_uint_eq(pg_type(m), PGT_l1_page_table);
    ck_assert(pg_validated(m));

    /* Table -> writable: a CPU may still cache an entry that named the
     * table (it is not flushed when that entry goes), so the same flush,
     * stamped when the table lost its last reference. */
    fake_tlb_clock = 1000;
    put_page_type(pg_of(m));
    fake_tlb_clock = 1100;
    ck_assert_int_eq(get_page_type(pg_of(m), PGT_writable_page), 0);
    ck_assert_uint_eq(fake_calls.flush_if_stale, 2);
    ck_assert_uint_eq(fake_calls.last_flush_stamp, 1000);
    /* The same type again needs none. */
    put_page_type(pg_of(m));
    ck_assert_int_eq(get_page_type(pg_of(m), PGT_writable_page), 0);
    ck_assert_uint_eq(fake_calls.flush_if_stale, 2);
}
END_TEST

START_TEST(type_conflicts)
{
    static const unsigned long types[] = {
        PGT_writable_page, PGT_l1_page_table, PGT_l2_page_table, PGT_l3_page_table,
        PGT_l4_page_table, PGT_seg_desc_page,
    };

    for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        mfn_t m = fake_alloc(d0);

        ck_assert_int_eq(get_page_type(pg_of(m), types[i]), 0);
        for (unsigned int j = 0; j < sizeof(types) / sizeof(types[0]); j++) {
            if (j == i)
                continue;
            ck_assert_msg(get_page_type(pg_of(m), types[j]) == -XEN_EINVAL,
                          "type %lx held, %lx granted", types[i] >> 61, types[j] >> 61);
            ck_assert_uint_eq(pg_type(m), types[i]);
            ck_assert_uint_eq(pg_tcount(m), 1);
        }
        /* Once the count is back to 0 the type may change. */
        put_page_type(pg_of(m));
        unsigned long next = types[(i + 1) % (sizeof(types) / sizeof(types[0]))];
        ck_assert_int_eq(get_page_type(pg_of(m), next), 0);
        ck_assert_uint_eq(pg_type(m), next);
    }
}
END_TEST

START_TEST(type_count_overflow)
{
    mfn_t m = fake_alloc(d0);
    struct page_info *pg = pg_of(m);

    pg->type_info = PGT_writable_page | PGT_validated | (PGT_count_mask - 1);
    ck_assert_int_eq(get_page_type(pg, PGT_writable_page), 0);
    ck_assert_uint_eq(pg_tcount(m), PGT_count_mask);
    ck_assert_int_eq(get_page_type(pg, PGT_writable_page), -XEN_EINVAL);
    ck_assert_uint_eq(pg_tcount(m), PGT_count_mask);
    ck_assert_uint_eq(pg_type(m), PGT_writable_page);
}
END_TEST

START_TEST(put_type_underflow_is_a_bug)
{
    mfn_t m = fake_alloc(d0);

    put_page_type(pg_of(m));                    /* count already 0: BUG_ON */
}
END_TEST

START_TEST(get_page_and_type_undoes_on_failure)
{
    mfn_t m = fake_alloc(d0);

    ck_assert_int_eq(get_page_and_type(pg_of(m), d1, PGT_writable_page), -XEN_EINVAL);
    ck_assert_uint_eq(pg_count(m), 1);
    get_page_type(pg_of(m), PGT_l1_page_table);
    ck_assert_int_eq(get_page_and_type(pg_of(m), d0, PGT_writable_page), -XEN_EINVAL);
    ck_assert_uint_eq(pg_count(m), 1);          /* general ref given back */
    ck_assert_int_eq(get_page_and_type(pg_of(m), d0, PGT_l1_page_table), 0);
    ck_assert_uint_eq(pg_count(m), 2);
    ck_assert_uint_eq(pg_tcount(m), 2);
    put_page_and_type(pg_of(m));
    ck_assert_uint_eq(pg_count(m), 1);
    ck_assert_uint_eq(pg_tcount(m), 1);
}
END_TEST

/* ------------------------------------------------------------ L1 entries */

START_TEST(l1_validation_takes_references)
{
    mfn_t t = fake_alloc(d0), f1 = fake_alloc(d0), f2 = fake_alloc(d0);
    pgentry_t *l1 = fake_frame(t);

    l1[0] = RO(f1);
    l1[1] = RW(f2);
    l1[2] = 0xfffffffffffff000UL;              /* not present: anything */
    l1[3] = RW(f2);
    l1[4] = RO(f1) | _PAGE_USER;                /* a user mapping */
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), 0);
    ck_assert(pg_validated(t));
    ck_assert_uint_eq(pg_count(f1), 3);         /* allocation + 2 mappings */
    ck_assert_uint_eq(pg_count(f2), 3);
    ck_assert_uint_eq(pg_type(f2), PGT_writable_page);
    ck_assert_uint_eq(pg_tcount(f2), 2);
    ck_assert_uint_eq(pg_tcount(f1), 0);        /* read-only: no type ref */
    /* Kernel mappings become user-accessible, marked guest-kernel. */
    ck_assert_uint_eq(l1[0], RO(f1) | _PAGE_USER | _PAGE_GUEST_KERNEL);
    ck_assert_uint_eq(l1[2], 0xfffffffffffff000UL);
    ck_assert_uint_eq(l1[4] & _PAGE_GUEST_KERNEL, 0);

    /* Same type again: counted, not validated again. */
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), 0);
    ck_assert_uint_eq(pg_tcount(t), 2);
    ck_assert_uint_eq(pg_count(f1), 3);

    put_page_type(pg_of(t));
    ck_assert(pg_validated(t));
    put_page_type(pg_of(t));                    /* last type ref: devalidate */
    ck_assert(!pg_validated(t));
    ck_assert_uint_eq(pg_tcount(t), 0);
    ck_assert_uint_eq(pg_count(f1), 1);
    ck_assert_uint_eq(pg_count(f2), 1);
    ck_assert_uint_eq(pg_tcount(f2), 0);
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);

    /* And again from scratch. */
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), 0);
    ck_assert_uint_eq(pg_count(f2), 3);
    put_page_type(pg_of(t));
    ck_assert_uint_eq(pg_count(f2), 1);
}
END_TEST

START_TEST(l1_failure_unwinds)
{
    mfn_t t = fake_alloc(d0), f = fake_alloc(d0), other = fake_alloc(d1);
    pgentry_t *l1 = fake_frame(t);

    for (unsigned int i = 0; i < 100; i++)
        l1[i] = RW(f);
    l1[300] = RO(other);                        /* not d0's */
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), -XEN_EBUSY);
    ck_assert_uint_eq(pg_count(f), 1);
    ck_assert_uint_eq(pg_tcount(f), 0);
    ck_assert_uint_eq(pg_count(other), 1);
    ck_assert_uint_eq(pg_type(t), PGT_none);
    ck_assert_uint_eq(pg_tcount(t), 0);
    ck_assert_uint_eq(pg_count(t), 1);
    /* f can now become a page table itself: no writable ref was left. */
    ck_assert_int_eq(get_page_type(pg_of(f), PGT_l1_page_table), 0);
}
END_TEST

START_TEST(l1_no_writable_mapping_of_tables)
{
    mfn_t t = fake_alloc(d0), table = fake_alloc(d0);
    pgentry_t *l1 = fake_frame(t);

    ck_assert_int_eq(get_page_type(pg_of(table), PGT_l2_page_table), 0);
    l1[0] = RW(table);
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), -XEN_EBUSY);
    l1[0] = RO(table);
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), 0);
    put_page_type(pg_of(t));

    /* Mapping itself writable: it is being made an L1. */
    l1[0] = RW(t);
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), -XEN_EBUSY);
    ck_assert_uint_eq(pg_tcount(t), 0);
    l1[0] = RO(t);
    ck_assert_int_eq(get_page_type(pg_of(t), PGT_l1_page_table), 0);
    ck_assert_uint_eq(pg_count(t), 2);          /* its own read-only mapping */
}
END_TEST

START_TEST(l1_cache_attributes)
{
    mfn_t f = fake_alloc(d1), g = fake_alloc(d0);
    static const uint64_t attrs[] = { _PAGE_PWT, _PAGE_PCD, _PAGE_PAT };

    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_int_eq(get_page_from_l1e(RW(f) | attrs[i], d1, d1), -XEN_EINVAL);
        ck_assert_int_eq(get_page_from_l1e(RW(g) | attrs[i], d0, d0), 0);
        put_page_from_l1e(RW(g) | attrs[i], d0);
    }
    ck_assert_uint_eq(pg_count(f), 1);
    ck_assert_uint_eq(pg_count(g), 1);
    ck_assert_uint_eq(pg_tcount(g), 0);
    /* GLOBAL, NX and the software bits are fine for anyone. */
    pgentry_t e = RW(f) | _PAGE_GLOBAL | _PAGE_NX | _PAGE_AVAIL | (0x7fUL << 52);
    ck_assert_int_eq(get_page_from_l1e(e, d1, d1), 0);
    put_page_from_l1e(e, d1);
    ck_assert_uint_eq(pg_count(f), 1);
}
END_TEST

#define UC_FLIP ((int)(_PAGE_PCD | _PAGE_PWT))

START_TEST(l1_io_memory)
{
    mfn_t io = fake_alloc_io();
    const mfn_t mmio = FAKE_RAM_FRAMES + 3;    /* a hole with a page_info */
    const mfn_t far_mmio = 0x100000;            /* beyond the frame table */

    ck_assert_int_eq(get_page_from_l1e(RW(mmio), d1, d1), -XEN_EPERM);
    ck_assert_int_eq(get_page_from_l1e(RO(far_mmio), d1, d1), -XEN_EPERM);
    ck_assert_int_eq(get_page_from_l1e(RO(io), d1, d1), -XEN_EPERM);
    /* Allowed, and asked for as write-back: to be flipped to uncached. */
    ck_assert_int_eq(get_page_from_l1e(RW(mmio), d0, d0), UC_FLIP);
    ck_assert_int_eq(get_page_from_l1e(RO(far_mmio), d0, d0), UC_FLIP);
    unsigned long before = pg_count(io);
    ck_assert_int_eq(get_page_from_l1e(RW(io), d0, d0), UC_FLIP);
    ck_assert_uint_eq(pg_count(io), before);    /* I/O memory is not counted */
    put_page_from_l1e(RW(io), d0);
    ck_assert_uint_eq(pg_count(io), before);
    /* The hypervisor's local APIC is nobody's. */
    ck_assert_int_eq(get_page_from_l1e(RO(FAKE_LAPIC), d0, d0), -XEN_EPERM);
    /* Beyond the physical address space: -EPERM, but Xen's INVALID_MFN
     * (all frame bits set) is -EINVAL. */
    ck_assert_int_eq(get_page_from_l1e(RO(FAKE_IOMEM_LIMIT), d0, d0), -XEN_EPERM);
    ck_assert_int_eq(get_page_from_l1e(RO((1UL << 40) - 1), d0, d0), -XEN_EINVAL);
}
END_TEST

/* Xen flips cacheable requests for MMIO to UC, keeps UC-/UC/WC, and makes
 * read-only MMIO (the IO-APIC) read-only. */
START_TEST(l1_io_memory_flips)
{
    const mfn_t mmio = FAKE_RAM_FRAMES + 3;
    static const struct { uint64_t attrs; int flip; } c[] = {
        { 0, UC_FLIP },                                         /* WB -> UC */
        { _PAGE_PWT, (int)_PAGE_PCD },                          /* WT -> UC */
        { _PAGE_PWT | _PAGE_PAT, (int)(_PAGE_PCD | _PAGE_PAT) }, /* WP -> UC */
        { _PAGE_PCD, 0 },                                       /* UC- kept */
        { _PAGE_PCD | _PAGE_PWT, 0 },                           /* UC kept */
        { _PAGE_PAT, 0 },                                       /* WC kept */
    };

    for (unsigned int i = 0; i < sizeof(c) / sizeof(c[0]); i++)
        ck_assert_int_eq(get_page_from_l1e(RO(mmio) | c[i].attrs, d0, d0), c[i].flip);
    ck_assert_int_eq(get_page_from_l1e(RO(FAKE_IOAPIC), d0, d0), UC_FLIP);
    ck_assert_int_eq(get_page_from_l1e(RW(FAKE_IOAPIC), d0, d0), UC_FLIP | (int)_PAGE_RW);
    ck_assert_int_eq(get_page_from_l1e(RW(FAKE_IOAPIC) | _PAGE_PCD, d0, d0), (int)_PAGE_RW);
    ck_assert_int_eq(get_page_from_l1e(RW(FAKE_IOAPIC), d1, d1), -XEN_EPERM);
}
END_TEST

/* DOMID_IO as the page owner: I/O frames with the caller's rights (and
 * the table owner's), RAM never (the privileged-mapping check is made on
 * dom_io, which has no privilege). */
START_TEST(l1_domid_io)
{
    const mfn_t mmio = FAKE_RAM_FRAMES + 3;
    mfn_t mine = fake_alloc(d0);

    fake_caller = d0;
    ck_assert_int_eq(get_page_from_l1e(RO(mmio) | _PAGE_PCD, d0, dom_io), 0);
    ck_assert_int_eq(get_page_from_l1e(RO(mine), d0, dom_io), -XEN_EBUSY);
    ck_assert_uint_eq(pg_count(mine), 1);
    /* The caller may, the table's owner may not. */
    ck_assert_int_eq(get_page_from_l1e(RO(mmio), d1, dom_io), -XEN_EPERM);
    fake_caller = d1;
    ck_assert_int_eq(get_page_from_l1e(RO(mmio) | _PAGE_PCD, d0, dom_io), -XEN_EPERM);
}
END_TEST

/* Hypervisor pages shared with a guest stay write-back, and writable. */
START_TEST(xen_heap_pages)
{
    mfn_t x = fake_alloc_xenheap_shared(d0);

    ck_assert_int_eq(get_page_from_l1e(RW(x), d0, d0), 0);
    put_page_from_l1e(RW(x), d0);
    ck_assert_int_eq(get_page_from_l1e(RW(x) | _PAGE_PCD, d0, d0), -XEN_EACCES);
    ck_assert_uint_eq(pg_count(x), 1);
    ck_assert_uint_eq(pg_tcount(x), 0);
    /* The hypervisor writes it: never a table or a descriptor page. */
    static const unsigned long types[] = {
        PGT_l1_page_table, PGT_l2_page_table, PGT_l3_page_table, PGT_l4_page_table,
        PGT_seg_desc_page,
    };
    for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        ck_assert_int_eq(get_page_and_type(pg_of(x), d0, types[i]), -XEN_EINVAL);
    ck_assert_uint_eq(fake_calls.init_hv_l4_slots, 0);
    ck_assert_uint_eq(pg_count(x), 1);
    ck_assert_uint_eq(pg_tcount(x), 0);
}
END_TEST

/* Bit 62 is the guest's in Debian's (release) Xen; only debug builds
 * reserve it for grant mappings. */
START_TEST(l1_software_bit_62)
{
    mfn_t f = fake_alloc(d1);

    ck_assert_int_eq(get_page_from_l1e(RW(f) | (1UL << 62), d1, d1), 0);
    put_page_from_l1e(RW(f) | (1UL << 62), d1);
    ck_assert_uint_eq(pg_count(f), 1);
}
END_TEST

START_TEST(l1_foreign_frames)
{
    mfn_t mine = fake_alloc(d0), theirs = fake_alloc(d1);

    /* Asking as itself for another's frame. */
    ck_assert_int_eq(get_page_from_l1e(RO(theirs), d0, d0), -XEN_EBUSY);
    ck_assert_int_eq(get_page_from_l1e(RO(mine), d1, d1), -XEN_EBUSY);
    /* Whether a caller may name another domain as the owner at all is
     * the hypercall's check (do_mmu_update), not this function's: here
     * only the real owner has to match the named one. */
    ck_assert_int_eq(get_page_from_l1e(RO(mine), d1, d0), 0);
    put_page_from_l1e(RO(mine), d1);
    ck_assert_uint_eq(pg_count(mine), 1);
    ck_assert_uint_eq(pg_count(theirs), 1);
    /* The privileged domain mapping d1's frame as d1 (foreign mapping). */
    ck_assert_int_eq(get_page_from_l1e(RW(theirs), d0, d1), 0);
    ck_assert_uint_eq(pg_count(theirs), 2);
    ck_assert_uint_eq(pg_tcount(theirs), 1);
    put_page_from_l1e(RW(theirs), d0);
    ck_assert_uint_eq(pg_count(theirs), 1);
    ck_assert_uint_eq(pg_tcount(theirs), 0);
    /* A privileged owner lets another domain's table map its target's
     * frames (Xen checks the privilege of the named owner, not of the
     * table's owner); an unprivileged one does not. */
    struct domain *d2 = fake_domain(2, false, false);
    mfn_t third = fake_alloc(d2);
    ck_assert_int_eq(get_page_from_l1e(RO(third), d1, d0), 0);
    put_page_from_l1e(RO(third), d1);
    ck_assert_int_eq(get_page_from_l1e(RO(third), d0, d1), -XEN_EBUSY);
    ck_assert_uint_eq(pg_count(third), 1);
    free(d2);
    /* A freed frame is nobody's. */
    mfn_t gone = fake_alloc(d1);
    put_page(pg_of(gone));
    ck_assert_int_eq(get_page_from_l1e(RO(gone), d0, d1), -XEN_EBUSY);
}
END_TEST

START_TEST(put_l1e_matches_get)
{
    mfn_t f = fake_alloc(d0);

    put_page_from_l1e(0, d0);                   /* not present: nothing */
    put_page_from_l1e(RO(FAKE_RAM_FRAMES + 1), d0);   /* MMIO: nothing */
    ck_assert_int_eq(get_page_from_l1e(RO(f), d0, d0), 0);
    ck_assert_int_eq(get_page_from_l1e(RW(f), d0, d0), 0);
    ck_assert_uint_eq(pg_count(f), 3);
    ck_assert_uint_eq(pg_tcount(f), 1);
    put_page_from_l1e(RW(f), d0);
    ck_assert_uint_eq(pg_tcount(f), 0);
    put_page_from_l1e(RO(f), d0);
    ck_assert_uint_eq(pg_count(f), 1);
    /* The last mapping of a frame whose allocation is gone frees it. */
    ck_assert_int_eq(get_page_from_l1e(RW(f), d0, d0), 0);
    put_page(pg_of(f));                         /* allocation reference */
    ck_assert_uint_eq(fake_calls.free_domain_frame, 0);
    put_page_from_l1e(RW(f), d0);
    ck_assert_uint_eq(fake_calls.free_domain_frame, 1);
}
END_TEST

START_TEST(entry_adjustment)
{
    ck_assert_uint_eq(adjust_guest_l1e(0x1000 | _PAGE_PRESENT),
                      0x1000 | _PAGE_PRESENT | _PAGE_USER | _PAGE_GUEST_KERNEL);
    ck_assert_uint_eq(adjust_guest_l1e(0x1000 | _PAGE_PRESENT | _PAGE_USER) &
                      (_PAGE_USER | _PAGE_GUEST_KERNEL), _PAGE_USER);
    ck_assert_uint_eq(adjust_guest_l1e(0x1000), 0x1000);
    ck_assert_uint_eq(adjust_guest_lNe(0x1000 | _PAGE_PRESENT, 2) & _PAGE_USER, _PAGE_USER);
    ck_assert_uint_eq(adjust_guest_lNe(0x1000, 3), 0x1000);
    ck_assert(is_guest_l4_slot(0));
    ck_assert(is_guest_l4_slot(255));
    ck_assert(!is_guest_l4_slot(256));
    ck_assert(!is_guest_l4_slot(271));
    ck_assert(is_guest_l4_slot(272));
    ck_assert(is_guest_l4_slot(511));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pagetype");
    TCase *refs = tcase_create("references");
    TCase *types = tcase_create("types");
    TCase *l1 = tcase_create("l1");

    tcase_add_checked_fixture(refs, setup, teardown);
    tcase_add_test(refs, get_page_checks_owner);
    tcase_add_test(refs, get_page_refuses_free_and_io_frames);
    tcase_add_test(refs, get_page_count_overflow);
    tcase_add_test(refs, last_put_frees);
    suite_add_tcase(s, refs);

    tcase_add_checked_fixture(types, setup, teardown);
    tcase_add_test(types, none_writable_none);
    tcase_add_test(types, type_changes_flush_stale_tlbs);
    tcase_add_test(types, type_conflicts);
    tcase_add_test(types, type_count_overflow);
    tcase_add_test_raise_signal(types, put_type_underflow_is_a_bug, SIGABRT);
    tcase_add_test(types, get_page_and_type_undoes_on_failure);
    suite_add_tcase(s, types);

    tcase_add_checked_fixture(l1, setup, teardown);
    tcase_add_test(l1, l1_validation_takes_references);
    tcase_add_test(l1, l1_failure_unwinds);
    tcase_add_test(l1, l1_no_writable_mapping_of_tables);
    tcase_add_test(l1, l1_cache_attributes);
    tcase_add_test(l1, l1_io_memory);
    tcase_add_test(l1, l1_io_memory_flips);
    tcase_add_test(l1, l1_domid_io);
    tcase_add_test(l1, xen_heap_pages);
    tcase_add_test(l1, l1_software_bit_62);
    tcase_add_test(l1, l1_foreign_frames);
    tcase_add_test(l1, put_l1e_matches_get);
    tcase_add_test(l1, entry_adjustment);
    suite_add_tcase(s, l1);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
