/*
 * POST /feedback and GET /feedback?c=CODE. The form itself is the site's rendered survey
 * page; this file only adds to a copy of it the reason a submission was refused and the
 * class code, so that the pupil sees their mistake where they made it.
 *
 * Nothing about the pupil is looked at or kept: no cookie is set, and neither the address,
 * the user agent nor the body reaches a log. The answer is checked against the survey
 * snapshot of the package version its class code belongs to (not the package being
 * served, which may have moved on), and the thank-you page is written only after
 * the store has reported the answer durable.
 */
#include "web/feedback.h"

#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/form.h"
#include "survey/survey.h"
#include "web/page.h"

#define STATUS_OK 200u
#define STATUS_BAD_REQUEST 400u
#define STATUS_TOO_LARGE 413u
#define STATUS_INTERNAL 500u

/* A page of the server's own in the site's style: title and body_html (already markup). */
static void plain_page(const struct site *site, const char *title, const char *body_html,
                       struct buf *page)
{
    web_page_open(page, &(struct web_page){.site = site, .title = title});
    buf_adds(page, body_html);
    web_page_close(page, true);
}

/*
 * The site's feedback form with message (plain text, may be NULL) shown at the top of the
 * form and code (a normalised class code, may be NULL) filled in. Without a form in the
 * site the message goes on a page of its own.
 */
static void form_page(const struct site *site, const char *code, const char *message,
                      struct buf *page)
{
    const struct site_file *f = site ? site_route(site, "/feedback") : NULL;
    static const char form_tag[] = "<form class=\"survey\"";
    static const char code_attr[] = "name=\"" SITE_FEEDBACK_CODE "\"";
    const char *data = f ? (const char *)f->data : NULL;
    size_t len = f ? f->len : 0;
    const char *form = data ? memmem(data, len, form_tag, sizeof(form_tag) - 1) : NULL;
    const char *form_end = form ? memchr(form, '>', len - (size_t)(form - data)) : NULL;
    const char *code_at = form_end ? memmem(form_end, len - (size_t)(form_end - data), code_attr,
                                            sizeof(code_attr) - 1)
                                   : NULL;
    if (!code_at) {
        struct buf b;
        buf_init(&b, FEEDBACK_PAGE_MAX);
        buf_adds(&b, "<p class=\"error\" role=\"alert\">");
        buf_adds_html(&b, message ? message : "This site has no feedback form.");
        buf_adds(&b, "</p>\n<p>Nothing has been saved.</p>\n");
        plain_page(site, "Feedback", b.ptr ? b.ptr : "", page);
        buf_release(&b);
        return;
    }
    const char *after_form = form_end + 1;
    const char *after_code = code_at + sizeof(code_attr) - 1;
    buf_add(page, data, (size_t)(after_form - data));
    if (message) {
        buf_adds(page, "\n<p class=\"error\" id=\"f-error\" role=\"alert\"><strong>Not sent: "
                       "</strong>");
        buf_adds_html(page, message);
        buf_adds(page, " Nothing has been saved yet.</p>");
    }
    buf_add(page, after_form, (size_t)(after_code - after_form));
    if (code) {
        buf_adds(page, " value=\"");
        buf_adds_html(page, code);
        buf_addc(page, '"');
    }
    buf_add(page, after_code, len - (size_t)(after_code - data));
}

static void thanks_page(const struct site *site, struct buf *page)
{
    plain_page(site, "Thank you",
               "<p>Your answers have been saved. They are anonymous: nobody can tell which "
               "answers are yours.</p>\n"
               "<p><strong><a href=\"support\">Need help now?</a></strong> If anything in this "
               "lesson worried you, you can talk to someone today.</p>\n"
               "<p><a href=\"./\">Back to the start</a></p>\n",
               page);
}

static void failed_page(const struct site *site, struct buf *page)
{
    plain_page(site, "Not saved",
               "<p>Something went wrong on this server, so your answers were not saved. "
               "Please go back and send them again in a minute.</p>\n",
               page);
}

unsigned feedback_check(struct store *st, const struct site *site, const char *body, size_t len,
                        struct arena *a, struct survey_answer *ans, struct buf *page)
{
    struct form f;
    char code[SURVEY_CODE_LEN + 1] = "";
    int rc = form_decode(body ? body : "", len, FEEDBACK_BODY_MAX, a, &f);
    if (rc != FORM_OK) {
        form_page(site, NULL, form_error_message(rc), page);
        return rc == FORM_TOO_LARGE ? STATUS_TOO_LARGE : STATUS_BAD_REQUEST;
    }
    bool have_code = survey_form_code(&f, code) == 0;
    struct store_cohort cohort;
    struct survey_cohort sc;
    const struct survey_cohort *known = NULL;
    /* The snapshot of the survey of the class's package version; none matches nothing. */
    static const struct survey none;
    const struct survey *sv = &none;
    if (have_code) {
        rc = store_cohort_get(st, code, a, &cohort);
        if (rc == STORE_OK) {
            store_cohort_for_survey(&cohort, &sc);
            known = &sc;
            rc = store_survey_get(st, cohort.package_id, cohort.package_version, &sv);
            if (rc == STORE_ERR_NOT_FOUND) {
                sv = &none;
                rc = STORE_OK;
            }
        } else if (rc == STORE_ERR_NOT_FOUND) {
            rc = STORE_OK;
        }
        if (rc != STORE_OK) {
            failed_page(site, page);
            return STATUS_INTERNAL;
        }
    }
    struct survey_error err;
    if (survey_validate(sv, &f, known, a, ans, &err) != 0) {
        form_page(site, have_code ? code : NULL, err.message, page);
        return STATUS_BAD_REQUEST;
    }
    return 0;
}

unsigned feedback_stored(const struct site *site, const char *code, int store_status,
                         struct buf *page)
{
    if (store_status == STORE_OK) {
        thanks_page(site, page);
        return STATUS_OK;
    }
    if (store_status == STORE_ERR_NOT_FOUND || store_status == STORE_ERR_CLOSED) {
        form_page(site, code,
                  store_status == STORE_ERR_CLOSED ? "Feedback for this class code has just closed."
                                                   : "That class code was not found.",
                  page);
        return STATUS_BAD_REQUEST;
    }
    failed_page(site, page);
    return STATUS_INTERNAL;
}

unsigned feedback_get(const struct site *site, const char *code, struct buf *page)
{
    char norm[SURVEY_CODE_LEN + 1];
    bool ok = code && survey_code_normalise(code, norm) == 0;
    form_page(site, ok ? norm : NULL, NULL, page);
    return STATUS_OK;
}
