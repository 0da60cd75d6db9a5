#include "base/buf.h"
#include "base/xalloc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    assert(max > 0);
    b->max = max;
    b->overflow = false;
}

void buf_release(struct buf *b)
{
    if (!b)
        return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->overflow = false;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->ptr)
        b->ptr[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p = b->ptr ? b->ptr : xstrdup("");
    if (len)
        *len = b->len;
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

/* Makes room for extra more bytes plus the NUL; false (and sticky overflow) past max. */
static bool reserve(struct buf *b, size_t extra)
{
    if (b->overflow)
        return false;
    if (extra > b->max || b->len > b->max - extra) {
        b->overflow = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < need)
            cap *= 2;
        b->ptr = xrealloc(b->ptr, cap);
        b->cap = cap;
    }
    return true;
}

void buf_add(struct buf *b, const void *data, size_t len)
{
    if (!reserve(b, len))
        return;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

/*
 * The character reference for c, or NULL to keep it. Tabs and line breaks are kept in HTML
 * but written as references for XML (breaks), where a parser would otherwise turn them into
 * spaces in an attribute and "\r\n" into "\n" in text.
 */
static const char *entity(char c, bool breaks)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    case '\t':
        return breaks ? "&#9;" : NULL;
    case '\n':
        return breaks ? "&#10;" : NULL;
    case '\r':
        return breaks ? "&#13;" : NULL;
    default:
        return NULL;
    }
}

static void add_escaped(struct buf *b, const char *s, size_t len, bool breaks)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = entity(s[i], breaks);
        if (!rep)
            continue;
        buf_add(b, s + start, i - start);
        buf_adds(b, rep);
        start = i + 1;
    }
    buf_add(b, s + start, len - start);
}

void buf_add_html(struct buf *b, const char *s, size_t len)
{
    add_escaped(b, s, len, false);
}

void buf_addf_html(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vfill(b, true, fmt, ap);
    va_end(ap);
}

void buf_vfill(struct buf *b, bool html, const char *fmt, va_list ap)
{
    const char *lit = fmt;
    const char *pc;
    while ((pc = strchr(lit, '%'))) {
        buf_add(b, lit, (size_t)(pc - lit));
        if (pc[1] == 's') {
            const char *arg = va_arg(ap, const char *);
            if (html)
                buf_adds_html(b, arg);
            else if (arg)
                buf_adds(b, arg);
        } else /* "%%", or what this does not know, as it stands */
            buf_add(b, pc, pc[1] == '%' || !pc[1] ? 1 : 2);
        lit = pc[1] ? pc + 2 : pc + 1;
    }
    buf_adds(b, lit);
}

void buf_adds_xml(struct buf *b, const char *s)
{
    if (s)
        add_escaped(b, s, strlen(s), true);
}

void buf_adds_html(struct buf *b, const char *s)
{
    if (s)
        buf_add_html(b, s, strlen(s));
}

void buf_add_urlenc(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_addc(b, (char)c);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, enc, 3);
        }
    }
}
