/*
 * Effect sizes for ordinal answers and Wilson intervals for shares: what a report says of
 * change between the start and the end of a lesson. Answers come as counts per level, so
 * each statistic costs a pass over the levels, never over pairs of pupils.
 */
#include "report/report.h"

#include <math.h>
#include <stdio.h>

/* The 97.5th percentile of the standard normal distribution, for 95% intervals. */
#define Z95 1.959963984540054

int stats_cliff(const int64_t *before, const int64_t *after, size_t levels,
                struct stats_effect *out)
{
    double n1 = 0, n2 = 0;
    for (size_t i = 0; i < levels; i++) {
        n1 += (double)before[i];
        n2 += (double)after[i];
    }
    if (n1 < 2 || n2 < 2)
        return -1;
    /* First pass: delta, and the pairs that tie. */
    double sum = 0, ties = 0, below_a = 0, above_a = n2;
    for (size_t i = 0; i < levels; i++) {
        double b = (double)before[i], a = (double)after[i];
        above_a -= a;
        sum += b * (above_a - below_a);
        ties += b * a;
        below_a += a;
    }
    double d = sum / (n1 * n2);
    /* Second pass: every answer at one level shares Cliff's d_i. (a "before" answer: the
     * mean over the "after" answers of sign(after - before)) or d_.j (an "after" answer). */
    double row = 0, col = 0, below_b = 0, above_b = n1;
    above_a = n2;
    below_a = 0;
    for (size_t i = 0; i < levels; i++) {
        double b = (double)before[i], a = (double)after[i];
        above_a -= a;
        above_b -= b;
        double di = (above_a - below_a) / n2; /* a "before" answer at level i */
        double dj = (below_b - above_b) / n1; /* an "after" answer at level i */
        row += b * (di - d) * (di - d);
        col += a * (dj - d) * (dj - d);
        below_a += a;
        below_b += b;
    }
    /* Sum over every pair of (d_ij - d)^2: d_ij^2 is 1 for every pair but ties. */
    double cells = (n1 * n2 - ties) - n1 * n2 * d * d;
    double s2 = (n2 * n2 * row + n1 * n1 * col - cells) / (n1 * n2 * (n1 - 1) * (n2 - 1));
    if (!(s2 > 0))
        s2 = 0; /* the unbiased estimate can fall below 0 in very small samples */
    double s = sqrt(s2), z = Z95, d2 = 1 - d * d;
    double half = z * s * sqrt(d2 * d2 + z * z * s2);
    double denom = d2 + z * z * s2;
    out->kind = STATS_CLIFF;
    out->estimate = d;
    out->se = s;
    if (denom > 0) {
        out->low = (d - d * d * d - half) / denom;
        out->high = (d - d * d * d + half) / denom;
    } else { /* every pair agrees and there is no spread: the interval is the point */
        out->low = out->high = d;
    }
    out->n_before = (int64_t)n1;
    out->n_after = (int64_t)n2;
    return 0;
}

int stats_rank_biserial(const int64_t *diff, size_t span, struct stats_effect *out)
{
    /* Ranks of |d| over the pairs that differ: |d| = 1 takes the first ranks, then 2, ... */
    double rank_from = 1, plus = 0, minus = 0, n = 0;
    for (size_t m = 1; m <= span; m++) {
        double up = (double)diff[span + m], down = (double)diff[span - m];
        double k = up + down;
        if (k == 0)
            continue;
        double mean_rank = rank_from + (k - 1) / 2; /* ties share the mean of their ranks */
        plus += up * mean_rank;
        minus += down * mean_rank;
        rank_from += k;
        n += k;
    }
    if (n < 2)
        return -1;
    double r = (plus - minus) / (plus + minus);
    double max_w = (n * n + n) / 2;
    double se = sqrt((2 * n * n * n + 3 * n * n + n) / 6) / max_w;
    double rc = fmax(-1 + 1e-9, fmin(1 - 1e-9, r));
    out->kind = STATS_RANK_BISERIAL;
    out->estimate = r;
    out->se = se;
    out->low = tanh(atanh(rc) - Z95 * se);
    out->high = tanh(atanh(rc) + Z95 * se);
    out->n_before = (int64_t)n;
    out->n_after = (int64_t)n;
    return 0;
}

int stats_wilson(int64_t x, int64_t n, struct stats_share *out)
{
    if (n < 1 || x < 0 || x > n)
        return -1;
    double p = (double)x / (double)n, nn = (double)n, z2 = Z95 * Z95;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = Z95 / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    out->share = p;
    out->low = fmax(0, centre - half);
    out->high = fmin(1, centre + half);
    out->x = x;
    out->n = n;
    return 0;
}

const char *stats_effect_size(enum stats_effect_kind kind, double estimate)
{
    static const double cliff[3] = {0.147, 0.33, 0.474};  /* Romano et al. 2006 */
    static const double correlation[3] = {0.1, 0.3, 0.5}; /* Cohen 1988 */
    const double *t = kind == STATS_CLIFF ? cliff : correlation;
    double a = fabs(estimate);
    return a < t[0] ? "negligible" : a < t[1] ? "small" : a < t[2] ? "medium" : "large";
}

void stats_effect_words(const struct stats_effect *e, char *buf, size_t size)
{
    if (e->low <= 0 && e->high >= 0)
        snprintf(buf, size, "no clear change");
    else
        snprintf(buf, size, "a %s %s", stats_effect_size(e->kind, e->estimate),
                 e->estimate > 0 ? "rise" : "fall");
}

void stats_change_sentence(const char *what, const struct stats_share *start,
                           const struct stats_share *end, const struct stats_effect *e, char *buf,
                           size_t size)
{
    char were[160];
    snprintf(were, sizeof(were), "were %s", what);
    stats_change_sentence_at("At the end", were, "at the start", start, end, e, buf, size);
}

void stats_change_sentence_at(const char *at, const char *what, const char *since,
                              const struct stats_share *start, const struct stats_share *end,
                              const struct stats_effect *e, char *buf, size_t size)
{
    long before = lround(start->share * 100), after = lround(end->share * 100);
    char words[64];
    stats_effect_words(e, words, sizeof(words));
    snprintf(buf, size, "%s, %ld%% %s, %s %ld%% %s: %s.", at, after, what,
             after > before   ? "up from"
             : after < before ? "down from"
                              : "the same as",
             before, since, words);
}
