/* Basic types for freestanding hypervisor code (no libc). */
#ifndef PAVISE_TYPES_H
#define PAVISE_TYPES_H

#ifdef PAVISE_HOST_TEST
/* Host unit tests compile hypervisor sources against the C library. */
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#else
typedef unsigned char      uint8_t;
typedef unsigned short     uint16_t;
typedef unsigned int       uint32_t;
typedef unsigned long      uint64_t;
typedef signed char        int8_t;
typedef short              int16_t;
typedef int                int32_t;
typedef long               int64_t;
typedef unsigned long      uintptr_t;
typedef long               intptr_t;
typedef unsigned long      size_t;
typedef long               ssize_t;
typedef long               ptrdiff_t;
typedef _Bool              bool;
#define true  1
#define false 0
#define NULL  ((void *)0)
typedef __builtin_va_list  va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type)   __builtin_va_arg(ap, type)
#define va_end(ap)         __builtin_va_end(ap)
#define va_copy(d, s)      __builtin_va_copy(d, s)
#define offsetof(t, m)     __builtin_offsetof(t, m)
#define UINT64_MAX         0xffffffffffffffffUL
#define UINT32_MAX         0xffffffffU
#define INT_MAX            0x7fffffff
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
