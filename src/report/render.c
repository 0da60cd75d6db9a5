/*
 * The output helpers every formatter uses, and report_write(), which hands a report to its
 * formatter: render_text.c, render_html.c (export.c writes the data files). Figures come
 * only through report.c's accessors, which refuse what a held-back class holds.
 */
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/render.h"

void out_flush(struct out *o, bool force)
{
    if (!buf_ok(&o->b))
        o->failed = true;
    if (o->failed || (!force && o->b.len < OUT_FLUSH_AT))
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

void out_textf(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vfill(&o->b, o->html, fmt, ap);
    va_end(ap);
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
    case SURVEY_LATER:
        return "a few weeks later";
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

double out_mean(const struct report *r, size_t g, size_t q)
{
    double m;
    int64_t n;
    return report_mean(r, g, q, &m, &n) == 0 ? m : NAN;
}

bool out_headline(const struct report *r, size_t g, size_t q, size_t *col, int64_t *count,
                  int64_t *answered)
{
    const struct rq *rq = &r->q[q];
    size_t none = rq->ncols - 1;
    int64_t n, skipped, best = -1, v;
    if (rq->type == SURVEY_TEXT || report_answers(r, g, q, &n) != 0 ||
        report_count(r, g, q, none, &skipped) != 0 || n - skipped <= 0)
        return false;
    for (size_t j = 0; j < none; j++) {
        if (report_count(r, g, q, j, &v) != 0)
            return false;
        if (v > best) {
            best = v;
            *col = j;
        }
    }
    *count = best;
    *answered = n - skipped;
    return best > 0;
}

size_t out_summary_group(const struct report *r)
{
    return r->filter != SIZE_MAX ? r->filter : r->all;
}

void out_group_size(const struct report *r, size_t g, char *buf, size_t size)
{
    const struct group *grp = &r->g[g];
    if (grp->hidden)
        snprintf(buf, size, "%lld so far, not shown until there are %d", (long long)grp->n, r->k);
    else if (grp->held)
        snprintf(buf, size, "%lld, and %lld not shown yet from %zu class%s with fewer than %d",
                 (long long)grp->n, (long long)grp->held, grp->nheld, grp->nheld == 1 ? "" : "es",
                 r->k);
    else
        snprintf(buf, size, "%lld", (long long)grp->n);
}

size_t out_schools(const struct report *r, size_t *unnamed)
{
    size_t schools = r->nschools;
    *unnamed = 0;
    if (schools && strcmp(r->g[r->first_school + schools - 1].name, NO_SCHOOL) == 0) {
        schools--;
        const struct group *none = &r->g[r->first_school + schools];
        *unnamed = none->nshown;
    }
    return schools;
}

void out_language(const struct report *r, const char *language, char *buf, size_t size)
{
    const char *name = language && r->language_name ? r->language_name(language) : NULL;
    if (!language)
        snprintf(buf, size, "%s", STORE_LANGUAGE_NONE_LABEL);
    else if (name)
        snprintf(buf, size, "%s (%s)", name, language);
    else
        snprintf(buf, size, "%s", language);
}

void out_language_heading(const struct report *r, size_t g, char *buf, size_t size)
{
    const char *language = r->g[g].language;
    char name[128];
    out_language(r, language, name, sizeof(name));
    if (language)
        snprintf(buf, size, "Answers in %s", name);
    else
        snprintf(buf, size, "Answers whose language was %s", name);
}

/* Appends ", what A, B and C" to buf (n bytes used) for the distinct names units have
 * (name(unit), NULL for none), in the order of the class's units; returns how many. */
static size_t add_distinct_names(const struct report *r, const struct group *grp, const char *what,
                                 const char *(*name)(const struct report *r, size_t u, char *tmp),
                                 char *buf, size_t size, int *n)
{
    const char *v[16];
    char tmp[16][128];
    size_t nv = 0;
    for (size_t m = 0; m < grp->nmembers && nv < 16; m++) {
        const char *s = name(r, grp->members[m], tmp[nv]);
        bool seen = !s;
        for (size_t i = 0; i < nv && !seen; i++)
            seen = strcmp(v[i], s) == 0;
        if (!seen)
            v[nv++] = s;
    }
    for (size_t i = 0; nv > 1 && i < nv && *n >= 0 && (size_t)*n < size; i++)
        *n += snprintf(buf + *n, size - (size_t)*n, "%s%s",
                       i == 0        ? what
                       : i + 1 == nv ? " and "
                                     : ", ",
                       v[i]);
    return nv;
}

static const char *unit_version(const struct report *r, size_t u, char *tmp)
{
    (void)tmp;
    return r->g[u].name;
}

static const char *unit_language(const struct report *r, size_t u, char *tmp)
{
    if (!r->g[u].served)
        return NULL;
    out_language(r, r->g[u].language, tmp, 128);
    return tmp;
}

void out_class_versions(const struct report *r, size_t g, char *buf, size_t size)
{
    const struct group *grp = &r->g[g];
    const char *own = grp->cohort->package_version;
    int n = snprintf(buf, size, "version %s", own);
    bool other = false;
    for (size_t m = 0; m < grp->nmembers; m++)
        other |= strcmp(r->g[grp->members[m]].name, own) != 0;
    if (other) {
        /* One version served: another than the class's, said as such. */
        if (add_distinct_names(r, grp, ", submissions served under ", unit_version, buf, size,
                               &n) == 1 &&
            n >= 0 && (size_t)n < size)
            n += snprintf(buf + n, size - (size_t)n, ", submissions served under %s",
                          r->g[grp->members[0]].name);
    }
    add_distinct_names(r, grp, ", answered in ", unit_language, buf, size, &n);
}

void out_held_note(const struct report *r, size_t g, char *buf, size_t size)
{
    const struct group *grp = &r->g[g];
    buf[0] = '\0';
    if (grp->held_in_shown > 0)
        snprintf(buf, size,
                 "Of those not shown yet, %lld %s from classes that are shown: submissions "
                 "under a package version or in a language of which a class has fewer than %d "
                 "are counted apart, and left out until they number %d.",
                 (long long)grp->held_in_shown, grp->held_in_shown == 1 ? "is" : "are", r->k, r->k);
}

void out_each_comments(struct out *o, size_t g,
                       void (*row)(struct out *o, size_t q, const struct out_comments *c))
{
    const struct report *r = o->r;
    for (size_t q = 0; q < r->nq; q++) {
        struct rflagged *f;
        const char **v;
        size_t nf, n;
        int64_t dropped;
        if (r->q[q].type != SURVEY_TEXT || report_flagged(r, g, q, &f, &nf) != 0)
            continue;
        if (report_comments_unflagged(r, g, q, COMMENTS_SHOWN, &v, &n, &dropped) != 0) {
            free(f);
            continue;
        }
        size_t listed = n < COMMENTS_SHOWN ? n : COMMENTS_SHOWN;
        struct out_comments c = {f, nf, v, listed, (int64_t)(n - listed) + dropped};
        if (nf || listed)
            row(o, q, &c);
        free(f);
        free(v);
    }
}

void out_pair(const struct report *r, size_t p, size_t g, char *buf, size_t size)
{
    const struct rpair *pr = &r->pairs[p];
    struct stats_diff d;
    if (!report_pair_diff(r, p, g, &d)) {
        snprintf(buf, size, "too few submissions on either side.");
        return;
    }
    char ds[96];
    out_diff(&d, ds, sizeof(ds));
    if (r->q[pr->after].when == SURVEY_LATER)
        snprintf(buf, size, "start %.2f (n = %lld), weeks later %.2f (n = %lld): %s",
                 out_mean(r, g, pr->before), (long long)d.n_before, out_mean(r, g, pr->after),
                 (long long)d.n_after, ds);
    else if (pr->paired)
        snprintf(buf, size, "looking back %.2f, now %.2f, the same %lld submissions: %s",
                 out_mean(r, g, pr->before), out_mean(r, g, pr->after), (long long)d.n_before, ds);
    else if (report_pair_matched(r, p, g))
        snprintf(buf, size,
                 "start %.2f (n = %lld), end %.2f (n = %lld); change over the %lld pupils paired "
                 "by their pairing words: %s",
                 out_mean(r, g, pr->before), (long long)report_gq(r, g, pr->before)->score.n,
                 out_mean(r, g, pr->after), (long long)report_gq(r, g, pr->after)->score.n,
                 (long long)d.n_before, ds);
    else
        snprintf(buf, size, "start %.2f (n = %lld), end %.2f (n = %lld): %s",
                 out_mean(r, g, pr->before), (long long)d.n_before, out_mean(r, g, pr->after),
                 (long long)d.n_after, ds);
}

void out_each_focus_group(struct out *o,
                          void (*row)(struct out *o, const struct store_focus_group *f,
                                      const char *day))
{
    const struct report *r = o->r;
    for (size_t i = 0; i < r->nfgs; i++) {
        const struct store_focus_group *f = &r->fgs[i];
        if (r->filter != SIZE_MAX &&
            (!f->cohort_code || strcmp(f->cohort_code, r->g[r->filter].name) != 0))
            continue;
        char d[11];
        out_day(f->day, d);
        row(o, f, d);
    }
}

size_t out_each_change(struct out *o, size_t g, bool later,
                       void (*row)(struct out *o, bool first, size_t g, size_t p,
                                   const struct report_change *c))
{
    const struct report *r = o->r;
    size_t rows = 0;
    for (size_t p = 0; p < r->npairs; p++) {
        struct report_change c;
        if (report_pair_change(r, p, g, &c) == 0 && c.later == later)
            row(o, rows++ == 0, g, p, &c);
    }
    return rows;
}

bool out_pairing(const struct report *r, size_t g, char *buf, size_t size)
{
    struct rpairing rp;
    int rc = report_pairing(r, g, &rp);
    if (rc == -EPERM) {
        if (r->g[g].hidden)
            return false; /* the class says so itself */
        snprintf(buf, size,
                 "Pairing words: not shown yet, since this class has fewer than %d start "
                 "answers, fewer than %d end answers, or between 1 and %d pairs.",
                 r->k, r->k, r->k - 1);
        return true;
    }
    if (rc != 0)
        return false;
    char held[96] = "";
    if (rp.nheld)
        snprintf(held, sizeof(held), " (%zu class%s with fewer than %d not counted)", rp.nheld,
                 rp.nheld == 1 ? "" : "es", r->k);
    if (rp.start == 0 || rp.end == 0) {
        snprintf(buf, size, "Pairing words: no pairs, since there are %s%s.",
                 rp.start ? "no end answers"
                 : rp.end ? "no start answers"
                          : "no answers counted",
                 held);
        return true;
    }
    snprintf(buf, size,
             "Pairing words: %lld pair%s. %.0f%% of the %lld start answers and %.0f%% of the %lld "
             "end answers were paired%s.",
             (long long)rp.pairs, rp.pairs == 1 ? "" : "s",
             100.0 * (double)rp.pairs / (double)rp.start, (long long)rp.start,
             100.0 * (double)rp.pairs / (double)rp.end, (long long)rp.end, held);
    return true;
}

void out_change_share(const struct report *r, const struct stats_share *s, bool have, char *buf,
                      size_t size)
{
    if (!have)
        snprintf(buf, size, "not shown: fewer than %d answers", r->k);
    else
        snprintf(buf, size, "%ld%% (95%% CI %ld%% to %ld%%; %lld of %lld)", lround(s->share * 100),
                 lround(s->low * 100), lround(s->high * 100), (long long)s->x, (long long)s->n);
}

void out_change_effect(const struct report *r, const struct report_change *c, char *buf,
                       size_t size)
{
    const struct stats_effect *e = &c->effect;
    if (!c->have_effect) {
        if (c->paired)
            snprintf(buf, size,
                     "none: fewer than %d submissions answered both, or fewer than 2 changed",
                     r->k);
        else
            snprintf(buf, size, "none: fewer than %d answers at the start or %s", r->k,
                     c->later ? "a few weeks later" : "at the end");
        return;
    }
    char words[64];
    stats_effect_words(e, words, sizeof(words));
    if (e->kind == STATS_RANK_BISERIAL)
        snprintf(buf, size,
                 "matched-pairs rank-biserial correlation %+.2f (95%% CI %+.2f to %+.2f; %lld "
                 "pupils whose answers changed): %s",
                 e->estimate, e->low, e->high, (long long)e->n_before, words);
    else
        snprintf(
            buf, size, "Cliff's delta %+.2f (95%% CI %+.2f to %+.2f; %lld and %lld answers): %s",
            e->estimate, e->low, e->high, (long long)e->n_before, (long long)e->n_after, words);
}

void out_change_ceiling(const struct report_change *c, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!c->ceiling)
        return;
    if (c->knowledge)
        snprintf(buf, size,
                 "Most already knew the right answer at the start (%ld%%), so there was little "
                 "room to rise: a small change here does not mean the lesson taught little.",
                 lround(c->start.share * 100));
    else
        snprintf(buf, size,
                 "Most were already in the top answers at the start (%ld%%), so there was "
                 "little room to rise (a ceiling): a small change here does not mean the "
                 "lesson did little.",
                 lround(c->start.share * 100));
}

void out_change_cell(const struct report *r, size_t g, size_t q, size_t j, bool have, char *count,
                     char *share, size_t size)
{
    count[0] = share[0] = '\0';
    if (!have)
        return;
    out_count(r, g, q, j, count);
    out_share(r, g, q, j, share, size);
}

bool out_change_next(const struct report *r, size_t g, bool later, size_t *p,
                     struct report_change *c)
{
    for (; *p < r->npairs; ++*p)
        if (report_pair_change(r, *p, g, c) == 0 && c->later == later && c->sentence[0])
            return true;
    return false;
}

const char *out_change_kind(const struct report_change *c)
{
    if (c->later)
        return c->knowledge ? "knowledge, at the start and a few weeks later: the share who chose "
                              "the right answer"
                            : "at the start and a few weeks later";
    return c->knowledge ? "knowledge: the share who chose the right answer"
           : c->paired  ? "looking back and at the end, in the same submissions"
                        : "at the start and at the end";
}

const char *out_change_since(const struct report_change *c)
{
    return c->paired ? "Looking back" : "Start";
}

const char *out_change_until(const struct report_change *c)
{
    return c->later ? "Weeks later" : "End";
}

const char *out_change_heading(bool later)
{
    return later ? "What changed from the start to a few weeks later"
                 : "What changed from start to end";
}

const char *out_later_note(const struct report *r)
{
    for (size_t q = 0; q < r->nq; q++)
        if (r->q[q].when == SURVEY_LATER)
            return "The answers to the later part, a few weeks on, are compared with the start "
                   "where the same question was asked at both, as two groups: they are not "
                   "paired pupil by pupil, and pupils who answered at the start may not be the "
                   "ones who answered weeks later.";
    return "";
}

bool out_change_limits(const struct report *r, char *buf, size_t size)
{
    bool any = false, ceiling = false;
    for (size_t g = 0; g < r->ng; g++)
        for (size_t p = 0; p < r->npairs; p++) {
            struct report_change c;
            if (report_pair_change(r, p, g, &c) != 0)
                continue;
            any = true;
            ceiling = ceiling || c.ceiling;
        }
    snprintf(buf, size,
             "What the start and end figures cannot show: the answers are what pupils say about "
             "themselves, not what they do. No group of pupils went without the lesson to "
             "compare with (there is no control group), so a change may also come from "
             "something else, such as answering the same questions twice. Start and end "
             "answers are matched pupil by pupil only where a pairing word or a \"looking "
             "back\" question links them; pupils who missed a part change the figures.%s%s%s",
             ceiling ? " Where most pupils were already sure, or already right, at the start, "
                       "there was little room to rise (a ceiling): this report says so beside "
                       "each such result."
                     : "",
             *out_later_note(r) ? " " : "", out_later_note(r));
    return any;
}

void out_compare_row(const struct report *r, size_t q, size_t j, char c[2][32], char s[2][16])
{
    const struct rq *rq = &r->q[q];
    size_t gs[2] = {r->cmp_a, r->cmp_b};
    for (int i = 0; i < 2; i++) {
        int64_t n;
        s[i][0] = '\0';
        if (j < rq->ncols) {
            out_count(r, gs[i], q, j, c[i]);
            out_share(r, gs[i], q, j, s[i], 16);
        } else if (report_answers(r, gs[i], q, &n) == 0) {
            out_int((long long)n, c[i]);
        } else {
            c[i][0] = '\0';
        }
    }
}

int report_write(const struct report *r, enum report_format format, const struct report_sink *sink)
{
    struct out o = {.r = r, .sink = sink, .html = format == REPORT_HTML || format == REPORT_PILOT};
    buf_init(&o.b, OUT_BUF_MAX);
    if (format == REPORT_PILOT)
        pilot_report(&o);
    else if (o.html)
        html_report(&o);
    else
        text_report(&o);
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
