/*
 * The layout every page shares: head, the top bar with quick exit, skip link, the pages
 * in order, footer navigation, and the addresses of pages in either mode. Pupils may be on
 * a shared or watched device, so the quick exit link comes first in the document and works
 * as a plain link; the script only makes it faster and adds the Shift shortcut.
 */
#include "site/render.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_EXIT_URL "https://www.bbc.co.uk/weather"

void render_init(struct render *r, const struct site *s, struct buf *out,
                 const struct pkg_page *page)
{
    memset(r, 0, sizeof(*r));
    r->site = s;
    r->pkg = s->pkg;
    r->ui = &s->ui;
    r->mode = s->mode;
    r->prefix = "";
    r->up = s->root ? "../" : "";
    r->out = out;
    r->page = page;
    /* The layout's own ids, so that no heading in the page's Markdown can take them. */
    static const char *const layout_ids[] = {
        "exit",           "main",          "text-size",     "exit-status",  "reader",
        "reader-body",    "reader-spaced", "read-aloud",    "read-stop",    "reader-remember",
        "read-hint",      "reader-speech", "scheme-device", "scheme-light", "scheme-dark",
        "scheme-contrast"};
    for (size_t i = 0; i < sizeof(layout_ids) / sizeof(layout_ids[0]); i++)
        render_id(r, layout_ids[i]);
}

void render_release(struct render *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->id_count; i++)
        free(r->ids[i]);
    free(r->ids);
    r->ids = NULL;
    r->id_count = r->id_cap = 0;
}

static bool id_taken(const struct render *r, const char *id)
{
    for (size_t i = 0; i < r->id_count; i++)
        if (strcmp(r->ids[i], id) == 0)
            return true;
    return false;
}

const char *render_id(struct render *r, const char *want)
{
    struct buf b;
    buf_init(&b, 256);
    buf_adds(&b, want && *want ? want : "section");
    size_t base = b.len;
    for (int n = 2; id_taken(r, b.ptr); n++) {
        b.len = base;
        buf_addf(&b, "-%d", n);
    }
    XGROW(r->ids, r->id_cap, r->id_count + 1);
    r->ids[r->id_count] = buf_detach(&b, NULL);
    return r->ids[r->id_count++];
}

void render_anywhere(struct render *r)
{
    r->prefix = r->site->lang_abs;
    r->up = "/";
}

/* Whether text is one of the interface texts (ui()) shown in English for want of a
 * translation. Found by address: a page in a language with every text pays nothing. */
static bool is_ui_english(const struct render *r, const char *text)
{
    const struct site *s = r->site;
    for (size_t i = 0; s->ui_english_count && i < UI_TEXT_COUNT; i++)
        if (s->ui_english[i] && r->ui->text[i] == text)
            return true;
    return false;
}

bool render_is_fallback(const struct render *r, const char *text)
{
    return text &&
           ((r->site->root && pkg_text_is_fallback(r->pkg, text)) || is_ui_english(r, text));
}

void render_lang_of(struct render *r, const char *text)
{
    if (!render_is_fallback(r, text))
        return;
    buf_adds(r->out, " lang=\"");
    render_text(r, is_ui_english(r, text) ? "en" : r->site->root->pkg->language);
    buf_addc(r->out, '"');
}

void render_elem(struct render *r, const char *open, const char *text, const char *close)
{
    buf_adds(r->out, open);
    render_lang_of(r, text);
    buf_addc(r->out, '>');
    render_text(r, text);
    buf_adds(r->out, close);
}

void render_span(struct render *r, const char *text)
{
    if (render_is_fallback(r, text))
        render_elem(r, "<span", text, "</span>");
    else
        render_text(r, text);
}

void render_text(struct render *r, const char *text)
{
    buf_adds_html(r->out, text);
}

const char *ui(const struct render *r, enum ui_text t)
{
    const char *s = (size_t)t < UI_TEXT_COUNT ? r->ui->text[t] : NULL;
    return s ? s : "";
}

/* Appends text to b with args[k] in place of {k+1}; escaping the text and the args each
 * as asked. A place with no value is left out. */
static void expand(struct buf *b, const char *text, const char *const args[UI_PLACES_MAX],
                   bool esc_text, bool esc_args)
{
    const char *p = text;
    for (;;) {
        const char *at = strchr(p, '{');
        while (at && !(at[1] >= '1' && at[1] <= '0' + UI_PLACES_MAX && at[2] == '}'))
            at = strchr(at + 1, '{');
        size_t n = at ? (size_t)(at - p) : strlen(p);
        if (esc_text)
            buf_add_html(b, p, n);
        else
            buf_add(b, p, n);
        if (!at)
            return;
        const char *v = args[at[1] - '1'];
        if (v) {
            if (esc_args)
                buf_adds_html(b, v);
            else
                buf_adds(b, v);
        }
        p = at + 3;
    }
}

bool render_ui_english(const struct render *r, enum ui_text t)
{
    return (size_t)t < UI_TEXT_COUNT && r->site->ui_english[t];
}

/* Opens (close false) or closes the <span lang="en"> around interface text t when it is
 * English for want of a translation; nothing otherwise. */
static void ui_english_span(struct render *r, enum ui_text t, bool close)
{
    if (render_ui_english(r, t))
        buf_adds(r->out, close ? "</span>" : "<span lang=\"en\">");
}

void render_ui(struct render *r, enum ui_text t)
{
    ui_english_span(r, t, false);
    buf_adds_html(r->out, ui(r, t));
    ui_english_span(r, t, true);
}

void render_uif(struct render *r, enum ui_text t, const char *a1, const char *a2)
{
    const char *args[UI_PLACES_MAX] = {a1, a2};
    ui_english_span(r, t, false);
    expand(r->out, ui(r, t), args, true, true);
    ui_english_span(r, t, true);
}

void render_ui_html(struct render *r, enum ui_text t, const char *html)
{
    const char *args[UI_PLACES_MAX] = {html};
    ui_english_span(r, t, false);
    expand(r->out, ui(r, t), args, true, false);
    ui_english_span(r, t, true);
}

void render_ui_attr(struct render *r, enum ui_text t)
{
    buf_adds_html(r->out, ui(r, t));
}

void ui_plain(const struct render *r, struct buf *b, enum ui_text t, const char *a1, const char *a2)
{
    const char *args[UI_PLACES_MAX] = {a1, a2};
    expand(b, ui(r, t), args, false, false);
}

void ui_plain_values(const struct render *r, struct buf *b, enum ui_text t,
                     const char *const values[UI_PLACES_MAX])
{
    expand(b, ui(r, t), values, false, false);
}

static bool is_home(const struct pkg *p, const struct pkg_page *page)
{
    return p->page_count > 0 && page == &p->pages[0];
}

void render_file_name(const struct pkg *p, struct buf *b, const struct pkg_page *page,
                      const char *step)
{
    if (is_home(p, page) && !step) {
        buf_adds(b, "index.html");
        return;
    }
    buf_adds(b, page->id);
    if (step) {
        buf_addc(b, '-');
        buf_adds(b, step);
    }
    buf_adds(b, ".html");
}

void render_url(const struct render *r, struct buf *b, const struct pkg_page *page,
                const char *step)
{
    if (r->mode == SITE_EXPORT) {
        buf_adds(b, r->prefix);
        render_file_name(r->pkg, b, page, step);
        return;
    }
    if (is_home(r->pkg, page) && !step) {
        /* "./" names the folder the pages are in; the 404 page answers anywhere. */
        buf_adds(b, *r->prefix ? r->prefix : "./");
        return;
    }
    buf_adds(b, r->prefix);
    buf_adds(b, page->id);
    if (step) {
        buf_addc(b, '-');
        buf_adds(b, step);
    }
}

bool render_public_url(const struct render *r, struct buf *b, const struct pkg_page *page)
{
    const char *base = r->site->public_url;
    if (!base)
        return false;
    buf_adds(b, base);
    buf_adds(b, r->site->lang_dir);
    /* The start page is the folder itself, on a server and on any static host. */
    if (!page || is_home(r->pkg, page))
        return true;
    buf_adds(b, page->id);
    if (r->mode == SITE_EXPORT)
        buf_adds(b, ".html");
    return true;
}

void render_teach_href(struct render *r, size_t slide)
{
    buf_adds_html(r->out, r->prefix);
    buf_adds(r->out, r->mode == SITE_EXPORT ? TEACH_FILE : "teach");
    if (slide)
        buf_addf(r->out, "#%zu", slide);
}

void render_href(struct render *r, const struct pkg_page *page, const char *step)
{
    struct buf b;
    buf_init(&b, 4096);
    render_url(r, &b, page, step);
    buf_add_html(r->out, b.ptr ? b.ptr : "", b.len);
    buf_release(&b);
}

void render_asset(struct render *r, const char *name)
{
    const char *path = site_asset_path(r->site, name);
    buf_adds_html(r->out, r->up);
    buf_adds_html(r->out, path ? path : name);
}

const struct pkg_page *render_page_before(const struct pkg *p, const struct pkg_page *page)
{
    if (!page || page == p->pages)
        return NULL;
    return page - 1;
}

const struct pkg_page *render_page_after(const struct pkg *p, const struct pkg_page *page)
{
    if (!page || page + 1 >= p->pages + p->page_count)
        return NULL;
    return page + 1;
}

const struct pkg_page *render_find_kind(const struct pkg *p, enum pkg_page_kind kind)
{
    for (size_t i = 0; i < p->page_count; i++)
        if (p->pages[i].kind == kind)
            return &p->pages[i];
    return NULL;
}

static const char *nav_title(const struct pkg_page *page)
{
    return page->nav_title && *page->nav_title ? page->nav_title : page->title;
}

bool render_in_english(const struct render *r)
{
    const char *lang = r->ui->language;
    return !lang || (strncasecmp(lang, "en", 2) == 0 && (!lang[2] || lang[2] == '-'));
}

void render_teacher_open(struct render *r, const char *open)
{
    buf_adds(r->out, open);
    if (!render_in_english(r))
        buf_adds(r->out, " lang=\"en\"");
    buf_addc(r->out, '>');
}

/* Appends text as a JSON string that is safe inside a <script> element. */
static void json_string(struct buf *b, const char *text)
{
    buf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf_addc(b, '\\');
            buf_addc(b, (char)*p);
        } else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') {
            buf_addf(b, "\\u%04x", *p);
        } else {
            buf_addc(b, (char)*p);
        }
    }
    buf_addc(b, '"');
}

/*
 * The words the scripts say (assets/app.js, teach.js), for a page whose language is not
 * English: a JSON object of interface texts by id, which a script reads and never runs.
 * An English page needs none, since the scripts carry the English words. A word the
 * page's language lacks is the English one here, unmarked: the scripts write these words
 * into the page as they are (render_ui_english() has no say in them).
 */
static void script_words(struct render *r)
{
    static const enum ui_text said[] = {
        UI_JS_LEAVING,        UI_JS_SHIFT_ONE,      UI_JS_SHIFT_MORE, UI_JS_SHARED,
        UI_JS_SHARE_FAILED,   UI_JS_NO_PICTURE,     UI_JS_SAVED_AS,   UI_JS_COPIED_WORDS,
        UI_JS_WORDS_SELECTED, UI_JS_COPIED_PICTURE, UI_JS_COPY,       UI_JS_SEND_THIS,
        UI_JS_PLAN_EMPTY,     UI_JS_NOT_KEPT,       UI_JS_DOWNLOADED, UI_JS_DELETED,
        UI_JS_KEPT,           UI_JS_NO_LONGER_KEPT, UI_JS_LAST_SLIDE, UI_JS_POPUP,
        UI_JS_TIME,           UI_MY_PLAN,           UI_SLIDE_N,       UI_NEXT_STEP,
    };
    if (render_in_english(r))
        return;
    struct buf *o = r->out;
    buf_adds(o, "<script type=\"application/json\" id=\"ui-words\">{");
    for (size_t i = 0; i < sizeof(said) / sizeof(said[0]); i++) {
        if (i)
            buf_addc(o, ',');
        json_string(o, ui_text_id(said[i]));
        buf_addc(o, ':');
        json_string(o, ui(r, said[i]));
    }
    buf_adds(o, "}</script>\n");
}

const char *render_page_language(const struct render *r)
{
    const struct pkg *p = r->pkg;
    return p->language && *p->language ? p->language : "en";
}

void render_doc_open(struct render *r, const char *title, const char *description,
                     const char *body_class, const char *extra_css, const char *script)
{
    const struct pkg *p = r->pkg;
    struct buf *o = r->out;
    const char *lang = render_page_language(r);
    buf_adds(o, "<!doctype html>\n<html lang=\"");
    render_text(r, lang);
    buf_adds(o, ui_language_rtl(lang) ? "\" dir=\"rtl\">\n<head>" : "\">\n<head>");
    buf_adds(o, "\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"referrer\" content=\"no-referrer\">\n"
                "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    if (title && p->title && strcmp(title, p->title) != 0)
        buf_addf_html(o, "%s – ", title);
    buf_addf_html(o, "%s</title>\n", p->title);
    /* Every page says what it is for in search results and link previews: a page with no
     * summary of its own (or a page made for one response) takes the start page's. */
    if ((!description || !*description) && p->page_count)
        description = p->pages[0].summary;
    if (description && *description)
        buf_addf_html(o, "<meta name=\"description\" content=\"%s\">\n", description);
    buf_adds(o, "<link rel=\"stylesheet\" href=\"");
    render_asset(r, "style.css");
    if (extra_css) {
        buf_adds(o, "\">\n<link rel=\"stylesheet\" href=\"");
        render_asset(r, extra_css);
    }
    buf_adds(o, "\">\n<link rel=\"icon\" href=\"");
    render_asset(r, "icon.svg");
    buf_adds(o, "\" type=\"image/svg+xml\">\n<script src=\"");
    render_asset(r, script);
    buf_adds(o, "\" defer></script>\n");
    script_words(r);
    buf_addf_html(o, "</head>\n<body class=\"%s", body_class);
    if (r->page) {
        buf_adds(o, " for-");
        buf_adds(o, pkg_audience_name(r->page->audience));
    }
    buf_adds(o, "\">\n");
}

/*
 * The site's name in the top bar. On a phone the bar holds the name, the text size switch
 * and quick exit in one row, so a long name ("Think ahead – make your own plan") shows only
 * the part before its first dash or colon there; the rest stays for screen readers.
 */
static void brand_name(struct render *r, const char *title)
{
    static const char *const breaks[] = {" – ", " — ", " - ", ": "};
    const char *cut = NULL;
    for (size_t i = 0; title && i < sizeof(breaks) / sizeof(breaks[0]); i++) {
        const char *at = strstr(title, breaks[i]);
        if (at && at > title && (!cut || at < cut))
            cut = at;
    }
    if (!cut) {
        render_text(r, title);
        return;
    }
    buf_add_html(r->out, title, (size_t)(cut - title));
    buf_addf_html(r->out, "<span class=\"brand-more\">%s</span>", cut);
}

/*
 * The pages from the first-th on (only the young person's when pupils_only) as a list of
 * links, the current page marked: the page list under the top bar and the footer's.
 */
static void page_list(struct render *r, size_t first, bool pupils_only)
{
    const struct pkg *p = r->pkg;
    struct buf *o = r->out;
    buf_adds(o, "<ul>\n");
    for (size_t i = first; p->pages && i < p->page_count; i++) {
        const struct pkg_page *pg = &p->pages[i];
        if (pupils_only && pg->audience != AUDIENCE_PUPIL)
            continue;
        buf_adds(o, "<li><a href=\"");
        render_href(r, pg, NULL);
        buf_addc(o, '"');
        if (pg == r->page)
            buf_adds(o, " aria-current=\"page\"");
        render_elem(r, "", nav_title(pg), "</a></li>\n");
    }
    buf_adds(o, "</ul>\n");
}

/*
 * The young person's pages in order, shown under the top bar on wider screens (a phone
 * has the same links in the footer). The site's name in the bar leads to the start page,
 * and parents' and teachers' pages are left to the footer, so that the journey fits one
 * line beside the page's column.
 */
static void page_nav(struct render *r)
{
    const struct pkg *p = r->pkg;
    struct buf *o = r->out;
    size_t n = 0;
    for (size_t i = 1; p->pages && i < p->page_count; i++)
        n += p->pages[i].audience == AUDIENCE_PUPIL;
    if (n < 2)
        return;
    buf_adds(o, "<nav class=\"pages\" aria-label=\"");
    render_ui_attr(r, UI_NAV_PAGES);
    buf_adds(o, "\">\n");
    page_list(r, 1, true);
    buf_adds(o, "</nav>\n");
}

/*
 * Appends to b the address of page (one of r's package's pages, or NULL for the start page)
 * or of its story step, as the site v (the package in one of its languages) has it, from
 * the page r writes. Returns false, appending only the language's folder, when v has no
 * pages.
 */
static bool page_in(const struct render *r, const struct site *v, const struct pkg_page *page,
                    const char *step, struct buf *b)
{
    if (v == r->site && page) {
        render_url(r, b, page, step);
        return true;
    }
    buf_adds(b, r->up);
    buf_adds(b, v->lang_dir);
    const struct pkg *p = v->pkg;
    const struct pkg_page *to = p->page_count ? &p->pages[0] : NULL;
    /* The views have the pages of the source, in its order. */
    if (page && (size_t)(page - r->pkg->pages) < p->page_count)
        to = &p->pages[page - r->pkg->pages];
    else
        step = NULL;
    if (!to)
        return false;
    if (r->mode == SITE_EXPORT) {
        render_file_name(p, b, to, step);
        return true;
    }
    if (!is_home(p, to) || step) {
        buf_adds(b, to->id);
        if (step) {
            buf_addc(b, '-');
            buf_adds(b, step);
        }
    }
    return true;
}

/*
 * The items of a list of links to page (or its story step) in each language of the site,
 * each named in its own language: the page's own language too when own. A link to the page
 * r writes, the feedback form for a class, keeps the class and the part.
 */
static void language_items(struct render *r, const struct pkg_page *page, const char *step,
                           bool own)
{
    const struct site *root = r->site->root ? r->site->root : r->site;
    const struct site_feedback *fb = page == r->page ? r->feedback : NULL;
    for (size_t i = 0; i < root->lang_count; i++) {
        const struct site *v = root->langs[i];
        if (v == r->site && !own)
            continue;
        struct buf href;
        buf_init(&href, 4096);
        if (page_in(r, v, page, step, &href) && fb && (fb->code || fb->part)) {
            buf_adds(&href, "?");
            if (fb->code)
                buf_addf(&href, WIRE_FIELD_CODE "=%s%s", fb->code, fb->part ? "&" : "");
            if (fb->part)
                buf_addf(&href, WIRE_FIELD_PART "=%s", fb->part);
        }
        buf_addf_html(r->out, "<li><a href=\"%s\" hreflang=\"%s\" lang=\"%s\">%s</a></li>\n",
                      href.ptr ? href.ptr : "./", v->pkg->language, v->pkg->language,
                      v->ui.name ? v->ui.name : v->pkg->language);
        buf_release(&href);
    }
}

/*
 * The same page in each other language the site has, each named in its own language, and
 * the notice that a translation is a draft. Nothing for a site in one language.
 */
static void languages(struct render *r)
{
    const struct site *root = r->site->root ? r->site->root : r->site;
    struct buf *o = r->out;
    if (root->lang_count < 2)
        return;
    buf_adds(o, "<nav class=\"langs\" aria-label=\"");
    render_ui_attr(r, UI_LANGUAGES);
    buf_adds(o, "\">\n<ul>\n");
    language_items(r, r->page, r->file_step, false);
    buf_adds(o, "</ul>\n</nav>\n");
    const char *status = pkg_translation_status(r->pkg);
    if ((status && strcmp(status, "draft") == 0) || r->site->ui.draft) {
        buf_adds(o, "<p class=\"draft-note\">");
        render_ui(r, UI_DRAFT);
        buf_adds(o, "</p>\n");
    }
}

void render_page_languages(struct render *r, const struct pkg_page *page, enum ui_text label,
                           bool own)
{
    const struct site *root = r->site->root ? r->site->root : r->site;
    if (root->lang_count < 2)
        return;
    buf_adds(r->out, "<p class=\"page-langs-for\">");
    render_ui(r, label);
    buf_adds(r->out, "</p>\n<ul class=\"page-langs\">\n");
    language_items(r, page, NULL, own);
    buf_adds(r->out, "</ul>\n");
}

/*
 * One choice of colours in the reading settings: a radio button inside its label. None is
 * checked here: the script ticks the one in force, and the page has nothing ticked for
 * the pupil before they choose.
 */
static void scheme_choice(struct render *r, const char *value, enum ui_text label)
{
    buf_addf_html(r->out,
                  "<label><input type=\"radio\" name=\"reader-scheme\" id=\"scheme-%s\" "
                  "value=\"%s\"> ",
                  *value ? value : "device", value);
    render_ui(r, label);
    buf_adds(r->out, "</label>\n");
}

/*
 * The reading settings beside the text size switch: colours, wider spacing, read aloud
 * and "Remember on this device". They need the script (which shows them), since without
 * it the page already follows the device's own colour, contrast and motion settings; read
 * aloud stays hidden until the script finds a voice on the device for the page's language.
 */
static void reader_settings(struct render *r)
{
    struct buf *o = r->out;
    buf_adds(o, "<details id=\"reader\" class=\"reader\" hidden>\n<summary>");
    render_ui(r, UI_READER);
    buf_adds(o, "</summary>\n<div id=\"reader-body\" class=\"reader-body\">\n<fieldset>\n<legend>");
    render_ui(r, UI_COLOURS);
    buf_adds(o, "</legend>\n");
    scheme_choice(r, "", UI_SCHEME_DEVICE);
    scheme_choice(r, "light", UI_SCHEME_LIGHT);
    scheme_choice(r, "dark", UI_SCHEME_DARK);
    scheme_choice(r, "contrast", UI_SCHEME_CONTRAST);
    buf_adds(o, "</fieldset>\n<label><input type=\"checkbox\" id=\"reader-spaced\"> ");
    render_ui(r, UI_SPACED);
    buf_adds(o, "</label>\n<p id=\"reader-speech\" class=\"speech\" hidden>"
                "<button type=\"button\" id=\"read-aloud\" class=\"secondary\" "
                "aria-describedby=\"read-hint\">");
    render_ui(r, UI_READ_ALOUD);
    buf_adds(o, "</button> <button type=\"button\" id=\"read-stop\" class=\"secondary\" hidden>");
    render_ui(r, UI_READ_STOP);
    buf_adds(o, "</button> <span id=\"read-hint\" class=\"hint\">");
    render_ui(r, UI_READ_HINT);
    buf_adds(o, "</span></p>\n<label><input type=\"checkbox\" id=\"reader-remember\"> ");
    render_ui(r, UI_REMEMBER);
    buf_adds(o, "</label>\n</div>\n</details>\n");
}

void render_open(struct render *r, const char *title, const char *description,
                 const char *body_class)
{
    const struct pkg *p = r->pkg;
    struct buf *o = r->out;
    render_doc_open(r, title, description, body_class, NULL, "app.js");
    buf_addf_html(o, "<header class=\"top\">\n<a id=\"exit\" class=\"exit\" href=\"%s",
                  p->exit_url && *p->exit_url ? p->exit_url : DEFAULT_EXIT_URL);
    buf_adds(o, "\" rel=\"noreferrer\">");
    render_ui(r, UI_QUICK_EXIT);
    buf_adds(o, "</a>\n<a class=\"skip\" href=\"#main\">");
    render_ui(r, UI_SKIP);
    buf_adds(o, "</a>\n<a class=\"brand\" href=\"");
    if (p->page_count)
        render_href(r, &p->pages[0], NULL);
    buf_adds(o, r->page && is_home(p, r->page) ? "\" aria-current=\"page\">" : "\">");
    brand_name(r, p->title);
    buf_adds(o, "</a>\n<button id=\"text-size\" class=\"text-size\" type=\"button\" "
                "aria-pressed=\"false\" hidden>");
    render_ui(r, UI_LARGER_TEXT);
    buf_adds(o, "</button>\n<p id=\"exit-status\" class=\"vh\" role=\"status\"></p>\n"
                "</header>\n");
    languages(r);
    reader_settings(r);
    page_nav(r);
    buf_adds(o, "<main id=\"main\" tabindex=\"-1\">\n");
}

/* One link of the pager: rel is "prev" or "next", and also its class. */
static void pager_link(struct render *r, const struct pkg_page *to, const char *rel,
                       enum ui_text dir)
{
    struct buf *o = r->out;
    buf_addf(o, "<a class=\"%s\" rel=\"%s\" href=\"", rel, rel);
    render_href(r, to, NULL);
    buf_adds(o, "\"><span class=\"dir\">");
    render_ui(r, dir);
    buf_adds(o, "</span> ");
    render_span(r, nav_title(to));
    buf_adds(o, "</a>\n");
}

static void pager(struct render *r)
{
    const struct pkg_page *prev = render_page_before(r->pkg, r->page);
    const struct pkg_page *next = render_page_after(r->pkg, r->page);
    if (!prev && !next)
        return;
    struct buf *o = r->out;
    buf_adds(o, "<nav class=\"pager\" aria-label=\"");
    render_ui_attr(r, UI_NAV_ORDER);
    buf_adds(o, "\">\n");
    if (prev)
        pager_link(r, prev, "prev", UI_PREVIOUS);
    if (next)
        pager_link(r, next, "next", UI_NEXT);
    buf_adds(o, "</nav>\n");
}

void render_close(struct render *r)
{
    const struct pkg *p = r->pkg;
    struct buf *o = r->out;
    buf_adds(o, "</main>\n");
    pager(r);
    buf_adds(o, "<footer class=\"foot\">\n<nav aria-label=\"");
    render_ui_attr(r, UI_NAV_ALL);
    buf_adds(o, "\">\n");
    page_list(r, 0, false);
    buf_addf_html(o, "</nav>\n<p>%s", p->title);
    if (p->version) {
        buf_adds(o, ", ");
        render_uif(r, UI_FOOT_VERSION, p->version, NULL);
    }
    if (p->publisher && *p->publisher) {
        buf_adds(o, ", ");
        render_uif(r, UI_FOOT_BY, p->publisher, NULL);
    }
    buf_adds(o, ". ");
    render_ui(r, UI_FOOT_PRIVACY);
    buf_adds(o, "</p>\n</footer>\n</body>\n</html>\n");
}

void render_field_id(struct buf *b, const char *name, const char *item)
{
    buf_adds(b, "f-");
    buf_adds(b, name);
    if (item) {
        buf_addc(b, '-');
        buf_adds(b, item);
    }
}
