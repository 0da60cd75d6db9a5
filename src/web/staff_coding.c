/*
 * Coding what pupils wrote. /staff/themes: the evaluators' list of themes (a short name, an
 * optional description), which evaluators add to, rename and retire, and school staff read.
 * /staff/coding: every comment of the classes the account may see, and every focus group it
 * may see, each with a field for the numbers of its themes and a choice of the package page
 * it is about, saved by one POST for the whole page. Typing "2 5" and Tab is faster than a
 * box for each theme, and needs no JavaScript.
 *
 * The same rules as the other pages: school staff see and code their school's classes only,
 * and a class with fewer answers than the reports' k is not listed, since reports show
 * nothing of it yet. A comment is named on the page by a keyed hash of its answer row and
 * question (keyed by the database's secret), never by the row's number, which would tell
 * the order answers came in; comments are listed by class, then alphabetically.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "report/report.h"
#include "web/staff_pages.h"

/* The most comments and focus groups one page lists; narrow to a class for more. */
#define CODING_MAX 400
_Static_assert(2 * CODING_MAX + 8 <= STAFF_WEB_FIELDS_MAX, "the coding form fits a staff form");

/* A comment's name on the page: this many bytes of keyed hash, in hex. */
#define TOKEN_BYTES 10
#define TOKEN_LEN (2 * TOKEN_BYTES + 1)

/* One comment or focus group of the page. */
struct item {
    const struct store_cohort *cohort;  /* NULL: a focus group of no one class */
    int64_t answer_id;                  /* a comment's answer row; 0 for a focus group */
    const char *question_id;            /* a comment's question */
    const char *question;               /* its wording */
    const struct store_focus_group *fg; /* a focus group */
    const char *text;                   /* the comment */
    char key[TOKEN_LEN + 1];            /* "t-" or "p-" is put before it in the form */
    const struct store_code *code;      /* its codes now, or NULL */
    /* from a POST: what it is coded with */
    int64_t themes[STORE_CODE_THEMES_MAX];
    size_t ntheme;
    const char *page_id;
};

struct coding {
    struct staff_page *p;
    struct store_theme *themes;
    size_t nthemes;
    struct store_cohort *cs;
    size_t ncs;
    const struct store_cohort *only; /* ?class=CODE, or NULL */
    struct item *v;
    size_t n, cap;
    size_t more; /* past CODING_MAX */
    size_t held; /* classes not listed for having fewer than k answers */
    unsigned char secret[STORE_SECRET_LEN];
};

/* ---- the list of themes ---- */

static bool is_evaluator(const struct staff_page *p)
{
    return p->sess->school == NULL;
}

static unsigned themes_page(struct staff_page *p, unsigned status, const char *error)
{
    struct store_theme *t;
    size_t n;
    if (store_themes(p->st, p->a, &t, &n) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The themes could not be read. Please try again.");
    struct buf *b = p->out;
    staff_page_open(p, "Themes");
    if (error)
        staff_page_error(p, error);
    buf_adds(b, "<p>The themes that comments and focus groups are coded with on "
                "<a href=\"/staff/coding\">Coding</a>. Each has a number, which is what you type "
                "there. A retired theme is offered no more; what was coded with it stays in "
                "the reports.</p>\n");
    if (!n)
        buf_adds(b, "<p>There are no themes yet.</p>\n");
    bool edit = is_evaluator(p);
    if (n) {
        buf_adds(b, "<table class=\"themes\">\n<caption>The list of themes</caption>\n<thead><tr>"
                    "<th scope=\"col\">Number</th><th scope=\"col\">Theme</th>"
                    "<th scope=\"col\">Description</th><th scope=\"col\">In use</th>");
        if (edit)
            buf_adds(b, "<th scope=\"col\">Change</th>");
        buf_adds(b, "</tr></thead>\n<tbody>\n");
    }
    for (size_t i = 0; i < n; i++) {
        buf_addf(b, "<tr><td>%lld</td><td>", (long long)t[i].id);
        buf_adds_html(b, t[i].name);
        buf_adds(b, "</td><td>");
        buf_adds_html(b, t[i].description);
        buf_adds(b, t[i].retired ? "</td><td>retired</td>" : "</td><td>yes</td>");
        if (edit) {
            buf_addf(b, "<td><form method=\"post\" action=\"/staff/themes/edit\">");
            staff_page_csrf(p);
            buf_addf(b,
                     "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                     "<label for=\"n%lld\">Name</label> <input id=\"n%lld\" name=\"name\" "
                     "required maxlength=\"%d\" value=\"",
                     (long long)t[i].id, (long long)t[i].id, (long long)t[i].id,
                     STORE_THEME_NAME_MAX);
            buf_adds_html(b, t[i].name);
            buf_addf(b,
                     "\"> <label for=\"d%lld\">Description</label> <input id=\"d%lld\" "
                     "name=\"description\" maxlength=\"%d\" value=\"",
                     (long long)t[i].id, (long long)t[i].id, STORE_THEME_DESCRIPTION_MAX);
            buf_adds_html(b, t[i].description);
            buf_addf(b,
                     "\"> <label><input type=\"checkbox\" name=\"retired\" value=\"1\"%s> "
                     "Retired</label> <button type=\"submit\">Save</button></form></td>",
                     t[i].retired ? " checked" : "");
        }
        buf_adds(b, "</tr>\n");
    }
    if (n)
        buf_adds(b, "</tbody>\n</table>\n");
    if (edit) {
        buf_adds(b, "<h2>Add a theme</h2>\n<form method=\"post\" action=\"/staff/themes\">");
        staff_page_csrf(p);
        buf_addf(b,
                 "<p><label for=\"name\">Name (short, such as \xe2\x80\x9cToo long\xe2\x80\x9d)"
                 "</label> <input id=\"name\" name=\"name\" required maxlength=\"%d\"></p>\n"
                 "<p><label for=\"description\">Description (optional: what it covers)</label> "
                 "<input id=\"description\" name=\"description\" maxlength=\"%d\"></p>\n"
                 "<p><button type=\"submit\">Add the theme</button></p>\n</form>\n",
                 STORE_THEME_NAME_MAX, STORE_THEME_DESCRIPTION_MAX);
    } else {
        buf_adds(b, "<p>An evaluator keeps this list.</p>\n");
    }
    staff_page_close(p);
    return status;
}

unsigned staff_themes_get(struct staff_page *p)
{
    return themes_page(p, HTTP_OK, NULL);
}

/* Why a theme's name or description cannot be stored, or NULL when they can. */
static const char *theme_problem(const char *name, const char *description)
{
    if (!name || !*name)
        return "Please give the theme a name.";
    if (strlen(name) > STORE_THEME_NAME_MAX)
        return "A theme's name may be at most 80 characters.";
    if (description && strlen(description) > STORE_THEME_DESCRIPTION_MAX)
        return "A description may be at most 1,000 characters.";
    return NULL;
}

/* The answer to a store status from adding or changing a theme. */
static unsigned theme_saved(struct staff_page *p, int rc)
{
    switch (rc) {
    case STORE_OK:
        return staff_page_redirect(p, "/staff/themes");
    case STORE_ERR_EXISTS:
        return themes_page(p, HTTP_CONFLICT, "Another theme has that name.");
    case STORE_ERR_FULL:
        return themes_page(p, HTTP_CONFLICT, "The list has as many themes as it can hold.");
    case STORE_ERR_INVALID:
        return themes_page(p, HTTP_BAD_REQUEST,
                           "A name or description may not hold line breaks or control "
                           "characters.");
    case STORE_ERR_NOT_FOUND:
        return staff_page_not_found(p);
    default:
        return themes_page(p, HTTP_INTERNAL_SERVER_ERROR,
                           "The theme could not be saved. Please try again.");
    }
}

static unsigned evaluators_only(struct staff_page *p)
{
    return staff_page_message(p, HTTP_FORBIDDEN, "Refused",
                              "Only an evaluator changes the list of themes.");
}

unsigned staff_themes_add(struct staff_page *p)
{
    if (!is_evaluator(p))
        return evaluators_only(p);
    const char *name = form_get(p->body, "name"), *description = form_get(p->body, "description");
    const char *why = theme_problem(name, description);
    if (why)
        return themes_page(p, HTTP_BAD_REQUEST, why);
    return theme_saved(p, store_theme_add(p->st, name, description, NULL));
}

unsigned staff_themes_edit(struct staff_page *p)
{
    if (!is_evaluator(p))
        return evaluators_only(p);
    const char *id = form_get(p->body, "id"), *name = form_get(p->body, "name");
    const char *description = form_get(p->body, "description");
    char *end = NULL;
    long long want = id ? strtoll(id, &end, 10) : 0;
    if (!id || end == id || *end || want <= 0)
        return staff_page_not_found(p);
    const char *why = theme_problem(name, description);
    if (why)
        return themes_page(p, HTTP_BAD_REQUEST, why);
    return theme_saved(p, store_theme_update(p->st, want, name, description,
                                             form_get(p->body, "retired") != NULL));
}

/* ---- the comments and focus groups to code ---- */

static void item_key(struct coding *c, struct item *it)
{
    char in[64 + 256];
    int n = snprintf(in, sizeof(in), "%lld:%s", (long long)it->answer_id, it->question_id);
    unsigned char h[TOKEN_BYTES];
    crypto_generichash(h, sizeof(h), (const unsigned char *)in,
                       n < 0                    ? 0
                       : (size_t)n < sizeof(in) ? (size_t)n
                                                : sizeof(in) - 1,
                       c->secret, sizeof(c->secret));
    it->key[0] = 'c';
    sodium_bin2hex(it->key + 1, sizeof(it->key) - 1, h, sizeof(h));
}

static int add_comment(void *ctx, const struct store_cohort *co, const struct store_answer_row *row,
                       const struct survey_question *q, const char *text)
{
    struct coding *c = ctx;
    if (!*text)
        return 0;
    /* One comment per answer and question, however many values it holds. */
    if (c->n && c->v[c->n - 1].answer_id == row->id &&
        strcmp(c->v[c->n - 1].question_id, q->id) == 0)
        return 0;
    XGROW(c->v, c->cap, c->n + 1);
    struct item *it = &c->v[c->n++];
    *it = (struct item){.cohort = co,
                        .answer_id = row->id,
                        .question_id = arena_strdup(c->p->a, q->id),
                        .question = q->text ? arena_strdup(c->p->a, q->text) : NULL,
                        .text = arena_strdup(c->p->a, text)};
    item_key(c, it);
    return 0;
}

/* By class (as the classes were made), then the text: the order says nothing of when. */
static int cmp_items(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (!x->fg != !y->fg)
        return x->fg ? 1 : -1;
    if (x->fg)
        return x->fg->day != y->fg->day ? (x->fg->day < y->fg->day ? -1 : 1)
                                        : (x->fg->id < y->fg->id ? -1 : x->fg->id > y->fg->id);
    if (x->cohort->id != y->cohort->id)
        return x->cohort->id < y->cohort->id ? -1 : 1;
    int t = strcmp(x->text, y->text);
    return t ? t : strcmp(x->question_id, y->question_id);
}

static const struct store_cohort *class_named(const struct coding *c, const char *code)
{
    for (size_t i = 0; code && i < c->ncs; i++)
        if (strcmp(c->cs[i].code, code) == 0)
            return &c->cs[i];
    return NULL;
}

/*
 * Reads what the page lists: the themes, the classes the account sees (only one with
 * ?class=CODE) with k answers or more, their comments, the focus groups it sees, and the
 * codes each has now. A store status; STORE_ERR_NOT_FOUND for a class it may not see.
 */
static int coding_load(struct coding *c, struct staff_page *p)
{
    memset(c, 0, sizeof(*c));
    c->p = p;
    int rc = store_secret(p->st, c->secret);
    if (rc == STORE_OK)
        rc = store_themes(p->st, p->a, &c->themes, &c->nthemes);
    if (rc == STORE_OK)
        rc = staff_visible_cohorts(p, &c->cs, &c->ncs);
    if (rc != STORE_OK)
        return rc;
    const char *code = form_get(p->query, "class");
    if (code && *code) {
        struct store_cohort one;
        rc = staff_visible_cohort(p, code, &one);
        if (rc != STORE_OK)
            return rc;
        c->only = class_named(c, one.code);
    }
    struct store_cohort *scan = c->only ? (struct store_cohort *)c->only : c->cs;
    size_t nscan = c->only ? 1 : c->ncs;
    int64_t *answers = arena_alloc(p->a, (nscan ? nscan : 1) * sizeof(*answers));
    rc = staff_comments_each(p, scan, nscan, answers, add_comment, c);
    if (rc != STORE_OK)
        return rc;
    /* Classes under k are left out, as the reports leave them out. */
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t k = (size_t)(c->v[i].cohort - scan);
        if (answers[k] >= REPORT_K_DEFAULT)
            c->v[kept++] = c->v[i];
    }
    c->n = kept;
    for (size_t i = 0; i < nscan; i++)
        c->held += answers[i] > 0 && answers[i] < REPORT_K_DEFAULT;
    struct store_focus_group *fgs;
    size_t nf;
    rc = store_focus_groups(p->st, p->a, &fgs, &nf);
    for (size_t i = 0; rc == STORE_OK && i < nf; i++) {
        if (!staff_sees_focus_group(p, &fgs[i], c->cs, c->ncs))
            continue;
        const struct store_cohort *co = class_named(c, fgs[i].cohort_code);
        if (c->only && co != c->only)
            continue;
        XGROW(c->v, c->cap, c->n + 1);
        struct item *it = &c->v[c->n++];
        *it = (struct item){.cohort = co, .fg = &fgs[i], .text = fgs[i].notes};
        snprintf(it->key, sizeof(it->key), "f%lld", (long long)fgs[i].id);
    }
    if (rc != STORE_OK)
        return rc;
    if (c->n)
        qsort(c->v, c->n, sizeof(*c->v), cmp_items);
    if (c->n > CODING_MAX) {
        c->more = c->n - CODING_MAX;
        c->n = CODING_MAX;
    }
    struct store_code *codes;
    size_t ncodes;
    rc = store_codes(p->st, p->a, &codes, &ncodes);
    for (size_t i = 0; rc == STORE_OK && i < c->n; i++) {
        struct item *it = &c->v[i];
        for (size_t j = 0; j < ncodes && !it->code; j++)
            if (it->fg ? codes[j].focus_group_id == it->fg->id
                       : codes[j].answer_id == it->answer_id &&
                             strcmp(codes[j].question_id, it->question_id) == 0)
                it->code = &codes[j];
    }
    return rc;
}

static void coding_release(struct coding *c)
{
    free(c->v);
    sodium_memzero(c->secret, sizeof(c->secret));
}

static const struct store_theme *theme_of(const struct coding *c, int64_t id)
{
    for (size_t i = 0; i < c->nthemes; i++)
        if (c->themes[i].id == id)
            return &c->themes[i];
    return NULL;
}

/* The field's value: what was posted, or the theme numbers in use that it has now. */
static void themes_value(struct coding *c, const struct item *it, struct buf *b)
{
    char name[TOKEN_LEN + 4];
    snprintf(name, sizeof(name), "t-%s", it->key);
    const char *sent = form_get(c->p->body, name);
    if (sent) {
        buf_adds_html(b, sent);
        return;
    }
    bool first = true;
    for (size_t i = 0; it->code && i < it->code->theme_count; i++) {
        const struct store_theme *t = theme_of(c, it->code->themes[i]);
        if (!t || t->retired)
            continue;
        buf_addf(b, "%s%lld", first ? "" : " ", (long long)t->id);
        first = false;
    }
}

/* The themes it has now, in words (retired ones said so). */
static void themes_words(struct coding *c, const struct item *it)
{
    struct buf *b = c->p->out;
    if (!it->code || !it->code->theme_count)
        return;
    buf_adds(b, "<p class=\"hint\">Coded: ");
    for (size_t i = 0; i < it->code->theme_count; i++) {
        const struct store_theme *t = theme_of(c, it->code->themes[i]);
        if (!t)
            continue;
        if (i)
            buf_adds(b, "; ");
        buf_adds_html(b, t->name);
        if (t->retired)
            buf_adds(b, " (retired, kept)");
    }
    buf_adds(b, "</p>\n");
}

static void page_select(struct coding *c, const struct item *it)
{
    struct buf *b = c->p->out;
    const struct pkg *pkg = c->p->rq->site ? site_pkg(c->p->rq->site) : NULL;
    char name[TOKEN_LEN + 4];
    snprintf(name, sizeof(name), "p-%s", it->key);
    const char *now = form_get(c->p->body, name);
    if (!now)
        now = it->code && it->code->page_id ? it->code->page_id : "";
    buf_addf(b,
             " <label for=\"%s\">Page</label> <select id=\"%s\" name=\"%s\">"
             "<option value=\"\">No one page</option>",
             name, name, name);
    for (size_t i = 0; pkg && i < pkg->page_count; i++) {
        buf_adds(b, "<option value=\"");
        buf_adds_html(b, pkg->pages[i].id);
        buf_adds(b, strcmp(now, pkg->pages[i].id) == 0 ? "\" selected>" : "\">");
        buf_adds_html(b, pkg->pages[i].title ? pkg->pages[i].title : pkg->pages[i].id);
        buf_adds(b, "</option>");
    }
    buf_adds(b, "</select>");
}

static void class_heading(struct buf *b, const struct store_cohort *co)
{
    buf_adds(b, "<h2>");
    staff_class_name(b, co);
    buf_adds(b, "</h2>\n");
}

static void item_html(struct coding *c, const struct item *it)
{
    struct buf *b = c->p->out;
    buf_addf(b, "<li><div id=\"x-%s\">", it->key);
    if (it->fg) {
        char day[11];
        store_day_format(it->fg->day, day);
        buf_addf(b, "<p><strong>Focus group of %s</strong>, ", day);
        if (it->cohort)
            staff_class_name(b, it->cohort);
        else
            buf_adds(b, "no one class");
        if (it->fg->themes && *it->fg->themes) {
            buf_adds(b, " (tagged ");
            buf_adds_html(b, it->fg->themes);
            buf_adds(b, ")");
        }
        buf_adds(b, "</p>");
    } else if (it->question) {
        buf_adds(b, "<p class=\"hint\">");
        buf_adds_html(b, it->question);
        buf_adds(b, "</p>");
    }
    buf_adds(b, "<blockquote><p>");
    buf_adds_html(b, it->text && *it->text ? it->text : "(no notes)");
    buf_adds(b, "</p></blockquote></div>\n");
    themes_words(c, it);
    buf_addf(b,
             "<p><label for=\"t-%s\">Theme numbers</label> <input id=\"t-%s\" name=\"t-%s\" "
             "size=\"12\" autocomplete=\"off\" aria-describedby=\"x-%s themes-key\" value=\"",
             it->key, it->key, it->key, it->key);
    themes_value(c, it, b);
    buf_adds(b, "\">");
    page_select(c, it);
    buf_adds(b, "</p></li>\n");
}

static unsigned coding_page(struct staff_page *p, struct coding *c, unsigned status,
                            const char *const *errors, size_t nerrors)
{
    struct buf *b = p->out;
    staff_page_open(p, "Coding comments and focus groups");
    for (size_t i = 0; i < nerrors; i++)
        staff_page_error(p, errors[i]);
    if (nerrors)
        buf_adds(b, "<p>Nothing was saved: put these right and save again.</p>\n");
    if (form_get(p->query, "saved"))
        buf_adds(b, "<p role=\"status\">The codes were saved.</p>\n");
    buf_adds(b, "<p>Give each comment and focus group the numbers of its themes, with spaces "
                "between them (such as <kbd>2 5</kbd>), and the page of the package it is about "
                "if it is about one. Tab goes to the next field; one button at the end saves "
                "the whole page. Comments are anonymous and listed by class, then in "
                "alphabetical order, so their order says nothing of who wrote them or "
                "when.</p>\n");
    size_t inuse = 0;
    for (size_t i = 0; i < c->nthemes; i++)
        inuse += !c->themes[i].retired;
    if (!inuse) {
        buf_adds(b, "<p>There are no themes to code with yet: an evaluator adds them on "
                    "<a href=\"/staff/themes\">Themes</a>.</p>\n");
        staff_page_close(p);
        return status;
    }
    buf_adds(b, "<h2 id=\"themes-h\">Themes</h2>\n<ul id=\"themes-key\" class=\"themes-key\">\n");
    for (size_t i = 0; i < c->nthemes; i++) {
        if (c->themes[i].retired)
            continue;
        buf_addf(b, "<li><strong>%lld</strong> ", (long long)c->themes[i].id);
        buf_adds_html(b, c->themes[i].name);
        if (*c->themes[i].description) {
            buf_adds(b, ": ");
            buf_adds_html(b, c->themes[i].description);
        }
        buf_adds(b, "</li>\n");
    }
    buf_adds(b, "</ul>\n<p><a href=\"/staff/themes\">The list of themes</a></p>\n");
    if (c->held)
        buf_addf(b,
                 "<p>%zu %s fewer than %d submissions and %s not listed yet, as in the "
                 "reports.</p>\n",
                 c->held, c->held == 1 ? "class has" : "classes have", REPORT_K_DEFAULT,
                 c->held == 1 ? "is" : "are");
    if (!c->n || !c->v) {
        buf_adds(b, "<p>There are no comments or focus groups to code yet.</p>\n");
        staff_page_close(p);
        return status;
    }
    if (c->only)
        buf_addf(b, "<form method=\"post\" action=\"/staff/coding?class=%s\">\n", c->only->code);
    else
        buf_adds(b, "<form method=\"post\" action=\"/staff/coding\">\n");
    staff_page_csrf(p);
    const struct item *v = c->v;
    for (size_t i = 0; i < c->n; i++) {
        const struct item *it = &v[i];
        const struct item *prev = i ? &v[i - 1] : NULL;
        /* A section for each class's comments, then one for the focus groups. */
        if (!prev || (it->fg ? !prev->fg : it->cohort != prev->cohort)) {
            if (prev)
                buf_adds(b, "</ol>\n</section>\n");
            buf_adds(b, "<section>\n");
            if (it->fg)
                buf_adds(b, "<h2>Focus groups</h2>\n");
            else
                class_heading(b, it->cohort);
            buf_adds(b, "<ol class=\"coding\">\n");
        }
        item_html(c, it);
    }
    buf_adds(b, "</ol>\n</section>\n<p><button type=\"submit\">Save the codes</button></p>\n"
                "</form>\n");
    if (c->more) {
        buf_addf(b,
                 "<p>%zu more comments and focus groups are not on this page, which lists %d "
                 "at most. Code one class at a time:</p>\n<ul>\n",
                 c->more, CODING_MAX);
        for (size_t i = 0; i < c->ncs; i++) {
            buf_addf(b, "<li><a href=\"/staff/coding?class=%s\">", c->cs[i].code);
            staff_class_name(b, &c->cs[i]);
            buf_adds(b, "</a></li>\n");
        }
        buf_adds(b, "</ul>\n");
    }
    staff_page_close(p);
    return status;
}

unsigned staff_coding_get(struct staff_page *p)
{
    struct coding c;
    int rc = coding_load(&c, p);
    unsigned status;
    if (rc == STORE_ERR_NOT_FOUND)
        status = staff_page_not_found(p);
    else if (rc != STORE_OK)
        status = staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                    "The comments could not be read. Please try again.");
    else
        status = coding_page(p, &c, HTTP_OK, NULL, 0);
    coding_release(&c);
    return status;
}

/* The first words of an item, to say which one a message is about. */
static const char *item_named(struct staff_page *p, const struct item *it)
{
    char head[48];
    const char *t = it->text && *it->text ? it->text : "(no notes)";
    size_t n = strlen(t);
    if (n > 40) {
        n = 40;
        while (n && ((unsigned char)t[n] & 0xC0) == 0x80)
            n--; /* not inside a character */
    }
    snprintf(head, sizeof(head), "%.*s%s", (int)n, t, strlen(t) > n ? "\xe2\x80\xa6" : "");
    return arena_strdup(p->a, head);
}

/* Reads one item's fields into it; NULL, or a message about what is wrong. */
static const char *item_read(struct coding *c, struct item *it, const char *themes,
                             const char *page)
{
    struct staff_page *p = c->p;
    it->ntheme = 0;
    for (const char *s = themes; *s;) {
        s += strspn(s, " ,;\t");
        size_t len = strcspn(s, " ,;\t");
        if (!len)
            break;
        char *end = NULL;
        long long id = strtoll(s, &end, 10);
        const struct store_theme *t = end == s + len && id > 0 ? theme_of(c, id) : NULL;
        if (!t || t->retired)
            return arena_printf(
                p->a, "\xe2\x80\x9c%s\xe2\x80\x9d: %.*s is not the number of a theme in use.",
                item_named(p, it), (int)(len > 20 ? 20 : len), s);
        bool dup = false;
        for (size_t j = 0; j < it->ntheme && !dup; j++)
            dup = it->themes[j] == id;
        if (!dup) {
            if (it->ntheme == STORE_CODE_THEMES_MAX)
                return arena_printf(p->a, "\xe2\x80\x9c%s\xe2\x80\x9d has too many themes.",
                                    item_named(p, it));
            it->themes[it->ntheme++] = id;
        }
        s += len;
    }
    it->page_id = NULL;
    if (page && *page) {
        const struct pkg *pkg = p->rq->site ? site_pkg(p->rq->site) : NULL;
        for (size_t i = 0; pkg && i < pkg->page_count && !it->page_id; i++)
            if (strcmp(pkg->pages[i].id, page) == 0)
                it->page_id = pkg->pages[i].id;
        if (!it->page_id)
            return arena_printf(p->a, "\xe2\x80\x9c%s\xe2\x80\x9d: there is no such page.",
                                item_named(p, it));
    }
    return NULL;
}

#define ERRORS_MAX 20

unsigned staff_coding_post(struct staff_page *p)
{
    struct coding c;
    int rc = coding_load(&c, p);
    unsigned status;
    if (rc == STORE_ERR_NOT_FOUND) {
        status = staff_page_not_found(p);
        goto out;
    }
    if (rc != STORE_OK) {
        status = staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                    "The comments could not be read, so nothing was saved. "
                                    "Please try again.");
        goto out;
    }
    /*
     * Only the items this account is shown are read from the form: a name the page did not
     * give (another school's comment, one purged since) matches none and changes nothing.
     */
    const char *errors[ERRORS_MAX];
    size_t nerrors = 0;
    struct store_code *set = arena_alloc(p->a, (c.n ? c.n : 1) * sizeof(*set));
    size_t nset = 0;
    for (size_t i = 0; i < c.n; i++) {
        struct item *it = &c.v[i];
        char tname[TOKEN_LEN + 4], pname[TOKEN_LEN + 4];
        snprintf(tname, sizeof(tname), "t-%s", it->key);
        snprintf(pname, sizeof(pname), "p-%s", it->key);
        const char *themes = form_get(p->body, tname), *page = form_get(p->body, pname);
        if (!themes && !page)
            continue;
        const char *why = item_read(&c, it, themes ? themes : "", page);
        if (why) {
            if (nerrors < ERRORS_MAX)
                errors[nerrors++] = why;
            continue;
        }
        set[nset++] = (struct store_code){.answer_id = it->answer_id,
                                          .question_id = it->fg ? NULL : it->question_id,
                                          .focus_group_id = it->fg ? it->fg->id : 0,
                                          .themes = it->themes,
                                          .theme_count = it->ntheme,
                                          .page_id = it->page_id};
    }
    if (nerrors) {
        status = coding_page(p, &c, HTTP_BAD_REQUEST, errors, nerrors);
        goto out;
    }
    rc = store_codes_set(p->st, set, nset);
    if (rc != STORE_OK) {
        const char *why = "The codes could not be saved. Please try again.";
        status = coding_page(p, &c, HTTP_INTERNAL_SERVER_ERROR, &why, 1);
        goto out;
    }
    status = c.only ? staff_page_redirect(p, "/staff/coding?class=%s&saved=1", c.only->code)
                    : staff_page_redirect(p, "/staff/coding?saved=1");
out:
    coding_release(&c);
    return status;
}
