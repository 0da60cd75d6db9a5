/*
 * Readability: word, sentence and syllable counts checked against counts made by hand,
 * the Flesch-Kincaid arithmetic, and the table that `planpack check` prints.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/fileset.h"
#include "pkg/check.h"
#include "pkg/pkg.h"

static struct readability count(const char *text)
{
    struct readability r = {0, 0, 0};
    readability_add(&r, text);
    return r;
}

static void expect_counts(const char *text, size_t words, size_t sentences, size_t syllables)
{
    struct readability r = count(text);
    if (r.words != words || r.sentences != sentences || r.syllables != syllables)
        fail_msg("\"%s\": counted %zu words, %zu sentences, %zu syllables; expected %zu, %zu, "
                 "%zu",
                 text, r.words, r.sentences, r.syllables, words, sentences, syllables);
}

static void test_syllables_of_words(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        size_t syllables;
    } words[] = {
        {"cat", 1},       {"the", 1},     {"make", 1},     {"table", 2},      {"little", 2},
        {"people", 2},    {"while", 1},   {"liked", 1},    {"wanted", 2},     {"played", 1},
        {"needed", 2},    {"makes", 1},   {"places", 2},   {"boxes", 2},      {"watches", 2},
        {"tables", 2},    {"happy", 2},   {"yes", 1},      {"computer", 3},   {"education", 4},
        {"beautiful", 3}, {"picture", 2}, {"message", 2},  {"someone", 2},    {"because", 2},
        {"agree", 2},     {"bullied", 2}, {"don't", 1},    {"you’re", 1},     {"well-known", 2},
        {"999", 1},       {"café", 2},    {"media", 3},    {"radio", 3},      {"social", 2},
        {"nation", 2},    {"million", 2}, {"material", 4}, {"australian", 4},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        expect_counts(words[i].word, 1, 1, words[i].syllables);
}

static void test_sentences(void **state)
{
    (void)state;
    /* hel-lo there how are you i am fine: 9 syllables in 8 words. */
    expect_counts("Hello there. How are you? I am fine!", 8, 3, 9);
    /* Runs of punctuation end one sentence; an ellipsis ends one too. */
    expect_counts("Wait... what?! OK.", 3, 3, 3);
    expect_counts("Wait… what?", 2, 2, 2);
    /* "e.g." (two letters, two syllables) does not end a sentence; nor does a web address. */
    expect_counts("See e.g. the plan. Done.", 5, 2, 6);
    expect_counts("Visit childline.org.uk today.", 3, 1, 8);
    /* A closing quote or bracket after the full stop still ends the sentence. */
    expect_counts("She said \"no.\" Then (later.) she left", 7, 3, 8);
    /* Emoji are not words, and a text without a full stop is still a sentence. */
    expect_counts("Here is my pizza 🍕", 4, 1, 5);
    expect_counts("🍕 🍕", 0, 0, 0);
    expect_counts("", 0, 0, 0);
}

static void test_markdown_is_stripped(void **state)
{
    (void)state;
    /*
     * Heading "Title" (ti-tle: 2), items "one item" (1 + 2) and "two items" (1 + 2), the
     * code block skipped, "Bold link text" (3): 8 words, 4 sentences, 11 syllables.
     */
    expect_counts("# Title\n\n- one item\n- two items\n\n```\ncode block here\n```\n\n"
                  "**Bold** [link](x.md) text\n",
                  8, 4, 11);
    /* Emphasis inside a word does not split it; a soft line break is a space. */
    expect_counts("un*believ*able\nthings", 2, 1, 6);
    /* Raw HTML is not shown, so it is not read either. */
    expect_counts("<div>\nhidden words here\n</div>\n\nShown.", 1, 1, 1);
}

static void test_grade_arithmetic(void **state)
{
    (void)state;
    struct readability r = {100, 10, 150};
    /* 0.39 * 10 + 11.8 * 1.5 - 15.59 = 6.01 */
    assert_true(fabs(readability_grade(&r) - 6.01) < 1e-9);
    assert_true(fabs(readability_age(&r) - 11.01) < 1e-9);
    struct readability none = {0, 0, 0};
    assert_true(readability_grade(&none) == 0);
    assert_true(readability_age(&none) == 0);
    /* Words with no sentence end count as one sentence. */
    struct readability one = {10, 0, 10};
    assert_true(fabs(readability_grade(&one) - (0.39 * 10 + 11.8 - 15.59)) < 1e-9);
}

static void test_page_counts_structured_text(void **state)
{
    (void)state;
    struct pkg_message messages[] = {
        {.text = "hey you up"},
        {.text = "yes"},
    };
    struct pkg_choice choices[] = {{.text = "Say no"}};
    struct pkg_step steps[] = {
        {.id = "start",
         .messages = messages,
         .message_count = 2,
         .choices = choices,
         .choice_count = 1},
    };
    struct pkg_page page = {.id = "story", .title = "A story", .kind = PAGE_STORY, .body = ""};
    page.story.steps = steps;
    page.story.step_count = 1;
    struct readability r;
    page_readability(&page, &r);
    /* "A story" | "hey you up" | "yes" | "Say no": each message and choice is a sentence. */
    assert_int_equal(r.words, 8);
    assert_int_equal(r.sentences, 4);
    assert_int_equal(r.syllables, 9);
}

static char *print_table(const struct pkg *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    check_print_readability(p, f);
    fclose(f);
    return text;
}

static void test_table_and_warning(void **state)
{
    (void)state;
    struct fileset fs;
    struct diag_list diags;
    diag_list_init(&diags);
    assert_int_equal(fileset_read_dir(&fs, "tests/fixtures/reading-age", &diags), 0);
    struct pkg *p = pkg_load(&fs, &diags);
    assert_non_null(p);
    pkg_check(p, &fs, &diags);
    /*
     * hard.md by hand: "Hard words" (2 words, 2 syllables) and three sentences of 12, 11
     * and 8 words with 37, 42 and 30 syllables: 33 words, 4 sentences, 111 syllables, so
     * grade = 0.39 * 33/4 + 11.8 * 111/33 - 15.59 = 27.3.
     */
    assert_int_equal(diag_count(&diags, DIAG_WARNING), 1);
    assert_string_equal(diags.items[diags.count - 1].message,
                        "reading age 32.3 (Flesch-Kincaid grade 27.3) is above the target of 11");
    char *table = print_table(p);
    assert_string_equal(table,
                        "Reading age of pupil pages (Flesch-Kincaid grade + 5; target 11):\n"
                        "    age  grade  words  page\n"
                        "   32.3   27.3     33  hard                     ABOVE target\n"
                        "    5.2    0.2     39  easy                     OK\n"
                        "   20.1   15.1      6  short                    too short to judge\n");
    free(table);
    pkg_free(p);
    fileset_release(&fs);
    diag_list_release(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syllables_of_words),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_markdown_is_stripped),
        cmocka_unit_test(test_grade_arithmetic),
        cmocka_unit_test(test_page_counts_structured_text),
        cmocka_unit_test(test_table_and_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
