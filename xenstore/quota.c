/* quota: names, descriptions and Xen 4.17 defaults (see quota.h). */
#include <string.h>

#include "quota.h"

const struct quota_def quota_defs[QUOTA_COUNT] = {
    [QUOTA_NODES] = { "nodes", "Nodes per domain", 1000 },
    [QUOTA_WATCHES] = { "watches", "Watches per domain", 128 },
    [QUOTA_TRANSACTIONS] = { "transactions", "Transactions per domain", 10 },
    [QUOTA_OUTSTANDING] = { "outstanding", "Outstanding requests per domain", 20 },
    [QUOTA_TRANS_NODES] = { "transaction-nodes",
                            "Max. number of accessed nodes per transaction", 1024 },
    [QUOTA_MEMORY] = { "memory", "Total Xenstore memory per domain (error level)",
                       2 * 1024 * 1024 + 512 * 1024 },
    [QUOTA_NODE_SIZE] = { "node-size", "Max. size of a node", 2048 },
    [QUOTA_PATH_LENGTH] = { "path-max", "Max. length of a node path", 2048 },
    [QUOTA_PERMS] = { "permissions", "Max. number of permissions per node", 5 },
};

void quota_defaults(struct quotas *q)
{
    for (int i = 0; i < QUOTA_COUNT; i++)
        q->val[i] = quota_defs[i].def;
    q->memory_soft = QUOTA_MEMORY_SOFT_DEFAULT;
}

int quota_lookup(const char *name)
{
    for (int i = 0; i < QUOTA_COUNT; i++)
        if (!strcmp(quota_defs[i].name, name))
            return i;
    return -1;
}
