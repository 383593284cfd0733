/*
 * Single-call XZ decoder for kernel payloads (Debian's bzImage carries its
 * vmlinux as XZ: x86 BCJ filter + LZMA2, CRC32 check).
 *
 * xz_decode decodes one .xz stream (https://tukaani.org/xz/xz-file-format.txt)
 * from a buffer into a caller buffer of known maximum size. The output
 * buffer doubles as the LZMA2 dictionary, so the only other memory is the
 * caller's struct xz_workspace (about 32 KiB: probability tables and CRC
 * tables; static or allocated, never on a hypervisor stack).
 *
 * Supported: any number of blocks; filter chains LZMA2 or x86-BCJ + LZMA2
 * (with or without a BCJ start offset); checks None, CRC32, CRC64 and
 * SHA-256, all verified; the index and stream footer are verified against
 * the blocks decoded. Refused with -XZ_EOPNOTSUPP: other filters (delta,
 * BCJ for other CPUs) and reserved check types. Anything corrupt or
 * truncated fails with -XZ_EINVAL and never reads outside 'in' nor writes
 * outside 'out'; output that would not fit fails with -XZ_ENOSPC. On error
 * the contents of 'out' are unspecified.
 *
 * Data after the stream (stream padding, a further stream, or the 4-byte
 * size a bzImage appends) is not read: res->in_used says where the stream
 * ended.
 */
#ifndef PAVISE_XZ_H
#define PAVISE_XZ_H

#include <pavise/types.h>

/* Xen errno values, returned negated. */
#define XZ_EINVAL       22      /* corrupt or truncated input */
#define XZ_ENOSPC       28      /* output buffer too small */
#define XZ_EOPNOTSUPP   95      /* valid .xz, but a filter or check not supported */

/* LZMA probability model; layout private to the decoder. */
struct xz_lzma_len_probs {
    uint16_t choice, choice2;
    uint16_t low[16][8];
    uint16_t mid[16][8];
    uint16_t high[256];
};

struct xz_lzma_probs {
    uint16_t is_match[12][16];
    uint16_t is_rep[12], is_rep0[12], is_rep1[12], is_rep2[12];
    uint16_t is_rep0_long[12][16];
    uint16_t dist_slot[4][64];
    uint16_t dist_special[114];
    uint16_t dist_align[16];
    struct xz_lzma_len_probs match_len, rep_len;
    uint16_t literal[16][0x300];        /* lc + lp <= 4 in LZMA2 */
};

/* Caller-provided scratch memory; needs no initialisation. */
struct xz_workspace {
    struct xz_lzma_probs probs;
    uint32_t crc32_table[256];
    uint64_t crc64_table[256];
};

/* Check types (stream flags). */
#define XZ_CHECK_NONE   0
#define XZ_CHECK_CRC32  1
#define XZ_CHECK_CRC64  4
#define XZ_CHECK_SHA256 10

struct xz_result {
    size_t in_used;         /* bytes of the stream, header to footer */
    size_t out_len;         /* bytes written to out */
    unsigned int check;     /* XZ_CHECK_* */
    unsigned int blocks;
};

/* True if buf starts with the .xz magic (fd 37 7a 58 5a 00). */
bool xz_is_xz(const void *buf, size_t len);

int xz_decode(const void *in, size_t in_len, void *out, size_t out_max, struct xz_workspace *ws,
              struct xz_result *res, char *err, size_t errlen);

/* Checksums used by the format (also handy elsewhere). The tables must have
 * been filled by xz_crc_init. */
void xz_crc_init(struct xz_workspace *ws);
uint32_t xz_crc32(const struct xz_workspace *ws, const void *buf, size_t len, uint32_t crc);
uint64_t xz_crc64(const struct xz_workspace *ws, const void *buf, size_t len, uint64_t crc);

/* SHA-256 of buf into digest[32]. */
void xz_sha256(const void *buf, size_t len, uint8_t digest[32]);

#endif
