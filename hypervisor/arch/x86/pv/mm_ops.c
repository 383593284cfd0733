/*
 * PV MMU hypercalls: mmu_update, mmuext_op, update_va_mapping[_otherdomain],
 * with Xen 4.17's semantics and error codes (arch/x86/mm.c). Batches are
 * preemptible: they stop at a pending softirq or event and continue
 * through a hypercall continuation with MMU_UPDATE_PREEMPTED in the count,
 * and report the number of completed operations in *done.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <pavise/hypercall.h>
#include <pavise/pagetype.h>
#include <pavise/smp.h>
#include <pvabi/xen.h>
#include <pvabi/errno.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/flush.h>
#include <asm/x86.h>
#include "pagetable.h"

#define MMU_UPDATE_PREEMPTED (~(~0U >> 1))
#define AD_BITS (_PAGE_ACCESSED | _PAGE_DIRTY)
/* Flags that may change without touching references (Xen's fast path).
 * Not _PAGE_RW: with linear page tables, an L2-L4 entry's RW bit matters. */
#define FASTPATH_WHITELIST (_PAGE_NX | (0x7ffUL << 52) | _PAGE_AVAIL | _PAGE_GLOBAL | \
                            _PAGE_DIRTY | _PAGE_ACCESSED | _PAGE_USER)
#define RO_MPT_SLOT 256

long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents);
void pv_destroy_ldt_mappings(struct vcpu *v);

struct domain *pv_caller_domain(void)
{
    return current->domain;
}

static bool m2p_strict(const struct domain *d)
{
    return d->vm_assist & (1UL << VMASST_TYPE_m2p_strict);
}

/* Slot 256 of an L4 that becomes a kernel base pointer gets the
 * read-only M2P (Xen's fill_ro_mpt, unless m2p_strict), and loses it as
 * a user base pointer with m2p_strict (zap_ro_mpt). */
void pv_l4_ro_mpt(const struct domain *d, mfn_t l4, bool kernel)
{
    pgentry_t *t = map_domain_page(l4);

    if (kernel && !m2p_strict(d)) {
        if (!__atomic_load_n(&t[RO_MPT_SLOT], __ATOMIC_RELAXED))
            __atomic_store_n(&t[RO_MPT_SLOT], idle_pg_table[RO_MPT_SLOT], __ATOMIC_SEQ_CST);
    } else if (!kernel && m2p_strict(d)) {
        __atomic_store_n(&t[RO_MPT_SLOT], 0, __ATOMIC_SEQ_CST);
    }
}

/* CPUs that may hold this domain's translations. */
static cpumask_t domain_dirty_mask(const struct domain *d)
{
    return __atomic_load_n(&d->arch.dirty_cpumask, __ATOMIC_SEQ_CST);
}

/* Write a page-table entry, keeping A/D bits the hardware may have set
 * since 'old' was read. False if something else changed it meanwhile. */
static bool update_entry(pgentry_t *p, pgentry_t old, pgentry_t new, bool preserve_ad)
{
    for (;;) {
        pgentry_t want = preserve_ad ? new | (old & AD_BITS) : new;
        pgentry_t seen = old;
        if (__atomic_compare_exchange_n(p, &seen, want, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
        /* Only the hardware's A/D updates may intervene. */
        if ((seen ^ old) & ~AD_BITS)
            return false;
        old = seen;
    }
}

static bool has_changed(pgentry_t a, pgentry_t b, uint64_t mask)
{
    return ((a ^ b) & (PTE_ADDR_MASK | mask)) != 0;
}

int mod_l1_entry(pgentry_t *p, pgentry_t ne, struct vcpu *pt_vcpu, struct domain *pg_dom,
                 bool preserve_ad)
{
    struct domain *pt_dom = pt_vcpu->domain;
    pgentry_t oe = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    int rc = 0;

    if (ne & _PAGE_PRESENT) {
        /* The flag rules first, so that the fast path cannot set what a
         * full validation would refuse. */
        if (ne & pv_l1_disallow_mask(pt_dom)) {
            printk(LOG_DEBUG "d%u: bad L1 flags %#lx\n", pt_dom->domain_id,
                   ne & pv_l1_disallow_mask(pt_dom));
            return -XEN_EINVAL;
        }
        ne = adjust_guest_l1e(ne);
        if (!has_changed(oe, ne, ~FASTPATH_WHITELIST)) {
            /* Same frame and permissions: no reference changes. */
            return update_entry(p, oe, ne, preserve_ad) ? 0 : -XEN_EBUSY;
        }
        if ((rc = get_page_from_l1e(ne, pt_dom, pg_dom)) < 0)
            return rc;
        ne = l1e_flip(ne, rc);
        rc = 0;
        if (!update_entry(p, oe, ne, preserve_ad)) {
            put_page_from_l1e(ne, pt_dom);
            return -XEN_EBUSY;
        }
    } else if (!update_entry(p, oe, ne, preserve_ad)) {
        return -XEN_EBUSY;
    }
    put_page_from_l1e(oe, pt_dom);
    return 0;
}

/*
 * L2-L4 entries of table 'table' (Xen's mod_l<N>_entry). No flush here:
 * translations through the old entry stay the guest's to flush, and are
 * harmless while the table it named is still a validated table; once
 * that table loses its type, get_page_type() flushes every CPU that has
 * not flushed since before it can take another type (the flush clock).
 * A lost race answers -EBUSY at L2 and -EFAULT at L3/L4, as Xen does.
 */
static int mod_lN_entry(pgentry_t *p, pgentry_t ne, mfn_t table, unsigned int level,
                        struct vcpu *v, bool preserve_ad)
{
    struct domain *d = v->domain;
    pgentry_t oe = __atomic_load_n(p, __ATOMIC_SEQ_CST);
    int busy = level == 2 ? -XEN_EBUSY : -XEN_EFAULT;
    int rc;

    if (level == 4 && !is_guest_l4_slot(((unsigned long)p & (PAGE_SIZE - 1)) / 8)) {
        printk(LOG_DEBUG "d%u: L4 update in hypervisor slot %lu\n", d->domain_id,
               ((unsigned long)p & (PAGE_SIZE - 1)) / 8);
        return -XEN_EINVAL;
    }
    if (ne & _PAGE_PRESENT) {
        if (ne & pv_lN_disallow_mask(level)) {
            printk(LOG_DEBUG "d%u: bad L%u flags %#lx\n", d->domain_id, level,
                   ne & pv_lN_disallow_mask(level));
            return -XEN_EINVAL;
        }
        ne = adjust_guest_lNe(ne, level);
        if (!has_changed(oe, ne, ~FASTPATH_WHITELIST))
            return update_entry(p, oe, ne, preserve_ad) ? 0 : busy;
        if ((rc = get_page_from_lNe(ne, table, level, d)) != 0)
            return rc;
        if (!update_entry(p, oe, ne, preserve_ad)) {
            put_page_from_lNe(ne, table, level);
            return busy;
        }
    } else if (!update_entry(p, oe, ne, preserve_ad)) {
        return busy;
    }
    put_page_from_lNe(oe, table, level);
    return 0;
}

/* The domain whose frames an operation names (Xen's get_pg_owner):
 * DOMID_SELF, another domain, DOMID_IO or DOMID_XEN. Whether the caller
 * may name it is checked per operation. NULL means -ESRCH (including a
 * domain naming itself by id). */
static struct domain *get_pg_owner(domid_t domid)
{
    struct domain *curr = current->domain;

    if (domid == DOMID_SELF) {
        get_domain(curr);
        return curr;
    }
    if (domid == curr->domain_id)
        return NULL;                    /* cannot name itself as foreign */
    if (domid == DOMID_IO)
        return dom_io;
    if (domid == DOMID_XEN)
        return dom_xen;
    return get_domain_by_id(domid);
}

static void put_pg_owner(struct domain *d)
{
    if (d != dom_io && d != dom_xen)
        put_domain(d);
}

/* Xen's XSM_TARGET default: a domain acts on itself, the control domain
 * on anyone. */
static bool may_act_on(const struct domain *curr, const struct domain *target)
{
    return curr == target || curr->is_privileged;
}

/* Walk the current page tables to the L1 entry mapping 'va'. */
pgentry_t *map_guest_l1e(unsigned long va, mfn_t *l1mfn)
{
    if (!guest_range_ok(va, 1))
        return NULL;
    pgentry_t *t = __va(read_cr3() & PTE_ADDR_MASK);
    pgentry_t e = t[l4_index(va)];
    for (unsigned int level = 3; level >= 2; level--) {
        if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT || !mfn_valid(pte_mfn(e)))
            return NULL;
        t = map_domain_page(pte_mfn(e));
        e = t[level == 3 ? l3_index(va) : l2_index(va)];
    }
    if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT || !mfn_valid(pte_mfn(e)))
        return NULL;
    *l1mfn = pte_mfn(e);
    return (pgentry_t *)map_domain_page(pte_mfn(e)) + l1_index(va);
}

/* ------------------------------------------------------------ mmu_update */

long do_mmu_update(struct mmu_update *ureqs, unsigned int count, unsigned int *pdone,
                   unsigned int foreigndom)
{
    struct vcpu *curr = current, *v = curr;
    struct domain *d = curr->domain, *pt_owner = d, *pg_owner;
    unsigned int i = 0, done = 0;
    long rc = 0;

    if (count & MMU_UPDATE_PREEMPTED) {
        count &= ~MMU_UPDATE_PREEMPTED;
        if (pdone)
            (void)copy_from_guest_raw(&done, pdone, sizeof(done));
    }
    if (!guest_array_ok(ureqs, count, sizeof(*ureqs)))
        return -XEN_EFAULT;

    unsigned int pt_dom = foreigndom >> 16;
    if (pt_dom) {
        /* Page tables of a foreign domain. */
        if (!(pt_owner = get_domain_by_id((domid_t)(pt_dom - 1))))
            return -XEN_ESRCH;
        if (pt_owner == d) {
            put_domain(pt_owner);
        } else if (!pt_owner->vcpu[0]) {
            rc = -XEN_EINVAL;
            goto out;
        } else {
            v = pt_owner->vcpu[0];
        }
    }
    if (!(pg_owner = get_pg_owner((domid_t)foreigndom))) {
        rc = -XEN_ESRCH;
        goto out;
    }

    for (i = 0; i < count; i++) {
        struct mmu_update req;

        if (i && hypercall_preempt_check()) {
            rc = -XEN_ERESTART;
            break;
        }
        if (copy_from_guest_raw(&req, ureqs + i, sizeof(req))) {
            rc = -XEN_EFAULT;
            break;
        }
        unsigned int cmd = req.ptr & 7;
        switch (cmd) {
        case MMU_NORMAL_PT_UPDATE:
        case MMU_PT_UPDATE_PRESERVE_AD:
        case MMU_PT_UPDATE_NO_TRANSLATE: {
            /* Xen's xsm_mmu_update: naming another page owner or another
             * domain's tables needs privilege; DOMID_IO needs none here
             * (I/O rights are the caller's, checked per entry). */
            if ((pg_owner != dom_io && !may_act_on(d, pg_owner)) || !may_act_on(d, pt_owner)) {
                rc = -XEN_EPERM;
                break;
            }
            rc = -XEN_EINVAL;
            req.ptr -= cmd;
            mfn_t mfn = req.ptr >> PAGE_SHIFT;
            if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), pt_owner)) {
                printk(LOG_DEBUG "d%u: could not get page for normal update\n", d->domain_id);
                break;
            }
            struct page_info *pg = mfn_to_page(mfn);
            pgentry_t *p = (pgentry_t *)((char *)map_domain_page(mfn) + (req.ptr & (PAGE_SIZE - 1)));
            bool ad = cmd == MMU_PT_UPDATE_PRESERVE_AD;
            if (page_lock(pg)) {
                /* In use as a validated type: it stays so while locked. */
                unsigned long t = page_type(pg);
                if (t == PGT_l1_page_table)
                    rc = mod_l1_entry(p, req.val, v, pg_owner, ad);
                else if (is_pagetable_type(t) && pg_owner == pt_owner)
                    rc = mod_lN_entry(p, req.val, mfn, pt_level_of_type(t), v, ad);
                else if (t == PGT_writable_page) {
                    __atomic_store_n(p, req.val, __ATOMIC_SEQ_CST);
                    rc = 0;
                }
                page_unlock(pg);
            } else if (get_page_type(pg, PGT_writable_page) == 0) {
                /* Not in use as anything: an ordinary store. */
                __atomic_store_n(p, req.val, __ATOMIC_SEQ_CST);
                put_page_type(pg);
                rc = 0;
            }
            put_page(pg);
            break;
        }
        case MMU_MACHPHYS_UPDATE: {
            if (d != pt_owner) {
                rc = -XEN_EPERM;
                break;
            }
            if (pg_owner != dom_io && !may_act_on(d, pg_owner)) {
                rc = -XEN_EPERM;
                break;
            }
            mfn_t mfn = req.ptr >> PAGE_SHIFT;
            if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), pg_owner)) {
                printk(LOG_DEBUG "d%u: could not get page for mach->phys update\n", d->domain_id);
                rc = -XEN_EINVAL;
                break;
            }
            set_gpfn_from_mfn(mfn, req.val);
            put_page(mfn_to_page(mfn));
            rc = 0;
            break;
        }
        default:
            rc = -XEN_ENOSYS;
            break;
        }
        if (rc) {
            if (rc != -XEN_ERESTART)
                printk(LOG_DEBUG "d%u: mmu_update %u/%u ptr %#lx val %#lx failed: %ld\n",
                       d->domain_id, i, count, req.ptr, req.val, rc);
            break;
        }
    }

    if (rc == -XEN_ERESTART)
        rc = hypercall_create_continuation(__HYPERVISOR_mmu_update, 4, (unsigned long)(ureqs + i),
                                           (unsigned long)((count - i) | MMU_UPDATE_PREEMPTED),
                                           (unsigned long)pdone, (unsigned long)foreigndom);
    put_pg_owner(pg_owner);
out:
    if (pt_owner != d)
        put_domain(pt_owner);
    if (pdone) {
        done += i;
        (void)copy_to_guest_raw(pdone, &done, sizeof(done));
    }
    return rc;
}

/* ------------------------------------------------------------ base pointers */

long pv_new_guest_cr3(mfn_t mfn)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    mfn_t old = v->arch.guest_table;

    if (old == mfn) {
        write_guest_cr3(v);
        flush_tlb_local_record();
        return 0;
    }
    if (!mfn_valid(mfn))
        return -XEN_EINVAL;
    int rc = get_page_and_type(mfn_to_page(mfn), d, PGT_l4_page_table);
    if (rc) {
        printk(LOG_DEBUG "d%u: error %d installing new baseptr %#lx\n", d->domain_id, rc, mfn);
        return rc;
    }
    pv_destroy_ldt_mappings(v);
    pv_l4_ro_mpt(d, mfn, true);
    v->arch.guest_table = mfn;
    write_guest_cr3(v);
    flush_tlb_local_record();
    if (old)
        put_page_and_type(mfn_to_page(old));
    return 0;
}

static long new_user_baseptr(mfn_t mfn)
{
    struct vcpu *v = current;
    mfn_t old = v->arch.guest_table_user;

    if (old == mfn)
        return 0;
    if (mfn) {
        if (!mfn_valid(mfn))
            return -XEN_EINVAL;
        int rc = get_page_and_type(mfn_to_page(mfn), v->domain, PGT_l4_page_table);
        if (rc) {
            printk(LOG_DEBUG "d%u: error %d installing new user baseptr %#lx\n",
                   v->domain->domain_id, rc, mfn);
            return rc;
        }
        pv_l4_ro_mpt(v->domain, mfn, false);
    }
    v->arch.guest_table_user = mfn;
    if (old)
        put_page_and_type(mfn_to_page(old));
    return 0;
}

/* A guest vCPU bitmap -> physical CPUs where those vCPUs may hold TLB
 * entries (their current or last pCPU). */
static int vcpumask_to_pcpumask(struct domain *d, const void *bmap, cpumask_t *mask)
{
    *mask = 0;
    for (unsigned int off = 0; off * 64 < d->max_vcpus; off++) {
        uint64_t vmask;
        if (copy_from_guest_raw(&vmask, (const uint64_t *)bmap + off, sizeof(vmask))) {
            *mask = 0;
            return -XEN_EFAULT;
        }
        while (vmask) {
            unsigned int id = (unsigned int)__builtin_ctzl(vmask) + off * 64;
            vmask &= vmask - 1;
            if (id >= d->max_vcpus)
                return 0;
            if (d->vcpu[id])
                *mask |= 1UL << d->vcpu[id]->processor;
        }
    }
    return 0;
}

static bool addr_ok(unsigned long a)
{
    return a < (1UL << 47) || a >= HV_VIRT_END;
}

/* ------------------------------------------------------------ mmuext_op */

long do_mmuext_op(struct mmuext_op *uops, unsigned int count, unsigned int *pdone,
                  unsigned int foreigndom)
{
    struct vcpu *curr = current;
    struct domain *currd = curr->domain, *pg_owner;
    unsigned int i, done = 0;
    long rc = 0;

    if (count & MMU_UPDATE_PREEMPTED) {
        count &= ~MMU_UPDATE_PREEMPTED;
        if (pdone)
            (void)copy_from_guest_raw(&done, pdone, sizeof(done));
    }
    if (!guest_array_ok(uops, count, sizeof(*uops)))
        return -XEN_EFAULT;
    if (!(pg_owner = get_pg_owner((domid_t)foreigndom)))
        return -XEN_ESRCH;
    if (!may_act_on(currd, pg_owner)) {         /* Xen's xsm_mmuext_op */
        put_pg_owner(pg_owner);
        return -XEN_EPERM;
    }

    for (i = 0; i < count; i++) {
        struct mmuext_op op;
        unsigned long type = 0;
        struct page_info *pg;

        if (i && hypercall_preempt_check()) {
            rc = -XEN_ERESTART;
            break;
        }
        if (copy_from_guest_raw(&op, uops + i, sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = 0;
        switch (op.cmd) {
        case MMUEXT_PIN_L1_TABLE: type = PGT_l1_page_table; goto pin;
        case MMUEXT_PIN_L2_TABLE: type = PGT_l2_page_table; goto pin;
        case MMUEXT_PIN_L3_TABLE: type = PGT_l3_page_table; goto pin;
        case MMUEXT_PIN_L4_TABLE: type = PGT_l4_page_table;
        pin:
            if (!mfn_valid(op.arg1.mfn) || !get_page(pg = mfn_to_page(op.arg1.mfn), pg_owner)) {
                rc = -XEN_EINVAL;
                break;
            }
            if ((rc = get_page_type(pg, type)) != 0) {
                printk(LOG_DEBUG "d%u: error %ld while pinning mfn %#lx\n", currd->domain_id, rc,
                       op.arg1.mfn);
                put_page(pg);
                break;
            }
            if (__atomic_fetch_or(&pg->type_info, PGT_pinned, __ATOMIC_SEQ_CST) & PGT_pinned) {
                printk(LOG_DEBUG "d%u: mfn %#lx already pinned\n", currd->domain_id, op.arg1.mfn);
                put_page_and_type(pg);
                rc = -XEN_EINVAL;
                break;
            }
            /* A foreign pin can race the owner's teardown, which drops the
             * pins it finds once, after it set DYING and took page_lock:
             * a pin set later would hold the frame (and its owner) for
             * ever. As Xen 4.17 (is_dying under page_alloc_lock), such a
             * pin is dropped again at once; the answer stays 0. */
            if (pg_owner != currd) {
                bool drop;
                spin_lock(&pg_owner->page_lock);
                drop = pg_owner->state >= DOM_DYING &&
                       (__atomic_fetch_and(&pg->type_info, ~PGT_pinned, __ATOMIC_SEQ_CST) & PGT_pinned);
                spin_unlock(&pg_owner->page_lock);
                if (drop)
                    put_page_and_type(pg);
            }
            break;

        case MMUEXT_UNPIN_TABLE:
            if (!mfn_valid(op.arg1.mfn) || !get_page(pg = mfn_to_page(op.arg1.mfn), pg_owner)) {
                printk(LOG_DEBUG "d%u: mfn %#lx bad, or bad owner\n", currd->domain_id, op.arg1.mfn);
                rc = -XEN_EINVAL;
                break;
            }
            if (!(__atomic_fetch_and(&pg->type_info, ~PGT_pinned, __ATOMIC_SEQ_CST) & PGT_pinned)) {
                put_page(pg);
                printk(LOG_DEBUG "d%u: mfn %#lx not pinned\n", currd->domain_id, op.arg1.mfn);
                rc = -XEN_EINVAL;
                break;
            }
            put_page_and_type(pg);      /* the pin's references */
            put_page(pg);               /* ours */
            break;

        case MMUEXT_NEW_BASEPTR:
            rc = currd != pg_owner ? -XEN_EPERM : pv_new_guest_cr3(op.arg1.mfn);
            break;

        case MMUEXT_NEW_USER_BASEPTR:
            rc = currd != pg_owner ? -XEN_EPERM : new_user_baseptr(op.arg1.mfn);
            break;

        case MMUEXT_TLB_FLUSH_LOCAL:
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else
                flush_tlb_local_record();
            break;

        case MMUEXT_INVLPG_LOCAL:
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else if (addr_ok(op.arg1.linear_addr))
                flush_tlb_one_local(op.arg1.linear_addr);
            break;

        case MMUEXT_TLB_FLUSH_MULTI:
        case MMUEXT_INVLPG_MULTI: {
            cpumask_t mask;
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else if (vcpumask_to_pcpumask(currd, op.arg2.vcpumask.p, &mask))
                rc = -XEN_EINVAL;
            if (rc)
                break;
            if (op.cmd == MMUEXT_TLB_FLUSH_MULTI)
                flush_tlb_mask(mask);
            else if (addr_ok(op.arg1.linear_addr))
                flush_tlb_one_mask(mask, op.arg1.linear_addr);
            break;
        }

        case MMUEXT_TLB_FLUSH_ALL:
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else
                flush_tlb_mask(domain_dirty_mask(currd));
            break;

        case MMUEXT_INVLPG_ALL:
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else if (addr_ok(op.arg1.linear_addr))
                flush_tlb_one_mask(domain_dirty_mask(currd), op.arg1.linear_addr);
            break;

        case MMUEXT_FLUSH_CACHE:
        case MMUEXT_FLUSH_CACHE_GLOBAL:
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else if (!currd->arch.iomem_all)
                rc = op.cmd == MMUEXT_FLUSH_CACHE ? -XEN_EACCES : -XEN_EINVAL;
            else
                __asm__ volatile("wbinvd" ::: "memory");
            break;

        case MMUEXT_SET_LDT: {
            unsigned int ents = op.arg2.nr_ents;
            unsigned long ptr = ents ? op.arg1.linear_addr : 0;
            if (currd != pg_owner)
                rc = -XEN_EPERM;
            else if (ents > 8192 || (ents && ((ptr & (PAGE_SIZE - 1)) || !addr_ok(ptr))))
                rc = -XEN_EINVAL;
            else
                rc = pv_set_ldt(curr, ptr, ents);
            break;
        }

        case MMUEXT_CLEAR_PAGE:
            if (!mfn_valid(op.arg1.mfn) || get_page_and_type(pg = mfn_to_page(op.arg1.mfn),
                                                             pg_owner, PGT_writable_page)) {
                printk(LOG_DEBUG "d%u: error clearing mfn %#lx\n", currd->domain_id, op.arg1.mfn);
                rc = -XEN_EINVAL;
                break;
            }
            memset(map_domain_page(op.arg1.mfn), 0, PAGE_SIZE);
            put_page_and_type(pg);
            break;

        case MMUEXT_COPY_PAGE: {
            struct page_info *src;
            if (!mfn_valid(op.arg2.src_mfn) || !get_page(src = mfn_to_page(op.arg2.src_mfn), pg_owner)) {
                rc = -XEN_EINVAL;
                break;
            }
            if (!mfn_valid(op.arg1.mfn) || get_page_and_type(pg = mfn_to_page(op.arg1.mfn),
                                                             pg_owner, PGT_writable_page)) {
                put_page(src);
                rc = -XEN_EINVAL;
                break;
            }
            memcpy(map_domain_page(op.arg1.mfn), map_domain_page(op.arg2.src_mfn), PAGE_SIZE);
            put_page_and_type(pg);
            put_page(src);
            break;
        }

        case 19:    /* MMUEXT_MARK_SUPER */
        case 20:    /* MMUEXT_UNMARK_SUPER */
            rc = -XEN_EOPNOTSUPP;
            break;

        default:
            rc = -XEN_ENOSYS;
            break;
        }
        if (rc)
            break;
    }

    if (rc == -XEN_ERESTART)
        rc = hypercall_create_continuation(__HYPERVISOR_mmuext_op, 4, (unsigned long)(uops + i),
                                           (unsigned long)((count - i) | MMU_UPDATE_PREEMPTED),
                                           (unsigned long)pdone, (unsigned long)foreigndom);
    put_pg_owner(pg_owner);
    if (pdone) {
        done += i;
        (void)copy_to_guest_raw(pdone, &done, sizeof(done));
    }
    return rc;
}

/* ------------------------------------------------------------ update_va_mapping */

static long update_va_mapping(unsigned long va, uint64_t val, unsigned long flags,
                              struct domain *pg_owner)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    mfn_t l1mfn;
    long rc = -XEN_EINVAL;
    cpumask_t mask = 0;
    bool use_mask = false;

    if (!may_act_on(d, pg_owner))               /* Xen's xsm_update_va_mapping */
        return -XEN_EPERM;
    pgentry_t *p = map_guest_l1e(va, &l1mfn);
    if (p && get_page(mfn_to_page(l1mfn), d)) {
        struct page_info *pg = mfn_to_page(l1mfn);
        if (page_lock(pg)) {
            if (page_type(pg) == PGT_l1_page_table)
                rc = mod_l1_entry(p, val, v, pg_owner, false);
            page_unlock(pg);
        }
        put_page(pg);
    }
    /* The entry did not change: nothing to flush, and va (guest-chosen)
     * may not even be valid. As Xen 4.17 since XSA-279, the update's
     * error is the answer; the flush below could overwrite it with the
     * vCPU mask's conversion (0), telling the guest a failed update
     * worked. */
    if (rc)
        return rc;

    unsigned long bmap = flags & ~(unsigned long)UVMF_FLUSHTYPE_MASK;
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
    case UVMF_INVLPG:
        if (bmap == UVMF_LOCAL) {
            if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH)
                flush_tlb_local_record();
            else
                flush_tlb_one_local(va);
            break;
        }
        use_mask = true;
        if (bmap == UVMF_ALL)
            mask = domain_dirty_mask(d);
        else
            rc = vcpumask_to_pcpumask(d, (const void *)bmap, &mask);
        if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH)
            flush_tlb_mask(mask);
        else
            flush_tlb_one_mask(mask, va);
        break;
    }
    (void)use_mask;
    return rc;
}

long do_update_va_mapping(unsigned long va, uint64_t val, unsigned long flags)
{
    return update_va_mapping(va, val, flags, current->domain);
}

long do_update_va_mapping_otherdomain(unsigned long va, uint64_t val, unsigned long flags,
                                      domid_t domid)
{
    struct domain *pg_owner = get_pg_owner(domid);
    if (!pg_owner)
        return -XEN_ESRCH;
    long rc = update_va_mapping(va, val, flags, pg_owner);
    put_pg_owner(pg_owner);
    return rc;
}
