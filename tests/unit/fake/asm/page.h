/*
 * Host unit tests: the hypervisor's asm/page.h with __va/__pa redirected
 * into fake machine memory (tests/unit/fake/fake_mm.c), so that
 * map_domain_page() and friends in pavise/mm.h land in a heap array.
 * Found before hypervisor/arch/x86/include on the include path.
 */
#ifndef FAKE_ASM_PAGE_H
#define FAKE_ASM_PAGE_H

#define __va hypervisor___va
#define __pa hypervisor___pa
#include_next <asm/page.h>
#undef __va
#undef __pa

#ifndef __ASSEMBLER__
void *fake_machine_va(paddr_t pa);
paddr_t fake_machine_pa(const void *va);

static inline void *__va(paddr_t pa) { return fake_machine_va(pa); }
static inline paddr_t __pa(const void *va) { return fake_machine_pa(va); }
#endif

#endif
