/* vsnprintf and printk. Output is formatted into a bounded buffer and
 * written to the console in one call, so lines from different vCPUs do
 * not interleave. */
#include <pvguest/lib.h>
#include <pvguest/events.h>
#include <pvguest/smp.h>

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

struct spec {
    bool zero, left, alt;
    int width;
    int precision;              /* -1: none */
};

static void put_num(struct out *o, unsigned long long v, unsigned int base,
                    bool upper, bool neg, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    const char *prefix = neg ? "-" : (sp->alt && base == 16 && v) ? "0x" : "";
    char tmp[24];
    int n = 0, len, width = sp->width;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    len = n + (int)strlen(prefix);
    if (!sp->zero || sp->left)
        for (; !sp->left && len < width; width--)
            put(o, ' ');
    for (const char *p = prefix; *p; p++)
        put(o, *p);
    if (sp->zero && !sp->left)
        for (; len < width; width--)
            put(o, '0');
    while (n)
        put(o, tmp[--n]);
    for (; sp->left && len < width; width--)
        put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for (; *fmt; fmt++) {
        struct spec sp = { .precision = -1 };
        int lng = 0;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '0')
                sp.zero = true;
            else if (*fmt == '-')
                sp.left = true;
            else if (*fmt == '#')
                sp.alt = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp.width = sp.width * 10 + (*fmt++ - '0');
        if (*fmt == '.') {
            sp.precision = 0;
            while (*++fmt >= '0' && *fmt <= '9')
                sp.precision = sp.precision * 10 + (*fmt - '0');
        }
        while (*fmt == 'l' || *fmt == 'z') {
            lng++;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i': {
            long long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            bool neg = v < 0;

            put_num(&o, neg ? 0ULL - (unsigned long long)v : (unsigned long long)v,
                    10, false, neg, &sp);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);

            put_num(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', false, &sp);
            break;
        }
        case 'p': {
            struct spec p = { .zero = true, .width = 16 };

            put(&o, '0');
            put(&o, 'x');
            put_num(&o, (unsigned long)va_arg(ap, void *), 16, false, false, &p);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len, width = sp.width;

            if (!s)
                s = "(null)";
            len = (int)(sp.precision >= 0 ? strnlen(s, (size_t)sp.precision) : strlen(s));
            for (; !sp.left && len < width; width--)
                put(&o, ' ');
            for (int i = 0; i < len; i++)
                put(&o, s[i]);
            for (; sp.left && len < width; width--)
                put(&o, ' ');
            break;
        }
        case '%':
            put(&o, '%');
            break;
        default:                /* unknown: print it as it was */
            put(&o, '%');
            if (*fmt)
                put(&o, *fmt);
            else
                fmt--;
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
