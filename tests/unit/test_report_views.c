/*
 * Every view one user can open, taken together, must not give away a figure that one of
 * them holds back.
 *
 * The data are generated: three schools and classes with no school, two package versions,
 * classes whose answers were served under both (a code made under 1.0.0 still taking answers
 * once the server serves 1.1.0), classes answering in two languages (a language not recorded,
 * as answers before languages were, and Welsh), sizes on both sides of every k tried, random
 * answers and comments. What the k rule holds back or shows is a unit: one class's answers
 * under one version served in one language, so a cell is (class, version served, language,
 * question, answer). For each k the
 * test renders every view such a user can ask for (every school, every class, every class
 * within its school, the version comparison on every school and on each, each as text,
 * HTML and the data exports: CSV, the Stata file as ReadStat reads it back, and the codebook's
 * count of what was left out), reads every figure back out of the output, and writes each
 * one as an equation: the figure equals the sum of some cells (class, question, answer).
 * Which classes a total covers is what the report says of them (a class "not shown yet"
 * is in no total); each equation is checked against the generated data, so the model is
 * the truth and not an assumption. A hidden cell (one its class's own view does not show)
 * is then determined by the figures shown exactly when its unit vector lies in the span of
 * the equations (worked out exactly, modulo a prime), or when a shown total of 0 covers it.
 * No hidden cell may be determined, at any one k or with every k's views together.
 *
 * Also: figures shown only grow as k falls, a 0 in a shown class is shown, and a figure once
 * shown stays shown when answers and classes arrive.
 */
#include "testutil.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>

#include "report/report.h"
#include "test_fixture_report.h"
#include "test_fixture_survey.h"

#define MAX_CLASSES 24
#define MAX_ATOMS 1280
#define PRIME 2147483647ULL

/* A unit: a class's answers under one version served in one language. A class answered under
 * two versions, or in two languages, is two of these, with one code. */
struct cls {
    char code[WIRE_CODE_LEN + 1];
    const char *school;           /* NULL: no school */
    const char *version;          /* the class's, its code was made for */
    const char *served;           /* the version its answers were served */
    const char *language;         /* the language they were given in; NULL: not recorded */
    char key[WIRE_CODE_LEN + 24]; /* "CODE@SERVED" or "CODE@SERVED@LANGUAGE", naming its cells */
    int n;
};

struct world {
    char *path;
    struct store *s;
    struct cls c[MAX_CLASSES];
    size_t nc;
    uint64_t seed;
    /* The truth: answers per cell, keyed as the atoms are. */
    char *key[MAX_ATOMS];
    int64_t truth[MAX_ATOMS];
    size_t nkeys;
};

static const char *const schools[] = {"Hill School", "Dale Academy", "Vale College"};

static uint32_t rnd(struct world *w, uint32_t below)
{
    w->seed = w->seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(w->seed >> 33) % below;
}

/* The index of a cell "CODE@SERVED|question|label" of unit c, made on first use. */
static size_t atom(struct world *w, const struct cls *c, const char *q, const char *label)
{
    char k[160];
    snprintf(k, sizeof(k), "%s|%s|%s", c->key, q, label);
    for (size_t i = 0; i < w->nkeys; i++)
        if (strcmp(w->key[i], k) == 0)
            return i;
    assert_true(w->nkeys < MAX_ATOMS);
    w->key[w->nkeys] = strdup(k);
    w->truth[w->nkeys] = 0;
    return w->nkeys++;
}

static const struct survey_question *fx_q(const char *id)
{
    for (size_t i = 0; i < sizeof(fx_questions) / sizeof(fx_questions[0]); i++)
        if (strcmp(fx_questions[i].id, id) == 0)
            return &fx_questions[i];
    return NULL;
}

/* Every column label a question has in the report. */
static size_t labels(const struct survey_question *q, const char **out)
{
    static const char *const yesno[] = {"Yes", "No", "Not sure"};
    size_t n = 0;
    if (q->type == SURVEY_YESNO)
        for (size_t i = 0; i < 3; i++)
            out[n++] = yesno[i];
    else if (q->type == SURVEY_TEXT)
        out[n++] = "Answered";
    else
        for (size_t i = 0; i < q->option_count; i++)
            out[n++] = q->options[i].label;
    out[n++] = "Prefer not to say";
    out[n++] = "No answer";
    return n;
}

/* One random answer for class c, added to the truth. */
static void answer(struct world *w, struct cls *c)
{
    static const char *const yesno_ids[] = {"yes", "no", "not-sure"};
    static const char *const comments[] = {"ok", "good", "too long", "more please"};
    struct survey_item items[8];
    const char *vals[8][3];
    size_t ni = 0;
    for (size_t i = 0; i < sizeof(fx_questions) / sizeof(fx_questions[0]); i++) {
        const struct survey_question *q = &fx_questions[i];
        const char *lab[8];
        size_t nl = labels(q, lab);
        uint32_t pick = rnd(w, 8);
        if (q->when == SURVEY_START || pick == 0) { /* no answer */
            w->truth[atom(w, c, q->id, "No answer")]++;
            continue;
        }
        if (pick == 1) {
            items[ni++] = (struct survey_item){q->id, true, NULL, 0};
            w->truth[atom(w, c, q->id, "Prefer not to say")]++;
            continue;
        }
        size_t nv = 0;
        if (q->type == SURVEY_MULTI) {
            for (size_t j = 0; j < q->option_count; j++)
                if (rnd(w, 2)) {
                    vals[ni][nv++] = q->options[j].id;
                    w->truth[atom(w, c, q->id, lab[j])]++;
                }
            if (nv == 0) {
                w->truth[atom(w, c, q->id, "No answer")]++;
                continue;
            }
        } else if (q->type == SURVEY_TEXT) {
            vals[ni][nv++] = comments[rnd(w, 4)];
            w->truth[atom(w, c, q->id, "Answered")]++;
        } else {
            size_t j = rnd(w, (uint32_t)(nl - 2));
            vals[ni][nv++] = q->type == SURVEY_YESNO ? yesno_ids[j] : q->options[j].id;
            w->truth[atom(w, c, q->id, lab[j])]++;
        }
        items[ni] = (struct survey_item){q->id, false, vals[ni], nv};
        ni++;
    }
    w->truth[atom(w, c, "size", "")]++;
    for (size_t i = 0; i < sizeof(fx_questions) / sizeof(fx_questions[0]); i++)
        w->truth[atom(w, c, fx_questions[i].id, "Answers")]++;
    struct survey_answer a = {.package_id = "sharing-images",
                              .package_version = c->version,
                              .served_version = c->served,
                              .language = c->language,
                              .items = items,
                              .item_count = ni};
    snprintf(a.code, sizeof(a.code), "%s", c->code);
    assert_int_equal(store_submit(w->s, &a), STORE_OK);
    c->n++;
}

/* Unit c's cells in the truth, zeros included, and then n answers. */
static void add_answers(struct world *w, struct cls *c, int n)
{
    snprintf(c->key, sizeof(c->key), "%s@%s%s%s", c->code, c->served, c->language ? "@" : "",
             c->language ? c->language : "");
    for (size_t i = 0; i < sizeof(fx_questions) / sizeof(fx_questions[0]); i++) {
        const char *lab[8];
        size_t nl = labels(&fx_questions[i], lab);
        for (size_t j = 0; j < nl; j++)
            atom(w, c, fx_questions[i].id, lab[j]);
        atom(w, c, fx_questions[i].id, "Answers");
    }
    atom(w, c, "size", "");
    for (int i = 0; i < n; i++)
        answer(w, c);
}

/* A class whose n answers are in language (NULL: not recorded). */
static struct cls *add_class_in(struct world *w, const char *school, const char *version,
                                const char *language, int n)
{
    assert_true(w->nc < MAX_CLASSES);
    struct cls *c = &w->c[w->nc++];
    c->school = school;
    c->version = c->served = version;
    c->language = language;
    struct survey sv = fx_survey(version);
    struct store_cohort_spec spec = {.label = "Year 8", .school = school, .survey = &sv};
    assert_int_equal(store_cohort_create(w->s, &spec, c->code), STORE_OK);
    add_answers(w, c, n);
    return c;
}

static struct cls *add_class(struct world *w, const char *school, const char *version, int n)
{
    return add_class_in(w, school, version, NULL, n);
}

/* n answers of class c served under another version: a unit of its own. */
static struct cls *add_served(struct world *w, const struct cls *c, const char *served, int n)
{
    assert_true(w->nc < MAX_CLASSES);
    struct cls *u = &w->c[w->nc++];
    *u = *c;
    u->served = served;
    u->n = 0;
    add_answers(w, u, n);
    return u;
}

/* n answers of class c in another language: a unit of its own. */
static struct cls *add_language(struct world *w, const struct cls *c, const char *language, int n)
{
    assert_true(w->nc < MAX_CLASSES);
    struct cls *u = &w->c[w->nc++];
    *u = *c;
    u->language = language;
    u->n = 0;
    add_answers(w, u, n);
    return u;
}

/* Whether unit c is its class's first (the one to open the class's own views by). */
static bool first_of_class(const struct world *w, size_t c)
{
    for (size_t i = 0; i < c; i++)
        if (strcmp(w->c[i].code, w->c[c].code) == 0)
            return false;
    return true;
}

/* Whether some unit of unit c's class is not held back. */
static bool class_shown(const struct world *w, const bool *held, size_t c)
{
    for (size_t i = 0; i < w->nc; i++)
        if (strcmp(w->c[i].code, w->c[c].code) == 0 && !held[i])
            return true;
    return false;
}

/* The pilot's shape: one big and one small school, a school with several classes on both
 * versions, and classes with no school; sizes on both sides of k = 3 to 6. */
static void world_make(struct world *w, uint64_t seed)
{
    memset(w, 0, sizeof(*w));
    w->seed = seed;
    w->path = fx_tmp_db();
    char err[256];
    assert_int_equal(store_open(w->path, STORE_READ_WRITE, NULL, &w->s, err, sizeof(err)),
                     STORE_OK);
    static const int sizes[] = {1, 2, 3, 4, 5, 6, 7, 9, 12, 20};
    add_class(w, schools[0], "1.0.0", 20);
    add_class(w, schools[1], "1.0.0", 3);
    for (int i = 0; i < 3; i++)
        add_class(w, schools[2], i % 2 ? "1.1.0" : "1.0.0", sizes[rnd(w, 10)]);
    add_class(w, schools[0], "1.1.0", sizes[rnd(w, 10)]);
    add_class(w, NULL, "1.1.0", sizes[rnd(w, 10)]);
    struct cls *c = add_class(w, NULL, "1.0.0", sizes[rnd(w, 5)]);
    add_served(w, c, "1.1.0", sizes[rnd(w, 10)]);
    /* The issue's case: 7 answers under 1.0.0 and 2 once the server served 1.1.0; and a class
     * on either side of k under each. */
    add_served(w, add_class(w, schools[0], "1.0.0", 7), "1.1.0", 2);
    c = add_class(w, schools[2], "1.0.0", sizes[rnd(w, 10)]);
    add_served(w, c, "1.1.0", sizes[rnd(w, 10)]);
    /* Welsh: a class of 6 answers and 2 in Welsh (the 2 held back at every k tried), and a
     * class in Welsh alone, of a random size. */
    add_language(w, add_class(w, schools[1], "1.0.0", 6), "cy", 2);
    add_class_in(w, schools[0], "1.0.0", "cy", sizes[rnd(w, 10)]);
}

static void world_free(struct world *w)
{
    store_close(w->s);
    fx_tmp_free(w->path);
    for (size_t i = 0; i < w->nkeys; i++)
        free(w->key[i]);
}

/* The view, or NULL for a comparison of a version the view does not hold. */
static char *render(struct world *w, const struct report_options *opt, enum report_format f)
{
    struct report *r = NULL;
    char err[256] = "";
    int rc = report_build(w->s, opt, &r, err, sizeof(err));
    if (rc == STORE_ERR_NOT_FOUND && opt->compare_a && strstr(err, "package version"))
        return NULL;
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

/*
 * A data export of the view: the codebook or CSV as written; the Stata file as ReadStat's
 * own reader (Debian's readstat) reads it back, as CSV without quotes.
 */
static char *render_data(struct world *w, const struct report_options *opt, enum report_export f)
{
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    if (f == REPORT_EXPORT_DTA) {
        char *path = fx_export_file(w->s, opt, f, "dta");
        char cmd[700];
        snprintf(cmd, sizeof(cmd), "/usr/bin/readstat '%s' - 2>/dev/null", path);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        for (int c; (c = getc(p)) != EOF;)
            if (c != '"')
                buf_addc(&b, (char)c);
        assert_int_equal(pclose(p), 0);
        fx_tmp_free(path);
        return buf_detach(&b, NULL);
    }
    struct report *r = NULL;
    char err[256] = "";
    if (report_build(w->s, opt, &r, err, sizeof(err)) != STORE_OK)
        fail_msg("report_build: %s", err);
    struct report_sink sink = {report_sink_buf, &b};
    assert_int_equal(report_export(r, f, &sink), 0);
    report_free(r);
    return buf_detach(&b, NULL);
}

/* ---- the equations ---- */

struct system {
    size_t natoms;
    uint64_t **basis; /* by pivot column: a row with 1 there and 0 before it, or NULL */
    bool *zero;       /* cells a shown total of 0 covers */
    char **shown;     /* every figure shown, as "view|section|question|label" (for growth) */
    size_t nshown;
    size_t shown_cap;
    size_t equations;
};

static void system_init(struct system *sy)
{
    memset(sy, 0, sizeof(*sy));
    sy->natoms = MAX_ATOMS;
    sy->basis = calloc(MAX_ATOMS, sizeof(*sy->basis));
    sy->zero = calloc(MAX_ATOMS, sizeof(*sy->zero));
}

static void system_release(struct system *sy)
{
    for (size_t i = 0; i < sy->natoms; i++)
        free(sy->basis[i]);
    for (size_t i = 0; i < sy->nshown; i++)
        free(sy->shown[i]);
    free(sy->shown);
    free(sy->basis);
    free(sy->zero);
}

/* Reduces v by the basis; returns the first column left non-zero, or natoms. */
static size_t reduce(const struct system *sy, uint64_t *v)
{
    for (size_t col = 0; col < sy->natoms; col++) {
        if (!v[col])
            continue;
        const uint64_t *b = sy->basis[col];
        if (!b)
            return col;
        uint64_t f = v[col];
        for (size_t j = col; j < sy->natoms; j++)
            if (b[j])
                v[j] = (v[j] + (PRIME - f) * b[j]) % PRIME;
    }
    return sy->natoms;
}

static uint64_t inverse(uint64_t a)
{
    uint64_t r = 1, e = PRIME - 2;
    while (e) {
        if (e & 1)
            r = r * a % PRIME;
        a = a * a % PRIME;
        e >>= 1;
    }
    return r;
}

/* The HTML line being read, named when a figure read from it is wrong. */
static const char *dbg_line = "";

/* Adds the equation sum(coef[i] * cell[i]) = value after checking it against the truth. */
static void equation(struct world *w, struct system *sy, const size_t *cell, const int *coef,
                     size_t n, int64_t value, const char *what)
{
    int64_t truth = 0;
    for (size_t i = 0; i < n; i++)
        truth += coef[i] * w->truth[cell[i]];
    if (truth != value)
        fail_msg("[%s] %s: shown %lld, but the cells it is taken to cover add up to %lld", dbg_line,
                 what, (long long)value, (long long)truth);
    bool sum = true;
    for (size_t i = 0; i < n; i++)
        sum &= coef[i] > 0;
    if (value == 0 && sum)
        for (size_t i = 0; i < n; i++)
            sy->zero[cell[i]] = true;
    uint64_t *v = calloc(sy->natoms, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[cell[i]] = (v[cell[i]] + (coef[i] > 0 ? 1 : PRIME - 1)) % PRIME;
    size_t p = reduce(sy, v);
    sy->equations++;
    if (p == sy->natoms) {
        free(v);
        return;
    }
    uint64_t inv = inverse(v[p]);
    for (size_t j = p; j < sy->natoms; j++)
        v[j] = v[j] * inv % PRIME;
    sy->basis[p] = v;
}

static bool determined(const struct system *sy, size_t cell)
{
    if (sy->zero[cell])
        return true;
    uint64_t *v = calloc(sy->natoms, sizeof(*v));
    v[cell] = 1;
    bool d = reduce(sy, v) == sy->natoms;
    free(v);
    return d;
}

static void note_shown(struct system *sy, const char *view, const char *section, const char *q,
                       const char *label)
{
    if (sy->nshown == sy->shown_cap) {
        sy->shown_cap = sy->shown_cap ? 2 * sy->shown_cap : 256;
        sy->shown = realloc(sy->shown, sy->shown_cap * sizeof(*sy->shown));
    }
    char k[400];
    snprintf(k, sizeof(k), "%s|%s|%s|%s", view, section, q, label);
    sy->shown[sy->nshown++] = strdup(k);
}

/* ---- reading the views back ---- */

struct view {
    const char *school; /* the view's school, or NULL */
    int k;
    const bool *held; /* per class: its own view says it is not shown yet */
};

/* The classes a section's figures cover, as the report describes them. */
static size_t members(const struct world *w, const struct view *v, const char *section, size_t *out)
{
    size_t n = 0;
    for (size_t c = 0; c < w->nc; c++) {
        const struct cls *k = &w->c[c];
        if (v->school && (!k->school || strcmp(k->school, v->school) != 0))
            continue;
        char want[128];
        snprintf(want, sizeof(want), "Class %s", k->code);
        if (strcmp(section, want) == 0) {
            /* A class's own heading: its units shown, or the size of all when none is. */
            if (!v->held[c] || !class_shown(w, v->held, c))
                out[n++] = c;
            continue;
        }
        if (v->held[c])
            continue;
        const char *sch = k->school ? k->school : "(no school given)";
        bool in = strcmp(section, "All submissions") == 0;
        snprintf(want, sizeof(want), "School: %s", sch);
        in |= strcmp(section, want) == 0;
        snprintf(want, sizeof(want), "Package version %s", k->served);
        in |= strcmp(section, want) == 0;
        if (k->language)
            snprintf(want, sizeof(want), "Answers in %s", k->language);
        else
            snprintf(want, sizeof(want), "Answers whose language was not recorded");
        in |= strcmp(section, want) == 0;
        if (in)
            out[n++] = c;
    }
    return n;
}

static const struct survey_question *q_by_text(const char *text)
{
    for (size_t i = 0; i < sizeof(fx_questions) / sizeof(fx_questions[0]); i++)
        if (strcmp(fx_questions[i].text, text) == 0)
            return &fx_questions[i];
    return NULL;
}

static bool known_label(const struct survey_question *q, const char *label)
{
    const char *lab[8];
    size_t nl = labels(q, lab);
    for (size_t j = 0; j < nl; j++)
        if (strcmp(lab[j], label) == 0)
            return true;
    return strcmp(label, "Submissions") == 0;
}

/* The cell a column label names: a question's total row is its "Answers" cell. */
static const char *cell_label(const char *label)
{
    return strcmp(label, "Submissions") == 0 ? "Answers" : label;
}

/* A figure of `section` (or of version `version` in a comparison) on q's column label. */
static void figure(struct world *w, struct system *sy, const struct view *v, const char *vname,
                   const char *section, const struct survey_question *q, const char *label,
                   long long value)
{
    size_t mem[MAX_CLASSES], cell[MAX_CLASSES];
    int coef[MAX_CLASSES];
    size_t n = members(w, v, section, mem);
    for (size_t i = 0; i < n; i++) {
        cell[i] = atom(w, &w->c[mem[i]], q ? q->id : "size", q ? cell_label(label) : "");
        coef[i] = 1;
    }
    char what[400];
    snprintf(what, sizeof(what), "%s, %s, %s, %s", vname, section, q ? q->id : "size", label);
    equation(w, sy, cell, coef, n, value, what);
    note_shown(sy, vname, section, q ? q->id : "size", q ? cell_label(label) : label);
}

/* A headline "V of N": V is the label's cells, N the question's answers less "No answer". */
static void headline(struct world *w, struct system *sy, const struct view *v, const char *vname,
                     const char *section, const struct survey_question *q, const char *label,
                     long long value, long long answered)
{
    /* Which answer is most chosen may change as answers arrive: the headline's figures are
     * noted apart, so that the test of figures staying shown looks at the detail's. */
    char sec[200];
    snprintf(sec, sizeof(sec), "headline %s", section);
    size_t mem[MAX_CLASSES], cell[2 * MAX_CLASSES];
    int coef[2 * MAX_CLASSES];
    size_t n = members(w, v, section, mem);
    for (size_t i = 0; i < n; i++) {
        cell[i] = atom(w, &w->c[mem[i]], q->id, label);
        coef[i] = 1;
    }
    char what[400];
    snprintf(what, sizeof(what), "%s, %s, %s, %s", vname, sec, q->id, label);
    equation(w, sy, cell, coef, n, value, what);
    note_shown(sy, vname, sec, q->id, label);
    for (size_t i = 0; i < n; i++) {
        cell[2 * i] = atom(w, &w->c[mem[i]], q->id, "Answers");
        coef[2 * i] = 1;
        cell[2 * i + 1] = atom(w, &w->c[mem[i]], q->id, "No answer");
        coef[2 * i + 1] = -1;
    }
    snprintf(what, sizeof(what), "%s, %s, %s, answered", vname, sec, q->id);
    equation(w, sy, cell, coef, 2 * n, answered, what);
    note_shown(sy, vname, sec, q->id, "answered");
}

/* A summary's headline line "TEXT: most chose “LABEL”: V of N (S)." read into sy. */
static void read_headline(struct world *w, struct system *sy, const struct view *v,
                          const char *vname, const char *section, const char *line)
{
    const char *most = strstr(line, ": most chose \xe2\x80\x9c");
    const char *close = most ? strstr(most, "\xe2\x80\x9d: ") : NULL;
    if (!close)
        return;
    char text[200], label[64];
    snprintf(text, sizeof(text), "%.*s", (int)(most - line), line);
    snprintf(label, sizeof(label), "%.*s", (int)(close - most - 16), most + 16);
    const struct survey_question *q = q_by_text(text);
    long long val, n;
    if (!q || !known_label(q, label) || sscanf(close + 5, "%lld of %lld", &val, &n) != 2)
        fail_msg("%s: a headline not read: %s", vname, line);
    headline(w, sy, v, vname, section, q, label, val, n);
}

/* The section a summary's headlines speak of: "Headline results for class X" or "for all
 * submissions". */
static void headline_section(const char *s, char *section, size_t size)
{
    const char *f = strstr(s, "Headline results for ");
    if (!f)
        return;
    f += strlen("Headline results for ");
    if (strncmp(f, "class ", 6) == 0)
        snprintf(section, size, "Class %.8s", f + 6);
    else
        snprintf(section, size, "All submissions");
}

/* Copies the next line of *p into line (cut to size) and moves past it; SIZE_MAX at the end. */
static size_t next_line(const char **p, char *line, size_t size)
{
    if (!**p)
        return SIZE_MAX;
    const char *e = strchr(*p, '\n');
    size_t len = e ? (size_t)(e - *p) : strlen(*p);
    snprintf(line, size, "%.*s", (int)(len < size ? len : size - 1), *p);
    *p += len + (e ? 1 : 0);
    return len;
}

/* Reads every figure of a text report. */
static void read_text(struct world *w, struct system *sy, const struct view *v, const char *vname,
                      const char *doc)
{
    char section[160] = "", cmp[2][32] = {"", ""};
    const struct survey_question *q = NULL;
    bool compare = false;
    const char *p = doc;
    char line[512];
    size_t len;
    while ((len = next_line(&p, line, sizeof(line))) != SIZE_MAX) {
        long long val;
        if (strncmp(line, "--- ", 4) == 0) {
            snprintf(section, sizeof(section), "%.150s", line + 4);
            char *colon = strncmp(section, "Class ", 6) == 0 ? strchr(section, ':') : NULL;
            if (colon)
                *colon = '\0';
            compare = false;
            q = NULL;
        } else if (sscanf(line, "=== Version %31s and version %31s side by side", cmp[0], cmp[1]) ==
                   2) {
            compare = true;
            q = NULL;
        } else if (strncmp(line, "=== ", 4) == 0) {
            compare = false;
            section[0] = '\0';
            q = NULL;
        } else if (strncmp(line, "Headline results for ", 21) == 0) {
            headline_section(line, section, sizeof(section));
        } else if (strncmp(line, "  - ", 4) == 0 && strstr(line, ": most chose ")) {
            read_headline(w, sy, v, vname, section, line + 4);
        } else if (strncmp(line, "    ", 4) == 0 && section[0] && strstr(line, "Submissions: ") &&
                   sscanf(strstr(line, "Submissions: "), "Submissions: %lld", &val) == 1) {
            figure(w, sy, v, vname, section, NULL, "", val);
        } else if (strncmp(line, "Comments on \"", 13) == 0 && section[0]) {
            const char *n = strrchr(line, '(');
            figure(w, sy, v, vname, section, fx_q("q-comment"), "Answered",
                   strtoll(n + 1, NULL, 10));
        } else if (line[0] && line[0] != ' ' && (compare || section[0])) {
            const struct survey_question *t = q_by_text(line);
            if (t)
                q = t;
        } else if (q && len > 42 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ' &&
                   line[2] != '(') {
            char label[41];
            snprintf(label, sizeof(label), "%.40s", line + 2);
            for (size_t i = strlen(label); i > 0 && label[i - 1] == ' '; i--)
                label[i - 1] = '\0';
            if (!known_label(q, label))
                continue;
            if (!compare) {
                char *end;
                long long n = strtoll(line + 43, &end, 10);
                if (end != line + 43)
                    figure(w, sy, v, vname, section, q, label, n);
                continue;
            }
            /* Two columns, "count share" under each version: the counts are the words
             * without a per cent sign; a hidden one is "*" and counts as a place. */
            int side = 0;
            char *save = NULL;
            for (char *tok = strtok_r(line + 42, " ", &save); tok && side < 2;
                 tok = strtok_r(NULL, " ", &save)) {
                if (tok[strlen(tok) - 1] == '%')
                    continue;
                char *end;
                long long n = strtoll(tok, &end, 10);
                char sec[64];
                snprintf(sec, sizeof(sec), "Package version %s", cmp[side++]);
                if (*end == '\0' && end != tok)
                    figure(w, sy, v, vname, sec, q, label, n);
            }
        }
    }
}

/* The text between `open` and `close` at the start of line, or NULL. */
static const char *between(const char *line, const char *open, const char *close, char *out,
                           size_t size)
{
    if (strncmp(line, open, strlen(open)) != 0)
        return NULL;
    const char *a = line + strlen(open), *b = strstr(a, close);
    if (!b)
        return NULL;
    snprintf(out, size, "%.*s", (int)(b - a), a);
    return out;
}

/* The text of the element that starts line with `<tag` (attributes allowed), or NULL. */
static const char *element(const char *line, const char *tag, char *out, size_t size)
{
    char open[16], close[16];
    snprintf(open, sizeof(open), "<%s", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    size_t n = strlen(open);
    if (strncmp(line, open, n) != 0 || (line[n] != '>' && line[n] != ' '))
        return NULL;
    const char *a = strchr(line, '>'), *b = a ? strstr(a, close) : NULL;
    if (!b)
        return NULL;
    snprintf(out, size, "%.*s", (int)(b - a - 1), a + 1);
    return out;
}

/* How many times s occurs in doc. */
static size_t occurs(const char *doc, const char *s)
{
    size_t n = 0;
    for (const char *p = strstr(doc, s); p; p = strstr(p + 1, s))
        n++;
    return n;
}

/* The chart's figures on one line: `<text class="label" ...>LABEL</text>` then a value for
 * each side, `<text class="value[ a| b]" ...>N ...`. */
static void read_chart_line(struct world *w, struct system *sy, const struct view *v,
                            const char *vname, const char *section, const char (*cmp)[32],
                            bool compare, const struct survey_question *q, const char *line)
{
    const char *l = strstr(line, "<text class=\"label\"");
    char label[64];
    if (!l || !q)
        return;
    l = strchr(l, '>') + 1;
    snprintf(label, sizeof(label), "%.*s", (int)(strstr(l, "</text>") - l), l);
    if (!known_label(q, label))
        fail_msg("%s: a chart label not read: %s", vname, line);
    for (const char *p = strstr(l, "<text class=\"value"); p;
         p = strstr(p + 1, "<text class=\"value")) {
        int side = strncmp(p, "<text class=\"value b\"", 21) == 0;
        char sec[64];
        snprintf(sec, sizeof(sec), "Package version %s", cmp[side]);
        figure(w, sy, v, vname, compare ? sec : section, q, label, atoll(strchr(p, '>') + 1));
    }
}

#define CHANGE_TABLE "<table class=\"change\" data-before=\""

/* Reads every figure of an HTML report: the summary's headlines, each group's size, tables,
 * charts and comment counts, and the comparison's. */
static void read_html(struct world *w, struct system *sy, const struct view *v, const char *vname,
                      const char *doc)
{
    char section[160] = "", cmp[2][32] = {"", ""}, x[400];
    const struct survey_question *q = NULL, *change[2] = {NULL, NULL};
    bool compare = false;
    const char *p = doc;
    char line[4096];
    size_t before = sy->nshown;
    while (next_line(&p, line, sizeof(line)) != SIZE_MAX) {
        dbg_line = line;
        const char *meta = strstr(line, "<span class=\"meta\">");
        const char *ans = meta ? strstr(meta, "Submissions: ") : NULL;
        if (element(line, "h2", x, sizeof(x))) {
            compare = sscanf(x, "Version %31s and version %31s side by side", cmp[0], cmp[1]) == 2;
            section[0] = '\0';
            q = NULL;
        } else if (element(line, "h3", x, sizeof(x)) && strstr(line, "class=\"headlines\"")) {
            headline_section(x, section, sizeof(section));
        } else if (!compare && strncmp(line, "<h3>", 4) == 0 && element(line, "h3", x, sizeof(x))) {
            char *colon = strncmp(x, "Class ", 6) == 0 ? strchr(x, ':') : NULL;
            if (colon)
                *colon = '\0';
            snprintf(section, sizeof(section), "%.150s", x);
            q = NULL;
        } else if (compare && strncmp(line, "<h3>", 4) == 0 && element(line, "h3", x, sizeof(x))) {
            q = q_by_text(x);
        } else if (ans && section[0] && isdigit((unsigned char)ans[13])) {
            figure(w, sy, v, vname, section, NULL, "", atoll(ans + 13));
        } else if (strncmp(line, "<li>", 4) == 0 && strstr(line, ": most chose ")) {
            read_headline(w, sy, v, vname, section, line + 4);
        } else if (element(line, "caption", x, sizeof(x)) ||
                   (strncmp(line, "<h4>", 4) == 0 && element(line, "h4", x, sizeof(x)))) {
            q = q_by_text(x);
        } else if (element(line, "h4", x, sizeof(x)) && strstr(line, "class=\"comments\"") &&
                   section[0]) {
            figure(w, sy, v, vname, section, fx_q("q-comment"), "Answered",
                   atoll(strrchr(x, '(') + 1));
        } else if (strstr(line, "<text class=\"label\"")) {
            read_chart_line(w, sy, v, vname, section, (const char(*)[32])cmp, compare, q, line);
        } else if (strncmp(line, CHANGE_TABLE, strlen(CHANGE_TABLE)) == 0) {
            /* What changed from start to end: the start question's counts, then the end's. */
            char b[64], a[64];
            if (sscanf(line + strlen(CHANGE_TABLE), "%63[^\"]\" data-after=\"%63[^\"]", b, a) != 2)
                fail_msg("%s: a change table not read: %s", vname, line);
            change[0] = fx_q(b);
            change[1] = fx_q(a);
            if (!change[0] || !change[1])
                fail_msg("%s: a change table of unknown questions: %s", vname, line);
        } else if (change[0] && strncmp(line, "</table>", 8) == 0) {
            change[0] = change[1] = NULL;
        } else if (change[0] && between(line, "<tr><th scope=\"row\">", "</th>", x, sizeof(x))) {
            char *right = strstr(x, " (right)");
            if (right)
                *right = '\0';
            int side = 0;
            for (const char *c = strstr(line, "<td class=\"n\">"); c && side < 2;
                 c = strstr(c + 1, "<td class=\"n\">"), side++) {
                char *end;
                long long n = strtoll(c + 14, &end, 10);
                if (!known_label(change[side], x))
                    fail_msg("%s: a change row not read: %s", vname, line);
                if (end != c + 14 && *end == '<')
                    figure(w, sy, v, vname, section, change[side], x, n);
            }
        } else if (q && between(line, "<tr><th scope=\"row\">", "</th>", x, sizeof(x)) &&
                   known_label(q, x)) {
            char label[64];
            snprintf(label, sizeof(label), "%.60s", x);
            int side = 0;
            for (const char *c = strstr(line, "<td class=\"n\">"); c;
                 c = strstr(c + 1, "<td class=\"n\">"), side++) {
                char *end;
                long long n = strtoll(c + 14, &end, 10);
                char sec[64];
                snprintf(sec, sizeof(sec), "Package version %s", cmp[side]);
                if (end != c + 14 && *end == '<')
                    figure(w, sy, v, vname, compare ? sec : section, q, label, n);
            }
        }
    }
    /* Every figure in the document was read: each count cell, chart value, size, comment
     * count and headline (two figures each). */
    size_t want = occurs(doc, "<text class=\"value") + occurs(doc, ": most chose ") * 2 +
                  occurs(doc, "<h4 class=\"comments\">");
    for (const char *c = strstr(doc, "<td class=\"n\">"); c; c = strstr(c + 1, "<td class=\"n\">"))
        want += isdigit((unsigned char)c[14]) != 0;
    for (const char *c = strstr(doc, "Submissions: "); c; c = strstr(c + 1, "Submissions: "))
        want += isdigit((unsigned char)c[13]) != 0;
    if (sy->nshown - before != want)
        fail_msg("%s: %zu figures read of the %zu in the HTML", vname, sy->nshown - before, want);
}

/* The rows of unit c in a CSV: its class code, then its school, the version served and the
 * language (empty: not recorded). */
static size_t csv_rows(const struct world *w, size_t c, const char *doc)
{
    const struct cls *u = &w->c[c];
    size_t rows = 0;
    const char *lang = u->language ? u->language : "";
    for (const char *p = strstr(doc, u->code); p; p = strstr(p + 1, u->code)) {
        if (p != doc && p[-1] != '\n')
            continue;
        const char *school = strchr(p, ','), *version = school ? strchr(school + 1, ',') : NULL;
        size_t len = strlen(u->served), ll = strlen(lang);
        rows += version && strncmp(version + 1, u->served, len) == 0 && version[1 + len] == ',' &&
                strncmp(version + 2 + len, lang, ll) == 0 && version[2 + len + ll] == ',';
    }
    return rows;
}

/* The CSV export gives every cell of each unit it holds, each row under its version served. */
static void read_csv(struct world *w, struct system *sy, const struct view *v, const char *vname,
                     const char *doc)
{
    for (size_t c = 0; c < w->nc; c++) {
        size_t rows = csv_rows(w, c, doc);
        size_t all = 0;
        for (const char *p = strstr(doc, w->c[c].code); p; p = strstr(p + 1, w->c[c].code))
            all += p == doc || p[-1] == '\n';
        if (!all)
            continue;
        /* A unit held back is left out, the class's other rows kept. */
        if (v->held[c]) {
            if (rows)
                fail_msg("%s: %zu rows of %s, held back", vname, rows, w->c[c].key);
            continue;
        }
        if (rows != (size_t)w->c[c].n)
            fail_msg("%s: %zu rows of %s, which has %d", vname, rows, w->c[c].key, w->c[c].n);
        for (size_t a = 0; a < w->nkeys; a++) {
            if (strncmp(w->key[a], w->c[c].key, strlen(w->c[c].key)) != 0 ||
                w->key[a][strlen(w->c[c].key)] != '|')
                continue;
            int one = 1;
            char what[200];
            snprintf(what, sizeof(what), "%s, %s", vname, w->key[a]);
            equation(w, sy, &a, &one, 1, w->truth[a], what);
        }
    }
}

/*
 * The codebook of a view (school scope, or one class) says how many rows the files hold and
 * how many answers were left out, which must be the classes held back, whole.
 */
static void check_codebook(struct world *w, const struct view *v, const char *cohort,
                           const char *doc)
{
    long long shown = 0, held = 0;
    size_t nheld = 0;
    const char *last = "";
    for (size_t c = 0; c < w->nc; c++) {
        if (v->school && (!w->c[c].school || strcmp(w->c[c].school, v->school) != 0))
            continue;
        if (cohort && strcmp(w->c[c].code, cohort) != 0)
            continue;
        if (v->held[c]) {
            held += w->c[c].n;
            /* Classes are counted, not units: a class's units are made one after another. */
            nheld += strcmp(last, w->c[c].code) != 0;
            last = w->c[c].code;
        } else {
            shown += w->c[c].n;
        }
    }
    char want[160];
    snprintf(want, sizeof(want), "files hold %lld rows,", shown);
    if (!strstr(doc, want))
        fail_msg("codebook without '%s':\n%s", want, doc);
    snprintf(want, sizeof(want), "Left out here: %lld submission%s from %zu class%s.\n", held,
             held == 1 ? "" : "s", nheld, nheld == 1 ? "" : "es");
    if (!strstr(doc, want))
        fail_msg("codebook without '%s':\n%s", want, doc);
}

/*
 * Which units are held back at k (those with answers, fewer than k), checked against what
 * each class's own view says, and the cells of shown units that their class's view shows.
 */
static void class_views(struct world *w, int k, bool *held, bool *shown_cell)
{
    for (size_t c = 0; c < w->nc; c++)
        held[c] = w->c[c].n > 0 && w->c[c].n < k;
    for (size_t c = 0; c < w->nc; c++) {
        if (!first_of_class(w, c))
            continue;
        struct report_options o = {.k = k, .cohort = w->c[c].code};
        char *t = render(w, &o, REPORT_TEXT);
        /* Held back whole exactly when every unit is; a unit held back is said so beside. */
        if ((strstr(t, "Not shown yet: this class") != NULL) == class_shown(w, held, c))
            fail_msg("class %s at k = %d:\n%s", w->c[c].code, k, t);
        for (size_t u = 0; u < w->nc; u++)
            if (held[u] && strcmp(w->c[u].code, w->c[c].code) == 0 && class_shown(w, held, c) &&
                !strstr(t, " not shown yet from 1 class with fewer than"))
                fail_msg("class %s at k = %d does not say what is held back:\n%s", w->c[c].code, k,
                         t);
        struct system own;
        system_init(&own);
        struct view v = {.k = k, .held = held};
        read_text(w, &own, &v, "own", t);
        for (size_t i = 0; i < own.nshown; i++) {
            /* "own|Class CODE|question|label" */
            char *s = strchr(own.shown[i], '|') + 1;
            char *q = strchr(s, '|') + 1;
            char *label = strchr(q, '|') + 1;
            char qid[64];
            snprintf(qid, sizeof(qid), "%.*s", (int)(label - 1 - q), q);
            if (strcmp(qid, "size") == 0)
                continue;
            for (size_t u = 0; u < w->nc; u++)
                if (!held[u] && strcmp(w->c[u].code, w->c[c].code) == 0)
                    shown_cell[atom(w, &w->c[u], qid, label)] = true;
        }
        system_release(&own);
        free(t);
    }
}

/* What anyone knows without a report: a question's answers are the class's, and (but for
 * a multiple-choice question) the sum of its columns. */
static void known_relations(struct world *w, struct system *sy)
{
    for (size_t c = 0; c < w->nc; c++) {
        for (size_t i = 0; i < sizeof(fx_questions) / sizeof(fx_questions[0]); i++) {
            const struct survey_question *q = &fx_questions[i];
            size_t cell[10];
            int coef[10];
            cell[0] = atom(w, &w->c[c], q->id, "Answers");
            cell[1] = atom(w, &w->c[c], "size", "");
            coef[0] = 1;
            coef[1] = -1;
            equation(w, sy, cell, coef, 2, 0, "answers are the class's");
            if (q->type == SURVEY_MULTI)
                continue;
            const char *lab[8];
            size_t nl = labels(q, lab);
            for (size_t j = 0; j < nl; j++) {
                cell[1 + j] = atom(w, &w->c[c], q->id, lab[j]);
                coef[1 + j] = -1;
            }
            equation(w, sy, cell, coef, 1 + nl, 0, "answers are the sum of the columns");
        }
    }
}

/*
 * Every chart a view offers for download (report_write_chart()), read into sy as the
 * report's own charts are: each group's, on every question, and the comparison's. A class
 * held back has none.
 */
static void read_charts(struct world *w, struct system *sy, const struct view *v, const char *vname,
                        const struct report_options *opt)
{
    struct report *r = NULL;
    char err[256] = "";
    assert_int_equal(report_build(w->s, opt, &r, err, sizeof(err)), STORE_OK);
    char keys[6 + 2 * MAX_CLASSES][96], sections[6 + 2 * MAX_CLASSES][160];
    size_t nk = 0;
    snprintf(keys[nk], 96, "all");
    snprintf(sections[nk++], 160, "<h3>All submissions</h3>\n");
    snprintf(keys[nk], 96, "compare");
    snprintf(sections[nk++], 160, "<h2>Version %s and version %s side by side</h2>\n",
             opt->compare_a ? opt->compare_a : "1.0.0", opt->compare_b ? opt->compare_b : "1.1.0");
    static const char *const versions[] = {"1.0.0", "1.1.0"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(keys[nk], 96, "version:%s", versions[i]);
        snprintf(sections[nk++], 160, "<h3>Package version %s</h3>\n", versions[i]);
    }
    for (size_t i = 0; i < 4; i++) {
        const char *sch = i < 3 ? schools[i] : "(no school given)";
        snprintf(keys[nk], 96, "school:%s", sch);
        snprintf(sections[nk++], 160, "<h3>School: %s</h3>\n", sch);
    }
    snprintf(keys[nk], 96, "language:cy");
    snprintf(sections[nk++], 160, "<h3>Answers in cy</h3>\n");
    snprintf(keys[nk], 96, "language:not-recorded");
    snprintf(sections[nk++], 160, "<h3>Answers whose language was not recorded</h3>\n");
    for (size_t c = 0; c < w->nc; c++) {
        if (!first_of_class(w, c))
            continue;
        snprintf(keys[nk], 96, "class:%s", w->c[c].code);
        snprintf(sections[nk++], 160, "<h3>Class %s: Year 8</h3>\n", w->c[c].code);
    }
    for (size_t i = 0; i < nk; i++) {
        for (size_t j = 0; j < sizeof(fx_questions) / sizeof(fx_questions[0]); j++) {
            const struct survey_question *q = &fx_questions[j];
            struct buf b;
            buf_init(&b, BUF_MAX_DEFAULT);
            buf_adds(&b, sections[i]);
            if (strcmp(keys[i], "compare") == 0)
                buf_addf(&b, "<h3>%s</h3>\n", q->text);
            else
                buf_addf(&b, "<h4>%s</h4>\n", q->text);
            size_t head = b.len;
            struct report_sink sink = {report_sink_buf, &b};
            int rc = report_write_chart(r, keys[i], q->id, &sink);
            if (rc == -ENOENT) {
                buf_release(&b);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_non_null(strstr(b.ptr + head, "<svg"));
            char name[300];
            snprintf(name, sizeof(name), "%s chart %s %s", vname, keys[i], q->id);
            read_html(w, sy, v, name, b.ptr);
            /* A class held back has no chart. */
            for (size_t c = 0; c < w->nc; c++)
                if (!class_shown(w, v->held, c) && strcmp(keys[i] + 6, w->c[c].code) == 0 &&
                    strncmp(keys[i], "class:", 6) == 0)
                    fail_msg("%s: a class not shown yet has a chart", name);
            buf_release(&b);
        }
    }
    report_free(r);
}

/* Every view one user can open at k, read into sy. */
static void all_views(struct world *w, struct system *sy, int k, const bool *held)
{
    known_relations(w, sy);
    const char *scope[] = {NULL, schools[0], schools[1], schools[2]};
    for (size_t s = 0; s < 4; s++) {
        struct view v = {.school = scope[s], .k = k, .held = held};
        const char *cmps[][2] = {{NULL, NULL}, {"1.0.0", "1.1.0"}, {"1.1.0", "1.0.0"}};
        for (size_t i = 0; i < 3; i++) {
            struct report_options o = {
                .k = k, .school = scope[s], .compare_a = cmps[i][0], .compare_b = cmps[i][1]};
            char name[160];
            snprintf(name, sizeof(name), "k=%d school=%s compare=%zu", k,
                     scope[s] ? scope[s] : "all", i);
            char *t = render(w, &o, REPORT_TEXT);
            if (!t)
                continue;
            read_text(w, sy, &v, name, t);
            free(t);
            t = render(w, &o, REPORT_HTML);
            strcat(name, " (HTML)");
            read_html(w, sy, &v, name, t);
            free(t);
            read_charts(w, sy, &v, name, &o);
            if (i == 0) {
                t = render(w, &o, REPORT_CSV);
                read_csv(w, sy, &v, name, t);
                free(t);
                t = render_data(w, &o, REPORT_EXPORT_DTA);
                read_csv(w, sy, &v, name, t);
                free(t);
                t = render_data(w, &o, REPORT_EXPORT_CODEBOOK);
                check_codebook(w, &v, NULL, t);
                free(t);
            }
        }
        for (size_t c = 0; c < w->nc; c++) {
            if (!first_of_class(w, c) ||
                (scope[s] && (!w->c[c].school || strcmp(w->c[c].school, scope[s]) != 0)))
                continue;
            struct report_options o = {.k = k, .school = scope[s], .cohort = w->c[c].code};
            char name[160];
            snprintf(name, sizeof(name), "k=%d school=%s class=%s", k, scope[s] ? scope[s] : "all",
                     w->c[c].code);
            char *t = render(w, &o, REPORT_TEXT);
            read_text(w, sy, &v, name, t);
            free(t);
            t = render(w, &o, REPORT_HTML);
            strcat(name, " (HTML)");
            read_html(w, sy, &v, name, t);
            free(t);
            read_charts(w, sy, &v, name, &o);
            t = render(w, &o, REPORT_CSV);
            read_csv(w, sy, &v, name, t);
            free(t);
            /* The Stata file is written by the same rows as the CSV: read back per school. */
            t = render_data(w, &o, REPORT_EXPORT_CODEBOOK);
            check_codebook(w, &v, w->c[c].code, t);
            free(t);
        }
    }
}

/* The hidden cells determined by sy, printed; returns how many. */
static size_t count_determined(struct world *w, const struct system *sy, const bool *shown_cell,
                               const char *when)
{
    size_t bad = 0;
    for (size_t a = 0; a < w->nkeys; a++) {
        if (shown_cell[a] || strstr(w->key[a], "|size|") || strstr(w->key[a], "|Answers"))
            continue;
        if (!determined(sy, a))
            continue;
        if (bad++ < 10)
            print_message("%s: hidden %s = %lld can be worked out\n", when, w->key[a],
                          (long long)w->truth[a]);
    }
    return bad;
}

static void test_no_hidden_figure_is_determined(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct world w;
        world_make(&w, seed);
        struct system every;
        system_init(&every);
        bool shown_at_min[MAX_ATOMS] = {0};
        size_t bad = 0, hidden_cells = 0;
        for (int k = 6; k >= 3; k--) {
            bool held[MAX_CLASSES];
            bool shown_cell[MAX_ATOMS] = {0};
            class_views(&w, k, held, shown_cell);
            struct system sy;
            system_init(&sy);
            all_views(&w, &sy, k, held);
            all_views(&w, &every, k, held);
            char when[64];
            snprintf(when, sizeof(when), "seed %llu, k = %d", (unsigned long long)seed, k);
            bad += count_determined(&w, &sy, shown_cell, when);
            for (size_t a = 0; a < w.nkeys; a++)
                hidden_cells += !shown_cell[a] && w.truth[a] != 0;
            if (k == 3)
                memcpy(shown_at_min, shown_cell, sizeof(shown_at_min));
            system_release(&sy);
        }
        char when[64];
        snprintf(when, sizeof(when), "seed %llu, every k together", (unsigned long long)seed);
        bad += count_determined(&w, &every, shown_at_min, when);
        /* The test has something to find: hidden cells, and many figures. */
        assert_true(hidden_cells > 0);
        assert_true(every.equations > 1000);
        system_release(&every);
        world_free(&w);
        assert_int_equal(bad, 0);
    }
}

/* Every figure a view shows at k is shown at k - 1 too, and zeros in shown classes show. */
static void test_lower_k_shows_more_and_zeros_show(void **state)
{
    (void)state;
    struct world w;
    world_make(&w, 7);
    for (int k = 6; k > 3; k--) {
        bool held[2][MAX_CLASSES];
        bool cells[2][MAX_ATOMS];
        memset(cells, 0, sizeof(cells));
        class_views(&w, k, held[0], cells[0]);
        class_views(&w, k - 1, held[1], cells[1]);
        for (size_t a = 0; a < w.nkeys; a++)
            if (cells[0][a] && !cells[1][a])
                fail_msg("%s is shown at k = %d but not at k = %d", w.key[a], k, k - 1);
        for (size_t c = 0; c < w.nc; c++) {
            if (w.c[c].n < k)
                continue;
            /* A unit with k answers is shown in full, its zeros as 0. */
            size_t len = strlen(w.c[c].key);
            for (size_t a = 0; a < w.nkeys; a++)
                if (strncmp(w.key[a], w.c[c].key, len) == 0 && w.key[a][len] == '|' &&
                    !strstr(w.key[a], "|size|") && !cells[0][a])
                    fail_msg("%s (%lld) of a class of %d is not shown at k = %d", w.key[a],
                             (long long)w.truth[a], w.c[c].n, k);
        }
    }
    world_free(&w);
}

/* One late answer and a new small class hide nothing that was shown. */
static void test_shown_figures_stay_shown_as_answers_arrive(void **state)
{
    (void)state;
    struct world w;
    world_make(&w, 11);
    for (int k = 3; k <= 6; k++) {
        bool held[MAX_CLASSES];
        bool before[MAX_ATOMS] = {0}, after[MAX_ATOMS] = {0};
        class_views(&w, k, held, before);
        struct system s0, s1;
        system_init(&s0);
        system_init(&s1);
        all_views(&w, &s0, k, held);
        answer(&w, &w.c[0]);
        add_class(&w, schools[0], "1.0.0", 2);
        class_views(&w, k, held, after);
        all_views(&w, &s1, k, held);
        for (size_t a = 0; a < w.nkeys; a++)
            if (before[a] && !after[a])
                fail_msg("%s was shown and is hidden after one more answer", w.key[a]);
        for (size_t i = 0; i < s0.nshown; i++) {
            if (strstr(s0.shown[i], "|headline "))
                continue;
            bool still = false;
            for (size_t j = 0; j < s1.nshown && !still; j++)
                still = strcmp(s0.shown[i], s1.shown[j]) == 0;
            if (!still)
                fail_msg("%s was shown and is hidden after one more answer", s0.shown[i]);
        }
        system_release(&s0);
        system_release(&s1);
    }
    world_free(&w);
}

/* Shares are of those who answered, "No answer" beside them; classes with no school given
 * are not counted as a school. */
static void test_shares_of_those_who_answered_and_schools_counted(void **state)
{
    (void)state;
    struct world w;
    world_make(&w, 5);
    static const char *const lab[] = {"Yes", "No", "Not sure", "Prefer not to say"};
    size_t differs = 0;
    for (size_t c = 0; c < w.nc; c++) {
        /* A class of one unit, whose figures are its own. */
        bool one = true;
        for (size_t u = 0; u < w.nc; u++)
            one &= u == c || strcmp(w.c[u].code, w.c[c].code) != 0;
        if (w.c[c].n < REPORT_K_DEFAULT || !one)
            continue;
        struct report_options o = {.cohort = w.c[c].code};
        char *t = render(&w, &o, REPORT_TEXT);
        char head[200];
        snprintf(head, sizeof(head), "\n%s\n  (yes / no, end of the lesson)\n",
                 fx_q("q-useful")->text);
        const char *p = strstr(t, head);
        assert_non_null(p);
        int64_t none = w.truth[atom(&w, &w.c[c], "q-useful", "No answer")];
        int64_t answered = w.c[c].n - none;
        char want[128];
        for (size_t j = 0; j < 4; j++) {
            int64_t v = w.truth[atom(&w, &w.c[c], "q-useful", lab[j])];
            if (answered > 0)
                snprintf(want, sizeof(want), "  %-40s %8lld %4.0f%%\n", lab[j], (long long)v,
                         100.0 * (double)v / (double)answered);
            else
                snprintf(want, sizeof(want), "  %-40s %8lld      \n", lab[j], (long long)v);
            if (!strstr(p, want))
                fail_msg("no line '%s' in:\n%s", want, p);
            differs += none > 0 && v > 0;
        }
        snprintf(want, sizeof(want), "  %-40s %8lld      \n", "No answer", (long long)none);
        if (!strstr(p, want))
            fail_msg("no line '%s' in:\n%s", want, p);
        free(t);
    }
    assert_true(differs > 0);
    struct report_options all = {.k = 3};
    char *t = render(&w, &all, REPORT_TEXT);
    assert_non_null(strstr(t, " in 3 schools; 2 package versions."));
    free(t);
    world_free(&w);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_hidden_figure_is_determined),
        cmocka_unit_test(test_lower_k_shows_more_and_zeros_show),
        cmocka_unit_test(test_shown_figures_stay_shown_as_answers_arrive),
        cmocka_unit_test(test_shares_of_those_who_answered_and_schools_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
