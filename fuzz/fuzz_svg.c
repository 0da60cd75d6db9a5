/*
 * libFuzzer target for the SVG sanitiser: any bytes go to svg_sanitise(). What it accepts
 * must come out as a picture that, cleaned again, is the very same bytes with nothing more
 * taken out: the copy holds nothing the allow-lists would refuse, however the input was
 * spelt (entities, prefixes, odd whitespace).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "pkg/svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void nothing_more(void *ctx, int line, const char *what, bool risky)
{
    (void)ctx;
    (void)line;
    (void)what;
    (void)risky;
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf first;
    struct buf second;
    buf_init(&first, SVG_MAX_OUTPUT);
    buf_init(&second, SVG_MAX_OUTPUT);
    char why[256];
    int line = 0;
    if (svg_sanitise(data, size, &first, NULL, NULL, why, sizeof(why), &line) == 0) {
        if (svg_sanitise((const unsigned char *)first.ptr, first.len, &second, nothing_more, NULL,
                         why, sizeof(why), &line) != 0)
            abort();
        if (second.len != first.len || memcmp(first.ptr, second.ptr, first.len) != 0)
            abort();
    }
    buf_release(&first);
    buf_release(&second);
    return 0;
}
