/*
 * Xen 4.17 public ABI: grant tables.
 *
 * A domain grants another domain access to one of its pages by filling an
 * entry of its grant table (shared memory, no hypercall); the grantee then
 * maps or copies through the grant reference with the operations below.
 *
 * HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
 *   cmd  GNTTABOP_*; uop  an array of @count structs of that command.
 *   Out: 0 when the batch was processed; the per-item result is in each
 *        item's status (GNTST_*), not in the return value.
 *   Errors: -ENOSYS unknown cmd; -EFAULT uop unreadable or unwritable;
 *           -EINVAL count too large for the command (some commands take
 *           exactly one item).
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/grant_table.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_GRANT_TABLE_H
#define PVABI_GRANT_TABLE_H

#include "xen.h"

#ifndef __ASSEMBLER__

typedef uint32_t grant_ref_t;

/*
 * Version 1 entry. The granting domain writes domid and frame, then (after
 * a write barrier) flags; to revoke it clears flags with a compare-exchange
 * that fails while the hypervisor has GTF_reading/GTF_writing set.
 */
struct grant_entry_v1 {
    uint16_t flags;     /* GTF_*                                         */
    domid_t  domid;     /* the grantee                                   */
    uint32_t frame;     /* the granted frame (or the transfer target)    */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

#endif /* !__ASSEMBLER__ */

/* Entries the toolstack fills for the console and xenstore pages. */
#define GNTTAB_NR_RESERVED_ENTRIES     8
#define GNTTAB_RESERVED_CONSOLE        0
#define GNTTAB_RESERVED_XENSTORE       1

/* Entry types (flags bits 1:0). */
#define GTF_invalid         (0U << 0)   /* not in use                       */
#define GTF_permit_access   (1U << 0)   /* domid may map/copy frame         */
#define GTF_accept_transfer (2U << 0)   /* domid may transfer a page here   */
#define GTF_transitive      (3U << 0)   /* v2: re-grant of another grant    */
#define GTF_type_mask       (3U << 0)

/* GTF_permit_access flags; reading/writing are set by the hypervisor. */
#define _GTF_readonly       (2)
#define GTF_readonly        (1U << _GTF_readonly)
#define _GTF_reading        (3)
#define GTF_reading         (1U << _GTF_reading)
#define _GTF_writing        (4)
#define GTF_writing         (1U << _GTF_writing)
#define _GTF_PWT            (5)
#define GTF_PWT             (1U << _GTF_PWT)
#define _GTF_PCD            (6)
#define GTF_PCD             (1U << _GTF_PCD)
#define _GTF_PAT            (7)
#define GTF_PAT             (1U << _GTF_PAT)
#define _GTF_sub_page       (8)
#define GTF_sub_page        (1U << _GTF_sub_page)

/* GTF_accept_transfer flags. */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

#ifndef __ASSEMBLER__

/* Version 2 entries: a common header, then per-type data; the status bits
 * (reading/writing) live in a separate status table. */
struct grant_entry_header {
    uint16_t flags;
    domid_t  domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
    grant_entry_header_t hdr;
    struct {                            /* whole-page access or transfer */
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {                            /* bytes [page_off, +length)     */
        grant_entry_header_t hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {                            /* grant gref of trans_domid     */
        grant_entry_header_t hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];               /* 16 bytes                      */
};
typedef union grant_entry_v2 grant_entry_v2_t;

typedef uint16_t grant_status_t;

#endif /* !__ASSEMBLER__ */

#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version          10
#define GNTTABOP_swap_grant_ref	      11
#define GNTTABOP_cache_flush	      12

#ifndef __ASSEMBLER__

typedef uint32_t grant_handle_t;

/*
 * GNTTABOP_map_grant_ref
 * In:  host_addr  the virtual address to map at, or with
 *      GNTMAP_contains_pte the machine address of the PTE to write;
 *      flags  GNTMAP_*; ref, dom  the grant.
 * Out: status  GNTST_*; handle  for unmap; dev_bus_addr  for device maps.
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;                 /* in  */
    uint32_t flags;                     /* in: GNTMAP_* */
    grant_ref_t ref;                    /* in  */
    domid_t  dom;                       /* in  */
    int16_t  status;                    /* out: GNTST_* */
    grant_handle_t handle;              /* out */
    uint64_t dev_bus_addr;              /* out */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

/*
 * GNTTABOP_unmap_grant_ref
 * In:  host_addr / dev_bus_addr  as mapped (0 for none), handle.
 * Out: status.
 */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;                 /* in  */
    uint64_t dev_bus_addr;              /* in  */
    grant_handle_t handle;              /* in  */
    int16_t  status;                    /* out */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/*
 * GNTTABOP_setup_table (count 1)
 * In:  dom (DOMID_SELF unless privileged), nr_frames  wanted table size.
 * Out: status; frame_list  the frames of the table (grows it if needed)
 *      for the caller to map. GNTST_general_error if nr_frames exceeds
 *      the maximum.
 */
struct gnttab_setup_table {
    domid_t  dom;                       /* in  */
    uint32_t nr_frames;                 /* in  */
    int16_t  status;                    /* out */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;     /* out */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* GNTTABOP_dump_table (count 1): print the table on the hypervisor
 * console. In: dom. Out: status. */
struct gnttab_dump_table {
    domid_t dom;                        /* in  */
    int16_t status;                     /* out */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/* GNTTABOP_transfer: give page @mfn to @domid through its
 * GTF_accept_transfer entry @ref. Out: status. */
struct gnttab_transfer {
    xen_pfn_t     mfn;                  /* in  */
    domid_t       domid;                /* in  */
    grant_ref_t   ref;                  /* in  */
    int16_t       status;               /* out */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);

/*
 * GNTTABOP_copy: copy @len bytes between two pages, each named by a grant
 * (GNTCOPY_*_gref) or by a GMFN of the caller; neither side may cross its
 * page. Out: status (GNTST_bad_copy_arg for a crossing).
 */
#define _GNTCOPY_source_gref      (0)
#define GNTCOPY_source_gref       (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref        (1)
#define GNTCOPY_dest_gref         (1 << _GNTCOPY_dest_gref)

struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;
            xen_pfn_t   gmfn;
        } u;
        domid_t  domid;
        uint16_t offset;
    } source, dest;                     /* in  */
    uint16_t      len;                  /* in  */
    uint16_t      flags;                /* in: GNTCOPY_* */
    int16_t       status;               /* out */
};
typedef struct gnttab_copy  gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/* GNTTABOP_query_size (count 1). In: dom. Out: nr_frames, max_nr_frames,
 * status. */
struct gnttab_query_size {
    domid_t  dom;                       /* in  */
    uint32_t nr_frames;                 /* out */
    uint32_t max_nr_frames;             /* out */
    int16_t  status;                    /* out */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/* GNTTABOP_unmap_and_replace: unmap the grant at host_addr and move the
 * mapping at new_addr there (new_addr is then cleared). Out: status. */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;                 /* in  */
    uint64_t new_addr;                  /* in  */
    grant_handle_t handle;              /* in  */
    int16_t  status;                    /* out */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/*
 * GNTTABOP_set_version (count 1): switch the caller's table to version 1
 * or 2 (only while no grant is in use). Out: version  the version now in
 * force. Errors: -EINVAL bad version; -EBUSY grants in use; -EACCES the
 * version is not allowed for this domain.
 */
struct gnttab_set_version {
    uint32_t version;                   /* in/out */
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/* GNTTABOP_get_status_frames (count 1, v2 only): the status frames. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;                 /* in  */
    domid_t  dom;                       /* in  */
    int16_t  status;                    /* out */
    XEN_GUEST_HANDLE(uint64_t) frame_list;      /* out */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);

/* GNTTABOP_get_version (count 1). In: dom. Out: version. */
struct gnttab_get_version {
    domid_t dom;                        /* in  */
    uint16_t pad;
    uint32_t version;                   /* out */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

/* GNTTABOP_swap_grant_ref: swap two unused entries. Out: status. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;                  /* in  */
    grant_ref_t ref_b;                  /* in  */
    int16_t status;                     /* out */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/* GNTTABOP_cache_flush (Arm): clean/invalidate a granted range. */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;                    /* from the start of the grant */
    uint16_t length;                    /* bytes within the grant      */
#define GNTTAB_CACHE_CLEAN          (1u << 0)
#define GNTTAB_CACHE_INVAL          (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF    (1u << 31)
    uint32_t op;
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);

#endif /* !__ASSEMBLER__ */

/* GNTTABOP_map_grant_ref flags. */
#define _GNTMAP_device_map      (0)     /* for device (DMA) access        */
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map        (1)     /* for CPU access                 */
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly        (2)     /* read-only mapping              */
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)     /* host map usable from user mode */
#define GNTMAP_application_map  (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte    (4)     /* host_addr is a PTE's address   */
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)
/* Bits 16 up are copied into the PTE's software-available bits. */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-item status values. */
#define GNTST_okay             (0)      /* done                              */
#define GNTST_general_error    (-1)     /* undefined error                   */
#define GNTST_bad_domain       (-2)     /* unknown domain                    */
#define GNTST_bad_gntref       (-3)     /* bad grant reference               */
#define GNTST_bad_handle       (-4)     /* bad mapping handle                */
#define GNTST_bad_virt_addr    (-5)     /* bad virtual address               */
#define GNTST_bad_dev_addr     (-6)     /* bad device address                */
#define GNTST_no_device_space  (-7)     /* no I/O MMU space                  */
#define GNTST_permission_denied (-8)    /* not permitted                     */
#define GNTST_bad_page         (-9)     /* bad page                          */
#define GNTST_bad_copy_arg    (-10)     /* copy crosses a page boundary      */
#define GNTST_address_too_big (-11)     /* transfer address too large        */
#define GNTST_eagain          (-12)     /* not done; try again               */
#define GNTST_no_space        (-13)     /* out of space (handles ...)        */

/* Texts for -GNTST_* (index by the negated status). */
#define GNTTABOP_error_msgs {                   \
    "okay",                                     \
    "undefined error",                          \
    "unrecognised domain id",                   \
    "invalid grant reference",                  \
    "invalid mapping handle",                   \
    "invalid virtual address",                  \
    "invalid device address",                   \
    "no spare translation slot in the I/O MMU", \
    "permission denied",                        \
    "bad page",                                 \
    "copy arguments cross page boundary",       \
    "page address size too large",              \
    "operation not done; try again",            \
    "out of space",                             \
}

#endif /* PVABI_GRANT_TABLE_H */
