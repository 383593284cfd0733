/* What the loader told us, in loader-neutral form (arch code fills it). */
#ifndef PAVISE_BOOT_H
#define PAVISE_BOOT_H

#include <pavise/types.h>
#include <pavise/memmap.h>

#define MAX_BOOT_MODULES 16

struct boot_module {
    paddr_t start;
    uint64_t size;
    const char *cmdline;        /* as the loader gave it (image name included) */
};

struct boot_info {
    const char *cmdline;        /* hypervisor options, image name stripped */
    const char *loader;         /* boot loader name, or "unknown" */
    int protocol;               /* 1 = multiboot, 2 = multiboot2 */
    struct mem_region memmap[MEMMAP_MAX];
    int nr_memmap;
    struct boot_module mods[MAX_BOOT_MODULES];
    unsigned int nr_mods;
    paddr_t image_start, image_end;     /* hypervisor image, physical */
};

extern struct boot_info boot_info;

/* Generic start of day, called by arch code once the CPU is in long mode
 * with a console. Never returns. */
__noreturn void start_pavise(struct boot_info *bi);

#endif
