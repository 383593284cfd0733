/* Spinlocks (ticket locks) with interrupt-disabling variants. */
#ifndef PAVISE_SPINLOCK_H
#define PAVISE_SPINLOCK_H

#include <pavise/types.h>
#include <asm/irqflags.h>

typedef struct {
    volatile uint16_t head;
    volatile uint16_t tail;
} spinlock_t;

#define SPIN_LOCK_UNLOCKED { 0, 0 }

static inline void spin_lock_init(spinlock_t *l) { l->head = l->tail = 0; }

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->tail, 1, __ATOMIC_ACQUIRE);
    while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != me)
        arch_cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t head = __atomic_load_n(&l->head, __ATOMIC_RELAXED);
    uint32_t old = ((uint32_t)head << 16) | head;  /* tail == head: free */
    uint32_t new = ((uint32_t)(uint16_t)(head + 1) << 16) | head;
    return __atomic_compare_exchange_n((uint32_t *)l, &old, new, false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->head, (uint16_t)(l->head + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l) { return l->head != l->tail; }

#define spin_lock_irqsave(l, f)      do { (f) = irq_save(); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f) do { spin_unlock(l); irq_restore(f); } while (0)

#endif
