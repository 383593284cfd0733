/*
 * Grant pages to ourselves with gntalloc and map them through gntdev
 * (GNTTABOP_map_grant_ref on dom0's own grant): what one side writes, the
 * other must read, page by page, in both directions.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "dom0check.h"
#include "grant.h"

#define PAGES 4

/* A pattern unique to (page, round), so a swapped or stale page shows. */
static uint32_t pattern(uint32_t page, uint32_t round, uint32_t word)
{
    return (page + 1) * 0x9e3779b9u ^ (round + 1) * 0x85ebca6bu ^ word * 0x01000193u;
}

static void fill(unsigned char *pages, uint32_t round)
{
    for (uint32_t p = 0; p < PAGES; p++) {
        uint32_t *w = (uint32_t *)(pages + p * GRANT_PAGE);
        for (uint32_t i = 0; i < GRANT_PAGE / 4; i++)
            w[i] = pattern(p, round, i);
    }
}

static int verify(const unsigned char *pages, uint32_t round, const char *side, char *why)
{
    for (uint32_t p = 0; p < PAGES; p++) {
        const volatile uint32_t *w = (const uint32_t *)(pages + p * GRANT_PAGE);
        for (uint32_t i = 0; i < GRANT_PAGE / 4; i++)
            if (w[i] != pattern(p, round, i))
                return fail(why, "%s page %u word %u: %#x, want %#x", side, p, i, w[i],
                            pattern(p, round, i));
    }
    return 0;
}

static int map_and_compare(struct grant_share *s, int dev_fd, char *why)
{
    struct grant_map m;
    int err;

    if (grant_map_prepare(&m, dev_fd, DOM0_ID, s->refs, PAGES, why) < 0)
        return -1;
    err = grant_map_mmap(&m, 1);
    if (err) {
        grant_unmap(&m);
        return fail(why, "mmap of %d own grants (refs %u..): %s", PAGES, s->refs[0],
                    strerror(err));
    }
    if (m.pages == s->pages) {
        grant_unmap(&m);
        return fail(why, "gntdev mapping reuses the granter's address");
    }

    fill(s->pages, 0);
    err = verify(m.pages, 0, "mapped (written by granter)", why);
    if (err == 0) {
        fill(m.pages, 1);
        err = verify(s->pages, 1, "granter (written through mapping)", why);
    }
    grant_unmap(&m);
    if (err == 0) {
        /* The granter's pages stay intact after the mapping goes away. */
        err = verify(s->pages, 1, "granter after unmap", why);
    }
    return err;
}

int check_grant_map(char *why)
{
    struct grant_share s;
    int dev_fd, rc;

    if (grant_share(&s, DOM0_ID, 1, PAGES, why) < 0) {
        grant_unshare(&s);
        return -1;
    }
    dev_fd = gntdev_open(why);
    rc = dev_fd < 0 ? -1 : map_and_compare(&s, dev_fd, why);
    if (dev_fd >= 0)
        close(dev_fd);
    grant_unshare(&s);
    return rc;
}
