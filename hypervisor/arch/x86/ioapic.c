/*
 * IO-APIC driver: the hypervisor owns the IO-APICs; every pin starts
 * masked and is programmed only when a domain maps its GSI (pirq.c).
 * Destinations are physical APIC id of CPU 0.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/mm.h>
#include <pavise/spinlock.h>
#include <asm/acpi.h>
#include <asm/cpu.h>
#include <asm/ioapic.h>

#define IOREGSEL 0x00
#define IOWIN    0x10
#define RTE_MASKED     (1u << 16)
#define RTE_LEVEL      (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

struct ioapic {
    volatile uint32_t *base;
    paddr_t phys;
    unsigned int gsi_base, nr_pins;
};
static struct ioapic ioapics[MAX_IOAPICS];
static unsigned int nr_ioapics;
static spinlock_t ioapic_lock = SPIN_LOCK_UNLOCKED;

static uint32_t io_read(struct ioapic *a, unsigned int reg)
{
    a->base[IOREGSEL / 4] = reg;
    return a->base[IOWIN / 4];
}

static void io_write(struct ioapic *a, unsigned int reg, uint32_t v)
{
    a->base[IOREGSEL / 4] = reg;
    a->base[IOWIN / 4] = v;
}

static struct ioapic *find(unsigned int gsi, unsigned int *pin)
{
    for (unsigned int i = 0; i < nr_ioapics; i++)
        if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
            *pin = gsi - ioapics[i].gsi_base;
            return &ioapics[i];
        }
    return NULL;
}

unsigned int nr_gsis(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < nr_ioapics; i++)
        n = MAX(n, ioapics[i].gsi_base + ioapics[i].nr_pins);
    return MIN(n, (unsigned int)MAX_GSI);
}

void ioapic_init(void)
{
    for (unsigned int i = 0; i < acpi_nr_ioapics && nr_ioapics < MAX_IOAPICS; i++) {
        struct ioapic *a = &ioapics[nr_ioapics];
        a->phys = acpi_ioapics[i].addr;
        a->base = ioremap(a->phys, 0x20);
        if (!a->base)
            continue;
        a->gsi_base = acpi_ioapics[i].gsi_base;
        a->nr_pins = ((io_read(a, 1) >> 16) & 0xff) + 1;
        for (unsigned int pin = 0; pin < a->nr_pins; pin++) {
            io_write(a, 0x10 + 2 * pin, RTE_MASKED);
            io_write(a, 0x11 + 2 * pin, 0);
        }
        printk("IO-APIC %u at %#lx: GSI %u-%u, all masked\n", acpi_ioapics[i].id, a->phys,
               a->gsi_base, a->gsi_base + a->nr_pins - 1);
        nr_ioapics++;
    }
}

void ioapic_route(unsigned int gsi, unsigned int vector, bool level, bool active_low, bool masked)
{
    unsigned int pin;
    unsigned long f;
    struct ioapic *a = find(gsi, &pin);
    if (!a)
        return;
    uint32_t lo = vector | (level ? RTE_LEVEL : 0) | (active_low ? RTE_ACTIVE_LOW : 0) |
                  (masked ? RTE_MASKED : 0);
    spin_lock_irqsave(&ioapic_lock, f);
    io_write(a, 0x10 + 2 * pin, RTE_MASKED);
    io_write(a, 0x11 + 2 * pin, cpu_apic_id[0] << 24);
    io_write(a, 0x10 + 2 * pin, lo);
    spin_unlock_irqrestore(&ioapic_lock, f);
}

void ioapic_mask(unsigned int gsi, bool masked)
{
    unsigned int pin;
    unsigned long f;
    struct ioapic *a = find(gsi, &pin);
    if (!a)
        return;
    spin_lock_irqsave(&ioapic_lock, f);
    uint32_t lo = io_read(a, 0x10 + 2 * pin);
    io_write(a, 0x10 + 2 * pin, masked ? lo | RTE_MASKED : lo & ~RTE_MASKED);
    spin_unlock_irqrestore(&ioapic_lock, f);
}

bool ioapic_read_reg(paddr_t physbase, unsigned int reg, uint32_t *val)
{
    unsigned long f;
    for (unsigned int i = 0; i < nr_ioapics; i++) {
        if (ioapics[i].phys != physbase)
            continue;
        spin_lock_irqsave(&ioapic_lock, f);
        *val = io_read(&ioapics[i], reg);
        spin_unlock_irqrestore(&ioapic_lock, f);
        return true;
    }
    return false;
}

void gsi_default_mode(unsigned int gsi, bool *level, bool *active_low)
{
    /* ISA IRQs are edge/active-high, PCI ones level/active-low ... */
    *level = gsi >= 16;
    *active_low = gsi >= 16;
    /* ... unless the MADT overrides them. */
    for (unsigned int i = 0; i < acpi_nr_isos; i++) {
        if (acpi_isos[i].gsi != gsi)
            continue;
        unsigned int pol = acpi_isos[i].flags & 3, trig = (acpi_isos[i].flags >> 2) & 3;
        if (pol)
            *active_low = pol == 3;
        if (trig)
            *level = trig == 3;
        else
            *level = false;
    }
}
