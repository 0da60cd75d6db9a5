/*
 * A growable byte buffer with a hard maximum and a sticky overflow flag.
 *
 * Appends never fail loudly: once an append would pass the maximum, the buffer stops
 * growing and remembers it, so a renderer may append freely and check buf_ok() once at
 * the end. The contents are always NUL-terminated (the NUL is not counted in len).
 */
#ifndef PLANPACK_BUF_H
#define PLANPACK_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max;
    bool overflow;
};

/* Default maximum for buffers that hold a whole rendered page or file. */
#define BUF_MAX_DEFAULT ((size_t)64 << 20)

/*
 * Empties b with max, the most it may ever hold: every caller names the cap that fits what
 * it writes, so that hostile input cannot grow a buffer without bound. max must not be 0.
 */
void buf_init(struct buf *b, size_t max);
/* Frees the contents; the buffer may be initialised again. Accepts a zeroed buffer. */
void buf_release(struct buf *b);
/* Empties the buffer and clears the overflow flag, keeping its memory. */
void buf_reset(struct buf *b);
/* Hands the contents (NUL-terminated, caller frees) over and leaves the buffer empty. */
char *buf_detach(struct buf *b, size_t *len);

static inline bool buf_ok(const struct buf *b)
{
    return !b->overflow;
}

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends text escaped for HTML element content and double-quoted attribute values. */
void buf_add_html(struct buf *b, const char *s, size_t len);
void buf_adds_html(struct buf *b, const char *s);
/*
 * Appends fmt with each %s in it replaced by its argument (a string, or NULL for none)
 * escaped as buf_adds_html() does: markup and the text that fills it in one call. fmt holds
 * no other conversion than %s and %%; numbers are written with buf_addf().
 */
void buf_addf_html(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same from a va_list, the arguments escaped when html, else written as they are. */
void buf_vfill(struct buf *b, bool html, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/*
 * Appends text escaped for XML text and double-quoted attribute values: as buf_adds_html(),
 * and tabs and line breaks as character references, so that a parser reads the copy back
 * exactly (pkg/svg.c's sanitised pictures).
 */
void buf_adds_xml(struct buf *b, const char *s);
/* Appends text percent-encoded for a URL query component (RFC 3986 unreserved kept). */
void buf_add_urlenc(struct buf *b, const char *s, size_t len);

#endif
