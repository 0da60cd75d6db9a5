/*
 * A report as HTML: a summary first (submissions, classes, what is not shown and why, the
 * headline results) and a contents list, then the comparison and every group, each folded
 * in a <details> element so that a lead reads the summary in a minute and opens what they
 * need. Each question is an SVG bar chart (with an axis, "No answer" set apart) beside a
 * table of the same figures. Figures come only through report.c's accessors (directly or
 * through render.c's helpers built on them).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/xalloc.h"
#include "report/render.h"

/* The stylesheet of a whole HTML report (`planpack report --format html`). */
const char *const report_html_style =
    "<style>\n"
    "body{font-family:system-ui,sans-serif;line-height:1.45;margin:1rem auto;max-width:70rem;"
    "padding:0 1rem;color:#1b1b1b}\n"
    "h1,h2,h3{line-height:1.2}\n"
    ".meta{color:#4a4a4a}\n"
    "summary{cursor:pointer;padding:.4rem 0}summary h2,summary h3{display:inline;margin:0}\n"
    "summary .meta{display:block;margin-left:1.2rem}\n"
    ".chart-and-table{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}\n"
    ".chart{width:100%;max-width:26rem;height:auto}\n"
    ".chart text{font-size:15px;fill:#1b1b1b}.chart .tick{font-size:13px}\n"
    ".chart .bar,.chart .a{fill:#1d5fa8}.chart .b{fill:#e3ecf7;stroke:#1d5fa8;stroke-width:2}\n"
    ".chart .none{fill:#fff;stroke:#555;stroke-width:2;stroke-dasharray:4 3}\n"
    ".chart .axis{stroke:#555}.chart .rule{stroke:#555;stroke-dasharray:4 4}\n"
    "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;"
    "padding:.2rem .5rem;text-align:left}td{text-align:right}\n"
    ".group{border-top:2px solid #ddd;margin-top:1rem}\n"
    "@media print{nav.contents,.downloads{display:none}"
    "details::details-content{content-visibility:visible;display:block}"
    "summary{list-style:none}.question{break-inside:avoid}}\n"
    "</style>\n";

/* Chart geometry, in the SVG's own units: 360 wide, drawn at most 26rem wide, so that on a
 * phone its text is drawn at about its nominal 15 px. */
enum {
    CHART_W = 360,
    CHART_BAR_W = 230,
    CHART_ROW = 46,
    CHART_CMP_ROW = 64,
    CHART_AXIS = 44,
    CHART_LABEL_MAX = 44,
};

/* The shortest "nice" axis end (1, 2 or 5 times a power of ten) at or above v. */
static int64_t nice_max(int64_t v)
{
    int64_t p = 1;
    for (;;) {
        if (v <= p)
            return p;
        if (v <= 2 * p)
            return 2 * p;
        if (v <= 5 * p)
            return 5 * p;
        p *= 10;
    }
}

/* A label cut (at a character boundary) to fit the chart's width. */
static void chart_label(struct out *o, const char *label)
{
    size_t n = strlen(label);
    if (n <= CHART_LABEL_MAX) {
        out_text(o, label);
        return;
    }
    char cut[CHART_LABEL_MAX + 8];
    n = CHART_LABEL_MAX - 3;
    while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
        n--;
    snprintf(cut, sizeof(cut), "%.*s...", (int)n, label);
    out_text(o, cut);
}

static void chart_open(struct out *o, int height, const char *title)
{
    unsigned id = ++o->ids;
    if (o->standalone)
        out_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out_fmt(o,
            "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-%u\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            "<title id=\"chart-%u\">",
            id, CHART_W, height, CHART_W, height, id);
    out_textf(o, "%s</title>\n", title);
    if (o->standalone)
        out_str(o, "<style>text{font-family:DejaVu Sans,Arial,sans-serif;font-size:15px;"
                   "fill:#1b1b1b}.tick{font-size:13px}.bar,.a{fill:#1d5fa8}.b{fill:#e3ecf7;"
                   "stroke:#1d5fa8;stroke-width:2}.none{fill:#fff;stroke:#555;stroke-width:2;"
                   "stroke-dasharray:4 3}.axis,.rule{stroke:#555;stroke-width:1}.rule{"
                   "stroke-dasharray:4 4}</style>\n"
                   "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
}

/* The axis under the bars, from 0 to top, with the name of what it counts. */
static void chart_axis(struct out *o, int y, int64_t top, const char *unit, const char *suffix)
{
    out_fmt(o, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", y, CHART_BAR_W,
            y);
    int64_t ticks[3] = {0, top % 2 == 0 ? top / 2 : -1, top};
    for (size_t i = 0; i < 3; i++) {
        if (ticks[i] < 0)
            continue;
        int x = (int)lround((double)CHART_BAR_W * (double)ticks[i] / (double)top);
        out_fmt(o,
                "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"%s\">%lld%s</text>\n",
                x, y, x, y + 5, x, y + 19,
                i == 0   ? "start"
                : i == 2 ? "end"
                         : "middle",
                (long long)ticks[i], suffix);
    }
    out_fmt(o, "<text class=\"tick\" x=\"%d\" y=\"%d\">%s</text>\n", 0, y + 37, unit);
}

/* A dashed rule and the "No answer" row's own note, apart from the answers above it. */
static void chart_rule(struct out *o, int y)
{
    out_fmt(o, "<line class=\"rule\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", y, CHART_W, y);
}

/* One group's answers to one question: a bar per answer, counts on an axis. */
void html_chart(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    size_t none = rq->ncols - 1;
    int64_t v, max = 1;
    for (size_t j = 0; j < rq->ncols; j++)
        if (report_count(r, g, q, j, &v) == 0 && v > max)
            max = v;
    int64_t top = nice_max(max);
    int height = (int)none * CHART_ROW + CHART_AXIS + 12 + CHART_ROW + 6;
    char title[600];
    snprintf(title, sizeof(title),
             "Bar chart of the submissions for: %s (the same figures are in the table)", rq->text);
    chart_open(o, height, title);
    for (size_t j = 0; j < rq->ncols; j++) {
        int y = (int)j * CHART_ROW;
        if (j == none) {
            int ya = (int)none * CHART_ROW + 4;
            chart_axis(o, ya, top, "submissions", "");
            y = ya + CHART_AXIS + 12;
            chart_rule(o, y - 6);
        }
        if (report_count(r, g, q, j, &v) != 0)
            continue;
        char share[16];
        out_share(r, g, q, j, share, sizeof(share));
        int w = (int)lround((double)CHART_BAR_W * (double)v / (double)top);
        out_fmt(o, "<text class=\"label\" x=\"0\" y=\"%d\">", y + 17);
        chart_label(o, out_col_label(rq, j));
        out_fmt(o,
                "</text><rect class=\"%s\" x=\"0\" y=\"%d\" width=\"%d\" height=\"18\"/>"
                "<text class=\"value\" x=\"%d\" y=\"%d\">%lld%s%s%s</text>\n",
                j == none ? "none" : "bar", y + 23, w > 1 ? w : 1, w + 6, y + 38, (long long)v,
                share[0]    ? " ("
                : j == none ? " (not in the shares)"
                            : "",
                share, share[0] ? ")" : "");
    }
    out_str(o, "</svg>\n");
}

/*
 * Two series' shares of each answer, bar above bar, "No answer" apart as counts: question
 * q[s] in group g[s] for each series s (two versions of one question, or one group's start
 * and end questions, which have the same options). key[s] names each series in the key.
 */
void html_chart_two(struct out *o, const size_t g[2], const size_t q[2], const char *const key[2],
                    const char *title)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q[0]];
    size_t none = rq->ncols - 1;
    int height = 30 + (int)none * CHART_CMP_ROW + CHART_AXIS + 12 + 30;
    chart_open(o, height, title);
    /* The key: which bar is which series. */
    for (int s = 0; s < 2; s++) {
        out_fmt(o, "<rect class=\"%s\" x=\"%d\" y=\"4\" width=\"16\" height=\"16\"/>",
                s ? "b" : "a", s * 160);
        out_fmt(o, "<text class=\"tick\" x=\"%d\" y=\"17\">", s * 160 + 22);
        out_textf(o, "%s</text>\n", key[s]);
    }
    for (size_t j = 0; j < none; j++) {
        int y = 30 + (int)j * CHART_CMP_ROW;
        out_fmt(o, "<text class=\"label\" x=\"0\" y=\"%d\">", y + 17);
        chart_label(o, out_col_label(rq, j));
        out_str(o, "</text>");
        for (int s = 0; s < 2; s++) {
            int64_t v, n, skipped;
            char share[16];
            out_share(r, g[s], q[s], j, share, sizeof(share));
            if (report_count(r, g[s], q[s], j, &v) != 0 || report_answers(r, g[s], q[s], &n) != 0 ||
                report_count(r, g[s], q[s], r->q[q[s]].ncols - 1, &skipped) != 0)
                continue;
            double frac = n - skipped > 0 ? (double)v / (double)(n - skipped) : 0;
            int w = (int)lround(CHART_BAR_W * frac);
            int yb = y + 22 + s * 20;
            out_fmt(o,
                    "<rect class=\"%s\" x=\"0\" y=\"%d\" width=\"%d\" height=\"16\"/>"
                    "<text class=\"value %s\" x=\"%d\" y=\"%d\">%lld%s%s%s</text>",
                    s ? "b" : "a", yb, w > 1 ? w : 1, s ? "b" : "a", w + 6, yb + 14, (long long)v,
                    share[0] ? " (" : "", share, share[0] ? ")" : "");
        }
        out_str(o, "\n");
    }
    int ya = 30 + (int)none * CHART_CMP_ROW + 4;
    chart_axis(o, ya, 100, "share of those who answered", "%");
    int y = ya + CHART_AXIS + 12;
    chart_rule(o, y - 6);
    out_fmt(o, "<text class=\"label\" x=\"0\" y=\"%d\">No answer</text>", y + 17);
    int64_t a, b;
    if (report_count(r, g[0], q[0], none, &a) == 0 &&
        report_count(r, g[1], q[1], r->q[q[1]].ncols - 1, &b) == 0)
        out_fmt(o,
                "<text class=\"value a\" x=\"110\" y=\"%d\">%lld</text>"
                "<text class=\"value b\" x=\"200\" y=\"%d\">%lld</text>",
                y + 17, (long long)a, y + 17, (long long)b);
    out_str(o, "\n</svg>\n");
}

/* Two versions' shares of each answer to question q (the version comparison's chart). */
static void html_compare_chart(struct out *o, size_t q)
{
    const struct report *r = o->r;
    const size_t gs[2] = {r->cmp_a, r->cmp_b}, qs[2] = {q, q};
    char title[600], ka[96], kb[96];
    snprintf(title, sizeof(title),
             "Bar chart of the shares of each answer in version %s and version %s for: %s (the "
             "same figures are in the table)",
             r->g[gs[0]].name, r->g[gs[1]].name, r->q[q].text);
    snprintf(ka, sizeof(ka), "version %s", r->g[gs[0]].name);
    snprintf(kb, sizeof(kb), "version %s", r->g[gs[1]].name);
    const char *const key[2] = {ka, kb};
    html_chart_two(o, gs, qs, key, title);
}

/*
 * The link to download chart q of group g (SIZE_MAX: the version comparison) on its own, as
 * SVG: where the report was given an address for them, to that address (on the staff pages a
 * script adds a PNG beside it, drawn in the browser from the same SVG); in a report written
 * to a file, which no server stands behind, the SVG document itself, in a data: address.
 */
static void chart_links(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    if (!r->chart_href && r->html_fragment)
        return;
    char key[300];
    if (g == SIZE_MAX)
        snprintf(key, sizeof(key), "compare");
    else
        out_group_key(r, g, key, sizeof(key));
    const char *qid = r->q[q].id;
    struct buf href;
    buf_init(&href, CHART_SVG_MAX);
    if (r->chart_href) {
        buf_adds(&href, r->chart_href);
        buf_adds(&href, strchr(r->chart_href, '?') ? "&group=" : "?group=");
        buf_add_urlenc(&href, key, strlen(key));
        buf_adds(&href, "&q=");
        buf_add_urlenc(&href, qid, strlen(qid));
        buf_adds(&href, "&format=svg");
        out_str(o, "<p class=\"downloads\">Download this chart: <a href=\"");
        out_text(o, href.ptr ? href.ptr : "");
        out_str(o, "\" download>SVG</a></p>\n");
        buf_release(&href);
        return;
    }
    struct report_sink sink = {report_sink_buf, &href};
    struct out c = {.r = r, .sink = &sink, .html = true, .standalone = true};
    buf_init(&c.b, OUT_BUF_MAX);
    if (g == SIZE_MAX)
        html_compare_chart(&c, q);
    else
        html_chart(&c, g, q);
    out_flush(&c, true);
    buf_release(&c.b);
    if (!c.failed && buf_ok(&href) && href.len) {
        size_t n = sodium_base64_encoded_len(href.len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = xmalloc(n);
        sodium_bin2base64(b64, n, (const unsigned char *)href.ptr, href.len,
                          sodium_base64_VARIANT_ORIGINAL);
        /* A file name of letters, digits and hyphens, whatever the group is called. */
        char name[400];
        snprintf(name, sizeof(name), "planpack-chart-%s-%s", key, qid);
        for (char *p = name; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
                *p = '-';
        out_str(o, "<p class=\"downloads\">Download this chart: <a href=\"data:image/svg+xml;"
                   "base64,");
        out_str(o, b64);
        out_fmt(o, "\" download=\"%s.svg\">SVG</a></p>\n", name);
        free(b64);
    }
    buf_release(&href);
}

/* The name a chart's group goes by in a download's address (see report_write_chart()). */
void out_group_key(const struct report *r, size_t g, char *buf, size_t size)
{
    const struct group *grp = &r->g[g];
    switch (grp->kind) {
    case GROUP_COHORT:
        snprintf(buf, size, "class:%s", grp->cohort->code);
        return;
    case GROUP_SCHOOL:
        snprintf(buf, size, "school:%s", grp->name);
        return;
    case GROUP_VERSION:
        snprintf(buf, size, "version:%s", grp->name);
        return;
    case GROUP_LANGUAGE:
        snprintf(buf, size, "language:%s", grp->language ? grp->language : "not-recorded");
        return;
    case GROUP_UNIT: /* inside its class's, never a chart of its own */
        snprintf(buf, size, "unit:%zu", g);
        return;
    case GROUP_ALL:
        break;
    }
    snprintf(buf, size, "all");
}

void html_question(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    int64_t answers;
    if (report_answers(r, g, q, &answers) != 0)
        return;
    out_textf(o, "<div class=\"question\">\n<h4>%s", rq->text);
    out_fmt(o, "</h4>\n<p class=\"meta\">%s, %s</p>\n<div class=\"chart-and-table\">\n<div>\n",
            out_type(rq->type), out_when(rq->when));
    html_chart(o, g, q);
    chart_links(o, g, q);
    out_textf(o, "</div>\n<table>\n<caption>%s", rq->text);
    out_str(o, "</caption>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">"
               "Submissions</th><th scope=\"col\">Share</th></tr></thead>\n<tbody>\n");
    for (size_t j = 0; j < rq->ncols; j++) {
        char c[32], p[16];
        out_count(r, g, q, j, c);
        out_share(r, g, q, j, p, sizeof(p));
        out_textf(o, "<tr><th scope=\"row\">%s", out_col_label(rq, j));
        out_fmt(o, "</th><td class=\"n\">%s</td><td class=\"share\">%s</td></tr>\n", c, p);
    }
    out_fmt(o,
            "<tr><th scope=\"row\">Submissions</th><td class=\"n\">%lld</td><td></td></tr>\n"
            "</tbody>\n</table>\n</div>\n",
            (long long)answers);
    double mean;
    int64_t scored;
    if (report_mean(r, g, q, &mean, &scored) == 0)
        out_fmt(o, "<p class=\"mean\">Mean %.2f on a scale of 1 to 5 (n = %lld).</p>\n", mean,
                (long long)scored);
    out_str(o, "</div>\n");
}

/* A pair's answers at the start and at the end, side by side, when both have the same options. */
static void html_change_table(struct out *o, size_t g, const struct rpair *pr,
                              const struct report_change *c, unsigned id)
{
    const struct report *r = o->r;
    const struct rq *b = &r->q[pr->before], *a = &r->q[pr->after];
    if (b->nopt != a->nopt)
        return;
    /* Five columns may be wider than a phone: the table scrolls in a region of its own. The
     * questions' ids name each column's figures for a reader of the markup. */
    out_fmt(o, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"chg-%u\">\n",
            id);
    out_textf(o, "<table class=\"change\" data-before=\"%s\" data-after=\"%s\">\n", b->id, a->id);
    out_fmt(o,
            "<thead><tr><th scope=\"col\">Answer</th>"
            "<th scope=\"col\">%s: submissions</th><th scope=\"col\">%s: share</th>"
            "<th scope=\"col\">%s: submissions</th><th scope=\"col\">%s: share</th></tr>"
            "</thead>\n<tbody>\n",
            out_change_since(c), out_change_since(c), out_change_until(c), out_change_until(c));
    /* The options and "prefer not to say": "no answer" would count the other part's
     * submissions, which were not asked. */
    for (size_t j = 0; j + 1 < a->ncols; j++) {
        char cb[32], sb[16], ca[32], sa[16];
        out_change_cell(r, g, pr->before, j, c->have_start, cb, sb, sizeof(sb));
        out_change_cell(r, g, pr->after, j, c->have_end, ca, sa, sizeof(sa));
        bool right = c->knowledge && j < a->nopt && strcmp(a->opt_ids[j], a->correct) == 0;
        out_textf(o, "<tr><th scope=\"row\">%s%s</th>", out_col_label(a, j),
                  right ? " (right)" : "");
        out_fmt(o,
                "<td class=\"n\">%s</td><td class=\"share\">%s</td><td class=\"n\">%s</td>"
                "<td class=\"share\">%s</td></tr>\n",
                cb, sb, ca, sa);
    }
    out_str(o, "</tbody>\n</table>\n</div>\n");
}

void html_change_figures(struct out *o, size_t g, size_t p, const struct report_change *c,
                         unsigned id)
{
    const struct report *r = o->r;
    html_change_table(o, g, &r->pairs[p], c, id);
    char start[128], end[128], line[256];
    out_change_share(r, &c->start, c->have_start, start, sizeof(start));
    out_change_share(r, &c->end, c->have_end, end, sizeof(end));
    out_change_effect(r, c, line, sizeof(line));
    out_textf(o,
              "<ul class=\"figures\">\n<li>%s%s%s: %s %s; %s %s.</li>\n"
              "<li>Effect size: %s.</li>\n",
              c->knowledge ? "Chose the right answer" : "In the top answers (",
              c->knowledge ? "" : c->top, c->knowledge ? "" : ")", out_change_since(c), start,
              c->later ? "weeks later" : "end", end, line);
    if (!c->knowledge) {
        out_pair(r, p, g, line, sizeof(line));
        out_textf(o, "<li>Mean (1 to 5): %s</li>\n", line);
    }
    out_str(o, "</ul>\n");
    out_change_ceiling(c, line, sizeof(line));
    if (line[0])
        out_textf(o, "<p class=\"ceiling\">%s</p>\n", line);
}

static void html_change(struct out *o, bool first, size_t g, size_t p,
                        const struct report_change *c)
{
    const struct report *r = o->r;
    if (first)
        out_textf(o, "<h4>%s</h4>\n", out_change_heading(c->later));
    unsigned id = ++o->ids;
    out_fmt(o, "<div class=\"change\">\n<h5 id=\"chg-%u\">", id);
    out_textf(o, "%s <span class=\"meta\">(%s)</span></h5>\n", r->q[r->pairs[p].after].text,
              out_change_kind(c));
    if (c->sentence[0])
        out_textf(o, "<p class=\"sentence\">%s</p>\n", c->sentence);
    html_change_figures(o, g, p, c, id);
    out_str(o, "</div>\n");
}

static void html_comments(struct out *o, size_t q, const struct out_comments *c)
{
    const struct report *r = o->r;
    out_textf(o, "<h4 class=\"comments\">Comments on \xe2\x80\x9c%s", r->q[q].text);
    out_fmt(o, "\xe2\x80\x9d (%lld)</h4>\n<ul class=\"comments\">\n",
            (long long)(c->nflagged + c->nlisted) + (long long)c->more);
    for (size_t i = 0; i < c->nflagged; i++)
        out_textf(
            o, "<li class=\"flagged\"><strong>" REPORT_FLAG_MARK "</strong> (class %s) %s</li>\n",
            r->g[c->flagged[i].unit].cohort->code, c->flagged[i].text);
    for (size_t i = 0; i < c->nlisted; i++)
        out_textf(o, "<li>%s</li>\n", c->listed[i]);
    if (c->nlisted && c->more > 0)
        out_fmt(o, "<li class=\"more\">and %lld more (see the CSV export)</li>\n",
                (long long)c->more);
    out_str(o, "</ul>\n");
}

static void html_group(struct out *o, size_t g, bool comments, bool open)
{
    const struct report *r = o->r;
    const struct group *grp = &r->g[g];
    char n[160];
    out_group_size(r, g, n, sizeof(n));
    out_fmt(o, "<details class=\"group\" id=\"group-%zu\"%s>\n<summary>\n<h3>", g,
            open ? " open" : "");
    switch (grp->kind) {
    case GROUP_COHORT: {
        const struct store_cohort *c = grp->cohort;
        char d[11];
        out_day(c->created_day, d);
        char v[200];
        out_class_versions(r, g, v, sizeof(v));
        out_textf(o, "Class %s: %s</h3>\n<span class=\"meta\">%s, %s", c->code, c->label,
                  c->school ? c->school : "no school given", v);
        out_fmt(o, ", created %s, %s. Submissions: %s.</span>\n", d, c->open ? "open" : "closed",
                n);
        break;
    }
    case GROUP_SCHOOL:
        out_textf(o, "School: %s", grp->name);
        out_fmt(o, "</h3>\n<span class=\"meta\">Submissions: %s.</span>\n", n);
        break;
    case GROUP_VERSION:
        out_textf(o, "Package version %s", grp->name);
        out_fmt(o, "</h3>\n<span class=\"meta\">Submissions: %s.</span>\n", n);
        break;
    case GROUP_LANGUAGE: {
        char h[200];
        out_language_heading(r, g, h, sizeof(h));
        out_text(o, h);
        out_fmt(o, "</h3>\n<span class=\"meta\">Submissions: %s.</span>\n", n);
        break;
    }
    case GROUP_ALL:
    case GROUP_UNIT: /* never shown on its own */
        out_fmt(o, "All submissions</h3>\n<span class=\"meta\">Submissions: %s.</span>\n", n);
        break;
    }
    out_str(o, "</summary>\n");
    if (grp->hidden) {
        out_fmt(o,
                "<p class=\"hidden-group\">Not shown yet: this class has fewer than %d "
                "submissions, so they are left out of every figure in this report, totals "
                "included, until it has %d.</p>\n</details>\n",
                r->k, r->k);
        return;
    }
    for (size_t q = 0; q < r->nq; q++)
        html_question(o, g, q);
    char pairing[320];
    if (out_pairing(r, g, pairing, sizeof(pairing))) {
        out_str(o, "<p class=\"pairing\">");
        out_text(o, pairing);
        out_str(o, "</p>\n");
    }
    out_each_change(o, g, false, html_change);
    out_each_change(o, g, true, html_change);
    if (comments)
        out_each_comments(o, g, html_comments);
    out_themes(o, g, comments);
    out_str(o, "</details>\n");
}

void html_changes(struct out *o, const struct survey *sv)
{
    out_textf(o, "<h3 class=\"changes\">What changed in %s", sv->package_version);
    if (sv->change_date)
        out_textf(o, " (%s)", sv->change_date);
    out_str(o, "</h3>\n<ul class=\"changes\">\n");
    for (size_t i = 0; i < sv->change_count; i++)
        out_textf(o, "<li>%s</li>\n", sv->changes[i]);
    out_str(o, "</ul>\n");
}

void html_compare_question(struct out *o, size_t q, int level)
{
    const struct report *r = o->r;
    size_t ga = r->cmp_a, gb = r->cmp_b;
    const struct group *a = &r->g[ga], *b = &r->g[gb];
    const struct rq *rq = &r->q[q];
    int64_t na, nb;
    if (report_answers(r, ga, q, &na) != 0 || report_answers(r, gb, q, &nb) != 0)
        return;
    out_fmt(o, "<div class=\"question\">\n<h%d>", level);
    out_text(o, rq->text);
    out_fmt(o, "</h%d>\n<div class=\"chart-and-table\">\n<div>\n", level);
    html_compare_chart(o, q);
    chart_links(o, SIZE_MAX, q);
    /* Five columns may be wider than a phone: the table scrolls in a region of its own,
     * which the keyboard reaches too. */
    out_fmt(o,
            "</div>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
            "aria-labelledby=\"cmp-%zu\">\n<table class=\"side-by-side\">\n<caption "
            "id=\"cmp-%zu\">",
            q, q);
    out_textf(o, "%s</caption>\n<thead><tr><th scope=\"col\">Answer</th>", rq->text);
    for (int s = 0; s < 2; s++) {
        const char *name = s ? b->name : a->name;
        out_textf(o, "<th scope=\"col\">%s: submissions</th><th scope=\"col\">%s: share</th>", name,
                  name);
    }
    out_str(o, "</tr></thead>\n<tbody>\n");
    for (size_t j = 0; j <= rq->ncols; j++) {
        char c[2][32], sh[2][16];
        out_compare_row(r, q, j, c, sh);
        out_str(o, "<tr><th scope=\"row\">");
        out_text(o, j < rq->ncols ? out_col_label(rq, j) : "Submissions");
        out_fmt(o,
                "</th><td class=\"n\">%s</td><td class=\"share\">%s</td><td class=\"n\">%s"
                "</td><td class=\"share\">%s</td></tr>\n",
                c[0], sh[0], c[1], sh[1]);
    }
    struct stats_diff d;
    bool diff = rq->type == SURVEY_SCALE && report_group_diff(r, ga, gb, q, &d);
    if (diff)
        out_fmt(o,
                "<tr><th scope=\"row\">Mean (1 to 5)</th><td class=\"mean\">%.2f</td><td>"
                "</td><td class=\"mean\">%.2f</td><td></td></tr>\n",
                out_mean(r, ga, q), out_mean(r, gb, q));
    out_str(o, "</tbody>\n</table>\n</div>\n</div>\n");
    if (diff) {
        char ds[96];
        out_diff(&d, ds, sizeof(ds));
        out_fmt(o, "<p class=\"mean\">Change in the mean: %s.</p>\n", ds);
    }
    out_str(o, "</div>\n");
}

static void html_compare(struct out *o)
{
    const struct report *r = o->r;
    size_t ga = r->cmp_a, gb = r->cmp_b;
    const struct group *a = &r->g[ga], *b = &r->g[gb];
    out_fmt(o, "<section class=\"compare\" id=\"compare\">\n<details%s>\n<summary>\n<h2>Version ",
            r->compared ? " open" : "");
    out_textf(o, "%s and version %s side by side</h2>\n</summary>\n", a->name, b->name);
    /* The change log of every version after a, up to b. */
    for (size_t v = a->ver + 1; v <= b->ver && v < r->nvers; v++)
        if (r->vers[v].sv->change_count)
            html_changes(o, r->vers[v].sv);
    for (size_t q = 0; q < r->nq; q++)
        html_compare_question(o, q, 3);
    out_str(o, "</details>\n</section>\n");
}

static void html_focus_group(struct out *o, const struct store_focus_group *f, const char *d)
{
    out_fmt(o, "<details class=\"focus-group\">\n<summary>\n<h3 class=\"focus\">%s", d);
    if (f->cohort_code)
        out_textf(o, ", class %s", f->cohort_code);
    out_textf(o,
              "</h3>\n</summary>\n<article class=\"focus-group\">\n<p><strong>Themes:</strong> "
              "%s</p>\n<p>%s</p>\n<blockquote>%s</blockquote>\n</article>\n</details>\n",
              f->themes, f->notes, f->quotes);
}

static void html_focus_groups(struct out *o)
{
    if (!o->r->nfgs)
        return;
    out_str(o, "<section id=\"focus-groups\">\n<h2>Focus groups</h2>\n");
    out_each_focus_group(o, html_focus_group);
    out_str(o, "</section>\n");
}

/* The summary's start-to-end (then start-to-later) sentences for group g, and what they
 * cannot show. */
static void html_summary_change(struct out *o, size_t g)
{
    const struct report *r = o->r;
    for (int later = 0; later < 2; later++) {
        bool any = false;
        struct report_change c;
        for (size_t p = 0; out_change_next(r, g, later, &p, &c); p++, any = true) {
            if (!any)
                out_textf(o, "<h3 class=\"changes\">%s</h3>\n<ul class=\"changes\">\n",
                          out_change_heading(later));
            out_textf(o, "<li>%s %s</li>\n", r->q[r->pairs[p].after].text, c.sentence);
        }
        if (any)
            out_str(o, "</ul>\n");
    }
    char limits[1536];
    if (out_change_limits(r, limits, sizeof(limits)))
        out_textf(o, "<p class=\"limits\">%s</p>\n", limits);
}

static void html_summary(struct out *o)
{
    const struct report *r = o->r;
    char today[11];
    out_day(r->today, today);
    out_fmt(o, "<section class=\"summary\" aria-labelledby=\"summary\">\n"
               "<h2 id=\"summary\">Summary</h2>\n<ul class=\"summary\">\n");
    if (r->school)
        out_textf(o, "<li>Only the classes of %s.</li>\n", r->school);
    if (r->filter == SIZE_MAX) {
        const struct group *all = &r->g[r->all];
        size_t unnamed, schools = out_schools(r, &unnamed);
        size_t shown = all->nshown;
        out_fmt(o, "<li><strong>%lld submissions</strong> from %zu class%s", (long long)all->n,
                shown, shown == 1 ? "" : "es");
        if (unnamed)
            out_fmt(o, " (%zu with no school given)", unnamed);
        out_fmt(o, " in %zu school%s; %zu package version%s.</li>\n", schools,
                schools == 1 ? "" : "s", r->nversions, r->nversions == 1 ? "" : "s");
        if (all->held)
            out_fmt(o,
                    "<li>Not shown yet: %lld submissions from %zu class%s with fewer than "
                    "%d.</li>\n",
                    (long long)all->held, all->nheld, all->nheld == 1 ? "" : "es", r->k);
        char held[400];
        out_held_note(r, r->all, held, sizeof(held));
        if (held[0])
            out_fmt(o, "<li>%s</li>\n", held);
    }
    out_fmt(o, "<li>" OUT_HOLD_BACK "</li>\n<li>" OUT_COUNTS_ARE "</li>\n", r->k, r->k);
    if (r->unreadable)
        out_fmt(o, "<li>%lld submissions could not be read and are left out.</li>\n",
                (long long)r->unreadable);
    out_fmt(o, "<li>Made on %s", today);
    if (r->source)
        out_textf(o, " from %s", r->source);
    out_str(o, ".</li>\n</ul>\n");
    size_t g = out_summary_group(r);
    bool any = false;
    for (size_t q = 0; q < r->nq; q++) {
        size_t col;
        int64_t v, n;
        if (!out_headline(r, g, q, &col, &v, &n))
            continue;
        if (!any) {
            out_str(o, "<h3 class=\"headlines\">Headline results for ");
            if (r->filter != SIZE_MAX) {
                out_textf(o, "class %s", r->g[g].name);
            } else {
                out_str(o, "all submissions");
            }
            out_str(o, "</h3>\n<p>Of those who answered each question:</p>\n"
                       "<ul class=\"headlines\">\n");
        }
        any = true;
        char share[16];
        out_share(r, g, q, col, share, sizeof(share));
        out_textf(o, "<li>%s: most chose \xe2\x80\x9c%s", r->q[q].text,
                  out_col_label(&r->q[q], col));
        out_fmt(o, "\xe2\x80\x9d: %lld of %lld (%s).</li>\n", (long long)v, (long long)n, share);
    }
    if (any)
        out_str(o, "</ul>\n");
    html_summary_change(o, g);
    out_str(o, "</section>\n");
}

/* The contents: where each part of the report is. */
static void html_contents(struct out *o)
{
    const struct report *r = o->r;
    bool cmp = r->cmp_a != SIZE_MAX && r->cmp_b != SIZE_MAX && r->cmp_a != r->cmp_b;
    out_str(o, "<nav class=\"contents\" aria-labelledby=\"contents\">\n"
               "<h2 id=\"contents\">Contents</h2>\n<ol>\n");
    if (cmp)
        out_textf(o, "<li><a href=\"#compare\">Version %s and version %s side by side</a></li>\n",
                  r->g[r->cmp_a].name, r->g[r->cmp_b].name);
    if (r->filter != SIZE_MAX) {
        out_fmt(o, "<li><a href=\"#group-%zu\">Class ", r->filter);
        out_textf(o, "%s</a></li>\n", r->g[r->filter].name);
    } else {
        out_fmt(o, "<li><a href=\"#by-version\">By package version</a> (%zu)</li>\n", r->nversions);
        if (r->nlanguages > 1)
            out_fmt(o, "<li><a href=\"#by-language\">By language</a> (%zu)</li>\n", r->nlanguages);
        out_fmt(o,
                "<li><a href=\"#by-school\">By school</a> (%zu)</li>\n"
                "<li><a href=\"#by-class\">By class</a> (%zu)</li>\n",
                r->nschools, r->ncohorts);
    }
    if (r->nfgs)
        out_str(o, "<li><a href=\"#focus-groups\">Focus groups</a></li>\n");
    out_str(o, "</ol>\n<p>Each part opens when you choose it.</p>\n</nav>\n");
}

void html_document_open(struct out *o, const char *title, const char *style, const char *main_class)
{
    out_str(o, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out_textf(o, "<title>%s</title>\n", title);
    out_str(o, report_html_style);
    if (style)
        out_str(o, style);
    out_str(o, "</head>\n<body>\n<main");
    if (main_class)
        out_textf(o, " class=\"%s\"", main_class);
    out_textf(o, ">\n<h1>%s</h1>\n", title);
}

void html_document_close(struct out *o)
{
    out_str(o, "</main>\n</body>\n</html>\n");
}

void html_report(struct out *o)
{
    const struct report *r = o->r;
    if (!r->html_fragment)
        html_document_open(o, "Feedback report", NULL, NULL);
    html_summary(o);
    html_contents(o);
    if (r->filter != SIZE_MAX) {
        html_group(o, r->filter, true, true);
    } else {
        if (r->cmp_a != SIZE_MAX && r->cmp_b != SIZE_MAX && r->cmp_a != r->cmp_b)
            html_compare(o);
        out_str(o, "<h2 id=\"by-version\">By package version</h2>\n");
        for (size_t v = 0; v < r->nversions; v++)
            html_group(o, r->first_version + v, true, false);
        if (r->nlanguages > 1) {
            out_str(o, "<h2 id=\"by-language\">By language</h2>\n");
            for (size_t l = 0; l < r->nlanguages; l++)
                html_group(o, r->first_language + l, false, false);
        }
        out_str(o, "<h2 id=\"by-school\">By school</h2>\n");
        for (size_t s = 0; s < r->nschools; s++)
            html_group(o, r->first_school + s, false, false);
        out_str(o, "<h2 id=\"by-class\">By class</h2>\n");
        for (size_t c = 0; c < r->ncohorts; c++)
            html_group(o, c, false, false);
    }
    html_focus_groups(o);
    if (!r->html_fragment)
        html_document_close(o);
}

/* Finds the group a chart's address names (see out_group_key()); SIZE_MAX when none. */
size_t out_group_named(const struct report *r, const char *key)
{
    char k[300];
    for (size_t g = 0; g < r->ng; g++) {
        out_group_key(r, g, k, sizeof(k));
        if (strcmp(k, key) == 0)
            return g;
    }
    return SIZE_MAX;
}

int report_write_chart(const struct report *r, const char *group, const char *question,
                       const struct report_sink *sink)
{
    size_t q = 0;
    while (q < r->nq && strcmp(r->q[q].id, question) != 0)
        q++;
    if (q == r->nq)
        return -ENOENT;
    int64_t na, nb;
    bool compare = strcmp(group, "compare") == 0;
    size_t g = compare ? r->cmp_a : out_group_named(r, group);
    if (compare && (r->cmp_a == SIZE_MAX || r->cmp_b == SIZE_MAX || r->cmp_a == r->cmp_b ||
                    report_answers(r, r->cmp_b, q, &nb) != 0))
        return -ENOENT;
    /* Only what the report itself shows: a held-back class has no chart. */
    if (g == SIZE_MAX || (r->filter != SIZE_MAX && !compare && g != r->filter) ||
        report_answers(r, g, q, &na) != 0)
        return -ENOENT;
    struct out o = {.r = r, .sink = sink, .html = true, .standalone = true};
    buf_init(&o.b, OUT_BUF_MAX);
    if (compare)
        html_compare_chart(&o, q);
    else
        html_chart(&o, g, q);
    out_flush(&o, true);
    bool ok = !o.failed && buf_ok(&o.b);
    buf_release(&o.b);
    return ok ? 0 : -1;
}
