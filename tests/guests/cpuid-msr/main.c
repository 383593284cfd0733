/*
 * cpuid-msr: the CPU as a 64-bit PV dom0 sees it on Xen 4.17. The Xen
 * CPUID leaves and Xen's CPUID policy through the forced-emulation prefix
 * (ud2; .ascii "xen"; cpuid), which MSR reads and writes succeed or #GP,
 * emulated control-register access, and IOPL-dependent instructions.
 */
#include <pvguest/test.h>

const char test_title[] = "cpuid-msr: Xen CPUID leaves and policy, MSRs, CRs, IOPL";

struct cpuid_regs { uint32_t a, b, c, d; };

static void xen_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    __asm__ __volatile__(XEN_CPUID
                         : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
                         : "0"(leaf), "2"(sub));
}

/* Plain CPUID: not intercepted under QEMU (no CPUID faulting there). */
static bool native_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    fault_reset();
    __asm__ __volatile__("1: cpuid\n2:\n" _ASM_EXTABLE(1b, 2b)
                         : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
                         : "0"(leaf), "2"(sub) : "memory");
    return !last_fault.hit;
}

/* -1 if no fault, else the vector. */
static int rdmsr_safe(uint32_t msr, uint64_t *v)
{
    uint32_t lo = 0, hi = 0;

    fault_reset();
    __asm__ __volatile__("1: rdmsr\n2:\n" _ASM_EXTABLE(1b, 2b)
                         : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
    *v = ((uint64_t)hi << 32) | lo;
    return last_fault.hit ? last_fault.vector : -1;
}

static int wrmsr_safe(uint32_t msr, uint64_t v)
{
    fault_reset();
    __asm__ __volatile__("1: wrmsr\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
    return last_fault.hit ? last_fault.vector : -1;
}

#define BIT(n) (1u << (n))

static void check_bits_clear(const char *what, uint32_t reg, uint32_t bits)
{
    check(!(reg & bits), what, "register %#x has %#x set", reg, reg & bits);
}

/* Bits Xen keeps must still be there if the host (QEMU) has them. */
static void check_bits_kept(const char *what, uint32_t xen, uint32_t native, uint32_t bits)
{
    check((xen & native & bits) == (native & bits), what, "host %#x, guest %#x",
          native & bits, xen & bits);
}

static unsigned int fls64(uint64_t v)
{
    unsigned int n = 0;

    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static void xen_leaves(void)
{
    struct cpuid_regs r, n;
    long max_ram_page;

    xen_cpuid(0x40000000, 0, &r);
    check_equ("leaf 0x40000000 eax: highest Xen leaf", r.a, 0x40000005);
    check(r.b == 0x566e6558 && r.c == 0x65584d4d && r.d == 0x4d4d566e,
          "leaf 0x40000000 signature XenVMMXenVMM", "%08x %08x %08x", r.b, r.c, r.d);
    xen_cpuid(0x40000001, 0, &r);
    check_equ("leaf 0x40000001: version 4.17", r.a, 0x00040011);
    check(!r.b && !r.c && !r.d, "leaf 0x40000001 ebx/ecx/edx zero", "%x %x %x", r.b, r.c, r.d);
    xen_cpuid(0x40000002, 0, &r);
    check_equ("leaf 0x40000002 eax: one hypercall page", r.a, 1);
    check_equ("leaf 0x40000002 ebx: hypercall-page MSR 0x40000000", r.b, 0x40000000);
    check_equ("leaf 0x40000002 ecx: MMU_PT_UPDATE_PRESERVE_AD", r.c, 1);
    check_equ("leaf 0x40000002 edx", r.d, 0);
    xen_cpuid(0x40000003, 0, &r);
    info("leaf 0x40000003: %08x %08x %08x %08x", r.a, r.b, r.c, r.d);
    check_equ("leaf 0x40000003 ebx: tsc_mode default", r.b, 0);
    check_equ("leaf 0x40000003 edx: incarnation 0", r.d, 0);
    xen_cpuid(0x40000004, 0, &r);
    check(!r.a && !r.b && !r.c && !r.d, "leaf 0x40000004 (HVM features) zero for PV",
          "%x %x %x %x", r.a, r.b, r.c, r.d);
    xen_cpuid(0x40000005, 0, &r);
    max_ram_page = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    info("leaf 0x40000005: %08x %08x %08x %08x, maximum_ram_page %#lx", r.a, r.b, r.c, r.d,
         max_ram_page);
    check_equ("leaf 0x40000005 ebx: machine address width of the largest RAM page",
              r.b & 0xff, fls64((uint64_t)max_ram_page) + PAGE_SHIFT);
    xen_cpuid(0x40000006, 0, &r);
    check(!r.a && !r.b && !r.c && !r.d, "leaf 0x40000006 (beyond the last) zero",
          "%x %x %x %x", r.a, r.b, r.c, r.d);
    xen_cpuid(0x40000100, 0, &r);
    check(!r.a && !r.b && !r.c && !r.d, "leaf 0x40000100 zero", "%x %x %x %x", r.a, r.b, r.c, r.d);

    check(native_cpuid(0x40000000, 0, &n), "plain cpuid does not fault", "vector %u",
          last_fault.vector);
    info("plain cpuid 0x40000000: %08x %08x %08x %08x", n.a, n.b, n.c, n.d);
}

static void policy(void)
{
    struct cpuid_regs x, n;

    xen_cpuid(0, 0, &x);
    native_cpuid(0, 0, &n);
    check(x.b == n.b && x.c == n.c && x.d == n.d, "leaf 0 vendor as the host's",
          "%08x %08x %08x", x.b, x.c, x.d);

    xen_cpuid(1, 0, &x);
    native_cpuid(1, 0, &n);
    info("leaf 1: guest ecx %08x edx %08x, host ecx %08x edx %08x", x.c, x.d, n.c, n.d);
    check(x.c & BIT(31), "leaf 1 ecx: hypervisor bit set", "ecx %#x", x.c);
    check_bits_clear("leaf 1 ecx: MONITOR VMX SMX EST TM2 PCID x2APIC TSC_DEADLINE hidden", x.c,
                     BIT(3) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(17) | BIT(21) | BIT(24));
    check_bits_clear("leaf 1 edx: VME PSE SEP PGE PSE36 DS TM PBE hidden", x.d,
                     BIT(1) | BIT(3) | BIT(11) | BIT(13) | BIT(17) | BIT(21) | BIT(29) | BIT(31));
    check_bits_kept("leaf 1 edx: FPU TSC MSR PAE CX8 CMOV PAT FXSR SSE SSE2 kept", x.d, n.d,
                    BIT(0) | BIT(4) | BIT(5) | BIT(6) | BIT(8) | BIT(15) | BIT(16) | BIT(24) |
                    BIT(25) | BIT(26));
    check_bits_kept("leaf 1 ecx: SSE3 SSSE3 CX16 POPCNT kept", x.c, n.c,
                    BIT(0) | BIT(9) | BIT(13) | BIT(23));

    xen_cpuid(7, 0, &x);
    native_cpuid(7, 0, &n);
    info("leaf 7: guest ebx %08x ecx %08x edx %08x, host ebx %08x ecx %08x edx %08x",
         x.b, x.c, x.d, n.b, n.c, n.d);
    check_bits_clear("leaf 7 ebx: SMEP INVPCID SMAP hidden", x.b, BIT(7) | BIT(10) | BIT(20));
    check_bits_clear("leaf 7 ecx: UMIP PKU LA57 hidden", x.c, BIT(2) | BIT(3) | BIT(16));
    check_bits_kept("leaf 7 ebx: FSGSBASE kept", x.b, n.b, BIT(0));

    xen_cpuid(0x80000001, 0, &x);
    native_cpuid(0x80000001, 0, &n);
    info("leaf 0x80000001: guest ecx %08x edx %08x, host ecx %08x edx %08x", x.c, x.d, n.c, n.d);
    check(x.d & BIT(29), "leaf 0x80000001 edx: long mode", "edx %#x", x.d);
    check(x.d & BIT(20), "leaf 0x80000001 edx: NX", "edx %#x", x.d);
    check(x.d & BIT(11), "leaf 0x80000001 edx: SYSCALL", "edx %#x", x.d);
    check_bits_clear("leaf 0x80000001 edx: PSE PGE PSE36 Page1GB hidden", x.d,
                     BIT(3) | BIT(13) | BIT(17) | BIT(26));
    check_bits_clear("leaf 0x80000001 ecx: SVM hidden", x.c, BIT(2));

    xen_cpuid(0x80000008, 0, &x);
    native_cpuid(0x80000008, 0, &n);
    check_equ("leaf 0x80000008: 48-bit virtual addresses", (x.a >> 8) & 0xff, 48);
    check((x.a & 0xff) <= (n.a & 0xff), "leaf 0x80000008: physical width not above the host's",
          "guest %u host %u", x.a & 0xff, n.a & 0xff);
}

static const struct { uint32_t msr; const char *name; } gp_msrs[] = {
    { 0x17, "IA32_PLATFORM_ID" },
    { 0x3a, "IA32_FEATURE_CONTROL" },
    { 0xfe, "MTRRcap" },
    { 0x174, "SYSENTER_CS" },
    { 0x175, "SYSENTER_ESP" },
    { 0x176, "SYSENTER_EIP" },
    { 0x1d9, "DEBUGCTL" },
    { 0x2ff, "MTRRdefType" },
    { 0xc0000081, "STAR" },
    { 0xc0000082, "LSTAR" },
    { 0xc0000083, "CSTAR" },
    { 0xc0000084, "SYSCALL_MASK" },
    { 0xe7, "MPERF" },
    { 0xe8, "APERF" },
    { 0xdeadbeef, "0xdeadbeef" },
    { 0x4b564d00, "KVM wall clock" },
};

static void msrs(void)
{
    uint64_t v;
    char name[80];

    check_eq("rdmsr APIC_BASE does not fault", rdmsr_safe(0x1b, &v), -1);
    check_equ("APIC_BASE: 0xfee00000 | enabled | BSP", v, 0xfee00900);
    check_eq("rdmsr EFER does not fault", rdmsr_safe(0xc0000080, &v), -1);
    check_equ("EFER: SCE LME LMA NXE", v, 0xd01);
    check_eq("rdmsr PAT does not fault", rdmsr_safe(0x277, &v), -1);
    check_equ("PAT: WB WT UC- UC WC WP UC UC", v, 0x0000050100070406UL);
    check_eq("rdmsr MCG_CAP does not fault", rdmsr_safe(0x179, &v), -1);
    check_equ("MCG_CAP: 2 banks", v, 2);
    check_eq("rdmsr MCG_STATUS does not fault", rdmsr_safe(0x17a, &v), -1);
    check_eq("rdmsr MC0_CTL does not fault", rdmsr_safe(0x400, &v), -1);
    check_equ("MC0_CTL: all ones", v, ~0UL);
    check_eq("rdmsr MC0_STATUS does not fault", rdmsr_safe(0x401, &v), -1);
    check_equ("MC0_STATUS: 0", v, 0);
    check_eq("rdmsr TSC does not fault", rdmsr_safe(0x10, &v), -1);
    check_eq("rdmsr MISC_ENABLE does not fault", rdmsr_safe(0x1a0, &v), -1);
    check_eq("rdmsr TSC_AUX does not fault", rdmsr_safe(0xc0000103, &v), -1);
    check_eq("rdmsr hypercall-page MSR 0x40000000 does not fault", rdmsr_safe(0x40000000, &v), -1);
    check_eq("rdmsr FS_BASE does not fault", rdmsr_safe(0xc0000100, &v), -1);
    check_eq("rdmsr GS_BASE does not fault", rdmsr_safe(0xc0000101, &v), -1);
    check_eq("rdmsr SHADOW_GS_BASE does not fault", rdmsr_safe(0xc0000102, &v), -1);

    for (unsigned int i = 0; i < ARRAY_SIZE(gp_msrs); i++) {
        snprintf(name, sizeof(name), "rdmsr %s is #GP", gp_msrs[i].name);
        check_eq(name, rdmsr_safe(gp_msrs[i].msr, &v), X86_EXC_GP);
        snprintf(name, sizeof(name), "rdmsr %s: error code 0", gp_msrs[i].name);
        check_equ(name, last_fault.error_code, 0);
    }

    rdmsr_safe(0xc0000080, &v);
    check_eq("wrmsr EFER with its own value is accepted", wrmsr_safe(0xc0000080, v), -1);
    rdmsr_safe(0x1a0, &v);
    check_eq("wrmsr MISC_ENABLE with its own value is accepted", wrmsr_safe(0x1a0, v), -1);
    rdmsr_safe(0x277, &v);
    check_eq("wrmsr PAT is #GP", wrmsr_safe(0x277, v), X86_EXC_GP);
    rdmsr_safe(0x10, &v);
    check_eq("wrmsr TSC is #GP", wrmsr_safe(0x10, v), X86_EXC_GP);
    check_eq("wrmsr APIC_BASE is #GP", wrmsr_safe(0x1b, 0xfee00900), X86_EXC_GP);
    check_eq("wrmsr LSTAR is #GP", wrmsr_safe(0xc0000082, 0), X86_EXC_GP);
    check_eq("wrmsr 0xdeadbeef is #GP", wrmsr_safe(0xdeadbeef, 0), X86_EXC_GP);
    check_eq("wrmsr MC0_STATUS 0 is accepted", wrmsr_safe(0x401, 0), -1);

    check_eq("wrmsr FS_BASE is accepted", wrmsr_safe(0xc0000100, 0x123456789000UL), -1);
    rdmsr_safe(0xc0000100, &v);
    check_equ("FS_BASE reads back", v, 0x123456789000UL);
    check_eq("wrmsr SHADOW_GS_BASE is accepted", wrmsr_safe(0xc0000102, 0xffff888000001000UL), -1);
    rdmsr_safe(0xc0000102, &v);
    check_equ("SHADOW_GS_BASE reads back", v, 0xffff888000001000UL);
    check_eq("set_segment_base(SEGBASE_FS) returns 0",
             HYPERVISOR_set_segment_base(SEGBASE_FS, 0x5000), 0);
    rdmsr_safe(0xc0000100, &v);
    check_equ("FS_BASE follows set_segment_base", v, 0x5000);
    check_eq("set_segment_base non-canonical is -EINVAL",
             HYPERVISOR_set_segment_base(SEGBASE_FS, 0x0000800000000000UL), -XEN_EINVAL);
    check_eq("set_segment_base unknown which is -EINVAL",
             HYPERVISOR_set_segment_base(4, 0), -XEN_EINVAL);
    wrmsr_safe(0xc0000100, 0);
    wrmsr_safe(0xc0000102, 0);
}

static void control_registers(void)
{
    unsigned long cr0, cr2, cr3, cr4, v;

    __asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
    __asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
    __asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
    check_equ("cr0: PE MP ET NE WP AM PG", cr0, 0x80050033);
    check_equ("cr3: machine address of the kernel L4",
              cr3, xen_pfn_to_cr3(virt_to_mfn((void *)start_info->pt_base)));
    check_equ("cr4: PAE MCE OSFXSR OSXMMEXCPT", cr4, 0x660);

    fault_reset();
    __asm__ __volatile__("1: mov %0, %%cr4\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(cr4) : "memory");
    check(!last_fault.hit, "mov to cr4 with its own value is accepted", "vector %u", last_fault.vector);
    fault_reset();
    __asm__ __volatile__("1: mov %0, %%cr4\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(cr4 | 0x80) : "memory");
    __asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
    check(!last_fault.hit, "mov to cr4 setting PGE does not fault", "vector %u", last_fault.vector);
    check_equ("cr4.PGE stays clear", v, cr4);

    fault_reset();
    __asm__ __volatile__("1: mov %0, %%cr0\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(cr0 | 8) : "memory");
    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    check(!last_fault.hit, "mov to cr0 setting TS does not fault", "vector %u", last_fault.vector);
    check_equ("cr0.TS reads back set", v, cr0 | 8);
    __asm__ __volatile__("clts");
    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    check_equ("clts clears cr0.TS", v, cr0);
    check_eq("fpu_taskswitch(1) returns 0", HYPERVISOR_fpu_taskswitch(1), 0);
    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    check_equ("fpu_taskswitch(1) sets cr0.TS", v, cr0 | 8);
    HYPERVISOR_fpu_taskswitch(0);
    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    check_equ("fpu_taskswitch(0) clears cr0.TS", v, cr0);

    fault_reset();
    __asm__ __volatile__("1: mov %0, %%cr3\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(cr3) : "memory");
    check(!last_fault.hit, "mov to cr3 with the current L4 is accepted", "vector %u",
          last_fault.vector);

    fault_reset();
    __asm__ __volatile__("1: mov (%0), %%al\n2:\n" _ASM_EXTABLE(1b, 2b)
                         :: "r"(0x3000UL) : "rax", "memory");
    __asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
    check_equ("mov from cr2 gives the last #PF address", cr2, 0x3000);

    fault_reset();
    __asm__ __volatile__("1: mov %%cr8, %0\n2:\n" _ASM_EXTABLE(1b, 2b) : "=r"(v) :: "memory");
    check_eq("mov from cr8 is #GP", last_fault.hit ? last_fault.vector : -1, X86_EXC_GP);

    fault_reset();
    __asm__ __volatile__("1: mov %%dr7, %0\n2:\n" _ASM_EXTABLE(1b, 2b) : "=r"(v) :: "memory");
    check(!last_fault.hit, "mov from dr7 is emulated", "vector %u", last_fault.vector);
    check_equ("dr7 reads its reset value", v, 0x400);
    check_eq("get_debugreg(7)", HYPERVISOR_get_debugreg(7), 0x400);
    check_eq("set_debugreg(7, 0) returns 0", HYPERVISOR_set_debugreg(7, 0), 0);
    /* With CR4.DE clear, DR4/DR5 are the old aliases of DR6/DR7. */
    check_eq("get_debugreg(5) aliases DR7", HYPERVISOR_get_debugreg(5), HYPERVISOR_get_debugreg(7));
    check_eq("get_debugreg(4) aliases DR6", HYPERVISOR_get_debugreg(4), HYPERVISOR_get_debugreg(6));
    check_eq("get_debugreg(8) is -ENODEV", HYPERVISOR_get_debugreg(8), -XEN_ENODEV);
}

static int insn_fault(int which)
{
    uint32_t a, c, d;
    uint8_t b;

    fault_reset();
    switch (which) {
    case 0: __asm__ __volatile__("1: cli\n2:\n" _ASM_EXTABLE(1b, 2b) ::: "memory"); break;
    case 1: __asm__ __volatile__("1: sti\n2:\n" _ASM_EXTABLE(1b, 2b) ::: "memory"); break;
    case 2: __asm__ __volatile__("1: inb $0x80, %0\n2:\n" _ASM_EXTABLE(1b, 2b) : "=a"(b) :: "memory"); break;
    case 3: __asm__ __volatile__("1: rdpmc\n2:\n" _ASM_EXTABLE(1b, 2b) : "=a"(a), "=d"(d) : "c"(0) : "memory"); break;
    case 4: __asm__ __volatile__("1: wbinvd\n2:\n" _ASM_EXTABLE(1b, 2b) ::: "memory"); break;
    case 5: __asm__ __volatile__("1: rdtscp\n2:\n" _ASM_EXTABLE(1b, 2b) : "=a"(a), "=d"(d), "=c"(c) :: "memory"); break;
    case 6: __asm__ __volatile__("1: rdtsc\n2:\n" _ASM_EXTABLE(1b, 2b) : "=a"(a), "=d"(d) :: "memory"); break;
    }
    return last_fault.hit ? last_fault.vector : -1;
}

static void instructions(void)
{
    struct physdev_set_iopl iopl = { .iopl = 1 };
    struct cpuid_regs x;

    check_eq("rdtsc runs natively", insn_fault(6), -1);
    xen_cpuid(0x80000001, 0, &x);
    if (x.d & BIT(27))
        check_eq("rdtscp (advertised) runs", insn_fault(5), -1);
    check_eq("rdpmc is #GP", insn_fault(3), X86_EXC_GP);
    check_eq("wbinvd is emulated", insn_fault(4), -1);
    check_eq("cli with virtual IOPL 0 is #GP", insn_fault(0), X86_EXC_GP);
    check_eq("sti with virtual IOPL 0 is #GP", insn_fault(1), X86_EXC_GP);
    check_eq("inb 0x80 with virtual IOPL 0 is #GP", insn_fault(2), X86_EXC_GP);
    check_eq("physdev_op set_iopl(1) returns 0", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
    check_eq("cli with virtual IOPL 1 is ignored", insn_fault(0), -1);
    check_eq("sti with virtual IOPL 1 is ignored", insn_fault(1), -1);
    check_eq("inb 0x80 with virtual IOPL 1 is emulated", insn_fault(2), -1);
    iopl.iopl = 4;
    check_eq("set_iopl(4) is -EINVAL", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), -XEN_EINVAL);
    iopl.iopl = 0;
    HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl);
    check_eq("cli with virtual IOPL 0 again is #GP", insn_fault(0), X86_EXC_GP);
}

void test_main(void)
{
    xen_leaves();
    policy();
    msrs();
    control_registers();
    instructions();
}
