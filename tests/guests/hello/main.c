/*
 * hello: the smallest end-to-end guest. Console output, the xen_version
 * queries every PV kernel makes, SCHEDOP_shutdown_code, then a clean
 * SCHEDOP_shutdown(poweroff) from the library. With crash=stack on its
 * command line it makes the hypervisor crash it instead (teardown tests).
 */
#include <pvguest/test.h>

const char test_title[] = "hello: console, xen_version, shutdown";

void test_main(void)
{
    static const char msg[] = "hello from a PV guest\n";
    xen_extraversion_t extra;
    xen_capabilities_info_t caps;
    struct xen_feature_info fi;
    struct xen_platform_parameters pp;
    long rc, ver;
    char opt[16];

    /* crash=stack (tests of domain teardown): take an exception with an
     * unusable kernel stack, so that the hypervisor crashes the domain. */
    const char *crash = cmdline_option("crash", opt, sizeof(opt));
    if (crash && !strcmp(crash, "stack")) {
        info("crashing on purpose: int3 with the stack at 0x1000");
        __asm__ volatile("mov %0, %%rsp; int3" :: "r"(0x1000UL) : "memory");
    }

    rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg);
    check_eq("console_io write returns 0", rc, 0);

    ver = HYPERVISOR_xen_version(XENVER_version, NULL);
    info("xen_version: %ld.%ld", ver >> 16, ver & 0xffff);
    check_eq("xen_version version is 4.17", ver, (4 << 16) | 17);

    memset(extra, 0x55, sizeof(extra));
    rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
    check_eq("xen_version extraversion returns 0", rc, 0);
    check(strnlen(extra, sizeof(extra)) < sizeof(extra) && extra[0] == '.',
          "xen_version extraversion is '.<patch>'", "got '%.16s'", extra);
    info("extraversion: %s", extra);

    fi.submap_idx = 0;
    fi.submap = 0xdeadbeef;
    rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
    check_eq("get_features submap 0 returns 0", rc, 0);
    info("features submap 0: %#x", fi.submap);
    check(fi.submap & (1u << XENFEAT_dom0), "get_features has dom0", "submap %#x", fi.submap);
    check(fi.submap & (1u << XENFEAT_mmu_pt_update_preserve_ad),
          "get_features has mmu_pt_update_preserve_ad", "submap %#x", fi.submap);
    check(fi.submap & (1u << XENFEAT_gnttab_map_avail_bits),
          "get_features has gnttab_map_avail_bits", "submap %#x", fi.submap);
    check(!(fi.submap & ((1u << XENFEAT_auto_translated_physmap) |
                         (1u << XENFEAT_supervisor_mode_kernel) |
                         (1u << XENFEAT_writable_page_tables))),
          "get_features lacks translated/supervisor/writable_pt", "submap %#x", fi.submap);
    /*
     * Exactly what Xen 4.17 gives a PV dom0. pae_pgdir_above_4gb is there
     * because our PAE_MODE note (as Linux's) makes the builder enable
     * VMASST_TYPE_pae_extended_cr3, which Xen reports as that feature.
     */
    check_equ("get_features submap 0 exact", fi.submap,
              (1u << XENFEAT_pae_pgdir_above_4gb) |
              (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) |
              (1u << XENFEAT_gnttab_map_avail_bits) | (1u << XENFEAT_dom0) |
              (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_direct_mapped));

    fi.submap_idx = XENFEAT_NR_SUBMAPS;
    rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
    check_eq("get_features submap 1 is -EINVAL", rc, -XEN_EINVAL);

    memset(caps, 0, sizeof(caps));
    rc = HYPERVISOR_xen_version(XENVER_capabilities, caps);
    caps[sizeof(caps) - 1] = 0;
    check_eq("xen_version capabilities returns 0", rc, 0);
    check(strstr(caps, "xen-3.0-x86_64") != NULL, "capabilities include xen-3.0-x86_64",
          "got '%s'", caps);
    info("capabilities: %s", caps);

    rc = HYPERVISOR_xen_version(XENVER_pagesize, NULL);
    check_eq("xen_version pagesize is 4096", rc, 4096);

    pp.virt_start = 0;
    rc = HYPERVISOR_xen_version(XENVER_platform_parameters, &pp);
    check_eq("platform_parameters returns 0", rc, 0);
    check_equ("platform_parameters virt_start", pp.virt_start, HYPERVISOR_VIRT_START);

    check(start_info->flags & SIF_INITDOMAIN, "start_info has SIF_INITDOMAIN",
          "flags %#x", start_info->flags);
    check(!strncmp(start_info->magic, "xen-3.0-x86_64", 14), "start_info magic is xen-3.0-x86_64",
          "got '%.32s'", start_info->magic);

    {
        struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };

        rc = HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &sd);
        check_eq("SCHEDOP_shutdown_code returns 0", rc, 0);
    }
}
