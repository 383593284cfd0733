/* E820 sanitiser: sorting, overlaps, merging, page rounding, limits. */
#include <check.h>
#include <pavise/memmap.h>

#define R(a, s, t) { (a), (s), (t) }

static void expect(const struct mem_region *got, int n, const struct mem_region *want, int wn)
{
    ck_assert_int_eq(n, wn);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(got[i].addr == want[i].addr && got[i].size == want[i].size && got[i].type == want[i].type,
                      "entry %d: got %#llx+%#llx type %u, want %#llx+%#llx type %u", i,
                      (unsigned long long)got[i].addr, (unsigned long long)got[i].size, got[i].type,
                      (unsigned long long)want[i].addr, (unsigned long long)want[i].size, want[i].type);
    }
}

START_TEST(already_clean)
{
    /* QEMU q35 with 1 GiB, as SeaBIOS reports it. */
    struct mem_region m[MEMMAP_MAX] = {
        R(0, 0x9fc00, E820_RAM), R(0x9fc00, 0x400, E820_RESERVED), R(0xf0000, 0x10000, E820_RESERVED),
        R(0x100000, 0x3fee0000, E820_RAM), R(0x3ffe0000, 0x20000, E820_RESERVED),
        R(0xb0000000, 0x10000000, E820_RESERVED), R(0xfed1c000, 0x4000, E820_RESERVED),
        R(0xfffc0000, 0x40000, E820_RESERVED),
    };
    struct mem_region w[] = {
        R(0, 0x9f000, E820_RAM), R(0x9fc00, 0x400, E820_RESERVED), R(0xf0000, 0x10000, E820_RESERVED),
        R(0x100000, 0x3fee0000, E820_RAM), R(0x3ffe0000, 0x20000, E820_RESERVED),
        R(0xb0000000, 0x10000000, E820_RESERVED), R(0xfed1c000, 0x4000, E820_RESERVED),
        R(0xfffc0000, 0x40000, E820_RESERVED),
    };
    int n = memmap_sanitize(m, 8, MEMMAP_MAX);
    expect(m, n, w, 8);
    ck_assert_uint_eq(memmap_ram_end(m, n), 0x3ffe0000);
    ck_assert_uint_eq(memmap_ram_total(m, n), 0x9f000 + 0x3fee0000);
}
END_TEST

START_TEST(unsorted_and_merge)
{
    struct mem_region m[MEMMAP_MAX] = {
        R(0x200000, 0x100000, E820_RAM), R(0x100000, 0x100000, E820_RAM), R(0, 0x1000, E820_RAM),
    };
    struct mem_region w[] = { R(0, 0x1000, E820_RAM), R(0x100000, 0x200000, E820_RAM) };
    expect(m, memmap_sanitize(m, 3, MEMMAP_MAX), w, 2);
}
END_TEST

START_TEST(overlap_restrictive_wins)
{
    struct mem_region m[MEMMAP_MAX] = {
        R(0, 0x100000, E820_RAM),
        R(0x80000, 0x10000, E820_RESERVED),
        R(0x88000, 0x10000, E820_ACPI),     /* partly under reserved */
        R(0xc0000, 0x2000, E820_UNUSABLE),
        R(0xc1000, 0x2000, E820_NVS),
    };
    struct mem_region w[] = {
        R(0, 0x80000, E820_RAM),
        R(0x80000, 0x10000, E820_RESERVED),
        R(0x90000, 0x8000, E820_ACPI),
        R(0x98000, 0x28000, E820_RAM),
        R(0xc0000, 0x2000, E820_UNUSABLE),
        R(0xc2000, 0x1000, E820_NVS),
        R(0xc3000, 0x3d000, E820_RAM),
    };
    expect(m, memmap_sanitize(m, 5, MEMMAP_MAX), w, 7);
}
END_TEST

START_TEST(ram_page_rounding_and_empty)
{
    struct mem_region m[MEMMAP_MAX] = {
        R(0x1001, 0x2000, E820_RAM),   /* -> 0x2000..0x3000 */
        R(0x5000, 0x800, E820_RAM),    /* less than a page: dropped */
        R(0x9000, 0, E820_RESERVED),   /* empty: dropped */
        R(0x10000, 0x1234, E820_RESERVED), /* non-RAM keeps its exact size */
    };
    struct mem_region w[] = { R(0x2000, 0x1000, E820_RAM), R(0x10000, 0x1234, E820_RESERVED) };
    expect(m, memmap_sanitize(m, 4, MEMMAP_MAX), w, 2);
}
END_TEST

START_TEST(unknown_type_and_wrap)
{
    struct mem_region m[MEMMAP_MAX] = {
        R(0x0, 0x10000, 99),                                  /* unknown -> reserved */
        R(0xfffffffffffff000ULL, 0x10000, E820_RESERVED),     /* wraps: clamped */
    };
    struct mem_region w[] = {
        R(0, 0x10000, E820_RESERVED),
        R(0xfffffffffffff000ULL, 0xfff, E820_RESERVED),
    };
    expect(m, memmap_sanitize(m, 2, MEMMAP_MAX), w, 2);
}
END_TEST

START_TEST(too_many)
{
    struct mem_region m[MEMMAP_MAX];
    for (int i = 0; i < 10; i++)
        m[i] = (struct mem_region)R((uint64_t)i * 0x10000, 0x1000, i % 2 ? E820_RAM : E820_RESERVED);
    ck_assert_int_eq(memmap_sanitize(m, 10, 5), -1);
    ck_assert_int_eq(memmap_sanitize(m, MEMMAP_MAX + 1, MEMMAP_MAX), -1);
}
END_TEST

START_TEST(nested)
{
    struct mem_region m[MEMMAP_MAX] = {
        R(0x100000, 0x100000, E820_RESERVED),
        R(0, 0x1000000, E820_RAM),
        R(0x140000, 0x1000, E820_RAM),       /* RAM inside reserved stays reserved */
    };
    struct mem_region w[] = {
        R(0, 0x100000, E820_RAM), R(0x100000, 0x100000, E820_RESERVED), R(0x200000, 0xe00000, E820_RAM),
    };
    expect(m, memmap_sanitize(m, 3, MEMMAP_MAX), w, 3);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("memmap");
    TCase *t = tcase_create("core");
    tcase_add_test(t, already_clean);
    tcase_add_test(t, unsorted_and_merge);
    tcase_add_test(t, overlap_restrictive_wins);
    tcase_add_test(t, ram_page_rounding_and_empty);
    tcase_add_test(t, unknown_type_and_wrap);
    tcase_add_test(t, too_many);
    tcase_add_test(t, nested);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
