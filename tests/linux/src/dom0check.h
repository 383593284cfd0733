/*
 * dom0check: checks, run inside Debian's Linux as PV dom0, that the
 * hypervisor underneath really provides a working Xen PV platform.
 *
 * Each check talks to Linux's Xen drivers (/dev/xen/...) with their raw ioctls
 * (no libxen* at run time, the binary is static) and reports one line:
 *   check <name>: ok
 *   check <name>: FAIL <why>
 * Extra facts worth seeing in the log are printed as "info <name>: ...".
 * Both hypervisors must print the same check lines, so a check line never
 * carries values that may legitimately differ between them.
 */
#ifndef DOM0CHECK_H
#define DOM0CHECK_H

#include <stddef.h>
#include <stdint.h>

/* The running domain: these checks are for the initial domain only. */
#define DOM0_ID 0

/* Room for a failure explanation. */
#define WHY_LEN 256

/* A check returns 0 when it passed, or -1 with `why` filled in. */
typedef int (*check_fn)(char *why);

struct check {
    const char *name;
    check_fn run;
};

/* Fill `why` (WHY_LEN bytes) and return -1, for "return fail(why, ...)". */
int fail(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Put "<context>: " in front of the reason already in `why`; returns -1. */
int fail_context(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print an "info <name>: ..." line. */
void info(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Read a small text file (sysfs, procfs) into buf, without its final
 * newline. Returns 0, or -1 with `why` naming the file and the error.
 */
int read_text(const char *path, char *buf, size_t len, char *why);

/* Seconds on the monotonic clock, for deadlines. */
double now_s(void);

/* privcmd.c */
int check_privcmd_version(char *why);
int check_privcmd_bad_args(char *why);

/* evtchn.c */
int check_evtchn_loopback(char *why);

/* grant_map.c, grant_copy.c, grant_refuse.c */
int check_grant_map(char *why);
int check_grant_copy(char *why);
int check_grant_refuse(char *why);

/* smp.c */
int check_vcpus_online(char *why);
int check_smp_pingpong(char *why);

#endif
