/* Building small ELF64 kernel images in memory for the ELF tests. */
#ifndef TEST_ELF_BUILD_H
#define TEST_ELF_BUILD_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define TB_MAX_SEGS     20
#define TB_MAX_NOTES    40

struct tb_note {
    const char *owner;          /* "Xen" */
    uint32_t type;
    uint32_t descsz;
    uint8_t desc[64];
};

struct tb_seg {
    uint32_t type, flags;
    uint64_t paddr, vaddr, filesz, memsz;
    uint8_t fill;               /* file bytes are fill, fill+1, ... */
};

struct tb_spec {
    uint64_t e_entry;
    int nseg;
    struct tb_seg seg[TB_MAX_SEGS];
    int nnote;
    struct tb_note note[TB_MAX_NOTES];
    bool no_note_segment;       /* notes only in an SHT_NOTE section */
    bool with_sections;         /* emit a section table (null + SHT_NOTE) */
};

/* Where things went, for tests that corrupt them. */
struct tb_layout {
    size_t len;
    size_t phoff, shoff;
    size_t notes_off, notes_len;
    int note_phdr;              /* index of the PT_NOTE header, -1 if none */
    size_t note_off[TB_MAX_NOTES];
    size_t seg_off[TB_MAX_SEGS];
};

/* A kernel shaped like Debian's Linux 6.1 (notes as in the checklist,
 * segments scaled down). */
void tb_linux(struct tb_spec *s);
void tb_note_num(struct tb_spec *s, uint32_t type, uint64_t v, uint32_t size);
void tb_note_str(struct tb_spec *s, uint32_t type, const char *str);
void tb_note_raw(struct tb_spec *s, const char *owner, uint32_t type, const void *desc, uint32_t size);
/* Remove every note of a type. */
void tb_note_del(struct tb_spec *s, uint32_t type);
size_t tb_build(const struct tb_spec *s, uint8_t *buf, size_t max, struct tb_layout *lay);

void tb_put16(uint8_t *p, uint16_t v);
void tb_put32(uint8_t *p, uint32_t v);
void tb_put64(uint8_t *p, uint64_t v);

#endif
