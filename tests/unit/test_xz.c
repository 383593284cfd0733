/*
 * XZ decoding (streams made by the xz command at test time), corrupt and
 * truncated input, checksums, bzImage probing, and Debian's real kernel
 * when the Linux test cache has it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <pavise/xz.h>
#include <pavise/bzimage.h>
#include <pavise/elf.h>

#define GUARD 64

static struct xz_workspace ws;
static char err[256];
static struct xz_result res;

/* ------------------------------------------------------------ helpers */

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    buf = malloc(*len + 1);
    ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

/* Compress data with the xz command and the given options. */
static uint8_t *xz_cmd(const uint8_t *data, size_t len, const char *opts, size_t *out_len)
{
    char in[] = "/tmp/pavise-xz-XXXXXX", cmd[512], out[64];
    int fd = mkstemp(in);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    snprintf(out, sizeof(out), "%s.xz", in);
    snprintf(cmd, sizeof(cmd), "xz -q -c %s %s > %s", opts, in, out);
    ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
    uint8_t *x = read_all(out, out_len);
    unlink(in);
    unlink(out);
    ck_assert_ptr_nonnull(x);
    return x;
}

static uint32_t lcg_state;

static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1103515245u + 12345u;
    return lcg_state >> 8;
}

/* Compressible, text-like data. */
static uint8_t *gen_text(size_t len, uint32_t seed)
{
    static const char *words[] = { "hypervisor ", "page ", "grant ", "event ", "channel ", "domain ",
                                   "xen ", "pavise ", "\n", "mmu_update ", "0x1f ", "vcpu " };
    uint8_t *b = malloc(len + 1);

    lcg_state = seed;
    for (size_t i = 0; i < len;) {
        const char *w = words[lcg() % 12];
        for (; *w && i < len; w++)
            b[i++] = (uint8_t)*w;
    }
    return b;
}

static uint8_t *gen_random(size_t len, uint32_t seed)
{
    uint8_t *b = malloc(len + 1);

    lcg_state = seed;
    for (size_t i = 0; i < len; i++)
        b[i] = (uint8_t)lcg();
    return b;
}

/* Decode into a buffer of exactly out_max bytes between guards; returns rc
 * and checks the guards. *out receives the malloc'd buffer (+GUARD). */
static int decode(const uint8_t *x, size_t xlen, size_t out_max, uint8_t **out)
{
    uint8_t *buf = malloc(out_max + 2 * GUARD);

    memset(buf, 0x5a, out_max + 2 * GUARD);
    memset(err, 'x', sizeof(err));
    int rc = xz_decode(x, xlen, buf + GUARD, out_max, &ws, &res, err, sizeof(err));
    for (size_t i = 0; i < GUARD; i++) {
        ck_assert_msg(buf[i] == 0x5a, "wrote before the output buffer");
        ck_assert_msg(buf[GUARD + out_max + i] == 0x5a, "wrote past the output buffer");
    }
    ck_assert_msg(strlen(err) < sizeof(err), "unterminated message");
    *out = buf;
    return rc;
}

/* Compress with opts, decode, compare. */
static void roundtrip(const uint8_t *data, size_t len, const char *opts)
{
    size_t xlen;
    uint8_t *x = xz_cmd(data, len, opts, &xlen), *out;
    int rc = decode(x, xlen, len, &out);

    ck_assert_msg(rc == 0, "xz %s, %zu bytes: %s", opts, len, err);
    ck_assert_uint_eq(res.out_len, len);
    ck_assert_uint_eq(res.in_used, xlen);
    ck_assert_msg(!memcmp(out + GUARD, data, len), "xz %s, %zu bytes: output differs", opts, len);
    free(out);
    free(x);
}

/* ------------------------------------------------------------ good streams */

START_TEST(sizes)
{
    static const size_t lens[] = { 0, 1, 2, 5, 100, 4096, 65537, 3u << 20 };

    for (unsigned int i = 0; i < ARRAY_SIZE(lens); i++) {
        uint8_t *d = gen_text(lens[i], (uint32_t)i);
        roundtrip(d, lens[i], "");
        free(d);
    }
}
END_TEST

START_TEST(check_types)
{
    static const struct { const char *opt; unsigned int check; } c[] = {
        { "--check=none", XZ_CHECK_NONE }, { "--check=crc32", XZ_CHECK_CRC32 },
        { "--check=crc64", XZ_CHECK_CRC64 }, { "--check=sha256", XZ_CHECK_SHA256 },
    };
    uint8_t *d = gen_text(100000, 7);

    for (unsigned int i = 0; i < ARRAY_SIZE(c); i++) {
        roundtrip(d, 100000, c[i].opt);
        ck_assert_uint_eq(res.check, c[i].check);
    }
    free(d);
}
END_TEST

START_TEST(incompressible)
{
    /* LZMA2 stores random data in uncompressed chunks. */
    uint8_t *d = gen_random(300000, 3);
    roundtrip(d, 300000, "--check=crc32");
    free(d);
}
END_TEST

START_TEST(mixed_large)
{
    /* Several 2 MiB LZMA2 chunks, alternating compressible and random parts. */
    size_t len = 5u << 20;
    uint8_t *d = gen_text(len, 11), *r = gen_random(len / 8, 12);

    for (size_t off = 0; off + len / 8 <= len; off += len / 4)
        memcpy(d + off, r, len / 16);
    roundtrip(d, len, "--check=crc64 -6");
    free(d);
    free(r);
}
END_TEST

START_TEST(lzma2_options)
{
    static const char *opts[] = {
        "--lzma2=lc=0,lp=4", "--lzma2=lc=4,lp=0,pb=0", "--lzma2=lc=1,lp=2,pb=4",
        "--lzma2=preset=0", "--lzma2=preset=9e,dict=64KiB", "--lzma2=dict=4KiB",
        "--lzma2=mf=hc3,mode=fast", "--lzma2=mf=bt2,nice=273,depth=0",
    };
    uint8_t *d = gen_text(400000, 5);

    /* Some binary content too, so literal contexts matter. */
    uint8_t *r = gen_random(20000, 6);
    memcpy(d + 100000, r, 20000);
    for (unsigned int i = 0; i < ARRAY_SIZE(opts); i++)
        roundtrip(d, 400000, opts[i]);
    free(d);
    free(r);
}
END_TEST

static uint8_t *self_exe(size_t *len)
{
    uint8_t *d = read_all("/proc/self/exe", len);
    ck_assert_ptr_nonnull(d);
    return d;
}

START_TEST(bcj_x86)
{
    /* Real x86-64 code: this test program. */
    size_t len;
    uint8_t *d = self_exe(&len);

    roundtrip(d, len, "--x86 --lzma2");
    roundtrip(d, len, "--check=crc32 --x86 --lzma2=preset=6,dict=32MiB");     /* as Linux's xz_wrap.sh */
    roundtrip(d, len, "--x86=start=4096 --lzma2");
    roundtrip(d, len, "--x86=start=4294967295 --lzma2");
    roundtrip(d, 5, "--x86 --lzma2");
    roundtrip(d, 4, "--x86 --lzma2");
    free(d);
}
END_TEST

START_TEST(multiple_blocks)
{
    size_t len = 200000;
    uint8_t *d = gen_text(len, 9);
    size_t xlen;
    uint8_t *x, *out;

    roundtrip(d, len, "--block-size=30000");
    ck_assert_uint_eq(res.blocks, 7);
    /* Threaded mode writes sizes into block headers. */
    roundtrip(d, len, "-T2 --block-size=30000 --x86 --lzma2");
    ck_assert_uint_eq(res.blocks, 7);

    /* Block-header sizes are checked against the data: an undersized
     * output buffer is refused up front. */
    x = xz_cmd(d, len, "-T2 --block-size=30000", &xlen);
    ck_assert_int_eq(decode(x, xlen, 29999, &out), -XZ_ENOSPC);
    free(out);
    free(x);
    free(d);
}
END_TEST

START_TEST(output_space)
{
    size_t len = 100000, xlen;
    uint8_t *d = gen_text(len, 4), *x = xz_cmd(d, len, "", &xlen), *out;

    ck_assert_int_eq(decode(x, xlen, len, &out), 0);
    free(out);
    for (size_t max = 0; max < len; max += max < 64 ? 1 : 9973) {
        ck_assert_int_eq(decode(x, xlen, max, &out), -XZ_ENOSPC);
        ck_assert_ptr_nonnull(strstr(err, "too small"));
        free(out);
    }
    ck_assert_int_eq(decode(x, xlen, len - 1, &out), -XZ_ENOSPC);
    free(out);
    free(x);

    uint8_t *r = gen_random(len, 4);
    x = xz_cmd(r, len, "", &xlen);
    ck_assert_int_eq(decode(x, xlen, len - 1, &out), -XZ_ENOSPC);
    free(out);
    free(x);
    free(r);
    free(d);
}
END_TEST

START_TEST(trailing_data_not_read)
{
    size_t len = 5000, xlen;
    uint8_t *d = gen_text(len, 8), *x = xz_cmd(d, len, "", &xlen), *out;
    uint8_t *y = malloc(2 * xlen + 4);

    /* bzImage style: the size appended. */
    memcpy(y, x, xlen);
    memcpy(y + xlen, "\x88\x13\0\0", 4);
    ck_assert_int_eq(decode(y, xlen + 4, len, &out), 0);
    ck_assert_uint_eq(res.in_used, xlen);
    free(out);
    /* A second stream after the first. */
    memcpy(y + xlen, x, xlen);
    ck_assert_int_eq(decode(y, 2 * xlen, len, &out), 0);
    ck_assert_uint_eq(res.in_used, xlen);
    ck_assert_uint_eq(res.out_len, len);
    free(out);
    free(y);
    free(x);
    free(d);
}
END_TEST

/* ------------------------------------------------------------ bad streams */

static void every_flip_fails(const char *opts, bool must_fail)
{
    size_t len = 3000, xlen;
    uint8_t *d = gen_text(len, 13), *x = xz_cmd(d, len, opts, &xlen), *out;
    unsigned int accepted = 0;

    for (size_t i = 0; i < xlen; i++) {
        for (int k = 0; k < 2; k++) {
            uint8_t save = x[i];
            x[i] ^= k ? 0xff : 0x01;
            int rc = decode(x, xlen, len + 100, &out);
            free(out);
            x[i] = save;
            if (rc == 0)
                accepted++;
            else
                ck_assert_msg(rc == -XZ_EINVAL || rc == -XZ_EOPNOTSUPP || rc == -XZ_ENOSPC, "rc %d", rc);
            ck_assert_msg(!must_fail || rc != 0, "%s: flipping byte %zu of %zu went unnoticed", opts, i, xlen);
        }
    }
    if (!must_fail)
        ck_assert_uint_lt(accepted, xlen);
    free(x);
    free(d);
}

START_TEST(corrupt_crc32)
{
    every_flip_fails("--check=crc32", true);
}
END_TEST

START_TEST(corrupt_crc64_bcj)
{
    every_flip_fails("--check=crc64 --x86 --lzma2", true);
}
END_TEST

START_TEST(corrupt_sha256)
{
    every_flip_fails("--check=sha256", true);
}
END_TEST

START_TEST(corrupt_unchecked)
{
    /* Without a check some flips in the data decode to other bytes; none
     * may crash or overrun (guards are checked by decode()). */
    every_flip_fails("--check=none", false);
}
END_TEST

START_TEST(truncated)
{
    size_t len = 70000, xlen;
    uint8_t *d = gen_text(len, 14), *x = xz_cmd(d, len, "--x86 --lzma2", &xlen), *out;

    for (size_t cut = 0; cut < xlen; cut++) {
        /* Copy so that reading past 'cut' would be caught by ASan/valgrind. */
        uint8_t *t = malloc(cut ? cut : 1);
        memcpy(t, x, cut);
        ck_assert_msg(decode(t, cut, len, &out) == -XZ_EINVAL, "cut at %zu of %zu accepted", cut, xlen);
        free(out);
        free(t);
    }
    free(x);
    free(d);
}
END_TEST

START_TEST(unsupported)
{
    size_t len = 10000, xlen;
    uint8_t *d = gen_text(len, 15), *x, *out;

    x = xz_cmd(d, len, "--delta=dist=4 --lzma2", &xlen);
    ck_assert_int_eq(decode(x, xlen, len, &out), -XZ_EOPNOTSUPP);
    ck_assert_ptr_nonnull(strstr(err, "filter"));
    free(out);
    free(x);
    x = xz_cmd(d, len, "--arm --lzma2", &xlen);
    ck_assert_int_eq(decode(x, xlen, len, &out), -XZ_EOPNOTSUPP);
    free(out);
    free(x);

    /* A reserved check type, with a valid header CRC. */
    x = xz_cmd(d, len, "--check=none", &xlen);
    x[7] = 2;
    xz_crc_init(&ws);
    uint32_t c = xz_crc32(&ws, x + 6, 2, 0);
    memcpy(x + 8, &c, 4);
    ck_assert_int_eq(decode(x, xlen, len, &out), -XZ_EOPNOTSUPP);
    ck_assert_ptr_nonnull(strstr(err, "check type 2"));
    free(out);
    free(x);

    x = xz_cmd(d, len, "--format=lzma", &xlen);
    ck_assert_int_eq(decode(x, xlen, len, &out), -XZ_EINVAL);
    free(out);
    free(x);
    free(d);
}
END_TEST

/* Wrap raw LZMA2 data into a valid .xz stream (check None). */
static size_t wrap_lzma2(const uint8_t *raw, size_t rlen, size_t usize, uint8_t *out)
{
    size_t p = 0, bstart;
    uint32_t c;

    xz_crc_init(&ws);
    memcpy(out, "\xfd" "7zXZ\0\0\0", 8);
    c = xz_crc32(&ws, out + 6, 2, 0);
    memcpy(out + 8, &c, 4);
    p = 12;
    bstart = p;
    /* Block header: size 12 (byte 2), flags 0, LZMA2 filter, dict byte, pad. */
    memcpy(out + p, "\x02\x00\x21\x01\x16\x00\x00\x00", 8);
    c = xz_crc32(&ws, out + p, 8, 0);
    memcpy(out + p + 8, &c, 4);
    p += 12;
    memcpy(out + p, raw, rlen);
    p += rlen;
    while ((p - bstart) % 4)
        out[p++] = 0;
    size_t unpadded = 12 + rlen, istart = p;
    out[p++] = 0;
    out[p++] = 1;
    for (size_t v = unpadded; ; v >>= 7) {
        out[p++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        if (v <= 0x7f)
            break;
    }
    for (size_t v = usize; ; v >>= 7) {
        out[p++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        if (v <= 0x7f)
            break;
    }
    while ((p - istart) % 4)
        out[p++] = 0;
    c = xz_crc32(&ws, out + istart, p - istart, 0);
    memcpy(out + p, &c, 4);
    p += 4;
    uint32_t back = (uint32_t)((p - istart) / 4 - 1);
    memcpy(out + p + 4, &back, 4);
    out[p + 8] = 0;
    out[p + 9] = 0;
    c = xz_crc32(&ws, out + p + 4, 6, 0);
    memcpy(out + p, &c, 4);
    out[p + 10] = 'Y';
    out[p + 11] = 'Z';
    return p + 12;
}

static int decode_raw(const char *raw, size_t rlen, size_t usize, uint8_t **out)
{
    static uint8_t x[4096];
    size_t xlen = wrap_lzma2((const uint8_t *)raw, rlen, usize, x);
    return decode(x, xlen, 64, out);
}

START_TEST(lzma2_control_rules)
{
    uint8_t *out;

    /* Uncompressed chunks with and without dictionary reset. */
    ck_assert_int_eq(decode_raw("\x01\x00\x04hello\x02\x00\x00!\x00", 13, 6, &out), 0);
    ck_assert_mem_eq(out + GUARD, "hello!", 6);
    free(out);
    ck_assert_int_eq(decode_raw("\x00", 1, 0, &out), 0);
    ck_assert_uint_eq(res.out_len, 0);
    free(out);
    /* First chunk must reset the dictionary. */
    ck_assert_int_eq(decode_raw("\x02\x00\x04hello\x00", 9, 5, &out), -XZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "reset the dictionary"));
    free(out);
    /* Invalid control bytes. */
    ck_assert_int_eq(decode_raw("\x01\x00\x00h\x03\x00", 6, 1, &out), -XZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "control byte"));
    free(out);
    /* LZMA chunk without properties after a dictionary reset. */
    ck_assert_int_eq(decode_raw("\x01\x00\x00h\x80\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00", 16, 2, &out),
                     -XZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "without properties"));
    free(out);
    /* Bad properties: > 224, and lc + lp > 4 (lc 4, lp 1 = 13). */
    ck_assert_int_eq(decode_raw("\xe0\x00\x00\x00\x05\xe1\x00\x00\x00\x00\x00\x00", 12, 1, &out), -XZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "properties byte"));
    free(out);
    ck_assert_int_eq(decode_raw("\xe0\x00\x00\x00\x05\x0d\x00\x00\x00\x00\x00\x00", 12, 1, &out), -XZ_EINVAL);
    free(out);
    /* Range coder must start with a zero byte. */
    ck_assert_int_eq(decode_raw("\xe0\x00\x00\x00\x05\x5d\x01\x00\x00\x00\x00\x00", 12, 1, &out), -XZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "range coder"));
    free(out);
    /* Missing end marker. */
    ck_assert_int_eq(decode_raw("\x01\x00\x00h", 4, 1, &out), -XZ_EINVAL);
    free(out);
}
END_TEST

START_TEST(lzma2_hostile_matches)
{
    /* An LZMA chunk whose first symbol is a match: no bytes to copy from.
     * Coder bytes 0xff.. steer is_match to 1 on the first bit. */
    static const char raw[] = "\xe0\x00\x0f\x00\x09\x5d\x00\xff\xff\xff\xff\xff\xff\xff\xff\x00";
    uint8_t *out;

    ck_assert_int_eq(decode_raw(raw, sizeof(raw) - 1, 16, &out), -XZ_EINVAL);
    free(out);
}
END_TEST

/* ------------------------------------------------------------ checksums */

START_TEST(checksum_vectors)
{
    uint8_t dig[32];

    xz_crc_init(&ws);
    ck_assert_uint_eq(xz_crc32(&ws, "123456789", 9, 0), 0xcbf43926);
    ck_assert_uint_eq(xz_crc32(&ws, "6789", 4, xz_crc32(&ws, "12345", 5, 0)), 0xcbf43926);
    ck_assert_uint_eq(xz_crc64(&ws, "123456789", 9, 0), 0x995dc9bbdf1939faull);
    ck_assert_uint_eq(xz_crc32(&ws, "", 0, 0), 0);

    xz_sha256("abc", 3, dig);
    ck_assert_mem_eq(dig, "\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23"
                          "\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61\xf2\x00\x15\xad", 32);
    xz_sha256("", 0, dig);
    ck_assert_mem_eq(dig, "\xe3\xb0\xc4\x42\x98\xfc\x1c\x14\x9a\xfb\xf4\xc8\x99\x6f\xb9\x24"
                          "\x27\xae\x41\xe4\x64\x9b\x93\x4c\xa4\x95\x99\x1b\x78\x52\xb8\x55", 32);
    xz_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, dig);
    ck_assert_mem_eq(dig, "\x24\x8d\x6a\x61\xd2\x06\x38\xb8\xe5\xc0\x26\x93\x0c\x3e\x60\x39"
                          "\xa3\x3c\xe4\x59\x64\xff\x21\x67\xf6\xec\xed\xd4\x19\xdb\x06\xc1", 32);
}
END_TEST

/* ------------------------------------------------------------ bzImage */

static uint8_t *fake_bzimage(const uint8_t *payload, size_t plen, uint16_t version, size_t *len)
{
    size_t setup = (7 + 1) * 512, poff = 0x100;
    uint8_t *b = calloc(1, setup + poff + plen);

    b[0x1f1] = 7;
    b[0x1fe] = 0x55;
    b[0x1ff] = 0xaa;
    memcpy(b + 0x202, "HdrS", 4);
    memcpy(b + 0x206, &version, 2);
    uint32_t o = (uint32_t)poff, l = (uint32_t)plen;
    memcpy(b + 0x248, &o, 4);
    memcpy(b + 0x24c, &l, 4);
    memcpy(b + setup + poff, payload, plen);
    *len = setup + poff + plen;
    return b;
}

START_TEST(bzimage_probing)
{
    struct bzimage_info bi;
    size_t dlen = 20000, xlen, blen;
    uint8_t *d = gen_text(dlen, 16), *x = xz_cmd(d, dlen, "--check=crc32", &xlen);
    uint8_t *p = malloc(xlen + 4), *b, *out;
    uint32_t sz = (uint32_t)dlen;

    memcpy(p, x, xlen);
    memcpy(p + xlen, &sz, 4);
    b = fake_bzimage(p, xlen + 4, 0x020f, &blen);
    ck_assert_int_eq(bzimage_probe(b, blen, &bi, err, sizeof(err)), 0);
    ck_assert(bi.is_bzimage);
    ck_assert_uint_eq(bi.version, 0x020f);
    ck_assert_uint_eq(bi.setup_sects, 7);
    ck_assert_int_eq(bi.format, BZ_PAYLOAD_XZ);
    ck_assert_ptr_eq(bi.payload, b + 8 * 512 + 0x100);
    ck_assert_uint_eq(bi.payload_len, xlen + 4);
    ck_assert_uint_eq(bi.decompressed_size, dlen);
    ck_assert_int_eq(decode(bi.payload, bi.payload_len, bi.decompressed_size, &out), 0);
    ck_assert_mem_eq(out + GUARD, d, dlen);
    free(out);

    /* Too old, payload outside the image, empty payload. */
    free(b);
    b = fake_bzimage(p, xlen + 4, 0x0207, &blen);
    ck_assert_int_eq(bzimage_probe(b, blen, &bi, err, sizeof(err)), -BZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "2.07"));
    free(b);
    b = fake_bzimage(p, xlen + 4, 0x020f, &blen);
    ck_assert_int_eq(bzimage_probe(b, blen - 1, &bi, err, sizeof(err)), -BZ_EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "outside"));
    memset(b + 0x248, 0xff, 4);
    ck_assert_int_eq(bzimage_probe(b, blen, &bi, err, sizeof(err)), -BZ_EINVAL);
    memset(b + 0x248, 0, 8);
    ck_assert_int_eq(bzimage_probe(b, blen, &bi, err, sizeof(err)), -BZ_EINVAL);
    free(b);

    /* Other compressors are named. */
    b = fake_bzimage((const uint8_t *)"\x1f\x8b\x08\x00", 4, 0x020f, &blen);
    ck_assert_int_eq(bzimage_probe(b, blen, &bi, err, sizeof(err)), -BZ_EOPNOTSUPP);
    ck_assert_ptr_nonnull(strstr(err, "gzip"));
    free(b);
    b = fake_bzimage((const uint8_t *)"\x28\xb5\x2f\xfd", 4, 0x020f, &blen);
    ck_assert_int_eq(bzimage_probe(b, blen, &bi, err, sizeof(err)), -BZ_EOPNOTSUPP);
    ck_assert_ptr_nonnull(strstr(err, "zstd"));
    free(b);

    /* Not a bzImage: a bare .xz, a bare ELF, or junk. */
    ck_assert_int_eq(bzimage_probe(x, xlen, &bi, err, sizeof(err)), 0);
    ck_assert(!bi.is_bzimage);
    ck_assert_int_eq(bi.format, BZ_PAYLOAD_XZ);
    ck_assert_ptr_eq(bi.payload, x);
    ck_assert_uint_eq(bi.decompressed_size, 0);
    ck_assert_int_eq(bzimage_probe("\177ELF\2\1\1", 7, &bi, err, sizeof(err)), 0);
    ck_assert_int_eq(bi.format, BZ_PAYLOAD_ELF);
    ck_assert_int_eq(bzimage_probe("junk", 4, &bi, err, sizeof(err)), -BZ_EINVAL);
    ck_assert_int_eq(bzimage_probe("", 0, &bi, err, sizeof(err)), -BZ_EINVAL);
    free(p);
    free(x);
    free(d);
}
END_TEST

/* ------------------------------------------------------------ Debian's kernel */

START_TEST(debian_kernel)
{
    const char *top = getenv("top_builddir");
    char path[4096];
    size_t len;
    struct bzimage_info bi;
    struct elf_info info;

    snprintf(path, sizeof(path), "%s/tests/.cache/linux/vmlinuz", top ? top : ".");
    uint8_t *k = read_all(path, &len);
    if (!k) {
        printf("test_xz: %s absent, Debian kernel test skipped\n", path);
        return;
    }
    ck_assert_msg(bzimage_probe(k, len, &bi, err, sizeof(err)) == 0, "%s", err);
    ck_assert(bi.is_bzimage);
    ck_assert_uint_ge(bi.version, 0x020f);
    ck_assert_int_eq(bi.format, BZ_PAYLOAD_XZ);
    ck_assert_uint_gt(bi.decompressed_size, 16u << 20);

    uint8_t *out = malloc(bi.decompressed_size);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = xz_decode(bi.payload, bi.payload_len, out, bi.decompressed_size, &ws, &res, err, sizeof(err));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_msg(rc == 0, "%s", err);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("test_xz: Debian kernel: %zu -> %zu bytes (check %u, %u block(s)) in %.2f s\n", bi.payload_len,
           res.out_len, res.check, res.blocks, secs);
    ck_assert_uint_eq(res.out_len, bi.decompressed_size);
    ck_assert_uint_eq(res.in_used, bi.payload_len - 4);
    ck_assert_uint_eq(res.check, XZ_CHECK_CRC32);
    ck_assert_msg(secs < 5.0, "decompression took %.2f s", secs);

    ck_assert_msg(elf_parse(out, res.out_len, &info, err, sizeof(err)) == 0, "%s", err);
    printf("test_xz: Debian kernel: paddr %#llx-%#llx, VA %#llx-%#llx, entry %#llx, %u segments\n",
           (unsigned long long)info.pstart, (unsigned long long)info.pend,
           (unsigned long long)info.virt_kstart, (unsigned long long)info.virt_kend,
           (unsigned long long)info.virt_entry, info.nr_loads);
    ck_assert_str_eq(info.notes.guest_os, "linux");
    ck_assert_str_eq(info.notes.xen_version, "xen-3.0");
    ck_assert_str_eq(info.notes.loader, "generic");
    ck_assert_uint_eq(info.virt_base, 0xffffffff80000000);
    ck_assert_uint_eq(info.paddr_offset, 0);
    ck_assert_uint_ge(info.nr_loads, 4);
    ck_assert_uint_eq(info.pstart, 0x1000000);
    ck_assert_uint_eq(info.virt_kstart, 0xffffffff81000000);
    ck_assert(info.virt_entry > info.virt_kstart && info.virt_entry < info.virt_kend);
    ck_assert_uint_eq(info.virt_hypercall, ELF_UNSET);
    ck_assert_uint_eq(info.p2m_base, 0x8000000000);
    ck_assert(elf_xenfeat_test(info.f_supported, 11));
    ck_assert(elf_xenfeat_test(info.f_required, 0));
    ck_assert(info.unmapped_initrd);
    ck_assert_int_eq(info.pae, ELF_PAE_EXTCR3);
    ck_assert_int_eq(elf_xen_check_role(&info, true, err, sizeof(err)), 0);
    free(out);
    free(k);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xz");
    TCase *good = tcase_create("good"), *bad = tcase_create("bad"), *misc = tcase_create("misc");

    tcase_set_timeout(good, 60);
    tcase_set_timeout(bad, 120);
    tcase_set_timeout(misc, 60);
    tcase_add_test(good, sizes);
    tcase_add_test(good, check_types);
    tcase_add_test(good, incompressible);
    tcase_add_test(good, mixed_large);
    tcase_add_test(good, lzma2_options);
    tcase_add_test(good, bcj_x86);
    tcase_add_test(good, multiple_blocks);
    tcase_add_test(good, output_space);
    tcase_add_test(good, trailing_data_not_read);
    tcase_add_test(bad, corrupt_crc32);
    tcase_add_test(bad, corrupt_crc64_bcj);
    tcase_add_test(bad, corrupt_sha256);
    tcase_add_test(bad, corrupt_unchecked);
    tcase_add_test(bad, truncated);
    tcase_add_test(bad, unsupported);
    tcase_add_test(bad, lzma2_control_rules);
    tcase_add_test(bad, lzma2_hostile_matches);
    tcase_add_test(misc, checksum_vectors);
    tcase_add_test(misc, bzimage_probing);
    tcase_add_test(misc, debian_kernel);
    suite_add_tcase(s, good);
    suite_add_tcase(s, bad);
    suite_add_tcase(s, misc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
