/*
 * libFuzzer target for the HTTP helpers in web/http.c, which read headers that any client
 * can send. Beyond "no crash", it checks what each promises: a coding is accepted only when
 * named or covered by "*"; a tag matches only when the list holds it or "*"; and a log text
 * is NUL-terminated, within its buffer, and made of printable characters and \xHH escapes
 * only, so that no request can split or forge a line of the access log.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char etag[] = "\"0123456789abcdef\"";

/* Whether s holds word, ignoring case. */
static bool holds(const char *s, const char *word)
{
    return strcasestr(s, word) != NULL;
}

static void check_log_text(const char *s, size_t max_in, size_t out_len)
{
    char out[700];
    memset(out, 'Z', sizeof(out));
    size_t n = http_log_text(s, max_in, out, out_len);
    if (out_len == 0) {
        if (n != 0 || out[0] != 'Z')
            abort();
        return;
    }
    if (n >= out_len || out[n] != '\0' || strlen(out) != n || out[out_len] != 'Z')
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c <= 0x20 || c >= 0x7f || c == '"')
            abort();
        if (c == '\\') {
            if (i + 3 >= n || out[i + 1] != 'x' || !isxdigit((unsigned char)out[i + 2]) ||
                !isxdigit((unsigned char)out[i + 3]))
                abort();
            i += 3;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[2048];
    size_t n = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
    memcpy(s, data, n);
    s[n] = '\0';

    unsigned codings = http_accepted_codings(s);
    if (codings & ~(unsigned)(HTTP_GZIP | HTTP_BR))
        abort();
    if (http_accepts_gzip(s) != ((codings & HTTP_GZIP) != 0))
        abort();
    if ((codings & HTTP_GZIP) && !holds(s, "gzip") && !strchr(s, '*'))
        abort();
    if ((codings & HTTP_BR) && !holds(s, "br") && !strchr(s, '*'))
        abort();
    if (http_accepted_codings(NULL) != 0)
        abort();

    if (http_none_match(s, etag) && !strstr(s, etag) && !strchr(s, '*'))
        abort();
    if (http_media_type_is(s, "application/x-www-form-urlencoded") &&
        !holds(s, "application/x-www-form-urlencoded"))
        abort();
    if (http_value_is(s, "chunked") && (strlen(s) < 7 || !holds(s, "chunked")))
        abort();

    size_t max_in = size > 0 ? data[0] : 0;
    check_log_text(s, max_in, 0);
    check_log_text(s, max_in, 1);
    check_log_text(s, max_in, 5);
    check_log_text(s, 128, 64);
    check_log_text(s, 128, 600);
    check_log_text(s, n, 600);
    return 0;
}
