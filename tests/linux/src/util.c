/* Small helpers shared by the checks: failure text, info lines, files, time. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dom0check.h"

int fail(char *why, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, WHY_LEN, fmt, ap);
    va_end(ap);
    return -1;
}

int fail_context(char *why, const char *fmt, ...)
{
    char context[WHY_LEN / 2], reason[WHY_LEN / 2 - 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(context, sizeof(context), fmt, ap);
    va_end(ap);
    memcpy(reason, why, sizeof(reason));
    reason[sizeof(reason) - 1] = '\0';
    snprintf(why, WHY_LEN, "%s: %s", context, reason);
    return -1;
}

void info(const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("info %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

int read_text(const char *path, char *buf, size_t len, char *why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return fail(why, "open %s: %s", path, strerror(errno));
    n = read(fd, buf, len - 1);
    if (n < 0) {
        int e = errno;
        close(fd);
        return fail(why, "read %s: %s", path, strerror(e));
    }
    close(fd);
    buf[n] = '\0';
    if (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    return 0;
}

double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
