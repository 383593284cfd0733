/*
 * ring_shm: the ring backend for a plain host, where a test harness plays
 * the guest. The page is a shared mapping and the event channel is a pair
 * of pipes: a byte written to the kick pipe is the guest's notification,
 * a byte we write to the notify pipe is ours.
 *
 * Rings come from either source:
 *  - registered in-process (ring_shm_register(), for unit tests);
 *  - files in a directory given with --ring-dir: <domid>.ring (a 4 KiB
 *    file both sides mmap), <domid>.kick and <domid>.notify (FIFOs).
 *    INTRODUCE of that domid then attaches them, as the dom0 backend
 *    would map a guest page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon.h"

struct shm_reg {
    struct shm_reg *next;
    uint32_t domid;
    volatile struct xenstore_domain_interface *intf;
    int event_fd, notify_fd;
};

struct shm_backend {
    struct ring_backend base;
    char *dir;
    struct shm_reg *regs;
};

struct shm_ring {
    struct ring_io io;
    int notify_fd;
    bool owned;                 /* we mapped and opened: we unmap and close */
};

static void shm_notify(struct ring_io *r)
{
    struct shm_ring *s = (struct shm_ring *)r;
    char b = 1;

    /* A full pipe already holds a pending notification. */
    if (write(s->notify_fd, &b, 1) < 0 && errno != EAGAIN)
        return;
}

static void shm_ack(struct ring_io *r)
{
    char buf[64];

    while (read(r->event_fd, buf, sizeof(buf)) > 0)
        ;
}

static void shm_release(struct ring_io *r)
{
    struct shm_ring *s = (struct shm_ring *)r;

    if (s->owned) {
        munmap((void *)r->intf, 4096);
        close(r->event_fd);
        close(s->notify_fd);
    }
    free(s);
}

static const struct ring_io_ops shm_ops = {
    .notify = shm_notify,
    .ack = shm_ack,
    .release = shm_release,
};

static int open_files(struct shm_backend *b, uint32_t domid, struct shm_ring *s)
{
    char path[4096];
    void *page;
    int fd;

    snprintf(path, sizeof(path), "%s/%u.ring", b->dir, domid);
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return ENOENT;
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (page == MAP_FAILED)
        return EINVAL;
    /* Both FIFOs opened read-write: never EOF, never blocking on open. */
    snprintf(path, sizeof(path), "%s/%u.kick", b->dir, domid);
    s->io.event_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    snprintf(path, sizeof(path), "%s/%u.notify", b->dir, domid);
    s->notify_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (s->io.event_fd < 0 || s->notify_fd < 0) {
        if (s->io.event_fd >= 0)
            close(s->io.event_fd);
        if (s->notify_fd >= 0)
            close(s->notify_fd);
        munmap(page, 4096);
        return ENOENT;
    }
    s->io.intf = page;
    s->owned = true;
    return 0;
}

static int shm_attach(struct ring_backend *base, uint32_t domid, uint64_t mfn,
                      uint32_t port, struct ring_io **out)
{
    struct shm_backend *b = (struct shm_backend *)base;
    struct shm_ring *s = calloc(1, sizeof(*s));
    int err = ENOENT;

    (void)mfn;
    (void)port;
    if (!s)
        return ENOMEM;
    s->io.ops = &shm_ops;
    for (struct shm_reg *r = b->regs; r; r = r->next)
        if (r->domid == domid) {
            s->io.intf = r->intf;
            s->io.event_fd = r->event_fd;
            s->notify_fd = r->notify_fd;
            err = 0;
            break;
        }
    if (err && b->dir)
        err = open_files(b, domid, s);
    if (err) {
        free(s);
        return err;
    }
    *out = &s->io;
    return 0;
}

static void shm_destroy(struct ring_backend *base)
{
    struct shm_backend *b = (struct shm_backend *)base;

    while (b->regs) {
        struct shm_reg *r = b->regs;

        b->regs = r->next;
        free(r);
    }
    free(b->dir);
    free(b);
}

struct ring_backend *ring_shm_backend_new(const char *dir)
{
    struct shm_backend *b = calloc(1, sizeof(*b));

    if (!b)
        return NULL;
    b->base.name = "shm";
    b->base.attach = shm_attach;
    b->base.destroy = shm_destroy;
    if (dir && !(b->dir = strdup(dir))) {
        free(b);
        return NULL;
    }
    return &b->base;
}

int ring_shm_register(struct ring_backend *base, uint32_t domid,
                      volatile struct xenstore_domain_interface *intf,
                      int event_fd, int notify_fd)
{
    struct shm_backend *b = (struct shm_backend *)base;
    struct shm_reg *r = calloc(1, sizeof(*r));

    if (!r)
        return ENOMEM;
    r->domid = domid;
    r->intf = intf;
    r->event_fd = event_fd;
    r->notify_fd = notify_fd;
    r->next = b->regs;
    b->regs = r;
    return 0;
}
