/* The small syntaxes that package values follow, and "did you mean" for near misses. */
#include "pkg/internal.h"
#include "base/date.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

bool pkg_id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PKG_ID_MAX || !(s[0] >= 'a' && s[0] <= 'z') || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-') {
            if (s[i + 1] == '-')
                return false;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return true;
}

/* Reads a number of 1 to max_digits digits with no leading zero; returns the characters read. */
static size_t read_number(const char *s, size_t max_digits)
{
    size_t n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    if (n == 0 || n > max_digits || (n > 1 && s[0] == '0'))
        return 0;
    return n;
}

bool pkg_version_valid(const char *s)
{
    for (int part = 0; part < 3; part++) {
        size_t n = read_number(s, 6);
        if (n == 0)
            return false;
        s += n;
        if (part < 2) {
            if (*s != '.')
                return false;
            s++;
        }
    }
    return *s == '\0';
}

bool pkg_date_valid(const char *s)
{
    int day = 0;
    return date_parse(s, &day) == 0;
}

bool pkg_https_url_valid(const char *s)
{
    static const char scheme[] = "https://";
    if (strncmp(s, scheme, sizeof(scheme) - 1) != 0)
        return false;
    const char *host = s + sizeof(scheme) - 1;
    size_t i = 0;
    size_t label = 0;
    int dots = 0;
    for (; host[i] && host[i] != '/' && host[i] != ':' && host[i] != '?' && host[i] != '#'; i++) {
        char c = host[i];
        if (c == '.') {
            if (label == 0 || host[i - 1] == '-')
                return false;
            label = 0;
            dots++;
        } else if (isalnum((unsigned char)c) || (c == '-' && label > 0)) {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    if (i == 0 || i > 253 || label == 0 || dots == 0 || host[i - 1] == '-')
        return false;
    const char *rest = host + i;
    if (*rest == ':') {
        size_t n = 0;
        while (isdigit((unsigned char)rest[1 + n]))
            n++;
        if (n == 0 || n > 5)
            return false;
        rest += 1 + n;
        if (*rest && *rest != '/' && *rest != '?' && *rest != '#')
            return false;
    }
    /* The rest must be printable and free of what would break out of an attribute. */
    for (const unsigned char *p = (const unsigned char *)rest; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '\'' || *p == '<' || *p == '>' ||
            *p == '\\' || *p == '`')
            return false;
    return true;
}

bool pkg_phone_normalise(const char *s, char *out, size_t outsize)
{
    char digits[32];
    size_t n = 0;
    bool plus = false;
    if (outsize > 0)
        out[0] = '\0';
    const char *p = s;
    if (*p == '+') {
        plus = true;
        p++;
    }
    for (; *p; p++) {
        if (*p == ' ')
            continue;
        if (!isdigit((unsigned char)*p) || n + 1 >= sizeof(digits))
            return false;
        digits[n++] = *p;
    }
    digits[n] = '\0';
    bool ok;
    if (plus) {
        /* +44 then the national number without its leading 0. */
        ok = (n == 11 || n == 12) && memcmp(digits, "44", 2) == 0 && digits[2] != '0';
    } else if (n == 3) {
        ok = strcmp(digits, "999") == 0 || strcmp(digits, "112") == 0 ||
             strcmp(digits, "101") == 0 || strcmp(digits, "111") == 0 ||
             strcmp(digits, "105") == 0 || strcmp(digits, "119") == 0;
    } else if (n == 6 && memcmp(digits, "116", 3) == 0) {
        ok = true; /* the European 116 xxx helplines, e.g. Samaritans' 116 123 */
    } else if (n >= 8 && (memcmp(digits, "0800", 4) == 0 || memcmp(digits, "0808", 4) == 0)) {
        ok = n <= 11; /* freephone: 0800 1111, 0800 555 111, 0808 800 5000 */
    } else {
        ok = n == 11 && digits[0] == '0' && digits[1] != '0';
    }
    if (!ok)
        return false;
    if (outsize < n + 2)
        return false;
    snprintf(out, outsize, "%s%s", plus ? "+" : "", digits);
    return true;
}

bool pkg_sms_valid(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (!isdigit((unsigned char)*s))
            return false;
        n++;
    }
    return n >= 5 && n <= 11;
}

size_t pkg_edit_distance(const char *a, const char *b, size_t limit)
{
    enum { MAXLEN = 64 };
    size_t la = strlen(a);
    size_t lb = strlen(b);
    if (la > MAXLEN || lb > MAXLEN)
        return SIZE_MAX;
    if ((la > lb ? la - lb : lb - la) > limit)
        return SIZE_MAX;
    /* Three rows of the optimal string alignment table: enough for transpositions. */
    size_t rows[3][MAXLEN + 1];
    size_t *prev2 = rows[0];
    size_t *prev = rows[1];
    size_t *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        char ca = (char)tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            char cb = (char)tolower((unsigned char)b[j - 1]);
            size_t cost = ca != cb;
            size_t v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > limit)
            return SIZE_MAX;
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] <= limit ? prev[lb] : SIZE_MAX;
}

void suggest_init(struct suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->best_distance = SIZE_MAX;
}

void suggest_try(struct suggest *s, const char *candidate)
{
    if (!candidate || !s->word)
        return;
    size_t len = strlen(s->word);
    /* Short words tolerate one slip, longer ones two, long ones three. */
    size_t limit = len <= 4 ? 1 : len <= 9 ? 2 : 3;
    size_t d = pkg_edit_distance(s->word, candidate, limit);
    if (d == SIZE_MAX || d >= strlen(candidate) || d >= s->best_distance)
        return;
    if (d == 0 && strcmp(s->word, candidate) == 0)
        return;
    s->best = candidate;
    s->best_distance = d;
}
