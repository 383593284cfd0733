/* String and formatting helpers (hypervisor/common/string.c, vsnprintf.c). */
#ifndef PAVISE_LIB_H
#define PAVISE_LIB_H

#include <pavise/types.h>

#ifndef PAVISE_HOST_TEST
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
#else
#include <string.h>
#endif

/*
 * Formatting: the usual conversions d i u x X o p s c %, with flags
 * "-0+ #", width, precision, length modifiers hh h l ll z t. Always
 * NUL-terminates when size > 0; returns the length that would be written.
 */
int pv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pv_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Parse an unsigned number: 0x hex, 0 octal, decimal; optional K/M/G suffix
 * when 'sizes' is set. Returns false on malformed input or overflow. */
bool parse_u64(const char *s, const char **end, uint64_t *out, bool sizes);

#endif
