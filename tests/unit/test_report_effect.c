/*
 * Effect sizes and intervals against values computed independently in the same run: the
 * fixed data set below goes, answer by answer, to tests/unit/effect_check.py, which works
 * each statistic out with NumPy and SciPy (Debian's python3-scipy, installed by
 * scripts/deps --test) from the individual answers, while planpack works from counts per
 * level. Also the words a report uses for the size of an effect, at its thresholds.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define LEVELS 5
#define TOL 1e-9

/* Before and after answers of one question, as counts per level (1 to 5). */
struct cliff_case {
    int64_t before[LEVELS];
    int64_t after[LEVELS];
};

static const struct cliff_case cliff_cases[] = {
    {{3, 6, 5, 2, 1}, {1, 2, 5, 6, 4}},  /* a rise, ties everywhere */
    {{0, 4, 9, 9, 2}, {0, 3, 8, 10, 4}}, /* a small rise in a large class */
    {{2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}},  /* no change at all */
    {{0, 0, 1, 4, 10}, {5, 6, 2, 1, 0}}, /* a large fall */
    {{0, 0, 0, 3, 2}, {0, 0, 0, 0, 7}},  /* a ceiling: only the top answers */
    {{1, 1, 0, 0, 0}, {0, 0, 0, 1, 1}},  /* two answers a side, no overlap */
};

/* Pairs (before, after) of one pupil's answers. */
struct pairs_case {
    int p[32][2];
    size_t n;
};

static const struct pairs_case pairs_cases[] = {
    {{{2, 4},
      {2, 5},
      {3, 4},
      {3, 5},
      {2, 4},
      {3, 3},
      {4, 3},
      {1, 3},
      {3, 4},
      {2, 2},
      {4, 5},
      {5, 4}},
     12},
    {{{3, 4}, {3, 4}, {3, 4}, {3, 2}, {4, 5}, {4, 3}, {2, 3}, {5, 5}}, 8},
    {{{1, 5}, {2, 5}, {1, 4}, {3, 5}, {2, 3}}, 5}, /* every pair rises */
    {{{4, 3}, {3, 1}, {5, 4}, {2, 3}, {4, 2}, {5, 2}, {3, 3}}, 7},
};

struct wilson_case {
    int64_t x, n;
};

static const struct wilson_case wilson_cases[] = {{17, 24}, {0, 12},    {12, 12},
                                                  {1, 5},   {230, 400}, {3, 7}};

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* Appends the answers of counts, one level per answer, comma-separated. */
static void add_answers(char *cmd, size_t size, const int64_t *counts)
{
    bool first = true;
    for (int l = 0; l < LEVELS; l++)
        for (int64_t i = 0; i < counts[l]; i++) {
            size_t len = strlen(cmd);
            snprintf(cmd + len, size - len, "%s%d", first ? "" : ",", l + 1);
            first = false;
        }
}

/* The checker's command line for the whole data set. */
static char *command(void)
{
    size_t size = 16384;
    char *cmd = calloc(1, size);
    char dir[512];
    snprintf(dir, sizeof(dir), "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    snprintf(cmd, size, "/usr/bin/python3 %s/effect_check.py", dir);
    for (size_t c = 0; c < NCASES(cliff_cases); c++) {
        strncat(cmd, " cliff ", size - strlen(cmd) - 1);
        add_answers(cmd, size, cliff_cases[c].before);
        strncat(cmd, " ", size - strlen(cmd) - 1);
        add_answers(cmd, size, cliff_cases[c].after);
    }
    for (size_t c = 0; c < NCASES(pairs_cases); c++) {
        strncat(cmd, " pairs ", size - strlen(cmd) - 1);
        for (size_t i = 0; i < pairs_cases[c].n; i++) {
            size_t len = strlen(cmd);
            snprintf(cmd + len, size - len, "%s%d:%d", i ? "," : "", pairs_cases[c].p[i][0],
                     pairs_cases[c].p[i][1]);
        }
    }
    for (size_t c = 0; c < NCASES(wilson_cases); c++) {
        size_t len = strlen(cmd);
        snprintf(cmd + len, size - len, " wilson %lld %lld", (long long)wilson_cases[c].x,
                 (long long)wilson_cases[c].n);
    }
    assert_true(strlen(cmd) < size - 1);
    return cmd;
}

/* Reads the checker's next line: its kind and three numbers. */
static void expect_line(FILE *f, const char *kind, double v[3])
{
    char line[512], k[16];
    if (!fgets(line, sizeof(line), f))
        fail_msg("effect_check.py gave no line for %s", kind);
    if (sscanf(line, "%15s %lf %lf %lf", k, &v[0], &v[1], &v[2]) != 4 || strcmp(k, kind) != 0)
        fail_msg("effect_check.py: expected %s, got: %s", kind, line);
    for (int i = 0; i < 3; i++)
        if (!isfinite(v[i]))
            fail_msg("effect_check.py: not a number in: %s", line);
}

static void test_against_scipy(void **state)
{
    (void)state;
    char *cmd = command();
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    double v[3];
    for (size_t c = 0; c < NCASES(cliff_cases); c++) {
        struct stats_effect e;
        assert_int_equal(stats_cliff(cliff_cases[c].before, cliff_cases[c].after, LEVELS, &e), 0);
        expect_line(f, "cliff", v);
        print_message("cliff %zu: %.6f [%.6f, %.6f]\n", c, e.estimate, e.low, e.high);
        assert_float_equal(e.estimate, v[0], TOL);
        assert_float_equal(e.low, v[1], TOL);
        assert_float_equal(e.high, v[2], TOL);
        assert_true(e.low <= e.estimate && e.estimate <= e.high);
    }
    for (size_t c = 0; c < NCASES(pairs_cases); c++) {
        int64_t diff[2 * (LEVELS - 1) + 1] = {0};
        for (size_t i = 0; i < pairs_cases[c].n; i++)
            diff[LEVELS - 1 + pairs_cases[c].p[i][1] - pairs_cases[c].p[i][0]]++;
        struct stats_effect e;
        assert_int_equal(stats_rank_biserial(diff, LEVELS - 1, &e), 0);
        expect_line(f, "pairs", v);
        print_message("pairs %zu: %.6f [%.6f, %.6f]\n", c, e.estimate, e.low, e.high);
        assert_float_equal(e.estimate, v[0], TOL);
        assert_float_equal(e.low, v[1], TOL);
        assert_float_equal(e.high, v[2], TOL);
    }
    for (size_t c = 0; c < NCASES(wilson_cases); c++) {
        struct stats_share s;
        assert_int_equal(stats_wilson(wilson_cases[c].x, wilson_cases[c].n, &s), 0);
        expect_line(f, "wilson", v);
        assert_float_equal(s.share, v[0], TOL);
        assert_float_equal(s.low, v[1], TOL);
        assert_float_equal(s.high, v[2], TOL);
    }
    char extra[64];
    assert_null(fgets(extra, sizeof(extra), f));
    assert_int_equal(pclose(f), 0);
    free(cmd);
}

static void test_too_little_data_is_refused(void **state)
{
    (void)state;
    struct stats_effect e;
    const int64_t one[LEVELS] = {0, 1, 0, 0, 0}, some[LEVELS] = {1, 2, 3, 0, 0};
    assert_int_equal(stats_cliff(one, some, LEVELS, &e), -1);
    assert_int_equal(stats_cliff(some, one, LEVELS, &e), -1);
    /* Pairs that do not differ say nothing about the direction of change. */
    const int64_t same[9] = {0, 0, 0, 0, 20, 1, 0, 0, 0};
    assert_int_equal(stats_rank_biserial(same, 4, &e), -1);
    struct stats_share s;
    assert_int_equal(stats_wilson(0, 0, &s), -1);
    assert_int_equal(stats_wilson(6, 5, &s), -1);
    assert_int_equal(stats_wilson(-1, 5, &s), -1);
}

static void test_size_in_words(void **state)
{
    (void)state;
    /* Romano et al. (2006) for Cliff's delta, Cohen (1988) for the paired correlation. */
    assert_string_equal(stats_effect_size(STATS_CLIFF, 0.146), "negligible");
    assert_string_equal(stats_effect_size(STATS_CLIFF, 0.147), "small");
    assert_string_equal(stats_effect_size(STATS_CLIFF, -0.329), "small");
    assert_string_equal(stats_effect_size(STATS_CLIFF, 0.33), "medium");
    assert_string_equal(stats_effect_size(STATS_CLIFF, 0.473), "medium");
    assert_string_equal(stats_effect_size(STATS_CLIFF, -0.474), "large");
    assert_string_equal(stats_effect_size(STATS_RANK_BISERIAL, 0.099), "negligible");
    assert_string_equal(stats_effect_size(STATS_RANK_BISERIAL, 0.1), "small");
    assert_string_equal(stats_effect_size(STATS_RANK_BISERIAL, 0.3), "medium");
    assert_string_equal(stats_effect_size(STATS_RANK_BISERIAL, -0.5), "large");

    char words[64];
    struct stats_effect e;
    assert_int_equal(stats_cliff(cliff_cases[0].before, cliff_cases[0].after, LEVELS, &e), 0);
    /* delta = 0.4837, interval 0.114 to 0.736. */
    stats_effect_words(&e, words, sizeof(words));
    assert_string_equal(words, "a large rise");
    struct stats_effect medium = {STATS_CLIFF, 0.40, 0.05, 0.65, 0.15, 20, 20};
    stats_effect_words(&medium, words, sizeof(words));
    assert_string_equal(words, "a medium rise");
    struct stats_effect small = {STATS_RANK_BISERIAL, -0.2, -0.35, -0.01, 0.1, 40, 40};
    stats_effect_words(&small, words, sizeof(words));
    assert_string_equal(words, "a small fall");
    assert_int_equal(stats_cliff(cliff_cases[3].before, cliff_cases[3].after, LEVELS, &e), 0);
    stats_effect_words(&e, words, sizeof(words));
    assert_string_equal(words, "a large fall");
    /* delta = 0.137, but the interval (-0.169 to 0.418) holds 0. */
    assert_int_equal(stats_cliff(cliff_cases[1].before, cliff_cases[1].after, LEVELS, &e), 0);
    stats_effect_words(&e, words, sizeof(words));
    assert_string_equal(words, "no clear change");
}

static void test_change_in_one_sentence(void **state)
{
    (void)state;
    /* 42% (10 of 24) at the start, 71% (17 of 24) at the end. */
    struct stats_share start, end;
    assert_int_equal(stats_wilson(10, 24, &start), 0);
    assert_int_equal(stats_wilson(17, 24, &end), 0);
    struct stats_effect medium = {STATS_CLIFF, 0.40, 0.08, 0.64, 0.15, 24, 24};
    char s[256];
    stats_change_sentence("quite or very sure about saying no", &start, &end, &medium, s,
                          sizeof(s));
    assert_string_equal(s, "At the end, 71% were quite or very sure about saying no, up from 42% "
                           "at the start: a medium rise.");
    struct stats_effect unclear = {STATS_CLIFF, -0.05, -0.3, 0.2, 0.13, 24, 24};
    stats_change_sentence("sure", &end, &start, &unclear, s, sizeof(s));
    assert_string_equal(s, "At the end, 42% were sure, down from 71% at the start: no clear "
                           "change.");
    stats_change_sentence("sure", &start, &start, &unclear, s, sizeof(s));
    assert_string_equal(s, "At the end, 42% were sure, the same as 42% at the start: no clear "
                           "change.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_scipy),
        cmocka_unit_test(test_too_little_data_is_refused),
        cmocka_unit_test(test_size_in_words),
        cmocka_unit_test(test_change_in_one_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
