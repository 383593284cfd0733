/*
 * Hypervisor command-line options. Each subsystem declares its own options
 * next to the variable they set; the declarations are collected in the
 * .param section and parsed once at boot (common/cmdline.c).
 *
 * Syntax (as Xen's): whitespace-separated "name", "no-name", "name=value".
 * Booleans accept 1/0, yes/no, on/off, true/false, enable/disable.
 * Sizes accept K/M/G/T suffixes. Unknown names are reported and ignored.
 */
#ifndef PAVISE_PARAM_H
#define PAVISE_PARAM_H

#include <pavise/types.h>

enum param_type { PARAM_BOOL, PARAM_UINT, PARAM_SIZE, PARAM_STRING, PARAM_CUSTOM };

struct param {
    const char *name;
    enum param_type type;
    void *var;
    size_t len;                         /* bytes of *var (uint), buffer size (string) */
    int (*custom)(const char *val);     /* PARAM_CUSTOM: 0 or negative errno */
};

#define __param_decl(n, t, v, l, c) \
    static const struct param __param_##v __attribute__((used, section(".param"), aligned(8))) = \
        { n, t, &v, l, c }
#define boolean_param(n, v)  __param_decl(n, PARAM_BOOL, v, sizeof(v), NULL)
#define integer_param(n, v)  __param_decl(n, PARAM_UINT, v, sizeof(v), NULL)
#define size_param(n, v)     __param_decl(n, PARAM_SIZE, v, sizeof(v), NULL)
#define string_param(n, v)   __param_decl(n, PARAM_STRING, v, sizeof(v), NULL)
#define custom_param(n, f) \
    static const struct param __param_##f __attribute__((used, section(".param"), aligned(8))) = \
        { n, PARAM_CUSTOM, NULL, 0, f }

typedef void (*param_report_fn)(const char *what, const char *tok, size_t toklen);

/* Parse 'cmdline' against params[0..n). Reports each unknown option or bad
 * value through 'report' and goes on. Returns the number of problems. */
int cmdline_parse(const char *cmdline, const struct param *params, size_t n,
                  param_report_fn report);

/* Parse a boolean word; -1 if it is not one. */
int parse_bool(const char *s, size_t len);

/* Skip the image name a loader puts first (Xen's cmdline_cook rule). */
const char *cmdline_cook(const char *p, const char *loader_name);

#endif
