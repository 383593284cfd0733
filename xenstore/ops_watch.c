/* ops_watch: WATCH, UNWATCH, RESET_WATCHES. */
#include <string.h>

#include "ops.h"

/* Both take exactly a path and a token. */
static int watch_args(struct req *r, char *path, size_t *len, bool *relative)
{
    int err;

    if (r->args.count != 2)
        return EINVAL;
    err = req_path(r, r->args.arg[0], true, path, len);
    if (err)
        return err;
    *relative = r->args.arg[0][0] != '/' && r->args.arg[0][0] != '@';
    return 0;
}

int op_watch(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    bool relative;
    struct watch *w;
    int err = watch_args(r, path, &len, &relative);

    if (!err)
        err = watch_add(r->d, r->c, path, len, relative, r->args.arg[1], &w);
    if (err)
        return err;
    req_ack(r);
    /* Fire once at once: the client then reads the current state. */
    watch_fire_initial(r->d, w);
    return 0;
}

int op_unwatch(struct req *r)
{
    char path[REQ_PATH_MAX];
    size_t len;
    bool relative;
    int err = watch_args(r, path, &len, &relative);

    /* xenstored does not validate the path here: no watch has an invalid
     * one, so it is simply not found. */
    if (err == EINVAL && r->args.count == 2)
        return ENOENT;
    if (!err)
        err = watch_remove(r->d, r->c, path, len, r->args.arg[1]);
    if (err)
        return err;
    req_ack(r);
    return 0;
}

int op_reset_watches(struct req *r)
{
    watch_remove_all(r->d, r->c);
    conn_delete_txns(r->c);
    req_ack(r);
    return 0;
}
