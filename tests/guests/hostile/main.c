/*
 * hostile: random hypercall numbers with random arguments from a seeded
 * PRNG (seed=N and calls=N on the command line; the defaults keep runs
 * comparable between hypervisors; trace=N prints every call from the N-th),
 * through both the hypercall page and direct SYSCALL. The hypervisor must
 * answer every call and keep the guest alive; afterwards hypercalls,
 * exceptions, events and timers must still work.
 *
 * What is masked out, and why. As dom0 this guest may legitimately end
 * the machine or corrupt itself, which proves nothing about the
 * hypervisor, so these are never issued (or only with arguments that
 * cannot succeed):
 *  - machine or domain life cycle: sched_op shutdown/remote_shutdown/
 *    watchdog/shutdown_code/pin_override, sched_op_compat, platform_op
 *    (ACPI sleep, CPU offline, microcode), sysctl, domctl, kexec_op,
 *    mca (error injection), hypfs_op (runtime parameters), physdev_op
 *    except harmless queries (real IRQ routing, IO-APIC writes, PCI);
 *  - calls that block: sched_op block and poll;
 *  - our own control state: set_trap_table, set_callbacks, callback_op,
 *    iret, set_debugreg (breakpoints in our code), VCPUOP down/
 *    send_nmi/register_* (vCPU info and areas the hypervisor writes to),
 *    xenpmu_op, event-channel FIFO setup;
 *  - writes into our own memory by machine address: mmu_update,
 *    mmuext_op, multicall, set_gdt, update_descriptor only get pointers
 *    that cannot be read; update_va_mapping never targets our image;
 *    memory_op and grant_table_op only run their query commands (and
 *    grant batches in our scratch buffer stay inside it);
 *    console_io never writes (random text could fake a RESULT line).
 */
#include <pvguest/test.h>

const char test_title[] = "hostile: random hypercalls must not hurt the hypervisor";

#define DEFAULT_CALLS 20000

static uint64_t rng_state;
/*
 * Pointer arguments into scratch point into its first page only: some
 * calls write up to 1 KiB (XENVER_capabilities), and what follows the
 * buffer is our own state.
 */
static struct {
    uint8_t scratch[4 * PAGE_SIZE];
    uint64_t canary[512];               /* nothing may write here */
} mem __aligned(PAGE_SIZE);
#define scratch mem.scratch
#define CANARY(i) (0xc0ffee0000000000ULL | (i))

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned long bad_pointer(void)
{
    switch (rnd() % 4) {
    case 0: return 0x1000 + (rnd() & 0xffffff0UL);                 /* unmapped user  */
    case 1: return 0x0000800000000000UL + (rnd() & 0xfffffffUL);   /* non-canonical  */
    case 2: return 0xffff830000000000UL + (rnd() & 0xfffffffUL);   /* hypervisor     */
    default: return 0xffff800000000000UL + (rnd() & 0xffffff8UL);  /* read-only M2P  */
    }
}

static unsigned long random_arg(void)
{
    static const unsigned long edges[] = {
        0, 1, ~0UL, ~1UL, 0x7fffffffUL, 0x80000000UL, 0xffffffffUL,
        1UL << 63, DOMID_SELF, DOMID_IO, DOMID_XEN, 0x7fff, 4096,
    };

    switch (rnd() % 8) {
    case 0: return rnd() % 17;
    case 1: return edges[rnd() % ARRAY_SIZE(edges)];
    case 2: return rnd();
    case 3: return (uint32_t)rnd();
    case 4: return (unsigned long)scratch + (rnd() % PAGE_SIZE);
    case 5: return bad_pointer();
    case 6: return rnd() & 0xffff;
    default: return 0;
    }
}

static bool in(unsigned long v, const unsigned long *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == v)
            return true;
    return false;
}
#define IN(v, ...) ({ static const unsigned long s_[] = { __VA_ARGS__ }; in((v), s_, ARRAY_SIZE(s_)); })

/*
 * Make (nr, a) harmless where the masking rules say so. Returns false if
 * this number is never issued.
 */
static bool sanitise(unsigned long nr, unsigned long a[6])
{
    switch (nr) {
    case __HYPERVISOR_set_trap_table:
    case __HYPERVISOR_mmu_update:
    case __HYPERVISOR_set_gdt:
    case __HYPERVISOR_multicall:
    case __HYPERVISOR_mmuext_op:
        a[0] = bad_pointer();
        return true;
    case __HYPERVISOR_update_descriptor:
        a[0] |= 1UL << 52;                      /* no such machine address */
        return true;
    case __HYPERVISOR_update_va_mapping:
    case __HYPERVISOR_update_va_mapping_otherdomain:
        if (a[0] - GUEST_VIRT_BASE < 0x40000000UL)
            a[0] = bad_pointer();
        if ((a[2] & ~7UL) && !(a[2] & UVMF_ALL))
            a[2] = (a[2] & 7) | (bad_pointer() & ~7UL);
        return true;
    case __HYPERVISOR_memory_op:
        return IN(a[0] & 0x3f, 2, 3, 4, 5, 9, 10, 12, 14, 25, 26) || (a[0] & 0x3f) >= 29;
    case __HYPERVISOR_console_io:
        return (unsigned int)a[0] != CONSOLEIO_write;
    case __HYPERVISOR_grant_table_op:
        /*
         * Grant ops are batches of a[2] structs and write a status into
         * each: a batch that ran past the scratch buffer would write into
         * our own memory. Keep batches in scratch short.
         */
        if (a[1] - (unsigned long)scratch < sizeof(scratch))
            a[2] %= 8;
        return IN((unsigned int)a[0], 2, 3, 6, 8, 9, 10, 11) || (unsigned int)a[0] >= 13;
    case __HYPERVISOR_vcpu_op:
        if (IN((unsigned int)a[0], 0, 1) && (unsigned int)a[1] == 0)
            return false;
        return IN((unsigned int)a[0], 0, 1, 3, 4, 6, 7, 8, 9, 12) || (unsigned int)a[0] >= 14;
    case __HYPERVISOR_sched_op:
        return (int)a[0] == SCHEDOP_yield || (unsigned int)a[0] >= 8;
    case __HYPERVISOR_event_channel_op:
        return IN((unsigned int)a[0], 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 13) || (unsigned int)a[0] >= 15;
    case __HYPERVISOR_physdev_op:
        return IN((unsigned int)a[0], 5, 6, 7, 12, 23) || (unsigned int)a[0] >= 32;
    case __HYPERVISOR_set_callbacks:
    case __HYPERVISOR_sched_op_compat:
    case __HYPERVISOR_platform_op:
    case __HYPERVISOR_set_debugreg:
    case __HYPERVISOR_iret:
    case __HYPERVISOR_callback_op:
    case __HYPERVISOR_sysctl:
    case __HYPERVISOR_domctl:
    case __HYPERVISOR_kexec_op:
    case __HYPERVISOR_xenpmu_op:
    case __HYPERVISOR_hypfs_op:
    case __HYPERVISOR_arch_0:                   /* mca */
    case __HYPERVISOR_arch_1:                   /* paging_domctl_cont */
        return false;
    default:
        return true;
    }
}

static unsigned long cur_call, cur_nr, cur_args[6];

/* If a call leads to an exception, say which call it was. */
static bool blame(struct trap_frame *f)
{
    printk("hostile: exception %lu during call %lu: nr %lu (%#lx %#lx %#lx %#lx %#lx %#lx)\n",
           f->vector, cur_call, cur_nr, cur_args[0], cur_args[1], cur_args[2],
           cur_args[3], cur_args[4], cur_args[5]);
    return false;
}

static volatile unsigned long ipi_hits, timer_hits;

static void on_ipi(evtchn_port_t port, void *data)
{
    ipi_hits++;
}

static void on_timer(evtchn_port_t port, void *data)
{
    timer_hits++;
}

static void still_alive(void)
{
    unsigned long before;
    long port, tport;
    uint64_t end;

    check_eq("xen_version still answers", HYPERVISOR_xen_version(XENVER_version, NULL), (4 << 16) | 17);
    check_eq("trap table can be installed", traps_install(), 0);
    fault_reset();
    __asm__ __volatile__("int3\n1:\n" _ASM_EXTABLE(1b, 1b) ::: "memory");
    check(last_fault.hit && last_fault.vector == X86_EXC_BP, "exceptions still delivered",
          "hit %d vector %u", last_fault.hit, last_fault.vector);
    check_eq("callbacks can be registered", events_init_cpu(), 0);

    events_mask_all();
    port = evtchn_bind_ipi(0, on_ipi, NULL);
    check(port > 0, "bind_ipi still works", "rc %ld", port);
    evtchn_clear((evtchn_port_t)port);
    evtchn_unmask((evtchn_port_t)port);
    local_irq_enable();
    before = ipi_hits;
    evtchn_send((evtchn_port_t)port);
    check_eq("events still delivered", ipi_hits - before, 1);

    timer_stop_periodic();
    tport = evtchn_bind_virq(VIRQ_TIMER, 0, on_timer, NULL);
    if (tport == -XEN_EEXIST) {
        /* A random bind_virq got there first: find and reuse it. */
        for (evtchn_port_t p = 1; p < NR_EVTCHN_PORTS; p++) {
            struct evtchn_status st = { .dom = DOMID_SELF, .port = p };

            if (!HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) &&
                st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER && st.vcpu == 0) {
                evtchn_set_handler(p, 0, on_timer, NULL);
                tport = p;
                break;
            }
        }
    }
    check(tport > 0, "VIRQ_TIMER can be bound", "rc %ld", tport);
    evtchn_unmask((evtchn_port_t)tport);
    before = timer_hits;
    timer_set_singleshot(now_ns() + 2000000, 0);
    end = now_ns() + 2000000000ULL;
    while (timer_hits == before && now_ns() < end)
        evtchn_poll((evtchn_port_t)tport, end);
    check(timer_hits != before, "timers still fire", "no timer event in 2 s");
    local_irq_disable();
}

void test_main(void)
{
    char buf[32];
    unsigned long issued = 0, masked = 0, ok = 0, enosys = 0, efault = 0, other = 0;
    unsigned long via_page = 0, via_syscall = 0, calls = DEFAULT_CALLS, trace_from = ~0UL;

    rng_state = 0x5eed5eedcafef00dULL;
    if (cmdline_option("seed", buf, sizeof(buf)))
        rng_state = strtoul(buf, NULL, 0) | 1;
    if (cmdline_option("calls", buf, sizeof(buf)))
        calls = strtoul(buf, NULL, 0);
    /* trace=N prints calls from number N on (to find a culprit). */
    if (cmdline_option("trace", buf, sizeof(buf)))
        trace_from = strtoul(buf, NULL, 0);
    info("seed %#lx, %lu calls", (unsigned long)rng_state, calls);
    for (unsigned int i = 0; i < ARRAY_SIZE(mem.canary); i++)
        mem.canary[i] = CANARY(i);

    for (unsigned int v = 0; v < 32; v++)
        trap_set_handler(v, blame);

    while (issued < calls) {
        unsigned long nr, a[6];
        long rc;

        switch (rnd() % 4) {
        case 0:
        case 1: nr = rnd() % 56; break;                 /* the defined range */
        case 2: nr = rnd() % 128; break;                /* the whole page    */
        default: nr = random_arg(); break;              /* anything          */
        }
        for (unsigned int i = 0; i < 6; i++)
            a[i] = random_arg();
        if (!sanitise(nr, a)) {
            masked++;
            continue;
        }
        for (size_t i = 0; i < sizeof(scratch) / 8; i++)
            ((uint64_t *)scratch)[i] = rnd();
        cur_call = issued;
        cur_nr = nr;
        memcpy(cur_args, a, sizeof(cur_args));
        if (nr < 128 && (rnd() & 1)) {
            rc = hypercall_page_call(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            via_page++;
        } else {
            rc = hypercall_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            via_syscall++;
        }
        if (issued >= trace_from)
            printk("hostile: call %lu nr %lu (%#lx %#lx %#lx %#lx %#lx %#lx) = %ld\n", issued, nr,
                   a[0], a[1], a[2], a[3], a[4], a[5], rc);
        issued++;
        if (rc == 0)
            ok++;
        else if (rc == -XEN_ENOSYS)
            enosys++;
        else if (rc == -XEN_EFAULT)
            efault++;
        else
            other++;
    }
    for (unsigned int v = 0; v < 32; v++)
        trap_set_handler(v, NULL);
    HYPERVISOR_fpu_taskswitch(0);

    info("%lu calls (%lu via the page, %lu via syscall), %lu masked draws", issued, via_page,
         via_syscall, masked);
    info("results: %lu zero, %lu -ENOSYS, %lu -EFAULT, %lu other", ok, enosys, efault, other);
    check(issued == calls, "survived all random hypercalls", "%lu", issued);
    {
        unsigned int bad = 0;

        for (unsigned int i = 0; i < ARRAY_SIZE(mem.canary); i++)
            bad += mem.canary[i] != CANARY(i);
        check_eq("no write beyond the buffers the calls were given", bad, 0);
    }
    still_alive();
}
