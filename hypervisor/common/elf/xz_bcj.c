/*
 * The x86 BCJ filter, decoding direction. The encoder turned the relative
 * 32-bit targets of E8 (call) and E9 (jmp) instructions into absolute ones
 * so that repeated calls to one function compress well; this turns them
 * back. Which E8/E9 bytes were converted is decided by the same heuristic
 * the encoder used, replayed over the decoded bytes: a target is converted
 * only if its top byte is 00 or FF, and a recent E8/E9 in the previous
 * three bytes (tracked as a 3-bit mask) may veto it, or make the converted
 * value itself be re-tested byte by byte.
 *
 * Run once over a block's whole output this gives the same bytes as a
 * streaming decoder: the last four bytes, which cannot hold a complete
 * instruction operand, stay as they are.
 */
#include "xz_private.h"
#include "kimage.h"

static inline bool top_byte_ok(uint8_t b)
{
    return b == 0x00 || b == 0xff;
}

void xz_bcj_x86(uint8_t *buf, size_t size, uint32_t start)
{
    /* For each mask of recent E8/E9 positions: may a conversion happen,
     * and which operand byte decides it. */
    static const bool mask_allowed[8] = { true, true, true, false, true, false, false, false };
    static const uint8_t mask_byte[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    size_t prev_pos = (size_t)-1;
    uint32_t prev_mask = 0;

    if (size < 5)
        return;
    for (size_t i = 0; i < size - 4; i++) {
        if ((buf[i] & 0xfe) != 0xe8)
            continue;

        size_t gap = i - prev_pos;
        if (gap > 3) {
            prev_mask = 0;
        } else {
            prev_mask = (prev_mask << (gap - 1)) & 7;
            if (prev_mask && (!mask_allowed[prev_mask] || top_byte_ok(buf[i + 4 - mask_byte[prev_mask]]))) {
                prev_pos = i;
                prev_mask = (prev_mask << 1) | 1;
                continue;
            }
        }
        prev_pos = i;

        if (!top_byte_ok(buf[i + 4])) {
            prev_mask = (prev_mask << 1) | 1;
            continue;
        }

        uint32_t src = get_le32(buf + i + 1), dest;
        for (;;) {
            dest = src - (start + (uint32_t)i + 5);
            if (prev_mask == 0)
                break;
            unsigned int shift = mask_byte[prev_mask] * 8;
            if (!top_byte_ok((uint8_t)(dest >> (24 - shift))))
                break;
            src = dest ^ ((1u << (32 - shift)) - 1);
        }
        /* Sign-extend from bit 24: the top byte becomes 00 or FF again. */
        dest &= 0x01ffffff;
        dest |= 0u - (dest & 0x01000000);
        put_le32(buf + i + 1, dest);
        i += 4;
    }
}
