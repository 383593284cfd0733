/*
 * mca: the machine-check hypercall as dom0's error logger (Linux's
 * xen_mcelog) uses it: the physical CPU list, telemetry fetches (none on
 * a healthy machine) and acknowledgements, and Xen 4.17's answers to bad
 * arguments (version, command, flags, buffers, pointers). Also the other
 * probes Linux makes at boot: the PMU, platform_op firmware_info (on a
 * BIOS machine booted by multiboot, with no boot-time BIOS data), and the
 * PIRQ EOI map registration.
 */
#include <pvguest/test.h>
#include <pvabi/arch-x86/xen-mca.h>
#include <pvabi/platform.h>
#include <pvabi/physdev.h>

const char test_title[] = "mca: physcpuinfo, fetch, errors; xenpmu and firmware_info probes";

static long firmware_info(uint32_t type, uint32_t index, struct xen_platform_op *op)
{
    memset(op, 0, sizeof(*op));
    op->cmd = XENPF_firmware_info;
    op->interface_version = XENPF_INTERFACE_VERSION;
    op->u.firmware_info.type = type;
    op->u.firmware_info.index = index;
    return hypercall_page_call(__HYPERVISOR_platform_op, (unsigned long)op, 0, 0, 0, 0, 0);
}

#define __HYPERVISOR_xenpmu_op 40
#define XENPMU_init 4

static struct mcinfo_logical_cpu cpus[8];
static struct mc_info mcinfo;

static long mca(struct xen_mc *op)
{
    return hypercall_page_call(__HYPERVISOR_mca, (unsigned long)op, 0, 0, 0, 0, 0);
}

static void init_op(struct xen_mc *op, uint32_t cmd)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_MCA_INTERFACE_VERSION;
}

void test_main(void)
{
    struct xen_mc op;
    long rc;

    /* The physical CPUs: count first, then details. */
    init_op(&op, XEN_MC_physcpuinfo);
    rc = mca(&op);
    check_eq("physcpuinfo count returns 0", rc, 0);
    /* The .test runs this with 2 physical CPUs. */
    check_equ("physcpuinfo counts the 2 online CPUs", op.u.mc_physcpuinfo.ncpus, 2);
    unsigned int n = op.u.mc_physcpuinfo.ncpus;

    init_op(&op, XEN_MC_physcpuinfo);
    op.u.mc_physcpuinfo.ncpus = 8;
    set_xen_guest_handle(op.u.mc_physcpuinfo.info, cpus);
    memset(cpus, 0xa5, sizeof(cpus));
    rc = mca(&op);
    check_eq("physcpuinfo details returns 0", rc, 0);
    check_equ("physcpuinfo details: ncpus is the CPUs filled", op.u.mc_physcpuinfo.ncpus, n);
    check_equ("physcpuinfo: cpu 0 numbered 0", cpus[0].mc_cpunr, 0);
    check(!memcmp(cpus[0].mc_vendorid, "AuthenticAMD", 12) ||
          !memcmp(cpus[0].mc_vendorid, "GenuineIntel", 12),
          "physcpuinfo: vendor id string", "'%.12s'", cpus[0].mc_vendorid);
    check(cpus[0].mc_cpuid_level > 0, "physcpuinfo: cpuid level", "%d", cpus[0].mc_cpuid_level);
    check(cpus[0].mc_family != 0, "physcpuinfo: family", "%u", cpus[0].mc_family);
    check(cpus[0].mc_cpu_caps[MC_CAPS_STD_EDX] & 1, "physcpuinfo: CPUID 1 EDX (FPU bit)", "%#x",
          cpus[0].mc_cpu_caps[MC_CAPS_STD_EDX]);
    if (n > 1)
        check_equ("physcpuinfo: cpu 1 numbered 1", cpus[1].mc_cpunr, 1);
    check_equ("physcpuinfo: entries past ncpus untouched", cpus[n < 8 ? n : 7].mc_cpunr,
              n < 8 ? 0xa5a5a5a5u : 7);

    /*
     * Not tested: a buffer for fewer CPUs than are online. Xen 4.17 fills
     * an nlcpu-sized heap array from every online CPU (on_each_cpu) and
     * overflows it: Debian's Xen 4.17 panics in xmem_pool_free (found with
     * ncpus = 1 on 2 CPUs). Pavise fills min(ncpus, online) entries.
     */

    init_op(&op, XEN_MC_physcpuinfo);
    set_xen_guest_handle(op.u.mc_physcpuinfo.info, cpus);
    check_eq("physcpuinfo with a buffer and ncpus 0 is -EINVAL", mca(&op), -XEN_EINVAL);

    init_op(&op, XEN_MC_physcpuinfo);
    op.u.mc_physcpuinfo.ncpus = 8;
    set_xen_guest_handle(op.u.mc_physcpuinfo.info, (void *)0x1000);
    check_eq("physcpuinfo to an unmapped buffer is -EFAULT", mca(&op), -XEN_EFAULT);

    /* Telemetry: there is none. */
    init_op(&op, XEN_MC_fetch);
    op.u.mc_fetch.flags = XEN_MC_NONURGENT;
    op.u.mc_fetch.fetch_id = 77;
    set_xen_guest_handle(op.u.mc_fetch.data, &mcinfo);
    check_eq("fetch non-urgent returns 0", mca(&op), 0);
    check_equ("fetch non-urgent: no data", op.u.mc_fetch.flags, XEN_MC_NODATA);
    check_equ("fetch non-urgent: fetch id 0", op.u.mc_fetch.fetch_id, 0);

    init_op(&op, XEN_MC_fetch);
    op.u.mc_fetch.flags = XEN_MC_URGENT;
    set_xen_guest_handle(op.u.mc_fetch.data, &mcinfo);
    check_eq("fetch urgent returns 0", mca(&op), 0);
    check_equ("fetch urgent: no data", op.u.mc_fetch.flags, XEN_MC_NODATA);

    init_op(&op, XEN_MC_fetch);
    op.u.mc_fetch.flags = XEN_MC_NONURGENT | XEN_MC_ACK;
    op.u.mc_fetch.fetch_id = 0;
    check_eq("fetch ack of nothing returns 0", mca(&op), 0);
    check_equ("fetch ack leaves the flags as given", op.u.mc_fetch.flags,
              XEN_MC_NONURGENT | XEN_MC_ACK);

    init_op(&op, XEN_MC_fetch);
    op.u.mc_fetch.flags = XEN_MC_NONURGENT;
    check_eq("fetch into a null buffer is -EINVAL", mca(&op), -XEN_EINVAL);

    init_op(&op, XEN_MC_fetch);
    set_xen_guest_handle(op.u.mc_fetch.data, &mcinfo);
    check_eq("fetch with neither urgent nor non-urgent is -EINVAL", mca(&op), -XEN_EINVAL);
    op.u.mc_fetch.flags = XEN_MC_URGENT | XEN_MC_NONURGENT;
    check_eq("fetch with both urgent and non-urgent is -EINVAL", mca(&op), -XEN_EINVAL);

    /* The whole call. */
    init_op(&op, XEN_MC_physcpuinfo);
    op.interface_version = XEN_MCA_INTERFACE_VERSION + 1;
    check_eq("another interface version is -EACCES", mca(&op), -XEN_EACCES);
    init_op(&op, 99);
    check_eq("unknown command is -EINVAL", mca(&op), -XEN_EINVAL);
    init_op(&op, XEN_MC_notifydomain);
    check_eq("notifydomain is -EINVAL", mca(&op), -XEN_EINVAL);
    check_eq("op at an unmapped address is -EFAULT",
             hypercall_page_call(__HYPERVISOR_mca, 0x1000, 0, 0, 0, 0, 0), -XEN_EFAULT);

    /* The PMU: Linux probes XENPMU_init at boot ("VPMU disabled by
     * hypervisor" when this fails). */
    uint64_t pmu_params[4] = { 0 };
    rc = hypercall_page_call(__HYPERVISOR_xenpmu_op, XENPMU_init, (unsigned long)pmu_params, 0, 0, 0, 0);
    check_eq("xenpmu_op init answers -EOPNOTSUPP (vPMU off)", rc, -XEN_EOPNOTSUPP);

    /* Firmware information: Linux asks for EDD, MBR signatures, VBE/DDC,
     * EFI and the keyboard shift flags. */
    struct xen_platform_op pop;
    check_eq("firmware_info disk 0 (no EDD data) is -ESRCH", firmware_info(XEN_FW_DISK_INFO, 0, &pop),
             -XEN_ESRCH);
    check_eq("firmware_info MBR signature 0 is -ESRCH",
             firmware_info(XEN_FW_DISK_MBR_SIGNATURE, 0, &pop), -XEN_ESRCH);
    /* Not compared: VBE DDC. Xen probes EDID from its real-mode boot code
     * (and answers with it); Pavise makes no BIOS calls and says -ESRCH. */
    check_eq("firmware_info EFI version (BIOS boot)", firmware_info(XEN_FW_EFI_INFO, XEN_FW_EFI_VERSION, &pop),
             -XEN_ENOSYS);
    check_eq("firmware_info keyboard shift flags returns 0",
             firmware_info(XEN_FW_KBD_SHIFT_FLAGS, 0, &pop), 0);
    check_eq("firmware_info type 99 is -EINVAL", firmware_info(99, 0, &pop), -XEN_EINVAL);

    /* The PIRQ EOI map (Linux registers one with _v2 at boot). */
    static uint8_t eoi_map[PAGE_SIZE] __aligned(PAGE_SIZE);
    struct physdev_pirq_eoi_gmfn g = { .gmfn = 0x7fffffff };
    check_eq("pirq_eoi_gmfn_v2 of a frame not ours is -EINVAL",
             HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -XEN_EINVAL);
    check_eq("pirq_eoi_gmfn_v2 from an unmapped argument is -EFAULT",
             HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, (void *)0x1000), -XEN_EFAULT);
    g.gmfn = virt_to_mfn(eoi_map);
    check_eq("pirq_eoi_gmfn_v2 of our page returns 0",
             HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), 0);
    check_eq("pirq_eoi_gmfn_v2 again is -EBUSY",
             HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v2, &g), -XEN_EBUSY);
    check_eq("pirq_eoi_gmfn_v1 after v2 is -EBUSY",
             HYPERVISOR_physdev_op(PHYSDEVOP_pirq_eoi_gmfn_v1, &g), -XEN_EBUSY);
}
