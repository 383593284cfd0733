/*
 * Linux bzImage (x86 boot protocol, Documentation/x86/boot.rst): finding
 * the compressed kernel inside, as Xen's bzimage_parse does.
 *
 * A bzImage is real-mode setup code, (setup_sects + 1) * 512 bytes, then
 * the protected-mode part; since protocol 2.08 the header gives where the
 * compressed vmlinux (the "payload") lies inside the latter. Linux appends
 * the uncompressed size as 4 little-endian bytes to every payload.
 *
 * bzimage_probe also accepts an image that is not a bzImage at all (a plain
 * vmlinux, or an .xz of one), the way Xen accepts any of these as a dom0
 * kernel; it reports what the payload is so the caller can decompress it
 * (xz_decode) into a buffer of bi->decompressed_size bytes, then elf_parse
 * the result.
 */
#ifndef PAVISE_BZIMAGE_H
#define PAVISE_BZIMAGE_H

#include <pavise/types.h>

#define BZ_EINVAL       22      /* malformed bzImage */
#define BZ_EOPNOTSUPP   95      /* a payload format this loader cannot unpack */

enum bzimage_format {
    BZ_PAYLOAD_ELF,         /* uncompressed ELF: hand to elf_parse */
    BZ_PAYLOAD_XZ,          /* .xz stream: hand to xz_decode */
};

struct bzimage_info {
    bool is_bzimage;                /* false: the image is the payload itself */
    uint16_t version;               /* boot protocol, e.g. 0x020f */
    unsigned int setup_sects;
    enum bzimage_format format;
    const uint8_t *payload;         /* inside the caller's image */
    size_t payload_len;             /* including any size trailer */
    uint32_t decompressed_size;     /* from the trailer; 0 for an ELF payload or when absent */
};

/*
 * Refuses (-BZ_EINVAL) a bzImage older than protocol 2.08 or whose payload
 * lies outside the image, and (-BZ_EOPNOTSUPP) payloads compressed other
 * than with XZ (gzip, bzip2, LZMA, LZO, LZ4, zstd: named in err).
 */
int bzimage_probe(const void *img, size_t len, struct bzimage_info *bi, char *err, size_t errlen);

#endif
