/* IO-APICs (owned by the hypervisor) and physical IRQ routing. */
#ifndef ASM_IOAPIC_H
#define ASM_IOAPIC_H

#include <pavise/types.h>

#define MAX_GSI 120

void ioapic_init(void);
unsigned int nr_gsis(void);
/* Program the pin of 'gsi' with vector/trigger/polarity (masked or not). */
void ioapic_route(unsigned int gsi, unsigned int vector, bool level, bool active_low, bool masked);
void ioapic_mask(unsigned int gsi, bool masked);
/* Read a register of the IO-APIC at 'physbase' (dom0's apic_read). */
bool ioapic_read_reg(paddr_t physbase, unsigned int reg, uint32_t *val);
/* The bus default trigger/polarity of a GSI (ISA edge/high, overrides). */
void gsi_default_mode(unsigned int gsi, bool *level, bool *active_low);

#endif
