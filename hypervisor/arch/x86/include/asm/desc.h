/* GDT, IDT and TSS of each physical CPU. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <pavise/types.h>
#include <asm/config.h>

struct tss64 {
    uint32_t rsv0;
    uint64_t rsp0, rsp1, rsp2;
    uint64_t rsv1;
    uint64_t ist[7];
    uint64_t rsv2;
    uint16_t rsv3;
    uint16_t iomap_base;
} __packed;

struct idt_gate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t rsv;
} __packed;

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __packed;

/* The hypervisor's reserved GDT page (selectors 0xe000..0xefff). */
typedef uint64_t gdt_page_t[512];

struct cpu_desc {
    gdt_page_t gdt __aligned(4096);
    struct tss64 tss __aligned(128);
};

extern struct idt_gate idt_table[256];

void desc_init_cpu(unsigned int cpu, void *stack_block);
void load_hv_gdt(unsigned int cpu);
struct cpu_desc *cpu_desc(unsigned int cpu);

#endif
