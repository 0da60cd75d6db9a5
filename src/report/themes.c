/*
 * Themes in the report: what staff coded comments and focus groups with (store_codes()),
 * counted per unit (a class's answers under one served version) while the answers are
 * scanned, and per class, school, version and in all from the shown units only, as every
 * other figure (see report.h). A unit held back shows nothing of its themes, and nothing of
 * it is in any total; the quotes are the comments as
 * stored, so masked as every comment is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/render.h"

/* Quotes kept per unit and theme; the count goes on past them. */
#define QUOTES_PER_COHORT 200

struct quotes {
    const char **v;
    size_t n, cap;
    int64_t dropped;
};

/* What one scanning thread counted, unit by unit. */
struct theme_tally {
    const struct rthemes *t;
    int64_t *count; /* per unit, per theme: comments coded with it */
    int64_t *coded; /* per unit: comments with a theme */
    int64_t *seen;  /* per unit: comments */
    struct quotes *quotes;
    struct arena arena;
};

struct rthemes {
    struct store_theme *v;
    size_t n;
    struct store_code *codes; /* comments' codes, by answer and question (code_cmp) */
    size_t ncodes;
    struct store_code *fcodes; /* focus groups' codes */
    size_t nfcodes;
    size_t nunits;
    int64_t *count;
    int64_t *coded;
    int64_t *seen;
    struct quotes *quotes;
};

static int code_cmp(const void *a, const void *b)
{
    const struct store_code *x = a, *y = b;
    if (x->answer_id != y->answer_id)
        return x->answer_id < y->answer_id ? -1 : 1;
    return strcmp(x->question_id, y->question_id);
}

int report_themes_load(struct report *r, struct store *s)
{
    struct rthemes *t = arena_alloc(&r->arena, sizeof(*t));
    memset(t, 0, sizeof(*t));
    struct store_code *all;
    size_t n;
    int rc = store_themes(s, &r->arena, &t->v, &t->n);
    if (rc == STORE_OK)
        rc = store_codes(s, &r->arena, &all, &n);
    if (rc != STORE_OK)
        return rc;
    /* Comments come first (store_codes()), then focus groups. */
    size_t nc = 0;
    while (nc < n && all[nc].answer_id)
        nc++;
    t->codes = all;
    t->ncodes = nc;
    t->fcodes = all + nc;
    t->nfcodes = n - nc;
    /* The database's order of question ids need not be strcmp()'s. */
    qsort(t->codes, t->ncodes, sizeof(*t->codes), code_cmp);
    t->nunits = r->nunits;
    size_t cells = (r->nunits ? r->nunits : 1) * (t->n ? t->n : 1);
    t->count = arena_alloc(&r->arena, cells * sizeof(*t->count));
    memset(t->count, 0, cells * sizeof(*t->count));
    t->quotes = arena_alloc(&r->arena, cells * sizeof(*t->quotes));
    memset(t->quotes, 0, cells * sizeof(*t->quotes));
    size_t nco = r->nunits ? r->nunits : 1;
    t->coded = arena_alloc(&r->arena, nco * sizeof(*t->coded));
    t->seen = arena_alloc(&r->arena, nco * sizeof(*t->seen));
    memset(t->coded, 0, nco * sizeof(*t->coded));
    memset(t->seen, 0, nco * sizeof(*t->seen));
    r->themes = t;
    return STORE_OK;
}

struct theme_tally *report_themes_tally_new(const struct report *r)
{
    const struct rthemes *t = r->themes;
    struct theme_tally *tt = xcalloc(1, sizeof(*tt));
    tt->t = t;
    size_t nco = t->nunits ? t->nunits : 1, cells = nco * (t->n ? t->n : 1);
    tt->count = xcalloc(cells, sizeof(*tt->count));
    tt->quotes = xcalloc(cells, sizeof(*tt->quotes));
    tt->coded = xcalloc(nco, sizeof(*tt->coded));
    tt->seen = xcalloc(nco, sizeof(*tt->seen));
    return tt;
}

void report_themes_tally_free(struct theme_tally *tt)
{
    if (!tt)
        return;
    size_t cells = (tt->t->nunits ? tt->t->nunits : 1) * (tt->t->n ? tt->t->n : 1);
    for (size_t i = 0; i < cells; i++)
        free(tt->quotes[i].v);
    free(tt->quotes);
    free(tt->count);
    free(tt->coded);
    free(tt->seen);
    arena_release(&tt->arena);
    free(tt);
}

static size_t theme_index(const struct rthemes *t, int64_t id)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].id == id)
            return i;
    return SIZE_MAX;
}

void report_themes_tally_comment(struct theme_tally *tt, size_t c, int64_t answer_id,
                                 const char *question_id, const char *text, size_t len)
{
    const struct rthemes *t = tt->t;
    tt->seen[c]++;
    if (!t->ncodes)
        return;
    struct store_code key = {.answer_id = answer_id, .question_id = question_id};
    const struct store_code *code = bsearch(&key, t->codes, t->ncodes, sizeof(*t->codes), code_cmp);
    if (!code)
        return;
    const char *copy = NULL;
    bool any = false;
    for (size_t i = 0; i < code->theme_count; i++) {
        size_t th = theme_index(t, code->themes[i]);
        if (th == SIZE_MAX)
            continue;
        any = true;
        tt->count[c * t->n + th]++;
        struct quotes *q = &tt->quotes[c * t->n + th];
        if (q->n == QUOTES_PER_COHORT) {
            q->dropped++;
            continue;
        }
        if (!copy)
            copy = arena_strndup(&tt->arena, text, len);
        XGROW(q->v, q->cap, q->n + 1);
        q->v[q->n++] = copy;
    }
    tt->coded[c] += any;
}

void report_themes_tally_merge(struct report *r, const struct theme_tally *tt)
{
    struct rthemes *t = r->themes;
    for (size_t c = 0; c < t->nunits; c++) {
        t->coded[c] += tt->coded[c];
        t->seen[c] += tt->seen[c];
        for (size_t th = 0; th < t->n; th++) {
            size_t i = c * t->n + th;
            const struct quotes *from = &tt->quotes[i];
            struct quotes *to = &t->quotes[i];
            t->count[i] += tt->count[i];
            to->dropped += from->dropped;
            report_strs_merge(&r->arena, &to->v, &to->n, &to->cap, QUOTES_PER_COHORT, from->v,
                              from->n, &to->dropped);
        }
    }
}

/* ---- what may leave the report ---- */

bool report_themes_listed(const struct report *r)
{
    return r->themes && r->themes->n > 0;
}

const char *report_comment_themes(const struct report *r, int64_t answer_id,
                                  const char *question_id, struct arena *a)
{
    const struct rthemes *t = r->themes;
    struct store_code key = {.answer_id = answer_id, .question_id = question_id};
    const struct store_code *code =
        t->ncodes ? bsearch(&key, t->codes, t->ncodes, sizeof(*t->codes), code_cmp) : NULL;
    if (!code)
        return NULL;
    struct buf b;
    buf_init(&b, 64 << 10);
    for (size_t i = 0; i < code->theme_count; i++) {
        size_t th = theme_index(t, code->themes[i]);
        if (th == SIZE_MAX)
            continue;
        if (b.len)
            buf_adds(&b, "; ");
        buf_adds(&b, t->v[th].name);
    }
    const char *names = b.len ? arena_strndup(a, b.ptr, b.len) : NULL;
    buf_release(&b);
    return names;
}

static const struct store_code *fg_code(const struct rthemes *t, int64_t id)
{
    for (size_t i = 0; i < t->nfcodes; i++)
        if (t->fcodes[i].focus_group_id == id)
            return &t->fcodes[i];
    return NULL;
}

/* Whether unit u (its index among the units) is one of group g's shown units. */
static bool shown_member(const struct report *r, size_t g, size_t u)
{
    size_t ug = r->first_unit + u;
    if (r->g[ug].hidden)
        return false;
    const struct group *grp = &r->g[g];
    if (grp->kind == GROUP_UNIT)
        return ug == g;
    for (size_t m = 0; m < grp->nmembers; m++)
        if (grp->members[m] == ug)
            return true;
    return false;
}

/* Whether focus group f counts in group g: its class is one of g's shown classes; one of no
 * class counts in all answers only. */
static bool fg_in_group(const struct report *r, size_t g, const struct store_focus_group *f)
{
    if (!f->cohort_code)
        return r->g[g].kind == GROUP_ALL;
    if (r->g[g].kind == GROUP_LANGUAGE)
        return false; /* a focus group is a class's talk, in no one language of its answers */
    for (size_t c = 0; c < r->ncohorts; c++) {
        if (strcmp(r->cohorts[c].code, f->cohort_code) != 0)
            continue;
        /* A class's focus group counts where one of its units is shown. */
        for (size_t m = 0; m < r->g[c].nmembers; m++)
            if (shown_member(r, g, r->g[c].members[m] - r->first_unit))
                return true;
        return false;
    }
    return false;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Most comments first, then focus groups, then by name. */
static int theme_cmp(const void *a, const void *b)
{
    const struct report_theme *x = a, *y = b;
    if (x->comments != y->comments)
        return x->comments > y->comments ? -1 : 1;
    if (x->focus_groups != y->focus_groups)
        return x->focus_groups > y->focus_groups ? -1 : 1;
    return strcmp(x->name, y->name);
}

int report_themes_at(const struct report *r, size_t g, size_t keep, struct report_themes *out)
{
    memset(out, 0, sizeof(*out));
    const struct rthemes *t = r->themes;
    if (g >= r->ng || r->g[g].hidden)
        return -EPERM;
    struct report_theme *v = xcalloc(t->n ? t->n : 1, sizeof(*v));
    for (size_t th = 0; th < t->n; th++) {
        v[th].name = t->v[th].name;
        v[th].description = t->v[th].description;
        v[th].retired = t->v[th].retired;
    }
    for (size_t c = 0; c < r->nunits; c++) {
        if (!shown_member(r, g, c))
            continue;
        out->comments += t->seen[c];
        out->coded += t->coded[c];
        for (size_t th = 0; th < t->n; th++) {
            v[th].comments += t->count[c * t->n + th];
            v[th].more += t->quotes[c * t->n + th].dropped;
        }
    }
    for (size_t i = 0; i < r->nfgs; i++) {
        if (!fg_in_group(r, g, &r->fgs[i]))
            continue;
        out->focus_groups++;
        const struct store_code *code = fg_code(t, r->fgs[i].id);
        for (size_t j = 0; code && j < code->theme_count; j++) {
            size_t th = theme_index(t, code->themes[j]);
            if (th != SIZE_MAX)
                v[th].focus_groups++;
        }
    }
    /* Only the themes something has, each with its quotes in alphabetical order: the order
     * they came in would say something of who wrote them. */
    size_t n = 0;
    for (size_t th = 0; th < t->n; th++) {
        if (!v[th].comments && !v[th].focus_groups)
            continue;
        size_t all = 0;
        for (size_t c = 0; c < r->nunits; c++)
            if (shown_member(r, g, c))
                all += t->quotes[c * t->n + th].n;
        const char **q = xmalloc((all ? all : 1) * sizeof(*q));
        all = 0;
        for (size_t c = 0; c < r->nunits; c++) {
            const struct quotes *from = &t->quotes[c * t->n + th];
            if (shown_member(r, g, c) && from->n) {
                memcpy(q + all, from->v, from->n * sizeof(*q));
                all += from->n;
            }
        }
        qsort(q, all, sizeof(*q), str_cmp);
        v[n] = v[th];
        v[n].quotes = q;
        v[n].nquotes = all < keep ? all : keep;
        v[n].more += (int64_t)(all - v[n].nquotes);
        n++;
    }
    qsort(v, n, sizeof(*v), theme_cmp);
    out->v = v;
    out->n = n;
    return 0;
}

int report_themes(const struct report *r, const char *group, size_t keep, struct report_themes *out)
{
    memset(out, 0, sizeof(*out));
    size_t g = out_group_named(r, group);
    if (g == SIZE_MAX || (r->filter != SIZE_MAX && g != r->filter))
        return -ENOENT;
    return report_themes_at(r, g, keep, out);
}

void report_themes_release(struct report_themes *t)
{
    for (size_t i = 0; t->v && i < t->n; i++)
        free((void *)t->v[i].quotes);
    free(t->v);
    memset(t, 0, sizeof(*t));
}

/* ---- as text and HTML ---- */

bool report_has_themes(const struct report *r)
{
    return r->themes && r->themes->n;
}

void out_themes(struct out *o, size_t g, bool quotes)
{
    const struct report *r = o->r;
    struct report_themes t;
    if (!r->themes->n || report_themes_at(r, g, quotes ? REPORT_THEME_QUOTES : 0, &t) != 0)
        return;
    if (o->html)
        out_fmt(o,
                "<h4 class=\"themes\">Themes</h4>\n<p>%lld of %lld comments coded with a theme; "
                "%lld focus group%s.</p>\n",
                (long long)t.coded, (long long)t.comments, (long long)t.focus_groups,
                t.focus_groups == 1 ? "" : "s");
    else
        out_fmt(o, "\nThemes: %lld of %lld comments coded with a theme; %lld focus group%s.\n",
                (long long)t.coded, (long long)t.comments, (long long)t.focus_groups,
                t.focus_groups == 1 ? "" : "s");
    if (t.n && o->html)
        out_str(o, "<table class=\"themes\">\n<caption>Comments and focus groups by theme"
                   "</caption>\n<thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">"
                   "Comments</th><th scope=\"col\">Focus groups</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < t.n; i++) {
        const struct report_theme *th = &t.v[i];
        if (o->html) {
            out_textf(o, "<tr><th scope=\"row\">%s%s</th>", th->name,
                      th->retired ? " (retired)" : "");
            out_fmt(o, "<td>%lld</td><td>%lld</td></tr>\n", (long long)th->comments,
                    (long long)th->focus_groups);
        } else {
            out_fmt(o, "  %-40.40s %8lld comments %5lld focus groups\n", th->name,
                    (long long)th->comments, (long long)th->focus_groups);
        }
    }
    if (t.n && o->html)
        out_str(o, "</tbody>\n</table>\n");
    for (size_t i = 0; i < t.n; i++) {
        const struct report_theme *th = &t.v[i];
        if (!th->nquotes)
            continue;
        if (o->html)
            out_textf(o,
                      "<h5 class=\"comments\">Comments coded \xe2\x80\x9c%s\xe2\x80\x9d</h5>\n"
                      "<ul class=\"comments\">\n",
                      th->name);
        else
            out_fmt(o, "\nComments coded \"%s\":\n", th->name);
        for (size_t j = 0; j < th->nquotes; j++)
            out_textf(o, o->html ? "<li>%s</li>\n" : "  - %s\n", th->quotes[j]);
        if (th->more > 0)
            out_fmt(o,
                    o->html ? "<li class=\"more\">and %lld more</li>\n" : "  ... and %lld more\n",
                    (long long)th->more);
        if (o->html)
            out_str(o, "</ul>\n");
    }
    report_themes_release(&t);
}

void report_themes_codebook(struct out *o)
{
    const struct rthemes *t = o->r->themes;
    if (!t->n)
        return;
    out_str(o, "\nThemes\n\nThe themes staff code comments with on the staff pages (the *_themes "
               "columns name them):\n");
    for (size_t i = 0; i < t->n; i++) {
        out_fmt(o, "\n%lld. ", (long long)t->v[i].id);
        out_text(o, t->v[i].name);
        out_str(o, t->v[i].retired ? " (retired)\n" : "\n");
        if (*t->v[i].description) {
            out_str(o, "   ");
            out_text(o, t->v[i].description);
            out_str(o, "\n");
        }
    }
}
