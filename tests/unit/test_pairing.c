/*
 * Pairing words: the lists are safe to hand out (letters only, short, every word at least
 * two edits from every other of its list), words are drawn from both lists, what a pupil
 * types is normalised, and a class's start and end answers pair exactly, on a near miss or
 * on swapped words, but never when a word was given twice, when a near miss could be one of
 * two words, or across classes.
 */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "survey/pairing.h"

/* Plain Levenshtein with neighbouring swaps, written apart from the module's, for the lists. */
static unsigned distance(const char *a, const char *b)
{
    size_t m = strlen(a), n = strlen(b);
    unsigned d[24][24];
    assert_true(m < 24 && n < 24);
    for (size_t i = 0; i <= m; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= n; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            v = d[i - 1][j] + 1 < v ? d[i - 1][j] + 1 : v;
            v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[m][n];
}

static void check_list(const char *const *list, size_t count)
{
    assert_true(count >= 64);
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen(list[i]);
        if (len < 3 || len > 8)
            fail_msg("'%s' is not 3 to 8 letters", list[i]);
        for (const char *p = list[i]; *p; p++)
            if (*p < 'a' || *p > 'z')
                fail_msg("'%s' is not lower-case letters only", list[i]);
        for (size_t j = i + 1; j < count; j++)
            if (distance(list[i], list[j]) < 2)
                fail_msg("'%s' and '%s' are one edit apart", list[i], list[j]);
    }
}

static void test_lists(void **state)
{
    (void)state;
    check_list(pairing_first, pairing_first_count);
    check_list(pairing_second, pairing_second_count);
    /* Enough combinations that two pupils of a class of 30 rarely draw the same word. */
    assert_true(pairing_first_count * pairing_second_count >= 8000);
}

static size_t index_of(const char *const *list, size_t count, const char *w, size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
            return i;
    fail_msg("'%.*s' is not a list word", (int)len, w);
    return 0;
}

static void test_new_words(void **state)
{
    (void)state;
    static unsigned first_seen[256], second_seen[256];
    enum { DRAWS = 20000 };
    for (int k = 0; k < DRAWS; k++) {
        char w[PAIRING_WORD_MAX];
        assert_int_equal(pairing_word_new(w), 0);
        const char *sp = strchr(w, ' ');
        assert_non_null(sp);
        first_seen[index_of(pairing_first, pairing_first_count, w, (size_t)(sp - w))]++;
        second_seen[index_of(pairing_second, pairing_second_count, sp + 1, strlen(sp + 1))]++;
        assert_true(pairing_word_known(w));
        /* A drawn word is already normalised. */
        char norm[PAIRING_WORD_MAX];
        assert_int_equal(pairing_normalise(w, strlen(w), norm), 0);
        assert_string_equal(norm, w);
    }
    /* Every word of each list turns up, and none far more often than its share. */
    for (size_t i = 0; i < pairing_first_count; i++) {
        assert_true(first_seen[i] > 0);
        assert_true(first_seen[i] < 3 * DRAWS / pairing_first_count);
    }
    for (size_t i = 0; i < pairing_second_count; i++) {
        assert_true(second_seen[i] > 0);
        assert_true(second_seen[i] < 3 * DRAWS / pairing_second_count);
    }
}

/* The letters of w, without its space. */
static void letters_of(const char *w, char *out)
{
    for (; *w; w++)
        if (*w != ' ')
            *out++ = *w;
    *out = '\0';
}

static void test_new_apart(void **state)
{
    (void)state;
    enum { TAKEN = 50 };
    char words[TAKEN][PAIRING_WORD_MAX];
    const char *taken[TAKEN + 1];
    for (int i = 0; i < TAKEN; i++) {
        assert_int_equal(pairing_word_new(words[i]), 0);
        taken[i] = words[i];
    }
    taken[TAKEN] = NULL; /* skipped */
    for (int k = 0; k < 500; k++) {
        char w[PAIRING_WORD_MAX], a[PAIRING_WORD_MAX], b[PAIRING_WORD_MAX];
        assert_int_equal(pairing_word_new_apart(PAIRING_ONLINE, taken, TAKEN + 1, w), 0);
        assert_true(pairing_word_known(w));
        letters_of(w, a);
        for (int i = 0; i < TAKEN; i++) {
            letters_of(taken[i], b);
            if (distance(a, b) < 3 || pairing_near(w, taken[i]))
                fail_msg("'%s' was drawn beside '%s'", w, taken[i]);
        }
    }
    /* Nothing taken: any word. */
    char w[PAIRING_WORD_MAX];
    assert_int_equal(pairing_word_new_apart(PAIRING_PRINTED, NULL, 0, w), 0);
    assert_true(pairing_word_known(w));
}

/*
 * Words handed out online and words printed on sheets draw their describing words from
 * halves of the list that share none, each half whole: an online word is never a printed
 * one, nor a near miss of one, so a class's paper and online pupils never take each other's
 * pairs.
 */
static void test_online_never_printed(void **state)
{
    (void)state;
    enum { DRAWS = 3000 };
    static char words[2][DRAWS][PAIRING_WORD_MAX];
    static unsigned seen[2][256];
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < DRAWS; k++) {
            char *w = words[s][k];
            assert_int_equal(
                pairing_word_new_apart(s ? PAIRING_ONLINE : PAIRING_PRINTED, NULL, 0, w), 0);
            assert_true(pairing_word_known(w));
            size_t i = index_of(pairing_first, pairing_first_count, w, strcspn(w, " "));
            assert_int_equal(i % 2, s); /* online: odd places; printed: even */
            seen[s][i]++;
        }
    for (size_t i = 0; i < pairing_first_count; i++)
        assert_true(seen[i % 2][i] > 0);
    for (int a = 0; a < DRAWS; a += 7)
        for (int b = 0; b < DRAWS; b++)
            if (pairing_same(words[1][a], words[0][b]) || pairing_near(words[1][a], words[0][b]))
                fail_msg("online '%s' beside printed '%s'", words[1][a], words[0][b]);
}

static void assert_norm(const char *in, const char *want)
{
    char out[PAIRING_WORD_MAX];
    int rc = pairing_normalise(in, strlen(in), out);
    if (rc != 0 || strcmp(out, want) != 0)
        fail_msg("'%s' became '%s' (%d), wanted '%s'", in, out, rc, want);
}

static void test_normalise(void **state)
{
    (void)state;
    assert_norm("green otter", "green otter");
    assert_norm("  Green   OTTER ", "green otter");
    assert_norm("green-otter", "green otter");
    assert_norm("GREEN_otter.", "green otter");
    assert_norm("green\t\notter", "green otter");
    assert_norm("greenotter", "green otter"); /* run together: the list gives the space back */
    assert_norm("GreenOtter", "green otter");
    assert_norm("greenottr", "greenottr"); /* no exact split: nothing guessed */
    assert_norm("green otter 2", "green otter");
    assert_norm("gr\xc3\xabn otter", "gr\xc3\xabn otter"); /* bytes beyond ASCII kept */
    char out[PAIRING_WORD_MAX];
    assert_int_equal(pairing_normalise("", 0, out), -EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(pairing_normalise(" - 42 ", 6, out), -EINVAL);
    char long_in[200];
    memset(long_in, 'a', sizeof(long_in));
    assert_int_equal(pairing_normalise(long_in, sizeof(long_in), out), -E2BIG);
    assert_string_equal(out, "");
    /* The longest that fits, and one more. */
    assert_int_equal(pairing_normalise(long_in, PAIRING_WORD_MAX - 1, out), 0);
    assert_int_equal(strlen(out), PAIRING_WORD_MAX - 1);
    assert_int_equal(pairing_normalise(long_in, PAIRING_WORD_MAX, out), -E2BIG);
}

static void test_known(void **state)
{
    (void)state;
    assert_true(pairing_word_known("green otter"));
    assert_false(pairing_word_known("otter green")); /* the lists have their places */
    assert_false(pairing_word_known("green  otter"));
    assert_false(pairing_word_known("Green otter"));
    assert_false(pairing_word_known("green otter "));
    assert_false(pairing_word_known("green"));
    assert_false(pairing_word_known("green ottr"));
    assert_false(pairing_word_known("you smell"));
    assert_false(pairing_word_known(""));
    assert_false(pairing_word_known(NULL));
}

static void test_near(void **state)
{
    (void)state;
    assert_true(pairing_same("green otter", "greenotter"));
    assert_false(pairing_near("green otter", "green otter"));
    assert_true(pairing_near("green otter", "gren otter"));   /* missing */
    assert_true(pairing_near("green otter", "green otters")); /* extra */
    assert_true(pairing_near("green otter", "green ottar"));  /* wrong */
    assert_true(pairing_near("green otter", "green toter"));  /* neighbours swapped */
    assert_true(pairing_near("green otter", "otter green"));  /* words swapped */
    assert_false(pairing_near("green otter", "gren ottar"));  /* two letters */
    assert_false(pairing_near("green otter", "otter gren"));  /* swapped and a letter */
    assert_false(pairing_near("green otter", "pink otter"));
    assert_false(pairing_near("green otter", "green"));
}

/* Runs the matcher and checks the pairs it gives, "start-end" ids, with 'e' for exact. */
static void expect_pairs(const struct pairing_answer *s, size_t ns, const struct pairing_answer *e,
                         size_t ne, const char *want)
{
    struct pairing_pair pairs[16];
    size_t n = pairing_match(s, ns, e, ne, pairs);
    char got[256] = "";
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(got + at, sizeof(got) - at, "%s%lld-%lld%s", i ? " " : "",
                               (long long)pairs[i].start_id, (long long)pairs[i].end_id,
                               pairs[i].exact ? "e" : "");
    if (strcmp(got, want) != 0)
        fail_msg("pairs '%s', wanted '%s'", got, want);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_match_exact(void **state)
{
    (void)state;
    const struct pairing_answer s[] = {
        {1, "green otter"}, {2, "pink lion"}, {3, "brave kite"}, {4, NULL}, {5, ""}};
    const struct pairing_answer e[] = {
        {11, "brave kite"}, {12, "green otter"}, {13, "happy drum"}, {14, NULL}};
    expect_pairs(s, N(s), e, N(e), "1-12e 3-11e");
    expect_pairs(s, 0, e, N(e), "");
    expect_pairs(s, N(s), e, 0, "");
}

static void test_match_near_miss(void **state)
{
    (void)state;
    const struct pairing_answer s[] = {
        {1, "green otter"}, {2, "pink lion"}, {3, "brave kite"}, {4, "swift tulip"}};
    const struct pairing_answer e[] = {
        {11, "gren otter"}, {12, "pink lions"}, {13, "kite brave"}, {14, "swift tulpi"}};
    expect_pairs(s, N(s), e, N(e), "1-11 2-12 3-13 4-14");
    /* Two letters off is too far. */
    const struct pairing_answer far[] = {{21, "gren ottar"}};
    expect_pairs(s, N(s), far, N(far), "");
}

static void test_match_reused(void **state)
{
    (void)state;
    /* Two start answers with one word: either could be the pupil's, so neither pairs. */
    const struct pairing_answer s[] = {{1, "green otter"}, {2, "green otter"}, {3, "pink lion"}};
    const struct pairing_answer e[] = {{11, "green otter"}, {12, "pink lion"}};
    expect_pairs(s, N(s), e, N(e), "3-12e");
    /* Two start answers a near miss apart count as one word given twice. */
    const struct pairing_answer s2[] = {{1, "green otter"}, {2, "green otters"}};
    const struct pairing_answer e2[] = {{11, "green otter"}};
    expect_pairs(s2, N(s2), e2, N(e2), "");
    /* Two end answers with one word (or a near-same one) pair with neither. */
    const struct pairing_answer s3[] = {{1, "green otter"}, {2, "pink lion"}};
    const struct pairing_answer e3[] = {
        {11, "green otter"}, {12, "green otter"}, {13, "pink lion"}};
    expect_pairs(s3, N(s3), e3, N(e3), "2-13e");
    const struct pairing_answer e4[] = {{11, "green otter"}, {12, "otter green"}};
    expect_pairs(s3, N(s3), e4, N(e4), "");
}

static void test_match_ambiguous(void **state)
{
    (void)state;
    const struct pairing_answer s2[] = {{1, "pink cat"}, {2, "pink bar"}};
    /* "pink bat" is one letter from both "pink cat" and "pink bar": neither pairs. */
    const struct pairing_answer e2[] = {{11, "pink bat"}};
    expect_pairs(s2, N(s2), e2, N(e2), "");
    /* An exact word still pairs when it is also a near miss of another start word. */
    const struct pairing_answer e3[] = {{11, "pink cat"}};
    expect_pairs(s2, N(s2), e3, N(e3), "1-11e");
    /* Two end words, not near each other, each a near miss of one start word: neither. */
    const struct pairing_answer s4[] = {{1, "green otter"}};
    const struct pairing_answer e4[] = {{11, "gren otter"}, {12, "green ottr"}};
    expect_pairs(s4, N(s4), e4, N(e4), "");
    /* A word two letters off claims nothing, so the exact one still pairs. */
    const struct pairing_answer e5[] = {{11, "green otter"}, {12, "gren ottr"}};
    expect_pairs(s4, N(s4), e5, N(e5), "1-11e");
}

static void test_match_within_class_only(void **state)
{
    (void)state;
    /* The caller matches one class at a time; a word from another class finds nothing. */
    const struct pairing_answer class_a_start[] = {{1, "green otter"}};
    const struct pairing_answer class_b_end[] = {{21, "pink lion"}};
    const struct pairing_answer class_a_end[] = {{11, "green otter"}};
    expect_pairs(class_a_start, 1, class_b_end, 1, "");
    expect_pairs(class_a_start, 1, class_a_end, 1, "1-11e");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_new_words),
        cmocka_unit_test(test_new_apart),
        cmocka_unit_test(test_online_never_printed),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_near),
        cmocka_unit_test(test_match_exact),
        cmocka_unit_test(test_match_near_miss),
        cmocka_unit_test(test_match_reused),
        cmocka_unit_test(test_match_ambiguous),
        cmocka_unit_test(test_match_within_class_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
