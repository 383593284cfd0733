/*
 * C start of day: map the shared-info page, set up vCPU 0 (per-CPU data,
 * trap table, callbacks), then run the test.
 */
#include <pvguest/test.h>
#include <pvguest/console.h>

#define _PAGE_PRESENT  0x001UL
#define _PAGE_RW       0x002UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY    0x040UL

uint8_t cpu_stacks[NR_CPUS][STACK_SIZE] __aligned(STACK_SIZE);
static uint8_t shared_info_page[PAGE_SIZE] __aligned(PAGE_SIZE);

struct start_info *start_info;
struct shared_info *shared_info;

bool hypercall_page_filled(void)
{
    /* Slot 0 starts "push %rcx" once filled; int3 (0xcc) before. */
    return hypercall_page[0] != 0xcc;
}

__noreturn static void early_fail(const char *msg)
{
    static const char prefix[] = "RESULT: ERROR ";

    console_emergency(prefix, sizeof(prefix) - 1);
    console_emergency(msg, strlen(msg));
    console_emergency("\n", 1);
    for (;;) {
        struct sched_shutdown s = { .reason = SHUTDOWN_crash };

        hypercall_syscall(__HYPERVISOR_sched_op, SCHEDOP_shutdown,
                          (unsigned long)&s, 0, 0, 0, 0);
    }
}

const char *cmdline(void)
{
    return (const char *)start_info->cmd_line;
}

const char *cmdline_option(const char *name, char *buf, size_t size)
{
    const char *p = cmdline();
    size_t n = strlen(name);

    while (*p) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, name, n) && p[n] == '=') {
            size_t len = 0;

            p += n + 1;
            while (p[len] && p[len] != ' ')
                len++;
            if (len >= size)
                len = size - 1;
            memcpy(buf, p, len);
            buf[len] = '\0';
            return buf;
        }
        while (*p && *p != ' ')
            p++;
    }
    return NULL;
}

void pvguest_start(struct start_info *si);
void pvguest_start(struct start_info *si)
{
    struct percpu *pc = this_cpu();
    long rc;

    start_info = si;
    pc->cpu = 0;
    si->cmd_line[MAX_GUEST_CMDLINE - 1] = 0;
    if (!hypercall_page_filled())
        early_fail("the domain builder did not fill the hypercall page");
    rc = HYPERVISOR_update_va_mapping((unsigned long)shared_info_page,
                                      si->shared_info | _PAGE_PRESENT | _PAGE_RW |
                                      _PAGE_ACCESSED | _PAGE_DIRTY, UVMF_INVLPG);
    if (rc)
        early_fail("update_va_mapping of the shared-info page failed");
    shared_info = (struct shared_info *)shared_info_page;
    pc->vcpu_info = &shared_info->vcpu_info[0];
    console_init();

    printk("pvguest: %s\n", test_title);
    rc = traps_install();
    if (rc)
        test_error("set_trap_table: %ld", rc);
    events_mask_all();
    rc = events_init_cpu();
    if (rc)
        test_error("callback_op(register): %ld", rc);

    test_main();
    test_finish();
}
