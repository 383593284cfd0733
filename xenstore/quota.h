/*
 * quota: per-domain limits, with Xen 4.17 xenstored's names, order and
 * defaults (CONTROL "quota" lists them the same way). They bind
 * unprivileged domains only; dom0 and local socket clients are exempt, as
 * in xenstored. Exceeding one gives the error xenstored gives.
 */
#ifndef PVSTORED_QUOTA_H
#define PVSTORED_QUOTA_H

#include <stdint.h>

enum quota_id {
    QUOTA_NODES,            /* nodes owned by a domain          ENOSPC */
    QUOTA_WATCHES,          /* watches of a domain              E2BIG  */
    QUOTA_TRANSACTIONS,     /* open transactions of a domain    ENOSPC */
    QUOTA_OUTSTANDING,      /* replies queued: stop reading     (flow) */
    QUOTA_TRANS_NODES,      /* nodes one transaction touches    ENOSPC */
    QUOTA_MEMORY,           /* bytes of nodes, watches and      ENOMEM
                               transaction copies of a domain */
    QUOTA_NODE_SIZE,        /* bytes of one node (see store.h)  ENOSPC */
    QUOTA_PATH_LENGTH,      /* path length below the home dir   EINVAL */
    QUOTA_PERMS,            /* permissions on one node          ENOSPC */
    QUOTA_COUNT
};

struct quota_def {
    const char *name;       /* as in xenstored's CONTROL quota and -Q */
    const char *descr;
    uint32_t def;
};

extern const struct quota_def quota_defs[QUOTA_COUNT];

struct quotas {
    uint32_t val[QUOTA_COUNT];
    uint32_t memory_soft;   /* above it: a warning in the log */
};

#define QUOTA_MEMORY_SOFT_DEFAULT (2u * 1024 * 1024)

void quota_defaults(struct quotas *q);
/* By name; -1 if unknown. */
int quota_lookup(const char *name);

#endif
