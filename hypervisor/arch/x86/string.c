/*
 * Block moves with the string instructions: 8 bytes at a time, then the
 * tail. (Byte loops made grant copies and page clears several times slower
 * than Xen's.)
 */
#include <pavise/lib.h>

void *memset(void *s, int c, size_t n)
{
    void *d = s;
    uint64_t v = 0x0101010101010101UL * (unsigned char)c;
    size_t q = n >> 3;

    __asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(v) : "memory");
    n &= 7;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(v) : "memory");
    return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *dd = d;
    size_t q = n >> 3;

    __asm__ volatile("rep movsq" : "+D"(dd), "+S"(s), "+c"(q) :: "memory");
    n &= 7;
    __asm__ volatile("rep movsb" : "+D"(dd), "+S"(s), "+c"(n) :: "memory");
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    if (d == s || n == 0)
        return d;
    /* Forwards unless the destination overlaps the source's tail. */
    if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
        return memcpy(d, s, n);
    /* Backwards, byte by byte from the end (rare: overlapping moves up). */
    void *dd = (char *)d + n - 1;
    const void *ss = (const char *)s + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(dd), "+S"(ss), "+c"(n) :: "memory");
    return d;
}
