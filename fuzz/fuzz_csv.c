/*
 * libFuzzer target for the CSV cell writer: any bytes as one cell. The output must read
 * back (RFC 4180) as the same text, with an apostrophe in front exactly when the text
 * starts like a formula, so no cell a spreadsheet opens can start a formula.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads one CSV cell from s; returns its text (caller frees) and sets *used. */
static char *read_cell(const char *s, size_t len, size_t *used, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t n = 0, i = 0;
    if (len > 0 && s[0] == '"') {
        for (i = 1; i < len; i++) {
            if (s[i] == '"') {
                if (i + 1 < len && s[i + 1] == '"') {
                    out[n++] = '"';
                    i++;
                } else {
                    i++;
                    break;
                }
            } else {
                out[n++] = s[i];
            }
        }
    } else {
        for (; i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r' && s[i] != '"'; i++)
            out[n++] = s[i];
    }
    *used = i;
    *out_len = n;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    struct buf b;
    buf_init(&b, BUF_MAX_DEFAULT);
    csv_add_cell(&b, in, size);
    if (!buf_ok(&b))
        abort();
    size_t used, n;
    char *cell = read_cell(b.ptr ? b.ptr : "", b.len, &used, &n);
    /* The whole output is one cell. */
    if (used != b.len)
        abort();
    bool formula = size > 0 && strchr("=+-@\t\r", in[0]) != NULL && in[0] != '\0';
    if (formula) {
        if (n != size + 1 || cell[0] != '\'' || memcmp(cell + 1, in, size) != 0)
            abort();
    } else if (n != size || memcmp(cell, in, size) != 0) {
        abort();
    }
    if (n > 0 && strchr("=+-@\t\r", cell[0]) && cell[0] != '\0')
        abort();
    free(cell);
    buf_release(&b);
    return 0;
}
