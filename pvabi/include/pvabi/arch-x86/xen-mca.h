/*
 * Xen 4.17 public ABI: machine-check architecture hypercall (x86).
 *
 * HYPERVISOR_mca(struct xen_mc *op)    (hypercall __HYPERVISOR_arch_0)
 *   Privileged (the hardware domain). op->interface_version must be
 *   XEN_MCA_INTERFACE_VERSION.
 *   Errors: -EFAULT op unreadable/unwritable; -EPERM unprivileged caller;
 *   -EACCES interface version mismatch; -EINVAL unknown cmd or bad
 *   arguments of a known one.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/arch-x86/xen-mca.h. Checked against /usr/include/xen at build
 * time.
 */
#ifndef PVABI_ARCH_X86_XEN_MCA_H
#define PVABI_ARCH_X86_XEN_MCA_H

#include "../xen.h"

#define __HYPERVISOR_mca __HYPERVISOR_arch_0

#define XEN_MCA_INTERFACE_VERSION 0x01ecc003

/* XEN_MC_fetch flags. In: */
#define XEN_MC_NONURGENT  0x0001
#define XEN_MC_URGENT     0x0002
#define XEN_MC_ACK        0x0004
/* Out: */
#define XEN_MC_OK           0x0
#define XEN_MC_FETCHFAILED  0x1
#define XEN_MC_NODATA       0x2
#define XEN_MC_NOMATCH      0x4
#define XEN_MC_CANNOTHANDLE 0x8
#define XEN_MC_NOTDELIVERED 0x10

#define XEN_MC_VCPUID_INVALID 0xffff

#ifndef __ASSEMBLER__

/* The dom0-global VIRQ that announces new telemetry. */
#define VIRQ_MCA VIRQ_ARCH_0

/* A telemetry buffer: mi_nentries records of struct mcinfo_* (not
 * described here: Pavise never has telemetry to hand out). */
#define MCINFO_MAXSIZE 768
struct mc_info {
    uint32_t mi_nentries;
    uint32_t flags;
    uint64_t mi_data[(MCINFO_MAXSIZE - 1) / 8];
};
typedef struct mc_info mc_info_t;
DEFINE_XEN_GUEST_HANDLE(mc_info_t);

#define __MC_MSR_ARRAYSIZE 8
#define MC_NCAPS        7       /* CPU feature words in mc_cpu_caps */
#define MC_CAPS_STD_EDX 0       /* CPUID 1 EDX */
#define MC_CAPS_AMD_EDX 1       /* CPUID 0x80000001 EDX */
#define MC_CAPS_TM      2
#define MC_CAPS_LINUX   3
#define MC_CAPS_STD_ECX 4       /* CPUID 1 ECX */
#define MC_CAPS_VIA     5
#define MC_CAPS_AMD_ECX 6       /* CPUID 0x80000001 ECX */

struct mcinfo_msr {
    uint64_t reg;
    uint64_t value;
};
typedef struct mcinfo_msr xen_mcinfo_msr_t;

/* One physical CPU as XEN_MC_physcpuinfo describes it. */
struct mcinfo_logical_cpu {
    uint32_t mc_cpunr;
    uint32_t mc_chipid;
    uint16_t mc_coreid;
    uint16_t mc_threadid;
    uint32_t mc_apicid;
    uint32_t mc_clusterid;
    uint32_t mc_ncores;
    uint32_t mc_ncores_active;
    uint32_t mc_nthreads;
    int32_t mc_cpuid_level;
    uint32_t mc_family;
    uint32_t mc_vendor;
    uint32_t mc_model;
    uint32_t mc_step;
    char mc_vendorid[16];
    char mc_brandid[64];
    uint32_t mc_cpu_caps[MC_NCAPS];
    uint32_t mc_cache_size;
    uint32_t mc_cache_alignment;
    int32_t mc_nmsrvals;
    xen_mcinfo_msr_t mc_msrvalues[__MC_MSR_ARRAYSIZE];
};
typedef struct mcinfo_logical_cpu xen_mc_logical_cpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_logical_cpu_t);

/*
 * XEN_MC_fetch: fetch (or with XEN_MC_ACK acknowledge) telemetry.
 * Out: flags XEN_MC_NODATA and fetch_id 0 when there is none.
 */
#define XEN_MC_fetch            1
struct xen_mc_fetch {
    uint32_t flags;
    uint32_t _pad0;
    uint64_t fetch_id;
    XEN_GUEST_HANDLE(mc_info_t) data;
};
typedef struct xen_mc_fetch xen_mc_fetch_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_fetch_t);

/* XEN_MC_notifydomain: forward an error to an unprivileged domain. */
#define XEN_MC_notifydomain     2
struct xen_mc_notifydomain {
    uint16_t mc_domid;
    uint16_t mc_vcpuid;
    uint32_t flags;
};
typedef struct xen_mc_notifydomain xen_mc_notifydomain_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_notifydomain_t);

/*
 * XEN_MC_physcpuinfo: with a null info handle, ncpus = online physical
 * CPUs; otherwise fills min(ncpus, online) entries and sets ncpus to that.
 * Errors: -EINVAL ncpus 0 with a non-null handle.
 */
#define XEN_MC_physcpuinfo 3
struct xen_mc_physcpuinfo {
    uint32_t ncpus;
    uint32_t _pad0;
    XEN_GUEST_HANDLE(xen_mc_logical_cpu_t) info;
};
typedef struct xen_mc_physcpuinfo xen_mc_physcpuinfo_t;

/* XEN_MC_msrinject / XEN_MC_mceinject: error injection (test tools). */
#define XEN_MC_msrinject    4
#define MC_MSRINJ_MAXMSRS   8
struct xen_mc_msrinject {
    uint32_t mcinj_cpunr;
    uint32_t mcinj_flags;
    uint32_t mcinj_count;
    domid_t  mcinj_domid;
    uint16_t _pad0;
    xen_mcinfo_msr_t mcinj_msr[MC_MSRINJ_MAXMSRS];
};
typedef struct xen_mc_msrinject xen_mc_msrinject_t;

#define MC_MSRINJ_F_INTERPOSE   0x1
#define MC_MSRINJ_F_GPADDR      0x2

#define XEN_MC_mceinject    5
struct xen_mc_mceinject {
    unsigned int mceinj_cpunr;
};
typedef struct xen_mc_mceinject xen_mc_mceinject_t;

struct xen_mc {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        xen_mc_fetch_t             mc_fetch;
        xen_mc_notifydomain_t      mc_notifydomain;
        xen_mc_physcpuinfo_t       mc_physcpuinfo;
        xen_mc_msrinject_t         mc_msrinject;
        xen_mc_mceinject_t         mc_mceinject;
    } u;
};
typedef struct xen_mc xen_mc_t;
DEFINE_XEN_GUEST_HANDLE(xen_mc_t);

#endif /* __ASSEMBLER__ */

#endif
