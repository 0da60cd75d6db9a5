/*
 * /staff/focus-groups: a form to record a focus group (its day, its class, its themes as
 * tags, anonymised notes and quotes) and the focus groups the account may see, by class
 * name, each with who recorded it and when, filtered by a theme (?theme=TAG) or a class
 * (?class=CODE). Whoever may see a focus group may change it (/staff/focus-groups/edit) or
 * delete it (/staff/focus-groups/delete, after a question): a name typed by mistake must
 * be removable. School staff record, read and change only their school's classes' groups.
 * The store masks email addresses and phone numbers; the form asks staff not to write names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/staff_pages.h"

#define TAG_MAX 60
#define TAGS_MAX 20
#define TEXT_MAX 10000

/* ASCII lower case; tags compare without case ("Trust" is "trust"). */
static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The next tag of a comma-separated list: *s moves past it; false at the end. */
static bool next_tag(const char **s, const char **tag, size_t *len)
{
    const char *p = *s;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p) {
            *s = p;
            return false;
        }
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        *tag = p;
        *len = m;
        *s = p + n;
        return true;
    }
}

static bool tag_is(const char *tag, size_t len, const char *want)
{
    if (strlen(want) != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (lower(tag[i]) != lower(want[i]))
            return false;
    return true;
}

static bool has_tag(const char *themes, const char *want)
{
    const char *tag;
    size_t len;
    for (const char *s = themes ? themes : ""; next_tag(&s, &tag, &len);)
        if (tag_is(tag, len, want))
            return true;
    return false;
}

/*
 * The typed themes as tags: trimmed, lower case, without repeats, joined by ", ". Returns
 * NULL with the reason in *why when a tag is too long or there are too many.
 */
static const char *tags_clean(struct arena *a, const char *typed, const char **why)
{
    struct buf b;
    buf_init(&b, (size_t)(TAG_MAX + 2) * TAGS_MAX);
    const char *tag;
    size_t len, count = 0;
    const char *out = NULL;
    for (const char *s = typed ? typed : ""; next_tag(&s, &tag, &len);) {
        if (len > TAG_MAX) {
            *why = "A theme may be at most 60 characters; separate themes with commas.";
            goto done;
        }
        char low[TAG_MAX + 1] = {0};
        for (size_t i = 0; i < len; i++)
            low[i] = lower(tag[i]);
        low[len] = '\0';
        if (b.len && has_tag(b.ptr, low))
            continue;
        if (++count > TAGS_MAX) {
            *why = "Give at most 20 themes.";
            goto done;
        }
        if (b.len)
            buf_adds(&b, ", ");
        buf_adds(&b, low);
    }
    out = arena_strdup(a, b.ptr ? b.ptr : "");
done:
    buf_release(&b);
    return out;
}

bool staff_sees_focus_group(const struct staff_page *p, const struct store_focus_group *f,
                            const struct store_cohort *cs, size_t n)
{
    if (!p->sess->school)
        return true;
    for (size_t i = 0; i < n && f->cohort_code; i++)
        if (strcmp(cs[i].code, f->cohort_code) == 0)
            return true;
    return false;
}

/* The class of a code among those the account sees, or NULL. */
static const struct store_cohort *class_of(const char *code, const struct store_cohort *cs,
                                           size_t n)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(cs[i].code, code) == 0)
            return &cs[i];
    return NULL;
}

/* Text with its line breaks kept, one paragraph per line (quotes: one quote per line). */
static void lines_html(struct buf *b, const char *text, const char *open, const char *close)
{
    for (const char *s = text ? text : ""; *s;) {
        size_t n = strcspn(s, "\r\n");
        size_t m = n;
        while (m && (s[m - 1] == ' ' || s[m - 1] == '\t'))
            m--;
        if (m) {
            buf_adds(b, open);
            buf_add_html(b, s, m);
            buf_adds(b, close);
        }
        s += n;
        s += strspn(s, "\r\n");
    }
}

/* The name a focus group goes by: its class's label (and code), and the meeting's day. */
static void fg_name(struct buf *b, const struct store_focus_group *f, const struct store_cohort *c)
{
    char day[11];
    store_day_format(f->day, day);
    if (c) {
        buf_addf_html(b, "%s (%s)", c->label, c->code);
    } else if (f->cohort_code) {
        buf_addf_html(b, "Class %s", f->cohort_code);
    } else {
        buf_adds(b, "No one class");
    }
    buf_addf(b, ", %s", day);
}

static void fg_article(struct staff_page *p, const struct store_focus_group *f,
                       const struct store_cohort *c)
{
    struct buf *b = p->out;
    buf_addf(b, "<article class=\"focus-group\" id=\"fg-%lld\">\n<h3>", (long long)f->id);
    fg_name(b, f, c);
    buf_adds(b, "</h3>\n<p class=\"meta\">");
    char day[11];
    store_day_format(f->recorded_day, day);
    if (f->author) {
        buf_addf_html(b, "Recorded by %s", f->author);
        buf_addf(b, " on %s.", day);
    } else {
        buf_adds(b, "Recorded before planpack kept who wrote it.");
    }
    if (f->edited_by) {
        store_day_format(f->edited_day, day);
        buf_addf_html(b, " Last changed by %s", f->edited_by);
        buf_addf(b, " on %s.", day);
    }
    buf_adds(b, "</p>\n");
    const char *tag;
    size_t len;
    const char *s = f->themes ? f->themes : "";
    if (next_tag(&s, &tag, &len)) {
        buf_adds(b, "<p>Themes:</p>\n<ul class=\"tags\">\n");
        s = f->themes;
        while (next_tag(&s, &tag, &len)) {
            char want[TAG_MAX * 3 + 1];
            buf_adds(b, "<li><a href=\"/staff/focus-groups?theme=");
            struct buf enc;
            buf_init(&enc, sizeof(want));
            buf_add_urlenc(&enc, tag, len);
            buf_adds_html(b, enc.ptr ? enc.ptr : "");
            buf_release(&enc);
            buf_adds(b, "\">");
            buf_add_html(b, tag, len);
            buf_adds(b, "</a></li>\n");
        }
        buf_adds(b, "</ul>\n");
    }
    if (f->notes && *f->notes) {
        buf_adds(b, "<h4>Notes</h4>\n");
        lines_html(b, f->notes, "<p>", "</p>\n");
    }
    if (f->quotes && *f->quotes) {
        buf_adds(b, "<h4>Quotes</h4>\n");
        lines_html(b, f->quotes, "<blockquote><p>", "</p></blockquote>\n");
    }
    buf_addf(b,
             "<p class=\"actions\"><a href=\"/staff/focus-groups/edit?id=%lld\">Change this "
             "focus group</a></p>\n<form method=\"post\" action=\"/staff/focus-groups/delete\">",
             (long long)f->id);
    staff_page_csrf(p);
    buf_addf(b,
             "<input type=\"hidden\" name=\"id\" value=\"%lld\"><p><button type=\"submit\">"
             "Delete\xe2\x80\xa6</button></p></form>\n</article>\n",
             (long long)f->id);
}

/* What the form shows: typed values, or a focus group's own when it is changed. */
struct fg_values {
    int64_t id; /* 0: a new one */
    const char *day, *code, *themes, *notes, *quotes;
};

/* The values of a form as it was sent, for showing it again with an error. */
static struct fg_values fg_sent(const struct staff_page *p)
{
    const struct form *f = p->body;
    const char *id = form_get(f, "id");
    return (struct fg_values){.id = id ? strtoll(id, NULL, 10) : 0,
                              .day = form_get(f, "day"),
                              .code = form_get(f, "class"),
                              .themes = form_get(f, "themes"),
                              .notes = form_get(f, "notes"),
                              .quotes = form_get(f, "quotes")};
}

/* The form to record a focus group, or to change one (v->id). */
static void fg_form(struct staff_page *p, const struct store_cohort *cs, size_t n,
                    const struct fg_values *v, const char *error)
{
    struct buf *b = p->out;
    if (!v->id)
        buf_adds(b, "<h2 id=\"record\">Record a focus group</h2>\n");
    if (error)
        staff_page_error(p, error);
    buf_adds(b, "<p class=\"notice\">Write no names, and nothing that could identify a young "
                "person. Email addresses and phone numbers are removed when saved.</p>\n");
    buf_adds(b, v->id ? "<form method=\"post\" action=\"/staff/focus-groups/edit\">\n"
                      : "<form method=\"post\" action=\"/staff/focus-groups\">\n");
    staff_page_csrf(p);
    if (v->id)
        buf_addf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", (long long)v->id);
    char today[11];
    store_day_format(store_today(p->st), today);
    buf_adds(b, "\n<div class=\"field\"><label for=\"f-day\">Date of the meeting</label>\n"
                "<input id=\"f-day\" name=\"day\" type=\"date\" required value=\"");
    buf_adds_html(b, v->day ? v->day : today);
    buf_adds(b, "\"></div>\n<div class=\"field\"><label for=\"f-class\">Class</label>\n"
                "<select id=\"f-class\" name=\"class\"");
    buf_adds(b, p->sess->school ? " required>\n" : ">\n<option value=\"\">No one class</option>\n");
    for (size_t i = 0; i < n; i++) {
        buf_addf_html(b, "<option value=\"%s", cs[i].code);
        buf_adds(b, v->code && strcmp(v->code, cs[i].code) == 0 ? "\" selected>" : "\">");
        buf_addf_html(b, "%s (%s)</option>\n", cs[i].label, cs[i].code);
    }
    buf_adds(b, "</select></div>\n<div class=\"field\"><label for=\"f-themes\">Themes, "
                "separated by commas (for example: trust, online safety)</label>\n"
                "<input id=\"f-themes\" name=\"themes\" value=\"");
    buf_adds_html(b, v->themes ? v->themes : "");
    buf_adds(b, "\"></div>\n<div class=\"field\"><label for=\"f-notes\">Notes "
                "(anonymised)</label>\n<textarea id=\"f-notes\" name=\"notes\" rows=\"6\">");
    buf_adds_html(b, v->notes ? v->notes : "");
    buf_adds(b, "</textarea></div>\n<div class=\"field\"><label for=\"f-quotes\">Quotes, one "
                "per line (anonymised)</label>\n<textarea id=\"f-quotes\" name=\"quotes\" "
                "rows=\"4\">");
    buf_adds_html(b, v->quotes ? v->quotes : "");
    buf_adds(b, "</textarea></div>\n<p><button type=\"submit\">");
    buf_adds(b, v->id ? "Save the changes</button> <a href=\"/staff/focus-groups\">Cancel</a>"
                      : "Save the focus group</button>");
    buf_adds(b, "</p>\n</form>\n");
}

/* The focus groups and classes this account may see, in p->a. A store status. */
static int fg_load(struct staff_page *p, struct store_cohort **cs, size_t *n,
                   struct store_focus_group **fgs, size_t *nf)
{
    int rc = staff_visible_cohorts(p, cs, n);
    if (rc == STORE_OK)
        rc = store_focus_groups(p->st, p->a, fgs, nf);
    return rc;
}

static unsigned fg_unreadable(struct staff_page *p)
{
    return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                              "The focus groups could not be read. Please try again.");
}

/* The focus group of id (as the form or address gives it) that this account may see. */
static const struct store_focus_group *fg_find(struct staff_page *p, const char *id,
                                               const struct store_cohort *cs, size_t n,
                                               const struct store_focus_group *fgs, size_t nf)
{
    char *end = NULL;
    long long want = id ? strtoll(id, &end, 10) : 0;
    if (!id || end == id || *end || want <= 0)
        return NULL;
    for (size_t i = 0; i < nf; i++)
        if (fgs[i].id == want)
            return staff_sees_focus_group(p, &fgs[i], cs, n) ? &fgs[i] : NULL;
    return NULL;
}

/* What a page about one focus group reads: the classes this account may see, and the group. */
struct fg_one {
    struct store_cohort *cs;
    size_t n;
    const struct store_focus_group *f;
};

/*
 * Reads the classes and the focus group of id (as the form or address gives it). Returns 0
 * when it is found and this account may see it; else the status of the page it wrote.
 */
static unsigned fg_load_one(struct staff_page *p, const char *id, struct fg_one *one)
{
    struct store_focus_group *fgs;
    size_t nf;
    if (fg_load(p, &one->cs, &one->n, &fgs, &nf) != STORE_OK)
        return fg_unreadable(p);
    one->f = fg_find(p, id, one->cs, one->n, fgs, nf);
    return one->f ? 0 : staff_page_not_found(p);
}

/* Focus groups listed by class name, then the newest meeting first; those of no class last. */
struct fg_sorted {
    const struct store_focus_group *f;
    const struct store_cohort *c;
};

static int cmp_sorted(const void *a, const void *b)
{
    const struct fg_sorted *x = a, *y = b;
    if (!x->c != !y->c)
        return x->c ? -1 : 1;
    int c = x->c ? strcmp(x->c->label, y->c->label) : 0;
    if (c)
        return c;
    if (x->f->day != y->f->day)
        return x->f->day > y->f->day ? -1 : 1;
    return x->f->id < y->f->id ? -1 : x->f->id > y->f->id;
}

static unsigned fg_page(struct staff_page *p, unsigned status, const char *error)
{
    struct store_cohort *cs;
    size_t n;
    struct store_focus_group *fgs;
    size_t nf;
    if (fg_load(p, &cs, &n, &fgs, &nf) != STORE_OK)
        return fg_unreadable(p);
    const char *theme = form_get(p->query, "theme");
    const char *code = form_get(p->query, "class");
    struct store_cohort only;
    if (theme && !*theme)
        theme = NULL;
    if (code && *code) {
        if (staff_visible_cohort(p, code, &only) != STORE_OK)
            return staff_page_not_found(p);
        code = only.code;
    } else {
        code = NULL;
    }
    struct buf *b = p->out;
    staff_page_open(p, "Focus groups");
    const char *done = form_get(p->query, "done");
    if (done && (strcmp(done, "changed") == 0 || strcmp(done, "deleted") == 0))
        buf_addf(b, "<p class=\"notice\" role=\"status\">The focus group has been %s.</p>\n", done);
    buf_adds(b, "<p><a href=\"#record\">Record a focus group</a></p>\n"
                "<form method=\"get\" action=\"/staff/focus-groups\" class=\"scope\">\n"
                "<div class=\"field\"><label for=\"f-theme\">Show only the theme</label>\n"
                "<input id=\"f-theme\" name=\"theme\" value=\"");
    buf_adds_html(b, theme ? theme : "");
    buf_adds(b, "\"></div>\n<p><button type=\"submit\">Show</button> <a href=\"/staff/"
                "focus-groups\">Show all</a></p>\n</form>\n<section aria-labelledby=\"fg-list\">"
                "\n<h2 id=\"fg-list\">Recorded focus groups");
    if (theme)
        buf_addf_html(b, " on \xe2\x80\x9c%s\xe2\x80\x9d", theme);
    if (code)
        buf_addf_html(b, " of class %s", code);
    buf_adds(b, "</h2>\n");
    struct fg_sorted *v = arena_alloc(p->a, (nf + 1) * sizeof(*v));
    size_t shown = 0;
    for (size_t i = 0; i < nf; i++) {
        const struct store_focus_group *f = &fgs[i];
        if (!staff_sees_focus_group(p, f, cs, n) || (theme && !has_tag(f->themes, theme)) ||
            (code && (!f->cohort_code || strcmp(f->cohort_code, code) != 0)))
            continue;
        v[shown++] = (struct fg_sorted){f, class_of(f->cohort_code, cs, n)};
    }
    qsort(v, shown, sizeof(*v), cmp_sorted);
    for (size_t i = 0; i < shown; i++)
        fg_article(p, v[i].f, v[i].c);
    if (!shown)
        buf_adds(b, "<p>None recorded yet.</p>\n");
    buf_adds(b, "</section>\n");
    struct fg_values values = fg_sent(p);
    values.id = 0;
    fg_form(p, cs, n, &values, error);
    staff_page_close(p);
    return status;
}

unsigned staff_focus_get(struct staff_page *p)
{
    return fg_page(p, HTTP_OK, NULL);
}

/* Characters, not bytes, as the form promises them: UTF-8 bytes that begin a character. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/*
 * Reads and checks the form into fg (strings borrowed from the form or p->a). Returns NULL,
 * or the message to show with the form again; *status is then its status (a class of
 * another school: 404, and *status is 0 for the caller to answer as such).
 */
static const char *fg_read(struct staff_page *p, struct store_focus_group *fg, unsigned *status)
{
    const struct form *f = p->body;
    const char *dtext = form_get(f, "day"), *code = form_get(f, "class");
    const char *notes = form_get(f, "notes"), *quotes = form_get(f, "quotes");
    *status = HTTP_BAD_REQUEST;
    if (!dtext || store_day_parse(dtext, &fg->day) != 0)
        return "Please give the date as a day (YYYY-MM-DD).";
    if (fg->day > store_today(p->st))
        return "The date is in the future.";
    if (code && *code) {
        struct store_cohort c;
        int rc = staff_visible_cohort(p, code, &c);
        if (rc == STORE_ERR_NOT_FOUND) {
            *status = 0;
            return "";
        }
        if (rc != STORE_OK) {
            *status = HTTP_INTERNAL_SERVER_ERROR;
            return "The class could not be read. Please try again.";
        }
        fg->cohort_code = arena_strdup(p->a, c.code);
    } else if (p->sess->school) {
        return "Please choose the class the focus group was with.";
    }
    const char *why = NULL;
    fg->themes = tags_clean(p->a, form_get(f, "themes"), &why);
    if (!fg->themes)
        return why;
    fg->notes = notes ? notes : "";
    fg->quotes = quotes ? quotes : "";
    if (!*fg->themes && !fg->notes[strspn(fg->notes, " \t\r\n")] &&
        !fg->quotes[strspn(fg->quotes, " \t\r\n")])
        return "Please give themes, notes or quotes.";
    if (chars(fg->notes) > TEXT_MAX || chars(fg->quotes) > TEXT_MAX)
        return "Notes and quotes may be at most 10,000 characters each.";
    return NULL;
}

unsigned staff_focus_post(struct staff_page *p)
{
    struct store_focus_group fg = {.author = p->sess->staff_name};
    unsigned status;
    const char *why = fg_read(p, &fg, &status);
    if (why && !status)
        return staff_page_not_found(p);
    if (why)
        return fg_page(p, status, why);
    int rc = store_focus_group_add(p->st, &fg, NULL);
    if (rc == STORE_ERR_INVALID)
        return fg_page(p, HTTP_BAD_REQUEST, "The notes could not be saved as they are.");
    if (rc != STORE_OK)
        return fg_page(p, HTTP_INTERNAL_SERVER_ERROR,
                       "The focus group could not be saved. Please try again.");
    return staff_page_redirect(p, "/staff/focus-groups");
}

/* The page to change a focus group: its form, filled with v. */
static unsigned edit_page(struct staff_page *p, unsigned status, const struct store_cohort *cs,
                          size_t n, const struct fg_values *v, const char *error)
{
    staff_page_open(p, "Change a focus group");
    fg_form(p, cs, n, v, error);
    staff_page_close(p);
    return status;
}

unsigned staff_focus_edit_get(struct staff_page *p)
{
    struct fg_one one;
    unsigned found = fg_load_one(p, form_get(p->query, "id"), &one);
    if (found)
        return found;
    char day[11];
    store_day_format(one.f->day, day);
    struct fg_values v = {.id = one.f->id,
                          .day = day,
                          .code = one.f->cohort_code,
                          .themes = one.f->themes,
                          .notes = one.f->notes,
                          .quotes = one.f->quotes};
    return edit_page(p, HTTP_OK, one.cs, one.n, &v, NULL);
}

unsigned staff_focus_edit_post(struct staff_page *p)
{
    struct fg_one one;
    unsigned found = fg_load_one(p, form_get(p->body, "id"), &one);
    if (found)
        return found;
    struct store_focus_group fg = {.id = one.f->id, .edited_by = p->sess->staff_name};
    unsigned status;
    const char *why = fg_read(p, &fg, &status);
    struct fg_values sent = fg_sent(p);
    sent.id = one.f->id;
    if (why && !status)
        return staff_page_not_found(p);
    if (why)
        return edit_page(p, status, one.cs, one.n, &sent, why);
    int rc = store_focus_group_update(p->st, &fg);
    if (rc == STORE_ERR_NOT_FOUND)
        return staff_page_not_found(p);
    if (rc != STORE_OK)
        return edit_page(p, rc == STORE_ERR_INVALID ? HTTP_BAD_REQUEST : HTTP_INTERNAL_SERVER_ERROR,
                         one.cs, one.n, &sent, "The changes could not be saved. Please try again.");
    return staff_page_redirect(p, "/staff/focus-groups?done=changed#fg-%lld", (long long)fg.id);
}

/* Deleting asks first, on a page of its own, as closing a class does. */
unsigned staff_focus_delete(struct staff_page *p)
{
    struct fg_one one;
    unsigned found = fg_load_one(p, form_get(p->body, "id"), &one);
    if (found)
        return found;
    const char *confirm = form_get(p->body, "confirm");
    if (confirm && strcmp(confirm, "yes") == 0) {
        int rc = store_focus_group_delete(p->st, one.f->id);
        if (rc == STORE_ERR_NOT_FOUND)
            return staff_page_not_found(p);
        if (rc != STORE_OK)
            return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                      "The focus group could not be deleted. Please try again.");
        return staff_page_redirect(p, "/staff/focus-groups?done=deleted");
    }
    struct buf *b = p->out;
    staff_page_open(p, "Delete this focus group?");
    buf_adds(b, "<p>");
    fg_name(b, one.f, class_of(one.f->cohort_code, one.cs, one.n));
    buf_adds(b, ". Its themes, notes and quotes are deleted for good, and overwritten in the "
                "database; this cannot be undone. To correct it instead, change it.</p>\n"
                "<form method=\"post\" action=\"/staff/focus-groups/delete\">");
    staff_page_csrf(p);
    buf_addf(b,
             "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
             "<input type=\"hidden\" name=\"confirm\" value=\"yes\">\n"
             "<p><button type=\"submit\">Delete the focus group</button> "
             "<a href=\"/staff/focus-groups#fg-%lld\">No, keep it</a></p>\n</form>\n",
             (long long)one.f->id, (long long)one.f->id);
    staff_page_close(p);
    return HTTP_OK;
}
