/*
 * libFuzzer target for the JSON reader of stored survey data: any bytes go to json_parse()
 * and to survey_decode(). What parses must keep within JSON_MAX_DEPTH, hold only strings
 * that are valid UTF-8 without NUL whose length is their len, and, written out again with
 * json_add_string(), parse to the same value.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/form.h"
#include "survey/json.h"
#include "survey/survey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct json_value *v, int depth)
{
    if (depth > JSON_MAX_DEPTH + 1)
        abort();
    switch (v->type) {
    case JSON_STRING:
        if (!v->str || strlen(v->str) != v->len || !utf8_valid(v->str, v->len))
            abort();
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < v->count; i++)
            if (!v->keys[i] || !utf8_valid(v->keys[i], strlen(v->keys[i])))
                abort();
        /* fall through */
    case JSON_ARRAY:
        for (size_t i = 0; i < v->count; i++)
            check(&v->items[i], depth + 1);
        break;
    case JSON_NULL:
    case JSON_BOOL:
    case JSON_NUMBER:
        break;
    }
}

static void write_value(struct buf *b, const struct json_value *v)
{
    switch (v->type) {
    case JSON_NULL:
        buf_adds(b, "null");
        break;
    case JSON_BOOL:
        buf_adds(b, v->boolean ? "true" : "false");
        break;
    case JSON_NUMBER:
        buf_addf(b, "%.17g", v->number);
        break;
    case JSON_STRING:
        json_add_string(b, v->str, v->len);
        break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        buf_addc(b, v->type == JSON_ARRAY ? '[' : '{');
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                buf_addc(b, ',');
            if (v->type == JSON_OBJECT) {
                json_adds_string(b, v->keys[i]);
                buf_addc(b, ':');
            }
            write_value(b, &v->items[i]);
        }
        buf_addc(b, v->type == JSON_ARRAY ? ']' : '}');
        break;
    }
}

static void same(const struct json_value *a, const struct json_value *b)
{
    if (a->type != b->type || a->count != b->count)
        abort();
    if (a->type == JSON_BOOL && a->boolean != b->boolean)
        abort();
    if (a->type == JSON_NUMBER && a->number != b->number && !(isnan(a->number) && isnan(b->number)))
        abort();
    if (a->type == JSON_STRING && (a->len != b->len || memcmp(a->str, b->str, a->len) != 0))
        abort();
    for (size_t i = 0; i < a->count; i++) {
        if (a->type == JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0)
            abort();
        same(&a->items[i], &b->items[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a = ARENA_INIT;
    struct json_value v;
    if (json_parse((const char *)data, size, &a, &v) == 0) {
        check(&v, 0);
        struct buf b;
        buf_init(&b, (size_t)1 << 24);
        write_value(&b, &v);
        struct json_value again;
        if (!buf_ok(&b) || json_parse(b.ptr, b.len, &a, &again) != 0)
            abort();
        same(&v, &again);
        buf_release(&b);
    }
    /* The same bytes as a stored survey snapshot: read or refused, never past their end. */
    struct survey sv;
    if (survey_decode((const char *)data, size, &a, &sv) == 0 && sv.count && !sv.questions)
        abort();
    arena_release(&a);
    return 0;
}
