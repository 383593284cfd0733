/* What the hypervisor learns from ACPI (the MADT). */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <pavise/types.h>
#include <asm/config.h>

#define MAX_IOAPICS 8

struct acpi_cpu {
    uint32_t apic_id;
    uint32_t acpi_id;
};

struct acpi_ioapic {
    uint32_t id, addr, gsi_base;
};

/* Interrupt source override: ISA IRQ 'source' is GSI 'gsi'; flags as in
 * the MADT (bits 0-1 polarity: 1 high, 3 low; bits 2-3 trigger: 1 edge,
 * 3 level; 0 = bus default). */
struct acpi_iso {
    uint8_t source;
    uint16_t flags;
    uint32_t gsi;
};
extern struct acpi_iso acpi_isos[16];
extern unsigned int acpi_nr_isos;

extern struct acpi_cpu acpi_cpus[NR_CPUS];
extern unsigned int acpi_nr_cpus;
extern struct acpi_ioapic acpi_ioapics[MAX_IOAPICS];
extern unsigned int acpi_nr_ioapics;
extern paddr_t acpi_rsdp_addr;

void acpi_init(void);

#endif
