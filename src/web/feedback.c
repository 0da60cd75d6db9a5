/*
 * POST /feedback and GET /feedback?c=CODE. Every page a pupil sees here is rendered by
 * src/site (the form with the reason a submission was refused and the class code, so that
 * the pupil sees their mistake where they made it; the thank-you page; the failure page):
 * this file only decides which page and which status.
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
#include "web/status.h"

/*
 * Each page helper returns the status to send the page with: the one asked for, or 500
 * when the page did not fit (the server then sends its own 500 page, since !buf_ok(page)).
 */

/*
 * The site's feedback form with message (plain text, may be NULL) shown at the top of the
 * form and code (a normalised class code, may be NULL) filled in.
 */
static unsigned form_page(const struct site *site, const char *code, const char *message,
                          unsigned status, struct buf *page)
{
    return site_render_feedback(site, code, message, page) == 0 ? status
                                                                : HTTP_INTERNAL_SERVER_ERROR;
}

static unsigned thanks_page(const struct site *site, struct buf *page)
{
    const struct site_message m = {
        .status = HTTP_OK,
        .title = "Thank you",
        .text = "Your answers have been saved. They are anonymous: nobody can tell which "
                "answers are yours.",
        .help = true,
    };
    return site_render_message(site, &m, page) == 0 ? HTTP_OK : HTTP_INTERNAL_SERVER_ERROR;
}

static unsigned failed_page(const struct site *site, struct buf *page)
{
    const struct site_message m = {
        .status = HTTP_INTERNAL_SERVER_ERROR,
        .title = "Not saved",
        .text = "Something went wrong on this server, so your answers were not saved. Please "
                "go back and send them again in a minute.",
        .no_start = true,
    };
    (void)!site_render_message(site, &m, page);
    return HTTP_INTERNAL_SERVER_ERROR;
}

/* A page that says why answers were not saved; the Back button keeps them. */
static unsigned refused_page(const struct site *site, unsigned status, const char *title,
                             const char *text, struct buf *page)
{
    const struct site_message m = {
        .status = status, .title = title, .text = text, .no_start = true};
    return site_render_message(site, &m, page) == 0 ? status : HTTP_INTERNAL_SERVER_ERROR;
}

unsigned feedback_check(struct store *st, const struct site *site, const char *body, size_t len,
                        struct arena *a, struct survey_answer *ans, struct buf *page)
{
    struct form f;
    char code[WIRE_CODE_LEN + 1] = "";
    int rc = form_decode(body ? body : "", len, FEEDBACK_BODY_MAX, a, &f);
    if (rc != FORM_OK) {
        return form_page(site, NULL, form_error_message(rc),
                         rc == FORM_TOO_LARGE ? HTTP_CONTENT_TOO_LARGE : HTTP_BAD_REQUEST, page);
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
        if (rc != STORE_OK)
            return failed_page(site, page);
    }
    struct survey_error err;
    if (survey_validate(sv, &f, known, a, ans, &err) != 0)
        return form_page(site, have_code ? code : NULL, err.message, HTTP_BAD_REQUEST, page);
    return 0;
}

unsigned feedback_stored(const struct site *site, const char *code, int store_status,
                         struct buf *page)
{
    if (store_status == STORE_OK)
        return thanks_page(site, page);
    if (store_status == STORE_ERR_NO_SPACE)
        return refused_page(site, HTTP_SERVICE_UNAVAILABLE, "Not saved",
                            "This server is short of space, so your answers were not saved. "
                            "Please tell your teacher. You could go back and send them again "
                            "later.",
                            page);
    if (store_status == STORE_ERR_FULL)
        return refused_page(site, HTTP_CONFLICT, "This class has sent all its answers",
                            "This class code has already had all the answers it can take, so "
                            "yours were not saved. Please tell your teacher: they can give you "
                            "a new code.",
                            page);
    if (store_status == STORE_ERR_NOT_FOUND || store_status == STORE_ERR_CLOSED)
        return form_page(site, code,
                         store_status == STORE_ERR_CLOSED
                             ? "Feedback for this class code has just closed."
                             : "That class code was not found.",
                         HTTP_BAD_REQUEST, page);
    return failed_page(site, page);
}

unsigned feedback_get(const struct site *site, const char *code, struct buf *page)
{
    char norm[WIRE_CODE_LEN + 1];
    bool ok = code && wire_code_normalise(code, norm) == 0;
    return form_page(site, ok ? norm : NULL, NULL, HTTP_OK, page);
}
