/* A question of a report as plain text: a row per answer, with its count and share. */
#include <stdio.h>

#include "report/render.h"

void text_question(struct out *o, size_t g, size_t q)
{
    const struct report *r = o->r;
    const struct rq *rq = &r->q[q];
    int64_t answers;
    if (report_answers(r, g, q, &answers) != 0)
        return;
    out_fmt(o, "\n%s\n  [%s, %s, %s]\n", rq->text, rq->id, out_type(rq->type), out_when(rq->when));
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
    buf_add(&o->b, "  Answers", 9);
    out_field(&o->b, "", 33, true);
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
