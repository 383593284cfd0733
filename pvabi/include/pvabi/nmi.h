/*
 * Xen 4.17 public ABI: NMI reasons and NMI callbacks.
 *
 * HYPERVISOR_nmi_op(unsigned int cmd, void *arg)
 *   XENNMI_register_callback (struct xennmi_callback): 32-bit guests only;
 *     64-bit PV guests take NMIs through trap-table vector 2 and get
 *     -ENOSYS... (Xen 4.17 answers for x86-64 PV as the tests record).
 *   XENNMI_unregister_callback (NULL).
 *   Errors: -ENOSYS unknown cmd; -EINVAL bad handler; -EFAULT.
 *
 * shared_info.arch.nmi_reason holds the XEN_NMIREASON_* bits of the last
 * NMI forwarded to the hardware domain.
 *
 * Pavise's own definitions; names and layout follow Xen's public/nmi.h.
 * Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_NMI_H
#define PVABI_NMI_H

#include "xen.h"

/* I/O check error (port 0x61 bit 6). */
#define _XEN_NMIREASON_io_error     0
#define XEN_NMIREASON_io_error      (1UL << _XEN_NMIREASON_io_error)
/* PCI SERR (port 0x61 bit 7). */
#define _XEN_NMIREASON_pci_serr     1
#define XEN_NMIREASON_pci_serr      (1UL << _XEN_NMIREASON_pci_serr)
/* Unknown hardware NMI. */
#define _XEN_NMIREASON_unknown      2
#define XEN_NMIREASON_unknown       (1UL << _XEN_NMIREASON_unknown)

#define XENNMI_register_callback   0
#define XENNMI_unregister_callback 1

#ifndef __ASSEMBLER__
struct xennmi_callback {
    unsigned long handler_address;
    unsigned long pad;
};
typedef struct xennmi_callback xennmi_callback_t;
DEFINE_XEN_GUEST_HANDLE(xennmi_callback_t);
#endif

#endif /* PVABI_NMI_H */
