/*
 * ops: the request handlers, one per message type. Each returns 0 after
 * queueing its reply, or an errno value that the dispatcher sends as an
 * XS_ERROR with the standard name. Handlers check everything before they
 * change anything, so an error leaves the store as it was.
 */
#ifndef PVSTORED_OPS_H
#define PVSTORED_OPS_H

#include "daemon.h"

/* Longest canonical path we build: a payload-sized relative path below
 * the home directory. Validation rejects anything longer than
 * XENSTORE_ABS_PATH_MAX anyway. */
#define REQ_PATH_MAX (XENSTORE_PAYLOAD_MAX + 64)

struct req {
    struct daemon *d;
    struct conn *c;
    const struct xsd_sockmsg *hdr;
    const char *buf;
    uint32_t len;
    struct wire_args args;
    struct txn *tx;
    struct view v;
};

/* Canonicalise a path argument (xenstored's canonicalize() and
 * is_valid_nodename()): relative paths are made absolute below the
 * connection's home, '@' names are accepted only where allowed.
 * Returns 0 or EINVAL. `out` must hold REQ_PATH_MAX bytes. */
int req_path(const struct req *r, const char *arg, bool allow_special,
             char *out, size_t *outlen);
/* Fetch a node needing `perm`; errors as xenstored reports them. */
int req_get_node(struct req *r, const char *path, size_t len, unsigned perm,
                 struct node **out);
void req_reply(struct req *r, uint32_t type, const void *data, uint32_t len);
void req_ack(struct req *r);

int op_read(struct req *r);
int op_write(struct req *r);
int op_mkdir(struct req *r);
int op_rm(struct req *r);
int op_directory(struct req *r);
int op_directory_part(struct req *r);
int op_get_perms(struct req *r);
int op_set_perms(struct req *r);
int op_watch(struct req *r);
int op_unwatch(struct req *r);
int op_reset_watches(struct req *r);
int op_transaction_start(struct req *r);
int op_transaction_end(struct req *r);
int op_introduce(struct req *r);
int op_release(struct req *r);
int op_resume(struct req *r);
int op_set_target(struct req *r);
int op_is_domain_introduced(struct req *r);
int op_get_domain_path(struct req *r);
int op_control(struct req *r);

/* Delete a node and everything below it, firing watches (used by RM and
 * by domain release). */
int tree_rm(struct req *r, struct node *n);

#endif
