/*
 * The statistics behind before/after change: means, variances, and t intervals, with the
 * t distribution computed from the regularised incomplete beta function so that small
 * classes (and Welch's fractional degrees of freedom) get the right interval.
 */
#include "report/report.h"

#include <math.h>

void stats_add(struct stats_acc *a, double x)
{
    a->n++;
    a->sum += x;
    a->sumsq += x * x;
}

void stats_merge(struct stats_acc *into, const struct stats_acc *from)
{
    into->n += from->n;
    into->sum += from->sum;
    into->sumsq += from->sumsq;
}

double stats_mean(const struct stats_acc *a)
{
    return a->n ? a->sum / (double)a->n : 0.0;
}

double stats_variance(const struct stats_acc *a)
{
    if (a->n < 2)
        return 0.0;
    double n = (double)a->n;
    double v = (a->sumsq - a->sum * a->sum / n) / (n - 1);
    return v > 0 ? v : 0.0; /* rounding can leave a tiny negative for equal values */
}

/* The continued fraction of the incomplete beta function (modified Lentz's method). */
static double beta_fraction(double x, double a, double b)
{
    const double tiny = 1e-300;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 500; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = 1.0 + num / c;
        if (fabs(c) < tiny)
            c = tiny;
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < 1e-15)
            break;
    }
    return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double beta_regularised(double x, double a, double b)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_fraction(x, a, b) / a;
    return 1.0 - front * beta_fraction(1.0 - x, b, a) / b;
}

double stats_t_cdf(double t, double df)
{
    double x = df / (df + t * t);
    double tail = 0.5 * beta_regularised(x, df / 2.0, 0.5);
    return t > 0 ? 1.0 - tail : tail;
}

static double t_pdf(double t, double df)
{
    return exp(lgamma((df + 1.0) / 2.0) - lgamma(df / 2.0) - 0.5 * log(df * M_PI) -
               (df + 1.0) / 2.0 * log1p(t * t / df));
}

double stats_t_quantile(double p, double df)
{
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return -stats_t_quantile(1.0 - p, df);
    /* Newton's method inside a bracket that bisection keeps honest. For t > 0 the CDF is
     * concave, so from the left Newton's steps rise steadily to the root. */
    double lo = 0.0, hi = 1.0;
    while (stats_t_cdf(hi, df) < p && hi < 1e12)
        hi *= 2.0;
    double t = lo;
    for (int i = 0; i < 200; i++) {
        double f = stats_t_cdf(t, df) - p;
        if (f < 0)
            lo = t;
        else
            hi = t;
        double next = t - f / t_pdf(t, df);
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        if (fabs(next - t) <= 1e-13 * (1.0 + fabs(t)))
            return next;
        t = next;
    }
    return t;
}

/* Completes a difference from its diff, se and df: the 95% confidence interval and the counts. */
static void ci95(struct stats_diff *out, int64_t n_before, int64_t n_after)
{
    double t = stats_t_quantile(0.975, out->df);
    out->low = out->diff - t * out->se;
    out->high = out->diff + t * out->se;
    out->n_before = n_before;
    out->n_after = n_after;
}

int stats_welch(const struct stats_acc *before, const struct stats_acc *after,
                struct stats_diff *out)
{
    if (before->n < 2 || after->n < 2)
        return -1;
    double n1 = (double)before->n, n2 = (double)after->n;
    double a = stats_variance(before) / n1, b = stats_variance(after) / n2;
    out->diff = stats_mean(after) - stats_mean(before);
    out->se = sqrt(a + b);
    /* Welch-Satterthwaite; with no spread on either side, the pooled degrees of freedom. */
    double denom = a * a / (n1 - 1.0) + b * b / (n2 - 1.0);
    out->df = denom > 0 ? (a + b) * (a + b) / denom : n1 + n2 - 2.0;
    ci95(out, before->n, after->n);
    return 0;
}

int stats_paired(const struct stats_acc *differences, struct stats_diff *out)
{
    if (differences->n < 2)
        return -1;
    double n = (double)differences->n;
    out->diff = stats_mean(differences);
    out->se = sqrt(stats_variance(differences) / n);
    out->df = n - 1.0;
    ci95(out, differences->n, differences->n);
    return 0;
}
