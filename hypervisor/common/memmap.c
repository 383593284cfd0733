/* E820 memory-map sanitiser (see pavise/memmap.h). Host-tested. */
#include <pavise/lib.h>
#include <pavise/memmap.h>

#define PAGE 4096ULL

/* Larger rank wins where regions overlap. Unknown types count as reserved. */
static int rank(uint32_t type)
{
    switch (type) {
    case E820_RAM: return 1;
    case E820_ACPI: return 2;
    case E820_NVS: return 3;
    case E820_RESERVED: return 4;
    case E820_UNUSABLE: return 5;
    default: return 4;
    }
}

static uint32_t normal_type(uint32_t type)
{
    return (type >= E820_RAM && type <= E820_UNUSABLE) ? type : E820_RESERVED;
}

static void sort_u64(uint64_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

int memmap_sanitize(struct mem_region *map, int n, int max)
{
    uint64_t pts[2 * MEMMAP_MAX];
    struct mem_region in[MEMMAP_MAX];
    int npts = 0, nin = 0, out = 0;

    if (n > MEMMAP_MAX || max <= 0)
        return -1;

    /* Copy valid entries; clamp ones that wrap past 2^64. */
    for (int i = 0; i < n; i++) {
        uint64_t a = map[i].addr, s = map[i].size;
        if (s == 0)
            continue;
        if (a + s < a)
            s = UINT64_MAX - a;
        if (map[i].type == E820_RAM) {
            /* RAM counts only in whole pages. */
            uint64_t start = ROUNDUP(a, PAGE);
            uint64_t end = ROUNDDOWN(a + s, PAGE);
            if (start < a || end <= start)
                continue;
            a = start;
            s = end - start;
        }
        in[nin].addr = a;
        in[nin].size = s;
        in[nin].type = normal_type(map[i].type);
        pts[npts++] = a;
        pts[npts++] = a + s;
        nin++;
    }
    sort_u64(pts, npts);

    /* Each span between consecutive boundaries takes the winning type. */
    for (int i = 0; i + 1 < npts; i++) {
        uint64_t lo = pts[i], hi = pts[i + 1];
        uint32_t type = 0;
        if (lo == hi)
            continue;
        for (int j = 0; j < nin; j++)
            if (in[j].addr <= lo && in[j].addr + in[j].size >= hi &&
                (!type || rank(in[j].type) > rank(type)))
                type = in[j].type;
        if (!type)
            continue;
        if (out > 0 && map[out - 1].type == type && map[out - 1].addr + map[out - 1].size == lo) {
            map[out - 1].size += hi - lo;
            continue;
        }
        if (out >= max)
            return -1;
        map[out].addr = lo;
        map[out].size = hi - lo;
        map[out].type = type;
        out++;
    }
    return out;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case E820_RAM: return "RAM";
    case E820_RESERVED: return "reserved";
    case E820_ACPI: return "ACPI data";
    case E820_NVS: return "ACPI NVS";
    case E820_UNUSABLE: return "unusable";
    default: return "unknown";
    }
}

uint64_t memmap_ram_end(const struct mem_region *map, int n)
{
    uint64_t end = 0;
    for (int i = 0; i < n; i++)
        if (map[i].type == E820_RAM && map[i].addr + map[i].size > end)
            end = map[i].addr + map[i].size;
    return end;
}

uint64_t memmap_ram_total(const struct mem_region *map, int n)
{
    uint64_t t = 0;
    for (int i = 0; i < n; i++)
        if (map[i].type == E820_RAM)
            t += map[i].size;
    return t;
}
