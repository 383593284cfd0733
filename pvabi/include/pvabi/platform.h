/*
 * Xen 4.17 public ABI: platform operations of the hardware domain
 * (firmware information, power management, physical CPUs, wall clock).
 * Only the commands a Linux dom0 issues are described.
 *
 * HYPERVISOR_platform_op(struct xen_platform_op *op)
 *   In:  cmd  XENPF_*; interface_version  XENPF_INTERFACE_VERSION; the
 *        union member of that command.
 *   Errors common to all: -EPERM not the hardware domain; -EACCES wrong
 *   interface_version; -ENOSYS unknown cmd; -EFAULT op unreadable or the
 *   result cannot be written back.
 *
 * Pavise's own definitions; names and layout follow Xen's
 * public/platform.h. Checked against /usr/include/xen at build time.
 */
#ifndef PVABI_PLATFORM_H
#define PVABI_PLATFORM_H

#include "xen.h"

#define XENPF_INTERFACE_VERSION 0x03000001

/*
 * XENPF_settime32, XENPF_settime64: set the wall clock: @secs.@nsecs was
 * the time at system time @system_time. settime64's mbz must be zero.
 * Errors: -EINVAL mbz not zero.
 */
#define XENPF_settime32           17
#define XENPF_settime64           62
#define XENPF_settime XENPF_settime64
#define xenpf_settime xenpf_settime64

#ifndef __ASSEMBLER__
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
typedef struct xenpf_settime32 xenpf_settime32_t;

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;
typedef struct xenpf_settime xenpf_settime_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_settime_t);
#endif

/* XENPF_microcode_update: load @length bytes of microcode on all CPUs.
 * Errors: -EINVAL bad blob; -EBUSY an update is in progress. */
#define XENPF_microcode_update    35

#ifndef __ASSEMBLER__
struct xenpf_microcode_update {
    XEN_GUEST_HANDLE(const_void) data;
    uint32_t length;
};
typedef struct xenpf_microcode_update xenpf_microcode_update_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_microcode_update_t);
#endif

/*
 * XENPF_efi_runtime_call: run an EFI runtime service (@function
 * XEN_EFI_*) for dom0. Out: status  the EFI status. Errors: -ENOSYS not
 * booted by EFI or runtime services disabled; -EINVAL bad function/flags.
 */
#define XENPF_efi_runtime_call    49
#define XEN_EFI_get_time                      1
#define XEN_EFI_set_time                      2
#define XEN_EFI_get_wakeup_time               3
#define XEN_EFI_set_wakeup_time               4
#define XEN_EFI_get_next_high_monotonic_count 5
#define XEN_EFI_get_variable                  6
#define XEN_EFI_set_variable                  7
#define XEN_EFI_get_next_variable_name        8
#define XEN_EFI_query_variable_info           9
#define XEN_EFI_query_capsule_capabilities   10
#define XEN_EFI_update_capsule               11

#ifndef __ASSEMBLER__
struct xenpf_efi_time {
    uint16_t year;
    uint8_t month;
    uint8_t day;
    uint8_t hour;
    uint8_t min;
    uint8_t sec;
    uint32_t ns;
    int16_t tz;
    uint8_t daylight;
};

struct xenpf_efi_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
};

struct xenpf_efi_runtime_call {
    uint32_t function;                  /* XEN_EFI_*                       */
    uint32_t misc;                      /* per-function flags, or the      */
                                        /* monotonic count (out)           */
    xen_ulong_t status;                 /* out: EFI status                 */
    union {
#define XEN_EFI_GET_TIME_SET_CLEARS_NS 0x00000001
        struct {
            struct xenpf_efi_time time;
            uint32_t resolution;
            uint32_t accuracy;
        } get_time;

        struct xenpf_efi_time set_time;

#define XEN_EFI_GET_WAKEUP_TIME_ENABLED 0x00000001
#define XEN_EFI_GET_WAKEUP_TIME_PENDING 0x00000002
        struct xenpf_efi_time get_wakeup_time;

#define XEN_EFI_SET_WAKEUP_TIME_ENABLE      0x00000001
#define XEN_EFI_SET_WAKEUP_TIME_ENABLE_ONLY 0x00000002
        struct xenpf_efi_time set_wakeup_time;

#define XEN_EFI_VARIABLE_NON_VOLATILE       0x00000001
#define XEN_EFI_VARIABLE_BOOTSERVICE_ACCESS 0x00000002
#define XEN_EFI_VARIABLE_RUNTIME_ACCESS     0x00000004
        struct {
            XEN_GUEST_HANDLE(void) name;        /* UCS-2 string */
            xen_ulong_t size;
            XEN_GUEST_HANDLE(void) data;
            struct xenpf_efi_guid vendor_guid;
        } get_variable, set_variable;

        struct {
            xen_ulong_t size;
            XEN_GUEST_HANDLE(void) name;        /* UCS-2 string */
            struct xenpf_efi_guid vendor_guid;
        } get_next_variable_name;

#define XEN_EFI_VARINFO_BOOT_SNAPSHOT       0x00000001
        struct {
            uint32_t attr;
            uint64_t max_store_size;
            uint64_t remain_store_size;
            uint64_t max_size;
        } query_variable_info;

        struct {
            XEN_GUEST_HANDLE(void) capsule_header_array;
            xen_ulong_t capsule_count;
            uint64_t max_capsule_size;
            uint32_t reset_type;
        } query_capsule_capabilities;

        struct {
            XEN_GUEST_HANDLE(void) capsule_header_array;
            xen_ulong_t capsule_count;
            uint64_t sg_list;                   /* machine address */
        } update_capsule;
    } u;
};
typedef struct xenpf_efi_runtime_call xenpf_efi_runtime_call_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_efi_runtime_call_t);
#endif

/*
 * XENPF_firmware_info: what the boot firmware told the hypervisor.
 * In:  type XEN_FW_*, index (disk number, EFI sub-type ...).
 * Out: the union member of that type.
 * Errors: -ESRCH no such item (e.g. index past the last disk, or not an
 *         EFI boot); -EINVAL unknown type.
 */
#define XENPF_firmware_info       50
#define XEN_FW_DISK_INFO          1     /* int 13h AH=08/41/48           */
#define XEN_FW_DISK_MBR_SIGNATURE 2     /* MBR offset 0x1b8              */
#define XEN_FW_VBEDDC_INFO        3     /* int 10h AX=4f15               */
#define XEN_FW_EFI_INFO           4     /* from EFI; index XEN_FW_EFI_*  */
#define  XEN_FW_EFI_VERSION        0
#define  XEN_FW_EFI_CONFIG_TABLE   1
#define  XEN_FW_EFI_VENDOR         2
#define  XEN_FW_EFI_MEM_INFO       3
#define  XEN_FW_EFI_RT_VERSION     4
#define  XEN_FW_EFI_PCI_ROM        5
#define  XEN_FW_EFI_APPLE_PROPERTIES 6
#define XEN_FW_KBD_SHIFT_FLAGS    5     /* int 16h AH=02                 */

#ifndef __ASSEMBLER__
struct xenpf_firmware_info {
    uint32_t type;                      /* in: XEN_FW_* */
    uint32_t index;                     /* in           */
    union {
        struct {
            uint8_t device;                     /* BIOS drive number       */
            uint8_t version;                    /* EDD major version       */
            uint16_t interface_support;         /* EDD support bitmap      */
            uint16_t legacy_max_cylinder;
            uint8_t legacy_max_head;
            uint8_t legacy_sectors_per_track;
            /* fn 41h parameters; the first u16 must hold the buffer size */
            XEN_GUEST_HANDLE(void) edd_params;
        } disk_info;                            /* XEN_FW_DISK_INFO         */
        struct {
            uint8_t device;
            uint32_t mbr_signature;
        } disk_mbr_signature;                   /* XEN_FW_DISK_MBR_SIGNATURE */
        struct {
            uint8_t capabilities;
            uint8_t edid_transfer_time;
            XEN_GUEST_HANDLE(uint8) edid;       /* 128-byte buffer          */
        } vbeddc_info;                          /* XEN_FW_VBEDDC_INFO       */
        union xenpf_efi_info {
            uint32_t version;
            struct {
                uint64_t addr;                  /* EFI configuration table */
                uint32_t nent;
            } cfg;
            struct {
                uint32_t revision;
                uint32_t bufsz;                 /* in: bytes               */
                XEN_GUEST_HANDLE(void) name;    /* UCS-2 string            */
            } vendor;
            struct {
                uint64_t addr;
                uint64_t size;
                uint64_t attr;
                uint32_t type;
            } mem;
            struct {
                uint16_t segment;               /* in  */
                uint8_t bus;                    /* in  */
                uint8_t devfn;                  /* in  */
                uint16_t vendor;                /* in  */
                uint16_t devid;                 /* in  */
                uint64_t address;               /* out */
                xen_ulong_t size;               /* out */
            } pci_rom;
            struct {
                uint64_t address;
                xen_ulong_t size;
            } apple_properties;
        } efi_info;                             /* XEN_FW_EFI_INFO          */
        uint8_t kbd_shift_flags;                /* XEN_FW_KBD_SHIFT_FLAGS   */
    } u;                                /* out */
};
typedef struct xenpf_firmware_info xenpf_firmware_info_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_firmware_info_t);
#endif

/*
 * XENPF_enter_acpi_sleep: enter ACPI sleep state @sleep_state with the
 * PM1a/PM1b values (or sleep types with XENPF_ACPI_SLEEP_EXTENDED). For S5
 * the machine powers off. Errors: -EINVAL bad state or flags; -EPERM.
 */
#define XENPF_enter_acpi_sleep    51

#ifndef __ASSEMBLER__
struct xenpf_enter_acpi_sleep {
    uint16_t val_a;             /* PM1a control value / sleep type A */
    uint16_t val_b;             /* PM1b control value / sleep type B */
    uint32_t sleep_state;       /* Sn                                 */
#define XENPF_ACPI_SLEEP_EXTENDED 0x00000001
    uint32_t flags;             /* XENPF_ACPI_SLEEP_*                 */
};
typedef struct xenpf_enter_acpi_sleep xenpf_enter_acpi_sleep_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_enter_acpi_sleep_t);
#endif

/*
 * XENPF_set_processor_pminfo: ACPI power-management data for physical
 * CPU @id (C-states, P-states, or _PDC capability bits).
 * Errors: -EINVAL bad type or data; -ENOSYS no cpufreq/cpuidle driver.
 */
#define XENPF_set_processor_pminfo      54

/* capability bits */
#define XEN_PROCESSOR_PM_CX	1
#define XEN_PROCESSOR_PM_PX	2
#define XEN_PROCESSOR_PM_TX	4

/* type */
#define XEN_PM_CX   0
#define XEN_PM_PX   1
#define XEN_PM_TX   2
#define XEN_PM_PDC  3

/* which P-state data is present (xen_processor_performance.flags) */
#define XEN_PX_PCT   1
#define XEN_PX_PSS   2
#define XEN_PX_PPC   4
#define XEN_PX_PSD   8

#ifndef __ASSEMBLER__
struct xen_power_register {             /* an ACPI generic address */
    uint32_t     space_id;
    uint32_t     bit_width;
    uint32_t     bit_offset;
    uint32_t     access_size;
    uint64_t     address;
};

struct xen_processor_csd {
    uint32_t    domain;         /* dependency domain            */
    uint32_t    coord_type;     /* coordination type            */
    uint32_t    num;            /* processors in the domain     */
};
typedef struct xen_processor_csd xen_processor_csd_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_csd_t);

struct xen_processor_cx {
    struct xen_power_register  reg;     /* how to enter the C-state     */
    uint8_t     type;                   /* C-state number               */
    uint32_t    latency;                /* worst-case entry/exit, us    */
    uint32_t    power;                  /* average power, mW            */
    uint32_t    dpcnt;                  /* entries in dp                */
    XEN_GUEST_HANDLE(xen_processor_csd_t) dp;
};
typedef struct xen_processor_cx xen_processor_cx_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_cx_t);

struct xen_processor_flags {
    uint32_t bm_control:1;
    uint32_t bm_check:1;
    uint32_t has_cst:1;
    uint32_t power_setup_done:1;
    uint32_t bm_rld_set:1;
};

struct xen_processor_power {
    uint32_t count;                     /* entries in states            */
    struct xen_processor_flags flags;
    XEN_GUEST_HANDLE(xen_processor_cx_t) states;
};

struct xen_pct_register {
    uint8_t  descriptor;
    uint16_t length;
    uint8_t  space_id;
    uint8_t  bit_width;
    uint8_t  bit_offset;
    uint8_t  reserved;
    uint64_t address;
};

struct xen_processor_px {
    uint64_t core_frequency;            /* MHz                          */
    uint64_t power;                     /* mW                           */
    uint64_t transition_latency;        /* us                           */
    uint64_t bus_master_latency;        /* us                           */
    uint64_t control;
    uint64_t status;
};
typedef struct xen_processor_px xen_processor_px_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_px_t);

struct xen_psd_package {
    uint64_t num_entries;
    uint64_t revision;
    uint64_t domain;
    uint64_t coord_type;
    uint64_t num_processors;
};

struct xen_processor_performance {
    uint32_t flags;                     /* XEN_PX_*                     */
    uint32_t platform_limit;            /* _PPC                         */
    struct xen_pct_register control_register;
    struct xen_pct_register status_register;
    uint32_t state_count;               /* entries in states            */
    XEN_GUEST_HANDLE(xen_processor_px_t) states;
    struct xen_psd_package domain_info;
#define XEN_CPUPERF_SHARED_TYPE_HW   1  /* hardware coordinates          */
#define XEN_CPUPERF_SHARED_TYPE_ALL  2  /* all dependent CPUs set it     */
#define XEN_CPUPERF_SHARED_TYPE_ANY  3  /* any dependent CPU may set it  */
    uint32_t shared_type;
};
typedef struct xen_processor_performance xen_processor_performance_t;
DEFINE_XEN_GUEST_HANDLE(xen_processor_performance_t);

struct xenpf_set_processor_pminfo {
    uint32_t id;                        /* ACPI processor id            */
    uint32_t type;                      /* XEN_PM_*                     */
    union {
        struct xen_processor_power          power;  /* _CST/_CSD       */
        struct xen_processor_performance    perf;   /* _PPC/_PCT/_PSS/_PSD */
        XEN_GUEST_HANDLE(uint32)            pdc;    /* _PDC            */
    } u;
};
typedef struct xenpf_set_processor_pminfo xenpf_set_processor_pminfo_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_set_processor_pminfo_t);
#endif

/*
 * XENPF_get_cpuinfo: about physical CPU @xen_cpuid.
 * Out: max_present  the highest present CPU id; flags XEN_PCPU_FLAGS_*;
 *      apic_id, acpi_id. Errors: -EINVAL xen_cpuid out of range.
 */
#define XENPF_get_cpuinfo 55

#ifndef __ASSEMBLER__
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;                 /* in  */
    uint32_t max_present;               /* out */
#define XEN_PCPU_FLAGS_ONLINE   1
#define XEN_PCPU_FLAGS_INVALID  2       /* xen_cpuid is not present      */
    uint32_t flags;                     /* out */
    uint32_t apic_id;                   /* out */
    uint32_t acpi_id;                   /* out */
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_pcpuinfo_t);
#endif

/* XENPF_get_cpu_version: vendor, family, model and stepping of physical
 * CPU @xen_cpuid. */
#define XENPF_get_cpu_version 48

#ifndef __ASSEMBLER__
struct xenpf_pcpu_version {
    uint32_t xen_cpuid;                 /* in  */
    uint32_t max_present;               /* out */
    char vendor_id[12];                 /* out */
    uint32_t family;                    /* out */
    uint32_t model;                     /* out */
    uint32_t stepping;                  /* out */
};
typedef struct xenpf_pcpu_version xenpf_pcpu_version_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_pcpu_version_t);
#endif

/* XENPF_cpu_online, XENPF_cpu_offline: bring physical CPU @cpuid up or
 * down. Errors: -EINVAL bad cpu; -EBUSY; -EOPNOTSUPP for CPU 0. */
#define XENPF_cpu_online    56
#define XENPF_cpu_offline   57

#ifndef __ASSEMBLER__
struct xenpf_cpu_ol {
    uint32_t cpuid;
};
typedef struct xenpf_cpu_ol xenpf_cpu_ol_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_cpu_ol_t);
#endif

/* XENPF_core_parking: set (XEN_CORE_PARKING_SET) or read (_GET) how many
 * physical CPUs are kept idle. */
#define XENPF_core_parking  60

#define XEN_CORE_PARKING_SET 1
#define XEN_CORE_PARKING_GET 2

#ifndef __ASSEMBLER__
struct xenpf_core_parking {
    uint32_t type;                      /* in: XEN_CORE_PARKING_*        */
    uint32_t idle_nums;                 /* in (SET) / out (GET)          */
};
typedef struct xenpf_core_parking xenpf_core_parking_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_core_parking_t);
#endif

/*
 * XENPF_get_symbol: the hypervisor's symbol @symnum.
 * In:  namelen  size of name; symnum.
 * Out: namelen  the full name length; symnum  the next symbol (unchanged
 *      at the end); name, address, type.
 */
#define XENPF_get_symbol   63

#ifndef __ASSEMBLER__
struct xenpf_symdata {
    uint32_t namelen;                   /* in/out */
    uint32_t symnum;                    /* in/out */
    XEN_GUEST_HANDLE(char) name;        /* out    */
    uint64_t address;                   /* out    */
    char type;                          /* out    */
};
typedef struct xenpf_symdata xenpf_symdata_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_symdata_t);

/* The argument of HYPERVISOR_platform_op (136 bytes). */
struct xen_platform_op {
    uint32_t cmd;                       /* XENPF_*                   */
    uint32_t interface_version;         /* XENPF_INTERFACE_VERSION   */
    union {
        xenpf_settime_t               settime;
        xenpf_settime32_t             settime32;
        xenpf_settime64_t             settime64;
        xenpf_microcode_update_t      microcode;
        xenpf_efi_runtime_call_t      efi_runtime_call;
        xenpf_firmware_info_t         firmware_info;
        xenpf_enter_acpi_sleep_t      enter_acpi_sleep;
        xenpf_set_processor_pminfo_t  set_pminfo;
        xenpf_pcpuinfo_t              pcpu_info;
        xenpf_pcpu_version_t          pcpu_version;
        xenpf_cpu_ol_t                cpu_ol;
        xenpf_core_parking_t          core_parking;
        xenpf_symdata_t               symdata;
        uint8_t                       pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_platform_op_t);
#endif

#endif /* PVABI_PLATFORM_H */
