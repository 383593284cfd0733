/* Local APIC (xAPIC, memory-mapped) and the vectors Pavise uses. */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <pavise/types.h>

#define APIC_ID        0x020
#define APIC_VERSION   0x030
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_LDR       0x0d0
#define APIC_DFR       0x0e0
#define APIC_SVR       0x0f0
#define APIC_ESR       0x280
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERM 0x330
#define APIC_LVT_PERF  0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERR   0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0

#define APIC_LVT_MASKED       (1u << 16)
#define APIC_TIMER_ONESHOT    (0u << 17)
#define APIC_TIMER_TSCDEADLINE (2u << 17)

/* Vectors: exceptions 0-31; device interrupts for dom0 (later) 0x30-0xdf. */
#define VEC_TIMER          0xf0
#define VEC_EVENT_CHECK    0xf1     /* IPI: softirq pending / kick out of guest */
#define VEC_CALL_FUNCTION  0xf2     /* IPI: run a function (TLB flush etc.) */
#define VEC_STOP           0xf3     /* IPI: stop this CPU (panic) */
#define VEC_APIC_ERROR     0xfe
#define VEC_SPURIOUS       0xff

void apic_init_bsp(void);
void apic_init_ap(void);
uint32_t apic_read(uint32_t reg);
void apic_write(uint32_t reg, uint32_t val);
void apic_eoi(void);
unsigned int apic_id_self(void);
void apic_send_ipi(unsigned int apic_id, unsigned int vector);
void apic_send_init_sipi(unsigned int apic_id, unsigned int start_page);
bool apic_has_tsc_deadline(void);

#endif
