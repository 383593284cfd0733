/*
 * grant-map: map_grant_ref, unmap_grant_ref and unmap_and_replace on our
 * own grants. Host mappings (writable, read-only, application, with the
 * PTE given by machine address, guest-available bits), device mappings,
 * the GTF_reading/GTF_writing bits and revocation, PTE contents, faults
 * through read-only mappings, per-op status in batches, and the refusals
 * (Xen 4.17's status for each): grants not offered to us, out of range,
 * revoked, the wrong type, read-only, frames that are not the granter's,
 * page tables mapped writable, bad addresses, bad handles, unmapping
 * twice, pin counters at their limit.
 */
#include "gnttest.h"

const char test_title[] = "grant-map: map, unmap, unmap_and_replace and their refusals";

#define NO_DOMAIN   0x7fefu
#define OTHER_DOM   5u
#define PTE_GNT_MASK (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_GLOBAL | _PAGE_GUEST_KERNEL)

/* Grant refs used below (all in frame 0). */
enum {
    R_RW = 10, R_RO, R_OTHER, R_XFER, R_INVALID, R_SUBPAGE, R_BADFRAME, R_PT, R_REVOKE,
    R_PIN, R_BATCH, R_REPL, R_PTE, R_APP,
};

static uint8_t peek(unsigned long va)
{
    return *(volatile uint8_t *)va;
}

static void host_rw(void)
{
    unsigned long va = scratch_va(0);
    grant_handle_t h = 0;
    uint64_t dba = 0, pte;
    uint8_t v;

    data_fill(0, 0x11);
    gt_grant(R_RW, SELF_ID, data_mfn(0), GTF_permit_access);
    check_eq("scratch page cleared", scratch_clear(0), 0);
    check_st("host map of our own writable grant: okay",
             gt_map(va, GNTMAP_host_map, R_RW, SELF_ID, &h, &dba), GNTST_okay);
    check_equ("dev_bus_addr is the granted frame's address", dba, data_mfn(0) << PAGE_SHIFT);
    check_eq("the entry is marked reading and writing", gt_flags(R_RW),
             GTF_permit_access | GTF_reading | GTF_writing);
    pte = pte_read(va);
    info("writable grant PTE %#lx", (unsigned long)pte);
    check_equ("the PTE maps the granted frame", PTE_MFN(pte), data_mfn(0));
    check_equ("the PTE is a present writable kernel mapping (bit 52)", pte & PTE_GNT_MASK,
              _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_GUEST_KERNEL);
    check(pte & _PAGE_NX, "the PTE is not executable", "pte %#lx", (unsigned long)pte);
    check_eq("the mapping shows the granted page", peek(va + 5), data_page(0)[5]);
    *(volatile uint8_t *)(va + 100) = 0xa5;
    check_eq("a write through the mapping reaches the page", data_page(0)[100], 0xa5);
    check(!gt_revoke(R_RW), "an entry in use cannot be revoked", "revoked");

    check_st("unmap: okay", gt_unmap(va, 0, h), GNTST_okay);
    check_eq("unmap clears reading and writing", gt_flags(R_RW), GTF_permit_access);
    check_equ("unmap leaves the PTE empty", pte_read(va), 0);
    check(probe_read((void *)va, &v, NULL), "the unmapped address faults", "read %#x", v);
    check_st("unmapping the same handle again: bad_handle", gt_unmap(va, 0, h), GNTST_bad_handle);
    check(gt_revoke(R_RW), "an unused entry can be revoked", "not revoked");
    check_st("mapping a revoked entry: general_error",
             gt_map(va, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL), GNTST_general_error);
    check_eq("scratch page restored", scratch_restore(0), 0);
}

static void host_ro(void)
{
    unsigned long va = scratch_va(1);
    grant_handle_t h = 0;
    uint64_t ec = 0, pte;
    uint8_t before;

    data_fill(1, 0x22);
    gt_grant(R_RW, SELF_ID, data_mfn(1), GTF_permit_access);
    scratch_clear(1);
    check_st("read-only host map: okay",
             gt_map(va, GNTMAP_host_map | GNTMAP_readonly, R_RW, SELF_ID, &h, NULL), GNTST_okay);
    check_eq("a read-only map sets only reading", gt_flags(R_RW), GTF_permit_access | GTF_reading);
    pte = pte_read(va);
    check_equ("the read-only PTE is present, not writable", pte & (_PAGE_PRESENT | _PAGE_RW),
              _PAGE_PRESENT);
    check_eq("the read-only mapping reads the page", peek(va + 7), data_page(1)[7]);
    before = data_page(1)[9];
    check(probe_write((void *)(va + 9), (uint8_t)~before, &ec),
          "a write through the read-only mapping faults", "no fault");
    check((ec & 3) == 3, "the fault is a write to a present page", "error code %#lx",
          (unsigned long)ec);
    check_eq("the page is unchanged", data_page(1)[9], before);
    check_st("unmap of the read-only map: okay", gt_unmap(va, 0, h), GNTST_okay);
    check_eq("reading cleared", gt_flags(R_RW), GTF_permit_access);

    /* A grant that is itself read-only. */
    gt_grant(R_RO, SELF_ID, data_mfn(1), GTF_permit_access | GTF_readonly);
    check_st("writable map of a read-only grant: general_error",
             gt_map(va, GNTMAP_host_map, R_RO, SELF_ID, &h, NULL), GNTST_general_error);
    check_eq("the refused map leaves the entry alone", gt_flags(R_RO),
             GTF_permit_access | GTF_readonly);
    check_st("writable device map of a read-only grant: general_error",
             gt_map(0, GNTMAP_device_map, R_RO, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("read-only map of a read-only grant: okay",
             gt_map(va, GNTMAP_host_map | GNTMAP_readonly, R_RO, SELF_ID, &h, NULL), GNTST_okay);
    check_eq("read-only grant in use: reading", gt_flags(R_RO),
             GTF_permit_access | GTF_readonly | GTF_reading);
    check_st("unmap: okay", gt_unmap(va, 0, h), GNTST_okay);
    scratch_restore(1);
}

static void device_maps(void)
{
    grant_handle_t h = 0, h2 = 0;
    uint64_t dba = 0;
    unsigned long va = scratch_va(2);

    gt_grant(R_RW, SELF_ID, data_mfn(2), GTF_permit_access);
    check_st("device map: okay", gt_map(0, GNTMAP_device_map, R_RW, SELF_ID, &h, &dba), GNTST_okay);
    check_equ("device map: dev_bus_addr is the frame's address", dba, data_mfn(2) << PAGE_SHIFT);
    check_eq("device map marks reading and writing", gt_flags(R_RW),
             GTF_permit_access | GTF_reading | GTF_writing);
    check_st("unmap with another bus address: bad_dev_addr",
             gt_unmap(0, dba + PAGE_SIZE, h), GNTST_bad_dev_addr);
    check_st("unmap naming neither address: okay (nothing done)", gt_unmap(0, 0, h), GNTST_okay);
    check_eq("... and the mapping stays", gt_flags(R_RW), GTF_permit_access | GTF_reading | GTF_writing);
    check_st("unmap by bus address: okay", gt_unmap(0, dba, h), GNTST_okay);
    check_eq("device unmap clears the bits", gt_flags(R_RW), GTF_permit_access);
    check_st("the handle is gone: bad_handle", gt_unmap(0, dba, h), GNTST_bad_handle);

    /* Host and device at once, taken down in two steps. */
    scratch_clear(2);
    check_st("host+device map: okay",
             gt_map(va, GNTMAP_host_map | GNTMAP_device_map, R_RW, SELF_ID, &h, &dba), GNTST_okay);
    check_st("a second, read-only device map of the same grant: okay",
             gt_map(0, GNTMAP_device_map | GNTMAP_readonly, R_RW, SELF_ID, &h2, NULL), GNTST_okay);
    check_st("unmap the host part only: okay", gt_unmap(va, 0, h), GNTST_okay);
    check_equ("the host PTE is gone", pte_read(va), 0);
    check_eq("the device part keeps the entry busy", gt_flags(R_RW),
             GTF_permit_access | GTF_reading | GTF_writing);
    check_st("unmap the device part: okay", gt_unmap(0, dba, h), GNTST_okay);
    check_eq("the read-only device map still reads", gt_flags(R_RW), GTF_permit_access | GTF_reading);
    check_st("unmap the read-only device map: okay", gt_unmap(0, dba, h2), GNTST_okay);
    check_eq("all gone: flags back", gt_flags(R_RW), GTF_permit_access);
    scratch_restore(2);
}

static void pte_variants(void)
{
    unsigned long va = scratch_va(3);
    grant_handle_t h = 0;
    uint64_t pte, ma;

    gt_grant(R_APP, SELF_ID, data_mfn(3), GTF_permit_access);
    data_fill(3, 0x33);

    /* application_map: a user mapping (global, no guest-kernel bit). */
    scratch_clear(3);
    check_st("application map: okay",
             gt_map(va, GNTMAP_host_map | GNTMAP_application_map, R_APP, SELF_ID, &h, NULL),
             GNTST_okay);
    pte = pte_read(va);
    info("application grant PTE %#lx", (unsigned long)pte);
    check_equ("the application PTE is user and global", pte & PTE_GNT_MASK,
              _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_GLOBAL);
    check_st("unmap of the application map: okay", gt_unmap(va, 0, h), GNTST_okay);

    /* Bits 16.. of the flags land in the PTE's available bits 9-11. */
    check_st("map with guest-available bits 5: okay",
             gt_map(va, GNTMAP_host_map | (5u << _GNTMAP_guest_avail0), R_APP, SELF_ID, &h, NULL),
             GNTST_okay);
    check_equ("the PTE carries available bits 5", (pte_read(va) & _PAGE_AVAIL) >> 9, 5);
    check_st("unmap: okay", gt_unmap(va, 0, h), GNTST_okay);

    /* GNTMAP_contains_pte: host_addr is the machine address of the PTE. */
    ma = pte_maddr(va);
    check(ma != 0, "the scratch page has an L1 entry", "none");
    check_st("map by PTE machine address: okay",
             gt_map(ma, GNTMAP_host_map | GNTMAP_contains_pte, R_APP, SELF_ID, &h, NULL), GNTST_okay);
    check_equ("that PTE maps the grant", PTE_MFN(pte_read(va)), data_mfn(3));
    check_eq("reading through it", peek(va + 3), data_page(3)[3]);
    check_st("unmap by linear address of a PTE-addressed map: general_error",
             gt_unmap(va, 0, h), GNTST_general_error);
    check_st("unmap by PTE machine address: okay", gt_unmap(ma, 0, h), GNTST_okay);
    check_equ("the PTE is empty", pte_read(va), 0);
    check_st("misaligned PTE address: general_error",
             gt_map(ma + 4, GNTMAP_host_map | GNTMAP_contains_pte, R_APP, SELF_ID, &h, NULL),
             GNTST_general_error);
    check_st("PTE address in a page that is no page table: general_error",
             gt_map(data_mfn(4) << PAGE_SHIFT, GNTMAP_host_map | GNTMAP_contains_pte, R_APP, SELF_ID,
                    &h, NULL), GNTST_general_error);
    check_st("PTE address in our L4 table: general_error",
             gt_map((virt_to_mfn((void *)start_info->pt_base) << PAGE_SHIFT) | 0x800,
                    GNTMAP_host_map | GNTMAP_contains_pte, R_APP, SELF_ID, &h, NULL),
             GNTST_general_error);
    check_st("PTE address in a frame that is not ours: general_error",
             gt_map(0x7ffff000UL << PAGE_SHIFT, GNTMAP_host_map | GNTMAP_contains_pte, R_APP, SELF_ID,
                    &h, NULL), GNTST_general_error);
    check_eq("the refusals leave the entry unused", gt_flags(R_APP), GTF_permit_access);

    /* A map over an existing mapping replaces it (the old frame is
     * simply unmapped, as by any PTE update). */
    scratch_restore(3);
    check_st("map over a present mapping: okay",
             gt_map(va, GNTMAP_host_map, R_APP, SELF_ID, &h, NULL), GNTST_okay);
    check_equ("the grant replaced the old mapping", PTE_MFN(pte_read(va)), data_mfn(3));
    check_st("unmap: okay", gt_unmap(va, 0, h), GNTST_okay);
    check_equ("and then nothing is mapped there", pte_read(va), 0);
    scratch_restore(3);
}

static void bad_addresses(void)
{
    grant_handle_t h;

    gt_grant(R_RW, SELF_ID, data_mfn(2), GTF_permit_access);
    check_st("host map at an address without an L1 table: general_error",
             gt_map(0x1000, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("host map at address 0: general_error",
             gt_map(0, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("host map into the M2P: general_error",
             gt_map(MACH2PHYS_VIRT_START, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL),
             GNTST_general_error);
    check_st("host map into the hypervisor: general_error",
             gt_map(0xffff830000000000UL, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL),
             GNTST_general_error);
    check_st("host map at a non-canonical address: general_error",
             gt_map(0x0000800000000000UL, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL),
             GNTST_general_error);
    check_eq("failed maps leave no bits set", gt_flags(R_RW), GTF_permit_access);
}

static void refusals(void)
{
    unsigned long va = scratch_va(4);
    grant_handle_t h = 0;
    unsigned long l1_mfn = pte_maddr(va) >> PAGE_SHIFT;

    scratch_clear(4);
    gt_grant(R_OTHER, OTHER_DOM, data_mfn(4), GTF_permit_access);
    gt_grant(R_XFER, SELF_ID, data_mfn(4), GTF_accept_transfer);
    gt_grant(R_INVALID, SELF_ID, data_mfn(4), GTF_invalid);
    gt_grant(R_SUBPAGE, SELF_ID, data_mfn(4), GTF_permit_access | GTF_sub_page);
    gt_grant(R_BADFRAME, SELF_ID, 0x7fffffff, GTF_permit_access);
    gt_grant(R_RW, SELF_ID, data_mfn(4), GTF_permit_access);

    check_st("a grant for another domain: general_error",
             gt_map(va, GNTMAP_host_map, R_OTHER, SELF_ID, &h, NULL), GNTST_general_error);
    check_eq("... entry untouched", gt_flags(R_OTHER), GTF_permit_access);
    check_st("an accept_transfer entry: general_error",
             gt_map(va, GNTMAP_host_map, R_XFER, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("an invalid entry: general_error",
             gt_map(va, GNTMAP_host_map, R_INVALID, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("a sub-page entry cannot be mapped: general_error",
             gt_map(va, GNTMAP_host_map, R_SUBPAGE, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("a frame that is not the granter's: bad_page",
             gt_map(va, GNTMAP_host_map, R_BADFRAME, SELF_ID, &h, NULL), GNTST_bad_page);
    check_eq("... and the bits set for it are cleared", gt_flags(R_BADFRAME), GTF_permit_access);
    check_st("ref beyond the table: bad_gntref",
             gt_map(va, GNTMAP_host_map, gt_nr_frames * 512, SELF_ID, &h, NULL), GNTST_bad_gntref);
    check_st("ref 0xffffffff: bad_gntref",
             gt_map(va, GNTMAP_host_map, 0xffffffffu, SELF_ID, &h, NULL), GNTST_bad_gntref);
    check_st("a domain that does not exist: bad_domain",
             gt_map(va, GNTMAP_host_map, R_RW, NO_DOMAIN, &h, NULL), GNTST_bad_domain);
    check_st("DOMID_SELF is no name for a granter: bad_domain",
             gt_map(va, GNTMAP_host_map, R_RW, DOMID_SELF, &h, NULL), GNTST_bad_domain);
    check_st("DOMID_XEN as granter: bad_domain",
             gt_map(va, GNTMAP_host_map, R_RW, DOMID_XEN, &h, NULL), GNTST_bad_domain);
    check_st("neither host nor device map: bad_gntref",
             gt_map(va, GNTMAP_readonly, R_RW, SELF_ID, &h, NULL), GNTST_bad_gntref);
    check_eq("nothing pinned the good entry", gt_flags(R_RW), GTF_permit_access);

    /* One of our own page tables, granted: readable, never writable. */
    gt_grant(R_PT, SELF_ID, l1_mfn, GTF_permit_access);
    check_st("writable map of a granted page table: general_error",
             gt_map(va, GNTMAP_host_map, R_PT, SELF_ID, &h, NULL), GNTST_general_error);
    check_st("writable device map of a granted page table: general_error",
             gt_map(0, GNTMAP_device_map, R_PT, SELF_ID, &h, NULL), GNTST_general_error);
    check_eq("... leaving the entry unused", gt_flags(R_PT), GTF_permit_access);
    check_st("read-only map of a granted page table: okay",
             gt_map(scratch_va(5), GNTMAP_host_map | GNTMAP_readonly, R_PT, SELF_ID, &h, NULL),
             GNTST_okay);
    {
        /* An entry of that table that maps something: scratch page 6's if
         * it shares the table, else va's (empty). */
        unsigned long probe = pte_maddr(scratch_va(6)) >> PAGE_SHIFT == l1_mfn ? scratch_va(6) : va;

        check_equ("it reads the page table",
                  *(volatile uint64_t *)(scratch_va(5) + ((probe >> 12) & 511) * 8), pte_read(probe));
    }
    check_st("unmap it: okay", gt_unmap(scratch_va(5), 0, h), GNTST_okay);
    scratch_restore(5);

    /* Handles. */
    check_st("unmap of handle 0xffffffff: bad_handle", gt_unmap(va, 0, 0xffffffffu), GNTST_bad_handle);
    check_st("unmap of a free handle: bad_handle", gt_unmap(va, 0, 200), GNTST_bad_handle);
    check_st("map for the next test: okay", gt_map(va, GNTMAP_host_map, R_RW, SELF_ID, &h, NULL),
             GNTST_okay);
    check_st("unmap at an address the grant is not mapped at: general_error",
             gt_unmap(scratch_va(6), 0, h), GNTST_general_error);
    check_eq("the mapping survives a failed unmap", peek(va), data_page(4)[0]);
    check_st("unmap at the right address: okay", gt_unmap(va, 0, h), GNTST_okay);
    scratch_restore(4);

    /* Revocation: once unused, a revoked entry is refused. */
    gt_grant(R_REVOKE, SELF_ID, data_mfn(4), GTF_permit_access);
    check(gt_revoke(R_REVOKE), "revoking an unused entry works", "failed");
    check_st("map after revocation: general_error",
             gt_map(0, GNTMAP_device_map, R_REVOKE, SELF_ID, &h, NULL), GNTST_general_error);
}

/* The pin counters are 8 bits wide: 128 pins of one kind, then refusal;
 * other kinds are counted apart. */
static void pin_limits(void)
{
    static struct gnttab_map_grant_ref ops[130];
    static struct gnttab_unmap_grant_ref uops[130];
    uint64_t dba = data_mfn(5) << PAGE_SHIFT;
    unsigned int ok = 0;
    long rc;

    gt_grant(R_PIN, SELF_ID, data_mfn(5), GTF_permit_access);
    for (unsigned int i = 0; i < 130; i++)
        ops[i] = (struct gnttab_map_grant_ref){
            .flags = GNTMAP_device_map | GNTMAP_readonly, .ref = R_PIN, .dom = SELF_ID, .status = 77,
        };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops, 130);
    check_eq("130 read-only device maps in one batch return 0", rc, 0);
    while (ok < 130 && ops[ok].status == GNTST_okay)
        ok++;
    check_eq("the first 128 succeed", ok, 128);
    check_st("the 129th: general_error", ops[128].status, GNTST_general_error);
    check_st("the 130th: general_error", ops[129].status, GNTST_general_error);
    {
        grant_handle_t h;

        check_st("a writable device map is counted apart: okay",
                 gt_map(0, GNTMAP_device_map, R_PIN, SELF_ID, &h, NULL), GNTST_okay);
        check_st("... and unmaps", gt_unmap(0, dba, h), GNTST_okay);
    }
    for (unsigned int i = 0; i < 128; i++)
        uops[i] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = dba, .handle = ops[i].handle,
                                                   .status = 77 };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, 128);
    check_eq("unmapping the 128 in one batch returns 0", rc, 0);
    ok = 0;
    for (unsigned int i = 0; i < 128; i++)
        ok += uops[i].status == GNTST_okay;
    check_eq("all 128 unmapped", ok, 128);
    check_eq("the entry is idle again", gt_flags(R_PIN), GTF_permit_access);
}

/* A batch reports each op's status on its own. */
static void batches(void)
{
    struct gnttab_map_grant_ref ops[4];
    struct gnttab_unmap_grant_ref uops[4];
    long rc;

    gt_grant(R_BATCH, SELF_ID, data_mfn(6), GTF_permit_access);
    scratch_clear(7);
    ops[0] = (struct gnttab_map_grant_ref){ .host_addr = scratch_va(7), .flags = GNTMAP_host_map,
                                            .ref = R_BATCH, .dom = SELF_ID };
    ops[1] = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map, .ref = 100000, .dom = SELF_ID };
    ops[2] = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map | GNTMAP_readonly,
                                            .ref = R_BATCH, .dom = SELF_ID };
    ops[3] = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map, .ref = R_BATCH,
                                            .dom = NO_DOMAIN };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops, 4);
    check_eq("a mixed map batch returns 0", rc, 0);
    check_st("batch op 0: okay", ops[0].status, GNTST_okay);
    check_st("batch op 1: bad_gntref", ops[1].status, GNTST_bad_gntref);
    check_st("batch op 2: okay", ops[2].status, GNTST_okay);
    check_st("batch op 3: bad_domain", ops[3].status, GNTST_bad_domain);
    check(ops[0].handle != ops[2].handle, "the two maps have different handles", "both %u",
          ops[0].handle);

    uops[0] = (struct gnttab_unmap_grant_ref){ .host_addr = scratch_va(7), .handle = ops[0].handle };
    uops[1] = (struct gnttab_unmap_grant_ref){ .host_addr = scratch_va(7), .handle = ops[0].handle };
    uops[2] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = data_mfn(6) << PAGE_SHIFT,
                                               .handle = ops[2].handle };
    uops[3] = (struct gnttab_unmap_grant_ref){ .handle = 0xfffffff0u };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, 4);
    check_eq("a mixed unmap batch returns 0", rc, 0);
    check_st("unmap op 0: okay", uops[0].status, GNTST_okay);
    check_st("unmap op 1 (same handle again): bad_handle", uops[1].status, GNTST_bad_handle);
    check_st("unmap op 2: okay", uops[2].status, GNTST_okay);
    check_st("unmap op 3: bad_handle", uops[3].status, GNTST_bad_handle);
    check_eq("the batch left the entry idle", gt_flags(R_BATCH), GTF_permit_access);
    scratch_restore(7);

    /* A batch whose second item cannot be read stops there: -EFAULT. */
    {
        uint8_t *guard = (uint8_t *)scratch_va(9);
        struct gnttab_map_grant_ref *edge = (void *)(guard - sizeof(*edge));

        scratch_clear(9);
        *edge = (struct gnttab_map_grant_ref){ .flags = GNTMAP_device_map | GNTMAP_readonly,
                                               .ref = R_BATCH, .dom = SELF_ID, .status = 77 };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, edge, 2);
        check_eq("a batch running into an unmapped page is -EFAULT", rc, -XEN_EFAULT);
        check_st("its first item was done", edge->status, GNTST_okay);
        check_st("... and unmaps", gt_unmap(0, data_mfn(6) << PAGE_SHIFT, edge->handle), GNTST_okay);
        scratch_restore(9);
    }
}

static void unmap_and_replace(void)
{
    unsigned long va = scratch_va(10), other = scratch_va(11);
    struct gnttab_unmap_and_replace r;
    grant_handle_t h = 0;
    uint8_t v;
    long rc;

    data_fill(6, 0x66);
    data_fill(7, 0x77);
    gt_grant(R_REPL, SELF_ID, data_mfn(6), GTF_permit_access);
    scratch_clear(10);
    /* other maps data page 7 with an ordinary mapping. */
    rc = HYPERVISOR_update_va_mapping(other, (data_mfn(7) << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
                                      _PAGE_ACCESSED | _PAGE_DIRTY, UVMF_INVLPG);
    check_eq("an ordinary mapping to move", rc, 0);
    check_st("map the grant: okay", gt_map(va, GNTMAP_host_map, R_REPL, SELF_ID, &h, NULL), GNTST_okay);
    r = (struct gnttab_unmap_and_replace){ .host_addr = va, .new_addr = other, .handle = h, .status = 77 };
    rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1);
    check_eq("unmap_and_replace returns 0", rc, 0);
    check_st("unmap_and_replace: okay", r.status, GNTST_okay);
    check_equ("the grant's address now maps the moved frame", PTE_MFN(pte_read(va)), data_mfn(7));
    check_eq("... and reads it", peek(va + 1), data_page(7)[1]);
    check(probe_read((void *)other, &v, NULL), "the moved mapping's old address faults", "read");
    check_eq("the entry is idle", gt_flags(R_REPL), GTF_permit_access);
    check_st("the handle is gone", gt_unmap(va, 0, h), GNTST_bad_handle);

    /* new_addr 0: a plain unmap. */
    scratch_clear(10);
    gt_map(va, GNTMAP_host_map, R_REPL, SELF_ID, &h, NULL);
    r = (struct gnttab_unmap_and_replace){ .host_addr = va, .new_addr = 0, .handle = h, .status = 77 };
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1);
    check_st("unmap_and_replace with no new address: okay", r.status, GNTST_okay);
    check_equ("... leaves nothing mapped", pte_read(va), 0);

    /* No replacing for PTE-addressed maps. */
    gt_map(pte_maddr(va), GNTMAP_host_map | GNTMAP_contains_pte, R_REPL, SELF_ID, &h, NULL);
    scratch_restore(11);
    r = (struct gnttab_unmap_and_replace){ .host_addr = pte_maddr(va), .new_addr = other,
                                           .handle = h, .status = 77 };
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1);
    check_st("unmap_and_replace of a PTE-addressed map: general_error", r.status, GNTST_general_error);
    check_equ("... leaving the other mapping alone", PTE_MFN(pte_read(other)), virt_to_mfn((void *)other));
    r.new_addr = 0;
    HYPERVISOR_grant_table_op(GNTTABOP_unmap_and_replace, &r, 1);
    check_st("unmap_and_replace of it without a new address: okay", r.status, GNTST_okay);
    check_eq("all idle", gt_flags(R_REPL), GTF_permit_access);
    scratch_restore(10);
    scratch_restore(11);
}

static long cache_flush(uint64_t maddr, uint16_t off, uint16_t len, uint32_t op, unsigned int count)
{
    struct gnttab_cache_flush c = { .a.dev_bus_addr = maddr, .offset = off, .length = len, .op = op };

    return HYPERVISOR_grant_table_op(GNTTABOP_cache_flush, &c, count);
}

/* GNTTABOP_cache_flush on frames of our own (x86: cleaning works,
 * invalidating alone is not offered). */
static void cache_flushes(void)
{
    uint64_t own = data_mfn(0) << PAGE_SHIFT;
    struct xen_machphys_mfn_list l = { .max_extents = 1 };
    xen_pfn_t m2p_mfn = 0;

    check_eq("cache_flush clean of our frame returns 0", cache_flush(own, 0, 64, GNTTAB_CACHE_CLEAN, 1), 0);
    check_eq("cache_flush clean+invalidate returns 0",
             cache_flush(own, 100, 200, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL, 1), 0);
    check_eq("cache_flush invalidate alone is -EOPNOTSUPP",
             cache_flush(own, 0, 64, GNTTAB_CACHE_INVAL, 1), -XEN_EOPNOTSUPP);
    check_eq("cache_flush of length 0 returns 0", cache_flush(own, 0, 0, GNTTAB_CACHE_CLEAN, 1), 0);
    check_eq("cache_flush with no op returns 0", cache_flush(own, 0, 64, 0, 1), 0);
    check_eq("cache_flush by grant ref is -EINVAL",
             cache_flush(own, 0, 64, GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF, 1), -XEN_EINVAL);
    check_eq("cache_flush at offset 4096 is -EINVAL", cache_flush(own, 4096, 0, GNTTAB_CACHE_CLEAN, 1),
             -XEN_EINVAL);
    check_eq("cache_flush crossing the page is -EINVAL",
             cache_flush(own, 4000, 200, GNTTAB_CACHE_CLEAN, 1), -XEN_EINVAL);
    check_eq("cache_flush of a frame that does not exist is -EINVAL",
             cache_flush(0x7fffffffUL << PAGE_SHIFT, 0, 64, GNTTAB_CACHE_CLEAN, 1), -XEN_EINVAL);
    set_xen_guest_handle(l.extent_start, &m2p_mfn);
    HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &l);
    check_eq("cache_flush of a hypervisor frame is -EPERM",
             cache_flush(m2p_mfn << PAGE_SHIFT, 0, 64, GNTTAB_CACHE_CLEAN, 1), -XEN_EPERM);
    check_eq("cache_flush with count 0 returns 0", cache_flush(own, 0, 64, GNTTAB_CACHE_CLEAN, 0), 0);
    {
        struct gnttab_cache_flush c = { .a.dev_bus_addr = own, .length = 0, .op = GNTTAB_CACHE_CLEAN };

        check_eq("cache_flush resumed with nothing to scan is -EILSEQ",
                 HYPERVISOR_grant_table_op(GNTTABOP_cache_flush | (1u << 12), &c, 1), -XEN_EILSEQ);
    }
}

void test_main(void)
{
    long rc = gt_setup(1);

    if (rc)
        test_error("setup_table: %ld", rc);
    host_rw();
    host_ro();
    device_maps();
    pte_variants();
    bad_addresses();
    refusals();
    pin_limits();
    batches();
    unmap_and_replace();
    cache_flushes();
}
