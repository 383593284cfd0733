/* Grant tables (grant/): per-domain state and the hypercall. */
#ifndef PAVISE_GRANT_H
#define PAVISE_GRANT_H

struct domain;

int grant_table_init(struct domain *d);
void grant_table_destroy(struct domain *d);
long do_grant_table_op(unsigned int cmd, void *uop, unsigned int count);

#endif
