/*
 * LZMA2 decoding into a flat output buffer that is also the dictionary.
 *
 * LZMA2 is a sequence of chunks: uncompressed ones (copied) and LZMA ones
 * (at most 2 MiB out, 64 KiB in, each with its own range-coder start),
 * with control bytes saying when the dictionary, the coder state or the
 * lc/lp/pb properties are reset. The LZMA part is the usual adaptive
 * binary range decoder over literal, match and repeated-match symbols.
 *
 * Hostile input: every read of 'in' is bounds-checked (past the chunk it
 * reads zeros and the chunk is then refused); every match distance is
 * checked against the bytes decoded since the last dictionary reset, and
 * every length against the chunk's declared size, which was checked
 * against the output space. Probability-table indices are bounded by
 * construction (see the comments at each tree).
 */
#include "xz_private.h"
#include "kimage.h"

#define FAIL(code, ...)     kimage_fail(err, errlen, code, __VA_ARGS__)

#define RC_TOP              (1u << 24)
#define RC_MODEL_BITS       11
#define RC_PROB_INIT        (1u << (RC_MODEL_BITS - 1))
#define RC_MOVE_BITS        5

#define LZMA_STATES         12
#define LZMA_LIT_STATES     7       /* states below this follow a literal */
#define DIST_MODEL_START    4
#define DIST_MODEL_END      14
#define ALIGN_BITS          4
#define MATCH_LEN_MIN       2

struct rc {
    const uint8_t *in;
    size_t pos, limit;      /* pos may run past limit: the chunk is then refused */
    uint32_t range, code;
};

struct lzma {
    struct rc rc;
    struct xz_lzma_probs *p;
    uint32_t state;
    uint32_t rep0, rep1, rep2, rep3;    /* distances minus one */
    uint32_t lc, lp_mask, pb_mask;
    uint8_t *out;           /* dictionary start (last reset) is out[dict] */
    size_t dict, pos;
};

static inline void rc_normalize(struct rc *rc)
{
    if (rc->range < RC_TOP) {
        rc->range <<= 8;
        rc->code = (rc->code << 8) | (rc->pos < rc->limit ? rc->in[rc->pos] : 0);
        rc->pos++;
    }
}

static inline uint32_t rc_bit(struct rc *rc, uint16_t *prob)
{
    uint32_t bound;

    rc_normalize(rc);
    bound = (rc->range >> RC_MODEL_BITS) * *prob;
    if (rc->code < bound) {
        rc->range = bound;
        *prob += ((1u << RC_MODEL_BITS) - *prob) >> RC_MOVE_BITS;
        return 0;
    }
    rc->range -= bound;
    rc->code -= bound;
    *prob -= *prob >> RC_MOVE_BITS;
    return 1;
}

/* A bits-deep binary tree, most significant bit first: probs[1 .. 2^bits). */
static inline uint32_t rc_tree(struct rc *rc, uint16_t *probs, uint32_t bits)
{
    uint32_t sym = 1, limit = 1u << bits;

    do
        sym = (sym << 1) | rc_bit(rc, &probs[sym]);
    while (sym < limit);
    return sym - limit;
}

/* The same, least significant bit first; adds the value to *dest. */
static inline void rc_tree_reverse(struct rc *rc, uint16_t *probs, uint32_t bits, uint32_t *dest)
{
    uint32_t sym = 1;

    for (uint32_t i = 0; i < bits; i++) {
        uint32_t b = rc_bit(rc, &probs[sym]);
        sym = (sym << 1) | b;
        *dest += b << i;
    }
}

/* Bits with fixed probability one half, shifted into *dest. */
static inline void rc_direct(struct rc *rc, uint32_t *dest, uint32_t count)
{
    do {
        rc_normalize(rc);
        rc->range >>= 1;
        rc->code -= rc->range;
        uint32_t mask = 0u - (rc->code >> 31);     /* all ones if the bit is 0 */
        rc->code += rc->range & mask;
        *dest = (*dest << 1) + (mask + 1);
    } while (--count);
}

static void lzma_reset(struct lzma *s)
{
    uint16_t *p = (uint16_t *)s->p;

    for (size_t i = 0; i < sizeof(*s->p) / sizeof(uint16_t); i++)
        p[i] = RC_PROB_INIT;
    s->state = 0;
    s->rep0 = s->rep1 = s->rep2 = s->rep3 = 0;
}

/* lc/lp/pb from the properties byte; LZMA2 requires lc + lp <= 4. */
static bool lzma_props(struct lzma *s, uint8_t props)
{
    if (props >= 9 * 5 * 5)
        return false;
    uint32_t lc = props % 9, lp = (props / 9) % 5, pb = props / 45;
    if (lc + lp > 4)
        return false;
    s->lc = lc;
    s->lp_mask = (1u << lp) - 1;
    s->pb_mask = (1u << pb) - 1;
    return true;
}

static void decode_literal(struct lzma *s)
{
    size_t full = s->pos - s->dict;
    uint32_t prev = full ? s->out[s->pos - 1] : 0;
    /* (pos & lp_mask) << lc plus the top lc bits of prev: < 2^(lc+lp) <= 16. */
    uint16_t *probs = s->p->literal[(((uint32_t)full & s->lp_mask) << s->lc) + (prev >> (8 - s->lc))];
    uint32_t sym = 1;

    if (s->state < LZMA_LIT_STATES) {
        do
            sym = (sym << 1) | rc_bit(&s->rc, &probs[sym]);
        while (sym < 0x100);
    } else {
        /* "Matched" literal: the byte at rep0 steers the first bits while
         * they agree. offset + match_bit + sym < 0x300. rep0 < full was
         * checked when the previous match was taken. */
        uint32_t match_byte = (uint32_t)s->out[s->pos - s->rep0 - 1] << 1;
        uint32_t offset = 0x100;

        do {
            uint32_t match_bit = match_byte & offset;
            match_byte <<= 1;
            uint32_t b = rc_bit(&s->rc, &probs[offset + match_bit + sym]);
            sym = (sym << 1) | b;
            offset = b ? match_bit : offset & ~match_bit;
        } while (sym < 0x100);
    }
    s->out[s->pos++] = (uint8_t)sym;
    s->state = s->state < 4 ? 0 : s->state < 10 ? s->state - 3 : s->state - 6;
}

static uint32_t decode_len(struct lzma *s, struct xz_lzma_len_probs *l, uint32_t pos_state)
{
    if (!rc_bit(&s->rc, &l->choice))
        return MATCH_LEN_MIN + rc_tree(&s->rc, l->low[pos_state], 3);
    if (!rc_bit(&s->rc, &l->choice2))
        return MATCH_LEN_MIN + 8 + rc_tree(&s->rc, l->mid[pos_state], 3);
    return MATCH_LEN_MIN + 16 + rc_tree(&s->rc, l->high, 8);
}

/* A new match: length, then the distance (slot, then extra bits). */
static uint32_t decode_match(struct lzma *s, uint32_t pos_state)
{
    uint32_t len = decode_len(s, &s->p->match_len, pos_state);
    uint32_t slot = rc_tree(&s->rc, s->p->dist_slot[MIN(len - MATCH_LEN_MIN, 3u)], 6);

    s->state = s->state < LZMA_LIT_STATES ? 7 : 10;
    s->rep3 = s->rep2;
    s->rep2 = s->rep1;
    s->rep1 = s->rep0;
    if (slot < DIST_MODEL_START) {
        s->rep0 = slot;
        return len;
    }
    /* The slot gives the top two bits and the number of bits below them. */
    uint32_t bits = (slot >> 1) - 1;
    s->rep0 = 2 | (slot & 1);
    if (slot < DIST_MODEL_END) {
        s->rep0 <<= bits;
        /* Index rep0 - slot - 1 + sym stays below 114 (slot 13: 82 + 31). */
        rc_tree_reverse(&s->rc, s->p->dist_special + s->rep0 - slot - 1, bits, &s->rep0);
    } else {
        rc_direct(&s->rc, &s->rep0, bits - ALIGN_BITS);
        s->rep0 <<= ALIGN_BITS;
        rc_tree_reverse(&s->rc, s->p->dist_align, ALIGN_BITS, &s->rep0);
    }
    return len;
}

/* A repeated distance (rep0..rep3), or a one-byte "short rep". */
static uint32_t decode_rep(struct lzma *s, uint32_t pos_state)
{
    struct xz_lzma_probs *p = s->p;
    uint32_t st = s->state, dist;

    if (!rc_bit(&s->rc, &p->is_rep0[st])) {
        if (!rc_bit(&s->rc, &p->is_rep0_long[st][pos_state])) {
            s->state = st < LZMA_LIT_STATES ? 9 : 11;
            return 1;
        }
    } else {
        if (!rc_bit(&s->rc, &p->is_rep1[st])) {
            dist = s->rep1;
        } else {
            if (!rc_bit(&s->rc, &p->is_rep2[st])) {
                dist = s->rep2;
            } else {
                dist = s->rep3;
                s->rep3 = s->rep2;
            }
            s->rep2 = s->rep1;
        }
        s->rep1 = s->rep0;
        s->rep0 = dist;
    }
    s->state = st < LZMA_LIT_STATES ? 8 : 11;
    return decode_len(s, &p->rep_len, pos_state);
}

/* One LZMA chunk: exactly 'usize' bytes out of exactly in[0 .. csize). */
static int lzma_chunk(struct lzma *s, const uint8_t *in, size_t csize, size_t usize, char *err, size_t errlen)
{
    size_t end = s->pos + usize;

    /* Range coder start: a zero byte, then the 32-bit code. */
    if (csize < 5 || in[0] != 0)
        return FAIL(XZ_EINVAL, "LZMA2: bad range coder start");
    s->rc.in = in;
    s->rc.limit = csize;
    s->rc.pos = 5;
    s->rc.range = 0xffffffff;
    s->rc.code = ((uint32_t)in[1] << 24) | ((uint32_t)in[2] << 16) | ((uint32_t)in[3] << 8) | in[4];

    while (s->pos < end) {
        /* Positions count from the last dictionary reset. */
        uint32_t pos_state = (uint32_t)(s->pos - s->dict) & s->pb_mask;
        uint32_t len;

        if (!rc_bit(&s->rc, &s->p->is_match[s->state][pos_state])) {
            decode_literal(s);
            continue;
        }
        if (rc_bit(&s->rc, &s->p->is_rep[s->state]))
            len = decode_rep(s, pos_state);
        else
            len = decode_match(s, pos_state);

        /* Also catches LZMA's end marker (rep0 all ones), invalid in LZMA2. */
        if (s->rep0 >= s->pos - s->dict)
            return FAIL(XZ_EINVAL, "LZMA2: match distance %u beyond the %zu bytes decoded",
                        s->rep0 + 1, s->pos - s->dict);
        if (len > end - s->pos)
            return FAIL(XZ_EINVAL, "LZMA2: match runs past the end of its chunk");

        uint8_t *dst = s->out + s->pos;
        const uint8_t *src = dst - s->rep0 - 1;
        for (uint32_t i = 0; i < len; i++)
            dst[i] = src[i];
        s->pos += len;
    }
    rc_normalize(&s->rc);
    if (s->rc.pos != csize || s->rc.code != 0)
        return FAIL(XZ_EINVAL, "LZMA2: chunk's compressed size does not match its data");
    return 0;
}

int xz_lzma2_decode(struct xz_lzma_probs *probs, const uint8_t *in, size_t in_len, size_t *in_used,
                    uint8_t *out, size_t out_max, size_t *out_len, char *err, size_t errlen)
{
    struct lzma s = { .p = probs, .out = out };
    bool need_dict_reset = true, need_props = true;
    size_t ip = 0;

    for (;;) {
        if (ip >= in_len)
            return FAIL(XZ_EINVAL, "LZMA2: data truncated");
        uint8_t ctrl = in[ip++];

        if (ctrl == 0x00)
            break;
        if (ctrl >= 0xe0 || ctrl == 0x01) {
            need_props = true;
            need_dict_reset = false;
            s.dict = s.pos;
        } else if (need_dict_reset) {
            return FAIL(XZ_EINVAL, "LZMA2: first chunk does not reset the dictionary");
        }

        if (ctrl < 0x80) {
            if (ctrl > 0x02)
                return FAIL(XZ_EINVAL, "LZMA2: invalid control byte %#x", ctrl);
            if (in_len - ip < 2)
                return FAIL(XZ_EINVAL, "LZMA2: data truncated");
            size_t usize = (((size_t)in[ip] << 8) | in[ip + 1]) + 1;
            ip += 2;
            if (in_len - ip < usize)
                return FAIL(XZ_EINVAL, "LZMA2: data truncated");
            if (out_max - s.pos < usize)
                return FAIL(XZ_ENOSPC, "output buffer too small (%zu bytes)", out_max);
            memcpy(out + s.pos, in + ip, usize);
            s.pos += usize;
            ip += usize;
            continue;
        }

        size_t hdr = ctrl >= 0xc0 ? 5 : 4;
        if (in_len - ip < hdr)
            return FAIL(XZ_EINVAL, "LZMA2: data truncated");
        size_t usize = ((size_t)(ctrl & 0x1f) << 16) + ((size_t)in[ip] << 8) + in[ip + 1] + 1;
        size_t csize = ((size_t)in[ip + 2] << 8) + in[ip + 3] + 1;
        if (ctrl >= 0xc0) {
            if (!lzma_props(&s, in[ip + 4]))
                return FAIL(XZ_EINVAL, "LZMA2: invalid properties byte %#x", in[ip + 4]);
            need_props = false;
            lzma_reset(&s);
        } else if (need_props) {
            return FAIL(XZ_EINVAL, "LZMA2: chunk without properties after a dictionary reset");
        } else if (ctrl >= 0xa0) {
            lzma_reset(&s);
        }
        ip += hdr;
        if (in_len - ip < csize)
            return FAIL(XZ_EINVAL, "LZMA2: data truncated");
        if (out_max - s.pos < usize)
            return FAIL(XZ_ENOSPC, "output buffer too small (%zu bytes)", out_max);
        int rc = lzma_chunk(&s, in + ip, csize, usize, err, errlen);
        if (rc)
            return rc;
        ip += csize;
    }
    *in_used = ip;
    *out_len = s.pos;
    return 0;
}
