/*
 * Writable page tables (Xen's ptwr): a guest kernel store to one of its
 * own read-only, validated L1 page-table pages faults here; the store is
 * decoded, its result validated like an mmu_update, performed, and the
 * guest continues after the instruction. (The hardware domain's plain
 * stores to read-only MMIO come here too, and are dropped.) Only naturally aligned stores
 * inside the faulting page are handled; anything else is a real #PF for
 * the guest. Supported: mov, xchg, cmpxchg, add/or/and/sub/xor with a
 * register or immediate, bt{s,r,c} - what Linux uses on PTEs.
 */
#include <pavise/lib.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/pagetype.h>
#include <asm/decode.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/x86.h>
#include "pagetable.h"

static uint64_t trunc(uint64_t v, unsigned int bytes)
{
    return bytes == 8 ? v : v & ((1UL << (8 * bytes)) - 1);
}

/* Arithmetic flags (CF, PF, AF, ZF, SF, OF) of a logic/arith result. */
static uint64_t arith_flags(uint64_t res, unsigned int bytes, bool cf, bool of)
{
    uint64_t f = 0;
    res = trunc(res, bytes);
    if (cf) f |= X86_EFLAGS_CF;
    if (of) f |= X86_EFLAGS_OF;
    if (!res) f |= X86_EFLAGS_ZF;
    if (res >> (8 * bytes - 1)) f |= X86_EFLAGS_SF;
    if (!(__builtin_popcount((unsigned int)(res & 0xff)) & 1)) f |= X86_EFLAGS_PF;
    return f;
}

#define STATUS_FLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | X86_EFLAGS_ZF | \
                      X86_EFLAGS_SF | X86_EFLAGS_OF)

/*
 * A store to MMIO that was installed read-only (the IO-APIC, Xen's
 * mmio_ro_ranges) by the hardware domain: Xen emulates it and drops the
 * data (mmio_ro_emulated_write), so the guest carries on. Only a plain
 * MOV to memory (an instruction that does not read its destination),
 * naturally aligned, at the faulting address; anything else faults.
 */
static bool mmio_ro_store(struct vcpu *v, struct cpu_regs *regs, unsigned long addr)
{
    struct insn in;

    if (decode_insn(v, regs, &in) || in.rm_is_reg || !in.has_modrm || in.twobyte)
        return false;
    unsigned int bytes = insn_opsize(&in);
    switch (in.opcode) {
    case 0x88: case 0xc6:
        bytes = 1;
        break;
    case 0x89:
        break;
    case 0xc7:
        if (in.reg & 7)
            return false;
        break;
    default:
        return false;
    }
    /* Xen compares the segment offset; FS/GS-relative stores differ. */
    if (in.seg == 4 || in.seg == 5 || in.ea != addr || (in.ea & (bytes - 1)))
        return false;
    regs->rip += in.len;
    return true;
}

bool pv_ptwr_fault(struct cpu_regs *regs, unsigned long addr, uint32_t ec)
{
    struct vcpu *v = current;
    struct domain *d = v->domain;
    struct insn in;
    mfn_t l1mfn;

    if (!v->arch.kernel_mode ||
        (ec & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_IFETCH)) != (PFEC_PRESENT | PFEC_WRITE))
        return false;
    /* The faulting address must map one of this domain's L1 tables, or
     * read-only MMIO of the hardware domain. */
    pgentry_t *pte = map_guest_l1e(addr, &l1mfn);
    if (!pte)
        return false;
    pgentry_t e = *pte;
    if ((e & (_PAGE_PRESENT | _PAGE_RW)) != _PAGE_PRESENT)
        return false;
    if (!mfn_valid(pte_mfn(e)))
        return d->is_privileged && pv_mmio_ro(pte_mfn(e)) && mmio_ro_store(v, regs, addr);
    mfn_t target = pte_mfn(e);
    struct page_info *pg = mfn_to_page(target);
    if (!get_page(pg, d))
        return false;
    bool handled = false;
    /* Locked, the L1 stays one until we are done (Xen's page_lock). */
    if (!page_lock(pg)) {
        put_page(pg);
        return false;
    }
    if (page_type(pg) != PGT_l1_page_table)
        goto out;
    if (decode_insn(v, regs, &in) || in.rm_is_reg || !in.has_modrm)
        goto out;

    unsigned int bytes = insn_opsize(&in);
    uint8_t op = in.opcode;
    if (!in.twobyte && (op == 0x88 || op == 0x86 || op == 0xc6 || op == 0x80))
        bytes = 1;
    /* Naturally aligned, inside the faulting page. */
    if (((in.ea ^ addr) & ~(uint64_t)(PAGE_SIZE - 1)) || (in.ea & (bytes - 1)))
        goto out;

    pgentry_t *slot = (pgentry_t *)map_domain_page(target) + ((in.ea & (PAGE_SIZE - 1)) >> 3);
    unsigned int shift = (unsigned int)(in.ea & 7) * 8;
    uint64_t regval = 0;
    if (!in.twobyte && op != 0xc6 && op != 0xc7 && op != 0x80 && op != 0x81 && op != 0x83)
        regval = *insn_reg(regs, in.reg);
    if (in.twobyte && op != 0xba)
        regval = *insn_reg(regs, in.reg);

    for (int attempt = 0; attempt < 16; attempt++) {
        pgentry_t old = __atomic_load_n(slot, __ATOMIC_SEQ_CST);
        uint64_t cur = trunc(old >> shift, bytes), res = cur;
        uint64_t flags = 0;
        bool write = true, set_flags = false, to_reg = false;
        uint64_t reg_out = 0;

        if (!in.twobyte) {
            switch (op) {
            case 0x88: case 0x89: res = trunc(regval, bytes); break;                 /* mov */
            case 0xc6: case 0xc7:                                                     /* mov imm */
                if (in.reg & 7) goto out;
                res = trunc(bytes == 8 ? (uint64_t)(int64_t)(int32_t)in.imm : in.imm, bytes);
                break;
            case 0x86: case 0x87:                                                     /* xchg */
                res = trunc(regval, bytes); to_reg = true; reg_out = cur; break;
            case 0x01: res = trunc(cur + regval, bytes); set_flags = true;
                flags = arith_flags(res, bytes, res < cur, false); break;
            case 0x09: res = cur | trunc(regval, bytes); set_flags = true;
                flags = arith_flags(res, bytes, false, false); break;
            case 0x21: res = cur & trunc(regval, bytes); set_flags = true;
                flags = arith_flags(res, bytes, false, false); break;
            case 0x29: res = trunc(cur - regval, bytes); set_flags = true;
                flags = arith_flags(res, bytes, trunc(regval, bytes) > cur, false); break;
            case 0x31: res = cur ^ trunc(regval, bytes); set_flags = true;
                flags = arith_flags(res, bytes, false, false); break;
            case 0x80: case 0x81: case 0x83: {
                uint64_t imm = op == 0x83 || op == 0x80 ? (uint64_t)(int64_t)(int8_t)in.imm
                                                        : (uint64_t)(int64_t)(int32_t)in.imm;
                imm = trunc(imm, bytes);
                switch (in.reg & 7) {
                case 0: res = trunc(cur + imm, bytes); flags = arith_flags(res, bytes, res < cur, false); break;
                case 1: res = cur | imm; flags = arith_flags(res, bytes, false, false); break;
                case 4: res = cur & imm; flags = arith_flags(res, bytes, false, false); break;
                case 5: res = trunc(cur - imm, bytes); flags = arith_flags(res, bytes, imm > cur, false); break;
                case 6: res = cur ^ imm; flags = arith_flags(res, bytes, false, false); break;
                default: goto out;
                }
                set_flags = true;
                break;
            }
            default:
                goto out;
            }
        } else {
            switch (op) {
            case 0xb0: case 0xb1: {                                                   /* cmpxchg */
                uint64_t acc = trunc(regs->rax, bytes);
                if (op == 0xb0) bytes = 1;
                set_flags = true;
                flags = arith_flags(trunc(acc - cur, bytes), bytes, cur > acc, false);
                if (cur == acc) {
                    res = trunc(regval, bytes);
                } else {
                    write = false;
                    /* rax gets the current value */
                    if (bytes == 4) regs->rax = cur; else if (bytes == 8) regs->rax = cur;
                    else regs->rax = (regs->rax & ~((1UL << (8 * bytes)) - 1)) | cur;
                }
                break;
            }
            case 0xab: case 0xb3: case 0xbb: case 0xba: {                             /* bts/btr/btc */
                unsigned int bit;
                unsigned int kind;
                if (op == 0xba) {
                    kind = in.reg & 7;
                    if (kind < 5) goto out;
                    bit = (unsigned int)in.imm & (8 * bytes - 1);
                } else {
                    kind = op == 0xab ? 5 : op == 0xb3 ? 6 : 7;
                    /* A register bit offset may reach other words: only
                     * offsets inside this operand are handled. */
                    if (regval >= 8 * bytes) goto out;
                    bit = (unsigned int)regval;
                }
                bool was = (cur >> bit) & 1;
                res = kind == 5 ? cur | (1UL << bit) : kind == 6 ? cur & ~(1UL << bit)
                                                     : cur ^ (1UL << bit);
                set_flags = true;
                flags = (regs->rflags & STATUS_FLAGS & ~X86_EFLAGS_CF) | (was ? X86_EFLAGS_CF : 0);
                break;
            }
            default:
                goto out;
            }
        }

        if (write && res != cur) {
            pgentry_t ne = (old & ~(trunc(~0UL, bytes) << shift)) | (res << shift);
            if (ne & _PAGE_PRESENT) {
                int flip = get_page_from_l1e(ne, d, d);
                if (flip < 0) {
                    printk(LOG_DEBUG "d%u: ptwr: refused PTE %#lx at %#lx\n", d->domain_id, ne, in.ea);
                    goto out;
                }
                ne = adjust_guest_l1e(l1e_flip(ne, flip));
            }
            pgentry_t seen = old;
            if (!__atomic_compare_exchange_n(slot, &seen, ne, false, __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST)) {
                /* Changed under us (A/D bits): undo and retry. */
                if (ne & _PAGE_PRESENT)
                    put_page_from_l1e(ne, d);
                continue;
            }
            put_page_from_l1e(old, d);
        }
        if (to_reg) {
            uint64_t *r = insn_reg(regs, in.reg);
            if (bytes == 8 || bytes == 4)
                *r = reg_out;
            else
                *r = (*r & ~((1UL << (8 * bytes)) - 1)) | reg_out;
        }
        if (set_flags)
            regs->rflags = (regs->rflags & ~(uint64_t)STATUS_FLAGS) | (flags & STATUS_FLAGS);
        regs->rip += in.len;
        handled = true;
        break;
    }
out:
    page_unlock(pg);
    put_page(pg);
    return handled;
}
