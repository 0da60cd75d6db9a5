/*
 * What the staff pages share (web/staff*.c): one signed-in request, the page frame every
 * staff page uses, and the rules of what an account may see. Internal to src/web.
 */
#ifndef PLANPACK_WEB_STAFF_PAGES_H
#define PLANPACK_WEB_STAFF_PAGES_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/form.h"
#include "web/staff_web.h"
#include "web/status.h"

/* One request of a signed-in account; everything borrowed for the length of the request. */
struct staff_page {
    struct store *st;
    const struct staff_request *rq;
    struct staff_response *rs;
    const struct store_session *sess; /* sess->school NULL: an evaluator */
    const struct form *query;         /* the decoded query string */
    const struct form *body;          /* the decoded POST body; empty for GET */
    struct arena *a;                  /* request-scoped memory */
    struct buf *out;                  /* the page (or file) being written */
};

/* Opens a staff page: head, site navigation with the sign-out form, and the h1. */
void staff_page_open(struct staff_page *p, const char *title);
void staff_page_close(struct staff_page *p);
/* A whole page holding one message; returns status. */
unsigned staff_page_message(struct staff_page *p, unsigned status, const char *title,
                            const char *message);
/* The 404 page, the same whether a thing does not exist or belongs to another school. */
unsigned staff_page_not_found(struct staff_page *p);
/* A 303 to location (a path under /staff/, at most 255 bytes once formatted). */
unsigned staff_page_redirect(struct staff_page *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The hidden CSRF field that every staff form carries. */
void staff_page_csrf(struct staff_page *p);
/* A paragraph with an error message, for a form shown again. */
void staff_page_error(struct staff_page *p, const char *message);

/* Whether the account may see a class or a school (an evaluator sees every one). */
bool staff_sees_school(const struct staff_page *p, const char *school);

/*
 * Whether the account may see a focus group: an evaluator every one, school staff those of
 * their school's classes, cs[0..n) (from staff_visible_cohorts()).
 */
bool staff_sees_focus_group(const struct staff_page *p, const struct store_focus_group *f,
                            const struct store_cohort *cs, size_t n);

/*
 * The classes this account may see, oldest first, in p->a. Returns a store status.
 */
__attribute__((warn_unused_result)) int
staff_visible_cohorts(struct staff_page *p, struct store_cohort **out, size_t *count);
/*
 * Looks up a class code (as typed: normalised here) that this account may see. STORE_OK;
 * STORE_ERR_NOT_FOUND when there is no such code, it is malformed, or it belongs to
 * another school; or another store status.
 */
__attribute__((warn_unused_result)) int staff_visible_cohort(struct staff_page *p, const char *code,
                                                             struct store_cohort *out);

/*
 * Comments that may be a disclosure (web/staff_flags.c). The home page names the classes
 * with one sent since the account last opened /staff/comments, or, before it first has,
 * from the last STAFF_FLAG_DAYS days.
 */
#define STAFF_FLAG_DAYS 14

/* One pupil's comment that holds a word of the package's lists; borrowed from the request. */
struct staff_flagged {
    const struct store_cohort *cohort;
    int day;
    const char *text;
    const char *phrase; /* the word or phrase it holds, as the package writes it */
};

/*
 * Initialises m (the caller releases it) with the phrases of the package's word lists that
 * mark a comment that may be a disclosure (safeguarding.yaml); none without a package.
 */
struct textmatch;
void staff_flag_words(struct staff_page *p, struct textmatch *m);

/*
 * The flagged comments of the classes this account may see, from day since on (0: all),
 * newest day first, at most 1000 (*more: how many past that), in p->a. A store status.
 */
__attribute__((warn_unused_result)) int staff_flagged_comments(struct staff_page *p, int since,
                                                               struct staff_flagged **out,
                                                               size_t *count, size_t *more);
/*
 * Calls fn for each comment (each value of a text answer) of the classes cs[0..n), with its
 * class and answer row, in storage order (callers sort before showing); a non-zero return
 * stops and is returned. answers (may be NULL) gets each class's number of answers.
 */
typedef int staff_comment_fn(void *ctx, const struct store_cohort *c,
                             const struct store_answer_row *row, const struct survey_question *q,
                             const char *text);
__attribute__((warn_unused_result)) int staff_comments_each(struct staff_page *p,
                                                            const struct store_cohort *cs, size_t n,
                                                            int64_t *answers, staff_comment_fn *fn,
                                                            void *ctx);
/* A class as the pages name it: its label, code and school, in HTML. */
void staff_class_name(struct buf *b, const struct store_cohort *c);
/* The home page's part: which classes have a flagged comment from the last days. */
void staff_flags_home(struct staff_page *p);

/* The pages, each answering one route (web/staff_classes.c, staff_report.c, staff_focus.c). */
unsigned staff_classes_get(struct staff_page *p);
unsigned staff_classes_create(struct staff_page *p);
unsigned staff_classes_set_open(struct staff_page *p);
unsigned staff_report_get(struct staff_page *p);
/* /staff/report.csv, .txt (the codebook), .sav and .dta, by the address's ending. */
unsigned staff_report_data(struct staff_page *p);
unsigned staff_report_chart(struct staff_page *p);
unsigned staff_compare_get(struct staff_page *p);
/* /staff/report/pilot: the printable pilot report, for evaluators only. */
unsigned staff_pilot_get(struct staff_page *p);
unsigned staff_flags_get(struct staff_page *p);
unsigned staff_focus_get(struct staff_page *p);
unsigned staff_focus_post(struct staff_page *p);
unsigned staff_focus_edit_get(struct staff_page *p);
unsigned staff_focus_edit_post(struct staff_page *p);
unsigned staff_focus_delete(struct staff_page *p);
unsigned staff_themes_get(struct staff_page *p);
unsigned staff_themes_add(struct staff_page *p);
unsigned staff_themes_edit(struct staff_page *p);
unsigned staff_coding_get(struct staff_page *p);
unsigned staff_coding_post(struct staff_page *p);
/* /staff/sheets: a class's paper answer sheets typed in (web/staff_sheets.c). */
unsigned staff_sheets_get(struct staff_page *p);
unsigned staff_sheets_post(struct staff_page *p);
unsigned staff_accounts_get(struct staff_page *p);
unsigned staff_accounts_passwd(struct staff_page *p);
unsigned staff_accounts_end(struct staff_page *p);
unsigned staff_accounts_remove(struct staff_page *p);

#endif
