/*
 * /staff/sheets: a class's paper answer sheets (/feedback/sheet), typed in one sheet at a
 * time with the keyboard only. Each question is one short field: the number printed beside
 * the ticked box (0 for "prefer not to say"), several for "tick as many", nothing for a
 * question left blank, or what the pupil wrote. Enter stores the sheet; the page comes back
 * empty for the next one, its first field focused, with the count so far.
 *
 * A sheet becomes the form a pupil's browser would have sent, and from there it is an online
 * answer: the same checks (feedback_validate(), so survey_validate()), the same pairing word
 * (the one printed on a start sheet, the one written on an end sheet) and the same durable
 * write (store_submit() returns only once the answer is committed). A refused sheet stores
 * nothing and comes back with what was typed, each problem beside its field. Only staff who
 * may see the class may type in its sheets (staff_visible_cohort()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey/pairing.h"
#include "survey/survey.h"
#include "web/feedback.h"
#include "web/staff_pages.h"

#define SHEETS_PATH "/staff/sheets"
/* A question's field is named after it, behind this prefix, so that no question id can take
 * the name of the page's own fields (csrf, class, part, entered). */
#define ANSWER_PREFIX "a-"
/* The most numbers read from one field: more than any question has boxes. */
#define NUMBERS_MAX 64
/* The field that stores a sheet whose pairing word the part already has. */
#define AGAIN_FIELD "again"

/* A problem, beside its field (a question id, or WIRE_FIELD_PAIRING) or above the form. */
struct sheet_problem {
    const char *field;
    const char *message;
};

/* One class and part being typed in, and the sheet on its way. */
struct sheet {
    struct staff_page *p;
    struct store_cohort c;
    enum survey_when part;
    struct survey_question *qs; /* the part's questions, in the order of the sheet */
    size_t nq;
    const struct form *typed; /* the sheet as typed, shown again after a refusal; or NULL */
    struct sheet_problem *problems;
    size_t np, problems_max;
    long entered; /* sheets stored so far this time */
    bool twice;   /* the part already has an answer with this sheet's pairing word */
};

static void problem(struct sheet *s, const char *field, const char *message)
{
    if (s->np < s->problems_max)
        s->problems[s->np++] = (struct sheet_problem){field, message};
}

static const struct sheet_problem *problem_for(const struct sheet *s, const char *field)
{
    for (size_t i = 0; i < s->np; i++)
        if (s->problems[i].field && strcmp(s->problems[i].field, field) == 0)
            return &s->problems[i];
    return NULL;
}

/* Whether the part asks for a pairing word: printed on the start sheet, written on the end's. */
static bool has_word(const struct sheet *s)
{
    return s->part == SURVEY_START || s->part == SURVEY_END;
}

/* What was typed into a question's field, or NULL. */
static const char *typed_answer(const struct sheet *s, const struct survey_question *q)
{
    if (!s->typed)
        return NULL;
    const char *name = arena_printf(s->p->a, ANSWER_PREFIX "%s", q->id);
    return form_get(s->typed, name);
}

/*
 * Finds class code and part for the page; the part's questions come from the survey of the
 * class's package version, which is what the answers are checked against. Returns 0, or the
 * status of the page that says why not (already written).
 */
static unsigned sheet_open(struct staff_page *p, const char *code, const char *part,
                           struct sheet *s)
{
    memset(s, 0, sizeof(*s));
    s->p = p;
    int rc = staff_visible_cohort(p, code, &s->c);
    if (rc == STORE_ERR_NOT_FOUND)
        return staff_page_not_found(p);
    if (rc != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The class could not be read. Please try again.");
    int w = part ? wire_part_index(part) : -1;
    const struct survey *sv = NULL;
    rc = store_survey_get(p->st, s->c.package_id, s->c.package_version, &sv);
    if (rc != STORE_OK && rc != STORE_ERR_NOT_FOUND)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The class's questions could not be read. Please try again.");
    s->part = (enum survey_when)(w < 0 ? 0 : w);
    s->qs = arena_alloc(p->a, (sv ? sv->count : 0) * sizeof(*s->qs) + 1);
    for (size_t i = 0; w >= 0 && sv && i < sv->count; i++)
        if (survey_part_of(sv->questions[i].when) == s->part)
            s->qs[s->nq++] = sv->questions[i];
    if (s->nq == 0)
        return staff_page_message(p, HTTP_NOT_FOUND, "No such part",
                                  "This class's survey has no questions in that part. Choose "
                                  "a part on the paper sheets page.");
    s->problems_max = s->nq + SURVEY_PROBLEMS_MAX + 2;
    s->problems = arena_alloc(p->a, s->problems_max * sizeof(*s->problems));
    return 0;
}

/*
 * The class's stored answers to the part: how many, online and from paper, and whether one
 * has the pairing word word (NULL: none looked for).
 */
struct part_scan {
    const char *part;
    const char *word;
    long long n;
    bool same;
};

static int scan_part(const struct store_answer_row *row, void *ctx)
{
    struct part_scan *ps = ctx;
    if (!row->part || strcmp(row->part, ps->part) != 0)
        return 0;
    ps->n++;
    ps->same |= ps->word && row->pairing_word && pairing_same(row->pairing_word, ps->word);
    return 0;
}

/* How many answers to the part the class has stored; -1: not known. */
static long long stored_in_part(const struct sheet *s)
{
    struct part_scan ps = {survey_when_name(s->part), NULL, 0, false};
    return store_answers_each(s->p->st, s->c.id, scan_part, &ps) == STORE_OK ? ps.n : -1;
}

/*
 * Whether an answer to the part with the pairing word word is stored already: most likely
 * this very sheet, typed in before, which would count twice (and, its word given twice, pair
 * with neither). Another pupil's sheet with the same word may be stored once staff say so.
 */
static bool word_stored(const struct sheet *s, const char *word)
{
    struct part_scan ps = {survey_when_name(s->part), word, 0, false};
    return word[0] && store_answers_each(s->p->st, s->c.id, scan_part, &ps) == STORE_OK && ps.same;
}

/* The class and part in words: "class ABCD2345, start part". */
static void class_and_part(struct buf *b, const struct sheet *s)
{
    buf_addf_html(b, "class <code>%s</code>, %s part", s->c.code, survey_when_name(s->part));
}

/* The field of one question: its number and text, its boxes' numbers, what was typed. */
static void question_field(struct sheet *s, const struct survey_question *q, size_t number,
                           bool focus)
{
    struct buf *b = s->p->out;
    const struct sheet_problem *pb = problem_for(s, q->id);
    const char *typed = typed_answer(s, q);
    buf_addf_html(b, "<div class=\"field\">\n<label for=\"s-%s\">", q->id);
    buf_addf(b, "%zu. ", number);
    buf_addf_html(b, "%s</label>\n", q->text);
    buf_addf_html(b, "<p class=\"hint\" id=\"s-%s-hint\">", q->id);
    if (q->type == SURVEY_TEXT) {
        buf_adds(b, "What the pupil wrote, if anything (without names).");
    } else {
        if (q->type == SURVEY_MULTI)
            buf_adds(b, "Tick as many: ");
        for (size_t i = 0; i < survey_option_count(q); i++) {
            buf_addf(b, "%s<b>%zu</b> ", i ? " \xc2\xb7 " : "", i + 1);
            buf_adds_html(b, survey_option_label(q, i));
        }
        buf_adds(b, " \xc2\xb7 <b>0</b> Prefer not to say");
    }
    buf_adds(b, "</p>\n");
    if (pb)
        buf_addf_html(b,
                      "<p class=\"error-msg\" id=\"s-%s-error\"><strong><span class=\"vh\">"
                      "Problem: </span>%s</strong></p>\n",
                      q->id, pb->message);
    if (q->type == SURVEY_TEXT) {
        buf_addf_html(b, "<textarea id=\"s-%s\" name=\"" ANSWER_PREFIX "%s\" rows=\"3\"", q->id,
                      q->id);
        buf_addf(b, " maxlength=\"%zu\"", q->max_length ? q->max_length : SURVEY_TEXT_DEFAULT);
    } else {
        buf_addf_html(b,
                      "<input id=\"s-%s\" name=\"" ANSWER_PREFIX "%s\" size=\"8\" "
                      "maxlength=\"40\"",
                      q->id, q->id);
        /* One box: a phone's number pad will do. Several need a space between them. */
        if (q->type != SURVEY_MULTI)
            buf_adds(b, " inputmode=\"numeric\"");
    }
    buf_adds(b, " autocomplete=\"off\" spellcheck=\"false\"");
    if (pb)
        buf_addf_html(b, " aria-invalid=\"true\" aria-describedby=\"s-%s-hint s-%s-error\"", q->id,
                      q->id);
    else
        buf_addf_html(b, " aria-describedby=\"s-%s-hint\"", q->id);
    if (focus)
        buf_adds(b, " autofocus");
    if (q->type == SURVEY_TEXT) {
        /* A textarea drops one newline right after its start tag: keep a typed one. */
        buf_adds(b, ">");
        if (typed && typed[0] == '\n')
            buf_addc(b, '\n');
        buf_addf_html(b, "%s</textarea>\n</div>\n", typed ? typed : "");
        return;
    }
    buf_addf_html(b, " value=\"%s\">\n</div>\n", typed ? typed : "");
}

/* The pairing word's field: the word printed on a start sheet, written on an end sheet. */
static void word_field(struct sheet *s, bool focus)
{
    struct buf *b = s->p->out;
    const struct sheet_problem *pb = problem_for(s, WIRE_FIELD_PAIRING);
    const char *typed = s->typed ? form_get(s->typed, WIRE_FIELD_PAIRING) : NULL;
    buf_adds(b, "<div class=\"field\">\n<label for=\"s-pairing\">Pairing word</label>\n"
                "<p class=\"hint\" id=\"s-pairing-hint\">");
    buf_adds(b, s->part == SURVEY_START
                    ? "The two words printed at the top of the sheet, for example "
                      "\xe2\x80\x9cgreen otter\xe2\x80\x9d."
                    : "The two words the pupil wrote in the box at the top of the sheet, as "
                      "written, even if misspelt; empty when there are none.");
    buf_adds(b, "</p>\n");
    if (pb)
        buf_addf_html(b,
                      "<p class=\"error-msg\" id=\"s-pairing-error\"><strong><span class=\"vh\">"
                      "Problem: </span>%s</strong></p>\n",
                      pb->message);
    buf_adds(b, "<input id=\"s-pairing\" name=\"" WIRE_FIELD_PAIRING "\" maxlength=\"40\" "
                "autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\"");
    buf_adds(b, pb ? " aria-invalid=\"true\" aria-describedby=\"s-pairing-hint s-pairing-error\""
                   : " aria-describedby=\"s-pairing-hint\"");
    if (focus)
        buf_adds(b, " autofocus");
    buf_addf_html(b, " value=\"%s\">\n", typed ? typed : "");
    const char *again = s->typed ? form_get(s->typed, AGAIN_FIELD) : NULL;
    if (s->twice || again)
        buf_addf(b,
                 "<p><input type=\"checkbox\" id=\"s-again\" name=\"" AGAIN_FIELD "\" "
                 "value=\"yes\"%s> <label for=\"s-again\">This is another pupil's sheet: "
                 "store it anyway</label></p>\n",
                 again ? " checked" : "");
    buf_adds(b, "</div>\n");
}

/* The list of problems above a refused sheet, each a link to its field. */
static void problem_summary(struct sheet *s)
{
    struct buf *b = s->p->out;
    buf_adds(b, "<div class=\"error\" role=\"alert\" id=\"s-problems\">\n<p>Nothing was stored "
                "from this sheet. What you typed is still here: correct it and press Enter, or "
                "<a href=\"");
    buf_addf_html(b, SHEETS_PATH "?class=%s&amp;part=%s", s->c.code, survey_when_name(s->part));
    buf_addf(b, "&amp;entered=%ld", s->entered);
    buf_adds(b, "\">leave this sheet out</a>.</p>\n<ul>\n");
    for (size_t i = 0; i < s->np; i++) {
        const struct sheet_problem *pb = &s->problems[i];
        if (!pb->field) {
            buf_addf_html(b, "<li>%s</li>\n", pb->message);
            continue;
        }
        const char *id = strcmp(pb->field, WIRE_FIELD_PAIRING) == 0 ? "pairing" : pb->field;
        buf_addf_html(b, "<li><a href=\"#s-%s\">%s</a></li>\n", id, pb->message);
    }
    buf_adds(b, "</ul>\n</div>\n");
}

/* The page of one class and part: the count so far, then the form for the next sheet. */
static unsigned sheet_page(struct sheet *s, unsigned status)
{
    struct staff_page *p = s->p;
    struct buf *b = p->out;
    buf_reset(b);
    staff_page_open(p, "Type in paper answer sheets");
    buf_adds(b, "<p>");
    staff_class_name(b, &s->c);
    buf_addf_html(b, ", %s. <a href=\"" SHEETS_PATH "\">Another class or part</a> \xc2\xb7 ",
                  survey_part_label(s->part));
    buf_addf_html(b, "<a href=\"/feedback/sheet?c=%s&amp;part=%s\">Print this part's sheets</a>",
                  s->c.code, survey_when_name(s->part));
    buf_adds(b, "</p>\n");
    if (s->np) {
        problem_summary(s);
    } else if (s->entered > 0) {
        buf_addf(b, "<p class=\"notice\" role=\"status\">%ld %s entered for ", s->entered,
                 s->entered == 1 ? "sheet" : "sheets");
        class_and_part(b, s);
        buf_adds(b, ".</p>\n");
    }
    long long stored = stored_in_part(s);
    if (stored >= 0) {
        buf_addf(b, "<p>Stored for this part so far, online and from paper: %lld.</p>\n", stored);
    }
    buf_adds(b, "<form method=\"post\" action=\"" SHEETS_PATH "\" class=\"sheet-entry\">\n");
    staff_page_csrf(p);
    buf_addf_html(b,
                  "<input type=\"hidden\" name=\"class\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"part\" value=\"%s\">",
                  s->c.code, survey_when_name(s->part));
    buf_addf(b, "<input type=\"hidden\" name=\"entered\" value=\"%ld\">\n", s->entered);
    buf_adds(b, "<p class=\"hint\">For each question type the number beside the ticked box, "
                "or leave the field empty when no box is ticked. For \xe2\x80\x9ctick as "
                "many\xe2\x80\x9d type each number, for example <kbd>1 3</kbd>. Tab goes to "
                "the next question; Enter stores the sheet.</p>\n");
    /* The cursor starts in the first field, or in the first one with a problem. */
    const char *focus = NULL;
    for (size_t i = 0; i < s->np && !focus; i++)
        focus = s->problems[i].field;
    if (!focus)
        focus = has_word(s) ? WIRE_FIELD_PAIRING : s->qs[0].id;
    if (has_word(s))
        word_field(s, strcmp(focus, WIRE_FIELD_PAIRING) == 0);
    for (size_t i = 0; i < s->nq; i++)
        question_field(s, &s->qs[i], i + 1, strcmp(focus, s->qs[i].id) == 0);
    buf_adds(b, "<p><button type=\"submit\">Store this sheet</button></p>\n</form>\n");
    staff_page_close(p);
    return status;
}

/* ---- reading a typed sheet into the form a pupil's browser would have sent ---- */

/*
 * Reads the numbers of one choice field ("3", "1 3", "1,3"; with fewer than ten boxes,
 * "13" as 1 and 3) into out. Returns how many, or -1 when something else was typed.
 */
static int read_numbers(const char *typed, size_t boxes, long out[NUMBERS_MAX])
{
    int n = 0;
    for (const char *c = typed; *c;) {
        if (strchr(" ,;/+.\t", *c)) {
            c++;
            continue;
        }
        if (*c < '0' || *c > '9')
            return -1;
        char *end;
        long v = boxes < 10 ? *c - '0' : strtol(c, &end, 10);
        c = boxes < 10 ? c + 1 : end;
        if (n == NUMBERS_MAX)
            return -1;
        out[n++] = v;
    }
    return n;
}

/*
 * Adds the form fields of one question's typed answer to f (room for its boxes and one
 * more), or a problem beside its field.
 */
static void read_answer(struct sheet *s, const struct survey_question *q, struct form *f)
{
    const char *typed = typed_answer(s, q);
    if (!typed || !typed[strspn(typed, " \t\r\n")])
        return; /* left blank */
    if (q->type == SURVEY_TEXT) {
        f->fields[f->count++] = (struct form_field){q->id, typed};
        return;
    }
    size_t boxes = survey_option_count(q);
    long v[NUMBERS_MAX];
    int n = read_numbers(typed, boxes, v);
    if (n < 0) {
        problem(s, q->id,
                arena_printf(s->p->a,
                             "Type the number beside each ticked box (1 to %zu, or 0 for "
                             "\xe2\x80\x9cprefer not to say\xe2\x80\x9d), or leave it empty.",
                             boxes));
        return;
    }
    size_t first = f->count;
    for (int i = 0; i < n; i++) {
        if (v[i] < 0 || (size_t)v[i] > boxes) {
            f->count = first;
            problem(s, q->id,
                    arena_printf(s->p->a,
                                 "This question has no box %ld: its boxes are 1 to %zu, and 0 "
                                 "for \xe2\x80\x9cprefer not to say\xe2\x80\x9d.",
                                 v[i], boxes));
            return;
        }
        const char *value = v[i] ? survey_option_id(q, (size_t)v[i] - 1) : WIRE_PREFER_NOT;
        bool again = false;
        for (size_t k = first; k < f->count; k++)
            again |= strcmp(f->fields[k].value, value) == 0;
        if (!again)
            f->fields[f->count++] = (struct form_field){q->id, value};
    }
}

/*
 * The pairing word of the sheet, normalised as an online one is, into word; "" for none. A
 * start sheet's word is printed, so it must be one the lists can make: anything else is a
 * typing slip, refused so that it can be put right.
 */
static void read_word(struct sheet *s, char word[PAIRING_WORD_MAX])
{
    const char *typed = s->typed ? form_get(s->typed, WIRE_FIELD_PAIRING) : NULL;
    word[0] = '\0';
    if (!has_word(s) || !typed || !typed[strspn(typed, " \t\r\n")])
        return;
    int rc = pairing_normalise(typed, strlen(typed), word);
    if (rc == -E2BIG)
        problem(s, WIRE_FIELD_PAIRING,
                "That is too long for a pairing word: it is two short words, for example "
                "\xe2\x80\x9cgreen otter\xe2\x80\x9d.");
    else if (rc != 0)
        problem(s, WIRE_FIELD_PAIRING,
                "A pairing word is two words, for example \xe2\x80\x9cgreen otter\xe2\x80\x9d.");
    else if (s->part == SURVEY_START && !pairing_word_known(word))
        problem(s, WIRE_FIELD_PAIRING,
                "That is not a word the sheets print. Please check it against the word at the "
                "top of the sheet.");
    if (s->np)
        word[0] = '\0';
}

static const char *const closed =
    "This class's feedback is closed. Reopen it on the Classes page to type in its sheets.";

/* The survey's problems, each beside its question; those about the class above the form. */
static void survey_problems(struct sheet *s, const struct survey_error *err)
{
    for (size_t i = 0; i < err->count; i++) {
        const struct survey_problem *pb = &err->problems[i];
        const char *field = NULL;
        for (size_t k = 0; pb->question_id && k < s->nq; k++)
            if (strcmp(s->qs[k].id, pb->question_id) == 0)
                field = s->qs[k].id;
        if (pb->kind == SURVEY_E_CODE_CLOSED)
            problem(s, NULL, closed);
        else if (pb->kind == SURVEY_E_EMPTY)
            problem(s, NULL,
                    "Nothing is typed in for this sheet. A sheet with no box ticked and nothing "
                    "written is not counted: leave it out.");
        else
            problem(s, field, arena_strdup(s->p->a, pb->message));
    }
}

/* The refusal of a sheet the store did not take, in a teacher's words, and its status. */
static unsigned store_refusal(struct sheet *s, int rc)
{
    if (rc == STORE_ERR_FULL) {
        problem(s, NULL,
                "This class code has all the answers its size allows. Make a new class code "
                "for the rest of the sheets, or check that none was typed in twice.");
        return HTTP_CONFLICT;
    }
    if (rc == STORE_ERR_CLOSED) {
        problem(s, NULL, closed);
        return HTTP_GONE;
    }
    if (rc == STORE_ERR_NOT_FOUND) {
        problem(s, NULL, "This class code no longer exists.");
        return HTTP_NOT_FOUND;
    }
    if (rc == STORE_ERR_NO_SPACE) {
        problem(s, NULL, "This server is short of disk space, so nothing more can be stored.");
        return HTTP_SERVICE_UNAVAILABLE;
    }
    problem(s, NULL, "The sheet could not be stored. Please press Enter to try again.");
    return HTTP_INTERNAL_SERVER_ERROR;
}

/* ---- the pages ---- */

/* The parts of a class's survey that have questions, as links to their entry pages. */
static void class_parts(struct staff_page *p, const struct store_cohort *c)
{
    struct buf *b = p->out;
    const struct survey *sv = NULL;
    if (store_survey_get(p->st, c->package_id, c->package_version, &sv) != STORE_OK)
        return;
    static const enum survey_when parts[] = {SURVEY_START, SURVEY_END, SURVEY_LATER};
    for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
        bool asked = false;
        for (size_t i = 0; i < sv->count && !asked; i++)
            asked = survey_part_of(sv->questions[i].when) == parts[k];
        if (asked)
            buf_addf_html(b,
                          " \xc2\xb7 <a href=\"" SHEETS_PATH "?class=%s&amp;part=%s\">Type in: "
                          "%s</a>",
                          c->code, survey_when_name(parts[k]), survey_part_label(parts[k]));
    }
}

/*
 * Which class and part: every class this account sees (only the one with code only, when it
 * is given), with a link to each part.
 */
static unsigned choose_page(struct staff_page *p, const char *only)
{
    struct store_cohort *cs;
    size_t n;
    if (staff_visible_cohorts(p, &cs, &n) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The classes could not be read. Please try again.");
    char norm[WIRE_CODE_LEN + 1];
    if (only && wire_code_normalise(only, norm) == 0) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(cs[i].code, norm) == 0)
                cs[kept++] = cs[i];
        if (kept == 0)
            return staff_page_not_found(p);
        n = kept;
    }
    struct buf *b = p->out;
    staff_page_open(p, "Type in paper answer sheets");
    buf_adds(b, "<p>For a class that answered on paper: print the answer sheets for each part, "
                "then type each sheet in here. Each sheet is stored as if the pupil had sent "
                "it online, with the same checks.</p>\n");
    if (n == 0)
        buf_adds(b, "<p>No class codes yet. Make one on the <a href=\"/staff/classes\">Classes"
                    "</a> page.</p>\n");
    else
        buf_adds(b, "<ul class=\"staff-links\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct store_cohort *c = &cs[i];
        buf_adds(b, "<li>");
        staff_class_name(b, c);
        buf_addf_html(b, ": <a href=\"/feedback/sheet?c=%s\">Print sheets</a>", c->code);
        if (c->open)
            class_parts(p, c);
        else
            buf_adds(b, " \xc2\xb7 closed: reopen it on the <a href=\"/staff/classes\">Classes"
                        "</a> page to type in its sheets");
        buf_adds(b, "</li>\n");
    }
    if (n)
        buf_adds(b, "</ul>\n");
    staff_page_close(p);
    return HTTP_OK;
}

/* The count carried from one sheet to the next, from a query or a form. */
static long entered_count(const struct form *f)
{
    const char *v = form_get(f, "entered");
    long n = v ? strtol(v, NULL, 10) : 0;
    return n > 0 && n < 100000 ? n : 0;
}

unsigned staff_sheets_get(struct staff_page *p)
{
    const char *code = form_get(p->query, "class");
    const char *part = form_get(p->query, "part");
    if (!code || !part)
        return choose_page(p, code);
    struct sheet s;
    unsigned status = sheet_open(p, code, part, &s);
    if (status)
        return status;
    s.entered = entered_count(p->query);
    return sheet_page(&s, HTTP_OK);
}

unsigned staff_sheets_post(struct staff_page *p)
{
    struct sheet s;
    unsigned status =
        sheet_open(p, form_get(p->body, "class"), form_get(p->body, WIRE_FIELD_PART), &s);
    if (status)
        return status;
    s.typed = p->body;
    s.entered = entered_count(p->body);

    /* The form a pupil's browser would have sent, from what the teacher typed. */
    size_t room = 2;
    for (size_t i = 0; i < s.nq; i++)
        room += survey_option_count(&s.qs[i]) + 1;
    struct form f = {arena_alloc(p->a, room * sizeof(struct form_field)), 0};
    f.fields[f.count++] = (struct form_field){WIRE_FIELD_CODE, s.c.code};
    f.fields[f.count++] = (struct form_field){WIRE_FIELD_PART, survey_when_name(s.part)};
    for (size_t i = 0; i < s.nq; i++)
        read_answer(&s, &s.qs[i], &f);
    char *word = arena_alloc(p->a, PAIRING_WORD_MAX);
    read_word(&s, word);
    if (!s.np && !form_get(p->body, AGAIN_FIELD) && word_stored(&s, word)) {
        s.twice = true;
        problem(&s, WIRE_FIELD_PAIRING,
                "A sheet with this pairing word is already stored for this part of the class. "
                "If you typed this sheet in before, leave it out. If it is another pupil's, "
                "tick the box below to store it anyway: then neither answer is paired, since "
                "either could be the pupil's.");
    }
    if (s.np)
        return sheet_page(&s, HTTP_BAD_REQUEST);

    struct store_cohort cohort;
    bool known;
    struct survey_answer ans;
    struct survey_error err = {.count = 0};
    int rc = feedback_validate(p->st, p->rq->site, &f, p->a, &cohort, &known, &ans, &err);
    if (rc > 0) {
        survey_problems(&s, &err);
        return sheet_page(&s, err.kind == SURVEY_E_CODE_CLOSED ? HTTP_GONE : HTTP_BAD_REQUEST);
    }
    if (rc < 0) {
        problem(&s, NULL, "The class could not be read, so nothing was stored. Please try again.");
        return sheet_page(&s, HTTP_INTERNAL_SERVER_ERROR);
    }
    ans.pairing_word = word[0] ? word : NULL;
    ans.pairing_word_drawn = false;
    rc = store_submit(p->st, &ans);
    if (rc != STORE_OK)
        return sheet_page(&s, store_refusal(&s, rc));
    return staff_page_redirect(p, SHEETS_PATH "?class=%s&part=%s&entered=%ld", s.c.code,
                               survey_when_name(s.part), s.entered + 1);
}
