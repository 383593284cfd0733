/*
 * The .xz container: stream header, blocks (header, LZMA2 data, padding,
 * check), index and stream footer, all verified. See pavise/xz.h.
 *
 * The index must describe exactly the blocks decoded; rather than keep a
 * list of unbounded length, both sides are summarised by count, sums and a
 * CRC32 over their (unpadded size, uncompressed size) pairs.
 */
#include "xz_private.h"
#include "kimage.h"

#define FAIL(code, ...)     kimage_fail(err, errlen, code, __VA_ARGS__)

#define STREAM_HDR_SIZE     12
#define FILTER_X86          0x04
#define FILTER_LZMA2        0x21
#define VLI_MAX_BYTES       9

static const uint8_t xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

typedef unsigned long long ull;

struct records {
    uint64_t count, unpadded, uncompressed;
    uint32_t crc;
};

bool xz_is_xz(const void *buf, size_t len)
{
    return len >= sizeof(xz_magic) && !memcmp(buf, xz_magic, sizeof(xz_magic));
}

/* Check field size for each check type, by the format's ranges. */
static size_t check_size(unsigned int type)
{
    return type == 0 ? 0 : 4u << ((type - 1) / 3);
}

/* A variable-length integer inside [*pos, end): 7 bits a byte, at most 9
 * bytes, no redundant trailing zero byte. */
static bool get_vli(const uint8_t *in, size_t *pos, size_t end, uint64_t *out)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < VLI_MAX_BYTES && *pos < end; i++) {
        uint8_t b = in[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i)
                return false;
            *out = v;
            return true;
        }
    }
    return false;
}

static void record_add(const struct xz_workspace *ws, struct records *r, uint64_t unpadded,
                       uint64_t uncompressed)
{
    uint8_t pair[16];

    for (int i = 0; i < 8; i++) {
        pair[i] = (uint8_t)(unpadded >> (8 * i));
        pair[8 + i] = (uint8_t)(uncompressed >> (8 * i));
    }
    r->count++;
    r->unpadded += unpadded;
    r->uncompressed += uncompressed;
    r->crc = xz_crc32(ws, pair, sizeof(pair), r->crc);
}

struct block_hdr {
    size_t size;                    /* header bytes */
    uint64_t csize, usize;          /* UINT64_MAX if absent */
    bool bcj;
    uint32_t bcj_start;
};

static int parse_block_header(const struct xz_workspace *ws, const uint8_t *in, size_t avail,
                              struct block_hdr *h, char *err, size_t errlen)
{
    size_t size = ((size_t)in[0] + 1) * 4, pos = 2;
    uint64_t id, psize;

    if (avail < size)
        return FAIL(XZ_EINVAL, "xz: block header truncated");
    if (xz_crc32(ws, in, size - 4, 0) != get_le32(in + size - 4))
        return FAIL(XZ_EINVAL, "xz: block header CRC32 mismatch");

    size_t end = size - 4;
    uint8_t flags = in[1];
    unsigned int nfilters = (flags & 3) + 1;

    if (flags & 0x3c)
        return FAIL(XZ_EOPNOTSUPP, "xz: reserved block flags %#x", flags);
    h->size = size;
    h->csize = h->usize = UINT64_MAX;
    h->bcj = false;
    h->bcj_start = 0;
    if ((flags & 0x40) && (!get_vli(in, &pos, end, &h->csize) || h->csize == 0))
        return FAIL(XZ_EINVAL, "xz: bad compressed size in block header");
    if ((flags & 0x80) && !get_vli(in, &pos, end, &h->usize))
        return FAIL(XZ_EINVAL, "xz: bad uncompressed size in block header");

    for (unsigned int i = 0; i < nfilters; i++) {
        bool last = i + 1 == nfilters;

        if (!get_vli(in, &pos, end, &id) || !get_vli(in, &pos, end, &psize) || psize > end - pos)
            return FAIL(XZ_EINVAL, "xz: bad filter flags in block header");
        if (last && id == FILTER_LZMA2) {
            /* Dictionary size code: 40 means 4 GiB - 1, above is invalid.
             * The output buffer is the dictionary, so the size is not used. */
            if (psize != 1 || in[pos] > 40)
                return FAIL(XZ_EINVAL, "xz: bad LZMA2 properties");
        } else if (!last && i == 0 && id == FILTER_X86) {
            if (psize != 0 && psize != 4)
                return FAIL(XZ_EINVAL, "xz: bad x86 BCJ properties");
            h->bcj = true;
            h->bcj_start = psize ? get_le32(in + pos) : 0;
        } else {
            return FAIL(XZ_EOPNOTSUPP, "xz: unsupported filter chain (filter %#llx at position %u of %u)",
                        (ull)id, i + 1, nfilters);
        }
        pos += (size_t)psize;
    }
    while (pos < end)
        if (in[pos++])
            return FAIL(XZ_EINVAL, "xz: non-zero block header padding");
    return 0;
}

static int verify_check(const struct xz_workspace *ws, unsigned int type, const uint8_t *data, size_t len,
                        const uint8_t *field, char *err, size_t errlen)
{
    uint8_t digest[32];

    switch (type) {
    case XZ_CHECK_NONE:
        return 0;
    case XZ_CHECK_CRC32:
        if (xz_crc32(ws, data, len, 0) != get_le32(field))
            return FAIL(XZ_EINVAL, "xz: CRC32 of the uncompressed data does not match");
        return 0;
    case XZ_CHECK_CRC64:
        if (xz_crc64(ws, data, len, 0) != get_le64(field))
            return FAIL(XZ_EINVAL, "xz: CRC64 of the uncompressed data does not match");
        return 0;
    default:
        xz_sha256(data, len, digest);
        if (memcmp(digest, field, sizeof(digest)))
            return FAIL(XZ_EINVAL, "xz: SHA-256 of the uncompressed data does not match");
        return 0;
    }
}

/* One block at in[0] into out[0 .. out_max). */
static int decode_block(struct xz_workspace *ws, unsigned int check, const uint8_t *in, size_t avail,
                        uint8_t *out, size_t out_max, size_t *in_used, size_t *out_len, uint64_t *unpadded,
                        char *err, size_t errlen)
{
    struct block_hdr h;
    size_t csize = 0, usize = 0, pos, pad, csz = check_size(check);
    int rc = parse_block_header(ws, in, avail, &h, err, errlen);

    if (rc)
        return rc;
    pos = h.size;
    size_t limit = avail - pos;
    if (h.csize != UINT64_MAX) {
        if (h.csize > limit)
            return FAIL(XZ_EINVAL, "xz: block data truncated");
        limit = (size_t)h.csize;
    }
    if (h.usize != UINT64_MAX && h.usize > out_max)
        return FAIL(XZ_ENOSPC, "output buffer too small (%zu bytes free, block holds %llu)", out_max,
                    (ull)h.usize);
    rc = xz_lzma2_decode(&ws->probs, in + pos, limit, &csize, out, out_max, &usize, err, errlen);
    if (rc)
        return rc;
    if (h.csize != UINT64_MAX && h.csize != csize)
        return FAIL(XZ_EINVAL, "xz: block compressed size %zu differs from its header's %llu", csize,
                    (ull)h.csize);
    if (h.usize != UINT64_MAX && h.usize != usize)
        return FAIL(XZ_EINVAL, "xz: block uncompressed size %zu differs from its header's %llu", usize,
                    (ull)h.usize);
    if (h.bcj)
        xz_bcj_x86(out, usize, h.bcj_start);

    pos += csize;
    pad = (4 - csize % 4) % 4;
    if (avail - pos < pad + csz)
        return FAIL(XZ_EINVAL, "xz: block truncated before its check");
    for (size_t i = 0; i < pad; i++)
        if (in[pos + i])
            return FAIL(XZ_EINVAL, "xz: non-zero block padding");
    pos += pad;
    rc = verify_check(ws, check, out, usize, in + pos, err, errlen);
    if (rc)
        return rc;
    *in_used = pos + csz;
    *out_len = usize;
    *unpadded = h.size + csize + csz;
    return 0;
}

/* The index at in[0] (its indicator byte already seen); must match blocks. */
static int verify_index(const struct xz_workspace *ws, const uint8_t *in, size_t avail,
                        const struct records *blocks, size_t *in_used, char *err, size_t errlen)
{
    struct records idx = { 0 };
    size_t pos = 1;
    uint64_t count, unpadded, usize;

    if (!get_vli(in, &pos, avail, &count))
        return FAIL(XZ_EINVAL, "xz: bad index");
    if (count != blocks->count)
        return FAIL(XZ_EINVAL, "xz: index lists %llu blocks, the stream has %llu", (ull)count,
                    (ull)blocks->count);
    for (uint64_t i = 0; i < count; i++) {
        if (!get_vli(in, &pos, avail, &unpadded) || !get_vli(in, &pos, avail, &usize))
            return FAIL(XZ_EINVAL, "xz: bad index record");
        record_add(ws, &idx, unpadded, usize);
    }
    if (idx.unpadded != blocks->unpadded || idx.uncompressed != blocks->uncompressed || idx.crc != blocks->crc)
        return FAIL(XZ_EINVAL, "xz: index does not match the blocks");
    while (pos % 4) {
        if (pos >= avail || in[pos])
            return FAIL(XZ_EINVAL, "xz: bad index padding");
        pos++;
    }
    if (avail - pos < 4)
        return FAIL(XZ_EINVAL, "xz: index truncated");
    if (xz_crc32(ws, in, pos, 0) != get_le32(in + pos))
        return FAIL(XZ_EINVAL, "xz: index CRC32 mismatch");
    *in_used = pos + 4;
    return 0;
}

int xz_decode(const void *inp, size_t in_len, void *outp, size_t out_max, struct xz_workspace *ws,
              struct xz_result *res, char *err, size_t errlen)
{
    const uint8_t *in = inp;
    uint8_t *out = outp;
    struct records blocks = { 0 };
    size_t pos, out_pos = 0, used = 0, produced = 0, index_size = 0;
    uint64_t unpadded = 0;
    unsigned int check;
    int rc;

    if (err && errlen)
        err[0] = '\0';
    memset(res, 0, sizeof(*res));
    xz_crc_init(ws);

    if (!xz_is_xz(in, in_len))
        return FAIL(XZ_EINVAL, "xz: not an .xz stream (bad magic)");
    if (in_len < STREAM_HDR_SIZE)
        return FAIL(XZ_EINVAL, "xz: stream header truncated");
    if (xz_crc32(ws, in + 6, 2, 0) != get_le32(in + 8))
        return FAIL(XZ_EINVAL, "xz: stream header CRC32 mismatch");
    if (in[6] != 0 || (in[7] & 0xf0))
        return FAIL(XZ_EOPNOTSUPP, "xz: unsupported stream flags %#x %#x", in[6], in[7]);
    check = in[7] & 0x0f;
    if (check != XZ_CHECK_NONE && check != XZ_CHECK_CRC32 && check != XZ_CHECK_CRC64 &&
        check != XZ_CHECK_SHA256)
        return FAIL(XZ_EOPNOTSUPP, "xz: unsupported check type %u", check);

    pos = STREAM_HDR_SIZE;
    for (;;) {
        if (pos >= in_len)
            return FAIL(XZ_EINVAL, "xz: stream truncated");
        if (in[pos] == 0x00)
            break;              /* index indicator */
        rc = decode_block(ws, check, in + pos, in_len - pos, out + out_pos, out_max - out_pos, &used,
                          &produced, &unpadded, err, errlen);
        if (rc)
            return rc;
        record_add(ws, &blocks, unpadded, produced);
        pos += used;
        out_pos += produced;
    }

    rc = verify_index(ws, in + pos, in_len - pos, &blocks, &index_size, err, errlen);
    if (rc)
        return rc;
    pos += index_size;

    /* Footer: CRC32, backward size, flags (as the header's), "YZ". */
    if (in_len - pos < STREAM_HDR_SIZE)
        return FAIL(XZ_EINVAL, "xz: stream footer truncated");
    const uint8_t *f = in + pos;
    if (f[10] != 'Y' || f[11] != 'Z')
        return FAIL(XZ_EINVAL, "xz: bad stream footer magic");
    if (xz_crc32(ws, f + 4, 6, 0) != get_le32(f))
        return FAIL(XZ_EINVAL, "xz: stream footer CRC32 mismatch");
    if (((uint64_t)get_le32(f + 4) + 1) * 4 != index_size)
        return FAIL(XZ_EINVAL, "xz: stream footer's index size does not match the index");
    if (f[8] != in[6] || f[9] != in[7])
        return FAIL(XZ_EINVAL, "xz: stream footer flags differ from the header's");

    res->in_used = pos + STREAM_HDR_SIZE;
    res->out_len = out_pos;
    res->check = check;
    res->blocks = (unsigned int)blocks.count;
    return 0;
}
