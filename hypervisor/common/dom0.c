/*
 * Starting the boot-time domains and ending the machine when the control
 * domain is done. dom0_mem= and dom0_max_vcpus= as on Xen.
 */
#include <pavise/lib.h>
#include <pavise/arch.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/param.h>
#include <pavise/sched.h>
#include <pavise/shutdown.h>
#include <pavise/smp.h>
#include <pavise/softirq.h>
#include <pavise/event.h>
#include <pvabi/xen.h>
#include <pvabi/sched.h>


static struct domain *build_dom0(struct boot_info *bi, int kmod, int imod);
static size_t strcspn_comma(const char *p)
{
    size_t n = 0;
    while (p[n] && p[n] != ',')
        n++;
    return n;
}

static uint64_t opt_dom0_mem, opt_dom0_mem_max;
static unsigned int opt_dom0_max_vcpus;

static int parse_dom0_mem(const char *val)
{
    const char *p = val, *end;
    uint64_t v;
    if (!p)
        return -1;
    /* Xen's "[min:SIZE,][max:SIZE,][SIZE]" (min: is accepted and ignored). */
    while (*p) {
        bool is_max = !strncmp(p, "max:", 4), is_min = !strncmp(p, "min:", 4);
        if (is_max || is_min)
            p += 4;
        if (!parse_u64(p, &end, &v, true))
            return -1;
        if (is_max)
            opt_dom0_mem_max = v;
        else if (!is_min)
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

/*
 * Boot-time domains besides dom0 (dom0-less style), one option each:
 *
 *   domu=NAME,module=K[,initrd=I][,mem=SIZE][,vcpus=N]
 *
 * K and I are 0-based multiboot module indexes; the module's own command
 * line (after its first word) is the kernel's. Modules named by domu=
 * options are not dom0's: dom0 takes the first other module as its kernel
 * and the next as its initrd; with no module left there is no dom0.
 * Default memory 32 MiB, 1 vCPU. Domain ids follow the order given.
 */
#define MAX_DOMU 8
struct domu_spec {
    char name[24];
    int module, initrd;
    uint64_t mem;
    unsigned int vcpus;
};
static struct domu_spec domu_specs[MAX_DOMU];
static unsigned int nr_domu;

static int parse_domu(const char *val)
{
    struct domu_spec sp = { .module = -1, .initrd = -1, .mem = 32UL << 20, .vcpus = 1 };
    const char *p = val, *end;
    uint64_t v;

    if (!val || nr_domu == MAX_DOMU)
        return -1;
    size_t n = strcspn_comma(p);
    if (n == 0 || n >= sizeof(sp.name))
        return -1;
    memcpy(sp.name, p, n);
    p += n;
    while (*p == ',') {
        p++;
        if (!strncmp(p, "module=", 7) && parse_u64(p + 7, &end, &v, false) && v < MAX_BOOT_MODULES)
            sp.module = (int)v;
        else if (!strncmp(p, "initrd=", 7) && parse_u64(p + 7, &end, &v, false) && v < MAX_BOOT_MODULES)
            sp.initrd = (int)v;
        else if (!strncmp(p, "mem=", 4) && parse_u64(p + 4, &end, &v, true) && v >= (4UL << 20))
            sp.mem = v;
        else if (!strncmp(p, "vcpus=", 6) && parse_u64(p + 6, &end, &v, false) && v >= 1 &&
                 v <= MAX_VIRT_CPUS_PER_DOM)
            sp.vcpus = (unsigned int)v;
        else
            return -1;
        p = end;
    }
    if (*p || sp.module < 0)
        return -1;
    domu_specs[nr_domu++] = sp;
    return 0;
}
custom_param("domu", parse_domu);

static bool module_claimed(unsigned int idx)
{
    for (unsigned int i = 0; i < nr_domu; i++)
        if (domu_specs[i].module == (int)idx || domu_specs[i].initrd == (int)idx)
            return true;
    return false;
}

static struct domain *build_domu(struct boot_info *bi, const struct domu_spec *sp, domid_t id)
{
    if ((unsigned int)sp->module >= bi->nr_mods ||
        (sp->initrd >= 0 && (unsigned int)sp->initrd >= bi->nr_mods)) {
        printk(LOG_ERR "domu=%s: no such module; not started\n", sp->name);
        return NULL;
    }
    unsigned long pages = sp->mem >> PAGE_SHIFT;
    struct domain *d = domain_create(id, sp->name, sp->vcpus, pages, false);
    if (!d) {
        printk(LOG_ERR "domu=%s: cannot create the domain\n", sp->name);
        return NULL;
    }
    d->is_initial = true;
    const struct boot_module *k = &bi->mods[sp->module];
    const char *cmdline = cmdline_cook(k->cmdline, bi->loader);
    printk("d%u (%s): module %d, command line '%s', %lu MiB, %u vCPU(s)\n", id, sp->name,
           sp->module, cmdline, pages >> (20 - PAGE_SHIFT), sp->vcpus);
    if (arch_build_domain(d, k, cmdline, sp->initrd >= 0 ? &bi->mods[sp->initrd] : NULL, pages,
                        sp->vcpus)) {
        printk(LOG_ERR "d%u (%s): could not be built; destroyed\n", id, sp->name);
        domain_destroy(d);
        return NULL;
    }
    return d;
}

/* dom0's maximum reservation: dom0_mem=max:, else unlimited (Xen's
 * UINT_MAX: dom0 may balloon up to any size). */
unsigned long dom0_max_pages(void)
{
    uint64_t pages = opt_dom0_mem_max >> PAGE_SHIFT;
    return opt_dom0_mem_max && pages < UINT32_MAX ? pages : UINT32_MAX;
}

unsigned long dom0_default_pages(void)
{
    struct mem_stats s;
    mem_stats(&s);
    /* Keep 1/16 of RAM (at most 128 MiB) for the hypervisor, as Xen. */
    unsigned long reserve = MIN(s.total / 16, 128UL << (20 - PAGE_SHIFT));
    return s.free > reserve ? s.free - reserve : s.free / 2;
}

/* mmu_audit: audit page types whenever a domain has shut down (debug). */
static bool opt_mmu_audit;
boolean_param("mmu_audit", opt_mmu_audit);
static unsigned long audit_violations;

static unsigned long free_before_domains, pool_before, live_before;

/*
 * The machine's end: whether every frame and every hypervisor allocation
 * the domains had came back. Pages the small-allocation pool took on the
 * way are kept by it (not a leak); blocks still live are.
 */
static void report_leaks(void)
{
    if (opt_mmu_audit)
        printk("audit: %lu violation(s) in all\n", audit_violations);
    struct mem_stats s;
    unsigned long pool, live;
    mem_stats(&s);
    xmalloc_stats(&pool, &live);
    long frames = (long)free_before_domains - (long)s.free - (long)(pool - pool_before);
    long blocks = (long)live - (long)live_before;
    printk("Memory: %lu frames free after all domains, %lu before them, %lu kept by the "
           "allocation pool; %ld allocation(s) still live: %s\n", s.free, free_before_domains,
           pool - pool_before, blocks, frames > 0 || blocks > 0 ? "LEAKED" : "nothing leaked");
    if (frames > 0)
        printk(LOG_ERR "%ld frame(s) not returned\n", frames);
}

unsigned int start_boot_domains(struct boot_info *bi)
{
    struct mem_stats s;
    mem_stats(&s);
    free_before_domains = s.free;
    xmalloc_stats(&pool_before, &live_before);
    pv_snprintf(saved_cmdline, sizeof(saved_cmdline), "%s", bi->cmdline);
    int kmod = -1, imod = -1;
    for (unsigned int i = 0; i < bi->nr_mods; i++) {
        if (module_claimed(i))
            continue;
        if (kmod < 0)
            kmod = (int)i;
        else if (imod < 0)
            imod = (int)i;
    }
    /*
     * The other boot domains are built first, so that dom0's default size
     * (everything left but a reserve) leaves them their memory; all start
     * together once built.
     */
    struct domain *built[MAX_DOMU + 1];
    unsigned int nr_built = 0;
    for (unsigned int i = 0; i < nr_domu; i++) {
        struct domain *d = build_domu(bi, &domu_specs[i], (domid_t)(i + 1));
        if (d)
            built[nr_built++] = d;
    }
    if (kmod >= 0)
        built[nr_built++] = build_dom0(bi, kmod, imod);
    for (unsigned int i = 0; i < nr_built; i++)
        domain_unpause(built[i]);
    /* The modules were copied into their domains: give the memory back. */
    struct mem_stats r0, r1;
    mem_stats(&r0);
    for (unsigned int i = 0; i < bi->nr_mods; i++)
        release_boot_range(bi->mods[i].start, bi->mods[i].start + bi->mods[i].size);
    mem_stats(&r1);
    free_before_domains += r1.free - r0.free;
    return nr_built;
}

static struct domain *build_dom0(struct boot_info *bi, int kmod, int imod)
{
    /* 0: the builder sizes dom0 once the kernel is unpacked. */
    unsigned long pages = opt_dom0_mem ? opt_dom0_mem >> PAGE_SHIFT : 0;
    unsigned int vcpus = opt_dom0_max_vcpus ? opt_dom0_max_vcpus : nr_cpus_online;
    if (vcpus > MAX_VIRT_CPUS_PER_DOM)
        vcpus = MAX_VIRT_CPUS_PER_DOM;

    struct domain *d = domain_create(0, "dom0", vcpus, pages, true);
    if (!d)
        panic("cannot create dom0");
    d->arch.iomem_all = true;
    d->is_initial = true;
    /* The loader's command line for a module starts with its file name. */
    const char *cmdline = cmdline_cook(bi->mods[kmod].cmdline, bi->loader);
    if (pages)
        printk("dom0: module %d, command line '%s', %lu MiB, %u vCPU(s)\n", kmod, cmdline,
               pages >> (20 - PAGE_SHIFT), vcpus);
    else
        printk("dom0: module %d, command line '%s', all free memory but a reserve, %u vCPU(s)\n",
               kmod, cmdline, vcpus);
    if (arch_build_domain(d, &bi->mods[kmod], cmdline, imod >= 0 ? &bi->mods[imod] : NULL,
                        pages, vcpus))
        panic("could not build dom0 (see above)");
    return d;
}

/* ------------------------------------------------------------ the end */

static volatile bool reap_pending;


void domain_shutdown_notify(struct domain *d)
{
    if (hardware_domain && d != hardware_domain)
        send_guest_global_virq(hardware_domain, VIRQ_DOM_EXC);
    reap_pending = true;
    /* CPU 0 reaps from its idle context: make it reschedule (schedule()
     * sends it to idle while reap_wanted()), even if it is busy. */
    cpu_raise_softirq(0, SCHEDULE_SOFTIRQ);
}

static unsigned int first_failure;

static __noreturn void reap_others_and_exit(unsigned int reason)
{
    for (;;) {
        struct domain *d;
        spin_lock(&domlist_lock);
        d = domain_list;
        spin_unlock(&domlist_lock);
        if (!d)
            break;
        domain_destroy(d);
    }
    report_leaks();
    printk("Control domain finished (reason %u): stopping the machine.\n", reason);
    machine_exit(reason & 0x3f);
}

bool reap_wanted(void)
{
    return reap_pending;
}

/* Run by CPU 0's idle loop: destroy domains that have shut down. When the
 * control domain is gone, or (without one) when every domain is, stop the
 * machine: with dom0's shutdown reason, or else 0 if every domain powered
 * off and the first other reason if not. */
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
        if (opt_mmu_audit)
            audit_violations += audit_page_types();
        domid_t id = d->domain_id;
        struct mem_stats before, after;
        mem_stats(&before);
        domain_destroy(d);      /* d may be gone from here on */
        mem_stats(&after);
        printk("d%u: free memory %lu -> %lu of %lu frames\n", id, before.free, after.free,
               after.total);
        if (was_hw) {
            /* Take the others down with it, then stop. */
            for (struct domain *o = domain_list; o; o = o->next_in_list)
                domain_shutdown(o, SHUTDOWN_poweroff);
            reap_others_and_exit(reason);
        }
        if (reason != SHUTDOWN_poweroff && !first_failure)
            first_failure = reason;
        if (!domain_list) {
            report_leaks();
            printk("All domains finished: stopping the machine (status %u).\n", first_failure);
            machine_exit(first_failure & 0x3f);
        }
    }
}
