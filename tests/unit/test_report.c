/*
 * Reports built from a real store: what is hidden, the figures shown (worked out by hand),
 * the version comparison with its change log, escaping in HTML and the CSV export.
 *
 * The data: Hillside School has class A (version 1.0.0, 8 answers, "Year Eight PSHE") and class B
 * (1.0.0, 3 answers); Riverside School has class C (1.1.0, 12 answers). With k = 5, B is held back
 * for being small: left out of every figure, totals included, so A and C are shown in full. A
 * view of one school holds only its classes, and its figures are those of the report on every
 * school. (test_report_views checks on generated data that no view gives a held-back figure.)
 */
#include "testutil.h"

#include <errno.h>
#include <sodium.h>

#include "base/textmatch.h"
#include "report/internal.h"
#include "report/report.h"
#include "test_fixture_report.h"
#include "test_fixture_survey.h"

struct world {
    char *path;
    struct store *s;
    char a[WIRE_CODE_LEN + 1];
    char b[WIRE_CODE_LEN + 1];
    char c[WIRE_CODE_LEN + 1];
};

static void cohort(struct store *s, const char *version, const char *school, const char *label,
                   char *code)
{
    struct survey sv = fx_survey(version);
    struct store_cohort_spec spec = {.label = label, .school = school, .survey = &sv};
    assert_int_equal(store_cohort_create(s, &spec, code), STORE_OK);
}

/* An answer to the end and "looking back" scale questions, with an optional comment. */
static void answer(struct store *s, const char *code, const char *version, const char *before,
                   const char *end, const char *comment)
{
    struct survey_item items[3];
    const char *vals[3][1];
    size_t n = 0;
    if (before) {
        vals[n][0] = before;
        items[n] = (struct survey_item){"q-confident-before", false, vals[n], 1};
        n++;
    }
    if (end) {
        vals[n][0] = end;
        items[n] = (struct survey_item){"q-confident-end", false, vals[n], 1};
        n++;
    }
    if (comment) {
        vals[n][0] = comment;
        items[n] = (struct survey_item){"q-comment", false, vals[n], 1};
        n++;
    }
    struct survey_answer a = {.package_id = "sharing-images",
                              .package_version = version,
                              .items = items,
                              .item_count = n};
    snprintf(a.code, sizeof(a.code), "%s", code);
    assert_int_equal(store_submit(s, &a), STORE_OK);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    w->path = fx_tmp_db();
    char err[256];
    assert_int_equal(store_open(w->path, STORE_READ_WRITE, NULL, &w->s, err, sizeof(err)),
                     STORE_OK);
    cohort(w->s, "1.0.0", "Hillside School", "Year Eight PSHE", w->a);
    cohort(w->s, "1.0.0", "Hillside School", "Year Eight small group", w->b);
    cohort(w->s, "1.1.0", "Riverside School", "Year 9 <b>PSHE</b>", w->c);
    for (int i = 0; i < 8; i++)
        answer(w->s, w->a, "1.0.0", NULL, "c3", "CLASS-A-COMMENT");
    for (int i = 0; i < 3; i++)
        answer(w->s, w->b, "1.0.0", NULL, "c3", NULL);
    /* Class C: looking back c2 x6 and c3 x6; now c4 x6 and c5 x6, paired as
     * c2->c4 x3 (+2), c2->c5 x3 (+3), c3->c4 x3 (+1), c3->c5 x3 (+2). */
    const char *pairs[4][2] = {{"c2", "c4"}, {"c2", "c5"}, {"c3", "c4"}, {"c3", "c5"}};
    for (int p = 0; p < 4; p++)
        for (int i = 0; i < 3; i++)
            answer(w->s, w->c, "1.1.0", pairs[p][0], pairs[p][1],
                   p == 0 && i == 0   ? "<script>alert('x')</script>"
                   : p == 1 && i == 0 ? "=HYPERLINK(\"http://x.example\")"
                                      : NULL);
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

static char *render(struct world *w, const struct report_options *opt, enum report_format f)
{
    struct report *r = NULL;
    char err[256] = "";
    int rc = report_build(w->s, opt, &r, err, sizeof(err));
    if (rc != STORE_OK)
        fail_msg("report_build: %s", err);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    if (f == REPORT_CSV)
        assert_int_equal(report_write_csv(r, &sink), 0);
    else
        assert_int_equal(report_write(r, f, &sink), 0);
    report_free(r);
    return buf_detach(&b, NULL);
}

static char *render_export(struct world *w, const struct report_options *opt, enum report_export f)
{
    struct report *r = NULL;
    char err[256] = "";
    if (report_build(w->s, opt, &r, err, sizeof(err)) != STORE_OK)
        fail_msg("report_build: %s", err);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_export(r, f, &sink), 0);
    report_free(r);
    buf_addc(&b, '\0');
    return buf_detach(&b, NULL);
}

/* An export written to a temporary file, whose name the caller frees with fx_tmp_free(). */
static char *export_file(struct world *w, const struct report_options *opt, enum report_export f,
                         const char *ext)
{
    return fx_export_file(w->s, opt, f, ext);
}

/* The text between the heading that starts with `from` and the next heading. */
static char *section(const char *doc, const char *from)
{
    const char *p = strstr(doc, from);
    if (!p)
        fail_msg("no section '%s' in:\n%s", from, doc);
    const char *end = strstr(p + 1, "\n--- ");
    const char *end2 = strstr(p + 1, "\n=== ");
    if (!end || (end2 && end2 < end))
        end = end2;
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *s = malloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void test_small_class_held_back_from_every_total(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *t = render(w, &opt, REPORT_TEXT);
    char head[64];
    snprintf(head, sizeof(head), "Class %s", w->b);
    char *sb = section(t, head);
    assert_non_null(strstr(sb, "Submissions: 3 so far, not shown until there are 5."));
    assert_non_null(strstr(sb, "Not shown yet: this class has fewer than 5 submissions"));
    assert_null(strstr(sb, "Somewhat"));
    snprintf(head, sizeof(head), "Class %s", w->a);
    char *sa = section(t, head);
    /* Class A is shown in full: B is in no total, so A beside the school gives nothing away. */
    assert_non_null(strstr(sa, "Submissions: 8."));
    assert_non_null(strstr(sa, "  Somewhat                                        8  100%\n"));
    snprintf(head, sizeof(head), "Class %s", w->c);
    char *sc = section(t, head);
    assert_non_null(strstr(sc, "Submissions: 12."));
    char *school = section(t, "School: Hillside School");
    assert_non_null(
        strstr(school, "Submissions: 8, and 3 not shown yet from 1 class with fewer than 5."));
    assert_non_null(strstr(school, "  Somewhat                                        8  100%\n"));
    assert_non_null(strstr(t, "20 submissions from 2 classes in 2 schools; 2 package versions.\n"
                              "Not shown yet: 3 submissions from 1 class with fewer than 5.\n"));
    free(sa);
    free(sb);
    free(sc);
    free(school);
    free(t);
}

static void test_distribution_and_paired_change(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *t = render(w, &opt, REPORT_TEXT);
    char head[64];
    snprintf(head, sizeof(head), "Class %s", w->c);
    char *sc = section(t, head);
    /* Now: c4 x6 and c5 x6 of 12; mean 4.5. */
    assert_non_null(strstr(sc, "  Quite                                           6   50%\n"));
    assert_non_null(strstr(sc, "  Very                                            6   50%\n"));
    assert_non_null(strstr(sc, "4.50  (1 = Not at all, 5 = Very; n = 12)"));
    /* Paired differences 2,2,2,3,3,3,1,1,1,2,2,2: mean 2, variance 6/11, se 0.213201,
     * t(0.975, 11) = 2.200985, half width 0.469254. */
    assert_non_null(strstr(sc, "looking back 2.50, now 4.50, the same 12 submissions: "
                               "+2.00 (95% CI +1.53 to +2.47)"));
    free(sc);
    free(t);
}

static void test_version_comparison_with_change_log(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *t = render(w, &opt, REPORT_TEXT);
    char *cmp = section(t, "=== Version 1.0.0 and version 1.1.0 side by side");
    assert_non_null(strstr(cmp, "What changed in 1.1.0 (2024-05-01):\n"
                                "  - Shorter story, after pupils said it was too long."));
    /* 1.0.0: c3 x11, mean 3, no spread; 1.1.0: mean 4.5, variance 3/11.
     * Welch: se = sqrt(0.272727 / 12) = 0.150756, df = 11, half width 0.331815. */
    assert_non_null(strstr(cmp, "Change in the mean: +1.50 (95% CI +1.17 to +1.83)"));
    /* "Somewhat": class A's 8 in 1.0.0 (class B's 3 are held back), none in 1.1.0; small
     * figures and zeros of shown classes are shown. A text question has counts, no shares. */
    assert_non_null(strstr(
        cmp, "  Somewhat                                         8   100%         0     0%\n"));
    assert_non_null(strstr(
        cmp, "  Answered                                         8                2       \n"));
    free(cmp);
    free(t);
}

static void test_html_escapes_and_charts(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *h = render(w, &opt, REPORT_HTML);
    assert_null(strstr(h, "<script>"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert_null(strstr(h, "<b>PSHE</b>"));
    assert_non_null(strstr(h, "Year 9 &lt;b&gt;PSHE&lt;/b&gt;"));
    /* Every chart is an image with a title and has a table of the same figures beside it. */
    size_t charts = 0, tables = 0;
    for (const char *p = h; (p = strstr(p, "<svg class=\"chart\" role=\"img\"")); p++)
        charts++;
    for (const char *p = h; (p = strstr(p, "<div class=\"chart-and-table\">\n<div>\n<svg")); p++)
        tables++;
    assert_true(charts > 0);
    assert_int_equal(charts, tables);
    assert_non_null(strstr(h, "<title id=\"chart-1\">Bar chart of the shares of each answer in "
                              "version 1.0.0 and version 1.1.0 for: "));
    assert_non_null(strstr(h, "\">Bar chart of the submissions for: "));
    assert_non_null(strstr(h, "<th scope=\"col\">Submissions</th>"));
    assert_non_null(strstr(h, "<!doctype html>"));
    free(h);

    opt.html_fragment = true;
    h = render(w, &opt, REPORT_HTML);
    assert_null(strstr(h, "<!doctype html>"));
    assert_null(strstr(h, "<style>"));
    free(h);
}

/* Lines of text that contain needle. */
static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++)
        n++;
    return n;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Class C's extra answers for the export tests: "prefer not to say" and a multiple choice. */
static void answer_more(struct world *w)
{
    const char *topics[2] = {"story", "support"};
    const char *useful[1] = {"not-sure"};
    struct survey_item items[3] = {
        {"q-confident-end", true, NULL, 0},
        {"q-topics", false, topics, 2},
        {"q-useful", false, useful, 1},
    };
    struct survey_answer a = {.package_id = "sharing-images",
                              .package_version = "1.1.0",
                              .items = items,
                              .item_count = 3};
    snprintf(a.code, sizeof(a.code), "%s", w->c);
    assert_int_equal(store_submit(w->s, &a), STORE_OK);
}

static void test_csv_export(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *csv = render(w, &opt, REPORT_CSV);
    /* A header and 8 + 12 rows: class B is held back, so left out whole. */
    size_t lines = 0;
    for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    assert_int_equal(lines, 21);
    assert_true(starts_with(csv, "class_code,school,package_version,language,part,day,pairing,"
                                 "q_confident_start,q_confident_end,q_confident_before,"
                                 "q_topics_story,q_topics_replies,q_topics_support,q_useful,"
                                 "q_best,q_comment\r\n"));
    assert_non_null(strstr(csv, w->a));
    assert_null(strstr(csv, w->b));
    /* Option ids, and the day without a time. */
    char day[11], row[96];
    store_day_format(store_today(w->s), day);
    snprintf(row, sizeof(row), "Riverside School,1.1.0,,,%s,,,c5,c2,", day);
    assert_non_null(strstr(csv, row));
    /* The formula a pupil typed is text to a spreadsheet. */
    assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://x.example\"\")\""));
    assert_null(strstr(csv, ",=HYPERLINK"));
    free(csv);
    /* Prefer not to say, and a multiple choice as one 1/0 column per option. */
    answer_more(w);
    csv = render(w, &opt, REPORT_CSV);
    snprintf(row, sizeof(row), "%s,,,prefer-not-to-say,,1,0,1,not-sure,,\r\n", day);
    assert_non_null(strstr(csv, row));
    free(csv);
}

/*
 * The SPSS and Stata files, read back by ReadStat's own programs (Debian's readstat, which
 * scripts/deps --test installs): every shown answer with its value, variable and value
 * labels intact, "prefer not to say" a labelled missing value, class B (under k) absent.
 */
static void test_sav_and_dta_read_back(void **state)
{
    struct world *w = *state;
    answer_more(w);
    struct report_options opt = {0};
    const char *ext[] = {"sav", "dta"};
    enum report_export f[] = {REPORT_EXPORT_SAV, REPORT_EXPORT_DTA};
    /* How each reader writes a labelled code. */
    const char *very[] = {"{ \"code\": 5.000000, \"label\": \"Very\"}",
                          "{ \"code\": 5, \"label\": \"Very\"}"};
    /* SPSS keeps a user-missing value's code (-1); Stata's .a reads as missing. */
    const char *extra[] = {",,,-1,,1,0,1,3,,\"\"", ",,,,,1,0,1,3,,\"\""};
    const char *prefer[] = {"{ \"code\": -1.000000, \"label\": \"Prefer not to say\"}",
                            "{ \"code\": \".a\", \"label\": \"Prefer not to say\"}"};
    for (int i = 0; i < 2; i++) {
        char *path = export_file(w, &opt, f[i], ext[i]);
        char cmd[700];
        snprintf(cmd, sizeof(cmd), "/usr/bin/readstat '%s' - 2>/dev/null", path);
        char *data = fx_run(cmd);
        /* SPSS numbers are doubles: readstat writes 3 as 3.000000. */
        for (char *p; (p = strstr(data, ".000000"));)
            memmove(p, p + 7, strlen(p + 7) + 1);
        assert_int_equal(count_lines(data), 1 + 8 + 13);
        assert_true(starts_with(data,
                                "\"class_code\",\"school\",\"package_version\",\"language\","
                                "\"part\",\"day\",\"pairing\",\"q_confident_start\","
                                "\"q_confident_end\",\"q_confident_before\",\"q_topics_story\","
                                "\"q_topics_replies\",\"q_topics_support\",\"q_useful\","
                                "\"q_best\",\"q_comment\"\n"));
        assert_int_equal(fx_lines_with(data, w->a), 8);
        assert_int_equal(fx_lines_with(data, w->b), 0);
        assert_int_equal(fx_lines_with(data, w->c), 13);
        /* Class A: "Somewhat" (3) at the end; class C: looking back c2 or c3, now c4 or c5. */
        assert_int_equal(fx_lines_with(data, ",,,3,,,,,,,\"CLASS-A-COMMENT\""), 8);
        assert_int_equal(fx_lines_with(data, ",,,4,2,,,,,,") + fx_lines_with(data, ",,,4,3,,,,,,"),
                         6);
        assert_int_equal(fx_lines_with(data, ",,,5,2,,,,,,") + fx_lines_with(data, ",,,5,3,,,,,,"),
                         6);
        /* The extra answer: prefer not to say, two topics of three, "not sure". */
        assert_int_equal(fx_lines_with(data, extra[i]), 1);
        assert_int_equal(fx_lines_with(data, "=HYPERLINK(\"\"http://x.example\"\")"), 1);
        free(data);

        snprintf(cmd, sizeof(cmd), "/usr/bin/extract_metadata '%s' /dev/stdout 2>/dev/null", path);
        char *meta = fx_run(cmd);
        const char *end = strstr(meta, "\"name\": \"q_confident_end\"");
        assert_non_null(end);
        const char *next = strstr(end, "\n");
        assert_non_null(next);
        char *line = strndup(end, (size_t)(next - end));
        assert_non_null(strstr(line, "\"label\": \"Now, how confident do you feel about saying "
                                     "no?\""));
        assert_non_null(strstr(line, very[i]));
        assert_non_null(strstr(line, prefer[i]));
        if (i == 0)
            assert_non_null(
                strstr(line, "\"missing\": { \"type\": \"DISCRETE\", \"values\": [-1]}"));
        free(line);
        assert_non_null(strstr(meta, "{ \"code\": 1, \"label\": \"Chosen\"}") ||
                        strstr(meta, "{ \"code\": 1.000000, \"label\": \"Chosen\"}"));
        assert_non_null(strstr(meta, "\"label\": \"Which parts helped you?: Where to get help\""));
        free(meta);

        snprintf(cmd, sizeof(cmd), "/usr/bin/readstat '%s'", path);
        char *summary = fx_run(cmd);
        assert_non_null(strstr(summary, "Rows: 21\n"));
        /* The file's own date is a day: no time of day. */
        assert_non_null(strstr(summary, " 00:00\n"));
        free(summary);
        fx_tmp_free(path);
    }
}

/* The codebook: every column described, and what was left out for k said. */
static void test_codebook(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *cb = render_export(w, &opt, REPORT_EXPORT_CODEBOOK);
    assert_non_null(strstr(cb, "files hold 20 rows,\n"));
    assert_non_null(strstr(cb, "Left out here: 3 submissions from 1 class.\n"));
    assert_non_null(strstr(cb, "\n9. q_confident_end (number: the option's position, from 1, "
                               "labelled)\n   question q-confident-end, scale, asked: end "
                               "of the lesson\n   \"Now, how confident do you feel about saying "
                               "no?\"\n   1 = c1 = Not at all\n"));
    assert_non_null(strstr(cb, "   5 = c5 = Very\n"));
    /* A knowledge item's right answer is named. */
    assert_non_null(strstr(cb, "   1 = story = The story\n   2 = plan = Making my plan (the right "
                               "answer)\n"));
    assert_non_null(strstr(cb, "\n13. q_topics_support (number: 1 chosen, 0 not chosen)\n"));
    assert_non_null(strstr(cb, "   option support: Where to get help\n"));
    assert_non_null(strstr(cb, "\n16. q_comment (text)\n"));
    assert_null(strstr(cb, w->b));
    free(cb);
    /* Class B alone: nothing shown, and the codebook says why. */
    struct report_options only_b = {.cohort = w->b};
    cb = render_export(w, &only_b, REPORT_EXPORT_CODEBOOK);
    assert_non_null(strstr(cb, "files hold 0 rows,\n"));
    assert_non_null(strstr(cb, "Left out here: 3 submissions from 1 class.\n"));
    free(cb);
    char *csv = render_export(w, &only_b, REPORT_EXPORT_CSV);
    assert_int_equal(count_lines(csv), 1);
    free(csv);
}

static void test_one_class_and_k(void **state)
{
    struct world *w = *state;
    struct report_options opt = {.cohort = w->c};
    char *t = render(w, &opt, REPORT_TEXT);
    assert_non_null(strstr(t, w->c));
    assert_null(strstr(t, w->a));
    assert_null(strstr(t, "=== By school"));
    /* Comments of the one class are listed, sorted, escaped only in HTML. */
    assert_non_null(strstr(t, "  - <script>alert('x')</script>\n"));
    free(t);

    struct report *r = NULL;
    char err[256];
    opt.cohort = "ZZZZZZZZ";
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_ERR_NOT_FOUND);
    assert_null(r);
    assert_non_null(strstr(err, "ZZZZZZZZ"));

    /* k is never below 3: with k = 3, class B (3 answers) may be shown. */
    struct report_options k2 = {.k = 2};
    assert_int_equal(report_build(w->s, &k2, &r, err, sizeof(err)), STORE_OK);
    assert_int_equal(report_k(r), 3);
    report_free(r);

    /* With k = 20 every class is held back: the versions count nothing. */
    struct report_options k20 = {.k = 20};
    t = render(w, &k20, REPORT_TEXT);
    char head[64];
    snprintf(head, sizeof(head), "Class %s", w->c);
    char *sc = section(t, head);
    assert_non_null(strstr(sc, "Submissions: 12 so far, not shown until there are 20."));
    assert_non_null(strstr(t,
                           "0 submissions from 0 classes in 2 schools; 2 package versions.\n"
                           "Not shown yet: 23 submissions from 3 classes with fewer than 20.\n"));
    assert_null(strstr(t, "looking back"));
    free(sc);
    free(t);
}

/* The CSV's lines, sorted (rows are shuffled within each class). */
static int line_order(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static char *sorted_lines(char *csv)
{
    char *lines[64];
    size_t n = 0;
    for (char *save = NULL, *l = strtok_r(csv, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        assert_true(n < 64);
        lines[n++] = l;
    }
    qsort(lines, n, sizeof(*lines), line_order);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&b, lines[i]);
        buf_addc(&b, '\n');
    }
    return buf_detach(&b, NULL);
}

static void focus_group(struct world *w, const char *code, const char *notes)
{
    struct store_focus_group fg = {.day = store_today(w->s),
                                   .cohort_code = code,
                                   .themes = "length",
                                   .notes = notes,
                                   .quotes = "it was fine"};
    assert_int_equal(store_focus_group_add(w->s, &fg, NULL), STORE_OK);
}

static void test_school_view_shows_only_its_classes(void **state)
{
    struct world *w = *state;
    focus_group(w, w->a, "NOTES-OF-CLASS-A");
    focus_group(w, w->c, "NOTES-OF-CLASS-C");
    focus_group(w, NULL, "NOTES-OF-NO-CLASS");
    struct report_options all = {0}, river = {.school = "Riverside School"};
    char *t = render(w, &all, REPORT_TEXT);
    char *ts = render(w, &river, REPORT_TEXT);
    assert_non_null(strstr(ts, "Only the classes of Riverside School.\n"));
    assert_non_null(strstr(ts, "12 submissions from 1 class in 1 school; 1 package version."));
    assert_null(strstr(ts, w->a));
    assert_null(strstr(ts, w->b));
    assert_null(strstr(ts, "Hillside"));
    assert_null(strstr(ts, "CLASS-A-COMMENT"));
    assert_null(strstr(ts, "NOTES-OF-CLASS-A"));
    assert_null(strstr(ts, "NOTES-OF-NO-CLASS"));
    assert_non_null(strstr(ts, "NOTES-OF-CLASS-C"));
    /* Its class and school read exactly as in the report on every school. */
    char head[64];
    snprintf(head, sizeof(head), "Class %s", w->c);
    char *c_all = section(t, head), *c_one = section(ts, head);
    assert_string_equal(c_one, c_all);
    assert_non_null(strstr(c_one, "Submissions: 12."));
    char *s_all = section(t, "School: Riverside School");
    char *s_one = section(ts, "School: Riverside School");
    assert_string_equal(s_one, s_all);
    /* Version 1.0.0 was not used there: it is not in the school's view at all. */
    assert_null(strstr(ts, "Package version 1.0.0"));
    char *v2_all = section(t, "--- Package version 1.1.0");
    char *v2_one = section(ts, "--- Package version 1.1.0");
    assert_string_equal(v2_one, v2_all);
    free(v2_all);
    free(v2_one);
    free(s_all);
    free(s_one);
    free(c_all);
    free(c_one);
    free(ts);
    free(t);

    /* The CSV export holds the same rows as the whole export's for that school. */
    char *csv_all = render(w, &all, REPORT_CSV), *csv_one = render(w, &river, REPORT_CSV);
    struct buf mine;
    buf_init(&mine, BUF_MAX_DEFAULT);
    for (const char *l = csv_all; *l;) {
        const char *e = strchr(l, '\n') + 1;
        if (l == csv_all || strstr(l, ",Riverside School,") < e)
            buf_add(&mine, l, (size_t)(e - l));
        l = e;
    }
    char *river_rows = buf_detach(&mine, NULL);
    char *sa = sorted_lines(river_rows), *so = sorted_lines(csv_one);
    assert_string_equal(so, sa);
    free(river_rows);
    free(sa);
    free(so);
    free(csv_all);
    free(csv_one);
}

static void test_school_view_keeps_k_anonymity(void **state)
{
    struct world *w = *state;
    focus_group(w, w->a, "NOTES-OF-CLASS-A");
    struct report_options hill = {.school = "Hillside School"};
    char *t = render(w, &hill, REPORT_TEXT);
    assert_null(strstr(t, w->c));
    assert_null(strstr(t, "Riverside"));
    assert_null(strstr(t, "<script>"));
    assert_non_null(strstr(t, "NOTES-OF-CLASS-A"));
    /* The school's total is class A's alone: B's 3 are held back here as everywhere. */
    assert_non_null(strstr(t, "8 submissions from 1 class in 1 school; 1 package version.\n"
                              "Not shown yet: 3 submissions from 1 class with fewer than 5.\n"));
    char head[64];
    snprintf(head, sizeof(head), "Class %s", w->b);
    char *sb = section(t, head);
    assert_non_null(strstr(sb, "Submissions: 3 so far, not shown until there are 5."));
    assert_null(strstr(sb, "Somewhat"));
    snprintf(head, sizeof(head), "Class %s", w->a);
    char *sa = section(t, head);
    assert_non_null(strstr(sa, "Submissions: 8."));
    char *v1 = section(t, "--- Package version 1.0.0");
    assert_non_null(strstr(v1, "  Somewhat                                        8  100%\n"));
    free(v1);
    free(sa);
    free(sb);
    free(t);
    /* Class B is held back: the CSV has the header and class A's 8 rows only. */
    char *csv = render(w, &hill, REPORT_CSV);
    size_t rows = 0;
    for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    assert_int_equal(rows, 9);
    assert_null(strstr(csv, w->b));
    free(csv);
}

static void test_school_view_refuses_unknown_school_and_other_class(void **state)
{
    struct world *w = *state;
    struct report *r = NULL;
    char err[256] = "";
    struct report_options opt = {.school = "Nowhere Academy"};
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_ERR_NOT_FOUND);
    assert_null(r);
    assert_non_null(strstr(err, "Nowhere Academy"));
    /* Schools are matched exactly: a near name is not the school. */
    opt.school = "riverside school";
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_ERR_NOT_FOUND);
    opt.school = "Riverside School";
    opt.cohort = w->a;
    err[0] = '\0';
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_ERR_NOT_FOUND);
    assert_null(r);
    assert_non_null(strstr(err, w->a));
    assert_non_null(strstr(err, "Riverside School"));
    /* Its own class is found, and reads as without the school. */
    opt.cohort = w->c;
    char *one = render(w, &opt, REPORT_TEXT);
    struct report_options plain = {.cohort = w->c};
    char *t = render(w, &plain, REPORT_TEXT);
    char head[64];
    snprintf(head, sizeof(head), "Class %s", w->c);
    char *c1 = section(one, head), *c2 = section(t, head);
    assert_string_equal(c1, c2);
    free(c1);
    free(c2);
    free(one);
    free(t);
}

static int count_rows(const struct store_answer_row *row, void *ctx)
{
    (void)row;
    (*(size_t *)ctx)++;
    return 0;
}

/* Figures leave the report only through accessors, and they refuse a held-back class. */
static void test_accessors_refuse_a_held_back_class(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    size_t ga = SIZE_MAX, gb = SIZE_MAX, q = SIZE_MAX, qc = SIZE_MAX;
    for (size_t g = 0; g < r->ncohorts; g++) {
        ga = strcmp(r->g[g].name, w->a) == 0 ? g : ga;
        gb = strcmp(r->g[g].name, w->b) == 0 ? g : gb;
    }
    for (size_t i = 0; i < r->nq; i++) {
        q = strcmp(r->q[i].id, "q-confident-end") == 0 ? i : q;
        qc = strcmp(r->q[i].id, "q-comment") == 0 ? i : qc;
    }
    assert_true(ga != SIZE_MAX && gb != SIZE_MAX && q != SIZE_MAX && qc != SIZE_MAX);
    int64_t v = -1, n = -1;
    double m = -1;
    const char **c = NULL;
    size_t nc = 0, rows = 0;
    /* Class B (3 answers, all "Somewhat") gives nothing but its size. */
    assert_int_equal(report_count(r, gb, q, 2, &v), -EPERM);
    assert_int_equal(report_answers(r, gb, q, &v), -EPERM);
    assert_int_equal(report_mean(r, gb, q, &m, &n), -EPERM);
    assert_int_equal(report_comments(r, gb, qc, 10, &c, &nc, &v), -EPERM);
    assert_int_equal(report_answers_each(r, gb, count_rows, &rows), -EPERM);
    assert_int_equal(v, -1);
    assert_int_equal(rows, 0);
    assert_int_equal(r->g[gb].n, 3);
    /* Class A (8) gives its figures. */
    assert_int_equal(report_count(r, ga, q, 2, &v), 0);
    assert_int_equal(v, 8);
    assert_int_equal(report_mean(r, ga, q, &m, &n), 0);
    assert_true(m == 3.0 && n == 8);
    assert_int_equal(report_comments(r, ga, qc, 10, &c, &nc, &v), 0);
    assert_int_equal(nc, 8);
    free(c);
    assert_int_equal(report_answers_each(r, ga, count_rows, &rows), 0);
    assert_int_equal(rows, 8);
    report_free(r);
}

/*
 * Effect sizes of before and after: "looking back" and end answers in one submission are a
 * pupil's pair (the rank-biserial correlation of their differences); start and end answers
 * are two samples (Cliff's delta). Neither is given for a class held back.
 */
/* Class A's five answers at the start: c1, c2, c2, c3, c4. */
static void class_a_starts(struct world *w)
{
    const char *starts[] = {"c1", "c2", "c2", "c3", "c4"};
    for (size_t i = 0; i < 5; i++) {
        const char *vals[1] = {starts[i]};
        struct survey_item item = {"q-confident-start", false, vals, 1};
        struct survey_answer a = {.package_id = "sharing-images",
                                  .package_version = "1.0.0",
                                  .items = &item,
                                  .item_count = 1};
        snprintf(a.code, sizeof(a.code), "%s", w->a);
        assert_int_equal(store_submit(w->s, &a), STORE_OK);
    }
}

static void test_effect_sizes_of_before_and_after(void **state)
{
    struct world *w = *state;
    /* Class A: five start answers, c1, c2, c2, c3, c4, beside its eight "Somewhat" (c3) ends. */
    class_a_starts(w);
    struct report_options opt = {0};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    size_t ga = SIZE_MAX, gb = SIZE_MAX, gc = SIZE_MAX, retro = SIZE_MAX, start = SIZE_MAX;
    for (size_t g = 0; g < r->ncohorts; g++) {
        ga = strcmp(r->g[g].name, w->a) == 0 ? g : ga;
        gb = strcmp(r->g[g].name, w->b) == 0 ? g : gb;
        gc = strcmp(r->g[g].name, w->c) == 0 ? g : gc;
    }
    for (size_t p = 0; p < r->npairs; p++) {
        const char *before = r->q[r->pairs[p].before].id;
        retro = strcmp(before, "q-confident-before") == 0 ? p : retro;
        start = strcmp(before, "q-confident-start") == 0 ? p : start;
    }
    assert_true(ga != SIZE_MAX && gb != SIZE_MAX && gc != SIZE_MAX);
    assert_true(retro != SIZE_MAX && start != SIZE_MAX && r->pairs[retro].paired);
    struct stats_effect e, want;
    /* Class C's pairs rose by 1 (3 pupils), 2 (6) and 3 (3): every pupil rose. */
    assert_true(report_pair_effect(r, retro, gc, &e));
    const int64_t diffs[9] = {0, 0, 0, 0, 0, 3, 6, 3, 0};
    assert_int_equal(stats_rank_biserial(diffs, 4, &want), 0);
    assert_int_equal(e.kind, STATS_RANK_BISERIAL);
    assert_float_equal(e.estimate, 1.0, 1e-12);
    assert_float_equal(e.low, want.low, 1e-12);
    assert_int_equal(e.n_before, 12);
    /* The whole report's pairs are class C's: A has none, B is held back. */
    assert_true(report_pair_effect(r, retro, r->all, &e));
    assert_float_equal(e.low, want.low, 1e-12);
    assert_int_equal(e.n_before, 12);
    /* Class A's start against its end: delta = (8 + 16 - 8) / (5 * 8) = 0.4. */
    assert_true(report_pair_effect(r, start, ga, &e));
    const int64_t before[5] = {1, 2, 1, 1, 0}, after[5] = {0, 0, 8, 0, 0};
    assert_int_equal(stats_cliff(before, after, 5, &want), 0);
    assert_int_equal(e.kind, STATS_CLIFF);
    assert_float_equal(e.estimate, 0.4, 1e-12);
    assert_float_equal(e.low, want.low, 1e-12);
    assert_float_equal(e.high, want.high, 1e-12);
    /* Class B is held back; class C was asked no start question it answered. */
    assert_false(report_pair_effect(r, retro, gb, &e));
    assert_false(report_pair_effect(r, start, gb, &e));
    assert_false(report_pair_effect(r, start, gc, &e));
    report_free(r);
}

/* A start or end answer (part) to the confidence question, with a pairing word or none. */
static void part_answer(struct store *s, const char *code, const char *part, const char *value,
                        const char *word)
{
    const char *vals[1] = {value};
    struct survey_item item = {strcmp(part, "start") == 0 ? "q-confident-start" : "q-confident-end",
                               false, vals, 1};
    struct survey_answer a = {.package_id = "sharing-images",
                              .package_version = "1.0.0",
                              .items = &item,
                              .item_count = 1,
                              .part = part,
                              .pairing_word = word};
    snprintf(a.code, sizeof(a.code), "%s", code);
    assert_int_equal(store_submit(s, &a), STORE_OK);
}

/* The pairing column (the 7th) of each CSV row of class code, in counts per number. */
static void pairing_numbers(const char *csv, const char *code, int *count, int max, int *empty)
{
    *empty = 0;
    for (const char *line = csv; line && *line;) {
        const char *next = strstr(line, "\r\n");
        const char *f = line;
        line = next ? next + 2 : NULL;
        if (strncmp(f, code, strlen(code)) != 0)
            continue;
        for (int i = 0; i < 6; i++)
            f = strchr(f, ',') + 1;
        if (*f == ',') {
            (*empty)++;
            continue;
        }
        int n = atoi(f);
        assert_true(n >= 1 && n < max);
        count[n]++;
    }
}

/*
 * Pairing words: class D's start and end answers pair exactly, on a near miss and on swapped
 * words, but not on a word given twice; class E has two pairs only, fewer than k, so its
 * pairing figures and numbers are held back. The report gives the match rate, the change over
 * the matched pairs as the matched-pairs rank-biserial correlation, and the CSV the pairing
 * numbers; no word is in any output.
 */
static void test_pairing_words(void **state)
{
    struct world *w = *state;
    char d[WIRE_CODE_LEN + 1], e[WIRE_CODE_LEN + 1];
    cohort(w->s, "1.0.0", "Hillside School", "Year Eight pairs", d);
    cohort(w->s, "1.0.0", "Hillside School", "Year Eight few pairs", e);
    const char *starts[8] = {"green otter", "pink lion",  "brave kite", "lucky drum",
                             "swift tulip", "gold comet", "gold comet", "happy robot"};
    const char *ends[8] = {"green otter", "pink lion",  "brave kite",  "lucky drum",
                           "swift tulp",  "gold comet", "robot happy", NULL};
    /* Starts all c2; the six pairs end c4, c4, c4, c3, c5, c4: changes +2 x4, +1, +3. */
    const char *end_values[8] = {"c4", "c4", "c4", "c3", "c5", "c1", "c4", "c1"};
    for (int i = 0; i < 8; i++) {
        part_answer(w->s, d, "start", "c2", starts[i]);
        part_answer(w->s, d, "end", end_values[i], ends[i]);
    }
    const char *e_starts[5] = {"purple owl", "orange shark", "noble crown", "royal igloo",
                               "quick cabin"};
    const char *e_ends[5] = {"purple owl", "orange shark", "lilac moth", "grand tent", NULL};
    for (int i = 0; i < 5; i++) {
        part_answer(w->s, e, "start", "c2", e_starts[i]);
        part_answer(w->s, e, "end", "c4", e_ends[i]);
    }
    struct report_options opt = {0};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    size_t gd = SIZE_MAX, ge = SIZE_MAX, ga = SIZE_MAX, hill = SIZE_MAX, start = SIZE_MAX;
    for (size_t g = 0; g < r->ng; g++) {
        gd = strcmp(r->g[g].name, d) == 0 ? g : gd;
        ge = strcmp(r->g[g].name, e) == 0 ? g : ge;
        ga = strcmp(r->g[g].name, w->a) == 0 ? g : ga;
        hill =
            r->g[g].kind == GROUP_SCHOOL && strcmp(r->g[g].name, "Hillside School") == 0 ? g : hill;
    }
    for (size_t p = 0; p < r->npairs; p++)
        start = strcmp(r->q[r->pairs[p].before].id, "q-confident-start") == 0 ? p : start;
    assert_true(gd != SIZE_MAX && ge != SIZE_MAX && hill != SIZE_MAX && start != SIZE_MAX);
    struct rpairing rp;
    assert_int_equal(report_pairing(r, gd, &rp), 0);
    assert_int_equal(rp.pairs, 6);
    assert_int_equal(rp.start, 8);
    assert_int_equal(rp.end, 8);
    /* Class E: two pairs, fewer than k. */
    assert_int_equal(report_pairing(r, ge, &rp), -EPERM);
    /* Class A answered in one sitting: nothing to pair. */
    assert_int_equal(report_pairing(r, ga, &rp), -ENODATA);
    /* The school and the whole: class D's figures, class E held back. */
    assert_int_equal(report_pairing(r, hill, &rp), 0);
    assert_int_equal(rp.pairs, 6);
    assert_int_equal(rp.start, 8);
    assert_int_equal(rp.nheld, 1);
    assert_int_equal(report_pairing(r, r->all, &rp), 0);
    assert_int_equal(rp.pairs, 6);
    assert_int_equal(rp.end, 8);
    /* The change over class D's six pairs: the matched-pairs rank-biserial correlation. */
    assert_true(report_pair_matched(r, start, gd));
    assert_false(report_pair_matched(r, start, ge));
    struct stats_effect ef, want;
    assert_true(report_pair_effect(r, start, gd, &ef));
    const int64_t diffs[9] = {0, 0, 0, 0, 0, 1, 4, 1, 0};
    assert_int_equal(stats_rank_biserial(diffs, 4, &want), 0);
    assert_int_equal(ef.kind, STATS_RANK_BISERIAL);
    assert_int_equal(ef.n_before, 6);
    assert_float_equal(ef.estimate, want.estimate, 1e-12);
    assert_float_equal(ef.low, want.low, 1e-12);
    struct stats_diff df;
    assert_true(report_pair_diff(r, start, gd, &df));
    assert_int_equal(df.n_before, 6);
    assert_float_equal(df.diff, 2.0, 1e-12);
    /* Class E's start and end stay apart: Cliff's delta. */
    assert_true(report_pair_effect(r, start, ge, &ef));
    assert_int_equal(ef.kind, STATS_CLIFF);
    report_free(r);

    char *text = render(w, &opt, REPORT_TEXT);
    char head_d[32], head_e[32];
    snprintf(head_d, sizeof(head_d), "Class %s:", d);
    snprintf(head_e, sizeof(head_e), "Class %s:", e);
    char *sd = section(text, head_d), *se = section(text, head_e);
    assert_non_null(strstr(sd, "Pairing words: 6 pairs. 75% of the 8 start answers and 75% of "
                               "the 8 end answers were paired."));
    assert_non_null(strstr(se, "Pairing words: not shown yet"));
    assert_non_null(strstr(text, "Pairing words: 6 pairs. 75% of the 8 start answers and 75% of "
                                 "the 8 end answers were paired (1 class with fewer than 5 not "
                                 "counted)."));
    free(sd);
    free(se);
    char *html = render(w, &opt, REPORT_HTML);
    char *csv = render(w, &opt, REPORT_CSV);
    int count[16] = {0}, empty;
    pairing_numbers(csv, d, count, 16, &empty);
    for (int n = 1; n <= 6; n++)
        assert_int_equal(count[n], 2); /* the start and the end answer of pair n */
    assert_int_equal(count[7], 0);
    assert_int_equal(empty, 4);
    int ecount[16] = {0};
    pairing_numbers(csv, e, ecount, 16, &empty);
    assert_int_equal(empty, 10);
    /* The words are in no output. */
    const char *const *outs[] = {starts, ends, e_starts, e_ends};
    const char *docs[] = {text, html, csv};
    for (size_t o = 0; o < 4; o++)
        for (size_t i = 0; i < (o < 2 ? 8u : 5u); i++)
            for (size_t k = 0; k < 3 && outs[o][i]; k++)
                if (strstr(docs[k], outs[o][i]))
                    fail_msg("'%s' is in an output", outs[o][i]);
    for (size_t k = 0; k < 3; k++)
        assert_null(strstr(docs[k], "otter"));
    free(text);
    free(html);
    free(csv);
    for (int i = 0; i < 2; i++) {
        const char *ext = i ? "dta" : "sav";
        char *path = export_file(w, &opt, i ? REPORT_EXPORT_DTA : REPORT_EXPORT_SAV, ext);
        char cmd[700];
        snprintf(cmd, sizeof(cmd), "/usr/bin/readstat '%s' - 2>/dev/null", path);
        char *data = fx_run(cmd);
        assert_null(strstr(data, "otter"));
        assert_null(strstr(data, "comet"));
        free(data);
        /* Nor in the file's bytes. */
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
        fclose(fp);
        assert_null(memmem(buf, n, "otter", 5));
        fx_tmp_free(path);
    }
}

/* The text of doc with its tags taken out (what a reader sees), the caller's to free(). */
static char *visible(const char *doc)
{
    char *t = malloc(strlen(doc) + 1), *o = t;
    bool tag = false;
    for (const char *p = doc; *p; p++) {
        if (*p == '<')
            tag = true;
        else if (*p == '>')
            tag = false;
        else if (!tag)
            *o++ = *p;
    }
    *o = '\0';
    return t;
}

/* A report opens with a summary (submissions, classes, what is not shown and why, headline
 * results) and a contents list; every group follows folded, and a class's own report open. */
static void test_summary_first_then_folded_groups(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *h = render(w, &opt, REPORT_HTML);
    const char *summary = strstr(h, "<h2 id=\"summary\">Summary</h2>");
    const char *contents = strstr(h, "<h2 id=\"contents\">Contents</h2>");
    const char *group = strstr(h, "<details class=\"group\"");
    assert_non_null(summary);
    assert_non_null(contents);
    assert_non_null(group);
    assert_true(summary < contents && contents < group);
    assert_non_null(strstr(summary, "<strong>20 submissions</strong> from 2 classes in 2 "
                                    "schools; 2 package versions."));
    assert_non_null(
        strstr(summary, "Not shown yet: 3 submissions from 1 class with fewer than 5."));
    assert_non_null(strstr(summary, "Classes with fewer than 5 submissions are not shown"));
    /* Headlines: class A's 8 "Somewhat" beside class C's 6 "Quite" and 6 "Very". */
    assert_non_null(strstr(summary, "<h3 class=\"headlines\">Headline results for all "
                                    "submissions</h3>"));
    assert_non_null(strstr(summary, "<li>Now, how confident do you feel about saying no?: most "
                                    "chose \xe2\x80\x9cSomewhat\xe2\x80\x9d: 8 of 20 (40%).</li>"));
    assert_non_null(strstr(contents, "<a href=\"#by-class\">By class</a> (3)"));
    assert_non_null(strstr(contents, "<a href=\"#compare\">"));
    /* Every group is folded: none open. */
    size_t groups = 0;
    for (const char *p = h; (p = strstr(p, "<details class=\"group\"")); p++)
        groups++;
    assert_int_equal(groups, 3 + 2 + 2);
    assert_null(strstr(h, "\" open>\n<summary>\n<h3>"));
    free(h);
    char *t = render(w, &opt, REPORT_TEXT);
    assert_true(strstr(t, "=== Summary") < strstr(t, "--- "));
    assert_non_null(strstr(t, "Headline results for all submissions"));
    free(t);

    opt.cohort = w->c;
    h = render(w, &opt, REPORT_HTML);
    assert_non_null(strstr(h, "\" open>\n<summary>\n<h3>Class "));
    assert_non_null(strstr(h, "Headline results for class "));
    free(h);
}

/* Leads read plain words: no question ids, no letter k, "submissions" for what is counted,
 * and a comments heading that counts what is listed under it. */
static void test_plain_words_for_leads(void **state)
{
    struct world *w = *state;
    struct report_options opts[] = {{0}, {.cohort = w->c}, {.school = "Riverside School"}};
    for (size_t i = 0; i < 3; i++) {
        for (int f = 0; f < 2; f++) {
            char *doc = render(w, &opts[i], f ? REPORT_HTML : REPORT_TEXT);
            char *v = f ? visible(doc) : strdup(doc);
            if (strstr(v, "q-confident") || strstr(v, "q-comment") || strstr(v, " k ") ||
                strstr(v, "k =") || strstr(v, "Answers:") || strstr(v, " answers from") ||
                strstr(v, "\xc2\xb7 scale"))
                fail_msg("an id, k or \"answers\" in:\n%s", v);
            free(v);
            free(doc);
        }
    }
    /* Class C's report lists its 2 comments under a heading that says 2. */
    char *h = render(w, &opts[1], REPORT_HTML);
    const char *c = strstr(h, "<h4 class=\"comments\">");
    assert_non_null(c);
    assert_non_null(strstr(c, "\xe2\x80\x9d (2)</h4>"));
    const char *ul = strstr(c, "<ul class=\"comments\">"), *end = strstr(ul, "</ul>");
    size_t items = 0;
    for (const char *p = ul; (p = strstr(p, "<li>")) && p < end; p++)
        items++;
    assert_int_equal(items, 2);
    free(h);
}

/* Charts: an axis, "No answer" apart from the answers, the comparison charted with counts
 * and shares in separate columns, and each chart on its own for a download. */
static void test_charts_axis_no_answer_and_downloads(void **state)
{
    struct world *w = *state;
    struct report_options opt = {.chart_href = "/staff/report/chart?school=Hillside%20School"};
    char *h = render(w, &opt, REPORT_HTML);
    assert_non_null(strstr(h, "<line class=\"axis\""));
    assert_non_null(strstr(h, "<text class=\"tick\" x=\"0\" y=\"317\">submissions</text>"));
    assert_non_null(strstr(h, "<line class=\"rule\""));
    assert_non_null(strstr(h, "<rect class=\"none\""));
    assert_non_null(strstr(h, "share of those who answered"));
    assert_non_null(strstr(h, "<th scope=\"col\">1.0.0: submissions</th><th scope=\"col\">"
                              "1.0.0: share</th>"));
    assert_non_null(strstr(h, "<th scope=\"row\">Somewhat</th><td class=\"n\">8</td><td "
                              "class=\"share\">100%</td><td class=\"n\">0</td><td "
                              "class=\"share\">0%</td>"));
    assert_non_null(strstr(h, "<a href=\"/staff/report/chart?school=Hillside%20School&amp;"
                              "group=compare&amp;q=q-confident-end&amp;format=svg\" "
                              "download>SVG</a></p>"));
    free(h);

    opt.chart_href = NULL;
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    char key[32];
    snprintf(key, sizeof(key), "class:%s", w->a);
    assert_int_equal(report_write_chart(r, key, "q-confident-end", &sink), 0);
    assert_true(strncmp(b.ptr, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg", 43) == 0);
    assert_non_null(strstr(b.ptr, "<style>"));
    assert_non_null(strstr(b.ptr, ">8 (100%)</text>"));
    buf_reset(&b);
    /* Class B has 3 answers: held back, it has no chart; nor has an unknown question. */
    snprintf(key, sizeof(key), "class:%s", w->b);
    assert_int_equal(report_write_chart(r, key, "q-confident-end", &sink), -ENOENT);
    assert_int_equal(report_write_chart(r, "all", "q-nothing", &sink), -ENOENT);
    assert_int_equal(report_write_chart(r, "school:Nowhere", "q-confident-end", &sink), -ENOENT);
    assert_int_equal(report_write_chart(r, "compare", "q-confident-end", &sink), 0);
    assert_non_null(strstr(b.ptr, "<text class=\"value a\""));
    assert_int_equal(b.len, strlen(b.ptr));
    buf_release(&b);
    report_free(r);
}

/*
 * A report written to a file (planpack report --format html) has no server to download a
 * chart from: each chart's link holds the chart's own SVG document, as a data: address.
 */
static void test_html_file_carries_each_chart_to_download(void **state)
{
    struct world *w = *state;
    struct report_options opt = {0};
    char *h = render(w, &opt, REPORT_HTML);
    size_t charts = 0, links = 0;
    for (const char *p = strstr(h, "<svg class=\"chart\""); p; p = strstr(p + 1, "<svg class"))
        charts++;
    const char *lead = "<a href=\"data:image/svg+xml;base64,";
    for (const char *p = strstr(h, lead); p; p = strstr(p + 1, lead)) {
        links++;
        const char *b64 = p + strlen(lead), *end = strchr(b64, '"');
        assert_non_null(end);
        unsigned char svg[65536];
        size_t len;
        assert_int_equal(sodium_base642bin(svg, sizeof(svg) - 1, b64, (size_t)(end - b64), NULL,
                                           &len, NULL, sodium_base64_VARIANT_ORIGINAL),
                         0);
        svg[len] = '\0';
        assert_true(strncmp((const char *)svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg",
                            43) == 0);
        assert_non_null(strstr((const char *)svg, "<style>"));
        assert_true(strncmp(end, "\" download=\"planpack-chart-", 27) == 0);
    }
    assert_true(charts > 0);
    assert_int_equal(links, charts);
    /* The version comparison's charts too. */
    assert_non_null(strstr(h, "download=\"planpack-chart-compare-q-confident-end.svg\">SVG</a>"));
    free(h);
    /* The staff pages' fragment links to the server instead, or to nothing. */
    opt.html_fragment = true;
    h = render(w, &opt, REPORT_HTML);
    assert_null(strstr(h, "data:image"));
    free(h);
}

/* A knowledge item: the share of those who chose an answer that chose the right one. */
static void test_share_correct_of_a_knowledge_item(void **state)
{
    struct world *w = *state;
    /* Class A: "Making my plan" (the right answer) 6 times, "The story" twice, and one
     * "prefer not to say", which is not an answer. */
    const char *picks[] = {"plan", "plan", "plan", "plan", "plan", "plan", "story", "story", NULL};
    for (size_t i = 0; i < 9; i++) {
        const char *vals[1] = {picks[i]};
        struct survey_item item = {"q-best", picks[i] == NULL, picks[i] ? vals : NULL,
                                   picks[i] ? 1 : 0};
        struct survey_answer a = {.package_id = "sharing-images",
                                  .package_version = "1.0.0",
                                  .items = &item,
                                  .item_count = 1};
        snprintf(a.code, sizeof(a.code), "%s", w->a);
        assert_int_equal(store_submit(w->s, &a), STORE_OK);
    }
    struct report_options opt = {0};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    size_t ga = SIZE_MAX, gb = SIZE_MAX, best = SIZE_MAX, useful = SIZE_MAX;
    for (size_t g = 0; g < r->ncohorts; g++) {
        ga = strcmp(r->g[g].name, w->a) == 0 ? g : ga;
        gb = strcmp(r->g[g].name, w->b) == 0 ? g : gb;
    }
    for (size_t i = 0; i < r->nq; i++) {
        best = strcmp(r->q[i].id, "q-best") == 0 ? i : best;
        useful = strcmp(r->q[i].id, "q-useful") == 0 ? i : useful;
    }
    struct stats_share s, want;
    assert_int_equal(report_share_correct(r, ga, best, &s), 0);
    assert_int_equal(stats_wilson(6, 8, &want), 0);
    assert_int_equal(s.x, 6);
    assert_int_equal(s.n, 8);
    assert_float_equal(s.low, want.low, 1e-12);
    assert_float_equal(s.high, want.high, 1e-12);
    /* The whole report: class C answered none, class B is held back. */
    assert_int_equal(report_share_correct(r, r->all, best, &s), 0);
    assert_int_equal(s.n, 8);
    assert_int_equal(report_share_correct(r, gb, best, &s), -EPERM);
    /* A question with no right answer has no share correct. */
    assert_int_equal(report_share_correct(r, ga, useful, &s), -ENODATA);
    report_free(r);
}

/* How many times needle occurs in hay. */
static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Whether HTML doc holds text, escaped as the report escapes it. */
static bool contains_escaped(const char *doc, const char *text)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_adds_html(&b, text);
    char *esc = buf_detach(&b, NULL);
    bool found = strstr(doc, esc) != NULL;
    free(esc);
    return found;
}

/*
 * The pilot report of version 1.0.0: its six parts in order; class A's start answers (c1, c2,
 * c2, c3, c4) against its eight ends (c3), with Cliff's delta worked out apart; and class B,
 * held back, in no figure: not its answers, its comment, its code, nor its focus group's.
 * Then the pilot and the revision side by side, with the revision's change log.
 */
static void test_pilot_report(void **state)
{
    struct world *w = *state;
    class_a_starts(w);
    /* Class B, still under 5: an answer at the start and a comment, which must show nowhere. */
    answer(w->s, w->b, "1.0.0", NULL, "c5", "CLASS-B-COMMENT");
    struct store_focus_group fg = {.day = store_today(w->s),
                                   .cohort_code = w->b,
                                   .themes = "Too long, story",
                                   .notes = "Class B's notes",
                                   .quotes = "it was fine"};
    assert_int_equal(store_focus_group_add(w->s, &fg, NULL), STORE_OK);
    fg.cohort_code = w->a;
    fg.themes = "too long";
    fg.notes = "Class A's notes";
    assert_int_equal(store_focus_group_add(w->s, &fg, NULL), STORE_OK);

    struct report_options opt = {.version = "1.0.0"};
    char *h = render(w, &opt, REPORT_PILOT);
    /* The six parts of an evaluation report, in order, each a section. */
    const char *ids[] = {"aims", "method", "participants", "results", "limitations", "changes"};
    const char *at = h;
    for (size_t i = 0; i < 6; i++) {
        char want[64];
        snprintf(want, sizeof(want), "<h2 id=\"%s\">%zu. ", ids[i], i + 1);
        const char *next = strstr(h, want);
        assert_non_null(next);
        assert_true(next > at);
        at = next;
    }
    assert_int_equal(occurrences(h, "<section class=\"pilot-part"), 6);
    assert_non_null(strstr(h, "@media print{@page{size:A4"));
    /* Participants: class A alone, 13 submissions; class B held back, counted apart. */
    assert_non_null(strstr(h, "<strong>13 submissions</strong> from 1 class in 1 school. Held "
                              "back: 4 submissions from 1 class with fewer than 5, which are in "
                              "no figure of this report."));
    char row[128];
    snprintf(row, sizeof(row), "<th scope=\"row\">%s: Year Eight PSHE</th>", w->a);
    assert_non_null(strstr(h, row));
    assert_null(strstr(h, w->b));
    assert_null(strstr(h, "Year Eight small group"));
    assert_null(strstr(h, "CLASS-B-COMMENT"));
    assert_non_null(strstr(h, "CLASS-A-COMMENT"));
    /* Start against end: the top answers are the upper half of five, the middle included:
     * 2 of 5 at the start, 8 of 8 at the end. Class B's c3 and c5 are in no count. */
    const int64_t before[5] = {1, 2, 1, 1, 0}, after[5] = {0, 0, 8, 0, 0};
    struct stats_effect e;
    assert_int_equal(stats_cliff(before, after, 5, &e), 0);
    char words[64], want[512];
    stats_effect_words(&e, words, sizeof(words));
    snprintf(want, sizeof(want),
             "At the end, 100%% were somewhat, quite or very, up from 40%% at the start: %s.",
             words);
    assert_true(contains_escaped(h, want));
    snprintf(want, sizeof(want),
             "Cliff's delta +0.40 (95%% CI %+.2f to %+.2f; 5 and 8 answers): %s.", e.low, e.high,
             words);
    assert_true(contains_escaped(h, want));
    assert_non_null(strstr(h, "<tr><th scope=\"row\">Somewhat</th><td class=\"n\">1</td><td "
                              "class=\"share\">20%</td><td class=\"n\">8</td><td "
                              "class=\"share\">100%</td></tr>"));
    assert_non_null(strstr(h, "<tr><th scope=\"row\">Very</th><td class=\"n\">0</td><td "
                              "class=\"share\">0%</td><td class=\"n\">0</td><td "
                              "class=\"share\">0%</td></tr>"));
    /* Every chart is an accessible SVG, and each has its table. */
    size_t charts = occurrences(h, "<svg class=\"chart\" role=\"img\" aria-labelledby=");
    assert_true(charts >= 4);
    assert_true(occurrences(h, "<table") >= charts);
    /* Focus groups: both counted in the themes, class B's under no code. */
    assert_non_null(strstr(h, "<tr><th scope=\"row\">Too long</th><td class=\"n\">2</td></tr>"));
    assert_non_null(strstr(h, "a class with fewer than 5 submissions"));
    /* Limitations, and no revision yet: version 1.0.0's own change log. */
    assert_non_null(strstr(h, "<strong>No control group.</strong>"));
    assert_non_null(strstr(h, "13 submissions: small numbers"));
    assert_non_null(strstr(h, "The change log has no entry for version 1.0.0."));
    free(h);

    /* The pilot and the revision side by side, with what changed. */
    struct report_options both = {.compare_a = "1.0.0", .compare_b = "1.1.0"};
    h = render(w, &both, REPORT_PILOT);
    assert_non_null(strstr(h, "The pilot, version 1.0.0, and the revision, version 1.1.0"));
    assert_non_null(strstr(h, "Shorter story, after pupils said it was too long."));
    assert_non_null(strstr(h, "<h3>the revision (version 1.1.0)</h3>"));
    assert_non_null(strstr(h, "matched-pairs rank-biserial correlation +1.00"));
    assert_null(strstr(h, w->b));
    assert_null(strstr(h, "CLASS-B-COMMENT"));
    free(h);
    /* An unknown version is refused. */
    struct report_options bad = {.version = "9.9.9"};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &bad, &r, err, sizeof(err)), STORE_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "9.9.9"));
}

/*
 * A comment that may be a disclosure (the caller's word list) comes first among a shown
 * class's comments, marked and with its class, though it sorts last; a held-back class's
 * one is nowhere, flagged or not.
 */
static void test_flagged_comments_first(void **state)
{
    struct world *w = *state;
    answer(w->s, w->a, "1.0.0", NULL, "c3", "zz please call me something happened");
    answer(w->s, w->b, "1.0.0", NULL, "c3", "zz held back call me");
    struct textmatch words;
    textmatch_init(&words);
    assert_true(textmatch_add(&words, "call me"));
    struct report_options opt = {.flag_words = &words};
    char *t = render(w, &opt, REPORT_TEXT);
    char line[256];
    /* Class A's comments, listed under its version (9: B's, held back, is not counted). */
    snprintf(line, sizeof(line),
             "(9):\n  - " REPORT_FLAG_MARK " (class %s): zz please call me something happened\n"
             "  - CLASS-A-COMMENT\n",
             w->a);
    assert_non_null(strstr(t, line));
    assert_null(strstr(t, "held back call me"));
    char *h = render(w, &opt, REPORT_HTML);
    snprintf(line, sizeof(line),
             "<ul class=\"comments\">\n<li class=\"flagged\"><strong>" REPORT_FLAG_MARK
             "</strong> (class %s) zz please call me something happened</li>\n"
             "<li>CLASS-A-COMMENT</li>\n",
             w->a);
    assert_non_null(strstr(h, line));
    assert_null(strstr(h, "held back call me"));
    free(h);
    /* Without a word list nothing is marked: the comment sorts among the rest. */
    char *plain = render(w, &(struct report_options){0}, REPORT_TEXT);
    assert_null(strstr(plain, REPORT_FLAG_MARK));
    assert_non_null(strstr(plain, "zz please call me"));
    free(plain);
    free(t);
    textmatch_release(&words);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_flagged_comments_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_accessors_refuse_a_held_back_class, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_class_held_back_from_every_total, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_distribution_and_paired_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_comparison_with_change_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_escapes_and_charts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_effect_sizes_of_before_and_after, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_correct_of_a_knowledge_item, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pilot_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sav_and_dta_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_codebook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pairing_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_first_then_folded_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_words_for_leads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_charts_axis_no_answer_and_downloads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_file_carries_each_chart_to_download, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_class_and_k, setup, teardown),
        cmocka_unit_test_setup_teardown(test_school_view_shows_only_its_classes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_school_view_keeps_k_anonymity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_school_view_refuses_unknown_school_and_other_class,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
