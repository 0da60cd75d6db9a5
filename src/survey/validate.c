/*
 * Checking a submitted feedback form against the survey. Every check names the question
 * in the words the pupil saw, so that the form can show the message beside it.
 */
#include "survey/survey.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* The values of a problem, in the order of its catalog text's places {1}, {2}, {3}. */
#define VALUES(...) ((const char *const[SURVEY_PROBLEM_VALUES]){__VA_ARGS__})
#define NO_VALUES VALUES(NULL)

/* Adds a problem: its message from fmt, and its values (NULL: none). */
__attribute__((format(printf, 5, 6))) static int
fail(struct survey_error *err, enum survey_error_kind kind, const char *question_id,
     const char *const values[SURVEY_PROBLEM_VALUES], const char *fmt, ...)
{
    if (err->count == SURVEY_PROBLEMS_MAX)
        return -1;
    struct survey_problem *pb = &err->problems[err->count++];
    pb->kind = kind;
    pb->question_id = question_id;
    for (size_t i = 0; i < SURVEY_PROBLEM_VALUES; i++)
        snprintf(pb->arg[i], sizeof(pb->arg[i]), "%s", values[i] ? values[i] : "");
    va_list ap;
    va_start(ap, fmt);
    /* The analyser misses the va_start above. */
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
    vsnprintf(pb->message, sizeof(pb->message), fmt, ap);
    va_end(ap);
    if (err->count == 1) {
        err->kind = kind;
        err->question_id = question_id;
        memcpy(err->message, pb->message, sizeof(err->message));
    }
    return -1;
}

/* Copies at most max bytes of s without cutting a UTF-8 sequence, for quoting input back. */
static const char *quote(char *dst, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size) {
        n = size - 4;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        snprintf(dst, size, "%.*s...", (int)n, s);
    } else {
        snprintf(dst, size, "%s", s);
    }
    return dst;
}

/*
 * The length of a text answer as the form's maxlength counted it: in characters, with a
 * line break one character, though browsers send it as CR LF.
 */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80 &&
             !(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');
    return n;
}

/* Per question: the form's values for it, gathered before any is judged. */
struct slot {
    const char **values;
    size_t count;
    size_t cap;
};

static int check_code(const struct survey *sv, const struct form *f,
                      const struct survey_cohort *cohort, struct survey_answer *out,
                      struct survey_error *err)
{
    size_t seen = 0;
    for (size_t i = 0; i < f->count; i++)
        seen += strcmp(f->fields[i].name, WIRE_FIELD_CODE) == 0;
    const char *given = form_get(f, WIRE_FIELD_CODE);
    if (!given || given[strspn(given, " ")] == '\0')
        return fail(err, SURVEY_E_CODE_MISSING, NULL, NO_VALUES,
                    "Please type the class code your teacher gave you.");
    char len[16];
    snprintf(len, sizeof(len), "%d", WIRE_CODE_LEN);
    if (seen > 1 || survey_form_code(f, out->code) != 0 || !cohort ||
        strcmp(cohort->code, out->code) != 0)
        return fail(err, SURVEY_E_CODE_UNKNOWN, NULL, VALUES(len),
                    "That class code was not found. Check the code your teacher gave you: "
                    "it has %d letters and numbers.",
                    WIRE_CODE_LEN);
    if (!cohort->open)
        return fail(err, SURVEY_E_CODE_CLOSED, NULL, VALUES(out->code),
                    "Feedback for the class code %s has closed. Thank you for wanting to "
                    "help; ask your teacher if there is a new code.",
                    out->code);
    if (!sv->package_id || !cohort->package_id || strcmp(sv->package_id, cohort->package_id) != 0 ||
        !sv->package_version || !cohort->package_version ||
        strcmp(sv->package_version, cohort->package_version) != 0)
        return fail(err, SURVEY_E_CODE_VERSION, NULL, VALUES(out->code),
                    "The class code %s belongs to a different version of this package, so "
                    "its questions do not match. Ask your teacher for a new code.",
                    out->code);
    return 0;
}

/* More than one answer to a question that takes one. */
static int too_many(struct survey_error *err, const struct survey_question *q, size_t given)
{
    char n[24];
    snprintf(n, sizeof(n), "%zu", given);
    return fail(err, SURVEY_E_TOO_MANY, q->id, VALUES(q->text, n),
                "The question \"%s\" takes one answer, but the form gave %s.", q->text, n);
}

static int check_choice(const struct survey_question *q, struct slot *sl, struct arena *a,
                        struct survey_item *it, struct survey_error *err)
{
    char shown[48];
    size_t n = 0;
    const char **vals = arena_alloc(a, (sl->count ? sl->count : 1) * sizeof(*vals));
    for (size_t i = 0; i < sl->count; i++) {
        const char *v = sl->values[i];
        if (v[0] == '\0')
            continue;
        if (strcmp(v, WIRE_PREFER_NOT) == 0) {
            it->prefer_not = true;
            continue;
        }
        int idx = survey_option_index(q, v);
        if (idx < 0) {
            quote(shown, sizeof(shown), v);
            return fail(err, SURVEY_E_BAD_OPTION, q->id, VALUES(shown, q->text),
                        "\"%s\" is not one of the answers to the question \"%s\".", shown, q->text);
        }
        const char *id = survey_option_id(q, (size_t)idx);
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= vals[k] == id;
        if (!dup)
            vals[n++] = id;
    }
    if (it->prefer_not && n > 0)
        return fail(err, SURVEY_E_PREFER_AND_OPTION, q->id, VALUES(q->text),
                    "For the question \"%s\" you chose \"prefer not to say\" and an answer as "
                    "well. Please choose one or the other.",
                    q->text);
    if (q->type != SURVEY_MULTI && n + it->prefer_not > 1)
        return too_many(err, q, n + it->prefer_not);
    it->values = vals;
    it->value_count = n;
    return 0;
}

static int check_text(const struct survey_question *q, struct slot *sl, struct arena *a,
                      struct survey_item *it, struct survey_error *err)
{
    size_t max = q->max_length ? q->max_length : SURVEY_TEXT_DEFAULT;
    if (max > SURVEY_TEXT_MAX)
        max = SURVEY_TEXT_MAX;
    size_t nonempty = 0;
    const char *text = NULL;
    for (size_t i = 0; i < sl->count; i++) {
        if (sl->values[i][0] != '\0') {
            nonempty++;
            text = sl->values[i];
        }
    }
    if (nonempty > 1)
        return too_many(err, q, nonempty);
    if (!text)
        return 0;
    if (strcmp(text, WIRE_PREFER_NOT) == 0) {
        it->prefer_not = true;
        return 0;
    }
    size_t len = strlen(text);
    size_t chars = utf8_chars(text, len);
    if (chars > max) {
        char has[24], most[24];
        snprintf(has, sizeof(has), "%zu", chars);
        snprintf(most, sizeof(most), "%zu", max);
        return fail(err, SURVEY_E_TOO_LONG, q->id, VALUES(q->text, has, most),
                    "Your answer to \"%s\" is %s characters long; please keep it to %s or "
                    "fewer.",
                    q->text, has, most);
    }
    struct buf b;
    buf_init(&b, 4 * len + 64);
    survey_clean_text(text, len, &b);
    if (b.len > 0) {
        const char **vals = arena_alloc(a, sizeof(*vals));
        vals[0] = arena_strndup(a, b.ptr, b.len);
        it->values = vals;
        it->value_count = 1;
    }
    buf_release(&b);
    return 0;
}

/*
 * The form's part (WIRE_FIELD_PART) into *part: -1 when there is none (the one-sitting
 * form), else start, end or later. Returns -1 with the problem for any other value, or
 * more than one: the form is not one this server made, and nothing of it can be judged.
 */
static int check_part(const struct form *f, int *part, struct survey_error *err)
{
    size_t seen = 0;
    const char *given = NULL;
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->fields[i].name, WIRE_FIELD_PART) == 0) {
            seen++;
            given = f->fields[i].value;
        }
    if (seen == 0)
        return 0;
    *part = seen == 1 ? wire_part_index(given) : -1;
    if (*part >= 0)
        return 0;
    return fail(err, SURVEY_E_BAD_PART, NULL, NO_VALUES,
                "This form names a part of the survey that does not exist, so nothing was "
                "saved. Please open the feedback page again and choose when you are answering: "
                "before the lesson, after it, or a few weeks later.");
}

/* Whether q, answered in the form, belongs to another part than the form's (a problem). */
static bool in_other_part(const struct survey_question *q, const struct slot *sl,
                          enum survey_when part, struct survey_error *err)
{
    bool answered = false;
    for (size_t i = 0; i < sl->count; i++)
        answered |= sl->values[i][0] != '\0';
    if (!answered || survey_part_of(q->when) == part)
        return false;
    /* The parts go by their names ("end"): a page words them in its own language. */
    fail(err, SURVEY_E_OTHER_PART, q->id,
         VALUES(q->text, survey_when_name(survey_part_of(q->when)), survey_when_name(part)),
         "The question \"%s\" is for the part \"%s\", not this one (\"%s\"), so this form "
         "cannot take an answer to it. Please send your other answers again, and answer it "
         "when your teacher asks for that part.",
         q->text, survey_part_label(q->when), survey_part_label(part));
    return true;
}

int survey_validate(const struct survey *sv, const struct form *f,
                    const struct survey_cohort *cohort, struct arena *a, struct survey_answer *out,
                    struct survey_error *err)
{
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    struct slot *slots = xcalloc(sv->count ? sv->count : 1, sizeof(*slots));
    struct survey_item *items = arena_alloc(a, (sv->count ? sv->count : 1) * sizeof(*items));
    size_t n = 0;
    int rc = -1;

    for (size_t i = 0; i < f->count; i++) {
        const struct form_field *fl = &f->fields[i];
        if (!utf8_valid(fl->name, strlen(fl->name)) || !utf8_valid(fl->value, strlen(fl->value))) {
            fail(err, SURVEY_E_BAD_TEXT, NULL, NO_VALUES,
                 "The form held text that is not valid UTF-8, so nothing was saved. Please "
                 "type your answers again.");
            goto out;
        }
    }
    /* A bad code is reported first, and the answers are still checked. */
    (void)!check_code(sv, f, cohort, out, err);
    int part = -1; /* the form's part, or -1: the one-sitting form */
    if (check_part(f, &part, err) != 0)
        goto out;
    for (size_t i = 0; i < f->count; i++) {
        const struct form_field *fl = &f->fields[i];
        if (wire_field_reserved(fl->name))
            continue;
        const struct survey_question *q = survey_question(sv, fl->name);
        if (!q) {
            char shown[48];
            quote(shown, sizeof(shown), fl->name);
            fail(err, SURVEY_E_UNKNOWN_QUESTION, NULL, VALUES(shown),
                 "The form answered a question this survey does not have (\"%s\"). Please "
                 "reload the feedback page and try again.",
                 shown);
            goto out;
        }
        struct slot *sl = &slots[q - sv->questions];
        XGROW(sl->values, sl->cap, sl->count + 1);
        sl->values[sl->count++] = fl->value;
    }
    for (size_t i = 0; i < sv->count; i++) {
        const struct survey_question *q = &sv->questions[i];
        struct survey_item *it = &items[n];
        memset(it, 0, sizeof(*it));
        it->question_id = q->id;
        int r = part >= 0 && in_other_part(q, &slots[i], (enum survey_when)part, err) ? -1
                : q->type == SURVEY_TEXT ? check_text(q, &slots[i], a, it, err)
                                         : check_choice(q, &slots[i], a, it, err);
        /* A refused question counts as answered: the pupil did answer it. */
        if (r != 0 || it->prefer_not || it->value_count > 0)
            n++;
    }
    if (n == 0)
        fail(err, SURVEY_E_EMPTY, NULL, NO_VALUES,
             "No question was answered. Answer at least one, or choose \"prefer not to "
             "say\".");
    if (err->count > 0)
        goto out;
    out->part = part >= 0 ? wire_when_name((unsigned)part) : NULL;
    out->package_id = sv->package_id;
    out->package_version = sv->package_version;
    out->items = items;
    out->item_count = n;
    rc = 0;
out:
    for (size_t i = 0; i < sv->count; i++)
        free(slots[i].values);
    free(slots);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}
