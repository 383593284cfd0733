/* Basic types, limits and compiler helpers for PV test guests (no libc). */
#ifndef PVGUEST_TYPES_H
#define PVGUEST_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include <pvguest/asm.h>            /* GUEST_VIRT_BASE, STACK_SIZE */

#define PAGE_SHIFT      12
#define PAGE_SIZE       4096UL
#define PAGE_MASK       (~(PAGE_SIZE - 1))

#define NR_CPUS         8

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))

#define __noreturn      __attribute__((noreturn))
#define __aligned(a)    __attribute__((aligned(a)))
#define __section(s)    __attribute__((section(s)))
#define __printf(a, b)  __attribute__((format(printf, a, b)))
#define __used          __attribute__((used))
#define barrier()       __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)    (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define BUILD_BUG_ON(c) _Static_assert(!(c), #c)

/* x86 is strongly ordered for normal memory: compiler barriers suffice,
 * except for store-then-load ordering (mb). */
#define mb()            __asm__ __volatile__("mfence" ::: "memory")
#define rmb()           barrier()
#define wmb()           barrier()

#endif
