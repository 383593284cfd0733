/*
 * The test framework, XTF style. A guest provides
 *
 *     const char test_title[] = "...";
 *     void test_main(void);
 *
 * and reports one line per check, "check <name>: ok" or
 * "check <name>: FAIL <details>", then the library prints exactly one of
 * RESULT: SUCCESS / FAILURE / ERROR <why> / SKIP <why> and shuts the
 * domain down (poweroff; crash after ERROR). Check names must not depend
 * on the hypervisor: the harness compares the set of check lines between
 * Xen and Pavise. Values belong in "info:" lines or FAIL details.
 */
#ifndef PVGUEST_TEST_H
#define PVGUEST_TEST_H

#include <pvguest/types.h>
#include <pvguest/lib.h>
#include <pvguest/hypercall.h>
#include <pvguest/traps.h>
#include <pvguest/events.h>
#include <pvguest/time.h>
#include <pvguest/smp.h>

extern const char test_title[];
void test_main(void);

/* One check; returns cond. The name is printed as given. */
bool check(bool cond, const char *name, const char *fail_fmt, ...) __printf(3, 4);
/* check(got == want) with both printed on failure. */
bool check_eq(const char *name, long got, long want);
bool check_equ(const char *name, unsigned long got, unsigned long want);

/* Informational line ("info: ..."), not compared between hypervisors. */
void info(const char *fmt, ...) __printf(1, 2);

/* End the test now. */
__noreturn void test_skip(const char *fmt, ...) __printf(1, 2);
__noreturn void test_error(const char *fmt, ...) __printf(1, 2);
/* Called after test_main returns: SUCCESS unless a check failed. */
__noreturn void test_finish(void);

/* SCHEDOP_shutdown; does not return (spins if the hypervisor returns). */
__noreturn void shutdown(unsigned int reason);

/* Number of checks so far and how many failed. */
extern unsigned int checks_run, checks_failed;

#endif
