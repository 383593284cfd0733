/*
 * abicheck: print every size, offset, constant and macro behaviour of the
 * Xen public ABI as one "kind:name<TAB>value" line each.
 *
 * Built twice from this one file: against pvabi/include (Pavise's own
 * headers) and, with -DABICHECK_XEN, against Debian's /usr/include/xen.
 * abicheck.test compares the two outputs; any difference is an ABI bug.
 * The list of items (checks.h) is generated from pvabi/include by
 * gen-checks.sh; extra-checks.h exercises the function-like macros.
 */
#include <errno.h>              /* before xs_wire.h: enables xsd_errors[] */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "abicheck-includes.h"

/* The ring macros leave barriers to their user. */
#define xen_mb()  __sync_synchronize()
#define xen_wmb() __sync_synchronize()

#define STR(...)  #__VA_ARGS__
#define XSTR(...) STR(__VA_ARGS__)

static void emit(const char *kind, const char *name, const char *fmt,
                 unsigned long long v)
{
    printf("%s:%s\t", kind, name);
    printf(fmt, v);
    putchar('\n');
}

static void emit_str(const char *kind, const char *name, const char *value)
{
    printf("%s:%s\t%s\n", kind, name, value);
}

/* Constants are compared by type as well as value. */
#define TYPE_NAME(x) _Generic((x),                                         \
    _Bool: "_Bool", char: "char", signed char: "signed char",              \
    unsigned char: "unsigned char", short: "short",                        \
    unsigned short: "unsigned short", int: "int",                          \
    unsigned int: "unsigned int", long: "long",                            \
    unsigned long: "unsigned long", long long: "long long",                \
    unsigned long long: "unsigned long long",                              \
    char *: "char *", const char *: "const char *",                        \
    unsigned long *: "unsigned long *", default: "<other type>")

static char valbuf[4096];

static const char *int_value(unsigned long long v)
{
    snprintf(valbuf, sizeof(valbuf), "%#llx", v);
    return valbuf;
}

static const char *str_value(const char *s)
{
    snprintf(valbuf, sizeof(valbuf), "\"%s\"", s);
    return valbuf;
}

static const char *ptr_value(const unsigned long *p)
{
    snprintf(valbuf, sizeof(valbuf), "(ptr)%#lx", (unsigned long)p);
    return valbuf;
}

#define VALUE_STRING(x) _Generic((x),                                      \
    char *: str_value, const char *: str_value,                           \
    unsigned long *: ptr_value, default: int_value)(x)

static void emit_typed(const char *kind, const char *name, const char *type,
                       const char *value)
{
    printf("%s:%s\t%s %s\n", kind, name, type, value);
}

static void emit_bytes(const char *kind, const char *name, const void *p,
                       size_t n)
{
    const unsigned char *b = p;

    printf("%s:%s\t", kind, name);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    putchar('\n');
}

#define CHECK_SIZE(t)      emit("size", #t, "%llu", sizeof(t))
#define CHECK_OFFSET(t, m) emit("offset", #t "." #m, "%llu", offsetof(t, m))
#define CHECK_MSIZE(t, m)  emit("msize", #t "." #m, "%llu", sizeof(((t *)0)->m))
/* Bit-fields have no offset: set one to all ones and show the bytes. */
#define CHECK_BITFIELD(t, m) do {                                          \
        t bf_;                                                             \
        memset(&bf_, 0, sizeof(bf_));                                      \
        bf_.m = ~bf_.m;                                                    \
        emit_bytes("bitfield", #t "." #m, &bf_, sizeof(bf_));              \
    } while (0)
#define CHECK_CONST(x)     emit_typed("const", #x, TYPE_NAME(x), VALUE_STRING(x))
#define CHECK_TEXT(x)      emit_str("text", #x, XSTR(x))
/* extra-checks.h: a labelled expression, compared by type and value. */
#define CHECK_EXPR(label, x) emit_typed("expr", label, TYPE_NAME(x), VALUE_STRING(x))

int main(void)
{
#include "checks.h"
#include "extra-checks.h"
    return 0;
}
