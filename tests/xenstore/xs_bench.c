/*
 * xs_bench: pvstored figures through Debian's libxenstore (each operation
 * is a full request/reply round trip over the socket, as for real tools).
 * Builds a 100k-node tree (1000 directories of 100), then measures reads,
 * writes, directory listings, transactions (start + write + commit),
 * watch-fire latency (write acknowledged to event received, another
 * connection) and a full-tree CONTROL check.
 * Usage: xs_bench [nodes]. Connects to $XENSTORED_PATH.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void node_path(char *buf, size_t len, unsigned i)
{
    snprintf(buf, len, "/bench/d%u/n%u", i / 100, i % 100);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void report(const char *what, unsigned ops, double secs)
{
    printf("  %-28s %9.0f ops/s   (%u ops, %.2f s)\n", what, ops / secs, ops, secs);
}

int main(int argc, char **argv)
{
    unsigned nodes = argc > 1 ? (unsigned)atoi(argv[1]) : 100000;
    unsigned ops = 20000, ndirs = (nodes + 99) / 100;
    struct xs_handle *h = xs_open(0), *w = xs_open(0);
    char path[64], val[32];
    double t0, t, *lat;
    unsigned len, num, fails = 0;

    if (!h || !w) {
        perror("xs_open");
        return 1;
    }
    printf("pvstored figures (libxenstore round trips, one client at a time)\n");
    t0 = now();
    for (unsigned i = 0; i < nodes; i++) {
        node_path(path, sizeof(path), i);
        fails += !xs_write(h, XBT_NULL, path, "initial", 7);
    }
    t = now() - t0;
    report("create (100k-node tree)", nodes, t);

    srand(1);
    t0 = now();
    for (unsigned i = 0; i < ops; i++) {
        char *v;

        node_path(path, sizeof(path), (unsigned)rand() % nodes);
        v = xs_read(h, XBT_NULL, path, &len);
        fails += !v;
        free(v);
    }
    report("read", ops, now() - t0);

    t0 = now();
    for (unsigned i = 0; i < ops; i++) {
        node_path(path, sizeof(path), (unsigned)rand() % nodes);
        snprintf(val, sizeof(val), "value-%u", i);
        fails += !xs_write(h, XBT_NULL, path, val, (unsigned)strlen(val));
    }
    report("write (overwrite)", ops, now() - t0);

    t0 = now();
    for (unsigned i = 0; i < ops; i++) {
        char **d;

        snprintf(path, sizeof(path), "/bench/d%u", (unsigned)rand() % ndirs);
        d = xs_directory(h, XBT_NULL, path, &num);
        fails += !d;
        free(d);
    }
    report("directory (100 entries)", ops, now() - t0);

    t0 = now();
    for (unsigned i = 0; i < ops / 4; i++) {
        xs_transaction_t tx = xs_transaction_start(h);

        node_path(path, sizeof(path), (unsigned)rand() % nodes);
        fails += !xs_write(h, tx, path, "tx", 2);
        fails += !xs_transaction_end(h, tx, false);
    }
    report("transaction start+write+commit", ops / 4, now() - t0);

    /* Watch-fire latency: write on h, event on w. */
    lat = calloc(2000, sizeof(*lat));
    xs_watch(w, "/bench/watched", "tok");
    free(xs_read_watch(w, &num));
    for (unsigned i = 0; i < 2000; i++) {
        struct pollfd p = { .fd = xs_fileno(w), .events = POLLIN };
        char **ev;

        t0 = now();
        xs_write(h, XBT_NULL, "/bench/watched/x", "1", 1);
        ev = xs_check_watch(w);
        if (!ev && poll(&p, 1, 2000) > 0)
            ev = xs_check_watch(w);
        lat[i] = now() - t0;
        fails += !ev;
        free(ev);
    }
    qsort(lat, 2000, sizeof(*lat), cmp_double);
    printf("  %-28s median %.1f us, p99 %.1f us (write sent to event received)\n",
           "watch-fire latency", lat[1000] * 1e6, lat[1980] * 1e6);
    free(lat);

    t0 = now();
    {
        char *r = xs_control_command(h, "check", NULL, 0);

        fails += !r || strcmp(r, "OK");
        free(r);
    }
    printf("  %-28s %.1f ms (%u nodes)\n", "full-tree check", (now() - t0) * 1e3, nodes + 6);
    xs_rm(h, XBT_NULL, "/bench");
    xs_close(h);
    xs_close(w);
    if (fails)
        printf("  %u operations FAILED\n", fails);
    return fails ? 1 : 0;
}
