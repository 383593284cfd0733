/* perms: permission checks and wire strings (see perms.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "perms.h"

static bool who_is(const struct xs_who *who, uint32_t id)
{
    return id == who->domid || (who->has_target && id == who->target);
}

unsigned perm_for(const struct xs_who *who, const struct xs_perm *p, unsigned n)
{
    const unsigned all = PERM_READ | PERM_WRITE | PERM_OWNER;

    if (who->privileged || (n && who_is(who, p[0].id)))
        return all;
    for (unsigned i = 1; i < n; i++)
        if (!(p[i].perms & PERM_IGNORE) && who_is(who, p[i].id))
            return p[i].perms & all;
    return n ? p[0].perms & (PERM_READ | PERM_WRITE) : PERM_NONE;
}

int perms_parse(const char *s, unsigned n, struct xs_perm *out)
{
    for (unsigned i = 0; i < n; i++) {
        size_t len = strlen(s);
        unsigned long id = 0;

        switch (s[0]) {
        case 'n': out[i].perms = PERM_NONE; break;
        case 'r': out[i].perms = PERM_READ; break;
        case 'w': out[i].perms = PERM_WRITE; break;
        case 'b': out[i].perms = PERM_READ | PERM_WRITE; break;
        default: return EINVAL;
        }
        /* A domid is required and must be plain decimal that fits. */
        if (len < 2 || len > 11)
            return EINVAL;
        for (size_t k = 1; k < len; k++) {
            if (s[k] < '0' || s[k] > '9')
                return EINVAL;
            id = id * 10 + (unsigned long)(s[k] - '0');
        }
        if (id > UINT32_MAX)
            return EINVAL;
        out[i].id = (uint32_t)id;
        s += len + 1;
    }
    return 0;
}

size_t perm_format(const struct xs_perm *p, char *buf, size_t len)
{
    char c;
    int n;

    switch (p->perms & (PERM_READ | PERM_WRITE)) {
    case PERM_READ: c = 'r'; break;
    case PERM_WRITE: c = 'w'; break;
    case PERM_READ | PERM_WRITE: c = 'b'; break;
    default: c = 'n'; break;
    }
    n = snprintf(buf, len, "%c%u", c, p->id);
    return (n < 0 || (size_t)n >= len) ? 0 : (size_t)n;
}
