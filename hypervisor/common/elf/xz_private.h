/* Private interfaces of the XZ decoder (xz_stream.c, xz_lzma2.c, xz_bcj.c). */
#ifndef PAVISE_COMMON_ELF_XZ_PRIVATE_H
#define PAVISE_COMMON_ELF_XZ_PRIVATE_H

#include <pavise/xz.h>

/*
 * Decode raw LZMA2 data from in[0 .. in_len) up to and including its end
 * marker into out[0 .. out_max), which is also the dictionary (out[0] is
 * the first byte after a dictionary reset, i.e. the block's start).
 * Sets *in_used and *out_len. Returns 0 or -XZ_EINVAL / -XZ_ENOSPC.
 */
int xz_lzma2_decode(struct xz_lzma_probs *probs, const uint8_t *in, size_t in_len, size_t *in_used,
                    uint8_t *out, size_t out_max, size_t *out_len, char *err, size_t errlen);

/* Undo the x86 BCJ filter in place over a whole block's output; 'start' is
 * the filter's start offset (0 unless the block header gives one). */
void xz_bcj_x86(uint8_t *buf, size_t size, uint32_t start);

#endif
