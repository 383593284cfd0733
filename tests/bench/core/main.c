/*
 * bench-core: the costs of the PV core, measured from inside a dom0 guest
 * so that the same image runs on Xen 4.17 and on Pavise:
 *
 *   null-hypercall   xen_version(XENVER_version) through the hypercall page
 *   multicall-32     one multicall of 32 null hypercalls (per hypercall)
 *   self-notify      EVTCHNOP_send on an IPI port bound to this vCPU, until
 *                    its handler has run (send + upcall + iret)
 *   trap-bounce      int3 bounced to the guest's handler and back (iret)
 *
 * Each figure is the median of 7 rounds of N operations, in ns of guest
 * system time per operation, printed as "bench NAME: T ns/op".
 */
#include <pvguest/test.h>
#include <pvguest/events.h>
#include <pvguest/time.h>
#include <pvguest/traps.h>

const char test_title[] = "bench-core: hypercall, event and trap costs";

#define ROUNDS 7

static uint64_t median(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++)
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

/* Runs fn(n) ROUNDS times; prints and returns the median ns per op (x100). */
static uint64_t measure(const char *name, void (*fn)(unsigned long), unsigned long n)
{
    uint64_t t[ROUNDS];
    fn(n / 10 + 1);                     /* warm up */
    for (unsigned int r = 0; r < ROUNDS; r++) {
        uint64_t a = now_ns();
        fn(n);
        t[r] = (now_ns() - a) * 100 / n;
    }
    uint64_t m = median(t, ROUNDS);
    printk("bench %s: %lu.%02lu ns/op (%lu ops x %u rounds)\n", name, m / 100, m % 100, n,
           ROUNDS);
    return m;
}

static void null_hypercalls(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        (void)HYPERVISOR_xen_version(XENVER_version, NULL);
}

static struct multicall_entry mc[32];

static void multicalls(unsigned long n)
{
    for (unsigned long i = 0; i < n / 32; i++)
        (void)HYPERVISOR_multicall(mc, 32);
}

static volatile unsigned long notified;
static evtchn_port_t ipi_port;

static void on_ipi(evtchn_port_t port, void *data)
{
    (void)port;
    (void)data;
    notified++;
}

static bool stuck;

static void self_notify(unsigned long n)
{
    for (unsigned long i = 0; i < n && !stuck; i++) {
        unsigned long want = notified + 1;
        (void)evtchn_send(ipi_port);
        for (unsigned long spin = 0; notified != want; spin++)
            if (spin > 100000000UL) {
                stuck = true;           /* never delivered: give up */
                break;
            }
    }
}

static volatile unsigned long traps;

static bool on_int3(struct trap_frame *f)
{
    (void)f;
    traps++;
    return true;
}

static void trap_bounces(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        __asm__ volatile("int3" ::: "memory");
}

void test_main(void)
{
    char buf[24];
    const char *arg = cmdline_option("n", buf, sizeof(buf));
    unsigned long n = strtoul(arg ? arg : "20000", NULL, 10);
    if (n < 100)
        n = 100;

    check_eq("null hypercall answers", HYPERVISOR_xen_version(XENVER_version, NULL),
             (4 << 16) | 17);
    measure("null-hypercall", null_hypercalls, n);

    for (unsigned int i = 0; i < 32; i++) {
        mc[i].op = __HYPERVISOR_xen_version;
        mc[i].args[0] = XENVER_version;
    }
    check_eq("multicall of 32 returns 0", HYPERVISOR_multicall(mc, 32), 0);
    check_eq("multicall results", (long)mc[31].result, (4 << 16) | 17);
    measure("multicall-32-per-entry", multicalls, n);

    long port = evtchn_bind_ipi(0, on_ipi, NULL);
    check(port > 0, "bind an IPI port to vCPU 0", "rc %ld", port);
    if (port > 0) {
        ipi_port = (evtchn_port_t)port;
        check_eq("unmask the port", evtchn_unmask(ipi_port), 0);
        local_irq_enable();
        self_notify(1);
        check_equ("self-notify delivers", notified, 1);
        if (!stuck)
            measure("self-notify", self_notify, n);
    }

    trap_set_handler(X86_EXC_BP, on_int3);
    trap_bounces(1);
    check_equ("int3 reaches the handler", traps, 1);
    measure("trap-bounce", trap_bounces, n);
}
