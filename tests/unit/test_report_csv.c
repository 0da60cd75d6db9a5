/* CSV cells: quoting, and formulas neutralised so a spreadsheet shows them as text. */
#include "testutil.h"

#include <string.h>

#include "report/report.h"

static void check(const char *in, const char *want)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    csv_adds_cell(&b, in);
    assert_string_equal(b.ptr ? b.ptr : "", want);
    buf_release(&b);
}

static void test_plain_and_quoted(void **state)
{
    (void)state;
    check("", "");
    check("It helped", "It helped");
    check("yes, a lot", "\"yes, a lot\"");
    check("she said \"no\"", "\"she said \"\"no\"\"\"");
    check("two\nlines", "\"two\nlines\"");
    check(" padded ", "\" padded \"");
    check("3-2", "3-2"); /* a minus inside is harmless */
}

static void test_formulas_neutralised(void **state)
{
    (void)state;
    check("=HYPERLINK(\"http://evil.example\",\"click\")",
          "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"");
    check("+1+2", "\"'+1+2\"");
    check("-2+3", "\"'-2+3\"");
    check("@SUM(A1:A2)", "\"'@SUM(A1:A2)\"");
    check("\t=1", "\"'\t=1\"");
    check("\r=1", "\"'\r=1\"");
    check("=", "\"'=\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_quoted),
        cmocka_unit_test(test_formulas_neutralised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
