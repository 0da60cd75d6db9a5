/*
 * The young person's plan: the builder form, the plan rendered from a POST of that form,
 * and a blank worksheet to print. The plan belongs to the young person: the server only
 * turns the fields into a page and forgets them, and the export has no server at all, so
 * there the script builds the plan in the page, and without a script the worksheet is
 * the way to make one.
 *
 * The script (assets/app.js) builds the same markup as plan_body() from the form, so the
 * served plan, the live preview and the downloaded file look alike: each section of the
 * form is a .plan-sec with a .sec-title, and the plan is a .plan-part per section.
 */
#include "site/render.h"

#include <stdio.h>
#include <string.h>

/* --- what a plan section offers ---------------------------------------------------- */

static bool is_list(enum pkg_plan_kind k)
{
    return k == PLAN_STRATEGIES || k == PLAN_REPLIES || k == PLAN_CONTACTS;
}

/* One thing a list section offers: a strategy, a reply or a support service. */
struct choice {
    const char *id;
    const char *label;
    const char *detail; /* shown after the label, e.g. a phone number; may be NULL */
};

typedef void choice_fn(struct render *r, const struct pkg_plan_section *sec, const struct choice *c,
                       void *ctx);

/* Calls fn for every choice a list section offers, in package order. */
static void each_choice(struct render *r, const struct pkg_plan_section *sec, choice_fn *fn,
                        void *ctx)
{
    const struct pkg *p = r->pkg;
    if (sec->kind == PLAN_CONTACTS) {
        for (size_t i = 0; i < p->support_count; i++) {
            const struct pkg_support *s = &p->support[i];
            struct choice c = {s->id, s->name, s->phone ? s->phone : s->sms};
            fn(r, sec, &c, ctx);
        }
        return;
    }
    for (size_t i = 0; i < p->page_count; i++) {
        const struct pkg_page *pg = &p->pages[i];
        for (size_t k = 0; k < pg->strategy_count; k++) {
            const struct pkg_strategy *st = &pg->strategies[k];
            if (sec->kind == PLAN_STRATEGIES) {
                struct choice c = {st->id, st->title, NULL};
                fn(r, sec, &c, ctx);
                continue;
            }
            for (size_t j = 0; j < st->reply_count; j++) {
                const struct pkg_reply *rep = &st->replies[j];
                struct choice c = {rep->id, rep->text && *rep->text ? rep->text : rep->alt, NULL};
                fn(r, sec, &c, ctx);
            }
        }
    }
}

static void choice_label(struct render *r, const struct choice *c)
{
    render_span(r, c->label);
    if (c->detail && *c->detail)
        buf_addf_html(r->out, " <span class=\"detail\">%s</span>", c->detail);
}

/* --- the builder ------------------------------------------------------------------- */

static void check_item(struct render *r, const struct pkg_plan_section *sec, const struct choice *c,
                       void *ctx)
{
    (void)ctx;
    struct buf *o = r->out;
    struct buf b;
    buf_init(&b, 256);
    render_field_id(&b, sec->id, c->id);
    const char *id = render_id(r, b.ptr);
    buf_release(&b);
    buf_addf_html(
        o, "<li><input type=\"checkbox\" id=\"%s\" name=\"%s\" value=\"%s\"> <label for=\"%s\">",
        id, sec->id, c->id, id);
    choice_label(r, c);
    buf_adds(o, "</label></li>\n");
}

static void builder_section(struct render *r, const struct pkg_plan_section *sec)
{
    struct buf *o = r->out;
    buf_addf_html(o,
                  "<fieldset class=\"plan-sec\" id=\"sec-%s\">\n<legend class=\"sec-title\" "
                  "id=\"lg-%s\"",
                  sec->id, sec->id);
    render_elem(r, "", sec->title, "</legend>\n");
    if (sec->prompt && *sec->prompt)
        render_elem(r, "<p class=\"hint\"", sec->prompt, "</p>\n");
    if (is_list(sec->kind)) {
        buf_adds(o, "<ul class=\"checks\">\n");
        each_choice(r, sec, check_item, NULL);
        buf_adds(o, "</ul>\n");
    } else if (sec->kind == PLAN_ADULTS) {
        for (int k = 1; k <= PLAN_ADULTS; k++) {
            struct buf b;
            buf_init(&b, 256);
            render_field_id(&b, sec->id, NULL);
            buf_addf(&b, "-%d", k);
            const char *id = render_id(r, b.ptr);
            buf_release(&b);
            buf_addf_html(o, "<div class=\"field\"><label for=\"%s", id);
            buf_adds(o, "\">");
            char num[16];
            snprintf(num, sizeof(num), "%d", k);
            render_uif(r, UI_TRUSTED_ADULT, num, NULL);
            buf_adds(o, "</label> <input id=\"");
            buf_addf_html(o, "%s\" name=\"%s", id, sec->id);
            buf_addf(o, "\" maxlength=\"%d\" autocomplete=\"off\"></div>\n", PLAN_LINE_MAX);
        }
    } else {
        struct buf b;
        buf_init(&b, 256);
        render_field_id(&b, sec->id, NULL);
        const char *id = render_id(r, b.ptr);
        buf_release(&b);
        buf_addf_html(o, "<textarea id=\"%s\" name=\"%s\" aria-labelledby=\"lg-%s", id, sec->id,
                      sec->id);
        buf_addf(o, "\" rows=\"3\" maxlength=\"%d\" autocomplete=\"off\"></textarea>\n",
                 PLAN_TEXT_MAX);
    }
    buf_adds(o, "</fieldset>\n");
}

static void worksheet_link(struct render *r, enum ui_text text)
{
    buf_adds(r->out, "<a href=\"");
    render_href(r, r->page, PLAN_WORKSHEET_STEP);
    buf_adds(r->out, "\">");
    render_ui(r, text);
    buf_adds(r->out, "</a>");
}

/* A button that works only with the script: <button ... data-plan-action="action">. */
static void tool(struct render *r, const char *attrs, const char *action, enum ui_text text)
{
    buf_adds(r->out, "<button type=\"button\"");
    buf_adds(r->out, attrs);
    buf_adds(r->out, " data-plan-action=\"");
    buf_adds(r->out, action);
    buf_adds(r->out, "\">");
    render_ui(r, text);
    buf_adds(r->out, "</button>\n");
}

static void plan_tools(struct render *r, bool builder)
{
    /* These buttons need the script, so they stay hidden until it runs. */
    buf_adds(r->out, "<div class=\"plan-tools\" hidden>\n");
    tool(r, "", "print", UI_PLAN_PRINT);
    tool(r, "", "card", UI_PLAN_CARD);
    tool(r, "", "download", UI_PLAN_DOWNLOAD);
    if (builder)
        tool(r, " class=\"danger\"", "delete", UI_PLAN_DELETE);
    buf_adds(r->out, "</div>\n<p id=\"plan-status\" class=\"status\" role=\"status\"></p>\n");
}

void render_page_plan(struct render *r)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    bool offline = r->mode == SITE_EXPORT;
    render_open(r, page->title, page->summary, "page-plan");
    render_elem(r, "<h1", page->title, "</h1>\n");
    for (size_t i = 0; i < page->plan_section_count; i++) {
        struct buf b;
        buf_init(&b, 256);
        buf_adds(&b, "sec-");
        buf_adds(&b, page->plan_sections[i].id);
        render_id(r, b.ptr);
        b.len = 0;
        buf_adds(&b, "lg-");
        buf_adds(&b, page->plan_sections[i].id);
        render_id(r, b.ptr);
        buf_release(&b);
    }
    static const char *const fixed_ids[] = {"plan-form", "keep", "my-plan", "my-plan-title",
                                            "plan-status"};
    for (size_t i = 0; i < sizeof(fixed_ids) / sizeof(fixed_ids[0]); i++)
        render_id(r, fixed_ids[i]);
    render_markdown(r, page->body, 2);
    if (offline) {
        struct buf link;
        buf_init(&link, 4096);
        r->out = &link;
        worksheet_link(r, UI_PLAN_BLANK_LINK);
        r->out = o;
        buf_adds(o, "<p class=\"js-off\">");
        render_ui_html(r, UI_PLAN_JS_OFF, link.ptr);
        buf_adds(o, "</p>\n");
        buf_release(&link);
    }
    /* On a phone the preview is below the whole form, so a link leads to it; from about
     * 1024 px it stands beside the form (assets/style.css) and the link is not shown. */
    buf_adds(o, "<p class=\"jump\"><a href=\"#my-plan\">");
    render_ui(r, UI_PLAN_SO_FAR);
    buf_adds(o, "</a></p>\n<div class=\"plan-cols\">\n<form id=\"plan-form\" class=\"plan-form\" "
                "method=\"post\" action=\"");
    render_href(r, page, NULL);
    buf_addf_html(o, "\" data-plan=\"%s", r->pkg->id);
    buf_adds(o, offline ? "\" hidden>\n" : "\">\n");
    buf_adds(o, "<p class=\"private\">");
    render_ui(r, UI_PLAN_PRIVATE);
    buf_adds(o, "</p>\n");
    for (size_t i = 0; i < page->plan_section_count; i++)
        builder_section(r, &page->plan_sections[i]);
    buf_adds(o, "<div class=\"keep\" hidden>\n<input type=\"checkbox\" id=\"keep\"> "
                "<label for=\"keep\">");
    render_ui(r, UI_PLAN_KEEP);
    buf_adds(o, "</label>\n<p class=\"hint\">");
    render_ui(r, UI_PLAN_KEEP_HINT);
    buf_adds(o, "</p>\n</div>\n");
    if (!offline) {
        buf_adds(o, "<p class=\"submit\"><button type=\"submit\">");
        render_ui(r, UI_PLAN_SHOW);
        buf_adds(o, "</button> <button type=\"submit\" name=\"layout\" value=\"card\" "
                    "class=\"secondary\">");
        render_ui(r, UI_PLAN_SHOW_CARD);
        buf_adds(o, "</button></p>\n");
    }
    buf_adds(o, "</form>\n<div class=\"plan-side\">\n<section id=\"my-plan\" class=\"plan-out\" "
                "aria-labelledby=\"my-plan-title\" hidden>\n<h2 id=\"my-plan-title\">");
    render_ui(r, UI_MY_PLAN);
    buf_adds(o, "</h2>\n<div class=\"plan-body\"></div>\n</section>\n");
    plan_tools(r, true);
    buf_adds(o, "</div>\n</div>\n<p class=\"worksheet\">");
    worksheet_link(r, UI_BLANK_PLAN);
    buf_adds(o, "</p>\n");
    render_close(r);
}

/* --- the worksheet ----------------------------------------------------------------- */

static void sheet_item(struct render *r, const struct pkg_plan_section *sec, const struct choice *c,
                       void *ctx)
{
    (void)sec;
    (void)ctx;
    buf_adds(r->out, "<li><span class=\"box\" aria-hidden=\"true\"></span> ");
    choice_label(r, c);
    buf_adds(r->out, "</li>\n");
}

void render_page_worksheet(struct render *r)
{
    const struct pkg_page *page = r->page;
    struct buf *o = r->out;
    struct buf title;
    buf_init(&title, 4096);
    ui_plain(r, &title, UI_BLANK_TITLE, page->title, NULL);
    render_open(r, title.ptr, page->summary, "page-plan page-worksheet");
    buf_release(&title);
    buf_adds(o, "<h1>");
    render_uif(r, UI_BLANK_TITLE, page->title, NULL);
    buf_adds(o, "</h1>\n<p class=\"no-print\">");
    render_ui(r, UI_BLANK_INTRO);
    buf_adds(o, "</p>\n<p class=\"no-print\">");
    buf_adds(o, "<button type=\"button\" data-plan-action=\"print-page\" hidden>");
    render_ui(r, UI_PRINT_PAGE);
    buf_adds(o, "</button></p>\n");
    for (size_t i = 0; i < page->plan_section_count; i++) {
        const struct pkg_plan_section *sec = &page->plan_sections[i];
        buf_adds(o, "<section class=\"sheet-sec\">\n");
        render_elem(r, "<h2", sec->title, "</h2>\n");
        if (sec->prompt && *sec->prompt)
            render_elem(r, "<p class=\"hint\"", sec->prompt, "</p>\n");
        if (is_list(sec->kind)) {
            buf_adds(o, "<ul class=\"sheet-checks\">\n");
            each_choice(r, sec, sheet_item, NULL);
            buf_adds(o, "</ul>\n");
        } else if (sec->kind == PLAN_ADULTS) {
            buf_adds(o, "<ol class=\"sheet-lines\">\n");
            for (int k = 0; k < PLAN_ADULTS; k++) {
                buf_adds(o, "<li><span class=\"vh\">");
                render_ui(r, UI_SPACE_NAME);
                buf_adds(o, "</span></li>\n");
            }
            buf_adds(o, "</ol>\n");
        } else {
            buf_adds(o, "<div class=\"sheet-write\"><span class=\"vh\">");
            render_ui(r, UI_SPACE_WRITE);
            buf_adds(o, "</span></div>\n");
        }
        buf_adds(o, "</section>\n");
    }
    render_close(r);
}

/* --- the plan from a POST ---------------------------------------------------------- */

/* The value with surrounding space trimmed and cut to at most max bytes at a character. */
static size_t clip(const char *s, size_t max, const char **start)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    *start = s;
    return n;
}

static bool form_has(const struct form *f, const char *name, const char *value)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->fields[i].name, name) == 0 && strcmp(f->fields[i].value, value) == 0)
            return true;
    return false;
}

struct picked {
    const struct form *form;
    size_t count;
};

static void picked_item(struct render *r, const struct pkg_plan_section *sec,
                        const struct choice *c, void *ctx)
{
    struct picked *pk = ctx;
    if (!c->id || !form_has(pk->form, sec->id, c->id))
        return;
    if (pk->count++ == 0)
        buf_adds(r->out, "<ul>\n");
    buf_adds(r->out, "<li>");
    choice_label(r, c);
    buf_adds(r->out, "</li>\n");
}

static void part_open(struct render *r, const struct pkg_plan_section *sec)
{
    buf_addf_html(r->out, "<section class=\"plan-part\">\n<h3>%s</h3>\n", sec->title);
}

/*
 * Writes the parts of the plan the young person filled in. A section left empty is taken
 * back out, so that it leaves no heading behind. Returns how many parts were written.
 */
static size_t plan_body(struct render *r, const struct pkg_page *page, const struct form *f)
{
    struct buf *o = r->out;
    size_t parts = 0;
    for (size_t i = 0; i < page->plan_section_count; i++) {
        const struct pkg_plan_section *sec = &page->plan_sections[i];
        size_t mark = o->len;
        part_open(r, sec);
        size_t head = o->len;
        if (is_list(sec->kind)) {
            struct picked pk = {f, 0};
            each_choice(r, sec, picked_item, &pk);
            if (pk.count)
                buf_adds(o, "</ul>\n");
        } else {
            bool lines = sec->kind == PLAN_ADULTS;
            size_t n = 0;
            for (size_t k = 0; k < f->count; k++) {
                const char *v;
                if (strcmp(f->fields[k].name, sec->id) != 0)
                    continue;
                size_t len = clip(f->fields[k].value, lines ? PLAN_LINE_MAX : PLAN_TEXT_MAX, &v);
                if (!len)
                    continue;
                if (lines)
                    buf_adds(o, n ? "<li>" : "<ul>\n<li>");
                else
                    buf_adds(o, "<p class=\"free\">");
                buf_add_html(o, v, len);
                buf_adds(o, lines ? "</li>\n" : "</p>\n");
                n++;
            }
            if (lines && n)
                buf_adds(o, "</ul>\n");
        }
        if (!buf_ok(o))
            break;
        if (o->len == head) {
            o->len = mark;
            if (o->ptr)
                o->ptr[mark] = '\0';
            continue;
        }
        buf_adds(o, "</section>\n");
        parts++;
    }
    return parts;
}

int site_render_plan(const struct site *s, const struct form *fields, struct buf *out)
{
    const struct pkg_page *page = render_find_kind(s->pkg, PAGE_PLAN);
    struct form none = {NULL, 0};
    if (!fields)
        fields = &none;
    struct render r;
    render_init(&r, s, out, page);
    render_open(&r, ui(&r, UI_MY_PLAN), page ? page->summary : NULL, "page-plan page-plan-result");
    buf_adds(out, "<h1>");
    render_ui(&r, UI_YOUR_PLAN);
    buf_adds(out, "</h1>\n");
    bool card = form_has(fields, "layout", "card");
    if (page) {
        buf_adds(out, card ? "<section id=\"my-plan\" class=\"plan-out card\" "
                           : "<section id=\"my-plan\" class=\"plan-out\" ");
        buf_adds(out, "aria-labelledby=\"my-plan-title\">\n<h2 id=\"my-plan-title\">");
        render_ui(&r, UI_MY_PLAN);
        buf_adds(out, "</h2>\n<div class=\"plan-body\">\n");
        size_t parts = plan_body(&r, page, fields);
        if (!parts) {
            buf_adds(out, "<p>");
            render_ui(&r, UI_PLAN_EMPTY);
            buf_adds(out, "</p>\n");
        }
        buf_adds(out, "</div>\n</section>\n<p class=\"private no-print\">");
        render_ui(&r, UI_PLAN_NOT_KEPT);
        buf_adds(out, "</p>\n");
        plan_tools(&r, false);
        buf_adds(out, "<p class=\"no-print\"><a href=\"");
        render_href(&r, page, NULL);
        buf_adds(out, "\">");
        render_ui(&r, UI_PLAN_CHANGE);
        buf_adds(out, "</a> ");
        render_ui(&r, UI_PLAN_BACK_KEEPS);
        buf_adds(out, "</p>\n");
    } else {
        buf_adds(out, "<p>");
        render_ui(&r, UI_NO_PLAN);
        buf_adds(out, "</p>\n");
    }
    render_close(&r);
    render_release(&r);
    return buf_ok(out) ? 0 : -1;
}
