/* Private interfaces between elf_parse.c, elf_notes.c and elf_xen.c. */
#ifndef PAVISE_COMMON_ELF_ELF_XEN_H
#define PAVISE_COMMON_ELF_ELF_XEN_H

#include <pavise/elf.h>

/* Walk PT_NOTE segments, then (if they held no Xen note) SHT_NOTE sections,
 * recording every Xen note in info->notes and the feature bitmaps. */
int elf_xen_collect_notes(struct elf_info *info, char *err, size_t errlen);

/* elf_xen_note_check: a Xen-ELF image for the generic loader or Linux,
 * built for Xen 3.0 or later. */
int elf_xen_check_notes(struct elf_info *info, char *err, size_t errlen);

/* elf_xen_addr_calc_check: defaults, kernel VA range, entry, p2m. */
int elf_xen_calc_addresses(struct elf_info *info, char *err, size_t errlen);

#endif
