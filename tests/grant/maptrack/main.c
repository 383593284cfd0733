/*
 * grant-maptrack: mapping handles, run with two vCPUs. Each vCPU has its
 * own free list of handles, grown a frame (256 handles) at a time up to
 * Xen 4.17's default of 1024 frames, and every list keeps its last entry;
 * at the limit a vCPU steals from the others. So with two vCPUs that
 * have mapped, 262142 mappings fit; the next is refused with
 * GNTST_no_space, even when the op is bad in other ways. A freed handle
 * goes to the tail of its list. Batches of thousands of ops exercise
 * preemption and continuation.
 */
#include "gnttest.h"

const char test_title[] = "grant-maptrack: handle lists per vCPU, exhaustion, reuse";

#define FIRST_REF   8
#define MAX_MAPS    262144u
#define BATCH       8192u
#define MS          1000000ULL

static grant_handle_t handles[MAX_MAPS];
static struct gnttab_map_grant_ref ops[BATCH];
static struct gnttab_unmap_grant_ref uops[BATCH];

static volatile unsigned long cpu1_state;
static volatile int16_t cpu1_map_st = 77, cpu1_unmap_st = 77;
static volatile grant_handle_t cpu1_handle;

/* Mapping number k: ref FIRST_REF + k / 256, writable for the first 128
 * of each ref and read-only for the next 128 (two pin counters). */
static grant_ref_t ref_of(unsigned int k)
{
    return FIRST_REF + k / 256;
}

static uint32_t flags_of(unsigned int k)
{
    return GNTMAP_device_map | ((k / 128) % 2 ? GNTMAP_readonly : 0);
}

static uint64_t dba_of(unsigned int k)
{
    return (uint64_t)data_mfn(ref_of(k) % NR_DATA) << PAGE_SHIFT;
}

static void cpu1_main(unsigned int cpu)
{
    grant_handle_t h = 0;
    uint64_t dba = 0;

    (void)cpu;
    cpu1_map_st = gt_map(0, GNTMAP_device_map | GNTMAP_readonly, FIRST_REF, SELF_ID, &h, &dba);
    cpu1_handle = h;
    cpu1_unmap_st = gt_unmap(0, dba, h);
    WRITE_ONCE(cpu1_state, 1);
}

/* Map from mapping number *next on until the first refusal; returns its
 * status. */
static int16_t map_until_refused(unsigned int *next)
{
    for (;;) {
        unsigned int base = *next, n = MIN(BATCH, MAX_MAPS - base);
        long rc;

        if (!n)
            return GNTST_okay;
        for (unsigned int i = 0; i < n; i++)
            ops[i] = (struct gnttab_map_grant_ref){
                .flags = flags_of(base + i), .ref = ref_of(base + i), .dom = SELF_ID, .status = 77,
            };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, ops, n);
        if (rc)
            test_error("map batch at %u: %ld", base, rc);
        for (unsigned int i = 0; i < n; i++) {
            if (ops[i].status != GNTST_okay) {
                /* Undo nothing: the rest of the batch failed the same way. */
                for (unsigned int j = i + 1; j < n; j++)
                    if (ops[j].status == GNTST_okay)
                        test_error("map %u succeeded after a refusal", base + j);
                return ops[i].status;
            }
            handles[base + i] = ops[i].handle;
            (*next)++;
        }
    }
}

static unsigned int unmap_range(unsigned int from, unsigned int to)
{
    unsigned int bad = 0;

    for (unsigned int base = from; base < to; base += BATCH) {
        unsigned int n = MIN(BATCH, to - base);
        long rc;

        for (unsigned int i = 0; i < n; i++)
            uops[i] = (struct gnttab_unmap_grant_ref){
                .dev_bus_addr = dba_of(base + i), .handle = handles[base + i], .status = 77,
            };
        rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, uops, n);
        if (rc)
            test_error("unmap batch at %u: %ld", base, rc);
        for (unsigned int i = 0; i < n; i++)
            bad += uops[i].status != GNTST_okay;
    }
    return bad;
}

void test_main(void)
{
    unsigned int mapped = 0, bad;
    uint64_t t0, t1;
    int16_t st;
    long rc;

    rc = gt_setup(3);
    if (rc)
        test_error("setup_table: %ld", rc);
    for (grant_ref_t r = FIRST_REF; r < FIRST_REF + MAX_MAPS / 256 + 1; r++)
        gt_grant(r, SELF_ID, data_mfn(r % NR_DATA), GTF_permit_access);

    /* vCPU 0 alone: its list gets every frame, the first handle is 0,
     * and all but the list's tail entry can be used. */
    st = map_until_refused(&mapped);
    info("one vCPU: %u mappings before refusal (status %d)", mapped, st);
    check_eq("the domain's first mapping gets handle 0", handles[0], 0);
    check_eq("with one vCPU's list, 262143 mappings fit", mapped, 262143);
    check_st("the next is refused: no_space", st, GNTST_no_space);
    check_st("even a bad ref is refused for space first",
             gt_map(0, GNTMAP_device_map, 100000, SELF_ID, NULL, NULL), GNTST_no_space);

    /* Free one handle: it goes to the tail, so the next map gets the
     * entry that was the tail before, not this one. */
    check_st("unmapping one mapping: okay", gt_unmap(0, dba_of(1000), handles[1000]), GNTST_okay);
    {
        grant_handle_t h = 0;

        check_st("a map fits again", gt_map(0, flags_of(1000), ref_of(1000), SELF_ID, &h, NULL),
                 GNTST_okay);
        check(h != handles[1000], "the freed handle is not the next one handed out",
              "got the freed handle %u back", h);
        check_st("... and the table is full again",
                 gt_map(0, GNTMAP_device_map | GNTMAP_readonly, FIRST_REF + 1, SELF_ID, NULL, NULL),
                 GNTST_no_space);
        handles[1000] = h;
    }

    t0 = now_ns();
    bad = unmap_range(0, mapped);
    t1 = now_ns();
    info("unmapped %u in %lu ms", mapped, (unsigned long)((t1 - t0) / 1000000));
    check_eq("all of them unmap", bad, 0);
    check_eq("every entry idle again", gt_flags(FIRST_REF) | gt_flags(FIRST_REF + 500) |
             gt_flags(FIRST_REF + 1023), GTF_permit_access);

    /* vCPU 1 maps once. All 1024 frames exist and are on vCPU 0's list,
     * so vCPU 1 steals twice: a tail for its own list, then the entry it
     * maps with, which its list keeps when unmapped. */
    rc = smp_start_cpu(1, cpu1_main);
    check_eq("vCPU 1 starts", rc, 0);
    {
        uint64_t end = now_ns() + 5000 * MS;

        while (!READ_ONCE(cpu1_state) && now_ns() < end)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    check_eq("vCPU 1 ran", cpu1_state, 1);
    check_st("vCPU 1 maps at the limit by stealing: okay", cpu1_map_st, GNTST_okay);
    check_st("vCPU 1 unmaps: okay", cpu1_unmap_st, GNTST_okay);
    info("vCPU 1 got handle %u", cpu1_handle);

    /* Now both lists keep a tail entry: two fewer than the table. */
    mapped = 0;
    st = map_until_refused(&mapped);
    info("two vCPUs: %u mappings before refusal (status %d)", mapped, st);
    check_eq("with two vCPUs' lists, 262142 mappings fit", mapped, 262142);
    check_st("then: no_space", st, GNTST_no_space);
    bad = unmap_range(0, mapped);
    check_eq("all of them unmap again", bad, 0);
    check_eq("all idle at the end", gt_flags(FIRST_REF) | gt_flags(FIRST_REF + 1023),
             GTF_permit_access);
}
