/*
 * abuse: an unprivileged boot-time domain abusing hypervisor services
 * that only it can reach (Pavise only: Xen x86 has no boot-time domUs and
 * serves a domU's console ring from dom0's xenconsoled, not itself).
 *
 *   case=console-flood  claim more output in the console ring than it
 *                       holds, again and again, kicking the back end each
 *                       time: the hypervisor resets the indexes but must
 *                       not print a warning per kick (a domU could bury
 *                       the serial console and keep every CPU waiting on
 *                       the console lock). abuse.test counts the lines.
 *
 * A second domain (role=bystander) checks that it is still served.
 */
#include "../lib/idom.h"
#include <pvabi/io/console.h>

const char test_title[] = "interdom abuse: an unprivileged domain abusing hypervisor services";

#define FLOOD_KICKS 2000u

/* Our console ring, found again the way the library found it. */
static struct xencons_interface *console_ring(void)
{
    unsigned long mfn = start_info->console.domU.mfn;

    return (void *)(GUEST_VIRT_BASE + (mfn_to_pfn(mfn) << PAGE_SHIFT));
}

static void console_flood(void)
{
    struct xencons_interface *r = console_ring();
    evtchn_port_t port = start_info->console.domU.evtchn;
    unsigned int reset = 0;
    long rc = 0;

    for (unsigned int i = 0; i < FLOOD_KICKS && !rc; i++) {
        XENCONS_RING_IDX cons = READ_ONCE(r->out_cons);
        /* More than the ring holds: the back end must not believe it. */
        WRITE_ONCE(r->out_prod, cons + 0x10000u);
        wmb();
        rc = evtchn_send(port);
        /* The hypervisor drains synchronously: the indexes agree again. */
        if (READ_ONCE(r->out_cons) == READ_ONCE(r->out_prod))
            reset++;
    }
    check_eq("flood: every kick with corrupt indexes is accepted", rc, 0);
    check_equ("flood: the back end reset the indexes each time", reset, FLOOD_KICKS);
    /* And the ring still works: this line goes through it. */
    info("flood: %u kicks done", FLOOD_KICKS);
}

void test_main(void)
{
    char c[16];

    opt_str("case", c, sizeof(c), "");
    if (!strcmp(c, "console-flood"))
        console_flood();
    else if (!strcmp(c, "bystander"))
        check(true, "bystander: still running", "never");
    else
        test_error("case=console-flood|bystander expected, got '%s'", c);
}
