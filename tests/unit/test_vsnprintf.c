/* pv_vsnprintf against the C library's snprintf, conversion by conversion. */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <limits.h>
#include <pavise/lib.h>

#define SAME(...) do {                                                  \
        char want[256], got[256];                                       \
        int wn = snprintf(want, sizeof(want), __VA_ARGS__);             \
        int gn = pv_snprintf(got, sizeof(got), __VA_ARGS__);            \
        ck_assert_str_eq(got, want);                                    \
        ck_assert_int_eq(gn, wn);                                       \
    } while (0)

START_TEST(integers)
{
    SAME("%d %i %u", 0, -1, 42u);
    SAME("%d", INT_MIN);
    SAME("%d", INT_MAX);
    SAME("%ld %lu", LONG_MIN, ULONG_MAX);
    SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
    SAME("%hd %hu %hhd %hhu", (short)-5, (unsigned short)65535, (signed char)-128, (unsigned char)255);
    SAME("%zu %zd", (size_t)123456789, (ssize_t)-3);
}
END_TEST

START_TEST(hex_octal)
{
    SAME("%x %X %o", 0xdeadbeefu, 0xcafeu, 0755u);
    SAME("%#x %#X %#o", 0x1fu, 0x1fu, 8u);
    SAME("%#x %#o", 0u, 0u);
    SAME("%016lx", 0xffff82d040200000UL);
    SAME("%#018lx", 0x1234UL);
    SAME("%lx", 0UL);
}
END_TEST

START_TEST(width_precision_flags)
{
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", -42, -42, -42, -42, -42);
    SAME("[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, 7, 7, 7);
    SAME("[%.0d] [%.0x] [%5.0d]", 0, 0u, 0);
    SAME("[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
    SAME("[%*d]", -6, 1);
    SAME("[%#10x] [%-#10x] [%#010x]", 0xabu, 0xabu, 0xabu);
}
END_TEST

START_TEST(strings_chars)
{
    SAME("[%s] [%10s] [%-10s] [%.2s] [%10.2s]", "abc", "abc", "abc", "abc", "abc");
    SAME("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
    SAME("100%% %s", "");
    SAME("%.*s|", 3, "abcdef");
}
END_TEST

START_TEST(pointers)
{
    SAME("%p", (void *)0x1234);
    SAME("%p", (void *)0xffff82d040201000UL);
}
END_TEST

START_TEST(truncation)
{
    char buf[8];
    int n = pv_snprintf(buf, sizeof(buf), "%s", "0123456789");
    ck_assert_int_eq(n, 10);
    ck_assert_str_eq(buf, "0123456");
    n = pv_snprintf(buf, 1, "%d", 12345);
    ck_assert_int_eq(n, 5);
    ck_assert_str_eq(buf, "");
    /* size 0: nothing written, length still reported */
    buf[0] = 'Q';
    n = pv_snprintf(buf, 0, "abc");
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(buf[0], 'Q');
}
END_TEST

START_TEST(null_string_and_unknown)
{
    char buf[32];
    pv_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
    ck_assert_str_eq(buf, "(null)");
    pv_snprintf(buf, sizeof(buf), "a%qb");
    ck_assert_str_eq(buf, "a%qb");
    pv_snprintf(buf, sizeof(buf), "end%");
    ck_assert_str_eq(buf, "end%");
}
END_TEST

START_TEST(parse_numbers)
{
    uint64_t v;
    const char *end;
    ck_assert(parse_u64("1234", &end, &v, false) && v == 1234 && *end == 0);
    ck_assert(parse_u64("0x1F", &end, &v, false) && v == 31);
    ck_assert(parse_u64("017", &end, &v, false) && v == 15);
    ck_assert(parse_u64("0", &end, &v, false) && v == 0);
    ck_assert(parse_u64("512M", &end, &v, true) && v == 512ULL << 20 && *end == 0);
    ck_assert(parse_u64("2g", &end, &v, true) && v == 2ULL << 30);
    ck_assert(parse_u64("4k", &end, &v, true) && v == 4096);
    ck_assert(parse_u64("18446744073709551615", &end, &v, false) && v == UINT64_MAX);
    ck_assert(!parse_u64("18446744073709551616", &end, &v, false));
    ck_assert(!parse_u64("16777216T", &end, &v, true));
    ck_assert(!parse_u64("", &end, &v, false));
    ck_assert(!parse_u64("x", &end, &v, false));
    ck_assert(parse_u64("12abc", &end, &v, false) && v == 12 && *end == 'a');
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("vsnprintf");
    TCase *t = tcase_create("core");
    tcase_add_test(t, integers);
    tcase_add_test(t, hex_octal);
    tcase_add_test(t, width_precision_flags);
    tcase_add_test(t, strings_chars);
    tcase_add_test(t, pointers);
    tcase_add_test(t, truncation);
    tcase_add_test(t, null_string_and_unknown);
    tcase_add_test(t, parse_numbers);
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
