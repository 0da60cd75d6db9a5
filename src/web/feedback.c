/*
 * POST /feedback, GET /feedback?c=CODE and GET /feedback/sent. Every page a pupil sees
 * here is rendered by src/site: the form, after any refusal, with every answer the pupil
 * gave kept and each problem beside its field, so that nothing they typed is lost; the
 * page after a stored answer. This file only decides which page and which status.
 *
 * Nothing about the pupil is looked at or kept: no cookie is set, and neither the address,
 * the user agent nor the body reaches a log. The answer is checked against the survey
 * snapshot of the package version its class code belongs to (not the package being
 * served, which may have moved on), stored with the version served (what the pupil saw),
 * and the browser is sent on to the page after it only once the store has reported the
 * answer durable.
 */
#include "web/feedback.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/form.h"
#include "pkg/pkg.h"
#include "survey/pairing.h"
#include "survey/survey.h"
#include "web/status.h"

/*
 * Each page helper returns the status to send the page with: the one asked for, or 500
 * when the page did not fit (the server then sends its own 500 page, since !buf_ok(page)).
 */

/*
 * The form again for a refused answer f (NULL when it could not be read), with problems:
 * the form of the part f was sent from, or the one-sitting form for an answer sent without
 * a part; a body that could not be read gets the choice of parts with the problem.
 */
static unsigned form_page(const struct site *site, const struct form *f,
                          const struct site_form_problem *problems, size_t count, unsigned status,
                          struct buf *page)
{
    const char *part = f ? form_get(f, WIRE_FIELD_PART) : NULL;
    int p = part ? wire_part_index(part) : -1;
    const struct site_feedback fb = {
        .code = f ? form_get(f, WIRE_FIELD_CODE) : NULL,
        .answers = f,
        .problems = problems,
        .problem_count = count,
        .part = p >= 0 ? wire_when_name((unsigned)p) : NULL,
        .one_sitting = f && !part,
    };
    return site_render_feedback(site, &fb, page) == 0 ? status : HTTP_INTERNAL_SERVER_ERROR;
}

/* The form again with one problem: field (or NULL for the whole form) and the reason. */
static unsigned refuse(const struct site *site, const struct form *f, const char *field,
                       enum site_reason reason, unsigned status, struct buf *page)
{
    const struct site_form_problem pb = {.field = field, .reason = reason};
    return form_page(site, f, &pb, 1, status, page);
}

/* The status a refusal by the survey goes with: the class code's, when it is the reason. */
static unsigned validation_status(enum survey_error_kind kind)
{
    if (kind == SURVEY_E_CODE_UNKNOWN)
        return HTTP_NOT_FOUND;
    if (kind == SURVEY_E_CODE_CLOSED)
        return HTTP_GONE;
    return HTTP_BAD_REQUEST;
}

static bool code_problem(enum survey_error_kind kind)
{
    return kind == SURVEY_E_CODE_MISSING || kind == SURVEY_E_CODE_UNKNOWN ||
           kind == SURVEY_E_CODE_CLOSED || kind == SURVEY_E_CODE_VERSION;
}

/* The form again with every problem the survey found, each beside its field. */
static unsigned invalid_page(const struct site *site, const struct form *f,
                             const struct survey_error *err, struct buf *page)
{
    struct site_form_problem pbs[SURVEY_PROBLEMS_MAX];
    size_t n = 0;
    for (size_t i = 0; i < err->count; i++) {
        const struct survey_problem *p = &err->problems[i];
        /* A code of another version has no survey here: its questions are all "unknown". */
        if (p->kind == SURVEY_E_UNKNOWN_QUESTION && err->kind == SURVEY_E_CODE_VERSION)
            continue;
        pbs[n++] = (struct site_form_problem){
            .field = code_problem(p->kind) ? WIRE_FIELD_CODE : p->question_id,
            .kind = p->kind,
            .arg = {p->arg[0], p->arg[1], p->arg[2]},
        };
    }
    return form_page(site, f, pbs, n, validation_status(err->kind), page);
}

/* The fields of a body as far as they can be shown again (up to FEEDBACK_READ_MAX), or NULL. */
static const struct form *decoded(const char *body, size_t len, struct arena *a, struct form *f)
{
    return form_decode(body ? body : "", len, FEEDBACK_READ_MAX, a, f) == FORM_OK ? f : NULL;
}

/*
 * A start answer is given a pairing word, drawn apart from those its class already has (when
 * they can be read; otherwise any) and never one printed on a start sheet (PAIRING_ONLINE,
 * see survey/pairing.h); an end or later answer keeps the word the pupil typed,
 * if any, normalised. Without randomness, or with a word typed too long, there is no word: the
 * answer still counts, and simply pairs with nothing.
 */
static void pairing_for(struct store *st, const struct store_cohort *cohort, const struct form *f,
                        struct arena *a, struct survey_answer *ans)
{
    int part = ans->part ? wire_part_index(ans->part) : -1;
    char *word = arena_alloc(a, PAIRING_WORD_MAX);
    if (part == SURVEY_START && cohort) {
        const char **taken = NULL;
        size_t n = 0;
        if (store_pairing_words(st, cohort->id, a, &taken, &n) != STORE_OK)
            n = 0;
        if (pairing_word_new_apart(PAIRING_ONLINE, taken, n, word) == 0) {
            ans->pairing_word = word;
            ans->pairing_word_drawn = true;
        }
    } else if (part == SURVEY_END || part == SURVEY_LATER) {
        const char *typed = form_get(f, WIRE_FIELD_PAIRING);
        if (typed && pairing_normalise(typed, strlen(typed), word) == 0)
            ans->pairing_word = word;
    }
}

/*
 * The language of the page the form was on (WIRE_FIELD_LANG), as the served package spells
 * it; a form without one is the package's own language (an older form, or a sheet typed
 * in). NULL for a tag the package has no pages in (not a form this site made), or with no
 * package.
 */
static const char *answer_language(const struct pkg *served, const struct form *f)
{
    const char *tag = form_get(f, WIRE_FIELD_LANG);
    if (!served)
        return NULL;
    if (!tag)
        return served->language;
    return strlen(tag) <= WIRE_LANG_MAX ? pkg_language(served, tag) : NULL;
}

int feedback_validate(struct store *st, const struct site *site, const struct form *f,
                      struct arena *a, struct store_cohort *cohort, bool *known,
                      struct survey_answer *ans, struct survey_error *err)
{
    char code[WIRE_CODE_LEN + 1] = "";
    bool have_code = survey_form_code(f, code) == 0;
    struct survey_cohort sc;
    /* The snapshot of the survey of the class's package version; none matches nothing. */
    static const struct survey none;
    const struct survey *sv = &none;
    *known = false;
    int rc = have_code ? store_cohort_get(st, code, a, cohort) : STORE_ERR_NOT_FOUND;
    if (rc == STORE_OK) {
        store_cohort_for_survey(cohort, &sc);
        *known = true;
        rc = store_survey_get(st, cohort->package_id, cohort->package_version, &sv);
        if (rc == STORE_ERR_NOT_FOUND) {
            sv = &none;
            rc = STORE_OK;
        }
    } else if (rc == STORE_ERR_NOT_FOUND) {
        /* No class: the answers are still checked, against the form the pupil was shown. */
        if (site) {
            struct survey *served = arena_alloc(a, sizeof(*served));
            pkg_survey(site_pkg(site), a, served);
            sv = served;
        }
        rc = STORE_OK;
    }
    if (rc != STORE_OK)
        return rc;
    if (survey_validate(sv, f, *known ? &sc : NULL, a, ans, err) != 0)
        return 1;
    /* Counted under the version pupils saw, which may be newer than their class's code. */
    const struct pkg *served = site ? site_pkg(site) : NULL;
    ans->served_version = served ? served->version : NULL;
    ans->language = answer_language(served, f);
    return 0;
}

unsigned feedback_check(struct store *st, const struct site *site, const char *body, size_t len,
                        struct arena *a, struct survey_answer *ans, struct buf *page)
{
    struct form f;
    int rc = form_decode(body ? body : "", len, FEEDBACK_BODY_MAX, a, &f);
    if (rc == FORM_TOO_LARGE)
        return refuse(site, decoded(body, len, a, &f), NULL, SITE_REASON_ANSWERS_LONG,
                      HTTP_CONTENT_TOO_LARGE, page);
    if (rc != FORM_OK)
        return refuse(site, NULL, NULL, site_form_reason(rc), HTTP_BAD_REQUEST, page);
    /* A language this site has no pages in: not a form it made. */
    if (site_pkg(site) && !answer_language(site_pkg(site), &f))
        return refuse(site, &f, NULL, SITE_REASON_FORM_LANGUAGE, HTTP_BAD_REQUEST, page);
    struct store_cohort cohort;
    bool known;
    struct survey_error err = {.count = 0};
    rc = feedback_validate(st, site, &f, a, &cohort, &known, ans, &err);
    if (rc < 0)
        return refuse(site, &f, NULL, SITE_REASON_NOT_SAVED, HTTP_INTERNAL_SERVER_ERROR, page);
    if (rc > 0)
        return invalid_page(site, &f, &err, page);
    pairing_for(st, known ? &cohort : NULL, &f, a, ans);
    return 0;
}

unsigned feedback_stored(const struct site *site, const char *body, size_t len, int store_status,
                         struct buf *page)
{
    if (store_status == STORE_OK)
        return HTTP_SEE_OTHER; /* to FEEDBACK_SENT_PATH, with no page of its own */
    struct arena a = ARENA_INIT;
    struct form f;
    const struct form *fp = decoded(body, len, &a, &f);
    unsigned status;
    if (store_status == STORE_ERR_NO_SPACE)
        status = refuse(site, fp, NULL, SITE_REASON_NO_SPACE, HTTP_SERVICE_UNAVAILABLE, page);
    else if (store_status == STORE_ERR_FULL)
        status = refuse(site, fp, WIRE_FIELD_CODE, SITE_REASON_CLASS_FULL, HTTP_CONFLICT, page);
    else if (store_status == STORE_ERR_CLOSED)
        status = refuse(site, fp, WIRE_FIELD_CODE, SITE_REASON_CODE_CLOSED, HTTP_GONE, page);
    else if (store_status == STORE_ERR_NOT_FOUND)
        status = refuse(site, fp, WIRE_FIELD_CODE, SITE_REASON_CODE_GONE, HTTP_NOT_FOUND, page);
    else
        status = refuse(site, fp, NULL, SITE_REASON_NOT_SAVED, HTTP_INTERNAL_SERVER_ERROR, page);
    arena_release(&a);
    return status;
}

unsigned feedback_refused(const struct site *site, const char *body, size_t len, unsigned status,
                          struct buf *page)
{
    enum site_reason why =
        status == HTTP_TOO_MANY_REQUESTS ? SITE_REASON_TOO_MANY : SITE_REASON_FEEDBACK_OFF;
    struct arena a = ARENA_INIT;
    struct form f;
    unsigned r = refuse(site, decoded(body, len, &a, &f), NULL, why, status, page);
    arena_release(&a);
    return r;
}

unsigned feedback_get(const struct site *site, const char *code, const char *part, struct buf *page)
{
    char norm[WIRE_CODE_LEN + 1];
    bool ok = code && wire_code_normalise(code, norm) == 0;
    int p = part ? wire_part_index(part) : -1;
    const struct site_feedback fb = {
        .code = ok ? norm : NULL,
        .part = p >= 0 ? wire_when_name((unsigned)p) : NULL, /* else: which part? */
    };
    return site_render_feedback(site, &fb, page) == 0 ? HTTP_OK : HTTP_INTERNAL_SERVER_ERROR;
}

unsigned feedback_sheets(const struct site *site, const char *code, const char *part, const char *n,
                         struct buf *page)
{
    char *end = NULL;
    long want = n ? strtol(n, &end, 10) : 0;
    size_t count = n && end != n && !*end && want >= 1 && want <= SITE_SHEETS_MAX
                       ? (size_t)want
                       : SITE_SHEETS_DEFAULT;
    char words[SITE_SHEETS_MAX][PAIRING_WORD_MAX];
    const char *drawn[SITE_SHEETS_MAX];
    size_t have = 0;
    bool start = part && wire_part_index(part) == SURVEY_START;
    while (start && have < count &&
           pairing_word_new_apart(PAIRING_PRINTED, drawn, have, words[have]) == 0) {
        drawn[have] = words[have];
        have++;
    }
    const struct site_answer_sheets sh = {
        .code = code, .part = part, .words = drawn, .count = have == count ? count : 0};
    return site_render_answer_sheet(site, &sh, page) == 0 ? HTTP_OK : HTTP_INTERNAL_SERVER_ERROR;
}

void feedback_sent_location(const struct survey_answer *ans, char out[FEEDBACK_SENT_LOCATION_MAX])
{
    const char *w = ans->pairing_word;
    if (!ans->pairing_word_drawn || !pairing_word_known(w)) {
        snprintf(out, FEEDBACK_SENT_LOCATION_MAX, "%s", FEEDBACK_SENT_LOCATION);
        return;
    }
    /* List words are small letters only: nothing in them needs escaping in a URL. */
    int n = snprintf(out, FEEDBACK_SENT_LOCATION_MAX, "%s?%s=%s", FEEDBACK_SENT_LOCATION,
                     FEEDBACK_SENT_WORD_ARG, w);
    for (char *p = out + n - (int)strlen(w); *p; p++)
        if (*p == ' ')
            *p = '-';
}

unsigned feedback_sent(const struct site *site, const char *word, struct buf *page)
{
    char norm[PAIRING_WORD_MAX];
    bool show =
        word && pairing_normalise(word, strlen(word), norm) == 0 && pairing_word_known(norm);
    return site_render_feedback_sent(site, show ? norm : NULL, page) == 0
               ? HTTP_OK
               : HTTP_INTERNAL_SERVER_ERROR;
}
