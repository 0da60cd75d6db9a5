/*
 * Themes in reports (src/report/themes.c), from a real store.
 *
 * The data: Hillside School has class A (6 answers; comments coded "Too long" x3, one also
 * "Trust", one with an email address masked on the way in) and class B (3 answers, held
 * back with k = 5; two comments coded "Too long"); Riverside School has class C (5 answers,
 * one coded "Trust"). A focus group of class A is coded "Too long", one of class B "Trust".
 * With k = 5 nothing of B may show: not its quotes, not its counts in any total, not its
 * focus group's theme.
 */
#include "testutil.h"

#include <errno.h>
#include <string.h>

#include "report/report.h"
#include "test_fixture_survey.h"

struct world {
    char *path;
    struct store *s;
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1], c[WIRE_CODE_LEN + 1];
    int64_t too_long, trust, unused;
};

static void cohort(struct store *s, const char *school, const char *label, char *code)
{
    struct survey sv = fx_survey("1.0.0");
    struct store_cohort_spec spec = {.label = label, .school = school, .survey = &sv};
    assert_int_equal(store_cohort_create(s, &spec, code), STORE_OK);
}

/* Every answer's id by its comment (each comment here is unique). */
struct found {
    struct survey_decoder dec;
    const char *want;
    int64_t id;
};

static int find_comment(const struct store_answer_row *row, void *ctx)
{
    struct found *f = ctx;
    const struct survey_item *items;
    size_t n;
    assert_int_equal(survey_answer_decode(&f->dec, row->body, row->body_len, &items, &n), 0);
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].question_id, "q-comment") == 0 && items[i].value_count &&
            strcmp(items[i].values[0], f->want) == 0)
            f->id = row->id;
    return 0;
}

static void code(struct world *w, const char *comment, int64_t t1, int64_t t2)
{
    struct found f = {.want = comment};
    survey_decoder_init(&f.dec);
    assert_int_equal(store_answers_each(w->s, 0, find_comment, &f), STORE_OK);
    survey_decoder_release(&f.dec);
    if (!f.id)
        fail_msg("no answer holds \"%s\"", comment);
    int64_t themes[] = {t1, t2};
    struct store_code c = {
        .answer_id = f.id, .question_id = "q-comment", .themes = themes, .theme_count = t2 ? 2 : 1};
    assert_int_equal(store_codes_set(w->s, &c, 1), STORE_OK);
}

/* A pupil's answer, its comment cleaned and masked as the feedback form stores it. */
static void say(struct world *w, const char *code, const char *comment)
{
    struct buf clean;
    buf_init(&clean, 4096);
    if (comment)
        survey_clean_text(comment, strlen(comment), &clean);
    buf_addc(&clean, '\0');
    struct fx_answer f;
    fx_answer_make(&f, code, "1.0.0", "c3", comment ? clean.ptr : NULL);
    assert_int_equal(store_submit(w->s, &f.a), STORE_OK);
    buf_release(&clean);
}

static int64_t focus_group(struct world *w, const char *code, int64_t theme)
{
    struct store_focus_group fg = {.day = store_today(w->s),
                                   .cohort_code = code,
                                   .themes = "",
                                   .notes = "notes",
                                   .quotes = "",
                                   .author = "eva"};
    int64_t id;
    assert_int_equal(store_focus_group_add(w->s, &fg, &id), STORE_OK);
    struct store_code c = {.focus_group_id = id, .themes = &theme, .theme_count = 1};
    assert_int_equal(store_codes_set(w->s, &c, 1), STORE_OK);
    return id;
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    w->path = fx_tmp_db();
    char err[256];
    assert_int_equal(store_open(w->path, STORE_READ_WRITE, NULL, &w->s, err, sizeof(err)),
                     STORE_OK);
    cohort(w->s, "Hillside School", "Year 8", w->a);
    cohort(w->s, "Hillside School", "Year 8 small group", w->b);
    cohort(w->s, "Riverside School", "Year 9", w->c);
    assert_int_equal(store_theme_add(w->s, "Too long", "It felt long", &w->too_long), STORE_OK);
    assert_int_equal(store_theme_add(w->s, "Trust", NULL, &w->trust), STORE_OK);
    assert_int_equal(store_theme_add(w->s, "Unused", NULL, &w->unused), STORE_OK);
    say(w, w->a, "A1 the story went on");
    say(w, w->a, "A2 too long, write to me at pupil@example.org");
    say(w, w->a, "A3 long but I would tell my mum");
    say(w, w->a, "A4 fine");
    say(w, w->a, NULL);
    say(w, w->a, NULL);
    say(w, w->b, "B1 SMALLCLASS far too long");
    say(w, w->b, "B2 SMALLCLASS long");
    say(w, w->b, NULL);
    for (int i = 0; i < 4; i++)
        say(w, w->c, NULL);
    say(w, w->c, "C1 I would tell a teacher");
    code(w, "A1 the story went on", w->too_long, 0);
    code(w, "A2 too long, write to me at [email removed]", w->too_long, 0);
    code(w, "A3 long but I would tell my mum", w->too_long, w->trust);
    code(w, "B1 SMALLCLASS far too long", w->too_long, 0);
    code(w, "B2 SMALLCLASS long", w->too_long, w->trust);
    code(w, "C1 I would tell a teacher", w->trust, 0);
    focus_group(w, w->a, w->too_long);
    focus_group(w, w->b, w->trust);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    store_close(w->s);
    fx_tmp_free(w->path);
    free(w);
    return 0;
}

static struct report *build(struct world *w, const char *school)
{
    struct report_options opt = {.k = 5, .school = school};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    return r;
}

static const struct report_theme *theme(const struct report_themes *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    return NULL;
}

static void test_counts_per_group_under_k(void **state)
{
    struct world *w = *state;
    struct report *r = build(w, NULL);
    struct report_themes t;
    /* Every answer: A and C only. */
    assert_int_equal(report_themes(r, "all", 20, &t), 0);
    assert_int_equal(t.comments, 5); /* A1-A4, C1 */
    assert_int_equal(t.coded, 4);
    assert_int_equal(t.focus_groups, 1); /* B's is left out with B */
    assert_int_equal(t.n, 2);            /* "Unused" has nothing */
    assert_string_equal(t.v[0].name, "Too long");
    assert_int_equal(t.v[0].comments, 3);
    assert_int_equal(t.v[0].focus_groups, 1);
    assert_string_equal(t.v[1].name, "Trust");
    assert_int_equal(t.v[1].comments, 2);
    assert_int_equal(t.v[1].focus_groups, 0);
    /* Quotes in alphabetical order, masked as stored, none of B. */
    assert_int_equal(t.v[0].nquotes, 3);
    assert_string_equal(t.v[0].quotes[0], "A1 the story went on");
    assert_string_equal(t.v[0].quotes[1], "A2 too long, write to me at [email removed]");
    assert_string_equal(t.v[0].quotes[2], "A3 long but I would tell my mum");
    assert_int_equal(t.v[0].more, 0);
    report_themes_release(&t);

    /* Two quotes kept: the third is counted as more. */
    assert_int_equal(report_themes(r, "all", 2, &t), 0);
    assert_int_equal(theme(&t, "Too long")->nquotes, 2);
    assert_int_equal(theme(&t, "Too long")->more, 1);
    report_themes_release(&t);

    /* Hillside: A only, as B is held back. */
    assert_int_equal(report_themes(r, "school:Hillside School", 20, &t), 0);
    assert_int_equal(t.comments, 4);
    assert_int_equal(t.coded, 3);
    assert_int_equal(theme(&t, "Too long")->comments, 3);
    assert_int_equal(theme(&t, "Trust")->comments, 1);
    report_themes_release(&t);
    assert_int_equal(report_themes(r, "version:1.0.0", 20, &t), 0);
    assert_int_equal(theme(&t, "Trust")->comments, 2);
    report_themes_release(&t);

    /* B shows nothing; C its own. */
    char key[32];
    snprintf(key, sizeof(key), "class:%s", w->b);
    assert_int_equal(report_themes(r, key, 20, &t), -EPERM);
    assert_null(t.v);
    snprintf(key, sizeof(key), "class:%s", w->c);
    assert_int_equal(report_themes(r, key, 20, &t), 0);
    assert_int_equal(t.n, 1);
    assert_string_equal(t.v[0].name, "Trust");
    assert_int_equal(t.v[0].comments, 1);
    assert_string_equal(t.v[0].quotes[0], "C1 I would tell a teacher");
    report_themes_release(&t);
    assert_int_equal(report_themes(r, "school:Nowhere", 20, &t), -ENOENT);
    report_free(r);

    /* With a k that shows B, B's figures join the totals. */
    struct report_options opt = {.k = 3};
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    assert_int_equal(report_themes(r, "all", 20, &t), 0);
    assert_int_equal(theme(&t, "Too long")->comments, 5);
    assert_int_equal(theme(&t, "Trust")->focus_groups, 1);
    assert_int_equal(t.focus_groups, 2);
    report_themes_release(&t);
    report_free(r);
}

static char *render(struct report *r, enum report_format f)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_write(r, f, &sink), 0);
    buf_addc(&b, '\0');
    return b.ptr;
}

static void test_text_and_html(void **state)
{
    struct world *w = *state;
    struct report *r = build(w, NULL);
    char *text = render(r, REPORT_TEXT);
    assert_non_null(strstr(text, "\nThemes: 4 of 5 comments coded with a theme; 1 focus group.\n"
                                 "  Too long                                        3 comments "
                                 "    1 focus groups\n"));
    assert_non_null(strstr(text, "\nComments coded \"Too long\":\n  - A1 the story went on\n"));
    assert_non_null(strstr(text, "write to me at [email removed]"));
    assert_null(strstr(text, "pupil@example.org"));
    assert_null(strstr(text, "SMALLCLASS"));
    char *html = render(r, REPORT_HTML);
    assert_non_null(strstr(html, "<tr><th scope=\"row\">Too long</th><td>3</td><td>1</td></tr>"));
    assert_non_null(strstr(html, "<h5 class=\"comments\">Comments coded \xe2\x80\x9cTrust"
                                 "\xe2\x80\x9d</h5>\n<ul class=\"comments\">\n"
                                 "<li>A3 long but I would tell my mum</li>\n"
                                 "<li>C1 I would tell a teacher</li>\n</ul>"));
    assert_null(strstr(html, "SMALLCLASS"));
    free(html);
    free(text);
    report_free(r);

    /* Hillside's own report: its classes only, B still held back. */
    r = build(w, "Hillside School");
    text = render(r, REPORT_TEXT);
    assert_null(strstr(text, "C1 I would tell a teacher"));
    assert_null(strstr(text, "SMALLCLASS"));
    assert_non_null(strstr(text, "Themes: 3 of 4 comments coded with a theme; 1 focus group."));
    free(text);
    report_free(r);
}

static char *export(struct report *r, enum report_export f)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_export(r, f, &sink), 0);
    buf_addc(&b, '\0');
    return b.ptr;
}

/* The CSV's line that holds s, or NULL. */
static const char *line_with(const char *csv, const char *s)
{
    const char *p = strstr(csv, s);
    if (!p)
        return NULL;
    while (p > csv && p[-1] != '\n')
        p--;
    return p;
}

static void test_csv_and_codebook(void **state)
{
    struct world *w = *state;
    struct report *r = build(w, NULL);
    char *csv = export(r, REPORT_EXPORT_CSV);
    assert_non_null(strstr(csv, ",q_comment,q_comment_themes"));
    const char *a3 = line_with(csv, "A3 long but I would tell my mum");
    assert_non_null(a3);
    assert_true(strncmp(strstr(a3, "A3 long"),
                        "A3 long but I would tell my mum,Too long; Trust\r\n",
                        strlen("A3 long but I would tell my mum,Too long; Trust\r\n")) == 0);
    const char *a4 = line_with(csv, "A4 fine");
    assert_true(strncmp(strstr(a4, "A4 fine"), "A4 fine,\r\n", 10) == 0);
    /* B is left out whole, its themes with it. */
    assert_null(strstr(csv, "SMALLCLASS"));
    free(csv);
    char *book = export(r, REPORT_EXPORT_CODEBOOK);
    assert_non_null(strstr(book, "q_comment_themes (text: the names of the themes staff coded "
                                 "the comment with"));
    char want[128];
    snprintf(want, sizeof(want), "\n%lld. Too long\n   It felt long\n", (long long)w->too_long);
    assert_non_null(strstr(book, want));
    snprintf(want, sizeof(want), "\n%lld. Unused\n", (long long)w->unused);
    assert_non_null(strstr(book, want));
    free(book);
    report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_per_group_under_k, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_and_html, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_and_codebook, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
