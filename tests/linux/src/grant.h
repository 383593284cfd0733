/*
 * Thin wrappers over Linux's grant devices: /dev/xen/gntalloc grants pages
 * of ours to a domain, /dev/xen/gntdev maps (or copies through) grants of a
 * domain. Each returns 0, or -1 with `why` filled in.
 */
#ifndef DOM0CHECK_GRANT_H
#define DOM0CHECK_GRANT_H

#include <stdint.h>

#define GRANT_PAGE 4096u

/* Most pages a check grants at once. */
#define GRANT_MAX 8

/* Pages of ours granted to `domid`: refs[], and their mapping for us. */
struct grant_share {
    int fd;                     /* /dev/xen/gntalloc */
    uint64_t index;
    uint32_t count;
    uint32_t refs[GRANT_MAX];
    unsigned char *pages;       /* count pages, or NULL */
};

/* A gntdev mapping of someone's grants. */
struct grant_map {
    int fd;                     /* /dev/xen/gntdev */
    uint64_t index;
    uint32_t count;
    unsigned char *pages;       /* count pages, or NULL */
};

int grant_share(struct grant_share *s, uint16_t domid, int writable, uint32_t count,
                char *why);
void grant_unshare(struct grant_share *s);

/* Ask gntdev for a slot for refs[] of `domid` (no hypercall yet). */
int grant_map_prepare(struct grant_map *m, int dev_fd, uint16_t domid,
                      const uint32_t *refs, uint32_t count, char *why);
/*
 * mmap the slot: this is where gntdev issues GNTTABOP_map_grant_ref.
 * Returns the mmap errno (0 on success) so callers can expect refusals.
 */
int grant_map_mmap(struct grant_map *m, int writable);
void grant_unmap(struct grant_map *m);

int gntdev_open(char *why);

#endif
