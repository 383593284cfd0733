/*
 * dom0check [NAME...|all|--list]: run the named checks (or all of them, in
 * the order below) and print one "check" line each. Exit status 0 when every
 * check passed, 1 when one failed, 2 on a usage error.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dom0check.h"

/* The order in which "all" runs them: cheapest and most basic first. */
static const struct check checks[] = {
    { "privcmd-xen-version", check_privcmd_version },
    { "privcmd-bad-args", check_privcmd_bad_args },
    { "evtchn-loopback", check_evtchn_loopback },
    { "gnt-map", check_grant_map },
    { "gnt-copy", check_grant_copy },
    { "gnt-refuse", check_grant_refuse },
    { "vcpus-online", check_vcpus_online },
    { "smp-pingpong", check_smp_pingpong },
};
#define NCHECKS (sizeof(checks) / sizeof(checks[0]))

/* A check that hangs (a lost event, a wedged vCPU) must still report. */
#define CHECK_TIMEOUT_S 30

static const char *running;

static void on_alarm(int sig)
{
    char line[128];
    int n = snprintf(line, sizeof(line), "check %s: FAIL timed out after %d s\n",
                     running, CHECK_TIMEOUT_S);
    (void)sig;
    if (n > 0 && write(STDOUT_FILENO, line, (size_t)n) < 0)
        _exit(1);
    _exit(1);
}

static int run_one(const struct check *c)
{
    char why[WHY_LEN] = "";
    int rc;

    running = c->name;
    alarm(CHECK_TIMEOUT_S);
    rc = c->run(why);
    alarm(0);
    if (rc == 0)
        printf("check %s: ok\n", c->name);
    else
        printf("check %s: FAIL %s\n", c->name, why[0] ? why : "(no reason given)");
    fflush(stdout);
    return rc == 0 ? 0 : 1;
}

static const struct check *find(const char *name)
{
    for (size_t i = 0; i < NCHECKS; i++)
        if (strcmp(checks[i].name, name) == 0)
            return &checks[i];
    return NULL;
}

int main(int argc, char **argv)
{
    int failed = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, on_alarm);

    if (argc < 2) {
        fprintf(stderr, "usage: %s NAME...|all|--list\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < NCHECKS; i++)
            printf("%s\n", checks[i].name);
        return 0;
    }
    if (strcmp(argv[1], "all") == 0) {
        for (size_t i = 0; i < NCHECKS; i++)
            failed |= run_one(&checks[i]);
        return failed;
    }
    for (int i = 1; i < argc; i++) {
        const struct check *c = find(argv[i]);
        if (!c) {
            fprintf(stderr, "%s: no check named '%s' (try --list)\n", argv[0], argv[i]);
            return 2;
        }
        failed |= run_one(c);
    }
    return failed;
}
