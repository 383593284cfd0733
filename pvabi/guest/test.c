/* Check reporting, the final RESULT line, and shutdown. */
#include <pvguest/test.h>

unsigned int checks_run, checks_failed;

bool check(bool cond, const char *name, const char *fail_fmt, ...)
{
    char details[256];
    va_list ap;

    checks_run++;
    if (cond) {
        printk("check %s: ok\n", name);
        return true;
    }
    checks_failed++;
    va_start(ap, fail_fmt);
    vsnprintf(details, sizeof(details), fail_fmt, ap);
    va_end(ap);
    printk("check %s: FAIL %s\n", name, details);
    return false;
}

bool check_eq(const char *name, long got, long want)
{
    return check(got == want, name, "got %ld (%#lx), want %ld (%#lx)",
                 got, got, want, want);
}

bool check_equ(const char *name, unsigned long got, unsigned long want)
{
    return check(got == want, name, "got %#lx, want %#lx", got, want);
}

void info(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("info: %s\n", buf);
}

__noreturn void shutdown(unsigned int reason)
{
    struct sched_shutdown s = { .reason = reason };

    for (;;) {
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
        /* Only a suspend may return; otherwise keep asking. */
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

static void result(const char *what, const char *fmt, va_list ap)
{
    char buf[200];

    vsnprintf(buf, sizeof(buf), fmt, ap);
    printk("RESULT: %s %s\n", what, buf);
}

__noreturn void test_skip(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    result("SKIP", fmt, ap);
    va_end(ap);
    shutdown(SHUTDOWN_poweroff);
}

__noreturn void test_error(const char *fmt, ...)
{
    static volatile int in_error;
    va_list ap;

    /* A second error (e.g. from another vCPU) must not print again. */
    if (__atomic_exchange_n(&in_error, 1, __ATOMIC_SEQ_CST))
        shutdown(SHUTDOWN_crash);
    va_start(ap, fmt);
    result("ERROR", fmt, ap);
    va_end(ap);
    shutdown(SHUTDOWN_crash);
}

__noreturn void test_finish(void)
{
    if (checks_failed) {
        printk("RESULT: FAILURE (%u of %u checks failed)\n", checks_failed, checks_run);
    } else if (!checks_run) {
        printk("RESULT: ERROR the test made no checks\n");
        shutdown(SHUTDOWN_crash);
    } else {
        printk("RESULT: SUCCESS\n");
    }
    shutdown(SHUTDOWN_poweroff);
}
