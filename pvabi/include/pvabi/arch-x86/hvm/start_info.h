/*
 * Xen 4.17 public ABI: the start-of-day structure of PVH (and HVM)
 * guests, whose physical address is in %ebx at the PHYS32_ENTRY point.
 * Address fields of 0 mean "not present" (nothing is loaded at 0); all
 * data is placed below 4 GiB.
 *
 * Layout (little endian):
 *   0 magic  XEN_HVM_START_MAGIC_VALUE ("xEn3" with bit 7 of 'E' set)
 *   4 version (1)   8 flags (SIF_*)   12 nr_modules
 *  16 modlist_paddr  24 cmdline_paddr  32 rsdp_paddr
 *  40 memmap_paddr   48 memmap_entries 52 reserved    (version >= 1)
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/arch-x86/hvm/start_info.h. Checked against /usr/include/xen.
 */
#ifndef PVABI_ARCH_X86_HVM_START_INFO_H
#define PVABI_ARCH_X86_HVM_START_INFO_H

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* Memory map entry types: the ACPI address range types. */
#define XEN_HVM_MEMMAP_TYPE_RAM       1
#define XEN_HVM_MEMMAP_TYPE_RESERVED  2
#define XEN_HVM_MEMMAP_TYPE_ACPI      3
#define XEN_HVM_MEMMAP_TYPE_NVS       4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE  5
#define XEN_HVM_MEMMAP_TYPE_DISABLED  6
#define XEN_HVM_MEMMAP_TYPE_PMEM      7

#ifndef __ASSEMBLER__
#include <stdint.h>

struct hvm_start_info {
    uint32_t magic;             /* XEN_HVM_START_MAGIC_VALUE             */
    uint32_t version;           /* 1                                     */
    uint32_t flags;             /* SIF_*                                 */
    uint32_t nr_modules;
    uint64_t modlist_paddr;     /* array of struct hvm_modlist_entry     */
    uint64_t cmdline_paddr;     /* NUL-terminated command line           */
    uint64_t rsdp_paddr;        /* ACPI RSDP                             */
    uint64_t memmap_paddr;      /* array of struct hvm_memmap_table_entry */
    uint32_t memmap_entries;    /* 0: no memory map                      */
    uint32_t reserved;          /* zero                                  */
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;              /* bytes                                 */
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;              /* bytes                                 */
    uint32_t type;              /* XEN_HVM_MEMMAP_TYPE_*                 */
    uint32_t reserved;          /* zero                                  */
};
#endif /* !__ASSEMBLER__ */

#endif /* PVABI_ARCH_X86_HVM_START_INFO_H */
