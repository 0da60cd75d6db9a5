/*
 * The pupil feedback form's server side, kept apart from the static-file server: POST
 * /feedback validates an answer against the survey of its class's package version and
 * stores it; GET /feedback?c=CODE&part=PART shows one part's form with the code filled in.
 * Each renders a
 * page into a buffer and returns the HTTP status; the server sends it with no-store.
 */
#ifndef PLANPACK_WEB_FEEDBACK_H
#define PLANPACK_WEB_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/form.h"
#include "site/site.h"
#include "store/store.h"

/* The largest form body accepted. */
#define FEEDBACK_BODY_MAX ((size_t)16 * 1024)
/*
 * The largest body read: one past FEEDBACK_BODY_MAX is refused (413) with the form again
 * and the answers in it kept, so that the pupil can shorten them. Bigger ones get the
 * server's own 413 page before they reach here.
 */
#define FEEDBACK_READ_MAX ((size_t)64 * 1024)
/* The largest page either function renders. */
#define FEEDBACK_PAGE_MAX ((size_t)4 << 20)

/*
 * Where the browser goes once its answer is stored: a 303 to FEEDBACK_SENT_LOCATION (from
 * /feedback) so that reloading the page there sends nothing again. The page is made for
 * each request and never cached, so that something for this pupil alone can travel in its
 * query string and be shown on it: after a start answer, the pairing word the server drew
 * for it (survey/pairing.h), as FEEDBACK_SENT_WORD_ARG with a hyphen for its space
 * ("feedback/sent?w=green-otter"). Nothing else links a pupil's start and end answers.
 */
#define FEEDBACK_SENT_PATH "/feedback/sent"
#define FEEDBACK_SENT_LOCATION "feedback/sent"
#define FEEDBACK_SENT_WORD_ARG "w"
/* Room for FEEDBACK_SENT_LOCATION with a pairing word, and its NUL. */
#define FEEDBACK_SENT_LOCATION_MAX 80

/*
 * Writes where the browser goes after answer ans is stored into out: FEEDBACK_SENT_LOCATION,
 * with ans->pairing_word when it has one that the server drew.
 */
void feedback_sent_location(const struct survey_answer *ans, char out[FEEDBACK_SENT_LOCATION_MAX]);

/*
 * A POST /feedback body, in two steps, so that no thread waits for the disk: the answer is
 * stored with store_submit_async() in between. feedback_check() returns 0 when *ans (kept
 * in a) is a valid answer to store; otherwise the HTTP status, with the page: the form
 * again, every answer kept and each problem beside its field (400; 404 for a class code
 * that is not known, 410 for a closed one; 413 for a body over the limit; 500 when the
 * store could not be read). Once the store has given the answer's status, feedback_stored()
 * returns 303 with no page when the answer is durably stored, and otherwise renders the form
 * again from the same body (404, 409 for a full class, 410, 503 when the disk is short of
 * space, 500) and returns that status.
 */
unsigned feedback_check(struct store *st, const struct site *site, const char *body, size_t len,
                        struct arena *a, struct survey_answer *ans, struct buf *page);
unsigned feedback_stored(const struct site *site, const char *body, size_t len, int store_status,
                         struct buf *page);

/*
 * The checks every answer goes through, online or typed in from a paper sheet
 * (web/staff_sheets.c): f's class code is looked up, and its answers are checked with
 * survey_validate() against the survey of the class's package version (the served
 * package's, for a code the store does not know). Returns 0 with *ans (kept in a) valid, its
 * served version and language (the page's, WIRE_FIELD_LANG) set, ready for its pairing word
 * and store_submit(); 1 with err filled, when the survey refuses it; or a store status (< 0)
 * when the store could not be read. *known tells whether the class was found, and *cohort is
 * then filled (strings in a).
 */
__attribute__((warn_unused_result)) int feedback_validate(struct store *st, const struct site *site,
                                                          const struct form *f, struct arena *a,
                                                          struct store_cohort *cohort, bool *known,
                                                          struct survey_answer *ans,
                                                          struct survey_error *err);

/*
 * A POST /feedback refused before it was checked: status 429 (too many from one address)
 * or 503 (no store). Renders the form with the answers of body kept and the reason; returns
 * status, or 500 when the page did not fit.
 */
unsigned feedback_refused(const struct site *site, const char *body, size_t len, unsigned status,
                          struct buf *page);

/*
 * GET /feedback?c=CODE&part=PART: the form of one survey part (WIRE_FIELD_PART), with the
 * code filled in when it is a well-formed code. Without a known part (NULL, or a name that
 * is not a part's), the page that asks which part the teacher has asked for.
 */
unsigned feedback_get(const struct site *site, const char *code, const char *part,
                      struct buf *page);

/*
 * GET /feedback/sheet?c=CODE&part=PART&n=N: a part's printable answer sheets
 * (site_render_answer_sheet()). The start part's are n sheets (FEEDBACK_SHEETS_ARG; 1 to
 * SITE_SHEETS_MAX, else SITE_SHEETS_DEFAULT), each with a pairing word drawn here, apart from
 * the others (without randomness, one sheet without a word). Returns 200 (500: did not fit).
 */
#define FEEDBACK_SHEETS_ARG "n"
unsigned feedback_sheets(const struct site *site, const char *code, const char *part, const char *n,
                         struct buf *page);

/*
 * GET FEEDBACK_SENT_PATH: the page after a stored answer. word is the query's
 * FEEDBACK_SENT_WORD_ARG (or NULL): shown when it is a pairing word the server could have
 * drawn, and ignored otherwise, so that a link cannot make the page say anything else.
 * Returns 200 (500: did not fit).
 */
unsigned feedback_sent(const struct site *site, const char *word, struct buf *page);

#endif
