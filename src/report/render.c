/*
 * Writing a built report as text or HTML: the parts both share (the heading, each group, the
 * version comparison, focus groups) and the output helpers every format uses. Figures come
 * only through report.c's accessors, which refuse what a held-back class holds; questions are
 * written by render_text.c and render_html.c; data files by export.c.
 */
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/render.h"

/* The rule, said once at the top of every report. */
#define HOLD_BACK_1 "A class with fewer than"
#define HOLD_BACK_2                                                                                \
    "answers is left out of every figure, totals included, until it has that many;\n"              \
    "the report says how many answers are not yet shown."
/* What the figures count. */
#define COUNTS_ARE                                                                                 \
    "Figures count submissions of the feedback form, not pupils. A share is of those who\n"        \
    "answered the question; \"No answer\" is counted beside the shares, not in them."

void out_flush(struct out *o, bool force)
{
    if (o->failed || (!force && o->b.len < (size_t)64 * 1024))
        return;
    if (o->b.len && o->sink->write(o->sink->ctx, o->b.ptr, o->b.len) != 0)
        o->failed = true;
    buf_reset(&o->b);
}

void out_fmt(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&o->b, fmt, ap);
    va_end(ap);
    out_flush(o, false);
}

void out_str(struct out *o, const char *s)
{
    buf_adds(&o->b, s);
    out_flush(o, false);
}

/* Text in HTML is escaped; in plain text, it is written as stored (already cleaned). */
void out_text(struct out *o, const char *s)
{
    if (o->html)
        buf_adds_html(&o->b, s ? s : "");
    else
        buf_adds(&o->b, s ? s : "");
    out_flush(o, false);
}

void out_day(int day, char out[11])
{
    store_day_format(day, out);
}

const char *out_when(enum survey_when w)
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

const char *out_type(enum survey_type t)
{
    static const char *const names[] = {"scale", "single choice", "multiple choice", "yes / no",
                                        "text"};
    return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "question";
}

const char *out_col_label(const struct rq *q, size_t j)
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
size_t out_int(long long v, char *buf)
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

void out_count(const struct report *r, size_t g, size_t q, size_t j, char *buf)
{
    int64_t v;
    if (report_count(r, g, q, j, &v) == 0)
        out_int((long long)v, buf);
    else
        buf[0] = '\0';
}

/*
 * The share of those who answered the question, as a whole percentage rounded as printf's
 * %.0f rounds (to nearest, ties to even: rint in the default rounding mode). "No answer" is
 * beside the shares, not inside them: a question asked only at the end would otherwise look
 * less popular than it is. A text question has no shares.
 */
void out_share(const struct report *r, size_t g, size_t q, size_t j, char *buf, size_t size)
{
    buf[0] = '\0';
    const struct rq *rq = &r->q[q];
    size_t none = rq->ncols - 1;
    int64_t v, n, skipped;
    if (rq->type == SURVEY_TEXT || j == none || report_count(r, g, q, j, &v) != 0 ||
        report_answers(r, g, q, &n) != 0 || report_count(r, g, q, none, &skipped) != 0 ||
        n - skipped <= 0)
        return;
    n -= skipped;
    char tmp[32];
    size_t len = out_int((long long)rint(100.0 * (double)v / (double)n), tmp);
    tmp[len++] = '%';
    if (len > size - 1)
        len = size - 1;
    memcpy(buf, tmp, len);
    buf[len] = '\0';
}

/* Appends s in a field of width bytes, as printf's %-W.Ws (left, cut to width) or %Ws. */
void out_field(struct buf *b, const char *s, size_t width, bool left)
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

void out_diff(const struct stats_diff *d, char *buf, size_t size)
{
    snprintf(buf, size, "%+.2f (95%% CI %+.2f to %+.2f)", d->diff, d->low, d->high);
}

/* A mean the report lets out; NAN when it does not (never printed: callers check first). */
static double mean_of(const struct report *r, size_t g, size_t q)
{
    double m;
    int64_t n;
    return report_mean(r, g, q, &m, &n) == 0 ? m : NAN;
}

static void render_pairs(struct out *o, size_t g)
{
    const struct report *r = o->r;
    bool any = false;
    for (size_t p = 0; p < r->npairs; p++) {
        const struct rpair *pr = &r->pairs[p];
        if (!report_asked(r, g, pr->before) || !report_asked(r, g, pr->after))
            continue;
        struct stats_diff d;
        bool ok = report_pair_diff(r, p, g, &d);
        const struct rq *b = &r->q[pr->before], *a = &r->q[pr->after];
        char ds[96] = "";
        if (ok)
            out_diff(&d, ds, sizeof(ds));
        if (!any)
            out_str(o, o->html ? "<h4>Before and after</h4>\n<ul class=\"pairs\">\n"
                               : "\nBefore and after (change in the mean, 1 to 5):\n");
        any = true;
        out_str(o, o->html ? "<li>" : "  ");
        out_text(o, a->text);
        if (!ok) {
            out_str(o, o->html ? ": too few answers on either side.</li>\n"
                               : ": too few answers on either side.\n");
            continue;
        }
        if (pr->paired)
            out_fmt(o, ": looking back %.2f, now %.2f, the same %lld pupils: %s%s",
                    mean_of(r, g, pr->before), mean_of(r, g, pr->after), (long long)d.n_before, ds,
                    o->html ? "</li>\n" : "\n");
        else
            out_fmt(o, ": start %.2f (n = %lld), end %.2f (n = %lld): %s%s",
                    mean_of(r, g, pr->before), (long long)d.n_before, mean_of(r, g, pr->after),
                    (long long)d.n_after, ds, o->html ? "</li>\n" : "\n");
        (void)b;
    }
    if (any && o->html)
        out_str(o, "</ul>\n");
}

static void render_comments(struct out *o, size_t g)
{
    const struct report *r = o->r;
    for (size_t q = 0; q < r->nq; q++) {
        if (r->q[q].type != SURVEY_TEXT)
            continue;
        size_t n;
        int64_t dropped;
        const char **v;
        if (report_comments(r, g, q, COMMENTS_SHOWN, &v, &n, &dropped) != 0)
            continue;
        if (n == 0) {
            free(v);
            continue;
        }
        if (o->html) {
            out_str(o, "<h4>");
            out_text(o, r->q[q].text);
            out_fmt(o, " (%zu comments)</h4>\n<ul class=\"comments\">\n", n);
        } else {
            out_fmt(o, "\nComments on \"%s\" (%zu):\n", r->q[q].text, n);
        }
        for (size_t i = 0; i < n && i < COMMENTS_SHOWN; i++) {
            out_str(o, o->html ? "<li>" : "  - ");
            if (o->html) {
                out_text(o, v[i]);
            } else {
                /* Keep each comment on its own indented lines. */
                for (const char *p = v[i]; *p; p++) {
                    buf_addc(&o->b, *p);
                    if (*p == '\n')
                        buf_adds(&o->b, "    ");
                }
            }
            out_str(o, o->html ? "</li>\n" : "\n");
        }
        int64_t more = (int64_t)(n > COMMENTS_SHOWN ? n - COMMENTS_SHOWN : 0) + dropped;
        if (more > 0)
            out_fmt(o,
                    o->html ? "<li class=\"more\">and %lld more (see the CSV export)</li>\n"
                            : "  ... and %lld more (see the CSV export)\n",
                    (long long)more);
        if (o->html)
            out_str(o, "</ul>\n");
        free(v);
    }
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
        out_fmt(o, "<section class=\"group\" id=\"group-%zu\">\n<h3>", g);
    else
        out_str(o, "\n\n--- ");
    switch (grp->kind) {
    case GROUP_COHORT: {
        const struct store_cohort *c = grp->cohort;
        char d[11];
        out_day(c->created_day, d);
        out_str(o, "Class ");
        out_text(o, c->code);
        out_str(o, ": ");
        out_text(o, c->label);
        out_fmt(o, o->html ? "</h3>\n<p class=\"meta\">" : "\n    ");
        out_text(o, c->school ? c->school : "no school given");
        out_str(o, ", version ");
        out_text(o, c->package_version);
        out_fmt(o, ", created %s, %s. Answers: %s.", d, c->open ? "open" : "closed", n);
        out_str(o, o->html ? "</p>\n" : "\n");
        break;
    }
    case GROUP_SCHOOL:
        out_str(o, "School: ");
        out_text(o, grp->name);
        out_fmt(o, o->html ? "</h3>\n<p class=\"meta\">Answers: %s.</p>\n" : "\n    Answers: %s.\n",
                n);
        break;
    case GROUP_VERSION:
        out_str(o, "Package version ");
        out_text(o, grp->name);
        out_fmt(o, o->html ? "</h3>\n<p class=\"meta\">Answers: %s.</p>\n" : "\n    Answers: %s.\n",
                n);
        break;
    case GROUP_ALL:
        out_fmt(o,
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
        out_fmt(o,
                o->html ? "<p class=\"hidden-group\">%s %d %s</p>\n</section>\n" : "    %s %d %s\n",
                "Not shown yet: this class has fewer than", r->k,
                "answers, so its answers are left out of every figure in this report, totals "
                "included, until it has that many.");
        return;
    }
    for (size_t q = 0; q < r->nq; q++) {
        if (!report_asked(r, g, q))
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
        out_str(o, "</section>\n");
}

/* ---- version comparison ---- */

static void compare_versions(struct out *o)
{
    const struct report *r = o->r;
    size_t ga = r->cmp_a, gb = r->cmp_b;
    const struct group *a = &r->g[ga], *b = &r->g[gb];
    if (o->html) {
        out_str(o, "<section class=\"compare\" id=\"compare\">\n<h2>Version ");
        out_text(o, a->name);
        out_str(o, " and version ");
        out_text(o, b->name);
        out_str(o, " side by side</h2>\n");
    } else {
        out_fmt(o, "\n\n=== Version %s and version %s side by side\n", a->name, b->name);
    }
    /* The change log of every version after a, up to b. */
    for (size_t v = a->ver + 1; v <= b->ver && v < r->nvers; v++) {
        const struct survey *sv = r->vers[v].sv;
        if (!sv->change_count)
            continue;
        if (o->html) {
            out_str(o, "<h3>What changed in ");
            out_text(o, sv->package_version);
            if (sv->change_date) {
                out_str(o, " (");
                out_text(o, sv->change_date);
                out_str(o, ")");
            }
            out_str(o, "</h3>\n<ul class=\"changes\">\n");
        } else {
            out_fmt(o, "\nWhat changed in %s%s%s%s:\n", sv->package_version,
                    sv->change_date ? " (" : "", sv->change_date ? sv->change_date : "",
                    sv->change_date ? ")" : "");
        }
        for (size_t i = 0; i < sv->change_count; i++) {
            out_str(o, o->html ? "<li>" : "  - ");
            out_text(o, sv->changes[i]);
            out_str(o, o->html ? "</li>\n" : "\n");
        }
        if (o->html)
            out_str(o, "</ul>\n");
    }
    for (size_t q = 0; q < r->nq; q++) {
        const struct rq *rq = &r->q[q];
        int64_t na, nb;
        if (report_answers(r, ga, q, &na) != 0 || report_answers(r, gb, q, &nb) != 0)
            continue;
        if (o->html) {
            out_str(o, "<table class=\"side-by-side\">\n<caption>");
            out_text(o, rq->text);
            out_str(o, "</caption>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">");
            out_text(o, a->name);
            out_str(o, "</th><th scope=\"col\">");
            out_text(o, b->name);
            out_str(o, "</th></tr></thead>\n<tbody>\n");
        } else {
            out_fmt(o, "\n%s\n  %-40s %14s %14s\n", rq->text, "", a->name, b->name);
        }
        for (size_t j = 0; j <= rq->ncols; j++) {
            char ca[48], cb[48], pa[16], pb[16];
            const char *label = j < rq->ncols ? out_col_label(rq, j) : "Answers";
            if (j < rq->ncols) {
                out_count(r, ga, q, j, ca);
                out_count(r, gb, q, j, cb);
                out_share(r, ga, q, j, pa, sizeof(pa));
                out_share(r, gb, q, j, pb, sizeof(pb));
            } else {
                snprintf(ca, sizeof(ca), "%lld", (long long)na);
                snprintf(cb, sizeof(cb), "%lld", (long long)nb);
                pa[0] = pb[0] = '\0';
            }
            if (o->html) {
                out_str(o, "<tr><th scope=\"row\">");
                out_text(o, label);
                out_fmt(o, "</th><td>%s %s</td><td>%s %s</td></tr>\n", ca, pa, cb, pb);
            } else {
                char sa[64], sb[64];
                snprintf(sa, sizeof(sa), "%s %s", ca, pa);
                snprintf(sb, sizeof(sb), "%s %s", cb, pb);
                out_fmt(o, "  %-40.40s %14s %14s\n", label, sa, sb);
            }
        }
        struct stats_diff d;
        if (rq->type == SURVEY_SCALE && report_group_diff(r, ga, gb, q, &d)) {
            char ds[96];
            out_diff(&d, ds, sizeof(ds));
            if (o->html)
                out_fmt(o,
                        "<tr><th scope=\"row\">Mean (1 to 5)</th><td>%.2f</td><td>%.2f</td></tr>\n"
                        "</tbody>\n</table>\n<p class=\"mean\">Change in the mean: %s.</p>\n",
                        mean_of(r, ga, q), mean_of(r, gb, q), ds);
            else
                out_fmt(o, "  %-40s %14.2f %14.2f\n  Change in the mean: %s\n", "Mean (1 to 5)",
                        mean_of(r, ga, q), mean_of(r, gb, q), ds);
        } else if (o->html) {
            out_str(o, "</tbody>\n</table>\n");
        }
    }
    if (o->html)
        out_str(o, "</section>\n");
}

static void focus_groups(struct out *o)
{
    const struct report *r = o->r;
    if (!r->nfgs)
        return;
    out_str(o, o->html ? "<section id=\"focus-groups\">\n<h2>Focus groups</h2>\n"
                       : "\n\n=== Focus groups\n");
    for (size_t i = 0; i < r->nfgs; i++) {
        const struct store_focus_group *f = &r->fgs[i];
        if (r->filter != SIZE_MAX &&
            (!f->cohort_code || strcmp(f->cohort_code, r->g[r->filter].name) != 0))
            continue;
        char d[11];
        out_day(f->day, d);
        if (o->html) {
            out_fmt(o, "<article class=\"focus-group\">\n<h3>%s", d);
            if (f->cohort_code) {
                out_str(o, ", class ");
                out_text(o, f->cohort_code);
            }
            out_str(o, "</h3>\n<p><strong>Themes:</strong> ");
            out_text(o, f->themes);
            out_str(o, "</p>\n<p>");
            out_text(o, f->notes);
            out_str(o, "</p>\n<blockquote>");
            out_text(o, f->quotes);
            out_str(o, "</blockquote>\n</article>\n");
        } else {
            out_fmt(o, "\n%s%s%s\n  Themes: ", d, f->cohort_code ? ", class " : "",
                    f->cohort_code ? f->cohort_code : "");
            out_text(o, f->themes);
            out_str(o, "\n  Notes: ");
            out_text(o, f->notes);
            out_str(o, "\n  Quotes: ");
            out_text(o, f->quotes);
            out_str(o, "\n");
        }
    }
    if (o->html)
        out_str(o, "</section>\n");
}

int report_write(const struct report *r, enum report_format format, const struct report_sink *sink)
{
    struct out o = {.r = r, .sink = sink, .html = format == REPORT_HTML};
    buf_init(&o.b, 0);
    char today[11];
    out_day(r->today, today);
    if (o.html && !r->html_fragment) {
        out_str(&o, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>Feedback report</title>\n");
        out_str(&o, report_html_style);
        out_str(&o, "</head>\n<body>\n<main>\n");
    }
    if (o.html) {
        /* A fragment goes under the embedding page's own heading. */
        if (!r->html_fragment)
            out_str(&o, "<h1>Feedback report</h1>\n");
        out_fmt(&o, "<p>Made on %s", today);
        if (r->source) {
            out_str(&o, " from ");
            out_text(&o, r->source);
        }
        out_fmt(&o, ". %s %d %s</p>\n<p>%s</p>\n", HOLD_BACK_1, r->k, HOLD_BACK_2, COUNTS_ARE);
    } else {
        out_fmt(&o, "Feedback report, made on %s%s%s.\n", today, r->source ? " from " : "",
                r->source ? r->source : "");
        out_fmt(&o, "%s %d %s\n%s\n", HOLD_BACK_1, r->k, HOLD_BACK_2, COUNTS_ARE);
    }
    if (r->school) {
        out_str(&o, o.html ? "<p>Only the classes of " : "Only the classes of ");
        out_text(&o, r->school);
        out_str(&o, o.html ? ".</p>\n" : ".\n");
    }
    if (r->unreadable)
        out_fmt(&o,
                o.html ? "<p>%lld answers could not be read and are left out.</p>\n"
                       : "%lld answers could not be read and are left out.\n",
                (long long)r->unreadable);

    if (r->filter != SIZE_MAX) {
        render_group(&o, r->filter, true);
    } else {
        const struct group *all = &r->g[r->all];
        /* Classes with no school are a group of their own, but not a school. */
        size_t schools = r->nschools, unnamed = 0;
        if (schools && strcmp(r->g[r->first_school + schools - 1].name, NO_SCHOOL) == 0) {
            schools--;
            unnamed =
                r->g[r->first_school + schools].nmembers - r->g[r->first_school + schools].nheld;
        }
        char no_school[64] = "";
        if (unnamed)
            snprintf(no_school, sizeof(no_school), " (%zu with no school given)", unnamed);
        out_fmt(&o,
                o.html
                    ? "<p>%lld answers from %zu class%s%s in %zu school%s; %zu package "
                      "version%s.</p>\n"
                    : "%lld answers from %zu class%s%s in %zu school%s; %zu package version%s.\n",
                (long long)all->n, r->ncohorts - all->nheld,
                r->ncohorts - all->nheld == 1 ? "" : "es", no_school, schools,
                schools == 1 ? "" : "s", r->nversions, r->nversions == 1 ? "" : "s");
        if (all->held)
            out_fmt(
                &o,
                o.html ? "<p>Not yet shown: %lld answers from %zu class%s with fewer than %d.</p>\n"
                       : "Not yet shown: %lld answers from %zu class%s with fewer than %d.\n",
                (long long)all->held, all->nheld, all->nheld == 1 ? "" : "es", r->k);
        if (r->cmp_a != SIZE_MAX && r->cmp_b != SIZE_MAX && r->cmp_a != r->cmp_b)
            compare_versions(&o);
        out_str(&o, o.html ? "<h2>By package version</h2>\n" : "\n\n=== By package version\n");
        for (size_t v = 0; v < r->nversions; v++)
            render_group(&o, r->first_version + v, true);
        out_str(&o, o.html ? "<h2>By school</h2>\n" : "\n\n=== By school\n");
        for (size_t s = 0; s < r->nschools; s++)
            render_group(&o, r->first_school + s, false);
        out_str(&o, o.html ? "<h2>By class</h2>\n" : "\n\n=== By class\n");
        for (size_t c = 0; c < r->ncohorts; c++)
            render_group(&o, c, false);
    }
    focus_groups(&o);
    if (o.html && !r->html_fragment)
        out_str(&o, "</main>\n</body>\n</html>\n");
    out_flush(&o, true);
    bool ok = !o.failed && buf_ok(&o.b);
    buf_release(&o.b);
    return ok ? 0 : -1;
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
