/*
 * review: attacks found by the security review of the CPU and memory side
 * of the hypervisor (debug registers, privileged-instruction emulation,
 * vCPU contexts). Each check states what Xen 4.17 does with the attack;
 * before the fixes Pavise crashed, hung or leaked state between vCPUs.
 */
#include <pvguest/test.h>
#include <pvguest/smp.h>
#include <pvabi/version.h>
#include <pvabi/vcpu.h>
#include <pvabi/physdev.h>

const char test_title[] = "review: guest-controlled debug registers and emulation limits";

#define DR7_L0          0x1UL
#define DR7_RW0_RW      (3UL << 16)     /* break on data reads and writes */
#define DR7_LEN0_8      (2UL << 18)     /* 8 bytes (64-bit mode encoding) */
#define DR7_ONES        0x400UL

static char bp_buf[64] __aligned(64);
static volatile unsigned int db_hits;

static bool count_db(struct trap_frame *f)
{
    (void)f;
    db_hits++;
    return true;
}

/*
 * A data breakpoint on a hypercall's argument buffer fires while the
 * hypervisor copies into it. Xen 4.17 notes the #DB it takes in its own
 * context and carries on; the hypercall completes.
 */
static void breakpoint_on_hypercall_buffer(void)
{
    xen_extraversion_t want;

    check_eq("extraversion into a plain buffer", HYPERVISOR_xen_version(XENVER_extraversion, want), 0);
    check_eq("set DR0 to the buffer", HYPERVISOR_set_debugreg(0, (unsigned long)bp_buf), 0);
    check_eq("set DR7: read/write watch on DR0",
             HYPERVISOR_set_debugreg(7, DR7_ONES | DR7_L0 | DR7_RW0_RW | DR7_LEN0_8), 0);
    memset(bp_buf, 0, sizeof(bp_buf));      /* hits in guest context are ours */
    db_hits = 0;
    check_eq("extraversion into the watched buffer survives",
             HYPERVISOR_xen_version(XENVER_extraversion, bp_buf), 0);
    check(!memcmp(bp_buf, want, sizeof(want)), "the watched buffer holds the answer",
          "got '%.16s'", bp_buf);
    check_eq("clear DR7", HYPERVISOR_set_debugreg(7, DR7_ONES), 0);
    info("#DB delivered to the guest during the test: %u", db_hits);
}

/*
 * Debug registers given to another vCPU in its VCPUOP_initialise context
 * are that vCPU's: Xen 4.17 loads them when it runs. They must not become
 * live on the physical CPU of the caller (and of whatever runs there next,
 * other domains included).
 */
static char other_buf[64] __aligned(64);

static void ap_idle(unsigned int cpu)
{
    (void)cpu;
}

static void breakpoint_in_another_vcpus_context(void)
{
    static struct vcpu_guest_context ctx;
    volatile char *p = other_buf;

    smp_fill_context(&ctx, 1, ap_idle);
    ctx.debugreg[0] = (unsigned long)other_buf;
    ctx.debugreg[7] = DR7_ONES | DR7_L0 | DR7_RW0_RW | DR7_LEN0_8;
    shared_info->vcpu_info[1].evtchn_upcall_mask = 1;
    check_eq("initialise vCPU 1 with a watch in its context",
             HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx), 0);
    db_hits = 0;
    p[0] = 1;
    p[1] = p[0];
    check_equ("vCPU 0 does not take vCPU 1's breakpoint", db_hits, 0);
    check_eq("vCPU 0's DR7 is still clear", HYPERVISOR_get_debugreg(7), (long)DR7_ONES);
}

/*
 * A rep ins/outs runs as many iterations as the guest's rcx says, over as
 * much memory as it maps (one frame aliased across an L1, an L2, ... makes
 * that unbounded). Xen 4.17's emulator (rep_ins/rep_outs) stops at a
 * pending event or softirq and lets the guest re-execute the instruction
 * with what is left, so events are delivered in the middle of it. Pavise
 * ran the whole loop with the CPU held.
 */
#define INS_BYTES   (1UL << 20)
#define INS_PORT    0x80
static uint8_t ins_buf[INS_BYTES] __aligned(PAGE_SIZE);
static uint8_t ins_fill;
static volatile long ins_seen = -1;

static void on_ins_timer(evtchn_port_t port, void *data)
{
    unsigned long n = 0;

    (void)port;
    (void)data;
    if (ins_seen >= 0)
        return;
    while (n < INS_BYTES && ins_buf[n] != ins_fill)
        n++;
    ins_seen = (long)n;
}

static void long_rep_ins(void)
{
    struct physdev_set_iopl iopl = { .iopl = 1 };
    unsigned long left = INS_BYTES;
    void *dst = ins_buf;
    uint8_t probe;
    long rc;

    check_eq("set_iopl(1) for port I/O", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
    __asm__ volatile("inb %w1, %b0" : "=a"(probe) : "Nd"((uint16_t)INS_PORT));
    ins_fill = (uint8_t)~probe;
    memset(ins_buf, ins_fill, INS_BYTES);
    check_eq("stop the periodic timer", timer_stop_periodic(), 0);
    rc = evtchn_bind_virq(VIRQ_TIMER, 0, on_ins_timer, NULL);
    check(rc > 0, "bind VIRQ_TIMER for the rep insb", "rc %ld", rc);
    if (rc <= 0)
        return;
    check_eq("unmask the timer port", evtchn_unmask((evtchn_port_t)rc), 0);
    /*
     * On a loaded host the emulated CPU may stall long enough for the 2 ms
     * to pass before the first byte or after the last: then the event says
     * nothing about preemption. Try again (up to 5 times) in that case.
     */
    bool complete = true;
    for (unsigned int attempt = 0; attempt < 5; attempt++) {
        if (attempt) {
            info("timer event seen after %ld of %lu bytes: again", ins_seen, INS_BYTES);
            memset(ins_buf, ins_fill, INS_BYTES);
            ins_seen = -1;
        }
        left = INS_BYTES;
        dst = ins_buf;
        local_irq_enable();
        timer_set_singleshot(now_ns() + 2000000, 0);
        __asm__ volatile("rep insb" : "+c"(left), "+D"(dst) : "d"((uint16_t)INS_PORT) : "memory");
        /* Wait for a late event (so a retry starts clean). */
        for (uint64_t end = now_ns() + 5000000; ins_seen < 0 && now_ns() < end;)
            cpu_relax();
        local_irq_disable();
        if (left || ins_buf[0] != probe || ins_buf[INS_BYTES - 1] != probe)
            complete = false;
        if (ins_seen > 0 && ins_seen < (long)INS_BYTES)
            break;
    }
    check_equ("the long rep insb completes", left, 0);
    check(complete, "rep insb wrote every byte",
          "first %#x last %#x, want %#x", ins_buf[0], ins_buf[INS_BYTES - 1], probe);
    check(ins_seen > 0 && ins_seen < (long)INS_BYTES,
          "a timer event is delivered in the middle of a long rep insb",
          "seen after %ld of %lu bytes", ins_seen, INS_BYTES);
    check_eq("close the timer port", evtchn_close((evtchn_port_t)rc), 0);
    iopl.iopl = 0;
    check_eq("set_iopl(0)", HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &iopl), 0);
}

void test_main(void)
{
    trap_set_handler(X86_EXC_DB, count_db);
    breakpoint_on_hypercall_buffer();
    breakpoint_in_another_vcpus_context();
    long_rep_ins();
}
