/*
 * Just enough ACPI for the hypervisor itself: find the MADT and learn the
 * local APIC ids of the CPUs and the IO-APICs. Dom0 parses ACPI itself.
 * Every table is checksummed and bounds-checked before use.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <asm/acpi.h>

struct acpi_cpu acpi_cpus[NR_CPUS];
unsigned int acpi_nr_cpus;
struct acpi_ioapic acpi_ioapics[MAX_IOAPICS];
unsigned int acpi_nr_ioapics;
struct acpi_iso acpi_isos[16];
unsigned int acpi_nr_isos;
paddr_t acpi_rsdp_addr;

struct rsdp {
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t xchecksum;
    uint8_t rsv[3];
} __packed;

struct sdt_header {
    char sig[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __packed;

static bool checksum_ok(const void *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + ((const uint8_t *)p)[i]);
    return sum == 0;
}

static paddr_t scan_rsdp(paddr_t start, size_t len)
{
    const uint8_t *p = map_firmware(start, len);
    if (!p)
        return 0;
    for (size_t off = 0; off + 20 <= len; off += 16)
        if (!memcmp(p + off, "RSD PTR ", 8) && checksum_ok(p + off, 20))
            return start + off;
    return 0;
}

static const struct sdt_header *map_table(paddr_t pa)
{
    const struct sdt_header *h = map_firmware(pa, sizeof(*h));
    if (!h || h->length < sizeof(*h) || h->length > (1u << 20))
        return NULL;
    h = map_firmware(pa, h->length);
    if (!h || !checksum_ok(h, h->length))
        return NULL;
    return h;
}

static const struct sdt_header *find_table(const struct rsdp *r, const char *sig)
{
    bool x = r->revision >= 2 && r->xsdt;
    const struct sdt_header *root = map_table(x ? r->xsdt : r->rsdt);
    if (!root)
        return NULL;
    size_t esz = x ? 8 : 4;
    size_t n = (root->length - sizeof(*root)) / esz;
    const uint8_t *ents = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t pa = 0;
        memcpy(&pa, ents + i * esz, esz);
        const struct sdt_header *h = map_firmware(pa, sizeof(*h));
        if (h && !memcmp(h->sig, sig, 4))
            return map_table(pa);
    }
    return NULL;
}

static void parse_madt(const struct sdt_header *madt)
{
    const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8;   /* lapic addr, flags */
    const uint8_t *end = (const uint8_t *)madt + madt->length;

    while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
        uint8_t type = p[0], len = p[1];
        if (type == 0 && len >= 8) {
            uint32_t flags;
            memcpy(&flags, p + 4, 4);
            if ((flags & 1) && acpi_nr_cpus < NR_CPUS)
                acpi_cpus[acpi_nr_cpus++] = (struct acpi_cpu){ .apic_id = p[3], .acpi_id = p[2] };
        } else if (type == 9 && len >= 16) {
            uint32_t id, flags;
            memcpy(&id, p + 4, 4);
            memcpy(&flags, p + 8, 4);
            if ((flags & 1) && acpi_nr_cpus < NR_CPUS && id < 256)
                acpi_cpus[acpi_nr_cpus++] = (struct acpi_cpu){ .apic_id = id, .acpi_id = id };
        } else if (type == 2 && len >= 10 && acpi_nr_isos < ARRAY_SIZE(acpi_isos)) {
            struct acpi_iso *o = &acpi_isos[acpi_nr_isos++];
            o->source = p[3];
            memcpy(&o->gsi, p + 4, 4);
            memcpy(&o->flags, p + 8, 2);
        } else if (type == 1 && len >= 12 && acpi_nr_ioapics < MAX_IOAPICS) {
            struct acpi_ioapic *io = &acpi_ioapics[acpi_nr_ioapics++];
            io->id = p[2];
            memcpy(&io->addr, p + 4, 4);
            memcpy(&io->gsi_base, p + 8, 4);
        }
        p += len;
    }
}

void acpi_init(void)
{
    paddr_t rsdp_pa = 0;
    const uint16_t *ebda_seg = map_firmware(0x40e, 2);

    if (ebda_seg && *ebda_seg)
        rsdp_pa = scan_rsdp((paddr_t)*ebda_seg << 4, 1024);
    if (!rsdp_pa)
        rsdp_pa = scan_rsdp(0xe0000, 0x20000);
    if (!rsdp_pa) {
        printk(LOG_WARNING "ACPI: no RSDP found; assuming one CPU\n");
        return;
    }
    acpi_rsdp_addr = rsdp_pa;
    const struct rsdp *r = map_firmware(rsdp_pa, sizeof(struct rsdp));
    const struct sdt_header *madt = find_table(r, "APIC");
    if (!madt) {
        printk(LOG_WARNING "ACPI: no MADT; assuming one CPU\n");
        return;
    }
    parse_madt(madt);
    printk("ACPI: RSDP at %#lx, %u CPU(s), %u IO-APIC(s)\n", rsdp_pa, acpi_nr_cpus, acpi_nr_ioapics);
}
