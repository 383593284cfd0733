/*
 * FIFO event channels (see pvguest/events_fifo.h).
 *
 * The upcall comes in through the entry stub of a spare vector (the same
 * shape as the 2-level event entry: rcx, r11, then an interrupt frame), so
 * the library's trap dispatcher hands it to fifo_upcall() without the
 * 2-level path knowing.
 */
#include <pvguest/test.h>
#include <pvguest/events_fifo.h>

#define FIFO_UPCALL_VECTOR  0xf0

#define W_PENDING   (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED    (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED    (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY      (1u << EVTCHN_FIFO_BUSY)

/* Bound a walk: a guest that linked a queue into a loop still returns. */
#define MAX_EVENTS_PER_PASS 65536

extern const uint64_t trap_stubs[256];

static struct evtchn_fifo_control_block *control_block[NR_CPUS];
/* Where each vCPU's walk of each queue stopped (0: read HEAD next time). */
static uint32_t local_head[NR_CPUS][EVTCHN_FIFO_MAX_QUEUES];
static event_word_t *event_array[FIFO_MAX_ARRAY_PAGES];
static unsigned int array_pages;
static fifo_handler_t handler;

volatile unsigned long fifo_bad_links[NR_CPUS];

void fifo_set_handler(fifo_handler_t fn)
{
    WRITE_ONCE(handler, fn);
}

long fifo_init_control(unsigned int cpu, void *page, uint32_t offset, uint8_t *link_bits)
{
    struct evtchn_init_control ic = {
        .control_gfn = virt_to_mfn(page),
        .offset = offset,
        .vcpu = cpu,
    };
    long rc;

    if (cpu >= NR_CPUS)
        return HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic);
    if (offset < PAGE_SIZE)
        memset((char *)page + offset, 0,
               MIN(sizeof(struct evtchn_fifo_control_block), PAGE_SIZE - offset));
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &ic);
    if (link_bits)
        *link_bits = ic.link_bits;
    if (!rc) {
        memset(local_head[cpu], 0, sizeof(local_head[cpu]));
        WRITE_ONCE(control_block[cpu], (struct evtchn_fifo_control_block *)((char *)page + offset));
    }
    return rc;
}

long fifo_expand(void *page)
{
    struct evtchn_expand_array ea = { .array_gfn = virt_to_mfn(page) };
    event_word_t *w = page;
    long rc;

    for (unsigned int i = 0; i < FIFO_WORDS_PER_PAGE; i++)
        w[i] = W_MASKED;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &ea);
    if (!rc && array_pages < FIFO_MAX_ARRAY_PAGES) {
        event_array[array_pages] = page;
        WRITE_ONCE(array_pages, array_pages + 1);
    }
    return rc;
}

unsigned int fifo_nr_ports(void)
{
    return READ_ONCE(array_pages) * (unsigned int)FIFO_WORDS_PER_PAGE;
}

void fifo_forget(void)
{
    WRITE_ONCE(array_pages, 0);
    memset(event_array, 0, sizeof(event_array));
    memset(control_block, 0, sizeof(control_block));
    memset(local_head, 0, sizeof(local_head));
}

volatile event_word_t *fifo_word(evtchn_port_t port)
{
    if (port >= fifo_nr_ports())
        return NULL;
    return &event_array[port / FIFO_WORDS_PER_PAGE][port % FIFO_WORDS_PER_PAGE];
}

struct evtchn_fifo_control_block *fifo_control_block(unsigned int cpu)
{
    return cpu < NR_CPUS ? READ_ONCE(control_block[cpu]) : NULL;
}

void fifo_mask(evtchn_port_t port)
{
    volatile event_word_t *w = fifo_word(port);

    if (w)
        __atomic_fetch_or(w, W_MASKED, __ATOMIC_SEQ_CST);
}

/* Clear MASKED unless PENDING (then the hypervisor must queue it); wait
 * while the hypervisor holds the word BUSY. */
static bool clear_masked_cond(volatile event_word_t *word)
{
    event_word_t w = __atomic_load_n(word, __ATOMIC_SEQ_CST);

    for (;;) {
        if (!(w & W_MASKED))
            return true;
        if (w & W_PENDING)
            return false;
        event_word_t old = w & ~W_BUSY;
        if (__atomic_compare_exchange_n(word, &old, old & ~W_MASKED, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
        w = old;
    }
}

long fifo_unmask(evtchn_port_t port)
{
    volatile event_word_t *w = fifo_word(port);
    struct evtchn_unmask op = { .port = port };

    if (w && clear_masked_cond(w))
        return 0;
    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

long fifo_set_priority(evtchn_port_t port, uint32_t priority)
{
    struct evtchn_set_priority op = { .port = port, .priority = priority };

    return HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &op);
}

/* Unlink a word; returns the LINK it had (the next port, 0: the end). */
static uint32_t clear_linked(volatile event_word_t *word)
{
    event_word_t w = __atomic_load_n(word, __ATOMIC_SEQ_CST);

    while (!__atomic_compare_exchange_n(word, &w, w & ~(W_LINKED | EVTCHN_FIFO_LINK_MASK), false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    return w & EVTCHN_FIFO_LINK_MASK;
}

static void consume_one(unsigned int cpu, struct evtchn_fifo_control_block *cb,
                        unsigned int prio, uint32_t *ready)
{
    uint32_t head = local_head[cpu][prio];
    volatile event_word_t *word;
    evtchn_port_t port;

    /* Reached the end last time: the hypervisor wrote a new HEAD. */
    if (head == 0) {
        rmb();
        head = READ_ONCE(cb->head[prio]);
    }
    port = head;
    word = fifo_word(port);
    if (!word) {
        /* A link (or head) outside the array: drop the rest of the queue. */
        fifo_bad_links[cpu]++;
        *ready &= ~(1u << prio);
        local_head[cpu][prio] = 0;
        return;
    }
    head = clear_linked(word);
    if (head == 0)
        *ready &= ~(1u << prio);
    if ((*word & (W_PENDING | W_MASKED)) == W_PENDING) {
        fifo_handler_t fn = READ_ONCE(handler);

        __atomic_fetch_and(word, ~W_PENDING, __ATOMIC_SEQ_CST);
        if (fn)
            fn(port, cpu);
    }
    local_head[cpu][prio] = head;
}

unsigned int fifo_consume(void)
{
    unsigned int cpu = smp_processor_id();
    struct evtchn_fifo_control_block *cb = fifo_control_block(cpu);
    unsigned int n = 0;
    uint32_t ready;

    if (!cb)
        return 0;
    ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    while (ready && n < MAX_EVENTS_PER_PASS) {
        consume_one(cpu, cb, (unsigned int)__builtin_ctz(ready), &ready);
        n++;
        ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
    }
    return n;
}

void fifo_upcall(void)
{
    struct vcpu_info *vi = this_vcpu_info();

    upcall_count[smp_processor_id()]++;
    do {
        WRITE_ONCE(vi->evtchn_upcall_pending, 0);
        fifo_consume();
        rmb();
    } while (READ_ONCE(vi->evtchn_upcall_pending));
}

static bool fifo_upcall_trap(struct trap_frame *f)
{
    (void)f;
    fifo_upcall();
    return true;
}

long fifo_use_upcall(void)
{
    struct callback_register ev = {
        .type = CALLBACKTYPE_event,
        .address = trap_stubs[FIFO_UPCALL_VECTOR],
    };

    trap_set_handler(FIFO_UPCALL_VECTOR, fifo_upcall_trap);
    return HYPERVISOR_callback_op(CALLBACKOP_register, &ev);
}
