/*
 * fuzz_xs: libFuzzer target over pvstored's message handling.
 *
 * The first input byte picks how the rest is read:
 *   even: a raw byte stream fed to a connection (framing, bad lengths);
 *   odd:  records [type][tx][flags][len][payload], framed into valid
 *         headers, so the fuzzer reaches every handler quickly.
 * Each input runs on a fresh connection of a long-lived daemon, privileged
 * or a guest's (flags), against a store that persists between inputs and
 * is reset every 512 inputs. After every input the store must pass the
 * full consistency check with nothing to repair, or we abort: that turns
 * any corruption, not just crashes, into a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

static struct daemon *d;
static unsigned runs;

static void reset(void)
{
    if (d) {
        daemon_fini(d);
        free(d);
    }
    d = calloc(1, sizeof(*d));
    if (!d || daemon_init(d))
        abort();
    d->log = NULL;
}

static void drain(struct conn *c)
{
    const char *p;
    size_t len;

    while ((p = conn_out_peek(c, &len)))
        conn_out_advance(c, len);
}

static void feed(struct conn *c, const uint8_t *data, size_t size)
{
    while (size && !c->closing) {
        size_t n = conn_input(c, (const char *)data, size);

        if (!n) {
            /* Flow control: the client "reads" its replies. */
            drain(c);
            n = conn_input(c, (const char *)data, size);
            if (!n)
                break;
        }
        data += n;
        size -= n;
    }
    drain(c);
}

static void structured(struct conn *c, const uint8_t *data, size_t size)
{
    char buf[XS_HDR_LEN + XENSTORE_PAYLOAD_MAX];

    while (size >= 4 && !c->closing) {
        struct xsd_sockmsg h = {
            .type = data[0] % (XS_TYPE_COUNT + 2),
            .tx_id = data[1] % 4,
            .req_id = data[2],
        };
        size_t len = data[3] * 4u + (data[2] & 3);

        data += 4;
        size -= 4;
        if (len > size)
            len = size;
        h.len = (uint32_t)len;
        memcpy(buf, &h, XS_HDR_LEN);
        memcpy(buf + XS_HDR_LEN, data, len);
        feed(c, (const uint8_t *)buf, XS_HDR_LEN + len);
        data += len;
        size -= len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct conn *c;
    bool priv;

    if (!d || ++runs % 512 == 0)
        reset();
    if (!size)
        return 0;
    priv = !(data[0] & 2);
    c = conn_new(d, NULL, NULL, priv ? 0 : 1 + (data[0] >> 2) % 4, priv, "fuzz");
    if (!c)
        abort();
    if (data[0] & 1)
        structured(c, data + 1, size - 1);
    else
        feed(c, data + 1, size - 1);
    conn_free(c);
    if (daemon_check_store(d, stderr)) {
        fprintf(stderr, "fuzz_xs: store inconsistent after this input\n");
        abort();
    }
    return 0;
}
