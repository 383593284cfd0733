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

/*
 * 8 bytes at a time, then the tail; returns what was not copied. A fault
 * in the quadword loop leaves rcx quadwords (plus the tail) undone.
 */
static unsigned long raw_copy(void *dst, const void *src, unsigned long len)
{
    unsigned long left = len >> 3, tail = len & 7;
    __asm__ volatile("1: rep movsq\n"
                     "   mov %[tail], %[left]\n"
                     "2: rep movsb\n"
                     "3:\n"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "4: lea (%[tail], %[left], 8), %[left]\n"
                     "   jmp 3b\n"
                     ".popsection\n"
                     _ASM_EXTABLE(1b, 4b)
                     _ASM_EXTABLE(2b, 3b)
                     : [left] "+c"(left), "+D"(dst), "+S"(src) : [tail] "r"(tail) : "memory");
    return left;
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
    unsigned long left = len >> 3, tail = len & 7;
    __asm__ volatile("1: rep stosq\n"
                     "   mov %[tail], %[left]\n"
                     "2: rep stosb\n"
                     "3:\n"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "4: lea (%[tail], %[left], 8), %[left]\n"
                     "   jmp 3b\n"
                     ".popsection\n"
                     _ASM_EXTABLE(1b, 4b)
                     _ASM_EXTABLE(2b, 3b)
                     : [left] "+c"(left), "+D"(gdst) : [tail] "r"(tail), "a"(0UL) : "memory");
    return left;
}
