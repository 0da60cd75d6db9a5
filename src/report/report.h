/*
 * Staff reports on pupils' feedback: counts and distributions by class code, school and
 * package version, a side-by-side comparison of two versions with the change log, before /
 * after change as a mean difference with a 95% confidence interval, free-text comments, and
 * a CSV export with one row per answer. Output as plain text, CSV or HTML (with SVG bar
 * charts, each beside an accessible data table).
 *
 * Small classes: a class with answers but fewer than k is held back, left out of every
 * figure of every view (its own, its school's, its version's, the comparison's and the grand
 * total) until it has k; reports say how many answers are held back, never what they say.
 * Classes with k or more answers are shown in full, zeros included. Because each figure is
 * a sum over shown classes only, no view, nor any combination of views, holds anything of a
 * held-back class; a lower k only shows more, and a new answer never hides a figure.
 *
 * Before and after: a scale question asked at the end is paired with a scale question asked
 * at the start, or looking back, whose id is the same once the words start, end, before,
 * after, retro, now and then are taken out ("q-sure-start", "q-sure-end", "q-retro-sure").
 * Start and end answers cannot be matched to one pupil, so their change is Welch's interval
 * for two independent samples; a looking-back answer and an end answer in one submission
 * are the same pupil's, so their change is the paired interval.
 */
#ifndef PLANPACK_REPORT_H
#define PLANPACK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "store/store.h"

#define REPORT_K_DEFAULT 5
#define REPORT_K_MIN 3

/* ---- statistics ---- */

/* Running sums of a sample: enough for a mean, a variance, and merging groups. */
struct stats_acc {
    int64_t n;
    double sum;
    double sumsq;
};

void stats_add(struct stats_acc *a, double x);
void stats_merge(struct stats_acc *into, const struct stats_acc *from);
double stats_mean(const struct stats_acc *a);
/* The sample variance (divided by n - 1); 0 when n < 2. */
double stats_variance(const struct stats_acc *a);

/* Student's t distribution with df degrees of freedom (df > 0, not necessarily whole). */
double stats_t_cdf(double t, double df);
/* The t with stats_t_cdf(t, df) == p, for 0 < p < 1. */
double stats_t_quantile(double p, double df);

/* A mean difference (after - before) with its 95% confidence interval. */
struct stats_diff {
    double diff;
    double low;
    double high;
    double se;
    double df;
    int64_t n_before;
    int64_t n_after; /* for a paired difference: the number of pairs, as n_before */
};

/*
 * Two independent samples (a class's answers at the start and at the end of a lesson cannot
 * be matched, being anonymous): Welch's t interval. Returns 0, or -1 when either side has
 * fewer than 2 values.
 */
__attribute__((warn_unused_result)) int
stats_welch(const struct stats_acc *before, const struct stats_acc *after, struct stats_diff *out);
/*
 * Paired differences (after - before within one answer, as with "looking back, before
 * today" items): the t interval of their mean. Returns 0, or -1 with fewer than 2 pairs.
 */
__attribute__((warn_unused_result)) int stats_paired(const struct stats_acc *differences,
                                                     struct stats_diff *out);

/* ---- CSV ---- */

/*
 * Appends one CSV cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula
 * (starting with = + - @ tab or CR) gets a leading apostrophe, so it shows as text.
 */
void csv_add_cell(struct buf *b, const char *s, size_t len);
void csv_adds_cell(struct buf *b, const char *s);

/* ---- reports ---- */

enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_HTML };

struct report_options {
    int k;                 /* 0: REPORT_K_DEFAULT; values below REPORT_K_MIN are raised */
    const char *cohort;    /* only this class (a code); NULL: everything */
    const char *school;    /* only this school's classes (and their focus groups); NULL: all */
    const char *compare_a; /* versions to compare; NULL: the two latest */
    const char *compare_b;
    bool html_fragment; /* HTML without <html>, <head> and styles, for the staff pages */
    const char *source; /* where the data came from, for the heading; may be NULL */
};

/* Where output goes: write returns 0, or -1 to stop (the error is the sink's to report). */
struct report_sink {
    int (*write)(void *ctx, const void *data, size_t len);
    void *ctx;
};

/* Sinks for a FILE * (ctx) and a struct buf * (ctx). */
int report_sink_file(void *ctx, const void *data, size_t len);
int report_sink_buf(void *ctx, const void *data, size_t len);

struct report;

/*
 * Reads the store and builds every aggregate and decision about what may be shown. Returns 0
 * and a report the caller frees with report_free() (keeping s open until then, for the CSV
 * export); or a store status (STORE_ERR_NOT_FOUND for an
 * unknown --cohort code) with a message in err.
 */
__attribute__((warn_unused_result)) int report_build(struct store *s,
                                                     const struct report_options *opt,
                                                     struct report **out, char *err,
                                                     size_t err_len);
void report_free(struct report *r);

/* The k in force (after raising to the minimum). */
int report_k(const struct report *r);

/* Writes the report as text or HTML. Returns 0, or -1 when the sink failed. */
__attribute__((warn_unused_result)) int
report_write(const struct report *r, enum report_format format, const struct report_sink *sink);

/*
 * Writes the CSV export: one row per answer (class code, school, package version, then one
 * column per question, answers as their labels), leaving out classes the report hides.
 * Returns 0, a store status, or -1 when the sink failed.
 */
__attribute__((warn_unused_result)) int report_write_csv(const struct report *r,
                                                         const struct report_sink *sink);

#endif
