/*
 * Writing a built report as text, HTML (SVG bar charts, each beside a data table), or the
 * per-answer CSV. Every pupil's text goes through the HTML escaper or the CSV cell writer.
 * A class held back for having fewer than k answers says how many it has and nothing else.
 */
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/internal.h"

#define COMMENTS_SHOWN 100
/* The rule, said once at the top of every report. */
#define HOLD_BACK_1 "A class with fewer than"
#define HOLD_BACK_2                                                                                \
    "answers is left out of every figure, totals included, until it has that many;\n"              \
    "the report says how many answers are not yet shown."

/* Output is gathered in a buffer and handed to the sink in pieces. */
struct out {
    const struct report *r;
    const struct report_sink *sink;
    struct buf b;
    bool html;
    bool failed;
    unsigned ids;
};

static void flush(struct out *o, bool force)
{
    if (o->failed || (!force && o->b.len < (size_t)64 * 1024))
        return;
    if (o->b.len && o->sink->write(o->sink->ctx, o->b.ptr, o->b.len) != 0)
        o->failed = true;
    buf_reset(&o->b);
}

__attribute__((format(printf, 2, 3))) static void outf(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&o->b, fmt, ap);
    va_end(ap);
    flush(o, false);
}

static void outs(struct out *o, const char *s)
{
    buf_adds(&o->b, s);
    flush(o, false);
}

/* Text in HTML is escaped; in plain text, it is written as stored (already cleaned). */
static void text(struct out *o, const char *s)
{
    if (o->html)
        buf_adds_html(&o->b, s ? s : "");
    else
        buf_adds(&o->b, s ? s : "");
    flush(o, false);
}

static void day_str(int day, char out[11])
{
    store_day_format(day, out);
}

static const char *when_words(enum pkg_survey_when w)
{
    switch (w) {
    case SURVEY_START:
        return "start of the lesson";
    case SURVEY_RETRO:
        return "looking back";
    case SURVEY_END:
        break;
    }
    return "end of the lesson";
}

static const char *type_name(enum pkg_survey_type t)
{
    static const char *const names[] = {"scale", "single choice", "multiple choice", "yes / no",
                                        "text"};
    return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "question";
}

static const char *col_label(const struct rq *q, size_t j)
{
    if (j < q->nopt)
        return q->opt_labels[j];
    return j == q->nopt ? "Prefer not to say" : "No answer";
}

/*
 * A report has a row for every option of every question of every group: some hundred
 * thousand over a thousand classes. Rows are put together here without printf, which
 * would be most of the time spent writing a report.
 */

/* Writes v in decimal into buf (at least 21 bytes); returns its length. */
static size_t int_str(long long v, char *buf)
{
    char tmp[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        buf[len++] = '-';
    while (n)
        buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

static void count_str(const struct gq *gq, size_t j, char *buf)
{
    int_str((long long)gq->count[j], buf);
}

/* The share as a whole percentage, rounded as printf's %.0f rounds (to nearest, ties to
 * even: rint in the default rounding mode). */
static void share_str(const struct gq *gq, size_t j, char *buf, size_t size)
{
    buf[0] = '\0';
    if (gq->n == 0)
        return;
    char tmp[32];
    size_t len = int_str((long long)rint(100.0 * (double)gq->count[j] / (double)gq->n), tmp);
    tmp[len++] = '%';
    if (len > size - 1)
        len = size - 1;
    memcpy(buf, tmp, len);
    buf[len] = '\0';
}

/* Appends s in a field of width bytes, as printf's %-W.Ws (left, cut to width) or %Ws. */
static void field(struct buf *b, const char *s, size_t width, bool left)
{
    static const char spaces[] = "                                        ";
    size_t len = left ? strnlen(s, width) : strlen(s);
    size_t pad = len < width ? width - len : 0;
    if (!left)
        buf_add(b, spaces, pad);
    buf_add(b, s, len);
    if (left)
        buf_add(b, spaces, pad);
}

static void diff_str(const struct stats_diff *d, char *buf, size_t size)
{
    snprintf(buf, size, "%+.2f (95%% CI %+.2f to %+.2f)", d->diff, d->low, d->high);
}

/* ---- text ---- */

static void text_question(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    const struct gq *gq = report_gq(r, g, q);
    outf(o, "\n%s\n  [%s, %s, %s]\n", rq->text, rq->id, type_name(rq->type), when_words(rq->when));
    for (size_t j = 0; j < rq->ncols; j++) {
        char c[32], p[32];
        count_str(gq, j, c);
        share_str(gq, j, p, sizeof(p));
        buf_add(&o->b, "  ", 2);
        field(&o->b, col_label(rq, j), 40, true);
        buf_addc(&o->b, ' ');
        field(&o->b, c, 8, false);
        buf_addc(&o->b, ' ');
        field(&o->b, p, 5, false);
        buf_addc(&o->b, '\n');
    }
    char n[32];
    int_str((long long)gq->n, n);
    buf_add(&o->b, "  Answers", 9);
    field(&o->b, "", 33, true);
    buf_addc(&o->b, ' ');
    field(&o->b, n, 8, false);
    buf_addc(&o->b, '\n');
    flush(o, false);
    if (rq->type == SURVEY_SCALE && report_row_complete(r, g, q) && gq->score.n >= r->k)
        outf(o, "  %-40s %8.2f  (1 = %s, 5 = %s; n = %lld)\n", "Mean", stats_mean(&gq->score),
             rq->opt_labels[0], rq->nopt >= 5 ? rq->opt_labels[4] : "", (long long)gq->score.n);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Moves v[i] down a heap of strings with the greatest (by strcmp) on top. */
static void sift_down(const char **v, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && strcmp(v[c + 1], v[c]) > 0)
            c++;
        if (strcmp(v[c], v[i]) <= 0)
            return;
        const char *t = v[i];
        v[i] = v[c];
        v[c] = t;
        i = c;
    }
}

/*
 * Sorts the first `keep` strings of v[0..n) into v[0..keep), leaving the rest in any order.
 * A report shows the first COMMENTS_SHOWN comments of a version's hundred thousand: a heap
 * of that many finds them with about one comparison each, where sorting all would take
 * seventeen.
 */
static void sort_first(const char **v, size_t n, size_t keep)
{
    if (n <= keep) {
        qsort(v, n, sizeof(*v), str_cmp);
        return;
    }
    for (size_t i = keep / 2; i-- > 0;)
        sift_down(v, keep, i);
    for (size_t i = keep; i < n; i++) {
        if (strcmp(v[i], v[0]) >= 0)
            continue;
        const char *t = v[0];
        v[0] = v[i];
        v[i] = t;
        sift_down(v, keep, 0);
    }
    qsort(v, keep, sizeof(*v), str_cmp);
}

/* Comments of a group's classes, the first `keep` sorted so that their order says nothing. */
static const char **gather_comments(const struct report *r, size_t g, size_t q, size_t keep,
                                    size_t *count, int64_t *dropped)
{
    const struct group *grp = &r->g[g];
    size_t n = 0;
    *dropped = 0;
    const size_t *members = grp->kind == GROUP_COHORT ? &g : grp->members;
    size_t nm = grp->kind == GROUP_COHORT ? 1 : grp->nmembers;
    for (size_t m = 0; m < nm; m++)
        n += report_gq(r, members[m], q)->ncomments;
    const char **v = xmalloc((n ? n : 1) * sizeof(*v));
    n = 0;
    for (size_t m = 0; m < nm; m++) {
        const struct gq *gq = report_gq(r, members[m], q);
        if (gq->ncomments)
            memcpy(v + n, gq->comments, gq->ncomments * sizeof(*v));
        n += gq->ncomments;
        *dropped += gq->comments_dropped;
    }
    sort_first(v, n, keep);
    *count = n;
    return v;
}

static void render_pairs(struct out *o, size_t g)
{
    const struct report *r = o->r;
    bool any = false;
    for (size_t p = 0; p < r->npairs; p++) {
        const struct rpair *pr = &r->pairs[p];
        if (!report_gq(r, g, pr->before)->asked || !report_gq(r, g, pr->after)->asked)
            continue;
        struct stats_diff d;
        bool ok = report_pair_diff(r, p, g, &d);
        const struct rq *b = &r->q[pr->before], *a = &r->q[pr->after];
        char ds[96] = "";
        if (ok)
            diff_str(&d, ds, sizeof(ds));
        if (!any)
            outs(o, o->html ? "<h4>Before and after</h4>\n<ul class=\"pairs\">\n"
                            : "\nBefore and after (change in the mean, 1 to 5):\n");
        any = true;
        outs(o, o->html ? "<li>" : "  ");
        text(o, a->text);
        if (!ok) {
            outs(o, o->html ? ": too few answers on either side.</li>\n"
                            : ": too few answers on either side.\n");
            continue;
        }
        if (pr->paired)
            outf(o, ": looking back %.2f, now %.2f, the same %lld pupils: %s%s",
                 stats_mean(&report_gq(r, g, pr->before)->score),
                 stats_mean(&report_gq(r, g, pr->after)->score), (long long)d.n_before, ds,
                 o->html ? "</li>\n" : "\n");
        else
            outf(o, ": start %.2f (n = %lld), end %.2f (n = %lld): %s%s",
                 stats_mean(&report_gq(r, g, pr->before)->score), (long long)d.n_before,
                 stats_mean(&report_gq(r, g, pr->after)->score), (long long)d.n_after, ds,
                 o->html ? "</li>\n" : "\n");
        (void)b;
    }
    if (any && o->html)
        outs(o, "</ul>\n");
}

static void render_comments(struct out *o, size_t g)
{
    const struct report *r = o->r;
    for (size_t q = 0; q < r->nq; q++) {
        if (r->q[q].type != SURVEY_TEXT || !report_gq(r, g, q)->asked)
            continue;
        size_t n;
        int64_t dropped;
        const char **v = gather_comments(r, g, q, COMMENTS_SHOWN, &n, &dropped);
        if (n == 0) {
            free(v);
            continue;
        }
        if (o->html) {
            outs(o, "<h4>");
            text(o, r->q[q].text);
            outf(o, " (%zu comments)</h4>\n<ul class=\"comments\">\n", n);
        } else {
            outf(o, "\nComments on \"%s\" (%zu):\n", r->q[q].text, n);
        }
        for (size_t i = 0; i < n && i < COMMENTS_SHOWN; i++) {
            outs(o, o->html ? "<li>" : "  - ");
            if (o->html) {
                text(o, v[i]);
            } else {
                /* Keep each comment on its own indented lines. */
                for (const char *p = v[i]; *p; p++) {
                    buf_addc(&o->b, *p);
                    if (*p == '\n')
                        buf_adds(&o->b, "    ");
                }
            }
            outs(o, o->html ? "</li>\n" : "\n");
        }
        int64_t more = (int64_t)(n > COMMENTS_SHOWN ? n - COMMENTS_SHOWN : 0) + dropped;
        if (more > 0)
            outf(o,
                 o->html ? "<li class=\"more\">and %lld more (see the CSV export)</li>\n"
                         : "  ... and %lld more (see the CSV export)\n",
                 (long long)more);
        if (o->html)
            outs(o, "</ul>\n");
        free(v);
    }
}

/* ---- HTML pieces ---- */

static void html_chart(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    const struct gq *gq = report_gq(r, g, q);
    unsigned id = ++o->ids;
    int64_t max = 1;
    for (size_t j = 0; j < rq->ncols; j++)
        if (gq->count[j] > max)
            max = gq->count[j];
    const int row = 24, label_w = 190, bar_w = 260;
    int height = (int)rq->ncols * row + 8;
    outs(o, "<div class=\"chart-and-table\">\n");
    outf(o,
         "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-%u\" width=\"%d\" "
         "height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
         "<title id=\"chart-%u\">Bar chart of the answers to: ",
         id, label_w + bar_w + 60, height, label_w + bar_w + 60, height, id);
    text(o, rq->text);
    outs(o, " (the same figures are in the table beside it)</title>\n");
    for (size_t j = 0; j < rq->ncols; j++) {
        int y = (int)j * row + 4;
        const char *label = col_label(rq, j);
        outf(o, "<text x=\"0\" y=\"%d\" class=\"label\">", y + 15);
        char cut[64];
        size_t n = strlen(label);
        if (n > 30) {
            n = 28;
            while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
                n--;
            snprintf(cut, sizeof(cut), "%.*s...", (int)n, label);
            text(o, cut);
        } else {
            text(o, label);
        }
        outs(o, "</text>\n");
        int w = (int)lround((double)bar_w * (double)gq->count[j] / (double)max);
        outf(o,
             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>\n"
             "<text x=\"%d\" y=\"%d\" class=\"value\">%lld</text>\n",
             label_w, y + 2, w, row - 6, label_w + w + 6, y + 15, (long long)gq->count[j]);
    }
    outs(o, "</svg>\n<table>\n<caption>");
    text(o, rq->text);
    outs(o, "</caption>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">Count</th>"
            "<th scope=\"col\">Share</th></tr></thead>\n<tbody>\n");
    for (size_t j = 0; j < rq->ncols; j++) {
        char c[32], p[16];
        count_str(gq, j, c);
        share_str(gq, j, p, sizeof(p));
        outs(o, "<tr><th scope=\"row\">");
        text(o, col_label(rq, j));
        outf(o, "</th><td>%s</td><td>%s</td></tr>\n", c, p);
    }
    outf(o, "<tr><th scope=\"row\">Answers</th><td>%lld</td><td></td></tr>\n", (long long)gq->n);
    outs(o, "</tbody>\n</table>\n</div>\n");
    if (rq->type == SURVEY_SCALE && report_row_complete(r, g, q) && gq->score.n >= r->k)
        outf(o, "<p class=\"mean\">Mean %.2f on a scale of 1 to 5 (n = %lld).</p>\n",
             stats_mean(&gq->score), (long long)gq->score.n);
}

static void html_question(struct out *o, size_t g, size_t q)
{
    const struct rq *rq = &o->r->q[q];
    outs(o, "<div class=\"question\">\n<h4>");
    text(o, rq->text);
    outs(o, "</h4>\n<p class=\"meta\">");
    text(o, rq->id);
    outf(o, " &middot; %s &middot; %s</p>\n", type_name(rq->type), when_words(rq->when));
    html_chart(o, g, q);
    outs(o, "</div>\n");
}

/* ---- groups ---- */

static void group_heading(struct out *o, size_t g)
{
    const struct report *r = o->r;
    const struct group *grp = &r->g[g];
    char n[160];
    if (grp->hidden)
        snprintf(n, sizeof(n), "%lld so far, not shown until there are %d", (long long)grp->n,
                 r->k);
    else if (grp->held)
        snprintf(n, sizeof(n), "%lld, and %lld not yet shown from %zu class%s with fewer than %d",
                 (long long)grp->n, (long long)grp->held, grp->nheld, grp->nheld == 1 ? "" : "es",
                 r->k);
    else
        snprintf(n, sizeof(n), "%lld", (long long)grp->n);
    if (o->html)
        outf(o, "<section class=\"group\" id=\"group-%zu\">\n<h3>", g);
    else
        outs(o, "\n\n--- ");
    switch (grp->kind) {
    case GROUP_COHORT: {
        const struct store_cohort *c = grp->cohort;
        char d[11];
        day_str(c->created_day, d);
        outs(o, "Class ");
        text(o, c->code);
        outs(o, ": ");
        text(o, c->label);
        outf(o, o->html ? "</h3>\n<p class=\"meta\">" : "\n    ");
        text(o, c->school ? c->school : "no school given");
        outs(o, ", version ");
        text(o, c->package_version);
        outf(o, ", created %s, %s. Answers: %s.", d, c->open ? "open" : "closed", n);
        outs(o, o->html ? "</p>\n" : "\n");
        break;
    }
    case GROUP_SCHOOL:
        outs(o, "School: ");
        text(o, grp->name);
        outf(o, o->html ? "</h3>\n<p class=\"meta\">Answers: %s.</p>\n" : "\n    Answers: %s.\n",
             n);
        break;
    case GROUP_VERSION:
        outs(o, "Package version ");
        text(o, grp->name);
        outf(o, o->html ? "</h3>\n<p class=\"meta\">Answers: %s.</p>\n" : "\n    Answers: %s.\n",
             n);
        break;
    case GROUP_ALL:
        outf(o,
             o->html ? "All answers</h3>\n<p class=\"meta\">Answers: %s.</p>\n"
                     : "All answers\n    Answers: %s.\n",
             n);
        break;
    }
}

static void render_group(struct out *o, size_t g, bool comments)
{
    const struct report *r = o->r;
    group_heading(o, g);
    if (r->g[g].hidden) {
        outf(o, o->html ? "<p class=\"hidden-group\">%s %d %s</p>\n</section>\n" : "    %s %d %s\n",
             "Not shown yet: this class has fewer than", r->k,
             "answers, so its answers are left out of every figure in this report, totals "
             "included, until it has that many.");
        return;
    }
    for (size_t q = 0; q < r->nq; q++) {
        if (!report_gq(r, g, q)->asked)
            continue;
        if (o->html)
            html_question(o, g, q);
        else
            text_question(o, g, q);
    }
    render_pairs(o, g);
    if (comments)
        render_comments(o, g);
    if (o->html)
        outs(o, "</section>\n");
}

/* ---- version comparison ---- */

static void compare_versions(struct out *o)
{
    const struct report *r = o->r;
    size_t ga = r->cmp_a, gb = r->cmp_b;
    const struct group *a = &r->g[ga], *b = &r->g[gb];
    if (o->html) {
        outs(o, "<section class=\"compare\" id=\"compare\">\n<h2>Version ");
        text(o, a->name);
        outs(o, " and version ");
        text(o, b->name);
        outs(o, " side by side</h2>\n");
    } else {
        outf(o, "\n\n=== Version %s and version %s side by side\n", a->name, b->name);
    }
    /* The change log of every version after a, up to b. */
    for (size_t v = a->ver + 1; v <= b->ver && v < r->nvers; v++) {
        const struct survey *sv = r->vers[v].sv;
        if (!sv->change_count)
            continue;
        if (o->html) {
            outs(o, "<h3>What changed in ");
            text(o, sv->package_version);
            if (sv->change_date) {
                outs(o, " (");
                text(o, sv->change_date);
                outs(o, ")");
            }
            outs(o, "</h3>\n<ul class=\"changes\">\n");
        } else {
            outf(o, "\nWhat changed in %s%s%s%s:\n", sv->package_version,
                 sv->change_date ? " (" : "", sv->change_date ? sv->change_date : "",
                 sv->change_date ? ")" : "");
        }
        for (size_t i = 0; i < sv->change_count; i++) {
            outs(o, o->html ? "<li>" : "  - ");
            text(o, sv->changes[i]);
            outs(o, o->html ? "</li>\n" : "\n");
        }
        if (o->html)
            outs(o, "</ul>\n");
    }
    for (size_t q = 0; q < r->nq; q++) {
        const struct rq *rq = &r->q[q];
        const struct gq *qa = report_gq(r, ga, q), *qb = report_gq(r, gb, q);
        if (!qa->asked || !qb->asked)
            continue;
        if (o->html) {
            outs(o, "<table class=\"side-by-side\">\n<caption>");
            text(o, rq->text);
            outs(o, "</caption>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">");
            text(o, a->name);
            outs(o, "</th><th scope=\"col\">");
            text(o, b->name);
            outs(o, "</th></tr></thead>\n<tbody>\n");
        } else {
            outf(o, "\n%s\n  %-40s %14s %14s\n", rq->text, "", a->name, b->name);
        }
        for (size_t j = 0; j <= rq->ncols; j++) {
            char ca[48], cb[48], pa[16], pb[16];
            const char *label = j < rq->ncols ? col_label(rq, j) : "Answers";
            if (j < rq->ncols) {
                count_str(qa, j, ca);
                count_str(qb, j, cb);
                share_str(qa, j, pa, sizeof(pa));
                share_str(qb, j, pb, sizeof(pb));
            } else {
                snprintf(ca, sizeof(ca), "%lld", (long long)qa->n);
                snprintf(cb, sizeof(cb), "%lld", (long long)qb->n);
                pa[0] = pb[0] = '\0';
            }
            if (o->html) {
                outs(o, "<tr><th scope=\"row\">");
                text(o, label);
                outf(o, "</th><td>%s %s</td><td>%s %s</td></tr>\n", ca, pa, cb, pb);
            } else {
                char sa[64], sb[64];
                snprintf(sa, sizeof(sa), "%s %s", ca, pa);
                snprintf(sb, sizeof(sb), "%s %s", cb, pb);
                outf(o, "  %-40.40s %14s %14s\n", label, sa, sb);
            }
        }
        struct stats_diff d;
        if (rq->type == SURVEY_SCALE && report_group_diff(r, ga, gb, q, &d)) {
            char ds[96];
            diff_str(&d, ds, sizeof(ds));
            if (o->html)
                outf(o,
                     "<tr><th scope=\"row\">Mean (1 to 5)</th><td>%.2f</td><td>%.2f</td></tr>\n"
                     "</tbody>\n</table>\n<p class=\"mean\">Change in the mean: %s.</p>\n",
                     stats_mean(&qa->score), stats_mean(&qb->score), ds);
            else
                outf(o, "  %-40s %14.2f %14.2f\n  Change in the mean: %s\n", "Mean (1 to 5)",
                     stats_mean(&qa->score), stats_mean(&qb->score), ds);
        } else if (o->html) {
            outs(o, "</tbody>\n</table>\n");
        }
    }
    if (o->html)
        outs(o, "</section>\n");
}

static void focus_groups(struct out *o)
{
    const struct report *r = o->r;
    if (!r->nfgs)
        return;
    outs(o, o->html ? "<section id=\"focus-groups\">\n<h2>Focus groups</h2>\n"
                    : "\n\n=== Focus groups\n");
    for (size_t i = 0; i < r->nfgs; i++) {
        const struct store_focus_group *f = &r->fgs[i];
        if (r->filter != SIZE_MAX &&
            (!f->cohort_code || strcmp(f->cohort_code, r->g[r->filter].name) != 0))
            continue;
        char d[11];
        day_str(f->day, d);
        if (o->html) {
            outf(o, "<article class=\"focus-group\">\n<h3>%s", d);
            if (f->cohort_code) {
                outs(o, ", class ");
                text(o, f->cohort_code);
            }
            outs(o, "</h3>\n<p><strong>Themes:</strong> ");
            text(o, f->themes);
            outs(o, "</p>\n<p>");
            text(o, f->notes);
            outs(o, "</p>\n<blockquote>");
            text(o, f->quotes);
            outs(o, "</blockquote>\n</article>\n");
        } else {
            outf(o, "\n%s%s%s\n  Themes: ", d, f->cohort_code ? ", class " : "",
                 f->cohort_code ? f->cohort_code : "");
            text(o, f->themes);
            outs(o, "\n  Notes: ");
            text(o, f->notes);
            outs(o, "\n  Quotes: ");
            text(o, f->quotes);
            outs(o, "\n");
        }
    }
    if (o->html)
        outs(o, "</section>\n");
}

static const char *const html_style =
    "<style>\n"
    "body{font-family:system-ui,sans-serif;line-height:1.45;margin:1rem auto;max-width:70rem;"
    "padding:0 1rem;color:#1b1b1b}\n"
    "h1,h2,h3{line-height:1.2}\n"
    ".meta{color:#4a4a4a}\n"
    ".chart-and-table{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}\n"
    ".chart .bar{fill:#1d5fa8}.chart text{font-size:12px;fill:#1b1b1b}\n"
    "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;"
    "padding:.2rem .5rem;text-align:left}td{text-align:right}\n"
    ".group{border-top:2px solid #ddd;margin-top:2rem}\n"
    "</style>\n";

int report_write(const struct report *r, enum report_format format, const struct report_sink *sink)
{
    struct out o = {.r = r, .sink = sink, .html = format == REPORT_HTML};
    buf_init(&o.b, 0);
    char today[11];
    day_str(r->today, today);
    if (o.html && !r->html_fragment) {
        outs(&o, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>Feedback report</title>\n");
        outs(&o, html_style);
        outs(&o, "</head>\n<body>\n<main>\n");
    }
    if (o.html) {
        /* A fragment goes under the embedding page's own heading. */
        if (!r->html_fragment)
            outs(&o, "<h1>Feedback report</h1>\n");
        outf(&o, "<p>Made on %s", today);
        if (r->source) {
            outs(&o, " from ");
            text(&o, r->source);
        }
        outf(&o, ". %s %d %s</p>\n", HOLD_BACK_1, r->k, HOLD_BACK_2);
    } else {
        outf(&o, "Feedback report, made on %s%s%s.\n", today, r->source ? " from " : "",
             r->source ? r->source : "");
        outf(&o, "%s %d %s\n", HOLD_BACK_1, r->k, HOLD_BACK_2);
    }
    if (r->school) {
        outs(&o, o.html ? "<p>Only the classes of " : "Only the classes of ");
        text(&o, r->school);
        outs(&o, o.html ? ".</p>\n" : ".\n");
    }
    if (r->unreadable)
        outf(&o,
             o.html ? "<p>%lld answers could not be read and are left out.</p>\n"
                    : "%lld answers could not be read and are left out.\n",
             (long long)r->unreadable);

    if (r->filter != SIZE_MAX) {
        render_group(&o, r->filter, true);
    } else {
        const struct group *all = &r->g[r->all];
        outf(&o,
             o.html
                 ? "<p>%lld answers from %zu class%s in %zu school%s; %zu package version%s.</p>\n"
                 : "%lld answers from %zu class%s in %zu school%s; %zu package version%s.\n",
             (long long)all->n, r->ncohorts - all->nheld, r->ncohorts - all->nheld == 1 ? "" : "es",
             r->nschools, r->nschools == 1 ? "" : "s", r->nversions, r->nversions == 1 ? "" : "s");
        if (all->held)
            outf(&o,
                 o.html
                     ? "<p>Not yet shown: %lld answers from %zu class%s with fewer than %d.</p>\n"
                     : "Not yet shown: %lld answers from %zu class%s with fewer than %d.\n",
                 (long long)all->held, all->nheld, all->nheld == 1 ? "" : "es", r->k);
        if (r->cmp_a != SIZE_MAX && r->cmp_b != SIZE_MAX && r->cmp_a != r->cmp_b)
            compare_versions(&o);
        outs(&o, o.html ? "<h2>By package version</h2>\n" : "\n\n=== By package version\n");
        for (size_t v = 0; v < r->nversions; v++)
            render_group(&o, r->first_version + v, true);
        outs(&o, o.html ? "<h2>By school</h2>\n" : "\n\n=== By school\n");
        for (size_t s = 0; s < r->nschools; s++)
            render_group(&o, r->first_school + s, false);
        outs(&o, o.html ? "<h2>By class</h2>\n" : "\n\n=== By class\n");
        for (size_t c = 0; c < r->ncohorts; c++)
            render_group(&o, c, false);
    }
    focus_groups(&o);
    if (o.html && !r->html_fragment)
        outs(&o, "</main>\n</body>\n</html>\n");
    flush(&o, true);
    bool ok = !o.failed && buf_ok(&o.b);
    buf_release(&o.b);
    return ok ? 0 : -1;
}

/* ---- CSV ---- */

struct csv_ctx {
    struct out *o;
    const struct report *r;
    size_t g;
    struct survey_decoder dec;
    const char **cells; /* per question, this row's answer */
    struct buf joined;  /* multi answers joined with "; " */
    size_t *joined_at;
    struct buf rows; /* this class's rows, shuffled before they are written */
    size_t *starts;
    size_t nrows;
    size_t starts_cap;
};

static const char *option_label(const struct pkg_survey_question *sq, const char *id)
{
    int i = survey_option_index(sq, id);
    return i < 0 ? id : survey_option_label(sq, (size_t)i);
}

static int csv_row(const struct store_answer_row *row, void *ctx)
{
    struct csv_ctx *c = ctx;
    const struct report *r = c->r;
    const struct group *grp = &r->g[c->g];
    const struct survey_item *items;
    size_t n;
    size_t v = grp->ver;
    if (v == SIZE_MAX || strcmp(r->vers[v].sv->package_version, row->package_version) != 0 ||
        survey_answer_decode(&c->dec, row->body, row->body_len, &items, &n) != 0)
        return 0;
    const struct survey *sv = r->vers[v].sv;
    buf_reset(&c->joined);
    for (size_t q = 0; q < r->nq; q++) {
        c->cells[q] = NULL;
        c->joined_at[q] = SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        const struct survey_item *it = &items[i];
        const struct pkg_survey_question *sq = survey_question(sv, it->question_id);
        size_t q = 0;
        while (q < r->nq && strcmp(r->q[q].id, it->question_id) != 0)
            q++;
        if (!sq || q == r->nq)
            continue;
        if (it->prefer_not) {
            c->cells[q] = "Prefer not to say";
        } else if (sq->type == SURVEY_TEXT) {
            c->cells[q] = it->value_count ? it->values[0] : NULL;
        } else if (it->value_count == 1) {
            c->cells[q] = option_label(sq, it->values[0]);
        } else {
            c->joined_at[q] = c->joined.len;
            for (size_t j = 0; j < it->value_count; j++) {
                if (j)
                    buf_adds(&c->joined, "; ");
                buf_adds(&c->joined, option_label(sq, it->values[j]));
            }
            buf_addc(&c->joined, '\0');
        }
    }
    struct buf *b = &c->rows;
    XGROW(c->starts, c->starts_cap, c->nrows + 2);
    c->starts[c->nrows++] = b->len;
    csv_adds_cell(b, grp->cohort->code);
    buf_addc(b, ',');
    csv_adds_cell(b, grp->cohort->school ? grp->cohort->school : "");
    buf_addc(b, ',');
    csv_adds_cell(b, row->package_version);
    for (size_t q = 0; q < r->nq; q++) {
        buf_addc(b, ',');
        const char *cell =
            c->joined_at[q] != SIZE_MAX ? c->joined.ptr + c->joined_at[q] : c->cells[q];
        csv_adds_cell(b, cell ? cell : "");
    }
    buf_adds(b, "\r\n");
    return buf_ok(b) ? 0 : -1;
}

/* Writes a class's rows in random order: storage order roughly follows arrival. */
static void csv_flush_class(struct csv_ctx *c)
{
    size_t n = c->nrows;
    if (n == 0)
        return;
    size_t *idx = xmalloc(n * sizeof(*idx));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t r = randombytes_uniform((uint32_t)i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[r];
        idx[r] = t;
    }
    c->starts[n] = c->rows.len;
    for (size_t i = 0; i < n; i++) {
        size_t k = idx[i];
        buf_add(&c->o->b, c->rows.ptr + c->starts[k], c->starts[k + 1] - c->starts[k]);
        flush(c->o, false);
    }
    free(idx);
    buf_reset(&c->rows);
    c->nrows = 0;
}

int report_write_csv(struct store *s, const struct report *r, const struct report_sink *sink)
{
    struct out o = {.r = r, .sink = sink};
    buf_init(&o.b, 0);
    struct csv_ctx c = {.o = &o, .r = r};
    survey_decoder_init(&c.dec);
    buf_init(&c.joined, 1 << 20);
    buf_init(&c.rows, 0);
    c.cells = xcalloc(r->nq ? r->nq : 1, sizeof(*c.cells));
    c.joined_at = xcalloc(r->nq ? r->nq : 1, sizeof(*c.joined_at));
    buf_adds(&o.b, "class_code,school,package_version");
    for (size_t q = 0; q < r->nq; q++) {
        buf_addc(&o.b, ',');
        csv_adds_cell(&o.b, r->q[q].id);
    }
    buf_adds(&o.b, "\r\n");
    int rc = 0;
    /* Classes held back are left out whole, as from every other figure. */
    for (size_t g = 0; g < r->ncohorts && rc == 0; g++) {
        if (r->g[g].hidden || (r->filter != SIZE_MAX && g != r->filter))
            continue;
        c.g = g;
        rc = store_answers_each(s, r->cohorts[g].id, csv_row, &c);
        if (rc == 0 && !buf_ok(&c.rows))
            rc = -1;
        if (rc == 0)
            csv_flush_class(&c);
        if (o.failed)
            rc = -1;
    }
    flush(&o, true);
    if (rc == 0 && (o.failed || !buf_ok(&o.b)))
        rc = -1;
    free(c.cells);
    free(c.joined_at);
    free(c.starts);
    buf_release(&c.rows);
    buf_release(&c.joined);
    survey_decoder_release(&c.dec);
    buf_release(&o.b);
    return rc;
}

int report_sink_file(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

int report_sink_buf(void *ctx, const void *data, size_t len)
{
    struct buf *b = ctx;
    buf_add(b, data, len);
    return buf_ok(b) ? 0 : -1;
}
