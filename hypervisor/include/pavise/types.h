/* Basic types for freestanding hypervisor code (no libc). */
#ifndef PAVISE_TYPES_H
#define PAVISE_TYPES_H

/* The compiler's freestanding headers (no libc): also what host unit tests
 * get from the C library. */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef long ssize_t;
#ifndef INT_MAX
#define INT_MAX  __INT_MAX__
#endif

typedef uint64_t paddr_t;       /* machine (host-physical) address */
typedef uint64_t mfn_t;         /* machine frame number */
typedef uint16_t domid_t;

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)          ((a) < (b) ? (a) : (b))
#define MAX(a, b)          ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)      (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ROUNDDOWN(x, a)    ((x) & ~((__typeof__(x))(a) - 1))
#define BUILD_BUG_ON(c)    _Static_assert(!(c), #c)
#define container_of(p, t, m) ((t *)((char *)(p) - offsetof(t, m)))

#define __packed           __attribute__((packed))
#define __aligned(a)       __attribute__((aligned(a)))
#define __noreturn         __attribute__((noreturn))
#define __unused           __attribute__((unused))
#define __section(s)       __attribute__((section(s)))
#define __printf(a, b)     __attribute__((format(printf, a, b)))
#define likely(x)          __builtin_expect(!!(x), 1)
#define unlikely(x)        __builtin_expect(!!(x), 0)
#define barrier()          __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x)       (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)   (*(volatile __typeof__(x) *)&(x) = (v))

#endif
