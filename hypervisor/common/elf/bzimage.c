/*
 * bzImage probing (see pavise/bzimage.h). Offsets are those of the setup
 * header in the boot protocol, relative to the start of the image.
 */
#include <pavise/bzimage.h>
#include <pavise/xz.h>
#include "kimage.h"

#define FAIL(code, ...)     kimage_fail(err, errlen, code, __VA_ARGS__)

#define HDR_SETUP_SECTS     0x1f1
#define HDR_BOOT_FLAG       0x1fe
#define HDR_MAGIC           0x202
#define HDR_VERSION         0x206
#define HDR_PAYLOAD_OFFSET  0x248
#define HDR_PAYLOAD_LENGTH  0x24c
#define HDR_END             0x250       /* through payload_length */
#define BOOT_FLAG           0xaa55
#define MIN_VERSION         0x0208      /* first with payload_offset/length */

/* Compression formats Linux can use for its payload, by magic. */
static const struct {
    uint8_t magic[6];
    uint8_t len;
    const char *name;
} other_formats[] = {
    { { 0x1f, 0x8b }, 2, "gzip" },
    { { 0x1f, 0x9e }, 2, "gzip" },
    { { 'B', 'Z', 'h' }, 3, "bzip2" },
    { { 0x5d, 0x00, 0x00 }, 3, "LZMA" },
    { { 0x89, 'L', 'Z', 'O' }, 4, "LZO" },
    { { 0x02, 0x21, 0x4c, 0x18 }, 4, "LZ4" },
    { { 0x28, 0xb5, 0x2f, 0xfd }, 4, "zstd" },
};

static int classify(const uint8_t *p, size_t len, struct bzimage_info *bi, char *err, size_t errlen)
{
    if (len >= 4 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F') {
        bi->format = BZ_PAYLOAD_ELF;
        return 0;
    }
    if (xz_is_xz(p, len)) {
        bi->format = BZ_PAYLOAD_XZ;
        /* Linux's size_append trailer; a bare .xz ends in its footer "YZ". */
        if (bi->is_bzimage && len >= 4)
            bi->decompressed_size = get_le32(p + len - 4);
        return 0;
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(other_formats); i++)
        if (len >= other_formats[i].len && !memcmp(p, other_formats[i].magic, other_formats[i].len))
            return FAIL(BZ_EOPNOTSUPP, "kernel payload is %s-compressed; only XZ is supported",
                        other_formats[i].name);
    return FAIL(BZ_EINVAL, "kernel is neither ELF, XZ nor a bzImage");
}

int bzimage_probe(const void *img, size_t len, struct bzimage_info *bi, char *err, size_t errlen)
{
    const uint8_t *p = img;

    if (err && errlen)
        err[0] = '\0';
    memset(bi, 0, sizeof(*bi));
    if (len >= HDR_END && !memcmp(p + HDR_MAGIC, "HdrS", 4) && get_le16(p + HDR_BOOT_FLAG) == BOOT_FLAG) {
        bi->is_bzimage = true;
        bi->version = get_le16(p + HDR_VERSION);
        if (bi->version < MIN_VERSION)
            return FAIL(BZ_EINVAL, "bzImage boot protocol %u.%02u is too old (2.08 or later needed)",
                        bi->version >> 8, bi->version & 0xff);
        /* Boot protocol: 0 setup sectors means 4. */
        bi->setup_sects = p[HDR_SETUP_SECTS] ? p[HDR_SETUP_SECTS] : 4;

        uint64_t off = ((uint64_t)bi->setup_sects + 1) * 512 + get_le32(p + HDR_PAYLOAD_OFFSET);
        uint64_t plen = get_le32(p + HDR_PAYLOAD_LENGTH);
        if (plen == 0 || !range_in(off, plen, len))
            return FAIL(BZ_EINVAL, "bzImage payload %#llx+%#llx lies outside the %zu-byte image",
                        (unsigned long long)off, (unsigned long long)plen, len);
        bi->payload = p + off;
        bi->payload_len = (size_t)plen;
    } else {
        bi->payload = p;
        bi->payload_len = len;
    }
    return classify(bi->payload, bi->payload_len, bi, err, errlen);
}
