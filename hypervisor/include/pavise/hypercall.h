/* Hypercall dispatch helpers. */
#ifndef PAVISE_HYPERCALL_H
#define PAVISE_HYPERCALL_H

#include <pavise/types.h>

/* Internal: the hypercall must be restarted (continuation). */
#define XEN_ERESTART 85

struct trap_info;
struct mmu_update;
struct mmuext_op;
struct multicall_entry;

/* Handler prototypes, from the one table. */
#define HC0(nr, n)                       long do_##n(void);
#define HC1(nr, n, a)                    long do_##n(a);
#define HC2(nr, n, a, b)                 long do_##n(a, b);
#define HC3(nr, n, a, b, c)              long do_##n(a, b, c);
#define HC4(nr, n, a, b, c, d)           long do_##n(a, b, c, d);
#define HC5(nr, n, a, b, c, d, e)        long do_##n(a, b, c, d, e);
#include <pavise/hypercall-defs.h>
#undef HC0
#undef HC1
#undef HC2
#undef HC3
#undef HC4
#undef HC5

const char *hypercall_name(unsigned int nr);

/* Dispatch the hypercall in a guest's saved registers (number in rax,
 * arguments in rdi, rsi, rdx, r10, r8); the result goes back in rax. */
struct cpu_regs;
void pv_hypercall(struct cpu_regs *regs);

/* Should a long hypercall stop here and continue later? (Work for this
 * CPU is pending: softirqs, or an event the guest should see.) */
bool hypercall_preempt_check(void);

/* Arrange for hypercall 'op' to be issued again with the given arguments
 * (unsigned long each, 'nargs' of them). Returns the value the current
 * handler must return. Inside a multicall, the multicall entry is updated
 * instead and the multicall continues from it. */
long hypercall_create_continuation(unsigned int op, unsigned int nargs, ...);

/* Running inside do_multicall (continuations behave differently). */
bool in_multicall(void);

#endif
