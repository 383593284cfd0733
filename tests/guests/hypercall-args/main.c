/*
 * hypercall-args: what Xen answers to bad arguments. Bad guest pointers,
 * unknown hypercall numbers and sub-operations, huge batch counts, NULL
 * handles, misaligned structures, output to read-only memory. Every
 * expectation is Xen 4.17's exact return value.
 */
#include <pvguest/test.h>
#include <pvabi/nmi.h>
#include <pvabi/platform.h>

const char test_title[] = "hypercall-args: bad pointers, unknown numbers, huge counts";

/* Addresses no guest may pass. */
#define BAD_LOW        0x1000UL                  /* unmapped user address   */
#define BAD_XEN        0xffff830000000000UL      /* hypervisor's own range  */
#define BAD_NONCANON   0x0000800000000000UL      /* non-canonical           */

static const struct { const char *name; unsigned long va; } bad_ptrs[] = {
    { "unmapped", BAD_LOW },
    { "hypervisor", BAD_XEN },
    { "non-canonical", BAD_NONCANON },
};

static uint8_t scratch[2 * PAGE_SIZE] __aligned(PAGE_SIZE);

static long hc(unsigned long nr, unsigned long a1, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    return hypercall_page_call(nr, a1, a2, a3, a4, a5, 0);
}

static void check_rc(const char *what, long rc, long want)
{
    check_eq(what, rc, want);
}

static void bad_pointers(void)
{
    char name[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_ptrs); i++) {
        void *p = (void *)bad_ptrs[i].va;

        snprintf(name, sizeof(name), "xen_version extraversion to %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_xen_version(XENVER_extraversion, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "xen_version get_features from %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_xen_version(XENVER_get_features, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "console_io write from %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_console_io(CONSOLEIO_write, 16, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "evtchn send with %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_event_channel_op(EVTCHNOP_send, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "sched_op poll with %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_sched_op(SCHEDOP_poll, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "vcpu_op get_runstate_info to %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "memory_op machphys_mapping to %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_memory_op(XENMEM_machphys_mapping, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "multicall list at %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_multicall(p, 1), -XEN_EFAULT);
        snprintf(name, sizeof(name), "mmu_update list at %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_mmu_update(p, 1, NULL, DOMID_SELF), -XEN_EFAULT);
        snprintf(name, sizeof(name), "mmuext_op list at %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_mmuext_op(p, 1, NULL, DOMID_SELF), -XEN_EFAULT);
        snprintf(name, sizeof(name), "grant_table_op query_size at %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_grant_table_op(GNTTABOP_query_size, p, 1), -XEN_EFAULT);
        snprintf(name, sizeof(name), "callback_op register from %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_callback_op(CALLBACKOP_register, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "physdev_op set_iopl from %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, p), -XEN_EFAULT);
        snprintf(name, sizeof(name), "set_trap_table from %s pointer", bad_ptrs[i].name);
        check_rc(name, HYPERVISOR_set_trap_table(p), -XEN_EFAULT);
    }

    /* Output into memory the guest may read but not write (the M2P). */
    check_rc("xen_version extraversion to read-only M2P",
             HYPERVISOR_xen_version(XENVER_extraversion, (void *)MACH2PHYS_VIRT_START),
             -XEN_EFAULT);
    /* A buffer that runs off the end of the mapped region. */
    check_rc("console_io write running into unmapped memory",
             HYPERVISOR_console_io(CONSOLEIO_write, 64,
                                   (const char *)(GUEST_VIRT_BASE + 0x40000000UL - 8)),
             -XEN_EFAULT);
}

static void unknown_numbers(void)
{
    static const unsigned long page_nrs[] = { 11, 43, 44, 47, 50, 55, 56, 100, 127 };
    static const unsigned long big_nrs[] = { 128, 255, 4096, 0x80000000UL, ~0UL };
    char name[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(page_nrs); i++) {
        snprintf(name, sizeof(name), "unknown hypercall %lu via page is -ENOSYS", page_nrs[i]);
        check_rc(name, hc(page_nrs[i], 0, 0, 0, 0, 0), -XEN_ENOSYS);
        snprintf(name, sizeof(name), "unknown hypercall %lu via syscall is -ENOSYS", page_nrs[i]);
        check_rc(name, hypercall_syscall(page_nrs[i], 0, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(big_nrs); i++) {
        snprintf(name, sizeof(name), "hypercall %#lx via syscall is -ENOSYS", big_nrs[i]);
        check_rc(name, hypercall_syscall(big_nrs[i], 1, 2, 3, 4, 5, 6), -XEN_ENOSYS);
    }
    /* Numbers that exist but are retired or not built for this guest. */
    check_rc("tmem_op is -ENOSYS", hc(__HYPERVISOR_tmem_op, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    /* set_callbacks works for 64-bit PV: (event, failsafe, syscall). */
    check_rc("set_callbacks is accepted for 64-bit PV",
             hc(__HYPERVISOR_set_callbacks, 0, 0, 0, 0, 0), 0);
    check_rc("callbacks registered again", events_init_cpu(), 0);
}

static void unknown_subops(void)
{
    char buf[64];
    struct xen_platform_op pop;

    memset(buf, 0, sizeof(buf));
    check_rc("xen_version cmd 11 is -ENOSYS", HYPERVISOR_xen_version(11, buf), -XEN_ENOSYS);
    check_rc("xen_version cmd 0x7fff is -ENOSYS", HYPERVISOR_xen_version(0x7fff, buf), -XEN_ENOSYS);
    check_rc("sched_op cmd 8 is -ENOSYS", HYPERVISOR_sched_op(8, buf), -XEN_ENOSYS);
    check_rc("sched_op cmd 100 is -ENOSYS", HYPERVISOR_sched_op(100, buf), -XEN_ENOSYS);
    check_rc("vcpu_op cmd 14 is -ENOSYS", HYPERVISOR_vcpu_op(14, 0, buf), -XEN_ENOSYS);
    check_rc("vcpu_op cmd 100 is -ENOSYS", HYPERVISOR_vcpu_op(100, 0, buf), -XEN_ENOSYS);
    /* 14 is EVTCHNOP_reset_cont (Xen-internal in the header, but live):
     * without a reset in progress it refuses. */
    check_rc("evtchn op 14 (reset_cont) without a reset is -EBUSY",
             HYPERVISOR_event_channel_op(14, buf), -XEN_EBUSY);
    check_rc("evtchn op 15 is -ENOSYS", HYPERVISOR_event_channel_op(15, buf), -XEN_ENOSYS);
    check_rc("evtchn op 100 is -ENOSYS", HYPERVISOR_event_channel_op(100, buf), -XEN_ENOSYS);
    check_rc("memory_op cmd 29 is -ENOSYS", HYPERVISOR_memory_op(29, buf), -XEN_ENOSYS);
    check_rc("memory_op cmd 63 is -ENOSYS", HYPERVISOR_memory_op(63, buf), -XEN_ENOSYS);
    check_rc("physdev_op cmd 32 is -ENOSYS", HYPERVISOR_physdev_op(32, buf), -XEN_ENOSYS);
    check_rc("physdev_op cmd 100 is -ENOSYS", HYPERVISOR_physdev_op(100, buf), -XEN_ENOSYS);
    check_rc("callback_op cmd 2 is -ENOSYS", HYPERVISOR_callback_op(2, buf), -XEN_ENOSYS);
    check_rc("grant_table_op cmd 13 is -ENOSYS", HYPERVISOR_grant_table_op(13, buf, 1), -XEN_ENOSYS);
    check_rc("grant_table_op cmd 100 is -ENOSYS", HYPERVISOR_grant_table_op(100, buf, 1), -XEN_ENOSYS);
    check_rc("console_io cmd 2 is -ENOSYS", HYPERVISOR_console_io(2, 0, buf), -XEN_ENOSYS);
    check_rc("vm_assist cmd 2 is -ENOSYS", HYPERVISOR_vm_assist(2, VMASST_TYPE_writable_pagetables),
             -XEN_ENOSYS);
    check_rc("vm_assist unknown type is -EINVAL", HYPERVISOR_vm_assist(VMASST_CMD_enable, 31),
             -XEN_EINVAL);
    check_rc("nmi_op cmd 2 is -ENOSYS", hc(__HYPERVISOR_nmi_op, 2, 0, 0, 0, 0), -XEN_ENOSYS);
    {
        struct mmuext_op op = { .cmd = 14 };

        check_rc("mmuext_op cmd 14 is -ENOSYS", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF),
                 -XEN_ENOSYS);
        op.cmd = 100;
        check_rc("mmuext_op cmd 100 is -ENOSYS", HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF),
                 -XEN_ENOSYS);
    }

    memset(&pop, 0, sizeof(pop));
    pop.cmd = 200;
    pop.interface_version = XENPF_INTERFACE_VERSION;
    check_rc("platform_op cmd 200 is -ENOSYS", hc(__HYPERVISOR_platform_op, (unsigned long)&pop, 0, 0, 0, 0),
             -XEN_ENOSYS);
    pop.cmd = XENPF_get_cpuinfo;
    pop.interface_version = 0x03000000;
    check_rc("platform_op with a wrong interface version is -EACCES",
             hc(__HYPERVISOR_platform_op, (unsigned long)&pop, 0, 0, 0, 0), -XEN_EACCES);
}

/*
 * Batches are read entry by entry: Xen 4.17 checks only that a list starts
 * outside its own range, not that count * size fits, so a huge count on a
 * kernel pointer runs entries until one fails or cannot be read. To make
 * that deterministic the lists here end right before a page we unmap.
 */
#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL

static void huge_counts(void)
{
    uint8_t *guard = scratch + PAGE_SIZE;
    unsigned long guard_mfn = virt_to_mfn(guard);
    struct multicall_entry *mc = (void *)(guard - 2 * sizeof(*mc));
    struct mmu_update *mu = (void *)(guard - 2 * sizeof(*mu));
    struct mmuext_op *mo = (void *)(guard - 2 * sizeof(*mo));
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    evtchn_port_t ports[1] = { 0 };
    struct sched_poll poll = { .nr_ports = 129, .timeout = 1 };
    unsigned int done;
    long rc;

    rc = HYPERVISOR_update_va_mapping((unsigned long)guard, 0, UVMF_INVLPG);
    check_rc("update_va_mapping can unmap a page of our own", rc, 0);
    fault_reset();
    {
        uint8_t v;

        __asm__ __volatile__("1: movb (%1), %0\n2:\n" _ASM_EXTABLE(1b, 2b)
                             : "=q"(v) : "r"(guard) : "memory");
        (void)v;
    }
    check(last_fault.hit && last_fault.vector == X86_EXC_PF, "the unmapped page faults",
          "hit %d vector %u", last_fault.hit, last_fault.vector);

    memset(mc, 0, 2 * sizeof(*mc));
    mc[0].op = mc[1].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = mc[1].args[0] = XENVER_pagesize;
    check_rc("multicall with 0 entries returns 0", HYPERVISOR_multicall(mc, 0), 0);
    check_rc("multicall with 0xffffffff entries runs until unreadable: -EFAULT",
             HYPERVISOR_multicall(mc, 0xffffffffu), -XEN_EFAULT);
    check_eq("huge multicall ran entry 0", (long)mc[0].result, 4096);
    check_eq("huge multicall ran entry 1", (long)mc[1].result, 4096);
    check_rc("multicall at a user address with 0x7fffffff entries is -EFAULT",
             HYPERVISOR_multicall((void *)BAD_LOW, 0x7fffffffu), -XEN_EFAULT);

    /* Two harmless requests (rewrite our own M2P entry unchanged). */
    for (unsigned int i = 0; i < 2; i++) {
        mu[i].ptr = ((uint64_t)guard_mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
        mu[i].val = mfn_to_pfn(guard_mfn);
    }
    done = 12345;
    check_rc("mmu_update with 0 requests returns 0", HYPERVISOR_mmu_update(mu, 0, &done, DOMID_SELF), 0);
    check_eq("mmu_update with 0 requests sets done 0", done, 0);
    check_rc("mmu_update with NULL list and 0 requests returns 0",
             HYPERVISOR_mmu_update(NULL, 0, NULL, DOMID_SELF), 0);
    done = 12345;
    check_rc("mmu_update with 0x7fffffff requests runs until unreadable: -EFAULT",
             HYPERVISOR_mmu_update(mu, 0x7fffffffu, &done, DOMID_SELF), -XEN_EFAULT);
    check_eq("huge mmu_update: done counts the requests read", done, 2);
    mu[0].ptr = ((uint64_t)1 << 50) | MMU_NORMAL_PT_UPDATE;
    done = 12345;
    check_rc("mmu_update with 0x7fffffff requests stops at a bad one: -EINVAL",
             HYPERVISOR_mmu_update(mu, 0x7fffffffu, &done, DOMID_SELF), -XEN_EINVAL);
    check_eq("mmu_update stopped at the bad request: done 0", done, 0);

    memset(mo, 0, 2 * sizeof(*mo));
    mo[0].cmd = mo[1].cmd = MMUEXT_TLB_FLUSH_LOCAL;
    done = 12345;
    check_rc("mmuext_op with 0 ops returns 0", HYPERVISOR_mmuext_op(mo, 0, &done, DOMID_SELF), 0);
    check_rc("mmuext_op with NULL list and 0 ops returns 0",
             HYPERVISOR_mmuext_op(NULL, 0, NULL, DOMID_SELF), 0);
    done = 12345;
    check_rc("mmuext_op with 0x7fffffff ops runs until unreadable: -EFAULT",
             HYPERVISOR_mmuext_op(mo, 0x7fffffffu, &done, DOMID_SELF), -XEN_EFAULT);
    check_eq("huge mmuext_op: done counts the ops read", done, 2);

    check_rc("grant query_size with count 2 is -EINVAL",
             HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 2), -XEN_EINVAL);
    check_rc("grant query_size with count 0 is -EINVAL",
             HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 0), -XEN_EINVAL);
    check_rc("grant map at a user address with 0x7fffffff entries is -EFAULT",
             HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, (void *)BAD_LOW, 0x7fffffffu),
             -XEN_EFAULT);

    set_xen_guest_handle(poll.ports, ports);
    check_rc("sched_op poll with 129 ports is -EINVAL", HYPERVISOR_sched_op(SCHEDOP_poll, &poll),
             -XEN_EINVAL);
    poll.nr_ports = 1;
    ports[0] = NR_EVTCHN_PORTS + 1;
    check_rc("sched_op poll on port beyond the limit is -EINVAL",
             HYPERVISOR_sched_op(SCHEDOP_poll, &poll), -XEN_EINVAL);
    {
        struct xen_memory_reservation r = {
            .nr_extents = 0x10000000UL,
            .extent_order = 0,
            .domid = DOMID_SELF,
        };

        set_xen_guest_handle(r.extent_start, (xen_pfn_t *)BAD_NONCANON);
        check_rc("decrease_reservation with a bad huge extent list does nothing",
                 HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r), 0);
    }

    rc = HYPERVISOR_update_va_mapping((unsigned long)guard,
                                      ((uint64_t)guard_mfn << PAGE_SHIFT) | _PAGE_PRESENT |
                                      _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY, UVMF_INVLPG);
    check_rc("update_va_mapping can map the page back", rc, 0);
    guard[0] = 1;
    check_eq("the page is writable again", guard[0], 1);
}

static void null_handles(void)
{
    check_rc("xen_version version with NULL", HYPERVISOR_xen_version(XENVER_version, NULL), (4 << 16) | 17);
    check_rc("xen_version extraversion with NULL is -EFAULT",
             HYPERVISOR_xen_version(XENVER_extraversion, NULL), -XEN_EFAULT);
    check_rc("sched_op yield ignores its argument", HYPERVISOR_sched_op(SCHEDOP_yield, (void *)BAD_XEN), 0);
    check_rc("sched_op yield with NULL", HYPERVISOR_sched_op(SCHEDOP_yield, NULL), 0);
    check_rc("vcpu_op send_nmi with an argument is -EINVAL",
             HYPERVISOR_vcpu_op(VCPUOP_send_nmi, 0, scratch), -XEN_EINVAL);
    check_rc("callback_op register NULL is -EFAULT", HYPERVISOR_callback_op(CALLBACKOP_register, NULL),
             -XEN_EFAULT);
    check_rc("evtchn status NULL is -EFAULT", HYPERVISOR_event_channel_op(EVTCHNOP_status, NULL),
             -XEN_EFAULT);
    /* NULL clears the whole trap table; put ours back and prove it works. */
    check_rc("set_trap_table NULL returns 0", HYPERVISOR_set_trap_table(NULL), 0);
    check_rc("set_trap_table reinstalled", traps_install(), 0);
    fault_reset();
    __asm__ __volatile__("int3\n1:\n" _ASM_EXTABLE(1b, 1b) ::: "memory");
    check(last_fault.hit && last_fault.vector == X86_EXC_BP, "int3 delivered after reinstall",
          "hit %d vector %u", last_fault.hit, last_fault.vector);
    /* An empty table (only the terminator) changes nothing. */
    {
        struct trap_info empty = { 0 };

        check_rc("set_trap_table with only a terminator returns 0", HYPERVISOR_set_trap_table(&empty), 0);
        fault_reset();
        __asm__ __volatile__("int3\n1:\n" _ASM_EXTABLE(1b, 1b) ::: "memory");
        check(last_fault.hit && last_fault.vector == X86_EXC_BP, "int3 still delivered after empty table",
              "hit %d vector %u", last_fault.hit, last_fault.vector);
    }
}

static void misaligned(void)
{
    struct xen_feature_info *fi = (void *)(scratch + 1);
    struct multicall_entry *mc = (void *)(scratch + 64 + 4);
    struct xen_feature_info ref = { .submap_idx = 0 };
    long rc;

    HYPERVISOR_xen_version(XENVER_get_features, &ref);
    fi->submap_idx = 0;
    fi->submap = 0;
    rc = HYPERVISOR_xen_version(XENVER_get_features, fi);
    check_rc("get_features into a misaligned struct returns 0", rc, 0);
    check_equ("get_features into a misaligned struct fills it", fi->submap, ref.submap);

    memset(mc, 0, 2 * sizeof(*mc));
    mc[0].op = __HYPERVISOR_xen_version;
    mc[0].args[0] = XENVER_pagesize;
    mc[1].op = __HYPERVISOR_xen_version;
    mc[1].args[0] = 11;
    mc[0].result = mc[1].result = 0x5a5a;
    rc = HYPERVISOR_multicall(mc, 2);
    check_rc("misaligned multicall returns 0", rc, 0);
    check_eq("misaligned multicall entry 0 result", (long)mc[0].result, 4096);
    check_eq("misaligned multicall entry 1 result", (long)mc[1].result, -XEN_ENOSYS);
}

static void multicall_rules(void)
{
    struct multicall_entry mc[3];
    long rc;

    memset(mc, 0, sizeof(mc));
    mc[0].op = __HYPERVISOR_multicall;              /* nested multicall */
    mc[0].args[0] = (unsigned long)&mc[2];
    mc[0].args[1] = 1;
    mc[1].op = 77;                                  /* unknown number   */
    mc[2].op = __HYPERVISOR_xen_version;
    mc[2].args[0] = XENVER_version;
    rc = HYPERVISOR_multicall(mc, 2);
    check_rc("multicall containing a multicall returns 0", rc, 0);
    check_eq("nested multicall entry result", (long)mc[0].result, -XEN_EINVAL);
    check_eq("unknown number inside a multicall", (long)mc[1].result, -XEN_ENOSYS);
    /*
     * Not tested: Xen runs an iret inside a multicall, popping a frame from
     * the guest's current stack (which crashes the guest).
     */
}

static void mmu_on_plain_page(void)
{
    /* mmu_update on a page that is not a page table: a checked store. */
    uint64_t *word = (uint64_t *)(scratch + PAGE_SIZE);
    unsigned long ma = (virt_to_mfn(word) << PAGE_SHIFT);
    struct mmu_update req;
    unsigned int done = 99;
    long rc;

    word[0] = 0;
    req.ptr = ma | MMU_NORMAL_PT_UPDATE;
    req.val = 0x1234567800000000UL;
    rc = HYPERVISOR_mmu_update(&req, 1, &done, DOMID_SELF);
    check_rc("mmu_update store into a plain page returns 0", rc, 0);
    check_eq("mmu_update store into a plain page: done", done, 1);
    check_equ("mmu_update store into a plain page wrote the value", word[0], 0x1234567800000000UL);

    /* The command is ptr & 7 (an entry is 8 bytes): 4-7 are unknown. */
    for (unsigned int cmd = 4; cmd < 8; cmd++) {
        char name[80];

        req.ptr = ma | cmd;
        done = 99;
        rc = HYPERVISOR_mmu_update(&req, 1, &done, DOMID_SELF);
        snprintf(name, sizeof(name), "mmu_update command %u (ptr & 7) is -ENOSYS", cmd);
        check_rc(name, rc, -XEN_ENOSYS);
        snprintf(name, sizeof(name), "mmu_update command %u: done 0", cmd);
        check_eq(name, done, 0);
    }

    req.ptr = ma | MMU_MACHPHYS_UPDATE;
    req.val = mfn_to_pfn(ma >> PAGE_SHIFT);
    rc = HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
    check_rc("MMU_MACHPHYS_UPDATE of an own frame (unchanged) returns 0", rc, 0);

    req.ptr = ((uint64_t)1 << 50) | MMU_NORMAL_PT_UPDATE;
    req.val = 0;
    rc = HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
    check_rc("mmu_update to a non-existent frame is -EINVAL", rc, -XEN_EINVAL);

    rc = HYPERVISOR_update_va_mapping(BAD_LOW, 0, UVMF_INVLPG);
    check_rc("update_va_mapping of an address without an L1 is -EINVAL", rc, -XEN_EINVAL);
    rc = HYPERVISOR_update_va_mapping(BAD_XEN, 0, UVMF_INVLPG);
    check_rc("update_va_mapping in the hypervisor range is -EINVAL", rc, -XEN_EINVAL);
}

void test_main(void)
{
    bad_pointers();
    unknown_numbers();
    unknown_subops();
    huge_counts();
    null_handles();
    misaligned();
    multicall_rules();
    mmu_on_plain_page();
}
