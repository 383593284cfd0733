/*
 * Link the image at its high virtual address (L4 slot 261) and load it at
 * HV_PHYS_START. One PT_LOAD covers text..data so the multiboot a.out
 * kludge (load_addr..load_end_addr) can read it as one block from the file.
 * The kernel symbol table (for backtraces) sits after .data so that its
 * size never moves code: the two link passes give identical text addresses.
 */
#include <asm/config.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(start_phys)

PHDRS { image PT_LOAD FLAGS(7); }

SECTIONS
{
  . = HV_IMAGE_VIRT_START + HV_PHYS_START;
  __image_start = .;
  .text : AT(ADDR(.text) - HV_VIRT_OFFSET) {
    KEEP(*(.text.head))
    *(.text.entry)
    *(.text .text.*)
  } :image
  . = ALIGN(4096);
  __text_end = .;
  .rodata : AT(ADDR(.rodata) - HV_VIRT_OFFSET) {
    *(.rodata .rodata.*)
    . = ALIGN(8);
    __param_start = .;
    KEEP(*(.param))
    __param_end = .;
    . = ALIGN(8);
    __ex_table_start = .;
    KEEP(*(.ex_table))
    __ex_table_end = .;
  } :image
  .note : AT(ADDR(.note) - HV_VIRT_OFFSET) { *(.note.gnu.build-id) } :image
  . = ALIGN(4096);
  __rodata_end = .;
  .data : AT(ADDR(.data) - HV_VIRT_OFFSET) {
    *(.data.page_aligned)
    *(.data .data.*)
  } :image
  .symtab_pv : AT(ADDR(.symtab_pv) - HV_VIRT_OFFSET) {
    *(.symtab_pv .symtab_pv.*)
  } :image
  . = ALIGN(4096);
  __load_end = .;
  .bss : AT(ADDR(.bss) - HV_VIRT_OFFSET) {
    __bss_start = .;
    *(.bss.page_aligned)
    *(.bss .bss.* COMMON)
    . = ALIGN(4096);
    __bss_end = .;
  } :image
  __image_end = .;

  start_phys = start_phys_sym - HV_VIRT_OFFSET;

  /DISCARD/ : { *(.comment) *(.eh_frame) *(.note.GNU-stack) *(.note.gnu.property) }
}
