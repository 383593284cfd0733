/*
 * mmu-ext: HYPERVISOR_mmuext_op for a 64-bit PV guest, as Xen 4.17
 * answers it. PIN/UNPIN at each level, NEW_BASEPTR and NEW_USER_BASEPTR
 * (and the type references they hold), the TLB and INVLPG flushes (local,
 * multi, all) seen through a stale translation, FLUSH_CACHE, SET_LDT with
 * the lazily typed LDT page, COPY_PAGE and CLEAR_PAGE, batch done counts,
 * unknown commands and bad domain arguments.
 */
#include "../lib/mmu.h"

const char test_title[] = "mmu-ext: pin, base pointers, flushes, LDT, copy/clear page";

static void pins(void)
{
    static const char *const lv[] = { "", "L1", "L2", "L3", "L4" };
    long rc;

    for (unsigned int level = 1; level <= 4; level++) {
        pte_t *t = page_alloc();
        unsigned long mfn = mfn_of(t);

        rc = pin_table(level, mfn);
        check_rcf(rc, -XEN_EINVAL, "PIN_%s of a page still mapped writable", lv[level]);
        check_rcf(page_make_ro(t), 0, "%s candidate made read-only", lv[level]);
        check_rcf(pin_table(level, mfn), 0, "PIN_%s of an empty table", lv[level]);
        check_rcf(pin_table(level, mfn), -XEN_EINVAL, "PIN_%s twice", lv[level]);
        for (unsigned int other = 1; other <= 4; other++)
            if (other != level)
                check_rcf(pin_table(other, mfn), -XEN_EINVAL, "PIN_%s of a pinned %s",
                          lv[other], lv[level]);
        check_rcf(page_make_rw(t), -XEN_EBUSY, "pinned %s cannot be mapped writable", lv[level]);
        if (level == 4) {
            /* Validation writes the hypervisor's slots, but leaves slot
             * 256 (the read-only M2P) empty: Xen fills it only when the
             * L4 becomes a kernel base pointer (m2p_strict is off). */
            check_equ("pinned L4: slot 256 (RO M2P) empty until used as a base", t[256], 0);
            check_equ("pinned L4 carries the hypervisor's slot 261", t[261], cur_l4[261]);
            check_equ("pinned L4 slots 0-255 stay empty", t[0] | t[255], 0);
        }
        check_rcf(unpin_table(mfn), 0, "UNPIN of the %s", lv[level]);
        check_rcf(unpin_table(mfn), -XEN_EINVAL, "UNPIN of an unpinned %s", lv[level]);
        check_rcf(page_make_rw(t), 0, "unpinned %s is an ordinary page again", lv[level]);
        page_free(t);
    }
    /* Frames that are not ours, or not RAM. */
    check_rc("PIN_L1 of a frame beyond RAM", pin_table(1, max_ram_mfn + 0x1000), -XEN_EINVAL);
    check_rc("UNPIN of a frame beyond RAM", unpin_table(max_ram_mfn + 0x1000), -XEN_EINVAL);
    check_rc("UNPIN of the pinned start-of-day L4 while in use (allowed)",
             unpin_table(mfn_of(cur_l4)), 0);
    check_rc("PIN_L4 of the current L4 again", pin_table(4, mfn_of(cur_l4)), 0);
}

/* A copy of the current L4 (guest slots share the lower tables). */
static pte_t *clone_l4(void)
{
    pte_t *l4 = page_alloc();

    memcpy(l4, cur_l4, PAGE_SIZE);
    return l4;
}

static void baseptrs(void)
{
    pte_t *orig = cur_l4, *l4 = clone_l4();
    unsigned long probe = (unsigned long)&test_title;
    long rc;

    rc = mmu_switch_base(l4);
    check_rc("NEW_BASEPTR to a writable page", rc, -XEN_EINVAL);
    /* Without its M2P slot: NEW_BASEPTR puts it back. */
    l4[256] = 0x1234000;
    check_rc("clone L4 made read-only", page_make_ro(l4), 0);
    rc = mmu_switch_base(l4);
    check_rc("NEW_BASEPTR to an unpinned clone of the L4", rc, 0);
    check_equ("NEW_BASEPTR filled slot 256 (RO M2P) of the new base", l4[256], orig[256]);
    check_equ("the M2P is readable through the new base",
              ((const unsigned long *)MACH2PHYS_VIRT_START)[mfn_of(l4)],
              ((unsigned long)l4 - GUEST_VIRT_BASE) >> PAGE_SHIFT);
    check(READ_ONCE(*(const char *)probe) == 'm', "code and data still mapped on the clone",
          "read %#x", *(const char *)probe);
    check_rc("the live (unpinned) L4 cannot be mapped writable", page_make_rw(l4), -XEN_EBUSY);
    rc = mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(l4), 0, DOMID_SELF);
    check_rc("NEW_BASEPTR to the current L4 (a flush)", rc, 0);
    rc = mmu_switch_base(orig);
    check_rc("NEW_BASEPTR back to the start-of-day L4", rc, 0);
    check_rc("the dropped clone lost its type with its last reference", page_make_rw(l4), 0);

    pte_t *l1 = page_alloc();
    check_rc("an L1 candidate made read-only", make_pinned_table(l1, 1), 0);
    rc = mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(l1), 0, DOMID_SELF);
    check_rc("NEW_BASEPTR to a pinned L1", rc, -XEN_EINVAL);
    rc = mmuext1(MMUEXT_NEW_BASEPTR, max_ram_mfn + 0x1000, 0, DOMID_SELF);
    check_rc("NEW_BASEPTR to a frame beyond RAM", rc, -XEN_EINVAL);

    /* The user L4: a type reference without a pin. */
    pte_t *u = page_alloc();
    check_rc("user L4 candidate made read-only", page_make_ro(u), 0);
    rc = mmuext1(MMUEXT_NEW_USER_BASEPTR, mfn_of(u), 0, DOMID_SELF);
    check_rc("NEW_USER_BASEPTR to an empty L4", rc, 0);
    check_rc("the user L4 is held as a page table", page_make_rw(u), -XEN_EBUSY);
    rc = mmuext1(MMUEXT_NEW_USER_BASEPTR, mfn_of(u), 0, DOMID_SELF);
    check_rc("NEW_USER_BASEPTR to the same L4 again", rc, 0);
    rc = mmuext1(MMUEXT_NEW_USER_BASEPTR, mfn_of(l1), 0, DOMID_SELF);
    check_rc("NEW_USER_BASEPTR to a pinned L1", rc, -XEN_EINVAL);
    check_rc("a failed NEW_USER_BASEPTR keeps the old one", page_make_rw(u), -XEN_EBUSY);
    rc = mmuext1(MMUEXT_NEW_USER_BASEPTR, 0, 0, DOMID_SELF);
    check_rc("NEW_USER_BASEPTR 0 (none)", rc, 0);
    check_rc("the old user L4 was released", page_make_rw(u), 0);

    check_rc("release the L1", release_table(l1), 0);
    page_free(l1);
    page_free(u);
    page_free(l4);
}

/* ------------------------------------------------------------ flushes */

static uint64_t *page_a, *page_b;
static uint64_t *win;

/* Map A at the window page, read it into the TLB, then switch the entry
 * to B without a flush. Returns whether the stale A was still seen. */
static bool make_stale(void)
{
    uint64_t v;

    window_map(0, mfn_of(page_a), PTE_RO);
    (void)READ_ONCE(*win);
    mmu_update1(l1e_maddr((unsigned long)win), mk_pte(mfn_of(page_b), PTE_RO), DOMID_SELF);
    return probe_read(win, &v) && v == 0xaaaa;
}

static void flush_case(const char *what, unsigned int cmd, unsigned long arg1, unsigned long arg2)
{
    uint64_t v;
    bool stale = make_stale();
    long rc = mmuext1(cmd, arg1, arg2, DOMID_SELF);

    check_rcf(rc, 0, "%s", what);
    check_after(probe_read(win, &v) && v == 0xbbbb, what, "after the flush the window reads %#lx", v);
    info("%s: stale translation %s before the flush", what, stale ? "seen" : "not seen");
}

static void flushes(void)
{
    uint64_t mask = 1, bad_mask = 1UL << 20;

    window_create();
    page_a = page_alloc();
    page_b = page_alloc();
    *page_a = 0xaaaa;
    *page_b = 0xbbbb;
    win = window_va(0);

    flush_case("TLB_FLUSH_LOCAL", MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
    flush_case("INVLPG_LOCAL", MMUEXT_INVLPG_LOCAL, (unsigned long)win, 0);
    flush_case("TLB_FLUSH_MULTI {vCPU 0}", MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&mask);
    flush_case("INVLPG_MULTI {vCPU 0}", MMUEXT_INVLPG_MULTI, (unsigned long)win,
               (unsigned long)&mask);
    flush_case("TLB_FLUSH_ALL", MMUEXT_TLB_FLUSH_ALL, 0, 0);
    flush_case("INVLPG_ALL", MMUEXT_INVLPG_ALL, (unsigned long)win, 0);

    check_rc("TLB_FLUSH_MULTI with an unreadable vCPU mask",
             mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, 0x1000, DOMID_SELF), -XEN_EINVAL);
    check_rc("INVLPG_MULTI with an unreadable vCPU mask",
             mmuext1(MMUEXT_INVLPG_MULTI, (unsigned long)win, 0x1000, DOMID_SELF), -XEN_EINVAL);
    check_rc("TLB_FLUSH_MULTI naming a vCPU that does not exist",
             mmuext1(MMUEXT_TLB_FLUSH_MULTI, 0, (unsigned long)&bad_mask, DOMID_SELF), 0);
    check_rc("INVLPG_LOCAL of a hypervisor address is ignored",
             mmuext1(MMUEXT_INVLPG_LOCAL, 0xffff830000000000UL, 0, DOMID_SELF), 0);
    check_rc("INVLPG_ALL of a non-canonical address is ignored",
             mmuext1(MMUEXT_INVLPG_ALL, 0x8000000000000000UL, 0, DOMID_SELF), 0);
    check_rc("FLUSH_CACHE (the hardware domain may)",
             mmuext1(MMUEXT_FLUSH_CACHE, 0, 0, DOMID_SELF), 0);
    check_rc("FLUSH_CACHE_GLOBAL (the hardware domain may)",
             mmuext1(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0, DOMID_SELF), 0);

    window_unmap(0);
    page_free(page_a);
    page_free(page_b);
    window_destroy();
}

/* ------------------------------------------------------------ LDT */

static long set_ldt(unsigned long base, unsigned int ents)
{
    struct mmuext_op op = { .cmd = MMUEXT_SET_LDT };

    op.arg1.linear_addr = base;
    op.arg2.nr_ents = ents;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* Load %es with sel; true if that did not fault. */
static bool load_es(uint16_t sel)
{
    fault_reset();
    __asm__ __volatile__("1: mov %0, %%es\n2:\n" _ASM_EXTABLE(1b, 2b) :: "r"(sel) : "memory");
    return !last_fault.hit;
}

static void ldt(void)
{
    uint64_t *l = page_alloc();
    const uint16_t sel = 0 << 3 | 4 | 3;        /* LDT entry 0, RPL 3 */
    uint16_t es;

    /* Flat 32-bit data segment, DPL 3. */
    l[0] = 0x00cff3000000ffffUL;

    check_rc("SET_LDT with a misaligned base", set_ldt((unsigned long)l + 8, 1), -XEN_EINVAL);
    check_rc("SET_LDT with 8193 entries", set_ldt((unsigned long)l, 8193), -XEN_EINVAL);
    check_rc("SET_LDT in hypervisor space", set_ldt(0xffff830000000000UL, 1), -XEN_EINVAL);
    check_rc("SET_LDT non-canonical", set_ldt(0x0000800000000000UL, 1), -XEN_EINVAL);
    check_rc("SET_LDT with 0 entries ignores the base", set_ldt(0xffff830000000123UL, 0), 0);

    /* Still writable: the lazy fault-in cannot give it the descriptor
     * type, and the guest sees a #PF at the LDT address. */
    check_rc("SET_LDT on a writable page (accepted: checked lazily)", set_ldt((unsigned long)l, 1), 0);
    check_after(!load_es(sel) && last_fault.vector == X86_EXC_PF, "LDT selector load faults while the LDT page is writable",
          "hit %d vector %u", last_fault.hit, last_fault.vector);
    check_equ("LDT fault: #PF at the LDT page", last_fault.cr2, (unsigned long)l);

    check_rc("LDT page made read-only", page_make_ro(l), 0);
    check_after(load_es(sel), "LDT selector loads once the page is read-only", "vector %u ec %#lx",
          last_fault.vector, last_fault.error_code);
    __asm__ __volatile__("mov %%es, %0" : "=r"(es));
    check_equ("%es holds the LDT selector", es, sel);
    check_after(!load_es(1 << 3 | 4 | 3), "LDT selector beyond the limit faults", "loaded");
    check(last_fault.vector == X86_EXC_GP && last_fault.error_code == (1 << 3 | 4),
          "beyond the LDT limit: #GP(selector)", "vector %u ec %#lx", last_fault.vector,
          last_fault.error_code);
    load_es(0);
    check_rc("a live LDT page cannot be mapped writable", page_make_rw(l), -XEN_EBUSY);
    check_rc("SET_LDT 0,0", set_ldt(0, 0), 0);
    check_rc("the old LDT page is an ordinary page again", page_make_rw(l), 0);
    check_after(!load_es(sel), "no LDT: the selector faults", "loaded");
    page_free(l);
}

/* ------------------------------------------------------------ copy, clear */

static void copy_clear(void)
{
    uint64_t *src = page_alloc(), *dst = page_alloc();
    pte_t *pt = page_alloc();
    long rc;

    for (unsigned int i = 0; i < 512; i++)
        src[i] = 0x1000000UL * i + 7;
    rc = mmuext1(MMUEXT_COPY_PAGE, mfn_of(dst), mfn_of(src), DOMID_SELF);
    check_rc("COPY_PAGE", rc, 0);
    check(!memcmp(src, dst, PAGE_SIZE), "COPY_PAGE copied the page", "differs");
    rc = mmuext1(MMUEXT_CLEAR_PAGE, mfn_of(dst), 0, DOMID_SELF);
    check_rc("CLEAR_PAGE", rc, 0);
    bool zero = true;
    for (unsigned int i = 0; i < 512; i++)
        zero &= dst[i] == 0;
    check(zero, "CLEAR_PAGE cleared the page", "not zero");

    check_rc("an L1 to copy into", make_pinned_table(pt, 1), 0);
    rc = mmuext1(MMUEXT_COPY_PAGE, mfn_of(pt), mfn_of(src), DOMID_SELF);
    check_rc("COPY_PAGE into a page table", rc, -XEN_EINVAL);
    rc = mmuext1(MMUEXT_CLEAR_PAGE, mfn_of(pt), 0, DOMID_SELF);
    check_rc("CLEAR_PAGE of a page table", rc, -XEN_EINVAL);
    rc = mmuext1(MMUEXT_COPY_PAGE, mfn_of(dst), mfn_of(pt), DOMID_SELF);
    check_rc("COPY_PAGE from a page table (reading is fine)", rc, 0);
    rc = mmuext1(MMUEXT_COPY_PAGE, mfn_of(dst), max_ram_mfn + 0x1000, DOMID_SELF);
    check_rc("COPY_PAGE from a frame beyond RAM", rc, -XEN_EINVAL);
    rc = mmuext1(MMUEXT_CLEAR_PAGE, max_ram_mfn + 0x1000, 0, DOMID_SELF);
    check_rc("CLEAR_PAGE of a frame beyond RAM", rc, -XEN_EINVAL);
    check_rc("release the L1", release_table(pt), 0);
    page_free(pt);
    page_free(src);
    page_free(dst);
}

/* ------------------------------------------------------------ batches, misc */

static void batches_misc(void)
{
    pte_t *t = page_alloc();
    struct mmuext_op ops[4] = {
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
        { .cmd = MMUEXT_PIN_L1_TABLE },
        { .cmd = MMUEXT_PIN_L1_TABLE },
        { .cmd = MMUEXT_TLB_FLUSH_LOCAL },
    };
    unsigned int done = 0xdead;
    long rc;

    ops[1].arg1.mfn = mfn_of(t);
    ops[2].arg1.mfn = mfn_of(t);
    page_make_ro(t);
    rc = HYPERVISOR_mmuext_op(ops, 4, &done, DOMID_SELF);
    check_rc("batch: pin twice", rc, -XEN_EINVAL);
    check_eqf(done, 2, "batch: pin twice: done count");
    check_rc("batch: the first pin happened", unpin_table(mfn_of(t)), 0);
    page_make_rw(t);
    page_free(t);

    done = 0xdead;
    rc = HYPERVISOR_mmuext_op(ops, 0, &done, DOMID_SELF);
    check_rc("empty batch", rc, 0);
    check_eqf(done, 0, "empty batch: done count");
    rc = HYPERVISOR_mmuext_op((struct mmuext_op *)0x1000, 1, &done, DOMID_SELF);
    check_rc("unreadable op array", rc, -XEN_EFAULT);
    done = 7;
    rc = HYPERVISOR_mmuext_op(ops, 1 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF);
    check_rc("count with MMU_UPDATE_PREEMPTED", rc, 0);
    check_eqf(done, 8, "MMU_UPDATE_PREEMPTED: done continues from *done");

    static const unsigned int unknown[] = { 14, 21, 22, 64, 0x80000000u };
    for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++)
        check_rcf(mmuext1(unknown[i], 0, 0, DOMID_SELF), -XEN_ENOSYS, "command %u is unknown",
                  unknown[i]);
    check_rc("MARK_SUPER (PV superpages are gone)",
             mmuext1(MMUEXT_MARK_SUPER, mfn_of(&ops), 0, DOMID_SELF), -XEN_EOPNOTSUPP);
    check_rc("UNMARK_SUPER (PV superpages are gone)",
             mmuext1(MMUEXT_UNMARK_SUPER, mfn_of(&ops), 0, DOMID_SELF), -XEN_EOPNOTSUPP);

    check_rc("foreigndom = own id is refused",
             mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 0), -XEN_ESRCH);
    check_rc("foreigndom = a domain that does not exist",
             mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, 77), -XEN_ESRCH);
    check_rc("TLB_FLUSH_LOCAL with foreigndom DOMID_IO",
             mmuext1(MMUEXT_TLB_FLUSH_LOCAL, 0, 0, DOMID_IO), -XEN_EPERM);
    check_rc("NEW_BASEPTR with foreigndom DOMID_IO",
             mmuext1(MMUEXT_NEW_BASEPTR, mfn_of(cur_l4), 0, DOMID_IO), -XEN_EPERM);
    check_rc("PIN_L1 of an own frame as DOMID_IO",
             mmuext1(MMUEXT_PIN_L1_TABLE, mfn_of(cur_l4), 0, DOMID_IO), -XEN_EINVAL);
}

void test_main(void)
{
    mmu_init();
    pins();
    baseptrs();
    flushes();
    ldt();
    copy_clear();
    batches_misc();
}
