/*
 * Xen 4.17 public ABI: feature bits, as reported by
 * XENVER_get_features and named (without the XENFEAT_ prefix, '|'
 * separated, '!' for required) in a kernel's XEN_ELFNOTE_FEATURES note.
 * A kernel booted as dom0 must set XENFEAT_dom0 in its
 * XEN_ELFNOTE_SUPPORTED_FEATURES note.
 *
 * Pavise's own definitions; names follow Xen's public/features.h.
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_FEATURES_H
#define PVABI_FEATURES_H

/* Page tables may be written directly (not reported to 64-bit PV). */
#define XENFEAT_writable_page_tables       0
/* Descriptor tables may be written directly. */
#define XENFEAT_writable_descriptor_tables 1
/* The hypervisor translates pseudo-physical to machine (HVM, PVH). */
#define XENFEAT_auto_translated_physmap    2
/* The kernel runs in supervisor mode (ring 0). */
#define XENFEAT_supervisor_mode_kernel     3
/* PAE page directories may live above 4 GiB. */
#define XENFEAT_pae_pgdir_above_4gb        4
/* x86: MMU_PT_UPDATE_PRESERVE_AD is supported. */
#define XENFEAT_mmu_pt_update_preserve_ad  5
/* x86: MMUEXT_CLEAR_PAGE / MMUEXT_COPY_PAGE are supported. */
#define XENFEAT_highmem_assist             6
/* GNTTABOP_map_grant_ref copies the guest's available bits into the PTE. */
#define XENFEAT_gnttab_map_avail_bits      7
/* x86: the HVM callback vector is supported. */
#define XENFEAT_hvm_callback_vector        8
/* x86: pvclock is safe to use in HVM. */
#define XENFEAT_hvm_safe_pvclock           9
/* x86: HVM guests may use PIRQs. */
#define XENFEAT_hvm_pirqs                 10
/* The domain may run as dom0. */
#define XENFEAT_dom0                      11
/* (12, grant_map_identity, is deprecated and not defined.) */
/* XENMEMF_vnode may be used in memory_op. */
#define XENFEAT_memory_op_vnode_supported 13
/* Arm: SMC calling convention. */
#define XENFEAT_ARM_SMCCC_supported       14
/* x86/PVH: the ACPI RSDP may be anywhere (Linux guests only). */
#define XENFEAT_linux_rsdp_unrestricted   15
/* gfn == mfn for this domain's own pages, or not. */
#define XENFEAT_not_direct_mapped         16
#define XENFEAT_direct_mapped             17

/* Number of 32-bit submaps XENVER_get_features can report. */
#define XENFEAT_NR_SUBMAPS 1

#endif /* PVABI_FEATURES_H */
