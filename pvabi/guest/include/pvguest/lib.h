/* Strings, formatting and console output for PV test guests. */
#ifndef PVGUEST_LIB_H
#define PVGUEST_LIB_H

#include <pvguest/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *hay, const char *needle);
unsigned long strtoul(const char *s, const char **end, int base);

/* %[-0#][width][.prec][l|ll|z](d|i|u|x|X|c|s|p|%); returns the length
 * it wanted (output is cut at size - 1 and NUL-terminated). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Console output: console_io for the initial domain, else the PV console
 * ring. Whole calls are written atomically with respect to other vCPUs. */
void console_write(const char *s, size_t len);
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/* The guest's command line (start_info.cmd_line) and one option of it,
 * "name=value" (NULL if absent). */
const char *cmdline(void);
const char *cmdline_option(const char *name, char *buf, size_t size);

#endif
