/*
 * The pupil feedback form's server side, kept apart from the static-file server: POST
 * /feedback validates an answer against the survey of its class's package version and
 * stores it; GET /feedback?c=CODE shows the form with the code filled in. Both render a
 * page into a buffer and return the HTTP status; the server sends it with no-store.
 */
#ifndef PLANPACK_WEB_FEEDBACK_H
#define PLANPACK_WEB_FEEDBACK_H

#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "site/site.h"
#include "store/store.h"

/* The largest form body accepted (bigger ones get 413 before they reach here). */
#define FEEDBACK_BODY_MAX ((size_t)16 * 1024)
/* The largest page either function renders. */
#define FEEDBACK_PAGE_MAX ((size_t)4 << 20)

/*
 * A POST /feedback body, in two steps, so that no thread waits for the disk: the answer is
 * stored with store_submit_async() in between. feedback_check() returns 0 when *ans (kept
 * in a) is a valid answer to store; otherwise the HTTP status (400 with the form and the
 * reason shown in it, 413 for a body over the limit, 500 when the store failed), with the
 * page. Once the store has given the answer's status, feedback_stored() renders the page
 * for it (code: the answer's class code) and returns the HTTP status: 200 with the
 * thank-you page only when the answer is durably stored.
 */
unsigned feedback_check(struct store *st, const struct site *site, const char *body, size_t len,
                        struct arena *a, struct survey_answer *ans, struct buf *page);
unsigned feedback_stored(const struct site *site, const char *code, int store_status,
                         struct buf *page);

/* GET /feedback?c=CODE: the form with the code filled in when it is a well-formed code. */
unsigned feedback_get(const struct site *site, const char *code, struct buf *page);

#endif
