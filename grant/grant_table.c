/*
 * Grant tables. Not implemented yet: every operation answers -ENOSYS,
 * which Linux treats as "grant tables disabled" and boots on.
 */
#include <pavise/lib.h>
#include <pavise/grant.h>
#include <pvabi/errno.h>

int grant_table_init(struct domain *d)
{
    (void)d;
    return 0;
}

void grant_table_destroy(struct domain *d)
{
    (void)d;
}

long do_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    (void)cmd;
    (void)uop;
    (void)count;
    return -XEN_ENOSYS;
}
