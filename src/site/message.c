/*
 * The pages a pupil sees when the server answers for one response rather than with a page
 * of the site: errors, refusals, the thank-you page after feedback, and the feedback form
 * with the reason an answer was not sent. They go through the same layout as every other
 * page (render_open(), render_close()), so none can lack the quick exit.
 */
#include "site/render.h"

#include <string.h>

/* The words for a status when the caller gives none. */
static const struct status_words {
    unsigned status;
    const char *title;
    const char *text;
} status_words[] = {
    {400, "Bad request", "This server could not read the request. Nothing has been kept."},
    {404, "Page not found",
     "There is no page at this address. It may have moved, or the address may have a typing "
     "mistake."},
    {405, "Method not allowed", "This address can only be read, not sent to."},
    {413, "Too much to send",
     "What you sent is longer than this server takes. Nothing you wrote has been kept."},
    {415, "The form could not be read",
     "The form was sent in a format that this server does not read. Nothing you wrote has "
     "been kept."},
    {429, "Too many requests",
     "This server has had a lot of requests from here in a short time. Please wait a minute "
     "and try again. Nothing you sent has been kept."},
    {500, "Something went wrong",
     "Something went wrong on this server. Nothing you wrote has been kept."},
    {503, "Not available just now",
     "This server cannot do that just now. Please try again in a few minutes. Nothing you "
     "sent has been kept."},
};

static const struct status_words *words_for(unsigned status)
{
    for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
        if (status_words[i].status == status)
            return &status_words[i];
    return NULL;
}

const char *site_status_title(unsigned status)
{
    const struct status_words *w = words_for(status);
    if (w)
        return w->title;
    return status >= 200 && status < 300 ? "Done" : "Something went wrong";
}

void render_page_message(struct render *r, const struct site_message *m)
{
    struct buf *o = r->out;
    const struct status_words *w = words_for(m->status);
    const char *title = m->title ? m->title : site_status_title(m->status);
    const char *text = m->text ? m->text : w ? w->text : NULL;
    render_open(r, title, NULL, m->status == 404 ? "page-not-found" : "page-message");
    buf_addf_html(o, "<h1>%s</h1>\n", title);
    const char *paras[] = {text, m->more};
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
        buf_adds(o, "\">Need help now?</a></strong> If anything in this lesson worried you, "
                    "you can talk to someone today.</p>\n");
    }
    if (!m->no_start && r->pkg->page_count) {
        buf_adds(o, "<p><a class=\"button\" href=\"");
        render_href(r, &r->pkg->pages[0], NULL);
        buf_adds(o, "\">Go to the start</a></p>\n");
    }
    render_close(r);
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
        r.prefix = "/";
    render_page_message(&r, m);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}

int site_render_feedback(const struct site *s, const struct site_feedback *fb, struct buf *out)
{
    const struct pkg_page *page = render_find_kind(s->pkg, PAGE_SURVEY);
    if (!page || s->mode != SITE_SERVE) {
        const char *why = fb && fb->problem_count ? fb->problems[0].message : NULL;
        return site_render_message(s,
                                   &(struct site_message){
                                       .status = 400,
                                       .title = "Feedback",
                                       .text = why ? why : "This site has no feedback form.",
                                       .more = "Nothing has been saved.",
                                   },
                                   out);
    }
    struct render r;
    render_init(&r, s, out, page);
    r.feedback = fb;
    render_page_survey(&r);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}

int site_render_answer_sheet(const struct site *s, const char *code, const char *part,
                             struct buf *out)
{
    const struct pkg_page *page = render_find_kind(s->pkg, PAGE_SURVEY);
    if (!page || s->mode != SITE_SERVE)
        return site_render_message(s,
                                   &(struct site_message){
                                       .status = 404,
                                       .title = "Answer sheets",
                                       .text = "This site has no feedback questions to print.",
                                   },
                                   out);
    char norm[WIRE_CODE_LEN + 1];
    struct render r;
    render_init(&r, s, out, page);
    render_answer_sheet(&r, code && wire_code_normalise(code, norm) == 0 ? norm : NULL, part);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}

int site_render_feedback_sent(const struct site *s, const char *pairing_word, struct buf *out)
{
    const struct site_message m = {
        .status = 200,
        .title = "Thank you",
        .text = "Your answers have been saved. They are anonymous: nobody can tell which "
                "answers are yours.",
        .help = true,
        .big = pairing_word,
        .big_note = "This is your pairing word. Write it on your plan or answer sheet: you "
                    "will be asked for it at the end of the lesson, and it does not say who "
                    "you are.",
    };
    return site_render_message(s, &m, out);
}
