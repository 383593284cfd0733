/*
 * Hypervisor virtual memory layout (x86-64).
 *
 * Pavise lives entirely inside the L4 slots Xen 4.17 reserves for the
 * hypervisor (256-271, HYPERVISOR_VIRT_START..END in the public headers), so
 * 64-bit PV guests own the rest of the address space, exactly as on Xen.
 *
 *  0xffff800000000000 slot 256  read-only M2P, guest readable (Xen's RO_MPT)
 *  0xffff820000000000 slot 260  per-domain area (per-vCPU GDT/LDT windows)
 *  0xffff828000000000 slot 261  read-write M2P
 *  0xffff82c000000000 slot 261  ioremap area (UC mappings of MMIO)
 *  0xffff82d040000000 slot 261  hypervisor image (text, data, bss)
 *  0xffff830000000000 slots 262-271  direct map of all RAM (5 TiB)
 *
 * Included from assembly too: constants only.
 */
#ifndef ASM_CONFIG_H
#define ASM_CONFIG_H

#define HV_VIRT_START          0xffff800000000000
#define HV_VIRT_END            0xffff880000000000
#define HV_FIRST_SLOT          256
#define HV_LAST_SLOT           271

#define RO_MPT_VIRT_START      0xffff800000000000
#define RO_MPT_VIRT_END        0xffff804000000000
#define PERDOMAIN_VIRT_START   0xffff820000000000
#define PERDOMAIN_SLOT         260
#define RDWR_MPT_VIRT_START    0xffff828000000000
#define RDWR_MPT_VIRT_END      0xffff82c000000000
#define IOREMAP_VIRT_START     0xffff82c000000000
#define IOREMAP_VIRT_END       0xffff82d000000000
#define HV_IMAGE_VIRT_START    0xffff82d040000000
#define DIRECTMAP_VIRT_START   0xffff830000000000
#define DIRECTMAP_VIRT_END     0xffff880000000000

/* Physical load address of the image, and the link-time offset. */
#define HV_PHYS_START          0x200000
#define HV_VIRT_OFFSET         (HV_IMAGE_VIRT_START)

#define PAGE_SHIFT             12
#define PAGE_SIZE              4096

#define STACK_ORDER            3               /* 32 KiB per-CPU stacks */
#define STACK_SIZE             (PAGE_SIZE << STACK_ORDER)
#define IST_STACK_SIZE         PAGE_SIZE
#define NR_CPUS                8
#define CPU_INFO_SIZE          200     /* sizeof(struct cpu_info), checked */

/*
 * GDT selectors. Pavise uses Xen's reserved GDT entries (index 7168 up,
 * selector 0xe000 up) so guest-built GDTs can occupy entries 0..7167.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)
#define HV_CS                  0xe008          /* ring 0, 64-bit */
#define HV_DS                  0xe010          /* ring 0 data */
#define HV_CS32                0xe018          /* ring 0, compatibility */
#define FLAT_RING3_CS32        0xe023
#define FLAT_RING3_DS32        0xe02b
#define FLAT_RING3_CS64        0xe033
#define TSS_SEL                0xe040
#define LDT_SEL                0xe050

#endif
