/*
 * What the grant-table core (entry.c, maptrack.c, table.c, map.c, copy.c)
 * needs from its surroundings. env_hv.c and the x86 PV grant_map.c
 * implement it in the hypervisor; tests/unit/grant_fake.c on the host.
 *
 * Frames are machine frame numbers (a PV guest's "gfn" is its mfn).
 * Functions returning int16_t return GNTST_* values.
 */
#ifndef GRANT_ENV_H
#define GRANT_ENV_H

#include <pavise/types.h>

struct grant_table;
struct domain;

/* ---- domains and their tables */
/* The table of domain id (DOMID_SELF is not a name here), with a table
 * reference (gnttab_get); NULL if there is no such live domain. */
struct grant_table *gnt_env_table_by_id(domid_t id);
/* Extra references on / release of a table's domain (the table's own
 * count is gnttab_get/put; these keep the domain struct alive). */
void gnt_env_domain_get(struct domain *d);
void gnt_env_domain_put(struct domain *d);
/* XSM_TARGET of Xen's dummy policy: may src act on dst's table? */
bool gnt_env_may_control(const struct grant_table *src, const struct grant_table *dst);

/* ---- frames */
/* A general reference on mfn if it is RAM owned by gt's domain. */
bool gnt_env_get_page(uint64_t mfn, const struct grant_table *owner);
void gnt_env_put_page(uint64_t mfn);
/* A writable type reference (fails for page tables, descriptor pages). */
bool gnt_env_get_writable(uint64_t mfn);
void gnt_env_put_writable(uint64_t mfn);
void *gnt_env_map_frame(uint64_t mfn);
void gnt_env_unmap_frame(const void *va);
/* A frame of RAM at all. */
bool gnt_env_frame_valid(uint64_t mfn);
/* A general reference on mfn and its owner's table, held (gnttab_drop);
 * NULL, with no reference, if no domain with a grant table owns it. */
struct grant_table *gnt_env_page_owner_get(uint64_t mfn);
/* Write back (clean) and/or invalidate [offset, offset + len) of mfn
 * from the data caches: 0, or -XEN_EOPNOTSUPP for what the CPU cannot. */
long gnt_env_cache_flush(uint64_t mfn, unsigned int offset, unsigned int len, bool clean,
                         bool inval);

/* ---- moving frames between domains (GNTTABOP_transfer) */
/* Take mfn from gt's domain: only a page of its own memory nobody else
 * references. It is then nobody's, with no M2P entry. */
bool gnt_env_steal_page(struct grant_table *gt, uint64_t mfn);
/* A stolen page that found no new owner goes back to the heap. */
void gnt_env_free_stolen_page(uint64_t mfn);
/* Room for one more page in gt's domain (alive, below its maximum):
 * counts it. gnt_env_unreserve_page undoes that. */
bool gnt_env_reserve_page(struct grant_table *gt);
void gnt_env_unreserve_page(struct grant_table *gt);
/* Give a stolen page to gt's domain, whose room was reserved, at
 * pseudo-physical frame gfn (the M2P). */
void gnt_env_assign_page(struct grant_table *gt, uint64_t mfn, uint64_t gfn);

/* ---- memory */
void *gnt_env_zalloc(size_t size);
void gnt_env_free(void *p);
/* 2^order zeroed hypervisor pages. */
void *gnt_env_alloc_pages(unsigned int order);
void gnt_env_free_pages(void *p, unsigned int order);
/* A zeroed page shared with gt's domain (it may map it, writable): a
 * grant-table frame. The release drops the domain's allocation reference;
 * the page is freed once no mapping of it remains. */
void *gnt_env_alloc_shared_frame(struct grant_table *gt);
void gnt_env_release_shared_frame(void *va);
uint64_t gnt_env_frame_mfn(const void *va);

/* ---- host mappings in the current vCPU's page tables (x86 PV:
 * arch/x86/pv/grant_map.c). addr is a linear address, or with
 * GNTMAP_contains_pte the machine address of the PTE. */
/* Install a grant PTE for mfn (the caller holds the references it stands
 * for); *pte gets the machine address of the entry written. */
int16_t gnt_env_create_host_mapping(uint64_t addr, uint64_t mfn, uint32_t flags, uint64_t *pte);
/* Remove the grant PTE at addr (it must map mfn with these flags); with
 * new_addr, move the PTE found at new_addr there instead. The caller
 * then drops the grant's references. */
int16_t gnt_env_replace_host_mapping(uint64_t addr, uint64_t mfn, uint64_t new_addr,
                                     uint32_t flags);
/* Domain death: if the PTE at machine address pte still is this grant
 * mapping, remove it and drop the references it stands for. */
void gnt_env_release_host_mapping(struct grant_table *lgt, uint64_t pte, uint64_t mfn,
                                  uint32_t flags);
/* Flush the TLBs that may hold lgt's domain's translations. */
void gnt_env_flush_tlb(struct grant_table *lgt);

#endif
