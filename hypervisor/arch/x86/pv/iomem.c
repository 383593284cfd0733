/*
 * Which I/O memory (frames that are not RAM) a PV domain may map, as
 * Xen 4.17 sets up the hardware domain's iomem permissions
 * (dom0_setup_permissions) and its read-only MMIO (mmio_ro_ranges):
 *
 *   - everything below 2^paddr_bits, but
 *   - not the local APIC and the MSI address range (0xfee00-0xfeeff),
 *   - not the HyperTransport range below the top of the physical address
 *     space on AMD (3 GiB below 2^40, or 2^paddr_bits from family 17h),
 *   - not E820_UNUSABLE regions above 1 MiB;
 *   - the IO-APICs stay mappable, but read-only: the hypervisor owns
 *     them, and a read-only mapping cannot disturb it.
 *
 * Only a domain with I/O rights (d->arch.iomem_all: dom0) gets any of it.
 */
#include <pavise/lib.h>
#include <pavise/boot.h>
#include <pavise/domain.h>
#include <pavise/memmap.h>
#include <asm/acpi.h>
#include <asm/x86.h>
#include "pagetable.h"

#define MSI_RANGE_FIRST 0xfee00UL
#define MSI_RANGE_LAST  0xfeeffUL

static mfn_t iomem_limit;               /* first frame beyond the physical address space */
static mfn_t ht_first, ht_end;          /* AMD HyperTransport hole [first, end) */

void pv_iomem_init(void)
{
    uint32_t a, b, c, d, max_ext;
    unsigned int paddr_bits = 36;

    cpuid(0x80000000, &max_ext, &b, &c, &d);
    if (max_ext >= 0x80000008) {
        cpuid(0x80000008, &a, &b, &c, &d);
        paddr_bits = a & 0xff;
        if (max_ext >= 0x8000001f) {
            uint32_t sme_b;
            cpuid(0x8000001f, &a, &sme_b, &c, &d);
            paddr_bits -= (sme_b >> 6) & 0x3f;  /* SME's address-space reduction */
        }
    }
    if (paddr_bits > PADDR_BITS)
        paddr_bits = PADDR_BITS;
    iomem_limit = 1UL << (paddr_bits - PAGE_SHIFT);

    uint32_t vb, vc, vd;
    cpuid(0, &a, &vb, &vc, &vd);
    bool amd = (vb == 0x68747541 && vd == 0x69746e65 && vc == 0x444d4163) ||   /* AuthenticAMD */
               (vb == 0x6f677948 && vd == 0x6e65476e && vc == 0x656e6975);     /* HygonGenuine */
    if (amd) {
        cpuid(1, &a, &b, &c, &d);
        unsigned int family = (a >> 8) & 0xf;
        if (family == 0xf)
            family += (a >> 20) & 0xff;
        ht_end = 1UL << ((family < 0x17 ? 40 : paddr_bits) - PAGE_SHIFT);
        ht_first = ht_end - ((3UL << 32) >> PAGE_SHIFT);
    }
}

bool pv_mmio_ro(mfn_t mfn)
{
    for (unsigned int i = 0; i < acpi_nr_ioapics; i++)
        if ((acpi_ioapics[i].addr >> PAGE_SHIFT) == mfn)
            return true;
    return false;
}

static bool unusable(mfn_t mfn)
{
    for (int i = 0; i < boot_info.nr_memmap; i++) {
        const struct mem_region *r = &boot_info.memmap[i];
        mfn_t first = MAX(r->addr >> PAGE_SHIFT, 0x100UL);

        if (r->type == E820_UNUSABLE && r->size && mfn >= first &&
            mfn <= (r->addr + r->size - 1) >> PAGE_SHIFT)
            return true;
    }
    return false;
}

bool pv_iomem_permitted(const struct domain *d, mfn_t mfn)
{
    if (!d->arch.iomem_all || mfn >= iomem_limit)
        return false;
    if (mfn >= MSI_RANGE_FIRST && mfn <= MSI_RANGE_LAST)
        return false;
    if (mfn >= ht_first && mfn < ht_end)
        return false;
    return !unusable(mfn);
}
