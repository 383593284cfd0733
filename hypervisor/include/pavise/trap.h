/* Trap and interrupt dispatch hooks shared between arch and generic code. */
#ifndef PAVISE_TRAP_H
#define PAVISE_TRAP_H

struct cpu_regs;

/* Print a backtrace of the caller. */
void backtrace_here(void);
const char *trap_name(unsigned int vec);
/* An interrupt vector (>= 32) arrived. */
void do_irq(struct cpu_regs *regs);
/* An exception arrived from guest context. */
void do_guest_trap(struct cpu_regs *regs);
/* int $0x80 from guest context (the legacy system-call vector). */
void do_guest_int80(struct cpu_regs *regs);

#endif
