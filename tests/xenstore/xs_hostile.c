/*
 * xs_hostile: hostile clients and one good client at the same time.
 *
 * Attackers (one process each, all stop by themselves at the deadline):
 *   garbage   random bytes on short-lived connections
 *   badlen    headers announcing more than 4096 bytes
 *   types     unknown types, missing NULs, bogus transaction ids
 *   flood     requests sent as fast as possible, replies never read
 *   watches   thousands of watches on "/", events never read
 *   idle      200 connections holding half a header
 * Meanwhile the good client (Debian's libxenstore) writes, reads, lists,
 * commits transactions and receives watch events; every result is
 * checked and every operation must finish within 2 seconds.
 * Usage: xs_hostile [seconds]. Connects to $XENSTORED_PATH.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <xen/io/xs_wire.h>

static const char *sock_path;
static double deadline;
static unsigned passed, failed;

#define CHECK(cond) do { \
        if (cond) passed++; \
        else { failed++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(bool nonblock)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (nonblock)
        fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static void drain(int fd)
{
    char buf[4096];

    while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
        ;
}

static void send_msg(int fd, uint32_t type, uint32_t tx, const void *p, uint32_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = 1, .tx_id = tx, .len = len };
    char buf[sizeof(h) + 8192];

    if (len > 8192)
        len = 8192;
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), p, len);
    if (send(fd, buf, sizeof(h) + len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN)
        return;
}

static void attack_garbage(void)
{
    char buf[8192];

    while (now() < deadline) {
        int fd = dial(true);
        size_t n = (size_t)(rand() % (int)sizeof(buf)) + 1;

        if (fd < 0)
            continue;
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)rand();
        (void)!send(fd, buf, n, MSG_NOSIGNAL);
        usleep(1000);
        drain(fd);
        close(fd);
    }
}

static void attack_badlen(void)
{
    while (now() < deadline) {
        int fd = dial(false);
        struct xsd_sockmsg h = { .type = XS_WRITE, .len = (rand() & 1) ? 4097 : 0xffffffffu };
        char b;

        if (fd < 0)
            continue;
        if (send(fd, &h, sizeof(h), MSG_NOSIGNAL) == sizeof(h)) {
            struct pollfd p = { .fd = fd, .events = POLLIN };

            /* The daemon must hang up on us. */
            if (poll(&p, 1, 2000) > 0 && recv(fd, &b, 1, 0) > 0)
                drain(fd);
        }
        close(fd);
    }
}

static void attack_types(void)
{
    int fd = dial(true);
    char p[512];

    while (fd >= 0 && now() < deadline) {
        uint32_t type = (uint32_t)(rand() % 40);
        uint32_t len = (uint32_t)(rand() % (int)sizeof(p));

        if (rand() % 10 == 0)
            type = XS_INVALID;
        for (uint32_t i = 0; i < len; i++)
            p[i] = (char)('a' + rand() % 26);       /* no NULs at all */
        if (rand() & 1 && len)
            p[len - 1] = 0;
        /* Keep away from the good client's tree. */
        if (len > 3)
            memcpy(p, "/z/", 3);
        send_msg(fd, type, (uint32_t)rand() % 4, p, len);
        drain(fd);
        usleep(20);     /* hostile, but leave the CPU to the daemon too */
    }
    if (fd >= 0)
        close(fd);
}

static void attack_flood(void)
{
    int fd = dial(true);
    static const char req[] = "/tool/xenstored";

    while (fd >= 0 && now() < deadline) {
        send_msg(fd, XS_READ, 0, req, sizeof(req));
        /* Never read: the daemon must stop reading us, not grow. */
        usleep(10);
    }
    if (fd >= 0)
        close(fd);
}

static void attack_watches(void)
{
    int fd = dial(true);
    char p[64];

    for (int i = 0; fd >= 0 && i < 5000 && now() < deadline; i++) {
        int n = snprintf(p, sizeof(p), "/%c%d", 0, i);

        send_msg(fd, XS_WATCH, 0, p, (uint32_t)n + 1);
    }
    while (fd >= 0 && now() < deadline)
        usleep(10000);
    if (fd >= 0)
        close(fd);
}

static void attack_idle(void)
{
    int fds[200];
    int n = 0;
    struct xsd_sockmsg h = { .type = XS_READ, .len = 10 };

    for (; n < 200; n++) {
        fds[n] = dial(true);
        if (fds[n] >= 0)
            (void)!send(fds[n], &h, 7, MSG_NOSIGNAL);
    }
    while (now() < deadline)
        usleep(10000);
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

static double worst;

static void timed(double start)
{
    double t = now() - start;

    if (t > worst)
        worst = t;
}

static char **event(struct xs_handle *h, int ms)
{
    struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
    char **ev = xs_check_watch(h);

    if (!ev && poll(&p, 1, ms) > 0)
        ev = xs_check_watch(h);
    return ev;
}

static void good_client(void)
{
    struct xs_handle *h = xs_open(0);
    unsigned rounds = 0, events = 0;
    char path[64], val[32];

    CHECK(h != NULL);
    if (!h)
        return;
    CHECK(xs_watch(h, "/hostile/watched", "good"));
    free(event(h, 2000));
    while (now() < deadline) {
        double t0 = now();
        unsigned len, num;
        char *v, **dir, **ev;
        xs_transaction_t tx;
        bool ok;

        snprintf(path, sizeof(path), "/hostile/good/k%u", rounds % 50);
        snprintf(val, sizeof(val), "v%u", rounds);
        CHECK(xs_write(h, XBT_NULL, path, val, (unsigned)strlen(val)));
        v = xs_read(h, XBT_NULL, path, &len);
        CHECK(v && len == strlen(val) && !memcmp(v, val, len));
        free(v);
        dir = xs_directory(h, XBT_NULL, "/hostile/good", &num);
        CHECK(dir && num >= 1);
        free(dir);
        do {
            tx = xs_transaction_start(h);
            xs_write(h, tx, "/hostile/good/tx", val, (unsigned)strlen(val));
            ok = xs_transaction_end(h, tx, false);
        } while (!ok && errno == EAGAIN);
        CHECK(ok);
        CHECK(xs_write(h, XBT_NULL, "/hostile/watched/x", val, (unsigned)strlen(val)));
        ev = event(h, 2000);
        CHECK(ev && !strcmp(ev[XS_WATCH_PATH], "/hostile/watched/x"));
        events += ev != NULL;
        free(ev);
        timed(t0);
        rounds++;
    }
    CHECK(rounds > 10);
    CHECK(worst < 2.0);
    CHECK(xs_write(h, XBT_NULL, "/hostile/good/last", "done", 4));
    printf("xs_hostile: %u rounds, %u watch events, worst round %.1f ms\n",
           rounds, events, worst * 1e3);
    xs_close(h);
}

int main(int argc, char **argv)
{
    void (*attackers[])(void) = {
        attack_garbage, attack_badlen, attack_types, attack_flood, attack_watches, attack_idle,
    };
    const int n = (int)(sizeof(attackers) / sizeof(attackers[0]));
    double seconds = argc > 1 ? atof(argv[1]) : 3;
    pid_t pids[16];

    sock_path = getenv("XENSTORED_PATH");
    if (!sock_path) {
        fprintf(stderr, "XENSTORED_PATH not set\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    deadline = now() + seconds;
    for (int i = 0; i < n; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            srand((unsigned)(getpid() * 2654435761u));
            attackers[i]();
            _exit(0);
        }
    }
    usleep(100000);     /* let the attack start first */
    good_client();
    for (int i = 0; i < n; i++) {
        if (pids[i] > 0) {
            kill(pids[i], SIGKILL);
            waitpid(pids[i], NULL, 0);
        }
    }
    printf("xs_hostile: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
