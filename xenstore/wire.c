/* wire: message names, error names, argument splitting (see wire.h). */
#include <string.h>

#include "wire.h"

static const char *const type_names[XS_TYPE_COUNT] = {
    [XS_CONTROL] = "CONTROL",
    [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS",
    [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE",
    [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS",
    [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR",
    [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME",
    [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

const char *wire_type_name(uint32_t type)
{
    return type < XS_TYPE_COUNT ? type_names[type] : NULL;
}

const char *wire_error_name(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return "EINVAL";
}

int wire_error_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (!strcmp(xsd_errors[i].errstring, name))
            return xsd_errors[i].errnum;
    return 0;
}

void wire_split(const char *buf, unsigned len, struct wire_args *out)
{
    unsigned off = 0;

    out->count = 0;
    while (off < len) {
        const char *nul = memchr(buf + off, 0, len - off);

        if (!nul)
            break;
        if (out->count < WIRE_MAX_ARGS) {
            out->arg[out->count] = buf + off;
            out->off[out->count] = off;
        }
        out->count++;
        off = (unsigned)(nul - buf) + 1;
    }
}

const char *wire_onearg(const char *buf, unsigned len)
{
    if (!len || memchr(buf, 0, len) != buf + len - 1)
        return NULL;
    return buf;
}

const char *wire_check_header(const struct xsd_sockmsg *hdr)
{
    if (hdr->len > XENSTORE_PAYLOAD_MAX)
        return "payload length over 4096";
    return NULL;
}
