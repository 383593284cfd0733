/*
 * The one table of hypercalls. Each line: number, name, arguments (their
 * C types, in register order rdi, rsi, rdx, r10, r8). Dispatch, the
 * argument decoding and the handler prototypes are all derived from it
 * (common/hypercall.c). A number missing here returns -ENOSYS.
 *
 *   HC<n>(number, name, types...)  -> long do_<name>(types...)
 */
HC1(__HYPERVISOR_set_trap_table,        set_trap_table,    struct trap_info *)
HC4(__HYPERVISOR_mmu_update,            mmu_update,        struct mmu_update *, unsigned int, unsigned int *, unsigned int)
HC2(__HYPERVISOR_set_gdt,               set_gdt,           unsigned long *, unsigned int)
HC2(__HYPERVISOR_stack_switch,          stack_switch,      unsigned long, unsigned long)
HC3(__HYPERVISOR_set_callbacks,         set_callbacks,     unsigned long, unsigned long, unsigned long)
HC1(__HYPERVISOR_fpu_taskswitch,        fpu_taskswitch,    int)
HC2(__HYPERVISOR_sched_op_compat,       sched_op_compat,   int, unsigned long)
HC1(__HYPERVISOR_platform_op,           platform_op,       void *)
HC2(__HYPERVISOR_set_debugreg,          set_debugreg,      int, unsigned long)
HC1(__HYPERVISOR_get_debugreg,          get_debugreg,      int)
HC2(__HYPERVISOR_update_descriptor,     update_descriptor, uint64_t, uint64_t)
HC2(__HYPERVISOR_memory_op,             memory_op,         unsigned long, void *)
HC2(__HYPERVISOR_multicall,             multicall,         struct multicall_entry *, unsigned int)
HC3(__HYPERVISOR_update_va_mapping,     update_va_mapping, unsigned long, uint64_t, unsigned long)
HC1(__HYPERVISOR_set_timer_op,          set_timer_op,      uint64_t)
HC1(__HYPERVISOR_event_channel_op_compat, event_channel_op_compat, void *)
HC2(__HYPERVISOR_xen_version,           xen_version,       int, void *)
HC3(__HYPERVISOR_console_io,            console_io,        int, unsigned int, char *)
HC1(__HYPERVISOR_physdev_op_compat,     physdev_op_compat, void *)
HC3(__HYPERVISOR_grant_table_op,        grant_table_op,    unsigned int, void *, unsigned int)
HC2(__HYPERVISOR_vm_assist,             vm_assist,         unsigned int, unsigned int)
HC4(__HYPERVISOR_update_va_mapping_otherdomain, update_va_mapping_otherdomain,
    unsigned long, uint64_t, unsigned long, domid_t)
HC0(__HYPERVISOR_iret,                  iret)
HC3(__HYPERVISOR_vcpu_op,               vcpu_op,           int, unsigned int, void *)
HC2(__HYPERVISOR_set_segment_base,      set_segment_base,  unsigned int, unsigned long)
HC4(__HYPERVISOR_mmuext_op,             mmuext_op,         struct mmuext_op *, unsigned int, unsigned int *, unsigned int)
HC2(__HYPERVISOR_nmi_op,                nmi_op,            unsigned int, void *)
HC2(__HYPERVISOR_sched_op,              sched_op,          int, void *)
HC2(__HYPERVISOR_callback_op,           callback_op,       int, void *)
HC2(__HYPERVISOR_event_channel_op,      event_channel_op,  int, void *)
HC2(__HYPERVISOR_physdev_op,            physdev_op,        int, void *)
HC2(__HYPERVISOR_xenpmu_op,             xenpmu_op,         unsigned int, void *)
HC1(__HYPERVISOR_arch_0,               mca,               void *)
