/*
 * Masking contact details in free text. Pupils are asked not to write names, but some
 * will write an e-mail address or a phone number; those are replaced before storage.
 * The rules lean towards masking: a long run of digits is masked even when it may not be
 * a phone number, while short service numbers ("0800 1111", "999", "116 123") are kept,
 * since pupils often mention them and they identify no one.
 */
#include "survey/survey.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct span {
    size_t start;
    size_t end;
    const char *mask;
};

struct spans {
    struct span *v;
    size_t n;
    size_t cap;
};

static void spans_add(struct spans *s, size_t start, size_t end, const char *mask)
{
    XGROW(s->v, s->cap, s->n + 1);
    s->v[s->n++] = (struct span){start, end, mask};
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_local(unsigned char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}

static int is_domain(unsigned char c)
{
    return is_alnum(c) || c == '-' || c == '.';
}

/* A domain: labels of letters, digits and hyphens joined by single dots, ending in a
 * top-level label of at least two letters. */
static int valid_domain(const char *s, size_t len)
{
    size_t dots = 0, label = 0, last_start = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (label == 0)
                return 0;
            dots++;
            label = 0;
            last_start = i + 1;
        } else {
            label++;
        }
    }
    if (dots == 0 || label < 2)
        return 0;
    for (size_t i = last_start; i < len; i++)
        if (is_digit((unsigned char)s[i]) || s[i] == '-')
            return 0;
    return 1;
}

static void find_emails(const char *s, size_t len, struct spans *out)
{
    for (size_t at = 0; at < len; at++) {
        if (s[at] != '@')
            continue;
        size_t start = at;
        while (start > 0 && is_local((unsigned char)s[start - 1]))
            start--;
        while (start < at && (s[start] == '.' || s[start] == '\''))
            start++;
        size_t end = at + 1;
        while (end < len && is_domain((unsigned char)s[end]))
            end++;
        while (end > at + 1 && (s[end - 1] == '.' || s[end - 1] == '-'))
            end--;
        if (start == at || !valid_domain(s + at + 1, end - at - 1))
            continue;
        spans_add(out, start, end, SURVEY_MASK_EMAIL);
        at = end - 1;
    }
}

static int is_phone_sep(unsigned char c)
{
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static int inside(const struct spans *sp, size_t i)
{
    for (size_t k = 0; k < sp->n; k++)
        if (i >= sp->v[k].start && i < sp->v[k].end)
            return 1;
    return 0;
}

static void find_phones(const char *s, size_t len, struct spans *out)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        int starts =
            is_digit(c) || (c == '+' && i + 1 < len && is_digit((unsigned char)s[i + 1])) ||
            (c == '(' && i + 1 < len && (is_digit((unsigned char)s[i + 1]) || s[i + 1] == '+'));
        if (!starts || (i > 0 && is_alnum((unsigned char)s[i - 1])) || inside(out, i)) {
            i++;
            continue;
        }
        size_t start = i, end = i, digits = 0, seps = 0;
        int plus = 0;
        size_t j = i;
        while (j < len) {
            unsigned char d = (unsigned char)s[j];
            if (is_digit(d)) {
                if (digits == 0 && d == '0' && j + 1 < len && s[j + 1] == '0')
                    plus = 1; /* 0044 ... is the international form too */
                digits++;
                seps = 0;
                end = j + 1;
            } else if (d == '+' && digits == 0) {
                plus = 1;
            } else if (is_phone_sep(d) && seps < 3) {
                seps++;
            } else {
                break;
            }
            j++;
        }
        if ((plus && digits >= 8) || digits >= 10) {
            spans_add(out, start, end, SURVEY_MASK_PHONE);
            i = end;
        } else {
            i = end > i ? end : i + 1;
        }
    }
}

static int span_cmp(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

size_t survey_mask(const char *in, size_t len, struct buf *out)
{
    struct spans sp = {0};
    find_emails(in, len, &sp);
    find_phones(in, len, &sp);
    if (sp.n > 1)
        qsort(sp.v, sp.n, sizeof(*sp.v), span_cmp);
    size_t pos = 0, masked = 0;
    for (size_t k = 0; k < sp.n; k++) {
        if (sp.v[k].start < pos)
            continue;
        buf_add(out, in + pos, sp.v[k].start - pos);
        buf_adds(out, sp.v[k].mask);
        pos = sp.v[k].end;
        masked++;
    }
    buf_add(out, in + pos, len - pos);
    free(sp.v);
    return masked;
}

size_t survey_clean_text(const char *in, size_t len, struct buf *out)
{
    struct buf clean;
    buf_init(&clean, len + 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\r') {
            buf_addc(&clean, '\n');
            if (i + 1 < len && in[i + 1] == '\n')
                i++;
        } else if (c != '\n' && c != '\t' && utf8_control(in + i, len - i)) {
            i += utf8_control(in + i, len - i) - 1;
        } else {
            buf_addc(&clean, (char)c);
        }
    }
    size_t a = 0, b = clean.len;
    while (a < b && (clean.ptr[a] == ' ' || clean.ptr[a] == '\n' || clean.ptr[a] == '\t'))
        a++;
    while (b > a &&
           (clean.ptr[b - 1] == ' ' || clean.ptr[b - 1] == '\n' || clean.ptr[b - 1] == '\t'))
        b--;
    size_t n = b > a ? survey_mask(clean.ptr + a, b - a, out) : 0;
    buf_release(&clean);
    return n;
}
