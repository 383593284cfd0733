/*
 * wire: the xenstore message format as libxenstore and guest kernels speak
 * it (xen/io/xs_wire.h): a 16-byte header, then up to 4096 bytes of
 * payload made of NUL-terminated strings (WRITE's data is the exception:
 * raw bytes after the path).
 *
 * Everything here is pure: no daemon state, so the fuzz target and the
 * unit tests use it directly.
 */
#ifndef PVSTORED_WIRE_H
#define PVSTORED_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <xen/io/xs_wire.h>

#define XS_HDR_LEN ((unsigned)sizeof(struct xsd_sockmsg))

/* Xen 4.17's xenstored: watch path and node name limits. */
#define XS_REL_PATH_MAX XENSTORE_REL_PATH_MAX   /* 2048 */
#define XS_ABS_PATH_MAX XENSTORE_ABS_PATH_MAX   /* 3072 */

/* Name of a message type for logs ("READ"), or NULL if unknown. */
const char *wire_type_name(uint32_t type);

/* The error name for an errno value as sent in XS_ERROR ("ENOENT"); errno
 * values without a name are sent as EINVAL, as xenstored does. */
const char *wire_error_name(int err);
/* Inverse, for clients: 0 if the name is unknown. */
int wire_error_from_name(const char *name);

/* A received request split into its NUL-terminated strings. */
#define WIRE_MAX_ARGS 8
struct wire_args {
    unsigned count;                     /* number of NUL-terminated strings */
    const char *arg[WIRE_MAX_ARGS];     /* the first WIRE_MAX_ARGS of them */
    unsigned off[WIRE_MAX_ARGS];        /* their offsets in the payload */
};

/* Count and locate the NUL-terminated strings in buf[0..len). Bytes after
 * the last NUL do not form a string (xenstored's get_strings()). */
void wire_split(const char *buf, unsigned len, struct wire_args *out);

/* The payload is exactly one string: a single NUL, at the end
 * (xenstored's onearg()). Returns it or NULL. */
const char *wire_onearg(const char *buf, unsigned len);

/* Header check done before reading a payload: returns 0 or the reason the
 * connection must be dropped (the stream cannot be resynchronised). */
const char *wire_check_header(const struct xsd_sockmsg *hdr);

#endif
