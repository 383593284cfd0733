/* Shared main() for the Check suites: each test file defines suite(). */
#ifndef TESTS_XENSTORE_TEST_MAIN_H
#define TESTS_XENSTORE_TEST_MAIN_H

#include <check.h>
#include <stdlib.h>

static Suite *suite(void);

int main(void)
{
    SRunner *sr = srunner_create(suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
