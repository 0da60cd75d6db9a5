/*
 * The pages a pupil sees when the server answers for one response rather than with a page
 * of the site: errors, refusals, the thank-you page after feedback, and the feedback form
 * with the reason an answer was not sent. They go through the same layout as every other
 * page (render_open(), render_close()), so none can lack the quick exit.
 */
#include "site/render.h"

#include <string.h>

/* The words for a status when the caller gives none: interface texts (pkg/catalog.h). */
static const struct status_words {
    unsigned status;
    enum ui_text title;
    enum ui_text text;
} status_words[] = {
    {400, UI_400_TITLE, UI_400_TEXT}, {404, UI_404_TITLE, UI_404_TEXT},
    {405, UI_405_TITLE, UI_405_TEXT}, {413, UI_413_TITLE, UI_413_TEXT},
    {415, UI_415_TITLE, UI_415_TEXT}, {429, UI_429_TITLE, UI_429_TEXT},
    {500, UI_500_TITLE, UI_500_TEXT}, {503, UI_503_TITLE, UI_503_TEXT},
};

static const struct status_words *words_for(unsigned status)
{
    for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
        if (status_words[i].status == status)
            return &status_words[i];
    return NULL;
}

static enum ui_text status_title(unsigned status)
{
    const struct status_words *w = words_for(status);
    if (w)
        return w->title;
    return status >= 200 && status < 300 ? UI_DONE : UI_500_TITLE;
}

const char *site_status_title(const struct site *s, unsigned status)
{
    const char *t = s->ui.text[status_title(status)];
    return t ? t : "";
}

/*
 * The words of each reason: its title on a message page (UI_TEXT_COUNT: the status's), its
 * text (beside a field of the form, or the page's first paragraph) and a second paragraph
 * on a message page (UI_TEXT_COUNT: none).
 */
static const struct reason_words {
    enum ui_text title;
    enum ui_text text;
    enum ui_text more;
} reasons[] = {
    [SITE_REASON_NONE] = {UI_TEXT_COUNT, UI_TEXT_COUNT, UI_TEXT_COUNT},
    [SITE_REASON_POST_OR_GET] = {UI_405_TITLE, UI_RF_POST_OR_GET, UI_TEXT_COUNT},
    [SITE_REASON_TOO_LARGE] = {UI_413_TITLE, UI_RF_TOO_LARGE, UI_RF_BACK},
    [SITE_REASON_BAD_TYPE] = {UI_415_TITLE, UI_RF_BAD_TYPE, UI_RF_BACK},
    [SITE_REASON_FORM_ESCAPE] = {UI_415_TITLE, UI_RF_FORM_ESCAPE, UI_RF_BACK},
    [SITE_REASON_FORM_UTF8] = {UI_415_TITLE, UI_RF_FORM_UTF8, UI_RF_BACK},
    [SITE_REASON_FORM_FIELDS] = {UI_415_TITLE, UI_RF_FORM_FIELDS, UI_RF_BACK},
    [SITE_REASON_FORM_SIZE] = {UI_415_TITLE, UI_RF_FORM_SIZE, UI_RF_BACK},
    [SITE_REASON_FORM_UNREAD] = {UI_415_TITLE, UI_RF_FORM_UNREAD, UI_RF_BACK},
    [SITE_REASON_ANSWERS_LONG] = {UI_TEXT_COUNT, UI_RF_ANSWERS_LONG, UI_TEXT_COUNT},
    [SITE_REASON_FORM_LANGUAGE] = {UI_TEXT_COUNT, UI_RF_FORM_LANGUAGE, UI_TEXT_COUNT},
    [SITE_REASON_NOT_SAVED] = {UI_TEXT_COUNT, UI_RF_NOT_SAVED, UI_TEXT_COUNT},
    [SITE_REASON_NO_SPACE] = {UI_TEXT_COUNT, UI_RF_NO_SPACE, UI_TEXT_COUNT},
    [SITE_REASON_CLASS_FULL] = {UI_TEXT_COUNT, UI_RF_CLASS_FULL, UI_TEXT_COUNT},
    [SITE_REASON_CODE_CLOSED] = {UI_TEXT_COUNT, UI_RF_CODE_CLOSED, UI_TEXT_COUNT},
    [SITE_REASON_CODE_GONE] = {UI_TEXT_COUNT, UI_RF_CODE_GONE, UI_TEXT_COUNT},
    [SITE_REASON_TOO_MANY] = {UI_TEXT_COUNT, UI_RF_TOO_MANY, UI_TEXT_COUNT},
    [SITE_REASON_FEEDBACK_OFF] = {UI_TEXT_COUNT, UI_RF_FEEDBACK_OFF, UI_TEXT_COUNT},
};
_Static_assert(sizeof(reasons) / sizeof(reasons[0]) == SITE_REASON_COUNT, "words for every reason");

static const struct reason_words *reason_words(enum site_reason reason)
{
    return (size_t)reason < SITE_REASON_COUNT ? &reasons[reason] : &reasons[SITE_REASON_NONE];
}

enum site_reason site_form_reason(int form_error)
{
    switch (form_error) {
    case FORM_BAD_ESCAPE:
        return SITE_REASON_FORM_ESCAPE;
    case FORM_BAD_UTF8:
        return SITE_REASON_FORM_UTF8;
    case FORM_TOO_MANY:
        return SITE_REASON_FORM_FIELDS;
    case FORM_TOO_LARGE:
        return SITE_REASON_FORM_SIZE;
    default:
        return SITE_REASON_FORM_UNREAD;
    }
}

/* The text t with value in its place, written into b; NULL for t UI_TEXT_COUNT (none). */
static const char *with_value(const struct render *r, struct buf *b, enum ui_text t,
                              const char *value)
{
    if (t == UI_TEXT_COUNT)
        return NULL;
    ui_plain(r, b, t, value, NULL);
    return buf_ok(b) && b->ptr ? b->ptr : "";
}

void render_reason(const struct render *r, struct buf *b, enum site_reason reason,
                   const char *value)
{
    (void)with_value(r, b, reason_words(reason)->text, value);
}

void render_page_message(struct render *r, const struct site_message *m)
{
    struct buf *o = r->out;
    const struct status_words *w = words_for(m->status);
    const struct reason_words *rw = reason_words(m->reason);
    struct buf text_buf, more_buf;
    buf_init(&text_buf, 4096);
    buf_init(&more_buf, 4096);
    const char *title = m->title                     ? m->title
                        : rw->title != UI_TEXT_COUNT ? ui(r, rw->title)
                                                     : ui(r, status_title(m->status));
    const char *text = m->text                     ? m->text
                       : rw->text != UI_TEXT_COUNT ? with_value(r, &text_buf, rw->text, m->value)
                       : w                         ? ui(r, w->text)
                                                   : NULL;
    const char *more = m->more ? m->more : with_value(r, &more_buf, rw->more, m->value);
    render_open(r, title, NULL, m->status == 404 ? "page-not-found" : "page-message");
    buf_addf_html(o, "<h1>%s</h1>\n", title);
    const char *paras[] = {text, more};
    for (size_t i = 0; i < sizeof(paras) / sizeof(paras[0]); i++) {
        if (!paras[i] || !*paras[i])
            continue;
        buf_addf_html(o, "<p>%s</p>\n", paras[i]);
        if (i == 0 && m->big && *m->big) {
            buf_addf_html(o, "<p class=\"big-words\">%s</p>\n", m->big);
            if (m->big_note && *m->big_note)
                buf_addf_html(o, "<p class=\"big-note\">%s</p>\n", m->big_note);
        }
    }
    const struct pkg_page *support = m->help ? render_find_kind(r->pkg, PAGE_SUPPORT) : NULL;
    if (support) {
        buf_adds(o, "<p><strong><a href=\"");
        render_href(r, support, NULL);
        buf_adds(o, "\">");
        render_ui(r, UI_HELP_LINK);
        buf_adds(o, "</a></strong> ");
        render_ui(r, UI_HELP_TEXT);
        buf_adds(o, "</p>\n");
    }
    if (!m->no_start && r->pkg->page_count) {
        buf_adds(o, "<p><a class=\"button\" href=\"");
        render_href(r, &r->pkg->pages[0], NULL);
        buf_adds(o, "\">");
        render_ui(r, UI_GO_START);
        buf_adds(o, "</a></p>\n");
    }
    render_close(r);
    buf_release(&text_buf);
    buf_release(&more_buf);
}

void render_page_not_found(struct render *r)
{
    render_page_message(r, &(struct site_message){.status = 404});
}

int site_render_message(const struct site *s, const struct site_message *m, struct buf *out)
{
    struct render r;
    render_init(&r, s, out, NULL);
    /* A message may answer at any address ("/a/b/c"), so its links start at "/". */
    if (s->mode == SITE_SERVE)
        render_anywhere(&r);
    render_page_message(&r, m);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}

int site_render_feedback(const struct site *s, const struct site_feedback *fb, struct buf *out)
{
    const struct pkg_page *page = render_find_kind(s->pkg, PAGE_SURVEY);
    struct render r;
    if (!page || s->mode != SITE_SERVE) {
        /* No form to show again: a page that says why nothing was saved. */
        render_init(&r, s, out, NULL);
        if (s->mode == SITE_SERVE)
            render_anywhere(&r);
        struct buf why;
        buf_init(&why, 4096);
        if (fb && fb->problem_count)
            render_problem(&r, &why, &fb->problems[0]);
        render_page_message(&r, &(struct site_message){
                                    .status = 400,
                                    .title = ui(&r, UI_FEEDBACK),
                                    .text = why.len ? why.ptr : ui(&r, UI_NO_FEEDBACK),
                                    .more = ui(&r, UI_NOTHING_SAVED),
                                });
        buf_release(&why);
        render_release(&r);
        return buf_ok(out) ? 0 : -1;
    }
    render_init(&r, s, out, page);
    r.feedback = fb;
    render_page_survey(&r);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}

int site_render_answer_sheet(const struct site *s, const struct site_answer_sheets *sh,
                             struct buf *out)
{
    const struct pkg_page *page = render_find_kind(s->pkg, PAGE_SURVEY);
    if (!page || s->mode != SITE_SERVE)
        return site_render_message(s,
                                   &(struct site_message){
                                       .status = 404,
                                       .title = s->ui.text[UI_SHEETS],
                                       .text = s->ui.text[UI_NO_SHEETS],
                                   },
                                   out);
    char norm[WIRE_CODE_LEN + 1];
    struct site_answer_sheets shown = *sh;
    shown.code = sh->code && wire_code_normalise(sh->code, norm) == 0 ? norm : NULL;
    struct render r;
    render_init(&r, s, out, page);
    render_answer_sheet(&r, &shown);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}

int site_render_feedback_sent(const struct site *s, const char *pairing_word, struct buf *out)
{
    const struct site_message m = {
        .status = 200,
        .title = s->ui.text[UI_THANK_YOU],
        .text = s->ui.text[UI_SAVED],
        .help = true,
        .big = pairing_word,
        .big_note = s->ui.text[UI_PAIRING_NOTE],
    };
    return site_render_message(s, &m, out);
}
