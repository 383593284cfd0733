/* Guest memory access with fault fixups (see pavise/guest_access.h). */
#include <pavise/lib.h>
#include <pavise/guest_access.h>
#include <asm/config.h>
#include <asm/extable.h>

/*
 * As Xen's access_ok: only the start is checked. It must be in the lower
 * canonical half or above the hypervisor's range; a sequential access
 * from there reaches the non-canonical hole (and faults) or wraps into
 * the guest's own half long before it could reach hypervisor memory.
 * Copies here are always sequential and upward.
 */
bool guest_range_ok(unsigned long addr, unsigned long len)
{
    (void)len;
    return addr < 0x0000800000000000UL || addr >= HV_VIRT_END;
}

bool guest_array_ok(const void *p, unsigned long count, unsigned long size)
{
    return count < ~0UL / size && guest_range_ok((unsigned long)p, count * size);
}

/* rep movsb; on a fault, rcx holds what was left. */
static unsigned long raw_copy(void *dst, const void *src, unsigned long len)
{
    __asm__ volatile("1: rep movsb\n"
                     "2:\n"
                     _ASM_EXTABLE(1b, 2b)
                     : "+c"(len), "+D"(dst), "+S"(src) :: "memory");
    return len;
}

unsigned long copy_from_guest_raw(void *dst, const void *gsrc, unsigned long len)
{
    if (!guest_range_ok((unsigned long)gsrc, len))
        return len;
    return raw_copy(dst, gsrc, len);
}

unsigned long copy_to_guest_raw(void *gdst, const void *src, unsigned long len)
{
    if (!guest_range_ok((unsigned long)gdst, len))
        return len;
    return raw_copy(gdst, src, len);
}

unsigned long clear_guest_raw(void *gdst, unsigned long len)
{
    if (!guest_range_ok((unsigned long)gdst, len))
        return len;
    __asm__ volatile("1: rep stosb\n"
                     "2:\n"
                     _ASM_EXTABLE(1b, 2b)
                     : "+c"(len), "+D"(gdst) : "a"(0) : "memory");
    return len;
}
