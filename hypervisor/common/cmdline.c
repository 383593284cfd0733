/* Command-line parsing (see pavise/param.h). Host-tested in tests/unit. */
#include <pavise/lib.h>
#include <pavise/param.h>

static bool word_eq(const char *a, size_t alen, const char *b)
{
    return strlen(b) == alen && memcmp(a, b, alen) == 0;
}

int parse_bool(const char *s, size_t len)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (word_eq(s, len, yes[i]))
            return 1;
        if (word_eq(s, len, no[i]))
            return 0;
    }
    return -1;
}

static void store_uint(const struct param *p, uint64_t v)
{
    switch (p->len) {
    case 1: *(uint8_t *)p->var = (uint8_t)v; break;
    case 2: *(uint16_t *)p->var = (uint16_t)v; break;
    case 4: *(uint32_t *)p->var = (uint32_t)v; break;
    default: *(uint64_t *)p->var = v; break;
    }
}

static uint64_t uint_max(size_t len)
{
    return len >= 8 ? UINT64_MAX : (1ULL << (len * 8)) - 1;
}

/* Apply one "name[=value]" token. Returns 0, -1 unknown, -2 bad value. */
static int apply(const char *tok, size_t toklen, const struct param *params, size_t n)
{
    const char *eq = memchr(tok, '=', toklen);
    size_t namelen = eq ? (size_t)(eq - tok) : toklen;
    const char *val = eq ? eq + 1 : NULL;
    size_t vallen = eq ? toklen - namelen - 1 : 0;
    bool negated = false;

    for (int pass = 0; pass < 2; pass++) {
        const char *name = tok;
        size_t len = namelen;
        if (pass == 1) {
            /* "no-foo" negates boolean "foo". */
            if (namelen <= 3 || memcmp(tok, "no-", 3) != 0 || val)
                break;
            name += 3;
            len -= 3;
            negated = true;
        }
        for (size_t i = 0; i < n; i++) {
            const struct param *p = &params[i];
            if (!word_eq(name, len, p->name))
                continue;
            if (negated && p->type != PARAM_BOOL)
                return -2;
            switch (p->type) {
            case PARAM_BOOL: {
                int b = val ? parse_bool(val, vallen) : !negated;
                if (b < 0)
                    return -2;
                *(bool *)p->var = b;
                return 0;
            }
            case PARAM_UINT:
            case PARAM_SIZE: {
                uint64_t v;
                const char *end;
                char buf[32];
                if (!val || vallen == 0 || vallen >= sizeof(buf))
                    return -2;
                memcpy(buf, val, vallen);
                buf[vallen] = '\0';
                if (!parse_u64(buf, &end, &v, p->type == PARAM_SIZE) || *end || v > uint_max(p->len))
                    return -2;
                store_uint(p, v);
                return 0;
            }
            case PARAM_STRING: {
                if (!val || vallen >= p->len)
                    return -2;
                memcpy(p->var, val, vallen);
                ((char *)p->var)[vallen] = '\0';
                return 0;
            }
            case PARAM_CUSTOM: {
                char buf[256];
                if (vallen >= sizeof(buf))
                    return -2;
                if (val)
                    memcpy(buf, val, vallen);
                buf[vallen] = '\0';
                return p->custom(val ? buf : NULL) ? -2 : 0;
            }
            }
        }
    }
    return -1;
}

int cmdline_parse(const char *cmdline, const struct param *params, size_t n,
                  param_report_fn report)
{
    int problems = 0;
    const char *p = cmdline ? cmdline : "";

    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n')
            p++;
        int rc = apply(tok, (size_t)(p - tok), params, n);
        if (rc) {
            problems++;
            if (report)
                report(rc == -1 ? "unknown option" : "bad value for option", tok, (size_t)(p - tok));
        }
    }
    return problems;
}

const char *cmdline_cook(const char *p, const char *loader_name)
{
    p = p ? p : "";
    while (*p == ' ')
        p++;
    /* GRUB 2 does not put the image name first; QEMU and others do. */
    if (loader_name && strncmp(loader_name, "GRUB 2", 6) == 0)
        return p;
    while (*p && *p != ' ')
        p++;
    while (*p == ' ')
        p++;
    return p;
}
