#include "base/form.h"
#include "base/xalloc.h"

#include <string.h>

int utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned int cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i - 1 < n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes one name or value into the arena; the decoded form is never longer. */
static int unescape(const char *s, size_t len, struct arena *a, const char **out)
{
    char *d = arena_alloc(a, len + 1);
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            d[j++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 1 < len ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < len ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return FORM_BAD_ESCAPE;
            d[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    if (!utf8_valid(d, j))
        return FORM_BAD_UTF8;
    *out = d;
    return FORM_OK;
}

int form_decode(const char *data, size_t len, size_t max_len, struct arena *a, struct form *out)
{
    return form_decode_fields(data, len, max_len, FORM_MAX_FIELDS, a, out);
}

int form_decode_fields(const char *data, size_t len, size_t max_len, size_t max_fields,
                       struct arena *a, struct form *out)
{
    out->fields = NULL;
    out->count = 0;
    if (len > max_len)
        return FORM_TOO_LARGE;
    /* An empty body is an empty form; data may then be NULL, which memchr() must not see. */
    if (len == 0)
        return FORM_OK;
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += data[i] == '&';
    count++;
    if (count > max_fields * 2)
        return FORM_TOO_MANY;
    struct form_field *fields = arena_alloc(a, count * sizeof(*fields));
    size_t n = 0;
    size_t start = 0;
    while (start <= len) {
        const char *amp = memchr(data + start, '&', len - start);
        size_t end = amp ? (size_t)(amp - data) : len;
        if (end > start) {
            const char *pair = data + start;
            size_t plen = end - start;
            const char *eq = memchr(pair, '=', plen);
            size_t nlen = eq ? (size_t)(eq - pair) : plen;
            if (n >= max_fields)
                return FORM_TOO_MANY;
            int rc = unescape(pair, nlen, a, &fields[n].name);
            if (rc == FORM_OK)
                rc = eq ? unescape(eq + 1, plen - nlen - 1, a, &fields[n].value)
                        : unescape("", 0, a, &fields[n].value);
            if (rc != FORM_OK)
                return rc;
            n++;
        }
        start = end + 1;
    }
    out->fields = fields;
    out->count = n;
    return FORM_OK;
}

const char *form_error_message(int err)
{
    switch (err) {
    case FORM_OK:
        return "no error";
    case FORM_BAD_ESCAPE:
        return "The form data has a broken %-escape.";
    case FORM_BAD_UTF8:
        return "The form data is not valid UTF-8 text.";
    case FORM_TOO_MANY:
        return "The form has too many fields.";
    case FORM_TOO_LARGE:
        return "The form is too large.";
    default:
        return "The form data could not be read.";
    }
}

const char *form_get(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->count; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return f->fields[i].value;
    return NULL;
}

size_t utf8_control(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0)
        return 0;
    if (u[0] < 0x20 || u[0] == 0x7f)
        return 1;
    return len >= 2 && u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f ? 2 : 0;
}
