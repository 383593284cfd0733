/*
 * Xen 4.17 public ABI: version and feature queries.
 *
 * HYPERVISOR_xen_version(int cmd, void *arg)
 *   cmd  XENVER_*; arg  as listed per command.
 *   Errors common to all: -ENOSYS unknown cmd; -EFAULT arg unwritable.
 *   Unprivileged domains may see "<denied>" in some strings.
 *   XENVER_version with arg NULL is also how a guest forces pending event
 *   delivery after unmasking (any hypercall return delivers events).
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/version.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_VERSION_H
#define PVABI_VERSION_H

#include "xen.h"

/* XENVER_version (NULL). Out: major << 16 | minor. */
#define XENVER_version      0

/* XENVER_extraversion (xen_extraversion_t). Out: 0; e.g. ".7". */
#define XENVER_extraversion 1
#ifndef __ASSEMBLER__
typedef char xen_extraversion_t[16];
#endif
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* XENVER_compile_info (struct xen_compile_info). Out: 0. */
#define XENVER_compile_info 2
#ifndef __ASSEMBLER__
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
#endif

/* XENVER_capabilities (xen_capabilities_info_t). Out: 0; a space
 * separated list such as "xen-3.0-x86_64 hvm-3.0-x86_64 ...". */
#define XENVER_capabilities 3
#ifndef __ASSEMBLER__
typedef char xen_capabilities_info_t[1024];
#endif
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* XENVER_changeset (xen_changeset_info_t). Out: 0; the source revision. */
#define XENVER_changeset 4
#ifndef __ASSEMBLER__
typedef char xen_changeset_info_t[64];
#endif
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* XENVER_platform_parameters (struct xen_platform_parameters). Out: 0;
 * virt_start  the lowest address of the hypervisor's reserved range. */
#define XENVER_platform_parameters 5
#ifndef __ASSEMBLER__
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
#endif

/*
 * XENVER_get_features (struct xen_feature_info)
 * In:  submap_idx  which 32-bit submap (< XENFEAT_NR_SUBMAPS).
 * Out: submap  bit n set if feature 32 * submap_idx + n (XENFEAT_*) is
 *      available to the caller. Errors: -EINVAL submap_idx too large.
 */
#define XENVER_get_features 6
#ifndef __ASSEMBLER__
struct xen_feature_info {
    unsigned int submap_idx;    /* in  */
    uint32_t     submap;        /* out */
};
typedef struct xen_feature_info xen_feature_info_t;
#endif

#include "features.h"

/* XENVER_pagesize (NULL). Out: the page size, 4096. */
#define XENVER_pagesize 7

/* XENVER_guest_handle (xen_domain_handle_t). Out: 0; the domain's handle
 * (the toolstack's UUID for it; zero for dom0). */
#define XENVER_guest_handle 8

/* XENVER_commandline (xen_commandline_t). Out: 0; the hypervisor's
 * command line. Privileged. */
#define XENVER_commandline 9
#ifndef __ASSEMBLER__
typedef char xen_commandline_t[1024];
#endif

/*
 * XENVER_build_id (struct xen_build_id)
 * In:  len  size of buf. Out: the number of bytes written, or with a NULL
 *      arg the size of the build id. Errors: -ENOBUFS buf too small;
 *      -ENODATA no build id; -EPERM not privileged.
 */
#define XENVER_build_id 10
#ifndef __ASSEMBLER__
struct xen_build_id {
    uint32_t      len;                          /* in: size of buf[] */
    unsigned char buf[XEN_FLEX_ARRAY_DIM];      /* out               */
};
typedef struct xen_build_id xen_build_id_t;
#endif

#endif /* PVABI_VERSION_H */
