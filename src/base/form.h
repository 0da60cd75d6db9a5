/*
 * application/x-www-form-urlencoded bodies and query strings, decoded by one careful
 * decoder: percent-escapes checked, '+' as space, UTF-8 validated, sizes capped.
 */
#ifndef PLANPACK_FORM_H
#define PLANPACK_FORM_H

#include <stddef.h>

#include "base/arena.h"

struct form_field {
    const char *name;  /* NUL-terminated, valid UTF-8 without NUL bytes */
    const char *value; /* NUL-terminated, valid UTF-8 without NUL bytes */
};

struct form {
    struct form_field *fields;
    size_t count;
};

#define FORM_MAX_FIELDS 256

enum form_error {
    FORM_OK = 0,
    FORM_BAD_ESCAPE = -1, /* '%' not followed by two hex digits */
    FORM_BAD_UTF8 = -2,   /* a name or value is not valid UTF-8, or holds a NUL */
    FORM_TOO_MANY = -3,   /* more than FORM_MAX_FIELDS fields (or the cap given) */
    FORM_TOO_LARGE = -4,  /* input longer than the caller's limit */
};

/*
 * Decodes data[0..len) into out; every string lives in arena a. Returns FORM_OK or a
 * negative enum form_error, in which case out is empty. Empty pairs ("a=1&&b=2") are skipped.
 */
__attribute__((warn_unused_result)) int form_decode(const char *data, size_t len, size_t max_len,
                                                    struct arena *a, struct form *out);

/* form_decode() with a cap of max_fields fields instead of FORM_MAX_FIELDS, for a form that
 * lists many items (a staff page coding a few hundred comments at once). */
__attribute__((warn_unused_result)) int form_decode_fields(const char *data, size_t len,
                                                           size_t max_len, size_t max_fields,
                                                           struct arena *a, struct form *out);

/* A plain-English description of a form_decode() error, for a 400 page. */
const char *form_error_message(int err);

/* The first value named name, or NULL. Borrowed from the form. */
const char *form_get(const struct form *f, const char *name);

/* Whether s[0..len) is valid UTF-8 (no overlongs, no surrogates, no NUL). */
int utf8_valid(const char *s, size_t len);

/*
 * The length in bytes of the control character that UTF-8 text s[0..len) starts with: 1
 * for C0 (below U+0020) and DEL, 2 for C1 (U+0080 to U+009F); 0 when it starts with
 * anything else. Terminals act on these, so text that may be printed in one is kept free
 * of them.
 */
size_t utf8_control(const char *s, size_t len);

#endif
