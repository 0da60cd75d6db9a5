/*
 * Inside the renderer: the site's own layout, shared by site.c (files and routes),
 * page.c (the page kinds), plan.c (the plan builder and its result) and markdown.c.
 * Nothing outside src/site/ includes this header.
 */
#ifndef PLANPACK_SITE_RENDER_H
#define PLANPACK_SITE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "pkg/catalog.h"
#include "site/site.h"

/* The largest page the renderer will produce, before compression. */
#define SITE_PAGE_MAX ((size_t)1 << 20)
/* Every page's HTML should fit one round trip of a new connection (about 14 KB gzipped). */
#define SITE_PAGE_GZ_BUDGET ((size_t)14 * 1024)
/* Longest free text taken into a plan from one field; longer text is cut at a character. */
#define PLAN_TEXT_MAX 2000
#define PLAN_LINE_MAX 200
/* How many trusted adults the plan form asks for. */
#define PLAN_ADULTS 3

/* A lookup table row: a route ("/", "/plan") or a file path, and the file's index. */
struct site_route_entry {
    const char *route;
    size_t file;
};

struct site_asset {
    const char *name; /* "style.css", as under assets/ */
    const char *path; /* "assets/style.1a2b3c4d.css" */
};

struct site {
    const struct pkg *pkg;
    enum site_mode mode;
    const char *public_url; /* ends in '/'; NULL when not known */
    bool public_url_local;  /* site_options.public_url_local */
    struct arena arena;     /* paths, rendered bytes, compressed bytes */
    struct site_file *files;
    size_t count;
    size_t cap;
    struct site_route_entry *by_path; /* every file, sorted by path */
    struct site_route_entry *routes;
    size_t route_count;
    struct site_asset *assets;
    size_t asset_count;
    size_t not_found;
    /* The interface's words in the site's language: every text there (a gap in the
     * language's own catalog holds the English text). */
    struct ui_catalog ui;
    /* Which of them are that English text, shown for want of a translation on a page in
     * another language (marked lang="en" where written), and how many. */
    bool ui_english[UI_TEXT_COUNT];
    size_t ui_english_count;
    /*
     * The languages. The site in the package's source language (the root) holds every
     * file: its own pages at the top, each other language's in a folder named by its code
     * ("cy/index.html"). The site in another language is a view of the root that renders
     * in that language and shares the root's files, routes and assets.
     */
    const struct site *root; /* NULL on the root */
    struct site **langs;     /* on the root: the site in each language, the root first */
    size_t lang_count;
    const char *lang_dir; /* the language's folder: "" on the root, "cy/" */
    const char *lang_abs; /* its served address: "/" on the root, "/cy/" */
};

/* One page being written: where links point and which element ids are already taken. */
struct render {
    const struct site *site;
    const struct pkg *pkg;
    const struct ui_catalog *ui; /* the interface's words, every one there */
    enum site_mode mode;
    /* Put before every local link: "" for pages at the top of the site, "/" for the
     * served 404 page, which answers at any depth. */
    const char *prefix;
    /* The way from the page's folder to the top of the site, for assets, package images
     * and the other languages: "", "../" (a page in a language's folder), or "/". */
    const char *up;
    struct buf *out;
    const struct pkg_page *page; /* the page being written, or NULL (404) */
    const char *file_step;       /* the step or worksheet in the page's file name, or NULL */
    const struct pkg_step *step; /* the story step being written, on a story page */
    char **ids;
    size_t id_count;
    size_t id_cap;
    /* The lesson presentation for one class: its code (valid, in capitals) or NULL, and
     * whether the address held a code that is not one. */
    const char *class_code;
    bool bad_class_code;
    /* The feedback form made for one response (what to fill in, what went wrong), or NULL. */
    const struct site_feedback *feedback;
    /* The slides have said that their QR codes only open on this computer (once is enough). */
    bool said_qr_local;
};

void render_init(struct render *r, const struct site *s, struct buf *out,
                 const struct pkg_page *page);
void render_release(struct render *r);

/* Returns want, or want with "-2", "-3"… if a previous element on the page took it. The
 * string is owned by r and lives until render_release(). */
const char *render_id(struct render *r, const char *want);

/* The address of a page (or of one of its story steps when step is not NULL), unescaped,
 * appended to b: "./" or "plan" when served, "index.html" or "plan.html" when exported. */
void render_url(const struct render *r, struct buf *b, const struct pkg_page *page,
                const char *step);
/* The same, escaped for an attribute value, appended to the page. */
void render_href(struct render *r, const struct pkg_page *page, const char *step);
/* The path of a built-in asset, escaped, appended to the page. */
void render_asset(struct render *r, const char *name);

/* The document head, the quick exit bar and the opening of <main>. */
void render_open(struct render *r, const char *title, const char *description,
                 const char *body_class);
/* Only the document head and <body>: with another stylesheet (or NULL) and script. */
void render_doc_open(struct render *r, const char *title, const char *description,
                     const char *body_class, const char *extra_css, const char *script);

/*
 * The absolute address of a page (or the start page when page is NULL) under the site's
 * public address, unescaped, appended to b. Returns false, appending nothing, when the
 * site has no public address.
 */
bool render_public_url(const struct render *r, struct buf *b, const struct pkg_page *page);
/* A QR code for url as inline SVG, labelled for screen readers with label. */
void render_qr(struct render *r, const char *url, const char *label);
/*
 * What a decision point of story st asks, as <tag class="ask">: text about_me with the name
 * of the character whose point of view the story takes (`me: true`), or about_nobody when
 * no character is `me` (page.c).
 */
void render_story_ask(struct render *r, const struct pkg_story *st, const char *tag,
                      enum ui_text about_me, enum ui_text about_nobody);
/* A story step's chat as a list of messages (page.c). */
void render_chat(struct render *r, const struct pkg_step *step);
/* The previous/next links, the closing of <main>, the footer and the document end. */
void render_close(struct render *r);

/* CommonMark in safe mode with links between pages rewritten for the mode and images
 * limited to the package's own files. Headings below min_level are raised to it. */
void render_markdown(struct render *r, const char *markdown, int min_level);

/* Appends "f-NAME" or "f-NAME-ITEM" to b: the id of a form field (or of one of its options)
 * before render_id() makes it unique. */
void render_field_id(struct buf *b, const char *name, const char *item);

/* Whether the page's interface words are English. */
bool render_in_english(const struct render *r);
/* Opens an element (open: its start tag without the '>') of words for teachers, which stay
 * in English: marked lang="en" on a page in another language. */
void render_teacher_open(struct render *r, const char *open);

/*
 * label, then a list of links to page (or the start page when NULL) in each language of
 * the site, each named in its own language: the page's own language too when own.
 * Nothing for a site in one language.
 */
void render_page_languages(struct render *r, const struct pkg_page *page, enum ui_text label,
                           bool own);

/* Makes r's links work at any address ("/a/b/c"): pages made for one response. */
void render_anywhere(struct render *r);

/* Writes open ("<h1", "<p class=\"hint\""), the lang attribute that text needs, '>', text
 * escaped and close ("</h1>\n"). */
void render_elem(struct render *r, const char *open, const char *text, const char *close);
/* Writes text escaped, in a <span lang> of its own when it is the source's own text. */
void render_span(struct render *r, const char *text);
/* Whether text is the source's own text on a page in another language (no translation),
 * or an interface text (ui()) that the page's language lacks, shown in English. */
bool render_is_fallback(const struct render *r, const char *text);
/* Writes ` lang="en-GB"` (the source language) when text is the source's own text shown
 * on a page in another language, for want of a translation, or ` lang="en"` when it is an
 * English interface text shown for want of one; nothing otherwise. */
void render_lang_of(struct render *r, const char *text);

/* Writes text escaped, or nothing for NULL. */
void render_text(struct render *r, const char *text);
/* The language tag of the page being written (its <html lang>); borrowed from the package. */
const char *render_page_language(const struct render *r);

/*
 * An interface text in the page's language (pkg/catalog.h), or the English one when the
 * language has none (see render_ui_english()). Borrowed from the site. Written with
 * render_text(), it is not marked; render_span() or render_elem() mark it.
 */
const char *ui(const struct render *r, enum ui_text t);
/* Whether interface text t is English on a page in another language, for want of a
 * translation: what the render_ui*() functions mark with lang="en" (WCAG 3.1.2). */
bool render_ui_english(const struct render *r, enum ui_text t);
/*
 * The render_ui*() functions write an interface text as element content: one the page's
 * language lacks, shown in English, in a <span lang="en"> of its own.
 */
/* Writes an interface text escaped. */
void render_ui(struct render *r, enum ui_text t);
/* Writes an interface text escaped, with plain texts a1 and a2 (escaped too; NULL for none)
 * in its places {1} and {2}. */
void render_uif(struct render *r, enum ui_text t, const char *a1, const char *a2);
/* Writes an interface text escaped, with the markup html in its place {1}. */
void render_ui_html(struct render *r, enum ui_text t, const char *html);
/*
 * Writes an interface text escaped, never marked: for an attribute value (aria-label).
 * An attribute cannot carry a language of its own, and lang on its element would say the
 * element's content is English too, so an English fallback there stays unmarked.
 */
void render_ui_attr(struct render *r, enum ui_text t);
/* Appends an interface text to b unescaped, with a1 and a2 in its places {1} and {2}. */
void ui_plain(const struct render *r, struct buf *b, enum ui_text t, const char *a1,
              const char *a2);
/* Appends an interface text to b unescaped, with values[k] (NULL: none) in its place {k+1}. */
void ui_plain_values(const struct render *r, struct buf *b, enum ui_text t,
                     const char *const values[UI_PLACES_MAX]);

/* The page kinds (page.c). */
/* What each page kind is rendered with: a table in page.c, one row per kind. Static. */
struct render_kind {
    const char *css_class;            /* the class of the page's <main>: "page-story" */
    void (*render)(struct render *r); /* writes the whole page of r->page (or r->step) */
};
const struct render_kind *render_kind(enum pkg_page_kind k);

void render_page_text(struct render *r);
/* A story page shows one step: r->step, or the first step when that is NULL. */
void render_page_story_step(struct render *r);
void render_page_questions(struct render *r);
void render_page_strategies(struct render *r);
void render_page_support(struct render *r);
void render_page_survey(struct render *r);
/* The name of a survey part ("Before the lesson") in the page's language. Borrowed. */
const char *render_part_label(const struct render *r, enum survey_when part);
/* Whether the survey page asks any question in part. */
bool render_part_asked(const struct pkg_page *page, enum survey_when part);
/*
 * The parts r->page asks, as a list of links (<ul class="parts">) named in the page's
 * language: href() writes each one's address, given code and the part's name ("start").
 */
void render_part_links(struct render *r, const char *code,
                       void (*href)(struct render *r, const char *code, const char *part));
/* The label of a question's i-th option: yes, no and not sure in the page's language.
 * Borrowed from the package or the interface texts. */
const char *render_option_label(const struct render *r, const struct survey_question *q, size_t i);
/* The printable answer sheet of a survey part for r->page (see site_render_answer_sheet()),
 * in sheet.c. */
void render_answer_sheet(struct render *r, const struct site_answer_sheets *sh);
void render_page_not_found(struct render *r);
/* A message page (message.c): the server's errors, refusals and thank-you page. */
void render_page_message(struct render *r, const struct site_message *m);
/* Appends to b the sentence that gives a reason (site.h) with its value, unescaped; nothing
 * for SITE_REASON_NONE (message.c). */
void render_reason(const struct render *r, struct buf *b, enum site_reason reason,
                   const char *value);
/* Appends to b the words of a problem of the feedback form in the page's language,
 * unescaped (page.c). */
void render_problem(const struct render *r, struct buf *b, const struct site_form_problem *pb);

/* The teachers' guide of a lesson page, the slides at /teach (teach.c), and the letter to
 * send home (page.c). */
void render_page_lesson(struct render *r);
void render_page_teach(struct render *r);
void render_page_letter(struct render *r);
/* The presentation's file name, "teach.html", and its address ("teach" when served). */
#define TEACH_FILE "teach.html"
void render_teach_href(struct render *r, size_t slide);

/* The plan builder, the blank worksheet (plan.c). */
void render_page_plan(struct render *r);
void render_page_worksheet(struct render *r);

/* The file name of a page or a story step ("index.html", "story-sent.html"). */
void render_file_name(const struct pkg *p, struct buf *b, const struct pkg_page *page,
                      const char *step);
/* The plan page's blank worksheet is named like a story step: "plan-worksheet.html". */
#define PLAN_WORKSHEET_STEP "worksheet"

/* Finds a page's neighbour in package order, or NULL. */
const struct pkg_page *render_page_before(const struct pkg *p, const struct pkg_page *page);
const struct pkg_page *render_page_after(const struct pkg *p, const struct pkg_page *page);
/* The first page of a kind, or NULL (the renderer does not depend on the loader's code). */
const struct pkg_page *render_find_kind(const struct pkg *p, enum pkg_page_kind kind);

#endif
