/*
 * What may leave the report: the accessors every formatter reads figures through. A group
 * held back (a class's answers under one served version in one language, fewer than k, see
 * report_hold_back() in scope.c) gives nothing here but its size, so no formatter, present or
 * future, can print its figures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textmatch.h"
#include "base/xalloc.h"
#include "report/internal.h"

/* ---- statistics shown ---- */

bool report_row_complete(const struct report *r, size_t g, size_t q)
{
    return report_gq(r, g, q)->asked && !r->g[g].hidden;
}

bool report_pair_diff(const struct report *r, size_t p, size_t g, struct stats_diff *out)
{
    const struct rpair *pr = &r->pairs[p];
    if (pr->knowledge)
        return false; /* right or not has no mean on a scale */
    if (!report_row_complete(r, g, pr->before) || !report_row_complete(r, g, pr->after))
        return false;
    if (pr->paired) {
        const struct stats_acc *d = &r->pair_acc[p * r->ng + g];
        return d->n >= r->k && stats_paired(d, out) == 0;
    }
    if (report_pair_matched(r, p, g))
        return stats_paired(&r->match_acc[p * r->ng + g], out) == 0;
    const struct stats_acc *b = &report_gq(r, g, pr->before)->score;
    const struct stats_acc *a = &report_gq(r, g, pr->after)->score;
    return b->n >= r->k && a->n >= r->k && stats_welch(b, a, out) == 0;
}

bool report_pair_effect(const struct report *r, size_t p, size_t g, struct stats_effect *out)
{
    const struct rpair *pr = &r->pairs[p];
    if (pr->knowledge)
        return false; /* see report_pair_change() */
    if (!report_row_complete(r, g, pr->before) || !report_row_complete(r, g, pr->after))
        return false;
    if (pr->paired)
        return r->pair_acc[p * r->ng + g].n >= r->k &&
               stats_rank_biserial(&r->pair_diff[(p * r->ng + g) * PAIR_DIFFS], PAIR_SPAN, out) ==
                   0;
    /* Pupils paired by their pairing words: their own change, as with "looking back". */
    if (report_pair_matched(r, p, g))
        return stats_rank_biserial(&r->match_diff[(p * r->ng + g) * PAIR_DIFFS], PAIR_SPAN, out) ==
               0;
    const struct gq *b = report_gq(r, g, pr->before), *a = report_gq(r, g, pr->after);
    /* The two questions' options in order are the scale's levels; both must have them all. */
    size_t levels = r->q[pr->before].nopt;
    return levels == r->q[pr->after].nopt && b->score.n >= r->k && a->score.n >= r->k &&
           stats_cliff(b->count, a->count, levels, out) == 0;
}

bool report_group_diff(const struct report *r, size_t ga, size_t gb, size_t q,
                       struct stats_diff *out)
{
    if (!report_row_complete(r, ga, q) || !report_row_complete(r, gb, q))
        return false;
    const struct stats_acc *a = &report_gq(r, ga, q)->score;
    const struct stats_acc *b = &report_gq(r, gb, q)->score;
    return a->n >= r->k && b->n >= r->k && stats_welch(a, b, out) == 0;
}

/* ---- figures as the formatters read them ---- */

/* The one test of whether a group's figures may leave the report. */
static bool may_show(const struct report *r, size_t g, size_t q)
{
    return !r->g[g].hidden && report_gq(r, g, q)->asked;
}

bool report_asked(const struct report *r, size_t g, size_t q)
{
    return report_gq(r, g, q)->asked;
}

int report_count(const struct report *r, size_t g, size_t q, size_t col, int64_t *out)
{
    if (!may_show(r, g, q) || col >= r->q[q].ncols)
        return -EPERM;
    *out = report_gq(r, g, q)->count[col];
    return 0;
}

int report_answers(const struct report *r, size_t g, size_t q, int64_t *out)
{
    if (!may_show(r, g, q))
        return -EPERM;
    *out = report_gq(r, g, q)->n;
    return 0;
}

int report_mean(const struct report *r, size_t g, size_t q, double *mean, int64_t *n)
{
    if (!may_show(r, g, q))
        return -EPERM;
    const struct stats_acc *a = &report_gq(r, g, q)->score;
    if (r->q[q].type != SURVEY_SCALE || a->n < r->k)
        return -ENODATA;
    *mean = stats_mean(a);
    *n = a->n;
    return 0;
}

int report_share_correct(const struct report *r, size_t g, size_t q, struct stats_share *out)
{
    if (!may_show(r, g, q))
        return -EPERM;
    const struct rq *rq = &r->q[q];
    const int64_t *count = report_gq(r, g, q)->count;
    int64_t answered = 0, right = -1;
    for (size_t j = 0; j < rq->nopt; j++) {
        answered += count[j];
        if (rq->correct && strcmp(rq->opt_ids[j], rq->correct) == 0)
            right = count[j];
    }
    if (right < 0 || answered < r->k || stats_wilson(right, answered, out) != 0)
        return -ENODATA;
    return 0;
}

int report_share_top(const struct report *r, size_t g, size_t q, struct stats_share *out)
{
    if (!may_show(r, g, q))
        return -EPERM;
    const struct rq *rq = &r->q[q];
    if (rq->type != SURVEY_SCALE || rq->nopt < 2)
        return -ENODATA;
    const int64_t *count = report_gq(r, g, q)->count;
    int64_t answered = 0, top = 0;
    for (size_t j = 0; j < rq->nopt; j++) {
        answered += count[j];
        if (j >= report_top_from(rq))
            top += count[j];
    }
    if (answered < r->k || stats_wilson(top, answered, out) != 0)
        return -ENODATA;
    return 0;
}

struct shown_rows {
    const struct report *r;
    size_t cls;
    int (*fn)(const struct store_answer_row *row, void *ctx);
    void *ctx;
};

/* Passes on a row of a unit shown; one of a unit held back, or come since, is left out. */
static int shown_row(const struct store_answer_row *row, void *ctx)
{
    const struct shown_rows *x = ctx;
    size_t u = report_unit_of(x->r, x->cls,
                              row->served_version ? row->served_version : row->package_version,
                              row->language);
    return u == SIZE_MAX || x->r->g[u].hidden ? 0 : x->fn(row, x->ctx);
}

/* "a, b or c" from labels[from..to), each with its first letter in lower case. */
static void top_words(const struct rq *rq, size_t from, size_t to, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t j = from; j < to && len < size; j++) {
        const char *sep = j == from ? "" : j + 1 == to ? " or " : ", ";
        const char *l = rq->opt_labels[j];
        int w = snprintf(buf + len, size - len, "%s%c%s", sep,
                         l[0] >= 'A' && l[0] <= 'Z' ? l[0] - 'A' + 'a' : l[0], l[0] ? l + 1 : "");
        len += w > 0 ? (size_t)w : 0;
    }
}

int report_pair_change(const struct report *r, size_t p, size_t g, struct report_change *out)
{
    const struct rpair *pr = &r->pairs[p];
    if (!may_show(r, g, pr->before) || !may_show(r, g, pr->after))
        return -EPERM;
    memset(out, 0, sizeof(*out));
    out->knowledge = pr->knowledge;
    out->paired = pr->paired;
    out->later = r->q[pr->after].when == SURVEY_LATER;
    const struct rq *before = &r->q[pr->before];
    char what[160];
    if (pr->knowledge) {
        for (size_t j = 0; j < before->nopt; j++)
            if (strcmp(before->opt_ids[j], before->correct) == 0)
                top_words(before, j, j + 1, out->top, sizeof(out->top));
        snprintf(what, sizeof(what), "gave the right answer (%s)", out->top);
        out->have_start = report_share_correct(r, g, pr->before, &out->start) == 0;
        out->have_end = report_share_correct(r, g, pr->after, &out->end) == 0;
        if (out->have_start && out->have_end) {
            const int64_t b[2] = {out->start.n - out->start.x, out->start.x};
            const int64_t a[2] = {out->end.n - out->end.x, out->end.x};
            out->have_effect = stats_cliff(b, a, 2, &out->effect) == 0;
        }
    } else {
        top_words(before, report_top_from(before), before->nopt, out->top, sizeof(out->top));
        snprintf(what, sizeof(what), "were %s", out->top);
        out->have_start = report_share_top(r, g, pr->before, &out->start) == 0;
        out->have_end = report_share_top(r, g, pr->after, &out->end) == 0;
        out->have_effect = report_pair_effect(r, p, g, &out->effect);
    }
    out->ceiling = out->have_start && out->start.share >= REPORT_CEILING;
    if (out->have_start && out->have_end && out->have_effect)
        stats_change_sentence_at(out->later ? "A few weeks later" : "At the end", what,
                                 pr->paired ? "looking back" : "at the start", &out->start,
                                 &out->end, &out->effect, out->sentence, sizeof(out->sentence));
    return 0;
}

int report_answers_each(const struct report *r, size_t g,
                        int (*fn)(const struct store_answer_row *row, void *ctx), void *ctx)
{
    if (g >= r->ncohorts || r->g[g].hidden)
        return -EPERM;
    struct shown_rows x = {r, g, fn, ctx};
    return store_answers_each(r->store, r->cohorts[g].id, shown_row, &x);
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

/* Whether a comment is one r->flag_words flags; scratch is the caller's. */
static bool flagged(const struct report *r, const char *text, struct buf *scratch)
{
    return r->flag_words && textmatch_find(r->flag_words, text, strlen(text), scratch);
}

static int comments(const struct report *r, size_t g, size_t q, size_t keep, bool unflagged,
                    const char ***out, size_t *count, int64_t *dropped)
{
    if (!may_show(r, g, q))
        return -EPERM;
    const struct group *grp = &r->g[g];
    size_t n = 0;
    *dropped = 0;
    const size_t *members = grp->kind == GROUP_UNIT ? &g : grp->members;
    size_t nm = grp->kind == GROUP_UNIT ? 1 : grp->nmembers;
    for (size_t m = 0; m < nm; m++)
        n += report_gq(r, members[m], q)->ncomments;
    const char **v = xmalloc((n ? n : 1) * sizeof(*v));
    n = 0;
    struct buf scratch;
    buf_init(&scratch, (size_t)64 << 10);
    for (size_t m = 0; m < nm; m++) {
        const struct gq *gq = report_gq(r, members[m], q);
        for (size_t i = 0; i < gq->ncomments; i++)
            if (!unflagged || !flagged(r, gq->comments[i], &scratch))
                v[n++] = gq->comments[i];
        *dropped += gq->comments_dropped;
    }
    buf_release(&scratch);
    sort_first(v, n, keep);
    *count = n;
    *out = v;
    return 0;
}

int report_comments(const struct report *r, size_t g, size_t q, size_t keep, const char ***out,
                    size_t *count, int64_t *dropped)
{
    return comments(r, g, q, keep, false, out, count, dropped);
}

int report_comments_unflagged(const struct report *r, size_t g, size_t q, size_t keep,
                              const char ***out, size_t *count, int64_t *dropped)
{
    return comments(r, g, q, keep, true, out, count, dropped);
}

static int rflagged_cmp(const void *a, const void *b)
{
    const struct rflagged *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return strcmp(x->text, y->text);
}

int report_flagged(const struct report *r, size_t g, size_t q, struct rflagged **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (!may_show(r, g, q))
        return -EPERM;
    const struct group *grp = &r->g[g];
    const size_t *members = grp->kind == GROUP_UNIT ? &g : grp->members;
    size_t nm = grp->kind == GROUP_UNIT ? 1 : grp->nmembers;
    size_t n = 0, cap = 0;
    struct rflagged *v = NULL;
    struct buf scratch;
    buf_init(&scratch, (size_t)64 << 10);
    for (size_t m = 0; m < nm; m++) {
        const struct gq *gq = report_gq(r, members[m], q);
        for (size_t i = 0; i < gq->ncomments; i++)
            if (flagged(r, gq->comments[i], &scratch)) {
                XGROW(v, cap, n + 1);
                v[n++] = (struct rflagged){.text = gq->comments[i], .unit = members[m]};
            }
    }
    buf_release(&scratch);
    if (n)
        qsort(v, n, sizeof(*v), rflagged_cmp);
    *out = v;
    *count = n;
    return 0;
}
