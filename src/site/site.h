/*
 * The rendered site: every page and asset of a package as bytes in memory, each text file
 * also gzip-compressed once, ready to be written out (export) or served (serve).
 *
 * The renderer knows nothing of sockets or files: it turns a checked struct pkg into a
 * struct site. All markup goes through the escaping writer in base/buf.h.
 */
#ifndef PLANPACK_SITE_H
#define PLANPACK_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/form.h"
#include "pkg/pkg.h"
#include "survey/survey.h"

/*
 * How links are written. SITE_SERVE: pages link to "plan", "./" (served routes, the DESIGN
 * contract). SITE_EXPORT: pages link to "plan.html", "index.html" so that the folder works
 * from file:// and on any static host, and forms that need a server are replaced by their
 * offline equivalents (for example the printable blank plan worksheet).
 */
enum site_mode { SITE_SERVE, SITE_EXPORT };

struct site_file {
    const char *path;          /* "index.html", "plan.html", "assets/style.1a2b3c4d.css" */
    const char *type;          /* full Content-Type, e.g. "text/html; charset=utf-8" */
    const unsigned char *data; /* the file's bytes */
    size_t len;
    const unsigned char *gz; /* gzip of data, or NULL when not worth compressing */
    size_t gz_len;
    char etag[24];  /* strong ETag, quoted: "\"0123456789abcdef\"" */
    bool page;      /* an HTML page (short caching) */
    bool immutable; /* its name carries a content hash (long caching) */
};

struct site;

/*
 * Renders the whole package. Returns a site the caller frees with site_free(); NULL only
 * when a page would pass the size limit or two pages would share a file name, such as a
 * page "story-end" beside the step "end" of the story "story" (reported to stderr). p must
 * be a package that loaded without errors and must outlive the site.
 */
struct site *site_render(const struct pkg *p, enum site_mode mode);
void site_free(struct site *s);

/*
 * How to render beyond the mode. public_url is the address at which pupils reach the site
 * ("https://school.example/think/"), used in the QR codes of the lesson slides and the
 * parents' letter; NULL when it is not known, and then no QR code is drawn (the pages say
 * how to get one). It must pass site_public_url_valid(); the site keeps a copy.
 */
struct site_options {
    enum site_mode mode;
    const char *public_url;
    /*
     * public_url was not given but guessed, and names this computer alone (a loopback
     * address), which no phone can open: the slides say so beside their first QR code.
     */
    bool public_url_local;
};

/* As site_render(), with options. Returns NULL also when opt->public_url is not valid. */
struct site *site_render_with(const struct pkg *p, const struct site_options *opt);

/*
 * Whether url can be the site's public address: http:// or https://, a host name or IP
 * address (IPv6 in brackets), an optional port and path, and nothing that would need
 * escaping in a URL (no spaces, quotes, '<', '>', '?', '#'); at most SITE_PUBLIC_URL_MAX
 * bytes. A missing final '/' is added when the site takes it.
 */
#define SITE_PUBLIC_URL_MAX 200
bool site_public_url_valid(const char *url);

/* The public address the site was rendered with, ending in '/', or NULL. Borrowed. */
const char *site_public_url(const struct site *s);

/* The package the site was rendered from (it outlives the site). Borrowed. */
const struct pkg *site_pkg(const struct site *s);

/* The files, in a stable order. Borrowed from the site. */
size_t site_file_count(const struct site *s);
const struct site_file *site_file_at(const struct site *s, size_t i);
const struct site_file *site_get(const struct site *s, const char *path);

/*
 * Maps a request path to a file: "/" → index.html, "/plan" → plan.html, "/assets/x" → the
 * asset. Returns NULL for anything else, including paths with "..", "//" or a ".html"
 * suffix (served pages have one address only). Borrowed from the site.
 */
const struct site_file *site_route(const struct site *s, const char *url_path);

/*
 * The languages. A package that lists several (`languages:`) is rendered in each: the
 * source language at the top of the site, every other one in a folder named by its code
 * ("cy/index.html", served at /cy/). site_render() returns the site in the source
 * language, which holds every file; the site in another language shares them and renders
 * the pages made for one response (the plan, a refusal, the feedback form) in its language.
 *
 * site_in_language() returns the site in lang (as the package lists it, any case), or NULL
 * when the site has no such language. site_for_path() returns the site in the language
 * whose folder url_path is in ("/cy/plan": the Welsh one), setting *rest (when not NULL) to
 * the address within it ("/plan"); for any other path, the source language's site and
 * url_path itself. Both are borrowed from s.
 */
const struct site *site_in_language(const struct site *s, const char *lang);
const struct site *site_for_path(const struct site *s, const char *url_path, const char **rest);

/* The package's 404 page ("404.html", "cy/404.html" in its language); never NULL. */
const struct site_file *site_not_found(const struct site *s);

/*
 * The served path of a built-in asset named as it is under assets/ ("style.css" gives
 * "assets/style.1a2b3c4d.css"), for pages rendered outside the site; NULL if there is none.
 * Borrowed from the site.
 */
const char *site_asset_path(const struct site *s, const char *name);

/*
 * The survey form (a POST to /feedback) names each field by its question id. A choice
 * question sends the chosen option ids (several for "multi"), a text question its text,
 * and every question may instead send WIRE_PREFER_NOT, which is never an option id. The
 * class code that a teacher hands out comes in the field WIRE_FIELD_CODE. survey/wire.h
 * owns these names and the class-code grammar, for the site and the survey alike.
 */
#include "survey/wire.h"

/*
 * Renders the young person's plan from the fields of a POST to /plan, for the server to
 * send with Cache-Control: no-store and then forget. Nothing is stored or logged. Returns
 * 0, or -1 if out holds no complete page (out overflowed).
 */
__attribute__((warn_unused_result)) int
site_render_plan(const struct site *s, const struct form *fields, struct buf *out);

/*
 * The lesson presentation (/teach) for one class: the feedback slide shows code and a QR
 * code to /feedback?c=CODE. code is what the teacher put in the address (?c=CODE); it is
 * used only when it is a class code that the feedback form takes (wire_code_normalise();
 * shown in capitals, with the teacher's hyphens), and otherwise the slide says that the
 * code in the address is not one. For the server, which sends the page with
 * Cache-Control: no-cache. Returns 0, or -1 if out holds no complete page (out overflowed).
 */
__attribute__((warn_unused_result)) int site_render_teach(const struct site *s, const char *code,
                                                          struct buf *out);

/*
 * Pages that the server makes for one response and that a pupil may see: every refusal
 * and error (400, 404, 405, 413, 415, 429, 500, 503), the thank-you page after feedback,
 * and any message a server module adds. Each has the layout of every pupil page: the
 * quick exit first, the skip link, the package's language, its page list and its footer,
 * so a young person on a watched device can always leave at once. Links start at "/",
 * because such a page may answer at any address.
 *
 * The words are the site's, in the page's language (pkg/catalog.h): the caller picks the
 * status and, when the status's own words do not say enough, the reason (with the value
 * its words name, a size or a count), and sends the page with that status:
 *
 *     struct buf *page = ...;                      (buf_init with its cap)
 *     if (site_render_message(site, &(struct site_message){
 *             .status = 413,
 *             .reason = SITE_REASON_TOO_LARGE,
 *             .value = "16",
 *         }, page) != 0)
 *         ... send the 500 page instead ...
 */

/*
 * Why the server refused a request, when its status alone does not say: each is worded by
 * the site in the page's language (a title and one or two paragraphs on a message page,
 * or one sentence beside a field of the feedback form). SITE_REASON_NONE: the status's own
 * words.
 */
enum site_reason {
    SITE_REASON_NONE,
    SITE_REASON_POST_OR_GET,   /* 405 at an address that takes a form */
    SITE_REASON_TOO_LARGE,     /* 413: more than the server reads; value: its limit in KiB */
    SITE_REASON_BAD_TYPE,      /* 415: a form not sent as application/x-www-form-urlencoded */
    SITE_REASON_FORM_ESCAPE,   /* 400: form_decode()'s errors (site_form_reason()) */
    SITE_REASON_FORM_UTF8,     /*      ... */
    SITE_REASON_FORM_FIELDS,   /*      ... */
    SITE_REASON_FORM_SIZE,     /*      ... */
    SITE_REASON_FORM_UNREAD,   /*      ... and any other */
    SITE_REASON_ANSWERS_LONG,  /* 413: answers longer than the feedback form takes */
    SITE_REASON_FORM_LANGUAGE, /* 400: a form from a page in a language the site lacks */
    SITE_REASON_NOT_SAVED,     /* 500: the store failed */
    SITE_REASON_NO_SPACE,      /* 503: the store's disk is short of space */
    SITE_REASON_CLASS_FULL,    /* 409: the class has all the answers it can take */
    SITE_REASON_CODE_CLOSED,   /* 410: the class code closed while the answer was checked */
    SITE_REASON_CODE_GONE,     /* 404: the class code went while the answer was checked */
    SITE_REASON_TOO_MANY,      /* 429: too many answers from one address */
    SITE_REASON_FEEDBACK_OFF,  /* 503: no store, so no feedback */
    SITE_REASON_COUNT
};

/* The reason for a form_decode() error (base/form.h), FORM_TOO_LARGE included. */
enum site_reason site_form_reason(int form_error);

struct site_message {
    unsigned status;         /* the HTTP status the page goes with: picks the default words */
    enum site_reason reason; /* what the page says; SITE_REASON_NONE: the status's words */
    const char *value;       /* the value the reason's words name (a number); may be NULL */
    /* The words of the site's own pages (src/site), which the status's and the reasons'
     * do not cover: its catalog texts, each plain text (escaped here), never markup. */
    const char *title;    /* the <title> and <h1>; NULL: the reason's or status's title */
    const char *text;     /* the first paragraph; NULL: the reason's or status's text */
    const char *more;     /* a second paragraph; NULL: the reason's (if any) */
    bool help;            /* add "Need help now?", a link to the support page (if any) */
    bool no_start;        /* leave out the link to the start page (the Back button is the way) */
    const char *big;      /* a few words shown large after the first paragraph; may be NULL */
    const char *big_note; /* the sentence that goes with them; may be NULL */
};

/*
 * Renders a message page into out (which the caller owns). Returns 0, or -1 if out holds
 * no complete page (out overflowed).
 */
__attribute__((warn_unused_result)) int
site_render_message(const struct site *s, const struct site_message *m, struct buf *out);

/* The title that site_render_message() gives a status when m->title is NULL, in the
 * site's language. Borrowed from the site. */
const char *site_status_title(const struct site *s, unsigned status);

/*
 * The feedback form (/feedback) made for one response: after a refusal, with every answer
 * the pupil gave kept and each problem shown beside its field (with a list at the top that
 * links to the fields), or for a class (GET /feedback?c=CODE) with the code filled in.
 *
 * The survey is answered in parts, each at its own moment (survey/wire.h): a form shows the
 * questions of one part and sends the part with them. Without a part (and not one_sitting)
 * the page asks which part the teacher has asked for, as plain links, each carrying the
 * class code when there is one.
 */
struct site_form_problem {
    const char *field; /* WIRE_FIELD_CODE, a question id, or NULL for the whole form */
    /* What is wrong, worded in the page's language: the survey's problem with its values
     * (a part by its name, "end"), or when kind is SURVEY_E_NONE the server's reason. */
    enum survey_error_kind kind;
    const char *arg[SURVEY_PROBLEM_VALUES];
    enum site_reason reason;
};

struct site_feedback {
    const char *code;                         /* the text to put in the class code field, or NULL */
    const struct form *answers;               /* the fields sent, to show again; NULL: none */
    const struct site_form_problem *problems; /* why nothing was saved; may be none */
    size_t problem_count;
    const char *part; /* the part whose questions the form shows ("start", "end", "later") */
    bool one_sitting; /* no part: every question, as the form was before parts (a refused
                         answer to such a form is shown again as it was sent) */
};

/*
 * Renders the feedback form for fb (NULL: the form as the site has it) into out, which the
 * caller owns. A package without a feedback page gets a message page saying so. Returns
 * 0, or -1 if out holds no complete page (out overflowed).
 */
__attribute__((warn_unused_result)) int
site_render_feedback(const struct site *s, const struct site_feedback *fb, struct buf *out);

/*
 * The printable answer sheets of one survey part (part: "start", "end" or "later"), for a
 * class without devices: one A4 sheet per pupil, each question with a box to tick per
 * option, numbered as staff type them in (1, 2, ... in order; 0 for "prefer not to say"),
 * and the class code printed on it when code is a well-formed one (else a line to write
 * it on). The start part's sheets are count sheets, one for each of words[0..count) (pairing
 * words, survey/pairing.h): each sheet has its word printed on it and on a slip that the
 * pupil tears off and keeps; the end part's sheet has a box to write the word in. Without a
 * known part it is the page that asks which part, with links to each part's sheet. All
 * borrowed. Returns 0, or -1 if out holds no complete page (out overflowed).
 */
struct site_answer_sheets {
    const char *code;
    const char *part;
    const char *const *words;
    size_t count;
};

#define SITE_SHEETS_DEFAULT 35
#define SITE_SHEETS_MAX 60

__attribute__((warn_unused_result)) int
site_render_answer_sheet(const struct site *s, const struct site_answer_sheets *sh,
                         struct buf *out);

/*
 * The page a pupil sees once their answers are stored (the server sends the browser there
 * with 303 after the POST, so that reloading it sends nothing again). It says nothing about
 * anyone's answers; the site's layout gives it the quick exit. After a start answer,
 * pairing_word (a word of survey/pairing.h, else NULL) is shown large with what to do with
 * it. Returns 0, or -1 if out holds no complete page (out overflowed).
 */
__attribute__((warn_unused_result)) int
site_render_feedback_sent(const struct site *s, const char *pairing_word, struct buf *out);

/*
 * Writes the site into outdir as a static site, with a .gz beside each compressible file.
 * The folder is built beside outdir and swapped into place, so exporting again replaces
 * the old export cleanly and a failure leaves the old one untouched. Returns 0, or -1 with
 * a message on stderr.
 */
__attribute__((warn_unused_result)) int site_export(const struct site *s, const char *outdir);

#endif
