/*
 * HYPERVISOR_mca (Xen's machine-check hypercall), for the hardware
 * domain's error logger (Linux's xen_mcelog): the physical CPU list and
 * telemetry fetches. Pavise collects no machine-check telemetry (a host #MC
 * is fatal and dumped on the console), so fetches always answer
 * XEN_MC_NODATA, and error injection is refused with -ENODEV, as Xen does
 * without MCA banks. Arguments are checked in Xen's order.
 */
#include <pavise/lib.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pavise/smp.h>
#include <pvabi/arch-x86/xen-mca.h>
#include <pvabi/errno.h>
#include <asm/cpu.h>
#include <asm/x86.h>

#define MSR_MCG_CAP 0x179

/* Xen's vendor numbers (x86_vendor bits). */
#define MC_VENDOR_INTEL (1u << 0)
#define MC_VENDOR_AMD   (1u << 1)

static void fill_cpu(struct mcinfo_logical_cpu *c, unsigned int cpu)
{
    uint32_t a, b, cx, d, max, maxe;

    memset(c, 0, sizeof(*c));
    c->mc_cpunr = cpu;
    c->mc_apicid = cpu_apic_id[cpu];
    /* One package; each CPU its own core (no topology walk). */
    c->mc_coreid = (uint16_t)cpu;
    c->mc_ncores = nr_cpus_online;
    c->mc_ncores_active = nr_cpus_online;
    c->mc_nthreads = 1;

    cpuid(0, &max, &b, &cx, &d);
    c->mc_cpuid_level = (int32_t)max;
    memcpy(c->mc_vendorid, &b, 4);
    memcpy(c->mc_vendorid + 4, &d, 4);
    memcpy(c->mc_vendorid + 8, &cx, 4);
    c->mc_vendor = boot_cpu.intel ? MC_VENDOR_INTEL
                 : !strcmp(boot_cpu.vendor, "AuthenticAMD") ? MC_VENDOR_AMD : 0;
    cpuid(1, &a, &b, &cx, &d);
    c->mc_family = (a >> 8) & 0xf;
    c->mc_model = (a >> 4) & 0xf;
    if (c->mc_family == 0xf)
        c->mc_family += (a >> 20) & 0xff;
    if (c->mc_family >= 6)
        c->mc_model |= ((a >> 16) & 0xf) << 4;
    c->mc_step = a & 0xf;
    c->mc_cache_alignment = ((b >> 8) & 0xff) * 8;
    c->mc_cpu_caps[MC_CAPS_STD_EDX] = d;
    c->mc_cpu_caps[MC_CAPS_STD_ECX] = cx;
    cpuid(0x80000000, &maxe, &b, &cx, &d);
    if (maxe >= 0x80000001) {
        cpuid(0x80000001, &a, &b, &cx, &d);
        c->mc_cpu_caps[MC_CAPS_AMD_EDX] = d;
        c->mc_cpu_caps[MC_CAPS_AMD_ECX] = cx;
    }
    if (maxe >= 0x80000004)
        for (uint32_t leaf = 0; leaf < 3; leaf++)
            cpuid(0x80000002 + leaf, (uint32_t *)&c->mc_brandid[leaf * 16],
                  (uint32_t *)&c->mc_brandid[leaf * 16 + 4], (uint32_t *)&c->mc_brandid[leaf * 16 + 8],
                  (uint32_t *)&c->mc_brandid[leaf * 16 + 12]);
    if (maxe >= 0x80000006) {
        cpuid(0x80000006, &a, &b, &cx, &d);
        c->mc_cache_size = cx >> 16;            /* KiB */
    }
    uint64_t cap;
    if (rdmsr_safe(MSR_MCG_CAP, &cap)) {
        c->mc_nmsrvals = 1;
        c->mc_msrvalues[0].reg = MSR_MCG_CAP;
        c->mc_msrvalues[0].value = cap;
    }
}

static long physcpuinfo(struct xen_mc *op, void *uop)
{
    struct xen_mc_physcpuinfo *p = &op->u.mc_physcpuinfo;
    unsigned int n = nr_cpus_online;

    if (p->info.p) {
        if (p->ncpus == 0)
            return -XEN_EINVAL;
        n = MIN(n, p->ncpus);
        xen_mc_logical_cpu_t *dst = p->info.p;
        if (!guest_array_ok(dst, n, sizeof(*dst)))
            return -XEN_EFAULT;
        for (unsigned int i = 0; i < n; i++) {
            struct mcinfo_logical_cpu c;
            fill_cpu(&c, i);
            if (copy_to_guest_raw(&dst[i], &c, sizeof(c)))
                return -XEN_EFAULT;
        }
    }
    p->ncpus = n;
    return copy_to_guest_raw(uop, op, sizeof(*op)) ? -XEN_EFAULT : 0;
}

static long fetch(struct xen_mc *op, void *uop)
{
    struct xen_mc_fetch *f = &op->u.mc_fetch;

    switch (f->flags & (XEN_MC_NONURGENT | XEN_MC_URGENT)) {
    case XEN_MC_NONURGENT:
    case XEN_MC_URGENT:
        break;
    default:
        return -XEN_EINVAL;
    }
    /* An acknowledgement: nothing was handed out; the op is left as it
     * was given (as Xen 4.17 leaves it). */
    if (f->flags & XEN_MC_ACK)
        return 0;
    if (!f->data.p)
        return -XEN_EINVAL;
    f->fetch_id = 0;
    f->flags = XEN_MC_OK | XEN_MC_NODATA;       /* never any telemetry */
    return copy_to_guest_raw(uop, op, sizeof(*op)) ? -XEN_EFAULT : 0;
}

long do_mca(void *uop)
{
    struct xen_mc op;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_MCA_INTERFACE_VERSION)
        return -XEN_EACCES;
    switch (op.cmd) {
    case XEN_MC_fetch:
        return fetch(&op, uop);
    case XEN_MC_physcpuinfo:
        return physcpuinfo(&op, uop);
    case XEN_MC_msrinject:
    case XEN_MC_mceinject:
    case 6:                                     /* XEN_MC_inject_v2 (tools) */
        return -XEN_ENODEV;
    case XEN_MC_notifydomain:
    default:
        return -XEN_EINVAL;
    }
}
