/*
 * Output helpers shared by the report's formatters: render_text.c (plain text), render_html.c
 * (HTML with SVG charts) and export.c (the data for evaluators), each a formatter of its own.
 * Internal to src/report. A formatter only formats: every figure it writes comes from
 * report.c's accessors (internal.h), which refuse the figures of a held-back class, directly
 * or through the helpers below, which are built on them.
 */
#ifndef PLANPACK_REPORT_RENDER_H
#define PLANPACK_REPORT_RENDER_H

#include "report/internal.h"

#define COMMENTS_SHOWN 100

/*
 * Output is gathered in a buffer and handed to the sink in pieces of OUT_FLUSH_AT or more.
 * OUT_BUF_MAX leaves room above that for the longest single piece a formatter writes (a
 * chart's SVG as a data: link); past it the output fails rather than growing. A chart drawn
 * for its download link is gathered whole, up to CHART_SVG_MAX, or given no link.
 */
#define OUT_FLUSH_AT ((size_t)64 << 10)
#define OUT_BUF_MAX ((size_t)4 << 20)
#define CHART_SVG_MAX ((size_t)1 << 20)
struct out {
    const struct report *r;
    const struct report_sink *sink;
    struct buf b;
    bool html;
    bool standalone; /* a chart as a document of its own (a download) */
    bool failed;
    unsigned ids;
};

/* Hands what is gathered to the sink once there is enough of it, or at once with force. */
void out_flush(struct out *o, bool force);
__attribute__((format(printf, 2, 3))) void out_fmt(struct out *o, const char *fmt, ...);
void out_str(struct out *o, const char *s);
/* Text in HTML is escaped; in plain text, it is written as stored (already cleaned). */
void out_text(struct out *o, const char *s);
/* fmt with each %s filled in as out_text() writes it; only %s and %% (see buf_addf_html()). */
__attribute__((format(printf, 2, 3))) void out_textf(struct out *o, const char *fmt, ...);
void out_day(int day, char out[11]);
const char *out_when(enum survey_when w);
const char *out_type(enum survey_type t);
const char *out_col_label(const struct rq *q, size_t j);
/* Writes v in decimal into buf (at least 21 bytes); returns its length. */
size_t out_int(long long v, char *buf);
/* A count (buf of at least 21 bytes) and its share of the answers, or "" where refused. */
void out_count(const struct report *r, size_t g, size_t q, size_t j, char *buf);
void out_share(const struct report *r, size_t g, size_t q, size_t j, char *buf, size_t size);
/* Appends s in a field of width bytes, as printf's %-W.Ws (left, cut to width) or %Ws. */
void out_field(struct buf *b, const char *s, size_t width, bool left);
void out_diff(const struct stats_diff *d, char *buf, size_t size);
/* A mean the report lets out; NAN when it does not (callers check with report_mean first). */
double out_mean(const struct report *r, size_t g, size_t q);

/*
 * The headline of a question in group g: the answer most chosen (the first of equals), its
 * count and how many answered the question (submissions less "No answer"). False when the
 * report refuses the group's figures, for a text question, or when nobody answered.
 */
bool out_headline(const struct report *r, size_t g, size_t q, size_t *col, int64_t *count,
                  int64_t *answered);
/* The group the summary speaks of: the one class shown, or every answer. */
size_t out_summary_group(const struct report *r);
/* How a group's size is said ("20", "3 so far, not shown until there are 5", ...). */
void out_group_size(const struct report *r, size_t g, char *buf, size_t size);
/* Schools counted in the whole report (classes with no school given are not a school), and
 * the shown classes that have no school. */
size_t out_schools(const struct report *r, size_t *unnamed);
/*
 * The versions of class g (a cohort group) as its heading gives them: "version 1.0.0", and
 * where some of its submissions were served another, "version 1.0.0, submissions served
 * under 1.0.0 and 1.1.0"; where they came in more than one language, ", answered in
 * Cymraeg (cy) and English (en-GB)". Written into buf.
 */
void out_class_versions(const struct report *r, size_t g, char *buf, size_t size);
/* A language as reports name it: "Cymraeg (cy)" (its own name when the report was lent
 * one, see report_options.language_name), "cy", or STORE_LANGUAGE_NONE_LABEL for NULL. */
void out_language(const struct report *r, const char *language, char *buf, size_t size);
/* The heading of language group g: "Answers in Cymraeg (cy)". */
void out_language_heading(const struct report *r, size_t g, char *buf, size_t size);
/* Why a total holds back answers of classes it shows (a version or a language of a class
 * under k), in one sentence; "" when it holds back none such. */
void out_held_note(const struct report *r, size_t g, char *buf, size_t size);
/*
 * The comments on one text question in one group, as both formatters list them: those that
 * may be a disclosure first, then the first COMMENTS_SHOWN others, and how many more there
 * are (listed in the CSV export only). Borrowed from the report for the length of a row().
 */
struct out_comments {
    const struct rflagged *flagged;
    size_t nflagged;
    const char *const *listed;
    size_t nlisted;
    int64_t more;
};
/* The comments walk both formatters share: row() is called for each text question of group g
 * that has a comment the report lets out. */
void out_each_comments(struct out *o, size_t g,
                       void (*row)(struct out *o, size_t q, const struct out_comments *c));

/* A before/after pair's line for group g ("start 2.10 (n = 28), end 3.40 ...: +1.30 (95% CI
 * ...)"), or why there is none. */
void out_pair(const struct report *r, size_t p, size_t g, char *buf, size_t size);
/*
 * The focus groups the report shows (all, or those of the one class it is filtered to), the
 * walk both formatters share: row() is called for each, with its day as YYYY-MM-DD.
 */
void out_each_focus_group(struct out *o,
                          void (*row)(struct out *o, const struct store_focus_group *f,
                                      const char *day));
/*
 * Group g's pairing words in one sentence ("12 pairs: 60% of 20 start answers and 67% of
 * 18 end answers were paired by their pairing words."), or why it is held back. False when
 * there is nothing to say (no start or end answers).
 */
bool out_pairing(const struct report *r, size_t g, char *buf, size_t size);
/*
 * What changed from start to end in group g (or, with later, from the start to the later
 * part), the walk both formatters share: row() is called for each such pair
 * report_pair_change() lets out, with the group, the pair's index and its figures (first is
 * true for the first row). Returns how many rows there were.
 */
size_t out_each_change(struct out *o, size_t g, bool later,
                       void (*row)(struct out *o, bool first, size_t g, size_t p,
                                   const struct report_change *c));
/*
 * What changed from start to end (report_pair_change()), in words both formatters write:
 * a share "42% (95% CI 30% to 55%; 10 of 24)" or why it is not shown; the effect size
 * "Cliff's delta +0.45 (95% CI +0.20 to +0.65), a medium effect" or why there is none; and,
 * where the data show one, the note on a ceiling.
 */
void out_change_share(const struct report *r, const struct stats_share *s, bool have, char *buf,
                      size_t size);
void out_change_effect(const struct report *r, const struct report_change *c, char *buf,
                       size_t size);
void out_change_ceiling(const struct report_change *c, char *buf, size_t size);
/* A count (count, at least 21 bytes) and share of one answer of one part, or "" for a part
 * with fewer than k answers (have is false): a part held back shows nothing. */
void out_change_cell(const struct report *r, size_t g, size_t q, size_t j, bool have, char *count,
                     char *share, size_t size);
/* The next pair from *p on whose change in group g has a sentence, in c, of those to the
 * later part or of the others; false at the end. */
bool out_change_next(const struct report *r, size_t g, bool later, size_t *p,
                     struct report_change *c);
/* What a pair compares, in words: "at the start and at the end", ... Static. */
const char *out_change_kind(const struct report_change *c);
/* The heading of a pair's start column: "Start" or "Looking back"; of its other column,
 * "End" or "Weeks later". Static. */
const char *out_change_since(const struct report_change *c);
const char *out_change_until(const struct report_change *c);
/* The heading over the pairs to the end, or to the later part. Static. */
const char *out_change_heading(bool later);
/*
 * What the before-and-after figures cannot show, as one paragraph; it names a ceiling when
 * some shown result has one. False when the report shows no start-and-end result at all.
 */
bool out_change_limits(const struct report *r, char *buf, size_t size);
/*
 * Said wherever change is reported when the survey has a later part: its answers are compared
 * with the start as two groups, never paired. Static; empty when the survey has no later
 * questions.
 */
const char *out_later_note(const struct report *r);

/* Row j of question q in the version comparison: each version's count and share (for
 * j == ncols, the submissions and no share); "" where refused. */
void out_compare_row(const struct report *r, size_t q, size_t j, char c[2][32], char s[2][16]);

/* What a lead reads first about small classes and what the figures count. */
#define OUT_HOLD_BACK                                                                              \
    "Classes with fewer than %d submissions are not shown, a class's submissions under each "      \
    "package version served and in each language counted apart: they are left out of every "       \
    "figure, totals included, until they number %d, so that no pupil's answers can be picked "     \
    "out."
#define OUT_COUNTS_ARE                                                                             \
    "Figures count submissions of the feedback form, not pupils. A share is of those who "         \
    "answered the question; \"No answer\" is counted beside the shares, not in them."

/* The name a group goes by in a chart's address and report_themes() ("class:CODE",
 * "school:NAME", "version:V", "language:TAG", "all"), and the group of a name (SIZE_MAX: none). */
void out_group_key(const struct report *r, size_t g, char *buf, size_t size);
size_t out_group_named(const struct report *r, const char *key);
/* Whether staff keep a list of themes (so that out_themes() has something to say). */
bool report_has_themes(const struct report *r);
/* Group g's themes: counts, and with quotes the comments coded with each (themes.c). */
void out_themes(struct out *o, size_t g, bool quotes);
/* The codebook's list of themes, with their numbers and descriptions (nothing when none). */
void report_themes_codebook(struct out *o);

/* The whole report, as text (render_text.c) or HTML (render_html.c); the pilot report
 * (render_pilot.c). */
void text_report(struct out *o);
void html_report(struct out *o);
void pilot_report(struct out *o);

/* Pieces of the HTML report that the pilot report shares (render_html.c). */
extern const char *const report_html_style; /* a whole document's <style> element */
/* A whole HTML document up to its <main> (with class main_class, when not NULL) and its
 * <h1>title</h1>, its head holding the report's style and style (when not NULL); and its
 * end. The HTML report and the pilot report are each such a document. */
void html_document_open(struct out *o, const char *title, const char *style,
                        const char *main_class);
void html_document_close(struct out *o);
/* Group g's answers to question q as a bar chart (SVG). */
void html_chart(struct out *o, size_t g, size_t q);
/* Group g's answers to question q: its heading, chart and table of the same figures. */
void html_question(struct out *o, size_t g, size_t q);
/* Question q in the two versions compared (cmp_a, cmp_b), under a heading of this level:
 * nothing when either was not asked it or is held back. */
void html_compare_question(struct out *o, size_t q, int level);
/* A version's change-log entry: "What changed in V (date)" and its list. */
void html_changes(struct out *o, const struct survey *sv);
/*
 * Pair p's figures in group g as the HTML report gives them (c from report_pair_change()):
 * both parts' answers side by side in a table labelled by the heading with id "chg-ID", the
 * shares in the top answers (or right), the effect size, the means, and the ceiling note.
 */
void html_change_figures(struct out *o, size_t g, size_t p, const struct report_change *c,
                         unsigned id);
/* Two series' shares side by side: question q[s] in group g[s], named key[s] in the key. */
void html_chart_two(struct out *o, const size_t g[2], const size_t q[2], const char *const key[2],
                    const char *title);

#endif
