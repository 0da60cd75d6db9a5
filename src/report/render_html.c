/* A question of a report as HTML: an SVG bar chart beside a table of the same figures. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/render.h"

static void html_chart(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    int64_t answers, v, max = 1;
    if (report_answers(r, g, q, &answers) != 0)
        return;
    unsigned id = ++o->ids;
    for (size_t j = 0; j < rq->ncols; j++)
        if (report_count(r, g, q, j, &v) == 0 && v > max)
            max = v;
    const int row = 24, label_w = 190, bar_w = 260;
    int height = (int)rq->ncols * row + 8;
    out_str(o, "<div class=\"chart-and-table\">\n");
    out_fmt(o,
            "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-%u\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            "<title id=\"chart-%u\">Bar chart of the answers to: ",
            id, label_w + bar_w + 60, height, label_w + bar_w + 60, height, id);
    out_text(o, rq->text);
    out_str(o, " (the same figures are in the table beside it)</title>\n");
    for (size_t j = 0; j < rq->ncols; j++) {
        int y = (int)j * row + 4;
        const char *label = out_col_label(rq, j);
        out_fmt(o, "<text x=\"0\" y=\"%d\" class=\"label\">", y + 15);
        char cut[64];
        size_t n = strlen(label);
        if (n > 30) {
            n = 28;
            while (n > 0 && ((unsigned char)label[n] & 0xC0) == 0x80)
                n--;
            snprintf(cut, sizeof(cut), "%.*s...", (int)n, label);
            out_text(o, cut);
        } else {
            out_text(o, label);
        }
        out_str(o, "</text>\n");
        if (report_count(r, g, q, j, &v) != 0)
            continue;
        int w = (int)lround((double)bar_w * (double)v / (double)max);
        out_fmt(o,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>\n"
                "<text x=\"%d\" y=\"%d\" class=\"value\">%lld</text>\n",
                label_w, y + 2, w, row - 6, label_w + w + 6, y + 15, (long long)v);
    }
    out_str(o, "</svg>\n<table>\n<caption>");
    out_text(o, rq->text);
    out_str(o, "</caption>\n<thead><tr><th scope=\"col\">Answer</th><th scope=\"col\">Count</th>"
               "<th scope=\"col\">Share</th></tr></thead>\n<tbody>\n");
    for (size_t j = 0; j < rq->ncols; j++) {
        char c[32], p[16];
        out_count(r, g, q, j, c);
        out_share(r, g, q, j, p, sizeof(p));
        out_str(o, "<tr><th scope=\"row\">");
        out_text(o, out_col_label(rq, j));
        out_fmt(o, "</th><td>%s</td><td>%s</td></tr>\n", c, p);
    }
    out_fmt(o, "<tr><th scope=\"row\">Answers</th><td>%lld</td><td></td></tr>\n",
            (long long)answers);
    out_str(o, "</tbody>\n</table>\n</div>\n");
    double mean;
    int64_t scored;
    if (report_mean(r, g, q, &mean, &scored) == 0)
        out_fmt(o, "<p class=\"mean\">Mean %.2f on a scale of 1 to 5 (n = %lld).</p>\n", mean,
                (long long)scored);
}

void html_question(struct out *o, size_t g, size_t q)
{
    const struct rq *rq = &o->r->q[q];
    out_str(o, "<div class=\"question\">\n<h4>");
    out_text(o, rq->text);
    out_str(o, "</h4>\n<p class=\"meta\">");
    out_text(o, rq->id);
    out_fmt(o, " &middot; %s &middot; %s</p>\n", out_type(rq->type), out_when(rq->when));
    html_chart(o, g, q);
    out_str(o, "</div>\n");
}

const char *const report_html_style =
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
