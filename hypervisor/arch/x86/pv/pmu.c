/*
 * HYPERVISOR_xenpmu_op: Pavise has no virtual PMU, which is what Xen 4.17
 * answers when its vPMU is off (the default: "vpmu" not on the command
 * line): -EOPNOTSUPP for every operation, before the arguments are read.
 * Linux then prints "VPMU disabled by hypervisor" and uses software events.
 */
#include <pavise/lib.h>
#include <pavise/hypercall.h>
#include <pvabi/errno.h>

long do_xenpmu_op(unsigned int op, void *arg)
{
    (void)op;
    (void)arg;
    return -XEN_EOPNOTSUPP;
}
