#include "survey/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/form.h"
#include "base/xalloc.h"

void json_add_string(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_addc(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_add(b, s + start, i - start);
        start = i + 1;
        switch (c) {
        case '"':
            buf_adds(b, "\\\"");
            break;
        case '\\':
            buf_adds(b, "\\\\");
            break;
        case '\n':
            buf_adds(b, "\\n");
            break;
        case '\t':
            buf_adds(b, "\\t");
            break;
        case '\r':
            buf_adds(b, "\\r");
            break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_add(b, esc, sizeof(esc));
        }
        }
    }
    buf_add(b, s + start, len - start);
    buf_addc(b, '"');
}

void json_adds_string(struct buf *b, const char *s)
{
    json_add_string(b, s, strlen(s));
}

void json_adds_strings(struct buf *b, const char *const *s, size_t n)
{
    buf_addc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(b, ',');
        json_adds_string(b, s[i]);
    }
    buf_addc(b, ']');
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void add_utf8(struct buf *out, unsigned cp)
{
    char u[4];
    if (cp < 0x80) {
        u[0] = (char)cp;
        buf_add(out, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(out, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(out, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(out, u, 4);
    }
}

int json_read_string(const char **pp, const char *end, struct buf *out)
{
    const char *p = *pp;
    if (p >= end || *p != '"')
        return -1;
    p++;
    size_t start_len = out->len;
    bool high = false; /* bytes past ASCII seen: only then is UTF-8 checked */
    for (;;) {
        const char *run = p;
        unsigned char or_bits = 0;
        while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
            or_bits |= (unsigned char)*p++;
        high |= (or_bits & 0x80) != 0;
        buf_add(out, run, (size_t)(p - run));
        if (p >= end || (unsigned char)*p < 0x20)
            return -1;
        if (*p == '"')
            break;
        p++; /* the backslash */
        if (p >= end)
            return -1;
        char c = *p++;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            buf_addc(out, c);
            break;
        case 'n':
            buf_addc(out, '\n');
            break;
        case 't':
            buf_addc(out, '\t');
            break;
        case 'r':
            buf_addc(out, '\r');
            break;
        case 'b':
            buf_addc(out, '\b');
            break;
        case 'f':
            buf_addc(out, '\f');
            break;
        case 'u': {
            unsigned cp;
            if (hex4(p, end, &cp) != 0)
                return -1;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, end, &lo) != 0 ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return -1;
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                return -1;
            }
            add_utf8(out, cp);
            break;
        }
        default:
            return -1;
        }
    }
    *pp = p + 1;
    if (!buf_ok(out) || (high && !utf8_valid(out->ptr + start_len, out->len - start_len)))
        return -1;
    return 0;
}

struct parser {
    const char *p;
    const char *end;
    struct arena *a;
    struct buf scratch;
};

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r'))
        ps->p++;
}

static int parse_string(struct parser *ps, const char **out, size_t *len)
{
    buf_reset(&ps->scratch);
    if (json_read_string(&ps->p, ps->end, &ps->scratch) != 0)
        return -1;
    *out = arena_strndup(ps->a, ps->scratch.ptr ? ps->scratch.ptr : "", ps->scratch.len);
    *len = ps->scratch.len;
    return 0;
}

static int literal(struct parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return -1;
    ps->p += n;
    return 0;
}

/* Items are gathered in a heap array and copied into the arena once their count is known. */
struct items {
    struct json_value *v;
    const char **k;
    size_t n;
    size_t cap;
};

static void items_push(struct items *it, const struct json_value *v, const char *key)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 8;
        it->v = xrealloc(it->v, cap * sizeof(*it->v));
        it->k = xrealloc(it->k, cap * sizeof(*it->k));
        it->cap = cap;
    }
    it->v[it->n] = *v;
    it->k[it->n] = key;
    it->n++;
}

static int parse_value(struct parser *ps, struct json_value *out, int depth);

static int parse_container(struct parser *ps, struct json_value *out, int depth, bool object)
{
    char close = object ? '}' : ']';
    struct items it = {0};
    int rc = -1;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        rc = 0;
        goto out;
    }
    for (;;) {
        const char *key = NULL;
        size_t klen;
        struct json_value v;
        skip_ws(ps);
        if (object) {
            if (parse_string(ps, &key, &klen) != 0)
                goto out;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':')
                goto out;
            ps->p++;
        }
        if (parse_value(ps, &v, depth + 1) != 0)
            goto out;
        items_push(&it, &v, key);
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            break;
        }
        goto out;
    }
    out->count = it.n;
    out->items = arena_alloc(ps->a, it.n * sizeof(*out->items));
    memcpy(out->items, it.v, it.n * sizeof(*out->items));
    if (object) {
        out->keys = arena_alloc(ps->a, it.n * sizeof(*out->keys));
        memcpy(out->keys, it.k, it.n * sizeof(*out->keys));
    }
    rc = 0;
out:
    free(it.v);
    free(it.k);
    return rc;
}

static int parse_number(struct parser *ps, struct json_value *out)
{
    char tmp[40];
    size_t n = 0;
    while (ps->p + n < ps->end && n < sizeof(tmp) - 1 && ps->p[n] != '\0' &&
           strchr("+-0123456789.eE", ps->p[n]) != NULL)
        n++;
    if (n == 0 || n == sizeof(tmp) - 1)
        return -1;
    memcpy(tmp, ps->p, n);
    tmp[n] = '\0';
    char *endp;
    out->number = strtod(tmp, &endp);
    /* A number too large for a double (1e999) would read as infinity, which no reader
     * can convert to a count and no writer can write back. */
    if (*endp != '\0' || !isfinite(out->number))
        return -1;
    ps->p += n;
    return 0;
}

static int parse_value(struct parser *ps, struct json_value *out, int depth)
{
    memset(out, 0, sizeof(*out));
    if (depth > JSON_MAX_DEPTH)
        return -1;
    skip_ws(ps);
    if (ps->p >= ps->end)
        return -1;
    switch (*ps->p) {
    case '{':
        out->type = JSON_OBJECT;
        return parse_container(ps, out, depth, true);
    case '[':
        out->type = JSON_ARRAY;
        return parse_container(ps, out, depth, false);
    case '"':
        out->type = JSON_STRING;
        return parse_string(ps, &out->str, &out->len);
    case 't':
        out->type = JSON_BOOL;
        out->boolean = true;
        return literal(ps, "true");
    case 'f':
        out->type = JSON_BOOL;
        return literal(ps, "false");
    case 'n':
        out->type = JSON_NULL;
        return literal(ps, "null");
    default:
        out->type = JSON_NUMBER;
        return parse_number(ps, out);
    }
}

int json_parse(const char *text, size_t len, struct arena *a, struct json_value *out)
{
    struct parser ps = {.p = text, .end = text + len, .a = a};
    buf_init(&ps.scratch, len + 16);
    int rc = parse_value(&ps, out, 0);
    if (rc == 0) {
        skip_ws(&ps);
        if (ps.p != ps.end)
            rc = -1;
    }
    buf_release(&ps.scratch);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

const struct json_value *json_get(const struct json_value *v, const char *key)
{
    if (!v || v->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *json_get_str(const struct json_value *v, const char *key)
{
    const struct json_value *m = json_get(v, key);
    return m && m->type == JSON_STRING ? m->str : NULL;
}
