/*
 * Small, pure pieces of HTTP that the server needs: reading Accept-Encoding, If-None-Match
 * and Content-Type, and writing a request path safely into the access log. They touch no
 * socket and allocate nothing, so they can be tested and fuzzed on their own.
 */
#ifndef PLANPACK_HTTP_H
#define PLANPACK_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* Content codings that the server can send, as bits of a set. */
enum http_coding { HTTP_GZIP = 1u << 0, HTTP_BR = 1u << 1 };

/*
 * The codings that an Accept-Encoding value (NULL when the header is absent) accepts, as a
 * set of enum http_coding bits. A coding is accepted when it is named with a non-zero
 * weight ("x-gzip" counts as "gzip"), or when it is not named and "*" has a non-zero weight.
 * A weight that cannot be read counts as zero, so doubt falls back to identity.
 */
unsigned http_accepted_codings(const char *accept_encoding);

/* Whether an Accept-Encoding value accepts gzip, by the rules of http_accepted_codings(). */
bool http_accepts_gzip(const char *accept_encoding);

/*
 * Whether an If-None-Match value matches etag (a quoted strong tag such as "\"abc\""),
 * by the weak comparison that RFC 9110 section 13.1.2 asks for. "*" matches any tag.
 * A malformed list matches nothing, so the full response is sent.
 */
bool http_none_match(const char *if_none_match, const char *etag);

/* Whether a Content-Type value (may be NULL) is media type type, ignoring case and parameters. */
bool http_media_type_is(const char *content_type, const char *type);

/* Whether a header value (may be NULL) is exactly token, ignoring case and surrounding spaces. */
bool http_value_is(const char *value, const char *token);

/*
 * Writes s into out (out_len bytes, NUL-terminated) for one line of the access log: bytes
 * outside printable ASCII, spaces, quotes and backslashes become \xHH, so a request cannot
 * forge or split log lines; output is cut at max_in input bytes with "...". Returns the
 * length written.
 */
size_t http_log_text(const char *s, size_t max_in, char *out, size_t out_len);

#endif
