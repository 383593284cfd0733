/*
 * Ending the machine. Under QEMU with isa-debug-exit at port 0xf4 the
 * process exits with status (v << 1) | 1; test harnesses decode v. On real
 * hardware (or without the device) the machine resets instead.
 */
#ifndef PAVISE_SHUTDOWN_H
#define PAVISE_SHUTDOWN_H

/* Values of v. Domain shutdowns use the guest's reason (0..5) or the code
 * it set with SCHEDOP_shutdown_code; hypervisor failures use 0x3f. */
#define EXIT_POWEROFF  0
#define EXIT_PANIC     0x3f
#define EXIT_NO_DOMAIN 0x3e    /* modules given, but no domain could be built */

__noreturn void machine_exit(unsigned int v);

#endif
