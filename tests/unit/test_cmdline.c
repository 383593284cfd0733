/* Command-line parser: types, negation, bad values, unknown options,
 * and the loader image-name rule. */
#include <check.h>
#include <string.h>
#include <stdio.h>
#include <pavise/lib.h>
#include <pavise/param.h>

static bool b_flag;
static unsigned int u32v;
static uint64_t sizev;
static uint8_t u8v;
static char str[16];
static char custom_seen[32];
static int custom_calls;

static int custom(const char *val)
{
    custom_calls++;
    if (val && !strcmp(val, "bad"))
        return -22;
    snprintf(custom_seen, sizeof(custom_seen), "%s", val ? val : "<none>");
    return 0;
}

static const struct param params[] = {
    { "flag", PARAM_BOOL, &b_flag, sizeof(b_flag), NULL },
    { "num", PARAM_UINT, &u32v, sizeof(u32v), NULL },
    { "small", PARAM_UINT, &u8v, sizeof(u8v), NULL },
    { "mem", PARAM_SIZE, &sizev, sizeof(sizev), NULL },
    { "name", PARAM_STRING, str, sizeof(str), NULL },
    { "cust", PARAM_CUSTOM, NULL, 0, custom },
};

static char reports[512];
static void report(const char *what, const char *tok, size_t len)
{
    size_t n = strlen(reports);
    snprintf(reports + n, sizeof(reports) - n, "%s:%.*s;", what, (int)len, tok);
}

static void reset(void)
{
    b_flag = false;
    u32v = 0;
    sizev = 0;
    u8v = 0;
    str[0] = 0;
    custom_seen[0] = 0;
    custom_calls = 0;
    reports[0] = 0;
}

static int parse(const char *s)
{
    return cmdline_parse(s, params, sizeof(params) / sizeof(params[0]), report);
}

START_TEST(basic_types)
{
    reset();
    ck_assert_int_eq(parse("flag num=42 mem=512M name=hello cust=x small=255"), 0);
    ck_assert(b_flag);
    ck_assert_uint_eq(u32v, 42);
    ck_assert_uint_eq(sizev, 512ULL << 20);
    ck_assert_str_eq(str, "hello");
    ck_assert_str_eq(custom_seen, "x");
    ck_assert_uint_eq(u8v, 255);
    ck_assert_str_eq(reports, "");
}
END_TEST

START_TEST(booleans)
{
    static const char *const yes[] = { "flag=1", "flag=yes", "flag=on", "flag=true", "flag=enable", "flag" };
    static const char *const no[] = { "flag=0", "flag=no", "flag=off", "flag=false", "flag=disable", "no-flag" };
    for (unsigned i = 0; i < 6; i++) {
        reset();
        ck_assert_int_eq(parse(yes[i]), 0);
        ck_assert_msg(b_flag, "%s", yes[i]);
        b_flag = true;
        ck_assert_int_eq(parse(no[i]), 0);
        ck_assert_msg(!b_flag, "%s", no[i]);
    }
    reset();
    ck_assert_int_eq(parse("flag=maybe"), 1);
    ck_assert_str_eq(reports, "bad value for option:flag=maybe;");
}
END_TEST

START_TEST(unknown_and_bad)
{
    reset();
    ck_assert_int_eq(parse("  bogus num=7 num=x  small=256 mem=1Q no-num name=waytoolongforbuffer other=1 "), 7);
    ck_assert_uint_eq(u32v, 7);
    ck_assert_uint_eq(u8v, 0);
    ck_assert_str_eq(reports,
        "unknown option:bogus;bad value for option:num=x;bad value for option:small=256;"
        "bad value for option:mem=1Q;bad value for option:no-num;bad value for option:name=waytoolongforbuffer;"
        "unknown option:other=1;");
}
END_TEST

START_TEST(custom_errors)
{
    reset();
    ck_assert_int_eq(parse("cust=bad cust"), 1);
    ck_assert_int_eq(custom_calls, 2);
    ck_assert_str_eq(custom_seen, "<none>");
}
END_TEST

START_TEST(empty_and_whitespace)
{
    reset();
    ck_assert_int_eq(parse(""), 0);
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_int_eq(parse(" \t\n "), 0);
    ck_assert_int_eq(parse("num=1\tflag\nname=a"), 0);
    ck_assert(b_flag && u32v == 1);
    ck_assert_str_eq(str, "a");
    ck_assert_int_eq(parse("num="), 1);
    ck_assert_int_eq(parse("name="), 0);
    ck_assert_str_eq(str, "");
}
END_TEST

START_TEST(last_wins)
{
    reset();
    ck_assert_int_eq(parse("num=1 num=2 flag no-flag"), 0);
    ck_assert_uint_eq(u32v, 2);
    ck_assert(!b_flag);
}
END_TEST

START_TEST(cook)
{
    ck_assert_str_eq(cmdline_cook("/boot/pavise console=com1", "qemu"), "console=com1");
    ck_assert_str_eq(cmdline_cook("  /boot/pavise   a b", NULL), "a b");
    ck_assert_str_eq(cmdline_cook("console=com1", "GRUB 2.06"), "console=com1");
    ck_assert_str_eq(cmdline_cook("pavise", "qemu"), "");
    ck_assert_str_eq(cmdline_cook(NULL, "qemu"), "");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *t = tcase_create("core");
    tcase_add_test(t, basic_types);
    tcase_add_test(t, booleans);
    tcase_add_test(t, unknown_and_bad);
    tcase_add_test(t, custom_errors);
    tcase_add_test(t, empty_and_whitespace);
    tcase_add_test(t, last_wins);
    tcase_add_test(t, cook);
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
