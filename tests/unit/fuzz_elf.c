/*
 * libFuzzer target over the kernel-image front end: every input goes
 * through bzimage_probe, elf_parse (and elf_load into a bounded fake guest
 * when it parses), and xz_decode into a bounded buffer. AddressSanitizer
 * catches any read or write outside the input or the buffers.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <pavise/elf.h>
#include <pavise/xz.h>
#include <pavise/bzimage.h>

#define GUEST_SIZE  (4u << 20)
#define XZ_OUT_MAX  (8u << 20)

static uint8_t guest[GUEST_SIZE];
static struct xz_workspace ws;

/* Guest-physical [0, 4 MiB) exists; loads elsewhere are refused. */
static void *fuzz_map(void *ctx, uint64_t paddr, size_t len)
{
    (void)ctx;
    if (paddr >= GUEST_SIZE || len > GUEST_SIZE - paddr)
        return NULL;
    return guest + paddr;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *out;
    char err[160];
    struct elf_info info;
    struct bzimage_info bi;
    struct xz_result res;

    if (!out)
        out = malloc(XZ_OUT_MAX);

    if (bzimage_probe(data, size, &bi, err, sizeof(err)) == 0 && bi.format == BZ_PAYLOAD_XZ)
        xz_decode(bi.payload, bi.payload_len, out, XZ_OUT_MAX, &ws, &res, err, sizeof(err));

    if (elf_parse(data, size, &info, err, sizeof(err)) == 0) {
        struct elf_dest dest = { fuzz_map, NULL };
        elf_xen_check_role(&info, true, err, sizeof(err));
        elf_load(&info, &dest, err, sizeof(err));
    }

    /* Small output buffers exercise the -ENOSPC paths too. */
    size_t max = size ? (size_t)data[size - 1] << 12 : 0;
    if (xz_decode(data, size, out, max, &ws, &res, err, sizeof(err)) == 0 && res.out_len > max)
        abort();
    return 0;
}
