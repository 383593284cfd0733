/*
 * CRC32 (IEEE 802.3, reflected 0xEDB88320) and CRC64 (ECMA-182, reflected
 * 0xC96C5795D7870F42), as the .xz format uses them: initial value and final
 * XOR all ones. Tables live in the caller's workspace.
 */
#include <pavise/xz.h>

void xz_crc_init(struct xz_workspace *ws)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c32 = i;
        uint64_t c64 = i;

        for (int k = 0; k < 8; k++) {
            c32 = (c32 >> 1) ^ (0xEDB88320u & (0u - (c32 & 1)));
            c64 = (c64 >> 1) ^ (0xC96C5795D7870F42ull & (0ull - (c64 & 1)));
        }
        ws->crc32_table[i] = c32;
        ws->crc64_table[i] = c64;
    }
}

/* 'crc' is a previous result (0 to start), so calls can be chained. */
uint32_t xz_crc32(const struct xz_workspace *ws, const void *buf, size_t len, uint32_t crc)
{
    const uint8_t *p = buf;

    crc = ~crc;
    while (len--)
        crc = ws->crc32_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

uint64_t xz_crc64(const struct xz_workspace *ws, const void *buf, size_t len, uint64_t crc)
{
    const uint8_t *p = buf;

    crc = ~crc;
    while (len--)
        crc = ws->crc64_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
