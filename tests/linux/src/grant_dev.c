/* gntalloc and gntdev ioctls, with their bookkeeping. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <stdint.h>

#include <xen/xen.h>
#include <xen/sys/gntalloc.h>
#include <xen/sys/gntdev.h>

#include "dom0check.h"
#include "grant.h"

int grant_share(struct grant_share *s, uint16_t domid, int writable, uint32_t count,
                char *why)
{
    struct ioctl_gntalloc_alloc_gref *op;
    size_t size = sizeof(*op) + GRANT_MAX * sizeof(op->gref_ids[0]);

    memset(s, 0, sizeof(*s));
    s->fd = -1;
    if (count == 0 || count > GRANT_MAX)
        return fail(why, "bad grant count %u", count);
    s->fd = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
    if (s->fd < 0)
        return fail(why, "open /dev/xen/gntalloc: %s", strerror(errno));
    op = calloc(1, size);
    if (!op)
        return fail(why, "out of memory");
    op->domid = domid;
    op->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
    op->count = count;
    if (ioctl(s->fd, IOCTL_GNTALLOC_ALLOC_GREF, op) < 0) {
        int e = errno;
        free(op);
        return fail(why, "gntalloc %u page(s) to dom%u: %s", count, domid, strerror(e));
    }
    s->index = op->index;
    s->count = count;
    memcpy(s->refs, op->gref_ids, count * sizeof(s->refs[0]));
    free(op);

    /* Our own view of the granted pages (always writable for the granter). */
    s->pages = mmap(NULL, (size_t)count * GRANT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
                    s->fd, (off_t)s->index);
    if (s->pages == MAP_FAILED) {
        s->pages = NULL;
        return fail(why, "mmap gntalloc pages: %s", strerror(errno));
    }
    return 0;
}

void grant_unshare(struct grant_share *s)
{
    struct ioctl_gntalloc_dealloc_gref op = { .index = s->index, .count = s->count };

    if (s->pages)
        munmap(s->pages, (size_t)s->count * GRANT_PAGE);
    s->pages = NULL;
    if (s->fd >= 0) {
        if (s->count)
            ioctl(s->fd, IOCTL_GNTALLOC_DEALLOC_GREF, &op);
        close(s->fd);
    }
    s->fd = -1;
    s->count = 0;
}

int gntdev_open(char *why)
{
    int fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return fail(why, "open /dev/xen/gntdev: %s", strerror(errno));
    return fd;
}

int grant_map_prepare(struct grant_map *m, int dev_fd, uint16_t domid,
                      const uint32_t *refs, uint32_t count, char *why)
{
    struct ioctl_gntdev_map_grant_ref *op;
    size_t size = sizeof(*op) + GRANT_MAX * sizeof(op->refs[0]);

    memset(m, 0, sizeof(*m));
    m->fd = dev_fd;
    if (count == 0 || count > GRANT_MAX)
        return fail(why, "bad grant count %u", count);
    op = calloc(1, size);
    if (!op)
        return fail(why, "out of memory");
    op->count = count;
    for (uint32_t i = 0; i < count; i++) {
        op->refs[i].domid = domid;
        op->refs[i].ref = refs[i];
    }
    if (ioctl(dev_fd, IOCTL_GNTDEV_MAP_GRANT_REF, op) < 0) {
        int e = errno;
        free(op);
        return fail(why, "gntdev slot for %u grant(s) of dom%u: %s", count, domid, strerror(e));
    }
    m->index = op->index;
    m->count = count;
    free(op);
    return 0;
}

int grant_map_mmap(struct grant_map *m, int writable)
{
    int prot = PROT_READ | (writable ? PROT_WRITE : 0);
    void *p = mmap(NULL, (size_t)m->count * GRANT_PAGE, prot, MAP_SHARED, m->fd,
                   (off_t)m->index);

    if (p == MAP_FAILED)
        return errno;
    m->pages = p;
    return 0;
}

void grant_unmap(struct grant_map *m)
{
    struct ioctl_gntdev_unmap_grant_ref op = { .index = m->index, .count = m->count };

    if (m->pages)
        munmap(m->pages, (size_t)m->count * GRANT_PAGE);
    m->pages = NULL;
    if (m->count)
        ioctl(m->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &op);
    m->count = 0;
}
