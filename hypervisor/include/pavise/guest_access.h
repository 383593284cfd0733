/*
 * Access to guest memory through the guest's own page tables (a PV
 * guest's address space is live while the hypervisor runs for it).
 * Addresses are checked to stay out of the hypervisor's range; faults are
 * caught by the exception table. Every function returns 0 on success or
 * the number of bytes not copied.
 */
#ifndef PAVISE_GUEST_ACCESS_H
#define PAVISE_GUEST_ACCESS_H

#include <pavise/types.h>

/* [addr, addr + len) is a canonical range outside the hypervisor's. */
bool guest_range_ok(unsigned long addr, unsigned long len);
/* An array of count elements of size bytes (Xen's array_access_ok). */
bool guest_array_ok(const void *p, unsigned long count, unsigned long size);
unsigned long copy_from_guest_raw(void *dst, const void *gsrc, unsigned long len);
unsigned long copy_to_guest_raw(void *gdst, const void *src, unsigned long len);
unsigned long clear_guest_raw(void *gdst, unsigned long len);

/* Xen-style helpers over XEN_GUEST_HANDLE(type) values (.p pointers). */
#define copy_from_guest_offset(ptr, hnd, off, nr) \
    copy_from_guest_raw((ptr), (hnd).p + (off), sizeof(*(ptr)) * (nr))
#define copy_to_guest_offset(hnd, off, ptr, nr) \
    copy_to_guest_raw((hnd).p + (off), (ptr), sizeof(*(ptr)) * (nr))
#define copy_from_guest(ptr, hnd, nr) copy_from_guest_offset(ptr, hnd, 0, nr)
#define copy_to_guest(hnd, ptr, nr)   copy_to_guest_offset(hnd, 0, ptr, nr)
#define guest_handle_is_null(hnd)     ((hnd).p == NULL)
#define guest_handle_add_offset(hnd, nr) ((hnd).p += (nr))

/* Fetch/store a plain object at a raw guest pointer. */
#define get_guest(x, gptr)  copy_from_guest_raw(&(x), (gptr), sizeof(x))
#define put_guest(x, gptr)  copy_to_guest_raw((gptr), &(x), sizeof(x))

#endif
