/*
 * Boot memory map (E820 style) and its sanitiser. Loaders hand over maps
 * that may be unsorted, overlapping or unaligned; memmap_sanitize turns one
 * into a sorted list of disjoint regions, resolving overlaps in favour of
 * the more restrictive type and rounding RAM inwards to whole pages.
 */
#ifndef PAVISE_MEMMAP_H
#define PAVISE_MEMMAP_H

#include <pavise/types.h>

#define E820_RAM        1
#define E820_RESERVED   2
#define E820_ACPI       3
#define E820_NVS        4
#define E820_UNUSABLE   5

#define MEMMAP_MAX      128

struct mem_region {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
};

/* Sanitise map[0..n) in place; the array holds 'max' entries. Returns the
 * new count, or -1 if the result would not fit. */
int memmap_sanitize(struct mem_region *map, int n, int max);
const char *memmap_type_name(uint32_t type);
/* Highest end address of a RAM region (0 if none). */
uint64_t memmap_ram_end(const struct mem_region *map, int n);
/* Total bytes of RAM. */
uint64_t memmap_ram_total(const struct mem_region *map, int n);

#endif
