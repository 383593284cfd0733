/*
 * FIFO event channels (Xen 4.17's second event ABI, common/event_fifo.c).
 *
 * Each port has a 32-bit event word in guest pages the domain hands over
 * one by one (EVTCHNOP_expand_array): PENDING, MASKED, LINKED and BUSY
 * bits and a 17-bit LINK to the next port of its queue. Each vCPU has a
 * control block (EVTCHNOP_init_control) with a READY bit and a HEAD port
 * per priority queue (0 highest .. 15). Raising a port sets PENDING and,
 * when it is unmasked and not yet queued, LINKs it after its queue's tail
 * (or makes it the HEAD of an empty queue, setting READY and the upcall).
 * The guest consumes from HEAD, clearing LINKED as it goes.
 *
 * The words are shared with the guest and change under our feet: every
 * update is an atomic bit operation or a compare-and-swap on the whole
 * word, and nothing the guest wrote is trusted: the hypervisor never
 * follows a LINK, it only writes them. A queue's tail and the position of
 * every queue live here; a guest that corrupts its words or its control
 * block loses its own events and nothing else.
 *
 * Locking: the port's domain lock (or that of the other end of an
 * interdomain channel, see event_channel.c) keeps this state alive; each
 * queue has its own lock for its tail, taken inside it. An event moving
 * between queues (another vCPU, another priority) locks both queues, the
 * lower address first.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pavise/mm.h>
#include <pavise/pagetype.h>
#include <pavise/spinlock.h>
#include <pvabi/event_channel.h>
#include <pvabi/errno.h>

#define WORDS_PER_PAGE      (PAGE_SIZE / sizeof(event_word_t))
#define MAX_ARRAY_PAGES     (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)

#define W_PENDING   (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED    (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED    (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY      (1u << EVTCHN_FIFO_BUSY)

struct evtchn_fifo_queue {
    uint32_t *head;                     /* in the guest's control block */
    uint32_t tail;                      /* the port last linked here, 0: none */
    uint8_t priority;
    spinlock_t lock;
};

struct evtchn_fifo_vcpu {
    /* NULL until the guest gave this vCPU a control block. */
    struct evtchn_fifo_control_block *control_block;
    struct evtchn_fifo_queue queue[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo_domain {
    event_word_t *event_array[MAX_ARRAY_PAGES];
    unsigned int num_evtchns;           /* ports with an event word */
};

/* ---------------------------------------------------------------- event words */

static bool word_test(const event_word_t *w, uint32_t bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & bit;
}

static bool word_test_and_set(event_word_t *w, uint32_t bit)
{
    return __atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST) & bit;
}

static void word_set(event_word_t *w, uint32_t bit)
{
    __atomic_fetch_or(w, bit, __ATOMIC_SEQ_CST);
}

static void word_clear(event_word_t *w, uint32_t bit)
{
    __atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST);
}

/* The event word of port, or NULL if the guest has not given its page. */
static event_word_t *word_from_port(const struct domain *d, unsigned int port)
{
    const struct evtchn_fifo_domain *f = d->evtchn_fifo;

    /* Pairs with the release in add_page_to_event_array(). */
    if (port >= __atomic_load_n(&f->num_evtchns, __ATOMIC_ACQUIRE))
        return NULL;
    return f->event_array[port / WORDS_PER_PAGE] + port % WORDS_PER_PAGE;
}

/* The queue a port was last linked on: priority in bits 0-7, vCPU above. */
static uint32_t lastq_make(unsigned int vcpu_id, unsigned int priority)
{
    return (uint32_t)vcpu_id << 16 | priority;
}

static struct evtchn_fifo_queue *lastq_queue(const struct domain *d, uint32_t lastq)
{
    const struct vcpu *v = d->vcpu[lastq >> 16];

    return &v->evtchn_fifo->queue[lastq & 0xff];
}

/*
 * Set the LINK of *word to link if the word is still LINKED: 1 done, 0 the
 * guest unlinked it (the queue it ended is empty), -1 the word changed
 * under us (*w then holds what it is now).
 */
static int try_set_link(event_word_t *word, event_word_t *w, uint32_t link)
{
    if (!(*w & W_LINKED))
        return 0;
    event_word_t new = (*w & ~(W_BUSY | EVTCHN_FIFO_LINK_MASK)) | link;
    return __atomic_compare_exchange_n(word, w, new, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST) ? 1 : -1;
}

/*
 * Link the tail word to port iff it is still LINKED. While LINKED the
 * guest may only set or clear MASKED, clear PENDING, or clear LINKED (and
 * LINK); BUSY stops it from unmasking, so a few retries suffice. A guest
 * that keeps changing the word anyway gets it treated as linked: the
 * event it loses is its own.
 */
static bool set_link(const struct domain *d, event_word_t *word, uint32_t link)
{
    event_word_t w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    int ret = try_set_link(word, &w, link);

    if (ret >= 0)
        return ret;
    word_set(word, W_BUSY);
    w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    for (unsigned int try = 0; try < 4; try++) {
        ret = try_set_link(word, &w, link);
        if (ret >= 0) {
            if (ret == 0)
                word_clear(word, W_BUSY);
            return ret;
        }
    }
    printk(LOG_DEBUG "d%u: FIFO event word keeps changing, port %u not linked\n",
           d->domain_id, link);
    word_clear(word, W_BUSY);
    return true;
}

/* ---------------------------------------------------------------- port operations */

static void fifo_init(struct domain *d, struct evtchn *chn)
{
    chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    /* Still queued from an earlier binding: its first event may go to the
     * old queue. The guest's business, as on Xen. */
    event_word_t *word = word_from_port(d, chn->port);
    if (word && word_test(word, W_LINKED))
        printk(LOG_DEBUG "d%u: port %u bound while still on a queue\n", d->domain_id, chn->port);
}

/* Lock q and old_q (the same queue, or two in address order). */
static unsigned long lock_queues(struct evtchn_fifo_queue *q, struct evtchn_fifo_queue *old_q)
{
    unsigned long f;

    if (q == old_q) {
        spin_lock_irqsave(&q->lock, f);
    } else if (q < old_q) {
        spin_lock_irqsave(&q->lock, f);
        spin_lock(&old_q->lock);
    } else {
        spin_lock_irqsave(&old_q->lock, f);
        spin_lock(&q->lock);
    }
    return f;
}

static void unlock_queues(struct evtchn_fifo_queue *q, struct evtchn_fifo_queue *old_q,
                          unsigned long f)
{
    if (q != old_q)
        spin_unlock(&old_q->lock);
    spin_unlock_irqrestore(&q->lock, f);
}

static void fifo_set_pending(struct vcpu *v, struct evtchn *chn)
{
    struct domain *d = v->domain;
    unsigned int port = chn->port;
    event_word_t *word = word_from_port(d, port);
    struct evtchn_fifo_queue *q = NULL, *old_q = NULL;
    bool check_pollers = false, linked = true;
    unsigned long f = 0;
    unsigned int try;

    /* No page for its word yet: raise it when the page comes. */
    if (!word) {
        chn->pending = true;
        return;
    }
    if (!v->evtchn_fifo)
        return;

    /*
     * Lock the queue the event goes to and the one it was last linked on
     * before testing PENDING, and hold them until it is queued: the guest
     * must never be woken for an event it cannot see yet. Its priority or
     * vCPU may change meanwhile (set_priority, bind_vcpu under another
     * domain's lock): retry a few times, then give up.
     */
    for (try = 0; try < 3; try++) {
        uint32_t lastq = __atomic_load_n(&chn->fifo_lastq, __ATOMIC_ACQUIRE);
        unsigned int prio = READ_ONCE(chn->priority);

        q = &v->evtchn_fifo->queue[prio];
        old_q = lastq_queue(d, lastq);
        f = lock_queues(q, old_q);
        if (prio == READ_ONCE(chn->priority) &&
            lastq == __atomic_load_n(&chn->fifo_lastq, __ATOMIC_ACQUIRE))
            break;
        unlock_queues(q, old_q, f);
    }
    if (try == 3) {
        /* Only a guest changing its own port's queue in a loop gets here:
         * debug level, so that it cannot flood the console. */
        printk(LOG_DEBUG "d%u: port %u lost an event (too many queue changes)\n",
               d->domain_id, port);
        return;
    }

    /* The guest must not unmask anything before it gave this vCPU a
     * control block: the event can go. */
    struct evtchn_fifo_control_block *cb =
        __atomic_load_n(&v->evtchn_fifo->control_block, __ATOMIC_ACQUIRE);
    if (!cb) {
        printk(LOG_DEBUG "d%u v%u: FIFO event for a vCPU without a control block\n",
               d->domain_id, v->vcpu_id);
        goto unlock;
    }

    check_pollers = !word_test_and_set(word, W_PENDING);

    if (!word_test(word, W_MASKED) && !word_test_and_set(word, W_LINKED)) {
        /* It was the old queue's tail: that queue is empty now, and must
         * not link its next event after this word, which moves. */
        if (old_q->tail == port)
            old_q->tail = 0;
        if (old_q != q) {
            __atomic_store_n(&chn->fifo_lastq, lastq_make(v->vcpu_id, q->priority),
                             __ATOMIC_RELEASE);
            spin_unlock(&old_q->lock);
            old_q = q;
        }
        /*
         * Link it after the tail if the tail is still LINKED; an unlinked
         * tail means the guest emptied the queue: the event is the new
         * head. (A tail equal to port was unlinked just above.)
         */
        linked = false;
        if (q->tail) {
            event_word_t *tail_word = word_from_port(d, q->tail);
            linked = tail_word && set_link(d, tail_word, port);
        }
        if (!linked)
            __atomic_store_n(q->head, port, __ATOMIC_RELEASE);
        q->tail = port;
    }

unlock:
    unlock_queues(q, old_q, f);
    /* A new head: the queue turns READY, and the vCPU gets an upcall. */
    if (!linked && !word_test_and_set(&cb->ready, 1u << q->priority))
        vcpu_mark_events_pending(v);
    if (check_pollers)
        evtchn_check_pollers(d, port);
}

static void fifo_clear_pending(struct domain *d, struct evtchn *chn)
{
    event_word_t *word = word_from_port(d, chn->port);

    /* Just PENDING: the guest unlinks it and skips events not pending. */
    if (word)
        word_clear(word, W_PENDING);
}

static void fifo_unmask(struct domain *d, struct evtchn *chn)
{
    event_word_t *word = word_from_port(d, chn->port);
    struct vcpu *v = d->vcpu[chn->notify_vcpu_id];

    if (!word)
        return;
    word_clear(word, W_MASKED);
    /* Pending while masked: queue it now. */
    if (word_test(word, W_PENDING) && v)
        fifo_set_pending(v, chn);
}

static bool fifo_is_pending(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return word && word_test(word, W_PENDING);
}

static bool fifo_is_masked(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return !word || word_test(word, W_MASKED);
}

static bool fifo_is_busy(const struct domain *d, const struct evtchn *chn)
{
    const event_word_t *word = word_from_port(d, chn->port);

    return word && word_test(word, W_LINKED);
}

static int fifo_set_priority(struct domain *d, struct evtchn *chn, unsigned int priority)
{
    (void)d;
    if (priority > EVTCHN_FIFO_PRIORITY_MIN)
        return -XEN_EINVAL;
    /* Future events go to the new queue; one already queued stays. */
    WRITE_ONCE(chn->priority, (uint8_t)priority);
    return 0;
}

const struct evtchn_port_ops evtchn_port_ops_fifo = {
    .init = fifo_init,
    .set_pending = fifo_set_pending,
    .clear_pending = fifo_clear_pending,
    .unmask = fifo_unmask,
    .is_pending = fifo_is_pending,
    .is_masked = fifo_is_masked,
    .is_busy = fifo_is_busy,
    .set_priority = fifo_set_priority,
};

/* ---------------------------------------------------------------- guest pages */

/*
 * A frame of d's that the guest gives us to write: hold a writable type
 * reference (it cannot become a page table or descriptor page while we
 * use it) and reach it through the direct map. As Xen: a frame that is not
 * d's RAM, or cannot be typed writable, is -EINVAL.
 *
 * Called without d's event lock: typing a former page table may flush
 * other CPUs' TLBs and wait for them, and one of them may be spinning on
 * that lock with interrupts off (a VIRQ from its timer softirq).
 */
static int map_guest_page(struct domain *d, uint64_t gfn, void **virt)
{
    if (gfn >= max_page || !mfn_valid((mfn_t)gfn))
        return -XEN_EINVAL;
    if (get_page_and_type(mfn_to_page((mfn_t)gfn), d, PGT_writable_page))
        return -XEN_EINVAL;
    *virt = map_domain_page((mfn_t)gfn);
    return 0;
}

static void unmap_guest_page(void *virt)
{
    if (!virt)
        return;
    mfn_t mfn = virt_to_mfn((void *)((unsigned long)virt & PAGE_MASK));
    unmap_domain_page(virt);
    put_page_and_type(mfn_to_page(mfn));
}

static int setup_vcpu(struct vcpu *v)
{
    struct evtchn_fifo_vcpu *efv = xzalloc(struct evtchn_fifo_vcpu);

    if (!efv)
        return -XEN_ENOMEM;
    for (unsigned int i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++) {
        spin_lock_init(&efv->queue[i].lock);
        efv->queue[i].priority = (uint8_t)i;
    }
    v->evtchn_fifo = efv;
    return 0;
}

/* Give v its control block (a mapped guest page + offset). */
static void install_control_block(struct vcpu *v, struct evtchn_fifo_control_block *cb)
{
    struct evtchn_fifo_vcpu *efv = v->evtchn_fifo;

    for (unsigned int i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++)
        efv->queue[i].head = &cb->head[i];
    /* The heads before the block: fifo_set_pending() tests the block. */
    __atomic_store_n(&efv->control_block, cb, __ATOMIC_RELEASE);
}

/* The first control block: per-vCPU queues and an event array with no
 * page yet. Caller holds d's lock. */
static int setup_fifo(struct domain *d)
{
    int rc = 0;

    for (unsigned int i = 0; i < d->max_vcpus && !rc; i++)
        if (d->vcpu[i])
            rc = setup_vcpu(d->vcpu[i]);
    if (!rc && !(d->evtchn_fifo = xzalloc(struct evtchn_fifo_domain)))
        rc = -XEN_ENOMEM;
    if (rc)
        evtchn_fifo_destroy(d);
    return rc;
}

/*
 * The ports bound under the 2-level ABI keep their pending state (raised
 * once their event word exists) and get the default priority. Only ever
 * set pending: a remote sender may already have raised one under FIFO.
 */
static void setup_ports(struct domain *d, unsigned int prev_evtchns)
{
    for (unsigned int port = 1; port < prev_evtchns; port++) {
        struct evtchn *chn = evtchn_lookup(d, port);
        if (!chn)
            break;
        if (evtchn_port_ops_2l.is_pending(d, chn))
            chn->pending = true;
        chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    }
}

long evtchn_fifo_init_control(struct evtchn_init_control *ic)
{
    struct domain *d = current->domain;
    uint32_t offset = ic->offset;
    struct vcpu *v;
    void *virt;
    long rc;

    ic->link_bits = EVTCHN_FIFO_LINK_BITS;
    if (ic->vcpu >= d->max_vcpus || !(v = d->vcpu[ic->vcpu]))
        return -XEN_ENOENT;
    /* Within one page, 8-byte aligned. */
    if (offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))
        return -XEN_EINVAL;
    if (offset & 7)
        return -XEN_EINVAL;
    rc = map_guest_page(d, ic->control_gfn, &virt);
    if (rc)
        return rc;

    spin_lock(&d->evtchn_lock);
    bool first = !d->evtchn_fifo;
    if (first)
        rc = setup_fifo(d);
    if (!rc && v->evtchn_fifo->control_block)
        rc = -XEN_EINVAL;               /* this vCPU has one already */
    if (!rc) {
        install_control_block(v, (void *)((char *)virt + offset));
        virt = NULL;
        if (first) {
            /* The domain is FIFO from here on. */
            __atomic_store_n(&d->evtchn_port_ops, &evtchn_port_ops_fifo, __ATOMIC_RELEASE);
            setup_ports(d, EVTCHN_2L_NR_CHANNELS);
        }
    }
    spin_unlock(&d->evtchn_lock);
    unmap_guest_page(virt);
    return rc;
}

/* Caller holds d's lock; virt is a mapped guest page. */
static long add_page_to_event_array(struct domain *d, event_word_t *virt)
{
    struct evtchn_fifo_domain *f = d->evtchn_fifo;
    unsigned int slot = f->num_evtchns / WORDS_PER_PAGE;

    if (slot >= MAX_ARRAY_PAGES)
        return -XEN_ENOSPC;
    f->event_array[slot] = virt;
    unsigned int first = f->num_evtchns;
    __atomic_store_n(&f->num_evtchns, first + (unsigned int)WORDS_PER_PAGE, __ATOMIC_RELEASE);

    /* Raise what was raised while these words did not exist. */
    for (unsigned int port = first; port < first + WORDS_PER_PAGE; port++) {
        struct evtchn *chn = evtchn_lookup(d, port);
        if (!chn)
            break;
        if (!chn->pending)
            continue;
        chn->pending = false;
        if (chn->state > ECS_RESERVED && d->vcpu[chn->notify_vcpu_id])
            fifo_set_pending(d->vcpu[chn->notify_vcpu_id], chn);
    }
    return 0;
}

static long expand_refused(struct domain *d)
{
    if (!d->evtchn_fifo)
        return -XEN_EOPNOTSUPP;
    if (d->evtchn_fifo->num_evtchns >= EVTCHN_FIFO_NR_CHANNELS)
        return -XEN_ENOSPC;
    return 0;
}

long evtchn_fifo_expand_array(const struct evtchn_expand_array *ea)
{
    struct domain *d = current->domain;
    void *virt;
    long rc;

    /* Xen's order: the ABI, the array's size, then the frame (taken
     * unlocked, see map_guest_page()). */
    spin_lock(&d->evtchn_lock);
    rc = expand_refused(d);
    spin_unlock(&d->evtchn_lock);
    if (rc)
        return rc;
    rc = map_guest_page(d, ea->array_gfn, &virt);
    if (rc)
        return rc;
    spin_lock(&d->evtchn_lock);
    rc = expand_refused(d);             /* another vCPU may have got there first */
    if (!rc)
        rc = add_page_to_event_array(d, virt);
    spin_unlock(&d->evtchn_lock);
    if (rc)
        unmap_guest_page(virt);
    return rc;
}

void evtchn_fifo_destroy(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (!v || !v->evtchn_fifo)
            continue;
        unmap_guest_page(v->evtchn_fifo->control_block);
        xfree(v->evtchn_fifo);
        v->evtchn_fifo = NULL;
    }
    if (d->evtchn_fifo) {
        for (unsigned int i = 0; i < MAX_ARRAY_PAGES; i++)
            unmap_guest_page(d->evtchn_fifo->event_array[i]);
        xfree(d->evtchn_fifo);
        d->evtchn_fifo = NULL;
    }
}
