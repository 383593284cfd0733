/* The hypervisor's serial port (arch supplies the driver). */
#ifndef PAVISE_SERIAL_H
#define PAVISE_SERIAL_H

#include <pavise/types.h>

struct serial_cfg {
    unsigned int io_base;       /* 0 = none */
    unsigned int baud;
};

void serial_init(const struct serial_cfg *cfg);
void serial_putc(char c);
/* Next received byte, or -1. */
int serial_getc(void);

#endif
