/*
 * ELF64 kernel images: header and program-header validation, then the Xen
 * notes and derived addresses (elf_xen.c). See pavise/elf.h for the rules.
 *
 * Everything is read byte-wise from the caller's buffer after a bounds
 * check, so a hostile file cannot make us read outside it whatever its
 * alignment or contents.
 */
#include <pavise/elf.h>
#include "kimage.h"
#include "elf_xen.h"

#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define PN_XNUM         0xffff

#define FAIL(...)       kimage_fail(err, errlen, ELF_EINVAL, __VA_ARGS__)

typedef unsigned long long ull;

static int check_ehdr(const uint8_t *p, size_t len, char *err, size_t errlen)
{
    if (len < ELF_EHDR_SIZE)
        return FAIL("image too small for an ELF header (%zu bytes)", len);
    if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F')
        return FAIL("not an ELF image (bad magic)");
    if (p[EI_CLASS] != ELFCLASS64)
        return FAIL("not a 64-bit ELF image (class %u)", p[EI_CLASS]);
    if (p[EI_DATA] != ELFDATA2LSB)
        return FAIL("not a little-endian ELF image (data encoding %u)", p[EI_DATA]);
    if (p[EI_VERSION] != EV_CURRENT || get_le32(p + 20) != EV_CURRENT)
        return FAIL("unknown ELF version %u/%u", p[EI_VERSION], get_le32(p + 20));
    if (get_le16(p + 16) != ET_EXEC)
        return FAIL("not an executable ELF image (e_type %u)", get_le16(p + 16));
    if (get_le16(p + 18) != EM_X86_64)
        return FAIL("not an x86-64 ELF image (e_machine %u)", get_le16(p + 18));
    if (get_le16(p + 52) < ELF_EHDR_SIZE)
        return FAIL("bad e_ehsize %u", get_le16(p + 52));

    uint64_t phoff = get_le64(p + 32), shoff = get_le64(p + 40);
    unsigned int phentsize = get_le16(p + 54), phnum = get_le16(p + 56);
    unsigned int shentsize = get_le16(p + 58), shnum = get_le16(p + 60);

    if (phnum == 0)
        return FAIL("no program headers");
    if (phnum == PN_XNUM)
        return FAIL("extended program header numbering is not supported");
    if (phentsize != ELF_PHDR_SIZE)
        return FAIL("bad e_phentsize %u (want %u)", phentsize, ELF_PHDR_SIZE);
    if (!range_in(phoff, (uint64_t)phnum * ELF_PHDR_SIZE, len))
        return FAIL("program headers (offset %#llx, %u entries) extend past the end of the file (%zu bytes)",
                    (ull)phoff, phnum, len);
    if (shnum != 0) {
        if (shentsize != ELF_SHDR_SIZE)
            return FAIL("bad e_shentsize %u (want %u)", shentsize, ELF_SHDR_SIZE);
        if (!range_in(shoff, (uint64_t)shnum * ELF_SHDR_SIZE, len))
            return FAIL("section headers (offset %#llx, %u entries) extend past the end of the file (%zu bytes)",
                        (ull)shoff, shnum, len);
    }
    return 0;
}

/* Xen loads PT_LOAD segments with at least one of R/W/X (elf_phdr_is_loadable). */
static int collect_loads(struct elf_info *info, char *err, size_t errlen)
{
    const uint8_t *img = info->image;
    uint64_t phoff = get_le64(img + 32);
    unsigned int phnum = get_le16(img + 56);

    info->pstart = UINT64_MAX;
    info->pend = 0;
    for (unsigned int i = 0; i < phnum; i++) {
        const uint8_t *ph = img + phoff + (uint64_t)i * ELF_PHDR_SIZE;
        uint32_t flags = get_le32(ph + 4);

        if (get_le32(ph) != PT_LOAD || !(flags & (PF_R | PF_W | PF_X)))
            continue;
        if (info->nr_loads == ELF_MAX_LOADS)
            return FAIL("more than %u loadable segments", ELF_MAX_LOADS);

        struct elf_segment *s = &info->load[info->nr_loads];
        s->offset = get_le64(ph + 8);
        s->vaddr = get_le64(ph + 16);
        s->paddr = get_le64(ph + 24);
        s->filesz = get_le64(ph + 32);
        s->memsz = get_le64(ph + 40);
        s->flags = flags & (PF_R | PF_W | PF_X);

        if (!range_in(s->offset, s->filesz, info->image_len))
            return FAIL("segment %u: file range %#llx+%#llx extends past the end of the file (%zu bytes)",
                        i, (ull)s->offset, (ull)s->filesz, info->image_len);
        if (s->filesz > s->memsz)
            return FAIL("segment %u: p_filesz %#llx exceeds p_memsz %#llx", i, (ull)s->filesz, (ull)s->memsz);
        if (s->memsz > UINT64_MAX - s->paddr)
            return FAIL("segment %u: paddr range %#llx+%#llx wraps around", i, (ull)s->paddr, (ull)s->memsz);
        if (s->memsz > UINT64_MAX - s->vaddr)
            return FAIL("segment %u: vaddr range %#llx+%#llx wraps around", i, (ull)s->vaddr, (ull)s->memsz);
        for (unsigned int j = 0; j < info->nr_loads && s->memsz; j++) {
            const struct elf_segment *o = &info->load[j];

            if (o->memsz && s->paddr < o->paddr + o->memsz && o->paddr < s->paddr + s->memsz)
                return FAIL("loadable segments %u and %u overlap (paddr %#llx+%#llx and %#llx+%#llx)",
                            j, info->nr_loads, (ull)o->paddr, (ull)o->memsz, (ull)s->paddr, (ull)s->memsz);
        }
        info->pstart = MIN(info->pstart, s->paddr);
        info->pend = MAX(info->pend, s->paddr + s->memsz);
        info->nr_loads++;
    }
    if (info->nr_loads == 0)
        return FAIL("no loadable segments");
    return 0;
}

int elf_parse(const void *img, size_t len, struct elf_info *info, char *err, size_t errlen)
{
    int rc;

    memset(info, 0, sizeof(*info));
    if (err && errlen)
        err[0] = '\0';
    if (!img)
        return FAIL("no image");
    rc = check_ehdr(img, len, err, errlen);
    if (rc)
        return rc;
    info->image = img;
    info->image_len = len;
    info->e_entry = get_le64(info->image + 24);
    rc = collect_loads(info, err, errlen);
    if (rc)
        return rc;
    rc = elf_xen_collect_notes(info, err, errlen);
    if (rc)
        return rc;
    rc = elf_xen_check_notes(info, err, errlen);
    if (rc)
        return rc;
    return elf_xen_calc_addresses(info, err, errlen);
}
