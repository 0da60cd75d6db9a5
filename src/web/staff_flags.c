/*
 * /staff/comments: pupils' comments that may be a disclosure or a cry for help, found with
 * the package's word lists (safeguarding.yaml, base/textmatch.h), shown to the staff who
 * may see the class: its label, its school and the day, never the time, the pupil's other
 * answers or anything else that could tell who wrote it. Within a class and a day the
 * comments are in alphabetical order, so their order says nothing of when each was sent.
 * The home page names the classes with one sent since the account last opened the page
 * (from that day on: a comment carries its day, not its time), or, before it first does, from
 * the last STAFF_FLAG_DAYS days.
 *
 * Answers stay anonymous: a flag is worked out each time the page is read, from the words
 * the package has now, and never stored. So a lead's change to the list applies to every
 * comment already sent.
 */
#include <stdlib.h>
#include <string.h>

#include "base/textmatch.h"
#include "base/xalloc.h"
#include "survey/survey.h"
#include "web/staff_pages.h"

/* The most comments the page lists; a page past this says how many more there are. */
#define FLAGGED_MAX 1000

/* Each comment of one class, for staff_comments_each(). */
struct comment_scan {
    const struct survey *sv;
    const struct store_cohort *cohort;
    struct survey_decoder dec;
    int64_t answers;
    staff_comment_fn *fn;
    void *ctx;
};

static int scan_comments(const struct store_answer_row *row, void *ctx)
{
    struct comment_scan *s = ctx;
    const struct survey_item *items;
    size_t count;
    s->answers++;
    if (survey_answer_decode(&s->dec, row->body, row->body_len, &items, &count) != 0)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const struct survey_question *q = survey_question(s->sv, items[i].question_id);
        if (!q || q->type != SURVEY_TEXT)
            continue;
        for (size_t j = 0; j < items[i].value_count; j++) {
            int rc = s->fn(s->ctx, s->cohort, row, q, items[i].values[j]);
            if (rc)
                return rc;
        }
    }
    return 0;
}

int staff_comments_each(struct staff_page *p, const struct store_cohort *cs, size_t n,
                        int64_t *answers, staff_comment_fn *fn, void *ctx)
{
    struct comment_scan s = {.fn = fn, .ctx = ctx};
    survey_decoder_init(&s.dec);
    int rc = STORE_OK;
    for (size_t i = 0; i < n && rc == STORE_OK; i++) {
        s.answers = 0;
        /* A class whose version's survey was never stored has no answers to read. */
        if (store_survey_get(p->st, cs[i].package_id, cs[i].package_version, &s.sv) == STORE_OK) {
            s.cohort = &cs[i];
            rc = store_answers_each(p->st, cs[i].id, scan_comments, &s);
        }
        if (answers)
            answers[i] = s.answers;
    }
    survey_decoder_release(&s.dec);
    return rc;
}

struct flag_scan {
    struct staff_page *p;
    const struct textmatch *words;
    int since;
    struct buf scratch;
    struct staff_flagged *v;
    size_t n, cap, more;
};

static int flag_comment(void *ctx, const struct store_cohort *c, const struct store_answer_row *row,
                        const struct survey_question *q, const char *text)
{
    (void)q;
    struct flag_scan *s = ctx;
    if (row->day < s->since)
        return 0;
    const char *hit = textmatch_find(s->words, text, strlen(text), &s->scratch);
    if (!hit)
        return 0;
    if (s->n == FLAGGED_MAX) {
        s->more++;
        return 0;
    }
    XGROW(s->v, s->cap, s->n + 1);
    s->v[s->n++] = (struct staff_flagged){
        .cohort = c, .day = row->day, .text = arena_strdup(s->p->a, text), .phrase = hit};
    return 0;
}

void staff_flag_words(struct staff_page *p, struct textmatch *m)
{
    textmatch_init(m);
    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    for (size_t i = 0; pkg && i < pkg->flag_list_count; i++)
        for (size_t j = 0; j < pkg->flag_lists[i].count; j++)
            (void)textmatch_add(m, pkg->flag_lists[i].phrases[j]);
}

/* Newest day first; then by class, in the order the classes were made; then the text. */
static int cmp_flagged(const void *a, const void *b)
{
    const struct staff_flagged *x = a, *y = b;
    if (x->day != y->day)
        return x->day > y->day ? -1 : 1;
    if (x->cohort->id != y->cohort->id)
        return x->cohort->id < y->cohort->id ? -1 : 1;
    return strcmp(x->text, y->text);
}

int staff_flagged_comments(struct staff_page *p, int since, struct staff_flagged **out,
                           size_t *count, size_t *more)
{
    *out = NULL;
    *count = *more = 0;
    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    if (!pkg || !pkg->flag_list_count)
        return STORE_OK;
    struct store_cohort *cs;
    size_t nc;
    int rc = staff_visible_cohorts(p, &cs, &nc);
    if (rc != STORE_OK)
        return rc;
    struct textmatch words;
    staff_flag_words(p, &words);
    struct flag_scan s = {.p = p, .words = &words, .since = since};
    buf_init(&s.scratch, (size_t)64 << 10);
    rc = staff_comments_each(p, cs, nc, NULL, flag_comment, &s);
    buf_release(&s.scratch);
    textmatch_release(&words);
    if (rc != STORE_OK) {
        free(s.v);
        return rc;
    }
    if (s.n) {
        qsort(s.v, s.n, sizeof(*s.v), cmp_flagged);
        *out = arena_alloc(p->a, s.n * sizeof(*s.v));
        memcpy(*out, s.v, s.n * sizeof(*s.v));
    }
    free(s.v);
    *count = s.n;
    *more = s.more;
    return STORE_OK;
}

void staff_class_name(struct buf *b, const struct store_cohort *c)
{
    buf_addf_html(b, "%s (<code>%s</code>", c->label, c->code);
    if (c->school)
        buf_addf_html(b, ", %s", c->school);
    buf_adds(b, ")");
}

void staff_flags_home(struct staff_page *p)
{
    struct buf *b = p->out;
    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    if (!pkg || !pkg->flag_list_count) {
        buf_adds(b, "<p>This package has no list of words that may signal a disclosure, so "
                    "no comment is put first: read every comment in the reports.</p>\n");
        return;
    }
    struct staff_flagged *v;
    size_t n, more;
    int looked = p->sess->comments_seen_day;
    int since = looked >= 0 ? looked : store_today(p->st) - (STAFF_FLAG_DAYS - 1);
    /* "since you last looked at them (on DAY, sent that day included)" or "from the last 14
     * days" */
    char when[128], day[11];
    store_day_format(looked, day);
    if (looked >= 0)
        snprintf(when, sizeof(when),
                 "since you last looked at them (on %s: those sent that day are counted too)", day);
    else
        snprintf(when, sizeof(when), "from the last %d days", STAFF_FLAG_DAYS);
    if (staff_flagged_comments(p, since, &v, &n, &more) != STORE_OK) {
        staff_page_error(p, "The comments could not be read, so this page cannot say whether "
                            "any may be a disclosure. Please reload it.");
        return;
    }
    size_t classes = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = v[j].cohort == v[i].cohort;
        classes += !seen;
    }
    if (!classes) {
        buf_addf(b,
                 "<p>No comment %s holds words that may signal a disclosure. <a "
                 "href=\"/staff/comments\">Comments to read first</a> lists older ones.</p>\n",
                 when);
        return;
    }
    buf_adds(b, "<section class=\"flagged\" aria-labelledby=\"flagged-h\">\n"
                "<h2 id=\"flagged-h\">Comments to read first</h2>\n");
    buf_addf(b,
             "<p><strong>%zu %s</strong> %s comments %s that may be a "
             "disclosure or a cry for help. Read them, then act for the whole class: speak to "
             "the teacher, and make sure every pupil knows where to get help. Answers are "
             "anonymous, so nobody can tell which pupil wrote one.</p>\n<ul>\n",
             classes, classes == 1 ? "class" : "classes", classes == 1 ? "has" : "have", when);
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = v[j].cohort == v[i].cohort;
        if (seen)
            continue;
        buf_addf(b, "<li><a href=\"/staff/comments#c-%s\">", v[i].cohort->code);
        staff_class_name(b, v[i].cohort);
        buf_adds(b, "</a></li>\n");
    }
    buf_adds(b, "</ul>\n</section>\n");
}

unsigned staff_flags_get(struct staff_page *p)
{
    struct staff_flagged *v;
    size_t n, more;
    if (staff_flagged_comments(p, 0, &v, &n, &more) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The comments could not be read. Please try again.");
    /* Looked at: the home page now tells of comments since today. A store that cannot be
     * written (read-only) keeps the day before, which only tells of more. */
    bool noted =
        store_staff_set_comments_seen(p->st, p->sess->staff_id, store_today(p->st)) == STORE_OK;
    struct buf *b = p->out;
    const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
    staff_page_open(p, "Comments to read first");
    if (!noted)
        buf_adds(p->out, "<p class=\"warning\">The server could not note that you have looked, "
                         "so the home page will go on telling you of these comments.</p>\n");
    buf_adds(b, "<p>Pupils' comments that hold words or phrases that may signal a disclosure "
                "or a cry for help, newest first. A word list cannot understand: many of these "
                "will be ordinary comments, and a worrying comment in other words is not "
                "here, so read every comment in the reports too.</p>\n"
                "<p>Answers are anonymous: you see the class and the day, never who wrote a "
                "comment or when in the day. Act for the whole class: speak to the teacher, "
                "and make sure every pupil knows where to get help and who they can talk "
                "to.</p>\n");
    if (!pkg || !pkg->flag_list_count) {
        buf_adds(b, "<p class=\"warning\"><strong>This package has no list of words that may "
                    "signal a disclosure (safeguarding.yaml), so no comment is flagged. "
                    "Read every comment in the reports.</strong></p>\n");
        staff_page_close(p);
        return HTTP_OK;
    }
    if (!n)
        buf_adds(b, "<p>No comment holds any of those words.</p>\n");
    for (size_t i = 0; i < n;) {
        const struct store_cohort *c = v[i].cohort;
        /* One section per class, at the place of its newest comment. */
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = v[j].cohort != c;
        if (!first) {
            i++;
            continue;
        }
        buf_addf(b, "<section id=\"c-%s\" class=\"flagged-class\">\n<h2>", c->code);
        staff_class_name(b, c);
        buf_adds(b, "</h2>\n<ul class=\"comments\">\n");
        for (size_t j = i; j < n; j++) {
            if (v[j].cohort != c)
                continue;
            char day[11];
            store_day_format(v[j].day, day);
            buf_addf(b, "<li><p><strong>%s</strong>: ", day);
            buf_addf_html(b, "%s</p><p class=\"hint\">Holds \xe2\x80\x9c%s\xe2\x80\x9d</p></li>\n",
                          v[j].text, v[j].phrase);
        }
        buf_addf(b,
                 "</ul>\n<p><a href=\"/staff/report?class=%s\">The class's report</a></p>\n"
                 "</section>\n",
                 c->code);
        i++;
    }
    if (more)
        buf_addf(b, "<p>%zu more comments hold such words; the page shows %d at most.</p>\n", more,
                 FLAGGED_MAX);
    staff_page_close(p);
    return HTTP_OK;
}
