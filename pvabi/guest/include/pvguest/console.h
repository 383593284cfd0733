/* Console back ends used by printk (see lib.h). */
#ifndef PVGUEST_CONSOLE_H
#define PVGUEST_CONSOLE_H

#include <pvguest/types.h>

/* Pick console_io or the ring according to start_info. */
void console_init(void);
/* Output that bypasses the ring: always console_io, via a direct SYSCALL
 * (works before anything else is set up, and from fatal paths). */
void console_emergency(const char *s, size_t len);

#endif
