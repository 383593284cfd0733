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

void test_main(void)
{
    trap_set_handler(X86_EXC_DB, count_db);
    breakpoint_on_hypercall_buffer();
}
