/* Interrupt-flag primitives for generic code (spinlocks). */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

static inline unsigned long irq_save(void)
{
    unsigned long f;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(f) :: "memory");
    return f;
}

static inline void irq_restore(unsigned long f)
{
    if (f & 0x200)
        __asm__ volatile("sti" ::: "memory");
}

static inline bool irqs_enabled(void)
{
    unsigned long f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f & 0x200;
}

static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
/* Enable interrupts and halt atomically (sti's one-instruction shadow). */
static inline void arch_safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void cpu_halt_forever(void) { for (;;) __asm__ volatile("cli; hlt" ::: "memory"); }

static inline void arch_cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

#endif
