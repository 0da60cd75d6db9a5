/*
 * The CSV export: one row per answer (class code, school, package version, then one column per
 * question, answers as their labels), each class's rows in random order. The answers come
 * from report_answers_each(), which gives none of a held-back class.
 */
#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/render.h"

struct csv_ctx {
    struct out *o;
    const struct report *r;
    size_t g;
    struct survey_decoder dec;
    const char **cells; /* per question, this row's answer */
    struct buf joined;  /* multi answers joined with "; " */
    size_t *joined_at;
    struct buf rows; /* this class's rows, shuffled before they are written */
    size_t *starts;
    size_t nrows;
    size_t starts_cap;
};

static const char *option_label(const struct pkg_survey_question *sq, const char *id)
{
    int i = survey_option_index(sq, id);
    return i < 0 ? id : survey_option_label(sq, (size_t)i);
}

static int csv_row(const struct store_answer_row *row, void *ctx)
{
    struct csv_ctx *c = ctx;
    const struct report *r = c->r;
    const struct group *grp = &r->g[c->g];
    const struct survey_item *items;
    size_t n;
    size_t v = grp->ver;
    if (v == SIZE_MAX || strcmp(r->vers[v].sv->package_version, row->package_version) != 0 ||
        survey_answer_decode(&c->dec, row->body, row->body_len, &items, &n) != 0)
        return 0;
    const struct survey *sv = r->vers[v].sv;
    buf_reset(&c->joined);
    for (size_t q = 0; q < r->nq; q++) {
        c->cells[q] = NULL;
        c->joined_at[q] = SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        const struct survey_item *it = &items[i];
        const struct pkg_survey_question *sq = survey_question(sv, it->question_id);
        size_t q = 0;
        while (q < r->nq && strcmp(r->q[q].id, it->question_id) != 0)
            q++;
        if (!sq || q == r->nq)
            continue;
        if (it->prefer_not) {
            c->cells[q] = "Prefer not to say";
        } else if (sq->type == SURVEY_TEXT) {
            c->cells[q] = it->value_count ? it->values[0] : NULL;
        } else if (it->value_count == 1) {
            c->cells[q] = option_label(sq, it->values[0]);
        } else {
            c->joined_at[q] = c->joined.len;
            for (size_t j = 0; j < it->value_count; j++) {
                if (j)
                    buf_adds(&c->joined, "; ");
                buf_adds(&c->joined, option_label(sq, it->values[j]));
            }
            buf_addc(&c->joined, '\0');
        }
    }
    struct buf *b = &c->rows;
    XGROW(c->starts, c->starts_cap, c->nrows + 2);
    c->starts[c->nrows++] = b->len;
    csv_adds_cell(b, grp->cohort->code);
    buf_addc(b, ',');
    csv_adds_cell(b, grp->cohort->school ? grp->cohort->school : "");
    buf_addc(b, ',');
    csv_adds_cell(b, row->package_version);
    for (size_t q = 0; q < r->nq; q++) {
        buf_addc(b, ',');
        const char *cell =
            c->joined_at[q] != SIZE_MAX ? c->joined.ptr + c->joined_at[q] : c->cells[q];
        csv_adds_cell(b, cell ? cell : "");
    }
    buf_adds(b, "\r\n");
    return buf_ok(b) ? 0 : -1;
}

/* Writes a class's rows in random order: storage order roughly follows arrival. */
static void csv_flush_class(struct csv_ctx *c)
{
    size_t n = c->nrows;
    if (n == 0)
        return;
    size_t *idx = xmalloc(n * sizeof(*idx));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t r = randombytes_uniform((uint32_t)i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[r];
        idx[r] = t;
    }
    c->starts[n] = c->rows.len;
    for (size_t i = 0; i < n; i++) {
        size_t k = idx[i];
        buf_add(&c->o->b, c->rows.ptr + c->starts[k], c->starts[k + 1] - c->starts[k]);
        out_flush(c->o, false);
    }
    free(idx);
    buf_reset(&c->rows);
    c->nrows = 0;
}

int report_write_csv(const struct report *r, const struct report_sink *sink)
{
    struct out o = {.r = r, .sink = sink};
    buf_init(&o.b, 0);
    struct csv_ctx c = {.o = &o, .r = r};
    survey_decoder_init(&c.dec);
    buf_init(&c.joined, 1 << 20);
    buf_init(&c.rows, 0);
    c.cells = xcalloc(r->nq ? r->nq : 1, sizeof(*c.cells));
    c.joined_at = xcalloc(r->nq ? r->nq : 1, sizeof(*c.joined_at));
    buf_adds(&o.b, "class_code,school,package_version");
    for (size_t q = 0; q < r->nq; q++) {
        buf_addc(&o.b, ',');
        csv_adds_cell(&o.b, r->q[q].id);
    }
    buf_adds(&o.b, "\r\n");
    int rc = 0;
    /* report_answers_each() refuses a held-back class: it is left out whole. */
    for (size_t g = 0; g < r->ncohorts && rc == 0; g++) {
        if (r->filter != SIZE_MAX && g != r->filter)
            continue;
        c.g = g;
        rc = report_answers_each(r, g, csv_row, &c);
        if (rc == -EPERM) {
            rc = 0;
            continue;
        }
        if (rc == 0 && !buf_ok(&c.rows))
            rc = -1;
        if (rc == 0)
            csv_flush_class(&c);
        if (o.failed)
            rc = -1;
    }
    out_flush(&o, true);
    if (rc == 0 && (o.failed || !buf_ok(&o.b)))
        rc = -1;
    free(c.cells);
    free(c.joined_at);
    free(c.starts);
    buf_release(&c.rows);
    buf_release(&c.joined);
    survey_decoder_release(&c.dec);
    buf_release(&o.b);
    return rc;
}
