/*
 * A report as plain text (`planpack report`): a summary first (submissions, classes, what is
 * not shown and why, the headline results), then every group with a row per answer, its
 * count and share, the version comparison and the focus groups. Figures come only through
 * report.c's accessors (directly or through render.c's helpers built on them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/render.h"

/* Writes s with each line after the first indented by `indent`. */
static void text_indented(struct out *o, const char *s, const char *indent)
{
    for (const char *p = s; *p; p++) {
        buf_addc(&o->b, *p);
        if (*p == '\n')
            buf_adds(&o->b, indent);
    }
    out_flush(o, false);
}

static void text_question(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    int64_t answers;
    if (report_answers(r, g, q, &answers) != 0)
        return;
    out_fmt(o, "\n%s\n  (%s, %s)\n", rq->text, out_type(rq->type), out_when(rq->when));
    for (size_t j = 0; j < rq->ncols; j++) {
        char c[32], p[32];
        out_count(r, g, q, j, c);
        out_share(r, g, q, j, p, sizeof(p));
        buf_add(&o->b, "  ", 2);
        out_field(&o->b, out_col_label(rq, j), 40, true);
        buf_addc(&o->b, ' ');
        out_field(&o->b, c, 8, false);
        buf_addc(&o->b, ' ');
        out_field(&o->b, p, 5, false);
        buf_addc(&o->b, '\n');
    }
    char n[32];
    out_int((long long)answers, n);
    buf_add(&o->b, "  ", 2);
    out_field(&o->b, "Submissions", 40, true);
    buf_addc(&o->b, ' ');
    out_field(&o->b, n, 8, false);
    buf_addc(&o->b, '\n');
    out_flush(o, false);
    double mean;
    int64_t scored;
    if (report_mean(r, g, q, &mean, &scored) == 0)
        out_fmt(o, "  %-40s %8.2f  (1 = %s, 5 = %s; n = %lld)\n", "Mean", mean, rq->opt_labels[0],
                rq->nopt >= 5 ? rq->opt_labels[4] : "", (long long)scored);
}

/* A pair's answers at the start and at the end, side by side, when both have the same options. */
static void text_change_table(struct out *o, size_t g, const struct rpair *pr,
                              const struct report_change *c)
{
    const struct report *r = o->r;
    const struct rq *b = &r->q[pr->before], *a = &r->q[pr->after];
    if (b->nopt != a->nopt)
        return;
    buf_add(&o->b, "    ", 4);
    out_field(&o->b, "Answer", 36, true);
    out_fmt(o, " %14s %14s\n", out_change_since(c), out_change_until(c));
    /* The options and "prefer not to say": "no answer" would count the other part's
     * submissions, which were not asked. */
    for (size_t j = 0; j + 1 < a->ncols; j++) {
        char cb[32], sb[16], ca[32], sa[16], cell[2][64];
        out_change_cell(r, g, pr->before, j, c->have_start, cb, sb, sizeof(sb));
        out_change_cell(r, g, pr->after, j, c->have_end, ca, sa, sizeof(sa));
        snprintf(cell[0], sizeof(cell[0]), "%s %5s", cb, sb);
        snprintf(cell[1], sizeof(cell[1]), "%s %5s", ca, sa);
        char label[160];
        snprintf(label, sizeof(label), "%s%s", out_col_label(a, j),
                 c->knowledge && j < a->nopt && strcmp(a->opt_ids[j], a->correct) == 0 ? " (right)"
                                                                                       : "");
        buf_add(&o->b, "    ", 4);
        out_field(&o->b, label, 36, true);
        out_fmt(o, " %14s %14s\n", cell[0], cell[1]);
    }
}

static void text_change(struct out *o, bool first, size_t g, size_t p,
                        const struct report_change *c)
{
    const struct report *r = o->r;
    const struct rpair *pr = &r->pairs[p];
    if (first)
        out_fmt(o, "\n%s:\n", out_change_heading(c->later));
    out_fmt(o, "\n  %s\n  (%s)\n", r->q[pr->after].text, out_change_kind(c));
    text_change_table(o, g, pr, c);
    char line[256];
    out_change_share(r, &c->start, c->have_start, line, sizeof(line));
    if (c->knowledge)
        out_str(o, "    Chose the right answer:\n");
    else
        out_fmt(o, "    In the top answers (%s):\n", c->top);
    out_fmt(o, "      %s: %s\n", out_change_since(c), line);
    out_change_share(r, &c->end, c->have_end, line, sizeof(line));
    out_fmt(o, "      %s: %s\n", out_change_until(c), line);
    out_change_effect(r, c, line, sizeof(line));
    out_fmt(o, "    Effect size: %s\n", line);
    if (!c->knowledge) {
        out_pair(r, p, g, line, sizeof(line));
        out_fmt(o, "    Mean (1 to 5): %s\n", line);
    }
    if (c->sentence[0])
        out_fmt(o, "    %s\n", c->sentence);
    out_change_ceiling(c, line, sizeof(line));
    if (line[0])
        out_fmt(o, "    %s\n", line);
}

static void text_comments(struct out *o, size_t q, const struct out_comments *c)
{
    const struct report *r = o->r;
    out_fmt(o, "\nComments on \"%s\" (%lld):\n", r->q[q].text,
            (long long)(c->nflagged + c->nlisted) + (long long)c->more);
    for (size_t i = 0; i < c->nflagged; i++) {
        const struct rflagged *f = &c->flagged[i];
        out_fmt(o, "  - " REPORT_FLAG_MARK " (class %s): ", r->g[f->unit].cohort->code);
        text_indented(o, f->text, "    ");
        out_str(o, "\n");
    }
    for (size_t i = 0; i < c->nlisted; i++) {
        out_str(o, "  - ");
        text_indented(o, c->listed[i], "    ");
        out_str(o, "\n");
    }
    if (c->nlisted && c->more > 0)
        out_fmt(o, "  ... and %lld more (see the CSV export)\n", (long long)c->more);
}

static void text_group(struct out *o, size_t g, bool comments)
{
    const struct report *r = o->r;
    const struct group *grp = &r->g[g];
    char n[160];
    out_group_size(r, g, n, sizeof(n));
    out_str(o, "\n\n--- ");
    switch (grp->kind) {
    case GROUP_COHORT: {
        const struct store_cohort *c = grp->cohort;
        char d[11], v[200];
        out_day(c->created_day, d);
        out_class_versions(r, g, v, sizeof(v));
        out_fmt(o, "Class %s: %s\n    %s, %s, created %s, %s. Submissions: %s.\n", c->code,
                c->label, c->school ? c->school : "no school given", v, d,
                c->open ? "open" : "closed", n);
        break;
    }
    case GROUP_SCHOOL:
        out_fmt(o, "School: %s\n    Submissions: %s.\n", grp->name, n);
        break;
    case GROUP_VERSION:
        out_fmt(o, "Package version %s\n    Submissions: %s.\n", grp->name, n);
        break;
    case GROUP_LANGUAGE: {
        char h[200];
        out_language_heading(r, g, h, sizeof(h));
        out_fmt(o, "%s\n    Submissions: %s.\n", h, n);
        break;
    }
    case GROUP_ALL:
    case GROUP_UNIT: /* never shown on its own */
        out_fmt(o, "All submissions\n    Submissions: %s.\n", n);
        break;
    }
    if (grp->hidden) {
        out_fmt(o,
                "    Not shown yet: this class has fewer than %d submissions, so they are left "
                "out of every figure in this report, totals included, until it has %d.\n",
                r->k, r->k);
        return;
    }
    for (size_t q = 0; q < r->nq; q++)
        if (report_asked(r, g, q))
            text_question(o, g, q);
    char pairing[320];
    if (out_pairing(r, g, pairing, sizeof(pairing)))
        out_fmt(o, "\n%s\n", pairing);
    out_each_change(o, g, false, text_change);
    out_each_change(o, g, true, text_change);
    if (comments)
        out_each_comments(o, g, text_comments);
    out_themes(o, g, comments);
}

static void text_compare(struct out *o)
{
    const struct report *r = o->r;
    size_t ga = r->cmp_a, gb = r->cmp_b;
    const struct group *a = &r->g[ga], *b = &r->g[gb];
    out_fmt(o, "\n\n=== Version %s and version %s side by side\n", a->name, b->name);
    /* The change log of every version after a, up to b. */
    for (size_t v = a->ver + 1; v <= b->ver && v < r->nvers; v++) {
        const struct survey *sv = r->vers[v].sv;
        if (!sv->change_count)
            continue;
        out_fmt(o, "\nWhat changed in %s%s%s%s:\n", sv->package_version,
                sv->change_date ? " (" : "", sv->change_date ? sv->change_date : "",
                sv->change_date ? ")" : "");
        for (size_t i = 0; i < sv->change_count; i++)
            out_fmt(o, "  - %s\n", sv->changes[i]);
    }
    for (size_t q = 0; q < r->nq; q++) {
        const struct rq *rq = &r->q[q];
        int64_t na, nb;
        if (report_answers(r, ga, q, &na) != 0 || report_answers(r, gb, q, &nb) != 0)
            continue;
        out_fmt(o, "\n%s\n  %-40s %9s %6s %9s %6s\n", rq->text, "", a->name, "share", b->name,
                "share");
        for (size_t j = 0; j <= rq->ncols; j++) {
            char c[2][32], sh[2][16];
            out_compare_row(r, q, j, c, sh);
            out_fmt(o, "  %-40.40s %9s %6s %9s %6s\n",
                    j < rq->ncols ? out_col_label(rq, j) : "Submissions", c[0], sh[0], c[1], sh[1]);
        }
        struct stats_diff d;
        if (rq->type == SURVEY_SCALE && report_group_diff(r, ga, gb, q, &d)) {
            char ds[96];
            out_diff(&d, ds, sizeof(ds));
            out_fmt(o, "  %-40s %9.2f %6s %9.2f\n  Change in the mean: %s\n", "Mean (1 to 5)",
                    out_mean(r, ga, q), "", out_mean(r, gb, q), ds);
        }
    }
}

static void text_focus_group(struct out *o, const struct store_focus_group *f, const char *d)
{
    out_fmt(o, "\n%s%s%s\n", d, f->cohort_code ? ", class " : "",
            f->cohort_code ? f->cohort_code : "");
    out_textf(o, "  Themes: %s\n  Notes: %s\n  Quotes: %s\n", f->themes, f->notes, f->quotes);
}

static void text_focus_groups(struct out *o)
{
    if (!o->r->nfgs)
        return;
    out_str(o, "\n\n=== Focus groups\n");
    out_each_focus_group(o, text_focus_group);
}

/* The summary's start-to-end (then start-to-later) sentences for group g, and what they
 * cannot show. */
static void text_summary_change(struct out *o, size_t g)
{
    const struct report *r = o->r;
    struct report_change c;
    for (int later = 0; later < 2; later++) {
        bool first = true;
        for (size_t p = 0; out_change_next(r, g, later, &p, &c); p++, first = false) {
            if (first)
                out_fmt(o, "\n%s:\n", out_change_heading(later));
            out_fmt(o, "  - %s %s\n", r->q[r->pairs[p].after].text, c.sentence);
        }
    }
    char limits[1536];
    if (out_change_limits(r, limits, sizeof(limits)))
        out_fmt(o, "\n%s\n", limits);
}

static void text_summary(struct out *o)
{
    const struct report *r = o->r;
    char today[11];
    out_day(r->today, today);
    out_fmt(o, "Feedback report, made on %s%s%s.\n\n=== Summary\n", today,
            r->source ? " from " : "", r->source ? r->source : "");
    if (r->school)
        out_fmt(o, "Only the classes of %s.\n", r->school);
    if (r->filter == SIZE_MAX) {
        const struct group *all = &r->g[r->all];
        size_t unnamed, schools = out_schools(r, &unnamed);
        size_t shown = all->nshown;
        out_fmt(o, "%lld submissions from %zu class%s", (long long)all->n, shown,
                shown == 1 ? "" : "es");
        if (unnamed)
            out_fmt(o, " (%zu with no school given)", unnamed);
        out_fmt(o, " in %zu school%s; %zu package version%s.\n", schools, schools == 1 ? "" : "s",
                r->nversions, r->nversions == 1 ? "" : "s");
        if (all->held)
            out_fmt(o, "Not shown yet: %lld submissions from %zu class%s with fewer than %d.\n",
                    (long long)all->held, all->nheld, all->nheld == 1 ? "" : "es", r->k);
        char held[400];
        out_held_note(r, r->all, held, sizeof(held));
        if (held[0])
            out_fmt(o, "%s\n", held);
    }
    out_fmt(o, OUT_HOLD_BACK "\n" OUT_COUNTS_ARE "\n", r->k, r->k);

    if (r->unreadable)
        out_fmt(o, "%lld submissions could not be read and are left out.\n",
                (long long)r->unreadable);
    size_t g = out_summary_group(r);
    bool any = false;
    for (size_t q = 0; q < r->nq; q++) {
        size_t col;
        int64_t v, n;
        if (!out_headline(r, g, q, &col, &v, &n))
            continue;
        if (!any) {
            if (r->filter != SIZE_MAX)
                out_fmt(o, "\nHeadline results for class %s", r->g[g].name);
            else
                out_str(o, "\nHeadline results for all submissions");
            out_str(o, " (of those who answered each question):\n");
        }
        any = true;
        char share[16];
        out_share(r, g, q, col, share, sizeof(share));
        out_fmt(o, "  - %s: most chose \xe2\x80\x9c%s\xe2\x80\x9d: %lld of %lld (%s).\n",
                r->q[q].text, out_col_label(&r->q[q], col), (long long)v, (long long)n, share);
    }
    text_summary_change(o, g);
}

void text_report(struct out *o)
{
    const struct report *r = o->r;
    text_summary(o);
    if (r->filter != SIZE_MAX) {
        text_group(o, r->filter, true);
    } else {
        if (r->cmp_a != SIZE_MAX && r->cmp_b != SIZE_MAX && r->cmp_a != r->cmp_b)
            text_compare(o);
        out_str(o, "\n\n=== By package version\n");
        for (size_t v = 0; v < r->nversions; v++)
            text_group(o, r->first_version + v, true);
        if (r->nlanguages > 1) {
            out_str(o, "\n\n=== By language\n");
            for (size_t l = 0; l < r->nlanguages; l++)
                text_group(o, r->first_language + l, false);
        }
        out_str(o, "\n\n=== By school\n");
        for (size_t s = 0; s < r->nschools; s++)
            text_group(o, r->first_school + s, false);
        out_str(o, "\n\n=== By class\n");
        for (size_t c = 0; c < r->ncohorts; c++)
            text_group(o, c, false);
    }
    text_focus_groups(o);
}
