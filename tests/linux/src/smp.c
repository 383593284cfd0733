/*
 * Both vCPUs are online and really run work: two threads, each pinned to its
 * own CPU, hand a token back and forth. Every hand-over wakes a thread that
 * sleeps on the other CPU, which on a PV platform takes an IPI event
 * channel, SCHEDOP_block and a timely wake-up of the blocked vCPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dom0check.h"

#define WANT_CPUS 2
#define ROUNDS 200
#define DEADLINE_S 20

int check_vcpus_online(char *why)
{
    char online[64];
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n != WANT_CPUS)
        return fail(why, "%ld CPUs online, want %d", n, WANT_CPUS);
    if (read_text("/sys/devices/system/cpu/online", online, sizeof(online), why) < 0)
        return -1;
    if (strcmp(online, "0-1") != 0)
        return fail(why, "/sys/devices/system/cpu/online is '%s', want '0-1'", online);
    return 0;
}

struct pingpong {
    pthread_mutex_t lock;
    pthread_cond_t turn_changed;
    int turn;                   /* which CPU holds the token */
    int rounds;                 /* hand-overs so far */
    int failed;
    struct timespec deadline;
    char why[WHY_LEN];
    unsigned long work[WANT_CPUS];
};

struct player {
    struct pingpong *pp;
    int cpu;
};

/* Record the first failure; the other player gives up too. */
static void player_fail(struct pingpong *pp, const char *what, int cpu, int err)
{
    if (!pp->failed)
        fail(pp->why, "cpu %d: %s%s%s", cpu, what, err ? ": " : "", err ? strerror(err) : "");
    pp->failed = 1;
    pthread_cond_broadcast(&pp->turn_changed);
}

/* A little arithmetic per turn, so each CPU does measurable work. */
static unsigned long churn(unsigned long x)
{
    for (int i = 0; i < 2000; i++)
        x = x * 6364136223846793005ul + 1442695040888963407ul;
    return x;
}

static void *play(void *arg)
{
    struct player *me = arg;
    struct pingpong *pp = me->pp;
    cpu_set_t set;
    int err;

    CPU_ZERO(&set);
    CPU_SET(me->cpu, &set);
    err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);

    pthread_mutex_lock(&pp->lock);
    if (err)
        player_fail(pp, "pin to CPU", me->cpu, err);
    while (!pp->failed && pp->rounds < ROUNDS) {
        if (pp->turn != me->cpu) {
            err = pthread_cond_timedwait(&pp->turn_changed, &pp->lock, &pp->deadline);
            if (err == ETIMEDOUT)
                player_fail(pp, "token not passed back in time", me->cpu, 0);
            continue;
        }
        if (sched_getcpu() != me->cpu) {
            player_fail(pp, "thread pinned here runs elsewhere", me->cpu, 0);
            break;
        }
        pp->work[me->cpu] = churn(pp->work[me->cpu] + (unsigned long)pp->rounds);
        pp->work[me->cpu] |= 1;     /* never 0 once this CPU has worked */
        pp->rounds++;
        pp->turn = 1 - me->cpu;
        pthread_cond_broadcast(&pp->turn_changed);
    }
    pthread_mutex_unlock(&pp->lock);
    return NULL;
}

int check_smp_pingpong(char *why)
{
    struct pingpong pp;
    struct player players[WANT_CPUS];
    pthread_t threads[WANT_CPUS];
    pthread_condattr_t ca;
    double t0 = now_s();
    int started = 0;

    memset(&pp, 0, sizeof(pp));
    pthread_mutex_init(&pp.lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&pp.turn_changed, &ca);
    clock_gettime(CLOCK_MONOTONIC, &pp.deadline);
    pp.deadline.tv_sec += DEADLINE_S;

    for (int cpu = 0; cpu < WANT_CPUS; cpu++) {
        int err;

        players[cpu].pp = &pp;
        players[cpu].cpu = cpu;
        err = pthread_create(&threads[cpu], NULL, play, &players[cpu]);
        if (err) {
            pthread_mutex_lock(&pp.lock);
            player_fail(&pp, "pthread_create", cpu, err);
            pthread_mutex_unlock(&pp.lock);
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);

    if (pp.failed)
        return fail(why, "%s", pp.why);
    if (pp.rounds != ROUNDS)
        return fail(why, "%d of %d hand-overs", pp.rounds, ROUNDS);
    for (int cpu = 0; cpu < WANT_CPUS; cpu++)
        if (pp.work[cpu] == 0)
            return fail(why, "no work ran on CPU %d", cpu);
    info("smp-pingpong", "%d cross-CPU hand-overs in %.3f s", ROUNDS, now_s() - t0);
    return 0;
}
