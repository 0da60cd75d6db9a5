/*
 * What changed from start to end, as the rendered report shows it, on a fixed data set: the
 * effect sizes and intervals that tests/unit/effect_check.py works out independently (with
 * SciPy, from the individual answers), the knowledge item's share right with its Wilson
 * interval, the plain sentence, the limits paragraph and the ceiling note, and the k rule on
 * each part: a class held back shows nothing, and a part with fewer than k answers shows no
 * figure of its own.
 *
 * The data (k = 5), one survey with a confidence scale at the start, at the end and looking
 * back, and a knowledge item (right answer "yes") at the start and at the end:
 *   class A: 17 start and 18 end submissions (the end ones with a "looking back" answer);
 *   class B: 3 start submissions, held back;
 *   class C: 8 end submissions and 2 start ones: its start part is held back;
 *   class D: 6 and 6, most already at the top at the start (a ceiling).
 * The later part, a few weeks on, asks the scale and the knowledge item again: class A has
 * 15 later submissions, class C 3 (its later part is held back).
 */
#include "testutil.h"

#include <errno.h>
#include <math.h>

#include "report/internal.h"
#include "report/report.h"
#include "test_fixture_survey.h"

static struct survey_option sure_opts[] = {
    {{"c", 1}, "s1", "Not sure at all"}, {{"c", 1}, "s2", "A bit sure"},
    {{"c", 1}, "s3", "Quite sure"},      {{"c", 1}, "s4", "Very sure"},
    {{"c", 1}, "s5", "Totally sure"},
};

#define SURE "How sure do you feel about saying no?"
#define LAW "Can it be against the law to take a nude picture of yourself if you are under 18?"

static struct survey_question questions[] = {
    {{"c", 1}, "q-sure-start", SURVEY_SCALE, SURVEY_START, SURE, sure_opts, 5, 0, NULL},
    {{"c", 1}, "q-law-start", SURVEY_YESNO, SURVEY_START, LAW, NULL, 0, 0, "yes"},
    {{"c", 1}, "q-sure-end", SURVEY_SCALE, SURVEY_END, SURE, sure_opts, 5, 0, NULL},
    {{"c", 1}, "q-law-end", SURVEY_YESNO, SURVEY_END, LAW, NULL, 0, 0, "yes"},
    {{"c", 1},
     "q-retro-sure",
     SURVEY_SCALE,
     SURVEY_RETRO,
     "Looking back: how sure did you feel?",
     sure_opts,
     5,
     0,
     NULL},
    {{"c", 1}, "q-sure-later", SURVEY_SCALE, SURVEY_LATER, SURE, sure_opts, 5, 0, NULL},
    {{"c", 1}, "q-law-later", SURVEY_YESNO, SURVEY_LATER, LAW, NULL, 0, 0, "yes"},
};

static struct survey survey_v1(void)
{
    return (struct survey){.package_id = "change",
                           .package_version = "1.0.0",
                           .questions = questions,
                           .count = sizeof(questions) / sizeof(questions[0])};
}

/* Class A: start levels 3 x1, 6 x2, 5 x3, 2 x4, 1 x5; end levels, each with its look back. */
static const int a_start[17] = {1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5};
static const int a_end[18] = {1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5};
static const int a_back[18] = {1, 1, 2, 2, 3, 2, 3, 1, 3, 4, 2, 4, 3, 5, 4, 3, 5, 2};
/* The knowledge item: 9 of 17 right at the start (5 no, 3 not sure), 15 of 18 at the end. */
static const char *const a_law_start[3] = {"yes", "no", "not-sure"};
static const int a_law_start_n[3] = {9, 5, 3};
static const int a_law_end_n[3] = {15, 2, 1};
/* Class A a few weeks later: the scale, and the knowledge item 11 of 15 right. */
static const int a_later[15] = {1, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5};
static const int a_law_later_n[3] = {11, 3, 1};
static const int d_start[6] = {5, 5, 5, 4, 4, 3};
static const int d_end[6] = {5, 5, 5, 5, 4, 4};

struct world {
    char *path;
    struct store *s;
    char a[WIRE_CODE_LEN + 1], b[WIRE_CODE_LEN + 1], c[WIRE_CODE_LEN + 1], d[WIRE_CODE_LEN + 1];
};

static void submit(struct store *s, const char *code, const char *sure_q, int level,
                   const char *law_q, const char *law, int back)
{
    static const char *const levels[] = {"", "s1", "s2", "s3", "s4", "s5"};
    struct survey_item items[3];
    const char *vals[3][1];
    size_t n = 0;
    if (level) {
        vals[n][0] = levels[level];
        items[n] = (struct survey_item){sure_q, false, vals[n], 1};
        n++;
    }
    if (law) {
        vals[n][0] = law;
        items[n] = (struct survey_item){law_q, false, vals[n], 1};
        n++;
    }
    if (back) {
        vals[n][0] = levels[back];
        items[n] = (struct survey_item){"q-retro-sure", false, vals[n], 1};
        n++;
    }
    struct survey_answer a = {
        .package_id = "change", .package_version = "1.0.0", .items = items, .item_count = n};
    snprintf(a.code, sizeof(a.code), "%s", code);
    assert_int_equal(store_submit(s, &a), STORE_OK);
}

/* The knowledge answer of the i-th submission, for counts per answer. */
static const char *law_answer(const int *counts, int i)
{
    for (int k = 0; k < 3; i -= counts[k], k++)
        if (i < counts[k])
            return a_law_start[k];
    return NULL;
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    w->path = fx_tmp_db();
    char err[256];
    assert_int_equal(store_open(w->path, STORE_READ_WRITE, NULL, &w->s, err, sizeof(err)),
                     STORE_OK);
    struct survey sv = survey_v1();
    char *codes[4] = {w->a, w->b, w->c, w->d};
    const char *labels[4] = {"Class A", "Class B", "Class C", "Class D"};
    for (int i = 0; i < 4; i++) {
        struct store_cohort_spec spec = {
            .label = labels[i], .school = "Hill School", .survey = &sv};
        assert_int_equal(store_cohort_create(w->s, &spec, codes[i]), STORE_OK);
    }
    for (int i = 0; i < 17; i++)
        submit(w->s, w->a, "q-sure-start", a_start[i], "q-law-start", law_answer(a_law_start_n, i),
               0);
    for (int i = 0; i < 18; i++)
        submit(w->s, w->a, "q-sure-end", a_end[i], "q-law-end", law_answer(a_law_end_n, i),
               a_back[i]);
    for (int i = 0; i < 15; i++)
        submit(w->s, w->a, "q-sure-later", a_later[i], "q-law-later", law_answer(a_law_later_n, i),
               0);
    for (int i = 0; i < 3; i++)
        submit(w->s, w->c, "q-sure-later", 5, "q-law-later", "yes", 0);
    for (int i = 0; i < 3; i++)
        submit(w->s, w->b, "q-sure-start", 1, "q-law-start", "no", 0);
    for (int i = 0; i < 8; i++)
        submit(w->s, w->c, "q-sure-end", 4, "q-law-end", "yes", 0);
    for (int i = 0; i < 2; i++)
        submit(w->s, w->c, "q-sure-start", 2, "q-law-start", "no", 0);
    for (int i = 0; i < 6; i++) {
        submit(w->s, w->d, "q-sure-start", d_start[i], NULL, NULL, 0);
        submit(w->s, w->d, "q-sure-end", d_end[i], NULL, NULL, 0);
    }
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

static char *render(struct world *w, enum report_format f)
{
    struct report_options opt = {.k = 5};
    struct report *r = NULL;
    char err[256] = "";
    if (report_build(w->s, &opt, &r, err, sizeof(err)) != STORE_OK)
        fail_msg("report_build: %s", err);
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_write(r, f, &sink), 0);
    report_free(r);
    buf_addc(&b, '\0');
    return buf_detach(&b, NULL);
}

/* The text report's section of class code: from its heading to the next group's. */
static char *class_section(const char *t, const char *code)
{
    char head[64];
    snprintf(head, sizeof(head), "--- Class %s:", code);
    const char *s = strstr(t, head);
    if (!s)
        fail_msg("no section %s", head);
    assert_non_null(s);
    const char *e = strstr(s + strlen(head), "\n\n--- ");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *out = malloc(n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

static void expect(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "missing: %s\nin:\n%s\n", needle, hay);
        fail();
    }
}

static void expect_not(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) {
        fprintf(stderr, "should not be there: %s\nin:\n%s\n", needle, hay);
        fail();
    }
}

/* Appends " NAME a,b,c" with n levels from v. */
static void add_levels(char *cmd, size_t size, const int *v, int n)
{
    for (int i = 0; i < n; i++) {
        size_t len = strlen(cmd);
        snprintf(cmd + len, size - len, "%s%d", i ? "," : " ", v[i]);
    }
}

/* "/usr/bin/python3 DIR/effect_check.py" into cmd, DIR this file's. */
static void check_command(char *cmd, size_t size)
{
    char dir[512];
    snprintf(dir, sizeof(dir), "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    snprintf(cmd, size, "/usr/bin/python3 %s/effect_check.py", dir);
}

/* Appends " 0,0,1,1,1" to cmd: n answers, the first wrong of them not right (0). */
static void add_right(char *cmd, size_t size, int n, int wrong)
{
    for (int i = 0; i < n; i++) {
        size_t len = strlen(cmd);
        snprintf(cmd + len, size - len, "%s%d", i ? "," : " ", i >= wrong);
    }
}

/* Runs cmd and reads its n lines, each the case kinds[i]: estimate, low and high in out[i]. */
static void run_check(const char *cmd, double *const out[], const char *const kinds[], int n)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    for (int i = 0; i < n; i++) {
        char line[512], k[16];
        if (!fgets(line, sizeof(line), f) ||
            sscanf(line, "%15s %lf %lf %lf", k, &out[i][0], &out[i][1], &out[i][2]) != 4 ||
            strcmp(k, kinds[i]) != 0)
            fail_msg("effect_check.py: expected %s", kinds[i]);
    }
    assert_int_equal(pclose(f), 0);
}

/* An effect_check.py command whose first case is Cliff's delta of before against after. */
static void check_cliff(char *cmd, size_t size, const int *before, int nb, const int *after, int na)
{
    check_command(cmd, size);
    strncat(cmd, " cliff", size - strlen(cmd) - 1);
    add_levels(cmd, size, before, nb);
    add_levels(cmd, size, after, na);
}

/* Runs effect_check.py on class A's answers: Cliff's delta of the scale, the pairs, the two
 * Wilson intervals and Cliff's delta of right (1) against not right (0). */
static void check_values(double cliff[3], double pairs[3], double wil_s[3], double wil_e[3],
                         double know[3])
{
    char cmd[4096];
    check_cliff(cmd, sizeof(cmd), a_start, 17, a_end, 18);
    strncat(cmd, " pairs ", sizeof(cmd) - strlen(cmd) - 1);
    for (int i = 0; i < 18; i++) {
        size_t len = strlen(cmd);
        snprintf(cmd + len, sizeof(cmd) - len, "%s%d:%d", i ? "," : "", a_back[i], a_end[i]);
    }
    strncat(cmd, " wilson 9 17 wilson 15 18 cliff", sizeof(cmd) - strlen(cmd) - 1);
    add_right(cmd, sizeof(cmd), 17, 8);
    add_right(cmd, sizeof(cmd), 18, 3);
    double *const out[5] = {cliff, pairs, wil_s, wil_e, know};
    const char *const kinds[5] = {"cliff", "pairs", "wilson", "wilson", "cliff"};
    run_check(cmd, out, kinds, 5);
}

/* The same for class A's start and later answers: Cliff's delta of the scale, the later
 * knowledge item's Wilson interval, and Cliff's delta of right against not right. */
static void check_later(double cliff[3], double wil_l[3], double know[3])
{
    char cmd[4096];
    check_cliff(cmd, sizeof(cmd), a_start, 17, a_later, 15);
    strncat(cmd, " wilson 11 15 cliff", sizeof(cmd) - strlen(cmd) - 1);
    add_right(cmd, sizeof(cmd), 17, 8);
    add_right(cmd, sizeof(cmd), 15, 4);
    double *const out[3] = {cliff, wil_l, know};
    const char *const kinds[3] = {"cliff", "wilson", "cliff"};
    run_check(cmd, out, kinds, 3);
}

/* Romano et al.'s (2006) words for Cliff's delta, "no clear change" when the interval holds 0. */
static const char *cliff_words(const double v[3], char *buf, size_t size)
{
    double a = fabs(v[0]);
    if (v[1] <= 0 && v[2] >= 0)
        snprintf(buf, size, "no clear change");
    else
        snprintf(buf, size, "a %s %s",
                 a < 0.147   ? "negligible"
                 : a < 0.33  ? "small"
                 : a < 0.474 ? "medium"
                             : "large",
                 v[0] > 0 ? "rise" : "fall");
    return buf;
}

/* Expects the effect-size line of Cliff's delta v over nb and na answers; its words in buf. */
static const char *expect_cliff(const char *hay, const double v[3], int nb, int na, char *buf,
                                size_t size)
{
    char want[256];
    snprintf(want, sizeof(want),
             "Effect size: Cliff's delta %+.2f (95%% CI %+.2f to %+.2f; %d and %d answers): %s",
             v[0], v[1], v[2], nb, na, cliff_words(v, buf, size));
    expect(hay, want);
    return buf;
}

/* Expects the text report's two shares right: x of n at the start (Wilson s), y of m at the
 * other part (until, Wilson e). */
static void expect_right(const char *hay, const char *until, const double s[3], int x, int n,
                         const double e[3], int y, int m)
{
    char want[256];
    snprintf(want, sizeof(want),
             "      Start: %ld%% (95%% CI %ld%% to %ld%%; %d of %d)\n"
             "      %s: %ld%% (95%% CI %ld%% to %ld%%; %d of %d)\n",
             lround(s[0] * 100), lround(s[1] * 100), lround(s[2] * 100), x, n, until,
             lround(e[0] * 100), lround(e[1] * 100), lround(e[2] * 100), y, m);
    expect(hay, want);
}

#define TOP "were quite sure, very sure or totally sure"
#define RIGHT "gave the right answer (yes)"

/* Expects the sentence "AT, NOW% WHAT, up from THEN% at the start: WORDS." */
static void expect_sentence(const char *hay, const char *at, int now, const char *what, int then,
                            const char *words)
{
    char want[512];
    snprintf(want, sizeof(want), "%s, %d%% %s, up from %d%% at the start: %s.", at, now, what, then,
             words);
    expect(hay, want);
}

static void test_change_against_scipy(void **state)
{
    struct world *w = *state;
    double cliff[3], pairs[3], ws[3], we[3], know[3];
    check_values(cliff, pairs, ws, we, know);
    print_message("cliff %.4f [%.4f, %.4f], pairs %.4f [%.4f, %.4f]\n", cliff[0], cliff[1],
                  cliff[2], pairs[0], pairs[1], pairs[2]);
    char *t = render(w, REPORT_TEXT);
    char *sa = class_section(t, w->a);
    char want[512], words[64];
    /* The scale: both distributions side by side, the top answers, Cliff's delta. */
    expect(sa, "What changed from start to end:");
    expect(sa, "    Answer                                        Start            End\n");
    expect(sa, "    Quite sure                                  5   29%        5   28%\n");
    expect_not(sa, "    No answer    ");
    expect(sa, "    In the top answers (quite sure, very sure or totally sure):\n"
               "      Start: 47% (95% CI 26% to 69%; 8 of 17)\n"
               "      End: 83% (95% CI 61% to 94%; 15 of 18)\n");
    expect_cliff(sa, cliff, 17, 18, words, sizeof(words));
    /* The sentence a head teacher reads. */
    expect_sentence(sa, "At the end", 83, TOP, 47, words);
    /* Looking back and at the end in one submission: the matched-pairs correlation. */
    snprintf(want, sizeof(want),
             "Effect size: matched-pairs rank-biserial correlation %+.2f (95%% CI %+.2f to %+.2f;",
             pairs[0], pairs[1], pairs[2]);
    expect(sa, want);
    /* The knowledge item: share right at each end with Wilson's interval, and the change. */
    expect(sa, "    Yes (right)  ");
    expect(sa, "    Chose the right answer:\n      Start: ");
    expect_right(sa, "End", ws, 9, 17, we, 15, 18);
    snprintf(want, sizeof(want), "Cliff's delta %+.2f (95%% CI %+.2f to %+.2f; 17 and 18 answers)",
             know[0], know[1], know[2]);
    expect(sa, want);
    expect_sentence(sa, "At the end", 83, RIGHT, 53, cliff_words(know, words, sizeof(words)));
    expect_not(sa, "little room to rise");
    /* From the start to a few weeks later, by the same figures, under a heading of its own. */
    double lc[3], wl[3], lk[3];
    check_later(lc, wl, lk);
    const char *later = strstr(sa, "What changed from the start to a few weeks later:\n");
    assert_non_null(later);
    expect(later, "    Answer                                        Start    Weeks later\n");
    expect(later, "      Start: 47% (95% CI 26% to 69%; 8 of 17)\n"
                  "      Weeks later: 73% (95% CI 48% to 89%; 11 of 15)\n");
    expect_cliff(later, lc, 17, 15, words, sizeof(words));
    expect_sentence(later, "A few weeks later", 73, TOP, 47, words);
    expect_right(later, "Weeks later", ws, 9, 17, wl, 11, 15);
    expect_sentence(later, "A few weeks later", 73, RIGHT, 53,
                    cliff_words(lk, words, sizeof(words)));
    /* The summary gives the whole report's sentences and what the figures cannot show,
     * with the ceiling that class D's data show. */
    const char *summary_end = strstr(t, "=== By package version");
    assert_non_null(summary_end);
    char *summary = strndup(t, (size_t)(summary_end - t));
    expect(summary, "What changed from start to end:\n  - " SURE " At the end, ");
    expect(summary, "the answers are what pupils say about themselves, not what they do");
    expect(summary, "(there is no control group)");
    expect(summary, "there was little room to rise (a ceiling)");
    free(summary);
    /* The HTML report says the same. */
    char *h = render(w, REPORT_HTML);
    snprintf(want, sizeof(want),
             "<p class=\"sentence\">At the end, 83%% were quite sure, very sure or totally sure, "
             "up from 47%% at the start: %s.</p>",
             cliff_words(cliff, words, sizeof(words)));
    expect(h, want);
    snprintf(want, sizeof(want), "delta %+.2f (95%% CI %+.2f to %+.2f; 17 and 18 answers)",
             cliff[0], cliff[1], cliff[2]);
    expect(h, want);
    snprintf(want, sizeof(want),
             "<li>Chose the right answer: Start %ld%% (95%% CI %ld%% to %ld%%; 9 of 17); end "
             "%ld%% (95%% CI %ld%% to %ld%%; 15 of 18).</li>",
             lround(ws[0] * 100), lround(ws[1] * 100), lround(ws[2] * 100), lround(we[0] * 100),
             lround(we[1] * 100), lround(we[2] * 100));
    expect(h, want);
    expect(h, "<li>In the top answers (quite sure, very sure or totally sure): Start 47% (95% CI "
              "26% to 69%; 8 of 17); end 83% (95% CI 61% to 94%; 15 of 18).</li>");
    expect(h, "<p class=\"limits\">What the start and end figures cannot show:");
    expect(h, "<th scope=\"col\">Start: share</th><th scope=\"col\">End: submissions</th>");
    free(h);
    free(sa);
    free(t);
}

/* A Wilson interval worked out by effect_check.py, as a report writes it. */
static void wilson_words(int x, int n, char *buf, size_t size)
{
    char cmd[1024];
    check_command(cmd, sizeof(cmd));
    size_t len = strlen(cmd);
    snprintf(cmd + len, sizeof(cmd) - len, " wilson %d %d", x, n);
    double v[3];
    double *const out[1] = {v};
    const char *const kinds[1] = {"wilson"};
    run_check(cmd, out, kinds, 1);
    snprintf(buf, size, "%ld%% (95%% CI %ld%% to %ld%%; %d of %d)", lround(v[0] * 100),
             lround(v[1] * 100), lround(v[2] * 100), x, n);
}

/*
 * The pilot report gives the same figures and sentences as the HTML report: the knowledge
 * item's share right at the start, at the end and weeks later with their Wilson intervals
 * (classes A and C: 9 of 19, 23 of 26, 14 of 18), each change's sentence, and the later part
 * under its own heading; class B nowhere.
 */
static void test_pilot_report_says_the_same(void **state)
{
    struct world *w = *state;
    char *p = render(w, REPORT_PILOT), *h = render(w, REPORT_HTML);
    char s[3][96], want[512];
    wilson_words(9, 19, s[0], sizeof(s[0]));
    wilson_words(23, 26, s[1], sizeof(s[1]));
    wilson_words(14, 18, s[2], sizeof(s[2]));
    snprintf(want, sizeof(want), "<li>Chose the right answer: Start %s; end %s.</li>", s[0], s[1]);
    expect(p, want);
    expect(h, want);
    snprintf(want, sizeof(want), "<li>Chose the right answer: Start %s; weeks later %s.</li>", s[0],
             s[2]);
    expect(p, want);
    expect(h, want);
    /* Each change's sentence for the version is the pilot report's, as report_pair_change()
     * words it: five of them, two of them a few weeks later. */
    struct report_options opt = {.k = 5};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    assert_int_equal(r->nversions, 1);
    int sentences = 0, later = 0;
    for (size_t i = 0; i < r->npairs; i++) {
        struct report_change c;
        assert_int_equal(report_pair_change(r, i, r->first_version, &c), 0);
        if (!c.sentence[0])
            continue;
        struct buf b;
        buf_init(&b, 4096);
        buf_adds_html(&b, c.sentence);
        char *esc = buf_detach(&b, NULL);
        expect(p, esc);
        free(esc);
        sentences++;
        later += c.later;
    }
    report_free(r);
    assert_int_equal(sentences, 5);
    assert_int_equal(later, 2);
    expect(p, "At the end, 88% gave the right answer (yes), up from 47% at the start: ");
    expect(p, "A few weeks later, 78% gave the right answer (yes), up from 47% at the start: ");
    expect(p, "<h3 id=\"later\">A few weeks later</h3>");
    expect(p, "<h4 id=\"chg-7\">How sure do you feel about saying no? (at the start, and a few "
              "weeks later)</h4>");
    expect_not(p, w->b);
    free(p);
    free(h);
}

static void test_k_rule_for_each_part(void **state)
{
    struct world *w = *state;
    char *t = render(w, REPORT_TEXT);
    /* Class B is held back whole: nothing of what changed. */
    char *sb = class_section(t, w->b);
    expect(sb, "Not shown yet");
    expect_not(sb, "What changed");
    expect_not(sb, "%");
    free(sb);
    /* Class C is shown, but its start part has 2 answers: no start figure, no effect, no
     * sentence, and its start column is empty. */
    char *sc = class_section(t, w->c);
    expect(sc, "What changed from start to end:");
    expect(sc, "      Start: not shown: fewer than 5 answers\n      End: 100% (95% CI 68% to "
               "100%; 8 of 8)\n");
    expect(sc, "    Quite sure                                                 0    0%\n");
    expect(sc, "Effect size: none: fewer than 5 answers at the start or at the end");
    expect_not(sc, "Cliff's delta");
    expect_not(sc, "At the end, ");
    /* Its later part has 3: nothing of it either. */
    expect(sc, "      Weeks later: not shown: fewer than 5 answers\n");
    expect(sc, "Effect size: none: fewer than 5 answers at the start or a few weeks later");
    expect_not(sc, "A few weeks later, ");
    free(sc);
    /* Class D: most were already at the top at the start. */
    char *sd = class_section(t, w->d);
    expect(sd, "Most were already in the top answers at the start (100%), so there was little "
               "room to rise (a ceiling)");
    free(sd);
    free(t);
    /* The accessor itself refuses the held-back class. */
    struct report_options opt = {.k = 5};
    struct report *r = NULL;
    char err[256];
    assert_int_equal(report_build(w->s, &opt, &r, err, sizeof(err)), STORE_OK);
    size_t gb = SIZE_MAX;
    for (size_t g = 0; g < r->ncohorts; g++)
        gb = strcmp(r->g[g].name, w->b) == 0 ? g : gb;
    assert_true(gb != SIZE_MAX && r->npairs == 5);
    struct report_change c;
    for (size_t p = 0; p < r->npairs; p++)
        assert_int_equal(report_pair_change(r, p, gb, &c), -EPERM);
    report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_change_against_scipy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_k_rule_for_each_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pilot_report_says_the_same, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
