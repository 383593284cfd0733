/* In-memory ELF64 builder for the ELF tests (see test_elf_build.h). */
#include <string.h>
#include <assert.h>
#include "test_elf_build.h"

void tb_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void tb_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void tb_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void tb_note_raw(struct tb_spec *s, const char *owner, uint32_t type, const void *desc, uint32_t size)
{
    assert(s->nnote < TB_MAX_NOTES && size <= 64);
    struct tb_note *n = &s->note[s->nnote++];
    n->owner = owner;
    n->type = type;
    n->descsz = size;
    memcpy(n->desc, desc, size);
}

void tb_note_num(struct tb_spec *s, uint32_t type, uint64_t v, uint32_t size)
{
    uint8_t b[8];

    tb_put64(b, v);
    tb_note_raw(s, "Xen", type, b, size);
}

void tb_note_str(struct tb_spec *s, uint32_t type, const char *str)
{
    tb_note_raw(s, "Xen", type, str, (uint32_t)strlen(str) + 1);
}

void tb_note_del(struct tb_spec *s, uint32_t type)
{
    int j = 0;

    for (int i = 0; i < s->nnote; i++)
        if (strcmp(s->note[i].owner, "Xen") || s->note[i].type != type)
            s->note[j++] = s->note[i];
    s->nnote = j;
}

void tb_linux(struct tb_spec *s)
{
    memset(s, 0, sizeof(*s));
    /* text, data, percpu (vaddr 0, as Linux), init+bss */
    s->seg[0] = (struct tb_seg){ 1, 5, 0x1000000, 0xffffffff81000000, 0x3000, 0x3000, 0x10 };
    s->seg[1] = (struct tb_seg){ 1, 6, 0x1400000, 0xffffffff81400000, 0x1800, 0x2000, 0x40 };
    s->seg[2] = (struct tb_seg){ 1, 6, 0x1402000, 0, 0x800, 0x1000, 0x80 };
    s->seg[3] = (struct tb_seg){ 1, 7, 0x1403000, 0xffffffff81403000, 0x1000, 0x5000, 0xc0 };
    s->nseg = 4;
    s->e_entry = 0x1000000;
    tb_note_str(s, 6, "linux");
    tb_note_str(s, 7, "2.6");
    tb_note_str(s, 5, "xen-3.0");
    tb_note_num(s, 3, 0xffffffff80000000, 8);
    tb_note_num(s, 4, 0, 8);
    tb_note_num(s, 1, 0xffffffff814031c0, 8);
    tb_note_num(s, 15, 0x8000000000, 8);
    tb_note_str(s, 10, "!writable_page_tables|pae_pgdir_above_4gb");
    tb_note_num(s, 17, 0x8801, 4);
    tb_note_str(s, 9, "yes");
    tb_note_str(s, 8, "generic");
    uint8_t l1[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 1 };
    tb_note_raw(s, "Xen", 13, l1, 16);
    tb_note_num(s, 14, 1, 4);
    tb_note_num(s, 16, 1, 4);
    tb_note_num(s, 12, 0xffff800000000000, 8);
    tb_note_num(s, 18, 0x1000850, 4);
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

size_t tb_build(const struct tb_spec *s, uint8_t *buf, size_t max, struct tb_layout *lay)
{
    struct tb_layout l;
    int nph = s->nseg + (s->no_note_segment ? 0 : 1);
    size_t pos;

    memset(&l, 0, sizeof(l));
    memset(buf, 0, max);
    l.phoff = 64;
    pos = l.phoff + (size_t)nph * 56;

    /* Notes: 12-byte header, name and desc each padded to 4. */
    pos = align_up(pos, 8);
    l.notes_off = pos;
    for (int i = 0; i < s->nnote; i++) {
        const struct tb_note *n = &s->note[i];
        uint32_t namesz = (uint32_t)strlen(n->owner) + 1;

        assert(pos + 12 + align_up(namesz, 4) + align_up(n->descsz, 4) <= max);
        l.note_off[i] = pos;
        tb_put32(buf + pos, namesz);
        tb_put32(buf + pos + 4, n->descsz);
        tb_put32(buf + pos + 8, n->type);
        memcpy(buf + pos + 12, n->owner, namesz);
        pos += 12 + align_up(namesz, 4);
        memcpy(buf + pos, n->desc, n->descsz);
        pos += align_up(n->descsz, 4);
    }
    l.notes_len = pos - l.notes_off;

    for (int i = 0; i < s->nseg; i++) {
        pos = align_up(pos, 16);
        l.seg_off[i] = pos;
        assert(pos + s->seg[i].filesz <= max);
        for (uint64_t k = 0; k < s->seg[i].filesz; k++)
            buf[pos + k] = (uint8_t)(s->seg[i].fill + k);
        pos += s->seg[i].filesz;
    }

    l.note_phdr = -1;
    for (int i = 0; i < nph; i++) {
        uint8_t *ph = buf + l.phoff + 56 * (size_t)i;
        if (i < s->nseg) {
            const struct tb_seg *g = &s->seg[i];
            tb_put32(ph, g->type);
            tb_put32(ph + 4, g->flags);
            tb_put64(ph + 8, l.seg_off[i]);
            tb_put64(ph + 16, g->vaddr);
            tb_put64(ph + 24, g->paddr);
            tb_put64(ph + 32, g->filesz);
            tb_put64(ph + 40, g->memsz);
            tb_put64(ph + 48, 0x1000);
        } else {
            l.note_phdr = i;
            tb_put32(ph, 4);
            tb_put32(ph + 4, 4);
            tb_put64(ph + 8, l.notes_off);
            tb_put64(ph + 32, l.notes_len);
            tb_put64(ph + 40, l.notes_len);
            tb_put64(ph + 48, 4);
        }
    }

    if (s->with_sections || s->no_note_segment) {
        pos = align_up(pos, 8);
        l.shoff = pos;
        assert(pos + 128 <= max);
        uint8_t *sh = buf + pos + 64;
        tb_put32(sh + 4, 7);
        tb_put64(sh + 24, l.notes_off);
        tb_put64(sh + 32, l.notes_len);
        tb_put64(sh + 48, 4);
        pos += 128;
    }

    memcpy(buf, "\177ELF", 4);
    buf[4] = 2;
    buf[5] = 1;
    buf[6] = 1;
    tb_put16(buf + 16, 2);
    tb_put16(buf + 18, 62);
    tb_put32(buf + 20, 1);
    tb_put64(buf + 24, s->e_entry);
    tb_put64(buf + 32, l.phoff);
    tb_put64(buf + 40, l.shoff);
    tb_put16(buf + 52, 64);
    tb_put16(buf + 54, 56);
    tb_put16(buf + 56, (uint16_t)nph);
    tb_put16(buf + 58, l.shoff ? 64 : 0);
    tb_put16(buf + 60, l.shoff ? 2 : 0);
    l.len = pos;
    if (lay)
        *lay = l;
    return pos;
}
