/*
 * Dates are read in one place (base/date.h): the package loader's check of `checked:` and
 * `date:`, and the store's days (a focus group's day from the staff form, a class's
 * creation day shown on the staff pages and in reports) must agree on what a date is.
 */
#include "testutil.h"

#include <string.h>

#include "base/date.h"
#include "pkg/internal.h"
#include "store/store.h"

static void test_parse_and_format(void **state)
{
    (void)state;
    int day = -1;
    assert_int_equal(date_parse("1970-01-01", &day), 0);
    assert_int_equal(day, 0);
    assert_int_equal(date_parse("2024-06-01", &day), 0);
    assert_int_equal(day, 19875);
    char out[11];
    date_format(day, out);
    assert_string_equal(out, "2024-06-01");
    assert_int_equal(date_parse("1900-01-01", &day), 0);
    assert_true(day < 0);
    date_format(day, out);
    assert_string_equal(out, "1900-01-01");
    const char *bad[] = {"1899-12-31",  "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01",
                         "2024-00-10",  "2024-01-00", "2024-1-01",  "24-01-01",   "2024/01/01",
                         "2024-01-01x", "",           "2024-0a-01", " 024-01-01"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        day = 12345;
        assert_int_equal(date_parse(bad[i], &day), -1);
        assert_int_equal(day, 12345);
    }
    assert_int_equal(date_parse(NULL, &day), -1);
}

/* The package's check and the store agree on every date the store can hold. */
static void test_one_rule_everywhere(void **state)
{
    (void)state;
    const char *cases[] = {"2024-02-29", "2000-02-29",  "2100-02-29", "2023-02-29",
                           "2024-04-31", "2024-12-31",  "1970-01-01", "9999-12-31",
                           "2024-6-1",   "2024-06-01x", "2024-11-31", "2024-02-30"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int day = 0, sday = 0;
        bool ok = date_parse(cases[i], &day) == 0;
        assert_int_equal(pkg_date_valid(cases[i]), ok);
        assert_int_equal(store_day_parse(cases[i], &sday) == 0, ok);
        if (ok)
            assert_int_equal(sday, day);
    }
    /* Before the store's day 0 a date is a package's (a source checked long ago), never a
     * stored day. */
    int day = 0;
    assert_true(pkg_date_valid("1969-12-31"));
    assert_int_equal(store_day_parse("1969-12-31", &day), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_one_rule_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
