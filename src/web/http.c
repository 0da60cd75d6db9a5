#include "web/http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **p, const char **end)
{
    while (*p < *end && is_ows(**p))
        (*p)++;
    while (*end > *p && is_ows((*end)[-1]))
        (*end)--;
}

static bool span_is(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(end - p) == n && strncasecmp(p, word, n) == 0;
}

/*
 * Whether a qvalue ("0", "0.5", "1.000") is zero. RFC 9110 allows at most three decimals;
 * anything else is unreadable and counts as zero so that doubt never selects a coding.
 */
static bool qvalue_zero(const char *p, const char *end)
{
    trim(&p, &end);
    if (p == end || (*p != '0' && *p != '1'))
        return true;
    bool one = *p++ == '1';
    if (p == end)
        return !one;
    if (*p++ != '.')
        return true;
    bool nonzero = one;
    int digits = 0;
    for (; p < end; p++, digits++) {
        if (digits == 3 || *p < '0' || *p > '9' || (one && *p != '0'))
            return true;
        nonzero |= *p != '0';
    }
    return !nonzero;
}

unsigned http_accepted_codings(const char *accept_encoding)
{
    if (!accept_encoding)
        return 0;
    /* For each coding: whether it was named, and whether a naming gave it a weight. */
    unsigned named = 0, accepted = 0;
    bool star_ok = false;
    const char *p = accept_encoding;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *coding = p, *coding_end = semi ? semi : end;
        trim(&coding, &coding_end);
        bool zero = false;
        for (const char *param = semi; param && param < end;) {
            const char *next = memchr(param + 1, ';', (size_t)(end - param - 1));
            const char *ps = param + 1, *pe = next ? next : end;
            trim(&ps, &pe);
            if (pe - ps >= 2 && (ps[0] == 'q' || ps[0] == 'Q') && ps[1] == '=')
                zero = qvalue_zero(ps + 2, pe);
            param = next;
        }
        unsigned bit = 0;
        if (span_is(coding, coding_end, "gzip") || span_is(coding, coding_end, "x-gzip"))
            bit = HTTP_GZIP;
        else if (span_is(coding, coding_end, "br"))
            bit = HTTP_BR;
        else if (span_is(coding, coding_end, "*"))
            star_ok = !zero;
        named |= bit;
        if (!zero)
            accepted |= bit;
        p = *end ? end + 1 : end;
    }
    if (star_ok)
        accepted |= (HTTP_GZIP | HTTP_BR) & ~named;
    return accepted;
}

bool http_accepts_gzip(const char *accept_encoding)
{
    return (http_accepted_codings(accept_encoding) & HTTP_GZIP) != 0;
}

bool http_none_match(const char *if_none_match, const char *etag)
{
    if (!if_none_match)
        return false;
    size_t etag_len = strlen(etag);
    const char *p = if_none_match;
    for (;;) {
        while (is_ows(*p) || *p == ',')
            p++;
        if (!*p)
            return false;
        if (*p == '*') {
            for (p++; is_ows(*p);)
                p++;
            return !*p || *p == ',';
        }
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        if (*p != '"')
            return false;
        const char *close = strchr(p + 1, '"');
        if (!close)
            return false;
        const char *tag = p;
        size_t len = (size_t)(close + 1 - p);
        p = close + 1;
        while (is_ows(*p))
            p++;
        if (*p && *p != ',')
            return false;
        if (len == etag_len && memcmp(tag, etag, len) == 0)
            return true;
    }
}

bool http_media_type_is(const char *content_type, const char *type)
{
    if (!content_type)
        return false;
    const char *p = content_type;
    while (is_ows(*p))
        p++;
    const char *end = p;
    while (*end && *end != ';')
        end++;
    trim(&p, &end);
    return span_is(p, end, type);
}

bool http_value_is(const char *value, const char *token)
{
    if (!value)
        return false;
    const char *end = value + strlen(value);
    trim(&value, &end);
    return span_is(value, end, token);
}

size_t http_log_text(const char *s, size_t max_in, char *out, size_t out_len)
{
    static const char hex[] = "0123456789abcdef";
    size_t j = 0;
    if (out_len == 0)
        return 0;
    size_t i = 0;
    for (; i < max_in && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        bool plain = c > 0x20 && c < 0x7f && c != '"' && c != '\\';
        size_t need = plain ? 1 : 4;
        /* Keep room for "..." and the NUL so that a cut line still says it was cut. */
        if (j + need + 4 > out_len)
            break;
        if (plain) {
            out[j++] = (char)c;
        } else {
            out[j++] = '\\';
            out[j++] = 'x';
            out[j++] = hex[c >> 4];
            out[j++] = hex[c & 15];
        }
    }
    if (s[i] && j + 4 <= out_len) {
        memcpy(out + j, "...", 3);
        j += 3;
    }
    out[j] = '\0';
    return j;
}
