/*
 * Xen 4.17 public ABI: the xenstore wire protocol and its shared ring.
 *
 * A message is a struct xsd_sockmsg header followed by len (at most
 * XENSTORE_PAYLOAD_MAX) bytes of payload, usually NUL-terminated strings.
 * Errors come back as XS_ERROR with the errno name ("ENOENT") as payload.
 * On a guest's ring page (struct xenstore_domain_interface) requests go
 * through req[] and replies and watch events through rsp[], with
 * free-running indexes as in io/console.h.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/io/xs_wire.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_IO_XS_WIRE_H
#define PVABI_IO_XS_WIRE_H

#include <stdint.h>

enum xsd_sockmsg_type
{
    XS_CONTROL,                 /* 0: debug/control commands      */
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY,               /* 1 */
    XS_READ,                    /* 2 */
    XS_GET_PERMS,               /* 3 */
    XS_WATCH,                   /* 4: "path\0token\0"             */
    XS_UNWATCH,                 /* 5 */
    XS_TRANSACTION_START,       /* 6 */
    XS_TRANSACTION_END,         /* 7: "T\0" commit, "F\0" abort   */
    XS_INTRODUCE,               /* 8 */
    XS_RELEASE,                 /* 9 */
    XS_GET_DOMAIN_PATH,         /* 10 */
    XS_WRITE,                   /* 11 */
    XS_MKDIR,                   /* 12 */
    XS_RM,                      /* 13 */
    XS_SET_PERMS,               /* 14 */
    XS_WATCH_EVENT,             /* 15: "path\0token\0"            */
    XS_ERROR,                   /* 16: "ENAME\0"                  */
    XS_IS_DOMAIN_INTRODUCED,    /* 17 */
    XS_RESUME,                  /* 18 */
    XS_SET_TARGET,              /* 19 */
    /* 20 was XS_RESTRICT, now removed */
    XS_RESET_WATCHES = XS_SET_TARGET + 2,   /* 21 */
    XS_DIRECTORY_PART,          /* 22 */

    XS_TYPE_COUNT,              /* number of valid types          */

    XS_INVALID = 0xffff         /* never a valid type             */
};

/* Legacy XS_WRITE flags. */
#define XS_WRITE_NONE "NONE"
#define XS_WRITE_CREATE "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/* Errors travel as their names. The table needs the C library's errno
 * values, so it exists only where <errno.h> was included first. */
struct xsd_errors
{
    int errnum;
    const char *errstring;
};
#ifdef EINVAL
#define XSD_ERROR(x) { x, #x }
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    /* New errors are only ever added at the end. */
    XSD_ERROR(EINVAL),
    XSD_ERROR(EACCES),
    XSD_ERROR(EEXIST),
    XSD_ERROR(EISDIR),
    XSD_ERROR(ENOENT),
    XSD_ERROR(ENOMEM),
    XSD_ERROR(ENOSPC),
    XSD_ERROR(EIO),
    XSD_ERROR(ENOTEMPTY),
    XSD_ERROR(ENOSYS),
    XSD_ERROR(EROFS),
    XSD_ERROR(EBUSY),
    XSD_ERROR(EAGAIN),
    XSD_ERROR(EISCONN),
    XSD_ERROR(E2BIG),
    XSD_ERROR(EPERM),
};
#endif

struct xsd_sockmsg
{
    uint32_t type;              /* XS_*                                   */
    uint32_t req_id;            /* echoed in the reply                    */
    uint32_t tx_id;             /* transaction id, 0 for none             */
    uint32_t len;               /* payload bytes that follow              */
};

/* Fields of an XS_WATCH_EVENT payload. */
enum xs_watch_type
{
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];       /* requests to the daemon        */
    char rsp[XENSTORE_RING_SIZE];       /* replies and watch events      */
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;           /* XENSTORE_SERVER_FEATURE_*     */
    uint32_t connection;                /* XENSTORE_CONNECTED/_RECONNECT */
    uint32_t error;                     /* XENSTORE_ERROR_*              */
};

/* Longer payloads are a protocol violation. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longer paths get an error reply. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

#define XENSTORE_SERVER_FEATURE_RECONNECTION 1  /* ring can be reconnected */
#define XENSTORE_SERVER_FEATURE_ERROR        2  /* the error field exists  */

#define XENSTORE_CONNECTED 0    /* steady state             */
#define XENSTORE_RECONNECT 1    /* reconnection in progress */

#define XENSTORE_ERROR_NONE    0        /* no error                       */
#define XENSTORE_ERROR_COMM    1        /* communication problem          */
#define XENSTORE_ERROR_RINGIDX 2        /* invalid ring index             */
#define XENSTORE_ERROR_PROTO   3        /* protocol violation             */

#endif /* PVABI_IO_XS_WIRE_H */
