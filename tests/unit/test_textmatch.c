/*
 * Finding a package's words that may signal a disclosure in pupils' comments: whole words
 * only, case and accents ignored, apostrophes of every kind alike, prefixes with '*', and
 * never a read past the text it was given.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/textmatch.h"
#include "base/xalloc.h"

static void assert_folds(const char *in, const char *want)
{
    struct buf b;
    buf_init(&b, 4096);
    textmatch_fold(in, strlen(in), &b);
    assert_string_equal(b.ptr ? b.ptr : "", want);
    buf_release(&b);
}

static void test_fold(void **state)
{
    (void)state;
    assert_folds("Something to TELL", " something to tell ");
    assert_folds("  call me...i have something!! ", " call me i have something ");
    assert_folds("Café NAÏVE Œuvre straße", " cafe naive oeuvre strasse ");
    assert_folds("Ŵyn ŷ âr", " wyn y ar ");      /* Welsh */
    assert_folds("e\xcc\x81t\xc3\xa9", " ete "); /* combining and composed */
    assert_folds("don't don\xe2\x80\x99t dont", " dont dont dont ");
    assert_folds("help\xf0\x9f\x98\xa2me", " help me "); /* an emoji separates */
    assert_folds("a\xff"
                 "b\xc3",
                 " a b "); /* bytes that are not UTF-8 */
    assert_folds("--- !!", "");
    assert_folds("", "");
}

static const char *find(const char *const *phrases, size_t n, const char *text)
{
    struct textmatch m;
    textmatch_init(&m);
    for (size_t i = 0; i < n; i++)
        assert_true(textmatch_add(&m, phrases[i]));
    struct buf scratch;
    buf_init(&scratch, 8192);
    /* A heap copy of exactly the text, so that ASan catches a read past it. */
    size_t len = strlen(text);
    char *copy = xmalloc(len ? len : 1);
    memcpy(copy, text, len);
    const char *hit = textmatch_find(&m, copy, len, &scratch);
    free(copy);
    buf_release(&scratch);
    textmatch_release(&m);
    return hit;
}

static void test_whole_words_and_phrases(void **state)
{
    (void)state;
    static const char *const words[] = {"something to tell", "happened to me", "hurt myself",
                                        "suicid*", "self harm"};
    size_t n = sizeof(words) / sizeof(words[0]);
    assert_string_equal(find(words, n, "call me ... i have Something To tell about what"),
                        "something to tell");
    assert_string_equal(find(words, n, "It HAPPENED to me."), "happened to me");
    assert_string_equal(find(words, n, "i feel suicidal"), "suicid*");
    assert_string_equal(find(words, n, "Suicide"), "suicid*");
    assert_string_equal(find(words, n, "thinking about self-harm"), "self harm");
    /* Not whole words, or the words apart: no match. */
    assert_null(find(words, n, "something to tellurium"));
    assert_null(find(words, n, "unhappened to me"));
    assert_null(find(words, n, "happened to meet"));
    assert_null(find(words, n, "something else to tell"));
    assert_null(find(words, n, "it was good"));
    assert_null(find(words, n, ""));
    /* Accents in the text or in the phrase. */
    static const char *const accented[] = {"brifo fy hun", "ŵyr"};
    assert_string_equal(find(accented, 2, "Dw i'n BRIFO fy hun"), "brifo fy hun");
    assert_string_equal(find(accented, 2, "WYR"), "ŵyr");
    static const char *const apostrophe[] = {"can't tell anyone"};
    assert_string_equal(find(apostrophe, 1, "I can\xe2\x80\x99t tell anyone"), "can't tell anyone");
    assert_string_equal(find(apostrophe, 1, "i cant tell anyone"), "can't tell anyone");
}

static void test_phrases_without_words(void **state)
{
    (void)state;
    struct textmatch m;
    textmatch_init(&m);
    assert_false(textmatch_add(&m, ""));
    assert_false(textmatch_add(&m, " - !"));
    assert_false(textmatch_add(&m, "*"));
    assert_int_equal(m.count, 0);
    assert_true(textmatch_add(&m, "a*b"));
    assert_int_equal(m.count, 1);
    assert_string_equal(m.folded[0], " a* b ");
    textmatch_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_whole_words_and_phrases),
        cmocka_unit_test(test_phrases_without_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
