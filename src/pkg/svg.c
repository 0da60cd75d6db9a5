/*
 * The SVG sanitiser: libxml2 parses, and a walk over the tree writes back only what the
 * allow-lists below name. Writing the copy ourselves (rather than deleting from the tree
 * and letting libxml2 serialise it) means nothing reaches the output that this file did
 * not choose to write.
 */
#include "pkg/svg.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define SVG_NS "http://www.w3.org/2000/svg"
#define XLINK_NS "http://www.w3.org/1999/xlink"

/* Elements that draw, group, or describe; enough for plain drawn illustrations. */
static const char *const elements[] = {
    "circle",         "clipPath",       "defs", "desc", "ellipse", "g",
    "line",           "linearGradient", "mask", "path", "polygon", "polyline",
    "radialGradient", "rect",           "stop", "svg",  "symbol",  "text",
    "title",          "tspan",          "use",
};

/* Geometry and presentation attributes. A few take a url(#id) reference: see value_safe(). */
static const char *const attributes[] = {
    "class",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "color",
    "cx",
    "cy",
    "d",
    "display",
    "dominant-baseline",
    "dx",
    "dy",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "fr",
    "fx",
    "fy",
    "gradientTransform",
    "gradientUnits",
    "height",
    "id",
    "lang",
    "letter-spacing",
    "mask",
    "maskContentUnits",
    "maskUnits",
    "offset",
    "opacity",
    "paint-order",
    "pathLength",
    "points",
    "preserveAspectRatio",
    "r",
    "role",
    "rx",
    "ry",
    "spreadMethod",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
    "text-decoration",
    "transform",
    "vector-effect",
    "version",
    "viewBox",
    "visibility",
    "width",
    "word-spacing",
    "x",
    "x1",
    "x2",
    "y",
    "y1",
    "y2",
    "focusable",
};

/* Elements whose text is part of the picture; elsewhere only layout whitespace is kept. */
static const char *const text_elements[] = {"desc", "text", "title", "tspan"};

struct san {
    struct buf *out;
    svg_removed_fn *removed;
    void *ctx;
};

static bool listed(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

#define LISTED(list, name) listed(list, sizeof(list) / sizeof((list)[0]), name)

static bool in_ns(const xmlNode *n, const char *ns)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

static int line_of(const xmlNode *n)
{
    long line = xmlGetLineNo(n);
    return line > 0 && line < INT_MAX ? (int)line : 0;
}

__attribute__((format(printf, 4, 5))) static void report(struct san *S, const xmlNode *n,
                                                         bool risky, const char *fmt, ...)
{
    if (!S->removed)
        return;
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    for (char *c = what; *c; c++)
        if ((unsigned char)*c < ' ' || *c == 0x7f)
            *c = ' ';
    S->removed(S->ctx, line_of(n), what, risky);
}

/*
 * The value with whitespace and control characters taken out and letters lower-cased, as
 * a browser reads a URL scheme ("java\tscript:" is javascript:); false if it does not fit.
 */
static bool squeeze(const char *v, char *out, size_t size)
{
    size_t k = 0;
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c <= ' ' || c == 0x7f)
            continue;
        if (k + 1 >= size)
            return false;
        out[k++] = (char)tolower(c);
    }
    out[k] = '\0';
    return true;
}

/*
 * Whether a kept attribute's value is inert: no script scheme anywhere, and every url(...)
 * a fragment of this same picture. Values too long to look at are refused.
 */
static bool value_safe(const char *v)
{
    char s[4096];
    if (!squeeze(v, s, sizeof(s)))
        return false;
    if (strstr(s, "javascript:") || strstr(s, "vbscript:") || strstr(s, "data:") ||
        strstr(s, "expression("))
        return false;
    for (const char *u = strstr(s, "url("); u; u = strstr(u + 4, "url(")) {
        const char *t = u + 4;
        if (*t == '"' || *t == '\'')
            t++;
        if (*t != '#')
            return false;
    }
    return true;
}

/* A reference kept only when it names a fragment of this same picture ("#shape"). */
static bool local_ref(const char *v)
{
    while (*v && isspace((unsigned char)*v))
        v++;
    return v[0] == '#' && value_safe(v);
}

static void write_attr(struct san *S, const char *name, const char *value)
{
    buf_addc(S->out, ' ');
    buf_adds(S->out, name);
    buf_adds(S->out, "=\"");
    buf_adds_xml(S->out, value);
    buf_addc(S->out, '"');
}

static void write_attrs(struct san *S, const xmlNode *el)
{
    for (const xmlAttr *a = el->properties; a; a = a->next) {
        const char *name = (const char *)a->name;
        xmlChar *value = xmlNodeListGetString(el->doc, a->children, 1);
        const char *v = value ? (const char *)value : "";
        const char *ns = a->ns && a->ns->href ? (const char *)a->ns->href : NULL;
        bool href = strcmp(name, "href") == 0 && (!ns || strcmp(ns, XLINK_NS) == 0);
        if (tolower((unsigned char)name[0]) == 'o' && tolower((unsigned char)name[1]) == 'n') {
            report(S, el, true, "the event handler %s", name);
        } else if (href) {
            if (local_ref(v))
                write_attr(S, ns ? "xlink:href" : "href", v);
            else
                report(S, el, true,
                       "a link to '%.100s' (only links to #names in the same picture are kept)", v);
        } else if (ns && strcmp(ns, (const char *)XML_XML_NAMESPACE) == 0 &&
                   (strcmp(name, "lang") == 0 || strcmp(name, "space") == 0)) {
            if (value_safe(v)) {
                char qname[16];
                snprintf(qname, sizeof(qname), "xml:%s", name);
                write_attr(S, qname, v);
            }
        } else if (ns || !(LISTED(attributes, name) || strncmp(name, "aria-", 5) == 0)) {
            report(S, el, false, "the attribute %s", name);
        } else if (!value_safe(v)) {
            report(S, el, true, "the attribute %s (its value could load or run something)", name);
        } else {
            write_attr(S, name, v);
        }
        xmlFree(value);
    }
}

static void write_text(struct san *S, const xmlNode *n, bool text_allowed)
{
    const char *t = (const char *)n->content;
    if (!t)
        return;
    if (!text_allowed) {
        /* Whitespace between elements is layout; any other text here is not drawn. */
        for (const char *c = t; *c; c++)
            if (!isspace((unsigned char)*c))
                return;
    }
    buf_adds_xml(S->out, t);
}

static void write_element(struct san *S, const xmlNode *el, bool root)
{
    const char *name = (const char *)el->name;
    buf_addc(S->out, '<');
    buf_adds(S->out, name);
    if (root)
        buf_adds(S->out, " xmlns=\"" SVG_NS "\" xmlns:xlink=\"" XLINK_NS "\"");
    write_attrs(S, el);
    if (!el->children) {
        buf_adds(S->out, "/>");
        return;
    }
    buf_addc(S->out, '>');
    size_t open_end = S->out->len;
    bool text_allowed = LISTED(text_elements, name);
    for (const xmlNode *c = el->children; c; c = c->next) {
        switch (c->type) {
        case XML_ELEMENT_NODE:
            if (!in_ns(c, SVG_NS)) {
                report(S, c, true, "the element <%s> (not SVG)", (const char *)c->name);
            } else if (strcmp((const char *)c->name, "svg") == 0 ||
                       !LISTED(elements, (const char *)c->name)) {
                bool risky = strcmp((const char *)c->name, "script") == 0 ||
                             strcasecmp((const char *)c->name, "foreignObject") == 0 ||
                             strcmp((const char *)c->name, "style") == 0 ||
                             strcmp((const char *)c->name, "image") == 0 ||
                             strcmp((const char *)c->name, "a") == 0;
                report(S, c, risky, "the element <%s>", (const char *)c->name);
            } else {
                write_element(S, c, false);
            }
            break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            write_text(S, c, text_allowed);
            break;
        case XML_ENTITY_REF_NODE:
            report(S, c, false, "the entity &%s;", (const char *)c->name);
            break;
        default:
            /* Comments and processing instructions are not part of the picture. */
            break;
        }
    }
    /* An element whose children were all left out is written empty, as it will read. */
    if (buf_ok(S->out) && S->out->len == open_end) {
        S->out->len--;
        S->out->ptr[S->out->len] = '\0';
        buf_adds(S->out, "/>");
        return;
    }
    buf_adds(S->out, "</");
    buf_adds(S->out, name);
    buf_addc(S->out, '>');
}

int svg_sanitise(const unsigned char *data, size_t len, struct buf *out, svg_removed_fn *removed,
                 void *ctx, char *why, size_t why_size, int *why_line)
{
    int rc = 0;
    *why_line = 0;
    snprintf(why, why_size, "%s", "");
    if (len > INT_MAX) {
        snprintf(why, why_size, "%s", "the picture is too large");
        return -EINVAL;
    }
    xmlInitParser();
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc) {
        snprintf(why, why_size, "%s", "out of memory");
        return -ENOMEM;
    }
    /* No network, no entity expansion, no DTD loading; errors come back here, not stderr. */
    xmlDocPtr doc = xmlCtxtReadMemory(pc, (const char *)data, (int)len, "picture.svg", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                          XML_PARSE_NOCDATA);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(pc);
        snprintf(why, why_size, "it is not well-formed XML: %s",
                 e && e->message ? e->message : "unreadable");
        size_t n = strlen(why);
        while (n && isspace((unsigned char)why[n - 1]))
            why[--n] = '\0';
        *why_line = e ? e->line : 0;
        rc = -EINVAL;
        goto out;
    }
    if (!root || strcmp((const char *)root->name, "svg") != 0 || !in_ns(root, SVG_NS)) {
        snprintf(why, why_size, "%s",
                 "it is not an SVG picture: the first element must be <svg "
                 "xmlns=\"http://www.w3.org/2000/svg\">");
        *why_line = root ? line_of(root) : 1;
        rc = -EINVAL;
        goto out;
    }
    if (doc->intSubset && removed)
        removed(ctx, line_of((const xmlNode *)doc->intSubset), "the DOCTYPE", false);
    struct san S = {out, removed, ctx};
    write_element(&S, root, true);
    buf_addc(out, '\n');
    if (!buf_ok(out)) {
        snprintf(why, why_size, "%s", "the cleaned picture is too large");
        rc = -E2BIG;
    }
out:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
    return rc;
}
