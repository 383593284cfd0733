/*
 * The grant-entry state machine (Xen 4.17's _set_status_v1, map_grant_ref's
 * pinning, acquire/release_grant_for_copy), for version-1 entries.
 *
 * A shared entry belongs to the granting guest, which may change it at any
 * time. The hypervisor reads it only to start using it: while the active
 * entry's pin is zero, the entry must say GTF_permit_access for the
 * requesting domain (and not GTF_readonly for a writer); then GTF_reading
 * (and GTF_writing for writers) is set with a compare-exchange on the
 * flags+domid word, so the guest's own compare-exchange that revokes the
 * entry fails while it is in use. The first pin also takes a general
 * reference on the frame; later pins only check the pinning domain and
 * the counters. When the last writer or the last pin goes, the matching
 * bits are cleared again.
 *
 * Callers hold rgt->lock.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pvabi/errno.h>
#include "gnttab.h"
#include "env.h"

/* The flags+domid pair is updated as one 32-bit word, as Xen does. */
typedef uint32_t __attribute__((may_alias)) combo_word_t;
typedef uint16_t __attribute__((may_alias)) flags_word_t;
#define COMBO_FLAGS(w)  ((uint16_t)(w))
#define COMBO_DOMID(w)  ((domid_t)((w) >> 16))

/* A guest rewriting its entry faster than we can compare-exchange it
 * must not keep us here: give up after this many attempts. */
#define SET_STATUS_TRIES 5

struct gnttab_totals gnttab_live;

int16_t gnttab_set_status(grant_entry_v1_t *sha, bool pinned, domid_t ldom, bool readonly,
                          bool mapflag)
{
    combo_word_t *word = (combo_word_t *)sha;
    uint16_t type_mask = GTF_type_mask | (mapflag ? GTF_sub_page : 0);
    uint32_t cur = __atomic_load_n(word, __ATOMIC_RELAXED);

    BUILD_BUG_ON(offsetof(grant_entry_v1_t, flags) != 0 || offsetof(grant_entry_v1_t, domid) != 2);
    for (unsigned int tries = 1;; tries++) {
        uint16_t flags = COMBO_FLAGS(cur);
        uint32_t want = cur | GTF_reading;

        if (!pinned && ((flags & type_mask) != GTF_permit_access || COMBO_DOMID(cur) != ldom)) {
            printk(LOG_DEBUG "grant: bad flags (%#x) or dom (%u); expected d%u\n", flags,
                   COMBO_DOMID(cur), ldom);
            return GNTST_general_error;
        }
        if (!readonly) {
            if (flags & GTF_readonly) {
                printk(LOG_DEBUG "grant: attempt to write-pin a r/o grant entry\n");
                return GNTST_general_error;
            }
            want |= GTF_writing;
        }
        if (__atomic_compare_exchange_n(word, &cur, want, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return GNTST_okay;
        if (tries == SET_STATUS_TRIES) {
            printk(LOG_DEBUG "grant: shared entry is unstable\n");
            return GNTST_general_error;
        }
    }
}

void gnttab_clear_flags(grant_entry_v1_t *sha, uint16_t mask)
{
    __atomic_fetch_and((flags_word_t *)&sha->flags, (uint16_t)~mask, __ATOMIC_SEQ_CST);
}

uint16_t gnttab_flags_after_unpin(uint32_t pin, bool readonly)
{
    uint16_t clear = 0;

    if (!readonly && !(pin & GNTPIN_writers))
        clear |= GTF_writing;
    if (!pin)
        clear |= GTF_reading;
    return clear;
}

uint32_t gnttab_map_pin_inc(uint32_t flags)
{
    bool ro = flags & GNTMAP_readonly;
    uint32_t inc = 0;

    if (flags & GNTMAP_device_map)
        inc += ro ? GNTPIN_devr_inc : GNTPIN_devw_inc;
    if (flags & GNTMAP_host_map)
        inc += ro ? GNTPIN_hstr_inc : GNTPIN_hstw_inc;
    return inc;
}

static void pin_add(struct grant_table *rgt, struct active_grant_entry *act, uint32_t inc)
{
    if (!act->pin) {
        rgt->nr_pinned++;
        __atomic_fetch_add(&gnttab_live.pinned, 1, __ATOMIC_RELAXED);
    }
    act->pin += inc;
}

/* Every counter of pin holds at least what dec takes away. */
static bool pin_covers(uint32_t pin, uint32_t dec)
{
    for (unsigned int shift = 0; shift < 32; shift += 8)
        if (((pin >> shift) & 0xff) < ((dec >> shift) & 0xff))
            return false;
    return true;
}

/* Drop pins and clear what no longer applies in the shared entry. */
static void pin_sub(struct grant_table *rgt, grant_ref_t ref, uint32_t dec, bool readonly)
{
    struct active_grant_entry *act = active_entry(rgt, ref);
    uint16_t clear;

    BUG_ON(!pin_covers(act->pin, dec));
    act->pin -= dec;
    if (!act->pin) {
        rgt->nr_pinned--;
        __atomic_fetch_sub(&gnttab_live.pinned, 1, __ATOMIC_RELAXED);
    }
    clear = gnttab_flags_after_unpin(act->pin, readonly);
    if (clear)
        gnttab_clear_flags(shared_entry(rgt, ref), clear);
}

/* Bad frames are GNTST_bad_page; the bits just set are taken back. */
static int16_t first_frame(struct grant_table *rgt, grant_ref_t ref, bool readonly, uint64_t *mfn)
{
    struct active_grant_entry *act = active_entry(rgt, ref);
    uint64_t frame = READ_ONCE(shared_entry(rgt, ref)->frame);

    if (!gnt_env_get_page(frame, rgt)) {
        uint16_t clear = gnttab_flags_after_unpin(act->pin, readonly);

        printk(LOG_DEBUG "grant: d%u ref %#x: frame %#lx is not the granter's\n", rgt->domid,
               ref, (unsigned long)frame);
        if (clear)
            gnttab_clear_flags(shared_entry(rgt, ref), clear);
        return GNTST_bad_page;
    }
    *mfn = frame;
    return GNTST_okay;
}

/* A pinned entry serves one grantee, and a counter about to be raised
 * must be below 128 (Xen's GNTPIN_incr2oflow_mask: only the counters the
 * increment touches are checked). */
static bool pin_refused(const struct active_grant_entry *act, domid_t ldom, uint32_t inc)
{
    return act->pin && (act->domid != ldom || (act->pin & (inc << 7)));
}

int16_t gnttab_pin_for_map(struct grant_table *rgt, grant_ref_t ref, domid_t ldom, uint32_t flags,
                           uint64_t *mfn, bool *frame_ref)
{
    bool ro = flags & GNTMAP_readonly;
    struct active_grant_entry *act;
    int16_t rc;

    *frame_ref = false;
    if (ref >= nr_grant_entries(rgt)) {
        printk(LOG_DEBUG "grant: bad ref %#x for d%u\n", ref, rgt->domid);
        return GNTST_bad_gntref;
    }
    act = active_entry(rgt, ref);
    if (pin_refused(act, ldom, gnttab_map_pin_inc(flags))) {
        printk(LOG_DEBUG "grant: d%u ref %#x: pinned by d%u (pin %#x), not d%u, or full\n",
               rgt->domid, ref, act->domid, act->pin, ldom);
        return GNTST_general_error;
    }
    if (!act->pin || (!ro && !(act->pin & GNTPIN_writers))) {
        rc = gnttab_set_status(shared_entry(rgt, ref), act->pin != 0, ldom, ro, true);
        if (rc != GNTST_okay)
            return rc;
        if (!act->pin) {
            uint64_t frame;

            rc = first_frame(rgt, ref, ro, &frame);
            if (rc != GNTST_okay)
                return rc;
            act->domid = ldom;
            act->mfn = frame;
            *frame_ref = true;
        }
    }
    pin_add(rgt, act, gnttab_map_pin_inc(flags));
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnttab_unpin_map(struct grant_table *rgt, grant_ref_t ref, uint32_t flags)
{
    pin_sub(rgt, ref, gnttab_map_pin_inc(flags), flags & GNTMAP_readonly);
}

int16_t gnttab_pin_for_copy(struct grant_table *rgt, grant_ref_t ref, domid_t ldom, bool readonly,
                            uint64_t *mfn)
{
    struct active_grant_entry *act;
    uint32_t old_pin;
    int16_t rc;

    if (ref >= nr_grant_entries(rgt)) {
        printk(LOG_DEBUG "grant: bad copy ref %#x for d%u\n", ref, rgt->domid);
        return GNTST_bad_gntref;
    }
    act = active_entry(rgt, ref);
    if (pin_refused(act, ldom, readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc)) {
        printk(LOG_DEBUG "grant: d%u ref %#x: pinned by d%u (pin %#x), not d%u, or full\n",
               rgt->domid, ref, act->domid, act->pin, ldom);
        return GNTST_general_error;
    }
    old_pin = act->pin;
    if (!old_pin || (!readonly && !(old_pin & GNTPIN_writers))) {
        rc = gnttab_set_status(shared_entry(rgt, ref), old_pin != 0, ldom, readonly, false);
        if (rc != GNTST_okay)
            return rc;
    }
    if (!old_pin) {
        uint64_t frame;

        rc = first_frame(rgt, ref, readonly, &frame);
        if (rc != GNTST_okay)
            return rc;
        act->domid = ldom;
        act->mfn = frame;
    } else if (rgt->dying || !gnt_env_get_page(act->mfn, rgt)) {
        /* Pinned frames stay the granter's unless it is going away. */
        uint16_t clear = gnttab_flags_after_unpin(act->pin, readonly);

        if (clear)
            gnttab_clear_flags(shared_entry(rgt, ref), clear);
        return GNTST_bad_domain;
    }
    pin_add(rgt, act, readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc);
    *mfn = act->mfn;
    return GNTST_okay;
}

void gnttab_unpin_copy(struct grant_table *rgt, grant_ref_t ref, bool readonly)
{
    pin_sub(rgt, ref, readonly ? GNTPIN_hstr_inc : GNTPIN_hstw_inc, readonly);
}

bool gnttab_commit_transfer(grant_entry_v1_t *sha, domid_t ldom)
{
    combo_word_t *word = (combo_word_t *)sha;
    uint32_t cur = __atomic_load_n(word, __ATOMIC_RELAXED);

    for (unsigned int tries = 1;; tries++) {
        /* Exactly an accept_transfer entry for ldom, nothing committed. */
        if (COMBO_FLAGS(cur) != GTF_accept_transfer || COMBO_DOMID(cur) != ldom) {
            printk(LOG_DEBUG "grant: transfer: bad flags (%#x) or dom (%u); expected d%u\n",
                   COMBO_FLAGS(cur), COMBO_DOMID(cur), ldom);
            return false;
        }
        if (__atomic_compare_exchange_n(word, &cur, cur | GTF_transfer_committed, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return true;
        if (tries == SET_STATUS_TRIES)
            return false;
    }
}

void gnttab_totals(struct gnttab_totals *t)
{
    t->tables = __atomic_load_n(&gnttab_live.tables, __ATOMIC_RELAXED);
    t->pinned = __atomic_load_n(&gnttab_live.pinned, __ATOMIC_RELAXED);
    t->handles = __atomic_load_n(&gnttab_live.handles, __ATOMIC_RELAXED);
}
