/* Physical IRQs routed to the control domain (arch/x86/pirq.c). */
#ifndef ASM_PIRQ_H
#define ASM_PIRQ_H

#include <pavise/types.h>

struct domain;

void pirq_init(void);
long pirq_map_gsi(struct domain *d, unsigned int gsi, int *pirq);
long pirq_unmap(struct domain *d, unsigned int pirq);
long pirq_setup_gsi(struct domain *d, unsigned int gsi, bool level, bool active_low);
long pirq_bind(struct domain *d, unsigned int pirq, unsigned int port);
void pirq_unbind(struct domain *d, unsigned int pirq, unsigned int port);
long pirq_eoi(struct domain *d, unsigned int pirq);
long pirq_set_eoi_map(struct domain *d, unsigned long gmfn, bool auto_unmask);
long pirq_status(struct domain *d, unsigned int pirq, uint32_t *flags);
void pirq_release_domain(struct domain *d);

#endif
