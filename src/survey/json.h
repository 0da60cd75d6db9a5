/*
 * The small JSON subset that stored survey data uses: objects, arrays, strings, integers,
 * true, false and null. Stored answers and survey snapshots are JSON so that any backend
 * (SQLite's json1, PostgreSQL's jsonb) and any administrator can read them without planpack.
 */
#ifndef PLANPACK_JSON_H
#define PLANPACK_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json_value {
    enum json_type type;
    bool boolean;
    double number;
    const char *str; /* JSON_STRING: NUL-terminated, valid UTF-8 without NUL */
    size_t len;
    struct json_value *items; /* JSON_ARRAY and JSON_OBJECT values, in order */
    const char **keys;        /* JSON_OBJECT: keys[i] names items[i] */
    size_t count;
};

/* Deeper nesting than this is refused, so hostile input cannot exhaust the stack. */
#define JSON_MAX_DEPTH 16

/*
 * Parses text[0..len) into *out, every node and string allocated in a. Returns 0, or -1 when
 * the text is not one complete JSON value of the subset (trailing garbage included).
 */
__attribute__((warn_unused_result)) int json_parse(const char *text, size_t len, struct arena *a,
                                                   struct json_value *out);

/* The member named key of an object, or NULL (also when v is not an object). Borrowed. */
const struct json_value *json_get(const struct json_value *v, const char *key);
/* The member's string, or NULL when absent or not a string. Borrowed. */
const char *json_get_str(const struct json_value *v, const char *key);

/* Appends s[0..len) as a quoted JSON string, escaping quotes, backslashes and controls. */
void json_add_string(struct buf *b, const char *s, size_t len);
void json_adds_string(struct buf *b, const char *s);
/* Appends the n strings s[0..n) as a JSON array of strings. */
void json_adds_strings(struct buf *b, const char *const *s, size_t n);

/*
 * Reads one JSON string starting at *p (which must point at the opening quote) and appends
 * its unescaped bytes to out. Advances *p past the closing quote. Returns 0, or -1 on a
 * malformed string, a NUL or invalid UTF-8. Used by decoders that stream over many rows.
 */
__attribute__((warn_unused_result)) int json_read_string(const char **p, const char *end,
                                                         struct buf *out);

#endif
