/* xen_version (Xen 4.17 common/kernel.c do_xen_version). */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pvabi/version.h>
#include <pvabi/features.h>
#include <pvabi/errno.h>

/* The ABI Pavise implements is Xen 4.17's; the extra version says who. */
#define XEN_MAJOR 4
#define XEN_MINOR 17
#define EXTRAVERSION ".0-pavise"

extern char saved_cmdline[];

static long copy_str_out(void *arg, const char *s, size_t size)
{
    char buf[1024];
    if (size > sizeof(buf))
        size = sizeof(buf);
    memset(buf, 0, size);
    pv_snprintf(buf, size, "%s", s);
    return copy_to_guest_raw(arg, buf, size) ? -XEN_EFAULT : 0;
}

long do_xen_version(int cmd, void *arg)
{
    struct domain *d = current->domain;
    bool deny = !d->is_privileged;

    switch (cmd) {
    case XENVER_version:
        return (XEN_MAJOR << 16) | XEN_MINOR;
    case XENVER_extraversion:
        return copy_str_out(arg, EXTRAVERSION, sizeof(xen_extraversion_t));
    case XENVER_compile_info: {
        struct xen_compile_info info;
        memset(&info, 0, sizeof(info));
        pv_snprintf(info.compiler, sizeof(info.compiler), "%s", deny ? "<denied>" : "gcc " __VERSION__);
        pv_snprintf(info.compile_by, sizeof(info.compile_by), "%s", deny ? "<denied>" : "pavise");
        pv_snprintf(info.compile_domain, sizeof(info.compile_domain), "%s", deny ? "<denied>" : "pavise");
        pv_snprintf(info.compile_date, sizeof(info.compile_date), "%s", deny ? "<denied>" : __DATE__);
        return copy_to_guest_raw(arg, &info, sizeof(info)) ? -XEN_EFAULT : 0;
    }
    case XENVER_capabilities:
        return copy_str_out(arg, "xen-3.0-x86_64 ", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_str_out(arg, deny ? "<denied>" : "pavise " PACKAGE_VERSION, sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters: {
        struct xen_platform_parameters p = { .virt_start = HYPERVISOR_VIRT_START };
        return copy_to_guest_raw(arg, &p, sizeof(p)) ? -XEN_EFAULT : 0;
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;
        if (copy_from_guest_raw(&fi, arg, sizeof(fi)))
            return -XEN_EFAULT;
        if (fi.submap_idx != 0)
            return -XEN_EINVAL;
        fi.submap = (1U << XENFEAT_memory_op_vnode_supported) |
                    (1U << XENFEAT_mmu_pt_update_preserve_ad) |
                    (1U << XENFEAT_highmem_assist) |
                    (1U << XENFEAT_gnttab_map_avail_bits) |
                    (1U << XENFEAT_direct_mapped);
        if (d->vm_assist & (1UL << VMASST_TYPE_pae_extended_cr3))
            fi.submap |= 1U << XENFEAT_pae_pgdir_above_4gb;
        if (d == hardware_domain)
            fi.submap |= 1U << XENFEAT_dom0;
        return copy_to_guest_raw(arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
    }
    case XENVER_pagesize:
        return arg ? -XEN_EINVAL : 4096;
    case XENVER_guest_handle: {
        xen_domain_handle_t h;
        memset(h, 0, sizeof(h));
        return copy_to_guest_raw(arg, h, sizeof(h)) ? -XEN_EFAULT : 0;
    }
    case XENVER_commandline:
        if (deny)
            return copy_str_out(arg, "<denied>", sizeof(xen_commandline_t));
        return copy_str_out(arg, saved_cmdline, sizeof(xen_commandline_t));
    case XENVER_build_id:
        if (deny)
            return -XEN_EPERM;
        return -XEN_ENODATA;        /* the image carries no build id */
    default:
        return -XEN_ENOSYS;
    }
}
