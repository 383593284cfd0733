/* PV vCPU internals shared by the x86 PV files. */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <pavise/types.h>
#include <asm/regs.h>
#include <asm/page.h>

struct page_info;

struct vcpu;
struct domain;

/* entry_vector marker for a SYSCALL entry (the frame may use sysret). */
#define TRAP_syscall     0x100

/* The hooks generic code calls are declared in pavise/arch.h. */
#include <pavise/arch.h>

/* Per-vCPU window in the per-domain area: 64 KiB GDT (16 pages: 14 guest
 * frames, page 14 = the pCPU's hypervisor GDT page), 64 KiB LDT. */
#define GDT_LDT_VCPU_SHIFT  17
#define GDT_VIRT(v)   (PERDOMAIN_VIRT_START + ((unsigned long)(v)->vcpu_id << GDT_LDT_VCPU_SHIFT))
#define LDT_VIRT(v)   (GDT_VIRT(v) + (64UL << 10))


/* Switch between guest kernel and guest user mode (CR3 + GS swap). */
void toggle_guest_mode(struct vcpu *v);
/* Load v's page tables for its current mode. */
void write_guest_cr3(struct vcpu *v);
/* Install v's GDT frames (already validated) in its GDT window. */
void pv_map_gdt(struct vcpu *v);
pgentry_t *pv_ldt_l1e(struct vcpu *v, unsigned int page);
/* A #PF in v's LDT window: map the guest's LDT page, or reflect the
 * fault to the guest at the LDT address. True if it was an LDT fault. */
bool pv_ldt_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long addr);
bool pv_ldt_fault_hypervisor(unsigned long addr, uint32_t error_code);
void pv_load_ldt(struct vcpu *v);
bool pv_validate_desc_page(struct page_info *pg);
void pv_destroy_gdt(struct vcpu *v);
long pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries);
void pv_unmap_gdt(struct vcpu *v);

/* Exception/event delivery. */
#define TBF_EXCEPTION          1
#define TBF_EXCEPTION_ERRCODE  2
#define TBF_INTERRUPT          8
/* Bounce to a guest handler: build the frame on the guest kernel stack
 * and point regs at 'eip'. Crashes the domain if the stack is bad. */
void pv_create_bounce_frame(struct vcpu *v, struct cpu_regs *regs, unsigned long eip,
                            unsigned int flags, uint32_t error_code);
/* Deliver exception 'vec' to the guest's trap table handler. */
void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vec,
                         int error_code);
void pv_inject_page_fault(struct vcpu *v, struct cpu_regs *regs, unsigned long cr2,
                          uint32_t error_code);
void pv_dump_guest_state(struct vcpu *v, const struct cpu_regs *regs);

/* Privileged-instruction emulation on #GP; true if handled. */
bool pv_emulate_privileged_op(struct cpu_regs *regs);
/* Forced-emulation prefix (ud2 "xen" cpuid) on #UD; true if handled. */
bool pv_emulate_forced_invalid_op(struct cpu_regs *regs);
/* Guest-visible CPUID. */
void pv_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf,
              uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);
/* Writable page-table emulation on #PF; true if handled. */
bool pv_ptwr_fault(struct cpu_regs *regs, unsigned long addr, uint32_t ec);


/* Page tables (pv/pagetype.c, pv/mm_ops.c). */
int get_page_from_l1e(pgentry_t e, struct domain *l1e_owner, struct domain *pg_owner);
void put_page_from_l1e(pgentry_t e, struct domain *l1e_owner);
pgentry_t adjust_guest_l1e(pgentry_t e);
pgentry_t adjust_guest_lNe(pgentry_t e, unsigned int level);
bool is_guest_l4_slot(unsigned int i);
/* L1 entry flags the rules refuse for d (pagetype.c). */
uint64_t pv_l1_disallow_mask(const struct domain *d);
pgentry_t *map_guest_l1e(unsigned long va, mfn_t *l1mfn);
int mod_l1_entry(pgentry_t *p, pgentry_t ne, struct vcpu *pt_vcpu, struct domain *pg_dom,
                 bool preserve_ad);
long pv_new_guest_cr3(mfn_t mfn);
/* Slot 256 (read-only M2P) of an L4 becoming a kernel or user base. */
void pv_l4_ro_mpt(const struct domain *d, mfn_t l4, bool kernel);

/* Descriptor tables, LDT (pv/descriptor.c, pv/callback.c). */
bool check_descriptor(uint32_t *a, uint32_t *b);
mfn_t pv_zero_page_mfn(void);
void pv_zero_page_init(void);
long pv_set_ldt(struct vcpu *v, unsigned long base, unsigned int ents);
void pv_destroy_ldt_mappings(struct vcpu *v);

/* vCPU state (pv/callback.c, pv/emul_priv.c, pv/vcpu_ctx.c). */
long pv_set_debugreg(struct vcpu *v, unsigned int reg, unsigned long value);
long pv_get_debugreg(struct vcpu *v, unsigned int reg);
unsigned long pv_guest_cr4(const struct vcpu *v);
/* The CR4 bits a PV guest controls, and the real CR4 while v runs. */
unsigned long pv_cr4_guest_mask(void);
unsigned long pv_real_cr4(const struct vcpu *v);
struct vcpu_guest_context;
long arch_set_info_guest(struct vcpu *v, struct vcpu_guest_context *c);


/* The M2P (m2p.c) and boot-time memory set-up (mm.c). */
void m2p_init(void);
unsigned long get_gpfn_from_mfn(mfn_t mfn);
struct boot_info;
void arch_setup_pagetables(struct boot_info *bi);
void arch_mm_late_init(void);
void time_init(void);
__noreturn void reset_stack_and_jump(void (*fn)(void));

#endif
