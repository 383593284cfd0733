/*
 * Exception table: an instruction that may fault on purpose (guest memory
 * access, a probing rdmsr) has an entry naming where to resume. Entries
 * are 32-bit offsets relative to themselves, as in Linux and Xen.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#define _ASM_EXTABLE(from, to)                  \
    ".pushsection .ex_table, \"a\"\n\t"         \
    ".balign 4\n\t"                             \
    ".long (" #from ") - .\n\t"                 \
    ".long (" #to ") - .\n\t"                   \
    ".popsection\n\t"

#ifndef __ASSEMBLER__
struct cpu_regs;
/* If regs->rip has a fixup, move rip there and return true. */
bool extable_fixup(struct cpu_regs *regs);
#endif

#endif
