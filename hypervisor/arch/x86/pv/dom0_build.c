/*
 * The boot-time PV domain builder (dom0 and, later, the boot-time domUs):
 * Xen 4.17's start-of-day layout (public xen.h, pv/dom0_build.c):
 *
 *   virt_base (pfn 0) ... kernel ... | p2m list | start_info (+ VGA info)
 *   | [domU: xenstore page, console page] | page tables (read-only)
 *   | stack page | padding to a 4 MiB boundary with >= 512 KiB spare
 *
 * all inside the first GiB above virt_base, mapped with 4 KiB pages; the
 * initrd stays unmapped and is passed by PFN (SIF_MOD_START_PFN) when the
 * kernel allows it. The L4 is validated and pinned; vCPU 0 starts at the
 * ELF ENTRY in guest-kernel mode with rsi = start_info.
 */
#include <pavise/lib.h>
#include <pavise/boot.h>
#include <pavise/bzimage.h>
#include <pavise/console.h>
#include <pavise/domain.h>
#include <pavise/elf.h>
#include <pavise/param.h>
#include <pavise/pagetype.h>
#include <pavise/smp.h>
#include <pavise/xz.h>
#include <pvabi/xen.h>
#include <pvabi/features.h>
#include <asm/page.h>
#include <asm/pv.h>
#include <asm/x86.h>

void set_gpfn_from_mfn(mfn_t mfn, unsigned long pfn);

struct build {
    struct domain *d;
    mfn_t *p2m;                 /* hypervisor copy: pfn -> mfn */
    unsigned long nr_pages;
    uint64_t virt_base;
    uint64_t paddr_offset;
};

static void *pfn_va(struct build *b, unsigned long pfn)
{
    return map_domain_page(b->p2m[pfn]);
}

/* elf_load's destination: guest pseudo-physical -> the frame behind it. */
static void *elf_map(void *ctx, uint64_t paddr, size_t len)
{
    struct build *b = ctx;
    uint64_t pseudo = paddr - b->paddr_offset;
    unsigned long pfn = pseudo >> PAGE_SHIFT;
    if (pfn >= b->nr_pages || ((pseudo + len - 1) >> PAGE_SHIFT) != pfn)
        return NULL;
    return (char *)pfn_va(b, pfn) + (pseudo & (PAGE_SIZE - 1));
}

/* Decompress a bzImage's XZ payload into a heap buffer (freed by caller). */
static const void *unpack_kernel(const void *img, size_t len, size_t *out_len,
                                 struct page_info **buf_pg, unsigned int *buf_order)
{
    struct bzimage_info bi;
    char err[128];

    *buf_pg = NULL;
    if (bzimage_probe(img, len, &bi, err, sizeof(err))) {
        printk(LOG_ERR "builder: bad kernel image: %s\n", err);
        return NULL;
    }
    if (!bi.is_bzimage || bi.format == BZ_PAYLOAD_ELF) {
        *out_len = bi.is_bzimage ? bi.payload_len : len;
        return bi.is_bzimage ? bi.payload : img;
    }
    size_t max = bi.decompressed_size ? bi.decompressed_size : 256UL << 20;
    unsigned int order = 0;
    while (((size_t)PAGE_SIZE << order) < max)
        order++;
    struct page_info *pg = order <= MAX_ORDER ? alloc_heap_pages(order) : NULL;
    struct xz_workspace *ws = xmalloc_bytes(sizeof(*ws));
    if (!pg || !ws) {
        printk(LOG_ERR "builder: no memory to decompress the kernel (%lu MiB)\n", max >> 20);
        if (pg)
            free_heap_pages(pg, order);
        xfree(ws);
        return NULL;
    }
    void *out = map_domain_page(page_to_mfn(pg));
    struct xz_result res;
    int rc = xz_decode(bi.payload, bi.payload_len, out, PAGE_SIZE << order, ws, &res, err, sizeof(err));
    xfree(ws);
    if (rc) {
        printk(LOG_ERR "builder: kernel payload does not decompress: %s\n", err);
        free_heap_pages(pg, order);
        return NULL;
    }
    printk("builder: bzImage v%x.%02x, XZ payload %lu KiB -> %lu KiB ELF\n", bi.version >> 8,
           bi.version & 0xff, bi.payload_len >> 10, res.out_len >> 10);
    *buf_pg = pg;
    *buf_order = order;
    *out_len = res.out_len;
    return out;
}

static void fill_hypercall_page(uint8_t *p)
{
    memset(p, 0xcc, PAGE_SIZE);
    for (unsigned int i = 0; i < PAGE_SIZE / 32; i++, p += 32) {
        if (i == __HYPERVISOR_iret) {
            static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05 };
            memcpy(p, iret, sizeof(iret));
            continue;
        }
        uint8_t s[] = { 0x51, 0x41, 0x53, 0xb8, (uint8_t)i, 0, 0, 0, 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
        memcpy(p, s, sizeof(s));
    }
}

#define NR(lo, hi, shift) \
    ((ROUNDUP((hi), 1UL << (shift)) - ROUNDDOWN((lo), 1UL << (shift))) >> (shift))

int arch_build_domain(struct domain *d, const struct boot_module *kmod, const char *cmdline,
                    const struct boot_module *initrd, unsigned long nr_pages, unsigned int nr_vcpus)
{
    struct elf_info *info = xzalloc(struct elf_info);
    char err[160];
    struct page_info *kbuf = NULL;
    unsigned int kbuf_order = 0;
    size_t klen;
    int rc = -1;
    struct build b = { .d = d };

    if (!info)
        return -1;
    const void *kimg = unpack_kernel(__va(kmod->start), kmod->size, &klen, &kbuf, &kbuf_order);
    if (!kimg)
        goto out;
    if (elf_parse(kimg, klen, info, err, sizeof(err)) ||
        elf_xen_check_role(info, d->is_privileged, err, sizeof(err))) {
        printk(LOG_ERR "builder: refusing the kernel: %s\n", err);
        goto out;
    }
    printk("builder: d%u kernel: %s %s, loader %s, entry %#lx, virt_base %#lx, %u segment(s)\n",
           d->domain_id, info->notes.guest_os[0] ? info->notes.guest_os : "?",
           info->notes.xen_version, info->notes.loader, info->virt_entry, info->virt_base,
           info->nr_loads);
    if (elf_xenfeat_test(info->f_required, XENFEAT_auto_translated_physmap) ||
        elf_xenfeat_test(info->f_required, XENFEAT_supervisor_mode_kernel)) {
        printk(LOG_ERR "builder: the kernel requires features a PV domain cannot have\n");
        goto out;
    }

    /* No size given (dom0 by default): all the memory left now that the
     * kernel is unpacked, but the hypervisor's reserve. */
    if (!nr_pages)
        nr_pages = dom0_default_pages();
    /* dom0 (the privileged domain): at most dom0_mem=max:, which is also
     * its maximum reservation (unlimited without it, as Xen's builder). */
    if (d->is_privileged)
        nr_pages = MIN(nr_pages, dom0_max_pages());

    /* A kernel that asks for extended CR3 gets that assist from the start. */
    if (info->pae == ELF_PAE_EXTCR3)
        d->vm_assist |= 1UL << VMASST_TYPE_pae_extended_cr3;

    /* ---- layout (virtual addresses) */
    uint64_t v_start = info->virt_base;
    uint64_t vkern_end = ROUNDUP(info->virt_kend, PAGE_SIZE);
    bool unmapped_initrd = initrd && info->unmapped_initrd;
    uint64_t vinitrd_start = 0, vinitrd_end = 0, cur = vkern_end;
    if (initrd && !unmapped_initrd) {
        vinitrd_start = cur;
        vinitrd_end = cur + ROUNDUP(initrd->size, PAGE_SIZE);
        cur = vinitrd_end;
    }
    /*
     * The p2m list: inside the start-of-day region after the kernel (and
     * initrd), or, when the kernel gives INIT_P2M (Linux does), at that
     * address with its own page tables, outside the region, as Xen does.
     * Those frames follow the region's in PFN order (first_p2m_pfn).
     */
    bool p2m_apart = info->p2m_base != ELF_UNSET;
    unsigned long p2m_data = ROUNDUP(nr_pages * 8, PAGE_SIZE) >> PAGE_SHIFT;
    uint64_t vphysmap_start = cur;
    uint64_t vphysmap_end = p2m_apart ? cur : vphysmap_start + (p2m_data << PAGE_SHIFT);
    uint64_t vstartinfo_start = vphysmap_end;
    uint64_t vstartinfo_end = vstartinfo_start + PAGE_SIZE;
    uint64_t vxs = 0, vcons = 0;
    if (!d->is_privileged) {
        vxs = vstartinfo_end;
        vcons = vxs + PAGE_SIZE;
        vstartinfo_end = vcons + PAGE_SIZE;
    }
    uint64_t vpt_start = vstartinfo_end, vpt_end, vstack_end, v_end;
    unsigned long nr_pt;
    /* The search below takes a round per 2 MiB of the region: refuse an
     * oversized kernel (p_memsz is the image's to choose: a 2^60-byte bss
     * kept the boot CPU here for hours) before it, not after. */
    if (vpt_start - v_start > (1UL << 30)) {
        printk(LOG_ERR "builder: the start-of-day region (kernel %#lx-%#lx) exceeds 1 GiB\n",
               info->virt_kstart, info->virt_kend);
        goto out;
    }
    for (nr_pt = 2;; nr_pt++) {
        vpt_end = vpt_start + nr_pt * PAGE_SIZE;
        vstack_end = vpt_end + PAGE_SIZE;
        v_end = ROUNDUP(vstack_end, 1UL << 22);
        if (v_end - vstack_end < (512UL << 10))
            v_end += 1UL << 22;
        if (1 + NR(v_start, v_end, 39) + NR(v_start, v_end, 30) + NR(v_start, v_end, 21) <= nr_pt)
            break;
    }
    if (v_end - v_start > (1UL << 30)) {
        printk(LOG_ERR "builder: the start-of-day region (%lu MiB) exceeds 1 GiB\n",
               (v_end - v_start) >> 20);
        goto out;
    }
    unsigned long mapped_pages = (v_end - v_start) >> PAGE_SHIFT;
    unsigned long initrd_pfn = 0, initrd_pages = initrd ? ROUNDUP(initrd->size, PAGE_SIZE) >> PAGE_SHIFT : 0;
    if (unmapped_initrd)
        initrd_pfn = mapped_pages;
    unsigned long p2m_pfn = mapped_pages + (unmapped_initrd ? initrd_pages : 0), p2m_frames = 0;
    if (p2m_apart) {
        uint64_t base = info->p2m_base, end = base + (p2m_data << PAGE_SHIFT);
        /* Page aligned, canonical, clear of the region and the hypervisor. */
        if ((base & (PAGE_SIZE - 1)) || end < base ||
            (base < (1UL << 47) ? end > (1UL << 47) : base < 0xffff880000000000UL) ||
            (base < v_end && end > v_start)) {
            printk(LOG_ERR "builder: INIT_P2M %#lx-%#lx is not a usable guest range\n", base, end);
            goto out;
        }
        /* 4 KiB mappings (no PV superpages): data, L1s, L2s, L3s - at
         * most one table per 2 MiB, 1 GiB and 512 GiB slot the list spans
         * (fewer where the region's tables serve). An L3 is counted even
         * in the region's own L4 slot: the list may run on into the next
         * slot, which needs one (the loop below then took a frame past
         * the p2m area and hit its BUG_ON: a kernel image could panic
         * the hypervisor). The exact number is known after the loop. */
        p2m_frames = p2m_data + NR(base, end, 21) + NR(base, end, 30) + NR(base, end, 39);
        vphysmap_start = base;
        vphysmap_end = end;
    }
    if (nr_pages < p2m_pfn + p2m_frames) {
        printk(LOG_ERR "builder: %lu pages are not enough (the layout needs %lu)\n", nr_pages,
               p2m_pfn + p2m_frames);
        goto out;
    }

    /* ---- memory */
    d->max_pages = d->is_privileged ? dom0_max_pages() : nr_pages;
    b.p2m = xmalloc_array_bytes(sizeof(mfn_t), nr_pages);
    if (!b.p2m)
        goto out;
    b.nr_pages = nr_pages;
    b.virt_base = v_start;
    b.paddr_offset = info->paddr_offset;
    for (unsigned long pfn = 0; pfn < nr_pages;) {
        unsigned int order = 9;
        while (order && (pfn + (1UL << order) > nr_pages))
            order--;
        struct page_info *pg = alloc_domheap_pages(d, order);
        while (!pg && order) {
            order--;
            pg = alloc_domheap_pages(d, order);
        }
        if (!pg) {
            printk(LOG_ERR "builder: out of memory after %lu of %lu pages\n", pfn, nr_pages);
            goto out;
        }
        for (unsigned long j = 0; j < (1UL << order); j++, pfn++) {
            b.p2m[pfn] = page_to_mfn(pg) + j;
            set_gpfn_from_mfn(b.p2m[pfn], pfn);
        }
    }

    /* ---- contents */
    struct elf_dest dest = { elf_map, &b };
    if (elf_load(info, &dest, err, sizeof(err))) {
        printk(LOG_ERR "builder: loading the kernel failed: %s\n", err);
        goto out;
    }
    if (initrd) {
        unsigned long first = unmapped_initrd ? initrd_pfn : (vinitrd_start - v_start) >> PAGE_SHIFT;
        const uint8_t *src = __va(initrd->start);
        for (unsigned long i = 0; i < initrd_pages; i++) {
            size_t n = MIN((size_t)PAGE_SIZE, (size_t)(initrd->size - i * PAGE_SIZE));
            memcpy(pfn_va(&b, first + i), src + i * PAGE_SIZE, n);
        }
    }
    /* p2m list: in the region, or in the frames from p2m_pfn on */
    uint64_t *physmap = NULL;
    unsigned long p2m_first = p2m_apart ? p2m_pfn : (vphysmap_start - v_start) >> PAGE_SHIFT;
    for (unsigned long pfn = 0; pfn < nr_pages; pfn++) {
        if (pfn % 512 == 0)
            physmap = pfn_va(&b, p2m_first + pfn / 512);
        physmap[pfn % 512] = b.p2m[pfn];
    }
    if (info->virt_hypercall != ELF_UNSET) {
        if (info->virt_hypercall < v_start || info->virt_hypercall >= vkern_end) {
            printk(LOG_ERR "builder: hypercall page outside the kernel\n");
            goto out;
        }
        fill_hypercall_page(pfn_va(&b, (info->virt_hypercall - v_start) >> PAGE_SHIFT));
    }

    /* ---- page tables: L4, L3s, L2s, L1s in [vpt_start, vpt_end) */
    unsigned long pt_pfn = (vpt_start - v_start) >> PAGE_SHIFT, next_pt = pt_pfn;
    mfn_t l4m = b.p2m[next_pt++];
    pgentry_t *l4 = map_domain_page(l4m);
    const uint64_t ptf = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_USER;
    for (uint64_t va = v_start; va < v_end; va += PAGE_SIZE) {
        pgentry_t *l3, *l2, *l1;
        if (!(l4[l4_index(va)] & _PAGE_PRESENT))
            l4[l4_index(va)] = mk_pte(b.p2m[next_pt++], ptf);
        l3 = map_domain_page(pte_mfn(l4[l4_index(va)]));
        if (!(l3[l3_index(va)] & _PAGE_PRESENT))
            l3[l3_index(va)] = mk_pte(b.p2m[next_pt++], ptf);
        l2 = map_domain_page(pte_mfn(l3[l3_index(va)]));
        if (!(l2[l2_index(va)] & _PAGE_PRESENT))
            l2[l2_index(va)] = mk_pte(b.p2m[next_pt++], ptf);
        l1 = map_domain_page(pte_mfn(l2[l2_index(va)]));
        unsigned long pfn = (va - v_start) >> PAGE_SHIFT;
        uint64_t f = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
        if (pfn >= pt_pfn && pfn < pt_pfn + nr_pt)
            f &= ~(uint64_t)_PAGE_RW;            /* page tables are read-only */
        l1[l1_index(va)] = mk_pte(b.p2m[pfn], f);
    }
    BUG_ON(next_pt > pt_pfn + nr_pt);
    if (p2m_apart) {
        /* The p2m at INIT_P2M: data frames first, then its page tables. */
        unsigned long data = p2m_pfn, table = p2m_pfn + p2m_data;
        for (uint64_t va = vphysmap_start; va < vphysmap_end; va += PAGE_SIZE) {
            pgentry_t *l3, *l2, *l1;
            if (!(l4[l4_index(va)] & _PAGE_PRESENT))
                l4[l4_index(va)] = mk_pte(b.p2m[table++], ptf);
            l3 = map_domain_page(pte_mfn(l4[l4_index(va)]));
            if (!(l3[l3_index(va)] & _PAGE_PRESENT))
                l3[l3_index(va)] = mk_pte(b.p2m[table++], ptf);
            l2 = map_domain_page(pte_mfn(l3[l3_index(va)]));
            if (!(l2[l2_index(va)] & _PAGE_PRESENT))
                l2[l2_index(va)] = mk_pte(b.p2m[table++], ptf);
            l1 = map_domain_page(pte_mfn(l2[l2_index(va)]));
            l1[l1_index(va)] = mk_pte(b.p2m[data++],
                                      _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY);
        }
        BUG_ON(data != p2m_pfn + p2m_data || table > p2m_pfn + p2m_frames);
        p2m_frames = table - p2m_pfn;
    }
    struct page_info *l4pg = mfn_to_page(l4m);
    if ((rc = get_page_and_type(l4pg, d, PGT_l4_page_table)) != 0) {
        printk(LOG_ERR "builder: the initial page tables do not validate (%d)\n", rc);
        rc = -1;
        goto out;
    }
    /* Pinned, and in use as vCPU 0's CR3 (with the read-only M2P). */
    if (get_page_and_type(l4pg, d, PGT_l4_page_table))
        goto out;
    l4pg->type_info |= PGT_pinned;
    pv_l4_ro_mpt(d, l4m, true);

    /* ---- start_info */
    struct start_info *si = pfn_va(&b, (vstartinfo_start - v_start) >> PAGE_SHIFT);
    memset(si, 0, PAGE_SIZE);
    pv_snprintf(si->magic, sizeof(si->magic), "xen-3.0-x86_64%s", info->pae != ELF_PAE_NO ? "p" : "");
    si->nr_pages = nr_pages;
    si->shared_info = virt_to_mfn(d->shared_info) << PAGE_SHIFT;
    si->flags = d->is_privileged ? (SIF_PRIVILEGED | SIF_INITDOMAIN) : 0;
    si->pt_base = vpt_start;
    si->nr_pt_frames = nr_pt;
    si->mfn_list = vphysmap_start;
    if (p2m_apart) {
        si->first_p2m_pfn = p2m_pfn;
        si->nr_p2m_frames = p2m_frames;
    }
    if (initrd) {
        if (unmapped_initrd) {
            si->flags |= SIF_MOD_START_PFN;
            si->mod_start = initrd_pfn;
        } else {
            si->mod_start = vinitrd_start;
        }
        si->mod_len = initrd->size;
    }
    pv_snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", cmdline);
    if (!d->is_privileged) {
        /* No xenstore yet (store_evtchn 0: the guest runs its own local
         * store, as Linux does); the console is the hypervisor's. */
        si->store_mfn = b.p2m[(vxs - v_start) >> PAGE_SHIFT];
        si->console.domU.mfn = b.p2m[(vcons - v_start) >> PAGE_SHIFT];
        int port = console_ring_attach(d, si->console.domU.mfn);
        if (port < 0) {
            printk(LOG_ERR "builder: no console event channel for d%u\n", d->domain_id);
            goto out;
        }
        si->console.domU.evtchn = (uint32_t)port;
    }

    /* ---- shared_info, vCPUs */
    /* shared_info's max_pfn stays 0: the guest writes it (Linux does,
     * with its p2m), and XENMEM_maximum_gpfn answers from it. */
    update_domain_wallclock_time(d);
    for (unsigned int i = 0; i < nr_vcpus; i++)
        if (!vcpu_create(d, i)) {
            printk(LOG_ERR "builder: cannot create vCPU %u\n", i);
            goto out;
        }
    struct vcpu *v = d->vcpu[0];
    struct cpu_regs *r = &v->arch.regs;
    memset(r, 0, sizeof(*r));
    r->rip = info->virt_entry;
    r->rsp = vstack_end;
    r->rsi = vstartinfo_start;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    r->rflags = X86_EFLAGS_IF | 2;
    v->arch.kernel_mode = true;
    v->arch.guest_table = l4m;
    v->arch.initialised = true;
    v->arch.kernel_ss = FLAT_KERNEL_SS;
    v->arch.kernel_sp = vstack_end;
    v->pause_flags &= ~VPF_down;
    update_vcpu_system_time(v);

    printk("builder: d%u: %lu pages (%lu MiB), %u vCPU(s), start-of-day %#lx-%#lx, "
           "start_info %#lx, %lu page-table frames%s\n", d->domain_id, nr_pages, nr_pages >> 8,
           nr_vcpus, v_start, v_end, vstartinfo_start, nr_pt,
           initrd ? (unmapped_initrd ? ", initrd by PFN" : ", initrd mapped") : "");
    rc = 0;
out:
    if (kbuf)
        free_heap_pages(kbuf, kbuf_order);
    xfree(b.p2m);
    xfree(info);
    return rc;
}
