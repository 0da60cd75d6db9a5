/*
 * The SPSS and Stata files' part and language columns, read back by ReadStat's own programs
 * (Debian's readstat and extract_metadata, which scripts/deps --test installs): each answer's
 * part and language as it was stored, an answer from before parts or languages with empty
 * cells, both columns with their variable labels, and what the k rule holds back in no row:
 * a class with fewer than k answers, and a class's answers in one language that number
 * fewer than k.
 *
 * The data (k = 5), each answer one scale answer:
 *   class A: 6 start answers (4 in English, 2 in Welsh), 5 end answers (3 in Welsh, 2 with
 *            no language recorded), 5 later answers in English and 2 in French (held back),
 *            3 in one sitting (no part, no language);
 *   class B: 3 start answers in Welsh, held back.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "test_fixture_report.h"
#include "test_fixture_survey.h"

struct world {
    char *path;
    struct store *s;
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1];
};

/* One answer of class code, in part (NULL: one sitting) and language (NULL: not recorded). */
static void submit(struct store *s, const char *code, const char *part, const char *language)
{
    struct fx_answer f;
    fx_answer_make(&f, code, "1.0.0", "c3", NULL);
    f.a.part = part;
    f.a.language = language;
    assert_int_equal(store_submit(s, &f.a), STORE_OK);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    w->s = fx_store_new(&w->path);
    struct survey sv = fx_survey("1.0.0");
    struct store_cohort_spec spec = {.label = "Class A", .school = "Hill School", .survey = &sv};
    assert_int_equal(store_cohort_create(w->s, &spec, w->a), STORE_OK);
    spec.label = "Class B";
    assert_int_equal(store_cohort_create(w->s, &spec, w->b), STORE_OK);
    for (int i = 0; i < 6; i++)
        submit(w->s, w->a, "start", i < 4 ? "en" : "cy");
    for (int i = 0; i < 5; i++)
        submit(w->s, w->a, "end", i < 3 ? "cy" : NULL);
    for (int i = 0; i < 5; i++)
        submit(w->s, w->a, "later", "en");
    for (int i = 0; i < 3; i++)
        submit(w->s, w->a, NULL, NULL);
    for (int i = 0; i < 2; i++)
        submit(w->s, w->a, "later", "fr");
    for (int i = 0; i < 3; i++)
        submit(w->s, w->b, "start", "cy");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    fx_store_free(w->s, w->path);
    free(w);
    return 0;
}

/* The line of text that holds needle, the caller's to free(); fails when there is none. */
static char *line_with(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    if (!hit)
        fail_msg("no line with %s", needle);
    assert_non_null(hit);
    const char *s = hit, *e = strchr(hit, '\n');
    while (s > text && s[-1] != '\n')
        s--;
    return strndup(s, e ? (size_t)(e - s) : strlen(s));
}

static void test_part_and_language_read_back(void **state)
{
    struct world *w = *state;
    const char *ext[] = {"sav", "dta"};
    enum report_export f[] = {REPORT_EXPORT_SAV, REPORT_EXPORT_DTA};
    for (int i = 0; i < 2; i++) {
        struct report_options opt = {.k = 5};
        char *path = fx_export_file(w->s, &opt, f[i], ext[i]);
        char cmd[700];
        snprintf(cmd, sizeof(cmd), "/usr/bin/readstat '%s' - 2>/dev/null", path);
        char *data = fx_run(cmd);
        char *head = line_with(data, "\"class_code\"");
        assert_non_null(strstr(head, "\"class_code\",\"school\",\"package_version\",\"language\","
                                     "\"part\",\"day\","));
        free(head);
        /* Each answer's language and part, as stored; class B in no row. */
        char want[128];
        const struct {
            const char *cells;
            size_t rows;
        } rows[] = {
            {"\"en\",\"start\",", 4}, {"\"cy\",\"start\",", 2}, {"\"cy\",\"end\",", 3},
            {"\"\",\"end\",", 2},     {"\"en\",\"later\",", 5}, {"\"\",\"\",", 3},
        };
        for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
            snprintf(want, sizeof(want), "\"%s\",\"Hill School\",\"1.0.0\",%s", w->a,
                     rows[k].cells);
            if (fx_lines_with(data, want) != rows[k].rows)
                fail_msg("%s: %zu rows with %s, not %zu", ext[i], fx_lines_with(data, want), want,
                         rows[k].rows);
        }
        assert_int_equal(fx_lines_with(data, w->a), 19);
        assert_int_equal(fx_lines_with(data, w->b), 0);
        assert_int_equal(fx_lines_with(data, "\"fr\""), 0);
        free(data);

        /* Both columns as text, each with its label. */
        snprintf(cmd, sizeof(cmd), "/usr/bin/extract_metadata '%s' /dev/stdout 2>/dev/null", path);
        char *meta = fx_run(cmd);
        char *lang = line_with(meta, "\"name\": \"language\"");
        assert_non_null(strstr(lang, "\"type\": \"STRING\""));
        assert_non_null(strstr(lang, "\"label\": \"Language of the page the answer was given on "
                                     "(empty: not recorded)\""));
        free(lang);
        char *part = line_with(meta, "\"name\": \"part\"");
        assert_non_null(strstr(part, "\"type\": \"STRING\""));
        assert_non_null(strstr(part, "\"label\": \"Survey part: start, end or later (empty: one "
                                     "sitting, from before parts)\""));
        free(part);
        free(meta);
        fx_tmp_free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_part_and_language_read_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
