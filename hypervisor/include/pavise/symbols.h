/* Symbol lookup for backtraces (table generated at link time). */
#ifndef PAVISE_SYMBOLS_H
#define PAVISE_SYMBOLS_H

#include <pavise/types.h>

/* Find the function containing addr. Returns its name (NULL if unknown)
 * and sets *off (offset into it) and *size (distance to the next symbol). */
const char *symbol_lookup(unsigned long addr, unsigned long *off, unsigned long *size);
/* Format "name+0xoff/0xsize" or the bare address into buf. */
void symbol_format(char *buf, size_t len, unsigned long addr);

#endif
