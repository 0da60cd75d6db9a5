/*
 * Answers in two languages: a class that answered the same questions in English and in Welsh
 * is counted as one, each language is a group of its own, and the k rule holds a class's
 * answers in one language back as it holds a small class back: from the class's figures,
 * every total's, its language's, the data files' rows and the pairing of start and end
 * answers. (test_report_views checks on generated data, Welsh answers among them, that no
 * view nor any sum or difference of views gives a figure held back.)
 */
#include "testutil.h"

#include <errno.h>
#include <sodium.h>

#include "report/internal.h"
#include "report/report.h"
#include "test_fixture_report.h"

struct world {
    char *path;
    struct store *s;
};

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    w->s = fx_store_new(&w->path);
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

static void cohort(struct world *w, const char *school, char *code)
{
    struct survey sv = fx_survey("1.0.0");
    struct store_cohort_spec spec = {.label = "Year 8", .school = school, .survey = &sv};
    assert_int_equal(store_cohort_create(w->s, &spec, code), STORE_OK);
}

/* Two classes of one school, as most tests here have them. */
static void two_classes(struct world *w, char *a, char *b)
{
    cohort(w, "Ysgol y Bryn", a);
    cohort(w, "Ysgol y Bryn", b);
}

/* n answers of class code in language (NULL: not recorded) to q-confident-end (value) or,
 * with a part, to that part's question, with a pairing word. */
static void answer(struct world *w, const char *code, const char *language, const char *part,
                   const char *value, const char *word, int n)
{
    const char *vals[1] = {value};
    struct survey_item item = {part && strcmp(part, "start") == 0 ? "q-confident-start"
                                                                  : "q-confident-end",
                               false, vals, 1};
    struct survey_answer a = {.package_id = "sharing-images",
                              .package_version = "1.0.0",
                              .items = &item,
                              .item_count = 1,
                              .part = part,
                              .pairing_word = word,
                              .language = language};
    snprintf(a.code, sizeof(a.code), "%s", code);
    for (int i = 0; i < n; i++)
        assert_int_equal(store_submit(w->s, &a), STORE_OK);
}

static struct report *build(struct world *w)
{
    struct report_options opt = {0};
    struct report *r = NULL;
    char err[256] = "";
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    return r;
}

/* The group of a kind with a name (a class's code, a language's tag), or fails. */
static size_t group(const struct report *r, enum group_kind kind, const char *name)
{
    for (size_t g = 0; g < r->ng; g++)
        if (r->g[g].kind == kind && strcmp(r->g[g].name, name) == 0)
            return g;
    fail_msg("no group %s", name);
    return SIZE_MAX;
}

static size_t question(const struct report *r, const char *id)
{
    for (size_t q = 0; q < r->nq; q++)
        if (strcmp(r->q[q].id, id) == 0)
            return q;
    fail_msg("no question %s", id);
    return SIZE_MAX;
}

/* The column of an option of question q. */
static size_t column(const struct report *r, size_t q, const char *option)
{
    for (size_t j = 0; j < r->q[q].nopt; j++)
        if (strcmp(r->q[q].opt_ids[j], option) == 0)
            return j;
    fail_msg("no option %s", option);
    return SIZE_MAX;
}

static int64_t count(const struct report *r, size_t g, size_t q, size_t col)
{
    int64_t v = -1;
    assert_int_equal(report_count(r, g, q, col, &v), 0);
    return v;
}

static char *render(const struct report *r, enum report_format f)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_write(r, f, &sink), 0);
    return buf_detach(&b, NULL);
}

static int count_rows(const struct store_answer_row *row, void *ctx)
{
    size_t *n = ctx;
    n[row->language && strcmp(row->language, "cy") == 0]++;
    return 0;
}

/* Only a language's own name for cy, to see it used. */
static const char *welsh_name(const char *language)
{
    return strcmp(language, "cy") == 0 ? "Cymraeg" : NULL;
}

/* A class's answers in English and in Welsh to the same questions are its answers, together;
 * each language is the sum of its classes' answers in it. */
static void test_counted_together(void **state)
{
    struct world *w = *state;
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1];
    two_classes(w, a, b);
    answer(w, a, "en-GB", NULL, "c2", NULL, 6);
    answer(w, a, "cy", NULL, "c4", NULL, 5);
    answer(w, b, "cy", NULL, "c4", NULL, 7);
    struct report *r = build(w);
    size_t q = question(r, "q-confident-end"), c2 = column(r, q, "c2"), c4 = column(r, q, "c4");
    size_t ga = group(r, GROUP_COHORT, a), cy = group(r, GROUP_LANGUAGE, "cy"),
           en = group(r, GROUP_LANGUAGE, "en-GB");
    assert_int_equal(r->nlanguages, 2);
    assert_int_equal(r->g[ga].n, 11);
    assert_int_equal(count(r, ga, q, c2), 6);
    assert_int_equal(count(r, ga, q, c4), 5);
    assert_int_equal(r->g[cy].n, 12);
    assert_int_equal(count(r, cy, q, c4), 12);
    assert_int_equal(count(r, cy, q, c2), 0);
    assert_int_equal(r->g[en].n, 6);
    assert_int_equal(count(r, en, q, c2), 6);
    assert_int_equal(r->g[r->all].n, 18);
    assert_int_equal(count(r, r->all, q, c4), 12);
    assert_int_equal(r->g[r->all].held, 0);
    size_t rows[2] = {0, 0};
    assert_int_equal(report_answers_each(r, ga, count_rows, rows), 0);
    assert_true(rows[0] == 6 && rows[1] == 5);
    char *t = render(r, REPORT_TEXT);
    assert_non_null(strstr(t, "\n\n=== By language\n"));
    assert_non_null(strstr(t, "\n--- Answers in cy\n    Submissions: 12.\n"));
    assert_non_null(strstr(t, "\n--- Answers in en-GB\n    Submissions: 6.\n"));
    assert_non_null(strstr(t, ", answered in cy and en-GB, created "));
    free(t);
    r->language_name = welsh_name;
    t = render(r, REPORT_HTML);
    assert_non_null(strstr(t, "<h2 id=\"by-language\">By language</h2>\n"));
    assert_non_null(strstr(t, "<h3>Answers in Cymraeg (cy)</h3>\n"));
    assert_non_null(strstr(t, "<a href=\"#by-language\">By language</a> (2)"));
    free(t);
    /* Each language's charts are downloaded by its tag. */
    struct buf svg;
    buf_init(&svg, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &svg};
    assert_int_equal(report_write_chart(r, "language:cy", "q-confident-end", &sink), 0);
    assert_non_null(memmem(svg.ptr, svg.len, "<svg", 4));
    assert_int_equal(report_write_chart(r, "language:fr", "q-confident-end", &sink), -ENOENT);
    buf_release(&svg);
    report_free(r);
}

/*
 * With k = 5, a class of 6 answers in English and 2 in Welsh shows 6 everywhere: its own
 * view, its school's, all answers' and the English answers'; the Welsh answers' group holds
 * none of them, and says 2 are held back. No view less another leaves the 2.
 */
static void test_small_language_held_back_from_every_view(void **state)
{
    struct world *w = *state;
    char a[WIRE_CODE_LEN + 1];
    cohort(w, "Ysgol y Bryn", a);
    answer(w, a, "en-GB", NULL, "c2", NULL, 6);
    answer(w, a, "cy", NULL, "c4", NULL, 2);
    struct report *r = build(w);
    size_t q = question(r, "q-confident-end"), c4 = column(r, q, "c4");
    size_t ga = group(r, GROUP_COHORT, a), cy = group(r, GROUP_LANGUAGE, "cy"),
           en = group(r, GROUP_LANGUAGE, "en-GB"), school = group(r, GROUP_SCHOOL, "Ysgol y Bryn"),
           ver = group(r, GROUP_VERSION, "1.0.0");
    const size_t views[] = {ga, school, ver, en, cy, r->all};
    for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
        size_t g = views[i];
        assert_false(r->g[g].hidden);
        assert_int_equal(r->g[g].n, g == cy ? 0 : 6);
        assert_int_equal(r->g[g].held, g == en ? 0 : 2);
        int64_t n = -1;
        if (g == cy) { /* no unit of it is shown: it has no figure to give */
            assert_int_equal(report_answers(r, g, q, &n), -EPERM);
            continue;
        }
        assert_int_equal(count(r, g, q, c4), 0);
        assert_int_equal(report_answers(r, g, q, &n), 0);
        assert_int_equal(n, 6);
    }
    /* The Welsh unit itself gives nothing but its size. */
    size_t unit = report_unit_of(r, ga, "1.0.0", "cy");
    assert_true(unit != SIZE_MAX && r->g[unit].hidden);
    int64_t v = -1;
    assert_int_equal(report_count(r, unit, q, c4, &v), -EPERM);
    /* The data files: the 6 English rows only. */
    size_t rows[2] = {0, 0};
    assert_int_equal(report_answers_each(r, ga, count_rows, rows), 0);
    assert_true(rows[0] == 6 && rows[1] == 0);
    char *t = render(r, REPORT_TEXT);
    assert_non_null(strstr(t, "Not shown yet: 2 submissions from 1 class with fewer than 5.\n"
                              "Of those not shown yet, 2 are from classes that are shown"));
    assert_non_null(strstr(t, "\n--- Answers in cy\n    Submissions: 0, and 2 not shown yet from "
                              "1 class with fewer than 5.\n"));
    free(t);
    report_free(r);
    /* At k = 3 the Welsh answers are still held back; at k = 2 (raised to 3) too. */
    struct report_options opt = {.k = 2};
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    assert_int_equal(r->g[r->all].held, 2);
    report_free(r);
}

/* The pairing number (7th CSV column) of each row, counted by whether it has one. */
static void csv_paired(const struct report *r, size_t *paired, size_t *unpaired)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_write_csv(r, &sink), 0);
    buf_addc(&b, '\0');
    *paired = *unpaired = 0;
    for (const char *line = strstr(b.ptr, "\r\n"); line && line[2];
         line = strstr(line + 2, "\r\n")) {
        const char *f = line + 2;
        for (int i = 0; i < 6; i++)
            f = strchr(f, ',') + 1;
        ++*(*f == ',' ? unpaired : paired);
    }
    buf_release(&b);
}

/*
 * Pairing: a pupil may answer the start in Welsh and the end in English, and is paired within
 * the class. A unit held back is in no pairing figure: its words pair with nothing (the one
 * Welsh end answer would pair with an English start), its answers are in no count, and the
 * class keeps its pairing figures from its units shown. A language has no pairing figures.
 */
static void test_pairing_across_languages_and_held_units(void **state)
{
    struct world *w = *state;
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1];
    two_classes(w, a, b);
    const char *words[6] = {"green otter", "pink lion",   "brave kite",
                            "lucky drum",  "swift tulip", "gold comet"};
    for (int i = 0; i < 6; i++)
        answer(w, a, "en-GB", "start", "c2", words[i], 1);
    for (int i = 0; i < 5; i++)
        answer(w, a, "en-GB", "end", "c4", words[i], 1);
    answer(w, a, "cy", "end", "c5", words[5], 1); /* held back: 1 of the class in Welsh */
    /* Class B: starts in Welsh, ends in English, all shown. */
    for (int i = 0; i < 5; i++) {
        answer(w, b, "cy", "start", "c1", words[i], 1);
        answer(w, b, "en-GB", "end", "c3", words[i], 1);
    }
    struct report *r = build(w);
    size_t ga = group(r, GROUP_COHORT, a), gb = group(r, GROUP_COHORT, b),
           cy = group(r, GROUP_LANGUAGE, "cy");
    struct rpairing rp;
    assert_int_equal(report_pairing(r, ga, &rp), 0);
    assert_int_equal(rp.start, 6);
    assert_int_equal(rp.end, 5);
    assert_int_equal(rp.pairs, 5);
    assert_int_equal(report_pairing(r, gb, &rp), 0);
    assert_int_equal(rp.pairs, 5);
    assert_int_equal(report_pairing(r, r->all, &rp), 0);
    assert_int_equal(rp.pairs, 10);
    assert_int_equal(rp.start, 11);
    assert_int_equal(rp.end, 10);
    assert_int_equal(rp.nheld, 0);
    assert_int_equal(report_pairing(r, cy, &rp), -ENODATA);
    size_t p = SIZE_MAX;
    for (size_t i = 0; i < r->npairs; i++)
        p = strcmp(r->q[r->pairs[i].before].id, "q-confident-start") == 0 ? i : p;
    assert_true(p != SIZE_MAX);
    /* Class A's five pairs each rose by 2: the held-back Welsh end (c5) is not among them. */
    struct stats_diff d;
    assert_true(report_pair_diff(r, p, ga, &d));
    assert_int_equal(d.n_before, 5);
    assert_float_equal(d.diff, 2.0, 1e-12);
    /* A language's change is between its start and end answers, unpaired, shown in its
     * section as a class's is: English has class A's 6 starts and both classes' 10 ends. */
    assert_false(report_pair_matched(r, p, cy));
    size_t en = group(r, GROUP_LANGUAGE, "en-GB");
    struct report_change ch;
    assert_int_equal(report_pair_change(r, p, en, &ch), 0);
    assert_true(ch.have_start && ch.have_end && ch.have_effect);
    assert_int_equal(ch.start.n, 6);
    assert_int_equal(ch.end.n, 10);
    assert_int_equal(ch.effect.kind, STATS_CLIFF);
    char *t = render(r, REPORT_TEXT);
    const char *sec = strstr(t, "\n--- Answers in en-GB\n");
    assert_non_null(sec);
    const char *next = strstr(sec + 1, "\n--- ");
    const char *changed = strstr(sec, "What changed from start to end:");
    assert_true(changed && (!next || changed < next));
    free(t);
    /* The CSV: class A's 11 rows shown, 10 paired and its unpaired start; class B's 10. */
    size_t paired, unpaired;
    csv_paired(r, &paired, &unpaired);
    assert_int_equal(paired, 20);
    assert_int_equal(unpaired, 1);
    report_free(r);
}

/* The pilot report of the newest version, languages named by name (NULL: by their tags). */
static char *pilot(struct world *w, const char *(*name)(const char *language))
{
    struct report *r = build(w);
    r->language_name = name;
    char *t = render(r, REPORT_PILOT);
    report_free(r);
    return t;
}

/*
 * The pilot report's participants give each language's submissions from the units shown, and
 * its method says the form was offered in those languages. With k = 5, class A's 6 English
 * and 5 Welsh answers are shown, class B's 6 English too, but its 2 Welsh answers are held
 * back: Welsh counts 5, never 7. When no Welsh answer is shown, Welsh is not named at all.
 */
static void test_pilot_report_languages(void **state)
{
    struct world *w = *state;
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1];
    two_classes(w, a, b);
    /* Each class 6 in English; class B 2 in Welsh, fewer than k. */
    for (int i = 0; i < 2; i++)
        answer(w, i ? b : a, "en-GB", NULL, "c2", NULL, 6);
    answer(w, b, "cy", NULL, "c4", NULL, 2);
    /* Only the English answers are shown: one language, named with its count alone. */
    char *t = pilot(w, NULL);
    assert_non_null(strstr(t, "<p class=\"languages\">By language: 12 in en-GB.</p>\n"));
    assert_null(strstr(t, "in cy"));
    assert_null(strstr(t, "The feedback form was offered in"));
    free(t);
    answer(w, a, "cy", NULL, "c4", NULL, 5);
    t = pilot(w, welsh_name);
    const char *part = strstr(t, "<h2 id=\"participants\">");
    assert_non_null(part);
    assert_non_null(strstr(part, "<p class=\"languages\">By language: 5 in Cymraeg (cy) and 12 "
                                 "in en-GB.</p>\n"));
    assert_null(strstr(t, "7 in Cymraeg"));
    assert_non_null(strstr(t, "<p>The feedback form was offered in Cymraeg (cy) and en-GB. "
                              "Answers are stored by question and answer"));
    free(t);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counted_together, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_language_held_back_from_every_view, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pairing_across_languages_and_held_units, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pilot_report_languages, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
