/*
 * physdev_op, platform_op and the compat event/physdev entry points
 * (Xen 4.17 arch/x86/physdev.c, platform_hypercall.c, compat.c).
 * Physical interrupt routing (map_pirq, setup_gsi, eoi ...) for the
 * control domain's devices is not implemented yet: those return -ENOSYS.
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/hypercall.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/guest_access.h>
#include <pavise/shutdown.h>
#include <pavise/time.h>
#include <pvabi/physdev.h>
#include <pvabi/platform.h>
#include <pvabi/errno.h>
#include <asm/x86.h>

long do_physdev_op(int cmd, void *arg)
{
    struct vcpu *v = current;

    switch (cmd) {
    case PHYSDEVOP_set_iopl: {
        struct physdev_set_iopl s;
        if (copy_from_guest_raw(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (s.iopl > 3)
            return -XEN_EINVAL;
        v->arch.iopl = s.iopl;
        return 0;
    }
    case PHYSDEVOP_set_iobitmap: {
        struct physdev_set_iobitmap s;
        if (copy_from_guest_raw(&s, arg, sizeof(s)))
            return -XEN_EFAULT;
        if (!guest_range_ok((unsigned long)s.bitmap.p, 8192) || s.nr_ports > 65536)
            return -XEN_EINVAL;
        v->arch.iobmp = (unsigned long)s.bitmap.p;
        v->arch.iobmp_limit = s.nr_ports;
        return 0;
    }
    case PHYSDEVOP_apic_read:
    case PHYSDEVOP_apic_write:
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        return -XEN_ENOSYS;
    default:
        return -XEN_ENOSYS;
    }
}

long do_physdev_op_compat(void *uop)
{
    struct { uint32_t cmd; uint8_t u[28]; } op;
    if (copy_from_guest_raw(&op, uop, sizeof(op)))
        return -XEN_EFAULT;
    long rc = do_physdev_op((int)op.cmd, (char *)uop + 4);
    return rc;
}

long do_event_channel_op_compat(void *uop)
{
    uint32_t cmd;
    if (copy_from_guest_raw(&cmd, uop, sizeof(cmd)))
        return -XEN_EFAULT;
    /* struct evtchn_op: cmd, then the union at offset 4. */
    return do_event_channel_op((int)cmd, (char *)uop + 4);
}

long do_platform_op(void *arg)
{
    struct xen_platform_op op;

    if (!current->domain->is_privileged)
        return -XEN_EPERM;
    if (copy_from_guest_raw(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -XEN_EACCES;

    switch (op.cmd) {
    case XENPF_firmware_info:
        switch (op.u.firmware_info.type) {
        case XEN_FW_DISK_INFO:
        case XEN_FW_DISK_MBR_SIGNATURE:
        case XEN_FW_VBEDDC_INFO:
            return -XEN_ESRCH;          /* no BIOS data collected at boot */
        case XEN_FW_EFI_INFO:
            return -XEN_ENOSYS;         /* not booted from EFI */
        case XEN_FW_KBD_SHIFT_FLAGS: {
            const uint8_t *bda = map_firmware(0x417, 1);
            op.u.firmware_info.u.kbd_shift_flags = bda ? *bda : 0;
            return copy_to_guest_raw(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
        }
        default:
            return -XEN_EINVAL;
        }
    case XENPF_settime64:
    case XENPF_settime32: {
        uint64_t secs = op.cmd == XENPF_settime64 ? op.u.settime64.secs : op.u.settime32.secs;
        uint32_t nsecs = op.cmd == XENPF_settime64 ? op.u.settime64.nsecs : op.u.settime32.nsecs;
        uint64_t sys = op.cmd == XENPF_settime64 ? op.u.settime64.system_time : op.u.settime32.system_time;
        if (op.cmd == XENPF_settime64 && op.u.settime64.mbz)
            return -XEN_EINVAL;
        /* Wall clock at system time 0 = the given time minus the given
         * system time. */
        uint64_t t = secs * 1000000000ULL + nsecs - sys;
        wallclock_sec_at_boot = t / 1000000000ULL;
        wallclock_nsec_at_boot = (uint32_t)(t % 1000000000ULL);
        for (struct domain *d = domain_list; d; d = d->next_in_list)
            update_domain_wallclock_time(d);
        return 0;
    }
    case XENPF_enter_acpi_sleep:
        /* S5 from the control domain: the machine powers off (Xen prints
         * "Entering ACPI S5 state" and does the same). */
        if (op.u.enter_acpi_sleep.sleep_state == 5) {
            printk("Entering ACPI S5 state: powering off\n");
            machine_exit(0);
        }
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
}
