/*
 * physdev_op, platform_op and the compat event/physdev entry points
 * (Xen 4.17 arch/x86/physdev.c, platform_hypercall.c, compat.c).
 * Physical interrupts of the control domain's devices are routed as GSIs
 * (asm/pirq.h); MSI/MSI-X maps answer -EOPNOTSUPP, and PCI device reports
 * are accepted without a record until device assignment (VT-d) exists.
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
#include <pavise/smp.h>
#include <pvabi/physdev.h>
#include <pvabi/platform.h>
#include <pvabi/sched.h>
#include <pvabi/errno.h>
#include <asm/x86.h>
#include <asm/ioapic.h>
#include <asm/pirq.h>
#include <asm/acpi.h>
#include <asm/cpu.h>

long arch_pirq_bind(struct domain *d, unsigned int pirq, unsigned int port)
{
    return pirq_bind(d, pirq, port);
}

void arch_pirq_unbind(struct domain *d, unsigned int pirq, unsigned int port)
{
    pirq_unbind(d, pirq, port);
}

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
    case PHYSDEVOP_apic_read: {
        struct physdev_apic a;
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        if (copy_from_guest_raw(&a, arg, sizeof(a)))
            return -XEN_EFAULT;
        if (!ioapic_read_reg(a.apic_physbase, a.reg, &a.value))
            return -XEN_EINVAL;
        return copy_to_guest_raw(arg, &a, sizeof(a)) ? -XEN_EFAULT : 0;
    }
    case PHYSDEVOP_apic_write:
        /* The IO-APICs are the hypervisor's: routing goes through pirqs. */
        return -XEN_EPERM;
    case PHYSDEVOP_map_pirq: {
        struct physdev_map_pirq m;
        if (copy_from_guest_raw(&m, arg, sizeof(m)))
            return -XEN_EFAULT;
        struct domain *d = rcu_lock_domain_by_any_id(m.domid);
        if (!d)
            return -XEN_ESRCH;
        long rc;
        if (d != v->domain && !v->domain->is_privileged)
            rc = -XEN_EPERM;
        else if (m.type == MAP_PIRQ_TYPE_GSI)
            rc = m.index < 0 ? -XEN_EINVAL : pirq_map_gsi(d, (unsigned int)m.index, &m.pirq);
        else
            rc = -XEN_EOPNOTSUPP;       /* MSI/MSI-X are not routed yet */
        put_domain(d);
        if (!rc && copy_to_guest_raw(arg, &m, sizeof(m)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case PHYSDEVOP_unmap_pirq: {
        struct physdev_unmap_pirq u;
        if (copy_from_guest_raw(&u, arg, sizeof(u)))
            return -XEN_EFAULT;
        struct domain *d = rcu_lock_domain_by_any_id(u.domid);
        if (!d)
            return -XEN_ESRCH;
        long rc = (d != v->domain && !v->domain->is_privileged) ? -XEN_EPERM
                  : pirq_unmap(d, (unsigned int)u.pirq);
        put_domain(d);
        return rc;
    }
    case PHYSDEVOP_setup_gsi: {
        struct physdev_setup_gsi g;
        if (copy_from_guest_raw(&g, arg, sizeof(g)))
            return -XEN_EFAULT;
        if (g.gsi < 0)
            return -XEN_EINVAL;
        return pirq_setup_gsi(v->domain, (unsigned int)g.gsi, g.triggering, g.polarity);
    }
    case PHYSDEVOP_eoi: {
        struct physdev_eoi e;
        if (copy_from_guest_raw(&e, arg, sizeof(e)))
            return -XEN_EFAULT;
        return pirq_eoi(v->domain, e.irq);
    }
    case PHYSDEVOP_pirq_eoi_gmfn_v1:
    case PHYSDEVOP_pirq_eoi_gmfn_v2: {
        struct physdev_pirq_eoi_gmfn g;
        if (copy_from_guest_raw(&g, arg, sizeof(g)))
            return -XEN_EFAULT;
        return pirq_set_eoi_map(v->domain, g.gmfn, cmd == PHYSDEVOP_pirq_eoi_gmfn_v1);
    }
    case PHYSDEVOP_irq_status_query: {
        struct physdev_irq_status_query q;
        if (copy_from_guest_raw(&q, arg, sizeof(q)))
            return -XEN_EFAULT;
        long rc = pirq_status(v->domain, q.irq, &q.flags);
        if (!rc && copy_to_guest_raw(arg, &q, sizeof(q)))
            rc = -XEN_EFAULT;
        return rc;
    }
    case PHYSDEVOP_alloc_irq_vector: {
        /* A dummy in Xen too: vectors are the hypervisor's business; the
         * answer is the IRQ itself. */
        struct physdev_irq irq;
        if (copy_from_guest_raw(&irq, arg, sizeof(irq)))
            return -XEN_EFAULT;
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        irq.vector = irq.irq;
        return copy_to_guest_raw(arg, &irq, sizeof(irq)) ? -XEN_EFAULT : 0;
    }
    case PHYSDEVOP_pci_mmcfg_reserved:
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_manage_pci_add:
    case PHYSDEVOP_manage_pci_add_ext:
    case PHYSDEVOP_pci_device_remove:
    case PHYSDEVOP_manage_pci_remove:
        /* dom0 reports the PCI devices it found; Pavise needs no record
         * of them until devices are assigned (VT-d). */
        if (!v->domain->is_privileged)
            return -XEN_EPERM;
        return 0;
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
        /* Under the list lock: a domain on the list still has its
         * shared_info (domain_free() runs only after removal). */
        unsigned long f;
        spin_lock_irqsave(&domlist_lock, f);
        for (struct domain *d = domain_list; d; d = d->next_in_list)
            update_domain_wallclock_time(d);
        spin_unlock_irqrestore(&domlist_lock, f);
        return 0;
    }
    case XENPF_get_cpuinfo: {
        struct xenpf_pcpuinfo *p = &op.u.pcpu_info;
        p->max_present = nr_cpus_online - 1;
        if (p->xen_cpuid >= nr_cpus_online) {
            p->flags = XEN_PCPU_FLAGS_INVALID;
        } else {
            p->flags = XEN_PCPU_FLAGS_ONLINE;
            p->apic_id = cpu_apic_id[p->xen_cpuid];
            p->acpi_id = p->xen_cpuid < acpi_nr_cpus ? acpi_cpus[p->xen_cpuid].acpi_id : p->xen_cpuid;
        }
        return copy_to_guest_raw(arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
    }
    case XENPF_enter_acpi_sleep:
        /* S5 from the control domain: the machine powers off (Xen prints
         * "Entering ACPI S5 state" and does the same). Here dom0 is shut
         * down, so that the reaper tears every domain down (counting what
         * comes back) before the machine stops with status 0. */
        if (op.u.enter_acpi_sleep.sleep_state == 5) {
            printk("Entering ACPI S5 state: powering off\n");
            domain_shutdown(current->domain, SHUTDOWN_poweroff);
            return 0;
        }
        return -XEN_EOPNOTSUPP;
    default:
        return -XEN_ENOSYS;
    }
}
