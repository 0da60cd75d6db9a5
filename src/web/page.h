/*
 * The frame of the pages the server writes itself rather than taking from the rendered site:
 * the staff pages, and the author's pages while the package has problems (when there is no
 * site to render with). Every page a pupil can see comes from src/site instead
 * (site_render_message(), site_render_feedback()), with the quick exit. They share the
 * site's style sheet, so they look like the rest of the site. Internal to src/web.
 */
#ifndef PLANPACK_WEB_PAGE_H
#define PLANPACK_WEB_PAGE_H

#include <stdbool.h>

#include "base/buf.h"
#include "site/site.h"

struct web_page {
    const struct site *site; /* for its style sheet; may be NULL (a page without styles) */
    const char *title;       /* the <title> and, unless no_h1, the page's <h1> */
    const char *title_tail;  /* added to <title> only, e.g. " – planpack staff"; may be NULL */
    const char *body_class;  /* may be NULL */
    /*
     * Staff pages: not indexed, and Referrer-Policy same-origin, because under the
     * server's "no-referrer" a browser sends "Origin: null" with a form POST, which the
     * staff pages' Origin check rightly refuses.
     */
    bool staff;
    bool refresh; /* reload every 2 seconds (the --watch problems page) */
    /* Writes what comes between <body> and <main> (the staff pages' bar); may be NULL. */
    void (*header)(struct buf *b, const void *ctx);
    const void *header_ctx;
};

/*
 * The one frame of every page src/web writes: the document head, <body>, the header (if
 * any), and <main> with the <h1>. web_page_close() closes them.
 */
void web_page_open(struct buf *b, const struct web_page *p);
void web_page_close(struct buf *b);

#endif
