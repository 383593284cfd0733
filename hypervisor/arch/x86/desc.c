/* GDT, IDT and TSS set-up (one GDT page and TSS per CPU, one shared IDT). */
#include <pavise/lib.h>
#include <asm/desc.h>
#include <asm/percpu.h>

struct idt_gate idt_table[256] __aligned(4096);
static struct cpu_desc cpu_descs[NR_CPUS];

extern const char idt_stubs[];

struct cpu_desc *cpu_desc(unsigned int cpu) { return &cpu_descs[cpu]; }

#define GDT_IDX(sel) (((sel) - FIRST_RESERVED_GDT_BYTE) >> 3)

static void set_gate(unsigned int vec, unsigned int ist, unsigned int dpl)
{
    uint64_t off = (uint64_t)(idt_stubs + 16 * vec);
    struct idt_gate *g = &idt_table[vec];
    g->off_lo = (uint16_t)off;
    g->sel = HV_CS;
    g->ist = (uint8_t)ist;
    g->type_attr = (uint8_t)(0x8e | (dpl << 5));  /* present, interrupt gate */
    g->off_mid = (uint16_t)(off >> 16);
    g->off_hi = (uint32_t)(off >> 32);
    g->rsv = 0;
}

static void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++)
        set_gate(v, 0, 0);
    set_gate(2, IST_NMI, 0);
    set_gate(8, IST_DF, 0);
    set_gate(18, IST_MC, 0);
    /* int3 and into are allowed from ring 3 (guest kernels run there). */
    set_gate(3, 0, 3);
    set_gate(4, 0, 3);
    /* The legacy system-call vector goes straight to the guest's handler. */
    set_gate(0x80, 0, 3);
}

void load_hv_gdt(unsigned int cpu)
{
    struct desc_ptr p = {
        .limit = FIRST_RESERVED_GDT_BYTE + sizeof(gdt_page_t) - 1,
        .base = (uint64_t)cpu_descs[cpu].gdt - FIRST_RESERVED_GDT_BYTE,
    };
    __asm__ volatile("lgdt %0" :: "m"(p));
}

void desc_init_cpu(unsigned int cpu, void *stack_block)
{
    struct cpu_desc *d = &cpu_descs[cpu];
    uint64_t *gdt = d->gdt;
    uint64_t tss = (uint64_t)&d->tss;
    struct cpu_info *ci = (struct cpu_info *)((char *)stack_block + STACK_SIZE - sizeof(*ci));

    BUILD_BUG_ON(sizeof(struct tss64) != 104);
    BUILD_BUG_ON(sizeof(struct idt_gate) != 16);
    /* The hardware frame must land 16-byte aligned at the end of guest_regs. */
    BUILD_BUG_ON((sizeof(struct cpu_info) - sizeof(struct cpu_regs)) % 16 != 0);
    BUILD_BUG_ON(sizeof(struct cpu_info) != CPU_INFO_SIZE);

    if (cpu == 0)
        idt_init();

    memset(gdt, 0, sizeof(gdt_page_t));
    gdt[GDT_IDX(HV_CS)] = 0x00af9b000000ffffUL;
    gdt[GDT_IDX(HV_DS)] = 0x00cf93000000ffffUL;
    gdt[GDT_IDX(HV_CS32)] = 0x00cf9b000000ffffUL;
    gdt[GDT_IDX(FLAT_RING3_CS32)] = 0x00cffb000000ffffUL;
    gdt[GDT_IDX(FLAT_RING3_DS32)] = 0x00cff3000000ffffUL;
    gdt[GDT_IDX(FLAT_RING3_CS64)] = 0x00affb000000ffffUL;
    /* 64-bit available TSS, 16 bytes. */
    gdt[GDT_IDX(TSS_SEL)] = (sizeof(struct tss64) - 1) | ((tss & 0xffffff) << 16) |
                            (0x89UL << 40) | (((tss >> 24) & 0xff) << 56);
    gdt[GDT_IDX(TSS_SEL) + 1] = tss >> 32;

    memset(&d->tss, 0, sizeof(d->tss));
    d->tss.rsp0 = (uint64_t)&ci->guest_regs + sizeof(struct cpu_regs);
    d->tss.ist[IST_DF - 1] = (uint64_t)stack_block + 1 * PAGE_SIZE;
    d->tss.ist[IST_NMI - 1] = (uint64_t)stack_block + 2 * PAGE_SIZE;
    d->tss.ist[IST_MC - 1] = (uint64_t)stack_block + 3 * PAGE_SIZE;
    d->tss.iomap_base = 0xffff;       /* no I/O bitmap: ring 3 port I/O traps */

    memset(ci, 0, sizeof(*ci));
    ci->cpu_id = cpu;

    load_hv_gdt(cpu);
    struct desc_ptr idtr = { .limit = sizeof(idt_table) - 1, .base = (uint64_t)idt_table };
    __asm__ volatile("lidt %0" :: "m"(idtr));
    __asm__ volatile(
        "pushq %[cs]\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "movl %[ds], %%eax\n\t"
        "movl %%eax, %%ss\n\t"
        "xorl %%eax, %%eax\n\t"
        "movl %%eax, %%ds\n\t"
        "movl %%eax, %%es\n\t"
        "movl %%eax, %%fs\n\t"
        "movl %%eax, %%gs\n\t"
        :: [cs] "i"(HV_CS), [ds] "i"(HV_DS) : "rax", "memory");
    __asm__ volatile("ltr %w0" :: "r"(TSS_SEL));
}
