/* Masking e-mail addresses and phone numbers in pupils' free text, and cleaning it. */
#include "testutil.h"

#include <string.h>

#include "survey/survey.h"

static void expect(const char *in, const char *want, size_t masks)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    size_t n = survey_clean_text(in, strlen(in), &b);
    if (strcmp(b.ptr ? b.ptr : "", want) != 0)
        fail_msg("'%s' became '%s', wanted '%s'", in, b.ptr ? b.ptr : "", want);
    assert_int_equal(n, masks);
    buf_release(&b);
}

static void test_emails(void **state)
{
    (void)state;
    expect("mail me at jo.bloggs+pshe@school.sch.uk.", "mail me at [email removed].", 1);
    expect("JO_B@EXAMPLE.COM", "[email removed]", 1);
    expect("(a@b.co) and x.y@mail.example.org", "([email removed]) and [email removed]", 2);
    expect("é jo@example.com é", "é [email removed] é", 1);
    /* Not addresses: no domain, or no top-level part of letters. */
    expect("see you @ school", "see you @ school", 0);
    expect("me@home", "me@home", 0);
    expect("@handle", "@handle", 0);
    expect("a@1.2", "a@1.2", 0);
}

static void test_uk_phone_numbers(void **state)
{
    (void)state;
    expect("text me 07700 900123 ok", "text me [phone number removed] ok", 1);
    expect("07700900123", "[phone number removed]", 1);
    expect("+44 7700 900123", "[phone number removed]", 1);
    expect("+447700900123", "[phone number removed]", 1);
    expect("+44 (0)7700 900123!", "[phone number removed]!", 1);
    expect("ring (020) 7946 0958", "ring [phone number removed]", 1);
    expect("020 7946 0958", "[phone number removed]", 1);
    expect("0044 20 7946 0958", "[phone number removed]", 1);
    expect("01632-960-001", "[phone number removed]", 1);
    expect("0161.496.0000", "[phone number removed]", 1);
}

static void test_international_phone_numbers(void **state)
{
    (void)state;
    expect("+1 (555) 123-4567", "[phone number removed]", 1);
    expect("+33 1 23 45 67 89", "[phone number removed]", 1);
    expect("+49 30 1234567", "[phone number removed]", 1);
    expect("+353 1 234 5678 or 0035312345678", "[phone number removed] or [phone number removed]",
           2);
}

static void test_what_stays(void **state)
{
    (void)state;
    /* Help lines pupils may mention, and ordinary numbers. */
    expect("Childline is 0800 1111", "Childline is 0800 1111", 0);
    expect("call 999 or 116 123", "call 999 or 116 123", 0);
    expect("In year 9, 30 of us, 2024-05-01", "In year 9, 30 of us, 2024-05-01", 0);
    expect("it had 1000000 views", "it had 1000000 views", 0);
    expect("12/03/2024", "12/03/2024", 0);
}

static void test_cleaning(void **state)
{
    (void)state;
    expect("  \n hello\r\nthere\rfriend \t\n", "hello\nthere\nfriend", 0);
    expect("bell\x07 and esc\x1b[31m and del\x7f", "bell and esc[31m and del", 0);
    expect("csi\xc2\x9b[31m and nel\xc2\x85 go", "csi[31m and nel go", 0); /* C1 controls */
    expect("caf\xc3\xa9 \xc2\xa3 and \xc2\xa0 stay", "caf\xc3\xa9 \xc2\xa3 and \xc2\xa0 stay", 0);
    expect("tab\tstays", "tab\tstays", 0);
    expect("   ", "", 0);
    expect("", "", 0);
    expect("both jo@example.com and 07700 900123",
           "both [email removed] and [phone number removed]", 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emails),
        cmocka_unit_test(test_uk_phone_numbers),
        cmocka_unit_test(test_international_phone_numbers),
        cmocka_unit_test(test_what_stays),
        cmocka_unit_test(test_cleaning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
