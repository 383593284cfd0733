/*
 * Local APIC: per-CPU set-up, IPIs, and the one-shot timer (TSC-deadline
 * mode when the CPU has it, else the APIC counter calibrated against the
 * TSC). The 8259 PICs are masked: Pavise takes no legacy interrupts.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/time.h>
#include <pavise/timer.h>
#include <pavise/mm.h>
#include <asm/apic.h>
#include <asm/x86.h>

static volatile uint32_t *apic_base;
static bool tsc_deadline;
static uint64_t apic_timer_hz;       /* APIC counter rate at divide-by-1 */

uint32_t apic_read(uint32_t reg) { return apic_base[reg / 4]; }
void apic_write(uint32_t reg, uint32_t val) { apic_base[reg / 4] = val; }
void apic_eoi(void) { apic_write(APIC_EOI, 0); }
unsigned int apic_id_self(void) { return apic_read(APIC_ID) >> 24; }
bool apic_has_tsc_deadline(void) { return tsc_deadline; }

static void pic_mask_all(void)
{
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
}

static void apic_setup_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    /* Global enable, xAPIC mode (no x2APIC). */
    wrmsr(MSR_APIC_BASE, (base | (1UL << 11)) & ~(1UL << 10));
    apic_write(APIC_TPR, 0);
    apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
    apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
    apic_write(APIC_LVT_PERF, APIC_LVT_MASKED);
    apic_write(APIC_LVT_THERM, APIC_LVT_MASKED);
    apic_write(APIC_LVT_ERR, VEC_APIC_ERROR);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
    apic_write(APIC_TDCR, 0xb);             /* divide by 1 */
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC_TIMER);
    if (tsc_deadline)
        apic_write(APIC_LVT_TIMER, APIC_TIMER_TSCDEADLINE | VEC_TIMER);
    apic_eoi();
}

/* Measure the APIC counter against the TSC (which is calibrated). */
static void calibrate_apic_timer(void)
{
    apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC_TIMER);
    apic_write(APIC_TMICT, 0xffffffff);
    uint64_t t0 = rdtsc();
    udelay(10000);
    uint32_t left = apic_read(APIC_TMCCT);
    uint64_t t1 = rdtsc();
    apic_write(APIC_TMICT, 0);
    uint64_t ticks = 0xffffffffULL - left;
    apic_timer_hz = ticks * (cpu_khz * 1000) / (t1 - t0);
}

void apic_init_bsp(void)
{
    uint32_t a, b, c, d;
    uint64_t base = rdmsr(MSR_APIC_BASE) & 0xfffff000UL;

    cpuid(1, &a, &b, &c, &d);
    tsc_deadline = c & (1u << 24);
    apic_base = ioremap(base, PAGE_SIZE);
    if (!apic_base)
        panic("cannot map the local APIC");
    pic_mask_all();
    apic_setup_cpu();
    if (!tsc_deadline)
        calibrate_apic_timer();
    printk("APIC: local APIC at %#lx, id %u, timer: %s", base, apic_id_self(),
           tsc_deadline ? "TSC deadline\n" : "one-shot");
    if (!tsc_deadline)
        printk(" at %lu kHz\n", apic_timer_hz / 1000);
}

void apic_init_ap(void)
{
    apic_setup_cpu();
}

static void icr_wait(void)
{
    for (unsigned int i = 0; i < 1000000; i++)
        if (!(apic_read(APIC_ICR_LO) & (1u << 12)))
            return;
}

void apic_send_ipi(unsigned int apic_id, unsigned int vector)
{
    unsigned long f = irq_save();
    icr_wait();
    apic_write(APIC_ICR_HI, apic_id << 24);
    apic_write(APIC_ICR_LO, vector);         /* fixed, physical, edge, assert */
    irq_restore(f);
}

void apic_send_init_sipi(unsigned int apic_id, unsigned int start_page)
{
    icr_wait();
    apic_write(APIC_ICR_HI, apic_id << 24);
    apic_write(APIC_ICR_LO, 0x4500);         /* INIT, assert */
    udelay(10000);
    for (int i = 0; i < 2; i++) {
        icr_wait();
        apic_write(APIC_ICR_HI, apic_id << 24);
        apic_write(APIC_ICR_LO, 0x4600 | start_page);   /* STARTUP */
        udelay(200);
    }
}

void arch_program_timer(s_time_t deadline)
{
    if (deadline == 0) {
        if (tsc_deadline)
            wrmsr(MSR_TSC_DEADLINE, 0);
        else
            apic_write(APIC_TMICT, 0);
        return;
    }
    s_time_t now = NOW();
    s_time_t delta = deadline - now;
    if (delta < MICROSECS(5))
        delta = MICROSECS(5);
    if (delta > SECONDS(1))     /* far deadlines: wake up and re-arm */
        delta = SECONDS(1);
    if (tsc_deadline) {
        wrmsr(MSR_TSC_DEADLINE, rdtsc() + (uint64_t)delta * cpu_khz / 1000000);
    } else {
        uint64_t ticks = (uint64_t)delta * apic_timer_hz / 1000000000ULL;
        if (ticks == 0)
            ticks = 1;
        if (ticks > 0xffffffffULL)
            ticks = 0xffffffffULL;
        apic_write(APIC_LVT_TIMER, APIC_TIMER_ONESHOT | VEC_TIMER);
        apic_write(APIC_TMICT, (uint32_t)ticks);
    }
}
