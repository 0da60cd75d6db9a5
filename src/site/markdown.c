/*
 * Markdown through cmark in its default safe mode: raw HTML is dropped and dangerous
 * link schemes are removed by cmark itself. On top of that the renderer rewrites links
 * between pages for the mode, keeps images to the package's own files (nothing may load
 * from another host), and gives headings ids so that "page.md#heading" links arrive.
 */
#include "site/render.h"
#include "base/xalloc.h"

#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An image to replace by its alt text once the walk over the document is done. */
struct dropped {
    cmark_node *image;
};

struct heading {
    int level;
    const char *id; /* owned by the render */
};

/* A page named by a link such as "plan.md" or "plan.md#my-ways"; NULL for anything else. */
static const struct pkg_page *linked_page(const struct pkg *p, const char *url, size_t *frag)
{
    size_t n = strcspn(url, "#");
    *frag = n;
    if (n < 4 || memcmp(url + n - 3, ".md", 3) != 0)
        return NULL;
    if (memchr(url, '/', n) || memchr(url, ':', n) || memchr(url, '?', n))
        return NULL;
    size_t idlen = n - 3;
    for (size_t i = 0; i < p->page_count; i++) {
        const char *id = p->pages[i].id;
        if (id && strlen(id) == idlen && memcmp(id, url, idlen) == 0)
            return &p->pages[i];
    }
    return NULL;
}

static void rewrite_link(struct render *r, cmark_node *node)
{
    const char *url = cmark_node_get_url(node);
    size_t frag;
    const struct pkg_page *page = url ? linked_page(r->pkg, url, &frag) : NULL;
    if (!page)
        return;
    struct buf b;
    buf_init(&b, 8192);
    render_url(r, &b, page, NULL);
    buf_adds(&b, url + frag);
    if (buf_ok(&b))
        cmark_node_set_url(node, b.ptr);
    buf_release(&b);
}

static bool package_image(const struct pkg *p, const char *url)
{
    if (!url || strncmp(url, "images/", 7) != 0)
        return false;
    for (size_t i = 0; i < p->file_count; i++)
        if (strcmp(p->files[i].path, url) == 0)
            return true;
    return false;
}

/* Plain text of a node's inline content, for a heading's id. */
static void node_text(cmark_node *node, struct buf *b)
{
    for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            buf_adds(b, cmark_node_get_literal(c));
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            buf_addc(b, ' ');
        } else {
            node_text(c, b);
        }
    }
}

/* Lower-case letters and digits with single hyphens between words; other scripts kept. */
static void slug(const char *text, struct buf *out)
{
    bool dash = false;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        unsigned char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            if (dash && out->len)
                buf_addc(out, '-');
            dash = false;
            buf_addc(out, (char)c);
        } else if (c != '\'') {
            dash = true;
        }
    }
}

/* Copies cmark's HTML, adding each heading's id to its opening tag in document order. */
static void add_heading_ids(struct buf *o, const char *html, const struct heading *h, size_t n)
{
    const char *p = html;
    for (size_t i = 0; i < n; i++) {
        char tag[8];
        snprintf(tag, sizeof(tag), "<h%d>", h[i].level);
        const char *at = strstr(p, tag);
        if (!at)
            break;
        buf_add(o, p, (size_t)(at - p) + 3);
        buf_adds(o, " id=\"");
        buf_adds_html(o, h[i].id);
        buf_addc(o, '"');
        p = at + 3;
    }
    buf_adds(o, p);
}

void render_markdown(struct render *r, const char *markdown, int min_level)
{
    if (!markdown || !*markdown)
        return;
    cmark_node *doc =
        cmark_parse_document(markdown, strlen(markdown), CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8);
    struct dropped *drop = NULL;
    size_t drop_count = 0, drop_cap = 0;
    struct heading *heads = NULL;
    size_t head_count = 0, head_cap = 0;
    char *html = NULL;

    /* cmark allows changing a node's attributes during iteration, but not moving it; the
     * images to replace are gathered first and replaced after the walk. */
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node *node = cmark_iter_get_node(it);
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_LINK:
            rewrite_link(r, node);
            break;
        case CMARK_NODE_IMAGE:
            if (package_image(r->pkg, cmark_node_get_url(node))) {
                if (*r->up) {
                    struct buf b;
                    buf_init(&b, 8192);
                    buf_adds(&b, r->up);
                    buf_adds(&b, cmark_node_get_url(node));
                    if (buf_ok(&b))
                        cmark_node_set_url(node, b.ptr);
                    buf_release(&b);
                }
            } else {
                XGROW(drop, drop_cap, drop_count + 1);
                drop[drop_count++].image = node;
            }
            break;
        case CMARK_NODE_HEADING: {
            int level = cmark_node_get_heading_level(node);
            if (level < min_level) {
                level = min_level > 6 ? 6 : min_level;
                cmark_node_set_heading_level(node, level);
            }
            struct buf text, s;
            buf_init(&text, 4096);
            buf_init(&s, 4096);
            node_text(node, &text);
            slug(text.ptr ? text.ptr : "", &s);
            XGROW(heads, head_cap, head_count + 1);
            heads[head_count++] = (struct heading){level, render_id(r, s.ptr)};
            buf_release(&text);
            buf_release(&s);
            break;
        }
        default:
            break;
        }
    }
    cmark_iter_free(it);

    /* An image from elsewhere would be a request to another host: keep only its alt text. */
    for (size_t i = 0; i < drop_count; i++) {
        cmark_node *img = drop[i].image;
        cmark_node *c;
        while ((c = cmark_node_first_child(img)) != NULL) {
            cmark_node_unlink(c);
            cmark_node_insert_before(img, c);
        }
        cmark_node_free(img);
    }

    html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
    /* Text shown in the source language for want of a translation says so. */
    bool fallback = render_is_fallback(r, markdown);
    if (fallback) {
        buf_adds(r->out, "<div");
        render_lang_of(r, markdown);
        buf_adds(r->out, ">\n");
    }
    if (html)
        add_heading_ids(r->out, html, heads, head_count);
    if (fallback)
        buf_adds(r->out, "</div>\n");
    free(html);
    free(heads);
    free(drop);
    cmark_node_free(doc);
}
