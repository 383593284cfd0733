/*
 * perms: xenstore node permissions.
 *
 * A node carries a list of (domid, access) pairs. The first names the
 * owner, and its access is what every domain not listed gets. The owner,
 * the owner's target (SET_TARGET, e.g. a device model stub domain acting
 * for its guest) and privileged connections (dom0) get everything.
 * On the wire each pair is a string: 'r', 'w', 'b' (both) or 'n' (none)
 * followed by the decimal domid, e.g. "n0", "r5".
 */
#ifndef PVSTORED_PERMS_H
#define PVSTORED_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERM_NONE   0x00u
#define PERM_READ   0x01u
#define PERM_WRITE  0x02u
#define PERM_OWNER  0x08u
/* Entry names a domain that has gone away: kept, never matched. */
#define PERM_IGNORE 0x10u

/* First domid the hypervisor reserves (DOMID_FIRST_RESERVED). */
#define DOMID_LIMIT 0x7ff0u

struct xs_perm {
    uint32_t id;
    uint32_t perms;
};

/* Who is asking: enough of a connection to decide access. */
struct xs_who {
    uint32_t domid;
    bool privileged;        /* dom0 / local socket: all access */
    bool has_target;
    uint32_t target;        /* SET_TARGET: acts with this domain's rights */
};

/* Access bits (PERM_READ|PERM_WRITE|PERM_OWNER) `who` has on a node with
 * these permissions (xenstored's perm_for_conn()). */
unsigned perm_for(const struct xs_who *who, const struct xs_perm *p, unsigned n);

/* Parse n wire strings laid end to end at `s` (each NUL-terminated) into
 * out[0..n). Returns 0 or EINVAL. */
int perms_parse(const char *s, unsigned n, struct xs_perm *out);

/* Format one permission as its wire string; returns the length without
 * the NUL, or 0 if buf is too small. */
size_t perm_format(const struct xs_perm *p, char *buf, size_t len);

#endif
