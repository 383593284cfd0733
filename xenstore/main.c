/*
 * pvstored: a xenstore daemon on libev, wire-compatible with Xen 4.17's
 * xenstored and Debian's libxenstore clients. See README.md.
 */
#include <errno.h>
#include <ev.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "transport_unix.h"

struct options {
    const char *socket;
    const char *pid_file;
    const char *log_file;
    const char *trace_file;
    const char *ring_dir;
    int xen;                    /* -1 auto, 0 no, 1 required */
    bool no_dom0_ring;          /* -D: do not serve dom0's own ring */
    bool no_fork;
};

static void usage(FILE *f)
{
    fprintf(f,
"Usage: pvstored [options]\n"
"  -s, --socket <path>        listen here (default: $XENSTORED_PATH, else\n"
"                             $XENSTORED_RUNDIR/socket, else /run/xenstored/socket)\n"
"  -N, --no-fork              stay in the foreground\n"
"  -F, --pid-file <file>      write the daemon's pid\n"
"  -L, --log-file <file>      notices and refused input (default: stderr)\n"
"  -T, --trace-file <file>    trace every request (CONTROL log on|off)\n"
"  -E, --entry-nb <n>         quota: nodes per domain (1000)\n"
"  -S, --entry-size <n>       quota: bytes per node (2048)\n"
"  -W, --watch-nb <n>         quota: watches per domain (128)\n"
"  -t, --transaction <n>      quota: transactions per domain (10)\n"
"  -A, --perm-nb <n>          quota: permissions per node (5)\n"
"  -M, --path-max <n>         quota: path length below a domain's home (2048)\n"
"  -Q, --quota <name>=<n>     any quota by name (see CONTROL quota)\n"
"  -q, --quota-soft memory=<n> warn when a domain uses more than n bytes\n"
"  -w, --timeout watch-event=<s> drop a guest's events unread after s seconds\n"
"                             (20; 0: never)\n"
"      --ring-dir <dir>       serve INTRODUCE'd domains from shared files in <dir>\n"
"                             (test harnesses; see ring_shm.c)\n"
"      --xen / --no-xen       serve guests through Xen's libraries (default: if\n"
"                             /dev/xen/evtchn exists)\n"
"  -K, --keep-orphans         a released domain's nodes go to dom0 instead of\n"
"                             being deleted\n"
"  -D, --no-domain-init       do not serve dom0's own kernel ring (Xen backend)\n"
"  -V, -R, -I                 accepted for compatibility with xenstored, no effect\n"
"  -H, --help                 this text\n");
}

static bool set_quota(struct daemon *d, int q, const char *val)
{
    char *end;
    unsigned long v = strtoul(val, &end, 10);

    if (q < 0 || !*val || *end || v > UINT32_MAX)
        return false;
    d->q.val[q] = (uint32_t)v;
    return true;
}

static int parse(int argc, char **argv, struct daemon *d, struct options *o)
{
    static const struct option longopts[] = {
        { "socket", 1, NULL, 's' }, { "no-fork", 0, NULL, 'N' },
        { "pid-file", 1, NULL, 'F' }, { "log-file", 1, NULL, 'L' },
        { "trace-file", 1, NULL, 'T' }, { "entry-nb", 1, NULL, 'E' },
        { "entry-size", 1, NULL, 'S' }, { "watch-nb", 1, NULL, 'W' },
        { "transaction", 1, NULL, 't' }, { "perm-nb", 1, NULL, 'A' },
        { "path-max", 1, NULL, 'M' }, { "quota", 1, NULL, 'Q' },
        { "quota-soft", 1, NULL, 'q' }, { "timeout", 1, NULL, 'w' },
        { "ring-dir", 1, NULL, 1 }, { "xen", 0, NULL, 2 }, { "no-xen", 0, NULL, 3 },
        { "help", 0, NULL, 'H' },
        /* xenstored options accepted for drop-in use (see usage). */
        { "no-domain-init", 0, NULL, 'D' }, { "verbose", 0, NULL, 'V' },
        { "no-recovery", 0, NULL, 'R' }, { "internal-db", 2, NULL, 'I' },
        { "keep-orphans", 0, NULL, 'K' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    while ((c = getopt_long(argc, argv, "s:NF:L:T:E:S:W:t:A:M:Q:q:w:HDVRI::K", longopts, NULL)) != -1) {
        bool ok = true;

        switch (c) {
        case 's': o->socket = optarg; break;
        case 'N': o->no_fork = true; break;
        case 'F': o->pid_file = optarg; break;
        case 'L': o->log_file = optarg; break;
        case 'T': o->trace_file = optarg; break;
        case 'E': ok = set_quota(d, QUOTA_NODES, optarg); break;
        case 'S': ok = set_quota(d, QUOTA_NODE_SIZE, optarg); break;
        case 'W': ok = set_quota(d, QUOTA_WATCHES, optarg); break;
        case 't': ok = set_quota(d, QUOTA_TRANSACTIONS, optarg); break;
        case 'A': ok = set_quota(d, QUOTA_PERMS, optarg); break;
        case 'M': ok = set_quota(d, QUOTA_PATH_LENGTH, optarg); break;
        case 'Q': {
            char name[64];
            const char *eq = strchr(optarg, '=');

            ok = eq && (size_t)(eq - optarg) < sizeof(name);
            if (ok) {
                memcpy(name, optarg, (size_t)(eq - optarg));
                name[eq - optarg] = 0;
                ok = set_quota(d, quota_lookup(name), eq + 1);
            }
            break;
        }
        case 'w':
            ok = !strncmp(optarg, "watch-event=", 12);
            if (ok)
                d->event_timeout_ms = (uint32_t)atoi(optarg + 12) * 1000;
            break;
        case 'q':
            ok = !strncmp(optarg, "memory=", 7) && atoi(optarg + 7) > 0;
            if (ok)
                d->q.memory_soft = (uint32_t)atoi(optarg + 7);
            break;
        case 1: o->ring_dir = optarg; break;
        case 2: o->xen = 1; break;
        case 3: o->xen = 0; break;
        case 'D': o->no_dom0_ring = true; break;
        case 'K': d->keep_orphans = true; break;
        case 'V': case 'R': case 'I': break;
        case 'H': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
        if (!ok) {
            fprintf(stderr, "pvstored: bad value for -%c: %s\n", c, optarg);
            return -1;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return -1;
    }
    return 0;
}

static const char *default_socket(char *buf, size_t len)
{
    const char *p = getenv("XENSTORED_PATH"), *dir = getenv("XENSTORED_RUNDIR");

    if (p && *p)
        return p;
    snprintf(buf, len, "%s/socket", dir && *dir ? dir : "/run/xenstored");
    /* Like xenstored: create the run directory (one level). */
    mkdir(dir && *dir ? dir : "/run/xenstored", 0755);
    return buf;
}

/* Room for every socket client and every guest's ring. */
static void raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl))
        return;
    if (rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static void stop_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
    (void)w;
    (void)revents;
    ev_break(loop, EVBREAK_ALL);
}

static void tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop;
    (void)revents;
    daemon_tick(w->data);
}

/* SIGHUP: reopen the log and trace files (log rotation), as xenstored. */
static const char *log_path;

static void hup_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct daemon *d = w->data;
    FILE *f;

    (void)loop;
    (void)revents;
    if (log_path && (f = fopen(log_path, "a"))) {
        if (d->log && d->log != stderr)
            fclose(d->log);
        d->log = f;
    }
    if (d->trace && d->trace_path && (f = fopen(d->trace_path, "a"))) {
        fclose(d->trace);
        d->trace = f;
    }
    daemon_log(d, "log files reopened");
}

static int setup_backend(struct daemon *d, const struct options *o)
{
    if (o->ring_dir) {
        d->backend = ring_shm_backend_new(o->ring_dir);
        return d->backend ? 0 : -1;
    }
    if (o->xen == 0 || (o->xen < 0 && access("/dev/xen/evtchn", F_OK)))
        return 0;
    d->backend = ring_xen_backend_new();
    if (!d->backend) {
        fprintf(stderr, "pvstored: cannot open Xen's event channel or grant devices\n");
        return o->xen > 0 ? -1 : 0;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = { .xen = -1 };
    struct daemon d;
    struct unix_listener *l;
    ev_signal sigterm, sigint, sighup;
    ev_timer tick;
    char sockbuf[4096];
    const char *sock;

    if (daemon_init(&d)) {
        fprintf(stderr, "pvstored: out of memory\n");
        return 1;
    }
    if (parse(argc, argv, &d, &o))
        return 2;
    if (o.log_file && !(d.log = fopen(o.log_file, "a"))) {
        perror(o.log_file);
        return 1;
    }
    if (o.trace_file) {
        d.trace_path = strdup(o.trace_file);
        d.trace = fopen(o.trace_file, "a");
        if (!d.trace) {
            perror(o.trace_file);
            return 1;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();
    d.loop = ev_default_loop(EVFLAG_AUTO);
    if (setup_backend(&d, &o))
        return 1;
    sock = o.socket ? o.socket : default_socket(sockbuf, sizeof(sockbuf));
    l = unix_listen(&d, sock);
    if (!l) {
        fprintf(stderr, "pvstored: cannot listen on %s: %s\n", sock, strerror(errno));
        return 1;
    }
    if (!o.no_fork) {
        if (daemon(0, 0)) {
            perror("daemon");
            return 1;
        }
        /* The loop's kernel state (epoll) was set up before the fork. */
        ev_loop_fork(d.loop);
    }
    if (o.pid_file) {
        FILE *f = fopen(o.pid_file, "w");

        if (f) {
            fprintf(f, "%ld\n", (long)getpid());
            fclose(f);
        }
    }
    d.no_dom0_ring = o.no_dom0_ring;
    if (d.backend && d.backend->start && d.backend->start(d.backend, &d))
        return 1;
    ev_signal_init(&sigterm, stop_cb, SIGTERM);
    ev_signal_init(&sigint, stop_cb, SIGINT);
    ev_signal_start(d.loop, &sigterm);
    ev_signal_start(d.loop, &sigint);
    log_path = o.log_file;
    ev_signal_init(&sighup, hup_cb, SIGHUP);
    sighup.data = &d;
    ev_signal_start(d.loop, &sighup);
    ev_timer_init(&tick, tick_cb, 1., 1.);
    tick.data = &d;
    ev_timer_start(d.loop, &tick);
    daemon_log(&d, "listening on %s%s%s", sock, d.backend ? ", ring backend " : "",
               d.backend ? d.backend->name : "");
    ev_run(d.loop, 0);
    daemon_log(&d, "stopping");
    unix_close(l);
    daemon_fini(&d);
    return 0;
}
