/* transport_unix: listening socket and socket clients on libev. */
#define _GNU_SOURCE
#include <errno.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "transport_unix.h"

#define STAGE_SIZE 8192

struct unix_listener {
    ev_io w;
    ev_timer pause;             /* out of descriptors: stop accepting awhile */
    struct daemon *d;
    int fd;
    unsigned clients;
    char *path;
};

struct unix_client {
    ev_io rw, ww;
    struct unix_listener *l;
    struct conn *c;
    int fd;
    size_t stage_off, stage_len;    /* received, not yet consumed */
    char stage[STAGE_SIZE];
};

static void client_free(struct unix_client *u)
{
    /* conn_free() calls client_close() back through the ops. */
    conn_free(u->c);
}

static void client_close(struct conn *c)
{
    struct unix_client *u = c->transport;
    struct ev_loop *loop = c->d->loop;

    ev_io_stop(loop, &u->rw);
    ev_io_stop(loop, &u->ww);
    close(u->fd);
    u->l->clients--;
    free(u);
}

/* Write what the socket takes; true if the connection is still usable. */
static bool flush(struct unix_client *u)
{
    struct conn *c = u->c;
    struct ev_loop *loop = c->d->loop;
    const char *p;
    size_t len;

    while ((p = conn_out_peek(c, &len))) {
        ssize_t n = send(u->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == EINTR)
                continue;
            return false;
        }
        conn_out_advance(c, (size_t)n);
    }
    if (c->out_head)
        ev_io_start(loop, &u->ww);
    else
        ev_io_stop(loop, &u->ww);
    return true;
}

/* Hand staged bytes to the connection while it accepts them. */
static void consume(struct unix_client *u)
{
    while (u->stage_len) {
        size_t n = conn_input(u->c, u->stage + u->stage_off, u->stage_len);

        if (!n)
            break;
        u->stage_off += n;
        u->stage_len -= n;
    }
    if (!u->stage_len)
        u->stage_off = 0;
}

/* After any activity: close, throttle or resume reading. */
static void settle(struct unix_client *u)
{
    struct ev_loop *loop = u->c->d->loop;

    if (!flush(u) || u->c->closing) {
        client_free(u);
        return;
    }
    if (u->stage_len || !conn_can_read(u->c))
        ev_io_stop(loop, &u->rw);       /* wait for our output to drain */
    else
        ev_io_start(loop, &u->rw);
}

static void client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct unix_client *u = container_of(w, struct unix_client, rw);
    ssize_t n;

    (void)loop;
    (void)revents;
    n = recv(u->fd, u->stage, STAGE_SIZE, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        client_free(u);
        return;
    }
    if (n > 0) {
        u->stage_off = 0;
        u->stage_len = (size_t)n;
        consume(u);
    }
    settle(u);
}

static void client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct unix_client *u = container_of(w, struct unix_client, ww);

    (void)loop;
    (void)revents;
    if (!flush(u)) {
        client_free(u);
        return;
    }
    /* Output drained: staged requests may proceed. */
    if (u->stage_len && conn_can_read(u->c))
        consume(u);
    settle(u);
}

static void client_output(struct conn *c)
{
    struct unix_client *u = c->transport;

    /* Sending is deferred to the write watcher, so that a reply is never
     * written while the request loop of this client is running. */
    ev_io_start(c->d->loop, &u->ww);
}

static const struct conn_ops unix_ops = {
    .output = client_output,
    .close = client_close,
};

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct unix_listener *l = container_of(w, struct unix_listener, w);
    struct unix_client *u;
    char desc[32];
    int fd;

    (void)revents;
    for (;;) {
        fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
            /* The pending connection stays pending and the socket stays
             * readable: without a pause this would spin. */
            daemon_refused(l->d, NULL, "out of file descriptors; not accepting for 100 ms");
            ev_io_stop(loop, &l->w);
            ev_timer_start(loop, &l->pause);
            return;
        }
        if (fd < 0)
            return;
        if (l->clients >= UNIX_MAX_CLIENTS) {
            daemon_refused(l->d, NULL, "socket client limit (%u) reached", UNIX_MAX_CLIENTS);
            close(fd);
            continue;
        }
        u = calloc(1, sizeof(*u));
        if (!u) {
            close(fd);
            continue;
        }
        u->fd = fd;
        u->l = l;
        snprintf(desc, sizeof(desc), "socket#%u", l->d->next_serial + 1);
        u->c = conn_new(l->d, &unix_ops, u, 0, true, desc);
        if (!u->c) {
            close(fd);
            free(u);
            continue;
        }
        l->clients++;
        ev_io_init(&u->rw, client_read_cb, fd, EV_READ);
        ev_io_init(&u->ww, client_write_cb, fd, EV_WRITE);
        ev_io_start(loop, &u->rw);
    }
}

static void resume_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct unix_listener *l = container_of(w, struct unix_listener, pause);

    (void)revents;
    ev_io_start(loop, &l->w);
}

struct unix_listener *unix_listen(struct daemon *d, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct unix_listener *l;
    int fd;

    /* Bound under a temporary name and renamed once listening, so that
     * the path never exists without accepting connections. */
    if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.%ld", path,
                         (long)getpid()) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    unlink(sa.sun_path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(sa.sun_path, 0600) ||
        listen(fd, 128) || rename(sa.sun_path, path)) {
        int e = errno;

        unlink(sa.sun_path);
        close(fd);
        errno = e;
        return NULL;
    }
    l = calloc(1, sizeof(*l));
    if (!l || !(l->path = strdup(path))) {
        free(l);
        close(fd);
        errno = ENOMEM;
        return NULL;
    }
    l->d = d;
    l->fd = fd;
    ev_io_init(&l->w, accept_cb, fd, EV_READ);
    ev_io_start(d->loop, &l->w);
    ev_timer_init(&l->pause, resume_cb, 0.1, 0.);
    return l;
}

void unix_close(struct unix_listener *l)
{
    if (!l)
        return;
    ev_io_stop(l->d->loop, &l->w);
    ev_timer_stop(l->d->loop, &l->pause);
    close(l->fd);
    unlink(l->path);
    free(l->path);
    free(l);
}
