/* Instruction decoding for PV emulation (see asm/decode.h). */
#include <pavise/lib.h>
#include <asm/pv.h>
#include <pavise/domain.h>
#include <pavise/guest_access.h>
#include <asm/decode.h>
#include <asm/x86.h>

uint64_t *insn_reg(struct cpu_regs *r, unsigned int idx)
{
    switch (idx & 15) {
    case 0: return &r->rax;
    case 1: return &r->rcx;
    case 2: return &r->rdx;
    case 3: return &r->rbx;
    case 4: return &r->rsp;
    case 5: return &r->rbp;
    case 6: return &r->rsi;
    case 7: return &r->rdi;
    case 8: return &r->r8;
    case 9: return &r->r9;
    case 10: return &r->r10;
    case 11: return &r->r11;
    case 12: return &r->r12;
    case 13: return &r->r13;
    case 14: return &r->r14;
    default: return &r->r15;
    }
}

unsigned int insn_opsize(const struct insn *in)
{
    if (in->rex & 8)
        return 8;
    return in->opsize16 ? 2 : 4;
}

/* Does this opcode have a ModRM byte, and how many immediate bytes? */
static bool one_byte_modrm(uint8_t op)
{
    switch (op) {
    case 0x00 ... 0x03: case 0x08 ... 0x0b: case 0x10 ... 0x13: case 0x18 ... 0x1b:
    case 0x20 ... 0x23: case 0x28 ... 0x2b: case 0x30 ... 0x33: case 0x38 ... 0x3b:
    case 0x63: case 0x69: case 0x6b: case 0x80 ... 0x8f:
    case 0xc0: case 0xc1: case 0xc6: case 0xc7: case 0xd0 ... 0xd3: case 0xf6: case 0xf7:
    case 0xfe: case 0xff:
        return true;
    default:
        return false;
    }
}

int decode_insn(struct vcpu *v, const struct cpu_regs *regs, struct insn *in)
{
    unsigned int n = 0;
    uint8_t b;

    memset(in, 0, sizeof(*in));
    in->seg = -1;
    /* Fetch up to 15 bytes; a short read near a page end is fine as long
     * as the instruction itself fits in what was read. */
    unsigned long avail = 15;
    unsigned long left = copy_from_guest_raw(in->bytes, (const void *)regs->rip, 15);
    if (left) {
        unsigned long to_page_end = 4096 - (regs->rip & 4095);
        if (to_page_end >= 15 || copy_from_guest_raw(in->bytes, (const void *)regs->rip, to_page_end))
            return -1;
        avail = to_page_end;
    }

#define NEXT() ({ if (n >= avail) return -1; in->bytes[n++]; })
    for (;;) {
        b = NEXT();
        switch (b) {
        case 0x66: in->opsize16 = true; continue;
        case 0x67: return -1;                       /* 32-bit addressing: not used */
        case 0xf0: in->lock = true; continue;
        case 0xf2: in->repne = true; continue;
        case 0xf3: in->rep = true; continue;
        case 0x26: in->seg = 0; continue;
        case 0x2e: in->seg = 1; continue;
        case 0x36: in->seg = 2; continue;
        case 0x3e: in->seg = 3; continue;
        case 0x64: in->seg = 4; continue;
        case 0x65: in->seg = 5; continue;
        }
        break;
    }
    if ((b & 0xf0) == 0x40) {
        in->rex = b;
        b = NEXT();
    }
    if (b == 0x0f) {
        in->twobyte = true;
        b = NEXT();
        in->opcode = b;
        /* The two-byte opcodes the emulators handle. */
        switch (b) {
        case 0x20 ... 0x23: case 0xb0: case 0xb1: case 0xab: case 0xb3: case 0xbb:
        case 0xba: case 0xc7: case 0x01:
            in->has_modrm = true;
            break;
        }
        if (b == 0xba)
            in->imm_bytes = 1;
    } else {
        in->opcode = b;
        in->has_modrm = one_byte_modrm(b);
        switch (b) {
        case 0x80: case 0x83: case 0xc0: case 0xc1: case 0xc6: case 0x6b:
            in->imm_bytes = 1;
            break;
        case 0x81: case 0xc7: case 0x69:
            in->imm_bytes = in->opsize16 ? 2 : 4;
            break;
        case 0xe4: case 0xe5: case 0xe6: case 0xe7:
            in->imm_bytes = 1;
            break;
        }
    }

    if (in->has_modrm) {
        uint8_t m = NEXT();
        in->mod = m >> 6;
        in->reg = ((m >> 3) & 7) | ((in->rex & 4) << 1);
        in->rm = (m & 7) | ((in->rex & 1) << 3);
        if (in->mod == 3 || (in->twobyte && in->opcode >= 0x20 && in->opcode <= 0x23)) {
            /* mov to/from CR/DR always uses a register operand. */
            in->rm_is_reg = true;
            in->rm = (m & 7) | ((in->rex & 1) << 3);
        } else {
            unsigned long ea = 0;
            int32_t disp = 0;
            if ((m & 7) == 4) {
                uint8_t sib = NEXT();
                unsigned int base = (sib & 7) | ((in->rex & 1) << 3);
                unsigned int index = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
                unsigned int scale = sib >> 6;
                if (index != 4)
                    ea += *insn_reg((struct cpu_regs *)regs, index) << scale;
                if ((base & 7) == 5 && in->mod == 0) {
                    int32_t d32 = 0;
                    for (int i = 0; i < 4; i++)
                        d32 |= (int32_t)((uint32_t)NEXT() << (8 * i));
                    ea += (unsigned long)(long)d32;
                } else {
                    ea += *insn_reg((struct cpu_regs *)regs, base);
                }
            } else if ((m & 7) == 5 && in->mod == 0) {
                /* RIP-relative: resolved once the length is known. */
                int32_t d32 = 0;
                for (int i = 0; i < 4; i++)
                    d32 |= (int32_t)((uint32_t)NEXT() << (8 * i));
                disp = d32;
                in->ea = (unsigned long)(long)disp;
                in->rm = 0x10;              /* marker */
            } else {
                ea += *insn_reg((struct cpu_regs *)regs, in->rm);
            }
            if (in->mod == 1) {
                disp = (int8_t)NEXT();
            } else if (in->mod == 2) {
                int32_t d32 = 0;
                for (int i = 0; i < 4; i++)
                    d32 |= (int32_t)((uint32_t)NEXT() << (8 * i));
                disp = d32;
            }
            if (in->rm != 0x10)
                in->ea = ea + (unsigned long)(long)disp;
        }
    }
    for (unsigned int i = 0; i < in->imm_bytes; i++)
        in->imm |= (uint64_t)NEXT() << (8 * i);
#undef NEXT
    in->len = n;
    if (in->has_modrm && !in->rm_is_reg && in->rm == 0x10)
        in->ea += regs->rip + n;
    /* FS/GS overrides add the segment base (64-bit mode ignores others). */
    if (in->has_modrm && !in->rm_is_reg) {
        if (in->seg == 4)
            in->ea += rdmsr(MSR_FS_BASE);
        else if (in->seg == 5)
            in->ea += rdmsr(MSR_GS_BASE);
    }
    (void)v;
    return 0;
}
