/*
 * Grant mappings the hypervisor must refuse: a reference that does not
 * exist, a grant made out to another domain, and a read-only grant mapped
 * writable. The read-only grant must still map read-only, and show what the
 * granter writes.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dom0check.h"
#include "grant.h"

/* Beyond any grant table Xen gives dom0 by default (64 frames, 32768 refs). */
#define NO_SUCH_REF 0x00fffff0u

/* A domain id that is not dom0 (and need not exist: the grant names it). */
#define OTHER_DOM 7

/* Mapping refs[0] of `domid` with `writable` must fail in mmap. */
static int expect_refused(int dev_fd, uint16_t domid, uint32_t ref, int writable,
                          const char *what, char *why)
{
    struct grant_map m;
    int err;

    if (grant_map_prepare(&m, dev_fd, domid, &ref, 1, why) < 0)
        return fail_context(why, "%s", what);
    err = grant_map_mmap(&m, writable);
    grant_unmap(&m);
    if (err == 0)
        return fail(why, "%s: mapped, want refusal", what);
    return 0;
}

static int readonly_checks(int dev_fd, char *why)
{
    struct grant_share s;
    struct grant_map m;
    int err, rc = 0;

    if (grant_share(&s, DOM0_ID, 0, 1, why) < 0) {
        grant_unshare(&s);
        return -1;
    }
    memset(s.pages, 0x5a, GRANT_PAGE);
    if (expect_refused(dev_fd, DOM0_ID, s.refs[0], 1, "read-only grant mapped writable",
                       why) < 0) {
        grant_unshare(&s);
        return -1;
    }

    if (grant_map_prepare(&m, dev_fd, DOM0_ID, s.refs, 1, why) < 0) {
        grant_unshare(&s);
        return -1;
    }
    err = grant_map_mmap(&m, 0);
    if (err)
        rc = fail(why, "read-only grant mapped read-only: %s", strerror(err));
    else if (m.pages[0] != 0x5a || m.pages[GRANT_PAGE - 1] != 0x5a)
        rc = fail(why, "read-only mapping reads %#x, want 0x5a", m.pages[0]);
    else {
        s.pages[123] = 0xc3;
        if (((volatile unsigned char *)m.pages)[123] != 0xc3)
            rc = fail(why, "read-only mapping does not see the granter's write");
    }
    grant_unmap(&m);
    grant_unshare(&s);
    return rc;
}

static int refuse_checks(int dev_fd, char *why)
{
    struct grant_share other;
    int rc;

    if (expect_refused(dev_fd, DOM0_ID, NO_SUCH_REF, 1, "nonexistent grant ref", why) < 0)
        return -1;

    if (grant_share(&other, OTHER_DOM, 1, 1, why) < 0) {
        grant_unshare(&other);
        return -1;
    }
    rc = expect_refused(dev_fd, DOM0_ID, other.refs[0], 1, "grant made out to another domain",
                        why);
    grant_unshare(&other);
    if (rc < 0)
        return -1;
    return readonly_checks(dev_fd, why);
}

int check_grant_refuse(char *why)
{
    int dev_fd = gntdev_open(why), rc;

    if (dev_fd < 0)
        return -1;
    rc = refuse_checks(dev_fd, why);
    close(dev_fd);
    return rc;
}
