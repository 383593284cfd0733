/*
 * Forced into every hypervisor translation unit (-include): all symbols
 * are hidden, so the compiler reaches them PC-relative instead of through
 * a GOT (the image is linked at a fixed high address, not as a PIE).
 */
#pragma GCC visibility push(hidden)
