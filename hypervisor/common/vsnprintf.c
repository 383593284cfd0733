/*
 * printf-style formatting for the hypervisor. Built into the image and,
 * unchanged, into the host unit tests (tests/unit/test_vsnprintf.c), which
 * compare it with the C library's snprintf.
 */
#include <pavise/lib.h>

struct out {
    char *buf;
    size_t size;
    size_t pos;
};

static void put(struct out *o, char c)
{
    if (o->pos + 1 < o->size)
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };

static void put_number(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
                       int flags, int width, int prec)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    const char *prefix = "";
    int plen;

    if (v == 0 && prec == 0)
        n = 0;
    else
        do {
            tmp[n++] = digits[v % base];
            v /= base;
        } while (v);

    if (neg)
        prefix = "-";
    else if (flags & F_PLUS)
        prefix = "+";
    else if (flags & F_SPACE)
        prefix = " ";
    if (flags & F_ALT) {
        if (base == 16 && n > 0 && !(n == 1 && tmp[0] == '0'))
            prefix = upper ? "0X" : "0x";
        else if (base == 8 && (prec <= n) && !(n > 0 && tmp[n - 1] == '0'))
            prefix = "0";
    }
    plen = (int)strlen(prefix);

    int zeros = prec > n ? prec - n : 0;
    if (prec < 0 && (flags & F_ZERO) && !(flags & F_LEFT))
        zeros = width - plen - n > 0 ? width - plen - n : 0;
    int pad = width - plen - zeros - n;

    if (!(flags & F_LEFT))
        put_pad(o, ' ', pad);
    while (*prefix)
        put(o, *prefix++);
    put_pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (flags & F_LEFT)
        put_pad(o, ' ', pad);
}

int pv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        const char *start = fmt++;
        int flags = 0, width = -1, prec = -1, lng = 0;

        for (;; fmt++) {
            if (*fmt == '-') flags |= F_LEFT;
            else if (*fmt == '0') flags |= F_ZERO;
            else if (*fmt == '+') flags |= F_PLUS;
            else if (*fmt == ' ') flags |= F_SPACE;
            else if (*fmt == '#') flags |= F_ALT;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
                width = width * 10 + (*fmt - '0');
        }
        if (*fmt == '.') {
            fmt++;
            if (*fmt == '*') {
                prec = va_arg(ap, int);
                fmt++;
            } else {
                for (prec = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
                    prec = prec * 10 + (*fmt - '0');
            }
        }
        for (;; fmt++) {
            if (*fmt == 'h') lng--;
            else if (*fmt == 'l') lng++;
            else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') lng = 2;
            else break;
        }

        switch (*fmt) {
        case 'd':
        case 'i': {
            int64_t v;
            if (lng >= 1) v = lng >= 2 ? va_arg(ap, long long) : va_arg(ap, long);
            else if (lng == -1) v = (short)va_arg(ap, int);
            else if (lng <= -2) v = (signed char)va_arg(ap, int);
            else v = va_arg(ap, int);
            put_number(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, flags, width, prec);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            uint64_t v;
            if (lng >= 1) v = lng >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned long);
            else if (lng == -1) v = (unsigned short)va_arg(ap, unsigned int);
            else if (lng <= -2) v = (unsigned char)va_arg(ap, unsigned int);
            else v = va_arg(ap, unsigned int);
            unsigned base = *fmt == 'o' ? 8 : *fmt == 'u' ? 10 : 16;
            put_number(&o, v, false, base, *fmt == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            put_number(&o, v, false, 16, false, F_ALT | (flags & F_LEFT), width, -1);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            if (!(flags & F_LEFT)) put_pad(&o, ' ', width - 1);
            put(&o, c);
            if (flags & F_LEFT) put_pad(&o, ' ', width - 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int len = prec >= 0 ? (int)strnlen(s, (size_t)prec) : (int)strlen(s);
            if (!(flags & F_LEFT)) put_pad(&o, ' ', width - len);
            for (int i = 0; i < len; i++)
                put(&o, s[i]);
            if (flags & F_LEFT) put_pad(&o, ' ', width - len);
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:
            /* Unknown conversion: print it literally. */
            for (; start <= fmt && *start; start++)
                put(&o, *start);
            if (!*fmt)
                fmt--;
            break;
        }
    }
    if (size)
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return (int)o.pos;
}

int pv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = pv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

bool parse_u64(const char *s, const char **end, uint64_t *out, bool sizes)
{
    uint64_t v = 0;
    unsigned base = 10;
    const char *p = s;
    bool any = false;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && p[1] >= '0' && p[1] <= '7') {
        base = 8;
        p++;
    }
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9') d = (unsigned)(*p - '0');
        else if (*p >= 'a' && *p <= 'f') d = (unsigned)(*p - 'a' + 10);
        else if (*p >= 'A' && *p <= 'F') d = (unsigned)(*p - 'A' + 10);
        else break;
        if (d >= base)
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
        any = true;
    }
    if (!any)
        return false;
    if (sizes) {
        unsigned shift = 0;
        switch (*p) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        case 't': case 'T': shift = 40; break;
        case 'b': case 'B': p++; break;
        }
        if (shift) {
            if (v > (UINT64_MAX >> shift))
                return false;
            v <<= shift;
            p++;
        }
    }
    if (end)
        *end = p;
    *out = v;
    return true;
}
