/*
 * Backtrace symbols. The build links the image twice: the second link adds
 * a table (addresses sorted, names) generated from the first one's text
 * symbols. The table lives after .data, so text addresses do not move.
 */
#include <pavise/lib.h>
#include <pavise/symbols.h>

struct pv_sym {
    unsigned long addr;
    const char *name;
};

/* Weak empty defaults for the first link pass. */
__attribute__((weak)) const struct pv_sym pv_symtab[1];
__attribute__((weak)) const unsigned long pv_symtab_count;
extern const char __image_start[], __text_end[];

const char *symbol_lookup(unsigned long addr, unsigned long *off, unsigned long *size)
{
    unsigned long n = pv_symtab_count;
    unsigned long lo = 0, hi = n;
    const struct pv_sym *tab = pv_symtab;

    /* The real table is longer than the weak placeholder's one entry. */
    __asm__("" : "+r"(tab));

    if (!n || addr < tab[0].addr || addr >= (unsigned long)__text_end)
        return NULL;
    while (hi - lo > 1) {
        unsigned long mid = (lo + hi) / 2;
        if (tab[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *off = addr - tab[lo].addr;
    *size = (lo + 1 < n ? tab[lo + 1].addr : (unsigned long)__text_end) - tab[lo].addr;
    return tab[lo].name;
}

void symbol_format(char *buf, size_t len, unsigned long addr)
{
    unsigned long off, size;
    const char *name = symbol_lookup(addr, &off, &size);
    if (name)
        pv_snprintf(buf, len, "%s+%#lx/%#lx", name, off, size);
    else
        pv_snprintf(buf, len, "%s", "?");
}
