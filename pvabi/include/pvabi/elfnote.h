/*
 * Xen 4.17 public ABI: ELF notes of a PV (and PVH) kernel image.
 *
 * Notes have owner "Xen" and one of these types. "numeric" notes hold a
 * little-endian integer of 1, 2, 4 or 8 bytes; "string" notes a
 * NUL-terminated string. The domain builder reads them to load the image.
 *
 * Pavise's own definitions; names follow Xen's public/elfnote.h.
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_ELFNOTE_H
#define PVABI_ELFNOTE_H

#define XEN_ELFNOTE_INFO           0    /* unused padding                 */
/* Virtual entry point (numeric). Used instead of the ELF e_entry. */
#define XEN_ELFNOTE_ENTRY          1
/* Virtual address of a page the builder fills with hypercall stubs. */
#define XEN_ELFNOTE_HYPERCALL_PAGE 2
/* Virtual address of pseudo-physical 0 (numeric). */
#define XEN_ELFNOTE_VIRT_BASE      3
/* Segment VA = p_paddr + VIRT_BASE - PADDR_OFFSET (numeric). */
#define XEN_ELFNOTE_PADDR_OFFSET   4
/* ABI generation the kernel expects (string, must start "xen-3.0"). */
#define XEN_ELFNOTE_XEN_VERSION    5
/* Guest OS name (string, informational; "linux" counts as "generic"). */
#define XEN_ELFNOTE_GUEST_OS       6
/* Guest OS version (string, informational). */
#define XEN_ELFNOTE_GUEST_VERSION  7
/* Loader type (string, "generic"). */
#define XEN_ELFNOTE_LOADER         8
/* 32-bit PAE mode: "yes", "no", "bimodal" (string). */
#define XEN_ELFNOTE_PAE_MODE       9
/* Features wanted: XENFEAT_ names separated by '|', '!' = required. */
#define XEN_ELFNOTE_FEATURES      10
/* Load the symbol table after the image (string "yes"). */
#define XEN_ELFNOTE_BSD_SYMTAB    11
/* Lowest hypervisor address a 32-bit PAE guest tolerates (numeric). */
#define XEN_ELFNOTE_HV_START_LOW  12
/* PTE mask/value that mark a valid MFN (numeric pair). */
#define XEN_ELFNOTE_L1_MFN_VALID  13
/* The guest handles a cancelled suspend (numeric, 1). */
#define XEN_ELFNOTE_SUSPEND_CANCEL 14
/* Virtual address at which to map the initial p2m list (numeric). */
#define XEN_ELFNOTE_INIT_P2M      15
/* The initial module may be passed as a PFN (numeric, 1). */
#define XEN_ELFNOTE_MOD_START_PFN 16
/* 32-bit bitmap of XENFEAT_* the kernel supports (numeric). */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17
/* 32-bit physical entry point for PVH boot (numeric). */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_ENTRY

/* Notes in crash dumps, not in kernel images. */
#define XEN_ELFNOTE_CRASH_INFO 0x1000001
#define XEN_ELFNOTE_CRASH_REGS 0x1000002

/* Notes in the ".note.Xen" section of domain core dumps. */
#define XEN_ELFNOTE_DUMPCORE_NONE               0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER             0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION        0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION     0x2000003

#endif /* PVABI_ELFNOTE_H */
