/*
 * Generic start of day: command line, banner, boot information, then the
 * subsystems in dependency order.
 */
#include <pavise/lib.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/param.h>
#include <pavise/shutdown.h>
#include <pavise/arch.h>
#include <pavise/sched.h>
#include <pavise/domain.h>

extern const struct param __param_start[], __param_end[];

/* Test-only: fault on purpose to exercise the fatal-trap path. */
static char opt_testfault[16];
string_param("testfault", opt_testfault);

/* Test-only: stop the machine right after boot with this status. */
static unsigned int opt_test_exit = ~0u;
integer_param("test_exit", opt_test_exit);

/* Problems found while parsing are reported after the banner. */
static char param_problems[512];

static void report_param(const char *what, const char *tok, size_t len)
{
    size_t used = strlen(param_problems);
    pv_snprintf(param_problems + used, sizeof(param_problems) - used, "%s '%.*s' ignored\n",
                what, (int)len, tok);
}

static void print_banner(void)
{
    printk("\n");
    printk(" ____             _\n");
    printk("|  _ \\ __ ___   _(_)___  ___\n");
    printk("| |_) / _` \\ \\ / / / __|/ _ \\\n");
    printk("|  __/ (_| |\\ V /| \\__ \\  __/\n");
    printk("|_|   \\__,_| \\_/ |_|___/\\___|\n");
    printk("Pavise " PACKAGE_VERSION " (x86_64): paravirtualization-first hypervisor, Xen 4.17 PV guest ABI\n");
    printk("Built with gcc " __VERSION__ "\n");
}

static void print_boot_info(const struct boot_info *bi)
{
    printk("Loader: %s (multiboot%s)\n", bi->loader, bi->protocol == 2 ? "2" : "");
    printk("Command line: %s\n", bi->cmdline);
    printk("Memory map (%d entries):\n", bi->nr_memmap);
    for (int i = 0; i < bi->nr_memmap; i++) {
        const struct mem_region *r = &bi->memmap[i];
        printk(" %016lx - %016lx (%s)\n", r->addr, r->addr + r->size, memmap_type_name(r->type));
    }
    printk("RAM: %lu MiB usable\n", memmap_ram_total(bi->memmap, bi->nr_memmap) >> 20);
    printk("Image: %#lx - %#lx\n", bi->image_start, bi->image_end);
    printk("Modules: %u\n", bi->nr_mods);
    for (unsigned int i = 0; i < bi->nr_mods; i++) {
        const struct boot_module *m = &bi->mods[i];
        printk(" [%u] %#010lx - %#010lx (%lu KiB) '%s'\n", i, m->start, m->start + m->size,
               m->size >> 10, m->cmdline);
    }
}

__noreturn void start_pavise(struct boot_info *bi)
{
    int n;

    cmdline_parse(bi->cmdline, __param_start, (size_t)(__param_end - __param_start), report_param);
    console_init_postparse();
    print_banner();
    if (param_problems[0])
        printk(LOG_WARNING "%s", param_problems);

    n = memmap_sanitize(bi->memmap, bi->nr_memmap, MEMMAP_MAX);
    if (n < 0)
        panic("boot memory map cannot be sanitised");
    bi->nr_memmap = n;
    print_boot_info(bi);

    if (opt_testfault[0]) {
        printk(LOG_WARNING "testfault=%s: faulting on purpose\n", opt_testfault);
        arch_test_fault(opt_testfault);
        printk(LOG_ERR "testfault=%s: unknown fault kind (ud, pf, gp, de, bp)\n", opt_testfault);
    }

    arch_init(bi);

    if (opt_test_exit != ~0u) {
        printk("test_exit=%u: stopping the machine\n", opt_test_exit);
        machine_exit(opt_test_exit);
    }

    if (bi->nr_mods == 0) {
        printk("No dom0 kernel given (first multiboot module): nothing to run.\n");
        printk("Shutting down.\n");
        machine_exit(EXIT_POWEROFF);
    }
    if (start_boot_domains(bi) == 0) {
        printk(LOG_ERR "No domain could be started (see above): stopping the machine.\n");
        machine_exit(EXIT_NO_DOMAIN);
    }
    console_input_start();
    idle_loop();
}
