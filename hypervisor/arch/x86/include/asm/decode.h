/*
 * A small x86-64 instruction decoder for the PV emulation paths: the
 * privileged instructions a guest kernel executes in ring 3, and the
 * stores it makes to its read-only page tables. It decodes prefixes,
 * REX, one/two-byte opcodes, ModRM/SIB and displacements (RIP-relative
 * included) and computes effective addresses with FS/GS bases.
 */
#ifndef ASM_DECODE_H
#define ASM_DECODE_H

#include <pavise/types.h>
#include <asm/regs.h>

struct vcpu;

struct insn {
    uint8_t bytes[15];
    unsigned int len;           /* total length */
    bool opsize16;              /* 0x66 */
    bool lock, rep, repne;
    int seg;                    /* -1 none, else 0 es .. 5 gs */
    uint8_t rex;
    bool twobyte;
    uint8_t opcode;             /* second byte when twobyte */
    bool has_modrm;
    uint8_t mod, reg, rm;       /* reg/rm include REX extensions */
    bool rm_is_reg;
    unsigned long ea;           /* effective linear address (memory operand) */
    uint64_t imm;
    unsigned int imm_bytes;
};

/* Decode the instruction at regs->rip of the current guest. Returns 0, or
 * -1 if it cannot be fetched or is not understood. */
int decode_insn(struct vcpu *v, const struct cpu_regs *regs, struct insn *in);
/* Operand size in bytes for a "v"-sized operand (2, 4 or 8). */
unsigned int insn_opsize(const struct insn *in);
uint64_t *insn_reg(struct cpu_regs *regs, unsigned int idx);

#endif
