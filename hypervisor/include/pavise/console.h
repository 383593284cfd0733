/* Hypervisor console: log levels, printk, panic. */
#ifndef PAVISE_CONSOLE_H
#define PAVISE_CONSOLE_H

#include <pavise/types.h>

/* Log levels, lowest = most severe. A message carries its level as a
 * two-byte prefix "\001N"; loglvl= on the command line sets the cutoff. */
#define LOG_ERR      "\0011"
#define LOG_WARNING  "\0012"
#define LOG_INFO     "\0013"
#define LOG_DEBUG    "\0014"
enum { LVL_ERR = 1, LVL_WARNING, LVL_INFO, LVL_DEBUG };

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* Raw output of a domain's console text with a "(dN) " line prefix. */
void console_guest_write(domid_t d, const char *buf, size_t len);
void console_puts_raw(const char *s, size_t len);
void console_init_early(void);
void console_init_postparse(void);
void console_lock_break(void);

__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(c) do { if (unlikely(c)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)
#define BUG()     panic("BUG at %s:%d", __FILE__, __LINE__)

#endif
