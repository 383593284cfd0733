/*
 * TSC calibration (PIT channel 2), system time, and the wall clock from
 * the CMOS RTC.
 */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/console.h>
#include <pavise/time.h>
#include <asm/x86.h>

struct time_scale tsc_scale;
uint64_t tsc_boot;
uint64_t cpu_khz;
uint64_t wallclock_sec_at_boot;
uint32_t wallclock_nsec_at_boot;

#define PIT_HZ 1193182UL

void set_time_scale(struct time_scale *ts, uint64_t ticks_per_sec)
{
    uint64_t tps64 = ticks_per_sec;
    uint32_t tps32;
    int shift = 0;

    while (tps64 > 2ULL * 1000000000ULL) {
        tps64 >>= 1;
        shift--;
    }
    tps32 = (uint32_t)tps64;
    while (tps32 <= 1000000000U) {
        tps32 <<= 1;
        shift++;
    }
    /* mul_frac = 1e9 / tps32 as a 0.32 fixed-point fraction (< 1). */
    ts->mul_frac = (uint32_t)((1000000000ULL << 32) / tps32);
    ts->shift = (int8_t)shift;
}

uint64_t scale_delta(uint64_t delta, const struct time_scale *ts)
{
    if (ts->shift < 0)
        delta >>= -ts->shift;
    else
        delta <<= ts->shift;
    return (uint64_t)(((unsigned __int128)delta * ts->mul_frac) >> 32);
}

s_time_t NOW(void)
{
    return (s_time_t)scale_delta(rdtsc() - tsc_boot, &tsc_scale);
}

uint64_t get_cycles(void)
{
    return rdtsc();
}

/* Invariant and (under QEMU and on the machines Pavise targets)
 * synchronised: only then do guests get PVCLOCK_TSC_STABLE_BIT. */
bool arch_tsc_stable(void);
bool arch_tsc_stable(void)
{
    uint32_t a, b, c, d;
    cpuid(0x80000000, &a, &b, &c, &d);
    if (a < 0x80000007)
        return false;
    cpuid(0x80000007, &a, &b, &c, &d);
    return d & (1u << 8);
}

void udelay(unsigned long us)
{
    uint64_t end = rdtsc() + us * cpu_khz / 1000;
    while ((int64_t)(rdtsc() - end) < 0)
        cpu_relax();
}

/* Count TSC ticks over a 25 ms PIT channel-2 one-shot. */
static uint64_t calibrate_tsc(void)
{
    const unsigned long count = PIT_HZ / 40;
    uint64_t t0, t1;

    outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));   /* gate on, speaker off */
    outb(0x43, 0xb0);                                    /* ch2, lo/hi, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    t0 = rdtsc();
    for (unsigned long i = 0; !(inb(0x61) & 0x20); i++)
        if (i > 100000000UL)
            panic("PIT channel 2 never expired: cannot calibrate the TSC");
    t1 = rdtsc();
    return (t1 - t0) * 40;
}

static unsigned int cmos_read(unsigned int reg)
{
    outb(0x70, (uint8_t)reg);
    return inb(0x71);
}

static unsigned int bcd(unsigned int v, bool is_bcd)
{
    return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(int y, unsigned int m, unsigned int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned int yoe = (unsigned int)(y - era * 400);
    unsigned int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (uint64_t)((int64_t)era * 146097 + (int64_t)doe - 719468);
}

static uint64_t read_rtc(void)
{
    unsigned int sec, min, hour, day, mon, year, regb;

    /* Wait for an update to finish, then read twice until stable. */
    for (int i = 0; i < 1000000 && (cmos_read(0x0a) & 0x80); i++)
        ;
    do {
        sec = cmos_read(0x00);
        min = cmos_read(0x02);
        hour = cmos_read(0x04);
        day = cmos_read(0x07);
        mon = cmos_read(0x08);
        year = cmos_read(0x09);
    } while (sec != cmos_read(0x00));
    regb = cmos_read(0x0b);
    bool is_bcd = !(regb & 0x04);
    bool pm = hour & 0x80;
    sec = bcd(sec, is_bcd);
    min = bcd(min, is_bcd);
    hour = bcd(hour & 0x7f, is_bcd);
    if (!(regb & 0x02) && pm)
        hour = (hour % 12) + 12;
    day = bcd(day, is_bcd);
    mon = bcd(mon, is_bcd);
    year = bcd(year, is_bcd) + 2000;
    if (mon < 1 || mon > 12 || day < 1 || day > 31)
        return 0;
    return days_from_civil((int)year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

void time_init(void)
{
    uint64_t hz = calibrate_tsc();

    tsc_boot = rdtsc();
    cpu_khz = hz / 1000;
    set_time_scale(&tsc_scale, hz);
    uint64_t rtc = read_rtc();
    s_time_t now = NOW();
    wallclock_sec_at_boot = rtc - (uint64_t)(now / 1000000000LL);
    wallclock_nsec_at_boot = 0;
    printk("Time: TSC %lu.%03lu MHz (mul %#x shift %d), RTC %lu s since the epoch\n",
           cpu_khz / 1000, cpu_khz % 1000, tsc_scale.mul_frac, tsc_scale.shift, rtc);
}
