/*
 * GNTTABOP_copy through gntdev: copy from our memory into a page we granted
 * to ourselves and back out of it, at offsets inside the page; a copy from a
 * grant reference that does not exist must fail with GNTST_bad_gntref and
 * leave the destination alone.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/sys/gntdev.h>

#include "dom0check.h"
#include "grant.h"

#define TO_OFF 100
#define TO_LEN 1000
#define FROM_OFF 2000
#define FROM_LEN 1500

/* Beyond any grant table Xen gives dom0 by default (64 frames, 32768 refs). */
#define NO_SUCH_REF 0x00fffff0u

static int copy_one(int dev_fd, struct ioctl_gntdev_grant_copy_segment *seg, char *why)
{
    struct ioctl_gntdev_grant_copy op = { .count = 1, .segments = seg };

    seg->status = 1;    /* not a GNTST_* value: proves the status is written */
    if (ioctl(dev_fd, IOCTL_GNTDEV_GRANT_COPY, &op) < 0)
        return fail(why, "IOCTL_GNTDEV_GRANT_COPY: %s", strerror(errno));
    return 0;
}

static int copy_checks(int dev_fd, struct grant_share *s, char *why)
{
    static unsigned char local[GRANT_PAGE], back[GRANT_PAGE];
    struct ioctl_gntdev_grant_copy_segment seg;
    unsigned char *page = s->pages;

    for (unsigned i = 0; i < sizeof(local); i++)
        local[i] = (unsigned char)(i * 7 + 3);
    memset(page, 0, GRANT_PAGE);

    /* Our buffer -> the granted page, at TO_OFF. */
    memset(&seg, 0, sizeof(seg));
    seg.source.virt = local;
    seg.dest.foreign.ref = s->refs[0];
    seg.dest.foreign.domid = DOM0_ID;
    seg.dest.foreign.offset = TO_OFF;
    seg.len = TO_LEN;
    seg.flags = GNTCOPY_dest_gref;
    if (copy_one(dev_fd, &seg, why) < 0)
        return -1;
    if (seg.status != GNTST_okay)
        return fail(why, "copy to own grant: status %d", seg.status);
    if (memcmp(page + TO_OFF, local, TO_LEN) != 0)
        return fail(why, "copied bytes differ at the destination");
    for (unsigned i = 0; i < GRANT_PAGE; i++)
        if ((i < TO_OFF || i >= TO_OFF + TO_LEN) && page[i] != 0)
            return fail(why, "copy wrote outside its range, at offset %u", i);

    /* The granted page -> our buffer, from FROM_OFF. */
    for (unsigned i = 0; i < GRANT_PAGE; i++)
        page[i] = (unsigned char)(i * 13 + 5);
    memset(back, 0xee, sizeof(back));
    memset(&seg, 0, sizeof(seg));
    seg.source.foreign.ref = s->refs[0];
    seg.source.foreign.domid = DOM0_ID;
    seg.source.foreign.offset = FROM_OFF;
    seg.dest.virt = back;
    seg.len = FROM_LEN;
    seg.flags = GNTCOPY_source_gref;
    if (copy_one(dev_fd, &seg, why) < 0)
        return -1;
    if (seg.status != GNTST_okay)
        return fail(why, "copy from own grant: status %d", seg.status);
    if (memcmp(back, page + FROM_OFF, FROM_LEN) != 0)
        return fail(why, "bytes copied back differ");
    if (back[FROM_LEN] != 0xee)
        return fail(why, "copy back wrote past its length");

    /* A reference that does not exist. */
    memset(back, 0xee, sizeof(back));
    seg.source.foreign.ref = NO_SUCH_REF;
    seg.source.foreign.offset = 0;
    seg.len = 64;
    if (copy_one(dev_fd, &seg, why) < 0)
        return -1;
    if (seg.status != GNTST_bad_gntref)
        return fail(why, "copy from ref %#x: status %d, want %d (GNTST_bad_gntref)",
                    NO_SUCH_REF, seg.status, GNTST_bad_gntref);
    if (back[0] != 0xee)
        return fail(why, "failed copy still wrote its destination");
    return 0;
}

int check_grant_copy(char *why)
{
    struct grant_share s;
    int dev_fd, rc;

    if (grant_share(&s, DOM0_ID, 1, 1, why) < 0) {
        grant_unshare(&s);
        return -1;
    }
    dev_fd = gntdev_open(why);
    rc = dev_fd < 0 ? -1 : copy_checks(dev_fd, &s, why);
    if (dev_fd >= 0)
        close(dev_fd);
    grant_unshare(&s);
    return rc;
}
