/*
 * Event channels through /dev/xen/evtchn: an interdomain channel from dom0
 * to itself (the loopback xenstored uses), the event Xen sets on a new
 * binding, notifications both ways with nothing lost or invented, EINVAL
 * for binding a port that is connected or offered to another domain, and
 * the unbound state that closing one end leaves behind.
 *
 * Two file descriptors hold the two ends, so a notification is seen as the
 * other descriptor becoming readable with the other port number.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/sys/evtchn.h>

#include "dom0check.h"

#define ROUNDS 50
#define EVENT_WAIT_MS 5000

struct end {
    int fd;
    int port;
};

static int bind_unbound(struct end *e, unsigned int remote_dom, char *why)
{
    struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = remote_dom };

    e->port = ioctl(e->fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
    if (e->port < 0)
        return fail(why, "bind unbound port (remote dom %u): %s", remote_dom, strerror(errno));
    return 0;
}

static int bind_interdomain(struct end *e, int remote_port, char *why)
{
    struct ioctl_evtchn_bind_interdomain b = {
        .remote_domain = DOM0_ID, .remote_port = (unsigned int)remote_port,
    };

    e->port = ioctl(e->fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);
    if (e->port < 0)
        return fail(why, "bind interdomain to dom%d port %d: %s", DOM0_ID, remote_port,
                    strerror(errno));
    return 0;
}

static void unbind(struct end *e)
{
    struct ioctl_evtchn_unbind u = { .port = (unsigned int)e->port };

    if (e->port >= 0)
        ioctl(e->fd, IOCTL_EVTCHN_UNBIND, &u);
    e->port = -1;
}

static int notify(const struct end *e, char *why)
{
    struct ioctl_evtchn_notify n = { .port = (unsigned int)e->port };

    if (ioctl(e->fd, IOCTL_EVTCHN_NOTIFY, &n) < 0)
        return fail(why, "notify port %d: %s", e->port, strerror(errno));
    return 0;
}

/* Wait for exactly the event on `e`, then unmask it (by writing it back). */
static int receive(const struct end *e, char *why)
{
    struct pollfd pfd = { .fd = e->fd, .events = POLLIN };
    uint32_t port;
    int n = poll(&pfd, 1, EVENT_WAIT_MS);

    if (n < 0)
        return fail(why, "poll: %s", strerror(errno));
    if (n == 0)
        return fail(why, "no event on port %d within %d ms", e->port, EVENT_WAIT_MS);
    if (read(e->fd, &port, sizeof(port)) != (ssize_t)sizeof(port))
        return fail(why, "read event: %s", strerror(errno));
    if (port != (uint32_t)e->port)
        return fail(why, "event on port %u, expected %d", port, e->port);
    if (write(e->fd, &port, sizeof(port)) != (ssize_t)sizeof(port))
        return fail(why, "unmask port %u: %s", port, strerror(errno));
    return 0;
}

/* Nothing may be pending on `e`: events are not invented or duplicated. */
static int quiet(const struct end *e, char *why)
{
    struct pollfd pfd = { .fd = e->fd, .events = POLLIN };

    if (poll(&pfd, 1, 0) != 0)
        return fail(why, "unexpected event pending on port %d", e->port);
    return 0;
}

/*
 * Xen marks the local end of a new interdomain binding pending, in case the
 * remote end was notified while still unbound: exactly one event arrives.
 */
static int bind_interdomain_notified(struct end *e, int remote_port, char *why)
{
    if (bind_interdomain(e, remote_port, why) < 0)
        return -1;
    if (receive(e, why) < 0)
        return fail_context(why, "the event Xen sets on a new binding");
    return quiet(e, why);
}

/* Binding to `port` must fail with EINVAL. */
static int bind_refused(int fd, int port, const char *what, char *why)
{
    struct ioctl_evtchn_bind_interdomain b = { DOM0_ID, (unsigned int)port };
    struct end extra = { .fd = fd, .port = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b) };

    if (extra.port >= 0) {
        unbind(&extra);
        return fail(why, "bind to %s port %d succeeded", what, port);
    }
    if (errno != EINVAL)
        return fail(why, "bind to %s port %d: %s, want EINVAL", what, port, strerror(errno));
    return 0;
}

static int exchange(struct end *a, struct end *b, char *why)
{
    for (int i = 0; i < ROUNDS; i++) {
        struct end *from = (i & 1) ? a : b;
        struct end *to = (i & 1) ? b : a;

        if (notify(from, why) < 0 || receive(to, why) < 0 || quiet(from, why) < 0)
            return fail_context(why, "round %d (%d -> %d)", i, from->port, to->port);
    }
    return 0;
}

/* A port offered to another domain is not ours to bind. */
#define OTHER_DOM 7

static int loopback(struct end *a, struct end *b, char *why)
{
    struct end offered = { .fd = a->fd, .port = -1 };
    int rc;

    if (bind_unbound(a, DOM0_ID, why) < 0 || bind_interdomain_notified(b, a->port, why) < 0)
        return -1;
    if (a->port == b->port)
        return fail(why, "both ends got port %d", a->port);
    if (quiet(a, why) < 0 || exchange(a, b, why) < 0)
        return -1;

    if (bind_refused(b->fd, a->port, "already connected", why) < 0)
        return -1;
    if (bind_unbound(&offered, OTHER_DOM, why) < 0)
        return -1;
    rc = bind_refused(b->fd, offered.port, "another domain's unbound", why);
    unbind(&offered);
    if (rc < 0)
        return -1;

    /* Closing b leaves a unbound (for dom0): a fresh bind to it works. */
    unbind(b);
    if (bind_interdomain_notified(b, a->port, why) < 0)
        return fail_context(why, "rebind after close");
    return exchange(a, b, why);
}

int check_evtchn_loopback(char *why)
{
    struct end a = { .fd = -1, .port = -1 }, b = { .fd = -1, .port = -1 };
    int rc;

    a.fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    b.fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if (a.fd < 0 || b.fd < 0)
        rc = fail(why, "open /dev/xen/evtchn: %s", strerror(errno));
    else
        rc = loopback(&a, &b, why);
    if (b.fd >= 0) {
        unbind(&b);
        close(b.fd);
    }
    if (a.fd >= 0) {
        unbind(&a);
        close(a.fd);
    }
    return rc;
}
