/*
 * The HTTP helpers that read what clients send: which content codings an Accept-Encoding
 * accepts (with weights, "*", and doubt falling back to identity), If-None-Match lists,
 * media types and tokens, and the access log's escaping, which must keep a request from
 * splitting or forging a log line.
 */
#include "testutil.h"

#include <string.h>

#include "web/http.h"

static void test_codings(void **state)
{
    (void)state;
    const struct {
        const char *value;
        unsigned want;
    } cases[] = {
        {NULL, 0},
        {"", 0},
        {"identity", 0},
        {"deflate", 0},
        {"gzip", HTTP_GZIP},
        {"x-gzip", HTTP_GZIP},
        {"GZip", HTTP_GZIP},
        {"br", HTTP_BR},
        {"gzip, deflate, br", HTTP_GZIP | HTTP_BR},
        {"br;q=1.0, gzip;q=0.5", HTTP_GZIP | HTTP_BR},
        {"gzip;q=0, br", HTTP_BR},
        {"br;q=0, gzip", HTTP_GZIP},
        {"br;q=0.000, gzip;q=0.001", HTTP_GZIP},
        {"*", HTTP_GZIP | HTTP_BR},
        {"*;q=0", 0},
        {"br;q=0, *", HTTP_GZIP},
        {"gzip;q=0, *;q=0.5", HTTP_BR},
        {"*;q=0, br", HTTP_BR},
        /* A weight that cannot be read counts as zero. */
        {"br;q=abc", 0},
        {"br;q=1.0001", 0},
        {"br;q=2", 0},
        {"br;q=", 0},
        {"br;q=0.5", HTTP_BR},
        {" br ; Q=1 ", HTTP_BR},
        /* Names that merely contain a coding's name are other codings. */
        {"brotli, gzipx, xbr", 0},
        {",,, ,", 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned got = http_accepted_codings(cases[i].value);
        if (got != cases[i].want)
            fail_msg("Accept-Encoding: %s gave %u, not %u",
                     cases[i].value ? cases[i].value : "(none)", got, cases[i].want);
        assert_int_equal(http_accepts_gzip(cases[i].value), (cases[i].want & HTTP_GZIP) != 0);
    }
}

static void test_none_match(void **state)
{
    (void)state;
    const char *tag = "\"0123456789abcdef\"";
    assert_true(http_none_match("\"0123456789abcdef\"", tag));
    assert_true(http_none_match("W/\"0123456789abcdef\"", tag));
    assert_true(http_none_match("\"x\", \"0123456789abcdef\"", tag));
    assert_true(http_none_match("*", tag));
    assert_false(http_none_match(NULL, tag));
    assert_false(http_none_match("", tag));
    assert_false(http_none_match("\"0123456789abcdef-br\"", tag));
    assert_false(http_none_match("0123456789abcdef", tag));
    assert_false(http_none_match("\"0123456789abcdef", tag));
    assert_false(http_none_match("\"0123456789abcdef\"x", tag));
}

static void test_media_type_and_token(void **state)
{
    (void)state;
    const char *form = "application/x-www-form-urlencoded";
    assert_true(http_media_type_is(form, form));
    assert_true(http_media_type_is("Application/X-WWW-Form-Urlencoded; charset=UTF-8", form));
    assert_true(http_media_type_is("  application/x-www-form-urlencoded ;x=y", form));
    assert_false(http_media_type_is("multipart/form-data", form));
    assert_false(http_media_type_is("application/x-www-form-urlencodedx", form));
    assert_false(http_media_type_is(NULL, form));
    assert_true(http_value_is(" chunked ", "chunked"));
    assert_true(http_value_is("Chunked", "chunked"));
    assert_false(http_value_is("gzip, chunked", "chunked"));
    assert_false(http_value_is(NULL, "chunked"));
}

static void test_log_text(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(http_log_text("/plan", 128, out, sizeof(out)), 5);
    assert_string_equal(out, "/plan");
    /* Spaces, quotes, backslashes, control and non-ASCII bytes are escaped. */
    http_log_text("/a b\"c\\d\n\x1b\xc3\xa9", 128, out, sizeof(out));
    assert_string_equal(out, "/a\\x20b\\x22c\\x5cd\\x0a\\x1b\\xc3\\xa9");
    /* Cut at max_in input bytes, and said to be cut. */
    http_log_text("/abcdefghij", 4, out, sizeof(out));
    assert_string_equal(out, "/abc...");
    /* A small buffer holds a shorter text, still NUL-terminated and marked as cut. */
    char small[8];
    size_t n = http_log_text("/abcdefghij", 128, small, sizeof(small));
    assert_true(n < sizeof(small));
    assert_int_equal(strlen(small), n);
    assert_string_equal(small + n - 3, "...");
    assert_int_equal(http_log_text("/x", 128, small, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codings),
        cmocka_unit_test(test_none_match),
        cmocka_unit_test(test_media_type_and_token),
        cmocka_unit_test(test_log_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
