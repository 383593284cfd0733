/*
 * Loading a parsed kernel into guest memory: each loadable segment's file
 * bytes go to its p_paddr, the rest up to p_memsz is zeroed (Xen's
 * elf_load_binary). Guest memory is reached only through the caller's map
 * callback, one 4 KiB frame (or less) at a time, so nothing is written
 * outside what the caller says the guest owns.
 */
#include <pavise/elf.h>
#include "kimage.h"

#define FRAME_SIZE      4096ULL

typedef unsigned long long ull;

/* Copy len bytes from src (or zeros if src is NULL) to guest paddr. */
static int put_guest(const struct elf_dest *dest, uint64_t paddr, const uint8_t *src, uint64_t len,
                     unsigned int seg, char *err, size_t errlen)
{
    while (len) {
        uint64_t chunk = MIN(len, FRAME_SIZE - (paddr & (FRAME_SIZE - 1)));
        uint8_t *p = dest->map(dest->ctx, paddr, (size_t)chunk);

        if (!p)
            return kimage_fail(err, errlen, ELF_EFAULT,
                               "segment %u: guest-physical %#llx+%#llx is not guest memory", seg,
                               (ull)paddr, (ull)chunk);
        if (src) {
            memcpy(p, src, (size_t)chunk);
            src += chunk;
        } else {
            memset(p, 0, (size_t)chunk);
        }
        paddr += chunk;
        len -= chunk;
    }
    return 0;
}

int elf_load(const struct elf_info *info, const struct elf_dest *dest, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!info->image || !dest || !dest->map)
        return kimage_fail(err, errlen, ELF_EINVAL, "no parsed image or no destination");

    for (unsigned int i = 0; i < info->nr_loads && i < ELF_MAX_LOADS; i++) {
        const struct elf_segment *s = &info->load[i];
        int rc;

        /* elf_parse checked these; a caller-modified info must not make
         * us read outside the image either. */
        if (!range_in(s->offset, s->filesz, info->image_len) || s->filesz > s->memsz ||
            s->memsz > UINT64_MAX - s->paddr)
            return kimage_fail(err, errlen, ELF_EINVAL, "segment %u: inconsistent segment description", i);
        rc = put_guest(dest, s->paddr, info->image + s->offset, s->filesz, i, err, errlen);
        if (rc)
            return rc;
        rc = put_guest(dest, s->paddr + s->filesz, NULL, s->memsz - s->filesz, i, err, errlen);
        if (rc)
            return rc;
    }
    return 0;
}

void *elf_flat_map(void *ctx, uint64_t paddr, size_t len)
{
    const struct elf_flat *f = ctx;

    if (paddr < f->paddr || !range_in(paddr - f->paddr, len, f->size))
        return NULL;
    return f->base + (paddr - f->paddr);
}
