/*
 * Staff reports on pupils' feedback: counts and distributions by class code, school,
 * package version and language, a side-by-side comparison of two versions with the change
 * log, before / after change as a mean difference with a 95% confidence interval, free-text
 * comments, and data for evaluators (a tidy CSV, its codebook, SPSS and Stata files). Output as
 * plain text or HTML (with SVG bar charts, each beside an accessible data table).
 *
 * Small classes: a class with answers but fewer than k is held back, left out of every
 * figure of every view (its own, its school's, its version's, its language's, the
 * comparison's and the grand total) until it has k; so are a class's answers under one
 * package version served, or in one language, when they are fewer than k (see
 * src/report/scope.c). Reports say how many answers are held back, never what they say.
 * Classes with k or more answers are shown in full, zeros included. Because each figure is
 * a sum over shown classes only, no view, nor any combination of views, holds anything of a
 * held-back class; a lower k only shows more, and a new answer never hides a figure.
 *
 * Before and after: a scale question asked at the end is paired with a scale question asked
 * at the start, or looking back, whose id is the same once the words start, end, before,
 * after, retro, now and then are taken out ("q-sure-start", "q-sure-end", "q-retro-sure").
 * Start and end answers cannot be matched to one pupil, so their change is Welch's interval
 * for two independent samples; a looking-back answer and an end answer in one submission
 * are the same pupil's, so their change is the paired interval. A knowledge item (a question
 * with a right answer) asked at the end pairs in the same way with the one asked at the start.
 *
 * What changed from start to end (report_pair_change() in internal.h) is shown for each pair
 * in each group shown: both distributions side by side, the share in the top answers (or the
 * share right) at each end with its Wilson interval, an effect size for ordinal answers
 * (Cliff's delta, or the matched-pairs rank-biserial correlation for pairs in one
 * submission) with its interval, and a sentence. The k rule holds for each part and for the
 * pairs separately: a part with fewer than k answers gives none of these figures (its
 * column, share or effect size), even in a class that is shown.
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

/*
 * Effect sizes for ordinal answers, and shares with their intervals (src/report/effect.c).
 * Answers are counts per level of an ordered scale (level 0 lowest), so each function reads
 * a class's, school's or version's tallies directly. Every interval is a 95% interval.
 */
enum stats_effect_kind {
    STATS_CLIFF,         /* Cliff's delta, two independent samples */
    STATS_RANK_BISERIAL, /* the matched-pairs rank-biserial correlation */
};

struct stats_effect {
    enum stats_effect_kind kind;
    double estimate; /* from -1 (every answer lower after) to +1 (every answer higher) */
    double low;
    double high;
    double se; /* Cliff: the standard error of delta; rank-biserial: of atanh(r) */
    int64_t n_before;
    int64_t n_after; /* rank-biserial: the pairs whose answers differ, as n_before */
};

/*
 * Cliff's delta for the answers before[0..levels) (counts per level) and after[0..levels):
 * P(after > before) - P(after < before) over every pair of one answer from each side. Its
 * variance is Cliff's (1993) unbiased estimate, and the interval is Cliff's asymmetric one
 * (Cliff 1993; Feng & Cliff 2004), which stays inside [-1, 1]:
 *   (d - d^3 +- z s sqrt((1 - d^2)^2 + z^2 s^2)) / (1 - d^2 + z^2 s^2).
 * Returns 0, or -1 when either side has fewer than 2 answers.
 */
__attribute__((warn_unused_result)) int stats_cliff(const int64_t *before, const int64_t *after,
                                                    size_t levels, struct stats_effect *out);
/*
 * The matched-pairs rank-biserial correlation (Kerby 2014) of paired differences:
 * diff[span + d] counts the pairs whose answer after minus the answer before is d, for d
 * from -span to +span. Pairs with no difference are dropped (Wilcoxon's rule), the others
 * ranked by |d| with ties given their mean rank; r = (T+ - T-) / (T+ + T-). Its interval is
 * that of the R package effectsize (Ben-Shachar et al. 2020): tanh(atanh(r) +- z se), with
 * se = sqrt((2n^3 + 3n^2 + n) / 6) / ((n^2 + n) / 2) over the n pairs that differ (an r of
 * +-1 is taken as +-(1 - 1e-9) so that the interval has a width). Returns 0, or -1 when fewer
 * than 2 pairs differ.
 */
__attribute__((warn_unused_result)) int stats_rank_biserial(const int64_t *diff, size_t span,
                                                            struct stats_effect *out);

/* A proportion x / n with its Wilson score interval (no continuity correction). */
struct stats_share {
    double share;
    double low;
    double high;
    int64_t x;
    int64_t n;
};

/* Returns 0, or -1 when n < 1 or x is outside 0..n. */
__attribute__((warn_unused_result)) int stats_wilson(int64_t x, int64_t n, struct stats_share *out);

/*
 * The size of an effect in words: "negligible", "small", "medium" or "large", by |estimate|.
 * Cliff's delta: Romano et al. (2006), below 0.147, 0.33 and 0.474. The matched-pairs
 * rank-biserial correlation: Cohen's (1988) thresholds for a correlation, 0.1, 0.3 and 0.5.
 * Static strings.
 */
const char *stats_effect_size(enum stats_effect_kind kind, double estimate);
/*
 * One plain phrase for an effect, for a sentence such as "At the end, ...: a medium rise":
 * "a small rise", "a large fall", "a negligible rise", or "no clear change" when the
 * interval includes 0 (the figures cannot tell a change from chance). Written into buf.
 */
void stats_effect_words(const struct stats_effect *e, char *buf, size_t size);

/*
 * One sentence a head teacher can read, for a question asked at the start and at the end:
 * "At the end, 71% were quite or very sure about saying no, up from 42% at the start: a
 * medium rise." what says what the top answers mean; start and end are the shares in them;
 * e is the effect size, in the words of stats_effect_words(). Percentages are whole.
 * Written into buf.
 */
void stats_change_sentence(const char *what, const struct stats_share *start,
                           const struct stats_share *end, const struct stats_effect *e, char *buf,
                           size_t size);
/*
 * The same in other words: at is when the second share was found ("At the end" above, "A few
 * weeks later"), what says what it counts with its verb ("were quite or very sure ...",
 * "gave the right answer"), and since when the first was ("at the start", "looking back").
 */
void stats_change_sentence_at(const char *at, const char *what, const char *since,
                              const struct stats_share *start, const struct stats_share *end,
                              const struct stats_effect *e, char *buf, size_t size);

/* ---- CSV ---- */

/*
 * Appends one CSV cell (RFC 4180 quoting). A cell that a spreadsheet would run as a formula
 * (starting with = + - @ tab or CR) gets a leading apostrophe, so it shows as text.
 */
void csv_add_cell(struct buf *b, const char *s, size_t len);
void csv_adds_cell(struct buf *b, const char *s);

/* ---- reports ---- */

/*
 * REPORT_PILOT is the printable pilot report (src/report/render_pilot.c): one package version,
 * or two side by side (the pilot and its revision), written as an evaluation report (aims,
 * method, participants, results, limitations, changes made), with a print stylesheet for A4.
 */
enum report_format { REPORT_TEXT, REPORT_CSV, REPORT_HTML, REPORT_PILOT };

struct textmatch;

struct report_options {
    int k;                 /* 0: REPORT_K_DEFAULT; values below REPORT_K_MIN are raised */
    const char *cohort;    /* only this class (a code); NULL: everything */
    const char *school;    /* only this school's classes (and their focus groups); NULL: all */
    const char *compare_a; /* versions to compare; NULL: the two latest */
    const char *compare_b;
    /* The pilot report's one package version when no two are compared; NULL: the newest. */
    const char *version;
    bool html_fragment; /* HTML without <html>, <head> and styles, for the staff pages */
    const char *source; /* where the data came from, for the heading; may be NULL */
    /* HTML: the address each chart is downloaded from, already escaped for a URL, to which
     * "&group=...&q=...&format=svg|png" is added (see report_write_chart()); NULL: no links. */
    const char *chart_href;
    /* Phrases that mark a comment as one that may be a disclosure (base/textmatch.h), from
     * the package the caller has; borrowed, kept until report_free(). NULL: none flagged.
     * Flagged comments of a shown class come first in the text and HTML comments, with
     * REPORT_FLAG_MARK and the class; a class held back shows no comments, flagged or not. */
    const struct textmatch *flag_words;
    /* The own name of a language ("Cymraeg" for "cy"), or NULL when not known, for the
     * headings of the answers in each language; lent by a caller that can see the interface
     * catalogs (src/pkg), which the reports may not. NULL: languages go by their tags. */
    const char *(*language_name)(const char *language);
};

/* How the report marks a comment that may be a disclosure: the one place it is worded. */
#define REPORT_FLAG_MARK "May be a disclosure: read and act at class level"

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
 * Writes one chart of the HTML report as an SVG document of its own, for a written report:
 * group names the group as the chart's download link does ("all", "version:1.0.0",
 * "school:NAME", "class:CODE", "language:TAG" ("language:not-recorded" for
 * answers stored before languages were), or "compare" for the version comparison), question is a
 * question id. Returns 0; -ENOENT for a chart the report does not show (unknown, or a class
 * held back: it has no figures); -1 when the sink failed.
 */
__attribute__((warn_unused_result)) int report_write_chart(const struct report *r,
                                                           const char *group, const char *question,
                                                           const struct report_sink *sink);

/*
 * Themes (src/report/themes.c): what staff coded comments and focus groups with on the staff
 * pages' coding page. For group (named as report_write_chart() names groups: "all",
 * "version:V", "language:TAG", "school:NAME", "class:CODE"), how many of its comments there are and
 * how many were coded, and each theme that a comment or focus group of it has: how many comments,
 * how many focus groups, and the first `keep` of its comments in alphabetical order (masked as
 * every stored comment is). Like every figure, a sum over the group's shown classes only: a
 * class held back shows nothing of its themes (-EPERM), and is in no total. A focus group
 * counts where its class is shown (one of no class, in "all" only). -ENOENT for a group the
 * report does not have or show. The caller frees out with report_themes_release(); its
 * strings are the report's.
 */
#define REPORT_THEME_QUOTES 20

struct report_theme {
    const char *name;
    const char *description; /* "" when none */
    bool retired;
    int64_t comments;     /* comments of the group coded with it */
    int64_t focus_groups; /* focus groups of the group coded with it */
    const char **quotes;  /* the first of those comments, alphabetically */
    size_t nquotes;
    int64_t more; /* comments with it that are not in quotes */
};

struct report_themes {
    int64_t comments;       /* comments of the group's shown classes */
    int64_t coded;          /* of those, comments with at least one theme */
    int64_t focus_groups;   /* focus groups of the group */
    struct report_theme *v; /* most comments first, then most focus groups, then by name */
    size_t n;
};

__attribute__((warn_unused_result)) int report_themes(const struct report *r, const char *group,
                                                      size_t keep, struct report_themes *out);
void report_themes_release(struct report_themes *t);

/*
 * Data for evaluators (src/report/export.c), each leaving out whole every class the report
 * holds back, with rows in random order within a class and no time of day:
 *   REPORT_EXPORT_CSV       the tidy CSV: one row per submission (class code, school,
 *                           version, language, part, day, pairing number, then one column
 *                           per question holding the option id, or one 1/0 column per option
 *                           of a multiple-choice question, and the masked text of text ones)
 *   REPORT_EXPORT_CODEBOOK  its data dictionary, as plain text: every variable with its
 *                           question, wording, type, part and options, and how many
 *                           submissions were left out for being in a class under k
 *   REPORT_EXPORT_SAV       the same rows as an SPSS file, with variable and value labels
 *   REPORT_EXPORT_DTA       the same rows as a Stata file, with variable and value labels
 * Returns 0, a store status, or -1 when the sink (or ReadStat) failed.
 */
enum report_export {
    REPORT_EXPORT_CSV,
    REPORT_EXPORT_CODEBOOK,
    REPORT_EXPORT_SAV,
    REPORT_EXPORT_DTA,
};

__attribute__((warn_unused_result)) int
report_export(const struct report *r, enum report_export format, const struct report_sink *sink);
/* report_export(r, REPORT_EXPORT_CSV, sink). */
__attribute__((warn_unused_result)) int report_write_csv(const struct report *r,
                                                         const struct report_sink *sink);

#endif
