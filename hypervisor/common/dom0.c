/*
 * Starting the boot-time domains and ending the machine when the control
 * domain is done. dom0_mem= and dom0_max_vcpus= as on Xen.
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/param.h>
#include <pavise/sched.h>
#include <pavise/shutdown.h>
#include <pavise/smp.h>
#include <pavise/event.h>
#include <pvabi/xen.h>

int pv_build_domain(struct domain *d, const struct boot_module *kmod, const char *cmdline,
                    const struct boot_module *initrd, unsigned long nr_pages, unsigned int nr_vcpus);

static uint64_t opt_dom0_mem;
static unsigned int opt_dom0_max_vcpus;

static int parse_dom0_mem(const char *val)
{
    const char *p = val, *end;
    uint64_t v;
    if (!p)
        return -1;
    /* "SIZE", or Xen's "max:SIZE" (min: is accepted and ignored). */
    while (*p) {
        bool is_max = !strncmp(p, "max:", 4), is_min = !strncmp(p, "min:", 4);
        if (is_max || is_min)
            p += 4;
        if (!parse_u64(p, &end, &v, true))
            return -1;
        if (!is_min)
            opt_dom0_mem = v;
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return 0;
}
custom_param("dom0_mem", parse_dom0_mem);
integer_param("dom0_max_vcpus", opt_dom0_max_vcpus);

char saved_cmdline[1024];

static unsigned long default_dom0_pages(void)
{
    struct mem_stats s;
    mem_stats(&s);
    /* Keep 1/16 of RAM (at most 128 MiB) for the hypervisor, as Xen. */
    unsigned long reserve = MIN(s.total / 16, 128UL << (20 - PAGE_SHIFT));
    return s.free > reserve ? s.free - reserve : s.free / 2;
}

void start_boot_domains(struct boot_info *bi)
{
    pv_snprintf(saved_cmdline, sizeof(saved_cmdline), "%s", bi->cmdline);
    if (bi->nr_mods == 0)
        return;

    unsigned long pages = opt_dom0_mem ? opt_dom0_mem >> PAGE_SHIFT : default_dom0_pages();
    unsigned int vcpus = opt_dom0_max_vcpus ? opt_dom0_max_vcpus : nr_cpus_online;
    if (vcpus > MAX_VIRT_CPUS_PER_DOM)
        vcpus = MAX_VIRT_CPUS_PER_DOM;

    struct domain *d = domain_create(0, "dom0", vcpus, pages, true);
    if (!d)
        panic("cannot create dom0");
    d->arch.iomem_all = true;
    d->is_initial = true;
    /* The loader's command line for a module starts with its file name. */
    const char *cmdline = cmdline_cook(bi->mods[0].cmdline, bi->loader);
    printk("dom0: kernel '%s', command line '%s', %lu MiB, %u vCPU(s)\n", bi->mods[0].cmdline,
           cmdline, pages >> (20 - PAGE_SHIFT), vcpus);
    if (pv_build_domain(d, &bi->mods[0], cmdline, bi->nr_mods > 1 ? &bi->mods[1] : NULL,
                        pages, vcpus))
        panic("could not build dom0 (see above)");
    /* The modules' memory was copied into dom0: give it back. */
    for (unsigned int i = 0; i < bi->nr_mods && i < 2; i++)
        release_boot_range(bi->mods[i].start, bi->mods[i].start + bi->mods[i].size);
    domain_unpause(d);
}

/* ------------------------------------------------------------ the end */

static volatile bool reap_pending;

void domain_shutdown_notify(struct domain *d)
{
    if (hardware_domain && d != hardware_domain)
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
    reap_pending = true;
    smp_send_event_check(0);
}

/* Run by CPU 0's idle loop: destroy domains that have shut down; when the
 * control domain is gone, stop the machine with its shutdown reason. */
void reap_domains(void)
{
    if (!reap_pending || smp_processor_id() != 0)
        return;
    reap_pending = false;
    for (;;) {
        struct domain *d;
        spin_lock(&domlist_lock);
        for (d = domain_list; d; d = d->next_in_list)
            if (d->state == DOM_SHUTDOWN)
                break;
        spin_unlock(&domlist_lock);
        if (!d)
            break;
        bool was_hw = d == hardware_domain;
        unsigned int reason = d->shutdown_reason;
        struct mem_stats before, after;
        mem_stats(&before);
        domain_destroy(d);
        mem_stats(&after);
        printk("d%u: destroyed, %lu frames returned (free %lu -> %lu of %lu)\n", d->domain_id,
               after.free - before.free, before.free, after.free, after.total);
        if (was_hw) {
            printk("Control domain finished (reason %u): stopping the machine.\n", reason);
            machine_exit(reason & 0x3f);
        }
    }
}
