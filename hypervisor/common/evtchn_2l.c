/*
 * The 2-level event ABI (Xen's common/event_2l.c): port p is bit p % 64 of
 * word p / 64 in shared_info's evtchn_pending and evtchn_mask; a vCPU's
 * evtchn_pending_sel says which words may hold pending unmasked ports for
 * it. 4096 ports on 64-bit. Every domain starts with it.
 */
#include <pavise/lib.h>
#include <pavise/domain.h>
#include <pavise/event.h>
#include <pvabi/event_channel.h>

static bool test_and_set(volatile uint64_t *words, unsigned int bit)
{
    uint64_t m = 1UL << (bit % 64);
    return __atomic_fetch_or(&words[bit / 64], m, __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear(volatile uint64_t *words, unsigned int bit)
{
    uint64_t m = 1UL << (bit % 64);
    return __atomic_fetch_and(&words[bit / 64], ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(const volatile uint64_t *words, unsigned int bit)
{
    return (words[bit / 64] >> (bit % 64)) & 1;
}

static void evtchn_2l_set_pending(struct vcpu *v, struct evtchn *chn)
{
    struct domain *d = v->domain;
    struct shared_info *s = d->shared_info;
    unsigned int port = chn->port;

    if (test_and_set(s->evtchn_pending, port))
        return;
    if (!test_bit(s->evtchn_mask, port) &&
        !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / 64))
        vcpu_mark_events_pending(v);
    evtchn_check_pollers(d, port);
}

static void evtchn_2l_clear_pending(struct domain *d, struct evtchn *chn)
{
    test_and_clear(d->shared_info->evtchn_pending, chn->port);
}

static void evtchn_2l_unmask(struct domain *d, struct evtchn *chn)
{
    struct shared_info *s = d->shared_info;
    struct vcpu *v = d->vcpu[chn->notify_vcpu_id];
    unsigned int port = chn->port;

    if (test_and_clear(s->evtchn_mask, port) && test_bit(s->evtchn_pending, port) && v &&
        !test_and_set(&v->vcpu_info->evtchn_pending_sel, port / 64))
        vcpu_mark_events_pending(v);
}

static bool evtchn_2l_is_pending(const struct domain *d, const struct evtchn *chn)
{
    return chn->port < EVTCHN_2L_NR_CHANNELS && test_bit(d->shared_info->evtchn_pending, chn->port);
}

static bool evtchn_2l_is_masked(const struct domain *d, const struct evtchn *chn)
{
    return chn->port >= EVTCHN_2L_NR_CHANNELS || test_bit(d->shared_info->evtchn_mask, chn->port);
}

const struct evtchn_port_ops evtchn_port_ops_2l = {
    .set_pending = evtchn_2l_set_pending,
    .clear_pending = evtchn_2l_clear_pending,
    .unmask = evtchn_2l_unmask,
    .is_pending = evtchn_2l_is_pending,
    .is_masked = evtchn_2l_is_masked,
};
