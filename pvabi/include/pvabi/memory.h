/*
 * Xen 4.17 public ABI: memory reservation and physmap operations.
 *
 * HYPERVISOR_memory_op(unsigned int cmd, void *arg)
 *   cmd  XENMEM_* in bits 5:0 (higher bits are the hypervisor's
 *        continuation state: callers pass 0 there); arg  as listed.
 *   Errors common to all: -ENOSYS unknown cmd; -EFAULT arg unreadable or
 *   unwritable; -ESRCH unknown domid; -EPERM not allowed for that domain.
 *
 * Pavise's own definitions; names and layout follow Xen's public/memory.h
 * (the parts visible to guests; tools-only operations are left out).
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_MEMORY_H
#define PVABI_MEMORY_H

#include "xen.h"
#include "physdev.h"

/*
 * XENMEM_increase_reservation, XENMEM_decrease_reservation,
 * XENMEM_populate_physmap (struct xen_memory_reservation)
 *   increase: allocate nr_extents extents of 2^extent_order pages; their
 *     MFNs are written to extent_start (may be NULL).
 *   decrease: free the extents whose first GMFNs are in extent_start.
 *   populate: back the PFNs in extent_start with new memory and write the
 *     GMFNs back (also updates the M2P).
 * Out: the number of extents done (less than nr_extents on a partial
 *      failure). Errors: -EFAULT, -ESRCH, -EPERM as above.
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* mem_flags: maximum address width, NUMA node, and PoD/exact-node flags. */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)     (((x) + 1) << 8)
#define XENMEMF_get_node(x) ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)
#define XENMEMF_exact_node(n) (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode  (1 << 18)

#ifndef __ASSEMBLER__
struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* see above             */
    xen_ulong_t    nr_extents;
    unsigned int   extent_order;                /* log2 pages per extent */
    unsigned int   mem_flags;                   /* XENMEMF_*             */
    domid_t        domid;                       /* DOMID_SELF unless priv */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
#endif

/*
 * XENMEM_exchange (struct xen_memory_exchange): free the extents of @in
 * and allocate @out in their place (same total size, same domain, lists
 * not overlapping); out.extent_start gets the new GMFNs.
 * Out: 0; nr_exchanged (which the caller must zero) counts the input
 *      extents done. Errors: -EINVAL inconsistent sizes or domains;
 *      -ENOMEM no memory meeting out.mem_flags.
 */
#define XENMEM_exchange             11

#ifndef __ASSEMBLER__
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);
#endif

/* XENMEM_maximum_ram_page (NULL). Out: the highest machine frame number. */
#define XENMEM_maximum_ram_page     2

#ifndef __ASSEMBLER__
struct xen_memory_domain {
    domid_t domid;              /* in */
};
#endif

/*
 * XENMEM_current_reservation, XENMEM_maximum_reservation (domid_t *):
 * Out: the domain's current / maximum number of pages.
 */
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4

/* XENMEM_maximum_gpfn (domid_t *). Out: the highest GPFN in use. */
#define XENMEM_maximum_gpfn         14

/*
 * XENMEM_machphys_mfn_list (struct xen_machphys_mfn_list): the MFNs of the
 * M2P table, one per 2 MiB (0 for a gap). Out: 0; nr_extents entries were
 * written (at most max_extents).
 */
#define XENMEM_machphys_mfn_list    5

#ifndef __ASSEMBLER__
struct xen_machphys_mfn_list {
    unsigned int max_extents;                   /* in  */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* out */
    unsigned int nr_extents;                    /* out */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);
#endif

/* XENMEM_machphys_compat_mfn_list: the same for the 32-bit guests' M2P. */
#define XENMEM_machphys_compat_mfn_list     25

/*
 * XENMEM_machphys_mapping (struct xen_machphys_mapping, out): where the
 * read-only M2P is mapped and the largest MFN it can translate. Out: 0.
 */
#define XENMEM_machphys_mapping     12

#ifndef __ASSEMBLER__
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;                 /* virtual range  */
    xen_ulong_t max_mfn;                        /* largest MFN    */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);
#endif

/* Sources for add_to_physmap. */
#define XENMAPSPACE_shared_info  0  /* the shared-info page              */
#define XENMAPSPACE_grant_table  1  /* a grant-table frame               */
#define XENMAPSPACE_gmfn         2  /* one of the domain's own GMFNs     */
#define XENMAPSPACE_gmfn_range   3  /* a GMFN range (add_to_physmap)     */
#define XENMAPSPACE_gmfn_foreign 4  /* another domain's GMFN (batch)     */
#define XENMAPSPACE_dev_mmio     5  /* device MMIO (Arm only)            */

/*
 * XENMEM_add_to_physmap (struct xen_add_to_physmap): map a page of @space
 * at @gpfn of a translated (HVM/PVH) domain. PV guests get -EACCES... the
 * exact refusal is checked by the test guests.
 */
#define XENMEM_add_to_physmap      7

#ifndef __ASSEMBLER__
struct xen_add_to_physmap {
    domid_t domid;
    uint16_t    size;           /* pages, for XENMAPSPACE_gmfn_range */
    unsigned int space;         /* XENMAPSPACE_*                     */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t idx;            /* index within the space            */
    xen_pfn_t     gpfn;         /* where it should appear            */
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);
#endif

/* XENMEM_add_to_physmap_batch (struct xen_add_to_physmap_batch): the
 * same for a list; errs[] gets a result per index. */
#define XENMEM_add_to_physmap_batch 23

#ifndef __ASSEMBLER__
struct xen_add_to_physmap_batch {
    domid_t domid;
    uint16_t space;             /* XENMAPSPACE_*                       */
    uint16_t size;              /* number of entries                   */
    union xen_add_to_physmap_batch_extra {
        domid_t foreign_domid;  /* XENMAPSPACE_gmfn_foreign            */
        uint16_t res0;          /* other spaces: zero                  */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
    XEN_GUEST_HANDLE(int) errs;                 /* out */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);
#endif

/* XENMEM_remove_from_physmap (struct xen_remove_from_physmap): unmap the
 * page at @gpfn of a translated domain. */
#define XENMEM_remove_from_physmap      15

#ifndef __ASSEMBLER__
struct xen_remove_from_physmap {
    domid_t domid;
    xen_pfn_t     gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);
#endif

/*
 * XENMEM_memory_map (struct xen_memory_map): the caller's pseudo-physical
 * E820 map (20-byte entries). In: nr_entries = capacity of buffer.
 * Out: 0; nr_entries = entries written.
 * XENMEM_machine_memory_map (struct xen_memory_map; privileged): the host
 * E820 map, the same way.
 */
#define XENMEM_memory_map           9
#define XENMEM_machine_memory_map   10

#ifndef __ASSEMBLER__
struct xen_memory_map {
    unsigned int nr_entries;            /* in: capacity; out: written */
    XEN_GUEST_HANDLE(void) buffer;      /* E820 entries               */
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);
#endif

/* XENMEM_set_memory_map (struct xen_foreign_memory_map; privileged): set
 * another domain's pseudo-physical E820 map. */
#define XENMEM_set_memory_map       13

#ifndef __ASSEMBLER__
struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);
#endif

/* XENMEM_set_pod_target, XENMEM_get_pod_target (struct xen_pod_target;
 * privileged): populate-on-demand targets of HVM domains. */
#define XENMEM_set_pod_target       16
#define XENMEM_get_pod_target       17

#ifndef __ASSEMBLER__
struct xen_pod_target {
    uint64_t target_pages;      /* in  */
    uint64_t tot_pages;         /* out */
    uint64_t pod_cache_pages;   /* out */
    uint64_t pod_entries;       /* out */
    domid_t domid;              /* in  */
};
typedef struct xen_pod_target xen_pod_target_t;
#endif

/*
 * XENMEM_acquire_resource (struct xen_mem_acquire_resource): frames of a
 * resource of another domain (its grant table, an ioreq server, trace
 * buffers) for a privileged caller to map. With frame_list NULL and
 * nr_frames 0, nr_frames returns the resource's size. A PV caller gets
 * MFNs in frame_list. Errors: -EINVAL bad type/id/frame range;
 *         -EOPNOTSUPP unsupported resource; -E2BIG too many frames.
 */
#define XENMEM_acquire_resource 28

#ifndef __ASSEMBLER__
struct xen_mem_acquire_resource {
    domid_t domid;                              /* in: owner            */
    uint16_t type;                              /* in: resource type    */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table 1
#define XENMEM_resource_vmtrace_buf 2
    uint32_t id;                                /* in: type-specific id */
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
    uint32_t nr_frames;                         /* in/out               */
    uint32_t pad;                               /* must be zero         */
    uint64_t frame;                             /* in: first frame      */
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;     /* in/out               */
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);
#endif

/*
 * XENMEM_get_vnumainfo (struct xen_vnuma_topology_info): the domain's
 * virtual NUMA layout. Errors: -EOPNOTSUPP no vNUMA configured; -ENOBUFS
 * arrays too small (the counts are updated to the sizes needed).
 */
#define XENMEM_get_vnumainfo                26

#ifndef __ASSEMBLER__
struct xen_vmemrange {
    uint64_t start, end;
    unsigned int flags;
    unsigned int nid;
};
typedef struct xen_vmemrange xen_vmemrange_t;
DEFINE_XEN_GUEST_HANDLE(xen_vmemrange_t);

struct xen_vnuma_topology_info {
    domid_t domid;                              /* in     */
    uint16_t pad;
    unsigned int nr_vnodes;                     /* in/out */
    unsigned int nr_vcpus;                      /* in/out */
    unsigned int nr_vmemranges;                 /* in/out */
    union {
        XEN_GUEST_HANDLE(uint) h;
        uint64_t pad;
    } vdistance;                                /* out    */
    union {
        XEN_GUEST_HANDLE(uint) h;
        uint64_t pad;
    } vcpu_to_vnode;                            /* out    */
    union {
        XEN_GUEST_HANDLE(xen_vmemrange_t) h;
        uint64_t pad;
    } vmemrange;                                /* out    */
};
typedef struct xen_vnuma_topology_info xen_vnuma_topology_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_vnuma_topology_info_t);
#endif

#endif /* PVABI_MEMORY_H */
