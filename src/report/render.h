/*
 * Output helpers shared by the report's formatters (render.c, render_text.c, render_html.c,
 * export.c). Internal to src/report. A formatter only formats: every figure it writes
 * comes from report.c's accessors (internal.h), which refuse the figures of a held-back class.
 */
#ifndef PLANPACK_REPORT_RENDER_H
#define PLANPACK_REPORT_RENDER_H

#include "report/internal.h"

#define COMMENTS_SHOWN 100

/* Output is gathered in a buffer and handed to the sink in pieces. */
struct out {
    const struct report *r;
    const struct report_sink *sink;
    struct buf b;
    bool html;
    bool failed;
    unsigned ids;
};

/* Hands what is gathered to the sink once there is enough of it, or at once with force. */
void out_flush(struct out *o, bool force);
__attribute__((format(printf, 2, 3))) void out_fmt(struct out *o, const char *fmt, ...);
void out_str(struct out *o, const char *s);
/* Text in HTML is escaped; in plain text, it is written as stored (already cleaned). */
void out_text(struct out *o, const char *s);
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

/* One question of group g, as text (render_text.c) or as a chart and table (render_html.c). */
void text_question(struct out *o, size_t g, size_t q);
void html_question(struct out *o, size_t g, size_t q);
/* The stylesheet of a whole HTML report. */
extern const char *const report_html_style;

#endif
