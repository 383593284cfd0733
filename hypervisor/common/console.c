/*
 * Hypervisor console. Lines go to the serial port with a "(PV) " prefix
 * (hypervisor) or "(dN) " (a domain's console). Messages carry a level
 * (pavise/console.h); loglvl= sets which levels are printed.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/param.h>
#include <pavise/serial.h>
#include <pavise/spinlock.h>
#include <pavise/domain.h>

static spinlock_t console_lock = SPIN_LOCK_UNLOCKED;
static bool at_line_start = true;
static int cur_source = -1;              /* who wrote the current line */
#define SRC_HV 0x10000
static int log_threshold = LVL_INFO;     /* print levels <= this */
static char opt_console[64] = "com1";
static char opt_com1[64] = "115200";

string_param("console", opt_console);
string_param("com1", opt_com1);

static int parse_loglvl(const char *val)
{
    static const char *const names[] = { "none", "error", "warning", "info", "debug", "all" };
    if (!val)
        return -1;
    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
        size_t len = strlen(names[i]);
        /* Xen accepts "level[/rate-limited level]"; the rate part is ignored. */
        if (strncmp(val, names[i], len) == 0 && (val[len] == '\0' || val[len] == '/')) {
            log_threshold = i == 5 ? LVL_DEBUG : (int)i;
            return 0;
        }
    }
    return -1;
}
custom_param("loglvl", parse_loglvl);

static void emit(char c)
{
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

static void emit_str(const char *s, size_t len, const char *prefix, int src)
{
    /* Another source's unfinished line is ended before ours starts. */
    if (!at_line_start && src != cur_source && len) {
        emit('\n');
        at_line_start = true;
    }
    cur_source = src;
    for (size_t i = 0; i < len; i++) {
        if (at_line_start) {
            for (const char *p = prefix; *p; p++)
                emit(*p);
            at_line_start = false;
        }
        emit(s[i]);
        if (s[i] == '\n')
            at_line_start = true;
    }
}

void console_init_early(void)
{
    struct serial_cfg cfg = { .io_base = 0x3f8, .baud = 115200 };
    serial_init(&cfg);
}

/* Apply console= and com1= once the command line is parsed. */
void console_init_postparse(void)
{
    struct serial_cfg cfg = { .io_base = 0, .baud = 115200 };
    uint64_t v;
    const char *end;
    bool unknown = false;

    for (const char *p = opt_console; *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == 4 && !strncmp(p, "com1", 4))
            cfg.io_base = 0x3f8;
        else if (len == 4 && !strncmp(p, "com2", 4))
            cfg.io_base = 0x2f8;
        else if (!(len == 4 && !strncmp(p, "none", 4)))
            unknown = true;
        p += len + (c ? 1 : 0);
    }
    /* com1=<baud>[,...]: only the baud rate matters to an emulated UART. */
    if (parse_u64(opt_com1, &end, &v, false) && v >= 50 && v <= 115200)
        cfg.baud = (unsigned int)v;
    serial_init(&cfg);
    if (unknown)
        printk(LOG_WARNING "console=%s: only com1, com2 and none are supported\n", opt_console);
}

void console_puts_raw(const char *s, size_t len)
{
    unsigned long f;
    spin_lock_irqsave(&console_lock, f);
    emit_str(s, len, "", SRC_HV);
    spin_unlock_irqrestore(&console_lock, f);
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int level = LVL_INFO;
    unsigned long f;
    int n;

    if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '9') {
        level = fmt[1] - '0';
        fmt += 2;
    }
    if (level > log_threshold)
        return;
    n = pv_vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    /*
     * A message written on behalf of a guest (a hypercall or a trap: a guest
     * vCPU is current and interrupts are on) names that vCPU, as Xen's
     * gdprintk does, unless it already starts with a domain id ("dN").
     */
    const struct vcpu *v = current_vcpu();
    if (v && !is_idle_vcpu(v) && irqs_enabled() && !(buf[0] == 'd' && buf[1] >= '0' && buf[1] <= '9')) {
        char ctx[24];
        int c = pv_snprintf(ctx, sizeof(ctx), "d%uv%u ", v->domain->domain_id, v->vcpu_id);
        if (n + c >= (int)sizeof(buf))
            n = (int)sizeof(buf) - 1 - c;
        memmove(buf + c, buf, (size_t)n);
        memcpy(buf, ctx, (size_t)c);
        n += c;
    }
    spin_lock_irqsave(&console_lock, f);
    emit_str(buf, (size_t)n, "(PV) ", SRC_HV);
    spin_unlock_irqrestore(&console_lock, f);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void console_guest_write(domid_t d, const char *buf, size_t len)
{
    char prefix[16];
    unsigned long f;
    pv_snprintf(prefix, sizeof(prefix), "(d%u) ", d);
    spin_lock_irqsave(&console_lock, f);
    emit_str(buf, len, prefix, d);
    spin_unlock_irqrestore(&console_lock, f);
}

/* On a fatal error another CPU may hold the lock forever: take it over. */
void console_lock_break(void)
{
    spin_lock_init(&console_lock);
}
