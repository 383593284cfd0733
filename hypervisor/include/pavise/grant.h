/*
 * Grant tables (grant/): per-domain state, the hypercall, the audit, and
 * the hooks the architecture provides for host mappings.
 *
 * Version 1 only, with Xen 4.17's semantics and limits (64 grant frames,
 * 1024 maptrack frames per domain). See grant/gnttab.h for the design,
 * locking and lifetimes.
 */
#ifndef PAVISE_GRANT_H
#define PAVISE_GRANT_H

#include <pavise/types.h>

struct domain;

/* Called by domain_create (after the vCPU count is known) and
 * domain_destroy (before the domain's memory is relinquished: host
 * mappings are removed while its page tables still exist). */
int grant_table_init(struct domain *d);
void grant_table_destroy(struct domain *d);
long do_grant_table_op(unsigned int cmd, void *uop, unsigned int count);

/* What grants hold across the machine; all zero when no domain has
 * anything granted or mapped. */
struct grant_audit {
    unsigned long tables;           /* grant tables alive (dying ones included) */
    unsigned long grants_in_use;    /* active entries pinned by a map or copy */
    unsigned long maptrack_in_use;  /* mapping handles held */
};
void grant_audit(struct grant_audit *a);

/*
 * x86 PV host mappings (arch/x86/pv/grant_map.c), for the current vCPU's
 * page tables. addr is a linear address, or with GNTMAP_contains_pte the
 * machine address of an L1 entry. Results are GNTST_* values.
 */
int16_t create_grant_pv_mapping(uint64_t addr, mfn_t mfn, uint32_t flags, uint64_t *pte_maddr);
int16_t replace_grant_pv_mapping(uint64_t addr, mfn_t mfn, uint64_t new_addr, uint32_t flags);
/* Domain death: remove the grant PTE at pte_maddr if it is still there
 * (dropping the references it holds). */
void release_grant_pv_mapping(struct domain *d, uint64_t pte_maddr, mfn_t mfn, uint32_t flags);
/* Flush the TLBs that may cache d's translations. */
void grant_flush_tlb(struct domain *d);
/* GNTTABOP_cache_flush on x86: cleaning writes lines back (and evicts
 * them); invalidating alone is -EOPNOTSUPP, as on Xen. */
long grant_cache_flush(mfn_t mfn, unsigned int offset, unsigned int len, bool clean, bool inval);

#endif
