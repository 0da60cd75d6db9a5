/*
 * The form decoder: what a browser sends (escapes, '+', empty pairs), what a hostile client
 * might send (broken escapes, invalid UTF-8 of every kind, NUL bytes, too many fields, too
 * much data), and that it never reads past the bytes it was given.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/form.h"
#include "base/xalloc.h"

/*
 * Decodes a copy of s[0..len) held in a heap block of exactly len bytes with no NUL after
 * it, so that AddressSanitizer catches any read past the end.
 */
static int decode_n(const char *s, size_t len, size_t max, struct arena *a, struct form *f)
{
    char *copy = xmalloc(len ? len : 1);
    memcpy(copy, s, len);
    int rc = form_decode(copy, len, max, a, f);
    free(copy);
    return rc;
}

static int decode(const char *s, struct arena *a, struct form *f)
{
    return decode_n(s, strlen(s), 16384, a, f);
}

static void assert_field(const struct form *f, size_t i, const char *name, const char *value)
{
    assert_true(i < f->count);
    assert_string_equal(f->fields[i].name, name);
    assert_string_equal(f->fields[i].value, value);
}

static void assert_refused(const char *s, int err)
{
    struct arena a = ARENA_INIT;
    struct form f = {(struct form_field *)&f, 99};
    assert_int_equal(decode(s, &a, &f), err);
    assert_null(f.fields);
    assert_int_equal(f.count, 0);
    arena_release(&a);
}

static void test_plain_pairs(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    assert_int_equal(decode("words=no+thanks&adult=Mum", &a, &f), FORM_OK);
    assert_int_equal(f.count, 2);
    assert_field(&f, 0, "words", "no thanks");
    assert_field(&f, 1, "adult", "Mum");
    assert_string_equal(form_get(&f, "adult"), "Mum");
    assert_null(form_get(&f, "missing"));
    arena_release(&a);
}

static void test_escapes_and_plus(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    assert_int_equal(decode("a=%41%62%2b%2B+%20&%6e%61me=1%3D2%26", &a, &f), FORM_OK);
    assert_int_equal(f.count, 2);
    assert_field(&f, 0, "a", "Ab++  ");
    assert_field(&f, 1, "name", "1=2&");
    assert_int_equal(decode("q=%3Cscript%3E", &a, &f), FORM_OK);
    assert_field(&f, 0, "q", "<script>");
    arena_release(&a);
}

static void test_empty_pairs_and_missing_values(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    assert_int_equal(decode("&&a=1&&&b=&c&=v&", &a, &f), FORM_OK);
    assert_int_equal(f.count, 4);
    assert_field(&f, 0, "a", "1");
    assert_field(&f, 1, "b", "");
    assert_field(&f, 2, "c", "");
    assert_field(&f, 3, "", "v");
    assert_int_equal(decode("a=b=c", &a, &f), FORM_OK);
    assert_int_equal(f.count, 1);
    assert_field(&f, 0, "a", "b=c");
    arena_release(&a);
}

static void test_empty_input(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f = {(struct form_field *)&f, 99};
    assert_int_equal(decode("", &a, &f), FORM_OK);
    assert_int_equal(f.count, 0);
    /* An empty body may come as a NULL pointer. */
    assert_int_equal(form_decode(NULL, 0, 16, &a, &f), FORM_OK);
    assert_int_equal(f.count, 0);
    assert_int_equal(decode("&&&", &a, &f), FORM_OK);
    assert_int_equal(f.count, 0);
    arena_release(&a);
}

static void test_first_value_wins(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    assert_int_equal(decode("s=one&s=two", &a, &f), FORM_OK);
    assert_int_equal(f.count, 2);
    assert_string_equal(form_get(&f, "s"), "one");
    arena_release(&a);
}

static void test_bad_escapes(void **state)
{
    (void)state;
    static const char *const bad[] = {"a=%",  "a=%4", "a=%zz",  "a=%4g", "a=%g4",     "%=1",
                                      "a%=1", "a=1%", "a=% 41", "a=%+4", "ok=1&b=%x1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_refused(bad[i], FORM_BAD_ESCAPE);
}

static void test_escape_cut_by_length(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    /* The bytes after len are not part of the input, even when they would complete it. */
    assert_int_equal(decode_n("a=%41", 4, 100, &a, &f), FORM_BAD_ESCAPE);
    assert_int_equal(decode_n("a=%41", 3, 100, &a, &f), FORM_BAD_ESCAPE);
    assert_int_equal(decode_n("a=1&b=2", 3, 100, &a, &f), FORM_OK);
    assert_int_equal(f.count, 1);
    assert_field(&f, 0, "a", "1");
    arena_release(&a);
}

static void test_valid_utf8(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    assert_int_equal(decode("w=caf%C3%A9+%E2%82%AC+%F0%9F%98%80+%EF%BF%BD+%F4%8F%BF%BF", &a, &f),
                     FORM_OK);
    assert_field(&f, 0, "w",
                 "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBD \xF4\x8F\xBF\xBF");
    /* UTF-8 sent unescaped is accepted too. */
    assert_int_equal(decode("n\xC3\xA4me=\xE2\x9C\x93", &a, &f), FORM_OK);
    assert_field(&f, 0, "n\xC3\xA4me", "\xE2\x9C\x93");
    /* The last code points before and after the surrogate block. */
    assert_int_equal(decode("w=%ED%9F%BF%EE%80%80", &a, &f), FORM_OK);
    arena_release(&a);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "w=%FF",                /* never valid */
        "w=%FE",                /* never valid */
        "w=%80",                /* a lone continuation byte */
        "w=%C2",                /* a lead byte at the end */
        "w=%C2x",               /* a lead byte without its continuation */
        "w=%E2%82",             /* a three-byte sequence cut short */
        "w=%F0%9F%98",          /* a four-byte sequence cut short */
        "w=%C0%AF",             /* overlong '/' in two bytes */
        "w=%C1%BF",             /* overlong in two bytes */
        "w=%E0%80%AF",          /* overlong '/' in three bytes */
        "w=%E0%9F%BF",          /* overlong U+07FF in three bytes */
        "w=%F0%80%80%AF",       /* overlong '/' in four bytes */
        "w=%F0%8F%BF%BF",       /* overlong U+FFFF in four bytes */
        "w=%ED%A0%80",          /* high surrogate U+D800 */
        "w=%ED%BF%BF",          /* low surrogate U+DFFF */
        "w=%ED%A0%BD%ED%B8%80", /* a surrogate pair written as CESU-8 */
        "w=%F4%90%80%80",       /* U+110000, past the last code point */
        "w=%F5%80%80%80",       /* a lead byte for past U+10FFFF */
        "w=%F8%88%80%80%80",    /* a five-byte form */
        "w=%E2%28%A1",          /* a bad second byte */
        "%FF=1",                /* in a name too */
        "w=\xC3\x28",           /* unescaped */
        "w=\xED\xA0\x80",       /* unescaped surrogate */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_refused(bad[i], FORM_BAD_UTF8);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    assert_refused("w=a%00b", FORM_BAD_UTF8);
    assert_refused("w%00=1", FORM_BAD_UTF8);
    assert_refused("w=%00", FORM_BAD_UTF8);
    struct arena a = ARENA_INIT;
    struct form f;
    /* A raw NUL inside the input, which a C string would hide. */
    assert_int_equal(decode_n("w=a\0b", 5, 100, &a, &f), FORM_BAD_UTF8);
    assert_int_equal(f.count, 0);
    arena_release(&a);
}

static void test_size_limit(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    char buf[64];
    memset(buf, 'x', sizeof(buf));
    buf[0] = 'a';
    buf[1] = '=';
    assert_int_equal(decode_n(buf, 64, 64, &a, &f), FORM_OK);
    assert_int_equal(strlen(f.fields[0].value), 62);
    assert_int_equal(decode_n(buf, 64, 63, &a, &f), FORM_TOO_LARGE);
    assert_null(f.fields);
    assert_int_equal(f.count, 0);
    arena_release(&a);
}

/* Builds "f0=1&f1=1&..." with n fields, with an empty pair between each when gaps is set. */
static char *many_fields(size_t n, int gaps)
{
    struct arena a = ARENA_INIT;
    char *s = xcalloc(n * 16 + 1, 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *item = arena_printf(&a, "%sf%zu=1", i ? (gaps ? "&&" : "&") : "", i);
        memcpy(s + len, item, strlen(item));
        len += strlen(item);
    }
    arena_release(&a);
    return s;
}

static void test_field_count_limit(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    char *s = many_fields(FORM_MAX_FIELDS, 0);
    assert_int_equal(decode(s, &a, &f), FORM_OK);
    assert_int_equal(f.count, FORM_MAX_FIELDS);
    assert_field(&f, FORM_MAX_FIELDS - 1, "f255", "1");
    free(s);
    s = many_fields(FORM_MAX_FIELDS, 1);
    assert_int_equal(decode(s, &a, &f), FORM_OK);
    assert_int_equal(f.count, FORM_MAX_FIELDS);
    free(s);
    s = many_fields(FORM_MAX_FIELDS + 1, 0);
    assert_int_equal(decode(s, &a, &f), FORM_TOO_MANY);
    assert_int_equal(f.count, 0);
    free(s);
    s = many_fields(5000, 0);
    assert_int_equal(decode_n(s, strlen(s), strlen(s), &a, &f), FORM_TOO_MANY);
    free(s);
    arena_release(&a);
}

/* A form that lists many items (the staff coding page) may have a cap of its own. */
static void test_field_count_limit_given(void **state)
{
    (void)state;
    struct arena a = ARENA_INIT;
    struct form f;
    char *s = many_fields(1000, 1);
    assert_int_equal(form_decode_fields(s, strlen(s), strlen(s), 1000, &a, &f), FORM_OK);
    assert_int_equal(f.count, 1000);
    assert_field(&f, 999, "f999", "1");
    assert_int_equal(form_decode_fields(s, strlen(s), strlen(s), 999, &a, &f), FORM_TOO_MANY);
    assert_int_equal(f.count, 0);
    assert_int_equal(decode_n(s, strlen(s), strlen(s), &a, &f), FORM_TOO_MANY);
    free(s);
    arena_release(&a);
}

static void test_error_messages(void **state)
{
    (void)state;
    const int errs[] = {FORM_BAD_ESCAPE, FORM_BAD_UTF8, FORM_TOO_MANY, FORM_TOO_LARGE};
    for (size_t i = 0; i < 4; i++) {
        const char *m = form_error_message(errs[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 10);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m, form_error_message(errs[j]));
    }
    assert_non_null(strstr(form_error_message(FORM_BAD_UTF8), "UTF-8"));
    assert_non_null(form_error_message(-999));
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("", 0));
    assert_true(utf8_valid("plain", 5));
    assert_true(utf8_valid("\xC2\x80", 2));
    assert_false(utf8_valid("a\0b", 3));
    assert_false(utf8_valid("\xC2\x80", 1));
    assert_false(utf8_valid("\xE0\xA0", 2));
}

static void test_utf8_control(void **state)
{
    (void)state;
    assert_int_equal(utf8_control("", 0), 0);
    assert_int_equal(utf8_control("a", 1), 0);
    assert_int_equal(utf8_control("\x1b[31m", 5), 1); /* ESC */
    assert_int_equal(utf8_control("\t", 1), 1);
    assert_int_equal(utf8_control("\x7f", 1), 1);     /* DEL */
    assert_int_equal(utf8_control("\xC2\x80", 2), 2); /* U+0080, the first C1 */
    assert_int_equal(utf8_control("\xC2\x9B", 2), 2); /* CSI */
    assert_int_equal(utf8_control("\xC2\x9F", 2), 2); /* U+009F, the last */
    assert_int_equal(utf8_control("\xC2\xA0", 2), 0); /* no-break space */
    assert_int_equal(utf8_control("\xC2\x9B", 1), 0); /* cut short: not a character */
    assert_int_equal(utf8_control("\xC3\xA9", 2), 0); /* e acute */
    assert_int_equal(utf8_control(" ", 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_pairs),
        cmocka_unit_test(test_escapes_and_plus),
        cmocka_unit_test(test_empty_pairs_and_missing_values),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_first_value_wins),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_escape_cut_by_length),
        cmocka_unit_test(test_valid_utf8),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_field_count_limit),
        cmocka_unit_test(test_field_count_limit_given),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
