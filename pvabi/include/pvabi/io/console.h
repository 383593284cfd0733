/*
 * Xen 4.17 public ABI: the PV console ring (one page, named by
 * start_info.console.domU.mfn, signalled through console.domU.evtchn).
 *
 * The guest writes output into out[] and advances out_prod (after a write
 * barrier), then notifies the port; the back end consumes up to out_prod
 * and advances out_cons. Input flows the other way through in[]. Indexes
 * are free-running; out_prod - out_cons > sizeof(out) means corruption.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/io/console.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_IO_CONSOLE_H
#define PVABI_IO_CONSOLE_H

#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* The byte position of a free-running index in ring (an array). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];                      /* back end -> guest */
    char out[2048];                     /* guest -> back end */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

#endif /* PVABI_IO_CONSOLE_H */
