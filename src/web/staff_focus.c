/*
 * /staff/focus-groups: a form to record a focus group (its day, its class, its themes as
 * tags, anonymised notes and quotes) and the focus groups the account may see, filtered
 * by a theme (?theme=TAG) or a class (?class=CODE). School staff record and read only
 * their school's classes' groups. The store masks email addresses and phone numbers; the
 * form asks staff not to write names.
 */
#include <stdio.h>
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

/* The visible focus groups: those of the account's classes (every one for evaluators). */
static bool fg_visible(const struct staff_page *p, const struct store_focus_group *f,
                       const struct store_cohort *cs, size_t n)
{
    if (!p->sess->school)
        return true;
    for (size_t i = 0; i < n && f->cohort_code; i++)
        if (strcmp(cs[i].code, f->cohort_code) == 0)
            return true;
    return false;
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

static void fg_article(struct buf *b, const struct store_focus_group *f)
{
    char day[11];
    store_day_format(f->day, day);
    buf_addf(b, "<article class=\"focus-group\">\n<h3>%s", day);
    if (f->cohort_code) {
        buf_adds(b, ", class ");
        buf_adds_html(b, f->cohort_code);
    }
    buf_adds(b, "</h3>\n");
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
    buf_adds(b, "</article>\n");
}

/* The form, with its typed values kept when it is shown again with an error. */
static void fg_form(struct staff_page *p, const struct store_cohort *cs, size_t n,
                    const char *error)
{
    struct buf *b = p->out;
    const struct form *f = p->body;
    const char *day = form_get(f, "day"), *code = form_get(f, "class");
    buf_adds(b, "<h2 id=\"record\">Record a focus group</h2>\n");
    if (error)
        staff_page_error(p, error);
    buf_adds(b, "<p class=\"notice\">Write no names, and nothing that could identify a young "
                "person. Email addresses and phone numbers are removed when saved.</p>\n"
                "<form method=\"post\" action=\"/staff/focus-groups\">\n");
    staff_page_csrf(p);
    char today[11];
    store_day_format(store_today(p->st), today);
    buf_adds(b, "\n<div class=\"field\"><label for=\"f-day\">Date</label>\n"
                "<input id=\"f-day\" name=\"day\" type=\"date\" required value=\"");
    buf_adds_html(b, day ? day : today);
    buf_adds(b, "\"></div>\n<div class=\"field\"><label for=\"f-class\">Class</label>\n"
                "<select id=\"f-class\" name=\"class\"");
    buf_adds(b, p->sess->school ? " required>\n" : ">\n<option value=\"\">No one class</option>\n");
    for (size_t i = 0; i < n; i++) {
        buf_adds(b, "<option value=\"");
        buf_adds_html(b, cs[i].code);
        buf_adds(b, code && strcmp(code, cs[i].code) == 0 ? "\" selected>" : "\">");
        buf_adds_html(b, cs[i].code);
        buf_adds(b, " \xe2\x80\x93 ");
        buf_adds_html(b, cs[i].label);
        buf_adds(b, "</option>\n");
    }
    buf_adds(b, "</select></div>\n<div class=\"field\"><label for=\"f-themes\">Themes, "
                "separated by commas (for example: trust, online safety)</label>\n"
                "<input id=\"f-themes\" name=\"themes\" value=\"");
    buf_adds_html(b, form_get(f, "themes") ? form_get(f, "themes") : "");
    buf_adds(b, "\"></div>\n<div class=\"field\"><label for=\"f-notes\">Notes "
                "(anonymised)</label>\n<textarea id=\"f-notes\" name=\"notes\" rows=\"6\">");
    buf_adds_html(b, form_get(f, "notes") ? form_get(f, "notes") : "");
    buf_adds(b, "</textarea></div>\n<div class=\"field\"><label for=\"f-quotes\">Quotes, one "
                "per line (anonymised)</label>\n<textarea id=\"f-quotes\" name=\"quotes\" "
                "rows=\"4\">");
    buf_adds_html(b, form_get(f, "quotes") ? form_get(f, "quotes") : "");
    buf_adds(b, "</textarea></div>\n<p><button type=\"submit\">Save the focus group</button>"
                "</p>\n</form>\n");
}

static unsigned fg_page(struct staff_page *p, unsigned status, const char *error)
{
    struct store_cohort *cs;
    size_t n;
    struct store_focus_group *fgs;
    size_t nf;
    if (staff_visible_cohorts(p, &cs, &n) != STORE_OK ||
        store_focus_groups(p->st, p->a, &fgs, &nf) != STORE_OK)
        return staff_page_message(p, HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                                  "The focus groups could not be read. Please try again.");
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
    buf_adds(b, "<p><a href=\"#record\">Record a focus group</a></p>\n"
                "<form method=\"get\" action=\"/staff/focus-groups\" class=\"scope\">\n"
                "<div class=\"field\"><label for=\"f-theme\">Show only the theme</label>\n"
                "<input id=\"f-theme\" name=\"theme\" value=\"");
    buf_adds_html(b, theme ? theme : "");
    buf_adds(b, "\"></div>\n<p><button type=\"submit\">Show</button> <a href=\"/staff/"
                "focus-groups\">Show all</a></p>\n</form>\n<section aria-labelledby=\"fg-list\">"
                "\n<h2 id=\"fg-list\">Recorded focus groups");
    if (theme) {
        buf_adds(b, " on \xe2\x80\x9c");
        buf_adds_html(b, theme);
        buf_adds(b, "\xe2\x80\x9d");
    }
    if (code) {
        buf_adds(b, " of class ");
        buf_adds_html(b, code);
    }
    buf_adds(b, "</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; i < nf; i++) {
        const struct store_focus_group *f = &fgs[i];
        if (!fg_visible(p, f, cs, n) || (theme && !has_tag(f->themes, theme)) ||
            (code && (!f->cohort_code || strcmp(f->cohort_code, code) != 0)))
            continue;
        fg_article(b, f);
        shown++;
    }
    if (!shown)
        buf_adds(b, "<p>None recorded yet.</p>\n");
    buf_adds(b, "</section>\n");
    fg_form(p, cs, n, error);
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

unsigned staff_focus_post(struct staff_page *p)
{
    const struct form *f = p->body;
    const char *dtext = form_get(f, "day"), *code = form_get(f, "class");
    const char *notes = form_get(f, "notes"), *quotes = form_get(f, "quotes");
    struct store_focus_group fg = {0};
    if (!dtext || store_day_parse(dtext, &fg.day) != 0)
        return fg_page(p, HTTP_BAD_REQUEST, "Please give the date as a day (YYYY-MM-DD).");
    if (fg.day > store_today(p->st))
        return fg_page(p, HTTP_BAD_REQUEST, "The date is in the future.");
    if (code && *code) {
        struct store_cohort c;
        int rc = staff_visible_cohort(p, code, &c);
        if (rc == STORE_ERR_NOT_FOUND)
            return staff_page_not_found(p);
        if (rc != STORE_OK)
            return fg_page(p, HTTP_INTERNAL_SERVER_ERROR,
                           "The class could not be read. Please try again.");
        fg.cohort_code = arena_strdup(p->a, c.code);
    } else if (p->sess->school) {
        return fg_page(p, HTTP_BAD_REQUEST, "Please choose the class the focus group was with.");
    }
    const char *why = NULL;
    fg.themes = tags_clean(p->a, form_get(f, "themes"), &why);
    if (!fg.themes)
        return fg_page(p, HTTP_BAD_REQUEST, why);
    fg.notes = notes ? notes : "";
    fg.quotes = quotes ? quotes : "";
    if (!*fg.themes && !fg.notes[strspn(fg.notes, " \t\r\n")] &&
        !fg.quotes[strspn(fg.quotes, " \t\r\n")])
        return fg_page(p, HTTP_BAD_REQUEST, "Please give themes, notes or quotes.");
    if (chars(fg.notes) > TEXT_MAX || chars(fg.quotes) > TEXT_MAX)
        return fg_page(p, HTTP_BAD_REQUEST,
                       "Notes and quotes may be at most 10,000 characters each.");
    int rc = store_focus_group_add(p->st, &fg, NULL);
    if (rc == STORE_ERR_INVALID)
        return fg_page(p, HTTP_BAD_REQUEST, "The notes could not be saved as they are.");
    if (rc != STORE_OK)
        return fg_page(p, HTTP_INTERNAL_SERVER_ERROR,
                       "The focus group could not be saved. Please try again.");
    return staff_page_redirect(p, "/staff/focus-groups");
}
