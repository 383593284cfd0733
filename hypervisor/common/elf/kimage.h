/*
 * Helpers shared by the kernel-image code in this directory (ELF, Xen notes,
 * bzImage, XZ). Private: not part of any public header.
 */
#ifndef PAVISE_COMMON_ELF_KIMAGE_H
#define PAVISE_COMMON_ELF_KIMAGE_H

#include <pavise/lib.h>

/* Little-endian loads that need no alignment and no memcpy (which is an
 * out-of-line call in freestanding builds). */
static inline uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t get_le64(const uint8_t *p)
{
    return (uint64_t)get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* True if [off, off + size) lies inside a buffer of len bytes (no overflow). */
static inline bool range_in(uint64_t off, uint64_t size, uint64_t len)
{
    return off <= len && size <= len - off;
}

/* Format a reason into err (if given) and return -code. */
int kimage_fail(char *err, size_t errlen, int code, const char *fmt, ...) __printf(4, 5);

#endif
