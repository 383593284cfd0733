/*
 * Hypercalls from dom0 user space through /dev/xen/privcmd.
 *
 * Arguments that point to memory must be in pages the hypervisor can touch
 * without a fault it would not forward: /dev/xen/hypercall hands out locked
 * buffers for that (what libxencall uses).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <stdint.h>

#include <xen/xen.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/sys/privcmd.h>

#include "dom0check.h"

/* The ABI Pavise speaks, and the version it therefore reports. */
#define WANT_MAJOR 4
#define WANT_MINOR 17

struct privcmd {
    int fd;
    int buf_fd;
    char *buf;          /* one locked page for hypercall arguments */
};

static void privcmd_close(struct privcmd *p)
{
    if (p->buf && p->buf != MAP_FAILED)
        munmap(p->buf, 4096);
    if (p->buf_fd >= 0)
        close(p->buf_fd);
    if (p->fd >= 0)
        close(p->fd);
}

static int privcmd_open(struct privcmd *p, char *why)
{
    p->fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    p->buf_fd = -1;
    p->buf = NULL;
    if (p->fd < 0)
        return fail(why, "open /dev/xen/privcmd: %s", strerror(errno));
    p->buf_fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
    if (p->buf_fd < 0) {
        int e = errno;
        privcmd_close(p);
        return fail(why, "open /dev/xen/hypercall: %s", strerror(e));
    }
    p->buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, p->buf_fd, 0);
    if (p->buf == MAP_FAILED) {
        int e = errno;
        privcmd_close(p);
        return fail(why, "mmap /dev/xen/hypercall: %s", strerror(e));
    }
    return 0;
}

/* Returns the hypervisor's result: >= 0, or a negative errno. */
static long hypercall2(struct privcmd *p, uint64_t op, uint64_t a0, uint64_t a1)
{
    privcmd_hypercall_t h = { .op = op, .arg = { a0, a1, 0, 0, 0 } };
    long rc = ioctl(p->fd, IOCTL_PRIVCMD_HYPERCALL, &h);

    return rc < 0 ? -errno : rc;
}

static long xen_version(struct privcmd *p, unsigned int cmd, uint64_t arg)
{
    return hypercall2(p, __HYPERVISOR_xen_version, cmd, arg);
}

/* A string the hypervisor wrote into a buffer of `size` bytes. */
static int string_in(const char *buf, size_t size, const char *what, char *why)
{
    if (memchr(buf, '\0', size) == NULL)
        return fail(why, "%s is not NUL-terminated within %zu bytes", what, size);
    return 0;
}

/* What the kernel learned at boot (sysfs) must match what we get now. */
static int same_as_sysfs(const char *path, const char *got, char *why)
{
    char want[1024];

    if (read_text(path, want, sizeof(want), why) < 0)
        return -1;
    if (strcmp(want, got) != 0)
        return fail(why, "hypercall says '%s' but %s says '%s'", got, path, want);
    return 0;
}

static int version_checks(struct privcmd *p, char *why)
{
    char extra[sizeof(xen_extraversion_t)];
    char caps[sizeof(xen_capabilities_info_t)];
    char num[32];
    xen_feature_info_t *fi;
    long rc;
    unsigned int major, minor;

    rc = xen_version(p, XENVER_version, 0);
    if (rc < 0)
        return fail(why, "xen_version(XENVER_version) = %ld", rc);
    major = (unsigned int)(rc >> 16);
    minor = (unsigned int)(rc & 0xffff);

    memset(p->buf, 0xa5, 4096);
    rc = xen_version(p, XENVER_extraversion, (uint64_t)(uintptr_t)p->buf);
    if (rc != 0)
        return fail(why, "xen_version(XENVER_extraversion) = %ld", rc);
    if (string_in(p->buf, sizeof(extra), "extraversion", why) < 0)
        return -1;
    memcpy(extra, p->buf, sizeof(extra));

    memset(p->buf, 0xa5, 4096);
    rc = xen_version(p, XENVER_capabilities, (uint64_t)(uintptr_t)p->buf);
    if (rc != 0)
        return fail(why, "xen_version(XENVER_capabilities) = %ld", rc);
    if (string_in(p->buf, sizeof(caps), "capabilities", why) < 0)
        return -1;
    memcpy(caps, p->buf, sizeof(caps));

    memset(p->buf, 0, 4096);
    fi = (xen_feature_info_t *)p->buf;
    fi->submap_idx = 0;
    rc = xen_version(p, XENVER_get_features, (uint64_t)(uintptr_t)fi);
    if (rc != 0)
        return fail(why, "xen_version(XENVER_get_features) = %ld", rc);

    info("xen-version", "%u.%u%s features[0]=%#x capabilities '%s'",
         major, minor, extra, fi->submap, caps);

    if (major != WANT_MAJOR || minor != WANT_MINOR)
        return fail(why, "version %u.%u, want %d.%d", major, minor, WANT_MAJOR, WANT_MINOR);
    if (!strstr(caps, "xen-3.0-x86_64"))
        return fail(why, "capabilities '%s' lack xen-3.0-x86_64", caps);
    if (!(fi->submap & (1u << XENFEAT_dom0)))
        return fail(why, "features[0]=%#x lacks XENFEAT_dom0", fi->submap);

    snprintf(num, sizeof(num), "%u", major);
    if (same_as_sysfs("/sys/hypervisor/version/major", num, why) < 0)
        return -1;
    snprintf(num, sizeof(num), "%u", minor);
    if (same_as_sysfs("/sys/hypervisor/version/minor", num, why) < 0)
        return -1;
    if (same_as_sysfs("/sys/hypervisor/version/extra", extra, why) < 0)
        return -1;
    return same_as_sysfs("/sys/hypervisor/properties/capabilities", caps, why);
}

int check_privcmd_version(char *why)
{
    struct privcmd p;
    int rc;

    if (privcmd_open(&p, why) < 0)
        return -1;
    rc = version_checks(&p, why);
    privcmd_close(&p);
    return rc;
}

/*
 * Hostile arguments get Xen's error codes, and the hypervisor survives:
 * unknown operations, and output pointers that are unmapped, outside the
 * canonical range, or inside the hypervisor's own virtual range.
 */
static const struct bad_call {
    const char *what;
    uint64_t op, a0, a1;
    long want;
} bad_calls[] = {
    { "unknown xen_version command", __HYPERVISOR_xen_version, 0x7fff, 0, -ENOSYS },
    { "unused hypercall number 63", 63, 0, 0, -ENOSYS },
    { "hypercall number 1000", 1000, 0, 0, -ENOSYS },
    { "extraversion to unmapped page 0x1000", __HYPERVISOR_xen_version,
      XENVER_extraversion, 0x1000, -EFAULT },
    { "extraversion to non-canonical 0x0000800000000000", __HYPERVISOR_xen_version,
      XENVER_extraversion, 0x0000800000000000ull, -EFAULT },
    { "extraversion into hypervisor text 0xffff82d040200000", __HYPERVISOR_xen_version,
      XENVER_extraversion, 0xffff82d040200000ull, -EFAULT },
    { "capabilities into hypervisor direct map 0xffff830000000000", __HYPERVISOR_xen_version,
      XENVER_capabilities, 0xffff830000000000ull, -EFAULT },
};

int check_privcmd_bad_args(char *why)
{
    struct privcmd p;
    int rc = 0;

    if (privcmd_open(&p, why) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(bad_calls) / sizeof(bad_calls[0]); i++) {
        const struct bad_call *b = &bad_calls[i];
        long got = hypercall2(&p, b->op, b->a0, b->a1);

        if (got != b->want) {
            rc = fail(why, "%s: got %ld, want %ld", b->what, got, b->want);
            break;
        }
    }
    /* Still alive and answering after all that. */
    if (rc == 0 && xen_version(&p, XENVER_version, 0) < 0)
        rc = fail(why, "xen_version fails after the bad calls");
    privcmd_close(&p);
    return rc;
}
