/* Helpers for the grant-table test guests (see gnttest.h). */
#include "gnttest.h"

#define PTE_FLAGS_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

static uint8_t gt_area[GT_FRAMES_MAPPED][PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t scratch[NR_SCRATCH][PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned long scratch_mfn[NR_SCRATCH];
static uint8_t data[NR_DATA][PAGE_SIZE] __aligned(PAGE_SIZE);

grant_entry_v1_t *gt_shared = (grant_entry_v1_t *)gt_area;
unsigned long gt_frame_mfn[GT_FRAMES_MAPPED];
unsigned int gt_nr_frames;

long gt_setup(unsigned int nr)
{
    xen_pfn_t frames[GT_FRAMES_MAPPED];
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = nr };
    long rc;

    if (nr > GT_FRAMES_MAPPED)
        return -XEN_EINVAL;
    set_xen_guest_handle(st.frame_list, frames);
    rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);
    if (rc)
        return rc;
    if (st.status != GNTST_okay)
        return st.status;
    for (unsigned int i = 0; i < nr; i++) {
        /* Linux maps these with ordinary PTE updates: so do we. */
        rc = HYPERVISOR_update_va_mapping((unsigned long)gt_area[i],
                                          (frames[i] << PAGE_SHIFT) | PTE_FLAGS_RW, UVMF_INVLPG);
        if (rc)
            return rc;
        gt_frame_mfn[i] = frames[i];
    }
    if (nr > gt_nr_frames)
        gt_nr_frames = nr;
    return 0;
}

void gt_grant(grant_ref_t ref, domid_t domid, unsigned long frame, uint16_t flags)
{
    gt_shared[ref].domid = domid;
    gt_shared[ref].frame = (uint32_t)frame;
    wmb();
    WRITE_ONCE(gt_shared[ref].flags, flags);
}

bool gt_revoke(grant_ref_t ref)
{
    uint16_t old = READ_ONCE(gt_shared[ref].flags);

    for (;;) {
        if (old & (GTF_reading | GTF_writing))
            return false;
        if (__atomic_compare_exchange_n(&gt_shared[ref].flags, &old, 0, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
    }
}

int16_t gt_map(uint64_t host_addr, uint32_t flags, grant_ref_t ref, domid_t dom,
               grant_handle_t *handle, uint64_t *dev_bus_addr)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = host_addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 0x5a5a, .handle = 0xdeadbeef,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if (rc)
        return (int16_t)(rc < -1000 ? -1000 : rc - 1000);    /* not a GNTST_* */
    if (handle)
        *handle = op.handle;
    if (dev_bus_addr)
        *dev_bus_addr = op.dev_bus_addr;
    return op.status;
}

int16_t gt_unmap(uint64_t host_addr, uint64_t dev_bus_addr, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = host_addr, .dev_bus_addr = dev_bus_addr, .handle = handle,
        .status = 0x5a5a,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    if (rc)
        return (int16_t)(rc < -1000 ? -1000 : rc - 1000);
    return op.status;
}

int16_t gt_copy(const struct gnttab_copy *op)
{
    struct gnttab_copy c = *op;
    long rc;

    c.status = 0x5a5a;
    rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1);
    if (rc)
        return (int16_t)(rc < -1000 ? -1000 : rc - 1000);
    return c.status;
}

/* ------------------------------------------------------------ page tables */

static const uint64_t *table_va(uint64_t entry)
{
    unsigned long pfn = mfn_to_pfn(PTE_MFN(entry));

    return (const uint64_t *)(GUEST_VIRT_BASE + (pfn << PAGE_SHIFT));
}

uint64_t pte_maddr(unsigned long va)
{
    const uint64_t *t = (const uint64_t *)start_info->pt_base;
    uint64_t e = t[(va >> 39) & 511];

    for (unsigned int shift = 30; shift >= 21; shift -= 9) {
        if (!(e & _PAGE_PRESENT))
            return 0;
        t = table_va(e);
        e = t[(va >> shift) & 511];
    }
    if (!(e & _PAGE_PRESENT))
        return 0;
    return (PTE_MFN(e) << PAGE_SHIFT) + ((va >> PAGE_SHIFT) & 511) * 8;
}

uint64_t pte_read(unsigned long va)
{
    uint64_t ma = pte_maddr(va);

    if (!ma)
        return 0;
    return READ_ONCE(*(const uint64_t *)(GUEST_VIRT_BASE +
                                         (mfn_to_pfn(ma >> PAGE_SHIFT) << PAGE_SHIFT) +
                                         (ma & (PAGE_SIZE - 1))));
}

/* ------------------------------------------------------------ scratch and data */

unsigned long scratch_va(unsigned int i)
{
    return (unsigned long)scratch[i % NR_SCRATCH];
}

long scratch_clear(unsigned int i)
{
    i %= NR_SCRATCH;
    if (!scratch_mfn[i])
        scratch_mfn[i] = virt_to_mfn(scratch[i]);
    return HYPERVISOR_update_va_mapping(scratch_va(i), 0, UVMF_INVLPG);
}

long scratch_restore(unsigned int i)
{
    i %= NR_SCRATCH;
    if (!scratch_mfn[i])
        scratch_mfn[i] = virt_to_mfn(scratch[i]);
    return HYPERVISOR_update_va_mapping(scratch_va(i), (scratch_mfn[i] << PAGE_SHIFT) | PTE_FLAGS_RW,
                                        UVMF_INVLPG);
}

uint8_t *data_page(unsigned int i)
{
    return data[i % NR_DATA];
}

unsigned long data_mfn(unsigned int i)
{
    return virt_to_mfn(data[i % NR_DATA]);
}

void data_fill(unsigned int i, uint8_t seed)
{
    uint8_t *p = data_page(i);

    for (unsigned int b = 0; b < PAGE_SIZE; b++)
        p[b] = (uint8_t)(seed + b * 7);
}

/* ------------------------------------------------------------ probes */

bool probe_read(const volatile void *p, uint8_t *val, uint64_t *ec)
{
    uint8_t v = 0;

    fault_reset();
    __asm__ __volatile__("1: movb (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
                         : "+q"(v) : "r"(p) : "memory");
    if (val)
        *val = v;
    if (ec)
        *ec = last_fault.error_code;
    return last_fault.hit && last_fault.vector == X86_EXC_PF;
}

bool probe_write(volatile void *p, uint8_t val, uint64_t *ec)
{
    fault_reset();
    __asm__ __volatile__("1: movb %1, (%0)\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(p), "q"(val) : "memory");
    if (ec)
        *ec = last_fault.error_code;
    return last_fault.hit && last_fault.vector == X86_EXC_PF;
}

/* ------------------------------------------------------------ reporting */

const char *gntst_name(int16_t st)
{
    static const char *const names[] = {
        "okay", "general_error", "bad_domain", "bad_gntref", "bad_handle",
        "bad_virt_addr", "bad_dev_addr", "no_device_space", "permission_denied",
        "bad_page", "bad_copy_arg", "address_too_big", "eagain", "no_space",
    };

    if (st <= 0 && -st < (int)ARRAY_SIZE(names))
        return names[-st];
    if (st <= -1000)
        return "hypercall error (-1000 - errno)";
    return "?";
}

bool check_st(const char *name, int16_t got, int16_t want)
{
    return check(got == want, name, "status %d (%s), want %d (%s)", got, gntst_name(got),
                 want, gntst_name(want));
}
