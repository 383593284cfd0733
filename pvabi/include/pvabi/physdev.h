/*
 * Xen 4.17 public ABI: physical-device operations (IRQs, I/O privilege,
 * PCI devices), mostly for the hardware domain.
 *
 * HYPERVISOR_physdev_op(int cmd, void *arg)
 *   cmd  PHYSDEVOP_*; arg  the struct of that command.
 *   Errors common to all: -ENOSYS unknown cmd; -EFAULT arg unreadable or
 *   unwritable; -EPERM a privileged operation from an unprivileged caller.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/physdev.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_PHYSDEV_H
#define PVABI_PHYSDEV_H

#include "xen.h"

/* PHYSDEVOP_eoi (struct physdev_eoi): end of interrupt for pirq @irq.
 * Errors: -EINVAL bad pirq. */
#define PHYSDEVOP_eoi                   12

#ifndef __ASSEMBLER__
struct physdev_eoi {
    uint32_t irq;                       /* in */
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);
#endif

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v1 / _v2 (struct physdev_pirq_eoi_gmfn):
 * register a page whose bit n says pirq n needs an EOI; with v1,
 * PHYSDEVOP_eoi also unmasks the pirq's event channel (v2 leaves it).
 * Errors: -EINVAL a frame the caller cannot have writable; -EBUSY a map
 * is already registered.
 */
#define PHYSDEVOP_pirq_eoi_gmfn_v1       17
#define PHYSDEVOP_pirq_eoi_gmfn_v2       28

#ifndef __ASSEMBLER__
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;                     /* in */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);
#endif

/* PHYSDEVOP_irq_status_query (struct physdev_irq_status_query).
 * Out: flags XENIRQSTAT_*. Errors: -EINVAL bad pirq. */
#define PHYSDEVOP_irq_status_query       5

#ifndef __ASSEMBLER__
struct physdev_irq_status_query {
    uint32_t irq;                       /* in  */
    uint32_t flags;                     /* out: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);
#endif

/* PHYSDEVOP_eoi is needed once the IRQ has been serviced. */
#define _XENIRQSTAT_needs_eoi   (0)
#define  XENIRQSTAT_needs_eoi   (1U << _XENIRQSTAT_needs_eoi)
/* The IRQ is shared with other guests. */
#define _XENIRQSTAT_shared      (1)
#define  XENIRQSTAT_shared      (1U << _XENIRQSTAT_shared)

/*
 * PHYSDEVOP_set_iopl (struct physdev_set_iopl): the calling vCPU's virtual
 * IOPL (0-3); guest-kernel port I/O is allowed when it permits.
 * Errors: -EINVAL iopl > 3.
 */
#define PHYSDEVOP_set_iopl               6

#ifndef __ASSEMBLER__
struct physdev_set_iopl {
    uint32_t iopl;                      /* in */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);
#endif

/*
 * PHYSDEVOP_set_iobitmap (struct physdev_set_iobitmap): a guest I/O
 * permission bitmap for guest-user port I/O (bit clear = allowed), for
 * the first nr_ports ports. Errors: -EINVAL nr_ports > 65536.
 */
#define PHYSDEVOP_set_iobitmap           7

#ifndef __ASSEMBLER__
struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap;     /* in */
    uint32_t nr_ports;                  /* in */
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iobitmap_t);
#endif

/* PHYSDEVOP_apic_read / PHYSDEVOP_apic_write (struct physdev_apic;
 * privileged): an IO-APIC register. Errors: -EPERM; -EINVAL. */
#define PHYSDEVOP_apic_read              8
#define PHYSDEVOP_apic_write             9

#ifndef __ASSEMBLER__
struct physdev_apic {
    unsigned long apic_physbase;        /* in     */
    uint32_t reg;                       /* in     */
    uint32_t value;                     /* in/out */
};
typedef struct physdev_apic physdev_apic_t;
DEFINE_XEN_GUEST_HANDLE(physdev_apic_t);
#endif

/* PHYSDEVOP_alloc_irq_vector / PHYSDEVOP_free_irq_vector (struct
 * physdev_irq; privileged): legacy vector management. */
#define PHYSDEVOP_alloc_irq_vector      10
#define PHYSDEVOP_free_irq_vector       11

#ifndef __ASSEMBLER__
struct physdev_irq {
    uint32_t irq;                       /* in     */
    uint32_t vector;                    /* in/out */
};
typedef struct physdev_irq physdev_irq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_t);
#endif

#define MAP_PIRQ_TYPE_MSI               0x0
#define MAP_PIRQ_TYPE_GSI               0x1
#define MAP_PIRQ_TYPE_UNKNOWN           0x2
#define MAP_PIRQ_TYPE_MSI_SEG           0x3
#define MAP_PIRQ_TYPE_MULTI_MSI         0x4

/*
 * PHYSDEVOP_map_pirq (struct physdev_map_pirq; privileged): map a GSI
 * (index) or an MSI/MSI-X vector of device bus:devfn to a pirq of @domid
 * (pirq in: the wanted pirq or -1; out: the pirq given).
 * Errors: -EINVAL bad type, GSI or device; -ESRCH; -ENOSPC no free pirq;
 *         -EEXIST already mapped differently.
 * PHYSDEVOP_unmap_pirq (struct physdev_unmap_pirq): undo it.
 */
#define PHYSDEVOP_map_pirq               13

#ifndef __ASSEMBLER__
struct physdev_map_pirq {
    domid_t domid;
    int type;                           /* in: MAP_PIRQ_TYPE_*           */
    int index;                          /* in: GSI, or MSI-X entry       */
    int pirq;                           /* in/out                        */
    int bus;                            /* in: high 16 bits = segment    */
    int devfn;                          /* in                            */
    int entry_nr;                       /* in (out for MULTI_MSI)        */
    uint64_t table_base;                /* in: MSI-X table address       */
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_map_pirq_t);
#endif

#define PHYSDEVOP_unmap_pirq             14

#ifndef __ASSEMBLER__
struct physdev_unmap_pirq {
    domid_t domid;
    int pirq;                           /* in */
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_unmap_pirq_t);
#endif

/* PHYSDEVOP_manage_pci_add / _remove (struct physdev_manage_pci;
 * privileged): report a PCI device on segment 0 (obsolete forms of
 * pci_device_add/remove). */
#define PHYSDEVOP_manage_pci_add         15
#define PHYSDEVOP_manage_pci_remove      16

#ifndef __ASSEMBLER__
struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_manage_pci physdev_manage_pci_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_t);
#endif

/* PHYSDEVOP_restore_msi (struct physdev_restore_msi): reprogram a
 * device's MSI state after resume. */
#define PHYSDEVOP_restore_msi            19

#ifndef __ASSEMBLER__
struct physdev_restore_msi {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_restore_msi physdev_restore_msi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_restore_msi_t);
#endif

/* PHYSDEVOP_manage_pci_add_ext (struct physdev_manage_pci_ext): as
 * manage_pci_add, with extended/virtual-function information. */
#define PHYSDEVOP_manage_pci_add_ext     20

#ifndef __ASSEMBLER__
struct physdev_manage_pci_ext {
    uint8_t bus;
    uint8_t devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_ext_t);

/* Argument of the superseded HYPERVISOR_physdev_op_compat. */
struct physdev_op {
    uint32_t cmd;
    union {
        physdev_irq_status_query_t irq_status_query;
        physdev_set_iopl_t         set_iopl;
        physdev_set_iobitmap_t     set_iobitmap;
        physdev_apic_t             apic_op;
        physdev_irq_t              irq_op;
    } u;
};
typedef struct physdev_op physdev_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_op_t);
#endif

/* PHYSDEVOP_setup_gsi (struct physdev_setup_gsi; privileged): trigger
 * mode and polarity of a GSI. Errors: -EEXIST already set up. */
#define PHYSDEVOP_setup_gsi    21

#ifndef __ASSEMBLER__
struct physdev_setup_gsi {
    int gsi;
    uint8_t triggering;                 /* 0 edge, 1 level  */
    uint8_t polarity;                   /* 0 high, 1 low    */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_setup_gsi_t);
#endif

/* 22 is left free. */

/* PHYSDEVOP_get_free_pirq (struct physdev_get_free_pirq): allocate an
 * unused pirq of @type. Errors: -ENOSPC. */
#define PHYSDEVOP_get_free_pirq    23

#ifndef __ASSEMBLER__
struct physdev_get_free_pirq {
    int type;                           /* in: MAP_PIRQ_TYPE_GSI or _MSI */
    uint32_t pirq;                      /* out */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_get_free_pirq_t);
#endif

#define XEN_PCI_MMCFG_RESERVED         0x1

/* PHYSDEVOP_pci_mmcfg_reserved (struct physdev_pci_mmcfg_reserved):
 * report whether an MMCONFIG range is reserved in the firmware map. */
#define PHYSDEVOP_pci_mmcfg_reserved    24

#ifndef __ASSEMBLER__
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
    uint32_t flags;                     /* XEN_PCI_MMCFG_* */
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_mmcfg_reserved_t);
#endif

#define XEN_PCI_DEV_EXTFN              0x1
#define XEN_PCI_DEV_VIRTFN             0x2
#define XEN_PCI_DEV_PXM                0x4

/* PHYSDEVOP_pci_device_add (struct physdev_pci_device_add): report a PCI
 * device; optarr[0] is its proximity domain with XEN_PCI_DEV_PXM.
 * PHYSDEVOP_pci_device_remove, PHYSDEVOP_restore_msi_ext,
 * PHYSDEVOP_prepare_msix, PHYSDEVOP_release_msix (struct
 * physdev_pci_device): remove, restore MSI, hand MSI-X to/from a guest. */
#define PHYSDEVOP_pci_device_add        25

#ifndef __ASSEMBLER__
struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    uint32_t flags;                     /* XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[XEN_FLEX_ARRAY_DIM];
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_add_t);
#endif

#define PHYSDEVOP_pci_device_remove     26
#define PHYSDEVOP_restore_msi_ext       27
#define PHYSDEVOP_prepare_msix          30
#define PHYSDEVOP_release_msix          31

#ifndef __ASSEMBLER__
struct physdev_pci_device {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_pci_device physdev_pci_device_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_t);
#endif

/* PHYSDEVOP_dbgp_op (struct physdev_dbgp_op): a USB debug-port
 * controller is about to be reset / was reset. */
#define PHYSDEVOP_DBGP_RESET_PREPARE    1
#define PHYSDEVOP_DBGP_RESET_DONE       2

#define PHYSDEVOP_DBGP_BUS_UNKNOWN      0
#define PHYSDEVOP_DBGP_BUS_PCI          1

#define PHYSDEVOP_dbgp_op               29

#ifndef __ASSEMBLER__
struct physdev_dbgp_op {
    uint8_t op;                         /* PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                        /* PHYSDEVOP_DBGP_BUS_*   */
    union {
        physdev_pci_device_t pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_dbgp_op_t);
#endif

/* Obsolete command number, kept reserved. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY      4

#define PHYSDEVOP_pirq_eoi_gmfn PHYSDEVOP_pirq_eoi_gmfn_v2

#endif /* PVABI_PHYSDEV_H */
