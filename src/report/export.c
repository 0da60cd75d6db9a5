/*
 * Data for evaluators: the tidy CSV (one row per submission), its codebook, and the same
 * rows as SPSS (.sav) and Stata (.dta) files written with ReadStat, with variable and value
 * labels. Every row comes from report_answers_each(), which gives nothing of a held-back
 * class, so these files follow the k rule of every other view; the codebook and the files'
 * notes say how many submissions were left out. Rows are written in random order within a
 * class (storage order roughly follows arrival), and the only date is the day.
 */
#include <errno.h>
#include <readstat.h>
#include <sodium.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/render.h"

/* What a row holds in a coded column: the code, or one of these. */
#define X_MISSING (-2) /* not answered (or not asked) */
#define X_PREFER (-1)  /* "prefer not to say" */
/* Stata keeps strings up to this many bytes in a str column; longer ones go in a strL. */
#define DTA_STR_MAX 2045
/* Name lengths every format accepts (Stata's is the shortest), and label lengths. */
#define NAME_MAX_LEN 32
#define DTA_LABEL_MAX 80
#define SAV_LABEL_MAX 255
#define SAV_VALUE_LABEL_MAX 120

enum xkind {
    XV_CLASS,
    XV_SCHOOL,
    XV_VERSION,
    XV_LANGUAGE,
    XV_PART,
    XV_DAY,
    XV_PAIRING,
    XV_ANSWER, /* scale, single, yes/no: the option's position, from 1 */
    XV_CHOICE, /* one option of a multiple-choice question: 1 chosen, 0 not */
    XV_TEXT,   /* a text question's masked text */
    XV_THEMES, /* the themes its comment was coded with, by name, "; " between them */
};

struct xvar {
    const char *name;
    const char *label;
    enum xkind kind;
    size_t q;                /* XV_ANSWER, XV_CHOICE, XV_TEXT: the report's question */
    size_t opt;              /* XV_CHOICE: the option's column */
    size_t width;            /* strings: the longest value in bytes */
    readstat_variable_t *rv; /* SPSS and Stata: the file's variable */
};

static const struct {
    const char *name;
    const char *label;
    enum xkind kind;
} fixed_vars[] = {
    {"class_code", "Class code", XV_CLASS},
    {"school", "School (empty: no school given)", XV_SCHOOL},
    {"package_version", "Package version served (what the pupil saw)", XV_VERSION},
    {"language", "Language of the page the answer was given on (empty: not recorded)", XV_LANGUAGE},
    {"part", "Survey part: start, end or later (empty: one sitting, from before parts)", XV_PART},
    {"day", "Day the answer was sent, YYYY-MM-DD (no time is kept)", XV_DAY},
    {"pairing", "Pairing number within the class (empty: not paired)", XV_PAIRING},
};

/* One cell: a code (coded columns) or a string (NULL: empty). */
struct xcell {
    int32_t code;
    const char *str;
};

struct xport {
    const struct report *r;
    enum report_export format;
    struct out *o;
    struct xvar *v;
    size_t nv;
    struct arena names; /* variable names and labels */
    struct survey_decoder dec;
    size_t g; /* the class being read */
    struct arena strings;
    int64_t row_id;      /* the answer being read, for its comments' themes */
    struct xcell *cells; /* this class's rows, nv cells each */
    size_t nrows;
    size_t rows_cap;
    int64_t total; /* rows over every class (the counting pass) */
    readstat_writer_t *w;
    int rc;
};

/* ---- variables ---- */

static bool name_taken(const struct xport *x, const char *name)
{
    for (size_t i = 0; i < x->nv; i++)
        if (strcmp(x->v[i].name, name) == 0)
            return true;
    return false;
}

/*
 * A variable name every format takes: small letters, digits and underscores, starting with
 * a letter, at most 32 bytes, not one of Stata's reserved words, unique in the file. Question
 * ids ("q-sure-start") become "q_sure_start"; the codebook gives both.
 */
static const char *var_name(struct xport *x, const char *id, const char *opt)
{
    static const char *const reserved[] = {"byte", "double", "float", "if",    "in",   "int",
                                           "long", "str",    "strl",  "using", "with", "all"};
    char name[NAME_MAX_LEN + 1];
    size_t n = 0;
    if (!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z')))
        name[n++] = 'q';
    for (int part = 0; part < 2; part++) {
        const char *s = part == 0 ? id : opt;
        if (!s)
            break;
        if (part == 1 && n < NAME_MAX_LEN)
            name[n++] = '_';
        for (; *s && n < NAME_MAX_LEN; s++) {
            char c = *s;
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            name[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
        }
    }
    name[n] = '\0';
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcmp(name, reserved[i]) == 0 && n < NAME_MAX_LEN) {
            name[n++] = '_';
            name[n] = '\0';
        }
    char base[NAME_MAX_LEN + 1];
    memcpy(base, name, n + 1);
    for (unsigned k = 2; name_taken(x, name); k++) {
        char tail[12];
        int tl = snprintf(tail, sizeof(tail), "_%u", k);
        size_t keep = n + (size_t)tl > NAME_MAX_LEN ? NAME_MAX_LEN - (size_t)tl : n;
        snprintf(name, sizeof(name), "%.*s%s", (int)keep, base, tail);
    }
    return arena_strdup(&x->names, name);
}

static void add_var(struct xport *x, size_t *cap, enum xkind kind, const char *name,
                    const char *label, size_t q, size_t opt)
{
    XGROW(x->v, *cap, x->nv + 1);
    x->v[x->nv] = (struct xvar){.name = name, .label = label, .kind = kind, .q = q, .opt = opt};
    x->nv++;
}

static void build_vars(struct xport *x)
{
    const struct report *r = x->r;
    size_t cap = 0;
    for (size_t i = 0; i < sizeof(fixed_vars) / sizeof(fixed_vars[0]); i++)
        add_var(x, &cap, fixed_vars[i].kind, fixed_vars[i].name, fixed_vars[i].label, 0, 0);
    for (size_t q = 0; q < r->nq; q++) {
        const struct rq *rq = &r->q[q];
        if (rq->type == SURVEY_MULTI) {
            for (size_t j = 0; j < rq->nopt; j++)
                add_var(x, &cap, XV_CHOICE, var_name(x, rq->id, rq->opt_ids[j]),
                        arena_printf(&x->names, "%s: %s", rq->text, rq->opt_labels[j]), q, j);
        } else {
            add_var(x, &cap, rq->type == SURVEY_TEXT ? XV_TEXT : XV_ANSWER,
                    var_name(x, rq->id, NULL), rq->text, q, 0);
        }
        if (rq->type == SURVEY_TEXT && report_themes_listed(r))
            add_var(x, &cap, XV_THEMES, var_name(x, rq->id, "themes"),
                    arena_printf(&x->names, "Themes of: %s", rq->text), q, 0);
    }
}

/* ---- reading a class's rows ---- */

static const struct survey *row_survey(const struct report *r, const struct group *grp,
                                       const char *version)
{
    for (size_t v = 0; v < r->nvers; v++) {
        const struct survey *sv = r->vers[v].sv;
        if (strcmp(sv->package_id, grp->cohort->package_id) == 0 &&
            strcmp(sv->package_version, version) == 0)
            return sv;
    }
    return NULL;
}

static size_t report_question(const struct report *r, const char *id)
{
    for (size_t q = 0; q < r->nq; q++)
        if (strcmp(r->q[q].id, id) == 0)
            return q;
    return SIZE_MAX;
}

static int32_t option_code(const struct rq *rq, const char *id)
{
    for (size_t j = 0; j < rq->nopt; j++)
        if (strcmp(rq->opt_ids[j], id) == 0)
            return (int32_t)j + 1;
    return X_MISSING;
}

/* Fills the cells of the answer items into row (question columns start at first). */
static void fill_answers(struct xport *x, struct xcell *row, const struct survey *sv,
                         const struct survey_item *items, size_t n)
{
    const struct report *r = x->r;
    for (size_t i = 0; i < n; i++) {
        const struct survey_item *it = &items[i];
        const struct survey_question *sq = survey_question(sv, it->question_id);
        size_t q = report_question(r, it->question_id);
        if (!sq || q == SIZE_MAX || sq->type != r->q[q].type)
            continue;
        const struct rq *rq = &r->q[q];
        for (size_t k = 0; k < x->nv; k++) {
            const struct xvar *v = &x->v[k];
            if (v->q != q || (v->kind != XV_ANSWER && v->kind != XV_CHOICE && v->kind != XV_TEXT &&
                              v->kind != XV_THEMES))
                continue;
            struct xcell *c = &row[k];
            if (v->kind == XV_THEMES) {
                c->str = report_comment_themes(r, x->row_id, it->question_id, &x->strings);
            } else if (it->prefer_not) {
                c->code = X_PREFER;
            } else if (v->kind == XV_TEXT) {
                c->str = it->value_count ? arena_strdup(&x->strings, it->values[0]) : NULL;
            } else if (v->kind == XV_ANSWER) {
                c->code = it->value_count ? option_code(rq, it->values[0]) : X_MISSING;
            } else {
                c->code = 0;
                for (size_t j = 0; j < it->value_count; j++)
                    if (strcmp(it->values[j], rq->opt_ids[v->opt]) == 0)
                        c->code = 1;
            }
        }
    }
}

static int read_row(const struct store_answer_row *row, void *ctx)
{
    struct xport *x = ctx;
    const struct report *r = x->r;
    const struct group *grp = &r->g[x->g];
    const struct survey *sv = row_survey(r, grp, row->package_version);
    const struct survey_item *items;
    size_t n;
    if (!sv || survey_answer_decode(&x->dec, row->body, row->body_len, &items, &n) != 0)
        return 0; /* unreadable: counted as such by the report, in no row here */
    XGROW(x->cells, x->rows_cap, (x->nrows + 1) * x->nv);
    struct xcell *c = &x->cells[x->nrows * x->nv];
    x->nrows++;
    char day[11];
    store_day_format(row->day, day);
    for (size_t k = 0; k < x->nv; k++) {
        c[k] = (struct xcell){X_MISSING, NULL};
        switch (x->v[k].kind) {
        case XV_CLASS:
            c[k].str = grp->cohort->code;
            break;
        case XV_SCHOOL:
            c[k].str = grp->cohort->school;
            break;
        case XV_VERSION:
            /* The version pupils were served, which the report counts it under. */
            c[k].str = arena_strdup(&x->strings, row->served_version ? row->served_version
                                                                     : row->package_version);
            break;
        case XV_DAY:
            c[k].str = arena_strdup(&x->strings, day);
            break;
        case XV_LANGUAGE: /* NULL: stored before languages were; an empty cell */
            c[k].str = row->language ? arena_strdup(&x->strings, row->language) : NULL;
            break;
        case XV_PART: /* NULL: answered in one sitting, before parts; an empty cell */
            c[k].str = row->part ? arena_strdup(&x->strings, row->part) : NULL;
            break;
        case XV_PAIRING: {
            /* The number of its pair within the class; the pairing word itself stays out. */
            uint32_t number = report_pairing_number(r, row->id);
            if (number) {
                c[k].code = (int32_t)number;
                c[k].str = arena_printf(&x->strings, "%u", (unsigned)number);
            }
            break;
        }
        default: /* the answers, filled below */
            break;
        }
    }
    x->row_id = row->id;
    fill_answers(x, c, sv, items, n);
    for (size_t k = 0; k < x->nv; k++)
        if (c[k].str && strlen(c[k].str) > x->v[k].width)
            x->v[k].width = strlen(c[k].str);
    return 0;
}

/* ---- writing rows ---- */

static const char *csv_cell(const struct xport *x, size_t k, const struct xcell *c, char *num)
{
    const struct xvar *v = &x->v[k];
    if (v->kind == XV_ANSWER || v->kind == XV_CHOICE) {
        if (c->code == X_PREFER)
            return WIRE_PREFER_NOT;
        if (c->code == X_MISSING)
            return "";
        if (v->kind == XV_ANSWER)
            return x->r->q[v->q].opt_ids[c->code - 1];
        num[0] = (char)('0' + c->code);
        num[1] = '\0';
        return num;
    }
    if (v->kind == XV_TEXT && c->code == X_PREFER)
        return WIRE_PREFER_NOT;
    return c->str ? c->str : "";
}

static void write_csv_row(struct xport *x, const struct xcell *c)
{
    struct buf *b = &x->o->b;
    for (size_t k = 0; k < x->nv; k++) {
        char num[2];
        if (k)
            buf_addc(b, ',');
        csv_adds_cell(b, csv_cell(x, k, &c[k], num));
    }
    buf_adds(b, "\r\n");
    out_flush(x->o, false);
}

static void write_stat_row(struct xport *x, const struct xcell *c)
{
    readstat_writer_t *w = x->w;
    readstat_error_t e = readstat_begin_row(w);
    for (size_t k = 0; k < x->nv && e == READSTAT_OK; k++) {
        const struct xvar *v = &x->v[k];
        readstat_variable_t *rv = v->rv;
        switch (v->kind) {
        case XV_ANSWER:
        case XV_CHOICE:
        case XV_PAIRING:
            if (c[k].code == X_PREFER && x->format == REPORT_EXPORT_DTA)
                e = readstat_insert_tagged_missing_value(w, rv, 'a');
            else if (c[k].code == X_MISSING)
                e = readstat_insert_missing_value(w, rv);
            else
                e = readstat_insert_int16_value(w, rv, (int16_t)c[k].code);
            break;
        default:
            if (readstat_variable_get_type(rv) == READSTAT_TYPE_STRING_REF) {
                readstat_string_ref_t *ref = readstat_add_string_ref(w, c[k].str ? c[k].str : "");
                e = readstat_insert_string_ref(w, rv, ref);
            } else {
                e = readstat_insert_string_value(w, rv, c[k].str ? c[k].str : "");
            }
            break;
        }
    }
    if (e == READSTAT_OK)
        e = readstat_end_row(w);
    if (e != READSTAT_OK && x->rc == 0)
        x->rc = -1;
}

/* Writes the rows gathered for one class in random order, then forgets them. */
static void flush_class(struct xport *x, bool write)
{
    size_t n = x->nrows;
    if (write && n) {
        size_t *idx = xmalloc(n * sizeof(*idx));
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        for (size_t i = n; i > 1; i--) {
            size_t j = randombytes_uniform((uint32_t)i);
            size_t t = idx[i - 1];
            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        for (size_t i = 0; i < n && x->rc == 0; i++) {
            const struct xcell *c = &x->cells[idx[i] * x->nv];
            if (x->format == REPORT_EXPORT_CSV)
                write_csv_row(x, c);
            else
                write_stat_row(x, c);
        }
        free(idx);
    }
    x->total += (int64_t)n;
    x->nrows = 0;
    arena_release(&x->strings);
}

/*
 * Reads every class the report may show (report_answers_each() refuses a held-back one, which
 * is left out whole), one class at a time; write: also writes its rows.
 */
static int each_class(struct xport *x, bool write)
{
    const struct report *r = x->r;
    x->total = 0;
    for (size_t g = 0; g < r->ncohorts && x->rc == 0; g++) {
        if (r->filter != SIZE_MAX && g != r->filter)
            continue;
        x->g = g;
        int rc = report_answers_each(r, g, read_row, x);
        if (rc == -EPERM)
            continue;
        if (rc != 0)
            return rc;
        flush_class(x, write);
        if (x->o->failed)
            return -1;
    }
    return x->rc;
}

/* ---- what the files say beside the rows ---- */

/* Answers left out of this export for belonging to a class under k, and their classes. */
static void left_out(const struct report *r, int64_t *answers, size_t *classes)
{
    if (r->filter != SIZE_MAX) {
        const struct group *c = &r->g[r->filter];
        *answers = c->hidden ? c->n : c->held;
        *classes = c->hidden ? 1 : c->nheld;
        return;
    }
    *answers = r->g[r->all].held;
    *classes = r->g[r->all].nheld;
}

static const char *kind_words(const struct xvar *v)
{
    switch (v->kind) {
    case XV_ANSWER:
        return "number: the option's position, from 1, labelled";
    case XV_CHOICE:
        return "number: 1 chosen, 0 not chosen";
    case XV_PAIRING:
        return "number";
    case XV_THEMES:
        return "text: the names of the themes staff coded the comment with, \"; \" between them";
    default:
        return "text";
    }
}

static void write_codebook(struct xport *x)
{
    const struct report *r = x->r;
    struct out *o = x->o;
    int64_t held;
    size_t nheld;
    left_out(r, &held, &nheld);
    char today[11];
    store_day_format(r->today, today);
    out_fmt(o, "planpack feedback data: codebook\n\nMade on %s", today);
    if (r->source) {
        out_str(o, " from ");
        out_text(o, r->source);
    }
    if (r->filter != SIZE_MAX)
        out_fmt(o, ", class %s only", r->g[r->filter].cohort->code);
    if (r->school) {
        out_str(o, ", school ");
        out_text(o, r->school);
        out_str(o, " only");
    }
    out_fmt(o,
            ".\nThe CSV (--format csv), SPSS (--format sav) and Stata (--format dta) files hold "
            "%lld rows,\none per submission of the feedback form (not per pupil), in random "
            "order within each class.\n",
            (long long)x->total);
    out_fmt(o,
            "\nSmall classes: a class with fewer than %d submissions under one package "
            "version served\nin one language is left out of every file, those submissions "
            "whole, until it has %d.\nLeft out here: %lld submission%s from %zu class%s.\n",
            r->k, r->k, (long long)held, held == 1 ? "" : "s", nheld, nheld == 1 ? "" : "es");
    out_str(o, "\nFree text has e-mail addresses and phone numbers replaced. Only the day of "
               "an answer is kept,\nnever the time.\n");
    out_str(o, "\nMissing values: an empty cell is a question not answered (or not asked "
               "of that class).\n\"Prefer not to say\" is prefer-not-to-say in the CSV, -1 "
               "(a missing value) in SPSS\nand .a (labelled) in Stata.\n\nVariables\n");
    for (size_t k = 0; k < x->nv; k++) {
        const struct xvar *v = &x->v[k];
        out_fmt(o, "\n%zu. %s (%s)\n", k + 1, v->name, kind_words(v));
        if (v->kind == XV_ANSWER || v->kind == XV_CHOICE || v->kind == XV_TEXT ||
            v->kind == XV_THEMES) {
            const struct rq *rq = &r->q[v->q];
            out_str(o, "   question ");
            out_text(o, rq->id);
            out_fmt(o, ", %s, asked: %s\n   \"", out_type(rq->type), out_when(rq->when));
            out_text(o, rq->text);
            out_str(o, "\"\n");
            if (v->kind == XV_CHOICE) {
                out_str(o, "   option ");
                out_text(o, rq->opt_ids[v->opt]);
                out_str(o, ": ");
                out_text(o, rq->opt_labels[v->opt]);
                out_str(o, "\n");
            } else if (v->kind == XV_ANSWER) {
                for (size_t j = 0; j < rq->nopt; j++) {
                    out_fmt(o, "   %zu = ", j + 1);
                    out_text(o, rq->opt_ids[j]);
                    out_str(o, " = ");
                    out_text(o, rq->opt_labels[j]);
                    bool right = rq->correct && strcmp(rq->correct, rq->opt_ids[j]) == 0;
                    out_str(o, right ? " (the right answer)\n" : "\n");
                }
            }
        } else {
            out_fmt(o, "   %s\n", v->label);
        }
    }
    report_themes_codebook(o);
}

/* ---- SPSS and Stata ---- */

static ssize_t stat_write(const void *data, size_t len, void *ctx)
{
    struct xport *x = ctx;
    buf_add(&x->o->b, data, len);
    out_flush(x->o, false);
    return x->o->failed || !buf_ok(&x->o->b) ? -1 : (ssize_t)len;
}

/* s cut to at most max bytes, at a character boundary, in the names arena. */
static const char *cut(struct xport *x, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    while (n > max || ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return arena_strndup(&x->names, s, n);
}

static void stat_note(struct xport *x, const char *text)
{
    readstat_add_note(x->w, cut(x, text, 80));
}

static readstat_label_set_t *option_labels(struct xport *x, const struct xvar *v, bool dta)
{
    readstat_label_set_t *ls = readstat_add_label_set(x->w, READSTAT_TYPE_INT32, v->name);
    size_t max = dta ? 32000 : SAV_VALUE_LABEL_MAX;
    if (v->kind == XV_ANSWER) {
        const struct rq *rq = &x->r->q[v->q];
        for (size_t j = 0; j < rq->nopt; j++)
            readstat_label_int32_value(ls, (int32_t)j + 1, cut(x, rq->opt_labels[j], max));
    } else {
        readstat_label_int32_value(ls, 0, "Not chosen");
        readstat_label_int32_value(ls, 1, "Chosen");
    }
    if (dta)
        readstat_label_tagged_value(ls, 'a', "Prefer not to say");
    else
        readstat_label_int32_value(ls, X_PREFER, "Prefer not to say");
    return ls;
}

static int write_stat(struct xport *x)
{
    const struct report *r = x->r;
    bool dta = x->format == REPORT_EXPORT_DTA;
    /* A first pass finds how many rows there are and how wide each text is. */
    int rc = each_class(x, false);
    if (rc != 0)
        return rc;
    x->w = readstat_writer_init();
    readstat_set_data_writer(x->w, stat_write);
    char line[128];
    snprintf(line, sizeof(line), "planpack feedback, one row per submission, k = %d", r->k);
    readstat_writer_set_file_label(x->w, line);
    /* The file's own date is the day, as for answers: no time of day. */
    readstat_writer_set_file_timestamp(x->w, (time_t)r->today * 86400);
    int64_t held;
    size_t nheld;
    left_out(r, &held, &nheld);
    snprintf(line, sizeof(line),
             "A class's submissions per version served and language: left out under %d.", r->k);
    stat_note(x, line);
    snprintf(line, sizeof(line), "Left out here: %lld submissions from %zu classes.",
             (long long)held, nheld);
    stat_note(x, line);
    stat_note(x, "Free text has e-mail addresses and phone numbers replaced.");
    for (size_t k = 0; k < x->nv; k++) {
        struct xvar *v = &x->v[k];
        readstat_variable_t *rv;
        const char *label = cut(x, v->label, dta ? DTA_LABEL_MAX : SAV_LABEL_MAX);
        if (v->kind == XV_ANSWER || v->kind == XV_CHOICE || v->kind == XV_PAIRING) {
            rv = readstat_add_variable(x->w, v->name, READSTAT_TYPE_INT16, 0);
            if (v->kind != XV_PAIRING) {
                readstat_variable_set_label_set(rv, option_labels(x, v, dta));
                if (!dta)
                    rc = readstat_variable_add_missing_double_value(rv, X_PREFER) == READSTAT_OK
                             ? rc
                             : -1;
                readstat_variable_set_measure(rv, r->q[v->q].type == SURVEY_SCALE
                                                      ? READSTAT_MEASURE_ORDINAL
                                                      : READSTAT_MEASURE_NOMINAL);
            }
        } else if (dta && v->width > DTA_STR_MAX) {
            rv = readstat_add_variable(x->w, v->name, READSTAT_TYPE_STRING_REF, 0);
        } else {
            rv =
                readstat_add_variable(x->w, v->name, READSTAT_TYPE_STRING, v->width ? v->width : 1);
        }
        readstat_variable_set_label(rv, label);
        v->rv = rv;
    }
    readstat_error_t e = dta ? readstat_begin_writing_dta(x->w, x, (long)x->total)
                             : readstat_begin_writing_sav(x->w, x, (long)x->total);
    if (e != READSTAT_OK || rc != 0)
        return -1;
    rc = each_class(x, true);
    if (readstat_end_writing(x->w) != READSTAT_OK && rc == 0)
        rc = -1;
    return rc;
}

/* ---- the entry point ---- */

int report_export(const struct report *r, enum report_export format, const struct report_sink *sink)
{
    struct out o = {.r = r, .sink = sink};
    buf_init(&o.b, OUT_BUF_MAX);
    struct xport x = {.r = r, .format = format, .o = &o};
    survey_decoder_init(&x.dec);
    build_vars(&x);
    int rc = 0;
    switch (format) {
    case REPORT_EXPORT_CSV:
        for (size_t k = 0; k < x.nv; k++) {
            if (k)
                buf_addc(&o.b, ',');
            csv_adds_cell(&o.b, x.v[k].name);
        }
        buf_adds(&o.b, "\r\n");
        rc = each_class(&x, true);
        break;
    case REPORT_EXPORT_CODEBOOK:
        /* The codebook says how many rows the files hold: count them as they would. */
        rc = each_class(&x, false);
        if (rc == 0)
            write_codebook(&x);
        break;
    case REPORT_EXPORT_SAV:
    case REPORT_EXPORT_DTA:
        rc = write_stat(&x);
        break;
    }
    out_flush(&o, true);
    if (rc == 0 && (o.failed || !buf_ok(&o.b)))
        rc = -1;
    if (x.w)
        readstat_writer_free(x.w);
    free(x.cells);
    free(x.v);
    arena_release(&x.strings);
    arena_release(&x.names);
    survey_decoder_release(&x.dec);
    buf_release(&o.b);
    return rc;
}

int report_write_csv(const struct report *r, const struct report_sink *sink)
{
    return report_export(r, REPORT_EXPORT_CSV, sink);
}
