/*
 * x86 start of day: called from head.S in long mode on the boot stack with
 * the loader's magic and boot-information address. Brings up the console
 * and the CPU tables, translates multiboot 1/2 information into the
 * loader-neutral struct boot_info, and hands over to generic code.
 */
#include <pavise/lib.h>
#include <pavise/boot.h>
#include <pavise/console.h>
#include <pavise/param.h>
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/x86.h>
#include <asm/page.h>
#include <asm/percpu.h>

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

struct boot_info boot_info;
extern char __image_start[], __image_end[];

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
} __packed;

struct mb1_mod {
    uint32_t mod_start, mod_end, string, reserved;
} __packed;

struct mb1_mmap {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __packed;

struct mb2_tag {
    uint32_t type, size;
} __packed;

/*
 * Loader strings are copied into the image: the loader's information
 * lives in memory the boot allocator will reuse.
 */
static char str_pool[8192];
static size_t str_used;

static const char *keep_str(const char *s)
{
    size_t n = strnlen(s, 2048);
    if (str_used + n + 1 > sizeof(str_pool))
        return "";
    char *d = str_pool + str_used;
    memcpy(d, s, n);
    d[n] = '\0';
    str_used += n + 1;
    return d;
}

static const char *boot_str(uint64_t pa)
{
    return pa ? keep_str((const char *)__va(pa)) : "";
}

static void add_region(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    if (bi->nr_memmap >= MEMMAP_MAX) {
        printk(LOG_WARNING "boot: memory map has more than %d entries; rest ignored\n", MEMMAP_MAX);
        return;
    }
    bi->memmap[bi->nr_memmap++] = (struct mem_region){ addr, len, type };
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *cmdline)
{
    if (bi->nr_mods >= MAX_BOOT_MODULES) {
        printk(LOG_WARNING "boot: more than %d modules; rest ignored\n", MAX_BOOT_MODULES);
        return;
    }
    if (end < start) {
        printk(LOG_WARNING "boot: module at %#lx ends before it starts; ignored\n", start);
        return;
    }
    bi->mods[bi->nr_mods++] = (struct boot_module){ start, end - start, cmdline };
}

static void parse_mb1(struct boot_info *bi, const struct mb1_info *mbi)
{
    const char *cmdline = "";

    bi->protocol = 1;
    if (mbi->flags & (1u << 9))
        bi->loader = boot_str(mbi->boot_loader_name);
    if (mbi->flags & (1u << 2))
        cmdline = boot_str(mbi->cmdline);
    bi->cmdline = cmdline_cook(cmdline, bi->loader);
    if (mbi->flags & (1u << 3)) {
        const struct mb1_mod *m = __va(mbi->mods_addr);
        for (uint32_t i = 0; i < mbi->mods_count && i < 64; i++)
            add_module(bi, m[i].mod_start, m[i].mod_end, boot_str(m[i].string));
    }
    if (mbi->flags & (1u << 6)) {
        uint64_t p = mbi->mmap_addr, end = p + mbi->mmap_length;
        while (p + sizeof(struct mb1_mmap) <= end) {
            const struct mb1_mmap *e = __va(p);
            add_region(bi, e->addr, e->len, e->type);
            p += e->size + 4;
        }
    } else if (mbi->flags & 1) {
        add_region(bi, 0, (uint64_t)mbi->mem_lower << 10, E820_RAM);
        add_region(bi, 0x100000, (uint64_t)mbi->mem_upper << 10, E820_RAM);
    }
}

static void parse_mb2(struct boot_info *bi, uint64_t pa)
{
    uint32_t total = *(const uint32_t *)__va(pa);
    const char *cmdline = "";

    bi->protocol = 2;
    for (uint64_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
        const struct mb2_tag *t = __va(pa + off);
        const uint8_t *body = (const uint8_t *)(t + 1);
        if (t->type == 0 || t->size < 8)
            break;
        switch (t->type) {
        case 1:
            cmdline = keep_str((const char *)body);
            break;
        case 2:
            bi->loader = keep_str((const char *)body);
            break;
        case 3: {
            const uint32_t *m = (const uint32_t *)body;
            add_module(bi, m[0], m[1], keep_str((const char *)(m + 2)));
            break;
        }
        case 6: {
            uint32_t esize = ((const uint32_t *)body)[0];
            if (esize < 24)
                break;
            for (uint32_t o = 16; o + esize <= t->size; o += esize) {
                const uint8_t *e = (const uint8_t *)t + o;
                add_region(bi, *(const uint64_t *)e, *(const uint64_t *)(e + 8),
                           *(const uint32_t *)(e + 16));
            }
            break;
        }
        }
        off += ROUNDUP((uint64_t)t->size, 8);
    }
    bi->cmdline = cmdline_cook(cmdline, bi->loader);
}

void __start_pavise(uint32_t magic, uint32_t info);

void __start_pavise(uint32_t magic, uint32_t info)
{
    struct boot_info *bi = &boot_info;

    console_init_early();
    desc_init_cpu(0, (char *)get_cpu_info() + sizeof(struct cpu_info) - STACK_SIZE);

    bi->loader = "unknown";
    bi->cmdline = "";
    bi->image_start = __pa(__image_start);
    bi->image_end = __pa(__image_end);
    if (magic == MB1_BOOT_MAGIC)
        parse_mb1(bi, __va(info));
    else if (magic == MB2_BOOT_MAGIC)
        parse_mb2(bi, info);
    else
        panic("not started by a multiboot loader (magic %#x)", magic);

    start_pavise(bi);
}
